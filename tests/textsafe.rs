//! Issue 7, safe text: hostile metadata cannot break out of inline data blocks, control
//! characters are errors at their place (E036), the feed and sitemap stay well-formed XML, and
//! diagnostics never write control characters raw to the terminal.

mod common;
use common::Fixture;
use handbok::diag::{Code, Diagnostic};
use handbok::render::BuildOptions;
use handbok::source::{SourceFile, Sources};
use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const HOSTILE: &str = "A <!--<script>";

/// Builds `fixture` and returns every text file of the site.
fn build(fixture: &Fixture) -> BTreeMap<String, String> {
    fixture
        .build(&BuildOptions::default())
        .files
        .into_iter()
        .filter_map(|(path, bytes)| Some((path, String::from_utf8(bytes).ok()?)))
        .collect()
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// The page's JSON-LD, parsed.
fn json_ld(page: &Html) -> serde_json::Value {
    let script = page
        .select(&sel("script[type=\"application/ld+json\"]"))
        .next()
        .expect("a JSON-LD block");
    serde_json::from_str(&script.inner_html()).expect("JSON-LD is valid JSON")
}

/// The page is whole: its main content and its footer were parsed as elements, not swallowed
/// by a script element that never closed.
#[track_caller]
fn assert_intact(page: &Html, heading: &str) {
    let main = page.select(&sel("main#main")).next().expect("main");
    let text: String = main.text().collect();
    assert!(text.contains(heading), "main lacks {heading:?}: {text}");
    assert!(
        page.select(&sel("footer.site")).next().is_some(),
        "no footer"
    );
    // No script element holds anything but its own JSON or code.
    for script in page.select(&sel("script")) {
        let inner = script.inner_html();
        assert!(
            !inner.contains('<'),
            "a `<` inside a script element: {inner}"
        );
    }
}

#[test]
fn a_hostile_title_leaves_the_module_page_intact() {
    let fixture = Fixture::copy("site");
    fixture.edit("guidelines/school/alpha.md", |t| {
        t.replace("title: Alpha module", &format!("title: \"{HOSTILE}\""))
    });
    let site = build(&fixture);
    let page = Html::parse_document(&site["en/modules/alpha.html"]);
    assert_intact(&page, "Start");
    assert_eq!(json_ld(&page)["name"], HOSTILE);
    // Pages that list the module are whole too (German shows the source title).
    for path in ["de/modules/alpha.html", "en/modules.html", "en/index.html"] {
        let page = Html::parse_document(&site[path]);
        assert!(page.select(&sel("footer.site")).next().is_some(), "{path}");
    }
    // The search index carries the title as JSON, without a raw `<`.
    let docs = &site["en/search/d-0.js"];
    assert!(docs.contains("A \\u003c!--\\u003cscript\\u003e"), "{docs}");
}

#[test]
fn a_hostile_interface_string_leaves_every_page_of_its_language_intact() {
    let fixture = Fixture::copy("site");
    fixture.edit("translations/sv/ui.yaml", |t| {
        t.replace("title: Testhandbok", &format!("title: \"{HOSTILE}\""))
            .replace(
                "media-education: Medieundervisning",
                &format!("media-education: \"{HOSTILE}\""),
            )
    });
    let site = build(&fixture);
    let sv_pages: Vec<&String> = site
        .keys()
        .filter(|p| p.starts_with("sv/") && p.ends_with(".html"))
        .collect();
    assert!(sv_pages.len() > 10);
    for path in sv_pages {
        let page = Html::parse_document(&site[path]);
        assert!(
            page.select(&sel("main#main")).next().is_some()
                && page.select(&sel("footer.site")).next().is_some(),
            "{path} is not whole"
        );
    }
    let page = Html::parse_document(&site["sv/modules/alpha.html"]);
    assert_intact(&page, "Start");
    let ld = json_ld(&page);
    assert_eq!(ld["isPartOf"]["name"], HOSTILE);
    let about: Vec<&str> = ld["about"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(about.contains(&HOSTILE), "{about:?}");
}

#[test]
fn control_characters_are_errors_at_their_place() {
    let fixture = Fixture::copy("valid");
    fixture
        .edit("guidelines/school/alpha.md", |t| {
            t.replace("title: Alpha module", "title: \"Alpha \\x01\\x0b\\uFFFE\"")
                .replace("summary: The first module.", "summary: Raw \u{7} bell")
                .replace("keywords: [numbers]", "keywords: [numbers, \"\\e[31m\"]")
                .replace("Done.", "Do\u{0}ne \u{1b}[2J and \u{FFFF}.")
        })
        .edit("translations/sv/school/alpha.md", |t| {
            t.replace("title: Alfamodul", "title: \"Alfa\\u0000\"")
        })
        .edit("translations/sv/ui.yaml", |t| {
            t.replace("title: Testhandbok", "title: \"Test\\x1A\"")
                .replace("home: Startsida", "home: Start\u{1}sida")
        });
    fixture
        .check()
        // The escape `\x01` in the title's quoted value, column of the backslash.
        .expect_with("E036", "guidelines/school/alpha.md:3:15", "U+0001")
        .expect_with("E036", "guidelines/school/alpha.md:4:14", "U+0007")
        .expect_with("E036", "guidelines/school/alpha.md:10:22", "U+001B")
        // One diagnostic for the body line, at its first character, counting the others.
        .expect_with(
            "E036",
            "guidelines/school/alpha.md:31:3",
            "U+0000 and 2 more",
        )
        .expect_with("E036", "translations/sv/school/alpha.md:2:13", "U+0000")
        .expect_with("E036", "translations/sv/ui.yaml:2:15", "U+001A")
        .expect_with("E036", "translations/sv/ui.yaml:8:14", "U+0001")
        .no_more();
}

/// Issue 7: U+001A, handbok's own placeholder mark, in a heading attribute got filled in.
#[test]
fn the_placeholder_mark_in_content_is_an_error() {
    let fixture = Fixture::copy("valid");
    fixture.edit("guidelines/school/alpha.md", |t| {
        t.replace("## The end {#end}", "## The end {#end .x\u{1A}P\u{1A}}")
    });
    fixture
        .check()
        .expect_with(
            "E036",
            "guidelines/school/alpha.md:29:20",
            "U+001A and 1 more",
        )
        .no_more();
}

#[test]
fn a_noncharacter_is_an_error_and_legitimate_text_is_not() {
    let fixture = Fixture::copy("valid");
    fixture.edit("guidelines/school/alpha.md", |t| {
        // Tabs, CRLF line endings, right-to-left marks, emoji and combining marks are content.
        t.replace(
            "Done.",
            "Done\tand \u{200F}שלום\u{200F} 🙂 é\r\nnon\u{FDD0}char",
        )
    });
    fixture
        .check()
        .expect_with(
            "E036",
            "guidelines/school/alpha.md:32:4",
            "noncharacter U+FDD0",
        )
        .no_more();
}

#[test]
fn feeds_and_sitemap_are_well_formed_xml_with_odd_text() {
    let fixture = Fixture::copy("site");
    let odd = "Tom & \"Jerry\" <b>]]> 🙂 \u{200F}עברית\u{200F} \u{85}";
    fixture.edit("guidelines/school/alpha.md", |t| {
        t.replace("title: Alpha module", &format!("title: '{odd}'"))
            .replace("summary: The first module.", "summary: \"<![CDATA[ & ]]>\"")
    });
    // U+0085 is a control character: an error. Everything else here is text.
    fixture
        .check()
        .expect_with("E036", "guidelines/school/alpha.md:3:40", "U+0085")
        .no_more();
    let odd = odd.trim_end_matches([' ', '\u{85}']);
    fixture.edit("guidelines/school/alpha.md", |t| t.replace(" \u{85}", ""));
    let site = build(&fixture);
    let feeds: Vec<&String> = site.keys().filter(|p| p.ends_with(".xml")).collect();
    assert_eq!(feeds.len(), 4, "{feeds:?}");
    for path in feeds {
        let xml = &site[path];
        let doc = roxmltree::Document::parse(xml)
            .unwrap_or_else(|e| panic!("{path} is not well-formed: {e}\n{xml}"));
        if path == "en/feed.xml" {
            let texts = |tag: &str| -> Vec<String> {
                doc.descendants()
                    .filter(|n| n.has_tag_name(tag))
                    .filter_map(|n| n.text().map(str::to_string))
                    .collect()
            };
            assert!(
                texts("title").iter().any(|t| t == odd),
                "{:?}",
                texts("title")
            );
            assert!(texts("summary").iter().any(|t| t == "<![CDATA[ & ]]>"));
        }
    }
}

#[test]
fn a_control_character_escaped_in_book_toml_is_an_error() {
    let fixture = Fixture::copy("valid");
    fixture.edit("book.toml", |t| {
        t.replace(
            "title = \"Fixture handbook\"",
            "title = \"Fixture \\u0001 handbook\"",
        )
        .replace("title = \"Picked\"", "title = \"Pi\\uFFFFcked\"")
    });
    fixture
        .check()
        .expect_with("E036", "book.toml:2:18", "U+0001")
        .expect_with("E036", "book.toml:21:12", "noncharacter U+FFFF")
        .no_more();
}

#[test]
fn diagnostics_escape_control_characters_for_the_terminal() {
    let mut sources = Sources::default();
    let text = "title: \"a\u{1b}[31mb\u{202E}c\"\n";
    let file = sources.add(SourceFile::new(
        "guidelines/x.md".into(),
        "guidelines/x.md".into(),
        text.into(),
    ));
    let at = text.find('\u{1b}').unwrap();
    let d = Diagnostic::new(Code::ForbiddenCharacter, "bad \u{1b}[31mred\u{7} text")
        .at(file, at..at + 1)
        .label("here \u{202E}")
        .help("delete \u{1b}[0m");
    let out = handbok::report::human(&sources, &d, false);
    for raw in ['\u{1b}', '\u{7}', '\u{202E}'] {
        assert!(!out.contains(raw), "{raw:?} printed raw:\n{out}");
    }
    assert!(out.contains("bad \\u{1b}[31mred\\u{7} text"), "{out}");
    // The place is the file's own column; the caret sits under the escape, over its width.
    assert!(out.contains("--> guidelines/x.md:1:10"), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    let source = lines.iter().find(|l| l.starts_with("1 |")).unwrap();
    let caret = lines.iter().find(|l| l.contains('^')).unwrap();
    let escape = source.find("\\u{1b}").unwrap();
    assert_eq!(caret.find('^'), Some(escape), "\n{source}\n{caret}");
    assert!(caret.contains("^^^^^^ here \\u{202e}"), "{caret}");
    assert!(source.contains("\\u{202e}c"), "{source}");
}

/// A project with 12 heading-skip warnings and one error, for the summary and `--quiet`.
fn noisy_project() -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    std::fs::write(root.join("book.toml"), "[book]\ntitle = \"N\"\n").unwrap();
    std::fs::create_dir(root.join("guidelines")).unwrap();
    let mut body = String::new();
    for i in 0..12 {
        body.push_str(&format!("## Part {i}\n\n#### Deep {i}\n\n"));
    }
    std::fs::write(
        root.join("guidelines/a.md"),
        format!(
            "---\nid: a\ntitle: A\nsummary: S\nlevels: [primry]\nsubjects: [arts]\n---\n\n{body}"
        ),
    )
    .unwrap();
    temp
}

fn run(root: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_handbok"))
        .arg("-C")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn many_diagnostics_end_with_a_summary_by_code() {
    let project = noisy_project();
    let (code, _, stderr) = run(project.path(), &["check"]);
    assert_eq!(code, Some(1));
    assert_eq!(stderr.matches("warning[W001]").count(), 12, "{stderr}");
    let summary = stderr
        .split("problems by code")
        .nth(1)
        .unwrap_or_else(|| panic!("no summary:\n{stderr}"));
    let rows: Vec<&str> = summary
        .lines()
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(rows.len(), 2, "{summary}");
    assert!(
        rows[0].contains("error")
            && rows[0].contains("E008")
            && rows[0].contains(" 1  guidelines/a.md:5:10"),
        "{}",
        rows[0]
    );
    assert!(
        rows[1].contains("warning")
            && rows[1].contains("W001")
            && rows[1].contains("12  guidelines/a.md:11:1"),
        "{}",
        rows[1]
    );
    assert!(
        stderr.ends_with("in 1 language: 1 error, 12 warnings\n"),
        "{stderr:?}"
    );

    // A few diagnostics need no summary.
    let (_, _, few) = run(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/book-unknown-key"),
        &["check"],
    );
    assert!(!few.contains("problems by code"), "{few}");
}

#[test]
fn quiet_prints_errors_and_the_summary_only() {
    let project = noisy_project();
    let (code, _, stderr) = run(project.path(), &["check", "--quiet"]);
    assert_eq!(code, Some(1));
    assert!(!stderr.contains("warning[W001]"), "{stderr}");
    assert_eq!(stderr.matches("error[E008]").count(), 1, "{stderr}");
    assert!(stderr.contains("problems by code"), "{stderr}");
    assert!(
        stderr.contains("W001    12"),
        "the summary still counts warnings: {stderr}"
    );
    assert!(
        stderr.ends_with("in 1 language: 1 error, 12 warnings\n"),
        "{stderr:?}"
    );

    // JSON stays one object per diagnostic, every one, and nothing else.
    let (_, stdout, stderr) = run(project.path(), &["check", "--format", "json", "--quiet"]);
    assert!(stderr.is_empty(), "{stderr}");
    let objects: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 13);
    assert!(objects.iter().all(|o| o["code"].is_string()));
}
