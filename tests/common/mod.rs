//! Shared by the integration tests: a side-effect log, and `twins!`, which compiles the same fn
//! source twice: natively in `native::` and as a fiber in `fiber::`.
#![allow(dead_code)]

use std::cell::{Cell, RefCell};

thread_local! {
    /// The side effects logged since `logged` started, or `None` outside `logged` (deep runs).
    static LOG: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
    /// How many values counted by [`alive`] live now on this thread.
    pub static LIVE: Cell<i64> = const { Cell::new(0) };
}

/// Counts a value created (`+1`) or dropped (`-1`).
pub fn alive(delta: i64) {
    LIVE.with(|l| l.set(l.get() + delta));
}

/// The count of live values, reset to zero: after a run that dropped everything it made, 0.
pub fn take_alive() -> i64 {
    LIVE.with(|l| l.replace(0))
}

/// Logs its drop, and counts live instances.
pub struct Loud(pub u64);

impl Loud {
    pub fn new(id: u64) -> Loud {
        alive(1);
        Loud(id)
    }
}

impl Drop for Loud {
    fn drop(&mut self) {
        alive(-1);
        log("drop", self.0);
    }
}

/// Records a side effect (inside `logged`) and passes the value through.
pub fn log<T: std::fmt::Debug>(tag: &str, value: T) -> T {
    LOG.with(|l| {
        if let Some(log) = l.borrow_mut().as_mut() {
            log.push(format!("{tag}:{value:?}"));
        }
    });
    value
}

/// Runs `f` and returns its result with the side effects it logged.
pub fn logged<R>(f: impl FnOnce() -> R) -> (R, Vec<String>) {
    LOG.with(|l| *l.borrow_mut() = Some(Vec::new()));
    let result = f();
    (result, LOG.with(|l| l.take().unwrap_or_default()))
}

/// `twins! { fn f(..) -> R { .. } .. }` defines `native::f` (plain Rust) and `fiber::f`
/// (`#[fiber]`, returning a fiber value) from the same source.
///
/// `twins! { shared { items } fns.. }` also defines `items` (types, their plain impls) in both
/// modules, as-is, for methods: each twin gets its own types.
#[macro_export]
macro_rules! twins {
    (shared { $($shared:item)* } $($item:item)*) => {
        mod native {
            #![allow(clippy::all, unused_imports)]
            use super::*;
            $($shared)*
            $($item)*
        }
        mod fiber {
            #![allow(clippy::all, unused_imports)]
            use super::*;
            $($shared)*
            $(#[fiber_runtime::fiber] $item)*
        }
    };
    ($($item:item)*) => {
        mod native {
            #![allow(clippy::all, unused_imports)]
            use super::*;
            $($item)*
        }
        mod fiber {
            #![allow(clippy::all, unused_imports)]
            use super::*;
            $(#[fiber_runtime::fiber] $item)*
        }
    };
}

/// Runs `f` on a thread with a big native stack, for native twins at depths the 2 MiB test
/// thread cannot reach.
pub fn on_big_stack<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::Builder::new().stack_size(1 << 30).spawn(f).unwrap().join().unwrap()
}

/// A singly linked list with an iterative `Drop`, so that a 10,000,000-long one can be dropped.
pub enum List {
    Nil,
    Cons(u64, Box<List>),
}

impl List {
    pub fn from_iter(items: impl DoubleEndedIterator<Item = u64>) -> List {
        items.rev().fold(List::Nil, |tail, head| List::Cons(head, Box::new(tail)))
    }
}

impl Drop for List {
    fn drop(&mut self) {
        let List::Cons(_, tail) = self else { return };
        let mut next = std::mem::replace(tail, Box::new(List::Nil));
        while let List::Cons(_, tail) = &mut *next {
            // The node dropped by this assignment has a `Nil` tail: its own drop stops at once.
            next = std::mem::replace(tail, Box::new(List::Nil));
        }
    }
}

/// A tree with an iterative `Drop`.
pub struct Node {
    pub value: u64,
    pub children: Vec<Node>,
}

impl Node {
    /// A path of `depth` nodes, each with `value` = its depth, plus `leaves` leaf children each.
    pub fn path(depth: u64, leaves: u64) -> Node {
        let mut node = Node { value: depth, children: Vec::new() };
        for d in (1..depth).rev() {
            let mut children: Vec<Node> =
                (0..leaves).map(|l| Node { value: l, children: Vec::new() }).collect();
            children.push(node);
            node = Node { value: d, children };
        }
        node
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let mut stack = std::mem::take(&mut self.children);
        while let Some(mut node) = stack.pop() {
            stack.append(&mut node.children);
        }
    }
}

/// A tree whose deep instances drop without deep native recursion.
pub struct Dir {
    pub name: String,
    pub kids: Vec<Dir>,
}

impl Drop for Dir {
    fn drop(&mut self) {
        let mut stack = std::mem::take(&mut self.kids);
        while let Some(mut dir) = stack.pop() {
            stack.append(&mut dir.kids);
        }
    }
}

/// A chain of `depth` directories below one root, with a leaf beside each.
pub fn chain(depth: usize) -> Dir {
    let mut dir = Dir { name: format!("d{depth}"), kids: Vec::new() };
    for i in (0..depth).rev() {
        let leaf = Dir { name: format!("leaf{i}"), kids: Vec::new() };
        dir = Dir { name: format!("d{i}"), kids: vec![leaf, dir] };
    }
    dir
}
