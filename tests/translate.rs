//! Translators' workflow (issue 8): translation states, `handbok status`, `translate
//! new/done/diff/ui`, source-hash diagnostics (E040, W013), git-inferred states.

mod common;

use common::{Fixture, handbok};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

const ALPHA_SV: &str = "translations/sv/school/alpha.md";
const ALPHA: &str = "guidelines/school/alpha.md";

#[track_caller]
fn ok(root: &Path, args: &[&str]) -> String {
    String::from_utf8(common::handbok_ok(root, args).stdout).unwrap()
}

fn status(root: &Path) -> Value {
    serde_json::from_str(&ok(root, &["status", "--format", "json"])).unwrap()
}

/// The module ids (or paths) in `state` for language `lang` of a status report.
fn ids(report: &Value, lang: &str, state: &str) -> Vec<String> {
    let language = report["languages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["lang"] == lang)
        .unwrap_or_else(|| panic!("no {lang} in {report}"));
    language[state]
        .as_array()
        .unwrap_or_else(|| panic!("no {state} in {language}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn git(root: &Path, args: &[&str], date: &str) {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "user.name=t", "-c", "user.email=t@t"])
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn commit_all(root: &Path, date: &str) {
    git(root, &["add", "-A"], date);
    git(root, &["commit", "-q", "-m", "change"], date);
}

/// Replaces a paragraph of alpha with better text: a real change of translatable content.
/// sv/alpha recorded as current, committed, then alpha improved and committed, with the
/// store removed: only git history knows the version the translation was made from.
fn translated_then_improved_in_git(f: &Fixture) {
    let root = f.root.as_path();
    ok(root, &["translate", "done", "sv", "alpha"]);
    std::fs::remove_dir_all(root.join(".handbok")).unwrap();
    git(root, &["init", "-q"], "2025-01-01T00:00:00Z");
    commit_all(root, "2025-01-01T00:00:00Z");
    improve_alpha(f);
    commit_all(root, "2025-02-01T00:00:00Z");
}

fn improve_alpha(f: &Fixture) {
    f.edit(ALPHA, |t| {
        t.replace("Done.", "Done: now try it with your class.")
    });
}

#[test]
fn every_state_and_edits_that_do_not_make_stale() {
    let f = Fixture::copy("valid");
    let root = f.root.as_path();
    ok(root, &["translate", "done", "sv", "alpha"]);
    ok(root, &["translate", "new", "de", "beta"]);
    f.write(
        "translations/sv/school/gone.md",
        "---\ntitle: Borta\nsummary: Ingen källa.\n---\n\nText.\n",
    );
    let report = status(root);
    assert_eq!(ids(&report, "sv", "current"), ["alpha"]);
    // No source-hash and no git history: unknown.
    assert_eq!(ids(&report, "sv", "unknown"), ["beta"]);
    assert_eq!(
        ids(&report, "sv", "orphaned"),
        ["translations/sv/school/gone.md"]
    );
    assert_eq!(ids(&report, "de", "draft"), ["beta"]);
    assert_eq!(ids(&report, "de", "unknown"), ["alpha"]);
    assert!(ids(&report, "de", "missing").is_empty());
    // A new translation made from the source is current once done.
    ok(root, &["translate", "done", "de", "beta"]);
    assert_eq!(ids(&status(root), "de", "current"), ["beta"]);

    // Metadata and re-wrapping do not make the translation stale.
    f.edit(ALPHA, |t| {
        t.replace("levels: [primary, isced-2]", "levels: [primary]")
            .replace("updated: 2025-02-28", "updated: 2026-11-30")
            .replace("authors: [Team A]", "authors: [Team A, Team B]")
    });
    f.edit(ALPHA, |t| {
        t.replace(
            "[a local sheet](../media/sheet.pdf) and",
            "[a local sheet](../media/sheet.pdf)\n    and",
        )
    });
    assert_eq!(ids(&status(root), "sv", "current"), ["alpha"]);

    improve_alpha(&f);
    let report = status(root);
    assert_eq!(ids(&report, "sv", "stale"), ["alpha"]);
    assert!(ids(&report, "sv", "current").is_empty());

    // A module nobody translated is missing.
    std::fs::remove_file(root.join("translations/de/school/beta.md")).unwrap();
    assert_eq!(ids(&status(root), "de", "missing"), ["beta"]);
}

#[test]
fn status_json_has_exactly_the_documented_shape() {
    let f = Fixture::copy("valid");
    let root = f.root.as_path();
    ok(root, &["translate", "done", "sv", "alpha"]);
    let report = status(root);
    let words = |lang: &str| {
        let l = report["languages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["lang"] == lang)
            .unwrap();
        l["words"].clone()
    };
    let (sv, de) = (words("sv"), words("de"));
    let total = sv["total"].as_u64().unwrap();
    assert!(sv["translated"].as_u64().unwrap() > 0 && sv["translated"].as_u64() < Some(total));
    assert_eq!(de["translated"], 0);
    let ui = json!([
        "subjects.media-education",
        "book.title",
        "handbooks.all-school",
        "handbooks.picked"
    ]);
    assert_eq!(
        report,
        json!({
            "source": "en",
            "languages": [
                {"lang": "sv", "current": ["alpha"], "stale": [], "missing": [], "orphaned": [],
                 "draft": [], "unknown": ["beta"], "words": sv, "ui_missing": ["handbooks.picked"]},
                {"lang": "de", "current": [], "stale": [], "missing": ["beta"], "orphaned": [],
                 "draft": [], "unknown": ["alpha"], "words": de, "ui_missing": ui},
            ]
        })
    );
    // One language only.
    let only: Value =
        serde_json::from_str(&ok(root, &["status", "--lang", "de", "--format", "json"])).unwrap();
    assert_eq!(only["languages"].as_array().unwrap().len(), 1);
    // The human table has a bar per language.
    let human = ok(root, &["status"]);
    assert!(
        human.contains("sv     [###############...............]  50.0%"),
        "{human}"
    );
}

#[test]
fn fail_under_sets_the_exit_code() {
    let f = Fixture::copy("valid");
    let root = f.root.as_path();
    ok(root, &["translate", "done", "sv", "alpha"]);
    ok(root, &["translate", "done", "sv", "beta"]);
    // sv: 100 %, de: 0 % (its alpha has no source-hash and there is no git history).
    assert_eq!(
        handbok(root, &["status", "--fail-under", "50"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        handbok(root, &["status", "--lang", "sv", "--fail-under", "100"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        handbok(root, &["status", "--fail-under", "0"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        handbok(root, &["status", "--lang", "xx"]).status.code(),
        Some(2)
    );
}

#[test]
fn git_history_tells_the_state_of_translations_without_source_hash() {
    let f = Fixture::copy("valid");
    let root = f.root.as_path();
    git(root, &["init", "-q"], "2025-01-01T00:00:00Z");
    commit_all(root, "2025-01-01T00:00:00Z");
    let report = status(root);
    assert_eq!(ids(&report, "sv", "current"), ["alpha", "beta"]);
    assert_eq!(ids(&report, "de", "current"), ["alpha"]);

    improve_alpha(&f);
    commit_all(root, "2025-02-01T00:00:00Z");
    let report = status(root);
    assert_eq!(ids(&report, "sv", "stale"), ["alpha"]);
    assert_eq!(ids(&report, "sv", "current"), ["beta"]);
    assert_eq!(ids(&report, "de", "stale"), ["alpha"]);

    // Translating after the source changed makes it current again.
    f.edit(ALPHA_SV, |t| {
        t.replace("Klart.", "Klart: prova nu med din klass.")
    });
    commit_all(root, "2025-03-01T00:00:00Z");
    assert_eq!(ids(&status(root), "sv", "current"), ["alpha", "beta"]);
}

#[test]
fn diff_from_the_store_without_git() {
    let f = Fixture::copy("valid");
    let root = f.root.as_path();
    ok(root, &["translate", "done", "sv", "alpha"]);
    assert!(ok(root, &["translate", "diff", "sv", "alpha"]).contains("is current"));
    improve_alpha(&f);
    f.edit(ALPHA, |t| {
        t.replace("## The end {#end}", "## The end {#end}\n\nA new paragraph.")
    });
    let diff = ok(root, &["translate", "diff", "sv", "alpha"]);
    assert!(diff.contains("old text from .handbok/sources/"), "{diff}");
    assert!(
        diff.contains("changed paragraph:\n  - Done.\n  + Done: now try it with your class.\n"),
        "{diff}"
    );
    assert!(
        diff.contains("added paragraph:\n  + A new paragraph.\n"),
        "{diff}"
    );
    assert!(
        !diff.contains("Read [](guide:beta)"),
        "unchanged blocks are not shown: {diff}"
    );
}

#[test]
fn diff_from_git_history() {
    let f = Fixture::copy("valid");
    let root = f.root.as_path();
    // Without the store the old text must come from git.
    translated_then_improved_in_git(&f);
    let diff = ok(root, &["translate", "diff", "sv", "alpha"]);
    assert!(diff.contains("old text from git commit"), "{diff}");
    assert!(
        diff.contains("  - Done.\n  + Done: now try it with your class.\n"),
        "{diff}"
    );
    // A state known to neither: the diff says so and fails.
    std::fs::remove_dir_all(root.join(".git")).unwrap();
    let out = handbok(root, &["translate", "diff", "sv", "alpha"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no version of"));
}

#[test]
fn new_refuses_to_overwrite_and_done_keeps_every_other_byte() {
    let f = Fixture::copy("valid");
    let root = f.root.as_path();
    let before = std::fs::read_to_string(root.join(ALPHA_SV)).unwrap();
    let out = handbok(root, &["translate", "new", "sv", "alpha"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(root.join(ALPHA_SV)).unwrap(),
        before
    );

    ok(root, &["translate", "done", "sv", "alpha"]);
    let done = std::fs::read_to_string(root.join(ALPHA_SV)).unwrap();
    let lines: Vec<&str> = done.lines().collect();
    let hash_line = lines
        .iter()
        .find(|l| l.starts_with("source-hash: sha256:"))
        .unwrap();
    assert_eq!(done.replace(&format!("{hash_line}\n"), ""), before);

    ok(root, &["translate", "new", "sv", "alpha", "--force"]);
    let new = std::fs::read_to_string(root.join(ALPHA_SV)).unwrap();
    assert!(
        new.starts_with(
            "---\ntitle: Alpha module\nsummary: The first module.\nsource-hash: sha256:"
        )
    );
    assert!(
        new.contains("\nstatus: draft\n---\n\n## Start {#start}\n"),
        "{new}"
    );
    // The draft is checked like any translation, and `done` publishes it.
    f.check().no_more();
    ok(root, &["translate", "done", "sv", "alpha"]);
    let published = std::fs::read_to_string(root.join(ALPHA_SV)).unwrap();
    assert_eq!(published, new.replace("status: draft\n", ""));
    // No temporary file is left beside what was written.
    let leftovers: Vec<_> = std::fs::read_dir(root.join("translations/sv/school"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn draft_translations_are_not_built() {
    let f = Fixture::copy("valid");
    let root = f.root.as_path();
    f.edit(ALPHA_SV, |t| t.replacen("---\n", "---\nstatus: draft\n", 1));
    // (beta is a draft source that alpha links to: publish it so the fixture builds.)
    f.edit("guidelines/school/beta.md", |t| {
        t.replace("status: draft", "status: published")
    });
    f.check().no_more();
    let out = root.join("out");
    ok(root, &["build", "--out", out.to_str().unwrap()]);
    let page = find_page(&out.join("sv"), "alpha").expect("the sv alpha page");
    let html = std::fs::read_to_string(page).unwrap();
    assert!(html.contains("Alpha module") && !html.contains("Alfamodul"));
    ok(root, &["build", "--drafts", "--out", out.to_str().unwrap()]);
    let html = std::fs::read_to_string(find_page(&out.join("sv"), "alpha").unwrap()).unwrap();
    assert!(html.contains("Alfamodul"));
}

/// The page of module `id` under `dir`.
fn find_page(dir: &Path, id: &str) -> Option<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy() == format!("{id}.html"))
        .map(|e| e.into_path())
}

#[test]
fn source_hash_and_status_are_checked_at_their_place() {
    let f = Fixture::copy("valid");
    f.edit(ALPHA_SV, |t| {
        t.replacen(
            "---\n",
            "---\nsource-hash: \"not a hash at all!\"\nstatus: final\n",
            1,
        )
    });
    f.edit("translations/sv/school/beta.md", |t| {
        t.replacen("---\n", "---\nsource-hash: sha256:0123456789abcdef\n", 1)
    });
    f.check()
        .expect_with(
            "E040",
            "translations/sv/school/alpha.md:2:14",
            "not a source fingerprint",
        )
        .expect_with("E040", "translations/sv/school/alpha.md:3:9", "`draft`")
        .expect_with(
            "W013",
            "translations/sv/school/beta.md:2:14",
            "translate done sv beta",
        )
        .no_more();
    // A hash the store knows is no warning, even when stale.
    let root = f.root.as_path();
    f.edit("translations/sv/school/beta.md", |t| {
        t.replace("sha256:0123456789abcdef", "x")
    });
    let _ = handbok(root, &["translate", "done", "sv", "beta"]);
    f.edit("guidelines/school/beta.md", |t| {
        t.replace("Text.", "Better text.")
    });
    f.edit(ALPHA_SV, |t| {
        t.replace("source-hash: \"not a hash at all!\"\nstatus: final\n", "")
    });
    f.check().no_more();
}

#[test]
fn ui_completes_the_interface_file_without_changing_a_line() {
    let f = Fixture::copy("valid");
    let root = f.root.as_path();
    f.edit("book.toml", |t| {
        t.replace(r#"["en", "sv", "de"]"#, r#"["en", "sv", "de", "pl"]"#)
    });
    let mine = "# Polish interface\nstrings:\n  home: Strona główna # mine\n\nneeds:\n  blind: Uczniowie niewidomi\n";
    f.write("translations/pl/ui.yaml", mine);
    let before = ids(&status(root), "pl", "ui_missing");
    assert!(before.contains(&"strings.about-module".to_string()));
    assert!(before.contains(&"levels.isced-1".to_string()));
    assert!(before.contains(&"competences.3.1".to_string()));
    assert!(!before.contains(&"strings.home".to_string()));

    ok(root, &["translate", "ui", "pl"]);
    let text = std::fs::read_to_string(root.join("translations/pl/ui.yaml")).unwrap();
    // Every old line is still there, in order.
    let mut lines = text.lines();
    for old in mine.lines() {
        assert!(lines.any(|l| l == old), "lost {old:?}:\n{text}");
    }
    assert!(
        text.contains("  # about-module: About this module\n"),
        "{text}"
    );
    assert!(text.contains("\"3.1\": Teaching"), "{text}");
    // Comments change nothing yet; the file stays valid, and a second run adds nothing.
    f.check()
        .expect("W009", "translations/pl/ui.yaml:1:1")
        .no_more();
    assert_eq!(ids(&status(root), "pl", "ui_missing"), before);
    ok(root, &["translate", "ui", "pl"]);
    assert_eq!(
        std::fs::read_to_string(root.join("translations/pl/ui.yaml")).unwrap(),
        text
    );
    // Uncommenting one entry translates it.
    f.edit("translations/pl/ui.yaml", |t| {
        t.replace(
            "  # about-module: About this module",
            "  about-module: O module",
        )
    });
    assert_eq!(
        ids(&status(root), "pl", "ui_missing").len(),
        before.len() - 1
    );
}

#[test]
fn a_source_hash_known_to_git_only_is_no_warning() {
    let f = Fixture::copy("valid");
    let root = f.root.as_path();
    translated_then_improved_in_git(&f);
    f.check().no_more();
    // Without the history the same hash is unknown.
    std::fs::remove_dir_all(root.join(".git")).unwrap();
    f.check()
        .expect_with(
            "W013",
            "translations/sv/school/alpha.md:6:14",
            "translate done sv alpha",
        )
        .no_more();
}

/// History is read right for a project in a folder of a larger repository, for file names
/// beyond ASCII (which git writes as escaped strings unless told not to), and for several
/// stale translations at once (their old texts come from one `git cat-file`).
#[test]
fn history_of_a_project_inside_a_repository_with_names_beyond_ascii() {
    let f = Fixture::copy("valid");
    let repo = f.root.as_path();
    let root = repo.join("docs/handbok");
    std::fs::create_dir_all(&root).unwrap();
    for name in ["book.toml", "guidelines", "translations"] {
        std::fs::rename(repo.join(name), root.join(name)).unwrap();
    }
    let beta = |dir: &str, name: &str| root.join(dir).join("school").join(name);
    for dir in ["guidelines", "translations/sv"] {
        std::fs::rename(beta(dir, "beta.md"), beta(dir, "betä.md")).unwrap();
    }
    ok(&root, &["translate", "done", "sv", "alpha"]);
    let alpha_sv = std::fs::read_to_string(root.join(ALPHA_SV)).unwrap();
    let hash = alpha_sv
        .lines()
        .find_map(|l| l.strip_prefix("source-hash: "))
        .unwrap()
        .to_string();
    std::fs::remove_dir_all(root.join(".handbok")).unwrap();
    git(repo, &["init", "-q"], "2025-01-01T00:00:00Z");
    commit_all(repo, "2025-01-01T00:00:00Z");
    let edit = |path: &Path, from: &str, to: &str| {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(text.contains(from), "{from} in {}", path.display());
        std::fs::write(path, text.replace(from, to)).unwrap();
    };
    edit(
        &root.join(ALPHA),
        "Done.",
        "Done: now try it with your class.",
    );
    edit(
        &root.join(ALPHA),
        "updated: 2025-02-28",
        "updated: 2025-03-01",
    );
    edit(&beta("guidelines", "betä.md"), "Text.", "Better text.");
    commit_all(repo, "2025-02-01T00:00:00Z");

    let report = status(&root);
    // sv/alpha by its source-hash, the others (no source-hash) by when they were committed.
    assert_eq!(ids(&report, "sv", "stale"), ["alpha", "beta"]);
    assert_eq!(ids(&report, "de", "stale"), ["alpha"]);
    assert!(ids(&report, "sv", "unknown").is_empty());
    let diff = ok(&root, &["translate", "diff", "sv", "alpha"]);
    assert!(diff.contains("old text from git commit"), "{diff}");
    assert_eq!(
        handbok::translate::made_from_date(
            &handbok::translate::diff::OldSources::new(&root),
            ALPHA,
            &hash
        )
        .as_deref(),
        Some("2025-02-28")
    );
    // The hash is a committed version's: no W013.
    let check = handbok(&root, &["check"]);
    assert!(
        !String::from_utf8_lossy(&check.stderr).contains("W013"),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

/// The sample: digital-wellbeing was improved after its translations, which keep the date of
/// the version they were made from.
#[test]
fn the_sample_has_stale_translations_that_know_their_source_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = handbok::analyze(root);
    let report = handbok::translate::status::report(&project, &[]).unwrap();
    for l in &report.languages {
        assert_eq!(l.stale, ["digital-wellbeing"], "{}", l.lang);
        assert!(l.unknown.is_empty() && l.draft.is_empty() && l.orphaned.is_empty());
    }
    let uk = report.languages.iter().find(|l| l.lang == "uk").unwrap();
    assert!(!uk.missing.is_empty(), "uk stays partial");
    let text = std::fs::read_to_string(root.join("translations/sv/wellbeing/digital-wellbeing.md"))
        .unwrap();
    let hash = text
        .lines()
        .find_map(|l| l.strip_prefix("source-hash: "))
        .unwrap();
    assert_eq!(
        handbok::translate::made_from_date(
            &handbok::translate::diff::OldSources::new(root),
            "guidelines/wellbeing/digital-wellbeing.md",
            hash
        )
        .as_deref(),
        Some("2025-02-17")
    );
}
