//! Link: typed documents → the content graph ([`Linked`]): ids, translations matched to their
//! sources, cross-links and `related` lists resolved, handbooks selected, backlinks.
//!
//! The graph is plain data indexed by module number, so a later incremental `serve` can
//! recompute one module's edges without rebuilding the rest.

use crate::check::Checked;
use crate::config::{Config, Selection};
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean, suggest};
use crate::model::{Body, LinkTarget, Module, Resolved, Translation};
use crate::source::{FileId, Span};
use std::collections::{BTreeSet, HashMap, HashSet};

mod align;

/// A module's number in [`Linked::modules`].
pub type ModuleIdx = usize;

#[derive(Debug)]
pub struct Linked {
    /// Source modules, sorted by path (their ids are unique).
    pub modules: Vec<Module>,
    pub by_id: HashMap<String, ModuleIdx>,
    pub translations: Vec<Translation>,
    /// The source module of each translation.
    pub source_of: Vec<ModuleIdx>,
    /// `translated[m][l]`: index into `translations` of module `m` in `config.languages[l]`
    /// (always `None` for the source language, index 0).
    pub translated: Vec<Vec<Option<usize>>>,
    /// Resolved `related` lists.
    pub related: Vec<Vec<ModuleIdx>>,
    /// Modules each module links to in its body (source language), sorted, without repeats.
    pub links_out: Vec<Vec<ModuleIdx>>,
    /// The reverse of `links_out` and `related`: who points at each module.
    pub backlinks: Vec<Vec<ModuleIdx>>,
    /// Each configured handbook's modules, in order.
    pub handbooks: Vec<Vec<ModuleIdx>>,
}

impl Linked {
    /// Takes the translations in `files` out of the graph: their modules then show the source
    /// text in those languages, exactly like modules nobody has translated.
    pub fn drop_translations(&mut self, files: &HashSet<FileId>) {
        if files.is_empty() {
            return;
        }
        let old = std::mem::take(&mut self.translations);
        let old_source_of = std::mem::take(&mut self.source_of);
        let mut new_index = vec![None; old.len()];
        for (i, (t, m)) in old.into_iter().zip(old_source_of).enumerate() {
            if !files.contains(&t.file) {
                new_index[i] = Some(self.translations.len());
                self.translations.push(t);
                self.source_of.push(m);
            }
        }
        for slot in self.translated.iter_mut().flatten() {
            *slot = slot.and_then(|t| new_index[t]);
        }
    }

    /// The translation in `file`, if it is in the graph.
    pub fn translation_in(&self, file: FileId) -> Option<&Translation> {
        self.translations.iter().find(|t| t.file == file)
    }
}

/// A document being resolved: a source module or a translation.
struct DocRef<'a> {
    file: FileId,
    rel: &'a str,
    body: &'a Body,
    /// Set for translations: the language folder, for localized media.
    lang: Option<&'a str>,
    lang_idx: usize,
}

pub fn link(
    checked: Checked,
    config: &Config,
    media: &BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Linked {
    let Checked {
        mut modules,
        translations,
    } = checked;
    modules.sort_by(|a, b| a.rel.cmp(&b.rel));

    // Ids, reporting duplicates at the second place with the first as context.
    let mut by_id: HashMap<String, ModuleIdx> = HashMap::with_capacity(modules.len());
    let mut keep = vec![true; modules.len()];
    for (i, m) in modules.iter().enumerate() {
        if let Some(&first) = by_id.get(&m.id) {
            let f = &modules[first];
            diags.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    format!("module id `{}` is used twice", m.id),
                )
                .at(m.file, m.id_span.clone())
                .also(f.file, f.id_span.clone(), "first used here")
                .help("ids must be unique: rename one of the modules (links follow the id)"),
            );
            keep[i] = false;
        } else {
            by_id.insert(m.id.clone(), i);
        }
    }
    if keep.contains(&false) {
        let mut i = 0;
        modules.retain(|_| {
            i += 1;
            keep[i - 1]
        });
        by_id = modules
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.clone(), i))
            .collect();
    }
    let by_rel: HashMap<&str, ModuleIdx> = modules
        .iter()
        .enumerate()
        .map(|(i, m)| (m.rel.as_str(), i))
        .collect();

    // Translations → their sources.
    let mut translated = vec![vec![None; config.languages.len()]; modules.len()];
    let mut kept_translations = Vec::with_capacity(translations.len());
    let mut source_of = Vec::with_capacity(translations.len());
    for t in translations {
        let Some(&m) = by_rel.get(t.rel.as_str()) else {
            let help = match moved_or_misspelt(&t.rel, modules.iter().map(|m| m.rel.as_str())) {
                Some(rel) => format!(
                    "did you mean `translations/{}/{rel}`? (its source is `guidelines/{rel}`)",
                    t.lang
                ),
                None => format!(
                    "translations mirror guidelines/: the source would be `guidelines/{}`",
                    t.rel
                ),
            };
            diags.push(
                Diagnostic::new(
                    Code::TranslationWithoutSource,
                    format!("translation has no source module `guidelines/{}`", t.rel),
                )
                .at(t.file, 0..0)
                .help(help),
            );
            continue;
        };
        if let Some((id, span)) = &t.id
            && *id != modules[m].id
        {
            diags.push(
                Diagnostic::new(
                    Code::TranslationIdMismatch,
                    format!(
                        "translation id `{id}` differs from the source's id `{}`",
                        modules[m].id
                    ),
                )
                .at(t.file, span.clone())
                .also(
                    modules[m].file,
                    modules[m].id_span.clone(),
                    "the source's id",
                )
                .help("remove the `id` line (the translation inherits it) or make it equal"),
            );
        }
        let Some(l) = config.languages.iter().position(|l| *l == t.lang) else {
            continue;
        };
        translated[m][l] = Some(kept_translations.len());
        source_of.push(m);
        kept_translations.push(t);
    }

    // Heading ids across languages, before any anchor is resolved.
    for (t, &m) in kept_translations.iter_mut().zip(&source_of) {
        let source = &modules[m];
        if let Some(mismatch) = align::align(&source.body, &mut t.body) {
            diags.push(outline_differs(t, source, &mismatch));
        }
    }

    let resolver = Resolver {
        modules: &modules,
        by_id: &by_id,
        by_rel: &by_rel,
        translations: &kept_translations,
        translated: &translated,
        media,
    };

    // Body links of every document.
    let mut links_out = vec![BTreeSet::new(); modules.len()];
    let mut module_targets = Vec::with_capacity(modules.len());
    for (i, m) in modules.iter().enumerate() {
        let doc = DocRef {
            file: m.file,
            rel: &m.rel,
            body: &m.body,
            lang: None,
            lang_idx: 0,
        };
        let mut targets = resolver.body_links(&doc, diags);
        links_out[i] = std::mem::take(&mut targets.modules);
        links_out[i].remove(&i);
        module_targets.push(targets);
    }
    let mut translation_targets = Vec::with_capacity(kept_translations.len());
    for t in &kept_translations {
        let lang_idx = config
            .languages
            .iter()
            .position(|l| *l == t.lang)
            .unwrap_or(0);
        let doc = DocRef {
            file: t.file,
            rel: &t.rel,
            body: &t.body,
            lang: Some(t.lang.as_str()),
            lang_idx,
        };
        translation_targets.push(resolver.body_links(&doc, diags));
    }
    for (m, targets) in modules.iter_mut().zip(module_targets) {
        targets.store(&mut m.body);
    }
    for (t, targets) in kept_translations.iter_mut().zip(translation_targets) {
        targets.store(&mut t.body);
    }

    // `related` lists.
    let mut related = Vec::with_capacity(modules.len());
    for (i, m) in modules.iter().enumerate() {
        let mut resolved = Vec::new();
        for (id, span) in &m.related {
            match by_id.get(id) {
                Some(&j) if j == i => diags.push(
                    Diagnostic::new(
                        Code::SelfLink,
                        format!("module `{id}` lists itself as related"),
                    )
                    .at(m.file, span.clone())
                    .help("remove it from `related`"),
                ),
                Some(&j) if !resolved.contains(&j) => resolved.push(j),
                Some(_) => {}
                None => diags.push(
                    Diagnostic::new(
                        Code::UnknownRelated,
                        format!("`related` names unknown module `{id}`"),
                    )
                    .at(m.file, span.clone())
                    .help(unknown_id_help(id, &by_id)),
                ),
            }
        }
        related.push(resolved);
    }

    let mut backlinks = vec![BTreeSet::new(); modules.len()];
    for (from, targets) in links_out
        .iter()
        .zip(&related)
        .enumerate()
        .map(|(i, (l, r))| (i, l.iter().chain(r)))
    {
        for &to in targets {
            backlinks[to].insert(from);
        }
    }

    let handbooks = select_handbooks(&modules, &by_id, config, diags);
    Linked {
        modules,
        by_id,
        translations: kept_translations,
        source_of,
        translated,
        related,
        links_out: links_out
            .into_iter()
            .map(|s| s.into_iter().collect())
            .collect(),
        backlinks: backlinks
            .into_iter()
            .map(|s| s.into_iter().collect())
            .collect(),
        handbooks,
    }
}

/// What one document's links and images resolved to, aligned with its body's lists.
struct Targets {
    modules: BTreeSet<ModuleIdx>,
    links: Vec<Option<Resolved>>,
    images: Vec<Option<Resolved>>,
}

impl Targets {
    fn store(self, body: &mut Body) {
        for (link, resolved) in body.links.iter_mut().zip(self.links) {
            link.resolved = resolved;
        }
        for (image, resolved) in body.images.iter_mut().zip(self.images) {
            image.resolved = resolved;
        }
    }
}

struct Resolver<'a> {
    modules: &'a [Module],
    by_id: &'a HashMap<String, ModuleIdx>,
    by_rel: &'a HashMap<&'a str, ModuleIdx>,
    translations: &'a [Translation],
    translated: &'a [Vec<Option<usize>>],
    media: &'a BTreeSet<String>,
}

impl Resolver<'_> {
    /// Checks and resolves every link and image of one document.
    fn body_links(&self, doc: &DocRef, diags: &mut Diagnostics) -> Targets {
        let mut targets = Targets {
            modules: BTreeSet::new(),
            links: Vec::new(),
            images: Vec::new(),
        };
        for link in &doc.body.links {
            let resolved = self.link(doc, &link.target, link.span.clone(), diags);
            if let Some(Resolved::Module { module, .. }) = &resolved {
                targets.modules.insert(*module);
            }
            targets.links.push(resolved);
        }
        for image in &doc.body.images {
            let resolved = match LinkTarget::parse(&image.src) {
                LinkTarget::External(url) => Some(Resolved::External(url)),
                LinkTarget::Relative { path, anchor } => {
                    self.relative(doc, &path, anchor.as_deref(), image.span.clone(), diags)
                }
                // Reported by the body scan; never published.
                LinkTarget::Unsafe { .. } => None,
                LinkTarget::Guide { .. } | LinkTarget::Anchor(_) => {
                    diags.push(
                        Diagnostic::new(
                            Code::MissingFile,
                            format!("`{}` is not an image file", image.src),
                        )
                        .at(doc.file, image.span.clone())
                        .help(
                            "an image needs the path of an image file, e.g. `../media/chart.svg`",
                        ),
                    );
                    None
                }
            };
            targets.images.push(resolved);
        }
        targets
    }

    fn link(
        &self,
        doc: &DocRef,
        target: &LinkTarget,
        span: Span,
        diags: &mut Diagnostics,
    ) -> Option<Resolved> {
        match target {
            LinkTarget::Guide { id, anchor } => match self.by_id.get(id) {
                Some(&m) => Some(Resolved::Module {
                    module: m,
                    anchor: self.module_anchor(doc, m, anchor.as_deref(), span, diags),
                }),
                None => {
                    diags.push(
                        Diagnostic::new(
                            Code::BrokenGuideLink,
                            format!("link to unknown module `{id}`"),
                        )
                        .at(doc.file, span)
                        .help(unknown_id_help(id, self.by_id)),
                    );
                    None
                }
            },
            // An empty `#` points at the top of the page, and so does a missing heading (after
            // its error), so a translation published despite a broken anchor has a working link.
            LinkTarget::Anchor(anchor) if anchor.is_empty() => {
                Some(Resolved::Anchor(String::new()))
            }
            LinkTarget::Anchor(anchor) => Some(Resolved::Anchor(
                self.heading(doc, doc.body, anchor, "this document", span, diags)
                    .unwrap_or_default(),
            )),
            LinkTarget::Relative { path, anchor } => {
                self.relative(doc, path, anchor.as_deref(), span, diags)
            }
            LinkTarget::External(url) => Some(Resolved::External(url.clone())),
            // Reported by the body scan; the link is published without a target.
            LinkTarget::Unsafe { .. } => None,
        }
    }

    /// A relative link: another module's `.md` file, or a media file.
    fn relative(
        &self,
        doc: &DocRef,
        path: &str,
        anchor: Option<&str>,
        span: Span,
        diags: &mut Diagnostics,
    ) -> Option<Resolved> {
        let Some(resolved) = resolve_path(doc.rel, &percent_decode(path)) else {
            diags.push(
                Diagnostic::new(
                    Code::MissingFile,
                    format!("link `{path}` points outside the project"),
                )
                .at(doc.file, span)
                .help("link to modules with `guide:ID` and keep media inside guidelines/"),
            );
            return None;
        };
        if !resolved.ends_with(".md") {
            let media = self.media_exists(doc, path, &resolved, span, diags)?;
            return Some(Resolved::Media {
                path: media,
                anchor: anchor.map(str::to_string),
            });
        }
        match self.by_rel.get(resolved.as_str()) {
            Some(&m) => Some(Resolved::Module {
                module: m,
                anchor: self.module_anchor(doc, m, anchor, span, diags),
            }),
            None => {
                diags.push(
                    Diagnostic::new(Code::MissingFile, format!("link to missing module file `{path}`"))
                        .at(doc.file, span)
                        .help(format!("no module is at `guidelines/{resolved}`; prefer `guide:ID` links, which survive moves")),
                );
                None
            }
        }
    }

    /// A media file resolves in the translation's own folder first, then the source's. Returns
    /// the project path of the file found.
    fn media_exists(
        &self,
        doc: &DocRef,
        written: &str,
        resolved: &str,
        span: Span,
        diags: &mut Diagnostics,
    ) -> Option<String> {
        let local = doc.lang.map(|l| format!("translations/{l}/{resolved}"));
        let source = format!("guidelines/{resolved}");
        if let Some(local) = local.as_ref().filter(|p| self.media.contains(*p)) {
            return Some(local.clone());
        }
        if self.media.contains(&source) {
            return Some(source);
        }
        let searched = match &local {
            Some(local) => format!("looked for `{local}` and `{source}`"),
            None => format!("looked for `{source}`"),
        };
        // Suggest a file of the same folder with a similar name.
        let (folder, name) = source.rsplit_once('/').unwrap_or(("", &source));
        let siblings = self.media.iter().filter_map(|m| {
            m.rsplit_once('/')
                .filter(|(f, _)| *f == folder)
                .map(|(_, n)| n)
        });
        let near = suggest(name, siblings)
            .map(|n| format!("; did you mean `{folder}/{n}`?"))
            .unwrap_or_default();
        diags.push(
            Diagnostic::new(Code::MissingFile, format!("`{written}` does not exist"))
                .at(doc.file, span)
                .help(format!("{searched}{near}")),
        );
        None
    }

    /// The heading id a link to module `m` points at: `None` for the top of the page (no
    /// fragment, an empty one, or one that names no heading, reported).
    fn module_anchor(
        &self,
        doc: &DocRef,
        m: ModuleIdx,
        anchor: Option<&str>,
        span: Span,
        diags: &mut Diagnostics,
    ) -> Option<String> {
        let anchor = anchor.filter(|a| !a.is_empty())?;
        let target = &self.modules[m];
        let what = format!("module `{}`", target.id);
        let id = self.heading(doc, &target.body, anchor, &what, span.clone(), diags)?;
        // In a translation, the anchor should also exist in the target's translation.
        if doc.lang.is_some()
            && let Some(t) = self.translated[m][doc.lang_idx]
            && !self.translations[t].body.has_anchor(&id)
        {
            let t = &self.translations[t];
            diags.push(
                Diagnostic::new(
                    Code::AnchorMissingInTranslation,
                    format!(
                        "heading `#{id}` of `{}` is missing in its {} translation",
                        target.id, t.lang
                    ),
                )
                .at(doc.file, span)
                .also(t.file, 0..0, "this translation has no such heading id")
                .help(format!(
                    "keep the source's heading ids in translations: `{{#{id}}}`"
                )),
            );
        }
        Some(id)
    }

    /// The id of the heading of `body` that `anchor` names. A fragment that differs from an id
    /// only in letter case finds it, as on GitHub, with a warning (W012); one that finds no
    /// heading is an error (E012) and `None`.
    fn heading(
        &self,
        doc: &DocRef,
        body: &Body,
        anchor: &str,
        what: &str,
        span: Span,
        diags: &mut Diagnostics,
    ) -> Option<String> {
        match heading_id(body, anchor) {
            Some(HeadingMatch::Exact) => Some(anchor.to_string()),
            Some(HeadingMatch::IgnoringCase(id)) => {
                diags.push(
                    Diagnostic::new(
                        Code::AnchorCase,
                        format!("{what} has no heading `#{anchor}`, only `#{id}`"),
                    )
                    .at(doc.file, span)
                    .help(format!(
                        "heading ids are case-sensitive in browsers; write `#{id}` (the link is published pointing at it)"
                    )),
                );
                Some(id.to_string())
            }
            None => {
                diags.push(missing_anchor(doc.file, span, anchor, what, body));
                None
            }
        }
    }
}

/// How a `#fragment` matched a heading id.
#[derive(Debug, PartialEq, Eq)]
enum HeadingMatch<'a> {
    Exact,
    /// Equal only when letter case is ignored: the id as the heading has it.
    IgnoringCase(&'a str),
}

/// Finds the heading `anchor` names in `body`: the exact id, else the first id equal to it
/// ignoring letter case.
fn heading_id<'a>(body: &'a Body, anchor: &str) -> Option<HeadingMatch<'a>> {
    if body.has_anchor(anchor) {
        return Some(HeadingMatch::Exact);
    }
    let folded = anchor.to_lowercase();
    body.headings
        .iter()
        .find(|h| h.id.to_lowercase() == folded)
        .map(|h| HeadingMatch::IgnoringCase(&h.id))
}

/// W014: a translation's outline differs from its source's, at `mismatch`.
fn outline_differs(t: &Translation, source: &Module, mismatch: &align::Mismatch) -> Diagnostic {
    let (th, sh) = (&t.body.headings, &source.body.headings);
    let described = |h: &crate::model::Heading| format!("`{}` (level {})", h.text, h.level);
    let (message, span) = match (mismatch.translation, mismatch.source) {
        (Some(i), Some(j)) => (
            format!(
                "heading {} does not match the source's heading {}",
                described(&th[i]),
                described(&sh[j])
            ),
            th[i].span.clone(),
        ),
        (Some(i), None) => (
            format!(
                "heading {} has no counterpart: the source has {} headings, this translation {}",
                described(&th[i]),
                sh.len(),
                th.len()
            ),
            th[i].span.clone(),
        ),
        (None, j) => (
            format!(
                "the source's heading {} has no counterpart: the source has {} headings, this translation {}",
                j.and_then(|j| sh.get(j))
                    .map_or_else(String::new, described),
                sh.len(),
                th.len()
            ),
            th.last()
                .map_or(t.body.span.start..t.body.span.start, |h| h.span.clone()),
        ),
    };
    let mut d = Diagnostic::new(
        Code::OutlineDiffers,
        format!("{message}, so heading ids cannot be aligned with the source's"),
    )
    .at(t.file, span);
    if let Some(j) = mismatch.source.and_then(|j| sh.get(j)) {
        d = d.also(
            source.file,
            j.span.clone(),
            "the source heading it should match",
        );
    }
    d.help(
        "give the translation the source's headings at the same levels in the same order, \
         or write the source's ids on its headings as `{#id}`",
    )
}

/// "did you mean" for an unknown module id, or what ids are.
fn unknown_id_help(id: &str, by_id: &HashMap<String, ModuleIdx>) -> String {
    did_you_mean(id, by_id.keys().map(String::as_str))
        .unwrap_or_else(|| "module ids are the `id` fields of the modules in guidelines/".into())
}

fn missing_anchor(file: FileId, span: Span, anchor: &str, what: &str, body: &Body) -> Diagnostic {
    let ids = body.headings.iter().map(|h| h.id.as_str());
    let help = did_you_mean(anchor, ids.clone()).unwrap_or_else(|| {
        let all: Vec<_> = ids.collect();
        if all.is_empty() {
            format!("{what} has no headings")
        } else {
            format!("its heading ids are: {}", all.join(", "))
        }
    });
    Diagnostic::new(
        Code::BrokenAnchor,
        format!("{what} has no heading `#{anchor}`"),
    )
    .at(file, span)
    .help(help)
}

fn select_handbooks(
    modules: &[Module],
    by_id: &HashMap<String, ModuleIdx>,
    config: &Config,
    diags: &mut Diagnostics,
) -> Vec<Vec<ModuleIdx>> {
    let mut out = Vec::with_capacity(config.handbooks.len());
    for hb in &config.handbooks {
        let selected: Vec<ModuleIdx> = match &hb.selection {
            Selection::Modules(ids) => {
                let mut order: Vec<ModuleIdx> = Vec::with_capacity(ids.len());
                let mut seen = HashSet::new();
                for (id, span) in ids {
                    match by_id.get(id) {
                        Some(&m) if seen.insert(m) => order.push(m),
                        Some(_) => diags.push(
                            Diagnostic::new(
                                Code::BookConfig,
                                format!("handbook `{}` lists `{id}` twice", hb.id),
                            )
                            .at(config.file, span.clone())
                            .help("remove the second entry"),
                        ),
                        None => diags.push(
                            Diagnostic::new(
                                Code::UnknownRelated,
                                format!("handbook `{}` lists unknown module `{id}`", hb.id),
                            )
                            .at(config.file, span.clone())
                            .help(unknown_id_help(id, by_id)),
                        ),
                    }
                }
                order
            }
            Selection::Query(q) => modules
                .iter()
                .enumerate()
                .filter(|(_, m)| {
                    (q.levels.is_empty() || q.levels.iter().any(|l| m.levels.contains(l)))
                        && (q.subjects.is_empty()
                            || q.subjects.iter().any(|s| m.subjects.contains(s)))
                        && (q.needs.is_empty() || q.needs.iter().any(|n| m.needs.contains(n)))
                })
                .map(|(i, _)| i)
                .collect(),
        };
        if selected.is_empty() {
            diags.push(
                Diagnostic::new(
                    Code::EmptyHandbook,
                    format!("handbook `{}` selects no module", hb.id),
                )
                .at(config.file, hb.span.clone())
                .help("widen its query or list modules explicitly with `modules = [...]`"),
            );
        }
        out.push(selected);
    }
    out
}

/// The source path a translation at `rel` most likely belongs to: a module with the same file
/// name in another folder (the source moved), else a path a typo or two away.
fn moved_or_misspelt<'a>(
    rel: &str,
    sources: impl Iterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    let name = |p: &'a str| p.rsplit('/').next().unwrap_or(p);
    let own = rel.rsplit('/').next().unwrap_or(rel);
    let mut same_name = sources.clone().filter(|s| name(s) == own);
    if let (Some(only), None) = (same_name.next(), same_name.next()) {
        return Some(only);
    }
    sources
        .map(|s| (strsim::normalized_levenshtein(rel, s), s))
        .filter(|(score, _)| *score >= 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, s)| s)
}

/// Resolves `link` against the folder of `from` (both below the content root). `None` if it
/// climbs above the root.
pub fn resolve_path(from: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in link.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Decodes `%20`-style escapes in a link path; invalid escapes stay as written.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_paths() {
        let cases = [
            ("a/b.md", "c.md", Some("a/c.md")),
            ("a/b.md", "../x/y.md", Some("x/y.md")),
            ("a/b.md", "./img/p.png", Some("a/img/p.png")),
            ("b.md", "../x.md", None),
            ("a/b.md", "../../x.md", None),
            ("b.md", "media//p.svg", Some("media/p.svg")),
        ];
        for (from, link, want) in cases {
            assert_eq!(resolve_path(from, link).as_deref(), want, "{from} + {link}");
        }
    }

    #[test]
    fn suggests_moved_or_misspelt_sources() {
        let sources = ["m/two.md", "n/one.md", "m/four.md"];
        assert_eq!(
            moved_or_misspelt("m/one.md", sources.iter().copied()),
            Some("n/one.md")
        );
        assert_eq!(
            moved_or_misspelt("m/tow.md", sources.iter().copied()),
            Some("m/two.md")
        );
        assert_eq!(
            moved_or_misspelt("m/three.md", sources.iter().copied()),
            None
        );
    }

    #[test]
    fn fragments_match_heading_ids_exactly_else_ignoring_case() {
        let heading = |id: &str| crate::model::Heading {
            level: 2,
            id: id.into(),
            explicit: false,
            text: id.into(),
            span: 0..0,
        };
        let body = Body {
            headings: vec![heading("setup"), heading("Setup-2"), heading("ÅR")],
            ..Body::default()
        };
        use HeadingMatch::*;
        let cases = [
            ("setup", Some(Exact)),
            ("Setup", Some(IgnoringCase("setup"))),
            ("SETUP-2", Some(IgnoringCase("Setup-2"))),
            ("år", Some(IgnoringCase("ÅR"))),
            ("setup-3", None),
        ];
        for (anchor, want) in cases {
            assert_eq!(heading_id(&body, anchor), want, "{anchor}");
        }
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("my%20file.png"), "my file.png");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%C3%A5.png"), "å.png");
    }
}
