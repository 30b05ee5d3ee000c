//! Generic divide and conquer: merge sort returning a new `Vec`, quicksort in place through
//! `split_at_mut`, binary search on a slice, and counting inversions.

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;
use proptest::prelude::*;

twins! {
    pub fn merge_sort<T: Ord + Clone>(v: &[T]) -> Vec<T> {
        if v.len() <= 1 {
            return v.to_vec();
        }
        let mid = v.len() / 2;
        let left = merge_sort(&v[..mid]);
        let right = merge_sort(&v[mid..]);
        let mut merged = Vec::with_capacity(v.len());
        let (mut i, mut j) = (0, 0);
        while i < left.len() && j < right.len() {
            if left[i] <= right[j] {
                merged.push(left[i].clone());
                i += 1;
            } else {
                merged.push(right[j].clone());
                j += 1;
            }
        }
        merged.extend_from_slice(&left[i..]);
        merged.extend_from_slice(&right[j..]);
        merged
    }

    pub fn quicksort<T: PartialOrd + std::fmt::Debug>(v: &mut [T]) {
        if v.len() <= 1 {
            return;
        }
        // Lomuto partition around the last element.
        let pivot = v.len() - 1;
        let mut store = 0;
        for i in 0..pivot {
            if v[i] < v[pivot] {
                v.swap(i, store);
                store += 1;
            }
        }
        v.swap(store, pivot);
        log("pivot at", store);
        let (lo, hi) = v.split_at_mut(store);
        quicksort(lo);
        quicksort(&mut hi[1..]);
    }

    pub fn binary_search<T: Ord>(v: &[T], target: &T) -> Option<usize> {
        if v.is_empty() {
            return None;
        }
        let mid = v.len() / 2;
        match target.cmp(&v[mid]) {
            std::cmp::Ordering::Equal => Some(mid),
            std::cmp::Ordering::Less => binary_search(&v[..mid], target),
            std::cmp::Ordering::Greater => binary_search(&v[mid + 1..], target).map(|i| i + mid + 1),
        }
    }

    /// Sorts `v` and returns how many pairs were out of order.
    pub fn inversions(v: &mut Vec<i64>) -> u64 {
        if v.len() < 2 {
            return 0;
        }
        let mut right = v.split_off(v.len() / 2);
        let mut count = inversions(v) + inversions(&mut right);
        let left = std::mem::take(v);
        let (mut i, mut j) = (0, 0);
        while i < left.len() || j < right.len() {
            if j == right.len() || (i < left.len() && left[i] <= right[j]) {
                v.push(left[i]);
                i += 1;
            } else {
                count += (left.len() - i) as u64;
                v.push(right[j]);
                j += 1;
            }
        }
        count
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn sorting_random_matches_native(v in prop::collection::vec(-50i64..50, 0..60), probe in -50i64..50) {
        let sorted = run(fiber::merge_sort(&v));
        prop_assert_eq!(&sorted, &native::merge_sort(&v));
        let (mut a, mut b) = (v.clone(), v.clone());
        let la = logged(|| native::quicksort(&mut a));
        let lb = logged(|| run(fiber::quicksort(&mut b)));
        prop_assert_eq!((la, a), (lb, b.clone()));
        prop_assert_eq!(&b, &sorted);
        let found = run(fiber::binary_search(&sorted, &probe));
        prop_assert_eq!(found, native::binary_search(&sorted, &probe));
        prop_assert_eq!(found.map(|i| sorted[i]), sorted.binary_search(&probe).ok().map(|i| sorted[i]));
        let (mut c, mut d) = (v.clone(), v.clone());
        prop_assert_eq!(native::inversions(&mut c), run(fiber::inversions(&mut d)));
        prop_assert_eq!(d, sorted);
    }
}

#[test]
fn sorting_strings() {
    let words: Vec<String> =
        "the quick brown fox jumps over the lazy dog".split(' ').map(String::from).collect();
    assert_eq!(run(fiber::merge_sort(&words)), native::merge_sort(&words));
    let mut w = words.clone();
    run(fiber::quicksort(&mut w));
    assert_eq!(w, native::merge_sort(&words));
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn quicksort_sorted_input_100_000_deep() {
    // Sorted input is quicksort's worst case: the recursion goes one level per element.
    const DEEP: usize = 100_000;
    let mut v: Vec<u32> = (0..DEEP as u32).collect();
    run(fiber::quicksort(&mut v));
    assert!(v.windows(2).all(|w| w[0] < w[1]));
    let native_sorted = on_big_stack(|| {
        let mut v: Vec<u32> = (0..DEEP as u32).rev().collect();
        native::quicksort(&mut v);
        v
    });
    let mut w: Vec<u32> = (0..DEEP as u32).rev().collect();
    run(fiber::quicksort(&mut w));
    assert_eq!(w, native_sorted);
}
