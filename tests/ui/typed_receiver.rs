use fiber_runtime::fiber;

struct Node(Option<Box<Node>>);

#[fiber]
impl Node {
    fn depth(self: Box<Self>) -> usize {
        match self.0 {
            Some(next) => 1 + next.depth(),
            None => 0,
        }
    }
}

fn main() {}
