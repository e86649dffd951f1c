//! Earlier states of source modules: the project's git history (through the `git` command line)
//! and handbok's own store of source versions, `.handbok/sources/<hex>.md`.
//!
//! The store holds a copy of a source file as it was when a translation recorded its
//! fingerprint (`translate new`, `translate done`), named by that fingerprint, so
//! `translate diff` works without git and after history is rewritten. It is meant to be
//! committed; files are never changed once written.

use super::fingerprint;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The store's folder, relative to the project root.
pub const STORE: &str = ".handbok/sources";

/// The file in the store for `fingerprint` (`sha256:0123…` → `.handbok/sources/0123….md`).
pub fn store_path(root: &Path, fingerprint: &str) -> Option<PathBuf> {
    fingerprint::problem(fingerprint).is_none().then(|| {
        let hex = fingerprint.trim_start_matches(fingerprint::PREFIX);
        root.join(STORE).join(format!("{hex}.md"))
    })
}

/// The source text stored for `fingerprint`, if the store has it.
pub fn stored(root: &Path, fingerprint: &str) -> Option<String> {
    std::fs::read_to_string(store_path(root, fingerprint)?).ok()
}

/// Every fingerprint the store holds.
pub fn stored_fingerprints(root: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root.join(STORE)) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let hex = name.strip_suffix(".md")?;
            let fp = format!("{}{hex}", fingerprint::PREFIX);
            fingerprint::problem(&fp).is_none().then_some(fp)
        })
        .collect()
}

/// Keeps `text` (a source file whose fingerprint is `fingerprint`) in the store, unless it
/// already holds that fingerprint.
pub fn store(root: &Path, fingerprint: &str, text: &str) -> std::io::Result<()> {
    let Some(path) = store_path(root, fingerprint) else {
        return Ok(());
    };
    if path.exists() {
        return Ok(());
    }
    super::files::write_atomic(&path, text.as_bytes())
}

/// The project's git history, when the project is inside a git work tree.
pub struct Git {
    root: PathBuf,
    /// The project folder's path inside the repository (`""` or `docs/handbook/`).
    prefix: String,
    /// The time (seconds since 1970) of the last commit that touched each project-relative path.
    last_change: HashMap<String, i64>,
}

impl Git {
    /// Reads the history of `guidelines/` and `translations/` in one `git log` pass. `None`
    /// when `root` is not in a git work tree or `git` cannot run.
    pub fn open(root: &Path) -> Option<Git> {
        let prefix = git(root, &["rev-parse", "--show-prefix"])?;
        let prefix = prefix.trim().to_string();
        let log = git(
            root,
            &[
                "log",
                "--format=%x01%ct",
                "--name-only",
                "--no-renames",
                "--",
                "guidelines",
                "translations",
            ],
        )?;
        let mut last_change = HashMap::new();
        let mut time = 0i64;
        for line in log.lines() {
            if let Some(t) = line.strip_prefix('\u{1}') {
                time = t.trim().parse().unwrap_or(0);
            } else if let Some(path) = line.strip_prefix(prefix.as_str())
                && !path.is_empty()
            {
                // The log is newest first: the first time a path shows is its last change.
                last_change.entry(path.to_string()).or_insert(time);
            }
        }
        Some(Git {
            root: root.to_path_buf(),
            prefix,
            last_change,
        })
    }

    /// When `path` (project-relative) was last committed, if ever.
    pub fn last_change(&self, path: &str) -> Option<i64> {
        self.last_change.get(path).copied()
    }

    /// The committed versions of `path` (project-relative), newest first, as (commit, text).
    pub fn versions(&self, path: &str) -> Vec<(String, String)> {
        let full = format!("{}{path}", self.prefix);
        let Some(revs) = git(
            &self.root,
            &["log", "--format=%H", "--no-renames", "--", path],
        ) else {
            return Vec::new();
        };
        revs.lines()
            .filter_map(|rev| {
                let text = git(&self.root, &["show", &format!("{rev}:{full}")])?;
                Some((rev.to_string(), text))
            })
            .collect()
    }
}

/// Runs `git -C root ARGS`, returning its standard output if it succeeded.
fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
