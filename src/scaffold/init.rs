//! `handbok init [DIR]`: a folder → a new project that builds at once and checks clean:
//! `book.toml` (English and Swedish, one handbook), two modules that link to each other, a
//! current Swedish translation of one of them (its `source-hash` computed here, and that
//! source version kept in the store, as `translate new` does), the Swedish names of the book
//! and the handbook, and a `.gitignore` for the output folder.

use super::{NewFile, Outcome, create_all, today};
use crate::translate::{fingerprint, history};
use std::path::Path;

const BOOK_TOML: &str = r#"# A handbok project: `handbok check` reports every problem, `handbok build` writes the site
# into book/. See `handbok --help`.
[book]
title = "Digital teaching guidelines"
authors = ["Your name or organisation"]
description = "Practical guidance for teachers on accessible teaching with digital tools."
language = "en"

[handbok]
# Every published language, the source language (that of guidelines/) first.
languages = ["en", "sv"]
# The license of modules that name none (an SPDX identifier).
license = "CC-BY-4.0"

# A handbook: modules in reading order. Instead of `modules`, a handbook may select every
# module of some `levels`, `subjects` or `accessibility` needs.
[[handbok.handbook]]
id = "accessible-media"
title = "Accessible media in the classroom"
modules = ["captions-for-video", "readable-documents"]
"#;

const CAPTIONS_PATH: &str = "guidelines/inclusion/captions-for-video.md";

const CAPTIONS: &str = r#"---
id: captions-for-video
title: Captions for every video
summary: >-
  How to choose and write captions for the videos you use in class, so that deaf and
  hard-of-hearing learners, and everyone else, can follow them.
levels: [primary, lower-secondary, upper-secondary]
subjects: [cross-curricular]
accessibility: [deaf, hard-of-hearing]
competences: ["2.2", "5.1"]
related: [readable-documents]
keywords: [video, captions, subtitles]
updated: {updated}
---

Captions help far more learners than those who cannot hear the sound: learners who are still
learning the language of instruction, learners who need more time to follow, and anyone
watching in a noisy room or without headphones.

## Before the lesson {#before}

- Check that every video you plan to show has captions, and watch a few minutes with them on:
  automatic captions often get names and subject words wrong.
- Prefer captions that can be switched on and off over text burned into the picture.
- Keep the link to the video and its captions in the lesson plan, so a learner can watch it
  again at home.

## Writing your own captions {#writing}

When a video has no captions, or only poor ones, write them yourself or with your learners:
short lines, one speaker at a time, and sounds that matter in brackets, such as [door slams].
Give learners the same text as a handout too; the module on
[readable documents](guide:readable-documents) shows how to make it easy to read.
"#;

const DOCUMENTS_PATH: &str = "guidelines/inclusion/readable-documents.md";

const DOCUMENTS: &str = r#"---
id: readable-documents
title: Readable documents and handouts
summary: >-
  How to write and lay out handouts and digital documents that every learner can read,
  including learners with dyslexia or low vision and those using a screen reader.
levels: [primary, lower-secondary, upper-secondary]
subjects: [cross-curricular, languages]
accessibility: [dyslexia, low-vision, blind]
competences: ["2.2", "5.1"]
related: [captions-for-video]
keywords: [handouts, layout, headings, dyslexia]
updated: {updated}
---

A document is readable when a learner can find their way through it, read it without strain,
and use it with the tools they rely on, such as a screen reader or text-to-speech.

## Structure {#structure}

- Use the heading styles of your editor rather than bold text, so that the document has an
  outline a screen reader can jump through.
- Keep paragraphs short and put one idea in each.
- Write links that say where they go, never "click here".

## Layout {#layout}

- Choose a plain font at a comfortable size, left-aligned, with space between lines.
- Never rely on colour alone to carry meaning, and keep the contrast between text and
  background high.
- Give every image a short description of what it shows.

A transcript of a video is a document too: see
[writing your own captions](guide:captions-for-video#writing).
"#;

const CAPTIONS_SV_PATH: &str = "translations/sv/inclusion/captions-for-video.md";

/// The Swedish translation's front matter after its title and summary; `{hash}` is filled in.
const CAPTIONS_SV: &str = r#"---
title: Textning för varje video
summary: >-
  Hur du väljer och skriver textning till filmerna du använder i undervisningen, så att döva
  elever och elever med hörselnedsättning, och alla andra, kan följa dem.
translators: [Your name]
source-hash: {hash}
---

Textning hjälper många fler elever än dem som inte hör ljudet: elever som fortfarande lär sig
undervisningsspråket, elever som behöver mer tid för att hänga med och alla som tittar i ett
bullrigt rum eller utan hörlurar.

## Före lektionen {#before}

- Kontrollera att varje film du tänker visa har textning, och titta några minuter med den
  påslagen: automatisk textning får ofta namn och ämnesord fel.
- Välj hellre textning som kan slås av och på än text som är inbränd i bilden.
- Lägg länken till filmen och dess textning i lektionsplaneringen, så att eleverna kan se den
  igen hemma.

## Skriv din egen textning {#writing}

När en film saknar textning, eller bara har dålig textning, skriv den själv eller tillsammans
med eleverna: korta rader, en talare i taget och ljud som spelar roll inom hakparentes, till
exempel [dörren smäller]. Ge eleverna samma text som ett utdelningsblad också; modulen om
[läsbara dokument](guide:readable-documents) visar hur du gör den lätt att läsa.
"#;

const UI_SV_PATH: &str = "translations/sv/ui.yaml";

/// The Swedish names of what book.toml names in English; handbok's own interface text is built
/// in for Swedish.
const UI_SV: &str =
    "# Swedish text for what book.toml names in English (the interface text is built in).
book:
  title: Riktlinjer för digital undervisning
  description: Praktiska råd till lärare om tillgänglig undervisning med digitala verktyg.
handbooks:
  accessible-media: Tillgängliga medier i klassrummet
";

const GITIGNORE: &str =
    "# The built site (`handbok build`); build it again from the sources.\n/book/\n";

/// `handbok init`: writes a new project into `dir`, which must not exist or be empty (a `.git`
/// folder alone is fine: `git init` may come first). Nothing is written when anything is in
/// the way.
pub fn init(dir: &Path) -> Outcome {
    let shown = dir.display();
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            let mut names: Vec<String> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| name != ".git")
                .collect();
            names.sort();
            if !names.is_empty() {
                let listed: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
                let more = if names.len() > 3 { ", …" } else { "" };
                return Err(format!(
                    "{shown} is not empty (it holds {}{more}); handbok init writes a new \
                     project only into an empty or new folder, so nothing was written",
                    listed.join(", ")
                ));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("creating {shown}: {}", crate::load::err_text(&e)))?;
        }
        Err(e) => return Err(format!("reading {shown}: {}", crate::load::err_text(&e))),
    }
    create_all(dir, &files()?)?;
    let folder = if dir == Path::new(".") {
        String::new()
    } else {
        format!(" -C {shown}")
    };
    Ok(format!(
        "created a handbok project in {shown}: book.toml, 2 modules in guidelines/, a Swedish \
         translation in translations/sv/; run `handbok{folder} build` and open book/index.html"
    ))
}

/// The project's files, with today's date and the translation's fingerprint filled in.
fn files() -> Result<Vec<NewFile>, String> {
    let updated = today();
    let captions = CAPTIONS.replace("{updated}", &updated);
    let hash = fingerprint::of_file(&captions)
        .ok_or_else(|| "the built-in module template has no readable front matter".to_string())?;
    let stored = history::store_path(Path::new(""), &hash)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .ok_or_else(|| format!("`{hash}` is not a fingerprint"))?;
    let file = |rel: &str, text: String| NewFile {
        rel: rel.to_string(),
        text,
    };
    Ok(vec![
        file("book.toml", BOOK_TOML.to_string()),
        file(".gitignore", GITIGNORE.to_string()),
        file(CAPTIONS_PATH, captions.clone()),
        file(DOCUMENTS_PATH, DOCUMENTS.replace("{updated}", &updated)),
        file(CAPTIONS_SV_PATH, CAPTIONS_SV.replace("{hash}", &hash)),
        file(UI_SV_PATH, UI_SV.to_string()),
        // The source version the translation was made from, so `translate diff` can show what
        // changed once the module is edited, with or without git.
        file(&stored, captions),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_translation_records_the_source_it_mirrors() {
        let files = files().unwrap();
        let source = &files[2].text;
        let translation = &files[4].text;
        let hash = fingerprint::of_file(source).unwrap();
        assert!(translation.contains(&format!("source-hash: {hash}\n")));
        assert_eq!(
            files[6].rel,
            format!(
                ".handbok/sources/{}.md",
                hash.trim_start_matches(fingerprint::PREFIX)
            )
        );
        assert!(!translation.contains("{hash}") && !source.contains("{updated}"));
    }
}
