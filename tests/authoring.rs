//! The authors' loop: `handbok init`, `handbok new`, `handbok schema`, run as the binary.

mod common;

use common::{Fixture, handbok, handbok_ok, read_tree};
use handbok::render::BuildOptions;
use serde_json::Value;
use std::path::Path;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A new project from `handbok init` in a temporary folder.
fn initialized() -> Fixture {
    let fixture = Fixture::empty();
    handbok_ok(&fixture.root, &["init"]);
    fixture
}

#[test]
fn init_makes_a_project_that_checks_clean_builds_and_is_translated() {
    let fixture = Fixture::empty();
    let out = handbok_ok(&fixture.root, &["init"]);
    assert!(
        stderr(&out).starts_with("created a handbok project in "),
        "{}",
        stderr(&out)
    );
    let check = handbok(&fixture.root, &["check", "--deny-warnings"]);
    assert_eq!(
        stderr(&check),
        "checked 2 modules, 1 translation in 2 languages: no problems found\n"
    );
    assert_eq!(check.status.code(), Some(0));
    fixture.check().no_more();

    let site = fixture.build(&BuildOptions::default());
    for page in [
        "en/modules/captions-for-video.html",
        "en/modules/readable-documents.html",
        "sv/modules/captions-for-video.html",
        "en/handbooks/accessible-media.html",
    ] {
        assert!(site.files.contains_key(page), "no {page}");
    }
    assert!(
        site.text("sv/modules/captions-for-video.html")
            .contains("Textning för varje video")
    );
    assert!(
        site.text("sv/index.html")
            .contains("Riktlinjer för digital undervisning")
    );

    let status = handbok_ok(&fixture.root, &["status", "--format", "json"]);
    let report: Value = serde_json::from_slice(&status.stdout).unwrap();
    let sv = &report["languages"][0];
    assert_eq!(sv["lang"], "sv");
    assert_eq!(sv["current"], serde_json::json!(["captions-for-video"]));
    assert_eq!(sv["stale"], serde_json::json!([]));
    assert_eq!(sv["missing"], serde_json::json!(["readable-documents"]));
    assert_eq!(sv["ui_missing"], serde_json::json!([]));

    // The default output folder is ignored by git.
    handbok_ok(&fixture.root, &["build"]);
    assert!(fixture.root.join("book/index.html").is_file());
    let gitignore = std::fs::read_to_string(fixture.root.join(".gitignore")).unwrap();
    assert!(gitignore.lines().any(|l| l == "/book/"));
}

#[test]
fn init_creates_a_new_folder_named_on_the_command_line() {
    let fixture = Fixture::empty();
    let dir = fixture.root.join("guides");
    let shown = dir.display().to_string();
    handbok_ok(&fixture.root, &["init", &shown]);
    assert!(dir.join("book.toml").is_file());
    assert_eq!(handbok(&dir, &["check"]).status.code(), Some(0));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_writes_nothing() {
    let fixture = Fixture::empty();
    fixture.write("notes.txt", "mine");
    let before = read_tree(&fixture.root);
    let out = handbok(&fixture.root, &["init"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {} is not empty (it holds `notes.txt`); handbok init writes a new project \
             only into an empty or new folder, so nothing was written\n",
            fixture.root.display()
        )
    );
    assert_eq!(read_tree(&fixture.root), before);
    assert!(!fixture.root.join("guidelines").exists());

    // A second init into a project is refused the same way.
    let project = initialized();
    let before = read_tree(&project.root);
    let again = handbok(&project.root, &["init"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("is not empty (it holds `.gitignore`, `.handbok`, `book.toml`, …)"),
        "{}",
        stderr(&again)
    );
    assert_eq!(read_tree(&project.root), before);
}

#[test]
fn new_writes_a_module_that_checks_clean_and_is_built() {
    let fixture = initialized();
    let out = handbok_ok(
        &fixture.root,
        &[
            "new",
            "guidelines/inclusion/alt-text",
            "--title",
            "Alt text: describe every image",
            "--level",
            "primary",
            "--level",
            "isced-2",
            "--subject",
            "arts",
            "--need",
            "blind",
        ],
    );
    assert_eq!(
        stderr(&out),
        "wrote guidelines/inclusion/alt-text.md (id `alt-text`): write its guidance, then run \
         `handbok check`\n"
    );
    let text =
        std::fs::read_to_string(fixture.root.join("guidelines/inclusion/alt-text.md")).unwrap();
    assert!(text.starts_with(
        "---\nid: alt-text\ntitle: \"Alt text: describe every image\"\nsummary: One or two"
    ));
    assert!(
        text.contains("\nlevels: [primary, isced-2]\nsubjects: [arts]\naccessibility: [blind]\n")
    );

    handbok_ok(
        &fixture.root,
        &[
            "new",
            "assessment/peer-feedback.md",
            "--id",
            "feedback-between-learners",
            "--title",
            "Feedback between learners",
            "--summary",
            "How learners give each other useful feedback online.",
            "--level",
            "upper-secondary",
            "--subject",
            "languages",
        ],
    );
    let check = handbok(&fixture.root, &["check", "--deny-warnings"]);
    assert_eq!(
        stderr(&check),
        "checked 4 modules, 1 translation in 2 languages: no problems found\n"
    );
    let site = fixture.build(&BuildOptions::default());
    assert!(
        site.text("en/modules/alt-text.html")
            .contains("Alt text: describe every image")
    );
    assert!(
        site.text("en/modules/feedback-between-learners.html")
            .contains("How learners give each other useful feedback online.")
    );
}

/// Runs `handbok new` expecting a refusal: exit code 1, exactly `message`, nothing written.
#[track_caller]
fn refused(fixture: &Fixture, args: &[&str], message: &str) {
    let before = read_tree(&fixture.root);
    let mut all = vec!["new"];
    all.extend(args);
    let out = handbok(&fixture.root, &all);
    assert_eq!(stderr(&out), format!("error: {message}\n"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(read_tree(&fixture.root), before, "something was written");
}

#[test]
fn new_refuses_to_overwrite_a_file() {
    let fixture = initialized();
    refused(
        &fixture,
        &[
            "inclusion/captions-for-video.md",
            "--id",
            "other",
            "--title",
            "T",
            "--level",
            "primary",
            "--subject",
            "arts",
        ],
        "guidelines/inclusion/captions-for-video.md exists; handbok never overwrites a file",
    );
}

#[test]
fn new_rejects_unknown_terms_with_a_suggestion() {
    let fixture = initialized();
    let with = |extra: &[&'static str]| {
        let mut args = vec!["inclusion/x.md", "--title", "X"];
        args.extend(extra);
        args
    };
    refused(
        &fixture,
        &with(&["--level", "primry", "--subject", "arts"]),
        "unknown level `primry`: did you mean `primary`?",
    );
    refused(
        &fixture,
        &with(&["--level", "primary", "--subject", "math"]),
        "unknown subject `math`: did you mean `mathematics`?",
    );
    refused(
        &fixture,
        &with(&[
            "--level",
            "primary",
            "--subject",
            "arts",
            "--need",
            "dyslexic",
        ]),
        "unknown accessibility need `dyslexic`: did you mean `dyslexia`?",
    );
    refused(
        &fixture,
        &with(&["--subject", "arts"]),
        &format!(
            "a module needs at least one level: add e.g. `--level primary` (one of: {})",
            handbok::vocab::Level::spellings()
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
}

#[test]
fn new_rejects_a_bad_or_duplicate_id() {
    let fixture = initialized();
    let args = |id: &'static str| {
        vec![
            "other/captions.md",
            "--id",
            id,
            "--title",
            "Captions",
            "--level",
            "primary",
            "--subject",
            "arts",
        ]
    };
    refused(
        &fixture,
        &args("captions-for-video"),
        "a module with id `captions-for-video` exists already \
         (guidelines/inclusion/captions-for-video.md); choose another --id",
    );
    refused(
        &fixture,
        &args("Captions_Video"),
        "`Captions_Video` is not a valid module id: use lower-case letters, digits and single \
         `-`, e.g. `captions-video`",
    );
    refused(
        &fixture,
        &[
            "../outside.md",
            "--title",
            "T",
            "--level",
            "primary",
            "--subject",
            "arts",
        ],
        "`../outside.md` is not a path below guidelines/; write it like `inclusion/captions.md`",
    );
}

/// The JSON form of a document's front matter, as an editor's YAML support would see it.
fn front_matter(text: &str) -> Value {
    use handbok::load::yaml::Yaml;
    fn json(yaml: &Yaml) -> Value {
        match yaml {
            Yaml::Null => Value::Null,
            Yaml::Bool(b) => Value::Bool(*b),
            Yaml::Number(n) => serde_json::from_str(n).unwrap_or_else(|_| Value::String(n.clone())),
            Yaml::String(s) => Value::String(s.clone()),
            Yaml::List(items) => Value::Array(items.iter().map(json).collect()),
            Yaml::Map(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), json(v))).collect())
            }
        }
    }
    let split = handbok::load::frontmatter::split(text).expect("front matter");
    json(&handbok::load::yaml::parse(&text[split.yaml]).expect("YAML"))
}

fn schema(root: &Path, kind: &str) -> Value {
    let out = handbok_ok(root, &["schema", kind]);
    serde_json::from_slice(&out.stdout).expect("the schema is JSON")
}

/// Every Markdown file below `dir`, by path.
fn documents(dir: &Path) -> Vec<(String, String)> {
    read_tree(dir)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".md"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap()))
        .collect()
}

#[test]
fn the_schema_validates_the_sample_corpus() {
    let sample = Fixture::sample();
    let module = schema(&sample.root, "module");
    assert_eq!(module["$schema"], "http://json-schema.org/draft-07/schema#");
    // The project's own subject, from book.toml.
    let subjects = &module["properties"]["subjects"]["items"]["enum"];
    assert!(
        subjects
            .as_array()
            .unwrap()
            .contains(&"media-education".into())
    );

    let validator = jsonschema::validator_for(&module).expect("a valid draft-07 schema");
    let modules = documents(&sample.root.join("guidelines"));
    assert_eq!(modules.len(), 20);
    for (path, text) in &modules {
        let errors: Vec<String> = validator
            .iter_errors(&front_matter(text))
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:?}");
    }

    let translation = schema(&sample.root, "translation");
    let validator = jsonschema::validator_for(&translation).unwrap();
    let translations = documents(&sample.root.join("translations"));
    assert!(translations.len() > 60, "{}", translations.len());
    for (path, text) in &translations {
        let errors: Vec<String> = validator
            .iter_errors(&front_matter(text))
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:?}");
    }
}

#[test]
fn the_schema_rejects_what_check_rejects() {
    let fixture = initialized();
    let module = schema(&fixture.root, "module");
    let validator = jsonschema::validator_for(&module).unwrap();
    let good = std::fs::read_to_string(
        fixture
            .root
            .join("guidelines/inclusion/captions-for-video.md"),
    )
    .unwrap();
    assert!(validator.is_valid(&front_matter(&good)));
    let dated: String = good
        .lines()
        .map(|l| {
            if l.starts_with("updated:") {
                "updated: 14.03.2025"
            } else {
                l
            }
        })
        .map(|l| format!("{l}\n"))
        .collect();
    for (change, what) in [
        (
            good.replace("keywords:", "colour: red\nkeywords:"),
            "an unknown field",
        ),
        (
            good.replace("levels: [primary,", "levels: [primry,"),
            "an unknown level",
        ),
        (dated, "a date that is not YYYY-MM-DD"),
        (
            good.replace("id: captions-for-video", "id: Captions"),
            "a bad id",
        ),
        (
            good.replace("subjects: [cross-curricular]\n", ""),
            "no subjects",
        ),
    ] {
        assert_ne!(change, good, "{what}: the change did not apply");
        assert!(!validator.is_valid(&front_matter(&change)), "{what} passed");
    }
    let translation = schema(&fixture.root, "translation");
    let validator = jsonschema::validator_for(&translation).unwrap();
    let sv = std::fs::read_to_string(
        fixture
            .root
            .join("translations/sv/inclusion/captions-for-video.md"),
    )
    .unwrap();
    assert!(validator.is_valid(&front_matter(&sv)));
    let sets_levels = sv.replace("translators:", "levels: [primary]\ntranslators:");
    assert_ne!(sets_levels, sv);
    assert!(!validator.is_valid(&front_matter(&sets_levels)));
}

/// The schema's `required` is what `check` requires: a module with only those fields checks
/// clean, and one without any of them gets E006.
#[test]
fn the_schema_requires_what_check_requires() {
    let fixture = initialized();
    let module = schema(&fixture.root, "module");
    let required: Vec<&str> = module["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let value = |field: &str| match field {
        "id" => "minimal",
        "title" => "Minimal",
        "summary" => "Only what is required.",
        "levels" => "[primary]",
        "subjects" => "[arts]",
        other => panic!("no example value for required field `{other}`"),
    };
    let module_with = |fields: &[&str]| {
        let lines: String = fields
            .iter()
            .map(|f| format!("{f}: {}\n", value(f)))
            .collect();
        format!("---\n{lines}---\n\nText.\n")
    };
    fixture.write("guidelines/minimal.md", module_with(&required));
    fixture.check().no_more();
    for (i, field) in required.iter().enumerate() {
        let mut fields = required.clone();
        fields.remove(i);
        fixture.write("guidelines/minimal.md", module_with(&fields));
        let mut checked = fixture.check();
        checked.expect_with("E006", "guidelines/minimal.md:1:1", &format!("`{field}`"));
    }
}
