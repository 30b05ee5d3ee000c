//! The body after sequencing: ordinary Rust statements (`Plain`) around the control constructs
//! that contain resume points, and the resume points themselves (`Call`).
//!
//! Every binding (parameter, `let`, pattern, generated temporary) has an id, every use is
//! resolved to one, and every block knows the range of resume points (sites) inside it, numbered
//! in source order.

use std::ops::Range;

use proc_macro2::Ident;
use syn::{Attribute, Expr, Label, Pat};

pub use crate::syntax::local_borrow::LocalBorrow;

pub type BindingId = usize;
pub type SiteId = usize;
pub type ScopeId = usize;

pub struct Binding {
    pub ident: Ident,
    /// The binding is the whole pattern (`let x = ..`, a parameter `x: T`, `for x in ..`).
    pub whole_pattern: bool,
    pub mutable: bool,
    /// The block whose scope the binding belongs to.
    pub scope: ScopeId,
    /// For a parameter: its index.
    pub param: Option<usize>,
    /// For a `let` whose initializer plainly borrows a local: how, and which local.
    pub borrow: Option<(LocalBorrow, BindingId)>,
    /// Dropped where native code drops it, at the end of its scope: the frame keeps it across
    /// the calls in that scope even when nothing reads it after them (see `drops`).
    pub drops_at_scope_end: bool,
    /// Its value may hold a borrow of an owned local (see `drops::Local::Carrier`).
    pub may_borrow: bool,
    /// A generated temporary, consumed by the statement it was made for (native code drops it
    /// there at the latest).
    pub temporary: bool,
    /// Declared without a value and not `mut` (`let r;`): assigned at most once on any path,
    /// so it holds nothing before its assignment (see `Stmt::Plain::assigns`). Also a `mut`
    /// binding that may be moved, before an assignment in the loop it was declared in.
    pub deferred: bool,
    /// How many loops enclose its declaration.
    pub loop_depth: usize,
}

pub struct Block {
    pub scope: ScopeId,
    pub stmts: Vec<Stmt>,
    pub sites: Range<SiteId>,
}

pub enum Stmt {
    /// A statement without resume points, emitted as written.
    Plain {
        stmt: syn::Stmt,
        uses: Vec<BindingId>,
        defs: Vec<BindingId>,
        /// The loops and labeled blocks a `break`/`continue` inside leaves to.
        jumps: Vec<Jump>,
        /// The deferred binding this statement gives its value (`r = ..;` after `let r;`):
        /// before it the binding holds nothing, so a call before it need not keep it.
        assigns: Vec<BindingId>,
    },
    /// `let pat = callee(args);`, or with `tail`, `return callee(args)`.
    Call(Call),
    /// `let pat = construct;`
    Let { attrs: Vec<Attribute>, pat: Pat, defs: Vec<BindingId>, init: Construct },
    /// `construct;`, or without `semi`, the block's value.
    Construct { construct: Construct, semi: bool },
}

pub struct Call {
    pub site: SiteId,
    pub callee: usize,
    pub pat: Pat,
    pub defs: Vec<BindingId>,
    pub args: Vec<Expr>,
    pub uses: Vec<BindingId>,
    /// Bindings passed whole as an argument (moved or copied into the callee).
    pub whole_args: Vec<BindingId>,
    /// Arguments that plainly borrow a local, with the local.
    pub arg_borrows: Vec<(LocalBorrow, BindingId)>,
    /// Arguments `&mut place` for a `&mut` parameter, where the place is in a local of this fn
    /// (`f(&mut acc)`), with that local: the local stays in the saved frame, which does not
    /// move while the callee runs, and the argument points into it.
    pub pinned: Vec<(usize, BindingId)>,
    /// The binding each name refers to at the call (the innermost of those in scope).
    pub visible: Vec<BindingId>,
    /// The arguments for `&mut` parameters that reborrow a place evaluating cannot change
    /// (`self`, `acc`, `&mut self.child`, a method's `&mut self` receiver): they are reborrowed
    /// after the other arguments. Natively such a reborrow is two-phase, so `self.f(self.k)` and
    /// `g(acc, acc.len())` read the place while the borrow is only reserved; the machine reaches
    /// `&mut` parameters through raw pointers, and reborrowing first would let the later read
    /// invalidate the callee's pointer (Stacked Borrows; found by Miri).
    pub reborrow_last: Vec<usize>,
    pub tail: bool,
    /// For a tail call: the type witnesses of the bindings in scope that are not passed whole
    /// (see `tail`), or none when one of them has no witness and the call must push.
    pub witnesses: Option<Vec<BindingId>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Jump {
    Break(LoopId),
    Continue(LoopId),
}

/// A loop or labeled block that `break` can leave.
pub type LoopId = usize;

pub enum Construct {
    If(If),
    Match { scrutinee: Expr, uses: Vec<BindingId>, arms: Vec<Arm>, sites: Range<SiteId> },
    Loop { id: LoopId, label: Option<Label>, body: Block },
    Block { id: LoopId, label: Option<Label>, unsafety: Option<syn::Token![unsafe]>, body: Block },
}

pub struct If {
    /// A plain condition or a single `let pat = expr`.
    pub cond: Expr,
    pub uses: Vec<BindingId>,
    /// Bindings of an `if let`, scoped to the then block.
    pub defs: Vec<BindingId>,
    pub then: Block,
    pub els: Option<Box<Else>>,
}

pub enum Else {
    Block(Block),
    If(Box<If>),
}

pub struct Arm {
    /// The pattern, with its guard (which holds no resume point).
    pub pat: Pat,
    pub uses: Vec<BindingId>,
    pub defs: Vec<BindingId>,
    pub body: Block,
}

impl Stmt {
    pub fn sites(&self) -> Range<SiteId> {
        match self {
            Stmt::Plain { .. } => 0..0,
            Stmt::Call(call) => call.site..call.site + 1,
            Stmt::Let { init, .. } => init.sites(),
            Stmt::Construct { construct, .. } => construct.sites(),
        }
    }
}

impl Construct {
    /// The blocks directly inside, each with the bindings its construct binds at its top (an
    /// arm's pattern, an `if let`'s), in source order.
    pub fn blocks(&self) -> Vec<(&[BindingId], &Block)> {
        match self {
            Construct::If(i) => {
                let mut blocks = Vec::new();
                let mut next = Some(i);
                while let Some(i) = next {
                    blocks.push((&i.defs[..], &i.then));
                    next = match i.els.as_deref() {
                        Some(Else::Block(b)) => {
                            blocks.push((&[][..], b));
                            None
                        }
                        Some(Else::If(nested)) => Some(nested),
                        None => None,
                    };
                }
                blocks
            }
            Construct::Match { arms, .. } => arms.iter().map(|arm| (&arm.defs[..], &arm.body)).collect(),
            Construct::Loop { body, .. } | Construct::Block { body, .. } => vec![(&[][..], body)],
        }
    }

    /// [`Construct::blocks`], mutable.
    pub fn blocks_mut(&mut self) -> Vec<(&[BindingId], &mut Block)> {
        match self {
            Construct::If(i) => {
                let mut blocks = Vec::new();
                let mut next = Some(i);
                while let Some(i) = next {
                    blocks.push((&i.defs[..], &mut i.then));
                    next = match i.els.as_deref_mut() {
                        Some(Else::Block(b)) => {
                            blocks.push((&[][..], b));
                            None
                        }
                        Some(Else::If(nested)) => Some(&mut **nested),
                        None => None,
                    };
                }
                blocks
            }
            Construct::Match { arms, .. } => {
                arms.iter_mut().map(|arm| (&arm.defs[..], &mut arm.body)).collect()
            }
            Construct::Loop { body, .. } | Construct::Block { body, .. } => vec![(&[][..], body)],
        }
    }

    pub fn sites(&self) -> Range<SiteId> {
        match self {
            Construct::If(i) => i.sites(),
            Construct::Match { sites, .. } => sites.clone(),
            Construct::Loop { body, .. } | Construct::Block { body, .. } => body.sites.clone(),
        }
    }
}

impl If {
    pub fn sites(&self) -> Range<SiteId> {
        let end = match self.els.as_deref() {
            Some(Else::Block(b)) => b.sites.end,
            Some(Else::If(i)) => i.sites().end,
            None => self.then.sites.end,
        };
        self.then.sites.start..end.max(self.then.sites.end)
    }
}
