//! The typed content model that `check` produces and `link` connects: modules, translations and
//! what their bodies contain (headings, links, images).
//!
//! These are facts: each is computed from its one file (and the configuration) and never
//! changes afterwards. What depends on other files (resolved links, aligned heading ids,
//! backlinks) lives in `link`'s tables.

use crate::lang::LanguageTag;
use crate::source::{FileId, Span};
use crate::vocab::{Competence, Level, Need, Status, Subject};

/// A guideline module in the source language.
#[derive(Debug)]
pub struct Module {
    pub file: FileId,
    /// Path below `guidelines/`, e.g. `inclusion/captions.md`.
    pub rel: String,
    pub id: String,
    pub id_span: Span,
    pub title: String,
    pub summary: String,
    pub levels: Vec<Level>,
    pub subjects: Vec<Subject>,
    pub needs: Vec<Need>,
    pub competences: Vec<Competence>,
    /// Related module ids with their place in the front matter (resolved by `link`).
    pub related: Vec<(String, Span)>,
    pub keywords: Vec<String>,
    pub status: Status,
    /// `YYYY-MM-DD`, validated.
    pub updated: Option<String>,
    pub authors: Vec<String>,
    /// ISO 3166-1 alpha-2 code or `EU`.
    pub country: Option<String>,
    /// SPDX id; `None` means the project default.
    pub license: Option<String>,
    /// The fingerprint of the file's text that translations record as `source-hash` (see
    /// `translate::fingerprint`); empty if it cannot be computed.
    pub fingerprint: String,
    /// A hash of the file's text: what a page showing this module depends on (see
    /// `render::inputs`).
    pub hash: u64,
    pub body: Body,
}

/// One module's text in another language.
#[derive(Debug)]
pub struct Translation {
    pub file: FileId,
    pub lang: LanguageTag,
    /// The mirrored path: the source is `guidelines/{rel}`.
    pub rel: String,
    pub title: String,
    pub summary: String,
    pub translators: Vec<String>,
    /// The fingerprint of the source it was made from (see `translate::fingerprint`), if well
    /// formed, and where it is written.
    pub source_hash: Option<String>,
    pub source_hash_span: Option<Span>,
    /// `status: draft`: not published unless `build --drafts` (see `translate::drafts`).
    pub draft: bool,
    /// An `id` the translator wrote, with its place (must equal the source's).
    pub id: Option<(String, Span)>,
    /// The translation's own keywords (its language's words); empty: none set.
    pub keywords: Vec<String>,
    /// When the translation's text last changed, if it says (see `render`'s `Site::updated`).
    pub updated: Option<String>,
    /// A hash of the file's text (see [`Module::hash`]).
    pub hash: u64,
    pub body: Body,
}

/// A Markdown body and what a scan of it found.
#[derive(Debug, Default)]
pub struct Body {
    /// The body's byte range in the file text.
    pub span: Span,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    pub images: Vec<Image>,
    /// The body as HTML, with placeholders for what depends on the page (see `check::body`).
    /// Its plain text is read back from it where needed (`markdown::plain`).
    pub html: String,
    /// How many words its text has (for reading times and translation word counts).
    pub words: u32,
    /// Raw HTML tags (their spans in the file) that the sanitizer changes: where the body is
    /// passed on as Markdown (`export mdbook`), these tags are left out whole.
    pub unsafe_tags: Vec<Span>,
    /// Whether the body has raw HTML. Without, its HTML is what the Markdown renderer wrote
    /// (and handbok's own tags), which is also well-formed XML: an e-book takes it as it is.
    pub raw_html: bool,
}

#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    /// The explicit `{#id}` or the id derived from the text the way mdBook derives it. In a
    /// translation, `link` may publish a derived id as the source heading's instead (see
    /// `link::align` and [`crate::link::Linked::heading_ids`]).
    pub id: String,
    /// Whether the id was written as `{#id}` (then it is never replaced).
    pub explicit: bool,
    pub text: String,
    pub span: Span,
}

/// A link in a body, classified by what it points at.
#[derive(Debug, Clone)]
pub struct Link {
    pub target: LinkTarget,
    /// The link's plain text (empty for `[](guide:id)`).
    pub text: String,
    /// The whole link in the file (for raw HTML: its start tag).
    pub span: Span,
    /// For a link written as raw HTML (`<a href>`): the attribute value in the file, quotes
    /// included, which is what a rewrite replaces.
    pub html_value: Option<Span>,
}

/// A resolved link or image target (what `link` finds; kept in [`crate::link::DocLinks`],
/// never in the document).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Resolved {
    /// A module, by id (ids survive edits elsewhere; positions would not), optionally at a
    /// heading.
    Module { id: String, anchor: Option<String> },
    /// A media file, as its root-relative project path (`guidelines/img/a.png` or
    /// `translations/sv/img/a.png`), with an optional fragment.
    Media {
        path: String,
        anchor: Option<String>,
    },
    /// A heading of the same document.
    Anchor(String),
    /// An external URL, used as written.
    External(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// `guide:ID` or `guide:ID#anchor`.
    Guide { id: String, anchor: Option<String> },
    /// A relative path (`../a/b.md#x`, `media/file.pdf`), resolved against the document's folder.
    Relative {
        path: String,
        anchor: Option<String>,
    },
    /// `#anchor` within the same document.
    Anchor(String),
    /// An allowed scheme ([`SAFE_SCHEMES`]) or an absolute path: not checked, used as written.
    External(String),
    /// A URL with any other scheme (`javascript:`, `data:`, `file:`, …), with the scheme as a
    /// browser reads it. Never published: an error in Markdown, removed from raw HTML.
    Unsafe { scheme: String },
}

/// The URL schemes a link or image may use besides relative paths, `guide:` and `#anchor`.
pub const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// The scheme of `url` as a browser reads it: leading and trailing C0 controls and spaces are
/// ignored and tabs and newlines anywhere are dropped (so `java\tscript:` and ` JAVASCRIPT:`
/// are `javascript`), and the scheme is lower-cased. `None` for a relative URL.
pub fn url_scheme(url: &str) -> Option<String> {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    let mut scheme = String::new();
    for c in trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')) {
        match c {
            ':' if !scheme.is_empty() => return Some(scheme),
            c if c.is_ascii_alphabetic() => scheme.push(c.to_ascii_lowercase()),
            c if !scheme.is_empty() && (c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) => {
                scheme.push(c)
            }
            _ => return None,
        }
    }
    None
}

impl LinkTarget {
    pub fn parse(dest: &str) -> LinkTarget {
        let split = |s: &str| match s.split_once('#') {
            Some((path, anchor)) => (path.to_string(), Some(anchor.to_string())),
            None => (s.to_string(), None),
        };
        if let Some(rest) = dest.strip_prefix("guide:") {
            let (id, anchor) = split(rest);
            return LinkTarget::Guide { id, anchor };
        }
        if let Some(anchor) = dest.strip_prefix('#') {
            return LinkTarget::Anchor(anchor.to_string());
        }
        if let Some(scheme) = url_scheme(dest) {
            return if SAFE_SCHEMES.contains(&scheme.as_str()) {
                LinkTarget::External(dest.to_string())
            } else {
                LinkTarget::Unsafe { scheme }
            };
        }
        if dest.starts_with('/') || dest.is_empty() {
            return LinkTarget::External(dest.to_string());
        }
        let (path, anchor) = split(dest);
        let path = path.split('?').next().unwrap_or("").to_string();
        LinkTarget::Relative { path, anchor }
    }
}

#[derive(Debug, Clone)]
pub struct Image {
    pub src: String,
    pub alt: String,
    pub span: Span,
    /// For media written as raw HTML (`<img src>`, `<source src>`, `<video poster>`, …): the
    /// attribute value in the file, quotes included.
    pub html_value: Option<Span>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_link_destinations() {
        use LinkTarget::*;
        let cases = [
            (
                "guide:a-b",
                Guide {
                    id: "a-b".into(),
                    anchor: None,
                },
            ),
            (
                "guide:a#x",
                Guide {
                    id: "a".into(),
                    anchor: Some("x".into()),
                },
            ),
            ("#top", Anchor("top".into())),
            (
                "../x/y.md#h",
                Relative {
                    path: "../x/y.md".into(),
                    anchor: Some("h".into()),
                },
            ),
            (
                "img/a.png",
                Relative {
                    path: "img/a.png".into(),
                    anchor: None,
                },
            ),
            ("https://europa.eu", External("https://europa.eu".into())),
            ("mailto:a@b.eu", External("mailto:a@b.eu".into())),
            ("/abs", External("/abs".into())),
            ("tel:+4612345", External("tel:+4612345".into())),
            (
                "javascript:alert(1)",
                Unsafe {
                    scheme: "javascript".into(),
                },
            ),
            (
                " JAVA\tSCRIPT:alert(1)",
                Unsafe {
                    scheme: "javascript".into(),
                },
            ),
            (
                "\u{1}data:text/html,x",
                Unsafe {
                    scheme: "data".into(),
                },
            ),
            (
                "vbscript:x",
                Unsafe {
                    scheme: "vbscript".into(),
                },
            ),
            (
                "file:///etc/passwd",
                Unsafe {
                    scheme: "file".into(),
                },
            ),
        ];
        for (dest, want) in cases {
            assert_eq!(LinkTarget::parse(dest), want, "{dest}");
        }
    }
}
