//! Translators' workflow: the state of every translation (current, stale, missing, orphaned,
//! draft, unknown), and the commands that help catch up (`status`, `translate new/done/diff/ui`).
//!
//! A translation records the source it was made from as `source-hash`, the source's
//! [`fingerprint`]. What the source looked like then comes from [`history`]: git when the
//! project is a git checkout, else handbok's store of source versions.

pub mod diff;
pub mod files;
pub mod fingerprint;
pub mod history;
pub mod status;

use crate::ProjectData;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::link::ModuleIdx;
use crate::model::Translation;
use crate::source::{FileId, Sources};
use std::collections::HashSet;

/// Where a module stands in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Translated from the source as it is now.
    Current,
    /// Translated from an earlier version of the source.
    Stale,
    /// Not translated.
    Missing,
    /// The translation says `status: draft`: not published (unless `build --drafts`).
    Draft,
    /// A translation without `source-hash` in a project without git history to tell.
    Unknown,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Current => "current",
            State::Stale => "stale",
            State::Missing => "missing",
            State::Draft => "draft",
            State::Unknown => "unknown",
        }
    }
}

/// The state of every module in one language, and the translations there without a source.
#[derive(Debug, Clone)]
pub struct LanguageStates {
    /// Index into `config.languages`.
    pub lang: usize,
    /// By module index ([`crate::link::Linked::modules`]).
    pub modules: Vec<State>,
    /// Project-relative paths of translations whose source is gone (E016), sorted.
    pub orphaned: Vec<String>,
}

/// The fingerprint of each module's current text, by module index.
pub fn fingerprints(graph: &crate::link::Linked) -> Vec<&str> {
    graph
        .modules
        .iter()
        .map(|m| m.fingerprint.as_str())
        .collect()
}

/// The state of every translation in every language but the source (index 0).
///
/// Pure apart from reading git history for translations without `source-hash` (`git` is run
/// once). This is what the site's notices and `handbok status` both use.
pub fn states(data: &ProjectData, sources: &Sources) -> Vec<LanguageStates> {
    states_with(data, sources, &diff::OldSources::new(&data.root))
}

/// [`states`], reading history through `old` (which keeps what it read).
pub fn states_with(
    data: &ProjectData,
    sources: &Sources,
    old: &diff::OldSources,
) -> Vec<LanguageStates> {
    let graph = &data.graph;
    let current = fingerprints(graph);
    let needs_git = graph.translations.iter().any(|t| t.source_hash.is_none());
    let git = if needs_git { old.git() } else { None };
    let mut orphaned = orphaned(data, sources);
    (1..data.config.languages.len())
        .map(|l| {
            let modules = (0..graph.modules.len())
                .map(|m| match graph.translated[m][l] {
                    None => State::Missing,
                    Some(t) => state(
                        &graph.translations[t],
                        current[m],
                        &sources.get(graph.modules[m].file).name,
                        &sources.get(graph.translations[t].file).name,
                        git,
                    ),
                })
                .collect();
            LanguageStates {
                lang: l,
                modules,
                orphaned: std::mem::take(&mut orphaned[l]),
            }
        })
        .collect()
}

/// One translation's state; `source` and `file` are the project-relative paths.
fn state(
    t: &Translation,
    current: &str,
    source: &str,
    file: &str,
    git: Option<&history::Git>,
) -> State {
    if t.draft {
        return State::Draft;
    }
    match &t.source_hash {
        Some(hash) if hash == current => State::Current,
        Some(_) => State::Stale,
        None => match git.map(|g| (g.last_change(source), g.last_change(file))) {
            Some((Some(source), Some(translation))) if source > translation => State::Stale,
            Some((Some(_), Some(_))) => State::Current,
            _ => State::Unknown,
        },
    }
}

/// Translation files of each language whose source module does not exist, by language index
/// (the source language's list stays empty).
fn orphaned(data: &ProjectData, sources: &Sources) -> Vec<Vec<String>> {
    let rels: HashSet<&str> = data.graph.modules.iter().map(|m| m.rel.as_str()).collect();
    let mut out = vec![Vec::new(); data.config.languages.len()];
    for (_, file) in sources.iter() {
        let Some(rest) = file.name.strip_prefix("translations/") else {
            continue;
        };
        let Some((lang, rel)) = rest.split_once('/') else {
            continue;
        };
        if !rel.ends_with(".md") || rels.contains(rel) {
            continue;
        }
        if let Some(l) = data
            .config
            .languages
            .iter()
            .position(|t| t.as_str() == lang)
        {
            out[l].push(file.name.clone());
        }
    }
    for list in &mut out {
        list.sort();
    }
    out
}

/// Translations with `status: draft`, which a build leaves out unless `--drafts`: their
/// modules show the source text under the fallback notice.
pub fn drafts(data: &ProjectData) -> HashSet<FileId> {
    data.graph
        .translations
        .iter()
        .filter(|t| t.draft)
        .map(|t| t.file)
        .collect()
}

/// W013: a `source-hash` that is well formed but matches no known state of its source: the
/// current text, a version in the store, or (looked up only for hashes neither knows, so the
/// usual case runs no `git`) a committed version. Ill-formed hashes are E040, from `check`.
///
/// `graph` is the project at `root`'s; history is read through `old`, which keeps what it read.
pub fn check_hashes(
    graph: &crate::link::Linked,
    root: &std::path::Path,
    sources: &Sources,
    old: &diff::OldSources,
    diags: &mut Diagnostics,
) {
    if !graph.translations.iter().any(|t| t.source_hash.is_some()) {
        return;
    }
    let current = fingerprints(graph);
    let stored: HashSet<String> = history::stored_fingerprints(root).into_iter().collect();
    // The hashes neither the current text nor the store knows, by source path: asked of git
    // at once.
    let unknown: Vec<(&Translation, ModuleIdx, &str, &str)> = graph
        .translations
        .iter()
        .zip(&graph.source_of)
        .filter_map(|(t, &m)| {
            let hash = t.source_hash.as_deref()?;
            let known =
                fingerprint::problem(hash).is_some() || hash == current[m] || stored.contains(hash);
            (!known).then(|| {
                (
                    &**t,
                    m,
                    sources.get(graph.modules[m].file).name.as_str(),
                    hash,
                )
            })
        })
        .collect();
    let wanted: Vec<(&str, &str)> = unknown
        .iter()
        .map(|&(_, _, path, hash)| (path, hash))
        .collect();
    old.look_up(&wanted);
    for (t, m, source, hash) in unknown {
        if old.committed(source, hash) {
            continue;
        }
        let span = t.source_hash_span.clone().unwrap_or(0..0);
        diags.push(
            Diagnostic::new(
                Code::UnknownSourceHash,
                format!("`{hash}` matches no known version of the source module"),
            )
            .at(t.file, span)
            .also(graph.modules[m].file, 0..0, "the source module")
            .help(format!(
                "if the translation matches the source now, run `handbok translate done {} {}`",
                t.lang, graph.modules[m].id
            )),
        );
    }
}

/// A stale translation: made from an earlier version of its source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Stale {
    /// The `updated` date of the source version it was made from, when that version is known.
    pub made_from: Option<String>,
}

/// `[l][m]`: the stale translations, each with the date of the source it was made from. The old
/// source is looked up once per source version (git history or the store), and only for stale
/// translations.
pub fn stale(data: &ProjectData, states: &[LanguageStates]) -> Vec<Vec<Option<Stale>>> {
    stale_with(data, states, &diff::OldSources::new(&data.root))
}

/// [`stale`], reading history through `old` (which keeps what it read).
pub fn stale_with(
    data: &ProjectData,
    states: &[LanguageStates],
    old: &diff::OldSources,
) -> Vec<Vec<Option<Stale>>> {
    let graph = &data.graph;
    // Every stale translation: its language, its module, the source's path and the
    // fingerprint of the source version it was made from.
    let wanted: Vec<(usize, crate::link::ModuleIdx, String, Option<&str>)> = states
        .iter()
        .flat_map(|language| {
            let l = language.lang;
            language
                .modules
                .iter()
                .enumerate()
                .filter(|(_, state)| **state == State::Stale)
                .map(move |(m, _)| {
                    let hash = graph.translated[m][l]
                        .and_then(|t| graph.translations[t].source_hash.as_deref());
                    (l, m, format!("guidelines/{}", graph.modules[m].rel), hash)
                })
        })
        .collect();
    // Their sources' old texts, asked of git at once.
    let look_ups: Vec<(&str, &str)> = wanted
        .iter()
        .filter_map(|(_, _, path, hash)| Some((path.as_str(), (*hash)?)))
        .collect();
    old.look_up(&look_ups);
    let mut stale = vec![Vec::new(); data.config.languages.len()];
    for language in states {
        stale[language.lang] = vec![None; language.modules.len()];
    }
    // `old` keeps each (path, fingerprint)'s date: a source stale in several languages is
    // read once.
    for (l, m, path, hash) in &wanted {
        let made_from = hash.and_then(|hash| made_from_date(old, path, hash));
        stale[*l][*m] = Some(Stale { made_from });
    }
    stale
}

/// The `updated` date of the source version a translation was made from (its `source-hash`):
/// the date a stale translation's page should show, never the newer source's. Looks in git
/// history, then the store; `None` when the version is unknown or has no `updated`.
pub fn made_from_date(old: &diff::OldSources, source: &str, hash: &str) -> Option<String> {
    old.date(source, hash, || dated(old, source, hash))
}

fn dated(old: &diff::OldSources, source: &str, hash: &str) -> Option<String> {
    let (text, _) = old.find(source, hash)?;
    let split = crate::load::frontmatter::split(&text).ok()?;
    match crate::load::yaml::parse(&text[split.yaml]).ok()? {
        crate::load::yaml::Yaml::Map(map) => map
            .into_iter()
            .find(|(k, _)| k == "updated")
            .and_then(|(_, v)| v.as_scalar()),
        _ => None,
    }
}

/// The module with id `id`, or a message that says there is none (with a suggestion).
pub fn module_by_id(data: &ProjectData, id: &str) -> Result<ModuleIdx, String> {
    data.graph.by_id.get(id).copied().ok_or_else(|| {
        let hint = crate::diag::did_you_mean(id, data.graph.by_id.keys().map(String::as_str))
            .map(|s| format!("; {s}"))
            .unwrap_or_default();
        format!("there is no module with id `{id}`{hint}")
    })
}

/// The index of language `lang` in `config.languages`, if it is a translation language.
/// The translation of module `id` into language `lang`, as (language, module, translation)
/// indexes, or a message that says which is missing and how to start it.
pub fn translation_of(
    data: &ProjectData,
    lang: &str,
    id: &str,
) -> Result<(usize, ModuleIdx, usize), String> {
    let l = language(data, lang)?;
    let m = module_by_id(data, id)?;
    match data.graph.translated[m][l] {
        Some(t) => Ok((l, m, t)),
        None => Err(format!(
            "`{id}` has no `{lang}` translation; start one with `handbok translate new {lang} {id}`"
        )),
    }
}

pub fn language(data: &ProjectData, lang: &str) -> Result<usize, String> {
    match data
        .config
        .languages
        .iter()
        .position(|l| l.to_string() == lang)
    {
        Some(0) => Err(format!("`{lang}` is the source language")),
        Some(l) => Ok(l),
        None => Err(format!(
            "`{lang}` is not one of the project's languages ({}); add it to `languages` in book.toml",
            data.config
                .languages
                .iter()
                .map(|l| l.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}
