//! Link: the documents' facts → the content graph ([`Linked`]): ids, translations matched to
//! their sources, heading ids aligned across languages, cross-links and `related` lists
//! resolved, handbooks selected, backlinks.
//!
//! Documents are facts (`model`), shared, never changed here. What this stage derives is kept
//! in tables of its own: per document, what its links resolved to ([`DocLinks`], by file), and
//! which documents mention which target. [`relink`] uses them: after an edit, only the changed
//! documents and those that mention what changed are resolved again; the cheap project-wide
//! tables (ids, translations, `related`, handbooks, backlinks) are rebuilt whole. Both paths
//! run the same code per document, so an incremental result equals a full one.
//!
//! A [`ModuleIdx`] is a position in this pass's sorted module list: fine inside one graph,
//! never stored across passes (resolved links name modules by id).

use crate::check::Checked;
use crate::config::{Config, Selection};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{Module, Translation};
use crate::source::FileId;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeSet;
use std::sync::Arc;

mod align;
mod resolve;

pub use resolve::{DocLinks, Mention};
use resolve::{DocRef, Resolver, unknown_id_help};

/// A module's number in [`Linked::modules`] (valid within one graph).
pub type ModuleIdx = usize;

#[derive(Debug, Clone, Default)]
pub struct Linked {
    /// Source modules, sorted by path (their ids are unique).
    pub modules: Vec<Arc<Module>>,
    pub by_id: FxHashMap<String, ModuleIdx>,
    pub translations: Vec<Arc<Translation>>,
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
    /// What each document's links and images resolved to, by file.
    /// Shared (`Arc`) so that copies of the graph (a build's published view) cost nothing.
    pub docs: Arc<FxHashMap<FileId, Arc<DocLinks>>>,
}

/// Which documents mention each target: the reverse of every [`DocLinks::mentions`], kept
/// by whoever relinks after edits (`session`), beside the graph it belongs to.
#[derive(Debug, Default)]
pub struct Mentions(FxHashMap<Mention, BTreeSet<FileId>>);

/// The graph a [`relink`] starts from, and what changed since.
pub struct Previous<'a> {
    pub graph: &'a Linked,
    pub changes: &'a Changes,
    /// The mentions of `graph`'s documents; updated to the new graph's.
    pub mentions: &'a mut Mentions,
}

/// What changed since the graph a [`relink`] starts from.
#[derive(Debug, Default)]
pub struct Changes {
    /// Documents whose facts changed, were added or were removed.
    pub files: FxHashSet<FileId>,
    /// Media files added or removed (project paths).
    pub media: FxHashSet<String>,
}

impl Linked {
    /// Takes the translations in `files` out of the graph: their modules then show the source
    /// text in those languages, exactly like modules nobody has translated.
    pub fn drop_translations(&mut self, files: &std::collections::HashSet<FileId>) {
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
        self.translations
            .iter()
            .find(|t| t.file == file)
            .map(Arc::as_ref)
    }

    /// What the links of the document in `file` resolved to.
    pub fn doc(&self, file: FileId) -> &DocLinks {
        static NONE: std::sync::OnceLock<DocLinks> = std::sync::OnceLock::new();
        self.docs
            .get(&file)
            .map(Arc::as_ref)
            .unwrap_or_else(|| NONE.get_or_init(DocLinks::default))
    }

    /// The heading ids of a document's body as published (a translation's aligned with its
    /// source's, see `align`).
    pub fn heading_ids<'a>(&'a self, file: FileId, body: &'a crate::model::Body) -> Vec<&'a str> {
        match self.docs.get(&file).and_then(|d| d.heading_ids.as_ref()) {
            Some(ids) => ids.iter().map(String::as_str).collect(),
            None => body.headings.iter().map(|h| h.id.as_str()).collect(),
        }
    }

    /// The module `id` names in this graph.
    pub fn module(&self, id: &str) -> Option<ModuleIdx> {
        self.by_id.get(id).copied()
    }
}

/// A translation's heading ids aligned with its source's, and the outline's mismatch (see
/// [`resolve::aligned`]).
type Aligned = (Option<Vec<String>>, Option<Diagnostic>);

/// A translation's heading ids as published: aligned with its source's in this linking
/// (`fresh`), or in the one before (`old`), else its own.
fn published_ids<'a>(
    t: &'a Translation,
    fresh: Option<&'a Aligned>,
    old: &'a FxHashMap<FileId, Arc<DocLinks>>,
) -> impl Iterator<Item = &'a str> + 'a {
    let aligned = match fresh {
        Some((ids, _)) => ids.as_ref(),
        None => old.get(&t.file).and_then(|d| d.heading_ids.as_ref()),
    };
    // One or the other, without a box per look-up (every anchor link in a translation asks).
    let own = aligned
        .is_none()
        .then(|| t.body.headings.iter().map(|h| h.id.as_str()));
    let aligned = aligned.into_iter().flatten().map(String::as_str);
    aligned.chain(own.into_iter().flatten())
}

/// Links a whole project, once: what its documents mention is not recorded.
pub fn link(
    checked: Checked,
    config: &Config,
    media: &BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Linked {
    link_with(checked, config, media, None, false, diags)
}

/// Links a whole project and indexes what its documents mention, for later [`relink`]s.
pub fn link_indexed(
    checked: Checked,
    config: &Config,
    media: &BTreeSet<String>,
    diags: &mut Diagnostics,
) -> (Linked, Mentions) {
    let graph = link_with(checked, config, media, None, true, diags);
    let mut mentions = Mentions::default();
    for (file, doc) in graph.docs.iter() {
        mentions.add(*file, doc);
    }
    (graph, mentions)
}

impl Mentions {
    fn add(&mut self, file: FileId, doc: &DocLinks) {
        for mention in &doc.mentions {
            self.0.entry(mention.clone()).or_default().insert(file);
        }
    }

    fn remove(&mut self, file: FileId, doc: &DocLinks) {
        for mention in &doc.mentions {
            if let Some(files) = self.0.get_mut(mention) {
                files.remove(&file);
                if files.is_empty() {
                    self.0.remove(mention);
                }
            }
        }
    }
}

/// Links the project's documents, reusing from `previous` (the graph before `changes`) what
/// each unchanged document that mentions nothing changed resolved to. With `None`, resolves
/// everything.
pub fn relink(
    checked: Checked,
    config: &Config,
    media: &BTreeSet<String>,
    previous: Option<Previous>,
    diags: &mut Diagnostics,
) -> Linked {
    link_with(checked, config, media, previous, true, diags)
}

/// [`relink`], recording what each document mentions (`DocLinks::mentions`) if
/// `track_mentions`.
fn link_with(
    checked: Checked,
    config: &Config,
    media: &BTreeSet<String>,
    previous: Option<Previous>,
    track_mentions: bool,
    diags: &mut Diagnostics,
) -> Linked {
    let Checked {
        mut modules,
        translations,
    } = checked;
    modules.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut global = Vec::new();

    // Ids, reporting duplicates at the second place with the first as context.
    let mut by_id: FxHashMap<String, ModuleIdx> =
        FxHashMap::with_capacity_and_hasher(modules.len(), Default::default());
    let mut keep = vec![true; modules.len()];
    for (i, m) in modules.iter().enumerate() {
        if let Some(&first) = by_id.get(&m.id) {
            let f = &modules[first];
            global.push(
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
    let by_rel: FxHashMap<&str, ModuleIdx> = modules
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
            global.push(
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
            global.push(
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

    // Which documents to resolve: all of them, or those that changed or mention what did.
    let (mut docs, mut mentions, dirty) = match previous {
        None => (FxHashMap::default(), None, None),
        Some(Previous {
            graph,
            changes,
            mentions,
        }) => {
            let dirty = dirty(
                graph,
                changes,
                mentions,
                &modules,
                &kept_translations,
                &by_rel,
            );
            (FxHashMap::clone(&graph.docs), Some(mentions), Some(dirty))
        }
    };
    // A document resolved for the first time (new, or just matched to a source) is too.
    let is_dirty = |file: FileId| {
        dirty
            .as_ref()
            .is_none_or(|d| d.contains(&file) || !docs.contains_key(&file))
    };

    // Heading ids across languages, before any anchor is resolved: by translation, `None`
    // where it is not resolved again. (Lists in the translations' order are collected in
    // place, where a map by file was filled one entry at a time.)
    let fresh_ids: Vec<Option<Aligned>> = kept_translations
        .par_iter()
        .zip(&source_of)
        .map(|(t, &m)| is_dirty(t.file).then(|| resolve::aligned(&modules[m], t)))
        .collect();
    let old_docs = &docs;
    let published =
        |t: usize| published_ids(&kept_translations[t], fresh_ids[t].as_ref(), old_docs);
    let translation_has_id = |t: usize, id: &str| published(t).any(|i| i == id);
    let resolver = Resolver {
        modules: &modules,
        by_id: &by_id,
        by_rel: &by_rel,
        translations: &kept_translations,
        translated: &translated,
        media,
        translation_has_id: &translation_has_id,
        mentions: track_mentions,
    };

    // Body links of every document that needs it (`None`: kept as resolved before).
    let module_docs = modules.par_iter().map(|m| {
        is_dirty(m.file).then(|| {
            let doc = DocRef {
                file: m.file,
                rel: &m.rel,
                body: &m.body,
                lang: None,
                ids: m.body.headings.iter().map(|h| h.id.as_str()).collect(),
            };
            (m.file, resolver.resolve(&doc, None, Vec::new()))
        })
    });
    let translation_docs = kept_translations
        .par_iter()
        .enumerate()
        .zip(&source_of)
        .map(|((i, t), &m)| {
            let (ids, outline) = fresh_ids[i].clone()?;
            let l = config
                .languages
                .iter()
                .position(|l| *l == t.lang)
                .unwrap_or(0);
            let doc = DocRef {
                file: t.file,
                rel: &t.rel,
                body: &t.body,
                lang: Some((t.lang.as_str(), l)),
                ids: published(i).collect(),
            };
            let mut resolved = resolver.resolve(&doc, ids, outline.into_iter().collect());
            // A translation reads its source's headings (alignment).
            if track_mentions {
                resolved.mentions.insert(Mention::Id(modules[m].id.clone()));
            }
            Some((t.file, resolved))
        });
    let resolved: Vec<Option<(FileId, DocLinks)>> = module_docs.chain(translation_docs).collect();

    // The tables: replace what was resolved again, forget documents that are gone.
    let present: FxHashSet<FileId> = modules
        .iter()
        .map(|m| m.file)
        .chain(kept_translations.iter().map(|t| t.file))
        .collect();
    let gone: Vec<FileId> = docs
        .keys()
        .copied()
        .filter(|f| !present.contains(f))
        .collect();
    docs.reserve(resolved.len());
    for (file, links) in resolved
        .into_iter()
        .flatten()
        .map(|(f, l)| (f, Some(l)))
        .chain(gone.into_iter().map(|f| (f, None)))
    {
        if let (Some(old), Some(mentions)) = (docs.remove(&file), mentions.as_deref_mut()) {
            mentions.remove(file, &old);
        }
        if let Some(links) = links {
            if let Some(mentions) = mentions.as_deref_mut() {
                mentions.add(file, &links);
            }
            docs.insert(file, Arc::new(links));
        }
    }

    // `related` lists.
    let mut related = Vec::with_capacity(modules.len());
    for (i, m) in modules.iter().enumerate() {
        let mut resolved = Vec::new();
        for (id, span) in &m.related {
            match by_id.get(id) {
                Some(&j) if j == i => global.push(
                    Diagnostic::new(
                        Code::SelfLink,
                        format!("module `{id}` lists itself as related"),
                    )
                    .at(m.file, span.clone())
                    .help("remove it from `related`"),
                ),
                Some(&j) if !resolved.contains(&j) => resolved.push(j),
                Some(_) => {}
                None => global.push(
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

    let links_out: Vec<Vec<ModuleIdx>> = modules
        .par_iter()
        .enumerate()
        .map(|(i, m)| {
            let mut targets: Vec<ModuleIdx> = docs
                .get(&m.file)
                .into_iter()
                .flat_map(|d| d.modules())
                .filter_map(|id| by_id.get(id).copied())
                .filter(|&j| j != i)
                .collect();
            targets.sort_unstable();
            targets.dedup();
            targets
        })
        .collect();
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

    let handbooks = select_handbooks(&modules, &by_id, config, &mut global);
    for file in &present {
        if let Some(d) = docs.get(file) {
            diags.extend(d.diags.iter().cloned());
        }
    }
    diags.extend(global);
    Linked {
        modules,
        by_id,
        translations: kept_translations,
        source_of,
        translated,
        related,
        links_out,
        backlinks: backlinks
            .into_iter()
            .map(|s| s.into_iter().collect())
            .collect(),
        handbooks,
        docs: Arc::new(docs),
    }
}

/// The documents to resolve again after `changes`: the changed ones, and every document that
/// mentions a module, path or media file that changed.
fn dirty(
    old: &Linked,
    changes: &Changes,
    mentions: &Mentions,
    modules: &[Arc<Module>],
    translations: &[Arc<Translation>],
    by_rel: &FxHashMap<&str, ModuleIdx>,
) -> FxHashSet<FileId> {
    let mut keys: FxHashSet<Mention> = FxHashSet::default();
    let now: FxHashMap<FileId, &Module> = modules
        .iter()
        .filter(|m| changes.files.contains(&m.file))
        .map(|m| (m.file, m.as_ref()))
        .collect();
    let before: FxHashMap<FileId, &Module> = old
        .modules
        .iter()
        .filter(|m| changes.files.contains(&m.file))
        .map(|m| (m.file, m.as_ref()))
        .collect();
    for m in now.values().chain(before.values()) {
        keys.insert(Mention::Id(m.id.clone()));
        keys.insert(Mention::Rel(m.rel.clone()));
    }
    // A module added, removed or renamed changes the set of ids.
    let ids_before: BTreeSet<&str> = before.values().map(|m| m.id.as_str()).collect();
    let ids_now: BTreeSet<&str> = now.values().map(|m| m.id.as_str()).collect();
    if ids_before != ids_now {
        keys.insert(Mention::AnyId);
    }
    // A changed translation changes what links to its module's headings in its language see.
    let translation_rels = translations
        .iter()
        .chain(&old.translations)
        .filter(|t| changes.files.contains(&t.file))
        .map(|t| t.rel.as_str());
    for rel in translation_rels {
        for graph_rel in [
            by_rel.get(rel).map(|&m| &modules[m]),
            old_module_at(old, rel),
        ]
        .into_iter()
        .flatten()
        {
            keys.insert(Mention::Id(graph_rel.id.clone()));
        }
    }
    for path in &changes.media {
        keys.insert(Mention::Media(path.clone()));
        let folder = path.rsplit_once('/').map_or("", |(f, _)| f);
        keys.insert(Mention::MediaFolder(folder.to_string()));
    }
    let mut dirty: FxHashSet<FileId> = changes.files.clone();
    for key in &keys {
        if let Some(files) = mentions.0.get(key) {
            dirty.extend(files);
        }
    }
    dirty
}

/// The module at `rel` in the previous graph.
fn old_module_at<'a>(old: &'a Linked, rel: &str) -> Option<&'a Arc<Module>> {
    old.modules
        .binary_search_by(|m| m.rel.as_str().cmp(rel))
        .ok()
        .map(|i| &old.modules[i])
}

fn select_handbooks(
    modules: &[Arc<Module>],
    by_id: &FxHashMap<String, ModuleIdx>,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Vec<ModuleIdx>> {
    let mut out = Vec::with_capacity(config.handbooks.len());
    for hb in &config.handbooks {
        let selected: Vec<ModuleIdx> = match &hb.selection {
            Selection::Modules(ids) => {
                let mut order: Vec<ModuleIdx> = Vec::with_capacity(ids.len());
                let mut seen = FxHashSet::default();
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
pub(crate) fn percent_decode(s: &str) -> String {
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
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("my%20file.png"), "my file.png");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%C3%A5.png"), "å.png");
    }
}
