//! Shadowed names: every binding of a name shadowed at a recursive call gets a name of its own.
//!
//! The machine saves and restores locals by name, at the call and at the top of each resumed
//! block. Where one binding shadows another (`let n = n - 1;`, an inner block's `let a = 0;`
//! over a parameter `a` kept across the call), the name at the call is the shadowing binding's,
//! and the shadowed one could be neither saved nor kept to the end of its scope. So, for each
//! name of which two bindings are in scope at some recursive call, before
//! anything else reads the body, each binding of such a name is renamed, with every use that
//! resolves to it: `n` becomes `n_1`, `n_2`, .. (a name the fn does not use yet), at the span
//! of the user's token. The body then has no shadowing, and every pass after this one may
//! follow locals by name.
//!
//! Input:  `fn f(n: u64) -> u64 { let n = n - 1; let r = f(n); let n = n * 2; r + n }`
//! Output: `fn f(n_1: u64) -> u64 { let n_2 = n_1 - 1; let r = f(n_2); let n_3 = n_2 * 2; r + n_3 }`
//! (the public fn still takes `n`).
//!
//! Every binding of the name is renamed, not only the shadowing ones: a use the renamer cannot
//! see (an inline format argument in an unknown macro's string) then fails to compile rather
//! than reach another binding. Uses inside macro invocations are renamed token by token, except
//! where the identifier is a field, a path segment, a label, a macro's name or a named format
//! argument, and not inside `stringify!` and `concat!`; inline format arguments (`"{n}"`) are
//! renamed in the format strings of the standard macros. In another macro's string an inline
//! argument keeps its name, which no binding has any more: rustc reports it, where a renamed
//! string that was no format string would silently change the program's text.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use proc_macro2::{Group, Ident, Literal, TokenStream, TokenTree};
use syn::visit::{self, Visit};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Pat};

use crate::errors::Errors;
use crate::front::model::{self, FiberFn};
use crate::syntax::format_strings::{self, format_argument, is_punct, is_string, named_arguments};
use crate::syntax::free_vars;

/// Renames the bindings of the names shadowed at a recursive call of `group` in `f`'s
/// parameters' patterns and body.
pub fn rename(f: &mut FiberFn, group: &model::Group, errors: &mut Errors) {
    let params: Vec<Pat> = f.params.iter().filter(|p| p.receiver.is_none()).map(|p| p.pat.clone()).collect();
    let mut finder =
        Shadowed { group, scopes: Vec::new(), shadowed: BTreeSet::new(), at_calls: BTreeSet::new() };
    finder.scopes.push(Vec::new());
    for pat in &params {
        finder.bind(pat);
    }
    finder.visit_block(&f.item.block);
    let shadowed: BTreeSet<String> = finder.shadowed.intersection(&finder.at_calls).cloned().collect();
    if shadowed.is_empty() {
        return;
    }
    let mut taken = BTreeSet::new();
    let item = &f.item;
    collect_idents(quote::quote!(#item), &mut taken);
    let mut renamer =
        Renamer { shadowed, taken, scopes: vec![HashMap::new()], unknown_strings: RefCell::new(Vec::new()) };
    for param in f.params.iter_mut().filter(|p| p.receiver.is_none()) {
        renamer.bind(&mut param.pat);
    }
    renamer.visit_block_mut(&mut f.item.block);
    for (lit, name, mac) in renamer.unknown_strings.into_inner() {
        errors.error(
            lit,
            format!(
                "`{{{name}}}` in this string of `{mac}!` names `{name}`, a shadowed local kept across a \
                 recursive call, which #[fiber] renames; it cannot tell whether `{mac}!` reads the string \
                 as a format string\n\
                 help: give one of the bindings of `{name}` another name (or, if `{mac}!` formats the \
                 string, pass `{name}` as an argument: `{mac}!(\"{{}}\", {name})`)"
            ),
        );
    }
}

/// Every identifier in the fn, inline format arguments included, so that new names meet none.
fn collect_idents(tokens: TokenStream, taken: &mut BTreeSet<String>) {
    for token in tokens {
        match token {
            TokenTree::Ident(ident) => {
                taken.insert(ident.to_string());
            }
            TokenTree::Group(group) => collect_idents(group.stream(), taken),
            TokenTree::Literal(lit) => taken.extend(inline_names(&lit.to_string())),
            TokenTree::Punct(_) => {}
        }
    }
}

/// Finds the names that some binding shadows and that are in scope at a recursive call: only
/// there is a state saved and restored by name, and the passes after this one follow a kept
/// local by name up to the end of its scope. (A name shadowed where no call sees it keeps its
/// name, so `dbg!`, `assert!`'s message or a user macro's `stringify!` show what was written.)
struct Shadowed<'g, 'a> {
    group: &'g model::Group<'a>,
    scopes: Vec<Vec<String>>,
    /// Names bound where a binding of the same name is in scope.
    shadowed: BTreeSet<String>,
    /// Names in scope at some recursive call.
    at_calls: BTreeSet<String>,
}

impl Shadowed<'_, '_> {
    fn bind(&mut self, pat: &Pat) {
        for bound in free_vars::bindings(pat) {
            let name = bound.ident.to_string();
            if self.scopes.iter().flatten().any(|n| *n == name) {
                self.shadowed.insert(name.clone());
            }
            self.scopes.last_mut().expect("a scope is open").push(name);
        }
    }

    /// At a recursive call: every name in scope may be kept across it.
    fn call(&mut self) {
        self.at_calls.extend(self.scopes.iter().flatten().cloned());
    }

    /// Whether a macro's tokens may hold a recursive call: they name a fn of the group.
    fn names_a_fn(&self, tokens: &TokenStream) -> bool {
        tokens.clone().into_iter().any(|token| match token {
            TokenTree::Ident(ident) => self.group.fns.iter().any(|f| *f.name() == ident),
            TokenTree::Group(group) => self.names_a_fn(&group.stream()),
            _ => false,
        })
    }

    fn scoped(&mut self, f: impl FnOnce(&mut Self)) {
        self.scopes.push(Vec::new());
        f(self);
        self.scopes.pop();
    }
}

impl<'ast> Visit<'ast> for Shadowed<'_, '_> {
    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        visit::visit_expr_call(self, call);
        if self.group.callee(call).is_some() {
            self.call();
        }
    }
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        visit::visit_expr_method_call(self, call);
        if self.group.method_callee(call).is_some() {
            self.call();
        }
    }
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if self.names_a_fn(&mac.tokens) {
            self.call();
        }
    }
    fn visit_block(&mut self, block: &'ast syn::Block) {
        self.scoped(|s| block.stmts.iter().for_each(|stmt| s.visit_stmt(stmt)));
    }
    fn visit_local(&mut self, local: &'ast syn::Local) {
        if let Some(init) = &local.init {
            self.visit_expr(&init.expr);
            if let Some((_, diverge)) = &init.diverge {
                self.visit_expr(diverge);
            }
        }
        self.bind(&local.pat);
    }
    fn visit_expr_let(&mut self, e: &'ast syn::ExprLet) {
        self.visit_expr(&e.expr);
        self.bind(&e.pat);
    }
    fn visit_expr_if(&mut self, e: &'ast syn::ExprIf) {
        self.scoped(|s| {
            s.visit_expr(&e.cond);
            s.visit_block(&e.then_branch);
        });
        if let Some((_, els)) = &e.else_branch {
            self.visit_expr(els);
        }
    }
    fn visit_expr_while(&mut self, e: &'ast syn::ExprWhile) {
        self.scoped(|s| {
            s.visit_expr(&e.cond);
            s.visit_block(&e.body);
        });
    }
    fn visit_expr_for_loop(&mut self, e: &'ast syn::ExprForLoop) {
        self.visit_expr(&e.expr);
        self.scoped(|s| {
            s.bind(&e.pat);
            s.visit_block(&e.body);
        });
    }
    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        self.scoped(|s| {
            s.bind(&arm.pat);
            // The guard (`Pat::Guard`) sees the arm's bindings.
            visit::visit_pat(s, &arm.pat);
            s.visit_expr(&arm.body);
        });
    }
    fn visit_expr_closure(&mut self, e: &'ast syn::ExprClosure) {
        self.scoped(|s| {
            e.inputs.iter().for_each(|input| s.bind(input));
            s.visit_expr(&e.body);
        });
    }
    fn visit_item(&mut self, item: &'ast syn::Item) {
        // A `macro_rules!` that names a fn of the group expands to a recursive call where used;
        // count it as one where it is defined, the scope its names resolve in.
        if let syn::Item::Macro(m) = item {
            if m.ident.is_some() && self.names_a_fn(&m.mac.tokens) {
                self.call();
            }
        }
    }
}

/// Renames the bindings of the shadowed names, and their uses.
struct Renamer {
    shadowed: BTreeSet<String>,
    taken: BTreeSet<String>,
    /// Per scope, the names bound there that were renamed, to their new identifiers.
    scopes: Vec<HashMap<String, Ident>>,
    /// Strings of macros that may or may not read them as format strings, with an inline
    /// argument naming a renamed local: (the string, the name, the macro).
    unknown_strings: RefCell<Vec<(Literal, String, String)>>,
}

impl Renamer {
    fn lookup(&self, name: &str) -> Option<&Ident> {
        self.scopes.iter().rev().find_map(|scope| scope.get(name))
    }

    fn fresh(&mut self, ident: &Ident) -> Ident {
        let base = ident.to_string();
        let base = base.strip_prefix("r#").unwrap_or(&base);
        let name =
            (1..).map(|k| format!("{base}_{k}")).find(|n| !self.taken.contains(n)).expect("a free name");
        self.taken.insert(name.clone());
        Ident::new(&name, ident.span())
    }

    /// Binds `pat`'s names in the innermost scope, renaming those of shadowed names.
    fn bind(&mut self, pat: &mut Pat) {
        let mut renamed: HashMap<String, Ident> = HashMap::new();
        for bound in free_vars::bindings(pat) {
            let name = bound.ident.to_string();
            if self.shadowed.contains(&name) && !renamed.contains_key(&name) {
                let fresh = self.fresh(&bound.ident);
                renamed.insert(name, fresh);
            }
        }
        if !renamed.is_empty() {
            RenameBinders(&renamed).visit_pat_mut(pat);
            self.scopes.last_mut().expect("a scope is open").extend(renamed);
        }
        // A match guard (`Pat::Guard`) sees the pattern's bindings; const expressions name no
        // locals.
        RenameUses(self).visit_pat_mut(pat);
    }

    fn scoped(&mut self, f: impl FnOnce(&mut Self)) {
        self.scopes.push(HashMap::new());
        f(self);
        self.scopes.pop();
    }

    /// A macro invocation's tokens, with its format string where it has one: at its place
    /// among a standard macro's arguments, or the first argument that is a lone string.
    fn macro_tokens(&self, name: &str, tokens: TokenStream) -> TokenStream {
        // What these make of their tokens is text: renamed, the text would differ.
        if matches!(name, "stringify" | "concat") {
            return tokens;
        }
        let list: Vec<TokenTree> = tokens.clone().into_iter().collect();
        let format_at = format_argument(name, &list);
        if format_at.is_none() && format_strings::format_position(name).is_none() {
            self.find_unknown_strings(name, &list);
        }
        let renamed = self.tokens(format_at, false, tokens.clone());
        // `assert!(n_1 > 0)` would say "assertion failed: n_1 > 0": give it the text as written.
        let no_message = format_strings::split_arguments(&list).iter().filter(|a| !a.is_empty()).count() == 1;
        if matches!(name, "assert" | "debug_assert")
            && no_message
            && renamed.to_string() != tokens.to_string()
        {
            let condition = list.iter().take_while(|t| !is_punct(Some(t), ','));
            let condition: TokenStream = condition.cloned().collect();
            let message =
                quote::quote!(::core::concat!("assertion failed: ", ::core::stringify!(#condition)));
            // As the format string itself, the message is a `&'static str` payload, as
            // `assert!`'s own is; text with braces goes through `"{}"`.
            return match condition.to_string().contains(['{', '}']) {
                false => quote::quote!(#renamed, #message),
                true => quote::quote!(#renamed, "{}", #message),
            };
        }
        renamed
    }

    /// Records the strings among an unknown macro's tokens whose inline arguments name a
    /// renamed local.
    fn find_unknown_strings(&self, mac: &str, tokens: &[TokenTree]) {
        for (i, token) in tokens.iter().enumerate() {
            match token {
                TokenTree::Literal(lit) if is_string(lit) => {
                    format_strings::map_inline_arguments(&lit.to_string(), &mut |name| {
                        if self.lookup(name).is_some() {
                            let found = (lit.clone(), name.to_string(), mac.to_string());
                            self.unknown_strings.borrow_mut().push(found);
                        }
                        name.to_string()
                    });
                }
                // A nested invocation is looked at as a macro of its own.
                TokenTree::Group(_) if i >= 2 && is_punct(tokens.get(i - 1), '!') => {}
                TokenTree::Group(group) => {
                    self.find_unknown_strings(mac, &group.stream().into_iter().collect::<Vec<_>>())
                }
                _ => {}
            }
        }
    }

    /// Tokens where identifiers may name locals: renamed, except where one is a field
    /// (`.n`), a path segment (`n::` or `::n`), a struct field or an ascription (`n:`), a
    /// macro's name (`n!`) or a named format argument (`n = ..` beside the format string).
    /// `format_at`: which comma-separated argument is a format string. `struct_body`: the
    /// tokens are the braces of a struct literal or pattern (`S { n, m: 1 }`), where a field's
    /// name stays and a shorthand field is expanded (`S { n: n_1, m: 1 }`).
    fn tokens(&self, format_at: Option<usize>, struct_body: bool, tokens: TokenStream) -> TokenStream {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let named: BTreeSet<String> = match format_at {
            Some(_) => named_arguments(&tokens),
            None => BTreeSet::new(),
        };
        let at = |i: usize, back: usize| i.checked_sub(back).map(|p| &tokens[p]);
        let mut argument = 0;
        let mut out = Vec::with_capacity(tokens.len());
        for (i, token) in tokens.iter().enumerate() {
            let field_start = i == 0 || is_punct(at(i, 1), ',');
            if let (true, true, TokenTree::Ident(ident)) = (struct_body, field_start, token) {
                let shorthand = tokens.get(i + 1).is_none() || is_punct(tokens.get(i + 1), ',');
                let named_field = is_punct(tokens.get(i + 1), ':') && !is_punct(tokens.get(i + 2), ':');
                match self.lookup(&ident.to_string()) {
                    Some(renamed) if shorthand => {
                        let colon = proc_macro2::Punct::new(':', proc_macro2::Spacing::Alone);
                        let value = Ident::new(&renamed.to_string(), ident.span());
                        out.extend([token.clone(), TokenTree::Punct(colon), TokenTree::Ident(value)]);
                        continue;
                    }
                    _ if named_field => {
                        out.push(token.clone());
                        continue;
                    }
                    _ => {}
                }
            }
            out.push(match token {
                TokenTree::Punct(p) => {
                    argument += usize::from(p.as_char() == ',');
                    token.clone()
                }
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    let field = is_punct(at(i, 1), '.') && !is_punct(at(i, 2), '.');
                    // `n: u64` in a closure or a `let` inside the macro binds `n`, renamed with its
                    // uses; `n::` and `::n` are paths; `'n` is a label; `$n` a metavariable.
                    let path = (is_punct(at(i, 1), ':') && is_punct(at(i, 2), ':'))
                        || (is_punct(tokens.get(i + 1), ':') && is_punct(tokens.get(i + 2), ':'))
                        || is_punct(at(i, 1), '\'')
                        || is_punct(at(i, 1), '$');
                    let mac = is_punct(tokens.get(i + 1), '!') && !is_punct(tokens.get(i + 2), '=');
                    let named_argument = named.contains(&name) && is_punct(tokens.get(i + 1), '=');
                    match self.lookup(&name) {
                        Some(renamed) if !(field || path || mac || named_argument) => {
                            TokenTree::Ident(Ident::new(&renamed.to_string(), ident.span()))
                        }
                        _ => token.clone(),
                    }
                }
                TokenTree::Group(group) => {
                    // A nested invocation (`format!(..)` inside `vec![..]`) is a macro of its own.
                    let stream = match (at(i, 2), at(i, 1)) {
                        (Some(TokenTree::Ident(m)), Some(TokenTree::Punct(bang)))
                            if bang.as_char() == '!' =>
                        {
                            self.macro_tokens(&m.to_string(), group.stream())
                        }
                        // `S { .. }`: a type's name starts with a capital.
                        (_, Some(TokenTree::Ident(ty)))
                            if group.delimiter() == proc_macro2::Delimiter::Brace
                                && ty.to_string().starts_with(|c: char| c.is_uppercase()) =>
                        {
                            self.tokens(None, true, group.stream())
                        }
                        _ => self.tokens(None, false, group.stream()),
                    };
                    let mut renamed = Group::new(group.delimiter(), stream);
                    renamed.set_span(group.span());
                    TokenTree::Group(renamed)
                }
                TokenTree::Literal(lit) if Some(argument) == format_at && is_string(lit) => {
                    TokenTree::Literal(self.format_string(lit, &named))
                }
                TokenTree::Literal(_) => token.clone(),
            });
        }
        out.into_iter().collect()
    }

    /// `"{n} {m:>w$}"` with `n`, `m` and `w` renamed, unless a named argument gives them.
    fn format_string(&self, lit: &Literal, named: &BTreeSet<String>) -> Literal {
        let out =
            format_strings::map_inline_arguments(&lit.to_string(), &mut |name| match self.lookup(name) {
                Some(ident) if !named.contains(name) => ident.to_string(),
                _ => name.to_string(),
            });
        match out.parse::<Literal>() {
            Ok(mut renamed) => {
                renamed.set_span(lit.span());
                renamed
            }
            Err(_) => lit.clone(),
        }
    }
}

/// `{name}`, `{name:..}` and `name$` in a string literal.
fn inline_names(lit: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = lit;
    while let Some(open) = rest.find(['{', '$']) {
        let name: String =
            rest[open + 1..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if !name.is_empty() {
            names.push(name);
        }
        rest = &rest[open + 1..];
    }
    names
}

/// Renames the binders of a pattern, expanding field shorthand (`Point { x }` binding `x_1`
/// becomes `Point { x: x_1 }`).
struct RenameBinders<'r>(&'r HashMap<String, Ident>);

impl VisitMut for RenameBinders<'_> {
    fn visit_pat_ident_mut(&mut self, p: &mut syn::PatIdent) {
        if let Some(renamed) = self.0.get(&p.ident.to_string()) {
            let is_binding = p.subpat.is_some()
                || p.by_ref.is_some()
                || p.mutability.is_some()
                || !p.ident.to_string().starts_with(|c: char| c.is_uppercase());
            if is_binding {
                p.ident = Ident::new(&renamed.to_string(), p.ident.span());
            }
        }
        visit_mut::visit_pat_ident_mut(self, p);
    }
    fn visit_field_pat_mut(&mut self, field: &mut syn::FieldPat) {
        let renamed = matches!(&*field.pat, Pat::Ident(p) if self.0.contains_key(&p.ident.to_string()));
        if field.colon_token.is_none() && renamed {
            field.colon_token = Some(Default::default());
        }
        visit_mut::visit_field_pat_mut(self, field);
    }
    // Expressions inside patterns bind nothing.
    fn visit_expr_mut(&mut self, _: &mut Expr) {}
}

/// Renames the uses in a pattern's expressions: a match guard's.
struct RenameUses<'r>(&'r mut Renamer);

impl VisitMut for RenameUses<'_> {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        self.0.visit_expr_mut(e);
    }
}

impl VisitMut for Renamer {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        self.scoped(|r| block.stmts.iter_mut().for_each(|stmt| r.visit_stmt_mut(stmt)));
    }
    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        if let Some(init) = &mut local.init {
            self.visit_expr_mut(&mut init.expr);
            if let Some((_, diverge)) = &mut init.diverge {
                self.visit_expr_mut(diverge);
            }
        }
        self.bind(&mut local.pat);
    }
    fn visit_expr_let_mut(&mut self, e: &mut syn::ExprLet) {
        self.visit_expr_mut(&mut e.expr);
        self.bind(&mut e.pat);
    }
    fn visit_expr_if_mut(&mut self, e: &mut syn::ExprIf) {
        self.scoped(|r| {
            r.visit_expr_mut(&mut e.cond);
            r.visit_block_mut(&mut e.then_branch);
        });
        if let Some((_, els)) = &mut e.else_branch {
            self.visit_expr_mut(els);
        }
    }
    fn visit_expr_while_mut(&mut self, e: &mut syn::ExprWhile) {
        self.scoped(|r| {
            r.visit_expr_mut(&mut e.cond);
            r.visit_block_mut(&mut e.body);
        });
    }
    fn visit_expr_for_loop_mut(&mut self, e: &mut syn::ExprForLoop) {
        self.visit_expr_mut(&mut e.expr);
        self.scoped(|r| {
            r.bind(&mut e.pat);
            r.visit_block_mut(&mut e.body);
        });
    }
    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        self.scoped(|r| {
            r.bind(&mut arm.pat);
            r.visit_expr_mut(&mut arm.body);
        });
    }
    fn visit_expr_closure_mut(&mut self, e: &mut syn::ExprClosure) {
        self.scoped(|r| {
            e.inputs.iter_mut().for_each(|input| r.bind(input));
            r.visit_expr_mut(&mut e.body);
        });
    }
    fn visit_expr_path_mut(&mut self, path: &mut syn::ExprPath) {
        if path.qself.is_none() {
            if let Some(ident) = path.path.get_ident() {
                if let Some(renamed) = self.lookup(&ident.to_string()) {
                    let renamed = Ident::new(&renamed.to_string(), ident.span());
                    path.path.segments[0].ident = renamed;
                }
            }
        }
    }
    fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
        // `Point { x }` reading a renamed `x` becomes `Point { x: x_1 }`.
        let renamed = matches!(&field.expr, Expr::Path(p) if p.path.get_ident().is_some_and(|i| self.lookup(&i.to_string()).is_some()));
        if field.colon_token.is_none() && renamed {
            field.colon_token = Some(Default::default());
        }
        visit_mut::visit_field_value_mut(self, field);
    }
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        let name = mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        mac.tokens = self.macro_tokens(&name, std::mem::take(&mut mac.tokens));
    }
    fn visit_item_mut(&mut self, item: &mut syn::Item) {
        // A `macro_rules!` in the body names the locals in scope where it is defined.
        if let syn::Item::Macro(m) = item {
            if m.ident.is_some() {
                m.mac.tokens = self.tokens(None, false, std::mem::take(&mut m.mac.tokens));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renamed(src: &str) -> String {
        let item: syn::ItemFn = syn::parse_str(src).unwrap();
        let mut f = FiberFn::new(item, true);
        let fns = [f.clone()];
        let mut errors = Errors::default();
        rename(&mut f, &model::Group { fns: &fns, kind: &model::Kind::Fn }, &mut errors);
        if let Err(e) = errors.checkpoint() {
            return e.to_string();
        }
        let item = &f.item;
        let params = f.params.iter().map(|p| &p.pat);
        let block = &item.block;
        quote::quote!(fn f(#(#params),*) #block).to_string()
    }

    fn normalized(src: &str) -> String {
        src.parse::<TokenStream>().unwrap().to_string()
    }

    #[test]
    fn every_binding_of_a_shadowed_name_gets_its_own() {
        assert_eq!(
            renamed("fn f(n: u64) -> u64 { let n = n - 1; let r = f(n); let n = n * 2; r + n }"),
            normalized("fn f(n_1) { let n_2 = n_1 - 1; let r = f(n_2); let n_3 = n_2 * 2; r + n_3 }")
        );
    }

    #[test]
    fn names_bound_only_once_or_in_disjoint_scopes_stay() {
        let src = "fn f(a: u64) { match a { Some(x) => x, None => { let x = 1; x } } }";
        assert_eq!(
            renamed(src),
            normalized("fn f(a) { match a { Some(x) => x, None => { let x = 1; x } } }")
        );
    }

    #[test]
    fn new_names_meet_no_existing_one() {
        assert_eq!(
            renamed("fn f(n: u64) { let n_1 = 5; let n = n + n_1; f(n) }"),
            normalized("fn f(n_2) { let n_1 = 5; let n_3 = n_2 + n_1; f(n_3) }")
        );
    }

    #[test]
    fn shorthand_fields_and_guards() {
        assert_eq!(
            renamed(
                "fn f(x: u64) { let P { x, y } = p(x); f(y); match x { Some(x) if x > y => P { x, y }, _ => P { x: 0, y } } }"
            ),
            normalized(
                "fn f(x_1) { let P { x: x_2, y } = p(x_1); f(y); match x_2 { Some(x_3) if x_3 > y => P { x: x_3, y }, _ => P { x: 0, y } } }"
            )
        );
    }

    #[test]
    fn closures_bind_their_parameters() {
        assert_eq!(
            renamed("fn f(n: u64) { let g = |n| n + 1; f(g(n)) }"),
            normalized("fn f(n_1) { let g = |n_2| n_2 + 1; f(g(n_1)) }")
        );
    }

    #[test]
    fn macro_arguments_and_format_strings() {
        assert_eq!(
            renamed(
                r#"fn f(n: u64, w: usize) { let n = n + 1; f(n); println!("{n} {n:?} {:>w$} {0} {{n}} {m}", n.max(1), m = n); }"#
            ),
            normalized(
                r#"fn f(n_1, w) { let n_2 = n_1 + 1; f(n_2); println!("{n_2} {n_2:?} {:>w$} {0} {{n}} {m}", n_2.max(1), m = n_2); }"#
            )
        );
        // A named argument gives the inline one; a field and a method keep their names.
        assert_eq!(
            renamed(
                r#"fn f(n: u64) { let n = n + 1; f(n); format!("{n}", n = s.n); write!(out, "{n}\u{7b}", ) }"#
            ),
            normalized(
                r#"fn f(n_1) { let n_2 = n_1 + 1; f(n_2); format!("{n}", n = s.n); write!(out, "{n_2}\u{7b}", ) }"#
            )
        );
        // A string compared in `assert_eq!` is a value, its message a format string.
        assert_eq!(
            renamed(
                r#"fn f(n: u64) { let n = 2; f(n); assert_eq!(s, "{n}", "{n}"); vec![format!("{n}"), n.to_string()] }"#
            ),
            normalized(
                r#"fn f(n_1) { let n_2 = 2; f(n_2); assert_eq!(s, "{n}", "{n_2}"); vec![format!("{n_2}"), n_2.to_string()] }"#
            )
        );
        // A macro that forwards its format string (log, tracing, anyhow).
        assert_eq!(
            renamed(r#"fn f(n: u64) { let n = 2; f(n); log::info!(target: "t", "{n}"); bail!("{n}", ) }"#),
            normalized(
                r#"fn f(n_1) { let n_2 = 2; f(n_2); log::info!(target: "t", "{n_2}"); bail!("{n_2}", ) }"#
            )
        );
        // Another macro's strings may be no format strings: one naming a renamed local is an
        // error that says how to go on.
        let error = renamed(r#"fn f(n: u64) { let n = 2; f(n); lit!("{n}") }"#);
        assert!(error.contains("`{n}` in this string of `lit!`"), "{error}");
        assert_eq!(
            renamed(r#"fn f(n: u64) { let n = 2; f(n); m!("{{n}}", format!("{n}")) }"#),
            normalized(r#"fn f(n_1) { let n_2 = 2; f(n_2); m!("{{n}}", format!("{n_2}")) }"#)
        );
    }

    #[test]
    fn macro_struct_bodies_binders_labels_and_text() {
        assert_eq!(
            renamed(
                "fn f(n: u64) { let n = n + 1; f(n); vec![S { n }, S { n: n }]; \
                 m!(|n: u64| n + 1); m!('n: loop { break 'n; }); stringify!(n) }"
            ),
            normalized(
                "fn f(n_1) { let n_2 = n_1 + 1; f(n_2); vec![S { n: n_2 }, S { n: n_2 }]; \
                 m!(|n_2: u64| n_2 + 1); m!('n: loop { break 'n; }); stringify!(n) }"
            )
        );
        // A `macro_rules!` in the body reads the locals where it is defined.
        assert_eq!(
            renamed("fn f(n: u64) { let n = n + 1; macro_rules! m { ($n:expr) => { n + $n }; } f(m!(1)) }"),
            normalized(
                "fn f(n_1) { let n_2 = n_1 + 1; macro_rules! m { ($n:expr) => { n_2 + $n }; } f(m!(1)) }"
            )
        );
        // `assert!`'s message shows the condition as written.
        assert_eq!(
            renamed("fn f(n: u64) { let n = n + 1; f(n); assert!(n > 0); assert!(n > 0, \"{n}\") }"),
            normalized(
                "fn f(n_1) { let n_2 = n_1 + 1; f(n_2); \
                 assert!(n_2 > 0, ::core::concat!(\"assertion failed: \", ::core::stringify!(n > 0))); \
                 assert!(n_2 > 0, \"{n_2}\") }"
            )
        );
    }

    #[test]
    fn names_shadowed_where_no_call_sees_them_stay() {
        let src = "fn f(n: u64) { let r = f(n - 1); let s = r; let s = s + 1; dbg!(s) }";
        assert_eq!(renamed(src), normalized(src.replace("n: u64", "n").as_str()));
        // A shadowing after the call of a name kept across it is renamed.
        assert_eq!(
            renamed("fn f(n: u64) { let r = f(n - 1); let n = n * 2; r + n }"),
            normalized("fn f(n_1) { let r = f(n_1 - 1); let n_2 = n_1 * 2; r + n_2 }")
        );
    }
}
