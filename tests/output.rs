//! The output can never be the sources, and the swap of old and new output leaves no moment
//! without a complete site: output guards for `build` and `export mdbook`, the theme check, and
//! the real binary killed (SIGKILL, SIGTERM) while it writes.

mod common;
use common::{Checked, Fixture};
use handbok::render::BuildOptions;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A small published project: one language, two modules, one image.
fn small() -> Fixture {
    let fixture = Fixture::empty();
    fixture
        .write(
            "book.toml",
            "[book]\ntitle = \"Small\"\n\n[handbok]\nlanguages = [\"en\", \"sv\"]\n",
        )
        .write(
            "guidelines/a.md",
            "---\nid: a\ntitle: A module\nsummary: The first.\nlevels: [primary]\n\
             subjects: [mathematics]\nstatus: published\n---\n\n## Start\n\n\
             See [](guide:b).\n\n![A chart](media/chart.svg)\n",
        )
        .write(
            "guidelines/b.md",
            "---\nid: b\ntitle: B module\nsummary: The second.\nlevels: [primary]\n\
             subjects: [mathematics]\nstatus: published\n---\n\n## Start\n\nText.\n",
        )
        .write(
            "guidelines/media/chart.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .write(
            "translations/sv/b.md",
            "---\nid: b\ntitle: B-modul\nsummary: Den andra.\n---\n\n## Start\n\nText.\n",
        );
    fixture
}

/// Every file below `dir`, as `/`-separated relative paths.
fn tree(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

fn set_theme(fixture: &Fixture, theme: &str) {
    fixture.edit("book.toml", |t| {
        t.replace("[handbok]\n", &format!("[handbok]\ntheme = {theme:?}\n"))
    });
}

/// The diagnostics of a build, for the `expect` chain.
fn build(fixture: &Fixture, out: Option<&Path>) -> Checked {
    let (project, _) = handbok::build::build(&fixture.root, out, &BuildOptions::default());
    Checked::of(project)
}

fn set_build_dir(fixture: &Fixture, dir: &str) {
    fixture.edit("book.toml", |t| {
        format!("{t}\n[build]\nbuild-dir = {dir:?}\n")
    });
}

/// A `build-dir` that overlaps the sources is refused at its place in book.toml, marked or not,
/// and nothing of the project is touched.
#[test]
fn build_refuses_an_output_that_overlaps_the_sources() {
    let cases = [
        ("guidelines", "is the project's guidelines folder"),
        (".", "is the project folder itself"),
        ("..", "contains the project"),
        (
            "translations/sv",
            "lies inside the project's translations folder",
        ),
        ("theme", "is the project's theme folder `theme`"),
        (
            "theme/out",
            "lies inside the project's theme folder `theme`",
        ),
    ];
    for (dir, want) in cases {
        let fixture = small();
        set_theme(&fixture, "theme");
        fixture.write("theme/style.css", "body {}");
        set_build_dir(&fixture, dir);
        // The stray marker of issue 7: a marked source folder is still a source folder.
        fixture.write("guidelines/.handbok-output", "");
        fixture.write("translations/sv/.handbok-output", "");
        let before = tree(&fixture.root);
        let book_toml = std::fs::read_to_string(fixture.root.join("book.toml")).unwrap();
        let line = book_toml.lines().count();
        build(&fixture, None)
            .expect_with("E033", &format!("book.toml:{line}:13"), want)
            .no_more();
        assert_eq!(tree(&fixture.root), before, "{dir}: nothing touched");
    }
}

/// `--out` is checked alike (no place in book.toml), also through a symbolic link.
#[cfg(unix)]
#[test]
fn build_refuses_a_symlink_into_the_sources() {
    let fixture = small();
    let outside = tempfile::tempdir().unwrap();
    let link = outside.path().join("site");
    std::os::unix::fs::symlink(fixture.root.join("guidelines"), &link).unwrap();
    let before = tree(&fixture.root);
    let mut checked = build(&fixture, Some(&link));
    let found = &checked.found[0];
    assert_eq!(
        found.help.as_deref().map(|h| h.contains("such as `book`")),
        Some(true)
    );
    checked
        .expect_with("E033", "-", "is the project's guidelines folder")
        .no_more();
    // And a folder that does not exist yet behind the link.
    build(&fixture, Some(&link.join("new/../deeper")))
        .expect_with("E033", "-", "lies inside the project's guidelines folder")
        .no_more();
    assert_eq!(tree(&fixture.root), before);
}

#[test]
fn the_default_output_inside_the_project_is_fine() {
    let fixture = small();
    build(&fixture, None).no_more();
    assert!(fixture.root.join("book/index.html").is_file());
    assert!(fixture.root.join("book/.handbok-output").is_file());
    build(&fixture, None).no_more();
}

#[test]
fn a_missing_theme_or_one_outside_the_project_is_an_error() {
    let fixture = small();
    set_theme(&fixture, "theme");
    fixture
        .check()
        .expect_with(
            "E032",
            "book.toml:5:9",
            "the theme folder `theme`: no such file",
        )
        .no_more();

    let outside = tempfile::tempdir().unwrap();
    for theme in ["..", ".", outside.path().to_str().unwrap()] {
        let fixture = small();
        set_theme(&fixture, theme);
        fixture
            .check()
            .expect_with("E032", "book.toml:5:9", "lies outside the project")
            .no_more();
    }
    #[cfg(unix)]
    {
        let fixture = small();
        std::os::unix::fs::symlink(outside.path(), fixture.root.join("theme")).unwrap();
        set_theme(&fixture, "theme");
        fixture
            .check()
            .expect_with("E032", "book.toml:5:9", "lies outside the project")
            .no_more();
    }
}

fn export(fixture: &Fixture, dir: &Path) -> (Checked, Option<usize>) {
    let (project, chapters) = handbok::export::mdbook(&fixture.root, "all", None, dir);
    (Checked::of(project), chapters)
}

fn with_handbook(fixture: Fixture) -> Fixture {
    fixture.edit("book.toml", |t| {
        format!(
            "{t}\n[[handbok.handbook]]\nid = \"all\"\ntitle = \"All\"\nlevels = [\"primary\"]\n"
        )
    });
    fixture
}

/// Today's bug: `export mdbook` into the project overwrote its book.toml.
#[test]
fn export_refuses_the_project_and_its_sources() {
    let fixture = with_handbook(small());
    let before = tree(&fixture.root);
    let book_toml = std::fs::read(fixture.root.join("book.toml")).unwrap();
    for (dir, want) in [
        ("", "is the project folder itself"),
        ("guidelines", "is the project's guidelines folder"),
        (
            "guidelines/export",
            "lies inside the project's guidelines folder",
        ),
    ] {
        let (mut checked, chapters) = export(&fixture, &fixture.root.join(dir));
        checked.expect_with("E033", "-", want).no_more();
        assert_eq!(chapters, None);
    }
    assert_eq!(
        std::fs::read(fixture.root.join("book.toml")).unwrap(),
        book_toml
    );
    assert_eq!(tree(&fixture.root), before);
}

#[test]
fn export_writes_a_fresh_folder_and_replaces_its_own_output_only() {
    let fixture = with_handbook(small());
    let out = fixture.root.join("export");
    let (mut checked, chapters) = export(&fixture, &out);
    checked.no_more();
    assert_eq!(chapters, Some(2));
    let files = tree(&out);
    for want in [
        ".handbok-output",
        "book.toml",
        "src/SUMMARY.md",
        "src/a.md",
        "src/b.md",
    ] {
        assert!(files.contains(want), "{want} in {files:?}");
    }
    // Its own (marked) output is replaced whole: a stale chapter disappears.
    std::fs::write(out.join("src/stale.md"), "old").unwrap();
    let (mut checked, _) = export(&fixture, &out);
    checked.no_more();
    assert_eq!(tree(&out), files);
    // A folder it did not write is left alone.
    let foreign = fixture.root.join("notes");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("book.toml"), "mine").unwrap();
    let (mut checked, _) = export(&fixture, &foreign);
    checked
        .expect_with("E033", "-", "was not written by handbok")
        .no_more();
    assert_eq!(std::fs::read(foreign.join("book.toml")).unwrap(), b"mine");
}

/// The real binary, building `root` into `out`.
fn handbok(root: &Path, out: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_handbok"));
    command
        .arg("--root")
        .arg(root)
        .arg("--quiet")
        .arg("build")
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// Folders beside `out` other than `out` itself: what killed builds left.
fn leftovers(out: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p != out)
        .collect()
}

/// Issue 7: "a kill between the two renames leaves none" and "40 kills left 26 staging
/// folders". Builds are killed at delays spread over a whole build; after every kill the
/// output is a complete site, and the next finished build removes every leftover.
#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_leaves_a_complete_site() {
    let fixture = small();
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("site");
    let started = Instant::now();
    assert!(handbok(&fixture.root, &out).status().unwrap().success());
    let took = started.elapsed();
    let complete = tree(&out);
    assert!(complete.contains("index.html") && complete.contains(".handbok-output"));

    const KILLS: u32 = 30;
    let mut mid_write = 0;
    for i in 0..KILLS {
        let mut child = handbok(&fixture.root, &out).spawn().unwrap();
        // From right after the start to just past a whole build.
        std::thread::sleep(took * (i + 1) / KILLS + Duration::from_micros(137 * u64::from(i)));
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(
            tree(&out),
            complete,
            "after kill {i} (at {:?})",
            started.elapsed()
        );
        mid_write += usize::from(!leftovers(&out).is_empty());
    }
    // Some kills hit a build while it wrote (others before it began, or after it finished).
    assert!(mid_write > 0, "no kill landed while a build was writing");
    assert!(handbok(&fixture.root, &out).status().unwrap().success());
    assert_eq!(tree(&out), complete);
    assert_eq!(leftovers(&out), Vec::<PathBuf>::new());
}

/// Two builds of one output at once take turns: neither removes the other's staging folder
/// as a leftover, both succeed, and one complete site remains.
#[cfg(unix)]
#[test]
fn concurrent_builds_of_one_output_both_succeed() {
    let fixture = small();
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("site");
    for _ in 0..4 {
        let mut builds: Vec<_> = (0..2)
            .map(|_| handbok(&fixture.root, &out).spawn().unwrap())
            .collect();
        for build in &mut builds {
            assert!(build.wait().unwrap().success());
        }
        assert!(out.join("index.html").is_file());
        assert_eq!(leftovers(&out), Vec::<PathBuf>::new());
    }
}

/// SIGTERM and SIGINT sent while the staging folder is being filled remove it before the
/// process exits with 128 + the signal's number.
#[cfg(unix)]
#[test]
fn a_terminated_build_removes_its_staging_folder() {
    let fixture = small();
    // Enough pages that the build is still writing when the signal comes.
    for i in 0..300 {
        fixture.write(
            &format!("guidelines/m{i}.md"),
            format!(
                "---\nid: m{i}\ntitle: Module {i}\nsummary: Number {i}.\nlevels: [primary]\n\
                 subjects: [mathematics]\nstatus: published\n---\n\n## Start\n\n{}\n",
                "Some words to index. ".repeat(50)
            ),
        );
    }
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("site");
    for (signal, code, after) in [("TERM", 143, 0), ("TERM", 143, 50), ("INT", 130, 20)] {
        let mut child = handbok(&fixture.root, &out).spawn().unwrap();
        // Signal once the staging folder exists (and `after` ms into filling it).
        let waiting = Instant::now();
        while leftovers(&out).is_empty() {
            assert!(
                waiting.elapsed() < Duration::from_secs(10),
                "no staging folder"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_millis(after));
        let _ = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status();
        let status = child.wait().unwrap();
        assert_eq!(
            status.code(),
            Some(code),
            "SIG{signal} {after} ms into writing"
        );
        assert_eq!(leftovers(&out), Vec::<PathBuf>::new(), "after SIG{signal}");
        assert!(!out.exists(), "no output was swapped in");
    }
}

/// Issue 11: a rebuild writes only what changed. After editing one module's summary, its
/// pages get new files while every page whose bytes did not change keeps its inode and mtime
/// (so `rsync` and CDN uploads send only what changed), and no old output is left beside.
#[cfg(unix)]
#[test]
fn a_rebuild_keeps_the_files_whose_bytes_did_not_change() {
    use std::os::unix::fs::MetadataExt;
    let fixture = small();
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("site");
    assert!(handbok(&fixture.root, &out).status().unwrap().success());
    let stamp = |dir: &Path| -> BTreeMap<String, (u64, i64, i64, Vec<u8>)> {
        tree(dir)
            .into_iter()
            .filter(|f| f != ".handbok-output")
            .map(|f| {
                let meta = std::fs::metadata(dir.join(&f)).unwrap();
                let bytes = std::fs::read(dir.join(&f)).unwrap();
                (f, (meta.ino(), meta.mtime(), meta.mtime_nsec(), bytes))
            })
            .collect()
    };
    let before = stamp(&out);
    std::thread::sleep(Duration::from_millis(20));
    fixture.edit("guidelines/b.md", |t| {
        t.replace("The second.", "The second, edited.")
    });
    assert!(handbok(&fixture.root, &out).status().unwrap().success());
    let after = stamp(&out);
    let mut kept = 0;
    // (A new word may add a search shard.)
    for (file, now) in &after {
        let Some(then) = before.get(file) else {
            continue;
        };
        if now.3 == then.3 {
            let identity = |s: &(u64, i64, i64, Vec<u8>)| (s.0, s.1, s.2);
            assert_eq!(
                identity(now),
                identity(then),
                "{file} unchanged but rewritten"
            );
            kept += 1;
        } else {
            assert_ne!(now.0, then.0, "{file} changed in place");
        }
    }
    assert!(after["en/modules/b.html"].3 != before["en/modules/b.html"].3);
    assert!(
        kept > after.len() / 3,
        "only {kept} of {} kept",
        after.len()
    );
    assert_eq!(leftovers(&out), Vec::<PathBuf>::new());
}
