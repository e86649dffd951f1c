//! One document's links and images → [`DocLinks`]: what each resolves to, the problems found,
//! and what the resolution read ([`Mention`]s), so that an edit elsewhere re-resolves the
//! document only when it changes something the document mentions.

use super::{ModuleIdx, align};
use crate::diag::{Code, Diagnostic, did_you_mean, suggest};
use crate::model::{Body, LinkTarget, Module, Resolved, Translation};
use crate::source::{FileId, Span};
use rustc_hash::FxHashMap;
use std::collections::BTreeSet;
use std::sync::Arc;

/// What one document's links and images resolved to (aligned with its body's lists), its
/// heading ids as published, and what resolving it read. Derived data: recomputed when the
/// document or something it mentions changes, never stored in the document.
#[derive(Debug, Default, PartialEq)]
pub struct DocLinks {
    pub links: Vec<Option<Resolved>>,
    pub images: Vec<Option<Resolved>>,
    /// A translation's heading ids after alignment with its source's (`None`: the ids as the
    /// body has them).
    pub heading_ids: Option<Vec<String>>,
    /// Every target the resolution looked up, found or not (empty where the graph will not
    /// be linked again: see [`Resolver::mentions`]).
    pub mentions: BTreeSet<Mention>,
    /// The problems found resolving it (and W014 for a translation's outline).
    pub diags: Vec<Diagnostic>,
    /// A hash of `links`, `images` and `heading_ids`: what a page showing the document reads
    /// of its resolution.
    pub hash: u64,
}

impl DocLinks {
    /// The module ids this document links to.
    pub fn modules(&self) -> impl Iterator<Item = &str> {
        self.links.iter().filter_map(|r| match r {
            Some(Resolved::Module { id, .. }) => Some(id.as_str()),
            _ => None,
        })
    }

    /// The resolved targets of every link and image.
    pub fn targets(&self) -> impl Iterator<Item = &Resolved> {
        self.links.iter().chain(&self.images).flatten()
    }
}

/// Something a resolution read: when it changes, the documents that mention it are resolved
/// again.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mention {
    /// The module with this id: whether it exists, its headings, its translations' headings.
    Id(String),
    /// The module at `guidelines/{rel}`.
    Rel(String),
    /// A media file (its project path): whether it exists.
    Media(String),
    /// The media files of a folder (a broken media link suggests a sibling).
    MediaFolder(String),
    /// The set of all module ids (a broken `guide:` link suggests one).
    AnyId,
}

/// A document being resolved: a source module or a translation.
pub(super) struct DocRef<'a> {
    pub file: FileId,
    pub rel: &'a str,
    pub body: &'a Body,
    /// Set for translations: the language folder (for localized media) and its index.
    pub lang: Option<(&'a str, usize)>,
    /// The document's heading ids as published.
    pub ids: Vec<&'a str>,
}

/// The project-wide tables a resolution reads.
pub(super) struct Resolver<'a> {
    pub modules: &'a [Arc<Module>],
    pub by_id: &'a FxHashMap<String, ModuleIdx>,
    pub by_rel: &'a FxHashMap<&'a str, ModuleIdx>,
    pub translations: &'a [Arc<Translation>],
    pub translated: &'a [Vec<Option<usize>>],
    pub media: &'a BTreeSet<String>,
    /// Whether a translation (by index) publishes a heading id.
    pub translation_has_id: &'a (dyn Fn(usize, &str) -> bool + Sync),
    /// Whether to record what each resolution read: only a graph that will be linked again
    /// after edits (`serve`) needs it, and for a whole project at once it was a sixth of the
    /// linking.
    pub mentions: bool,
}

/// A resolution under way: its results so far.
struct Work {
    /// `None` when not recorded.
    mentions: Option<BTreeSet<Mention>>,
    diags: Vec<Diagnostic>,
}

impl Work {
    /// Records what `mention` makes, if mentions are recorded.
    fn mention(&mut self, mention: impl FnOnce() -> Mention) {
        if let Some(mentions) = &mut self.mentions {
            mentions.insert(mention());
        }
    }
}

/// A translation's published heading ids: its own, or its source's where the outlines match
/// (see `align`), with W014 when they do not.
pub(super) fn aligned(
    source: &Module,
    t: &Translation,
) -> (Option<Vec<String>>, Option<Diagnostic>) {
    match align::align(&source.body, &t.body) {
        Ok(ids) => (ids, None),
        Err(mismatch) => (None, Some(outline_differs(t, source, &mismatch))),
    }
}

impl Resolver<'_> {
    /// Checks and resolves every link and image of one document.
    pub fn resolve(
        &self,
        doc: &DocRef,
        heading_ids: Option<Vec<String>>,
        first: Vec<Diagnostic>,
    ) -> DocLinks {
        let mut work = Work {
            mentions: self.mentions.then(BTreeSet::new),
            diags: first,
        };
        let links = doc
            .body
            .links
            .iter()
            .map(|link| self.link(doc, &link.target, link.span.clone(), &mut work))
            .collect();
        let images = doc
            .body
            .images
            .iter()
            .map(|image| match LinkTarget::parse(&image.src) {
                LinkTarget::External(url) => Some(Resolved::External(url)),
                LinkTarget::Relative { path, anchor } => {
                    self.relative(doc, &path, anchor.as_deref(), image.span.clone(), &mut work)
                }
                // Reported by the body scan; never published.
                LinkTarget::Unsafe { .. } => None,
                LinkTarget::Guide { .. } | LinkTarget::Anchor(_) => {
                    work.diags.push(
                        Diagnostic::new(
                            Code::MissingFile,
                            format!("`{}` is not an image file", image.src),
                        )
                        .at(doc.file, image.span.clone())
                        .help(
                            "an image needs the path of an image file, e.g. `../media/chart.svg`",
                        ),
                    );
                    None
                }
            })
            .collect();
        let hash = {
            use std::hash::{Hash, Hasher};
            let mut hasher = rustc_hash::FxHasher::default();
            (&links, &images, &heading_ids).hash(&mut hasher);
            hasher.finish()
        };
        DocLinks {
            links,
            images,
            heading_ids,
            mentions: work.mentions.unwrap_or_default(),
            diags: work.diags,
            hash,
        }
    }

    fn link(
        &self,
        doc: &DocRef,
        target: &LinkTarget,
        span: Span,
        work: &mut Work,
    ) -> Option<Resolved> {
        match target {
            LinkTarget::Guide { id, anchor } => {
                work.mention(|| Mention::Id(id.clone()));
                match self.by_id.get(id) {
                    Some(&m) => Some(Resolved::Module {
                        id: id.clone(),
                        anchor: self.module_anchor(doc, m, anchor.as_deref(), span, work),
                    }),
                    None => {
                        work.mention(|| Mention::AnyId);
                        work.diags.push(
                            Diagnostic::new(
                                Code::BrokenGuideLink,
                                format!("link to unknown module `{id}`"),
                            )
                            .at(doc.file, span)
                            .help(unknown_id_help(id, self.by_id)),
                        );
                        None
                    }
                }
            }
            // An empty `#` points at the top of the page, and so does a missing heading (after
            // its error), so a translation published despite a broken anchor has a working link.
            LinkTarget::Anchor(anchor) if anchor.is_empty() => {
                Some(Resolved::Anchor(String::new()))
            }
            LinkTarget::Anchor(anchor) => Some(Resolved::Anchor(
                heading(doc.file, &doc.ids, anchor, "this document", span, work)
                    .unwrap_or_default(),
            )),
            LinkTarget::Relative { path, anchor } => {
                self.relative(doc, path, anchor.as_deref(), span, work)
            }
            LinkTarget::External(url) => Some(Resolved::External(url.clone())),
            // Reported by the body scan; the link is published without a target.
            LinkTarget::Unsafe { .. } => None,
        }
    }

    /// A relative link: another module's `.md` file, or a media file.
    fn relative(
        &self,
        doc: &DocRef,
        path: &str,
        anchor: Option<&str>,
        span: Span,
        work: &mut Work,
    ) -> Option<Resolved> {
        let Some(resolved) = super::resolve_path(doc.rel, &super::percent_decode(path)) else {
            work.diags.push(
                Diagnostic::new(
                    Code::MissingFile,
                    format!("link `{path}` points outside the project"),
                )
                .at(doc.file, span)
                .help("link to modules with `guide:ID` and keep media inside guidelines/"),
            );
            return None;
        };
        if !resolved.ends_with(".md") {
            let media = self.media_exists(doc, path, &resolved, span, work)?;
            return Some(Resolved::Media {
                path: media,
                anchor: anchor.map(str::to_string),
            });
        }
        work.mention(|| Mention::Rel(resolved.clone()));
        match self.by_rel.get(resolved.as_str()) {
            Some(&m) => {
                let id = self.modules[m].id.clone();
                work.mention(|| Mention::Id(id.clone()));
                Some(Resolved::Module {
                    id,
                    anchor: self.module_anchor(doc, m, anchor, span, work),
                })
            }
            None => {
                work.diags.push(
                    Diagnostic::new(Code::MissingFile, format!("link to missing module file `{path}`"))
                        .at(doc.file, span)
                        .help(format!("no module is at `guidelines/{resolved}`; prefer `guide:ID` links, which survive moves")),
                );
                None
            }
        }
    }

    /// A media file resolves in the translation's own folder first, then the source's. Returns
    /// the project path of the file found.
    fn media_exists(
        &self,
        doc: &DocRef,
        written: &str,
        resolved: &str,
        span: Span,
        work: &mut Work,
    ) -> Option<String> {
        let local = doc
            .lang
            .map(|(l, _)| format!("translations/{l}/{resolved}"));
        let source = format!("guidelines/{resolved}");
        for path in local.iter().chain([&source]) {
            work.mention(|| Mention::Media(path.clone()));
        }
        if let Some(local) = local.as_ref().filter(|p| self.media.contains(*p)) {
            return Some(local.clone());
        }
        if self.media.contains(&source) {
            return Some(source);
        }
        let searched = match &local {
            Some(local) => format!("looked for `{local}` and `{source}`"),
            None => format!("looked for `{source}`"),
        };
        // Suggest a file of the same folder with a similar name.
        let (folder, name) = source.rsplit_once('/').unwrap_or(("", &source));
        work.mention(|| Mention::MediaFolder(folder.to_string()));
        let siblings = self.media.iter().filter_map(|m| {
            m.rsplit_once('/')
                .filter(|(f, _)| *f == folder)
                .map(|(_, n)| n)
        });
        let near = suggest(name, siblings)
            .map(|n| format!("; did you mean `{folder}/{n}`?"))
            .unwrap_or_default();
        work.diags.push(
            Diagnostic::new(Code::MissingFile, format!("`{written}` does not exist"))
                .at(doc.file, span)
                .help(format!("{searched}{near}")),
        );
        None
    }

    /// The heading id a link to module `m` points at: `None` for the top of the page (no
    /// fragment, an empty one, or one that names no heading, reported).
    fn module_anchor(
        &self,
        doc: &DocRef,
        m: ModuleIdx,
        anchor: Option<&str>,
        span: Span,
        work: &mut Work,
    ) -> Option<String> {
        let anchor = anchor.filter(|a| !a.is_empty())?;
        let target = &self.modules[m];
        let what = format!("module `{}`", target.id);
        let ids: Vec<&str> = target.body.headings.iter().map(|h| h.id.as_str()).collect();
        let id = heading(doc.file, &ids, anchor, &what, span.clone(), work)?;
        // In a translation, the anchor should also exist in the target's translation.
        if let Some((_, l)) = doc.lang
            && let Some(t) = self.translated[m][l]
            && !(self.translation_has_id)(t, &id)
        {
            let t = &self.translations[t];
            work.diags.push(
                Diagnostic::new(
                    Code::AnchorMissingInTranslation,
                    format!(
                        "heading `#{id}` of `{}` is missing in its {} translation",
                        target.id, t.lang
                    ),
                )
                .at(doc.file, span)
                .also(t.file, 0..0, "this translation has no such heading id")
                .help(format!(
                    "keep the source's heading ids in translations: `{{#{id}}}`"
                )),
            );
        }
        Some(id)
    }
}

/// The id of the heading among `ids` that `anchor` names. A fragment that differs from an id
/// only in letter case finds it, as on GitHub, with a warning (W012); one that finds no
/// heading is an error (E012) and `None`.
fn heading(
    file: FileId,
    ids: &[&str],
    anchor: &str,
    what: &str,
    span: Span,
    work: &mut Work,
) -> Option<String> {
    match heading_id(ids, anchor) {
        Some(HeadingMatch::Exact) => Some(anchor.to_string()),
        Some(HeadingMatch::IgnoringCase(id)) => {
            work.diags.push(
                Diagnostic::new(
                    Code::AnchorCase,
                    format!("{what} has no heading `#{anchor}`, only `#{id}`"),
                )
                .at(file, span)
                .help(format!(
                    "heading ids are case-sensitive in browsers; write `#{id}` (the link is published pointing at it)"
                )),
            );
            Some(id.to_string())
        }
        None => {
            work.diags
                .push(missing_anchor(file, span, anchor, what, ids));
            None
        }
    }
}

/// How a `#fragment` matched a heading id.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum HeadingMatch<'a> {
    Exact,
    /// Equal only when letter case is ignored: the id as the heading has it.
    IgnoringCase(&'a str),
}

/// Finds the heading `anchor` names among `ids`: the exact id, else the first id equal to it
/// ignoring letter case.
pub(super) fn heading_id<'a>(ids: &[&'a str], anchor: &str) -> Option<HeadingMatch<'a>> {
    if ids.contains(&anchor) {
        return Some(HeadingMatch::Exact);
    }
    let folded = anchor.to_lowercase();
    ids.iter()
        .find(|id| id.to_lowercase() == folded)
        .map(|id| HeadingMatch::IgnoringCase(id))
}

/// W014: a translation's outline differs from its source's, at `mismatch`.
fn outline_differs(t: &Translation, source: &Module, mismatch: &align::Mismatch) -> Diagnostic {
    let (th, sh) = (&t.body.headings, &source.body.headings);
    let described = |h: &crate::model::Heading| format!("`{}` (level {})", h.text, h.level);
    let (message, span) = match (mismatch.translation, mismatch.source) {
        (Some(i), Some(j)) => (
            format!(
                "heading {} does not match the source's heading {}",
                described(&th[i]),
                described(&sh[j])
            ),
            th[i].span.clone(),
        ),
        (Some(i), None) => (
            format!(
                "heading {} has no counterpart: the source has {} headings, this translation {}",
                described(&th[i]),
                sh.len(),
                th.len()
            ),
            th[i].span.clone(),
        ),
        (None, j) => (
            format!(
                "the source's heading {} has no counterpart: the source has {} headings, this translation {}",
                j.and_then(|j| sh.get(j))
                    .map_or_else(String::new, described),
                sh.len(),
                th.len()
            ),
            th.last()
                .map_or(t.body.span.start..t.body.span.start, |h| h.span.clone()),
        ),
    };
    let mut d = Diagnostic::new(
        Code::OutlineDiffers,
        format!("{message}, so heading ids cannot be aligned with the source's"),
    )
    .at(t.file, span);
    if let Some(j) = mismatch.source.and_then(|j| sh.get(j)) {
        d = d.also(
            source.file,
            j.span.clone(),
            "the source heading it should match",
        );
    }
    d.help(
        "give the translation the source's headings at the same levels in the same order, \
         or write the source's ids on its headings as `{#id}`",
    )
}

/// "did you mean" for an unknown module id, or what ids are.
pub(super) fn unknown_id_help(id: &str, by_id: &FxHashMap<String, ModuleIdx>) -> String {
    did_you_mean(id, by_id.keys().map(String::as_str))
        .unwrap_or_else(|| "module ids are the `id` fields of the modules in guidelines/".into())
}

fn missing_anchor(file: FileId, span: Span, anchor: &str, what: &str, ids: &[&str]) -> Diagnostic {
    let help = did_you_mean(anchor, ids.iter().copied()).unwrap_or_else(|| {
        if ids.is_empty() {
            format!("{what} has no headings")
        } else {
            format!("its heading ids are: {}", ids.join(", "))
        }
    });
    Diagnostic::new(
        Code::BrokenAnchor,
        format!("{what} has no heading `#{anchor}`"),
    )
    .at(file, span)
    .help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_match_heading_ids_exactly_else_ignoring_case() {
        let ids = ["setup", "Setup-2", "ÅR"];
        use HeadingMatch::*;
        let cases = [
            ("setup", Some(Exact)),
            ("Setup", Some(IgnoringCase("setup"))),
            ("SETUP-2", Some(IgnoringCase("Setup-2"))),
            ("år", Some(IgnoringCase("ÅR"))),
            ("setup-3", None),
        ];
        for (anchor, want) in cases {
            assert_eq!(heading_id(&ids, anchor), want, "{anchor}");
        }
    }
}
