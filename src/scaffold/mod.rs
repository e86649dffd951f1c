//! Authors' scaffolding: a new project (`handbok init`) and a new module (`handbok new`), each
//! a set of files → written into the project, or a message saying why nothing was written.
//!
//! Nothing here overwrites: every file is checked before the first is written, each is written
//! to a temporary file and published under its name only if that name is still free (a hard
//! link, which fails rather than replace), and a failure half-way removes what was written.
//! Folders are created only where the path stays inside the project after resolving symbolic
//! links.

pub mod init;
pub mod new;

use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// What a scaffolding command did, or why it did nothing (the house pattern of
/// [`crate::translate::files::Outcome`]).
pub type Outcome = Result<String, String>;

/// A file to create: its `/`-separated path relative to the project and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    pub rel: String,
    pub text: String,
}

/// Creates every file of `files` under `root`, or none of them. `root` must exist.
///
/// Refuses (naming the file) when one of them exists, even as a dangling symbolic link, or
/// when a folder on the way is a link that leads out of `root`.
pub fn create_all(root: &Path, files: &[NewFile]) -> Result<(), String> {
    let real_root = root
        .canonicalize()
        .map_err(|e| format!("reading {}: {}", root.display(), crate::load::err_text(&e)))?;
    for file in files {
        let path = root.join(&file.rel);
        if std::fs::symlink_metadata(&path).is_ok() {
            return Err(exists(&file.rel));
        }
        outside(&real_root, &path, &file.rel)?;
    }
    let mut written: Vec<PathBuf> = Vec::new();
    let mut folders: Vec<PathBuf> = Vec::new();
    for file in files {
        let path = root.join(&file.rel);
        let created = create_folders(&real_root, &path, &file.rel, &mut folders).and_then(|()| {
            create_new(&path, file.text.as_bytes()).map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => exists(&file.rel),
                _ => format!("writing {}: {}", file.rel, crate::load::err_text(&e)),
            })
        });
        if let Err(message) = created {
            for done in written.iter().rev() {
                let _ = std::fs::remove_file(done);
            }
            // Only folders this call created, deepest first; one that is not empty stays.
            for folder in folders.iter().rev() {
                let _ = std::fs::remove_dir(folder);
            }
            return Err(message);
        }
        written.push(path);
    }
    Ok(())
}

/// The refusal to overwrite `rel`.
fn exists(rel: &str) -> String {
    format!("{rel} exists; handbok never overwrites a file")
}

/// An error when the deepest existing folder above `path` resolves to a place outside
/// `real_root` (a symbolic link leading out of the project).
fn outside(real_root: &Path, path: &Path, rel: &str) -> Result<(), String> {
    let mut existing = path.parent();
    while let Some(dir) = existing {
        match dir.canonicalize() {
            Ok(real) if real.starts_with(real_root) => return Ok(()),
            Ok(_) => {
                return Err(format!(
                    "{rel} would be written through a symbolic link that leads out of the project"
                ));
            }
            Err(_) => existing = dir.parent(),
        }
    }
    Ok(())
}

/// Creates the folders above `path`, checking again that they stay inside the project, and
/// adds those it created to `created` (outermost first).
fn create_folders(
    real_root: &Path,
    path: &Path,
    rel: &str,
    created: &mut Vec<PathBuf>,
) -> Result<(), String> {
    let Some(dir) = path.parent() else {
        return Ok(());
    };
    outside(real_root, path, rel)?;
    let mut missing: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|d| std::fs::symlink_metadata(d).is_err())
        .map(Path::to_path_buf)
        .collect();
    missing.reverse();
    created.extend(missing);
    std::fs::create_dir_all(dir).map_err(|e| {
        format!(
            "creating the folder for {rel}: {}",
            crate::load::err_text(&e)
        )
    })?;
    outside(real_root, path, rel)
}

/// Writes `bytes` to a temporary file beside `path`, then gives it the name `path` only if no
/// file has it: a reader never sees half a file, and an existing file is never replaced.
fn create_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.handbok-tmp-{}", std::process::id()));
    // A temporary file left by an earlier run that was killed (removing a link, never what
    // it points at), so that "exists" below can only mean `path`.
    let _ = std::fs::remove_file(&temp);
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        match std::fs::hard_link(&temp, path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
            // A file system without hard links: create the file exclusively instead.
            Err(_) => {
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(path)?;
                file.write_all(bytes)?;
                file.sync_all()
            }
        }
    })();
    let _ = std::fs::remove_file(&temp);
    result
}

/// A module path as the author gave it (`inclusion/captions`, `guidelines/inclusion/captions.md`)
/// → its path below `guidelines/` with `.md` (`inclusion/captions.md`), or why it cannot be one.
pub fn module_rel(path: &str) -> Result<String, String> {
    let trimmed = path.replace('\\', "/");
    let trimmed = trimmed.trim_start_matches("./");
    let below = trimmed
        .strip_prefix(crate::config::GUIDELINES)
        .and_then(|rest| rest.strip_prefix('/'))
        .unwrap_or(trimmed);
    let mut parts = Vec::new();
    for component in Path::new(below).components() {
        match component {
            Component::Normal(part) => {
                let part = part.to_str().unwrap_or_default();
                if part.starts_with('.') {
                    return Err(format!(
                        "`{path}` names a hidden file or folder, which handbok does not read; \
                         choose a name that does not start with `.`"
                    ));
                }
                parts.push(part.to_string());
            }
            Component::CurDir => {}
            _ => {
                return Err(format!(
                    "`{path}` is not a path below guidelines/; write it like `inclusion/captions.md`"
                ));
            }
        }
    }
    let Some(last) = parts.last_mut() else {
        return Err(format!(
            "`{path}` names no file; write a path like `inclusion/captions.md`"
        ));
    };
    if !last.ends_with(".md") {
        last.push_str(".md");
    }
    Ok(parts.join("/"))
}

/// Today's date as `YYYY-MM-DD` (UTC), for `updated`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date(secs / 86_400)
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_date(days: u64) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_below_guidelines() {
        for (given, rel) in [
            ("inclusion/captions.md", "inclusion/captions.md"),
            ("inclusion/captions", "inclusion/captions.md"),
            ("guidelines/inclusion/captions.md", "inclusion/captions.md"),
            ("./guidelines/a.md", "a.md"),
            ("a", "a.md"),
        ] {
            assert_eq!(module_rel(given).as_deref(), Ok(rel), "{given}");
        }
        for bad in [
            "../a.md",
            "/tmp/a.md",
            "a/../../b",
            ".hidden/a.md",
            "a/.b.md",
            "",
        ] {
            assert!(module_rel(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_from_days() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_162), "2025-03-15");
        assert!(crate::check::fields::date_problem(&today()).is_none());
    }

    #[test]
    fn creates_all_or_nothing_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("b.txt"), "mine").unwrap();
        let files = [
            NewFile {
                rel: "a/a.txt".into(),
                text: "A".into(),
            },
            NewFile {
                rel: "b.txt".into(),
                text: "B".into(),
            },
        ];
        assert_eq!(
            create_all(root, &files),
            Err("b.txt exists; handbok never overwrites a file".into())
        );
        assert!(!root.join("a").exists());
        assert_eq!(std::fs::read_to_string(root.join("b.txt")).unwrap(), "mine");
        create_all(root, &files[..1]).unwrap();
        assert_eq!(std::fs::read_to_string(root.join("a/a.txt")).unwrap(), "A");
        let leftovers: Vec<_> = std::fs::read_dir(root.join("a")).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_folder_link_out_of_the_project() {
        let outside_dir = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside_dir.path(), dir.path().join("out")).unwrap();
        let files = [NewFile {
            rel: "out/x/a.md".into(),
            text: "A".into(),
        }];
        let err = create_all(dir.path(), &files).unwrap_err();
        assert!(
            err.contains("symbolic link that leads out of the project"),
            "{err}"
        );
        assert!(!outside_dir.path().join("x").exists());
    }
}
