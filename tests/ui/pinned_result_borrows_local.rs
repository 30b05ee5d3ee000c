// A call that borrows a local mutably (`f(&mut mine)`) works while the callee runs; its value
// must not keep that borrow, since the local moves when the caller resumes.
use fiber_runtime::fiber;

#[fiber]
fn last(n: u64, v: &mut Vec<u64>) -> &mut u64 {
    v.push(n);
    if n == 0 {
        return &mut v[0];
    }
    let mut mine = Vec::new();
    let r = last(n - 1, &mut mine);
    *r += 1;
    &mut v[0]
}

// The same for a shared borrow (`f(&mine)`): the value borrows `mine` past the call.
#[fiber]
fn pick(xs: &[u64], n: u64) -> &u64 {
    if n == 0 {
        return &xs[0];
    }
    let mine = xs.to_vec();
    let r = pick(&mine, n - 1);
    &xs[*r as usize % xs.len()]
}

fn main() {}
