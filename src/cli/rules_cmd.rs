//! `lure rules check` and `lure rules test`.

use super::args::{CheckArgs, FitArgs, RuleOptions, StatsArgs, StatsSort, TestArgs};
use super::{EXIT_FINDINGS, EXIT_OK, Hint, build_detector};
use anyhow::{Context, Result};
use lure::{Diagnostic, Severity};
use std::io::Write;

pub fn check(args: CheckArgs) -> Result<u8> {
    let options = RuleOptions {
        rules: args.rules.clone(),
        ..RuleOptions::default()
    };
    let (diagnostics, summary): (Vec<Diagnostic>, String) = match build_detector(&options) {
        Ok(detector) => {
            let rules = detector.rules();
            (
                rules.warnings().to_vec(),
                format!(
                    "{} rules, {} distinct keywords, {} regexes that run on every ad",
                    rules.len(),
                    rules.keyword_count(),
                    rules.ungated_regex_count()
                ),
            )
        }
        Err(error) => match error.downcast::<lure::Error>() {
            Ok(lure::Error::InvalidRules { diagnostics }) => {
                (diagnostics, "rules do not compile".to_string())
            }
            Ok(other) => return Err(other.into()),
            Err(other) => return Err(other),
        },
    };
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let mut out = std::io::stdout().lock();
    for diagnostic in &diagnostics {
        if args.json {
            serde_json::to_writer(&mut out, diagnostic)?;
            writeln!(out)?;
        } else {
            writeln!(out, "{diagnostic}\n")?;
        }
    }
    if !args.json {
        writeln!(out, "{summary}: {errors} errors, {warnings} warnings")?;
    }
    let failed = errors > 0 || (args.strict && warnings > 0);
    Ok(if failed { EXIT_FINDINGS } else { EXIT_OK })
}

pub fn test(args: TestArgs) -> Result<u8> {
    let options = RuleOptions {
        rules: args.rules.clone(),
        ..RuleOptions::default()
    };
    let detector = build_detector(&options)?;
    let report = detector.check_examples();
    let mut out = std::io::stdout().lock();
    for failure in &report.failures {
        let expectation = if failure.expected_match {
            "examples.match did not match"
        } else {
            "examples.no_match matched"
        };
        writeln!(
            out,
            "FAIL {}:{} {}: {expectation}\n     example: {}\n     scored as: {}; rules that fired: {}\n",
            failure.file,
            failure.line,
            failure.rule,
            failure.example,
            failure.lang,
            if failure.fired.is_empty() {
                "none".to_string()
            } else {
                failure.fired.join(", ")
            },
        )?;
    }
    writeln!(
        out,
        "{} examples of {} rules: {} failed",
        report.total,
        detector.rules().len(),
        report.failures.len()
    )?;
    Ok(if report.failures.is_empty() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    })
}

fn rules_only(rules: &[std::path::PathBuf]) -> Result<lure::Detector> {
    build_detector(&RuleOptions {
        rules: rules.to_vec(),
        no_model: true,
        ..RuleOptions::default()
    })
}

pub fn stats(args: StatsArgs) -> Result<u8> {
    let detector = rules_only(&args.rules)?;
    let ads = lure::labelled::read_all(&args.data).context("cannot read the labelled data")?;
    let mut stats = lure::rule_stats::rule_stats(&detector, &ads);
    if !args.helpers {
        stats.rules.retain(|r| !r.helper);
    }
    let key = |r: &lure::rule_stats::RuleStat| -> (f64, f64) {
        match args.sort {
            StatsSort::File => (0.0, 0.0),
            StatsSort::Hits => (
                (r.scam_hits + r.other_hits) as f64,
                r.precision.unwrap_or(0.0),
            ),
            StatsSort::Precision => (r.precision.unwrap_or(-1.0), r.scam_hits as f64),
            StatsSort::Recall => (r.scam_share, r.precision.unwrap_or(0.0)),
            StatsSort::FalsePositives => (r.other_hits as f64, -(r.scam_hits as f64)),
        }
    };
    stats.rules.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        kb.0.total_cmp(&ka.0).then(kb.1.total_cmp(&ka.1))
    });
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &stats)?;
        writeln!(out)?;
        return Ok(EXIT_OK);
    }
    writeln!(out, "{} scam ads, {} other ads", stats.scams, stats.others)?;
    writeln!(
        out,
        "{:<36} {:>6} {:>6} {:>6} {:>7} {:>7} {:>6}  category",
        "rule", "weight", "scam", "other", "prec", "scam%", "other%"
    )?;
    let mut silent = Vec::new();
    for r in &stats.rules {
        if r.scam_hits + r.other_hits == 0 {
            silent.push(r.rule.as_str());
            continue;
        }
        writeln!(
            out,
            "{:<36} {:>+6.2} {:>6} {:>6} {:>7} {:>6.1}% {:>5.1}%  {}",
            r.rule,
            r.weight,
            r.scam_hits,
            r.other_hits,
            r.precision.map_or("-".to_string(), |p| format!("{p:.3}")),
            100.0 * r.scam_share,
            100.0 * r.other_share,
            r.category
        )?;
    }
    writeln!(
        out,
        "\n{} rules never fired: {}",
        silent.len(),
        silent.join(" ")
    )?;
    Ok(EXIT_OK)
}

pub fn fit(args: FitArgs) -> Result<u8> {
    if args.write && args.rules.is_empty() {
        return Err(
            anyhow::anyhow!("--write needs the rule files to change").context(Hint(
                "add --rules rules/ (the embedded rules cannot be rewritten)".into(),
            )),
        );
    }
    let detector = rules_only(&args.rules)?;
    let ads = lure::labelled::read_all(&args.data).context("cannot read the labelled data")?;
    let options = lure::rule_stats::FitOptions {
        alpha: args.alpha,
        false_positive_cost: args.fp_cost,
        min_hits: args.min_hits,
    };
    let result =
        lure::rule_stats::fit_weights(&detector, &ads, &options).map_err(anyhow::Error::msg)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &result)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "# intercept: {:+.2} -> {:+.2} (the [scoring] intercept is not rewritten)",
            result.intercept.0, result.intercept.1
        )?;
        for change in &result.changes {
            writeln!(out, "-{:<40} weight = {:+.2}", change.rule, change.old)?;
            writeln!(
                out,
                "+{:<40} weight = {:+.2}    # hits: {} scam, {} other",
                change.rule, change.new, change.hits.0, change.hits.1
            )?;
        }
        writeln!(
            out,
            "# {} weights change; {} rules kept (pinned or under {} hits)",
            result.changes.len(),
            result.kept.len(),
            args.min_hits
        )?;
        if let Some(scale) = result.pinned_scale {
            writeln!(
                out,
                "# pinned rules' summed weight got a coefficient of {scale:.2} in the fit"
            )?;
        }
    }
    if args.write {
        let files = lure::rule_stats::write_weights(&detector, &result.changes)
            .map_err(anyhow::Error::msg)?;
        eprintln!(
            "lure: wrote {} weights into {}",
            result.changes.len(),
            files.join(", ")
        );
    }
    Ok(EXIT_OK)
}
