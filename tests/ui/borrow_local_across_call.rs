use fiber_runtime::fiber;

#[fiber]
fn f(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let digits = vec![n % 10, n / 10];
    let first = &digits;
    let below = f(n - 1);
    below + first[0]
}

fn main() {}
