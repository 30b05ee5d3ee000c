//! Methods and `&mut` state: a directory tree 1,000,000 levels deep walked by the methods of a
//! `#[fiber] impl` (counting into a `&mut Stats`, pruning through `&mut self`), and a
//! depth-first search that sorts a 1,000,000-task dependency graph topologically, marking
//! `visited: &mut Vec<bool>` as it goes.
//!
//! `cargo run --release --example tree_walk`

use std::task::Poll;
use std::time::{Duration, Instant};

use fiber_runtime::{Fiber, Runner, fiber};

/// A directory or a file.
struct Node {
    dir: bool,
    size: u64,
    children: Vec<Node>,
}

#[derive(Debug, Default)]
struct Stats {
    dirs: usize,
    files: usize,
    bytes: u64,
    deepest: usize,
}

#[fiber]
impl Node {
    /// Counts every node below `self` into `stats`.
    fn visit(&self, depth: usize, stats: &mut Stats) {
        stats.deepest = stats.deepest.max(depth);
        if !self.dir {
            stats.files += 1;
            stats.bytes += self.size;
            return;
        }
        stats.dirs += 1;
        for child in &self.children {
            child.visit(depth + 1, stats);
        }
    }

    /// Removes the files smaller than `min_size`; returns the bytes that remain.
    fn prune(&mut self, min_size: u64) -> u64 {
        self.children.retain(|child| child.dir || child.size >= min_size);
        let mut total = self.size;
        for child in &mut self.children {
            total += child.prune(min_size);
        }
        total
    }
}

/// The derived drop glue would recurse once per level and overflow the stack: take the
/// children out of each node and drop them from a worklist instead.
impl Drop for Node {
    fn drop(&mut self) {
        let mut pending = std::mem::take(&mut self.children);
        while let Some(mut node) = pending.pop() {
            pending.append(&mut node.children);
        }
    }
}

/// Depth-first search from `task`: marks every task it reaches, and appends each one after
/// everything it depends on (post-order), which lists the graph in dependency order.
#[fiber]
fn dfs(deps: &[Vec<usize>], task: usize, visited: &mut Vec<bool>, order: &mut Vec<usize>) {
    visited[task] = true;
    for &dep in &deps[task] {
        if !visited[dep] {
            dfs(deps, dep, visited, order);
        }
    }
    order.push(task);
}

/// Runs a fiber to its end: its output, how deep its heap stack went, how long it took.
fn measure<F: Fiber>(fiber: F) -> (F::Output, usize, Duration) {
    let start = Instant::now();
    let mut runner = Runner::new(fiber);
    loop {
        if let Poll::Ready(result) = runner.resume(u64::MAX) {
            return (result.expect("no depth limit was set"), runner.peak_depth(), start.elapsed());
        }
    }
}

fn main() {
    let n = 1_000_000;

    // A chain of directories n + 1 deep; each holds the next one and a file of 0..1000 bytes.
    let mut root = Node { dir: true, size: 0, children: Vec::new() };
    for i in 0..n as u64 {
        let file = Node { dir: false, size: i * 7919 % 1000, children: Vec::new() };
        root = Node { dir: true, size: 0, children: vec![file, root] };
    }

    let mut stats = Stats::default();
    let ((), depth, time) = measure(root.visit(0, &mut stats));
    println!("Walked a directory tree with `visit(&self, depth, stats: &mut Stats)`:");
    println!("  {stats:?}");
    println!("  {depth} frames deep, {time:.1?}");
    assert_eq!((stats.dirs, stats.files, stats.deepest), (n + 1, n, n));

    let (remaining, depth, time) = measure(root.prune(500));
    println!("Pruned the files under 500 bytes with `prune(&mut self, min_size)`:");
    println!("  {} bytes of {} remain, {depth} frames deep, {time:.1?}", remaining, stats.bytes);
    let mut after = Stats::default();
    fiber_runtime::run(root.visit(0, &mut after));
    println!("  {after:?}");
    assert_eq!(after.bytes, remaining);

    let start = Instant::now();
    drop(root);
    println!("  dropped in {:.1?}\n", start.elapsed());

    // Task t depends on task t + 1 (so a search from task 0 goes n deep), and on a few
    // tasks further on.
    let deps: Vec<Vec<usize>> = (0..n)
        .map(|t| [t + 1, t + 2 + t * 31 % 97, t + 3 + t * 17 % 1013].into_iter().filter(|&d| d < n).collect())
        .collect();
    let edges: usize = deps.iter().map(Vec::len).sum();
    let mut visited = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let ((), depth, time) = measure(dfs(&deps, 0, &mut visited, &mut order));
    println!("Sorted a dependency graph of {n} tasks and {edges} edges by depth-first search:");
    println!("  {} tasks in dependency order, {depth} frames deep, {time:.1?}", order.len());

    // Every task comes after all of its dependencies.
    let mut position = vec![0; n];
    for (i, &task) in order.iter().enumerate() {
        position[task] = i;
    }
    assert!(deps.iter().enumerate().all(|(t, ds)| ds.iter().all(|&d| position[d] < position[t])));
    println!("  checked: every task comes after each of its dependencies");
}
