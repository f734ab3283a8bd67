//! Per-rule statistics on labelled data (SpamAssassin's hit-frequencies) and weight
//! fitting by regularised logistic regression over rule hits (its perceptron rescoring).

use crate::detector::Detector;
use crate::labelled::LabelledAd;
use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};
use rayon::prelude::*;
use serde::Serialize;

/// Hit counts of one rule on labelled data.
#[derive(Debug, Clone, Serialize)]
pub struct RuleStat {
    /// Rule id.
    pub rule: String,
    /// Category.
    pub category: String,
    /// Current weight.
    pub weight: f64,
    /// True for helper rules (unscored).
    pub helper: bool,
    /// Scam ads the rule matched.
    pub scam_hits: usize,
    /// Non-scam ads the rule matched.
    pub other_hits: usize,
    /// scam_hits / (scam_hits + other_hits); `null` when it never fired.
    pub precision: Option<f64>,
    /// Share of all scam ads the rule matched.
    pub scam_share: f64,
    /// Share of all non-scam ads the rule matched.
    pub other_share: f64,
}

/// The result of [`rule_stats`].
#[derive(Debug, Clone, Serialize)]
pub struct RuleStats {
    /// Scam ads in the data.
    pub scams: usize,
    /// Non-scam ads in the data.
    pub others: usize,
    /// One entry per rule, in rule-file order.
    pub rules: Vec<RuleStat>,
}

/// Which rules matched each ad (rules only; helpers included).
fn matches(detector: &Detector, ads: &[LabelledAd]) -> Vec<Vec<bool>> {
    ads.par_iter()
        .map_init(
            || detector.scanner(),
            |scanner, ad| scanner.evaluate(&ad.ad).matched,
        )
        .collect()
}

/// Counts, for every rule, its hits on scam and non-scam ads.
pub fn rule_stats(detector: &Detector, ads: &[LabelledAd]) -> RuleStats {
    let matched = matches(detector, ads);
    let scams = ads.iter().filter(|a| a.label).count();
    let others = ads.len() - scams;
    let share = |n: usize, of: usize| if of == 0 { 0.0 } else { n as f64 / of as f64 };
    let rules = detector
        .rules()
        .rules()
        .enumerate()
        .map(|(index, info)| {
            let (mut scam_hits, mut other_hits) = (0, 0);
            for (ad, m) in ads.iter().zip(&matched) {
                if m[index] {
                    if ad.label {
                        scam_hits += 1
                    } else {
                        other_hits += 1
                    }
                }
            }
            RuleStat {
                rule: info.id.to_string(),
                category: info.category.to_string(),
                weight: info.weight,
                helper: info.helper,
                scam_hits,
                other_hits,
                precision: (scam_hits + other_hits > 0)
                    .then(|| share(scam_hits, scam_hits + other_hits)),
                scam_share: share(scam_hits, scams),
                other_share: share(other_hits, others),
            }
        })
        .collect();
    RuleStats {
        scams,
        others,
        rules,
    }
}

/// Settings of [`fit_weights`].
#[derive(Debug, Clone)]
pub struct FitOptions {
    /// L2 penalty.
    pub alpha: f64,
    /// A false positive costs this many misses (non-scam ads are repeated this many times).
    pub false_positive_cost: usize,
    /// Rules with fewer hits than this keep their weight (too little evidence).
    pub min_hits: usize,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            alpha: 0.5,
            false_positive_cost: 3,
            min_hits: 3,
        }
    }
}

/// A proposed weight change.
#[derive(Debug, Clone, Serialize)]
pub struct WeightChange {
    /// Rule id.
    pub rule: String,
    /// Current weight.
    pub old: f64,
    /// Fitted weight (rounded to 0.05, sign-constrained by category).
    pub new: f64,
    /// Hits on scam / non-scam ads.
    pub hits: (usize, usize),
}

/// The result of [`fit_weights`].
#[derive(Debug, Clone, Serialize)]
pub struct FitResult {
    /// Current and fitted intercept.
    pub intercept: (f64, f64),
    /// Every fitted rule whose weight changes.
    pub changes: Vec<WeightChange>,
    /// Rules left alone: pinned, helpers, or too few hits.
    pub kept: Vec<String>,
    /// The fitted coefficient of the pinned rules' summed weight (1.0 would mean the fit
    /// agrees with the pinned weights' scale).
    pub pinned_scale: Option<f64>,
}

/// Fits rule weights by L2-regularised logistic regression (linfa) on rule-hit indicators,
/// with false positives weighted `false_positive_cost` times. Pinned rules, helpers and
/// rules with fewer than `min_hits` hits keep their weights; pinned rules enter the fit as
/// one fixed column (their summed weight). Legitimacy and warning rules stay ≤ 0, the
/// others ≥ 0.
pub fn fit_weights(
    detector: &Detector,
    ads: &[LabelledAd],
    options: &FitOptions,
) -> Result<FitResult, String> {
    if !ads.iter().any(|a| a.label) || !ads.iter().any(|a| !a.label) {
        return Err("the data needs both scam (label 1) and non-scam (label 0) ads".into());
    }
    let matched = matches(detector, ads);
    let infos: Vec<_> = detector.rules().rules().collect();
    let hits = |index: usize| {
        let scam = ads
            .iter()
            .zip(&matched)
            .filter(|(a, m)| a.label && m[index])
            .count();
        let other = ads
            .iter()
            .zip(&matched)
            .filter(|(a, m)| !a.label && m[index])
            .count();
        (scam, other)
    };
    let mut fitted_rules = Vec::new();
    let mut kept = Vec::new();
    for (index, info) in infos.iter().enumerate() {
        if info.helper {
            continue;
        }
        let (s, o) = hits(index);
        if info.pinned || s + o < options.min_hits {
            kept.push(info.id.to_string());
        } else {
            fitted_rules.push(index);
        }
    }
    let pinned: Vec<usize> = (0..infos.len())
        .filter(|&i| infos[i].pinned && !infos[i].helper)
        .collect();
    let columns = fitted_rules.len() + usize::from(!pinned.is_empty());
    let repeat = |ad: &LabelledAd| {
        if ad.label {
            1
        } else {
            options.false_positive_cost.max(1)
        }
    };
    let rows: usize = ads.iter().map(repeat).sum();
    let mut x = Array2::<f64>::zeros((rows, columns.max(1)));
    let mut y = Vec::with_capacity(rows);
    let mut r = 0;
    for (ad, m) in ads.iter().zip(&matched) {
        for _ in 0..repeat(ad) {
            for (c, &index) in fitted_rules.iter().enumerate() {
                if m[index] {
                    x[[r, c]] = 1.0;
                }
            }
            if !pinned.is_empty() {
                x[[r, columns - 1]] = pinned
                    .iter()
                    .filter(|&&i| m[i])
                    .map(|&i| infos[i].weight)
                    .sum();
            }
            y.push(ad.label);
            r += 1;
        }
    }
    let fitted = LogisticRegression::default()
        .alpha(options.alpha)
        .max_iterations(300)
        .fit(&Dataset::new(x, Array1::from(y)))
        .map_err(|e| format!("logistic regression failed: {e}"))?;
    let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
    let params = fitted.params();
    let mut changes = Vec::new();
    for (c, &index) in fitted_rules.iter().enumerate() {
        let info = &infos[index];
        let negative = matches!(info.category, "legitimacy" | "warning");
        let raw = sign * params[c];
        let constrained = if negative { raw.min(0.0) } else { raw.max(0.0) };
        let new = (constrained * 20.0).round() / 20.0;
        if (new - info.weight).abs() >= 0.05 - 1e-9 {
            changes.push(WeightChange {
                rule: info.id.to_string(),
                old: info.weight,
                new,
                hits: hits(index),
            });
        }
    }
    Ok(FitResult {
        intercept: (
            detector.rules().scoring().intercept,
            (sign * fitted.intercept() * 100.0).round() / 100.0,
        ),
        changes,
        kept,
        pinned_scale: (!pinned.is_empty()).then(|| sign * params[columns - 1]),
    })
}

/// Where a weight is in its file, its old value and its new value.
type WeightEdit = (std::ops::Range<usize>, f64, f64);

/// Writes fitted weights into the rule files they came from, replacing only the `weight`
/// values (comments and layout stay). Returns the files written. The detector must have
/// been built from rule files on disk (`DetectorBuilder::rules_path`).
pub fn write_weights(detector: &Detector, changes: &[WeightChange]) -> Result<Vec<String>, String> {
    let mut by_file: std::collections::BTreeMap<&str, Vec<WeightEdit>> = Default::default();
    for change in changes {
        let rule = detector
            .rules()
            .rules
            .iter()
            .find(|r| r.id == change.rule)
            .ok_or_else(|| format!("unknown rule {}", change.rule))?;
        let span = rule
            .weight_span
            .clone()
            .ok_or_else(|| format!("rule {} has no weight to change", rule.id))?;
        by_file
            .entry(rule.file.as_str())
            .or_default()
            .push((span, change.old, change.new));
    }
    let mut written = Vec::new();
    for (file, mut edits) in by_file {
        let mut text =
            std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
        edits.sort_by_key(|e| std::cmp::Reverse(e.0.start));
        for (span, old, new) in edits {
            let current = text
                .get(span.clone())
                .and_then(|t| t.trim().parse::<f64>().ok());
            if current != Some(old) {
                return Err(format!(
                    "{file} changed since it was loaded (weight at byte {} is not {old})",
                    span.start
                ));
            }
            text.replace_range(span, &format_weight(new));
        }
        std::fs::write(file, text).map_err(|e| format!("cannot write {file}: {e}"))?;
        written.push(file.to_string());
    }
    Ok(written)
}

fn format_weight(w: f64) -> String {
    let s = format!("{w:.2}");
    let s = s.trim_end_matches('0');
    if s.ends_with('.') {
        format!("{s}0")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Ad;

    const RULES: &str = r#"
[[rule]]
id = "GOOD"
description = "fires on scams"
category = "pay"
weight = 0.1
keywords = ["scamword"]
examples.match = ["scamword"]
examples.no_match = ["x"]

[[rule]]
id = "NOISY"
description = "fires on everything"
category = "urgency"
weight = 2.0
keywords = ["urgent"]
examples.match = ["urgent"]
examples.no_match = ["x"]

[[rule]]
id = "SAFE"
description = "legitimacy"
category = "legitimacy"
weight = -0.1
keywords = ["licensed"]
examples.match = ["licensed"]
examples.no_match = ["x"]

[[rule]]
id = "FIXED"
description = "pinned"
category = "pay"
weight = 1.0
pinned = true
keywords = ["fixed"]
examples.match = ["fixed"]
examples.no_match = ["x"]
"#;

    fn data() -> Vec<LabelledAd> {
        let mut ads = Vec::new();
        for i in 0..40 {
            let scam = i % 2 == 0;
            let text = match (scam, i % 4) {
                (true, 0) => "scamword urgent fixed",
                (true, _) => "scamword urgent",
                (false, 1) => "urgent licensed",
                (false, _) => "urgent hiring",
            };
            ads.push(LabelledAd {
                ad: Ad::new(text).with_lang("en"),
                label: scam,
                kind: None,
            });
        }
        ads
    }

    fn detector() -> Detector {
        Detector::builder()
            .use_model(false)
            .rules_text("t.toml", RULES)
            .build()
            .unwrap()
    }

    #[test]
    fn stats_count_hits_per_label() {
        let stats = rule_stats(&detector(), &data());
        assert_eq!((stats.scams, stats.others), (20, 20));
        let good = stats.rules.iter().find(|r| r.rule == "GOOD").unwrap();
        assert_eq!((good.scam_hits, good.other_hits), (20, 0));
        assert_eq!(good.precision, Some(1.0));
        let noisy = stats.rules.iter().find(|r| r.rule == "NOISY").unwrap();
        assert_eq!((noisy.scam_hits, noisy.other_hits), (20, 20));
        assert_eq!(noisy.precision, Some(0.5));
    }

    #[test]
    fn fit_raises_good_rules_lowers_noisy_ones_and_keeps_pinned() {
        let result = fit_weights(&detector(), &data(), &FitOptions::default()).unwrap();
        let change = |id: &str| result.changes.iter().find(|c| c.rule == id);
        assert!(change("GOOD").expect("GOOD changes").new > 0.1);
        assert!(change("NOISY").map_or(2.0, |c| c.new) < 2.0);
        assert!(change("SAFE").is_none_or(|c| c.new <= 0.0));
        assert!(change("FIXED").is_none());
        assert!(result.kept.contains(&"FIXED".to_string()));
    }
}
