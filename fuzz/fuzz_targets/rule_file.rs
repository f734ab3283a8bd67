//! Any bytes as a rule file: compiling must return rules or diagnostics, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = lure::Detector::builder().use_model(false).rules_text("fuzz.toml", text).build();
    }
});
