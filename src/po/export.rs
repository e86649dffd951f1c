//! `po export L`: every module → `DIR/<module path>.po` (see the [module docs](super)).

use super::format::{self, Entry, File};
use super::units;
use crate::ProjectData;
use crate::source::Sources;
use crate::translate::{fingerprint, language};
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
    let old_sources = crate::translate::diff::OldSources::new(&data.root);
    for (m, module) in graph.modules.iter().enumerate() {
        let source = sources.get(module.file);
        let Some(src) = units::units(source.text(), &module.id) else {
            continue;
        };
        let hash = fingerprint::of_file(source.text()).unwrap_or_default();
        let translation = graph.translated[m][l].map(|t| &graph.translations[t]);
        let ours = translation.and_then(|t| units::units(sources.get(t.file).text(), &module.id));
        let made_from = translation.map_or(super::MadeFrom::Current, |t| {
            super::made_from(&old_sources, &source.name, &module.id, t, &hash)
        });
        let old = match &made_from {
            super::MadeFrom::Earlier(old) => Some(old.as_slice()),
            _ => None,
        };
        let pairs = ours.as_deref().map(|o| units::pair(&src, o, old));
        let mut file = File {
            header: header(data, &tag, module, translation.map(|t| t.as_ref()), &hash),
            entries: Vec::new(),
        };
        for (i, unit) in src.iter().enumerate() {
            if unit.text.is_empty() {
                continue;
            }
            let text = match (&ours, &pairs) {
                (Some(ours), Some(pairs)) => pairs[i].map(|j| ours[j].text.clone()),
                _ => None,
            }
            .unwrap_or_default();
            let (fuzzy, previous) = super::review(&made_from, &src, i, &text);
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
