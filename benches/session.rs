//! Edit → served page inside one process: open a `Session` on a project, then repeatedly edit
//! one module (appending a marker to its text), run `Session::update` with its path and fetch
//! its page, timing each step. `cargo bench --bench session -- DIR [EDITS]` (default: the
//! repository's sample). The HTTP-level figures next to mdBook and Hugo come from
//! `bench/serve-latency.py`.

use handbok::render::BuildOptions;
use handbok::session::Session;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let root = PathBuf::from(
        args.first()
            .map_or(env!("CARGO_MANIFEST_DIR"), String::as_str),
    );
    let edits: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(15);
    let t = Instant::now();
    let mut session = Session::open(&root, BuildOptions::default());
    println!("open: {:.1?} (failed: {})", t.elapsed(), session.failed());
    // A module in the middle of the corpus, and its page.
    let mut modules: Vec<PathBuf> = walkdir::WalkDir::new(root.join("guidelines"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    let file = modules.swap_remove(modules.len() / 2);
    let original = std::fs::read_to_string(&file).expect("module");
    let id = original
        .lines()
        .find_map(|l| l.strip_prefix("id:"))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| file.file_stem().unwrap().to_string_lossy().into_owned());
    let lang = std::fs::read_to_string(root.join("book.toml"))
        .ok()
        .and_then(|t| {
            let at = t.find("languages")?;
            let rest = &t[at..];
            let q = rest.find('"')?;
            let end = rest[q + 1..].find('"')?;
            Some(rest[q + 1..q + 1 + end].to_string())
        })
        .unwrap_or_else(|| "en".into());
    let page = format!("{lang}/modules/{id}.html");
    let t = Instant::now();
    let first = session.get(&page).map_or(0, |b| b.len());
    println!(
        "first render of {page}: {:.1?} ({first} bytes)",
        t.elapsed()
    );
    let (mut updates, mut totals) = (Vec::new(), Vec::new());
    for n in 0..edits {
        let marker = format!("edit-marker-{n}");
        std::fs::write(&file, format!("{original}\n{marker}\n")).expect("write");
        let t = Instant::now();
        let update = session.update(std::slice::from_ref(&file));
        let updated = t.elapsed();
        let bytes = session.get(&page).expect("page");
        let total = t.elapsed();
        assert!(
            String::from_utf8_lossy(&bytes).contains(&marker),
            "the page shows the edit"
        );
        if n == 0 {
            println!(
                "pages changed by one edit: {} ({:?}…)",
                update.changed.len(),
                &update.changed[..update.changed.len().min(8)]
            );
        }
        updates.push(updated);
        totals.push(total);
    }
    std::fs::write(&file, original).expect("restore");
    println!(
        "edit → update: median {:.1?}, edit → page served: median {:.1?} (p90 {:.1?}) over {edits} edits",
        median(&mut updates),
        median(&mut totals.clone()),
        p90(&mut totals)
    );
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn p90(v: &mut [Duration]) -> Duration {
    v.sort();
    v[(v.len() * 9 / 10).min(v.len() - 1)]
}
