//! `handbok schema`: the front-matter rules of `check` → a JSON Schema for editors.
//!
//! Draft-07, the newest draft yaml-language-server (VS Code's YAML extension, and the YAML
//! support of many other editors) fully supports. One schema per kind of document, since an
//! editor binds one schema to each glob: modules (`guidelines/**`) and translations
//! (`translations/**`). Built from the tables `check` reads ([`MODULE_FIELDS`],
//! [`TRANSLATION_FIELDS`], the vocabularies, the project's subjects from `book.toml`) and
//! described with the English labels, so it cannot drift from what `check` accepts; `check`
//! stays the authority for what a schema cannot say (a real date, unique ids, links).

use crate::check::{
    MODULE_FIELDS, MODULE_REQUIRED, SUMMARY_LIMIT, TRANSLATION_FIELDS, TRANSLATION_REQUIRED,
    TRANSLATION_STATUSES,
};
use crate::config::Config;
use crate::i18n::UiText;
use crate::vocab::{Competence, Level, Need, Status};
use serde_json::{Map, Value, json};

/// Which front matter a schema describes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// A module under guidelines/.
    #[default]
    Module,
    /// A translation under translations/<lang>/.
    Translation,
}

/// `[a-z0-9]+(-[a-z0-9]+)*`: [`crate::check::fields::is_kebab_id`] as a regular expression.
const ID_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";
/// The shape of a date; `check` also rejects dates that do not exist (E024).
const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

/// The JSON Schema of `kind`'s front matter in the project configured by `config`.
pub fn schema(kind: Kind, config: &Config) -> Value {
    let english = crate::i18n::english();
    let (fields, required, title, about) = match kind {
        Kind::Module => (
            MODULE_FIELDS,
            MODULE_REQUIRED,
            "handbok module front matter",
            "The front matter of a module under guidelines/ (see docs/authoring.md).",
        ),
        Kind::Translation => (
            TRANSLATION_FIELDS,
            TRANSLATION_REQUIRED,
            "handbok translation front matter",
            "The front matter of a translation under translations/<lang>/: everything but these \
             fields is inherited from the source module (see docs/translating.md).",
        ),
    };
    let properties: Map<String, Value> = fields
        .iter()
        .map(|field| {
            let schema = property(kind, field, config, &english).unwrap_or_else(|| json!({}));
            (field.to_string(), schema)
        })
        .collect();
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": title,
        "description": about,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// The schema of one field, `None` for a field this file does not know (a unit test makes sure
/// there is none).
fn property(kind: Kind, field: &str, config: &Config, english: &UiText) -> Option<Value> {
    let translation = kind == Kind::Translation;
    Some(match field {
        "id" if translation => id("Optional; when given, it must equal the source module's id."),
        "id" => id(
            "The module's id, unique in the project: links (`guide:ID`) and translations follow \
             it, so the file can move freely.",
        ),
        "title" if translation => text("The translated title."),
        "title" => text("The title, plain text: the page's only level-1 heading."),
        "summary" => text(&format!(
            "One or two sentences{}, shown in lists and search results (a warning past \
             {SUMMARY_LIMIT} characters).",
            if translation { ", translated" } else { "" }
        )),
        "levels" => list(
            terms(Level::spellings().map(|s| {
                let level = Level::parse(s).unwrap_or(Level::Isced0);
                let other = if s == level.key() {
                    level.name()
                } else {
                    level.key()
                };
                (
                    s.to_string(),
                    format!("{} (also `{other}`)", label(&english.isced, &level, s)),
                )
            })),
            "ISCED 2011 levels of education the module is for: a code (`isced-1`) or a name \
             (`primary`). At least one.",
            1,
        ),
        "subjects" => list(
            terms(config.subjects().iter().map(|subject| {
                let key = subject.key();
                let project = config.project_subjects.iter().find(|(k, _)| &**k == key);
                let name = project.map_or_else(
                    || label(&english.subjects, &key.to_string(), key),
                    |(_, label)| label.clone(),
                );
                (key.to_string(), name)
            })),
            "School subjects: the built-in terms and those the project adds under \
             `[handbok.subjects]` in book.toml. At least one.",
            1,
        ),
        "accessibility" => list(
            terms(Need::ALL.iter().map(|need| {
                (
                    need.key().to_string(),
                    label(&english.needs, need, need.key()),
                )
            })),
            "Learner needs the module addresses.",
            0,
        ),
        "competences" => list(
            terms(Competence::all().map(|c| {
                let key = c.key();
                let name = label(&english.competences, &c, &key);
                (key, name)
            })),
            "DigCompEdu competences the module develops, quoted so YAML reads them as text: \
             `[\"3.1\", \"5.1\"]`.",
            0,
        ),
        "related" => list(
            id("The id of a related module."),
            "Ids of related modules, shown as links on the module's page.",
            0,
        ),
        "keywords" => list(
            text("A keyword."),
            if translation {
                "Keywords in the translation's language, for its pages and search."
            } else {
                "Free keywords, for search."
            },
            0,
        ),
        "status" if translation => described(
            json!({
                "type": "string",
                "enum": TRANSLATION_STATUSES,
                "enumDescriptions": [
                    "Not published yet: the site shows the source text (unless `build --drafts`).",
                    "Published (the default).",
                ],
            }),
            "`draft` until the translation is ready; `handbok translate done` removes it.",
        ),
        "status" => described(
            json!({
                "type": "string",
                "enum": Status::keys().collect::<Vec<_>>(),
                "enumDescriptions": Status::ALL.iter().map(|s| match s {
                    Status::Draft => "Checked, but only built with `handbok build --drafts`.",
                    Status::Review => "Being reviewed; published like `published`.",
                    Status::Published => "Published (the default).",
                }).collect::<Vec<_>>(),
            }),
            "Publication status (default `published`).",
        ),
        "updated" => described(
            json!({
                "type": "string",
                "pattern": DATE_PATTERN,
                "patternErrorMessage": "Write the date as YYYY-MM-DD, e.g. 2025-03-14.",
            }),
            if translation {
                "When the translation's text last changed, `YYYY-MM-DD`."
            } else {
                "When the module last changed, `YYYY-MM-DD`."
            },
        ),
        "authors" => list(
            text("An author: a person or an organisation."),
            "Authors.",
            0,
        ),
        "translators" => list(text("A translator."), "Translators.", 0),
        "country" => described(
            json!({
                "type": "string",
                "enum": crate::check::fields::country_codes().collect::<Vec<_>>(),
            }),
            "The country the guidance is written for: an ISO 3166-1 alpha-2 code (`SE`, `DE`, \
             …) or `EU`.",
        ),
        "license" => text(&format!(
            "An SPDX license identifier (`CC-BY-4.0`, `CC0-1.0`, …); default: `{}` from book.toml.",
            config.license
        )),
        "source-hash" => described(
            json!({
                "type": "string",
                "pattern": format!(
                    "^{}[0-9a-f]{{{}}}$",
                    crate::translate::fingerprint::PREFIX,
                    crate::translate::fingerprint::HEX_DIGITS
                ),
                "patternErrorMessage": "Written by handbok: run `handbok translate done LANG ID`.",
            }),
            "The fingerprint of the source text the translation was made from, written by \
             `handbok translate done`: it tells whether the translation is current or stale.",
        ),
        _ => return None,
    })
}

/// `value` with a description for hovers (plain, and Markdown for editors that render it).
fn described(mut value: Value, description: &str) -> Value {
    if let Value::Object(map) = &mut value {
        map.insert("description".into(), description.into());
        map.insert("markdownDescription".into(), description.into());
    }
    value
}

/// Text that is not empty or blank.
fn text(description: &str) -> Value {
    described(
        json!({"type": "string", "minLength": 1, "pattern": "\\S"}),
        description,
    )
}

fn id(description: &str) -> Value {
    described(
        json!({
            "type": "string",
            "pattern": ID_PATTERN,
            "maxLength": 64,
            "patternErrorMessage": "Lower-case letters, digits and single `-`, e.g. `captions-for-video`.",
        }),
        description,
    )
}

fn list(items: Value, description: &str, min_items: usize) -> Value {
    let mut list = json!({"type": "array", "items": items});
    if min_items > 0 {
        list["minItems"] = min_items.into();
    }
    described(list, description)
}

/// A string from a vocabulary: each key with its label, for completion.
fn terms(terms: impl Iterator<Item = (String, String)>) -> Value {
    let (keys, labels): (Vec<String>, Vec<String>) = terms.unzip();
    json!({"type": "string", "enum": keys, "enumDescriptions": labels})
}

/// A term's English label (its key where English has none).
fn label<K: Ord>(
    labels: &std::collections::BTreeMap<K, String>,
    key: &K,
    fallback: &str,
) -> String {
    labels
        .get(key)
        .cloned()
        .unwrap_or_else(|| fallback.to_string())
}

/// The schema as the file `handbok schema` prints: pretty JSON with a final newline.
pub fn text_of(kind: Kind, config: &Config) -> String {
    let mut out = serde_json::to_string_pretty(&schema(kind, config)).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;
    use crate::source::{SourceFile, Sources};

    fn config(toml: &str) -> Config {
        let mut sources = Sources::default();
        let file = sources.add(SourceFile::new(
            "book.toml".into(),
            "book.toml".into(),
            toml.into(),
        ));
        let mut diags = Diagnostics::default();
        let config = crate::config::parse(file, sources.get(file), &mut diags).unwrap();
        assert!(diags.is_empty());
        config
    }

    /// Every field `check` reads has a schema of its own, every required field is one of them,
    /// and nothing else is allowed.
    #[test]
    fn every_checked_field_is_in_the_schema() {
        let config = config("[book]\ntitle = \"T\"\n");
        let english = crate::i18n::english();
        for (kind, fields, required) in [
            (Kind::Module, MODULE_FIELDS, MODULE_REQUIRED),
            (Kind::Translation, TRANSLATION_FIELDS, TRANSLATION_REQUIRED),
        ] {
            let schema = schema(kind, &config);
            let properties = schema["properties"].as_object().unwrap();
            assert_eq!(properties.len(), fields.len(), "{kind:?}");
            for field in fields {
                assert!(
                    property(kind, field, &config, &english).is_some(),
                    "{kind:?}: no schema for `{field}`"
                );
                assert!(properties[*field]["description"].is_string(), "{field}");
            }
            for field in required {
                assert!(fields.contains(field), "{field}");
            }
            assert_eq!(schema["required"], json!(required));
            assert_eq!(schema["additionalProperties"], json!(false));
        }
    }

    #[test]
    fn vocabularies_come_from_check_and_the_project() {
        let config = config(
            "[book]\ntitle = \"T\"\n[handbok.subjects]\nmedia-education = \"Media education\"\n",
        );
        let schema = schema(Kind::Module, &config);
        let items = |field: &str| schema["properties"][field]["items"].clone();
        let levels = items("levels");
        assert_eq!(
            levels["enum"].as_array().unwrap().len(),
            Level::spellings().count()
        );
        assert_eq!(levels["enum"][1], "isced-1");
        assert_eq!(
            levels["enumDescriptions"][1],
            "Primary education (also `primary`)"
        );
        let subjects = items("subjects");
        let last = subjects["enum"].as_array().unwrap().len() - 1;
        assert_eq!(subjects["enum"][last], "media-education");
        assert_eq!(subjects["enumDescriptions"][last], "Media education");
        assert_eq!(items("competences")["enum"].as_array().unwrap().len(), 22);
        assert_eq!(
            schema["properties"]["status"]["enum"],
            json!(["draft", "review", "published"])
        );
    }
}
