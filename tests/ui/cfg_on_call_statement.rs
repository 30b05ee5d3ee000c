use fiber_runtime::fiber;

#[fiber]
fn f(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    #[cfg(debug_assertions)]
    let checked = f(n - 1);
    n
}

fn main() {}
