//! Check: raw front matter and bodies → typed [`Module`]s and [`Translation`]s, with every
//! problem of every file reported ([`check_doc`], one document at a time: documents are
//! independent here), and the checks of `book.toml` and the `ui.yaml` files.

pub mod fields;
pub mod html;
pub mod text;

use crate::config::{Config, license_problem};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::lang::LanguageTag;
use crate::load::{Doc, DocKind, UiFile};
use crate::model::{Body, Module, Translation};
use crate::source::SourceFile;
use crate::source::Sources;
use crate::translate::fingerprint::{BlockScan, Content};
use crate::vocab::{Competence, Level, Need, Status};
use fields::{Fields, country_problem, date_problem, is_kebab_id, kebab};

/// Front-matter fields of a module, in the order the docs list them.
pub const MODULE_FIELDS: &[&str] = &[
    "id",
    "title",
    "summary",
    "levels",
    "subjects",
    "accessibility",
    "competences",
    "related",
    "keywords",
    "status",
    "updated",
    "authors",
    "country",
    "license",
];

/// The module fields without which `check` reports E006 (the others are optional).
pub const MODULE_REQUIRED: &[&str] = &["id", "title", "summary", "levels", "subjects"];

/// Front-matter fields of a translation; everything else is inherited from the source.
/// `keywords` and `updated` are text of the translation's own: its readers search in their
/// language, and its date is when its text last changed.
pub const TRANSLATION_FIELDS: &[&str] = &[
    "title",
    "summary",
    "translators",
    "source-hash",
    "status",
    "id",
    "keywords",
    "updated",
];

/// The translation fields without which `check` reports E006.
pub const TRANSLATION_REQUIRED: &[&str] = &["title", "summary"];

/// The `status` values a translation may have: a draft is not published (unless `--drafts`).
pub const TRANSLATION_STATUSES: &[&str] = &["draft", "published"];

/// A summary longer than this gets a warning: it is shown in lists and search results.
pub const SUMMARY_LIMIT: usize = 300;

/// The typed documents of the project.
#[derive(Debug, Default)]
pub struct Checked {
    pub modules: Vec<std::sync::Arc<Module>>,
    pub translations: Vec<std::sync::Arc<Translation>>,
}

/// A document once checked: a module or a translation.
#[derive(Debug, Clone)]
pub enum Typed {
    Module(std::sync::Arc<Module>),
    Translation(std::sync::Arc<Translation>),
}

/// `book.toml`'s own text: control characters (E036).
pub fn check_book(config: &Config, sources: &Sources, diags: &mut Diagnostics) {
    let mut forbidden = Vec::new();
    text::scan_toml(config.file, sources.get(config.file).text(), &mut forbidden);
    diags.extend(forbidden);
}

/// What the scan makes of each body besides its index and lint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bodies {
    /// Its HTML, for what renders pages (`build`, `serve`, e-books).
    Html,
    /// Its word count: for the report on translations (`status`).
    Counted,
    /// Nothing more: for what only reports problems or reads the sources (`check`,
    /// `translate`, `po`, …).
    LintOnly,
}

/// Checks one document: its front matter typed into a module or translation, its body scanned,
/// every problem reported. Depends on nothing but the file and the configuration, so
/// documents are checked in parallel, and again alone when they change.
pub fn check_doc(
    doc: &Doc,
    file: &SourceFile,
    config: &Config,
    policy: &html::HtmlPolicy,
    bodies: Bodies,
) -> (Option<Typed>, Vec<Diagnostic>) {
    let body_text = &file.text()[doc.body.clone()];
    // A module's fingerprint reads the blocks of this one pass over its body.
    let mut blocks = match doc.kind {
        DocKind::Source { .. } => Some(BlockScan::new(body_text)),
        DocKind::Translation { .. } => None,
    };
    let (body, mut problems) = crate::markdown::scan_with(
        doc.file,
        file.text(),
        doc.body.clone(),
        policy,
        bodies,
        blocks.as_mut(),
    );
    text::scan(doc.file, file.text(), &mut problems);
    if body_text.trim().is_empty() && doc.front.is_some() {
        let end = file.text().len();
        problems.push(
            Diagnostic::new(
                Code::EmptyBody,
                "the document has no text after its front matter",
            )
            .at(doc.file, end..end)
            .help("write the guidance below the closing `---`"),
        );
    }
    let Some(front) = &doc.front else {
        return (None, problems);
    };
    let yaml_text = &file.text()[front.span.clone()];
    text::scan_yaml(
        doc.file,
        &front.yaml,
        yaml_text,
        front.span.start,
        &mut problems,
    );
    let mut f = Fields::new(doc.file, &front.yaml, yaml_text, front.span.start);
    if !f.is_mapping() {
        problems.append(&mut f.problems);
        return (None, problems);
    }
    let typed = match &doc.kind {
        DocKind::Source { rel } => module(&mut f, config, rel, body).map(|mut m| {
            m.fingerprint = Content::from_parts(&front.yaml, body_text)
                .zip(blocks)
                .map(|(c, blocks)| c.fingerprint_with(blocks))
                .unwrap_or_default();
            m.hash = file.hash();
            Typed::Module(m.into())
        }),
        DocKind::Translation { lang, rel } => translation(&mut f, lang, rel, body).map(|mut t| {
            t.hash = file.hash();
            Typed::Translation(t.into())
        }),
    };
    problems.append(&mut f.problems);
    (typed, problems)
}

/// Types a module's front matter. Every field is read (and every problem reported) before
/// deciding whether the module is usable: it is, as long as it has a valid id and a title.
fn module(f: &mut Fields, config: &Config, rel: &str, body: Body) -> Option<Module> {
    f.reject_unknown(MODULE_FIELDS, &[], "");
    let stem = rel
        .rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".md");
    let id = f.text("id", true, &kebab(stem));
    let id_span = f.key_span("id");
    let id = id.filter(|id| {
        let ok = is_kebab_id(id);
        if !ok {
            let help = if id.len() > 64 {
                "shorten it to at most 64 characters".to_string()
            } else {
                format!(
                    "use lower-case letters, digits and single `-`, e.g. `{}`",
                    kebab(id)
                )
            };
            f.report(
                Code::BadId,
                id_span.clone(),
                format!("`{id}` is not a valid module id"),
                help,
            );
        }
        ok
    });
    let title = f.text("title", true, "Captions for every video");
    let summary = f.text(
        "summary",
        true,
        "One or two sentences on what the module helps teachers do.",
    );
    if let Some(summary) = &summary {
        summary_lint(f, summary);
    }
    let levels = f.terms(
        "levels",
        true,
        "level",
        "[primary, lower-secondary]",
        Level::parse,
        Level::spellings(),
    );
    let subjects = f.terms(
        "subjects",
        true,
        "subject",
        "[mathematics]",
        |s| config.subject(s),
        config.subject_keys(),
    );
    let needs = f.terms(
        "accessibility",
        false,
        "accessibility need",
        "[dyslexia, low-vision]",
        Need::parse,
        Need::keys(),
    );
    // Their names only for a diagnostic's suggestions: made once, not for every module.
    static ALL_COMPETENCES: std::sync::LazyLock<Vec<String>> =
        std::sync::LazyLock::new(|| Competence::all().map(Competence::key).collect());
    let all_competences = &*ALL_COMPETENCES;
    let competences = f.terms(
        "competences",
        false,
        "DigCompEdu competence",
        "[\"3.1\", \"5.1\"]",
        Competence::parse,
        all_competences.iter().map(String::as_str),
    );
    let related = f.list("related", false, "[captions-and-transcripts]");
    let keywords = keywords(f);
    let status = f
        .term("status", "status", Status::parse, Status::keys())
        .unwrap_or(Status::Published);
    let updated = updated(f);
    let authors = f
        .list("authors", false, "[Digital Pedagogy Working Group]")
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    let country = f.checked(
        "country",
        "SE",
        Code::BadCountry,
        "a country code",
        country_problem,
    );
    let license = f.checked(
        "license",
        "CC-BY-4.0",
        Code::BadLicense,
        "an SPDX license identifier",
        license_problem,
    );
    Some(Module {
        file: f.file(),
        rel: rel.to_string(),
        id: id?,
        id_span,
        title: title?,
        summary: summary.unwrap_or_default(),
        levels,
        subjects,
        needs,
        competences,
        related,
        keywords,
        status,
        updated,
        authors,
        country,
        license,
        fingerprint: String::new(),
        hash: 0,
        body,
    })
}

fn translation(f: &mut Fields, lang: &LanguageTag, rel: &str, body: Body) -> Option<Translation> {
    f.reject_unknown(
        TRANSLATION_FIELDS,
        MODULE_FIELDS,
        "translations inherit metadata from the source module; remove this line (change the source to change it)",
    );
    let title = f.text("title", true, "The translated title");
    let summary = f.text("summary", true, "The translated summary.");
    if let Some(summary) = &summary {
        summary_lint(f, summary);
    }
    let translators = f
        .list("translators", false, "[Name of the translator]")
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    let source_hash = f.checked(
        "source-hash",
        "sha256:0123456789abcdef",
        Code::BadTranslationField,
        "a source fingerprint",
        crate::translate::fingerprint::problem,
    );
    let source_hash_span = source_hash.as_ref().map(|_| f.scalar_span("source-hash"));
    let draft = f.checked(
        "status",
        "draft",
        Code::BadTranslationField,
        "a translation status",
        |s| {
            (!TRANSLATION_STATUSES.contains(&s)).then(|| {
                "a translation's `status` is `draft` (not published yet) or `published`".into()
            })
        },
    ) == Some("draft".into());
    let id = f
        .text("id", false, "the-source-id")
        .map(|id| (id, f.key_span("id")));
    let keywords = keywords(f);
    let updated = updated(f);
    Some(Translation {
        file: f.file(),
        lang: lang.clone(),
        rel: rel.to_string(),
        title: title?,
        summary: summary.unwrap_or_default(),
        translators,
        source_hash,
        source_hash_span,
        draft,
        id,
        keywords,
        updated,
        hash: 0,
        body,
    })
}

/// `keywords`, in a module or a translation.
fn keywords(f: &mut Fields) -> Vec<String> {
    f.list("keywords", false, "[video, subtitles]")
        .into_iter()
        .map(|(k, _)| k)
        .collect()
}

/// `updated`, in a module or a translation: a date.
fn updated(f: &mut Fields) -> Option<String> {
    f.checked(
        "updated",
        "2025-03-14",
        Code::BadDate,
        "a date",
        date_problem,
    )
}

fn summary_lint(f: &mut Fields, summary: &str) {
    let length = summary.chars().count();
    if length > SUMMARY_LIMIT {
        let span = f.key_span("summary");
        f.report(
            Code::LongSummary,
            span,
            format!("the summary is {length} characters long (more than {SUMMARY_LIMIT})"),
            "keep it to one or two sentences: it is shown in lists and search results".into(),
        );
    }
}

/// Checks every `translations/<lang>/ui.yaml` against the vocabularies, the known interface
/// strings and the configured handbooks.
pub fn check_ui(config: &Config, sources: &Sources, ui_files: &[UiFile], diags: &mut Diagnostics) {
    use crate::i18n;
    use crate::load::yaml::Locator;
    let english = i18n::english();
    let known = i18n::known(config, &english);
    for ui in ui_files {
        let source = sources.get(ui.file).text();
        let mut forbidden = Vec::new();
        text::scan(ui.file, source, &mut forbidden);
        if let Some(yaml) = &ui.yaml {
            text::scan_yaml(ui.file, yaml, source, 0, &mut forbidden);
        }
        diags.extend(forbidden);
        let Some(yaml) = &ui.yaml else { continue };
        let (_, problems) = i18n::read(yaml, &known);
        let locator = Locator::new(source);
        for p in problems {
            let path: Vec<&str> = p.path.iter().map(String::as_str).collect();
            let span = (1..=path.len())
                .rev()
                .find_map(|n| locator.key(&path[..n]))
                .unwrap_or(0..0);
            diags.push(
                Diagnostic::new(Code::UiStrings, p.message)
                    .at(ui.file, span)
                    .help(p.help),
            );
        }
    }
    untranslated_interface(config, ui_files, diags);
}

/// Languages without built-in interface text show the source language's text for every string
/// and label their `ui.yaml` lacks: tell the translators how many and how to add them all
/// (W009), at the `ui.yaml` or, if there is none, at the language's folder. What counts as
/// missing is [`crate::i18n::untranslated`], as in `handbok status`.
fn untranslated_interface(config: &Config, ui_files: &[UiFile], diags: &mut Diagnostics) {
    for lang in &config.languages[1..] {
        if crate::i18n::builtin(lang.primary()).is_some() {
            continue;
        }
        let ui = ui_files.iter().find(|u| u.lang == *lang);
        let missing = crate::i18n::untranslated(config, ui_files, lang);
        if missing.is_empty() {
            continue;
        }
        let all = crate::i18n::Labels::build(config, ui_files, &config.languages[0])
            .text
            .entries()
            .len()
            - crate::i18n::NAMED.len();
        let shown: Vec<String> = missing
            .iter()
            .take(8)
            .map(|e| format!("{}.{}", e.section, e.key))
            .collect();
        let more = if missing.len() > shown.len() {
            ", …"
        } else {
            ""
        };
        let d = Diagnostic::new(
            Code::UntranslatedInterface,
            format!(
                "{} of {all} interface strings and labels have no `{lang}` text and show untranslated",
                missing.len(),
            ),
        )
        .help(format!(
            "run `handbok translate ui {lang}` to add all of them to translations/{lang}/ui.yaml \
             as comments to translate: {}{more}",
            shown.join(", ")
        ));
        diags.push(match ui {
            Some(ui) => d.at(ui.file, 0..0),
            None => d,
        });
    }
}
