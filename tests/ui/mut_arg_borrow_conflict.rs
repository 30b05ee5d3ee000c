use fiber_runtime::fiber;

// Natively rejected (E0502): the machine reaches `v` through a pointer, so the code as written
// is compiled beside it for the borrow checker, which rejects it here too.
#[fiber]
fn grow(v: &mut Vec<u64>, n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let first = &v[0];
    let below = grow(v, n - 1);
    below + first
}

fn main() {}
