//! What an output folder holds, recorded in its marker file, so that the next build can keep
//! the files whose bytes did not change instead of writing them again.
//!
//! Why: a rebuild after a one-line edit changes a handful of files out of tens of thousands.
//! Writing them all anew costs an `open`/`write`/`close` each and gives every file a new inode
//! and mtime, so `rsync` and CDN uploads send the whole site again. Instead, a file whose bytes
//! hash the same as last time is hard-linked from the current output into the staging folder:
//! the swap stays atomic (the staging folder is still complete before it replaces the output),
//! and the kept file keeps its inode and mtime.
//!
//! The record holds only what the output's bytes are (hash and length of every file), so two
//! builds of the same input still write the same bytes. It is trusted only for files that have
//! not changed since it was written (mtime not after the marker's, same length): a file edited
//! by hand in the output is written anew.
//!
//! A file made from other files of the output (an offline zip of a language's pages) is also
//! recorded with the fingerprint of what it was made from (`= inputs path`): when the next build
//! has the same inputs it keeps the file without making it again, since recompressing a
//! language's site costs far more than writing it.

use rustc_hash::FxHashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The first line of the record, after the marker's own sentence.
const HEADER: &str = "# handbok output manifest 1: xxh3-128 length path";

/// What one file of an output holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kept {
    pub hash: u128,
    pub len: u64,
}

/// The hash a file's bytes are recorded by.
pub fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// A fingerprint of what a derived file is made from: a hash of byte strings in order, each
/// prefixed with its length so that different sequences never hash the same bytes.
pub struct Fingerprint(xxhash_rust::xxh3::Xxh3);

impl Fingerprint {
    pub fn new() -> Fingerprint {
        Fingerprint(xxhash_rust::xxh3::Xxh3::new())
    }

    /// Adds one byte string.
    pub fn part(&mut self, bytes: &[u8]) -> &mut Fingerprint {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    pub fn finish(&self) -> u128 {
        self.0.digest128()
    }
}

/// The previous output and its record.
#[derive(Debug)]
pub struct Previous {
    dir: PathBuf,
    files: FxHashMap<String, Kept>,
    /// What the derived files were made from (see [`Previous::made_from`]).
    made: FxHashMap<String, u128>,
    /// When the record was written: a file changed later is not what it describes.
    written: SystemTime,
}

impl Previous {
    /// Reads the record in `dir`'s marker; an output without one (or with one this version
    /// cannot read) keeps nothing.
    pub fn read(dir: &Path, marker: &str) -> Previous {
        let path = dir.join(marker);
        let written = fs::metadata(&path).and_then(|m| m.modified());
        let (files, made) = match (written.is_ok(), fs::read_to_string(&path)) {
            (true, Ok(text)) => parse(&text),
            _ => Default::default(),
        };
        Previous {
            dir: dir.to_path_buf(),
            files,
            made,
            written: written.unwrap_or(SystemTime::UNIX_EPOCH),
        }
    }

    /// The previous output's file at `rel`, if it holds exactly `bytes` (by hash and length)
    /// and is still the file the record describes.
    pub fn same(&self, rel: &str, hash: u128, len: u64) -> Option<(PathBuf, Kept)> {
        let kept = self.files.get(rel)?;
        if kept.hash != hash || kept.len != len {
            return None;
        }
        let path = self.dir.join(rel);
        let meta = fs::symlink_metadata(&path).ok()?;
        let untouched = meta.modified().is_ok_and(|t| t <= self.written);
        (meta.is_file() && meta.len() == len && untouched).then_some((path, *kept))
    }

    /// The previous output's file at `rel`, if it was made from `inputs` (a fingerprint) and
    /// is still the file the record describes.
    pub fn made_from(&self, rel: &str, inputs: u128) -> Option<(PathBuf, Kept)> {
        let kept = self.files.get(rel)?;
        (self.made.get(rel) == Some(&inputs))
            .then(|| self.same(rel, kept.hash, kept.len))
            .flatten()
    }
}

/// The files of a record, and what its derived files were made from.
type Record = (FxHashMap<String, Kept>, FxHashMap<String, u128>);

fn parse(text: &str) -> Record {
    let mut lines = text.lines().skip_while(|l| *l != HEADER);
    let mut record = Record::default();
    if lines.next().is_none() {
        return record;
    }
    for line in lines {
        let hex = |s: &str| u128::from_str_radix(s, 16).ok();
        if let Some(made) = line.strip_prefix("= ") {
            if let Some((inputs, path)) = made.split_once(' ').and_then(|(h, p)| Some((hex(h)?, p)))
            {
                record.1.insert(path.to_string(), inputs);
            }
            continue;
        }
        let mut fields = line.splitn(3, ' ');
        let kept = (|| {
            let kept = Kept {
                hash: hex(fields.next()?)?,
                len: fields.next()?.parse().ok()?,
            };
            Some((fields.next()?.to_string(), kept))
        })();
        if let Some((path, kept)) = kept {
            record.0.insert(path, kept);
        }
    }
    record
}

/// The marker's text: `sentence`, then the record of `files` in the order they were stored
/// (sorted, so the marker of the same output reads the same; a path stored twice, like a home
/// page rendered again with its offline link, keeps its last bytes). Paths with a line break
/// are left out (they are written anew). Then what each derived file in `made` was made from.
pub fn format(
    sentence: &str,
    files: &mut Vec<(String, Kept)>,
    made: &mut Vec<(String, u128)>,
) -> String {
    use std::fmt::Write as _;
    // Reversed, then sorted stably: of equal paths the last stored comes first, and `dedup_by`
    // keeps the first of each run.
    files.reverse();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    let mut out = String::with_capacity(64 + files.len() * 96);
    out.push_str(sentence);
    out.push_str(HEADER);
    out.push('\n');
    for (path, k) in files.iter().filter(|(p, _)| !p.contains(['\n', '\r'])) {
        let _ = writeln!(out, "{:032x} {} {path}", k.hash, k.len);
    }
    made.reverse();
    made.sort_by(|a, b| a.0.cmp(&b.0));
    made.dedup_by(|a, b| a.0 == b.0);
    for (path, inputs) in made.iter().filter(|(p, _)| !p.contains(['\n', '\r'])) {
        let _ = writeln!(out, "= {inputs:032x} {path}");
    }
    out
}

/// Writes `bytes` to a new file at `path`. Never opens an existing file
/// for writing: one there may be a link to the previous output's file, which must not change.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    let create = || {
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
    };
    let mut file = match create() {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            fs::remove_file(path)?;
            create()?
        }
        other => other?,
    };
    file.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_reads_back_what_was_written_including_paths_with_spaces() {
        let k = |n: u64| Kept {
            hash: u128::from(n) << 70 | 5,
            len: n,
        };
        let mut files = vec![
            ("index.html".to_string(), k(9)),
            ("sv/a b.html".to_string(), k(2)),
            ("index.html".to_string(), k(1)),
            ("bad\nname".to_string(), k(3)),
        ];
        let mut made = vec![("sv/x y.zip".to_string(), 7), ("sv/x y.zip".to_string(), 8)];
        let text = format("marker\n", &mut files, &mut made);
        let (read, made) = parse(&text);
        assert_eq!(read.len(), 2);
        assert_eq!(read["sv/a b.html"], k(2));
        assert_eq!(read["index.html"], k(1));
        assert_eq!(made.len(), 1);
        assert_eq!(made["sv/x y.zip"], 8);
        // A marker without a record (or a foreign one) keeps nothing.
        assert!(parse("marker\n").0.is_empty());
        assert!(
            parse(&text.replace(" manifest 1:", " manifest 9:"))
                .0
                .is_empty()
        );
    }
}
