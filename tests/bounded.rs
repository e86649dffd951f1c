//! Bounded work on any input (issue 7): hostile YAML is refused before parsing, and sitemaps
//! stay within the protocol's limits however many languages and modules a project has.

mod common;
use common::Fixture;

/// Replaces alpha's front matter line `keywords: [numbers]` (line 10) with `line`.
fn alpha_with(fixture: &Fixture, line: &str) {
    fixture.edit("guidelines/school/alpha.md", |text| {
        text.replacen("keywords: [numbers]", line, 1)
    });
}

/// What a module whose front matter cannot be read costs elsewhere, as with any YAML error: the
/// module is unknown, so links to it and its translations are reported. Nothing else is.
fn expect_alpha_unknown(checked: &mut common::Checked) {
    checked
        .expect("E013", "book.toml:22:20")
        .expect("E011", "guidelines/school/beta.md:12:5")
        .expect("E016", "translations/de/school/alpha.md:1:1")
        .expect("E016", "translations/sv/school/alpha.md:1:1")
        .expect("E011", "translations/sv/school/beta.md:8:4")
        .no_more();
}

/// The issue's case: 200 KB of nested flow lists took 35 s in the parser. The guard refuses it
/// where the 33rd level opens.
#[test]
fn issue_7_nested_flow_is_refused_at_the_level_past_the_limit() {
    let fixture = Fixture::copy("valid");
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    alpha_with(&fixture, &format!("keywords: {nested}"));
    // The mapping is level 1, so the 32nd `[` (column 11 + 31) opens level 33.
    let mut checked = fixture.check();
    checked.expect_with(
        "E039",
        "guidelines/school/alpha.md:10:42",
        "more than 32 levels",
    );
    expect_alpha_unknown(&mut checked);
}

#[test]
fn deep_block_nesting_is_refused() {
    let fixture = Fixture::copy("valid");
    let mut deep = String::from("keywords:\n");
    for level in 1..40 {
        deep.push_str(&format!("{}- a:\n", "  ".repeat(level)));
    }
    alpha_with(&fixture, deep.trim_end());
    // Levels are counted by indentation column: line 10 is level 1, line 11 opens levels 2 and
    // 3, each line below one more, so line 41's item opens level 33 at column 2 * 31 + 3.
    let mut checked = fixture.check();
    checked.expect_with(
        "E039",
        "guidelines/school/alpha.md:41:65",
        "more than 32 levels",
    );
    expect_alpha_unknown(&mut checked);
}

#[test]
fn front_matter_over_64_kb_is_refused() {
    let fixture = Fixture::copy("valid");
    alpha_with(&fixture, &format!("keywords: [{}]", "x".repeat(70_000)));
    let text = std::fs::read_to_string(fixture.root.join("guidelines/school/alpha.md")).unwrap();
    let line_10: usize = text.split_inclusive('\n').take(9).map(str::len).sum();
    // The YAML starts after `---\n`; the limit falls inside the long word on line 10.
    let column = 4 + 64 * 1024 - line_10 + 1;
    let mut checked = fixture.check();
    checked.expect_with(
        "E039",
        &format!("guidelines/school/alpha.md:10:{column}"),
        "more than the 64 KB allowed",
    );
    expect_alpha_unknown(&mut checked);
}

#[test]
fn ui_yaml_over_1_mb_is_refused_and_the_rest_still_checks() {
    let fixture = Fixture::copy("valid");
    let path = "translations/sv/ui.yaml";
    let mut ui = std::fs::read_to_string(fixture.root.join(path)).unwrap();
    let pad = format!("# {}\n", "-".repeat(61));
    while ui.len() <= 1024 * 1024 {
        ui.push_str(&pad);
    }
    fixture.write(path, &ui);
    let line_start: usize = ui[..1024 * 1024].rfind('\n').unwrap() + 1;
    let line = ui[..line_start].matches('\n').count() + 1;
    let column = 1024 * 1024 - line_start + 1;
    fixture
        .check()
        .expect_with(
            "E039",
            &format!("{path}:{line}:{column}"),
            "more than the 1 MB allowed",
        )
        .no_more();
}
