use fiber_runtime::fiber;

#[fiber]
fn f(n: u64) -> impl std::fmt::Display {
    n
}

fn main() {}
