use fiber_runtime::fiber;

#[fiber]
fn grow(n: u64, out: &mut Vec<u64>) -> u64 {
    if n == 0 {
        return 0;
    }
    let mut extra = Some(vec![n]);
    if let Some(v) = &mut extra {
        let below = grow(n - 1, out);
        v.push(below);
    }
    out.extend(extra.unwrap_or_default());
    1
}

fn main() {}
