//! `book.toml` → [`Config`]: parsed with serde (unknown keys are errors), then validated, with
//! every problem reported at its place in the file.
//!
//! The `[book]` table is mdBook's, so a handbok project reads like an mdBook one; handbok's own
//! settings live under `[handbok]`.
//!
//! Parsing reads nothing but the text; [`Config::check_theme`], called once the project is
//! loaded, is the one check that looks at the disk (where the theme folder really is).

use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::lang::LanguageTag;
use crate::source::{FileId, SourceFile, Span};
use crate::vocab::{Level, Need, SchoolSubject, Subject};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

pub mod publisher;
pub use publisher::Publisher;

/// The folder of source modules under the project root.
pub const GUIDELINES: &str = "guidelines";
/// The folder of translations (one folder per language) under the project root.
pub const TRANSLATIONS: &str = "translations";

/// The validated project configuration.
#[derive(Debug)]
pub struct Config {
    /// `book.toml` in [`crate::source::Sources`], for diagnostics that point into it.
    pub file: FileId,
    pub title: String,
    pub authors: Vec<String>,
    pub description: Option<String>,
    /// Every published language; the first is the source language of `guidelines/`.
    pub languages: Vec<LanguageTag>,
    /// Absolute base URL of the published site, with a trailing `/`.
    pub site_url: Option<String>,
    /// Default SPDX license id for modules that name none.
    pub license: String,
    /// A theme folder (relative to the root) whose files override the built-in theme.
    pub theme: Option<PathBuf>,
    /// The `theme` value in `book.toml`, for diagnostics.
    pub theme_span: Option<Span>,
    /// Output folder, relative to the root.
    pub build_dir: PathBuf,
    /// The `build-dir` value in `book.toml` (`None`: the default `book`), for diagnostics.
    pub build_dir_span: Option<Span>,
    /// Subjects the project adds to the built-in vocabulary, with their source-language label.
    pub project_subjects: Vec<(Arc<str>, String)>,
    pub handbooks: Vec<Handbook>,
    /// Hosts whose `<iframe>`/`<video>` embeds raw HTML may use (`embeds = [...]`); none by
    /// default, because every embed makes the reader's browser contact another server.
    pub embeds: Vec<String>,
    /// How images and embeds from other servers are reported (`external-media`).
    pub external_media: ExternalMedia,
    /// Build a translation status page for coordinators (`status-page = true`), linked from
    /// every page's footer.
    pub status_page: bool,
    /// Who publishes the site, with a logo and favicon (`[handbok.publisher]`).
    pub publisher: Option<Publisher>,
    /// The languages whose site `build` also writes as a zip for offline use, linked from
    /// their home page (`offline = true`: every language; `offline = ["sv", …]`: those).
    pub offline: Vec<LanguageTag>,
    /// The languages in which `build` also writes each handbook as an EPUB, linked from its
    /// handbook page (`epub = true`: every language; `epub = ["sv", …]`: those).
    pub epub: Vec<LanguageTag>,
}

/// What `check` says about images and embeds that load from another server: the reader's
/// browser contacts that server, a privacy matter for schools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExternalMedia {
    /// A warning with its place (the default).
    #[default]
    Warn,
    /// An error: the project publishes nothing that loads from elsewhere.
    Deny,
}

impl Config {
    /// Checks that the `theme` folder exists and lies inside the project (not the root itself):
    /// its files are read and published, so a path or symlink leading out of the project must
    /// not be followed. A theme with a problem is reported and dropped.
    pub fn check_theme(&mut self, root: &Path, diags: &mut Diagnostics) {
        let Some(theme) = &self.theme else { return };
        let shown = theme.display();
        let problem = match (root.join(theme).canonicalize(), root.canonicalize()) {
            (Ok(dir), Ok(root)) if dir == root || !dir.starts_with(&root) => Some((
                format!("the theme folder `{shown}` lies outside the project"),
                "a theme is published with the site: keep it in a folder of the project, such as `theme`",
            )),
            (Ok(dir), Ok(_)) if !dir.is_dir() => Some((
                format!("the theme `{shown}` is not a folder"),
                "`theme` names a folder holding templates (`page.hbs`, …) and `style.css`",
            )),
            (Err(e), Ok(_)) => Some((
                format!("the theme folder `{shown}`: {}", crate::load::err_text(&e)),
                "create the folder, fix the path (relative to book.toml), or remove `theme` to use the built-in theme",
            )),
            _ => None,
        };
        if let Some((message, help)) = problem {
            self.theme = None;
            let mut d = Diagnostic::new(Code::Theme, message).help(help.to_string());
            if let Some(span) = &self.theme_span {
                d = d.at(self.file, span.clone());
            }
            diags.push(d);
        }
    }

    pub fn source_language(&self) -> &LanguageTag {
        &self.languages[0]
    }

    /// Parses a subject term against the built-in and project vocabularies.
    pub fn subject(&self, s: &str) -> Option<Subject> {
        SchoolSubject::parse(s).map(Subject::School).or_else(|| {
            self.project_subjects
                .iter()
                .find(|(k, _)| &**k == s)
                .map(|(k, _)| Subject::Project(k.clone()))
        })
    }

    /// Every subject key, for suggestions.
    pub fn subject_keys<'a>(&'a self) -> impl Iterator<Item = &'a str> + Clone + 'a {
        SchoolSubject::ALL
            .iter()
            .map(|s| -> &'a str { s.key() })
            .chain(self.project_subjects.iter().map(|(k, _)| &**k))
    }

    /// Every subject in vocabulary order (built-in first).
    pub fn subjects(&self) -> Vec<Subject> {
        SchoolSubject::ALL
            .iter()
            .map(|s| Subject::School(*s))
            .chain(
                self.project_subjects
                    .iter()
                    .map(|(k, _)| Subject::Project(k.clone())),
            )
            .collect()
    }
}

/// A handbook: an ordered selection of modules with a title.
#[derive(Debug)]
pub struct Handbook {
    pub id: String,
    pub title: String,
    /// The `[[handbok.handbook]]` entry's id value in `book.toml`, for diagnostics.
    pub span: Span,
    pub selection: Selection,
}

#[derive(Debug)]
pub enum Selection {
    /// An explicit, ordered list of module ids (checked against the corpus in `link`).
    Modules(Vec<(String, Span)>),
    /// Every module matching the query, in corpus order.
    Query(FacetQuery),
}

/// Modules match when they share at least one value with every facet that is not empty
/// (OR within a facet, AND across facets).
#[derive(Debug, Default, Clone)]
pub struct FacetQuery {
    pub levels: Vec<Level>,
    pub subjects: Vec<Subject>,
    pub needs: Vec<Need>,
}

// ---- raw shape of book.toml ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBookToml {
    book: RawBook,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    handbok: RawHandbok,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBook {
    title: Spanned<String>,
    #[serde(default)]
    authors: Vec<String>,
    description: Option<String>,
    language: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawBuild {
    build_dir: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawHandbok {
    languages: Option<Spanned<Vec<Spanned<String>>>>,
    site_url: Option<Spanned<String>>,
    license: Option<Spanned<String>>,
    theme: Option<Spanned<String>>,
    #[serde(default)]
    subjects: BTreeMap<Spanned<String>, String>,
    #[serde(default)]
    handbook: Vec<RawHandbook>,
    #[serde(default)]
    embeds: Vec<Spanned<String>>,
    #[serde(default)]
    external_media: ExternalMedia,
    #[serde(default)]
    status_page: bool,
    publisher: Option<publisher::RawPublisher>,
    offline: Option<Spanned<RawLanguages>>,
    epub: Option<Spanned<RawLanguages>>,
}

/// `offline = true | false | ["sv", "de"]`, and the same for `epub`.
enum RawLanguages {
    All(bool),
    Languages(Vec<Spanned<String>>),
}

/// Read by hand so that each listed language keeps its place in the file (an untagged enum
/// would buffer the value and lose the spans).
impl<'de> Deserialize<'de> for RawLanguages {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = RawLanguages;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("`true`, `false` or a list of language tags such as [\"sv\", \"de\"]")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<RawLanguages, E> {
                Ok(RawLanguages::All(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<RawLanguages, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<String>>()? {
                    out.push(item);
                }
                Ok(RawLanguages::Languages(out))
            }
        }
        d.deserialize_any(Visit)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHandbook {
    id: Spanned<String>,
    title: Spanned<String>,
    modules: Option<Spanned<Vec<Spanned<String>>>>,
    levels: Option<Vec<Spanned<String>>>,
    subjects: Option<Vec<Spanned<String>>>,
    accessibility: Option<Vec<Spanned<String>>>,
}

/// Parses and validates `book.toml`. Returns `None` only when the file cannot be understood at
/// all; smaller problems are reported and a usable config is still returned so that the rest of
/// the project is checked too.
pub fn parse(file: FileId, source: &SourceFile, diags: &mut Diagnostics) -> Option<Config> {
    let raw: RawBookToml = match toml::from_str(source.text()) {
        Ok(raw) => raw,
        Err(err) => {
            let span = err.span().unwrap_or(0..0);
            let message = err.message().trim().to_string();
            let help = toml_help(&message).or_else(|| {
                Some("check this line for an unclosed quote or bracket; text values need quotes on both sides".into())
            });
            diags.push(
                Diagnostic::new(Code::BookToml, format!("book.toml: {message}"))
                    .at(file, span)
                    .maybe_help(help),
            );
            return None;
        }
    };
    let mut v = Validator { file, diags };
    Some(v.config(raw))
}

/// A fix for serde's "unknown field `x`, expected one of …" messages.
fn toml_help(message: &str) -> Option<String> {
    let field = message.strip_prefix("unknown field `")?.split('`').next()?;
    let expected = message.split("expected").nth(1)?;
    let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    did_you_mean(field, names.iter().copied())
        .or_else(|| Some(format!("the keys allowed here are: {}", names.join(", "))))
}

struct Validator<'a> {
    file: FileId,
    diags: &'a mut Diagnostics,
}

impl Validator<'_> {
    fn error(&mut self, code: Code, span: Span, message: String, help: Option<String>) {
        self.diags.push(
            Diagnostic::new(code, message)
                .at(self.file, span)
                .maybe_help(help),
        );
    }

    fn config(&mut self, raw: RawBookToml) -> Config {
        let languages = self.languages(&raw.book, &raw.handbok);
        let site_url = raw.handbok.site_url.and_then(|url| self.site_url(url));
        let license = match raw.handbok.license {
            Some(license) => {
                self.license(&license);
                license.into_inner()
            }
            None => "CC-BY-4.0".to_string(),
        };
        let title = raw.book.title.get_ref().trim().to_string();
        if title.is_empty() {
            self.error(
                Code::BookConfig,
                raw.book.title.span(),
                "the book title is empty".into(),
                Some("give the site a title: `title = \"…\"`".into()),
            );
        }
        let project_subjects = self.project_subjects(raw.handbok.subjects);
        let mut config = Config {
            file: self.file,
            title,
            authors: raw.book.authors,
            description: raw.book.description,
            languages,
            site_url,
            license,
            theme_span: raw.handbok.theme.as_ref().map(Spanned::span),
            theme: raw.handbok.theme.map(|t| PathBuf::from(t.into_inner())),
            build_dir_span: raw.build.build_dir.as_ref().map(Spanned::span),
            build_dir: PathBuf::from(
                raw.build
                    .build_dir
                    .map_or_else(|| "book".into(), Spanned::into_inner),
            ),
            project_subjects,
            handbooks: Vec::new(),
            embeds: self.embeds(raw.handbok.embeds),
            external_media: raw.handbok.external_media,
            status_page: raw.handbok.status_page,
            publisher: raw
                .handbok
                .publisher
                .map(|p| publisher::validate(p, self.file, self.diags)),
            offline: Vec::new(),
            epub: Vec::new(),
        };
        config.offline = self.languages_option("offline", raw.handbok.offline, &config.languages);
        config.epub = self.languages_option("epub", raw.handbok.epub, &config.languages);
        config.handbooks = self.handbooks(raw.handbok.handbook, &config);
        config
    }

    /// The languages an option like `offline` names, in `languages` order; a listed language
    /// that the project does not publish is an error at its place.
    fn languages_option(
        &mut self,
        name: &str,
        raw: Option<Spanned<RawLanguages>>,
        languages: &[LanguageTag],
    ) -> Vec<LanguageTag> {
        let listed = match raw.map(Spanned::into_inner) {
            None | Some(RawLanguages::All(false)) => return Vec::new(),
            Some(RawLanguages::All(true)) => return languages.to_vec(),
            Some(RawLanguages::Languages(listed)) => listed,
        };
        let mut wanted = Vec::new();
        for item in listed {
            match languages.iter().find(|l| l.as_str() == item.get_ref()) {
                Some(tag) if wanted.contains(tag) => self.error(
                    Code::BookConfig,
                    item.span(),
                    format!("`{}` is listed twice in `{name}`", item.get_ref()),
                    Some("remove the second entry".into()),
                ),
                Some(tag) => wanted.push(tag.clone()),
                None => {
                    let help = did_you_mean(item.get_ref(), languages.iter().map(|l| l.as_str()))
                        .unwrap_or_else(|| {
                            format!(
                                "list languages of the site: {}",
                                languages
                                    .iter()
                                    .map(|l| l.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )
                        });
                    self.error(
                        Code::BookConfig,
                        item.span(),
                        format!(
                            "`{name}` names `{}`, which is not a language of the site",
                            item.get_ref()
                        ),
                        Some(help),
                    );
                }
            }
        }
        languages
            .iter()
            .filter(|l| wanted.contains(l))
            .cloned()
            .collect()
    }

    /// Embed hosts are bare host names (`www.youtube-nocookie.com`), compared case-insensitively.
    fn embeds(&mut self, raw: Vec<Spanned<String>>) -> Vec<String> {
        let mut hosts = Vec::new();
        for item in raw {
            let host = item.get_ref().trim().to_ascii_lowercase();
            let valid = !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
                && !host.starts_with(['.', '-']);
            if valid {
                hosts.push(host);
            } else {
                self.error(
                    Code::BookConfig,
                    item.span(),
                    format!("`{}` is not a host name", item.get_ref()),
                    Some(
                        "list bare host names, e.g. `embeds = [\"www.youtube-nocookie.com\"]`"
                            .into(),
                    ),
                );
            }
        }
        hosts
    }

    fn languages(&mut self, book: &RawBook, handbok: &RawHandbok) -> Vec<LanguageTag> {
        let source = match &book.language {
            Some(lang) => self.tag(lang).unwrap_or_else(english),
            None => english(),
        };
        let Some(list) = &handbok.languages else {
            return vec![source];
        };
        let mut out: Vec<LanguageTag> = Vec::new();
        for item in list.get_ref() {
            let Some(tag) = self.tag(item) else { continue };
            if out.contains(&tag) {
                self.error(
                    Code::BookConfig,
                    item.span(),
                    format!("language `{tag}` is listed twice"),
                    Some("remove the second entry".into()),
                );
                continue;
            }
            out.push(tag);
        }
        match out.iter().position(|t| *t == source) {
            Some(0) => {}
            Some(_) => self.error(
                Code::BookConfig,
                list.span(),
                format!("the source language `{source}` must come first in `languages`"),
                Some(format!("move `\"{source}\"` to the front of the list")),
            ),
            None => self.error(
                Code::BookConfig,
                list.span(),
                format!("`languages` does not include the source language `{source}`"),
                Some(format!(
                    "add `\"{source}\"` as the first entry (it is `[book] language`)"
                )),
            ),
        }
        out.retain(|t| *t != source);
        out.insert(0, source);
        out
    }

    fn tag(&mut self, item: &Spanned<String>) -> Option<LanguageTag> {
        match LanguageTag::parse(item.get_ref()) {
            Ok(tag) => Some(tag),
            Err(fixed) => {
                let help = match fixed {
                    Some(fixed) => format!("write it as `{fixed}`"),
                    None => "use a BCP 47 tag such as `sv`, `de`, `pt-BR` or `sr-Latn`".into(),
                };
                self.error(
                    Code::BookConfig,
                    item.span(),
                    format!("`{}` is not a valid language tag", item.get_ref()),
                    Some(help),
                );
                None
            }
        }
    }

    fn site_url(&mut self, url: Spanned<String>) -> Option<String> {
        let text = url.get_ref().trim();
        if !is_http_url(text) {
            self.error(
                Code::BookConfig,
                url.span(),
                format!("`site-url` must be an absolute http(s) URL, found `{text}`"),
                Some(
                    "write the address readers use, e.g. `https://example.org/guidelines/`".into(),
                ),
            );
            return None;
        }
        Some(if text.ends_with('/') {
            text.to_string()
        } else {
            format!("{text}/")
        })
    }

    fn license(&mut self, license: &Spanned<String>) {
        if let Some(help) = license_problem(license.get_ref()) {
            self.error(
                Code::BadLicense,
                license.span(),
                format!("`{}` is not an SPDX license identifier", license.get_ref()),
                Some(help),
            );
        }
    }

    fn project_subjects(
        &mut self,
        raw: BTreeMap<Spanned<String>, String>,
    ) -> Vec<(Arc<str>, String)> {
        let mut out = Vec::new();
        for (key, label) in raw {
            if !crate::check::fields::is_kebab_id(key.get_ref()) {
                self.error(
                    Code::BookConfig,
                    key.span(),
                    format!("subject term `{}` is not kebab-case", key.get_ref()),
                    Some("use lower-case words joined by `-`, e.g. `media-education`".into()),
                );
                continue;
            }
            if SchoolSubject::parse(key.get_ref()).is_some() {
                self.error(
                    Code::BookConfig,
                    key.span(),
                    format!("`{}` is already a built-in subject", key.get_ref()),
                    Some("remove it from `[handbok.subjects]`".into()),
                );
                continue;
            }
            out.push((Arc::from(key.into_inner()), label));
        }
        out
    }

    fn handbooks(&mut self, raw: Vec<RawHandbook>, config: &Config) -> Vec<Handbook> {
        let mut out: Vec<Handbook> = Vec::new();
        for hb in raw {
            let id_span = hb.id.span();
            let id = hb.id.into_inner();
            if !crate::check::fields::is_kebab_id(&id) {
                self.error(
                    Code::BookConfig,
                    id_span.clone(),
                    format!("handbook id `{id}` is not kebab-case"),
                    Some("use lower-case letters, digits and `-`, e.g. `primary-school`".into()),
                );
            }
            if let Some(first) = out.iter().find(|h| h.id == id) {
                let first = first.span.clone();
                self.diags.push(
                    Diagnostic::new(
                        Code::BookConfig,
                        format!("handbook id `{id}` is used twice"),
                    )
                    .at(self.file, id_span.clone())
                    .also(self.file, first, "first used here")
                    .help("give each handbook its own id"),
                );
                continue;
            }
            if hb.title.get_ref().trim().is_empty() {
                self.error(
                    Code::BookConfig,
                    hb.title.span(),
                    format!("handbook `{id}` has an empty title"),
                    None,
                );
            }
            let has_query =
                hb.levels.is_some() || hb.subjects.is_some() || hb.accessibility.is_some();
            let selection = match (hb.modules, has_query) {
                (Some(_), true) => {
                    self.error(
                        Code::BookConfig,
                        id_span.clone(),
                        format!("handbook `{id}` has both `modules` and a facet query"),
                        Some("keep either the ordered `modules` list or `levels`/`subjects`/`accessibility`".into()),
                    );
                    continue;
                }
                (Some(modules), false) => Selection::Modules(
                    modules
                        .into_inner()
                        .into_iter()
                        .map(|m| {
                            let span = m.span();
                            (m.into_inner(), span)
                        })
                        .collect(),
                ),
                (None, true) => Selection::Query(FacetQuery {
                    levels: self.terms(hb.levels, "level", Level::parse, Level::spellings()),
                    subjects: self.terms(
                        hb.subjects,
                        "subject",
                        |s| config.subject(s),
                        config.subject_keys(),
                    ),
                    needs: self.terms(
                        hb.accessibility,
                        "accessibility need",
                        Need::parse,
                        Need::keys(),
                    ),
                }),
                (None, false) => {
                    self.error(
                        Code::BookConfig,
                        id_span.clone(),
                        format!("handbook `{id}` selects nothing"),
                        Some("add an ordered `modules = [...]` list or a facet query such as `levels = [\"primary\"]`".into()),
                    );
                    continue;
                }
            };
            out.push(Handbook {
                id,
                title: hb.title.into_inner(),
                span: id_span,
                selection,
            });
        }
        out
    }

    fn terms<'v, T>(
        &mut self,
        raw: Option<Vec<Spanned<String>>>,
        what: &str,
        parse: impl Fn(&str) -> Option<T>,
        vocabulary: impl Iterator<Item = &'v str> + Clone,
    ) -> Vec<T> {
        let mut out = Vec::new();
        for item in raw.unwrap_or_default() {
            match parse(item.get_ref()) {
                Some(term) => out.push(term),
                None => {
                    let help =
                        did_you_mean(item.get_ref(), vocabulary.clone()).unwrap_or_else(|| {
                            format!(
                                "use one of: {}",
                                vocabulary.clone().collect::<Vec<_>>().join(", ")
                            )
                        });
                    self.error(
                        Code::UnknownTerm,
                        item.span(),
                        format!("unknown {what} `{}`", item.get_ref()),
                        Some(help),
                    );
                }
            }
        }
        out
    }
}

/// Whether `text` is an absolute http(s) URL with a host and no spaces.
fn is_http_url(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://"))
        && text.len() > "https://".len()
        && !text.contains(char::is_whitespace)
}

fn english() -> LanguageTag {
    LanguageTag::parse("en").unwrap_or_else(|_| unreachable!("`en` is a valid tag"))
}

/// Why `id` is not an SPDX license expression, with a fix; `None` if it is fine.
pub fn license_problem(id: &str) -> Option<String> {
    match spdx::Expression::parse(id) {
        Ok(_) => None,
        Err(_) => {
            let lax = spdx::Expression::parse_mode(id, spdx::ParseMode::LAX).ok();
            Some(match lax {
                Some(expr) => format!("write it as `{expr}`"),
                None => {
                    "use an SPDX identifier such as `CC-BY-4.0`, `CC-BY-SA-4.0` or `CC0-1.0`".into()
                }
            })
        }
    }
}
