use fiber_runtime::fiber;

#[fiber]
fn f(n: u64) -> u64 {
    if n == 0 { 0 } else { f(n - 1, 2) }
}

fn main() {}
