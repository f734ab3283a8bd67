//! Turns rule weights (and, when present, the classifier) into one score and a verdict.

use crate::ad::Verdict;
use crate::rules::Scoring;

/// The score: `sigmoid(intercept + Σ rule weights + model_weight · model log-odds)`,
/// rounded to four decimals so that output is stable across platforms.
pub(crate) fn combine(scoring: &Scoring, rule_weights: f64, model_log_odds: Option<f64>) -> f64 {
    let z = scoring.intercept + rule_weights + scoring.model_weight * model_log_odds.unwrap_or(0.0);
    let p = 1.0 / (1.0 + (-z).exp());
    (p * 10_000.0).round() / 10_000.0
}

/// `flagged` and the verdict for a score.
pub(crate) fn decide(scoring: &Scoring, score: f64) -> (bool, Verdict) {
    if score >= scoring.flag_threshold {
        (true, Verdict::Scam)
    } else if score >= scoring.suspicious_threshold {
        (false, Verdict::Suspicious)
    } else {
        (false, Verdict::Clean)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_move_the_score_and_verdict() {
        let scoring = Scoring::default();
        let none = combine(&scoring, 0.0, None);
        assert!((none - 0.0474).abs() < 1e-4);
        assert_eq!(decide(&scoring, none), (false, Verdict::Clean));
        assert_eq!(
            decide(&scoring, combine(&scoring, 1.7, None)),
            (false, Verdict::Suspicious)
        );
        assert_eq!(
            decide(&scoring, combine(&scoring, 3.0, None)),
            (true, Verdict::Scam)
        );
        assert!(combine(&scoring, -5.0, None) < none);
    }
}
