//! Splits a document into YAML front matter and Markdown body.
//!
//! The front matter sits between a first line `---` and the next line that is `---` (or `...`).
//! Offsets are kept so that every later diagnostic points into the file itself, not into the
//! front-matter block.

use crate::source::Span;

/// Where the parts of a document are, as byte ranges of the file text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The YAML text between the fences.
    pub yaml: Span,
    /// Everything after the closing fence's line.
    pub body: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with `---`.
    Missing,
    /// `---` opens front matter that never closes; the span is the opening fence.
    Unclosed(Span),
}

pub fn split(text: &str) -> Result<Split, SplitError> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    if text[start..first_end].trim_end() != "---" {
        return Err(SplitError::Missing);
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut at = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let fence = line.trim_end();
        if fence == "---" || fence == "..." {
            return Ok(Split {
                yaml: yaml_start..at,
                body: (at + line.len())..text.len(),
            });
        }
        at += line.len();
    }
    Err(SplitError::Unclosed(start..first_end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let text = "---\nid: a\n---\n# Body\n";
        let s = split(text).unwrap();
        assert_eq!(&text[s.yaml.clone()], "id: a\n");
        assert_eq!(&text[s.body], "# Body\n");
    }

    #[test]
    fn handles_crlf_bom_and_empty_front_matter() {
        let text = "\u{feff}---\r\n---\r\nbody";
        let s = split(text).unwrap();
        assert_eq!(&text[s.yaml], "");
        assert_eq!(&text[s.body], "body");
    }

    #[test]
    fn reports_missing_and_unclosed() {
        assert_eq!(split("# Title\n"), Err(SplitError::Missing));
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(split("---\nid: a\n"), Err(SplitError::Unclosed(0..3)));
        assert_eq!(split("----\n"), Err(SplitError::Missing));
    }
}
