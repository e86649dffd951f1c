//! JSON for script contexts: the one escaper for every JSON value handbok writes into a
//! `<script>` element (JSON-LD) or into a JavaScript file loaded with `<script src>` (the search
//! index).
//!
//! An HTML parser ends a script element at the first `</script` and treats `<!--` inside one
//! specially (a `<!--<script>` in a title swallowed the rest of the page), whatever JSON thinks
//! of the string. So no `<`, `>` or `&` may appear raw: they are written as the JSON escapes
//! `\u003c`, `\u003e`, `\u0026`, which a JSON parser reads back as the same characters. U+2028
//! and U+2029 are escaped too: they are line terminators in JavaScript before ES2019, where a
//! raw one in a string literal is a syntax error. These characters can only occur inside JSON
//! strings (never in JSON's own syntax), so replacing them keeps the JSON valid.

use serde::Serialize;

/// `value` as compact JSON that is safe inside a `<script>` element and in a `.js` file.
pub fn json<T: Serialize + ?Sized>(value: &T) -> String {
    // Serializing handbok's own types (strings, numbers, maps with string keys) cannot fail.
    let text = serde_json::to_string(value).unwrap_or_default();
    escape(&text)
}

/// Appends `text` as the JSON string [`json`] makes of it; without a string of its own when
/// nothing in it needs escaping (the search index writes tens of thousands of words so).
pub fn push_json_str(out: &mut String, text: &str) {
    // 0xE2 leads U+2028 and U+2029 (and other characters, which then take the long way).
    let plain = text
        .bytes()
        .all(|b| b >= 0x20 && !matches!(b, b'"' | b'\\' | b'<' | b'>' | b'&' | 0xE2));
    if plain {
        out.push('"');
        out.push_str(text);
        out.push('"');
    } else {
        out.push_str(&json(text));
    }
}

/// Escapes the characters an HTML or JavaScript parser would read as syntax in serialized JSON.
fn escape(json: &str) -> String {
    if !json.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_nothing_an_html_parser_reads_as_markup() {
        let hostile = "A <!--<script> </script><b>&amp; \u{2028}\u{2029}";
        let out = json(&serde_json::json!({ "name": hostile, "<key>": 1 }));
        for c in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
            assert!(!out.contains(c), "{c:?} in {out}");
        }
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["name"], hostile);
        assert_eq!(back["<key>"], 1);
    }

    #[test]
    fn strings_are_pushed_as_json_writes_them() {
        for text in [
            "plain",
            "",
            "école",
            "a\"b\\c",
            "<b>&",
            "x\u{2028}y\u{2029}",
            "’quoted’",
            "tab\there\u{1}\u{7f}",
        ] {
            let mut out = String::from("[");
            push_json_str(&mut out, text);
            assert_eq!(out, format!("[{}", json(text)), "{text:?}");
        }
    }

    #[test]
    fn control_characters_stay_escaped() {
        assert_eq!(json("a\u{1}\u{0}b"), "\"a\\u0001\\u0000b\"");
        assert_eq!(json("plain"), "\"plain\"");
    }
}
