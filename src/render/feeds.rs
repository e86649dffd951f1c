//! An Atom feed of recent updates per language.

use super::{Page, Site};
use crate::check::text::{is_clean, is_forbidden};
use std::borrow::Cow;
use std::fmt::Write;

/// How many entries a feed carries.
const FEED_ENTRIES: usize = 30;

/// The Atom feed of language `l`: modules by last update, newest first. Dates come from the
/// content (`updated`), never from the clock, so builds stay reproducible.
pub fn atom(site: &Site, l: usize) -> String {
    let graph = &site.data.graph;
    let labels = &site.look.labels[l];
    let path = site.path(&Page::Feed(l));
    let root = "../";
    let mut modules = site.recently_updated(l);
    modules.truncate(FEED_ENTRIES);
    let newest = modules
        .first()
        .and_then(|m| site.updated(*m, l))
        .unwrap_or("1970-01-01");
    let id_of = |page_path: &str| match &site.data.config.site_url {
        Some(base) => format!("{base}{page_path}"),
        None => format!(
            "urn:handbok:{}",
            page_path.trim_end_matches(".html").replace('/', ":")
        ),
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n<id>{}</id>\n<updated>{newest}T00:00:00Z</updated>\n<link rel=\"self\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        site.lang(l),
        escape(labels.book_title()),
        escape(&id_of(&path)),
        escape(&site.url(root, &path, true)),
        escape(&site.url(root, &site.path(&Page::Home(l)), true)),
    );
    for m in modules {
        let module = &graph.modules[m];
        let (title, lang) = site.title(m, l);
        let summary = site
            .translation(m, l)
            .map_or(module.summary.as_str(), |t| t.summary.as_str());
        let page = site.path(&Page::Module(l, m));
        let lang_attr = lang
            .map(|lang| format!(" xml:lang=\"{lang}\""))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<entry{lang_attr}>\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<updated>{}T00:00:00Z</updated>\n<summary>{}</summary>\n",
            escape(title),
            escape(&id_of(&page)),
            escape(&site.url(root, &page, true)),
            site.updated(m, l).unwrap_or("1970-01-01"),
            escape(summary),
        );
        for author in &module.authors {
            let _ = writeln!(out, "<author><name>{}</name></author>", escape(author));
        }
        if module.authors.is_empty() {
            let _ = writeln!(
                out,
                "<author><name>{}</name></author>",
                escape(labels.book_title())
            );
        }
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// Escapes text for an XML element or attribute. `check` rejects content with control
/// characters or noncharacters (E036); should any still arrive here (from `book.toml`, say),
/// each becomes U+FFFD, so the feed and the sitemap stay well-formed XML 1.0 whatever passes.
pub(super) fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) && is_clean(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if is_forbidden(c, chars.peek().copied()) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_replaces_what_xml_forbids() {
        assert_eq!(escape("plain"), "plain");
        assert_eq!(escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
        assert_eq!(
            escape("A\u{1}\u{B}\u{FFFE}\0z\tok\r\n"),
            "A\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}z\tok\r\n"
        );
    }
}
