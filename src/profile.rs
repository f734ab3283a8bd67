//! Where scanning time goes: per pipeline stage and per regex rule, summed over threads.
//! Collected only by scanners created with [`crate::Scanner::with_profile`].

use serde::Serialize;
use std::sync::{Arc, Mutex};

/// Time per stage and per rule's regexes, in nanoseconds, summed over threads.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Profile {
    /// Ads scored.
    pub ads: u64,
    /// Normalising fields.
    pub normalize_ns: u64,
    /// Language identification.
    pub language_ns: u64,
    /// The keyword automaton and word-boundary checks.
    pub keywords_ns: u64,
    /// Regex atoms and regexes.
    pub regexes_ns: u64,
    /// Combination rules, hits and spans.
    pub rules_ns: u64,
    /// The classifier.
    pub model_ns: u64,
    /// Regex time per rule id (rules without regexes are left out).
    pub regex_ns_by_rule: Vec<(String, u64)>,
}

impl Profile {
    /// Adds another profile's times to this one.
    pub fn merge(&mut self, other: &Profile) {
        self.ads += other.ads;
        self.normalize_ns += other.normalize_ns;
        self.language_ns += other.language_ns;
        self.keywords_ns += other.keywords_ns;
        self.regexes_ns += other.regexes_ns;
        self.rules_ns += other.rules_ns;
        self.model_ns += other.model_ns;
        for (rule, ns) in &other.regex_ns_by_rule {
            match self.regex_ns_by_rule.iter_mut().find(|(r, _)| r == rule) {
                Some(entry) => entry.1 += ns,
                None => self.regex_ns_by_rule.push((rule.clone(), *ns)),
            }
        }
    }

    /// The `n` rules whose regexes took the most time, slowest first.
    pub fn slowest_rules(&self, n: usize) -> Vec<(String, u64)> {
        let mut rules = self.regex_ns_by_rule.clone();
        rules.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        rules.truncate(n);
        rules
    }
}

/// A profile being collected by one scanner, merged into a shared sink when it is dropped.
#[derive(Debug)]
pub(crate) struct Collector {
    pub profile: Profile,
    pub regex_ns: Vec<u64>,
    pub sink: Arc<Mutex<Profile>>,
}
