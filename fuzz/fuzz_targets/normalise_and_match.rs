//! Any text through normalisation and the whole embedded rule set: spans must fall on
//! character boundaries of the original text and cover the reported `text`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static DETECTOR: OnceLock<lure::Detector> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let normalized = lure::normalize_text(text);
    assert_eq!(lure::normalize_text(&normalized), normalized, "normalisation is idempotent");
    let detector = DETECTOR.get_or_init(|| lure::Detector::new().expect("embedded rules"));
    let result = detector.score(&lure::Ad::new(text));
    for hit in &result.hits {
        for span in &hit.spans {
            assert!(span[0] < span[1] && span[1] <= text.len());
            assert!(text.is_char_boundary(span[0]) && text.is_char_boundary(span[1]));
        }
        if let (Some(first), Some(matched)) = (hit.spans.first(), &hit.text) {
            assert_eq!(&text[first[0]..first[1]], matched);
        }
    }
    assert!((0.0..=1.0).contains(&result.score));
});
