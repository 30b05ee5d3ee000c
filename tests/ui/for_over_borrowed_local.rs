use fiber_runtime::fiber;

#[fiber]
fn f(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let parts = vec![n / 2, n / 3];
    let mut total = 0;
    for part in &parts {
        total += f(*part);
    }
    total
}

fn main() {}
