//! Shadowed bindings, as native code has them: `let n = n - 1;` before a call and `let n = n * 2;`
//! after it, an inner block's binding over a parameter kept across the call, a `&mut`
//! parameter's name rebound, format strings naming shadowed locals, and shadowed values with drop
//! glue dropping at the end of their scope, in native order. Each against its native twin
//! (results, side effects, drops), then deep.

mod common;

use common::{Loud, log, logged, on_big_stack, take_alive};
use fiber_runtime::run;

/// A point, built with field shorthand from shadowed names.
#[derive(Debug, PartialEq)]
pub struct Point {
    pub x: u64,
    pub y: u64,
}

twins! {
    /// `n` bound three times around the call.
    pub fn twice(n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let n = n - 1;
        let r = twice(n);
        let n = log("n", n * 2);
        r + n
    }

    /// A path trimmed into a shadowing binding held across the call.
    pub fn segments(path: &str) -> usize {
        let path = path.trim_end_matches('/');
        if path.is_empty() {
            return 0;
        }
        let cut = path.rfind('/').map_or(0, |i| i + 1);
        let below = segments(&path[..cut]);
        log("segment", &path[cut..]);
        below + usize::from(!path.is_empty())
    }

    /// An inner block's `a` over the parameter `a`, which is read after the block.
    pub fn inner(n: u64, a: u64) -> u64 {
        if n == 0 {
            return a;
        }
        let x = {
            let a = log("inner", n % 3);
            inner(n - 1, a)
        };
        log("outer", a) + x
    }

    /// A `&mut` parameter's name rebound in one branch.
    pub fn fill(out: &mut Vec<u64>, n: u64) -> usize {
        if n == 0 {
            let out = out.len();
            return log("len", out);
        }
        out.push(n);
        fill(out, n - 1)
    }

    /// Shadowed values with drop glue, both alive to the end of the scope as native code has
    /// them, the first read through a reference.
    pub fn loud(n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let x = Loud::new(n * 10);
        let x = Loud::new(log("first", (&x).0) + 1);
        let r = loud(n - 1);
        log("after", n);
        r + x.0
    }

    /// Format strings naming shadowed locals inline, as a width, beside a named argument, and
    /// struct shorthand and patterns and guards binding the same names.
    pub fn render(n: u64, w: usize) -> String {
        if n == 0 {
            return String::new();
        }
        let n = n - 1;
        let w = w + 1;
        let Point { x, y } = Point { x: n, y: 2 };
        let s = render(n, w);
        let x = x * 10;
        let m = match Some(n) {
            Some(n) if n > 1 => n * 100,
            Some(n) => n,
            None => 0,
        };
        let p = Point { x, y };
        let next = |n: u64| n + 1;
        log("p", &p);
        format!("{s}[{n}:{w}:{x}:{m}:{:>w$}:{p:?}:{}:{{n}}:{n}]", n, next(n), n = n + 1000)
    }

    /// Shadowed names kept across the call inside macros: a closure binding the name with a
    /// type, struct shorthand and fields, a label of the same name, `stringify!`, a
    /// `macro_rules!` of the body naming the local, and `assert!`'s message.
    pub fn in_macros(n: u64) -> String {
        if n == 0 {
            return String::new();
        }
        let n = n - 1;
        macro_rules! twice_n {
            () => {
                n * 2
            };
        }
        let s = in_macros(n);
        let points = vec![Point { x: n, y: twice_n!() }, Point { x: n, y: 0 }];
        let bumped: Vec<u64> = vec![n, n + 1].into_iter().map(|n: u64| n + 10).collect();
        let found = vec!['n: loop {
            for i in 0..n {
                if i == 1 {
                    break 'n i;
                }
            }
            break 'n n;
        }];
        let name = stringify!(n);
        let held = std::panic::catch_unwind(|| assert!(n > 100)).map_err(|e| e.downcast_ref::<String>().cloned());
        log("in_macros", format!("{points:?} {bumped:?} {found:?} {name} {held:?}"));
        format!("{s}{n};")
    }
}

#[test]
fn against_native() {
    for n in 0..8 {
        assert_eq!(logged(|| native::twice(n)), logged(|| run(fiber::twice(n))), "twice({n})");
        assert_eq!(logged(|| native::inner(n, 7)), logged(|| run(fiber::inner(n, 7))), "inner({n})");
        assert_eq!(logged(|| native::loud(n)), logged(|| run(fiber::loud(n))), "loud({n})");
        assert_eq!(take_alive(), 0);
        assert_eq!(logged(|| native::render(n, 1)), logged(|| run(fiber::render(n, 1))), "render({n})");
        let quiet = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let twins = (logged(|| native::in_macros(n)), logged(|| run(fiber::in_macros(n))));
        std::panic::set_hook(quiet);
        assert_eq!(twins.0, twins.1, "in_macros({n})");
        let (mut a, mut b) = (vec![9], vec![9]);
        let native = logged(|| native::fill(&mut a, n));
        assert_eq!((native, a), (logged(|| run(fiber::fill(&mut b, n))), b), "fill({n})");
    }
    for path in ["", "/", "a", "a/b/c", "a//b///", "/usr/local/lib/"] {
        assert_eq!(logged(|| native::segments(path)), logged(|| run(fiber::segments(path))), "{path:?}");
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn deep() {
    const DEEP: u64 = 100_000;
    assert_eq!(run(fiber::twice(DEEP)), on_big_stack(|| native::twice(DEEP)));
    assert_eq!(run(fiber::inner(DEEP, 7)), on_big_stack(|| native::inner(DEEP, 7)));
    assert_eq!(run(fiber::loud(DEEP)), on_big_stack(|| native::loud(DEEP)));
    assert_eq!(take_alive(), 0);
    assert_eq!(run(fiber::in_macros(DEEP)).len(), on_big_stack(|| native::in_macros(DEEP)).len());
    let path = "x/".repeat(DEEP as usize);
    assert_eq!(run(fiber::segments(&path)), DEEP as usize);
    let mut out = Vec::new();
    assert_eq!(run(fiber::fill(&mut out, DEEP)), DEEP as usize);
}
