use fiber_runtime::fiber;

// `ref mut` bindings of a local, used after a recursive call: each borrows the local, as
// `let r = &mut v;` does, which cannot live across the call.
#[fiber]
fn push(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let mut v = vec![n];
    let ref mut r = v;
    r.push(push(n - 1));
    r.len() as u64
}

#[fiber]
fn add(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let mut opt = Some(n);
    if let Some(ref mut x) = opt {
        *x += add(n - 1);
    }
    opt.unwrap_or(0)
}

fn main() {}
