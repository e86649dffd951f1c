//! Source files and positions: byte spans → `line:col` within the file.
//!
//! Every file handbok reads (modules, translations, `ui.yaml`, `book.toml`) becomes a
//! [`SourceFile`] in a [`Sources`] store. Diagnostics refer to files by [`FileId`] and to places
//! by byte [`Span`]s; only rendering turns those into lines and columns, so spans stay cheap and
//! exact even for a 10 MB line.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A byte range in one file's text.
pub type Span = Range<usize>;

/// Index of a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// One file's text, kept for diagnostics and later stages.
///
/// A document's text can be let go once it is checked ([`SourceFile::release`]): `check` and
/// `build` read each text once, and holding them all was 62 MB of the peak at 5,000 modules ×
/// 4 languages. A text let go is read again the first time something asks for it (a
/// diagnostic found later, by linking, that quotes it), and only if the file still holds what
/// was checked.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the project root, with `/` separators: what users see in diagnostics.
    pub name: String,
    /// Absolute (or root-joined) path on disk.
    pub path: PathBuf,
    /// The text. For a file that is not valid UTF-8 this is a lossy decoding, so that a caret can
    /// still point at the bad byte. Empty once let go: read through [`SourceFile::text`].
    text: String,
    /// Where each line starts, made on first use: most files are never shown in a diagnostic.
    line_starts: OnceLock<Vec<usize>>,
    /// [`text_hash`] of the text, made once: the check records it as the document's, and a
    /// text let go is read again only if the file still hashes to it.
    hash: OnceLock<u64>,
    /// Set when the text was let go: the file read again when first asked for, its text if it
    /// still hashes to `hash`, else empty (the spans of diagnostics about the old text would
    /// point at the wrong places in a new one).
    released: Option<OnceLock<String>>,
}

/// A fast hash of a text, to tell whether it changed (not for security: a file's author can
/// only make their own diagnostics show their own text). XXH3: every text of the project is
/// hashed, and FxHash, a word at a time, was 1.5 % of `check`.
fn text_hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// A 1-based line and column; the column counts characters, as rustc and editors do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(name: String, path: PathBuf, text: String) -> Self {
        SourceFile {
            name,
            path,
            text,
            line_starts: OnceLock::new(),
            hash: OnceLock::new(),
            released: None,
        }
    }

    /// The text; for one that was let go, the file read again (once), or `""` when the file
    /// can no longer be read or no longer holds the text that was checked.
    pub fn text(&self) -> &str {
        match &self.released {
            None => &self.text,
            Some(again) => again.get_or_init(|| {
                std::fs::read(&self.path)
                    .ok()
                    .and_then(|bytes| String::from_utf8(bytes).ok())
                    .filter(|text| Some(&text_hash(text)) == self.hash.get())
                    .unwrap_or_default()
            }),
        }
    }

    /// A hash of the text as it was read (what a page showing this document depends on, see
    /// `render::inputs`).
    pub fn hash(&self) -> u64 {
        *self.hash.get_or_init(|| text_hash(&self.text))
    }

    /// Lets go of the text (see the type's documentation). Only for a text read from `path`
    /// that is valid UTF-8: one that is not is shown decoded, and could not be read again.
    pub fn release(&mut self) {
        if self.released.is_none() {
            self.hash();
            self.text = String::new();
            self.line_starts = OnceLock::new();
            self.released = Some(OnceLock::new());
        }
    }

    /// Whether the text was let go (and is read again when asked for).
    pub fn is_released(&self) -> bool {
        self.released.is_some()
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text().match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// Zero-based line index of a byte offset (offsets past the end map to the last line).
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts().binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte range of a zero-based line, without its line terminator.
    pub fn line_range(&self, line: usize) -> Span {
        let (text, starts) = (self.text(), self.line_starts());
        let start = starts.get(line).copied().unwrap_or(text.len());
        let end = starts
            .get(line + 1)
            .map(|next| next - 1)
            .unwrap_or(text.len());
        let end = if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        };
        start..end.max(start)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let text = self.text();
        let offset = offset.min(text.len());
        let line = self.line_index(offset);
        let start = self.line_starts()[line];
        let column = text[start..floor_char_boundary(text, offset)]
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
        let text = &self.text()[range.clone()];
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
    by_name: rustc_hash::FxHashMap<String, FileId>,
}

impl Sources {
    /// Stores `file` under its name: the id the name already has, else a new one.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        let id = self.id(&file.name);
        self.set(id, file);
        id
    }

    /// Stores `file` under `id`, the id its name has (from [`Sources::id`]): what
    /// [`Sources::add`] does without looking the name up.
    pub fn set(&mut self, id: FileId, file: SourceFile) {
        debug_assert_eq!(self.by_name.get(&file.name), Some(&id));
        self.files[id.0 as usize] = file;
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
    // Every file found takes this way, so the common case is read as text: `root`, a `/`,
    // and a relative path that splits into components and joins again unchanged.
    let unix = std::path::MAIN_SEPARATOR == '/';
    let plain = |text: &str| {
        unix && !text.is_empty()
            && !text.starts_with(['/', '.'])
            && !text.ends_with('/')
            && !text.contains("//")
            && !text.contains("/.")
    };
    if let (Some(root), Some(path)) = (root.to_str(), path.to_str())
        && !root.is_empty()
        && !root.ends_with('/')
        && let Some(rest) = path.strip_prefix(root).and_then(|p| p.strip_prefix('/'))
        && plain(rest)
    {
        return rest.to_string();
    }
    let rel = path.strip_prefix(root).unwrap_or(path);
    if let Some(text) = rel.to_str()
        && plain(text)
    {
        return text.to_string();
    }
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

    /// The paths read as text are shown as their components joined would show them.
    #[test]
    fn display_paths_are_their_components_joined() {
        let joined = |root: &str, path: &str| {
            let rel = Path::new(path)
                .strip_prefix(root)
                .unwrap_or(Path::new(path));
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        };
        let cases = [
            ("", "a/b"),
            (".", "./guidelines/a.md"),
            ("/r", "/r/guidelines/x/a.md"),
            ("/r/", "/r/a"),
            ("r", "r//a"),
            ("r", "r/./a"),
            ("r", "r/a/"),
            ("r", "r/.a"),
            ("r", "r/a/../b"),
            ("r", "x/a"),
            ("r", "r"),
            ("r", "rx/a"),
            ("a/./b", "a/./b/c"),
            ("a/.", "a/./c"),
            ("/", "/a/b"),
        ];
        for (root, path) in cases {
            assert_eq!(
                display_path(Path::new(root), Path::new(path)),
                joined(root, path),
                "{root} {path}"
            );
        }
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

    #[test]
    fn a_text_let_go_is_read_again_only_while_the_file_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "one\ntwo\n").unwrap();
        let read = |path: &Path| {
            let mut f = SourceFile::new("a.md".into(), path.into(), "one\ntwo\n".into());
            f.release();
            f
        };
        let same = read(&path);
        assert!(same.is_released());
        assert_eq!(same.text(), "one\ntwo\n");
        assert_eq!(same.line_col(5), LineCol { line: 2, column: 2 });
        let edited = read(&path);
        std::fs::write(&path, "one\n2\n").unwrap();
        assert_eq!(edited.text(), "", "the spans were for the old text");
        assert_eq!(same.text(), "one\ntwo\n", "read once, kept");
    }
}
