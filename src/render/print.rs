//! The printable handbook (`<lang>/print/<id>.html`): the whole handbook on one page, as a
//! staff room hands it out. CC BY and most open licences ask that a copy say what it is, who
//! made it, where it comes from and under which licence (title, author, source, licence), so
//! the page opens with a title page (handbook, book, licence, authors, date, address) and a
//! contents list, and every module ends with its own attribution line: a module can be
//! photocopied alone and still carry its credit.

use super::fill::{BodyFiller, Section, fill_into, fill_sections};
use super::pages::{Fallback, LicenseCtx};
use super::{Page, Site, license_url};
use crate::link::ModuleIdx;
use serde::Serialize;

#[derive(Serialize)]
pub(super) struct PrintBody<'a> {
    title: String,
    title_lang: Option<&'a str>,
    title_page: TitlePage<'a>,
    sections: Vec<PrintSection<'a>>,
}

/// The first printed page: what the handbook is and on what terms it may be shared.
#[derive(Serialize)]
struct TitlePage<'a> {
    /// The licence of the book (`license` in book.toml), by name and link.
    license: NamedLicense,
    /// `[book] authors`, or when it names none, every author of the handbook's modules.
    authors: Vec<&'a str>,
    /// The newest `updated` date of the handbook's modules in this language.
    updated: Option<&'a str>,
    /// The handbook's address on the web (only with `site-url`).
    address: Option<String>,
}

/// A licence as readers see it: its full name (`Creative Commons Attribution 4.0
/// International`) linked to its deed, and the SPDX id.
#[derive(Serialize)]
pub(super) struct NamedLicense {
    pub(super) name: &'static str,
    #[serde(flatten)]
    pub(super) license: LicenseCtx,
}

#[derive(Serialize)]
struct PrintSection<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    lang: Option<&'a str>,
    fallback: Option<Fallback>,
    /// A [`Section`] placeholder, for [`Contents::fill`] to put the body in; empty when the
    /// body is (a theme may test `{{#if content}}`).
    content: String,
    attribution: Attribution<'a>,
}

/// A module's credit line: title, author(s), source, licence.
#[derive(Serialize)]
struct Attribution<'a> {
    authors: &'a [String],
    /// The module's published page: absolute with `site-url`, else relative to this page.
    source: String,
    /// The same address as printed: absolute, or from the site's root (`sv/modules/x.html`)
    /// rather than with this page's `../../`.
    source_text: String,
    license: LicenseCtx,
}

impl NamedLicense {
    pub(super) fn new(id: &str) -> NamedLicense {
        NamedLicense {
            name: spdx::license_id(id).map_or("", |l| l.full_name),
            license: LicenseCtx {
                id: id.to_string(),
                url: license_url(id),
            },
        }
    }
}

/// The printable handbook `h` in language `l`, for a page at `root`: the page's data, with
/// placeholders for the modules' bodies, and what fills them in the rendered page.
pub(super) fn body<'s>(
    site: &'s Site,
    l: usize,
    h: usize,
    root: &'s str,
) -> (PrintBody<'s>, Contents<'s>) {
    let labels = &site.look.labels[l];
    let config = &site.data.config;
    let members = &site.handbooks[h];
    let sections = members
        .iter()
        .enumerate()
        .map(|(n, &m)| section(site, l, m, n, root))
        .collect();
    let id = &config.handbooks[h].id;
    let body = PrintBody {
        title: labels.handbook(id).to_string(),
        title_lang: labels.handbook_lang(id),
        title_page: TitlePage {
            license: NamedLicense::new(&config.license),
            authors: authors(site, members),
            updated: members.iter().filter_map(|&m| site.updated(m, l)).max(),
            address: config
                .site_url
                .as_ref()
                .map(|_| site.url(root, &site.path(&Page::Handbook(l, h)), true)),
        },
        sections,
    };
    let contents = Contents {
        site,
        l,
        root,
        members,
        // Looked up for every link of every module: a set, not the handbook's list.
        in_handbook: members.iter().copied().collect(),
    };
    (body, contents)
}

/// The modules' bodies of a printable handbook, filled into its rendered page.
pub(super) struct Contents<'s> {
    site: &'s Site,
    l: usize,
    root: &'s str,
    members: &'s [ModuleIdx],
    in_handbook: rustc_hash::FxHashSet<ModuleIdx>,
}

impl Contents<'_> {
    /// The page `html` with every section's body in place of its placeholder.
    pub(super) fn fill(&self, html: &str) -> String {
        let graph = &self.site.data.graph;
        let bodies: usize = self
            .members
            .iter()
            .map(|&m| crate::publish::shown(graph, m, self.l).body.html.len())
            .sum();
        let mut out = String::with_capacity(html.len() + bodies + bodies / 8);
        fill_sections(html, &mut out, |n, out| {
            let Some(&m) = self.members.get(n) else {
                return;
            };
            let shown = crate::publish::shown(graph, m, self.l);
            let filler = BodyFiller {
                site: self.site,
                links: graph.doc(shown.file),
                ids: graph.heading_ids(shown.file, shown.body),
                l: self.l,
                root: self.root,
                print: Some((graph.modules[m].id.as_str(), &self.in_handbook)),
            };
            fill_into(shown.body, &filler, out);
        });
        out
    }
}

fn section<'s>(site: &'s Site, l: usize, m: ModuleIdx, n: usize, root: &str) -> PrintSection<'s> {
    let graph = &site.data.graph;
    let module = &graph.modules[m];
    let (title, lang) = site.title(m, l);
    let shown = crate::publish::shown(graph, m, l);
    let page = site.path(&Page::Module(l, m));
    let license = module
        .license
        .as_deref()
        .unwrap_or(&site.data.config.license);
    PrintSection {
        id: &module.id,
        title,
        summary: shown.summary,
        lang,
        fallback: lang.map(|_| site.fallback_notice(m, l, root)),
        content: if shown.body.html.is_empty() {
            String::new()
        } else {
            Section(n).to_string()
        },
        attribution: Attribution {
            authors: &module.authors,
            source: site.url(root, &page, true),
            source_text: site.url("", &page, true),
            license: LicenseCtx {
                id: license.to_string(),
                url: license_url(license),
            },
        },
    }
}

/// The book's authors, or when `book.toml` names none, the modules' authors in handbook order,
/// each once.
pub(super) fn authors<'s>(site: &'s Site, members: &[ModuleIdx]) -> Vec<&'s str> {
    let config = &site.data.config;
    if !config.authors.is_empty() {
        return config.authors.iter().map(String::as_str).collect();
    }
    let mut out: Vec<&str> = Vec::new();
    for author in members
        .iter()
        .flat_map(|&m| &site.data.graph.modules[m].authors)
    {
        if !out.contains(&author.as_str()) {
            out.push(author);
        }
    }
    out
}
