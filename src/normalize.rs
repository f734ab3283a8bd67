//! Text normalisation with an offset map back to the original bytes.
//!
//! Every field is normalised once, before matching, so that rules never have to spell out
//! evasions. The steps, in order:
//!
//! 1. zero-width and format characters are dropped;
//! 2. NFKC (full-width forms, circled digits, compatibility ideographs), except for Thai and
//!    Lao, whose NFKC decomposition of SARA AM would silently break analysts' patterns;
//! 3. lower case;
//! 4. look-alike letters (Cyrillic, Greek, mathematical, enclosed) are folded to Latin with
//!    `decancer`, but only outside the scripts lure reads (decancer mangles Thai, Chinese and
//!    Vietnamese otherwise);
//! 5. decimal digits of every script, dingbat circled digits and emoji keycaps become ASCII;
//! 6. white space runs collapse to one space;
//! 7. Traditional Chinese becomes Simplified (`fast2s`, character for character);
//! 8. spaces between Chinese characters are removed, and runs of three or more single
//!    letters separated by spaces or light punctuation are joined ("T e l e g r a m").
//!
//! Each byte of the normalised text remembers the byte range of the original text it came
//! from, so a match in normalised text maps back to a span of the original.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick, is_nfkc_quick};

/// Normalised text plus, for each of its bytes, the original byte range it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    text: String,
    origin_start: Vec<u32>,
    origin_end: Vec<u32>,
}

impl Normalized {
    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Maps a byte range of the normalised text to the byte range of the original text it
    /// came from. Both ends of the result fall on character boundaries of the original.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        if start >= end || end > self.text.len() {
            return (0, 0);
        }
        (
            self.origin_start[start] as usize,
            self.origin_end[end - 1] as usize,
        )
    }

    fn push(&mut self, c: char, origin: (u32, u32)) {
        let before = self.text.len();
        self.text.push(c);
        for _ in before..self.text.len() {
            self.origin_start.push(origin.0);
            self.origin_end.push(origin.1);
        }
    }

    fn push_str(&mut self, s: &str, origin: (u32, u32)) {
        for c in s.chars() {
            self.push(c, origin);
        }
    }

    fn truncate(&mut self, len: usize) {
        self.text.truncate(len);
        self.origin_start.truncate(len);
        self.origin_end.truncate(len);
    }

    fn origin_of(&self, byte: usize) -> (u32, u32) {
        (self.origin_start[byte], self.origin_end[byte])
    }

    fn ends_with_space_or_empty(&self) -> bool {
        self.text.is_empty() || self.text.ends_with(' ')
    }
}

/// Normalises `original` (see the module docs for the steps).
pub fn normalize(original: &str) -> Normalized {
    let mut out = Normalized {
        text: String::with_capacity(original.len()),
        origin_start: Vec::with_capacity(original.len()),
        origin_end: Vec::with_capacity(original.len()),
    };
    fold_characters(original, &mut out);
    if out.text.ends_with(' ') {
        out.text.pop();
        out.origin_start.pop();
        out.origin_end.pop();
    }
    if out.text.chars().any(is_han) {
        out = to_simplified(out);
    }
    join_spaced_letters(out)
}

/// Steps 1–6: one pass over the original, one segment (a starter and its combining marks)
/// at a time, so that NFKC composition stays inside a segment and offsets stay exact.
fn fold_characters(original: &str, out: &mut Normalized) {
    let mut chars = original.char_indices().peekable();
    let mut segment = String::new();
    while let Some((start, c)) = chars.next() {
        if is_ignorable(c) {
            continue;
        }
        let combining_follows = || {
            chars
                .clone()
                .map(|(_, next)| next)
                .find(|next| !is_ignorable(*next))
                .is_some_and(is_combining)
        };
        if c.is_ascii() && !combining_follows() {
            let origin = (start as u32, (start + 1) as u32);
            if c.is_ascii_whitespace() {
                push_space(out, origin);
            } else {
                out.push(c.to_ascii_lowercase(), origin);
            }
            continue;
        }
        // Unified Han ideographs (most of Chinese text) are their own NFKC form, lower
        // case and fold: nothing to do.
        // (When an invisible or combining character follows, the general path below keeps
        // it in the ideograph's original span.)
        let plain_next = chars
            .peek()
            .is_none_or(|&(_, next)| !is_ignorable(next) && !is_combining(next));
        if matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}') && plain_next {
            out.push(c, (start as u32, (start + c.len_utf8()) as u32));
            continue;
        }
        segment.clear();
        segment.push(c);
        let mut end = start + c.len_utf8();
        while let Some(&(i, next)) = chars.peek() {
            if is_combining(next) || is_ignorable(next) {
                if !is_ignorable(next) {
                    segment.push(next);
                }
                end = i + next.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let origin = (start as u32, end as u32);
        let folded_from = out.text.len();
        // Thai and Lao get NFC, not NFKC: NFKC decomposes SARA AM (ำ → ํา), which would
        // silently break analysts' patterns.
        let thai_or_lao = is_thai_or_lao(c);
        if thai_or_lao {
            for sc in segment.nfc() {
                fold_char(sc, out, origin);
            }
        } else if is_nfkc_quick(segment.chars()) == IsNormalized::Yes {
            for sc in segment.chars() {
                fold_char(sc, out, origin);
            }
        } else {
            for sc in segment.nfkc() {
                fold_char(sc, out, origin);
            }
        }
        // Folding can leave a letter and combining marks that compose or reorder
        // (Cyrillic "е" + U+0323 → "e" + U+0323 → "ẹ"; a Thai digit becomes ASCII):
        // compose again, so that normalising twice gives the same text.
        let folded = &out.text[folded_from..];
        let settled = if thai_or_lao {
            is_nfc_quick(folded.chars()) == IsNormalized::Yes
        } else {
            is_nfkc_quick(folded.chars()) == IsNormalized::Yes
        };
        if !settled {
            let composed: String = if thai_or_lao {
                folded.nfc().collect()
            } else {
                folded.nfkc().collect()
            };
            out.truncate(folded_from);
            out.push_str(&composed, origin);
        }
    }
}

fn push_space(out: &mut Normalized, origin: (u32, u32)) {
    if !out.ends_with_space_or_empty() {
        out.push(' ', origin);
    }
}

/// Steps 3–6 for one character that is already NFKC.
fn fold_char(c: char, out: &mut Normalized, origin: (u32, u32)) {
    if c.is_whitespace() {
        push_space(out, origin);
        return;
    }
    if let Some(digits) = ascii_digits(c) {
        out.push_str(digits, origin);
        return;
    }
    if is_ignorable(c) {
        return;
    }
    if needs_homoglyph_fold(c) {
        match decancer::cure_char(c, decancer::Options::default()) {
            decancer::Translation::Character(folded) => {
                for l in folded.to_lowercase() {
                    out.push(l, origin);
                }
            }
            decancer::Translation::String(folded) => {
                for l in folded.chars().flat_map(char::to_lowercase) {
                    if l.is_whitespace() {
                        push_space(out, origin);
                    } else {
                        out.push(l, origin);
                    }
                }
            }
            decancer::Translation::None => {}
        }
        return;
    }
    for l in c.to_lowercase() {
        // Lower case can leave the protected ranges (Ʃ → ʃ): fold that too, so that
        // normalising twice gives the same text (found by the normalise_and_match fuzzer).
        if needs_homoglyph_fold(l) {
            fold_char(l, out, origin);
        } else {
            out.push(l, origin);
        }
    }
}

/// Zero-width, format and variation characters, and the emoji keycap mark: invisible
/// characters that split keywords apart.
fn is_ignorable(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control() && !c.is_ascii_whitespace();
    }
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{20E3}'
        | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}'
        | '\u{FFA0}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}')
        || (c.is_control() && !c.is_whitespace())
}

fn is_combining(c: char) -> bool {
    // Nothing below U+0300 combines; most text is there.
    c >= '\u{0300}' && canonical_combining_class(c) != 0
}

fn is_thai_or_lao(c: char) -> bool {
    matches!(c, '\u{0E00}'..='\u{0EFF}')
}

/// True for Han ideographs (the characters Traditional → Simplified conversion touches).
/// `char::is_alphanumeric`, without the Unicode table lookup for ASCII, Han and Thai (the
/// bulk of the text lure reads).
pub(crate) fn is_word_char(c: char) -> bool {
    static THAI: std::sync::OnceLock<[bool; 128]> = std::sync::OnceLock::new();
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if is_han(c) {
        return true;
    }
    if let Some(offset) = (c as u32).checked_sub(0x0E00).filter(|&o| o < 128) {
        let table = THAI.get_or_init(|| {
            std::array::from_fn(|i| {
                char::from_u32(0x0E00 + i as u32).is_some_and(char::is_alphanumeric)
            })
        });
        return table[offset as usize];
    }
    c.is_alphanumeric()
}

pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}')
}

/// Characters outside the scripts lure reads: these may be look-alikes of Latin letters.
fn needs_homoglyph_fold(c: char) -> bool {
    !matches!(c,
        '\u{0000}'..='\u{024F}'          // ASCII, Latin-1, Latin Extended-A/B
        | '\u{0300}'..='\u{036F}'        // combining diacritics
        | '\u{0E00}'..='\u{0EFF}'        // Thai, Lao
        | '\u{1000}'..='\u{109F}'        // Myanmar
        | '\u{1100}'..='\u{11FF}'        // Hangul Jamo
        | '\u{1780}'..='\u{17FF}'        // Khmer
        | '\u{19E0}'..='\u{19FF}'        // Khmer symbols
        | '\u{1E00}'..='\u{1EFF}'        // Latin Extended Additional (Vietnamese)
        | '\u{2000}'..='\u{206F}'        // general punctuation
        | '\u{20A0}'..='\u{20CF}'        // currency symbols
        | '\u{2190}'..='\u{245F}'        // arrows, math operators, technical symbols
        | '\u{2500}'..='\u{2BFF}'        // box drawing, shapes, symbols, dingbats (✈ ☎)
        | '\u{2E80}'..='\u{A4CF}'        // CJK radicals, punctuation, kana, ideographs, Yi
        | '\u{AC00}'..='\u{D7AF}'        // Hangul syllables
        | '\u{F900}'..='\u{FAFF}'        // CJK compatibility ideographs
        | '\u{FE30}'..='\u{FE4F}'        // CJK compatibility forms
        | '\u{FF00}'..='\u{FFEF}'        // half/full-width forms
        | '\u{1F1E6}'..='\u{1F1FF}'      // regional indicators (flags)
        | '\u{1F300}'..='\u{1FAFF}'      // emoji
        | '\u{20000}'..='\u{3FFFF}') // CJK extensions
}

/// Decimal digits of other scripts, dingbat circled digits and digit emoji, as ASCII.
fn ascii_digits(c: char) -> Option<&'static str> {
    const DIGITS: [&str; 11] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];
    // First code point ("zero") of each block of ten decimal digits.
    const ZEROS: [u32; 30] = [
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0,
        0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA9D0, 0xA9F0,
    ];
    let cp = c as u32;
    if cp < 0x0660 {
        return None;
    }
    for zero in ZEROS {
        if (zero..zero + 10).contains(&cp) {
            return Some(DIGITS[(cp - zero) as usize]);
        }
    }
    let index = match cp {
        0x24EA | 0x24FF | 0x1F10B | 0x1F10C => 0, // ⓪ ⓿ 🄋 🄌
        0x2776..=0x277F => cp - 0x2776 + 1,       // ❶..❿
        0x2780..=0x2789 => cp - 0x2780 + 1,       // ➀..➉
        0x278A..=0x2793 => cp - 0x278A + 1,       // ➊..➓
        0x24F5..=0x24FE => cp - 0x24F5 + 1,       // ⓵..⓾
        0x1F51F => 10,                            // 🔟
        _ => return None,
    };
    Some(DIGITS[index as usize])
}

/// Step 7: Traditional → Simplified. `fast2s` maps character for character, so the offset
/// map carries over one character at a time.
fn to_simplified(input: Normalized) -> Normalized {
    let converted = fast2s::convert(&input.text);
    let mut out = Normalized {
        text: String::with_capacity(converted.len()),
        origin_start: Vec::with_capacity(converted.len()),
        origin_end: Vec::with_capacity(converted.len()),
    };
    let mut old = input.text.char_indices();
    for c in converted.chars() {
        match old.next() {
            Some((i, _)) => out.push(c, input.origin_of(i)),
            // fast2s is one-to-one; if that ever changed, keep the unconverted text.
            None => return input,
        }
    }
    out
}

/// Step 8: joins spaced-out letters and removes spaces between Chinese characters.
///
/// Works on clusters of one letter plus its combining marks rather than on UAX #29
/// graphemes: a spaced Thai vowel such as " ำ" forms one grapheme with the space before it.
fn join_spaced_letters(input: Normalized) -> Normalized {
    let mut clusters: Vec<(usize, usize)> = Vec::new();
    for (i, c) in input.text.char_indices() {
        match clusters.last_mut() {
            Some(last) if is_combining_mark(c) && !input.text[last.0..last.1].starts_with(' ') => {
                last.1 = i + c.len_utf8();
            }
            _ => clusters.push((i, i + c.len_utf8())),
        }
    }
    let text = input.text.as_str();
    let first_char = |i: usize| text[clusters[i].0..].chars().next().unwrap_or(' ');
    let is_separator = |i: usize| {
        clusters[i].1 - clusters[i].0 == first_char(i).len_utf8()
            && matches!(first_char(i), ' ' | '.' | '-' | '_' | '*' | '·' | '•' | '|')
    };
    // Separators first: most clusters are not between two, and the alphanumeric lookup
    // is the expensive part for non-ASCII text.
    let is_single = |i: usize| {
        (i == 0 || is_separator(i - 1))
            && (i + 1 == clusters.len() || is_separator(i + 1))
            && first_char(i).is_alphanumeric()
    };
    let between_han = |i: usize| {
        i > 0
            && i + 1 < clusters.len()
            && first_char(i) == ' '
            && is_han(first_char(i - 1))
            && is_han(first_char(i + 1))
    };
    let mut drop: Vec<bool> = (0..clusters.len()).map(between_han).collect();
    let mut i = 0;
    while i < clusters.len() {
        if !is_single(i) {
            i += 1;
            continue;
        }
        // A run: single, one or two separators, single, ...
        let mut run = vec![i];
        let mut j = i + 1;
        loop {
            let mut k = j;
            while k < clusters.len() && k - j < 2 && is_separator(k) {
                k += 1;
            }
            if k > j && k < clusters.len() && is_single(k) {
                run.push(k);
                j = k + 1;
            } else {
                break;
            }
        }
        if run.len() >= 3 {
            for pair in run.windows(2) {
                for flag in &mut drop[pair[0] + 1..pair[1]] {
                    *flag = true;
                }
            }
        }
        i = run.last().copied().unwrap_or(i) + 1;
    }
    if !drop.contains(&true) {
        return input;
    }
    let mut out = Normalized {
        text: String::with_capacity(text.len()),
        origin_start: Vec::with_capacity(text.len()),
        origin_end: Vec::with_capacity(text.len()),
    };
    for (index, &(start, end)) in clusters.iter().enumerate() {
        if drop[index] {
            continue;
        }
        for (offset, c) in text[start..end].char_indices() {
            out.push(c, input.origin_of(start + offset));
        }
    }
    out
}

fn is_combining_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        input: &'static str,
        expected: &'static str,
        what: &'static str,
    }

    #[test]
    fn normalisation_cases() {
        let cases = [
            Case {
                input: "ＴＧ：＠ｊｏｂ８８",
                expected: "tg:@job88",
                what: "full-width Latin and digits",
            },
            Case {
                input: "Te\u{200B}le\u{200D}gram",
                expected: "telegram",
                what: "zero-width characters",
            },
            Case {
                input: "Теlеgrаm",
                expected: "telegram",
                what: "Cyrillic look-alikes",
            },
            Case {
                input: "𝐓𝐞𝐥𝐞𝐠𝐫𝐚𝐦",
                expected: "telegram",
                what: "mathematical bold",
            },
            Case {
                input: "ⓦⓐ.ⓜⓔ",
                expected: "wa.me",
                what: "circled letters",
            },
            Case {
                input: "T e l e g r a m",
                expected: "telegram",
                what: "spaced Latin letters",
            },
            Case {
                input: "W.h.a.t.s.A.p.p",
                expected: "whatsapp",
                what: "dotted letters",
            },
            Case {
                input: "西 港 高薪",
                expected: "西港高薪",
                what: "spaced Chinese",
            },
            Case {
                input: "紙飛機聯繫",
                expected: "纸飞机联系",
                what: "Traditional to Simplified",
            },
            Case {
                input: "園區 招聘",
                expected: "园区招聘",
                what: "Traditional with a space",
            },
            Case {
                input: "ก า ร ท ำ ง า น",
                expected: "การทำงาน",
                what: "spaced Thai",
            },
            Case {
                input: "งานออนไลน์ รายได้ดี",
                expected: "งานออนไลน์ รายได้ดี",
                what: "Thai stays intact",
            },
            Case {
                input: "Việc nhẹ lương cao",
                expected: "việc nhẹ lương cao",
                what: "Vietnamese keeps diacritics",
            },
            Case {
                input: "Vie\u{0302}\u{0323}c nhe\u{0323}",
                expected: "việc nhẹ",
                what: "Vietnamese NFD composed",
            },
            Case {
                input: "Lowongan KERJA  di\n\nKamboja",
                expected: "lowongan kerja di kamboja",
                what: "Indonesian, white space",
            },
            Case {
                input: "①②③④",
                expected: "1234",
                what: "circled digits",
            },
            Case {
                input: "❶❷❸",
                expected: "123",
                what: "dingbat digits",
            },
            Case {
                input: "0\u{FE0F}\u{20E3}9\u{FE0F}\u{20E3}1\u{FE0F}\u{20E3}",
                expected: "091",
                what: "emoji keycaps",
            },
            Case {
                input: "๐๘๑",
                expected: "081",
                what: "Thai digits",
            },
            Case {
                input: "០១២",
                expected: "012",
                what: "Khmer digits",
            },
            Case {
                input: "月薪２万",
                expected: "月薪2万",
                what: "full-width digit in Chinese",
            },
            Case {
                input: "  hello  ",
                expected: "hello",
                what: "trimmed",
            },
            Case {
                input: "I am a cat",
                expected: "i am a cat",
                what: "ordinary single letters kept",
            },
        ];
        for case in cases {
            let got = normalize(case.input);
            assert_eq!(
                got.as_str(),
                case.expected,
                "{}: {:?}",
                case.what,
                case.input
            );
        }
    }

    #[test]
    fn offsets_map_back_to_original_characters() {
        let original = "Contact ＴＧ: @ｊｏｂ and 西 港";
        let n = normalize(original);
        let text = n.as_str();
        let at = text.find("tg").unwrap();
        let (s, e) = n.original_range(at, at + 2);
        assert_eq!(&original[s..e], "ＴＧ");
        let at = text.find("西港").unwrap();
        let (s, e) = n.original_range(at, at + "西港".len());
        assert_eq!(&original[s..e], "西 港");
    }

    #[test]
    fn offsets_cover_spaced_letters() {
        let original = "add T e l e g r a m now";
        let n = normalize(original);
        let at = n.as_str().find("telegram").unwrap();
        let (s, e) = n.original_range(at, at + "telegram".len());
        assert_eq!(&original[s..e], "T e l e g r a m");
    }

    #[test]
    fn every_offset_is_a_char_boundary() {
        let original = "ⓦⓐ.ⓜⓔ 紙飛機 ก า ร Việt ＴＧ 0\u{FE0F}\u{20E3}";
        let n = normalize(original);
        for i in 0..n.as_str().len() {
            let (s, e) = n.original_range(i, i + 1);
            assert!(original.is_char_boundary(s) && original.is_char_boundary(e));
            assert!(s < e);
        }
    }
}

#[cfg(test)]
mod properties {
    use super::*;

    /// Characters that exercise every step: scripts lure reads, look-alikes, full-width,
    /// digits of other scripts, zero-width and combining marks, white space, emoji.
    const POOL: &[char] = &[
        'a', 'T', 'g', ' ', ' ', '.', '-', '@', '1', '高', '薪', '紙', '飛', '機', '西', '港', 'ก',
        'า', 'ร', 'ำ', '่', 'ั', 'V', 'i', 'ệ', 'c', 'e', '\u{0302}', '\u{0323}', 'е', 'а', 'Ｔ',
        'Ｇ', '１', '①', '❶', '๑', '០', '\u{200B}', '\u{FE0F}', '\u{20E3}', '\n', '\t', '✈', '😀',
        '𝐓', 'ⓦ', 'İ', 'ß', '\u{3000}', 'ｶ', '가',
    ];

    /// A small deterministic generator (xorshift), so failures reproduce.
    fn strings(count: usize) -> impl Iterator<Item = String> {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        (0..count).map(move |_| {
            let mut next = || {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state
            };
            let len = (next() % 24) as usize;
            (0..len)
                .map(|_| POOL[(next() % POOL.len() as u64) as usize])
                .collect()
        })
    }

    #[test]
    fn offsets_are_char_boundaries_and_cover_the_text() {
        for original in strings(5000) {
            let n = normalize(&original);
            let text = n.as_str();
            for (i, c) in text.char_indices() {
                let (s, e) = n.original_range(i, i + c.len_utf8());
                assert!(s < e && e <= original.len(), "{original:?}");
                assert!(
                    original.is_char_boundary(s) && original.is_char_boundary(e),
                    "{original:?}"
                );
            }
            let (s, e) = n.original_range(0, text.len());
            assert!(
                text.is_empty() || (s <= e && e <= original.len()),
                "{original:?}"
            );
        }
    }

    #[test]
    fn normalisation_is_idempotent() {
        for original in strings(5000) {
            let once = normalize(&original);
            let twice = normalize(once.as_str());
            assert_eq!(twice.as_str(), once.as_str(), "{original:?}");
        }
    }
}
