//! JSON Lines: one object per line; blank lines are skipped.

use super::lines::{Line, read_line};
use super::sources::RecordSource;
use super::{
    ErrorKind, InputOptions, Location, Record, RecordError, TEXT_FIELD_ALIASES, record_error,
};
use crate::ad::Ad;
use serde_json::{Map, Value};
use std::io::BufRead;
use std::sync::Arc;

pub(crate) struct JsonlSource {
    reader: Box<dyn BufRead + Send>,
    file: String,
    line: u64,
    buf: Vec<u8>,
    options: Arc<InputOptions>,
    done: bool,
}

impl JsonlSource {
    pub fn new(reader: Box<dyn BufRead + Send>, file: String, options: Arc<InputOptions>) -> Self {
        JsonlSource {
            reader,
            file,
            line: 0,
            buf: Vec::new(),
            options,
            done: false,
        }
    }
}

impl RecordSource for JsonlSource {
    fn next_record(&mut self) -> Option<Record> {
        if self.done {
            return None;
        }
        loop {
            let status = read_line(
                &mut self.reader,
                &mut self.buf,
                self.options.max_record_bytes,
            );
            self.line += 1;
            let location = Location {
                file: self.file.clone(),
                line: self.line,
            };
            let (result, bytes) = match status {
                Ok(None) => return None,
                Err(e) => {
                    self.done = true;
                    (
                        Err(record_error(
                            &location,
                            ErrorKind::ReadError,
                            None,
                            format!("read failed: {e}"),
                        )),
                        0,
                    )
                }
                Ok(Some(Line::TooLong(n))) => (
                    Err(record_error(
                        &location,
                        ErrorKind::RecordTooLarge,
                        None,
                        format!(
                            "line of {n} bytes is longer than the {} byte limit",
                            self.options.max_record_bytes
                        ),
                    )),
                    n,
                ),
                Ok(Some(Line::Complete)) => {
                    if self.buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    (
                        parse_line(&self.buf, &location, &self.options),
                        self.buf.len(),
                    )
                }
            };
            return Some(Record {
                location,
                bytes,
                result,
            });
        }
    }
}

fn parse_line(
    bytes: &[u8],
    location: &Location,
    options: &InputOptions,
) -> Result<Ad, RecordError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        record_error(
            location,
            ErrorKind::InvalidUtf8,
            None,
            format!("invalid UTF-8 at byte {}", e.valid_up_to()),
        )
    })?;
    let value: Value = serde_json::from_str(text).map_err(|e| {
        record_error(
            location,
            ErrorKind::InvalidJson,
            None,
            format!("invalid JSON: {e}"),
        )
    })?;
    let Value::Object(object) = value else {
        return Err(record_error(
            location,
            ErrorKind::NotAnObject,
            None,
            format!("expected a JSON object, found {}", type_name(&value)),
        ));
    };
    ad_from_object(&object, location, options)
}

/// Builds an ad from a JSON object, applying the field options.
pub(crate) fn ad_from_object(
    object: &Map<String, Value>,
    location: &Location,
    options: &InputOptions,
) -> Result<Ad, RecordError> {
    let text_names: Vec<&str> = match &options.text_field {
        Some(name) => vec![name.as_str()],
        None => TEXT_FIELD_ALIASES.to_vec(),
    };
    let found = text_names.iter().find_map(|name| match object.get(*name) {
        None | Some(Value::Null) => None,
        Some(value) => Some((*name, value)),
    });
    let text = match found {
        Some((_, Value::String(s))) => s.clone(),
        Some((name, other)) => {
            return Err(record_error(
                location,
                ErrorKind::WrongType,
                Some(name),
                format!("expected a string, found {}", type_name(other)),
            ));
        }
        None => {
            return Err(record_error(
                location,
                ErrorKind::MissingField,
                Some(text_names[0]),
                format!("no ad text (looked for {})", text_names.join(", ")),
            ));
        }
    };
    let title_name = options.title_field.as_deref().unwrap_or("title");
    let title = optional_string(object, title_name, location)?;
    let id_name = options.id_field.as_deref().unwrap_or("id");
    let id = match object.get(id_name) {
        None | Some(Value::Null) => location.to_id(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => {
            return Err(record_error(
                location,
                ErrorKind::WrongType,
                Some(id_name),
                format!("expected a string or number, found {}", type_name(other)),
            ));
        }
    };
    let lang = optional_string(object, "lang", location)?;
    Ok(Ad {
        id: Some(id),
        title,
        text,
        lang,
    })
}

fn optional_string(
    object: &Map<String, Value>,
    name: &str,
    location: &Location,
) -> Result<Option<String>, RecordError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(record_error(
            location,
            ErrorKind::WrongType,
            Some(name),
            format!("expected a string, found {}", type_name(other)),
        )),
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
