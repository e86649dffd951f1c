//! `handbok build` on fixture projects: the written site, parsed and checked.

mod common;
use common::{Fixture, Site, read_tree};
use handbok::render::{BuildOptions, templates};
use scraper::Selector;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn build(fixture: &Fixture, options: &BuildOptions) -> Site {
    fixture.build(options)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// `target` (a relative URL) resolved against the folder of `page`; `None` for external URLs.
fn resolve(page: &str, target: &str) -> Option<(String, String)> {
    if target.contains(':') || target.starts_with("//") {
        return None;
    }
    let (path, fragment) = target.split_once('#').unwrap_or((target, ""));
    if path.is_empty() {
        return Some((page.to_string(), fragment.to_string()));
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for segment in path.split('/') {
        match segment {
            ".." => {
                assert!(
                    parts.pop().is_some(),
                    "{target} climbs out of the site from {page}"
                );
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let decoded = parts.join("/").replace("%20", " ");
    Some((decoded, fragment.to_string()))
}

#[test]
fn every_module_in_every_language() {
    let site = build(&Fixture::new("site"), &BuildOptions::default());
    for lang in ["en", "sv", "de"] {
        for id in ["alpha", "beta"] {
            assert!(
                site.files
                    .contains_key(&format!("{lang}/modules/{id}.html")),
                "{lang}/{id}"
            );
        }
        // gamma is a draft: built only with --drafts.
        assert!(
            !site
                .files
                .contains_key(&format!("{lang}/modules/gamma.html"))
        );
        for page in [
            "index.html",
            "modules.html",
            "404.html",
            "feed.xml",
            "handbooks/picked.html",
            "print/picked.html",
            "levels/primary.html",
            "subjects/media-education.html",
            "needs/dyslexia.html",
        ] {
            assert!(
                site.files.contains_key(&format!("{lang}/{page}")),
                "{lang}/{page}"
            );
        }
    }
    for root in ["index.html", "404.html", "sitemap.xml", ".handbok-output"] {
        assert!(site.files.contains_key(root), "{root}");
    }
    let drafts = build(
        &Fixture::new("site"),
        &BuildOptions {
            drafts: true,
            ..Default::default()
        },
    );
    assert!(drafts.files.contains_key("sv/modules/gamma.html"));
}

#[test]
fn every_internal_link_and_asset_resolves() {
    let site = build(&Fixture::new("site"), &BuildOptions::default());
    let refs = sel("a[href], link[href], img[src], script[src]");
    let mut checked = 0;
    for page in site.pages() {
        let doc = site.html(page);
        for element in doc.select(&refs) {
            let value = element.value();
            let target = value.attr("href").or(value.attr("src")).unwrap();
            let Some((file, fragment)) = resolve(page, target) else {
                continue;
            };
            assert!(
                site.files.contains_key(&file),
                "{page}: {target} → {file} does not exist"
            );
            if !fragment.is_empty() && file.ends_with(".html") {
                let target_doc = site.html(&file);
                let id = sel(&format!("[id=\"{fragment}\"]"));
                assert!(
                    target_doc.select(&id).next().is_some(),
                    "{page}: {target} → no #{fragment} in {file}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} references checked");
}

#[test]
fn fallback_notices_appear_exactly_where_a_translation_is_missing() {
    let site = build(&Fixture::new("site"), &BuildOptions::default());
    let notice = sel("main .notice");
    for (page, missing) in [
        ("en/modules/alpha.html", false),
        ("en/modules/beta.html", false),
        ("sv/modules/alpha.html", false),
        ("sv/modules/beta.html", false),
        ("de/modules/alpha.html", false),
        ("de/modules/beta.html", true),
    ] {
        let doc = site.html(page);
        assert_eq!(doc.select(&notice).next().is_some(), missing, "{page}");
    }
    // The untranslated page says which language its content is in.
    let beta = site.html("de/modules/beta.html");
    let h1 = beta.select(&sel("main h1")).next().unwrap();
    assert_eq!(h1.value().attr("lang"), Some("en"));
    assert_eq!(
        beta.select(&sel("main .content"))
            .next()
            .unwrap()
            .value()
            .attr("lang"),
        Some("en")
    );
    assert_eq!(beta.root_element().value().attr("lang"), Some("de"));
    // Links to it from German pages say so, and carry the language.
    let alpha = site.html("de/modules/alpha.html");
    let link = alpha
        .select(&sel("main .content a"))
        .find(|a| a.value().attr("href") == Some("../../de/modules/beta.html"))
        .expect("link to beta");
    assert_eq!(link.value().attr("hreflang"), Some("en"));
    assert!(
        link.text().collect::<String>().contains("Beta module"),
        "empty link text is the title"
    );
    assert!(link.select(&sel(".untranslated")).next().is_some());
    // A translated target needs no note.
    let sv = site.html("sv/modules/alpha.html");
    let link = sv
        .select(&sel("main .content a"))
        .find(|a| a.value().attr("href") == Some("../../sv/modules/beta.html"))
        .unwrap();
    assert_eq!(link.text().collect::<String>(), "Betamodul");
    assert!(link.value().attr("hreflang").is_none());
}

#[test]
fn hreflang_sets_are_complete_and_symmetric() {
    let site = build(&Fixture::new("site"), &BuildOptions::default());
    let alternates = sel("link[rel=alternate][hreflang]");
    let mut sets: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for page in site.pages().filter(|p| p.contains('/')) {
        let doc = site.html(page);
        let set: BTreeMap<String, String> = doc
            .select(&alternates)
            .map(|l| {
                // The fixture has a site URL, so alternates are absolute.
                let href = l.value().attr("href").unwrap();
                let file = href
                    .strip_prefix("https://example.org/guides/")
                    .expect("absolute")
                    .to_string();
                (l.value().attr("hreflang").unwrap().to_string(), file)
            })
            .collect();
        let langs: BTreeSet<&str> = set.keys().map(String::as_str).collect();
        assert_eq!(
            langs,
            BTreeSet::from(["de", "en", "sv", "x-default"]),
            "{page}"
        );
        let own = page.split('/').next().unwrap();
        assert_eq!(
            &set[own], page,
            "{page} lists itself under its own language"
        );
        sets.insert(page.clone(), set);
    }
    for (page, set) in &sets {
        for (lang, other) in set {
            assert_eq!(
                sets.get(other),
                Some(set),
                "{page} → {lang} {other}: the sets differ"
            );
        }
    }
}

#[test]
fn json_ld_parses_and_carries_the_learning_resource_fields() {
    let site = build(&Fixture::new("site"), &BuildOptions::default());
    let doc = site.html("sv/modules/alpha.html");
    let script = doc
        .select(&sel("script[type=\"application/ld+json\"]"))
        .next()
        .expect("JSON-LD");
    let ld: serde_json::Value = serde_json::from_str(&script.inner_html()).expect("valid JSON");
    assert_eq!(ld["@context"][0], "https://w3id.org/kim/amb/context.jsonld");
    assert_eq!(ld["@context"][1]["@language"], "sv");
    assert_eq!(ld["type"][0], "LearningResource");
    assert_eq!(ld["id"], "https://example.org/guides/sv/modules/alpha.html");
    assert_eq!(ld["name"], "Alfamodul");
    assert_eq!(ld["inLanguage"][0], "sv");
    assert_eq!(
        ld["license"]["id"],
        "https://creativecommons.org/publicdomain/zero/1.0/"
    );
    assert_eq!(ld["dateModified"], "2025-02-28");
    assert_eq!(
        ld["educationalLevel"][0]["id"],
        "https://w3id.org/kim/educationalLevel/level_1"
    );
    assert_eq!(ld["educationalLevel"][0]["type"], "DefinedTerm");
    assert!(ld["educationalLevel"][0]["prefLabel"]["sv"].is_string());
    assert_eq!(ld["about"].as_array().unwrap().len(), 2);
    assert_eq!(ld["teaches"][0]["termCode"], "3.1");
    let features: Vec<&str> = ld["accessibilityFeature"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        features.contains(&"ttsMarkup"),
        "dyslexia → ttsMarkup: {features:?}"
    );
    assert!(ld["accessibilityHazard"].is_array());
    assert_eq!(
        ld["translationOfWork"]["id"],
        "https://example.org/guides/en/modules/alpha.html"
    );
    let en = site.html("en/modules/alpha.html");
    let en_ld: serde_json::Value = serde_json::from_str(
        &en.select(&sel("script[type=\"application/ld+json\"]"))
            .next()
            .unwrap()
            .inner_html(),
    )
    .unwrap();
    let translations: Vec<&str> = en_ld["workTranslation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["inLanguage"].as_str().unwrap())
        .collect();
    assert_eq!(translations, ["sv", "de"]);
}

#[test]
fn sitemap_and_feeds_are_well_formed() {
    let site = build(&Fixture::new("site"), &BuildOptions::default());
    let sitemap = String::from_utf8(site.files["sitemap.xml"].clone()).unwrap();
    assert!(sitemap.contains("<loc>https://example.org/guides/sv/modules/alpha.html</loc>"));
    assert!(sitemap.contains("<xhtml:link rel=\"alternate\" hreflang=\"de\" href=\"https://example.org/guides/de/modules/alpha.html\"/>"));
    assert!(!sitemap.contains("gamma"));
    let feed = String::from_utf8(site.files["sv/feed.xml"].clone()).unwrap();
    assert!(feed.contains("<title>Alfamodul</title>"));
    assert!(feed.contains("<updated>2025-02-28T00:00:00Z</updated>"));
    for xml in [&sitemap, &feed] {
        assert_eq!(xml.matches('<').count(), xml.matches('>').count());
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let fixture = Fixture::new("site");
    let first = build(&fixture, &BuildOptions::default());
    let second = build(&fixture, &BuildOptions::default());
    assert_eq!(first.files.len(), second.files.len());
    for (path, bytes) in &first.files {
        assert!(
            second.files.get(path) == Some(bytes),
            "{path} differs between builds"
        );
    }
}

#[test]
fn a_failing_build_leaves_the_previous_output_untouched() {
    let fixture = Fixture::copy("site");
    let out = fixture.root.join("book");
    let (_, stats) = handbok::build::build(&fixture.root, None, &BuildOptions::default());
    assert!(stats.is_some());
    let before = read_tree(&out);
    // Break one module: the build must fail and write nothing.
    fixture.write(
        "guidelines/school/beta.md",
        "---\nid: beta\ntitle: Beta\n---\n\nText.\n",
    );
    let (project, stats) = handbok::build::build(&fixture.root, None, &BuildOptions::default());
    assert!(stats.is_none() && project.diags.has_errors());
    assert_eq!(read_tree(&out), before);
    // No staging folders are left behind.
    let names: Vec<String> = std::fs::read_dir(&fixture.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("handbok-new")),
        "{names:?}"
    );
}

#[test]
fn a_link_to_an_unbuilt_draft_fails_the_build() {
    // In `valid`, beta is a draft and alpha links to it.
    let fixture = Fixture::new("valid");
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("site");
    let (project, stats) =
        handbok::build::build(&fixture.root, Some(&out), &BuildOptions::default());
    assert!(stats.is_none());
    assert!(!out.exists(), "nothing is written");
    let codes: Vec<&str> = project.diags.iter().map(|d| d.code.as_str()).collect();
    assert!(
        codes.iter().all(|c| *c == "E031") && codes.len() >= 3,
        "{codes:?}"
    );
    let (_, stats) = handbok::build::build(
        &fixture.root,
        Some(&out),
        &BuildOptions {
            drafts: true,
            ..Default::default()
        },
    );
    assert!(stats.is_some());
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let fixture = Fixture::new("site");
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("precious");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("thesis.docx"), "years of work").unwrap();
    let (project, stats) =
        handbok::build::build(&fixture.root, Some(&out), &BuildOptions::default());
    assert!(stats.is_none());
    assert!(project.diags.iter().any(|d| d.code.as_str() == "E033"));
    assert_eq!(
        std::fs::read_to_string(out.join("thesis.docx")).unwrap(),
        "years of work"
    );
}

#[test]
fn print_pages_hold_every_module_with_unique_ids() {
    let site = build(&Fixture::new("site"), &BuildOptions::default());
    let doc = site.html("sv/print/picked.html");
    let sections: Vec<&str> = doc
        .select(&sel("section.print-module"))
        .map(|s| s.value().attr("id").unwrap())
        .collect();
    assert_eq!(sections, ["beta", "alpha"]);
    let mut ids = BTreeSet::new();
    for element in doc.select(&sel("[id]")) {
        assert!(
            ids.insert(element.value().attr("id").unwrap()),
            "duplicate id {:?}",
            element.value().attr("id")
        );
    }
    // Module headings sit one level below the module titles.
    assert!(
        doc.select(&sel("section#alpha h3#alpha--start"))
            .next()
            .is_some()
    );
    // A link to another module of the handbook stays on the page.
    assert!(
        doc.select(&sel("section#alpha a[href=\"#beta--details\"]"))
            .next()
            .is_some()
    );
}

#[test]
fn module_page_main_snapshot() {
    let site = build(&Fixture::new("site"), &BuildOptions::default());
    let doc = site.html("sv/modules/alpha.html");
    let main = doc.select(&sel("main")).next().unwrap().html();
    insta::assert_snapshot!(main);
}

#[test]
fn the_sample_corpus_builds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let temp = tempfile::tempdir().unwrap();
    let (project, stats) = handbok::build::build(
        root,
        Some(&temp.path().join("site")),
        &BuildOptions::default(),
    );
    let problems = common::shown(&project);
    assert!(problems.is_empty(), "{}", problems.join(""));
    let stats = stats.unwrap();
    assert!(stats.pages > 300);
}

#[test]
fn a_project_theme_overrides_single_templates() {
    let fixture = Fixture::copy("site");
    fixture.edit("book.toml", |book| {
        book.replace("[handbok]\n", "[handbok]\ntheme = \"my-theme\"\n")
    });
    fixture.write(
        "my-theme/handbook.hbs",
        "{{#> layout}}<h1 class=\"custom\">{{body.title}}</h1>{{/layout}}",
    );
    fixture.write("my-theme/style.css", "body { color: #123456; }\n");
    let site = build(&fixture, &BuildOptions::default());
    let doc = site.html("sv/handbooks/picked.html");
    assert!(
        doc.select(&sel("h1.custom")).next().is_some(),
        "the override is used"
    );
    // Other templates stay built in.
    assert!(
        site.html("sv/modules/alpha.html")
            .select(&sel("aside.meta"))
            .next()
            .is_some()
    );
    let css: Vec<&String> = site
        .files
        .keys()
        .filter(|p| p.starts_with("assets/style-"))
        .collect();
    assert_eq!(css.len(), 1);
    assert!(String::from_utf8_lossy(&site.files[css[0]]).contains("#123456"));
}

/// Templates of shapes that can't be rendered in stages (see `render::templates::staged`) work
/// through handlebars' own partials: a layout whose page goes inside an `{{#if}}`, a page that
/// defines an inline partial for its layout, a card partial called with arguments.
#[test]
fn templates_of_any_shape_render() {
    let fixture = Fixture::copy("site");
    fixture.edit("book.toml", |book| {
        book.replace("[handbok]\n", "[handbok]\ntheme = \"shapes\"\n")
    });
    let layout = templates::BUILTIN
        .iter()
        .find(|(name, _)| *name == "layout")
        .map(|(_, text)| text.to_string())
        .unwrap()
        .replace(
            "{{> @partial-block}}",
            "{{#if lang}}{{> @partial-block}}{{/if}}{{#> aside}}{{/aside}}",
        );
    assert!(layout.contains("{{#if lang}}{{> @partial-block}}"));
    fixture.write("shapes/layout.hbs", &layout);
    fixture.write(
        "shapes/handbook.hbs",
        "{{#> layout}}{{#*inline \"aside\"}}<p class=\"aside\">{{body.title}}</p>{{/inline}}\
         <h1>{{body.title}}</h1><ul>{{#each body.modules}}{{> module-item this}}{{/each}}</ul>{{/layout}}",
    );
    fixture.write(
        "shapes/module.hbs",
        "{{#> layout}}<h1 class=\"m\">{{body.title}}</h1>{{/layout}}",
    );
    let site = build(&fixture, &BuildOptions::default());
    let doc = site.html("sv/handbooks/picked.html");
    assert_eq!(
        doc.select(&sel("p.aside")).count(),
        1,
        "the page's inline partial"
    );
    assert!(
        doc.select(&sel("ul li a")).count() >= 1,
        "cards by a partial with arguments"
    );
    let module = site.html("sv/modules/alpha.html");
    assert_eq!(module.select(&sel("main h1.m")).count(), 1);
}

#[test]
fn a_broken_template_is_reported_and_nothing_is_written() {
    let fixture = Fixture::copy("site");
    fixture.edit("book.toml", |book| {
        book.replace("[handbok]\n", "[handbok]\ntheme = \"broken\"\n")
    });
    fixture.write("broken/module.hbs", "{{#if body.title}}unclosed");
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("site");
    let (project, stats) =
        handbok::build::build(&fixture.root, Some(&out), &BuildOptions::default());
    assert!(stats.is_none() && !out.exists());
    let d = project.diags.iter().next().unwrap();
    assert_eq!(d.code.as_str(), "E032");
    assert!(d.message.contains("module.hbs"), "{}", d.message);
}

#[test]
fn a_misspelt_template_variable_fails_loudly() {
    let fixture = Fixture::copy("site");
    fixture.edit("book.toml", |book| {
        book.replace("[handbok]\n", "[handbok]\ntheme = \"typo\"\n")
    });
    fixture.write(
        "typo/facet.hbs",
        "{{#> layout}}<h1>{{body.titel}}</h1>{{/layout}}",
    );
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("site");
    let (project, stats) =
        handbok::build::build(&fixture.root, Some(&out), &BuildOptions::default());
    assert!(
        stats.is_none() && !out.exists(),
        "strict mode: no page with a hole in it"
    );
    let d = project.diags.iter().next().unwrap();
    assert_eq!(d.code.as_str(), "E032");
    assert!(d.message.contains("titel"), "{}", d.message);
}

#[test]
fn right_to_left_languages_get_dir_rtl() {
    let fixture = Fixture::copy("site");
    fixture.edit("book.toml", |book| {
        book.replace(
            "languages = [\"en\", \"sv\", \"de\"]",
            "languages = [\"en\", \"sv\", \"de\", \"ar\"]",
        )
    });
    fixture.write(
        "translations/ar/school/alpha.md",
        "---\ntitle: الوحدة ألفا\nsummary: الوحدة الأولى.\n---\n\n## البداية {#start}\n\nاقرأ [](guide:beta).\n\n## النهاية {#end}\n\nتم.\n",
    );
    let site = build(&fixture, &BuildOptions::default());
    let alpha = site.html("ar/modules/alpha.html");
    let html = alpha.root_element().value();
    assert_eq!(
        (html.attr("lang"), html.attr("dir")),
        (Some("ar"), Some("rtl"))
    );
    assert_eq!(
        alpha
            .select(&sel("main h1"))
            .next()
            .unwrap()
            .text()
            .collect::<String>(),
        "الوحدة ألفا"
    );
    // A left-to-right language stays so, and the switcher names Arabic in Arabic.
    let sv = site.html("sv/modules/alpha.html");
    assert_eq!(sv.root_element().value().attr("dir"), Some("ltr"));
    assert!(
        sv.select(&sel(".langs a[lang=ar]"))
            .any(|a| a.text().collect::<String>() == "العربية")
    );
}

/// A build lets go of each text once it is checked, unless checking it found a problem: a
/// warning found then is still shown with its line and caret after the build, and so is one
/// found later, by linking, in a text that was let go (it is read again).
#[test]
fn a_build_shows_the_lines_of_texts_it_let_go() {
    let fixture = Fixture::new("valid");
    fixture.write(
        "guidelines/school/gamma.md",
        "---\nid: gamma\ntitle: Gamma\nsummary: The third module.\nlevels: [primary]\n\
         subjects: [languages]\n---\n\n\
         ## Where to start\n\nRead [click here](guide:alpha) first.\n",
    );
    fixture.write(
        "guidelines/school/delta.md",
        "---\nid: delta\ntitle: Delta\nsummary: The fourth module.\nlevels: [primary]\n\
         subjects: [languages]\n---\n\n\
         ## Where to start\n\nRead [the gamma module](guide:gama) first.\n",
    );
    let temp = tempfile::tempdir().unwrap();
    let (project, stats) = handbok::build::build(
        &fixture.root,
        Some(&temp.path().join("site")),
        &BuildOptions {
            drafts: true,
            ..BuildOptions::default()
        },
    );
    let shown = common::shown(&project);
    assert!(stats.is_none(), "the unknown module is an error");
    let released = |name: &str| {
        project
            .sources
            .iter()
            .find(|(_, f)| f.name == name)
            .unwrap()
            .1
            .is_released()
    };
    let warning = shown
        .iter()
        .find(|d| d.contains("W003"))
        .expect("the vague link is reported");
    assert!(
        warning.contains("guidelines/school/gamma.md:11:6")
            && warning.contains("Read [click here](guide:alpha) first."),
        "{warning}"
    );
    assert!(
        !released("guidelines/school/gamma.md"),
        "checking found a problem"
    );
    let error = shown
        .iter()
        .find(|d| d.contains("guide:gama"))
        .expect("the unknown module is reported");
    assert!(
        error.contains("guidelines/school/delta.md:11:6")
            && error.contains("Read [the gamma module](guide:gama) first."),
        "{error}"
    );
    assert!(
        released("guidelines/school/delta.md"),
        "linking found the problem"
    );
    assert!(released("guidelines/school/alpha.md"), "nothing was found");
}
