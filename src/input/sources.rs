//! Turning paths into one stream of records: folders are walked (sorted, recursively),
//! compressed files are decompressed, and each file gets the reader for its format.

use super::csv_reader::CsvSource;
use super::jsonl::JsonlSource;
use super::text::{LinesSource, TextSource};
use super::{ErrorKind, Format, InputError, InputOptions, Location, Record, record_error};
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const BUFFER_BYTES: usize = 256 * 1024;
const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];

/// Something that yields records one at a time.
pub(crate) trait RecordSource: Send {
    fn next_record(&mut self) -> Option<Record>;
}

#[derive(Debug)]
enum Input {
    Stdin,
    File(PathBuf),
}

/// The records of all inputs, in order. Created by [`open`].
pub struct Records {
    pending: VecDeque<Input>,
    current: Option<Box<dyn RecordSource>>,
    options: Arc<InputOptions>,
}

impl std::fmt::Debug for Records {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Records")
            .field("pending", &self.pending)
            .finish_non_exhaustive()
    }
}

/// Opens inputs: files, folders (walked recursively, in name order) and `-` for stdin.
/// Fails only when a given path does not exist or cannot be read; problems inside files
/// become [`super::RecordError`]s in the stream.
pub fn open(paths: &[PathBuf], options: InputOptions) -> Result<Records, InputError> {
    let mut pending = VecDeque::new();
    for path in paths {
        if path.as_os_str() == "-" {
            pending.push_back(Input::Stdin);
            continue;
        }
        let unreadable = |source| InputError::Unreadable {
            path: path.clone(),
            source,
        };
        let metadata = std::fs::metadata(path).map_err(unreadable)?;
        if metadata.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files).map_err(unreadable)?;
            pending.extend(files.into_iter().map(Input::File));
        } else {
            File::open(path).map_err(unreadable)?;
            pending.push_back(Input::File(path.clone()));
        }
    }
    Ok(Records {
        pending,
        current: None,
        options: Arc::new(options),
    })
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        let Ok(metadata) = std::fs::symlink_metadata(&entry) else {
            continue;
        };
        if metadata.is_dir() {
            // An unreadable subfolder is skipped rather than ending the scan.
            let _ = walk(&entry, files);
        } else if metadata.is_file() || metadata.file_type().is_symlink() && entry.is_file() {
            files.push(entry);
        }
    }
    Ok(())
}

impl Iterator for Records {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            if let Some(source) = &mut self.current {
                if let Some(record) = source.next_record() {
                    return Some(record);
                }
                self.current = None;
            }
            let input = self.pending.pop_front()?;
            match open_input(&input, &self.options) {
                Ok(source) => self.current = Some(source),
                Err(record) => return Some(*record),
            }
        }
    }
}

fn display_name(input: &Input) -> String {
    match input {
        Input::Stdin => "<stdin>".to_string(),
        Input::File(path) => path.display().to_string(),
    }
}

fn open_input(
    input: &Input,
    options: &Arc<InputOptions>,
) -> Result<Box<dyn RecordSource>, Box<Record>> {
    let file = display_name(input);
    let whole_file = Location {
        file: file.clone(),
        line: 0,
    };
    let fail = |kind, message: String| {
        Box::new(Record {
            location: whole_file.clone(),
            bytes: 0,
            result: Err(record_error(&whole_file, kind, None, message)),
        })
    };
    let (raw, name): (Box<dyn Read + Send>, String) = match input {
        Input::Stdin => (Box::new(io::stdin()), String::new()),
        Input::File(path) => match File::open(path) {
            Ok(f) => (
                Box::new(f),
                path.file_name()
                    .map(|n| n.to_string_lossy().to_lowercase())
                    .unwrap_or_default(),
            ),
            Err(e) => return Err(fail(ErrorKind::ReadError, format!("cannot open file: {e}"))),
        },
    };
    let mut reader = BufReader::with_capacity(BUFFER_BYTES, raw);
    let head = match reader.fill_buf() {
        Ok(head) => head,
        Err(e) => return Err(fail(ErrorKind::ReadError, format!("cannot read file: {e}"))),
    };
    let (inner_name, decompressed): (&str, Box<dyn BufRead + Send>) = if name.ends_with(".gz")
        || head.starts_with(GZIP_MAGIC)
    {
        let inner = name.strip_suffix(".gz").unwrap_or(&name);
        (
            inner,
            Box::new(BufReader::with_capacity(
                BUFFER_BYTES,
                flate2::bufread::MultiGzDecoder::new(reader),
            )),
        )
    } else if name.ends_with(".zst") || name.ends_with(".zstd") || head.starts_with(ZSTD_MAGIC) {
        let inner = name.trim_end_matches(".zstd").trim_end_matches(".zst");
        match ruzstd::decoding::StreamingDecoder::new(reader) {
            Ok(decoder) => (
                inner,
                Box::new(BufReader::with_capacity(BUFFER_BYTES, decoder)),
            ),
            Err(e) => {
                return Err(fail(
                    ErrorKind::ReadError,
                    format!("corrupt zstd data: {e}"),
                ));
            }
        }
    } else {
        (name.as_str(), Box::new(reader))
    };
    let mut reader = decompressed;
    let extension = inner_name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let by_extension = match extension {
        "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
        "csv" => Some(Format::Csv),
        "txt" | "text" => Some(if options.lines {
            Format::Lines
        } else {
            Format::Text
        }),
        _ => None,
    };
    let format = match options.format.or(by_extension) {
        Some(format) => format,
        None => {
            let head = match reader.fill_buf() {
                Ok(head) => head,
                Err(e) => return Err(fail(ErrorKind::ReadError, format!("cannot read file: {e}"))),
            };
            let sample = &head[..head.len().min(8192)];
            if sample.contains(&0) {
                return Err(fail(
                    ErrorKind::BinaryFile,
                    "binary file (contains NUL bytes), not a JSONL, CSV or text file".to_string(),
                ));
            }
            match sample.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{') => Format::Jsonl,
                _ if options.lines || matches!(input, Input::Stdin) => Format::Lines,
                _ => Format::Text,
            }
        }
    };
    let options = Arc::clone(options);
    Ok(match format {
        Format::Jsonl => Box::new(JsonlSource::new(reader, file, options)),
        Format::Csv => Box::new(CsvSource::new(reader, file, options)),
        Format::Lines => Box::new(LinesSource::new(reader, file, options)),
        Format::Text => Box::new(TextSource::new(reader, file, options)),
    })
}
