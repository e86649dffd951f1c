//! Translation fallback: a translation's own problems never block the other languages or the
//! source. Diagnostics of a finished analysis (or of a build's own checks) → which translations
//! `build` leaves out of the graph, and those errors turned into warnings that say so.
//!
//! `check` never calls this: it keeps reporting a translation's problems as errors, so a
//! translators' CI gate still fails. `build --strict` does not call it either.

use crate::ProjectData;
use crate::diag::{Code, Diagnostics, Severity};
use crate::load::is_ui_file;
use crate::source::{FileId, Sources};
use std::collections::{HashMap, HashSet};

/// What publishing does with a file under `translations/` that has errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fallback {
    /// A translation with errors: its pages show the source text under the fallback notice.
    SourceText,
    /// A translation whose only errors are links to missing headings: published as it is,
    /// those links pointing at the top of the page (see `link`).
    AnchorsToTop,
    /// A `ui.yaml`: its unusable entries are left out, the built-in text shows instead.
    BuiltInText,
    /// Anything else (a stray file, a link outside the project, a translation without a
    /// source): nothing of it is published.
    NotPublished,
}

impl Fallback {
    fn note(self) -> &'static str {
        match self {
            Fallback::SourceText => "this translation is published as the source text",
            Fallback::AnchorsToTop => "published with the link pointing at the top of the page",
            Fallback::BuiltInText => "the built-in interface text is published instead",
            Fallback::NotPublished => "this file is not published",
        }
    }
}

/// Codes whose `ui.yaml` entry (or whole file) is left out of the interface text, so the
/// language can still be published. Any other error in a `ui.yaml` stops the build.
const UI_DROPPED: &[Code] = &[
    Code::Io,
    Code::InvalidUtf8,
    Code::YamlSyntax,
    Code::UiStrings,
];

/// If every error in `diags` belongs to a file under `translations/` (and can be left out
/// safely), takes the translations with errors out of `data.graph` (keeping those with only
/// broken anchors) and turns those errors into warnings that say what is published instead.
/// Returns whether it did (then no error is left). With any other error nothing changes: the
/// build stops.
pub fn translations(data: &mut ProjectData, sources: &Sources, diags: &mut Diagnostics) -> bool {
    let mut codes: HashMap<FileId, Vec<Code>> = HashMap::new();
    for d in diags.iter().filter(|d| d.severity == Severity::Error) {
        let Some(primary) = &d.primary else {
            return false;
        };
        let name = &sources.get(primary.file).name;
        if !name.starts_with("translations/") || (is_ui_file(name) && !UI_DROPPED.contains(&d.code))
        {
            return false;
        }
        codes.entry(primary.file).or_default().push(d.code);
    }
    if codes.is_empty() {
        return false;
    }
    let fallback: HashMap<FileId, Fallback> = codes
        .into_iter()
        .map(|(file, codes)| {
            let how = if data.graph.translation_in(file).is_some() {
                if codes.iter().all(|c| *c == Code::BrokenAnchor) {
                    Fallback::AnchorsToTop
                } else {
                    Fallback::SourceText
                }
            } else if is_ui_file(&sources.get(file).name) {
                Fallback::BuiltInText
            } else {
                Fallback::NotPublished
            };
            (file, how)
        })
        .collect();
    for d in diags.iter_mut().filter(|d| d.severity == Severity::Error) {
        if let Some(how) = d.primary.as_ref().and_then(|p| fallback.get(&p.file)) {
            d.severity = Severity::Warning;
            d.message = format!("{} ({})", d.message, how.note());
        }
    }
    let dropped: HashSet<FileId> = fallback
        .iter()
        .filter(|(_, how)| **how == Fallback::SourceText)
        .map(|(file, _)| *file)
        .collect();
    data.graph.drop_translations(&dropped);
    true
}
