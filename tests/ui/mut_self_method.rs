use fiber_runtime::fiber;

struct Node {
    hits: u64,
    children: Vec<Node>,
}

#[fiber]
impl Node {
    fn bump(&mut self) {
        self.hits += 1;
        for child in &mut self.children {
            child.bump();
        }
    }
}

fn main() {}
