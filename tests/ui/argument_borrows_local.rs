use fiber_runtime::fiber;

#[fiber]
fn whole(xs: &[u64]) -> u64 {
    if xs.is_empty() {
        return 0;
    }
    let copy = xs[1..].to_vec();
    whole(&copy) + 1
}

#[fiber]
fn through(xs: &[u64]) -> u64 {
    if xs.is_empty() {
        return 0;
    }
    let copy = xs.to_vec();
    through(&copy[1..]) + 1
}

fn main() {}
