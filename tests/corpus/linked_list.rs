//! Singly linked lists of `Option<Box<ListNode>>`, the way interview-style Rust writes them:
//! merging two sorted lists (`match (a, b)` with an or-pattern binding `rest`, `x.next =
//! merge(x.next.take(), ..)`), removing every node with a value, adding two numbers stored
//! little-endian digit by digit (`Option<&ListNode>` walked with `and_then`/`as_deref`, a
//! carry), reversing onto an accumulator (a tail call), the length, and pairwise node swaps.

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;
use proptest::prelude::*;

pub struct ListNode {
    pub val: i32,
    pub next: Option<Box<ListNode>>,
}

impl Drop for ListNode {
    fn drop(&mut self) {
        let mut next = self.next.take();
        while let Some(mut node) = next {
            next = node.next.take();
        }
    }
}

fn from_slice(values: &[i32]) -> Option<Box<ListNode>> {
    let mut head = None;
    for &val in values.iter().rev() {
        head = Some(Box::new(ListNode { val, next: head }));
    }
    head
}

fn to_vec(mut list: &Option<Box<ListNode>>) -> Vec<i32> {
    let mut out = Vec::new();
    while let Some(node) = list {
        out.push(node.val);
        list = &node.next;
    }
    out
}

twins! {
    pub fn merge(a: Option<Box<ListNode>>, b: Option<Box<ListNode>>) -> Option<Box<ListNode>> {
        match (a, b) {
            (None, rest) | (rest, None) => rest,
            (Some(mut x), Some(mut y)) => {
                if x.val <= y.val {
                    x.next = merge(x.next.take(), Some(y));
                    Some(x)
                } else {
                    y.next = merge(Some(x), y.next.take());
                    Some(y)
                }
            }
        }
    }

    pub fn remove_all(head: Option<Box<ListNode>>, val: i32) -> Option<Box<ListNode>> {
        let mut node = head?;
        let rest = remove_all(node.next.take(), val);
        if node.val == val {
            log("removed", node.val);
            return rest;
        }
        node.next = rest;
        Some(node)
    }

    pub fn add(a: Option<&ListNode>, b: Option<&ListNode>, carry: i32) -> Option<Box<ListNode>> {
        if a.is_none() && b.is_none() && carry == 0 {
            return None;
        }
        let sum = a.map_or(0, |n| n.val) + b.map_or(0, |n| n.val) + carry;
        let next = add(a.and_then(|n| n.next.as_deref()), b.and_then(|n| n.next.as_deref()), sum / 10);
        Some(Box::new(ListNode { val: sum % 10, next }))
    }

    pub fn reverse(head: Option<Box<ListNode>>, acc: Option<Box<ListNode>>) -> Option<Box<ListNode>> {
        match head {
            None => acc,
            Some(mut node) => {
                let rest = node.next.take();
                node.next = acc;
                reverse(rest, Some(node))
            }
        }
    }

    pub fn len(list: &Option<Box<ListNode>>) -> usize {
        match list {
            Some(node) => 1 + len(&node.next),
            None => 0,
        }
    }

    pub fn swap_pairs(head: Option<Box<ListNode>>) -> Option<Box<ListNode>> {
        let Some(mut first) = head else { return None };
        let Some(mut second) = first.next.take() else { return Some(first) };
        first.next = swap_pairs(second.next.take());
        second.next = Some(first);
        Some(second)
    }
}

fn check(a: &[i32], b: &[i32]) {
    let mut sa = a.to_vec();
    sa.sort();
    let mut sb = b.to_vec();
    sb.sort();
    let n = native::merge(from_slice(&sa), from_slice(&sb));
    let f = run(fiber::merge(from_slice(&sa), from_slice(&sb)));
    assert_eq!(to_vec(&n), to_vec(&f));
    let target = a.first().copied().unwrap_or(0);
    let n = logged(|| to_vec(&native::remove_all(from_slice(a), target)));
    let f = logged(|| to_vec(&run(fiber::remove_all(from_slice(a), target))));
    assert_eq!(n, f);
    let digits = |v: &[i32]| from_slice(&v.iter().map(|d| d.rem_euclid(10)).collect::<Vec<_>>());
    let (da, db) = (digits(a), digits(b));
    let n = native::add(da.as_deref(), db.as_deref(), 0);
    let f = run(fiber::add(da.as_deref(), db.as_deref(), 0));
    assert_eq!(to_vec(&n), to_vec(&f));
    assert_eq!(
        to_vec(&native::reverse(from_slice(a), None)),
        to_vec(&run(fiber::reverse(from_slice(a), None)))
    );
    assert_eq!(native::len(&from_slice(b)), run(fiber::len(&from_slice(b))));
    assert_eq!(to_vec(&native::swap_pairs(from_slice(b))), to_vec(&run(fiber::swap_pairs(from_slice(b)))));
}

#[test]
fn linked_list_matches_native() {
    let merged = run(fiber::merge(from_slice(&[1, 2, 4]), from_slice(&[1, 3, 4])));
    assert_eq!(to_vec(&merged), [1, 1, 2, 3, 4, 4]);
    let (kept, log) = logged(|| to_vec(&run(fiber::remove_all(from_slice(&[6, 1, 6, 2, 6]), 6))));
    assert_eq!(kept, [1, 2]);
    assert_eq!(log, ["removed:6", "removed:6", "removed:6"]);
    // 342 + 465 = 807, digits little-endian.
    let (a, b) = (from_slice(&[2, 4, 3]), from_slice(&[5, 6, 4]));
    assert_eq!(to_vec(&run(fiber::add(a.as_deref(), b.as_deref(), 0))), [7, 0, 8]);
    let (a, b) = (from_slice(&[9, 9, 9]), from_slice(&[1]));
    assert_eq!(to_vec(&run(fiber::add(a.as_deref(), b.as_deref(), 0))), [0, 0, 0, 1]);
    assert_eq!(to_vec(&run(fiber::swap_pairs(from_slice(&[1, 2, 3, 4, 5])))), [2, 1, 4, 3, 5]);
    check(&[3, 1, 2], &[5, 0]);
    check(&[], &[]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn linked_list_random_matches_native(
        a in prop::collection::vec(-5i32..10, 0..20),
        b in prop::collection::vec(-5i32..10, 0..20),
    ) {
        check(&a, &b);
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn linked_list_100_000_deep() {
    const DEEP: i32 = 100_000;
    let evens: Vec<i32> = (0..DEEP).map(|i| 2 * i).collect();
    let odds: Vec<i32> = (0..DEEP).map(|i| 2 * i + 1).collect();
    let merged = run(fiber::merge(from_slice(&evens), from_slice(&odds)));
    assert_eq!(run(fiber::len(&merged)), 2 * DEEP as usize);
    assert_eq!(to_vec(&merged), (0..2 * DEEP).collect::<Vec<_>>());
    let odd_only = run(fiber::remove_all(run(fiber::merge(from_slice(&evens), from_slice(&odds))), 0));
    assert_eq!(run(fiber::len(&odd_only)), 2 * DEEP as usize - 1);
    let nines = from_slice(&vec![9; DEEP as usize]);
    let one = from_slice(&[1]);
    let sum = run(fiber::add(nines.as_deref(), one.as_deref(), 0));
    let digits = to_vec(&sum);
    assert_eq!(digits.len(), DEEP as usize + 1);
    assert!(digits[..DEEP as usize].iter().all(|&d| d == 0) && digits[DEEP as usize] == 1);
    let reversed = run(fiber::reverse(merged, None));
    assert_eq!(to_vec(&reversed)[..3], [2 * DEEP - 1, 2 * DEEP - 2, 2 * DEEP - 3]);
    let swapped = to_vec(&run(fiber::swap_pairs(reversed)));
    assert_eq!(swapped[..4], [2 * DEEP - 2, 2 * DEEP - 1, 2 * DEEP - 4, 2 * DEEP - 3]);
    let native = on_big_stack(move || {
        let merged = native::merge(from_slice(&evens), from_slice(&odds));
        let sum = native::add(nines.as_deref(), one.as_deref(), 0);
        (native::len(&merged), to_vec(&sum) == digits)
    });
    assert_eq!(native, (2 * DEEP as usize, true));
}
