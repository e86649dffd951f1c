//! What helps a reader find their way on a page, beside its content: the handbook a module is
//! read in (its list of modules, previous and next) for the sidebar and breadcrumb, the chips
//! that sum up a module's levels, subjects and needs, and its reading time.

use super::{ModuleItem, Site};
use crate::link::ModuleIdx;
use crate::render::Page;
use serde::Serialize;

/// Words a teacher reads in a minute: the usual figure for reading on a screen.
const WORDS_PER_MINUTE: usize = 200;

/// Minutes to read `words` words, rounded, and never less than one: "0 min" reads as a mistake.
pub(super) fn reading_minutes(words: usize) -> usize {
    ((words + WORDS_PER_MINUTE / 2) / WORDS_PER_MINUTE).max(1)
}

/// One facet term of a module, shown as a chip on cards.
#[derive(Serialize)]
pub(super) struct Chip<'a> {
    pub label: &'a str,
    /// The label's language when it is not the page's.
    pub lang: Option<&'a str>,
    /// `level`, `subject` or `need`: chips of one kind look alike.
    pub kind: &'static str,
}

/// Modules listed beside the text at most. A handbook of a few dozen modules is listed whole;
/// a larger one (a generated corpus's may hold thousands) shows the modules around the current
/// one and links to its contents, so that a module page costs the same in any handbook instead
/// of growing with it (and every page with the square of the handbook).
pub const SIDE_LIMIT: usize = 25;

/// Which of a handbook's `len` modules are listed beside module number `at`: all of them, or
/// [`SIDE_LIMIT`] around `at`. `render/inputs.rs` fingerprints the same range.
pub fn side_window(len: usize, at: usize) -> std::ops::Range<usize> {
    if len <= SIDE_LIMIT {
        return 0..len;
    }
    let start = at.saturating_sub(SIDE_LIMIT / 2).min(len - SIDE_LIMIT);
    start..start + SIDE_LIMIT
}

/// The handbook a module is read in: its modules in order (or those around the current one,
/// see [`side_window`]), with the current one marked, and the module before and after it.
#[derive(Serialize)]
pub(super) struct HandbookSide<'a> {
    pub title: String,
    pub title_lang: Option<&'a str>,
    pub href: String,
    pub items: Vec<SideItem<'a>>,
    /// The number (from 1) of the first module listed, for `<ol start>`.
    pub start: usize,
    /// How many modules the handbook holds, when not all are listed.
    pub partial: Option<usize>,
    pub prev: Option<ModuleItem<'a>>,
    pub next: Option<ModuleItem<'a>>,
}

#[derive(Serialize)]
pub(super) struct SideItem<'a> {
    pub href: String,
    pub title: &'a str,
    pub lang: Option<&'a str>,
    pub current: bool,
}

impl Site {
    /// Module `m`'s levels, subjects and needs as chips in language `l`.
    pub(super) fn chips(&self, m: ModuleIdx, l: usize) -> Vec<Chip<'_>> {
        let module = &self.data.graph.modules[m];
        let labels = &self.look.labels[l];
        let chip = |label, lang, kind| Chip { label, lang, kind };
        let levels = module
            .levels
            .iter()
            .map(|&x| chip(labels.level(x), labels.level_lang(x), "level"));
        let subjects = module
            .subjects
            .iter()
            .map(|x| chip(labels.subject(x), labels.subject_lang(x), "subject"));
        let needs = module
            .needs
            .iter()
            .map(|&x| chip(labels.need(x), labels.need_lang(x), "need"));
        levels.chain(subjects).chain(needs).collect()
    }

    /// The handbook module `m` is read in, in language `l`: the first that holds it, in
    /// `book.toml`'s order (a module may be in several; the breadcrumb names one).
    pub(super) fn handbook_side(&self, m: ModuleIdx, l: usize) -> Option<HandbookSide<'_>> {
        let &(h, at) = self.placements[m].first()?;
        let labels = &self.look.labels[l];
        let id = &self.data.config.handbooks[h].id;
        let members = &self.handbooks[h];
        let window = side_window(members.len(), at);
        Some(HandbookSide {
            title: labels.handbook(id).to_string(),
            title_lang: labels.handbook_lang(id),
            href: self.path(&Page::Handbook(l, h)),
            start: window.start + 1,
            partial: (window.len() < members.len()).then_some(members.len()),
            items: members[window]
                .iter()
                .map(|&other| {
                    let (title, lang) = self.title(other, l);
                    SideItem {
                        href: self.path(&Page::Module(l, other)),
                        title,
                        lang,
                        current: other == m,
                    }
                })
                .collect(),
            prev: at.checked_sub(1).map(|p| self.item(members[p], l)),
            next: members.get(at + 1).map(|n| self.item(*n, l)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_time_rounds_to_whole_minutes_and_is_never_zero() {
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(99), 1);
        assert_eq!(reading_minutes(299), 1);
        assert_eq!(reading_minutes(300), 2);
        assert_eq!(reading_minutes(1000), 5);
    }

    #[test]
    fn the_side_list_is_the_whole_handbook_or_a_window_around_the_module() {
        assert_eq!(side_window(8, 3), 0..8);
        assert_eq!(side_window(SIDE_LIMIT, 24), 0..SIDE_LIMIT);
        assert_eq!(side_window(1500, 0), 0..SIDE_LIMIT);
        assert_eq!(side_window(1500, 700), 688..713);
        assert_eq!(side_window(1500, 1499), 1475..1500);
        for at in 0..100 {
            let w = side_window(100, at);
            assert!(w.contains(&at) && w.len() == SIDE_LIMIT, "{at}: {w:?}");
        }
    }
}
