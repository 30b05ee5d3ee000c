use fiber_runtime::fiber;

#[fiber]
fn sum(n: u64) -> u64 {
    (0..n).map(|k| sum(k)).sum()
}

fn main() {}
