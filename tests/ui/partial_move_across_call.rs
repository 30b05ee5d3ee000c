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

// A `Copy` field is copied: this compiles.
#[fiber]
fn keys(n: Box<Node>, depth: u32) -> i32 {
    let key = n.key;
    let below = if depth > 0 { keys(Box::new(Node { key: key - 1, left: None, right: None }), depth - 1) } else { 0 };
    below + key + n.key
}

fn main() {}
