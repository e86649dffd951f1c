//! Load: the project on disk → `book.toml` as [`Config`], the files found ([`discover`]), and
//! each text file read and parsed ([`read`]): a module or translation split into parsed front
//! matter and body, or a `ui.yaml`. `analysis` drives it, for every file or for those changed.
//!
//! Of the build pipeline, this and `write` are the stages that touch the disk (the translators'
//! tools in `translate` and `po` read history and write translations too). Files are found with
//! walkdir (sorted, so runs are deterministic) and read and parsed in parallel with rayon; each
//! file is read exactly once and its text kept in [`Sources`] for every later stage.

pub mod frontmatter;
mod walk;
pub mod yaml;

use crate::config::{self, Config};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::lang::LanguageTag;
use crate::source::{FileId, SourceFile, Sources, Span};

use std::path::Path;
use yaml::Yaml;

pub use walk::{Entry, Found, discover, is_ui_file};

/// Where a document sits in the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocKind {
    /// A module under `guidelines/`; `rel` is its path below that folder (`a/b.md`).
    Source { rel: String },
    /// A translation; `rel` is the mirrored path (`a/b.md` for `translations/sv/a/b.md`).
    Translation { lang: LanguageTag, rel: String },
}

impl DocKind {
    pub fn rel(&self) -> &str {
        match self {
            DocKind::Source { rel } | DocKind::Translation { rel, .. } => rel,
        }
    }
}

/// One Markdown document with its front matter parsed.
#[derive(Debug)]
pub struct Doc {
    pub file: FileId,
    pub kind: DocKind,
    /// `None` when the front matter is missing or is not valid YAML (already reported).
    pub front: Option<FrontMatter>,
    /// The Markdown body in the file's text.
    pub body: Span,
}

#[derive(Debug)]
pub struct FrontMatter {
    pub yaml: Yaml,
    /// The YAML text between the fences.
    pub span: Span,
}

/// A language's `ui.yaml`.
#[derive(Debug)]
pub struct UiFile {
    pub lang: LanguageTag,
    pub file: FileId,
    pub yaml: Option<Yaml>,
}

/// What reading one text file gave.
#[derive(Debug)]
pub enum Read {
    Doc(Doc),
    Ui(UiFile),
    /// Not readable or not UTF-8 (reported).
    Unreadable,
}

/// Reads and parses the text file `entry` (its id `id`): the file for [`Sources`], what it
/// holds, and its problems. Pure apart from reading that one file, so files are read in
/// parallel, and again one by one when they change.
pub fn read(root: &Path, entry: &Entry, id: FileId) -> (SourceFile, Read, Vec<Diagnostic>) {
    let (file, problems, parsed) = read_text(root, entry, id);
    let read = match (parsed, entry) {
        (Parsed::Doc { front, body }, Entry::Doc(kind)) => Read::Doc(Doc {
            file: id,
            kind: kind.clone(),
            front,
            body,
        }),
        (Parsed::Ui(yaml), Entry::Ui(lang)) => Read::Ui(UiFile {
            lang: lang.clone(),
            file: id,
            yaml,
        }),
        _ => Read::Unreadable,
    };
    (file, read, problems)
}

/// Reads `book.toml` (`None` when it is missing or unreadable as TOML, the one case where
/// nothing else can be checked meaningfully).
pub fn config(root: &Path, sources: &mut Sources, diags: &mut Diagnostics) -> Option<Config> {
    load_config(root, sources, diags)
}

fn load_config(root: &Path, sources: &mut Sources, diags: &mut Diagnostics) -> Option<Config> {
    let path = root.join("book.toml");
    let text = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(err) => {
            let help = if err.kind() == std::io::ErrorKind::NotFound {
                "run handbok in a project folder (one with book.toml), or pass `--root DIR`"
            } else {
                "check the file's permissions"
            };
            diags.push(
                Diagnostic::new(
                    Code::Io,
                    format!("reading {}: {}", path.display(), err_text(&err)),
                )
                .help(help),
            );
            return None;
        }
    };
    let (text, utf8_error) = decode(text);
    let file = sources.add(SourceFile::new("book.toml".into(), path, text));
    if let Some(at) = utf8_error {
        diags.push(invalid_utf8(file, at));
        return None;
    }
    config::parse(file, sources.get(file), diags)
}

enum Parsed {
    Doc {
        front: Option<FrontMatter>,
        body: Span,
    },
    Ui(Option<Yaml>),
    Unreadable,
}

/// Reads and parses one text file. Runs on a rayon worker: returns its diagnostics instead of
/// writing to a shared collector.
fn read_text(root: &Path, entry: &Entry, id: FileId) -> (SourceFile, Vec<Diagnostic>, Parsed) {
    let path = root.join(entry.path());
    let name = entry.path();
    let mut problems = Vec::new();
    let bytes = match read_small(&path) {
        Ok(bytes) => bytes,
        Err(err) => {
            problems.push(
                Diagnostic::new(Code::Io, format!("reading {name}: {}", err_text(&err)))
                    .at(id, 0..0),
            );
            return (
                SourceFile::new(name, path, String::new()),
                problems,
                Parsed::Unreadable,
            );
        }
    };
    let (text, utf8_error) = decode(bytes);
    let file = SourceFile::new(name, path, text);
    if let Some(at) = utf8_error {
        problems.push(invalid_utf8(id, at));
        return (file, problems, Parsed::Unreadable);
    }
    let parsed = match entry {
        Entry::Ui(_) => Parsed::Ui(parse_yaml(file.text(), 0, yaml::UI_FILE, id, &mut problems)),
        Entry::Doc(_) => parse_doc(&file, id, &mut problems),
    };
    (file, problems, parsed)
}

fn parse_doc(file: &SourceFile, id: FileId, problems: &mut Vec<Diagnostic>) -> Parsed {
    use frontmatter::SplitError;
    match frontmatter::split(file.text()) {
        Ok(split) => {
            let yaml = &file.text()[split.yaml.clone()];
            let front =
                parse_yaml(yaml, split.yaml.start, yaml::FRONT_MATTER, id, problems).map(|yaml| {
                    FrontMatter {
                        yaml,
                        span: split.yaml,
                    }
                });
            Parsed::Doc {
                front,
                body: split.body,
            }
        }
        Err(SplitError::Missing) => {
            let first_line = file.line_range(0);
            problems.push(
                Diagnostic::new(Code::MissingFrontMatter, "the file has no front matter")
                    .at(id, first_line)
                    .label("expected `---` on the first line")
                    .help("start the file with a `---` line, the YAML fields (`id`, `title`, …), and another `---` line"),
            );
            Parsed::Doc {
                front: None,
                body: 0..file.text().len(),
            }
        }
        Err(SplitError::Unclosed(fence)) => {
            problems.push(
                Diagnostic::new(Code::MissingFrontMatter, "the front matter is never closed")
                    .at(id, fence)
                    .label("opened here")
                    .help("end the front matter with a line that holds only `---`"),
            );
            Parsed::Doc {
                front: None,
                body: file.text().len()..file.text().len(),
            }
        }
    }
}

fn parse_yaml(
    text: &str,
    base: usize,
    limits: yaml::Limits,
    id: FileId,
    problems: &mut Vec<Diagnostic>,
) -> Option<Yaml> {
    // A stray control character is reported by `check` (E036) at its place; the YAML parser
    // would reject the whole front matter for it.
    match yaml::parse_within(&crate::check::text::blank(text), limits) {
        Ok(yaml) => Some(yaml),
        Err(yaml::Error::Syntax(err)) => {
            let at = base + err.offset.unwrap_or(0);
            problems.push(
                Diagnostic::new(Code::YamlSyntax, format!("invalid YAML: {}", err.message))
                    .at(id, at..at)
                    .help(yaml_help(&err.message)),
            );
            None
        }
        Err(yaml::Error::Limit(exceeded)) => {
            problems.push(limit_exceeded(text, base, id, &exceeded));
            None
        }
    }
}

/// E039: YAML refused before parsing. `text` starts at byte `base` of file `id`.
fn limit_exceeded(text: &str, base: usize, id: FileId, exceeded: &yaml::Exceeded) -> Diagnostic {
    let what = if base == 0 {
        "this file"
    } else {
        "the front matter"
    };
    let at = exceeded.offset();
    let width = text[at..].chars().next().map_or(0, char::len_utf8);
    let place = base + at..base + at + width;
    match exceeded {
        yaml::Exceeded::Size { len, limit, .. } => Diagnostic::new(
            Code::YamlLimit,
            format!(
                "{what} holds {} of YAML, more than the {} allowed",
                size_text(*len),
                size_text(*limit)
            ),
        )
        .at(id, place)
        .label("the limit is reached here")
        .help(if base == 0 {
            "a ui.yaml holds only the interface strings of its language; remove anything else"
        } else {
            "move long text into the Markdown body; front matter holds short fields"
        }),
        yaml::Exceeded::Depth { limit, .. } => Diagnostic::new(
            Code::YamlLimit,
            format!("{what} nests lists and mappings more than {limit} levels deep"),
        )
        .at(id, place)
        .label(format!("level {} opens here", limit + 1))
        .help("handbok's fields need two or three levels; close the `[` and `{` that are left open, or quote text that holds them"),
    }
}

/// `65536` → "64 KB", `1048576` → "1 MB": sizes as the limits are documented.
fn size_text(bytes: usize) -> String {
    const MB: usize = 1024 * 1024;
    if bytes >= MB && bytes.is_multiple_of(MB) {
        format!("{} MB", bytes / MB)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// The usual causes of YAML errors in front matter, by message.
fn yaml_help(message: &str) -> &'static str {
    if message.contains("duplicate") {
        "each field may appear only once; remove or merge the repeated one"
    } else if message.contains("mapping values are not allowed") {
        "a value contains `: `; put the whole value in quotes"
    } else if message.contains("tab") {
        "indent with spaces, not tabs"
    } else {
        "check the quoting and indentation; values with `:`, `#`, `[` or `{` need quotes"
    }
}

/// A file's bytes, as `std::fs::read` gives them but without first asking the file's size:
/// project texts are a few KB, and a `statx` per file was 1 % of `check`. Read into a buffer of
/// that size (grown for a larger file), then trimmed to the bytes read.
fn read_small(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(16 * 1024);
    // Through `take`: `File`'s own `read_to_end` asks for the size (and the position).
    std::fs::File::open(path)?
        .take(u64::MAX)
        .read_to_end(&mut bytes)?;
    bytes.shrink_to_fit();
    Ok(bytes)
}

/// Decodes UTF-8; on failure returns a lossy decoding and the byte offset of the first bad
/// byte *in the lossy text* (the valid prefix is identical in both).
fn decode(bytes: Vec<u8>) -> (String, Option<usize>) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(err) => {
            let at = err.utf8_error().valid_up_to();
            (
                String::from_utf8_lossy(err.as_bytes()).into_owned(),
                Some(at),
            )
        }
    }
}

fn invalid_utf8(file: FileId, at: usize) -> Diagnostic {
    Diagnostic::new(Code::InvalidUtf8, "the file is not valid UTF-8")
        .at(file, at..at + 1)
        .label("this byte is not UTF-8")
        .help("save the file as UTF-8 (in most editors: “Save with encoding” → UTF-8)")
}

/// An I/O error's text without Rust's " (os error N)" suffix.
pub fn err_text(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_lowercase(),
        None => text,
    }
}
