use fiber_runtime::fiber;

#[fiber]
fn count(mut out: &mut Vec<u64>, n: u64) {
    out.push(n);
    if n > 0 {
        count(out, n - 1);
    }
}

fn main() {}
