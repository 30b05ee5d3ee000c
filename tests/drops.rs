//! Drop order: a fiber fn drops its locals where the native fn does, at the end of their scope
//! and in reverse order of declaration, also when nothing reads them after a recursive call.
//! Each fn runs natively and as a fiber, and the whole logs (drops and other side effects, in
//! order) must be equal.

mod common;

use common::{Loud, log, logged, on_big_stack};
use fiber_runtime::run;

/// Reads a value through a reference, which does not move it.
fn see(d: &Loud) -> u64 {
    d.0
}

fn loud_if(yes: bool, id: u64) -> Option<Loud> {
    yes.then(|| Loud::new(id))
}

twins! {
    /// A local that nothing reads after the call.
    pub fn dead_local(n: u64) -> u64 {
        let _d = Loud::new(n);
        if n == 0 {
            return 0;
        }
        let below = dead_local(n - 1);
        log("after", n);
        below + 1
    }

    /// Several, dropped in reverse order of declaration, around a call that is the block's value.
    pub fn reverse_order(n: u64) -> u64 {
        let a = Loud::new(n * 10);
        see(&a);
        let _b = Loud::new(n * 10 + 1);
        if n == 0 {
            return 0;
        }
        let c = Loud::new(n * 10 + 2);
        log("c", see(&c));
        reverse_order(n - 1) + 1
    }

    /// A local of an inner block drops at the end of that block, before the outer ones.
    pub fn inner_scope(n: u64) -> u64 {
        let _outer = Loud::new(n * 10);
        if n == 0 {
            return 0;
        }
        let below = {
            let inner = Loud::new(n * 10 + 1);
            log("inner", see(&inner));
            inner_scope(n - 1)
        };
        log("between", n);
        let later = Loud::new(n * 10 + 2);
        see(&later);
        below + 1
    }

    /// A parameter with drop glue, never read after the call.
    pub fn param(d: Loud, n: u64) -> u64 {
        log("param", see(&d));
        if n == 0 {
            return 0;
        }
        param(Loud::new(n * 10), n - 1) + 1
    }

    /// A value moved into the recursive call is the callee's to drop.
    pub fn moved_into_call(d: Loud, n: u64) -> u64 {
        if n == 0 {
            return see(&d);
        }
        let next = Loud::new(see(&d) + 1);
        let e = Loud::new(100 + n);
        see(&e);
        moved_into_call(next, n - 1) + 1
    }

    /// A tail call with a droppable local in scope pushes, and the local drops after the callee
    /// returns, as native code does.
    pub fn tail_with_local(n: u64, acc: u64) -> u64 {
        let d = Loud::new(n);
        see(&d);
        if n == 0 {
            return acc;
        }
        return tail_with_local(n - 1, acc + 1);
    }

    /// The same through a tail expression, with a droppable parameter.
    pub fn tail_expression(d: Loud, n: u64) -> u64 {
        see(&d);
        if n == 0 {
            0
        } else {
            tail_expression(Loud::new(n * 10), n - 1)
        }
    }

    /// A local of a loop body drops at the end of each iteration, after the call in it.
    pub fn in_loop(n: u64) -> u64 {
        let outer = Loud::new(n * 100);
        let mut sum = 0;
        for i in 0..2 {
            let c = Loud::new(n * 100 + i);
            see(&c);
            if n > 0 {
                sum += in_loop(n - 1);
            }
            log("iteration", i);
        }
        see(&outer);
        sum + 1
    }

    /// Bindings of a `match` arm and an `if let` drop at the end of the arm.
    pub fn matched(n: u64) -> u64 {
        let maybe = if n % 2 == 0 { Some(Loud::new(n)) } else { None };
        match maybe {
            Some(_d) if n > 0 => {
                log("some", n);
                let below = matched(n - 1);
                log("after some", n);
                below + 1
            }
            _ => {
                if let Some(_e) = loud_if(n > 0, 1000 + n) {
                    let below = matched(n - 1);
                    log("after if let", n);
                    below + 2
                } else {
                    0
                }
            }
        }
    }

    /// A `String` and a `Vec` used only through references and formatting before the call.
    pub fn owned_std_values(n: u64) -> usize {
        let name = format!("level {n}");
        let mut items = vec![Loud::new(n)];
        items.push(Loud::new(n + 100));
        log("name", name.len());
        if n == 0 {
            return 0;
        }
        owned_std_values(n - 1) + name.len() * 0 + 1
    }

    /// Two calls in one statement: the locals live across both.
    pub fn two_calls(n: u64) -> u64 {
        let d = Loud::new(n);
        see(&d);
        if n < 2 {
            return n;
        }
        two_calls(n - 1) + two_calls(n - 2)
    }
}

/// The native twin's and the fiber's result and log, after checking that every value created
/// was dropped once.
fn both<R: PartialEq + std::fmt::Debug>(native: impl FnOnce() -> R, fiber: impl FnOnce() -> R) {
    let native = logged(native);
    assert_eq!(common::take_alive(), 0, "native leaked");
    let fiber = logged(fiber);
    assert_eq!(common::take_alive(), 0, "a value was dropped more or less than once");
    assert_eq!(fiber, native);
}

#[test]
fn dead_locals_drop_at_the_end_of_their_scope() {
    for n in 0..4 {
        both(|| native::dead_local(n), || run(fiber::dead_local(n)));
        both(|| native::reverse_order(n), || run(fiber::reverse_order(n)));
        both(|| native::inner_scope(n), || run(fiber::inner_scope(n)));
        both(|| native::owned_std_values(n), || run(fiber::owned_std_values(n)));
        both(|| native::two_calls(n + 1), || run(fiber::two_calls(n + 1)));
    }
}

#[test]
fn parameters_drop_after_the_body_and_moved_values_in_the_callee() {
    for n in 0..4 {
        both(|| native::param(Loud::new(99), n), || run(fiber::param(Loud::new(99), n)));
        both(|| native::moved_into_call(Loud::new(0), n), || run(fiber::moved_into_call(Loud::new(0), n)));
    }
}

#[test]
fn tail_calls_keep_droppable_locals_until_the_callee_returns() {
    for n in 0..4 {
        both(|| native::tail_with_local(n, 0), || run(fiber::tail_with_local(n, 0)));
        both(|| native::tail_expression(Loud::new(99), n), || run(fiber::tail_expression(Loud::new(99), n)));
    }
}

#[test]
fn loop_and_pattern_bindings_drop_where_native_ones_do() {
    for n in 0..5 {
        both(|| native::in_loop(n), || run(fiber::in_loop(n)));
        both(|| native::matched(n), || run(fiber::matched(n)));
    }
}

#[test]
fn deep_runs_drop_every_value_once() {
    let n = 100_000;
    let native = on_big_stack(move || native::reverse_order(n));
    assert_eq!(run(fiber::reverse_order(n)), native);
    assert_eq!(run(fiber::tail_with_local(n, 0)), n);
    assert_eq!(common::take_alive(), 0);
}
