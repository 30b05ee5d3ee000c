use fiber_runtime::fiber;

#[fiber]
fn f(words: Vec<String>) -> usize {
    match words.first().cloned() {
        Some(word) if f(words[1..].to_vec()) > word.len() => 1,
        Some(_) => 2,
        None => 0,
    }
}

fn main() {}
