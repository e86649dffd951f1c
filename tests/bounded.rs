//! Bounded work on any input (issue 7): hostile YAML is refused before parsing, and sitemaps
//! stay within the protocol's limits however many languages and modules a project has.

mod common;
use common::Fixture;

/// Replaces alpha's front matter line `keywords: [numbers]` (line 10) with `line`.
fn alpha_with(fixture: &Fixture, line: &str) {
    fixture.edit("guidelines/school/alpha.md", |text| {
        text.replacen("keywords: [numbers]", line, 1)
    });
}

/// What a module whose front matter cannot be read costs elsewhere, as with any YAML error: the
/// module is unknown, so links to it and its translations are reported. Nothing else is.
fn expect_alpha_unknown(checked: &mut common::Checked) {
    checked
        .expect("E013", "book.toml:22:20")
        .expect("E011", "guidelines/school/beta.md:12:5")
        .expect("E016", "translations/de/school/alpha.md:1:1")
        .expect("E016", "translations/sv/school/alpha.md:1:1")
        .expect("E011", "translations/sv/school/beta.md:8:4")
        .no_more();
}

/// The issue's case: 200 KB of nested flow lists took 35 s in the parser. The guard refuses it
/// where the 33rd level opens.
#[test]
fn issue_7_nested_flow_is_refused_at_the_level_past_the_limit() {
    let fixture = Fixture::copy("valid");
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    alpha_with(&fixture, &format!("keywords: {nested}"));
    // The mapping is level 1, so the 32nd `[` (column 11 + 31) opens level 33.
    let mut checked = fixture.check();
    checked.expect_with(
        "E039",
        "guidelines/school/alpha.md:10:42",
        "more than 32 levels",
    );
    expect_alpha_unknown(&mut checked);
}

#[test]
fn deep_block_nesting_is_refused() {
    let fixture = Fixture::copy("valid");
    let mut deep = String::from("keywords:\n");
    for level in 1..40 {
        deep.push_str(&format!("{}- a:\n", "  ".repeat(level)));
    }
    alpha_with(&fixture, deep.trim_end());
    // Levels are counted by indentation column: line 10 is level 1, line 11 opens levels 2 and
    // 3, each line below one more, so line 41's item opens level 33 at column 2 * 31 + 3.
    let mut checked = fixture.check();
    checked.expect_with(
        "E039",
        "guidelines/school/alpha.md:41:65",
        "more than 32 levels",
    );
    expect_alpha_unknown(&mut checked);
}

#[test]
fn front_matter_over_64_kb_is_refused() {
    let fixture = Fixture::copy("valid");
    alpha_with(&fixture, &format!("keywords: [{}]", "x".repeat(70_000)));
    let text = std::fs::read_to_string(fixture.root.join("guidelines/school/alpha.md")).unwrap();
    let line_10: usize = text.split_inclusive('\n').take(9).map(str::len).sum();
    // The YAML starts after `---\n`; the limit falls inside the long word on line 10.
    let column = 4 + 64 * 1024 - line_10 + 1;
    let mut checked = fixture.check();
    checked.expect_with(
        "E039",
        &format!("guidelines/school/alpha.md:10:{column}"),
        "more than the 64 KB allowed",
    );
    expect_alpha_unknown(&mut checked);
}

#[test]
fn ui_yaml_over_1_mb_is_refused_and_the_rest_still_checks() {
    let fixture = Fixture::copy("valid");
    let path = "translations/sv/ui.yaml";
    let mut ui = std::fs::read_to_string(fixture.root.join(path)).unwrap();
    let pad = format!("# {}\n", "-".repeat(61));
    while ui.len() <= 1024 * 1024 {
        ui.push_str(&pad);
    }
    fixture.write(path, &ui);
    let line_start: usize = ui[..1024 * 1024].rfind('\n').unwrap() + 1;
    let line = ui[..line_start].matches('\n').count() + 1;
    let column = 1024 * 1024 - line_start + 1;
    fixture
        .check()
        .expect_with(
            "E039",
            &format!("{path}:{line}:{column}"),
            "more than the 1 MB allowed",
        )
        .no_more();
}

mod sitemaps {
    use super::Fixture;
    use handbok::render::sitemap::{Limits, PROTOCOL};
    use handbok::render::{BuildOptions, Page, Site};

    /// Every `<loc>` of an XML text, in order.
    fn locs(xml: &str) -> Vec<String> {
        xml.split("<loc>")
            .skip(1)
            .map(|s| s[..s.find("</loc>").expect("closed loc")].to_string())
            .collect()
    }

    /// The sitemap files of fixture `site` split at `limits`: `sitemap.xml` and the parts.
    fn sitemaps(limits: Option<Limits>) -> (String, Vec<String>) {
        let fixture = Fixture::new("site");
        let project = handbok::analyze(&fixture.root);
        let data = std::sync::Arc::new(project.loaded.expect("loaded"));
        let mut diags = handbok::diag::Diagnostics::default();
        let mut site =
            Site::new(data, &BuildOptions::default(), Vec::new(), &mut diags).expect("site");
        if let Some(limits) = limits {
            site = site.with_sitemap_limits(limits);
        }
        let text = |page: &Page| String::from_utf8(site.render(page).unwrap()).unwrap();
        let parts: Vec<Page> = site
            .pages()
            .into_iter()
            .filter(|p| matches!(p, Page::SitemapPart(_)))
            .collect();
        for (n, part) in parts.iter().enumerate() {
            assert_eq!(site.path(part), format!("sitemap-{}.xml", n + 1));
        }
        (text(&Page::Sitemap), parts.iter().map(text).collect())
    }

    #[test]
    fn a_small_site_keeps_one_sitemap() {
        let (root, parts) = sitemaps(None);
        assert!(parts.is_empty());
        assert!(root.contains("<urlset"));
        let urls = locs(&root);
        assert!(urls.len() > 20, "{}", urls.len());
        assert_eq!(urls[0], "https://example.org/guides/index.html");
        assert_eq!(sitemaps(Some(PROTOCOL)).1.len(), 0);
    }

    /// The sitemap is split at a small injected limit: `sitemap.xml` becomes the index, each
    /// part is within the limit, and the parts hold every entry once, in order.
    #[test]
    fn sitemaps_split_at_the_url_and_byte_limits() {
        let (whole, _) = sitemaps(None);
        let every_url = locs(&whole);
        let tight_bytes = whole.len() / 5;
        for limits in [
            Limits {
                urls: 7,
                bytes: usize::MAX,
            },
            Limits {
                urls: usize::MAX,
                bytes: tight_bytes,
            },
        ] {
            let (index, parts) = sitemaps(Some(limits));
            assert!(parts.len() > 1, "{limits:?}");
            assert!(index.contains("<sitemapindex"), "{index}");
            let listed: Vec<String> = (1..=parts.len())
                .map(|n| format!("https://example.org/guides/sitemap-{n}.xml"))
                .collect();
            assert_eq!(locs(&index), listed);
            let mut joined = Vec::new();
            for part in &parts {
                assert!(part.starts_with("<?xml") && part.ends_with("</urlset>\n"));
                let urls = part.matches("<url>").count();
                assert!(urls >= 1 && urls <= limits.urls, "{urls}");
                assert!(
                    part.len() <= limits.bytes,
                    "{} > {}",
                    part.len(),
                    limits.bytes
                );
                joined.extend(
                    part.split("<url>")
                        .skip(1)
                        .map(|u| locs(u).into_iter().next().unwrap()),
                );
            }
            assert_eq!(joined, every_url, "{limits:?}");
        }
    }

    /// 60 listed languages without translations build, and the sitemap holds each page once with
    /// an alternate per language: output grows with pages × languages, memory with one file.
    #[test]
    fn many_languages_build() {
        let fixture = Fixture::copy("site");
        let extra = [
            "aa", "ab", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg",
            "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv",
            "cy", "da", "dv", "dz", "ee", "el", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj",
            "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr",
            "ht",
        ];
        let list: Vec<String> = ["en", "sv", "de"]
            .iter()
            .chain(&extra)
            .map(|l| format!("\"{l}\""))
            .collect();
        assert_eq!(list.len(), 60);
        fixture.edit("book.toml", |t| {
            t.replace(
                "languages = [\"en\", \"sv\", \"de\"]",
                &format!("languages = [{}]", list.join(", ")),
            )
        });
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path().join("site");
        let (project, stats) =
            handbok::build::build(&fixture.root, Some(&out), &BuildOptions::default());
        assert!(!project.diags.has_errors(), "{:?}", project.diags);
        assert!(stats.is_some());
        let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
        // Every entry but the root's language picker lists the 60th language.
        let urls = sitemap.matches("<url>").count();
        assert_eq!(sitemap.matches("hreflang=\"ht\"").count(), urls - 1);
        assert!(out.join("ht/index.html").is_file());
    }
}
