//! Fills the page-dependent placeholders that the Markdown scan (`markdown`) left in a body's
//! HTML: link and image
//! URLs in the reader's language, titles of empty `[](guide:x)` links, "not yet translated"
//! notes, and heading levels and ids (shifted and prefixed on a printable handbook page).

use super::templates::marked;
use super::{Page, Site};
use crate::link::{DocLinks, ModuleIdx};
use crate::markdown::escape;
use crate::model::{Body, Resolved};
use std::fmt::Write;

pub use crate::markdown::placeholder::{Filler, Section, Slot, fill, fill_into, fill_sections};

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
    pub print: Option<(&'s str, &'s rustc_hash::FxHashSet<ModuleIdx>)>,
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
