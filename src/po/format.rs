//! The gettext PO format, the small part of it handbok writes and reads: a header entry, and
//! entries with `msgctxt`, `msgid`, `msgstr`, flags (`#,`), the previous msgid (`#|`),
//! extracted comments (`#.`) and references (`#:`). Plural entries and obsolete entries (`#~`)
//! are not used by handbok; a reader skips the latter. Nothing here touches the disk.

/// One PO entry (the header is the entry with an empty msgid and no context).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// `#.` lines: notes for the translator (and handbok's own markers).
    pub notes: Vec<String>,
    /// `#:` references (`guidelines/a.md:12`).
    pub references: Vec<String>,
    pub fuzzy: bool,
    /// `#| msgid`: the source text the translation was made from.
    pub previous: Option<String>,
    pub context: Option<String>,
    pub id: String,
    pub text: String,
}

/// The file: its header fields (`Name: value` lines of the header's msgstr) and entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct File {
    pub header: Vec<(String, String)>,
    pub entries: Vec<Entry>,
}

impl File {
    /// A header field's value.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.header
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The file's text: header first, entries in order, each followed by a blank line.
    pub fn write(&self) -> String {
        let mut out = String::from("msgid \"\"\nmsgstr \"\"\n");
        for (name, value) in &self.header {
            out.push_str(&quote(&format!("{name}: {value}\n")));
            out.push('\n');
        }
        for e in &self.entries {
            out.push('\n');
            for note in &e.notes {
                out.push_str(&format!("#. {note}\n"));
            }
            for reference in &e.references {
                out.push_str(&format!("#: {reference}\n"));
            }
            if e.fuzzy {
                out.push_str("#, fuzzy\n");
            }
            if let Some(previous) = &e.previous {
                out.push_str(&format!("#| msgid {}\n", quote(previous)));
            }
            if let Some(context) = &e.context {
                out.push_str(&format!("msgctxt {}\n", quote(context)));
            }
            out.push_str(&format!("msgid {}\n", quote(&e.id)));
            out.push_str(&format!("msgstr {}\n", quote(&e.text)));
        }
        out
    }

    /// Reads a PO file; an error names the line (1-based) that could not be read.
    pub fn parse(text: &str) -> Result<File, (usize, String)> {
        let mut entries = Vec::new();
        let mut entry = Entry::default();
        // Which string a `"…"` continuation line adds to.
        let mut field: Option<Field> = None;
        let mut started = false;
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            let err = |m: &str| (n + 1, m.to_string());
            if line.is_empty() || line.starts_with("#~") {
                continue;
            }
            // A comment or keyword after a complete entry starts the next one.
            let keyword = line.starts_with('#') || line.starts_with("msgctxt");
            if keyword && field == Some(Field::Text) {
                entries.push(std::mem::take(&mut entry));
                field = None;
                started = false;
            }
            if let Some(rest) = line.strip_prefix("#,") {
                entry.fuzzy |= rest.split(',').any(|f| f.trim() == "fuzzy");
            } else if let Some(rest) = line.strip_prefix("#| msgid ") {
                entry.previous = Some(unquote(rest).ok_or_else(|| err("a bad string"))?);
            } else if let Some(rest) = line.strip_prefix("#| \"") {
                // A wrapped previous msgid (`msgcat` writes long ones so).
                let more = unquote(&format!("\"{rest}")).ok_or_else(|| err("a bad string"))?;
                entry.previous.get_or_insert_default().push_str(&more);
            } else if let Some(rest) = line.strip_prefix("#.") {
                entry.notes.push(rest.trim().to_string());
            } else if let Some(rest) = line.strip_prefix("#:") {
                entry
                    .references
                    .extend(rest.split_whitespace().map(str::to_string));
            } else if line.starts_with('#') {
                // Translator comments and other flags are kept by the tools, not needed here.
            } else if let Some(rest) = line.strip_prefix("msgctxt ") {
                entry.context = Some(unquote(rest).ok_or_else(|| err("a bad string"))?);
                field = Some(Field::Context);
            } else if let Some(rest) = line.strip_prefix("msgid ") {
                if field == Some(Field::Text) || (started && field != Some(Field::Context)) {
                    entries.push(std::mem::take(&mut entry));
                }
                entry.id = unquote(rest).ok_or_else(|| err("a bad string"))?;
                field = Some(Field::Id);
                started = true;
            } else if let Some(rest) = line.strip_prefix("msgstr ") {
                if field != Some(Field::Id) {
                    return Err(err("`msgstr` without a `msgid` before it"));
                }
                entry.text = unquote(rest).ok_or_else(|| err("a bad string"))?;
                field = Some(Field::Text);
            } else if line.starts_with('"') {
                let more = unquote(line).ok_or_else(|| err("a bad string"))?;
                match field {
                    Some(Field::Context) => entry.context.get_or_insert_default().push_str(&more),
                    Some(Field::Id) => entry.id.push_str(&more),
                    Some(Field::Text) => entry.text.push_str(&more),
                    None => return Err(err("a string outside an entry")),
                }
            } else {
                return Err(err(
                    "not a PO line (plural entries are not used by handbok)",
                ));
            }
        }
        if field == Some(Field::Text) {
            entries.push(entry);
        }
        let mut file = File::default();
        if let Some(first) = entries.first()
            && first.id.is_empty()
            && first.context.is_none()
        {
            let header = entries.remove(0);
            file.header = header
                .text
                .lines()
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .collect();
        }
        file.entries = entries;
        Ok(file)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Context,
    Id,
    Text,
}

/// `s` as one PO string literal.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The text of one PO string literal, or `None` when it is not one.
fn unquote(s: &str) -> Option<String> {
    let inner = s.trim().strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'a' => out.push('\u{7}'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'v' => out.push('\u{b}'),
                other => out.push(other),
            },
            '"' => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// `Plural-Forms` for a language (gettext's values; handbok's entries have no plurals, but
/// tools and `msgfmt --check` want the header right).
pub fn plural_forms(lang: &str) -> &'static str {
    let primary = lang.split(['-', '_']).next().unwrap_or(lang);
    match primary.to_ascii_lowercase().as_str() {
        "fr" | "pt-br" => "nplurals=2; plural=(n > 1);",
        "pl" => {
            "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
        }
        "uk" | "ru" | "hr" | "sr" | "bs" => {
            "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
        }
        "cs" | "sk" => "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
        "lt" => {
            "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);"
        }
        "lv" => "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
        "ro" => "nplurals=3; plural=(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2);",
        "sl" => "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
        "mt" => {
            "nplurals=4; plural=(n==1 ? 0 : n==0 || ( n%100>1 && n%100<11) ? 1 : (n%100>10 && n%100<20 ) ? 2 : 3);"
        }
        "ga" => "nplurals=5; plural=(n==1 ? 0 : n==2 ? 1 : n<7 ? 2 : n<11 ? 3 : 4);",
        _ => "nplurals=2; plural=(n != 1);",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_reads_back() {
        let file = File {
            header: vec![("Language".into(), "sv".into())],
            entries: vec![
                Entry {
                    notes: vec!["handbok-was: none".into()],
                    references: vec!["guidelines/a.md:3".into()],
                    fuzzy: true,
                    previous: Some("Old \"text\"".into()),
                    context: Some("a/title".into()),
                    id: "Tab\there \\ and \"quotes\"".into(),
                    text: "Översatt".into(),
                },
                Entry {
                    id: "Second".into(),
                    ..Entry::default()
                },
            ],
        };
        let text = file.write();
        assert_eq!(File::parse(&text).unwrap(), file);
        assert_eq!(File::parse(&text).unwrap().field("language"), Some("sv"));
    }

    #[test]
    fn reads_wrapped_strings_as_tools_write_them() {
        let text = "msgid \"\"\nmsgstr \"\"\n\"Language: de\\n\"\n\n# translator comment\n#, fuzzy, c-format\n#| msgid \"\"\n#| \"Old \"\n#| \"text\"\nmsgctxt \"x\"\nmsgid \"\"\n\"Long \"\n\"text\"\nmsgstr \"\"\n\"Lang\"\n\"er\"\n\n#~ msgid \"gone\"\n#~ msgstr \"weg\"\n";
        let file = File::parse(text).unwrap();
        assert_eq!(file.field("Language"), Some("de"));
        assert_eq!(file.entries.len(), 1);
        let e = &file.entries[0];
        assert!(e.fuzzy);
        assert_eq!(e.previous.as_deref(), Some("Old text"));
        assert_eq!((e.id.as_str(), e.text.as_str()), ("Long text", "Langer"));
        assert!(File::parse("msgstr \"x\"\n").is_err());
        assert!(File::parse("msgid \"unterminated\n").is_err());
    }
}
