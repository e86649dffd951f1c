//! Words, folding and stems: how text becomes index terms. The browser applies the same
//! `words` and `fold` rules to a query (`themes/default/search.js` mirrors them; the browser
//! suite checks both on the same vectors), but never stems: stemming happens here, once.

use icu_normalizer::{ComposingNormalizerBorrowed, DecomposingNormalizerBorrowed};
use rust_stemmers::{Algorithm, Stemmer};
use std::borrow::Cow;
use unicode_segmentation::UnicodeSegmentation as _;

/// Splits text into lower-case words, the same way the browser splits a query: a word is a
/// run of grapheme clusters that start with a letter or digit, so combining marks (Devanagari
/// vowel signs, Arabic harakat) stay inside their word, while apostrophes and dots split
/// (`l'école` → `l`, `école`; `3.5` → `3`, `5`); each Han or kana character is a word of its
/// own, since those scripts do not separate words by spaces.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, out: &mut Vec<String>| {
        if !current.is_empty() {
            out.push(current.to_lowercase());
            current.clear();
        }
    };
    for grapheme in text.graphemes(true) {
        let first = grapheme.chars().next().unwrap_or(' ');
        if is_cjk(first) {
            flush(&mut current, &mut out);
            out.push(grapheme.to_lowercase());
        } else if first.is_alphanumeric() {
            current.push_str(grapheme);
        } else {
            flush(&mut current, &mut out);
        }
    }
    flush(&mut current, &mut out);
    out
}

/// Han ideographs and Japanese kana (the ranges search.js uses too).
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// Folds a lower-case word so that a query typed without accents finds the accented text
/// ("evaluation" → "évaluation", "barrierefreiheit" ↔ "Barrierefreiheit"): the word is
/// decomposed (NFD), the combining diacritics of Latin, Greek and Cyrillic letters
/// (U+0300–U+036F) are dropped, a few letters without a decomposition are spelled out
/// (ß → ss, æ → ae, œ → oe, ø → o, ł → l, đ → d), and the rest is composed again (NFC). Marks
/// of other scripts (Devanagari vowel signs, Arabic harakat) are in other blocks and stay: they
/// are letters there, not accents.
pub fn fold(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        return Cow::Borrowed(word);
    }
    let decomposed = DecomposingNormalizerBorrowed::new_nfd().normalize(word);
    let mut plain = String::with_capacity(decomposed.len());
    for c in decomposed.chars() {
        match c {
            '\u{300}'..='\u{36f}' => {}
            'ß' => plain.push_str("ss"),
            'æ' => plain.push_str("ae"),
            'œ' => plain.push_str("oe"),
            'ø' => plain.push('o'),
            'ł' => plain.push('l'),
            'đ' => plain.push('d'),
            c => plain.push(c),
        }
    }
    Cow::Owned(
        ComposingNormalizerBorrowed::new_nfc()
            .normalize(&plain)
            .into_owned(),
    )
}

/// How a language's words are reduced to index terms.
pub enum Stemming {
    /// A Snowball stemmer (`rust-stemmers`).
    Snowball(Stemmer),
    /// For languages without one: the folded word cut to its first [`TRUNCATE`] characters.
    Truncate,
}

/// Characters a word keeps under [`Stemming::Truncate`]. Measured on the sample's Ukrainian (a
/// language rich in endings, like the Slavic and Baltic languages this serves) with the 14
/// Ukrainian queries of `tests/search/queries.yaml`: whole words 11/14, cut to 7 or 6
/// characters 13/14, to 5 or 4 14/14. Five keeps more apart than four ("навча" vs "навчи").
pub const TRUNCATE: usize = 5;

impl Stemming {
    /// The stemming of the language with primary subtag `primary`.
    pub fn of(primary: &str) -> Stemming {
        let algorithm = match primary {
            "ar" => Algorithm::Arabic,
            "da" => Algorithm::Danish,
            "nl" => Algorithm::Dutch,
            "en" => Algorithm::English,
            "fi" => Algorithm::Finnish,
            "fr" => Algorithm::French,
            "de" => Algorithm::German,
            "el" => Algorithm::Greek,
            "hu" => Algorithm::Hungarian,
            "it" => Algorithm::Italian,
            "nb" | "nn" | "no" => Algorithm::Norwegian,
            "pt" => Algorithm::Portuguese,
            "ro" => Algorithm::Romanian,
            "ru" => Algorithm::Russian,
            "es" => Algorithm::Spanish,
            "sv" => Algorithm::Swedish,
            "ta" => Algorithm::Tamil,
            "tr" => Algorithm::Turkish,
            _ => return Stemming::Truncate,
        };
        Stemming::Snowball(Stemmer::create(algorithm))
    }

    /// The index term of a lower-case word, folded. Snowball sees the word with its accents
    /// (its rules need them); the stem is folded afterwards.
    pub fn stem(&self, word: &str) -> String {
        match self {
            Stemming::Snowball(s) => fold(&s.stem(word)).into_owned(),
            Stemming::Truncate => fold(word).chars().take(TRUNCATE).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_cased_unicode_words() {
        let w = words("Läs mer: Übung, “ÉCOLE” і Школа 2025!");
        assert_eq!(w, ["läs", "mer", "übung", "école", "і", "школа", "2025"]);
    }

    #[test]
    fn words_split_like_the_browser_does() {
        assert_eq!(
            words("l'école d’été, 3.5"),
            ["l", "école", "d", "été", "3", "5"]
        );
        // Combining marks stay in their word.
        assert_eq!(words("हिन्दी भाषा"), ["हिन्दी", "भाषा"]);
        assert_eq!(words("مُعَلِّم"), ["مُعَلِّم"]);
        // Each ideograph is a word.
        assert_eq!(words("数字教育ok"), ["数", "字", "教", "育", "ok"]);
    }

    /// The same vectors as the browser suite's folding check.
    #[test]
    fn folding_drops_accents_but_not_other_scripts_marks() {
        for (word, folded) in [
            ("évaluation", "evaluation"),
            ("bedömning", "bedomning"),
            ("straße", "strasse"),
            ("łódź", "lodz"),
            ("øre", "ore"),
            ("cœur", "coeur"),
            ("přístupnost", "pristupnost"),
            ("їжак", "іжак"),
            ("ψυχή", "ψυχη"),
            ("हिन्दी", "हिन्दी"),
            ("مُعَلِّم", "مُعَلِّم"),
            ("plain", "plain"),
        ] {
            assert_eq!(fold(word), folded, "{word}");
        }
    }

    #[test]
    fn languages_without_a_stemmer_truncate() {
        let pl = Stemming::of("pl");
        assert_eq!(pl.stem("nauczycielami"), "naucz");
        assert_eq!(pl.stem("nauczyciel"), "naucz");
        assert_eq!(pl.stem("klasa"), "klasa");
        assert_eq!(pl.stem("łódź"), "lodz");
        let uk = Stemming::of("uk");
        assert_eq!(uk.stem("навчання"), uk.stem("навчанням"));
    }

    #[test]
    fn snowball_stems_are_folded() {
        for lang in ["en", "sv", "de", "fr", "fi", "da", "nl", "nb"] {
            assert!(
                matches!(Stemming::of(lang), Stemming::Snowball(_)),
                "{lang}"
            );
        }
        let sv = Stemming::of("sv");
        assert_eq!(sv.stem("skolorna"), sv.stem("skolor"));
        assert_eq!(sv.stem("bedömningen"), "bedomning");
        let fr = Stemming::of("fr");
        assert_eq!(fr.stem("évaluations"), fr.stem("évaluation"));
        assert!(fr.stem("évaluation").starts_with("evalu"));
    }
}
