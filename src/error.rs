//! The library's error type.

use crate::rules::Diagnostic;
use std::path::PathBuf;

/// What can go wrong when building a [`crate::Detector`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A rule file or folder could not be read.
    #[error("cannot read rules from {path}: {source}")]
    ReadRules {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A rules folder holds no `*.toml` file.
    #[error("no rule files (*.toml) in {0}")]
    NoRuleFiles(PathBuf),
    /// The rule files have errors; each diagnostic names file, line and column.
    #[error("invalid rules: {} error(s); first: {}", .diagnostics.len(), first_line(.diagnostics))]
    InvalidRules {
        /// Every error and warning found.
        diagnostics: Vec<Diagnostic>,
    },
    /// A model file could not be read.
    #[error("cannot read model {path}: {source}")]
    ReadModel {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A model file was refused (corrupt, or made by an incompatible lure).
    #[error("cannot use model {path}: {source}")]
    InvalidModel {
        /// The file (`<embedded>` for the built-in model).
        path: PathBuf,
        /// Why it was refused.
        source: crate::model::ModelError,
    },
    /// A setting of the builder is out of range.
    #[error("invalid setting: {0}")]
    InvalidSetting(String),
}

fn first_line(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .find(|d| d.severity == crate::rules::Severity::Error)
        .map(|d| format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message))
        .unwrap_or_default()
}
