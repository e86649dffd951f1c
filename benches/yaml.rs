//! YAML guard bench (issue 7): hostile front matter must be refused, or parsed, in well under a
//! second. Run with `cargo bench --bench yaml`; it fails when an input exceeds its budget. The
//! budgets are checked here, not in a timed unit test, so a busy CI machine cannot make
//! `cargo test` flaky. Crate comparison: bench/yaml-choice and docs/yaml-choice.md.

use handbok::load::yaml::{self, FRONT_MATTER, Limits, UI_FILE};
use std::time::{Duration, Instant};

/// A real module's front matter.
const FRONT: &str = "id: mathematics-dynamic-tools\ntitle: \"Dynamic mathematics tools: geometry, graphing and algebra software\"\nsummary: >-\n  How to choose and use dynamic geometry, graphing, computer algebra and spreadsheet tools so that\n  learners explore, conjecture and explain.\nlevels: [lower-secondary, upper-secondary, short-cycle-tertiary, bachelor]\nsubjects: [mathematics, natural-sciences]\naccessibility: [blind, low-vision]\ncompetences: [\"3.1\", \"3.4\", \"2.1\"]\nrelated: [assistive-technologies, accessible-digital-materials]\nkeywords: [dynamic geometry, graphing calculator, computer algebra]\nupdated: 2025-09-05\nauthors: [Mathematics and Science Education Working Group]\ncountry: NL\n";

/// Nested lists as deep as `limits` allow, repeated until the text is near its size: the slowest
/// input the parser still sees.
fn deepest_allowed(limits: Limits) -> String {
    let (limit, depth) = (limits.max_bytes, limits.max_depth - 2);
    let item = format!("{}{}, ", "[".repeat(depth), "]".repeat(depth));
    let mut text = String::from("k: [");
    while text.len() + item.len() + 2 < limit {
        text.push_str(&item);
    }
    text.push_str("]\n");
    text
}

fn timed(name: &str, budget: Duration, text: &str, limits: Limits, runs: u32) -> bool {
    let start = Instant::now();
    let mut outcome = "";
    for _ in 0..runs {
        outcome = match yaml::parse_within(std::hint::black_box(text), limits) {
            Ok(_) => "parsed",
            Err(yaml::Error::Syntax(_)) => "syntax error",
            Err(yaml::Error::Limit(_)) => "refused (E039)",
        };
    }
    let each = start.elapsed() / runs;
    let ok = each <= budget;
    println!(
        "{name:<44} {:>8} bytes  {:>12.3?} each  (budget {budget:?})  {outcome}{}",
        text.len(),
        each,
        if ok { "" } else { "  OVER BUDGET" }
    );
    ok
}

fn main() {
    let ms = Duration::from_millis;
    let flow_200k = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let flow_2m = format!("a: {}{}\n", "{".repeat(1_000_000), "}".repeat(1_000_000));
    let ui_big: String = (0..1024 * 1024 / 24)
        .map(|i| format!("k{i}: \"padding text\"\n"))
        .collect();
    let checks = [
        timed("realistic front matter", ms(1), FRONT, FRONT_MATTER, 2000),
        timed(
            "issue 7: 200 KB of [[[…]]]",
            ms(100),
            &flow_200k,
            FRONT_MATTER,
            5,
        ),
        timed("2 MB of {{{…}}} as ui.yaml", ms(200), &flow_2m, UI_FILE, 3),
        timed(
            "64 KB at the depth limit (front matter)",
            ms(500),
            &deepest_allowed(FRONT_MATTER),
            FRONT_MATTER,
            3,
        ),
        timed(
            "1 MB at the depth limit (ui.yaml)",
            ms(900),
            &deepest_allowed(UI_FILE),
            UI_FILE,
            1,
        ),
        timed(
            "1 MB of plain strings (ui.yaml)",
            ms(900),
            &ui_big,
            UI_FILE,
            1,
        ),
    ];
    if checks.contains(&false) {
        eprintln!("the YAML guard let an input take longer than its budget");
        std::process::exit(1);
    }
}
