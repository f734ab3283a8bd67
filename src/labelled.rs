//! Labelled data for training, evaluation and rule statistics: JSON Lines with `text`
//! (or an alias), optional `title`, `id`, `lang`, `kind`, and `label` (1 scam, 0 not).

use crate::ad::Ad;
use crate::input::TEXT_FIELD_ALIASES;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// One labelled ad.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledAd {
    /// The ad (its `lang` is the record's, when given).
    pub ad: Ad,
    /// True for a scam-recruitment ad.
    pub label: bool,
    /// The record's `kind` (`lure`, `legit`, `hard-negative-warning`, ...), if any.
    pub kind: Option<String>,
}

/// A labelled file that cannot be used; names the file and line.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LabelledError {
    /// The file cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A line is not a usable labelled record.
    #[error("{path}:{line}: {message}")]
    Record {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Reads a labelled JSONL file. Every non-blank line must be an object with a text and a
/// `label` of 0 or 1 (or `true` / `false`).
pub fn read_labelled(path: &Path) -> Result<Vec<LabelledAd>, LabelledError> {
    let text = std::fs::read_to_string(path).map_err(|source| LabelledError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut ads = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fail = |message: String| LabelledError::Record {
            path: path.to_path_buf(),
            line: index + 1,
            message,
        };
        let value: Value =
            serde_json::from_str(line).map_err(|e| fail(format!("invalid JSON: {e}")))?;
        let text = TEXT_FIELD_ALIASES
            .iter()
            .find_map(|name| value.get(*name).and_then(Value::as_str))
            .ok_or_else(|| fail("no text field".into()))?;
        let label = match value.get("label") {
            Some(Value::Number(n)) if n.as_u64() == Some(1) => true,
            Some(Value::Number(n)) if n.as_u64() == Some(0) => false,
            Some(Value::Bool(b)) => *b,
            _ => return Err(fail("field `label` must be 0 or 1".into())),
        };
        let string = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_string);
        let id = match value.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => format!("{}:{}", path.display(), index + 1),
        };
        ads.push(LabelledAd {
            ad: Ad {
                id: Some(id),
                title: string("title"),
                text: text.to_string(),
                lang: string("lang"),
            },
            label,
            kind: string("kind"),
        });
    }
    Ok(ads)
}

/// Reads several labelled files, in order.
pub fn read_all(paths: &[PathBuf]) -> Result<Vec<LabelledAd>, LabelledError> {
    let mut all = Vec::new();
    for path in paths {
        all.extend(read_labelled(path)?);
    }
    Ok(all)
}
