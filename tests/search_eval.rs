//! The search evaluation: builds the sample site and runs the queries of
//! `tests/search/queries.yaml` through the real browser-side engine (`themes/default/search.js`)
//! under node (`tests/search/eval.mjs`), against the index files the build wrote. The ranking is
//! never reimplemented here: what is scored is what a reader's browser runs.
//!
//! Prints the score ("search eval: 61/64 = 95.3 %") and fails below [`THRESHOLD`]. Needs
//! `node`; without it the test is skipped with a message, unless `HANDBOK_BROWSER_TESTS=required`.

use handbok::render::BuildOptions;
use serde::{Deserialize, Serialize};
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

/// The share of queries that must find their module (the issue asks for 90 % on a held-out set).
const THRESHOLD: f64 = 90.0;

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Query {
    q: String,
    lang: String,
    expect: Vec<String>,
    top: usize,
}

#[test]
fn teacher_queries_find_their_modules() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        assert!(
            std::env::var("HANDBOK_BROWSER_TESTS").as_deref() != Ok("required"),
            "the search evaluation needs node"
        );
        eprintln!("skipped: the search evaluation needs node");
        return;
    }
    let text = std::fs::read_to_string(manifest.join("tests/search/queries.yaml")).unwrap();
    let queries: Vec<Query> = serde_norway::from_str(&text).unwrap();
    assert!(queries.len() >= 60, "{} queries", queries.len());
    // Every expected module exists (a typo here would count as a miss of the engine).
    let site = Path::new(env!("CARGO_TARGET_TMPDIR")).join("search-eval-site");
    let _ = std::fs::remove_dir_all(&site);
    let (project, stats) = handbok::build::build(manifest, Some(&site), &BuildOptions::default());
    assert!(stats.is_some(), "the sample builds: {:?}", project.diags);
    for q in &queries {
        for id in &q.expect {
            assert!(
                site.join(format!("{}/modules/{id}.html", q.lang)).is_file(),
                "{:?} expects {id}, which the sample does not have",
                q.q
            );
        }
    }

    let mut node = Command::new("node")
        .arg(manifest.join("tests/search/eval.mjs"))
        .arg(&site)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let json = serde_json::to_vec(&queries).unwrap();
    node.stdin.take().unwrap().write_all(&json).unwrap();
    let out = node.wait_with_output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    println!("{report}");
    assert!(out.status.success(), "eval.mjs failed:\n{report}");
    let line = report
        .lines()
        .find(|l| l.starts_with("search eval: "))
        .expect("a score line");
    let percent: f64 = line
        .rsplit(" = ")
        .next()
        .and_then(|p| p.trim_end_matches(" %").parse().ok())
        .expect("a percentage");
    assert!(
        percent >= THRESHOLD,
        "{line}: below {THRESHOLD} %\n{report}"
    );
}
