use fiber_runtime::fiber;

#[fiber]
fn f(n: u64) -> u64 {
    let _future = async { f(n - 1) };
    n
}

fn main() {}
