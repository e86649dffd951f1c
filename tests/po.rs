//! PO for CAT tools (issue 8): `po export` → `msgfmt --check` → `po import` round trips on a
//! copy of the repository's sample project.
//!
//! `msgfmt` is Debian's `gettext`; where it is missing the check is skipped with a message,
//! unless `HANDBOK_BROWSER_TESTS=required` (as `.ci/run` sets, which installs it).

mod common;

use common::{Fixture, handbok, read_tree};
use handbok::po::format::File;
use std::path::{Path, PathBuf};
use std::process::Command;

const CAPTIONS_SV: &str = "translations/sv/inclusion/captions-and-transcripts.md";
const CAPTIONS_PO: &str = "po/sv/inclusion/captions-and-transcripts.po";
const WELLBEING: &str = "guidelines/wellbeing/digital-wellbeing.md";

#[track_caller]
fn ok(root: &Path, args: &[&str]) -> String {
    String::from_utf8(common::handbok_ok(root, args).stderr).unwrap()
}

fn po_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "po"))
        .collect();
    out.sort();
    out
}

/// `msgfmt --check` on every file, or `false` (skipped) when msgfmt is missing.
fn msgfmt_check(files: &[PathBuf]) -> bool {
    if Command::new("msgfmt").arg("--version").output().is_err() {
        let message = "msgfmt (Debian package gettext) is missing: PO files not checked";
        assert!(
            std::env::var("HANDBOK_BROWSER_TESTS").as_deref() != Ok("required"),
            "{message}"
        );
        eprintln!("skipped: {message}");
        return false;
    }
    for file in files {
        let out = Command::new("msgfmt")
            .args(["--check", "-o", "/dev/null"])
            .arg(file)
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "msgfmt --check {}:\n{}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    true
}

/// Rewrites one PO file, changing the entry with context `context`.
fn edit_entry(path: &Path, context: &str, change: impl FnOnce(&mut handbok::po::format::Entry)) {
    let mut file = File::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    let entry = file
        .entries
        .iter_mut()
        .find(|e| e.context.as_deref() == Some(context))
        .unwrap_or_else(|| panic!("no entry {context} in {}", path.display()));
    change(entry);
    std::fs::write(path, file.write()).unwrap();
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap()
}

#[test]
fn export_passes_msgfmt_and_an_unchanged_import_changes_no_byte() {
    let temp = Fixture::sample();
    let root = temp.root.as_path();
    let before = read_tree(root);
    for lang in ["sv", "de", "fr", "uk"] {
        ok(root, &["po", "export", lang]);
        let files = po_files(&root.join("po").join(lang));
        assert_eq!(files.len(), 20, "one PO file per module ({lang})");
        if msgfmt_check(&files) {
            // gettext's own rewrite (wrapped lines, its escapes) reads back the same.
            for file in &files {
                let out = Command::new("msgcat")
                    .arg(file)
                    .arg("-o")
                    .arg(file)
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
        ok(root, &["po", "import", lang]);
    }
    let after: Vec<_> = read_tree(root)
        .into_iter()
        .filter(|(path, _)| !path.starts_with("po/"))
        .collect();
    assert!(
        after == before.into_iter().collect::<Vec<_>>(),
        "an unchanged round trip changed files"
    );
    let po = read(root, CAPTIONS_PO);
    for line in [
        "\"Language: sv\\n\"",
        "\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"",
        "\"Content-Type: text/plain; charset=UTF-8\\n\"",
        "#: guidelines/inclusion/captions-and-transcripts.md:24\nmsgctxt \"captions-and-transcripts#terms\"\nmsgid \"Know the terms\"\nmsgstr \"Känn till begreppen\"",
    ] {
        assert!(po.contains(line), "{line} not in\n{po}");
    }
    assert!(
        !po.contains("fuzzy"),
        "a current translation has no fuzzy entry"
    );
    let uk = read(root, "po/uk/wellbeing/data-protection.po");
    assert!(uk.contains("nplurals=3"), "{uk}");
    assert!(
        !uk.contains("msgstr \"Д"),
        "a missing translation has empty msgstrs"
    );
}

#[test]
fn one_edited_msgstr_changes_only_that_text() {
    let temp = Fixture::sample();
    let root = temp.root.as_path();
    ok(root, &["po", "export", "sv"]);
    let before = read_tree(root);
    edit_entry(
        &root.join(CAPTIONS_PO),
        "captions-and-transcripts#terms",
        |e| e.text = "Lär dig begreppen".into(),
    );
    edit_entry(
        &root.join(CAPTIONS_PO),
        "captions-and-transcripts#terms/cell2",
        |e| e.text = "vad det *egentligen* är".into(),
    );
    let said = ok(root, &["po", "import", "sv"]);
    assert!(said.contains(&format!("wrote {CAPTIONS_SV}")), "{said}");
    let want = String::from_utf8(before[CAPTIONS_SV].clone())
        .unwrap()
        .replace(
            "## Känn till begreppen {#terms}",
            "## Lär dig begreppen {#terms}",
        )
        .replace("| vad det är |", "| vad det *egentligen* är |");
    assert_eq!(read(root, CAPTIONS_SV), want);
    for (path, bytes) in read_tree(root) {
        if path != CAPTIONS_SV && !path.starts_with("po/") {
            assert!(before[&path] == bytes, "{path} changed");
        }
    }
}

#[test]
fn stale_entries_are_fuzzy_and_keep_the_source_hash_until_reviewed() {
    let temp = Fixture::sample();
    let root = temp.root.as_path();
    let sv = "translations/sv/wellbeing/digital-wellbeing.md";
    let po = root.join("po/sv/wellbeing/digital-wellbeing.po");
    let before = read(root, sv);
    let hash_line = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("source-hash:"))
            .unwrap()
            .to_string()
    };
    // The sample's digital-wellbeing changed after its translations (see the store).
    ok(root, &["po", "export", "sv"]);
    let file = File::parse(&read(root, "po/sv/wellbeing/digital-wellbeing.po")).unwrap();
    let fuzzy: Vec<_> = file.entries.iter().filter(|e| e.fuzzy).collect();
    assert!(!fuzzy.is_empty(), "the stale translation has fuzzy entries");
    assert!(
        fuzzy
            .iter()
            .all(|e| e.previous.as_ref().is_some_and(|p| *p != e.id)),
        "each fuzzy entry carries the old source text: {fuzzy:#?}"
    );
    let context = fuzzy[0].context.clone().unwrap();
    // Edited but still fuzzy: the text is written, the source-hash stays.
    edit_entry(&po, &context, |e| e.text = "Ny text.".into());
    ok(root, &["po", "import", "sv"]);
    let edited = read(root, sv);
    assert!(edited.contains("Ny text."), "{edited}");
    assert_eq!(hash_line(&edited), hash_line(&before));
    // Reviewed in the tool (no entry fuzzy any more): now the source-hash is recorded.
    let mut file = File::parse(&std::fs::read_to_string(&po).unwrap()).unwrap();
    for e in &mut file.entries {
        e.fuzzy = false;
        e.previous = None;
    }
    std::fs::write(&po, file.write()).unwrap();
    ok(root, &["po", "import", "sv"]);
    let reviewed = read(root, sv);
    let current = handbok::translate::fingerprint::of_file(&read(root, WELLBEING)).unwrap();
    assert_eq!(hash_line(&reviewed), format!("source-hash: {current}"));
    assert_eq!(
        reviewed.replace(&hash_line(&reviewed), &hash_line(&edited)),
        edited,
        "only the source-hash line changed"
    );
}

#[test]
fn text_edited_in_markdown_after_the_export_is_a_conflict() {
    let temp = Fixture::sample();
    let root = temp.root.as_path();
    ok(root, &["po", "export", "sv"]);
    let markdown = read(root, CAPTIONS_SV).replace("Känn till begreppen", "Begreppen");
    std::fs::write(root.join(CAPTIONS_SV), &markdown).unwrap();
    edit_entry(
        &root.join(CAPTIONS_PO),
        "captions-and-transcripts#terms",
        |e| e.text = "Lär dig begreppen".into(),
    );
    let out = handbok(root, &["po", "import", "sv"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr
            .contains("`captions-and-transcripts#terms`: the translation changed after the export")
            && stderr.contains(&format!("{CAPTIONS_SV}:18")),
        "{stderr}"
    );
    assert_eq!(read(root, CAPTIONS_SV), markdown, "the file is untouched");
}

#[test]
fn a_missing_translation_is_made_inside_the_source_markdown() {
    let temp = Fixture::sample();
    let root = temp.root.as_path();
    let rel = "translations/uk/inclusion/captions-and-transcripts.md";
    let po = root.join("po/uk/inclusion/captions-and-transcripts.po");
    ok(root, &["po", "export", "uk"]);
    let mut file = File::parse(&std::fs::read_to_string(&po).unwrap()).unwrap();
    for e in &mut file.entries {
        e.text = format!("UK {}", e.id);
    }
    std::fs::write(&po, file.write()).unwrap();
    ok(root, &["po", "import", "uk"]);
    let made = read(root, rel);
    for part in [
        "title: UK Captions and transcripts for every video\n",
        "## UK Know the terms {#terms}\n",
        "| UK Captions | UK Synchronised text",
        "see [audio and video feedback](guide:digital-feedback#audio-and-video-feedback).",
        "\n1. UK Generate automatic captions",
    ] {
        assert!(made.contains(part), "{part} not in\n{made}");
    }
    assert!(made.contains("source-hash: sha256:") && !made.contains("status: draft"));
    let check = handbok(root, &["check"]);
    assert!(
        !String::from_utf8_lossy(&check.stderr).contains(rel),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn front_matter_entries_are_written_as_yaml_lines() {
    let temp = Fixture::sample();
    let root = temp.root.as_path();
    // Without keywords of its own, so the import adds the key.
    temp.edit(CAPTIONS_SV, |text| {
        let start = text.find("keywords: [").unwrap();
        let end = start + text[start..].find('\n').unwrap() + 1;
        format!("{}{}", &text[..start], &text[end..])
    });
    ok(root, &["po", "export", "sv"]);
    let before = read(root, CAPTIONS_SV);
    edit_entry(
        &root.join(CAPTIONS_PO),
        "captions-and-transcripts/summary",
        |e| e.text = "Textning: för alla.".into(),
    );
    edit_entry(
        &root.join(CAPTIONS_PO),
        "captions-and-transcripts/keywords",
        |e| e.text = "video, textning, teckenspråk".into(),
    );
    ok(root, &["po", "import", "sv"]);
    let after = read(root, CAPTIONS_SV);
    let summary_start = before.find("summary: >-").unwrap();
    let summary_end = before.find("translators:").unwrap();
    let want = format!(
        "{}summary: \"Textning: för alla.\"\n{}",
        &before[..summary_start],
        &before[summary_end..]
    )
    .replacen(
        "\n---\n",
        "\nkeywords: [video, textning, teckenspråk]\n---\n",
        1,
    );
    assert_eq!(after, want);
    ok(root, &["check"]);
}

#[test]
fn a_block_added_to_the_source_is_translated_and_the_file_laid_out_anew() {
    let temp = Fixture::sample();
    let root = temp.root.as_path();
    let source = "guidelines/inclusion/captions-and-transcripts.md";
    let added = "The words are often mixed up, but they describe different things.\n";
    let text = read(root, source).replace(added, &format!("{added}\nCaptions are text.\n"));
    std::fs::write(root.join(source), text).unwrap();
    ok(root, &["po", "export", "sv"]);
    let file = File::parse(&read(root, CAPTIONS_PO)).unwrap();
    let entry = |context: &str| {
        file.entries
            .iter()
            .find(|e| e.context.as_deref() == Some(context))
            .unwrap()
            .clone()
    };
    let new = entry("captions-and-transcripts#terms/paragraph2");
    assert_eq!(
        (new.id.as_str(), new.text.as_str()),
        ("Captions are text.", "")
    );
    let next = entry("captions-and-transcripts#terms/paragraph3");
    assert!(
        next.text.starts_with("Valbar textning") && !next.fuzzy,
        "{next:?}"
    );
    assert!(
        file.entries.iter().all(|e| !e.fuzzy),
        "only a block was added"
    );
    edit_entry(
        &root.join(CAPTIONS_PO),
        "captions-and-transcripts#terms/paragraph2",
        |e| e.text = "Textning är text.".into(),
    );
    ok(root, &["po", "import", "sv"]);
    let made = read(root, CAPTIONS_SV);
    for part in [
        "translators: [Översättningsgruppen för digital pedagogik]\n",
        "Orden blandas ofta ihop, men de betecknar olika saker.\n\nTextning är text.\n\n| begrepp |",
        "\nValbar textning kan tittaren slå på och av, medan fast textning är inbränd i bilden. Valbar",
        "## Känn till begreppen {#terms}\n",
    ] {
        assert!(made.contains(part), "{part} not in\n{made}");
    }
    let current = handbok::translate::fingerprint::of_file(&read(root, source)).unwrap();
    assert!(
        made.contains(&format!("source-hash: {current}\n")),
        "{made}"
    );
    ok(root, &["check"]);
}

#[test]
fn a_stale_translation_is_left_as_it_is_by_an_unchanged_round_trip() {
    let temp = Fixture::sample();
    let root = temp.root.as_path();
    let source = "guidelines/inclusion/captions-and-transcripts.md";
    let text = read(root, source);
    let start = text.find("Closed captions can be switched").unwrap();
    let end = text.find("Remember that for many deaf").unwrap();
    let removed = format!("{}{}", &text[..start], &text[end..]);
    std::fs::write(root.join(source), removed).unwrap();
    let before = read(root, CAPTIONS_SV);
    ok(root, &["po", "export", "sv"]);
    let file = File::parse(&read(root, CAPTIONS_PO)).unwrap();
    assert!(
        file.entries.iter().all(|e| !e.fuzzy && !e.text.is_empty()
            || e.context.as_deref() == Some("captions-and-transcripts/keywords")),
        "a removed block leaves every other entry translated and none fuzzy"
    );
    ok(root, &["po", "import", "sv"]);
    assert_eq!(read(root, CAPTIONS_SV), before);
}

#[test]
fn a_po_file_from_an_older_source_or_another_language_is_refused() {
    let temp = Fixture::sample();
    let root = temp.root.as_path();
    ok(root, &["po", "export", "sv"]);
    edit_entry(
        &root.join(CAPTIONS_PO),
        "captions-and-transcripts#terms",
        |e| e.text = "Lär dig begreppen".into(),
    );
    let before = read_tree(root);
    let source = "guidelines/inclusion/captions-and-transcripts.md";
    let edited = read(root, source).replace("Know the terms", "Know the words");
    std::fs::write(root.join(source), edited).unwrap();
    let out = handbok(root, &["po", "import", "sv"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("changed since this file was exported; run `handbok po export sv`"),
        "{stderr}"
    );
    let sv = root.join("po/sv");
    let out = handbok(root, &["po", "import", "de", sv.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("its `Language` is \"sv\", not `de`"),
        "{stderr}"
    );
    for (path, bytes) in read_tree(root) {
        if path.starts_with("translations/") {
            assert!(before[&path] == bytes, "{path} changed");
        }
    }
}

/// Weblate reads and writes PO with translate-toolkit: files it parses and saves again import
/// without changing a byte, and it sees the same entries handbok wrote.
#[test]
fn translate_toolkit_reads_and_rewrites_the_export_losslessly() {
    const SCRIPT: &str = r#"
import glob, sys
from translate.storage import po
units = fuzzy = 0
for name in sorted(glob.glob(sys.argv[1] + "/**/*.po", recursive=True)):
    store = po.pofile.parsefile(name)
    assert store.getheaderplural()[1], name
    for unit in store.units:
        if not unit.isheader():
            units += 1
            fuzzy += unit.isfuzzy()
    with open(name, "wb") as out:
        out.write(bytes(store))
print(units, fuzzy)
"#;
    let has_toolkit = Command::new("python3")
        .args(["-c", "import translate.storage.po"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_toolkit {
        let message = "translate-toolkit (PyPI) is missing: its reading of PO not checked";
        assert!(
            std::env::var("HANDBOK_BROWSER_TESTS").as_deref() != Ok("required"),
            "{message}"
        );
        eprintln!("skipped: {message}");
        return;
    }
    let temp = Fixture::sample();
    let root = temp.root.as_path();
    let before = read_tree(root);
    let exported = ok(root, &["po", "export", "sv"]);
    let out = Command::new("python3")
        .args(["-c", SCRIPT])
        .arg(root.join("po/sv"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let counts = String::from_utf8_lossy(&out.stdout).trim().to_string();
    // handbok's own summary: "… (N entries, U untranslated, F fuzzy)".
    let (units, fuzzy) = counts.split_once(' ').unwrap();
    assert!(
        exported.contains(&format!("({units} entries,"))
            && exported.contains(&format!("{fuzzy} fuzzy)")),
        "translate-toolkit saw {units} entries, {fuzzy} fuzzy; handbok said: {exported}"
    );
    ok(root, &["po", "import", "sv"]);
    let after: Vec<_> = read_tree(root)
        .into_iter()
        .filter(|(path, _)| !path.starts_with("po/"))
        .collect();
    assert!(
        after == before.into_iter().collect::<Vec<_>>(),
        "a round trip through translate-toolkit changed files"
    );
}
