// `#[deprecated]` on a fiber fn reaches its callers, as on a plain fn.
#![deny(deprecated)]

use fiber_runtime::{fiber, run};

#[fiber]
#[deprecated(note = "use `new_count` instead")]
fn count(n: u64) -> u64 {
    if n == 0 { 0 } else { count(n - 1) + 1 }
}

fn main() {
    let _ = run(count(3));
}
