//! The package document (`EPUB/package.opf`): the book's metadata, its files and reading
//! order. The accessibility metadata (schema.org terms, as EPUB Accessibility 1.1 asks) is
//! derived from the content, never typed in: which modes the content uses (images or not),
//! whether every image has a text alternative, whether any medium can move, flash or sound.
//! The conformance claim (EPUB Accessibility 1.1, WCAG 2.1 AA) is made only when nothing in the
//! book stands against it; the tests check each sample book with epubcheck and DAISY Ace.

use super::{Chapter, Facts, escape};
use crate::render::Site;
use sha2::{Digest, Sha256};
use std::fmt::Write;

/// The conformance claim, in the words of EPUB Accessibility 1.1 §2.
const CONFORMANCE: &str = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA";

/// The package document of handbook `h` in language `l`.
pub(super) fn document(
    site: &Site,
    l: usize,
    h: usize,
    chapters: &[Chapter],
    media: &[(String, Vec<u8>)],
    facts: &Facts,
) -> String {
    let config = &site.data.config;
    let labels = &site.look.labels[l];
    let lang = site.lang(l);
    let id = &config.handbooks[h].id;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"uid\" \
         xml:lang=\"{lang}\"{}>\n<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n\
         <dc:identifier id=\"uid\">{}</dc:identifier>\n<dc:title{}>{}</dc:title>\n\
         <dc:language>{lang}</dc:language>\n\
         <meta property=\"belongs-to-collection\" id=\"book\"{}>{}</meta>\n",
        if config.languages[l].is_rtl() {
            " dir=\"rtl\""
        } else {
            ""
        },
        identifier(
            config.site_url.as_deref().unwrap_or(&config.title),
            id,
            lang
        ),
        xml_lang(labels.handbook_lang(id)),
        escape(labels.handbook(id)),
        xml_lang(labels.book_title_lang()),
        escape(labels.book_title()),
    );
    for author in super::super::print::authors(site, &site.handbooks[h]) {
        let _ = writeln!(out, "<dc:creator>{}</dc:creator>", escape(author));
    }
    if let Some(publisher) = &config.publisher {
        let _ = writeln!(
            out,
            "<dc:publisher>{}</dc:publisher>",
            escape(&publisher.name)
        );
    }
    let license = super::super::print::NamedLicense::new(&config.license);
    let name = match license.name {
        "" => license.license.id.clone(),
        name => format!("{name} ({})", license.license.id),
    };
    let _ = writeln!(
        out,
        "<dc:rights>{}: {}</dc:rights>\n<meta property=\"dcterms:license\">{}</meta>",
        escape(&name),
        escape(&license.license.url),
        escape(&license.license.url)
    );
    let _ = writeln!(
        out,
        "<meta property=\"dcterms:modified\">{}</meta>",
        modified(
            site.handbooks[h]
                .iter()
                .filter_map(|&m| site.updated(m, l))
                .max()
        )
    );
    accessibility(&mut out, site, l, facts);
    out.push_str("</metadata>\n<manifest>\n");
    out.push_str(
        "<item id=\"nav\" href=\"contents_page.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n\
         <item id=\"title\" href=\"title_page.xhtml\" media-type=\"application/xhtml+xml\"/>\n\
         <item id=\"css\" href=\"book.css\" media-type=\"text/css\"/>\n",
    );
    for (n, chapter) in chapters.iter().enumerate() {
        let _ = writeln!(
            out,
            "<item id=\"c{n}\" href=\"{}\" media-type=\"application/xhtml+xml\"/>",
            escape(&chapter.file)
        );
    }
    for (n, (path, _)) in media.iter().enumerate() {
        let _ = writeln!(
            out,
            "<item id=\"m{n}\" href=\"{}\" media-type=\"{}\"/>",
            escape(&crate::render::fill::url_path(path)),
            media_type(path)
        );
    }
    let progression = if config.languages[l].is_rtl() {
        " page-progression-direction=\"rtl\""
    } else {
        ""
    };
    let _ = write!(
        out,
        "</manifest>\n<spine{progression}>\n<itemref idref=\"title\"/>\n<itemref idref=\"nav\"/>\n"
    );
    for n in 0..chapters.len() {
        let _ = writeln!(out, "<itemref idref=\"c{n}\"/>");
    }
    out.push_str("</spine>\n</package>\n");
    out
}

/// The schema.org accessibility metadata and, when the book meets it, the conformance claim.
fn accessibility(out: &mut String, site: &Site, l: usize, facts: &Facts) {
    let labels = &site.look.labels[l];
    let with_images = facts.images > 0;
    let alt_everywhere = facts.images_without_alt == 0;
    let meta = |out: &mut String, property: &str, value: &str| {
        let _ = writeln!(out, "<meta property=\"schema:{property}\">{value}</meta>");
    };
    meta(out, "accessMode", "textual");
    if with_images {
        meta(out, "accessMode", "visual");
        meta(out, "accessModeSufficient", "textual,visual");
    }
    if alt_everywhere {
        meta(out, "accessModeSufficient", "textual");
    }
    // What every book has by construction: the navigation document, headings as written,
    // one reading order, reflowable text without fixed sizes.
    let mut features = vec![
        "tableOfContents",
        "readingOrder",
        "structuralNavigation",
        "displayTransformability",
    ];
    if with_images && alt_everywhere {
        features.push("alternativeText");
    }
    for feature in features {
        meta(out, "accessibilityFeature", feature);
    }
    meta(
        out,
        "accessibilityHazard",
        if facts.moving_media {
            "unknown"
        } else {
            "none"
        },
    );
    let conforms = alt_everywhere && !facts.moving_media;
    let mut summary = vec![labels.format("epub-summary-structure", &[])];
    if with_images && alt_everywhere {
        summary.push(labels.format("epub-summary-images", &[]));
    }
    summary.push(labels.format(
        if facts.moving_media {
            "epub-summary-hazards-unknown"
        } else {
            "epub-summary-no-hazards"
        },
        &[],
    ));
    if facts.fallback {
        summary.push(labels.format(
            "epub-summary-fallback",
            &[(
                "source-language",
                site.look.labels[0].string("language-name"),
            )],
        ));
    }
    if conforms {
        summary.push(labels.format("epub-summary-conformance", &[]));
    }
    meta(out, "accessibilitySummary", &escape(&summary.join(" ")));
    if conforms {
        let _ = writeln!(
            out,
            "<meta property=\"dcterms:conformsTo\">{CONFORMANCE}</meta>"
        );
    }
}

/// `xml:lang` for a title in another language than the book's (one borrowed from the source
/// language).
fn xml_lang(lang: Option<&str>) -> String {
    lang.map(|l| format!(" xml:lang=\"{}\"", escape(l)))
        .unwrap_or_default()
}

/// A stable identifier: the same book (site or title, handbook, language) always gets the
/// same UUID, a name-based one made from those three.
fn identifier(site: &str, handbook: &str, lang: &str) -> String {
    let hash = Sha256::digest(format!("handbok\n{site}\n{handbook}\n{lang}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&hash[..16]);
    // Version 8 (custom), RFC 9562 variant.
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// `dcterms:modified` from the newest module date (`YYYY-MM-DD`): the book changes when its
/// content does, not when it is built. Without any date, the zip epoch.
fn modified(newest: Option<&str>) -> String {
    match newest {
        Some(date) if date.len() == 10 => format!("{date}T00:00:00Z"),
        Some(date) if date.len() >= 19 => format!("{}Z", &date[..19]),
        _ => "1980-01-01T00:00:00Z".into(),
    }
}

/// The media type of an image the book carries, from its file name.
fn media_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    }
}

/// Whether a medium can move, flash or sound: animated GIF, PNG (APNG) or WebP, an SVG with
/// SMIL or CSS animation.
pub(super) fn moves(path: &str, bytes: &[u8]) -> bool {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    match media_type(path) {
        // More than one graphic control extension: more than one frame.
        "image/gif" => {
            has(b"NETSCAPE2.0") || bytes.windows(2).filter(|w| w == b"\x21\xF9").count() > 1
        }
        "image/png" => has(b"acTL"),
        "image/webp" => has(b"ANIM"),
        "image/svg+xml" => {
            has(b"<animate") || has(b"<set") || has(b"@keyframes") || has(b"animation")
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_stable_uuids() {
        let a = identifier("https://example.org/", "inclusive", "sv");
        assert_eq!(a, identifier("https://example.org/", "inclusive", "sv"));
        assert_ne!(a, identifier("https://example.org/", "inclusive", "de"));
        assert_eq!(a.len(), "urn:uuid:".len() + 36);
        assert_eq!(&a["urn:uuid:".len() + 14..][..1], "8");
    }

    #[test]
    fn the_date_of_the_newest_module_is_the_modification_date() {
        assert_eq!(modified(Some("2026-03-01")), "2026-03-01T00:00:00Z");
        assert_eq!(modified(None), "1980-01-01T00:00:00Z");
    }

    #[test]
    fn moving_media_are_found_in_their_bytes() {
        assert!(moves("a.svg", b"<svg><animate attributeName=\"x\"/></svg>"));
        assert!(!moves("a.svg", b"<svg><circle r=\"1\"/></svg>"));
        assert!(moves("a.png", b"\x89PNG....acTL...."));
        assert!(!moves("a.png", b"\x89PNG....IHDR...."));
        assert!(moves("a.gif", b"GIF89a..\x21\xF9..\x21\xF9.."));
        assert!(moves("a.mp4", b""));
    }
}
