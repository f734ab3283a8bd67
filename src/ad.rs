//! The input and output types: an [`Ad`] goes in, an [`Assessment`] comes out.

use crate::lang::Lang;
use serde::{Deserialize, Serialize};

/// One job ad to score.
///
/// ```
/// let ad = lure::Ad::new("Customer service in Sihanoukville, 2000 USD, free flight")
///     .with_title("Hiring now")
///     .with_id("ad-1");
/// assert_eq!(ad.id.as_deref(), Some("ad-1"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ad {
    /// Identifier, copied into the result.
    pub id: Option<String>,
    /// Title, if the ad has one.
    pub title: Option<String>,
    /// Body text.
    pub text: String,
    /// Language tag given by the source (`zh`, `th-TH`, ...); detected when absent.
    pub lang: Option<String>,
}

impl Ad {
    /// An ad with only a body text.
    pub fn new(text: impl Into<String>) -> Ad {
        Ad {
            text: text.into(),
            ..Ad::default()
        }
    }

    /// Sets the title.
    pub fn with_title(mut self, title: impl Into<String>) -> Ad {
        self.title = Some(title.into());
        self
    }

    /// Sets the identifier.
    pub fn with_id(mut self, id: impl Into<String>) -> Ad {
        self.id = Some(id.into());
        self
    }

    /// Sets the language tag instead of detecting it.
    pub fn with_lang(mut self, lang: impl Into<String>) -> Ad {
        self.lang = Some(lang.into());
        self
    }
}

/// The decision for an ad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Score at or above the flag threshold.
    Scam,
    /// Score at or above the suspicious threshold.
    Suspicious,
    /// Below both thresholds.
    Clean,
}

impl Verdict {
    /// `"scam"`, `"suspicious"` or `"clean"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Scam => "scam",
            Verdict::Suspicious => "suspicious",
            Verdict::Clean => "clean",
        }
    }
}

/// Which field of the ad a hit is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    /// The title.
    Title,
    /// The body text.
    Text,
}

/// One rule that matched, with where it matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Rule id.
    pub rule: String,
    /// Rule category (`pay`, `messenger`, ..., `legitimacy`, `warning`).
    pub category: String,
    /// Rule weight in log-odds; counted once per ad even if the rule matched in both fields.
    pub weight: f64,
    /// The field matched; `null` for a combination rule, which has no text of its own.
    pub field: Option<Field>,
    /// Byte ranges `[start, end)` into the original text of `field`.
    pub spans: Vec<[usize; 2]>,
    /// The original text of the first span.
    pub text: Option<String>,
}

/// The result for one ad: the same type the CLI prints as one JSON line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// The ad's id (or `FILE:LINE` when read by the CLI without one).
    pub id: String,
    /// True when `score >= flag_threshold`.
    pub flagged: bool,
    /// Probability-like score in [0, 1].
    pub score: f64,
    /// `scam`, `suspicious` or `clean`.
    pub verdict: Verdict,
    /// Language used for the rules.
    pub lang: Lang,
    /// Rules that matched, strongest first.
    pub hits: Vec<Hit>,
    /// Contacts and places named in the ad.
    #[serde(default)]
    pub entities: crate::extract::Entities,
    /// The classifier's probability, when a model is loaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<f64>,
    /// True when the ad was longer than the byte cap and only a prefix was scored.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
    /// True when scoring ran out of the per-ad time budget: the result is from the rules
    /// checked until then (the remaining regexes and the classifier were skipped).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub timed_out: bool,
}

impl Assessment {
    /// The byte ranges of `text` (the original `field`) covered by hits, merged where they
    /// overlap, in order; `true` when a positive-weight rule is among the hits of a range
    /// (`false`: only legitimacy or warning rules). Ranges that do not fit `text` are left
    /// out. Used to highlight an ad.
    pub fn highlight_ranges(&self, field: Field, text: &str) -> Vec<(usize, usize, bool)> {
        let mut marks: Vec<(usize, usize, bool)> = self
            .hits
            .iter()
            .filter(|h| h.field == Some(field))
            .flat_map(|h| h.spans.iter().map(move |s| (s[0], s[1], h.weight >= 0.0)))
            .filter(|&(s, e, _)| {
                s < e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
            })
            .collect();
        marks.sort_unstable();
        let mut merged: Vec<(usize, usize, bool)> = Vec::with_capacity(marks.len());
        for (start, end, positive) in marks {
            match merged.last_mut() {
                Some(last) if start <= last.1 => {
                    last.1 = last.1.max(end);
                    last.2 |= positive;
                }
                _ => merged.push((start, end, positive)),
            }
        }
        merged
    }
}
