//! Translatable blocks and fingerprints: a module's text → the blocks a translator translates
//! (title, summary, keywords, headings, paragraphs, list items, table cells, quotes, image alt
//! text) with their byte ranges, and one short fingerprint of them.
//!
//! The fingerprint is the one definition of "the source changed" for every tool: `status`,
//! `translate diff`, `translate done` and the site's stale notices. It covers only what is
//! translated, whitespace-normalized, so re-wrapping a paragraph or editing metadata (`levels`,
//! `updated`, `authors`, …) leaves it unchanged.
//!
//! Code blocks are not translatable (PO files leave them out; a translation's code is taken
//! from the source), so they are listed as blocks but changing one does not change the
//! fingerprint. Nothing here touches the disk.

use crate::load::{frontmatter, yaml};
use mdbook_markdown::pulldown_cmark::{Event, Tag, TagEnd};
use mdbook_markdown::{MarkdownOptions, new_cmark_parser};
use sha2::{Digest, Sha256};
use std::ops::Range;

/// The prefix of every fingerprint; the rest is 16 lower-case hex digits (64 bits of SHA-256).
pub const PREFIX: &str = "sha256:";
/// Hex digits after [`PREFIX`].
pub const HEX_DIGITS: usize = 16;

/// What kind of text a block is; the names are stable (PO contexts and JSON use them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Title,
    Summary,
    Keywords,
    Heading,
    Paragraph,
    /// The text of a list item (a tight item, or a paragraph in a loose one).
    Item,
    /// A paragraph inside a blockquote.
    Quote,
    /// One table cell.
    Cell,
    /// An HTML block (its text may hold words).
    Html,
    /// An image's alt text. Also part of its paragraph, so the fingerprint and diffs skip it.
    Alt,
    /// A fenced or indented code block: not translatable.
    Code,
}

impl BlockKind {
    pub fn name(self) -> &'static str {
        match self {
            BlockKind::Title => "title",
            BlockKind::Summary => "summary",
            BlockKind::Keywords => "keywords",
            BlockKind::Heading => "heading",
            BlockKind::Paragraph => "paragraph",
            BlockKind::Item => "item",
            BlockKind::Quote => "quote",
            BlockKind::Cell => "cell",
            BlockKind::Html => "html",
            BlockKind::Alt => "alt",
            BlockKind::Code => "code",
        }
    }

    /// Whether a change of this block makes translations stale (and shows in a diff).
    pub fn counts(self) -> bool {
        !matches!(self, BlockKind::Alt | BlockKind::Code)
    }
}

/// One block of a Markdown body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// The block's Markdown in the text given to [`blocks`] (markers such as `#` or `-` left
    /// out; inline markup kept).
    pub range: Range<usize>,
}

/// The translatable content of a module, read from its file text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    pub title: String,
    pub summary: String,
    pub keywords: Vec<String>,
    pub body: String,
}

/// A block with its text normalized: what is hashed and compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub kind: BlockKind,
    pub text: String,
}

impl Content {
    /// Reads title, summary, keywords and body from a module file (front matter and Markdown).
    /// `None` when the file has no readable front matter.
    pub fn from_file(text: &str) -> Option<Content> {
        let split = frontmatter::split(text).ok()?;
        let front = yaml::parse(&text[split.yaml]).ok()?;
        Content::from_parts(&front, &text[split.body])
    }

    /// [`Content::from_file`] from the file's front matter as parsed and its body: what `check`
    /// has at hand (parsing the front matter again was 3 % of `check`).
    pub fn from_parts(front: &yaml::Yaml, body: &str) -> Option<Content> {
        let yaml::Yaml::Map(map) = front else {
            return None;
        };
        let field = |key: &str| map.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        let scalar = |key: &str| {
            field(key)
                .and_then(yaml::Yaml::as_scalar)
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let keywords = match field("keywords") {
            Some(yaml::Yaml::List(items)) => items
                .iter()
                .filter_map(yaml::Yaml::as_scalar)
                .map(|s| s.trim().to_string())
                .collect(),
            _ => Vec::new(),
        };
        Some(Content {
            title: scalar("title"),
            summary: scalar("summary"),
            keywords,
            body: body.to_string(),
        })
    }

    /// Every block, front matter first, each with its normalized text.
    pub fn pieces(&self) -> Vec<Piece> {
        self.pieces_of(blocks(&self.body))
    }

    /// [`Content::pieces`] with the body's `blocks` as [`blocks`] finds them.
    fn pieces_of(&self, blocks: Vec<Block>) -> Vec<Piece> {
        let mut out = Vec::new();
        self.each_piece(blocks, &mut |kind, text| {
            out.push(Piece {
                kind,
                text: text.to_string(),
            })
        });
        out
    }

    /// Gives each piece to `f`, in order, its text normalized in a buffer reused from piece to
    /// piece (the fingerprint hashes them as they come).
    fn each_piece(&self, blocks: Vec<Block>, f: &mut dyn FnMut(BlockKind, &str)) {
        let mut text = String::new();
        let mut piece = |kind, write: &mut dyn FnMut(&mut String)| {
            text.clear();
            write(&mut text);
            f(kind, &text);
        };
        piece(BlockKind::Title, &mut |t| normalize_into(&self.title, t));
        piece(BlockKind::Summary, &mut |t| {
            normalize_into(&self.summary, t)
        });
        if !self.keywords.is_empty() {
            piece(BlockKind::Keywords, &mut |t| {
                for (i, keyword) in self.keywords.iter().enumerate() {
                    if i > 0 {
                        t.push_str(", ");
                    }
                    normalize_into(keyword, t);
                }
            });
        }
        for block in blocks {
            piece(block.kind, &mut |t| {
                normalize_into(&self.body[block.range.clone()], t)
            });
        }
    }

    /// The module's fingerprint: `sha256:` and the first 16 hex digits of the SHA-256 of the
    /// counted pieces, each as its kind name, a tab, its text and a newline.
    pub fn fingerprint(&self) -> String {
        self.fingerprint_of(blocks(&self.body))
    }

    /// [`Content::fingerprint`] with the body's blocks as a [`BlockScan`] of it collected them
    /// (`check` has them from its own pass over the body: parsing it again was 5 % of `check`).
    pub fn fingerprint_with(&self, scan: BlockScan) -> String {
        self.fingerprint_of(scan.finish())
    }

    fn fingerprint_of(&self, blocks: Vec<Block>) -> String {
        let mut hash = PieceHash::default();
        self.each_piece(blocks, &mut |kind, text| {
            if kind.counts() {
                hash.add(kind, text);
            }
        });
        hash.finish()
    }
}

impl Piece {
    /// This block's own fingerprint (same form as a module's): tools that work block by block
    /// (a diff, PO entries) tell which blocks changed by it.
    pub fn fingerprint(&self) -> String {
        let mut hash = PieceHash::default();
        hash.add(self.kind, &self.text);
        hash.finish()
    }
}

/// The SHA-256 of pieces, each as its kind name, a tab, its text and a newline.
#[derive(Default)]
struct PieceHash(Sha256);

impl PieceHash {
    fn add(&mut self, kind: BlockKind, text: &str) {
        self.0.update(kind.name().as_bytes());
        self.0.update(b"\t");
        self.0.update(text.as_bytes());
        self.0.update(b"\n");
    }

    /// [`PREFIX`] and the first 16 hex digits of the hash.
    fn finish(self) -> String {
        let digest = self.0.finalize();
        let hex: String = digest
            .iter()
            .take(HEX_DIGITS / 2)
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("{PREFIX}{hex}")
    }
}

/// The fingerprint of a module file, or `None` if it has no readable front matter.
pub fn of_file(text: &str) -> Option<String> {
    Content::from_file(text).map(|c| c.fingerprint())
}

/// Why `s` is not a fingerprint, or `None` if it is one (`sha256:` + 16 lower-case hex digits).
pub fn problem(s: &str) -> Option<String> {
    let ok = s.strip_prefix(PREFIX).is_some_and(|hex| {
        hex.len() == HEX_DIGITS && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    });
    (!ok).then(|| {
        "a source-hash is written by handbok: run `handbok translate done LANG ID` to record the \
         current source, or remove the line"
            .to_string()
    })
}

/// Collapses every run of whitespace to one space and trims the ends: re-wrapping a line does
/// not change the text.
pub fn normalize(text: &str) -> String {
    let mut out = String::new();
    normalize_into(text, &mut out);
    out
}

/// Appends `text` normalized (see [`normalize`]) to `out`.
pub fn normalize_into(text: &str, out: &mut String) {
    if !text.is_ascii() {
        for (i, word) in text.split_whitespace().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
        return;
    }
    // Every block of every module is normalized. Most of its whitespace is already a single
    // space between words, so the text is copied in the runs between the places that change
    // (line breaks, runs of spaces): copied a byte at a time it was 3 % of `check`, word by
    // word 4 %.
    let bytes = text.as_bytes();
    let Some(first) = bytes.iter().position(|&b| !is_space(b)) else {
        return;
    };
    let end = bytes
        .iter()
        .rposition(|&b| !is_space(b))
        .map_or(first, |i| i + 1);
    let mut run = first;
    let mut i = first;
    // `bytes[end - 1]` is no space, so every run of spaces met here ends before `end`.
    while i < end {
        if !is_space(bytes[i]) || (bytes[i] == b' ' && !is_space(bytes[i + 1])) {
            i += 1;
            continue;
        }
        out.push_str(&text[run..i]);
        out.push(' ');
        while is_space(bytes[i]) {
            i += 1;
        }
        run = i;
    }
    out.push_str(&text[run..end]);
}

/// Normalizes `text` where it is (see [`normalize`]): no new string when it is normal already.
pub fn normalize_in_place(text: &mut String) {
    let bytes = text.as_bytes();
    let normal = bytes.first().is_none_or(|&b| !is_space(b))
        && bytes.last().is_none_or(|&b| !is_space(b))
        && bytes
            .windows(2)
            .all(|pair| !is_space(pair[1]) || (pair[1] == b' ' && !is_space(pair[0])))
        && (text.is_ascii() || !text.chars().any(|c| !c.is_ascii() && c.is_whitespace()));
    if !normal {
        *text = normalize(text);
    }
}

/// The ASCII characters `char::is_whitespace` takes, vertical tab included.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// The blocks of a Markdown body, in document order, with byte ranges into `body`.
///
/// A block is a run of inline content (text, code spans, links, emphasis, breaks) directly
/// inside one container: a heading, a paragraph, a tight list item, a table cell. Its kind is
/// that of the innermost container, a paragraph in a blockquote being a [`BlockKind::Quote`]
/// and one in a list item an [`BlockKind::Item`].
pub fn blocks(body: &str) -> Vec<Block> {
    let mut scan = BlockScan::new(body);
    for (event, range) in new_cmark_parser(body, &MarkdownOptions::default()).into_offset_iter() {
        scan.event(&event, range);
    }
    scan.fed();
    scan.finish()
}

/// [`blocks`], fed with the events of a parse of the body made for something else (`check`'s
/// scan, see `markdown::scan_with`), so the body is parsed once. Fed nothing, it parses the
/// body itself when finished: the result is [`blocks`]'s either way.
pub struct BlockScan<'a> {
    body: &'a str,
    out: Vec<Block>,
    /// Open containers, innermost last.
    stack: Vec<BlockKind>,
    quote_depth: usize,
    /// The inline run under way: its kind and range.
    run: Option<Block>,
    image: Option<usize>,
    /// Whether it was given all the body's events (see [`BlockScan::event`]).
    fed: bool,
}

impl<'a> BlockScan<'a> {
    pub fn new(body: &'a str) -> BlockScan<'a> {
        BlockScan {
            body,
            out: Vec::new(),
            stack: Vec::new(),
            quote_depth: 0,
            run: None,
            image: None,
            fed: false,
        }
    }

    /// Takes the next event of the body, parsed by `mdbook_markdown::new_cmark_parser` with
    /// the default options, and its range in the body. The caller gives every event, in order,
    /// then calls [`BlockScan::fed`].
    pub fn event(&mut self, event: &Event, range: Range<usize>) {
        match event {
            Event::Start(tag) if is_inline(tag) => {
                if let Tag::Image { .. } = tag {
                    self.image = Some(range.start);
                }
                self.extend(range);
            }
            Event::End(end) if is_inline_end(*end) => {
                if *end == TagEnd::Image
                    && let Some(start) = self.image.take()
                    && let Some(alt) = alt_range(self.body, start..range.end)
                {
                    self.out.push(Block {
                        kind: BlockKind::Alt,
                        range: alt,
                    });
                }
                self.extend(range);
            }
            Event::Text(_)
            | Event::Code(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::FootnoteReference(_) => self.extend(range),
            Event::Start(tag) => {
                self.flush();
                match tag {
                    Tag::BlockQuote(_) => self.quote_depth += 1,
                    Tag::CodeBlock(_) => self.out.push(Block {
                        kind: BlockKind::Code,
                        range: range.clone(),
                    }),
                    Tag::HtmlBlock => self.out.push(Block {
                        kind: BlockKind::Html,
                        range: range.clone(),
                    }),
                    _ => {}
                }
                self.stack.push(container_kind(tag));
            }
            Event::End(end) => {
                self.flush();
                if matches!(end, TagEnd::BlockQuote(_)) {
                    self.quote_depth = self.quote_depth.saturating_sub(1);
                }
                self.stack.pop();
            }
            Event::Html(_) | Event::DisplayMath(_) | Event::Rule | Event::TaskListMarker(_) => {
                self.flush()
            }
        }
    }

    /// Says the body's events were all given.
    pub fn fed(&mut self) {
        self.fed = true;
    }

    /// The blocks, as [`blocks`] finds them.
    pub fn finish(mut self) -> Vec<Block> {
        if !self.fed {
            return blocks(self.body);
        }
        self.flush();
        self.out
            .sort_by_key(|b| (b.range.start, b.kind == BlockKind::Alt));
        self.out
    }

    fn flush(&mut self) {
        if let Some(block) = self.run.take()
            && !self.body[block.range.clone()].trim().is_empty()
        {
            self.out.push(block);
        }
    }

    fn extend(&mut self, range: Range<usize>) {
        extend(&mut self.run, &self.stack, self.quote_depth, range);
    }
}

/// Adds an inline event's range to the run under way, or starts one in the innermost container.
fn extend(run: &mut Option<Block>, stack: &[BlockKind], quote_depth: usize, range: Range<usize>) {
    match run {
        Some(block) => {
            block.range.start = block.range.start.min(range.start);
            block.range.end = block.range.end.max(range.end);
        }
        None => {
            // Inline content that sits in no container of its own (HTML, code) is no block.
            let kind = match stack.last() {
                Some(BlockKind::Paragraph) if stack.contains(&BlockKind::Item) => BlockKind::Item,
                Some(BlockKind::Paragraph) if quote_depth > 0 => BlockKind::Quote,
                Some(kind) if kind.counts() => *kind,
                _ => return,
            };
            *run = Some(Block { kind, range });
        }
    }
}

/// The kind of block a container's inline content forms; `Code` for containers whose content is
/// not a translatable block of its own (lists, tables, the quote itself).
fn container_kind(tag: &Tag) -> BlockKind {
    match tag {
        Tag::Heading { .. } => BlockKind::Heading,
        Tag::Paragraph => BlockKind::Paragraph,
        Tag::Item => BlockKind::Item,
        Tag::TableCell => BlockKind::Cell,
        Tag::FootnoteDefinition(_) | Tag::DefinitionListDefinition => BlockKind::Paragraph,
        Tag::DefinitionListTitle => BlockKind::Paragraph,
        Tag::HtmlBlock => BlockKind::Html,
        _ => BlockKind::Code,
    }
}

fn is_inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// The alt text inside `![alt](src)`: from after `![` to its matching `]`.
fn alt_range(body: &str, image: Range<usize>) -> Option<Range<usize>> {
    let text = &body[image.clone()];
    let inner = text.strip_prefix("![")?;
    let mut depth = 0usize;
    for (i, c) in inner.char_indices() {
        match c {
            '[' => depth += 1,
            ']' if depth == 0 => {
                let start = image.start + 2;
                return (i > 0).then_some(start..start + i);
            }
            ']' => depth -= 1,
            '\\' => {}
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizing_collapses_what_split_whitespace_splits() {
        for text in [
            "",
            "   ",
            "one",
            "  two  words ",
            "a\tb\nc\r\nd\x0be\x0cf",
            "non\u{a0}breaking and\u{2003}em\u{85}next",
            "é  ü\n中",
        ] {
            normalized_three_ways(text);
        }
    }

    /// `text` normalized, appended after what is there (which stays as it is) and in place, is
    /// what `split_whitespace` makes of it.
    fn normalized_three_ways(text: &str) {
        let want = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(normalize(text), want, "{text:?}");
        let mut out = String::from("ä ");
        normalize_into(text, &mut out);
        assert_eq!(out, format!("ä {want}"), "{text:?}");
        let mut there = text.to_string();
        normalize_in_place(&mut there);
        assert_eq!(there, want, "{text:?}");
    }

    /// Every text of up to six characters of words, spaces, line breaks and tabs, normalized
    /// the three ways, is what `split_whitespace` makes of it.
    #[test]
    fn normalizing_every_short_mix_of_spaces() {
        let alphabet = ['a', 'b', ' ', '\n', '\t', '\r'];
        let mut texts = vec![String::new()];
        for _ in 0..6 {
            let longer: Vec<String> = texts
                .iter()
                .filter(|t| t.len() == texts.last().map_or(0, String::len))
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
        }
        assert_eq!(texts.len(), (0..=6).map(|n| 6usize.pow(n)).sum::<usize>());
        for text in &texts {
            normalized_three_ways(text);
        }
    }

    fn kinds(body: &str) -> Vec<(&'static str, String)> {
        blocks(body)
            .into_iter()
            .map(|b| (b.kind.name(), body[b.range].to_string()))
            .collect()
    }

    #[test]
    fn splits_a_body_into_blocks() {
        let body = "# Head {#h}\n\nA *para*\nwrapped.\n\n- one\n- two\n  - nested\n\n> quoted\n\n| a | b |\n|---|---|\n| c | d |\n\n```\ncode\n```\n\n![Alt text](x.png)\n";
        assert_eq!(
            kinds(body),
            [
                ("heading", "Head".to_string()),
                ("paragraph", "A *para*\nwrapped.".into()),
                ("item", "one".into()),
                ("item", "two".into()),
                ("item", "nested".into()),
                ("quote", "quoted".into()),
                ("cell", "a".into()),
                ("cell", "b".into()),
                ("cell", "c".into()),
                ("cell", "d".into()),
                ("code", "```\ncode\n```".into()),
                ("paragraph", "![Alt text](x.png)".into()),
                ("alt", "Alt text".into()),
            ]
        );
    }

    #[test]
    fn loose_items_quotes_and_html_blocks() {
        let body = "- first\n\n  more of it\n\n- second\n\n> 1. listed\n>\n> said\n\n<div>\nRaw words\n</div>\n";
        assert_eq!(
            kinds(body),
            [
                ("item", "first".to_string()),
                ("item", "more of it".into()),
                ("item", "second".into()),
                ("item", "listed".into()),
                ("quote", "said".into()),
                ("html", "<div>\nRaw words\n</div>\n".into()),
            ]
        );
    }

    fn module(front: &str, body: &str) -> String {
        format!("---\ntitle: T\nsummary: S\n{front}---\n{body}")
    }

    #[test]
    fn fingerprint_ignores_metadata_wrapping_and_code() {
        let base = of_file(&module("levels: [primary]\n", "Some words here.\n")).unwrap();
        assert!(problem(&base).is_none(), "{base}");
        let metadata = module(
            "levels: [bachelor]\nupdated: 2026-01-01\n",
            "Some words here.\n",
        );
        assert_eq!(of_file(&metadata).unwrap(), base);
        let wrapped = module("levels: [primary]\n", "Some words\n   here.\n");
        assert_eq!(of_file(&wrapped).unwrap(), base);
        let code = |c: &str| of_file(&module("", &format!("P.\n\n```\n{c}\n```\n"))).unwrap();
        assert_eq!(code("a"), code("b"));
        let pieces = Content::from_file(&wrapped).unwrap().pieces();
        let before = Content::from_file(&module("", "Some words here.\n"))
            .unwrap()
            .pieces();
        assert_eq!(pieces[2].fingerprint(), before[2].fingerprint());
        assert_ne!(pieces[2].fingerprint(), pieces[1].fingerprint());
        let edited = module("levels: [primary]\n", "Some other words here.\n");
        assert_ne!(of_file(&edited).unwrap(), base);
        let keywords = module("keywords: [x]\n", "Some words here.\n");
        assert_ne!(of_file(&keywords).unwrap(), base);
    }

    #[test]
    fn well_formed_fingerprints() {
        assert!(problem("sha256:0123456789abcdef").is_none());
        for bad in [
            "not a hash at all!",
            "sha256:0123",
            "sha256:0123456789ABCDEF",
            "0123456789abcdef",
        ] {
            assert!(problem(bad).is_some(), "{bad}");
        }
    }
}
