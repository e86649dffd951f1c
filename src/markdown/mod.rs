//! One pass over a Markdown body with mdBook's parser: collects headings, links and images for
//! `link`, reports the content accessibility lint (heading structure, vague link text, alt text,
//! table headers), and renders the body to HTML.
//!
//! Each body is parsed exactly once. Where the HTML depends on the page it appears on (a link's
//! URL in the reader's language, the title of an empty `[](guide:x)` link, heading levels and ids
//! in a printable handbook), the HTML holds a [`placeholder`] that `render::fill` fills per page
//! with a cheap string scan. A heading's id is one too (the page's id prefix, then heading n's
//! id), because `link` may publish a translation's headings with the source's ids. The mark in
//! the text itself (an error of its own, E036) is replaced before parsing, so only handbok
//! writes placeholders, and only through [`placeholder::Slot`].
//!
//! Raw HTML is reviewed tag by tag as it comes (what the sanitizer will remove is reported at
//! its place; its links and media join the body's, as placeholders), and a body that holds any
//! is sanitized whole at the end (`check::html`). Its placeholders are written in a form the
//! sanitizer keeps, and `placeholder::placeholders` then turns heading tags and link
//! attributes into the forms `fill` reads; a body without raw HTML gets those forms at once.

use crate::check::Bodies;
use crate::check::html::{Finding, HtmlPolicy, host_of};
use crate::config::ExternalMedia;
use crate::diag::{Code, Diagnostic};
use crate::model::{Body, Heading, Image, Link, LinkTarget};
use crate::source::{FileId, Span};
use crate::translate::fingerprint::BlockScan;
use mdbook_markdown::pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd, html};
use mdbook_markdown::{MarkdownOptions, new_cmark_parser};
use rustc_hash::{FxHashMap, FxHashSet};

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

/// The length in bytes of the longest of [`VAGUE_LINK_TEXTS`].
const LONGEST_VAGUE_LINK_TEXT: usize = {
    let mut longest = 0;
    let mut i = 0;
    while i < VAGUE_LINK_TEXTS.len() {
        if VAGUE_LINK_TEXTS[i].len() > longest {
            longest = VAGUE_LINK_TEXTS[i].len();
        }
        i += 1;
    }
    longest
};

pub mod placeholder;
pub mod plain;

pub use placeholder::MARK;
use placeholder::{Slot, placeholders};

const IMAGE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp", "tif", "tiff",
];

/// The policy for bodies that come without a project (`book.toml` defaults: no embed hosts,
/// external media warned about).
static DEFAULT_POLICY: std::sync::LazyLock<HtmlPolicy> =
    std::sync::LazyLock::new(|| HtmlPolicy::new(&[], ExternalMedia::Warn));

/// Scans `text[span]` (a body at `span` in the file) under the default content policy.
pub fn scan(file: FileId, text: &str, span: Span) -> (Body, Vec<Diagnostic>) {
    scan_with(file, text, span, &DEFAULT_POLICY, Bodies::Html, None)
}

/// Scans `text[span]` (a body at `span` in the file). Returns the body index and its lint;
/// with [`Bodies::Html`] its HTML (`body.html` stays empty otherwise: rendering it and placing
/// its placeholders were a fifth of `check`'s time); and but for [`Bodies::LintOnly`] its word
/// count. Gives `blocks` (a scan of the same body) the parser's events, so a module's
/// fingerprint needs no parse of its own.
pub fn scan_with(
    file: FileId,
    text: &str,
    span: Span,
    policy: &HtmlPolicy,
    bodies: Bodies,
    blocks: Option<&mut BlockScan>,
) -> (Body, Vec<Diagnostic>) {
    let (forms, words) = match bodies {
        Bodies::Html => (Forms::Direct, true),
        Bodies::Counted => (Forms::None, true),
        Bodies::LintOnly => (Forms::None, false),
    };
    scan_as(file, text, span, policy, forms, blocks, words)
}

/// How a body's placeholders for heading tags and link attributes get their final forms.
#[derive(Clone, Copy, PartialEq)]
enum Forms {
    /// Written as such where the body has no raw HTML: the pass over the whole HTML
    /// ([`placeholders`]) was a tenth of the scan's time.
    Direct,
    /// Always by the pass (what a body with raw HTML needs: the sanitizer would not keep the
    /// final forms). The tests hold the direct forms to these.
    #[cfg(test)]
    AfterwardsOnly,
    /// No HTML at all ([`Bodies::LintOnly`]).
    None,
}

fn scan_as(
    file: FileId,
    text: &str,
    span: Span,
    policy: &HtmlPolicy,
    forms: Forms,
    mut blocks: Option<&mut BlockScan>,
    count_words: bool,
) -> (Body, Vec<Diagnostic>) {
    let base = span.start;
    // Only handbok writes placeholder marks: one in the text (an error of its own, E036) is
    // replaced by a character of the same length, so every offset stays true.
    let unmarked;
    let source = match &text[span.clone()] {
        s if s.contains(MARK) => {
            // Not the text a fingerprint reads: that scan parses the body itself.
            blocks = None;
            unmarked = s.replace(MARK, "?");
            unmarked.as_str()
        }
        s => s,
    };
    let mut body = Body {
        span,
        ..Body::default()
    };
    let mut problems = Vec::new();
    // Headings, in order; their ids are given at the end, when every explicit id is known.
    let mut headings: Vec<(usize, Option<String>, String)> = Vec::new();
    // The title is the page's level-1 heading.
    let mut previous_level = 1u8;
    // Whether the body has raw HTML: only then does the sanitizer run.
    let mut has_raw = false;
    // Where links open (with their title attribute) and headings close: written at the end,
    // like heading openings, when the body's form is known (see `Forms`).
    let mut link_opens: Vec<(usize, usize, String)> = Vec::new();
    let mut heading_closes: Vec<(usize, u8)> = Vec::new();

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
            n: usize,
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
    let mut out = Events {
        list: Vec::new(),
        keep: forms != Forms::None,
    };
    // Inside an image, the alt text's events are collected, not rendered.
    let mut image_depth = 0usize;
    // Consecutive lines of an HTML block, reviewed together (a tag may span lines).
    let mut raw_block = RawFragment::default();
    let mut depth = Depth::default();
    let mut words = WordCount::counting(count_words);

    let parser = new_cmark_parser(source, &MarkdownOptions::default()).into_offset_iter();
    for (event, range) in parser {
        if let Some(blocks) = blocks.as_mut() {
            blocks.event(&event, range.clone());
        }
        let range = range.start + base..range.end + base;
        if !matches!(event, Event::Html(_)) && !raw_block.text.is_empty() {
            let fragment = std::mem::take(&mut raw_block);
            out.push(Event::Html(
                fragment
                    .review(file, policy, &mut body, &mut problems, &mut depth)
                    .into(),
            ));
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                stack.push((
                    Open::Heading {
                        level: heading_number(level),
                        id: id.map(|i| i.to_string()),
                        classes: classes.iter().map(|c| c.to_string()).collect(),
                        start: range.start,
                        slot: out.slot(),
                    },
                    String::new(),
                ));
            }
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) => {
                // The index is taken now: links written as raw HTML inside this one's text
                // come after it.
                let n = body.links.len();
                if out.keep {
                    link_opens.push((out.slot(), n, title_attr(&title)));
                }
                body.links.push(Link {
                    target: LinkTarget::parse(&dest_url),
                    text: String::new(),
                    span: range.clone(),
                    html_value: None,
                });
                stack.push((Open::Link { n }, String::new()));
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
                out.push_with(|| Event::InlineHtml(task_marker(done)));
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
                words.text(&t);
                out.push(Event::Text(t));
            }
            Event::Code(t) => {
                for (_, collected) in &mut stack {
                    collected.push_str(&t);
                }
                words.text(&t);
                out.push(Event::Code(t));
            }
            Event::SoftBreak | Event::HardBreak => {
                for (_, collected) in &mut stack {
                    collected.push(' ');
                }
                words.space();
                if image_depth == 0 {
                    out.push(event);
                }
            }
            // Footnote ids carry the heading-id prefix, so two modules on one printable page
            // keep theirs apart.
            Event::FootnoteReference(label) if out.keep => {
                let n = footnote_number(&label, &mut footnotes);
                let id = escape(&label);
                out.push(Event::InlineHtml(
                    format!(
                        "<sup class=\"footnote-reference\"><a href=\"#{}fn-{id}\">{n}</a></sup>",
                        Slot::IdPrefix
                    )
                    .into(),
                ));
            }
            Event::Start(Tag::FootnoteDefinition(label)) if out.keep => {
                let n = footnote_number(&label, &mut footnotes);
                let id = escape(&label);
                out.push(Event::Html(
                    format!("<div class=\"footnote-definition\" id=\"{}fn-{id}\"><sup class=\"footnote-definition-label\">{n}</sup>", Slot::IdPrefix).into(),
                ));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                out.push(Event::Html(CowStr::Borrowed("</div>\n")))
            }
            // Raw HTML in an image's alt text is not shown (the alt text is plain text).
            Event::Html(_) | Event::InlineHtml(_) if image_depth > 0 => {}
            Event::Html(raw) => {
                has_raw = true;
                raw_block.push(&raw, range.start);
            }
            Event::InlineHtml(raw) => {
                has_raw = true;
                let mut fragment = RawFragment::default();
                fragment.push(&raw, range.start);
                out.push(Event::InlineHtml(
                    fragment
                        .review(file, policy, &mut body, &mut problems, &mut depth)
                        .into(),
                ));
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Link | TagEnd::Image | TagEnd::TableHead) => {
                let Some((open, mut collected)) = stack.pop() else {
                    continue;
                };
                crate::translate::fingerprint::normalize_in_place(&mut collected);
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
                        let class = if classes.is_empty() || !out.keep {
                            String::new()
                        } else {
                            format!(" class=\"{}\"", escape(&classes.join(" ")))
                        };
                        headings.push((slot, id, class));
                        heading_closes.push((out.slot(), level));
                        words.space();
                        body.headings.push(Heading {
                            level,
                            id: String::new(),
                            explicit: false,
                            text: collected,
                            span,
                        });
                    }
                    Open::Link { n } => {
                        out.push_with(|| {
                            Event::InlineHtml(
                                format!("{}{}</a>", Slot::Text(n), Slot::Note(n)).into(),
                            )
                        });
                        let link = &mut body.links[n];
                        link.text = collected;
                        url_lint(file, &link.target, link.span.clone(), &mut problems);
                        link_lint(file, link, &mut problems);
                    }
                    Open::Image {
                        dest,
                        title,
                        start,
                        end,
                    } => {
                        image_depth -= 1;
                        let n = body.images.len();
                        if image_depth == 0 {
                            // Closed the XML way, as the renderer closes `<br />`: a body of
                            // Markdown alone is then XML, which an e-book takes as it is.
                            out.push_with(|| {
                                Event::InlineHtml(
                                    format!(
                                        "<img src=\"{}\" alt=\"{}\"{} />",
                                        Slot::ImageSrc(n),
                                        escape(&collected),
                                        title_attr(&title)
                                    )
                                    .into(),
                                )
                            });
                        }
                        let image = Image {
                            src: dest,
                            alt: collected,
                            span: start..end,
                            html_value: None,
                        };
                        let target = LinkTarget::parse(&image.src);
                        url_lint(file, &target, image.span.clone(), &mut problems);
                        if let LinkTarget::External(url) = &target
                            && let Some(host) = host_of(url)
                        {
                            problems.push(policy.external(
                                file,
                                image.span.clone(),
                                &host,
                                "image",
                            ));
                        }
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
                words.space();
                out.push(event);
            }
            other => out.push(other),
        }
    }
    if let Some(blocks) = blocks {
        blocks.fed();
    }
    if !raw_block.text.is_empty() {
        out.push(Event::Html(
            raw_block
                .review(file, policy, &mut body, &mut problems, &mut depth)
                .into(),
        ));
    }
    let ids = heading_ids(file, &body.headings, &headings, &mut problems);
    for (heading, (id, (_, written, _))) in
        body.headings.iter_mut().zip(ids.into_iter().zip(&headings))
    {
        heading.id = id;
        heading.explicit = written.is_some();
    }
    body.words = words.count;
    // Held for the whole build or check: the lists' growth by doubling left a sixth of the
    // memory `check` holds at 5,000 modules × 4 languages unused.
    body.headings.shrink_to_fit();
    body.links.shrink_to_fit();
    body.images.shrink_to_fit();
    body.unsafe_tags.shrink_to_fit();
    if forms == Forms::None {
        return (body, problems);
    }
    // Heading tags and link openings in their final forms where no sanitizer runs, else in
    // the forms it keeps, which `placeholders` turns into those.
    let direct = forms == Forms::Direct && !has_raw;
    let tag = |level: u8| match direct {
        true => Slot::Heading(level).to_string(),
        false => format!("h{level}"),
    };
    for (at, n, title) in link_opens {
        let attrs = match direct {
            true => Slot::Attrs(n).to_string(),
            false => String::new(),
        };
        let open = format!("<a href=\"{}\"{attrs}{title}>", Slot::Href(n));
        out.list[at] = Event::InlineHtml(open.into());
    }
    for (at, level) in heading_closes {
        out.list[at] = Event::InlineHtml(format!("</{}>\n", tag(level)).into());
    }
    for (n, ((slot, _, class), heading)) in headings.iter().zip(&body.headings).enumerate() {
        // The id itself is a placeholder too (heading n's id), filled when a page is
        // rendered: a translation's headings may be published with the source's ids
        // (`link::align`).
        out.list[*slot] = Event::InlineHtml(
            format!(
                "<{} id=\"{}{}\"{class}>",
                tag(heading.level),
                Slot::IdPrefix,
                Slot::HeadingId(n)
            )
            .into(),
        );
    }
    let mut rendered = String::with_capacity(source.len() * 5 / 4);
    html::push_html(&mut rendered, out.list.into_iter());
    if depth.exceeded {
        // An error (E041): nothing of this body is published, and nothing more is spent on it.
        rendered.clear();
    } else if has_raw {
        rendered = policy.sanitize(&rendered);
    }
    body.html = match direct {
        true => rendered,
        false => placeholders(&rendered),
    };
    body.raw_html = has_raw;
    // At 5,000 modules × 4 languages the HTML's growth by doubling left 19 MB unused.
    body.html.shrink_to_fit();
    (body, problems)
}

/// The events a body renders from, in order; none are kept for a body that is only linted
/// ([`Forms::None`]): collecting them was a tenth of its scan.
struct Events<'a> {
    list: Vec<Event<'a>>,
    keep: bool,
}

impl<'a> Events<'a> {
    fn push(&mut self, event: Event<'a>) {
        if self.keep {
            self.list.push(event);
        }
    }

    /// Pushes the event `make` makes, made only when events are kept.
    fn push_with(&mut self, make: impl FnOnce() -> Event<'a>) {
        if self.keep {
            self.list.push(make());
        }
    }

    /// Pushes an empty event to be replaced once the body's form is known; returns its index.
    fn slot(&mut self) -> usize {
        self.push(Event::InlineHtml(CowStr::Borrowed("")));
        self.list.len().saturating_sub(1)
    }
}

/// Counts the words of a body's text as it comes, in pieces: what `split_whitespace` would
/// count in the text with a space at each break and block end. (The text itself is not kept:
/// the search index reads it back from the HTML, see [`plain`].)
struct WordCount {
    count: u32,
    in_word: bool,
    /// Whether words are counted at all: `check` reports no counts, and counting was 4 % of
    /// its time at 5,000 modules × 4 languages.
    on: bool,
}

impl WordCount {
    fn counting(on: bool) -> WordCount {
        WordCount {
            count: 0,
            in_word: false,
            on,
        }
    }

    /// Byte by byte where the text is ASCII (char by char it was 6 % of `check`). Texts come
    /// in short pieces, so one pass with no setup beats pairing bytes or scanning for the
    /// spaces beyond ASCII first (both measured, both slower).
    fn text(&mut self, text: &str) {
        if !self.on {
            return;
        }
        if text.is_ascii() {
            for &b in text.as_bytes() {
                // `char::is_whitespace` of ASCII: space, and tab through carriage return.
                let white = b == b' ' || (b'\t'..=b'\r').contains(&b);
                self.count += u32::from(!white && !self.in_word);
                self.in_word = !white;
            }
        } else {
            for c in text.chars() {
                self.count += u32::from(!c.is_whitespace() && !self.in_word);
                self.in_word = !c.is_whitespace();
            }
        }
    }

    fn space(&mut self) {
        self.in_word = false;
    }
}

/// The ids of a document's headings: explicit `{#id}`s as written (checked for repeats and
/// reserved names), derived ones from the text, made unique against every explicit id and
/// each other (`setup`, `setup-1`, … skipping any that an explicit id took).
fn heading_ids(
    file: FileId,
    headings: &[Heading],
    written: &[(usize, Option<String>, String)],
    problems: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut taken = FxHashSet::with_capacity_and_hasher(
        RESERVED_IDS.len() + headings.len() * 2,
        Default::default(),
    );
    taken.extend(RESERVED_IDS.iter().map(|id| id.to_string()));
    let mut explicit: FxHashSet<&str> = FxHashSet::default();
    for (heading, (_, id, _)) in headings.iter().zip(written) {
        if let Some(id) = id {
            explicit_id_lint(file, id, heading.span.clone(), &explicit, problems);
            explicit.insert(id);
        }
    }
    taken.extend(explicit.iter().map(|id| id.to_string()));
    let mut next: FxHashMap<String, usize> = FxHashMap::default();
    headings
        .iter()
        .zip(written)
        .map(|(heading, (_, id, _))| match id {
            Some(id) => id.clone(),
            None => {
                let derived = normalize_id(&heading.text);
                let base = if derived.is_empty() {
                    "section".to_string()
                } else {
                    derived
                };
                unique_id(base, &mut taken, &mut next)
            }
        })
        .collect()
}

/// How deep a body's raw HTML nests so far, and whether it went past the limit (then no more
/// of it is reviewed, and the body is not rendered).
#[derive(Default)]
struct Depth {
    open: usize,
    exceeded: bool,
}

/// Raw HTML as the parser gave it: one inline tag, or the lines of an HTML block, with where
/// each piece starts in the file.
#[derive(Default)]
struct RawFragment {
    text: String,
    /// (offset in `text`, offset in the file) of each piece.
    pieces: Vec<(usize, usize)>,
}

impl RawFragment {
    fn push(&mut self, raw: &str, at: usize) {
        self.pieces.push((self.text.len(), at));
        self.text.push_str(raw);
    }

    /// The file offset of an offset in the fragment.
    fn place(&self, offset: usize) -> usize {
        let i = self.pieces.partition_point(|(start, _)| *start <= offset);
        let (start, at) = self.pieces[..i].last().copied().unwrap_or((0, 0));
        at + (offset - start)
    }

    /// Reports what the sanitizer will remove, lints `<img>` alt text, and turns the relative,
    /// `guide:` and `#` URLs of links and media into placeholders, adding them to the body's
    /// links and images so that `link` checks and rewrites them like Markdown ones. Returns
    /// the fragment with those URLs replaced.
    fn review(
        self,
        file: FileId,
        policy: &HtmlPolicy,
        body: &mut Body,
        problems: &mut Vec<Diagnostic>,
        depth: &mut Depth,
    ) -> String {
        if depth.exceeded {
            return String::new();
        }
        if let Some(at) = crate::check::html::nesting(&self.text, &mut depth.open) {
            depth.exceeded = true;
            let at = self.place(at);
            problems.push(
                Diagnostic::new(
                    Code::HtmlTooDeep,
                    format!(
                        "raw HTML is nested more than {} elements deep",
                        crate::check::html::MAX_DEPTH
                    ),
                )
                .at(file, at..at + 1)
                .label("this element is one too many")
                .help("close the elements you open; the body is not published until it is fixed"),
            );
            return String::new();
        }
        let mut out = String::with_capacity(self.text.len());
        let mut copied = 0;
        for tag in crate::check::html::tags(&self.text) {
            let span = self.place(tag.span.start)..self.place(tag.span.end);
            let has = |name: &str| {
                tag.attrs
                    .iter()
                    .any(|a| a.name == name && !a.value.trim().is_empty())
            };
            if tag.name == "img" && !has("alt") {
                problems.push(
                    Diagnostic::new(Code::ImageWithoutAlt, "image has no alt text")
                        .at(file, span.clone())
                        .help("add an `alt=\"…\"` attribute that describes the image"),
                );
            } else if tag.name == "iframe" && !has("title") && policy.embeds(&tag) {
                // Only an embed that is published needs its name.
                problems.push(
                    Diagnostic::new(Code::ImageWithoutAlt, "embed has no title")
                        .at(file, span.clone())
                        .help("add a `title=\"…\"` that says what the embed shows; screen readers announce it"),
                );
            }
            let mut unsafe_tag = false;
            for finding in policy.review(&tag) {
                if let Some(problem) = policy.report(file, span.clone(), &finding) {
                    unsafe_tag |= problem.code == Code::HtmlRemoved;
                    problems.push(problem);
                }
                let Finding::Url { attribute, media } = finding else {
                    continue;
                };
                let Some(value_span) = attribute.value_span else {
                    continue;
                };
                let target = LinkTarget::parse(attribute.value.trim());
                let html_value = Some(self.place(value_span.start)..self.place(value_span.end));
                let placeholder = if media {
                    let n = body.images.len();
                    let alt = tag.attrs.iter().find(|a| a.name == "alt");
                    body.images.push(Image {
                        src: attribute.value.trim().to_string(),
                        alt: alt.map(|a| a.value.clone()).unwrap_or_default(),
                        span: span.clone(),
                        html_value,
                    });
                    format!("\"{}\"", Slot::ImageSrc(n))
                } else {
                    let n = body.links.len();
                    body.links.push(Link {
                        target,
                        text: String::new(),
                        span: span.clone(),
                        html_value,
                    });
                    format!("\"{}\"", Slot::Href(n))
                };
                out.push_str(&self.text[copied..value_span.start]);
                out.push_str(&placeholder);
                copied = value_span.end;
            }
            if unsafe_tag {
                body.unsafe_tags.push(span);
            }
        }
        out.push_str(&self.text[copied..]);
        out
    }
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

/// A task list item's box as text: a checkbox that cannot be used is a form control without
/// purpose (and without a label), and a printed box says the same. Done items say so in words.
fn task_marker(done: bool) -> CowStr<'static> {
    if done {
        format!(
            "<span class=\"task\" aria-hidden=\"true\">☑</span><span class=\"visually-hidden\">{}</span> ",
            Slot::TaskDone
        )
        .into()
    } else {
        CowStr::Borrowed("<span class=\"task\" aria-hidden=\"true\">☐</span> ")
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

/// A Markdown link or image may not use a scheme outside [`crate::model::SAFE_SCHEMES`].
fn url_lint(file: FileId, target: &LinkTarget, span: Span, problems: &mut Vec<Diagnostic>) {
    if let LinkTarget::Unsafe { scheme } = target {
        problems.push(
            Diagnostic::new(Code::UnsafeUrl, format!("`{scheme}:` URLs are not allowed"))
                .at(file, span)
                .label("this link would not be published")
                .help("link with a relative path, `guide:ID`, `#anchor`, `https:`, `http:`, `mailto:` or `tel:`"),
        );
    }
}

fn link_lint(file: FileId, link: &Link, problems: &mut Vec<Diagnostic>) {
    let trimmed = link.text.trim_matches(|c: char| {
        c.is_whitespace() || c.is_ascii_punctuation() || c == '…' || c == '»' || c == '«'
    });
    // Most link texts are longer than any vague one: they are not lower-cased to be compared
    // (every link of every document comes here). A character's lower case takes at least a
    // quarter of its bytes in UTF-8 (KELVIN SIGN, three bytes, becomes `k`).
    let vague = trimmed.len() <= 4 * LONGEST_VAGUE_LINK_TEXT
        && VAGUE_LINK_TEXTS.contains(&trimmed.to_lowercase().as_str());
    if vague {
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

/// A heading id derived from its text, as mdBook derives them (but lower-casing every script).
pub fn normalize_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    for c in text.chars() {
        // ASCII as bytes: the Unicode tables below were 2 % of `check` (every heading of every
        // document, in every script, takes this way).
        let kept = match u8::try_from(c) {
            Ok(b'_' | b'-') => Some(c),
            Ok(b) if b.is_ascii_alphanumeric() => Some(char::from(b.to_ascii_lowercase())),
            Ok(b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r') => Some('-'),
            Ok(b) if b.is_ascii() => None,
            _ if c.is_alphanumeric() => Some(c.to_lowercase().next().unwrap_or(c)),
            _ if c.is_whitespace() => Some('-'),
            _ => None,
        };
        id.extend(kept);
    }
    id
}

/// Element ids the theme uses on every page; headings must not take them (derived ids step
/// aside: `main-1`).
pub const RESERVED_IDS: &[&str] = &["main", "q"];

/// An explicit `{#id}` must be unique in its document and not one of the theme's.
fn explicit_id_lint(
    file: FileId,
    id: &str,
    span: Span,
    seen: &FxHashSet<&str>,
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
    } else if seen.contains(id) {
        problems.push(
            Diagnostic::new(
                Code::DuplicateHeadingId,
                format!("heading id `{id}` is used twice in this document"),
            )
            .at(file, span)
            .help("give each heading its own id, so links to it are unambiguous"),
        );
    }
}

/// `base`, or `base-1`, `base-2`, … : the first not yet taken (`next` remembers where each
/// base's count stands, so many equal headings stay linear).
fn unique_id(
    base: String,
    taken: &mut FxHashSet<String>,
    next: &mut FxHashMap<String, usize>,
) -> String {
    if taken.insert(base.clone()) {
        return base;
    }
    let n = next.entry(base.clone()).or_insert(1);
    loop {
        let candidate = format!("{base}-{n}");
        *n += 1;
        if taken.insert(candidate.clone()) {
            return candidate;
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn run(md: &str) -> (Body, Vec<Diagnostic>) {
        scan(FileId(0), md, 0..md.len())
    }

    fn codes(md: &str) -> Vec<&'static str> {
        run(md).1.iter().map(|d| d.code.as_str()).collect()
    }

    /// Markdown texts of every kind: a few written here, and every module and translation of
    /// the sample, the fixtures and the fuzz corpus.
    pub(crate) fn markdown_texts() -> Vec<String> {
        let mut texts: Vec<String> = [
            "# T {#t .a .b}\n\n[x](y \"t\") [`c`](guide:a#b) ![i](p.png \"q\")\n\n## [L](z)\n",
            "| [a](b) |\n|---|\n| ## not |\n\n> ### Q [q](r)\n\n- [ ] [t](u)\n\n[^1]\n\n[^1]: [n](o)\n",
            "Setext\n======\n\nOther\n-----\n\n[ref]\n\n[ref]: https://example.org \"T\"\n",
        ]
        .map(String::from)
        .to_vec();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for folder in [
            "guidelines",
            "translations",
            "tests/fixtures",
            "tests/fuzz-corpus",
        ] {
            for entry in walkdir::WalkDir::new(root.join(folder))
                .into_iter()
                .flatten()
            {
                if entry.path().extension().is_some_and(|e| e == "md")
                    && let Ok(text) = std::fs::read_to_string(entry.path())
                {
                    texts.push(text);
                }
            }
        }
        assert!(texts.len() > 50, "{} files", texts.len());
        texts
    }

    /// Vague link texts are found whatever their case and the punctuation around them; a
    /// longer text never is, however its lower case shrinks.
    #[test]
    fn vague_link_texts_in_any_case() {
        let vague = |text: &str| {
            let (_, problems) = scan(FileId(0), text, 0..text.len());
            problems
                .iter()
                .filter(|d| d.code == Code::VagueLinkText)
                .count()
        };
        for text in [
            "[Click HERE](https://x.example)",
            "[KLICKA HÄR…](a.md)",
            "[ «Read more» ](a.md)",
        ] {
            assert_eq!(vague(text), 1, "{text}");
        }
        let kelvin = "\u{212a}".repeat(20);
        for text in [
            "[the checklist for accessible documents](a.md)",
            "[click here to read the checklist](a.md)",
            &format!("[{kelvin}](a.md)"),
        ] {
            assert_eq!(vague(text), 0, "{text}");
        }
    }

    /// The forms written directly are the ones the pass over the HTML makes.
    #[test]
    fn direct_forms_are_the_forms_the_pass_makes() {
        let texts = markdown_texts();
        let mut direct = 0;
        for text in &texts {
            let scan = |forms| {
                scan_as(
                    FileId(0),
                    text,
                    0..text.len(),
                    &DEFAULT_POLICY,
                    forms,
                    None,
                    true,
                )
            };
            let (ours, _) = scan(Forms::Direct);
            let (theirs, _) = scan(Forms::AfterwardsOnly);
            assert_eq!(ours.html, theirs.html, "{text}");
            direct += usize::from(!text.contains('<'));
        }
        assert!(direct > 20, "{direct} bodies without raw HTML");
    }

    /// Ids are derived by the characters' Unicode classes, ASCII included.
    #[test]
    fn ids_are_derived_by_unicode_classes() {
        let reference = |text: &str| -> String {
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
        };
        for text in [
            "Why it Matters: A_B-c (2024)!",
            "Ärende\tÖversikt\u{a0}ok",
            "Überblick und Ziele",
            "Pourquoi c’est important ?",
            "ΣΊΣΥΦΟΣ İstanbul",
            "日本語の見出し 2",
            "\x0bvt\x0cff\r\n~`^",
        ] {
            assert_eq!(normalize_id(text), reference(text), "{text}");
        }
    }

    /// Words are counted across the pieces a text comes in as in the text joined, whatever
    /// its characters.
    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        let cases: &[&[&str]] = &[
            &["hello wor", "ld  x"],
            &["", " a", ""],
            &["x", "y"],
            &["  ", "z ", " "],
            &["é b", "«c» d"],
            &["a\u{a0}b", "c"],
            &["a\u{3000}b c", "\u{2003}"],
            &["tab\there\nline\x0bvt\x0cff\rcr", "\u{85}next"],
            &["日本語 テキスト", "です"],
        ];
        for pieces in cases {
            let mut words = WordCount::counting(true);
            for piece in *pieces {
                words.text(piece);
            }
            let joined = pieces.concat();
            assert_eq!(
                words.count as usize,
                joined.split_whitespace().count(),
                "{pieces:?}"
            );
        }
    }

    /// A fingerprint's blocks collected from the scan's events are those of a parse of their
    /// own, whether or not the scan renders (and when the scan cannot give them: a body with
    /// a placeholder mark).
    #[test]
    fn blocks_from_the_scan_are_the_blocks_of_their_own_parse() {
        let mut texts = markdown_texts();
        texts.push(format!("*a*{MARK}b ![alt {MARK}](x.png)\n\n> q\n"));
        for text in &texts {
            let want = crate::translate::fingerprint::blocks(text);
            for forms in [Forms::Direct, Forms::None] {
                let mut scan = BlockScan::new(text);
                let policy = &DEFAULT_POLICY;
                scan_as(
                    FileId(0),
                    text,
                    0..text.len(),
                    policy,
                    forms,
                    Some(&mut scan),
                    forms == Forms::Direct,
                );
                assert_eq!(scan.finish(), want, "{text}");
            }
        }
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
            body.html.contains(&format!(
                "<{m}h2{m} id=\"{m}P{m}{m}E0{m}\">Start</{m}h2{m}>"
            )),
            "{}",
            body.html
        );
        assert!(body.html.contains(&format!(
            "<a href=\"{m}H0{m}\"{m}A0{m}>{m}T0{m}{m}N0{m}</a>"
        )));
        assert!(
            body.html
                .contains(&format!("<img src=\"{m}I0{m}\" alt=\"A map\" />"))
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
        for md in [
            "Text \x1AH0\x1A here.\n",
            "## A {#x\x1AP\x1A .c\x1AH0\x1A}\n",
            "[a](https://x.eu \"t\x1AH0\x1A\")\n",
            "<span title=\"\x1AH0\x1A\">x</span>\n",
        ] {
            let (body, _) = run(md);
            let marks = body.html.matches(MARK).count();
            let own = body.links.len() * 8 + body.headings.len() * 8;
            assert_eq!(marks, own, "{md:?} → {:?}", body.html);
        }
    }

    #[test]
    fn derived_heading_ids_step_aside_from_explicit_ones() {
        let (body, problems) = run("## Setup\n\n## Setup\n\n## Setup 1 {#setup-1}\n");
        let ids: Vec<_> = body.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["setup", "setup-2", "setup-1"]);
        assert!(problems.is_empty());
    }

    #[test]
    fn unsafe_url_schemes_are_errors_in_markdown() {
        let md = "[a](javascript:alert(1)) [b](JAVASCRIPT:x) [c](&#106;avascript:x) \
                  <javascript:alert(1)> [d][ref] ![e](data:image/png;base64,x)\n\n\
                  [ref]: vbscript:x\n";
        let (body, problems) = run(md);
        let found: Vec<_> = problems
            .iter()
            .map(|d| (d.code.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("E035", "`javascript:` URLs are not allowed"),
                ("E035", "`javascript:` URLs are not allowed"),
                ("E035", "`javascript:` URLs are not allowed"),
                ("E035", "`javascript:` URLs are not allowed"),
                ("E035", "`vbscript:` URLs are not allowed"),
                ("E035", "`data:` URLs are not allowed"),
            ]
        );
        // The autolink's text stays as text; no attribute holds these URLs.
        assert!(!body.html.to_lowercase().contains("=\"javascript"));
        assert!(!body.html.contains("=\"data:"));
    }

    #[test]
    fn heading_id_placeholders_survive_the_sanitizer() {
        let (body, _) = run("## Start\n\n<span class=\"x\">raw</span>\n\n## End {#end}\n");
        let m = MARK;
        for n in 0..2 {
            assert!(
                body.html.contains(&format!("id=\"{m}P{m}{m}E{n}{m}\"")),
                "{}",
                body.html
            );
        }
        assert_eq!(body.headings[1].id, "end");
        assert!(body.headings[1].explicit && !body.headings[0].explicit);
    }

    #[test]
    fn raw_html_is_sanitized_and_reported_where_it_stands() {
        let md = "Intro <span onmouseover=\"alert(1)\">hover</span>.\n\n\
                  <div>\n<script>alert(1)</script>\n<img src=x.png alt=\"A map\"\n  onerror=\"alert(1)\">\n</div>\n\n\
                  <details><summary>More</summary>\n\n<kbd>Ctrl</kbd>\n\n</details>\n";
        let (body, problems) = run(md);
        let found: Vec<_> = problems
            .iter()
            .map(|d| {
                let at = d.primary.as_ref().unwrap().span.start;
                (d.code.as_str(), d.message.as_str(), &md[at..at + 4])
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "W010",
                    "event handler `onmouseover` on `<span>` is removed",
                    "<spa"
                ),
                (
                    "W010",
                    "`<script>` is not allowed: it is removed with its content",
                    "<scr"
                ),
                (
                    "W010",
                    "event handler `onerror` on `<img>` is removed",
                    "<img"
                ),
            ]
        );
        let html = body.html.to_lowercase();
        for bad in ["<script", "alert", "onmouseover", "onerror"] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        for kept in [
            "<details>",
            "<summary>more</summary>",
            "<kbd>ctrl</kbd>",
            "hover",
        ] {
            assert!(html.contains(kept), "{kept} missing in {html}");
        }
    }

    #[test]
    fn raw_html_urls_are_checked_and_rewritten_like_markdown() {
        let md = "<img src=\"img/a.png\" alt=\"A map\"> <a href=\"../b/c.md#x\">C</a>\n\n\
                  <video controls poster=\"p.jpg\"><source src=\"v.mp4\" type=\"video/mp4\"></video>\n\n\
                  [md link](guide:y) and <a href='guide:z'>z</a> and <a href=\"https://europa.eu\">EU</a>\n";
        let (body, problems) = run(md);
        assert!(problems.is_empty(), "{problems:?}");
        let srcs: Vec<_> = body.images.iter().map(|i| i.src.as_str()).collect();
        assert_eq!(srcs, ["img/a.png", "p.jpg", "v.mp4"]);
        assert_eq!(body.images[0].alt, "A map");
        let targets: Vec<_> = body.links.iter().map(|l| l.target.clone()).collect();
        assert_eq!(
            targets,
            [
                LinkTarget::parse("../b/c.md#x"),
                LinkTarget::parse("guide:y"),
                LinkTarget::parse("guide:z"),
            ]
        );
        let m = MARK;
        assert!(
            body.html
                .contains(&format!("<img src=\"{m}I0{m}\" alt=\"A map\">")),
            "{}",
            body.html
        );
        assert!(
            body.html
                .contains(&format!("<a href=\"{m}H0{m}\"{m}A0{m}>C</a>")),
            "{}",
            body.html
        );
        assert!(body.html.contains(&format!("poster=\"{m}I1{m}\"")));
        assert!(body.html.contains(&format!("<source src=\"{m}I2{m}\"")));
        assert!(
            body.html
                .contains(&format!("<a href=\"{m}H2{m}\"{m}A2{m}>z</a>"))
        );
        assert!(body.html.contains("<a href=\"https://europa.eu\">EU</a>"));
    }

    #[test]
    fn raw_html_nested_past_the_limit_is_refused_at_its_place() {
        let md = format!(
            "Intro.\n\n{}x{}\n",
            "<div>".repeat(300),
            "</div>".repeat(300)
        );
        let (body, problems) = run(&md);
        let found: Vec<_> = problems.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(found, ["E041"]);
        let at = problems[0].primary.as_ref().unwrap().span.start;
        assert_eq!(at, "Intro.\n\n".len() + 256 * "<div>".len());
        assert!(body.html.is_empty());
        // Deep but within the limit, many times over: fine.
        let md = format!("{}x{}\n\n", "<div>".repeat(200), "</div>".repeat(200)).repeat(20);
        let (body, problems) = run(&md);
        assert!(problems.is_empty());
        assert_eq!(body.html.matches("<div>").count(), 4000);
    }

    #[test]
    fn external_media_is_reported() {
        let md = "![A chart](https://cdn.example/c.png)\n\n<img src=\"//t.example/p.gif\" alt=\"x y\">\n\n\
                  <iframe src=\"https://www.youtube-nocookie.com/embed/x\" title=\"Video\"></iframe>\n";
        let (_, problems) = run(md);
        let found: Vec<_> = problems
            .iter()
            .map(|d| (d.code.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "W011",
                    "this image loads from another server, `cdn.example`"
                ),
                (
                    "W011",
                    "this media file loads from another server, `t.example`"
                ),
                (
                    "W010",
                    "`<iframe>` from `www.youtube-nocookie.com` is removed: the host is not listed in `embeds`"
                ),
            ]
        );
        let policy = HtmlPolicy::new(&["www.youtube-nocookie.com".into()], ExternalMedia::Deny);
        let (body, problems) = scan_with(FileId(0), md, 0..md.len(), &policy, Bodies::Html, None);
        assert!(
            problems.iter().all(
                |d| d.code == Code::ExternalMedia && d.severity == crate::diag::Severity::Error
            )
        );
        assert_eq!(problems.len(), 3);
        assert!(
            body.html
                .contains("<iframe src=\"https://www.youtube-nocookie.com/embed/x\"")
        );
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
