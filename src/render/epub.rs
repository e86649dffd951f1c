//! A handbook in one language as an EPUB 3 e-book: [`Site::epub`] → [`Book`], the files of the
//! container in their order, which `write::archive` zips.
//!
//! The book has a title page (what it is, who made it, its licence), a navigation document, and
//! the handbook's built modules in order, one XHTML chapter each, with the e-book stylesheet
//! and nothing of the site's chrome or script. A body is the same HTML as on the module's page
//! (sanitized, see `markdown`), filled for the book ([`BookFiller`]) and written out as XML
//! ([`xhtml`]): links to modules of the handbook become links between chapters, links to other
//! modules go to the published site (with `site-url`) or are left as text, images are copied
//! into the book once. An untranslated module is shown in the source language, marked with its
//! `lang` and the fallback notice, as on the site. The package document ([`package`]) carries
//! the metadata, the accessibility metadata among it derived from what the book contains.
//!
//! Nothing here touches the disk: the caller hands in the bytes of the media the book shows.

mod links;
mod package;
mod xhtml;

use super::fill::{BodyFiller, fill, media_path};
use super::templates::marked;
use super::{Page, Site};
use crate::link::ModuleIdx;
use crate::model::{Body, Resolved};
use crate::write::archive::Entry;
use links::BookFiller;
use std::collections::BTreeMap;
use std::fmt::Write;
use xhtml::escape;

/// The container's files in archive order: `mimetype` (stored) first, as EPUB requires.
pub struct Book {
    pub entries: Vec<Entry>,
    /// The number of chapters (modules).
    pub chapters: usize,
}

/// Where the package document is; every other file of the book sits beside it. The title
/// page and the navigation document have a `_` in their names, which no module id has, so no
/// chapter (`<module id>.xhtml`) can take their place.
const PACKAGE_DIR: &str = "EPUB";

/// The e-book stylesheet: readable defaults that leave the reader's own settings (font, size,
/// colours, spacing) in charge, so it sets no font family or size and no colours on the body.
const CSS: &str = include_str!("epub/book.css");

/// A chapter of the book.
struct Chapter<'s> {
    m: ModuleIdx,
    /// The chapter's file name beside the package document: `<module id>.xhtml`.
    file: String,
    title: &'s str,
    /// The source language when the module is not translated into the book's.
    lang: Option<&'s str>,
}

/// What the content holds, for the accessibility metadata.
#[derive(Debug, Default)]
struct Facts {
    images: usize,
    /// Images whose `alt` is empty or missing.
    images_without_alt: usize,
    /// Media that can move, flash or sound (animated GIF/PNG/WebP, SVG with animation).
    moving_media: bool,
    /// Chapters in the source language instead of the book's.
    fallback: bool,
}

impl Site {
    /// The handbooks and languages whose EPUB `book.toml` asks `build` for, as (handbook,
    /// language) indexes.
    pub fn epub_books(&self) -> Vec<(usize, usize)> {
        let config = &self.data.config;
        (0..config.handbooks.len())
            .flat_map(|h| {
                (0..config.languages.len())
                    .filter(|&l| config.epub.contains(&config.languages[l]))
                    .map(move |l| (h, l))
            })
            .collect()
    }

    /// Where `build` writes handbook `h`'s EPUB in language `l`: beside the handbook's page,
    /// named after the book, the handbook and the language, so a downloaded file says what it
    /// is (`en/handbooks/guidelines-inclusive-teaching-en.epub`).
    pub fn epub_path(&self, l: usize, h: usize) -> String {
        let config = &self.data.config;
        format!(
            "{lang}/handbooks/{}-{}-{lang}.epub",
            super::offline::slug(&config.title),
            config.handbooks[h].id,
            lang = self.lang(l)
        )
    }

    /// Records handbook `h`'s EPUB in language `l`, so that its page links to it from now on.
    pub fn set_epub(&mut self, l: usize, h: usize, download: super::offline::Download) {
        self.epubs.insert((h, l), download);
    }

    /// The link on handbook `h`'s page in language `l`, once its EPUB is written.
    pub(super) fn epub_link(&self, l: usize, h: usize) -> Option<super::offline::DownloadLink> {
        let download = self.epubs.get(&(h, l))?;
        Some(self.link_to(l, download, "epub-download"))
    }

    /// Handbook `h` in language `l` as an EPUB. `read` gives the bytes of a project's media
    /// file by its project path (`guidelines/media/x.png`); its error names the file.
    pub fn epub(
        &self,
        l: usize,
        h: usize,
        read: &dyn Fn(&str) -> std::io::Result<Vec<u8>>,
    ) -> Result<Book, (String, std::io::Error)> {
        let graph = &self.data.graph;
        let members = &self.handbooks[h];
        let chapters: Vec<Chapter> = members
            .iter()
            .map(|&m| {
                let (title, lang) = self.title(m, l);
                Chapter {
                    m,
                    file: format!("{}.xhtml", graph.modules[m].id),
                    title,
                    lang,
                }
            })
            .collect();
        let mut facts = Facts {
            fallback: chapters.iter().any(|c| c.lang.is_some()),
            ..Facts::default()
        };
        // Project path → path in the book, each file once however often it is shown.
        let mut media: BTreeMap<&str, String> = BTreeMap::new();
        let mut texts: Vec<(String, String)> = Vec::new();
        for chapter in &chapters {
            let shown = crate::publish::shown(graph, chapter.m, l);
            for (image, resolved) in shown.body.images.iter().zip(&graph.doc(shown.file).images) {
                if let Some(Resolved::Media { path, .. }) = resolved {
                    facts.images += 1;
                    facts.images_without_alt += usize::from(image.alt.trim().is_empty());
                    media.insert(path, media_path(path));
                }
            }
            texts.push((
                chapter.file.clone(),
                self.chapter(l, chapter, members, shown.body),
            ));
        }
        let mut media_files = Vec::new();
        for (from, to) in &media {
            let bytes = read(from).map_err(|e| (from.to_string(), e))?;
            facts.moving_media |= package::moves(to, &bytes);
            media_files.push((to.clone(), bytes));
        }
        texts.push(("title_page.xhtml".into(), self.title_page(l, h)));
        texts.push(("contents_page.xhtml".into(), self.nav(l, h, &chapters)));
        texts.push(("book.css".into(), CSS.into()));
        let opf = package::document(self, l, h, &chapters, &media_files, &facts);
        let mut entries = vec![
            Entry {
                name: "mimetype".into(),
                content: crate::write::archive::Content::Bytes(b"application/epub+zip".to_vec()),
                stored: true,
            },
            Entry::bytes("META-INF/container.xml", container()),
            Entry::bytes(format!("{PACKAGE_DIR}/package.opf"), opf),
        ];
        let mut rest: Vec<Entry> = texts
            .into_iter()
            .map(|(name, text)| Entry::bytes(format!("{PACKAGE_DIR}/{name}"), text))
            .chain(
                media_files
                    .into_iter()
                    .map(|(name, bytes)| Entry::bytes(format!("{PACKAGE_DIR}/{name}"), bytes)),
            )
            .collect();
        rest.sort_by(|a, b| a.name.cmp(&b.name));
        entries.extend(rest);
        Ok(Book {
            entries,
            chapters: chapters.len(),
        })
    }

    /// The start of every XHTML file of the book, up to and with `<body>`.
    fn xhtml_head(&self, l: usize, title: &str) -> String {
        let lang = self.lang(l);
        let dir = if self.data.config.languages[l].is_rtl() {
            " dir=\"rtl\""
        } else {
            ""
        };
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
             <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" \
             lang=\"{lang}\" xml:lang=\"{lang}\"{dir}>\n<head>\n<meta charset=\"UTF-8\"/>\n\
             <title>{}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"book.css\"/>\n\
             </head>\n<body>\n",
            escape(title)
        )
    }

    /// One module as a chapter.
    fn chapter(&self, l: usize, chapter: &Chapter, members: &[ModuleIdx], body: &Body) -> String {
        let graph = &self.data.graph;
        let module = &graph.modules[chapter.m];
        let shown = crate::publish::shown(graph, chapter.m, l);
        let labels = &self.look.labels[l];
        let filler = BookFiller {
            page: BodyFiller {
                site: self,
                links: graph.doc(shown.file),
                ids: graph.heading_ids(shown.file, body),
                l,
                root: "",
                print: None,
            },
            members,
        };
        let mut out = self.xhtml_head(l, chapter.title);
        let lang = lang_attrs(chapter.lang);
        let _ = write!(
            out,
            "<section epub:type=\"chapter\" role=\"doc-chapter\" aria-labelledby=\"hb-title\"{lang}>\n\
             <h1 id=\"hb-title\">{}</h1>\n",
            escape(chapter.title)
        );
        if chapter.lang.is_some() {
            let notice = self.fallback_notice(chapter.m, l, "").notice;
            let _ = writeln!(
                out,
                "<p class=\"notice\" role=\"note\"{}>{}</p>",
                lang_attrs(Some(self.lang(l))),
                xhtml::from_html(&notice)
            );
        }
        // A remote image becomes its alt text in a book (nothing loads from elsewhere): that
        // takes the parse.
        let remote = filler
            .page
            .links
            .images
            .iter()
            .any(|image| matches!(image, Some(Resolved::External(_))));
        let _ = write!(
            out,
            "<p class=\"lead\">{}</p>\n{}\n",
            escape(shown.summary),
            xhtml::body(fill(body, &filler), !body.raw_html && !remote)
        );
        // The module's credit, as on the printable handbook: a chapter may be shared alone.
        let license = module
            .license
            .as_deref()
            .unwrap_or(&self.data.config.license);
        let _ = write!(
            out,
            "<footer class=\"attribution\"{}><p>",
            lang_attrs(chapter.lang.map(|_| self.lang(l)))
        );
        if !module.authors.is_empty() {
            let _ = write!(
                out,
                "{}: {} · ",
                xhtml::from_html(&marked(labels, "authors", &[])),
                escape(&module.authors.join(", "))
            );
        }
        if self.data.config.site_url.is_some() {
            let url = self.url("", &self.path(&Page::Module(l, chapter.m)), true);
            let _ = write!(
                out,
                "{}: <a href=\"{url}\">{url}</a> · ",
                xhtml::from_html(&marked(labels, "source", &[])),
                url = escape(&url)
            );
        }
        let _ = write!(
            out,
            "{}: <a href=\"{}\" rel=\"license\">{}</a></p></footer>\n</section>\n</body>\n</html>\n",
            xhtml::from_html(&marked(labels, "license", &[])),
            escape(&super::license_url(license)),
            escape(license)
        );
        out
    }

    /// The title page: book and handbook title, authors, publisher, date, licence, address.
    fn title_page(&self, l: usize, h: usize) -> String {
        let config = &self.data.config;
        let labels = &self.look.labels[l];
        let id = &config.handbooks[h].id;
        let title = labels.handbook(id);
        let members = &self.handbooks[h];
        let mut out = self.xhtml_head(l, title);
        let _ = write!(
            out,
            "<section epub:type=\"titlepage\" class=\"title-page\" aria-labelledby=\"hb-title\">\n\
             <p class=\"kicker\"{}>{}</p>\n<h1 id=\"hb-title\"{}>{}</h1>\n<dl class=\"colophon\">\n",
            lang_attrs(labels.book_title_lang()),
            escape(labels.book_title()),
            lang_attrs(labels.handbook_lang(id)),
            escape(title)
        );
        let term = |key: &str| xhtml::from_html(&marked(labels, key, &[]));
        let authors = super::print::authors(self, members);
        if !authors.is_empty() {
            let _ = write!(
                out,
                "<dt>{}</dt>\n<dd>{}</dd>\n",
                term("authors"),
                escape(&authors.join(", "))
            );
        }
        if let Some(updated) = members.iter().filter_map(|&m| self.updated(m, l)).max() {
            let _ = write!(
                out,
                "<dt>{}</dt>\n<dd><time datetime=\"{}\">{}</time></dd>\n",
                term("updated"),
                escape(updated),
                escape(&self.date_text(l, updated))
            );
        }
        let license = super::print::NamedLicense::new(&config.license);
        let name = match license.name {
            "" => escape(&license.license.id),
            name => format!(
                "<span lang=\"en\" xml:lang=\"en\">{}</span> ({})",
                escape(name),
                escape(&license.license.id)
            ),
        };
        let _ = write!(
            out,
            "<dt>{}</dt>\n<dd><a href=\"{}\" rel=\"license\">{name}</a></dd>\n",
            term("license"),
            escape(&license.license.url),
        );
        if config.site_url.is_some() {
            let url = self.url("", &self.path(&Page::Handbook(l, h)), true);
            let _ = write!(
                out,
                "<dt>{}</dt>\n<dd><a href=\"{url}\">{url}</a></dd>\n",
                term("online-at"),
                url = escape(&url)
            );
        }
        out.push_str("</dl>\n</section>\n</body>\n</html>\n");
        out
    }

    /// The navigation document: the contents (chapters and their sections) and landmarks.
    fn nav(&self, l: usize, h: usize, chapters: &[Chapter]) -> String {
        let labels = &self.look.labels[l];
        let graph = &self.data.graph;
        let contents = labels.string("contents");
        let mut out = self.xhtml_head(l, contents);
        let _ = write!(
            out,
            "<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\" aria-labelledby=\"toc-title\">\n\
             <h1 id=\"toc-title\">{}</h1>\n<ol>\n<li><a href=\"title_page.xhtml\"{}>{}</a></li>\n",
            xhtml::from_html(&marked(labels, "contents", &[])),
            lang_attrs(labels.handbook_lang(&self.data.config.handbooks[h].id)),
            escape(labels.handbook(&self.data.config.handbooks[h].id))
        );
        for chapter in chapters {
            let _ = write!(
                out,
                "<li><a href=\"{}\"{}>{}</a>",
                chapter.file,
                lang_attrs(chapter.lang),
                escape(chapter.title)
            );
            // The chapter's sections: its headings of the first level below the title.
            let shown = crate::publish::shown(graph, chapter.m, l);
            let ids = graph.heading_ids(shown.file, shown.body);
            let top = shown.body.headings.iter().map(|h| h.level).min();
            let sections: Vec<(&str, &str)> = shown
                .body
                .headings
                .iter()
                .zip(ids)
                .filter(|(h, id)| Some(h.level) == top && !id.is_empty())
                .map(|(h, id)| (h.text.as_str(), id))
                .collect();
            if !sections.is_empty() {
                out.push_str("\n<ol>\n");
                for (text, id) in sections {
                    let _ = writeln!(
                        out,
                        "<li><a href=\"{}#{}\"{}>{}</a></li>",
                        chapter.file,
                        escape(id),
                        lang_attrs(chapter.lang),
                        escape(text)
                    );
                }
                out.push_str("</ol>\n");
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n</nav>\n");
        let _ = write!(
            out,
            "<nav epub:type=\"landmarks\" hidden=\"hidden\">\n<ol>\n\
             <li><a epub:type=\"toc\" href=\"contents_page.xhtml#toc\">{}</a></li>\n",
            escape(contents)
        );
        if let Some(first) = chapters.first() {
            let _ = writeln!(
                out,
                "<li><a epub:type=\"bodymatter\" href=\"{}\"{}>{}</a></li>",
                first.file,
                lang_attrs(first.lang),
                escape(first.title)
            );
        }
        out.push_str("</ol>\n</nav>\n</body>\n</html>\n");
        out
    }
}

/// `lang` and `xml:lang` (XHTML wants both, the same) for text in another language.
fn lang_attrs(lang: Option<&str>) -> String {
    lang.map(|lang| {
        let lang = escape(lang);
        format!(" lang=\"{lang}\" xml:lang=\"{lang}\"")
    })
    .unwrap_or_default()
}

/// `META-INF/container.xml`: where the package document is.
fn container() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n\
         <rootfiles>\n<rootfile full-path=\"{PACKAGE_DIR}/package.opf\" \
         media-type=\"application/oebps-package+xml\"/>\n</rootfiles>\n</container>\n"
    )
}
