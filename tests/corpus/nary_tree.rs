//! An n-ary tree (`common::Node`, `Vec<Node>` children): size, sum, depth, leaf count, and a
//! search returning the path to a value, and pre-order paths built in a local `String` that each
//! call lends to the children as their prefix (`paths(c, &path, out)`).

use crate::common::{Node, log, logged, on_big_stack};
use fiber_runtime::run;

twins! {
    pub fn size(node: &Node) -> usize {
        let mut n = 1;
        for c in &node.children {
            n += size(c);
        }
        n
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

    /// The values on the way from the root down to the first node holding `target`.
    /// Pre-order: each node's path from the root, as "1/2/0".
    pub fn paths(node: &Node, prefix: &str, out: &mut Vec<String>) {
        let path = if prefix.is_empty() { node.value.to_string() } else { format!("{prefix}/{}", node.value) };
        out.push(log("path", path.clone()));
        for c in &node.children {
            paths(c, &path, out);
        }
    }

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
        let paths = |f: &dyn Fn(&mut Vec<String>)| {
            let mut out = Vec::new();
            f(&mut out);
            out
        };
        assert_eq!(
            logged(|| paths(&|out| native::paths(&t, "", out))),
            logged(|| paths(&|out| run(fiber::paths(&t, "", out))))
        );
        for target in 0..10 {
            assert_eq!(
                logged(|| native::find_path(&t, target)),
                logged(|| run(fiber::find_path(&t, target)))
            );
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
    // Paths 2,000 levels deep: each is as long as its depth.
    let shallow = Node::path(2_000, 2);
    let mut out = Vec::new();
    run(fiber::paths(&shallow, "", &mut out));
    let native = on_big_stack(|| {
        let mut out = Vec::new();
        native::paths(&Node::path(2_000, 2), "", &mut out);
        out
    });
    assert!(out == native);
}
