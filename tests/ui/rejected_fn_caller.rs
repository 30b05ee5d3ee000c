// A caller of a rejected fn sees the signature it expects and gets no second error.
use fiber_runtime::{fiber, run};

#[fiber]
async fn f(n: u64) -> u64 {
    n
}

fn main() {
    let _: u64 = run(f(3));
}
