//! The browse pages (`<lang>/modules.html`, `modules-2.html`, …): every built module, by title,
//! [`PER_PAGE`] to a page with previous/next and page links (the first, the last and those
//! near the current one: see [`pager`]), and the small script files that let the facet filters
//! work over all of them.
//!
//! One page listing every module grew with the corpus (1.6 MB, 139 KB gzipped at 5,000
//! modules). Now a page holds a fixed number of modules, so it stays small at any size, and
//! without JavaScript a reader pages through the list (or uses the level, subject and need
//! pages). With JavaScript, ticking a filter loads `browse/facets.js` — each module's terms as
//! numbers, 19 KB gzipped at 5,000 modules — and then only the `browse/p-<n>.js` files that
//! hold the titles of the matches shown, [`CHUNK`] at a time. Chunks are smaller than pages so
//! that a filter few modules match does not load the titles of hundreds it does not show. They
//! are scripts, not JSON, so they load from `file://` too, as the search index does.

use super::pages::ModuleItem;
use super::script::json;
use super::{Facet, Site};
use crate::link::ModuleIdx;
use serde::Serialize;

/// How many modules a browse page lists: small pages (about 10 KB gzipped) that still show a
/// good part of a small project at once.
pub const PER_PAGE: usize = 100;

/// How many modules a `browse/p-<n>.js` file holds, and how many filter results show at a
/// time: at worst (every match in another chunk) a first filter loads `facets.js` and 25 chunks
/// of under 1 KB gzipped each.
pub const CHUNK: usize = 25;

/// The folder of a language's browse data, relative to the language folder.
pub const DATA_DIR: &str = "browse/";

impl Site {
    /// How many browse pages each language has (at least one, even for an empty project).
    pub(super) fn browse_pages(&self) -> usize {
        self.built_count().div_ceil(PER_PAGE).max(1)
    }

    /// The built modules in browse order in language `l`: by the title shown, case-folded
    /// (ties by id, so the order depends on nothing but the content).
    fn browse_order(&self, l: usize) -> &[ModuleIdx] {
        self.browse[l].get_or_init(|| {
            let modules = &self.data.graph.modules;
            let mut order: Vec<ModuleIdx> = self.built_modules().collect();
            order.sort_by_cached_key(|&m| (self.title(m, l).0.to_lowercase(), &modules[m].id));
            order
        })
    }

    /// How many `browse/p-<n>.js` files each language has.
    pub(super) fn browse_chunks(&self) -> usize {
        self.built_count().div_ceil(CHUNK)
    }

    /// The modules on browse page `n` (1-based) of language `l`.
    fn browse_page(&self, l: usize, n: usize) -> &[ModuleIdx] {
        self.browse_slice(l, n.saturating_sub(1) * PER_PAGE, PER_PAGE)
    }

    /// `len` modules from position `start` in language `l`'s browse order.
    fn browse_slice(&self, l: usize, start: usize, len: usize) -> &[ModuleIdx] {
        let order = self.browse_order(l);
        let start = start.min(order.len());
        &order[start..(start + len).min(order.len())]
    }
}

/// The root-relative path of browse page `n` (1-based) of language folder `lang`: page 1 keeps
/// the address the list always had.
pub fn page_path(lang: &str, n: usize) -> String {
    if n <= 1 {
        format!("{lang}/modules.html")
    } else {
        format!("{lang}/modules-{n}.html")
    }
}

/// One browse page's body.
#[derive(Serialize)]
pub(super) struct BrowseBody<'a> {
    modules: Vec<ModuleItem<'a>>,
    /// This page's number, the number of pages, and every module in the language.
    page: usize,
    pages: usize,
    total: usize,
    /// "Page 2 of 50" (HTML).
    page_of: String,
    /// Links to the previous and next page and to every page, when there is more than one.
    prev: Option<String>,
    next: Option<String>,
    links: Vec<PageLink>,
    /// The browse data folder, relative to the page.
    data: &'static str,
}

#[derive(Serialize)]
struct PageLink {
    n: usize,
    href: String,
    current: bool,
    /// Pages are left out before this one (the pager shows "…").
    gap_before: bool,
}

/// The pages a pager links to, besides previous and next: the first, the last and those
/// within two of the current one, and a page alone between them rather than a gap of one.
/// (Every page linked every other: 800 links on each of 800 pages at 80,000 modules, a build
/// cost and a page weight in the square of the corpus.)
fn pager(pages: usize, current: usize) -> Vec<(usize, bool)> {
    let near = |k: usize| k == 1 || k == pages || k.abs_diff(current) <= 2;
    let shown = |k: usize| near(k) || (k > 1 && k < pages && near(k - 1) && near(k + 1));
    let mut out: Vec<(usize, bool)> = Vec::new();
    for k in (1..=pages).filter(|&k| shown(k)) {
        let gap = out.last().is_some_and(|&(previous, _)| previous + 1 < k);
        out.push((k, gap));
    }
    out
}

/// Browse page `n` (1-based) of language `l`.
pub(super) fn body(site: &Site, l: usize, n: usize) -> BrowseBody<'_> {
    let labels = &site.look.labels[l];
    let lang = site.lang(l);
    let pages = site.browse_pages();
    let href = |n: usize| page_path(lang, n);
    BrowseBody {
        modules: site
            .browse_page(l, n)
            .iter()
            .map(|&m| site.item(m, l))
            .collect(),
        page: n,
        pages,
        total: site.built_count(),
        page_of: super::templates::marked(
            labels,
            "page-of",
            &[("page", &n.to_string()), ("pages", &pages.to_string())],
        ),
        prev: (n > 1).then(|| href(n - 1)),
        next: (n < pages).then(|| href(n + 1)),
        links: if pages > 1 {
            pager(pages, n)
                .into_iter()
                .map(|(k, gap_before)| PageLink {
                    n: k,
                    href: href(k),
                    current: k == n,
                    gap_before,
                })
                .collect()
        } else {
            Vec::new()
        },
        data: DATA_DIR,
    }
}

/// `<lang>/browse/facets.js`: the facet terms and, for every module in browse order, the terms
/// it has, as indexes into one list of all terms (levels, then subjects, then needs).
pub(super) fn facets(site: &Site, l: usize) -> String {
    let terms: Vec<&Facet> = site.facets.keys().collect();
    let key = |f: &Facet| match f {
        Facet::Level(x) => x.key().to_string(),
        Facet::Subject(x) => x.key().to_string(),
        Facet::Need(x) => x.key().to_string(),
    };
    let facet = |f: &Facet| match f {
        Facet::Level(_) => "levels",
        Facet::Subject(_) => "subjects",
        Facet::Need(_) => "needs",
    };
    let index = |f: &Facet| terms.binary_search(&f).unwrap_or(usize::MAX);
    let modules: Vec<Vec<usize>> = site
        .browse_order(l)
        .iter()
        .map(|&m| {
            let module = &site.data.graph.modules[m];
            module
                .levels
                .iter()
                .map(|x| index(&Facet::Level(*x)))
                .chain(
                    module
                        .subjects
                        .iter()
                        .map(|x| index(&Facet::Subject(x.clone()))),
                )
                .chain(module.needs.iter().map(|x| index(&Facet::Need(*x))))
                .filter(|i| *i != usize::MAX)
                .collect()
        })
        .collect();
    let data = serde_json::json!({
        "chunk": CHUNK,
        "facets": terms.iter().map(|f| facet(f)).collect::<Vec<_>>(),
        "keys": terms.iter().map(|f| key(f)).collect::<Vec<_>>(),
        "modules": modules,
    });
    format!("handbokBrowse.facets({});\n", json(&data))
}

/// `<lang>/browse/p-<n>.js` (`n` from 0): the modules `n * CHUNK ..` in browse order as
/// `[href, title, summary, lang]` (href relative to the language folder; lang empty when the
/// module is in `l`).
pub(super) fn chunk(site: &Site, l: usize, n: usize) -> String {
    let prefix = format!("{}/", site.lang(l));
    let entries: Vec<serde_json::Value> = site
        .browse_slice(l, n * CHUNK, CHUNK)
        .iter()
        .map(|&m| {
            let item = site.item(m, l);
            let href = item.href.strip_prefix(&prefix).unwrap_or(&item.href);
            serde_json::json!([href, item.title, item.summary, item.lang.unwrap_or("")])
        })
        .collect();
    format!("handbokBrowse.page({n},{});\n", json(&entries))
}

#[cfg(test)]
mod tests {
    use super::pager;

    fn shown(pages: usize, current: usize) -> String {
        pager(pages, current)
            .iter()
            .map(|&(k, gap)| {
                if gap {
                    format!("… {k}")
                } else {
                    k.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A pager links the first and last pages and two on each side of the current one, never
    /// hiding a single page behind a gap; its length does not grow with the number of pages.
    #[test]
    fn a_pager_shows_a_window_of_pages() {
        assert_eq!(shown(2, 1), "1 2");
        assert_eq!(shown(7, 4), "1 2 3 4 5 6 7");
        assert_eq!(shown(50, 1), "1 2 3 … 50");
        assert_eq!(shown(50, 5), "1 2 3 4 5 6 7 … 50");
        assert_eq!(shown(50, 6), "1 … 4 5 6 7 8 … 50");
        assert_eq!(shown(50, 25), "1 … 23 24 25 26 27 … 50");
        assert_eq!(shown(50, 47), "1 … 45 46 47 48 49 50");
        assert_eq!(shown(50, 50), "1 … 48 49 50");
        for pages in 1..200 {
            for current in 1..=pages {
                let links = pager(pages, current);
                assert!(links.len() <= 9, "{pages} {current}");
                assert!(links.iter().any(|&(k, _)| k == current));
                assert_eq!(links.first().map(|l| l.0), Some(1));
                assert_eq!(links.last().map(|l| l.0), Some(pages));
            }
        }
    }
}
