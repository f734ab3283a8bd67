//! Turns rule files into an immutable [`RuleSet`]: parses, resolves references, orders
//! combination rules, normalises keywords, compiles regexes and builds the matcher. Every
//! problem is collected as a [`Diagnostic`] instead of stopping at the first.

use super::diagnostic::{Diagnostic, Severity, SourceFile};
use super::format::{RawRule, RuleFile};
use crate::gated_regex::GatedRegex;
use crate::lang::Lang;
use crate::matcher::{KeywordSpec, Matcher};
use crate::normalize::normalize;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;

/// Categories of positive signals and of negative (legitimacy) signals.
pub(crate) const POSITIVE_CATEGORIES: &[&str] = &[
    "pay",
    "no_experience",
    "travel_paid",
    "destination",
    "vague_company",
    "messenger",
    "urgency",
    "requirements",
    "easy_job",
    "gambling_crypto",
    "irregular_visa",
    "money_contract",
    "decoy",
    "referral",
    "criminal_role",
    "obfuscation",
    "combination",
];
pub(crate) const NEGATIVE_CATEGORIES: &[&str] = &["legitimacy", "warning"];

/// Field bits.
pub(crate) const FIELD_TITLE: u8 = 1;
pub(crate) const FIELD_TEXT: u8 = 2;

/// How rule weights (and the model) become a score, from the `[scoring]` table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scoring {
    /// Log-odds of an ad with no hits.
    pub intercept: f64,
    /// Score at or above which an ad is flagged (verdict `scam`).
    pub flag_threshold: f64,
    /// Score at or above which an unflagged ad is `suspicious`.
    pub suspicious_threshold: f64,
}

impl Default for Scoring {
    fn default() -> Self {
        Scoring {
            intercept: -3.0,
            flag_threshold: 0.5,
            suspicious_threshold: 0.2,
        }
    }
}

/// A combination condition over other rules (by index).
#[derive(Debug, Clone, Default)]
pub(crate) struct Conditions {
    pub all: Vec<usize>,
    pub any: Vec<usize>,
    pub at_least: Option<(usize, Vec<usize>)>,
    pub not: Vec<usize>,
}

impl Conditions {
    fn references(&self) -> impl Iterator<Item = usize> + '_ {
        self.all
            .iter()
            .chain(&self.any)
            .chain(self.at_least.iter().flat_map(|(_, of)| of))
            .chain(&self.not)
            .copied()
    }

    /// The rules whose matches support this one (`all`, `any`, `at_least`, not `not`).
    pub fn positive_references(&self) -> impl Iterator<Item = usize> + '_ {
        self.all
            .iter()
            .chain(&self.any)
            .chain(self.at_least.iter().flat_map(|(_, of)| of))
            .copied()
    }

    pub fn hold(&self, matched: &[bool]) -> bool {
        self.all.iter().all(|&r| matched[r])
            && (self.any.is_empty() || self.any.iter().any(|&r| matched[r]))
            && self
                .at_least
                .as_ref()
                .is_none_or(|(n, of)| of.iter().filter(|&&r| matched[r]).count() >= *n)
            && !self.not.iter().any(|&r| matched[r])
    }
}

/// Conditions on extracted entities: every one given must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct EntityConditions {
    /// A phone or messenger number from one of these ISO countries.
    pub phone_countries: Vec<String>,
    /// A place of one of these kinds (`hotspot`, `staging`, `country`).
    pub place_kinds: Vec<String>,
    /// A salary of at least this many times the entry-level norm of the ad's language.
    pub min_pay_ratio: Option<f64>,
}

impl EntityConditions {
    pub fn hold(&self, entities: &crate::extract::Entities, pay_norm_usd: Option<f64>) -> bool {
        (self.phone_countries.is_empty()
            || entities.contacts.iter().any(|c| {
                c.country
                    .as_ref()
                    .is_some_and(|country| self.phone_countries.contains(country))
            }))
            && (self.place_kinds.is_empty()
                || entities
                    .places
                    .iter()
                    .any(|p| self.place_kinds.contains(&p.kind)))
            && self.min_pay_ratio.is_none_or(|ratio| {
                pay_norm_usd.is_some_and(|norm| {
                    entities
                        .salaries
                        .iter()
                        .any(|s| s.usd_month.is_some_and(|usd| usd >= ratio * norm))
                })
            })
    }
}

/// One compiled rule.
#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    pub id: String,
    pub description: String,
    pub category: &'static str,
    pub weight: f64,
    pub helper: bool,
    /// Bit set of [`Lang::bit`]; `u8::MAX` for every language.
    pub languages: u8,
    pub first_language: Option<Lang>,
    pub fields: u8,
    pub has_patterns: bool,
    pub conditions: Conditions,
    /// Conditions on the ad's extracted entities, if any.
    pub entity: Option<EntityConditions>,
    pub examples_match: Vec<String>,
    pub examples_no_match: Vec<String>,
    pub file: String,
    pub line: usize,
    /// Byte range of the `weight` value in its file (for `rules fit --write`).
    pub weight_span: Option<std::ops::Range<usize>>,
    /// `pinned = true`: `rules fit` leaves the weight alone.
    pub pinned: bool,
}

impl CompiledRule {
    pub fn applies_to(&self, lang: Lang) -> bool {
        self.languages & lang.bit() != 0
    }

    /// A reported rule of the `warning` category (news, advisories, "is this a scam?"),
    /// whose match caps the combined score. Helpers of that category are only building
    /// blocks (a question mark, the word "waspada") and cap nothing on their own.
    pub fn is_scored_warning(&self) -> bool {
        self.category == "warning" && !self.helper
    }
}

/// One rule, as listed by [`RuleSet::rules`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RuleInfo<'a> {
    /// Rule id.
    pub id: &'a str,
    /// Description.
    pub description: &'a str,
    /// Category.
    pub category: &'a str,
    /// Weight (0 for helpers).
    pub weight: f64,
    /// True for `__` helper rules.
    pub helper: bool,
    /// True when `pinned = true` (weight fitting leaves it alone).
    pub pinned: bool,
    /// Rule file.
    pub file: &'a str,
    /// Line of its id.
    pub line: usize,
}

/// A compiled, immutable set of rules. Built once, shared by every thread.
#[derive(Debug)]
pub struct RuleSet {
    pub(crate) rules: Vec<CompiledRule>,
    /// Rule indices such that every rule comes after the rules its conditions name.
    pub(crate) order: Vec<usize>,
    pub(crate) matcher: Matcher,
    pub(crate) scoring: Scoring,
    pub(crate) warnings: Vec<Diagnostic>,
}

impl RuleSet {
    /// Number of rules, helpers included.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// True when there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Number of distinct keywords in the matcher.
    pub fn keyword_count(&self) -> usize {
        self.matcher.keyword_count()
    }

    /// Number of regexes with no literal atom to gate them: they run on every field.
    pub fn ungated_regex_count(&self) -> usize {
        self.matcher.ungated_regex_count()
    }

    /// Warnings found while compiling (the rules still work).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Every rule, in file order, as analysts see it.
    pub fn rules(&self) -> impl Iterator<Item = RuleInfo<'_>> {
        self.rules.iter().map(|r| RuleInfo {
            id: &r.id,
            description: &r.description,
            category: r.category,
            weight: r.weight,
            helper: r.helper,
            pinned: r.pinned,
            file: &r.file,
            line: r.line,
        })
    }

    /// The scoring settings of the `[scoring]` table (or the defaults).
    pub fn scoring(&self) -> Scoring {
        self.scoring
    }
}

/// A rule regex found in a rule file, parsed after all rules are read.
struct PendingRegex {
    rule: usize,
    /// Index of the source file.
    file: usize,
    span: std::ops::Range<usize>,
    pattern: String,
}

/// Compiles rule files. Returns the rule set, or every diagnostic if any is an error.
/// With `compile_regexes_now`, every regex is compiled here, so that a regex too large to
/// compile is reported; otherwise regexes are only parsed here and compiled on first use
/// (for rules already checked, such as the embedded ones).
pub(crate) fn compile(
    sources: &[SourceFile],
    compile_regexes_now: bool,
) -> Result<RuleSet, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut parsed: Vec<(usize, RuleFile)> = Vec::new();
    // One file per core; results stay in file order.
    let files: Vec<Result<RuleFile, toml::de::Error>> = sources
        .par_iter()
        .map(|source| toml::from_str::<RuleFile>(&source.text))
        .collect();
    for (file_index, (source, file)) in sources.iter().zip(files).enumerate() {
        match file {
            Ok(file) => parsed.push((file_index, file)),
            Err(error) => {
                let code = if error.message().contains("unknown field") {
                    "E002"
                } else {
                    "E001"
                };
                let span = error.span().unwrap_or(0..0);
                diagnostics.push(source.diagnostic(code, span, error.message().trim().to_string()));
            }
        }
    }

    let scoring = read_scoring(sources, &parsed, &mut diagnostics);

    // Pass 1: ids.
    let mut index_of: HashMap<String, usize> = HashMap::new();
    let mut raw_rules: Vec<(usize, &RawRule)> = Vec::new();
    for (file_index, file) in &parsed {
        for rule in &file.rule {
            let id = rule.id.get_ref();
            if index_of.contains_key(id) {
                diagnostics.push(sources[*file_index].diagnostic(
                    "E003",
                    rule.id.span(),
                    format!("duplicate rule id `{id}`"),
                ));
                continue;
            }
            index_of.insert(id.clone(), raw_rules.len());
            raw_rules.push((*file_index, rule));
        }
    }

    // Pass 2: everything else.
    let mut rules = Vec::with_capacity(raw_rules.len());
    let mut keywords = Vec::new();
    let mut pending_regexes = Vec::new();
    let mut referenced = vec![false; raw_rules.len()];
    let line_starts: Vec<Vec<usize>> = sources.iter().map(|s| line_starts(&s.text)).collect();
    for (rule_index, (file_index, raw)) in raw_rules.iter().enumerate() {
        let source = &sources[*file_index];
        let starts = &line_starts[*file_index];
        let line = starts.partition_point(|&start| start <= raw.id.span().start);
        let pending_before = pending_regexes.len();
        let rule = compile_rule(
            rule_index,
            raw,
            source,
            line,
            &index_of,
            &mut keywords,
            &mut pending_regexes,
            &mut diagnostics,
        );
        for pending in &mut pending_regexes[pending_before..] {
            pending.file = *file_index;
        }
        for r in rule.conditions.references() {
            referenced[r] = true;
        }
        rules.push(rule);
    }
    // Parsing the regexes (and finding their atoms) is most of the start-up: it runs on
    // all cores.
    let parsed_regexes: Vec<Result<GatedRegex, String>> = pending_regexes
        .par_iter()
        .map(|p| GatedRegex::new(p.rule, &p.pattern, compile_regexes_now))
        .collect();
    let mut regexes = Vec::with_capacity(parsed_regexes.len());
    for (pending, parsed) in pending_regexes.iter().zip(parsed_regexes) {
        match parsed {
            Ok(regex) => regexes.push(regex),
            Err(error) => diagnostics.push(sources[pending.file].diagnostic(
                "E004",
                pending.span.clone(),
                format!("invalid regex: {}", one_line(&error)),
            )),
        }
    }
    for (index, rule) in rules.iter().enumerate() {
        if rule.helper && !referenced[index] {
            let (file_index, raw) = raw_rules[index];
            diagnostics.push(sources[file_index].diagnostic(
                "W102",
                raw.id.span(),
                format!("helper rule `{}` is never used by a combination", rule.id),
            ));
        }
    }

    let order = match topological_order(&rules) {
        Ok(order) => order,
        Err(cycle_at) => {
            let (file_index, raw) = raw_rules[cycle_at];
            diagnostics.push(sources[file_index].diagnostic(
                "E006",
                raw.id.span(),
                format!(
                    "rule `{}` is part of a cycle of combinations",
                    rules[cycle_at].id
                ),
            ));
            Vec::new()
        }
    };

    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(diagnostics);
    }
    Ok(RuleSet {
        rules,
        order,
        matcher: Matcher::new(&keywords, regexes),
        scoring,
        warnings: diagnostics,
    })
}

// The keywords of the embedded rules, normalised at build time: `NORMALIZED_KEYWORD_TEXT`
// and `NORMALIZED_KEYWORDS`, (fingerprint of the raw keyword, offsets into the text: raw
// start, raw end = normalised start, normalised end), sorted by fingerprint.
include!(concat!(env!("OUT_DIR"), "/embedded_keywords.rs"));

/// A keyword as the matcher compares it: normalised like the text it is matched against.
/// Keywords of the embedded rules were normalised when lure was built, by the same code
/// (normalising ~7,700 keywords was a fifth of the start-up).
fn normalize_keyword(keyword: &str) -> Cow<'static, str> {
    let slice = |from: u32, to: u32| NORMALIZED_KEYWORD_TEXT.get(from as usize..to as usize);
    let hash = crate::automaton::fingerprint(&[keyword.as_bytes()]);
    let first = NORMALIZED_KEYWORDS.partition_point(|&(h, _)| h < hash);
    let found = NORMALIZED_KEYWORDS[first..]
        .iter()
        .take_while(|&&(h, _)| h == hash)
        .find(|&&(_, [start, middle, _])| slice(start, middle) == Some(keyword))
        .and_then(|&(_, [_, middle, end])| slice(middle, end));
    match found {
        Some(normalized) => Cow::Borrowed(normalized),
        None => Cow::Owned(normalize(keyword).as_str().to_string()),
    }
}

/// Byte offsets where the lines of `text` start (the first is 0), for line numbers.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect()
}

fn read_scoring(
    sources: &[SourceFile],
    parsed: &[(usize, RuleFile)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Scoring {
    let mut scoring = Scoring::default();
    let mut seen = false;
    for (file_index, file) in parsed {
        let Some(table) = &file.scoring else { continue };
        if seen {
            diagnostics.push(sources[*file_index].diagnostic(
                "E015",
                table.span(),
                "a second [scoring] table: only one rule file may set scoring",
            ));
            continue;
        }
        seen = true;
        let raw = table.get_ref();
        scoring.intercept = raw.intercept.unwrap_or(scoring.intercept);
        scoring.flag_threshold = raw.flag_threshold.unwrap_or(scoring.flag_threshold);
        scoring.suspicious_threshold = raw
            .suspicious_threshold
            .unwrap_or(scoring.suspicious_threshold);
        let in_range = |t: f64| (0.0..=1.0).contains(&t);
        if !in_range(scoring.flag_threshold)
            || !in_range(scoring.suspicious_threshold)
            || scoring.suspicious_threshold > scoring.flag_threshold
            || !scoring.intercept.is_finite()
        {
            diagnostics.push(sources[*file_index].diagnostic(
                "E010",
                table.span(),
                "thresholds must satisfy 0 <= suspicious_threshold <= flag_threshold <= 1",
            ));
        }
    }
    scoring
}

#[allow(clippy::too_many_arguments)]
fn compile_rule(
    rule_index: usize,
    raw: &RawRule,
    source: &SourceFile,
    line: usize,
    index_of: &HashMap<String, usize>,
    keywords: &mut Vec<KeywordSpec>,
    regexes: &mut Vec<PendingRegex>,
    diagnostics: &mut Vec<Diagnostic>,
) -> CompiledRule {
    let id = raw.id.get_ref().clone();
    let helper = id.starts_with("__");
    let mut report = |code: &'static str, span: std::ops::Range<usize>, message: String| {
        diagnostics.push(source.diagnostic(code, span, message));
    };

    if !is_valid_id(&id) {
        report(
            "W103",
            raw.id.span(),
            format!("rule id `{id}` should be UPPER_SNAKE_CASE and at most 40 characters"),
        );
    }
    let description = match &raw.description {
        Some(d) if !d.get_ref().trim().is_empty() => d.get_ref().clone(),
        _ => {
            report(
                "E009",
                raw.id.span(),
                format!("rule `{id}` has no description"),
            );
            String::new()
        }
    };
    let category = match &raw.category {
        Some(c) => match POSITIVE_CATEGORIES
            .iter()
            .chain(NEGATIVE_CATEGORIES)
            .find(|known| **known == c.get_ref())
        {
            Some(known) => *known,
            None => {
                report(
                    "E010",
                    c.span(),
                    format!("unknown category `{}` (see rules/README.md)", c.get_ref()),
                );
                "combination"
            }
        },
        None if helper => "combination",
        None => {
            report(
                "E010",
                raw.id.span(),
                format!("rule `{id}` has no category"),
            );
            "combination"
        }
    };
    let weight = match (&raw.weight, helper) {
        (Some(w), true) if *w.get_ref() != 0.0 => {
            report(
                "E011",
                w.span(),
                format!("helper rule `{id}` must not have a weight"),
            );
            0.0
        }
        (Some(w), _) if !w.get_ref().is_finite() => {
            report(
                "E010",
                w.span(),
                "weight must be a finite number".to_string(),
            );
            0.0
        }
        (Some(w), _) => *w.get_ref(),
        (None, true) => 0.0,
        (None, false) => {
            report("E011", raw.id.span(), format!("rule `{id}` has no weight"));
            0.0
        }
    };
    if NEGATIVE_CATEGORIES.contains(&category) && weight > 0.0 {
        let span = raw.weight.as_ref().map_or(raw.id.span(), |w| w.span());
        report(
            "E007",
            span,
            format!("`{category}` rule `{id}` must have a negative weight, not {weight}"),
        );
    }

    let mut languages = u8::MAX;
    let mut first_language = None;
    if let Some(list) = &raw.languages {
        languages = 0;
        for tag in list {
            match Lang::ALL.iter().find(|l| l.code() == tag.get_ref()) {
                Some(lang) => {
                    languages |= lang.bit();
                    first_language.get_or_insert(*lang);
                }
                None => report(
                    "E010",
                    tag.span(),
                    format!(
                        "unknown language `{}` (use zh, th, vi, id, en, other)",
                        tag.get_ref()
                    ),
                ),
            }
        }
    }
    let mut fields = FIELD_TITLE | FIELD_TEXT;
    if let Some(list) = &raw.fields {
        fields = 0;
        for field in list {
            match field.get_ref().as_str() {
                "title" => fields |= FIELD_TITLE,
                "text" => fields |= FIELD_TEXT,
                other => report(
                    "E010",
                    field.span(),
                    format!("unknown field `{other}` (use title, text)"),
                ),
            }
        }
    }

    let word_boundary = raw.word_boundary.unwrap_or(true);
    let mut seen_keywords: std::collections::HashSet<Cow<'static, str>> = Default::default();
    for keyword in &raw.keywords {
        let normalized = normalize_keyword(keyword.get_ref());
        if normalized.is_empty() {
            report(
                "E013",
                keyword.span(),
                "keyword is empty after normalisation and can never match".to_string(),
            );
            continue;
        }
        if !seen_keywords.insert(normalized.clone()) {
            report(
                "W101",
                keyword.span(),
                format!(
                    "keyword `{}` repeats another keyword of this rule after normalisation",
                    keyword.get_ref()
                ),
            );
            continue;
        }
        keywords.push(KeywordSpec {
            rule: rule_index,
            normalized,
            word_boundary,
        });
    }
    for pattern in &raw.regex {
        let text = pattern.get_ref();
        if has_unicode_word_boundary(text) {
            report(
                "E012",
                pattern.span(),
                "regex uses a Unicode word boundary `\\b`: write `(?-u:\\b)` beside ASCII characters"
                    .to_string(),
            );
            continue;
        }
        if text.chars().any(|c| {
            crate::normalize::is_han(c) && fast2s::convert(&c.to_string()) != c.to_string()
        }) {
            report(
                "W104",
                pattern.span(),
                "regex contains Traditional Chinese characters, but text is matched in Simplified"
                    .to_string(),
            );
        }
        regexes.push(PendingRegex {
            rule: rule_index,
            file: 0,
            span: pattern.span(),
            pattern: text.clone(),
        });
    }

    let mut resolve = |list: &[toml::Spanned<String>]| -> Vec<usize> {
        list.iter()
            .filter_map(|name| match index_of.get(name.get_ref()) {
                Some(&index) => Some(index),
                None => {
                    report(
                        "E005",
                        name.span(),
                        format!("undefined rule `{}`", name.get_ref()),
                    );
                    None
                }
            })
            .collect()
    };
    let mut conditions = Conditions {
        all: resolve(&raw.all),
        any: resolve(&raw.any),
        at_least: None,
        not: resolve(&raw.not),
    };
    if let Some(at_least) = &raw.at_least {
        let of = resolve(&at_least.get_ref().of);
        let n = at_least.get_ref().n;
        if n == 0 || n > at_least.get_ref().of.len() {
            report(
                "E010",
                at_least.span(),
                format!(
                    "at_least.n must be between 1 and {} (the length of `of`)",
                    at_least.get_ref().of.len()
                ),
            );
        }
        conditions.at_least = Some((n, of));
    }
    let has_patterns = !raw.keywords.is_empty() || !raw.regex.is_empty();
    let mut entity = EntityConditions::default();
    for country in raw.phone_countries.iter().flatten() {
        let code = country.get_ref().trim().to_ascii_uppercase();
        if code.len() != 2 || !code.chars().all(|c| c.is_ascii_uppercase()) {
            report(
                "E010",
                country.span(),
                format!(
                    "`{}` is not an ISO 3166-1 alpha-2 country code",
                    country.get_ref()
                ),
            );
        }
        entity.phone_countries.push(code);
    }
    for kind in raw.place_kinds.iter().flatten() {
        if !matches!(kind.get_ref().as_str(), "hotspot" | "staging" | "country") {
            report(
                "E010",
                kind.span(),
                format!(
                    "unknown place kind `{}` (use hotspot, staging, country)",
                    kind.get_ref()
                ),
            );
        }
        entity.place_kinds.push(kind.get_ref().clone());
    }
    if let Some(ratio) = &raw.min_pay_ratio {
        if !(ratio.get_ref().is_finite() && *ratio.get_ref() > 0.0) {
            report(
                "E010",
                ratio.span(),
                "min_pay_ratio must be a positive number".to_string(),
            );
        }
        entity.min_pay_ratio = Some(*ratio.get_ref());
    }
    let entity = (entity != EntityConditions::default()).then_some(entity);
    let has_positive_condition =
        !raw.all.is_empty() || !raw.any.is_empty() || raw.at_least.is_some() || entity.is_some();
    if !has_patterns && !has_positive_condition {
        report(
            "E014",
            raw.id.span(),
            format!(
                "rule `{id}` has no keywords, regex, all, any, at_least or entity condition: it can never match"
            ),
        );
    }

    let examples = raw.examples.as_ref();
    let examples_match = examples.map(|e| e.matches.clone()).unwrap_or_default();
    let examples_no_match = examples.map(|e| e.no_match.clone()).unwrap_or_default();
    if examples_match.is_empty() || examples_no_match.is_empty() {
        report(
            "E008",
            raw.id.span(),
            format!("rule `{id}` needs at least one examples.match and one examples.no_match"),
        );
    }
    CompiledRule {
        id,
        description,
        category,
        weight,
        helper,
        languages,
        first_language,
        fields,
        has_patterns,
        conditions,
        entity,
        examples_match,
        examples_no_match,
        file: source.name.clone(),
        line,
        weight_span: raw.weight.as_ref().map(|w| w.span()),
        pinned: raw.pinned.unwrap_or(false),
    }
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_valid_id(id: &str) -> bool {
    let body = id.trim_start_matches("__");
    id.len() <= 40
        && body.starts_with(|c: char| c.is_ascii_uppercase())
        && body
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// True when the regex has a `\b` or `\B` that is not inside `(?-u:...)`.
fn has_unicode_word_boundary(pattern: &str) -> bool {
    let cleaned = pattern
        .replace("(?-u:\\b)", "")
        .replace("(?-u:\\B)", "")
        .replace("\\\\", "");
    cleaned.contains("\\b") || cleaned.contains("\\B")
}

/// Orders rules so that every rule follows the rules it references. `Err(i)`: rule `i` is
/// on a cycle.
fn topological_order(rules: &[CompiledRule]) -> Result<Vec<usize>, usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let mut marks = vec![Mark::New; rules.len()];
    let mut order = Vec::with_capacity(rules.len());
    for root in 0..rules.len() {
        if marks[root] != Mark::New {
            continue;
        }
        // Iterative DFS: (rule, next reference to visit).
        let mut stack: Vec<(usize, Vec<usize>)> =
            vec![(root, rules[root].conditions.references().collect())];
        marks[root] = Mark::Active;
        while let Some((node, pending)) = stack.last_mut() {
            match pending.pop() {
                Some(next) => match marks[next] {
                    Mark::Active => return Err(next),
                    Mark::Done => {}
                    Mark::New => {
                        marks[next] = Mark::Active;
                        let refs = rules[next].conditions.references().collect();
                        stack.push((next, refs));
                    }
                },
                None => {
                    marks[*node] = Mark::Done;
                    order.push(*node);
                    stack.pop();
                }
            }
        }
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_time_keyword_normalisation_equals_the_run_time_one() {
        assert!(
            NORMALIZED_KEYWORDS.len() > 5_000,
            "{}",
            NORMALIZED_KEYWORDS.len()
        );
        let text = |from: u32, to: u32| &NORMALIZED_KEYWORD_TEXT[from as usize..to as usize];
        let mut previous = 0;
        for &(hash, [start, middle, end]) in NORMALIZED_KEYWORDS {
            let (raw, normalized) = (text(start, middle), text(middle, end));
            assert!(previous <= hash, "sorted by hash");
            assert_eq!(hash, crate::automaton::fingerprint(&[raw.as_bytes()]));
            assert_eq!(normalize(raw).as_str(), normalized, "{raw:?}");
            assert!(matches!(normalize_keyword(raw), Cow::Borrowed(n) if n == normalized));
            previous = hash;
        }
        // A keyword the rules do not have is normalised at run time.
        assert_eq!(
            normalize_keyword("ＴＥＬＥＧＲＡＭ　ｇａｊｉ"),
            "telegram gaji"
        );
    }
}
