//! How search reads text in each language: the words the index is built from, which
//! `static/search.js` repeats on a query so that both sides read alike.
//!
//! Text is folded first ([`crate::text::fold`]: Latin, Greek and Cyrillic letters lose their
//! diacritics, `đ` becomes `d`, Hangul comes out composed however it was typed), then
//! lowercased. A word is a run of letters, digits and marks; a run of the scripts written
//! without spaces between words (Hangul, Han, kana: [`is_cjk`]) is read as its overlapping
//! pairs of characters (`김정은` → `김정`, `정은`; a lone character alone), so a query finds a
//! word by any part of two characters or more, particles glued to a noun included. Lone
//! jamo (a syllable being typed) are not read.
//!
//! Languages that write a word as syllables apart (Vietnamese: `Đổi Mới` is two) also index
//! each two words in a row that only spaces or hyphens part ([`Reading::pairs`]), so that a
//! query's phrase ranks first the docs holding it as a phrase.

/// What one language's index does beyond the words.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Reading {
    /// The index holds the words in a row (`doi moi`).
    pub(crate) pairs: bool,
}

impl Reading {
    /// The reading of the language tagged `code` (`vi`, `ko`, `en-GB`).
    pub(crate) fn of(code: &str) -> Reading {
        Reading {
            pairs: primary(code) == "vi",
        }
    }
}

/// The primary subtag of a language tag, lowercased: `en-GB` → `en`.
pub(crate) fn primary(code: &str) -> String {
    let first = code.split(['-', '_']).next().unwrap_or("");
    first.to_ascii_lowercase()
}

/// Whether `c` is of a script written without spaces between words: Hangul syllables, Han,
/// hiragana and katakana. `static/search.js` lists the same ranges.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{ac00}'..='\u{d7a3}'
        | '\u{3040}'..='\u{30ff}'
        | '\u{31f0}'..='\u{31ff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{20000}'..='\u{3134f}')
}

/// Hangul jamo, which a composed text holds only while a syllable is being typed.
fn is_jamo(c: char) -> bool {
    matches!(c, '\u{1100}'..='\u{11ff}' | '\u{3130}'..='\u{318f}' | '\u{a960}'..='\u{a97f}' | '\u{d7b0}'..='\u{d7ff}')
}

fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)) && !is_jamo(c)
}

/// `s` folded and lowercased, as [`scan`] reads it.
pub(crate) fn folded(s: &str) -> String {
    crate::text::fold(s).to_lowercase()
}

/// Calls `f` with each word of `folded` (text from [`folded`]) in order, and whether it
/// follows the word before with only spaces or hyphens between (never for a pair of CJK
/// characters, nor the word after one).
pub(crate) fn scan<'a>(folded: &'a str, mut f: impl FnMut(&'a str, bool)) {
    let mut joined = false;
    let mut rest = folded;
    while !rest.is_empty() {
        let (sep, after) = rest.split_at(rest.find(is_word_char).unwrap_or(rest.len()));
        if !sep.chars().all(|c| c.is_whitespace() || c == '-') {
            joined = false;
        }
        let (run, next) = after.split_at(after.find(|c| !is_word_char(c)).unwrap_or(after.len()));
        let mut from = 0;
        while from < run.len() {
            let cjk = run[from..].starts_with(is_cjk);
            let len = run[from..]
                .find(|c| is_cjk(c) != cjk)
                .unwrap_or(run.len() - from);
            let seg = &run[from..from + len];
            if cjk {
                bigrams(seg, &mut f);
                joined = false;
            } else {
                f(seg, joined);
                joined = true;
            }
            from += len;
        }
        rest = next;
    }
}

/// Each two characters in a row of `seg`, or `seg` when it is one character.
fn bigrams<'a>(seg: &'a str, f: &mut impl FnMut(&'a str, bool)) {
    let starts: Vec<usize> = seg.char_indices().map(|(i, _)| i).collect();
    if starts.len() == 1 {
        f(seg, false);
    }
    for w in starts.windows(2) {
        let next = seg[w[1]..].chars().next().map_or(0, char::len_utf8);
        f(&seg[w[0]..w[1] + next], false);
    }
}

/// The words of `s`, folded, lowercased and split as the index splits them.
pub(crate) fn words(s: &str) -> Vec<String> {
    let folded = folded(s);
    let mut out = Vec::new();
    scan(&folded, |w, _| out.push(w.to_string()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(s: &str) -> Vec<String> {
        let folded = folded(s);
        let (mut out, mut prev) = (Vec::new(), "");
        scan(&folded, |w, joined| {
            if joined {
                out.push(format!("{prev} {w}"));
            }
            prev = w;
        });
        out
    }

    #[test]
    fn english_words_are_as_before() {
        assert_eq!(
            words("Trần Đại Quang's Kim Jong-un, 1967"),
            ["tran", "dai", "quang", "s", "kim", "jong", "un", "1967"]
        );
        assert_eq!(words("ﬁve Ｆｕｌｌ"), ["five", "full"]);
    }

    #[test]
    fn vietnamese_folds_to_plain_letters_and_pairs_syllables() {
        assert_eq!(words("Đổi Mới"), ["doi", "moi"]);
        assert_eq!(words("Hà Nội, Đồng Đăng"), ["ha", "noi", "dong", "dang"]);
        assert_eq!(words("ĐỒNG ĐĂNG ư ơ"), ["dong", "dang", "u", "o"]);
        // Decomposed (NFD) text reads the same.
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd("Đổi Mới").collect();
        assert_eq!(words(&nfd), ["doi", "moi"]);
        assert_eq!(
            pairs("chính sách Đổi Mới. Hà Nội-Đồng Đăng"),
            [
                "chinh sach",
                "sach doi",
                "doi moi",
                "ha noi",
                "noi dong",
                "dong dang"
            ]
        );
        assert_eq!(Reading::of("vi"), Reading { pairs: true });
        assert_eq!(Reading::of("vi-VN"), Reading { pairs: true });
        assert_eq!(Reading::of("en"), Reading { pairs: false });
    }

    #[test]
    fn hangul_is_read_by_pairs_of_syllables_composed_or_not() {
        assert_eq!(words("김정은"), ["김정", "정은"]);
        assert_eq!(
            words("하노이에서 김"),
            ["하노", "노이", "이에", "에서", "김"]
        );
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd("김정은").collect();
        assert_ne!(nfd, "김정은");
        assert_eq!(words(&nfd), ["김정", "정은"]);
        // Digits and Latin letters beside Hangul are words of their own; lone jamo are not.
        assert_eq!(words("2019년 K팝 하ㄴ"), ["2019", "년", "k", "팝", "하"]);
        assert!(pairs("김정은 위원장 Kim Jong")
            .iter()
            .all(|p| p == "kim jong"));
        assert_eq!(words("東京タワー"), ["東京", "京タ", "タワ", "ワー"]);
    }

    #[test]
    fn other_scripts_keep_their_marks() {
        // Devanagari's vowel signs are letters of the word, not accents to fold away.
        assert_eq!(words("हिन्दी भाषा"), ["हिन्दी", "भाषा"]);
        assert_eq!(words("Ёлка café"), ["елка", "cafe"]);
    }
}
