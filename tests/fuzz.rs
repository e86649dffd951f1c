//! Property tests on hostile input (issue 7): the front-matter splitter and YAML reader, the body
//! scan and its placeholder fill, link destination parsing and path rewriting, and a whole
//! project's check. Properties: nothing panics, every diagnostic points inside its file on char
//! boundaries, no placeholder mark survives a fill, and every run ends.
//!
//! `cargo test` runs a short budget plus every file of `tests/fuzz-corpus/` (small hostile
//! inputs, kept as regressions). A longer session: `HANDBOK_FUZZ_CASES=20000 cargo test --release
//! --test fuzz` (the whole-project property runs a twentieth as many cases). Failures proptest
//! finds are saved in `tests/fuzz.proptest-regressions` and replayed first on every run.

use handbok::diag::Diagnostic;
use handbok::load::{frontmatter, yaml};
use handbok::markdown::{self as body, MARK};
use handbok::model::{Body, LinkTarget};
use handbok::render::fill::{self, Filler, Slot};
use handbok::source::FileId;
use proptest::prelude::*;
use std::path::Path;

/// Cases for the cheap properties; the whole-project one runs a twentieth (at least 4).
fn cases() -> u32 {
    std::env::var("HANDBOK_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..ProptestConfig::default()
    }
}

/// Pieces that matter to YAML, Markdown, HTML, links and handbok's own markers, mixed with any
/// character, so generated text reaches the interesting branches quickly.
fn hostile_text(max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => any::<char>().prop_map(String::from),
        2 => "[a-z ]{1,8}",
        6 => prop::sample::select(vec![
            "---\n", "...\n", "\n", "\r\n", "  ", "\t", "- ", ": ", "? ", "[", "]", "{", "}", ",",
            "'", "\"", "\\", "#", "|", ">-", "&a ", "*a", "!t ", "\u{feff}", "\u{1A}", "\u{0}",
            "é", "💡", "id: a\n", "title: T\n", "levels: [primary]\n", "# ", "## ", "{#x}",
            "{#main}", "[x](", "](", ")", "![a](", "<", ">", "<a href=\"", "\">", "</a>",
            "<img src=", "<script>", "<!--", "-->", "`", "```\n", "guide:", "guide:a#b", "../",
            "./", "%2F", "%zz", "#frag", "&amp;", "&#106;", "javascript:", "mailto:x", "http://x/",
            "|a|b|\n|-|-|\n", "[^1]", "[^1]: n\n", "[r]: guide:a\n", "[r]", "*", "_", "~~",
        ])
        .prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..max).prop_map(|pieces| pieces.concat())
}

/// Every diagnostic's places lie inside `text` on char boundaries.
fn assert_places(text: &str, diags: &[Diagnostic]) {
    for d in diags {
        for label in d.primary.iter().chain(&d.secondary) {
            let span = &label.span;
            assert!(
                span.start <= span.end
                    && span.end <= text.len()
                    && text.is_char_boundary(span.start)
                    && text.is_char_boundary(span.end),
                "{} at {span:?} outside the text or between bytes of a char ({} bytes): {}",
                d.code.as_str(),
                text.len(),
                d.message
            );
        }
    }
}

/// Answers every placeholder with plain text.
struct Plain;

impl Filler for Plain {
    fn fill(&self, _body: &Body, _slot: Slot, out: &mut String) {
        out.push('x');
    }
}

/// The splitter, the YAML reader and the body scan on one document, as load and check use them.
fn document(text: &str) {
    let (yaml_part, body_span) = match frontmatter::split(text) {
        Ok(split) => {
            for span in [&split.yaml, &split.body] {
                assert!(span.start <= span.end && span.end <= text.len());
                assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            }
            (Some(&text[split.yaml.clone()]), split.body)
        }
        Err(_) => (None, 0..text.len()),
    };
    if let Some(yaml_text) = yaml_part {
        match yaml::parse_within(yaml_text, yaml::FRONT_MATTER) {
            Ok(_) => {}
            Err(yaml::Error::Syntax(err)) => {
                if let Some(at) = err.offset {
                    assert!(at <= yaml_text.len() && yaml_text.is_char_boundary(at));
                }
            }
            Err(yaml::Error::Limit(exceeded)) => {
                let at = exceeded.offset();
                assert!(at <= yaml_text.len() && yaml_text.is_char_boundary(at));
            }
        }
    }
    let (body, diags) = body::scan(FileId(0), text, body_span);
    assert_places(text, &diags);
    let html = fill::fill(&body, &Plain);
    // Author text never forges a placeholder, not even one holding U+001A itself (which is
    // also an error of its own, E036): every mark is handbok's and the fill takes them all.
    assert!(!html.contains(MARK), "a placeholder survived the fill");
    for link in &body.links {
        assert!(link.span.end <= text.len());
        if let LinkTarget::Relative { path, .. } = &link.target {
            link_target(path);
        }
    }
    for image in &body.images {
        link_target(&image.src);
    }
}

/// Link parsing and path rewriting on one destination.
fn link_target(dest: &str) {
    match LinkTarget::parse(dest) {
        LinkTarget::Relative { path, .. } => {
            if let Some(resolved) = handbok::link::resolve_path("a/b.md", &path) {
                assert!(
                    !resolved.split('/').any(|s| s == ".." || s == "."),
                    "{dest:?} resolved to {resolved:?}"
                );
                let media = fill::media_path(&format!("guidelines/{resolved}"));
                let url = fill::url_path(&media);
                assert!(url.is_ascii() && !url.contains(['"', '<', '>', ' ', '\'']));
            }
        }
        // What is published as written has a scheme from the allowlist, or none.
        LinkTarget::External(url) => {
            let scheme = handbok::model::url_scheme(&url);
            assert!(
                scheme
                    .as_deref()
                    .is_none_or(|s| handbok::model::SAFE_SCHEMES.contains(&s)),
                "{dest:?} published with scheme {scheme:?}"
            );
        }
        LinkTarget::Unsafe { scheme } => {
            assert!(!handbok::model::SAFE_SCHEMES.contains(&scheme.as_str()))
        }
        LinkTarget::Guide { .. } | LinkTarget::Anchor(_) => {}
    }
}

/// A project with the given module texts (and one fixed, valid module), checked as a whole.
fn project(texts: &[String]) {
    let temp = tempfile::tempdir().expect("temp dir");
    let root = temp.path();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        std::fs::write(path, text).expect("write");
    };
    write(
        "book.toml",
        "[book]\ntitle = \"Fuzz\"\nlanguage = \"en\"\n\n[handbok]\nlanguages = [\"en\", \"sv\"]\nlicense = \"CC0-1.0\"\n",
    );
    write(
        "guidelines/valid.md",
        "---\nid: valid\ntitle: Valid\nsummary: A module.\nlevels: [primary]\n---\n# Valid {#top}\n",
    );
    for (i, text) in texts.iter().enumerate() {
        write(&format!("guidelines/m{i}.md"), text);
        if i % 2 == 1 {
            write(&format!("translations/sv/m{i}.md"), text);
        }
    }
    let checked = handbok::analyze(root);
    for d in checked.diags.iter() {
        if let Some(label) = &d.primary {
            let text = &checked.sources.get(label.file).text();
            assert_places(text, std::slice::from_ref(d));
        }
    }
    assert_no_panic_in_place_rendering(root, &checked);
}

/// Rendering every diagnostic (line:col, caret) must not panic either.
fn assert_no_panic_in_place_rendering(_root: &Path, project: &handbok::Project) {
    for d in project.diags.iter() {
        let _ = handbok::report::human(&project.sources, d, false);
    }
}

/// A module: a plausible front matter around a hostile body, or hostile text all through.
fn module_text() -> impl Strategy<Value = String> {
    prop_oneof![
        (hostile_text(40), hostile_text(60)).prop_map(|(front, body)| format!(
            "---\nid: m\ntitle: T\nsummary: S\nlevels: [primary]\n{front}\n---\n{body}"
        )),
        hostile_text(80).prop_map(|body| format!("---\nid: x\ntitle: T\n---\n{body}")),
        hostile_text(80),
    ]
}

proptest! {
    #![proptest_config(config(cases()))]

    #[test]
    fn documents_never_panic_and_point_inside(text in hostile_text(120)) {
        document(&text);
    }

    #[test]
    fn front_matter_never_panics(front in hostile_text(80), body in hostile_text(20)) {
        document(&format!("---\n{front}\n---\n{body}"));
    }

    #[test]
    fn link_destinations_never_panic(dest in hostile_text(12)) {
        link_target(&dest);
        document(&format!("---\nid: a\n---\n[x]({dest}) ![y]({dest}) <{dest}>\n\n[r]: {dest}\n"));
    }
}

proptest! {
    #![proptest_config(config((cases() / 20).max(4)))]

    #[test]
    fn whole_projects_check_and_end(texts in prop::collection::vec(module_text(), 1..4)) {
        project(&texts);
    }
}

/// Every file of the corpus, as a document and as a module of a project.
#[test]
fn corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("tests/fuzz-corpus") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("UTF-8 corpus file");
        document(&text);
        texts.push(text);
    }
    assert!(texts.len() >= 10, "the corpus is missing");
    project(&texts);
}
