//! The `lure` binary on temporary files: formats, bad input, ordering, exit codes.

use assert_cmd::Command;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

const RULES: &str = r#"
[[rule]]
id = "TELEGRAM"
description = "telegram contact"
category = "messenger"
weight = 1.0
keywords = ["telegram", "纸飞机"]
examples.match = ["telegram"]
examples.no_match = ["signal"]

[[rule]]
id = "HOTSPOT"
description = "compound town"
category = "destination"
weight = 2.5
keywords = ["西港", "sihanoukville"]
examples.match = ["西港"]
examples.no_match = ["北京"]
"#;

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let fixture = Fixture {
            dir: tempfile::tempdir().unwrap(),
        };
        fixture.write("rules.toml", RULES.as_bytes());
        fixture
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn lure(&self) -> Command {
        let mut cmd = Command::cargo_bin("lure").unwrap();
        cmd.current_dir(self.dir.path()).env("NO_COLOR", "1");
        cmd
    }

    /// Runs `lure scan --rules rules.toml ARGS`, expects success, returns stdout lines.
    fn scan(&self, args: &[&str]) -> Vec<String> {
        let output = self
            .lure()
            .arg("scan")
            .arg("--no-model")
            .arg("--rules")
            .arg(self.path("rules.toml"))
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    }

    fn scan_json(&self, args: &[&str]) -> Vec<Value> {
        self.scan(args)
            .iter()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect()
    }
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn jsonl_gives_one_result_per_line_in_order_with_ids() {
    let f = Fixture::new();
    let input = f.write(
        "ads.jsonl",
        "{\"id\":\"a\",\"text\":\"telegram 西港\"}\n\n{\"body\":\"hello\"}\n{\"id\":7,\"description\":\"纸飞机\",\"title\":\"x\"}\n".as_bytes(),
    );
    let out = f.scan_json(&[s(&input), "-q"]);
    assert_eq!(out.len(), 3);
    assert_eq!(out[0]["id"], "a");
    assert_eq!(out[0]["flagged"], true);
    assert_eq!(out[0]["verdict"], "scam");
    assert_eq!(out[1]["id"], format!("{}:3", s(&input)));
    assert_eq!(out[1]["verdict"], "clean");
    assert_eq!(out[2]["id"], "7");
    let hit = &out[0]["hits"][0];
    assert_eq!(hit["rule"], "HOTSPOT");
    assert_eq!(hit["field"], "text");
    assert_eq!(hit["spans"][0], serde_json::json!([9, 15]));
    assert_eq!(hit["text"], "西港");
}

#[test]
fn bad_records_become_error_lines_and_nothing_is_lost() {
    let f = Fixture::new();
    let mut data = Vec::new();
    data.extend_from_slice(b"{\"text\":\"telegram\"}\n"); // 1 ok
    data.extend_from_slice(b"{\"text\": broken\n"); // 2 invalid JSON
    data.extend_from_slice(b"{\"text\":\"caf\xff\"}\n"); // 3 invalid UTF-8
    data.extend_from_slice(b"{\"text\":\"a\x00b\"}\n"); // 4 raw NUL
    data.extend_from_slice(b"{\"title\":\"no text\"}\n"); // 5 missing text
    data.extend_from_slice(b"{\"text\":42}\n"); // 6 wrong type
    data.extend_from_slice(b"[1,2]\n"); // 7 not an object
    data.extend_from_slice(
        format!(
            "{{\"text\":\"{}telegram\"}}\n",
            "x".repeat(10 * 1024 * 1024)
        )
        .as_bytes(),
    ); // 8 10 MB
    data.extend_from_slice(b"{\"text\":\"ok again\",\"title\":[1]}\n"); // 9 title wrong type
    data.extend_from_slice(b"{\"text\":\"last\"}"); // 10 no final newline
    let input = f.write("bad.jsonl", &data);
    let out = f.scan_json(&[s(&input), "-q"]);
    assert_eq!(out.len(), 10, "one output per input record");
    let name = s(&input);
    let expect_error = |i: usize, kind: &str, field: Option<&str>| {
        let error = &out[i]["error"];
        assert_eq!(error["kind"], kind, "line {}: {}", i + 1, out[i]);
        assert_eq!(error["line"], (i + 1) as u64);
        assert_eq!(error["file"], name);
        assert_eq!(out[i]["id"], format!("{name}:{}", i + 1));
        match field {
            Some(field) => assert_eq!(error["field"], field),
            None => assert!(error.get("field").is_none()),
        }
        assert!(!error["message"].as_str().unwrap().is_empty());
    };
    assert_eq!(out[0]["verdict"], "clean");
    expect_error(1, "invalid_json", None);
    expect_error(2, "invalid_utf8", None);
    expect_error(3, "invalid_json", None);
    expect_error(4, "missing_field", Some("text"));
    expect_error(5, "wrong_type", Some("text"));
    expect_error(6, "not_an_object", None);
    assert_eq!(
        out[7]["truncated"], true,
        "the 10 MB line is scored on a prefix"
    );
    expect_error(8, "wrong_type", Some("title"));
    assert_eq!(out[9]["id"], format!("{name}:10"));
}

#[test]
fn record_over_the_cap_is_an_error_and_the_next_line_survives() {
    let f = Fixture::new();
    let input = f.write(
        "big.jsonl",
        format!(
            "{{\"text\":\"{}\"}}\n{{\"text\":\"telegram\"}}\n",
            "y".repeat(5000)
        )
        .as_bytes(),
    );
    let out = f.scan_json(&[s(&input), "-q", "--max-record-bytes", "1000"]);
    assert_eq!(out.len(), 2);
    assert_eq!(out[0]["error"]["kind"], "record_too_large");
    assert_eq!(out[1]["hits"][0]["rule"], "TELEGRAM");
}

#[test]
fn csv_rows_with_wrong_column_counts_are_reported() {
    let f = Fixture::new();
    let input = f.write(
        "ads.csv",
        &[
            b"ad_id,title,body\n1,Hiring,\"telegram, \"\"now\"\"\"\n2,only two\n3,t,\"multi\nline "
                .as_slice(),
            "西港".as_bytes(),
            b"\"\n4,t,caf\xff\n",
        ]
        .concat(),
    );
    let out = f.scan_json(&[s(&input), "-q", "--id-field", "ad_id"]);
    assert_eq!(out.len(), 4);
    assert_eq!(out[0]["id"], "1");
    assert_eq!(out[0]["hits"][0]["rule"], "TELEGRAM");
    assert_eq!(out[1]["error"]["kind"], "invalid_csv");
    assert_eq!(out[1]["error"]["line"], 3);
    assert!(
        out[1]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("2 fields")
    );
    assert_eq!(out[2]["id"], "3");
    assert_eq!(out[2]["hits"][0]["rule"], "HOTSPOT");
    assert_eq!(out[3]["error"]["kind"], "invalid_utf8");
    assert_eq!(out[3]["error"]["field"], "body");
}

#[test]
fn text_files_folders_and_binary_files() {
    let f = Fixture::new();
    f.write(
        "dump/a.txt",
        "Work in Sihanoukville\ncontact telegram".as_bytes(),
    );
    f.write(
        "dump/sub/b.jsonl",
        b"{\"text\":\"hello\"}\n{\"text\":\"telegram\"}\n",
    );
    f.write("dump/sub/c.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR");
    f.write("dump/empty.jsonl", b"");
    let out = f.scan_json(&[s(&f.path("dump")), "-q"]);
    assert_eq!(out.len(), 4, "{out:?}");
    assert_eq!(out[0]["id"], s(&f.path("dump/a.txt")));
    assert_eq!(out[0]["verdict"], "scam");
    assert_eq!(out[1]["verdict"], "clean");
    assert_eq!(out[2]["hits"][0]["rule"], "TELEGRAM");
    assert_eq!(out[3]["error"]["kind"], "binary_file");
    assert_eq!(out[3]["error"]["file"], s(&f.path("dump/sub/c.bin")));
}

#[test]
fn lines_mode_reads_one_ad_per_line() {
    let f = Fixture::new();
    let input = f.write(
        "posts.txt",
        "first telegram\n\nsecond\nthird 西港\n".as_bytes(),
    );
    let out = f.scan_json(&[s(&input), "-q", "--lines"]);
    assert_eq!(out.len(), 3);
    assert_eq!(out[2]["id"], format!("{}:4", s(&input)));
}

#[test]
fn compressed_inputs_and_truncated_gzip() {
    let f = Fixture::new();
    let jsonl: String = (0..50)
        .map(|i| format!("{{\"id\":\"{i}\",\"text\":\"telegram {i}\"}}\n"))
        .collect();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(jsonl.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let zst = ruzstd::encoding::compress_to_vec(
        jsonl.as_bytes(),
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    let from_gz = f.write("ads.jsonl.gz", &gz);
    let from_zst = f.write("ads.jsonl.zst", &zst);
    for path in [&from_gz, &from_zst] {
        let out = f.scan_json(&[s(path), "-q"]);
        assert_eq!(out.len(), 50, "{}", s(path));
        assert_eq!(out[49]["id"], "49");
    }
    let truncated = f.write("cut.jsonl.gz", &gz[..gz.len() / 2]);
    let out = f.scan_json(&[s(&truncated), "-q"]);
    let last = out.last().unwrap();
    assert_eq!(last["error"]["kind"], "read_error", "{last}");
    assert!(
        out[..out.len() - 1]
            .iter()
            .all(|r| r.get("error").is_none())
    );
}

#[test]
fn stdin_is_read_with_dash() {
    let f = Fixture::new();
    let output = f
        .lure()
        .args([
            "scan",
            "-q",
            "--no-model",
            "--rules",
            s(&f.path("rules.toml")),
            "-",
        ])
        .write_stdin("{\"text\":\"telegram\"}\n{\"text\":\"x\"}\n")
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[1].contains("\"id\":\"<stdin>:2\""), "{}", lines[1]);
}

#[test]
fn output_is_identical_for_any_number_of_jobs() {
    let f = Fixture::new();
    let jsonl: String = (0..5000)
        .map(|i| {
            let text = match i % 4 {
                0 => format!("telegram {i}"),
                1 => format!("西港 job {i}"),
                2 => "broken".to_string(),
                _ => format!("nothing {i}"),
            };
            if i % 4 == 2 {
                format!("{{\"text\": {text}\n")
            } else {
                format!("{{\"id\":\"{i}\",\"text\":\"{text}\"}}\n")
            }
        })
        .collect();
    let input = f.write("many.jsonl", jsonl.as_bytes());
    let one = f.scan(&[s(&input), "-q", "--jobs", "1"]);
    let two = f.scan(&[s(&input), "-q", "--jobs", "2"]);
    assert_eq!(one.len(), 5000);
    assert_eq!(one, two);
}

#[test]
fn table_and_csv_formats() {
    let f = Fixture::new();
    let input = f.write(
        "ads.jsonl",
        b"{\"id\":\"a,1\",\"text\":\"telegram\"}\n{\"text\": nope}\n",
    );
    let csv = f.scan(&[s(&input), "-q", "--format", "csv"]);
    assert_eq!(csv[0], "id,flagged,score,verdict,lang,rules,error");
    assert!(csv[1].starts_with("\"a,1\",false,"), "{}", csv[1]);
    assert!(csv[1].contains(",TELEGRAM,"));
    assert!(csv[2].contains("invalid JSON"));
    let table = f.scan(&[s(&input), "-q", "--format", "table"]);
    assert!(table[0].starts_with("ID"));
    assert!(table[1].contains("TELEGRAM"));
    assert!(table[2].contains("error"));
}

#[test]
fn summary_goes_to_stderr() {
    let f = Fixture::new();
    let input = f.write(
        "ads.jsonl",
        "{\"text\":\"telegram 西港\"}\n{\"text\":\"x\"}\n{bad\n".as_bytes(),
    );
    let output = f
        .lure()
        .args([
            "scan",
            "--no-model",
            "--rules",
            s(&f.path("rules.toml")),
            s(&input),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("3 records (1 errors)"), "{stderr}");
    assert!(stderr.contains("scam 1, suspicious 0, clean 1"), "{stderr}");
    assert_eq!(String::from_utf8(output.stdout).unwrap().lines().count(), 3);
}

#[test]
fn missing_input_is_fatal_with_exit_2() {
    let f = Fixture::new();
    let output = f
        .lure()
        .args([
            "scan",
            "--rules",
            s(&f.path("rules.toml")),
            "does-not-exist.jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: cannot open the input: cannot read does-not-exist.jsonl"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn invalid_rules_are_fatal_with_locations() {
    let f = Fixture::new();
    let bad = f.write("bad.toml", b"[[rule]]\nid = \"A\"\ndescription = \"d\"\ncategory = \"pay\"\nweight = 1.0\nregex = ['(']\nexamples.match = [\"x\"]\nexamples.no_match = [\"y\"]\n");
    let input = f.write("ads.jsonl", b"{\"text\":\"x\"}\n");
    let output = f
        .lure()
        .args(["scan", "--rules", s(&bad), s(&input)])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("bad.toml:6:10"), "{stderr}");
    assert!(stderr.contains("hint:"), "{stderr}");

    let check = f
        .lure()
        .args(["rules", "check", "--rules", s(&bad)])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    let stdout = String::from_utf8(check.stdout).unwrap();
    assert!(stdout.contains("error[E004]"), "{stdout}");
}

#[test]
fn rules_check_and_test_pass_on_good_rules() {
    let f = Fixture::new();
    let rules = f.path("rules.toml");
    let check = f
        .lure()
        .args(["rules", "check", "--rules", s(&rules)])
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let test = f
        .lure()
        .args(["rules", "test", "--rules", s(&rules)])
        .output()
        .unwrap();
    assert_eq!(test.status.code(), Some(0));
    assert!(
        String::from_utf8(test.stdout)
            .unwrap()
            .contains("4 examples of 2 rules: 0 failed")
    );
}

#[test]
fn rules_test_names_the_failing_example() {
    let f = Fixture::new();
    let rules = f.write(
        "failing.toml",
        b"[[rule]]\nid = \"A\"\ndescription = \"d\"\ncategory = \"pay\"\nweight = 1.0\nkeywords = [\"gaji\"]\nexamples.match = [\"pengajian\"]\nexamples.no_match = [\"y\"]\n",
    );
    let test = f
        .lure()
        .args(["rules", "test", "--rules", s(&rules)])
        .output()
        .unwrap();
    assert_eq!(test.status.code(), Some(1));
    let stdout = String::from_utf8(test.stdout).unwrap();
    assert!(
        stdout.contains("FAIL") && stdout.contains(":2 A: examples.match did not match"),
        "{stdout}"
    );
    assert!(stdout.contains("example: pengajian"), "{stdout}");
}

#[test]
fn explain_highlights_hits_without_colour() {
    let f = Fixture::new();
    let output = f
        .lure()
        .args([
            "explain",
            "--rules",
            s(&f.path("rules.toml")),
            "Job in 西 港, contact ＴＥＬＥＧＲＡＭ",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("Job in [[西 港]], contact [[ＴＥＬＥＧＲＡＭ]]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("HOTSPOT") && stdout.contains("+2.50"),
        "{stdout}"
    );
    assert!(!stdout.contains('\x1b'));
    let json = f
        .lure()
        .args([
            "explain",
            "--json",
            "--rules",
            s(&f.path("rules.toml")),
            "-",
        ])
        .write_stdin("telegram")
        .output()
        .unwrap();
    let value: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["hits"][0]["rule"], "TELEGRAM");
}

#[test]
fn closed_pipe_ends_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let f = Fixture::new();
    let jsonl: String = (0..200_000)
        .map(|i| format!("{{\"text\":\"telegram {i}\"}}\n"))
        .collect();
    let input = f.write("big.jsonl", jsonl.as_bytes());
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("lure"))
        .args(["scan", "-q", "--rules", s(&f.path("rules.toml")), s(&input)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with('{'));
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "status {:?}", output.status);
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn help_shows_examples_and_exit_codes_and_completions_work() {
    let f = Fixture::new();
    for sub in ["scan", "explain", "completions"] {
        let help = f.lure().args([sub, "--help"]).output().unwrap();
        let text = String::from_utf8(help.stdout).unwrap();
        assert!(text.contains("Examples:"), "{sub}: {text}");
    }
    let top = String::from_utf8(f.lure().arg("--help").output().unwrap().stdout).unwrap();
    assert!(top.contains("Exit codes:"));
    let completions = f.lure().args(["completions", "bash"]).output().unwrap();
    assert!(
        String::from_utf8(completions.stdout)
            .unwrap()
            .contains("_lure()")
    );
}

#[test]
fn rules_stats_and_fit_on_labelled_data() {
    let f = Fixture::new();
    let mut data = String::new();
    for i in 0..30 {
        let (text, label) = match i % 3 {
            0 => ("telegram 西港 job", 1),
            1 => ("telegram only", 0),
            _ => ("西港 tourism", 0),
        };
        data.push_str(&format!("{{\"text\":\"{text}\",\"label\":{label}}}\n"));
    }
    let labelled = f.write("labelled.jsonl", data.as_bytes());
    let rules = f.path("rules.toml");
    let stats = f
        .lure()
        .args([
            "rules",
            "stats",
            "--json",
            "--rules",
            s(&rules),
            "--data",
            s(&labelled),
        ])
        .output()
        .unwrap();
    assert!(
        stats.status.success(),
        "{}",
        String::from_utf8_lossy(&stats.stderr)
    );
    let stats: Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(stats["scams"], 10);
    let telegram = stats["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "TELEGRAM")
        .unwrap();
    assert_eq!(telegram["scam_hits"], 10);
    assert_eq!(telegram["other_hits"], 10);
    assert_eq!(telegram["precision"], 0.5);

    let before = std::fs::read_to_string(&rules).unwrap();
    let fit = f
        .lure()
        .args([
            "rules",
            "fit",
            "--write",
            "--min-hits",
            "1",
            "--rules",
            s(&rules),
            "--data",
            s(&labelled),
        ])
        .output()
        .unwrap();
    assert!(
        fit.status.success(),
        "{}",
        String::from_utf8_lossy(&fit.stderr)
    );
    let diff = String::from_utf8(fit.stdout).unwrap();
    assert!(
        diff.contains("-TELEGRAM") && diff.contains("+TELEGRAM"),
        "{diff}"
    );
    let after = std::fs::read_to_string(&rules).unwrap();
    assert_ne!(before, after);
    assert_eq!(
        before.lines().count(),
        after.lines().count(),
        "only weight values change"
    );
    let check = f
        .lure()
        .args(["rules", "check", "--rules", s(&rules)])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0));

    let refused = f
        .lure()
        .args(["rules", "fit", "--write", "--data", s(&labelled)])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8(refused.stderr)
            .unwrap()
            .contains("hint: add --rules")
    );
}

#[test]
fn profile_reports_stages_and_slow_regex_rules() {
    let f = Fixture::new();
    let rules = f.write(
        "regex.toml",
        b"[[rule]]\nid = \"PAY\"\ndescription = \"d\"\ncategory = \"pay\"\nweight = 1.0\nregex = ['\\d{4,} ?usd']\nexamples.match = [\"2000 usd\"]\nexamples.no_match = [\"20 usd\"]\n",
    );
    let input = f.write(
        "ads.jsonl",
        b"{\"text\":\"pay 2000 usd\"}\n{\"text\":\"pay 3000 usd\"}\n",
    );
    let output = f
        .lure()
        .args([
            "scan",
            "-q",
            "--no-model",
            "--profile",
            "--rules",
            s(&rules),
            s(&input),
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("profile of 2 ads"), "{stderr}");
    for stage in [
        "normalise",
        "language",
        "keywords",
        "regexes",
        "rules",
        "model",
    ] {
        assert!(stderr.contains(stage), "{stage}: {stderr}");
    }
    assert!(stderr.contains("s  PAY"), "{stderr}");
    assert_eq!(String::from_utf8(output.stdout).unwrap().lines().count(), 2);
}

#[test]
fn cluster_groups_shared_contacts_and_reposts() {
    let f = Fixture::new();
    let repost = "Hiring customer service staff for our office in Sihanoukville, salary 1500 USD per month, free flight, visa and dormitory, no experience needed";
    let ads = [
        ("a", "งานแอดมิน รายได้ดี โทร 081-000-1234".to_string(), "th"),
        (
            "b",
            "Admin job, good pay, call +66 81 000 1234".to_string(),
            "en",
        ),
        ("c", repost.to_string(), "en"),
        ("d", repost.replace("1500", "1600") + ", apply today", "en"),
        (
            "e",
            "Bakery in Chiang Mai needs a baker with five years of experience".to_string(),
            "en",
        ),
    ];
    let jsonl: String = ads
        .iter()
        .map(|(id, text, lang)| {
            serde_json::json!({"id": id, "text": text, "lang": lang}).to_string() + "\n"
        })
        .collect();
    let input = f.write("ads.jsonl", jsonl.as_bytes());
    let output = f
        .lure()
        .args(["cluster", "-q", s(&input)])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let campaigns: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let groups: Vec<Vec<&str>> = campaigns
        .iter()
        .map(|c| {
            c["ads"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(groups, vec![vec!["a", "b"], vec!["c", "d"]]);
    assert_eq!(
        campaigns[0]["contacts"],
        serde_json::json!(["phone:+66810001234"])
    );
    assert_eq!(campaigns[1]["places"], serde_json::json!(["Sihanoukville"]));

    // Scan results (no text) cluster by contacts only.
    let results = f.lure().args(["scan", "-q", s(&input)]).output().unwrap();
    let results_path = f.write("results.jsonl", &results.stdout);
    let output = f
        .lure()
        .args(["cluster", "-q", s(&results_path)])
        .output()
        .unwrap();
    let lines: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["ads"], serde_json::json!(["a", "b"]));
}

#[test]
fn report_of_the_bundled_sample_is_self_contained() {
    let f = Fixture::new();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/sample.jsonl");
    let out = f.path("report.html");
    let output = f
        .lure()
        .args(["report", "-q", s(&sample), "-o", s(&out)])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let html = std::fs::read_to_string(&out).unwrap();
    for section in [
        "Score distribution",
        "Verdicts by language",
        "Most frequent rules",
        "Top contacts",
        "Top places",
        "Largest campaigns",
        "Highest-scoring ads",
    ] {
        assert!(html.contains(section), "{section}");
    }
    assert!(html.contains("24 ads: <b>12</b> scam"));
    assert!(html.contains("<svg") && html.contains("<mark class=\"pos\">"));
    assert!(
        !html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http"),
        "no network"
    );
}

/// `--low-memory` changes the regex engine of short searches, never the results: checked
/// with the embedded rules and model on the bundled sample.
#[test]
fn low_memory_mode_gives_the_same_output() {
    let f = Fixture::new();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/sample.jsonl");
    let run = |extra: &[&str]| {
        let output = f
            .lure()
            .arg("scan")
            .arg("-q")
            .arg(&sample)
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    let default = run(&[]);
    assert!(default.lines().count() >= 20, "{default}");
    assert_eq!(run(&["--low-memory"]), default);
}
