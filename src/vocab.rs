//! The controlled vocabularies of the content model: ISCED 2011 levels, school subjects, learner
//! needs, DigCompEdu competences and module status.
//!
//! Front matter strings become these typed values in `check`; everything after works with enums,
//! never strings. Labels in each language live in `i18n`, keyed by [`Term`].

use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// Declares a closed vocabulary: an enum, its stable keys and `ALL` in declaration order (which is
/// the order facet pages and metadata panels list them in).
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $key:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The key used in front matter, `ui.yaml` and URLs.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn keys() -> impl Iterator<Item = &'static str> + Clone {
                Self::ALL.iter().map(|v| v.key())
            }

            fn from_key(s: &str) -> Option<Self> {
                match s { $($key => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.key())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.key())
            }
        }
    };
}

vocabulary! {
    /// ISCED 2011 levels of education. The key is the `isced-N` code; authors may also write the
    /// level's name (see [`Level::NAMES`]).
    Level {
        Isced0 => "isced-0",
        Isced1 => "isced-1",
        Isced2 => "isced-2",
        Isced3 => "isced-3",
        Isced4 => "isced-4",
        Isced5 => "isced-5",
        Isced6 => "isced-6",
        Isced7 => "isced-7",
        Isced8 => "isced-8",
    }
}

impl Level {
    /// Names accepted in front matter besides the codes, in level order.
    pub const NAMES: [&'static str; 9] = [
        "early-childhood",
        "primary",
        "lower-secondary",
        "upper-secondary",
        "post-secondary",
        "short-cycle-tertiary",
        "bachelor",
        "master",
        "doctoral",
    ];

    /// Accepts a code (`isced-1`) or a name (`primary`).
    pub fn parse(s: &str) -> Option<Level> {
        Level::from_key(s).or_else(|| {
            Level::NAMES
                .iter()
                .position(|n| *n == s)
                .map(|i| Level::ALL[i])
        })
    }

    /// The ISCED level number, 0–8.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// The name form (`primary`): readable in URLs and file names.
    pub fn name(self) -> &'static str {
        Level::NAMES[self as usize]
    }

    /// Every spelling an author may use, for "did you mean" suggestions.
    pub fn spellings() -> impl Iterator<Item = &'static str> + Clone {
        Level::keys().chain(Level::NAMES)
    }
}

vocabulary! {
    /// The built-in school subject vocabulary (after Eurydice/OECD instruction-time categories).
    SchoolSubject {
        Languages => "languages",
        ForeignLanguages => "foreign-languages",
        Mathematics => "mathematics",
        NaturalSciences => "natural-sciences",
        SocialSciences => "social-sciences",
        Arts => "arts",
        PhysicalEducation => "physical-education",
        ReligionEthics => "religion-ethics",
        Technology => "technology",
        Vocational => "vocational",
        CrossCurricular => "cross-curricular",
    }
}

impl SchoolSubject {
    pub fn parse(s: &str) -> Option<Self> {
        Self::from_key(s)
    }

    /// The closest ISCED-F 2013 field, for export to harvesters that expect it.
    pub fn isced_f(self) -> &'static str {
        use SchoolSubject::*;
        match self {
            Languages => "0232",
            ForeignLanguages => "0231",
            Mathematics => "0541",
            NaturalSciences => "05",
            SocialSciences => "03",
            Arts => "021",
            PhysicalEducation => "1014",
            ReligionEthics => "0221",
            Technology => "06",
            Vocational => "07",
            CrossCurricular => "00",
        }
    }
}

/// A subject: a built-in term or one a project adds in `book.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    School(SchoolSubject),
    Project(Arc<str>),
}

impl Subject {
    pub fn key(&self) -> &str {
        match self {
            Subject::School(s) => s.key(),
            Subject::Project(s) => s,
        }
    }
}

impl Serialize for Subject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

vocabulary! {
    /// Learner needs a module addresses. schema.org has no terms for several of them, so handbok
    /// keeps needs and derives accessibility metadata from them.
    Need {
        Blind => "blind",
        LowVision => "low-vision",
        Deaf => "deaf",
        HardOfHearing => "hard-of-hearing",
        Motor => "motor",
        Dyslexia => "dyslexia",
        Cognitive => "cognitive",
        Autism => "autism",
        Photosensitive => "photosensitive",
    }
}

impl Need {
    pub fn parse(s: &str) -> Option<Self> {
        Self::from_key(s)
    }
}

vocabulary! {
    /// Publication status. Drafts are checked but only built with `--drafts`.
    Status {
        Draft => "draft",
        Review => "review",
        Published => "published",
    }
}

impl Status {
    pub fn parse(s: &str) -> Option<Self> {
        Self::from_key(s)
    }
}

/// A DigCompEdu competence, `area.number` (JRC 2017: 6 areas, 22 competences).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Competence {
    area: u8,
    number: u8,
}

impl Competence {
    /// How many competences each of the six areas has.
    const PER_AREA: [u8; 6] = [4, 3, 4, 3, 3, 5];

    pub fn parse(s: &str) -> Option<Competence> {
        let (area, number) = s.split_once('.')?;
        let area: u8 = area.parse().ok()?;
        let number: u8 = number.parse().ok()?;
        let max = *Competence::PER_AREA.get(usize::from(area).checked_sub(1)?)?;
        (number >= 1 && number <= max && !s.starts_with('0')).then_some(Competence { area, number })
    }

    pub fn all() -> impl Iterator<Item = Competence> {
        (1..=6u8).flat_map(|area| {
            (1..=Competence::PER_AREA[usize::from(area - 1)])
                .map(move |number| Competence { area, number })
        })
    }

    pub fn area(self) -> u8 {
        self.area
    }

    pub fn key(self) -> String {
        format!("{}.{}", self.area, self.number)
    }
}

impl fmt::Display for Competence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.area, self.number)
    }
}

impl Serialize for Competence {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_accept_codes_and_names() {
        assert_eq!(Level::parse("isced-1"), Some(Level::Isced1));
        assert_eq!(Level::parse("primary"), Some(Level::Isced1));
        assert_eq!(Level::parse("doctoral"), Some(Level::Isced8));
        assert_eq!(Level::parse("isced-9"), None);
        assert_eq!(Level::parse("Primary"), None);
        assert_eq!(Level::Isced3.name(), "upper-secondary");
    }

    #[test]
    fn digcompedu_has_22_competences() {
        assert_eq!(Competence::all().count(), 22);
        for (text, ok) in [
            ("1.1", true),
            ("1.4", true),
            ("1.5", false),
            ("3.4", true),
            ("3.5", false),
            ("6.5", true),
            ("7.1", false),
            ("0.1", false),
            ("2", false),
            ("2.0", false),
            ("02.1", false),
            ("x.1", false),
        ] {
            assert_eq!(Competence::parse(text).is_some(), ok, "{text}");
        }
    }

    #[test]
    fn every_subject_has_an_isced_f_field() {
        for s in SchoolSubject::ALL {
            assert!(!s.isced_f().is_empty());
        }
    }
}
