//! The Content-Security-Policy every page carries (as a `<meta>`, so it holds on any host and
//! from `file://`): script only from the site itself plus the theme's own inline scripts by
//! hash, nothing from other servers but the media and embeds the content declares. It is the
//! second wall behind the sanitizer: even markup that slipped through could not run script.

use base64::Engine;
use sha2::Digest;
use std::collections::BTreeSet;

/// The policy for a site whose theme has `inline_scripts` (their exact text), whose content
/// loads media from `media_hosts`, and whose `book.toml` allows embeds from `embed_hosts`.
pub fn policy(
    inline_scripts: &[String],
    media_hosts: &BTreeSet<String>,
    embed_hosts: &[String],
) -> String {
    let mut script = String::from("'self'");
    for text in inline_scripts {
        let digest = sha2::Sha256::digest(text.as_bytes());
        script.push_str(" 'sha256-");
        script.push_str(&base64::engine::general_purpose::STANDARD.encode(digest));
        script.push('\'');
    }
    let hosts = |set: &mut dyn Iterator<Item = &String>| {
        set.map(|h| format!(" https://{h} http://{h}"))
            .collect::<String>()
    };
    let media = hosts(&mut media_hosts.iter());
    let frames = if embed_hosts.is_empty() {
        "'none'".to_string()
    } else {
        embed_hosts
            .iter()
            .map(|h| format!("https://{h}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!(
        "default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; \
         img-src 'self'{media}; media-src 'self'{media}; frame-src {frames}; \
         object-src 'none'; base-uri 'none'; form-action 'self'"
    )
}

/// The text of each `<script>` element without attributes in a template: the theme's inline
/// scripts, allowed by their hash. (One that holds a `{{…}}` expression changes per page and
/// cannot be hashed; it is left out, so the policy blocks it: themes put such code in
/// `handbok.js`.)
pub fn inline_scripts(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("<script>") {
        let body = &rest[start + "<script>".len()..];
        let Some(end) = body.find("</script>") else {
            break;
        };
        if !body[..end].contains("{{") {
            out.push(body[..end].to_string());
        }
        rest = &body[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_inline_scripts_and_lists_declared_hosts() {
        let scripts =
            inline_scripts("<script>a()</script><script src=x></script><script>{{x}}</script>");
        assert_eq!(scripts, ["a()"]);
        let csp = policy(
            &scripts,
            &["cdn.example".to_string()].into_iter().collect(),
            &[],
        );
        // echo -n 'a()' | openssl sha256 -binary | base64
        assert!(csp.contains("script-src 'self' 'sha256-"), "{csp}");
        assert!(csp.contains("img-src 'self' https://cdn.example http://cdn.example;"));
        assert!(csp.contains("frame-src 'none'"));
        assert!(!csp.contains("unsafe-eval"));
    }
}
