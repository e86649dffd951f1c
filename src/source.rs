//! Source files and positions: byte spans → `line:col` within the file.
//!
//! Every file handbok reads (modules, translations, `ui.yaml`, `book.toml`) becomes a
//! [`SourceFile`] in a [`Sources`] store. Diagnostics refer to files by [`FileId`] and to places
//! by byte [`Span`]s; only rendering turns those into lines and columns, so spans stay cheap and
//! exact even for a 10 MB line.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// A byte range in one file's text.
pub type Span = Range<usize>;

/// Index of a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// One file's text, kept for diagnostics and later stages.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the project root, with `/` separators: what users see in diagnostics.
    pub name: String,
    /// Absolute (or root-joined) path on disk.
    pub path: PathBuf,
    /// The text. For a file that is not valid UTF-8 this is a lossy decoding, so that a caret can
    /// still point at the bad byte.
    pub text: String,
    line_starts: Vec<usize>,
}

/// A 1-based line and column; the column counts characters, as rustc and editors do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(name: String, path: PathBuf, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name,
            path,
            text,
            line_starts,
        }
    }

    /// Zero-based line index of a byte offset (offsets past the end map to the last line).
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte range of a zero-based line, without its line terminator.
    pub fn line_range(&self, line: usize) -> Span {
        let start = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        let end = self
            .line_starts
            .get(line + 1)
            .map(|next| next - 1)
            .unwrap_or(self.text.len());
        let end = if end > start && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        };
        start..end.max(start)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = self.line_index(offset);
        let start = self.line_starts[line];
        let column = self.text[start..floor_char_boundary(&self.text, offset)]
            .chars()
            .count();
        LineCol {
            line: line + 1,
            column: column + 1,
        }
    }

    /// Byte offset of a 1-based line and column (as reported by parsers such as YAML's).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let range = self.line_range(line.saturating_sub(1));
        let text = &self.text[range.clone()];
        let within = text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map(|(i, _)| i)
            .unwrap_or(text.len());
        range.start + within
    }
}

/// The largest char boundary at or below `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// All files of a project, addressed by [`FileId`]. A file's id is its name's, interned once:
/// a file read again (an edit while `serve` runs) keeps its id and takes the new text, so a
/// diagnostic or a table keyed by file stays valid across edits.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
    by_name: std::collections::HashMap<String, FileId>,
}

impl Sources {
    /// Stores `file` under its name: the id the name already has, else a new one.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        let id = self.id(&file.name);
        self.files[id.0 as usize] = file;
        id
    }

    /// The id of the file named `name` (a root-relative path), interned with empty text if it
    /// has none yet.
    pub fn id(&mut self, name: &str) -> FileId {
        if let Some(id) = self.by_name.get(name) {
            return *id;
        }
        let id = FileId(self.files.len() as u32);
        self.files
            .push(SourceFile::new(name.into(), name.into(), String::new()));
        self.by_name.insert(name.to_string(), id);
        id
    }

    /// The id of the file named `name`, if it has one.
    pub fn find(&self, name: &str) -> Option<FileId> {
        self.by_name.get(name).copied()
    }

    /// Lets go of the text of every file for which `keep` is false (its name and id stay).
    /// A build calls it once the analysis and the publishing decisions are made: from then on
    /// a text is read only to show a diagnostic, and the Markdown texts were 62 MB at 5,000
    /// modules × 4 languages.
    pub fn release_texts(&mut self, keep: impl Fn(FileId, &SourceFile) -> bool) {
        for (i, file) in self.files.iter_mut().enumerate() {
            if !keep(FileId(i as u32), file) {
                file.text = String::new();
                file.line_starts = vec![0];
            }
        }
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// A path relative to `root`, with `/` separators on every platform, for display and ids.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("a.md".into(), "a.md".into(), text.into())
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let f = file("ab\nçé x\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // "çé " is 5 bytes; `x` is the fourth character.
        assert_eq!(f.line_col(8), LineCol { line: 2, column: 4 });
    }

    #[test]
    fn offsets_past_the_end_and_inside_chars_are_clamped() {
        let f = file("é");
        assert_eq!(f.line_col(1), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(99), LineCol { line: 1, column: 2 });
    }

    #[test]
    fn line_range_strips_crlf() {
        let f = file("a\r\nbc\r\n");
        assert_eq!(f.line_range(0), 0..1);
        assert_eq!(f.line_range(1), 3..5);
        assert_eq!(f.offset_of(2, 2), 4);
    }
}
