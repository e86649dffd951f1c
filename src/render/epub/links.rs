//! Where a chapter's links lead: to another chapter of the book, to the published site, or
//! nowhere (then the link is its text). Everything else in a body is filled as on the
//! module's page.

use super::super::Page;
use super::super::fill::{BodyFiller, Filler, Slot, resolved_url};
use crate::link::ModuleIdx;
use crate::model::{Body, Resolved};

/// Fills a body for a chapter of the book: what differs from the module's page is where links
/// lead; everything else is the page's ([`BodyFiller`] from the book's folder, `root` empty,
/// where `media/…` is the book's own copy).
pub(super) struct BookFiller<'s> {
    pub(super) page: BodyFiller<'s>,
    /// The handbook's modules: the chapters of the book.
    pub(super) members: &'s [ModuleIdx],
}

/// Where a link of a chapter leads.
enum Destination {
    /// A chapter of this book (its file and fragment).
    Chapter(String),
    /// The published site.
    Site(String),
    /// Nowhere: shown as text.
    Nowhere,
    /// Whatever the page's filler writes (anchors in the chapter, external links).
    AsOnPage,
}

impl BookFiller<'_> {
    fn destination(&self, n: usize) -> Destination {
        let site = self.page.site;
        let base = site.data.config.site_url.as_deref();
        let fragment =
            |anchor: &Option<String>| anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
        match self.page.links.links.get(n).and_then(Option::as_ref) {
            Some(Resolved::Module { id, anchor }) => match site.data.graph.module(id) {
                Some(m) if self.members.contains(&m) => {
                    Destination::Chapter(format!("{id}.xhtml{}", fragment(anchor)))
                }
                Some(m) => match base {
                    Some(base) => Destination::Site(format!(
                        "{base}{}{}",
                        site.path(&Page::Module(self.page.l, m)),
                        fragment(anchor)
                    )),
                    None => Destination::Nowhere,
                },
                None => Destination::Nowhere,
            },
            // A linked file that is no image (a PDF, a spreadsheet) is not part of an EPUB: it
            // is on the site, if there is one.
            Some(resolved @ Resolved::Media { .. }) => match base {
                Some(base) => Destination::Site(format!(
                    "{base}{}",
                    resolved_url(resolved, "").unwrap_or_default()
                )),
                None => Destination::Nowhere,
            },
            _ => Destination::AsOnPage,
        }
    }
}

impl Filler for BookFiller<'_> {
    fn fill(&self, body: &Body, slot: Slot, out: &mut String) {
        match slot {
            Slot::Href(n) => match self.destination(n) {
                Destination::Chapter(url) | Destination::Site(url) => {
                    out.push_str(&crate::markdown::escape(&url))
                }
                Destination::Nowhere => {}
                Destination::AsOnPage => self.page.fill(body, slot, out),
            },
            // `hreflang` belongs to a link that leads somewhere.
            Slot::Attrs(n) if self.unlinked(n) => {}
            _ => self.page.fill(body, slot, out),
        }
    }

    fn unlinked(&self, n: usize) -> bool {
        matches!(self.destination(n), Destination::Nowhere)
    }
}
