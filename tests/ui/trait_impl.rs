use fiber_runtime::fiber;

trait Depth {
    fn depth(&self) -> usize;
}

struct Node(Option<Box<Node>>);

#[fiber]
impl Depth for Node {
    fn depth(&self) -> usize {
        match &self.0 {
            Some(next) => 1 + next.depth(),
            None => 0,
        }
    }
}

fn main() {}
