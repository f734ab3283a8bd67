//! A scraper's worst dump: 100,000 records with bad JSON, invalid UTF-8, NUL bytes, wrong
//! types, a 10 MB line, and a gzip file cut in half. The output has exactly one line per
//! record, in order (issue 6).

use assert_cmd::Command;
use std::io::Write;

const RULES: &str = "[[rule]]\nid = \"TG\"\ndescription = \"d\"\ncategory = \"messenger\"\nweight = 1.0\nkeywords = [\"telegram\"]\nexamples.match = [\"telegram\"]\nexamples.no_match = [\"x\"]\n";

/// Line `i` of the dump and what its output must be: `None` for a scored ad, or the error
/// kind.
fn record(i: usize) -> (Vec<u8>, Option<&'static str>) {
    match i % 10 {
        0 => (b"{\"text\": \"broken".to_vec(), Some("invalid_json")),
        1 => (b"{\"text\":\"caf\xc3\x28\"}".to_vec(), Some("invalid_utf8")),
        2 => (
            b"{\"text\":\"nul\x00inside\"}".to_vec(),
            Some("invalid_json"),
        ),
        3 => (format!("{{\"text\":{i}}}").into_bytes(), Some("wrong_type")),
        4 => (
            b"{\"title\":\"only a title\"}".to_vec(),
            Some("missing_field"),
        ),
        5 => (b"\"a string\"".to_vec(), Some("not_an_object")),
        _ => (
            format!("{{\"id\":\"ad-{i}\",\"text\":\"telegram job {i} \\u0000 end\"}}").into_bytes(),
            None,
        ),
    }
}

#[test]
fn every_record_of_a_corrupted_dump_gets_one_line_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, RULES).unwrap();
    let mut dump = Vec::new();
    let mut expected = Vec::new();
    for i in 0..100_000 {
        let (line, outcome) = record(i);
        dump.extend_from_slice(&line);
        dump.push(b'\n');
        expected.push(outcome);
        if i == 50_000 {
            dump.extend_from_slice(
                format!("{{\"text\":\"{}\"}}\n", "z".repeat(10 * 1024 * 1024)).as_bytes(),
            );
            expected.push(None);
        }
    }
    let path = dir.path().join("dump.jsonl");
    std::fs::write(&path, &dump).unwrap();
    let output = Command::cargo_bin("lure")
        .unwrap()
        .args(["scan", "-q", "--no-model", "--jobs", "2", "--rules"])
        .arg(&rules)
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), expected.len());
    for (n, (line, outcome)) in lines.iter().zip(&expected).enumerate() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        match outcome {
            Some(kind) => {
                assert_eq!(value["error"]["kind"], *kind, "line {}: {line}", n + 1);
                assert_eq!(value["error"]["line"], n + 1);
            }
            None => assert!(value.get("error").is_none(), "line {}: {line}", n + 1),
        }
    }
}

#[test]
fn a_truncated_gzip_dump_reports_one_read_error_after_what_it_could_read() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, RULES).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for i in 0..20_000 {
        // Varied text so the compressed stream is long enough to cut in the middle.
        writeln!(
            gz,
            "{{\"id\":\"{i}\",\"text\":\"telegram {} {i}\"}}",
            i * 7919 % 104_729
        )
        .unwrap();
    }
    let bytes = gz.finish().unwrap();
    let path = dir.path().join("dump.jsonl.gz");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let output = Command::cargo_bin("lure")
        .unwrap()
        .args(["scan", "-q", "--no-model", "--rules"])
        .arg(&rules)
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (last, read) = lines.split_last().unwrap();
    assert_eq!(last["error"]["kind"], "read_error");
    assert!(read.len() > 1000 && read.len() < 20_000, "{}", read.len());
    for (i, record) in read.iter().enumerate() {
        assert_eq!(record["id"], i.to_string());
    }
}
