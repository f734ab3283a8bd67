//! Build steps:
//! - embeds `models/lure.model` when it exists, so a fresh checkout builds before a model
//!   has been trained (`lure train` writes it);
//! - finds the literal atoms of every regex of the rule files (`rules/*.toml`) once,
//!   here, instead of at every start of lure (it was most of the start-up time). Patterns
//!   that do not parse are left out: lure parses them at run time and reports the error.

#[path = "src/regex_atoms.rs"]
#[allow(dead_code)]
mod regex_atoms;

use std::fmt::Write as _;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(lure_embedded_model)");
    println!("cargo::rerun-if-changed=models/lure.model");
    println!("cargo::rerun-if-changed=src/regex_atoms.rs");
    if std::path::Path::new("models/lure.model").exists() {
        println!("cargo::rustc-cfg=lure_embedded_model");
    }

    // Every rule file in rules/ (the embedded ones are among them; a pattern of another
    // file only adds an unused entry), so there is no second list of files to keep.
    println!("cargo::rerun-if-changed=rules");
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir("rules")
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    paths.sort();
    let mut patterns = std::collections::BTreeSet::new();
    for path in &paths {
        println!("cargo::rerun-if-changed={}", path.display());
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        // A file that does not parse is reported by lure itself, with its position.
        let Ok(file) = text.parse::<toml::Table>() else {
            continue;
        };
        let rules = file.get("rule").and_then(|r| r.as_array());
        for rule in rules.into_iter().flatten() {
            let regexes = rule.get("regex").and_then(|r| r.as_array());
            for pattern in regexes.into_iter().flatten().filter_map(|p| p.as_str()) {
                patterns.insert(pattern.to_string());
            }
        }
    }

    let mut out = String::from("static EMBEDDED_GATES: &[EmbeddedGate] = &[\n");
    for pattern in &patterns {
        let Ok(hir) = regex_syntax::ParserBuilder::new().build().parse(pattern) else {
            continue;
        };
        let (gate, atoms) = regex_atoms::gate_of(&hir);
        let atoms: Vec<String> = atoms.iter().map(|a| format!("&{a:?}")).collect();
        let _ = writeln!(
            out,
            "    EmbeddedGate {{ pattern: {pattern:?}, gate: Gate::{gate:?}, max_len: {:?}, atoms: &[{}] }},",
            hir.properties().maximum_len(),
            atoms.join(", ")
        );
    }
    out.push_str("];\n");
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("embedded_gates.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
