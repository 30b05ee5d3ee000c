use fiber_runtime::fiber;

// Found by fiber-difftest: the two slices trade places, so the frame would need one type for
// both; with elided (distinct) lifetimes the fn's return type cannot name it.
#[fiber]
fn swap(n: u32, xs: &[i64], ys: &[i64]) -> i64 {
    if n == 0 {
        return xs.len() as i64;
    }
    swap(n - 1, ys, &xs[1..])
}

// With one lifetime it works.
#[fiber]
fn swap_ok<'a>(n: u32, xs: &'a [i64], ys: &'a [i64]) -> i64 {
    if n == 0 {
        return xs.len() as i64;
    }
    swap_ok(n - 1, ys, xs)
}

fn main() {}
