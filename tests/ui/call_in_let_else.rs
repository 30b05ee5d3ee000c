use fiber_runtime::fiber;

#[fiber]
fn f(n: Option<u64>) -> u64 {
    let Some(k) = n else { return f(Some(0)) };
    k
}

fn main() {}
