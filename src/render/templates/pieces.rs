//! Compiling a long template in pieces.
//!
//! handlebars (6.4) asks pest for the line and column of every element it parses, and pest
//! counts them from the start of the text each time (`Position::line_col`): compiling takes
//! time in the square of a template's length. The staged forms of the built-in pages are
//! 1–8 KB, and compiling them was 13 % of the sample build's instructions (callgrind: 118 of
//! 915 million), two thirds of that in `line_col`. In pieces: 54 million, 15 in `line_col`
//! (what is left is in blocks too long to cut).
//!
//! A template is a sequence of top-level parts (text, tags, blocks), so it can be cut between
//! two of them, each piece compiled alone and the elements put one after the other (a text
//! that ran over a cut joined again): the same template, lines counted from the whole's start.
//! The cuts are made only where nothing reaches across them: at the start of a line, outside
//! every block, tag and comment, with no `~` whitespace control on either side (`{{~` trims the
//! whitespace before it, across lines). A line break ends each piece, so a tag that stands
//! alone on its line is seen as standalone in the piece exactly as in the whole (handlebars
//! counts the start of a text as the start of a line). Each piece must compile: a piece cut
//! inside a block (had the scan below misread the text) has an unclosed block and doesn't, and
//! then the whole text is compiled as it is, errors and all.

use handlebars::TemplateError;
use handlebars::template::{Template, TemplateElement};

/// Pieces are at least this long: compiling each has a cost of its own.
const PIECE: usize = 256;

/// Compiles `text` as `Template::compile` does, in pieces where it is long.
pub fn compile(text: &str) -> Result<Template, TemplateError> {
    let pieces = pieces(text);
    if pieces.len() < 2 {
        return Template::compile(text);
    }
    let mut whole = Template::default();
    let mut lines = 0;
    for piece in pieces {
        let Ok(mut template) = Template::compile(piece) else {
            return Template::compile(text);
        };
        shift_lines(&mut template, lines);
        // A text that ran over the cut is one text again.
        let mut elements = template
            .elements
            .into_iter()
            .zip(template.mapping)
            .peekable();
        if let (Some(TemplateElement::RawString(before)), Some((TemplateElement::RawString(_), _))) =
            (whole.elements.last_mut(), elements.peek())
            && let Some((TemplateElement::RawString(text), _)) = elements.next()
        {
            before.push_str(&text);
        }
        for (element, mapping) in elements {
            whole.elements.push(element);
            whole.mapping.push(mapping);
        }
        lines += piece.bytes().filter(|&b| b == b'\n').count();
    }
    Ok(whole)
}

/// `text` cut at [`cuts`], into pieces of at least [`PIECE`] bytes.
fn pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for cut in cuts(text) {
        if cut - start >= PIECE && text.len() - cut >= PIECE {
            pieces.push(&text[start..cut]);
            start = cut;
        }
    }
    pieces.push(&text[start..]);
    pieces
}

/// The places `text` can be cut (see the module's comment), in order. None when a tag,
/// comment or raw block is not closed.
fn cuts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut cuts = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                i += 1;
                if depth == 0 && i < bytes.len() && !trims_across(text, i) {
                    cuts.push(i);
                }
            }
            // `\{{` is text; before two or more backslashes, `{{` is a tag again.
            b'\\' => {
                let run = bytes[i..].iter().take_while(|&&b| b == b'\\').count();
                i += run;
                if run == 1 && text[i..].starts_with("{{") {
                    i += if text[i..].starts_with("{{{{") { 4 } else { 2 };
                }
            }
            b'{' if text[i..].starts_with("{{") => {
                let Some((end, opens)) = tag(text, i) else {
                    return Vec::new();
                };
                depth = match opens {
                    Some(true) => depth + 1,
                    Some(false) => depth.saturating_sub(1),
                    None => depth,
                };
                i = end;
            }
            _ => i += 1,
        }
    }
    cuts
}

/// The tag (or comment, or raw block) that starts at `at`: where it ends, and whether it opens
/// a block (`Some(true)`), closes one (`Some(false)`) or neither. `None` when it doesn't end.
fn tag(text: &str, at: usize) -> Option<(usize, Option<bool>)> {
    let rest = &text[at..];
    let after = |close: &str, from: usize| {
        rest[from..]
            .find(close)
            .map(|e| at + from + e + close.len())
    };
    if rest.starts_with("{{!--") {
        return Some((after("--}}", 5)?, None));
    }
    if rest.starts_with("{{!") {
        return Some((after("}}", 3)?, None));
    }
    // `{{{{name}}}}raw text{{{{/name}}}}`: one part, whatever its text holds.
    if rest.starts_with("{{{{") {
        let start = after("}}}}", 4)?;
        let end = text[start..].find("{{{{/").map(|e| start + e)?;
        return Some((after("}}}}", end - at + 5)?, None));
    }
    let end = after("}}", 2)?;
    let inner = rest[2..].trim_start_matches(|c: char| c == '~' || c == '{' || c.is_whitespace());
    let opens = match inner.as_bytes().first() {
        Some(b'#') => Some(true),
        Some(b'/') => Some(false),
        _ => None,
    };
    Some((end, opens))
}

/// Whether `~` whitespace control reaches across a cut at `at`: a tag ending `~}}` before it
/// (whitespace between), or one starting `{{~` after it.
fn trims_across(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end().trim_end_matches('}').trim_end();
    let after = text[at..].trim_start();
    before.ends_with('~')
        || (after.starts_with("{{") && after.trim_start_matches('{').trim_start().starts_with('~'))
}

/// Adds `lines` to the line of every element of `template`, its blocks' included.
fn shift_lines(template: &mut Template, lines: usize) {
    if lines == 0 {
        return;
    }
    for mapping in &mut template.mapping {
        mapping.0 += lines;
    }
    for element in &mut template.elements {
        let inner: Vec<&mut Template> = match element {
            TemplateElement::HelperBlock(block) => block
                .template
                .iter_mut()
                .chain(block.inverse.iter_mut())
                .collect(),
            TemplateElement::DecoratorBlock(block) | TemplateElement::PartialBlock(block) => {
                block.template.iter_mut().collect()
            }
            _ => Vec::new(),
        };
        for template in inner {
            shift_lines(template, lines);
        }
    }
}

/// `template`'s top-level texts joined where they follow each other, empty ones dropped,
/// with their line and column mappings: the form in which a template compiled in pieces
/// equals the whole.
#[cfg(test)]
fn joined(template: Template) -> Template {
    let mut out = Template::default();
    for (element, mapping) in template.elements.into_iter().zip(template.mapping) {
        match (element, out.elements.last_mut()) {
            (TemplateElement::RawString(text), _) if text.is_empty() => {}
            (TemplateElement::RawString(text), Some(TemplateElement::RawString(before))) => {
                before.push_str(&text)
            }
            (element, _) => {
                out.elements.push(element);
                out.mapping.push(mapping);
            }
        }
    }
    out
}

/// Asserts that `text` compiled in pieces is `text` compiled whole (or fails alike); gives
/// the number of pieces.
#[cfg(test)]
pub(super) fn same_as_whole(text: &str) -> usize {
    let whole = Template::compile(text).map(joined);
    let cut = compile(text).map(joined);
    match (whole, cut) {
        (Ok(whole), Ok(cut)) => assert_eq!(cut, whole, "{text}"),
        (Err(whole), Err(cut)) => assert_eq!(cut.to_string(), whole.to_string()),
        (whole, cut) => panic!("{text}\nwhole: {whole:?}\nin pieces: {cut:?}"),
    }
    pieces(text).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Filler that makes pieces: lines of text and tags, long enough to cut between.
    fn filler(n: usize) -> String {
        format!("<p>{{{{title}}}} line {n}</p>\n").repeat(40)
    }

    #[test]
    fn every_theme_template_compiles_in_pieces_as_whole() {
        for (_, text) in super::super::BUILTIN {
            same_as_whole(text);
        }
        let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
        let files = walkdir::WalkDir::new(tests)
            .into_iter()
            .filter_entry(|e| e.file_name() != "node_modules")
            .flatten();
        for file in files {
            if file.path().extension().is_some_and(|e| e == "hbs") {
                same_as_whole(&std::fs::read_to_string(file.path()).expect("a readable template"));
            }
        }
    }

    #[test]
    fn long_templates_are_cut_and_compile_as_whole() {
        let a = filler(1);
        let b = filler(2);
        let long = format!("{a}{b}{a}");
        assert!(pieces(&long).len() >= 3, "{:?}", pieces(&long).len());
        same_as_whole(&long);
        for middle in [
            // Blocks, standalone and inline, with else and else-if chains.
            "{{#if x}}\n<p>x</p>\n{{else if y}}\n<p>y</p>\n{{else}}\n<p>z</p>\n{{/if}}\n",
            "  {{#each xs as |x|}}\n  <li>{{x}}</li>\n  {{/each}}\n",
            "{{#if a}}{{#unless b}}ab{{/unless}}{{/if}}\n",
            // Comments and raw blocks holding what would otherwise open or close a block.
            "{{!-- {{#if x}} }} --}}\nafter\n{{! {{/if }}\n",
            "{{{{raw}}}}\n{{#if x}}\n{{{{/raw}}}}\n",
            // Escaped tags are text; two backslashes make a tag again.
            "\\{{#if x}}\nliteral\n\\\\{{y}}\n",
            // Whitespace control across lines.
            "<p>a</p>\n\n  {{~x~}}\n\n<p>b</p>\n",
            "{{x~}}\n\n<p>c</p>\n",
            // Partials, standalone and indented, inline partials and partial blocks.
            "{{> item}}\n  {{> item}}\n{{#*inline \"nav\"}}\n<nav></nav>\n{{/inline}}\n",
            "{{#> layout}}\n<main></main>\n{{/layout}}\n",
            // Tags over several lines, triple-stash, CR LF.
            "{{t\n  \"key\"\n  n=1}}\n{{{html}}}\r\n{{&amp}}\r\n",
        ] {
            let text = format!("{a}{middle}{b}{middle}{a}");
            same_as_whole(&text);
            assert!(pieces(&text).len() >= 2, "{middle}");
        }
    }

    /// A block that runs over what would be a cut keeps the piece from being cut there; an
    /// unclosed one, or a syntax error, gives the whole text's own error.
    #[test]
    fn blocks_are_not_cut_and_errors_are_the_wholes() {
        let a = filler(1);
        let block = format!("{{{{#if x}}}}\n{a}{{{{/if}}}}\n");
        let text = format!("{a}{block}{a}");
        let cuts = cuts(&text);
        assert!(
            cuts.iter()
                .all(|&c| c <= a.len() || c >= a.len() + block.len())
        );
        same_as_whole(&text);
        for broken in [
            "{{#if x}}\n",
            "{{/if}}\n",
            "{{#if x}}\n{{/each}}\n",
            "{{x\n",
            "{{!-- x\n",
        ] {
            same_as_whole(&format!("{a}{broken}{a}"));
        }
    }
}
