//! String recursion: palindrome check on `&str`, reversal, run-length encoding, balanced
//! brackets, and the longest palindromic substring by expanding around centres.

use crate::common::on_big_stack;
use fiber_runtime::run;
use proptest::prelude::*;

twins! {
    pub fn is_palindrome(s: &str) -> bool {
        let mut chars = s.chars();
        match (chars.next(), chars.next_back()) {
            (Some(first), Some(last)) => first == last && is_palindrome(&s[first.len_utf8()..s.len() - last.len_utf8()]),
            _ => true,
        }
    }

    pub fn reverse(s: &str) -> String {
        match s.chars().next() {
            None => String::new(),
            Some(c) => {
                let mut rest = reverse(&s[c.len_utf8()..]);
                rest.push(c);
                rest
            }
        }
    }

    pub fn rle(s: &[u8]) -> String {
        let Some(&first) = s.first() else {
            return String::new();
        };
        let run_len = s.iter().take_while(|&&b| b == first).count();
        let head = if run_len > 1 { format!("{run_len}{}", first as char) } else { (first as char).to_string() };
        head + &rle(&s[run_len..])
    }

    /// Consumes one balanced group sequence; returns the rest, or `None` if unbalanced.
    pub fn balanced(s: &[u8], closer: Option<u8>) -> Option<&[u8]> {
        let mut rest = s;
        loop {
            match rest.split_first() {
                None => return if closer.is_none() { Some(rest) } else { None },
                Some((&b, tail)) => {
                    let want = match b {
                        b'(' => b')',
                        b'[' => b']',
                        b'{' => b'}',
                        _ if Some(b) == closer => return Some(tail),
                        b')' | b']' | b'}' => return None,
                        _ => {
                            rest = tail;
                            continue;
                        }
                    };
                    rest = balanced(tail, Some(want))?;
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn strings_random_match_native(s in "[ab(){}\\[\\]é]{0,20}") {
        prop_assert_eq!(native::is_palindrome(&s), run(fiber::is_palindrome(&s)));
        prop_assert_eq!(native::reverse(&s), run(fiber::reverse(&s)));
        prop_assert_eq!(native::rle(s.as_bytes()), run(fiber::rle(s.as_bytes())));
        prop_assert_eq!(native::balanced(s.as_bytes(), None), run(fiber::balanced(s.as_bytes(), None)));
    }
}

#[test]
fn strings_match_native() {
    for s in ["", "a", "racecar", "réifier", "abca", "été", "ab[c{d}(e)]f", "(]", "(((", "aaabccdddd"] {
        assert_eq!(native::is_palindrome(s), run(fiber::is_palindrome(s)), "{s}");
        assert_eq!(run(fiber::reverse(s)), s.chars().rev().collect::<String>());
        assert_eq!(native::rle(s.as_bytes()), run(fiber::rle(s.as_bytes())));
        assert_eq!(native::balanced(s.as_bytes(), None), run(fiber::balanced(s.as_bytes(), None)));
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn strings_200_000_deep() {
    const DEEP: usize = 100_000;
    let half: String = (0..DEEP).map(|i| if i % 3 == 0 { 'é' } else { 'x' }).collect();
    let pal = format!("{half}{}", half.chars().rev().collect::<String>());
    assert!(run(fiber::is_palindrome(&pal)));
    assert_eq!(run(fiber::reverse(&half)), half.chars().rev().collect::<String>());
    let nested = format!("{}{}", "([{".repeat(DEEP / 3), "}])".repeat(DEEP / 3));
    assert_eq!(run(fiber::balanced(nested.as_bytes(), None)), Some(&b""[..]));
    let expected = on_big_stack(move || native::reverse(&half).len());
    assert_eq!(expected, DEEP + DEEP / 3 + 1);
}
