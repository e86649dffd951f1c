//! Offline copies: one language of the written site → a zip that works from a USB stick.
//!
//! The zip holds what a reader of that language needs from `file://`: the language folder
//! (pages, search index, browse data, its media), the shared `assets/` and `media/`, and a
//! start page at the top. Its entries sit in one folder (`<book>-<lang>/`) so that unzipping
//! makes one folder. Links to the other languages are the only ones that lead out of it.
//!
//! The zip is reproducible: entries in byte order of their paths, every timestamp the zip
//! epoch (1980-01-01 00:00), permissions 0644, deflate at one fixed level. The files are
//! compressed in parallel and then written in that order.

use rayon::prelude::*;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use zip::write::{PreparedZipFile, SimpleFileOptions, ZipWriter};

/// The shared folders at the site's root that every language's pages load from.
const SHARED: &[&str] = &["assets", "media"];

/// The offline copy of language folder `lang` of the site in `site`: `start` becomes
/// `<folder>/index.html`; `out` (the zip's own path) is left out. Returned as bytes, so that the
/// build stores it like any other file of the site (an unchanged zip keeps its inode, see
/// `write::manifest`).
pub fn zip(site: &Path, lang: &str, folder: &str, start: &[u8], out: &str) -> io::Result<Vec<u8>> {
    let mut files = Vec::new();
    for top in std::iter::once(lang).chain(SHARED.iter().copied()) {
        collect(&site.join(top), top, &mut files)?;
    }
    files.retain(|(rel, _)| rel != out);
    files.sort();
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let prepared = files
        .par_iter()
        .map(|(rel, path)| {
            PreparedZipFile::from_path(format!("{folder}/{rel}"), path, options)
                .map_err(|e| io::Error::other(format!("{rel}: {e}")))
        })
        .collect::<io::Result<Vec<_>>>()?;
    let start = PreparedZipFile::from_data(format!("{folder}/index.html"), options, start)
        .map_err(io::Error::other)?;
    let mut zip = ZipWriter::new(io::Cursor::new(Vec::new()));
    zip.add_prepared_file(start).map_err(io::Error::other)?;
    zip.add_prepared_files(prepared).map_err(io::Error::other)?;
    Ok(zip.finish().map_err(io::Error::other)?.into_inner())
}

/// Every file under `dir` (none if it does not exist), as (`prefix/…` with `/`, path).
fn collect(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf)>) -> io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let rel = format!("{prefix}/{name}");
        if entry.file_type()?.is_dir() {
            collect(&entry.path(), &rel, out)?;
        } else {
            out.push((rel, entry.path()));
        }
    }
    Ok(())
}
