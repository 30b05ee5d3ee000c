//! S-expressions through three `#[fiber] mod`s of mutually recursive fns: a reader over bytes
//! (`read_expr` <-> `read_list`, quote sugar `'x`, a position threaded through `Result<(Sexp,
//! usize), String>`, shadowing `let pos = skip_ws(src, pos)`, a tail-recursive list loop that
//! carries its items), a printer (`print` <-> `print_items` into a `&mut String`), and an
//! arithmetic evaluator (`eval` <-> `eval_args`, with `if`, `quote` and special forms matched
//! by slice patterns).

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;
use proptest::prelude::*;

#[derive(Debug, PartialEq)]
pub enum Sexp {
    Num(i64),
    Sym(String),
    List(Vec<Sexp>),
}

impl Drop for Sexp {
    fn drop(&mut self) {
        let Sexp::List(items) = self else { return };
        let mut stack = std::mem::take(items);
        while let Some(mut e) = stack.pop() {
            if let Sexp::List(items) = &mut e {
                stack.append(items);
            }
        }
    }
}

twins! {
    pub mod reader {
        use super::*;

        pub fn read(src: &str) -> Result<Sexp, String> {
            let bytes = src.as_bytes();
            let (e, pos) = read_expr(bytes, 0)?;
            let pos = skip_ws(bytes, pos);
            if pos < bytes.len() {
                return Err(format!("trailing input at {pos}"));
            }
            Ok(e)
        }

        fn skip_ws(src: &[u8], mut pos: usize) -> usize {
            while pos < src.len() && src[pos].is_ascii_whitespace() {
                pos += 1;
            }
            pos
        }

        fn read_expr(src: &[u8], pos: usize) -> Result<(Sexp, usize), String> {
            let pos = skip_ws(src, pos);
            match src.get(pos) {
                None => Err("unexpected end of input".to_string()),
                Some(b'(') => read_list(src, pos + 1, Vec::new()),
                Some(b')') => Err(format!("unexpected `)` at {pos}")),
                Some(b'\'') => {
                    let (quoted, end) = read_expr(src, pos + 1)?;
                    Ok((Sexp::List(vec![Sexp::Sym("quote".to_string()), quoted]), end))
                }
                Some(_) => {
                    let mut end = pos;
                    while end < src.len() && !src[end].is_ascii_whitespace() && !b"()'".contains(&src[end]) {
                        end += 1;
                    }
                    let text = String::from_utf8_lossy(&src[pos..end]);
                    let atom = match text.parse::<i64>() {
                        Ok(n) => Sexp::Num(n),
                        Err(_) => Sexp::Sym(text.into_owned()),
                    };
                    Ok((atom, end))
                }
            }
        }

        fn read_list(src: &[u8], pos: usize, mut items: Vec<Sexp>) -> Result<(Sexp, usize), String> {
            let pos = skip_ws(src, pos);
            match src.get(pos) {
                None => Err("unclosed list".to_string()),
                Some(b')') => Ok((Sexp::List(items), pos + 1)),
                Some(_) => {
                    let (item, pos) = read_expr(src, pos)?;
                    items.push(item);
                    read_list(src, pos, items)
                }
            }
        }
    }

    pub mod printer {
        use super::*;

        pub fn print(e: &Sexp, out: &mut String) {
            match e {
                Sexp::Num(n) => out.push_str(&n.to_string()),
                Sexp::Sym(s) => out.push_str(s),
                Sexp::List(items) => {
                    if let [Sexp::Sym(q), quoted] = items.as_slice() {
                        if q == "quote" {
                            out.push('\'');
                            return print(quoted, out);
                        }
                    }
                    out.push('(');
                    print_items(items, out);
                    out.push(')');
                }
            }
        }

        fn print_items(items: &[Sexp], out: &mut String) {
            let Some((first, rest)) = items.split_first() else { return };
            print(first, out);
            for item in rest {
                out.push(' ');
                print(item, out);
            }
        }
    }

    pub mod eval {
        use super::*;

        pub fn eval(e: &Sexp) -> Result<i64, String> {
            let value = match e {
                Sexp::Num(n) => *n,
                Sexp::Sym(s) => return Err(format!("unbound symbol `{s}`")),
                Sexp::List(items) => match items.as_slice() {
                    [] => return Err("empty application".to_string()),
                    [Sexp::Sym(f), cond, then, otherwise] if f == "if" => {
                        if eval(cond)? != 0 { eval(then)? } else { eval(otherwise)? }
                    }
                    [Sexp::Sym(f), Sexp::List(quoted)] if f == "quote" => quoted.len() as i64,
                    [Sexp::Sym(f), args @ ..] => {
                        let values = eval_args(args)?;
                        match f.as_str() {
                            "+" => values.iter().sum(),
                            "*" => values.iter().product(),
                            "-" => match values.split_first() {
                                Some((first, [])) => -first,
                                Some((first, rest)) => rest.iter().fold(*first, |acc, v| acc - v),
                                None => 0,
                            },
                            "max" => values.into_iter().max().ok_or("max of nothing")?,
                            other => return Err(format!("unknown function `{other}`")),
                        }
                    }
                    [head, ..] => return Err(format!("cannot apply {head:?}")),
                },
            };
            Ok(log("value", value))
        }

        fn eval_args(args: &[Sexp]) -> Result<Vec<i64>, String> {
            let mut values = Vec::with_capacity(args.len());
            for arg in args {
                values.push(eval(arg)?);
            }
            Ok(values)
        }
    }
}

fn round_trip(src: &str) -> Result<(String, Result<i64, String>), String> {
    let n = logged(|| {
        native::reader::read(src).map(|e| {
            let mut out = String::new();
            native::printer::print(&e, &mut out);
            (out, native::eval::eval(&e))
        })
    });
    let f = logged(|| {
        run(fiber::reader::read(src)).map(|e| {
            let mut out = String::new();
            run(fiber::printer::print(&e, &mut out));
            (out, run(fiber::eval::eval(&e)))
        })
    });
    assert_eq!(n, f, "{src:?}");
    f.0
}

#[test]
fn sexpr_matches_native() {
    let ok = |printed: &str, value: Result<i64, &str>| Ok((printed.to_string(), value.map_err(String::from)));
    assert_eq!(round_trip("42"), ok("42", Ok(42)));
    assert_eq!(round_trip("  (+ 1 2\n (* 3 4))  "), ok("(+ 1 2 (* 3 4))", Ok(15)));
    assert_eq!(round_trip("(- 10 1 2)"), ok("(- 10 1 2)", Ok(7)));
    assert_eq!(round_trip("(- 5)"), ok("(- 5)", Ok(-5)));
    assert_eq!(round_trip("(if (- 2 2) 1 (max 3 9 4))"), ok("(if (- 2 2) 1 (max 3 9 4))", Ok(9)));
    assert_eq!(round_trip("'(a b c)"), ok("'(a b c)", Ok(3)));
    assert_eq!(round_trip("(quote x)"), ok("'x", Err("unbound symbol `x`")));
    assert_eq!(round_trip("()"), ok("()", Err("empty application")));
    assert_eq!(round_trip("(+ 1 x)"), ok("(+ 1 x)", Err("unbound symbol `x`")));
    assert_eq!(round_trip("((f) 1)"), ok("((f) 1)", Err("cannot apply List([Sym(\"f\")])")));
    assert_eq!(round_trip("(max)"), ok("(max)", Err("max of nothing")));
    assert_eq!(round_trip("(+ 1"), Err("unclosed list".to_string()));
    assert_eq!(round_trip(")"), Err("unexpected `)` at 0".to_string()));
    assert_eq!(round_trip("1 2"), Err("trailing input at 2".to_string()));
    assert_eq!(round_trip(""), Err("unexpected end of input".to_string()));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    #[test]
    fn sexpr_random_matches_native(src in "[()' +*x0-9-]{0,24}") {
        round_trip(&src).ok();
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn sexpr_100_000_deep() {
    const DEEP: usize = 100_000;
    // (+ 1 (+ 1 ( .. (+ 1 0) .. ))), DEEP levels.
    let src = format!("{}0{}", "(+ 1 ".repeat(DEEP), ")".repeat(DEEP));
    let e = run(fiber::reader::read(&src)).unwrap();
    assert_eq!(run(fiber::eval::eval(&e)), Ok(DEEP as i64));
    let mut out = String::new();
    run(fiber::printer::print(&e, &mut out));
    assert_eq!(out, src);
    // Quotes nested DEEP deep, and a list DEEP items long (the reader's tail call).
    let quotes = format!("{}x", "'".repeat(DEEP));
    let e = run(fiber::reader::read(&quotes)).unwrap();
    let mut out = String::new();
    run(fiber::printer::print(&e, &mut out));
    assert_eq!(out, quotes);
    let long = format!("(+ {})", "1 ".repeat(DEEP));
    assert_eq!(run(fiber::eval::eval(&run(fiber::reader::read(&long)).unwrap())), Ok(DEEP as i64));
    let native = on_big_stack(move || {
        let e = native::reader::read(&src).unwrap();
        let mut out = String::new();
        native::printer::print(&e, &mut out);
        (native::eval::eval(&e), out == src)
    });
    assert_eq!(native, (Ok(DEEP as i64), true));
}
