//! Levenshtein distance by memoized recursion over `&str` slices (`HashMap<(usize, usize), usize>`)
//! and the longest common subsequence reconstructed as a `String`.

use std::collections::HashMap;

use crate::common::on_big_stack;
use fiber_runtime::run;
use proptest::prelude::*;

twins! {
    pub fn lev(a: &[u8], b: &[u8], memo: &mut HashMap<(usize, usize), usize>) -> usize {
        if a.is_empty() {
            return b.len();
        }
        if b.is_empty() {
            return a.len();
        }
        let key = (a.len(), b.len());
        if let Some(&d) = memo.get(&key) {
            return d;
        }
        let d = if a[0] == b[0] {
            lev(&a[1..], &b[1..], memo)
        } else {
            let replace = lev(&a[1..], &b[1..], memo);
            let delete = lev(&a[1..], b, memo);
            let insert = lev(a, &b[1..], memo);
            1 + replace.min(delete).min(insert)
        };
        memo.insert(key, d);
        d
    }

    pub fn lcs(a: &str, b: &str, memo: &mut HashMap<(usize, usize), String>) -> String {
        let (Some(x), Some(y)) = (a.chars().next(), b.chars().next()) else {
            return String::new();
        };
        if let Some(s) = memo.get(&(a.len(), b.len())) {
            return s.clone();
        }
        let result = if x == y {
            let mut s = String::from(x);
            s.push_str(&lcs(&a[x.len_utf8()..], &b[y.len_utf8()..], memo));
            s
        } else {
            let skip_a = lcs(&a[x.len_utf8()..], b, memo);
            let skip_b = lcs(a, &b[y.len_utf8()..], memo);
            if skip_a.len() >= skip_b.len() { skip_a } else { skip_b }
        };
        memo.insert((a.len(), b.len()), result.clone());
        result
    }
}

fn lev_table(a: &[u8], b: &[u8]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, y) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(x != y);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[test]
fn edit_distance_matches_native() {
    for (a, b) in [("kitten", "sitting"), ("", "abc"), ("flaw", "lawn"), ("same", "same"), ("héllo", "hallo")]
    {
        let n = native::lev(a.as_bytes(), b.as_bytes(), &mut HashMap::new());
        assert_eq!(n, run(fiber::lev(a.as_bytes(), b.as_bytes(), &mut HashMap::new())));
        assert_eq!(n, lev_table(a.as_bytes(), b.as_bytes()));
        assert_eq!(native::lcs(a, b, &mut HashMap::new()), run(fiber::lcs(a, b, &mut HashMap::new())));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]
    #[test]
    fn edit_distance_random_matches_native(a in "[abc]{0,12}", b in "[abc]{0,12}") {
        let d = run(fiber::lev(a.as_bytes(), b.as_bytes(), &mut HashMap::new()));
        prop_assert_eq!(d, lev_table(a.as_bytes(), b.as_bytes()));
        prop_assert_eq!(run(fiber::lcs(&a, &b, &mut HashMap::new())), native::lcs(&a, &b, &mut HashMap::new()));
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn edit_distance_100_000_deep() {
    const DEEP: usize = 100_000;
    let a = "ab".repeat(DEEP / 2);
    let mut b = a.clone();
    b.replace_range(DEEP - 1.., "x");
    assert_eq!(run(fiber::lev(a.as_bytes(), b.as_bytes(), &mut HashMap::new())), 1);
    let expected = on_big_stack(move || native::lev(a.as_bytes(), b.as_bytes(), &mut HashMap::new()));
    assert_eq!(expected, 1);
}
