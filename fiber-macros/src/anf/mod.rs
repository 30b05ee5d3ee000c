//! Sequencing: the body in A-normal form. Every recursive call becomes a statement of its own
//! (`let pat = f(args);`), and every control construct that contains one (`if`, `match`, `loop`,
//! blocks) sits at statement level, so that the machine can stop between two statements and
//! resume there.
//!
//! Evaluation order is native: what Rust evaluates before a call in the same expression is
//! evaluated into a temporary before it (`g(h(), f(x))` runs `h()` first); conditional
//! evaluation stays conditional (`a && f(x)` becomes an `if`). Places and plain values that the
//! call cannot change (`x`, `v.len` fields, literals) are left where they are.
//!
//! Desugarings, each only where a recursive call is inside:
//! - `while c { b }` becomes `loop { if !(c) { break } b }`;
//!   `while let p = e { b }` becomes `loop { let p = e else { break }; b }`.
//! - `for p in e { b }` becomes
//!   `{ let mut it = IntoIterator::into_iter(e); loop { let p = match Iterator::next(&mut it) {
//!   Some(x) => x, None => break }; b } }`: the iterator lives in the frame, so the loop resumes
//!   on the same iteration.
//! - `a && b` becomes `if a { b } else { false }`, `a || b` becomes `if a { true } else { b }`.

use quote::ToTokens;
use syn::Pat;

use crate::errors::Errors;
use crate::front::model::{FiberFn, Group};
use crate::syntax::moves;
use ir::*;

mod calls;
mod constructs;
mod forms;
pub mod ir;
mod scopes;
mod seq;
mod stmts;

use seq::{Origin, Seq};

pub struct Sequenced {
    pub body: Block,
    pub bindings: Vec<Binding>,
    pub sites: usize,
}

/// Each fn of the group in A-normal form.
pub fn run(group: Group, errors: &mut Errors) -> Vec<Sequenced> {
    group.fns.iter().map(|f| sequence(&group, f, errors)).collect()
}

pub fn sequence(group: &Group, f: &FiberFn, errors: &mut Errors) -> Sequenced {
    let mut seq = Seq {
        group,
        output: f.output.to_token_stream().to_string(),
        param_types: f.params.iter().map(|p| p.ty.clone()).collect(),
        moved: moves::moved_names(&f.item.block),
        errors,
        bindings: Vec::new(),
        env: Vec::new(),
        scopes: Vec::new(),
        next_scope: 0,
        next_site: 0,
        next_temp: 0,
        next_loop: 0,
        loops: Vec::new(),
    };
    let params: Vec<(Pat, Origin)> =
        f.params.iter().enumerate().map(|(i, p)| (p.pat.clone(), Origin::Param(i))).collect();
    let body = seq.block((*f.item.block).clone(), true, &params);
    Sequenced { body, bindings: seq.bindings, sites: seq.next_site }
}
