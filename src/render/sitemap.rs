//! The sitemap: every listed page of every language, each with its hreflang alternates, split
//! into files within the protocol's limits (sitemaps.org: at most 50,000 URLs and 50 MB a file).
//!
//! Each entry lists every language, so the sitemap grows with pages × languages (2,000 modules in
//! 24 languages made 90 MB). [`Plan`] measures the entries once, in one pass that holds one entry
//! at a time, and records where each file starts; each file is then rendered on its own from its
//! start. So no more than one file's text is ever in memory per rendering thread. A small site
//! keeps one `sitemap.xml`; a larger one gets `sitemap-1.xml`, … and `sitemap.xml` becomes the
//! index that lists them.

use super::feeds::escape;
use super::{Page, Site};
use std::fmt::Write;

/// How much one sitemap file may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub urls: usize,
    pub bytes: usize,
}

/// The protocol's limits: 50,000 URLs and 50 MiB (52,428,800 bytes) uncompressed.
pub const PROTOCOL: Limits = Limits {
    urls: 50_000,
    bytes: 50 * 1024 * 1024,
};

const URLSET_OPEN: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
const URLSET_CLOSE: &str = "</urlset>\n";

/// A place in the listed pages: a group (the site-wide pages, then one per language) and the
/// index in it. Files start at such a place, so rendering one never walks earlier languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Start {
    group: usize,
    at: usize,
}

/// Where each sitemap file starts and how many entries it holds.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    files: Vec<(Start, usize)>,
}

impl Plan {
    /// Measures every entry once and cuts files where the next entry would cross `limits`.
    pub fn new(site: &Site, limits: Limits) -> Plan {
        let room = limits
            .bytes
            .saturating_sub(URLSET_OPEN.len() + URLSET_CLOSE.len());
        // Most sites fit one file by far: an upper bound on every entry's length shows it
        // without writing 20,000 entries on every edit `serve` sees.
        let count: usize = (0..groups(site)).map(|g| listed(site, g).count()).sum();
        if count <= limits.urls && count.saturating_mul(entry_bound(site)) <= room {
            return Plan {
                files: vec![(Start { group: 0, at: 0 }, count)],
            };
        }
        let mut files: Vec<(Start, usize)> = Vec::new();
        let (mut entries, mut bytes) = (0, 0);
        let mut entry = String::new();
        for group in 0..groups(site) {
            for (at, page) in listed(site, group).enumerate() {
                entry.clear();
                write_entry(site, &page, &mut entry);
                let full = entries + 1 > limits.urls || bytes + entry.len() > room;
                if files.is_empty() || (entries > 0 && full) {
                    if let Some(last) = files.last_mut() {
                        last.1 = entries;
                    }
                    files.push((Start { group, at }, 0));
                    (entries, bytes) = (0, 0);
                }
                entries += 1;
                bytes += entry.len();
            }
        }
        if let Some(last) = files.last_mut() {
            last.1 = entries;
        }
        Plan { files }
    }

    /// The files beside `sitemap.xml`: none when one file holds every entry.
    pub fn parts(&self) -> usize {
        if self.files.len() > 1 {
            self.files.len()
        } else {
            0
        }
    }
}

/// The path of part `n` (0-based): `sitemap-1.xml`, ….
pub fn part_path(n: usize) -> String {
    format!("sitemap-{}.xml", n + 1)
}

/// `sitemap.xml`: every entry when one file holds them, else the index of the parts.
pub fn root(site: &Site) -> String {
    if site.sitemap.parts() == 0 {
        return part(site, 0);
    }
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for n in 0..site.sitemap.parts() {
        let _ = writeln!(
            out,
            "<sitemap><loc>{}</loc></sitemap>",
            escape(&site.url("", &part_path(n), true))
        );
    }
    out.push_str("</sitemapindex>\n");
    out
}

/// Part `n` of the sitemap: its entries, from its start.
pub fn part(site: &Site, n: usize) -> String {
    let mut out = String::from(URLSET_OPEN);
    if let Some((start, count)) = site.sitemap.files.get(n) {
        let pages = (start.group..groups(site))
            .flat_map(|group| {
                let skip = if group == start.group { start.at } else { 0 };
                listed(site, group).skip(skip)
            })
            .take(*count);
        for page in pages {
            write_entry(site, &page, &mut out);
        }
    }
    out.push_str(URLSET_CLOSE);
    out
}

/// The site-wide group, then one per language.
fn groups(site: &Site) -> usize {
    1 + site.look.labels.len()
}

/// The pages of a group that a sitemap lists: HTML pages meant to be found. Group 0 is the
/// language picker at the root; group `l + 1` is language `l`.
fn listed<'s>(site: &'s Site, group: usize) -> Box<dyn Iterator<Item = Page> + 's> {
    match group.checked_sub(1) {
        None => Box::new(std::iter::once(Page::Root)),
        Some(l) => Box::new(site.language_pages(l).filter(|page| {
            !matches!(
                page,
                Page::Feed(_)
                    | Page::NotFound(_)
                    | Page::Status(_)
                    | Page::BrowseFacets(_)
                    | Page::BrowseChunk(..)
            )
        })),
    }
}

/// No entry is longer than this: the longest URL a page can have, once per language and once
/// as `<loc>`, with the markup around them and a `<lastmod>`.
fn entry_bound(site: &Site) -> usize {
    let config = &site.data.config;
    let base = config.site_url.as_deref().map_or(0, |b| escape(b).len());
    let lang = config
        .languages
        .iter()
        .map(|l| l.as_str().len())
        .max()
        .unwrap_or(0);
    let graph = &site.data.graph;
    let ids = graph
        .modules
        .iter()
        .map(|m| m.id.as_str())
        .chain(config.handbooks.iter().map(|h| h.id.as_str()))
        .chain(site.facets.keys().map(|f| match f {
            super::Facet::Level(l) => l.name(),
            super::Facet::Subject(s) => s.key(),
            super::Facet::Need(n) => n.key(),
        }))
        .map(|id| escape(id).len())
        .max()
        .unwrap_or(0);
    // `{lang}/` + the longest fixed part (`translation-status.html`, `handbooks/….html`).
    let path = lang + 1 + ids + 32;
    let link = "<xhtml:link rel=\"alternate\" hreflang=\"\" href=\"\"/>".len();
    let url = base + path;
    "<url><loc></loc><lastmod>0000-00-00</lastmod></url>\n".len()
        + url
        + (site.look.labels.len() + 1) * (link + lang + url)
}

/// One `<url>` with its alternates in every language, as search engines ask for hreflang.
fn write_entry(site: &Site, page: &Page, out: &mut String) {
    let _ = write!(
        out,
        "<url><loc>{}</loc>",
        escape(&site.url("", &site.path(page), true))
    );
    for l in 0..site.look.labels.len() {
        if let Some(variant) = page.in_language(l) {
            let _ = write!(
                out,
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                site.lang(l),
                escape(&site.url("", &site.path(&variant), true))
            );
        }
    }
    if let Page::Module(l, m) = page
        && let Some(updated) = site.updated(*m, *l)
    {
        let _ = write!(out, "<lastmod>{updated}</lastmod>");
    }
    out.push_str("</url>\n");
}
