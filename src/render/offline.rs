//! The offline copy's place in the site: the link on a language's home page ("Download this
//! site for offline use (ZIP, 3.2 MB)") and the start page at the top of the zip. The zip
//! itself is made by `write::offline` from the written files.
//!
//! The zip holds the language's home page, so the home page cannot state the size of a zip
//! that contains it. The copy in the zip is the home page without the link (an offline reader
//! has the copy already), rendered first; once the zip is written, `build` renders the home
//! page again with its size ([`Site::set_download`]).

use super::{Page, Site};
use serde::Serialize;

/// A language's offline copy, as its home page links to it.
#[derive(Debug, Clone)]
pub struct Download {
    /// The zip's root-relative path.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// The link on the home page.
#[derive(Serialize)]
pub(super) struct DownloadLink {
    href: String,
    /// "Download this site for offline use (ZIP, 3.2 MB)" (HTML).
    text: String,
}

impl Site {
    /// Records language `l`'s offline copy, so that its home page links to it from now on.
    pub fn set_download(&mut self, l: usize, download: Download) {
        if let Some(slot) = self.downloads.get_mut(l) {
            *slot = Some(download);
        }
    }

    /// The languages whose offline copy `book.toml` asks for, as indexes.
    pub fn offline_languages(&self) -> Vec<usize> {
        let config = &self.data.config;
        (0..config.languages.len())
            .filter(|&l| config.offline.contains(&config.languages[l]))
            .collect()
    }

    /// Where language `l`'s zip goes: `<lang>/<book>-<lang>.zip`, named after the book so that
    /// a downloaded file says what it is.
    pub fn download_path(&self, l: usize) -> String {
        format!("{}/{}.zip", self.lang(l), self.download_folder(l))
    }

    /// The folder the zip's files are in, so that unzipping makes one folder: `<book>-<lang>`.
    pub fn download_folder(&self, l: usize) -> String {
        format!("{}-{}", slug(&self.data.config.title), self.lang(l))
    }

    pub(super) fn download_link(&self, l: usize) -> Option<DownloadLink> {
        let download = self.downloads.get(l)?.as_ref()?;
        Some(self.link_to(l, download, "offline-download"))
    }

    /// A link to a download for a page in language `l`, its text interface string `key` with
    /// the size (`{size}`).
    pub(super) fn link_to(&self, l: usize, download: &Download, key: &str) -> DownloadLink {
        let labels = &self.look.labels[l];
        let size = human_size(download.bytes, labels.string("decimal-separator"));
        DownloadLink {
            href: download.path.clone(),
            text: super::templates::marked(labels, key, &[("size", &size)]),
        }
    }

    /// The zip's `index.html`: a page that sends the reader on to the language's home page
    /// (the site's own root page lists every language, most of them not in this zip).
    pub fn offline_start(&self, l: usize) -> String {
        let home = self.path(&Page::Home(l));
        let labels = &self.look.labels[l];
        let title = handlebars::html_escape(labels.book_title());
        format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta http-equiv=\"refresh\" content=\"0; url={home}\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{title}</title>\n</head>\n<body>\n<p><a href=\"{home}\">{title}</a></p>\n\
             </body>\n</html>\n",
            lang = self.lang(l),
        )
    }
}

/// The book title as a file name: ASCII letters and digits, other runs as one `-`, at most 40
/// characters; `site` when nothing is left (a title in another script).
pub(super) fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.chars().take(40).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() { "site".into() } else { out }
}

/// A size as people read it: `870 KB`, `3.2 MB`, `48 MB` (SI units, as the file managers of
/// macOS and most Linux desktops show them), with the language's decimal separator.
pub fn human_size(bytes: u64, decimal_separator: &str) -> String {
    const KB: u64 = 1_000;
    const MB: u64 = 1_000_000;
    if bytes < MB {
        return format!("{} KB", bytes.div_ceil(KB).max(1));
    }
    let tenths = (bytes + MB / 20) / (MB / 10);
    if tenths >= 100 {
        return format!("{} MB", (bytes + MB / 2) / MB);
    }
    format!("{}{decimal_separator}{} MB", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(human_size(0, "."), "1 KB");
        assert_eq!(human_size(870_400, "."), "871 KB");
        assert_eq!(human_size(3_240_000, "."), "3.2 MB");
        assert_eq!(human_size(3_250_000, ","), "3,3 MB");
        assert_eq!(human_size(9_960_000, "."), "10 MB");
        assert_eq!(human_size(48_400_000, "."), "48 MB");
    }

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(
            slug("Digital Pedagogy: Guidelines!"),
            "digital-pedagogy-guidelines"
        );
        assert_eq!(
            slug("Riktlinjer för digital pedagogik"),
            "riktlinjer-f-r-digital-pedagogik"
        );
        assert_eq!(slug("Довідник"), "site");
        assert_eq!(slug("--a--"), "a");
    }
}
