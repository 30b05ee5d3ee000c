use fiber_runtime::fiber;

#[fiber]
fn count(n: u64) -> u64 {
    let self = n * 2;
    if n == 0 { 0 } else { count(n - 1) + 1 }
}

fn main() {}
