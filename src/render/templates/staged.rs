//! Page templates rendered in stages instead of through handlebars' partial machinery.
//!
//! A theme's page template wraps itself in the layout (`{{#> layout}}…{{/layout}}`) and lists
//! cards with `{{> module-item}}`. handlebars (6.4) renders a partial by deep-cloning the current
//! context into the partial's block, and from then on clones every value a path looks up
//! (`{{#if body.side}}` clones the whole handbook list, `{{{body.content}}}` the whole text): a
//! module page spent ~1.4 ms of CPU that way, most of it in malloc and `BTreeMap::clone`
//! (`perf` at 5,000 modules × 4 languages: `clone_subtree` 20 %, `EachHelper` 24 %).
//!
//! The same output comes from rendering the layout's part before `{{> @partial-block}}`, the
//! page's body, and the layout's part after it, each straight from the page's one context; and
//! from writing an argument-less `{{> partial}}` out as the partial's text. This module derives
//! those forms from the theme's own templates, so that overrides keep working and get the same
//! speed. Whatever doesn't have the expected shape (the partial block inside a `{{#if}}`, a
//! partial with arguments, a template that doesn't use the layout) keeps the plain handlebars
//! path: this is a faster way to the same bytes, never a second theme language, and
//! `pages::tests::staged_pages_are_the_plain_pages` holds it to that.

use super::PageData;
use super::direct::{self, Program, Strings};
use handlebars::{Context, Handlebars, RenderError, Template};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// The layout's parts around `{{> @partial-block}}`, registered under these names.
const HEAD: &str = "layout:head";
const TAIL: &str = "layout:tail";
/// The call that places a page's body in the layout.
const PARTIAL_BLOCK: &str = "{{> @partial-block}}";
const OPEN: &str = "{{#> layout}}";
const CLOSE: &str = "{{/layout}}";

/// The staged forms of a theme's page templates, registered beside the plain ones.
#[derive(Default)]
pub struct Staged {
    /// Page templates whose body is registered as `page:<name>`, rendered inside the layout's
    /// head and tail, with the text that follows their `{{/layout}}`.
    pages: HashMap<String, String>,
    /// Page templates with their partials written out, registered as `page:<name>`, that
    /// render whole (no layout around them).
    whole: HashSet<String>,
    /// The staged templates the direct walk can run, by registered name (see [`direct`]).
    programs: HashMap<String, Program>,
}

impl Staged {
    /// Registers the staged forms of `pages` (name → template text) that have them; `partials`
    /// are the theme's partials (name → text), `layout` among them.
    pub fn register(
        hb: &mut Handlebars<'static>,
        pages: &[(&str, &str)],
        partials: &HashMap<&str, &str>,
    ) -> Staged {
        let layout = partials
            .get("layout")
            .and_then(|layout| split_layout(layout));
        // Every staged form this theme has, compiled side by side and in pieces: handlebars'
        // parser takes time in the square of a template's length (pest's `line_col` per
        // element, see `pieces`), and on the sample this was a sixth of the build's wall time.
        let mut sources: Vec<(String, String)> = Vec::new();
        if let Some((head, tail)) = layout {
            sources.push((HEAD.into(), inline(head, partials)));
            sources.push((TAIL.into(), inline(tail, partials)));
        }
        // Each page with a staged form, under its registered name: `Some(after)` for a body in
        // the layout (with the text after `{{/layout}}`), `None` for a whole page.
        let mut forms: Vec<(&str, String, Option<&str>)> = Vec::new();
        for (name, text) in pages {
            let key = format!("page:{name}");
            match body_in_layout(text) {
                Some((body, after)) if layout.is_some() => {
                    sources.push((key.clone(), inline(body, partials)));
                    forms.push((name, key, Some(after)));
                }
                None if !text.contains(OPEN) => {
                    let inlined = inline(text, partials);
                    if inlined != *text {
                        sources.push((key.clone(), inlined));
                        forms.push((name, key, None));
                    }
                }
                _ => {}
            }
        }
        let mut compiled: HashMap<String, Template> = sources
            .into_par_iter()
            .filter_map(|(name, text)| {
                let mut template = super::pieces::compile(&text).ok()?;
                template.name = Some(name.clone());
                Some((name, template))
            })
            .collect();
        let mut staged = Staged::default();
        let mut take = |name: &str| compiled.remove(name);
        let layout_split = layout.is_some() && {
            let (head, tail) = (take(HEAD), take(TAIL));
            staged.register_one(hb, HEAD, head) && staged.register_one(hb, TAIL, tail)
        };
        for (name, key, after) in forms {
            match after {
                Some(after) if layout_split && staged.register_one(hb, &key, take(&key)) => {
                    staged.pages.insert(name.to_string(), after.to_string());
                }
                None if staged.register_one(hb, &key, take(&key)) => {
                    staged.whole.insert(name.to_string());
                }
                _ => {}
            }
        }
        staged
    }

    /// Registers a compiled staged form (`None`: it did not compile, and the page keeps the
    /// plain path).
    fn register_one(
        &mut self,
        hb: &mut Handlebars<'static>,
        name: &str,
        template: Option<Template>,
    ) -> bool {
        let Some(template) = template else {
            return false;
        };
        hb.register_template(name, template);
        if let Some(program) = hb.get_template(name).and_then(Program::compile) {
            self.programs.insert(name.to_string(), program);
        }
        true
    }

    /// The registered templates that make page template `name`, in order, and the text that
    /// follows them; `None` when it has no staged form.
    fn stages(&self, name: &str) -> Option<(Vec<String>, &str)> {
        let page = format!("page:{name}");
        match self.pages.get(name) {
            Some(after) => Some((vec![HEAD.into(), page, TAIL.into()], after)),
            None if self.whole.contains(name) => Some((vec![page], "")),
            None => None,
        }
    }

    /// Renders page template `name` by the direct walk, if every stage of it has a direct
    /// form and the walk doesn't give up on this page's data.
    pub fn render_direct(
        &self,
        name: &str,
        data: &dyn PageData,
        strings: &Strings,
    ) -> Option<String> {
        let (stages, after) = self.stages(name)?;
        let programs = stages
            .iter()
            .map(|stage| self.programs.get(stage))
            .collect::<Option<Vec<_>>>()?;
        let tree = data.tree().ok()?;
        let mut html = direct::render(&programs, &tree, strings).ok()?;
        html.push_str(after);
        Some(html)
    }

    /// Whether page template `name` has a staged form (and needs no plain one).
    pub fn covers(&self, name: &str) -> bool {
        self.pages.contains_key(name) || self.whole.contains(name)
    }

    /// Whether page template `name` renders inside the layout's staged parts.
    #[cfg(test)]
    pub fn in_layout(&self, name: &str) -> bool {
        self.pages.contains_key(name)
    }

    /// Renders page template `name` with `ctx`: staged when it can be, else plainly.
    pub fn render(
        &self,
        hb: &Handlebars<'static>,
        name: &str,
        ctx: &Context,
    ) -> Result<String, RenderError> {
        let Some((stages, after)) = self.stages(name) else {
            return hb.render_with_context(name, ctx);
        };
        let mut out = String::new();
        for stage in &stages {
            out.push_str(&hb.render_with_context(stage, ctx)?);
        }
        out.push_str(after);
        Ok(out)
    }
}

/// The layout's text before and after its one `{{> @partial-block}}` line. handlebars drops a
/// standalone partial's line break, so the line's own newline goes with it.
fn split_layout(layout: &str) -> Option<(&str, &str)> {
    if layout.matches(PARTIAL_BLOCK).count() != 1 {
        return None;
    }
    let (head, tail) = layout.split_once(PARTIAL_BLOCK)?;
    // Indented alone on its line, handlebars indents every line of the page: left to it.
    let line = &head[head.rfind('\n').map_or(0, |i| i + 1)..];
    if !line.is_empty() && line.trim().is_empty() {
        return None;
    }
    let standalone = head.is_empty() || head.ends_with('\n');
    let tail = match (standalone, tail.strip_prefix('\n')) {
        (true, Some(rest)) => rest,
        _ => tail,
    };
    Some((head, tail))
}

/// The body of a page template that is one `{{#> layout}}…{{/layout}}` block, and the
/// whitespace after it, as handlebars renders them: the standalone opening line doesn't count,
/// the line break after the closing tag does.
fn body_in_layout(text: &str) -> Option<(&str, &str)> {
    let (inner, after) = text.strip_prefix(OPEN)?.rsplit_once(CLOSE)?;
    // Inline partials a page defines for its layout (`{{#*inline "nav"}}`) exist only inside
    // handlebars' partial block: such a page is left to it.
    if inner.contains(OPEN)
        || inner.contains(CLOSE)
        || inner.contains("{{#*inline")
        || !after.trim().is_empty()
    {
        return None;
    }
    // A closing tag alone on its line takes the line's break with it.
    let after = match after.strip_prefix('\n') {
        Some(rest) if inner.is_empty() || inner.ends_with('\n') => rest,
        _ => after,
    };
    Some((inner.strip_prefix('\n').unwrap_or(inner), after))
}

/// `text` with each argument-less `{{> name}}` of a partial (other than the layout, and one
/// that includes no partial itself) written out as the partial's text. A call that stands alone
/// on its line loses the line break, as handlebars renders it; one indented on its line is left
/// alone (handlebars indents every line of such a partial).
fn inline(text: &str, partials: &HashMap<&str, &str>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("{{> ") {
        let (before, call) = rest.split_at(at);
        out.push_str(before);
        let end = call.find("}}").map(|e| e + 2).unwrap_or(call.len());
        let name = call[4..end.saturating_sub(2)].trim();
        let line_start = out.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let indented = !out[line_start..].is_empty() && out[line_start..].trim().is_empty();
        match partials.get(name) {
            Some(partial) if name != "layout" && !partial.contains("{{>") && !indented => {
                let standalone = out.len() == line_start;
                out.push_str(partial);
                let after = &call[end..];
                rest = match after.strip_prefix('\n') {
                    Some(next_line) if standalone => next_line,
                    _ => after,
                };
            }
            _ => {
                out.push_str(&call[..end]);
                rest = &call[end..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in theme's staged forms, compiled in pieces, are those compiled whole; the
    /// long ones are cut (the point of compiling in pieces).
    #[test]
    fn staged_forms_compile_in_pieces_as_whole() {
        let partials: HashMap<&str, &str> = super::super::BUILTIN
            .iter()
            .filter(|(name, _)| super::super::PARTIALS.contains(name))
            .copied()
            .collect();
        let layout = split_layout(partials["layout"]).expect("the layout splits");
        let mut sources = vec![inline(layout.0, &partials), inline(layout.1, &partials)];
        for (name, text) in super::super::BUILTIN {
            if let Some((body, _)) = body_in_layout(text).filter(|_| !partials.contains_key(name)) {
                sources.push(inline(body, &partials));
            }
        }
        let mut cut = 0;
        for source in &sources {
            let pieces = super::super::pieces::same_as_whole(source);
            if source.len() > 4000 {
                assert!(pieces >= 4, "{pieces} pieces of {} bytes", source.len());
            }
            cut += usize::from(pieces > 1);
        }
        assert!(cut >= 3, "{cut} of {} staged forms were cut", sources.len());
    }

    #[test]
    fn a_layout_splits_at_its_partial_block_line() {
        assert_eq!(
            split_layout("<main>\n{{> @partial-block}}\n</main>\n"),
            Some(("<main>\n", "</main>\n"))
        );
        assert_eq!(
            split_layout("<main>{{> @partial-block}}</main>"),
            Some(("<main>", "</main>"))
        );
        assert_eq!(
            split_layout("{{> @partial-block}}{{> @partial-block}}"),
            None
        );
        assert_eq!(split_layout("<main></main>"), None);
        assert_eq!(
            split_layout("<main>\n  {{> @partial-block}}\n</main>"),
            None
        );
    }

    #[test]
    fn only_a_page_that_is_one_layout_block_has_a_body() {
        assert_eq!(
            body_in_layout("{{#> layout}}\n<p>x</p>\n{{/layout}}\n"),
            Some(("<p>x</p>\n", ""))
        );
        assert_eq!(
            body_in_layout("{{#> layout}}\n<p>x</p>{{/layout}}\n"),
            Some(("<p>x</p>", "\n"))
        );
        assert_eq!(body_in_layout("<p>{{#> layout}}x{{/layout}}</p>"), None);
        assert_eq!(body_in_layout("<p>x</p>"), None);
        let defines = "{{#> layout}}{{#*inline \"nav\"}}n{{/inline}}<p>x</p>{{/layout}}";
        assert_eq!(body_in_layout(defines), None);
    }

    #[test]
    fn argument_less_partials_are_written_out() {
        let partials = HashMap::from([("item", "<li>{{title}}</li>"), ("nested", "{{> item}}")]);
        assert_eq!(
            inline("<ul>{{#each xs}}{{> item}}{{/each}}</ul>", &partials),
            "<ul>{{#each xs}}<li>{{title}}</li>{{/each}}</ul>"
        );
        assert_eq!(
            inline("a\n{{> item}}\nb", &partials),
            "a\n<li>{{title}}</li>b"
        );
        // With arguments, indented, nested or unknown: left to handlebars.
        for kept in [
            "{{> item x}}",
            "a\n  {{> item}}\n",
            "{{> nested}}",
            "{{> other}}",
        ] {
            assert_eq!(inline(kept, &partials), kept);
        }
    }
}
