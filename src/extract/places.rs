//! Places: hotspot towns, staging points and destination countries, from a TOML
//! gazetteer, matched on normalised text in one Aho-Corasick pass.

use crate::ad::Field;
use crate::matcher::is_latin_alnum;
use crate::normalize::{Normalized, normalize};
use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};

/// A place named in an ad.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// Canonical English name (`Sihanoukville`, `Cambodia`).
    pub name: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// `hotspot`, `staging` or `country`.
    pub kind: String,
    /// The field it is in.
    pub field: Field,
    /// Byte range in the original field text.
    pub span: [usize; 2],
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GazetteerFile {
    place: Vec<RawPlace>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlace {
    name: String,
    country: String,
    kind: String,
    variants: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct Gazetteer {
    automaton: Option<AhoCorasick>,
    /// Per pattern: index of its place, and whether its edges are Latin (word-checked).
    patterns: Vec<(usize, bool, bool)>,
    places: Vec<RawPlace>,
}

impl Gazetteer {
    pub fn new(toml_text: &str) -> Result<Gazetteer, String> {
        let file: GazetteerFile =
            toml::from_str(toml_text).map_err(|e| format!("places gazetteer: {e}"))?;
        let mut texts = Vec::new();
        let mut patterns = Vec::new();
        for (index, place) in file.place.iter().enumerate() {
            for variant in &place.variants {
                let normalized = normalize(variant).as_str().to_string();
                if normalized.is_empty() || texts.contains(&normalized) {
                    continue;
                }
                let left = normalized.chars().next().is_some_and(is_latin_alnum);
                let right = normalized.chars().next_back().is_some_and(is_latin_alnum);
                patterns.push((index, left, right));
                texts.push(normalized);
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&texts)
            .map_err(|e| format!("places gazetteer: {e}"))?;
        Ok(Gazetteer {
            automaton: Some(automaton),
            patterns,
            places: file.place,
        })
    }

    pub fn find(&self, field: Field, normalized: &Normalized, out: &mut Vec<Place>) {
        let Some(automaton) = &self.automaton else {
            return;
        };
        let text = normalized.as_str();
        for m in automaton.find_iter(text) {
            let (index, left, right) = self.patterns[m.pattern().as_usize()];
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            if (left && before.is_some_and(char::is_alphanumeric))
                || (right && after.is_some_and(char::is_alphanumeric))
            {
                continue;
            }
            let place = &self.places[index];
            if out.iter().any(|p| p.name == place.name) {
                continue;
            }
            let (start, end) = normalized.original_range(m.start(), m.end());
            out.push(Place {
                name: place.name.clone(),
                country: place.country.clone(),
                kind: place.kind.clone(),
                field,
                span: [start, end],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_in_every_language_and_script() {
        let gazetteer = Gazetteer::new(crate::extract::EMBEDDED_PLACES).unwrap();
        let cases: &[(&str, &[&str])] = &[
            (
                "西港高薪招聘，缅北妙瓦底也有岗位",
                &["Sihanoukville", "Myanmar", "Myawaddy"],
            ),
            (
                "施亞努市招聘客服，柬埔寨包吃住",
                &["Sihanoukville", "Cambodia"],
            ),
            ("ทำงานที่ ปอยเปต และ เมียวดี", &["Poipet", "Myawaddy"]),
            (
                "Việc làm tại Phnôm Pênh, Campuchia",
                &["Phnom Penh", "Cambodia"],
            ),
            (
                "viec lam o phnom penh campuchia",
                &["Phnom Penh", "Cambodia"],
            ),
            (
                "Loker ke Kamboja, penempatan Sihanoukville",
                &["Cambodia", "Sihanoukville"],
            ),
            (
                "Customer service in S i h a n o u k v i l l e and the Golden Triangle SEZ",
                &["Sihanoukville", "Golden Triangle SEZ"],
            ),
            ("Bavetsky is not a place, Laosian neither", &[]),
        ];
        for (text, expected) in cases {
            let normalized = normalize(text);
            let mut found = Vec::new();
            gazetteer.find(Field::Text, &normalized, &mut found);
            let names: Vec<&str> = found.iter().map(|p| p.name.as_str()).collect();
            assert_eq!(&names, expected, "{text}");
            for place in &found {
                assert!(
                    text.is_char_boundary(place.span[0]) && text.is_char_boundary(place.span[1])
                );
            }
        }
    }
}
