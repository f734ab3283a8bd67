//! Any bytes as an input file in every format (JSONL, CSV, text, lines; raw, gzip or zstd
//! by magic): every record is an ad or an error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lure::input::{Format, InputOptions, open};
use std::io::Write;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("lure-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("input");
    let Ok(mut file) = std::fs::File::create(&path) else { return };
    if file.write_all(data).is_err() {
        return;
    }
    drop(file);
    for format in [None, Some(Format::Jsonl), Some(Format::Csv), Some(Format::Text), Some(Format::Lines)] {
        let options = InputOptions { format, max_record_bytes: 1 << 16, ..InputOptions::default() };
        if let Ok(records) = open(std::slice::from_ref(&path), options) {
            for record in records.take(10_000) {
                let _ = record.result;
            }
        }
    }
});
