//! `lure cluster`: group ads into campaigns by shared contacts and near-duplicate text.

use super::args::{ClusterArgs, RuleOptions};
use super::{EXIT_OK, build_detector};
use anyhow::{Context, Result};
use lure::cluster::{ClusterInput, Clusterer};
use lure::input::{self, InputOptions};
use rayon::prelude::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};

pub fn run(args: ClusterArgs) -> Result<u8> {
    let mut clusterer = Clusterer::new(args.threshold);
    let mut ads_paths = Vec::new();
    let mut counted = 0usize;
    for path in &args.inputs {
        if is_results_file(path) {
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            for line in BufReader::new(file).lines() {
                let line = line.with_context(|| format!("cannot read {}", path.display()))?;
                if let Ok(Value::Object(record)) = serde_json::from_str::<Value>(&line) {
                    if record.contains_key("error") {
                        continue;
                    }
                    clusterer.add(from_result(&record));
                    counted += 1;
                }
            }
        } else {
            ads_paths.push(path.clone());
        }
    }
    if !ads_paths.is_empty() {
        let detector = build_detector(&RuleOptions {
            rules: args.rules.clone(),
            ..RuleOptions::default()
        })?;
        let records =
            input::open(&ads_paths, InputOptions::default()).context("cannot open the input")?;
        let mut chunk = Vec::with_capacity(4096);
        let flush = |chunk: &mut Vec<lure::Ad>, clusterer: &mut Clusterer| {
            let scored: Vec<ClusterInput> = chunk
                .par_iter()
                .map_init(
                    || detector.scanner(),
                    |scanner, ad| {
                        let result = scanner.score(ad);
                        ClusterInput {
                            id: result.id.clone(),
                            text: format!("{} {}", ad.title.as_deref().unwrap_or(""), ad.text),
                            contacts: result
                                .entities
                                .contacts
                                .iter()
                                .map(|c| format!("{}:{}", kind_name(c.kind), c.value))
                                .collect(),
                            places: result
                                .entities
                                .places
                                .iter()
                                .map(|p| p.name.clone())
                                .collect(),
                            lang: result.lang.code().to_string(),
                            score: result.score,
                        }
                    },
                )
                .collect();
            for ad in scored {
                clusterer.add(ad);
            }
            chunk.clear();
        };
        for record in records {
            if let Ok(ad) = record.result {
                chunk.push(ad);
                counted += 1;
                if chunk.len() == 4096 {
                    flush(&mut chunk, &mut clusterer);
                }
            }
        }
        flush(&mut chunk, &mut clusterer);
    }
    let campaigns = clusterer.finish();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for campaign in &campaigns {
        serde_json::to_writer(&mut out, campaign)?;
        writeln!(out)?;
    }
    out.flush()?;
    if !args.quiet {
        let in_campaigns: usize = campaigns.iter().map(|c| c.size).sum();
        eprintln!(
            "lure: {counted} ads, {} campaigns of 2 or more holding {in_campaigns} ads",
            campaigns.len()
        );
    }
    Ok(EXIT_OK)
}

/// A JSON Lines file whose first record is a `lure scan` result (it has `entities`).
fn is_results_file(path: &std::path::Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut first = String::new();
    for line in BufReader::new(file).lines().map_while(Result::ok) {
        if !line.trim().is_empty() {
            first = line;
            break;
        }
    }
    serde_json::from_str::<Value>(&first)
        .is_ok_and(|v| v.get("entities").is_some() || v.get("error").is_some())
}

fn from_result(record: &serde_json::Map<String, Value>) -> ClusterInput {
    let strings = |v: Option<&Value>, key: &str| -> Vec<String> {
        v.and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.get(key).and_then(Value::as_str).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let entities = record.get("entities");
    let contacts = entities
        .and_then(|e| e.get("contacts"))
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|c| {
                    Some(format!(
                        "{}:{}",
                        c.get("kind")?.as_str()?,
                        c.get("value")?.as_str()?
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    ClusterInput {
        id: record
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        text: record
            .get("text")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        contacts,
        places: strings(entities.and_then(|e| e.get("places")), "name"),
        lang: record
            .get("lang")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        score: record
            .get("score")
            .and_then(Value::as_f64)
            .unwrap_or_default(),
    }
}

fn kind_name(kind: lure::ContactKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
