//! Campaigns: ads that share a contact (normalised, so one number written two ways is one
//! contact) or are near-duplicates of each other (MinHash over character 5-gram shingles of
//! the normalised text, banded LSH, estimated Jaccard similarity >= a threshold) are put in
//! one campaign with a union-find. Memory per ad is its id, a 32-value signature and its
//! contact keys: nothing grows with the text, and there is no quadratic pass.

use crate::normalize::normalize;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// MinHash values per ad.
const HASHES: usize = 32;
/// LSH bands (HASHES / BANDS rows each): pairs at Jaccard 0.5 share a band with
/// probability ~0.4, at 0.7 ~0.93, at 0.9 ~1.0.
const BANDS: usize = 8;
const ROWS: usize = HASHES / BANDS;
/// Shingle length in characters.
const SHINGLE: usize = 5;

/// One ad as the clusterer sees it.
#[derive(Debug, Clone, Default)]
pub struct ClusterInput {
    /// Ad id.
    pub id: String,
    /// Text for near-duplicate detection (empty: contacts only).
    pub text: String,
    /// Normalised contact keys (`telegram:@handle`, `phone:+855...`).
    pub contacts: Vec<String>,
    /// Place names.
    pub places: Vec<String>,
    /// Language code.
    pub lang: String,
    /// Score.
    pub score: f64,
}

/// A group of ads that share a contact or are near-duplicates.
#[derive(Debug, Clone, Serialize)]
pub struct Campaign {
    /// 1-based rank by size.
    pub campaign: usize,
    /// Number of ads.
    pub size: usize,
    /// Their ids, in input order.
    pub ads: Vec<String>,
    /// Contact keys seen in the campaign.
    pub contacts: Vec<String>,
    /// Places named.
    pub places: Vec<String>,
    /// Languages.
    pub languages: Vec<String>,
    /// Mean score of its ads.
    pub mean_score: f64,
}

/// Builds campaigns incrementally: [`Clusterer::add`] each ad, then [`Clusterer::finish`].
#[derive(Debug)]
pub struct Clusterer {
    threshold: f64,
    parent: Vec<u32>,
    ads: Vec<ClusterInput>,
    signatures: Vec<[u32; HASHES]>,
    by_contact: HashMap<String, u32>,
    by_band: Vec<HashMap<u64, u32>>,
}

impl Clusterer {
    /// A clusterer joining near-duplicates whose estimated Jaccard similarity is at least
    /// `threshold` (0.7 is a good default: reposts with small edits, not ads of one genre).
    pub fn new(threshold: f64) -> Clusterer {
        Clusterer {
            threshold,
            parent: Vec::new(),
            ads: Vec::new(),
            signatures: Vec::new(),
            by_contact: HashMap::new(),
            by_band: vec![HashMap::new(); BANDS],
        }
    }

    /// Adds one ad, joining it to earlier ads it shares a contact or band with.
    pub fn add(&mut self, mut ad: ClusterInput) {
        let index = self.parent.len() as u32;
        self.parent.push(index);
        for key in &ad.contacts {
            match self.by_contact.get(key) {
                Some(&other) => self.union(index, other),
                None => {
                    self.by_contact.insert(key.clone(), index);
                }
            }
        }
        let signature = minhash(&ad.text);
        if signature != [u32::MAX; HASHES] {
            for band in 0..BANDS {
                let key = band_key(&signature[band * ROWS..(band + 1) * ROWS]);
                match self.by_band[band].get(&key) {
                    Some(&other) => {
                        if similarity(&signature, &self.signatures[other as usize])
                            >= self.threshold
                        {
                            self.union(index, other);
                        }
                    }
                    None => {
                        self.by_band[band].insert(key, index);
                    }
                }
            }
        }
        ad.text = String::new();
        self.signatures.push(signature);
        self.ads.push(ad);
    }

    /// The campaigns of two or more ads, largest first.
    pub fn finish(mut self) -> Vec<Campaign> {
        let mut groups: HashMap<u32, Vec<usize>> = HashMap::new();
        for i in 0..self.parent.len() {
            let root = self.find(i as u32);
            groups.entry(root).or_default().push(i);
        }
        let mut campaigns: Vec<Campaign> = groups
            .into_values()
            .filter(|members| members.len() > 1)
            .map(|members| {
                let ads = &self.ads;
                let set = |f: &dyn Fn(&ClusterInput) -> Vec<String>| -> Vec<String> {
                    members
                        .iter()
                        .flat_map(|&i| f(&ads[i]))
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect()
                };
                Campaign {
                    campaign: 0,
                    size: members.len(),
                    ads: members.iter().map(|&i| ads[i].id.clone()).collect(),
                    contacts: set(&|a| a.contacts.clone()),
                    places: set(&|a| a.places.clone()),
                    languages: set(&|a| vec![a.lang.clone()]),
                    mean_score: (members.iter().map(|&i| ads[i].score).sum::<f64>()
                        / members.len() as f64
                        * 1e4)
                        .round()
                        / 1e4,
                }
            })
            .collect();
        campaigns.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.ads[0].cmp(&b.ads[0])));
        for (rank, campaign) in campaigns.iter_mut().enumerate() {
            campaign.campaign = rank + 1;
        }
        campaigns
    }

    fn find(&mut self, mut i: u32) -> u32 {
        while self.parent[i as usize] != i {
            let grand = self.parent[self.parent[i as usize] as usize];
            self.parent[i as usize] = grand;
            i = grand;
        }
        i
    }

    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[high as usize] = low;
        }
    }
}

/// MinHash of the normalised text's character shingles (white space removed), one 64-bit
/// hash per shingle mixed into `HASHES` values. All `u32::MAX` for text without shingles.
fn minhash(text: &str) -> [u32; HASHES] {
    let normalized = normalize(text);
    let chars: Vec<char> = normalized
        .as_str()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut signature = [u32::MAX; HASHES];
    if chars.len() < SHINGLE {
        return signature;
    }
    let mut buffer = String::new();
    for window in chars.windows(SHINGLE) {
        buffer.clear();
        buffer.extend(window);
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in buffer.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for (k, slot) in signature.iter_mut().enumerate() {
            // A different odd multiplier and xor per slot: independent-enough permutations.
            let mixed = (h ^ (0x9e37_79b9_7f4a_7c15u64.wrapping_mul(k as u64 + 1)))
                .wrapping_mul(0xbf58_476d_1ce4_e5b9 | 1);
            let value = (mixed >> 32) as u32;
            if value < *slot {
                *slot = value;
            }
        }
    }
    signature
}

fn band_key(rows: &[u32]) -> u64 {
    rows.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &r| {
        (h ^ u64::from(r)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn similarity(a: &[u32; HASHES], b: &[u32; HASHES]) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / HASHES as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ad(id: &str, text: &str, contacts: &[&str]) -> ClusterInput {
        ClusterInput {
            id: id.into(),
            text: text.into(),
            contacts: contacts.iter().map(|c| c.to_string()).collect(),
            lang: "en".into(),
            score: 0.9,
            ..ClusterInput::default()
        }
    }

    #[test]
    fn shared_contacts_and_reposts_form_campaigns() {
        let base = "Hiring customer service staff for our office in Sihanoukville, salary 1500 USD per month, free flight, visa and dormitory, no experience needed, apply now";
        let mut c = Clusterer::new(0.7);
        c.add(ad(
            "a",
            "Typist wanted, Telegram @hr_kh_001",
            &["telegram:@hr_kh_001"],
        ));
        c.add(ad(
            "b",
            "Completely different words here",
            &["telegram:@hr_kh_001"],
        ));
        c.add(ad("c", base, &[]));
        c.add(ad(
            "d",
            &base
                .replace("1500", "1600")
                .replace("apply now", "apply today"),
            &[],
        ));
        c.add(ad(
            "e",
            "Bakery in Chiang Mai needs a baker with five years of experience",
            &[],
        ));
        c.add(ad(
            "f",
            "Accounting firm in Jakarta hiring a senior auditor with a licence",
            &[],
        ));
        let campaigns = c.finish();
        let groups: Vec<Vec<&str>> = campaigns
            .iter()
            .map(|c| c.ads.iter().map(String::as_str).collect())
            .collect();
        assert_eq!(groups, vec![vec!["a", "b"], vec!["c", "d"]]);
        assert_eq!(campaigns[0].contacts, vec!["telegram:@hr_kh_001"]);
        assert_eq!(campaigns[0].campaign, 1);
    }

    #[test]
    fn similar_genre_is_not_a_campaign() {
        let mut c = Clusterer::new(0.7);
        c.add(ad("a", "Customer service job in Cambodia, high salary, free flight, contact us on Telegram for details today", &[]));
        c.add(ad("b", "Data entry work in Myanmar with good pay and free housing, message our WhatsApp to apply this week", &[]));
        assert!(c.finish().is_empty());
    }
}
