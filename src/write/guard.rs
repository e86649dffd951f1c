//! The output can never be the sources: an output folder (from `build-dir`, `--out` or an export's
//! folder) → its real place on disk, or the reason it must not be written.
//!
//! A build replaces its output whole, so an output that is, contains or lies inside a source
//! folder would delete the project. The check compares real paths: `..`, `.` and symbolic links
//! are resolved, and an output that does not exist yet is placed by its deepest existing folder.

use super::WriteError;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The folders of a project that an output must keep clear of, as real paths.
#[derive(Debug)]
pub struct Protected {
    root: PathBuf,
    /// `(what the folder is called in messages, real path)`.
    folders: Vec<(String, PathBuf)>,
}

/// The help line of every refusal.
const HELP: &str = "the output is replaced whole on every run: choose a folder apart from \
                    book.toml, guidelines/, translations/ and the theme, such as `book`";

impl Protected {
    /// The project at `root`: the root itself, `guidelines/`, `translations/` and the theme
    /// folder (relative to the root) if there is one.
    pub fn project(root: &Path, theme: Option<&Path>) -> io::Result<Protected> {
        let real_root = real_path(root)?;
        let mut folders = vec![
            (
                format!("{} folder", crate::config::GUIDELINES),
                real_root.join(crate::config::GUIDELINES),
            ),
            (
                format!("{} folder", crate::config::TRANSLATIONS),
                real_root.join(crate::config::TRANSLATIONS),
            ),
        ];
        if let Some(theme) = theme {
            folders.push((
                format!("theme folder `{}`", theme.display()),
                real_path(&root.join(theme))?,
            ));
        }
        // A source folder may itself be a symbolic link to elsewhere.
        for (_, path) in &mut folders {
            *path = real_path(path)?;
        }
        Ok(Protected {
            root: real_root,
            folders,
        })
    }

    /// The source folder (its name in messages) that a file written at `path` would lie in, if
    /// any: an exported file may sit in the project, beside book.toml, but not among the
    /// sources, where the next run would read it.
    pub fn source_folder_of(&self, path: &Path) -> io::Result<Option<&str>> {
        let real = real_path(path)?;
        Ok(self
            .folders
            .iter()
            .find(|(_, folder)| real.starts_with(folder))
            .map(|(name, _)| name.as_str()))
    }

    /// The real path of `output` if writing it leaves every source alone. `output` may lie
    /// inside the project (the default `book` does), but may not be or contain the root, nor
    /// be, contain or lie inside a source folder.
    pub fn check(&self, output: &Path) -> Result<PathBuf, WriteError> {
        let real = real_path(output)
            .map_err(|e| WriteError::io("finding the output folder", output, &e))?;
        let shown = output.display();
        let refuse = |message: String| WriteError {
            message,
            help: HELP,
        };
        if real == self.root {
            return Err(refuse(format!(
                "the output folder {shown} is the project folder itself"
            )));
        }
        if self.root.starts_with(&real) {
            return Err(refuse(format!(
                "the output folder {shown} contains the project"
            )));
        }
        for (name, folder) in &self.folders {
            let relation = if real == *folder {
                "is"
            } else if real.starts_with(folder) {
                "lies inside"
            } else if folder.starts_with(&real) {
                "contains"
            } else {
                continue;
            };
            return Err(refuse(format!(
                "the output folder {shown} {relation} the project's {name}"
            )));
        }
        Ok(real)
    }
}

/// The absolute path with every symbolic link, `.` and `..` resolved, also for a path that does
/// not exist yet: its deepest existing ancestor is resolved and the rest appended (where a `..`
/// can only undo a folder that is still to be created).
pub fn real_path(path: &Path) -> io::Result<PathBuf> {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    let mut missing = Vec::new();
    let mut at = path;
    let mut real = loop {
        match at.canonicalize() {
            Ok(real) => break real,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let (Some(parent), Some(last)) = (at.parent(), at.components().next_back()) else {
                    return Err(e);
                };
                missing.push(last);
                at = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
            }
            Err(e) => return Err(e),
        }
    };
    for component in missing.into_iter().rev() {
        match component {
            Component::ParentDir => {
                real.pop();
            }
            Component::Normal(name) => real.push(name),
            _ => {}
        }
    }
    Ok(real)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_paths_of_folders_still_to_be_made() {
        let temp = tempfile::tempdir().unwrap();
        let base = temp.path().canonicalize().unwrap();
        std::fs::create_dir(base.join("a")).unwrap();
        let cases = [
            ("a", "a"),
            ("a/new", "a/new"),
            ("a/new/deeper", "a/new/deeper"),
            ("a/new/../b", "a/b"),
            ("a/./new/", "a/new"),
            ("a/..", ""),
            ("new/../a", "a"),
        ];
        for (given, want) in cases {
            let got = real_path(&temp.path().join(given)).unwrap();
            let want = if want.is_empty() {
                base.clone()
            } else {
                base.join(want)
            };
            assert_eq!(got, want, "{given}");
        }
    }

    #[test]
    fn outputs_apart_from_the_sources() {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("project");
        for dir in ["guidelines", "translations/sv", "theme"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("guidelines"), root.join("link")).unwrap();
        let protected = Protected::project(&root, Some(Path::new("theme"))).unwrap();
        let refused = [
            (".", "is the project folder itself"),
            ("..", "contains the project"),
            ("guidelines", "is the project's guidelines folder"),
            (
                "guidelines/site",
                "lies inside the project's guidelines folder",
            ),
            (
                "translations/sv",
                "lies inside the project's translations folder",
            ),
            ("theme", "is the project's theme folder `theme`"),
            (
                "book/../translations",
                "is the project's translations folder",
            ),
            #[cfg(unix)]
            ("link/out", "lies inside the project's guidelines folder"),
        ];
        for (output, want) in refused {
            let err = protected.check(&root.join(output)).unwrap_err();
            assert!(err.message.ends_with(want), "{output}: {}", err.message);
        }
        for output in ["book", "site/en", "../elsewhere"] {
            assert!(protected.check(&root.join(output)).is_ok(), "{output}");
        }
    }
}
