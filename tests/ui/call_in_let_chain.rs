use fiber_runtime::fiber;

#[fiber]
fn f(n: Option<u64>) -> u64 {
    if let Some(k) = n && f(None) > k {
        return 1;
    }
    0
}

fn main() {}
