//! Natively valid shapes that once failed to expand (a macro panic or a rustc error inside the
//! generated code), each against its native twin: same result, same side effects in the same
//! order; then deep where the shape allows.

mod common;

use common::{Loud, log, logged, on_big_stack, take_alive};
use fiber_runtime::run;

/// A counter with a `&mut self` method.
pub struct Counter(pub u64);

impl Counter {
    fn bump(&mut self, k: u64) -> u64 {
        self.0 += k;
        self.0
    }
}

/// A list cell with a name that logs its drop: its fields move out in the shapes below.
pub struct Cell {
    pub v: u64,
    pub next: Option<Box<Cell>>,
    pub name: Loud,
}

impl Cell {
    /// `len` cells with values `0, step, 2 * step, ..` from the last. (No `Drop` of its own,
    /// which would forbid moving fields out: the deep runs consume their chains cell by cell.)
    pub fn chain(len: u64, step: u64) -> Option<Box<Cell>> {
        (0..len).fold(None, |next, i| Some(Box::new(Cell { v: i * step, next, name: Loud::new(i) })))
    }
}

twins! {
    /// `while let` whose scrutinee is a `match` holding the recursive call: the loop's `let`
    /// once desugared to a `let .. else` whose initializer ended in `}`, which does not parse.
    /// `rounds` loops before the scrutinee gives `None`, halving `n` each time.
    pub fn halving(i: u64, rounds: u64) -> u64 {
        let mut n = i;
        let mut total = 0;
        let mut done = 0;
        while let Some(k) = match n {
            0 => None,
            _ => Some(halving(n - 1, rounds)),
        } {
            total += log("k", k) % 1_000 + 1;
            done += 1;
            n = if done < rounds { n / 2 } else { 0 };
        }
        total
    }

    /// The same with a `&&` scrutinee: the call runs only when `n > 0`, as native short-circuit
    /// has it.
    pub fn both(i: u64) -> bool {
        let mut n = i;
        let mut all = true;
        while let true = n > 0 && both(n - 1) {
            all = log("all", !all);
            n = 0;
        }
        all
    }

    /// `&mut` of a call's value, as a method argument: `v.append(&mut collect(n - 1))`.
    pub fn collect(n: u64) -> Vec<u64> {
        let mut v = vec![log("n", n)];
        if n > 0 {
            v.append(&mut collect(n - 1));
        }
        v
    }

    /// `&mut` of a call's value, as a fn argument; linear, so it runs deep.
    pub fn reversed(n: u64) -> Vec<u64> {
        let mut v = Vec::new();
        if n > 0 {
            std::mem::swap(&mut v, &mut reversed(n - 1));
        }
        v.push(n);
        v
    }

    /// A `&mut self` method on a call's value, and `&mut` of a field of one.
    pub fn counted(n: u64) -> Counter {
        if n == 0 {
            return Counter(0);
        }
        let mut t = Counter(n * 10);
        std::mem::swap(&mut t.0, &mut counted(n - 1).0);
        log("swapped", t.0);
        let mut v = vec![counted(n - 1).0];
        let bumped = counted(n - 1).bump(log("bump", n));
        v.push(t.0 + bumped);
        Counter(v.iter().sum::<u64>() % 1_000)
    }

    /// A `&mut impl FnMut` parameter passed on: its type cannot be named in a `let`.
    pub fn visit(n: u64, f: &mut impl FnMut(u64)) {
        if n == 0 {
            return;
        }
        f(n);
        visit(n - 1, f);
        f(n * 100);
    }

    /// A `&mut impl Extend<u64>` parameter, given a `&mut Vec<u64>` by the caller.
    pub fn count_down_into(n: u64, out: &mut impl Extend<u64>) {
        if n > 0 {
            out.extend([log("n", n)]);
            count_down_into(n - 1, out);
        }
    }

    /// A binding declared without a value and given it by the call's value, in a block.
    pub fn late(n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let r;
        {
            r = late(n - 1);
        }
        log("r", r) + 1
    }

    /// The same in both branches of an `if`, the value a type with drop glue.
    pub fn late_loud(n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let keep = Loud::new(n);
        let r: Loud;
        if n % 2 == 0 {
            r = Loud::new(late_loud(n - 1) * 2);
        } else {
            log("odd", n);
            r = Loud::new(late_loud(n - 1) + 1);
        }
        log("kept", keep.0);
        r.0 % 1_000_003
    }

    /// Reverses a slice from both ends, splitting it twice with `split_at_mut`; the parts
    /// hold no drop glue, so none is kept to the end of its scope while `mid` is lent.
    pub fn reverse<T: std::fmt::Debug>(xs: &mut [T]) {
        let n = xs.len();
        if n < 2 {
            return;
        }
        let (a, rest) = xs.split_at_mut(1);
        let (mid, b) = rest.split_at_mut(n - 2);
        std::mem::swap(&mut a[0], &mut b[0]);
        log("swapped", (&a[0], &b[0]));
        reverse(mid);
    }

    /// A 1 MiB buffer dead before the call: an array of drop-free values, so the frame does
    /// not keep it to the end of its scope.
    pub fn big_dead_buffer(n: u64) -> u64 {
        let buf = [n as u8; 1 << 20];
        let s = buf.iter().map(|&b| u64::from(b)).sum::<u64>();
        if n == 0 {
            return s;
        }
        big_dead_buffer(n - 1) + log("s", s % 7)
    }

    /// A `loop` that only a `return` leaves, inside an `if`, followed by code that reads a
    /// parameter the resumed loop does not keep (once E0373 inside the expansion: the resumed
    /// copy of that code reached the public fn's parameter).
    pub fn trim_to_short(s: &str) -> Option<&str> {
        if s.len() > 9 {
            let mut rest = s;
            loop {
                if rest.len() < 3 {
                    return Some(log("short", rest));
                }
                rest = trim_to_short(&rest[1..])?;
                log("rest", rest);
            }
        }
        let len = || s.len();
        log("len", len());
        (s.len() % 4 != 0).then_some(s)
    }

    /// A `mut` local moved before the call and given a new value after it.
    pub fn refill(n: u64) -> usize {
        if n == 0 {
            return 0;
        }
        let mut v = vec![Loud::new(n)];
        drop(v);
        let r = refill(n - 1);
        v = vec![Loud::new(r as u64)];
        log("len", v.len()) + r
    }

    /// A `&mut` parameter captured inline by format strings, with a width and a debug spec.
    pub fn show(n: u64, s: &mut String) -> String {
        if n == 0 {
            return format!("[{s}|{s:?}|{:>w$}]", s.len(), w = n as usize + 3);
        }
        s.push(char::from(b'a' + (n % 26) as u8));
        log("s", format!("{s}"));
        show(n - 1, s)
    }

    /// A field read beside a match that moves another field of the same parameter out:
    /// `p.0` is read before the call, as native code reads it.
    pub fn lengths(p: (u64, Option<String>)) -> u64 {
        match p.1 {
            Some(s) => log("p.0", p.0) + lengths((s.len() as u64, (s.len() > 1).then(|| s[1..].to_string()))),
            None => p.0,
        }
    }

    /// A `let` chain whose bindings are read after the call in its block: the chain's bindings
    /// were known to the passes only when its conditions held the call.
    pub fn chained(n: u64) -> u64 {
        if n == 0 {
            return 1;
        }
        if let Some(a) = n.checked_sub(1)
            && let Some(b) = a.checked_sub(log("a", a) % 2)
            && b % 3 != 2
        {
            let r = chained(a);
            return r + log("b", b);
        } else if let Some(c) = n.checked_sub(2) && c > 4 {
            return chained(c) + 1;
        }
        chained(n - 1) * 2 % 1_000_003
    }

    /// A `while let` chain with a call in the body that leaves by `break` and `continue`: the
    /// chain is no condition `!` negates, and its `else` no labeled block a user's `break` crosses.
    pub fn drained(n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let mut v: Vec<u64> = (0..n.min(4)).collect();
        let mut total = 0;
        while let Some(x) = v.pop()
            && log("x", x) < 3
        {
            if x == 0 && total > 5 {
                break;
            }
            if x == 1 {
                continue;
            }
            total += drained(n - 1) % 1_000 + x;
        }
        total
    }

    /// A field moved out in a branch that returns: the call after the branch keeps `c`, but
    /// no path reaches it from the move.
    pub fn skip_odd(c: Box<Cell>, k: u64) -> u64 {
        if k == 0 {
            return c.v;
        }
        if k % 2 == 1 {
            if let Some(next) = c.next {
                return skip_odd(next, k - 1) + log("odd", 1);
            }
            return 0;
        }
        match c.next {
            Some(next) if next.v % 3 == 0 => return skip_odd(next, k - 1),
            _ => {}
        }
        let r = skip_odd(Box::new(Cell { v: c.v + 1, next: Cell::chain(k % 3, 1), name: Loud::new(k) }), k - 1);
        r + log("c.v", c.v)
    }

    /// A field moved out and given a new value before the call: the local is whole again.
    pub fn renamed_cell(mut c: Box<Cell>, k: u64) -> u64 {
        if k == 0 {
            return c.name.0;
        }
        let name = std::mem::replace(&mut c.name, Loud::new(0));
        let old = c.next;
        c.next = None;
        c.name = Loud::new(name.0 + 10);
        let r = renamed_cell(Box::new(Cell { v: k, next: old, name }), k - 1);
        r + log("c.name", c.name.0)
    }

    /// A recursive call naming the fn's own generic parameter: the same instantiation.
    pub fn countdown<T: Copy + Into<u64> + From<u8> + std::ops::Sub<Output = T> + PartialEq>(v: T) -> u64 {
        if v == T::from(0) {
            return 0;
        }
        countdown::<T>(v - T::from(1)) + log("v", v.into())
    }
}

#[test]
fn let_chains_with_the_call_in_their_blocks() {
    for n in 0..14 {
        assert_eq!(logged(|| native::chained(n)), logged(|| run(fiber::chained(n))), "chained({n})");
    }
    for n in 0..7 {
        assert_eq!(logged(|| native::drained(n)), logged(|| run(fiber::drained(n))), "drained({n})");
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn let_chains_100_000_deep() {
    assert_eq!(run(fiber::chained(100_000)), on_big_stack(|| native::chained(100_000)));
}

#[test]
fn fields_moved_in_returning_branches_or_put_back() {
    for len in 0..6 {
        for k in 0..8 {
            let cell = || Box::new(Cell { v: 100, next: Cell::chain(len, 1 + len % 2), name: Loud::new(99) });
            // What is left of a partly moved cell drops at the next call, before native code
            // drops it (README, "Where a fiber fn still differs from native"): the drops are
            // compared as counts, the rest of the log in order.
            let without_drops = |(r, log): (u64, Vec<String>)| {
                let drops = log.iter().filter(|l| l.starts_with("drop")).count();
                (r, drops, log.into_iter().filter(|l| !l.starts_with("drop")).collect::<Vec<_>>())
            };
            let native = without_drops(logged(|| native::skip_odd(cell(), k)));
            assert_eq!(
                native,
                without_drops(logged(|| run(fiber::skip_odd(cell(), k)))),
                "skip_odd({len}, {k})"
            );
            assert_eq!(take_alive(), 0);
            let native = logged(|| native::renamed_cell(cell(), k));
            assert_eq!(native, logged(|| run(fiber::renamed_cell(cell(), k))), "renamed_cell({len}, {k})");
            assert_eq!(take_alive(), 0);
        }
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn fields_moved_in_returning_branches_100_000_deep() {
    // Every step moves the next cell out: the chain is consumed, never dropped whole.
    let cell = |len| Box::new(Cell { v: 1, next: Cell::chain(len, 3), name: Loud::new(0) });
    assert_eq!(
        run(fiber::skip_odd(cell(100_000), 100_000)),
        on_big_stack(move || native::skip_odd(cell(100_000), 100_000))
    );
    assert_eq!(
        run(fiber::renamed_cell(cell(3), 100_000)),
        on_big_stack(move || native::renamed_cell(cell(3), 100_000))
    );
    assert_eq!(take_alive(), 0);
}

#[test]
fn while_let_over_a_match_or_a_lazy_boolean_holding_the_call() {
    for i in 0..12 {
        for rounds in 1..4 {
            assert_eq!(
                logged(|| native::halving(i, rounds)),
                logged(|| run(fiber::halving(i, rounds))),
                "halving({i}, {rounds})"
            );
        }
        assert_eq!(logged(|| native::both(i)), logged(|| run(fiber::both(i))), "both({i})");
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn while_let_over_a_match_holding_the_call_100_000_deep() {
    const DEEP: u64 = 100_000;
    let fiber = run(fiber::halving(DEEP, 1));
    assert_eq!(fiber, on_big_stack(|| native::halving(DEEP, 1)));
    assert_eq!(run(fiber::both(DEEP)), on_big_stack(|| native::both(DEEP)));
}

#[test]
fn mut_borrows_of_a_calls_value() {
    for n in 0..8 {
        assert_eq!(logged(|| native::collect(n)), logged(|| run(fiber::collect(n))), "collect({n})");
        assert_eq!(logged(|| native::reversed(n)), logged(|| run(fiber::reversed(n))), "reversed({n})");
        assert_eq!(logged(|| native::counted(n).0), logged(|| run(fiber::counted(n)).0), "counted({n})");
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn mut_borrow_of_a_calls_value_100_000_deep() {
    const DEEP: u64 = 100_000;
    let fiber = run(fiber::reversed(DEEP));
    assert_eq!(fiber.len(), DEEP as usize + 1);
    assert!(fiber == on_big_stack(|| native::reversed(DEEP)));
}

#[test]
fn mut_impl_trait_parameters() {
    for n in 0..6 {
        let native = logged(|| {
            let mut seen = Vec::new();
            native::visit(n, &mut |x| seen.push(log("f", x)));
            let mut out = vec![7];
            native::count_down_into(n, &mut out);
            (seen, out)
        });
        let fiber = logged(|| {
            let mut seen = Vec::new();
            run(fiber::visit(n, &mut |x| seen.push(log("f", x))));
            let mut out = vec![7];
            run(fiber::count_down_into(n, &mut out));
            (seen, out)
        });
        assert_eq!(native, fiber, "n = {n}");
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn mut_impl_trait_parameters_100_000_deep() {
    const DEEP: u64 = 100_000;
    let mut sum = 0;
    run(fiber::visit(DEEP, &mut |x| sum += x));
    assert_eq!(sum, 101 * DEEP * (DEEP + 1) / 2);
    let mut out = Vec::new();
    run(fiber::count_down_into(DEEP, &mut out));
    assert!(out.iter().copied().eq((1..=DEEP).rev()));
}

#[test]
fn deferred_bindings_given_the_calls_value() {
    for n in 0..10 {
        assert_eq!(logged(|| native::late(n)), logged(|| run(fiber::late(n))), "late({n})");
        assert_eq!(logged(|| native::late_loud(n)), logged(|| run(fiber::late_loud(n))), "late_loud({n})");
        assert_eq!(take_alive(), 0);
        assert_eq!(logged(|| native::countdown(n as u8)), logged(|| run(fiber::countdown(n as u8))));
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn deferred_bindings_100_000_deep() {
    const DEEP: u64 = 100_000;
    assert_eq!(run(fiber::late(DEEP)), DEEP);
    assert_eq!(run(fiber::late_loud(DEEP)), on_big_stack(|| native::late_loud(DEEP)));
    assert_eq!(run(fiber::countdown(DEEP)), DEEP * (DEEP + 1) / 2);
}

#[test]
fn slices_split_twice_with_split_at_mut() {
    for n in 0..9 {
        let mut native_xs: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        let mut fiber_xs = native_xs.clone();
        let native = logged(|| native::reverse(&mut native_xs));
        let fiber = logged(|| run(fiber::reverse(&mut fiber_xs)));
        assert_eq!((native, native_xs), (fiber, fiber_xs), "n = {n}");
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn slices_split_twice_100_000_deep() {
    let mut xs: Vec<u32> = (0..200_001).collect();
    run(fiber::reverse(&mut xs));
    assert!(xs.iter().copied().eq((0..200_001).rev()));
}

#[test]
fn moved_locals_given_a_new_value_and_mut_parameters_in_format_strings() {
    for n in 0..8 {
        assert_eq!(logged(|| native::refill(n)), logged(|| run(fiber::refill(n))), "refill({n})");
        assert_eq!(take_alive(), 0);
        let (mut a, mut b) = (String::new(), String::new());
        assert_eq!(logged(|| native::show(n, &mut a)), logged(|| run(fiber::show(n, &mut b))), "show({n})");
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn moved_locals_given_a_new_value_100_000_deep() {
    assert_eq!(run(fiber::refill(100_000)), on_big_stack(|| native::refill(100_000)));
    assert_eq!(take_alive(), 0);
    let mut s = String::new();
    let fiber = run(fiber::show(100_000, &mut s));
    assert_eq!(fiber, on_big_stack(|| native::show(100_000, &mut String::new())));
}

#[test]
fn a_field_read_beside_another_moved_out() {
    for s in ["", "a", "abc", "abcdefgh"] {
        let p = || (7, Some(s.to_string()));
        assert_eq!(logged(|| native::lengths(p())), logged(|| run(fiber::lengths(p()))), "{s:?}");
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn a_field_read_beside_another_moved_out_20_000_deep() {
    let long = "x".repeat(20_000);
    assert_eq!(
        run(fiber::lengths((0, Some(long.clone())))),
        on_big_stack(move || native::lengths((0, Some(long))))
    );
}

#[test]
fn a_loop_left_only_by_return() {
    let text: String = ('a'..='z').cycle().take(40).collect();
    for n in 0..text.len() {
        let s = &text[..n];
        assert_eq!(logged(|| native::trim_to_short(s)), logged(|| run(fiber::trim_to_short(s))), "{s:?}");
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep: too slow under Miri")]
fn a_loop_left_only_by_return_100_000_deep() {
    let text: String = "x".repeat(100_003);
    let fiber = run(fiber::trim_to_short(&text)).map(str::len);
    assert_eq!(fiber, on_big_stack(move || native::trim_to_short(&text).map(str::len)));
}

#[test]
#[cfg_attr(miri, ignore = "a 1 MiB buffer per level: too slow under Miri")]
fn a_large_dead_local_is_not_kept() {
    for n in 0..4 {
        assert_eq!(
            logged(|| on_big_stack(move || native::big_dead_buffer(n))).0,
            logged(|| run(fiber::big_dead_buffer(n))).0
        );
    }
    // 200 levels on a 2 MiB thread, where native code overflows at depth 1: each step holds
    // the buffer alone, and the frames hold a few bytes each.
    let (sum, bytes) = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let mut runner = fiber_runtime::Runner::new(fiber::big_dead_buffer(200));
            let mut bytes = 0;
            loop {
                bytes = bytes.max(runner.stack_bytes());
                if let std::task::Poll::Ready(sum) = runner.resume(1) {
                    break (sum.unwrap(), bytes);
                }
            }
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(sum, (1..=200u64).map(|n| (n as u8 as u64 * (1 << 20)) % 7).sum::<u64>());
    assert!(bytes < 200 * 1024, "{bytes} bytes of frames for 200 levels");
}
