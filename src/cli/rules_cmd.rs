//! `lure rules check` and `lure rules test`.

use super::args::{CheckArgs, RuleOptions, TestArgs};
use super::{EXIT_FINDINGS, EXIT_OK, build_detector};
use anyhow::Result;
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
