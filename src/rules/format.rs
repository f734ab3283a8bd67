//! The TOML shape of a rule file, as written by analysts. `deny_unknown_fields` everywhere:
//! a misspelt key is an error, never silently ignored.

use serde::Deserialize;
use toml::Spanned;

/// One rule file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleFile {
    #[serde(default)]
    pub rule: Vec<RawRule>,
    pub scoring: Option<Spanned<RawScoring>>,
}

/// The `[scoring]` table.
#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScoring {
    pub intercept: Option<f64>,
    pub flag_threshold: Option<f64>,
    pub suspicious_threshold: Option<f64>,
}

/// One `[[rule]]` block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    pub id: Spanned<String>,
    pub description: Option<Spanned<String>>,
    pub category: Option<Spanned<String>>,
    pub weight: Option<Spanned<f64>>,
    pub pinned: Option<bool>,
    pub languages: Option<Vec<Spanned<String>>>,
    pub fields: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub keywords: Vec<Spanned<String>>,
    pub word_boundary: Option<bool>,
    #[serde(default)]
    pub regex: Vec<Spanned<String>>,
    #[serde(default)]
    pub all: Vec<Spanned<String>>,
    #[serde(default)]
    pub any: Vec<Spanned<String>>,
    pub at_least: Option<Spanned<RawAtLeast>>,
    #[serde(default)]
    pub not: Vec<Spanned<String>>,
    pub examples: Option<RawExamples>,
    pub phone_countries: Option<Vec<Spanned<String>>>,
    pub place_kinds: Option<Vec<Spanned<String>>>,
    pub min_pay_ratio: Option<Spanned<f64>>,
}

/// `at_least = { n = 2, of = [...] }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAtLeast {
    pub n: usize,
    pub of: Vec<Spanned<String>>,
}

/// `examples.match` / `examples.no_match`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawExamples {
    #[serde(rename = "match", default)]
    pub matches: Vec<String>,
    #[serde(default)]
    pub no_match: Vec<String>,
}
