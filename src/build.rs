//! `handbok build`: analyze → render → write, writing nothing unless every stage succeeded.
//! Errors that belong only to translations do not stop it (unless `--strict`): those
//! translations are published as the source text, see `fallback`.

use crate::analysis::Texts;
use crate::check::Bodies;
use crate::diag::{Code, Diagnostic};
use crate::render::{BuildOptions, Look, Page, Site};
use crate::write::{Protected, Sink, Staging, WriteError};
use crate::{Project, analyze_with};

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    let mut project = publishable(root, options);
    if project.diags.has_errors() {
        return (project, None);
    }
    let Some(data) = project.loaded.take() else {
        return (project, None);
    };
    let output = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| data.root.join(&data.config.build_dir));
    // Refusals about the output folder point at `build-dir` when it came from there.
    let place = match out {
        None => data.config.build_dir_span.clone(),
        Some(_) => None,
    };
    let mut diags = crate::diag::Diagnostics::default();
    // Three independent waits side by side: compiling the theme (CPU), the translations' git
    // history (a subprocess) and the previous output's record (disk). On the sample they were
    // a third of the build's wall time one after another. The waits get a thread of their
    // own, not one of rayon's: the theme's templates are compiled on all of those.
    let ((look, look_diags), (stale, staging)) = std::thread::scope(|scope| {
        let waits = scope.spawn(|| {
            let states = crate::translate::states(&data, &project.sources);
            let stale = crate::translate::stale(&data, &states);
            (stale, staging(&data, &output, place))
        });
        let mut diags = crate::diag::Diagnostics::default();
        let look = (Look::new(&data, &mut diags), diags);
        let waits = waits
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (look, waits)
    });
    diags.extend(look_diags);
    let data = Arc::new(data);
    let stats = match staging {
        Err(err) => {
            diags.push(*err);
            None
        }
        Ok(staging) => look
            .map(|look| Site::with_look(data.clone(), look, options, stale))
            .and_then(|mut site| {
                let written = emit_with(&site, &staging, &Fresh, progress).and_then(|stats| {
                    epubs(&mut site, &staging)?;
                    offline(&mut site, &staging)?;
                    staging
                        .commit()
                        .map_err(|e| output_error(e.message, e.help))?;
                    Ok(stats)
                });
                match written {
                    Ok(stats) => Some(BuildStats {
                        output: output.clone(),
                        ..stats
                    }),
                    Err(err) => {
                        diags.push(*err);
                        None
                    }
                }
            }),
    };
    project.loaded = Arc::into_inner(data);
    diags.sort();
    project.diags.extend(diags);
    (project, stats)
}

/// Runs analyze and the decisions of what a build publishes: links to drafts that are not
/// built (E031), translations published as the source text (`fallback`, unless `--strict`),
/// draft translations left out (unless `--drafts`). The project is ready to render when it
/// has no errors. `build` and `serve` both start here.
pub fn publishable(root: &Path, options: &BuildOptions) -> Project {
    let mut project = analyze_with(root, Bodies::Html, Texts::LetGo);
    if let Some(data) = &mut project.loaded {
        decide(data, &project.sources, &mut project.diags, options);
    }
    project
}

/// The publishing decisions on an analyzed project (see [`publishable`]).
pub fn decide(
    data: &mut crate::ProjectData,
    sources: &crate::source::Sources,
    diags: &mut crate::diag::Diagnostics,
    options: &BuildOptions,
) {
    crate::render::check_draft_links(data, options, diags);
    diags.sort();
    if !options.strict {
        crate::fallback::translations(data, sources, diags);
    }
    if !options.drafts {
        // A draft translation is not published: its module shows the source text.
        let drafts = crate::translate::drafts(data);
        data.graph.drop_translations(&drafts);
    }
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

/// Writes the EPUBs `book.toml` asks for into the staging folder, then renders those
/// handbooks' pages again with the link and size. Before the offline copies, which then hold
/// the EPUBs and the pages that link to them.
fn epubs(site: &mut Site, staging: &Staging) -> Result<(), Box<Diagnostic>> {
    let books = site.epub_books();
    let root = site.data.root.clone();
    let read = |path: &str| std::fs::read(root.join(path));
    let written = books
        .par_iter()
        .map(|&(h, l)| {
            let path = site.epub_path(l, h);
            let book = site.epub(l, h, &read).map_err(|(file, e)| {
                output_error(
                    format!("reading {file} for {path}: {}", crate::load::err_text(&e)),
                    "check that the file is readable",
                )
            })?;
            // Kept from the previous output when made of the same bytes: compressing was
            // most of the EPUBs' cost.
            let zip = || crate::write::archive::zip(&book.entries);
            let bytes = match crate::write::archive::fingerprint(&book.entries) {
                Some(inputs) => staging.derived(&path, inputs, zip),
                None => zip().and_then(|zip| staging.write(&path, &zip).map(|()| zip.len() as u64)),
            }
            .map_err(|e| {
                output_error(
                    format!("writing the EPUB {path}: {}", crate::load::err_text(&e)),
                    "check the free space and permissions of the output folder",
                )
            })?;
            Ok((h, l, crate::render::offline::Download { path, bytes }))
        })
        .collect::<Result<Vec<_>, Box<Diagnostic>>>()?;
    let pages: Vec<Page> = written
        .into_iter()
        .map(|(h, l, download)| {
            site.set_epub(l, h, download);
            Page::Handbook(l, h)
        })
        .collect();
    // Side by side: one after another, the sample's 25 handbook pages rendered on one core
    // at the end of its build.
    pages
        .par_iter()
        .try_for_each(|page| rerender(site, staging, page))
}

/// Renders `page` again over its first version (after a download it links to is written).
fn rerender(site: &Site, staging: &Staging, page: &Page) -> Result<(), Box<Diagnostic>> {
    let path = site.path(page);
    let html = site.render(page).map_err(|e| {
        Box::new(
            Diagnostic::new(Code::Theme, e)
                .help("fix the template (or remove it to use the built-in one)"),
        )
    })?;
    staging.write(&path, &html).map_err(|e| {
        output_error(
            format!("writing {path}: {}", crate::load::err_text(&e)),
            "check the free space and permissions of the output folder",
        )
    })
}

/// Writes the offline copies `book.toml` asks for into the staging folder (see
/// `write::offline`), then renders those languages' home pages again with the link and size.
/// The copies are zipped from the pages already written, home pages without the link
/// included: the size of a zip cannot be printed inside it.
fn offline(site: &mut Site, staging: &Staging) -> Result<(), Box<Diagnostic>> {
    let languages = site.offline_languages();
    let downloads = languages
        .par_iter()
        .map(|&l| {
            let path = site.download_path(l);
            let start = site.offline_start(l);
            crate::write::offline::write(
                staging,
                &site.data.config.languages[l].to_string(),
                &site.download_folder(l),
                start.as_bytes(),
                &path,
            )
            .map(|bytes| {
                (
                    l,
                    crate::render::offline::Download {
                        path: path.clone(),
                        bytes,
                    },
                )
            })
            .map_err(|e| {
                output_error(
                    format!(
                        "writing the offline copy {path}: {}",
                        crate::load::err_text(&e)
                    ),
                    "check the free space and permissions of the output folder",
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let pages: Vec<Page> = downloads
        .into_iter()
        .map(|(l, download)| {
            site.set_download(l, download);
            Page::Home(l)
        })
        .collect();
    pages
        .par_iter()
        .try_for_each(|page| rerender(site, staging, page))
}

fn output_error(message: String, help: &str) -> Box<Diagnostic> {
    Box::new(Diagnostic::new(Code::Output, message).help(help.to_string()))
}

/// The most modules a language's search index may have for the languages' indexes to be made
/// side by side (a few MB each in the making, against ~2.5 KB a module; see [`emit_with`]).
const SIDE_BY_SIDE_INDEXES: usize = 1000;

/// A rendered file's bytes, shared between the cache and the sink.
pub type Bytes = Arc<[u8]>;

/// A rendered page: made just now, or shared with a cache. A page made for `build` is written
/// as it is: turning it into [`Bytes`] copied every page (714 MB at 5,000 modules × 4
/// languages, and a second 11 MB at once for each printable handbook).
pub enum Rendered {
    Made(Vec<u8>),
    Kept(Bytes),
}

impl std::ops::Deref for Rendered {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Rendered::Made(bytes) => bytes,
            Rendered::Kept(bytes) => bytes,
        }
    }
}

/// How the files of a site are rendered: afresh (`build`), or from what an earlier state
/// rendered when a file's inputs did not change (`serve`).
pub trait Renderer: Sync {
    /// One page's bytes.
    fn page(&self, site: &Site, page: &Page) -> Result<Rendered, String>;
    /// Gives each search index file of language `l` to `out` (root-relative path and bytes),
    /// as it is made: a language's files are 10 MB at 5,000 modules, and held all at once
    /// they were a third of what an index costs in the making.
    fn search(&self, site: &Site, l: usize, out: &mut dyn FnMut(&str, &[u8]));
}

/// Renders every file anew.
pub struct Fresh;

impl Renderer for Fresh {
    fn page(&self, site: &Site, page: &Page) -> Result<Rendered, String> {
        site.render(page).map(Rendered::Made)
    }

    fn search(&self, site: &Site, l: usize, out: &mut dyn FnMut(&str, &[u8])) {
        crate::render::search::each_file(site, l, &mut |path, text| out(&path, text.as_bytes()));
    }
}

/// Renders every file of the site into `sink`: pages, search indexes, assets, media.
pub fn emit(site: &Site, sink: &dyn Sink) -> Result<BuildStats, Box<Diagnostic>> {
    emit_with(site, sink, &Fresh, &())
}

/// [`emit`], rendering with `renderer`.
pub fn emit_with(
    site: &Site,
    sink: &dyn Sink,
    renderer: &dyn Renderer,
    progress: &dyn Progress,
) -> Result<BuildStats, Box<Diagnostic>> {
    let fail = output_error;
    let write = |path: &str, bytes: &[u8]| {
        sink.write(path, bytes).map_err(|e| {
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
        (site.look.css_path.as_str(), site.look.css.as_bytes()),
        (site.look.js_path.as_str(), site.look.js.as_bytes()),
    ];
    let languages = site.data.config.languages.len();
    let search_folders: Vec<String> = (0..languages)
        .map(|l| format!("{}/search/index.js", site.data.config.languages[l]))
        .collect();
    sink.folders(
        &mut paths
            .iter()
            .map(String::as_str)
            .chain(media.iter().map(|(_, p)| p.as_str()))
            .chain(assets.iter().map(|(p, _)| *p))
            .chain(search_folders.iter().map(String::as_str)),
    )
    .map_err(|e| {
        fail(
            format!(
                "creating the output's folders: {}",
                crate::load::err_text(&e)
            ),
            "check that the output folder is writable",
        )
    })?;
    // Pages and search indexes are independent: render both at once.
    progress.start(pages.len());
    let render_pages = || {
        pages
            .par_iter()
            .zip(&paths)
            .map(|(page, path)| {
                let html = renderer.page(site, page).map_err(|e| {
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
    };
    let index = |l: usize| {
        let mut written = Ok(0);
        renderer.search(site, l, &mut |path, bytes| {
            if let Ok(n) = &mut written {
                match write(path, bytes) {
                    Ok(()) => *n += bytes.len() as u64,
                    Err(err) => written = Err(err),
                }
            }
        });
        written
    };
    // Each search file is written as it is made. An index in the making holds every stem's
    // postings: a big one is made one language at a time while the pages keep the other cores
    // busy. Small ones are made side by side, since there the indexes take longer than the
    // pages (the sample: 45 ms one after another, against 23 ms of pages); they are handed out
    // first, each a task of its own, and the pages fill the gaps (split in halves with the
    // pages, one language's index was left to run alone on one core at the end, ~10 ms).
    let (pages_written, search_written) = if site.built_count() <= SIDE_BY_SIDE_INDEXES {
        let indexes: Vec<std::sync::Mutex<Result<u64, Box<Diagnostic>>>> = (0..languages)
            .map(|_| std::sync::Mutex::new(Ok(0)))
            .collect();
        let pages_written = rayon::scope(|scope| {
            for (l, written) in indexes.iter().enumerate() {
                scope.spawn(move |_| {
                    *written.lock().unwrap_or_else(|p| p.into_inner()) = index(l);
                });
            }
            render_pages()
        });
        let search_written = indexes
            .into_iter()
            .map(|w| w.into_inner().unwrap_or_else(|p| p.into_inner()))
            .sum::<Result<u64, Box<Diagnostic>>>();
        (pages_written, search_written)
    } else {
        rayon::join(render_pages, || {
            (0..languages)
                .map(index)
                .sum::<Result<u64, Box<Diagnostic>>>()
        })
    };
    progress.finish();
    let bytes = pages_written? + search_written?;
    for (path, bytes) in assets {
        write(path, bytes)?;
    }
    media
        .par_iter()
        .map(|(from, to)| {
            sink.copy(&site.data.root.join(from), to).map_err(|e| {
                fail(
                    format!("copying {from}: {}", crate::load::err_text(&e)),
                    "check that the file is readable",
                )
            })
        })
        .collect::<Result<Vec<()>, Box<Diagnostic>>>()?;
    Ok(BuildStats {
        output: PathBuf::new(),
        pages: pages.len(),
        media: media.len(),
        bytes,
    })
}
