// Input of the expansion snapshot beside it (`tree_sum.expanded.rs`), which
// `cargo test -p fiber-macros expansions` checks and `FIBER_BLESS=1` rewrites.

#[fiber]
fn tree_sum(node: &Node) -> u64 {
    let mut total = node.value;
    for c in &node.children {
        total += tree_sum(c);
    }
    total
}
