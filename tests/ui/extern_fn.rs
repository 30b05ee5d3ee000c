use fiber_runtime::fiber;

#[fiber]
unsafe extern "C" fn f(n: u64, _: ...) -> u64 {
    if n == 0 { 0 } else { f(n - 1) }
}

fn main() {}
