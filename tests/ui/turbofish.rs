use fiber_runtime::fiber;

#[fiber]
fn f<T: Copy>(x: T, n: u64) -> u64 {
    if n == 0 { 0 } else { f::<u8>(7, n - 1) }
}

fn main() {}
