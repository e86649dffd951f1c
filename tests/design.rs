//! Issue 10, "a visual design": the publisher's identity from `book.toml` (with its diagnostics),
//! and the page furniture that helps a teacher find their way — breadcrumb, the handbook beside
//! the text, chips, reading time, filters folded away, one search box per page — asserted on
//! the built HTML. How it looks and behaves in a browser: tests/browser/design.mjs.

mod common;

use common::Fixture;
use handbok::render::BuildOptions;
use scraper::{Html, Selector};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn attr(doc: &Html, selector: &str, name: &str) -> Option<String> {
    doc.select(&sel(selector))
        .next()
        .and_then(|e| e.value().attr(name).map(str::to_string))
}

fn count(doc: &Html, selector: &str) -> usize {
    doc.select(&sel(selector)).count()
}

fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

const PUBLISHER: &str = r#"
[handbok.publisher]
name = "Skolverket"
url = "https://www.skolverket.se/"
logo = "guidelines/media/chart.svg"
favicon = "guidelines/media/chart.svg"
"#;

#[test]
fn the_publisher_and_favicon_are_on_every_page_with_the_right_root() {
    let fixture = Fixture::new("site");
    fixture.edit("book.toml", |t| {
        t.replace(
            "\n[handbok.subjects]",
            &format!("{PUBLISHER}\n[handbok.subjects]"),
        )
    });
    let site = fixture.build(&BuildOptions::default());
    assert!(
        site.files.contains_key("media/media/chart.svg"),
        "the logo is published"
    );
    for (page, root) in [
        ("index.html", ""),
        ("sv/index.html", "../"),
        ("sv/modules/alpha.html", "../../"),
        ("de/levels/primary.html", "../../"),
        // A root 404 is served at any depth: its links are absolute.
        ("404.html", "https://example.org/guides/"),
    ] {
        let doc = site.html(page);
        let logo = format!("{root}media/media/chart.svg");
        assert_eq!(
            attr(&doc, "header img.logo", "src").as_deref(),
            Some(logo.as_str()),
            "{page}"
        );
        assert_eq!(
            attr(&doc, "header img.logo", "alt").as_deref(),
            Some(""),
            "{page}: the name beside it says it"
        );
        assert_eq!(
            attr(&doc, "link[rel=icon]", "href").as_deref(),
            Some(logo.as_str()),
            "{page}"
        );
        assert_eq!(
            attr(&doc, "link[rel=icon]", "type").as_deref(),
            Some("image/svg+xml")
        );
        assert_eq!(texts(&doc, "header .publisher"), ["Skolverket"], "{page}");
        assert_eq!(
            attr(&doc, "header a.publisher", "href").as_deref(),
            Some("https://www.skolverket.se/")
        );
    }
}

#[test]
fn without_a_publisher_the_header_has_only_the_title() {
    let site = Fixture::new("site").build(&BuildOptions::default());
    let doc = site.html("sv/index.html");
    assert_eq!(
        count(&doc, "header .publisher, header img.logo, link[rel=icon]"),
        0
    );
    assert_eq!(texts(&doc, "header a.brand"), ["Testhandbok"]);
}

#[test]
fn bad_publisher_values_are_reported_at_their_place_in_book_toml() {
    let fixture = Fixture::new("site");
    fixture.edit("book.toml", |t| {
        t.replace(
            "\n[handbok.subjects]",
            concat!(
                "\n[handbok.publisher]\n",                   // line 11
                "name = \" \"\n",                            // 12
                "url = \"www.example.org\"\n",               // 12
                "logo = \"../secret/logo.svg\"\n",           // 13
                "favicon = \"guidelines/media/icon.png\"\n", // 14
                "\n[handbok.subjects]"
            ),
        )
    });
    fixture
        .check()
        .expect_with("E022", "book.toml:12:8", "name is empty")
        .expect_with("E022", "book.toml:13:7", "absolute http(s) URL")
        .expect_with(
            "E022",
            "book.toml:14:8",
            "not a plain path inside guidelines/",
        )
        .expect_with("E014", "book.toml:15:11", "not a file of the project")
        .no_more();
}

#[test]
fn a_wrong_kind_of_file_and_an_unknown_key_are_reported() {
    let fixture = Fixture::new("site");
    fixture.edit("book.toml", |t| {
        t.replace(
            "\n[handbok.subjects]",
            concat!(
                "\n[handbok.publisher]\n",                    // line 11
                "name = \"Skolverket\"\n",                    // 11
                "favicon = \"guidelines/media/sheet.pdf\"\n", // 12
                "\n[handbok.subjects]"
            ),
        )
    });
    fixture
        .check()
        .expect_with("E022", "book.toml:13:11", "svg, png, ico")
        .no_more();
    fixture.edit("book.toml", |t| {
        t.replace(
            "name = \"Skolverket\"",
            "name = \"Skolverket\"\nlogga = \"x\"",
        )
    });
    fixture
        .check()
        .expect_with("E021", "book.toml:13:1", "logo")
        .no_more();
}

#[test]
fn a_module_shows_breadcrumb_handbook_chips_and_reading_time() {
    let site = Fixture::new("site").build(&BuildOptions::default());
    let doc = site.html("sv/modules/alpha.html");
    // Home › the first handbook (book.toml order) that holds it › the module.
    assert_eq!(
        attr(&doc, "nav.crumbs", "aria-label").as_deref(),
        Some("Länkstig")
    );
    assert_eq!(
        texts(&doc, "nav.crumbs li"),
        ["Startsida", "Skolan", "Alfamodul"]
    );
    assert_eq!(
        attr(&doc, "nav.crumbs li:nth-child(2) a", "href").as_deref(),
        Some("../../sv/handbooks/all-school.html")
    );
    assert_eq!(
        attr(&doc, "nav.crumbs li:last-child", "aria-current").as_deref(),
        Some("page")
    );
    // The handbook's modules beside the text, this one marked; previous and next.
    let side = texts(&doc, "nav.handbook-side ol a");
    assert!(
        side.len() >= 2 && side.contains(&"Alfamodul".to_string()),
        "{side:?}"
    );
    assert_eq!(
        texts(&doc, "nav.handbook-side a[aria-current=page]"),
        ["Alfamodul"]
    );
    assert_eq!(
        count(&doc, "nav.pager a[rel=prev], nav.pager a[rel=next]"),
        usize::from(side.first().map(String::as_str) != Some("Alfamodul"))
            + usize::from(side.last().map(String::as_str) != Some("Alfamodul"))
    );
    // Levels, subjects and needs as chips that lead to their pages; the date and reading time.
    assert_eq!(count(&doc, ".facts .chips a.chip.level"), 2);
    assert_eq!(count(&doc, ".facts .chips a.chip.subject"), 2);
    assert_eq!(
        attr(&doc, ".facts a.chip.need", "href").as_deref(),
        Some("../../sv/needs/dyslexia.html")
    );
    assert_eq!(
        attr(&doc, ".facts .when time", "datetime").as_deref(),
        Some("2025-02-28")
    );
    let when = texts(&doc, ".facts .when").join(" ");
    assert!(when.contains("1 min"), "{when}");
}

#[test]
fn listings_show_cards_with_chips_and_filters_fold_away() {
    let site = Fixture::new("site").build(&BuildOptions::default());
    let handbook = site.html("sv/handbooks/picked.html");
    assert!(count(&handbook, "ol.modules > li .chips li.chip.level") >= 2);
    assert_eq!(texts(&handbook, "nav.crumbs li").len(), 2);
    let facet = site.html("sv/levels/primary.html");
    assert!(count(&facet, "ul.modules > li .chips li.chip") >= 1);
    for page in ["sv/modules.html", "sv/search.html"] {
        let doc = site.html(page);
        // Hidden until the script counts what is chosen; the checkboxes are inside.
        assert_eq!(
            count(
                &doc,
                "details.filters-box[hidden] > summary .filter-count[data-template]"
            ),
            1,
            "{page}"
        );
        assert!(
            count(
                &doc,
                "details.filters-box form.filters input[type=checkbox]"
            ) > 3,
            "{page}"
        );
    }
}

#[test]
fn one_search_box_per_page() {
    let site = Fixture::new("site").build(&BuildOptions::default());
    let search = site.html("sv/search.html");
    assert_eq!(
        count(&search, "input[type=search]"),
        1,
        "the search page has its own box only"
    );
    assert_eq!(count(&search, "header input[type=search]"), 0);
    for page in ["sv/index.html", "sv/modules/alpha.html", "sv/modules.html"] {
        let doc = site.html(page);
        assert_eq!(count(&doc, "input[type=search]"), 1, "{page}");
        // On phones it is inside the menu, a disclosure that works without JavaScript.
        assert_eq!(
            count(
                &doc,
                "header details.menu > summary + .menu-items form.search input"
            ),
            1,
            "{page}"
        );
    }
}

#[test]
fn serve_publishes_the_logo_as_build_does() {
    let fixture = Fixture::new("site");
    fixture.edit("book.toml", |t| {
        t.replace(
            "\n[handbok.subjects]",
            &format!("{PUBLISHER}\n[handbok.subjects]"),
        )
    });
    let session = handbok::session::Session::open(&fixture.root, BuildOptions::default());
    let logo = session
        .get("media/media/chart.svg")
        .expect("serve has the logo");
    let file = std::fs::read(fixture.root.join("guidelines/media/chart.svg")).unwrap();
    assert_eq!(&*logo, &file[..]);
    let page = session.get("sv/index.html").expect("the home page");
    let doc = Html::parse_document(std::str::from_utf8(&page).unwrap());
    assert_eq!(
        attr(&doc, "header img.logo", "src").as_deref(),
        Some("../media/media/chart.svg")
    );
}

/// A handbook of hundreds of modules lists, beside each module, the 25 around it (numbered
/// from where they stand) and links to its whole contents: a module page costs the same in any
/// handbook, instead of every page growing with the handbook (issue 11's linear cost).
#[test]
fn a_large_handbook_lists_the_modules_around_the_current_one() {
    let fixture = Fixture::empty();
    fixture.write(
        "book.toml",
        "[book]\ntitle = \"Big\"\n\n[handbok]\nlanguages = [\"en\"]\n\n\
         [[handbok.handbook]]\nid = \"all\"\ntitle = \"All\"\nlevels = [\"primary\"]\n",
    );
    for i in 0..60 {
        fixture.write(
            &format!("guidelines/m{i:02}.md"),
            format!(
                "---\nid: m{i:02}\ntitle: Module {i:02}\nsummary: Number {i}.\n\
                 levels: [primary]\nsubjects: [mathematics]\nstatus: published\n---\n\nText.\n"
            ),
        );
    }
    let site = fixture.build(&BuildOptions::default());
    let side = |page: &str| {
        let doc = site.html(page);
        (
            texts(&doc, ".handbook-side ol li"),
            attr(&doc, ".handbook-side ol", "start"),
            texts(&doc, ".handbook-side .side-all a"),
            texts(&doc, ".handbook-side [aria-current=page]"),
        )
    };
    let (items, start, all, current) = side("en/modules/m30.html");
    assert_eq!(items.len(), 25);
    assert_eq!(items.first().unwrap(), "Module 18");
    assert_eq!(items.last().unwrap(), "Module 42");
    assert_eq!(start.as_deref(), Some("19"));
    assert_eq!(all, ["Contents: 60 modules"]);
    assert_eq!(current, ["Module 30"]);
    // At the ends the window stays 25 long.
    let (items, start, _, _) = side("en/modules/m59.html");
    assert_eq!((items.len(), items[0].as_str()), (25, "Module 35"));
    assert_eq!(start.as_deref(), Some("36"));
    let (items, _, _, _) = side("en/modules/m00.html");
    assert_eq!((items.len(), items[0].as_str()), (25, "Module 00"));
}
