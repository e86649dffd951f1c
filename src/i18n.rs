//! Interface strings and vocabulary labels per language.
//!
//! Built-in files (`src/i18n/{en,sv,de,fr,uk}.yaml`) have the same shape as a project's
//! `translations/<lang>/ui.yaml`, and are read by the same code: a project file overrides the
//! built-in file of its language, which overrides English. English is complete by definition:
//! its `strings` keys are the set of known keys.

use crate::config::Config;
use crate::lang::LanguageTag;
use crate::load::UiFile;
use crate::load::yaml::Yaml;
use crate::vocab::{Competence, Level, Need, Subject};
use std::collections::{BTreeMap, BTreeSet};

pub mod cldr;

/// Built-in interface text, by primary language subtag.
pub const BUILTIN: &[(&str, &str)] = &[
    ("en", include_str!("i18n/en.yaml")),
    ("sv", include_str!("i18n/sv.yaml")),
    ("de", include_str!("i18n/de.yaml")),
    ("fr", include_str!("i18n/fr.yaml")),
    ("uk", include_str!("i18n/uk.yaml")),
];

/// The built-in file for a language tag (`de-AT` uses `de`), if there is one.
pub fn builtin(primary: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(l, _)| *l == primary).map(|(_, t)| *t)
}

/// Labels and strings of one language (possibly partial).
#[derive(Debug, Default, Clone)]
pub struct UiText {
    pub strings: BTreeMap<String, String>,
    /// The words schools use for each level ("Grundschule"): what pages show.
    pub levels: BTreeMap<Level, String>,
    /// The formal ISCED 2011 name of each level ("Primarbereich"): shown beside the short
    /// label, and the name the JSON-LD gives the level's defined term.
    pub isced: BTreeMap<Level, String>,
    pub subjects: BTreeMap<String, String>,
    pub needs: BTreeMap<Need, String>,
    pub areas: BTreeMap<u8, String>,
    pub competences: BTreeMap<Competence, String>,
    pub book: BTreeMap<String, String>,
    pub handbooks: BTreeMap<String, String>,
}

/// The sections a ui file may have.
pub const SECTIONS: &[&str] = &[
    "strings",
    "levels",
    "levels-isced",
    "subjects",
    "needs",
    "competence-areas",
    "competences",
    "book",
    "handbooks",
];

/// Keys that are valid in the open-ended sections of a ui file.
pub struct Known<'a> {
    /// `None` accepts any key (used to read English, which defines the keys).
    pub strings: Option<Vec<&'a str>>,
    pub subjects: Vec<&'a str>,
    pub handbooks: Vec<&'a str>,
}

/// A problem in a ui file: the key path it concerns, a message and a fix.
#[derive(Debug, Clone, PartialEq)]
pub struct UiProblem {
    pub path: Vec<String>,
    pub message: String,
    pub help: String,
}

/// Reads a ui file. Unknown sections and keys and non-text values are returned as problems;
/// everything valid is kept.
pub fn read(yaml: &Yaml, known: &Known) -> (UiText, Vec<UiProblem>) {
    let mut ui = UiText::default();
    let mut problems = Vec::new();
    let sections = match yaml {
        Yaml::Map(map) => map.as_slice(),
        Yaml::Null => &[],
        other => {
            problems.push(UiProblem {
                path: vec![],
                message: format!(
                    "ui.yaml must be a mapping of sections, found {}",
                    other.kind()
                ),
                help: format!("start with one of the sections: {}", SECTIONS.join(", ")),
            });
            &[]
        }
    };
    for (section, value) in sections {
        let entries = match value {
            Yaml::Map(entries) => entries.as_slice(),
            Yaml::Null => &[],
            other => {
                problems.push(UiProblem {
                    path: vec![section.clone()],
                    message: format!(
                        "`{section}` must be a mapping of `key: text`, found {}",
                        other.kind()
                    ),
                    help: "indent each entry below the section name, e.g. `  home: Hem`".into(),
                });
                continue;
            }
        };
        for (key, value) in entries {
            let path = vec![section.clone(), key.clone()];
            let Some(text) = value.as_scalar() else {
                problems.push(UiProblem {
                    path,
                    message: format!("`{section}.{key}` must be text, found {}", value.kind()),
                    help: "write the label on the same line: `key: label`".into(),
                });
                continue;
            };
            let stored = match section.as_str() {
                "strings" => match &known.strings {
                    Some(keys) if !keys.contains(&key.as_str()) => Err(keys.clone()),
                    _ => Ok(ui.strings.insert(key.clone(), text)),
                },
                "levels" => match Level::parse(key) {
                    Some(level) => Ok(ui.levels.insert(level, text)),
                    None => Err(Level::keys().collect()),
                },
                "levels-isced" => match Level::parse(key) {
                    Some(level) => Ok(ui.isced.insert(level, text)),
                    None => Err(Level::keys().collect()),
                },
                "subjects" if known.subjects.contains(&key.as_str()) => {
                    Ok(ui.subjects.insert(key.clone(), text))
                }
                "subjects" => Err(known.subjects.clone()),
                "needs" => match Need::parse(key) {
                    Some(need) => Ok(ui.needs.insert(need, text)),
                    None => Err(Need::keys().collect()),
                },
                "competence-areas" => match key.parse::<u8>() {
                    Ok(area @ 1..=6) => Ok(ui.areas.insert(area, text)),
                    _ => Err(vec!["1", "2", "3", "4", "5", "6"]),
                },
                "competences" => match Competence::parse(key) {
                    Some(c) => Ok(ui.competences.insert(c, text)),
                    None => Err(vec!["1.1", "…", "6.5"]),
                },
                "book" if matches!(key.as_str(), "title" | "description") => {
                    Ok(ui.book.insert(key.clone(), text))
                }
                "book" => Err(vec!["title", "description"]),
                "handbooks" if known.handbooks.contains(&key.as_str()) => {
                    Ok(ui.handbooks.insert(key.clone(), text))
                }
                "handbooks" => Err(known.handbooks.clone()),
                _ => {
                    problems.push(unknown_section(section));
                    break;
                }
            };
            if let Err(valid) = stored {
                let help = crate::diag::did_you_mean(key, valid.iter().copied())
                    .unwrap_or_else(|| format!("the keys allowed here are: {}", valid.join(", ")));
                problems.push(UiProblem {
                    path,
                    message: format!("unknown key `{key}` in `{section}`"),
                    help,
                });
            }
        }
        if entries.is_empty() && !SECTIONS.contains(&section.as_str()) {
            problems.push(unknown_section(section));
        }
    }
    (ui, problems)
}

fn unknown_section(section: &str) -> UiProblem {
    UiProblem {
        path: vec![section.to_string()],
        message: format!("unknown section `{section}`"),
        help: crate::diag::did_you_mean(section, SECTIONS.iter().copied())
            .unwrap_or_else(|| format!("the sections are: {}", SECTIONS.join(", "))),
    }
}

impl UiText {
    /// Lays `over` on top of `self`: every entry `over` has wins.
    fn overlay(&mut self, over: UiText) {
        self.strings.extend(over.strings);
        self.levels.extend(over.levels);
        self.isced.extend(over.isced);
        self.subjects.extend(over.subjects);
        self.needs.extend(over.needs);
        self.areas.extend(over.areas);
        self.competences.extend(over.competences);
        self.book.extend(over.book);
        self.handbooks.extend(over.handbooks);
    }
}

/// The keys a project's ui files may use.
pub fn known<'a>(config: &'a Config, english: &'a UiText) -> Known<'a> {
    Known {
        strings: Some(english.strings.keys().map(String::as_str).collect()),
        subjects: config.subject_keys().collect(),
        handbooks: config.handbooks.iter().map(|h| h.id.as_str()).collect(),
    }
}

/// Everything a page needs to speak one language, complete: English fills what the language
/// lacks, so a missing label shows in English rather than as a hole.
#[derive(Debug, Clone)]
pub struct Labels {
    pub lang: LanguageTag,
    pub text: UiText,
    /// The labels this language lacks and shows in another language: pages mark them with
    /// that `lang`, so screen readers do not read English text as, say, Polish.
    pub borrowed: Borrowed,
}

/// The labels of one language that are in another language, by section.
#[derive(Debug, Clone, Default)]
pub struct Borrowed {
    /// Interface strings, levels and needs shown in English.
    pub strings: BTreeSet<String>,
    pub levels: BTreeSet<Level>,
    /// Formal ISCED names shown in English.
    pub isced: BTreeSet<Level>,
    pub needs: BTreeSet<Need>,
    /// Subjects, each with the language its label is in (English for the built-in ones, the
    /// source language for the project's own).
    pub subjects: BTreeMap<String, String>,
    /// Handbook titles and the book title shown as `book.toml` has them (source language).
    pub handbooks: BTreeSet<String>,
    pub book_title: bool,
    /// The source language, which `handbooks` and `book_title` are in.
    pub source: String,
}

impl Labels {
    /// Builds one language's labels: built-in English, then the source language's names from
    /// `book.toml`, then the language's built-in file, then its `ui.yaml`.
    pub fn build(config: &Config, ui_files: &[UiFile], lang: &LanguageTag) -> Labels {
        let english = english();
        let mut text = english.clone();
        let name = lang
            .endonym()
            .map_or_else(|| lang.to_string(), str::to_string);
        // Until a ui file says how a sentence writes it ("svenska" in "översatta till
        // svenska"), the name as a language calls itself stands in.
        text.strings
            .insert("language-name-in-sentence".into(), name.clone());
        text.strings.insert("language-name".into(), name);
        for (key, label) in &config.project_subjects {
            text.subjects.insert(key.to_string(), label.clone());
        }
        for hb in &config.handbooks {
            text.handbooks.insert(hb.id.clone(), hb.title.clone());
        }
        text.book.insert("title".into(), config.title.clone());
        if let Some(description) = &config.description {
            text.book.insert("description".into(), description.clone());
        }
        let own = own_text(config, ui_files, lang, &english);
        let borrowed = borrowed(config, lang, &english, &own);
        text.overlay(own);
        Labels {
            lang: lang.clone(),
            text,
            borrowed,
        }
    }

    /// The language string `key` is actually in when it is not this one's (English fills
    /// what a language without built-in text lacks).
    pub fn lang_of(&self, key: &str) -> Option<&str> {
        self.borrowed.strings.contains(key).then_some("en")
    }

    /// The language a level's label is in when it is not this one's; likewise for needs,
    /// subjects, handbook titles and the book title.
    pub fn level_lang(&self, level: Level) -> Option<&str> {
        self.borrowed.levels.contains(&level).then_some("en")
    }

    /// The language a level's formal ISCED name is in when it is not this one's.
    pub fn isced_lang(&self, level: Level) -> Option<&str> {
        self.borrowed.isced.contains(&level).then_some("en")
    }

    pub fn need_lang(&self, need: Need) -> Option<&str> {
        self.borrowed.needs.contains(&need).then_some("en")
    }

    pub fn subject_lang(&self, subject: &Subject) -> Option<&str> {
        self.borrowed
            .subjects
            .get(subject.key())
            .map(String::as_str)
    }

    pub fn handbook_lang(&self, id: &str) -> Option<&str> {
        self.borrowed
            .handbooks
            .contains(id)
            .then_some(self.borrowed.source.as_str())
    }

    pub fn book_title_lang(&self) -> Option<&str> {
        self.borrowed
            .book_title
            .then_some(self.borrowed.source.as_str())
    }

    /// An interface string; unknown keys (a template bug) come back as the key itself.
    pub fn string<'a>(&'a self, key: &'a str) -> &'a str {
        self.text.strings.get(key).map_or(key, String::as_str)
    }

    pub fn level(&self, level: Level) -> &str {
        self.text
            .levels
            .get(&level)
            .map_or(level.key(), String::as_str)
    }

    /// A level's formal ISCED 2011 name ("Primary education"), shown as secondary text.
    pub fn isced(&self, level: Level) -> &str {
        self.text
            .isced
            .get(&level)
            .map_or(level.key(), String::as_str)
    }

    pub fn subject<'a>(&'a self, subject: &'a Subject) -> &'a str {
        self.text
            .subjects
            .get(subject.key())
            .map_or(subject.key(), String::as_str)
    }

    pub fn need(&self, need: Need) -> &str {
        self.text
            .needs
            .get(&need)
            .map_or(need.key(), String::as_str)
    }

    pub fn competence(&self, c: Competence) -> &str {
        self.text.competences.get(&c).map_or("", String::as_str)
    }

    pub fn area(&self, area: u8) -> &str {
        self.text.areas.get(&area).map_or("", String::as_str)
    }

    pub fn handbook<'a>(&'a self, id: &'a str) -> &'a str {
        self.text.handbooks.get(id).map_or(id, String::as_str)
    }

    pub fn book_title(&self) -> &str {
        self.text.book.get("title").map_or("", String::as_str)
    }

    pub fn book_description(&self) -> Option<&str> {
        self.text.book.get("description").map(String::as_str)
    }

    /// A string with `{name}` placeholders filled in.
    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut out = self.string(key).to_string();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }
}

/// One interface string or vocabulary label: its section in a ui file, its key and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UiEntry {
    pub section: &'static str,
    pub key: String,
    pub text: String,
}

impl UiText {
    /// Every entry, section by section in [`SECTIONS`] order.
    pub fn entries(&self) -> Vec<UiEntry> {
        fn section<K>(
            out: &mut Vec<UiEntry>,
            name: &'static str,
            map: &BTreeMap<K, String>,
            key: impl Fn(&K) -> String,
        ) {
            out.extend(map.iter().map(|(k, text)| UiEntry {
                section: name,
                key: key(k),
                text: text.clone(),
            }));
        }
        let mut out = Vec::new();
        section(&mut out, "strings", &self.strings, String::clone);
        section(&mut out, "levels", &self.levels, |l| l.key().to_string());
        section(&mut out, "levels-isced", &self.isced, |l| {
            l.key().to_string()
        });
        section(&mut out, "subjects", &self.subjects, String::clone);
        section(&mut out, "needs", &self.needs, |n| n.key().to_string());
        section(&mut out, "competence-areas", &self.areas, u8::to_string);
        section(&mut out, "competences", &self.competences, |c| c.key());
        section(&mut out, "book", &self.book, String::clone);
        section(&mut out, "handbooks", &self.handbooks, String::clone);
        out
    }
}

/// What language `lang` has of its own: its built-in file and its `ui.yaml`, without anything
/// borrowed from English or the source language.
fn own_text(config: &Config, ui_files: &[UiFile], lang: &LanguageTag, english: &UiText) -> UiText {
    let mut own = UiText::default();
    if let Some(builtin) = builtin(lang.primary())
        && let Ok(yaml) = crate::load::yaml::parse(builtin)
    {
        own.overlay(read(&yaml, &known(config, english)).0);
    }
    if let Some(yaml) = ui_files
        .iter()
        .find(|u| u.lang == *lang)
        .and_then(|u| u.yaml.as_ref())
    {
        own.overlay(read(yaml, &known(config, english)).0);
    }
    own
}

/// The strings that name the language itself: known from its tag (the endonym) when no ui
/// file has them, so never shown in English nor reported untranslated.
pub const NAMED: &[&str] = &["language-name", "language-name-in-sentence"];

/// The interface strings and vocabulary labels language `lang` has no text for (neither
/// built in nor in its `ui.yaml`), with the source language's text: what readers of `lang`
/// see untranslated. The language's own names ([`NAMED`]) are left out: they are known.
pub fn untranslated(config: &Config, ui_files: &[UiFile], lang: &LanguageTag) -> Vec<UiEntry> {
    let english = english();
    let own = own_text(config, ui_files, lang, &english);
    let have: std::collections::HashSet<(&str, String)> = own
        .entries()
        .into_iter()
        .map(|e| (e.section, e.key))
        .collect();
    let source = Labels::build(config, ui_files, &config.languages[0]);
    source
        .text
        .entries()
        .into_iter()
        .filter(|e| !(e.section == "strings" && NAMED.contains(&e.key.as_str())))
        .filter(|e| !have.contains(&(e.section, e.key.clone())))
        .collect()
}

/// Which of `lang`'s labels come from elsewhere, given what it has of its own (`own`).
fn borrowed(config: &Config, lang: &LanguageTag, english: &UiText, own: &UiText) -> Borrowed {
    let source = config.languages.first().map_or("en", LanguageTag::as_str);
    let is_english = lang.primary() == "en";
    let is_source = lang.as_str() == source;
    let mut borrowed = Borrowed {
        source: source.to_string(),
        ..Borrowed::default()
    };
    if !is_english {
        borrowed.strings = english
            .strings
            .keys()
            .filter(|k| !NAMED.contains(&k.as_str()) && !own.strings.contains_key(*k))
            .cloned()
            .collect();
        borrowed.levels = english
            .levels
            .keys()
            .filter(|k| !own.levels.contains_key(*k))
            .copied()
            .collect();
        borrowed.isced = english
            .isced
            .keys()
            .filter(|k| !own.isced.contains_key(*k))
            .copied()
            .collect();
        borrowed.needs = english
            .needs
            .keys()
            .filter(|k| !own.needs.contains_key(*k))
            .copied()
            .collect();
        for key in english.subjects.keys() {
            if !own.subjects.contains_key(key) {
                borrowed.subjects.insert(key.clone(), "en".into());
            }
        }
    }
    if !is_source {
        for (key, _) in &config.project_subjects {
            if !own.subjects.contains_key(&**key) {
                borrowed
                    .subjects
                    .insert(key.to_string(), source.to_string());
            }
        }
        borrowed.handbooks = config
            .handbooks
            .iter()
            .map(|h| h.id.clone())
            .filter(|id| !own.handbooks.contains_key(id))
            .collect();
        borrowed.book_title = !own.book.contains_key("title");
    }
    borrowed
}

/// The English built-in text, which defines every string key.
pub fn english() -> UiText {
    let yaml = crate::load::yaml::parse(BUILTIN[0].1).unwrap_or(Yaml::Null);
    let known = Known {
        strings: None,
        subjects: crate::vocab::SchoolSubject::keys().collect(),
        handbooks: vec![],
    };
    read(&yaml, &known).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::SchoolSubject;

    /// Every built-in language is complete: every key English has, and nothing else.
    #[test]
    fn builtin_files_are_complete_and_clean() {
        let en = english();
        assert_eq!(en.levels.len(), 9);
        assert_eq!(en.isced.len(), 9);
        assert_eq!(en.needs.len(), 9);
        assert_eq!(en.competences.len(), 22);
        assert_eq!(en.areas.len(), 6);
        assert_eq!(en.subjects.len(), SchoolSubject::ALL.len());
        let known = Known {
            strings: Some(en.strings.keys().map(String::as_str).collect()),
            subjects: SchoolSubject::keys().collect(),
            handbooks: vec![],
        };
        for (lang, text) in BUILTIN {
            let yaml = crate::load::yaml::parse(text).unwrap_or_else(|e| panic!("{lang}: {e:?}"));
            let (ui, problems) = read(&yaml, &known);
            assert!(problems.is_empty(), "{lang}: {problems:?}");
            let missing: Vec<_> = en
                .strings
                .keys()
                .filter(|k| !ui.strings.contains_key(*k))
                .collect();
            assert!(missing.is_empty(), "{lang} lacks strings {missing:?}");
            assert_eq!(ui.levels.len(), 9, "{lang}");
            assert_eq!(ui.isced.len(), 9, "{lang}");
            assert_eq!(ui.needs.len(), 9, "{lang}");
            assert_eq!(ui.competences.len(), 22, "{lang}");
            assert_eq!(ui.areas.len(), 6, "{lang}");
            assert_eq!(ui.subjects.len(), en.subjects.len(), "{lang}");
            for (key, value) in &en.strings {
                for placeholder in value.split('{').skip(1).filter_map(|s| s.split_once('}')) {
                    assert!(
                        ui.strings[key].contains(&format!("{{{}}}", placeholder.0)),
                        "{lang}: `{key}` lost {{{}}}",
                        placeholder.0
                    );
                }
            }
        }
    }

    #[test]
    fn reports_unknown_keys_with_suggestions() {
        let yaml = crate::load::yaml::parse(
            "strings:\n  hom: Hem\nlevel:\n  primary: x\nneeds:\n  blnd: x\n",
        )
        .unwrap();
        let known = Known {
            strings: Some(vec!["home"]),
            subjects: vec![],
            handbooks: vec![],
        };
        let (_, problems) = read(&yaml, &known);
        let helps: Vec<_> = problems.iter().map(|p| p.help.as_str()).collect();
        assert_eq!(
            helps,
            [
                "did you mean `home`?",
                "did you mean `levels`?",
                "did you mean `blind`?"
            ]
        );
    }
}
