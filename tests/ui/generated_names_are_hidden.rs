use fiber_runtime::fiber;

// The machine's own locals are hygienic: user code cannot name them.
#[fiber]
fn f(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let below = f(n - 1);
    below + __fiber_value
}

fn main() {}
