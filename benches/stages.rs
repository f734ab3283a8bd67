//! Per-stage benchmarks on the bundled sample, per language: normalisation, language
//! detection, rules-only scoring, and scoring with the model.
//!
//! Run: `cargo bench --bench stages`. Figures and the machine are in the README.

use lure::{Ad, Detector};

fn main() {
    divan::main();
}

const LANGS: &[&str] = &["zh", "th", "vi", "id", "en"];

/// The sample's ads of one language (by id prefix), as owned ads.
fn sample(lang: &str) -> Vec<Ad> {
    let text = include_str!("../datasets/sample.jsonl");
    text.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|row| {
            row["id"]
                .as_str()
                .is_some_and(|id| id.starts_with(&format!("sample-{lang}")))
        })
        .map(|row| {
            let mut ad = Ad::new(row["text"].as_str().unwrap_or_default());
            ad.title = row["title"].as_str().map(str::to_string);
            ad
        })
        .collect()
}

fn bytes(ads: &[Ad]) -> usize {
    ads.iter()
        .map(|a| a.text.len() + a.title.as_ref().map_or(0, String::len))
        .sum()
}

#[divan::bench(args = LANGS)]
fn normalize(bencher: divan::Bencher, lang: &str) {
    let ads = sample(lang);
    bencher
        .counter(divan::counter::BytesCount::new(bytes(&ads)))
        .bench(|| {
            ads.iter()
                .map(|ad| lure::normalize_text(&ad.text).len())
                .sum::<usize>()
        });
}

#[divan::bench(args = LANGS)]
fn detect_language(bencher: divan::Bencher, lang: &str) {
    let ads = sample(lang);
    bencher
        .counter(divan::counter::BytesCount::new(bytes(&ads)))
        .bench(|| {
            ads.iter()
                .map(|ad| lure::detect_language(&ad.text) as u8 as usize)
                .sum::<usize>()
        });
}

/// Scores the sample ads of `lang` with one reused scanner.
fn bench_scoring(bencher: divan::Bencher, detector: &Detector, lang: &str) {
    let ads = sample(lang);
    let mut scanner = detector.scanner();
    bencher
        .counter(divan::counter::BytesCount::new(bytes(&ads)))
        .bench_local(|| {
            ads.iter()
                .map(|ad| scanner.score(ad).hits.len())
                .sum::<usize>()
        });
}

#[divan::bench(args = LANGS)]
fn score_rules_only(bencher: divan::Bencher, lang: &str) {
    let detector = Detector::builder().use_model(false).build().expect("rules");
    bench_scoring(bencher, &detector, lang);
}

#[divan::bench(args = LANGS)]
fn score_with_model(bencher: divan::Bencher, lang: &str) {
    let detector = Detector::new().expect("rules and model");
    bench_scoring(bencher, &detector, lang);
}

#[divan::bench]
fn build_detector() -> usize {
    Detector::new().expect("rules and model").rules().len()
}
