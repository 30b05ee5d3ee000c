//! Reference parameters that receive borrows through one another: `swap(n - 1, ys, xs)`,
//! `eval(&def.body, env, &def.params, defs)` with `def` borrowed from `defs`. A fiber keeps one
//! type per parameter across its calls, so the expansion names a lifetime they all outlive;
//! these once were errors (E0700, then a message asking for one lifetime). Each against its
//! native twin, then deep. One module per shape, as `twins!` makes one pair.

mod common;

use common::{log, logged, on_big_stack};
use fiber_runtime::run;

/// Two slices that trade places at each call, with elided lifetimes.
mod swapped_slices {
    use super::*;

    twins! {
        pub fn swap(n: u64, xs: &[u64], ys: &[u64]) -> u64 {
            if n == 0 || xs.is_empty() {
                return log("len", (xs.len() * 10 + ys.len()) as u64);
            }
            log("head", xs[0]);
            swap(n - 1, ys, &xs[1..]) + xs[0]
        }
    }

    #[test]
    fn against_native() {
        let (a, b): (Vec<u64>, Vec<u64>) = ((1..8).collect(), (20..24).collect());
        for n in 0..12 {
            assert_eq!(logged(|| native::swap(n, &a, &b)), logged(|| run(fiber::swap(n, &a, &b))), "n = {n}");
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "deep: too slow under Miri")]
    fn deep() {
        let (a, b): (Vec<u64>, Vec<u64>) = ((0..100_001).collect(), (0..100_000).collect());
        let fiber = run(fiber::swap(u64::MAX, &a, &b));
        assert_eq!(fiber, on_big_stack(move || native::swap(u64::MAX, &a, &b)));
    }
}

/// A group whose `h` receives `f`'s two slices in one place: `h(xs, xs)` then `h(xs, ys)`.
mod mixed_in_a_group {
    use super::*;

    twins! {
        pub mod group {
            use super::*;

            pub fn f(fuel: u64, xs: &[u64], ys: &[u64]) -> u64 {
                if fuel == 0 {
                    return 0;
                }
                let a = h(fuel / 2, xs, xs);
                a + h(fuel - 1, xs, ys) + f(fuel - 1, ys, xs)
            }

            pub fn h(fuel: u64, xs: &[u64], ys: &[u64]) -> u64 {
                if fuel == 0 { log("lens", (xs.len() * 10 + ys.len()) as u64) } else { h(fuel - 1, ys, xs) }
            }
        }
    }

    #[test]
    fn against_native() {
        let (a, b) = ([1, 2, 3], [4, 5]);
        for fuel in 0..8 {
            let native = logged(|| native::group::f(fuel, &a, &b));
            assert_eq!(native, logged(|| run(fiber::group::f(fuel, &a, &b))), "fuel = {fuel}");
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "deep: too slow under Miri")]
    fn deep() {
        let (a, b) = ([1, 2, 3], [4, 5]);
        assert_eq!(run(fiber::group::h(100_001, &a, &b)), 23);
    }
}

/// Methods that trade their slices, through `self.h(..)`, and one that borrows its argument
/// from `self`.
mod methods {
    use super::*;

    twins! {
        shared {
            pub struct Table {
                pub keys: Vec<u64>,
            }
        }
        impl Table {
            pub fn f(&self, fuel: u64, xs: &[u64], ys: &[u64]) -> u64 {
                if fuel == 0 {
                    return log("lens", (xs.len() * 10 + ys.len()) as u64);
                }
                self.h(fuel - 1, ys, xs)
            }

            pub fn h(&self, fuel: u64, xs: &[u64], ys: &[u64]) -> u64 {
                if fuel == 0 { (xs.len() + ys.len()) as u64 } else { self.f(fuel - 1, &xs[..xs.len().min(1)], ys) }
            }

            /// Counts the keys below `bound`, walking `keys` from the front, then again over
            /// `self`'s own keys.
            pub fn below(&self, keys: &[u64], bound: u64, again: bool) -> u64 {
                match keys.split_first() {
                    None if again => self.below(&self.keys, bound, false),
                    None => 0,
                    Some((&k, rest)) => u64::from(log("k", k) < bound) + self.below(rest, bound, again),
                }
            }
        }
    }

    #[test]
    fn against_native() {
        let (a, b) = ([1, 2, 3], [4, 5]);
        for fuel in 0..8 {
            let native = logged(|| native::Table { keys: vec![3, 1] }.f(fuel, &a, &b));
            assert_eq!(native, logged(|| run(fiber::Table { keys: vec![3, 1] }.f(fuel, &a, &b))));
            let keys = [5, 0, 9, fuel];
            let native = logged(|| native::Table { keys: vec![fuel, 2, 7] }.below(&keys, 4, fuel % 2 == 0));
            let fiber =
                logged(|| run(fiber::Table { keys: vec![fuel, 2, 7] }.below(&keys, 4, fuel % 2 == 0)));
            assert_eq!(native, fiber, "fuel = {fuel}");
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "deep: too slow under Miri")]
    fn deep() {
        let t = fiber::Table { keys: (0..100_000).collect() };
        let keys: Vec<u64> = (0..100_000).rev().collect();
        assert_eq!(run(t.below(&keys, 50_000, true)), 100_000);
    }
}

/// An interpreter whose call case evaluates the callee's body with its parameters, both
/// borrowed from the definitions: `eval(&def.body, env, &def.params, defs)`.
mod interpreter {
    use super::*;

    twins! {
        shared {
            use std::collections::HashMap;

            pub enum Expr {
                Lit(u64),
                /// The parameter's index in the current definition's parameters.
                Param(String),
                Add(Box<Expr>, Box<Expr>),
                Call(String),
            }

            pub struct Def {
                pub params: Vec<String>,
                pub body: Expr,
            }

            pub type Defs = HashMap<String, Def>;
        }
        pub fn eval(e: &Expr, env: &[u64], params: &[String], defs: &Defs) -> u64 {
            match e {
                Expr::Lit(v) => *v,
                Expr::Param(name) => {
                    let at = params.iter().position(|p| p == name).unwrap_or(0);
                    log("param", env[at % env.len()])
                }
                Expr::Add(a, b) => eval(a, env, params, defs) + eval(b, env, params, defs),
                Expr::Call(name) => {
                    let def = &defs[name];
                    eval(&def.body, env, &def.params, defs)
                }
            }
        }
    }

    fn defs<E>(
        lit: fn(u64) -> E,
        param: fn(String) -> E,
        add: fn(Box<E>, Box<E>) -> E,
        call: fn(String) -> E,
        n: u64,
    ) -> std::collections::HashMap<String, (Vec<String>, E)> {
        // `fK` adds its second parameter to `f(K-1)`; `f0` is its first parameter.
        let mut defs = std::collections::HashMap::new();
        defs.insert("f0".to_string(), (vec!["a".into(), "b".into()], param("a".into())));
        for k in 1..=n {
            let body = add(
                Box::new(param("b".into())),
                Box::new(add(Box::new(lit(k)), Box::new(call(format!("f{}", k - 1))))),
            );
            defs.insert(format!("f{k}"), (vec!["a".into(), "b".into()], body));
        }
        defs
    }

    fn native_defs(n: u64) -> native::Defs {
        use native::Expr::*;
        defs(Lit, Param, Add, Call, n)
            .into_iter()
            .map(|(k, (params, body))| (k, native::Def { params, body }))
            .collect()
    }

    fn fiber_defs(n: u64) -> fiber::Defs {
        use fiber::Expr::*;
        defs(Lit, Param, Add, Call, n)
            .into_iter()
            .map(|(k, (params, body))| (k, fiber::Def { params, body }))
            .collect()
    }

    #[test]
    fn against_native() {
        for n in 0..6 {
            let (nd, fd) = (native_defs(n), fiber_defs(n));
            let (ne, fe) = (native::Expr::Call(format!("f{n}")), fiber::Expr::Call(format!("f{n}")));
            let native = logged(|| native::eval(&ne, &[3, 4], &[], &nd));
            assert_eq!(native, logged(|| run(fiber::eval(&fe, &[3, 4], &[], &fd))), "n = {n}");
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "deep: too slow under Miri")]
    fn deep() {
        const DEEP: u64 = 100_000;
        let defs = fiber_defs(DEEP);
        let value = run(fiber::eval(&fiber::Expr::Call(format!("f{DEEP}")), &[3, 4], &[], &defs));
        assert_eq!(value, 3 + DEEP * 4 + DEEP * (DEEP + 1) / 2);
    }
}

/// Mutual recursion where `b`'s first parameter is a borrow into `a`'s slice.
mod element_of_a_slice {
    use super::*;

    twins! {
        pub mod group {
            use super::*;

            pub fn a(fs: &[u64], n: u64) -> u64 {
                if n == 0 {
                    return 0;
                }
                let f = &fs[(n as usize) % fs.len()];
                b(f, fs, n - 1) + 1
            }

            pub fn b(f: &u64, fs: &[u64], n: u64) -> u64 {
                log("f", *f) + a(fs, n)
            }
        }
    }

    #[test]
    fn against_native() {
        for n in 0..10 {
            let fs = [2, 3, 5];
            assert_eq!(
                logged(|| native::group::a(&fs, n)),
                logged(|| run(fiber::group::a(&fs, n))),
                "n = {n}"
            );
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "deep: too slow under Miri")]
    fn deep() {
        let fs = [2, 3, 5];
        let fiber = run(fiber::group::a(&fs, 100_000));
        assert_eq!(fiber, on_big_stack(move || native::group::a(&fs, 100_000)));
    }
}
