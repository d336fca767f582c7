//! Search in other languages (issue 18): the index of a `language = "vi"` site holds its
//! words without diacritics and its words in a row; a `language = "ko"` site's, Hangul by
//! pairs of syllables; the head names the language that search.js reads a query in.

use crate::harness::SiteTest;
use crate::reading::{search_docs, search_postings};
use serde_json::Value;
use std::collections::BTreeMap;

/// The head of a built index.
fn head(files: &BTreeMap<String, Vec<u8>>) -> Value {
    serde_json::from_slice(&files["search.json"]).unwrap()
}

/// Every key of every postings shard.
fn keys(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let shards = files.iter().filter(|(p, _)| p.starts_with("search/w"));
    let mut out = Vec::new();
    for (_, bytes) in shards {
        let v: Value = serde_json::from_slice(bytes).unwrap();
        out.extend(v.as_object().unwrap().keys().cloned());
    }
    out
}

/// The docs (by title) holding the two words `pair` in a row: the key sits in the shard
/// of its first word, with one list.
fn in_a_row(files: &BTreeMap<String, Vec<u8>>, pair: &str) -> Vec<String> {
    let read = |p: &str| files[p].clone();
    let (head, docs) = (head(files), search_docs(read));
    let first = pair.split(' ').next().unwrap();
    let words = head["words"].as_array().unwrap();
    let at = words.iter().position(|w| w == first).unwrap();
    let k = (head["shards"].as_array().unwrap().iter())
        .rposition(|s| s.as_u64().unwrap() as usize <= at)
        .unwrap();
    let shard: Value = serde_json::from_slice(&files[&format!("search/w{k}.json")]).unwrap();
    let Some(list) = shard[pair][0].as_str() else {
        return Vec::new();
    };
    let mut n = 0;
    (list.split(',').filter(|g| !g.is_empty()))
        .map(|g| {
            n += usize::from_str_radix(g, 36).unwrap();
            docs[n]["t"].as_str().unwrap().to_string()
        })
        .collect()
}

/// The titles of the docs holding `word` (list 0).
fn titles(files: &BTreeMap<String, Vec<u8>>, word: &str) -> Vec<String> {
    let read = |p: &str| files[p].clone();
    let docs = search_docs(read);
    (search_postings(read, word, 0).into_iter())
        .map(|i| docs[i]["t"].as_str().unwrap().to_string())
        .collect()
}

/// The files of fixture `case` built, whose index head names `lang` and says whether it
/// holds words in a row (`pairs`); without them, no shard key is two words.
fn built(case: &str, lang: &str, pairs: bool) -> BTreeMap<String, Vec<u8>> {
    let files = SiteTest::new(case).build_memory().unwrap();
    let h = head(&files);
    assert_eq!(
        (h["lang"].as_str(), h["pairs"].as_bool()),
        (Some(lang), Some(pairs))
    );
    assert!(pairs || keys(&files).iter().all(|k| !k.contains(' ')));
    files
}

#[test]
fn a_vietnamese_index_holds_words_without_diacritics_and_in_a_row() {
    let files = built("build/vi", "vi", true);
    let h = head(&files);
    let words: Vec<&str> = (h["words"].as_array().unwrap().iter())
        .filter_map(Value::as_str)
        .collect();
    for w in ["doi", "moi", "ha", "noi", "dong", "dang", "nguyen"] {
        assert!(words.contains(&w), "{w} not in {words:?}");
    }
    // Only folded words: no diacritic, no đ.
    assert!(words.iter().all(|w| w.is_ascii()), "{words:?}");
    assert!(titles(&files, "doi").contains(&"Đổi Mới › Chính sách".to_string()));
    assert!(titles(&files, "dang").contains(&"Đồng Đăng".to_string()));
    // "Đổi Mới" in a row, but not in "Quan hệ thay đổi, thời kỳ mới".
    let doi_moi = in_a_row(&files, "doi moi");
    assert!(
        doi_moi.contains(&"Đại hội lần thứ VI".to_string()),
        "{doi_moi:?}"
    );
    assert!(
        doi_moi.contains(&"Đổi Mới › Chính sách".to_string()),
        "{doi_moi:?}"
    );
    assert!(
        !doi_moi.iter().any(|t| t.starts_with("Quan hệ")),
        "{doi_moi:?}"
    );
    assert!(in_a_row(&files, "dong dang").contains(&"Đồng Đăng".to_string()));
    // The docs keep their text as written, composed.
    let docs = search_docs(|p| files[p].clone());
    assert!(docs.iter().any(|d| d["t"] == "Đoàn tàu đến Đồng Đăng"));
}

#[test]
fn a_korean_index_holds_hangul_by_pairs_of_syllables() {
    let files = built("build/ko", "ko", false);
    let h = head(&files);
    // 김정은 is 김정 and 정은; 하노이에서 is 하노, 노이, 이에, 에서.
    assert!(titles(&files, "정은").contains(&"김정은".to_string()));
    assert!(titles(&files, "김정").contains(&"김정은".to_string()));
    let hanoi = titles(&files, "노이");
    for t in [
        "하노이",
        "하노이 정상회담",
        "2019년 정상회담 › 하노이",
        "2019년 정상회담 › 결렬",
    ] {
        assert!(hanoi.contains(&t.to_string()), "{t} not in {hanoi:?}");
    }
    assert!(titles(&files, "에서").contains(&"2019년 정상회담 › 결렬".to_string()));
    // Syllables, never jamo: every Hangul word is one or two syllables.
    let words = h["words"].as_array().unwrap();
    let hangul = |c: char| ('\u{ac00}'..='\u{d7a3}').contains(&c);
    for w in words.iter().filter_map(Value::as_str) {
        if w.chars().any(hangul) {
            assert!(w.chars().all(hangul) && w.chars().count() <= 2, "{w}");
        }
        assert!(
            !w.chars().any(|c| ('\u{1100}'..='\u{11ff}').contains(&c)),
            "{w}"
        );
    }
}

#[test]
fn an_english_index_names_its_language_and_has_no_pairs() {
    built("build/minimal", "en", false);
}
