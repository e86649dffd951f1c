//! The handlebars registry: the built-in theme (compiled into the binary) with a project's
//! overrides on top, each template compiled once and rendered in strict mode.
//!
//! minify-html is slow per byte (~15–18 MB/s per core), so it is spent once per build on the
//! stylesheet, not on every page: the templates are written compact (no indentation, no
//! comments), which keeps pages small by construction. minify-html cannot minify the templates
//! themselves safely: with `preserve_brace_template_syntax` it still unquotes attributes and
//! mangles `{{#if}}` blocks inside tags. `handbok build --minify` minifies every page instead,
//! for comparison.

use crate::i18n::Labels;
use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason,
};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

mod data;
mod direct;
mod pieces;
mod staged;
use staged::Staged;

/// A page's context, serializable both ways: as the light tree the direct walk reads
/// ([`direct`]) and as handlebars' JSON context (the fallback), made only when needed.
pub trait PageData {
    fn tree(&self) -> Result<data::Value, data::Error>;
    fn context(&self) -> Result<Context, handlebars::RenderError>;
}

impl<T: serde::Serialize> PageData for T {
    fn tree(&self) -> Result<data::Value, data::Error> {
        data::to_value(self)
    }
    fn context(&self) -> Result<Context, handlebars::RenderError> {
        Context::wraps(self)
    }
}

/// The built-in theme: `themes/default/`, embedded so that a project needs no theme folder.
pub const BUILTIN: &[(&str, &str)] = &[
    ("layout", include_str!("../../themes/default/layout.hbs")),
    (
        "module-item",
        include_str!("../../themes/default/module-item.hbs"),
    ),
    ("index", include_str!("../../themes/default/index.hbs")),
    ("home", include_str!("../../themes/default/home.hbs")),
    ("module", include_str!("../../themes/default/module.hbs")),
    (
        "handbook",
        include_str!("../../themes/default/handbook.hbs"),
    ),
    ("print", include_str!("../../themes/default/print.hbs")),
    ("facet", include_str!("../../themes/default/facet.hbs")),
    ("modules", include_str!("../../themes/default/modules.hbs")),
    ("404", include_str!("../../themes/default/404.hbs")),
    ("filters", include_str!("../../themes/default/filters.hbs")),
    ("search", include_str!("../../themes/default/search.hbs")),
    ("status", include_str!("../../themes/default/status.hbs")),
];

/// Templates that other templates include (`{{> layout}}`), registered as partials.
const PARTIALS: &[&str] = &["layout", "module-item", "filters"];

/// The built-in stylesheet and script.
pub const STYLE: &str = include_str!("../../themes/default/style.css");
pub const SCRIPT: &str = include_str!("../../themes/default/handbok.js");
/// The search engine and page, served in the same file after `handbok.js` (one request, one
/// hash); a file of its own in the theme so that it can be run alone (`tests/search_eval.rs`).
pub const SEARCH_SCRIPT: &str = include_str!("../../themes/default/search.js");

/// The theme's templates, compiled: plain, and staged where they can be ([`staged`]).
pub struct Templates {
    registry: Handlebars<'static>,
    staged: Staged,
    /// Every language's interface strings, for `{{t}}` in the direct walk.
    strings: Arc<HashMap<String, Labels>>,
}

impl Templates {
    /// Renders page template `name` with the page's data: directly where the walk can, else
    /// staged or plainly through handlebars.
    pub fn render(
        &self,
        name: &str,
        data: &dyn PageData,
    ) -> Result<String, handlebars::RenderError> {
        if let Some(html) = self.staged.render_direct(name, data, &self.strings) {
            return Ok(html);
        }
        self.staged.render(&self.registry, name, &data.context()?)
    }

    /// Renders page template `name` through handlebars, staged where it can be.
    #[cfg(test)]
    pub fn render_staged(
        &self,
        name: &str,
        data: &dyn PageData,
    ) -> Result<String, handlebars::RenderError> {
        self.staged.render(&self.registry, name, &data.context()?)
    }

    /// Renders page template `name` by the direct walk alone: `None` where it gives up.
    #[cfg(test)]
    pub fn render_direct(&self, name: &str, data: &dyn PageData) -> Option<String> {
        self.staged.render_direct(name, data, &self.strings)
    }

    /// Renders page template `name` plainly, through handlebars' own partials: what the staged
    /// and direct forms must equal.
    #[cfg(test)]
    pub fn render_plain(
        &self,
        name: &str,
        data: &dyn PageData,
    ) -> Result<String, handlebars::RenderError> {
        self.registry.render_with_context(name, &data.context()?)
    }
}

/// The theme's compiled templates and its assets.
pub struct Theme {
    pub templates: Templates,
    pub css: String,
    pub js: String,
    /// The text of the templates' inline `<script>`s, for the Content-Security-Policy.
    pub inline_scripts: Vec<String>,
}

/// A template or asset that failed to load or compile.
#[derive(Debug)]
pub struct ThemeError {
    pub file: String,
    pub message: String,
}

/// Loads the theme: each built-in template, or the project's file of the same name
/// (`<theme>/<name>.hbs`) when there is one; likewise `style.css`.
pub fn registry(
    theme: Option<&Path>,
    labels: Arc<HashMap<String, Labels>>,
) -> Result<Theme, ThemeError> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(handlebars::html_escape);
    let mut inline_scripts = Vec::new();
    let mut texts = Vec::with_capacity(BUILTIN.len());
    for (name, builtin) in BUILTIN {
        let (file, text) = themed(theme, &format!("{name}.hbs"), builtin)?;
        inline_scripts.extend(super::csp::inline_scripts(&text));
        texts.push((*name, file, text));
    }
    let (partials, pages): (Vec<_>, Vec<_>) = texts
        .iter()
        .map(|(name, _, text)| (*name, text.as_str()))
        .partition(|(name, _)| PARTIALS.contains(name));
    let staged = Staged::register(&mut hb, &pages, &partials.into_iter().collect());
    // The plain forms: of each page staging didn't take, and the partials when some page
    // needs them. Compiling them is also what reports a theme's syntax errors, by file.
    // handlebars' parser takes time in the square of a template's length (pest's `line_col`
    // per element), so templates that aren't needed aren't compiled: 8 % of the sample's build.
    // Unit tests compile every one: they are what staging must equal.
    let all_staged = pages.iter().all(|(name, _)| staged.covers(name));
    for (name, file, text) in &texts {
        let partial = PARTIALS.contains(name);
        let needed = cfg!(test)
            || if partial {
                !all_staged
            } else {
                !staged.covers(name)
            };
        if !needed {
            continue;
        }
        let registered = if partial {
            hb.register_partial(name, text)
        } else {
            hb.register_template_string(name, text)
        };
        registered.map_err(|e| ThemeError {
            file: file.clone(),
            message: e.to_string(),
        })?;
    }
    hb.register_helper(
        "t",
        Box::new(Translate {
            labels: labels.clone(),
            mark: false,
        }),
    );
    hb.register_helper(
        "tlang",
        Box::new(Translate {
            labels: labels.clone(),
            mark: true,
        }),
    );
    let (_, css) = themed(theme, "style.css", STYLE)?;
    let (_, js) = themed(theme, "handbok.js", SCRIPT)?;
    let (_, search_js) = themed(theme, "search.js", SEARCH_SCRIPT)?;
    let js = format!("{js}\n{search_js}");
    Ok(Theme {
        templates: Templates {
            registry: hb,
            staged,
            strings: labels,
        },
        css: minify_css(&css),
        js,
        inline_scripts,
    })
}

fn themed(theme: Option<&Path>, name: &str, builtin: &str) -> Result<(String, String), ThemeError> {
    if let Some(dir) = theme {
        let path = dir.join(name);
        if path.is_file() {
            let text = std::fs::read_to_string(&path).map_err(|e| ThemeError {
                file: path.display().to_string(),
                message: crate::load::err_text(&e),
            })?;
            return Ok((path.display().to_string(), text));
        }
    }
    Ok((format!("(built-in theme)/{name}"), builtin.to_string()))
}

/// Minifies a whole rendered page (`--minify`), keeping it valid HTML.
pub fn minify_page(html: &[u8]) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.minify_css = true;
    minify_html::minify(html, &cfg)
}

/// Minifies CSS by way of minify-html's `<style>` handling.
pub fn minify_css(css: &str) -> String {
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    let wrapped = format!("<style>{css}</style>");
    let out = String::from_utf8(minify_html::minify(wrapped.as_bytes(), &cfg)).unwrap_or_default();
    out.strip_prefix("<style>")
        .and_then(|s| s.strip_suffix("</style>"))
        .map(str::to_string)
        .unwrap_or_else(|| css.to_string())
}

/// `{{t "key"}}`: the interface string `key` in the page's language (`@root.lang`), with
/// `{name}` placeholders filled from hash arguments: `{{t "modules-count" count=3}}`. Plain
/// text, so it may stand in an attribute value.
///
/// `{{tlang "key"}}` ("t with lang") is the same as element content: a string the language lacks, shown in
/// English, comes as `<span lang="en">…</span>` (see [`marked`]). Themes use it wherever
/// markup may stand.
struct Translate {
    labels: Arc<HashMap<String, Labels>>,
    mark: bool,
}

/// Interface string `key` as HTML element content: escaped, and wrapped in `<span lang>` when
/// the language lacks it and shows the English text, so screen readers pronounce it as English.
/// The one place untranslated interface text is marked (templates by `{{tlang}}`, page code
/// directly).
pub fn marked(labels: &Labels, key: &str, args: &[(&str, &str)]) -> String {
    let text = handlebars::html_escape(&labels.format(key, args));
    match labels.lang_of(key) {
        Some(lang) => format!("<span lang=\"{lang}\">{text}</span>"),
        None => text,
    }
}

/// Like [`marked`], with arguments that are HTML already (a `<time>` element): the string and
/// the text arguments are escaped, the HTML arguments are not.
pub fn marked_html(
    labels: &Labels,
    key: &str,
    args: &[(&str, &str)],
    html: &[(&str, &str)],
) -> String {
    // NUL never occurs in checked text (control characters are rejected), so it marks the
    // places of the HTML arguments through escaping unchanged.
    let holes: Vec<(&str, String)> = html.iter().map(|(n, _)| (*n, format!("\0{n}\0"))).collect();
    let mut all: Vec<(&str, &str)> = args.to_vec();
    all.extend(holes.iter().map(|(n, hole)| (*n, hole.as_str())));
    let mut out = marked(labels, key, &all);
    for ((_, hole), (_, value)) in holes.iter().zip(html) {
        out = out.replace(hole.as_str(), value);
    }
    out
}

/// What `{{t "key" name=value}}` (or `{{tlang …}}`, `mark`) writes on a page in `lang`.
fn translate(
    strings: &HashMap<String, Labels>,
    lang: &str,
    key: &str,
    args: &[(&str, &str)],
    mark: bool,
) -> Result<String, String> {
    let labels = strings
        .get(lang)
        .ok_or_else(|| format!("no labels for language `{lang}`"))?;
    if !labels.text.strings.contains_key(key) {
        return Err(format!("unknown interface string `{key}`"));
    }
    Ok(if mark {
        marked(labels, key, args)
    } else {
        handlebars::html_escape(&labels.format(key, args))
    })
}

impl handlebars::HelperDef for Translate {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let key = h
            .param(0)
            .and_then(|p| p.value().as_str())
            .ok_or(RenderErrorReason::ParamNotFoundForIndex("t", 0))?;
        let lang = ctx
            .data()
            .get("lang")
            .and_then(|l| l.as_str())
            .unwrap_or("");
        let args: Vec<(String, String)> = h
            .hash()
            .iter()
            .map(|(k, v)| {
                let value = match v.value() {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.to_string(), value)
            })
            .collect();
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let text = translate(&self.labels, lang, key, &args, self.mark)
            .map_err(RenderErrorReason::Other)?;
        out.write(&text)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_page_is_staged() {
        let theme = registry(None, Arc::new(HashMap::new())).expect("the built-in theme");
        let pages: Vec<&str> = BUILTIN
            .iter()
            .map(|(name, _)| *name)
            .filter(|name| !PARTIALS.contains(name))
            .collect();
        for page in pages {
            assert!(
                theme.templates.staged.in_layout(page),
                "{page} is not staged"
            );
        }
    }
}
