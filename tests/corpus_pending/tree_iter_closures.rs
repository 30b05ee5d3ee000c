//! PENDING (documented limit): tree metrics the way they are most often written, with the
//! recursion inside iterator adaptors (`.map(size).sum()`, `.map(|c| depth(c)).max()`,
//! `.any(|c| contains(c, value))`). Natively valid.
//!
//! Errors:
//!
//! ```text
//! error: a recursive call inside a closure cannot run on the fiber's heap stack: a closure is a separate function the machine cannot suspend
//!        help: make the call outside a closure, e.g. with a `for` loop instead of an iterator adaptor
//!   --> tests/corpus/tree_iter_closures.rs:15:42
//!    |
//! 15 |         1 + node.children.iter().map(|c| depth(c)).max().unwrap_or(0)
//!    |                                          ^^^^^
//! error[E0277]: a value of type `usize` cannot be made by summing an iterator over elements of type `impl Fiber<Output = usize>`
//!   --> tests/corpus/tree_iter_closures.rs:11:50
//! 11 |         1 + node.children.iter().map(size).sum::<usize>()
//! ```
//!
//! The point-free `.map(size)` is not caught by the macro (a path, not a call): it reaches rustc
//! as a fiber-valued iterator. Reduced:
//!
//! ```rust,ignore
//! #[fiber]
//! pub fn size(node: &Node) -> usize {
//!     1 + node.children.iter().map(size).sum::<usize>() // E0277, no macro message
//! }
//! ```

use crate::common::{Node, on_big_stack};
use fiber_runtime::run;

twins! {
    pub fn size(node: &Node) -> usize {
        1 + node.children.iter().map(size).sum::<usize>()
    }

    pub fn depth(node: &Node) -> usize {
        1 + node.children.iter().map(|c| depth(c)).max().unwrap_or(0)
    }

    pub fn contains(node: &Node, value: u64) -> bool {
        node.value == value || node.children.iter().any(|c| contains(c, value))
    }
}

#[test]
fn tree_iter_closures_match_native() {
    for t in [Node::path(6, 2), Node { value: 9, children: vec![] }] {
        assert_eq!(native::size(&t), run(fiber::size(&t)));
        assert_eq!(native::depth(&t), run(fiber::depth(&t)));
        for v in 0..8 {
            assert_eq!(native::contains(&t, v), run(fiber::contains(&t, v)));
        }
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn tree_iter_closures_100_000_deep() {
    let t = Node::path(100_000, 1);
    assert_eq!(run(fiber::depth(&t)), 100_000);
    assert_eq!(on_big_stack(|| native::depth(&Node::path(100_000, 1))), 100_000);
}
