//! What helps a reader find their way on a page, beside its content: the handbook a module is
//! read in (its list of modules, previous and next) for the sidebar and breadcrumb, the chips
//! that sum up a module's levels, subjects and needs, and its reading time.

use super::{ModuleItem, Site};
use crate::link::ModuleIdx;
use crate::render::{Facet, Page};
use serde::Serialize;

/// Words a teacher reads in a minute: the usual figure for reading on a screen.
const WORDS_PER_MINUTE: usize = 200;

/// Minutes to read `words` words, rounded, and never less than one: "0 min" reads as a mistake.
pub(super) fn reading_minutes(words: usize) -> usize {
    ((words + WORDS_PER_MINUTE / 2) / WORDS_PER_MINUTE).max(1)
}

/// Minutes to read a module's plain text (see [`reading_minutes`]).
pub(super) fn reading_time(text: &str) -> usize {
    reading_minutes(text.split_whitespace().count())
}

/// One facet term of a module, shown as a chip on cards.
#[derive(Serialize)]
pub(super) struct Chip {
    pub label: String,
    /// The label's language when it is not the page's.
    pub lang: Option<String>,
    /// `level`, `subject` or `need`: chips of one kind look alike.
    pub kind: &'static str,
}

/// The handbook a module is read in: its modules in order, with the current one marked, and
/// the module before and after it.
#[derive(Serialize)]
pub(super) struct HandbookSide<'a> {
    pub title: String,
    pub title_lang: Option<&'a str>,
    pub href: String,
    pub items: Vec<SideItem<'a>>,
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
    pub(super) fn chips(&self, m: ModuleIdx, l: usize) -> Vec<Chip> {
        let module = &self.data.graph.modules[m];
        let chip = |facet: Facet, kind| Chip {
            lang: self.facet_lang(&facet, l),
            label: self.facet_label(&facet, l),
            kind,
        };
        let levels = module
            .levels
            .iter()
            .map(|x| chip(Facet::Level(*x), "level"));
        let subjects = module
            .subjects
            .iter()
            .map(|x| chip(Facet::Subject(x.clone()), "subject"));
        let needs = module.needs.iter().map(|x| chip(Facet::Need(*x), "need"));
        levels.chain(subjects).chain(needs).collect()
    }

    /// The handbook module `m` is read in, in language `l`: the first that holds it, in
    /// `book.toml`'s order (a module may be in several; the breadcrumb names one).
    pub(super) fn handbook_side(&self, m: ModuleIdx, l: usize) -> Option<HandbookSide<'_>> {
        let &(h, at) = self.placements[m].first()?;
        let labels = &self.look.labels[l];
        let id = &self.data.config.handbooks[h].id;
        let members = &self.handbooks[h];
        Some(HandbookSide {
            title: labels.handbook(id).to_string(),
            title_lang: labels.handbook_lang(id),
            href: self.path(&Page::Handbook(l, h)),
            items: members
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
        assert_eq!(reading_time("ett två  tre\nfyra"), 1);
        assert_eq!(reading_time(&"ord ".repeat(1450)), 7);
    }
}
