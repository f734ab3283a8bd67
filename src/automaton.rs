//! The multi-pattern automaton behind the matcher: a double-array Aho-Corasick automaton
//! (`daachorse`) over a sorted set of distinct byte strings, reporting every match,
//! overlapping ones included.
//!
//! Building the automata of the embedded rules was most of lure's start-up (~15 ms each
//! for ~7,700 patterns), so `build.rs` (which includes this file) builds them once and
//! embeds their bytes; at run time a prebuilt automaton is used only when the fingerprint
//! of its pattern set equals the fingerprint of the patterns the rules actually give, and
//! otherwise the automaton is built.

use daachorse::DoubleArrayAhoCorasick;

/// A compiled pattern set. Pattern `i` of the set it was built from reports value `i`.
#[derive(Clone)]
pub struct Automaton {
    inner: DoubleArrayAhoCorasick<u32>,
    prebuilt: bool,
}

impl std::fmt::Debug for Automaton {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Automaton({} states, prebuilt: {})",
            self.inner.num_states(),
            self.prebuilt
        )
    }
}

/// An automaton serialised at build time, with the fingerprint of its pattern set.
pub struct Prebuilt {
    /// [`fingerprint`] of the patterns it was built from.
    pub fingerprint: u64,
    /// [`Automaton::to_bytes`] of it.
    pub bytes: &'static [u8],
}

impl Automaton {
    /// Builds the automaton of `patterns`: distinct, non-empty, in the order that gives
    /// each its value. `None` when there are none or the set is too large for the
    /// automaton.
    pub fn build(patterns: &[&[u8]]) -> Option<Automaton> {
        if patterns.is_empty() {
            return None;
        }
        let inner = DoubleArrayAhoCorasick::new(patterns).ok()?;
        Some(Automaton {
            inner,
            prebuilt: false,
        })
    }

    /// The prebuilt automaton if it was built from patterns with this fingerprint,
    /// else one built now.
    pub fn prebuilt_or_build(prebuilt: Option<&Prebuilt>, patterns: &[&[u8]]) -> Option<Automaton> {
        let fits =
            prebuilt.filter(|p| !patterns.is_empty() && p.fingerprint == fingerprint(patterns));
        let loaded = fits.and_then(|p| DoubleArrayAhoCorasick::deserialize(p.bytes).ok());
        match loaded {
            Some((inner, [])) => Some(Automaton {
                inner,
                prebuilt: true,
            }),
            _ => Automaton::build(patterns),
        }
    }

    /// Whether it came from build-time bytes rather than being built at run time.
    #[allow(dead_code)]
    pub fn is_prebuilt(&self) -> bool {
        self.prebuilt
    }

    /// The automaton as bytes for [`Prebuilt::bytes`] (used by `build.rs` and the tests).
    #[allow(dead_code)]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.inner.serialize()
    }

    /// Every occurrence of every pattern in `haystack` as (pattern index, start, end),
    /// byte offsets, ordered by end.
    pub fn find_overlapping<'h>(
        &'h self,
        haystack: &'h [u8],
    ) -> impl Iterator<Item = (usize, usize, usize)> + 'h {
        self.inner
            .find_overlapping_iter(haystack)
            .map(|m| (m.value() as usize, m.start(), m.end()))
    }
}

/// FNV-1a over the patterns, each preceded by its length: equal for equal lists.
pub fn fingerprint(patterns: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    eat(&(patterns.len() as u64).to_le_bytes());
    for pattern in patterns {
        eat(&(pattern.len() as u64).to_le_bytes());
        eat(pattern);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the automaton must report: every occurrence of every pattern.
    fn naive(patterns: &[&[u8]], haystack: &[u8]) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        for (index, pattern) in patterns.iter().enumerate() {
            for start in 0..haystack.len() {
                if haystack[start..].starts_with(pattern) {
                    found.push((index, start, start + pattern.len()));
                }
            }
        }
        found.sort();
        found
    }

    fn found(automaton: &Automaton, haystack: &[u8]) -> Vec<(usize, usize, usize)> {
        let mut found: Vec<_> = automaton.find_overlapping(haystack).collect();
        found.sort();
        found
    }

    #[test]
    fn reports_every_overlapping_match_in_every_script() {
        let patterns: Vec<&[u8]> = vec![
            "gaji".as_bytes(),
            "gaji besar".as_bytes(),
            "aji".as_bytes(),
            "高薪".as_bytes(),
            "薪".as_bytes(),
            "งานออนไลน์".as_bytes(),
            "ออนไลน์".as_bytes(),
            "việc nhẹ".as_bytes(),
            "telegram".as_bytes(),
            b"\xe8\x96",
        ];
        let automaton = Automaton::build(&patterns).unwrap();
        for haystack in [
            "gaji besar, gaji besar!",
            "招聘高薪客服，高薪",
            "รับสมัครงานออนไลน์ ออนไลน์",
            "việc nhẹ lương cao, telegram @x",
            "",
        ] {
            assert_eq!(
                found(&automaton, haystack.as_bytes()),
                naive(&patterns, haystack.as_bytes()),
                "{haystack}"
            );
        }
    }

    #[test]
    fn prebuilt_bytes_are_used_only_for_their_own_patterns() {
        let patterns: Vec<&[u8]> = vec![b"abc", b"bcd", b"zz"];
        let bytes: &'static [u8] = Automaton::build(&patterns).unwrap().to_bytes().leak();
        let prebuilt = Prebuilt {
            fingerprint: fingerprint(&patterns),
            bytes,
        };
        let loaded = Automaton::prebuilt_or_build(Some(&prebuilt), &patterns).unwrap();
        assert!(loaded.is_prebuilt());
        assert_eq!(found(&loaded, b"abcdzz"), naive(&patterns, b"abcdzz"));

        // Other patterns: the bytes do not fit, so the automaton is built.
        let other: Vec<&[u8]> = vec![b"abc", b"bcd", b"zy"];
        let built = Automaton::prebuilt_or_build(Some(&prebuilt), &other).unwrap();
        assert!(!built.is_prebuilt());
        assert_eq!(found(&built, b"abcdzy"), naive(&other, b"abcdzy"));

        // Damaged bytes with the right fingerprint are not trusted either.
        let damaged = Prebuilt {
            fingerprint: fingerprint(&patterns),
            bytes: &bytes[..bytes.len() / 2],
        };
        let rebuilt = Automaton::prebuilt_or_build(Some(&damaged), &patterns).unwrap();
        assert!(!rebuilt.is_prebuilt());
        assert!(Automaton::prebuilt_or_build(None, &[]).is_none());
    }

    #[test]
    fn fingerprints_differ_when_patterns_or_their_split_differ() {
        let a: Vec<&[u8]> = vec![b"ab", b"c"];
        let b: Vec<&[u8]> = vec![b"a", b"bc"];
        let c: Vec<&[u8]> = vec![b"ab", b"c", b""];
        assert_ne!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&c));
        assert_eq!(fingerprint(&a), fingerprint(&[b"ab", b"c"]));
    }
}
