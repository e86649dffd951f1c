//! The theme's templates run directly on a page's [`Value`] tree: handlebars' own parse of each
//! template, walked by a small interpreter for the part of the language themes use (text,
//! `{{path}}`, `{{{path}}}`, `{{#if}}`/`{{#unless}}`/`{{else}}`, `{{#each}}` over lists with
//! `@first`/`@last`/`@index`, `@root`, `this`, and `{{t}}`/`{{tlang}}`).
//!
//! handlebars (6.4) spent most of a module page's time on its own machinery: every path lookup
//! allocates its path and clones its value, every `{{#each}}` item sets up a block with owned
//! local variables (`perf` at 5,000 modules × 4 languages: `navigate`, `get_data`,
//! `render_helper` and the allocator, 40 % of the whole build; the page's JSON tree another
//! 12 %). This walk borrows every value from the tree.
//!
//! It is the same language, not a second one: the tree is handlebars' parse (standalone lines
//! and whitespace control already applied), and whatever this walk does not reproduce byte for
//! byte (partials, other helpers, block parameters, a path into a list, a missing value that
//! strict mode would report) makes it give the page back to handlebars, which renders it or
//! reports the error. `pages::tests::direct_pages_are_the_plain_pages` holds every sample page
//! to handlebars' bytes.

use super::data::Value;
use crate::i18n::Labels;
use handlebars::template::{HelperTemplate, Parameter, Template, TemplateElement};
use handlebars::{Path, PathSeg};
use std::collections::HashMap;

/// A template this walk can run.
#[derive(Debug)]
pub struct Program(Vec<Node>);

#[derive(Debug)]
enum Node {
    Text(String),
    /// `{{path}}` (escaped) or `{{{path}}}`.
    Value {
        path: Lookup,
        escape: bool,
    },
    /// `{{t "key" name=path}}`, or `{{tlang …}}` (`mark`).
    Translate {
        mark: bool,
        key: String,
        args: Vec<(String, Lookup)>,
    },
    /// `{{#if path}}` (`positive`) or `{{#unless path}}`, with its `{{else}}`.
    If {
        path: Lookup,
        positive: bool,
        then: Vec<Node>,
        otherwise: Vec<Node>,
    },
    /// `{{#each path}}`, with its `{{else}}` if it has one.
    Each {
        path: Lookup,
        body: Vec<Node>,
        otherwise: Option<Vec<Node>>,
    },
}

/// Where a path starts, and the fields it then follows.
#[derive(Debug)]
enum Lookup {
    /// From the current item (the page at the top, an item inside `{{#each}}`).
    Here(Vec<String>),
    /// `@root.…`
    Root(Vec<String>),
    /// `@first`, `@last` or `@index` of the innermost `{{#each}}`.
    Local(Local),
}

#[derive(Debug, Clone, Copy)]
enum Local {
    First,
    Last,
    Index,
}

/// handlebars' own helpers: a name-only `{{len}}` calls the helper, not the field.
const HELPERS: &[&str] = &[
    "if", "unless", "each", "with", "lookup", "raw", "log", "eq", "ne", "gt", "gte", "lt", "lte",
    "and", "or", "not", "len", "t", "tlang",
];

impl Program {
    /// The template as a program, or `None` if it uses what this walk leaves to handlebars.
    pub fn compile(template: &Template) -> Option<Program> {
        nodes(template).map(Program)
    }
}

fn nodes(template: &Template) -> Option<Vec<Node>> {
    template.elements.iter().filter_map(node).collect()
}

/// One element as a node: `None` to leave out (a comment), `Some(None)` if unsupported.
fn node(element: &TemplateElement) -> Option<Option<Node>> {
    Some(match element {
        TemplateElement::RawString(text) => Some(Node::Text(text.clone())),
        TemplateElement::Comment(_) => return None,
        TemplateElement::Expression(h) => expression(h, true),
        TemplateElement::HtmlExpression(h) => expression(h, false),
        TemplateElement::HelperBlock(h) => block(h),
        _ => None,
    })
}

fn expression(h: &HelperTemplate, escape: bool) -> Option<Node> {
    if h.block || h.block_param.is_some() {
        return None;
    }
    match &h.name {
        Parameter::Path(path) if h.params.is_empty() && h.hash.is_empty() => {
            let path = lookup(path)?;
            // A single name that is also a helper's calls the helper.
            if let Lookup::Here(segs) = &path
                && segs.len() == 1
                && HELPERS.contains(&segs[0].as_str())
            {
                return None;
            }
            Some(Node::Value { path, escape })
        }
        Parameter::Name(name) if (name == "t" || name == "tlang") && escape => {
            let [Parameter::Literal(serde_json::Value::String(key))] = h.params.as_slice() else {
                return None;
            };
            let mut args = h
                .hash
                .iter()
                .map(|(name, value)| match value {
                    Parameter::Path(path) => Some((name.clone(), lookup(path)?)),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?;
            args.sort_by(|a, b| a.0.cmp(&b.0));
            Some(Node::Translate {
                mark: name == "tlang",
                key: key.clone(),
                args,
            })
        }
        _ => None,
    }
}

fn block(h: &HelperTemplate) -> Option<Node> {
    let Parameter::Name(name) = &h.name else {
        return None;
    };
    let [Parameter::Path(path)] = h.params.as_slice() else {
        return None;
    };
    if !h.hash.is_empty() || h.block_param.is_some() {
        return None;
    }
    let path = lookup(path)?;
    let body = match &h.template {
        Some(t) => nodes(t)?,
        None => Vec::new(),
    };
    let otherwise = match &h.inverse {
        Some(t) => Some(nodes(t)?),
        None => None,
    };
    match name.as_str() {
        "if" | "unless" => Some(Node::If {
            path,
            positive: name == "if",
            then: body,
            otherwise: otherwise.unwrap_or_default(),
        }),
        "each" => Some(Node::Each {
            path,
            body,
            otherwise,
        }),
        _ => None,
    }
}

/// A path as a lookup: names after an optional `@root`, or a local variable of this level.
fn lookup(path: &Path) -> Option<Lookup> {
    match path {
        Path::Local((0, name, _)) => Some(Lookup::Local(match name.as_str() {
            "first" => Local::First,
            "last" => Local::Last,
            "index" => Local::Index,
            _ => return None,
        })),
        Path::Local(_) => None,
        Path::Relative((segs, _)) => {
            let (from_root, segs) = match segs.split_first() {
                Some((first, rest)) if *first == root_seg() => (true, rest),
                _ => (false, segs.as_slice()),
            };
            let names = segs
                .iter()
                .map(|seg| match seg {
                    PathSeg::Named(name) => Some(name.clone()),
                    // `..`, or `@root` further in.
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?;
            Some(if from_root {
                Lookup::Root(names)
            } else {
                Lookup::Here(names)
            })
        }
    }
}

/// The segment handlebars parses `@root` into (its rule type is private).
fn root_seg() -> PathSeg {
    static ROOT: std::sync::OnceLock<Option<PathSeg>> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| match Path::parse("@root.x") {
        Ok(Path::Relative((segs, _))) => segs.first().cloned(),
        _ => None,
    })
    .clone()
    .unwrap_or(PathSeg::Named("@root".into()))
}

/// Why a walk gave up: the page goes to handlebars.
#[derive(Debug)]
pub struct GiveUp;

/// The interface strings of every language, for `{{t}}` (see `templates::translate`).
pub type Strings = HashMap<String, Labels>;

/// One `{{#each}}` level: its item and where it is in its list.
struct Frame<'v> {
    item: &'v Value,
    index: usize,
    len: usize,
}

struct Walk<'v, 's> {
    root: &'v Value,
    frames: Vec<Frame<'v>>,
    strings: &'s Strings,
    out: String,
}

/// Renders `programs` one after another on `root`, into one string.
pub fn render(programs: &[&Program], root: &Value, strings: &Strings) -> Result<String, GiveUp> {
    let mut walk = Walk {
        root,
        frames: Vec::new(),
        strings,
        // The page's own text and its templates' markup (a module page is about 32 KB).
        out: String::with_capacity(root.text_len() * 5 / 4 + 32 * 1024),
    };
    for program in programs {
        walk.nodes(&program.0)?;
    }
    Ok(walk.out)
}

impl<'v> Walk<'v, '_> {
    fn nodes(&mut self, nodes: &[Node]) -> Result<(), GiveUp> {
        nodes.iter().try_for_each(|node| self.node(node))
    }

    fn node(&mut self, node: &Node) -> Result<(), GiveUp> {
        match node {
            Node::Text(text) => self.out.push_str(text),
            Node::Value { path, escape } => {
                // Strict mode reports a missing value: handlebars says it.
                let value = self.find(path)?.ok_or(GiveUp)?;
                match (value, escape) {
                    (Value::String(s), true) => escape_into(&mut self.out, s),
                    (Value::String(s), false) => self.out.push_str(s),
                    (other, true) => {
                        let mut text = String::new();
                        other.render(&mut text);
                        escape_into(&mut self.out, &text);
                    }
                    (other, false) => other.render(&mut self.out),
                }
            }
            Node::Translate { mark, key, args } => {
                let lang = match self.root.get("lang") {
                    Some(Value::String(lang)) => lang.as_str(),
                    _ => "",
                };
                let values = args
                    .iter()
                    .map(|(name, path)| {
                        let value = self.find(path)?.unwrap_or(&Value::Null);
                        Ok((name.as_str(), value.argument().ok_or(GiveUp)?))
                    })
                    .collect::<Result<Vec<_>, GiveUp>>()?;
                let args: Vec<(&str, &str)> =
                    values.iter().map(|(n, v)| (*n, v.as_str())).collect();
                let text =
                    super::translate(self.strings, lang, key, &args, *mark).map_err(|_| GiveUp)?;
                self.out.push_str(&text);
            }
            Node::If {
                path,
                positive,
                then,
                otherwise,
            } => {
                let truthy = self.find(path)?.is_some_and(Value::is_truthy);
                self.nodes(if truthy == *positive { then } else { otherwise })?;
            }
            Node::Each {
                path,
                body,
                otherwise,
            } => match (self.find(path)?, otherwise) {
                (Some(Value::Array(items)), _) if !items.is_empty() || otherwise.is_none() => {
                    for (index, item) in items.iter().enumerate() {
                        self.frames.push(Frame {
                            item,
                            index,
                            len: items.len(),
                        });
                        let done = self.nodes(body);
                        self.frames.pop();
                        done?;
                    }
                }
                // Iterating an object follows serde_json's key order: left to handlebars.
                (Some(Value::Object(fields)), _) if !fields.is_empty() || otherwise.is_none() => {
                    return Err(GiveUp);
                }
                (_, Some(otherwise)) => self.nodes(otherwise)?,
                // Strict mode reports it.
                (_, None) => return Err(GiveUp),
            },
        }
        Ok(())
    }

    /// The value at `path`: `None` when missing, `GiveUp` for a lookup this walk doesn't make
    /// (a name into a list).
    fn find(&self, path: &Lookup) -> Result<Option<&'v Value>, GiveUp> {
        let (start, names) = match path {
            Lookup::Here(names) => (self.frames.last().map_or(self.root, |f| f.item), names),
            Lookup::Root(names) => (self.root, names),
            Lookup::Local(local) => {
                let Some(frame) = self.frames.last() else {
                    return Ok(None);
                };
                return match local {
                    Local::First => Ok(Some(bool_value(frame.index == 0))),
                    Local::Last => Ok(Some(bool_value(frame.index + 1 == frame.len))),
                    Local::Index => index_value(frame.index).map(Some).ok_or(GiveUp),
                };
            }
        };
        let mut at = start;
        for name in names {
            at = match at {
                Value::Object(_) => match at.get(name) {
                    Some(v) => v,
                    None => return Ok(None),
                },
                Value::Array(_) => return Err(GiveUp),
                _ => return Ok(None),
            };
        }
        Ok(Some(at))
    }
}

fn bool_value(b: bool) -> &'static Value {
    static TRUE: Value = Value::Bool(true);
    static FALSE: Value = Value::Bool(false);
    if b { &TRUE } else { &FALSE }
}

/// `@index` as a value. Lists on pages are short, so indexes up to 4,096 are made once; a
/// longer list's later items give the page to handlebars (a value must outlive the walk).
fn index_value(i: usize) -> Option<&'static Value> {
    static INDEXES: std::sync::OnceLock<Vec<Value>> = std::sync::OnceLock::new();
    INDEXES
        .get_or_init(|| (0..4096u64).map(|i| Value::Number(i.into())).collect())
        .get(i)
}

/// `text` HTML-escaped the way `handlebars::html_escape` does, onto `out` (no string per
/// value).
fn escape_into(out: &mut String, text: &str) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'&' => "&amp;",
            b'\'' => "&#x27;",
            b'`' => "&#x60;",
            b'=' => "&#x3D;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(entity);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use handlebars::Handlebars;

    #[test]
    fn escaping_is_handlebars_own() {
        let text = "a <b> & \"c\" 'd' `e` = f é";
        let mut out = String::new();
        escape_into(&mut out, text);
        assert_eq!(out, handlebars::html_escape(text));
    }

    /// Templates of many shapes on the same data: the walk writes what handlebars writes, or
    /// gives up where handlebars would report an error.
    #[test]
    fn the_walk_writes_what_handlebars_writes() {
        let data = serde_json::json!({
            "lang": "sv",
            "title": "Säker <skola> & \"du\"",
            "zero": 0,
            "half": 0.5,
            "yes": true,
            "empty": "",
            "none": null,
            "list": [
                {"name": "a", "n": 1, "tags": ["x", "y"]},
                {"name": "b=", "n": 0, "tags": []}
            ],
            "nothing": [],
            "object": {"k": "v", "deep": {"er": "d"}},
            "words": ["ett", "två"],
        });
        let shapes = [
            "{{title}}|{{{title}}}|{{zero}}|{{half}}|{{yes}}|{{none}}|{{empty}}",
            "{{object.k}} {{object.deep.er}} {{object}} {{words}}",
            "{{#if zero}}z{{else}}no zero{{/if}}{{#if half}}h{{/if}}{{#unless empty}}e{{/unless}}",
            "{{#if missing}}m{{else if object.deep}}deep{{else}}x{{/if}}",
            "{{#if object.missing.further}}m{{/if}}{{#if title.inner}}t{{/if}}",
            "{{#each list}}{{@index}}:{{name}}{{#if @first}}^{{/if}}{{#if @last}}${{/if}} \
             {{#each tags}}[{{this}}{{#unless @last}},{{/unless}}]{{else}}-{{/each}}\
             {{@root.lang}}{{/each}}",
            "{{#each nothing}}x{{else}}nothing{{/each}}|{{#each nothing}}x{{/each}}|",
            "{{#each none}}x{{else}}null{{/each}}",
            "{{#each words}}{{#unless @first}}, {{/unless}}{{this}}{{/each}}",
            "<ul>\n{{#each list}}\n<li>{{name}}</li>\n{{/each}}\n</ul>\n{{!-- note --}}\n",
            "  {{#if yes}}\n  indented\n  {{/if}}\n",
            "{{~title~}} {{~#if yes~}} x {{~/if}}",
            // Strict mode reports the first two, and the walk doesn't index lists: it must give
            // these up, not print nothing.
            "{{missing}}",
            "{{#each none}}x{{/each}}",
            "{{list.0.name}}",
        ];
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(handlebars::html_escape);
        let tree = super::super::data::to_value(&data).unwrap();
        for (i, shape) in shapes.iter().enumerate() {
            let name = i.to_string();
            hb.register_template_string(&name, *shape).unwrap();
            let expected = hb.render(&name, &data).ok();
            let program = Program::compile(hb.get_template(&name).unwrap());
            let walked = program.and_then(|p| render(&[&p], &tree, &Strings::new()).ok());
            let reported = i >= shapes.len() - 3;
            match walked {
                Some(walked) => assert_eq!(Some(walked), expected, "{shape}"),
                None => assert!(reported, "gave up on {shape}"),
            }
        }
    }

    #[test]
    fn what_the_walk_leaves_to_handlebars() {
        for (source, walked) in [
            ("{{> item}}", false),
            ("{{#with a}}{{b}}{{/with}}", false),
            ("{{#each xs as |x|}}{{x}}{{/each}}", false),
            ("{{../a}}", false),
            ("{{#if a includeZero=true}}x{{/if}}", false),
            ("{{len}}", false),
            ("{{lookup a b}}", false),
            ("{{@key}}", false),
            ("{{t key}}", false),
            ("{{a.b}} {{{c}}} {{this}} {{@root.x}}", true),
            (
                "{{#each xs}}{{#unless @first}}, {{/unless}}{{@index}}{{else}}none{{/each}}",
                true,
            ),
            ("{{#if a}}x{{else if b}}y{{else}}z{{/if}}", true),
            ("{{tlang \"k\" n=count}}", true),
        ] {
            let template = Template::compile(source).unwrap();
            assert_eq!(Program::compile(&template).is_some(), walked, "{source}");
        }
    }
}
