//! The [`Detector`]: compiled rules plus scoring settings, built once and shared by
//! threads, and the per-thread [`Scanner`] that scores ads with reusable scratch space.

use crate::ad::{Ad, Assessment, Field, Hit};
use crate::error::Error;
use crate::extract::{EMBEDDED_PLACES, EMBEDDED_RATES, Extractor};
use crate::lang::{self, Lang};
use crate::matcher::MatchScratch;
use crate::model::{Featurizer, Model};
use crate::normalize::{Normalized, normalize};
use crate::profile::{Collector, Profile};
use crate::rules::{self, FIELD_TEXT, FIELD_TITLE, RuleSet, Scoring, SourceFile};
use crate::score;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Default cap on the bytes of one field that are scored; longer text is scored on a
/// prefix and the result is marked `truncated`.
pub const DEFAULT_MAX_FIELD_BYTES: usize = 256 * 1024;

/// The default model, embedded at build time when `models/lure.model` exists.
#[cfg(lure_embedded_model)]
const EMBEDDED_MODEL: Option<&str> = Some(include_str!("../models/lure.model"));
#[cfg(not(lure_embedded_model))]
const EMBEDDED_MODEL: Option<&str> = None;

/// Most spans kept per hit.
const MAX_SPANS_PER_HIT: usize = 32;

/// Scores job ads. Immutable, `Send + Sync`: build it once and share it (by reference or
/// `Arc`) between threads.
///
/// ```
/// use lure::{Ad, Detector, Verdict};
///
/// let detector = Detector::new()?;
/// let ad = Ad::new("Hiring typists for Sihanoukville, Cambodia. Salary 2000 USD, \
///                   no experience, free flight, visa and dorm. Telegram @job_kh_001");
/// let result = detector.score(&ad);
/// assert_eq!(result.verdict, Verdict::Scam);
/// assert!(result.hits.iter().any(|h| h.category == "destination" || h.category == "combination"));
/// # Ok::<(), lure::Error>(())
/// ```
#[derive(Debug)]
pub struct Detector {
    rules: RuleSet,
    extractor: Extractor,
    model: Option<Model>,
    scoring: Scoring,
    max_field_bytes: usize,
    time_budget: Option<std::time::Duration>,
    low_memory: bool,
}

/// Builds a [`Detector`] with other rules or settings.
///
/// ```
/// let detector = lure::Detector::builder()
///     .flag_threshold(0.7)
///     .max_field_bytes(64 * 1024)
///     .build()?;
/// assert_eq!(detector.scoring().flag_threshold, 0.7);
/// # Ok::<(), lure::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct DetectorBuilder {
    rule_paths: Vec<PathBuf>,
    rule_texts: Vec<(String, String)>,
    flag_threshold: Option<f64>,
    suspicious_threshold: Option<f64>,
    max_field_bytes: Option<usize>,
    time_budget: Option<std::time::Duration>,
    model: ModelChoice,
    compile_regexes_now: bool,
    low_memory: bool,
}

#[derive(Debug, Clone, Default)]
enum ModelChoice {
    #[default]
    Embedded,
    Path(PathBuf),
    Json(String),
    None,
}

impl DetectorBuilder {
    /// Loads rules from a file or a folder of `*.toml` files instead of the embedded rules.
    /// May be called several times.
    pub fn rules_path(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.rule_paths.push(path.as_ref().to_path_buf());
        self
    }

    /// Adds a rule file given as text (`name` is used in diagnostics). When only texts are
    /// given, the embedded rules are not loaded.
    pub fn rules_text(&mut self, name: impl Into<String>, text: impl Into<String>) -> &mut Self {
        self.rule_texts.push((name.into(), text.into()));
        self
    }

    /// Overrides the score at or above which an ad is flagged.
    pub fn flag_threshold(&mut self, threshold: f64) -> &mut Self {
        self.flag_threshold = Some(threshold);
        self
    }

    /// Overrides the score at or above which an ad is `suspicious`.
    pub fn suspicious_threshold(&mut self, threshold: f64) -> &mut Self {
        self.suspicious_threshold = Some(threshold);
        self
    }

    /// Caps the bytes of each field that are scored (default
    /// [`DEFAULT_MAX_FIELD_BYTES`]).
    pub fn max_field_bytes(&mut self, bytes: usize) -> &mut Self {
        self.max_field_bytes = Some(bytes);
        self
    }

    /// Gives each ad at most this much time: when it runs out, the remaining regexes and
    /// the classifier are skipped and the result is marked `timed_out` (default: none).
    pub fn time_budget(&mut self, budget: std::time::Duration) -> &mut Self {
        self.time_budget = Some(budget);
        self
    }

    /// Trades regex speed for memory: searches confined to short spans (anchored at a
    /// regex's prefix atoms, or windows around its atoms) run on a bounded backtracker
    /// instead of the lazy DFA, which keeps every state it builds in each thread's cache.
    /// Measured on 100 MB of synthetic ads with two threads: peak RSS 158 instead of
    /// 240 MB, scanning 17 % slower (README, "Measured"). Default: off.
    pub fn low_memory(&mut self, yes: bool) -> &mut Self {
        self.low_memory = yes;
        self
    }

    /// Loads the classifier from a model file instead of the embedded one.
    pub fn model_path(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.model = ModelChoice::Path(path.as_ref().to_path_buf());
        self
    }

    /// Uses a classifier given as the JSON text of a model file.
    pub fn model_json(&mut self, json: impl Into<String>) -> &mut Self {
        self.model = ModelChoice::Json(json.into());
        self
    }

    /// With `yes = true`, compiles every rule regex in [`DetectorBuilder::build`] instead
    /// of when a field first needs it: a slower start (~0.15 s more) for steady latency
    /// from the first ad (for a platform's scoring service). Rules from
    /// [`DetectorBuilder::rules_path`] or [`DetectorBuilder::rules_text`] are always
    /// compiled at once, so that every error is reported.
    pub fn compile_regexes_now(&mut self, yes: bool) -> &mut Self {
        self.compile_regexes_now = yes;
        self
    }

    /// With `yes = false`, scores with the rules only (no classifier), thresholds from the
    /// rules' `[scoring]` table.
    pub fn use_model(&mut self, yes: bool) -> &mut Self {
        if !yes {
            self.model = ModelChoice::None;
        } else if matches!(self.model, ModelChoice::None) {
            self.model = ModelChoice::Embedded;
        }
        self
    }

    /// Compiles the rules and loads the model.
    pub fn build(&self) -> Result<Detector, Error> {
        // The rules on one side, the extractor and model on the other: start-up.
        let ((extractor, model), rules) = rayon::join(
            || (self.build_extractor(), self.load_model()),
            || self.compile_rules(),
        );
        let (extractor, rules, model) = (extractor?, rules?, model?);
        let mut scoring = rules.scoring();
        if let Some(model) = &model {
            scoring.flag_threshold = model.flag_threshold();
            scoring.suspicious_threshold = model.suspicious_threshold();
        }
        if let Some(t) = self.flag_threshold {
            scoring.flag_threshold = t;
        }
        if let Some(t) = self.suspicious_threshold {
            scoring.suspicious_threshold = t;
        }
        let in_range = |t: f64| (0.0..=1.0).contains(&t);
        if !in_range(scoring.flag_threshold) || !in_range(scoring.suspicious_threshold) {
            return Err(Error::InvalidSetting(
                "thresholds must be between 0 and 1".into(),
            ));
        }
        if scoring.suspicious_threshold > scoring.flag_threshold {
            scoring.suspicious_threshold = scoring.flag_threshold;
        }
        let max_field_bytes = self.max_field_bytes.unwrap_or(DEFAULT_MAX_FIELD_BYTES);
        if max_field_bytes == 0 {
            return Err(Error::InvalidSetting(
                "max_field_bytes must be positive".into(),
            ));
        }
        Ok(Detector {
            rules,
            extractor,
            model,
            scoring,
            max_field_bytes,
            time_budget: self.time_budget,
            low_memory: self.low_memory,
        })
    }

    /// The entity extractor with its gazetteer and rate table: `data/*.toml` in the first
    /// rules folder, else the embedded ones.
    fn build_extractor(&self) -> Result<Extractor, Error> {
        let data_file = |name: &str, embedded: &str| -> Result<String, Error> {
            let path = self
                .rule_paths
                .first()
                .map(|p| p.join("data").join(name))
                .filter(|p| p.is_file());
            match path {
                Some(path) => std::fs::read_to_string(&path)
                    .map_err(|source| Error::ReadRules { path, source }),
                None => Ok(embedded.to_string()),
            }
        };
        Extractor::new(
            &data_file("places.toml", EMBEDDED_PLACES)?,
            &data_file("rates.toml", EMBEDDED_RATES)?,
        )
        .map_err(Error::InvalidSetting)
    }

    /// The rule files given, else the embedded ones, compiled.
    fn compile_rules(&self) -> Result<rules::RuleSet, Error> {
        let mut sources = Vec::new();
        for path in &self.rule_paths {
            rules::read_sources(path, &mut sources)?;
        }
        for (name, text) in &self.rule_texts {
            sources.push(SourceFile {
                name: name.clone(),
                text: text.clone(),
            });
        }
        if self.rule_paths.is_empty() && self.rule_texts.is_empty() {
            sources = rules::embedded_sources();
        }
        // Rules from files or text are compiled in full, so a regex too large to compile is
        // reported now; the embedded rules are checked when lure is built and tested, and
        // their regexes are compiled when first needed (start-up time).
        let user_rules = !self.rule_paths.is_empty() || !self.rule_texts.is_empty();
        rules::compile(&sources, user_rules || self.compile_regexes_now)
            .map_err(|diagnostics| Error::InvalidRules { diagnostics })
    }

    /// The classifier chosen, if any.
    fn load_model(&self) -> Result<Option<Model>, Error> {
        let model = match &self.model {
            ModelChoice::None => None,
            ModelChoice::Embedded => {
                EMBEDDED_MODEL
                    .map(Model::from_json)
                    .transpose()
                    .map_err(|source| Error::InvalidModel {
                        path: "<embedded>".into(),
                        source,
                    })?
            }
            ModelChoice::Json(text) => {
                Some(
                    Model::from_json(text).map_err(|source| Error::InvalidModel {
                        path: "<text>".into(),
                        source,
                    })?,
                )
            }
            ModelChoice::Path(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| Error::ReadModel {
                    path: path.clone(),
                    source,
                })?;
                Some(
                    Model::from_json(&text).map_err(|source| Error::InvalidModel {
                        path: path.clone(),
                        source,
                    })?,
                )
            }
        };
        Ok(model)
    }
}

impl Detector {
    /// A detector with the embedded default rules.
    pub fn new() -> Result<Detector, Error> {
        Detector::builder().build()
    }

    /// A builder for other rules or settings.
    pub fn builder() -> DetectorBuilder {
        DetectorBuilder::default()
    }

    /// The compiled rules.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The classifier, if one is loaded.
    pub fn model(&self) -> Option<&Model> {
        self.model.as_ref()
    }

    /// The scoring settings in effect (the model's dev-chosen thresholds when a model is
    /// loaded, else the rules' `[scoring]` table; then builder overrides).
    pub fn scoring(&self) -> Scoring {
        self.scoring
    }

    /// A scanner with its own scratch space, for scoring many ads on one thread.
    pub fn scanner(&self) -> Scanner<'_> {
        Scanner {
            detector: self,
            matched: Vec::new(),
            pattern_matched: Vec::new(),
            raw_hits: Vec::new(),
            match_scratch: MatchScratch::new(self.low_memory),
            featurizer: Featurizer::default(),
            features: Vec::new(),
            profile: None,
        }
    }

    /// Scores one ad.
    pub fn score(&self, ad: &Ad) -> Assessment {
        self.scanner().score(ad)
    }

    /// Scores many ads in parallel (rayon); results are in input order.
    pub fn score_batch(&self, ads: &[Ad]) -> Vec<Assessment> {
        ads.par_iter()
            .map_init(|| self.scanner(), |scanner, ad| scanner.score(ad))
            .collect()
    }

    /// Scores an ad and keeps everything an analyst needs to see why.
    pub fn explain(&self, ad: &Ad) -> Explanation {
        let mut scanner = self.scanner();
        let evaluation = scanner.evaluate(ad);
        let helpers = evaluation
            .matched
            .iter()
            .enumerate()
            .filter(|(i, m)| **m && self.rules.rules[*i].helper)
            .map(|(i, _)| self.rules.rules[i].id.clone())
            .collect();
        let descriptions = evaluation
            .assessment
            .hits
            .iter()
            .map(|h| {
                self.rules
                    .rules
                    .iter()
                    .find(|r| r.id == h.rule)
                    .map(|r| r.description.clone())
                    .unwrap_or_default()
            })
            .collect();
        Explanation {
            title: ad
                .title
                .as_deref()
                .map(|t| prefix(t, self.max_field_bytes).0.to_string()),
            text: prefix(&ad.text, self.max_field_bytes).0.to_string(),
            matched_helpers: helpers,
            descriptions,
            intercept: self.scoring.intercept,
            rule_log_odds: evaluation.rule_log_odds,
            model_log_odds: evaluation.model_log_odds,
            calibration: self.model.as_ref().map(Model::calibration),
            assessment: evaluation.assessment,
        }
    }

    /// Runs every rule's `examples.match` and `examples.no_match` through the whole rule
    /// set and returns the ones that do not behave as written.
    pub fn check_examples(&self) -> ExampleReport {
        let failures: Vec<ExampleFailure> = self
            .rules
            .rules
            .par_iter()
            .enumerate()
            .flat_map_iter(|(index, rule)| {
                let mut scanner = self.scanner();
                let cases = rule
                    .examples_match
                    .iter()
                    .map(|e| (e, true))
                    .chain(rule.examples_no_match.iter().map(|e| (e, false)));
                let mut failures = Vec::new();
                for (example, expected) in cases {
                    // An example goes where the rule looks: the title for title-only rules.
                    let mut ad = if rule.fields & FIELD_TEXT == 0 {
                        Ad::new("").with_title(example.clone())
                    } else {
                        Ad::new(example.clone())
                    };
                    if let Some(lang) = rule.first_language {
                        ad.lang = Some(lang.code().to_string());
                    }
                    let evaluation = scanner.evaluate(&ad);
                    if evaluation.matched[index] != expected {
                        let fired = evaluation
                            .matched
                            .iter()
                            .enumerate()
                            .filter(|(_, m)| **m)
                            .map(|(i, _)| self.rules.rules[i].id.clone())
                            .collect();
                        failures.push(ExampleFailure {
                            rule: rule.id.clone(),
                            file: rule.file.clone(),
                            line: rule.line,
                            example: example.clone(),
                            expected_match: expected,
                            lang: evaluation.assessment.lang,
                            fired,
                        });
                    }
                }
                failures
            })
            .collect();
        let total = self
            .rules
            .rules
            .iter()
            .map(|r| r.examples_match.len() + r.examples_no_match.len())
            .sum();
        ExampleReport { total, failures }
    }
}

/// The outcome of [`Detector::check_examples`].
#[derive(Debug, Clone)]
pub struct ExampleReport {
    /// Number of examples run.
    pub total: usize,
    /// Examples that did not behave as written.
    pub failures: Vec<ExampleFailure>,
}

/// A rule example that did not behave as written.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    /// The rule whose example failed.
    pub rule: String,
    /// Its rule file.
    pub file: String,
    /// The line of its id.
    pub line: usize,
    /// The example text.
    pub example: String,
    /// True for `examples.match`, false for `examples.no_match`.
    pub expected_match: bool,
    /// The language it was scored as.
    pub lang: Lang,
    /// Every rule (helpers included) that matched the example.
    pub fired: Vec<String>,
}

/// Why an ad got its score: see [`Detector::explain`].
#[derive(Debug, Clone)]
pub struct Explanation {
    /// The result.
    pub assessment: Assessment,
    /// The scored title (after the byte cap), if any.
    pub title: Option<String>,
    /// The scored text (after the byte cap).
    pub text: String,
    /// Helper rules that matched (not scored, but used by combinations).
    pub matched_helpers: Vec<String>,
    /// Description of each hit's rule, parallel to `assessment.hits`.
    pub descriptions: Vec<String>,
    /// The log-odds of an ad without hits.
    pub intercept: f64,
    /// Intercept plus the weights of the matched rules.
    pub rule_log_odds: f64,
    /// The classifier's log-odds, when a model is loaded.
    pub model_log_odds: Option<f64>,
    /// How rules and model were combined, when a model is loaded.
    pub calibration: Option<crate::model::Calibration>,
}

/// Scores ads on one thread, reusing its scratch space. Get one from
/// [`Detector::scanner`].
#[derive(Debug)]
pub struct Scanner<'d> {
    detector: &'d Detector,
    matched: Vec<bool>,
    pattern_matched: Vec<bool>,
    raw_hits: Vec<RawHit>,
    match_scratch: MatchScratch,
    featurizer: Featurizer,
    features: Vec<(u32, f32)>,
    profile: Option<Collector>,
}

impl Drop for Scanner<'_> {
    fn drop(&mut self) {
        if let Some(mut collector) = self.profile.take() {
            collector.profile.regex_ns_by_rule = collector
                .regex_ns
                .iter()
                .enumerate()
                .filter(|(_, ns)| **ns > 0)
                .map(|(i, ns)| (self.detector.rules.rules[i].id.clone(), *ns))
                .collect();
            if let Ok(mut sink) = collector.sink.lock() {
                sink.merge(&collector.profile);
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct RawHit {
    rule: usize,
    field: Field,
    start: usize,
    end: usize,
}

pub(crate) struct Evaluation {
    pub assessment: Assessment,
    /// Intercept plus the weights of matched rules.
    pub rule_log_odds: f64,
    /// The classifier's log-odds, when a model is loaded.
    pub model_log_odds: Option<f64>,
    /// Which rules matched (helpers included), by rule index.
    pub matched: Vec<bool>,
}

impl Scanner<'_> {
    /// Makes this scanner record where its time goes; the times are added to `sink` when
    /// the scanner is dropped (so many threads can share one sink).
    pub fn with_profile(mut self, sink: std::sync::Arc<std::sync::Mutex<Profile>>) -> Self {
        self.profile = Some(Collector {
            profile: Profile::default(),
            regex_ns: vec![0; self.detector.rules.rules.len()],
            sink,
        });
        self
    }

    /// Adds the time since `clock` to one stage of the profile and restarts the clock.
    fn lap(
        &mut self,
        clock: &mut Option<std::time::Instant>,
        stage: impl Fn(&mut Profile) -> &mut u64,
    ) {
        if let (Some(started), Some(collector)) = (clock.as_mut(), self.profile.as_mut()) {
            *stage(&mut collector.profile) += started.elapsed().as_nanos() as u64;
            *started = std::time::Instant::now();
        }
    }

    /// Scores one ad.
    pub fn score(&mut self, ad: &Ad) -> Assessment {
        self.evaluate(ad).assessment
    }

    pub(crate) fn evaluate(&mut self, ad: &Ad) -> Evaluation {
        let detector = self.detector;
        let rules = &detector.rules.rules;
        let (title, title_cut) = match &ad.title {
            Some(t) => {
                let (t, cut) = prefix(t, detector.max_field_bytes);
                (Some(t), cut)
            }
            None => (None, false),
        };
        let (text, text_cut) = prefix(&ad.text, detector.max_field_bytes);
        let deadline = detector.time_budget.map(|b| std::time::Instant::now() + b);
        let mut timed_out = false;
        let mut clock = self.profile.as_ref().map(|_| std::time::Instant::now());
        let title_norm = title.map(normalize).unwrap_or_default();
        let text_norm = normalize(text);
        self.lap(&mut clock, |p| &mut p.normalize_ns);
        let lang = ad
            .lang
            .as_deref()
            .and_then(Lang::from_tag)
            .unwrap_or_else(|| detect_lang(&title_norm, &text_norm));
        self.lap(&mut clock, |p| &mut p.language_ns);

        self.raw_hits.clear();
        for (field, bit, normalized) in [
            (Field::Title, FIELD_TITLE, &title_norm),
            (Field::Text, FIELD_TEXT, &text_norm),
        ] {
            let raw_hits = &mut self.raw_hits;
            let timing = self.profile.as_mut().map(|c| {
                (
                    &mut c.profile.keywords_ns,
                    &mut c.profile.regexes_ns,
                    c.regex_ns.as_mut_slice(),
                )
            });
            let wanted =
                |rule: usize| rules[rule].fields & bit != 0 && rules[rule].applies_to(lang);
            timed_out |= !detector.rules.matcher.find(
                normalized.as_str(),
                &mut self.match_scratch,
                timing,
                deadline,
                wanted,
                |rule, start, end| {
                    if wanted(rule) {
                        raw_hits.push(RawHit {
                            rule,
                            field,
                            start,
                            end,
                        });
                    }
                },
            );
        }
        clock = clock.map(|_| std::time::Instant::now());
        self.pattern_matched.clear();
        self.pattern_matched.resize(rules.len(), false);
        for hit in &self.raw_hits {
            self.pattern_matched[hit.rule] = true;
        }
        self.matched.clear();
        self.matched.resize(rules.len(), false);
        let entities = detector.extractor.extract(
            &[
                (Field::Title, title.unwrap_or(""), &title_norm),
                (Field::Text, text, &text_norm),
            ],
            lang,
        );
        let pay_norm = detector.extractor.pay_norm_usd(lang);
        for &index in &detector.rules.order {
            let rule = &rules[index];
            self.matched[index] = rule.applies_to(lang)
                && (!rule.has_patterns || self.pattern_matched[index])
                && rule.conditions.hold(&self.matched)
                && rule
                    .entity
                    .as_ref()
                    .is_none_or(|e| e.hold(&entities, pay_norm));
        }

        let hits = self.collect_hits(title, &title_norm, text, &text_norm);
        self.lap(&mut clock, |p| &mut p.rules_ns);
        if let Some(collector) = self.profile.as_mut() {
            collector.profile.ads += 1;
        }
        let rule_weights: f64 = (0..rules.len())
            .filter(|&i| self.matched[i] && !rules[i].helper)
            .map(|i| rules[i].weight)
            .sum();
        clock = clock.map(|_| std::time::Instant::now());
        timed_out |= deadline.is_some_and(|d| std::time::Instant::now() >= d);
        let model = detector.model.as_ref().filter(|_| !timed_out);
        let model_log_odds = model.map(|model| {
            self.featurizer.features(
                model.features(),
                &[title_norm.as_str(), text_norm.as_str()],
                (0..rules.len())
                    .filter(|&i| self.matched[i])
                    .map(|i| rules[i].id.as_str()),
                &mut self.features,
            );
            model.log_odds(&self.features)
        });
        self.lap(&mut clock, |p| &mut p.model_ns);
        let calibrated = model_log_odds.zip(model.map(Model::calibration));
        let warning_matched =
            (0..rules.len()).any(|i| self.matched[i] && rules[i].is_scored_warning());
        let score = score::combine(&detector.scoring, rule_weights, calibrated, warning_matched);
        let (flagged, verdict) = score::decide(&detector.scoring, score);
        Evaluation {
            assessment: Assessment {
                id: ad.id.clone().unwrap_or_default(),
                flagged,
                score,
                verdict,
                lang,
                hits,
                entities,
                model: model_log_odds.map(|z| score::round4(score::sigmoid(z))),
                truncated: title_cut || text_cut,
                timed_out,
            },
            rule_log_odds: detector.scoring.intercept + rule_weights,
            model_log_odds,
            matched: self.matched.clone(),
        }
    }

    /// Builds the hits of the matched, reported rules. A rule's evidence is its own keyword
    /// and regex matches; a combination rule's evidence is the evidence of the matched
    /// rules it names (through helpers), so every hit can point at text.
    /// Features and rule log-odds of an ad, for training (all matched rules, helpers
    /// included, are features).
    pub(crate) fn training_row(
        &mut self,
        ad: &Ad,
        settings: &crate::model::FeatureSettings,
        featurizer: &mut Featurizer,
    ) -> (Vec<(u32, f32)>, f64, bool) {
        let evaluation = self.evaluate(ad);
        let rules = &self.detector.rules.rules;
        let max = self.detector.max_field_bytes;
        let title = normalize(prefix(ad.title.as_deref().unwrap_or(""), max).0);
        let text = normalize(prefix(&ad.text, max).0);
        let mut features = Vec::new();
        featurizer.features(
            settings,
            &[title.as_str(), text.as_str()],
            (0..rules.len())
                .filter(|&i| evaluation.matched[i])
                .map(|i| rules[i].id.as_str()),
            &mut features,
        );
        let warning =
            (0..rules.len()).any(|i| evaluation.matched[i] && rules[i].is_scored_warning());
        (features, evaluation.rule_log_odds, warning)
    }

    fn collect_hits(
        &mut self,
        title: Option<&str>,
        title_norm: &Normalized,
        text: &str,
        text_norm: &Normalized,
    ) -> Vec<Hit> {
        let rules = &self.detector.rules.rules;
        self.raw_hits.sort_unstable();
        self.raw_hits.dedup();
        let mut own = vec![0..0; rules.len()];
        let mut i = 0;
        while i < self.raw_hits.len() {
            let rule = self.raw_hits[i].rule;
            let mut j = i;
            while j < self.raw_hits.len() && self.raw_hits[j].rule == rule {
                j += 1;
            }
            own[rule] = i..j;
            i = j;
        }
        let mut hits = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            if !self.matched[index] || rule.helper {
                continue;
            }
            let evidence = if rule.has_patterns {
                self.raw_hits[own[index].clone()].to_vec()
            } else {
                self.combination_evidence(index, &own)
            };
            if evidence.is_empty() {
                hits.push(Hit {
                    rule: rule.id.clone(),
                    category: rule.category.to_string(),
                    weight: rule.weight,
                    field: None,
                    spans: Vec::new(),
                    text: None,
                });
                continue;
            }
            for field in [Field::Title, Field::Text] {
                let (original, normalized) = match field {
                    Field::Title => (title.unwrap_or(""), title_norm),
                    Field::Text => (text, text_norm),
                };
                let mut spans: Vec<[usize; 2]> = evidence
                    .iter()
                    .filter(|h| h.field == field)
                    .map(|h| {
                        let (s, e) = normalized.original_range(h.start, h.end);
                        [s, e]
                    })
                    .collect();
                if spans.is_empty() {
                    continue;
                }
                spans.sort_unstable();
                let spans = merge_overlapping(spans);
                let first = spans[0];
                hits.push(Hit {
                    rule: rule.id.clone(),
                    category: rule.category.to_string(),
                    weight: rule.weight,
                    field: Some(field),
                    text: Some(original[first[0]..first[1]].to_string()),
                    spans: spans.into_iter().take(MAX_SPANS_PER_HIT).collect(),
                });
            }
        }
        hits.sort_by(|a, b| {
            b.weight
                .abs()
                .total_cmp(&a.weight.abs())
                .then_with(|| a.rule.cmp(&b.rule))
                .then_with(|| a.field.cmp(&b.field))
        });
        hits
    }

    /// The keyword and regex matches of every matched rule a combination rule depends on
    /// (`all`, `any`, `at_least`; not `not`), followed transitively.
    fn combination_evidence(&self, index: usize, own: &[std::ops::Range<usize>]) -> Vec<RawHit> {
        let rules = &self.detector.rules.rules;
        let mut seen = vec![false; rules.len()];
        let mut stack = vec![index];
        let mut evidence = Vec::new();
        while let Some(rule) = stack.pop() {
            if std::mem::replace(&mut seen[rule], true) {
                continue;
            }
            evidence.extend_from_slice(&self.raw_hits[own[rule].clone()]);
            stack.extend(
                rules[rule]
                    .conditions
                    .positive_references()
                    .filter(|&r| self.matched[r]),
            );
        }
        evidence.sort_unstable();
        evidence.dedup();
        evidence
    }
}

fn detect_lang(title: &Normalized, text: &Normalized) -> Lang {
    if title.as_str().is_empty() {
        return lang::detect(text.as_str());
    }
    let mut both = String::with_capacity(title.as_str().len() + text.as_str().len() + 1);
    both.push_str(title.as_str());
    both.push(' ');
    both.push_str(text.as_str());
    lang::detect(&both)
}

/// The longest prefix of `s` of at most `max` bytes ending on a character boundary.
fn prefix(s: &str, max: usize) -> (&str, bool) {
    if s.len() <= max {
        return (s, false);
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    (&s[..end], true)
}

fn merge_overlapping(spans: Vec<[usize; 2]>) -> Vec<[usize; 2]> {
    let mut merged: Vec<[usize; 2]> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span[0] < last[1] => last[1] = last[1].max(span[1]),
            _ => merged.push(span),
        }
    }
    merged
}
