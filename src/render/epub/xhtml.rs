//! HTML → XHTML for EPUB chapters. A body with raw HTML (the sanitizer's serialization writes
//! `<br>`, `&nbsp;` and unclosed `<p>` the HTML way) is parsed as a browser would (html5ever)
//! and written back as well-formed XML: void elements closed, only the five XML escapes, SVG
//! and MathML with their namespace, comments and processing instructions left out. A body of
//! Markdown alone is XML as the renderer writes it, and is taken as it is ([`body`]).
//!
//! What an EPUB may not load from elsewhere (EPUB 3 allows remote audio, video and fonts
//! only) becomes something a reader can follow: an embedded frame (`embeds` in book.toml) a
//! link to its address, an image from another server its alternative text.

use scraper::{Html, Node};
use std::fmt::Write;

/// Elements that have no end tag in HTML.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

const HTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// An HTML fragment (the content of a `<div>`) as XHTML, for inside an XHTML `<body>`.
pub fn from_html(fragment: &str) -> String {
    let html = Html::parse_fragment(fragment);
    let mut out = String::with_capacity(fragment.len() + fragment.len() / 8);
    for child in html.root_element().children() {
        node(child, HTML_NS, &mut out);
    }
    out
}

/// A chapter's body as XHTML. Without raw HTML or remote images (`as_written`), a body's HTML is
/// what the Markdown renderer wrote, void elements closed (`<br />`), only `&amp;`, `&lt;`,
/// `&gt;`, `&quot;` and numeric references in it, with handbok's own tags: already XML, taken
/// as it is unless it holds a character XML forbids. Otherwise it is parsed and written out
/// ([`from_html`]): parsing every chapter was a tenth of the sample's build.
pub fn body(filled: String, as_written: bool) -> String {
    if as_written && !forbidden(&filled) {
        filled
    } else {
        from_html(&filled)
    }
}

/// Whether `text` has a character XML 1.0 does not allow (what [`escape`] leaves out).
fn forbidden(text: &str) -> bool {
    let bytes = text.as_bytes();
    (0..bytes.len()).any(|i| forbidden_at(bytes, i) > 0)
}

/// The length in bytes of the character at `bytes[i]` if XML 1.0 does not allow it (C0
/// controls but tab and line breaks; U+FFFE and U+FFFF, `EF BF BE` and `EF BF BF`), else 0.
fn forbidden_at(bytes: &[u8], i: usize) -> usize {
    match bytes[i] {
        b'\t' | b'\n' | b'\r' => 0,
        b if b < 0x20 => 1,
        0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => 3,
        _ => 0,
    }
}

fn node(n: ego_tree::NodeRef<'_, Node>, parent_ns: &str, out: &mut String) {
    match n.value() {
        Node::Text(text) => text_into(text, out),
        Node::Element(e) => {
            let name = e.name();
            let ns: &str = &e.name.ns;
            let remote = |attr: &str| {
                e.attr(attr)
                    .is_some_and(|v| v.starts_with("http://") || v.starts_with("https://"))
            };
            if ns == HTML_NS && name == "iframe" {
                let src = e.attr("src").unwrap_or_default();
                let text = e
                    .attr("title")
                    .filter(|t| !t.trim().is_empty())
                    .unwrap_or(src);
                let _ = write!(out, "<a href=\"{}\">{}</a>", escape(src), escape(text));
                return;
            }
            if ns == HTML_NS && name == "img" && remote("src") {
                text_into(e.attr("alt").unwrap_or_default(), out);
                return;
            }
            out.push('<');
            out.push_str(name);
            if ns != parent_ns {
                let _ = write!(out, " xmlns=\"{}\"", escape(ns));
            }
            for (attr, value) in e.attrs() {
                if is_xml_name(attr) {
                    let _ = write!(out, " {attr}=\"");
                    escape_into(value, out);
                    out.push('"');
                }
            }
            if ns == HTML_NS && VOID.contains(&name) {
                out.push_str("/>");
                return;
            }
            out.push('>');
            for child in n.children() {
                node(child, ns, out);
            }
            let _ = write!(out, "</{name}>");
        }
        _ => {}
    }
}

fn text_into(text: &str, out: &mut String) {
    escape_into(text, out);
}

/// Text or an attribute value as XML: `& < > "` escaped, and the characters XML 1.0 does not
/// allow at all (C0 controls but tab and line breaks, U+FFFE, U+FFFF) left out.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out);
    out
}

/// [`escape`], appending to `out`. The text is copied in runs between the bytes that need
/// something done (a character at a time was a quarter of writing an EPUB's chapters).
fn escape_into(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (replacement, skip) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            _ => match forbidden_at(bytes, i) {
                0 => {
                    i += 1;
                    continue;
                }
                len => ("", len),
            },
        };
        out.push_str(&text[start..i]);
        out.push_str(replacement);
        i += skip;
        start = i;
    }
    out.push_str(&text[start..]);
}

/// Whether an attribute name is also an XML name without a prefix (HTML parsers accept names
/// XML does not, like `a"b`; the sanitizer should have dropped them, this keeps the XML well
/// formed if it did not).
fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_well_formed_xml() {
        assert_eq!(
            from_html("<p>a&nbsp;b<br>c<img src=\"x.png\" alt=\"A &amp; B\"><p>d &lt; e"),
            "<p>a\u{a0}b<br/>c<img alt=\"A &amp; B\" src=\"x.png\"/></p><p>d &lt; e</p>"
        );
    }

    #[test]
    fn svg_keeps_its_namespace_and_comments_go() {
        assert_eq!(
            from_html("<!-- x --><svg viewBox=\"0 0 1 1\"><circle r=\"1\"></circle></svg>"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><circle r=\"1\"></circle></svg>"
        );
    }

    #[test]
    fn what_would_load_from_elsewhere_becomes_a_link_or_text() {
        assert_eq!(
            from_html(
                "<iframe src=\"https://www.youtube-nocookie.com/embed/x\" title=\"A film\"></iframe>\
                 <img src=\"https://example.org/a.png\" alt=\"A map\"><img src=\"media/b.png\" alt=\"B\">"
            ),
            "<a href=\"https://www.youtube-nocookie.com/embed/x\">A film</a>A map\
             <img alt=\"B\" src=\"media/b.png\"/>"
        );
    }

    #[test]
    fn escaping_drops_what_xml_forbids_and_keeps_every_other_character() {
        assert_eq!(
            escape("a\u{FFFE}b\u{FFFF}c\u{FFFD}\u{EFBF}\t<&>\"é\u{1}\r\nд\u{7f}"),
            "abc\u{FFFD}\u{EFBF}\t&lt;&amp;&gt;&quot;é\r\nд\u{7f}"
        );
        assert_eq!(escape(""), "");
        assert_eq!(escape("\u{FFFF}"), "");
        assert_eq!(escape("x\u{1F600}&"), "x\u{1F600}&amp;");
    }

    /// Fills every placeholder with something of its kind.
    struct Plain;

    impl crate::markdown::placeholder::Filler for Plain {
        fn fill(
            &self,
            _: &crate::model::Body,
            slot: crate::markdown::placeholder::Slot,
            out: &mut String,
        ) {
            use crate::markdown::placeholder::Slot;
            match slot {
                Slot::Href(n) => write!(out, "m{n}.xhtml#a&amp;b").unwrap_or(()),
                Slot::Text(n) => write!(out, "<span lang=\"en\">Title {n}</span>").unwrap_or(()),
                Slot::Note(_) => out.push_str(" <span class=\"untranslated\">(note)</span>"),
                Slot::ImageSrc(n) => write!(out, "media/{n}.png").unwrap_or(()),
                Slot::Heading(level) => write!(out, "h{level}").unwrap_or(()),
                Slot::HeadingId(n) => write!(out, "h-{n}").unwrap_or(()),
                Slot::TaskDone => out.push_str("done"),
                Slot::Attrs(_) | Slot::IdPrefix => {}
            }
        }
    }

    /// An element's name, attributes (sorted) and children, text merged: what two
    /// serializations of the same XHTML share.
    fn tree(node: roxmltree::Node) -> String {
        let mut out = String::new();
        for child in node.children() {
            if child.is_text() {
                out.push_str(child.text().unwrap_or_default());
            } else if child.is_element() {
                let mut attrs: Vec<String> = child
                    .attributes()
                    .map(|a| format!("{}={:?}", a.name(), a.value()))
                    .collect();
                attrs.sort();
                let name = child.tag_name().name();
                let _ = write!(out, "<{name} {}>{}</{name}>", attrs.join(" "), tree(child));
            }
        }
        out
    }

    /// Every Markdown text the tests know (the sample, the fixtures, the fuzz corpus): a body
    /// without raw HTML is taken as it is written, which is well-formed XML and the same
    /// elements, attributes and text as its parse written out.
    #[test]
    fn markdown_bodies_are_xml_as_they_are_written() {
        let mut taken = 0;
        for text in crate::markdown::tests::markdown_texts() {
            let span =
                crate::load::frontmatter::split(&text).map_or(0..text.len(), |split| split.body);
            let (scanned, _) = crate::markdown::scan(crate::source::FileId(0), &text, span);
            let filled = crate::markdown::placeholder::fill(&scanned, &Plain);
            if scanned.raw_html || forbidden(&filled) {
                assert_eq!(body(filled.clone(), false), from_html(&filled));
                continue;
            }
            taken += 1;
            let wrap = |html: &str| format!("<div xmlns=\"{HTML_NS}\">{html}</div>");
            let as_written = wrap(&body(filled.clone(), true));
            let parsed = wrap(&from_html(&filled));
            let as_written =
                roxmltree::Document::parse(&as_written).unwrap_or_else(|e| panic!("{e}: {filled}"));
            let parsed = roxmltree::Document::parse(&parsed).unwrap();
            assert_eq!(
                tree(as_written.root_element()),
                tree(parsed.root_element()),
                "{text}"
            );
        }
        assert!(taken > 50, "{taken}");
    }

    #[test]
    fn control_characters_and_bad_attribute_names_are_left_out() {
        assert_eq!(
            from_html("<p a:b=\"1\" c=\"2\">x\u{1}y</p>"),
            "<p c=\"2\">xy</p>"
        );
    }
}
