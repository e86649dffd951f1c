//! Issue 7, "only the project's own files, only what is used": symbolic links that lead outside
//! the project (E037), media names that are not UTF-8 (E038), only referenced media published;
//! and `#fragment`s that match a heading only ignoring letter case (W012) or are empty.

mod common;
use common::Fixture;
use handbok::render::BuildOptions;
use scraper::{Html, Selector};
use std::collections::BTreeSet;
use std::path::Path;

/// Builds `fixture` into a temporary folder; returns the site's files (empty if nothing was
/// written) and the diagnostics as `CODE place` lines.
struct Built {
    files: BTreeSet<String>,
    out: std::path::PathBuf,
    errors: bool,
    _temp: tempfile::TempDir,
}

fn build(fixture: &Fixture, options: &BuildOptions) -> Built {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("site");
    let (project, stats) = handbok::build::build(&fixture.root, Some(&out), options);
    let files = if stats.is_some() {
        walkdir::WalkDir::new(&out)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&out)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect()
    } else {
        BTreeSet::new()
    };
    Built {
        files,
        out,
        errors: project.diags.has_errors(),
        _temp: temp,
    }
}

fn drafts() -> BuildOptions {
    BuildOptions {
        drafts: true,
        ..Default::default()
    }
}

fn page(built: &Built, path: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(built.out.join(path)).unwrap())
}

fn hrefs(html: &Html, selector: &str) -> Vec<String> {
    html.select(&Selector::parse(selector).unwrap())
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect()
}

/// A folder outside the project with something private in it.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("id_ed25519"), "PRIVATE KEY").unwrap();
    std::fs::write(dir.path().join("passwd"), "root:x:0:0").unwrap();
    dir
}

#[cfg(unix)]
#[test]
fn issue_7_symlinks_outside_the_project_are_errors_and_never_published() {
    use std::os::unix::fs::symlink;
    let secrets = outside();
    let fixture = Fixture::copy("valid");
    let media = fixture.root.join("guidelines/media");
    symlink(secrets.path().join("passwd"), media.join("passwd.txt")).unwrap();
    symlink(secrets.path(), fixture.root.join("guidelines/ssh")).unwrap();
    symlink("/proc/self/environ", media.join("environ.txt")).unwrap();
    std::fs::create_dir(fixture.root.join(".git")).unwrap();
    std::fs::write(fixture.root.join(".git/config"), "extraheader = token").unwrap();
    symlink("../../.git/config", media.join("config.txt")).unwrap();
    // A link to the outside file is then a missing file, not a way to publish it.
    fixture.edit("guidelines/school/alpha.md", |t| {
        t.replace("Done.", "Done, [see](../media/passwd.txt).")
    });
    let mut checked = fixture.check();
    checked
        .expect_with(
            "E037",
            "guidelines/media/environ.txt:1:1",
            "leads outside the project",
        )
        .expect_with(
            "E037",
            "guidelines/media/config.txt:1:1",
            "leads to `.git/config`, a hidden file or folder of the project",
        )
        .expect("E037", "guidelines/media/passwd.txt:1:1")
        .expect_with(
            "E037",
            "guidelines/ssh/:1:1",
            "copy the file into the project",
        )
        .expect_with("E014", "guidelines/school/alpha.md:31:7", "passwd.txt")
        .no_more();
    let media = &checked.project.loaded.as_ref().unwrap().media;
    assert!(
        media
            .iter()
            .all(|m| !m.contains("passwd") && !m.contains("environ") && !m.contains("ssh")),
        "{media:?}"
    );
    let built = build(&fixture, &drafts());
    assert!(
        built.errors && built.files.is_empty(),
        "the build must stop"
    );
}

#[cfg(unix)]
#[test]
fn a_guidelines_folder_linked_outside_is_not_read() {
    let secrets = outside();
    std::fs::write(
        secrets.path().join("m.md"),
        "---\nid: m\ntitle: M\nsummary: S\nlevels: [primary]\nsubjects: [arts]\n---\n\nText.\n",
    )
    .unwrap();
    let fixture = Fixture::copy("valid");
    std::fs::remove_dir_all(fixture.root.join("guidelines")).unwrap();
    std::fs::remove_dir_all(fixture.root.join("translations")).unwrap();
    std::os::unix::fs::symlink(secrets.path(), fixture.root.join("guidelines")).unwrap();
    let mut checked = fixture.check();
    checked.expect("E037", "guidelines/:1:1");
    // Nothing was read from it (the handbook queries then select nothing).
    let data = checked.project.loaded.as_ref().unwrap();
    assert!(data.graph.modules.is_empty() && data.media.is_empty());
}

#[cfg(unix)]
#[test]
fn symlinks_inside_the_project_still_work() {
    use std::os::unix::fs::symlink;
    let fixture = Fixture::copy("valid");
    symlink("chart.svg", fixture.root.join("guidelines/media/alias.svg")).unwrap();
    symlink("media", fixture.root.join("guidelines/linked")).unwrap();
    fixture.edit("guidelines/school/alpha.md", |t| {
        t.replace(
            "Done.",
            "Done. ![The chart again](../media/alias.svg) ![The chart once more](../linked/chart.svg)",
        )
    });
    fixture.check().no_more();
    let built = build(&fixture, &drafts());
    assert!(!built.errors);
    for file in ["media/media/alias.svg", "media/linked/chart.svg"] {
        assert!(built.files.contains(file), "{file} in {:?}", built.files);
    }
}

#[cfg(unix)]
#[test]
fn a_language_folder_linked_outside_is_not_read() {
    use std::os::unix::fs::symlink;
    let secrets = outside();
    let fixture = Fixture::copy("valid");
    std::fs::remove_dir_all(fixture.root.join("translations/de")).unwrap();
    symlink(secrets.path(), fixture.root.join("translations/de")).unwrap();
    symlink(
        secrets.path().join("passwd"),
        fixture.root.join("translations/sv/media/passwd.png"),
    )
    .unwrap();
    fixture
        .check()
        .expect("E037", "translations/de/:1:1")
        .expect("E037", "translations/sv/media/passwd.png:1:1")
        .no_more();
    // Under translations/ the problem does not block the build, and nothing of it is published.
    let built = build(&fixture, &drafts());
    assert!(!built.errors);
    assert!(built.files.contains("de/modules/alpha.html"));
    assert!(
        built
            .files
            .iter()
            .all(|f| !f.contains("passwd") && !f.contains("id_ed25519")),
        "{:?}",
        built.files
    );
}

#[cfg(target_os = "linux")]
#[test]
fn issue_7_a_media_name_that_is_not_utf8_is_a_check_error() {
    use std::os::unix::ffi::OsStrExt;
    let fixture = Fixture::copy("valid");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.png");
    std::fs::write(fixture.root.join("guidelines/media").join(name), "png").unwrap();
    std::fs::create_dir(fixture.root.join("guidelines").join(name)).unwrap();
    std::fs::write(
        fixture.root.join("guidelines").join(name).join("x.md"),
        "never read",
    )
    .unwrap();
    fixture
        .check()
        .expect_with(
            "E038",
            "guidelines/caf\u{FFFD}.png/:1:1",
            "folder name `guidelines/caf\u{FFFD}.png/` is not valid UTF-8",
        )
        .expect_with(
            "E038",
            "guidelines/media/caf\u{FFFD}.png:1:1",
            "rename the file",
        )
        .no_more();
    // In a translation it is a warning for `build`, and the file is left out.
    let fixture = Fixture::copy("valid");
    std::fs::write(fixture.root.join("translations/sv/media").join(name), "png").unwrap();
    fixture
        .check()
        .expect("E038", "translations/sv/media/caf\u{FFFD}.png:1:1")
        .no_more();
    let built = build(&fixture, &drafts());
    assert!(!built.errors);
    assert!(built.files.iter().all(|f| !f.contains("caf")));
}

#[test]
fn issue_7_only_referenced_media_are_published() {
    let fixture = Fixture::copy("valid");
    fixture
        .write("guidelines/media/unused.png", "png")
        .write("guidelines/private/notes.txt", "not for the site")
        .write("translations/sv/media/unused.png", "png")
        .write("guidelines/media/draft-only.pdf", "pdf")
        .edit("guidelines/school/beta.md", |t| {
            t.replace("Text.", "Text, [a sheet](../media/draft-only.pdf).")
        });
    fixture.check().no_more();
    let built = build(&fixture, &drafts());
    assert!(!built.errors);
    let media: BTreeSet<&str> = built
        .files
        .iter()
        .map(String::as_str)
        .filter(|f| f.contains("media/"))
        .collect();
    assert_eq!(
        media,
        BTreeSet::from([
            "media/media/chart.svg",
            "media/media/draft-only.pdf",
            "media/media/sheet.pdf",
            "sv/media/media/chart.svg",
        ])
    );

    // Without --drafts, what only a draft uses stays unpublished too. (alpha links to the draft
    // beta, so make beta the only draft that references anything.)
    fixture.edit("guidelines/school/alpha.md", |t| {
        t.replace("Read [](guide:beta), [the beta details](guide:beta#details), [beta by path](beta.md#details),", "Read")
    });
    fixture.edit("translations/sv/school/alpha.md", |t| {
        t.replace(
            "[](guide:beta), [detaljerna om beta](guide:beta#details) och ",
            "",
        )
    });
    fixture.edit("translations/de/school/alpha.md", |t| {
        t.replace(
            "[](guide:beta) und [die Details zu Beta](guide:beta#details)",
            "nichts",
        )
    });
    let built = build(&fixture, &BuildOptions::default());
    assert!(!built.errors);
    assert!(built.files.contains("media/media/sheet.pdf"));
    assert!(!built.files.contains("media/media/draft-only.pdf"));
}

#[test]
fn issue_7_fragments_ignore_letter_case_with_a_warning() {
    let fixture = Fixture::copy("valid");
    fixture.write(
        "guidelines/school/alpha.md",
        "---
id: alpha
title: Alpha module
summary: The first module.
levels: [primary]
subjects: [mathematics]
---

## Start {#start}

[Down](#End), [top](#), [beta](guide:beta#Details), [path](beta.md#DETAILS), [beta top](guide:beta#).

## The end {#end}

Done.
",
    );
    fixture
        .check()
        .expect_with(
            "W012",
            "guidelines/school/alpha.md:11:1",
            "this document has no heading `#End`, only `#end`",
        )
        .expect_with(
            "W012",
            "guidelines/school/alpha.md:11:25",
            "module `beta` has no heading `#Details`",
        )
        .expect_with(
            "W012",
            "guidelines/school/alpha.md:11:53",
            "module `beta` has no heading `#DETAILS`",
        )
        .no_more();
    let built = build(&fixture, &drafts());
    assert!(!built.errors);
    let html = page(&built, "en/modules/alpha.html");
    let last = |h: String| h.rsplit('/').next().unwrap_or_default().to_string();
    assert_eq!(
        hrefs(&html, ".content a")
            .into_iter()
            .map(last)
            .collect::<Vec<_>>(),
        [
            "#end",
            "#",
            "beta.html#details",
            "beta.html#details",
            "beta.html"
        ]
    );
}

#[test]
fn a_missing_heading_is_still_an_error() {
    let fixture = Fixture::copy("valid");
    fixture.edit("guidelines/school/alpha.md", |t| {
        t.replace("(#end)", "(#ending)")
    });
    fixture
        .check()
        .expect_with("E012", "guidelines/school/alpha.md:21:41", "#ending")
        .no_more();
}

#[test]
fn media_outside_guidelines_is_never_found() {
    // `../../book.toml` from a module climbs out of guidelines/: E014, as before.
    let fixture = Fixture::copy("valid");
    fixture.edit("guidelines/school/alpha.md", |t| {
        t.replace("Done.", "[config](../../book.toml)")
    });
    let mut checked = fixture.check();
    checked
        .expect_with("E014", "guidelines/school/alpha.md:31:1", "outside")
        .no_more();
    assert!(Path::new(&fixture.root.join("book.toml")).exists());
}
