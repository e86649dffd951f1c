//! How the index is cut into files the browser loads on demand, and the text of those files.
//! search.js reads exactly these shapes (`handbokSearch.shard`, `handbokSearch.tail`).

use super::super::script::{json, push_json_str};
use std::collections::BTreeMap;

/// What a shard holds.
pub enum Entry<'a> {
    /// A folded word of the corpus and its stems (prefix shards).
    Word(&'a str, &'a [String]),
    /// A stem, its postings `(document, score)` and whether they were truncated (prefix shards).
    Stem(&'a str, &'a [(u32, u32)], bool),
    /// A folded word filed under its ending: the first field is the word reversed (tail
    /// shards, for compounds that end in a query word and for typos in a word's first letters).
    Tail(String, &'a str),
}

impl Entry<'_> {
    /// What the entry is filed under: a prefix of this.
    fn text(&self) -> &str {
        match self {
            Entry::Word(w, _) | Entry::Stem(w, _, _) => w,
            Entry::Tail(reversed, _) => reversed,
        }
    }

    /// About how many bytes the entry adds to its shard.
    fn size(&self) -> usize {
        match self {
            Entry::Word(w, stems) => w.len() + 6 + stems.iter().map(|s| s.len() + 3).sum::<usize>(),
            Entry::Stem(s, postings, _) => s.len() + 6 + postings.len() * 6,
            Entry::Tail(_, w) => w.len() + 3,
        }
    }
}

/// The shard key of a word or stem: its first `prefix` characters.
fn key_of(word: &str, prefix: usize) -> &str {
    word.char_indices()
        .nth(prefix)
        .map_or(word, |(end, _)| &word[..end])
}

/// A shard bigger than this is split by one more letter, so a first search stays small even for
/// a prefix as common as `le` in French.
const SHARD_LIMIT: usize = 24 * 1024;

/// Groups entries by their first `depth` characters; a group over [`SHARD_LIMIT`] is split one
/// character deeper (entries too short to split stay in the parent shard).
pub fn split<'a>(
    entries: Vec<Entry<'a>>,
    depth: usize,
    shards: &mut BTreeMap<String, Vec<Entry<'a>>>,
) {
    let mut groups: BTreeMap<String, Vec<Entry<'a>>> = BTreeMap::new();
    // Entries mostly come sorted, so a key is looked up once per run of entries that share it
    // (once per entry, with a string made for it, this was a tenth of the indexes' time).
    let mut run: Option<(String, Vec<Entry<'a>>)> = None;
    for entry in entries {
        let key = key_of(entry.text(), depth);
        match &mut run {
            Some((current, list)) if current == key => list.push(entry),
            _ => {
                let key = key.to_string();
                if let Some((key, list)) = run.replace((key, vec![entry])) {
                    groups.entry(key).or_default().extend(list);
                }
            }
        }
    }
    if let Some((key, list)) = run {
        groups.entry(key).or_default().extend(list);
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

/// The hex of a key's UTF-8: file names stay ASCII whatever the script.
pub fn hex(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

/// `handbokSearch.shard(key, {w: {word: [stems]}, s: {stem: [doc, score, Δdoc, score, …]},
/// t: [truncated stems]})`; document numbers are delta-encoded.
pub fn shard_file(key: &str, entries: &[Entry]) -> String {
    let mut words = String::new();
    let mut stems = String::new();
    let mut truncated = Vec::new();
    let mut number = itoa::Buffer::new();
    for entry in entries {
        match entry {
            Entry::Word(w, list) => {
                if !words.is_empty() {
                    words.push(',');
                }
                push_json_str(&mut words, w);
                words.push_str(":[");
                for (j, stem) in list.iter().enumerate() {
                    if j > 0 {
                        words.push(',');
                    }
                    push_json_str(&mut words, stem);
                }
                words.push(']');
            }
            Entry::Stem(s, postings, cut) => {
                if !stems.is_empty() {
                    stems.push(',');
                }
                push_json_str(&mut stems, s);
                stems.push_str(":[");
                let mut previous = 0;
                for (j, (d, score)) in postings.iter().enumerate() {
                    if j > 0 {
                        stems.push(',');
                    }
                    stems.push_str(number.format(d - previous));
                    stems.push(',');
                    stems.push_str(number.format(*score));
                    previous = *d;
                }
                stems.push(']');
                if *cut {
                    truncated.push(*s);
                }
            }
            Entry::Tail(..) => {}
        }
    }
    format!(
        "handbokSearch.shard({},{{\"w\":{{{words}}},\"s\":{{{stems}}},\"t\":{}}});\n",
        json(key),
        json(&truncated)
    )
}

/// `handbokSearch.tail(key, [words])`: the words whose reversed form begins with `key`.
pub fn tail_file(key: &str, entries: &[Entry]) -> String {
    let words: Vec<&str> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Tail(_, w) => Some(*w),
            _ => None,
        })
        .collect();
    format!("handbokSearch.tail({},{});\n", json(key), json(&words))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_shards_split_one_letter_deeper() {
        let postings: Vec<(u32, u32)> = (0..3000).map(|d| (d, 1)).collect();
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
    fn tails_are_filed_by_their_reversed_ending() {
        let words = ["natmobbning", "mobbning", "cyberbullying"];
        let entries: Vec<Entry> = words
            .iter()
            .map(|w| Entry::Tail(w.chars().rev().collect(), w))
            .collect();
        let mut shards = BTreeMap::new();
        split(entries, 2, &mut shards);
        let keys: Vec<&str> = shards.keys().map(String::as_str).collect();
        assert_eq!(keys, ["gn"]);
        assert_eq!(
            tail_file("gn", &shards["gn"]),
            "handbokSearch.tail(\"gn\",[\"natmobbning\",\"mobbning\",\"cyberbullying\"]);\n"
        );
        assert_eq!(key_of("школа", 2), "шк");
        assert_eq!(hex("шк"), "d188d0ba");
    }
}
