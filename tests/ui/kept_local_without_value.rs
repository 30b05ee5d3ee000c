// A local borrowed across a recursive call is kept in place from its declaration on, so it
// needs its value there.
use fiber_runtime::fiber;

#[fiber]
fn f(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let parts;
    parts = vec![n / 2, n / 3];
    let mut total = 0;
    for p in &parts {
        total += f(*p);
    }
    total
}

fn main() {}
