//! A translated site: heading ids aligned across languages (W014 where they cannot be),
//! translated keywords and dates, and the notices translators and readers see.

mod common;
use common::{Fixture, Site};
use handbok::render::BuildOptions;
use scraper::{Html, Selector};

fn build(fixture: &Fixture) -> Site {
    fixture.build(&BuildOptions::default())
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// The texts of the elements `selector` finds, whitespace-normalized.
fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn attr(doc: &Html, selector: &str, name: &str) -> Option<String> {
    doc.select(&sel(selector))
        .next()
        .and_then(|e| e.value().attr(name))
        .map(str::to_string)
}

/// Resolves a page-relative `href` against the page's site path.
fn resolve(page: &str, href: &str) -> String {
    let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let target = if path.is_empty() {
        page.to_string()
    } else {
        parts.join("/")
    };
    format!("{target}#{fragment}")
}

#[test]
fn translated_headings_take_the_source_ids_so_anchor_links_work() {
    let site = build(&Fixture::new("translated-site"));
    // A `guide:x#why` link on a Swedish page reaches the Swedish heading, whose text differs.
    let y = site.html("sv/modules/y.html");
    let links: Vec<String> = y
        .select(&sel("main .content a"))
        .map(|a| resolve("sv/modules/y.html", a.value().attr("href").unwrap()))
        .collect();
    assert_eq!(links, ["sv/modules/x.html#why", "sv/modules/x.html#tools"]);
    let x = site.html("sv/modules/x.html");
    assert_eq!(
        texts(&x, "main .content h2#why"),
        ["Varför textning spelar roll"]
    );
    assert_eq!(texts(&x, "main .content h3#tools"), ["Verktyg"]);
    // The in-page link and the table of contents use the aligned ids too.
    assert_eq!(
        attr(&x, "main .content p a", "href").as_deref(),
        Some("#tools")
    );
    assert_eq!(attr(&x, "nav.toc a", "href").as_deref(), Some("#why"));
    // Where the outline differs, the translation keeps its own ids.
    let de = site.html("de/modules/x.html");
    assert_eq!(
        texts(&de, "main .content h2[id]").len(),
        2,
        "{}",
        site.text("de/modules/x.html")
    );
    assert!(de.select(&sel("main .content #why")).next().is_none());
}

#[test]
fn a_differing_outline_is_reported_at_the_first_differing_heading() {
    let mut checked = Fixture::new("translated-site").check();
    checked
        .expect_with(
            "W014",
            "translations/de/x.md:10:1",
            "heading `Werkzeuge` (level 2) does not match the source's heading `Tools` (level 3)",
        )
        .no_more();
    // The source heading it should match is named with its place.
    let d = checked
        .project
        .diags
        .iter()
        .find(|d| d.code.as_str() == "W014")
        .unwrap();
    let also: Vec<_> = d.secondary.iter().map(|s| s.message.as_str()).collect();
    assert_eq!(also, ["the source heading it should match"]);
}

#[test]
fn a_translation_of_matching_outline_needs_no_explicit_ids() {
    let fixture = Fixture::copy("translated-site");
    // Before alignment, this link from a Swedish page gave W007.
    fixture.write(
        "translations/sv/z.md",
        "---\ntitle: Syntolkning\nsummary: Att beskriva det som syns.\n---\n\n## Början\n\nSe [verktyg](guide:x#tools).\n",
    );
    fixture
        .check()
        .expect("W014", "translations/de/x.md:10:1")
        .no_more();
}

#[test]
fn translations_set_their_own_keywords_and_dates() {
    let fixture = Fixture::copy("translated-site");
    let site = build(&fixture);
    let sv_x = site.html("sv/modules/x.html");
    let meta = texts(&sv_x, "aside.meta dd");
    assert!(meta.contains(&"textning, film".to_string()), "{meta:?}");
    assert_eq!(
        attr(&sv_x, "aside.meta time", "datetime").as_deref(),
        Some("2024-03-01")
    );
    // A translation without a date shows the source's (documented), an untranslated page too.
    let sv_y = site.html("sv/modules/y.html");
    assert_eq!(
        attr(&sv_y, "aside.meta time", "datetime").as_deref(),
        Some("2025-05-01")
    );
    // German has no keywords of its own: the English ones, marked as English.
    let de_x = site.html("de/modules/x.html");
    let dd = de_x
        .select(&sel("aside.meta dd[lang=en]"))
        .map(|e| e.text().collect::<String>())
        .collect::<Vec<_>>();
    assert_eq!(dd, ["captions, video"]);

    // JSON-LD.
    let ld: serde_json::Value = serde_json::from_str(
        &sv_x
            .select(&sel("script[type='application/ld+json']"))
            .next()
            .unwrap()
            .inner_html(),
    )
    .unwrap();
    assert_eq!(ld["dateModified"], "2024-03-01");
    assert_eq!(ld["keywords"], serde_json::json!(["textning", "film"]));

    // Feeds: the Swedish entry of x carries the Swedish date, and sorts by it.
    let feed = site.text("sv/feed.xml");
    let entries: Vec<(&str, &str)> = feed
        .split("<entry")
        .skip(1)
        .map(|e| {
            let id = e.split("<id>").nth(1).unwrap().split('<').next().unwrap();
            let updated = e
                .split("<updated>")
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap();
            (id.rsplit('/').next().unwrap(), updated)
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("y.html", "2025-05-01T00:00:00Z"),
            ("x.html", "2024-03-01T00:00:00Z"),
            ("z.html", "2024-01-01T00:00:00Z"),
        ]
    );
    assert!(site.text("en/feed.xml").contains("2025-06-01T00:00:00Z"));
    assert!(
        site.text("sitemap.xml")
            .contains("<loc>https://example.org/t/sv/modules/x.html</loc>")
    );
    let sitemap_sv_x = site
        .text("sitemap.xml")
        .split("<url>")
        .find(|u| u.contains("<loc>https://example.org/t/sv/modules/x.html</loc>"))
        .unwrap()
        .to_string();
    assert!(
        sitemap_sv_x.contains("<lastmod>2024-03-01</lastmod>"),
        "{sitemap_sv_x}"
    );
}

#[test]
fn keywords_and_updated_are_allowed_in_translations_but_not_other_metadata() {
    let fixture = Fixture::copy("translated-site");
    fixture.edit("translations/sv/y.md", |t| {
        t.replacen(
            "---\n",
            "---\nkeywords: [a]\nupdated: 2024-13-01\nlevels: [primary]\n",
            1,
        )
    });
    fixture
        .check()
        .expect("E024", "translations/sv/y.md:3:10")
        .expect_with("E017", "translations/sv/y.md:4:1", "`levels`")
        .expect("W014", "translations/de/x.md:10:1")
        .no_more();
}

/// (hreflang, text, target page) of the links in the fallback notice of `page`.
fn notice_links(site: &Site, page: &str) -> Vec<(String, String, String)> {
    site.html(page)
        .select(&sel("main .notice a"))
        .map(|a| {
            let href = a.value().attr("href").unwrap();
            (
                a.value().attr("hreflang").unwrap_or("").to_string(),
                a.text().collect(),
                resolve(page, href),
            )
        })
        .collect()
}

#[test]
fn the_fallback_notice_lists_the_languages_the_module_exists_in() {
    let site = build(&Fixture::new("translated-site"));
    let link = |lang: &str, name: &str, page: &str| (lang.into(), name.into(), page.into());
    assert_eq!(
        notice_links(&site, "de/modules/y.html"),
        [
            link("en", "English", "en/modules/y.html#"),
            link("sv", "Svenska", "sv/modules/y.html#"),
        ]
    );
    assert_eq!(
        notice_links(&site, "sv/modules/z.html"),
        [link("en", "English", "en/modules/z.html#")]
    );
    let notice = texts(&site.html("de/modules/y.html"), "main .notice");
    assert!(
        notice[0].contains("Verfügbar in: English, Svenska"),
        "{notice:?}"
    );
    // Translated pages have no notice.
    assert!(notice_links(&site, "sv/modules/y.html").is_empty());
}

#[test]
fn each_language_home_says_how_much_is_translated() {
    let site = build(&Fixture::new("translated-site"));
    assert_eq!(
        texts(&site.html("sv/index.html"), "main .coverage"),
        // The language's name as a Swedish sentence writes it (issue 10).
        ["2 av 3 moduler är översatta till svenska."]
    );
    assert_eq!(
        texts(&site.html("de/index.html"), "main .coverage"),
        ["1 von 3 Modulen liegen in der Sprache Deutsch vor."]
    );
    assert!(texts(&site.html("en/index.html"), "main .coverage").is_empty());
    // Without `status-page`, there is no status page and no link to one.
    assert!(!site.files.contains_key("en/translation-status.html"));
    assert!(
        !site
            .text("sv/index.html")
            .contains("translation-status.html")
    );
}

#[test]
fn the_status_page_shows_every_translation_when_enabled() {
    let fixture = Fixture::copy("translated-site");
    fixture.edit("book.toml", |t| {
        t.replace("[handbok]\n", "[handbok]\nstatus-page = true\n")
    });
    let site = build(&fixture);
    for lang in ["en", "sv", "de"] {
        let page = format!("{lang}/translation-status.html");
        assert!(site.files.contains_key(&page), "{page}");
        // Linked from every page's footer, and from the home's coverage line.
        let home = format!("{lang}/index.html");
        let footer: Vec<String> = site
            .html(&home)
            .select(&sel("footer a"))
            .map(|a| resolve(&home, a.value().attr("href").unwrap()))
            .collect();
        assert!(footer.contains(&format!("{page}#")), "{footer:?}");
    }
    let coverage_link = site
        .html("sv/index.html")
        .select(&sel("main .coverage a"))
        .map(|a| resolve("sv/index.html", a.value().attr("href").unwrap()))
        .collect::<Vec<_>>();
    assert_eq!(coverage_link, ["sv/translation-status.html#"]);
    assert!(!site.text("sitemap.xml").contains("translation-status"));

    let page = "en/translation-status.html";
    let doc = site.html(page);
    assert_eq!(texts(&doc, "main h2"), ["Svenska", "Deutsch"]);
    // An accessible meter, named by its language's heading, and the same as text.
    let meters: Vec<(String, String, String)> = doc
        .select(&sel("main meter"))
        .map(|m| {
            let v = m.value();
            let label = v.attr("aria-labelledby").unwrap();
            assert!(doc.select(&sel(&format!("h2#{label}"))).next().is_some());
            (
                v.attr("value").unwrap().into(),
                v.attr("max").unwrap().into(),
                label.into(),
            )
        })
        .collect();
    assert_eq!(
        meters,
        [
            ("2".into(), "3".into(), "status-sv".into()),
            ("1".into(), "3".into(), "status-de".into())
        ]
    );
    assert_eq!(
        texts(&doc, "main .coverage"),
        [
            "2 of 3 modules 2 of 3 modules",
            "1 of 3 modules 1 of 3 modules"
        ]
    );
    // Missing modules link to the text to translate and name the file to create.
    let missing: Vec<Vec<(String, String)>> = doc
        .select(&sel("main section"))
        .map(|s| {
            s.select(&sel("ul.missing li"))
                .map(|li| {
                    let a = li.select(&sel("a")).next().unwrap();
                    let code = li.select(&sel("code")).next().unwrap();
                    (
                        resolve(page, a.value().attr("href").unwrap()),
                        code.text().collect(),
                    )
                })
                .collect()
        })
        .collect();
    let entry = |p: &str, f: &str| (p.to_string(), f.to_string());
    assert_eq!(
        missing,
        [
            vec![entry("en/modules/z.html#", "translations/sv/z.md")],
            vec![
                entry("en/modules/y.html#", "translations/de/y.md"),
                entry("en/modules/z.html#", "translations/de/z.md")
            ],
        ]
    );
}

#[test]
fn untranslated_interface_text_is_marked_as_english() {
    let fixture = Fixture::copy("translated-site");
    fixture
        .edit("book.toml", |t| {
            t.replace(
                r#"languages = ["en", "sv", "de"]"#,
                r#"languages = ["en", "sv", "de", "pl"]"#,
            )
        })
        .write(
            "translations/pl/ui.yaml",
            "strings:\n  home: Strona główna\nlevels:\n  isced-1: Szkoła podstawowa\n",
        );
    let site = build(&fixture);
    let home = site.html("pl/index.html");
    assert_eq!(home.root_element().value().attr("lang"), Some("pl"));
    // Polish lacks these: they are in English and say so.
    assert_eq!(texts(&home, "a.skip span[lang=en]"), ["Skip to content"]);
    assert_eq!(texts(&home, "main .coverage span[lang=en]").len(), 1);
    // What Polish has is not marked.
    let nav: Vec<_> = home
        .select(&sel("header nav a"))
        .map(|a| a.inner_html())
        .collect();
    assert_eq!(nav[0], "Strona główna");
    // The fallback notice of an untranslated module, too.
    let y = site.html("pl/modules/y.html");
    assert_eq!(texts(&y, "main .notice > span[lang=en]").len(), 2);
    // Vocabulary labels too: a level Polish has, a subject it lacks.
    let x = site.html("pl/modules/x.html");
    let terms: Vec<(String, Option<String>)> = x
        .select(&sel("aside.meta dd a"))
        .filter(|a| {
            let href = a.value().attr("href").unwrap();
            href.contains("/levels/") || href.contains("/subjects/")
        })
        .map(|a| {
            (
                a.text().collect(),
                a.value().attr("lang").map(str::to_string),
            )
        })
        .collect();
    assert_eq!(
        terms,
        [
            ("Szkoła podstawowa".to_string(), None),
            ("Arts".to_string(), Some("en".to_string()))
        ]
    );
    // The book and handbook titles are the source language's until ui.yaml translates them.
    assert_eq!(attr(&home, "a.brand", "lang").as_deref(), Some("en"));
    assert_eq!(attr(&home, "main .cards a", "lang").as_deref(), Some("en"));
    // A language with built-in text has no interface string to mark.
    let sv = site.html("sv/index.html");
    assert!(
        sv.select(&sel("header span[lang=en], main h2 span[lang=en]"))
            .next()
            .is_none()
    );
    assert_eq!(attr(&sv, "a.brand", "lang").as_deref(), Some("en"));
    // The source language marks nothing.
    let en = site.html("en/index.html");
    assert!(
        en.select(&sel("main [lang], a.brand[lang], footer [lang]"))
            .next()
            .is_none()
    );
}

#[test]
fn an_exported_translation_keeps_the_aligned_heading_ids() {
    let fixture = Fixture::new("translated-site");
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("book-sv");
    let (project, chapters) = handbok::export::mdbook(&fixture.root, "all", Some("sv"), &dir);
    assert_eq!(chapters, Some(3), "{:?}", project.diags);
    let x = std::fs::read_to_string(dir.join("src/x.md")).unwrap();
    assert!(x.contains("## Varför textning spelar roll {#why}\n"), "{x}");
    assert!(x.contains("### Verktyg {#tools}\n"), "{x}");
    let y = std::fs::read_to_string(dir.join("src/y.md")).unwrap();
    assert!(y.contains("](x.md#why)"), "{y}");
    // Source chapters are exported as written.
    let z = std::fs::read_to_string(dir.join("src/z.md")).unwrap();
    assert!(z.contains("## Start\n"), "{z}");
}

#[test]
fn a_translations_keywords_feed_its_languages_search_index() {
    let site = build(&Fixture::new("translated-site"));
    // Every word of a language's index, as the shards hold them (`"word"`).
    let indexed = |lang: &str, word: &str| {
        let quoted = format!("\"{word}\"");
        site.files.keys().any(|path| {
            path.starts_with(&format!("{lang}/search/s-")) && site.text(path).contains(&quoted)
        })
    };
    assert!(indexed("sv", "film"));
    assert!(!indexed("sv", "captions"), "the source's keywords stay out");
    // German sets none: the source's keywords stand in.
    assert!(indexed("de", "captions"));
}

/// A stale translation says so, with the date of the source version it was made from (here
/// from the `.handbok/sources/` store: the copy has no git history), and the coordinators'
/// status page lists it.
#[test]
fn a_stale_translation_carries_a_dated_notice_and_is_listed_for_coordinators() {
    let fixture = Fixture::sample();
    fixture.edit("book.toml", |t| {
        t.replace("[handbok]\n", "[handbok]\nstatus-page = true\n")
    });
    let site = build(&fixture);
    let page = site.html("sv/modules/digital-wellbeing.html");
    let notice = texts(&page, "main .notice").join(" ");
    assert!(
        notice.contains("från 17 februari 2025, som har ändrats sedan dess"),
        "{notice}"
    );
    // The date is a <time> element with the ISO date for machines.
    assert_eq!(
        attr(&page, "main .notice time", "datetime").as_deref(),
        Some("2025-02-17")
    );
    assert_eq!(
        attr(&page, "main .notice a", "href").as_deref(),
        Some("../../en/modules/digital-wellbeing.html")
    );
    // Its date is that of the text it was made from, never the newer source's (2026-11-30).
    let jsonld = texts(&page, "script[type=\"application/ld+json\"]").join("");
    assert!(
        jsonld.contains("\"dateModified\":\"2025-02-17\""),
        "{jsonld}"
    );
    assert!(!site.text("sv/feed.xml").contains("2026-11-30"));
    // A current translation has no such notice.
    let current = site.html("sv/modules/captions-and-transcripts.html");
    assert!(texts(&current, "main .notice").is_empty());
    let status = site.html("en/translation-status.html");
    let stale = texts(&status, "section[aria-labelledby=status-sv] ul.stale a");
    assert_eq!(
        stale,
        ["Digitalt välbefinnande i den dagliga undervisningen"],
        "sv lists its stale module"
    );
}
