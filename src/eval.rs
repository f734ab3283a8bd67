//! Evaluation metrics for labelled data: confusion counts, precision, recall, F1,
//! false-positive rate, average precision, and the threshold that maximises F1.

use serde::Serialize;

/// Confusion counts at one threshold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Confusion {
    /// Scams flagged.
    pub true_positives: usize,
    /// Non-scams flagged.
    pub false_positives: usize,
    /// Non-scams not flagged.
    pub true_negatives: usize,
    /// Scams missed.
    pub false_negatives: usize,
}

impl Confusion {
    /// Counts `(score, label)` pairs at `threshold` (flagged when `score >= threshold`).
    pub fn at(scored: &[(f64, bool)], threshold: f64) -> Confusion {
        let mut c = Confusion::default();
        for &(score, label) in scored {
            match (score >= threshold, label) {
                (true, true) => c.true_positives += 1,
                (true, false) => c.false_positives += 1,
                (false, false) => c.true_negatives += 1,
                (false, true) => c.false_negatives += 1,
            }
        }
        c
    }

    /// TP / (TP + FP); 0 when nothing is flagged.
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    /// TP / (TP + FN); 0 when there are no scams.
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// FP / (FP + TN): the share of non-scams flagged.
    pub fn false_positive_rate(&self) -> f64 {
        ratio(
            self.false_positives,
            self.false_positives + self.true_negatives,
        )
    }

    /// Number of pairs counted.
    pub fn total(&self) -> usize {
        self.true_positives + self.false_positives + self.true_negatives + self.false_negatives
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Average precision (area under the precision-recall curve, step-wise), 0 without scams.
pub fn average_precision(scored: &[(f64, bool)]) -> f64 {
    let positives = scored.iter().filter(|s| s.1).count();
    if positives == 0 {
        return 0.0;
    }
    let mut sorted: Vec<(f64, bool)> = scored.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut tp, mut fp, mut sum) = (0usize, 0usize, 0.0);
    let mut i = 0;
    while i < sorted.len() {
        // Ties are one step.
        let mut j = i;
        let mut new_tp = 0;
        while j < sorted.len() && sorted[j].0 == sorted[i].0 {
            if sorted[j].1 {
                new_tp += 1;
            } else {
                fp += 1;
            }
            j += 1;
        }
        tp += new_tp;
        sum += new_tp as f64 / positives as f64 * (tp as f64 / (tp + fp) as f64);
        i = j;
    }
    sum
}

/// The threshold in `[low, high]` that maximises F1 (the highest such threshold on ties),
/// with its F1.
pub fn best_f1_threshold(scored: &[(f64, bool)], low: f64, high: f64) -> (f64, f64) {
    let mut candidates: Vec<f64> = scored
        .iter()
        .map(|s| s.0)
        .filter(|t| (low..=high).contains(t))
        .chain([low, high])
        .collect();
    candidates.sort_by(f64::total_cmp);
    candidates.dedup();
    let mut best = (high, -1.0);
    for t in candidates {
        let f1 = Confusion::at(scored, t).f1();
        if f1 >= best.1 {
            best = (t, f1);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_on_a_small_case() {
        let scored = [
            (0.9, true),
            (0.8, false),
            (0.7, true),
            (0.2, false),
            (0.1, true),
        ];
        let c = Confusion::at(&scored, 0.5);
        assert_eq!(
            (
                c.true_positives,
                c.false_positives,
                c.true_negatives,
                c.false_negatives
            ),
            (2, 1, 1, 1)
        );
        assert!((c.precision() - 2.0 / 3.0).abs() < 1e-9);
        assert!((c.recall() - 2.0 / 3.0).abs() < 1e-9);
        assert!((c.false_positive_rate() - 0.5).abs() < 1e-9);
        // AP = (1/3)(1) + (1/3)(2/3) + (1/3)(3/5)
        let ap = average_precision(&scored);
        assert!((ap - (1.0 + 2.0 / 3.0 + 0.6) / 3.0).abs() < 1e-9, "{ap}");
        // At 0.7: TP 2, FP 1, FN 1 → F1 2/3; at 0.1: TP 3, FP 2 → F1 0.75 (the best).
        let (t, f1) = best_f1_threshold(&scored, 0.0, 1.0);
        assert_eq!(t, 0.1);
        assert!((f1 - 0.75).abs() < 1e-9, "{f1}");
        let (t, _) = best_f1_threshold(&scored, 0.5, 1.0);
        assert_eq!(t, 0.7);
    }
}

/// Figures for one group of ads under one scorer.
#[derive(Debug, Clone, Serialize)]
pub struct Metrics {
    /// Ads in the group.
    pub ads: usize,
    /// Scam ads among them.
    pub scams: usize,
    /// The threshold used.
    pub threshold: f64,
    /// Counts at the threshold.
    pub confusion: Confusion,
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
    /// Share of non-scams flagged.
    pub false_positive_rate: f64,
    /// Share of all ads flagged.
    pub flag_rate: f64,
    /// Average precision (threshold-free).
    pub average_precision: f64,
}

impl Metrics {
    /// Metrics of `(score, label)` pairs at `threshold`.
    pub fn of(scored: &[(f64, bool)], threshold: f64) -> Metrics {
        let c = Confusion::at(scored, threshold);
        Metrics {
            ads: scored.len(),
            scams: scored.iter().filter(|s| s.1).count(),
            threshold,
            confusion: c,
            precision: c.precision(),
            recall: c.recall(),
            f1: c.f1(),
            false_positive_rate: c.false_positive_rate(),
            flag_rate: if c.total() == 0 {
                0.0
            } else {
                (c.true_positives + c.false_positives) as f64 / c.total() as f64
            },
            average_precision: average_precision(scored),
        }
    }
}

/// The three ways lure can score, side by side.
#[derive(Debug, Clone, Serialize)]
pub struct ScorerMetrics {
    /// The detector's score (rules and model stacked when a model is loaded).
    pub combined: Metrics,
    /// Rules only, at the rules' own flag threshold.
    pub rules_only: Metrics,
    /// The classifier alone at 0.5 (absent without a model).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_only: Option<Metrics>,
}

/// The result of [`evaluate`].
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    /// All ads.
    pub overall: ScorerMetrics,
    /// Per detected (or given) language.
    pub by_lang: std::collections::BTreeMap<String, ScorerMetrics>,
    /// Per `kind` of the labelled data.
    pub by_kind: std::collections::BTreeMap<String, ScorerMetrics>,
    /// The combined score's threshold that maximises F1 on this data, and that F1.
    pub best_threshold: (f64, f64),
}

/// One ad's scores under the three scorers.
#[derive(Debug, Clone, Copy)]
struct Scores {
    combined: f64,
    rules_only: f64,
    model_only: Option<f64>,
}

/// Scores labelled ads and computes metrics overall, per language and per kind.
pub fn evaluate(detector: &crate::Detector, ads: &[crate::labelled::LabelledAd]) -> EvalReport {
    use rayon::prelude::*;
    let scored: Vec<(Scores, crate::Lang, bool)> = ads
        .par_iter()
        .map_init(
            || detector.scanner(),
            |scanner, labelled| {
                let e = scanner.evaluate(&labelled.ad);
                let scores = Scores {
                    combined: e.assessment.score,
                    rules_only: crate::score::sigmoid(e.rule_log_odds),
                    model_only: e.model_log_odds.map(crate::score::sigmoid),
                };
                (scores, e.assessment.lang, labelled.label)
            },
        )
        .collect();
    let rules_threshold = detector.rules().scoring().flag_threshold;
    let flag_threshold = detector.scoring().flag_threshold;
    let metrics = |indices: &[usize]| -> ScorerMetrics {
        let pick = |f: &dyn Fn(&Scores) -> Option<f64>| -> Option<Vec<(f64, bool)>> {
            indices
                .iter()
                .map(|&i| f(&scored[i].0).map(|s| (s, scored[i].2)))
                .collect()
        };
        ScorerMetrics {
            combined: Metrics::of(
                &pick(&|s| Some(s.combined)).unwrap_or_default(),
                flag_threshold,
            ),
            rules_only: Metrics::of(
                &pick(&|s| Some(s.rules_only)).unwrap_or_default(),
                rules_threshold,
            ),
            model_only: pick(&|s| s.model_only).map(|v| Metrics::of(&v, 0.5)),
        }
    };
    let all: Vec<usize> = (0..scored.len()).collect();
    let mut by_lang: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    let mut by_kind: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    for (i, labelled) in ads.iter().enumerate() {
        by_lang
            .entry(scored[i].1.code().to_string())
            .or_default()
            .push(i);
        by_kind
            .entry(labelled.kind.clone().unwrap_or_else(|| {
                if labelled.label {
                    "scam".into()
                } else {
                    "not-scam".into()
                }
            }))
            .or_default()
            .push(i);
    }
    let combined: Vec<(f64, bool)> = scored.iter().map(|s| (s.0.combined, s.2)).collect();
    EvalReport {
        overall: metrics(&all),
        by_lang: by_lang
            .iter()
            .map(|(k, v)| (k.clone(), metrics(v)))
            .collect(),
        by_kind: by_kind
            .iter()
            .map(|(k, v)| (k.clone(), metrics(v)))
            .collect(),
        best_threshold: best_f1_threshold(&combined, 0.0, 1.0),
    }
}
