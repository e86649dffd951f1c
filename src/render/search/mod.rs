//! The per-language search index: a compact inverted index of stems, split into small shards
//! that the browser loads on demand as `<script>` files; `themes/default/search.js` is the
//! engine that reads it.
//!
//! Why this design (and not pagefind or elasticlunr, as mdBook uses): the site must search when
//! opened from disk (`file://`), where browsers refuse `fetch()` and WebAssembly streaming, so
//! the index has to arrive as JavaScript files added with `<script>` tags; and a teacher on a
//! metered connection should download only what a query needs, not the whole index (mdBook's
//! elasticlunr index of 5,000 pages is 85 MB). Stemming happens here at build time only (Snowball
//! via `rust-stemmers` where it has the language, else words cut to five letters: see
//! [`text::TRUNCATE`] for how that was measured): each shard maps the *folded* words of the
//! corpus (lower case, accents dropped: [`text::fold`]) to their stems, so the browser needs no
//! stemmer — it folds a query word the same way and looks it up among the corpus's words.
//!
//! What a query finds (search.js): any of its words, documents with more matched words first,
//! then by score (BM25 with field weights, a bonus for title words); each word matches its exact
//! form, longer words it begins (compound heads, the word being typed), longer words it ends
//! (compound tails: "mobbning" → "nätmobbning", "bullying" → "cyberbullying"), a shorter form,
//! and, only when the corpus lacks the word, words one typo away (two from nine letters). Results
//! show a snippet with the matched words highlighted and a link to the best matching section.
//!
//! Files, under `<lang>/search/`:
//! - `index.js`: the document count, which shards exist, and each document's facet masks (so
//!   results filter by level, subject and need before any document text is loaded);
//! - `s-<hex>.js`: the words and stems starting with one prefix of one or two letters (hex of
//!   its UTF-8; the length depends on the corpus size; big ones split deeper), with postings
//!   `[doc, score, doc, score, …]`;
//! - `x-<hex>.js`: the words ending in one suffix (the key is the suffix reversed): compounds
//!   that end in a query word, and typos in a word's first letters, which its prefix shard
//!   cannot hold;
//! - `d-<n>.js`: title, summary and sections (heading id, heading, the start of the text) of
//!   documents `n*CHUNK ..`, loaded for the results shown, for snippets and section links.
//!
//! Measured (tests/search_eval.rs, 87 teacher queries in en, sv, de, fr and uk over the sample):
//! 85/87 = 97.7 % find their module first (top 3 for broad queries); Pagefind on the same module
//! pages 67/87 = 77.0 % (`bench/pagefind-eval.mjs`). A first search at 5,000
//! modules × 1 language (`gen_corpus.py`, `node bench/first-search.mjs`) transfers 27–41 KB
//! gzipped: `index.js` 18 KB, the shards a query needs 2–5 KB, ten results' `d-` files 14 KB.

mod shards;
pub mod text;

use super::Site;
use super::script::json;
use crate::link::ModuleIdx;
use crate::markdown::plain::{Plain, plain};
use crate::vocab::{Level, Need};
use rustc_hash::FxHashMap;
use shards::{Entry, hex, shard_file, split, tail_file};
use std::collections::BTreeMap;
use text::{Stemming, each_word, fold};

/// Documents per `d-<n>.js` file. Results are scattered over the corpus, so a first page of
/// results loads about one file per result: small files keep it cheap.
pub const CHUNK: usize = 2;

/// Postings kept per stem. A stem in more documents than this (`learners` in a corpus for
/// teachers) keeps only its best-scoring documents and is marked: the browser then uses it to
/// rank, not to count as a matched query word.
const MAX_POSTINGS: usize = 400;

/// Field weights: a word in a title says more about a module than one in its body, and a word
/// in a heading more than one in the text under it (headings also count as body text).
const TITLE: f32 = 6.0;
const SUMMARY: f32 = 3.0;
const KEYWORDS: f32 = 3.0;
const HEADING: f32 = 2.0;
const BODY: f32 = 1.0;

/// What a word in the title adds on top of its BM25 weight. Term frequencies saturate, so a
/// module that says "bedömning" thirty times in its body would otherwise outrank the one titled
/// "Formativ bedömning"; a title says what a module is about.
const TITLE_BONUS: f32 = 1.0;

/// Characters of each section's text kept for result snippets (cut at a word boundary).
const SECTION_CHARS: usize = 280;

/// Words shorter than this are not filed by their ending (no compound ends in them usefully,
/// and typo tolerance starts at five letters).
const TAIL_MIN: usize = 4;

/// Small corpora get one shard per first letter (a handful of small files), large ones one per
/// two letters (so a first search stays small).
fn prefix_length(docs: usize) -> usize {
    if docs < 400 { 1 } else { 2 }
}

/// A stem's postings `(document, score)`, and whether they were truncated to the best ones.
type Scored = (Vec<(u32, u32)>, bool);

#[derive(Default)]
struct Postings {
    /// Per document, in document order: its number, with [`IN_TITLE`] set when the title has
    /// the stem, and the stem's weighted term frequency. (Eight bytes a document: a language's
    /// postings are held at once, 5,000 documents × a few hundred stems each; with the flag
    /// apart they took twelve.)
    docs: Vec<(u32, f32)>,
}

/// The bit of a posting's document number that says the title has the stem.
const IN_TITLE: u32 = 1 << 31;

/// What a result shows of module `m` in language `l`: `[id, title, summary, the language it
/// is shown in when not l's, [[heading id, heading, the section's first words], …]]`.
fn document(
    site: &Site,
    m: ModuleIdx,
    l: usize,
    shown: &crate::publish::Shown,
    plain: &Plain,
) -> serde_json::Value {
    let (title, fallback) = site.title(m, l);
    let ids = site.data.graph.heading_ids(shown.file, shown.body);
    let parts: Vec<[&str; 3]> = plain
        .sections()
        .into_iter()
        .map(|(n, text)| {
            let heading = n.and_then(|n| Some((*ids.get(n)?, shown.body.headings.get(n)?)));
            let (id, heading) = heading.map_or(("", ""), |(id, h)| (id, h.text.as_str()));
            [id, heading, cut(text, SECTION_CHARS)]
        })
        .filter(|[id, _, text]| !id.is_empty() || !text.is_empty())
        .collect();
    serde_json::json!([
        site.data.graph.modules[m].id,
        title,
        shown.summary,
        fallback.unwrap_or(""),
        parts
    ])
}

/// `text` cut to about `max` characters at a word boundary.
fn cut(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        None => text,
        Some((end, _)) => text[..end]
            .rfind(char::is_whitespace)
            .map_or(&text[..end], |space| &text[..space]),
    }
}

/// Builds every search file of language `l`: `(root-relative path, contents)`.
pub fn files(site: &Site, l: usize) -> Vec<(String, String)> {
    let mut files = Vec::new();
    each_file(site, l, &mut |path, text| files.push((path, text)));
    files
}

/// [`files`], giving each to `out` as it is made (the documents' files first, while the
/// postings are still being gathered) rather than holding them all.
pub fn each_file(site: &Site, l: usize, out: &mut dyn FnMut(String, String)) {
    let graph = &site.data.graph;
    let lang = site.lang(l);
    let docs: Vec<ModuleIdx> = site.built_modules().collect();
    let own = Stemming::of(site.look.labels[l].lang.primary());
    let source = Stemming::of(site.look.labels[0].lang.primary());

    // Stems are numbered; each distinct word is stemmed once per stemming (a corpus repeats its
    // words thousands of times), and per document only a small map of stem → weight is kept.
    let mut stem_ids: FxHashMap<String, usize> = FxHashMap::default();
    let mut stem_names: Vec<String> = Vec::new();
    let mut stems: Vec<Postings> = Vec::new();
    // word → stem number, for documents in the page's language and for untranslated ones
    let mut caches: [FxHashMap<String, usize>; 2] = Default::default();
    // folded word → its stems
    let mut word_stems: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut lengths = Vec::with_capacity(docs.len());
    // A document's weight per stem number (and whether its title has it), and the stems it
    // has, in order: one table for every document, emptied after each (a hash map per
    // document was a tenth of the indexes' time). Every field weighs more than 0, so a weight
    // of 0 is a stem the document doesn't have yet.
    let mut weights: Vec<(f32, bool)> = Vec::new();
    let mut touched: Vec<usize> = Vec::new();
    // The documents' files are made as the documents are read: one plain text a document.
    let mut chunk = Vec::with_capacity(CHUNK);
    for (d, &m) in docs.iter().enumerate() {
        let shown = crate::publish::shown(graph, m, l);
        let plain = plain(shown.body);
        let fallback = shown.translation.is_none() && l != 0;
        let stemming = if fallback { &source } else { &own };
        let keywords = site.keywords(m, l).0.join(" ");
        let headings = shown
            .body
            .headings
            .iter()
            .map(|h| h.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let mut length = 0.0;
        for (text, weight, in_title) in [
            (shown.title, TITLE, true),
            (shown.summary, SUMMARY, false),
            (keywords.as_str(), KEYWORDS, false),
            (headings.as_str(), HEADING, false),
            (plain.text.as_str(), BODY, false),
        ] {
            each_word(text, &mut |word| {
                let cache = &mut caches[usize::from(fallback)];
                let id = match cache.get(word) {
                    Some(&id) => id,
                    None => {
                        let stem = stemming.stem(word);
                        let id = *stem_ids.entry(stem.clone()).or_insert_with(|| {
                            stem_names.push(stem.clone());
                            stems.push(Postings::default());
                            stem_names.len() - 1
                        });
                        let entry = word_stems.entry(fold(word).into_owned()).or_default();
                        if !entry.contains(&stem) {
                            entry.push(stem);
                        }
                        cache.insert(word.to_string(), id);
                        id
                    }
                };
                if id >= weights.len() {
                    weights.resize(id + 1, (0.0, false));
                }
                let entry = &mut weights[id];
                if entry.0 == 0.0 {
                    touched.push(id);
                }
                entry.0 += weight;
                entry.1 |= in_title;
                length += weight;
            });
        }
        for id in touched.drain(..) {
            let (weight, title) = std::mem::take(&mut weights[id]);
            let flag = if title { IN_TITLE } else { 0 };
            stems[id].docs.push((d as u32 | flag, weight));
        }
        lengths.push(length);
        chunk.push(document(site, m, l, &shown, &plain));
        if chunk.len() == CHUNK || d + 1 == docs.len() {
            let c = d / CHUNK;
            out(
                format!("{lang}/search/d-{c}.js"),
                format!("handbokSearch.docs({c},{});\n", json(&chunk)),
            );
            chunk.clear();
        }
    }

    // BM25 with weighted term frequencies, scaled to small integers.
    let n = docs.len() as f32;
    let average = lengths.iter().sum::<f32>() / n.max(1.0);
    let (k1, b) = (1.2f32, 0.75f32);
    let mut scored: BTreeMap<&str, Scored> = BTreeMap::new();
    // Each stem's postings are dropped as soon as they are scored.
    for (stem, postings) in stem_names.iter().zip(stems) {
        let df = postings.docs.len() as f32;
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        let mut list: Vec<(u32, u32)> = postings
            .docs
            .iter()
            .map(|&(d, tf)| {
                let (d, title) = (d & !IN_TITLE, d & IN_TITLE != 0);
                let norm = tf * (k1 + 1.0)
                    / (tf + k1 * (1.0 - b + b * lengths[d as usize] / average.max(1.0)))
                    + if title { TITLE_BONUS } else { 0.0 };
                (d, ((idf * norm * 100.0).round() as u32).max(1))
            })
            .collect();
        let truncated = list.len() > MAX_POSTINGS;
        if truncated {
            list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(MAX_POSTINGS);
            list.sort_unstable();
        }
        scored.insert(stem, (list, truncated));
    }

    let mut entries: Vec<Entry> = word_stems
        .iter()
        .map(|(w, list)| Entry::Word(w, list))
        .collect();
    entries.extend(
        scored
            .iter()
            .map(|(stem, (list, truncated))| Entry::Stem(stem, list, *truncated)),
    );
    let depth = prefix_length(docs.len());
    let mut shards: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    split(entries, depth, &mut shards);
    let tail_entries: Vec<Entry> = word_stems
        .keys()
        .filter(|w| w.chars().count() >= TAIL_MIN)
        .map(|w| Entry::Tail(w.chars().rev().collect(), w))
        .collect();
    let mut tails: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    split(tail_entries, depth, &mut tails);

    for (key, entries) in &shards {
        out(
            format!("{lang}/search/s-{}.js", hex(key)),
            shard_file(key, entries),
        );
    }
    for (key, entries) in &tails {
        out(
            format!("{lang}/search/x-{}.js", hex(key)),
            tail_file(key, entries),
        );
    }

    // Facet masks per document, and which bit is which term.
    let subjects = site.data.config.subjects();
    let mask =
        |bits: &mut dyn Iterator<Item = usize>| bits.fold(0u64, |acc, b| acc | (1 << b.min(63)));
    let facets: Vec<[u64; 3]> = docs
        .iter()
        .map(|&m| {
            let module = &graph.modules[m];
            [
                mask(&mut module.levels.iter().map(|l| l.number() as usize)),
                mask(
                    &mut module
                        .subjects
                        .iter()
                        .filter_map(|s| subjects.iter().position(|x| x == s)),
                ),
                mask(
                    &mut module
                        .needs
                        .iter()
                        .filter_map(|n| Need::ALL.iter().position(|x| x == n)),
                ),
            ]
        })
        .collect();
    let meta = serde_json::json!({
        "n": docs.len(),
        "chunk": CHUNK,
        "shards": shards.keys().collect::<Vec<_>>(),
        "tails": tails.keys().collect::<Vec<_>>(),
        "levels": Level::keys().collect::<Vec<_>>(),
        "subjects": subjects.iter().map(|s| s.key()).collect::<Vec<_>>(),
        "needs": Need::keys().collect::<Vec<_>>(),
        "facets": facets,
    });
    out(
        format!("{lang}/search/index.js"),
        format!("handbokSearch.meta({});\n", json(&meta)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_at_a_word_boundary() {
        assert_eq!(cut("short", 10), "short");
        assert_eq!(cut("one two three", 9), "one two");
        assert_eq!(cut("ångström ås", 9), "ångström");
    }
}
