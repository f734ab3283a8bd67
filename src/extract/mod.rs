//! Entities in every result: contacts (messenger handles and links, phone numbers, e-mail,
//! URLs) and places (hotspots and destination countries from the gazetteer in
//! `rules/data/places.toml`). Extraction runs on the normalised text, so evasions
//! (full-width, look-alike letters, circled digits, spaced letters) are already undone;
//! spans point into the original field.

mod contacts;
mod places;
mod salary;

pub use contacts::{Contact, ContactKind};
pub use places::Place;
pub use salary::Salary;

use crate::ad::Field;
use crate::lang::Lang;
use crate::normalize::Normalized;
use serde::{Deserialize, Serialize};

/// What an ad says about who recruits and where to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Entities {
    /// Contacts, in order of first appearance, one per kind and value.
    pub contacts: Vec<Contact>,
    /// Salaries, in order of appearance.
    pub salaries: Vec<Salary>,
    /// Places, in order of first appearance, one per name.
    pub places: Vec<Place>,
}

/// The compiled extractors, built once per detector.
#[derive(Debug)]
pub(crate) struct Extractor {
    contacts: contacts::ContactFinder,
    salaries: salary::SalaryFinder,
    places: places::Gazetteer,
}

/// The embedded gazetteer.
pub(crate) const EMBEDDED_PLACES: &str = include_str!("../../rules/data/places.toml");
/// The embedded exchange-rate table.
pub(crate) const EMBEDDED_RATES: &str = include_str!("../../rules/data/rates.toml");

impl Extractor {
    /// Builds the extractors from the gazetteer and rate-table TOML texts.
    pub fn new(places_toml: &str, rates_toml: &str) -> Result<Extractor, String> {
        Ok(Extractor {
            contacts: contacts::ContactFinder::new(),
            salaries: salary::SalaryFinder::new(rates_toml)?,
            places: places::Gazetteer::new(places_toml)?,
        })
    }

    /// The entry-level monthly pay in USD for applicants writing in `lang` (the
    /// `[entry_level_usd_month]` table of `rules/data/rates.toml`).
    pub fn pay_norm_usd(&self, lang: Lang) -> Option<f64> {
        self.salaries.norm(lang)
    }

    /// Entities of an ad's fields.
    pub fn extract(&self, fields: &[(Field, &str, &Normalized)], lang: Lang) -> Entities {
        let mut entities = Entities::default();
        for &(field, original, normalized) in fields {
            self.contacts
                .find(field, original, normalized, lang, &mut entities.contacts);
            self.salaries
                .find(field, normalized, lang, &mut entities.salaries);
            self.places.find(field, normalized, &mut entities.places);
        }
        entities
    }
}
