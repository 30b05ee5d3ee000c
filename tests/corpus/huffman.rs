//! Huffman coding: the code table collected into a `HashMap` by a walk that pushes and pops bits
//! on a shared `&mut String` (`if let .. else if let`), and a decoder that walks the tree bit by
//! bit in tail calls (`let ... else { return Err(..) }`, a `match` on the bit that returns early
//! on a bad one), 100,000 chars (over 400,000 levels) deep. (The table printed by a
//! `#[fiber] impl<W: Write>`, with `{prefix}` captured in `writeln!`, is in
//! `tests/corpus_pending/huffman_writer.rs`.)

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use crate::common::on_big_stack;
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
/// code table and the round trip.
fn both(text: &str) -> (HashMap<char, String>, String) {
    let tree = build(text).unwrap();
    let (mut tn, mut tf) = (HashMap::new(), HashMap::new());
    native::table(&tree, &mut String::new(), &mut tn);
    run(fiber::table(&tree, &mut String::new(), &mut tf));
    assert_eq!(tn, tf);
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
    (tf, round)
}

#[test]
fn huffman_matches_native() {
    let (table, round) = both("abracadabra");
    let expected = [('a', "0"), ('c', "100"), ('d', "101"), ('b', "110"), ('r', "111")];
    assert_eq!(table, expected.iter().map(|&(c, code)| (c, code.to_string())).collect());
    assert_eq!(round, "abracadabra");
    let tree = build("aab").unwrap();
    let mut out = String::new();
    assert_eq!(run(fiber::decode(&tree, &tree, b"0120", &mut out)), Err("bad bit '2'".to_string()));
    assert_eq!(out, "ba");
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
