//! The literal atoms of a regex: literals of which every match contains one, found with
//! `regex-syntax`, and where they sit in a match ([`Gate`]). Used at run time by
//! `gated_regex` and at build time by `build.rs` (which includes this file), so that the
//! embedded rules' atoms need not be found at every start.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};

/// Atoms shorter than this many bytes would gate almost every field; such regexes are
/// gated by a longer literal inside them, or not at all.
const MIN_ATOM_BYTES: usize = 2;

/// Where a regex's atoms sit in its matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Every match starts with an atom: search anchored at atom positions.
    Prefix,
    /// Every match contains an atom: search the whole field when one occurs.
    Contains,
    /// No usable atom: search every field.
    Always,
}

/// The gate of a parsed regex and its atoms. The longer the shortest atom, the rarer the
/// atoms and the fewer the searches; prefixes win ties, since they allow anchored
/// searches.
pub fn gate_of(hir: &Hir) -> (Gate, Vec<Vec<u8>>) {
    let prefix = literal_set(hir, ExtractKind::Prefix);
    match (&prefix, contained_atoms(hir, prefix.clone(), 0)) {
        (Some((prefix_len, _)), Some((contained_len, _))) if *prefix_len >= contained_len => {
            (Gate::Prefix, prefix.map(|p| p.1).unwrap_or_default())
        }
        (_, Some((_, contained))) => (Gate::Contains, contained),
        (Some(_), None) => (Gate::Prefix, prefix.map(|p| p.1).unwrap_or_default()),
        (None, None) => (Gate::Always, Vec::new()),
    }
}

/// Literals of which every match contains one: the regex's prefixes (given, as already
/// computed) or suffixes, or those of a required part (an element of a concatenation, a
/// group, a repetition of at least one), two levels deep at most (literal extraction is
/// most of lure's start-up). Picks the set whose shortest literal is longest.
fn contained_atoms(
    hir: &Hir,
    prefix: Option<(usize, Vec<Vec<u8>>)>,
    depth: usize,
) -> Option<(usize, Vec<Vec<u8>>)> {
    let own = prefix
        .into_iter()
        .chain(literal_set(hir, ExtractKind::Suffix));
    let parts: &[Hir] = match hir.kind() {
        _ if depth >= 2 => &[],
        HirKind::Capture(group) => std::slice::from_ref(&*group.sub),
        HirKind::Repetition(rep) if rep.min >= 1 => std::slice::from_ref(&*rep.sub),
        HirKind::Concat(parts) => parts,
        _ => &[],
    };
    let inner = parts.iter().filter_map(|part| {
        let prefix = literal_set(part, ExtractKind::Prefix);
        contained_atoms(part, prefix, depth + 1)
    });
    own.chain(inner).max_by_key(|(shortest, _)| *shortest)
}

/// The finite prefix or suffix literal set of `hir` with its shortest length.
fn literal_set(hir: &Hir, kind: ExtractKind) -> Option<(usize, Vec<Vec<u8>>)> {
    // Optimising shortens and trims the set (without it the shipped rules give ~23,000
    // distinct atoms); it is a sixth of lure's start-up.
    let is_prefix = matches!(kind, ExtractKind::Prefix);
    let mut seq = Extractor::new().kind(kind).extract(hir);
    if is_prefix {
        seq.optimize_for_prefix_by_preference();
    } else {
        seq.optimize_for_suffix_by_preference();
    }
    let literals = seq.literals()?;
    let shortest = literals.iter().map(|l| l.as_bytes().len()).min()?;
    (shortest >= MIN_ATOM_BYTES).then(|| {
        (
            shortest,
            literals.iter().map(|l| l.as_bytes().to_vec()).collect(),
        )
    })
}
