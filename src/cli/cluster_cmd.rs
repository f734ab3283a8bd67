//! `lure cluster`: group ads into campaigns by shared contacts and near-duplicate text.

use super::EXIT_OK;
use super::args::ClusterArgs;
use super::scored;
use anyhow::Result;
use lure::cluster::{ClusterInput, Clusterer};
use std::io::Write;

pub fn run(args: ClusterArgs) -> Result<u8> {
    let mut clusterer = Clusterer::new(args.threshold);
    let count = scored::for_each(&args.inputs, &args.rules, |s| {
        clusterer.add(cluster_input(&s))
    })?;
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
            "lure: {count} ads, {} campaigns of 2 or more holding {in_campaigns} ads",
            campaigns.len()
        );
    }
    Ok(EXIT_OK)
}

/// What the clusterer needs of a scored ad.
pub fn cluster_input(s: &scored::Scored) -> ClusterInput {
    let a = &s.assessment;
    ClusterInput {
        id: a.id.clone(),
        text: match (&s.title, &s.text) {
            (Some(title), Some(text)) => format!("{title} {text}"),
            (None, Some(text)) => text.clone(),
            _ => String::new(),
        },
        contacts: a
            .entities
            .contacts
            .iter()
            .map(|c| format!("{}:{}", c.kind.as_str(), c.value))
            .collect(),
        places: a.entities.places.iter().map(|p| p.name.clone()).collect(),
        lang: a.lang.code().to_string(),
        score: a.score,
    }
}
