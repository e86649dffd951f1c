//! Discovery: which files under `guidelines/` and `translations/` are modules, translations,
//! `ui.yaml` files, media, or strays. Uses walkdir, sorted by name so that every run sees the
//! same order, following symlinks (walkdir detects loops) as long as they stay inside the project.

use super::DocKind;
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::lang::LanguageTag;
use crate::source::{FileId, SourceFile, Sources, display_path};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;
use walkdir::WalkDir;

/// A text file to read and parse.
#[derive(Debug, Clone)]
pub enum Entry {
    Doc(DocKind),
    Ui(LanguageTag),
}

impl Entry {
    /// The root-relative path.
    pub fn path(&self) -> String {
        match self {
            Entry::Doc(DocKind::Source { rel }) => format!("guidelines/{rel}"),
            Entry::Doc(DocKind::Translation { lang, rel }) => format!("translations/{lang}/{rel}"),
            Entry::Ui(lang) => format!("translations/{lang}/ui.yaml"),
        }
    }
}

/// Whether a root-relative path is a language's interface text, `translations/<lang>/ui.yaml`
/// (the path [`Entry::Ui`] names).
pub fn is_ui_file(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    matches!(parts.as_slice(), ["translations", _, "ui.yaml"])
}

pub struct Found {
    pub texts: Vec<Entry>,
    pub media: BTreeSet<String>,
}

pub fn discover(
    root: &Path,
    languages: &[LanguageTag],
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Found {
    let mut found = Found {
        texts: Vec::new(),
        media: BTreeSet::new(),
    };
    // Symbolic links may lead anywhere inside this folder, nowhere outside it.
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let guidelines = root.join("guidelines");
    let mut steps = Vec::new();
    if !guidelines.is_dir() {
        diags.push(
            Diagnostic::new(
                Code::Io,
                format!("no guidelines/ folder in {}", root.display()),
            )
            .help("create `guidelines/` and put the modules (`.md` files) in it"),
        );
    } else {
        steps.push(Step::Walk(guidelines, None));
    }
    let translations = root.join("translations");
    if translations.is_dir() {
        translation_steps(root, &translations, languages, &mut steps);
    }
    // The trees are walked side by side (a quarter of `check`'s one-core time at 5,000 modules
    // × 4 languages), then taken in order. A tree whose walk found a problem is walked again
    // in its turn, so the files its diagnostics name are numbered as in a walk in order.
    let walked: Vec<Option<Vec<(String, bool)>>> = steps
        .par_iter()
        .map(|step| match step {
            Step::Walk(dir, _) => {
                let (mut scratch, mut problems) = (Sources::default(), Diagnostics::default());
                let mut files = Vec::new();
                walk_tree(
                    root,
                    &real_root,
                    dir,
                    &mut scratch,
                    &mut problems,
                    |rel, is_md| files.push((rel, is_md)),
                );
                problems.is_empty().then_some(files)
            }
            Step::Problem(_) => None,
        })
        .collect();
    for (step, walked) in steps.into_iter().zip(walked) {
        match step {
            Step::Walk(dir, lang) => {
                let mut visit = |rel: String, is_md: bool| found.add(lang.as_ref(), rel, is_md);
                match walked {
                    Some(files) => files.into_iter().for_each(|(rel, is_md)| visit(rel, is_md)),
                    None => walk_tree(root, &real_root, &dir, sources, diags, visit),
                }
            }
            Step::Problem(problem) => diags.push(problem.diagnostic(sources)),
        }
    }
    found
}

/// A step of discovery, in the order the project's files are taken.
enum Step {
    /// Walk a tree: `guidelines/` (no language) or a language's folder of `translations/`.
    Walk(std::path::PathBuf, Option<LanguageTag>),
    /// Report something in `translations/` that is no language folder.
    Problem(Problem),
}

/// What in `translations/` is no language folder, with what its diagnostic says.
enum Problem {
    /// `translations/` itself cannot be listed (the message).
    Unreadable(String),
    /// A file (`shown` is its path).
    Stray { shown: String },
    /// A folder not listed in book.toml.
    Unlisted { shown: String, help: String },
}

impl Problem {
    fn diagnostic(self, sources: &mut Sources) -> Diagnostic {
        match self {
            Problem::Unreadable(message) => Diagnostic::new(Code::Io, message),
            Problem::Stray { shown } => {
                let file = pseudo(sources, &shown);
                Diagnostic::new(Code::StrayFile, format!("stray file `{shown}`"))
                    .at(file, 0..0)
                    .help("translations/ holds one folder per language; move the file into one (e.g. `translations/sv/`)")
            }
            Problem::Unlisted { shown, help } => {
                let file = pseudo(sources, &format!("{shown}/"));
                Diagnostic::new(
                    Code::UnlistedLanguage,
                    format!("language folder `{shown}/` is not listed in book.toml"),
                )
                .at(file, 0..0)
                .help(help)
            }
        }
    }
}

impl Found {
    /// Files `rel` of the tree of language `lang` (`None`: `guidelines/`).
    fn add(&mut self, lang: Option<&LanguageTag>, rel: String, is_md: bool) {
        match lang {
            None if is_md => self.texts.push(Entry::Doc(DocKind::Source { rel })),
            None => {
                self.media.insert(format!("guidelines/{rel}"));
            }
            Some(lang) if is_md => self.texts.push(Entry::Doc(DocKind::Translation {
                lang: lang.clone(),
                rel,
            })),
            Some(lang) if rel == "ui.yaml" => self.texts.push(Entry::Ui(lang.clone())),
            Some(lang) => {
                self.media.insert(format!("translations/{lang}/{rel}"));
            }
        }
    }
}

/// The steps for `translations/` (`dir`): a walk of each listed language's folder, a problem
/// for anything else, in the order of their names.
fn translation_steps(root: &Path, dir: &Path, languages: &[LanguageTag], steps: &mut Vec<Step>) {
    let mut entries: Vec<_> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(Result::ok).collect(),
        Err(err) => {
            steps.push(Step::Problem(Problem::Unreadable(format!(
                "reading translations/: {}",
                super::err_text(&err)
            ))));
            return;
        }
    };
    entries.sort_by_key(|e| e.file_name());
    let listed: Vec<&str> = languages[1..].iter().map(|l| l.as_str()).collect();
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let shown = display_path(root, &path);
        if !path.is_dir() {
            steps.push(Step::Problem(Problem::Stray { shown }));
            continue;
        }
        match LanguageTag::parse(&name) {
            Ok(lang) if listed.contains(&lang.as_str()) => steps.push(Step::Walk(path, Some(lang))),
            parsed => {
                let help = if languages[0].as_str() == name {
                    "the source language lives in guidelines/; remove this folder".to_string()
                } else if let Err(Some(fixed)) = &parsed {
                    format!("rename the folder to `{fixed}`")
                } else {
                    did_you_mean(&name, listed.iter().copied()).unwrap_or_else(|| {
                        format!(
                            "add `\"{name}\"` to `languages` in book.toml, or remove the folder"
                        )
                    })
                };
                steps.push(Step::Problem(Problem::Unlisted { shown, help }));
            }
        }
    }
}

/// Walks `dir`, calling `visit(relative path, is_markdown)` for each file, skipping hidden
/// files and folders (`.git`, `.DS_Store`) and reporting walk errors (loops, permissions).
///
/// Symbolic links are followed only while they stay inside the project: a link whose real path
/// lies outside `real_root` (the canonical project root), or in a hidden folder of it, is
/// reported (E037) and neither read nor descended into, so a link to `/etc`, `~/.ssh` or
/// `.git/config` can never be published. Names that are not UTF-8 are reported (E038) and
/// skipped: the site could not link to them.
fn walk_tree(
    root: &Path,
    real_root: &Path,
    dir: &Path,
    sources: &mut Sources,
    diags: &mut Diagnostics,
    mut visit: impl FnMut(String, bool),
) {
    let mut walker = WalkDir::new(dir)
        .follow_links(true)
        // By name: siblings' paths differ only in their names, and comparing them whole is
        // cheaper than `sort_by_file_name`'s parse of each name from its path (which was a
        // third of discovery's time).
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                walk_error(root, dir, &err, sources, diags);
                continue;
            }
        };
        if !admit(&entry, root, real_root, sources, diags) {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_file() {
            let rel = display_path(dir, entry.path());
            let is_md = Path::new(entry.file_name())
                .extension()
                .is_some_and(|e| e == "md");
            visit(rel, is_md);
        }
    }
}

/// Whether the walk may use `entry`: its name is UTF-8 (else E038) and, if it is a symbolic
/// link or the walk's own folder, its real path is one of the project's own (else E037).
fn admit(
    entry: &walkdir::DirEntry,
    root: &Path,
    real_root: &Path,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> bool {
    let is_dir = entry.file_type().is_dir();
    if entry.depth() > 0 && entry.file_name().to_str().is_none() {
        diags.push(non_utf8_name(root, entry.path(), is_dir, sources));
        return false;
    }
    if entry.depth() > 0 && !entry.path_is_symlink() {
        return true;
    }
    match entry.path().canonicalize() {
        Ok(real) if is_own(real_root, &real) => true,
        Ok(real) => {
            let link = entry.path();
            diags.push(outside_project(
                root, real_root, link, &real, is_dir, sources,
            ));
            false
        }
        Err(err) => {
            let shown = display_path(root, entry.path());
            let file = pseudo(sources, &shown);
            diags.push(
                Diagnostic::new(
                    Code::Walk,
                    format!("cannot read `{shown}`: {}", super::err_text(&err)),
                )
                .at(file, 0..0)
                .help("remove the link or fix the folder's permissions"),
            );
            false
        }
    }
}

fn walk_error(
    root: &Path,
    dir: &Path,
    err: &walkdir::Error,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) {
    let shown = err
        .path()
        .map(|p| display_path(root, p))
        .unwrap_or_else(|| display_path(root, dir));
    let message = if err.loop_ancestor().is_some() {
        format!("`{shown}` is a symbolic link that loops back to a folder above it")
    } else {
        let io = err.io_error().map(super::err_text).unwrap_or_default();
        format!("cannot read `{shown}`: {io}")
    };
    let file = pseudo(sources, &shown);
    diags.push(
        Diagnostic::new(Code::Walk, message)
            .at(file, 0..0)
            .help("remove the link or fix the folder's permissions"),
    );
}

/// Whether `real` (a canonical path) is one of the project's own files: inside the project and
/// not in a hidden file or folder, which the walk skips too (`.git/config` may hold a CI token).
fn is_own(real_root: &Path, real: &Path) -> bool {
    real.strip_prefix(real_root).is_ok_and(|inside| {
        inside
            .components()
            .all(|c| !c.as_os_str().to_string_lossy().starts_with('.'))
    })
}

/// E037 at the link's own path (`guidelines/x/` for a folder).
fn outside_project(
    root: &Path,
    real_root: &Path,
    path: &Path,
    real: &Path,
    is_dir: bool,
    sources: &mut Sources,
) -> Diagnostic {
    let shown = display_path(root, path) + if is_dir { "/" } else { "" };
    let file = pseudo(sources, &shown);
    let message = match real.strip_prefix(real_root) {
        Ok(inside) => format!(
            "`{shown}` leads to `{}`, a hidden file or folder of the project",
            display_path(Path::new(""), inside)
        ),
        Err(_) => format!(
            "`{shown}` leads outside the project, to `{}`",
            real.display()
        ),
    };
    Diagnostic::new(Code::OutsideProject, message)
    .at(file, 0..0)
    .help("it is neither read nor published: copy the file into the project instead of linking to it, or remove the link")
}

/// E038 at the name as best it can be shown (invalid bytes as `�`).
fn non_utf8_name(root: &Path, path: &Path, is_dir: bool, sources: &mut Sources) -> Diagnostic {
    let shown = display_path(root, path) + if is_dir { "/" } else { "" };
    let file = pseudo(sources, &shown);
    let what = if is_dir { "folder" } else { "file" };
    Diagnostic::new(
        Code::NonUtf8Name,
        format!("the {what} name `{shown}` is not valid UTF-8"),
    )
    .at(file, 0..0)
    .help(format!(
        "it is neither read nor published: rename the {what} (`�` marks the bytes that are not UTF-8)"
    ))
}

/// A file entry with no text, so diagnostics about folders and unreadable paths still carry a
/// location (`translations/xx/:1:1`).
fn pseudo(sources: &mut Sources, name: &str) -> FileId {
    sources.add(SourceFile::new(name.into(), name.into(), String::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ui_files_by_path() {
        assert!(is_ui_file("translations/sv/ui.yaml"));
        assert!(!is_ui_file("translations/sv/m/ui.yaml"));
        assert!(!is_ui_file("guidelines/ui.yaml"));
    }
}
