//! `handbok export epub`: one handbook in one language as an EPUB 3 file, the same book that
//! `build` writes with `epub` in `book.toml` (see `render::epub`). The project is read and
//! decided on as for a build (translations with errors shown as the source text, drafts left
//! out); the file is written whole or not at all: to a temporary file beside it, renamed over
//! the old one only once complete.

use crate::diag::{Code, Diagnostic};
use crate::render::{BuildOptions, Site};
use crate::{Project, ProjectData};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What an export wrote.
#[derive(Debug, Clone)]
pub struct Exported {
    pub path: PathBuf,
    pub bytes: u64,
    pub chapters: usize,
}

/// Writes handbook `handbook` in language `lang` (default: the source language) to `out`
/// (default: `<handbook>-<lang>.epub` in the current folder). Returns the project (with
/// diagnostics) and what was written, if anything.
pub fn epub(
    root: &Path,
    handbook: &str,
    lang: Option<&str>,
    out: Option<&Path>,
) -> (Project, Option<Exported>) {
    let options = BuildOptions::default();
    let mut project = crate::build::publishable(root, &options);
    if project.diags.has_errors() {
        return (project, None);
    }
    let Some(data) = project.loaded.take() else {
        return (project, None);
    };
    let stale = crate::translate::stale(&data, &crate::translate::states(&data, &project.sources));
    let data = Arc::new(data);
    let mut diags = crate::diag::Diagnostics::default();
    let result = super::pick(&data.config, handbook, lang).and_then(|(h, l)| {
        let path = out.map(Path::to_path_buf).unwrap_or_else(|| {
            PathBuf::from(format!("{handbook}-{}.epub", data.config.languages[l]))
        });
        match Site::new(data.clone(), &options, stale, &mut diags) {
            Some(site) => write(&site, &data, h, l, &path).map(Some),
            // The theme's problems are in `diags` already.
            None => Ok(None),
        }
    });
    let exported = match result {
        Ok(exported) => exported,
        Err(d) => {
            diags.push(*d);
            None
        }
    };
    project.loaded = Arc::into_inner(data);
    project.diags.extend(diags);
    (project, exported)
}

fn write(
    site: &Site,
    data: &ProjectData,
    h: usize,
    l: usize,
    path: &Path,
) -> Result<Exported, Box<Diagnostic>> {
    let fail = |message: String, help: &str| {
        Box::new(Diagnostic::new(Code::Output, message).help(help.to_string()))
    };
    let inside = crate::write::Protected::project(&data.root, data.config.theme.as_deref())
        .and_then(|protected| {
            protected
                .source_folder_of(path)
                .map(|f| f.map(str::to_string))
        })
        .map_err(|e| {
            fail(
                format!(
                    "checking where {} is: {}",
                    path.display(),
                    crate::load::err_text(&e)
                ),
                "check that the folder is readable",
            )
        })?;
    if let Some(folder) = inside {
        return Err(fail(
            format!("{} lies inside the project's {folder}", path.display()),
            "write the book outside guidelines/, translations/ and the theme, where handbok \
             does not read it as a source",
        ));
    }
    let read = |file: &str| std::fs::read(data.root.join(file));
    let book = site.epub(l, h, &read).map_err(|(file, e)| {
        fail(
            format!("reading {file}: {}", crate::load::err_text(&e)),
            "check that the file is readable",
        )
    })?;
    let bytes = crate::write::archive::zip(&book.entries).map_err(|e| {
        fail(
            format!("making the EPUB: {}", crate::load::err_text(&e)),
            "check the free memory",
        )
    })?;
    replace(path, &bytes).map_err(|e| {
        fail(
            format!("writing {}: {}", path.display(), crate::load::err_text(&e)),
            "check that the folder exists and is writable",
        )
    })?;
    Ok(Exported {
        path: path.to_path_buf(),
        bytes: bytes.len() as u64,
        chapters: book.chapters,
    })
}

/// Writes `bytes` to `path` whole: into a temporary file in the same folder, synced, then
/// renamed over `path`. On any failure `path` is as it was and the temporary file is removed.
fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("not a file name"))?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".{}.tmp", std::process::id()));
    let temp = path.with_file_name(temp_name);
    let result = std::fs::File::create(&temp)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}
