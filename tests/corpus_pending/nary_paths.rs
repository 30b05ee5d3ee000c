//! PENDING: the n-ary tree of `tests/corpus/nary_tree.rs` with `paths`, which builds each
//! node's path in a local `String` and passes `&path` down as the children's prefix. Natively
//! valid; `#[fiber]` rejects it.
//!
//! Error (the macro's own):
//!
//! ```text
//! error: this passes a borrow of `path`, a local of the fiber fn, to a recursive call: the callee runs in a heap frame of its own, and `path` moves into the caller's frame at the call, so the reference cannot follow it
//!        help: pass `path` by value (or a clone), or borrow from an argument of the fn instead
//!   --> tests/corpus/nary_tree.rs:52:22
//!    |
//! 52 |             paths(c, &path, out);
//!    |                      ^^^^^
//! ```
//!
//! Reduced:
//!
//! ```rust,ignore
//! #[fiber]
//! pub fn paths(n: u64, prefix: &str, out: &mut Vec<String>) {
//!     let path = format!("{prefix}/{n}");
//!     out.push(path.clone());
//!     if n > 0 { paths(n - 1, &path, out); }
//! }
//! ```

use crate::common::{Node, log, logged, on_big_stack};
use fiber_runtime::run;

twins! {
    pub fn size(node: &Node) -> usize {
        1 + node.children.iter().map(|_| 0).sum::<usize>() + {
            let mut n = 0;
            for c in &node.children {
                n += size(c);
            }
            n
        }
    }

    pub fn depth(node: &Node) -> usize {
        let mut deepest = 0;
        for child in &node.children {
            deepest = deepest.max(depth(child));
        }
        deepest + 1
    }

    pub fn leaves(node: &Node) -> usize {
        if node.children.is_empty() {
            return 1;
        }
        let mut count = 0;
        for c in node.children.iter() {
            count += leaves(c);
        }
        count
    }

    pub fn sum(node: &Node) -> u64 {
        node.value + {
            let mut s = 0;
            for c in &node.children {
                s += sum(c);
            }
            s
        }
    }

    /// Pre-order: each node's path from the root, as "1/2/0".
    pub fn paths(node: &Node, prefix: &str, out: &mut Vec<String>) {
        let path = if prefix.is_empty() { node.value.to_string() } else { format!("{prefix}/{}", node.value) };
        out.push(log("path", path.clone()));
        for c in &node.children {
            paths(c, &path, out);
        }
    }

    /// The values on the way from the root down to the first node holding `target`.
    pub fn find_path(node: &Node, target: u64) -> Option<Vec<u64>> {
        if node.value == target {
            return Some(vec![node.value]);
        }
        for (i, child) in node.children.iter().enumerate() {
            if let Some(mut path) = find_path(child, target) {
                log("found under", i);
                path.insert(0, node.value);
                return Some(path);
            }
        }
        None
    }
}

fn sample() -> Node {
    let n = |value, children| Node { value, children };
    n(1, vec![n(2, vec![n(4, vec![]), n(5, vec![n(8, vec![])])]), n(3, vec![]), n(6, vec![n(7, vec![])])])
}

#[test]
fn nary_tree_matches_native() {
    for t in [sample(), Node::path(6, 2), Node { value: 9, children: vec![] }] {
        assert_eq!(native::size(&t), run(fiber::size(&t)));
        assert_eq!(native::depth(&t), run(fiber::depth(&t)));
        assert_eq!(native::leaves(&t), run(fiber::leaves(&t)));
        assert_eq!(native::sum(&t), run(fiber::sum(&t)));
        let a = logged(|| {
            let mut out = Vec::new();
            native::paths(&t, "", &mut out);
            out
        });
        let b = logged(|| {
            let mut out = Vec::new();
            run(fiber::paths(&t, "", &mut out));
            out
        });
        assert_eq!(a, b);
        for target in 0..10 {
            assert_eq!(logged(|| native::find_path(&t, target)), logged(|| run(fiber::find_path(&t, target))));
        }
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn nary_tree_100_000_deep() {
    const DEEP: u64 = 100_000;
    let t = Node::path(DEEP, 2);
    assert_eq!(run(fiber::depth(&t)), DEEP as usize);
    assert_eq!(run(fiber::size(&t)), (DEEP + 2 * (DEEP - 1)) as usize);
    assert_eq!(run(fiber::leaves(&t)), (2 * (DEEP - 1) + 1) as usize);
    let path = run(fiber::find_path(&t, DEEP)).unwrap();
    assert_eq!(path.len(), DEEP as usize);
    let expected = on_big_stack(move || {
        let t = Node::path(DEEP, 2);
        native::sum(&t)
    });
    assert_eq!(run(fiber::sum(&t)), expected);
}
