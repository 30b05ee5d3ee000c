//! Nested lists (`enum Nested { Elem, List(Vec<Nested>) }`): flattening into a `&mut Vec`,
//! flattening by returning `Vec`s, the deepest nesting, a map that rebuilds the structure
//! (parsing them from text is in `tests/corpus_pending/flatten_parse.rs`).

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
}

#[test]
fn flatten_matches_native() {
    use Nested::{Elem, List};
    let samples = [
        List(vec![Elem(1), List(vec![Elem(2), List(vec![Elem(3)])]), Elem(4)]),
        List(vec![]),
        List(vec![List(vec![List(vec![List(vec![])])]), List(vec![Elem(5), Elem(-6)]), Elem(7)]),
        Elem(42),
    ];
    for n in samples {
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
    // [0, [0, [0, ... [0, 1]...]]]
    let nest = || {
        let mut n = Nested::List(vec![Nested::Elem(0), Nested::Elem(1)]);
        for _ in 1..DEEP {
            n = Nested::List(vec![Nested::Elem(0), n]);
        }
        n
    };
    let n = nest();
    assert_eq!(run(fiber::depth(&n)), DEEP);
    let mut flat = Vec::new();
    run(fiber::flatten_into(&n, &mut flat));
    assert_eq!(flat.len(), DEEP + 1);
    let d = run(fiber::doubled(&n));
    assert_eq!(run(fiber::flatten(&d)).iter().sum::<i32>(), 2);
    let expected = on_big_stack(move || {
        let n = nest();
        native::depth(&n)
    });
    assert_eq!(expected, DEEP);
}
