//! The pipeline up to the content graph, kept per file: load → check → link, with every
//! problem collected. [`Analysis::open`] runs it over the whole project (what `check` and
//! `build` use, through [`crate::analyze`]); [`Analysis::update`] runs it again for the files
//! that changed (what `serve` uses): each changed text file is read and checked alone, and
//! `link::relink` resolves again only what mentions a change. Both run the same per-file
//! functions, so an updated analysis equals a fresh one.
//!
//! A change to `book.toml`, the theme or a `ui.yaml` changes how every file is read and
//! checked: then the analysis starts over.

use crate::check::{Bodies, Checked, Typed, html::HtmlPolicy};
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::link::{Changes, Linked, Mentions, Previous};
use crate::load::{Entry, Read, UiFile, is_ui_file};
use crate::source::{FileId, Sources};
use crate::{Project, ProjectData};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A project's analysis, per file.
pub struct Analysis {
    root: PathBuf,
    pub sources: Sources,
    /// `None` when `book.toml` is missing or unreadable.
    setup: Option<Setup>,
    /// Problems of `book.toml`, the theme and the `ui.yaml` files (and a missing `book.toml`).
    setup_diags: Vec<Diagnostic>,
    /// The text files found, in discovery order, and the media files.
    texts: Vec<(FileId, Entry)>,
    media: BTreeSet<String>,
    /// Problems of discovery (strays, symlinks, names).
    walk_diags: Vec<Diagnostic>,
    /// Each document's checked form and its problems (reading and checking).
    docs: HashMap<FileId, Checked1>,
    /// The content graph before any publishing decision, and what its documents mention.
    graph: Linked,
    /// What the documents mention (see `link`), kept only by an analysis that will be updated.
    mentions: Option<Mentions>,
    /// Whether to keep `mentions`.
    for_edits: bool,
    /// Problems found linking and checking `source-hash`es (whole-project passes).
    link_diags: Vec<Diagnostic>,
    /// Git history and stored source versions, read once per analysis.
    history: crate::translate::diff::OldSources,
}

/// What becomes of a document's text once it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Texts {
    /// Kept: for what reads the sources after the analysis (`status`, `translate`, `po`,
    /// `export mdbook`, `serve`).
    Keep,
    /// Let go, unless checking the file found a problem in it: a diagnostic found later
    /// (linking) reads it again (see [`crate::source::SourceFile::release`]). For what reads
    /// each text once (`check`, `build`): at 5,000 modules × 4 languages the texts were a
    /// quarter of the analysis's memory.
    LetGo,
}

/// What every file is read and checked against.
struct Setup {
    config: Arc<Config>,
    policy: HtmlPolicy,
    bodies: Bodies,
    texts: Texts,
    ui_files: Arc<Vec<UiFile>>,
}

/// One document after load and check.
struct Checked1 {
    typed: Option<Typed>,
    diags: Vec<Diagnostic>,
}

/// What [`Analysis::update`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redone {
    /// Only the changed files were read again.
    Files,
    /// The configuration, the theme or a `ui.yaml` changed: everything was read again.
    Everything,
}

impl Analysis {
    /// Analyzes the project at `root` whole, once (`build`; with [`Bodies::LintOnly`] for
    /// what renders nothing).
    pub fn open(root: &Path, bodies: Bodies, texts: Texts) -> Analysis {
        Analysis::open_with(root, false, bodies, texts)
    }

    /// Analyzes the project at `root` whole, keeping what [`Analysis::update`] needs.
    pub fn open_for_edits(root: &Path) -> Analysis {
        Analysis::open_with(root, true, Bodies::Html, Texts::Keep)
    }

    fn open_with(root: &Path, for_edits: bool, bodies: Bodies, texts: Texts) -> Analysis {
        let mut sources = Sources::default();
        let mut setup_diags = Diagnostics::default();
        let config = crate::load::config(root, &mut sources, &mut setup_diags);
        let mut analysis = Analysis {
            root: root.to_path_buf(),
            sources,
            setup: None,
            setup_diags: Vec::new(),
            texts: Vec::new(),
            media: BTreeSet::new(),
            walk_diags: Vec::new(),
            docs: HashMap::default(),
            graph: Linked::default(),
            mentions: None,
            for_edits,
            link_diags: Vec::new(),
            history: crate::translate::diff::OldSources::new(root),
        };
        let Some(mut config) = config else {
            analysis.setup_diags = setup_diags.into_iter().collect();
            return analysis;
        };
        config.check_theme(root, &mut setup_diags);
        crate::check::check_book(&config, &analysis.sources, &mut setup_diags);
        let policy = HtmlPolicy::new(&config.embeds, config.external_media);
        analysis.setup = Some(Setup {
            config: Arc::new(config),
            policy,
            bodies,
            texts,
            ui_files: Arc::new(Vec::new()),
        });
        analysis.discover();
        let all = std::mem::take(&mut analysis.texts);
        let ui_files = analysis.read(&all);
        analysis.texts = all;
        if let Some(setup) = &mut analysis.setup {
            crate::check::check_ui(
                &setup.config,
                &analysis.sources,
                &ui_files,
                &mut setup_diags,
            );
            setup.ui_files = Arc::new(ui_files);
        }
        analysis.setup_diags = setup_diags.into_iter().collect();
        analysis.link(None);
        analysis
    }

    /// Brings the analysis up to date with `changed`: paths (absolute, or relative to the
    /// root) that were created, modified or removed.
    pub fn update(&mut self, changed: &[PathBuf]) -> Redone {
        let Some(setup) = &self.setup else {
            *self = Analysis::open_for_edits(&self.root);
            return Redone::Everything;
        };
        let rel: Vec<String> = changed
            .iter()
            .filter_map(|p| {
                let rel = p.strip_prefix(&self.root).unwrap_or(p);
                (!rel.is_absolute()).then(|| crate::source::display_path(Path::new(""), rel))
            })
            .collect();
        let theme = setup.config.theme.as_ref().map(|t| {
            crate::source::display_path(Path::new(""), t)
                .trim_end_matches('/')
                .to_string()
        });
        let everything = rel.iter().any(|p| {
            p == "book.toml"
                || p.is_empty()
                || is_ui_file(p)
                || theme
                    .as_ref()
                    .is_some_and(|t| p == t || p.starts_with(&format!("{t}/")))
        });
        if everything {
            *self = Analysis::open_for_edits(&self.root);
            return Redone::Everything;
        }
        let known = |p: &str| self.sources.find(p).filter(|id| self.docs.contains_key(id));
        // An edit of a known file leaves the set of files as it is; anything else (a file
        // created, removed, renamed, a folder) is found by discovering again.
        let structural = rel
            .iter()
            .any(|p| self.is_structural(p, known(p).is_some()));
        let mut edited: HashSet<FileId> = rel.iter().filter_map(|p| known(p)).collect();
        let mut changes = Changes::default();
        if structural {
            let before: HashSet<FileId> = self.texts.iter().map(|(id, _)| *id).collect();
            let media_before = std::mem::take(&mut self.media);
            self.discover();
            let now: HashSet<FileId> = self.texts.iter().map(|(id, _)| *id).collect();
            edited.extend(now.difference(&before));
            for gone in before.difference(&now) {
                self.docs.remove(gone);
                changes.files.insert(*gone);
            }
            changes.media = media_before
                .symmetric_difference(&self.media)
                .cloned()
                .collect();
        }
        let entries: Vec<(FileId, Entry)> = self
            .texts
            .iter()
            .filter(|(id, _)| edited.contains(id))
            .cloned()
            .collect();
        self.read(&entries);
        changes.files.extend(edited);
        self.link(Some(changes));
        Redone::Files
    }

    /// Whether a change at `rel` may change the set of files (then they are discovered again):
    /// a known file gone or replaced, a new file or folder, a folder or media file removed. A
    /// path that is neither known nor there any more (an editor's temporary file, renamed over
    /// the file it saves) changes nothing.
    fn is_structural(&self, rel: &str, known: bool) -> bool {
        let meta = std::fs::symlink_metadata(self.root.join(rel));
        let is_file = meta.as_ref().is_ok_and(|m| m.is_file());
        if known {
            return !is_file;
        }
        if meta.is_ok() {
            return !(is_file && self.media.contains(rel));
        }
        let inside = format!("{rel}/");
        self.media.contains(rel)
            || self.media.iter().any(|m| m.starts_with(&inside))
            || self
                .texts
                .iter()
                .any(|(id, _)| self.sources.get(*id).name.starts_with(&inside))
    }

    /// Finds the project's files again.
    fn discover(&mut self) {
        let Some(setup) = &self.setup else { return };
        let mut diags = Diagnostics::default();
        let found = crate::load::discover(
            &self.root,
            &setup.config.languages,
            &mut self.sources,
            &mut diags,
        );
        self.texts = found
            .texts
            .into_iter()
            .map(|e| (self.sources.id(&e.path()), e))
            .collect();
        self.media = found.media;
        self.walk_diags = diags.into_iter().collect();
    }

    /// Reads and checks `entries` (in parallel); returns the `ui.yaml` files among them.
    fn read(&mut self, entries: &[(FileId, Entry)]) -> Vec<UiFile> {
        let Some(setup) = &self.setup else {
            return Vec::new();
        };
        let root = &self.root;
        let results: Vec<_> = entries
            .par_iter()
            .map(|(id, entry)| {
                let (mut file, read, mut diags) = crate::load::read(root, entry, *id);
                let checked = match &read {
                    Read::Doc(doc) => {
                        let (typed, problems) = crate::check::check_doc(
                            doc,
                            &file,
                            &setup.config,
                            &setup.policy,
                            setup.bodies,
                        );
                        diags.extend(problems);
                        Some(typed)
                    }
                    Read::Ui(_) | Read::Unreadable => None,
                };
                // Let go here, on the thread that read it, so the next file reuses the memory
                // (and so is a document's front matter as read: its typed form is kept).
                if setup.texts == Texts::LetGo && checked.is_some() && diags.is_empty() {
                    file.release();
                }
                let ui = match read {
                    Read::Ui(ui) => Some(ui),
                    Read::Doc(_) | Read::Unreadable => None,
                };
                (*id, file, ui, checked, diags)
            })
            .collect();
        let mut ui_files = Vec::new();
        self.docs.reserve(results.len());
        for (id, file, ui, checked, diags) in results {
            self.sources.set(id, file);
            match ui {
                Some(ui) => {
                    ui_files.push(ui);
                    // Reading problems of a ui.yaml belong to the setup.
                    self.docs.insert(id, Checked1 { typed: None, diags });
                }
                None => {
                    let typed = checked.flatten();
                    self.docs.insert(id, Checked1 { typed, diags });
                }
            }
        }
        ui_files
    }

    /// Links the documents, after `changes` (or whole).
    fn link(&mut self, changes: Option<Changes>) {
        let Some(setup) = &self.setup else { return };
        let mut checked = Checked::default();
        for (id, _) in &self.texts {
            match self.docs.get(id).and_then(|d| d.typed.clone()) {
                Some(Typed::Module(m)) => checked.modules.push(m),
                Some(Typed::Translation(t)) => checked.translations.push(t),
                None => {}
            }
        }
        let mut diags = Diagnostics::default();
        let graph = match (&changes, self.mentions.as_mut()) {
            (Some(changes), Some(mentions)) => crate::link::relink(
                checked,
                &setup.config,
                &self.media,
                Some(Previous {
                    graph: &self.graph,
                    changes,
                    mentions,
                }),
                &mut diags,
            ),
            _ if self.for_edits || changes.is_some() => {
                let (graph, mentions) =
                    crate::link::link_indexed(checked, &setup.config, &self.media, &mut diags);
                self.mentions = Some(mentions);
                graph
            }
            _ => crate::link::link(checked, &setup.config, &self.media, &mut diags),
        };
        self.graph = graph;
        crate::translate::check_hashes(
            &self.graph,
            &self.root,
            &self.sources,
            &self.history,
            &mut diags,
        );
        crate::config::publisher::check_files(
            setup.config.publisher.as_ref(),
            setup.config.file,
            &self.media,
            &mut diags,
        );
        self.link_diags = diags.into_iter().collect();
    }

    /// The project as the later stages take it: the graph and what it was made from.
    pub fn data(&self) -> Option<ProjectData> {
        let setup = self.setup.as_ref()?;
        Some(ProjectData {
            root: self.root.clone(),
            config: setup.config.clone(),
            media: self.media.clone(),
            ui_files: setup.ui_files.clone(),
            graph: self.graph.clone(),
        })
    }

    /// Every problem, sorted.
    pub fn diagnostics(&self) -> Diagnostics {
        let mut diags = Diagnostics::default();
        diags.extend(self.setup_diags.iter().cloned());
        diags.extend(self.walk_diags.iter().cloned());
        for (id, _) in &self.texts {
            if let Some(doc) = self.docs.get(id) {
                diags.extend(doc.diags.iter().cloned());
            }
        }
        diags.extend(self.link_diags.iter().cloned());
        diags.sort();
        diags
    }

    /// The analysis as a [`Project`] (for the commands that run once).
    pub fn into_project(mut self) -> Project {
        let diags = self.diagnostics();
        // The graph and media list are moved, not copied as `data` must.
        let loaded = self.setup.as_ref().map(|setup| ProjectData {
            root: self.root.clone(),
            config: setup.config.clone(),
            media: std::mem::take(&mut self.media),
            ui_files: setup.ui_files.clone(),
            graph: std::mem::take(&mut self.graph),
        });
        Project {
            sources: self.sources,
            diags,
            loaded,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The configuration, when `book.toml` could be read.
    pub fn config(&self) -> Option<&Config> {
        self.setup.as_ref().map(|s| s.config.as_ref())
    }
}
