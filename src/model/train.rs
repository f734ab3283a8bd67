//! Training: featurise the train split, keep the most informative hashed columns, fit an
//! L2-regularised logistic regression with linfa on that small dense matrix, then stack
//! rules and model on the dev split (a two-input logistic regression, also linfa) and pick
//! the flag threshold on dev. Deterministic: the same data gives the same file.

use super::{
    Calibration, FeatureSettings, MODEL_FORMAT, MODEL_FORMAT_VERSION, Model, ModelFile,
    TrainingInfo,
};
use crate::detector::Detector;
use crate::eval::{Confusion, average_precision, best_f1_threshold};
use crate::labelled::LabelledAd;
use crate::score::sigmoid;
use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};
use rayon::prelude::*;
use std::collections::HashMap;

/// Settings of [`train`].
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// L2 penalty of the text model.
    pub alpha: f64,
    /// Most L-BFGS iterations.
    pub max_iterations: u64,
    /// Hashed columns kept (ranked by chi-squared on the train split).
    pub columns: usize,
    /// Lowest and highest flag threshold considered on dev.
    pub threshold_range: (f64, f64),
    /// Whether matched rules are features of the model.
    pub rule_features: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            alpha: 0.05,
            max_iterations: 200,
            columns: 4000,
            threshold_range: (0.5, 0.9),
            rule_features: false,
        }
    }
}

/// Per-ad inputs to training: sparse features and the rules' log-odds.
pub(crate) struct Row {
    features: Vec<(u32, f32)>,
    rule_log_odds: f64,
    /// A `warning` rule matched (the score is then capped at the rules-only score).
    warning: bool,
    label: bool,
}

/// What training measured on the dev split, and the model.
#[derive(Debug)]
pub struct Trained {
    /// The model, ready to save.
    pub model: Model,
    /// Seconds spent fitting (both regressions).
    pub fit_seconds: f64,
}

fn rows(detector: &Detector, settings: &FeatureSettings, ads: &[LabelledAd]) -> Vec<Row> {
    ads.par_iter()
        .map_init(
            || (detector.scanner(), super::Featurizer::default()),
            |(scanner, featurizer), labelled| {
                let (features, rule_log_odds, warning) =
                    scanner.training_row(&labelled.ad, settings, featurizer);
                Row {
                    features,
                    rule_log_odds,
                    warning,
                    label: labelled.label,
                }
            },
        )
        .collect()
}

/// Trains a model. `detector` must be rules-only (its rule hits become features).
pub fn train(
    detector: &Detector,
    train_ads: &[LabelledAd],
    dev_ads: &[LabelledAd],
    data_hash: String,
    options: &TrainOptions,
) -> Result<Trained, String> {
    let settings = FeatureSettings {
        rule_features: options.rule_features,
        ..FeatureSettings::default()
    };
    if !train_ads.iter().any(|a| a.label) || !train_ads.iter().any(|a| !a.label) {
        return Err(
            "the training split needs both scam (label 1) and non-scam (label 0) ads".into(),
        );
    }
    let train_rows = rows(detector, &settings, train_ads);
    let dev_rows = rows(detector, &settings, dev_ads);
    let columns = select_columns(&train_rows, options.columns);
    let started = std::time::Instant::now();

    let index_of: HashMap<u32, usize> = columns.iter().enumerate().map(|(i, &b)| (b, i)).collect();
    let mut x = Array2::<f64>::zeros((train_rows.len(), columns.len()));
    for (r, row) in train_rows.iter().enumerate() {
        for &(bucket, value) in &row.features {
            if let Some(&c) = index_of.get(&bucket) {
                x[[r, c]] = f64::from(value);
            }
        }
    }
    let y: Array1<bool> = train_rows.iter().map(|r| r.label).collect();
    let fitted = LogisticRegression::default()
        .alpha(options.alpha)
        .max_iterations(options.max_iterations)
        .fit(&Dataset::new(x, y))
        .map_err(|e| format!("logistic regression failed: {e}"))?;
    // linfa calls the larger class "positive"; make the weights point towards "scam".
    let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
    let weights: Vec<(u32, f32)> = columns
        .iter()
        .zip(fitted.params().iter())
        .map(|(&bucket, &w)| (bucket, round6(sign * w) as f32))
        .filter(|(_, w)| *w != 0.0)
        .collect();
    let mut weights = weights;
    weights.sort_unstable_by_key(|w| w.0);
    let intercept = round6(sign * fitted.intercept());

    let mut file = ModelFile {
        format: MODEL_FORMAT.into(),
        format_version: MODEL_FORMAT_VERSION,
        features: settings,
        training: TrainingInfo {
            data_hash,
            train_ads: train_ads.len(),
            dev_ads: dev_ads.len(),
            learner: format!(
                "linfa-logistic L-BFGS, L2 alpha {}, {} iterations max, {} chi2-selected hashed columns of 2^18",
                options.alpha,
                options.max_iterations,
                columns.len()
            ),
            columns: columns.len(),
            dev_metrics: serde_json::Value::Null,
        },
        intercept,
        weights,
        calibration: Calibration {
            bias: 0.0,
            rules: 0.0,
            model: 1.0,
        },
        flag_threshold: 0.5,
        suspicious_threshold: 0.25,
    };
    let uncalibrated = Model::from_file(file.clone()).map_err(|e| e.to_string())?;
    let dev_inputs: Vec<(f64, f64, bool)> = dev_rows
        .iter()
        .map(|r| (r.rule_log_odds, uncalibrated.log_odds(&r.features), r.label))
        .collect();
    file.calibration = calibrate(&dev_inputs)?;
    let fit_seconds = started.elapsed().as_secs_f64();

    // Scored exactly as the detector will score (including the warning cap), so the
    // threshold is chosen on the real scoring function.
    let c = file.calibration;
    let combined: Vec<(f64, bool)> = dev_inputs
        .iter()
        .zip(&dev_rows)
        .map(|(&(rules, model, label), row)| {
            let stacked = c.bias + c.rules * rules + c.model * model;
            let z = if row.warning {
                stacked.min(rules)
            } else {
                stacked
            };
            (sigmoid(z), label)
        })
        .collect();
    let (low, high) = options.threshold_range;
    let (threshold, _) = best_f1_threshold(&combined, low, high);
    file.flag_threshold = round6(threshold);
    file.suspicious_threshold = round6(threshold / 2.0);
    file.training.dev_metrics = dev_summary(&dev_inputs, &combined, threshold, detector);
    let model = Model::from_file(file).map_err(|e| e.to_string())?;
    Ok(Trained { model, fit_seconds })
}

/// Keeps the `k` buckets with the highest chi-squared association with the label among
/// those present in at least two training ads. Ties break by bucket number.
fn select_columns(rows: &[Row], k: usize) -> Vec<u32> {
    let mut counts: HashMap<u32, (u32, u32)> = HashMap::new();
    for row in rows {
        for &(bucket, _) in &row.features {
            let entry = counts.entry(bucket).or_default();
            if row.label {
                entry.0 += 1
            } else {
                entry.1 += 1
            }
        }
    }
    let n_pos = rows.iter().filter(|r| r.label).count() as f64;
    let n_neg = rows.len() as f64 - n_pos;
    let n = rows.len() as f64;
    let mut scored: Vec<(f64, u32)> = counts
        .into_iter()
        .filter(|(_, (p, q))| p + q >= 2)
        .map(|(bucket, (p, q))| {
            let (a, b) = (f64::from(p), f64::from(q));
            let (c, d) = (n_pos - a, n_neg - b);
            let denominator = (a + b) * (c + d) * (a + c) * (b + d);
            let chi2 = if denominator == 0.0 {
                0.0
            } else {
                n * (a * d - b * c).powi(2) / denominator
            };
            (chi2, bucket)
        })
        .collect();
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    let mut kept: Vec<u32> = scored.into_iter().take(k).map(|(_, b)| b).collect();
    kept.sort_unstable();
    kept
}

/// Stacks rules and model on dev: `label ~ sigmoid(bias + a·rules + b·model)`. The model
/// already sees rule hits as features, so the two inputs overlap; when the fit gives the
/// rules a negative multiplier (more rule evidence would lower the score), it is refitted
/// on the model alone (`a = 0`), keeping the score monotone in the rules.
fn calibrate(dev: &[(f64, f64, bool)]) -> Result<Calibration, String> {
    if !dev.iter().any(|d| d.2) || !dev.iter().any(|d| !d.2) {
        return Err("the dev split needs both scam and non-scam ads".into());
    }
    let y: Array1<bool> = dev.iter().map(|d| d.2).collect();
    let fit = |columns: &[usize]| -> Result<(f64, Vec<f64>), String> {
        let x = Array2::from_shape_fn((dev.len(), columns.len()), |(i, j)| match columns[j] {
            0 => dev[i].0,
            _ => dev[i].1,
        });
        let fitted = LogisticRegression::default()
            .alpha(0.01)
            .max_iterations(200)
            .fit(&Dataset::new(x, y.clone()))
            .map_err(|e| format!("calibration failed: {e}"))?;
        let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
        Ok((
            round6(sign * fitted.intercept()),
            fitted.params().iter().map(|w| round6(sign * w)).collect(),
        ))
    };
    let (bias, both) = fit(&[0, 1])?;
    if both[0] >= 0.0 {
        return Ok(Calibration {
            bias,
            rules: both[0],
            model: both[1],
        });
    }
    let (bias, model_only) = fit(&[1])?;
    Ok(Calibration {
        bias,
        rules: 0.0,
        model: model_only[0],
    })
}

fn dev_summary(
    inputs: &[(f64, f64, bool)],
    combined: &[(f64, bool)],
    threshold: f64,
    detector: &Detector,
) -> serde_json::Value {
    let rules_only: Vec<(f64, bool)> = inputs.iter().map(|&(r, _, l)| (sigmoid(r), l)).collect();
    let model_only: Vec<(f64, bool)> = inputs.iter().map(|&(_, m, l)| (sigmoid(m), l)).collect();
    let summary = |scored: &[(f64, bool)], t: f64| {
        let c = Confusion::at(scored, t);
        serde_json::json!({
            "threshold": round6(t),
            "precision": round6(c.precision()),
            "recall": round6(c.recall()),
            "f1": round6(c.f1()),
            "false_positive_rate": round6(c.false_positive_rate()),
            "average_precision": round6(average_precision(scored)),
        })
    };
    serde_json::json!({
        "combined": summary(combined, threshold),
        "model_only": summary(&model_only, 0.5),
        "rules_only": summary(&rules_only, detector.scoring().flag_threshold),
    })
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
