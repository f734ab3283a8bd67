//! Salaries: amounts with their multipliers (1.5万, 2w, 8K, 15tr, 15 juta, 3หมื่น, 2 lakh),
//! ranges, currencies (symbols, codes and local words), and periods, converted to USD per
//! month with the analyst-editable rate table `rules/data/rates.toml`. A bare amount needs
//! a salary word nearby (月薪, gaji, lương, เงินเดือน, salary, ...) and takes the currency of
//! the ad's language.

use crate::ad::Field;
use crate::lang::Lang;
use crate::normalize::Normalized;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A salary named in an ad.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Salary {
    /// Lower amount, in `currency` per `period`.
    pub min: f64,
    /// Upper amount (equal to `min` for a single amount).
    pub max: f64,
    /// ISO 4217 code (`USDT` for Tether).
    pub currency: String,
    /// `hour`, `day`, `week`, `month` or `year` (`month` when the ad does not say).
    pub period: String,
    /// The midpoint in US dollars per month (rates of `rules/data/rates.toml`), when the
    /// currency is in the table.
    pub usd_month: Option<f64>,
    /// The field it is in.
    pub field: Field,
    /// Byte range in the original field text.
    pub span: [usize; 2],
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RatesFile {
    #[allow(dead_code)]
    date: String,
    per_usd: HashMap<String, f64>,
    #[serde(default)]
    entry_level_usd_month: HashMap<String, f64>,
}

#[derive(Debug)]
pub(crate) struct SalaryFinder {
    amount: Regex,
    rates: HashMap<String, f64>,
    norms: HashMap<String, f64>,
}

/// Currency words and symbols (after normalisation) → ISO code.
const CURRENCIES: &[(&str, &str)] = &[
    ("usdt", "USDT"),
    ("us$", "USD"),
    ("usd", "USD"),
    ("$", "USD"),
    ("đô", "USD"),
    ("do la", "USD"),
    ("dollars", "USD"),
    ("dollar", "USD"),
    ("人民币", "CNY"),
    ("rmb", "CNY"),
    ("cny", "CNY"),
    ("元", "CNY"),
    ("块", "CNY"),
    ("¥", "CNY"),
    ("บาท", "THB"),
    ("thb", "THB"),
    ("฿", "THB"),
    ("vnd", "VND"),
    ("đồng", "VND"),
    ("đ", "VND"),
    ("rupiah", "IDR"),
    ("idr", "IDR"),
    ("rp", "IDR"),
    ("peso", "PHP"),
    ("php", "PHP"),
    ("₱", "PHP"),
    ("rm", "MYR"),
    ("myr", "MYR"),
    ("ringgit", "MYR"),
    ("s$", "SGD"),
    ("sgd", "SGD"),
    ("nt$", "TWD"),
    ("ntd", "TWD"),
    ("新台币", "TWD"),
    ("台币", "TWD"),
    ("hk$", "HKD"),
    ("港币", "HKD"),
    ("円", "JPY"),
    ("日元", "JPY"),
    ("เยน", "JPY"),
    ("yen", "JPY"),
    ("jpy", "JPY"),
    ("韩元", "KRW"),
    ("วอน", "KRW"),
    ("won", "KRW"),
    ("krw", "KRW"),
    ("₩", "KRW"),
    ("hkd", "HKD"),
    ("₹", "INR"),
    ("inr", "INR"),
    ("rs", "INR"),
    ("ksh", "KES"),
    ("kes", "KES"),
    ("aed", "AED"),
    ("€", "EUR"),
    ("eur", "EUR"),
    ("£", "GBP"),
];

const SALARY_WORDS: &[&str] = &[
    "月薪",
    "薪资",
    "薪水",
    "工资",
    "底薪",
    "日薪",
    "待遇",
    "收入",
    "月入",
    "年薪",
    "gaji",
    "upah",
    "lương",
    "luong",
    "thu nhập",
    "thu nhap",
    "เงินเดือน",
    "รายได้",
    "ค่าจ้าง",
    "salary",
    "pay",
    "income",
    "earn",
    "wage",
];

impl SalaryFinder {
    pub fn new(rates_toml: &str) -> Result<SalaryFinder, String> {
        let rates: RatesFile =
            toml::from_str(rates_toml).map_err(|e| format!("rates table: {e}"))?;
        // amount [multiplier] [- amount [multiplier]]
        let number = r"(\d{1,3}(?:[,.]\d{3})+|\d+(?:[.,]\d+)?)";
        let multiplier = r"(万|w|k|千|triệu|trieu|tr|củ|cu|juta|jt|ribu|rb|หมื่น|พัน|แสน|lakhs?|lpa)?";
        let pattern = format!(
            r"{number} ?{multiplier}(?: ?(?:-|~|–|至|到|đến|sampai|ถึง|to) ?{number} ?{multiplier})?"
        );
        Ok(SalaryFinder {
            amount: Regex::new(&pattern).map_err(|e| e.to_string())?,
            rates: rates.per_usd,
            norms: rates.entry_level_usd_month,
        })
    }

    /// The entry-level monthly pay in USD for applicants writing in `lang`.
    pub fn norm(&self, lang: Lang) -> Option<f64> {
        self.norms.get(lang.code()).copied()
    }

    pub fn find(&self, field: Field, normalized: &Normalized, lang: Lang, out: &mut Vec<Salary>) {
        let text = normalized.as_str();
        for c in self.amount.captures_iter(text) {
            let whole = c.get(0).map_or(0..0, |m| m.range());
            let before = window_before(text, whole.start, 12);
            let after = window_after(text, whole.end, 10);
            let currency = currency_near(before, after);
            let has_salary_word = SALARY_WORDS
                .iter()
                .any(|w| window_before(text, whole.start, 24).contains(w));
            let explicit_multiplier = c.get(2).is_some() || c.get(4).is_some();
            let Some(currency) = currency.or_else(|| {
                (has_salary_word
                    || explicit_multiplier
                        && matches!(lang, Lang::Vi | Lang::Id | Lang::Th | Lang::Zh))
                .then(|| default_currency(lang))
                .flatten()
            }) else {
                continue;
            };
            let lang_hint = lang;
            let Some(low) = amount(
                c.get(1).map_or("", |m| m.as_str()),
                c.get(2)
                    .map(|m| m.as_str())
                    .or(c.get(4).map(|m| m.as_str())),
                lang_hint,
            ) else {
                continue;
            };
            let high = match c.get(3) {
                Some(m) => amount(
                    m.as_str(),
                    c.get(4)
                        .map(|m| m.as_str())
                        .or(c.get(2).map(|m| m.as_str())),
                    lang_hint,
                ),
                None => Some(low),
            };
            let Some(high) = high else { continue };
            let (min, max) = if high >= low {
                (low, high)
            } else {
                (high, low)
            };
            // Years, counts and phone fragments are not salaries.
            if max < 10.0 || (currency == "USD" && !explicit_multiplier && max < 100.0) {
                continue;
            }
            let period = period_near(after, before);
            let per_month = match period {
                "hour" => 208.0,
                "day" => 26.0,
                "week" => 4.33,
                "year" => 1.0 / 12.0,
                _ => 1.0,
            };
            let usd_month = self
                .rates
                .get(currency)
                .map(|rate| ((min + max) / 2.0 / rate * per_month * 100.0).round() / 100.0);
            let (start, end) = normalized.original_range(whole.start, whole.end);
            out.push(Salary {
                min,
                max,
                currency: currency.to_string(),
                period: period.to_string(),
                usd_month,
                field,
                span: [start, end],
            });
        }
    }
}

fn window_before(text: &str, at: usize, chars: usize) -> &str {
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(chars.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &text[start..at]
}

fn window_after(text: &str, at: usize, chars: usize) -> &str {
    let end = text[at..]
        .char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| at + i);
    &text[at..end]
}

fn currency_near(before: &str, after: &str) -> Option<&'static str> {
    let after = after.trim_start();
    let before = before.trim_end();
    for &(word, code) in CURRENCIES {
        if after.starts_with(word) || before.ends_with(word) {
            // "rs"/"rp"/"rm" must stand alone, not end a word.
            if word.len() <= 2 && word.is_ascii() && before.ends_with(word) {
                let prefix = &before[..before.len() - word.len()];
                if prefix
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
                {
                    continue;
                }
            }
            return Some(code);
        }
    }
    None
}

fn default_currency(lang: Lang) -> Option<&'static str> {
    match lang {
        Lang::Zh => Some("CNY"),
        Lang::Th => Some("THB"),
        Lang::Vi => Some("VND"),
        Lang::Id => Some("IDR"),
        Lang::En => Some("USD"),
        Lang::Other => None,
    }
}

fn period_near(after: &str, before: &str) -> &'static str {
    let has = |words: &[&str]| {
        words
            .iter()
            .any(|w| after.contains(w) || before.contains(w))
    };
    if has(&["/h", "hour", "hr", "jam", "giờ", "ชั่วโมง", "时薪", "小时"]) {
        "hour"
    } else if has(&[
        "/day",
        "a day",
        "per day",
        "daily",
        "日薪",
        "/天",
        "每天",
        "一天",
        "hari",
        "ngày",
        "วันละ",
        "ต่อวัน",
        "/วัน",
    ]) {
        "day"
    } else if has(&["week", "minggu", "tuần", "สัปดาห์", "周薪"]) {
        "week"
    } else if has(&["year", "annum", "年薪", "/年", "tahun", "năm", "ต่อปี", "lpa"]) {
        "year"
    } else {
        "month"
    }
}

/// A number with its multiplier; `,` and `.` as thousands separators when followed by
/// three digits, else as the decimal point.
fn amount(number: &str, multiplier: Option<&str>, _lang: Lang) -> Option<f64> {
    let groups: Vec<&str> = number.split([',', '.']).collect();
    let value: f64 =
        if groups.len() > 1 && groups[1..].iter().all(|g| g.len() == 3) && multiplier.is_none() {
            groups.concat().parse().ok()?
        } else {
            number.replace(',', ".").parse().ok()?
        };
    let factor = match multiplier.unwrap_or("") {
        "万" | "w" | "หมื่น" => 10_000.0,
        "k" | "千" | "พัน" | "ribu" | "rb" => 1_000.0,
        "triệu" | "trieu" | "tr" | "củ" | "cu" | "juta" | "jt" => 1_000_000.0,
        "แสน" | "lakh" | "lakhs" | "lpa" => 100_000.0,
        _ => 1.0,
    };
    Some(value * factor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    /// min, max, currency, period.
    type Expected = (f64, f64, &'static str, &'static str);

    #[test]
    fn salaries_per_language() {
        let finder = SalaryFinder::new(crate::extract::EMBEDDED_RATES).unwrap();
        let cases: &[(&str, Lang, &[Expected])] = &[
            (
                "月薪1.5万，包吃住",
                Lang::Zh,
                &[(15_000.0, 15_000.0, "CNY", "month")],
            ),
            (
                "底薪8K-12K",
                Lang::Zh,
                &[(8_000.0, 12_000.0, "CNY", "month")],
            ),
            (
                "月入２w+ 日结",
                Lang::Zh,
                &[(20_000.0, 20_000.0, "CNY", "month")],
            ),
            (
                "เงินเดือน 28,000 บาท",
                Lang::Th,
                &[(28_000.0, 28_000.0, "THB", "month")],
            ),
            (
                "รายได้ 3หมื่น ต่อเดือน",
                Lang::Th,
                &[(30_000.0, 30_000.0, "THB", "month")],
            ),
            (
                "Lương 15tr - 20tr/tháng",
                Lang::Vi,
                &[(15_000_000.0, 20_000_000.0, "VND", "month")],
            ),
            (
                "luong 15 trieu",
                Lang::Vi,
                &[(15_000_000.0, 15_000_000.0, "VND", "month")],
            ),
            (
                "Gaji Rp 15.000.000",
                Lang::Id,
                &[(15_000_000.0, 15_000_000.0, "IDR", "month")],
            ),
            (
                "gaji 15jt/bulan",
                Lang::Id,
                &[(15_000_000.0, 15_000_000.0, "IDR", "month")],
            ),
            (
                "Salary $1,500 per month",
                Lang::En,
                &[(1_500.0, 1_500.0, "USD", "month")],
            ),
            (
                "earn 1000$ + bonus",
                Lang::En,
                &[(1_000.0, 1_000.0, "USD", "month")],
            ),
            (
                "pay 1.000 USD",
                Lang::En,
                &[(1_000.0, 1_000.0, "USD", "month")],
            ),
            ("₱800 a day", Lang::En, &[(800.0, 800.0, "PHP", "day")]),
            (
                "時薪 1,100 円",
                Lang::Zh,
                &[(1_100.0, 1_100.0, "JPY", "hour")],
            ),
            ("Call 2024 and room 12", Lang::En, &[]),
        ];
        for (text, lang, expected) in cases {
            let normalized = normalize(text);
            let mut found = Vec::new();
            finder.find(Field::Text, &normalized, *lang, &mut found);
            let got: Vec<(f64, f64, &str, &str)> = found
                .iter()
                .map(|s| (s.min, s.max, s.currency.as_str(), s.period.as_str()))
                .collect();
            assert_eq!(&got, expected, "{text}");
        }
    }

    #[test]
    fn usd_month_uses_the_rate_table() {
        let finder = SalaryFinder::new("date = \"x\"\n[per_usd]\nCNY = 8.0\n").unwrap();
        let normalized = normalize("月薪8000元");
        let mut found = Vec::new();
        finder.find(Field::Text, &normalized, Lang::Zh, &mut found);
        assert_eq!(found[0].usd_month, Some(1000.0));
    }
}
