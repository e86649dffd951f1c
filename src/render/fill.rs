//! Fills the page-dependent placeholders that `check::body` left in a body's HTML: link and image
//! URLs in the reader's language, titles of empty `[](guide:x)` links, "not yet translated"
//! notes, and heading levels and ids (shifted and prefixed on a printable handbook page).

use super::templates::marked;
use super::{Page, Site};
use crate::check::body::{MARK, escape};
use crate::link::{DocLinks, ModuleIdx};
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
            "E" => Slot::HeadingId(n),
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

pub use crate::publish::{media_path, url_path};

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

/// Fills a body's placeholders for a page in language `l`.
pub struct BodyFiller<'s> {
    pub site: &'s Site,
    /// What the body's links and images resolved to, and its heading ids as published.
    pub links: &'s DocLinks,
    pub ids: Vec<&'s str>,
    pub l: usize,
    pub root: &'s str,
    /// On a printable handbook: the module's id (prefix of its heading ids) and the handbook's
    /// modules (links to them stay on the page).
    pub print: Option<(&'s str, &'s [ModuleIdx])>,
}

impl BodyFiller<'_> {
    fn untranslated(&self, m: ModuleIdx) -> bool {
        self.l != 0 && self.site.translation(m, self.l).is_none()
    }
}

impl Filler for BodyFiller<'_> {
    fn fill(&self, body: &Body, slot: Slot, out: &mut String) {
        let site = self.site;
        let link_target = |n: usize| self.links.links.get(n).and_then(Option::as_ref);
        // A link to a module: its place in this graph.
        let module_target = |n: usize| match link_target(n) {
            Some(Resolved::Module { id, .. }) => site.data.graph.module(id),
            _ => None,
        };
        match slot {
            Slot::Href(n) => match link_target(n) {
                Some(Resolved::Module { id, anchor }) => {
                    let Some(module) = site.data.graph.module(id) else {
                        out.push('#');
                        return;
                    };
                    match self.print {
                        Some((_, members)) if members.contains(&module) => match anchor {
                            Some(a) => write!(out, "#{}--{}", escape(id), escape(a)).unwrap_or(()),
                            None => write!(out, "#{}", escape(id)).unwrap_or(()),
                        },
                        _ => {
                            out.push_str(self.root);
                            out.push_str(&site.path(&Page::Module(self.l, module)));
                            if let Some(a) = anchor {
                                out.push('#');
                                out.push_str(&escape(a));
                            }
                        }
                    }
                }
                // An empty anchor is the top of the page: on a printable handbook, the top of
                // this module's part.
                Some(Resolved::Anchor(a)) => match self.print {
                    Some((id, _)) if a.is_empty() => write!(out, "#{}", escape(id)).unwrap_or(()),
                    Some((id, _)) => write!(out, "#{}--{}", escape(id), escape(a)).unwrap_or(()),
                    None => write!(out, "#{}", escape(a)).unwrap_or(()),
                },
                Some(other) => {
                    out.push_str(&escape(&resolved_url(other, self.root).unwrap_or_default()))
                }
                None => out.push('#'),
            },
            Slot::Attrs(n) => {
                if let Some(module) = module_target(n)
                    && self.untranslated(module)
                {
                    write!(out, " hreflang=\"{}\"", site.lang(0)).unwrap_or(());
                }
            }
            Slot::Text(n) => {
                if let Some(module) = module_target(n)
                    && body.links[n].text.is_empty()
                {
                    let (title, lang) = site.title(module, self.l);
                    match lang {
                        Some(lang) => write!(out, "<span lang=\"{lang}\">{}</span>", escape(title))
                            .unwrap_or(()),
                        None => out.push_str(&escape(title)),
                    }
                }
            }
            Slot::Note(n) => {
                if let Some(module) = module_target(n)
                    && self.untranslated(module)
                {
                    let note = marked(&site.look.labels[self.l], "not-translated-link", &[]);
                    write!(out, " <span class=\"untranslated\">({note})</span>").unwrap_or(());
                }
            }
            Slot::ImageSrc(n) => {
                if let Some(resolved) = self.links.images.get(n).and_then(Option::as_ref) {
                    out.push_str(&escape(
                        &resolved_url(resolved, self.root).unwrap_or_default(),
                    ));
                }
            }
            Slot::Heading(level) => {
                let shift = u8::from(self.print.is_some());
                write!(out, "h{}", (level + shift).min(6)).unwrap_or(());
            }
            Slot::IdPrefix => {
                if let Some((id, _)) = self.print {
                    write!(out, "{}--", escape(id)).unwrap_or(());
                }
            }
            Slot::HeadingId(n) => {
                if let Some(id) = self.ids.get(n) {
                    out.push_str(&escape(id));
                }
            }
            Slot::TaskDone => out.push_str(&marked(&site.look.labels[self.l], "task-done", &[])),
        }
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
}
