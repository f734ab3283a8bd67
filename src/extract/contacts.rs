//! Contacts: Telegram, WhatsApp, LINE, WeChat and Zalo handles, links and numbers, phone
//! numbers (parsed and validated with the `phonenumber` crate into E.164), e-mail and URLs.
//! The messenger slang counts: 飞机 / 纸飞机 / 电报 / TG for Telegram; V / VX / 微 / 薇信 /
//! 威信 / 卫星 for WeChat; ไลน์ / ไอดีไลน์ for LINE.

use crate::ad::Field;
use crate::lang::Lang;
use crate::normalize::Normalized;
use regex::Regex;
use serde::{Deserialize, Serialize};

/// What kind of contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContactKind {
    /// Telegram handle or t.me link (value `@handle`).
    Telegram,
    /// WhatsApp number or wa.me link (value E.164).
    Whatsapp,
    /// LINE ID or line.me link.
    Line,
    /// WeChat ID.
    Wechat,
    /// Zalo number (value E.164).
    Zalo,
    /// Any other phone number (value E.164).
    Phone,
    /// E-mail address.
    Email,
    /// Web address (value: host).
    Url,
    /// Anything else.
    Other,
}

impl ContactKind {
    /// The name used in output: `telegram`, `whatsapp`, `line`, `wechat`, `zalo`, `phone`,
    /// `email`, `url` or `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            ContactKind::Telegram => "telegram",
            ContactKind::Whatsapp => "whatsapp",
            ContactKind::Line => "line",
            ContactKind::Wechat => "wechat",
            ContactKind::Zalo => "zalo",
            ContactKind::Phone => "phone",
            ContactKind::Email => "email",
            ContactKind::Url => "url",
            ContactKind::Other => "other",
        }
    }
}

/// A contact named in an ad.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    /// Telegram, WhatsApp, ..., phone, email, url.
    pub kind: ContactKind,
    /// Normalised value: `@handle`, E.164 number, lower-case ID, e-mail or host.
    pub value: String,
    /// ISO country of a phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The field it is in.
    pub field: Field,
    /// Byte range in the original field text.
    pub span: [usize; 2],
}

#[derive(Debug)]
pub(crate) struct ContactFinder {
    links: Regex,
    email: Regex,
    url: Regex,
    telegram: Regex,
    wechat: Regex,
    line: Regex,
    messenger_number: Regex,
    phone: Regex,
}

const NUMBER: &str = r"\+?\d[\d ().-]{6,20}\d";

impl ContactFinder {
    pub fn new() -> ContactFinder {
        let build = |pattern: &str| {
            Regex::new(pattern).unwrap_or_else(|e| panic!("built-in contact regex: {e}"))
        };
        ContactFinder {
            links: build(
                r"(?:https?://)?(?:www\.)?(t\.me|telegram\.me|wa\.me|line\.me/ti/p|line\.me/r/ti/p|zalo\.me)/[~@+]?([a-z0-9_.\-]{2,40})",
            ),
            email: build(r"[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}"),
            url: build(r#"(?:https?://|www\.)([a-z0-9-]+(?:\.[a-z0-9-]+)+)[^\s<>"'，。、）)]*"#),
            telegram: build(
                r"(?:telegram|tele|tg|tlg|纸飞机|飞机|电报|เทเลแกรม|เทเล|✈)(?:[^@:：\n]{0,12}?@|\s*(?:id|号|账号)?\s*[:：]\s*@?)([a-z][a-z0-9_]{3,31})",
            ),
            wechat: build(
                r"(?:(?:微信号?|薇信|威信|卫星|徽信|维信|v信|加v|加微)\s*[:：]?\s*|(?:wechat|weixin|vx|wx)\s*(?:id)?\s*[:：]\s*)([a-z][a-z0-9_-]{5,19})",
            ),
            line: build(
                r"(?:ไอดีไลน์|ไลน์\s*(?:id)?|line\s*(?:id)?|加賴|加赖)(?:\s*[:：]\s*@?|\s*@)([a-z0-9][a-z0-9._-]{2,19})",
            ),
            messenger_number: build(&format!(
                r"(whatsapp|whats app|wa|wsp|zalo|viber)\s*[:：]?\s*({NUMBER})"
            )),
            phone: build(NUMBER),
        }
    }

    pub fn find(
        &self,
        field: Field,
        _original: &str,
        normalized: &Normalized,
        lang: Lang,
        out: &mut Vec<Contact>,
    ) {
        let text = normalized.as_str();
        let mut taken: Vec<(usize, usize)> = Vec::new();
        let mut push = |kind: ContactKind,
                        value: String,
                        country: Option<String>,
                        range: (usize, usize),
                        taken: &mut Vec<(usize, usize)>| {
            taken.push(range);
            if out.iter().any(|c| c.kind == kind && c.value == value) {
                return;
            }
            let (start, end) = normalized.original_range(range.0, range.1);
            out.push(Contact {
                kind,
                value,
                country,
                field,
                span: [start, end],
            });
        };
        let overlaps = |taken: &[(usize, usize)], s: usize, e: usize| {
            taken.iter().any(|&(a, b)| s < b && a < e)
        };

        for c in self.links.captures_iter(text) {
            let whole = c.get(0).map_or((0, 0), |m| (m.start(), m.end()));
            let host = c.get(1).map_or("", |m| m.as_str());
            let id = c
                .get(2)
                .map_or("", |m| m.as_str())
                .trim_end_matches(['.', '-']);
            match host {
                "t.me" | "telegram.me" => push(
                    ContactKind::Telegram,
                    format!("@{id}"),
                    None,
                    whole,
                    &mut taken,
                ),
                "wa.me" | "zalo.me" => {
                    let kind = if host == "wa.me" {
                        ContactKind::Whatsapp
                    } else {
                        ContactKind::Zalo
                    };
                    match parse_phone(id, lang) {
                        Some((e164, country)) => push(kind, e164, Some(country), whole, &mut taken),
                        None => push(kind, id.to_string(), None, whole, &mut taken),
                    }
                }
                _ => push(
                    ContactKind::Line,
                    id.trim_start_matches(['~', '@']).to_string(),
                    None,
                    whole,
                    &mut taken,
                ),
            }
        }
        for m in self.email.find_iter(text) {
            if !overlaps(&taken, m.start(), m.end()) {
                push(
                    ContactKind::Email,
                    m.as_str().to_string(),
                    None,
                    (m.start(), m.end()),
                    &mut taken,
                );
            }
        }
        for c in self.url.captures_iter(text) {
            let m = c.get(0).map_or((0, 0), |m| (m.start(), m.end()));
            if !overlaps(&taken, m.0, m.1) {
                let host = c
                    .get(1)
                    .map_or("", |h| h.as_str())
                    .trim_start_matches("www.")
                    .to_string();
                push(ContactKind::Url, host, None, m, &mut taken);
            }
        }
        for (regex, kind) in [
            (&self.telegram, ContactKind::Telegram),
            (&self.wechat, ContactKind::Wechat),
            (&self.line, ContactKind::Line),
        ] {
            for c in regex.captures_iter(text) {
                let (Some(whole), Some(id)) = (c.get(0), c.get(1)) else {
                    continue;
                };
                if overlaps(&taken, whole.start(), whole.end()) {
                    continue;
                }
                // ไลน์ is also the end of ออนไลน์ ("online").
                if kind == ContactKind::Line && text[..whole.start()].ends_with("ออน") {
                    continue;
                }
                let value = if kind == ContactKind::Telegram {
                    format!("@{}", id.as_str())
                } else {
                    id.as_str().to_string()
                };
                push(kind, value, None, (whole.start(), whole.end()), &mut taken);
            }
        }
        for c in self.messenger_number.captures_iter(text) {
            let (Some(whole), Some(app), Some(number)) = (c.get(0), c.get(1), c.get(2)) else {
                continue;
            };
            if overlaps(&taken, whole.start(), whole.end()) {
                continue;
            }
            let kind = match app.as_str() {
                "zalo" => ContactKind::Zalo,
                "viber" => ContactKind::Other,
                _ => ContactKind::Whatsapp,
            };
            // A number given as a messenger contact is kept even when the phone metadata
            // does not know it (made-up or new ranges): then as its digits, no country.
            let (value, country) = match parse_phone(number.as_str(), lang) {
                Some((e164, country)) => (e164, Some(country)),
                None => (
                    number
                        .as_str()
                        .chars()
                        .filter(|c| c.is_ascii_digit() || *c == '+')
                        .collect(),
                    None,
                ),
            };
            push(
                kind,
                value,
                country,
                (whole.start(), whole.end()),
                &mut taken,
            );
        }
        for m in self.phone.find_iter(text) {
            if overlaps(&taken, m.start(), m.end()) {
                continue;
            }
            let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
            let plausible = m.as_str().starts_with('+')
                || digits.starts_with('0')
                || (lang == Lang::Zh && digits.len() == 11 && digits.starts_with('1'));
            if !plausible {
                continue;
            }
            if let Some((e164, country)) = parse_phone(m.as_str(), lang) {
                push(
                    ContactKind::Phone,
                    e164,
                    Some(country),
                    (m.start(), m.end()),
                    &mut taken,
                );
            }
        }
    }
}

/// Compiled metadata patterns `phonenumber` keeps. Its default of 100 is smaller than the
/// patterns of the handful of countries lure sees, so it recompiled them over and over
/// (~10 % of scan time); each compiled pattern costs ~100 KB, so 2,000 cost 100 MB more
/// peak memory. Measured on 40,000 synthetic ads, `--jobs 1`: 100 → 13.1 s, 125 MB;
/// 300 → 11.9 s, 156 MB; 2,000 → 9.9 s, 226 MB.
const PHONE_PATTERN_CACHE: usize = 300;

/// `phonenumber::is_valid`, after making room for the patterns in its regex cache.
fn is_valid_phone(number: &phonenumber::PhoneNumber) -> bool {
    static CACHE_SIZED: std::sync::Once = std::sync::Once::new();
    CACHE_SIZED.call_once(|| {
        if let Ok(mut cache) = phonenumber::metadata::DATABASE.cache().lock() {
            cache.set_capacity(PHONE_PATTERN_CACHE);
        }
    });
    phonenumber::is_valid(number)
}

/// E.164 and ISO country of a valid phone number, or `None`.
type ParsedPhone = Option<(String, String)>;

/// Parses and validates a phone number; a national number is read with the country of
/// the ad's language. Returns E.164 and the ISO country.
fn parse_phone(raw: &str, lang: Lang) -> ParsedPhone {
    let digits: String = raw
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    // Validation runs the metadata patterns of the candidate countries (~20 µs); reposts
    // of one campaign repeat their numbers, so each thread remembers recent answers.
    thread_local! {
        static RECENT: std::cell::RefCell<std::collections::HashMap<(String, Lang), ParsedPhone>> =
            Default::default();
    }
    const RECENT_MAX: usize = 4_096;
    let key = (digits, lang);
    if let Some(known) = RECENT.with(|r| r.borrow().get(&key).cloned()) {
        return known;
    }
    let parsed = parse_phone_digits(&key.0, lang);
    RECENT.with(|r| {
        let mut recent = r.borrow_mut();
        if recent.len() >= RECENT_MAX {
            recent.clear();
        }
        recent.insert(key, parsed.clone());
    });
    parsed
}

/// [`parse_phone`] on the digits (and `+`) of the raw text, without the memory of recent
/// answers.
fn parse_phone_digits(digits: &str, lang: Lang) -> ParsedPhone {
    use phonenumber::country::Id;
    let digits = digits.to_string();
    let digits = match digits.strip_prefix("00") {
        Some(rest) => format!("+{rest}"),
        None => digits,
    };
    let digits_only = digits.trim_start_matches('+');
    if !(8..=15).contains(&digits_only.len()) {
        return None;
    }
    let region = match lang {
        Lang::Zh => Some(Id::CN),
        Lang::Th => Some(Id::TH),
        Lang::Vi => Some(Id::VN),
        Lang::Id => Some(Id::ID),
        Lang::En | Lang::Other => None,
    };
    // A number without + that is not national in the ad's country may still be
    // international without its plus (855..., 95..., 856...).
    let as_written = phonenumber::parse(
        if digits.starts_with('+') {
            None
        } else {
            region
        },
        &digits,
    )
    .ok()
    .filter(is_valid_phone);
    let number = match as_written {
        Some(number) => number,
        None if !digits.starts_with('+') => phonenumber::parse(None, format!("+{digits}"))
            .ok()
            .filter(is_valid_phone)?,
        None => return None,
    };
    let country = number.country().id().map(|id| id.as_ref().to_string())?;
    let e164 = number.format().mode(phonenumber::Mode::E164).to_string();
    Some((e164, country))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    struct Case {
        text: &'static str,
        lang: Lang,
        expected: &'static [(ContactKind, &'static str, Option<&'static str>)],
    }

    #[test]
    fn kind_names_match_the_output_schema() {
        use ContactKind::*;
        for kind in [
            Telegram, Whatsapp, Line, Wechat, Zalo, Phone, Email, Url, Other,
        ] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }

    #[test]
    fn contacts_per_language_and_evasion() {
        use ContactKind::*;
        let cases = [
            Case {
                text: "纸飞机联系 @kh_hr_000，或者加微信：abc12345",
                lang: Lang::Zh,
                expected: &[(Telegram, "@kh_hr_000", None), (Wechat, "abc12345", None)],
            },
            Case {
                text: "飛機：＠ｊｏｂ＿ｈｒ８８ 薇信 hr_job_66",
                lang: Lang::Zh,
                expected: &[(Telegram, "@job_hr88", None), (Wechat, "hr_job_66", None)],
            },
            Case {
                text: "ติดต่อ ไอดีไลน์ : @job_th99 โทร 081-000-1234",
                lang: Lang::Th,
                expected: &[
                    (Line, "job_th99", None),
                    (Phone, "+66810001234", Some("TH")),
                ],
            },
            Case {
                text: "งานออนไลน์ abc ไม่ใช่ไอดี",
                lang: Lang::Th,
                expected: &[],
            },
            Case {
                text: "Liên hệ Zalo: 0912 000 345 hoặc t.me/vieclam_kh",
                lang: Lang::Vi,
                expected: &[
                    (Telegram, "@vieclam_kh", None),
                    (Zalo, "+84912000345", Some("VN")),
                ],
            },
            Case {
                text: "Hubungi WA ⓪⑧①②-⓪⓪⓪⓪-③④⑤⑥ sekarang",
                lang: Lang::Id,
                expected: &[(Whatsapp, "+6281200003456", Some("ID"))],
            },
            Case {
                text: "Apply: Т e l e g r a m @hr_sky_2041, wa.me/855120001234",
                lang: Lang::En,
                expected: &[
                    (Whatsapp, "+855120001234", Some("KH")),
                    (Telegram, "@hr_sky_2041", None),
                ],
            },
            Case {
                text: "Call +855 12 000\n111 or email hr@example-jobs.com, see https://www.example-jobs.com/apply",
                lang: Lang::En,
                expected: &[
                    (Email, "hr@example-jobs.com", None),
                    (Url, "example-jobs.com", None),
                    (Phone, "+85512000111", Some("KH")),
                ],
            },
            Case {
                text: "Salary 15000000 per month, 2024-2025 season",
                lang: Lang::Vi,
                expected: &[],
            },
        ];
        let finder = ContactFinder::new();
        for case in cases {
            let normalized = normalize(case.text);
            let mut found = Vec::new();
            finder.find(Field::Text, case.text, &normalized, case.lang, &mut found);
            let got: Vec<(ContactKind, &str, Option<&str>)> = found
                .iter()
                .map(|c| (c.kind, c.value.as_str(), c.country.as_deref()))
                .collect();
            assert_eq!(got, case.expected, "{}", case.text);
            for c in &found {
                assert!(
                    case.text.is_char_boundary(c.span[0]) && case.text.is_char_boundary(c.span[1])
                );
            }
        }
    }
}
