//! Render: the content graph → the pages of the site, as bytes. Apart from reading the theme's
//! files when it is compiled ([`Look::new`]), nothing here touches the disk (`write` does);
//! every page is rendered independently, so pages render in parallel.
//!
//! [`Look`] (the compiled templates, labels per language, the hashed stylesheet) is made once
//! and kept while only content changes; [`Site`] is made per build or per edit: visibility, the
//! facet index, handbook placements. Pages borrow from both; nothing site-wide is cloned per
//! page. What each page reads is its fingerprint ([`inputs`]).

mod browse;
mod csp;
pub mod epub;
mod feeds;
pub mod fill;
pub mod inputs;
mod jsonld;
pub mod offline;
mod pages;
mod print;
mod script;
pub mod search;
pub mod sitemap;
pub mod templates;

use crate::ProjectData;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::i18n::Labels;
use crate::link::ModuleIdx;
use crate::model::Resolved;
use crate::translate::Stale;
use crate::vocab::{Level, Need, Subject};
use sha2::Digest;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// What `handbok build` was asked for.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Build modules with `status: draft` too.
    pub drafts: bool,
    /// Run every HTML page through minify-html (slow; pages are compact without it).
    pub minify: bool,
    /// Fail on a translation's errors instead of publishing the source text in its place
    /// (see `fallback`).
    pub strict: bool,
}

/// One page (or other generated file) of the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Page {
    /// `index.html`: pick a language.
    Root,
    /// `404.html` at the root.
    RootNotFound,
    /// `sitemap.xml`: the sitemap, or the index of its parts when it needs more than one file.
    Sitemap,
    /// `sitemap-<n+1>.xml`, when the sitemap is split.
    SitemapPart(usize),
    Home(usize),
    /// The first browse page, `<lang>/modules.html`.
    AllModules(usize),
    /// Browse page `n` (2, 3, …): `<lang>/modules-<n>.html`.
    ModulesPage(usize, usize),
    /// `<lang>/browse/facets.js`: every module's facet terms, for the filters.
    BrowseFacets(usize),
    /// `<lang>/browse/p-<n>.js`: titles of modules in browse order, for the filters' results.
    BrowseChunk(usize, usize),
    Search(usize),
    NotFound(usize),
    Feed(usize),
    Module(usize, ModuleIdx),
    Handbook(usize, usize),
    Print(usize, usize),
    Facet(usize, Facet),
    /// The translation status page, for coordinators (`status-page = true`).
    Status(usize),
}

impl Page {
    /// The language a page is in; `None` for the site-wide files (root, root 404, sitemaps).
    pub fn language(&self) -> Option<usize> {
        match self {
            Page::Home(l)
            | Page::AllModules(l)
            | Page::ModulesPage(l, _)
            | Page::BrowseFacets(l)
            | Page::BrowseChunk(l, _)
            | Page::Search(l)
            | Page::NotFound(l)
            | Page::Feed(l)
            | Page::Module(l, _)
            | Page::Handbook(l, _)
            | Page::Print(l, _)
            | Page::Facet(l, _)
            | Page::Status(l) => Some(*l),
            Page::Root | Page::RootNotFound | Page::Sitemap | Page::SitemapPart(_) => None,
        }
    }

    /// The same page in language `l` (every per-language page exists in every language).
    pub fn in_language(&self, l: usize) -> Option<Page> {
        Some(match self {
            Page::Home(_) => Page::Home(l),
            Page::AllModules(_) => Page::AllModules(l),
            Page::ModulesPage(_, n) => Page::ModulesPage(l, *n),
            Page::BrowseFacets(_) => Page::BrowseFacets(l),
            Page::BrowseChunk(_, n) => Page::BrowseChunk(l, *n),
            Page::Search(_) => Page::Search(l),
            Page::NotFound(_) => Page::NotFound(l),
            Page::Feed(_) => Page::Feed(l),
            Page::Module(_, m) => Page::Module(l, *m),
            Page::Handbook(_, h) => Page::Handbook(l, *h),
            Page::Print(_, h) => Page::Print(l, *h),
            Page::Facet(_, f) => Page::Facet(l, f.clone()),
            Page::Status(_) => Page::Status(l),
            Page::Root | Page::RootNotFound | Page::Sitemap | Page::SitemapPart(_) => return None,
        })
    }
}

/// A term of one of the three browsing facets.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Facet {
    Level(Level),
    Subject(Subject),
    Need(Need),
}

impl Facet {
    /// The root-relative path of the facet page in language folder `lang`.
    fn path(&self, lang: &str) -> String {
        match self {
            Facet::Level(l) => format!("{lang}/levels/{}.html", l.name()),
            Facet::Subject(s) => format!("{lang}/subjects/{}.html", s.key()),
            Facet::Need(n) => format!("{lang}/needs/{}.html", n.key()),
        }
    }
}

/// How pages look: the compiled templates, the labels per language, the stylesheet and the
/// script. Depends on `book.toml`, the `ui.yaml` files and the theme only, so `serve` keeps it
/// while modules change.
pub struct Look {
    templates: templates::Templates,
    /// Labels per language, in `config.languages` order.
    labels: Vec<Labels>,
    /// Dates and country names per language (CLDR), in `config.languages` order.
    cldr: Vec<crate::i18n::cldr::Cldr>,
    /// `assets/style-<hash>.css` and its text; likewise the script.
    pub css_path: String,
    pub css: String,
    pub js_path: String,
    pub js: String,
    /// The text of the templates' inline scripts (allowed by hash in the CSP).
    inline_scripts: Vec<String>,
}

impl Look {
    /// Compiles the theme. A theme that does not compile is reported in `diags`.
    pub fn new(data: &ProjectData, diags: &mut Diagnostics) -> Option<Arc<Look>> {
        let config = &data.config;
        let labels: Vec<Labels> = config
            .languages
            .iter()
            .map(|l| Labels::build(config, &data.ui_files, l))
            .collect();
        let by_lang: HashMap<String, Labels> = labels
            .iter()
            .map(|l| (l.lang.to_string(), l.clone()))
            .collect();
        let theme = config.theme.as_ref().map(|t| data.root.join(t));
        let theme = match templates::registry(theme.as_deref(), Arc::new(by_lang)) {
            Ok(loaded) => loaded,
            Err(err) => {
                diags.push(
                    Diagnostic::new(Code::Theme, format!("theme: {}: {}", err.file, err.message))
                        .help("fix the template, or remove it to use the built-in one"),
                );
                return None;
            }
        };
        Some(Arc::new(Look {
            templates: theme.templates,
            cldr: config
                .languages
                .iter()
                .map(crate::i18n::cldr::Cldr::new)
                .collect(),
            labels,
            css_path: format!("assets/style-{}.css", short_hash(theme.css.as_bytes())),
            css: theme.css,
            js_path: format!("assets/handbok-{}.js", short_hash(theme.js.as_bytes())),
            js: theme.js,
            inline_scripts: theme.inline_scripts,
        }))
    }
}

/// Everything shared by the pages of one build.
pub struct Site {
    pub data: Arc<ProjectData>,
    pub look: Arc<Look>,
    /// Whether each module is built (drafts only with `--drafts`).
    visible: Vec<bool>,
    /// How many modules are built (counted once: browse pages ask on every page).
    built: usize,
    /// Each handbook's built modules, in order.
    handbooks: Vec<Vec<ModuleIdx>>,
    /// For each module, the handbooks it is in and its position there (for previous/next
    /// without searching every handbook on every page).
    placements: Vec<Vec<(usize, usize)>>,
    /// Built modules per facet term, in corpus order.
    facets: BTreeMap<Facet, Vec<ModuleIdx>>,
    /// The Content-Security-Policy of every page.
    pub csp: String,
    minify: bool,
    /// `stale[l][m]`: module `m`'s translation into language `l` was made from an earlier
    /// version of the source (from [`crate::translate::states`]), with that version's
    /// `updated` date when its text can be found (git history or `.handbok/sources/`).
    stale: Vec<Vec<Option<Stale>>>,
    /// Where each sitemap file starts.
    sitemap: sitemap::Plan,
    /// The built modules in browse order, per language (computed when first asked for).
    browse: Vec<std::sync::OnceLock<Vec<ModuleIdx>>>,
    /// Each language's offline copy, once written (`build` only; see [`offline`]).
    downloads: Vec<Option<offline::Download>>,
    /// Each handbook's EPUB by (handbook, language), once written (`build` only; see [`epub`]).
    epubs: BTreeMap<(usize, usize), offline::Download>,
}

impl Site {
    /// Prepares a build. A theme that does not compile is reported in `diags` (then there is no
    /// site); links to drafts that are not built are checked before, by [`check_draft_links`].
    /// `stale`: the stale translations, `[l][m]` (see [`crate::translate::stale`]), which
    /// decide the stale notices and the dates translated pages show.
    pub fn new(
        data: Arc<ProjectData>,
        options: &BuildOptions,
        stale: Vec<Vec<Option<Stale>>>,
        diags: &mut Diagnostics,
    ) -> Option<Site> {
        let look = Look::new(&data, diags)?;
        Some(Site::with_look(data, look, options, stale))
    }

    /// Prepares a build with a compiled theme.
    pub fn with_look(
        data: Arc<ProjectData>,
        look: Arc<Look>,
        options: &BuildOptions,
        stale: Vec<Vec<Option<Stale>>>,
    ) -> Site {
        let config = &data.config;
        let graph = &data.graph;
        let visible = visible(&data, options);
        let handbooks: Vec<Vec<ModuleIdx>> = graph
            .handbooks
            .iter()
            .map(|h| h.iter().copied().filter(|m| visible[*m]).collect())
            .collect();
        let mut placements = vec![Vec::new(); graph.modules.len()];
        for (h, members) in handbooks.iter().enumerate() {
            for (at, m) in members.iter().enumerate() {
                placements[*m].push((h, at));
            }
        }
        let facets = facet_index(&data, &visible);
        let csp = csp::policy(&look.inline_scripts, &media_hosts(&data), &config.embeds);
        let mut site = Site {
            stale,
            placements,
            handbooks,
            facets,
            built: visible.iter().filter(|v| **v).count(),
            visible,
            csp,
            minify: options.minify,
            sitemap: sitemap::Plan::default(),
            browse: (0..look.labels.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            downloads: vec![None; look.labels.len()],
            epubs: BTreeMap::new(),
            data,
            look,
        };
        site.sitemap = sitemap::Plan::new(&site, sitemap::PROTOCOL);
        site
    }

    /// The media files (project paths) that built pages link to or show, and the publisher's
    /// logo and favicon: the only files of the project that are published besides the pages,
    /// so nothing unused or private leaks.
    pub fn media(&self) -> std::collections::BTreeSet<&str> {
        let graph = &self.data.graph;
        built_bodies(graph, &self.visible)
            .flat_map(|(file, _)| graph.doc(file).targets())
            .filter_map(|r| match r {
                Resolved::Media { path, .. } => Some(path.as_str()),
                _ => None,
            })
            .chain(
                self.data
                    .config
                    .publisher
                    .iter()
                    .flat_map(|p| p.files(&self.data.media)),
            )
            .collect()
    }

    /// Splits the sitemap at `limits` instead of the protocol's, so tests can see a split on a
    /// small project.
    pub fn with_sitemap_limits(mut self, limits: sitemap::Limits) -> Self {
        self.sitemap = sitemap::Plan::new(&self, limits);
        self
    }

    /// Every page of the site, in a stable order.
    pub fn pages(&self) -> Vec<Page> {
        let mut pages = vec![Page::Root, Page::RootNotFound, Page::Sitemap];
        pages.extend((0..self.sitemap.parts()).map(Page::SitemapPart));
        for l in 0..self.look.labels.len() {
            pages.extend(self.language_pages(l));
        }
        pages
    }

    /// The pages of language `l`, in a stable order.
    fn language_pages(&self, l: usize) -> impl Iterator<Item = Page> + '_ {
        [
            Page::Home(l),
            Page::AllModules(l),
            Page::Search(l),
            Page::NotFound(l),
            Page::Feed(l),
        ]
        .into_iter()
        .chain((2..=self.browse_pages()).map(move |n| Page::ModulesPage(l, n)))
        .chain([Page::BrowseFacets(l)])
        .chain((0..self.browse_chunks()).map(move |n| Page::BrowseChunk(l, n)))
        .chain(self.built_modules().map(move |m| Page::Module(l, m)))
        .chain(
            (0..self.handbooks.len())
                .filter(|h| !self.handbooks[*h].is_empty())
                .flat_map(move |h| [Page::Handbook(l, h), Page::Print(l, h)]),
        )
        .chain(self.facets.keys().map(move |f| Page::Facet(l, f.clone())))
        .chain(self.data.config.status_page.then_some(Page::Status(l)))
    }

    /// The built modules that have an `updated` date in language `l` ([`Site::updated`]),
    /// newest first (ties by id, so the order depends on nothing but the content): the home
    /// page's list and the feeds.
    fn recently_updated(&self, l: usize) -> Vec<ModuleIdx> {
        let modules = &self.data.graph.modules;
        let mut recent: Vec<ModuleIdx> = self
            .built_modules()
            .filter(|m| self.updated(*m, l).is_some())
            .collect();
        recent.sort_by(|a, b| {
            self.updated(*b, l)
                .cmp(&self.updated(*a, l))
                .then_with(|| modules[*a].id.cmp(&modules[*b].id))
        });
        recent
    }

    /// The built modules not translated into language `l` (none for the source language), in
    /// corpus order: the home page's coverage and the status page.
    fn untranslated_modules(&self, l: usize) -> Vec<ModuleIdx> {
        if l == 0 {
            return Vec::new();
        }
        self.built_modules()
            .filter(|m| self.translation(*m, l).is_none())
            .collect()
    }

    /// The `updated` date module `m` shows in language `l` (page, feed, JSON-LD, sitemap): the
    /// date of the text the reader gets, never a newer source date over older text. A
    /// translation's own `updated`; else the date of the source version it was made from: the
    /// source's current date when the translation is not stale, the old version's date when
    /// it is (no date when that version cannot be found). An untranslated module shows its
    /// source text, so the source's date.
    fn updated(&self, m: ModuleIdx, l: usize) -> Option<&str> {
        let source = self.data.graph.modules[m].updated.as_deref();
        match self.translation(m, l) {
            Some(t) => t.updated.as_deref().or_else(|| match self.stale(m, l) {
                Some(stale) => stale.made_from.as_deref(),
                None => source,
            }),
            None => source,
        }
    }

    /// The keywords module `m` shows and indexes in language `l`: the translation's own, else
    /// the source's, with the language they are in when it is not `l`'s (the rule is
    /// [`crate::publish::keywords`]).
    fn keywords(&self, m: ModuleIdx, l: usize) -> (&[String], Option<&str>) {
        let (words, in_source) = crate::publish::keywords(&self.data.graph, m, l);
        (words, in_source.then(|| self.lang(0)))
    }

    pub(crate) fn built_modules(&self) -> impl Iterator<Item = ModuleIdx> + '_ {
        (0..self.visible.len()).filter(|m| self.visible[*m])
    }

    /// How many modules are built: `built_modules().count()`, known without counting.
    pub(crate) fn built_count(&self) -> usize {
        self.built
    }

    fn lang(&self, l: usize) -> &str {
        self.look.labels[l].lang.as_str()
    }

    /// The root-relative path a page is written to.
    pub fn path(&self, page: &Page) -> String {
        let graph = &self.data.graph;
        let config = &self.data.config;
        match page {
            Page::Root => "index.html".into(),
            Page::RootNotFound => "404.html".into(),
            Page::Sitemap => "sitemap.xml".into(),
            Page::SitemapPart(n) => sitemap::part_path(*n),
            Page::Home(l) => format!("{}/index.html", self.lang(*l)),
            Page::AllModules(l) => browse::page_path(self.lang(*l), 1),
            Page::ModulesPage(l, n) => browse::page_path(self.lang(*l), *n),
            Page::BrowseFacets(l) => format!("{}/{}facets.js", self.lang(*l), browse::DATA_DIR),
            Page::BrowseChunk(l, n) => {
                format!("{}/{}p-{n}.js", self.lang(*l), browse::DATA_DIR)
            }
            Page::Search(l) => format!("{}/search.html", self.lang(*l)),
            Page::NotFound(l) => format!("{}/404.html", self.lang(*l)),
            Page::Feed(l) => format!("{}/feed.xml", self.lang(*l)),
            Page::Module(l, m) => crate::publish::module_path(self.lang(*l), &graph.modules[*m].id),
            Page::Handbook(l, h) => format!(
                "{}/handbooks/{}.html",
                self.lang(*l),
                config.handbooks[*h].id
            ),
            Page::Print(l, h) => {
                format!("{}/print/{}.html", self.lang(*l), config.handbooks[*h].id)
            }
            Page::Facet(l, f) => f.path(self.lang(*l)),
            Page::Status(l) => format!("{}/translation-status.html", self.lang(*l)),
        }
    }

    /// Renders one page.
    pub fn render(&self, page: &Page) -> Result<Vec<u8>, String> {
        let text = match page {
            Page::Sitemap => sitemap::root(self),
            Page::SitemapPart(n) => sitemap::part(self, *n),
            Page::Feed(l) => feeds::atom(self, *l),
            Page::BrowseFacets(l) => browse::facets(self, *l),
            Page::BrowseChunk(l, n) => browse::chunk(self, *l, *n),
            _ if self.minify => {
                return Ok(templates::minify_page(
                    pages::render(self, page)?.as_bytes(),
                ));
            }
            _ => pages::render(self, page)?,
        };
        Ok(text.into_bytes())
    }

    /// A module's title in language `l`, and the language it is actually in when the module is
    /// not translated (`None` when it is in `l`).
    fn title(&self, m: ModuleIdx, l: usize) -> (&str, Option<&str>) {
        let shown = crate::publish::shown(&self.data.graph, m, l);
        let lang = (shown.translation.is_none() && l != 0).then(|| self.lang(0));
        (shown.title, lang)
    }

    /// Whether module `m`'s translation into language `l` is stale: the page then says it was
    /// made from an earlier version of the source text (of which date, when known), linking to
    /// the source page.
    fn stale(&self, m: ModuleIdx, l: usize) -> Option<&Stale> {
        self.stale
            .get(l)
            .and_then(|s| s.get(m))
            .and_then(Option::as_ref)
    }

    fn translation(&self, m: ModuleIdx, l: usize) -> Option<&crate::model::Translation> {
        crate::publish::shown(&self.data.graph, m, l).translation
    }
}

/// Whether each module is built: drafts only with `--drafts`.
fn visible(data: &ProjectData, options: &BuildOptions) -> Vec<bool> {
    data.graph
        .modules
        .iter()
        .map(|m| crate::publish::is_built(m, options.drafts))
        .collect()
}

/// The bodies the site shows: built modules and their translations.
fn built_bodies<'g>(
    graph: &'g crate::link::Linked,
    visible: &'g [bool],
) -> impl Iterator<Item = (crate::source::FileId, &'g crate::model::Body)> {
    graph
        .modules
        .iter()
        .enumerate()
        .filter(|(i, _)| visible[*i])
        .map(|(_, m)| (m.file, &m.body))
        .chain(
            graph
                .translations
                .iter()
                .zip(&graph.source_of)
                .filter(|(_, m)| visible[**m])
                .map(|(t, _)| (t.file, &t.body)),
        )
}

/// A built page must not link to a module that is not built (E031). Checked before the site
/// is prepared, so that `fallback` can judge these errors with all the others.
pub fn check_draft_links(data: &ProjectData, options: &BuildOptions, diags: &mut Diagnostics) {
    let graph = &data.graph;
    let visible = visible(data, options);
    if visible.iter().all(|v| *v) {
        return; // no module is left out
    }
    for (file, body) in built_bodies(graph, &visible) {
        for (link, resolved) in body.links.iter().zip(&graph.doc(file).links) {
            if let Some(Resolved::Module { id, .. }) = resolved
                && let Some(module) = graph.module(id)
                && !visible[module]
            {
                diags.push(
                    Diagnostic::new(
                        Code::LinkToDraft,
                        format!(
                            "link to draft module `{}`, which is not built",
                            graph.modules[module].id
                        ),
                    )
                    .at(file, link.span.clone())
                    .help("publish the target (`status: published`), remove the link, or build with `--drafts`"),
                );
            }
        }
    }
}

fn facet_index(data: &ProjectData, visible: &[bool]) -> BTreeMap<Facet, Vec<ModuleIdx>> {
    let mut index: BTreeMap<Facet, Vec<ModuleIdx>> = BTreeMap::new();
    for (i, m) in data
        .graph
        .modules
        .iter()
        .enumerate()
        .filter(|(i, _)| visible[*i])
    {
        let terms = m
            .levels
            .iter()
            .map(|l| Facet::Level(*l))
            .chain(m.subjects.iter().map(|s| Facet::Subject(s.clone())))
            .chain(m.needs.iter().map(|n| Facet::Need(*n)));
        for term in terms {
            index.entry(term).or_default().push(i);
        }
    }
    index
}

/// The first 10 hex digits of the SHA-256 of `bytes`: content-hashed asset names.
/// The hosts of the media that content loads from other servers (reported as W011).
fn media_hosts(data: &ProjectData) -> std::collections::BTreeSet<String> {
    let graph = &data.graph;
    let files = graph
        .modules
        .iter()
        .map(|m| m.file)
        .chain(graph.translations.iter().map(|t| t.file));
    files
        .flat_map(|file| graph.doc(file).images.iter().flatten())
        .filter_map(|resolved| match resolved {
            Resolved::External(url) => crate::check::html::host_of(url),
            _ => None,
        })
        .collect()
}

pub fn short_hash(bytes: &[u8]) -> String {
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().take(5).map(|b| format!("{b:02x}")).collect()
}

/// The URL of a license: Creative Commons deeds for CC licenses, the SPDX page otherwise.
pub fn license_url(id: &str) -> String {
    let lower = id.to_ascii_lowercase();
    if lower == "cc0-1.0" {
        return "https://creativecommons.org/publicdomain/zero/1.0/".into();
    }
    if let Some(rest) = lower.strip_prefix("cc-") {
        let parts: Vec<&str> = rest.split('-').collect();
        if let Some(pos) = parts.iter().position(|p| p.contains('.')) {
            let kind = parts[..pos].join("-");
            let version = parts[pos];
            let port = parts
                .get(pos + 1)
                .map(|p| format!("{p}/"))
                .unwrap_or_default();
            return format!("https://creativecommons.org/licenses/{kind}/{version}/{port}");
        }
    }
    format!("https://spdx.org/licenses/{id}.html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn license_urls() {
        assert_eq!(
            license_url("CC-BY-4.0"),
            "https://creativecommons.org/licenses/by/4.0/"
        );
        assert_eq!(
            license_url("CC-BY-SA-4.0"),
            "https://creativecommons.org/licenses/by-sa/4.0/"
        );
        assert_eq!(
            license_url("CC-BY-NC-ND-3.0-DE"),
            "https://creativecommons.org/licenses/by-nc-nd/3.0/de/"
        );
        assert_eq!(
            license_url("CC0-1.0"),
            "https://creativecommons.org/publicdomain/zero/1.0/"
        );
        assert_eq!(license_url("MIT"), "https://spdx.org/licenses/MIT.html");
    }
}
