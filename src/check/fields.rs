//! Reading typed fields out of parsed front matter, with a diagnostic at the exact place of
//! every missing, mistyped, empty or unknown value.

use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::load::yaml::{Locator, Yaml};
use crate::source::{FileId, Span};

/// The front matter of one document, as a reader of typed fields.
pub struct Fields<'a> {
    file: FileId,
    map: &'a [(String, Yaml)],
    locator: Locator<'a>,
    /// Offset of the YAML text in the file.
    base: usize,
    /// Where to point when a required field is missing: the opening `---`.
    fence: Span,
    pub problems: Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    /// `yaml_text` is the front-matter text starting at `base` in the file. A front matter that
    /// is not a mapping is reported and read as empty.
    pub fn new(file: FileId, yaml: &'a Yaml, yaml_text: &'a str, base: usize) -> Self {
        let fence_start = base.saturating_sub(4);
        let mut fields = Fields {
            file,
            map: &[],
            locator: Locator::new(yaml_text),
            base,
            fence: fence_start..fence_start + 3,
            problems: Vec::new(),
        };
        match yaml {
            Yaml::Map(map) => fields.map = map,
            Yaml::Null => {}
            other => {
                let span = base..base + yaml_text.trim_end().len();
                fields.problems.push(
                    Diagnostic::new(
                        Code::WrongType,
                        format!(
                            "front matter must be a set of `field: value` lines, found {}",
                            other.kind()
                        ),
                    )
                    .at(file, span)
                    .help("write one field per line, e.g. `title: Captions for every video`"),
                );
            }
        }
        fields
    }

    /// False when the front matter is not a mapping (already reported): no field can be read.
    pub fn is_mapping(&self) -> bool {
        self.problems.is_empty() || !self.map.is_empty()
    }

    pub fn file(&self) -> FileId {
        self.file
    }

    /// Reports a problem found by a caller's own check of a field.
    pub fn report(&mut self, code: Code, span: Span, message: String, help: String) {
        let d = Diagnostic::new(code, message)
            .at(self.file, span)
            .help(help);
        self.push(d);
    }

    fn get(&self, key: &str) -> Option<&'a Yaml> {
        self.map.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn key_span(&self, key: &str) -> Span {
        self.shift(self.locator.key(&[key]))
    }

    /// Where the value of `key` is (the opening fence when it is missing).
    pub fn scalar_span(&self, key: &str) -> Span {
        self.shift(self.locator.value_of(&[key]))
    }

    fn shift(&self, span: Option<Span>) -> Span {
        span.map(|s| s.start + self.base..s.end + self.base)
            .unwrap_or_else(|| self.fence.clone())
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.problems.push(diagnostic);
    }

    fn missing(&mut self, key: &str, example: &str) {
        let d = Diagnostic::new(
            Code::MissingField,
            format!("missing required field `{key}`"),
        )
        .at(self.file, self.fence.clone())
        .label("in this front matter")
        .help(format!("add a line such as `{key}: {example}`"));
        self.push(d);
    }

    fn wrong_type(&mut self, key: &str, expected: &str, found: &Yaml, example: &str) {
        let d = Diagnostic::new(
            Code::WrongType,
            format!("`{key}` must be {expected}, found {}", found.kind()),
        )
        .at(self.file, self.scalar_span(key))
        .help(format!("write it as `{key}: {example}`"));
        self.push(d);
    }

    /// A required or optional text field. Returns `None` if missing, mistyped or empty.
    pub fn text(&mut self, key: &str, required: bool, example: &str) -> Option<String> {
        let value = match self.get(key) {
            None | Some(Yaml::Null) if required => {
                self.missing(key, example);
                return None;
            }
            None | Some(Yaml::Null) => return None,
            Some(value) => value,
        };
        let Some(text) = value
            .as_scalar()
            .filter(|_| !matches!(value, Yaml::Bool(_)))
        else {
            self.wrong_type(key, "text", value, example);
            return None;
        };
        let text = text.trim().to_string();
        if text.is_empty() {
            let d = Diagnostic::new(Code::EmptyValue, format!("`{key}` is empty"))
                .at(self.file, self.key_span(key))
                .help(format!("write it as `{key}: {example}`"));
            self.push(d);
            return None;
        }
        Some(text)
    }

    /// A list of text items with each item's place. Required lists must have an item.
    pub fn list(&mut self, key: &str, required: bool, example: &str) -> Vec<(String, Span)> {
        let items = match self.get(key) {
            None | Some(Yaml::Null) => {
                if required {
                    self.missing(key, example);
                }
                return Vec::new();
            }
            Some(Yaml::List(items)) => items,
            Some(other) => {
                self.wrong_type(key, "a list", other, example);
                return Vec::new();
            }
        };
        if items.is_empty() && required {
            let d = Diagnostic::new(
                Code::EmptyValue,
                format!("`{key}` needs at least one value"),
            )
            .at(self.file, self.key_span(key))
            .help(format!("write it as `{key}: {example}`"));
            self.push(d);
        }
        let texts: Vec<Option<String>> = items
            .iter()
            .map(|item| item.as_scalar().filter(|text| !text.trim().is_empty()))
            .collect();
        let wanted: Vec<&str> = texts.iter().flatten().map(String::as_str).collect();
        let mut spans = self.locator.values(&[key], &wanted).into_iter();
        let mut out = Vec::with_capacity(items.len());
        for (item, text) in items.iter().zip(texts) {
            match text {
                Some(text) => {
                    let span = self.shift(spans.next().flatten());
                    let trimmed = match text.trim() {
                        trimmed if trimmed.len() == text.len() => text,
                        trimmed => trimmed.to_string(),
                    };
                    out.push((trimmed, span));
                }
                None => {
                    let d = Diagnostic::new(
                        Code::WrongType,
                        format!("every item of `{key}` must be text, found {}", item.kind()),
                    )
                    .at(self.file, self.key_span(key))
                    .help(format!("write it as `{key}: {example}`"));
                    self.push(d);
                }
            }
        }
        out
    }

    /// A list of vocabulary terms; unknown terms are reported with a suggestion. Duplicates are
    /// dropped.
    pub fn terms<'v, T: PartialEq>(
        &mut self,
        key: &str,
        required: bool,
        what: &str,
        example: &str,
        parse: impl Fn(&str) -> Option<T>,
        vocabulary: impl Iterator<Item = &'v str> + Clone,
    ) -> Vec<T> {
        let mut out = Vec::new();
        for (text, span) in self.list(key, required, example) {
            match parse(&text) {
                Some(term) if out.contains(&term) => {}
                Some(term) => out.push(term),
                None => {
                    let help = did_you_mean(&text, vocabulary.clone()).unwrap_or_else(|| {
                        format!(
                            "use one of: {}",
                            vocabulary.clone().collect::<Vec<_>>().join(", ")
                        )
                    });
                    let d = Diagnostic::new(Code::UnknownTerm, format!("unknown {what} `{text}`"))
                        .at(self.file, span)
                        .help(help);
                    self.push(d);
                }
            }
        }
        out
    }

    /// A single vocabulary term.
    pub fn term<'v, T>(
        &mut self,
        key: &str,
        what: &str,
        parse: impl Fn(&str) -> Option<T>,
        vocabulary: impl Iterator<Item = &'v str> + Clone,
    ) -> Option<T> {
        let example = vocabulary.clone().next().unwrap_or_default().to_string();
        let text = self.text(key, false, &example)?;
        let term = parse(&text);
        if term.is_none() {
            let help = did_you_mean(&text, vocabulary.clone()).unwrap_or_else(|| {
                format!("use one of: {}", vocabulary.collect::<Vec<_>>().join(", "))
            });
            let d = Diagnostic::new(Code::UnknownTerm, format!("unknown {what} `{text}`"))
                .at(self.file, self.scalar_span(key))
                .help(help);
            self.push(d);
        }
        term
    }

    /// A text field that must pass `valid`; otherwise reports `code` with `help`.
    pub fn checked(
        &mut self,
        key: &str,
        example: &str,
        code: Code,
        what: &str,
        problem: impl Fn(&str) -> Option<String>,
    ) -> Option<String> {
        let text = self.text(key, false, example)?;
        if let Some(help) = problem(&text) {
            let d = Diagnostic::new(code, format!("`{text}` is not {what}"))
                .at(self.file, self.scalar_span(key))
                .help(help);
            self.push(d);
            return None;
        }
        Some(text)
    }

    /// Reports every field not in `allowed`. Fields in `inherited` get `inherited_code` and
    /// `inherited_help` instead (a translation setting metadata).
    pub fn reject_unknown(&mut self, allowed: &[&str], inherited: &[&str], inherited_help: &str) {
        let map = self.map;
        for (key, _) in map {
            if allowed.contains(&key.as_str()) {
                continue;
            }
            let span = self.key_span(key);
            let d = if inherited.contains(&key.as_str()) {
                Diagnostic::new(
                    Code::TranslationSetsMetadata,
                    format!("a translation cannot set `{key}`"),
                )
                .at(self.file, span)
                .help(inherited_help.to_string())
            } else {
                let help = did_you_mean(key, allowed.iter().copied()).unwrap_or_else(|| {
                    format!("the fields allowed here are: {}", allowed.join(", "))
                });
                Diagnostic::new(Code::UnknownField, format!("unknown field `{key}`"))
                    .at(self.file, span)
                    .help(help)
            };
            self.push(d);
        }
    }
}

/// `[a-z0-9]+(-[a-z0-9]+)*`, at most 64 characters: module, handbook and subject ids.
pub fn is_kebab_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A kebab-case spelling of `s`, to suggest for a bad id.
pub fn kebab(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-')
        .chars()
        .take(64)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

/// Why `s` is not a real `YYYY-MM-DD` date, or `None` if it is one.
pub fn date_problem(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split('-').collect();
    let shape_ok = parts.len() == 3
        && [4, 2, 2]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && p.bytes().all(|b| b.is_ascii_digit()));
    if !shape_ok {
        return Some("write the date as YYYY-MM-DD, e.g. `2025-03-14`".into());
    }
    let (y, m, d): (u32, u32, u32) = (
        parts[0].parse().unwrap_or(0),
        parts[1].parse().unwrap_or(0),
        parts[2].parse().unwrap_or(0),
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => {
            return Some(format!(
                "there is no month {m}; write the date as YYYY-MM-DD"
            ));
        }
    };
    (d == 0 || d > days).then(|| format!("month {m} of {y} has {days} days"))
}

/// ISO 3166-1 alpha-2 codes (officially assigned), plus `EU` and the widely used `XK`.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW EU XK";

/// Every country code `country` accepts, in alphabetical order (`EU` and `XK` last).
pub fn country_codes() -> impl Iterator<Item = &'static str> {
    COUNTRIES.split(' ')
}

/// Why `s` is not a country code, or `None` if it is one.
pub fn country_problem(s: &str) -> Option<String> {
    if COUNTRIES.split(' ').any(|c| c == s) {
        return None;
    }
    let upper = s.to_ascii_uppercase();
    if COUNTRIES.split(' ').any(|c| c == upper) {
        return Some(format!("write it in capitals: `{upper}`"));
    }
    Some(match upper.as_str() {
        "UK" => "the ISO 3166-1 code of the United Kingdom is `GB`".into(),
        "EL" => "the ISO 3166-1 code of Greece is `GR` (`EL` is the EU's own abbreviation)".into(),
        _ => "use an ISO 3166-1 alpha-2 code such as `SE`, `DE`, `FR`, or `EU`".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_ids() {
        for ok in ["a", "a-b", "isced-2", "x1-y2-z3"] {
            assert!(is_kebab_id(ok), "{ok}");
        }
        for bad in ["", "A", "a_b", "a--b", "-a", "a-", "å", &"a".repeat(65)] {
            assert!(!is_kebab_id(bad), "{bad}");
        }
        assert_eq!(kebab("Captions & Transcripts!"), "captions-transcripts");
    }

    #[test]
    fn dates() {
        assert_eq!(date_problem("2024-02-29"), None);
        assert!(date_problem("2023-02-29").is_some());
        assert!(date_problem("2025-13-01").is_some());
        assert!(date_problem("2025-1-01").is_some());
        assert!(date_problem("14.03.2025").is_some());
    }

    #[test]
    fn countries() {
        assert_eq!(COUNTRIES.split(' ').count(), 249 + 2);
        assert_eq!(country_problem("SE"), None);
        assert_eq!(country_problem("EU"), None);
        assert!(country_problem("se").unwrap().contains("`SE`"));
        assert!(country_problem("UK").unwrap().contains("GB"));
        assert!(country_problem("XX").is_some());
    }
}
