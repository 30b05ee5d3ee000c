//! Property tests: a family of recursive fns of different shapes against their native twins on
//! random inputs (integers, vectors, trees built from vectors). Each property compares the
//! results and the side-effect logs, so a call run twice, skipped, or run out of order fails.

mod common;

use common::{Node, log, logged};
use fiber_runtime::{Runner, run};
use proptest::collection::vec;
use proptest::prelude::*;
use std::task::Poll;

twins! {
    /// Several calls in one expression, in native evaluation order: halves of a slice.
    pub fn weave(xs: &[i64]) -> i64 {
        if xs.len() < 2 {
            return log("leaf", xs.first().copied().unwrap_or(7));
        }
        let mid = xs.len() / 2;
        weave(&xs[..mid]).wrapping_mul(31) ^ log("mid", xs[mid]).wrapping_add(weave(&xs[mid..]))
    }

    /// Nested calls: a call as another call's argument and as a method receiver.
    pub fn nest(n: u64) -> u64 {
        if n < 3 {
            return log("base", n);
        }
        let half = n / 2;
        nest(nest(half) % half).max(log("third", nest(n / 3)) % 1_000) + nest(half - 1)
    }

    /// Calls in `if`, `else if` and `while` conditions, joined by `&&` and `||`.
    pub fn steer(xs: &[u64]) -> u64 {
        if xs.len() < 2 {
            return log("leaf", xs.first().map_or(1, |&x| x % 97));
        }
        let mid = xs.len() / 2;
        let (lo, hi) = (&xs[..mid], &xs[mid..]);
        let mut r = if steer(lo) % 3 == 0 {
            log("left", steer(hi))
        } else if log("probe", xs[mid]) % 2 == 0 || steer(hi) > 40 {
            steer(&hi[1..]) + 1
        } else {
            7
        };
        let mut k = 0;
        while k < lo.len() && (xs[k] % 4 == 0 && steer(&lo[k + 1..]) % 2 == 0) {
            r = r.wrapping_add(log("k", k as u64));
            k += 1;
        }
        r % 100_003
    }

    /// `for` over the children with `continue`, labeled `continue`/`break` out of an inner
    /// loop, a `while` with a call inside and `loop` with `break value`.
    pub fn scan(node: &Node, limit: u64) -> u64 {
        let mut acc = log("enter", node.value);
        'outer: for c in node.children.iter() {
            if c.value % 5 == 0 {
                continue;
            }
            let v = scan(c, limit);
            for d in 0..3u64 {
                if (v + d) % 7 == 0 {
                    continue 'outer;
                }
                if v + d > limit {
                    acc += log("over", v);
                    break 'outer;
                }
            }
            acc = acc.wrapping_add(v);
        }
        let mut i = 0;
        while i < node.children.len() {
            let c = &node.children[i];
            i += 1;
            if c.value % 5 != 0 {
                continue;
            }
            if scan(c, limit / 2) > limit {
                break;
            }
            acc += 1;
        }
        let r = loop {
            if acc % 3 == 0 {
                break acc / 3;
            }
            acc += log("odd", 1);
        };
        r % 1_000_003
    }

    /// `match` on recursive results, as scrutinee of nested matches with guards on the bound
    /// values, and calls inside arms.
    pub fn classify(n: u64) -> u64 {
        if n == 0 {
            return 1;
        }
        match classify(n / 2) % 4 {
            0 => log("zero", classify(n / 3)) + 1,
            1 | 2 => match classify(n / 3) {
                v if v > 10 => v - 10,
                v => log("small", v * 2 + 1),
            },
            k => (k + n) % 7,
        }
    }

    pub fn first_big(xs: &[u64], limit: u64) -> Option<usize> {
        match xs.split_first() {
            None => None,
            Some((&x, _)) if x > limit => Some(0),
            Some((_, rest)) => match first_big(rest, log("limit", limit)) {
                Some(i) => Some(i + 1),
                None => None,
            },
        }
    }

    /// Early `return` from inside a `match` arm inside a `for` loop, after a call.
    pub fn find(node: &Node, target: u64, depth: u64) -> Option<u64> {
        if log("visit", node.value) == target {
            return Some(depth);
        }
        for c in node.children.iter() {
            match find(c, target, depth + 1) {
                Some(d) => return Some(d),
                None => {}
            }
        }
        None
    }

    /// `?` on `Option`, on a recursive call that is itself an argument of a call.
    pub fn weight(node: &Node, cap: u64) -> Option<u64> {
        let mut w = node.value;
        for c in node.children.iter() {
            w = w.checked_add(weight(c, cap)?)?;
            if log("w", w) > cap {
                return None;
            }
        }
        Some(w)
    }

    /// `?` on `Result`: a prefix-notation evaluator; rebinding the position after each call.
    pub fn prefix(tokens: &[u8], pos: usize) -> Result<(i64, usize), String> {
        let t = match tokens.get(pos) {
            Some(&t) => t,
            None => return Err(log("eof", format!("eof at {pos}"))),
        };
        match t % 4 {
            0 => Ok((log("num", i64::from(t / 4)), pos + 1)),
            1 => {
                let (a, p) = prefix(tokens, pos + 1)?;
                let (b, p) = prefix(tokens, p)?;
                Ok((a.wrapping_add(b), p))
            }
            2 => {
                let (a, p) = prefix(tokens, pos + 1)?;
                let (b, p) = prefix(tokens, p)?;
                Ok((log("mul", a.wrapping_mul(b)), p))
            }
            _ => {
                if t > 200 {
                    return Err(format!("bad token {t} at {pos}"));
                }
                let (a, p) = prefix(tokens, pos + 1)?;
                Ok((a.wrapping_neg(), p))
            }
        }
    }

    /// Tail calls from `match` arms, a guarded arm and both branches of an `if`.
    pub fn walk(xs: &[u8], state: u64) -> u64 {
        match xs.split_first() {
            None => state,
            Some((&x, rest)) if x % 3 == 0 => walk(rest, state.wrapping_mul(3).wrapping_add(u64::from(x))),
            Some((&x, rest)) => {
                if log("x", x) > 128 {
                    walk(rest, state ^ u64::from(x))
                } else {
                    walk(rest, state.wrapping_add(1))
                }
            }
        }
    }

    pub fn gcd(a: u64, b: u64, steps: u64) -> (u64, u64) {
        if b == 0 {
            return (a, steps);
        }
        gcd(b, log("rem", a % b), steps + 1)
    }

    /// A generic fn: the largest element by a key, and where it is.
    pub fn arg_max<T: Copy + Ord + std::fmt::Debug>(xs: &[T], at: usize) -> Option<(T, usize)> {
        let (&x, rest) = xs.split_first()?;
        let best = match arg_max(rest, at + 1) {
            Some((y, i)) if y > x => (y, i),
            _ => (log("best", x), at),
        };
        Some(best)
    }
}

fn same<R: PartialEq + std::fmt::Debug>(native: impl FnOnce() -> R, fiber: impl FnOnce() -> R) {
    let native = logged(native);
    let fiber = logged(fiber);
    assert_eq!(native, fiber);
}

/// The result of `fiber` and the peak depth of its stack.
fn run_with_depth<F: fiber_runtime::Fiber>(fiber: F) -> (F::Output, usize) {
    let mut runner = Runner::new(fiber);
    let Poll::Ready(Ok(result)) = runner.resume(u64::MAX) else { panic!("not finished") };
    (result, runner.peak_depth())
}

/// A tree from `(parent, value)` pairs: node `i > 0` becomes a child of one of the `span`
/// nodes before it (`span` 1 gives a path, a large `span` a bushy tree).
fn tree(nodes: &[(u16, u8)], span: usize) -> Node {
    let mut built: Vec<Node> =
        nodes.iter().map(|&(_, value)| Node { value: u64::from(value), children: Vec::new() }).collect();
    // Children have larger indices than their parents: attach them from the last one up.
    for i in (1..built.len()).rev() {
        let parent = i - 1 - usize::from(nodes[i].0) % span.min(i);
        // All of its children are attached by now, last one first.
        let mut child = built.pop().expect("i < len");
        child.children.reverse();
        built[parent].children.push(child);
    }
    let mut root = built.pop().expect("at least one node");
    root.children.reverse();
    root
}

/// The input of `tree` (`Node` is not `Debug`, so proptest shows the pairs of a failing case).
fn tree_input() -> impl Strategy<Value = (Vec<(u16, u8)>, usize)> {
    (vec((any::<u16>(), 0..64u8), 1..80), 1..40usize)
}

#[test]
fn tree_builder() {
    // A path when every node hangs under the one before it.
    let path = tree(&[(0, 1), (0, 2), (0, 3)], 1);
    assert_eq!(path.value, 1);
    assert_eq!(path.children[0].value, 2);
    assert_eq!(path.children[0].children[0].value, 3);
    // Children in index order.
    let star = tree(&[(0, 1), (0, 2), (1, 3)], 40);
    assert_eq!(star.children.iter().map(|c| c.value).collect::<Vec<_>>(), [2, 3]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn calls_in_expressions(xs in vec(any::<i64>(), 0..200), n in 0..3_000u64) {
        same(|| native::weave(&xs), || run(fiber::weave(&xs)));
        same(|| native::nest(n), || run(fiber::nest(n)));
    }

    #[test]
    fn calls_in_conditions(xs in vec(0..100u64, 0..40)) {
        same(|| native::steer(&xs), || run(fiber::steer(&xs)));
    }

    #[test]
    fn loops_around_calls((nodes, span) in tree_input(), limit in 0..2_000u64) {
        let t = tree(&nodes, span);
        same(|| native::scan(&t, limit), || run(fiber::scan(&t, limit)));
    }

    #[test]
    fn match_on_results(n in 0..100_000u64, xs in vec(0..1_000u64, 0..300), limit in 950..1_010u64) {
        same(|| native::classify(n), || run(fiber::classify(n)));
        same(|| native::first_big(&xs, limit), || run(fiber::first_big(&xs, limit)));
        let expected = xs.iter().position(|&x| x > limit);
        prop_assert_eq!(run(fiber::first_big(&xs, limit)), expected);
    }

    #[test]
    fn early_return((nodes, span) in tree_input(), target in 0..80u64) {
        let t = tree(&nodes, span);
        same(|| native::find(&t, target, 0), || run(fiber::find(&t, target, 0)));
    }

    #[test]
    fn question_mark((nodes, span) in tree_input(), cap in 0..2_000u64, tokens in vec(any::<u8>(), 0..60)) {
        let t = tree(&nodes, span);
        same(|| native::weight(&t, cap), || run(fiber::weight(&t, cap)));
        same(|| native::prefix(&tokens, 0), || run(fiber::prefix(&tokens, 0)));
        // Mostly numbers and `+`, so that long expressions parse to the end too.
        let tokens: Vec<u8> = tokens.iter().map(|t| t & 0b1111_0001).collect();
        same(|| native::prefix(&tokens, 0), || run(fiber::prefix(&tokens, 0)));
    }

    #[test]
    fn tail_calls(xs in vec(any::<u8>(), 0..500), a in any::<u64>(), b in any::<u64>()) {
        same(|| native::walk(&xs, a), || run(fiber::walk(&xs, a)));
        same(|| native::gcd(a, b, 0), || run(fiber::gcd(a, b, 0)));
        // Tail calls replace the frame: the stack never grows, also with a pattern binding
        // (`x`, of a type without drop glue) in scope.
        prop_assert_eq!(run_with_depth(fiber::gcd(a, b, 0)).1, 1);
        prop_assert_eq!(run_with_depth(fiber::walk(&xs, a)).1, 1);
    }

    #[test]
    fn generics(xs in vec(any::<i32>(), 0..300), words in vec("[a-c]{0,3}", 0..50)) {
        same(|| native::arg_max(&xs, 0), || run(fiber::arg_max(&xs, 0)));
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        same(|| native::arg_max(&words, 0), || run(fiber::arg_max(&words, 0)));
    }
}
