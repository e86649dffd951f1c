//! Fills the page-dependent placeholders that `check::body` left in a body's HTML: link and image
//! URLs in the reader's language, titles of empty `[](guide:x)` links, "not yet translated"
//! notes, and heading levels and ids (shifted and prefixed on a printable handbook page).

use crate::check::body::{MARK, escape};
use crate::model::{Body, Resolved};
use std::fmt::Write;

/// What a placeholder asks for.
pub enum Slot {
    /// `H`: the href of link n. `A`: extra attributes of link n. `T`: the text of link n if it
    /// has none. `N`: a note after link n's text. `I`: the src of image n.
    Href(usize),
    Attrs(usize),
    Text(usize),
    Note(usize),
    ImageSrc(usize),
    /// `h<level>`: a heading's tag name. `P`: a heading id's prefix.
    Heading(u8),
    IdPrefix,
    /// `D`: the word for a done task-list item, in the reader's language.
    TaskDone,
}

/// Answers placeholders for one body on one page.
pub trait Filler {
    fn fill(&self, body: &Body, slot: Slot, out: &mut String);
}

/// Replaces every placeholder of `body.html`.
pub fn fill(body: &Body, filler: &impl Filler) -> String {
    let html = &body.html;
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html.as_str();
    while let Some(start) = rest.find(MARK) {
        out.push_str(&rest[..start]);
        let after = &rest[start + MARK.len_utf8()..];
        let Some(end) = after.find(MARK) else {
            out.push_str(&rest[start..]);
            return out;
        };
        let token = &after[..end];
        rest = &after[end + MARK.len_utf8()..];
        let (kind, number) = token.split_at(1.min(token.len()));
        let n: usize = number.parse().unwrap_or(0);
        let slot = match kind {
            "H" => Slot::Href(n),
            "A" => Slot::Attrs(n),
            "T" => Slot::Text(n),
            "N" => Slot::Note(n),
            "I" => Slot::ImageSrc(n),
            "h" => Slot::Heading(n as u8),
            "P" => Slot::IdPrefix,
            "D" => Slot::TaskDone,
            _ => continue,
        };
        filler.fill(body, slot, &mut out);
    }
    out.push_str(rest);
    out
}

/// Writes an external URL or media path as an attribute value.
pub fn write_url(out: &mut String, url: &str) {
    let _ = write!(out, "{}", escape(url));
}

/// The media path of a project file on the site: `guidelines/x` → `media/x`,
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

/// `Resolved::Media`/`External` as a URL relative to the page (`root` leads to the site root).
pub fn resolved_url(resolved: &Resolved, root: &str) -> Option<String> {
    match resolved {
        Resolved::Media { path, anchor } => {
            let mut url = format!("{root}{}", url_path(&media_path(path)));
            if let Some(a) = anchor {
                url.push('#');
                url.push_str(a);
            }
            Some(url)
        }
        Resolved::External(url) => Some(url.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Echo;
    impl Filler for Echo {
        fn fill(&self, _: &Body, slot: Slot, out: &mut String) {
            match slot {
                Slot::Href(n) => out.push_str(&format!("href{n}")),
                Slot::Heading(l) => out.push_str(&format!("h{}", l + 1)),
                Slot::IdPrefix => out.push_str("m--"),
                _ => {}
            }
        }
    }

    #[test]
    fn fills_every_placeholder() {
        let m = MARK;
        let body = Body {
            html: format!(
                "<{m}h2{m} id=\"{m}P{m}x\">X</{m}h2{m}><a href=\"{m}H12{m}\"{m}A12{m}>t{m}N12{m}</a>"
            ),
            ..Body::default()
        };
        assert_eq!(
            fill(&body, &Echo),
            "<h3 id=\"m--x\">X</h3><a href=\"href12\">t</a>"
        );
    }

    #[test]
    fn media_paths() {
        assert_eq!(media_path("guidelines/img/a.png"), "media/img/a.png");
        assert_eq!(
            media_path("translations/sv/img/a.png"),
            "sv/media/img/a.png"
        );
        assert_eq!(url_path("media/my file.png"), "media/my%20file.png");
    }
}
