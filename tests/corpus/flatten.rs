//! Nested lists (`enum Nested { Elem, List(Vec<Nested>) }`): a recursive-descent reader of
//! `[1,[2,[3]],4]` over `&str` that loops over the items (`rest = after` after each recursive
//! call, `return` from inside the `loop`) and formats a number's error in a `map_err` closure
//! that reads `s`; flattening into a `&mut Vec`, flattening by returning `Vec`s, the deepest
//! nesting, a map that rebuilds the structure.

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;

#[derive(Debug, Clone, PartialEq)]
pub enum Nested {
    Elem(i32),
    List(Vec<Nested>),
}

impl Drop for Nested {
    fn drop(&mut self) {
        let Nested::List(items) = self else { return };
        let mut stack = std::mem::take(items);
        while let Some(mut n) = stack.pop() {
            if let Nested::List(items) = &mut n {
                stack.append(items);
            }
        }
    }
}

twins! {
    pub fn flatten_into(n: &Nested, out: &mut Vec<i32>) {
        match n {
            Nested::Elem(x) => out.push(log("elem", *x)),
            Nested::List(items) => {
                for item in items {
                    flatten_into(item, out);
                }
            }
        }
    }

    pub fn flatten(n: &Nested) -> Vec<i32> {
        match n {
            Nested::Elem(x) => vec![*x],
            Nested::List(items) => {
                let mut all = Vec::new();
                for item in items.iter() {
                    all.extend(flatten(item));
                }
                all
            }
        }
    }

    pub fn depth(n: &Nested) -> usize {
        match n {
            Nested::Elem(_) => 0,
            Nested::List(items) => {
                let mut d = 0;
                for item in items {
                    d = d.max(depth(item));
                }
                d + 1
            }
        }
    }

    pub fn doubled(n: &Nested) -> Nested {
        match n {
            Nested::Elem(x) => Nested::Elem(x * 2),
            Nested::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(doubled(item));
                }
                Nested::List(out)
            }
        }
    }

    /// Parses one value at the front of `s`, returning it and the rest.
    pub fn parse(s: &str) -> Result<(Nested, &str), String> {
        let s = s.trim_start();
        if let Some(mut rest) = s.strip_prefix('[') {
            let mut items = Vec::new();
            loop {
                rest = rest.trim_start();
                if let Some(after) = rest.strip_prefix(']') {
                    return Ok((Nested::List(items), after));
                }
                if !items.is_empty() {
                    rest = rest.strip_prefix(',').ok_or_else(|| format!("expected , at {rest:?}"))?;
                }
                let (item, after) = parse(rest)?;
                items.push(item);
                rest = after;
            }
        }
        let end = s.find(|c: char| !(c.is_ascii_digit() || c == '-')).unwrap_or(s.len());
        let n = s[..end].parse().map_err(|e| format!("{e} at {s:?}"))?;
        Ok((Nested::Elem(n), &s[end..]))
    }
}

#[test]
fn flatten_matches_native() {
    for src in ["[1,[2,[3]],4]", "[]", "[[[[]]], [5, -6], 7]", "42", "[1, [2", "[1 2]", "[x]"] {
        let a = native::parse(src);
        let b = run(fiber::parse(src));
        assert_eq!(a, b, "{src}");
        let Ok((n, _)) = a else { continue };
        let la = logged(|| {
            let mut out = Vec::new();
            native::flatten_into(&n, &mut out);
            out
        });
        let lb = logged(|| {
            let mut out = Vec::new();
            run(fiber::flatten_into(&n, &mut out));
            out
        });
        assert_eq!(la, lb);
        assert_eq!(native::flatten(&n), run(fiber::flatten(&n)));
        assert_eq!(native::depth(&n), run(fiber::depth(&n)));
        assert_eq!(native::doubled(&n), run(fiber::doubled(&n)));
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn flatten_100_000_deep() {
    const DEEP: usize = 100_000;
    let src = format!("{}1{}", "[0, ".repeat(DEEP), "]".repeat(DEEP));
    let (n, rest) = run(fiber::parse(&src)).unwrap();
    assert_eq!(rest, "");
    assert_eq!(run(fiber::depth(&n)), DEEP);
    let mut flat = Vec::new();
    run(fiber::flatten_into(&n, &mut flat));
    assert_eq!(flat.len(), DEEP + 1);
    let d = run(fiber::doubled(&n));
    assert_eq!(run(fiber::flatten(&d)).iter().sum::<i32>(), 2);
    let expected = on_big_stack(move || {
        let (n, _) = native::parse(&src).unwrap();
        native::depth(&n)
    });
    assert_eq!(expected, DEEP);
}
