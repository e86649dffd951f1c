//! PO files for CAT tools (Weblate, Poedit, OmegaT, Crowdin): `po export L` writes one gettext
//! PO file per module with an entry per translatable block; `po import L` writes the
//! translations back into Markdown.
//!
//! The blocks are [`crate::translate::fingerprint`]'s, turned into [`units`]. A translation's
//! text fills `msgstr` when its blocks line up with the source's (same kinds in the same
//! order), or with the source version it was made from ([`units::pair`]). Entries whose source
//! block changed since the translation's `source-hash` are `fuzzy`, with the old source text as
//! `#| msgid` ([`review`]).
//!
//! Each entry carries `#. handbok-was: FINGERPRINT`, the fingerprint of its msgstr as
//! exported (`none` when empty). On import an entry is written only when its msgstr differs
//! from that, and only if the translation's block is still what was exported: otherwise the
//! translator's Markdown changed meanwhile and the entry is reported as a conflict, not
//! overwritten. The header records the source fingerprint exported from; a PO file made from
//! another version of the source is refused (export again and merge).

pub mod export;
pub mod format;
pub mod import;
pub mod units;

use crate::model::Translation;
use crate::translate::fingerprint::{BlockKind, Piece};

/// The header field naming the module a PO file holds.
pub const MODULE_FIELD: &str = "X-Handbok-Module";
/// The header field holding the source fingerprint the file was exported from.
pub const SOURCE_HASH_FIELD: &str = "X-Handbok-Source-Hash";
/// The note prefix recording an entry's msgstr as exported.
pub const WAS: &str = "handbok-was: ";

/// What [`WAS`] records for a text: its block fingerprint, or `none` when empty.
pub fn was(kind: BlockKind, text: &str) -> String {
    if text.is_empty() {
        "none".to_string()
    } else {
        Piece {
            kind,
            text: text.to_string(),
        }
        .fingerprint()
    }
}

/// The source version a translation was made from, as units.
#[derive(Debug)]
pub enum MadeFrom {
    /// The translation records the current source, or records none (then nothing is known).
    Current,
    /// It records an earlier version that neither git nor the store holds.
    Unknown,
    /// It records an earlier version: these were its units.
    Earlier(Vec<units::Unit>),
}

/// What `t` was made from, given the source file `source` (project-relative), its module `id`
/// and its current fingerprint `hash`; the old text comes from `old` (git history or the store).
pub fn made_from(
    old: &crate::translate::diff::OldSources,
    source: &str,
    id: &str,
    t: &Translation,
    hash: &str,
) -> MadeFrom {
    match &t.source_hash {
        Some(h) if h != hash => old
            .find(source, h)
            .and_then(|(text, _)| units::units(&text, id))
            .map_or(MadeFrom::Unknown, MadeFrom::Earlier),
        _ => MadeFrom::Current,
    }
}

/// Whether the entry for source unit `i` (of `src`), translated as `text`, needs review
/// (`fuzzy`), and the old source text to show with it (`#| msgid`): its source block changed
/// since the version the translation was made from, or that version is unknown.
pub fn review(
    made_from: &MadeFrom,
    src: &[units::Unit],
    i: usize,
    text: &str,
) -> (bool, Option<String>) {
    match made_from {
        _ if text.is_empty() => (false, None),
        MadeFrom::Current => (false, None),
        MadeFrom::Unknown => (true, None),
        MadeFrom::Earlier(old) => match units::align(src, old)[i] {
            Some(j) if old[j].text == src[i].text => (false, None),
            Some(j) => (true, Some(old[j].text.clone()).filter(|t| !t.is_empty())),
            None => (true, None),
        },
    }
}
