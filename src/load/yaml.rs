//! YAML, behind one door: the only file that names `serde_norway`.
//!
//! Front matter and `ui.yaml` are parsed into handbok's own [`Yaml`] tree, so the YAML crate can be
//! swapped without touching the checks. `serde_norway` reports positions for syntax errors only, so
//! [`Locator`] finds keys and list items in the text itself when a check needs to point at a value.
//! Locating runs only when a diagnostic is made, never on the happy path.
//!
//! Text from the project goes through [`parse_within`], which refuses oversized or deeply nested
//! YAML before the parser sees it (see [`guard`]): the parser's time is quadratic in the nesting.

mod guard;

use crate::source::Span;
pub use guard::{Exceeded, FRONT_MATTER, Limits, UI_FILE};

/// A parsed YAML value, reduced to what handbok's formats use.
#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
    Null,
    Bool(bool),
    /// A number, kept as written so `3.1` stays `3.1`.
    Number(String),
    String(String),
    List(Vec<Yaml>),
    /// A mapping in document order. Keys that are not strings are written as YAML would print them.
    Map(Vec<(String, Yaml)>),
}

impl Yaml {
    /// What the value is, for "expected …, found …" messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Yaml::Null => "nothing",
            Yaml::Bool(_) => "true/false",
            Yaml::Number(_) => "a number",
            Yaml::String(_) => "text",
            Yaml::List(_) => "a list",
            Yaml::Map(_) => "a mapping",
        }
    }

    /// The value as text if it is a scalar (numbers and booleans included, as written).
    pub fn as_scalar(&self) -> Option<String> {
        match self {
            Yaml::String(s) | Yaml::Number(s) => Some(s.clone()),
            Yaml::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

/// A YAML syntax error at a byte offset of the parsed text.
#[derive(Debug)]
pub struct SyntaxError {
    pub message: String,
    /// Byte offset in the parsed text, if the parser gave a position.
    pub offset: Option<usize>,
}

/// Why project text is not a YAML value.
#[derive(Debug)]
pub enum Error {
    Syntax(SyntaxError),
    /// Refused before parsing: too large or too deeply nested.
    Limit(Exceeded),
}

/// Parses one YAML document from the project, refused past `limits` before the parser runs, so
/// the time spent is linear in the text whatever it holds.
pub fn parse_within(text: &str, limits: Limits) -> Result<Yaml, Error> {
    guard::check(text, limits).map_err(Error::Limit)?;
    parse(text).map_err(Error::Syntax)
}

/// Parses one YAML document with no limits: for handbok's own built-in texts. Project text goes
/// through [`parse_within`].
pub fn parse(text: &str) -> Result<Yaml, SyntaxError> {
    match serde_norway::from_str::<serde_norway::Value>(text) {
        Ok(value) => Ok(convert(value)),
        Err(err) => {
            let offset = err.location().map(|loc| {
                // serde_norway reports 1-based line and column; columns count characters.
                let line_start: usize = text
                    .split_inclusive('\n')
                    .take(loc.line().saturating_sub(1))
                    .map(str::len)
                    .sum();
                let line = text[line_start.min(text.len())..]
                    .split('\n')
                    .next()
                    .unwrap_or("");
                let col = line
                    .char_indices()
                    .nth(loc.column().saturating_sub(1))
                    .map(|(i, _)| i)
                    .unwrap_or(line.len());
                (line_start + col).min(text.len())
            });
            Err(SyntaxError {
                message: clean_message(&err.to_string()),
                offset,
            })
        }
    }
}

/// serde_norway appends " at line L column C" to messages; the diagnostic shows the place itself.
fn clean_message(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn convert(value: serde_norway::Value) -> Yaml {
    use serde_norway::Value;
    match value {
        Value::Null => Yaml::Null,
        Value::Bool(b) => Yaml::Bool(b),
        Value::Number(n) => Yaml::Number(n.to_string()),
        Value::String(s) => Yaml::String(s),
        Value::Sequence(items) => Yaml::List(items.into_iter().map(convert).collect()),
        Value::Mapping(map) => Yaml::Map(
            map.into_iter()
                .map(|(k, v)| {
                    let key = match convert(k) {
                        Yaml::String(s) | Yaml::Number(s) => s,
                        Yaml::Bool(b) => b.to_string(),
                        other => format!("<{}>", other.kind()),
                    };
                    (key, convert(v))
                })
                .collect(),
        ),
        Value::Tagged(tagged) => convert(tagged.value),
    }
}

/// Finds keys and list items in block-style YAML text, for diagnostics.
///
/// Understands indentation, quoted keys, flow lists (`[a, b]`) and block lists (`- a`). When it
/// cannot find a value it falls back to its key, and from a key to the key's parent, so a
/// diagnostic always points somewhere sensible.
pub struct Locator<'a> {
    text: &'a str,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Self {
        Locator { text }
    }

    /// Span of the key at `path` (`["levels"]`, `["strings", "home"]`).
    pub fn key(&self, path: &[&str]) -> Option<Span> {
        self.find_key(path).map(|(span, _)| span)
    }

    /// The span of each of `items` in the list at `path` (for a scalar field, the value), each
    /// falling back to the key; `None` each when the key is not found. The key is found once
    /// for all of them (every list of every document is located, item by item it was 2 % of
    /// `check`).
    pub fn values(&self, path: &[&str], items: &[&str]) -> Vec<Option<Span>> {
        match self.find_key(path) {
            Some((key, region)) => items
                .iter()
                .map(|item| Some(self.item_in(key.clone(), region.clone(), item)))
                .collect(),
            None => vec![None; items.len()],
        }
    }

    /// The span of `item` in the `region` of the value of the key at `key`, or the key.
    fn item_in(&self, key: Span, region: Span, item: &str) -> Span {
        let within = &self.text[key.end..region.end];
        let is_boundary = |c: Option<char>| {
            c.is_none_or(|c| {
                c.is_whitespace() || matches!(c, '[' | ']' | ',' | '"' | '\'' | '-' | '#')
            })
        };
        let found = within.match_indices(item).find(|(at, _)| {
            !item.is_empty()
                && is_boundary(within[..*at].chars().next_back())
                && is_boundary(within[at + item.len()..].chars().next())
        });
        match found {
            Some((at, _)) => key.end + at..key.end + at + item.len(),
            None => key,
        }
    }

    /// Span of the whole entry at `path`: its key, its value and the more indented lines below.
    pub fn entry(&self, path: &[&str]) -> Option<Span> {
        self.find_key(path)
            .map(|(key, region)| key.start..region.end)
    }

    /// Span of the value after the key at `path` (to the end of its line), or the key.
    pub fn value_of(&self, path: &[&str]) -> Option<Span> {
        let (key, region) = self.find_key(path)?;
        let line_end = self.text[key.end..]
            .find('\n')
            .map_or(self.text.len(), |i| key.end + i);
        let rest = &self.text[key.end..line_end.min(region.end)];
        let after_colon = rest.find(':').map_or(0, |i| i + 1);
        let value = rest[after_colon..].trim();
        if value.is_empty() || value.starts_with('#') {
            return Some(key);
        }
        let start = key.end + after_colon + rest[after_colon..].find(value).unwrap_or(0);
        Some(start..start + value.len())
    }

    /// The key's span and the region its value occupies (its line and the more indented lines
    /// below it).
    fn find_key(&self, path: &[&str]) -> Option<(Span, Span)> {
        let mut region = 0..self.text.len();
        let mut key_span = None;
        for segment in path {
            let (span, inner) = self.key_in(region.clone(), segment)?;
            key_span = Some(span);
            region = inner;
        }
        key_span.map(|span| (span, region))
    }

    fn key_in(&self, region: Span, key: &str) -> Option<(Span, Span)> {
        let mut offset = region.start;
        let lines: Vec<(usize, &str)> = self.text[region.clone()]
            .split_inclusive('\n')
            .map(|line| {
                let at = offset;
                offset += line.len();
                (at, line)
            })
            .collect();
        // The key must sit at the shallowest indentation in the region (a direct child).
        let depth = lines
            .iter()
            .filter(|(_, l)| is_content(l))
            .map(|(_, l)| indent(l))
            .min()?;
        for (i, (at, line)) in lines.iter().enumerate() {
            if !is_content(line) || indent(line) != depth {
                continue;
            }
            let body = &line[depth..];
            let body = body.strip_prefix("- ").unwrap_or(body);
            let lead = line.len() - body.len();
            let name_len = key_len(body, key)?;
            if name_len == 0 {
                continue;
            }
            let start = at + lead;
            let mut end = at + line.len();
            for (next_at, next) in &lines[i + 1..] {
                if is_content(next) && indent(next) <= depth {
                    break;
                }
                end = next_at + next.len();
            }
            let key_start = start + usize::from(body.starts_with(['"', '\'']));
            return Some((key_start..key_start + key.len(), start + name_len..end));
        }
        None
    }
}

/// If `body` begins with `key:` (optionally quoted), the length up to and including the colon;
/// `Some(0)` if it begins with something else.
fn key_len(body: &str, key: &str) -> Option<usize> {
    for quote in ["", "\"", "'"] {
        let Some(rest) = body.strip_prefix(quote) else {
            continue;
        };
        let Some(rest) = rest.strip_prefix(key) else {
            continue;
        };
        let Some(rest) = rest.strip_prefix(quote) else {
            continue;
        };
        let trimmed = rest.trim_start_matches([' ', '\t']);
        if trimmed.starts_with(':') {
            return Some(body.len() - trimmed.len() + 1);
        }
    }
    Some(0)
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "id: a-b\nlevels: [primary, primry]\nsubjects:\n  - arts\n  - mathmatics\nstrings:\n  home: Hem\n  \"next\": Nästa\n";

    #[test]
    fn parses_scalars_lists_and_maps() {
        let Yaml::Map(map) = parse("a: 1\nb: [x, 'y']\nc: true\nd:\n").unwrap() else {
            panic!("not a map")
        };
        assert_eq!(map[0], ("a".into(), Yaml::Number("1".into())));
        assert_eq!(
            map[1].1,
            Yaml::List(vec![Yaml::String("x".into()), Yaml::String("y".into())])
        );
        assert_eq!(map[2].1, Yaml::Bool(true));
        assert_eq!(map[3].1, Yaml::Null);
    }

    #[test]
    fn syntax_errors_have_offsets() {
        let err = parse("a: b\nc: [d\n").unwrap_err();
        assert!(err.offset.is_some());
        let err = parse("a: 1\na: 2\n").unwrap_err();
        assert!(err.message.contains("duplicate"), "{}", err.message);
    }

    #[test]
    fn locates_keys_and_items() {
        let loc = Locator::new(DOC);
        let text = |s: Span| &DOC[s];
        let value = |loc: &Locator, path: &[&str], item: &str| {
            let mut spans = loc.values(path, &[item]);
            assert_eq!(spans.len(), 1);
            spans.pop().flatten()
        };
        assert_eq!(loc.key(&["levels"]).map(text), Some("levels"));
        assert_eq!(value(&loc, &["levels"], "primry").map(text), Some("primry"));
        // Whole items only: `arts` is not found inside `smarts`.
        let doc = "subjects: [smarts, arts]\n";
        let at = value(&Locator::new(doc), &["subjects"], "arts").unwrap();
        assert_eq!(at.start, 19);
        assert_eq!(
            value(&loc, &["subjects"], "mathmatics").map(text),
            Some("mathmatics")
        );
        assert_eq!(loc.key(&["strings", "home"]).map(text), Some("home"));
        assert_eq!(loc.key(&["strings", "next"]).map(text), Some("next"));
        assert_eq!(loc.value_of(&["id"]).map(text), Some("a-b"));
        assert_eq!(
            loc.entry(&["subjects"]).map(text),
            Some("subjects:\n  - arts\n  - mathmatics\n")
        );
        // Unknown item: falls back to the key.
        assert_eq!(value(&loc, &["levels"], "nope").map(text), Some("levels"));
        assert_eq!(loc.values(&["nowhere"], &["a", "b"]), vec![None, None]);
        assert_eq!(loc.key(&["home"]), None);
    }
}
