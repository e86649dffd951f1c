//! EPUB output (issue 12): `handbok export epub` and `epub` in book.toml.
//!
//! The last test builds every EPUB of the sample (each handbook in each language) and runs the
//! validators publishers and libraries use: epubcheck (Debian's package; no error, no warning)
//! and DAISY Ace (npm `@daisy/ace` in tests/epub, with Debian's Chromium; no violation). Where
//! they are missing it is skipped with a message, unless `HANDBOK_EPUB_TESTS=required` (as
//! `.ci/run` sets), which makes a missing tool a failure.

mod common;

use common::Fixture;
use handbok::render::BuildOptions;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The files of an EPUB: name → bytes, and the names in archive order.
struct Epub {
    names: Vec<String>,
    files: std::collections::BTreeMap<String, Vec<u8>>,
    stored_first: bool,
}

impl Epub {
    fn open(path: &Path) -> Epub {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut names = Vec::new();
        let mut files = std::collections::BTreeMap::new();
        let mut stored_first = false;
        for i in 0..zip.len() {
            let mut file = zip.by_index(i).unwrap();
            if i == 0 {
                stored_first = file.compression() == zip::CompressionMethod::Stored;
            }
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            let name = file.name().expect("a UTF-8 name").to_string();
            names.push(name.clone());
            files.insert(name, content);
        }
        Epub {
            names,
            files,
            stored_first,
        }
    }

    fn text(&self, name: &str) -> String {
        String::from_utf8(self.files[name].clone()).unwrap()
    }
}

/// Whether `text` is well-formed XML (XHTML files start with `<!DOCTYPE html>`, a DTD
/// without an internal subset).
/// Builds the fixture into its `book/` folder, which must succeed: (project, output folder).
fn build(fixture: &Fixture) -> (handbok::Project, PathBuf) {
    let out = fixture.root.join("book");
    let (project, stats) =
        handbok::build::build(&fixture.root, Some(&out), &BuildOptions::default());
    assert!(
        stats.is_some(),
        "{:?}",
        project.diags.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    (project, out)
}

fn well_formed(text: &str) -> Result<(), roxmltree::Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).map(|_| ())
}

fn export(fixture: &Fixture, handbook: &str, lang: Option<&str>, out: &Path) -> Epub {
    let (project, written) = handbok::export::epub::epub(&fixture.root, handbook, lang, Some(out));
    assert!(
        written.is_some(),
        "the export succeeds: {:?}",
        project.diags.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    Epub::open(out)
}

#[test]
fn chapters_are_well_formed_xhtml_and_links_stay_in_the_book() {
    let fixture = Fixture::new("site");
    let temp = tempfile::tempdir().unwrap();
    let epub = export(&fixture, "picked", Some("sv"), &temp.path().join("b.epub"));
    assert_eq!(epub.names[0], "mimetype");
    assert!(epub.stored_first, "mimetype is stored, not compressed");
    assert_eq!(epub.text("mimetype"), "application/epub+zip");
    for (name, bytes) in &epub.files {
        if name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".xml") {
            let text = std::str::from_utf8(bytes).unwrap();
            well_formed(text).unwrap_or_else(|e| panic!("{name} is not well-formed XML: {e}"));
            assert!(!text.contains("<script"), "{name} has no script");
        }
    }
    let alpha = epub.text("EPUB/alpha.xhtml");
    // Inside the handbook: chapter files; with `site-url`, a file that is no image: the site.
    assert!(alpha.contains("href=\"beta.xhtml\""), "{alpha}");
    assert!(alpha.contains("href=\"beta.xhtml#details\""), "{alpha}");
    assert!(alpha.contains("href=\"#end\""), "{alpha}");
    assert!(
        alpha.contains("src=\"sv/media/media/chart.svg\""),
        "{alpha}"
    );
    // The reading order: title page, contents, then the handbook's order (beta first).
    let opf = epub.text("EPUB/package.opf");
    let spine = &opf[opf.find("<spine").unwrap()..];
    let beta = spine.find("c0").unwrap();
    assert!(spine.find("\"title\"").unwrap() < beta);
    assert!(opf.contains("id=\"c0\" href=\"beta.xhtml\""), "{opf}");
    assert!(opf.contains("<dc:language>sv</dc:language>"));
    assert!(opf.contains("<dc:rights>Creative Commons Attribution Share Alike 4.0"));
    assert!(opf.contains("<meta property=\"dcterms:modified\">2025-02-28T00:00:00Z</meta>"));
    assert!(opf.contains("<meta property=\"schema:accessibilityFeature\">alternativeText</meta>"));
    assert!(opf.contains("EPUB Accessibility 1.1 - WCAG 2.1 Level AA"));
    // The summary is in the reader's language.
    assert!(opf.contains("Varje bild har en textbeskrivning."), "{opf}");
}

#[test]
fn an_untranslated_chapter_is_marked_with_its_language_and_the_notice() {
    let fixture = Fixture::new("site");
    let temp = tempfile::tempdir().unwrap();
    let epub = export(&fixture, "picked", Some("de"), &temp.path().join("b.epub"));
    let beta = epub.text("EPUB/beta.xhtml");
    assert!(
        beta.contains(
            "role=\"doc-chapter\" aria-labelledby=\"hb-title\" lang=\"en\" xml:lang=\"en\""
        ),
        "{beta}"
    );
    assert!(
        beta.contains("<p class=\"notice\" role=\"note\" lang=\"de\" xml:lang=\"de\">Dieses Modul"),
        "{beta}"
    );
    let nav = epub.text("EPUB/contents_page.xhtml");
    assert!(nav.contains("<a href=\"beta.xhtml\" lang=\"en\" xml:lang=\"en\">Beta module</a>"));
    let opf = epub.text("EPUB/package.opf");
    assert!(opf.contains("auf English"), "{opf}");
}

#[test]
fn links_out_of_the_handbook_go_to_the_site_or_become_text() {
    let fixture = Fixture::new("site");
    fixture.edit("book.toml", |t| {
        format!(
            "{t}\n[[handbok.handbook]]\nid = \"alone\"\ntitle = \"Alone\"\nmodules = [\"alpha\"]\n"
        )
    });
    let temp = tempfile::tempdir().unwrap();
    let epub = export(&fixture, "alone", None, &temp.path().join("a.epub"));
    let alpha = epub.text("EPUB/alpha.xhtml");
    assert!(
        alpha.contains("href=\"https://example.org/guides/en/modules/beta.html#details\""),
        "{alpha}"
    );
    assert!(
        alpha.contains("href=\"https://example.org/guides/media/media/sheet.pdf\""),
        "{alpha}"
    );
    assert!(!alpha.contains("beta.xhtml"), "{alpha}");

    // Without `site-url` there is nowhere to send the reader: the link text stays, as text.
    fixture.edit("book.toml", |t| {
        t.replace("site-url = \"https://example.org/guides\"\n", "")
    });
    let epub = export(&fixture, "alone", None, &temp.path().join("b.epub"));
    let alpha = epub.text("EPUB/alpha.xhtml");
    assert!(alpha.contains("<a>the beta details</a>"), "{alpha}");
    assert!(alpha.contains("<a>a local sheet</a>"), "{alpha}");
    assert!(!alpha.contains("example.org/guides"), "{alpha}");
    well_formed(&alpha).unwrap();
}

#[test]
fn media_shown_twice_are_in_the_book_once() {
    let fixture = Fixture::new("site");
    fixture.edit("guidelines/school/beta.md", |t| {
        format!("{t}\n![The same chart](../media/chart.svg)\n")
    });
    let temp = tempfile::tempdir().unwrap();
    let epub = export(&fixture, "picked", None, &temp.path().join("b.epub"));
    let charts: Vec<&String> = epub
        .names
        .iter()
        .filter(|n| n.ends_with("chart.svg"))
        .collect();
    assert_eq!(charts, ["EPUB/media/media/chart.svg"]);
    assert!(
        epub.text("EPUB/beta.xhtml")
            .contains("src=\"media/media/chart.svg\"")
    );
    assert!(
        epub.text("EPUB/alpha.xhtml")
            .contains("src=\"media/media/chart.svg\"")
    );
    let opf = epub.text("EPUB/package.opf");
    assert_eq!(opf.matches("chart.svg").count(), 1, "{opf}");
}

#[test]
fn the_same_project_makes_the_same_bytes() {
    let fixture = Fixture::new("site");
    let temp = tempfile::tempdir().unwrap();
    let (a, b) = (temp.path().join("a.epub"), temp.path().join("b.epub"));
    export(&fixture, "picked", Some("sv"), &a);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    export(&fixture, "picked", Some("sv"), &b);
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

#[test]
fn a_bad_handbook_or_language_is_an_exact_error_and_writes_nothing() {
    let fixture = Fixture::new("site");
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("x.epub");
    let (project, written) = handbok::export::epub::epub(&fixture.root, "pickd", None, Some(&out));
    assert!(written.is_none());
    let d = project.diags.iter().next().unwrap();
    assert_eq!(d.code.as_str(), "E033");
    assert_eq!(d.message, "no handbook `pickd` in book.toml");
    assert_eq!(d.help.as_deref(), Some("did you mean `picked`?"));
    let (project, written) =
        handbok::export::epub::epub(&fixture.root, "picked", Some("fi"), Some(&out));
    assert!(written.is_none());
    let d = project.diags.iter().next().unwrap();
    assert_eq!(d.code.as_str(), "E033");
    assert_eq!(d.message, "`fi` is not a language of this project");
    assert_eq!(d.help.as_deref(), Some("the languages are: en, sv, de"));
    assert!(!out.exists());
}

#[test]
fn a_failed_export_leaves_the_old_file_as_it_was() {
    let fixture = Fixture::new("site");
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("b.epub");
    std::fs::write(&out, b"the old book").unwrap();
    // An error in the source language stops the export before anything is written.
    fixture.edit("guidelines/school/alpha.md", |t| {
        t.replace("levels: [primary, isced-2]", "levels: [primry]")
    });
    let (project, written) = handbok::export::epub::epub(&fixture.root, "picked", None, Some(&out));
    assert!(written.is_none());
    assert!(project.diags.has_errors());
    assert_eq!(std::fs::read(&out).unwrap(), b"the old book");
    // A folder that does not exist: an error that says where, and nothing left behind.
    let fixture = Fixture::new("site");
    let missing = temp.path().join("no/such/folder/b.epub");
    let (project, written) =
        handbok::export::epub::epub(&fixture.root, "picked", None, Some(&missing));
    assert!(written.is_none());
    let d = project.diags.iter().next().unwrap();
    assert_eq!(d.code.as_str(), "E033");
    assert!(
        d.message
            .starts_with(&format!("writing {}:", missing.display())),
        "{}",
        d.message
    );
    assert_eq!(
        std::fs::read_dir(temp.path()).unwrap().count(),
        1,
        "only the old book is in the folder"
    );
}

#[test]
fn a_book_is_never_written_among_the_sources() {
    let fixture = Fixture::new("site");
    let out = fixture.root.join("guidelines/media/b.epub");
    let (project, written) = handbok::export::epub::epub(&fixture.root, "picked", None, Some(&out));
    assert!(written.is_none());
    let d = project.diags.iter().next().unwrap();
    assert_eq!(d.code.as_str(), "E033");
    assert_eq!(
        d.message,
        format!(
            "{} lies inside the project's guidelines folder",
            out.display()
        )
    );
    assert!(!out.exists());
    // Beside book.toml is fine.
    export(&fixture, "picked", None, &fixture.root.join("picked.epub"));
}

/// What a user of the command line sees for a handbook that does not exist.
#[test]
fn the_command_line_says_which_handbooks_there_are() {
    let fixture = Fixture::new("site");
    let output = common::handbok(&fixture.root, &["export", "epub", "--handbook", "pickd"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error[E033]: no handbook `pickd` in book.toml"),
        "{stderr}"
    );
    assert!(stderr.contains("help: did you mean `picked`?"), "{stderr}");
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("x.epub");
    let output = common::handbok(
        &fixture.root,
        &[
            "export",
            "epub",
            "--handbook",
            "picked",
            "--lang",
            "sv",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("wrote 2 chapters"));
}

#[test]
fn right_to_left_books_say_so() {
    let fixture = Fixture::new("site");
    fixture.edit("book.toml", |t| {
        t.replace(
            "languages = [\"en\", \"sv\", \"de\"]",
            "languages = [\"en\", \"sv\", \"de\", \"ar\"]",
        )
    });
    let temp = tempfile::tempdir().unwrap();
    let epub = export(&fixture, "picked", Some("ar"), &temp.path().join("b.epub"));
    let opf = epub.text("EPUB/package.opf");
    assert!(
        opf.contains("<spine page-progression-direction=\"rtl\">"),
        "{opf}"
    );
    assert!(
        epub.text("EPUB/alpha.xhtml")
            .contains("lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\"")
    );
}

#[test]
fn build_writes_the_books_asked_for_and_links_them_with_their_size() {
    let fixture = Fixture::new("site");
    fixture.edit("book.toml", |t| {
        t.replace(
            "[handbok]\n",
            "[handbok]\nepub = [\"sv\"]\noffline = [\"sv\"]\n",
        )
    });
    let (_, out) = build(&fixture);
    let path = out.join("sv/handbooks/fixture-handbook-picked-sv.epub");
    let size = std::fs::metadata(&path).unwrap().len();
    let page = std::fs::read_to_string(out.join("sv/handbooks/picked.html")).unwrap();
    let kb = size.div_ceil(1000);
    assert!(
        page.contains(&format!(
            "<a href=\"../../sv/handbooks/fixture-handbook-picked-sv.epub\" type=\"application/epub+zip\" download>Ladda ner för läsplatta (EPUB, {kb} KB)</a>"
        )),
        "{page}"
    );
    // The offline copy holds the book and the page that links to it.
    let zip = Epub::open(&out.join("sv/fixture-handbook-sv.zip"));
    let book = &zip.files["fixture-handbook-sv/sv/handbooks/fixture-handbook-picked-sv.epub"];
    assert_eq!(book.len() as u64, size);
    let copy = String::from_utf8(zip.files["fixture-handbook-sv/sv/handbooks/picked.html"].clone())
        .unwrap();
    assert!(copy.contains(&format!("(EPUB, {kb} KB)")));
    // Only the languages asked for.
    assert!(
        !out.join("en/handbooks/fixture-handbook-picked-en.epub")
            .exists()
    );
    let english = std::fs::read_to_string(out.join("en/handbooks/picked.html")).unwrap();
    assert!(!english.contains(".epub"));
    // The build's book is the export's.
    let temp = tempfile::tempdir().unwrap();
    let exported = temp.path().join("e.epub");
    export(&fixture, "picked", Some("sv"), &exported);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        std::fs::read(&exported).unwrap()
    );

    // A language the site does not publish is an error in book.toml.
    fixture.edit("book.toml", |t| {
        t.replace(
            "epub = [\"sv\"]\noffline = [\"sv\"]",
            "epub = [\"sv\", \"fi\"]",
        )
    });
    fixture.check().expect("E022", "book.toml:7:15").no_more();
}

fn available(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Issue 12's "done when": every EPUB of the sample, in every language, passes epubcheck with
/// no error or warning, and every chapter of every language passes DAISY Ace with no violation;
/// so do three books of the fixtures, for what the sample lacks (images, hostile HTML).
#[test]
fn sample_epubs_pass_epubcheck_and_ace() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let suite = manifest.join("tests/epub");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let epubcheck =
        std::env::var("EPUBCHECK_JAR").unwrap_or_else(|_| "/usr/share/java/epubcheck.jar".into());
    let missing: Vec<&str> = [
        ("java", available("java", &["-version"])),
        ("epubcheck (Debian package)", Path::new(&epubcheck).exists()),
        ("node", available("node", &["--version"])),
        (
            "tests/epub/node_modules (run `npm ci` there)",
            suite.join("node_modules/@daisy/ace-core").is_dir(),
        ),
        ("chromium", Path::new(&chromium).exists()),
    ]
    .into_iter()
    .filter(|(_, ok)| !ok)
    .map(|(name, _)| name)
    .collect();
    if !missing.is_empty() {
        let message = format!("EPUB validators need: {}", missing.join(", "));
        assert!(
            std::env::var("HANDBOK_EPUB_TESTS").as_deref() != Ok("required"),
            "{message}"
        );
        eprintln!("skipped: {message}");
        return;
    }

    let fixture = Fixture::sample();
    // The EPUBs only: the offline zips are another test's. One more handbook holds every
    // module, so that Ace (about half a second a chapter) reads each chapter of each language
    // once, not once for every handbook it is in; epubcheck (4 to 10 s a book) reads the
    // sample's own books.
    fixture.edit("book.toml", |t| {
        let t = t.replace("offline = true\n", "");
        let t = if t.contains("\nepub = true\n") {
            t
        } else {
            t.replace("[handbok]\n", "[handbok]\nepub = true\n")
        };
        format!(
            "{t}\n[[handbok.handbook]]\nid = \"every-module\"\ntitle = \"Every module\"\n\
             levels = [\"early-childhood\", \"primary\", \"lower-secondary\", \"upper-secondary\", \
             \"post-secondary\", \"short-cycle-tertiary\", \"bachelor\", \"master\", \"doctoral\"]\n"
        )
    });
    let (project, out) = build(&fixture);
    let data = project.loaded.as_ref().unwrap();
    let mut books: Vec<PathBuf> = Vec::new();
    for lang in &data.config.languages {
        for entry in std::fs::read_dir(out.join(lang.as_str()).join("handbooks")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "epub") {
                books.push(path);
            }
        }
    }
    books.sort();
    assert_eq!(
        books.len(),
        data.config.handbooks.len() * data.config.languages.len(),
        "one book per handbook and language"
    );
    let every: Vec<&PathBuf> = books
        .iter()
        .filter(|b| b.to_string_lossy().contains("-every-module-"))
        .collect();
    assert_eq!(every.len(), data.config.languages.len());
    for book in &every {
        let chapters = Epub::open(book)
            .names
            .iter()
            .filter(|n| n.ends_with(".xhtml"))
            .count();
        assert_eq!(chapters, data.graph.modules.len() + 2, "{}", book.display());
    }

    // The sample has no images: the fixtures' books add images with alternative text, an SVG,
    // an untranslated chapter in a translated book, and hostile raw HTML.
    let fixtures = [
        ("site", "picked", Some("sv")),
        ("site", "picked", Some("de")),
        ("hostile", "all", None),
    ];
    let mut more: Vec<PathBuf> = Vec::new();
    for (name, handbook, lang) in fixtures {
        let path = fixture
            .root
            .join(format!("{name}-{handbook}-{}.epub", lang.unwrap_or("en")));
        export(&Fixture::new(name), handbook, lang, &path);
        more.push(path);
    }
    let every: Vec<&PathBuf> = every.into_iter().chain(&more).collect();

    // Ace in one Node process (one Chromium) while epubcheck runs beside it, two at a time.
    let started = Instant::now();
    let reports = fixture.root.join("ace");
    let ace = Command::new("node")
        .arg(suite.join("ace.mjs"))
        .arg(&reports)
        .args(&every)
        .env("CHROMIUM", &chromium)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run node");
    let own: Vec<&PathBuf> = books
        .iter()
        .filter(|b| !every.contains(b))
        .chain(&more)
        .collect();
    let next = &std::sync::atomic::AtomicUsize::new(0);
    let (checked, (ace, ace_time), epubcheck_time) = std::thread::scope(|scope| {
        let ace = scope.spawn(move || {
            let output = ace.wait_with_output().expect("wait for Ace");
            (output, started.elapsed())
        });
        let (books, epubcheck) = (&own, &epubcheck);
        let workers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        let Some(book) = books.get(i) else { break };
                        // C1 only: epubcheck's run is too short for the optimizing compiler
                        // to pay off (half the time).
                        let output = Command::new("java")
                            .args(["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar"])
                            .arg(epubcheck)
                            .arg(book)
                            .output()
                            .expect("run epubcheck");
                        done.push((book.to_path_buf(), output));
                    }
                    done
                })
            })
            .collect();
        let checked: Vec<(PathBuf, std::process::Output)> = workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect();
        let epubcheck_time = started.elapsed();
        (checked, ace.join().unwrap(), epubcheck_time)
    });

    let mut problems = Vec::new();
    for (book, output) in &checked {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        if !output.status.success() || !text.contains("No errors or warnings detected.") {
            problems.push(format!("epubcheck {}:\n{text}", book.display()));
        }
    }
    let ace_out = String::from_utf8_lossy(&ace.stdout);
    if !ace.status.success() {
        problems.push(format!(
            "Ace:\n{ace_out}{}",
            String::from_utf8_lossy(&ace.stderr)
        ));
    }
    eprintln!(
        "epubcheck on {} EPUBs: {:.1?} (two at a time); Ace on {} beside it: {:.1?}",
        checked.len(),
        epubcheck_time,
        every.len(),
        ace_time
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(
        ace_out
            .lines()
            .filter(|l| l.contains(": 0 violations, outcome pass"))
            .count(),
        every.len(),
        "{ace_out}"
    );
}

/// Nothing an author writes may run script, in a book as on the site: the hostile fixture's
/// chapters are well-formed XHTML without script, event handlers or `javascript:` URLs.
#[test]
fn hostile_content_stays_text_in_the_book() {
    let fixture = Fixture::new("hostile");
    let temp = tempfile::tempdir().unwrap();
    let epub = export(&fixture, "all", None, &temp.path().join("h.epub"));
    for (name, bytes) in &epub.files {
        if !name.ends_with(".xhtml") {
            continue;
        }
        let text = std::str::from_utf8(bytes).unwrap();
        well_formed(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let lower = text.to_lowercase();
        for bad in [
            "<script",
            " onerror=",
            " onclick=",
            " onload=",
            "javascript:",
            "<iframe",
        ] {
            assert!(!lower.contains(bad), "{name} contains {bad}:\n{text}");
        }
    }
}
