//! Raw HTML in bodies: one allowlist, enforced by ammonia and explained to authors.
//!
//! Content is semi-trusted (many contributors; teachers and families read the site), so raw HTML
//! goes through an allowlist sanitizer, [ammonia] on html5ever, built from the tables below. The
//! same tables drive [`review`], which walks the tags of one raw fragment (with their places) to
//! tell authors what the sanitizer will remove, and to find the URLs that handbok checks and
//! rewrites like Markdown links and images. The scanner only *locates* tags; safety never
//! depends on it: whatever it misreads, ammonia still cleans the whole body.

use crate::config::ExternalMedia;
use crate::diag::{Code, Diagnostic, Severity};
use crate::model::{LinkTarget, url_scheme};
use crate::source::{FileId, Span};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Elements authors may write. Obsolete elements (`center`, `font`, `tt`, …) are left out: the
/// published pages must stay valid HTML.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "aside",
    "audio",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "source",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "track",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// Elements removed together with their content (the rest are unwrapped, their text kept).
const REMOVED_WITH_CONTENT: &[&str] = &[
    "script", "style", "template", "object", "embed", "noscript", "iframe", "frame", "frameset",
    "applet", "base", "link", "meta", "form", "textarea", "select", "button", "title",
];

/// Attributes any allowed element may carry (`aria-*` too).
const GENERIC_ATTRIBUTES: &[&str] = &["class", "dir", "id", "lang", "title", "translate"];

/// Attributes of particular elements. `style` is allowed on table cells for column alignment
/// only (`text-align`; nothing else survives, so no style can load anything).
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    (
        "img",
        &["src", "alt", "width", "height", "loading", "decoding"],
    ),
    ("td", &["colspan", "rowspan", "headers", "style"]),
    (
        "th",
        &["colspan", "rowspan", "headers", "scope", "abbr", "style"],
    ),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("details", &["open"]),
    ("time", &["datetime"]),
    ("data", &["value"]),
    ("del", &["datetime", "cite"]),
    ("ins", &["datetime", "cite"]),
    ("div", &["tabindex"]),
    (
        "video",
        &[
            "src",
            "poster",
            "controls",
            "width",
            "height",
            "muted",
            "loop",
            "playsinline",
            "preload",
        ],
    ),
    ("audio", &["src", "controls", "loop", "muted", "preload"]),
    ("source", &["src", "type", "media"]),
    ("track", &["src", "kind", "srclang", "label", "default"]),
    (
        "iframe",
        &[
            "src",
            "width",
            "height",
            "allow",
            "allowfullscreen",
            "loading",
            "referrerpolicy",
        ],
    ),
];

/// Attributes that hold a URL handbok checks: links (`a href`) and media (the rest).
const URL_ATTRIBUTES: &[(&str, &str)] = &[
    ("a", "href"),
    ("img", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("source", "src"),
    ("track", "src"),
    ("iframe", "src"),
];

/// Element ids the theme uses itself; author HTML may not take them (nor `hb-…`).
fn reserved_id(id: &str) -> bool {
    crate::markdown::RESERVED_IDS.contains(&id) || id.starts_with("hb-")
}

/// The sanitizer and the rules around it, built once per run from `book.toml`.
pub struct HtmlPolicy {
    cleaner: ammonia::Builder<'static>,
    embeds: Vec<String>,
    external: ExternalMedia,
}

impl HtmlPolicy {
    /// `embeds`: hosts whose `<iframe>`s may be embedded (lower-case); `external`: how media
    /// from other servers is reported.
    pub fn new(embeds: &[String], external: ExternalMedia) -> Self {
        let mut tags: HashSet<&'static str> = TAGS.iter().copied().collect();
        let mut removed: HashSet<&'static str> = REMOVED_WITH_CONTENT.iter().copied().collect();
        if !embeds.is_empty() {
            tags.insert("iframe");
            removed.remove("iframe");
        }
        let tag_attributes: HashMap<&'static str, HashSet<&'static str>> = TAG_ATTRIBUTES
            .iter()
            .filter(|(tag, _)| tags.contains(tag))
            .map(|(tag, attrs)| (*tag, attrs.iter().copied().collect()))
            .collect();
        let hosts = embeds.to_vec();
        let mut cleaner = ammonia::Builder::empty();
        cleaner
            .tags(tags)
            .clean_content_tags(removed)
            .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
            .generic_attribute_prefixes(["aria-"].into_iter().collect())
            .tag_attributes(tag_attributes)
            .url_schemes(crate::model::SAFE_SCHEMES.iter().copied().collect())
            .url_relative(ammonia::UrlRelative::PassThrough)
            .link_rel(None)
            .strip_comments(true)
            .filter_style_properties(["text-align"].into_iter().collect())
            .attribute_filter(move |element, attribute, value| {
                attribute_allowed(element, attribute, value, &hosts).then_some(Cow::Borrowed(value))
            });
        HtmlPolicy {
            cleaner,
            embeds: embeds.to_vec(),
            external,
        }
    }

    /// The diagnostic for media or an embed at `span` that loads from `host`: W011, or an
    /// error under `external-media = "deny"`.
    pub fn external(&self, file: FileId, span: Span, host: &str, what: &str) -> Diagnostic {
        let mut d = Diagnostic::new(
            Code::ExternalMedia,
            format!("this {what} loads from another server, `{host}`"),
        )
        .at(file, span)
        .label("every reader's browser will contact this server")
        .help("copy the file into the project (next to the module) and link it by its relative path; `external-media = \"deny\"` in book.toml makes this an error");
        if self.external == ExternalMedia::Deny {
            d.severity = Severity::Error;
        }
        d
    }

    /// What an author is told about a finding at `span` (the tag), if anything.
    pub fn report(&self, file: FileId, span: Span, finding: &Finding) -> Option<Diagnostic> {
        let removed = |message: String, help: &str| {
            Some(
                Diagnostic::new(Code::HtmlRemoved, message)
                    .at(file, span.clone())
                    .label("removed from the published page")
                    .help(help.to_string()),
            )
        };
        match finding {
            Finding::Element { name, with_content } => removed(
                if *with_content {
                    format!("`<{name}>` is not allowed: it is removed with its content")
                } else {
                    format!("`<{name}>` is not allowed: the tag is removed, its text kept")
                },
                "pages may not run script or load anything; see “Raw HTML” in docs/authoring.md for the elements you can use",
            ),
            Finding::Attribute { element, name } if name.starts_with("on") => removed(
                format!("event handler `{name}` on `<{element}>` is removed"),
                "pages run no script from content; remove the attribute",
            ),
            Finding::Attribute { element, name } => removed(
                format!("attribute `{name}` is not allowed on `<{element}>`"),
                "remove the attribute; see “Raw HTML” in docs/authoring.md for what is allowed",
            ),
            Finding::Style { element } => removed(
                format!("the `style` of `<{element}>` is removed (only `text-align` is kept)"),
                "use Markdown for emphasis and structure; the theme styles the page",
            ),
            Finding::Value {
                element,
                name,
                value,
            } => removed(
                format!("`{name}=\"{value}\"` on `<{element}>` is removed"),
                match name.as_str() {
                    "id" => {
                        "`main`, `q` and ids starting with `hb-` belong to the site's pages; choose another id"
                    }
                    "tabindex" => {
                        "only `tabindex=\"0\"` is allowed (a scrollable region); other values change the keyboard focus order"
                    }
                    "width" | "height" => {
                        "sizes are whole numbers of pixels (`width=\"320\"`); the theme scales images to the page"
                    }
                    _ => "use a value that HTML allows for this attribute",
                },
            ),
            Finding::Scheme {
                element,
                name,
                scheme,
            } => removed(
                format!("`{scheme}:` URL in `<{element} {name}>` is removed"),
                "links and media may use relative paths, `guide:`, `#anchor`, `http(s):`, `mailto:` and `tel:` only",
            ),
            Finding::EmbedHost { host } if host.is_empty() => removed(
                "`<iframe>` without an https URL is removed".into(),
                "embeds need an https URL of a host listed in `embeds` in book.toml",
            ),
            Finding::EmbedHost { host } => removed(
                format!("`<iframe>` from `{host}` is removed: the host is not listed in `embeds`"),
                &format!(
                    "if the project trusts this host, add it to book.toml: `embeds = [\"{host}\"]` under `[handbok]`"
                ),
            ),
            Finding::External { host, embed } => Some(self.external(
                file,
                span,
                host,
                if *embed { "embed" } else { "media file" },
            )),
            Finding::Url { .. } => None,
        }
    }

    /// Cleans a whole rendered body (Markdown output and raw HTML together, so unbalanced raw
    /// tags cannot swallow handbok's markup).
    pub fn sanitize(&self, html: &str) -> String {
        let clean = self.cleaner.clean(html).to_string();
        if self.embeds.is_empty() {
            clean
        } else {
            without_empty_iframes(clean)
        }
    }

    /// Whether an `<iframe>` tag is published: its `src` is https on a listed host.
    pub fn embeds(&self, tag: &RawTag) -> bool {
        tag.attrs
            .iter()
            .find(|a| a.name == "src")
            .is_some_and(|src| embed_host(&src.value, &self.embeds).is_ok())
    }

    /// What the sanitizer does to one tag, and the URLs in it that handbok checks.
    pub fn review(&self, tag: &RawTag) -> Vec<Finding> {
        let mut out = Vec::new();
        if tag.name == "iframe" {
            let src = tag.attrs.iter().find(|a| a.name == "src");
            match src {
                Some(src) => out.extend(self.review_url(tag, src)),
                None => out.push(Finding::EmbedHost {
                    host: String::new(),
                }),
            }
            if self.embeds.is_empty() {
                return out;
            }
        } else if !TAGS.contains(&tag.name.as_str()) {
            let content = REMOVED_WITH_CONTENT.contains(&tag.name.as_str());
            out.push(Finding::Element {
                name: tag.name.clone(),
                with_content: content,
            });
            return out;
        }
        for attr in &tag.attrs {
            let listed = GENERIC_ATTRIBUTES.contains(&attr.name.as_str())
                || attr.name.starts_with("aria-")
                || TAG_ATTRIBUTES
                    .iter()
                    .any(|(t, a)| *t == tag.name && a.contains(&attr.name.as_str()));
            if !listed {
                out.push(Finding::Attribute {
                    element: tag.name.clone(),
                    name: attr.name.clone(),
                });
                continue;
            }
            if attr.name == "style" {
                if !only_text_align(&attr.value) {
                    out.push(Finding::Style {
                        element: tag.name.clone(),
                    });
                }
                continue;
            }
            let is_url = URL_ATTRIBUTES
                .iter()
                .any(|(t, a)| *t == tag.name && *a == attr.name);
            if is_url && tag.name == "iframe" {
                // Reviewed above.
            } else if is_url {
                out.extend(self.review_url(tag, attr));
            } else if !attribute_allowed(&tag.name, &attr.name, &attr.value, &self.embeds) {
                out.push(Finding::Value {
                    element: tag.name.clone(),
                    name: attr.name.clone(),
                    value: attr.value.clone(),
                });
            }
        }
        out
    }

    /// A URL attribute: refused schemes, embed hosts, media from other servers; every URL of
    /// a link or medium that stays is also returned as [`Finding::Url`] for handbok to check
    /// and rewrite.
    fn review_url(&self, tag: &RawTag, attr: &RawAttr) -> Vec<Finding> {
        let target = LinkTarget::parse(attr.value.trim());
        if let LinkTarget::Unsafe { scheme } = target {
            return vec![Finding::Scheme {
                element: tag.name.clone(),
                name: attr.name.clone(),
                scheme,
            }];
        }
        if tag.name == "iframe" {
            return vec![match embed_host(&attr.value, &self.embeds) {
                Ok(host) => Finding::External { host, embed: true },
                Err(host) => Finding::EmbedHost { host },
            }];
        }
        let media = tag.name != "a";
        let url = Finding::Url {
            attribute: attr.clone(),
            media,
        };
        match target {
            LinkTarget::External(u) if media => match host_of(&u) {
                Some(host) => vec![Finding::External { host, embed: false }, url],
                None => vec![url],
            },
            LinkTarget::External(_) => vec![],
            _ => vec![url],
        }
    }
}

/// What the sanitizer does to a tag, or a URL handbok must check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// An element that is not allowed: removed (with its content for `script`, `style`, …).
    Element { name: String, with_content: bool },
    /// An attribute that is not allowed on this element (event handlers among them).
    Attribute { element: String, name: String },
    /// A `style` that sets more than column alignment.
    Style { element: String },
    /// An allowed attribute with a value that is not (a reserved `id`, a `tabindex` that
    /// changes the focus order).
    Value {
        element: String,
        name: String,
        value: String,
    },
    /// A URL whose scheme is not allowed.
    Scheme {
        element: String,
        name: String,
        scheme: String,
    },
    /// An `<iframe>` from a host that `embeds` does not list (or no https URL).
    EmbedHost { host: String },
    /// Media or an embed loaded from another server.
    External { host: String, embed: bool },
    /// A relative, `guide:` or `#` URL: checked and rewritten like Markdown links and images.
    Url { attribute: RawAttr, media: bool },
}

/// Removes the `<iframe>`s whose `src` the sanitizer took (an unlisted host): an empty frame
/// would only be a blank box without a name. Works on the sanitizer's serialization, where
/// every attribute value is double-quoted and an iframe's content is text up to `</iframe>`.
fn without_empty_iframes(html: String) -> String {
    if !html.contains("<iframe") {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(start) = rest.find("<iframe") {
        let tag_end = rest[start..]
            .find('>')
            .map_or(rest.len(), |j| start + j + 1);
        let close = rest[tag_end..]
            .find("</iframe>")
            .map_or(rest.len(), |j| tag_end + j + "</iframe>".len());
        let tag = &rest[start..tag_end];
        out.push_str(&rest[..start]);
        if tag.contains(" src=\"") {
            out.push_str(&rest[start..close]);
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// Whether the sanitizer keeps an allowed attribute's value (ammonia's `attribute_filter`).
fn attribute_allowed(element: &str, attribute: &str, value: &str, embeds: &[String]) -> bool {
    let value = value.trim();
    let one_of = |values: &[&str]| values.iter().any(|v| v.eq_ignore_ascii_case(value));
    let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
    match (element, attribute) {
        (_, "id") => !reserved_id(value),
        // handbok's table wrapper is focusable so keyboard users can scroll it; authors may
        // do the same, never more (a positive tabindex reorders the page's focus).
        ("div", "tabindex") => value == "0",
        ("iframe", "src") => embed_host(value, embeds).is_ok(),
        // Values the HTML standard does not allow (`width="50%"`, `align`-era leftovers in
        // Markdown written for GitHub) would make the page invalid HTML: they go too.
        (_, "width" | "height" | "colspan" | "rowspan" | "span") => digits,
        ("ol", "start") => value
            .strip_prefix('-')
            .unwrap_or(value)
            .parse::<u64>()
            .is_ok(),
        ("ol", "type") => ["1", "a", "A", "i", "I"].contains(&value),
        ("th", "scope") => one_of(&["row", "col", "rowgroup", "colgroup"]),
        (_, "dir") => one_of(&["ltr", "rtl", "auto"]),
        (_, "translate") => one_of(&["yes", "no"]),
        (_, "loading") => one_of(&["lazy", "eager"]),
        (_, "decoding") => one_of(&["sync", "async", "auto"]),
        (_, "preload") => one_of(&["none", "metadata", "auto", ""]),
        ("track", "kind") => one_of(&[
            "subtitles",
            "captions",
            "descriptions",
            "chapters",
            "metadata",
        ]),
        _ => true,
    }
}

/// `Ok(host)` when `url` is an https URL of a listed embed host, else `Err(host)`.
fn embed_host(url: &str, embeds: &[String]) -> Result<String, String> {
    let host = host_of(url).unwrap_or_default();
    let https = url_scheme(url).as_deref() == Some("https");
    if https && embeds.contains(&host) {
        Ok(host)
    } else {
        Err(host)
    }
}

/// The lower-cased host of an absolute or protocol-relative URL (`//cdn.example/x`).
pub fn host_of(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = match url_scheme(url) {
        Some(_) => url.split_once(':')?.1,
        None => url,
    };
    let rest = rest.strip_prefix("//")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = host.split(':').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

fn only_text_align(style: &str) -> bool {
    style
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .all(|d| {
            d.split_once(':').is_some_and(|(p, v)| {
                p.trim().eq_ignore_ascii_case("text-align")
                    && matches!(
                        v.trim().to_ascii_lowercase().as_str(),
                        "left" | "right" | "center" | "start" | "end" | "justify"
                    )
            })
        })
}

/// A start tag in a raw HTML fragment, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTag {
    /// Lower-cased.
    pub name: String,
    /// From `<` to `>` in the fragment.
    pub span: Range<usize>,
    pub attrs: Vec<RawAttr>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawAttr {
    /// Lower-cased.
    pub name: String,
    /// With character references decoded, as the browser reads it.
    pub value: String,
    /// The value as written, quotes included (`None` for a bare attribute).
    pub value_span: Option<Range<usize>>,
}

/// How deep raw HTML may nest in one body. The HTML tree builder works harder the deeper the
/// open elements stack (100,000 nested `<div>`s took 40 s); real content stays far below.
pub const MAX_DEPTH: usize = 256;

/// Elements that never have content (no end tag).
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Follows the nesting of raw HTML across a body's fragments: `depth` is the number of open
/// elements so far; returns the offset in `html` where it first exceeds [`MAX_DEPTH`].
pub fn nesting(html: &str, depth: &mut usize) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|j| i + j) {
        i = lt + 1;
        let close = bytes.get(i) == Some(&b'/');
        let start = i + usize::from(close);
        let end = (start..bytes.len())
            .find(|&j| !bytes[j].is_ascii_alphanumeric())
            .unwrap_or(bytes.len());
        if end == start || !bytes[start].is_ascii_alphabetic() {
            continue;
        }
        let name = html[start..end].to_ascii_lowercase();
        if close {
            *depth = depth.saturating_sub(1);
        } else if !VOID.contains(&name.as_str()) {
            let gt = html[end..].find('>').map_or(html.len(), |j| end + j);
            if !html[..gt].ends_with('/') {
                *depth += 1;
                if *depth > MAX_DEPTH {
                    return Some(lt);
                }
            }
        }
        i = end;
    }
    None
}

/// Elements whose content is text, not markup, in the HTML tokenizer.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// The start tags of a fragment, following the HTML tokenizer's rules for tag names, attributes
/// (first of a repeated name wins), comments and raw-text elements.
pub fn tags(html: &str) -> Vec<RawTag> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|j| i + j) {
        i = lt + 1;
        match bytes.get(i) {
            Some(b'!') if html[i..].starts_with("!--") => {
                i = html[i + 3..]
                    .find("-->")
                    .map_or(html.len(), |j| i + 3 + j + 3);
            }
            Some(b'!' | b'?') => i = skip_to_gt(html, i),
            Some(b'/') => i = skip_to_gt(html, i),
            Some(c) if c.is_ascii_alphabetic() => {
                let tag = start_tag(html, lt);
                i = tag.span.end;
                if RAW_TEXT.contains(&tag.name.as_str()) {
                    i = end_tag(html, i, &tag.name);
                }
                out.push(tag);
            }
            _ => {}
        }
    }
    out
}

/// Where `</name` (any letter case) starts at or after `from`, or the end: the end of a raw-text
/// element's content. Linear, so many such elements cost no more than their length.
fn end_tag(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(j) = html[at..].find("</") {
        let start = at + j;
        let candidate = &bytes[start + 2..];
        if candidate.len() >= name.len()
            && candidate[..name.len()].eq_ignore_ascii_case(name.as_bytes())
        {
            return start;
        }
        at = start + 2;
    }
    html.len()
}

fn skip_to_gt(html: &str, from: usize) -> usize {
    html[from..].find('>').map_or(html.len(), |j| from + j + 1)
}

fn start_tag(html: &str, lt: usize) -> RawTag {
    let bytes = html.as_bytes();
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C');
    let mut i = lt + 1;
    let name_start = i;
    while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>') {
        i += 1;
    }
    let name = html[name_start..i].to_ascii_lowercase();
    let mut attrs: Vec<RawAttr> = Vec::new();
    loop {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        if bytes[i] == b'>' {
            i += 1;
            break;
        }
        // An attribute name may start with `=`; it ends at space, `/`, `>` or `=`.
        let start = i;
        i += 1;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let attr_name = html[start..i].to_ascii_lowercase();
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        let mut value = None;
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            let value_start = i;
            let inner = match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = html[i + 1..]
                        .find(q as char)
                        .map_or(html.len(), |j| i + 1 + j);
                    let inner = (i + 1)..end;
                    i = (end + 1).min(html.len());
                    inner
                }
                _ => {
                    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                        i += 1;
                    }
                    value_start..i
                }
            };
            value = Some((value_start..i, html[inner].to_string()));
        }
        if attrs.iter().any(|a| a.name == attr_name) {
            continue;
        }
        let (value_span, raw) = match value {
            Some((span, raw)) => (Some(span), raw),
            None => (None, String::new()),
        };
        attrs.push(RawAttr {
            name: attr_name,
            value: html_escape::decode_html_entities(&raw).into_owned(),
            value_span,
        });
    }
    RawTag {
        name,
        span: lt..i,
        attrs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> HtmlPolicy {
        HtmlPolicy::new(
            &["www.youtube-nocookie.com".to_string()],
            ExternalMedia::Warn,
        )
    }

    #[test]
    fn locates_tags_and_decodes_attribute_values() {
        let html = "<p>x</p><!-- <img src=no> --><A HREF='&#106;avascript:x' href=second \
                    title=t>y</a><script>var s = '<img src=q>';</script><img src = a.png alt>";
        let found = tags(html);
        let names: Vec<_> = found.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["p", "a", "script", "img"]);
        assert_eq!(
            found[1].attrs.len(),
            2,
            "the first of a repeated attribute wins"
        );
        assert_eq!(found[1].attrs[0].value, "javascript:x");
        assert_eq!(
            &html[found[1].attrs[0].value_span.clone().unwrap()],
            "'&#106;avascript:x'"
        );
        let img = &found[3];
        assert_eq!(img.attrs[0].value, "a.png");
        assert_eq!(img.attrs[1].name, "alt");
        assert_eq!(&html[img.span.clone()], "<img src = a.png alt>");
    }

    #[test]
    fn reviews_what_the_sanitizer_removes() {
        let p = policy();
        let review = |html: &str| p.review(&tags(html)[0]);
        assert_eq!(
            review("<script>alert(1)</script>"),
            [Finding::Element {
                name: "script".into(),
                with_content: true
            }]
        );
        assert_eq!(
            review("<img src=x.png alt=a onerror=alert(1)>")[1],
            Finding::Attribute {
                element: "img".into(),
                name: "onerror".into()
            }
        );
        assert_eq!(
            review("<a href=' JAVASCRIPT:alert(1)'>"),
            [Finding::Scheme {
                element: "a".into(),
                name: "href".into(),
                scheme: "javascript".into()
            }]
        );
        assert_eq!(
            review("<span style=\"background:url(https://t.example/p)\">"),
            [Finding::Attribute {
                element: "span".into(),
                name: "style".into()
            }]
        );
        assert_eq!(
            review("<td style=\"text-align:left;background:url(x)\">"),
            [Finding::Style {
                element: "td".into()
            }]
        );
        assert_eq!(
            review("<iframe src=\"https://evil.example/x\"></iframe>"),
            [Finding::EmbedHost {
                host: "evil.example".into()
            }]
        );
        assert_eq!(
            review("<iframe src=\"https://www.youtube-nocookie.com/embed/x\"></iframe>"),
            [Finding::External {
                host: "www.youtube-nocookie.com".into(),
                embed: true
            }]
        );
        assert_eq!(review("<a href=https://europa.eu>"), []);
        assert_eq!(
            review("<img src=//cdn.example/a.png alt=a>")[0],
            Finding::External {
                host: "cdn.example".into(),
                embed: false
            }
        );
        assert!(matches!(
            review("<img src=img/a.png alt=a>")[0],
            Finding::Url { media: true, .. }
        ));
        assert_eq!(review("<td style=\"text-align: center\">"), []);
        assert_eq!(
            review("<img src=a.png alt=a width=\"50%\" height=20>")[1],
            Finding::Value {
                element: "img".into(),
                name: "width".into(),
                value: "50%".into()
            }
        );
        assert_eq!(
            review("<h2 id=main>"),
            [Finding::Value {
                element: "h2".into(),
                name: "id".into(),
                value: "main".into()
            }]
        );
    }

    #[test]
    fn sanitizer_removes_script_in_every_form() {
        let p = HtmlPolicy::new(&[], ExternalMedia::Warn);
        let hostile = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<svg onload=alert(1)></svg>",
            "<span onmouseover=alert(1)>x</span>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"JAVASCRIPT:alert(1)\">x</a>",
            "<a href=\"&#106;avascript:alert(1)\">x</a>",
            "<a href=\"java&#9;script:alert(1)\">x</a>",
            "<iframe src=\"javascript:alert(1)\"></iframe>",
            "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
            "<form action=\"javascript:alert(1)\"><button>x</button></form>",
            "<video poster=\"javascript:alert(1)\" src=\"a.mp4\"></video>",
            "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
            "<base href=\"https://evil.example/\">",
        ];
        for html in hostile {
            let clean = p.sanitize(html).to_ascii_lowercase();
            for bad in [
                "<script",
                "javascript:",
                "onerror",
                "onload",
                "onmouseover",
                "<svg",
                "<iframe",
                "<object",
                "<embed",
                "<form",
                "<meta",
                "<base",
                "url(",
            ] {
                assert!(!clean.contains(bad), "{html} → {clean}");
            }
        }
    }

    #[test]
    fn sanitizer_drops_values_html_does_not_allow() {
        let p = policy();
        assert_eq!(
            p.sanitize("<img src=\"a.png\" alt=\"a\" width=\"50%\" height=\"20\" dir=\"x\">"),
            "<img src=\"a.png\" alt=\"a\" height=\"20\">"
        );
    }

    #[test]
    fn sanitizer_keeps_handbok_markup_and_placeholders() {
        let p = policy();
        let html = "<h2 id=\"\u{1A}P\u{1A}x\" class=\"c\">T</h2><div class=\"table-wrap\" \
                    tabindex=\"0\"><table><thead><tr><th style=\"text-align: center\">A</th></tr>\
                    </thead></table></div><p><a href=\"\u{1A}H0\u{1A}\" title=\"t\">x\u{1A}T0\u{1A}\
                    </a><img src=\"\u{1A}I0\u{1A}\" alt=\"a\"><span class=\"task\" \
                    aria-hidden=\"true\">☐</span></p><details open><summary>S</summary><kbd>K</kbd>\
                    </details><iframe src=\"https://www.youtube-nocookie.com/embed/x\" \
                    allowfullscreen></iframe>";
        let expected = html
            .replace("details open", "details open=\"\"")
            .replace("allowfullscreen", "allowfullscreen=\"\"")
            .replace("text-align: center", "text-align:center");
        assert_eq!(p.sanitize(html), expected);
        assert_eq!(
            p.sanitize(
                "<p>a</p><iframe src=\"https://evil.example/\" title=\"t\">x</iframe><p>b</p>"
            ),
            "<p>a</p><p>b</p>"
        );
    }
}
