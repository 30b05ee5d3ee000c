use fiber_runtime::fiber;

#[fiber]
mod walk {
    pub fn count<T: Clone>(xs: &[T]) -> usize {
        if xs.is_empty() { 0 } else { 1 + skip(&xs[1..]) }
    }

    pub fn skip(xs: &[u8], show: impl std::fmt::Display) -> usize {
        if xs.is_empty() { 0 } else { count(&xs[1..]) }
    }
}

pub struct Tree(Vec<Tree>);

// The same in an impl of several methods: a fold over the tree with its own accumulator type.
#[fiber]
impl Tree {
    pub fn fold<A>(&self, acc: A, f: &mut impl FnMut(A) -> A) -> A {
        let acc = f(acc);
        self.size();
        acc
    }

    pub fn size(&self) -> usize {
        1 + self.0.len()
    }
}

fn main() {}
