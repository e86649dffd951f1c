//! Rendering diagnostics: rustc-style text for people (via codespan-reporting), JSON lines for
//! editors and CI. The data lives in `diag.rs`; nothing here decides what is wrong.

use crate::check::text::is_forbidden;
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::source::{FileId, LineCol, SourceFile, Sources, Span};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::Write;
use std::ops::Range;

/// How to print diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style text with the source line and a caret.
    #[default]
    Human,
    /// One JSON object per line.
    Json,
}

/// The sources as a diagnostic shows them: files that hold characters a terminal must not
/// receive raw get an escaped copy (made once per file and kept for the next diagnostic), and
/// spans and columns are mapped between the two, so carets and `line:col` stay those of the file.
#[derive(Default)]
struct Shown {
    /// `None`: the file has nothing to escape and is shown as it is.
    escaped: HashMap<FileId, Option<Escaped>>,
}

/// A file's text with every unprintable character written as an escape.
struct Escaped {
    file: SourceFile,
    /// Each escape, in order: where its character is in the file and how many bytes the escape
    /// adds.
    marks: Vec<Mark>,
}

struct Mark {
    original: usize,
    shown: usize,
    /// The escape's length in bytes.
    len: usize,
    /// Bytes added by this and every earlier escape.
    added: usize,
}

impl Escaped {
    /// `None` when the file has nothing to escape.
    fn new(file: &SourceFile) -> Option<Self> {
        let mut marks = Vec::new();
        let mut added = 0;
        let text = escape_unprintable(file.text(), |original, shown, c, len| {
            added += len - c.len_utf8();
            marks.push(Mark {
                original,
                shown,
                len,
                added,
            });
        });
        match text {
            Cow::Borrowed(_) => None,
            Cow::Owned(text) => Some(Escaped {
                file: SourceFile::new(file.name.clone(), file.path.clone(), text),
                marks,
            }),
        }
    }

    /// The shown offset of an offset in the file.
    fn to_shown(&self, original: usize) -> usize {
        let before = self.marks.partition_point(|m| m.original < original);
        original + before.checked_sub(1).map_or(0, |i| self.marks[i].added)
    }

    /// The file offset of a shown offset (inside an escape: its character).
    fn to_original(&self, shown: usize) -> usize {
        let after = self.marks.partition_point(|m| m.shown <= shown);
        match after.checked_sub(1).map(|i| &self.marks[i]) {
            Some(m) if shown < m.shown + m.len => m.original,
            Some(m) => shown - m.added,
            None => shown,
        }
    }
}

impl Shown {
    /// Makes the escaped copies of the files `d` shows.
    fn prepare(&mut self, sources: &Sources, d: &Diagnostic) {
        for label in d.primary.iter().chain(&d.secondary) {
            self.escaped
                .entry(label.file)
                .or_insert_with(|| Escaped::new(sources.get(label.file)));
        }
    }

    fn escaped(&self, id: FileId) -> Option<&Escaped> {
        self.escaped.get(&id).and_then(Option::as_ref)
    }

    fn span(&self, id: FileId, span: &Span) -> Span {
        match self.escaped(id) {
            Some(e) => e.to_shown(span.start)..e.to_shown(span.end),
            None => span.clone(),
        }
    }
}

/// [`Shown`] with the sources, as codespan-reporting's file database.
struct Database<'a> {
    sources: &'a Sources,
    shown: &'a Shown,
}

impl<'a> Database<'a> {
    fn file(&self, id: FileId) -> &'a SourceFile {
        match self.shown.escaped(id) {
            Some(e) => &e.file,
            None => self.sources.get(id),
        }
    }
}

impl<'a> Files<'a> for Database<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.sources.get(id).name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(self.file(id).text())
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.file(id).line_index(byte_index))
    }

    /// The column in the file, not in its escaped copy.
    fn column_number(
        &'a self,
        id: FileId,
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let original = match self.shown.escaped(id) {
            Some(e) => e.to_original(byte_index),
            None => byte_index,
        };
        Ok(self.sources.get(id).line_col(original).column)
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.file(id);
        if line_index >= file.line_count() {
            return Err(FilesError::LineTooLarge {
                given: line_index,
                max: file.line_count() - 1,
            });
        }
        let range = file.line_range(line_index);
        // codespan wants the line with its terminator.
        let end = file.text()[range.end..]
            .find('\n')
            .map_or(file.text().len(), |i| range.end + i + 1);
        Ok(range.start..end)
    }
}

/// Characters never written raw to a terminal: those content may not hold (E036; an escape
/// sequence such as `\x1b[31m` recolours or moves the cursor), and the bidi overrides and
/// isolates, which reorder what is shown ("Trojan Source").
fn is_unprintable(c: char, next: Option<char>) -> bool {
    is_forbidden(c, next) || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unprintable character written as `\u{1b}`.
pub fn printable(text: &str) -> Cow<'_, str> {
    escape_unprintable(text, |_, _, _, _| {})
}

/// Escapes every unprintable character of `text`, telling `escaped` where each was in `text`,
/// where its escape starts in the result, the character and the escape's length.
fn escape_unprintable(
    text: &str,
    mut escaped: impl FnMut(usize, usize, char, usize),
) -> Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    for (i, c) in text.char_indices() {
        if is_unprintable(c, text[i + c.len_utf8()..].chars().next()) {
            if out.is_empty() {
                out.reserve(text.len() + 64);
            }
            out.push_str(&text[copied..i]);
            let shown = out.len();
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
            escaped(i, shown, c, out.len() - shown);
            copied = i + c.len_utf8();
        }
    }
    if out.is_empty() {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// More diagnostics than this end with a summary by code: past a screenful, the list by code
/// says what to fix first.
pub const MANY: usize = 10;

/// What to print besides the diagnostics themselves.
#[derive(Debug, Clone, Copy, Default)]
pub struct Emit {
    pub format: Format,
    pub color: bool,
    /// `--quiet`: in human output, errors and the summary by code only (warnings are counted
    /// there but not shown one by one). JSON output is always complete.
    pub quiet: bool,
}

/// Prints the diagnostics: human text on stderr (with the summary by code when there are
/// [`MANY`], or any with `--quiet`), or one JSON object per line on stdout.
pub fn emit(sources: &Sources, diags: &Diagnostics, how: Emit) -> std::io::Result<()> {
    match how.format {
        Format::Human => emit_human(sources, diags, how),
        Format::Json => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            for d in diags.iter() {
                serde_json::to_writer(&mut out, &json(sources, d))?;
                out.write_all(b"\n")?;
            }
            out.flush()
        }
    }
}

fn emit_human(sources: &Sources, diags: &Diagnostics, how: Emit) -> std::io::Result<()> {
    let choice = if how.color {
        termcolor::ColorChoice::Auto
    } else {
        termcolor::ColorChoice::Never
    };
    let writer = termcolor::StandardStream::stderr(choice);
    let mut lock = writer.lock();
    let mut shown = Shown::default();
    for d in diags.iter() {
        if how.quiet && d.severity == Severity::Warning {
            continue;
        }
        lock.write_all(render(sources, &mut shown, d, how.color).as_bytes())?;
    }
    if diags.len() > MANY || how.quiet && !diags.is_empty() {
        lock.write_all(by_code(sources, diags).as_bytes())?;
    }
    Ok(())
}

/// The summary by code: for each code, how often it occurs and where first, errors first.
pub fn by_code(sources: &Sources, diags: &Diagnostics) -> String {
    let mut codes: BTreeMap<(Severity, &str), (usize, &Diagnostic)> = BTreeMap::new();
    for d in diags.iter() {
        codes
            .entry((d.severity, d.code.as_str()))
            .and_modify(|(n, _)| *n += 1)
            .or_insert((1, d));
    }
    let places: Vec<String> = codes
        .values()
        .map(|(_, d)| match &d.primary {
            Some(p) => {
                let file = sources.get(p.file);
                let at = file.line_col(p.span.start);
                format!("{}:{}:{}", printable(&file.name), at.line, at.column)
            }
            None => "-".into(),
        })
        .collect();
    let width = places.iter().map(String::len).max().unwrap_or(0);
    let mut out = String::from("problems by code (count, first place, first message):\n");
    for (((severity, code), (n, d)), place) in codes.iter().zip(&places) {
        let _ = writeln!(
            out,
            "  {:<7} {code} {n:>5}  {place:<width$}  {}",
            severity_word(*severity),
            printable(&shorten(&d.message, 70)),
        );
    }
    out + "\n"
}

/// `text` cut to at most `max` characters, with `…` when cut.
fn shorten(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        Some((at, _)) => Cow::Owned(format!("{}…", &text[..at])),
        None => Cow::Borrowed(text),
    }
}

/// One diagnostic as rustc-style text (without colour when `color` is false). Characters that
/// could drive the terminal are shown escaped (`\u{1b}`), in messages and quoted source lines.
pub fn human(sources: &Sources, d: &Diagnostic, color: bool) -> String {
    render(sources, &mut Shown::default(), d, color)
}

fn render(sources: &Sources, shown: &mut Shown, d: &Diagnostic, color: bool) -> String {
    // A folder or an unreadable path has no text to quote, nor a file edited since its text
    // was checked and let go: name the place only.
    if let Some(p) = &d.primary
        && sources.get(p.file).text().is_empty()
    {
        let file = sources.get(p.file);
        let changed = if file.is_released() {
            " (changed since it was checked)"
        } else {
            ""
        };
        let mut out = format!(
            "{}[{}]: {}\n  --> {}{changed}\n",
            severity_word(d.severity),
            d.code.as_str(),
            printable(&d.message),
            printable(&file.name)
        );
        if let Some(help) = &d.help {
            out.push_str(&format!("  = help: {}\n", printable(help)));
        }
        return out + "\n";
    }
    shown.prepare(sources, d);
    let files = Database { sources, shown };
    let config = term::Config {
        chars: term::Chars::ascii(),
        ..term::Config::default()
    };
    let cs = to_codespan(shown, d);
    let rendered = if color {
        let mut buffer = termcolor::Buffer::ansi();
        let styles = term::Styles::default();
        let mut writer = term::StylesWriter::new(&mut buffer, &styles);
        term::emit_to_write_style(&mut writer, &config, &files, &cs)
            .map(|_| String::from_utf8_lossy(buffer.as_slice()).into_owned())
    } else {
        term::emit_into_string(&config, &files, &cs)
    };
    rendered.unwrap_or_else(|_| {
        format!(
            "{}[{}]: {}\n",
            severity_word(d.severity),
            d.code.as_str(),
            printable(&d.message)
        )
    })
}

fn to_codespan(shown: &Shown, d: &Diagnostic) -> cs::Diagnostic<FileId> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let mut labels = Vec::new();
    if let Some(p) = &d.primary {
        labels.push(
            cs::Label::primary(p.file, shown.span(p.file, &p.span))
                .with_message(printable(&p.message)),
        );
    }
    for s in &d.secondary {
        labels.push(
            cs::Label::secondary(s.file, shown.span(s.file, &s.span))
                .with_message(printable(&s.message)),
        );
    }
    let mut notes = Vec::new();
    if let Some(help) = &d.help {
        notes.push(format!("help: {}", printable(help)));
    }
    cs::Diagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(printable(&d.message))
        .with_labels(labels)
        .with_notes(notes)
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// One diagnostic as `--format json` prints it (and `serve` sends it to the browser).
#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    severity: Severity,
    code: &'static str,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    help: Option<&'a str>,
    related: Vec<JsonLabel<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
}

/// `d` as data: file, line and column (1-based, in the file), code, severity, message, help.
pub fn json<'a>(sources: &'a Sources, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let place = |file: FileId, offset: usize| -> LineCol { sources.get(file).line_col(offset) };
    let (file, start, end) = match &d.primary {
        Some(p) => (
            Some(sources.get(p.file).name.as_str()),
            Some(place(p.file, p.span.start)),
            Some(place(p.file, p.span.end)),
        ),
        None => (None, None, None),
    };
    JsonDiagnostic {
        severity: d.severity,
        code: d.code.as_str(),
        message: &d.message,
        file,
        line: start.map(|p| p.line),
        column: start.map(|p| p.column),
        end_line: end.map(|p| p.line),
        end_column: end.map(|p| p.column),
        help: d.help.as_deref(),
        related: d
            .secondary
            .iter()
            .map(|s| {
                let at = place(s.file, s.span.start);
                JsonLabel {
                    file: &sources.get(s.file).name,
                    line: at.line,
                    column: at.column,
                    message: &s.message,
                }
            })
            .collect(),
    }
}

/// The closing line: what was checked and how it went.
pub fn summary(diags: &Diagnostics, what: &str) -> String {
    let (e, w) = (diags.errors(), diags.warnings());
    let plural = count;
    match (e, w) {
        (0, 0) => format!("{what}: no problems found"),
        (0, w) => format!("{what}: {}", plural(w, "warning")),
        (e, 0) => format!("{what}: {}", plural(e, "error")),
        (e, w) => format!("{what}: {}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

/// `1 module`, `2 modules`.
pub fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_escapes_controls_and_bidi_but_not_text() {
        assert_eq!(printable("plain é 中\ttab"), "plain é 中\ttab");
        assert_eq!(
            printable("a\u{1b}[31mb\u{202E}c\u{0}"),
            "a\\u{1b}[31mb\\u{202e}c\\u{0}"
        );
        // A CRLF line ending is text; a lone CR is not.
        assert_eq!(printable("a\r\nb\rc"), "a\r\nb\\u{d}c");
    }

    #[test]
    fn offsets_map_between_the_file_and_its_escaped_copy() {
        let file = SourceFile::new("x".into(), "x".into(), "ab\u{1}cd\u{202E}e".into());
        let e = Escaped::new(&file).expect("something to escape");
        assert_eq!(e.file.text(), "ab\\u{1}cd\\u{202e}e");
        // Before, at and after each escaped character.
        assert_eq!(e.to_shown(1), 1);
        assert_eq!(e.to_shown(2), 2);
        assert_eq!(e.to_shown(3), 7);
        assert_eq!(e.to_shown(5), 9);
        assert_eq!(e.to_shown(8), 17);
        for shown in 2..7 {
            assert_eq!(e.to_original(shown), 2, "inside the first escape");
        }
        assert_eq!(e.to_original(7), 3);
        assert_eq!(e.to_original(16), 5);
        assert_eq!(e.to_original(17), 8);
        let clean = SourceFile::new("y".into(), "y".into(), "clean\n".into());
        assert!(Escaped::new(&clean).is_none());
    }
}
