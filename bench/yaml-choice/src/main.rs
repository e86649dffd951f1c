//! Compares serde_yaml 0.9 with the drop-in crates that replace it, on the inputs handbok cares
//! about: a realistic module front matter (speed), nested flow and block collections (hostile
//! input, with handbok's guard not in front), and the messages and places of syntax errors.
//!
//! `cargo run --release` prints a Markdown report; docs/yaml-choice.md records one run.

use std::time::{Duration, Instant};

/// A real module's front matter (guidelines/professional/mathematics-dynamic-tools.md).
const FRONT: &str = r#"id: mathematics-dynamic-tools
title: "Dynamic mathematics tools: geometry, graphing and algebra software"
summary: >-
  How to choose and use dynamic geometry, graphing, computer algebra and spreadsheet tools so that
  learners explore, conjecture and explain, with practical ways to make them work for blind and
  low-vision learners.
levels: [lower-secondary, upper-secondary, short-cycle-tertiary, bachelor]
subjects: [mathematics, natural-sciences]
accessibility: [blind, low-vision]
competences: ["3.1", "3.4", "2.1"]
related: [assistive-technologies, accessible-digital-materials, formative-assessment-digital, ai-in-teaching]
keywords: [dynamic geometry, graphing calculator, computer algebra, spreadsheets, sonification, tactile graphics, conjecture]
updated: 2025-09-05
authors: [Mathematics and Science Education Working Group]
country: NL
"#;

/// Broken front matter that authors write, to compare messages and places.
const BROKEN: &[(&str, &str)] = &[
    ("unclosed flow list", "id: a\nlevels: [primary, lower-secondary\ntitle: x\n"),
    ("colon in a value", "id: a\ntitle: Setup: the first steps\n"),
    ("duplicate key", "id: a\ntitle: x\nid: b\n"),
    ("tab indentation", "id: a\nstrings:\n\thome: Hem\n"),
    ("unclosed quote", "id: a\ntitle: \"Setup\nsummary: x\n"),
    ("bad indentation", "id: a\nsubjects:\n  - arts\n - music\n"),
];

type Parse = fn(&str) -> Result<(), String>;

macro_rules! parser {
    ($krate:ident) => {
        |text: &str| -> Result<(), String> {
            match $krate::from_str::<$krate::Value>(text) {
                Ok(_) => Ok(()),
                Err(e) => Err(match e.location() {
                    Some(l) => format!("{} [{}:{}]", e, l.line(), l.column()),
                    None => format!("{e} [no location]"),
                }),
            }
        }
    };
}

const CRATES: &[(&str, Parse)] = &[
    ("serde_yaml 0.9.34", parser!(serde_yaml)),
    ("serde_yaml_ng 0.10.0", parser!(serde_yaml_ng)),
    ("serde_norway 0.9.42", parser!(serde_norway)),
    ("serde_yml 0.0.12", parser!(serde_yml)),
];

fn nested_flow(bytes: usize) -> String {
    let n = bytes / 2;
    format!("a: {}{}\n", "[".repeat(n), "]".repeat(n))
}

fn nested_block(depth: usize) -> String {
    let mut s = String::new();
    for i in 0..depth {
        s.push_str(&" ".repeat(i));
        s.push_str("a:\n");
    }
    s
}

fn time(mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn main() {
    // Past this, a crate is not timed on larger inputs.
    let give_up = Duration::from_secs(20);
    println!("## Realistic front matter (mean of 2,000 parses)\n");
    println!("| crate | µs per parse |\n|---|---|");
    for (name, parse) in CRATES {
        assert!(parse(FRONT).is_ok(), "{name} rejects the front matter");
        let runs = 2000;
        let t = time(|| {
            for _ in 0..runs {
                let _ = std::hint::black_box(parse(std::hint::black_box(FRONT)));
            }
        });
        println!("| {name} | {:.1} |", t.as_secs_f64() * 1e6 / runs as f64);
    }

    for (title, make, sizes) in [
        (
            "Nested flow lists `a: [[[…]]]` (size in bytes)",
            nested_flow as fn(usize) -> String,
            &[2_000usize, 10_000, 50_000, 100_000, 200_000][..],
        ),
        (
            "Nested block mappings (depth)",
            nested_block as fn(usize) -> String,
            &[100usize, 1_000, 3_000][..],
        ),
    ] {
        println!("\n## {title}\n");
        println!("| crate | {} |", sizes.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(" | "));
        println!("|---|{}", "---|".repeat(sizes.len()));
        for (name, parse) in CRATES {
            let mut cells = Vec::new();
            let mut stop = false;
            for &size in sizes {
                if stop {
                    cells.push("not run".to_string());
                    continue;
                }
                let text = make(size);
                let mut outcome = String::new();
                let t = time(|| {
                    outcome = match parse(&text) {
                        Ok(()) => "ok".into(),
                        Err(e) => e.chars().take(60).collect(),
                    }
                });
                stop = t > give_up;
                cells.push(format!("{:.3} s ({outcome})", t.as_secs_f64()));
            }
            println!("| {name} | {} |", cells.join(" | "));
        }
    }

    println!("\n## Syntax errors (message [line:column])\n");
    for (what, text) in BROKEN {
        println!("### {what}\n\n```yaml\n{text}```\n");
        for (name, parse) in CRATES {
            let shown = match parse(text) {
                Ok(()) => "accepted".to_string(),
                Err(e) => e,
            };
            println!("- {name}: `{shown}`");
        }
        println!();
    }
}
