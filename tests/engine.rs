//! The rule engine through the public API, on a small fixture rule set: keywords, regexes,
//! combinations, languages, fields, spans into the original text, and scoring.

use lure::{Ad, Detector, Field, Lang, Verdict};

const FIXTURE: &str = r#"
[scoring]
intercept = -3.0
flag_threshold = 0.5
suspicious_threshold = 0.2

[[rule]]
id = "__PLACE"
description = "hotspot"
keywords = ["西港", "sihanoukville", "สีหนุวิลล์", "campuchia", "kamboja"]
examples.match = ["西港"]
examples.no_match = ["北京"]

[[rule]]
id = "__PAY"
description = "pay"
regex = ['(?-u:\b)\d{4,} ?usd', '月薪 ?\d+万']
examples.match = ["2000 usd"]
examples.no_match = ["20 usd"]

[[rule]]
id = "EASY_JOB"
description = "typing job"
category = "easy_job"
weight = 0.5
keywords = ["打字员", "typist", "nhân viên đánh máy"]
examples.match = ["typist"]
examples.no_match = ["typists"]

[[rule]]
id = "TELEGRAM"
description = "telegram contact"
category = "messenger"
weight = 0.8
keywords = ["telegram", "纸飞机"]
examples.match = ["telegram"]
examples.no_match = ["tele gram"]

[[rule]]
id = "HOTSPOT_JOB"
description = "hotspot and pay and easy job"
category = "combination"
weight = 2.5
all = ["__PLACE", "EASY_JOB"]
any = ["__PAY", "TELEGRAM"]
not = ["WARNING"]
examples.match = ["西港 打字员 月薪2万"]
examples.no_match = ["警方提醒 西港 打字员 月薪2万"]

[[rule]]
id = "THREE_SIGNALS"
description = "three weak signals"
category = "combination"
weight = 0.4
at_least = { n = 3, of = ["__PLACE", "__PAY", "EASY_JOB", "TELEGRAM"] }
examples.match = ["sihanoukville typist telegram"]
examples.no_match = ["sihanoukville typist"]

[[rule]]
id = "TITLE_ONLY"
description = "urgent in the title"
category = "urgency"
weight = 0.3
fields = ["title"]
keywords = ["urgent"]
examples.match = ["urgent"]
examples.no_match = ["calm"]

[[rule]]
id = "ZH_ONLY"
description = "Chinese-only keyword"
category = "pay"
weight = 0.6
languages = ["zh"]
keywords = ["高薪"]
examples.match = ["高薪"]
examples.no_match = ["低薪"]

[[rule]]
id = "WARNING"
description = "a warning about scams"
category = "warning"
weight = -4.0
keywords = ["警方提醒", "waspada", "beware of"]
examples.match = ["警方提醒"]
examples.no_match = ["提醒"]
"#;

fn detector() -> Detector {
    Detector::builder()
        .use_model(false)
        .rules_text("fixture.toml", FIXTURE)
        .build()
        .expect("fixture rules compile")
}

fn rules_of(result: &lure::Assessment) -> Vec<&str> {
    let mut rules: Vec<&str> = result.hits.iter().map(|h| h.rule.as_str()).collect();
    rules.sort();
    rules.dedup();
    rules
}

struct Case {
    what: &'static str,
    ad: Ad,
    rules: &'static [&'static str],
    verdict: Verdict,
}

#[test]
fn rule_engine_cases() {
    let detector = detector();
    let cases = [
        Case {
            what: "Chinese combination with regex pay",
            ad: Ad::new("西港招聘打字员，月薪2万"),
            rules: &["EASY_JOB", "HOTSPOT_JOB", "THREE_SIGNALS"],
            verdict: Verdict::Scam,
        },
        Case {
            what: "Traditional, spaced and full-width evasions",
            ad: Ad::new("西 港 招聘打字員，聯繫紙飛機 ＠ｊｏｂ"),
            rules: &["EASY_JOB", "HOTSPOT_JOB", "TELEGRAM", "THREE_SIGNALS"],
            verdict: Verdict::Scam,
        },
        Case {
            what: "warning suppresses the combination",
            ad: Ad::new("警方提醒：西港招聘打字员，月薪2万，是诈骗"),
            rules: &["EASY_JOB", "THREE_SIGNALS", "WARNING"],
            verdict: Verdict::Clean,
        },
        Case {
            what: "English with homoglyphs and at_least",
            ad: Ad::new("Typist wanted in Sihanoukville, 2000 USD, Теlеgrаm @hr"),
            rules: &["EASY_JOB", "HOTSPOT_JOB", "TELEGRAM", "THREE_SIGNALS"],
            verdict: Verdict::Scam,
        },
        Case {
            what: "word boundary: typists is not typist",
            ad: Ad::new("Typists wanted in Sihanoukville"),
            rules: &[],
            verdict: Verdict::Clean,
        },
        Case {
            what: "Vietnamese keyword with diacritics",
            ad: Ad::new("Tuyển nhân viên đánh máy sang Campuchia, liên hệ telegram"),
            rules: &["EASY_JOB", "HOTSPOT_JOB", "TELEGRAM", "THREE_SIGNALS"],
            verdict: Verdict::Scam,
        },
        Case {
            what: "language-gated rule does not fire in Thai",
            ad: Ad::new("งานออนไลน์ 高薪 สีหนุวิลล์ รายได้ดีมาก ทำงานง่าย"),
            rules: &[],
            verdict: Verdict::Clean,
        },
        Case {
            what: "language-gated rule fires in Chinese",
            ad: Ad::new("高薪招聘"),
            rules: &["ZH_ONLY"],
            verdict: Verdict::Clean,
        },
        Case {
            what: "title-only rule ignores the body",
            ad: Ad::new("urgent urgent").with_title("Hiring"),
            rules: &[],
            verdict: Verdict::Clean,
        },
        Case {
            what: "title-only rule reads the title",
            ad: Ad::new("We are hiring").with_title("URGENT"),
            rules: &["TITLE_ONLY"],
            verdict: Verdict::Clean,
        },
        Case {
            what: "Indonesian warning",
            ad: Ad::new("Waspada lowongan kerja ke Kamboja sebagai typist").with_lang("id"),
            rules: &["EASY_JOB", "WARNING"],
            verdict: Verdict::Clean,
        },
    ];
    for case in cases {
        let result = detector.score(&case.ad);
        assert_eq!(
            rules_of(&result),
            case.rules,
            "{}: {:?}",
            case.what,
            result.hits
        );
        assert_eq!(
            result.verdict, case.verdict,
            "{}: score {}",
            case.what, result.score
        );
        assert_eq!(
            result.flagged,
            case.verdict == Verdict::Scam,
            "{}",
            case.what
        );
    }
}

#[test]
fn spans_point_into_the_original_text() {
    let detector = detector();
    let text = "ＴＥＬＥＧＲＡＭ: ask for 西 港 typist, or T e l e g r a m";
    let result = detector.score(&Ad::new(text));
    let telegram = result
        .hits
        .iter()
        .find(|h| h.rule == "TELEGRAM")
        .expect("telegram hit");
    assert_eq!(telegram.field, Some(Field::Text));
    let matched: Vec<&str> = telegram.spans.iter().map(|s| &text[s[0]..s[1]]).collect();
    assert_eq!(matched, ["ＴＥＬＥＧＲＡＭ", "T e l e g r a m"]);
    assert_eq!(telegram.text.as_deref(), Some("ＴＥＬＥＧＲＡＭ"));
    for hit in &result.hits {
        for span in &hit.spans {
            assert!(text.is_char_boundary(span[0]) && text.is_char_boundary(span[1]));
        }
    }
}

#[test]
fn combination_hits_point_at_their_ingredients_and_weights_count_once() {
    let detector = detector();
    let text = "typist in sihanoukville, telegram";
    let result = detector.score(&Ad::new(text).with_title("Telegram typist"));
    let combination = result
        .hits
        .iter()
        .find(|h| h.rule == "HOTSPOT_JOB" && h.field == Some(Field::Text))
        .expect("combination");
    let evidence: Vec<&str> = combination
        .spans
        .iter()
        .map(|s| &text[s[0]..s[1]])
        .collect();
    assert_eq!(evidence, ["typist", "sihanoukville", "telegram"]);
    // A combination whose ingredients have no text (none here) would have field null.
    assert!(result.hits.iter().all(|h| h.field.is_some()));
    // TELEGRAM matched in both fields: two hits, one weight.
    assert_eq!(
        result.hits.iter().filter(|h| h.rule == "TELEGRAM").count(),
        2
    );
    let expected = 1.0 / (1.0 + f64::exp(-(-3.0 + 0.5 + 0.8 + 2.5 + 0.4)));
    assert!(
        (result.score - expected).abs() < 1e-4,
        "{} vs {expected}",
        result.score
    );
}

#[test]
fn language_from_the_record_is_honoured() {
    let detector = detector();
    assert_eq!(
        detector.score(&Ad::new("hello").with_lang("zh-TW")).lang,
        Lang::Zh
    );
    assert_eq!(detector.score(&Ad::new("高薪")).lang, Lang::Zh);
}

#[test]
fn thresholds_can_be_overridden() {
    let strict = Detector::builder()
        .use_model(false)
        .rules_text("f.toml", FIXTURE)
        .flag_threshold(0.99)
        .build()
        .unwrap();
    let result = strict.score(&Ad::new("西 港 招聘打字員，聯繫紙飛機"));
    assert!(!result.flagged);
    assert!(
        Detector::builder()
            .use_model(false)
            .rules_text("f.toml", FIXTURE)
            .flag_threshold(1.5)
            .build()
            .is_err()
    );
}

#[test]
fn long_fields_are_truncated_and_marked() {
    let detector = Detector::builder()
        .use_model(false)
        .rules_text("f.toml", FIXTURE)
        .max_field_bytes(10)
        .build()
        .unwrap();
    let result = detector.score(&Ad::new("typist ".repeat(10) + "telegram"));
    assert!(result.truncated);
    assert!(!result.hits.iter().any(|h| h.rule == "TELEGRAM"));
    let not_cut = detector.score(&Ad::new("telegram"));
    assert!(!not_cut.truncated);
}

#[test]
fn fixture_examples_pass() {
    let report = detector().check_examples();
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    assert_eq!(report.total, 18);
}

#[test]
fn batch_equals_one_by_one() {
    let detector = detector();
    let ads: Vec<Ad> = (0..200)
        .map(|i| {
            Ad::new(format!(
                "ad {i}: typist in 西港 telegram {}",
                "x".repeat(i % 7)
            ))
            .with_id(i.to_string())
        })
        .collect();
    let batch = detector.score_batch(&ads);
    for (ad, result) in ads.iter().zip(&batch) {
        assert_eq!(&detector.score(ad), result);
    }
}

#[test]
fn public_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Detector>();
    assert_send_sync::<lure::RuleSet>();
    assert_send_sync::<Ad>();
    assert_send_sync::<lure::Assessment>();
    assert_send_sync::<lure::Error>();
    assert_send_sync::<lure::input::RecordError>();
    fn assert_send<T: Send>() {}
    assert_send::<lure::Scanner<'static>>();
}

#[test]
fn time_budget_skips_regexes_and_marks_the_result() {
    let rushed = Detector::builder()
        .use_model(false)
        .rules_text("f.toml", FIXTURE)
        .time_budget(std::time::Duration::ZERO)
        .build()
        .unwrap();
    let ad = Ad::new("西港 打字员 月薪2万");
    let result = rushed.score(&ad);
    assert!(result.timed_out);
    assert!(
        result.hits.iter().any(|h| h.rule == "EASY_JOB"),
        "keywords still run"
    );
    assert!(
        !result.hits.iter().any(|h| h.rule == "HOTSPOT_JOB"),
        "the regex for pay was skipped"
    );
    let relaxed = Detector::builder()
        .use_model(false)
        .rules_text("f.toml", FIXTURE)
        .time_budget(std::time::Duration::from_secs(60))
        .build()
        .unwrap();
    let result = relaxed.score(&ad);
    assert!(!result.timed_out);
    assert!(result.hits.iter().any(|h| h.rule == "HOTSPOT_JOB"));
    assert!(
        !serde_json::to_string(&result)
            .unwrap()
            .contains("timed_out")
    );
}

#[test]
fn rules_can_test_extracted_entities() {
    let rules = r#"
[[rule]]
id = "KH_PHONE"
description = "a Cambodian, Myanmar or Lao number"
category = "messenger"
weight = 1.0
phone_countries = ["KH", "MM", "LA"]
examples.match = ["call +855 12 000 111"]
examples.no_match = ["call +66 81 000 1234"]

[[rule]]
id = "HOTSPOT_NAMED"
description = "a hotspot town"
category = "destination"
weight = 1.0
place_kinds = ["hotspot"]
examples.match = ["work in Poipet"]
examples.no_match = ["work in Cambodia"]

[[rule]]
id = "PAY_3X"
description = "pay at least 3x the entry-level norm"
category = "pay"
weight = 1.0
min_pay_ratio = 3.0
examples.match = ["lương 1000 USD"]
examples.no_match = ["lương 8 triệu"]
"#;
    let detector = Detector::builder()
        .use_model(false)
        .rules_text("e.toml", rules)
        .build()
        .unwrap();
    assert!(
        detector.check_examples().failures.is_empty(),
        "{:#?}",
        detector.check_examples().failures
    );
    let cases = [
        (
            Ad::new("Việc làm Poipet, lương 1000 USD, gọi +855 12 000 111").with_lang("vi"),
            vec!["HOTSPOT_NAMED", "KH_PHONE", "PAY_3X"],
        ),
        // 金边 is Phnom Penh (a hotspot); 1,000 USD is 1.6x the Chinese norm (625), not 3x.
        (
            Ad::new("金边招聘，月薪1000美金 usd").with_lang("zh"),
            vec!["HOTSPOT_NAMED"],
        ),
        (
            Ad::new("Job in Cambodia, call +66 81 000 1234").with_lang("en"),
            vec![],
        ),
    ];
    for (ad, expected) in cases {
        let result = detector.score(&ad);
        let mut rules: Vec<&str> = result.hits.iter().map(|h| h.rule.as_str()).collect();
        rules.sort();
        assert_eq!(rules, expected, "{}", ad.text);
    }
}
