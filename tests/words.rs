//! Teachers' words (issue 10): the sample site in Swedish, German, French and Ukrainian says
//! levels the way schools do (the ISCED name beside them), writes dates and country names the
//! reader's way, shows each translation's keywords, and names languages in sentences as the
//! language does ("översatta till svenska").

mod common;
use common::{Fixture, Site};
use handbok::render::BuildOptions;
use scraper::{Html, Selector};

fn sample() -> (Fixture, Site) {
    let fixture = Fixture::sample();
    let site = fixture.build(&BuildOptions::default());
    (fixture, site)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// The whitespace-normalized texts of the elements `selector` finds.
fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .map(|e| e.text().collect::<Vec<_>>().join(" "))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

fn attrs(doc: &Html, selector: &str, name: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .filter_map(|e| e.value().attr(name).map(str::to_string))
        .collect()
}

/// The text of the module page's metadata value after the `<dt>` saying `term`.
fn meta(doc: &Html, term: &str) -> String {
    let dt = doc
        .select(&sel("aside.meta dt"))
        .find(|dt| dt.text().collect::<String>() == term)
        .unwrap_or_else(|| panic!("no <dt>{term}</dt>"));
    let dd = dt.next_siblings().find_map(scraper::ElementRef::wrap);
    text_of(dd.expect("a <dd> after the <dt>"))
}

fn text_of(e: scraper::ElementRef) -> String {
    let t = e.text().collect::<Vec<_>>().join(" ");
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn levels_are_the_words_schools_use_with_the_isced_name_as_secondary_text() {
    let (_fixture, site) = sample();
    // online-safety is for primary, lower and upper secondary.
    let cases = [
        (
            "sv",
            ["Grundskola åk 1–6", "Grundskola åk 7–9", "Gymnasieskola"],
            "Primärutbildning (ISCED 1)",
        ),
        (
            "de",
            ["Grundschule", "Sekundarstufe I", "Sekundarstufe II"],
            "Primarbereich (ISCED 1)",
        ),
        (
            "fr",
            ["École élémentaire", "Collège", "Lycée"],
            "Enseignement primaire (ISCED 1)",
        ),
        (
            "uk",
            [
                "Початкова школа (1–4 кл.)",
                "Базова середня освіта (5–9 кл.)",
                "Профільна середня освіта",
            ],
            "Початкова освіта (ISCED 1)",
        ),
    ];
    for (lang, short, formal) in cases {
        let page = site.html(&format!("{lang}/modules/online-safety.html"));
        let levels = page
            .select(&sel("aside.meta dd ul"))
            .next()
            .expect("levels list");
        let links: Vec<String> = levels.select(&sel("li > a")).map(text_of).collect();
        assert_eq!(links, short, "{lang}");
        let secondary: Vec<String> = levels
            .select(&sel("li > small.formal"))
            .map(text_of)
            .collect();
        assert_eq!(secondary.len(), 3, "{lang}");
        assert_eq!(secondary[0], formal, "{lang}");

        // The level's own page: the short label as title, the formal name under it.
        let facet = site.html(&format!("{lang}/levels/primary.html"));
        assert_eq!(texts(&facet, "h1"), [short[0]], "{lang}");
        assert_eq!(texts(&facet, "p.formal"), [formal], "{lang}");

        // Home and filters: short labels, the formal name as their title.
        let home = site.html(&format!("{lang}/index.html"));
        let term = home
            .select(&sel("ul.terms a"))
            .find(|a| text_of(*a) == short[0])
            .unwrap_or_else(|| panic!("{lang}: no `{}` on the home page", short[0]));
        assert_eq!(term.value().attr("title"), Some(formal));
        let browse = site.html(&format!("{lang}/modules.html"));
        assert!(
            attrs(&browse, "form.filters label[title]", "title").contains(&formal.to_string()),
            "{lang}"
        );
        assert!(
            texts(&browse, "form.filters label").contains(&short[0].to_string()),
            "{lang}"
        );
    }
    // English pages too, and the JSON-LD names the defined term formally.
    let en = site.html("en/modules/online-safety.html");
    let ld: serde_json::Value = serde_json::from_str(
        &en.select(&sel("script[type='application/ld+json']"))
            .next()
            .unwrap()
            .inner_html(),
    )
    .unwrap();
    assert_eq!(ld["educationalLevel"][0]["name"], "Primary education");
    assert_eq!(
        texts(&en, "aside.meta dd ul li > a")[..3],
        ["Primary", "Lower secondary", "Upper secondary"]
    );
}

#[test]
fn a_project_overrides_level_labels_in_ui_yaml_and_a_bad_key_is_reported() {
    let fixture = Fixture::sample();
    fixture.edit("translations/sv/ui.yaml", |text| {
        format!(
            "{text}levels:\n  primary: Lågstadiet och mellanstadiet\nlevels-isced:\n  \
             isced-1: Primär nivå\n  isced-9: Något annat\n"
        )
    });
    let lines = std::fs::read_to_string(fixture.root.join("translations/sv/ui.yaml")).unwrap();
    let line = lines.lines().position(|l| l.contains("isced-9")).unwrap() + 1;
    let mut checked = fixture.check();
    checked.expect_with(
        "E027",
        &format!("translations/sv/ui.yaml:{line}:3"),
        "unknown key `isced-9` in `levels-isced`",
    );
    // The override itself is valid.
    let e027: Vec<_> = checked.found.iter().filter(|f| f.code == "E027").collect();
    assert!(e027.is_empty(), "{}", checked.dump());

    let site = fixture.build(&BuildOptions::default());
    let page = site.html("sv/modules/online-safety.html");
    assert_eq!(
        texts(&page, "aside.meta dd ul li > a")[0],
        "Lågstadiet och mellanstadiet"
    );
    assert_eq!(
        texts(&page, "aside.meta dd ul li > small.formal")[0],
        "Primär nivå (ISCED 1)"
    );
    // Only Swedish changed.
    let de = site.html("de/modules/online-safety.html");
    assert_eq!(texts(&de, "aside.meta dd ul li > a")[0], "Grundschule");
}

#[test]
fn the_help_of_a_misspelt_level_key_suggests_the_right_one() {
    let fixture = Fixture::sample();
    fixture.edit("translations/de/ui.yaml", |text| {
        format!("{text}levels:\n  isced-11: Grundschule\n")
    });
    let checked = fixture.check();
    let e027: Vec<_> = checked.found.iter().filter(|f| f.code == "E027").collect();
    assert_eq!(e027.len(), 1, "{}", checked.dump());
    assert_eq!(e027[0].message, "unknown key `isced-11` in `levels`");
    assert_eq!(e027[0].help.as_deref(), Some("did you mean `isced-1`?"));
}

#[test]
fn dates_are_written_the_readers_way_in_a_time_element() {
    let (_fixture, site) = sample();
    let cases = [
        ("sv", "14 oktober 2025"),
        ("de", "14. Oktober 2025"),
        ("fr", "14 octobre 2025"),
        ("en", "October 14, 2025"),
    ];
    for (lang, want) in cases {
        let page = site.html(&format!("{lang}/modules/ai-in-teaching.html"));
        let time = page.select(&sel("aside.meta time")).next().expect("time");
        assert_eq!(time.value().attr("datetime"), Some("2025-10-14"), "{lang}");
        assert_eq!(text_of(time), want, "{lang}");
        // The home page's recent list: every date is a <time> with readable text.
        let home = site.html(&format!("{lang}/index.html"));
        let recent: Vec<_> = home.select(&sel("ul.modules time")).collect();
        assert!(!recent.is_empty(), "{lang}");
        for time in recent {
            let iso = time.value().attr("datetime").unwrap();
            assert_ne!(text_of(time), iso, "{lang}: ISO text on the home page");
        }
    }
    // Feeds keep machine dates.
    assert!(site.text("de/feed.xml").contains("<updated>2025-"));
}

#[test]
fn country_names_are_in_the_readers_language() {
    let (_fixture, site) = sample();
    let cases = [
        ("en", "Sweden", "European Union"),
        ("sv", "Sverige", "Europeiska unionen"),
        ("de", "Schweden", "Europäische Union"),
        ("fr", "Suède", "Union européenne"),
        ("uk", "Швеція", "Європейський Союз"),
    ];
    let term = |lang: &str| match lang {
        "en" => "Country",
        "sv" => "Land",
        "de" => "Land",
        "fr" => "Pays",
        _ => "Країна",
    };
    for (lang, sweden, eu) in cases {
        let page = site.html(&format!("{lang}/modules/captions-and-transcripts.html"));
        assert_eq!(meta(&page, term(lang)), sweden, "{lang}");
        let page = site.html(&format!("{lang}/modules/ai-in-teaching.html"));
        assert_eq!(meta(&page, term(lang)), eu, "{lang}");
    }
}

#[test]
fn translated_pages_show_their_own_keywords() {
    let (_fixture, site) = sample();
    let cases = [
        ("sv", "artificiell intelligens"),
        ("de", "künstliche Intelligenz"),
        ("fr", "intelligence artificielle"),
    ];
    for (lang, first) in cases {
        let page = site.html(&format!("{lang}/modules/ai-in-teaching.html"));
        let dd = page
            .select(&sel("aside.meta dd"))
            .find(|dd| text_of(*dd).starts_with(first))
            .unwrap_or_else(|| panic!("{lang}: no keywords starting with {first}"));
        assert_eq!(dd.value().attr("lang"), None, "{lang}");
        let ld: serde_json::Value = serde_json::from_str(
            &page
                .select(&sel("script[type='application/ld+json']"))
                .next()
                .unwrap()
                .inner_html(),
        )
        .unwrap();
        assert_eq!(ld["keywords"][0], first, "{lang}");
    }
    // Not translated into Ukrainian: the English keywords, marked as English.
    let uk = site.html("uk/modules/ai-in-teaching.html");
    let dd = uk
        .select(&sel("aside.meta dd[lang=en]"))
        .find(|dd| text_of(*dd).starts_with("artificial intelligence"));
    assert!(dd.is_some());
    // Translated into Ukrainian: its own.
    let uk = site.html("uk/modules/online-safety.html");
    assert!(
        texts(&uk, "aside.meta dd")
            .iter()
            .any(|t| t.starts_with("кібербулінг"))
    );
}

#[test]
fn language_names_are_lower_case_mid_sentence_where_the_language_writes_them_so() {
    let (_fixture, site) = sample();
    let cases = [
        ("sv", "översatta till svenska."),
        ("fr", "sont traduits en français."),
        ("uk", "перекладено мовою: українська."),
        ("de", "in der Sprache Deutsch vor."),
    ];
    for (lang, want) in cases {
        let home = site.html(&format!("{lang}/index.html"));
        let coverage = texts(&home, "p.coverage").join(" ");
        assert!(coverage.contains(want), "{lang}: {coverage}");
    }
    // The notice over a module not translated into Ukrainian names the language in a sentence.
    let uk = site.html("uk/modules/ai-in-teaching.html");
    let notice = texts(&uk, "p.notice").join(" ");
    assert!(notice.contains("(українська)"), "{notice}");
    // The language menu keeps the names as the languages call themselves.
    let sv = site.html("sv/index.html");
    let names: Vec<String> = sv
        .select(&sel("[hreflang]"))
        .map(text_of)
        .filter(|t| t == "Svenska" || t == "Français")
        .collect();
    assert!(!names.is_empty(), "the language menu");
}

#[test]
fn a_date_in_a_notice_is_a_time_element_and_the_string_around_it_stays_text() {
    let fixture = Fixture::sample();
    // A translator's string with markup in it: shown as text, never as HTML.
    fixture.edit("translations/sv/ui.yaml", |text| {
        format!("{text}strings:\n  stale-translation-dated: \"<b>{{source-language}}</b> {{date}} <script>x</script>\"\n")
    });
    let site = fixture.build(&BuildOptions::default());
    let page = site.html("sv/modules/digital-wellbeing.html");
    let notice = page
        .select(&sel("main .notice"))
        .next()
        .expect("stale notice");
    assert_eq!(notice.select(&sel("b, script")).count(), 0);
    assert!(text_of(notice).starts_with("<b>English</b> 17 februari 2025 <script>x</script>"));
    let time = notice.select(&sel("time")).next().expect("<time>");
    assert_eq!(time.value().attr("datetime"), Some("2025-02-17"));
    assert_eq!(text_of(time), "17 februari 2025");
}
