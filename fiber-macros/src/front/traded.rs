//! Reference parameters that trade places across the fns of a group (`#[fiber] mod`,
//! `#[fiber] impl`): `f(xs, ys)` calling `h(xs, xs)` and `h(xs, ys)`.
//!
//! A machine keeps one type per parameter of each fn across all its calls, inferred from what
//! is passed. When one parameter receives references of two lifetimes of the entry fn's
//! signature, rustc picks their intersection, which the opaque return type cannot name: E0700,
//! "hidden type captures lifetime that does not appear in bounds", on the whole fn. This pass
//! finds it first, and says what to write instead. For each fn of the group as the entry, its
//! reference parameters each carry a lifetime of their own (one shared by parameters whose
//! types name the same lifetimes); a call passes what an argument's root parameter carries to
//! the callee's parameter, until nothing changes. A parameter that carries two is the error,
//! reported at the argument that brought the second. A lone fn has the simpler check in
//! `calls` (its parameters receive only its own); an `impl` with one method comes here, since
//! its calls may be method calls (difftest seed 4103).

use std::collections::{BTreeSet, HashSet};

use syn::visit::{self, Visit};
use syn::{Expr, ExprCall, ExprMethodCall};

use crate::errors::Errors;
use crate::front::calls::{argument_root, has_reference, lifetimes};
use crate::front::model::Group;

/// A call of the group: the callee, and per argument the callee's parameter index, the
/// caller's parameter the argument borrows from, and the argument.
struct Site<'a> {
    callee: usize,
    passed: Vec<(usize, usize, &'a Expr)>,
}

pub fn check(group: &Group, errors: &mut Errors) {
    if group.fns.len() < 2 && group.self_ty().is_none() {
        return;
    }
    let sites: Vec<Vec<Site>> = (0..group.fns.len()).map(|g| sites_of(group, g)).collect();
    let mut reported: HashSet<*const Expr> = HashSet::new();
    for entry in 0..group.fns.len() {
        let mut carried: Vec<Vec<BTreeSet<String>>> =
            group.fns.iter().map(|f| vec![BTreeSet::new(); f.params.len()]).collect();
        for (j, param) in group.fns[entry].params.iter().enumerate() {
            if param.receiver.is_none() && has_reference(&param.ty) {
                carried[entry][j].insert(label(&param.ty, j));
            }
        }
        let mut changed = true;
        while changed {
            changed = false;
            for (g, calls) in sites.iter().enumerate() {
                for site in calls {
                    for &(i, j, arg) in &site.passed {
                        for lifetime in carried[g][j].clone() {
                            if !carried[site.callee][i].insert(lifetime) {
                                continue;
                            }
                            changed = true;
                            if carried[site.callee][i].len() == 2 && reported.insert(arg as *const Expr) {
                                report(group, g, j, site.callee, i, arg, errors);
                            }
                        }
                    }
                }
            }
        }
    }
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

fn report(
    group: &Group,
    caller: usize,
    from: usize,
    callee: usize,
    to: usize,
    arg: &Expr,
    errors: &mut Errors,
) {
    let (source, target) = (&group.fns[caller].params[from].outer, &group.fns[callee].params[to].outer);
    let callee = group.fns[callee].name();
    errors.error(
        arg,
        format!(
            "`{source}` is passed as `{target}` of `{callee}`, which also receives another reference \
             parameter: a fiber keeps one type for each parameter across all the group's calls, so \
             reference parameters that trade places need one lifetime\nhelp: name one lifetime for \
             the parameters that trade places, e.g. `&'a [T]` with `<'a>` on each fn"
        ),
    );
}

/// The group's calls in fn `g`'s body whose arguments borrow from `g`'s reference parameters.
fn sites_of<'a>(group: &Group<'a>, g: usize) -> Vec<Site<'a>> {
    struct Collect<'g, 'a> {
        group: &'g Group<'a>,
        g: usize,
        sites: Vec<Site<'a>>,
    }
    impl<'a> Collect<'_, 'a> {
        fn site(&mut self, callee: usize, args: impl Iterator<Item = (usize, &'a Expr)>) {
            let (caller, target) = (&self.group.fns[self.g], &self.group.fns[callee]);
            let passed = args
                .filter_map(|(i, arg)| {
                    let root = argument_root(arg)?;
                    let j = caller.params.iter().position(|p| p.outer == root && p.receiver.is_none())?;
                    let to = target.params.get(i)?;
                    (to.receiver.is_none() && has_reference(&to.ty)).then_some((i, j, arg))
                })
                .collect();
            self.sites.push(Site { callee, passed });
        }
    }
    impl<'a> Visit<'a> for Collect<'_, 'a> {
        fn visit_expr_call(&mut self, call: &'a ExprCall) {
            if let Some(callee) = self.group.callee(call) {
                self.site(callee, call.args.iter().enumerate());
            }
            visit::visit_expr_call(self, call);
        }
        fn visit_expr_method_call(&mut self, call: &'a ExprMethodCall) {
            if let Some(callee) = self.group.method_callee(call) {
                // The receiver is parameter 0.
                self.site(callee, call.args.iter().enumerate().map(|(i, arg)| (i + 1, arg)));
            }
            visit::visit_expr_method_call(self, call);
        }
        // Calls there are errors of their own (`calls::check_body`).
        fn visit_expr_closure(&mut self, _: &'a syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'a syn::ExprAsync) {}
        fn visit_item(&mut self, _: &'a syn::Item) {}
    }
    let fns: &'a [crate::front::model::FiberFn] = group.fns;
    let mut collect = Collect { group, g, sites: Vec::new() };
    collect.visit_block(&fns[g].item.block);
    collect.sites
}
