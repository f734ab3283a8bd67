//! `lure report`: one self-contained HTML page about a scan.

use super::EXIT_OK;
use super::args::ReportArgs;
use super::cluster_cmd::cluster_input;
use super::scored;
use anyhow::{Context, Result};
use lure::cluster::Clusterer;
use lure::report::ReportBuilder;

pub fn run(args: ReportArgs) -> Result<u8> {
    let mut report = ReportBuilder::default();
    let mut clusterer = Clusterer::new(args.threshold);
    let count = scored::for_each(&args.inputs, &args.rules, |s| {
        clusterer.add(cluster_input(&s));
        report.add(s.assessment, s.title, s.text);
    })?;
    let html = report.finish(&clusterer.finish());
    std::fs::write(&args.output, html)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    if !args.quiet {
        eprintln!(
            "lure: report of {count} ads written to {}",
            args.output.display()
        );
    }
    Ok(EXIT_OK)
}
