use fiber_runtime::fiber;

#[fiber]
fn count(n: u64, seen: &mut Vec<u64>) {
    if n > 0 {
        seen.push(n);
        count(n - 1, seen);
    }
}

fn main() {}
