//! Finds every keyword and regex of every rule in one field of normalised text.
//!
//! All keywords of all rules live in one Aho-Corasick automaton, searched once per field
//! with overlapping matches (a keyword inside another keyword still counts). Regexes are
//! tried together through a `RegexSet`; only the ones that match are run again for spans.
//! Callers see only [`Matcher::find`], so the automaton can be swapped without touching
//! rule evaluation.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::{Regex, RegexSet};

/// Upper bound on the spans kept per regex per field, so one pathological regex cannot
/// make a result grow without limit.
const MAX_REGEX_SPANS: usize = 64;

/// A keyword as the matcher needs it: already normalised, with its boundary checks.
#[derive(Debug, Clone)]
pub(crate) struct KeywordSpec {
    pub rule: usize,
    pub normalized: String,
    pub word_boundary: bool,
}

#[derive(Debug, Clone, Copy)]
struct KeywordTarget {
    rule: u32,
    check_left: bool,
    check_right: bool,
}

/// The compiled keywords and regexes of a rule set.
#[derive(Debug)]
pub(crate) struct Matcher {
    automaton: Option<AhoCorasick>,
    targets: Vec<Vec<KeywordTarget>>,
    regex_set: Option<RegexSet>,
    regexes: Vec<(usize, Regex)>,
}

impl Matcher {
    /// Builds the matcher. Regexes must already be known to compile.
    pub fn new(keywords: &[KeywordSpec], regexes: Vec<(usize, Regex)>) -> Matcher {
        let mut patterns: Vec<&str> = Vec::new();
        let mut targets: Vec<Vec<KeywordTarget>> = Vec::new();
        let mut index_of: std::collections::HashMap<&str, usize> = Default::default();
        for spec in keywords {
            let text = spec.normalized.as_str();
            let target = KeywordTarget {
                rule: spec.rule as u32,
                check_left: spec.word_boundary && text.chars().next().is_some_and(is_latin_alnum),
                check_right: spec.word_boundary
                    && text.chars().next_back().is_some_and(is_latin_alnum),
            };
            let index = *index_of.entry(text).or_insert_with(|| {
                patterns.push(text);
                targets.push(Vec::new());
                patterns.len() - 1
            });
            targets[index].push(target);
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            // A DFA is ~3x faster than the NFA for a few hundred patterns
            // (../shared/research/crates.md) but too big to build for tens of thousands.
            let kind = (patterns.len() <= 5_000).then_some(AhoCorasickKind::DFA);
            let built = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(kind)
                .build(&patterns)
                .or_else(|_| {
                    AhoCorasick::builder()
                        .match_kind(MatchKind::Standard)
                        .build(&patterns)
                });
            built.ok()
        };
        let regex_set = if regexes.is_empty() {
            None
        } else {
            RegexSet::new(regexes.iter().map(|(_, r)| r.as_str())).ok()
        };
        Matcher {
            automaton,
            targets,
            regex_set,
            regexes,
        }
    }

    /// Number of distinct keywords in the automaton.
    pub fn keyword_count(&self) -> usize {
        self.targets.len()
    }

    /// Calls `on_hit(rule, start, end)` for every keyword and regex match in `text`
    /// (byte offsets into `text`).
    pub fn find(&self, text: &str, mut on_hit: impl FnMut(usize, usize, usize)) {
        if let Some(automaton) = &self.automaton {
            for m in automaton.find_overlapping_iter(text) {
                for target in &self.targets[m.pattern().as_usize()] {
                    if target.check_left && !is_boundary_before(text, m.start()) {
                        continue;
                    }
                    if target.check_right && !is_boundary_after(text, m.end()) {
                        continue;
                    }
                    on_hit(target.rule as usize, m.start(), m.end());
                }
            }
        }
        if let Some(set) = &self.regex_set {
            for index in set.matches(text).iter() {
                let (rule, regex) = &self.regexes[index];
                for m in regex.find_iter(text).take(MAX_REGEX_SPANS) {
                    if m.start() < m.end() {
                        on_hit(*rule, m.start(), m.end());
                    }
                }
            }
        }
    }
}

/// A Latin letter or digit: the keyword edges where word boundaries are checked.
pub(crate) fn is_latin_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || (c.is_alphanumeric() && matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}'))
}

fn is_boundary_before(text: &str, at: usize) -> bool {
    !text[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || is_combining_mark(c))
}

fn is_boundary_after(text: &str, at: usize) -> bool {
    !text[at..]
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || is_combining_mark(c))
}

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keyword(rule: usize, text: &str, word_boundary: bool) -> KeywordSpec {
        KeywordSpec {
            rule,
            normalized: text.to_string(),
            word_boundary,
        }
    }

    fn hits(matcher: &Matcher, text: &str) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        matcher.find(text, |r, s, e| found.push((r, s, e)));
        found.sort();
        found
    }

    #[test]
    fn keywords_overlap_and_respect_boundaries() {
        let matcher = Matcher::new(
            &[
                keyword(0, "gaji", true),
                keyword(1, "gaji besar", true),
                keyword(2, "kerja", false),
                keyword(3, "高薪", true),
                keyword(4, "gaji", false),
            ],
            vec![],
        );
        assert_eq!(
            hits(&matcher, "gaji besar"),
            vec![(0, 0, 4), (1, 0, 10), (4, 0, 4)]
        );
        // "gaji" inside "pengajian": only the rule without boundaries matches.
        assert_eq!(hits(&matcher, "pengajian"), vec![(4, 3, 7)]);
        assert_eq!(hits(&matcher, "bekerja"), vec![(2, 2, 7)]);
        assert_eq!(hits(&matcher, "招聘高薪客服"), vec![(3, 6, 12)]);
    }

    #[test]
    fn vietnamese_letters_count_as_word_characters() {
        let matcher = Matcher::new(&[keyword(0, "nhẹ", true)], vec![]);
        assert_eq!(hits(&matcher, "việc nhẹ lương").len(), 1);
        assert!(hits(&matcher, "nhẹt").is_empty());
    }

    #[test]
    fn regexes_report_every_span() {
        let regex = Regex::new(r"\d{4,}").unwrap();
        let matcher = Matcher::new(&[], vec![(7, regex)]);
        assert_eq!(
            hits(&matcher, "a 1234 b 56789"),
            vec![(7, 2, 6), (7, 9, 14)]
        );
    }
}
