//! One rule regex, the literal atoms that say where it can match, and its compiled form,
//! built on first use.
//!
//! Every match of a regex contains one of its *atoms*: literals found by `regex-syntax`
//! in the pattern. The matcher looks for all atoms of all regexes with one Aho-Corasick
//! automaton and runs a regex only on fields where one of its atoms occurs. When the atoms
//! are the regex's prefixes ([`Gate::Prefix`]), every match *starts* at an atom, so the
//! regex runs anchored at those positions only, and its cost follows the number of
//! candidate positions instead of the length of the text.
//!
//! Parsing a pattern is cheap next to compiling it (~0.2 ms per regex, most of the
//! start-up time with several hundred rule regexes), so regexes are compiled when a field
//! first needs them, unless the caller asks for every regex to be compiled at once (to
//! report size-limit errors when rules are loaded).
//!
//! Searches run on the `meta` regex, whose lazy DFA keeps every state it builds in the
//! calling thread's cache: over ~700 rule regexes ~30 MB per thread, most of lure's memory
//! beyond the compiled rules. In low-memory mode, searches confined to short spans
//! (anchored at prefix atoms, or windows around the atoms of a regex with a bounded match
//! length) run on a bounded backtracker instead, whose state is a visited set the size of
//! the span (a span too long for that set falls back to the meta regex). It clears that
//! set for every search, and with NFAs of thousands of states (bounded repetitions of
//! Unicode classes) it costs 2.5-4x the lazy DFA's time (callgrind).

use std::sync::OnceLock;

use regex_automata::nfa::thompson::{self, backtrack::BoundedBacktracker};
use regex_automata::util::iter::Searcher;
use regex_automata::{Anchored, Input, meta};
use regex_syntax::hir::Hir;

pub(crate) use crate::regex_atoms::Gate;
use crate::regex_atoms::gate_of;

/// Gate, atoms and longest match of a regex of the embedded rules, found at build time.
struct EmbeddedGate {
    pattern: &'static str,
    gate: Gate,
    max_len: Option<usize>,
    atoms: &'static [&'static [u8]],
}

// `EMBEDDED_GATES: &[EmbeddedGate]`, written by build.rs from rules/*.toml.
include!(concat!(env!("OUT_DIR"), "/embedded_gates.rs"));

/// The build-time gate of `pattern`, when it is a regex of the embedded rules.
fn embedded_gate(pattern: &str) -> Option<&'static EmbeddedGate> {
    static INDEX: OnceLock<std::collections::HashMap<&'static str, usize>> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        EMBEDDED_GATES
            .iter()
            .enumerate()
            .map(|(i, g)| (g.pattern, i))
            .collect()
    });
    index.get(pattern).map(|&i| &EMBEDDED_GATES[i])
}

/// The compiled-program size limit of one rule regex (4 MiB), as for `regex::RegexBuilder`.
const SIZE_LIMIT: usize = 1 << 22;

/// A rule regex with its gate, compiled lazily.
#[derive(Debug)]
pub(crate) struct GatedRegex {
    /// Index of the rule the regex belongs to.
    pub rule: usize,
    pattern: String,
    gate: Gate,
    atoms: Vec<Vec<u8>>,
    /// The longest match in bytes, when the pattern bounds it.
    max_len: Option<usize>,
    compiled: OnceLock<Result<meta::Regex, String>>,
    /// For short spans (anchored at atoms, windows around them) in low-memory mode: a
    /// bounded backtracker. Its per-thread state is a visited set the size of the span,
    /// where the lazy DFA of `compiled` keeps every state it builds (~30 MB per thread over
    /// the shipped rules), but it costs 2.5-4x the lazy DFA's time.
    backtracker: OnceLock<Option<BoundedBacktracker>>,
}

/// One thread's search state for one regex, each part created on first use.
#[derive(Debug, Default)]
pub(crate) struct RegexCache {
    meta: Option<meta::Cache>,
    backtrack: Option<thompson::backtrack::Cache>,
}

impl GatedRegex {
    /// Parses `pattern` (syntax errors are returned as a message) and finds its atoms.
    /// With `compile_now`, also compiles it, so size-limit errors surface here.
    pub fn new(rule: usize, pattern: &str, compile_now: bool) -> Result<GatedRegex, String> {
        // The embedded rules' gates were found when lure was built (`build.rs`); other
        // patterns are parsed here.
        if !compile_now && let Some(known) = embedded_gate(pattern) {
            return Ok(GatedRegex {
                rule,
                pattern: pattern.to_string(),
                gate: known.gate,
                atoms: known.atoms.iter().map(|a| a.to_vec()).collect(),
                max_len: known.max_len,
                compiled: OnceLock::new(),
                backtracker: OnceLock::new(),
            });
        }
        let hir = regex_syntax::ParserBuilder::new()
            .build()
            .parse(pattern)
            .map_err(|e| e.to_string())?;
        let (gate, atoms) = gate_of(&hir);
        let regex = GatedRegex {
            rule,
            pattern: pattern.to_string(),
            gate,
            atoms,
            max_len: hir.properties().maximum_len(),
            compiled: OnceLock::new(),
            backtracker: OnceLock::new(),
        };
        if compile_now {
            let built = build(&hir);
            if let Err(message) = &built {
                return Err(message.clone());
            }
            let _ = regex.compiled.set(built);
        }
        Ok(regex)
    }

    /// How the regex is gated.
    pub fn gate(&self) -> Gate {
        self.gate
    }

    /// The pattern as written in the rule file.
    #[cfg(test)]
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The literals that gate the regex (empty for [`Gate::Always`]).
    pub fn atoms(&self) -> &[Vec<u8>] {
        &self.atoms
    }

    /// Whether the gate confines searches to short spans: anchored at prefix atoms, or
    /// windows around contained atoms of a regex with a bounded match length.
    fn searches_short_spans(&self) -> bool {
        self.gate == Gate::Prefix || (self.gate == Gate::Contains && self.max_len.is_some())
    }

    /// The leftmost-first match in the span of `input`: with the bounded backtracker for a
    /// short span that fits its visited set, else with the meta regex.
    fn search(
        &self,
        cache: &mut RegexCache,
        short_span: bool,
        input: &Input<'_>,
    ) -> Option<regex_automata::Match> {
        if short_span && let Some(backtracker) = self.backtracker() {
            let visited = cache
                .backtrack
                .get_or_insert_with(|| backtracker.create_cache());
            let mut slots = [None, None];
            if let Ok(found) = backtracker.try_search_slots(visited, input, &mut slots) {
                return match (found, slots) {
                    (Some(pattern), [Some(start), Some(end)]) => {
                        Some(regex_automata::Match::new(pattern, start.get()..end.get()))
                    }
                    _ => None,
                };
            }
        }
        let regex = self.regex()?;
        regex.search_with(
            cache.meta.get_or_insert_with(|| regex.create_cache()),
            input,
        )
    }

    /// The bounded backtracker, compiled on first use (`None` if it does not compile; the
    /// meta regex then searches).
    fn backtracker(&self) -> Option<&BoundedBacktracker> {
        self.backtracker
            .get_or_init(|| {
                let hir = regex_syntax::ParserBuilder::new()
                    .build()
                    .parse(&self.pattern)
                    .ok()?;
                let nfa = thompson::Compiler::new()
                    .configure(
                        thompson::Config::new()
                            .nfa_size_limit(Some(SIZE_LIMIT))
                            .which_captures(thompson::WhichCaptures::Implicit),
                    )
                    .build_from_hir(&hir)
                    .ok()?;
                BoundedBacktracker::builder().build_from_nfa(nfa).ok()
            })
            .as_ref()
    }

    fn regex(&self) -> Option<&meta::Regex> {
        self.compiled
            .get_or_init(|| {
                regex_syntax::ParserBuilder::new()
                    .build()
                    .parse(&self.pattern)
                    .map_err(|e| e.to_string())
                    .and_then(|hir| build(&hir))
            })
            .as_ref()
            .ok()
    }

    /// Calls `on_match(start, end)` for up to `limit` non-empty, non-overlapping matches
    /// in `text`, leftmost first. `starts` are the sorted byte offsets where an atom
    /// occurs: with a prefix gate the regex runs anchored there only; with another gate
    /// and a bounded match length, only around them (every match contains an atom, so it
    /// lies within the longest match length of one); `None` searches the whole text.
    /// `cache` is the calling thread's search cache for this regex (created on first use),
    /// so threads never share one.
    pub fn find(
        &self,
        text: &str,
        starts: Option<&[u32]>,
        limit: usize,
        low_memory: bool,
        cache: &mut RegexCache,
        mut on_match: impl FnMut(usize, usize),
    ) {
        let short_spans = low_memory && starts.is_some() && self.searches_short_spans();
        let mut found = 0;
        // Reports a match; false once `limit` matches were reported.
        let mut report = |start: usize, end: usize| {
            on_match(start, end);
            found += 1;
            found < limit
        };
        if let (Gate::Prefix, Some(starts)) = (self.gate, starts) {
            let mut resume = 0;
            for &start in starts {
                let start = start as usize;
                if start < resume || !text.is_char_boundary(start) {
                    continue;
                }
                // A match is at most `max_len` long; look-around still sees the whole text.
                let end = self.max_len.map_or(text.len(), |len| {
                    ceil_char_boundary(text, (start + len).min(text.len()))
                });
                let input = Input::new(text).range(start..end).anchored(Anchored::Yes);
                if let Some(m) = self.search(cache, short_spans, &input)
                    && m.start() < m.end()
                {
                    resume = m.end();
                    if !report(m.start(), m.end()) {
                        return;
                    }
                }
            }
            return;
        }
        // Every non-empty match in a span, with the iterator of `regex-automata` (empty
        // matches handled as `find_iter` does); false once the limit is reached.
        let mut search_span = |span: std::ops::Range<usize>| {
            let mut searcher = Searcher::new(Input::new(text).range(span));
            while let Some(m) = searcher.advance(|input| Ok(self.search(cache, short_spans, input)))
            {
                if m.start() < m.end() && !report(m.start(), m.end()) {
                    return false;
                }
            }
            true
        };
        if let (Gate::Contains, Some(max_len), Some(starts)) = (self.gate, self.max_len, starts) {
            // Windows around the atoms, merged where they touch; every match lies inside
            // one, and the search sees the text around a window for look-around.
            let mut index = 0;
            while index < starts.len() {
                let window_start =
                    floor_char_boundary(text, (starts[index] as usize).saturating_sub(max_len));
                let mut window_end = starts[index] as usize + max_len;
                index += 1;
                while index < starts.len()
                    && (starts[index] as usize).saturating_sub(max_len) <= window_end
                {
                    window_end = starts[index] as usize + max_len;
                    index += 1;
                }
                let window_end = ceil_char_boundary(text, window_end.min(text.len()));
                if !search_span(window_start..window_end) {
                    return;
                }
            }
        } else {
            search_span(0..text.len());
        }
    }
}

/// The largest character boundary of `text` at or before `at`.
fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The smallest character boundary of `text` at or after `at` (`at` ≤ `text.len()`).
fn ceil_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

fn build(hir: &Hir) -> Result<meta::Regex, String> {
    meta::Regex::builder()
        .configure(
            meta::Regex::config()
                .nfa_size_limit(Some(SIZE_LIMIT))
                .onepass_size_limit(Some(SIZE_LIMIT)),
        )
        .build_from_hir(hir)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Matches with the atom positions `starts`, the same with the lazy DFA and with the
    /// low-memory backtracker.
    fn matches(regex: &GatedRegex, text: &str, starts: &[u32]) -> Vec<(usize, usize)> {
        let run = |low_memory: bool| {
            let mut found = Vec::new();
            let mut cache = RegexCache::default();
            regex.find(text, Some(starts), 64, low_memory, &mut cache, |s, e| {
                found.push((s, e))
            });
            found
        };
        let found = run(false);
        assert_eq!(run(true), found, "low-memory mode differs on {text:?}");
        found
    }

    #[test]
    fn gates_follow_the_literals_of_the_pattern() {
        let prefix = GatedRegex::new(0, r"(?:月薪|工资) ?\d+万", false).unwrap();
        assert_eq!(prefix.gate(), Gate::Prefix);
        let suffix = GatedRegex::new(0, r"\d{3,} ?usd", false).unwrap();
        assert_eq!(suffix.gate(), Gate::Contains);
        assert_eq!(suffix.atoms(), &[b"usd".to_vec()]);
        let inner = GatedRegex::new(0, r"\d+ ?(?:juta|jt) ?\d*", false).unwrap();
        assert_eq!(inner.gate(), Gate::Contains);
        let always = GatedRegex::new(0, r"\d{4,}", false).unwrap();
        assert_eq!(always.gate(), Gate::Always);
    }

    #[test]
    fn anchored_search_finds_what_a_full_search_finds() {
        // Overlapping candidates: the second `ab` starts inside the first match.
        let regex = GatedRegex::new(0, r"ab[a-z]*", false).unwrap();
        assert_eq!(regex.gate(), Gate::Prefix);
        assert_eq!(
            matches(&regex, "xabcab abd", &[1, 4, 7]),
            vec![(1, 6), (7, 10)]
        );
        // Look-behind before the anchor still sees the text before it.
        let bounded = GatedRegex::new(0, r"(?-u:\b)gaji \d+", false).unwrap();
        assert_eq!(bounded.gate(), Gate::Prefix);
        assert_eq!(
            matches(&bounded, "pengaji 5 gaji 9", &[3, 10]),
            vec![(10, 16)]
        );
    }

    #[test]
    fn windows_around_contained_atoms_find_what_a_full_search_finds() {
        let regex = GatedRegex::new(0, r"(?-u:\b)[0-9]{3,5} ?usd(?-u:\b)", false).unwrap();
        assert_eq!(regex.gate(), Gate::Contains);
        let text = "pay 900 usd, then 12000usd; not 5usd or 1234usdx";
        let atoms: Vec<u32> = text.match_indices("usd").map(|(i, _)| i as u32).collect();
        let mut full = Vec::new();
        regex.find(text, None, 64, true, &mut RegexCache::default(), |s, e| {
            full.push((s, e))
        });
        assert_eq!(full, vec![(4, 11), (18, 26)]);
        assert_eq!(matches(&regex, text, &atoms), full);
    }

    /// A window too long for the backtracker's visited set is searched by the meta regex,
    /// with the same matches; short ones stay on the backtracker.
    #[test]
    fn long_windows_fall_back_to_the_meta_regex() {
        let regex = GatedRegex::new(0, r"(?-u:\b)[0-9]{3,5} ?usd(?-u:\b)", false).unwrap();
        let long = "1000 usd ".repeat(40_000);
        let atoms: Vec<u32> = long.match_indices("usd").map(|(i, _)| i as u32).collect();
        let mut cache = RegexCache::default();
        let mut found = Vec::new();
        regex.find(&long, Some(&atoms), 64, true, &mut cache, |s, e| {
            found.push((s, e))
        });
        let expected: Vec<(usize, usize)> = (0..64).map(|i| (9 * i, 9 * i + 8)).collect();
        assert_eq!(found, expected);
        assert!(cache.meta.is_some(), "one merged window of 360 KB");

        let mut cache = RegexCache::default();
        let mut found = Vec::new();
        regex.find("pay 900 usd", Some(&[8]), 64, true, &mut cache, |s, e| {
            found.push((s, e))
        });
        assert_eq!(found, vec![(4, 11)]);
        assert!(cache.meta.is_none() && cache.backtrack.is_some());
    }

    #[test]
    fn build_time_gates_equal_the_run_time_analysis() {
        assert!(EMBEDDED_GATES.len() > 500, "{}", EMBEDDED_GATES.len());
        for known in EMBEDDED_GATES {
            let parsed = GatedRegex::new(0, known.pattern, true).unwrap();
            assert_eq!(parsed.gate(), known.gate, "{}", known.pattern);
            assert_eq!(parsed.atoms(), known.atoms, "{}", known.pattern);
            assert_eq!(parsed.max_len, known.max_len, "{}", known.pattern);
        }
    }

    #[test]
    fn syntax_errors_are_reported_and_size_errors_only_when_compiled() {
        assert!(GatedRegex::new(0, r"(unclosed", false).is_err());
        let huge = r"\w{200}\w{200}\w{200}";
        assert!(GatedRegex::new(0, huge, true).is_err());
        let lazy = GatedRegex::new(0, huge, false).unwrap();
        assert!(matches(&lazy, "abc", &[]).is_empty());
    }
}
