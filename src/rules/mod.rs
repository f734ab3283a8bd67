//! Rule files: their format, compilation into a [`RuleSet`], and diagnostics.

mod compile;
mod diagnostic;
mod format;

pub(crate) use compile::{FIELD_TEXT, FIELD_TITLE, compile};
pub use compile::{RuleInfo, RuleSet, Scoring};
pub(crate) use diagnostic::SourceFile;
pub use diagnostic::{Diagnostic, Severity};

use crate::error::Error;
use std::path::Path;

// The default rule files, embedded at build time: `EMBEDDED_RULES`, (name, text) of every
// `rules/*.toml` in name order.
include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

pub(crate) fn embedded_sources() -> Vec<SourceFile> {
    EMBEDDED_RULES
        .iter()
        .map(|(name, text)| SourceFile {
            name: (*name).to_string(),
            text: (*text).to_string(),
        })
        .collect()
}

/// Reads a rule file, or every `*.toml` file of a folder (sorted by name, not recursive).
pub(crate) fn read_sources(path: &Path, into: &mut Vec<SourceFile>) -> Result<(), Error> {
    let io = |source| Error::ReadRules {
        path: path.to_path_buf(),
        source,
    };
    if path.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(path)
            .map_err(io)?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(Error::NoRuleFiles(path.to_path_buf()));
        }
        for file in files {
            read_sources(&file, into)?;
        }
        return Ok(());
    }
    let text = std::fs::read_to_string(path).map_err(io)?;
    into.push(SourceFile {
        name: path.display().to_string(),
        text,
    });
    Ok(())
}
