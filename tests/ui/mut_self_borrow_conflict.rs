use fiber_runtime::fiber;

struct Node {
    hits: u64,
    children: Vec<Node>,
}

// Natively rejected (E0502): `first` borrows `self.children` while `child.bump()` needs it
// mutably. The shadow copy reports it as native code would.
#[fiber]
impl Node {
    fn bump(&mut self) -> u64 {
        let first = &self.children[0];
        for child in &mut self.children {
            child.bump();
        }
        first.hits
    }
}

fn main() {}
