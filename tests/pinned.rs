//! `&mut` arguments that borrow a local of the caller (`f(&mut acc)`), against native twins: the
//! local stays in the caller's saved frame, which does not move while the callee runs, and the
//! callee works in it through a pointer. Small sizes run under Miri too (`.ci/run`).

mod common;

use common::{log, logged, on_big_stack};
use fiber_runtime::run;

/// Logs its drop.
pub struct Loud(pub u64);

impl Drop for Loud {
    fn drop(&mut self) {
        log("drop", self.0);
    }
}

fn see(d: &Loud) -> u64 {
    d.0
}

pub struct Pair {
    pub left: Vec<u64>,
    pub right: Vec<u64>,
}

twins! {
    /// Each level collects what its child pushes into a local `Vec`, then passes it up.
    pub fn collect(n: u64, out: &mut Vec<u64>) -> u64 {
        if n == 0 {
            out.push(log("leaf", 0));
            return 0;
        }
        let mut local = Vec::new();
        let below = collect(n - 1, &mut local);
        out.push(log("level", n * 100 + local.len() as u64));
        out.extend(local);
        below + 1
    }

    /// A field and a sub-slice of locals, borrowed mutably for the call.
    pub fn places(n: u64, xs: &mut [u64]) -> u64 {
        if n == 0 || xs.is_empty() {
            return 0;
        }
        let mut pair = Pair { left: vec![n; 3], right: Vec::new() };
        let mut buf = xs.to_vec();
        let a = places(n - 1, &mut pair.left);
        let b = places(n - 1, &mut buf[1..]);
        pair.right.push(a + b);
        xs[0] += buf.iter().sum::<u64>() % 1000 + pair.left.iter().sum::<u64>() + pair.right[0];
        log("xs0", xs[0])
    }

    /// A tail call with a pinned argument: the local stays (and drops) after the callee returns.
    pub fn tail_pinned(n: u64, out: &mut String) -> u64 {
        let guard = Loud(n);
        see(&guard);
        out.push_str(&n.to_string());
        if n == 0 {
            return 0;
        }
        let mut mine = String::new();
        return tail_pinned(n - 1, &mut mine);
    }

    /// A counter in each level's frame, written by the level below.
    pub fn depth(n: u64, out: &mut u64) {
        if n == 0 {
            *out = 0;
            return;
        }
        let mut below = 0;
        depth(n - 1, &mut below);
        *out = below + 1;
    }

    /// Disjoint fields of one local, borrowed mutably by one call.
    pub fn fields(n: u64, a: &mut Vec<u64>, b: &mut Vec<u64>) -> u64 {
        a.push(n);
        b.push(n + 100);
        if n == 0 {
            return 0;
        }
        let mut pair = Pair { left: Vec::new(), right: Vec::new() };
        let r = fields(n - 1, &mut pair.left, &mut pair.right);
        a.extend(pair.left);
        b.extend(pair.right);
        r + 1
    }

    /// The index operands of a pinned place run where native code runs them: before the
    /// arguments after it, and reading locals that the call saves.
    pub fn index_order(n: u64, xs: &mut [u64], k: u64) -> u64 {
        log("k", k);
        if n == 0 || xs.is_empty() {
            return 0;
        }
        let mut buf = vec![n; 4];
        let mut i = 0;
        let range = 1..buf.len();
        let mut arr = [vec![1u64], Vec::new()];
        let r = index_order(n - 1, &mut buf[{ i += 1; log("idx", i) } as usize..], log("arg", i));
        let s = index_order(n - 1, &mut buf[range.clone()], range.len() as u64);
        let t = index_order(n - 1, &mut arr[arr[0].len()], 7);
        xs[0] += r + s + t + i;
        xs[0]
    }

    /// Two locals borrowed mutably by one call.
    pub fn two(n: u64, a: &mut Vec<u64>, b: &mut Vec<u64>) -> u64 {
        a.push(n);
        b.push(n * 2);
        if n == 0 {
            return 0;
        }
        let (mut x, mut y) = (Vec::new(), vec![n]);
        let r = two(n - 1, &mut x, &mut y);
        a.extend(y);
        b.extend(x);
        r + a.len() as u64
    }
}

#[test]
fn locals_borrowed_mutably_by_a_call_match_native() {
    for n in 0..6 {
        let native = logged(|| {
            let mut out = Vec::new();
            (native::collect(n, &mut out), out)
        });
        let fiber = logged(|| {
            let mut out = Vec::new();
            (run(fiber::collect(n, &mut out)), out)
        });
        assert_eq!(fiber, native);

        let native = logged(|| {
            let mut xs = vec![1, 2, 3, 4];
            (native::places(n, &mut xs), xs)
        });
        let fiber = logged(|| {
            let mut xs = vec![1, 2, 3, 4];
            (run(fiber::places(n, &mut xs)), xs)
        });
        assert_eq!(fiber, native);

        let native = logged(|| {
            let mut s = String::new();
            (native::tail_pinned(n, &mut s), s)
        });
        let fiber = logged(|| {
            let mut s = String::new();
            (run(fiber::tail_pinned(n, &mut s)), s)
        });
        assert_eq!(fiber, native);

        let native = logged(|| {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            (native::fields(n, &mut a, &mut b), a, b)
        });
        let fiber = logged(|| {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            (run(fiber::fields(n, &mut a, &mut b)), a, b)
        });
        assert_eq!(fiber, native);

        let native = logged(|| {
            let mut xs = vec![1, 2];
            (native::index_order(n.min(3), &mut xs, 0), xs)
        });
        let fiber = logged(|| {
            let mut xs = vec![1, 2];
            (run(fiber::index_order(n.min(3), &mut xs, 0)), xs)
        });
        assert_eq!(fiber, native);

        let native = logged(|| {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            (native::two(n, &mut a, &mut b), a, b)
        });
        let fiber = logged(|| {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            (run(fiber::two(n, &mut a, &mut b)), a, b)
        });
        assert_eq!(fiber, native);
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn deep_pinned_locals() {
    let n = 1_000_000;
    let native = on_big_stack(move || {
        let mut out = 7;
        native::depth(n, &mut out);
        out
    });
    let mut out = 7;
    run(fiber::depth(n, &mut out));
    assert_eq!(out, native);
    assert_eq!(out, n);
}
