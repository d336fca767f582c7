//! The search index, sharded so that a first search downloads a bounded amount however
//! large the site: `search.json`, the head, holds the word list (which grows with the
//! vocabulary, not with the events), the aliases and where each part is; the postings
//! (which docs hold each word) are cut into shards of about [`SHARD_BYTES`] by ranges of
//! the sorted words (`search/w<n>.json`), and the docs themselves (kind, title, URL, text,
//! aliases) into chunks of [`CHUNK`] (`search/d<n>.json`). The search page loads the head,
//! then the shards of the words a query stands for, then the chunks of the results it
//! shows.
//!
//! One index is of one language, whose code the head names (`lang`): how text is read
//! into words depends on it ([`words`]: folding, Hangul by pairs of syllables, Vietnamese
//! words in a row), and the page reads a query the same way.
//!
//! Docs: the chapters and free pages by section, the events, the registries' entries, and
//! the terms of the free taxonomies, each entry and term with its aliases (`a`), their text
//! composed (NFC) so that the page marks what it finds. A filter taxonomy's term on an
//! event is the pseudo-word `=<taxonomy>=<term id>`, whose postings are the search page's
//! facets.
//!
//! Postings are doc numbers in ascending order, as gaps in base 36 joined by commas:
//! `w` (the title, text or aliases hold the word), `t` (the title does), `a` (an alias
//! does). Where the language's reading has pairs (`"pairs": true` in the head), the two
//! words `a b` in a row are a key of the shard holding `a`, with one list (the docs holding
//! them in a row). Text is JSON that the page shows as text.

mod words;

use super::views::Views;
use crate::routes::{search_part, Page};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use unicode_normalization::UnicodeNormalization;
use words::{folded, scan, words, Reading};

/// Docs per chunk: the results a page shows come from at most this many chunks.
pub(crate) const CHUNK: usize = 20;
/// About how many bytes of postings a shard holds (a word's own may exceed it).
pub(crate) const SHARD_BYTES: usize = 32 * 1024;
/// How much of a text a doc keeps for its excerpt, in characters.
const TEXT_CHARS: usize = 4000;

/// One doc of the index.
struct Doc {
    kind: String,
    title: String,
    url: String,
    text: String,
    aliases: Vec<String>,
    /// Facet pseudo-words (`=people=ho-chi-minh`).
    facets: Vec<String>,
}

/// Every file of the index of the docs of `v`, which are in the language `lang`, each
/// handed to `put` (output path, bytes) as soon as it is made, so that only one shard is
/// held at a time; the head last.
pub(crate) fn files(v: Views, lang: &str, put: &mut dyn FnMut(String, Vec<u8>)) {
    let docs = docs(v);
    let reading = Reading::of(lang);
    let (post, pairs) = postings_of(&docs, reading);
    let (mut starts, mut shard, mut size, mut n) = (Vec::new(), Map::new(), 0, 0);
    let mut flush = |shard: &mut Map<String, Value>| {
        let bytes = Value::Object(std::mem::take(shard)).to_string();
        put(search_part('w', n), bytes.into_bytes());
        n += 1;
    };
    for (i, (word, lists)) in post.iter().enumerate() {
        if size >= SHARD_BYTES {
            flush(&mut shard);
            size = 0;
        }
        if shard.is_empty() {
            starts.push(i);
        }
        let enc: Vec<String> = lists.iter().map(|l| gaps(l)).collect();
        size += word.len() + enc.iter().map(String::len).sum::<usize>() + 16;
        shard.insert(word.clone(), json!(enc));
        for (pair, list) in pairs.get(word.as_str()).into_iter().flatten() {
            let enc = gaps(list);
            size += pair.len() + enc.len() + 8;
            shard.insert(pair.to_string(), json!([enc]));
        }
    }
    if !shard.is_empty() {
        flush(&mut shard);
    }
    for (n, chunk) in docs.chunks(CHUNK).enumerate() {
        let list: Vec<Value> = chunk.iter().map(doc_json).collect();
        put(
            search_part('d', n),
            Value::Array(list).to_string().into_bytes(),
        );
    }
    let aliases: BTreeMap<String, Vec<String>> = (docs.iter())
        .flat_map(|d| d.aliases.iter().map(move |a| (a, d)))
        .filter_map(|(a, d)| {
            let mut one = words(a).into_iter();
            let (w, None) = (one.next()?, one.next()) else {
                return None;
            };
            Some((w, words(&d.title)))
        })
        .collect();
    let head = json!({
        "v": 3,
        "lang": words::primary(lang),
        "pairs": reading.pairs,
        "docs": docs.len(),
        "chunk": CHUNK,
        "words": post.keys().collect::<Vec<_>>(),
        "shards": starts,
        "aliases": aliases,
    });
    let head_file = crate::routes::DataFile::SearchIndex.file().to_string();
    put(head_file, head.to_string().into_bytes());
}

/// The words in a row (`a b`) of a language read with pairs, by first word, each with the
/// docs holding it.
type Pairs = HashMap<String, Vec<(String, Vec<u32>)>>;

/// Each word's postings: the docs holding it anywhere, in their title, in an alias; and,
/// when `reading` has pairs, the docs holding each two words in a row. Built in hash maps
/// keyed by the words as found (a 50 MB chapter has millions), then sorted.
fn postings_of(docs: &[Doc], reading: Reading) -> (BTreeMap<String, [Vec<u32>; 3]>, Pairs) {
    let mut post: HashMap<String, [Vec<u32>; 3]> = HashMap::new();
    let mut in_row: HashMap<String, Vec<u32>> = HashMap::new();
    let mut add = |w: &str, n: u32, list: usize| {
        let p = match post.get_mut(w) {
            Some(p) => p,
            None => post.entry(w.to_string()).or_default(),
        };
        if p[list].last() != Some(&n) {
            p[list].push(n);
        }
    };
    for (i, d) in docs.iter().enumerate() {
        let n = i as u32;
        let (title, text, aliases) = (
            folded(&d.title),
            folded(&d.text),
            folded(&d.aliases.join(" ")),
        );
        scan(&title, |w, _| {
            add(w, n, 0);
            add(w, n, 1);
        });
        scan(&text, |w, _| add(w, n, 0));
        scan(&aliases, |w, _| {
            add(w, n, 0);
            add(w, n, 2);
        });
        for f in &d.facets {
            add(f, n, 0);
        }
        if reading.pairs {
            for t in [&title, &text] {
                let mut prev = "";
                scan(t, |w, joined| {
                    if joined {
                        let l = in_row.entry(format!("{prev} {w}")).or_default();
                        if l.last() != Some(&n) {
                            l.push(n);
                        }
                    }
                    prev = w;
                });
            }
        }
    }
    let mut pairs = Pairs::new();
    for (pair, list) in in_row {
        let first = pair.split(' ').next().unwrap_or("").to_string();
        pairs.entry(first).or_default().push((pair, list));
    }
    pairs.values_mut().for_each(|l| l.sort());
    (post.into_iter().collect(), pairs)
}

/// Ascending numbers as gaps in base 36, joined by commas.
fn gaps(list: &[u32]) -> String {
    let mut s = String::new();
    let mut prev = 0;
    for (i, &n) in list.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let mut gap = n - prev;
        prev = n;
        let mut digits = Vec::new();
        loop {
            digits.push(std::char::from_digit(gap % 36, 36).unwrap_or('0'));
            gap /= 36;
            if gap == 0 {
                break;
            }
        }
        s.extend(digits.iter().rev());
    }
    s
}

fn doc_json(d: &Doc) -> Value {
    let mut o = json!({ "k": d.kind, "t": d.title, "u": d.url, "x": d.text });
    if !d.aliases.is_empty() {
        o["a"] = json!(d.aliases);
    }
    o
}

/// The first `max` characters of `s`, composed (NFC), checked quickly first: most text is.
fn composed(s: &str, max: usize) -> String {
    use unicode_normalization::{is_nfc_quick, IsNormalized};
    let head: String = s.chars().take(max).collect();
    if is_nfc_quick(head.chars()) == IsNormalized::Yes {
        head
    } else {
        s.nfc().take(max).collect()
    }
}

/// Every doc, in order: chapters' and pages' sections, events, entries, free terms.
fn docs(v: Views) -> Vec<Doc> {
    let (config, r) = (v.config, v.rendered);
    let base = v.base();
    let mut docs = Vec::new();
    let doc = |kind: &str, title: &str, url: String, text: &str| Doc {
        kind: kind.to_string(),
        title: composed(title, usize::MAX),
        url,
        text: composed(text, TEXT_CHARS),
        aliases: Vec::new(),
        facets: Vec::new(),
    };
    // A text's sections: its opening (under the page's title) and each heading's.
    let mut sections = |kind: &str, title: &str, page: Page, body: &crate::markdown::Rendered| {
        for s in &body.sections() {
            if s.id.is_empty() {
                if !s.text.is_empty() {
                    docs.push(doc(kind, title, page.url(base), &s.text));
                }
            } else {
                let url = crate::routes::anchor_url(page, base, &s.id);
                docs.push(doc(kind, &format!("{title} › {}", s.title), url, &s.text));
            }
        }
    };
    for (c, body) in r.chapters.iter().map(|c| (c.chapter, &c.body)) {
        sections("Chapter", &c.title, Page::Chapter(&c.slug), body);
    }
    for (p, body) in r.pages.iter().map(|p| (p.page, &p.body)) {
        sections("Page", &p.title, Page::Free(&p.path), body);
    }
    let filters: Vec<(usize, &str)> = (config.taxonomies.iter().enumerate())
        .filter(|(_, t)| t.filter)
        .map(|(i, t)| (i, t.name.as_str()))
        .collect();
    for (e, sum) in r.events.iter().map(|e| (e.event, &e.summary)) {
        let text = format!("{} — {}", v.display_date(e), sum.text);
        let mut d = doc("Event", &e.title, Page::Event(&e.id).url(base), &text);
        for &(i, name) in &filters {
            let ids = e.terms[i]
                .iter()
                .map(|x| format!("={name}={}", v.term_id(i, x)));
            d.facets.extend(ids);
        }
        docs.push(d);
    }
    for (i, t) in config.taxonomies.iter().enumerate() {
        let url = |id: &str| Page::Term(&t.name, id).url(base);
        if t.registry {
            for p in r.registries.get(i).into_iter().flatten() {
                let mut d = doc(
                    &t.singular,
                    &p.entry.name,
                    url(&p.entry.id),
                    &p.summary.text,
                );
                d.aliases = p.entry.aliases.clone();
                docs.push(d);
            }
        } else {
            for term in v.content.terms.get(i).into_iter().flatten() {
                let mut d = doc(&t.singular, &term.name, url(&term.id), "");
                d.aliases = t.aliases.get(&term.name).cloned().unwrap_or_default();
                docs.push(d);
            }
        }
    }
    docs
}

/// The postings of `word` in a built index (`files`): its three lists, decoded. For tests.
#[cfg(test)]
fn postings(files: &[(String, Vec<u8>)], word: &str) -> Option<[Vec<u32>; 3]> {
    let shards = files.iter().filter(|(p, _)| p.starts_with("search/w"));
    for (_, bytes) in shards {
        let v: Value = serde_json::from_slice(bytes).ok()?;
        if let Some(lists) = v.get(word) {
            let decode = |s: &str| {
                let mut n = 0;
                (s.split(',').filter(|x| !x.is_empty()))
                    .map(|g| {
                        n += u32::from_str_radix(g, 36).unwrap_or(0);
                        n
                    })
                    .collect::<Vec<u32>>()
            };
            let l = |i: usize| decode(lists[i].as_str().unwrap_or(""));
            return Some([l(0), l(1), l(2)]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_base_36_and_words_fold() {
        assert_eq!(gaps(&[0, 5, 41, 1337]), "0,5,10,100");
        assert_eq!(gaps(&[]), "");
        let files = vec![(
            "search/w0.json".to_string(),
            br#"{"hanoi":["2,3","2",""]}"#.to_vec(),
        )];
        assert_eq!(
            postings(&files, "hanoi"),
            Some([vec![2, 5], vec![2], vec![]])
        );
    }
}
