//! `lure explain`: one ad, its hits highlighted, and each rule's contribution.

use super::args::ExplainArgs;
use super::{EXIT_OK, Hint, build_detector, stdout_wants_color};
use anyhow::{Context, Result};
use lure::{Ad, Explanation, Field};
use std::io::{Read, Write};

pub fn run(args: ExplainArgs) -> Result<u8> {
    let text = match (&args.text, &args.file) {
        (_, Some(path)) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?,
        (Some(t), None) if t == "-" => read_stdin()?,
        (Some(t), None) => t.clone(),
        (None, None) => {
            return Err(anyhow::anyhow!("no ad to explain").context(Hint(
                "give the text as an argument, `--file FILE`, or `-` to read stdin".into(),
            )));
        }
    };
    let detector = build_detector(&args.rules)?;
    let mut ad = Ad::new(text);
    ad.title = args.title.clone();
    ad.lang = args.lang.clone();
    let explanation = detector.explain(&ad);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &explanation.assessment)?;
        writeln!(out)?;
    } else {
        write_explanation(&mut out, &explanation, stdout_wants_color())?;
    }
    Ok(EXIT_OK)
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

fn read_stdin() -> Result<String> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .context("cannot read stdin")?;
    Ok(text)
}

fn write_explanation(out: &mut impl Write, e: &Explanation, color: bool) -> std::io::Result<()> {
    let a = &e.assessment;
    writeln!(
        out,
        "verdict: {}   score: {:.4}   flagged: {}   lang: {}",
        a.verdict.as_str(),
        a.score,
        a.flagged,
        a.lang
    )?;
    if a.truncated {
        writeln!(
            out,
            "(only a prefix of the ad was scored: it is longer than the field limit)"
        )?;
    }
    if let Some(title) = &e.title {
        writeln!(out, "\ntitle: {}", highlight(title, e, Field::Title, color))?;
    }
    writeln!(out, "\n{}\n", highlight(&e.text, e, Field::Text, color))?;
    writeln!(
        out,
        "{:>7}  {:<34} {:<16} matched",
        "weight", "rule", "category"
    )?;
    let mut total = e.intercept;
    writeln!(
        out,
        "{:>+7.2}  {:<34} {:<16}",
        e.intercept, "(intercept)", ""
    )?;
    let mut counted: Vec<&str> = Vec::new();
    for (hit, description) in a.hits.iter().zip(&e.descriptions) {
        let first = !counted.contains(&hit.rule.as_str());
        if first {
            total += hit.weight;
            counted.push(&hit.rule);
        }
        let weight = if first {
            format!("{:+.2}", hit.weight)
        } else {
            "(same)".to_string()
        };
        let matched = match (&hit.field, &hit.text) {
            (Some(field), Some(text)) => format!(
                "{} \"{}\"",
                if *field == Field::Title {
                    "title"
                } else {
                    "text"
                },
                text
            ),
            _ => "(combination)".to_string(),
        };
        writeln!(
            out,
            "{weight:>7}  {:<34} {:<16} {matched}",
            hit.rule, hit.category
        )?;
        if first && !description.is_empty() {
            writeln!(out, "{:>7}  {description}", "")?;
        }
    }
    match (e.model_log_odds, e.calibration) {
        (Some(model), Some(c)) => {
            writeln!(
                out,
                "{total:>+7.2}  = rules log-odds (rules alone: score {:.4})",
                sigmoid(total)
            )?;
            writeln!(
                out,
                "{model:>+7.2}  = classifier log-odds (classifier alone: {:.4})",
                sigmoid(model)
            )?;
            writeln!(
                out,
                "         score = sigmoid({:+.3} {:+.3}·rules {:+.3}·classifier) = {:.4}",
                c.bias, c.rules, c.model, a.score
            )?;
        }
        _ => writeln!(
            out,
            "{total:>+7.2}  = log-odds → score {:.4} (rules only)",
            a.score
        )?,
    }
    if !e.matched_helpers.is_empty() {
        writeln!(
            out,
            "\nhelpers matched (unscored): {}",
            e.matched_helpers.join(", ")
        )?;
    }
    Ok(())
}

/// The text with every hit span of `field` marked: bold red/green on a terminal,
/// `[[...]]` otherwise.
fn highlight(text: &str, e: &Explanation, field: Field, color: bool) -> String {
    let marks = e.assessment.highlight_ranges(field, text);
    let mut out = String::with_capacity(text.len() + marks.len() * 8);
    let mut at = 0;
    for (start, end, positive) in marks {
        out.push_str(&text[at..start]);
        let (open, close) = match (color, positive) {
            (true, true) => ("\x1b[1;31m", "\x1b[0m"),
            (true, false) => ("\x1b[1;32m", "\x1b[0m"),
            (false, _) => ("[[", "]]"),
        };
        out.push_str(open);
        out.push_str(&text[start..end]);
        out.push_str(close);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}
