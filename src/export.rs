//! `handbok export mdbook`: one handbook in one language as a plain mdBook project, so that
//! mdBook and its ecosystem (mdbook-pdf, mdbook-epub, …) can take it from there.
//!
//! Chapters are the modules' Markdown bodies without front matter, with `guide:` links
//! rewritten: to the chapter's file when the target is in the handbook, to the published page
//! when `site-url` is set, and to plain text otherwise. Media are copied beside the chapters.
//! The folder is written like a build's output ([`crate::write::Staging`]): never over the
//! project's sources, only over an empty or handbok-marked folder, and swapped in whole.

use crate::diag::{Code, Diagnostic};
use crate::markdown::escape;
use crate::model::{Body, Resolved};
use crate::{Project, analyze};
use std::fmt::Write;
use std::path::Path;

pub mod epub;

/// Writes the export; returns the project (with diagnostics) and the number of chapters.
pub fn mdbook(
    root: &Path,
    handbook: &str,
    lang: Option<&str>,
    dir: &Path,
) -> (Project, Option<usize>) {
    let mut project = analyze(root);
    if project.diags.has_errors() {
        return (project, None);
    }
    let result = match &mut project.loaded {
        Some(data) => {
            // Draft translations are not published, so they are not exported either.
            let drafts = crate::translate::drafts(data);
            data.graph.drop_translations(&drafts);
            write(data, &project.sources, handbook, lang, dir)
        }
        None => return (project, None),
    };
    match result {
        Ok(n) => (project, Some(n)),
        Err(d) => {
            project.diags.push(*d);
            (project, None)
        }
    }
}

fn write(
    data: &crate::ProjectData,
    sources: &crate::source::Sources,
    handbook: &str,
    lang: Option<&str>,
    dir: &Path,
) -> Result<usize, Box<Diagnostic>> {
    let config = &data.config;
    let graph = &data.graph;
    let fail =
        |message: String, help: String| Box::new(Diagnostic::new(Code::Output, message).help(help));
    let (h, l) = pick(config, handbook, lang)?;
    let tag = &config.languages[l];
    let labels = crate::i18n::Labels::build(config, &data.ui_files, tag);
    // Drafts are not published, so they are not exported either.
    let members: Vec<usize> = graph.handbooks[h]
        .iter()
        .copied()
        .filter(|m| crate::publish::is_built(&graph.modules[*m], false))
        .collect();
    let members = &members;
    let io = |what: &str, path: &Path, e: std::io::Error| {
        fail(
            format!("{what} {}: {}", path.display(), crate::load::err_text(&e)),
            "check that the folder is writable".into(),
        )
    };
    // Checked before anything is written: the export replaces `dir` whole, like a build.
    let staging = crate::build::staging(data, dir, None)?;
    // Root-relative path and text of every file but the media.
    let mut files: Vec<(String, String)> = Vec::new();

    let book_toml = format!(
        "[book]\ntitle = {}\nlanguage = \"{}\"\nsrc = \"src\"\n{}\n[output.html]\n",
        toml_string(labels.handbook(&config.handbooks[h].id)),
        tag,
        if tag.is_rtl() {
            "text-direction = \"rtl\"\n"
        } else {
            ""
        },
    );
    files.push(("book.toml".into(), book_toml));

    let mut summary = format!("# {}\n\n", labels.handbook(&config.handbooks[h].id));
    let mut media = std::collections::BTreeSet::new();
    for &m in members {
        let module = &graph.modules[m];
        let shown = crate::publish::shown(graph, m, l);
        let (title, body, file) = (shown.title, shown.body, shown.file);
        let text = &sources.get(file).text()[body.span.clone()];
        // A translation's headings may carry the source's ids (`link::align`), which mdBook
        // cannot derive from the translated text: they are written out.
        let ids = shown.translation.map(|_| graph.heading_ids(file, body));
        let chapter = rewrite(
            text,
            body,
            graph.doc(file),
            ids,
            |resolved| match resolved {
                Resolved::Module { id, anchor } => {
                    let target = graph.module(id)?;
                    let fragment = anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
                    let url = if members.contains(&target) {
                        Some(format!("{id}.md{fragment}"))
                    } else {
                        config.site_url.as_ref().map(|base| {
                            format!(
                                "{base}{}{fragment}",
                                crate::publish::module_path(tag.as_str(), id)
                            )
                        })
                    };
                    Some(Target {
                        url,
                        title: crate::publish::shown(graph, target, l).title.to_string(),
                    })
                }
                Resolved::Media { path, anchor } => {
                    media.insert(path.clone());
                    let fragment = anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
                    Some(Target {
                        url: Some(format!(
                            "media/{}{fragment}",
                            crate::render::fill::url_path(&crate::render::fill::media_path(path))
                        )),
                        title: String::new(),
                    })
                }
                _ => None,
            },
        );
        let chapter = format!("# {}\n\n{chapter}", md_text(title));
        files.push((format!("src/{}.md", module.id), chapter));
        let _ = writeln!(summary, "- [{}]({}.md)", md_text(title), module.id);
    }
    files.push(("src/SUMMARY.md".into(), summary));
    let media: Vec<(String, String)> = media
        .into_iter()
        .map(|path| {
            let to = format!("src/media/{}", crate::render::fill::media_path(&path));
            (path, to)
        })
        .collect();
    let paths = (files.iter().map(|(rel, _)| rel)).chain(media.iter().map(|(_, to)| to));
    use crate::write::Sink;
    staging
        .folders(&mut paths.map(String::as_str))
        .map_err(|e| io("creating folders in", staging.path(), e))?;
    for (rel, text) in &files {
        staging
            .write(rel, text.as_bytes())
            .map_err(|e| io("writing", &dir.join(rel), e))?;
    }
    for (from, to) in &media {
        staging
            .copy(&data.root.join(from), to)
            .map_err(|e| io("copying", Path::new(from), e))?;
    }
    staging
        .commit()
        .map_err(|e| fail(e.message, e.help.into()))?;
    Ok(members.len())
}

/// The handbook `handbook` and the language `lang` (default: the source language) of an
/// export, as indexes into `book.toml`'s lists, or the error that names the choices.
pub(crate) fn pick(
    config: &crate::config::Config,
    handbook: &str,
    lang: Option<&str>,
) -> Result<(usize, usize), Box<Diagnostic>> {
    let fail =
        |message: String, help: String| Box::new(Diagnostic::new(Code::Output, message).help(help));
    let h = config
        .handbooks
        .iter()
        .position(|hb| hb.id == handbook)
        .ok_or_else(|| {
            let ids: Vec<&str> = config.handbooks.iter().map(|hb| hb.id.as_str()).collect();
            fail(
                format!("no handbook `{handbook}` in book.toml"),
                crate::diag::did_you_mean(handbook, ids.iter().copied())
                    .unwrap_or_else(|| format!("the handbooks are: {}", ids.join(", "))),
            )
        })?;
    let l = match lang {
        None => 0,
        Some(lang) => config
            .languages
            .iter()
            .position(|t| t.as_str() == lang)
            .ok_or_else(|| {
                let tags: Vec<&str> = config.languages.iter().map(|t| t.as_str()).collect();
                fail(
                    format!("`{lang}` is not a language of this project"),
                    format!("the languages are: {}", tags.join(", ")),
                )
            })?,
    };
    Ok((h, l))
}

/// Where a resolved link or medium points in the exported book.
struct Target {
    /// A chapter, the published site or a copied medium; `None` for a module that is in
    /// neither the book nor (without `site-url`) anywhere it can link to.
    url: Option<String>,
    /// The text an empty `[](guide:x)` link takes: the target's title.
    title: String,
}

/// Rewrites a body's links and images to the targets `target` gives. Links and media written
/// as raw HTML keep their tag: only the attribute value changes. Raw HTML tags that the site's
/// sanitizer would change are left out. With `heading_ids`, headings get their ids written out.
fn rewrite(
    text: &str,
    body: &Body,
    links: &crate::link::DocLinks,
    heading_ids: Option<Vec<&str>>,
    mut target: impl FnMut(&Resolved) -> Option<Target>,
) -> String {
    let base = body.span.start;
    let local = |span: &std::ops::Range<usize>| span.start - base..span.end - base;
    let attribute = |url: Option<&str>| format!("\"{}\"", escape(url.unwrap_or("#")));
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for (link, resolved) in body.links.iter().zip(&links.links) {
        let Some(to) = resolved.as_ref().and_then(&mut target) else {
            continue;
        };
        let new = match &link.html_value {
            Some(value) => (local(value), attribute(to.url.as_deref())),
            None => {
                let text = if link.text.is_empty() {
                    &to.title
                } else {
                    &link.text
                };
                let markdown = match &to.url {
                    Some(url) => format!("[{}]({url})", md_text(text)),
                    None => md_text(text),
                };
                (local(&link.span), markdown)
            }
        };
        edits.push(new);
    }
    for (image, resolved) in body.images.iter().zip(&links.images) {
        let Some(resolved @ Resolved::Media { .. }) = resolved else {
            continue;
        };
        let Some(Target { url: Some(url), .. }) = target(resolved) else {
            continue;
        };
        edits.push(match &image.html_value {
            Some(value) => (local(value), attribute(Some(&url))),
            None => (
                local(&image.span),
                format!("![{}]({url})", md_text(&image.alt)),
            ),
        });
    }
    if let Some(ids) = heading_ids {
        for (h, id) in body.headings.iter().zip(ids).filter(|(h, _)| !h.explicit) {
            let span = local(&h.span);
            let line = &text[span.clone()];
            let end = span.start + line.find('\n').unwrap_or(line.len());
            let end = span.start + text[span.start..end].trim_end().len();
            edits.push((end..end, format!(" {{#{id}}}")));
        }
    }
    // What the site's sanitizer would change goes whole: mdBook publishes raw HTML as it is.
    edits.extend(
        body.unsafe_tags
            .iter()
            .map(|span| (local(span), String::new())),
    );
    edits.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, new) in edits {
        if range.start < at {
            continue; // an image inside a link: the link's rewrite covers it
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&new);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Escapes the characters that would end or start Markdown link text.
/// Text is text: `<` and `&` become references, so a title like `A <script>` never turns
/// into markup in mdBook.
fn md_text(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('[', "\\[")
        .replace(']', "\\]")
        .replace('&', "&amp;")
        .replace('<', "&lt;")
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}
