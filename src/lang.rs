//! Language identification for one ad: `zh`, `th`, `vi`, `id`, `en` or `other`.
//!
//! Scripts decide first, weighted so that a Chinese ad with a few English words stays `zh`
//! and an English ad that names 西港 stays `en`: a Han character counts as about two thirds
//! of a word, three Thai characters as a word. Latin text is Vietnamese when it carries
//! Vietnamese letters (or, without diacritics, Vietnamese function words); Indonesian and
//! English are told apart by function words, then by `whatlang` restricted to the
//! candidates. `../shared/research/crates.md` measured this approach at 0.97–1.0 per
//! language on real ads, where general detectors scored 0.4–0.7 on Vietnamese.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

/// The language of an ad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Chinese, Simplified or Traditional.
    Zh,
    /// Thai.
    Th,
    /// Vietnamese.
    Vi,
    /// Indonesian.
    Id,
    /// English.
    En,
    /// Anything else.
    Other,
}

impl Lang {
    /// All languages, in a fixed order.
    pub const ALL: [Lang; 6] = [
        Lang::Zh,
        Lang::Th,
        Lang::Vi,
        Lang::Id,
        Lang::En,
        Lang::Other,
    ];

    /// The code used in output and rule files (`"zh"`, `"th"`, ...).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::Th => "th",
            Lang::Vi => "vi",
            Lang::Id => "id",
            Lang::En => "en",
            Lang::Other => "other",
        }
    }

    /// Reads a language tag such as `zh`, `zh-TW`, `tha` or `in`; `None` if it is empty.
    /// Tags of languages lure does not read give [`Lang::Other`].
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim();
        if tag.is_empty() {
            return None;
        }
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or(tag)
            .to_ascii_lowercase();
        Some(match primary.as_str() {
            "zh" | "zho" | "chi" | "cmn" | "yue" => Lang::Zh,
            "th" | "tha" => Lang::Th,
            "vi" | "vie" => Lang::Vi,
            "id" | "ind" | "in" => Lang::Id,
            "en" | "eng" => Lang::En,
            _ => Lang::Other,
        })
    }

    pub(crate) fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

const INDONESIAN_WORDS: &[&str] = &[
    "yang",
    "dan",
    "di",
    "ke",
    "dari",
    "untuk",
    "dengan",
    "ini",
    "itu",
    "tidak",
    "ada",
    "kami",
    "anda",
    "kerja",
    "gaji",
    "lowongan",
    "loker",
    "bisa",
    "akan",
    "juga",
    "atau",
    "pengalaman",
    "tanpa",
    "bulan",
    "hari",
    "sebagai",
    "dibutuhkan",
    "dicari",
    "segera",
    "hubungi",
    "usia",
    "tahun",
    "pria",
    "wanita",
    "lamaran",
    "perusahaan",
    "karyawan",
    "kirim",
    "minat",
    "butuh",
];
const ENGLISH_WORDS: &[&str] = &[
    "the",
    "and",
    "to",
    "of",
    "for",
    "with",
    "we",
    "you",
    "your",
    "are",
    "is",
    "in",
    "on",
    "our",
    "job",
    "work",
    "salary",
    "experience",
    "hiring",
    "apply",
    "will",
    "be",
    "this",
    "month",
    "free",
    "contact",
    "team",
    "company",
    "year",
    "required",
    "must",
    "have",
    "an",
    "at",
];
const VIETNAMESE_PLAIN_WORDS: &[&str] = &[
    "tuyen", "luong", "viec", "nhan", "vien", "khong", "duoc", "nguoi", "trieu", "lam", "cua",
    "cac", "nhung", "mot", "tai", "ngay", "thang", "cong", "hang", "lien", "he", "nhe",
];

/// Detects the language of normalised text (see the module docs).
pub fn detect(normalized: &str) -> Lang {
    let mut han = 0usize;
    let mut thai = 0usize;
    let mut other_script = 0usize;
    let mut vietnamese_letters = 0usize;
    let mut latin_letters = 0usize;
    for c in normalized.chars() {
        if crate::normalize::is_han(c) {
            han += 1;
        } else if ('\u{0E00}'..='\u{0E7F}').contains(&c) {
            thai += 1;
        } else if c.is_ascii_alphabetic() {
            latin_letters += 1;
        } else if is_vietnamese_letter(c) {
            vietnamese_letters += 1;
            latin_letters += 1;
        } else if ('\u{00C0}'..='\u{024F}').contains(&c) {
            latin_letters += 1;
        } else if c.is_alphabetic() {
            other_script += 1;
        }
    }
    let words: Vec<&str> = normalized
        .split(|c: char| !crate::normalize::is_word_char(c))
        .filter(|w| {
            w.chars()
                .any(|c| c.is_ascii_alphabetic() || is_vietnamese_letter(c))
        })
        .collect();
    let latin_words = words.len() as f64;
    let han_weight = han as f64 / 1.5;
    let thai_weight = thai as f64 / 3.0;
    let other_weight = other_script as f64 / 2.0;
    let best = latin_words
        .max(han_weight)
        .max(thai_weight)
        .max(other_weight);
    if best == 0.0 {
        return Lang::Other;
    }
    if han_weight == best {
        return Lang::Zh;
    }
    if thai_weight == best {
        return Lang::Th;
    }
    if other_weight == best && latin_words < best {
        return Lang::Other;
    }
    if vietnamese_letters >= 2 && vietnamese_letters * 25 >= latin_letters {
        return Lang::Vi;
    }
    let lists = word_lists();
    let count = |list: &HashSet<&str>| words.iter().filter(|w| list.contains(*w)).count();
    let (id, en, vi) = (count(&lists[0]), count(&lists[1]), count(&lists[2]));
    if vi >= 3 && vi > id && vi > en {
        return Lang::Vi;
    }
    if id > en {
        return Lang::Id;
    }
    if en > id {
        return Lang::En;
    }
    use whatlang::Lang as W;
    let candidates = vec![
        W::Eng,
        W::Ind,
        W::Vie,
        W::Spa,
        W::Por,
        W::Fra,
        W::Deu,
        W::Ita,
        W::Nld,
        W::Tgl,
    ];
    match whatlang::Detector::with_allowlist(candidates).detect_lang(normalized) {
        Some(W::Ind) => Lang::Id,
        Some(W::Vie) => Lang::Vi,
        Some(W::Eng) | None => Lang::En,
        Some(_) => Lang::Other,
    }
}

/// The Indonesian, English and plain-Vietnamese word lists as sets.
fn word_lists() -> &'static [HashSet<&'static str>; 3] {
    static LISTS: OnceLock<[HashSet<&'static str>; 3]> = OnceLock::new();
    LISTS.get_or_init(|| {
        [
            INDONESIAN_WORDS.iter().copied().collect(),
            ENGLISH_WORDS.iter().copied().collect(),
            VIETNAMESE_PLAIN_WORDS.iter().copied().collect(),
        ]
    })
}

fn is_vietnamese_letter(c: char) -> bool {
    matches!(
        c,
        'ă' | 'â' | 'đ' | 'ê' | 'ô' | 'ơ' | 'ư' | '\u{1EA0}'..='\u{1EF9}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    #[test]
    fn detects_short_and_mixed_ads() {
        let cases = [
            ("高薪招聘客服，包吃包住", Lang::Zh),
            ("高薪誠聘客服人員", Lang::Zh),
            ("招聘打字员 contact Telegram @job_hr88 月薪两万", Lang::Zh),
            ("รับสมัครแอดมิน ทำงานออนไลน์", Lang::Th),
            ("รับสมัครแอดมิน online marketing ติดต่อ line", Lang::Th),
            ("Tuyển gấp nhân viên", Lang::Vi),
            ("tuyen nhan vien lam viec nhe luong cao", Lang::Vi),
            ("Lowongan kerja admin gaji 15jt", Lang::Id),
            ("Dicari operator untuk kerja di Kamboja", Lang::Id),
            (
                "Hiring customer service staff, no experience needed",
                Lang::En,
            ),
            (
                "Job in Sihanoukville 西港, free flight and visa, contact us on Telegram",
                Lang::En,
            ),
            ("カスタマーサポート募集", Lang::Other),
            ("", Lang::Other),
        ];
        for (text, expected) in cases {
            assert_eq!(detect(normalize(text).as_str()), expected, "{text}");
        }
    }

    #[test]
    fn reads_tags() {
        assert_eq!(Lang::from_tag("zh-TW"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("in"), Some(Lang::Id));
        assert_eq!(Lang::from_tag("ms"), Some(Lang::Other));
        assert_eq!(Lang::from_tag(" "), None);
    }
}
