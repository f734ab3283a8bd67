//! Turns rule weights (and, when present, the classifier) into one score and a verdict.

use crate::ad::Verdict;
use crate::model::Calibration;
use crate::rules::Scoring;

/// The score. Rules only: `sigmoid(intercept + Σ rule weights)`. With a model:
/// `sigmoid(bias + a · (intercept + Σ rule weights) + b · model log-odds)`, the stacking
/// fitted on the dev split, except that when a `warning` rule matched (news, advisories,
/// "is this a scam?" posts) the score is at most the rules-only score: the classifier
/// sees the scam vocabulary such texts quote, and must not lift them. Rounded to four
/// decimals so output is stable across platforms.
pub(crate) fn combine(
    scoring: &Scoring,
    rule_weights: f64,
    model: Option<(f64, Calibration)>,
    warning_matched: bool,
) -> f64 {
    let rules = scoring.intercept + rule_weights;
    let z = match model {
        None => rules,
        Some((log_odds, c)) => {
            let stacked = c.bias + c.rules * rules + c.model * log_odds;
            if warning_matched {
                stacked.min(rules)
            } else {
                stacked
            }
        }
    };
    round4(sigmoid(z))
}

pub(crate) fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

pub(crate) fn round4(p: f64) -> f64 {
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
        let none = combine(&scoring, 0.0, None, false);
        assert!((none - 0.0474).abs() < 1e-4);
        assert_eq!(decide(&scoring, none), (false, Verdict::Clean));
        assert_eq!(
            decide(&scoring, combine(&scoring, 1.7, None, false)),
            (false, Verdict::Suspicious)
        );
        assert_eq!(
            decide(&scoring, combine(&scoring, 3.0, None, false)),
            (true, Verdict::Scam)
        );
        assert!(combine(&scoring, -5.0, None, false) < none);
        let stacked = Calibration {
            bias: 1.0,
            rules: 0.5,
            model: 2.0,
        };
        let expected = sigmoid(1.0 + 0.5 * (-3.0 + 1.0) + 2.0 * 0.25);
        assert!((combine(&scoring, 1.0, Some((0.25, stacked)), false) - expected).abs() < 1e-4);
        // A matched warning rule caps the stacked score at the rules-only score.
        let capped = combine(&scoring, -2.0, Some((5.0, stacked)), true);
        assert_eq!(capped, combine(&scoring, -2.0, None, false));
        assert!(combine(&scoring, -2.0, Some((5.0, stacked)), false) > capped);
    }
}
