//! Rendering diagnostics: rustc-style text for people (via codespan-reporting), JSON lines for
//! editors and CI. The data lives in `diag.rs`; nothing here decides what is wrong.

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::source::{FileId, LineCol, Sources};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;
use std::io::Write;
use std::ops::Range;

/// How to print diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style text with the source line and a caret.
    Human,
    /// One JSON object per line.
    Json,
}

/// `Sources` as codespan-reporting's file database, so its columns agree with ours.
impl<'a> Files<'a> for Sources {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.get(id).name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.get(id).text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.get(id).line_index(byte_index))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.get(id);
        if line_index >= file.line_count() {
            return Err(FilesError::LineTooLarge {
                given: line_index,
                max: file.line_count() - 1,
            });
        }
        let range = file.line_range(line_index);
        // codespan wants the line with its terminator.
        let end = file.text[range.end..]
            .find('\n')
            .map_or(file.text.len(), |i| range.end + i + 1);
        Ok(range.start..end)
    }
}

/// Prints all diagnostics to stderr, then a summary line.
pub fn emit(
    sources: &Sources,
    diags: &Diagnostics,
    format: Format,
    color: bool,
) -> std::io::Result<()> {
    match format {
        Format::Human => emit_human(sources, diags, color),
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

fn emit_human(sources: &Sources, diags: &Diagnostics, color: bool) -> std::io::Result<()> {
    let choice = if color {
        termcolor::ColorChoice::Auto
    } else {
        termcolor::ColorChoice::Never
    };
    let writer = termcolor::StandardStream::stderr(choice);
    let mut lock = writer.lock();
    for d in diags.iter() {
        lock.write_all(human(sources, d, color).as_bytes())?;
    }
    Ok(())
}

/// One diagnostic as rustc-style text (without colour when `color` is false).
pub fn human(sources: &Sources, d: &Diagnostic, color: bool) -> String {
    // A folder or an unreadable path has no text to quote: name the place only.
    if let Some(p) = &d.primary
        && sources.get(p.file).text.is_empty()
    {
        let mut out = format!(
            "{}[{}]: {}\n  --> {}\n",
            severity_word(d.severity),
            d.code.as_str(),
            d.message,
            sources.get(p.file).name
        );
        if let Some(help) = &d.help {
            out.push_str(&format!("  = help: {help}\n"));
        }
        return out + "\n";
    }
    let config = term::Config {
        chars: term::Chars::ascii(),
        ..term::Config::default()
    };
    let cs = to_codespan(d);
    let rendered = if color {
        let mut buffer = termcolor::Buffer::ansi();
        let styles = term::Styles::default();
        let mut writer = term::StylesWriter::new(&mut buffer, &styles);
        term::emit_to_write_style(&mut writer, &config, sources, &cs)
            .map(|_| String::from_utf8_lossy(buffer.as_slice()).into_owned())
    } else {
        term::emit_into_string(&config, sources, &cs)
    };
    rendered.unwrap_or_else(|_| {
        format!(
            "{}[{}]: {}\n",
            severity_word(d.severity),
            d.code.as_str(),
            d.message
        )
    })
}

fn to_codespan(d: &Diagnostic) -> cs::Diagnostic<FileId> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let mut labels = Vec::new();
    if let Some(p) = &d.primary {
        labels.push(cs::Label::primary(p.file, p.span.clone()).with_message(&p.message));
    }
    for s in &d.secondary {
        labels.push(cs::Label::secondary(s.file, s.span.clone()).with_message(&s.message));
    }
    let mut notes = Vec::new();
    if let Some(help) = &d.help {
        notes.push(format!("help: {help}"));
    }
    cs::Diagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes)
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
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

fn json<'a>(sources: &'a Sources, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
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
