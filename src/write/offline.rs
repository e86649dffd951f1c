//! Offline copies: one language of the written site → a zip that works from a USB stick.
//!
//! The zip holds what a reader of that language needs from `file://`: the language folder
//! (pages, search index, browse data, its media), the shared `assets/` and `media/`, and a
//! start page at the top. Its entries sit in one folder (`<book>-<lang>/`) so that unzipping
//! makes one folder. Links to the other languages are the only ones that lead out of it.
//!
//! The zip is reproducible ([`super::archive`]): the start page first, then the files in byte
//! order of their paths.

use super::archive::{self, Entry};
use super::{Sink, Staging};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The shared folders at the site's root that every language's pages load from.
const SHARED: &[&str] = &["assets", "media"];

/// Stores the offline copy of language folder `lang` of the site being written in `staging`
/// at `out` (the zip's own path, left out of it): `start` becomes `<folder>/index.html`. A zip
/// made from the same files last time is kept without compressing them again (see
/// `write::manifest`); on the sample that was half the build. Returns the zip's size.
pub fn write(
    staging: &Staging,
    lang: &str,
    folder: &str,
    start: &[u8],
    out: &str,
) -> io::Result<u64> {
    let mut files = Vec::new();
    for top in std::iter::once(lang).chain(SHARED.iter().copied()) {
        collect(&staging.path().join(top), top, &mut files)?;
    }
    files.retain(|(rel, _)| rel != out);
    files.sort();
    let make = || {
        let entries: Vec<Entry> =
            std::iter::once(Entry::bytes(format!("{folder}/index.html"), start))
                .chain(
                    files
                        .iter()
                        .map(|(rel, path)| Entry::file(format!("{folder}/{rel}"), path)),
                )
                .collect();
        archive::zip(&entries)
    };
    let rels = files.iter().map(|(rel, _)| rel.as_str());
    match staging.fingerprint(rels, &[archive::FORMAT, folder.as_bytes(), start]) {
        Some(inputs) => staging.derived(out, inputs, make),
        None => {
            let zip = make()?;
            staging.write(out, &zip)?;
            Ok(zip.len() as u64)
        }
    }
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
