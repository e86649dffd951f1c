//! PO files for CAT tools (Weblate, Poedit, OmegaT, Crowdin): `po export L` writes one gettext
//! PO file per module with an entry per translatable block; `po import L` writes the
//! translations back into Markdown.
//!
//! The blocks are [`crate::translate::fingerprint`]'s, turned into [`units`]. A translation's
//! text fills `msgstr` when its blocks line up with the source's (same kinds in the same
//! order). Entries whose source block changed since the translation's `source-hash` are
//! `fuzzy`, with the old source text as `#| msgid`.
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
