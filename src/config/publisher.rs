//! `[handbok.publisher]` in `book.toml` → [`Publisher`]: who publishes the site (name, link,
//! logo) and its favicon, shown in every page's header.
//!
//! The logo and favicon are media files of the project, published like an image a module
//! shows: their paths must lie in `guidelines/`, where the walk finds media (and refuses links
//! that lead outside the project or into hidden folders), so nothing else of the disk can be
//! published through `book.toml`. Parsing checks the form of each value; [`check_files`] checks,
//! once the project is walked, that the files are there.

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::{FileId, Span};
use serde::Deserialize;
use std::collections::BTreeSet;
use toml::Spanned;

/// The site's publisher, as the header shows it.
#[derive(Debug, Clone)]
pub struct Publisher {
    pub name: String,
    /// An absolute http(s) address the name and logo link to.
    pub url: Option<String>,
    pub logo: Option<MediaFile>,
    pub favicon: Option<MediaFile>,
}

/// A media file named in `book.toml`: its project path (`guidelines/…`) and where it was written.
#[derive(Debug, Clone)]
pub struct MediaFile {
    pub path: String,
    pub span: Span,
}

impl MediaFile {
    /// The media type browsers need for a favicon's `<link type>`, by extension.
    pub fn mime(&self) -> &'static str {
        match extension(&self.path).as_deref() {
            Some("svg") => "image/svg+xml",
            Some("png") => "image/png",
            Some("ico") => "image/x-icon",
            Some("webp") => "image/webp",
            Some("gif") => "image/gif",
            _ => "image/jpeg",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPublisher {
    name: Spanned<String>,
    url: Option<Spanned<String>>,
    logo: Option<Spanned<String>>,
    favicon: Option<Spanned<String>>,
}

/// The image formats browsers show as a logo, and as a favicon.
const LOGO_TYPES: &[&str] = &["svg", "png", "webp", "jpg", "jpeg", "gif"];
const FAVICON_TYPES: &[&str] = &["svg", "png", "ico"];

/// Validates the table; every problem is reported at its value, and what is valid is kept.
pub(super) fn validate(raw: RawPublisher, file: FileId, diags: &mut Diagnostics) -> Publisher {
    let mut error = |span: Span, message: String, help: &str| {
        diags.push(
            Diagnostic::new(Code::BookConfig, message)
                .at(file, span)
                .help(help.to_string()),
        );
    };
    let name = raw.name.get_ref().trim().to_string();
    if name.is_empty() {
        error(
            raw.name.span(),
            "the publisher's name is empty".into(),
            "write the name readers know, e.g. `name = \"Skolverket\"`",
        );
    }
    let url = raw.url.and_then(|url| {
        let text = url.get_ref().trim();
        if super::is_http_url(text) {
            Some(text.to_string())
        } else {
            error(
                url.span(),
                format!("the publisher's `url` must be an absolute http(s) URL, found `{text}`"),
                "write the publisher's address, e.g. `url = \"https://example.org/\"`",
            );
            None
        }
    });
    let mut media = |value: Option<Spanned<String>>, key: &str, types: &[&str]| {
        let value = value?;
        match media_problem(value.get_ref(), types) {
            None => Some(MediaFile {
                path: value.get_ref().clone(),
                span: value.span(),
            }),
            Some(problem) => {
                let help = format!(
                    "put the file in guidelines/ and name it from the project folder, e.g. `{key} = \"guidelines/media/{key}.{}\"`",
                    types[0]
                );
                error(
                    value.span(),
                    format!("the publisher's `{key}` `{}` {problem}", value.get_ref()),
                    &help,
                );
                None
            }
        }
    };
    let logo = media(raw.logo, "logo", LOGO_TYPES);
    let favicon = media(raw.favicon, "favicon", FAVICON_TYPES);
    Publisher {
        name,
        url,
        logo,
        favicon,
    }
}

/// Why `path` cannot be a logo or favicon (of one of `types`), or `None` when it can.
fn media_problem(path: &str, types: &[&str]) -> Option<String> {
    let inside = path
        .strip_prefix(crate::config::GUIDELINES)
        .and_then(|rest| rest.strip_prefix('/'));
    let Some(inside) = inside else {
        return Some("is not a plain path inside guidelines/".into());
    };
    let segments: Vec<&str> = inside.split('/').collect();
    if path.contains('\\')
        || segments
            .iter()
            .any(|s| s.is_empty() || *s == "." || *s == ".." || s.starts_with('.'))
    {
        return Some("is not a plain path inside guidelines/".into());
    }
    match extension(path) {
        Some(ext) if types.contains(&ext.as_str()) => None,
        _ => Some(format!("is not an image of type {}", types.join(", "))),
    }
}

/// The file's extension, lower-case.
fn extension(path: &str) -> Option<String> {
    let name = path.rsplit('/').next()?;
    let (_, ext) = name.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

/// Reports a logo or favicon that is not among the project's media files (E014), at its value in
/// `book.toml`. Called after every walk, so `serve` sees a file appear or go.
pub fn check_files(
    publisher: Option<&Publisher>,
    file: FileId,
    media: &BTreeSet<String>,
    diags: &mut Diagnostics,
) {
    let Some(publisher) = publisher else { return };
    for (key, named) in [("logo", &publisher.logo), ("favicon", &publisher.favicon)] {
        let Some(named) = named else { continue };
        if !media.contains(&named.path) {
            diags.push(
                Diagnostic::new(
                    Code::MissingFile,
                    format!("the publisher's {key} `{}` is not a file of the project", named.path),
                )
                .at(file, named.span.clone())
                .help("add the file there, or correct the path (it is relative to book.toml's folder)"),
            );
        }
    }
}

impl Publisher {
    /// The logo and favicon that exist among `media`: the files to publish.
    pub fn files<'a>(&'a self, media: &'a BTreeSet<String>) -> impl Iterator<Item = &'a str> {
        [&self.logo, &self.favicon]
            .into_iter()
            .flatten()
            .map(|f| f.path.as_str())
            .filter(|p| media.contains(*p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_paths_stay_in_guidelines() {
        let types = LOGO_TYPES;
        assert_eq!(media_problem("guidelines/media/logo.svg", types), None);
        assert_eq!(media_problem("guidelines/Logo.PNG", types), None);
        for outside in [
            "media/logo.svg",
            "/etc/logo.svg",
            "guidelines/../secret.svg",
            "guidelines/./logo.svg",
            "guidelines//logo.svg",
            "guidelines/.git/logo.svg",
            "guidelines\\logo.svg",
            "guidelineslogo.svg",
            "https://example.org/logo.svg",
        ] {
            let problem = media_problem(outside, types);
            assert!(
                problem.is_some_and(|p| p.contains("inside guidelines/")),
                "{outside}"
            );
        }
        assert!(media_problem("guidelines/logo.pdf", types).is_some_and(|p| p.contains("svg")));
        assert!(media_problem("guidelines/icon.jpg", FAVICON_TYPES).is_some());
    }
}
