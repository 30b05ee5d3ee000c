// A borrow through a local that itself holds borrows of another (`words` borrows `text`),
// held across a recursive call: the fiber does not keep such a local in place.
use fiber_runtime::fiber;

#[fiber]
fn walk(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let text = format!("{n} {}", n / 2);
    let words: Vec<&str> = text.split(' ').collect();
    let mut total = 0;
    for w in words.iter() {
        total += walk(w.len() as u64 - 1);
    }
    total
}

fn main() {}
