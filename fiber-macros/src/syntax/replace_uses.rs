//! Every use of some locals, replaced by an expression that reaches their place another way.
//!
//! The machine keeps two kinds of locals out of its frames' moves: `&mut` parameters, reached
//! through a pointer (`front::mut_params`), and locals a borrow holds across a call, kept at one
//! heap address (`analysis::kept_locals`). Both rewrite each use of the name, in expressions,
//! in macro invocations token by token, and in format strings that capture the name inline
//! (`"{v:?}"` gets a named argument `v = ..`, since the string can only name it). The names
//! are unique in the part of the body the rewrite sees (`front::shadowing` renamed shadowed
//! ones), so a use is any path of one identifier that is not a field, a path segment or a label.

use proc_macro2::{Ident, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Pat};

/// Replaces the uses of `names` in what it visits: a use `v` becomes `place(v)`, and where
/// `by_value` is given, a use that reads `v` by value (an argument, a returned or stored value,
/// a `let` binding it by value) becomes `by_value(v)` instead.
pub struct ReplaceUses<'n> {
    pub names: &'n [Ident],
    pub place: &'n dyn Fn(&Ident) -> TokenStream,
    pub by_value: Option<&'n dyn Fn(&Ident) -> TokenStream>,
}

impl ReplaceUses<'_> {
    fn name_of(&self, expr: &Expr) -> Option<Ident> {
        let Expr::Path(path) = expr else { return None };
        path.path.get_ident().filter(|i| path.qself.is_none() && self.names.contains(i)).cloned()
    }

    /// `expr` is read by value: replaced whole when it is a use, visited otherwise.
    pub fn visit_value_mut(&mut self, expr: &mut Expr) {
        if let (Some(by_value), Some(ident)) = (self.by_value, self.name_of(expr)) {
            *expr = syn::parse2(by_value(&ident)).expect("a use parses");
            return;
        }
        self.visit_expr_mut(expr);
    }

    fn tokens(&self, tokens: TokenStream) -> TokenStream {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut out = TokenStream::new();
        for (i, token) in tokens.iter().enumerate() {
            let after_path_sep = i > 0
                && matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == ':' || p.as_char() == '.');
            match token {
                TokenTree::Ident(ident) if self.names.contains(ident) && !after_path_sep => {
                    out.extend((self.place)(ident));
                }
                TokenTree::Group(group) => {
                    let mut rewritten =
                        proc_macro2::Group::new(group.delimiter(), self.tokens(group.stream()));
                    rewritten.set_span(group.span());
                    out.extend(rewritten.into_token_stream());
                }
                other => out.extend(other.to_token_stream()),
            }
        }
        out
    }
}

impl VisitMut for ReplaceUses<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Some(ident) = self.name_of(expr) {
            *expr = syn::parse2((self.place)(&ident)).expect("a use parses");
            return;
        }
        if self.by_value.is_none() {
            return visit_mut::visit_expr_mut(self, expr);
        }
        match expr {
            Expr::Call(call) => {
                self.visit_expr_mut(&mut call.func);
                call.args.iter_mut().for_each(|a| self.visit_value_mut(a));
            }
            Expr::MethodCall(call) => {
                self.visit_expr_mut(&mut call.receiver);
                call.args.iter_mut().for_each(|a| self.visit_value_mut(a));
            }
            Expr::Return(syn::ExprReturn { expr: Some(value), .. })
            | Expr::Break(syn::ExprBreak { expr: Some(value), .. }) => self.visit_value_mut(value),
            Expr::Tuple(tuple) => tuple.elems.iter_mut().for_each(|e| self.visit_value_mut(e)),
            Expr::Array(array) => array.elems.iter_mut().for_each(|e| self.visit_value_mut(e)),
            Expr::Assign(assign) => {
                self.visit_expr_mut(&mut assign.left);
                self.visit_value_mut(&mut assign.right);
            }
            Expr::Struct(lit) => {
                for field in &mut lit.fields {
                    if field.colon_token.is_none() {
                        field.colon_token = Some(Default::default());
                    }
                    self.visit_value_mut(&mut field.expr);
                }
                if let Some(rest) = &mut lit.rest {
                    self.visit_value_mut(rest);
                }
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        for stmt in &mut block.stmts {
            self.visit_stmt_mut(stmt);
        }
    }

    fn visit_stmt_mut(&mut self, stmt: &mut syn::Stmt) {
        match stmt {
            syn::Stmt::Expr(tail, None) if self.by_value.is_some() => self.visit_value_mut(tail),
            syn::Stmt::Local(local) if self.by_value.is_some() && binds_by_value(&local.pat) => {
                self.visit_pat_mut(&mut local.pat);
                if let Some(init) = &mut local.init {
                    self.visit_value_mut(&mut init.expr);
                    if let Some((_, diverge)) = &mut init.diverge {
                        self.visit_expr_mut(diverge);
                    }
                }
            }
            _ => visit_mut::visit_stmt_mut(self, stmt),
        }
    }

    fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
        // `S { v }` names the field and the local at once: spell the value out.
        if field.colon_token.is_none() {
            field.colon_token = Some(Default::default());
        }
        visit_mut::visit_field_value_mut(self, field);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        let name = mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        let captured: Vec<&Ident> = crate::syntax::format_strings::captured(&name, &mac.tokens)
            .into_iter()
            .filter_map(|c| self.names.iter().find(|n| **n == c))
            .collect();
        let mut tokens = self.tokens(std::mem::take(&mut mac.tokens));
        for ident in captured {
            let ends_with_comma =
                matches!(tokens.clone().into_iter().last(), Some(TokenTree::Punct(p)) if p.as_char() == ',');
            let comma = (!ends_with_comma).then(|| quote!(,));
            let value = (self.place)(ident);
            tokens.extend(quote!(#comma #ident = #value));
        }
        mac.tokens = tokens;
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// Matching against `pat` reads the value by value: some binding of it is not `ref`.
fn binds_by_value(pat: &Pat) -> bool {
    match pat {
        Pat::Wild(_) => false,
        _ => crate::syntax::free_vars::bindings(pat).iter().any(|b| !b.by_ref),
    }
}
