//! handbok: guideline modules → checked content graph → multilingual handbook site.
//!
//! The pipeline, one module per stage:
//! `load` (disk → files read) → `check` (→ typed [`model`], with `markdown` for bodies) →
//! `link` (→ [`link::Linked`], the content graph), driven per file by `analysis`; then `render`
//! (→ pages) → `write` (→ the output folder, or memory for `serve`, kept by `session`).
//! Diagnostics from every stage are collected in one [`diag::Diagnostics`] and rendered by
//! `report`; `fallback` decides which of them a build may publish around (a translation's own
//! problems); `publish` states what is published and where.

pub mod analysis;
pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod diag;
pub mod export;
pub mod fallback;
pub mod i18n;
pub mod lang;
pub mod link;
pub mod load;
pub mod markdown;
pub mod model;
pub mod po;
pub mod publish;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod session;
pub mod source;
pub mod translate;
pub mod vocab;
pub mod write;

use diag::Diagnostics;
use source::Sources;
use std::path::Path;

/// A project run through load → check → link.
pub struct Project {
    pub sources: Sources,
    pub diags: Diagnostics,
    /// `None` when `book.toml` is missing or unreadable.
    pub loaded: Option<ProjectData>,
}

/// What a project holds once loaded and linked.
pub struct ProjectData {
    pub root: std::path::PathBuf,
    pub config: std::sync::Arc<config::Config>,
    /// Every media file links may point at (published only when a built page does).
    pub media: std::collections::BTreeSet<String>,
    pub ui_files: std::sync::Arc<Vec<load::UiFile>>,
    pub graph: link::Linked,
}

/// Runs load → check → link on the project at `root`, collecting every problem.
pub fn analyze(root: &Path) -> Project {
    analyze_with(root, check::Bodies::Html, analysis::Texts::Keep)
}

/// [`analyze`], with bodies rendered to HTML or not (what renders nothing, `check`, `status`,
/// the translators' and authors' commands, finds the same problems in less time without), and
/// the documents' texts kept or let go once checked.
pub fn analyze_with(root: &Path, bodies: check::Bodies, texts: analysis::Texts) -> Project {
    analysis::Analysis::open(root, bodies, texts).into_project()
}
