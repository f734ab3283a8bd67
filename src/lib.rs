//! lure finds scam-compound recruitment job ads: the fake "customer service in
//! Sihanoukville, high pay, free flight, contact us on Telegram" postings that lure people
//! into forced-fraud compounds in Cambodia, Myanmar and Laos. It reads ads in Chinese
//! (Simplified and Traditional), Thai, Vietnamese, Indonesian and English, scores them
//! against analyst-editable rule files, and says why: every hit names its rule and the
//! byte spans of the original text it matched.
//!
//! The central types:
//! - [`Detector`]: compiled rules and scoring settings; immutable, `Send + Sync`, built
//!   once ([`Detector::new`] for the embedded rules, [`Detector::builder`] for others).
//! - [`Ad`]: one posting (`title`, `text`, optional `id` and `lang`).
//! - [`Assessment`]: the result: `score`, `flagged`, `verdict`, `lang` and the [`Hit`]s.
//!   It is the same type the `lure` command prints as JSON.
//! - [`Scanner`]: per-thread scratch space for scoring many ads.
//!
//! The pipeline, one module per stage: `input` reads records → `normalize` folds the text
//! once (with an offset map back to the original) → `lang` picks the language → `matcher`
//! finds every keyword in one Aho-Corasick pass and the regexes → `rules` evaluates
//! combinations → `score` turns weights into a score and verdict → `output` writes it.
//!
//! ```
//! use lure::{Ad, Detector, Verdict};
//!
//! let detector = Detector::new()?;
//! let lure_ad = Ad::new(
//!     "西港高薪招聘打字员，月薪两万，无需经验，包机票包吃住，纸飞机联系 @kh_hr_000",
//! );
//! let honest = Ad::new("东莞电子厂招聘普工，月薪5000-6000元，包吃包住，缴纳五险一金，地址：东莞市长安镇");
//! let results = detector.score_batch(&[lure_ad, honest]);
//! assert_eq!(results[0].verdict, Verdict::Scam);
//! assert!(!results[1].flagged);
//! for hit in &results[0].hits {
//!     println!("{} {:+.1} {:?}", hit.rule, hit.weight, hit.text);
//! }
//! # Ok::<(), lure::Error>(())
//! ```
#![deny(missing_docs)]

mod ad;
mod automaton;
pub mod cluster;
mod detector;
mod error;
pub mod eval;
mod extract;
mod gated_regex;
pub mod input;
pub mod labelled;
mod lang;
mod matcher;
mod model;
mod normalize;
pub mod output;
mod profile;
mod regex_atoms;
pub mod report;
pub mod rule_stats;
mod rules;
mod score;

pub use ad::{Ad, Assessment, Field, Hit, Verdict};
pub use detector::{
    DEFAULT_MAX_FIELD_BYTES, Detector, DetectorBuilder, ExampleFailure, ExampleReport, Explanation,
    Scanner,
};
pub use error::Error;
pub use extract::{Contact, ContactKind, Entities, Place, Salary};
pub use lang::Lang;
pub use model::train::{TrainOptions, Trained, train};
pub use model::{Calibration, FeatureSettings, Model, ModelError, TrainingInfo};
pub use profile::Profile;
pub use rules::{Diagnostic, RuleInfo, RuleSet, Scoring, Severity};

/// Normalises text the way rules see it (lower case, NFKC, look-alikes folded,
/// Traditional → Simplified, spaced letters joined). Useful to write and debug rules.
///
/// ```
/// assert_eq!(lure::normalize_text("Ｔ e l e g r a m 紙飛機"), "telegram 纸飞机");
/// ```
pub fn normalize_text(text: &str) -> String {
    normalize::normalize(text).as_str().to_string()
}

/// Detects the language of a text (`zh`, `th`, `vi`, `id`, `en` or `other`).
///
/// ```
/// assert_eq!(lure::detect_language("Lowongan kerja admin, gaji 15 juta"), lure::Lang::Id);
/// ```
pub fn detect_language(text: &str) -> Lang {
    lang::detect(normalize::normalize(text).as_str())
}
