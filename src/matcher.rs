//! Finds every keyword and regex of every rule in one field of normalised text.
//!
//! All keywords of all rules live in one Aho-Corasick automaton, searched once per field
//! with overlapping matches (a keyword inside another keyword still counts). Regexes run
//! only where they can match: the literal atoms of every regex ([`GatedRegex`]) go into a
//! second automaton, a regex runs on a field only when one of its atoms occurs there, and a
//! regex whose atoms are its prefixes runs anchored at the atom positions only. A
//! `RegexSet` over a few hundred rule regexes falls back to the PikeVM and ran at
//! ~0.1 MB/s; gated single regexes keep their fast engines. Callers see only
//! [`Matcher::find`], so the automata can be swapped without touching rule evaluation.

use crate::automaton::{Automaton, Prebuilt};
use crate::gated_regex::{Gate, GatedRegex};

// The automata of the embedded rules, built by `build.rs`: `PREBUILT_KEYWORDS` and
// `PREBUILT_ATOMS`.
include!(concat!(env!("OUT_DIR"), "/embedded_automata.rs"));

/// Upper bound on the spans kept per regex per field, so one pathological regex cannot
/// make a result grow without limit.
const MAX_REGEX_SPANS: usize = 64;

/// A keyword as the matcher needs it: already normalised, with its boundary checks.
#[derive(Debug, Clone)]
pub(crate) struct KeywordSpec {
    pub rule: usize,
    pub normalized: std::borrow::Cow<'static, str>,
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
    automaton: Option<Automaton>,
    /// The rules of each keyword, with its boundary checks.
    targets: Grouped<KeywordTarget>,
    regexes: Vec<GatedRegex>,
    /// Atoms of the gated regexes; `atom_regexes.get(atom)` lists the regexes it gates.
    atoms: Option<Automaton>,
    atom_regexes: Grouped<u32>,
    /// Regexes without usable atoms: always run.
    ungated: Vec<u32>,
}

/// Items in groups: group `i` is `items[starts[i]..starts[i + 1]]`. One allocation
/// instead of a `Vec` per keyword or atom.
#[derive(Debug, Default)]
struct Grouped<T> {
    items: Vec<T>,
    starts: Vec<u32>,
}

impl<T> Grouped<T> {
    /// Groups (key, item) pairs sorted by key: the distinct keys and, for the `i`-th
    /// key, its items as group `i`.
    fn from_sorted<K: PartialEq + Copy>(pairs: Vec<(K, T)>) -> (Vec<K>, Grouped<T>) {
        let mut keys: Vec<K> = Vec::new();
        let mut grouped = Grouped {
            items: Vec::with_capacity(pairs.len()),
            starts: Vec::new(),
        };
        for (key, item) in pairs {
            if keys.last() != Some(&key) {
                keys.push(key);
                grouped.starts.push(grouped.items.len() as u32);
            }
            grouped.items.push(item);
        }
        grouped.starts.push(grouped.items.len() as u32);
        (keys, grouped)
    }

    /// The items of group `i` (none if there is no such group).
    fn get(&self, i: usize) -> &[T] {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&from), Some(&to)) => &self.items[from as usize..to as usize],
            _ => &[],
        }
    }

    /// Number of groups.
    fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }
}

/// Buffers one thread reuses across calls to [`Matcher::find`].
#[derive(Debug, Default)]
pub(crate) struct MatchScratch {
    /// (regex, atom start) pairs of the current field.
    candidates: Vec<(u32, u32)>,
    starts: Vec<u32>,
    /// One search cache per regex, created when the regex first runs on this thread.
    caches: Vec<crate::gated_regex::RegexCache>,
    /// Search short spans with the bounded backtracker ([`crate::DetectorBuilder::low_memory`]).
    low_memory: bool,
}

impl MatchScratch {
    /// Empty buffers; with `low_memory`, short spans are searched with the bounded
    /// backtracker instead of the lazy DFA.
    pub fn new(low_memory: bool) -> MatchScratch {
        MatchScratch {
            low_memory,
            ..MatchScratch::default()
        }
    }
}

impl Matcher {
    /// Builds the matcher. Regexes must already be known to compile.
    pub fn new(keywords: &[KeywordSpec], regexes: Vec<GatedRegex>) -> Matcher {
        // Patterns in byte order, each once: the order `build.rs` prebuilds them in.
        let mut keyword_targets: Vec<(&[u8], KeywordTarget)> = keywords
            .iter()
            .map(|spec| {
                let text: &str = &spec.normalized;
                let target = KeywordTarget {
                    rule: spec.rule as u32,
                    check_left: spec.word_boundary
                        && text.chars().next().is_some_and(is_latin_alnum),
                    check_right: spec.word_boundary
                        && text.chars().next_back().is_some_and(is_latin_alnum),
                };
                (text.as_bytes(), target)
            })
            .collect();
        // Stable: a pattern's targets stay in rule order.
        keyword_targets.sort_by(|a, b| a.0.cmp(b.0));
        let (keyword_patterns, targets) = Grouped::from_sorted(keyword_targets);
        let mut gated_by: Vec<(&[u8], u32)> = Vec::new();
        let mut ungated = Vec::new();
        for (index, regex) in regexes.iter().enumerate() {
            let index = index as u32;
            if regex.gate() == Gate::Always {
                ungated.push(index);
            } else {
                gated_by.extend(regex.atoms().iter().map(|atom| (atom.as_slice(), index)));
            }
        }
        gated_by.sort_unstable();
        gated_by.dedup();
        let (atom_patterns, atom_regexes) = Grouped::from_sorted(gated_by);
        // The two automata are built side by side when they are not prebuilt.
        let (automaton, atoms) = rayon::join(
            || Automaton::prebuilt_or_build(PREBUILT_KEYWORDS.as_ref(), &keyword_patterns),
            || Automaton::prebuilt_or_build(PREBUILT_ATOMS.as_ref(), &atom_patterns),
        );
        if atoms.is_none() {
            // Without the atom automaton every regex must run.
            ungated = (0..regexes.len() as u32).collect();
        }
        Matcher {
            automaton,
            targets,
            atom_regexes,
            regexes,
            atoms,
            ungated,
        }
    }

    /// Number of regexes that run on every field (no literal atom to gate them).
    pub fn ungated_regex_count(&self) -> usize {
        self.ungated.len()
    }

    /// Number of distinct keywords in the automaton.
    pub fn keyword_count(&self) -> usize {
        self.targets.len()
    }

    /// Calls `on_hit(rule, start, end)` for every keyword and regex match in `text`
    /// (byte offsets into `text`).
    /// Only regexes of rules for which `wanted(rule)` holds are run (keyword hits are
    /// reported for every rule). With `timing`, adds the nanoseconds of keyword matching to
    /// `timing.0`, of regex matching to `timing.1`, and of each regex to `timing.2[rule]`.
    /// With a `deadline`, regexes stop running once it has passed; returns false when that
    /// happened.
    pub fn find(
        &self,
        text: &str,
        scratch: &mut MatchScratch,
        mut timing: Option<(&mut u64, &mut u64, &mut [u64])>,
        deadline: Option<std::time::Instant>,
        wanted: impl Fn(usize) -> bool,
        mut on_hit: impl FnMut(usize, usize, usize),
    ) -> bool {
        let started = timing.as_ref().map(|_| std::time::Instant::now());
        if let Some(automaton) = &self.automaton {
            for (pattern, start, end) in automaton.find_overlapping(text.as_bytes()) {
                for target in self.targets.get(pattern) {
                    if target.check_left && !is_boundary_before(text, start) {
                        continue;
                    }
                    if target.check_right && !is_boundary_after(text, end) {
                        continue;
                    }
                    on_hit(target.rule as usize, start, end);
                }
            }
        }
        let regex_started = started.map(|s| {
            if let Some(t) = timing.as_mut() {
                *t.0 += s.elapsed().as_nanos() as u64;
            }
            std::time::Instant::now()
        });
        if self.regexes.is_empty() {
            return true;
        }
        let wanted_regex = |index: u32| wanted(self.regexes[index as usize].rule);
        let candidates = &mut scratch.candidates;
        candidates.clear();
        candidates.extend(
            self.ungated
                .iter()
                .filter(|&&index| wanted_regex(index))
                .map(|&index| (index, 0)),
        );
        if let Some(atoms) = &self.atoms {
            for (atom, start, _) in atoms.find_overlapping(text.as_bytes()) {
                for &index in self.atom_regexes.get(atom) {
                    if wanted_regex(index) {
                        candidates.push((index, start as u32));
                    }
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        if scratch.caches.len() < self.regexes.len() {
            scratch
                .caches
                .resize_with(self.regexes.len(), Default::default);
        }
        let mut complete = true;
        let mut next = 0;
        while next < candidates.len() {
            let index = candidates[next].0;
            scratch.starts.clear();
            while next < candidates.len() && candidates[next].0 == index {
                scratch.starts.push(candidates[next].1);
                next += 1;
            }
            if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
                complete = false;
                break;
            }
            let regex = &self.regexes[index as usize];
            let one = timing.as_ref().map(|_| std::time::Instant::now());
            // Without the atom automaton, the positions say nothing: search everywhere.
            let starts = self.atoms.as_ref().map(|_| scratch.starts.as_slice());
            let cache = &mut scratch.caches[index as usize];
            regex.find(
                text,
                starts,
                MAX_REGEX_SPANS,
                scratch.low_memory,
                cache,
                |start, end| on_hit(regex.rule, start, end),
            );
            if let (Some(one), Some(t)) = (one, timing.as_mut()) {
                t.2[regex.rule] += one.elapsed().as_nanos() as u64;
            }
        }
        if let (Some(s), Some(t)) = (regex_started, timing.as_mut()) {
            *t.1 += s.elapsed().as_nanos() as u64;
        }
        complete
    }
}

/// A Latin letter or digit: the keyword edges where word boundaries are checked.
pub(crate) fn is_latin_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || (matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}') && c.is_alphanumeric())
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
            normalized: text.to_string().into(),
            word_boundary,
        }
    }

    fn hits(matcher: &Matcher, text: &str) -> Vec<(usize, usize, usize)> {
        let found = hits_with(matcher, text, &mut MatchScratch::new(false));
        let low_memory = hits_with(matcher, text, &mut MatchScratch::new(true));
        assert_eq!(low_memory, found, "low-memory mode differs on {text:?}");
        found
    }

    fn hits_with(
        matcher: &Matcher,
        text: &str,
        scratch: &mut MatchScratch,
    ) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        matcher.find(
            text,
            scratch,
            None,
            None,
            |_| true,
            |r, s, e| found.push((r, s, e)),
        );
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
    fn regexes_are_gated_by_their_atoms() {
        let gated = GatedRegex::new(0, r"(?:月薪|工资) ?\d+万", false).unwrap();
        let suffix = GatedRegex::new(1, r"\d{3,} ?usd", false).unwrap();
        let ungated = GatedRegex::new(2, r"\d{4,}", false).unwrap();
        let matcher = Matcher::new(&[], vec![gated, suffix, ungated]);
        assert_eq!(matcher.ungated_regex_count(), 1);
        assert_eq!(hits(&matcher, "月薪 2万"), vec![(0, 0, 11)]);
        assert_eq!(hits(&matcher, "pay 900usd"), vec![(1, 4, 10)]);
        assert_eq!(hits(&matcher, "pay 9000"), vec![(2, 4, 8)]);
    }

    #[test]
    fn regexes_report_every_span() {
        let regex = GatedRegex::new(7, r"\d{4,}", false).unwrap();
        let matcher = Matcher::new(&[], vec![regex]);
        assert_eq!(
            hits(&matcher, "a 1234 b 56789"),
            vec![(7, 2, 6), (7, 9, 14)]
        );
    }

    /// The automata `build.rs` embeds must fit the embedded rules, or every start of lure
    /// would build them again (~30 ms).
    #[test]
    fn embedded_rules_use_the_prebuilt_automata() {
        let rules = crate::rules::compile(&crate::rules::embedded_sources(), false).unwrap();
        let keywords = rules.matcher.automaton.as_ref().unwrap();
        let atoms = rules.matcher.atoms.as_ref().unwrap();
        assert!(keywords.is_prebuilt(), "{keywords:?}");
        assert!(atoms.is_prebuilt(), "{atoms:?}");
    }

    /// The gates (anchored at prefix atoms, windows around contained atoms, one
    /// multi-pattern pass for the ungated) must find exactly what searching the whole
    /// text with each regex finds: checked for every regex of the shipped rules on the
    /// normalised sample ads, pieces of them and splices of two of them.
    #[test]
    fn gated_search_equals_full_search_for_every_shipped_regex() {
        let rules = crate::rules::compile(&crate::rules::embedded_sources(), false).unwrap();
        let gated: Vec<GatedRegex> = rules
            .matcher
            .regexes
            .iter()
            .map(|r| GatedRegex::new(r.rule, r.pattern(), false).unwrap())
            .collect();
        let full: Vec<(usize, regex::Regex)> = gated
            .iter()
            .map(|r| (r.rule, regex::Regex::new(r.pattern()).unwrap()))
            .collect();
        let matcher = Matcher::new(&[], gated);
        let ads: Vec<String> = include_str!("../datasets/sample.jsonl")
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .map(|row| {
                crate::normalize::normalize(row["text"].as_str().unwrap_or(""))
                    .as_str()
                    .to_string()
            })
            .collect();
        let mut texts = ads.clone();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |bound: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % bound.max(1)
        };
        let floor = |t: &str, mut i: usize| {
            while !t.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        for _ in 0..400 {
            let a = &ads[next(ads.len())];
            let b = &ads[next(ads.len())];
            let (i, j) = (floor(a, next(a.len() + 1)), floor(b, next(b.len() + 1)));
            texts.push(format!("{}{}", &a[..i], &b[j..]));
            let (lo, hi) = (floor(a, next(a.len() + 1)), floor(a, next(a.len() + 1)));
            texts.push(a[lo.min(hi)..lo.max(hi)].to_string());
        }
        for text in &texts {
            let mut expected: Vec<(usize, usize, usize)> = full
                .iter()
                .flat_map(|(rule, regex)| {
                    regex
                        .find_iter(text)
                        .filter(|m| m.start() < m.end())
                        .take(MAX_REGEX_SPANS)
                        .map(move |m| (*rule, m.start(), m.end()))
                })
                .collect();
            expected.sort();
            assert_eq!(hits(&matcher, text), expected, "text: {text:?}");
        }
    }
}
