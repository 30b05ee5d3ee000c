use fiber_runtime::fiber;

#[fiber]
fn fill(n: u64, out: &mut Vec<u64>) {
    out.push(n);
    if n > 0 {
        fill(n - 1, &mut Vec::new());
    }
}

fn main() {}
