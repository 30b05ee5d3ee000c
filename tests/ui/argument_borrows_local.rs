use fiber_runtime::fiber;

// A borrow of a local passed to a `&T` parameter points into the caller's saved frame while
// the callee runs (tests/local_borrows.rs). A parameter of a generic type is no reference the
// machine can point: the borrow is an error.
#[fiber]
fn generic<T: AsRef<[u64]>>(xs: T, n: u64) -> u64 {
    if n == 0 {
        return xs.as_ref().len() as u64;
    }
    let copy = xs.as_ref().to_vec();
    generic(&copy, n - 1)
}

// A borrow of a local inside a value built for the callee (`Some(&copy)`): the value would hold
// it in the callee's frame.
#[fiber]
fn optional(xs: Option<&[u64]>, n: u64) -> u64 {
    if n == 0 {
        return xs.map_or(0, |x| x.len() as u64);
    }
    let copy = vec![n; 3];
    optional(Some(&copy), n - 1)
}

fn main() {}
