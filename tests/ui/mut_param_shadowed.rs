use fiber_runtime::fiber;

#[fiber]
fn count(out: &mut Vec<u64>, n: u64) -> usize {
    if n == 0 {
        let out = out.len();
        return out;
    }
    out.push(n);
    count(out, n - 1)
}

fn main() {}
