//! Typed template contexts and the rendering of each HTML page.

use super::fill::{BodyFiller, fill};
use super::templates::{PageData, marked, marked_html};
use super::{Facet, Page, Site, jsonld, license_url};
use crate::link::ModuleIdx;
use serde::Serialize;

mod wayfinding;
pub(super) use wayfinding::side_window;
use wayfinding::{Chip, HandbookSide};

/// A page's context: the frame every layout needs, and the page's own body.
#[derive(Serialize)]
struct PageCtx<'a, B: Serialize> {
    #[serde(flatten)]
    frame: Frame<'a>,
    body: B,
}

/// What every page's layout needs.
#[derive(Serialize)]
struct Frame<'a> {
    lang: &'a str,
    dir: &'static str,
    /// The way from this page to the site root (`../../`), so the site works from any path.
    root: String,
    title: String,
    description: Option<String>,
    canonical: Option<String>,
    feed: Option<String>,
    jsonld: Option<String>,
    alternates: Vec<Alternate>,
    languages: Vec<LangLink>,
    site: SiteCtx<'a>,
    /// Whether the header has a search box: not on the search page, which has its own (one
    /// search box per page).
    header_search: bool,
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    book_title: &'a str,
    book_title_lang: Option<&'a str>,
    css: &'a str,
    js: &'a str,
    csp: &'a str,
    home: String,
    modules: String,
    search: String,
    /// The translation status page, when `book.toml` asks for one.
    status: Option<String>,
    license: Option<LicenseCtx>,
    /// The publisher from `book.toml`, shown beside the book title.
    publisher: Option<PublisherCtx<'a>>,
    /// The favicon's site path and media type.
    favicon: Option<FaviconCtx>,
}

#[derive(Serialize)]
struct PublisherCtx<'a> {
    name: &'a str,
    url: Option<&'a str>,
    /// The logo's site path (URL-encoded), from the site root.
    logo: Option<String>,
}

#[derive(Serialize)]
struct FaviconCtx {
    href: String,
    mime: &'static str,
}

#[derive(Serialize)]
pub(super) struct LicenseCtx {
    pub(super) id: String,
    pub(super) url: String,
}

#[derive(Serialize)]
struct Alternate {
    hreflang: String,
    href: String,
}

/// The notice over a translation made from an earlier version of its source.
#[derive(Serialize)]
struct StaleNotice {
    /// The notice and the link text as HTML (see `templates::marked`).
    notice: String,
    link: String,
    /// The module's page in the source language.
    href: String,
    hreflang: String,
}

/// The notice over a module shown in the source language because it is not translated.
#[derive(Serialize)]
pub(super) struct Fallback {
    /// The notice as HTML (see `templates::marked`).
    pub(super) notice: String,
    /// The languages the module exists in, each linking to its page there.
    languages: Vec<LangLink>,
}

#[derive(Serialize)]
struct LangLink {
    lang: String,
    name: String,
    href: String,
    current: bool,
}

/// A module in a list, in the reader's language where possible.
#[derive(Serialize)]
pub(super) struct ModuleItem<'a> {
    pub(super) href: String,
    pub(super) title: &'a str,
    pub(super) summary: &'a str,
    /// Set when the title and summary are in another language (the module is not translated).
    pub(super) lang: Option<&'a str>,
    untranslated: bool,
    /// ISO 8601 (`datetime` of the `<time>` element).
    updated: Option<&'a str>,
    /// Its levels, subjects and needs, for the chips on cards.
    chips: Vec<Chip<'a>>,
    /// `updated` written the reader's way ("1. März 2026"; ISO without CLDR data).
    updated_text: Option<String>,
}

#[derive(Serialize)]
struct Term {
    label: String,
    href: String,
    /// The label's language when it is not the page's (see `Labels::borrowed`).
    lang: Option<String>,
    /// A level's formal ISCED 2011 name, shown as secondary text beside the short label.
    formal: Option<Formal>,
}

/// The formal ISCED 2011 name of a level ("Primarbereich", ISCED 1) beside the words schools
/// use ("Grundschule"), with its language when it is not the page's.
#[derive(Serialize)]
struct Formal {
    name: String,
    /// "ISCED 1", the same in every language.
    code: String,
    lang: Option<String>,
}

/// `page` in language `l`, or `page` itself if it belongs to no language.
fn in_language(page: &Page, l: usize) -> Page {
    page.in_language(l).unwrap_or_else(|| page.clone())
}

impl Site {
    /// The URL of `path` as seen from a page at `root`; absolute if the site URL is known and
    /// `absolute` is asked for (canonical links, hreflang, feeds).
    pub(super) fn url(&self, root: &str, path: &str, absolute: bool) -> String {
        match (&self.data.config.site_url, absolute) {
            (Some(base), true) => format!("{base}{path}"),
            _ => format!("{root}{path}"),
        }
    }

    pub(super) fn item<'s>(&'s self, m: ModuleIdx, l: usize) -> ModuleItem<'s> {
        let (title, lang) = self.title(m, l);
        let summary = crate::publish::shown(&self.data.graph, m, l).summary;
        ModuleItem {
            href: self.path(&Page::Module(l, m)),
            title,
            summary,
            lang,
            untranslated: lang.is_some(),
            updated: self.updated(m, l),
            chips: self.chips(m, l),
            updated_text: self.updated(m, l).map(|d| self.date_text(l, d)),
        }
    }

    /// An ISO date written the way language `l` writes dates, or as it is without CLDR data.
    pub(super) fn date_text(&self, l: usize, iso: &str) -> String {
        self.look.cldr[l]
            .date(iso)
            .unwrap_or_else(|| iso.to_string())
    }

    /// The name of country `code` in language `l`: CLDR's, the interface string for `EU` (a
    /// code `country` accepts that is no country), else the code itself.
    fn country_name(&self, l: usize, code: &str) -> String {
        match code {
            "EU" => self.look.labels[l].string("european-union").to_string(),
            _ => self.look.cldr[l]
                .country(code)
                .unwrap_or_else(|| code.to_string()),
        }
    }

    /// A date as a `<time>` element for page code that builds HTML (notices).
    fn time_html(&self, l: usize, iso: &str) -> String {
        let iso = handlebars::html_escape(iso);
        let text = handlebars::html_escape(&self.date_text(l, &iso));
        format!("<time datetime=\"{iso}\">{text}</time>")
    }

    /// "This module has not been translated into {language} yet…", in language `l`, with the
    /// languages module `m` does exist in, linked (from a page at `root`).
    pub(super) fn fallback_notice(&self, m: ModuleIdx, l: usize, root: &str) -> Fallback {
        let labels = &self.look.labels[l];
        let notice = marked(
            labels,
            "not-translated",
            &[
                ("language", labels.string("language-name-in-sentence")),
                (
                    "source-language",
                    self.look.labels[0].string("language-name"),
                ),
            ],
        );
        let languages = (0..self.look.labels.len())
            .filter(|&other| other != l && (other == 0 || self.translation(m, other).is_some()))
            .map(|other| LangLink {
                lang: self.lang(other).to_string(),
                name: self.look.labels[other].string("language-name").to_string(),
                href: format!("{root}{}", self.path(&Page::Module(other, m))),
                current: false,
            })
            .collect();
        Fallback { notice, languages }
    }

    /// The stale notice for module `m` in language `l`, when its translation is stale.
    fn stale_notice(&self, m: ModuleIdx, l: usize, root: &str) -> Option<StaleNotice> {
        self.translation(m, l)?;
        let stale = self.stale(m, l)?;
        let labels = &self.look.labels[l];
        let language = self.look.labels[0].string("language-name");
        let notice = match &stale.made_from {
            Some(date) => marked_html(
                labels,
                "stale-translation-dated",
                &[("source-language", language)],
                &[("date", &self.time_html(l, date))],
            ),
            None => marked(
                labels,
                "stale-translation",
                &[("source-language", language)],
            ),
        };
        let source = [("source-language", language)];
        Some(StaleNotice {
            notice,
            link: marked(labels, "read-source", &source),
            href: format!("{root}{}", self.path(&Page::Module(0, m))),
            hreflang: self.lang(0).to_string(),
        })
    }

    fn facet_label(&self, facet: &Facet, l: usize) -> String {
        let labels = &self.look.labels[l];
        match facet {
            Facet::Level(level) => labels.level(*level).to_string(),
            Facet::Subject(s) => labels.subject(s).to_string(),
            Facet::Need(n) => labels.need(*n).to_string(),
        }
    }

    /// A level's formal ISCED name in language `l`; other facets have none.
    fn facet_formal(&self, facet: &Facet, l: usize) -> Option<Formal> {
        let labels = &self.look.labels[l];
        match facet {
            Facet::Level(level) => Some(Formal {
                name: labels.isced(*level).to_string(),
                code: format!("ISCED {}", level.number()),
                lang: labels.isced_lang(*level).map(str::to_string),
            }),
            Facet::Subject(_) | Facet::Need(_) => None,
        }
    }

    /// The language of a facet term's label in language `l`, when it is another.
    fn facet_lang(&self, facet: &Facet, l: usize) -> Option<String> {
        let labels = &self.look.labels[l];
        match facet {
            Facet::Level(level) => labels.level_lang(*level),
            Facet::Subject(s) => labels.subject_lang(s),
            Facet::Need(n) => labels.need_lang(*n),
        }
        .map(str::to_string)
    }

    fn term(&self, facet: Facet, l: usize) -> Term {
        Term {
            lang: self.facet_lang(&facet, l),
            label: self.facet_label(&facet, l),
            formal: self.facet_formal(&facet, l),
            href: self.path(&Page::Facet(l, facet)),
        }
    }
}

/// Renders an HTML page.
pub fn render(site: &Site, page: &Page) -> Result<String, String> {
    render_as(site, page, Templating::Build)
}

/// Which way page templates are rendered: the build's way (directly where the walk can, else
/// staged, see `templates::direct` and `templates::staged`), by the direct walk alone, or
/// plainly through handlebars' partials (what the others must equal).
#[derive(Clone, Copy)]
pub(super) enum Templating {
    Build,
    #[cfg(test)]
    Staged,
    #[cfg(test)]
    Direct,
    #[cfg(test)]
    Plain,
}

pub(super) fn render_as(
    site: &Site,
    page: &Page,
    templating: Templating,
) -> Result<String, String> {
    let l = page.language().unwrap_or(0);
    let path = site.path(page);
    let depth = path.matches('/').count();
    let root = if *page == Page::RootNotFound {
        // A 404 page is served at any depth: only absolute links work there.
        site.data.config.site_url.clone().unwrap_or_default()
    } else {
        "../".repeat(depth)
    };
    let labels = &site.look.labels[l];
    let config = &site.data.config;
    let languages_everywhere = !matches!(page, Page::Root | Page::RootNotFound);
    let alternates = if languages_everywhere {
        let mut alternates: Vec<Alternate> = (0..site.look.labels.len())
            .map(|other| Alternate {
                hreflang: site.lang(other).to_string(),
                href: site.url(&root, &site.path(&in_language(page, other)), true),
            })
            .collect();
        alternates.push(Alternate {
            hreflang: "x-default".into(),
            href: site.url(&root, &site.path(&in_language(page, 0)), true),
        });
        alternates
    } else {
        Vec::new()
    };
    let languages = if languages_everywhere && site.look.labels.len() > 1 {
        (0..site.look.labels.len())
            .map(|other| LangLink {
                lang: site.lang(other).to_string(),
                name: site.look.labels[other].string("language-name").to_string(),
                href: format!("{root}{}", site.path(&in_language(page, other))),
                current: other == l,
            })
            .collect()
    } else {
        Vec::new()
    };
    let frame = |title: String| Frame {
        lang: site.lang(l),
        dir: if labels.lang.is_rtl() { "rtl" } else { "ltr" },
        root: root.clone(),
        title: if title == labels.book_title() {
            title
        } else {
            format!("{title} – {}", labels.book_title())
        },
        description: None,
        canonical: config.site_url.as_ref().map(|base| format!("{base}{path}")),
        feed: languages_everywhere.then(|| site.path(&Page::Feed(l))),
        jsonld: None,
        alternates,
        languages,
        site: SiteCtx {
            book_title: labels.book_title(),
            book_title_lang: labels.book_title_lang(),
            css: &site.look.css_path,
            js: &site.look.js_path,
            csp: &site.csp,
            home: site.path(&Page::Home(l)),
            modules: site.path(&Page::AllModules(l)),
            search: site.path(&Page::Search(l)),
            status: config.status_page.then(|| site.path(&Page::Status(l))),
            license: Some(LicenseCtx {
                id: config.license.clone(),
                url: license_url(&config.license),
            }),
            publisher: config.publisher.as_ref().map(|p| PublisherCtx {
                name: &p.name,
                url: p.url.as_deref(),
                logo: p
                    .logo
                    .as_ref()
                    .filter(|f| site.data.media.contains(&f.path))
                    .map(|f| site_media(&f.path)),
            }),
            favicon: config
                .publisher
                .as_ref()
                .and_then(|p| p.favicon.as_ref())
                .filter(|f| site.data.media.contains(&f.path))
                .map(|f| FaviconCtx {
                    href: site_media(&f.path),
                    mime: f.mime(),
                }),
        },
        header_search: !matches!(page, Page::Search(_)),
    };
    fn ctx<B: Serialize>(frame: Frame, body: B) -> PageCtx<B> {
        PageCtx { frame, body }
    }
    let render = |name: &str, data: &dyn PageData| -> Result<String, String> {
        let templates = &site.look.templates;
        match templating {
            Templating::Build => templates.render(name, data),
            #[cfg(test)]
            Templating::Staged => templates.render_staged(name, data),
            #[cfg(test)]
            Templating::Direct => templates.render_direct(name, data).ok_or_else(|| {
                handlebars::RenderErrorReason::Other("the direct walk gave up".into()).into()
            }),
            #[cfg(test)]
            Templating::Plain => templates.render_plain(name, data),
        }
        .map_err(|e| format!("rendering {path}: {e}"))
    };
    match page {
        Page::Root | Page::RootNotFound => {
            let body = LanguagesBody {
                languages: (0..site.look.labels.len())
                    .map(|other| LangLink {
                        lang: site.lang(other).to_string(),
                        name: site.look.labels[other].string("language-name").to_string(),
                        href: format!("{root}{}", site.path(&Page::Home(other))),
                        current: false,
                    })
                    .collect(),
            };
            let (template, title) = if *page == Page::Root {
                ("index", labels.book_title().to_string())
            } else {
                ("404", labels.string("page-not-found").to_string())
            };
            render(template, &ctx(frame(title), body))
        }
        Page::NotFound(_) => {
            let body = LanguagesBody {
                languages: Vec::new(),
            };
            render(
                "404",
                &ctx(frame(labels.string("page-not-found").to_string()), body),
            )
        }
        Page::Home(_) => {
            let mut c = ctx(frame(labels.book_title().to_string()), home(site, l));
            c.frame.description = labels.book_description().map(str::to_string);
            render("home", &c)
        }
        Page::AllModules(_) | Page::ModulesPage(..) => {
            let n = match page {
                Page::ModulesPage(_, n) => *n,
                _ => 1,
            };
            let body = BrowseBody {
                filters: site.filters(l),
                browse: Some(super::browse::body(site, l, n)),
            };
            let title = labels.string("browse-filter").to_string();
            let title = if n > 1 {
                format!(
                    "{title} ({})",
                    labels.format(
                        "page-of",
                        &[
                            ("page", &n.to_string()),
                            ("pages", &site.browse_pages().to_string())
                        ]
                    )
                )
            } else {
                title
            };
            render("modules", &ctx(frame(title), body))
        }
        Page::Search(_) => {
            let body = BrowseBody {
                filters: site.filters(l),
                browse: None,
            };
            render(
                "search",
                &ctx(frame(labels.string("search").to_string()), body),
            )
        }
        Page::Facet(_, facet) => {
            let modules = site.facets[facet]
                .iter()
                .map(|m| site.item(*m, l))
                .collect();
            let facet_name = match facet {
                Facet::Level(_) => "levels",
                Facet::Subject(_) => "subjects",
                Facet::Need(_) => "needs",
            };
            let title = site.facet_label(facet, l);
            let body = FacetBody {
                facet: marked(labels, facet_name, &[]),
                title: title.clone(),
                title_lang: site.facet_lang(facet, l),
                formal: site.facet_formal(facet, l),
                modules,
            };
            render("facet", &ctx(frame(title), body))
        }
        Page::Handbook(_, h) => {
            let title = labels.handbook(&config.handbooks[*h].id).to_string();
            let body = HandbookBody {
                title: title.clone(),
                title_lang: labels.handbook_lang(&config.handbooks[*h].id),
                print: site.path(&Page::Print(l, *h)),
                epub: site.epub_link(l, *h),
                modules: site.handbooks[*h]
                    .iter()
                    .map(|m| site.item(*m, l))
                    .collect(),
            };
            render("handbook", &ctx(frame(title), body))
        }
        Page::Print(_, h) => {
            let title = labels.handbook(&config.handbooks[*h].id).to_string();
            let (body, contents) = super::print::body(site, l, *h, &root);
            let page = render("print", &ctx(frame(title), body))?;
            Ok(contents.fill(&page))
        }
        Page::Module(_, m) => {
            let body = module(site, l, *m, &root);
            let mut c = ctx(frame(body.title.to_string()), body);
            c.frame.description = Some(c.body.summary.to_string());
            c.frame.jsonld = Some(jsonld::module(site, l, c.body.module, &root));
            render("module", &c)
        }
        Page::Status(_) => {
            let title = labels.string("translation-status").to_string();
            render("status", &ctx(frame(title), status(site, l)))
        }
        Page::Sitemap
        | Page::SitemapPart(_)
        | Page::Feed(_)
        | Page::BrowseFacets(_)
        | Page::BrowseChunk(..) => Err(format!("{path} is not an HTML page")),
    }
}

/// The URL path, from the site root, of a project media file.
fn site_media(project_path: &str) -> String {
    super::fill::url_path(&super::fill::media_path(project_path))
}

#[derive(Serialize)]
struct LanguagesBody {
    languages: Vec<LangLink>,
}

#[derive(Serialize)]
struct BrowseBody<'a> {
    filters: Filters,
    /// The browse page's list and pager (`None` on the search page).
    browse: Option<super::browse::BrowseBody<'a>>,
}

/// The terms that have built modules, per facet, for filter checkboxes.
#[derive(Serialize)]
struct Filters {
    levels: Vec<FilterTerm>,
    subjects: Vec<FilterTerm>,
    needs: Vec<FilterTerm>,
}

#[derive(Serialize)]
struct FilterTerm {
    key: String,
    label: String,
    lang: Option<String>,
    formal: Option<Formal>,
}

impl Site {
    fn filters(&self, l: usize) -> Filters {
        let mut filters = Filters {
            levels: Vec::new(),
            subjects: Vec::new(),
            needs: Vec::new(),
        };
        for facet in self.facets.keys() {
            let (list, key) = match facet {
                Facet::Level(x) => (&mut filters.levels, x.key().to_string()),
                Facet::Subject(x) => (&mut filters.subjects, x.key().to_string()),
                Facet::Need(x) => (&mut filters.needs, x.key().to_string()),
            };
            list.push(FilterTerm {
                key,
                lang: self.facet_lang(facet, l),
                label: self.facet_label(facet, l),
                formal: self.facet_formal(facet, l),
            });
        }
        filters
    }
}

#[derive(Serialize)]
struct FacetBody<'a> {
    /// The facet's name as HTML (see `templates::marked`).
    facet: String,
    title: String,
    title_lang: Option<String>,
    /// A level's formal ISCED name, under the title.
    formal: Option<Formal>,
    modules: Vec<ModuleItem<'a>>,
}

#[derive(Serialize)]
struct HandbookBody<'a> {
    title: String,
    title_lang: Option<&'a str>,
    print: String,
    /// The link to the handbook's EPUB, when `build` wrote one.
    epub: Option<super::offline::DownloadLink>,
    modules: Vec<ModuleItem<'a>>,
}

#[derive(Serialize)]
struct HomeBody<'a> {
    /// How much is translated ("7 of 20 modules…", HTML), on the home of each translation.
    coverage: Option<String>,
    /// The translation status page, when there is one.
    status: Option<String>,
    handbooks: Vec<HandbookCard>,
    facets: Vec<FacetGroup>,
    recent: Vec<ModuleItem<'a>>,
    /// The link to this language's offline copy, when `build` wrote one.
    offline: Option<super::offline::DownloadLink>,
}

#[derive(Serialize)]
struct HandbookCard {
    title: String,
    title_lang: Option<String>,
    href: String,
    count: usize,
}

#[derive(Serialize)]
struct FacetGroup {
    title: String,
    terms: Vec<TermCount>,
}

#[derive(Serialize)]
struct TermCount {
    label: String,
    lang: Option<String>,
    formal: Option<Formal>,
    href: String,
    count: usize,
}

/// How many recently updated modules the home page lists.
const RECENT: usize = 8;

fn home<'s>(site: &'s Site, l: usize) -> HomeBody<'s> {
    let labels = &site.look.labels[l];
    let config = &site.data.config;
    let handbooks = config
        .handbooks
        .iter()
        .enumerate()
        .filter(|(h, _)| !site.handbooks[*h].is_empty())
        .map(|(h, hb)| HandbookCard {
            title_lang: labels.handbook_lang(&hb.id).map(str::to_string),
            title: labels.handbook(&hb.id).to_string(),
            href: site.path(&Page::Handbook(l, h)),
            count: site.handbooks[h].len(),
        })
        .collect();
    let group = |key: &str, which: fn(&Facet) -> bool| FacetGroup {
        title: labels.string(key).to_string(),
        terms: site
            .facets
            .iter()
            .filter(|(f, _)| which(f))
            .map(|(f, modules)| TermCount {
                lang: site.facet_lang(f, l),
                label: site.facet_label(f, l),
                formal: site.facet_formal(f, l),
                href: site.path(&Page::Facet(l, f.clone())),
                count: modules.len(),
            })
            .collect(),
    };
    let facets = vec![
        group("browse-by-level", |f| matches!(f, Facet::Level(_))),
        group("browse-by-subject", |f| matches!(f, Facet::Subject(_))),
        group("browse-by-need", |f| matches!(f, Facet::Need(_))),
    ];
    let recent = site.recently_updated(l);
    HomeBody {
        coverage: (l != 0).then(|| {
            let (translated, total) = coverage(site, l);
            marked(
                labels,
                "translated-count",
                &[
                    ("count", &translated.to_string()),
                    ("total", &total.to_string()),
                    ("language", labels.string("language-name-in-sentence")),
                ],
            )
        }),
        status: config.status_page.then(|| site.path(&Page::Status(l))),
        handbooks,
        facets,
        offline: site.download_link(l),
        recent: recent
            .into_iter()
            .take(RECENT)
            .map(|m| site.item(m, l))
            .collect(),
    }
}

#[derive(Serialize)]
struct ModuleBody<'a> {
    #[serde(skip)]
    module: ModuleIdx,
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    /// The language of the content when it is not the page's (the module is not translated).
    content_lang: Option<&'a str>,
    fallback: Option<Fallback>,
    stale: Option<StaleNotice>,
    content: String,
    toc: Vec<TocEntry<'a>>,
    levels: Vec<Term>,
    subjects: Vec<Term>,
    needs: Vec<Term>,
    competences: Vec<CompetenceCtx<'a>>,
    keywords: &'a [String],
    /// The language of the keywords when they are the source's, not the page's.
    keywords_lang: Option<&'a str>,
    updated: Option<&'a str>,
    /// `updated` written the reader's way (see `ModuleItem::updated_text`).
    updated_text: Option<String>,
    authors: &'a [String],
    translators: &'a [String],
    /// The ISO 3166-1 code as written (`SE`).
    country: Option<&'a str>,
    /// The country's name in the page's language (CLDR), else the code.
    country_name: Option<String>,
    /// The language of `country_name` when it is not the page's (an untranslated label).
    country_lang: Option<&'a str>,
    license: LicenseCtx,
    handbooks: Vec<HandbookNav<'a>>,
    related: Vec<ModuleItem<'a>>,
    backlinks: Vec<ModuleItem<'a>>,
    /// Minutes to read the module (see `wayfinding::reading_minutes`).
    reading_minutes: usize,
    /// The handbook the module is read in (the first in `book.toml` that holds it): the
    /// breadcrumb, the list beside the text and previous/next.
    side: Option<HandbookSide<'a>>,
}

#[derive(Serialize)]
struct TocEntry<'a> {
    id: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct CompetenceCtx<'a> {
    code: String,
    label: &'a str,
    area: &'a str,
}

#[derive(Serialize)]
struct HandbookNav<'a> {
    title: String,
    title_lang: Option<&'a str>,
    href: String,
    prev: Option<ModuleItem<'a>>,
    next: Option<ModuleItem<'a>>,
}

fn module<'s>(site: &'s Site, l: usize, m: ModuleIdx, root: &str) -> ModuleBody<'s> {
    let graph = &site.data.graph;
    let config = &site.data.config;
    let labels = &site.look.labels[l];
    let module = &graph.modules[m];
    let (title, content_lang) = site.title(m, l);
    let shown = crate::publish::shown(graph, m, l);
    let (summary, file, body) = (shown.summary, shown.file, shown.body);
    let translators = shown
        .translation
        .map_or(&[][..], |t| t.translators.as_slice());
    let fallback = content_lang.map(|_| site.fallback_notice(m, l, root));
    let (keywords, keywords_lang) = site.keywords(m, l);
    let ids = graph.heading_ids(file, body);
    let filler = BodyFiller {
        site,
        links: graph.doc(file),
        ids: ids.clone(),
        l,
        root,
        print: None,
    };
    let license = module
        .license
        .clone()
        .unwrap_or_else(|| config.license.clone());
    let handbooks = site.placements[m]
        .iter()
        .map(|&(h, at)| {
            let members = &site.handbooks[h];
            HandbookNav {
                title: labels.handbook(&config.handbooks[h].id).to_string(),
                title_lang: labels.handbook_lang(&config.handbooks[h].id),
                href: site.path(&Page::Handbook(l, h)),
                prev: at.checked_sub(1).map(|p| site.item(members[p], l)),
                next: members.get(at + 1).map(|n| site.item(*n, l)),
            }
        })
        .collect();
    let visible_items = |list: &[ModuleIdx]| -> Vec<ModuleItem<'s>> {
        list.iter()
            .filter(|x| site.visible[**x])
            .map(|x| site.item(*x, l))
            .collect()
    };
    ModuleBody {
        module: m,
        id: &module.id,
        title,
        summary,
        content_lang,
        fallback,
        stale: site.stale_notice(m, l, root),
        content: fill(body, &filler),
        toc: body
            .headings
            .iter()
            .zip(ids)
            .filter(|(h, _)| h.level == 2)
            .map(|(h, id)| TocEntry { id, text: &h.text })
            .collect(),
        levels: module
            .levels
            .iter()
            .map(|x| site.term(Facet::Level(*x), l))
            .collect(),
        subjects: module
            .subjects
            .iter()
            .map(|x| site.term(Facet::Subject(x.clone()), l))
            .collect(),
        needs: module
            .needs
            .iter()
            .map(|x| site.term(Facet::Need(*x), l))
            .collect(),
        competences: module
            .competences
            .iter()
            .map(|c| CompetenceCtx {
                code: c.key(),
                label: labels.competence(*c),
                area: labels.area(c.area()),
            })
            .collect(),
        keywords,
        keywords_lang,
        updated: site.updated(m, l),
        updated_text: site.updated(m, l).map(|d| site.date_text(l, d)),
        authors: &module.authors,
        translators,
        country: module.country.as_deref(),
        country_name: module.country.as_deref().map(|c| site.country_name(l, c)),
        country_lang: module
            .country
            .as_deref()
            .filter(|c| *c == "EU")
            .and_then(|_| labels.lang_of("european-union")),
        license: LicenseCtx {
            url: license_url(&license),
            id: license,
        },
        handbooks,
        related: visible_items(&graph.related[m]),
        backlinks: visible_items(&graph.backlinks[m]),
        reading_minutes: wayfinding::reading_minutes(body.words as usize),
        side: site.handbook_side(m, l),
    }
}

/// (translated, total) built modules in language `l`.
fn coverage(site: &Site, l: usize) -> (usize, usize) {
    let total = site.built_count();
    (total - site.untranslated_modules(l).len(), total)
}

#[derive(Serialize)]
struct StatusBody {
    languages: Vec<LanguageStatus>,
}

/// One translation's coverage on the status page.
#[derive(Serialize)]
struct LanguageStatus {
    lang: String,
    name: String,
    translated: usize,
    total: usize,
    /// "7 of 20 modules", in the page's language (HTML).
    coverage: String,
    missing: Vec<MissingModule>,
    /// Translations made from an earlier version of their source: links to them.
    stale: Vec<StaleModule>,
}

/// A stale translation on the status page: its page in its language.
#[derive(Serialize)]
struct StaleModule {
    href: String,
    title: String,
    lang: String,
}

/// A module still to translate: its source page and the file its translation goes to.
#[derive(Serialize)]
struct MissingModule {
    href: String,
    title: String,
    lang: String,
    file: String,
}

/// The status page in language `l`: every translation's coverage and missing modules.
fn status(site: &Site, l: usize) -> StatusBody {
    let labels = &site.look.labels[l];
    let graph = &site.data.graph;
    let languages = (1..site.look.labels.len())
        .map(|other| {
            let (translated, total) = coverage(site, other);
            LanguageStatus {
                lang: site.lang(other).to_string(),
                name: site.look.labels[other].string("language-name").to_string(),
                translated,
                total,
                coverage: marked(
                    labels,
                    "coverage",
                    &[
                        ("count", &translated.to_string()),
                        ("total", &total.to_string()),
                    ],
                ),
                missing: site
                    .untranslated_modules(other)
                    .into_iter()
                    .map(|m| MissingModule {
                        href: site.path(&Page::Module(0, m)),
                        title: graph.modules[m].title.clone(),
                        lang: site.lang(0).to_string(),
                        file: format!(
                            "{}/{}/{}",
                            crate::config::TRANSLATIONS,
                            site.lang(other),
                            graph.modules[m].rel
                        ),
                    })
                    .collect(),
                stale: site
                    .built_modules()
                    .filter(|&m| site.stale(m, other).is_some())
                    .map(|m| StaleModule {
                        href: site.path(&Page::Module(other, m)),
                        title: site.title(m, other).0.to_string(),
                        lang: site.lang(other).to_string(),
                    })
                    .collect(),
            }
        })
        .collect();
    StatusBody { languages }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::BuildOptions;
    use std::path::Path;
    use std::sync::Arc;

    /// Every HTML page of `root`, rendered `way` and plainly (by handlebars' own partials).
    fn both_ways(root: &Path, way: Templating) -> Vec<(String, String, String)> {
        let project = crate::analyze(root);
        assert!(!project.diags.has_errors(), "{root:?} has errors");
        let data = Arc::new(project.loaded.expect("the project loads"));
        let states =
            crate::translate::stale(&data, &crate::translate::states(&data, &project.sources));
        let mut diags = crate::diag::Diagnostics::default();
        let site = Site::new(data, &BuildOptions::default(), states, &mut diags).expect("a site");
        site.pages()
            .iter()
            .filter_map(|page| {
                let plain = render_as(&site, page, Templating::Plain).ok()?;
                let other = render_as(&site, page, way)
                    .unwrap_or_else(|e| panic!("{}: {e}", site.path(page)));
                Some((site.path(page), other, plain))
            })
            .collect()
    }

    #[test]
    fn staged_pages_are_the_plain_pages() {
        same_as_plain(Templating::Staged);
    }

    /// The direct walk renders every page of the sample (the built-in theme), byte for byte
    /// as handlebars does.
    #[test]
    fn direct_pages_are_the_plain_pages() {
        same_as_plain(Templating::Direct);
    }

    fn same_as_plain(way: Templating) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let pages = both_ways(root, way);
        assert!(pages.len() > 300, "the sample has every kind of page");
        for (path, other, plain) in pages {
            assert!(
                other == plain,
                "{path} differs from the plain rendering:\n{}",
                first_difference(&other, &plain)
            );
        }
    }

    fn first_difference(a: &str, b: &str) -> String {
        let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
        let from = a.floor_char_boundary(at.saturating_sub(80));
        format!(
            "other: {:?}\nplain: {:?}",
            &a[from..a.floor_char_boundary((at + 80).min(a.len()))],
            &b[b.floor_char_boundary(from)..b.floor_char_boundary((at + 80).min(b.len()))]
        )
    }
}
