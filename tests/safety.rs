//! Issue 7, safe publishing: hostile content is sanitized and reported where it stands, unsafe
//! URLs are errors, media from other servers is warned about (or refused), and every page
//! carries a Content-Security-Policy. The browser suite opens the same fixture in Chromium.

mod common;
use common::Fixture;
use handbok::render::BuildOptions;

#[test]
fn hostile_raw_html_is_reported_at_each_tag() {
    Fixture::new("hostile")
        .check()
        .expect_with(
            "W010",
            "guidelines/raw-html.md:12:1",
            "`<script>` is not allowed: it is removed with its content",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:14:8",
            "event handler `onmouseover` on `<span>` is removed",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:16:1",
            "event handler `onerror` on `<img>` is removed",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:16:1",
            "event handler `onload` on `<img>` is removed",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:18:1",
            "`<svg>` is not allowed: the tag is removed, its text kept",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:18:28",
            "`<circle>` is not allowed: the tag is removed, its text kept",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:20:1",
            "`javascript:` URL in `<a href>` is removed",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:22:1",
            "`javascript:` URL in `<a href>` is removed",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:24:1",
            "`javascript:` URL in `<a href>` is removed",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:26:1",
            "`javascript:` URL in `<a href>` is removed",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:28:1",
            "`javascript:` URL in `<iframe src>` is removed",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:30:1",
            "`<iframe>` without an https URL is removed",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:30:1",
            "attribute `srcdoc` is not allowed on `<iframe>`",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:32:1",
            "`<math>` is not allowed: the tag is removed, its text kept",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:32:7",
            "`<mtext>` is not allowed: the tag is removed, its text kept",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:32:21",
            "`<mglyph>` is not allowed: the tag is removed, its text kept",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:32:29",
            "`<style>` is not allowed: it is removed with its content",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:32:36",
            "event handler `onerror` on `<img>` is removed",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:34:1",
            "attribute `style` is not allowed on `<div>`",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:36:1",
            "`<form>` is not allowed: it is removed with its content",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:36:41",
            "`<button>` is not allowed: it is removed with its content",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:38:1",
            "`<object>` is not allowed: it is removed with its content",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:40:1",
            "`<meta>` is not allowed: it is removed with its content",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:42:1",
            "`<base>` is not allowed: it is removed with its content",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:44:1",
            "event handler `ontoggle` on `<details>` is removed",
        )
        .expect_with(
            "W010",
            "guidelines/raw-html.md:46:1",
            "`id=\"main\"` on `<p>` is removed",
        )
        .expect_with(
            "W010",
            "guidelines/lessons/github-style.md:9:1",
            "attribute `align` is not allowed on `<p>`",
        )
        .expect_with(
            "W010",
            "guidelines/lessons/github-style.md:9:19",
            "`width=\"50%\"` on `<img>` is removed",
        )
        .expect_with(
            "W012",
            "guidelines/lessons/github-style.md:13:10",
            "only `#after`",
        )
        .expect_with(
            "W011",
            "guidelines/safe-html.md:29:1",
            "this embed loads from another server, `www.youtube-nocookie.com`",
        )
        .no_more();
}

#[test]
fn unsafe_markdown_urls_are_errors_at_their_place() {
    let fixture = Fixture::copy("hostile");
    fixture.write(
        "guidelines/links.md",
        "---\nid: links\ntitle: Links\nsummary: Unsafe links.\nlevels: [primary]\nsubjects: [languages]\n---\n\n\
         [a](javascript:alert(1)) and [b](JAVASCRIPT:alert(1))\n\n\
         [c](&#106;avascript:alert(1)) <javascript:alert(1)>\n\n\
         [d][ref] ![A pixel](data:image/gif;base64,R0lGOD)\n\n\
         [ref]: vbscript:msgbox(1)\n",
    );
    let mut checked = fixture.check();
    checked
        .found
        .retain(|f| f.place.starts_with("guidelines/links.md"));
    checked
        .expect_with("E035", "guidelines/links.md:9:1", "`javascript:` URLs")
        .expect_with("E035", "guidelines/links.md:9:30", "`javascript:` URLs")
        .expect_with("E035", "guidelines/links.md:11:1", "`javascript:` URLs")
        .expect_with("E035", "guidelines/links.md:11:31", "`javascript:` URLs")
        .expect_with("E035", "guidelines/links.md:13:1", "`vbscript:` URLs")
        .expect_with("E035", "guidelines/links.md:13:10", "`data:` URLs")
        .no_more();
}

#[test]
fn external_media_can_be_refused_and_embed_hosts_must_be_host_names() {
    let fixture = Fixture::copy("hostile");
    fixture.edit("book.toml", |t| {
        t.replace(
            "embeds = [\"www.youtube-nocookie.com\"]",
            "embeds = [\"www.youtube-nocookie.com\", \"https://x.example/\"]\nexternal-media = \"deny\"",
        )
    });
    let mut checked = fixture.check();
    checked.found.retain(|f| !matches!(f.code, "W010" | "W012"));
    let embed = checked
        .project
        .diags
        .iter()
        .find(|d| d.code.as_str() == "W011")
        .unwrap();
    assert_eq!(embed.severity, handbok::diag::Severity::Error);
    checked
        .expect_with(
            "W011",
            "guidelines/safe-html.md:29:1",
            "`www.youtube-nocookie.com`",
        )
        .expect_with(
            "E022",
            "book.toml:9:39",
            "`https://x.example/` is not a host name",
        )
        .no_more();
}

#[test]
fn pages_carry_a_csp_and_no_script_from_content() {
    let site = Fixture::new("hostile").build(&BuildOptions::default());
    let html = site.html("en/modules/raw-html.html");
    let select = |s: &str| scraper::Selector::parse(s).unwrap();
    let csp = html
        .select(&select("meta[http-equiv=Content-Security-Policy]"))
        .next()
        .and_then(|m| m.value().attr("content"))
        .expect("a CSP meta")
        .to_string();
    assert!(csp.contains("script-src 'self' 'sha256-"), "{csp}");
    let script_src = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap();
    assert!(
        !script_src.contains("unsafe"),
        "no inline script but the theme's: {csp}"
    );
    assert!(
        csp.contains("frame-src https://www.youtube-nocookie.com;"),
        "{csp}"
    );
    assert!(csp.contains("object-src 'none'"), "{csp}");
    // Every script on the page is the theme's: its inline settings script, its file, and JSON-LD.
    for script in html.select(&select("script")) {
        let v = script.value();
        let text: String = script.text().collect();
        assert!(
            v.attr("src").is_some_and(|s| s.contains("assets/handbok-"))
                || v.attr("type") == Some("application/ld+json")
                || text.starts_with("try{var s=JSON.parse(localStorage"),
            "a script that is not the theme's: {}",
            script.html()
        );
    }
    let main: String = html
        .select(&select("main"))
        .next()
        .unwrap()
        .html()
        .to_lowercase();
    for bad in [
        "javascript:",
        "onerror",
        "onmouseover",
        "<iframe",
        "<svg",
        "<object",
        "<form",
        "<base",
        "<meta",
        "style=",
    ] {
        assert!(!main.contains(bad), "{bad} in main");
    }
    assert!(main.contains("this paragraph must still be on the page."));
    let safe = site.text("en/modules/safe-html.html");
    assert!(safe.contains("<img src=\"../../media/media/chart.svg\" alt=\"A bar chart of reading scores\" width=\"120\">"), "raw HTML image rewritten");
    assert!(
        safe.contains("href=\"../../en/modules/raw-html.html#after\""),
        "raw HTML link rewritten"
    );
    assert!(site.files.contains_key("media/media/chart.svg"));
    // Markdown written for GitHub: `./` paths, single quotes, self-closing tags, a fragment in
    // the wrong letter case.
    let lesson = site.text("en/modules/github-style.html");
    for expected in [
        "<p><img src=\"../../media/lessons/images/logo.svg\" alt=\"The course logo\"></p>",
        "<a href=\"../../en/modules/raw-html.html#after\">previous lesson</a>",
        "<img src=\"../../media/lessons/images/logo.svg\" alt=\"The logo again\" height=\"40\">",
    ] {
        assert!(lesson.contains(expected), "{expected} missing in\n{lesson}");
    }
    assert!(site.files.contains_key("media/lessons/images/logo.svg"));
}
