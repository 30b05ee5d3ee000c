//! The ratio report of the benchmark suite (written in the next commit).

fn main() {}
