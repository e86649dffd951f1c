//! Issue 9: an incremental update equals a fresh full build, byte for byte.
//!
//! A property test applies random sequences of edits to a small project (edit, add, rename
//! and delete a module or a translation, change `ui.yaml`, add and remove a media file, break
//! a file and fix it) and after each one compares what `Session` serves (after
//! `Session::update` with the touched paths, reusing every page whose inputs it thinks are
//! unchanged) with a fresh `build` of the same files: the same files with the same bytes, and
//! the same diagnostics. `HANDBOK_INCREMENTAL_CASES=200 cargo test --release --test
//! incremental` runs a longer session.

mod common;

use common::Fixture;
use handbok::render::{BuildOptions, Site};
use handbok::session::Session;
use handbok::write::Memory;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

/// A site's files: path → bytes.
type Files = BTreeMap<String, Arc<[u8]>>;

/// Module slots: a module `m{i}` lives in folder `a/` or `b/`, or nowhere.
const MODULES: usize = 5;

#[derive(Debug, Clone)]
enum Op {
    /// Write module `i` (variant `v`) in its folder, creating it if absent.
    Module(usize, u8),
    /// Move module `i` to the other folder (a rename; the id stays).
    Rename(usize),
    Delete(usize),
    /// Write module `i`'s Swedish translation (variant `v`).
    Translation(usize, u8),
    DeleteTranslation(usize),
    /// Invalid front matter in module `i`.
    Break(usize),
    Ui(u8),
    Media(bool),
    /// Module `i` saved the way editors do: a temporary file renamed over it.
    Atomic(usize, u8),
    /// Folder `b/` removed whole, sources and translations (reported as the folders only).
    RemoveFolder,
}

fn op() -> impl Strategy<Value = Op> {
    let i = 0..MODULES;
    prop_oneof![
        5 => (i.clone(), 0..6u8).prop_map(|(i, v)| Op::Module(i, v)),
        1 => i.clone().prop_map(Op::Rename),
        1 => (1..MODULES).prop_map(Op::Delete),
        3 => (i.clone(), 0..4u8).prop_map(|(i, v)| Op::Translation(i, v)),
        1 => i.clone().prop_map(Op::DeleteTranslation),
        1 => i.prop_map(Op::Break),
        1 => (0..3u8).prop_map(Op::Ui),
        1 => any::<bool>().prop_map(Op::Media),
        2 => (0..MODULES, 0..6u8).prop_map(|(i, v)| Op::Atomic(i, v)),
        1 => Just(Op::RemoveFolder),
    ]
}

/// Module `i`'s text in variant `v`: titles, headings (explicit or derived ids), links to
/// other modules and their headings, related modules, drafts, media, levels all vary.
fn module(i: usize, v: u8) -> String {
    let level = ["primary", "lower-secondary"][usize::from(v) % 2];
    let status = if v == 4 { "draft" } else { "published" };
    let other = (i + usize::from(v)) % MODULES;
    let heading = if v.is_multiple_of(2) {
        format!("## Part {v} {{#h{v}}}")
    } else {
        format!("## Part {v}")
    };
    let link = match v {
        0 => "[first](guide:m0)".to_string(),
        1 => format!("[other](guide:m{other}#part-1)"),
        2 => format!("[](guide:m{other})"),
        3 => "[file](../a/m0.md#h0) and ![chart](../img/p.png)".to_string(),
        4 => "[first](guide:m0#h0)".to_string(),
        _ => format!("[other](guide:m{other}#h{v}) and [top](#)"),
    };
    let related = if v == 5 { "related: [m0]\n" } else { "" };
    format!(
        "---\nid: m{i}\ntitle: Module {i} version {v}\nsummary: Summary {v} of {i}.\n\
         levels: [{level}]\nsubjects: [arts]\nstatus: {status}\nupdated: 2025-0{}-01\n{related}---\n\n\
         {heading}\n\nText {v} with {link}.\n\n### Detail\n\nMore.\n",
        v + 1
    )
}

fn translation(i: usize, v: u8) -> String {
    let heading = match v {
        0 => "## Del".to_string(),
        1 => "## Del {#h0}".to_string(),
        2 => "## Del\n\n### Detalj\n\n### Extra".to_string(),
        _ => "## Del\n\n### Detalj".to_string(),
    };
    let status = if v == 3 { "status: draft\n" } else { "" };
    format!(
        "---\ntitle: Modul {i} version {v}\nsummary: Sammanfattning {v}.\n{status}---\n\n\
         {heading}\n\nText med [länk](guide:m0) och [del](#h0).\n"
    )
}

/// The project on disk and where each module is.
struct Project {
    fixture: Fixture,
    /// `Some(folder)` where module `i` is.
    folders: [Option<&'static str>; MODULES],
}

impl Project {
    fn new() -> Project {
        let fixture = Fixture::empty();
        fixture.write(
            "book.toml",
            "[book]\ntitle = \"T\"\n\n[handbok]\nlanguages = [\"en\", \"sv\"]\n\
             site-url = \"https://example.org/\"\nlicense = \"CC-BY-4.0\"\n\n\
             [[handbok.handbook]]\nid = \"primary\"\ntitle = \"Primary\"\nlevels = [\"primary\"]\n",
        );
        let mut project = Project {
            fixture,
            folders: [None; MODULES],
        };
        for i in 0..MODULES {
            project.apply(&Op::Module(i, 0));
        }
        project.apply(&Op::Translation(0, 0));
        project
    }

    fn module_path(&self, i: usize) -> Option<String> {
        self.folders[i].map(|f| format!("guidelines/{f}/m{i}.md"))
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        self.fixture.write(rel, text);
        self.fixture.root.join(rel)
    }

    fn remove(&self, rel: &str) -> PathBuf {
        let path = self.fixture.root.join(rel);
        let _ = std::fs::remove_file(&path);
        path
    }

    /// Applies `op`; returns the paths it touched (what a watcher would report).
    fn apply(&mut self, op: &Op) -> Vec<PathBuf> {
        match *op {
            Op::Module(i, v) => {
                let folder = *self.folders[i].get_or_insert(if i % 2 == 0 { "a" } else { "b" });
                vec![self.write(&format!("guidelines/{folder}/m{i}.md"), &module(i, v))]
            }
            Op::Rename(i) => {
                let Some(from) = self.module_path(i) else {
                    return Vec::new();
                };
                let to_folder = if self.folders[i] == Some("a") {
                    "b"
                } else {
                    "a"
                };
                let to = format!("guidelines/{to_folder}/m{i}.md");
                std::fs::create_dir_all(self.fixture.root.join("guidelines").join(to_folder))
                    .unwrap();
                std::fs::rename(self.fixture.root.join(&from), self.fixture.root.join(&to))
                    .unwrap();
                self.folders[i] = Some(to_folder);
                vec![self.fixture.root.join(from), self.fixture.root.join(to)]
            }
            Op::Delete(i) => match self.module_path(i) {
                Some(path) => {
                    self.folders[i] = None;
                    vec![self.remove(&path)]
                }
                None => Vec::new(),
            },
            Op::Translation(i, v) => match self.module_path(i) {
                Some(path) => {
                    let rel = path.replacen("guidelines/", "translations/sv/", 1);
                    vec![self.write(&rel, &translation(i, v))]
                }
                None => Vec::new(),
            },
            Op::DeleteTranslation(i) => match self.module_path(i) {
                Some(path) => {
                    vec![self.remove(&path.replacen("guidelines/", "translations/sv/", 1))]
                }
                None => Vec::new(),
            },
            Op::Break(i) => match self.module_path(i) {
                Some(path) => vec![self.write(&path, "---\nid: [m\ntitle: x\n---\n\nBroken.\n")],
                None => Vec::new(),
            },
            Op::Ui(v) => {
                let text = match v {
                    0 => "strings:\n  search: Sök\n",
                    1 => "strings:\n  search: Hitta\n",
                    _ => "strings:\n  nonsense: x\n",
                };
                vec![self.write("translations/sv/ui.yaml", text)]
            }
            Op::Atomic(i, v) => match self.module_path(i) {
                Some(path) => {
                    let temp = format!("{path}.tmp~");
                    let written = self.write(&temp, &module(i, v));
                    std::fs::rename(&written, self.fixture.root.join(&path)).unwrap();
                    vec![written, self.fixture.root.join(path)]
                }
                None => Vec::new(),
            },
            Op::RemoveFolder => {
                let mut touched = Vec::new();
                for folder in ["guidelines/b", "translations/sv/b"] {
                    let path = self.fixture.root.join(folder);
                    if std::fs::remove_dir_all(&path).is_ok() {
                        touched.push(path);
                    }
                }
                for slot in &mut self.folders {
                    if *slot == Some("b") {
                        *slot = None;
                    }
                }
                touched
            }
            Op::Media(present) => {
                if present {
                    vec![self.write("guidelines/img/p.png", "\u{89}PNG fake")]
                } else {
                    vec![self.remove("guidelines/img/p.png")]
                }
            }
        }
    }
}

/// A fresh build's files and diagnostics, or `None` for the files when it has errors.
fn fresh(project: &Project) -> (Option<Files>, BTreeSet<String>) {
    let options = BuildOptions::default();
    let mut built = handbok::build::publishable(&project.fixture.root, &options);
    let diags = described(&built.sources, &built.diags);
    if built.diags.has_errors() {
        return (None, diags);
    }
    let data = built.loaded.take().expect("loaded");
    let stale =
        handbok::translate::stale(&data, &handbok::translate::states(&data, &built.sources));
    let mut render_diags = handbok::diag::Diagnostics::default();
    let site = Site::new(Arc::new(data), &options, stale, &mut render_diags).expect("theme");
    let memory = Memory::default();
    handbok::build::emit(&site, &memory).expect("emit");
    (Some(memory.into_files()), diags)
}

/// Diagnostics as file:offset, code and message (file ids differ between the two runs).
fn described(
    sources: &handbok::source::Sources,
    diags: &handbok::diag::Diagnostics,
) -> BTreeSet<String> {
    diags
        .iter()
        .map(|d| {
            let at = d
                .primary
                .as_ref()
                .map(|p| format!("{}:{}", sources.get(p.file).name, p.span.start))
                .unwrap_or_default();
            format!("{at} {:?} {}", d.code, d.message)
        })
        .collect()
}

fn differences(
    served: &BTreeMap<String, Arc<[u8]>>,
    fresh: &BTreeMap<String, Arc<[u8]>>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (path, bytes) in fresh {
        match served.get(path) {
            None => out.push(format!("missing {path}")),
            Some(b) if b != bytes => out.push(format!("differs {path}")),
            _ => {}
        }
    }
    out.extend(
        served
            .keys()
            .filter(|p| !fresh.contains_key(*p))
            .map(|p| format!("extra {p}")),
    );
    out
}

fn cases() -> u32 {
    std::env::var("HANDBOK_INCREMENTAL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..ProptestConfig::default()
    })]

    #[test]
    fn issue_9_incremental_updates_equal_full_builds(ops in prop::collection::vec(op(), 1..10)) {
        let mut project = Project::new();
        let mut session = Session::open(&project.fixture.root, BuildOptions::default());
        // Every page rendered once, so later updates have a cache to (wrongly) reuse.
        let _ = session.files();
        for (step, op) in ops.iter().enumerate() {
            let touched = project.apply(op);
            let update = session.update(&touched);
            let (files, diags) = fresh(&project);
            let (sources, served_diags) = session.report();
            prop_assert_eq!(
                &described(sources, served_diags), &diags,
                "diagnostics after step {} ({:?})", step, op
            );
            match files {
                None => prop_assert!(!update.ok && session.failed(), "step {step} ({op:?}) should fail"),
                Some(files) => {
                    prop_assert!(update.ok, "step {} ({:?}) failed", step, op);
                    let served = session.files().expect("site");
                    let diff = differences(&served, &files);
                    prop_assert!(diff.is_empty(), "after step {} ({:?}): {:?}", step, op, diff);
                }
            }
        }
    }
}
