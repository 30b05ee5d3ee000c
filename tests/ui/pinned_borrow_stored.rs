// The callee stores a borrow of one pinned local (`local`) in another (`slot`): natively fine
// while `slot` is not used again, but the machine moves the caller's frame when it resumes, so
// no borrow of a pinned local may outlive the call.
use fiber_runtime::fiber;

#[fiber]
fn f<'a>(n: u64, out: &mut Option<&'a mut Vec<u64>>, acc: &'a mut Vec<u64>) -> u64 {
    acc.push(n);
    if n == 0 {
        *out = Some(acc);
        return 0;
    }
    let mut local = vec![n];
    let mut slot = None;
    let r = f(n - 1, &mut slot, &mut local);
    acc.extend(local);
    r + 1
}

fn main() {}
