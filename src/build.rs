//! `handbok build`: analyze → render → write, writing nothing unless every stage succeeded.
//! Errors that belong only to translations do not stop it (unless `--strict`): those
//! translations are published as the source text, see `fallback`.

use crate::diag::{Code, Diagnostic};
use crate::render::{BuildOptions, Site};
use crate::write::{Protected, Staging, WriteError};
use crate::{Project, analyze};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// What a build did.
#[derive(Debug, Default, Clone)]
pub struct BuildStats {
    pub output: PathBuf,
    pub pages: usize,
    pub media: usize,
    pub bytes: u64,
}

/// Told how far the writing of pages has come: a progress bar's hook. Called from rendering
/// threads, so it must be cheap; `()` reports nothing.
pub trait Progress: Sync {
    /// The number of pages about to be rendered and written.
    fn start(&self, _pages: usize) {}
    /// One more page written.
    fn page(&self) {}
    /// Every page written (or the writing failed).
    fn finish(&self) {}
}

impl Progress for () {}

/// Builds the project at `root` into `out` (default: `build-dir` from book.toml). Returns the
/// project (with every diagnostic) and, if the site was written, what was written.
pub fn build(
    root: &Path,
    out: Option<&Path>,
    options: &BuildOptions,
) -> (Project, Option<BuildStats>) {
    build_with_progress(root, out, options, &())
}

/// [`build`], telling `progress` about the pages it writes.
pub fn build_with_progress(
    root: &Path,
    out: Option<&Path>,
    options: &BuildOptions,
    progress: &dyn Progress,
) -> (Project, Option<BuildStats>) {
    let mut project = analyze(root);
    let Some(data) = &mut project.loaded else {
        return (project, None);
    };
    crate::render::check_draft_links(data, options, &mut project.diags);
    project.diags.sort();
    if !options.strict {
        crate::fallback::translations(data, &project.sources, &mut project.diags);
    }
    if !options.drafts {
        // A draft translation is not published: its module shows the source text.
        let drafts = crate::translate::drafts(data);
        data.graph.drop_translations(&drafts);
    }
    if project.diags.has_errors() {
        return (project, None);
    }
    let output = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| data.root.join(&data.config.build_dir));
    // Refusals about the output folder point at `build-dir` when it came from there.
    let place = match out {
        None => data.config.build_dir_span.clone(),
        Some(_) => None,
    };
    let mut diags = crate::diag::Diagnostics::default();
    let stats = match staging(data, &output, place) {
        Err(err) => {
            diags.push(*err);
            None
        }
        Ok(staging) => Site::new(
            data,
            options,
            crate::translate::stale(data, &crate::translate::states(data, &project.sources)),
            &mut diags,
        )
        .and_then(|site| match write_site(&site, staging, &output, progress) {
            Ok(stats) => Some(stats),
            Err(err) => {
                diags.push(*err);
                None
            }
        }),
    };
    diags.sort();
    project.diags.extend(diags);
    (project, stats)
}

/// The staging folder for `output` of the project, checked against the project's sources
/// (`place`: where in book.toml the output was named, if there).
pub(crate) fn staging(
    data: &crate::ProjectData,
    output: &Path,
    place: Option<crate::source::Span>,
) -> Result<Staging, Box<Diagnostic>> {
    let staging = Protected::project(&data.root, data.config.theme.as_deref())
        .map_err(|e| WriteError {
            message: format!(
                "reading the project folder {}: {}",
                data.root.display(),
                crate::load::err_text(&e)
            ),
            help: "check that the project folder is readable",
        })
        .and_then(|protected| Staging::create(output, &protected));
    staging.map_err(|e| {
        let mut d = Diagnostic::new(Code::Output, e.message).help(e.help);
        if let Some(span) = place {
            d = d.at(data.config.file, span);
        }
        Box::new(d)
    })
}

fn write_site(
    site: &Site,
    staging: Staging,
    output: &Path,
    progress: &dyn Progress,
) -> Result<BuildStats, Box<Diagnostic>> {
    let fail = |message: String, help: &str| {
        Box::new(Diagnostic::new(Code::Output, message).help(help.to_string()))
    };
    let write = |path: &str, bytes: &[u8]| {
        staging.write(path, bytes).map_err(|e| {
            fail(
                format!("writing {path}: {}", crate::load::err_text(&e)),
                "check the free space and permissions of the output folder",
            )
        })
    };
    let pages = site.pages();
    let paths: Vec<String> = pages.iter().map(|p| site.path(p)).collect();
    let media: Vec<(&str, String)> = site
        .media()
        .into_iter()
        .map(|m| (m, crate::render::fill::media_path(m)))
        .collect();
    let assets = [
        (site.css_path.as_str(), site.css.as_bytes()),
        (site.js_path.as_str(), site.js.as_bytes()),
    ];
    let languages = site.data.config.languages.len();
    let search_folders: Vec<String> = (0..languages)
        .map(|l| format!("{}/search/index.js", site.data.config.languages[l]))
        .collect();
    staging
        .folders(
            paths
                .iter()
                .map(String::as_str)
                .chain(media.iter().map(|(_, p)| p.as_str()))
                .chain(assets.iter().map(|(p, _)| *p))
                .chain(search_folders.iter().map(String::as_str)),
        )
        .map_err(|e| {
            fail(
                format!(
                    "creating folders in {}: {}",
                    staging.path().display(),
                    crate::load::err_text(&e)
                ),
                "check that the output folder is writable",
            )
        })?;
    // Pages and search indexes are independent: render both at once.
    progress.start(pages.len());
    let (pages_written, search_written) = rayon::join(
        || {
            pages
                .par_iter()
                .zip(&paths)
                .map(|(page, path)| {
                    let html = site.render(page).map_err(|e| {
                        Box::new(
                            Diagnostic::new(Code::Theme, e)
                                .help("fix the template (or remove it to use the built-in one)"),
                        )
                    })?;
                    write(path, &html)?;
                    progress.page();
                    Ok(html.len() as u64)
                })
                .sum::<Result<u64, Box<Diagnostic>>>()
        },
        || {
            (0..languages)
                .into_par_iter()
                .flat_map_iter(|l| crate::render::search::files(site, l))
                .map(|(path, text)| write(&path, text.as_bytes()).map(|()| text.len() as u64))
                .sum::<Result<u64, Box<Diagnostic>>>()
        },
    );
    progress.finish();
    let bytes = pages_written? + search_written?;
    for (path, bytes) in assets {
        write(path, bytes)?;
    }
    media
        .par_iter()
        .map(|(from, to)| {
            staging.copy(&site.data.root.join(from), to).map_err(|e| {
                fail(
                    format!("copying {from}: {}", crate::load::err_text(&e)),
                    "check that the file is readable",
                )
            })
        })
        .collect::<Result<Vec<()>, Box<Diagnostic>>>()?;
    staging.commit().map_err(|e| fail(e.message, e.help))?;
    Ok(BuildStats {
        output: output.to_path_buf(),
        pages: pages.len(),
        media: media.len(),
        bytes,
    })
}
