// Input of the expansion snapshot beside it (`count.expanded.rs`), which
// `cargo test -p fiber-macros expansions` checks and `FIBER_BLESS=1` rewrites.

#[fiber]
fn count(node: &Node, seen: &mut Vec<u64>) -> u64 {
    seen.push(node.value);
    let mut total = 1;
    for c in &node.children {
        total += count(c, seen);
    }
    total
}
