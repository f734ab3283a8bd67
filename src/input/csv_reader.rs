//! CSV with a header row. Each row is one ad; the text column is found by name.

use super::sources::RecordSource;
use super::{
    ErrorKind, InputOptions, Location, Record, RecordError, TEXT_FIELD_ALIASES, record_error,
};
use crate::ad::Ad;
use std::io::BufRead;
use std::sync::Arc;

pub(crate) struct CsvSource {
    reader: csv::Reader<Box<dyn BufRead + Send>>,
    file: String,
    options: Arc<InputOptions>,
    header: Option<Vec<String>>,
    row: csv::ByteRecord,
    done: bool,
}

impl CsvSource {
    pub fn new(reader: Box<dyn BufRead + Send>, file: String, options: Arc<InputOptions>) -> Self {
        let reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(reader);
        CsvSource {
            reader,
            file,
            options,
            header: None,
            row: csv::ByteRecord::new(),
            done: false,
        }
    }

    fn column(&self, name: &str) -> Option<usize> {
        self.header
            .as_ref()?
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    }

    fn ad_from_row(&self, location: &Location) -> Result<Ad, RecordError> {
        let header = self.header.as_ref().map_or(0, Vec::len);
        if self.row.len() != header {
            return Err(record_error(
                location,
                ErrorKind::InvalidCsv,
                None,
                format!("row has {} fields, the header has {header}", self.row.len()),
            ));
        }
        let get = |name: &str| -> Result<Option<String>, RecordError> {
            let Some(index) = self.column(name) else {
                return Ok(None);
            };
            let bytes = &self.row[index];
            match std::str::from_utf8(bytes) {
                Ok(s) => Ok(Some(s.to_string())),
                Err(e) => Err(record_error(
                    location,
                    ErrorKind::InvalidUtf8,
                    Some(name),
                    format!("invalid UTF-8 at byte {}", e.valid_up_to()),
                )),
            }
        };
        let text_names: Vec<&str> = match &self.options.text_field {
            Some(name) => vec![name.as_str()],
            None => TEXT_FIELD_ALIASES.to_vec(),
        };
        let mut text = None;
        for name in &text_names {
            if let Some(value) = get(name)? {
                text = Some(value);
                break;
            }
        }
        let Some(text) = text else {
            return Err(record_error(
                location,
                ErrorKind::MissingField,
                Some(text_names[0]),
                format!("no text column (looked for {})", text_names.join(", ")),
            ));
        };
        let title =
            get(self.options.title_field.as_deref().unwrap_or("title"))?.filter(|t| !t.is_empty());
        let id = get(self.options.id_field.as_deref().unwrap_or("id"))?
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| location.to_id());
        let lang = get("lang")?.filter(|l| !l.is_empty());
        Ok(Ad {
            id: Some(id),
            title,
            text,
            lang,
        })
    }
}

impl RecordSource for CsvSource {
    fn next_record(&mut self) -> Option<Record> {
        if self.done {
            return None;
        }
        if self.header.is_none() {
            match self.reader.byte_headers() {
                Ok(h) => {
                    self.header = Some(
                        h.iter()
                            .map(|f| String::from_utf8_lossy(f).into_owned())
                            .collect(),
                    )
                }
                Err(e) => {
                    self.done = true;
                    let location = Location {
                        file: self.file.clone(),
                        line: 1,
                    };
                    return Some(Record {
                        result: Err(record_error(
                            &location,
                            ErrorKind::InvalidCsv,
                            None,
                            format!("cannot read the header row: {e}"),
                        )),
                        location,
                        bytes: 0,
                    });
                }
            }
        }
        let start = self.reader.position().byte();
        let line = self.reader.position().line().max(2);
        match self.reader.read_byte_record(&mut self.row) {
            Ok(false) => None,
            Ok(true) => {
                let line = self.row.position().map_or(line, |p| p.line());
                let location = Location {
                    file: self.file.clone(),
                    line,
                };
                let bytes = (self.reader.position().byte() - start) as usize;
                Some(Record {
                    result: self.ad_from_row(&location),
                    location,
                    bytes,
                })
            }
            Err(e) => {
                let location = Location {
                    file: self.file.clone(),
                    line,
                };
                let kind = match e.kind() {
                    csv::ErrorKind::Io(_) => {
                        self.done = true;
                        ErrorKind::ReadError
                    }
                    _ => ErrorKind::InvalidCsv,
                };
                Some(Record {
                    result: Err(record_error(&location, kind, None, format!("{e}"))),
                    location,
                    bytes: 0,
                })
            }
        }
    }
}
