// A local that holds borrows of another (`words` borrows `text`), kept across a recursive call:
// the fiber does not yet keep `text` in place with it (issue 19), so rustc reports the move.
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
