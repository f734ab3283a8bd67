//! Reading ads: JSON Lines, CSV, plain text, folders, stdin, `.gz` and `.zst`.
//!
//! [`open`] turns a list of paths into a streaming iterator of [`Record`]s: exactly one per
//! input record, in input order, each either an [`Ad`] or a [`RecordError`] that names the
//! file, line and field. Nothing is read ahead beyond the current line, so memory does not
//! grow with the input.

mod csv_reader;
mod jsonl;
mod lines;
mod sources;
mod text;

use crate::ad::Ad;
use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

pub use sources::{Records, open};

/// Field names tried, in order, for the ad text when no `--text-field` is given.
pub const TEXT_FIELD_ALIASES: &[&str] = &["text", "body", "description", "content", "message"];

/// Default cap on one record (a JSON line, a CSV row, a text file): 32 MiB.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 32 * 1024 * 1024;

/// The format of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// A whole file is one ad.
    Text,
    /// Each non-empty line is one ad.
    Lines,
}

/// How to read inputs.
#[derive(Debug, Clone)]
pub struct InputOptions {
    /// Field holding the ad text (default: the first of [`TEXT_FIELD_ALIASES`]).
    pub text_field: Option<String>,
    /// Field holding the title (default: `title`).
    pub title_field: Option<String>,
    /// Field holding the id (default: `id`).
    pub id_field: Option<String>,
    /// Force a format instead of choosing by extension.
    pub format: Option<Format>,
    /// Read `.txt` files and stdin text one ad per line.
    pub lines: bool,
    /// Largest record read; a longer one becomes a `record_too_large` error.
    pub max_record_bytes: usize,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            text_field: None,
            title_field: None,
            id_field: None,
            format: None,
            lines: false,
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
        }
    }
}

/// One input record: where it came from, and the ad or why it could not be read.
#[derive(Debug, Clone)]
pub struct Record {
    /// File and line.
    pub location: Location,
    /// Bytes of input this record took.
    pub bytes: usize,
    /// The ad (its `id` set: from the record, or `FILE:LINE`), or the error.
    pub result: Result<Ad, RecordError>,
}

/// Where a record came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// File name as given (or found in a folder); `<stdin>` for standard input.
    pub file: String,
    /// 1-based line (for CSV, the line the row starts on; 0 for a whole file).
    pub line: u64,
}

impl Location {
    /// `FILE:LINE`, or just `FILE` for whole-file records: the id of an ad without one.
    pub fn to_id(&self) -> String {
        if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}", self.file, self.line)
        }
    }
}

/// What kind of problem a record had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The line is not valid JSON.
    InvalidJson,
    /// The JSON is valid but not an object.
    NotAnObject,
    /// The bytes are not valid UTF-8.
    InvalidUtf8,
    /// No text field.
    MissingField,
    /// A field has the wrong JSON type.
    WrongType,
    /// A CSV row is malformed (e.g. the wrong number of columns).
    InvalidCsv,
    /// The file looks binary.
    BinaryFile,
    /// The record is larger than the cap.
    RecordTooLarge,
    /// Reading failed (I/O error, corrupt or truncated compressed data).
    ReadError,
}

/// Why a record could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordError {
    /// The kind of problem.
    pub kind: ErrorKind,
    /// One sentence naming the problem.
    pub message: String,
    /// The file.
    pub file: String,
    /// The line (0 for a whole file).
    pub line: u64,
    /// The field, when the problem is in one field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file, self.line)?;
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for RecordError {}

/// An input that cannot be read at all (the scan cannot start).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// A path given by the user does not exist or cannot be opened.
    #[error("cannot read {path}: {source}")]
    Unreadable {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

pub(crate) fn record_error(
    location: &Location,
    kind: ErrorKind,
    field: Option<&str>,
    message: impl Into<String>,
) -> RecordError {
    RecordError {
        kind,
        message: message.into(),
        file: location.file.clone(),
        line: location.line,
        field: field.map(str::to_string),
    }
}
