use fiber_runtime::fiber;

pub struct Node {
    key: i32,
    left: Option<Box<Node>>,
    right: Option<Box<Node>>,
}

// The field moves into the call, and `node` is put back together after it: natively valid, but
// the call keeps `node`, which cannot move into the heap frame partly moved.
#[fiber]
fn insert(link: Option<Box<Node>>, key: i32) -> Option<Box<Node>> {
    match link {
        None => Some(Box::new(Node { key, left: None, right: None })),
        Some(mut node) => {
            if key < node.key {
                node.left = insert(node.left, key);
            } else {
                node.right = insert(node.right.take(), key);
            }
            Some(node)
        }
    }
}

// The same through an `if let`.
#[fiber]
fn bump(mut n: Box<Node>) -> Box<Node> {
    n.key += 1;
    if let Some(next) = n.right {
        n.right = Some(bump(next));
    }
    n
}

pub struct Named {
    n: u64,
    name: String,
}

fn consume(s: String) -> u64 {
    s.len() as u64
}

// Fields moved into a plain fn's argument and into a struct literal passed to the call, with
// `p` read after the call.
#[fiber]
fn names(p: Named, depth: u64) -> u64 {
    if depth == 0 {
        return p.n;
    }
    let len = consume(p.name);
    let r = names(Named { n: 0, name: String::new() }, depth - 1);
    r + len + p.n
}

#[fiber]
fn rename(p: Named, depth: u64) -> u64 {
    if depth == 0 {
        return p.n;
    }
    rename(Named { n: 1, name: p.name }, depth - 1) + p.n
}

// A `Copy` field is copied: this compiles.
#[fiber]
fn keys(n: Box<Node>, depth: u32) -> i32 {
    let key = n.key;
    let below = if depth > 0 { keys(Box::new(Node { key: key - 1, left: None, right: None }), depth - 1) } else { 0 };
    below + key + n.key
}

fn main() {}
