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

fn main() {}
