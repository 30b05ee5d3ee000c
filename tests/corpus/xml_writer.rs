//! An XML writer generic over its sink: `#[fiber] impl<W: Write> XmlWriter<W>` with
//! `io::Result<()>` methods, `write!`/`writeln!` with `?`, `return writeln!(..)` for empty
//! elements, a slice pattern (`if let [Content::Text(t)] = ..`) for text-only elements, text
//! escaping in a helper method of the group that receives a reference from another method
//! (`self.escape(t)`), and a pretty (indented) and a compact form. A sink that fails after a byte
//! budget checks that an error stops both twins at the same byte.

use std::io::{self, Write};

use crate::common::{log, logged, on_big_stack};
use fiber_runtime::run;
use proptest::prelude::*;

pub enum Content {
    Text(String),
    Elem(Element),
}

pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Content>,
}

/// Iterative, so that a 100,000-deep document drops.
impl Drop for Element {
    fn drop(&mut self) {
        let mut stack = std::mem::take(&mut self.children);
        while let Some(child) = stack.pop() {
            if let Content::Elem(mut e) = child {
                stack.append(&mut e.children);
            }
        }
    }
}

fn el(name: &str, attrs: &[(&str, &str)], children: Vec<Content>) -> Content {
    let attrs = attrs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Content::Elem(Element { name: name.to_string(), attrs, children })
}

fn text(t: &str) -> Content {
    Content::Text(t.to_string())
}

/// A sink that fails once `budget` bytes are written.
pub struct Limited {
    pub buf: Vec<u8>,
    pub budget: usize,
}

impl Write for Limited {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buf.len() >= self.budget {
            return Err(io::Error::new(io::ErrorKind::WriteZero, "budget spent"));
        }
        let n = data.len().min(self.budget - self.buf.len());
        self.buf.extend_from_slice(&data[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

twins! {
    shared {
        pub struct XmlWriter<W> {
            pub out: W,
            pub elements: usize,
        }

        impl<W: std::io::Write> XmlWriter<W> {
            pub fn new(out: W) -> Self {
                XmlWriter { out, elements: 0 }
            }
        }
    }

    impl<W: Write> XmlWriter<W> {
        pub fn pretty(&mut self, el: &Element, depth: usize) -> io::Result<()> {
            let pad = "  ".repeat(depth);
            write!(self.out, "{pad}<{}", el.name)?;
            self.attributes(&el.attrs)?;
            self.elements += 1;
            if el.children.is_empty() {
                return writeln!(self.out, "/>");
            }
            if let [Content::Text(t)] = el.children.as_slice() {
                write!(self.out, ">")?;
                self.escape(t)?;
                return writeln!(self.out, "</{}>", el.name);
            }
            writeln!(self.out, ">")?;
            for child in &el.children {
                match child {
                    Content::Text(t) if t.trim().is_empty() => continue,
                    Content::Text(t) => {
                        write!(self.out, "{pad}  ")?;
                        self.escape(t.trim())?;
                        writeln!(self.out)?;
                    }
                    Content::Elem(e) => self.pretty(e, depth + 1)?,
                }
            }
            writeln!(self.out, "{pad}</{}>", log("close", &el.name))
        }

        pub fn compact(&mut self, el: &Element) -> io::Result<()> {
            write!(self.out, "<{}", el.name)?;
            self.attributes(&el.attrs)?;
            self.elements += 1;
            if el.children.is_empty() {
                return write!(self.out, "/>");
            }
            write!(self.out, ">")?;
            for child in el.children.iter() {
                if let Content::Elem(e) = child {
                    self.compact(e)?;
                } else if let Content::Text(t) = child {
                    self.escape(t)?;
                }
            }
            write!(self.out, "</{}>", el.name)
        }

        fn attributes(&mut self, attrs: &[(String, String)]) -> io::Result<()> {
            for (key, value) in attrs {
                write!(self.out, " {key}=\"")?;
                self.escape(value)?;
                write!(self.out, "\"")?;
            }
            Ok(())
        }

        fn escape(&mut self, text: &str) -> io::Result<()> {
            for ch in text.chars() {
                match ch {
                    '<' => self.out.write_all(b"&lt;")?,
                    '>' => self.out.write_all(b"&gt;")?,
                    '&' => self.out.write_all(b"&amp;")?,
                    '"' => self.out.write_all(b"&quot;")?,
                    c => write!(self.out, "{c}")?,
                }
            }
            Ok(())
        }
    }
}

fn sample() -> Element {
    let Content::Elem(root) = el(
        "catalog",
        &[("version", "1.0"), ("owner", "Tom & \"Jerry\"")],
        vec![
            text("\n  "),
            el(
                "book",
                &[("id", "b1")],
                vec![el("title", &[], vec![text("Rust <2024>")]), el("price", &[], vec![text("39")])],
            ),
            el(
                "book",
                &[("id", "b2")],
                vec![el("title", &[], vec![text("Fibers")]), el("draft", &[], vec![])],
            ),
            text("  trailing note  "),
            el("empty", &[], vec![]),
        ],
    ) else {
        unreachable!()
    };
    root
}

const EXPECTED: &str = "\
<catalog version=\"1.0\" owner=\"Tom &amp; &quot;Jerry&quot;\">
  <book id=\"b1\">
    <title>Rust &lt;2024&gt;</title>
    <price>39</price>
  </book>
  <book id=\"b2\">
    <title>Fibers</title>
    <draft/>
  </book>
  trailing note
  <empty/>
</catalog>
";

#[test]
fn xml_writer_matches_native() {
    let doc = sample();
    let n = logged(|| {
        let mut w = native::XmlWriter::new(Vec::new());
        w.pretty(&doc, 0).unwrap();
        (String::from_utf8(w.out).unwrap(), w.elements)
    });
    let f = logged(|| {
        let mut w = fiber::XmlWriter::new(Vec::new());
        run(w.pretty(&doc, 0)).unwrap();
        (String::from_utf8(w.out).unwrap(), w.elements)
    });
    assert_eq!(n, f);
    assert_eq!(f.0.0, EXPECTED);
    assert_eq!(f.0.1, 8);

    let mut n = native::XmlWriter::new(Vec::new());
    n.compact(&doc).unwrap();
    let mut f = fiber::XmlWriter::new(Vec::new());
    run(f.compact(&doc)).unwrap();
    assert_eq!(n.out, f.out);
    assert!(f.out.starts_with(
        b"<catalog version=\"1.0\" owner=\"Tom &amp; &quot;Jerry&quot;\">\n  <book id=\"b1\"><title>"
    ));
}

fn limited_pretty(budget: usize) -> ((Vec<u8>, io::ErrorKind), (Vec<u8>, io::ErrorKind)) {
    let doc = sample();
    let mut n = native::XmlWriter::new(Limited { buf: Vec::new(), budget });
    let en = n.pretty(&doc, 0).unwrap_err().kind();
    let mut f = fiber::XmlWriter::new(Limited { buf: Vec::new(), budget });
    let ef = run(f.pretty(&doc, 0)).unwrap_err().kind();
    ((n.out.buf, en), (f.out.buf, ef))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]
    #[test]
    fn xml_writer_failing_sink_matches_native(budget in 0usize..220) {
        let (n, f) = limited_pretty(budget);
        prop_assert_eq!(&n, &f);
        prop_assert_eq!(f.0.len(), budget);
    }
}

/// `<d0 i="0"><d1 i="1">..<leaf/>..</d1></d0>`, `depth` elements around a leaf.
fn nested(depth: usize) -> Element {
    let mut inner = Element { name: "leaf".to_string(), attrs: Vec::new(), children: Vec::new() };
    for i in (0..depth).rev() {
        inner = Element {
            name: format!("d{}", i % 10),
            attrs: vec![("i".to_string(), i.to_string())],
            children: vec![text("<"), Content::Elem(inner)],
        };
    }
    inner
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn xml_writer_100_000_deep() {
    const DEEP: usize = 100_000;
    let doc = nested(DEEP);
    let mut f = fiber::XmlWriter::new(Vec::new());
    run(f.compact(&doc)).unwrap();
    assert_eq!(f.elements, DEEP + 1);
    assert!(f.out.starts_with(b"<d0 i=\"0\">&lt;<d1 i=\"1\">&lt;<d2"));
    assert!(f.out.ends_with(b"</d9></d8></d7></d6></d5></d4></d3></d2></d1></d0>"));
    let (native, doc) = on_big_stack(move || {
        let mut n = native::XmlWriter::new(Vec::new());
        n.compact(&doc).unwrap();
        (n.out, doc)
    });
    assert_eq!(native, f.out);
    // A failing sink stops the deep walk halfway, with the same bytes written.
    let budget = f.out.len() / 2;
    let mut f = fiber::XmlWriter::new(Limited { buf: Vec::new(), budget });
    assert_eq!(run(f.compact(&doc)).unwrap_err().kind(), io::ErrorKind::WriteZero);
    assert_eq!(f.out.buf[..], native[..budget]);
}
