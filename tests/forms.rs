//! Every form of the foundation, checked against its native twin: same result, same side
//! effects in the same order; then at depths native code cannot reach.

mod common;

use common::{List, Node, log, logged};
use fiber_runtime::{Runner, run};
use std::task::Poll;

twins! {
    /// `let` with patterns, several calls in one expression, calls in a call's arguments.
    pub fn lets(n: u64) -> u64 {
        if n == 0 {
            return log("base", 1);
        }
        let (a, b) = (lets(n - 1), log("b", n));
        let c = log("c", a + b);
        c % 1_000_003
    }

    /// Assignment and compound assignment to plain places.
    pub fn assign(n: u64) -> u64 {
        let mut s = n;
        if n > 0 {
            s += assign(n - 1);
            s = assign(n - 1) % 7 + s;
        }
        log("s", s) % 1_000_003
    }

    /// `if`/`else if`/`else` as statement and as value.
    pub fn branches(n: i64) -> i64 {
        let v = if n <= 0 {
            0
        } else if n % 3 == 0 {
            branches(n - 1) + 3
        } else if n % 3 == 1 {
            let x = branches(n - 1);
            log("one", x) * 2 % 1_000_003
        } else {
            branches(n - 1) - 1
        };
        if v > 100 { log("big", v) } else { v }
    }

    /// `match`: scrutinee, arms, guards, bindings, as value.
    pub fn matches(n: u64) -> u64 {
        match n {
            0 => 0,
            k if k % 2 == 0 => matches(k - 1) + log("even", k),
            k => match matches(k - 1) {
                v if v > 50 => v % 50,
                v => v + 1,
            },
        }
    }

    /// Recursive calls in match guards: arms are tried in order, a false guard falls through
    /// to the next arms, the scrutinee runs once.
    pub fn guards(n: u64) -> u64 {
        match log("scrutinee", n) {
            0 => 0,
            1 | 2 if guards(n - 1) > 0 => log("one or two", n),
            k if k % 3 == 0 && guards(k - 1) % 2 == 0 => guards(k - 2) + log("three", k),
            k if guards(k / 2) > log("half", k) => 7,
            k => match Some(k) {
                Some(v) if guards(v - 1) > 10 => v,
                Some(v) if v > 5 => 3,
                None => unreachable!(),
                Some(_) => guards(k - 1) / 2,
            },
        }
    }

    /// `let ... else` whose `else` block calls, and `if let` chains whose conditions call.
    pub fn early_exits(n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let halves = if n % 2 == 0 { Some(n / 2) } else { None };
        let Some(mut half) = halves else {
            return if n == 1 { log("one", 1) } else { early_exits(n - 1) + 1 };
        };
        half += 1;
        if let Some(third) = (n % 3 == 0).then_some(n / 3)
            && early_exits(third) > 2
            && let Some(quarter) = (n % 4 == 0).then_some(n / 4)
        {
            return log("chain", early_exits(quarter) + half);
        } else if n > 4 && early_exits(n / 3) % 2 == 0 {
            half += log("else if", 1);
        } else {
            half += log("else", 2);
        }
        if let Some(m) = n.checked_sub(n / 2 + 1)
            && early_exits(m) > 3
        {
            half += 1;
        }
        half % 1_000_003
    }

    /// Recursive calls inside the macros users write every day, each with its own evaluation
    /// rules.
    pub fn in_macros(n: u64) -> String {
        if n == 0 {
            return String::from("0");
        }
        let mut out = format!("[{}|{x}|{}]", in_macros(n - 1), log("second", n), x = in_macros(n / 2).len());
        use std::fmt::Write;
        write!(out, "<{}>", in_macros(n / 3)).unwrap();
        assert!(in_macros(n - 1).len() < out.len(), "never fails: {}", n);
        assert_eq!(in_macros(n / 2).is_empty(), false);
        debug_assert!(in_macros(n / 4).len() < usize::MAX);
        let v = vec![in_macros(n / 2).len(), log("vec", 7)];
        if matches!(in_macros(n - 1).len(), 0..=3 if in_macros(n / 2).len() > 0) {
            out.push('m');
        }
        format!("{out}{}{}", v[0], v.len())
    }

    /// Shapes the differential tester (fiber-difftest) found failing to compile: a `return` of
    /// a call whose argument holds another call, then code after the `if`; tail calls in match
    /// arms, loop bodies and method receivers; nested `for` loops around a call.
    pub fn difftest_shapes(n: u32, a: i64, b: i64) -> i64 {
        if n == 0 {
            return a;
        }
        let v = log("v", b - 1);
        if a > 5 {
            return difftest_shapes(n - 1, difftest_shapes(n - 1, v, a), a - 1);
        }
        match a {
            m => {
                if m < -5 {
                    return difftest_shapes(n - 1, m + 3, v);
                }
            }
        }
        for x in [a, b] {
            if x > 3 && n > 2 {
                return difftest_shapes(n - 2, x - 1, v);
            }
        }
        let mut s = 0;
        for i in 0..2 {
            for j in 0..2 {
                s += difftest_shapes(n - 1, a + i - j, b);
            }
        }
        let q = (if a > 2 { return difftest_shapes(n - 1, a - 2, v) } else { a + 1 }).wrapping_mul(3);
        if q > 40 {
            return difftest_shapes(n - 1, difftest_shapes(n - 1, a, 0), v);
            #[allow(unreachable_code)]
            let _dead = b < 0;
        }
        (s + q + v) % 1_000_003
    }

    /// fiber-difftest seed 7: a tail call whose arguments hold a call and a labeled block with a
    /// call, followed by dead code.
    pub fn tail_after_block(fuel: u32, a: i64, b: i64, c: i64) -> i64 {
        if fuel == 0 {
            return log("base", a + c);
        }
        if a > -100 {
            return tail_after_block(
                fuel - 1,
                tail_after_block(fuel.saturating_sub(2), a - 1, 0, 9),
                'b3: {
                    if c < -1000 {
                        break 'b3 0;
                    }
                    tail_after_block(fuel - 1, 0, a, 6)
                },
                c - 1,
            );
        }
        log("after", b);
        0
    }

    /// fiber-difftest seed 8: `return if ..` whose branch holds two calls with `?`; the value
    /// of the resumed branch is typed by the `return` after it.
    pub fn returned_if(fuel: u32, a: i64, xs: &[i64]) -> Result<i64, i64> {
        if fuel == 0 {
            return Ok(a);
        }
        let v2 = log("v2", 0i64);
        if a > -5 {
            return if a > 100 {
                Ok(a)
            } else if a > -3 {
                let (v6, v7) = (0i64, returned_if(fuel.saturating_sub(2), v2, &xs[xs.len().min(1)..])?);
                Ok(returned_if(fuel - 1, a + v6 + v7 - 1, xs)?.wrapping_add(1))
            } else {
                Err(a)
            };
        }
        Err(v2)
    }

    /// fiber-difftest seed 8 (with drops): a call after a tail call in a loop is dead; its
    /// state saved nothing that could type its fields.
    #[allow(unreachable_code, unused_variables)]
    pub fn dead_call_in_loop(fuel: u32, a: i64, c: i64) -> i64 {
        if fuel == 0 {
            return c;
        }
        let v6 = a;
        let mut i = 0i64;
        loop {
            i += 1;
            if i > 1 {
                break;
            }
            return dead_call_in_loop(fuel.saturating_sub(2), log("c", c), 0i64);
            let _v = dead_call_in_loop(fuel - 1, 0i64, v6);
        }
        4i64
    }

    /// fiber-difftest seed 41: a tail call in a `for` loop, resumed after the call in its
    /// arguments, reads the type witnesses taken before that call.
    pub fn tail_in_for_after_call(fuel: u32, a: i64, b: i64, xs: &[i64]) -> Result<i64, i64> {
        if fuel == 0 {
            return Ok(a);
        }
        for m in xs[xs.len().min(1)..].iter() {
            if *m > b {
                return tail_in_for_after_call(
                    fuel / 2,
                    tail_in_for_after_call(fuel - 1, b, *m, &xs[xs.len().min(1)..]).unwrap_or_else(|e| e),
                    log("m", *m),
                    xs,
                );
            }
        }
        tail_in_for_after_call(fuel / 2, a - 1, b, &xs[..xs.len() / 2])
    }

    /// fiber-difftest seed 11: a loop whose value is typed only by its `break`, resumed after
    /// a call in another call's arguments inside it.
    pub fn loop_value_typed_by_break(fuel: u32, a: i64) -> Result<i64, i64> {
        if fuel == 0 {
            return Ok(log("base", a));
        }
        let done = {
            let mut i = 0i64;
            loop {
                i += 1;
                if i > 3 {
                    break i > a;
                }
                let _v = loop_value_typed_by_break(fuel.saturating_sub(2), loop_value_typed_by_break(fuel / 2, a).unwrap_or(12))?;
            }
        };
        if !done { Ok(a + 1) } else { Err(a) }
    }

    /// fiber-difftest seed 21: an operand before the call is read before a later operand
    /// assigns it (`v >= f(.., { v = ..; v })` compares the old `v`).
    pub fn operand_overwritten(fuel: u32, a: i64, b: i64) -> bool {
        if fuel == 0 {
            return log("base", a) > b;
        }
        let mut v = b;
        v >= (operand_overwritten(
            fuel / 2,
            0,
            {
                v = v.wrapping_mul(a);
                v
            },
        ) as i64)
    }

    /// fiber-difftest seed 3003: after the inner call of a tail call that ends its block,
    /// the dead rest of the block is cut when it saves a binding the state does not have, also
    /// when that binding is a generated one (the witness of `xs`'s type for the last tail
    /// call, which no user code names: E0425).
    pub fn dead_rest_saves_witness(fuel: u32, a: i64, b: i64, xs: &[i64]) -> Result<i64, i64> {
        if fuel == 0 {
            return if log("base", a) > b { Ok(a) } else { Err(b) };
        }
        match a.rem_euclid(3) {
            2 => {
                if fuel % 2 == 1 {
                    return dead_rest_saves_witness(
                        fuel / 2,
                        match dead_rest_saves_witness(fuel - 1, a, 0i64, xs) {
                            Ok(v) => log("ok", v) + fuel as i64,
                            Err(e) => log("err", e) - a,
                        },
                        a,
                        xs,
                    );
                }
                dead_rest_saves_witness(fuel - 1, 7i64, 5i64, xs)?;
            }
            _ => {}
        }
        dead_rest_saves_witness(fuel - 1, log("last", a) / 2, b, &xs[..xs.len() / 2])
    }

    /// The scheme example: the value of `f(..)?` lives in a hidden temporary, which native code
    /// drops at the end of its statement: it does not keep the tail call below from replacing
    /// the frame.
    pub fn tail_after_try(n: u64, env: std::rc::Rc<u64>) -> Result<u64, String> {
        if n == 0 {
            return Ok(log("base", *env));
        }
        tail_after_try(0, env.clone())?;
        let m = tail_after_try(0, env.clone())? + n;
        tail_after_try(n - 1 + m - m, env)
    }

    /// A guard on a reference binding, with the scrutinee reached through a reference.
    pub fn guard_refs(list: &List) -> u64 {
        match list {
            List::Cons(x, tail) if guard_refs(tail) > *x => guard_refs(tail) - *x,
            List::Cons(x, tail) => log("cons", *x) + guard_refs(tail) % 3,
            List::Nil => 0,
        }
    }

    /// `loop` with `break value`, `while`, `for`, labels, `continue`, `return` from a nested
    /// loop.
    pub fn loops(n: u64) -> u64 {
        if n == 0 {
            return 1;
        }
        let mut total = 0;
        let mut i = 0;
        while i < 2 {
            total += loops(n - 1) % 5;
            i += 1;
        }
        'outer: for j in 0..3u64 {
            for k in 0..3u64 {
                if k == 1 {
                    continue;
                }
                if j == 2 && k == 2 {
                    break 'outer;
                }
                total += log("jk", j * k);
            }
        }
        let found = loop {
            if log("loop", total) > 3 {
                break total;
            }
            total += 1;
        };
        for x in vec![n, n + 1] {
            if x == 5 {
                return found + 1000;
            }
        }
        found % 1_000_003
    }

    /// Recursive calls inside `while` and `for` bodies and conditions, and a `return` from
    /// inside the loop.
    pub fn loop_calls(n: u64) -> u64 {
        if n < 2 {
            return n;
        }
        let mut acc = 0;
        for k in 1..=2 {
            acc += loop_calls(n - k);
            if acc > 1_000_000 {
                return acc % 1000;
            }
        }
        let mut m = 0;
        while m < 1 && loop_calls(n / 2) > 0 {
            m += 1;
        }
        acc + m
    }

    /// `&&` and `||` keep short-circuit evaluation.
    pub fn logic(n: u64) -> bool {
        n == 0 || (log("and", n % 2 == 1) && logic(n - 1)) || logic(n / 2)
    }

    /// Blocks as values, labeled blocks, unused results, unit fns.
    pub fn blocks(n: u64) -> u64 {
        let v = {
            let a = if n > 0 { blocks(n - 1) } else { 0 };
            a + 1
        };
        if n > 0 {
            blocks(n - 1);
        }
        let w = 'b: {
            if v > 3 {
                break 'b v - 3;
            }
            v
        };
        w % 1_000_003
    }

    pub fn unit(n: u64) {
        if n > 0 {
            log("before", n);
            unit(n - 1);
            log("after", n);
        }
    }

    /// Native evaluation order: `g(h(), f(x))` runs `h()` first; receivers before arguments.
    pub fn order(n: u64) -> u64 {
        if n == 0 {
            return log("zero", 0);
        }
        let x = pair(log("h", n), order(n - 1)) + order(n - 1).max(log("arg", n));
        let y = order(n - 1).min(order(n - 1)) + order(order(n - 1) % n);
        (x + y) % 1_000_003
    }

    /// Indexing before a call in the same expression runs, and panics, before the call.
    pub fn index_first(xs: &[u64], i: usize) -> u64 {
        if xs.len() < 2 {
            return log("base", xs.len() as u64);
        }
        let a = xs[i] + index_first(&xs[1..], i.saturating_sub(1));
        let b = pair(xs[i + 1], index_first(&xs[2..], 0));
        let c = std::cmp::max(&xs[i], &index_first(&xs[1..], 0)) + 1;
        (a + b + c) % 1_000_003
    }

    /// References derived from arguments.
    pub fn slice_sum(xs: &[u64]) -> u64 {
        if xs.is_empty() { 0 } else { xs[0].wrapping_add(slice_sum(&xs[1..])) }
    }

    pub fn tree_sum(node: &Node) -> u64 {
        let mut total = node.value;
        for c in &node.children {
            total += tree_sum(c);
        }
        total
    }

    /// Borrows of a local that end before the call, and borrows through a reference local,
    /// which may be held across it.
    pub fn borrows(xs: &[u64]) -> u64 {
        if xs.is_empty() {
            return 0;
        }
        let owned = vec![xs[0], 1];
        let first = &owned[0];
        let head = *first + owned.iter().sum::<u64>();
        let view = &xs[1..];
        let rest = &view[..];
        let mut total = head;
        for x in view.iter() {
            total += log("x", *x);
        }
        let below = borrows(rest);
        for x in rest.iter().take(2) {
            total += borrows(&rest[*x as usize % rest.len()..]) % 7;
        }
        (total + below + owned[1]) % 1_000_003
    }

    /// Generic fns with bounds and `where`, `impl Trait` arguments.
    pub fn generic_max<T: Copy + Ord>(xs: &[T], best: T) -> T
    where
        T: std::fmt::Debug,
    {
        match xs.split_first() {
            None => best,
            Some((&x, rest)) => generic_max(rest, if x > best { x } else { best }),
        }
    }

    pub fn show(x: impl std::fmt::Display + Copy, n: u32) -> String {
        if n == 0 {
            return x.to_string();
        }
        let inner = show(x, n - 1);
        format!("({inner})")
    }

    /// Tail calls.
    pub fn tail_sum(xs: &[u64], acc: u64) -> u64 {
        if xs.is_empty() {
            return acc;
        }
        tail_sum(&xs[1..], acc.wrapping_add(xs[0]))
    }

    /// Tail calls with locals and pattern bindings in scope: they replace the frame when no
    /// binding in scope has drop glue, decided per instantiation.
    pub fn count_with_locals<T: Clone>(xs: &[T], acc: u64) -> u64 {
        let len = xs.len();
        let head = xs.first().cloned();
        if len == 0 || head.is_none() {
            return acc;
        }
        match xs.split_first() {
            Some((_, rest)) => count_with_locals(rest, acc + 1),
            None => unreachable!(),
        }
    }

    /// A tail call before the end of the body, with a local in scope.
    pub fn early_tail(n: u64, acc: u64) -> u64 {
        let half = n / 2;
        if n > 10 {
            return early_tail(half, acc + log("halve", n));
        }
        if n > 0 {
            return early_tail(n - 1, acc + 1);
        }
        half + acc
    }

    pub fn list_len(list: &List, acc: u64) -> u64 {
        match list {
            List::Nil => acc,
            List::Cons(_, tail) => list_len(tail, acc + 1),
        }
    }

    /// `?` propagates from any depth.
    pub fn checked(n: u64) -> Result<u64, String> {
        if n == 7 {
            return Err(format!("seven"));
        }
        if n == 0 {
            return Ok(0);
        }
        let below = checked(n - 1)?;
        Ok(below + 1)
    }
}

pub fn pair(a: u64, b: u64) -> u64 {
    log("pair", a * 2 + b)
}

fn same<R: PartialEq + std::fmt::Debug>(native: impl FnOnce() -> R, fiber: impl FnOnce() -> R) {
    let native = logged(native);
    let fiber = logged(fiber);
    assert_eq!(native, fiber);
}

/// Same result, or both panic, with the same side effects before it.
fn same_or_both_panic<R: PartialEq + std::fmt::Debug>(native: impl FnOnce() -> R, fiber: impl FnOnce() -> R) {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    let native = logged(|| catch_unwind(AssertUnwindSafe(native)).ok());
    let fiber = logged(|| catch_unwind(AssertUnwindSafe(fiber)).ok());
    assert_eq!(native, fiber);
}

#[test]
fn indexing_panics_where_native_panics() {
    let xs: Vec<u64> = (0..7).collect();
    for i in 0..9 {
        same_or_both_panic(|| native::index_first(&xs, i), || run(fiber::index_first(&xs, i)));
    }
}

#[test]
fn small_inputs_match_native() {
    for n in 0..12 {
        same(|| native::lets(n), || run(fiber::lets(n)));
        same(|| native::assign(n), || run(fiber::assign(n)));
        same(|| native::branches(n as i64), || run(fiber::branches(n as i64)));
        same(|| native::matches(n), || run(fiber::matches(n)));
        same(|| native::guards(n), || run(fiber::guards(n)));
        same(|| native::early_tail(n * 7, 0), || run(fiber::early_tail(n * 7, 0)));
        same(|| native::early_exits(n * 5 + 1), || run(fiber::early_exits(n * 5 + 1)));
        same(|| native::early_exits(n * 8), || run(fiber::early_exits(n * 8)));
        if n < 9 {
            same(|| native::in_macros(n), || run(fiber::in_macros(n)));
        }
        if n < 6 {
            for (a, b) in [(0, 0), (7, 2), (-7, 4), (4, 9), (3, -1)] {
                same(
                    || native::difftest_shapes(n as u32, a, b),
                    || run(fiber::difftest_shapes(n as u32, a, b)),
                );
                same(
                    || native::tail_after_block(n as u32, a, b, 2),
                    || run(fiber::tail_after_block(n as u32, a, b, 2)),
                );
                same(
                    || native::dead_call_in_loop(n as u32, a, b),
                    || run(fiber::dead_call_in_loop(n as u32, a, b)),
                );
                same(
                    || native::loop_value_typed_by_break(n as u32, a),
                    || run(fiber::loop_value_typed_by_break(n as u32, a)),
                );
                same(
                    || native::operand_overwritten(n as u32, a, b),
                    || run(fiber::operand_overwritten(n as u32, a, b)),
                );
                let xs = [a, b, 3];
                same(
                    || native::dead_rest_saves_witness(n as u32, a, b, &xs),
                    || run(fiber::dead_rest_saves_witness(n as u32, a, b, &xs)),
                );
                same(
                    || native::tail_in_for_after_call(n as u32, a, b, &xs),
                    || run(fiber::tail_in_for_after_call(n as u32, a, b, &xs)),
                );
                same(|| native::returned_if(n as u32, a, &xs), || run(fiber::returned_if(n as u32, a, &xs)));
            }
        }
        let list = List::from_iter(0..n);
        same(|| native::guard_refs(&list), || run(fiber::guard_refs(&list)));
        same(|| native::loops(n), || run(fiber::loops(n)));
        same(|| native::loop_calls(n), || run(fiber::loop_calls(n)));
        same(|| native::logic(n), || run(fiber::logic(n)));
        same(|| native::blocks(n), || run(fiber::blocks(n)));
        same(|| native::unit(n), || run(fiber::unit(n)));
        same(|| native::checked(n), || run(fiber::checked(n)));
        same(|| native::show(n, n as u32), || run(fiber::show(n, n as u32)));
    }
    for n in 0..6 {
        same(|| native::order(n), || run(fiber::order(n)));
    }
    let xs: Vec<u64> = (0..100).collect();
    same(|| native::slice_sum(&xs), || run(fiber::slice_sum(&xs)));
    for len in 0..9 {
        same(|| native::borrows(&xs[..len]), || run(fiber::borrows(&xs[..len])));
    }
    same(|| native::tail_sum(&xs, 5), || run(fiber::tail_sum(&xs, 5)));
    same(|| native::generic_max(&xs, 3), || run(fiber::generic_max(&xs, 3)));
    let tree = Node::path(50, 2);
    same(|| native::tree_sum(&tree), || run(fiber::tree_sum(&tree)));
    let list = List::from_iter(0..100);
    same(|| native::list_len(&list, 0), || run(fiber::list_len(&list, 0)));
}

const DEEP: u64 = 10_000_000;

#[test]
fn deep_linear_forms() {
    assert_eq!(run(fiber::lets(DEEP)), on_big_stack(|| native::lets(DEEP)));
    assert_eq!(run(fiber::branches(DEEP as i64)), on_big_stack(|| native::branches(DEEP as i64)));
    assert_eq!(run(fiber::matches(DEEP)), on_big_stack(|| native::matches(DEEP)));
    run(fiber::unit(DEEP));
    assert_eq!(run(fiber::checked(DEEP)), Err("seven".to_string()));
}

use common::on_big_stack;

#[test]
fn deep_slices_and_trees() {
    let xs: Vec<u64> = (0..DEEP).collect();
    let expected = xs.iter().fold(0u64, |a, &x| a.wrapping_add(x));
    assert_eq!(run(fiber::slice_sum(&xs)), expected);
    let tree = Node::path(1_000_000, 1);
    // The path nodes hold their depths; each has one leaf child holding 0.
    let expected: u64 = (1..=1_000_000u64).sum();
    assert_eq!(run(fiber::tree_sum(&tree)), expected);
}

#[test]
fn tail_calls_run_in_one_frame() {
    let xs: Vec<u64> = (0..DEEP).collect();
    let mut runner = Runner::new(fiber::tail_sum(&xs, 0));
    let Poll::Ready(Ok(total)) = runner.resume(u64::MAX) else { panic!("not finished") };
    assert_eq!(total, xs.iter().fold(0u64, |a, &x| a.wrapping_add(x)));
    assert_eq!(runner.peak_depth(), 1);
    assert_eq!(runner.steps(), DEEP + 1);

    let list = List::from_iter(0..DEEP);
    let mut runner = Runner::new(fiber::list_len(&list, 0));
    assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(DEEP)));
    assert_eq!(runner.peak_depth(), 1);

    let mut runner = Runner::new(fiber::count_with_locals(&xs, 0));
    assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(DEEP)));
    assert_eq!(runner.peak_depth(), 1);
}

#[test]
fn temporaries_do_not_keep_tail_calls_from_replacing_the_frame() {
    let env = std::rc::Rc::new(7);
    let mut runner = Runner::new(fiber::tail_after_try(1000, env.clone()));
    assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(Ok(7))));
    assert_eq!(runner.peak_depth(), 2);
    same(|| native::tail_after_try(5, env.clone()), || run(fiber::tail_after_try(5, env.clone())));
}

#[test]
fn tail_calls_push_when_a_binding_in_scope_has_drop_glue() {
    // `head: Option<String>` is dropped after the callee returns natively, so the frame stays.
    let words: Vec<String> = (0..1000).map(|i| i.to_string()).collect();
    let mut runner = Runner::new(fiber::count_with_locals(&words, 0));
    assert_eq!(runner.resume(u64::MAX), Poll::Ready(Ok(1000)));
    assert_eq!(runner.peak_depth(), 1001);
    same(|| native::count_with_locals(&words, 0), || run(fiber::count_with_locals(&words, 0)));
}
