use fiber_runtime::fiber;

#[fiber]
fn f(n: u64) -> u64 {
    match n {
        0 => 0,
        k if f(k - 1) > 3 => 1,
        _ => 2,
    }
}

fn main() {}
