// A local borrowed across a recursive call stays in place until its scope ends: it can be
// read by value only when it is `Copy`.
use fiber_runtime::fiber;

fn consume(v: Vec<u64>) -> u64 {
    v.len() as u64
}

#[fiber]
fn f(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let parts = vec![n / 2, n / 3];
    let mut total = 0;
    for p in &parts {
        total += f(*p);
    }
    total + consume(parts)
}

fn main() {}
