//! A self-contained HTML report of a scan for researchers: the score distribution, verdicts
//! by language, the most frequent rules, the top contacts and places, the largest
//! campaigns, and the highest-scoring ads with their hits highlighted. No scripts, no
//! network: inline CSS and SVG only, so it opens offline.

use crate::ad::{Assessment, Field, Verdict};
use crate::cluster::Campaign;
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::fmt::Write;

/// How many top ads the report shows with their text.
const TOP_ADS: usize = 50;

/// Collects what the report needs, one assessment at a time (memory bounded by the
/// number of distinct rules, contacts and places, plus the top ads).
#[derive(Debug, Default)]
pub struct ReportBuilder {
    ads: usize,
    histogram: [usize; 20],
    by_lang: BTreeMap<String, [usize; 3]>,
    rules: HashMap<String, usize>,
    contacts: HashMap<String, usize>,
    places: HashMap<String, usize>,
    top: BinaryHeap<std::cmp::Reverse<TopAd>>,
}

#[derive(Debug, PartialEq)]
struct TopAd {
    score: f64,
    order: usize,
    assessment: Assessment,
    title: Option<String>,
    text: Option<String>,
}

impl Eq for TopAd {}
impl PartialOrd for TopAd {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for TopAd {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Higher score first; on ties the earlier ad.
        self.score
            .total_cmp(&other.score)
            .then(other.order.cmp(&self.order))
    }
}

impl ReportBuilder {
    /// Adds one result, with the ad's original title and text when known (for highlighting).
    pub fn add(&mut self, assessment: Assessment, title: Option<String>, text: Option<String>) {
        let bucket = ((assessment.score * 20.0) as usize).min(19);
        self.histogram[bucket] += 1;
        let verdict = match assessment.verdict {
            Verdict::Scam => 0,
            Verdict::Suspicious => 1,
            Verdict::Clean => 2,
        };
        self.by_lang
            .entry(assessment.lang.code().to_string())
            .or_default()[verdict] += 1;
        if assessment.verdict != Verdict::Clean {
            let mut seen: Vec<&str> = Vec::new();
            for hit in &assessment.hits {
                if hit.weight > 0.0 && !seen.contains(&hit.rule.as_str()) {
                    seen.push(&hit.rule);
                    *self.rules.entry(hit.rule.clone()).or_default() += 1;
                }
            }
            for contact in &assessment.entities.contacts {
                let key = format!("{}:{}", contact.kind.as_str(), contact.value);
                *self.contacts.entry(key).or_default() += 1;
            }
            for place in &assessment.entities.places {
                *self.places.entry(place.name.clone()).or_default() += 1;
            }
        }
        self.top.push(std::cmp::Reverse(TopAd {
            score: assessment.score,
            order: self.ads,
            assessment,
            title,
            text,
        }));
        if self.top.len() > TOP_ADS {
            self.top.pop();
        }
        self.ads += 1;
    }

    /// Renders the report.
    pub fn finish(self, campaigns: &[Campaign]) -> String {
        let mut html = String::with_capacity(64 * 1024);
        let flagged: usize = self.by_lang.values().map(|v| v[0]).sum();
        let suspicious: usize = self.by_lang.values().map(|v| v[1]).sum();
        let _ = write!(
            html,
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>lure report</title><style>{CSS}</style></head><body>\
             <h1>lure report</h1><p class=\"lead\">{} ads: <b>{flagged}</b> scam, <b>{suspicious}</b> suspicious, {} clean.</p>",
            self.ads,
            self.ads - flagged - suspicious
        );
        html.push_str("<h2>Score distribution</h2>");
        html.push_str(&histogram_svg(&self.histogram));
        html.push_str("<h2>Verdicts by language</h2><table><tr><th>language</th><th>scam</th><th>suspicious</th><th>clean</th><th></th></tr>");
        let widest = self
            .by_lang
            .values()
            .map(|v| v.iter().sum::<usize>())
            .max()
            .unwrap_or(1)
            .max(1);
        for (lang, v) in &self.by_lang {
            let total: usize = v.iter().sum();
            let _ = write!(
                html,
                "<tr><td>{lang}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                v[0],
                v[1],
                v[2],
                stacked_bar(v, widest)
            );
            let _ = total;
        }
        html.push_str("</table>");
        section_counts(
            &mut html,
            "Most frequent rules (scam and suspicious ads)",
            "rule",
            &self.rules,
            20,
        );
        section_counts(&mut html, "Top contacts", "contact", &self.contacts, 20);
        section_counts(&mut html, "Top places", "place", &self.places, 20);
        html.push_str("<h2>Largest campaigns</h2>");
        if campaigns.is_empty() {
            html.push_str("<p>No two ads share a contact or near-duplicate text.</p>");
        } else {
            html.push_str("<table><tr><th>#</th><th>ads</th><th>mean score</th><th>contacts</th><th>places</th><th>languages</th><th>first ads</th></tr>");
            for c in campaigns.iter().take(20) {
                let _ = write!(
                    html,
                    "<tr><td>{}</td><td>{}</td><td>{:.3}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    c.campaign,
                    c.size,
                    c.mean_score,
                    escape(&c.contacts.join(", ")),
                    escape(&c.places.join(", ")),
                    escape(&c.languages.join(", ")),
                    escape(&c.ads.iter().take(5).cloned().collect::<Vec<_>>().join(", "))
                );
            }
            html.push_str("</table>");
        }
        html.push_str("<h2>Highest-scoring ads</h2>");
        let mut top: Vec<TopAd> = self.top.into_iter().map(|r| r.0).collect();
        top.sort_by(|a, b| b.cmp(a));
        for ad in top {
            let a = &ad.assessment;
            let rules: Vec<String> = a
                .hits
                .iter()
                .map(|h| format!("{} ({:+.1})", h.rule, h.weight))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let _ = write!(
                html,
                "<div class=\"ad {}\"><div class=\"meta\"><b>{}</b> · {} · score {:.3} · {}</div>",
                a.verdict.as_str(),
                escape(&a.id),
                a.verdict.as_str(),
                a.score,
                a.lang.code()
            );
            if let Some(title) = &ad.title {
                let _ = write!(
                    html,
                    "<div class=\"title\">{}</div>",
                    highlight(title, a, Field::Title)
                );
            }
            match &ad.text {
                Some(text) => {
                    let _ = write!(
                        html,
                        "<div class=\"text\">{}</div>",
                        highlight(text, a, Field::Text)
                    );
                }
                None => {
                    let matched: Vec<String> =
                        a.hits.iter().filter_map(|h| h.text.clone()).collect();
                    let _ = write!(
                        html,
                        "<div class=\"text\">matched: {}</div>",
                        escape(&matched.join(" · "))
                    );
                }
            }
            let _ = write!(
                html,
                "<div class=\"rules\">{}</div></div>",
                escape(&rules.join(", "))
            );
        }
        html.push_str("<footer>Generated by lure. Positive-weight matches are marked in red, legitimacy and warning matches in green.</footer></body></html>\n");
        html
    }
}

const CSS: &str = "body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}\
h1{margin-bottom:0}.lead{font-size:16px}h2{margin-top:2em;border-bottom:1px solid #ddd}\
table{border-collapse:collapse}td,th{padding:3px 10px;text-align:left;border-bottom:1px solid #eee;vertical-align:top}\
.ad{border:1px solid #ddd;border-left:5px solid #999;margin:10px 0;padding:8px}.ad.scam{border-left-color:#c0392b}\
.ad.suspicious{border-left-color:#e67e22}.meta{color:#555}.title{font-weight:600}.text{white-space:pre-wrap}\
.rules{color:#666;font-size:12px;margin-top:4px}mark.pos{background:#f5b7b1}mark.neg{background:#abebc6}footer{margin:3em 0;color:#888}";

fn histogram_svg(histogram: &[usize; 20]) -> String {
    let max = histogram.iter().copied().max().unwrap_or(1).max(1) as f64;
    let mut svg = String::from(
        "<svg width=\"640\" height=\"180\" viewBox=\"0 0 640 180\" role=\"img\" aria-label=\"score histogram\">",
    );
    for (i, &count) in histogram.iter().enumerate() {
        let height = (count as f64 / max * 140.0).round();
        let color = if i >= 10 {
            "#c0392b"
        } else if i >= 4 {
            "#e67e22"
        } else {
            "#7f8c8d"
        };
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"28\" height=\"{height}\" fill=\"{color}\"><title>{:.2}–{:.2}: {count}</title></rect>",
            20 + i * 30,
            150.0 - height,
            i as f64 / 20.0,
            (i + 1) as f64 / 20.0
        );
    }
    svg.push_str("<text x=\"20\" y=\"170\" font-size=\"11\">0</text><text x=\"315\" y=\"170\" font-size=\"11\">0.5</text><text x=\"610\" y=\"170\" font-size=\"11\">1</text></svg>");
    svg
}

fn stacked_bar(v: &[usize; 3], widest: usize) -> String {
    let scale = 240.0 / widest as f64;
    let widths: Vec<f64> = v.iter().map(|&n| (n as f64 * scale).round()).collect();
    format!(
        "<svg width=\"240\" height=\"12\"><rect width=\"{}\" height=\"12\" fill=\"#c0392b\"/><rect x=\"{}\" width=\"{}\" height=\"12\" fill=\"#e67e22\"/><rect x=\"{}\" width=\"{}\" height=\"12\" fill=\"#bdc3c7\"/></svg>",
        widths[0],
        widths[0],
        widths[1],
        widths[0] + widths[1],
        widths[2]
    )
}

fn section_counts(
    html: &mut String,
    title: &str,
    what: &str,
    counts: &HashMap<String, usize>,
    n: usize,
) {
    let mut rows: Vec<(&String, &usize)> = counts.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let _ = write!(html, "<h2>{title}</h2>");
    if rows.is_empty() {
        html.push_str("<p>None.</p>");
        return;
    }
    let _ = write!(html, "<table><tr><th>{what}</th><th>ads</th></tr>");
    for (name, count) in rows.into_iter().take(n) {
        let _ = write!(html, "<tr><td>{}</td><td>{count}</td></tr>", escape(name));
    }
    html.push_str("</table>");
}

/// The field's text with hit spans marked (`<mark class="pos|neg">`), HTML-escaped.
fn highlight(text: &str, a: &Assessment, field: Field) -> String {
    let marks = a.highlight_ranges(field, text);
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for (start, end, positive) in marks {
        out.push_str(&escape(&text[at..start]));
        let _ = write!(
            out,
            "<mark class=\"{}\">{}</mark>",
            if positive { "pos" } else { "neg" },
            escape(&text[start..end])
        );
        at = end;
    }
    out.push_str(&escape(&text[at..]));
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
