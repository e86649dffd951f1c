//! `handbok export mdbook`: the exported project is built by mdBook itself (its driver library,
//! the code behind the `mdbook` binary) and the result is checked.

mod common;
use common::Fixture;

#[test]
fn exported_handbook_builds_with_mdbook() {
    let fixture = Fixture::new("site");
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("picked-sv");
    let (project, chapters) = handbok::export::mdbook(&fixture.root, "picked", Some("sv"), &dir);
    assert!(
        project.diags.is_empty(),
        "{:?}",
        project.diags.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    assert_eq!(chapters, Some(2));

    let summary = std::fs::read_to_string(dir.join("src/SUMMARY.md")).unwrap();
    assert_eq!(
        summary,
        "# Picked\n\n- [Betamodul](beta.md)\n- [Alfamodul](alpha.md)\n"
    );
    let alpha = std::fs::read_to_string(dir.join("src/alpha.md")).unwrap();
    assert!(alpha.starts_with("# Alfamodul\n"));
    assert!(!alpha.contains("title:"), "front matter is stripped");
    // Links within the handbook point at chapters; empty texts become titles.
    assert!(alpha.contains("[Betamodul](beta.md)"), "{alpha}");
    assert!(
        alpha.contains("[detaljerna om beta](beta.md#details)"),
        "{alpha}"
    );
    // The localized image is copied and linked.
    assert!(
        alpha.contains("![Ett stapeldiagram över lästider](media/sv/media/media/chart.svg)"),
        "{alpha}"
    );
    assert!(dir.join("src/media/sv/media/media/chart.svg").is_file());

    let book = mdbook_driver::MDBook::load(&dir).expect("mdBook loads the export");
    book.build().expect("mdBook builds the export");
    let html = std::fs::read_to_string(dir.join("book/alpha.html")).unwrap();
    assert!(
        html.contains("href=\"beta.html#details\""),
        "mdBook resolved the cross-link"
    );
    assert!(html.contains("lang=\"sv\""));
}

#[test]
fn untranslated_chapters_keep_the_source_text_and_drafts_stay_out() {
    let fixture = Fixture::new("site");
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("school-de");
    // all-school selects alpha, beta and the draft gamma; beta has no German translation.
    let (_, chapters) = handbok::export::mdbook(&fixture.root, "all-school", Some("de"), &dir);
    assert_eq!(chapters, Some(2));
    let beta = std::fs::read_to_string(dir.join("src/beta.md")).unwrap();
    assert!(
        beta.starts_with("# Beta module\n"),
        "untranslated chapters keep the source text"
    );
}

#[test]
fn unknown_handbook_or_language_is_a_clear_error() {
    let fixture = Fixture::new("site");
    let temp = tempfile::tempdir().unwrap();
    let (project, chapters) = handbok::export::mdbook(&fixture.root, "pickd", None, temp.path());
    assert_eq!(chapters, None);
    let d = project.diags.iter().next().unwrap();
    assert_eq!(d.code.as_str(), "E033");
    assert_eq!(d.help.as_deref(), Some("did you mean `picked`?"));
    let (project, _) = handbok::export::mdbook(&fixture.root, "picked", Some("fi"), temp.path());
    assert!(
        project
            .diags
            .iter()
            .next()
            .unwrap()
            .message
            .contains("`fi`")
    );
}

/// Issue 7: mdBook publishes raw HTML as it is, so what the site's sanitizer would change is
/// left out of the exported chapters; raw HTML links and media are rewritten like Markdown ones.
#[test]
fn exported_chapters_carry_no_script_and_rewrite_raw_html_urls() {
    let fixture = Fixture::new("hostile");
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("all");
    let (project, chapters) = handbok::export::mdbook(&fixture.root, "all", None, &dir);
    assert!(!project.diags.has_errors());
    assert_eq!(chapters, Some(2));
    let hostile = std::fs::read_to_string(dir.join("src/raw-html.md"))
        .unwrap()
        .to_lowercase();
    for bad in [
        "<script",
        "onerror",
        "onload",
        "onmouseover",
        "ontoggle",
        "javascript:",
        "&#106;",
        "<iframe",
        "<object",
        "<form",
        "<meta",
        "<base",
        "<svg",
        "style=",
    ] {
        assert!(
            !hostile.contains(bad),
            "{bad} in the exported chapter:\n{hostile}"
        );
    }
    assert!(hostile.contains("this paragraph must still be on the page."));
    let safe = std::fs::read_to_string(dir.join("src/safe-html.md")).unwrap();
    assert!(
        safe.contains("<img src=\"media/media/media/chart.svg\" alt=\"A bar chart of reading scores\" width=\"120\">"),
        "{safe}"
    );
    assert!(safe.contains("<a href=\"raw-html.md#after\">"), "{safe}");
    assert!(safe.contains("<kbd>Ctrl</kbd>"));
    assert!(dir.join("src/media/media/media/chart.svg").is_file());
}
