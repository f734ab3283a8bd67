//! Per-ad latency through the library, as a platform sees it: one `Scanner` scoring ads one
//! at a time with the embedded rules and model. Prints percentiles of the time per ad, for
//! the first pass over the ads (cold: each regex is compiled when first needed) and for
//! the passes after it (warm), on `datasets/dev.jsonl` and `datasets/test.jsonl` (1,355
//! ads in five languages, 37 to 2,300 bytes).
//!
//! Run: `cargo bench --bench latency` (add `-- PASSES` to change the warm passes, default
//! 20). Figures and the machine are in the README.

use lure::{Ad, Detector};
use std::time::{Duration, Instant};

fn main() {
    let passes: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(20);
    let ads: Vec<Ad> = [
        include_str!("../datasets/dev.jsonl"),
        include_str!("../datasets/test.jsonl"),
    ]
    .iter()
    .flat_map(|text| text.lines())
    .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
    .map(|row| {
        let mut ad = Ad::new(row["text"].as_str().unwrap_or_default());
        ad.title = row["title"].as_str().map(str::to_string);
        ad
    })
    .collect();
    let bytes: usize = ads
        .iter()
        .map(|a| a.text.len() + a.title.as_ref().map_or(0, String::len))
        .sum();

    let started = Instant::now();
    let detector = Detector::new().expect("embedded rules and model load");
    let start_up = started.elapsed();
    let mut scanner = detector.scanner();

    let time_pass = |scanner: &mut lure::Scanner<'_>, into: &mut Vec<Duration>| {
        for ad in &ads {
            let t = Instant::now();
            let result = scanner.score(ad);
            into.push(t.elapsed());
            std::hint::black_box(result);
        }
    };
    let mut cold = Vec::with_capacity(ads.len());
    time_pass(&mut scanner, &mut cold);
    let mut warm = Vec::with_capacity(ads.len() * passes);
    for _ in 0..passes {
        time_pass(&mut scanner, &mut warm);
    }

    println!(
        "lure latency: {} ads, {:.1} KB on average; Detector::new() {:.1} ms",
        ads.len(),
        bytes as f64 / ads.len() as f64 / 1e3,
        start_up.as_secs_f64() * 1e3
    );
    report("cold (first pass)", &mut cold, bytes);
    report(
        &format!("warm ({passes} passes)"),
        &mut warm,
        bytes * passes,
    );

    // A service that compiles every regex up front: steady from the first ad.
    let started = Instant::now();
    let eager = Detector::builder()
        .compile_regexes_now(true)
        .build()
        .expect("embedded rules and model load");
    let start_up = started.elapsed();
    let mut scanner = eager.scanner();
    let mut first = Vec::with_capacity(ads.len());
    time_pass(&mut scanner, &mut first);
    println!(
        "  with compile_regexes_now(true): build {:.1} ms",
        start_up.as_secs_f64() * 1e3
    );
    report("first pass", &mut first, bytes);
}

fn report(label: &str, times: &mut [Duration], bytes: usize) {
    times.sort_unstable();
    let at = |q: f64| {
        let index = ((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1;
        times[index].as_secs_f64() * 1e3
    };
    let total: f64 = times.iter().map(Duration::as_secs_f64).sum();
    println!(
        "  {label:<20} p50 {:.3} ms  p90 {:.3} ms  p99 {:.3} ms  max {:.3} ms  ({:.0} ads/s, {:.1} MB/s on one thread)",
        at(0.50),
        at(0.90),
        at(0.99),
        at(1.0),
        times.len() as f64 / total,
        bytes as f64 / total / 1e6,
    );
}
