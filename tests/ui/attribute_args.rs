use fiber_runtime::fiber;

#[fiber(fast)]
fn f(n: u64) -> u64 {
    n
}

fn main() {}
