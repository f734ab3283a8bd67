//! Plain text: a whole file is one ad, or (`--lines`) each non-empty line is one.

use super::lines::{Line, read_line};
use super::sources::RecordSource;
use super::{ErrorKind, InputOptions, Location, Record, record_error};
use crate::ad::Ad;
use std::io::{BufRead, Read};
use std::sync::Arc;

pub(crate) struct TextSource {
    reader: Option<Box<dyn BufRead + Send>>,
    file: String,
    options: Arc<InputOptions>,
}

impl TextSource {
    pub fn new(reader: Box<dyn BufRead + Send>, file: String, options: Arc<InputOptions>) -> Self {
        TextSource {
            reader: Some(reader),
            file,
            options,
        }
    }
}

impl RecordSource for TextSource {
    fn next_record(&mut self) -> Option<Record> {
        let reader = self.reader.take()?;
        let location = Location {
            file: self.file.clone(),
            line: 0,
        };
        let cap = self.options.max_record_bytes;
        let mut bytes = Vec::new();
        let read = reader.take(cap as u64 + 1).read_to_end(&mut bytes);
        let size = bytes.len();
        let result = match read {
            Err(e) => Err(record_error(
                &location,
                ErrorKind::ReadError,
                None,
                format!("read failed: {e}"),
            )),
            Ok(_) if size > cap => Err(record_error(
                &location,
                ErrorKind::RecordTooLarge,
                None,
                format!("file is longer than the {cap} byte limit"),
            )),
            Ok(_) if bytes.contains(&0) => Err(record_error(
                &location,
                ErrorKind::BinaryFile,
                None,
                "binary file (contains NUL bytes), not a text ad".to_string(),
            )),
            Ok(_) => match String::from_utf8(bytes) {
                Ok(text) => Ok(Ad {
                    id: Some(location.to_id()),
                    title: None,
                    text,
                    lang: None,
                }),
                Err(e) => Err(record_error(
                    &location,
                    ErrorKind::InvalidUtf8,
                    None,
                    format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
                )),
            },
        };
        Some(Record {
            location,
            bytes: size,
            result,
        })
    }
}

pub(crate) struct LinesSource {
    reader: Box<dyn BufRead + Send>,
    file: String,
    line: u64,
    buf: Vec<u8>,
    options: Arc<InputOptions>,
    done: bool,
}

impl LinesSource {
    pub fn new(reader: Box<dyn BufRead + Send>, file: String, options: Arc<InputOptions>) -> Self {
        LinesSource {
            reader,
            file,
            line: 0,
            buf: Vec::new(),
            options,
            done: false,
        }
    }
}

impl RecordSource for LinesSource {
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
                    let result = match std::str::from_utf8(&self.buf) {
                        Ok(text) => Ok(Ad {
                            id: Some(location.to_id()),
                            title: None,
                            text: text.to_string(),
                            lang: None,
                        }),
                        Err(e) => Err(record_error(
                            &location,
                            ErrorKind::InvalidUtf8,
                            None,
                            format!("invalid UTF-8 at byte {}", e.valid_up_to()),
                        )),
                    };
                    (result, self.buf.len())
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
