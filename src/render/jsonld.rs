//! schema.org `LearningResource` JSON-LD for module pages, in the shape OER aggregators harvest:
//! the DINI-AG KIM "AMB" profile (its context maps plain schema.org terms, so general crawlers
//! read the same object).

use super::{Page, Site, license_url};
use crate::link::ModuleIdx;
use crate::vocab::{Level, Need, Subject};
use serde_json::{Value, json};

/// ISCED 2011 levels in the KIM educational-level vocabulary: levels 0–5 map one to one,
/// 6–8 to "University" (`level_A`).
fn kim_level(level: Level) -> String {
    match level.number() {
        n @ 0..=5 => format!("https://w3id.org/kim/educationalLevel/level_{n}"),
        _ => "https://w3id.org/kim/educationalLevel/level_A".into(),
    }
}

/// schema.org accessibility metadata derived from learner needs (W3C "Schema.org Accessibility
/// Properties for Discoverability" has no terms for the needs themselves).
fn accessibility(needs: &[Need]) -> (Vec<&'static str>, Vec<&'static str>, Vec<&'static str>) {
    let mut sufficient = Vec::new();
    // What the site itself provides on every page: headings, a table of contents, reading order.
    let mut features = vec!["structuralNavigation", "tableOfContents", "readingOrder"];
    let mut hazards = Vec::new();
    for need in needs {
        let (suff, feat, haz): (&[&str], &[&str], &[&str]) = match need {
            Need::Blind => (
                &["textual"],
                &["alternativeText", "longDescription", "describedMath"],
                &[],
            ),
            Need::LowVision => (
                &[],
                &[
                    "displayTransformability",
                    "highContrastDisplay",
                    "largePrint",
                ],
                &[],
            ),
            Need::Deaf | Need::HardOfHearing => (
                &["textual", "visual"],
                &["closedCaptions", "transcript", "signLanguage"],
                &[],
            ),
            Need::Motor => (&[], &["fullKeyboardControl"], &[]),
            Need::Dyslexia => (&[], &["displayTransformability", "ttsMarkup"], &[]),
            Need::Cognitive | Need::Autism => {
                (&[], &["structuralNavigation", "tableOfContents"], &[])
            }
            Need::Photosensitive => (&[], &[], &["noFlashingHazard", "noMotionSimulationHazard"]),
        };
        sufficient.extend(suff);
        features.extend(feat);
        hazards.extend(haz);
    }
    for list in [&mut sufficient, &mut features, &mut hazards] {
        list.sort_unstable();
        list.dedup();
    }
    (sufficient, features, hazards)
}

/// The JSON-LD of module `m` on its page in language `l`, ready for a `<script>` element.
pub fn module(site: &Site, l: usize, m: ModuleIdx, root: &str) -> String {
    let graph = &site.data.graph;
    let config = &site.data.config;
    let labels = &site.look.labels[l];
    let module = &graph.modules[m];
    let lang = site.lang(l);
    let url = |page: &Page| site.url(root, &site.path(page), true);
    let (title, _) = site.title(m, l);
    let summary = site
        .translation(m, l)
        .map_or(module.summary.as_str(), |t| t.summary.as_str());
    let translated_in: Vec<usize> = (0..site.look.labels.len())
        .filter(|&o| o == 0 || site.translation(m, o).is_some())
        .collect();
    let in_language: Vec<&str> = if l == 0 || site.translation(m, l).is_some() {
        vec![lang]
    } else {
        vec![site.lang(0)]
    };
    let license = module.license.as_deref().unwrap_or(&config.license);
    let levels: Vec<Value> = module
        .levels
        .iter()
        .map(|level| {
            // The formal ISCED name: harvesters match the term, not the school's word for it.
            let name = labels.isced(*level);
            json!({
                "id": kim_level(*level),
                "type": "DefinedTerm",
                "termCode": level.number().to_string(),
                "name": name,
                "prefLabel": { labels.isced_lang(*level).unwrap_or(lang): name },
                "inDefinedTermSet": "https://w3id.org/kim/isced-2011/",
            })
        })
        .collect();
    let about: Vec<Value> = module
        .subjects
        .iter()
        .map(|s| {
            let mut term = json!({
                "id": url(&Page::Facet(l, super::Facet::Subject(s.clone()))),
                "type": "DefinedTerm",
                "name": labels.subject(s),
                "prefLabel": { lang: labels.subject(s) },
            });
            if let Subject::School(school) = s {
                term["termCode"] = json!(school.isced_f());
                term["inDefinedTermSet"] = json!("ISCED-F 2013");
            }
            term
        })
        .collect();
    let teaches: Vec<Value> = module
        .competences
        .iter()
        .map(|c| {
            json!({
                "type": "DefinedTerm",
                "termCode": c.key(),
                "name": labels.competence(*c),
                "inDefinedTermSet": "DigCompEdu (JRC, 2017)",
            })
        })
        .collect();
    let (sufficient, features, hazards) = accessibility(&module.needs);
    let mut ld = json!({
        "@context": ["https://w3id.org/kim/amb/context.jsonld", { "@language": in_language[0] }],
        "id": url(&Page::Module(l, m)),
        "type": ["LearningResource"],
        "name": title,
        "description": summary,
        "inLanguage": in_language,
        "license": { "id": license_url(license) },
        "educationalLevel": levels,
        "about": about,
        "accessMode": ["textual", "visual"],
        "accessibilityFeature": features,
        "isAccessibleForFree": true,
        "learningResourceType": "guideline",
        "isPartOf": { "id": url(&Page::Home(l)), "name": labels.book_title() },
    });
    let obj = ld.as_object_mut().expect("json! object");
    if !teaches.is_empty() {
        obj.insert("teaches".into(), json!(teaches));
    }
    let (keywords, _) = site.keywords(m, l);
    if !keywords.is_empty() {
        obj.insert("keywords".into(), json!(keywords));
    }
    if let Some(updated) = site.updated(m, l) {
        obj.insert("dateModified".into(), json!(updated));
    }
    if !module.authors.is_empty() {
        let authors: Vec<Value> = module
            .authors
            .iter()
            .map(|a| json!({ "type": "Organization", "name": a }))
            .collect();
        obj.insert("creator".into(), json!(authors));
    }
    if !sufficient.is_empty() {
        obj.insert(
            "accessModeSufficient".into(),
            json!([{ "type": "ItemList", "itemListElement": sufficient }]),
        );
    }
    obj.insert(
        "accessibilityHazard".into(),
        json!(if hazards.is_empty() {
            vec!["unknown"]
        } else {
            hazards
        }),
    );
    if !module.needs.is_empty() {
        let needs: Vec<&str> = module.needs.iter().map(|n| labels.need(*n)).collect();
        obj.insert(
            "accessibilitySummary".into(),
            json!(format!("{}: {}", labels.string("needs"), needs.join(", "))),
        );
    }
    if l == 0 {
        let translations: Vec<Value> = translated_in
            .iter()
            .filter(|&&o| o != 0)
            .map(|&o| json!({ "id": url(&Page::Module(o, m)), "inLanguage": site.lang(o) }))
            .collect();
        if !translations.is_empty() {
            obj.insert("workTranslation".into(), json!(translations));
        }
    } else if site.translation(m, l).is_some() {
        obj.insert(
            "translationOfWork".into(),
            json!({ "id": url(&Page::Module(0, m)), "inLanguage": site.lang(0) }),
        );
    }
    super::script::json(&ld)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kim_levels() {
        assert_eq!(
            kim_level(Level::Isced1),
            "https://w3id.org/kim/educationalLevel/level_1"
        );
        assert_eq!(
            kim_level(Level::Isced7),
            "https://w3id.org/kim/educationalLevel/level_A"
        );
    }

    #[test]
    fn accessibility_from_needs() {
        let (sufficient, features, hazards) = accessibility(&[Need::Deaf, Need::Photosensitive]);
        assert_eq!(sufficient, ["textual", "visual"]);
        assert!(features.contains(&"closedCaptions") && features.contains(&"structuralNavigation"));
        assert_eq!(hazards, ["noFlashingHazard", "noMotionSimulationHazard"]);
    }
}
