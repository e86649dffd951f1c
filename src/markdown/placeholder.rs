//! The placeholders of a body's HTML: what depends on the page a body is shown on (link and
//! image URLs, titles of empty links, notes, heading levels and ids) is left in the HTML the
//! scan makes as a placeholder, and filled when a page is rendered. This module owns the
//! format: the scan writes placeholders with [`Slot`]'s `Display`, `render` fills them with
//! [`fill`]; nobody else reads or writes their bytes.

use crate::model::Body;
use std::fmt::{self, Write};

/// Marks the start and end of a placeholder in rendered HTML. Author text never holds it (the
/// scan replaces it before parsing, and `check` reports it).
pub const MARK: char = '\x1A';

/// What a placeholder asks for. Written into the HTML as `MARK` + a letter (+ a number) +
/// `MARK` by `Display`, read back by [`Slot::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// `H`: the href of link n. `A`: extra attributes of link n. `T`: the text of link n if it
    /// has none. `N`: a note after link n's text. `I`: the src of image n.
    Href(usize),
    Attrs(usize),
    Text(usize),
    Note(usize),
    ImageSrc(usize),
    /// `h<level>`: a heading's tag name. `P`: a heading id's prefix. `E`: the id of heading n
    /// (`body.headings[n].id`, which `link` may have aligned with the source's).
    Heading(u8),
    IdPrefix,
    HeadingId(usize),
    /// `D`: the word for a done task-list item, in the reader's language.
    TaskDone,
}

/// Answers placeholders for one body on one page.
pub trait Filler {
    fn fill(&self, body: &Body, slot: Slot, out: &mut String);

    /// Whether link n leads nowhere in this medium (an e-book's link to a module outside it,
    /// with no published site to send the reader to): [`fill`] then leaves out its `href`
    /// whole, and an `<a>` without `href` reads as its text.
    fn unlinked(&self, _link: usize) -> bool {
        false
    }
}

/// What stands before a link's href placeholder, in Markdown links and raw HTML alike (the
/// sanitizer writes attributes as ` name="value"`).
const HREF: &str = " href=\"";

/// Replaces every placeholder of `body.html`.
pub fn fill(body: &Body, filler: &impl Filler) -> String {
    let mut out = String::with_capacity(body.html.len() + body.html.len() / 8);
    fill_into(body, filler, &mut out);
    out
}

/// [`fill`], appending to `out`.
pub fn fill_into(body: &Body, filler: &impl Filler, out: &mut String) {
    let mut rest = body.html.as_str();
    while let Some(start) = rest.find(MARK) {
        out.push_str(&rest[..start]);
        let after = &rest[start + MARK.len_utf8()..];
        let Some(end) = after.find(MARK) else {
            out.push_str(&rest[start..]);
            return;
        };
        let token = &after[..end];
        rest = &after[end + MARK.len_utf8()..];
        match Slot::token(token) {
            Some(Slot::Href(n))
                if filler.unlinked(n) && out.ends_with(HREF) && rest.starts_with('"') =>
            {
                out.truncate(out.len() - HREF.len());
                rest = &rest[1..];
            }
            Some(slot) => filler.fill(body, slot, out),
            None => {}
        }
    }
    out.push_str(rest);
}

/// A placeholder of a whole page rather than of a body: `MARK` `S` n `MARK` stands for the
/// filled body of the page's section n (a module on a printable handbook). The page is
/// rendered around these and the bodies are filled straight into its final text
/// ([`fill_sections`]), so the page's data holds no body: a printable handbook of 1,250
/// modules was otherwise three copies of its 11 MB at once (the data, the template's context
/// and the page). Templates pass it through whether they escape or not (it holds nothing HTML
/// escapes), and author text never holds `MARK`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section(pub usize);

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{m}S{n}{m}", m = MARK, n = self.0)
    }
}

/// Copies `html` to `out`, with `section` writing the body of each [`Section`] placeholder in
/// its place.
pub fn fill_sections(html: &str, out: &mut String, mut section: impl FnMut(usize, &mut String)) {
    let mut rest = html;
    while let Some(start) = rest.find(MARK) {
        let after = &rest[start + MARK.len_utf8()..];
        let number = after.strip_prefix('S').and_then(|tail| {
            let end = tail.find(MARK)?;
            Some((number(&tail[..end])?, &tail[end + MARK.len_utf8()..]))
        });
        match number {
            Some((n, tail)) => {
                out.push_str(&rest[..start]);
                section(n, out);
                rest = tail;
            }
            None => {
                out.push_str(&rest[..start + MARK.len_utf8()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = MARK;
        match self {
            Slot::Href(n) => write!(f, "{m}H{n}{m}"),
            Slot::Attrs(n) => write!(f, "{m}A{n}{m}"),
            Slot::Text(n) => write!(f, "{m}T{n}{m}"),
            Slot::Note(n) => write!(f, "{m}N{n}{m}"),
            Slot::ImageSrc(n) => write!(f, "{m}I{n}{m}"),
            Slot::Heading(level) => write!(f, "{m}h{level}{m}"),
            Slot::IdPrefix => write!(f, "{m}P{m}"),
            Slot::HeadingId(n) => write!(f, "{m}E{n}{m}"),
            Slot::TaskDone => write!(f, "{m}D{m}"),
        }
    }
}

impl Slot {
    /// The slot a whole placeholder (`MARK` … `MARK`) stands for.
    pub fn parse(text: &str) -> Option<Slot> {
        Slot::token(text.strip_prefix(MARK)?.strip_suffix(MARK)?)
    }

    /// The slot of a placeholder's inside (the letter and number between the marks).
    fn token(token: &str) -> Option<Slot> {
        let kind = token.chars().next()?;
        let digits = &token[kind.len_utf8()..];
        let n = || number(digits);
        Some(match kind {
            'H' => Slot::Href(n()?),
            'A' => Slot::Attrs(n()?),
            'T' => Slot::Text(n()?),
            'N' => Slot::Note(n()?),
            'I' => Slot::ImageSrc(n()?),
            'h' => Slot::Heading(u8::try_from(n()?).ok()?),
            'P' if digits.is_empty() => Slot::IdPrefix,
            'E' => Slot::HeadingId(n()?),
            'D' if digits.is_empty() => Slot::TaskDone,
            _ => return None,
        })
    }
}

/// The number a placeholder ends with: ASCII digits only (no sign, no spaces), at least one.
fn number(digits: &str) -> Option<usize> {
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// Turns the rendered (and, with raw HTML, sanitized) body into its stored form: heading tag
/// names become `\x1Ah2\x1A` placeholders (a printable handbook shifts them a level) and every
/// link placeholder `href` gets its attributes slot. Both are found outside attribute values
/// only, so text never turns into markup.
pub fn placeholders(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while let Some(lt) = html[i..].find('<').map(|j| i + j) {
        let close = bytes.get(lt + 1) == Some(&b'/');
        let name = lt + 1 + usize::from(close);
        let is_heading = bytes.get(name) == Some(&b'h')
            && bytes
                .get(name + 1)
                .is_some_and(|d| (b'1'..=b'6').contains(d))
            && bytes
                .get(name + 2)
                .is_some_and(|c| matches!(c, b' ' | b'>'));
        if is_heading {
            out.push_str(&html[copied..name]);
            let level = bytes[name + 1] - b'0';
            let _ = write!(out, "{}", Slot::Heading(level));
            copied = name + 2;
        }
        // Walk the tag to its end, over quoted values; add the attributes slot after a link
        // placeholder.
        i = name;
        while i < bytes.len() && bytes[i] != b'>' {
            if bytes[i] == b'"' {
                let end = html[i + 1..].find('"').map_or(html.len(), |j| i + 1 + j);
                let value = &html[i + 1..end];
                i = (end + 1).min(html.len());
                if let Some(Slot::Href(n)) = Slot::parse(value) {
                    out.push_str(&html[copied..i]);
                    let _ = write!(out, "{}", Slot::Attrs(n));
                    copied = i;
                }
            } else {
                i += 1;
            }
        }
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_filled_in_place_and_other_marks_kept() {
        let html = format!(
            "<h1>A</h1>{}<p>x</p>{}{}{m}S{m}{m}S9x{m}",
            Section(1),
            Section(0),
            Section(1),
            m = MARK
        );
        let mut out = String::new();
        fill_sections(&html, &mut out, |n, out| out.push_str(&format!("[{n}]")));
        assert_eq!(
            out,
            format!("<h1>A</h1>[1]<p>x</p>[0][1]{m}S{m}{m}S9x{m}", m = MARK)
        );
    }

    struct Echo;
    impl Filler for Echo {
        fn fill(&self, _: &Body, slot: Slot, out: &mut String) {
            match slot {
                Slot::Href(n) => out.push_str(&format!("href{n}")),
                Slot::Heading(l) => out.push_str(&format!("h{}", l + 1)),
                Slot::IdPrefix => out.push_str("m--"),
                Slot::HeadingId(n) => out.push_str(&format!("id{n}")),
                _ => {}
            }
        }
    }

    #[test]
    fn fills_every_placeholder() {
        let m = MARK;
        let body = Body {
            html: format!(
                "<{m}h2{m} id=\"{m}P{m}{m}E0{m}\">X</{m}h2{m}><a href=\"{m}H12{m}\"{m}A12{m}>t{m}N12{m}</a>"
            ),
            ..Body::default()
        };
        assert_eq!(
            fill(&body, &Echo),
            "<h3 id=\"m--id0\">X</h3><a href=\"href12\">t</a>"
        );
    }

    #[test]
    fn an_unlinked_link_loses_its_href_only() {
        struct Nowhere;
        impl Filler for Nowhere {
            fn fill(&self, _: &Body, _: Slot, _: &mut String) {}
            fn unlinked(&self, n: usize) -> bool {
                n == 1
            }
        }
        let m = MARK;
        let body = Body {
            html: format!(
                "<a href=\"{m}H1{m}\"{m}A1{m} title=\"t\">x</a> <a href=\"{m}H2{m}\">y</a>"
            ),
            ..Body::default()
        };
        assert_eq!(
            fill(&body, &Nowhere),
            "<a title=\"t\">x</a> <a href=\"\">y</a>"
        );
    }

    #[test]
    fn every_slot_reads_back_as_written() {
        let slots = [
            Slot::Href(3),
            Slot::Attrs(0),
            Slot::Text(12),
            Slot::Note(7),
            Slot::ImageSrc(1),
            Slot::Heading(4),
            Slot::IdPrefix,
            Slot::HeadingId(9),
            Slot::TaskDone,
        ];
        for slot in slots {
            assert_eq!(Slot::parse(&slot.to_string()), Some(slot));
        }
        assert_eq!(Slot::parse("\x1AH\x1A"), None);
        assert_eq!(Slot::parse("\x1AX1\x1A"), None);
    }
}
