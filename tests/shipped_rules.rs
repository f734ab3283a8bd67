//! The rules shipped in `rules/` and embedded in the binary: they compile cleanly, every
//! example passes, and the bundled sample is scored as labelled.

use lure::{Ad, Detector};
use serde_json::Value;

#[test]
fn embedded_rules_compile_without_warnings() {
    let detector = Detector::new().expect("embedded rules compile");
    assert!(
        detector.rules().len() > 300,
        "{} rules",
        detector.rules().len()
    );
    assert!(
        detector.rules().warnings().is_empty(),
        "{:#?}",
        detector.rules().warnings()
    );
}

#[test]
fn every_rule_file_is_embedded() {
    let on_disk: Vec<String> = std::fs::read_dir("rules")
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    let from_disk = Detector::builder().rules_path("rules").build().unwrap();
    let embedded = Detector::new().unwrap();
    assert!(on_disk.len() >= 6, "{on_disk:?}");
    assert_eq!(
        from_disk.rules().len(),
        embedded.rules().len(),
        "a rule file in rules/ is missing from EMBEDDED_RULES"
    );
}

#[test]
fn every_rule_example_passes() {
    let report = Detector::new().unwrap().check_examples();
    assert!(report.total > 900);
    let failures: Vec<String> = report
        .failures
        .iter()
        .map(|f| {
            format!(
                "{}:{} {} ({}): {:?} fired {:?}",
                f.file, f.line, f.rule, f.expected_match, f.example, f.fired
            )
        })
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_bundled_sample_is_scored_as_labelled() {
    let detector = Detector::new().unwrap();
    let sample = std::fs::read_to_string("datasets/sample.jsonl").unwrap();
    let mut langs = std::collections::BTreeSet::new();
    for line in sample.lines() {
        let row: Value = serde_json::from_str(line).unwrap();
        let mut ad = Ad::new(row["text"].as_str().unwrap());
        ad.title = row["title"].as_str().map(str::to_string);
        ad.lang = row["lang"].as_str().map(str::to_string);
        let result = detector.score(&ad);
        let is_lure = row["label"] == 1;
        assert_eq!(
            result.flagged,
            is_lure,
            "{} scored {} with {:?}",
            row["id"],
            result.score,
            result.hits.iter().map(|h| &h.rule).collect::<Vec<_>>()
        );
        langs.insert(result.lang);
    }
    assert_eq!(langs.len(), 5, "all five languages detected: {langs:?}");
}

#[test]
fn every_language_file_covers_every_signal_category() {
    const CATEGORIES: &[&str] = &[
        "pay",
        "no_experience",
        "travel_paid",
        "destination",
        "vague_company",
        "messenger",
        "urgency",
        "requirements",
        "easy_job",
        "gambling_crypto",
        "irregular_visa",
        "money_contract",
        "decoy",
        "referral",
        "criminal_role",
        "obfuscation",
        "combination",
        "legitimacy",
        "warning",
    ];
    let detector = Detector::new().unwrap();
    for lang in ["zh", "th", "vi", "id", "en"] {
        let file = format!("rules/{lang}.toml");
        let used: Vec<&str> = detector
            .rules()
            .rules()
            .filter(|r| r.file == file && !r.helper)
            .map(|r| r.category)
            .collect();
        let missing: Vec<&&str> = CATEGORIES.iter().filter(|c| !used.contains(c)).collect();
        assert!(
            missing.is_empty(),
            "{file} has no scored rule in {missing:?}"
        );
    }
}
