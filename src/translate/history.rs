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

/// A committed version of a file.
#[derive(Clone)]
pub struct Version {
    /// The commit's id.
    pub commit: String,
    pub text: String,
}

/// The project's git history, when the project is inside a git work tree: read in one
/// `git log` pass, and old texts fetched in one `git cat-file` per batch of look-ups. (A
/// process per look-up was 1 + one per version of each source: five on the sample, hundreds on
/// a real history with many stale translations.)
pub struct Git {
    root: PathBuf,
    /// Every commit that changed a file under `guidelines/` or `translations/`, newest first:
    /// its id and time (seconds since 1970).
    commits: Vec<(String, i64)>,
    /// Project-relative path → the commits (indexes into `commits`) that changed it, newest
    /// first.
    changed: HashMap<String, Vec<u32>>,
}

impl Git {
    /// Reads the history of `guidelines/` and `translations/` in one `git log` pass. `None`
    /// when `root` is not in a git work tree or `git` cannot run.
    ///
    /// Paths come relative to the project (`--relative`, when it is a folder of a larger
    /// repository) and unquoted (`core.quotePath`: git writes a path with letters beyond ASCII
    /// as an escaped string otherwise). A merge lists the files it changed against every
    /// parent (`--cc`): a conflict resolved by hand is a version of its own.
    pub fn open(root: &Path) -> Option<Git> {
        let log = git(
            root,
            &[
                "-c",
                "core.quotePath=false",
                "log",
                "--format=%x01%H %ct",
                "--name-only",
                "--cc",
                "--no-renames",
                "--relative",
                "--",
                "guidelines",
                "translations",
            ],
        )?;
        let mut commits: Vec<(String, i64)> = Vec::new();
        let mut changed: HashMap<String, Vec<u32>> = HashMap::new();
        for line in log.lines() {
            if let Some(head) = line.strip_prefix('\u{1}') {
                let (id, time) = head.split_once(' ').unwrap_or((head, ""));
                commits.push((id.to_string(), time.trim().parse().unwrap_or(0)));
            } else if !line.is_empty()
                && let Some(last) = commits.len().checked_sub(1)
            {
                let list = changed.entry(line.to_string()).or_default();
                // `--cc` may name a path twice for one merge.
                if list.last() != Some(&(last as u32)) {
                    list.push(last as u32);
                }
            }
        }
        Some(Git {
            root: root.to_path_buf(),
            commits,
            changed,
        })
    }

    /// When `path` (project-relative) was last committed, if ever. (The log is newest first:
    /// a path's first commit in it is its last change.)
    pub fn last_change(&self, path: &str) -> Option<i64> {
        let first = *self.changed.get(path)?.first()?;
        Some(self.commits[first as usize].1)
    }

    /// The committed versions of each of `paths` (project-relative, each once), newest first,
    /// given to `each` path by path; one `git cat-file --batch` for all.
    pub fn versions(&self, paths: &[&str], each: &mut dyn FnMut(&str, Vec<Version>)) {
        let wanted: Vec<(&str, &str)> = paths
            .iter()
            // A name with a line break cannot be asked for on cat-file's input (and is no
            // module's).
            .filter(|path| !path.contains('\n'))
            .flat_map(|&path| {
                let revs = self
                    .changed
                    .get(path)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                revs.iter()
                    .map(move |&c| (path, self.commits[c as usize].0.as_str()))
            })
            .collect();
        let mut texts = if wanted.is_empty() {
            Vec::new()
        } else {
            // `rev:./path` is relative to the folder git runs in: the project's.
            let input: String = wanted
                .iter()
                .map(|(path, rev)| format!("{rev}:./{path}\n"))
                .collect();
            cat_files(&self.root, &input, wanted.len())
        }
        .into_iter();
        let mut at = 0;
        for &path in paths {
            let mut found = Vec::new();
            while at < wanted.len() && wanted[at].0 == path {
                if let Some(Some(text)) = texts.next() {
                    found.push(Version {
                        commit: wanted[at].1.to_string(),
                        text,
                    });
                }
                at += 1;
            }
            each(path, found);
        }
    }
}

/// The blobs that `git cat-file --batch` gives for `input` (one object name a line, `count`
/// lines) in `root`: `None` for each that is missing or not text.
fn cat_files(root: &Path, input: &str, count: usize) -> Vec<Option<String>> {
    use std::io::{BufRead, Read, Write};
    let child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "--batch"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return Vec::new();
    };
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        let _ = child.wait();
        return Vec::new();
    };
    let mut out = Vec::with_capacity(count);
    std::thread::scope(|scope| {
        // Written from a thread of its own: git answers as it reads, and a pipe holds only so
        // much of the answers before it stops reading.
        scope.spawn(move || {
            let _ = stdin.write_all(input.as_bytes());
        });
        let mut reader = std::io::BufReader::new(stdout);
        let mut header = String::new();
        while out.len() < count {
            header.clear();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                break;
            }
            // `<oid> blob <size>` then the bytes and a line feed; or `<name> missing`.
            let mut fields = header.trim_end().rsplitn(3, ' ');
            let Some(size) = fields.next().and_then(|s| s.parse::<u64>().ok()) else {
                out.push(None);
                continue;
            };
            let blob = fields.next() == Some("blob");
            let mut bytes = Vec::with_capacity(size as usize);
            if (&mut reader).take(size).read_to_end(&mut bytes).is_err() {
                break;
            }
            let mut newline = [0u8];
            let _ = reader.read_exact(&mut newline);
            out.push(String::from_utf8(bytes).ok().filter(|_| blob));
        }
    });
    let _ = child.wait();
    out.resize(count, None);
    out
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
