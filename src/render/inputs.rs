//! What each page reads, as a fingerprint of its inputs. Rendering is a pure function of the
//! site, so a page whose fingerprint did not change renders to the same bytes: `serve` keeps
//! those and renders only pages whose inputs changed.
//!
//! A fingerprint over-approximates: a module page depends on its module (every language's
//! text, whether translations exist), the modules it shows in lists or links to (their title,
//! summary and date in its language), its handbook neighbours and the modules of the first
//! handbook that holds it (listed beside the text), and the site-wide inputs; a
//! listing page (home, browse, facets, handbooks, print, feeds, search, status, sitemap)
//! depends on every module of its language. The property test in `tests/incremental.rs`
//! checks that nothing a page reads is missing here.

use super::{Page, Site};
use crate::link::ModuleIdx;
use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};

/// The fingerprints of one site's inputs, per module and language.
pub struct Inputs {
    /// Site-wide: the look (by `generation`), the CSP, the options.
    global: u64,
    /// `item[l][m]`: what a list or link shows of module `m` in language `l`.
    item: Vec<Vec<u64>>,
    /// Per language: every module's item, and which translations exist.
    corpus: Vec<u64>,
    /// Every language's corpus.
    all: u64,
}

fn hash(value: impl Hash) -> u64 {
    let mut hasher = FxHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
}

impl Inputs {
    /// `generation` stands for the look and the configuration: whoever keeps fingerprints
    /// across changes of those changes it.
    pub fn new(site: &Site, generation: u64) -> Inputs {
        let graph = &site.data.graph;
        let languages = site.look.labels.len();
        let global = hash((
            generation,
            &site.csp,
            site.minify,
            &site.look.css_path,
            &site.look.js_path,
        ));
        let exists: Vec<Vec<bool>> = graph
            .translated
            .iter()
            .map(|row| row.iter().map(Option::is_some).collect())
            .collect();
        let item: Vec<Vec<u64>> = (0..languages)
            .map(|l| {
                (0..graph.modules.len())
                    .map(|m| {
                        let module = &graph.modules[m];
                        let shown = crate::publish::shown(graph, m, l);
                        hash((
                            &module.id,
                            module.hash,
                            shown.translation.map(|t| t.hash),
                            graph.doc(shown.file).hash,
                            site.visible[m],
                            site.stale(m, l),
                        ))
                    })
                    .collect()
            })
            .collect();
        let corpus: Vec<u64> = item
            .iter()
            .map(|items| hash((items, &exists, &graph.handbooks)))
            .collect();
        let all = hash(&corpus);
        Inputs {
            global,
            item,
            corpus,
            all,
        }
    }

    /// The fingerprint of `page` (or of a language's search index: [`Inputs::search`]).
    pub fn page(&self, site: &Site, page: &Page) -> u64 {
        let mut h = FxHasher::default();
        self.global.hash(&mut h);
        // A module page by its id: positions shift when a module is added elsewhere.
        match page {
            Page::Module(l, m) => (l, &site.data.graph.modules[*m].id).hash(&mut h),
            _ => page.hash(&mut h),
        }
        match page {
            Page::Root | Page::RootNotFound | Page::NotFound(_) => {}
            Page::Sitemap | Page::SitemapPart(_) | Page::Status(_) => self.all.hash(&mut h),
            Page::Home(l)
            | Page::AllModules(l)
            | Page::ModulesPage(l, _)
            | Page::BrowseFacets(l)
            | Page::BrowseChunk(l, _)
            | Page::Search(l)
            | Page::Feed(l)
            | Page::Handbook(l, _)
            | Page::Print(l, _)
            | Page::Facet(l, _) => self.corpus[*l].hash(&mut h),
            Page::Module(l, m) => self.module(site, *l, *m, &mut h),
        }
        h.finish()
    }

    /// The fingerprint of language `l`'s search index files.
    pub fn search(&self, l: usize) -> u64 {
        hash((self.global, "search", self.corpus[l]))
    }

    /// A module page: its module in every language, and every module it shows (by id, so
    /// that a module added elsewhere does not change the fingerprint).
    fn module(&self, site: &Site, l: usize, m: ModuleIdx, h: &mut FxHasher) {
        let graph = &site.data.graph;
        for items in &self.item {
            items[m].hash(h);
        }
        let shown = crate::publish::shown(graph, m, l);
        let mut list = |modules: &mut dyn Iterator<Item = ModuleIdx>| {
            let mut n = 0usize;
            for m in modules {
                self.item[l][m].hash(h);
                n += 1;
            }
            n.hash(h);
        };
        list(
            &mut graph
                .doc(shown.file)
                .modules()
                .filter_map(|id| graph.module(id)),
        );
        list(&mut graph.related[m].iter().copied());
        list(&mut graph.backlinks[m].iter().copied());
        // The handbook it is read in: its modules, listed beside the text (`handbook_side`).
        if let Some(&(hb, at)) = site.placements[m].first() {
            let members = &site.handbooks[hb];
            let window = super::pages::side_window(members.len(), at);
            let start = window.start;
            list(&mut members[window].iter().copied());
            // Where the list starts and how long the handbook is show too (`<ol start>`).
            (members.len(), start).hash(h);
        }
        for &(hb, at) in &site.placements[m] {
            let members = &site.handbooks[hb];
            let prev = at.checked_sub(1).map(|p| self.item[l][members[p]]);
            let next = members.get(at + 1).map(|&n| self.item[l][n]);
            (hb, prev, next).hash(h);
        }
    }
}
