//! What is published and where, stated once: the URL scheme of the site's pages and media,
//! which modules a build includes, and which text a module shows in a language. `render`
//! (and so `build` and `serve`) and `export` all ask here, so they cannot disagree.

use crate::link::{Linked, ModuleIdx};
use crate::model::{Body, Module, Translation};
use crate::source::FileId;
use crate::vocab::Status;
use std::fmt::Write;

/// The root-relative path of module `id`'s page in language folder `lang`.
pub fn module_path(lang: &str, id: &str) -> String {
    format!("{lang}/modules/{id}.html")
}

/// Whether a build includes `module`: drafts only when asked for (`--drafts`).
pub fn is_built(module: &Module, drafts: bool) -> bool {
    drafts || module.status != Status::Draft
}

/// The site path of a project file used as media: `guidelines/x` → `media/x`,
/// `translations/sv/x` → `sv/media/x`.
pub fn media_path(project_path: &str) -> String {
    if let Some(rest) = project_path.strip_prefix("guidelines/") {
        format!("media/{rest}")
    } else if let Some(rest) = project_path.strip_prefix("translations/") {
        match rest.split_once('/') {
            Some((lang, file)) => format!("{lang}/media/{file}"),
            None => format!("media/{rest}"),
        }
    } else {
        format!("media/{project_path}")
    }
}

/// Percent-encodes the characters of a path that cannot stand in a URL as they are.
pub fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// What module `m` shows in language `l`: its translation there, else the source text.
pub struct Shown<'g> {
    pub title: &'g str,
    pub summary: &'g str,
    /// The file whose body is shown.
    pub file: FileId,
    pub body: &'g Body,
    /// The translation shown, `None` when the source text stands in.
    pub translation: Option<&'g Translation>,
}

/// Which text module `m` shows in language `l` (index into `config.languages`; the source
/// language is 0): the translation when there is one in the graph, else the source's.
pub fn shown(graph: &Linked, m: ModuleIdx, l: usize) -> Shown<'_> {
    let module = &graph.modules[m];
    match graph.translated[m][l].map(|t| graph.translations[t].as_ref()) {
        Some(t) => Shown {
            title: &t.title,
            summary: &t.summary,
            file: t.file,
            body: &t.body,
            translation: Some(t),
        },
        None => Shown {
            title: &module.title,
            summary: &module.summary,
            file: module.file,
            body: &module.body,
            translation: None,
        },
    }
}

/// The keywords module `m` shows and indexes in language `l` (pages, JSON-LD, search): the
/// translation's own, else the source's. `in_source` is set when they are the source's and `l`
/// is another language, so pages mark them with the source language.
pub fn keywords(graph: &Linked, m: ModuleIdx, l: usize) -> (&[String], bool) {
    let source = graph.modules[m].keywords.as_slice();
    match shown(graph, m, l).translation {
        Some(t) if !t.keywords.is_empty() => (&t.keywords, false),
        _ => (source, l != 0 && !source.is_empty()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_paths() {
        assert_eq!(media_path("guidelines/img/a.png"), "media/img/a.png");
        assert_eq!(
            media_path("translations/sv/img/a.png"),
            "sv/media/img/a.png"
        );
        assert_eq!(url_path("media/my file.png"), "media/my%20file.png");
        assert_eq!(module_path("sv", "captions"), "sv/modules/captions.html");
    }
}
