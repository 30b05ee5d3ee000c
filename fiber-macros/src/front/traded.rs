//! Reference parameters that trade lifetimes: a parameter that receives, at some call of the
//! group, a borrow through another of the entry's reference parameters. `swap(n - 1, ys, xs)`,
//! `f` calling `h(xs, xs)` and `h(xs, ys)`, `eval(&def.body, env, &def.params, defs)` with
//! `def` borrowed from `defs`.
//!
//! A machine keeps one type per parameter of each fn across all its calls, inferred from what
//! is passed. When a parameter receives references of two lifetimes of the entry fn's
//! signature, rustc picks a lifetime both outlive, which the opaque return type can name only
//! if the signature has one: `back::lifetimes` adds it, to the fns this pass marks (elsewhere
//! the signature stays as written).
//!
//! For each fn of the group as the entry, its reference parameters each carry a lifetime of
//! their own (one shared by parameters whose types name the same lifetimes); a call passes what
//! an argument borrows from to the callee's parameter, until nothing changes. What an argument
//! borrows from is over-approximated by syntax: every parameter its expression names, directly
//! or through a local bound from one (`let def = &defs[name]`, `for c in &node.children`, a
//! `match` arm's bindings). Too much only costs a longer signature.

use std::collections::{BTreeSet, HashMap};

use proc_macro2::Ident;
use syn::visit::{self, Visit};
use syn::{Expr, ExprCall, ExprMethodCall, Pat};

use crate::front::calls::{has_reference, lifetimes};
use crate::front::model::Group;

/// A call of the group: the callee, and per argument the callee's parameter index and the
/// caller's reference parameters the argument may borrow from.
struct Site {
    callee: usize,
    passed: Vec<(usize, BTreeSet<usize>)>,
}

/// Whether some fn of the group, as the entry, passes borrows of two of its lifetimes to one
/// parameter.
pub fn parameters_trade_lifetimes(group: &Group) -> bool {
    let sites: Vec<Vec<Site>> = (0..group.fns.len()).map(|g| sites_of(group, g)).collect();
    (0..group.fns.len()).any(|entry| {
        let mut carried: Vec<Vec<BTreeSet<String>>> =
            group.fns.iter().map(|f| vec![BTreeSet::new(); f.params.len()]).collect();
        for (j, param) in group.fns[entry].params.iter().enumerate() {
            if has_reference(&param.ty) {
                carried[entry][j].insert(label(&param.ty, j));
            }
        }
        let mut changed = true;
        while changed {
            changed = false;
            for (g, calls) in sites.iter().enumerate() {
                for site in calls {
                    for (i, from) in &site.passed {
                        let passed: Vec<String> = from.iter().flat_map(|&j| carried[g][j].clone()).collect();
                        for lifetime in passed {
                            changed |= carried[site.callee][*i].insert(lifetime);
                            if carried[site.callee][*i].len() > 1 {
                                return true;
                            }
                        }
                    }
                }
            }
        }
        false
    })
}

/// The lifetime a parameter of the entry fn carries: its named lifetimes, if all are named
/// (parameters that name the same ones carry the same), or one of its own.
fn label(ty: &syn::Type, index: usize) -> String {
    let named: Option<BTreeSet<String>> = lifetimes(ty).into_iter().collect();
    match named {
        Some(names) => names.into_iter().collect::<Vec<_>>().join(","),
        None => format!("#{index}"),
    }
}

/// The group's calls in fn `g`'s body, with what each reference argument may borrow from.
fn sites_of(group: &Group, g: usize) -> Vec<Site> {
    let f = &group.fns[g];
    let mut roots = Roots::default();
    for (j, param) in f.params.iter().enumerate() {
        if has_reference(&param.ty) {
            roots.bind(&param.pat, &BTreeSet::from([j]));
        }
    }
    // Bindings are over-approximated flow-insensitively: a second walk sees what a loop's
    // later assignment brings to an earlier use.
    for _ in 0..2 {
        roots.visit_block(&f.item.block);
    }
    let mut collect = Collect { group, roots: &roots, sites: Vec::new() };
    collect.visit_block(&f.item.block);
    collect.sites
}

/// Per local name, the reference parameters it may borrow from.
#[derive(Default)]
struct Roots {
    of: HashMap<Ident, BTreeSet<usize>>,
}

impl Roots {
    /// The parameters an expression names, directly or through locals.
    fn of_expr(&self, expr: &Expr) -> BTreeSet<usize> {
        struct Names<'r>(&'r Roots, BTreeSet<usize>);
        impl<'ast> Visit<'ast> for Names<'_> {
            fn visit_expr_path(&mut self, path: &'ast syn::ExprPath) {
                if let Some(roots) = path.path.get_ident().and_then(|i| self.0.of.get(i)) {
                    self.1.extend(roots);
                }
            }
            fn visit_macro(&mut self, mac: &'ast syn::Macro) {
                // Names in a macro's tokens (`vec![&xs[0]]`).
                for token in mac.tokens.clone() {
                    if let proc_macro2::TokenTree::Ident(i) = token {
                        if let Some(roots) = self.0.of.get(&i) {
                            self.1.extend(roots);
                        }
                    }
                }
            }
        }
        let mut names = Names(self, BTreeSet::new());
        names.visit_expr(expr);
        names.1
    }

    fn bind(&mut self, pat: &Pat, roots: &BTreeSet<usize>) {
        struct Idents<'r>(&'r mut Roots, &'r BTreeSet<usize>);
        impl<'ast> Visit<'ast> for Idents<'_> {
            fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
                self.0.of.entry(p.ident.clone()).or_default().extend(self.1);
                visit::visit_pat_ident(self, p);
            }
        }
        if !roots.is_empty() {
            Idents(self, roots).visit_pat(pat);
        }
    }
}

impl<'ast> Visit<'ast> for Roots {
    fn visit_local(&mut self, local: &'ast syn::Local) {
        if let Some(init) = &local.init {
            let roots = self.of_expr(&init.expr);
            self.bind(&local.pat, &roots);
        }
        visit::visit_local(self, local);
    }
    fn visit_expr_assign(&mut self, assign: &'ast syn::ExprAssign) {
        if let Expr::Path(path) = &*assign.left {
            if let Some(ident) = path.path.get_ident() {
                let roots = self.of_expr(&assign.right);
                self.of.entry(ident.clone()).or_default().extend(roots);
            }
        }
        visit::visit_expr_assign(self, assign);
    }
    fn visit_expr_for_loop(&mut self, for_loop: &'ast syn::ExprForLoop) {
        let roots = self.of_expr(&for_loop.expr);
        self.bind(&for_loop.pat, &roots);
        visit::visit_expr_for_loop(self, for_loop);
    }
    fn visit_expr_let(&mut self, let_expr: &'ast syn::ExprLet) {
        let roots = self.of_expr(&let_expr.expr);
        self.bind(&let_expr.pat, &roots);
        visit::visit_expr_let(self, let_expr);
    }
    fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
        let roots = self.of_expr(&m.expr);
        for arm in &m.arms {
            self.bind(&arm.pat, &roots);
        }
        visit::visit_expr_match(self, m);
    }
}

struct Collect<'g, 'a> {
    group: &'g Group<'a>,
    roots: &'g Roots,
    sites: Vec<Site>,
}

impl Collect<'_, '_> {
    fn site<'e>(&mut self, callee: usize, args: impl Iterator<Item = (usize, &'e Expr)>) {
        let target = &self.group.fns[callee];
        let passed = args
            .filter(|(i, _)| target.params.get(*i).is_some_and(|p| has_reference(&p.ty)))
            .map(|(i, arg)| (i, self.roots.of_expr(arg)))
            .filter(|(_, from)| !from.is_empty())
            .collect();
        self.sites.push(Site { callee, passed });
    }
}

impl<'ast> Visit<'ast> for Collect<'_, '_> {
    fn visit_expr_call(&mut self, call: &'ast ExprCall) {
        if let Some(callee) = self.group.callee(call) {
            self.site(callee, call.args.iter().enumerate());
        }
        visit::visit_expr_call(self, call);
    }
    fn visit_expr_method_call(&mut self, call: &'ast ExprMethodCall) {
        if let Some(callee) = self.group.method_callee(call) {
            let receiver = std::iter::once((0, &*call.receiver));
            self.site(callee, receiver.chain(call.args.iter().enumerate().map(|(i, arg)| (i + 1, arg))));
        }
        visit::visit_expr_method_call(self, call);
    }
    // Calls there are errors of their own (`check_body`).
    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
    fn visit_item(&mut self, _: &'ast syn::Item) {}
}
