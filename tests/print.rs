//! The printable handbook carries what CC BY asks of a copy (issue 10): a title page with the
//! handbook, licence, authors, date and address, a contents list, and per module its title,
//! authors, source and licence. Checked on the parsed HTML of built fixture sites.

mod common;

use common::Fixture;
use handbok::render::BuildOptions;
use scraper::{ElementRef, Html, Selector};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

fn one<'a>(html: &'a Html, s: &str) -> ElementRef<'a> {
    let selector = sel(s);
    let mut found = html.select(&selector);
    let first = found.next().unwrap_or_else(|| panic!("no `{s}`"));
    assert!(found.next().is_none(), "more than one `{s}`");
    first
}

/// The `<dd>` after the `<dt>` that says `label` in the title page's colophon.
fn colophon(html: &Html, label: &str) -> Option<String> {
    let dts: Vec<ElementRef> = html.select(&sel(".title-page dl.colophon dt")).collect();
    let dds: Vec<ElementRef> = html.select(&sel(".title-page dl.colophon dd")).collect();
    assert_eq!(dts.len(), dds.len());
    dts.iter()
        .position(|dt| text(*dt) == label)
        .map(|i| dds[i].html())
}

#[test]
fn the_title_page_names_handbook_licence_authors_date_and_address() {
    let site = Fixture::new("site").build(&BuildOptions::default());
    let html = site.html("en/print/picked.html");
    assert_eq!(text(one(&html, ".title-page h1")), "Picked");
    assert_eq!(text(one(&html, ".title-page .kicker")), "Fixture handbook");
    let licence = colophon(&html, "Licence").expect("a licence");
    assert!(
        licence.contains(r#"href="https://creativecommons.org/licenses/by-sa/4.0/""#)
            && licence.contains(r#"rel="license""#)
            && licence.contains("Creative Commons Attribution Share Alike 4.0 International")
            && licence.contains("(CC-BY-SA-4.0)"),
        "{licence}"
    );
    assert!(colophon(&html, "Authors").unwrap().contains(">Test<"));
    // The newest date of the handbook's modules (only alpha has one).
    let updated = colophon(&html, "Updated").unwrap();
    assert!(updated.contains(r#"datetime="2025-02-28""#), "{updated}");
    let address = colophon(&html, "Online at").unwrap();
    assert!(
        address.contains(r#"href="https://example.org/guides/en/handbooks/picked.html""#),
        "{address}"
    );
    // In another language, the labels are that language's.
    let sv = site.html("sv/print/picked.html");
    assert!(colophon(&sv, "Licens").is_some());
    assert!(
        colophon(&sv, "På webben")
            .unwrap()
            .contains("https://example.org/guides/sv/handbooks/picked.html")
    );
}

#[test]
fn the_contents_list_every_module_in_order() {
    let site = Fixture::new("site").build(&BuildOptions::default());
    let html = site.html("en/print/picked.html");
    let contents: Vec<String> = html
        .select(&sel("nav.print-contents ol li a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(contents, ["#beta", "#alpha"]);
    let sections: Vec<&str> = html
        .select(&sel("section.print-module"))
        .map(|s| s.value().attr("id").unwrap())
        .collect();
    assert_eq!(sections, ["beta", "alpha"]);
}

#[test]
fn every_module_ends_with_title_author_source_and_licence() {
    let site = Fixture::new("site").build(&BuildOptions::default());
    let html = site.html("en/print/picked.html");
    let lines: Vec<ElementRef> = html
        .select(&sel("section.print-module > p.attribution"))
        .collect();
    assert_eq!(lines.len(), 2, "one attribution line per module");
    let alpha = lines[1];
    assert_eq!(text(one_in(alpha, "cite")), "Alpha module");
    let line = text(alpha);
    assert!(line.contains("Authors: Team A"), "{line}");
    let links: Vec<(String, String, Option<String>)> = alpha
        .select(&sel("a"))
        .map(|a| {
            (
                a.value().attr("href").unwrap().to_string(),
                text(a),
                a.value().attr("rel").map(str::to_string),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            (
                "https://example.org/guides/en/modules/alpha.html".to_string(),
                "https://example.org/guides/en/modules/alpha.html".to_string(),
                None
            ),
            (
                "https://creativecommons.org/publicdomain/zero/1.0/".to_string(),
                "CC0-1.0".to_string(),
                Some("license".to_string())
            ),
        ],
        "alpha's own licence, not the book's"
    );
    // Beta names no authors and takes the book's licence.
    let beta = text(lines[0]);
    assert!(!beta.contains("Authors"), "{beta}");
    assert!(beta.ends_with("Licence: CC-BY-SA-4.0"), "{beta}");
}

fn one_in<'a>(e: ElementRef<'a>, s: &str) -> ElementRef<'a> {
    e.select(&sel(s))
        .next()
        .unwrap_or_else(|| panic!("no `{s}`"))
}

#[test]
fn without_a_site_url_the_source_is_the_page_relative_to_the_print_page() {
    let fixture = Fixture::new("site");
    fixture.edit("book.toml", |b| {
        b.replace("site-url = \"https://example.org/guides\"\n", "")
    });
    let site = fixture.build(&BuildOptions::default());
    let html = site.html("sv/print/picked.html");
    assert!(
        colophon(&html, "På webben").is_none(),
        "no address without site-url"
    );
    let source = html
        .select(&sel("section#alpha > p.attribution a"))
        .next()
        .unwrap();
    assert_eq!(
        source.value().attr("href"),
        Some("../../sv/modules/alpha.html")
    );
    assert_eq!(text(source), "sv/modules/alpha.html");
    assert!(site.files.contains_key("sv/modules/alpha.html"));
    // The book names its authors; without them the title page lists the modules' authors.
    fixture.edit("book.toml", |b| b.replace("authors = [\"Test\"]\n", ""));
    let site = fixture.build(&BuildOptions::default());
    let html = site.html("en/print/picked.html");
    assert!(colophon(&html, "Authors").unwrap().contains(">Team A<"));
}

#[test]
fn print_pages_and_module_pages_have_a_print_button_for_script_to_show() {
    let site = Fixture::new("site").build(&BuildOptions::default());
    for page in ["en/print/picked.html", "sv/modules/alpha.html"] {
        let html = site.html(page);
        let button = one(&html, "button.print-button");
        assert_eq!(button.value().attr("type"), Some("button"), "{page}");
        assert!(
            button.value().attr("hidden").is_some(),
            "{page}: hidden without JavaScript"
        );
        assert!(!text(button).is_empty(), "{page}: the button has a name");
    }
    assert_eq!(
        text(one(
            &site.html("sv/modules/alpha.html"),
            "button.print-button"
        )),
        "Skriv ut den här sidan"
    );
    // The script wires it (the CSP forbids inline handlers).
    let js = site
        .files
        .iter()
        .find(|(p, _)| p.starts_with("assets/handbok-"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap();
    assert!(js.contains("button.print-button") && js.contains("window.print()"));
}

#[test]
fn the_print_stylesheet_is_one_block_at_the_end() {
    let css = include_str!("../themes/default/style.css");
    let at = css.rfind("@media print {").expect("a print block");
    assert_eq!(css.matches("@media print").count(), 1, "one print block");
    let block = &css[at..];
    for rule in [
        "header.site",
        ".print-contents { break-before: page; break-after: page;",
        ".print-module { break-before: page; }",
        "break-inside: avoid",
        "attr(href)",
    ] {
        assert!(block.contains(rule), "print block lacks `{rule}`");
    }
    assert!(
        block.trim_end().ends_with('}'),
        "nothing after the print block"
    );
}
