use fiber_runtime::fiber;

#[fiber]
fn f<T: Copy>(x: T, n: u64) -> u64 {
    if n == 0 { 0 } else { f::<T>(x, n - 1) }
}

fn main() {}
