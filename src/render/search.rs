//! The per-language search index: a compact inverted index of stems, split into small shards
//! that the browser loads on demand as `<script>` files.
//!
//! Why this design (and not pagefind or elasticlunr, as mdBook uses): the site must search when
//! opened from disk (`file://`), where browsers refuse `fetch()` and WebAssembly streaming, so
//! the index has to arrive as JavaScript files added with `<script>` tags; and a teacher on a
//! metered connection should download only what a query needs, not the whole index (mdBook's
//! elasticlunr index of 5,000 pages is 85 MB). Stemming (Snowball, via `rust-stemmers`) happens
//! here at build time only: each shard maps the *words* of the corpus to their stems, so the
//! browser needs no stemmer — it looks a query word up (or, for the last word being typed, the
//! words it begins) and follows the stems to postings.
//!
//! Files, under `<lang>/search/`:
//! - `index.js`: the document count, which shards exist, and each document's facet masks (so
//!   results filter by level, subject and need before any document text is loaded);
//! - `s-<hex>.js`: the words and stems starting with one prefix of one or two letters (hex of
//!   its UTF-8; the length depends on the corpus size),
//!   with postings `[doc, score, doc, score, …]`, scores BM25 with field weights;
//! - `d-<n>.js`: titles and summaries of documents `n*CHUNK ..`, loaded for the results shown.

use super::Site;
use super::script::json;
use crate::link::ModuleIdx;
use crate::vocab::{Level, Need};
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use unicode_segmentation::UnicodeSegmentation as _;

/// Documents per `d-<n>.js` file: results are scattered over the corpus, so small chunks keep
/// the first page of results cheap.
pub const CHUNK: usize = 16;

/// Postings kept per stem. A stem in more documents than this (`learners` in a corpus for
/// teachers) keeps only its best-scoring documents and is marked: the browser then uses it to
/// rank, not to exclude (a query of only such words still finds the best matches).
const MAX_POSTINGS: usize = 400;

/// Field weights: a word in a title says more about a module than one in its body.
const TITLE: f32 = 6.0;
const SUMMARY: f32 = 3.0;
const KEYWORDS: f32 = 3.0;
const BODY: f32 = 1.0;

/// The Snowball stemmer for a language, if there is one.
fn stemmer(primary: &str) -> Option<Stemmer> {
    let algorithm = match primary {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "nb" | "nn" | "no" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// Splits text into lower-case words, the same way the browser splits a query (handbok.js
/// mirrors this rule exactly): a word is a run of grapheme clusters that start with a letter or
/// digit, so combining marks (Devanagari vowel signs, Arabic harakat) stay inside their word,
/// while apostrophes and dots split (`l'école` → `l`, `école`; `3.5` → `3`, `5`); each Han or
/// kana character is a word of its own, since those scripts do not separate words by spaces.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, out: &mut Vec<String>| {
        if !current.is_empty() {
            out.push(current.to_lowercase());
            current.clear();
        }
    };
    for grapheme in text.graphemes(true) {
        let first = grapheme.chars().next().unwrap_or(' ');
        if is_cjk(first) {
            flush(&mut current, &mut out);
            out.push(grapheme.to_lowercase());
        } else if first.is_alphanumeric() {
            current.push_str(grapheme);
        } else {
            flush(&mut current, &mut out);
        }
    }
    flush(&mut current, &mut out);
    out
}

/// Han ideographs and Japanese kana (the ranges handbok.js uses too).
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// The shard key of a word or stem: its first `prefix` characters.
pub fn shard_key(word: &str, prefix: usize) -> String {
    word.chars().take(prefix).collect()
}

/// Small corpora get one shard per first letter (a handful of small files), large ones one per
/// two letters (so a first search stays small).
fn prefix_length(docs: usize) -> usize {
    if docs < 400 { 1 } else { 2 }
}

fn hex(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

/// A stem's postings `(document, score)`, and whether they were truncated to the best ones.
type Scored = (Vec<(usize, u32)>, bool);

/// What a shard holds: words of the corpus (→ their stems) and stems (→ postings, and whether
/// they were truncated).
enum Entry<'a> {
    Word(&'a str, &'a [String]),
    Stem(&'a str, &'a [(usize, u32)], bool),
}

impl Entry<'_> {
    fn text(&self) -> &str {
        match self {
            Entry::Word(w, _) | Entry::Stem(w, _, _) => w,
        }
    }

    /// About how many bytes the entry adds to its shard.
    fn size(&self) -> usize {
        match self {
            Entry::Word(w, stems) => w.len() + 6 + stems.iter().map(|s| s.len() + 3).sum::<usize>(),
            Entry::Stem(s, postings, _) => s.len() + 6 + postings.len() * 6,
        }
    }
}

/// A shard bigger than this is split by one more letter, so a first search stays small even for
/// a prefix as common as `le` in French.
const SHARD_LIMIT: usize = 24 * 1024;

/// Groups entries by their first `depth` characters; a group over [`SHARD_LIMIT`] is split one
/// character deeper (entries too short to split stay in the parent shard).
fn split<'a>(entries: Vec<Entry<'a>>, depth: usize, shards: &mut BTreeMap<String, Vec<Entry<'a>>>) {
    let mut groups: BTreeMap<String, Vec<Entry<'a>>> = BTreeMap::new();
    for entry in entries {
        groups
            .entry(shard_key(entry.text(), depth))
            .or_default()
            .push(entry);
    }
    for (key, group) in groups {
        let size: usize = group.iter().map(Entry::size).sum();
        if size <= SHARD_LIMIT || depth >= 4 {
            shards.entry(key).or_default().extend(group);
            continue;
        }
        let (short, long): (Vec<_>, Vec<_>) = group
            .into_iter()
            .partition(|e| e.text().chars().count() <= depth);
        if !short.is_empty() {
            shards.entry(key).or_default().extend(short);
        }
        split(long, depth + 1, shards);
    }
}

/// `handbokSearch.shard(key, {w: {word: [stems]}, s: {stem: [doc, score, Δdoc, score, …]},
/// t: [truncated stems]})`; document numbers are delta-encoded.
fn shard_file(key: &str, entries: &[Entry]) -> String {
    let mut words = String::new();
    let mut stems = String::new();
    let mut truncated = Vec::new();
    for entry in entries {
        match entry {
            Entry::Word(w, list) => {
                let sep = if words.is_empty() { "" } else { "," };
                let _ = write!(words, "{sep}{}:{}", json(w), json(list));
            }
            Entry::Stem(s, postings, cut) => {
                let sep = if stems.is_empty() { "" } else { "," };
                let _ = write!(stems, "{sep}{}:[", json(s));
                let mut previous = 0;
                for (j, (d, score)) in postings.iter().enumerate() {
                    let _ = write!(
                        stems,
                        "{}{},{score}",
                        if j > 0 { "," } else { "" },
                        d - previous
                    );
                    previous = *d;
                }
                stems.push(']');
                if *cut {
                    truncated.push(*s);
                }
            }
        }
    }
    format!(
        "handbokSearch.shard({},{{\"w\":{{{words}}},\"s\":{{{stems}}},\"t\":{}}});\n",
        json(key),
        json(&truncated)
    )
}

#[derive(Default)]
struct Postings {
    /// Weighted term frequency per document, in document order.
    docs: Vec<(usize, f32)>,
}

/// Builds every search file of language `l`: `(root-relative path, contents)`.
pub fn files(site: &Site, l: usize) -> Vec<(String, String)> {
    let graph = &site.data.graph;
    let lang = site.lang(l);
    let docs: Vec<ModuleIdx> = site.built_modules().collect();
    let own = stemmer(site.look.labels[l].lang.primary());
    let source = stemmer(site.look.labels[0].lang.primary());

    // Stems are numbered; each distinct word is stemmed once per stemmer (a corpus repeats its
    // words thousands of times), and per document only a small map of stem → weight is kept.
    let mut stem_ids: HashMap<String, usize> = HashMap::new();
    let mut stem_names: Vec<String> = Vec::new();
    let mut stems: Vec<Postings> = Vec::new();
    // word → stem number, for documents in the page's language and for untranslated ones
    let mut caches: [HashMap<String, usize>; 2] = [HashMap::new(), HashMap::new()];
    let mut word_stems: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut lengths = Vec::with_capacity(docs.len());
    for (d, &m) in docs.iter().enumerate() {
        let shown = crate::publish::shown(graph, m, l);
        let fallback = shown.translation.is_none() && l != 0;
        let (title, summary, body) = (shown.title, shown.summary, &shown.body.text);
        let stem_with = if fallback {
            source.as_ref()
        } else {
            own.as_ref()
        };
        let keywords = site.keywords(m, l).0.join(" ");
        let mut length = 0.0;
        let mut weights: HashMap<usize, f32> = HashMap::new();
        for (text, weight) in [
            (title, TITLE),
            (summary, SUMMARY),
            (keywords.as_str(), KEYWORDS),
            (body.as_str(), BODY),
        ] {
            for word in words(text) {
                let cache = &mut caches[usize::from(fallback)];
                let id = match cache.get(&word) {
                    Some(&id) => id,
                    None => {
                        let stem =
                            stem_with.map_or_else(|| word.clone(), |s| s.stem(&word).into_owned());
                        let id = *stem_ids.entry(stem.clone()).or_insert_with(|| {
                            stem_names.push(stem.clone());
                            stems.push(Postings::default());
                            stem_names.len() - 1
                        });
                        let entry = word_stems.entry(word.clone()).or_default();
                        if !entry.contains(&stem) {
                            entry.push(stem);
                        }
                        cache.insert(word, id);
                        id
                    }
                };
                *weights.entry(id).or_default() += weight;
                length += weight;
            }
        }
        for (id, weight) in weights {
            stems[id].docs.push((d, weight));
        }
        lengths.push(length);
    }

    // BM25 with weighted term frequencies, scaled to small integers.
    let n = docs.len() as f32;
    let average = lengths.iter().sum::<f32>() / n.max(1.0);
    let (k1, b) = (1.2f32, 0.75f32);
    let mut scored: BTreeMap<&str, Scored> = BTreeMap::new();
    for (stem, postings) in stem_names.iter().zip(&stems) {
        let df = postings.docs.len() as f32;
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        let mut list: Vec<(usize, u32)> = postings
            .docs
            .iter()
            .map(|&(d, tf)| {
                let norm =
                    tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * lengths[d] / average.max(1.0)));
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
    let mut shards: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    split(entries, prefix_length(docs.len()), &mut shards);

    let mut files = Vec::new();
    for (key, entries) in &shards {
        files.push((
            format!("{lang}/search/s-{}.js", hex(key)),
            shard_file(key, entries),
        ));
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
        "levels": Level::keys().collect::<Vec<_>>(),
        "subjects": subjects.iter().map(|s| s.key()).collect::<Vec<_>>(),
        "needs": Need::keys().collect::<Vec<_>>(),
        "facets": facets,
    });
    files.push((
        format!("{lang}/search/index.js"),
        format!("handbokSearch.meta({});\n", json(&meta)),
    ));

    for (c, chunk) in docs.chunks(CHUNK).enumerate() {
        let entries: Vec<serde_json::Value> = chunk
            .iter()
            .map(|&m| {
                let module = &graph.modules[m];
                let (title, fallback) = site.title(m, l);
                let summary = site
                    .translation(m, l)
                    .map_or(module.summary.as_str(), |t| t.summary.as_str());
                serde_json::json!([module.id, title, summary, fallback.unwrap_or("")])
            })
            .collect();
        files.push((
            format!("{lang}/search/d-{c}.js"),
            format!("handbokSearch.docs({c},{});\n", json(&entries)),
        ));
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_shards_split_one_letter_deeper() {
        let postings: Vec<(usize, u32)> = (0..3000).map(|d| (d, 1)).collect();
        let entries = vec![
            Entry::Stem("le", &postings, false),
            Entry::Stem("learn", &postings, false),
            Entry::Stem("lesson", &postings, false),
            Entry::Stem("map", &postings[..10], false),
        ];
        let mut shards = BTreeMap::new();
        split(entries, 2, &mut shards);
        let keys: Vec<&str> = shards.keys().map(String::as_str).collect();
        assert_eq!(keys, ["le", "lea", "les", "ma"]);
    }

    #[test]
    fn postings_are_delta_encoded() {
        let postings = [(3, 10), (7, 20), (8, 5)];
        let file = shard_file("a", &[Entry::Stem("ab", &postings, true)]);
        assert_eq!(
            file,
            "handbokSearch.shard(\"a\",{\"w\":{},\"s\":{\"ab\":[3,10,4,20,1,5]},\"t\":[\"ab\"]});\n"
        );
    }

    #[test]
    fn words_are_lower_cased_unicode_words() {
        let w = words("Läs mer: Übung, “ÉCOLE” і Школа 2025!");
        assert_eq!(w, ["läs", "mer", "übung", "école", "і", "школа", "2025"]);
    }

    #[test]
    fn words_split_like_the_browser_does() {
        assert_eq!(
            words("l'école d’été, 3.5"),
            ["l", "école", "d", "été", "3", "5"]
        );
        // Combining marks stay in their word.
        assert_eq!(words("हिन्दी भाषा"), ["हिन्दी", "भाषा"]);
        assert_eq!(words("مُعَلِّم"), ["مُعَلِّم"]);
        // Each ideograph is a word.
        assert_eq!(words("数字教育ok"), ["数", "字", "教", "育", "ok"]);
    }

    #[test]
    fn stemmers_exist_for_the_languages_the_issue_names() {
        for lang in ["en", "sv", "de", "fr", "fi"] {
            assert!(stemmer(lang).is_some(), "{lang}");
        }
        let sv = stemmer("sv").unwrap();
        assert_eq!(sv.stem("skolorna"), sv.stem("skolor"));
        assert_eq!(shard_key("школа", 2), "шк");
        assert_eq!(hex("шк"), "d188d0ba");
    }
}
