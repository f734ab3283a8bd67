//! Build steps:
//! - embeds `models/lure.model` when it exists, so a fresh checkout builds before a model
//!   has been trained (`lure train` writes it);
//! - embeds every rule file `rules/*.toml` (`embedded_rules.rs`);
//! - does once, here, what was most of lure's start-up with the embedded rules: finds the
//!   literal atoms of every regex (`embedded_gates.rs`), normalises every keyword
//!   (`embedded_keywords.rs`) and builds the two automata of keywords and atoms
//!   (`embedded_automata.rs`). Each uses the same source file as the run time
//!   (`src/regex_atoms.rs`, `src/normalize.rs`, `src/automaton.rs`), and lure checks at
//!   run time that what it gets fits its rules (patterns that do not parse, or rules that
//!   are not these, are handled at run time as before).

#[path = "src/automaton.rs"]
#[allow(dead_code)]
mod automaton;
#[path = "src/normalize.rs"]
#[allow(dead_code)]
mod normalize;
#[path = "src/regex_atoms.rs"]
#[allow(dead_code)]
mod regex_atoms;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rustc-check-cfg=cfg(lure_embedded_model)");
    println!("cargo::rerun-if-changed=models/lure.model");
    for source in ["src/regex_atoms.rs", "src/normalize.rs", "src/automaton.rs"] {
        println!("cargo::rerun-if-changed={source}");
    }
    if Path::new("models/lure.model").exists() {
        println!("cargo::rustc-cfg=lure_embedded_model");
    }

    // Every rule file in rules/ is embedded, so there is no second list of files to keep.
    println!("cargo::rerun-if-changed=rules");
    let mut paths: Vec<PathBuf> = std::fs::read_dir("rules")
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    paths.sort();
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut embedded = String::from("pub(crate) const EMBEDDED_RULES: &[(&str, &str)] = &[\n");
    let mut patterns = BTreeSet::new();
    let mut keywords = BTreeSet::new();
    for path in &paths {
        println!("cargo::rerun-if-changed={}", path.display());
        let absolute = std::fs::canonicalize(path).expect("a listed rule file exists");
        let _ = writeln!(
            embedded,
            "    ({:?}, include_str!({:?})),",
            format!(
                "rules/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            ),
            absolute.display().to_string()
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        // A file that does not parse is reported by lure itself, with its position.
        let Ok(file) = text.parse::<toml::Table>() else {
            continue;
        };
        let rules = file.get("rule").and_then(|r| r.as_array());
        for rule in rules.into_iter().flatten() {
            let strings = |key: &str| {
                rule.get(key)
                    .and_then(|r| r.as_array())
                    .into_iter()
                    .flatten()
                    .filter_map(|p| p.as_str().map(str::to_string))
            };
            patterns.extend(strings("regex"));
            keywords.extend(strings("keywords"));
        }
    }
    embedded.push_str("];\n");
    write(&out_dir, "embedded_rules.rs", embedded.as_bytes());

    let mut gates = String::from("static EMBEDDED_GATES: &[EmbeddedGate] = &[\n");
    let mut atoms: BTreeSet<Vec<u8>> = BTreeSet::new();
    for pattern in &patterns {
        let Ok(hir) = regex_syntax::ParserBuilder::new().build().parse(pattern) else {
            continue;
        };
        let (gate, gate_atoms) = regex_atoms::gate_of(&hir);
        if gate != regex_atoms::Gate::Always {
            atoms.extend(gate_atoms.iter().cloned());
        }
        let gate_atoms: Vec<String> = gate_atoms.iter().map(|a| format!("&{a:?}")).collect();
        let _ = writeln!(
            gates,
            "    EmbeddedGate {{ pattern: {pattern:?}, gate: Gate::{gate:?}, max_len: {:?}, atoms: &[{}] }},",
            hir.properties().maximum_len(),
            gate_atoms.join(", ")
        );
    }
    gates.push_str("];\n");
    write(&out_dir, "embedded_gates.rs", gates.as_bytes());

    // Raw keyword → normalised keyword.
    let normalized: BTreeMap<&String, String> = keywords
        .iter()
        .map(|k| (k, normalize::normalize(k).as_str().to_string()))
        .collect();
    // As one text and offsets (raw start, raw end = normalised start, normalised end),
    // sorted by the hash of the raw keyword (a table of `&str` pairs would need a
    // relocation per string at every start, and string comparisons in the search).
    let mut text = String::new();
    let mut entries: Vec<(u64, usize, usize, usize)> = Vec::new();
    for (raw, normal) in &normalized {
        let start = text.len();
        text.push_str(raw);
        let middle = text.len();
        text.push_str(normal);
        entries.push((
            automaton::fingerprint(&[raw.as_bytes()]),
            start,
            middle,
            text.len(),
        ));
    }
    entries.sort_unstable();
    let mut table = format!(
        "static NORMALIZED_KEYWORD_TEXT: &str = {text:?};\nstatic NORMALIZED_KEYWORDS: &[(u64, [u32; 3])] = &[\n"
    );
    for (hash, start, middle, end) in entries {
        let _ = writeln!(table, "    ({hash:#x}, [{start}, {middle}, {end}]),");
    }
    table.push_str("];\n");
    write(&out_dir, "embedded_keywords.rs", table.as_bytes());

    // The two automata, over the patterns the matcher will ask for: distinct, in byte
    // order, without the empty keyword.
    let keyword_set: BTreeSet<&[u8]> = normalized
        .values()
        .map(|k| k.as_bytes())
        .filter(|k| !k.is_empty())
        .collect();
    let mut prebuilt = String::new();
    for (name, set) in [
        ("KEYWORDS", keyword_set.into_iter().collect::<Vec<&[u8]>>()),
        ("ATOMS", atoms.iter().map(Vec::as_slice).collect()),
    ] {
        let file = format!("{}.daac", name.to_lowercase());
        match automaton::Automaton::build(&set) {
            Some(built) => {
                write(&out_dir, &file, &built.to_bytes());
                let _ = writeln!(
                    prebuilt,
                    "const PREBUILT_{name}: Option<Prebuilt> = Some(Prebuilt {{ fingerprint: {:#x}, bytes: include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{file}\")) }});",
                    automaton::fingerprint(&set)
                );
            }
            None => {
                let _ = writeln!(prebuilt, "const PREBUILT_{name}: Option<Prebuilt> = None;");
            }
        }
    }
    write(&out_dir, "embedded_automata.rs", prebuilt.as_bytes());
}

fn write(out_dir: &Path, name: &str, contents: &[u8]) {
    std::fs::write(out_dir.join(name), contents).expect("OUT_DIR is writable");
}
