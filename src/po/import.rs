//! `po import L [PATH...]`: PO files → Markdown translations (see the [module docs](super)).
//!
//! An existing translation is edited in place: only the blocks whose msgstr changed are
//! replaced, so every other byte (wrapping, markup, `{#id}`s, code) stays. A missing one is
//! made from the source file, each block's text replaced by its msgstr inside the source's
//! Markdown. Every write is atomic.

use super::format::{Entry, File};
use super::units::{self, Unit};
use crate::ProjectData;
use crate::load::frontmatter;
use crate::source::Sources;
use crate::translate::fingerprint::{self, BlockKind};
use crate::translate::{files, history, language, module_by_id};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// What an import did, file by file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    /// Translation files written (project-relative).
    pub written: Vec<String>,
    /// PO files with nothing to write.
    pub unchanged: usize,
    /// Translations now recording the current source (`source-hash`).
    pub current: Vec<String>,
    /// Conflicts and unreadable PO files: nothing was written for these.
    pub problems: Vec<String>,
}

/// Imports the PO files at `paths` (files, or folders searched for `*.po`; default `po/L/`).
pub fn import(
    data: &ProjectData,
    sources: &Sources,
    lang: &str,
    paths: &[PathBuf],
) -> Result<Imported, String> {
    let l = language(data, lang)?;
    let tag = data.config.languages[l].to_string();
    let default = [data.root.join("po").join(&tag)];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(path)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| p.extension().is_some_and(|x| x == "po"))
                .collect();
            found.sort();
            files.extend(found);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(format!("{}: no such file or folder", path.display()));
        }
    }
    let mut done = Imported::default();
    let old_sources = crate::translate::diff::OldSources::new(&data.root);
    for path in files {
        if let Err(problem) = one(data, sources, &old_sources, l, &tag, &path, &mut done) {
            done.problems.push(format!("{}: {problem}", path.display()));
        }
    }
    Ok(done)
}

/// Imports one PO file; an error says why nothing was written for it.
fn one(
    data: &ProjectData,
    sources: &Sources,
    old_sources: &crate::translate::diff::OldSources,
    l: usize,
    tag: &str,
    path: &Path,
    done: &mut Imported,
) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("reading: {e}"))?;
    let po = File::parse(&text).map_err(|(line, m)| format!("line {line}: {m}"))?;
    if po.field("Language") != Some(tag) {
        return Err(format!(
            "its `Language` is {:?}, not `{tag}`",
            po.field("Language").unwrap_or("")
        ));
    }
    let id = po.field(super::MODULE_FIELD).ok_or_else(|| {
        format!(
            "no `{}` header: not exported by handbok",
            super::MODULE_FIELD
        )
    })?;
    let m = module_by_id(data, id)?;
    let graph = &data.graph;
    let module = &graph.modules[m];
    let source = sources.get(module.file);
    let hash = fingerprint::of_file(source.text()).unwrap_or_default();
    if po.field(super::SOURCE_HASH_FIELD) != Some(hash.as_str()) {
        return Err(format!(
            "{} changed since this file was exported; run `handbok po export {tag}` and merge \
             the new file with this one in your tool (or `msgmerge`), then import that",
            source.name
        ));
    }
    let src = units::units(source.text(), &module.id)
        .ok_or_else(|| format!("{} has no readable front matter", source.name))?;
    let t = graph.translated[m][l].map(|t| &graph.translations[t]);
    let rel = format!("translations/{tag}/{}", module.rel);
    let old_text = t.map(|t| sources.get(t.file).text());
    let ours = match old_text {
        Some(text) => Some(
            units::units(text, &module.id)
                .ok_or_else(|| format!("{rel} has no readable front matter"))?,
        ),
        None => None,
    };
    let made_from = t.map_or(super::MadeFrom::Current, |t| {
        super::made_from(old_sources, &source.name, &module.id, t, &hash)
    });
    let plan = Plan::new(&po, &src, ours.as_deref(), &made_from, &rel)?;
    let complete = !plan.fuzzy && !plan.incomplete;
    let (new_text, recorded) = match (old_text, &ours) {
        (Some(old), Some(ours)) => {
            let text = plan.rewrite(old, ours, source.text());
            // The source-hash says the body matches the source's blocks: only then, and only
            // when something was done (an unchanged round trip changes no byte).
            let like_source = plan.lined_up || (plan.relayout && plan.body_edits());
            if complete && like_source && (plan.reviewed(ours) || text != old) {
                (files::record(&text, &hash).unwrap_or(text), true)
            } else {
                (text, false)
            }
        }
        _ if plan.edits.is_empty() => (String::new(), false),
        _ => {
            let text = new_translation(source.text(), &src, &plan.edits, complete);
            if complete {
                (files::record(&text, &hash).unwrap_or(text), true)
            } else {
                (text, false)
            }
        }
    };
    if new_text.is_empty() || Some(new_text.as_str()) == old_text {
        done.unchanged += 1;
        return Ok(());
    }
    if recorded {
        history::store(&data.root, &hash, source.text())
            .map_err(|e| format!("storing the source version: {e}"))?;
        done.current.push(rel.clone());
    }
    files::write_atomic(&data.root.join(&rel), new_text.as_bytes())
        .map_err(|e| format!("writing {rel}: {e}"))?;
    done.written.push(rel);
    Ok(())
}

/// What importing one PO file into one translation means: the units to write, and whether the
/// result is complete.
struct Plan<'a> {
    src: &'a [Unit],
    made_from: &'a super::MadeFrom,
    /// For each source unit, its partner in the translation ([`units::pair`]).
    pairs: Vec<Option<usize>>,
    /// The translation's blocks line up with the source's.
    lined_up: bool,
    /// They line up with the version it was made from instead: a changed body is laid out
    /// anew inside the current source's Markdown (the translation's texts kept).
    relayout: bool,
    /// (source unit, its new text).
    edits: Vec<(usize, String)>,
    fuzzy: bool,
    incomplete: bool,
}

impl<'a> Plan<'a> {
    /// Compares every entry with what was exported and with the translation now; the error
    /// lists the conflicts.
    fn new(
        po: &File,
        src: &'a [Unit],
        ours: Option<&[Unit]>,
        made_from: &'a super::MadeFrom,
        rel: &str,
    ) -> Result<Plan<'a>, String> {
        let old = match made_from {
            super::MadeFrom::Earlier(old) => Some(old.as_slice()),
            _ => None,
        };
        let lined_up = ours.is_some_and(|o| units::same_structure(src, o));
        let relayout =
            !lined_up && old.is_some_and(|old| ours.is_some_and(|o| units::same_structure(old, o)));
        let mut plan = Plan {
            src,
            made_from,
            pairs: ours.map_or_else(|| vec![None; src.len()], |o| units::pair(src, o, old)),
            lined_up,
            relayout,
            edits: Vec::new(),
            fuzzy: false,
            incomplete: false,
        };
        let mut conflicts = Vec::new();
        for (i, unit) in src.iter().enumerate() {
            if unit.text.is_empty() {
                continue;
            }
            let entry = po
                .entries
                .iter()
                .find(|e| e.context.as_deref() == Some(unit.context.as_str()));
            let want = entry
                .map(|e| fingerprint::normalize(&e.text))
                .unwrap_or_default();
            plan.fuzzy |= entry.is_some_and(|e| e.fuzzy);
            // A translation may leave keywords out (the source's are used then).
            plan.incomplete |= want.is_empty() && unit.kind != BlockKind::Keywords;
            let partner = plan.pairs[i];
            let current = ours.zip(partner).map(|(o, j)| o[j].text.as_str());
            let Some(was) = entry.and_then(exported_as) else {
                // Not exported by handbok: nothing to check against.
                if !want.is_empty() && Some(want.as_str()) != current {
                    plan.edits.push((i, want));
                }
                continue;
            };
            if super::was(unit.kind, &want) == was || Some(want.as_str()) == current {
                continue;
            }
            if super::was(unit.kind, current.unwrap_or("")) != was {
                let place = match (ours, current.and(partner)) {
                    (Some(o), Some(j)) if was == "none" => {
                        format!("{rel}:{}, written since", o[j].line)
                    }
                    (Some(o), Some(j)) => format!("{rel}:{}", o[j].line),
                    (Some(_), None) => {
                        format!("{rel}, whose blocks no longer line up with the source's")
                    }
                    (None, _) => format!("{rel}, gone since"),
                };
                conflicts.push(format!(
                    "`{}`: the translation changed after the export ({place}); copy your text \
                     into the Markdown there, or export again",
                    unit.context
                ));
            } else if ours.is_some() && !lined_up && !relayout && i >= 3 {
                conflicts.push(format!(
                    "`{}`: {rel}'s blocks do not line up with the source's, so the text has no \
                     place there; edit the Markdown",
                    unit.context
                ));
            } else {
                plan.edits.push((i, want));
            }
        }
        if conflicts.is_empty() {
            Ok(plan)
        } else {
            Err(format!("not imported:\n  {}", conflicts.join("\n  ")))
        }
    }

    fn body_edits(&self) -> bool {
        self.edits.iter().any(|(i, _)| *i >= 3)
    }

    /// Whether the export marked any entry fuzzy (cleared in the PO file, they say "reviewed").
    fn reviewed(&self, ours: &[Unit]) -> bool {
        (0..self.src.len()).any(|i| {
            let text = self.pairs[i].map_or("", |j| ours[j].text.as_str());
            super::review(self.made_from, self.src, i, text).0
        })
    }

    /// The existing translation `old` (whose units are `ours`) with the edits made: in place
    /// when it lines up with the source, laid out anew when it lines up with the version it
    /// was made from and its body changed, else only its front matter edited.
    fn rewrite(&self, old: &str, ours: &[Unit], source: &str) -> String {
        if self.lined_up {
            return apply(old, ours, &self.edits);
        }
        let front: Vec<(usize, String)> =
            self.edits.iter().filter(|(i, _)| *i < 3).cloned().collect();
        let text = apply(old, ours, &front);
        if !(self.relayout && self.body_edits()) {
            return text;
        }
        // Every body block: its new text, else the translation's, else the source's.
        let texts: Vec<(usize, String)> = (3..self.src.len())
            .filter_map(|i| {
                self.edits
                    .iter()
                    .find(|(k, _)| *k == i)
                    .map(|(_, w)| w.clone())
                    .or_else(|| self.pairs[i].map(|j| ours[j].text.clone()))
                    .filter(|w| !w.is_empty())
                    .map(|w| (i, w))
            })
            .collect();
        let front_end = frontmatter::split(&text).map_or(0, |s| s.body.start);
        format!(
            "{}\n{}",
            &text[..front_end],
            skeleton_body(source, self.src, &texts)
        )
    }
}

/// The fingerprint an entry's msgstr had when exported (its `handbok-was` note).
fn exported_as(entry: &Entry) -> Option<&str> {
    entry.notes.iter().find_map(|n| n.strip_prefix(super::WAS))
}

/// `text` (whose units are `ours`) with the units at the edits' indexes replaced.
fn apply(text: &str, ours: &[Unit], edits: &[(usize, String)]) -> String {
    let mut spans: Vec<(Range<usize>, String)> = edits
        .iter()
        .map(|(i, want)| {
            let unit = &ours[*i];
            let replacement = match unit.kind {
                BlockKind::Title | BlockKind::Summary | BlockKind::Keywords => {
                    front_matter_line(text, unit, want)
                }
                // A `|` a translator typed would end the table cell: escape it.
                BlockKind::Cell => escape_pipes(want),
                // An HTML block's range takes its line end along: keep it.
                _ if text[unit.range.clone()].ends_with('\n') => format!("{want}\n"),
                _ => want.clone(),
            };
            (unit.range.clone(), replacement)
        })
        .collect();
    spans.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = text.to_string();
    for (range, replacement) in spans {
        out.replace_range(range, &replacement);
    }
    out
}

/// `text` with every `|` that is not already escaped written as `\|`, so it stays inside its
/// table cell.
fn escape_pipes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut escaped = false;
    for c in text.chars() {
        if c == '|' && !escaped {
            out.push('\\');
        }
        escaped = c == '\\' && !escaped;
        out.push(c);
    }
    out
}

/// The YAML line(s) for a front-matter unit: `key: value`, keywords as a flow list; a key
/// that was absent is added before the closing fence.
fn front_matter_line(text: &str, unit: &Unit, want: &str) -> String {
    let value = if unit.kind == BlockKind::Keywords {
        let items: Vec<String> = want
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(files::yaml_scalar)
            .collect();
        format!("[{}]", items.join(", "))
    } else {
        files::yaml_scalar(want)
    };
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lead = if unit.range.is_empty() && !text[..unit.range.start].ends_with('\n') {
        newline
    } else {
        ""
    };
    format!("{lead}{}: {value}{newline}", unit.kind.name())
}

/// A new translation: front matter from the title, summary and keywords entries, the source's
/// body with every translated block replaced; `status: draft` unless `complete`.
fn new_translation(
    source: &str,
    src: &[Unit],
    edits: &[(usize, String)],
    complete: bool,
) -> String {
    let body_edits: Vec<(usize, String)> = edits.iter().filter(|(i, _)| *i >= 3).cloned().collect();
    let body = skeleton_body(source, src, &body_edits);
    let field = |i: usize| {
        edits
            .iter()
            .find(|(j, _)| *j == i)
            .map(|(_, w)| w.clone())
            .unwrap_or_else(|| src[i].text.clone())
    };
    let mut out = String::from("---\n");
    out.push_str(&format!("title: {}\n", files::yaml_scalar(&field(0))));
    out.push_str(&format!("summary: {}\n", files::yaml_scalar(&field(1))));
    if let Some((_, keywords)) = edits.iter().find(|(i, _)| *i == 2) {
        let unit = Unit {
            range: 0..0,
            ..src[2].clone()
        };
        out.push_str(&front_matter_line("\n", &unit, keywords));
    }
    if !complete {
        out.push_str("status: draft\n");
    }
    out.push_str("---\n\n");
    out.push_str(&body);
    out
}

/// The source's body with the body units at the texts' indexes replaced, without the blank
/// lines it starts with.
fn skeleton_body(source: &str, src: &[Unit], texts: &[(usize, String)]) -> String {
    let replaced = apply(source, src, texts);
    frontmatter::split(&replaced)
        .map(|s| {
            replaced[s.body]
                .trim_start_matches(['\r', '\n'])
                .to_string()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pipe_in_a_translated_cell_stays_in_its_cell() {
        assert_eq!(
            escape_pipes("a | b \\| c \\\\| d"),
            "a \\| b \\| c \\\\\\| d"
        );
        let text = "---\ntitle: T\nsummary: S\n---\n| A | B |\n|---|---|\n| x | y |\n";
        let ours = units::units(text, "m").unwrap();
        let cell = ours
            .iter()
            .position(|u| &text[u.range.clone()] == "x")
            .unwrap();
        let out = apply(text, &ours, &[(cell, "ja | nej".to_string())]);
        assert!(out.ends_with("| ja \\| nej | y |\n"), "{out}");
    }

    #[test]
    fn replaces_blocks_in_place_keeping_line_ends() {
        let text =
            "---\ntitle: T\nsummary: S\n---\n# A {#a}\n\n<div>\nRaw\n</div>\n\n- x\n  wrapped\n";
        let ours = units::units(text, "m").unwrap();
        let kinds: Vec<&str> = ours.iter().map(|u| u.kind.name()).collect();
        assert_eq!(
            kinds,
            ["title", "summary", "keywords", "heading", "html", "item"]
        );
        let edits = [
            (0, "Titel: ny".to_string()),
            (3, "B".to_string()),
            (4, "<div> Rå </div>".to_string()),
            (5, "y z".to_string()),
        ];
        assert_eq!(
            apply(text, &ours, &edits),
            "---\ntitle: \"Titel: ny\"\nsummary: S\n---\n# B {#a}\n\n<div> Rå </div>\n\n- y z\n"
        );
    }
}
