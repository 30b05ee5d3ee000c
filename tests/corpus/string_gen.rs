//! String generation by backtracking on a shared `&mut String` (push, recurse, pop or
//! `truncate`): balanced parentheses, every segmentation of a text into dictionary words
//! (`strip_prefix` in a `for` over the dictionary), letter-case permutations (`match` on the
//! char class with a guard), distinct permutations of a multiset of chars (a `BTreeMap` of
//! counts, keys collected first), and IP addresses restored from digits (a labelled `'len` loop,
//! `parts.join(".")` in an iterator chain).

use std::collections::BTreeMap;

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;
use proptest::prelude::*;

twins! {
    pub fn parens(open: usize, close: usize, cur: &mut String, out: &mut Vec<String>) {
        if open == 0 && close == 0 {
            out.push(log("parens", cur.clone()));
            return;
        }
        if open > 0 {
            cur.push('(');
            parens(open - 1, close + 1, cur, out);
            cur.pop();
        }
        if close > 0 {
            cur.push(')');
            parens(open, close - 1, cur, out);
            cur.pop();
        }
    }

    pub fn segmentations(text: &str, dict: &[&str], sentence: &mut String, out: &mut Vec<String>) {
        if text.is_empty() {
            out.push(sentence.trim_end().to_string());
            return;
        }
        for word in dict {
            if let Some(rest) = text.strip_prefix(word) {
                let len = sentence.len();
                sentence.push_str(word);
                sentence.push(' ');
                segmentations(rest, dict, sentence, out);
                sentence.truncate(len);
            }
        }
    }

    pub fn letter_cases(chars: &[char], cur: &mut String, out: &mut Vec<String>) {
        let Some((&c, rest)) = chars.split_first() else {
            out.push(cur.clone());
            return;
        };
        match c {
            c if c.is_ascii_alphabetic() => {
                cur.push(c.to_ascii_lowercase());
                letter_cases(rest, cur, out);
                cur.pop();
                cur.push(c.to_ascii_uppercase());
                letter_cases(rest, cur, out);
                cur.pop();
            }
            _ => {
                cur.push(c);
                letter_cases(rest, cur, out);
                cur.pop();
            }
        }
    }

    pub fn distinct_perms(counts: &mut BTreeMap<char, usize>, left: usize, cur: &mut String, out: &mut Vec<String>) {
        if left == 0 {
            out.push(cur.clone());
            return;
        }
        let keys: Vec<char> = counts.keys().copied().collect();
        for c in keys {
            if counts[&c] == 0 {
                continue;
            }
            *counts.get_mut(&c).unwrap() -= 1;
            cur.push(c);
            distinct_perms(counts, left - 1, cur, out);
            cur.pop();
            *counts.get_mut(&c).unwrap() += 1;
        }
    }

    pub fn ip_addresses(digits: &str, parts: &mut Vec<String>, out: &mut Vec<String>) {
        if parts.len() == 4 {
            if digits.is_empty() {
                out.push(parts.iter().map(String::as_str).collect::<Vec<_>>().join("."));
            }
            return;
        }
        let remaining = 4 - parts.len();
        if digits.len() < remaining || digits.len() > 3 * remaining {
            return;
        }
        'len: for len in 1..=3.min(digits.len()) {
            let (part, rest) = digits.split_at(len);
            if part.len() > 1 && part.starts_with('0') {
                break 'len;
            }
            let value: u32 = part.parse().unwrap();
            if value > 255 {
                continue 'len;
            }
            parts.push(part.to_string());
            ip_addresses(rest, parts, out);
            parts.pop();
        }
    }
}

macro_rules! both {
    ($f:ident($($arg:expr),*)) => {{
        let n = logged(|| {
            let mut out = Vec::new();
            native::$f($($arg,)* &mut out);
            out
        });
        let f = logged(|| {
            let mut out = Vec::new();
            run(fiber::$f($($arg,)* &mut out));
            out
        });
        assert_eq!(n, f);
        f.0
    }};
}

fn perms(s: &str) -> Vec<String> {
    let mut counts = BTreeMap::new();
    for c in s.chars() {
        *counts.entry(c).or_insert(0) += 1;
    }
    let mut counts2 = counts.clone();
    let n = s.chars().count();
    let out = both!(distinct_perms(&mut counts2, n, &mut String::new()));
    assert_eq!(counts, counts2);
    out
}

#[test]
fn string_gen_matches_native() {
    assert_eq!(both!(parens(3, 0, &mut String::new())), ["((()))", "(()())", "(())()", "()(())", "()()()"]);
    assert_eq!(both!(parens(0, 0, &mut String::new())), [""]);
    let dict = ["cat", "cats", "and", "sand", "dog"];
    assert_eq!(
        both!(segmentations("catsanddog", &dict, &mut String::new())),
        ["cat sand dog", "cats and dog"]
    );
    assert!(both!(segmentations("catsandog", &dict, &mut String::new())).is_empty());
    let chars: Vec<char> = "a1b".chars().collect();
    assert_eq!(both!(letter_cases(&chars, &mut String::new())), ["a1b", "a1B", "A1b", "A1B"]);
    assert_eq!(perms("aab"), ["aab", "aba", "baa"]);
    assert_eq!(perms(""), [""]);
    assert_eq!(both!(ip_addresses("25525511135", &mut Vec::new())), ["255.255.11.135", "255.255.111.35"]);
    assert_eq!(both!(ip_addresses("010010", &mut Vec::new())), ["0.10.0.10", "0.100.1.0"]);
    assert!(both!(ip_addresses("1234567890123", &mut Vec::new())).is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]
    #[test]
    fn string_gen_random_matches_native(
        n in 0usize..6,
        text in "[ab]{0,10}",
        word in "[a-c1]{0,6}",
        multiset in "[abc]{0,6}",
        digits in "[0-9]{0,12}",
    ) {
        both!(parens(n, 0, &mut String::new()));
        both!(segmentations(&text, &["a", "b", "ab", "ba", "aab"], &mut String::new()));
        let chars: Vec<char> = word.chars().collect();
        both!(letter_cases(&chars, &mut String::new()));
        perms(&multiset);
        both!(ip_addresses(&digits, &mut Vec::new()));
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn string_gen_100_000_deep() {
    const DEEP: usize = 100_000;
    // One way to split "aaa..b" into "a"s and a final "b" ("ba" never fits): DEEP levels.
    let text = format!("{}b", "a".repeat(DEEP));
    let mut out = Vec::new();
    run(fiber::segmentations(&text, &["a", "ba", "b"], &mut String::new(), &mut out));
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].len(), 2 * DEEP + 1);
    // Digits have one case each: one permutation, DEEP levels.
    let digits: Vec<char> = "0123456789".chars().cycle().take(DEEP).collect();
    let mut out = Vec::new();
    run(fiber::letter_cases(&digits, &mut String::new(), &mut out));
    assert_eq!(out, [digits.iter().collect::<String>()]);
    // The multiset of DEEP equal chars: one permutation.
    let mut counts = BTreeMap::from([('z', DEEP)]);
    let mut out = Vec::new();
    run(fiber::distinct_perms(&mut counts, DEEP, &mut String::new(), &mut out));
    assert_eq!(out, ["z".repeat(DEEP)]);
    let native = on_big_stack(move || {
        let mut out = Vec::new();
        native::segmentations(&text, &["a", "ba", "b"], &mut String::new(), &mut out);
        out
    });
    assert_eq!(native.len(), 1);
    assert_eq!(native[0].len(), 2 * DEEP + 1);
}
