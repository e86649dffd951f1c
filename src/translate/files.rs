//! The files the translation commands write: a new translation (`translate new`), a recorded
//! source fingerprint (`translate done`) and a completed `ui.yaml` (`translate ui`).
//!
//! None of them overwrites a translator's text: `new` refuses an existing file (unless
//! `--force`), `done` edits only its two front-matter lines, `ui` only adds lines. Every write
//! goes to a temporary file in the same folder, renamed over the target in one step.

use super::{fingerprint, history, language, module_by_id};
use crate::ProjectData;
use crate::source::Sources;
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically: a reader sees the old file or the new one, never half.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.handbok-tmp-{}", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// What a translation command did, or why it did nothing.
pub type Outcome = Result<String, String>;

/// `translate new L ID`: the source's title, summary and body in `translations/L/<rel>`, with
/// `source-hash` and `status: draft`.
pub fn new(data: &ProjectData, sources: &Sources, lang: &str, id: &str, force: bool) -> Outcome {
    let l = language(data, lang)?;
    let m = module_by_id(data, id)?;
    let module = &data.graph.modules[m];
    let rel = format!("translations/{}/{}", data.config.languages[l], module.rel);
    let path = data.root.join(&rel);
    if path.exists() && !force {
        return Err(format!(
            "{rel} exists; translate it there, run `handbok translate done {lang} {id}` when it \
             matches the source, or add --force to replace it with the source text"
        ));
    }
    let text = &sources.get(module.file).text();
    let content = fingerprint::Content::from_file(text)
        .ok_or_else(|| format!("guidelines/{} has no readable front matter", module.rel))?;
    let hash = content.fingerprint();
    let body = content.body.trim_start_matches(['\r', '\n']);
    let out = format!(
        "---\ntitle: {}\nsummary: {}\nsource-hash: {hash}\nstatus: draft\n---\n\n{body}",
        yaml_scalar(&content.title),
        yaml_scalar(&content.summary),
    );
    history::store(&data.root, &hash, text).map_err(|e| io_message(&data.root, &hash, e))?;
    write_atomic(&path, out.as_bytes()).map_err(|e| format!("writing {rel}: {e}"))?;
    Ok(format!(
        "wrote {rel} (a draft; translate it, then run `handbok translate done {lang} {id}`)"
    ))
}

/// `translate done L ID`: records the source's current fingerprint in the translation and
/// removes `status: draft`. Only those front-matter lines change.
pub fn done(data: &ProjectData, sources: &Sources, lang: &str, id: &str) -> Outcome {
    let (_, m, t) = super::translation_of(data, lang, id)?;
    let graph = &data.graph;
    let file = sources.get(graph.translations[t].file);
    let source = &sources.get(graph.modules[m].file).text();
    let hash = fingerprint::of_file(source).ok_or_else(|| {
        format!(
            "guidelines/{} has no readable front matter",
            graph.modules[m].rel
        )
    })?;
    let edited = record(file.text(), &hash)
        .ok_or_else(|| format!("{} has no front matter to record the source in", file.name))?;
    history::store(&data.root, &hash, source).map_err(|e| io_message(&data.root, &hash, e))?;
    if edited == file.text() {
        return Ok(format!("{} already records the current source", file.name));
    }
    write_atomic(&file.path, edited.as_bytes())
        .map_err(|e| format!("writing {}: {e}", file.name))?;
    Ok(format!(
        "{} now records the current source ({hash})",
        file.name
    ))
}

/// `text` with `source-hash: HASH` (replacing the line or added before the closing fence) and
/// without a `status: draft` line; every other byte as it was. `None` without front matter.
pub fn record(text: &str, hash: &str) -> Option<String> {
    let split = crate::load::frontmatter::split(text).ok()?;
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut out = String::with_capacity(text.len() + 40);
    out.push_str(&text[..split.yaml.start]);
    let mut recorded = false;
    for line in text[split.yaml.clone()].split_inclusive('\n') {
        if line.starts_with("source-hash:") {
            if !recorded {
                out.push_str(&format!("source-hash: {hash}{newline}"));
                recorded = true;
            }
        } else if line.starts_with("status:") && line["status:".len()..].trim() == "draft" {
        } else {
            out.push_str(line);
        }
    }
    if !recorded {
        if !out.ends_with('\n') {
            out.push_str(newline);
        }
        out.push_str(&format!("source-hash: {hash}{newline}"));
    }
    out.push_str(&text[split.yaml.end..]);
    Some(out)
}

/// `translate ui L`: adds every interface string and vocabulary label `translations/L/ui.yaml`
/// lacks, as a comment with the source language's text under its section. Existing lines are
/// kept as they are.
pub fn ui(data: &ProjectData, ui_files: &[crate::load::UiFile], lang: &str) -> Outcome {
    let l = language(data, lang)?;
    let tag = &data.config.languages[l];
    let missing = crate::i18n::untranslated(&data.config, ui_files, tag);
    let rel = format!("translations/{tag}/ui.yaml");
    let path = data.root.join(&rel);
    let old = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => format!(
            "# Interface text in {tag}: uncomment each line and translate the text after `:`.\n"
        ),
        Err(e) => return Err(format!("reading {rel}: {e}")),
    };
    let commented = |entry: &crate::i18n::UiEntry| {
        format!("# {}: {}", yaml_key(&entry.key), yaml_scalar(&entry.text))
    };
    let mut text = old.clone();
    let mut added = 0;
    for section in crate::i18n::SECTIONS {
        let entries: Vec<String> = missing
            .iter()
            .filter(|e| e.section == *section)
            // An entry already there as a comment is not added twice.
            .map(&commented)
            .filter(|c| !old.lines().any(|line| line.trim() == c))
            .collect();
        if entries.is_empty() {
            continue;
        }
        added += entries.len();
        text = add_to_section(&text, section, &entries);
    }
    if added == 0 {
        return Ok(format!("{rel} has every interface string and label"));
    }
    write_atomic(&path, text.as_bytes()).map_err(|e| format!("writing {rel}: {e}"))?;
    Ok(format!(
        "added {added} untranslated entries to {rel} as comments: uncomment and translate them"
    ))
}

/// `text` with `lines` (comments) added at the end of top-level section `section`, indented like
/// its entries; the section is added at the end when there is none.
fn add_to_section(text: &str, section: &str, lines: &[String]) -> String {
    let header = format!("{section}:");
    let all: Vec<&str> = text.split_inclusive('\n').collect();
    let Some(start) = all.iter().position(|l| l.trim_end() == header) else {
        let mut out = text.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&header);
        out.push('\n');
        for line in lines {
            out.push_str(&format!("  {line}\n"));
        }
        return out;
    };
    // The section ends before the next line that starts at column 0 (not a comment).
    let end = all[start + 1..]
        .iter()
        .position(|l| !l.trim().is_empty() && !l.starts_with([' ', '\t', '#']))
        .map_or(all.len(), |i| start + 1 + i);
    let indent = all[start + 1..end]
        .iter()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map_or("  ".to_string(), |l| {
            l[..l.len() - l.trim_start().len()].to_string()
        });
    // Insert after the section's last non-blank line, so blank lines between sections stay.
    let mut at = end;
    while at > start + 1 && all[at - 1].trim().is_empty() {
        at -= 1;
    }
    let mut out: String = all[..at].concat();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    for line in lines {
        out.push_str(&format!("{indent}{line}\n"));
    }
    out.push_str(&all[at..].concat());
    out
}

/// A YAML key: quoted when YAML would read it as a number (`"1.1"`).
fn yaml_key(key: &str) -> String {
    if key.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
        key.to_string()
    } else {
        format!("\"{key}\"")
    }
}

/// `s` as a YAML scalar on one line: plain when that reads back as the same text, else
/// double-quoted (JSON escapes are valid YAML escapes).
pub fn yaml_scalar(s: &str) -> String {
    let simple = s.chars().next().is_some_and(char::is_alphanumeric)
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s
            .chars()
            .any(|c| c.is_control() || matches!(c, '"' | '\\' | '{' | '}' | '[' | ']'));
    if simple && reads_back_as_text(s) {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

/// Whether `k: s` reads back as the text `s` (not a number, a date-like or a boolean).
fn reads_back_as_text(s: &str) -> bool {
    use crate::load::yaml::{Yaml, parse};
    match parse(&format!("k: {s}")) {
        Ok(Yaml::Map(map)) => matches!(map.first(), Some((_, Yaml::String(v))) if v == s),
        _ => false,
    }
}

fn io_message(root: &Path, hash: &str, e: std::io::Error) -> String {
    let path = history::store_path(root, hash).unwrap_or_default();
    format!("writing {}: {e}", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_only_the_hash_and_status_lines() {
        let text = "---\ntitle: T # kept\nstatus: draft\nsummary: S\n---\nBody\n";
        let out = record(text, "sha256:0123456789abcdef").unwrap();
        assert_eq!(
            out,
            "---\ntitle: T # kept\nsummary: S\nsource-hash: sha256:0123456789abcdef\n---\nBody\n"
        );
        let again = record(&out, "sha256:fedcba9876543210").unwrap();
        assert_eq!(again, out.replace("0123456789abcdef", "fedcba9876543210"));
        let crlf = "---\r\ntitle: T\r\n---\r\nB";
        assert_eq!(
            record(crlf, "sha256:0123456789abcdef").unwrap(),
            "---\r\ntitle: T\r\nsource-hash: sha256:0123456789abcdef\r\n---\r\nB"
        );
    }

    #[test]
    fn adds_comments_inside_sections() {
        let text = "strings:\n    home: Hem\n\nlevels:\n  isced-0: F\n";
        let out = add_to_section(text, "strings", &["# about: About".into()]);
        assert_eq!(
            out,
            "strings:\n    home: Hem\n    # about: About\n\nlevels:\n  isced-0: F\n"
        );
        let out = add_to_section(&out, "needs", &["# blind: Blind".into()]);
        assert!(
            out.ends_with("isced-0: F\nneeds:\n  # blind: Blind\n"),
            "{out}"
        );
    }

    #[test]
    fn scalars_read_back_as_written() {
        assert_eq!(
            yaml_scalar("Captions for every video"),
            "Captions for every video"
        );
        assert_eq!(yaml_scalar("Note: this"), "\"Note: this\"");
        assert_eq!(yaml_scalar("{count} modules"), "\"{count} modules\"");
        assert_eq!(yaml_scalar("true"), "\"true\"");
    }
}
