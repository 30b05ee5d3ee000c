//! A generic pretty-printer over any `W: std::io::Write`: a `#[fiber] impl<W: Write>` with
//! `write!(self.out, ..)?` in `io::Result` methods, printing a directory-like tree indented, and
//! as a compact s-expression.

use std::io::{self, Write};

use crate::common::{Node, on_big_stack};
use fiber_runtime::run;

/// A writer that fails after `budget` bytes, to check that errors stop the walk the same way.
pub struct Limited {
    pub buf: Vec<u8>,
    pub budget: usize,
}

impl Write for Limited {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buf.len() + data.len() > self.budget {
            return Err(io::Error::other("disk full"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

twins! {
    shared {
        pub struct Printer<W: std::io::Write> {
            pub out: W,
            pub indent: usize,
            pub lines: usize,
        }

        impl<W: std::io::Write> Printer<W> {
            pub fn new(out: W) -> Self {
                Printer { out, indent: 2, lines: 0 }
            }
        }
    }

    impl<W> Printer<W>
    where
        W: Write,
    {
        pub fn tree(&mut self, node: &Node, depth: usize) -> io::Result<()> {
            let marker = if node.children.is_empty() { "-" } else { "+" };
            writeln!(self.out, "{:width$}{marker} {}", "", node.value, width = depth * self.indent)?;
            self.lines += 1;
            for child in &node.children {
                self.tree(child, depth + 1)?;
            }
            Ok(())
        }

        pub fn sexp(&mut self, node: &Node) -> io::Result<()> {
            if node.children.is_empty() {
                return write!(self.out, "{}", node.value);
            }
            write!(self.out, "({}", node.value)?;
            for child in node.children.iter() {
                write!(self.out, " ")?;
                self.sexp(child)?;
            }
            write!(self.out, ")")
        }
    }
}

fn sample() -> Node {
    let n = |value, children| Node { value, children };
    n(1, vec![n(2, vec![n(3, vec![]), n(4, vec![])]), n(5, vec![n(6, vec![n(7, vec![])])]), n(8, vec![])])
}

#[test]
fn pretty_print_matches_native() {
    let t = sample();
    let mut a = native::Printer::new(Vec::new());
    a.tree(&t, 0).unwrap();
    a.sexp(&t).unwrap();
    let mut b = fiber::Printer::new(Vec::new());
    run(b.tree(&t, 0)).unwrap();
    run(b.sexp(&t)).unwrap();
    assert_eq!(String::from_utf8(a.out).unwrap(), String::from_utf8(b.out.clone()).unwrap());
    assert_eq!(a.lines, b.lines);
    assert!(String::from_utf8(b.out).unwrap().starts_with("+ 1\n  + 2\n    - 3\n"));
    for budget in [0, 5, 17, 30, 1000] {
        let mut a = native::Printer::new(Limited { buf: Vec::new(), budget });
        let mut b = fiber::Printer::new(Limited { buf: Vec::new(), budget });
        let ra = a.tree(&t, 0).map_err(|e| e.to_string());
        let rb = run(b.tree(&t, 0)).map_err(|e| e.to_string());
        assert_eq!((ra, a.out.buf, a.lines), (rb, b.out.buf, b.lines));
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn pretty_print_100_000_deep() {
    const DEEP: u64 = 100_000;
    let t = Node::path(DEEP, 1);
    let mut p = fiber::Printer::new(Vec::new());
    run(p.sexp(&t)).unwrap();
    let expected = on_big_stack(move || {
        let mut p = native::Printer::new(Vec::new());
        p.sexp(&Node::path(DEEP, 1)).unwrap();
        p.out
    });
    assert_eq!(p.out, expected);
    // Indented, 1,000 deep (the output grows with the square of the depth).
    let t = Node::path(1_000, 1);
    let mut p = fiber::Printer::new(io::sink());
    run(p.tree(&t, 0)).unwrap();
    assert_eq!(p.lines, 1_999);
}
