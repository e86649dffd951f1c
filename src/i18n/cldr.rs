//! What the Unicode CLDR says about writing for a reader of one language: a date the way that
//! language writes it ("1. März 2026", "1 березня 2026 р.") and a country's name in it
//! (`SE` → "Schweden", "Suède"). Takes a language tag, gives text; a language the data does not
//! cover gets `None`, and callers show the ISO date or the country code instead.
//!
//! Dates come from ICU4X's compiled CLDR data (Gregorian long date pattern only: the smallest
//! data set that writes a date correctly in every language), country names from `keshvar`,
//! whose translations are CLDR's territory names. Neither is a table kept by hand here.

use crate::lang::LanguageTag;
use icu_calendar::{Date, Gregorian};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::YMD;
use icu_locale_core::Locale;

type DateFormatter = FixedCalendarDateTimeFormatter<Gregorian, YMD>;

/// A language's CLDR formats, built once per build (or per `serve` theme load).
pub struct Cldr {
    /// The primary language subtag, the key of `keshvar`'s translations.
    primary: String,
    /// `None` when CLDR has no date patterns for the language.
    dates: Option<DateFormatter>,
}

impl Cldr {
    pub fn new(lang: &LanguageTag) -> Cldr {
        Cldr {
            primary: lang.primary().to_string(),
            dates: formatter(lang.as_str()).filter(|f| !is_root(f)),
        }
    }

    /// `2026-03-01` written the reader's way, or `None` (show the ISO date) when the date does
    /// not parse or the language has no CLDR date data.
    pub fn date(&self, iso: &str) -> Option<String> {
        let (y, m, d) = parse_iso(iso)?;
        let date = Date::try_new_gregorian(y, m, d).ok()?;
        Some(self.dates.as_ref()?.format(&date).to_string())
    }

    /// The name of the country with ISO 3166-1 alpha-2 code `code` in the reader's language.
    pub fn country(&self, code: &str) -> Option<String> {
        let alpha2 = keshvar::Alpha2::try_from(code.to_ascii_uppercase().as_str()).ok()?;
        let country = alpha2.to_country();
        let name = country.translations().get(self.primary.as_str()).copied();
        name.map(str::to_string)
    }
}

fn formatter(tag: &str) -> Option<DateFormatter> {
    let locale: Locale = tag.parse().ok()?;
    DateFormatter::try_new(locale.into(), YMD::long()).ok()
}

/// Whether `f` writes dates the way CLDR's root locale does ("2026 M03 1"): what ICU4X falls
/// back to for a language it has no data for. Such a language is better served by ISO dates.
fn is_root(f: &DateFormatter) -> bool {
    let probe = Date::try_new_gregorian(2026, 3, 1);
    match (probe, formatter("und")) {
        (Ok(date), Some(root)) => f.format(&date).to_string() == root.format(&date).to_string(),
        _ => false,
    }
}

/// `YYYY-MM-DD` (what `updated` holds once checked) as numbers.
fn parse_iso(iso: &str) -> Option<(i32, u8, u8)> {
    let mut parts = iso.get(..10)?.splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    Some((y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cldr(tag: &str) -> Cldr {
        Cldr::new(&LanguageTag::parse(tag).unwrap())
    }

    #[test]
    fn dates_in_the_readers_language() {
        let cases = [
            ("sv", "1 mars 2026"),
            ("de", "1. März 2026"),
            ("fr", "1 mars 2026"),
            ("uk", "1 березня 2026\u{202f}р."),
            ("en", "March 1, 2026"),
            ("de-AT", "1. März 2026"),
            ("en-GB", "1 March 2026"),
        ];
        for (tag, want) in cases {
            assert_eq!(cldr(tag).date("2026-03-01").as_deref(), Some(want), "{tag}");
        }
        assert_eq!(cldr("de").date("2026-02-30"), None);
        assert_eq!(cldr("de").date("soon"), None);
    }

    #[test]
    fn languages_without_date_data_get_none() {
        assert_eq!(cldr("tlh").date("2026-03-01"), None);
    }

    #[test]
    fn country_names_in_the_readers_language() {
        assert_eq!(cldr("de").country("SE").as_deref(), Some("Schweden"));
        assert_eq!(cldr("fr").country("SE").as_deref(), Some("Suède"));
        assert_eq!(cldr("sv").country("DE").as_deref(), Some("Tyskland"));
        assert_eq!(cldr("uk").country("SE").as_deref(), Some("Швеція"));
        assert_eq!(cldr("de").country("XX"), None);
    }
}
