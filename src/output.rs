//! Writing results: JSON Lines (the stable schema), a human-readable table, or flat CSV.
//! One output record per input record, always.

use crate::ad::Assessment;
use crate::input::RecordError;
use serde::Serialize;

/// Version of the JSON output schema documented in the README.
pub const SCHEMA_VERSION: u32 = 1;

/// Output formats of `lure scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// One JSON object per line.
    Jsonl,
    /// An aligned table for people.
    Table,
    /// Flat CSV: id, flagged, score, verdict, lang, rules, error.
    Csv,
}

/// The JSON line of a record that could not be read.
#[derive(Debug, Serialize)]
pub struct ErrorRecord<'a> {
    /// The record's id (`FILE:LINE`).
    pub id: &'a str,
    /// What went wrong.
    pub error: &'a RecordError,
}

/// The header line of a format, if it has one.
pub fn header(format: OutputFormat) -> Option<String> {
    match format {
        OutputFormat::Jsonl => None,
        OutputFormat::Csv => Some("id,flagged,score,verdict,lang,rules,error\n".to_string()),
        OutputFormat::Table => Some(format!(
            "{:<28} {:<10} {:>6} {:<5} {}\n",
            "ID", "VERDICT", "SCORE", "LANG", "RULES"
        )),
    }
}

/// Formats one result (or error) as one line of `format`, ending in `\n`.
pub fn format_record(
    format: OutputFormat,
    id: &str,
    result: &Result<Assessment, RecordError>,
) -> String {
    match format {
        OutputFormat::Jsonl => {
            let mut line = match result {
                Ok(assessment) => serde_json::to_string(assessment),
                Err(error) => serde_json::to_string(&ErrorRecord { id, error }),
            }
            .unwrap_or_else(|e| {
                format!(
                    "{{\"id\":{},\"error\":{{\"kind\":\"internal\",\"message\":{}}}}}",
                    json_string(id),
                    json_string(&e.to_string())
                )
            });
            line.push('\n');
            line
        }
        OutputFormat::Csv => {
            let fields: Vec<String> = match result {
                Ok(a) => vec![
                    a.id.clone(),
                    a.flagged.to_string(),
                    format!("{:.4}", a.score),
                    a.verdict.as_str().to_string(),
                    a.lang.code().to_string(),
                    rule_list(a, ";"),
                    String::new(),
                ],
                Err(e) => vec![
                    id.to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    e.to_string(),
                ],
            };
            let mut line = fields
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(",");
            line.push('\n');
            line
        }
        OutputFormat::Table => match result {
            Ok(a) => format!(
                "{:<28} {:<10} {:>6.3} {:<5} {}\n",
                clip(&a.id, 28),
                a.verdict.as_str(),
                a.score,
                a.lang.code(),
                rule_list(a, " ")
            ),
            Err(e) => format!(
                "{:<28} {:<10} {:>6} {:<5} {}\n",
                clip(id, 28),
                "error",
                "-",
                "-",
                e
            ),
        },
    }
}

fn rule_list(assessment: &Assessment, separator: &str) -> String {
    let mut rules: Vec<&str> = Vec::new();
    for hit in &assessment.hits {
        if !rules.contains(&hit.rule.as_str()) {
            rules.push(&hit.rule);
        }
    }
    rules.join(separator)
}

fn clip(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width - 1).collect();
    out.push('…');
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}
