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
    each_word(text, &mut |word| out.push(word.to_string()));
    out
}

/// Calls `f` with each word of `text`, as [`words`] splits it, without a string per word.
///
/// Grapheme segmentation was half of building the search indexes (`perf` at 5,000 modules ×
/// 4 languages: `words` 14 % of the whole build), and most text is of characters that are
/// graphemes of their own ([`alone`]: ASCII, and Latin, Greek and Cyrillic letters without
/// combining marks). Such text is split by characters, whole. Other text is cut at its ASCII
/// spaces between ASCII characters (such a space is a grapheme with a boundary on each side:
/// no mark can attach to it, and it attaches to nothing), and only the pieces with other
/// characters in them are segmented.
pub fn each_word(text: &str, f: &mut dyn FnMut(&str)) {
    let mut word = String::new();
    if text.chars().all(alone) {
        runs(text, &mut word, f);
        return;
    }
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_whitespace()
            && (i == 0 || bytes[i - 1].is_ascii())
            && bytes.get(i + 1).is_none_or(u8::is_ascii)
        {
            piece(&text[start..i], &mut word, f);
            start = i + 1;
        }
    }
    piece(&text[start..], &mut word, f);
}

/// The words of a piece of text that starts and ends at grapheme boundaries.
fn piece(text: &str, word: &mut String, f: &mut dyn FnMut(&str)) {
    if text.chars().all(alone) {
        runs(text, word, f);
        return;
    }
    for grapheme in text.graphemes(true) {
        let first = grapheme.chars().next().unwrap_or(' ');
        if is_cjk(first) {
            flush(word, f);
            f(&grapheme.to_lowercase());
        } else if first.is_alphanumeric() {
            word.push_str(grapheme);
        } else {
            flush(word, f);
        }
    }
    flush(word, f);
}

/// The words of text whose every character is [`alone`]: its runs of letters and digits,
/// each handed on lower-cased (a character at a time into a string, this was a third of the
/// indexes' time).
fn runs(text: &str, word: &mut String, f: &mut dyn FnMut(&str)) {
    if text.is_ascii() {
        let letters = text.bytes().map(|b| b.is_ascii_alphanumeric()).enumerate();
        split_runs(text, letters, word, f);
    } else {
        let letters = text.char_indices().map(|(i, c)| (i, c.is_alphanumeric()));
        split_runs(text, letters, word, f);
    }
}

/// [`runs`], given where each character starts and whether it is a letter or digit.
fn split_runs(
    text: &str,
    letters: impl Iterator<Item = (usize, bool)>,
    word: &mut String,
    f: &mut dyn FnMut(&str),
) {
    let mut start = None;
    for (i, letter) in letters {
        match (letter, start) {
            (true, None) => start = Some(i),
            (false, Some(from)) => {
                lowered(&text[from..i], word, f);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        lowered(&text[from..], word, f);
    }
}

/// Hands on `run` lower-cased: where it stands when it has no capitals, else in `word`.
/// Lower case is per character, but for the Greek capital sigma, whose small form depends on
/// its place in the word: a word with one is lower-cased whole.
fn lowered(run: &str, word: &mut String, f: &mut dyn FnMut(&str)) {
    if run.is_ascii() {
        if !run.bytes().any(|b| b.is_ascii_uppercase()) {
            return f(run);
        }
        word.push_str(run);
        word.make_ascii_lowercase();
    } else if run.contains('Σ') {
        return f(&run.to_lowercase());
    } else {
        word.extend(run.chars().flat_map(char::to_lowercase));
    }
    f(word);
    word.clear();
}

/// Whether `c` is a grapheme of its own wherever it stands: a character of the Latin, Greek
/// and Cyrillic blocks without combining marks (those are U+0300–U+036F and U+0483–U+0489,
/// outside these ranges), or the dashes, quotes and other punctuation of U+2010–U+2027 and
/// U+2030–U+205E (not the joiners and controls around them), which joins with nothing and
/// which nothing here joins. A text of such characters (most European text) is split by
/// characters, without segmentation.
fn alone(c: char) -> bool {
    matches!(c, '\0'..='\u{7f}' | '\u{a0}'..='\u{2ff}' | '\u{370}'..='\u{482}' | '\u{48a}'..='\u{52f}' | '\u{1e00}'..='\u{1fff}' | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205e}')
}

/// Hands on the word gathered so far, lower-cased as a whole (a Greek final sigma depends on
/// its place in the word).
fn flush(word: &mut String, f: &mut dyn FnMut(&str)) {
    if word.is_empty() {
        return;
    }
    if word.is_ascii() {
        word.make_ascii_lowercase();
        f(word);
    } else {
        f(&word.to_lowercase());
    }
    word.clear();
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

    /// Cutting the text at spaces between ASCII characters splits it as segmenting it whole
    /// would: marks after a space, CR LF, scripts with marks, ideographs, emoji.
    #[test]
    fn words_of_pieces_are_words_of_the_whole() {
        fn whole(text: &str) -> Vec<String> {
            let mut out = Vec::new();
            let mut current = String::new();
            for grapheme in text.graphemes(true) {
                let first = grapheme.chars().next().unwrap_or(' ');
                if is_cjk(first) {
                    if !current.is_empty() {
                        out.push(current.to_lowercase());
                        current.clear();
                    }
                    out.push(grapheme.to_lowercase());
                } else if first.is_alphanumeric() {
                    current.push_str(grapheme);
                } else if !current.is_empty() {
                    out.push(current.to_lowercase());
                    current.clear();
                }
            }
            if !current.is_empty() {
                out.push(current.to_lowercase());
            }
            out
        }
        for text in [
            "Plain ASCII text, with punctuation: and 3.5 numbers!",
            "a \u{301}b c\u{308} d",
            "line\r\nnext\rend\n",
            " \u{900}क ख\u{94d} ग",
            "हिन्दी भाषा and English",
            "مُعَلِّم  x",
            "数字 教育ok 😀 a👩‍💻b 🇸🇪 x",
            "ΟΔΟΣ ΣΟΦΊΑΣ a",
            "\u{600}1 x \u{600} 2",
            "\t\u{200d}a b\u{200d} \u{1100}\u{1161} x",
            "Läs mer: Übung, «École» і Школа ҈ x\u{483} ё\u{308} ǅemal ΆΣΟΣ ᾯ",
            "a\u{2bc}b c\u{2019}d e\u{a0}f\u{ad}g",
            "ÉCOLE Übung ÅSA İstanbul ШКОЛА ΣΣ Σa aΣ ΌΣΟΣ. ẞ ǈ Ⅻ ½ 3²",
            "“Quoted”—dash–ed ‘x’ a…b † ‰ ‹y› \u{2028}z\u{200b}w \u{2060}v\u{200d}u",
        ] {
            assert_eq!(words(text), whole(text), "{text:?}");
        }
    }

    /// A run of letters is lower-cased as `str::to_lowercase` does, for every letter that is a
    /// grapheme of its own, alone and between others.
    #[test]
    fn runs_are_lower_cased_as_whole_strings() {
        let mut word = String::new();
        for c in ('\0'..='\u{1fff}').filter(|&c| alone(c) && c.is_alphanumeric()) {
            for run in [
                c.to_string(),
                format!("a{c}"),
                format!("{c}a"),
                format!("Σ{c}Σ"),
            ] {
                let mut got = Vec::new();
                lowered(&run, &mut word, &mut |w| got.push(w.to_string()));
                assert_eq!(got, [run.to_lowercase()], "{run:?}");
                assert!(word.is_empty());
            }
        }
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
