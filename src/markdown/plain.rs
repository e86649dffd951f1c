//! A body's plain text, read back from its stored HTML when the search index needs it.
//!
//! The text used to be collected during the scan and held beside the HTML for the whole build:
//! 54 MB at 5,000 modules × 4 languages, and with what building the indexes kept of it, about
//! 130 MiB of the build's peak memory. Reading it from the HTML costs one pass over bytes
//! that are in memory anyway, and it knows exactly where each heading is (the old plain text
//! did not mark them, so a heading's text was looked for in it).
//!
//! The HTML is handbok's own or the sanitizer's serialization, so a `<` in it always starts a
//! tag, `>` inside a tag only ends it outside a double-quoted value, and the only entities
//! are the ones those serializers write (plus numeric ones).

use super::placeholder::{MARK, Slot};
use crate::model::Body;
use std::ops::Range;

/// A body's text, and where each Markdown heading's text lies in it.
#[derive(Debug, Default, PartialEq)]
pub struct Plain {
    /// Every text node of the body in order, white space collapsed; the end of a block and a
    /// line break end a word, the end of an inline element does not (`*emph*asis`). Alt texts
    /// and other attribute values are left out.
    pub text: String,
    /// `(n, range)`: heading `n` of the body (`body.headings[n]`) and its text in `text`.
    pub headings: Vec<(usize, Range<usize>)>,
}

impl Plain {
    /// The body's sections as `(heading n, text)`: the text before the first heading comes
    /// first, without one; each heading's own text is left out of its section.
    pub fn sections(&self) -> Vec<(Option<usize>, &str)> {
        let mut out = Vec::with_capacity(self.headings.len() + 1);
        let (mut heading, mut start) = (None, 0);
        for (n, range) in &self.headings {
            out.push((heading, self.text[start..range.start].trim()));
            heading = Some(*n);
            start = range.end;
        }
        out.push((heading, self.text[start..].trim()));
        out
    }
}

/// The plain text of `body` (see [`Plain`]).
pub fn plain(body: &Body) -> Plain {
    let html = body.html.as_str();
    let bytes = html.as_bytes();
    let mut plain = Plain {
        text: String::with_capacity(html.len() * 3 / 4),
        headings: Vec::new(),
    };
    // The heading being read: its number and where its text starts.
    let mut open: Option<(usize, usize)> = None;
    let mut i = 0;
    while let Some(at) = bytes[i..]
        .iter()
        .position(|&b| matches!(b, b'<' | b'&' | 0x1A))
        .map(|j| i + j)
    {
        push_collapsed(&mut plain.text, &html[i..at]);
        match bytes[at] {
            b'<' if html[at..].starts_with("<!--") => {
                i = html[at..]
                    .find("-->")
                    .map_or(html.len(), |end| at + end + 3);
            }
            b'<' => {
                let end = tag_end(bytes, at);
                let tag = &html[at..end];
                let closing = tag.starts_with("</");
                let name = &tag[1 + usize::from(closing)..];
                let heading = name.starts_with(MARK)
                    && matches!(Slot::parse(leading_slot(name)), Some(Slot::Heading(_)));
                if heading && !closing {
                    open = heading_number(tag).map(|n| (n, plain.text.len()));
                } else if heading && let Some((n, start)) = open.take() {
                    plain.headings.push((n, start..plain.text.len()));
                }
                if (closing && !is_inline(name)) || is_named(name, "br") {
                    space(&mut plain.text);
                }
                i = match !closing && is_not_text(tag) {
                    true => element_end(html, end, name).unwrap_or(end),
                    false => end,
                };
            }
            b'&' => i = at + entity(&html[at..], &mut plain.text),
            _ => {
                // A placeholder: what fills it (a link's target title, the word for a done
                // task) is the page's, not the body's own text.
                i = html[at + 1..]
                    .find(MARK)
                    .map_or(html.len(), |end| at + 1 + end + 1);
            }
        }
    }
    push_collapsed(&mut plain.text, &html[i..]);
    plain
}

/// Appends `text` with each run of ASCII white space as one space (the HTML's line breaks
/// are the Markdown's, not the text's).
fn push_collapsed(out: &mut String, text: &str) {
    for (i, part) in text.split(|c: char| c.is_ascii_whitespace()).enumerate() {
        if i > 0 {
            space(out);
        }
        out.push_str(part);
    }
}

/// Ends the word before: one space, never two.
fn space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

/// The end of the tag that starts at `at` (just past its `>`), over double-quoted values.
fn tag_end(bytes: &[u8], at: usize) -> usize {
    let mut i = at + 1;
    let mut quoted = false;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => quoted = !quoted,
            b'>' if !quoted => return i + 1,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Whether an element's content is not the body's text: what is hidden from screen readers
/// (a task's box) and footnote numbers (the scan's own markup; they would join the word they
/// follow).
fn is_not_text(tag: &str) -> bool {
    [
        " aria-hidden=\"true\"",
        " class=\"footnote-reference\"",
        " class=\"footnote-definition-label\"",
    ]
    .iter()
    .any(|attribute| tag.contains(attribute))
}

/// Just past the end of the element whose start tag (named at the start of `name`) ends at
/// `from`, over elements of the same name inside it; `None` when it has no end tag (a void
/// element such as `<img aria-hidden="true">`): then only the tag is passed over.
fn element_end(html: &str, from: usize, name: &str) -> Option<usize> {
    let name = &name[..name
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name.len())];
    if name.is_empty() {
        return None;
    }
    let bytes = html.as_bytes();
    let mut depth = 1;
    let mut i = from;
    while let Some(lt) = html[i..].find('<').map(|j| i + j) {
        let closing = bytes.get(lt + 1) == Some(&b'/');
        let at = lt + 1 + usize::from(closing);
        let end = tag_end(bytes, lt);
        let same = is_named(&html[at..], name);
        if same && closing {
            depth -= 1;
            if depth == 0 {
                return Some(end);
            }
        } else if same {
            depth += 1;
        }
        i = end;
    }
    None
}

/// The placeholder at the start of `name` (`\x1Ah2\x1A…` → `\x1Ah2\x1A`).
fn leading_slot(name: &str) -> &str {
    let len = MARK.len_utf8();
    name[len..]
        .find(MARK)
        .map_or(name, |end| &name[..len + end + len])
}

/// The heading number in a heading tag's id (`id="\x1AP\x1A\x1AE3\x1A"` → 3). Headings
/// written as raw HTML have none: their text stays in the section around them.
fn heading_number(tag: &str) -> Option<usize> {
    let mut rest = tag;
    while let Some(start) = rest.find(MARK) {
        let after = &rest[start + MARK.len_utf8()..];
        let end = after.find(MARK)?;
        let whole = start + MARK.len_utf8() + end + MARK.len_utf8();
        if let Some(Slot::HeadingId(n)) = Slot::parse(&rest[start..whole]) {
            return Some(n);
        }
        rest = &after[end + MARK.len_utf8()..];
    }
    None
}

/// Whether the tag name at the start of `name` (what follows `<` or `</`) is `tag`.
fn is_named(name: &str, tag: &str) -> bool {
    let name = name.as_bytes();
    name.len() > tag.len()
        && name[..tag.len()].eq_ignore_ascii_case(tag.as_bytes())
        && !name[tag.len()].is_ascii_alphanumeric()
}

/// Whether the element named at the start of `name` is phrasing content that flows within
/// a word (`*emph*asis` is one word) rather than a block that ends one.
fn is_inline(name: &str) -> bool {
    const INLINE: &[&str] = &[
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins",
        "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
        "var",
    ];
    INLINE.iter().any(|tag| is_named(name, tag))
}

/// Appends the text of the entity at the start of `s` (which starts with `&`) to `out`, and
/// returns the entity's length; a lone `&` is itself.
fn entity(s: &str, out: &mut String) -> usize {
    const NAMED: &[(&str, char)] = &[
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&#39;", '\''),
        ("&nbsp;", '\u{a0}'),
    ];
    let named = NAMED
        .iter()
        .find(|(name, _)| s.starts_with(name))
        .map(|&(name, c)| (c, name.len()));
    let numeric = || {
        let rest = s.strip_prefix("&#")?;
        let end = rest.find(';').filter(|&end| end <= 8)?;
        let digits = &rest[..end];
        let code = match digits.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => digits.parse().ok()?,
        };
        Some((char::from_u32(code)?, "&#".len() + end + 1))
    };
    let (c, len) = named.or_else(numeric).unwrap_or(('&', 1));
    out.push(c);
    len
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn body(md: &str) -> Body {
        super::super::scan(FileId(0), md, 0..md.len()).0
    }

    /// The text's words, as the search index splits them.
    fn words(text: &str) -> Vec<&str> {
        text.split_whitespace().collect()
    }

    #[test]
    fn text_and_sections_of_every_shape() {
        let md = "Intro with *emph*asis, `code` & <b>raw</b> 5 &lt; 6.\n\
                  Soft  \nhard break.\n\n\
                  ## First {#one}\n\n\
                  A [link](https://example.org \"t\") and an ![alt text](a.png) image.\n\n\
                  | Head |\n|---|\n| cell |\n\n\
                  - [x] done\n- [ ] open\n\n\
                  ### Second *part*\n\n\
                  Text[^n].\n\n[^n]: Note.\n\n\
                  <details><summary>More</summary>Hidden &amp; shown</details>\n";
        let body = body(md);
        let plain = plain(&body);
        assert_eq!(
            words(&plain.text),
            [
                "Intro",
                "with",
                "emphasis,",
                "code",
                "&",
                "raw",
                "5",
                "<",
                "6.",
                "Soft",
                "hard",
                "break.",
                "First",
                "A",
                "link",
                "and",
                "an",
                "image.",
                "Head",
                "cell",
                "done",
                "open",
                "Second",
                "part",
                "Text.",
                "Note.",
                "More",
                "Hidden",
                "&",
                "shown"
            ]
        );
        assert!(!plain.text.contains("  ") && !plain.text.contains('\n'));
        let sections: Vec<(Option<usize>, Vec<&str>)> = plain
            .sections()
            .into_iter()
            .map(|(n, text)| (n, words(text)))
            .collect();
        assert_eq!(sections[0].0, None);
        assert_eq!(sections[0].1.first(), Some(&"Intro"));
        assert_eq!(sections[0].1.last(), Some(&"break."));
        assert_eq!(sections[1].0, Some(0));
        assert_eq!(sections[1].1.first(), Some(&"A"));
        assert_eq!(sections[1].1.last(), Some(&"open"));
        assert_eq!(sections[2].0, Some(1));
        assert_eq!(sections[2].1.first(), Some(&"Text."));
        assert_eq!(sections.len(), 3);
        // Each heading's own text, exactly where the scan says it is.
        for (n, range) in &plain.headings {
            assert_eq!(
                words(&plain.text[range.clone()]),
                words(&body.headings[*n].text)
            );
        }
    }

    #[test]
    fn placeholders_and_attribute_values_are_not_text() {
        let md = "[](guide:other) and [named](guide:other#part)\n\n\
                  <img alt=\"a > b\" src=\"x.png\"> after\n\n# Heading with `>` in it\n";
        let plain = plain(&body(md));
        assert_eq!(
            words(&plain.text),
            ["and", "named", "after", "Heading", "with", ">", "in", "it"]
        );
        assert!(!plain.text.contains(MARK));
        assert_eq!(plain.headings.len(), 1);
    }

    #[test]
    fn a_hidden_element_without_an_end_tag_hides_nothing_after_it() {
        let body = Body {
            html: "<p>one <img aria-hidden=\"true\" src=\"x\"> two <span aria-hidden=\"true\">\
                   <span>hidden</span> too</span> three</p>"
                .into(),
            ..Body::default()
        };
        assert_eq!(words(&plain(&body).text), ["one", "two", "three"]);
    }

    #[test]
    fn entities_are_decoded_and_a_lone_ampersand_is_kept() {
        let mut out = String::new();
        for s in [
            "&amp;", "&#39;", "&#x41;", "&#66;", "&nbsp;", "&bogus;", "&#xZZ;", "&",
        ] {
            let len = entity(s, &mut out);
            out.push('|');
            assert!(len <= s.len());
        }
        assert_eq!(out, "&|'|A|B|\u{a0}|&|&|&|");
    }

    #[test]
    fn the_scan_counts_the_words_of_the_text() {
        let md = "One *two*three `four` five\nsix  \nseven\n\n## Eight nine\n\n- ten\n\n\
                  ![not counted](a.png)\n";
        let body = body(md);
        assert_eq!(body.words, 10);
        assert_eq!(self::body("ett två\u{a0}tre  *fyra*").words, 4);
        let long = "ord ".repeat(1450);
        assert_eq!(self::body(&long).words, 1450);
    }
}
