use fiber_runtime::fiber;

struct Tree;

impl Tree {
    #[fiber]
    fn size(&self) -> u64 {
        1
    }
}

fn main() {}
