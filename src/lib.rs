//! handbok: guideline modules → checked content graph → multilingual handbook site.
//!
//! The pipeline, one module per stage:
//! `load` (disk → [`load::Loaded`]) → `check` (→ typed [`model`]) → `link` (→ [`link::Linked`],
//! the content graph). Diagnostics from every stage are collected in one [`diag::Diagnostics`]
//! and rendered by `report`; `fallback` decides which of them a build may publish around (a
//! translation's own problems).

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
pub mod model;
pub mod po;
pub mod render;
pub mod report;
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
    pub config: config::Config,
    /// Every media file links may point at (published only when a built page does).
    pub media: std::collections::BTreeSet<String>,
    pub ui_files: Vec<load::UiFile>,
    pub graph: link::Linked,
}

/// Runs load → check → link on the project at `root`, collecting every problem.
pub fn analyze(root: &Path) -> Project {
    let mut sources = Sources::default();
    let mut diags = Diagnostics::default();
    let Some(mut loaded) = load::load(root, &mut sources, &mut diags) else {
        diags.sort();
        return Project {
            sources,
            diags,
            loaded: None,
        };
    };
    loaded.config.check_theme(&loaded.root, &mut diags);
    let checked = check::check(&loaded, &mut diags);
    check::check_ui(&loaded, &mut diags);
    let load::Loaded {
        root,
        sources,
        config,
        media,
        ui_files,
        ..
    } = loaded;
    let graph = link::link(checked, &config, &media, &mut diags);
    let data = ProjectData {
        root,
        config,
        media,
        ui_files,
        graph,
    };
    translate::check_hashes(&data, &sources, &mut diags);
    diags.sort();
    Project {
        sources,
        diags,
        loaded: Some(data),
    }
}
