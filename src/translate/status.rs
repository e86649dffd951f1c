//! `handbok status`: the state of every language as data ([`Report`]), printed as a table with
//! coverage bars or as JSON.

use super::{LanguageStates, State, states};
use crate::Project;
use serde::Serialize;

/// The whole report; its JSON form is the documented `status --format json` output.
#[derive(Debug, Serialize)]
pub struct Report {
    pub source: String,
    pub languages: Vec<LanguageReport>,
}

#[derive(Debug, Serialize)]
pub struct LanguageReport {
    pub lang: String,
    pub current: Vec<String>,
    pub stale: Vec<String>,
    pub missing: Vec<String>,
    pub orphaned: Vec<String>,
    pub draft: Vec<String>,
    pub unknown: Vec<String>,
    pub words: Words,
    pub ui_missing: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Words {
    pub translated: usize,
    pub total: usize,
}

impl LanguageReport {
    /// Current modules as a share of all modules, in percent (100 without modules).
    pub fn coverage(&self) -> f64 {
        let total = self.current.len()
            + self.stale.len()
            + self.missing.len()
            + self.draft.len()
            + self.unknown.len();
        if total == 0 {
            100.0
        } else {
            100.0 * self.current.len() as f64 / total as f64
        }
    }
}

/// The report for languages `only` (every translation language when empty). Unknown language
/// tags are returned as an error message.
pub fn report(project: &Project, only: &[String]) -> Result<Report, String> {
    let data = project
        .loaded
        .as_ref()
        .ok_or_else(|| "the project could not be read (see the errors above)".to_string())?;
    for lang in only {
        super::language(data, lang)?;
    }
    let graph = &data.graph;
    let words: Vec<usize> = graph
        .modules
        .iter()
        .map(|m| {
            [&m.title, &m.summary]
                .iter()
                .map(|t| t.split_whitespace().count())
                .sum::<usize>()
                + m.body.words as usize
        })
        .collect();
    let languages = states(data, &project.sources)
        .into_iter()
        .filter(|s| only.is_empty() || only.contains(&data.config.languages[s.lang].to_string()))
        .map(|s| language_report(data, &s, &words))
        .collect();
    Ok(Report {
        source: data.config.languages[0].to_string(),
        languages,
    })
}

fn language_report(
    data: &crate::ProjectData,
    s: &LanguageStates,
    words: &[usize],
) -> LanguageReport {
    let tag = &data.config.languages[s.lang];
    let ids = |state: State| -> Vec<String> {
        let mut ids: Vec<String> = s
            .modules
            .iter()
            .enumerate()
            .filter(|(_, st)| **st == state)
            .map(|(m, _)| data.graph.modules[m].id.clone())
            .collect();
        ids.sort();
        ids
    };
    let translated = s
        .modules
        .iter()
        .zip(words)
        .filter(|(st, _)| **st == State::Current)
        .map(|(_, w)| w)
        .sum();
    LanguageReport {
        lang: tag.to_string(),
        current: ids(State::Current),
        stale: ids(State::Stale),
        missing: ids(State::Missing),
        orphaned: s.orphaned.clone(),
        draft: ids(State::Draft),
        unknown: ids(State::Unknown),
        words: Words {
            translated,
            total: words.iter().sum(),
        },
        ui_missing: crate::i18n::untranslated(&data.config, &data.ui_files, tag)
            .into_iter()
            .map(|e| format!("{}.{}", e.section, e.key))
            .collect(),
    }
}

/// The human table: one block per language with a coverage bar and the modules to work on.
pub fn human(report: &Report) -> String {
    const WIDTH: usize = 30;
    let mut out = format!("translations of the `{}` source\n", report.source);
    for l in &report.languages {
        let pct = l.coverage();
        let filled = ((pct / 100.0) * WIDTH as f64).round() as usize;
        out.push_str(&format!(
            "\n{:<6} [{}{}] {:>5.1}%  {} current, {} stale, {} missing, {} draft, {} unknown, {} orphaned; words {}/{}\n",
            l.lang,
            "#".repeat(filled),
            ".".repeat(WIDTH - filled.min(WIDTH)),
            pct,
            l.current.len(),
            l.stale.len(),
            l.missing.len(),
            l.draft.len(),
            l.unknown.len(),
            l.orphaned.len(),
            l.words.translated,
            l.words.total,
        ));
        for (what, list) in [
            ("stale", &l.stale),
            ("missing", &l.missing),
            ("draft", &l.draft),
            ("unknown", &l.unknown),
            ("orphaned", &l.orphaned),
        ] {
            if !list.is_empty() {
                out.push_str(&format!("  {what:<9} {}\n", list.join(", ")));
            }
        }
        if !l.ui_missing.is_empty() {
            out.push_str(&format!(
                "  interface {} strings and labels untranslated (`handbok translate ui {}`)\n",
                l.ui_missing.len(),
                l.lang
            ));
        }
    }
    out
}

/// The languages whose coverage is below `pct`.
pub fn below(report: &Report, pct: f64) -> Vec<&str> {
    report
        .languages
        .iter()
        .filter(|l| l.coverage() < pct)
        .map(|l| l.lang.as_str())
        .collect()
}
