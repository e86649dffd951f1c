//! `translate diff L ID`: what changed in a source module since its translation's
//! `source-hash`, block by block (removed, added and changed blocks, with old and new text).

use super::fingerprint::{Content, Piece};
use super::history::{self, Version};
use crate::ProjectData;
use crate::source::Sources;

/// One difference between two versions of a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Removed(Piece),
    Added(Piece),
    Changed { old: Piece, new: Piece },
}

/// The changes from `old` to `new`, in document order: a longest common subsequence of the
/// counted blocks (kind and normalized text), then each removed block followed by an added one
/// of the same kind paired as a change.
pub fn changes(old: &Content, new: &Content) -> Vec<Change> {
    let a: Vec<Piece> = old
        .pieces()
        .into_iter()
        .filter(|p| p.kind.counts())
        .collect();
    let b: Vec<Piece> = new
        .pieces()
        .into_iter()
        .filter(|p| p.kind.counts())
        .collect();
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    let mut removed: Vec<Piece> = Vec::new();
    let mut added: Vec<Piece> = Vec::new();
    let flush = |removed: &mut Vec<Piece>, added: &mut Vec<Piece>, out: &mut Vec<Change>| {
        let mut added: Vec<Option<Piece>> = std::mem::take(added).into_iter().map(Some).collect();
        for old in std::mem::take(removed) {
            match partner(&old, &added) {
                Some(k) => {
                    let new = added[k].take().unwrap_or_else(|| old.clone());
                    out.push(Change::Changed { old, new });
                }
                None => out.push(Change::Removed(old)),
            }
        }
        out.extend(added.into_iter().flatten().map(Change::Added));
    };
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            flush(&mut removed, &mut added, &mut out);
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            added.push(b[j].clone());
            j += 1;
        } else {
            removed.push(a[i].clone());
            i += 1;
        }
    }
    flush(&mut removed, &mut added, &mut out);
    out
}

/// Which of the `added` blocks (taken ones are `None`) is the new text of `old`: the one of the
/// same kind sharing the most words with it, or, when none shares a word, the only added block
/// of its kind (a rewritten paragraph).
fn partner(old: &Piece, added: &[Option<Piece>]) -> Option<usize> {
    let words = |text: &str| -> std::collections::HashSet<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let mine = words(&old.text);
    let same_kind: Vec<(usize, &Piece)> = added
        .iter()
        .enumerate()
        .filter_map(|(k, p)| p.as_ref().map(|p| (k, p)))
        .filter(|(_, p)| p.kind == old.kind)
        .collect();
    let best = same_kind
        .iter()
        .map(|(k, p)| (words(&p.text).intersection(&mine).count(), *k))
        .filter(|(shared, _)| *shared > 0)
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    match best {
        Some((_, k)) => Some(k),
        None if same_kind.len() == 1 => Some(same_kind[0].0),
        None => None,
    }
}

/// Where the old source text came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A git commit (its hash).
    Git(String),
    /// handbok's store (`.handbok/sources/…`).
    Store,
}

/// Where earlier versions of source files are found: git history (opened once, on the first
/// look-up, when the project is a git checkout), then handbok's store. One per command, so a
/// run that looks up many versions reads the history once.
pub struct OldSources {
    root: std::path::PathBuf,
    git: std::sync::OnceLock<Option<history::Git>>,
    /// What [`super::made_from_date`] found, by (source path, fingerprint): a version's text
    /// never changes, so `serve` asks git once per version, not once per edit.
    dates: std::sync::Mutex<std::collections::HashMap<(String, String), Option<String>>>,
    /// By (source path, fingerprint): the newest committed version of the path with that
    /// fingerprint, if there is one.
    committed: std::sync::Mutex<std::collections::HashMap<(String, String), Option<Version>>>,
}

impl OldSources {
    pub fn new(root: &std::path::Path) -> Self {
        OldSources {
            root: root.to_path_buf(),
            git: std::sync::OnceLock::new(),
            dates: Default::default(),
            committed: Default::default(),
        }
    }

    /// Looks up in git history, all at once, the committed versions of each (source path,
    /// fingerprint) of `wanted` not looked up before: a caller with many gives them here
    /// first, so that git reads every old text in one go.
    pub fn look_up(&self, wanted: &[(&str, &str)]) {
        let mut committed = self.committed.lock().unwrap_or_else(|p| p.into_inner());
        let new: Vec<(&str, &str)> = wanted
            .iter()
            .copied()
            .filter(|&(path, hash)| !committed.contains_key(&(path.to_string(), hash.to_string())))
            .collect();
        if new.is_empty() {
            return;
        }
        let asked: std::collections::HashSet<(&str, &str)> = new.iter().copied().collect();
        let mut paths: Vec<&str> = new.iter().map(|(path, _)| *path).collect();
        paths.sort_unstable();
        paths.dedup();
        if let Some(git) = self.git() {
            git.versions(&paths, &mut |path, versions| {
                // Newest first: the first version with a fingerprint is the one kept.
                for version in versions {
                    let Some(hash) = super::fingerprint::of_file(&version.text) else {
                        continue;
                    };
                    let key = (path.to_string(), hash);
                    if !committed.contains_key(&key) && asked.contains(&(path, key.1.as_str())) {
                        committed.insert(key, Some(version));
                    }
                }
            });
        }
        for (path, hash) in new {
            committed
                .entry((path.to_string(), hash.to_string()))
                .or_insert(None);
        }
    }

    /// The newest committed version of `path` with fingerprint `hash`.
    fn committed_version(&self, path: &str, hash: &str) -> Option<Version> {
        self.look_up(&[(path, hash)]);
        let committed = self.committed.lock().unwrap_or_else(|p| p.into_inner());
        committed
            .get(&(path.to_string(), hash.to_string()))
            .cloned()
            .flatten()
    }

    /// Whether a committed version of `path` has fingerprint `hash`.
    pub fn committed(&self, path: &str, hash: &str) -> bool {
        self.committed_version(path, hash).is_some()
    }

    /// The project's git history (read on first use), if it is in a git work tree.
    pub fn git(&self) -> Option<&history::Git> {
        self.git
            .get_or_init(|| history::Git::open(&self.root))
            .as_ref()
    }

    /// The source text a fingerprint was taken from: git history of `path` first, then the
    /// store.
    pub fn find(&self, path: &str, hash: &str) -> Option<(String, Origin)> {
        if let Some(version) = self.committed_version(path, hash) {
            return Some((version.text, Origin::Git(version.commit)));
        }
        history::stored(&self.root, hash).map(|text| (text, Origin::Store))
    }

    /// The memo of [`super::made_from_date`].
    pub(super) fn date(
        &self,
        path: &str,
        hash: &str,
        find: impl FnOnce() -> Option<String>,
    ) -> Option<String> {
        let key = (path.to_string(), hash.to_string());
        if let Some(date) = self
            .dates
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
        {
            return date.clone();
        }
        let date = find();
        self.dates
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, date.clone());
        date
    }
}

/// The report `translate diff L ID` prints.
pub fn report(
    data: &ProjectData,
    sources: &Sources,
    lang: &str,
    id: &str,
) -> Result<String, String> {
    let (_, m, t) = super::translation_of(data, lang, id)?;
    let graph = &data.graph;
    let t = &graph.translations[t];
    let source = sources.get(graph.modules[m].file);
    let Some(hash) = &t.source_hash else {
        return Err(format!(
            "{} has no `source-hash`, so the version it was made from is not known; compare it \
             with the source, then run `handbok translate done {lang} {id}`",
            sources.get(t.file).name
        ));
    };
    let new = Content::from_file(source.text())
        .ok_or_else(|| format!("{} has no readable front matter", source.name))?;
    if new.fingerprint() == *hash {
        return Ok(format!(
            "{} is current: {} has not changed since it was translated\n",
            sources.get(t.file).name,
            source.name
        ));
    }
    let (old_text, origin) = OldSources::new(&data.root).find(&source.name, hash).ok_or_else(|| {
        format!(
            "no version of {} with fingerprint {hash} is known (neither in git history nor in {}); \
             compare the translation with the source by hand, then run `handbok translate done {lang} {id}`",
            source.name,
            history::STORE
        )
    })?;
    let old = Content::from_file(&old_text)
        .ok_or_else(|| format!("the old version of {} is unreadable", source.name))?;
    let from = match origin {
        Origin::Git(rev) => format!("git commit {}", &rev[..rev.len().min(10)]),
        Origin::Store => format!("{}/", history::STORE),
    };
    let mut out = format!(
        "{} changed since {} was translated ({hash} → {}, old text from {from}):\n",
        source.name,
        sources.get(t.file).name,
        new.fingerprint()
    );
    for change in changes(&old, &new) {
        out.push('\n');
        match change {
            Change::Removed(p) => {
                out.push_str(&format!("removed {}:\n  - {}\n", p.kind.name(), p.text))
            }
            Change::Added(p) => {
                out.push_str(&format!("added {}:\n  + {}\n", p.kind.name(), p.text))
            }
            Change::Changed { old, new } => out.push_str(&format!(
                "changed {}:\n  - {}\n  + {}\n",
                new.kind.name(),
                old.text,
                new.text
            )),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(body: &str) -> Content {
        Content {
            title: "T".into(),
            summary: "S".into(),
            keywords: vec![],
            body: body.into(),
        }
    }

    #[test]
    fn pairs_changed_blocks_and_keeps_order() {
        let old = content("# A\n\nOne.\n\nTwo.\n\n- x\n");
        let new = content("# A\n\nOne, better.\n\nTwo.\n\n## B\n");
        let got: Vec<String> = changes(&old, &new)
            .into_iter()
            .map(|c| match c {
                Change::Removed(p) => format!("-{}", p.text),
                Change::Added(p) => format!("+{}", p.text),
                Change::Changed { old, new } => format!("{}>{}", old.text, new.text),
            })
            .collect();
        assert_eq!(got, ["One.>One, better.", "-x", "+B"]);
    }
}
