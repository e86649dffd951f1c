//! The real-browser suite (tests/browser/run.mjs): builds the sample site and walks it in
//! headless Chromium with axe-core, from a local server and from file://, then validates every
//! page with the Nu HTML Checker.
//!
//! It needs Node.js, `npm ci` in tests/browser, Debian's `chromium` and Java. Where they are
//! missing it is skipped with a message, unless `HANDBOK_BROWSER_TESTS=required` (as `.ci/run`
//! sets), which makes a missing tool a failure.

use handbok::render::BuildOptions;
use std::path::Path;
use std::process::Command;

fn available(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn sample_site_in_a_real_browser() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let suite = manifest.join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let missing: Vec<&str> = [
        ("node", available("node", "--version")),
        (
            "tests/browser/node_modules (run `npm ci` there)",
            suite.join("node_modules/playwright-core").is_dir(),
        ),
        ("chromium", Path::new(&chromium).exists()),
        ("java", available("java", "-version")),
    ]
    .into_iter()
    .filter(|(_, ok)| !ok)
    .map(|(name, _)| name)
    .collect();
    if !missing.is_empty() {
        let message = format!("browser suite needs: {}", missing.join(", "));
        assert!(
            std::env::var("HANDBOK_BROWSER_TESTS").as_deref() != Ok("required"),
            "{message}"
        );
        eprintln!("skipped: {message}");
        return;
    }

    let site = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-site");
    let _ = std::fs::remove_dir_all(&site);
    let (project, stats) = handbok::build::build(manifest, Some(&site), &BuildOptions::default());
    assert!(
        stats.is_some(),
        "the sample builds: {:?}",
        project.diags.iter().map(|d| &d.message).collect::<Vec<_>>()
    );

    // Hostile content (tests/fixtures/hostile): builds with warnings; no script may run.
    let hostile = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-hostile-site");
    let _ = std::fs::remove_dir_all(&hostile);
    let (project, stats) = handbok::build::build(
        &manifest.join("tests/fixtures/hostile"),
        Some(&hostile),
        &BuildOptions::default(),
    );
    assert!(
        stats.is_some(),
        "the hostile fixture builds: {:?}",
        project.diags.iter().map(|d| &d.message).collect::<Vec<_>>()
    );

    let screenshots = manifest.join("target/screenshots");
    let output = Command::new("node")
        .arg(suite.join("run.mjs"))
        .arg(&site)
        .arg(&screenshots)
        .arg(&hostile)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "browser suite failed:\n{stdout}");
}
