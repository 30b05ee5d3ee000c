//! Huffman coding: a code table built by pushing and popping bits on a `&mut String`, printed by a
//! `#[fiber] impl<W: Write> CodeWriter<W>` whose `&mut self` method returns `io::Result<()>`,
//! pushes and pops bits on a shared `prefix: &mut String` around `self.codes(..)?` and prints
//! each leaf with `writeln!(self.out, "{c:?} {w} {prefix}")` (a `&mut` parameter captured inline
//! by a format string); and a decoder that walks the tree bit by bit in tail calls.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::io::{self, Write};

use crate::common::{logged, on_big_stack};
use fiber_runtime::run;
use proptest::prelude::*;

#[derive(Debug)]
pub enum Huff {
    Leaf(char, usize),
    Node(Box<Huff>, Box<Huff>, usize),
}

impl Huff {
    fn weight(&self) -> usize {
        match self {
            Huff::Leaf(_, w) | Huff::Node(_, _, w) => *w,
        }
    }
}

/// The Huffman tree of `text` (ties broken by first appearance, then by creation order).
fn build(text: &str) -> Option<Huff> {
    let mut order: Vec<char> = Vec::new();
    let mut counts: HashMap<char, usize> = HashMap::new();
    for c in text.chars() {
        if !counts.contains_key(&c) {
            order.push(c);
        }
        *counts.entry(c).or_default() += 1;
    }
    let mut nodes: Vec<Option<Huff>> = order.iter().map(|&c| Some(Huff::Leaf(c, counts[&c]))).collect();
    let mut heap: BinaryHeap<Reverse<(usize, usize)>> =
        nodes.iter().enumerate().map(|(i, n)| Reverse((n.as_ref().unwrap().weight(), i))).collect();
    while heap.len() > 1 {
        let Reverse((_, a)) = heap.pop().unwrap();
        let Reverse((_, b)) = heap.pop().unwrap();
        let (a, b) = (nodes[a].take().unwrap(), nodes[b].take().unwrap());
        let w = a.weight() + b.weight();
        nodes.push(Some(Huff::Node(Box::new(a), Box::new(b), w)));
        heap.push(Reverse((w, nodes.len() - 1)));
    }
    let Reverse((_, root)) = heap.pop()?;
    nodes[root].take()
}

twins! {
    shared {
        pub struct CodeWriter<W> {
            pub out: W,
            pub leaves: usize,
        }
    }

    impl<W: Write> CodeWriter<W> {
        pub fn codes(&mut self, node: &Huff, prefix: &mut String) -> io::Result<()> {
            match node {
                Huff::Leaf(c, w) => {
                    self.leaves += 1;
                    writeln!(self.out, "{c:?} {w} {prefix}")
                }
                Huff::Node(zero, one, _) => {
                    prefix.push('0');
                    self.codes(zero, prefix)?;
                    prefix.pop();
                    prefix.push('1');
                    let result = self.codes(one, prefix);
                    prefix.pop();
                    result
                }
            }
        }
    }

    pub fn table(node: &Huff, prefix: &mut String, map: &mut HashMap<char, String>) {
        if let Huff::Node(zero, one, _) = node {
            prefix.push('0');
            table(zero, prefix, map);
            prefix.pop();
            prefix.push('1');
            table(one, prefix, map);
            prefix.pop();
        } else if let Huff::Leaf(c, _) = node {
            map.insert(*c, prefix.clone());
        }
    }

    pub fn decode(root: &Huff, node: &Huff, bits: &[u8], out: &mut String) -> Result<(), String> {
        match node {
            Huff::Leaf(c, _) => {
                out.push(*c);
                if bits.is_empty() { Ok(()) } else { decode(root, root, bits, out) }
            }
            Huff::Node(zero, one, _) => {
                let Some((&bit, rest)) = bits.split_first() else {
                    return Err(format!("truncated code after {} chars", out.chars().count()));
                };
                let next = match bit {
                    b'0' => zero,
                    b'1' => one,
                    other => return Err(format!("bad bit {:?}", other as char)),
                };
                decode(root, next, rest, out)
            }
        }
    }
}

fn encode(text: &str, map: &HashMap<char, String>) -> String {
    text.chars().map(|c| map[&c].as_str()).collect()
}

/// Runs both twins on `text` (at least two distinct chars), checks they agree, and returns the
/// printed table and the round trip.
fn both(text: &str) -> (String, String) {
    let tree = build(text).unwrap();
    let n = logged(|| {
        let mut w = native::CodeWriter { out: Vec::new(), leaves: 0 };
        w.codes(&tree, &mut String::new()).unwrap();
        (String::from_utf8(w.out).unwrap(), w.leaves)
    });
    let f = logged(|| {
        let mut w = fiber::CodeWriter { out: Vec::new(), leaves: 0 };
        run(w.codes(&tree, &mut String::new())).unwrap();
        (String::from_utf8(w.out).unwrap(), w.leaves)
    });
    assert_eq!(n, f);
    let (mut tn, mut tf) = (HashMap::new(), HashMap::new());
    native::table(&tree, &mut String::new(), &mut tn);
    run(fiber::table(&tree, &mut String::new(), &mut tf));
    assert_eq!(tn, tf);
    assert_eq!(tf.len(), f.0.1);
    let bits = encode(text, &tf);
    let mut dn = String::new();
    let mut df = String::new();
    assert_eq!(
        native::decode(&tree, &tree, bits.as_bytes(), &mut dn),
        run(fiber::decode(&tree, &tree, bits.as_bytes(), &mut df))
    );
    assert_eq!(dn, df);
    // Cut the last bit: unless it ended a one-bit code, the code is truncated.
    let mut dn = String::new();
    let mut df = String::new();
    let cut = &bits.as_bytes()[..bits.len() - 1];
    assert_eq!(native::decode(&tree, &tree, cut, &mut dn), run(fiber::decode(&tree, &tree, cut, &mut df)));
    assert_eq!(dn, df);
    let mut round = String::new();
    run(fiber::decode(&tree, &tree, bits.as_bytes(), &mut round)).unwrap();
    (f.0.0, round)
}

/// A sink that fails after `budget` bytes.
struct Limited(Vec<u8>, usize);

impl Write for Limited {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.0.len() + data.len() > self.1 {
            return Err(io::Error::other("full"));
        }
        self.0.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn huffman_matches_native() {
    let (table, round) = both("abracadabra");
    assert_eq!(table, "'a' 5 0\n'c' 1 100\n'd' 1 101\n'b' 2 110\n'r' 2 111\n");
    assert_eq!(round, "abracadabra");
    let tree = build("aab").unwrap();
    let mut out = String::new();
    assert_eq!(run(fiber::decode(&tree, &tree, b"0120", &mut out)), Err("bad bit '2'".to_string()));
    assert_eq!(out, "ba");
    // A failing sink: the prefix keeps the bit pushed before the failing `?`, in both twins.
    let tree = build("abracadabra").unwrap();
    let mut n = native::CodeWriter { out: Limited(Vec::new(), 20), leaves: 0 };
    let mut prefix_n = String::new();
    let en = n.codes(&tree, &mut prefix_n).unwrap_err().to_string();
    let mut f = fiber::CodeWriter { out: Limited(Vec::new(), 20), leaves: 0 };
    let mut prefix_f = String::new();
    let ef = run(f.codes(&tree, &mut prefix_f)).unwrap_err().to_string();
    assert_eq!((en, &n.out.0, n.leaves, &prefix_n), (ef, &f.out.0, f.leaves, &prefix_f));
    assert_eq!(prefix_f, "1");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn huffman_random_matches_native(text in "[a-f ]{0,40}") {
        let text = format!("xy{text}");
        let (_, round) = both(&text);
        prop_assert_eq!(round, text);
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn huffman_decode_100_000_chars() {
    const DEEP: usize = 100_000;
    let text: String = "the quick brown fox jumps over the lazy dog ".chars().cycle().take(DEEP).collect();
    let tree = build(&text).unwrap();
    let mut map = HashMap::new();
    run(fiber::table(&tree, &mut String::new(), &mut map));
    let bits = encode(&text, &map);
    assert!(bits.len() > 4 * DEEP);
    let mut out = String::new();
    run(fiber::decode(&tree, &tree, bits.as_bytes(), &mut out)).unwrap();
    assert_eq!(out, text);
    let native = on_big_stack(move || {
        let mut out = String::new();
        native::decode(&tree, &tree, bits.as_bytes(), &mut out).map(|()| out)
    });
    assert_eq!(native, Ok(text));
}
