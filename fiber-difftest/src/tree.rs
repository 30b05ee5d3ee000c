//! Generated code as text with marked holes: every generated statement and expression is a
//! [`Hole`] that the reducer may replace by a simpler piece of the same kind.

use std::fmt::Write;

/// The type of an expression, as far as the generator and the reducer care.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ty {
    I64,
    Bool,
    /// The fn's declared return type, where that is not `i64` or `bool`.
    Out,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// A statement; removing it (replacing it by nothing) keeps the code well-formed.
    Stmt,
    /// An expression of this type.
    Expr(Ty),
}

#[derive(Clone, Debug)]
pub enum Node {
    Text(String),
    Seq(Vec<Node>),
    Hole(Box<Hole>),
}

#[derive(Clone, Debug)]
pub struct Hole {
    pub kind: Kind,
    /// How many `fuel` guards enclose the hole: a piece may only move to a place with as many
    /// guards around it, or a recursive call could run with `fuel == 0`.
    pub guards: u32,
    /// The simplest code of the same kind: nothing for a statement, a literal for an expression.
    pub fallback: String,
    pub node: Node,
}

impl From<&str> for Node {
    fn from(text: &str) -> Node {
        Node::Text(text.to_string())
    }
}

impl From<String> for Node {
    fn from(text: String) -> Node {
        Node::Text(text)
    }
}

/// `code![a, b, ..]`: the concatenation of pieces (`&str`, `String` or [`Node`]).
#[macro_export]
macro_rules! code {
    ($($piece:expr),* $(,)?) => {
        $crate::tree::Node::Seq(vec![$($crate::tree::Node::from($piece)),*])
    };
}

impl Node {
    pub fn hole(kind: Kind, guards: u32, fallback: &str, node: Node) -> Node {
        Node::Hole(Box::new(Hole { kind, guards, fallback: fallback.to_string(), node }))
    }

    pub fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Node::Text(text) => {
                // Keep tokens apart: `a` `b` must not print as `ab`.
                if out.ends_with(|c: char| c.is_alphanumeric() || c == '_')
                    && text.starts_with(|c: char| c.is_alphanumeric() || c == '_')
                {
                    out.push(' ');
                }
                let _ = write!(out, "{text}");
            }
            Node::Seq(nodes) => nodes.iter().for_each(|n| n.write(out)),
            Node::Hole(hole) => hole.node.write(out),
        }
    }

    /// The holes in preorder (a hole before the holes inside it).
    pub fn holes(&self) -> Vec<&Hole> {
        let mut holes = Vec::new();
        self.collect(&mut holes);
        holes
    }

    fn collect<'a>(&'a self, holes: &mut Vec<&'a Hole>) {
        match self {
            Node::Text(_) => {}
            Node::Seq(nodes) => nodes.iter().for_each(|n| n.collect(holes)),
            Node::Hole(hole) => {
                holes.push(hole);
                hole.node.collect(holes);
            }
        }
    }

    /// A copy with hole number `index` (in [`Node::holes`] order) replaced by `with`.
    pub fn replace(&self, index: usize, with: &Node) -> Node {
        let mut counter = 0;
        self.replace_at(&mut counter, index, with)
    }

    fn replace_at(&self, counter: &mut usize, index: usize, with: &Node) -> Node {
        match self {
            Node::Text(_) => self.clone(),
            Node::Seq(nodes) => Node::Seq(nodes.iter().map(|n| n.replace_at(counter, index, with)).collect()),
            Node::Hole(hole) => {
                let here = *counter;
                *counter += 1;
                if here == index {
                    // Skip the numbers of the holes inside the replaced one.
                    *counter += hole.node.holes().len();
                    with.clone()
                } else {
                    let node = hole.node.replace_at(counter, index, with);
                    Node::Hole(Box::new(Hole { node, ..(**hole).clone() }))
                }
            }
        }
    }

    /// Every program one step simpler and shorter than this one: a hole replaced by its
    /// fallback, or an expression replaced by an expression of the same type inside it.
    /// Shortest first.
    pub fn simplifications(&self) -> Vec<Node> {
        let holes = self.holes();
        let mut out = Vec::new();
        for (i, hole) in holes.iter().enumerate() {
            if hole.node.text() != hole.fallback {
                let fallback =
                    Node::hole(hole.kind, hole.guards, &hole.fallback, Node::from(hole.fallback.as_str()));
                out.push(self.replace(i, &fallback));
            }
            if let Kind::Expr(_) = hole.kind {
                for inner in hole.node.holes() {
                    if inner.kind == hole.kind && inner.guards == hole.guards {
                        out.push(self.replace(i, &Node::Hole(Box::new(inner.clone()))));
                    }
                }
            }
        }
        let size = self.text().len();
        let mut keyed: Vec<(usize, String, Node)> = out
            .into_iter()
            .map(|n| (n.text().len(), n.text(), n))
            .filter(|(len, _, _)| *len < size)
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        keyed.dedup_by(|a, b| a.1 == b.1);
        keyed.into_iter().map(|(_, _, n)| n).collect()
    }
}
