//! BCP 47 language tags as handbok uses them: folder names under `translations/`, `lang`
//! attributes and hreflang values.

use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// A well-formed BCP 47 tag of the common shapes `ll`, `lll`, `ll-Scrp`, `ll-RR`, `ll-Scrp-RR`,
/// `ll-419`, in canonical case. Case matters because the tag names a folder.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LanguageTag(Arc<str>);

impl LanguageTag {
    /// Parses a tag; on failure returns the canonical spelling if only the case was off.
    pub fn parse(s: &str) -> Result<LanguageTag, Option<String>> {
        let parts: Vec<&str> = s.split('-').collect();
        let mut canonical = Vec::with_capacity(parts.len());
        let mut well_formed = true;
        for (i, part) in parts.iter().enumerate() {
            let alpha = part.chars().all(|c| c.is_ascii_alphabetic());
            let digit = part.chars().all(|c| c.is_ascii_digit());
            let fixed = match (i, part.len()) {
                (0, 2 | 3) if alpha => part.to_ascii_lowercase(),
                (1.., 4) if alpha && i == 1 => {
                    let lower = part.to_ascii_lowercase();
                    lower[..1].to_ascii_uppercase() + &lower[1..]
                }
                (1.., 2) if alpha => part.to_ascii_uppercase(),
                (1.., 3) if digit => part.to_string(),
                _ => {
                    well_formed = false;
                    part.to_string()
                }
            };
            canonical.push(fixed);
        }
        let canonical = canonical.join("-");
        let shape_ok = well_formed && parts.len() <= 3 && !s.is_empty();
        match (shape_ok, canonical == s) {
            (true, true) => Ok(LanguageTag(s.into())),
            (true, false) => Err(Some(canonical)),
            _ => Err(None),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag (`pt` of `pt-BR`).
    pub fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }

    /// Whether text in this language runs right to left, from the script subtag if given, else
    /// from the language's usual script.
    pub fn is_rtl(&self) -> bool {
        let script = self.0.split('-').nth(1).filter(|s| s.len() == 4);
        match script {
            Some(s) => matches!(
                s,
                "Arab" | "Hebr" | "Thaa" | "Syrc" | "Nkoo" | "Adlm" | "Rohg"
            ),
            None => matches!(
                self.primary(),
                "ar" | "fa" | "he" | "ur" | "ps" | "yi" | "dv" | "ckb" | "sd" | "ug" | "prs"
            ),
        }
    }
}

/// Languages' names for themselves, for the language switcher of languages that have no
/// interface file: the EU's 24 official languages and the languages of many migrant pupils.
const ENDONYMS: &[(&str, &str)] = &[
    ("ar", "العربية"),
    ("bg", "Български"),
    ("bs", "Bosanski"),
    ("ca", "Català"),
    ("cs", "Čeština"),
    ("cy", "Cymraeg"),
    ("da", "Dansk"),
    ("de", "Deutsch"),
    ("el", "Ελληνικά"),
    ("en", "English"),
    ("es", "Español"),
    ("et", "Eesti"),
    ("eu", "Euskara"),
    ("fa", "فارسی"),
    ("fi", "Suomi"),
    ("fr", "Français"),
    ("ga", "Gaeilge"),
    ("gl", "Galego"),
    ("he", "עברית"),
    ("hr", "Hrvatski"),
    ("hu", "Magyar"),
    ("is", "Íslenska"),
    ("it", "Italiano"),
    ("lb", "Lëtzebuergesch"),
    ("lt", "Lietuvių"),
    ("lv", "Latviešu"),
    ("mk", "Македонски"),
    ("mt", "Malti"),
    ("nb", "Norsk bokmål"),
    ("nl", "Nederlands"),
    ("nn", "Norsk nynorsk"),
    ("no", "Norsk"),
    ("pl", "Polski"),
    ("ps", "پښتو"),
    ("pt", "Português"),
    ("ro", "Română"),
    ("ru", "Русский"),
    ("se", "Davvisámegiella"),
    ("sk", "Slovenčina"),
    ("sl", "Slovenščina"),
    ("so", "Soomaali"),
    ("sq", "Shqip"),
    ("sr", "Српски"),
    ("sv", "Svenska"),
    ("ti", "ትግርኛ"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("ur", "اردو"),
    ("zh", "中文"),
];

impl LanguageTag {
    /// The language's name in itself, if known.
    pub fn endonym(&self) -> Option<&'static str> {
        ENDONYMS
            .iter()
            .find(|(l, _)| *l == self.primary())
            .map(|(_, n)| *n)
    }
}

impl fmt::Display for LanguageTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for LanguageTag {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_canonical_tags_and_suggests_case_fixes() {
        for ok in [
            "en",
            "sv",
            "pt-BR",
            "zh-Hant-TW",
            "es-419",
            "ckb",
            "sr-Latn",
        ] {
            assert!(LanguageTag::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(LanguageTag::parse("pt-br"), Err(Some("pt-BR".into())));
        assert_eq!(LanguageTag::parse("EN"), Err(Some("en".into())));
        assert_eq!(LanguageTag::parse("english"), Err(None));
        assert_eq!(LanguageTag::parse(""), Err(None));
        assert_eq!(LanguageTag::parse("en_GB"), Err(None));
    }

    #[test]
    fn knows_right_to_left_languages() {
        let rtl = |s| LanguageTag::parse(s).unwrap().is_rtl();
        assert!(rtl("ar") && rtl("fa") && rtl("he") && rtl("az-Arab"));
        assert!(!rtl("uk") && !rtl("en") && !rtl("el"));
    }
}
