//! Reproducible zip archives, the container of offline copies and of EPUBs: entries in the
//! order given, every timestamp the zip epoch (1980-01-01 00:00), permissions 0644, deflate at
//! one fixed level or stored. Entries are compressed in parallel, then written in that order,
//! so the same entries always make the same bytes.

use rayon::prelude::*;
use std::io;
use std::path::PathBuf;
use zip::write::{PreparedZipFile, SimpleFileOptions, ZipWriter};

/// The version of the bytes this writer makes of given entries: part of the fingerprint of a
/// kept archive (see `Staging::derived`), so change it with anything that changes those bytes.
pub const FORMAT: &[u8] = b"handbok zip 1: deflate 6, 1980 timestamps, 0644";

/// One file of an archive.
pub struct Entry {
    /// Its path inside the archive, with `/`.
    pub name: String,
    pub content: Content,
    /// Stored uncompressed: what EPUB asks of its first entry, `mimetype`, so that a reader
    /// can recognize the file by its first bytes.
    pub stored: bool,
}

/// Where an entry's bytes come from.
pub enum Content {
    Bytes(Vec<u8>),
    /// A file on disk, read when compressed.
    File(PathBuf),
}

impl Entry {
    /// A deflated entry of the given bytes.
    pub fn bytes(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Entry {
        Entry {
            name: name.into(),
            content: Content::Bytes(bytes.into()),
            stored: false,
        }
    }

    /// A deflated entry read from `path`.
    pub fn file(name: impl Into<String>, path: impl Into<PathBuf>) -> Entry {
        Entry {
            name: name.into(),
            content: Content::File(path.into()),
            stored: false,
        }
    }
}

/// A fingerprint of the archive `entries` make: their names, how each is stored, their bytes
/// and this writer's [`FORMAT`]; `None` when an entry is a file on disk (not read here).
pub fn fingerprint(entries: &[Entry]) -> Option<u128> {
    let mut fingerprint = super::manifest::Fingerprint::new();
    fingerprint.part(FORMAT);
    for entry in entries {
        let Content::Bytes(bytes) = &entry.content else {
            return None;
        };
        fingerprint
            .part(entry.name.as_bytes())
            .part(&[u8::from(entry.stored)])
            .part(bytes);
    }
    Some(fingerprint.finish())
}

/// The zip of `entries`, in their order.
pub fn zip(entries: &[Entry]) -> io::Result<Vec<u8>> {
    let options = SimpleFileOptions::default()
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let deflated = options
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6));
    let stored = options.compression_method(zip::CompressionMethod::Stored);
    let prepared = entries
        .par_iter()
        .map(|entry| {
            let options = if entry.stored { stored } else { deflated };
            let name = entry.name.clone();
            match &entry.content {
                Content::Bytes(bytes) => PreparedZipFile::from_data(name, options, bytes),
                Content::File(path) => PreparedZipFile::from_path(name, path, options),
            }
            .map_err(|e| io::Error::other(format!("{}: {e}", entry.name)))
        })
        .collect::<io::Result<Vec<_>>>()?;
    let mut zip = ZipWriter::new(io::Cursor::new(Vec::new()));
    zip.add_prepared_files(prepared).map_err(io::Error::other)?;
    Ok(zip.finish().map_err(io::Error::other)?.into_inner())
}
