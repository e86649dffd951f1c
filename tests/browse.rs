//! The browse pages (issue 10): the list of every module is split into pages of
//! `PER_PAGE` with previous/next and page links (first, last and those near the current one),
//! so a page stays small at any corpus size;
//! the filters work over every module from `browse/facets.js` and `browse/p-<n>.js`.

mod common;

use common::Fixture;
use handbok::render::BuildOptions;
use scraper::Selector;
use std::collections::BTreeSet;
use std::io::Write;

const MODULES: usize = 230;

/// A project of `MODULES` modules; every third one is for primary school.
fn corpus() -> Fixture {
    let fixture = Fixture::empty();
    fixture.write(
        "book.toml",
        "[book]\ntitle = \"Many\"\nlanguage = \"en\"\n\n[handbok]\nlanguages = [\"en\", \"sv\"]\nsite-url = \"https://example.org/\"\n",
    );
    for i in 0..MODULES {
        let level = if i % 3 == 0 {
            "primary"
        } else {
            "upper-secondary"
        };
        fixture.write(
            &format!("guidelines/m{i:03}.md"),
            format!(
                "---\nid: m{i:03}\ntitle: Module {i:03} about things\nsummary: What module {i} says, in one sentence.\nlevels: [{level}]\nsubjects: [mathematics]\nstatus: published\n---\n\nText {i}.\n"
            ),
        );
    }
    fixture
}

/// The corpus, built once for all the tests here (a debug build of 460 pages takes seconds).
fn built() -> &'static common::Site {
    static SITE: std::sync::OnceLock<common::Site> = std::sync::OnceLock::new();
    SITE.get_or_init(|| corpus().build(&BuildOptions::default()))
}

fn hrefs(html: &scraper::Html, s: &str) -> Vec<String> {
    html.select(&Selector::parse(s).unwrap())
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect()
}

#[test]
fn the_list_is_split_into_pages_with_links_between_them() {
    let site = built();
    let pages = ["sv/modules.html", "sv/modules-2.html", "sv/modules-3.html"];
    assert!(!site.files.contains_key("sv/modules-4.html"));
    let mut seen = Vec::new();
    for (n, page) in pages.iter().enumerate() {
        let html = site.html(page);
        let items = hrefs(&html, "ul.browse > li > a");
        assert_eq!(items.len(), if n < 2 { 100 } else { 30 }, "{page}");
        seen.extend(items);
        // With three pages, every page links to every page, the current one marked.
        let links = hrefs(&html, "nav.pager a:not([rel])");
        assert_eq!(
            links,
            [
                "../sv/modules.html",
                "../sv/modules-2.html",
                "../sv/modules-3.html"
            ]
        );
        let current = hrefs(&html, "nav.pager a[aria-current=page]");
        assert_eq!(current, [format!("../{page}")]);
        assert_eq!(
            hrefs(&html, "nav.pager a[rel=prev]").len(),
            usize::from(n > 0),
            "{page}"
        );
        assert_eq!(
            hrefs(&html, "nav.pager a[rel=next]").len(),
            usize::from(n < 2),
            "{page}"
        );
    }
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), MODULES, "each module on exactly one page");
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "in title order across pages");
    // Page 2 says so in its title and its pager.
    let second = site.text("sv/modules-2.html");
    assert!(second.contains("<title>Bläddra och filtrera (Sida 2 av 3)"));
    assert!(second.contains("Sida 2 av 3"));
}

#[test]
fn the_sitemap_lists_every_browse_page_and_no_data_file() {
    let site = built();
    let sitemap = site.text("sitemap.xml");
    for page in ["en/modules.html", "en/modules-2.html", "sv/modules-3.html"] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.org/{page}</loc>")),
            "{page}"
        );
    }
    assert!(!sitemap.contains("browse/"));
}

#[test]
fn the_filter_data_covers_every_module_in_page_order() {
    let site = built();
    let facets = site.text("en/browse/facets.js");
    let json = facets
        .strip_prefix("handbokBrowse.facets(")
        .and_then(|s| s.strip_suffix(");\n"))
        .unwrap();
    let data: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(data["chunk"], 25);
    let keys: Vec<&str> = data["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    let modules = data["modules"].as_array().unwrap();
    assert_eq!(modules.len(), MODULES);
    let primary = keys.iter().position(|k| *k == "isced-1").unwrap();
    let with_primary = modules
        .iter()
        .filter(|m| m.as_array().unwrap().contains(&primary.into()))
        .count();
    assert_eq!(with_primary, MODULES.div_ceil(3));
    // The data files hold the modules 25 at a time, in the pages' order.
    let mut data = Vec::new();
    for n in 0..MODULES.div_ceil(25) {
        let chunk = site.text(&format!("en/browse/p-{n}.js"));
        let json = chunk
            .strip_prefix(&format!("handbokBrowse.page({n},"))
            .and_then(|s| s.strip_suffix(");\n"))
            .unwrap();
        let entries: Vec<[String; 4]> = serde_json::from_str(json).unwrap();
        assert_eq!(entries.len(), if n < 9 { 25 } else { 5 });
        data.extend(entries);
    }
    assert!(!site.files.contains_key("en/browse/p-10.js"));
    let pages: Vec<String> = ["en/modules.html", "en/modules-2.html", "en/modules-3.html"]
        .iter()
        .flat_map(|p| hrefs(&site.html(p), "ul.browse > li > a"))
        .map(|h| h.trim_start_matches("../en/").to_string())
        .collect();
    let hrefs: Vec<String> = data.iter().map(|e| e[0].clone()).collect();
    assert_eq!(hrefs, pages);
    assert_eq!(data[100][1], "Module 100 about things");
}

/// The browse page's weight no longer grows with the corpus: a page holds `PER_PAGE` modules
/// plus a link per page. (At 5,000 modules, `bench/browse-weight.sh` measures the real thing.)
#[test]
fn a_browse_page_stays_small() {
    let site = built();
    for page in ["en/modules.html", "en/modules-2.html"] {
        let bytes = &site.files[page];
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(bytes).unwrap();
        let gzipped = gz.finish().unwrap().len();
        assert!(
            bytes.len() < 40_000 && gzipped < 8_000,
            "{page}: {} bytes, {gzipped} gzipped",
            bytes.len()
        );
    }
}

/// With many pages, a pager links the first and last pages and those near the current one,
/// with a gap (hidden from screen readers, which hear the page numbers) where pages are left
/// out: its size does not grow with the corpus.
#[test]
fn a_long_list_has_a_pager_with_gaps() {
    let fixture = Fixture::empty();
    fixture.write(
        "book.toml",
        "[book]\ntitle = \"Long\"\nlanguage = \"en\"\n\n[handbok]\nsite-url = \"https://example.org/\"\n",
    );
    let modules = 12 * 100 - 50;
    for i in 0..modules {
        fixture.write(
            &format!("guidelines/m{i:03}.md"),
            format!(
                "---\nid: m{i:03}\ntitle: Module {i:03}\nsummary: Module {i}.\nlevels: [primary]\nsubjects: [mathematics]\nstatus: published\n---\n\nText.\n"
            ),
        );
    }
    let site = fixture.build(&BuildOptions::default());
    let html = site.html("en/modules-6.html");
    let numbers: Vec<String> = html
        .select(&Selector::parse("nav.pager li").unwrap())
        .map(|li| li.text().collect::<String>())
        .collect();
    assert_eq!(
        numbers,
        [
            "Previous page",
            "1",
            "…",
            "4",
            "5",
            "6",
            "7",
            "8",
            "…",
            "12",
            "Next page"
        ]
    );
    let gaps = Selector::parse("nav.pager li.gap[aria-hidden=true]").unwrap();
    assert_eq!(html.select(&gaps).count(), 2);
    let current = hrefs(&html, "nav.pager a[aria-current=page]");
    assert_eq!(current, ["../en/modules-6.html"]);
    assert!(!site.files.contains_key("en/modules-13.html"));
}
