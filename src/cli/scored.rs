//! Shared by `cluster` and `report`: walk inputs that are either `lure scan` results
//! (JSONL with `entities`) or ads (scored here, in parallel chunks), in input order.

use super::args::RuleOptions;
use super::build_detector;
use anyhow::{Context, Result};
use lure::Assessment;
use lure::input::{self, InputOptions};
use rayon::prelude::*;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;

/// One scored ad: the result, and the original title and text when the input had them.
pub struct Scored {
    pub assessment: Assessment,
    pub title: Option<String>,
    pub text: Option<String>,
}

/// Calls `each` for every readable record of `inputs`, in order; returns how many.
pub fn for_each(
    inputs: &[PathBuf],
    rules: &[PathBuf],
    mut each: impl FnMut(Scored),
) -> Result<usize> {
    let mut count = 0;
    let mut ads_paths = Vec::new();
    for path in inputs {
        if !is_results_file(path) {
            ads_paths.push(path.clone());
            continue;
        }
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        for line in BufReader::new(file).lines() {
            let line = line.with_context(|| format!("cannot read {}", path.display()))?;
            if let Ok(assessment) = serde_json::from_str::<Assessment>(&line) {
                count += 1;
                each(Scored {
                    assessment,
                    title: None,
                    text: None,
                });
            }
        }
    }
    if ads_paths.is_empty() {
        return Ok(count);
    }
    let detector = build_detector(&RuleOptions {
        rules: rules.to_vec(),
        ..RuleOptions::default()
    })?;
    let records =
        input::open(&ads_paths, InputOptions::default()).context("cannot open the input")?;
    let mut chunk: Vec<lure::Ad> = Vec::with_capacity(4096);
    let flush = |chunk: &mut Vec<lure::Ad>, each: &mut dyn FnMut(Scored)| {
        let results: Vec<Assessment> = chunk
            .par_iter()
            .map_init(|| detector.scanner(), |scanner, ad| scanner.score(ad))
            .collect();
        for (ad, assessment) in chunk.drain(..).zip(results) {
            each(Scored {
                assessment,
                title: ad.title,
                text: Some(ad.text),
            });
        }
    };
    for record in records {
        if let Ok(ad) = record.result {
            chunk.push(ad);
            count += 1;
            if chunk.len() == 4096 {
                flush(&mut chunk, &mut each);
            }
        }
    }
    flush(&mut chunk, &mut each);
    Ok(count)
}

/// A JSON Lines file whose first record is a `lure scan` result (`entities` or `error`).
fn is_results_file(path: &std::path::Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let first = BufReader::new(file)
        .lines()
        .map_while(Result::ok)
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    serde_json::from_str::<Value>(&first)
        .is_ok_and(|v| v.get("entities").is_some() || v.get("error").is_some())
}
