//! Times each stage of a build of the project given as the first argument, rendering into
//! memory (no writes): `cargo run --release --example stage_times -- /tmp/corpus`.

use handbok::render::{BuildOptions, Site};
use rayon::prelude::*;
use std::time::Instant;

fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let t = Instant::now();
    let project = handbok::analyze(std::path::Path::new(&root));
    println!("analyze (load, check, link): {:.2?}", t.elapsed());
    let data = std::sync::Arc::new(project.loaded.expect("project loads"));
    let mut diags = handbok::diag::Diagnostics::default();
    let t = Instant::now();
    let states =
        handbok::translate::stale(&data, &handbok::translate::states(&data, &project.sources));
    println!("translation states: {:.2?}", t.elapsed());
    let t = Instant::now();
    let site = Site::new(data.clone(), &BuildOptions::default(), states, &mut diags).expect("site");
    println!("prepare site: {:.2?}", t.elapsed());
    let pages = site.pages();
    let mut by_kind: std::collections::BTreeMap<String, (usize, u128, usize)> = Default::default();
    let t = Instant::now();
    let timed: Vec<(String, u128, usize)> = pages
        .par_iter()
        .map(|p| {
            let kind = format!("{p:?}").split('(').next().unwrap_or("").to_string();
            let start = Instant::now();
            let bytes = site.render(p).expect("render").len();
            (kind, start.elapsed().as_micros(), bytes)
        })
        .collect();
    println!("render {} pages: {:.2?}", pages.len(), t.elapsed());
    for (kind, micros, bytes) in timed {
        let e = by_kind.entry(kind).or_default();
        e.0 += 1;
        e.1 += micros;
        e.2 += bytes;
    }
    let t = Instant::now();
    let search: usize = (0..data.config.languages.len())
        .into_par_iter()
        .map(|l| {
            handbok::render::search::files(&site, l)
                .iter()
                .map(|(_, f)| f.len())
                .sum::<usize>()
        })
        .sum();
    println!(
        "search indexes: {:.2?}, {:.1} MB",
        t.elapsed(),
        search as f64 / 1e6
    );
    for (kind, (n, micros, bytes)) in by_kind {
        println!(
            "  {kind:<12} {n:>6} pages {:>8.1} ms cpu {:>8.1} MB",
            micros as f64 / 1000.0,
            bytes as f64 / 1e6
        );
    }
}
