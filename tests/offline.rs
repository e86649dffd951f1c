//! Offline copies (issue 10): with `offline` in book.toml, `build` writes a zip of each
//! language's site, linked from that language's home page with its size. Unzipped, its pages
//! link only to files inside it (the other languages aside); two builds give the same bytes.

mod common;

use common::Fixture;
use handbok::render::BuildOptions;
use scraper::Selector;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

fn offline(fixture: &Fixture, value: &str) {
    fixture.edit("book.toml", |b| {
        b.replace("[handbok]\n", &format!("[handbok]\noffline = {value}\n"))
    });
}

/// The zip's entries: path → bytes.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut out = Vec::new();
            file.read_to_end(&mut out).unwrap();
            (file.name().unwrap().to_string(), out)
        })
        .collect()
}

#[test]
fn a_language_not_on_the_site_is_an_error_at_its_place() {
    let fixture = Fixture::new("site");
    offline(&fixture, r#"["sv", "dee"]"#);
    fixture
        .check()
        .expect_with(
            "E022",
            "book.toml:7:18",
            "`dee`, which is not a language of the site",
        )
        .no_more();
    let fixture = Fixture::new("site");
    offline(&fixture, r#""yes""#);
    fixture.check().expect("E021", "book.toml:7:11").no_more();
}

#[test]
fn every_language_gets_a_zip_linked_from_its_home_with_its_size() {
    let fixture = Fixture::new("site");
    offline(&fixture, "true");
    let site = fixture.build(&BuildOptions::default());
    for (lang, text) in [
        ("en", "Download this site for offline use (ZIP, "),
        (
            "sv",
            "Ladda ner webbplatsen för användning utan uppkoppling (ZIP, ",
        ),
    ] {
        let zip = format!("{lang}/fixture-handbook-{lang}.zip");
        let bytes = site.files.get(&zip).unwrap_or_else(|| panic!("no {zip}"));
        let home = site.html(&format!("{lang}/index.html"));
        let link = home
            .select(&Selector::parse("main a[download]").unwrap())
            .next()
            .expect("a download link");
        assert_eq!(
            link.value().attr("href"),
            Some(format!("../{zip}").as_str())
        );
        let shown = link.text().collect::<String>();
        let sep = if lang == "en" { "." } else { "," };
        let size = handbok::render::offline::human_size(bytes.len() as u64, sep);
        assert_eq!(shown, format!("{text}{size})"));
        assert!(size.ends_with("KB") || size.ends_with("MB"), "{size}");
    }
}

#[test]
fn only_the_languages_asked_for_and_none_by_default() {
    let site = Fixture::new("site").build(&BuildOptions::default());
    assert!(!site.files.keys().any(|p| p.ends_with(".zip")));
    assert!(!site.text("en/index.html").contains("download"));
    let fixture = Fixture::new("site");
    offline(&fixture, r#"["sv"]"#);
    let site = fixture.build(&BuildOptions::default());
    let zips: Vec<&String> = site.files.keys().filter(|p| p.ends_with(".zip")).collect();
    assert_eq!(zips, ["sv/fixture-handbook-sv.zip"]);
    assert!(!site.text("en/index.html").contains(".zip"));
}

#[test]
fn unzipped_pages_link_only_to_files_in_the_zip() {
    let fixture = Fixture::new("site");
    offline(&fixture, r#"["sv"]"#);
    let site = fixture.build(&BuildOptions::default());
    let entries = unzip(&site.files["sv/fixture-handbook-sv.zip"]);
    let names: BTreeSet<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    let top = "fixture-handbook-sv/";
    assert!(names.iter().all(|n| n.starts_with(top)), "one folder");
    for needed in [
        "index.html",
        "sv/index.html",
        "sv/modules.html",
        "sv/modules/alpha.html",
        "sv/print/picked.html",
        "sv/search.html",
        "sv/search/index.js",
        "sv/browse/facets.js",
        "sv/media/media/chart.svg",
        "media/media/sheet.pdf",
    ] {
        assert!(
            names.contains(format!("{top}{needed}").as_str()),
            "{needed} missing from {names:?}"
        );
    }
    assert!(
        names
            .iter()
            .any(|n| n.starts_with(&format!("{top}assets/style-")))
    );
    assert!(
        !names
            .iter()
            .any(|n| n.contains("/en/") || n.contains("/de/"))
    );
    assert!(
        !names.iter().any(|n| n.ends_with(".zip")),
        "no zip in the zip"
    );
    // The copy's home page does not offer the copy again.
    let home = &entries
        .iter()
        .find(|(n, _)| *n == format!("{top}sv/index.html"))
        .unwrap()
        .1;
    assert!(!String::from_utf8_lossy(home).contains(".zip"));

    // Unzip into a folder and follow every relative link of every page.
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in &entries {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let root = dir.path().join(top);
    let links = Selector::parse("a[href], link[href], script[src], img[src]").unwrap();
    let mut checked = 0;
    for (name, bytes) in &entries {
        let Some(rel) = name.strip_prefix(top).filter(|n| n.ends_with(".html")) else {
            continue;
        };
        let page = root.join(rel);
        let html = scraper::Html::parse_document(&String::from_utf8_lossy(bytes));
        for e in html.select(&links) {
            let v = e.value();
            let target = v.attr("href").or(v.attr("src")).unwrap();
            if target.starts_with("http")
                || target.starts_with('#')
                || target.starts_with("mailto:")
            {
                continue;
            }
            // Links to the other languages lead out of a one-language copy.
            if v.attr("hreflang").is_some_and(|l| l != "sv") {
                continue;
            }
            let path = target.split(['#', '?']).next().unwrap();
            let resolved = resolve(page.parent().unwrap(), path);
            assert!(
                resolved.starts_with(&root) && resolved.is_file(),
                "{rel}: `{target}` leads to {} (not in the zip)",
                resolved.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

/// `path` relative to `dir`, with `..` resolved (the file need not exist).
fn resolve(dir: &Path, path: &str) -> std::path::PathBuf {
    let mut out = dir.to_path_buf();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            p => out.push(p),
        }
    }
    out
}

#[test]
fn two_builds_write_the_same_zip() {
    let fixture = Fixture::new("site");
    offline(&fixture, "true");
    let first = fixture.build(&BuildOptions::default());
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = fixture.build(&BuildOptions::default());
    for zip in ["en/fixture-handbook-en.zip", "de/fixture-handbook-de.zip"] {
        assert!(first.files[zip] == second.files[zip], "{zip} differs");
    }
    assert_eq!(first.files, second.files, "the whole site is reproducible");
}

/// A rebuild keeps an unchanged zip like any other unchanged file (issue 11): same inode and
/// mtime, so an upload that compares them does not send megabytes again.
#[cfg(unix)]
#[test]
fn a_rebuild_keeps_an_unchanged_zip() {
    use std::os::unix::fs::MetadataExt;
    let fixture = Fixture::new("site");
    offline(&fixture, "true");
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("site");
    let zip = out.join("en/fixture-handbook-en.zip");
    let identity = || {
        let meta = std::fs::metadata(&zip).unwrap();
        (meta.ino(), meta.mtime(), meta.mtime_nsec(), meta.len())
    };
    let build = || {
        let (project, stats) =
            handbok::build::build(&fixture.root, Some(&out), &BuildOptions::default());
        assert!(stats.is_some(), "{:?}", project.diags);
        handbok::write::settle();
    };
    build();
    let before = identity();
    std::thread::sleep(std::time::Duration::from_millis(20));
    build();
    assert_eq!(identity(), before);
}
