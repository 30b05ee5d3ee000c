//! Fields moved out of a local that a later recursive call keeps.
//!
//! Native code may move a field out of a local and put a value back later:
//! `node.left = insert(node.left, key)`, `if let Some(next) = n.next { n.next = Some(f(next)) }`.
//! A fiber moves the locals it still needs into its heap frame at the call, and a partly moved
//! local cannot move: rustc reports E0382 at the local's declaration, about the machine. Whether
//! the field moves depends on its type (a `Copy` field is copied), which the macro cannot see;
//! so where a field of a kept local is taken by value, the expansion asserts that what is taken
//! is `Copy`, and a move gets `MovedOutOfKeptLocal`'s message on the user's token, with the fix.
//!
//! Checked: `local.field` where the form of the expression moves it (a recursive call's
//! argument, or an argument, struct literal field, tuple or array element, operand of
//! arithmetic, assigned or returned value in a statement) when the call, or one after the
//! statement, keeps `local`; the by-value bindings of an `if let`, a `match` arm or a `let`
//! matched against `local.field`, when a call in their scope or after the construct keeps
//! `local`. A branch that returns reaches no call after its construct, and a field given a
//! new value before the next call (`let name = n.name; n.name = ..;`) leaves the local whole.

use quote::ToTokens;
use syn::{Expr, Pat};

use crate::analysis::returns::{self, block_ends_the_fn};
use crate::anf::ir::*;
use crate::front::model::Param;
use crate::syntax::free_vars;
use crate::syntax::places::strip_parens;

/// Puts the checks into `body`.
pub fn check(body: &mut Block, bindings: &[Binding], saved: &[Vec<BindingId>], params: &[Param]) {
    Checker { bindings, saved, params }.block(body);
}

struct Checker<'a> {
    bindings: &'a [Binding],
    saved: &'a [Vec<BindingId>],
    params: &'a [Param],
}

impl Checker<'_> {
    /// Whether a call at `sites` or at any site from `after` on keeps `id`.
    fn kept(&self, id: BindingId, sites: std::ops::Range<SiteId>, after: SiteId) -> bool {
        sites.chain(after..self.saved.len()).any(|s| self.saved[s].contains(&id))
    }

    /// The binding among `uses` that `expr`, a field of a local (`n.next`, `t.0.left`), is in.
    fn field_root(&self, expr: &Expr, uses: &[BindingId]) -> Option<BindingId> {
        let Expr::Field(field) = strip_parens(expr) else { return None };
        let mut base = &*field.base;
        while let Expr::Field(inner) = strip_parens(base) {
            base = &inner.base;
        }
        let Expr::Path(path) = strip_parens(base) else { return None };
        let ident = path.path.get_ident()?;
        let id = uses.iter().copied().find(|&id| self.bindings[id].ident == *ident)?;
        // Nothing moves out of a reference parameter's referent (rustc says so natively).
        let param = self.bindings[id].param.map(|p| &self.params[p]);
        match param {
            Some(param)
                if matches!(param.ty, syn::Type::Reference(_))
                    || param
                        .receiver
                        .as_ref()
                        .is_some_and(|r| matches!(r.kind, syn::ReceiverKind::Reference(..))) =>
            {
                None
            }
            _ => Some(id),
        }
    }

    fn block(&self, block: &mut Block) {
        let mut next_site = block.sites.start;
        let stmts = std::mem::take(&mut block.stmts);
        let later: Vec<Option<Expr>> = stmts.iter().map(assigned_place).collect();
        // Whether each statement runs before the block's next call after the one before it: a
        // statement that holds a call does not.
        let sites_before_call: Vec<bool> = stmts.iter().map(|s| s.sites().is_empty()).collect();
        for (i, mut stmt) in stmts.into_iter().enumerate() {
            let sites = stmt.sites();
            if !sites.is_empty() {
                next_site = sites.end;
            }
            let mut after = Vec::new();
            // `let name = n.name; n.name = ..;` makes `n` whole again before the next call.
            let put_back = |field: &Expr| {
                let place = strip_parens(field).to_token_stream().to_string();
                later[i + 1..].iter().zip(&sites_before_call[i + 1..]).take_while(|(_, before)| **before).any(
                    |(assigned, _)| {
                        assigned.as_ref().is_some_and(|a| a.to_token_stream().to_string() == place)
                    },
                )
            };
            if let Stmt::Plain { stmt, uses, .. } = &stmt {
                if !returns::stmt_returns(stmt) {
                    // `consume(p.name)`, `S { name: p.name }`: a field moved out where the
                    // expression's form says it is moved.
                    let mut moved = Vec::new();
                    match stmt {
                        syn::Stmt::Local(local) => {
                            if let Some(init) = &local.init {
                                moved_fields(&init.expr, false, &mut moved);
                            }
                        }
                        syn::Stmt::Expr(expr, _) => moved_fields(expr, false, &mut moved),
                        _ => {}
                    }
                    for field in moved {
                        let root = self.field_root(&field, uses);
                        if let Some(id) =
                            root.filter(|&id| self.kept(id, 0..0, next_site) && !put_back(&field))
                        {
                            block.stmts.push(check_stmt(&field, id));
                        }
                    }
                }
            }
            match &mut stmt {
                Stmt::Call(call) => {
                    let mut moved = Vec::new();
                    call.args.iter().for_each(|arg| moved_fields(arg, true, &mut moved));
                    for field in moved {
                        let root = self.field_root(&field, &call.visible);
                        if let Some(id) = root.filter(|id| self.saved[call.site].contains(id)) {
                            block.stmts.push(check_stmt(&field, id));
                        }
                    }
                }
                Stmt::Plain { stmt: syn::Stmt::Local(local), uses, defs, .. } => {
                    if let Some(init) = &local.init {
                        let root = self.field_root(&init.expr, uses);
                        if root.is_some_and(|id| self.kept(id, 0..0, next_site)) && !put_back(&init.expr) {
                            after.extend(self.checks(&local.pat, defs));
                        }
                    }
                }
                Stmt::Plain { .. } => {}
                Stmt::Let { init: construct, .. } | Stmt::Construct { construct, .. } => {
                    self.construct(construct)
                }
            }
            block.stmts.push(stmt);
            block.stmts.extend(after);
        }
    }

    fn construct(&self, construct: &mut Construct) {
        let end = construct.sites().end;
        match construct {
            Construct::If(i) => self.if_chain(i, end),
            Construct::Match { scrutinee, uses, arms, .. } => {
                let root = self.field_root(scrutinee, uses);
                for arm in arms {
                    let after = if block_ends_the_fn(&arm.body) { self.saved.len() } else { end };
                    if root.is_some_and(|id| self.kept(id, arm.body.sites.clone(), after)) {
                        let checks = self.checks(&arm.pat, &arm.defs);
                        arm.body.stmts.splice(0..0, checks);
                    }
                    self.block(&mut arm.body);
                }
            }
            Construct::Loop { body, .. } | Construct::Block { body, .. } => self.block(body),
        }
    }

    /// A check on each binding `pat` binds by value (`defs` are its bindings' ids).
    fn checks(&self, pat: &Pat, defs: &[BindingId]) -> Vec<Stmt> {
        free_vars::bindings(pat)
            .into_iter()
            .filter(|b| !b.by_ref)
            .filter_map(|b| {
                let id = defs.iter().copied().find(|&id| self.bindings[id].ident == b.ident)?;
                let ident = b.ident;
                Some(check_stmt(&syn::parse_quote!(#ident), id))
            })
            .collect()
    }

    fn if_chain(&self, i: &mut If, end: SiteId) {
        if let Expr::Let(cond) = strip_parens(&i.cond) {
            let root = self.field_root(&cond.expr, &i.uses);
            // A branch that returns reaches no call after the construct.
            let after = if block_ends_the_fn(&i.then) { self.saved.len() } else { end };
            if root.is_some_and(|id| self.kept(id, i.then.sites.clone(), after)) {
                let checks = self.checks(&cond.pat, &i.defs);
                i.then.stmts.splice(0..0, checks);
            }
        }
        self.block(&mut i.then);
        match i.els.as_deref_mut() {
            Some(Else::Block(b)) => self.block(b),
            Some(Else::If(nested)) => self.if_chain(nested, end),
            None => {}
        }
    }
}

/// The fields (`p.name`, `t.0.left`) that `expr` moves by its form: as an argument, a struct
/// literal's field, an element of a tuple or array, an operand of arithmetic, an assigned or
/// returned value. `moved`: `expr` itself is in such a position. Method receivers, which may be
/// borrowed, and control flow are not looked into.
fn moved_fields(expr: &Expr, moved: bool, out: &mut Vec<Expr>) {
    let mut each = |exprs: &mut dyn Iterator<Item = &Expr>| exprs.for_each(|e| moved_fields(e, true, out));
    match strip_parens(expr) {
        field @ Expr::Field(_) if moved => out.push(field.clone()),
        Expr::Call(call) => each(&mut call.args.iter()),
        Expr::MethodCall(call) => each(&mut call.args.iter()),
        Expr::Struct(s) => each(&mut s.fields.iter().map(|f| &f.expr)),
        Expr::Tuple(t) => each(&mut t.elems.iter()),
        Expr::Array(a) => each(&mut a.elems.iter()),
        Expr::Return(r) => each(&mut r.expr.iter().map(|e| &**e)),
        Expr::Assign(a) => each(&mut std::iter::once(&*a.right)),
        Expr::Binary(b) if is_arithmetic(&b.op) => each(&mut [&*b.left, &*b.right].into_iter()),
        _ => {}
    }
}

fn is_arithmetic(op: &syn::BinOp) -> bool {
    use syn::BinOp::*;
    matches!(
        op,
        Add(_) | Sub(_) | Mul(_) | Div(_) | Rem(_) | BitXor(_) | BitAnd(_) | BitOr(_) | Shl(_) | Shr(_)
    )
}

/// The place a statement `place = value;` assigns.
fn assigned_place(stmt: &Stmt) -> Option<Expr> {
    match stmt {
        Stmt::Plain { stmt: syn::Stmt::Expr(expr, _), .. } => match strip_parens(expr) {
            Expr::Assign(assign) => Some(strip_parens(&assign.left).clone()),
            _ => None,
        },
        _ => None,
    }
}

/// `moved_out_of_kept_local(&value);`, at the value's span so that rustc's message lands there.
fn check_stmt(value: &Expr, id: BindingId) -> Stmt {
    let span = syn::spanned::Spanned::span(value);
    let check: syn::Stmt = syn::parse_quote_spanned! {span=>
        ::fiber_runtime::__private::moved_out_of_kept_local(&#value);
    };
    Stmt::Plain { stmt: check, uses: vec![id], defs: Vec::new(), jumps: Vec::new(), assigns: Vec::new() }
}
