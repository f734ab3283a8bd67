//! The classifier: training is deterministic, a model file round-trips, bad model files are
//! refused with a clear error, and `lure eval` reports what it measured.

use assert_cmd::Command;
use lure::labelled::{LabelledAd, read_labelled};
use lure::{Detector, TrainOptions};
use std::path::Path;

fn small_split(path: &str, per_class: usize) -> Vec<LabelledAd> {
    let all = read_labelled(Path::new(path)).unwrap();
    let scams = all.iter().filter(|a| a.label).take(per_class).cloned();
    let others = all.iter().filter(|a| !a.label).take(per_class).cloned();
    scams.chain(others).collect()
}

fn options() -> TrainOptions {
    TrainOptions {
        columns: 300,
        max_iterations: 60,
        ..TrainOptions::default()
    }
}

#[test]
fn training_is_deterministic_and_the_model_round_trips() {
    let rules_only = Detector::builder().use_model(false).build().unwrap();
    let train = small_split("datasets/train.jsonl", 60);
    let dev = small_split("datasets/dev.jsonl", 30);
    let first = lure::train(&rules_only, &train, &dev, "test".into(), &options()).unwrap();
    let second = lure::train(&rules_only, &train, &dev, "test".into(), &options()).unwrap();
    assert_eq!(first.model.to_json(), second.model.to_json());
    let info = first.model.training();
    assert_eq!((info.train_ads, info.dev_ads), (120, 60));
    assert!(info.columns <= 300);
    let threshold = first.model.flag_threshold();
    assert!((0.5..=0.9).contains(&threshold), "{threshold}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.model");
    std::fs::write(&path, first.model.to_json()).unwrap();
    let with_model = Detector::builder().model_path(&path).build().unwrap();
    assert_eq!(with_model.scoring().flag_threshold, threshold);
    let result = with_model.score(&train[0].ad);
    let p = result.model.expect("model probability in the result");
    assert!((0.0..=1.0).contains(&p));
    // The model separates its own training data better than chance.
    let mean = |label: bool| {
        let scores: Vec<f64> = train
            .iter()
            .filter(|a| a.label == label)
            .map(|a| with_model.score(&a.ad).model.unwrap())
            .collect();
        scores.iter().sum::<f64>() / scores.len() as f64
    };
    assert!(
        mean(true) > mean(false) + 0.2,
        "{} vs {}",
        mean(true),
        mean(false)
    );
}

#[test]
fn training_refuses_one_class_data() {
    let rules_only = Detector::builder().use_model(false).build().unwrap();
    let only_scams: Vec<LabelledAd> = small_split("datasets/train.jsonl", 20)
        .into_iter()
        .filter(|a| a.label)
        .collect();
    let error = lure::train(
        &rules_only,
        &only_scams,
        &only_scams,
        "x".into(),
        &options(),
    )
    .unwrap_err();
    assert!(error.contains("both"), "{error}");
}

#[test]
fn rules_only_results_have_no_model_field() {
    let rules_only = Detector::builder().use_model(false).build().unwrap();
    assert!(rules_only.model().is_none());
    assert!(rules_only.score(&lure::Ad::new("hello")).model.is_none());
}

#[test]
fn only_reported_warning_rules_cap_the_combined_score() {
    // A short lure that asks a question: the helper `__ID_QUESTION_MARK` (category
    // `warning`, unscored) matches, but no reported warning rule does, so the classifier
    // may lift the score above the rules-only score.
    let text = "ada yg mau kerja di Kamboj gk? admin doang, gaji 13jt, tmpt tinggal ama \
                makan ditanggung. yg minat koment 'aku' nanti sy japri";
    let mut ad = lure::Ad::new(text);
    ad.lang = Some("id".into());
    let rules_only = Detector::builder().use_model(false).build().unwrap();
    let combined = Detector::new().unwrap();
    let alone = rules_only.score(&ad);
    let stacked = combined.score(&ad);
    assert!(alone.hits.iter().all(|h| h.category != "warning"));
    assert!(stacked.model.unwrap() > 0.5, "{stacked:?}");
    assert!(
        stacked.score > alone.score,
        "{} vs {}",
        stacked.score,
        alone.score
    );

    // With a reported warning rule (news framing), the score stays at the rules-only one.
    let mut news = lure::Ad::new(format!(
        "Polisi mengimbau masyarakat waspada penipuan lowongan kerja. Contoh iklan: \"{text}\""
    ));
    news.lang = Some("id".into());
    let alone = rules_only.score(&news);
    let stacked = combined.score(&news);
    assert!(
        alone.hits.iter().any(|h| h.category == "warning"),
        "{alone:?}"
    );
    assert!(stacked.score <= alone.score);
}

#[test]
fn bad_model_files_are_fatal_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("ads.jsonl");
    std::fs::write(&input, "{\"text\":\"x\"}\n").unwrap();
    let cases = [
        (
            "corrupt.model",
            "{\"format\": \"lure-model\", \"format_version\": 1, \"weights\": [",
            "not a valid lure model",
        ),
        (
            "newer.model",
            "{\"format\": \"lure-model\", \"format_version\": 99}",
            "incompatible model",
        ),
        ("other.model", "[1, 2, 3]", "not a valid lure model"),
        (
            "text-version.model",
            "{\"format\": \"lure-model\", \"format_version\": \"1\"}",
            "incompatible model",
        ),
        (
            "number-format.model",
            "{\"format\": 7, \"format_version\": 1}",
            "missing \"format\"",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let output = Command::cargo_bin("lure")
            .unwrap()
            .args(["scan", "--model"])
            .arg(&path)
            .arg(&input)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.contains(expected) && stderr.contains(name),
            "{name}: {stderr}"
        );
    }
}

#[test]
fn eval_reports_metrics_per_language_and_kind() {
    let output = Command::cargo_bin("lure")
        .unwrap()
        .args([
            "eval",
            "--no-model",
            "--json",
            "--data",
            "datasets/sample.jsonl",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let overall = &report["overall"]["rules_only"];
    assert_eq!(overall["ads"], 24);
    assert_eq!(overall["scams"], 12);
    // The sample is scored as labelled by the rules (tests/shipped_rules.rs).
    assert_eq!(overall["f1"], 1.0);
    assert_eq!(overall["confusion"]["false_positives"], 0);
    assert_eq!(report["by_lang"].as_object().unwrap().len(), 5);
    assert_eq!(report["by_kind"]["lure"]["rules_only"]["recall"], 1.0);
    assert!(report.get("overall").unwrap().get("model_only").is_none());
}
