use fiber_runtime::fiber;

struct Pair {
    left: u64,
    right: u64,
}

#[fiber]
fn walk(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let parts = vec![n / 2, n / 3];
    let mut total = 0;
    for part in parts.iter() {
        total += walk(*part);
    }
    total
}

#[fiber]
fn field(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let pair = Pair { left: n / 2, right: n / 3 };
    let left = &pair.left;
    let below = field(pair.right);
    below + left
}

fn main() {}
