//! One pass over a Markdown body with mdBook's parser: collects headings, links and images for
//! `link`, reports the content accessibility lint (heading structure, vague link text, alt text,
//! table headers), and renders the body to HTML.
//!
//! Each body is parsed exactly once. Where the HTML depends on the page it appears on (a link's
//! URL in the reader's language, the title of an empty `[](guide:x)` link, heading levels and ids
//! in a printable handbook), the HTML holds a placeholder `\x1A<kind><n>\x1A` that
//! `render::fill` replaces per page with a cheap string scan. `\x1A` never reaches the HTML from
//! the text itself: it is replaced by U+FFFD.

use crate::diag::{Code, Diagnostic};
use crate::model::{Body, Heading, Image, Link, LinkTarget};
use crate::source::{FileId, Span};
use mdbook_markdown::pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd, html};
use mdbook_markdown::{MarkdownOptions, new_cmark_parser};
use std::collections::HashMap;

/// Link texts that do not say where a link goes (WCAG 2.4.4), in the languages with built-in
/// interface text. Compared after lower-casing and trimming punctuation.
const VAGUE_LINK_TEXTS: &[&str] = &[
    // en
    "click here",
    "here",
    "read more",
    "more",
    "link",
    "this link",
    "this page",
    "click",
    // sv
    "klicka här",
    "här",
    "läs mer",
    "mer",
    "länk",
    "denna länk",
    // de
    "hier klicken",
    "klicken sie hier",
    "hier",
    "mehr",
    "weiterlesen",
    "mehr lesen",
    "link",
    "dieser link",
    // fr
    "cliquez ici",
    "cliquer ici",
    "ici",
    "lire la suite",
    "en savoir plus",
    "plus",
    "lien",
    "ce lien",
];

/// Marks the start and end of a placeholder in rendered HTML.
pub const MARK: char = '\x1A';

const IMAGE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp", "tif", "tiff",
];

/// Scans `text[span]` (a body at `span` in the file). Returns the body index and its lint.
pub fn scan(file: FileId, text: &str, span: Span) -> (Body, Vec<Diagnostic>) {
    let base = span.start;
    let source = &text[span.clone()];
    let mut body = Body {
        span,
        ..Body::default()
    };
    let mut problems = Vec::new();
    // Ids taken so far in this document (reserved ones from the start).
    let mut seen_ids: HashMap<String, usize> =
        RESERVED_IDS.iter().map(|id| (id.to_string(), 1)).collect();
    // The title is the page's level-1 heading.
    let mut previous_level = 1u8;

    // What is being collected: text of a heading, link, image or table head.
    enum Open {
        Heading {
            level: u8,
            id: Option<String>,
            classes: Vec<String>,
            start: usize,
            slot: usize,
        },
        Link {
            dest: String,
            start: usize,
            end: usize,
        },
        Image {
            dest: String,
            title: String,
            start: usize,
            end: usize,
        },
        TableHead {
            start: usize,
        },
    }
    let mut stack: Vec<(Open, String)> = Vec::new();
    let mut table_start = 0;
    // Footnote labels, numbered in order of first use, as mdBook numbers them.
    let mut footnotes: Vec<String> = Vec::new();
    let mut out: Vec<Event> = Vec::new();
    // Inside an image, the alt text's events are collected, not rendered.
    let mut image_depth = 0usize;

    let parser = new_cmark_parser(source, &MarkdownOptions::default()).into_offset_iter();
    for (event, range) in parser {
        let range = range.start + base..range.end + base;
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                out.push(Event::InlineHtml(CowStr::Borrowed("")));
                stack.push((
                    Open::Heading {
                        level: heading_number(level),
                        id: id.map(|i| i.to_string()),
                        classes: classes.iter().map(|c| c.to_string()).collect(),
                        start: range.start,
                        slot: out.len() - 1,
                    },
                    String::new(),
                ));
            }
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) => {
                let n = body.links.len()
                    + stack
                        .iter()
                        .filter(|(o, _)| matches!(o, Open::Link { .. }))
                        .count();
                out.push(Event::InlineHtml(
                    format!(
                        "<a href=\"{MARK}H{n}{MARK}\"{}{MARK}A{n}{MARK}>",
                        title_attr(&title)
                    )
                    .into(),
                ));
                stack.push((
                    Open::Link {
                        dest: dest_url.to_string(),
                        start: range.start,
                        end: range.end,
                    },
                    String::new(),
                ));
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                image_depth += 1;
                stack.push((
                    Open::Image {
                        dest: dest_url.to_string(),
                        title: title.to_string(),
                        start: range.start,
                        end: range.end,
                    },
                    String::new(),
                ));
            }
            Event::Start(Tag::Table(alignment)) => {
                table_start = range.start;
                // A wide table scrolls inside its wrapper rather than the page (reflow at
                // 320 px); the wrapper is focusable so keyboard users can scroll it.
                out.push(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-wrap\" tabindex=\"0\">",
                )));
                out.push(Event::Start(Tag::Table(alignment)));
            }
            Event::End(TagEnd::Table) => {
                out.push(Event::End(TagEnd::Table));
                out.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            Event::TaskListMarker(done) => {
                // A checkbox that cannot be used is a form control without purpose (and without
                // a label); a printed box says the same. Done items say so in words.
                out.push(Event::InlineHtml(CowStr::Borrowed(if done {
                    "<span class=\"task\" aria-hidden=\"true\">☑</span><span class=\"visually-hidden\">\x1AD\x1A</span> "
                } else {
                    "<span class=\"task\" aria-hidden=\"true\">☐</span> "
                })));
            }
            Event::Start(Tag::TableHead) => {
                stack.push((Open::TableHead { start: table_start }, String::new()));
                out.push(Event::Start(Tag::TableHead));
            }
            Event::Text(t) | Event::Code(t) if image_depth > 0 => {
                for (_, collected) in &mut stack {
                    collected.push_str(&t);
                }
            }
            Event::Text(t) => {
                for (_, collected) in &mut stack {
                    collected.push_str(&t);
                }
                body.text.push_str(&t);
                out.push(Event::Text(unmark(t)));
            }
            Event::Code(t) => {
                for (_, collected) in &mut stack {
                    collected.push_str(&t);
                }
                body.text.push_str(&t);
                out.push(Event::Code(unmark(t)));
            }
            Event::SoftBreak | Event::HardBreak => {
                for (_, collected) in &mut stack {
                    collected.push(' ');
                }
                body.text.push(' ');
                if image_depth == 0 {
                    out.push(event);
                }
            }
            // Footnote ids carry the heading-id prefix, so two modules on one printable page
            // keep theirs apart.
            Event::FootnoteReference(label) => {
                let n = footnote_number(&label, &mut footnotes);
                let id = escape(&label);
                out.push(Event::InlineHtml(
                    format!("<sup class=\"footnote-reference\"><a href=\"#{MARK}P{MARK}fn-{id}\">{n}</a></sup>").into(),
                ));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let n = footnote_number(&label, &mut footnotes);
                let id = escape(&label);
                out.push(Event::Html(
                    format!("<div class=\"footnote-definition\" id=\"{MARK}P{MARK}fn-{id}\"><sup class=\"footnote-definition-label\">{n}</sup>").into(),
                ));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                out.push(Event::Html(CowStr::Borrowed("</div>\n")))
            }
            Event::Html(raw) | Event::InlineHtml(raw) => {
                raw_html_lint(file, &raw, range.clone(), &mut problems);
                out.push(Event::Html(unmark(raw)));
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Link | TagEnd::Image | TagEnd::TableHead) => {
                let Some((open, collected)) = stack.pop() else {
                    continue;
                };
                let collected = collected.split_whitespace().collect::<Vec<_>>().join(" ");
                match open {
                    Open::Heading {
                        level,
                        id,
                        classes,
                        start,
                        slot,
                    } => {
                        let span = start..range.end;
                        heading_lint(file, level, previous_level, span.clone(), &mut problems);
                        previous_level = level;
                        let id = match id {
                            Some(id) => {
                                explicit_id_lint(
                                    file,
                                    &id,
                                    span.clone(),
                                    &mut seen_ids,
                                    &mut problems,
                                );
                                id
                            }
                            None => {
                                let derived = normalize_id(&collected);
                                let base = if derived.is_empty() {
                                    "section"
                                } else {
                                    &derived
                                };
                                unique_id(base, &mut seen_ids)
                            }
                        };
                        let class = if classes.is_empty() {
                            String::new()
                        } else {
                            format!(" class=\"{}\"", escape(&classes.join(" ")))
                        };
                        out[slot] = Event::InlineHtml(
                            format!(
                                "<{MARK}h{level}{MARK} id=\"{MARK}P{MARK}{}\"{class}>",
                                escape(&id)
                            )
                            .into(),
                        );
                        out.push(Event::InlineHtml(
                            format!("</{MARK}h{level}{MARK}>\n").into(),
                        ));
                        body.text.push(' ');
                        body.headings.push(Heading {
                            level,
                            id,
                            text: collected,
                            span,
                        });
                    }
                    Open::Link { dest, start, end } => {
                        let n = body.links.len();
                        out.push(Event::InlineHtml(
                            format!("{MARK}T{n}{MARK}{MARK}N{n}{MARK}</a>").into(),
                        ));
                        let link = Link {
                            target: LinkTarget::parse(&dest),
                            text: collected,
                            span: start..end,
                            resolved: None,
                        };
                        link_lint(file, &link, &mut problems);
                        body.links.push(link);
                    }
                    Open::Image {
                        dest,
                        title,
                        start,
                        end,
                    } => {
                        image_depth -= 1;
                        let n = body.images.len();
                        let html = format!(
                            "<img src=\"{MARK}I{n}{MARK}\" alt=\"{}\"{}>",
                            escape(&collected),
                            title_attr(&title)
                        );
                        if image_depth == 0 {
                            out.push(Event::InlineHtml(html.into()));
                        }
                        let image = Image {
                            src: dest,
                            alt: collected,
                            span: start..end,
                            resolved: None,
                        };
                        image_lint(file, &image, &mut problems);
                        body.images.push(image);
                    }
                    Open::TableHead { start } => {
                        out.push(Event::End(TagEnd::TableHead));
                        if collected.is_empty() {
                            problems.push(
                                Diagnostic::new(Code::TableWithoutHeader, "table has no header row")
                                    .at(file, start..range.end)
                                    .label("every header cell is empty")
                                    .help("name each column in the first row, so screen readers can announce the cells"),
                            );
                        }
                    }
                }
            }
            _ if image_depth > 0 => {}
            Event::End(_) => {
                body.text.push(' ');
                out.push(event);
            }
            other => out.push(other),
        }
    }
    let mut rendered = String::with_capacity(source.len() * 5 / 4);
    html::push_html(&mut rendered, out.into_iter());
    body.html = rendered;
    (body, problems)
}

fn footnote_number(label: &str, footnotes: &mut Vec<String>) -> usize {
    match footnotes.iter().position(|l| l == label) {
        Some(i) => i + 1,
        None => {
            footnotes.push(label.to_string());
            footnotes.len()
        }
    }
}

/// Replaces the placeholder mark in author text, so that only handbok writes placeholders.
fn unmark(text: CowStr<'_>) -> CowStr<'_> {
    if text.contains(MARK) {
        text.replace(MARK, "\u{FFFD}").into()
    } else {
        text
    }
}

fn title_attr(title: &str) -> String {
    if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", escape(title))
    }
}

/// Escapes text for an HTML attribute or element.
pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

fn heading_lint(file: FileId, level: u8, previous: u8, span: Span, problems: &mut Vec<Diagnostic>) {
    if level == 1 {
        problems.push(
            Diagnostic::new(Code::MultipleH1, "more than one level-1 heading")
                .at(file, span)
                .label("the title is already the page's level-1 heading")
                .help("start body sections at `##`"),
        );
    } else if level > previous + 1 {
        problems.push(
            Diagnostic::new(
                Code::HeadingSkip,
                format!("heading level skips from {previous} to {level}"),
            )
            .at(file, span)
            .help(format!(
                "use `{}` here, so the outline has no gaps for screen-reader users",
                "#".repeat(usize::from(previous) + 1)
            )),
        );
    }
}

fn link_lint(file: FileId, link: &Link, problems: &mut Vec<Diagnostic>) {
    let normalized = link
        .text
        .trim_matches(|c: char| {
            c.is_whitespace() || c.is_ascii_punctuation() || c == '…' || c == '»' || c == '«'
        })
        .to_lowercase();
    if VAGUE_LINK_TEXTS.contains(&normalized.as_str()) {
        problems.push(
            Diagnostic::new(
                Code::VagueLinkText,
                format!("link text “{}” does not say where it goes", link.text),
            )
            .at(file, link.span.clone())
            .help("use words that name the target, e.g. “the checklist for accessible documents”"),
        );
    } else if link.text.trim().is_empty() && matches!(link.target, LinkTarget::External(_)) {
        problems.push(
            Diagnostic::new(Code::VagueLinkText, "link has no text")
                .at(file, link.span.clone())
                .help("write text that names the target; only `guide:` links may be empty (they take the target's title)"),
        );
    }
}

fn image_lint(file: FileId, image: &Image, problems: &mut Vec<Diagnostic>) {
    let alt = image.alt.trim();
    if alt.is_empty() {
        problems.push(
            Diagnostic::new(Code::ImageWithoutAlt, "image has no alt text")
                .at(file, image.span.clone())
                .help("describe what the image shows for readers who cannot see it: `![A teacher reads with a pupil](…)`"),
        );
    } else if looks_like_file_name(alt, &image.src) {
        problems.push(
            Diagnostic::new(
                Code::AltIsFileName,
                format!("alt text “{alt}” is a file name"),
            )
            .at(file, image.span.clone())
            .help("describe what the image shows instead"),
        );
    }
}

fn looks_like_file_name(alt: &str, src: &str) -> bool {
    let lower = alt.to_lowercase();
    let has_image_ext = lower
        .rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && IMAGE_EXTENSIONS.contains(&ext));
    let stem = src.rsplit('/').next().unwrap_or(src);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    has_image_ext || (!stem.is_empty() && lower == stem.to_lowercase() && !alt.contains(' '))
}

/// `<img>` tags written as raw HTML need alt text too.
fn raw_html_lint(file: FileId, html: &str, span: Span, problems: &mut Vec<Diagnostic>) {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<img") {
        let start = from + i;
        let end = lower[start..]
            .find('>')
            .map_or(lower.len(), |j| start + j + 1);
        let tag = &lower[start..end];
        let has_alt = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .any(|attr| {
                attr.starts_with("alt=") && !matches!(attr, "alt=\"\"" | "alt=''" | "alt=")
            });
        if !has_alt {
            problems.push(
                Diagnostic::new(Code::ImageWithoutAlt, "image has no alt text")
                    .at(file, span.start + start..span.start + end)
                    .help("add an `alt=\"…\"` attribute that describes the image"),
            );
        }
        from = end;
    }
}

/// A heading id derived from its text, as mdBook derives them (but lower-casing every script).
pub fn normalize_id(text: &str) -> String {
    text.chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c.to_lowercase().next().unwrap_or(c))
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// Element ids the theme uses on every page; headings must not take them (derived ids step
/// aside: `main-1`).
pub const RESERVED_IDS: &[&str] = &["main", "q"];

/// An explicit `{#id}` must be unique in its document and not one of the theme's.
fn explicit_id_lint(
    file: FileId,
    id: &str,
    span: Span,
    seen: &mut HashMap<String, usize>,
    problems: &mut Vec<Diagnostic>,
) {
    if RESERVED_IDS.contains(&id) || id.starts_with("hb-") {
        problems.push(
            Diagnostic::new(
                Code::DuplicateHeadingId,
                format!("heading id `{id}` is reserved by the site's pages"),
            )
            .at(file, span)
            .help("choose another id (`main`, `q` and ids starting with `hb-` are the theme's)"),
        );
    } else if seen.get(id).is_some_and(|n| *n > 0) {
        problems.push(
            Diagnostic::new(
                Code::DuplicateHeadingId,
                format!("heading id `{id}` is used twice in this document"),
            )
            .at(file, span)
            .help("give each heading its own id, so links to it are unambiguous"),
        );
    }
    *seen.entry(id.to_string()).or_insert(0) += 1;
}

fn unique_id(id: &str, seen: &mut HashMap<String, usize>) -> String {
    let count = seen.entry(id.to_string()).or_insert(0);
    let unique = if *count == 0 {
        id.to_string()
    } else {
        format!("{id}-{count}")
    };
    *count += 1;
    unique
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(md: &str) -> (Body, Vec<Diagnostic>) {
        scan(FileId(0), md, 0..md.len())
    }

    fn codes(md: &str) -> Vec<&'static str> {
        run(md).1.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn collects_headings_with_explicit_and_derived_ids() {
        let (body, _) =
            run("## Why it matters {#why}\n\n## Two Words\n\n## Two Words\n\n### Ärende\n");
        let ids: Vec<_> = body.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["why", "two-words", "two-words-1", "ärende"]);
    }

    #[test]
    fn heading_ids_are_unique_and_never_empty() {
        let (body, problems) =
            run("## Main\n\n## ???\n\n## A {#a}\n\n## B {#a}\n\n## C {#hb-toc}\n");
        let ids: Vec<_> = body.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["main-1", "section", "a", "a", "hb-toc"]);
        let codes: Vec<_> = problems
            .iter()
            .map(|d| (d.code.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("E034", "heading id `a` is used twice in this document"),
                (
                    "E034",
                    "heading id `hb-toc` is reserved by the site's pages"
                )
            ]
        );
    }

    #[test]
    fn collects_links_and_images_with_spans() {
        let md = "See [](guide:a-b) and [the list](guide:c#x).\n\n![A chart](img/c.png)\n";
        let (body, problems) = run(md);
        assert!(problems.is_empty());
        assert_eq!(body.links.len(), 2);
        assert_eq!(&md[body.links[0].span.clone()], "[](guide:a-b)");
        assert_eq!(body.links[1].text, "the list");
        assert_eq!(body.images[0].alt, "A chart");
    }

    #[test]
    fn renders_html_with_placeholders_for_page_dependent_parts() {
        let (body, _) =
            run("## Start {#go}\n\nSee [](guide:x) and ![A map](m.png).\n\n- [ ] task\n");
        let m = MARK;
        assert!(
            body.html
                .contains(&format!("<{m}h2{m} id=\"{m}P{m}go\">Start</{m}h2{m}>")),
            "{}",
            body.html
        );
        assert!(body.html.contains(&format!(
            "<a href=\"{m}H0{m}\"{m}A0{m}>{m}T0{m}{m}N0{m}</a>"
        )));
        assert!(
            body.html
                .contains(&format!("<img src=\"{m}I0{m}\" alt=\"A map\">"))
        );
    }

    #[test]
    fn footnotes_are_numbered_and_prefixed() {
        let (body, _) = run("Text[^b] and[^a].\n\n[^a]: First.\n[^b]: Second.\n");
        let m = MARK;
        assert!(
            body.html
                .contains(&format!("<a href=\"#{m}P{m}fn-b\">1</a>")),
            "{}",
            body.html
        );
        assert!(
            body.html
                .contains(&format!("<a href=\"#{m}P{m}fn-a\">2</a>"))
        );
        assert!(body.html.contains(&format!(
            "id=\"{m}P{m}fn-a\"><sup class=\"footnote-definition-label\">2</sup>"
        )));
    }

    #[test]
    fn author_text_cannot_forge_placeholders() {
        let (body, _) = run("Text \x1AH0\x1A here.\n");
        assert!(!body.html.contains(MARK));
    }

    #[test]
    fn lints_accessibility() {
        assert_eq!(codes("## A\n\n#### B\n"), ["W001"]);
        assert_eq!(codes("# Title again\n"), ["W002"]);
        assert_eq!(codes("[Click here](https://x.eu)\n"), ["W003"]);
        assert_eq!(codes("[Läs mer …](guide:x)\n"), ["W003"]);
        assert_eq!(codes("![](a.png)\n"), ["E015"]);
        assert_eq!(codes("![diagram.png](diagram.png)\n"), ["W004"]);
        assert_eq!(codes("<img src=\"a.png\">\n"), ["E015"]);
        assert_eq!(
            codes("<img src=\"a.png\" alt=\"A map\">\n"),
            Vec::<&str>::new()
        );
        assert_eq!(codes("| | |\n|---|---|\n| a | b |\n"), ["W005"]);
        assert_eq!(
            codes("| A | B |\n|---|---|\n| a | b |\n"),
            Vec::<&str>::new()
        );
    }
}
