//! Write: the rendered site → the output folder, atomically.
//!
//! Pages are written into a staging folder beside the output; only when every page is written
//! is the old output swapped out and the new one renamed into place, so readers (and `serve`)
//! never see a half-written site and a failed build leaves the previous output untouched.
//! handbok marks its output with a `.handbok-output` file and refuses to replace a non-empty
//! folder without that mark: it never deletes a folder it did not create.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

/// The file that marks a folder as handbok's output.
pub const MARKER: &str = ".handbok-output";

/// Why the output cannot be written.
#[derive(Debug)]
pub struct WriteError {
    pub message: String,
    pub help: &'static str,
}

impl WriteError {
    fn io(what: &str, path: &Path, err: &io::Error) -> Self {
        WriteError {
            message: format!("{what} {}: {}", path.display(), crate::load::err_text(err)),
            help: "check that the output folder's parent exists and is writable",
        }
    }
}

/// A folder being filled, to become the output on [`Staging::commit`]; removed if dropped.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    committed: bool,
}

impl Staging {
    /// Checks that `output` may be replaced and creates a fresh staging folder beside it.
    pub fn create(output: &Path) -> Result<Staging, WriteError> {
        if output.exists() && !is_replaceable(output) {
            return Err(WriteError {
                message: format!(
                    "{} exists, is not empty and was not written by handbok",
                    output.display()
                ),
                help: "choose another folder with `--out`, or empty this one yourself",
            });
        }
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| WriteError::io("creating", parent, &e))?;
        let dir = parent.join(format!(".{name}.handbok-new-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| WriteError::io("clearing", &dir, &e))?;
        }
        std::fs::create_dir(&dir).map_err(|e| WriteError::io("creating", &dir, &e))?;
        std::fs::write(
            dir.join(MARKER),
            "This folder is written by handbok; it replaces it whole on every build.\n",
        )
        .map_err(|e| WriteError::io("writing", &dir, &e))?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            committed: false,
        })
    }

    /// Creates every folder the given root-relative file paths need (once, before the parallel
    /// writes, so those do not race on `mkdir`).
    pub fn folders<'a>(&self, files: impl Iterator<Item = &'a str>) -> io::Result<()> {
        let folders: BTreeSet<&str> = files
            .filter_map(|f| f.rsplit_once('/').map(|(d, _)| d))
            .collect();
        for folder in folders {
            std::fs::create_dir_all(self.dir.join(folder))?;
        }
        Ok(())
    }

    /// Writes one file (its folder must exist, see [`Staging::folders`]).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        std::fs::write(self.dir.join(rel), bytes)
    }

    /// Copies a file from the project.
    pub fn copy(&self, from: &Path, rel: &str) -> io::Result<()> {
        std::fs::copy(from, self.dir.join(rel)).map(|_| ())
    }

    /// Swaps the staging folder in as the output.
    pub fn commit(mut self) -> Result<(), WriteError> {
        let old = self.dir.with_file_name(format!(
            ".{}.handbok-old-{}",
            self.output
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        let had_output = self.output.exists();
        if had_output {
            std::fs::rename(&self.output, &old)
                .map_err(|e| WriteError::io("moving aside", &self.output, &e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.output) {
            if had_output {
                let _ = std::fs::rename(&old, &self.output);
            }
            return Err(WriteError::io("moving into place", &self.output, &e));
        }
        self.committed = true;
        if had_output {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A folder may be replaced if it is handbok's (marked) or empty.
fn is_replaceable(dir: &Path) -> bool {
    if dir.join(MARKER).is_file() {
        return true;
    }
    dir.is_dir()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_replace_a_foreign_folder() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path().join("site");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("precious.txt"), "keep me").unwrap();
        assert!(Staging::create(&out).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("precious.txt")).unwrap(),
            "keep me"
        );
    }

    #[test]
    fn commits_atomically_and_cleans_up_on_drop() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path().join("site");
        let staging = Staging::create(&out).unwrap();
        staging.folders(["a/b.html"].into_iter()).unwrap();
        staging.write("a/b.html", b"one").unwrap();
        staging.commit().unwrap();
        assert_eq!(std::fs::read(out.join("a/b.html")).unwrap(), b"one");

        // A build that fails after staging leaves the output as it was.
        let staging = Staging::create(&out).unwrap();
        staging.folders(["a/b.html"].into_iter()).unwrap();
        staging.write("a/b.html", b"two").unwrap();
        drop(staging);
        assert_eq!(std::fs::read(out.join("a/b.html")).unwrap(), b"one");
        let leftovers: Vec<_> = std::fs::read_dir(temp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "only the output remains");
    }
}
