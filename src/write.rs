//! Write: the rendered site → the output folder, atomically.
//!
//! Pages are written into a staging folder beside the output; only when every page is written
//! is the staging folder swapped with the output in one step (`RENAME_EXCHANGE` on Linux,
//! `RENAME_SWAP` on macOS; two renames elsewhere), so readers (and `serve`) never see a
//! half-written site, a build killed at any moment leaves a complete one, and a failed build
//! leaves the previous output untouched.
//!
//! What handbok may replace is guarded three ways: the output never overlaps the project's
//! sources ([`guard`]); a non-empty folder is replaced only if it carries handbok's
//! `.handbok-output` mark; and leftovers of killed builds (`.NAME.handbok-new-PID`,
//! `.NAME.handbok-old-PID`) are removed by the next build only when marked (or empty), and only
//! under the lock on the output's parent folder that every writing build holds, so a live
//! build's staging folder is never taken for a leftover. SIGINT/SIGTERM remove the staging
//! folders through [`abandon`].
//!
//! Files whose bytes did not change since the previous build are hard-linked from the output
//! into the staging folder instead of written (see [`manifest`]): they keep their inode and
//! mtime, so a rebuild writes only what changed and `rsync` or a CDN upload sends only that.
//! Removing the old output (tens of thousands of `unlink`s) runs on a background thread after
//! the swap; [`settle`] waits for it before the process exits, and a removal cut short is
//! finished by the next build while it renders.

pub mod archive;
pub mod guard;
mod manifest;
pub mod offline;

pub use guard::Protected;
use manifest::{Kept, Previous};
use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::thread::JoinHandle;

/// The file that marks a folder as handbok's output. It also records what the output holds
/// (see [`manifest`]), so that the next build keeps the files it would write unchanged.
pub const MARKER: &str = ".handbok-output";

/// The marker's first line.
const MARKER_TEXT: &str =
    "This folder is written by handbok; it replaces it whole on every build.\n";

/// Where a rendered site goes: the one output interface of `build`, `export` and `serve`.
/// [`Staging`] writes files into the folder that becomes the output; [`Memory`] keeps them for
/// `serve`. Both receive the same files from the same code, so what `serve` shows is what
/// `build` writes.
pub trait Sink: Sync {
    /// Prepares the folders the given root-relative file paths need (once, before the
    /// parallel writes, so those do not race on `mkdir`).
    fn folders(&self, files: &mut dyn Iterator<Item = &str>) -> io::Result<()>;
    /// Stores one file (its folder prepared by [`Sink::folders`]).
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Stores a copy of a project file (a media file).
    fn copy(&self, from: &Path, rel: &str) -> io::Result<()>;
}

/// The site in memory: root-relative path → bytes. Media files are read when copied, so the
/// memory holds what a build would have written at that moment.
#[derive(Debug, Default)]
pub struct Memory {
    files: Mutex<std::collections::BTreeMap<String, std::sync::Arc<[u8]>>>,
}

impl Memory {
    /// The files, once every write is done.
    pub fn into_files(self) -> std::collections::BTreeMap<String, std::sync::Arc<[u8]>> {
        self.files
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn files(&self) -> MutexGuard<'_, std::collections::BTreeMap<String, std::sync::Arc<[u8]>>> {
        self.files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Sink for Memory {
    fn folders(&self, _: &mut dyn Iterator<Item = &str>) -> io::Result<()> {
        Ok(())
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.files().insert(rel.to_string(), bytes.into());
        Ok(())
    }

    fn copy(&self, from: &Path, rel: &str) -> io::Result<()> {
        let bytes = fs::read(from)?;
        self.files().insert(rel.to_string(), bytes.into());
        Ok(())
    }
}

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
    /// The output's real path (see [`guard::real_path`]).
    output: PathBuf,
    dir: PathBuf,
    committed: bool,
    /// The output being replaced and its record: the files it already holds.
    previous: Previous,
    /// The record of every file stored so far, for the new output's marker.
    stored: Mutex<Vec<(String, Kept)>>,
    /// What each derived file stored so far was made from (see [`Staging::derived`]).
    made: Mutex<Vec<(String, u128)>>,
    /// The removal of leftovers of killed builds, running while this build renders.
    leftovers: Option<JoinHandle<()>>,
    /// The lock on the output's parent folder, held until the new output is in place.
    _lock: Option<File>,
}

impl Staging {
    /// Checks that `output` may be replaced (it keeps clear of `protected` and is handbok's or
    /// empty), removes leftovers of killed builds beside it, and creates a fresh staging folder.
    pub fn create(output: &Path, protected: &Protected) -> Result<Staging, WriteError> {
        let real = protected.check(output)?;
        let (Some(parent), Some(name)) = (real.parent(), real.file_name()) else {
            return Err(WriteError {
                message: format!("{} cannot be an output folder", output.display()),
                help: "choose a folder such as `book`",
            });
        };
        let name = name.to_string_lossy().into_owned();
        fs::create_dir_all(parent).map_err(|e| WriteError::io("creating", parent, &e))?;
        // Waits while another build writes beside this output; none can start meanwhile.
        let lock = lock_folder(parent);
        if real.exists() && !is_replaceable(&real) {
            return Err(WriteError {
                message: format!(
                    "{} exists, is not empty and was not written by handbok",
                    output.display()
                ),
                help: "choose another folder with `--out`, or empty this one yourself",
            });
        }
        // This process's own old outputs first: their names may come again.
        settle();
        // Without the lock another build's staging folder would look like a leftover. They are
        // listed now, under the lock, and removed while this build renders.
        let leftovers = match lock {
            Some(_) => leftovers(parent, &name),
            None => Vec::new(),
        };
        let leftovers = (!leftovers.is_empty()).then(|| {
            std::thread::spawn(move || {
                for dir in leftovers {
                    let _ = remove_marked(&dir);
                }
            })
        });
        let dir = parent.join(format!(".{name}.handbok-new-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| WriteError::io("clearing", &dir, &e))?;
        }
        // Registered first, so that a signal from here on removes it.
        live().push(dir.clone());
        if let Err(e) = fs::create_dir(&dir) {
            live().retain(|d| *d != dir);
            return Err(WriteError::io("creating", &dir, &e));
        }
        let previous = Previous::read(&real, MARKER);
        let staging = Staging {
            output: real,
            dir,
            committed: false,
            previous,
            stored: Mutex::new(Vec::new()),
            made: Mutex::new(Vec::new()),
            leftovers,
            _lock: lock,
        };
        // Marked from the start, so that a killed build's staging folder is known as handbok's.
        fs::write(staging.dir.join(MARKER), MARKER_TEXT)
            .map_err(|e| WriteError::io("writing", &staging.dir, &e))?;
        Ok(staging)
    }

    /// Swaps the staging folder in as the output, then starts removing the old output (see
    /// [`settle`]). With an atomic exchange there is no moment without a complete output; the
    /// fallback (two renames) has one between its renames.
    pub fn commit(mut self) -> Result<(), WriteError> {
        if let Some(removal) = self.leftovers.take() {
            let _ = removal.join();
        }
        let mut stored = std::mem::take(&mut *lock(&self.stored));
        let mut made = std::mem::take(&mut *lock(&self.made));
        fs::write(
            self.dir.join(MARKER),
            manifest::format(MARKER_TEXT, &mut stored, &mut made),
        )
        .map_err(|e| WriteError::io("writing", &self.dir, &e))?;
        // Holding the registry keeps a signal from removing the folder mid-swap.
        let mut live = live();
        let old = if !self.output.exists() {
            fs::rename(&self.dir, &self.output)
                .map_err(|e| WriteError::io("moving into place", &self.output, &e))?;
            None
        } else if exchange(&self.dir, &self.output).is_ok() {
            // The staging name now holds the old output: renamed to what it is, so that a
            // removal cut short is finished by the next build.
            let old = self.sibling("old");
            Some(if fs::rename(&self.dir, &old).is_ok() {
                old
            } else {
                self.dir.clone()
            })
        } else {
            let old = self.sibling("old");
            fs::rename(&self.output, &old)
                .map_err(|e| WriteError::io("moving aside", &self.output, &e))?;
            if let Err(e) = fs::rename(&self.dir, &self.output) {
                let _ = fs::rename(&old, &self.output);
                return Err(WriteError::io("moving into place", &self.output, &e));
            }
            Some(old)
        };
        self.committed = true;
        live.retain(|d| *d != self.dir);
        drop(live);
        if let Some(old) = old {
            // The new site is in place; a kill from here on leaves a marked leftover.
            let removal = std::thread::spawn(move || {
                let _ = remove_marked(&old);
            });
            lock(&PENDING).push(removal);
        }
        Ok(())
    }

    /// Records a file just stored at `rel`.
    fn stored(&self, rel: &str, kept: Kept) {
        lock(&self.stored).push((rel.to_string(), kept));
    }

    /// A fingerprint of the files at `rels` as this build stored them (their paths and bytes)
    /// and of `more`; `None` when one of them was not stored through this staging.
    pub fn fingerprint<'a>(
        &self,
        rels: impl Iterator<Item = &'a str>,
        more: &[&[u8]],
    ) -> Option<u128> {
        let stored = lock(&self.stored);
        // Collected in order, so a path stored twice (a page rendered again) has its last bytes.
        let hashes: rustc_hash::FxHashMap<&str, u128> =
            stored.iter().map(|(p, k)| (p.as_str(), k.hash)).collect();
        let mut fingerprint = manifest::Fingerprint::new();
        more.iter().for_each(|m| {
            fingerprint.part(m);
        });
        for rel in rels {
            fingerprint
                .part(rel.as_bytes())
                .part(&hashes.get(rel)?.to_le_bytes());
        }
        Some(fingerprint.finish())
    }

    /// Stores the file at `rel` made by `make` from inputs with fingerprint `inputs` (see
    /// [`Staging::fingerprint`]): the previous output's file when it was made from the same
    /// inputs, without making it again. Returns the file's length.
    pub fn derived(
        &self,
        rel: &str,
        inputs: u128,
        make: impl FnOnce() -> io::Result<Vec<u8>>,
    ) -> io::Result<u64> {
        // Another version of handbok may make other bytes of the same inputs.
        let inputs = manifest::Fingerprint::new()
            .part(env!("CARGO_PKG_VERSION").as_bytes())
            .part(&inputs.to_le_bytes())
            .finish();
        let len = match self.previous.made_from(rel, inputs) {
            Some((from, kept)) if fs::hard_link(&from, self.dir.join(rel)).is_ok() => {
                self.stored(rel, kept);
                kept.len
            }
            _ => {
                let bytes = make()?;
                self.write(rel, &bytes)?;
                bytes.len() as u64
            }
        };
        lock(&self.made).push((rel.to_string(), inputs));
        Ok(len)
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// `.NAME.handbok-{kind}-PID` beside the output.
    fn sibling(&self, kind: &str) -> PathBuf {
        let name = self
            .output
            .file_name()
            .unwrap_or_default()
            .to_string_lossy();
        self.dir
            .with_file_name(format!(".{name}.handbok-{kind}-{}", std::process::id()))
    }
}

impl Sink for Staging {
    fn folders(&self, files: &mut dyn Iterator<Item = &str>) -> io::Result<()> {
        let folders: BTreeSet<&str> = files
            .filter_map(|f| f.rsplit_once('/').map(|(d, _)| d))
            .collect();
        // Folder by folder below the staging folder, never the staging folder itself: a
        // signal's clean-up may have renamed it away meanwhile (see [`abandon`]), and
        // `create_dir_all` would make it again, to be left behind when the process exits.
        for folder in folders {
            let mut path = self.dir.clone();
            for part in folder.split('/') {
                path.push(part);
                match fs::create_dir(&path) {
                    Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// Links the previous output's file when it holds the same bytes, else writes anew.
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let hash = manifest::hash(bytes);
        let to = self.dir.join(rel);
        if let Some((from, kept)) = self.previous.same(rel, hash, bytes.len() as u64)
            && fs::hard_link(&from, &to).is_ok()
        {
            self.stored(rel, kept);
            return Ok(());
        }
        manifest::write_new(&to, bytes)?;
        self.stored(
            rel,
            Kept {
                hash,
                len: bytes.len() as u64,
            },
        );
        Ok(())
    }

    /// Read and stored like a rendered file, so an unchanged media file is kept too.
    fn copy(&self, from: &Path, rel: &str) -> io::Result<()> {
        self.write(rel, &fs::read(from)?)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(removal) = self.leftovers.take() {
            let _ = removal.join();
        }
        if !self.committed {
            live().retain(|d| *d != self.dir);
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// The staging folders of this process, for [`abandon`].
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live() -> MutexGuard<'static, Vec<PathBuf>> {
    lock(&LIVE)
}

/// Removals of old outputs still under way.
static PENDING: Mutex<Vec<JoinHandle<()>>> = Mutex::new(Vec::new());

/// Waits until every old output this process replaced is removed. The binary calls it before
/// it exits, after it has reported; a process that ends without it leaves a marked leftover
/// that the next build removes.
pub fn settle() {
    let pending = std::mem::take(&mut *lock(&PENDING));
    for removal in pending {
        let _ = removal.join();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Removes every staging folder of this process, for a signal handler that exits next. Holds
/// the registry until the process exits, so no commit can swap a half-removed folder in.
pub fn abandon() {
    let live = live();
    for dir in live.iter() {
        // Renamed first: writes still under way then fail instead of refilling the folder.
        let name = dir.file_name().unwrap_or_default().to_string_lossy();
        let trash = dir.with_file_name(name.replacen(".handbok-new-", ".handbok-old-", 1));
        let dir = if fs::rename(dir, &trash).is_ok() {
            &trash
        } else {
            dir
        };
        if fs::remove_dir_all(dir).is_err() {
            let _ = fs::remove_dir_all(dir);
        }
    }
    std::mem::forget(live);
}

/// A folder may be replaced if it is handbok's (marked) or empty.
fn is_replaceable(dir: &Path) -> bool {
    if dir.join(MARKER).is_file() {
        return true;
    }
    dir.is_dir()
        && fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false)
}

/// An exclusive lock on `dir` (released when the file is dropped or the process dies, even by
/// SIGKILL). `None` where folders cannot be locked: leftovers are then left alone.
fn lock_folder(dir: &Path) -> Option<File> {
    if cfg!(unix) {
        let file = File::open(dir).ok()?;
        file.lock().ok()?;
        Some(file)
    } else {
        None
    }
}

/// Exchanges two paths in one step.
#[cfg(any(target_os = "linux", target_os = "macos"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The staging and old folders of killed builds of output `name` in `parent` that may be
/// removed: marked ones; unmarked empty ones are removed at once (nothing to lose).
fn leftovers(parent: &Path, name: &str) -> Vec<PathBuf> {
    let prefix = format!(".{name}.handbok-");
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|n| n.strip_prefix("new-").or_else(|| n.strip_prefix("old-")))
        else {
            continue;
        };
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_dir || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if entry.path().join(MARKER).is_file() {
            found.push(entry.path());
        } else {
            // Killed before it was marked: removed only if empty (nothing to lose).
            let _ = fs::remove_dir(entry.path());
        }
    }
    found
}

/// Removes a marked folder, the mark last, so that a removal cut short is still recognised
/// as handbok's by the next build.
///
/// The top-level entries (a site's language folders) are removed side by side: the process
/// waits for the removal before it exits (see [`settle`]), and one thread took 0.16 s for the
/// 32,000 files of 5,000 modules × 4 languages.
///
/// Two processes may remove one folder at once: a build that replaced the output removes its
/// old output after it has let go of the lock, and the next build may take that folder for a
/// leftover. What the other removed first counts as done, not as an error, so that neither
/// stops early and leaves the mark (and with it the folder) behind.
fn remove_marked(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let mut entries = Vec::new();
    for entry in gone_is_done(fs::read_dir(dir))?.into_iter().flatten() {
        if let Some(entry) = gone_is_done(entry)? {
            entries.push(entry);
        }
    }
    entries
        .par_iter()
        .filter(|entry| entry.file_name() != MARKER)
        .try_for_each(|entry| {
            let path = entry.path();
            gone_is_done(match entry.file_type()?.is_dir() {
                true => fs::remove_dir_all(path),
                false => fs::remove_file(path),
            })
            .map(drop)
        })?;
    gone_is_done(fs::remove_file(dir.join(MARKER)))?;
    gone_is_done(fs::remove_dir(dir)).map(drop)
}

/// `None` for what is not found (removed by another process meanwhile).
fn gone_is_done<T>(result: io::Result<T>) -> io::Result<Option<T>> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        other => other.map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A project beside which outputs are written: `(temp, protected, output)`.
    fn project() -> (tempfile::TempDir, Protected, PathBuf) {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("project");
        fs::create_dir_all(root.join("guidelines")).unwrap();
        let protected = Protected::project(&root, None).unwrap();
        let out = temp.path().join("site");
        (temp, protected, out)
    }

    fn names(dir: &Path) -> BTreeSet<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }

    fn build(out: &Path, protected: &Protected, text: &[u8]) {
        let staging = Staging::create(out, protected).unwrap();
        staging.folders(&mut ["a/b.html"].into_iter()).unwrap();
        staging.write("a/b.html", text).unwrap();
        staging.commit().unwrap();
        settle();
    }

    /// The swap this platform promises is really atomic here (not the two-rename fallback).
    #[cfg(any(target_os = "linux", target_os = "macos"))]
    #[test]
    fn exchanges_two_folders_in_one_step() {
        let temp = tempfile::tempdir().unwrap();
        let (a, b) = (temp.path().join("a"), temp.path().join("b"));
        for (dir, text) in [(&a, "a"), (&b, "b")] {
            fs::create_dir(dir).unwrap();
            fs::write(dir.join("f"), text).unwrap();
        }
        exchange(&a, &b).unwrap();
        assert_eq!(fs::read_to_string(a.join("f")).unwrap(), "b");
        assert_eq!(fs::read_to_string(b.join("f")).unwrap(), "a");
    }

    #[test]
    fn refuses_to_replace_a_foreign_folder() {
        let (_temp, protected, out) = project();
        fs::create_dir(&out).unwrap();
        fs::write(out.join("precious.txt"), "keep me").unwrap();
        assert!(Staging::create(&out, &protected).is_err());
        assert_eq!(
            fs::read_to_string(out.join("precious.txt")).unwrap(),
            "keep me"
        );
    }

    #[test]
    fn refuses_the_sources_even_when_marked() {
        let (temp, protected, _) = project();
        let guidelines = temp.path().join("project/guidelines");
        fs::write(guidelines.join(MARKER), "").unwrap();
        fs::write(guidelines.join("a.md"), "keep me").unwrap();
        let err = Staging::create(&guidelines, &protected).err().unwrap();
        assert!(err.message.ends_with("is the project's guidelines folder"));
        assert_eq!(names(&guidelines).len(), 2);
        assert_eq!(
            names(&temp.path().join("project")),
            names_of(["guidelines"])
        );
    }

    fn names_of<const N: usize>(names: [&str; N]) -> BTreeSet<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn commits_atomically_and_cleans_up_on_drop() {
        let (temp, protected, out) = project();
        build(&out, &protected, b"one");
        assert_eq!(fs::read(out.join("a/b.html")).unwrap(), b"one");
        // The second commit exchanges the folders and removes the old one.
        build(&out, &protected, b"two");
        assert_eq!(fs::read(out.join("a/b.html")).unwrap(), b"two");
        assert_eq!(names(temp.path()), names_of(["project", "site"]));

        // A build that fails after staging leaves the output as it was.
        let staging = Staging::create(&out, &protected).unwrap();
        staging.folders(&mut ["a/b.html"].into_iter()).unwrap();
        staging.write("a/b.html", b"three").unwrap();
        drop(staging);
        assert_eq!(fs::read(out.join("a/b.html")).unwrap(), b"two");
        assert_eq!(names(temp.path()), names_of(["project", "site"]));
        assert!(!live().iter().any(|d| d.starts_with(temp.path())));
    }

    #[test]
    fn removes_marked_leftovers_of_its_own_output_only() {
        let (temp, protected, out) = project();
        let make = |name: &str, marked: bool| {
            let dir = temp.path().join(name);
            fs::create_dir_all(dir.join("deep/er")).unwrap();
            fs::write(dir.join("deep/er/page.html"), "x").unwrap();
            if marked {
                fs::write(dir.join(MARKER), "").unwrap();
            }
        };
        make(".site.handbok-new-4000000", true);
        make(".site.handbok-old-4000001", true);
        make(".site.handbok-new-4000002", false);
        fs::create_dir(temp.path().join(".site.handbok-new-4000004")).unwrap();
        make(".site.handbok-new-x", true);
        make(".other.handbok-new-4000003", true);
        build(&out, &protected, b"one");
        assert_eq!(
            names(temp.path()),
            names_of([
                ".other.handbok-new-4000003",
                ".site.handbok-new-4000002",
                ".site.handbok-new-x",
                "project",
                "site",
            ])
        );
    }

    #[test]
    fn a_second_build_waits_and_leaves_the_first_builds_staging_alone() {
        let (temp, protected, out) = project();
        let first = Staging::create(&out, &protected).unwrap();
        first.write("a.html", b"first").unwrap();
        let staging = first.path().to_path_buf();
        let second = std::thread::scope(|scope| {
            let second = scope.spawn(|| {
                let s = Staging::create(&out, &protected).unwrap();
                s.write("a.html", b"second").unwrap();
                s.commit().unwrap();
            });
            std::thread::sleep(std::time::Duration::from_millis(100));
            assert!(staging.join("a.html").is_file(), "not taken for a leftover");
            first.commit().unwrap();
            second.join()
        });
        second.unwrap();
        settle();
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"second");
        assert_eq!(names(temp.path()), names_of(["project", "site"]));
    }

    #[cfg(unix)]
    fn identity(path: &Path) -> (u64, i64, i64) {
        use std::os::unix::fs::MetadataExt;
        let meta = fs::metadata(path).unwrap();
        (meta.ino(), meta.mtime(), meta.mtime_nsec())
    }

    /// Issue 11: "files whose bytes are unchanged keep their inode and mtime", the swap stays
    /// atomic, and a failed build still changes nothing.
    #[cfg(unix)]
    #[test]
    fn unchanged_files_keep_their_inode_and_mtime() {
        let (temp, protected, out) = project();
        let files = [
            "a/same.html",
            "a/changed.html",
            "edited.html",
            "media/x.png",
        ];
        let source = temp.path().join("x.png");
        fs::write(&source, b"png").unwrap();
        let write = |changed: &[u8]| {
            let staging = Staging::create(&out, &protected).unwrap();
            staging.folders(&mut files.into_iter()).unwrap();
            staging.write("a/same.html", b"same").unwrap();
            staging.write("a/changed.html", changed).unwrap();
            staging.write("edited.html", b"as built").unwrap();
            staging.copy(&source, "media/x.png").unwrap();
            staging
        };
        write(b"one").commit().unwrap();
        settle();
        let before: Vec<_> = files.iter().map(|f| identity(&out.join(f))).collect();
        // Someone edits a file of the output by hand: the record no longer describes it.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(out.join("edited.html"), b"by hand").unwrap();

        write(b"two").commit().unwrap();
        settle();
        let after: Vec<_> = files.iter().map(|f| identity(&out.join(f))).collect();
        assert_eq!(after[0], before[0], "unchanged page kept");
        assert_eq!(after[3], before[3], "unchanged media file kept");
        assert_ne!(after[1].0, before[1].0, "changed page written anew");
        assert_eq!(fs::read(out.join("a/changed.html")).unwrap(), b"two");
        assert_eq!(fs::read(out.join("edited.html")).unwrap(), b"as built");
        assert_eq!(names(temp.path()), names_of(["project", "site", "x.png"]));

        // A failed build that linked every file leaves the output's files as they were.
        let staging = write(b"three");
        drop(staging);
        assert_eq!(fs::read(out.join("a/changed.html")).unwrap(), b"two");
        assert_eq!(fs::read(out.join("a/same.html")).unwrap(), b"same");
        assert_eq!(identity(&out.join("a/same.html")), before[0]);
        assert_eq!(names(temp.path()), names_of(["project", "site", "x.png"]));

        // Writing a path twice never writes through a link into the previous output.
        let staging = Staging::create(&out, &protected).unwrap();
        staging.folders(&mut files.into_iter()).unwrap();
        staging.write("a/same.html", b"same").unwrap();
        staging.write("a/same.html", b"other").unwrap();
        assert_eq!(fs::read(out.join("a/same.html")).unwrap(), b"same");
        drop(staging);
    }

    /// A derived file (an offline zip) is made again only when what it is made from changed;
    /// kept, it keeps its inode, and the record of its inputs carries over to the next build.
    #[cfg(unix)]
    #[test]
    fn a_derived_file_is_made_again_only_when_its_inputs_change() {
        let (_temp, protected, out) = project();
        let made = std::cell::Cell::new(0);
        let build = |page: &[u8]| {
            let staging = Staging::create(&out, &protected).unwrap();
            staging
                .folders(&mut ["a/p.html", "a/z.zip"].into_iter())
                .unwrap();
            staging.write("a/p.html", page).unwrap();
            let inputs = staging
                .fingerprint(["a/p.html"].into_iter(), &[b"v1"])
                .unwrap();
            let len = staging
                .derived("a/z.zip", inputs, || {
                    made.set(made.get() + 1);
                    Ok([b"zip of ", page].concat())
                })
                .unwrap();
            assert_eq!(len, 7 + page.len() as u64);
            // Not stored through this staging: no fingerprint.
            assert_eq!(staging.fingerprint(["a/none.html"].into_iter(), &[]), None);
            staging.commit().unwrap();
            settle();
            identity(&out.join("a/z.zip"))
        };
        let first = build(b"one");
        assert_eq!(build(b"one"), first, "same inputs: the zip is kept");
        assert_eq!(build(b"one"), first, "and kept again");
        assert_eq!(made.get(), 1);
        build(b"two");
        assert_eq!(made.get(), 2, "changed inputs: made again");
        assert_eq!(fs::read(out.join("a/z.zip")).unwrap(), b"zip of two");
    }

    /// Two removals of one folder at once (a build removing its old output while the next
    /// build takes it for a leftover) both succeed and leave nothing behind.
    #[test]
    fn two_removals_of_one_folder_leave_nothing() {
        let temp = tempfile::tempdir().unwrap();
        for round in 0..20 {
            let dir = temp.path().join(format!(".site.handbok-old-{round}"));
            for lang in ["en", "sv", "de", "fr"] {
                for page in 0..50 {
                    let folder = dir.join(format!("{lang}/m{page}"));
                    fs::create_dir_all(&folder).unwrap();
                    fs::write(folder.join("index.html"), "x").unwrap();
                }
            }
            fs::write(dir.join("index.html"), "x").unwrap();
            fs::write(dir.join(MARKER), MARKER_TEXT).unwrap();
            let results: Vec<io::Result<()>> = std::thread::scope(|s| {
                let removals: Vec<_> = (0..2).map(|_| s.spawn(|| remove_marked(&dir))).collect();
                removals.into_iter().map(|r| r.join().unwrap()).collect()
            });
            for result in results {
                result.unwrap();
            }
            assert!(!dir.exists(), "round {round}");
        }
    }

    /// An old output whose removal was cut short (the process ended first) is removed by the
    /// next build.
    #[test]
    fn an_old_output_left_behind_is_removed_by_the_next_build() {
        let (temp, protected, out) = project();
        build(&out, &protected, b"one");
        let old = temp.path().join(".site.handbok-old-4000009");
        fs::create_dir_all(old.join("a")).unwrap();
        fs::write(old.join("a/b.html"), b"zero").unwrap();
        fs::write(old.join(MARKER), MARKER_TEXT).unwrap();
        build(&out, &protected, b"two");
        assert_eq!(names(temp.path()), names_of(["project", "site"]));
    }
}
