//! Characters no content may hold (E036): control characters other than tab, line feed and a
//! carriage return that ends a line, and Unicode noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF,
//! …). In: a file's text and, for YAML and `book.toml`, its decoded values. Out: one diagnostic
//! per offending line or value, at the character itself.
//!
//! Why: such characters are invisible in editors, make the Atom feed and the sitemap ill-formed
//! (XML 1.0 forbids them), reach readers' pages as garbage, and U+001A is handbok's own
//! placeholder mark. YAML's double-quoted escapes (`"\x01"`) decode to them although the file
//! text has none, so decoded values are checked too, pointing at the escape.

use crate::diag::{Code, Diagnostic};
use crate::load::yaml::{Locator, Yaml};
use crate::source::{FileId, Span};
use std::borrow::Cow;

/// Whether `c` may not appear in content. `next` is the character after it: a carriage return
/// is fine as part of a CRLF line ending.
pub fn is_forbidden(c: char, next: Option<char>) -> bool {
    match c {
        '\t' | '\n' => false,
        '\r' => next != Some('\n'),
        c if c.is_control() => true,
        c => is_noncharacter(c),
    }
}

/// The 66 code points Unicode reserves as never to be interchanged.
fn is_noncharacter(c: char) -> bool {
    let n = c as u32;
    (0xFDD0..=0xFDEF).contains(&n) || n & 0xFFFE == 0xFFFE
}

/// `U+0001`, and what kind of character it is, for messages.
fn describe(c: char) -> String {
    let kind = if c.is_control() {
        "control character"
    } else {
        "noncharacter"
    };
    format!("{kind} U+{:04X}", c as u32)
}

const HELP: &str = "delete it (most editors do not show it): content may hold tabs and line breaks, \
but no other control characters or noncharacters";

/// The forbidden characters of `text` with their byte offsets.
fn forbidden(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    text.char_indices()
        .filter(|&(at, c)| is_forbidden(c, text[at + c.len_utf8()..].chars().next()))
}

/// Whether `text` holds no forbidden character.
pub fn is_clean(text: &str) -> bool {
    !may_hold_forbidden(text) || forbidden(text).next().is_none()
}

/// A fast byte test of whether `text` holds a forbidden character, so that only text that
/// does is read by char: C0 controls and DEL, a CR not before LF, C1 controls (0xC2 then
/// 0x80–0x9F), U+FDD0–U+FDEF (EF B7 90–AF) and the noncharacters ending in FFFE or FFFF of
/// every plane (EF BF BE–BF, or four bytes whose code point's low 16 bits are all ones).
/// Testing the lead byte alone sent most French and Spanish text (« », ¿ ¡, non-breaking
/// spaces all start with 0xC2) to the slow path: 5 % of `check` on 5,000 modules × 4.
fn may_hold_forbidden(text: &str) -> bool {
    // Blocks of bytes that cannot start a forbidden character are passed over whole, a test
    // the compiler runs on many bytes at once (byte by byte it was 8 % of `check`); only a
    // block with a control, 0xC2, 0xEF or a four-byte lead in it is read byte by byte.
    const BLOCK: usize = 32;
    let bytes = text.as_bytes();
    let plain = |b: u8| {
        ((b >= 0x20) & (b != 0x7F) & (b != 0xC2) & (b != 0xEF) & (b < 0xF0))
            | (b == b'\n')
            | (b == b'\t')
    };
    let blocks = bytes.len() / BLOCK * BLOCK;
    (0..blocks).step_by(BLOCK).any(|start| {
        let block = &bytes[start..start + BLOCK];
        !block.iter().fold(true, |all, &b| all & plain(b))
            && (start..start + BLOCK).any(|i| starts_forbidden(bytes, i))
    }) || (blocks..bytes.len()).any(|i| starts_forbidden(bytes, i))
}

/// Whether a forbidden character starts at byte `i` (see [`may_hold_forbidden`]).
fn starts_forbidden(bytes: &[u8], i: usize) -> bool {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    match bytes[i] {
        b'\t' | b'\n' => false,
        b'\r' => at(i + 1) != b'\n',
        0x00..=0x1F | 0x7F => true,
        0xC2 => (0x80..=0x9F).contains(&at(i + 1)),
        0xEF => {
            (at(i + 1) == 0xB7 && (0x90..=0xAF).contains(&at(i + 2)))
                || (at(i + 1) == 0xBF && at(i + 2) >= 0xBE)
        }
        0xF0..=0xF4 => at(i + 1) & 0x0F == 0x0F && at(i + 2) == 0xBF && at(i + 3) >= 0xBE,
        _ => false,
    }
}

/// `text` with each forbidden character replaced by spaces of the same byte length, for the
/// YAML parser: it would reject the whole front matter for one stray character (and lose the
/// module), while [`scan`] reports the character itself. Offsets stay those of `text`.
pub fn blank(text: &str) -> Cow<'_, str> {
    if is_clean(text) {
        return Cow::Borrowed(text);
    }
    let mut out = text.to_string();
    let found: Vec<(usize, char)> = forbidden(text).collect();
    for (at, c) in found {
        out.replace_range(at..at + c.len_utf8(), &" ".repeat(c.len_utf8()));
    }
    Cow::Owned(out)
}

fn first_forbidden(text: &str) -> Option<(usize, char)> {
    forbidden(text).next()
}

/// Lines of one file reported one by one; a binary file pasted into `guidelines/` says so in a
/// few diagnostics, not in thousands.
const LINES_PER_FILE: usize = 10;

/// Reports each line of `text` that holds a forbidden character, at its first one (the first
/// [`LINES_PER_FILE`] such lines; the last one reported counts the rest).
pub fn scan(file: FileId, text: &str, out: &mut Vec<Diagnostic>) {
    if !may_hold_forbidden(text) {
        return;
    }
    let mut start = 0;
    let mut reported: Vec<Diagnostic> = Vec::new();
    let mut unreported = 0;
    for line in text.split_inclusive('\n') {
        let mut found = forbidden(line);
        if let Some((at, c)) = found.next() {
            if reported.len() == LINES_PER_FILE {
                unreported += 1;
                start += line.len();
                continue;
            }
            let message = match found.count() {
                0 => format!("the text holds a {}", describe(c)),
                n => format!("the text holds a {} and {n} more on this line", describe(c)),
            };
            let at = start + at;
            reported.push(
                Diagnostic::new(Code::ForbiddenCharacter, message)
                    .at(file, at..at + c.len_utf8())
                    .label("here")
                    .help(HELP),
            );
        }
        start += line.len();
    }
    if let Some(last) = reported.last_mut().filter(|_| unreported > 0) {
        last.message.push_str(&format!(
            " ({unreported} more lines of this file hold such characters)"
        ));
    }
    out.append(&mut reported);
}

/// Reports decoded YAML string values that hold a forbidden character written as an
/// escape (`"\x01"`, `"\u0000"`). Raw ones are left to [`scan`]. `yaml_text` is the YAML source,
/// starting at byte `base` of the file.
pub fn scan_yaml(
    file: FileId,
    yaml: &Yaml,
    yaml_text: &str,
    base: usize,
    out: &mut Vec<Diagnostic>,
) {
    let locator = Locator::new(yaml_text);
    let mut path = Vec::new();
    let mut reported = Vec::new();
    walk(yaml, &mut path, &mut |path, value| {
        let Some((_, c)) = first_forbidden(value) else {
            return;
        };
        // The entry of the deepest part of the path that can be found in the text.
        let span = (1..=path.len())
            .rev()
            .find_map(|n| locator.entry(&path[..n]))
            .unwrap_or(0..yaml_text.len());
        let (at, len) = match escape_in(&yaml_text[span.clone()]) {
            Some(Found::Raw) => return,
            Some(Found::Escape(at, len)) => (span.start + at, len),
            None => (span.start, span.len()),
        };
        // Two items of one list with escapes find the same first escape: report it once.
        if reported.contains(&at) {
            return;
        }
        reported.push(at);
        let field = path.join(".");
        out.push(
            Diagnostic::new(
                Code::ForbiddenCharacter,
                format!("`{field}` holds a {}", describe(c)),
            )
            .at(file, base + at..base + at + len)
            .label("this escape")
            .help(HELP),
        );
    });
}

/// Reports `book.toml` strings that hold a forbidden character written as a TOML escape
/// (`"\u0001"`): the book and handbook titles and the subject labels are on every page and in
/// every feed. Raw ones are already TOML syntax errors (E021). Reads the file's own spans
/// (toml's `DeTable`); a file that does not parse was reported by the config reader.
pub fn scan_toml(file: FileId, text: &str, out: &mut Vec<Diagnostic>) {
    use toml::de::{DeTable, DeValue};
    /// Strings with a forbidden character: the value's span and its first such character.
    fn walk_toml(value: &DeValue, span: Span, found: &mut Vec<(Span, char)>) {
        match value {
            DeValue::String(s) => {
                if let Some((_, c)) = first_forbidden(s) {
                    found.push((span, c));
                }
            }
            DeValue::Array(items) => {
                for item in items {
                    walk_toml(item.get_ref(), item.span(), found);
                }
            }
            DeValue::Table(table) => {
                for value in table.values() {
                    walk_toml(value.get_ref(), value.span(), found);
                }
            }
            _ => {}
        }
    }
    let Ok(table) = DeTable::parse(text) else {
        return;
    };
    let mut found = Vec::new();
    for value in table.get_ref().values() {
        walk_toml(value.get_ref(), value.span(), &mut found);
    }
    for (span, c) in found {
        let (at, len) = match escape_in(&text[span.clone()]) {
            Some(Found::Escape(at, len)) => (span.start + at, len),
            _ => (span.start, span.len()),
        };
        out.push(
            Diagnostic::new(
                Code::ForbiddenCharacter,
                format!("a `book.toml` value holds a {}", describe(c)),
            )
            .at(file, at..at + len)
            .label("this escape")
            .help(HELP),
        );
    }
}

/// Calls `visit` with the key path and text of every string value in `yaml`; list items share
/// their list's path. (Keys are not visited: a key with an escape is an unknown field anyway.)
fn walk<'a>(yaml: &'a Yaml, path: &mut Vec<&'a str>, visit: &mut impl FnMut(&[&str], &str)) {
    match yaml {
        Yaml::String(s) => visit(path, s),
        Yaml::List(items) => items.iter().for_each(|item| walk(item, path, visit)),
        Yaml::Map(entries) => {
            for (key, value) in entries {
                path.push(key);
                walk(value, path, visit);
                path.pop();
            }
        }
        Yaml::Null | Yaml::Bool(_) | Yaml::Number(_) => {}
    }
}

enum Found {
    /// The forbidden character is in the text itself ([`scan`] reports it).
    Raw,
    /// An escape that decodes to a forbidden character: offset and length in the text.
    Escape(usize, usize),
}

/// The first forbidden character in YAML source `text`, raw or as a double-quoted escape.
fn escape_in(text: &str) -> Option<Found> {
    if first_forbidden(text).is_some() {
        return Some(Found::Raw);
    }
    let mut rest = text;
    let mut offset = 0;
    while let Some(i) = rest.find('\\') {
        let after = &rest[i + 1..];
        let (decoded, len) = match after.chars().next() {
            Some('0') => (Some('\0'), 2),
            Some('a') => (Some('\x07'), 2),
            Some('b') => (Some('\x08'), 2),
            Some('v') => (Some('\x0B'), 2),
            Some('f') => (Some('\x0C'), 2),
            Some('r') => (Some('\r'), 2),
            Some('e') => (Some('\x1B'), 2),
            Some('N') => (Some('\u{85}'), 2),
            Some(kind @ ('x' | 'u' | 'U')) => {
                let digits = match kind {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let decoded = after
                    .get(1..1 + digits)
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32);
                // Not a valid escape: YAML has already rejected it; step over `\x`.
                (decoded, if decoded.is_some() { 2 + digits } else { 2 })
            }
            Some(other) => (None, 1 + other.len_utf8()),
            None => (None, 1),
        };
        let next = after.get(len - 1..).and_then(|r| r.chars().next());
        // `\r\n` written as escapes is a line ending, like a raw CRLF.
        let next = if after.starts_with("r\\n") {
            Some('\n')
        } else {
            next
        };
        if decoded.is_some_and(|c| is_forbidden(c, next)) {
            return Some(Found::Escape(offset + i, len.min(rest.len() - i)));
        }
        let step = (i + len).min(rest.len());
        offset += step;
        rest = &rest[step..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(text: &str) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        scan(FileId(0), text, &mut out);
        out.into_iter()
            .map(|d| (d.primary.unwrap().span.start, d.message))
            .collect()
    }

    #[test]
    fn allows_tabs_and_line_endings() {
        assert!(places("a\tb\nc\r\nd\n").is_empty());
        assert!(places("é ü 中 \u{FEFF} \u{202E}").is_empty());
    }

    #[test]
    fn finds_controls_and_noncharacters_per_line() {
        let found = places("ok\nA \u{1}\u{B}\u{FFFE}\nlone\rcr\n\u{7F}\u{9F}\u{FDD0}\u{1FFFF}\n");
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].0, 5);
        assert!(found[0].1.contains("U+0001 and 2 more"), "{}", found[0].1);
        assert!(found[1].1.contains("U+000D"), "{}", found[1].1);
        assert!(found[2].1.contains("U+007F and 3 more"), "{}", found[2].1);
    }

    #[test]
    fn the_fast_test_never_misses() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for next in [None, Some('\n'), Some('a')] {
                let mut text = c.to_string();
                text.extend(next);
                // Exact: no character is missed, and none is read by char for nothing.
                assert_eq!(
                    may_hold_forbidden(&text),
                    is_forbidden(c, next),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
    }

    /// The same inside longer text: at the start, the end and across a block's edge, for
    /// every character whose bytes a block test could pass over wrongly and a sample of the
    /// rest.
    #[test]
    fn the_fast_test_never_misses_in_long_text() {
        let suspect = |c: char| {
            let lead = c.to_string().as_bytes()[0];
            matches!(lead, 0x00..=0x1F | 0x7F | 0xC2 | 0xEF) || (c as u32 & 0xFFFF) >= 0xFFF0
        };
        let chars = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| suspect(c) || (c as u32).is_multiple_of(97));
        for c in chars {
            for (before, after) in [(0, 40), (29, 40), (31, 1), (30, 0), (64, 0)] {
                for next in ["\n", "a"] {
                    let text = format!("{}{c}{next}{}", "a".repeat(before), "b".repeat(after));
                    let next = next.chars().next();
                    assert_eq!(
                        may_hold_forbidden(&text),
                        is_forbidden(c, next),
                        "U+{:04X} after {before}",
                        c as u32
                    );
                }
            }
        }
    }

    #[test]
    fn a_binary_file_gets_a_few_diagnostics() {
        let text = "\u{0}\n".repeat(1000);
        let found = places(&text);
        assert_eq!(found.len(), LINES_PER_FILE);
        assert!(
            found[9]
                .1
                .ends_with("(990 more lines of this file hold such characters)")
        );
    }

    #[test]
    fn blanking_keeps_offsets() {
        let text = "a: \"x\u{1}\u{FFFE}y\"\n";
        let blanked = blank(text);
        assert_eq!(blanked.len(), text.len());
        assert_eq!(blanked, "a: \"x    y\"\n");
        assert!(matches!(blank("clean"), Cow::Borrowed(_)));
    }

    #[test]
    fn finds_escapes_in_decoded_yaml() {
        let text =
            "title: \"A \\x01 b\"\nsummary: fine\nkeywords: [a, \"\\u0000\"]\nok: \"\\r\\n\\t\"\n";
        let yaml = crate::load::yaml::parse(text).unwrap();
        let mut out = Vec::new();
        scan_yaml(FileId(0), &yaml, text, 100, &mut out);
        let spans: Vec<&str> = out
            .iter()
            .map(|d| {
                let s = d.primary.as_ref().unwrap().span.clone();
                &text[s.start - 100..s.end - 100]
            })
            .collect();
        assert_eq!(spans, ["\\x01", "\\u0000"]);
        assert!(out[0].message.contains("`title`"));
        assert!(out[1].message.contains("`keywords`"));
    }

    /// Arbitrary mixes of quotes, escapes, multi-byte and forbidden characters never panic and
    /// every span lies on character boundaries.
    #[test]
    fn never_panics_on_odd_yaml() {
        let alphabet = [
            "a", " ", "\\", "x", "u", "U", "0", "1", "f", "\"", "'", ":", "\n", "\r", "\u{1}", "é",
            "中", "\u{FFFE}", "- ", "[", "]", "key: ", "  ",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..3000 {
            let mut text = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for k in 0..(seed % 40) {
                let pick = (seed.rotate_left(k as u32 * 5) % alphabet.len() as u64) as usize;
                text.push_str(alphabet[pick]);
            }
            let mut out = Vec::new();
            scan(FileId(0), &text, &mut out);
            if let Ok(yaml) = crate::load::yaml::parse(&blank(&text)) {
                scan_yaml(FileId(0), &yaml, &text, 0, &mut out);
            }
            for d in out {
                let span = d.primary.unwrap().span;
                assert!(text.get(span.clone()).is_some(), "{span:?} in {text:?}");
            }
        }
    }
}
