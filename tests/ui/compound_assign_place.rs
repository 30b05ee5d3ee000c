use fiber_runtime::fiber;

fn g() -> usize {
    0
}

#[fiber]
fn f(n: u64) -> u64 {
    let mut v = vec![0; 4];
    if n > 0 {
        v[g()] += f(n - 1);
    }
    v[0]
}

fn main() {}
