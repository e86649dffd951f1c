//! Issue 7: a translation's own problems never block the other languages or the source.
//! `build` publishes a broken translation as the source text under the fallback notice (one with
//! only broken anchors as it is, those links pointing at the top of the page) and reports its
//! errors as warnings; `build --strict` and `check` keep them as errors.

mod common;
use common::Fixture;
use handbok::diag::Severity;
use handbok::render::BuildOptions;
use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// `valid` with every kind of translation problem in sv and one broken anchor in de.
fn broken_sv() -> Fixture {
    let fixture = Fixture::copy("valid");
    fixture
        .write(
            "translations/sv/school/alpha.md",
            "---
title: Alfamodul
summary: Den första modulen.
colour: red
---

## Start {#start}

Läs [](guide:gama) och [slutet](#slutet).
",
        )
        .write(
            "translations/sv/school/beta.md",
            "---
title: [Betamodul
---

Se [](guide:alpha).
",
        )
        .edit("translations/sv/ui.yaml", |t| {
            t.replace("  home: Startsida", "  home: Startsida\n  homme: Hemm")
        })
        .edit("translations/de/school/alpha.md", |t| {
            t + "\nZurück [nach oben](#oben).\n"
        });
    fixture
}

struct Built {
    files: BTreeMap<String, Vec<u8>>,
    project: handbok::Project,
    written: bool,
}

impl Built {
    fn html(&self, path: &str) -> Html {
        let bytes = self
            .files
            .get(path)
            .unwrap_or_else(|| panic!("no {path} in the site"));
        Html::parse_document(std::str::from_utf8(bytes).unwrap())
    }

    /// `(code, severity, message)` of every diagnostic.
    fn diags(&self) -> Vec<(&'static str, Severity, String)> {
        self.project
            .diags
            .iter()
            .map(|d| (d.code.as_str(), d.severity, d.message.clone()))
            .collect()
    }
}

fn build_into(fixture: &Fixture, out: &Path, options: &BuildOptions) -> Built {
    let (project, stats) = handbok::build::build(&fixture.root, Some(out), options);
    Built {
        files: read_tree(out),
        written: stats.is_some(),
        project,
    }
}

fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    if !dir.exists() {
        return BTreeMap::new();
    }
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy();
            (rel.replace('\\', "/"), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn options(strict: bool) -> BuildOptions {
    BuildOptions {
        drafts: true,
        strict,
        ..Default::default()
    }
}

fn text(html: &Html, selector: &str) -> Vec<String> {
    html.select(&Selector::parse(selector).unwrap())
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn attr(html: &Html, selector: &str, name: &str) -> Vec<String> {
    html.select(&Selector::parse(selector).unwrap())
        .filter_map(|e| e.value().attr(name).map(str::to_string))
        .collect()
}

#[test]
fn issue_7_check_reports_a_translations_problems_as_errors() {
    broken_sv()
        .check()
        .expect_with("E012", "translations/de/school/alpha.md:10:8", "#oben")
        .expect_with("E007", "translations/sv/school/alpha.md:4:1", "colour")
        .expect_with("E011", "translations/sv/school/alpha.md:9:5", "gama")
        .expect_with("E012", "translations/sv/school/alpha.md:9:24", "#slutet")
        .expect("E004", "translations/sv/school/beta.md:3:1")
        .expect_with("E027", "translations/sv/ui.yaml:9:3", "homme")
        .no_more();
}

#[test]
fn issue_7_a_broken_translation_is_published_as_the_source_text() {
    let fixture = broken_sv();
    let temp = tempfile::tempdir().unwrap();
    let site = build_into(&fixture, &temp.path().join("site"), &options(false));
    assert!(site.written, "{:?}", site.diags());
    // Every problem is still reported, as a warning that says what is published instead.
    let diags = site.diags();
    let demoted = |code: &str, note: &str| {
        diags
            .iter()
            .any(|(c, s, m)| *c == code && *s == Severity::Warning && m.contains(note))
    };
    let source_text = "this translation is published as the source text";
    assert!(demoted("E007", source_text), "{diags:?}");
    assert!(demoted("E011", source_text), "{diags:?}");
    assert!(demoted("E012", source_text), "{diags:?}");
    assert!(demoted("E004", "this file is not published"), "{diags:?}");
    assert!(demoted("E027", "built-in interface text"), "{diags:?}");
    assert!(
        demoted("E012", "pointing at the top of the page"),
        "{diags:?}"
    );
    assert!(!site.project.diags.has_errors());

    // sv: the English text, marked as English, under the fallback notice.
    for (id, title) in [("alpha", "Alpha module"), ("beta", "Beta module")] {
        let page = site.html(&format!("sv/modules/{id}.html"));
        assert_eq!(text(&page, "main h1"), [title], "{id}");
        assert_eq!(attr(&page, "main h1", "lang"), ["en"], "{id}");
        assert_eq!(text(&page, ".notice").len(), 1, "{id}: no fallback notice");
        assert_eq!(attr(&page, ".content", "lang"), ["en"], "{id}");
        assert_eq!(attr(&page, "html", "lang"), ["sv"], "{id}");
    }
    let alpha = site.html("sv/modules/alpha.html");
    assert!(text(&alpha, ".content")[0].contains("Read"));
    // The good entries of sv's ui.yaml still apply.
    let home = site.html("sv/index.html");
    assert!(text(&home, "body")[0].contains("Testhandbok"));

    // de: published as translated; the broken anchor points at the top of the page.
    let de = site.html("de/modules/alpha.html");
    assert_eq!(text(&de, "main h1"), ["Alpha-Modul"]);
    assert!(text(&de, ".notice").is_empty());
    let top = attr(&de, ".content a", "href");
    assert_eq!(top.last().map(String::as_str), Some("#"), "{top:?}");

    // The source is intact.
    let en = site.html("en/modules/alpha.html");
    assert_eq!(text(&en, "main h1"), ["Alpha module"]);
    assert!(text(&en, ".notice").is_empty());
}

#[test]
fn issue_7_strict_fails_and_leaves_the_previous_site() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("site");
    let good = build_into(&Fixture::copy("valid"), &out, &options(false));
    assert!(good.written, "{:?}", good.diags());
    let strict = build_into(&broken_sv(), &out, &options(true));
    assert!(!strict.written);
    assert!(strict.project.diags.has_errors());
    assert!(
        strict
            .diags()
            .iter()
            .all(|(_, _, m)| !m.contains("published")),
        "--strict demotes nothing: {:?}",
        strict.diags()
    );
    assert!(good.files == strict.files, "the previous site changed");
    // Without --strict the same project builds over it.
    let lenient = build_into(&broken_sv(), &out, &options(false));
    assert!(lenient.written);
}

#[test]
fn issue_7_errors_in_the_source_still_stop_the_build() {
    let fixture = broken_sv();
    fixture.edit("guidelines/school/alpha.md", |t| {
        t.replace("[](guide:beta)", "[](guide:bta)")
    });
    let temp = tempfile::tempdir().unwrap();
    let site = build_into(&fixture, &temp.path().join("site"), &options(false));
    assert!(!site.written);
    assert!(site.files.is_empty());
    // Nothing is demoted: the translators' errors stay errors beside the source's.
    let errors: Vec<_> = site
        .diags()
        .into_iter()
        .filter(|(_, s, _)| *s == Severity::Error)
        .map(|(c, _, _)| c)
        .collect();
    assert_eq!(
        errors,
        ["E011", "E012", "E007", "E011", "E012", "E004", "E027"]
    );
}

#[test]
fn a_ui_file_that_is_not_yaml_falls_back_to_the_built_in_text() {
    let fixture = Fixture::copy("valid");
    fixture.write("translations/sv/ui.yaml", "book: [title: Testhandbok\n");
    fixture
        .check()
        .expect("E004", "translations/sv/ui.yaml:2:1")
        .no_more();
    let temp = tempfile::tempdir().unwrap();
    let site = build_into(&fixture, &temp.path().join("site"), &options(false));
    assert!(site.written, "{:?}", site.diags());
    let home = site.html("sv/index.html");
    let body = &text(&home, "body")[0];
    assert!(!body.contains("Testhandbok") && body.contains("Startsida"));
}

#[test]
fn a_translation_that_links_to_an_unbuilt_draft_is_published_as_the_source_text() {
    // beta is a draft; the source does not link to it, the sv translation does.
    let fixture = Fixture::copy("valid");
    fixture.edit("guidelines/school/alpha.md", |t| {
        t.replace(
            "Read [](guide:beta), [the beta details](guide:beta#details), [beta by path](beta.md#details),",
            "Read",
        )
    });
    fixture.edit("translations/de/school/alpha.md", |t| {
        t.replace(
            "[](guide:beta) und [die Details zu Beta](guide:beta#details)",
            "nichts",
        )
    });
    fixture.check().no_more();
    // With a broken anchor too, the draft link (found only by `build`) decides: source text.
    fixture.edit("translations/sv/school/alpha.md", |t| {
        t + "\n[Upp](#uppe).\n"
    });
    let temp = tempfile::tempdir().unwrap();
    let site = build_into(
        &fixture,
        &temp.path().join("site"),
        &BuildOptions::default(),
    );
    assert!(site.written, "{:?}", site.diags());
    for code in ["E031", "E012"] {
        assert!(
            site.diags().iter().any(|(c, s, m)| *c == code
                && *s == Severity::Warning
                && m.contains("published as the source text")),
            "{code}: {:?}",
            site.diags()
        );
    }
    let sv = site.html("sv/modules/alpha.html");
    assert_eq!(text(&sv, "main h1"), ["Alpha module"]);
    let de = site.html("de/modules/alpha.html");
    assert_eq!(text(&de, "main h1"), ["Alpha-Modul"]);
    // With --strict, the draft link is an error again.
    let strict = build_into(
        &fixture,
        &temp.path().join("strict"),
        &BuildOptions {
            strict: true,
            ..Default::default()
        },
    );
    assert!(!strict.written);
}

#[test]
fn the_command_line_check_fails_build_passes_strict_fails() {
    let fixture = broken_sv();
    let temp = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_handbok"))
            .arg("--root")
            .arg(&fixture.root)
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let out = temp.path().join("site");
    let out = out.to_str().unwrap();
    assert_eq!(run(&["check"]).status.code(), Some(1));
    let strict = run(&["build", "--drafts", "--strict", "--out", out]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(!Path::new(out).exists());
    let build = run(&["build", "--drafts", "--out", out]);
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert_eq!(build.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("warning[E011]"), "{stderr}");
    assert!(Path::new(out).join("sv/modules/alpha.html").exists());
}
