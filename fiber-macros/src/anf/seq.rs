//! The state of sequencing one fn: its bindings, the names in scope, the enclosing loops, and
//! the counters that number resume points, temporaries and loops. Each file of `anf` adds the
//! methods for one kind of syntax.

use std::collections::BTreeSet;

use syn::Expr;

use crate::errors::Errors;
use crate::front::model::Group;

use super::ir::*;

pub(super) struct Seq<'g, 'a, 'e> {
    pub(super) group: &'g Group<'a>,
    /// The declared return type of the fn, as text.
    pub(super) output: String,
    /// The declared type of each parameter.
    pub(super) param_types: Vec<syn::Type>,
    /// The names some expression of the body may move (`moves::moved_names`).
    pub(super) moved: BTreeSet<String>,
    pub(super) errors: &'e mut Errors,
    pub(super) bindings: Vec<Binding>,
    /// Visible bindings, innermost last.
    pub(super) env: Vec<(String, BindingId)>,
    pub(super) scopes: Vec<ScopeId>,
    pub(super) next_scope: ScopeId,
    pub(super) next_site: SiteId,
    pub(super) next_temp: usize,
    pub(super) next_loop: LoopId,
    /// Enclosing loops and labeled blocks: label, id, whether it is a loop.
    pub(super) loops: Vec<(Option<String>, LoopId, bool)>,
}

impl Seq<'_, '_, '_> {
    /// How many loops enclose the code being sequenced.
    pub(super) fn loop_depth(&self) -> usize {
        self.loops.iter().filter(|(_, _, is_loop)| *is_loop).count()
    }

    pub(super) fn has_call(&self, expr: &Expr) -> bool {
        self.group.contains_call(expr)
    }
}

/// Where the bindings a block binds at its top come from.
#[derive(Clone, Copy)]
pub(super) enum Origin {
    /// The fn's parameter with this index.
    Param(usize),
    /// A pattern matched against a value (an arm's, an `if let`'s); `borrows` when the value
    /// may hold a borrow of an owned local.
    Matched { borrows: bool },
}
