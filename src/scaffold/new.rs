//! `handbok new PATH --id ID --title …`: what the author asked for, checked against the
//! project (its vocabularies, the ids in use) → a module file with valid front matter and a
//! placeholder paragraph, which `handbok check` passes. Every refusal says what to change.

use super::{NewFile, Outcome, create_all, module_rel, today};
use crate::ProjectData;
use crate::check::SUMMARY_LIMIT;
use crate::check::fields::{is_kebab_id, kebab};
use crate::diag::did_you_mean;
use crate::translate::files::yaml_scalar;
use crate::vocab::{Level, Need};

/// The summary of a module whose author gave none: a prompt that reads as a sentence.
pub const DEFAULT_SUMMARY: &str = "One or two sentences on what this module helps teachers do, shown in lists and search results.";

/// The body of a new module: what to write, and how.
const BODY: &str = "Write the guidance for teachers here. Start sections with `##` headings, \
give a heading that other pages link to an id (`## Why it matters {#why}`), and link to other \
modules with `[text](guide:ID)`.\n";

/// What the author asked for on the command line.
#[derive(Debug, Default)]
pub struct Request<'a> {
    /// The file, below `guidelines/` (with or without that prefix and `.md`).
    pub path: &'a str,
    /// Default: the file name in kebab case.
    pub id: Option<&'a str>,
    pub title: &'a str,
    pub levels: &'a [String],
    pub subjects: &'a [String],
    pub needs: &'a [String],
    pub summary: Option<&'a str>,
}

/// Writes the module `request` describes, or says why not (writing nothing).
pub fn new(data: &ProjectData, request: &Request) -> Outcome {
    let rel = module_rel(request.path)?;
    let file = format!("{}/{rel}", crate::config::GUIDELINES);
    // First, since the other checks would complain about the file's own id.
    if std::fs::symlink_metadata(data.root.join(&file)).is_ok() {
        return Err(super::exists(&file));
    }
    let id = module_id(data, &rel, request.id)?;
    let title = text("title", request.title)?;
    let summary = text("summary", request.summary.unwrap_or(DEFAULT_SUMMARY))?;
    let length = summary.chars().count();
    if length > SUMMARY_LIMIT {
        return Err(format!(
            "the summary is {length} characters long (more than {SUMMARY_LIMIT}); keep it to one \
             or two sentences: it is shown in lists and search results"
        ));
    }
    let levels = terms(
        "level",
        "--level primary",
        request.levels,
        true,
        |s| Level::parse(s).is_some(),
        Level::spellings(),
    )?;
    let subjects = terms(
        "subject",
        "--subject mathematics",
        request.subjects,
        true,
        |s| data.config.subject(s).is_some(),
        data.config.subject_keys(),
    )?;
    let needs = terms(
        "accessibility need",
        "--need dyslexia",
        request.needs,
        false,
        |s| Need::parse(s).is_some(),
        Need::keys(),
    )?;
    let mut front = format!(
        "---\nid: {id}\ntitle: {}\nsummary: {}\nlevels: [{}]\nsubjects: [{}]\n",
        yaml_scalar(&title),
        yaml_scalar(&summary),
        levels.join(", "),
        subjects.join(", "),
    );
    if !needs.is_empty() {
        front.push_str(&format!("accessibility: [{}]\n", needs.join(", ")));
    }
    front.push_str(&format!("updated: {}\n---\n\n{BODY}", today()));
    create_all(
        &data.root,
        &[NewFile {
            rel: file.clone(),
            text: front,
        }],
    )?;
    Ok(format!(
        "wrote {file} (id `{id}`): write its guidance, then run `handbok check`"
    ))
}

/// The id asked for, or one made from the file name; valid and not in use.
fn module_id(data: &ProjectData, rel: &str, asked: Option<&str>) -> Result<String, String> {
    let stem = rel
        .rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".md");
    let id = match asked {
        Some(id) => id.to_string(),
        None => {
            let id = kebab(stem);
            if id.is_empty() {
                return Err(format!(
                    "no module id can be made from the file name `{stem}`; give one with --id"
                ));
            }
            id
        }
    };
    if !is_kebab_id(&id) {
        let fix = if id.len() > 64 {
            "shorten it to at most 64 characters".to_string()
        } else {
            format!(
                "use lower-case letters, digits and single `-`, e.g. `{}`",
                kebab(&id)
            )
        };
        return Err(format!("`{id}` is not a valid module id: {fix}"));
    }
    if let Some(&m) = data.graph.by_id.get(&id) {
        return Err(format!(
            "a module with id `{id}` exists already (guidelines/{}); choose another --id",
            data.graph.modules[m].rel
        ));
    }
    Ok(id)
}

/// A text value, trimmed, not empty and without control characters.
fn text(what: &str, value: &str) -> Result<String, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(format!("the {what} is empty"));
    }
    if value.chars().any(char::is_control) {
        return Err(format!(
            "the {what} holds a control character (a line break, a tab, …); write it on one line"
        ));
    }
    Ok(value.to_string())
}

/// Vocabulary terms as given (each once, in order), or a message naming the first unknown one
/// with the likely fix.
fn terms<'v>(
    what: &str,
    example: &str,
    given: &[String],
    required: bool,
    known: impl Fn(&str) -> bool,
    vocabulary: impl Iterator<Item = &'v str> + Clone,
) -> Result<Vec<String>, String> {
    let all = || vocabulary.clone().collect::<Vec<_>>().join(", ");
    if required && given.is_empty() {
        return Err(format!(
            "a module needs at least one {what}: add e.g. `{example}` (one of: {})",
            all()
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for term in given {
        let term = term.trim();
        if !known(term) {
            let help = did_you_mean(term, vocabulary.clone())
                .unwrap_or_else(|| format!("use one of: {}", all()));
            return Err(format!("unknown {what} `{term}`: {help}"));
        }
        if !out.iter().any(|t| t == term) {
            out.push(term.to_string());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_suggest_the_closest_spelling() {
        let levels = |given: &[&str]| {
            let given: Vec<String> = given.iter().map(|s| s.to_string()).collect();
            terms(
                "level",
                "--level primary",
                &given,
                true,
                |s| Level::parse(s).is_some(),
                Level::spellings(),
            )
        };
        assert_eq!(
            levels(&["primary", "isced-2", "primary"]),
            Ok(vec!["primary".to_string(), "isced-2".to_string()])
        );
        assert_eq!(
            levels(&["primry"]),
            Err("unknown level `primry`: did you mean `primary`?".into())
        );
        assert!(levels(&[]).unwrap_err().starts_with(
            "a module needs at least one level: add e.g. `--level primary` (one of: isced-0,"
        ));
    }

    #[test]
    fn text_values_stay_on_one_line() {
        assert_eq!(text("title", "  Captions "), Ok("Captions".into()));
        assert!(text("title", " ").is_err());
        assert!(text("title", "a\nb").is_err());
    }
}
