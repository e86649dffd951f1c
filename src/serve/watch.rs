//! File-system events in, batches of changed paths out: notify's raw events are sorted into a
//! small [`ChangeKind`], filtered by the caller's relevance test and debounced (a batch closes
//! once the disk has been quiet for [`QUIET`]), so one save, however the editor performs it
//! (write in place, or write a temporary file and rename it over the old one), is one batch.
//!
//! The watched folders themselves are looked after too: when one is deleted and created again
//! (a script that regenerates the project, a `git clone` over it), notify's watch on it is
//! gone: the event that says so, or a poll every [`POLL`] that finds another folder (or none)
//! at its path, makes the watcher watch it again and ask for a rescan.

use notify::event::{EventKind, ModifyKind, RemoveKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the disk must be quiet before a batch closes: long enough to see the rename that
/// ends an atomic save, short enough not to be noticed.
pub const QUIET: Duration = Duration::from_millis(5);

/// The longest a batch stays open while events keep coming (a large copy into the project).
const LONGEST: Duration = Duration::from_millis(500);

/// How often the watched folders are checked for having appeared, gone or been replaced.
const POLL: Duration = Duration::from_millis(250);

/// What a path in a batch stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// A file was created, written or removed, or renamed to or from this path.
    File,
    /// A folder appeared, disappeared or was renamed: anything below it may have changed (the
    /// files below one that appeared are in the batch too).
    Folder,
    /// A watched folder was replaced, or events were lost: everything may have changed.
    Rescan,
}

/// One changed path and what it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub path: PathBuf,
    pub kind: ChangeKind,
}

/// What identifies a folder beyond its path, to notice it was replaced.
#[cfg(unix)]
type Identity = (u64, u64);
#[cfg(not(unix))]
type Identity = ();

fn identity(path: &Path) -> Option<Identity> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some(())
    }
}

/// A watched path and the folder (or file) it was when the watch was set up.
struct Root {
    path: PathBuf,
    /// `None`: it did not exist (or could not be watched) last time; tried again every poll.
    watching: Option<Identity>,
}

/// Recursive watches on a set of paths, read as debounced batches.
pub struct Watcher {
    notify: RecommendedWatcher,
    events: mpsc::Receiver<notify::Result<notify::Event>>,
    roots: Vec<Root>,
}

impl Watcher {
    pub fn new() -> notify::Result<Watcher> {
        let (tx, events) = mpsc::channel();
        Ok(Watcher {
            notify: notify::recommended_watcher(tx)?,
            events,
            roots: Vec::new(),
        })
    }

    /// Watches exactly `paths` (recursively) from now on. A path that does not exist yet is
    /// watched once it does.
    pub fn watch(&mut self, paths: &[PathBuf]) {
        for root in &self.roots {
            if !paths.contains(&root.path) && root.watching.is_some() {
                let _ = self.notify.unwatch(&root.path);
            }
        }
        self.roots.retain(|r| paths.contains(&r.path));
        for path in paths {
            if !self.roots.iter().any(|r| &r.path == path) {
                self.roots.push(Root {
                    path: path.clone(),
                    watching: None,
                });
            }
        }
        self.refresh();
    }

    /// Re-watches each root that appeared or was replaced since it was watched; returns those
    /// whose folder changed identity (appeared, vanished or was replaced).
    fn refresh(&mut self) -> Vec<PathBuf> {
        let mut replaced = Vec::new();
        for root in &mut self.roots {
            let now = identity(&root.path);
            if now == root.watching {
                continue;
            }
            if root.watching.is_some() {
                let _ = self.notify.unwatch(&root.path);
            }
            root.watching = match now {
                Some(id) => match self.notify.watch(&root.path, RecursiveMode::Recursive) {
                    Ok(()) => Some(id),
                    Err(err) => {
                        eprintln!("warning: cannot watch {}: {err}", root.path.display());
                        None
                    }
                },
                None => None,
            };
            replaced.push(root.path.clone());
        }
        replaced
    }

    /// Waits for the next batch of changes that `relevant` keeps, each path once, in the order
    /// first seen. `None` when the watcher has stopped.
    pub fn next_batch(&mut self, relevant: impl Fn(&Path) -> bool) -> Option<Vec<Change>> {
        let mut batch: Vec<Change> = Vec::new();
        let mut opened: Option<Instant> = None;
        let mut polled = Instant::now();
        loop {
            let wait = match opened {
                Some(at) => QUIET.min(LONGEST.saturating_sub(at.elapsed())),
                None => POLL.saturating_sub(polled.elapsed()),
            };
            match self.events.recv_timeout(wait) {
                Ok(Ok(event)) => {
                    for change in classify(&event) {
                        if change.kind == ChangeKind::Rescan || relevant(&change.path) {
                            if change.kind == ChangeKind::Folder {
                                add_files_below(&change.path, &relevant, &mut batch);
                            }
                            add(&mut batch, change);
                        }
                    }
                    // A watched folder removed or renamed: its watch is gone, even if a new
                    // folder by its name (maybe with its inode number) is already there.
                    if matches!(
                        event.kind,
                        EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
                    ) {
                        self.lost(&event.paths, &mut batch);
                        self.poll(&mut batch);
                    }
                }
                Ok(Err(err)) => eprintln!("warning: watching for changes: {err}"),
                // Quiet for QUIET since the last event (or open for LONGEST): the batch is done.
                Err(mpsc::RecvTimeoutError::Timeout) if opened.is_some() => {
                    return Some(batch);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return None,
            }
            if polled.elapsed() >= POLL {
                self.poll(&mut batch);
                polled = Instant::now();
            }
            if opened.is_none() && !batch.is_empty() {
                opened = Some(Instant::now());
            }
            if opened.is_some_and(|at| at.elapsed() >= LONGEST) {
                return Some(batch);
            }
        }
    }

    /// Forgets the watches of the roots among `paths`, so the next poll watches them anew,
    /// and asks for a rescan of each.
    fn lost(&mut self, paths: &[PathBuf], batch: &mut Vec<Change>) {
        for root in &mut self.roots {
            if root.watching.is_some() && paths.contains(&root.path) {
                let _ = self.notify.unwatch(&root.path);
                root.watching = None;
                add(
                    batch,
                    Change {
                        path: root.path.clone(),
                        kind: ChangeKind::Rescan,
                    },
                );
            }
        }
    }

    /// Adds a rescan of every root that was replaced.
    fn poll(&mut self, batch: &mut Vec<Change>) {
        for path in self.refresh() {
            let kind = ChangeKind::Rescan;
            add(batch, Change { path, kind });
        }
    }
}

/// Adds the files below a folder that appeared (created, or renamed into place): files made in
/// it before its watch was set up send no event of their own.
fn add_files_below(folder: &Path, relevant: &impl Fn(&Path) -> bool, batch: &mut Vec<Change>) {
    let files = walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && relevant(e.path()));
    for file in files {
        let kind = ChangeKind::File;
        add(
            batch,
            Change {
                path: file.into_path(),
                kind,
            },
        );
    }
}

/// Adds `change` to `batch` unless it is there already.
fn add(batch: &mut Vec<Change>, change: Change) {
    if !batch.contains(&change) {
        batch.push(change);
    }
}

/// The changes one notify event stands for. Reads (`Access`) change nothing: the rebuild's own
/// reads must not start another.
fn classify(event: &notify::Event) -> Vec<Change> {
    if event.need_rescan() {
        return event
            .paths
            .iter()
            .map(|path| Change {
                path: path.clone(),
                kind: ChangeKind::Rescan,
            })
            .collect();
    }
    let folder = |path: &Path| match event.kind {
        EventKind::Create(notify::event::CreateKind::Folder)
        | EventKind::Remove(RemoveKind::Folder) => true,
        // A rename's old name is gone and cannot be asked; the new name can.
        EventKind::Modify(ModifyKind::Name(_)) => path.is_dir(),
        _ => false,
    };
    match event.kind {
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any => {
            event
                .paths
                .iter()
                .map(|path| Change {
                    path: path.clone(),
                    kind: if folder(path) {
                        ChangeKind::Folder
                    } else {
                        ChangeKind::File
                    },
                })
                .collect()
        }
        EventKind::Access(_) | EventKind::Other => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, CreateKind, DataChange, RenameMode};

    fn event(kind: EventKind, paths: &[&str]) -> notify::Event {
        paths.iter().fold(notify::Event::new(kind), |e, p| {
            e.add_path(PathBuf::from(p))
        })
    }

    #[test]
    fn reads_are_not_changes_and_renames_name_both_sides() {
        let read = event(EventKind::Access(AccessKind::Any), &["/p/a.md"]);
        assert!(classify(&read).is_empty());
        let write = event(
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            &["/p/a.md"],
        );
        assert_eq!(classify(&write)[0].kind, ChangeKind::File);
        let rename = event(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["/p/.a.md.tmp", "/p/a.md"],
        );
        let paths: Vec<_> = classify(&rename).into_iter().map(|c| c.path).collect();
        assert_eq!(
            paths,
            [PathBuf::from("/p/.a.md.tmp"), PathBuf::from("/p/a.md")]
        );
        let folder = event(EventKind::Create(CreateKind::Folder), &["/p/new"]);
        assert_eq!(classify(&folder)[0].kind, ChangeKind::Folder);
        let lost = event(EventKind::Other, &["/p"]).set_flag(notify::event::Flag::Rescan);
        assert_eq!(classify(&lost)[0].kind, ChangeKind::Rescan);
    }

    #[test]
    fn one_save_is_one_batch_and_a_replaced_folder_is_watched_again() {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("project");
        std::fs::create_dir(&root).unwrap();
        let mut watcher = Watcher::new().unwrap();
        watcher.watch(std::slice::from_ref(&root));
        // The watcher on a thread of its own, so that a missed event fails the test instead
        // of hanging it.
        let (tx, batches) = mpsc::channel();
        std::thread::spawn(move || {
            while let Some(batch) = watcher.next_batch(|_| true) {
                if tx.send(batch).is_err() {
                    break;
                }
            }
        });
        let wait_for = |what: &str, found: &dyn Fn(&Change) -> bool| {
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                let left = deadline.saturating_duration_since(Instant::now());
                let batch: Vec<Change> = batches
                    .recv_timeout(left)
                    .unwrap_or_else(|_| panic!("no batch with {what}"));
                if batch.iter().any(found) {
                    return;
                }
            }
        };
        // An atomic save: a temporary file written, then renamed over the real one.
        let tmp = root.join(".a.md.tmp");
        std::fs::write(&tmp, "new").unwrap();
        std::fs::rename(&tmp, root.join("a.md")).unwrap();
        wait_for("a.md", &|c| c.path == root.join("a.md"));
        // A new folder with a file made at once, perhaps before the folder is watched.
        std::fs::create_dir(root.join("new")).unwrap();
        std::fs::write(root.join("new/c.md"), "c").unwrap();
        wait_for("new/c.md", &|c| c.path == root.join("new/c.md"));
        // The folder deleted and made again (on many file systems with the same inode
        // number): a rescan, and the new folder is watched.
        std::fs::remove_dir_all(&root).unwrap();
        std::fs::create_dir(&root).unwrap();
        wait_for("a rescan", &|c| c.kind == ChangeKind::Rescan);
        // The watch may be set up a poll later: write until the event comes.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            std::fs::write(root.join("b.md"), "b").unwrap();
            let batch = batches.recv_timeout(Duration::from_secs(1));
            if batch.is_ok_and(|b| b.iter().any(|c| c.path == root.join("b.md"))) {
                break;
            }
            assert!(Instant::now() < deadline, "no event from the new folder");
        }
    }
}
