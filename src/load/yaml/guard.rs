//! A size and nesting-depth check that runs before the YAML parser sees a text.
//!
//! libyaml-based parsers (every serde_yaml successor) take time quadratic in the nesting depth of
//! flow collections: 200 KB of `[[[[…]]]]` took 35 s. Front matter and `ui.yaml` never need more
//! than a few levels, so the text is scanned once, in linear time, and refused past the limits.
//!
//! The scan is an over-approximation of YAML's structure, not a parser: it counts flow brackets
//! (`[`, `{`) outside quoted scalars, comments and block scalars, plus block nesting (indentation
//! levels and `- ` / `? ` indicators). Quotes open only where a scalar can start, so a quote
//! inside plain text cannot hide brackets from it. Block levels are counted by column: a list
//! that starts at its key's column (`a:` / `- b` below it) shares the key's level, so the parser
//! may see up to twice the counted block depth, still below its own limit of 128 and harmless,
//! since only flow nesting is slow. Ordinary front matter stays far below the limit.

/// How much YAML a file may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of YAML text.
    pub max_bytes: usize,
    /// Nested collections (flow and block together).
    pub max_depth: usize,
}

/// Front matter: a few dozen fields. 64 KB is hundreds of times a real one.
pub const FRONT_MATTER: Limits = Limits {
    max_bytes: 64 * 1024,
    max_depth: 32,
};

/// `ui.yaml` holds every interface string of a language, so it may be larger; it is two levels
/// deep (`strings:` / `home: …`), and a lower depth keeps the largest file fast to parse.
pub const UI_FILE: Limits = Limits {
    max_bytes: 1024 * 1024,
    max_depth: 16,
};

/// Why a text was refused, with the byte offset where the limit is crossed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exceeded {
    /// The text is `len` bytes; `at` is the first byte past the limit (on a char boundary).
    Size { len: usize, limit: usize, at: usize },
    /// The collection opened at `at` is nested `limit + 1` deep.
    Depth { limit: usize, at: usize },
}

impl Exceeded {
    pub fn offset(&self) -> usize {
        match self {
            Exceeded::Size { at, .. } | Exceeded::Depth { at, .. } => *at,
        }
    }
}

/// Checks `text` against `limits` in one linear pass. Depth is checked first: its place (the
/// bracket that opens one level too many) tells the author more than where the size runs out.
pub fn check(text: &str, limits: Limits) -> Result<(), Exceeded> {
    Scan::new(limits.max_depth).run(text)?;
    if text.len() > limits.max_bytes {
        let mut at = limits.max_bytes;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        return Err(Exceeded::Size {
            len: text.len(),
            limit: limits.max_bytes,
            at,
        });
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
}

struct Scan {
    max_depth: usize,
    /// Columns of the open block collections, innermost last.
    blocks: Vec<usize>,
    /// Open flow collections.
    flow: usize,
    quote: Quote,
    /// Lines indented deeper than this belong to a block scalar (`|`, `>`).
    block_scalar: Option<usize>,
}

impl Scan {
    fn new(max_depth: usize) -> Self {
        Scan {
            max_depth,
            blocks: Vec::new(),
            flow: 0,
            quote: Quote::None,
            block_scalar: None,
        }
    }

    fn run(mut self, text: &str) -> Result<(), Exceeded> {
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            self.line(line, start)?;
            start += line.len();
        }
        Ok(())
    }

    fn depth(&self) -> usize {
        self.blocks.len() + self.flow
    }

    fn deeper(&self, at: usize) -> Result<(), Exceeded> {
        if self.depth() > self.max_depth {
            Err(Exceeded::Depth {
                limit: self.max_depth,
                at,
            })
        } else {
            Ok(())
        }
    }

    /// Opens a block collection at column `col` (closing those at or right of it first).
    fn block(&mut self, col: usize, at: usize) -> Result<(), Exceeded> {
        while self.blocks.last().is_some_and(|&c| c >= col) {
            self.blocks.pop();
        }
        self.blocks.push(col);
        self.deeper(at)
    }

    fn line(&mut self, line: &str, start: usize) -> Result<(), Exceeded> {
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|&&b| b == b' ').count();
        let blank = matches!(bytes.get(indent), None | Some(b'\n' | b'\r' | b'#'));
        if let Some(parent) = self.block_scalar {
            if blank || indent > parent {
                return Ok(());
            }
            self.block_scalar = None;
        }
        let mut i = 0;
        // At the start of a token: where a quote opens a quoted scalar and `[` a flow list.
        let mut token_start = true;
        if self.quote == Quote::None && self.flow == 0 {
            if blank {
                return Ok(());
            }
            i = indent;
            self.block(indent, start + i)?;
            // `- - x`, `? x`: each indicator opens one more level on the same line.
            while i + 1 < bytes.len()
                && matches!(bytes[i], b'-' | b'?')
                && matches!(bytes[i + 1], b' ' | b'\t' | b'\n' | b'\r')
            {
                i += 1;
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
                    i += 1;
                }
                self.block(i, start + i)?;
            }
        }
        while i < bytes.len() {
            let b = bytes[i];
            match self.quote {
                Quote::Double => {
                    match b {
                        b'\\' => i += 1,
                        b'"' => self.quote = Quote::None,
                        _ => {}
                    }
                    i += 1;
                    token_start = false;
                    continue;
                }
                Quote::Single => {
                    if b == b'\'' {
                        if bytes.get(i + 1) == Some(&b'\'') {
                            i += 1;
                        } else {
                            self.quote = Quote::None;
                        }
                    }
                    i += 1;
                    token_start = false;
                    continue;
                }
                Quote::None => {}
            }
            let after_space = i == 0 || matches!(bytes[i - 1], b' ' | b'\t');
            match b {
                b'#' if after_space => return Ok(()),
                b'"' | b'\'' if token_start => {
                    self.quote = if b == b'"' {
                        Quote::Double
                    } else {
                        Quote::Single
                    };
                }
                b'[' | b'{' if token_start || self.flow > 0 => {
                    self.flow += 1;
                    self.deeper(start + i)?;
                    token_start = true;
                    i += 1;
                    continue;
                }
                b']' | b'}' if self.flow > 0 => self.flow -= 1,
                b',' if self.flow > 0 => {
                    token_start = true;
                    i += 1;
                    continue;
                }
                b'|' | b'>' if token_start && self.flow == 0 => {
                    self.block_scalar = Some(indent);
                    return Ok(());
                }
                b' ' | b'\t' | b'\n' | b'\r' => {
                    i += 1;
                    continue;
                }
                b':' if matches!(bytes.get(i + 1), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
                    || self.flow > 0 =>
                {
                    token_start = true;
                    i += 1;
                    continue;
                }
                // Tags and anchors come before the value they mark.
                b'!' | b'&' if token_start => {
                    while i < bytes.len() && !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
                        i += 1;
                    }
                    continue;
                }
                _ => {}
            }
            token_start = false;
            i += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_error_at(text: &str, max_depth: usize) -> Option<usize> {
        let limits = Limits {
            max_bytes: usize::MAX,
            max_depth,
        };
        check(text, limits).err().map(|e| e.offset())
    }

    #[test]
    fn ordinary_front_matter_passes() {
        let text = "id: a\ntitle: \"Setup: [the] {first} steps\"\nsummary: >-\n  see [1] and {2\n  more [[[[\nlevels: [primary, lower-secondary]\nsubjects:\n  - arts\n  - music # [not counted\nnote: it's [fine]\nstrings: {home: Hem, next: 'Nä[sta'}\n";
        assert_eq!(check(text, FRONT_MATTER), Ok(()));
        assert_eq!(depth_error_at(text, 3), None);
    }

    #[test]
    fn flow_nesting_is_refused_where_it_crosses_the_limit() {
        let text = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        // `a:` opens level 1; the 32nd `[` is level 33, at byte 3 + 31.
        assert_eq!(depth_error_at(&text, 32), Some(3 + 31));
        let text = "a: [{b: [c, {d: [e]}]}]\n";
        assert_eq!(depth_error_at(text, 6), None);
        assert_eq!(depth_error_at(text, 5), Some(16));
    }

    #[test]
    fn block_nesting_and_indicators_count() {
        let mut text = String::new();
        for i in 0..40 {
            text.push_str(&" ".repeat(i));
            text.push_str("a:\n");
        }
        assert!(depth_error_at(&text, 32).is_some());
        let dashes = format!("{}x\n", "- ".repeat(40));
        assert_eq!(depth_error_at(&dashes, 32), Some(64));
        // Siblings at one indentation do not add up.
        let flat = "a: 1\n".repeat(1000);
        assert_eq!(depth_error_at(&flat, 2), None);
    }

    #[test]
    fn quotes_cannot_hide_brackets_from_the_parser() {
        // A quote inside a plain scalar opens nothing, so the brackets after it still count.
        let text = format!("a: x '\n{}\n", "[".repeat(50));
        assert!(depth_error_at(&text, 32).is_some());
        let text = format!("a: \"{}\"\n", "[".repeat(50));
        assert_eq!(depth_error_at(&text, 32), None);
    }

    #[test]
    fn size_is_refused_on_a_char_boundary() {
        let text = "é".repeat(40_000);
        let Err(Exceeded::Size { at, len, limit }) = check(&text, FRONT_MATTER) else {
            panic!("not refused");
        };
        assert_eq!((len, limit), (80_000, 65_536));
        assert!(text.is_char_boundary(at) && at <= limit);
    }
}
