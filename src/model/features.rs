//! Features for the classifier: hashed character n-grams of the normalised text (they work
//! without word spaces, for Chinese and Thai), hashed Latin word tokens, and one feature per
//! matched rule, so the model learns how far to trust each rule.
//!
//! Hashing is FNV-1a (64-bit) over a one-byte tag and the UTF-8 bytes, masked to
//! `2^bucket_bits` buckets: stable across platforms and releases, which the model file
//! relies on.

use serde::{Deserialize, Serialize};

/// How features are made. Stored in the model file; a model is refused when its settings
/// are not the ones this code computes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureSettings {
    /// Hash function and tagging scheme.
    pub hash: String,
    /// Number of hash buckets is `2^bucket_bits`.
    pub bucket_bits: u32,
    /// Shortest character n-gram.
    pub char_ngram_min: usize,
    /// Longest character n-gram.
    pub char_ngram_max: usize,
    /// Whether Latin word tokens are features.
    pub word_tokens: bool,
    /// Whether matched rules are features.
    pub rule_features: bool,
}

impl Default for FeatureSettings {
    fn default() -> Self {
        FeatureSettings {
            hash: "fnv1a64-tagged-v1".to_string(),
            bucket_bits: 18,
            char_ngram_min: 1,
            char_ngram_max: 3,
            word_tokens: true,
            rule_features: false,
        }
    }
}

const TAG_CHARS: u8 = b'c';
const TAG_WORD: u8 = b'w';
const TAG_RULE: u8 = b'r';

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv1a_step(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

fn fnv1a(tag: u8, bytes: &[u8]) -> u64 {
    fnv1a_step(fnv1a_step(FNV_OFFSET, &[tag]), bytes)
}

/// A reusable featuriser: call [`Featurizer::features`] per ad.
#[derive(Debug, Default)]
pub(crate) struct Featurizer {
    chars: Vec<(usize, char)>,
    /// One bit per bucket: the distinct buckets of the current ad.
    seen: Vec<u64>,
    /// The words of `seen` that have a bit set, to read them out in order and clear them
    /// without scanning all of `seen` (32 KB) for a short ad.
    touched: Vec<u32>,
}

impl Featurizer {
    /// Sparse features `(bucket, value)`, sorted by bucket: text features are binary and
    /// L2-normalised together; each matched rule adds a feature of value 1.
    pub fn features<'a>(
        &mut self,
        settings: &FeatureSettings,
        fields: &[&str],
        rules: impl Iterator<Item = &'a str>,
        out: &mut Vec<(u32, f32)>,
    ) {
        out.clear();
        let mask = (1u64 << settings.bucket_bits) - 1;
        let words = (1usize << settings.bucket_bits).div_ceil(64);
        if self.seen.len() != words {
            self.seen = vec![0; words];
        }
        let seen = &mut self.seen;
        let touched = &mut self.touched;
        touched.clear();
        let mut distinct = 0usize;
        let mut add = |hash: u64| {
            let bucket = (hash & mask) as usize;
            let bit = 1u64 << (bucket % 64);
            let word = &mut seen[bucket / 64];
            if *word & bit == 0 {
                if *word == 0 {
                    touched.push((bucket / 64) as u32);
                }
                *word |= bit;
                distinct += 1;
            }
        };
        // The hash state after the tag byte, where every character n-gram's hash starts.
        let chars_tag_hash = fnv1a_step(FNV_OFFSET, &[TAG_CHARS]);
        for field in fields {
            self.chars.clear();
            self.chars.extend(field.char_indices());
            let n_chars = self.chars.len();
            for start in 0..n_chars {
                // FNV-1a is sequential: the hash of an n-gram continues the hash of the
                // (n-1)-gram it extends.
                let mut hash = chars_tag_hash;
                let mut all_spaces = true;
                for n in 1..=settings.char_ngram_max {
                    if start + n > n_chars {
                        break;
                    }
                    let (from, c) = self.chars[start + n - 1];
                    let to = self.chars.get(start + n).map_or(field.len(), |c| c.0);
                    hash = fnv1a_step(hash, &field.as_bytes()[from..to]);
                    // Normalised text has no white space but single spaces.
                    all_spaces &= c == ' ';
                    if n >= settings.char_ngram_min && !all_spaces {
                        add(hash);
                    }
                }
            }
            if settings.word_tokens {
                for word in field.split(|c: char| !crate::normalize::is_word_char(c)) {
                    if word.len() >= 2 && word.chars().any(|c| c.is_ascii_alphabetic()) {
                        add(fnv1a(TAG_WORD, word.as_bytes()));
                    }
                }
            }
        }
        let value = if distinct == 0 {
            0.0
        } else {
            1.0 / (distinct as f32).sqrt()
        };
        self.touched.sort_unstable();
        for &index in &self.touched {
            let index = index as usize;
            let mut bits = std::mem::take(&mut self.seen[index]);
            while bits != 0 {
                let bucket = index * 64 + bits.trailing_zeros() as usize;
                out.push((bucket as u32, value));
                bits &= bits - 1;
            }
        }
        if settings.rule_features {
            for rule in rules {
                out.push(((fnv1a(TAG_RULE, rule.as_bytes()) & mask) as u32, 1.0));
            }
            // Merge duplicates (a rule bucket colliding with a text bucket adds up).
            out.sort_by_key(|f| f.0);
            let mut merged: Vec<(u32, f32)> = Vec::with_capacity(out.len());
            for &(bucket, value) in out.iter() {
                match merged.last_mut() {
                    Some(last) if last.0 == bucket => last.1 += value,
                    _ => merged.push((bucket, value)),
                }
            }
            *out = merged;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_are_deterministic_and_normalised() {
        let settings = FeatureSettings {
            rule_features: true,
            ..FeatureSettings::default()
        };
        let mut f = Featurizer::default();
        let mut a = Vec::new();
        let mut b = Vec::new();
        f.features(
            &settings,
            &["高薪招聘 telegram"],
            ["RULE_A"].into_iter(),
            &mut a,
        );
        f.features(
            &settings,
            &["高薪招聘 telegram"],
            ["RULE_A"].into_iter(),
            &mut b,
        );
        assert_eq!(a, b);
        assert!(a.windows(2).all(|w| w[0].0 < w[1].0));
        let text_norm: f32 = a.iter().filter(|f| f.1 < 0.99).map(|f| f.1 * f.1).sum();
        assert!((text_norm - 1.0).abs() < 1e-3, "{text_norm}");
        assert_eq!(
            a.iter().filter(|f| f.1 == 1.0).count(),
            1,
            "one rule feature"
        );
        let mut without_rules = Vec::new();
        let no_rules = FeatureSettings {
            rule_features: false,
            ..settings.clone()
        };
        f.features(
            &no_rules,
            &["高薪招聘 telegram"],
            ["RULE_A"].into_iter(),
            &mut without_rules,
        );
        assert_eq!(without_rules.len() + 1, a.len());
    }

    #[test]
    fn hash_values_are_stable() {
        // Golden values (FNV-1a 64 of tag + bytes): a change here invalidates every model file.
        assert_eq!(fnv1a(b'c', b"a"), 0x08a2_4f07_b54a_16c9);
        assert_eq!(fnv1a(b'c', "高".as_bytes()), 0xa41d_948e_9a2f_8192);
    }
}
