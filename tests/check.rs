//! `handbok check` on fixture projects: every diagnostic, with its code and exact place.

mod common;
use common::Fixture;

/// `check` leaves the bodies' HTML out and lets go of the texts it checked: it reports exactly
/// what an analysis that keeps everything reports, quoting the same lines (a text let go is
/// read again for a diagnostic found later), on every fixture project and the sample.
#[test]
fn check_reports_what_the_build_analysis_reports() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut roots: Vec<std::path::PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("book.toml").is_file())
        .collect();
    roots.push(env!("CARGO_MANIFEST_DIR").into());
    assert!(roots.len() > 8);
    let mut compared = 0;
    for root in roots {
        let full = common::shown(&handbok::analyze(&root));
        let lint = common::shown(&handbok::analyze_with(
            &root,
            handbok::check::Bodies::LintOnly,
            handbok::analysis::Texts::LetGo,
        ));
        assert_eq!(lint, full, "{}", root.display());
        compared += full.len();
    }
    assert!(compared > 50, "{compared} diagnostics");
}

#[test]
fn valid_project_has_no_problems() {
    let mut checked = Fixture::new("valid").check();
    checked.no_more();
    let data = checked.project.loaded.as_ref().expect("loaded");
    let graph = &data.graph;
    assert_eq!(graph.modules.len(), 2);
    assert_eq!(graph.translations.len(), 3);
    let alpha = graph.by_id["alpha"];
    let beta = graph.by_id["beta"];
    // Backlinks come from body links and `related`.
    assert_eq!(graph.backlinks[beta], vec![alpha]);
    assert_eq!(graph.backlinks[alpha], vec![beta]);
    // Handbooks: a facet query in corpus order, an explicit list in its own order.
    assert_eq!(graph.handbooks, vec![vec![alpha, beta], vec![beta, alpha]]);
    // sv has both translations, de only alpha.
    assert!(graph.translated[alpha][1].is_some() && graph.translated[beta][1].is_some());
    assert!(graph.translated[alpha][2].is_some() && graph.translated[beta][2].is_none());
    assert_eq!(
        data.config.site_url.as_deref(),
        Some("https://example.org/guides/")
    );
}

#[test]
fn front_matter_problems() {
    Fixture::new("front-matter")
        .check()
        .expect("E002", "guidelines/bad-utf8.md:9:4")
        .expect_with("E009", "guidelines/bad-values.md:2:1", "`bad-id`")
        .expect_with("E029", "guidelines/bad-values.md:4:1", "`summary` is empty")
        .expect_with(
            "E008",
            "guidelines/bad-values.md:5:10",
            "did you mean `primary`?",
        )
        .expect_with(
            "E008",
            "guidelines/bad-values.md:5:18",
            "unknown level `isced-9`",
        )
        .expect_with(
            "E008",
            "guidelines/bad-values.md:6:12",
            "did you mean `mathematics`?",
        )
        .expect_with(
            "E008",
            "guidelines/bad-values.md:7:17",
            "did you mean `blind`?",
        )
        .expect_with("E008", "guidelines/bad-values.md:8:16", "competence `3.5`")
        .expect_with("E008", "guidelines/bad-values.md:8:29", "competence `7.1`")
        .expect_with(
            "E008",
            "guidelines/bad-values.md:9:9",
            "did you mean `published`?",
        )
        .expect_with("E024", "guidelines/bad-values.md:10:10", "has 28 days")
        .expect_with("E025", "guidelines/bad-values.md:11:10", "`SE`")
        .expect_with("E028", "guidelines/bad-values.md:12:10", "`CC BY 4.0`")
        .expect_with("E005", "guidelines/bad-values.md:13:1", "`keywords`")
        .expect("E002", "guidelines/binary-junk.md:1:7")
        .expect_with("E004", "guidelines/duplicate-key.md:2:1", "duplicate entry")
        .expect("E020", "guidelines/empty-body.md:10:1")
        .expect("E003", "guidelines/empty-file.md:1:1")
        .expect_with("E006", "guidelines/missing-fields.md:1:1", "`id`")
        .expect_with("E006", "guidelines/missing-fields.md:1:1", "`levels`")
        .expect_with("E006", "guidelines/missing-fields.md:1:1", "`subjects`")
        .expect_with("E006", "guidelines/missing-fields.md:1:1", "`summary`")
        .expect_with(
            "E003",
            "guidelines/no-front-matter.md:1:1",
            "no front matter",
        )
        .expect("W002", "guidelines/no-front-matter.md:1:1")
        .expect_with("E005", "guidelines/not-a-map.md:2:1", "found a list")
        .expect_with("E010", "guidelines/twin-a.md:2:1", "`twin` is used twice")
        .expect_with("E003", "guidelines/unclosed.md:1:1", "never closed")
        .expect_with(
            "E005",
            "guidelines/unknown-and-mistyped.md:3:8",
            "`title` must be text",
        )
        .expect_with(
            "E007",
            "guidelines/unknown-and-mistyped.md:5:1",
            "did you mean `levels`?",
        )
        .expect_with(
            "E005",
            "guidelines/unknown-and-mistyped.md:6:9",
            "`levels` must be a list",
        )
        .expect_with(
            "E007",
            "guidelines/unknown-and-mistyped.md:8:1",
            "did you mean `accessibility`?",
        )
        .expect_with(
            "E004",
            "guidelines/yaml-syntax.md:4:8",
            "did not find expected",
        )
        .no_more();
}

#[test]
fn duplicate_ids_name_both_places() {
    // Kept until the end: the place is read from the file (its text was let go once checked).
    let fixture = Fixture::new("front-matter");
    let checked = fixture.check();
    let project = &checked.project;
    let dup = project
        .diags
        .iter()
        .find(|d| d.code.as_str() == "E010")
        .expect("E010");
    let other = &dup.secondary[0];
    let file = project.sources.get(other.file);
    assert_eq!(file.name, "guidelines/sub/twin-b.md");
    assert_eq!(file.line_col(other.span.start).line, 2);
}

#[test]
fn link_problems() {
    Fixture::new("links")
        .check()
        .expect_with(
            "E013",
            "guidelines/a/source.md:7:19",
            "did you mean `target`?",
        )
        .expect_with("W008", "guidelines/a/source.md:7:26", "lists itself")
        .expect_with(
            "E011",
            "guidelines/a/source.md:13:3",
            "did you mean `target`?",
        )
        .expect_with(
            "E012",
            "guidelines/a/source.md:13:30",
            "did you mean `part`?",
        )
        .expect_with(
            "E014",
            "guidelines/a/source.md:14:29",
            "guidelines/a/missing.md",
        )
        .expect_with(
            "E014",
            "guidelines/a/source.md:14:52",
            "outside the project",
        )
        .expect_with(
            "E014",
            "guidelines/a/source.md:15:35",
            "guidelines/img/nope.pdf",
        )
        .expect_with(
            "E012",
            "guidelines/a/source.md:15:92",
            "its heading ids are: links",
        )
        .expect_with(
            "E014",
            "guidelines/a/source.md:16:49",
            "guidelines/img/none.png",
        )
        .expect("E015", "guidelines/a/source.md:16:83")
        .no_more();
}

#[test]
fn translation_problems() {
    Fixture::new("translations")
        .check()
        .expect_with("E019", "translations/SV/:1:1", "rename the folder to `sv`")
        .expect_with("E019", "translations/en/:1:1", "source language")
        .expect_with("E019", "translations/fi/:1:1", "add `\"fi\"`")
        .expect("E026", "translations/notes.txt:1:1")
        .expect_with("E018", "translations/sv/m/one.md:4:1", "`uno`")
        .expect_with("E017", "translations/sv/m/one.md:5:1", "`levels`")
        .expect_with(
            "E007",
            "translations/sv/m/one.md:6:1",
            "did you mean `translators`?",
        )
        .expect_with("W007", "translations/sv/m/one.md:11:4", "`#deep`")
        // `## Mer` has no counterpart, so `## Djup` cannot take the source's `deep`.
        .expect_with(
            "W014",
            "translations/sv/m/two.md:10:1",
            "heading `Mer` (level 2) has no counterpart",
        )
        .expect_with(
            "E014",
            "translations/sv/m/one.md:11:66",
            "translations/sv/img/missing.png",
        )
        .expect_with(
            "E016",
            "translations/sv/m/three.md:1:1",
            "guidelines/m/three.md",
        )
        .expect_with(
            "E027",
            "translations/sv/ui.yaml:2:3",
            "did you mean `home`?",
        )
        .expect_with("E027", "translations/sv/ui.yaml:5:3", "`isced-10`")
        .expect_with("E027", "translations/sv/ui.yaml:7:3", "did you mean `all`?")
        .expect_with(
            "E027",
            "translations/sv/ui.yaml:8:1",
            "unknown section `extra`",
        )
        .no_more();
}

#[test]
fn a_moved_source_is_suggested_for_an_orphaned_translation() {
    let fixture = Fixture::copy("valid");
    std::fs::create_dir_all(fixture.root.join("guidelines/moved")).unwrap();
    std::fs::rename(
        fixture.root.join("guidelines/school/beta.md"),
        fixture.root.join("guidelines/moved/beta.md"),
    )
    .unwrap();
    fixture
        .check()
        .expect_with(
            "E016",
            "translations/sv/school/beta.md:1:1",
            "translations/sv/moved/beta.md",
        )
        // alpha links to beta by path.
        .expect_with(
            "E014",
            "guidelines/school/alpha.md:20:62",
            "guidelines/school/beta.md",
        )
        .no_more();
}

#[test]
fn content_lint_warnings() {
    Fixture::new("lint")
        .check()
        .expect_with("W006", "guidelines/lint.md:4:1", "329 characters")
        .expect("W002", "guidelines/lint.md:9:1")
        .expect_with("W001", "guidelines/lint.md:13:1", "from 2 to 4")
        .expect_with("W003", "guidelines/lint.md:15:1", "Click here")
        .expect_with("W003", "guidelines/lint.md:15:34", "läs mer")
        .expect_with("W003", "guidelines/lint.md:15:68", "Hier")
        .expect_with("W003", "guidelines/lint.md:16:1", "cliquez ici")
        .expect_with("W003", "guidelines/lint.md:16:49", "no text")
        .expect_with("W004", "guidelines/lint.md:18:1", "photo_01.jpg")
        .expect_with("W004", "guidelines/lint.md:18:28", "“lint”")
        .expect("W005", "guidelines/lint.md:20:1")
        .expect("E015", "guidelines/lint.md:24:1")
        .no_more();
}

#[test]
fn book_toml_unknown_key() {
    Fixture::new("book-unknown-key")
        .check()
        .expect_with("E021", "book.toml:3:1", "did you mean `language`?")
        .no_more();
}

#[test]
fn book_toml_syntax_error() {
    Fixture::new("book-syntax")
        .check()
        .expect_with("E021", "book.toml:2:18", "invalid basic string")
        .no_more();
}

#[test]
fn book_toml_semantic_problems() {
    Fixture::new("book-semantic")
        .check()
        .expect_with("E022", "book.toml:2:9", "title is empty")
        .expect_with("E022", "book.toml:6:13", "must come first")
        .expect_with("E022", "book.toml:6:26", "`pt-BR`")
        .expect_with("E022", "book.toml:6:35", "listed twice")
        .expect_with("E022", "book.toml:6:41", "`english`")
        .expect_with("E022", "book.toml:7:12", "site-url")
        .expect_with("E028", "book.toml:8:11", "`GPL 3`")
        .expect_with("E022", "book.toml:11:1", "already a built-in subject")
        .expect_with("E022", "book.toml:12:1", "`Media_Ed`")
        .expect_with("E022", "book.toml:16:6", "selects nothing")
        .expect_with("E022", "book.toml:20:6", "both `modules` and a facet query")
        .expect_with("E023", "book.toml:26:6", "`empty-query` selects no module")
        .expect_with("E008", "book.toml:29:43", "did you mean `mathematics`?")
        .expect_with("E013", "book.toml:34:17", "`nope`")
        .expect_with("E022", "book.toml:34:25", "`m` twice")
        .expect_with("E022", "book.toml:37:6", "`listed` is used twice")
        .expect_with("E022", "book.toml:42:6", "`Bad Id`")
        .expect_with("E008", "book.toml:44:18", "did you mean `blind`?")
        .no_more();
}

#[test]
fn missing_book_toml() {
    let mut checked = Fixture::empty().check();
    assert!(checked.project.loaded.is_none());
    checked.expect_with("E001", "-", "--root").no_more();
}

#[test]
fn missing_guidelines_folder() {
    let fixture = Fixture::empty();
    fixture.write("book.toml", "[book]\ntitle = \"T\"\n");
    fixture
        .check()
        .expect_with("E001", "-", "no guidelines/ folder")
        .no_more();
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported_not_followed_forever() {
    let fixture = Fixture::copy("valid");
    std::os::unix::fs::symlink("..", fixture.root.join("guidelines/school/loop")).unwrap();
    fixture
        .check()
        .expect_with("E030", "guidelines/school/loop:1:1", "loops back")
        .no_more();
}

#[test]
fn a_ten_megabyte_line_is_handled() {
    let fixture = Fixture::copy("valid");
    let line = "word ".repeat(2_000_000);
    fixture.write(
        "guidelines/huge.md",
        format!("---\nid: huge\ntitle: Huge\nsummary: s\nlevels: [primary]\nsubjects: [arts]\n---\n\n{line} [](guide:nope)\n"),
    );
    fixture
        .check()
        .expect_with("E011", "guidelines/huge.md:9:10000002", "`nope`")
        .no_more();
}

#[test]
fn sample_corpus_is_clean() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = handbok::analyze(root);
    let problems = common::shown(&project);
    assert!(problems.is_empty(), "{}", problems.join(""));
    let data = project.loaded.expect("loaded");
    assert!(data.graph.modules.len() >= 16);
    assert_eq!(data.config.languages.len(), 5);
}

#[test]
fn languages_without_built_in_interface_text_list_what_shows_in_english() {
    let fixture = Fixture::copy("valid");
    fixture.edit("book.toml", |book| {
        book.replace(
            "languages = [\"en\", \"sv\", \"de\"]",
            "languages = [\"en\", \"sv\", \"de\", \"pl\", \"ar\"]",
        )
    });
    fixture.write(
        "translations/pl/ui.yaml",
        "strings:\n  home: Strona główna\n  search: Szukaj\n",
    );
    let mut checked = fixture.check();
    // Every interface string but the language's names, and every vocabulary label and
    // project title (issue 8: W009 once counted strings only).
    let en = handbok::i18n::english();
    let labels =
        en.levels.len() + en.isced.len() + en.needs.len() + en.areas.len() + en.competences.len();
    // Built-in and project subjects, the book's title, two handbooks.
    let project = en.subjects.len() + 1 + 1 + 2;
    let all = en.strings.len() - handbok::i18n::NAMED.len() + labels + project;
    checked
        .expect_with(
            "W009",
            "translations/pl/ui.yaml:1:1",
            &format!(
                "{} of {all} interface strings and labels have no `pl` text",
                all - 2
            ),
        )
        .expect_with("W009", "-", "no `ar` text")
        .no_more();
}

#[test]
fn heading_ids_must_be_unique_and_not_the_themes() {
    let fixture = Fixture::empty();
    fixture.write("book.toml", "[book]\ntitle = \"T\"\n");
    fixture.write(
        "guidelines/a.md",
        "---\nid: a\ntitle: A\nsummary: S\nlevels: [primary]\nsubjects: [arts]\n---\n\n## One {#x}\n\n## Two {#x}\n\n## Three {#main}\n",
    );
    fixture
        .check()
        .expect_with("E034", "guidelines/a.md:11:1", "`x` is used twice")
        .expect_with("E034", "guidelines/a.md:13:1", "reserved")
        .no_more();
}

/// A text let go is read again only if the file still holds what was checked: after an edit,
/// a diagnostic names the file but quotes no line (its spans point into the old text).
#[test]
fn a_text_edited_since_it_was_checked_is_not_quoted() {
    let fixture = Fixture::new("valid");
    fixture.write(
        "guidelines/school/delta.md",
        "---\nid: delta\ntitle: Delta\nsummary: The fourth module.\nlevels: [primary]\n\
         subjects: [languages]\n---\n\nRead [the gamma module](guide:gama) first.\n",
    );
    let project = handbok::analyze_with(
        &fixture.root,
        handbok::check::Bodies::LintOnly,
        handbok::analysis::Texts::LetGo,
    );
    fixture.edit("guidelines/school/delta.md", |text| {
        text.replace("Read", "Now read")
    });
    let shown = common::shown(&project);
    let error = shown
        .iter()
        .find(|d| d.contains("unknown") || d.contains("gama"))
        .expect("the unknown module is reported");
    assert!(
        error.contains("--> guidelines/school/delta.md (changed since it was checked)\n"),
        "{error}"
    );
    assert!(
        !error.contains("read"),
        "no line of the edited text: {error}"
    );
}
