//! Heading ids across languages: a translation's outline (its headings' levels, in order)
//! against its source's → the translation's headings without `{#id}` take the source
//! headings' ids, so `guide:ID#anchor` and `#anchor` links reach the same section in every
//! language without translators copying every id by hand.
//!
//! Only outlines that match exactly are aligned: pairing headings by position in outlines that
//! differ would send links to the wrong section, which is worse than a link to the page's top.

use crate::model::Body;

/// Where two outlines first differ: indexes into the translation's and the source's headings
/// (`None` where that document has no more headings).
#[derive(Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub translation: Option<usize>,
    pub source: Option<usize>,
}

/// The ids `translation`'s headings are published with: those without an explicit id take the
/// ids of `source`'s headings at the same places, when both outlines match. An explicit `{#id}`
/// always stands, and so does a derived id whose source id another heading of the translation
/// already takes explicitly. `Ok(None)`: every heading is explicit, nothing to align. `Err`:
/// where the outlines first differ (then the translation keeps its own ids).
pub fn align(source: &Body, translation: &Body) -> Result<Option<Vec<String>>, Mismatch> {
    if translation.headings.iter().all(|h| h.explicit) {
        return Ok(None);
    }
    if let Some(mismatch) = first_difference(source, translation) {
        return Err(mismatch);
    }
    let explicit: Vec<&str> = translation
        .headings
        .iter()
        .filter(|h| h.explicit)
        .map(|h| h.id.as_str())
        .collect();
    let ids = translation
        .headings
        .iter()
        .zip(&source.headings)
        .map(|(t, s)| {
            if !t.explicit && !explicit.contains(&s.id.as_str()) {
                s.id.clone()
            } else {
                t.id.clone()
            }
        })
        .collect();
    Ok(Some(ids))
}

/// The first place where the two outlines differ in level or in length.
fn first_difference(source: &Body, translation: &Body) -> Option<Mismatch> {
    let (s, t) = (&source.headings, &translation.headings);
    if let Some(i) = s.iter().zip(t).position(|(a, b)| a.level != b.level) {
        return Some(Mismatch {
            translation: Some(i),
            source: Some(i),
        });
    }
    let common = s.len().min(t.len());
    (s.len() != t.len()).then(|| Mismatch {
        translation: (t.len() > common).then_some(common),
        source: (s.len() > common).then_some(common),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Heading;

    /// (level, id, explicit) of each heading.
    type Outline<'a> = &'a [(u8, &'a str, bool)];

    fn body(headings: Outline) -> Body {
        Body {
            headings: headings
                .iter()
                .map(|&(level, id, explicit)| Heading {
                    level,
                    id: id.into(),
                    explicit,
                    text: id.into(),
                    span: 0..0,
                })
                .collect(),
            ..Body::default()
        }
    }

    fn ids(source: &Body, t: &Body) -> Vec<String> {
        align(source, t)
            .expect("outlines match")
            .unwrap_or_else(|| t.headings.iter().map(|h| h.id.clone()).collect())
    }

    #[test]
    fn matching_outlines_take_the_source_ids_except_explicit_ones() {
        let source = body(&[(2, "why", true), (3, "how", false), (2, "tools", false)]);
        let t = body(&[
            (2, "varfor", false),
            (3, "own", true),
            (2, "verktyg", false),
        ]);
        assert_eq!(ids(&source, &t), ["why", "own", "tools"]);
    }

    #[test]
    fn an_explicit_id_elsewhere_keeps_its_derived_neighbour() {
        let source = body(&[(2, "a", false), (2, "b", false)]);
        let t = body(&[(2, "x", false), (2, "a", true)]);
        assert_eq!(ids(&source, &t), ["x", "a"]);
    }

    #[test]
    fn differing_outlines_are_left_alone_and_reported() {
        let source = body(&[(2, "a", false), (2, "b", false)]);
        let cases: [(Outline, Option<usize>, Option<usize>); 3] = [
            (&[(2, "x", false), (3, "y", false)], Some(1), Some(1)),
            (&[(2, "x", false)], None, Some(1)),
            (
                &[(2, "x", false), (2, "y", false), (2, "z", false)],
                Some(2),
                None,
            ),
        ];
        for (headings, translation, src) in cases {
            let t = body(headings);
            assert_eq!(
                align(&source, &t),
                Err(Mismatch {
                    translation,
                    source: src
                }),
                "{headings:?}"
            );
        }
    }

    #[test]
    fn fully_explicit_translations_need_no_alignment() {
        let source = body(&[(2, "a", false)]);
        let t = body(&[(2, "a", true), (2, "b", true)]);
        assert_eq!(align(&source, &t), Ok(None));
    }
}
