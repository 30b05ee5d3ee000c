//! Natively valid `#[fiber] impl` shapes that once failed to expand (a rustc error inside the
//! generated code), each against its native twin: same result, same side effects in the same
//! order; then deep where the shape allows. One module per shape, as `twins!` makes one pair.

mod common;

use common::{log, logged, on_big_stack};
use fiber_runtime::run;

/// A recursive method call inside `vec![..]`, with `?` on it.
mod method_call_in_vec {
    use super::*;

    twins! {
        shared {
            pub struct Parser {
                pub toks: Vec<u8>,
                pub at: usize,
            }
        }
        impl Parser {
            /// `[[[x` parses as `x` nested three deep; the value sums the item and each
            /// bracket's position. A missing item is an error.
            pub fn parse_any(&mut self) -> Result<u64, String> {
                let Some(&t) = self.toks.get(self.at) else { return Err(format!("eof at {}", self.at)) };
                self.at += 1;
                if t == b'[' {
                    let nested = vec![self.parse_any()?, log("depth", self.at as u64)];
                    Ok(nested.iter().sum())
                } else {
                    Ok(u64::from(t))
                }
            }
        }
    }

    #[test]
    fn against_native() {
        for input in ["x", "[x", "[[[y", "[[", "", "[[[[[[[[z"] {
            let native = logged(|| native::Parser { toks: input.into(), at: 0 }.parse_any());
            let fiber = logged(|| run(fiber::Parser { toks: input.into(), at: 0 }.parse_any()));
            assert_eq!(native, fiber, "{input:?}");
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "deep: too slow under Miri")]
    fn deep() {
        let input: Vec<u8> = std::iter::repeat_n(b'[', 100_000).chain([b'x']).collect();
        let copy = input.clone();
        let fiber = run(fiber::Parser { toks: input, at: 0 }.parse_any());
        assert_eq!(fiber, on_big_stack(move || native::Parser { toks: copy, at: 0 }.parse_any()));
    }
}

/// A method taking `mut self` beside `&mut self` methods.
mod by_value_mut_self {
    use super::*;

    twins! {
        shared {
            pub struct Stack {
                pub xs: Vec<u64>,
            }
        }
        impl Stack {
            pub fn fill(&mut self, n: u64) {
                if n > 0 {
                    self.xs.push(log("push", n));
                    self.fill(n - 1);
                }
            }

            pub fn total(mut self) -> u64 {
                self.xs.push(0);
                self.xs.iter().sum()
            }
        }
    }

    #[test]
    fn against_native() {
        for n in 0..6 {
            let native = logged(|| {
                let mut s = native::Stack { xs: Vec::new() };
                s.fill(n);
                s.total()
            });
            let fiber = logged(|| {
                let mut s = fiber::Stack { xs: Vec::new() };
                run(s.fill(n));
                run(s.total())
            });
            assert_eq!(native, fiber, "n = {n}");
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "deep: too slow under Miri")]
    fn deep() {
        let mut s = fiber::Stack { xs: Vec::new() };
        run(s.fill(100_000));
        assert_eq!(run(s.total()), 100_000 * 100_001 / 2);
    }
}

/// Two `#[fiber] impl` blocks for one type in one module, each with a `&mut self` method making
/// a non-tail call.
mod two_impl_blocks {
    use super::*;

    pub struct Acc {
        pub n: u64,
    }

    mod native {
        use super::*;

        impl Acc {
            pub fn down(&mut self, k: u64) -> u64 {
                if k == 0 {
                    return self.n;
                }
                self.n += log("down", k);
                self.down(k - 1) % 1_000_003 + 1
            }
        }

        pub struct Other {
            pub n: u64,
        }

        impl Other {
            pub fn up(&mut self, k: u64) -> u64 {
                if k == 0 {
                    return self.n;
                }
                self.n = (self.n * 2 + log("up", k)) % 1_000_003;
                self.up(k - 1) % 1_000_003 + 1
            }
        }
    }

    pub struct Acc2 {
        pub n: u64,
    }

    #[fiber_runtime::fiber]
    impl Acc2 {
        pub fn down(&mut self, k: u64) -> u64 {
            if k == 0 {
                return self.n;
            }
            self.n += log("down", k);
            self.down(k - 1) % 1_000_003 + 1
        }
    }

    #[fiber_runtime::fiber]
    impl Acc2 {
        pub fn up(&mut self, k: u64) -> u64 {
            if k == 0 {
                return self.n;
            }
            self.n = (self.n * 2 + log("up", k)) % 1_000_003;
            self.up(k - 1) % 1_000_003 + 1
        }
    }

    #[test]
    fn against_native() {
        for k in 0..6 {
            let native = logged(|| (Acc { n: 1 }.down(k), native::Other { n: 3 }.up(k)));
            let fiber = logged(|| (run(Acc2 { n: 1 }.down(k)), run(Acc2 { n: 3 }.up(k))));
            assert_eq!(native, fiber, "k = {k}");
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "deep: too slow under Miri")]
    fn deep() {
        let fiber = (run(Acc2 { n: 1 }.down(100_000)), run(Acc2 { n: 3 }.up(100_000)));
        let native = on_big_stack(|| (Acc { n: 1 }.down(100_000), native::Other { n: 3 }.up(100_000)));
        assert_eq!(fiber, native);
    }
}

/// A generic `impl<W: Write>` whose two `&mut self` methods call each other and return
/// `io::Result<()>`.
mod generic_writer {
    use super::*;
    use std::io::Write;

    twins! {
        shared {
            pub struct Gen<W> {
                pub out: W,
            }
        }
        impl<W: std::io::Write> Gen<W> {
            pub fn open(&mut self, n: u32) -> std::io::Result<()> {
                if n == 0 {
                    return Ok(());
                }
                write!(self.out, "(")?;
                self.item(n - 1)?;
                write!(self.out, ")")
            }

            pub fn item(&mut self, n: u32) -> std::io::Result<()> {
                if n == 0 {
                    return Ok(());
                }
                write!(self.out, "{}", n % 10)?;
                self.open(n - 1)?;
                Ok(())
            }
        }
    }

    /// Fails after `left` bytes.
    pub struct Limited {
        pub left: usize,
        pub seen: Vec<u8>,
    }

    impl Write for Limited {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.left < buf.len() {
                return Err(std::io::Error::other("full"));
            }
            self.left -= buf.len();
            self.seen.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn native_gen<W: Write>(out: W, n: u32) -> (String, W) {
        let mut g = native::Gen { out };
        let r = g.open(n);
        (format!("{r:?}"), g.out)
    }

    fn fiber_gen<W: Write>(out: W, n: u32) -> (String, W) {
        let mut g = fiber::Gen { out };
        let r = run(g.open(n));
        (format!("{r:?}"), g.out)
    }

    #[test]
    fn against_native() {
        for n in 0..8 {
            assert_eq!(native_gen(Vec::new(), n), fiber_gen(Vec::new(), n));
            for left in 0..6 {
                let (nr, nl) = native_gen(Limited { left, seen: Vec::new() }, n);
                let (fr, fl) = fiber_gen(Limited { left, seen: Vec::new() }, n);
                assert_eq!((nr, nl.seen), (fr, fl.seen), "n = {n}, left = {left}");
            }
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "deep: too slow under Miri")]
    fn deep() {
        let (r, out) = fiber_gen(Vec::new(), 100_000);
        assert_eq!(r, "Ok(())");
        assert_eq!(out.len(), 150_000);
        assert_eq!(on_big_stack(|| native_gen(Vec::new(), 100_000)), ("Ok(())".to_string(), out));
    }
}

/// A local `&mut` picked by `if` under a `match &self.v` arm, then a call through it.
mod mut_picked_by_if {
    use super::*;

    twins! {
        shared {
            pub struct Tree {
                pub v: Option<u32>,
                pub l: Option<Box<Tree>>,
                pub r: Option<Box<Tree>>,
            }

            impl Drop for Tree {
                fn drop(&mut self) {
                    let mut stack: Vec<Box<Tree>> = self.l.take().into_iter().chain(self.r.take()).collect();
                    while let Some(mut t) = stack.pop() {
                        stack.extend(t.l.take());
                        stack.extend(t.r.take());
                    }
                }
            }
        }
        impl Tree {
            pub fn insert(&mut self, x: u32) {
                match &self.v {
                    None => self.v = Some(x),
                    Some(k) => {
                        let t = if x < *k { &mut self.l } else { &mut self.r };
                        match t {
                            None => *t = Some(Box::new(Tree { v: Some(log("leaf", x)), l: None, r: None })),
                            Some(n) => n.insert(x),
                        }
                    }
                }
            }

            pub fn in_order(&self, out: &mut Vec<u32>) {
                if let Some(l) = &self.l {
                    l.in_order(out);
                }
                out.extend(self.v);
                if let Some(r) = &self.r {
                    r.in_order(out);
                }
            }
        }
    }

    #[test]
    fn against_native() {
        let xs = [50, 20, 70, 10, 30, 60, 80, 25, 35, 5];
        let native = logged(|| {
            let mut t = native::Tree { v: None, l: None, r: None };
            xs.iter().for_each(|&x| t.insert(x));
            let mut out = Vec::new();
            t.in_order(&mut out);
            out
        });
        let fiber = logged(|| {
            let mut t = fiber::Tree { v: None, l: None, r: None };
            xs.iter().for_each(|&x| run(t.insert(x)));
            let mut out = Vec::new();
            run(t.in_order(&mut out));
            out
        });
        assert_eq!(native, fiber);
    }

    #[test]
    #[cfg_attr(miri, ignore = "deep: too slow under Miri")]
    fn deep() {
        // Ascending keys make a right spine: each insert walks the whole of it.
        let mut t = fiber::Tree { v: None, l: None, r: None };
        for x in 0..2_000 {
            run(t.insert(x));
        }
        let mut out = Vec::new();
        run(t.in_order(&mut out));
        assert!(out.iter().copied().eq(0..2_000));
        let mut spine = fiber::Tree { v: Some(0), l: None, r: None };
        let mut at = &mut spine;
        for x in 1..100_000 {
            at.r = Some(Box::new(fiber::Tree { v: Some(x), l: None, r: None }));
            at = at.r.as_mut().unwrap();
        }
        run(spine.insert(100_000));
        let mut out = Vec::new();
        run(spine.in_order(&mut out));
        assert!(out.iter().copied().eq(0..=100_000));
    }
}

/// A `&mut self` method matching on what a `&self` method of the group returns: a borrow of
/// `self`.
mod borrow_returned_by_a_shared_method {
    use super::*;

    twins! {
        shared {
            #[derive(Debug)]
            pub enum Tok {
                Num(i64),
                Neg,
                Plus,
            }

            pub struct Parser {
                pub toks: Vec<Tok>,
                pub at: usize,
            }
        }
        impl Parser {
            pub fn peek(&self) -> Option<&Tok> {
                self.toks.get(self.at)
            }

            /// `-` and `+` prefixes applied to a number: `- - 4`, `+ - 3`.
            pub fn expr(&mut self) -> Result<i64, String> {
                match self.peek() {
                    Some(Tok::Num(n)) => {
                        let n = *log("num", n);
                        self.at += 1;
                        Ok(n)
                    }
                    Some(Tok::Neg) => {
                        self.at += 1;
                        Ok(-self.expr()?)
                    }
                    Some(tok @ Tok::Plus) => {
                        log("plus", tok);
                        self.at += 1;
                        self.expr()
                    }
                    None => Err(format!("eof at {}", self.at)),
                }
            }
        }
    }

    fn native_toks(ops: &[u8]) -> Vec<native::Tok> {
        ops.iter()
            .map(|&o| match o {
                0 => native::Tok::Neg,
                1 => native::Tok::Plus,
                n => native::Tok::Num(i64::from(n)),
            })
            .collect()
    }

    fn fiber_toks(ops: &[u8]) -> Vec<fiber::Tok> {
        ops.iter()
            .map(|&o| match o {
                0 => fiber::Tok::Neg,
                1 => fiber::Tok::Plus,
                n => fiber::Tok::Num(i64::from(n)),
            })
            .collect()
    }

    #[test]
    fn against_native() {
        for ops in [&[5][..], &[0, 0, 0, 4], &[1, 0, 1, 9], &[0, 1], &[], &[7, 0]] {
            let native = logged(|| native::Parser { toks: native_toks(ops), at: 0 }.expr());
            let fiber = logged(|| run(fiber::Parser { toks: fiber_toks(ops), at: 0 }.expr()));
            assert_eq!(native, fiber, "{ops:?}");
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "deep: too slow under Miri")]
    fn deep() {
        let ops: Vec<u8> = (0..100_000).map(|i| (i % 2) as u8).chain([3]).collect();
        let copy = ops.clone();
        let fiber = run(fiber::Parser { toks: fiber_toks(&ops), at: 0 }.expr());
        assert_eq!(fiber, on_big_stack(move || native::Parser { toks: native_toks(&copy), at: 0 }.expr()));
    }
}

/// A by-value method called on a `Box` of the type, which moves the value out of the box as
/// native method calls do.
mod boxed_by_value_receiver {
    use super::*;

    twins! {
        shared {
            pub struct List(pub u64, pub Option<Box<List>>);

            impl List {
                pub fn build(n: u64) -> List {
                    (1..=n).fold(List(0, None), |tail, v| List(v, Some(Box::new(tail))))
                }
            }
        }
        impl List {
            pub fn sum(self) -> u64 {
                let List(v, next) = self;
                match next {
                    Some(next) => log("v", v) + next.sum(),
                    None => v,
                }
            }
        }
    }

    #[test]
    fn against_native() {
        for n in 0..6 {
            assert_eq!(logged(|| native::List::build(n).sum()), logged(|| run(fiber::List::build(n).sum())));
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "deep: too slow under Miri")]
    fn deep() {
        // Consumed as it is walked: each node is dropped when its method's frame ends.
        assert_eq!(run(fiber::List::build(100_000).sum()), 100_000 * 100_001 / 2);
    }
}
