//! Rule files with mistakes: each gives a diagnostic with a stable code at file:line:col.

use lure::{Detector, Error, Severity};

fn diagnostics(text: &str) -> Vec<lure::Diagnostic> {
    match Detector::builder().rules_text("bad.toml", text).build() {
        Err(Error::InvalidRules { diagnostics }) => diagnostics,
        Err(other) => panic!("unexpected error {other}"),
        Ok(detector) => detector.rules().warnings().to_vec(),
    }
}

const VALID_TAIL: &str = "examples.match = [\"x\"]\nexamples.no_match = [\"y\"]\n";

fn rule(id: &str, body: &str) -> String {
    format!("[[rule]]\nid = \"{id}\"\ndescription = \"d\"\n{body}\n{VALID_TAIL}")
}

struct Case {
    what: &'static str,
    text: String,
    code: &'static str,
    line: usize,
}

#[test]
fn each_problem_has_its_code_and_location() {
    let cases = [
        Case { what: "syntax", text: "[[rule]\nid = 1".into(), code: "E001", line: 1 },
        Case {
            what: "unknown key",
            text: rule("A", "category = \"pay\"\nweight = 1.0\nkeywords = [\"x\"]\nweigth = 2"),
            code: "E002",
            line: 7,
        },
        Case {
            what: "duplicate id",
            text: rule("A", "category = \"pay\"\nweight = 1.0\nkeywords = [\"x\"]") + &*rule("A", "category = \"pay\"\nweight = 1.0\nkeywords = [\"x\"]"),
            code: "E003",
            line: 10,
        },
        Case {
            what: "invalid regex",
            text: rule("A", "category = \"pay\"\nweight = 1.0\nregex = ['(unclosed']"),
            code: "E004",
            line: 6,
        },
        Case {
            what: "undefined reference",
            text: rule("A", "category = \"combination\"\nweight = 1.0\nall = [\"NOPE\"]"),
            code: "E005",
            line: 6,
        },
        Case {
            what: "cycle",
            text: rule("A", "category = \"combination\"\nweight = 1.0\nall = [\"B\"]") + &*rule("B", "category = \"combination\"\nweight = 1.0\nany = [\"A\"]"),
            code: "E006",
            line: 2,
        },
        Case {
            what: "legitimacy rule with a positive weight",
            text: rule("A", "category = \"legitimacy\"\nweight = 1.0\nkeywords = [\"x\"]"),
            code: "E007",
            line: 5,
        },
        Case {
            what: "missing examples",
            text: "[[rule]]\nid = \"A\"\ndescription = \"d\"\ncategory = \"pay\"\nweight = 1.0\nkeywords = [\"x\"]\n".into(),
            code: "E008",
            line: 2,
        },
        Case {
            what: "unknown category",
            text: rule("A", "category = \"money\"\nweight = 1.0\nkeywords = [\"x\"]"),
            code: "E010",
            line: 4,
        },
        Case {
            what: "helper with a weight",
            text: rule("__A", "weight = 1.0\nkeywords = [\"x\"]"),
            code: "E011",
            line: 4,
        },
        Case {
            what: "Unicode word boundary",
            text: rule("A", "category = \"pay\"\nweight = 1.0\nregex = ['\\bgaji\\b']"),
            code: "E012",
            line: 6,
        },
        Case {
            what: "keyword that normalises to nothing",
            text: rule("A", "category = \"pay\"\nweight = 1.0\nkeywords = [\"\\u200b\"]"),
            code: "E013",
            line: 6,
        },
        Case {
            what: "rule that can never match",
            text: rule("A", "category = \"pay\"\nweight = 1.0\nnot = [\"A\"]"),
            code: "E014",
            line: 2,
        },
        Case {
            what: "unused helper (warning)",
            text: rule("__A", "keywords = [\"x\"]"),
            code: "W102",
            line: 2,
        },
        Case {
            what: "Traditional characters in a regex (warning)",
            text: rule("A", "category = \"pay\"\nweight = 1.0\nregex = ['紙飛機']"),
            code: "W104",
            line: 6,
        },
    ];
    for case in cases {
        let found = diagnostics(&case.text);
        let diagnostic = found
            .iter()
            .find(|d| d.code == case.code)
            .unwrap_or_else(|| panic!("{}: expected {} in {found:#?}", case.what, case.code));
        assert_eq!(diagnostic.line, case.line, "{}: {diagnostic}", case.what);
        assert_eq!(diagnostic.file, "bad.toml");
        assert_eq!(
            diagnostic.severity == Severity::Warning,
            case.code.starts_with('W'),
            "{}",
            case.what
        );
    }
}

#[test]
fn diagnostics_render_with_a_caret() {
    let text = rule(
        "A",
        "category = \"pay\"\nweight = 1.0\nregex = ['(unclosed']",
    );
    let found = diagnostics(&text);
    let rendered = found.iter().find(|d| d.code == "E004").unwrap().to_string();
    assert!(
        rendered.starts_with("error[E004]: invalid regex"),
        "{rendered}"
    );
    assert!(rendered.contains("--> bad.toml:6:10"), "{rendered}");
    assert!(rendered.contains("^^^^^^^^^^^"), "{rendered}");
}
