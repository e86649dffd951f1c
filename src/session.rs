//! A project kept in memory across edits: what `serve` drives. [`Session::open`] analyzes the
//! project; [`Session::update`] takes the paths that changed on disk and redoes only what they
//! affect (see `analysis`); [`Session::get`] answers for one file of the site, rendering it on
//! demand: the page being viewed first, everything else when asked for.
//!
//! Rendered files are kept with the fingerprint of their inputs (`render::inputs`) and
//! rendered again only when it changes, so after an edit a request costs one page. A state with
//! errors never replaces the site: the last good one stays served, and its diagnostics are kept
//! for the terminal and the browser's overlay.

use crate::analysis::{Analysis, Redone};
use crate::build::{Bytes, Rendered, Renderer, emit_with};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::render::inputs::Inputs;
use crate::render::{BuildOptions, Look, Page, Site};
use crate::source::Sources;
use crate::write::Memory;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The project and its site in memory.
pub struct Session {
    analysis: Analysis,
    options: BuildOptions,
    /// The compiled theme, kept until the configuration, a `ui.yaml` or the theme changes.
    look: Option<Arc<Look>>,
    /// Changes with the look: part of every fingerprint.
    generation: u64,
    /// The latest diagnostics (of a good or a failed state).
    diags: Diagnostics,
    /// The last good site.
    served: Option<Served>,
    /// Whether the latest state has errors (then `served` is from an earlier one).
    failed: bool,
    /// Rendered files by path, with the fingerprint they were rendered for.
    cache: Cache,
    /// Git history and old source versions, read once (restart `serve` to see new commits).
    history: crate::translate::diff::OldSources,
}

/// A good state's site and the fingerprints of its files.
struct Served {
    site: Site,
    inputs: Inputs,
    /// The site's pages and their paths, shared with the next state while the set of pages
    /// stays the same (as it does while an author edits a module).
    table: Arc<Table>,
    /// Each page's fingerprint, in `table` order.
    fingerprints: Vec<u64>,
    /// Site path of each published media file → its project path (found on first request).
    media: std::sync::OnceLock<HashMap<String, String>>,
}

/// The pages of a site, their paths, and the way from a path to a page.
struct Table {
    pages: Vec<Page>,
    paths: Vec<String>,
    index: HashMap<String, usize>,
    /// The module ids in page order (a page's identity: positions alone may shift).
    ids: Vec<String>,
}

impl Table {
    fn new(site: &Site, pages: Vec<Page>) -> Table {
        let paths: Vec<String> = pages.par_iter().map(|p| site.path(p)).collect();
        let index = paths
            .iter()
            .enumerate()
            .map(|(i, p)| (p.clone(), i))
            .collect();
        Table {
            pages,
            paths,
            index,
            ids: site
                .data
                .graph
                .modules
                .iter()
                .map(|m| m.id.clone())
                .collect(),
        }
    }

    /// Whether `site` has exactly these pages.
    fn fits(&self, site: &Site, pages: &[Page]) -> bool {
        self.pages == pages
            && self.ids.iter().map(String::as_str).eq(site
                .data
                .graph
                .modules
                .iter()
                .map(|m| m.id.as_str()))
    }

    fn get(&self, path: &str) -> Option<(usize, &Page)> {
        self.index.get(path).map(|&i| (i, &self.pages[i]))
    }
}

/// A language's search index files: root-relative paths and bytes.
type SearchFiles = Arc<Vec<(String, Bytes)>>;

#[derive(Default)]
struct Cache {
    pages: Mutex<HashMap<String, (u64, Bytes)>>,
    /// Per language: the search index files, for a fingerprint.
    search: Mutex<HashMap<usize, (u64, SearchFiles)>>,
}

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What an update did.
#[derive(Debug, Clone)]
pub struct Update {
    /// The site's pages whose inputs changed, were added or removed (root-relative paths).
    pub changed: Vec<String>,
    /// Whether the project is good now (`false`: the last good site is still served).
    pub ok: bool,
    /// How long the update took.
    pub took: Duration,
}

impl Session {
    /// Analyzes the project at `root`; pages are rendered when asked for.
    pub fn open(root: &Path, options: BuildOptions) -> Session {
        let mut session = Session {
            analysis: Analysis::open_for_edits(root),
            options,
            look: None,
            generation: 0,
            diags: Diagnostics::default(),
            served: None,
            failed: true,
            cache: Cache::default(),
            history: crate::translate::diff::OldSources::new(root),
        };
        session.settle(Instant::now());
        session
    }

    /// Brings the site up to date after `changed` (paths on disk that were created, modified
    /// or removed).
    pub fn update(&mut self, changed: &[PathBuf]) -> Update {
        let started = Instant::now();
        if self.analysis.update(changed) == Redone::Everything {
            self.look = None;
        }
        self.settle(started)
    }

    /// Makes a site of the analysis as it is, if it is good.
    fn settle(&mut self, started: Instant) -> Update {
        let mut diags = self.analysis.diagnostics();
        let mut site = None;
        if let Some(mut data) = self.analysis.data() {
            crate::build::decide(&mut data, &self.analysis.sources, &mut diags, &self.options);
            if !diags.has_errors() {
                if self.look.is_none() {
                    self.look = Look::new(&data, &mut diags);
                    self.generation += 1;
                }
                if let Some(look) = &self.look {
                    let states =
                        crate::translate::states_with(&data, &self.analysis.sources, &self.history);
                    let stale = crate::translate::stale_with(&data, &states, &self.history);
                    site = Some(Site::with_look(
                        Arc::new(data),
                        look.clone(),
                        &self.options,
                        stale,
                    ));
                }
            }
        }
        self.diags = diags;
        let Some(site) = site else {
            self.failed = true;
            return Update {
                changed: Vec::new(),
                ok: false,
                took: started.elapsed(),
            };
        };
        let inputs = Inputs::new(&site, self.generation);
        let pages = site.pages();
        let table = match &self.served {
            Some(old) if old.table.fits(&site, &pages) => old.table.clone(),
            _ => Arc::new(Table::new(&site, pages)),
        };
        let fingerprints: Vec<u64> = table
            .pages
            .par_iter()
            .map(|page| inputs.page(&site, page))
            .collect();
        let mut changed: Vec<String> = match &self.served {
            None => table.paths.clone(),
            Some(old) if Arc::ptr_eq(&old.table, &table) => (0..fingerprints.len())
                .filter(|&i| fingerprints[i] != old.fingerprints[i])
                .map(|i| table.paths[i].clone())
                .collect(),
            Some(old) => {
                let was = |path: &str| old.table.get(path).map(|(i, _)| old.fingerprints[i]);
                let mut changed: Vec<String> = (0..fingerprints.len())
                    .filter(|&i| was(&table.paths[i]) != Some(fingerprints[i]))
                    .map(|i| table.paths[i].clone())
                    .collect();
                changed.extend(
                    old.table
                        .paths
                        .iter()
                        .filter(|p| !table.index.contains_key(*p))
                        .cloned(),
                );
                // Files no page has any more are forgotten.
                locked(&self.cache.pages).retain(|path, _| table.index.contains_key(path));
                changed
            }
        };
        if let Some(old) = &self.served {
            let (old_css, old_js) = (&old.site.look.css_path, &old.site.look.js_path);
            for asset in [&site.look.css_path, &site.look.js_path] {
                if asset != old_css && asset != old_js {
                    changed.push(asset.clone());
                }
            }
        }
        changed.sort();
        self.served = Some(Served {
            site,
            inputs,
            table,
            fingerprints,
            media: std::sync::OnceLock::new(),
        });
        self.failed = false;
        Update {
            changed,
            ok: true,
            took: started.elapsed(),
        }
    }

    /// One file of the site (`index.html`, `en/modules/x.html`, `media/a.png`), from the last
    /// good state; `None` when the site has no such file.
    pub fn get(&self, path: &str) -> Option<Arc<[u8]>> {
        let served = self.served.as_ref()?;
        let site = &served.site;
        if let Some((_, page)) = served.table.get(path) {
            return self.page(site, page).ok().map(|page| match page {
                Rendered::Kept(bytes) => bytes,
                Rendered::Made(bytes) => Arc::from(bytes),
            });
        }
        if path == site.look.css_path {
            return Some(Arc::from(site.look.css.as_bytes()));
        }
        if path == site.look.js_path {
            return Some(Arc::from(site.look.js.as_bytes()));
        }
        let media = served.media.get_or_init(|| {
            site.media()
                .into_iter()
                .map(|m| (crate::publish::media_path(m), m.to_string()))
                .collect()
        });
        if let Some(project_path) = media.get(path) {
            return std::fs::read(self.analysis.root().join(project_path))
                .ok()
                .map(Arc::from);
        }
        let (lang, rest) = path.split_once('/')?;
        if rest.starts_with("search/") {
            let l = site
                .data
                .config
                .languages
                .iter()
                .position(|t| t.as_str() == lang)?;
            return self
                .search_files(site, l)
                .iter()
                .find(|(p, _)| p == path)
                .map(|(_, bytes)| bytes.clone());
        }
        None
    }

    /// Every file of the site, as `build` would write it (rendering only what the cache does
    /// not hold for its current inputs).
    pub fn files(&self) -> Result<BTreeMap<String, Arc<[u8]>>, Box<Diagnostic>> {
        let Some(served) = &self.served else {
            return Err(Box::new(Diagnostic::new(
                Code::Output,
                "the project has errors: there is no site",
            )));
        };
        let memory = Memory::default();
        emit_with(&served.site, &memory, self, &())?;
        Ok(memory.into_files())
    }

    /// The latest diagnostics and the sources they point into.
    pub fn report(&self) -> (&Sources, &Diagnostics) {
        (&self.analysis.sources, &self.diags)
    }

    /// Whether the latest state has errors (the site served is the last good one).
    pub fn failed(&self) -> bool {
        self.failed
    }

    pub fn root(&self) -> &Path {
        self.analysis.root()
    }

    /// The folders whose changes matter: the project folder, which holds `book.toml`,
    /// `guidelines/`, `translations/` and the theme (a theme must lie inside the project).
    pub fn watched(&self) -> Vec<PathBuf> {
        vec![self.root().to_path_buf()]
    }

    /// Whether a change at `path` can matter to the site: not the output folder, not version
    /// control or handbok's own store.
    pub fn is_relevant(&self, path: &Path) -> bool {
        let root = self.root();
        let Ok(rel) = path.strip_prefix(root) else {
            return false;
        };
        let build_dir = match self.analysis.config() {
            Some(config) => root.join(&config.build_dir),
            None => root.join("book"),
        };
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy());
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        // Version control, handbok's store and a build's staging folders beside the output.
        let ours = first.is_some_and(|f| {
            f == ".git"
                || f == ".handbok"
                || f.contains(".handbok-new-")
                || f.contains(".handbok-old-")
        });
        // Editors' scratch files: backups, swap files, Vim's write test, Emacs locks.
        let scratch = name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".swx")
            || name == "4913"
            || name.starts_with(".#");
        !rel.as_os_str().is_empty() && !ours && !scratch && !path.starts_with(&build_dir)
    }

    /// The search index files of language `l`, made again only when their inputs changed.
    fn search_files(&self, site: &Site, l: usize) -> SearchFiles {
        let made = || {
            let mut files = Vec::new();
            crate::render::search::each_file(site, l, &mut |path, text| {
                files.push((path, Bytes::from(text.into_bytes())));
            });
            Arc::new(files)
        };
        let Some(served) = &self.served else {
            return made();
        };
        let fingerprint = served.inputs.search(l);
        if let Some((fp, files)) = locked(&self.cache.search).get(&l)
            && *fp == fingerprint
        {
            return files.clone();
        }
        let files = made();
        locked(&self.cache.search).insert(l, (fingerprint, files.clone()));
        files
    }
}

impl Renderer for Session {
    fn page(&self, site: &Site, page: &Page) -> Result<Rendered, String> {
        let Some(served) = &self.served else {
            return crate::build::Fresh.page(site, page);
        };
        let path = site.path(page);
        let fingerprint = served
            .table
            .get(&path)
            .map(|(i, _)| served.fingerprints[i])
            .unwrap_or_else(|| served.inputs.page(site, page));
        if let Some((fp, bytes)) = locked(&self.cache.pages).get(&path)
            && *fp == fingerprint
        {
            return Ok(Rendered::Kept(bytes.clone()));
        }
        let bytes: Arc<[u8]> = site.render(page)?.into();
        locked(&self.cache.pages).insert(path, (fingerprint, bytes.clone()));
        Ok(Rendered::Kept(bytes))
    }

    fn search(&self, site: &Site, l: usize, out: &mut dyn FnMut(&str, &[u8])) {
        for (path, bytes) in self.search_files(site, l).iter() {
            out(path, bytes);
        }
    }
}
