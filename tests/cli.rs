//! The `handbok` binary: exit codes, the human and JSON formats.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn handbok(fixture: &str, args: &[&str]) -> Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    common::handbok(&root, args)
}

#[test]
fn exit_codes() {
    assert_eq!(handbok("valid", &["check"]).status.code(), Some(0));
    assert_eq!(handbok("links", &["check"]).status.code(), Some(1));
    // Warnings alone pass, unless denied.
    let lint = handbok("lint", &["check"]);
    assert_eq!(
        lint.status.code(),
        Some(1),
        "lint has one error (an <img> without alt)"
    );
    assert_eq!(
        handbok("book-unknown-key", &["check", "--deny-warnings"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn deny_warnings_turns_warnings_into_errors() {
    let fixture = tempfile::tempdir().unwrap();
    let root = fixture.path();
    std::fs::write(root.join("book.toml"), "[book]\ntitle = \"W\"\n").unwrap();
    std::fs::create_dir(root.join("guidelines")).unwrap();
    std::fs::write(
        root.join("guidelines/a.md"),
        "---\nid: a\ntitle: A\nsummary: S\nlevels: [primary]\nsubjects: [arts]\n---\n\n#### Deep\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_handbok"))
            .arg("-C")
            .arg(root)
            .arg("check")
            .args(extra)
            .output()
            .unwrap()
    };
    let plain = run(&[]);
    assert_eq!(plain.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&plain.stderr).contains("warning[W001]"));
    let denied = run(&["--deny-warnings"]);
    assert_eq!(denied.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&denied.stderr).contains("error[W001]"));
}

#[test]
fn human_format_is_rustc_style() {
    let out = handbok("book-unknown-key", &["check"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let expected = "\
error[E021]: book.toml: unknown field `langauge`, expected one of `title`, `authors`, `description`, `language`
  --> book.toml:3:1
  |
3 | langauge = \"en\"
  | ^^^^^^^^
  |
  = help: did you mean `language`?

check: 1 error
";
    assert_eq!(stderr, expected);
}

#[test]
fn json_format_is_one_object_per_line() {
    let out = handbok("links", &["check", "--format", "json"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 10);
    let first = &lines[0];
    assert_eq!(first["code"], "E013");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "guidelines/a/source.md");
    assert_eq!(first["line"], 7);
    assert_eq!(first["column"], 19);
    assert_eq!(first["help"], "did you mean `target`?");
    // Nothing but JSON on stdout; the summary line is for people and is not printed.
    assert!(out.stderr.is_empty());
}

#[test]
fn summary_counts_what_was_checked() {
    let out = handbok("valid", &["check"]);
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "checked 2 modules, 3 translations in 3 languages: no problems found\n"
    );
    assert!(handbok("valid", &["check", "--quiet"]).stderr.is_empty());
}
