//! Diagnostics as data: every user-facing problem is one [`Diagnostic`].
//!
//! Stages push diagnostics into a [`Diagnostics`] collector and keep going, so one run reports
//! every problem in the project. Rendering (terminal or JSON) lives in `report.rs`, apart from the
//! data, so an editor integration or the future live-reload overlay can render the same values.

use crate::source::{FileId, Span};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Stable diagnostic codes. Codes never change meaning once published: authors' CI scripts and
/// editor integrations match on them. The numbers are listed in `docs/diagnostics.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    Io,
    InvalidUtf8,
    MissingFrontMatter,
    YamlSyntax,
    WrongType,
    MissingField,
    UnknownField,
    UnknownTerm,
    BadId,
    DuplicateId,
    BrokenGuideLink,
    BrokenAnchor,
    UnknownRelated,
    MissingFile,
    ImageWithoutAlt,
    TranslationWithoutSource,
    TranslationSetsMetadata,
    TranslationIdMismatch,
    UnlistedLanguage,
    EmptyBody,
    BookToml,
    BookConfig,
    EmptyHandbook,
    BadDate,
    BadCountry,
    StrayFile,
    UiStrings,
    BadLicense,
    EmptyValue,
    Walk,
    LinkToDraft,
    Theme,
    Output,
    DuplicateHeadingId,
    UnsafeUrl,
    OutsideProject,
    NonUtf8Name,
    ForbiddenCharacter,
    BadTranslationField,
    YamlLimit,
    HtmlTooDeep,
    // Warnings: content accessibility lint and style.
    HeadingSkip,
    MultipleH1,
    VagueLinkText,
    AltIsFileName,
    TableWithoutHeader,
    LongSummary,
    AnchorMissingInTranslation,
    SelfLink,
    UntranslatedInterface,
    HtmlRemoved,
    ExternalMedia,
    AnchorCase,
    UnknownSourceHash,
    OutlineDiffers,
}

impl Code {
    /// Every code, for documentation and tests.
    pub const ALL: &'static [Code] = &[
        Code::Io,
        Code::InvalidUtf8,
        Code::MissingFrontMatter,
        Code::YamlSyntax,
        Code::WrongType,
        Code::MissingField,
        Code::UnknownField,
        Code::UnknownTerm,
        Code::BadId,
        Code::DuplicateId,
        Code::BrokenGuideLink,
        Code::BrokenAnchor,
        Code::UnknownRelated,
        Code::MissingFile,
        Code::ImageWithoutAlt,
        Code::TranslationWithoutSource,
        Code::TranslationSetsMetadata,
        Code::TranslationIdMismatch,
        Code::UnlistedLanguage,
        Code::EmptyBody,
        Code::BookToml,
        Code::BookConfig,
        Code::EmptyHandbook,
        Code::BadDate,
        Code::BadCountry,
        Code::StrayFile,
        Code::UiStrings,
        Code::BadLicense,
        Code::EmptyValue,
        Code::Walk,
        Code::LinkToDraft,
        Code::Theme,
        Code::Output,
        Code::DuplicateHeadingId,
        Code::UnsafeUrl,
        Code::OutsideProject,
        Code::NonUtf8Name,
        Code::ForbiddenCharacter,
        Code::BadTranslationField,
        Code::YamlLimit,
        Code::HtmlTooDeep,
        Code::HeadingSkip,
        Code::MultipleH1,
        Code::VagueLinkText,
        Code::AltIsFileName,
        Code::TableWithoutHeader,
        Code::LongSummary,
        Code::AnchorMissingInTranslation,
        Code::SelfLink,
        Code::UntranslatedInterface,
        Code::HtmlRemoved,
        Code::ExternalMedia,
        Code::AnchorCase,
        Code::UnknownSourceHash,
        Code::OutlineDiffers,
    ];

    /// The stable code users see, e.g. `E008`.
    pub fn as_str(self) -> &'static str {
        use Code::*;
        match self {
            Io => "E001",
            InvalidUtf8 => "E002",
            MissingFrontMatter => "E003",
            YamlSyntax => "E004",
            WrongType => "E005",
            MissingField => "E006",
            UnknownField => "E007",
            UnknownTerm => "E008",
            BadId => "E009",
            DuplicateId => "E010",
            BrokenGuideLink => "E011",
            BrokenAnchor => "E012",
            UnknownRelated => "E013",
            MissingFile => "E014",
            ImageWithoutAlt => "E015",
            TranslationWithoutSource => "E016",
            TranslationSetsMetadata => "E017",
            TranslationIdMismatch => "E018",
            UnlistedLanguage => "E019",
            EmptyBody => "E020",
            BookToml => "E021",
            BookConfig => "E022",
            EmptyHandbook => "E023",
            BadDate => "E024",
            BadCountry => "E025",
            StrayFile => "E026",
            UiStrings => "E027",
            BadLicense => "E028",
            EmptyValue => "E029",
            Walk => "E030",
            LinkToDraft => "E031",
            Theme => "E032",
            Output => "E033",
            DuplicateHeadingId => "E034",
            UnsafeUrl => "E035",
            OutsideProject => "E037",
            NonUtf8Name => "E038",
            ForbiddenCharacter => "E036",
            BadTranslationField => "E040",
            YamlLimit => "E039",
            HtmlTooDeep => "E041",
            HeadingSkip => "W001",
            MultipleH1 => "W002",
            VagueLinkText => "W003",
            AltIsFileName => "W004",
            TableWithoutHeader => "W005",
            LongSummary => "W006",
            AnchorMissingInTranslation => "W007",
            SelfLink => "W008",
            UntranslatedInterface => "W009",
            HtmlRemoved => "W010",
            ExternalMedia => "W011",
            AnchorCase => "W012",
            UnknownSourceHash => "W013",
            OutlineDiffers => "W014",
        }
    }

    /// The severity a code has unless `--deny-warnings` raises it.
    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }
}

/// A place in a file with an optional message shown under the caret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// Where the problem is. `None` only for problems that belong to no file (a missing root).
    pub primary: Option<Label>,
    /// Other places that explain it (the first definition of a duplicate id).
    pub secondary: Vec<Label>,
    /// The likely fix, phrased as an instruction.
    pub help: Option<String>,
}

impl Diagnostic {
    /// The files its labels point into.
    pub fn files(&self) -> impl Iterator<Item = FileId> + '_ {
        self.primary
            .iter()
            .chain(&self.secondary)
            .map(|label| label.file)
    }

    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.severity(),
            code,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            help: None,
        }
    }

    /// Points the diagnostic at `span` in `file`.
    pub fn at(mut self, file: FileId, span: Span) -> Self {
        self.primary = Some(Label {
            file,
            span,
            message: String::new(),
        });
        self
    }

    /// Sets the message shown under the primary caret.
    pub fn label(mut self, message: impl Into<String>) -> Self {
        if let Some(primary) = &mut self.primary {
            primary.message = message.into();
        }
        self
    }

    pub fn also(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            file,
            span,
            message: message.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

/// The collector every stage writes into. Cheap to merge, so parallel stages collect per file
/// and extend the shared one afterwards.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Turns every warning into an error (`--deny-warnings`).
    pub fn deny_warnings(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }

    /// Sorts by file, then position, then code, so output is stable whatever the thread order.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.primary
                    .as_ref()
                    .map(|l| (l.file, l.span.start))
                    .unwrap_or((FileId(0), 0))
            };
            (a.primary.is_some(), key(a), a.code, &a.message).cmp(&(
                b.primary.is_some(),
                key(b),
                b.code,
                &b.message,
            ))
        });
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// For the few passes that re-judge diagnostics (a translation published as the source text
    /// turns its errors into warnings).
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Diagnostic> {
        self.items.iter_mut()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// "did you mean `x`?" for a misspelt name, or `None` when nothing is close.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    suggest(word, candidates).map(|s| format!("did you mean `{s}`?"))
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word, c), c))
        .filter(|(score, c)| *score > 0.82 || c.starts_with(&word) && word.len() >= 3)
        // Ties go to the alphabetically first candidate, so suggestions never depend on the
        // order of a hash map.
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_but_not_unrelated_words() {
        let fields = ["levels", "subjects", "accessibility", "summary"];
        assert_eq!(suggest("level", fields), Some("levels"));
        assert_eq!(suggest("subject", fields), Some("subjects"));
        assert_eq!(suggest("acessibility", fields), Some("accessibility"));
        assert_eq!(suggest("colour", fields), None);
    }

    #[test]
    fn codes_are_unique() {
        use std::collections::HashSet;
        let set: HashSet<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(set.len(), Code::ALL.len());
    }

    /// Every code is explained for users in docs/diagnostics.md.
    #[test]
    fn codes_are_documented() {
        let docs = include_str!("../docs/diagnostics.md");
        for code in Code::ALL {
            assert!(
                docs.contains(&format!("| {} |", code.as_str())),
                "{} is not documented",
                code.as_str()
            );
        }
    }
}
