//! A module file → its translation units: the blocks of [`crate::translate::fingerprint`]
//! (the one splitter) as PO entries see them, each with a context that survives edits, its
//! line, its normalized text, and where it sits in the file (for writing a translation back).
//!
//! Which blocks are units: title, summary and keywords from the front matter, then every body
//! block except code. An image's alt text is a unit of its own when the image stands alone in
//! its paragraph (the paragraph is then no unit); an image inside running text is translated
//! with its paragraph, alt text included, so no two units overlap.
//!
//! The context (`msgctxt`) rule, stable when any block's text is edited:
//! `ID/title`, `ID/summary`, `ID/keywords`; a heading is `ID#SECTION`, where SECTION is its
//! `{#id}` or else `hN` (the Nth heading); any other block is `ID#SECTION/KINDn`, the nth
//! block of that kind since the heading before it (SECTION `top` before the first heading).
//! Adding or removing a block renumbers only the blocks of its kind in its own section.
//! Nothing here touches the disk.

use crate::load::frontmatter;
use crate::translate::fingerprint::{self, BlockKind, Content, Piece};
use std::ops::Range;

/// One translatable unit of a module file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub kind: BlockKind,
    pub context: String,
    /// 1-based line in the file.
    pub line: usize,
    /// Whitespace-normalized (keywords joined with `, `): the msgid or msgstr.
    pub text: String,
    /// For body units, the block's bytes in the file; for front-matter units, the key's lines
    /// (empty at the closing fence when the key is absent).
    pub range: Range<usize>,
}

impl Unit {
    /// The unit's fingerprint (the block fingerprint of `translate::fingerprint`).
    pub fn fingerprint(&self) -> String {
        Piece {
            kind: self.kind,
            text: self.text.clone(),
        }
        .fingerprint()
    }
}

/// The units of a module file (`id` is the source module's id), or `None` without readable
/// front matter.
pub fn units(text: &str, id: &str) -> Option<Vec<Unit>> {
    let content = Content::from_file(text)?;
    let split = frontmatter::split(text).ok()?;
    let mut out = Vec::new();
    for (kind, value) in [
        (BlockKind::Title, fingerprint::normalize(&content.title)),
        (BlockKind::Summary, fingerprint::normalize(&content.summary)),
        (
            BlockKind::Keywords,
            content
                .keywords
                .iter()
                .map(|k| fingerprint::normalize(k))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ] {
        let range = key_lines(text, split.yaml.clone(), kind.name())
            .unwrap_or(split.yaml.end..split.yaml.end);
        out.push(Unit {
            kind,
            context: format!("{id}/{}", kind.name()),
            line: line_of(text, range.start),
            text: value,
            range,
        });
    }
    let body_start = split.body.start;
    let body = &text[split.body];
    let blocks = fingerprint::blocks(body);
    let mut section = "top".to_string();
    let mut headings = 0;
    let mut counts: Vec<(BlockKind, usize)> = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let kind = block.kind;
        if kind == BlockKind::Code
            || (kind == BlockKind::Alt && !alone(body, blocks.get(i.wrapping_sub(1)), block))
            || (kind == BlockKind::Paragraph
                && blocks.get(i + 1).is_some_and(|next| {
                    next.kind == BlockKind::Alt && alone(body, Some(block), next)
                }))
        {
            continue;
        }
        let context = if kind == BlockKind::Heading {
            headings += 1;
            section = heading_id(body, block.range.end).unwrap_or(format!("h{headings}"));
            counts.clear();
            format!("{id}#{section}")
        } else {
            let n = match counts.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    counts.push((kind, 1));
                    1
                }
            };
            format!("{id}#{section}/{}{n}", kind.name())
        };
        let range = body_start + block.range.start..body_start + block.range.end;
        out.push(Unit {
            kind,
            context,
            line: line_of(text, range.start),
            text: block_text(&text[range.clone()]),
            range,
        });
    }
    // Contexts must be unique in a PO file; a repeated heading id gets a suffix.
    for i in 1..out.len() {
        let mut n = 1;
        let base = out[i].context.clone();
        while out[..i].iter().any(|u| u.context == out[i].context) {
            n += 1;
            out[i].context = format!("{base}~{n}");
        }
    }
    Some(out)
}

/// Whether the units of two files line up block for block (same kinds in the same order):
/// then a translation's units pair with the source's by position.
pub fn same_structure(a: &[Unit], b: &[Unit]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.kind == y.kind)
}

/// Which unit of a translation (`ours`) holds the text of each source unit, by index.
///
/// Title, summary and keywords always pair. Body units pair by position when the translation
/// lines up with the source; when it does not but lines up with `old`, the source version it
/// was made from, they pair through [`align`] (a block added to the source since then has no
/// partner). Otherwise body units have none.
pub fn pair(src: &[Unit], ours: &[Unit], old: Option<&[Unit]>) -> Vec<Option<usize>> {
    if same_structure(src, ours) {
        return (0..src.len()).map(Some).collect();
    }
    match old.filter(|old| same_structure(old, ours)) {
        Some(old) => align(src, old),
        None => (0..src.len()).map(|i| (i < 3).then_some(i)).collect(),
    }
}

/// For each unit of the current source, the unit of an earlier version it came from: the
/// front matter by kind; a body unit first by equal text (the same context preferred), then,
/// for an edited block, by equal context. Each earlier unit is used once, so a block inserted
/// before others does not take their place.
pub fn align(src: &[Unit], old: &[Unit]) -> Vec<Option<usize>> {
    let mut used = vec![false; old.len()];
    let mut out: Vec<Option<usize>> = (0..src.len())
        .map(|i| (i < 3 && i < old.len()).then_some(i))
        .collect();
    for u in used.iter_mut().take(3) {
        *u = true;
    }
    let same = |o: &Unit, u: &Unit| o.kind == u.kind && o.text == u.text;
    for i in 3..src.len() {
        let found = (3..old.len())
            .find(|&j| !used[j] && same(&old[j], &src[i]) && old[j].context == src[i].context)
            .or_else(|| (3..old.len()).find(|&j| !used[j] && same(&old[j], &src[i])));
        if let Some(j) = found {
            used[j] = true;
            out[i] = Some(j);
        }
    }
    for i in 3..src.len() {
        if out[i].is_some() {
            continue;
        }
        let found = (3..old.len())
            .find(|&j| !used[j] && old[j].kind == src[i].kind && old[j].context == src[i].context);
        if let Some(j) = found {
            used[j] = true;
            out[i] = Some(j);
        }
    }
    out
}

/// A block's text as an entry shows it: whitespace normalized, and without the `>` markers
/// that begin its continuation lines inside a blockquote (a line of a paragraph cannot begin
/// with `>` otherwise: that would start a quote).
fn block_text(raw: &str) -> String {
    let mut lines = raw.lines();
    let first = lines.next().unwrap_or_default().to_string();
    let rest = lines.map(|l| l.trim_start().trim_start_matches(['>', ' ', '\t']));
    fingerprint::normalize(
        &std::iter::once(first.as_str())
            .chain(rest)
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// Whether `alt` is the alt text of an image that is all of `paragraph`.
fn alone(body: &str, paragraph: Option<&fingerprint::Block>, alt: &fingerprint::Block) -> bool {
    let Some(p) = paragraph else { return false };
    let text = &body[p.range.clone()];
    p.kind == BlockKind::Paragraph
        && p.range.start + 2 == alt.range.start
        && text.ends_with(')')
        && !text[2..].contains("![")
        && !body[alt.range.end..p.range.end].contains(char::is_whitespace)
}

/// The `{#id}` written after a heading's text on its line.
fn heading_id(body: &str, end: usize) -> Option<String> {
    let rest = body[end..].lines().next()?.trim();
    let inner = rest.strip_prefix('{')?.strip_suffix('}')?;
    inner
        .split_whitespace()
        .find_map(|t| t.strip_prefix('#'))
        .filter(|id| !id.is_empty())
        .map(str::to_string)
}

/// The lines of a top-level YAML key (`key:` and the indented or `- ` lines after it).
pub fn key_lines(text: &str, yaml: Range<usize>, key: &str) -> Option<Range<usize>> {
    let mut offset = yaml.start;
    let mut found: Option<Range<usize>> = None;
    for line in text[yaml.clone()].split_inclusive('\n') {
        let end = offset + line.len();
        match &mut found {
            None => {
                if line
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.starts_with(':'))
                {
                    found = Some(offset..end);
                }
            }
            Some(range) => {
                let continues = line.starts_with([' ', '\t']) || line.starts_with("- ");
                if !continues {
                    break;
                }
                range.end = end;
            }
        }
        offset = end;
    }
    found
}

/// The 1-based line of byte `offset`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inserted_block_does_not_take_the_place_of_the_next() {
        let file = |body: &str| format!("---\ntitle: T\nsummary: S\n---\n{body}");
        let old = units(&file("One.\n\nTwo.\n\nThree.\n"), "m").unwrap();
        let new = units(&file("One.\n\nNew.\n\nTwo.\n\nThree, edited.\n"), "m").unwrap();
        let got = align(&new, &old);
        assert_eq!(got[3..], [Some(3), None, Some(4), None]);
        let edited = units(&file("One.\n\nTwo, edited.\n\nThree.\n"), "m").unwrap();
        assert_eq!(align(&edited, &old)[3..], [Some(3), Some(4), Some(5)]);
    }

    #[test]
    fn quote_markers_are_not_text() {
        let file = "---\ntitle: T\nsummary: S\n---\n> One\n> two.\n";
        assert_eq!(units(file, "m").unwrap()[3].text, "One two.");
    }

    const FILE: &str = "---\nid: m\ntitle: T\nsummary: >-\n  S one\n  two\nlevels: [x]\n---\n\nIntro.\n\n## Part {#part}\n\nA *b*.\n\n- i\n- j\n\n```\ncode\n```\n\n![Alt](a.png)\n\nSee ![x](y.png) here.\n\n## Other\n\nC.\n";

    #[test]
    fn units_with_stable_contexts() {
        let got: Vec<(String, String, usize)> = units(FILE, "m")
            .unwrap()
            .into_iter()
            .map(|u| (u.context, u.text, u.line))
            .collect();
        let want = [
            ("m/title", "T", 3),
            ("m/summary", "S one two", 4),
            ("m/keywords", "", 8),
            ("m#top/paragraph1", "Intro.", 10),
            ("m#part", "Part", 12),
            ("m#part/paragraph1", "A *b*.", 14),
            ("m#part/item1", "i", 16),
            ("m#part/item2", "j", 17),
            ("m#part/alt1", "Alt", 23),
            ("m#part/paragraph2", "See ![x](y.png) here.", 25),
            ("m#h2", "Other", 27),
            ("m#h2/paragraph1", "C.", 29),
        ];
        let want: Vec<(String, String, usize)> = want
            .iter()
            .map(|(c, t, l)| (c.to_string(), t.to_string(), *l))
            .collect();
        assert_eq!(got, want);
        let edited = FILE.replace("Intro.", "A longer\nintroduction.");
        let contexts = |t: &str| -> Vec<String> {
            units(t, "m")
                .unwrap()
                .into_iter()
                .map(|u| u.context)
                .collect()
        };
        assert_eq!(contexts(&edited), contexts(FILE));
    }

    #[test]
    fn key_lines_cover_continuations() {
        let split = frontmatter::split(FILE).unwrap();
        let r = key_lines(FILE, split.yaml.clone(), "summary").unwrap();
        assert_eq!(&FILE[r], "summary: >-\n  S one\n  two\n");
        assert!(key_lines(FILE, split.yaml, "keywords").is_none());
    }
}
