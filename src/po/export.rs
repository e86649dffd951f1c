//! `po export L`: every module → `DIR/<module path>.po` (see the [module docs](super)).

use super::format::{self, Entry, File};
use super::units::{self, Unit};
use crate::ProjectData;
use crate::source::Sources;
use crate::translate::{diff, fingerprint, language};
use std::path::Path;

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exported {
    pub files: usize,
    pub entries: usize,
    pub untranslated: usize,
    pub fuzzy: usize,
}

/// Writes one PO file per module of language `lang` under `out`.
pub fn export(
    data: &ProjectData,
    sources: &Sources,
    lang: &str,
    out: &Path,
) -> Result<Exported, String> {
    let l = language(data, lang)?;
    let tag = data.config.languages[l].to_string();
    let graph = &data.graph;
    let mut done = Exported::default();
    for (m, module) in graph.modules.iter().enumerate() {
        let source = sources.get(module.file);
        let Some(src) = units::units(&source.text, &module.id) else {
            continue;
        };
        let hash = fingerprint::of_file(&source.text).unwrap_or_default();
        let translation = graph.translated[m][l].map(|t| &graph.translations[t]);
        let ours = translation.and_then(|t| units::units(&sources.get(t.file).text, &module.id));
        // Units the source had when the translation was made, when it is stale and known.
        let old = translation
            .and_then(|t| t.source_hash.as_ref())
            .filter(|h| **h != hash)
            .map(|h| {
                diff::old_source(&data.root, &source.name, h)
                    .and_then(|(text, _)| units::units(&text, &module.id))
            });
        let mut file = File {
            header: header(data, &tag, module, translation, &hash),
            entries: Vec::new(),
        };
        for (i, unit) in src.iter().enumerate() {
            if unit.text.is_empty() {
                continue;
            }
            let text = msgstr(&src, ours.as_deref(), i);
            let (fuzzy, previous) = match &old {
                _ if text.is_empty() => (false, None),
                None => (false, None),
                // The old source is unknown: every translated entry needs a look.
                Some(None) => (true, None),
                Some(Some(old)) => match old.iter().find(|o| o.context == unit.context) {
                    Some(o) if o.text == unit.text => (false, None),
                    Some(o) => (true, Some(o.text.clone()).filter(|t| !t.is_empty())),
                    None => (true, None),
                },
            };
            done.entries += 1;
            done.untranslated += usize::from(text.is_empty());
            done.fuzzy += usize::from(fuzzy);
            let mut notes = Vec::new();
            if unit.kind == fingerprint::BlockKind::Keywords {
                notes.push("Keywords, separated by commas.".to_string());
            }
            notes.push(format!("{}{}", super::WAS, super::was(unit.kind, &text)));
            file.entries.push(Entry {
                notes,
                references: vec![format!("{}:{}", source.name, unit.line)],
                fuzzy,
                previous,
                context: Some(unit.context.clone()),
                id: unit.text.clone(),
                text,
            });
        }
        let rel = module.rel.strip_suffix(".md").unwrap_or(&module.rel);
        let path = out.join(format!("{rel}.po"));
        crate::translate::files::write_atomic(&path, file.write().as_bytes())
            .map_err(|e| format!("writing {}: {e}", path.display()))?;
        done.files += 1;
    }
    Ok(done)
}

/// The translation's text for source unit `i`: front-matter units always pair by kind, body
/// units only when the translation's blocks line up with the source's.
fn msgstr(src: &[Unit], ours: Option<&[Unit]>, i: usize) -> String {
    let Some(ours) = ours else {
        return String::new();
    };
    // `units` always starts with title, summary and keywords.
    if i < 3 || units::same_structure(src, ours) {
        ours[i].text.clone()
    } else {
        String::new()
    }
}

/// The header fields: what gettext tools expect (`msgfmt --check` wants the revision date,
/// translator and team), and handbok's own (module, source version). The date is the
/// translation's `updated` or the source's, so exporting twice writes the same file.
fn header(
    data: &ProjectData,
    tag: &str,
    module: &crate::model::Module,
    translation: Option<&crate::model::Translation>,
    hash: &str,
) -> Vec<(String, String)> {
    let date = translation
        .and_then(|t| t.updated.as_ref())
        .or(module.updated.as_ref())
        .map(|d| format!("{d} 00:00+0000"));
    let translators = translation
        .map(|t| t.translators.join(", "))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "none".to_string());
    let mut fields = vec![("Project-Id-Version", data.config.title.clone())];
    if let Some(date) = date {
        fields.push(("PO-Revision-Date", date));
    }
    fields.extend([
        ("Last-Translator", translators),
        ("Language-Team", tag.to_string()),
        ("Language", tag.to_string()),
        ("MIME-Version", "1.0".to_string()),
        ("Content-Type", "text/plain; charset=UTF-8".to_string()),
        ("Content-Transfer-Encoding", "8bit".to_string()),
        ("Plural-Forms", format::plural_forms(tag).to_string()),
        (super::MODULE_FIELD, module.id.clone()),
        (super::SOURCE_HASH_FIELD, hash.to_string()),
    ]);
    fields
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}
