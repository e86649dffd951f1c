//! A project kept in memory across edits: what `serve` drives. [`Session::open`] builds the
//! site into memory; [`Session::update`] takes the paths that changed on disk and brings the
//! site up to date; [`Session::get`] answers for one file of the site.
//!
//! A state with errors never replaces the site: the last good one stays served, and its
//! diagnostics are kept for the terminal and the browser's overlay.

use crate::Project;
use crate::diag::Diagnostics;
use crate::render::{BuildOptions, Site};
use crate::source::Sources;
use crate::write::Memory;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The project and its site in memory.
pub struct Session {
    root: PathBuf,
    options: BuildOptions,
    /// The latest analysis: its sources and diagnostics are what the author sees.
    project: Project,
    /// The last good site: root-relative path → bytes.
    files: BTreeMap<String, Arc<[u8]>>,
    /// Whether the latest analysis failed (then `files` is from an earlier one).
    failed: bool,
}

/// What an update did.
#[derive(Debug, Clone)]
pub struct Update {
    /// The site's files whose bytes changed, were added or removed (root-relative paths).
    pub changed: Vec<String>,
    /// Whether the project is good now (`false`: the last good site is still served).
    pub ok: bool,
    /// How long the update took.
    pub took: Duration,
}

impl Session {
    /// Builds the project at `root` in memory.
    pub fn open(root: &Path, options: BuildOptions) -> Session {
        let mut session = Session {
            root: root.to_path_buf(),
            options,
            project: Project {
                sources: Sources::default(),
                diags: Diagnostics::default(),
                loaded: None,
            },
            files: BTreeMap::new(),
            failed: true,
        };
        session.rebuild();
        session
    }

    /// Brings the site up to date after `changed` (paths on disk that were created, modified
    /// or removed) changed.
    pub fn update(&mut self, changed: &[PathBuf]) -> Update {
        let _ = changed;
        self.rebuild()
    }

    fn rebuild(&mut self) -> Update {
        let started = Instant::now();
        let mut project = crate::build::publishable(&self.root, &self.options);
        let files = match project.loaded.take() {
            Some(data) if !project.diags.has_errors() => {
                let stale = crate::translate::stale(
                    &data,
                    &crate::translate::states(&data, &project.sources),
                );
                let data = Arc::new(data);
                let mut diags = Diagnostics::default();
                let memory = Memory::default();
                let emitted = Site::new(data.clone(), &self.options, stale, &mut diags)
                    .map(|site| crate::build::emit(&site, &memory));
                project.loaded = Arc::into_inner(data);
                match emitted {
                    Some(Ok(_)) => Some(memory.into_files()),
                    Some(Err(d)) => {
                        diags.push(*d);
                        None
                    }
                    None => None,
                }
                .inspect(|_| project.diags.extend(std::mem::take(&mut diags)))
                .or_else(|| {
                    project.diags.extend(diags);
                    None
                })
            }
            data => {
                project.loaded = data;
                None
            }
        };
        self.project = project;
        let ok = files.is_some();
        self.failed = !ok;
        let changed = match files {
            Some(files) => {
                let changed = changed_paths(&self.files, &files);
                self.files = files;
                changed
            }
            None => Vec::new(),
        };
        Update {
            changed,
            ok,
            took: started.elapsed(),
        }
    }

    /// One file of the site (`index.html`, `en/modules/x.html`, `media/a.png`), from the last
    /// good state; `None` when the site has no such file.
    pub fn get(&self, path: &str) -> Option<Arc<[u8]>> {
        self.files.get(path).cloned()
    }

    /// The latest diagnostics and the sources they point into.
    pub fn report(&self) -> (&Sources, &Diagnostics) {
        (&self.project.sources, &self.project.diags)
    }

    /// Whether the latest state has errors (the site served is the last good one).
    pub fn failed(&self) -> bool {
        self.failed
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folders and files whose changes matter: the project folder (which holds
    /// `book.toml`, `guidelines/`, `translations/`) and the theme folder if it lies outside.
    pub fn watched(&self) -> Vec<PathBuf> {
        let mut paths = vec![self.root.clone()];
        if let Some(data) = &self.project.loaded
            && let Some(theme) = &data.config.theme
        {
            let theme = self.root.join(theme);
            if !theme.starts_with(&self.root) {
                paths.push(theme);
            }
        }
        paths
    }

    /// Whether a change at `path` can matter to the site: not the output folder, not version
    /// control or editor scratch files.
    pub fn is_relevant(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.root) else {
            return true; // the theme, outside the project
        };
        let build_dir = match &self.project.loaded {
            Some(data) => self.root.join(&data.config.build_dir),
            None => self.root.join("book"),
        };
        let first = rel.components().next().map(|c| c.as_os_str());
        let scratch = first.is_some_and(|f| f == ".git" || f == ".handbok");
        !rel.as_os_str().is_empty() && !scratch && !path.starts_with(&build_dir)
    }
}

/// The paths whose bytes differ between two sites, in order.
fn changed_paths(
    old: &BTreeMap<String, Arc<[u8]>>,
    new: &BTreeMap<String, Arc<[u8]>>,
) -> Vec<String> {
    let mut changed: Vec<String> = new
        .iter()
        .filter(|(path, bytes)| old.get(*path).is_none_or(|o| o != *bytes))
        .map(|(path, _)| path.clone())
        .collect();
    changed.extend(old.keys().filter(|p| !new.contains_key(*p)).cloned());
    changed.sort();
    changed
}
