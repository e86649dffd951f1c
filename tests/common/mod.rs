//! Test harness: run handbok on a fixture project and assert on its diagnostics.
//!
//! ```ignore
//! Fixture::new("links").check().expect("E011", "guidelines/a.md:12:5").no_more();
//! ```
#![allow(dead_code)]

use handbok::diag::Diagnostic;
use handbok::render::BuildOptions;
use handbok::source::Sources;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub struct Fixture {
    pub root: PathBuf,
    /// Keeps a generated project alive for the test's duration.
    _temp: Option<tempfile::TempDir>,
}

impl Fixture {
    /// A project under `tests/fixtures/<name>/`, copied into a temporary folder: outside this
    /// repository's git history, so nothing is inferred from it (translation states), and
    /// free to modify.
    pub fn new(name: &str) -> Self {
        Self::copy(name)
    }

    /// A copy of fixture `name` in a temporary folder, to modify freely.
    pub fn copy(name: &str) -> Self {
        let temp = tempfile::tempdir().expect("temp dir");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name),
            temp.path(),
        );
        Fixture {
            root: temp.path().to_path_buf(),
            _temp: Some(temp),
        }
    }

    /// A copy of the repository's own sample project (book.toml, guidelines/, translations/
    /// and the source store .handbok/), outside its git history.
    pub fn sample() -> Self {
        let fixture = Self::empty();
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in ["guidelines", "translations", ".handbok"] {
            copy_dir(&manifest.join(dir), &fixture.root.join(dir));
        }
        std::fs::copy(manifest.join("book.toml"), fixture.root.join("book.toml")).unwrap();
        fixture
    }

    /// An empty temporary project.
    pub fn empty() -> Self {
        let temp = tempfile::tempdir().expect("temp dir");
        Fixture {
            root: temp.path().to_path_buf(),
            _temp: Some(temp),
        }
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    /// Rewrites a file of the fixture with `change`.
    pub fn edit(&self, rel: &str, change: impl FnOnce(String) -> String) -> &Self {
        let text = std::fs::read_to_string(self.root.join(rel)).unwrap();
        self.write(rel, change(text))
    }

    /// What `handbok check` finds (its analysis leaves the bodies' HTML out and lets go of
    /// the texts it checked).
    pub fn check(&self) -> Checked {
        Checked::of(handbok::analyze_with(
            &self.root,
            handbok::check::Bodies::LintOnly,
            handbok::analysis::Texts::LetGo,
        ))
    }
}

impl Fixture {
    /// Builds the project into a temporary folder and reads the site back; fails the test
    /// (with every diagnostic) if the build does not succeed.
    #[track_caller]
    pub fn build(&self, options: &BuildOptions) -> Site {
        let temp = tempfile::tempdir().expect("temp dir");
        let out = temp.path().join("site");
        let (project, stats) = handbok::build::build(&self.root, Some(&out), options);
        let problems: Vec<String> = project
            .diags
            .iter()
            .map(|d| handbok::report::human(&project.sources, d, false))
            .collect();
        assert!(
            stats.is_some() && !project.diags.has_errors(),
            "build failed:\n{}",
            problems.join("")
        );
        Site {
            files: read_tree(&out),
            out,
            _temp: temp,
        }
    }
}

/// Every diagnostic of `project` as `handbok check` prints it (without colour).
pub fn shown(project: &handbok::Project) -> Vec<String> {
    project
        .diags
        .iter()
        .map(|d| handbok::report::human(&project.sources, d, false))
        .collect()
}

/// Runs the `handbok` binary on the project at `root` (plain output: no colour).
pub fn handbok(root: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_handbok"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run handbok")
}

/// Runs the binary and asserts that it succeeded.
#[track_caller]
pub fn handbok_ok(root: &Path, args: &[&str]) -> std::process::Output {
    let out = handbok(root, args);
    assert!(
        out.status.success(),
        "handbok {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A built site, read back: every file's bytes by `/`-separated path.
pub struct Site {
    pub files: BTreeMap<String, Vec<u8>>,
    pub out: PathBuf,
    _temp: tempfile::TempDir,
}

impl Site {
    /// A file's text.
    #[track_caller]
    pub fn text(&self, path: &str) -> &str {
        let bytes = self
            .files
            .get(path)
            .unwrap_or_else(|| panic!("no {path} in the site"));
        std::str::from_utf8(bytes).expect("UTF-8")
    }

    /// A page, parsed.
    #[track_caller]
    pub fn html(&self, path: &str) -> scraper::Html {
        scraper::Html::parse_document(self.text(path))
    }

    pub fn pages(&self) -> impl Iterator<Item = &String> {
        self.files.keys().filter(|p| p.ends_with(".html"))
    }
}

/// Every file below `dir`, by `/`-separated relative path.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A diagnostic reduced to what tests compare.
#[derive(Debug, Clone)]
pub struct Found {
    pub code: &'static str,
    /// `file:line:col`, or `-` without a place.
    pub place: String,
    pub message: String,
    pub help: Option<String>,
}

impl Found {
    fn new(sources: &Sources, d: &Diagnostic) -> Self {
        let place = match &d.primary {
            Some(p) => {
                let f = sources.get(p.file);
                let at = f.line_col(p.span.start);
                format!("{}:{}:{}", f.name, at.line, at.column)
            }
            None => "-".into(),
        };
        Found {
            code: d.code.as_str(),
            place,
            message: d.message.clone(),
            help: d.help.clone(),
        }
    }
}

pub struct Checked {
    pub found: Vec<Found>,
    pub project: handbok::Project,
}

impl Checked {
    /// The diagnostics of a project analyzed (or built, or exported) by the caller.
    pub fn of(project: handbok::Project) -> Self {
        let found = project
            .diags
            .iter()
            .map(|d| Found::new(&project.sources, d))
            .collect();
        Checked { found, project }
    }

    /// Asserts a diagnostic with `code` at `place` and removes it from the list.
    #[track_caller]
    pub fn expect(&mut self, code: &str, place: &str) -> &mut Self {
        self.expect_with(code, place, "")
    }

    /// As `expect`, and the message or help contains `text`.
    #[track_caller]
    pub fn expect_with(&mut self, code: &str, place: &str, text: &str) -> &mut Self {
        let at = self.found.iter().position(|f| {
            f.code == code
                && f.place == place
                && (f.message.contains(text) || f.help.as_deref().is_some_and(|h| h.contains(text)))
        });
        match at {
            Some(i) => {
                self.found.remove(i);
            }
            None => panic!(
                "expected {code} at {place} mentioning {text:?}; found:\n{}",
                self.dump()
            ),
        }
        self
    }

    /// Asserts that every diagnostic has been expected.
    #[track_caller]
    pub fn no_more(&mut self) {
        assert!(
            self.found.is_empty(),
            "unexpected diagnostics:\n{}",
            self.dump()
        );
    }

    pub fn dump(&self) -> String {
        self.found
            .iter()
            .map(|f| {
                format!(
                    "  {} {} {} (help: {})",
                    f.code,
                    f.place,
                    f.message,
                    f.help.as_deref().unwrap_or("-")
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}
