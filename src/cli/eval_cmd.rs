//! `lure eval`: metrics on labelled data.

use super::args::EvalArgs;
use super::{EXIT_OK, build_detector};
use anyhow::{Context, Result};
use lure::eval::{EvalReport, Metrics, ScorerMetrics, evaluate};
use std::io::Write;

pub fn run(args: EvalArgs) -> Result<u8> {
    let detector = build_detector(&args.rules)?;
    let ads = lure::labelled::read_all(&args.data).context("cannot read the labelled data")?;
    let report = evaluate(&detector, &ads);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write_report(&mut out, &report, detector.model().is_some())?;
    }
    Ok(EXIT_OK)
}

fn write_report(out: &mut impl Write, report: &EvalReport, has_model: bool) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<28} {:>5} {:>5}  {:<8} {:>6} {:>6} {:>6} {:>6} {:>6}",
        "group", "ads", "scams", "scorer", "P", "R", "F1", "FPR", "AP"
    )?;
    let mut section = |name: &str, m: &ScorerMetrics| -> std::io::Result<()> {
        let mut rows: Vec<(&str, &Metrics)> =
            vec![("combined", &m.combined), ("rules", &m.rules_only)];
        if let Some(model) = &m.model_only {
            rows.push(("model", model));
        }
        if !has_model {
            rows.remove(0);
        }
        for (i, (scorer, x)) in rows.iter().enumerate() {
            let label = if i == 0 { name } else { "" };
            let (ads, scams) = if i == 0 {
                (x.ads.to_string(), x.scams.to_string())
            } else {
                (String::new(), String::new())
            };
            writeln!(
                out,
                "{label:<28} {ads:>5} {scams:>5}  {scorer:<8} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>6.3}",
                x.precision, x.recall, x.f1, x.false_positive_rate, x.average_precision
            )?;
        }
        Ok(())
    };
    section("all", &report.overall)?;
    for (lang, m) in &report.by_lang {
        section(&format!("lang {lang}"), m)?;
    }
    for (kind, m) in &report.by_kind {
        section(&format!("kind {kind}"), m)?;
    }
    let c = &report.overall.combined.confusion;
    writeln!(
        out,
        "\nconfusion (score >= {:.3}): TP {}  FP {}  TN {}  FN {}",
        report.overall.combined.threshold,
        c.true_positives,
        c.false_positives,
        c.true_negatives,
        c.false_negatives
    )?;
    writeln!(
        out,
        "threshold with the best F1 on this data: {:.4} (F1 {:.3})",
        report.best_threshold.0, report.best_threshold.1
    )?;
    Ok(())
}
