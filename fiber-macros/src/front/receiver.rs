//! A method's `self` inside the machine: the state code runs in a closure, where `self` cannot
//! be bound, so the body's `self` becomes `naming::receiver()`, a parameter like the others.

use proc_macro2::{Ident, TokenStream, TokenTree};
use syn::visit_mut::VisitMut;

use crate::naming;

/// Renames every `self` in `block` that is the receiver (not `self::path`), also inside closures
/// and macro invocations; nested items have their own `self`.
pub fn rename_self(block: &mut syn::Block) {
    Rename.visit_block_mut(block);
}

/// Undoes [`rename_self`], for a method emitted as written.
pub fn restore_self(block: &mut syn::Block) {
    Restore.visit_block_mut(block);
}

struct Restore;

impl VisitMut for Restore {
    fn visit_ident_mut(&mut self, ident: &mut Ident) {
        if *ident == naming::receiver() {
            *ident = Ident::new("self", ident.span());
        }
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        mac.tokens = restore_tokens(std::mem::take(&mut mac.tokens));
    }
}

fn restore_tokens(tokens: TokenStream) -> TokenStream {
    tokens
        .into_iter()
        .map(|token| match token {
            TokenTree::Ident(ident) if ident == naming::receiver() => {
                TokenTree::Ident(Ident::new("self", ident.span()))
            }
            TokenTree::Group(group) => {
                let mut restored = proc_macro2::Group::new(group.delimiter(), restore_tokens(group.stream()));
                restored.set_span(group.span());
                TokenTree::Group(restored)
            }
            other => other,
        })
        .collect()
}

struct Rename;

impl VisitMut for Rename {
    fn visit_expr_path_mut(&mut self, path: &mut syn::ExprPath) {
        if path.qself.is_none() && path.path.leading_colon.is_none() && path.path.segments.len() == 1 {
            let segment = &mut path.path.segments[0];
            if segment.ident == "self" && segment.arguments.is_none() {
                segment.ident = renamed(&segment.ident);
            }
        }
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        mac.tokens = rename_tokens(std::mem::take(&mut mac.tokens));
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

fn renamed(token: &Ident) -> Ident {
    let mut ident = naming::receiver();
    ident.set_span(token.span());
    ident
}

fn rename_tokens(tokens: TokenStream) -> TokenStream {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(tokens.len());
    for (i, token) in tokens.iter().enumerate() {
        let is_path_start = matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == proc_macro2::Spacing::Joint);
        out.push(match token {
            TokenTree::Ident(ident) if ident == "self" && !is_path_start => TokenTree::Ident(renamed(ident)),
            TokenTree::Group(group) => {
                let mut renamed = proc_macro2::Group::new(group.delimiter(), rename_tokens(group.stream()));
                renamed.set_span(group.span());
                TokenTree::Group(renamed)
            }
            other => other.clone(),
        });
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn renames_the_receiver_not_module_paths() {
        let mut block: syn::Block = syn::parse_quote!({
            let a = self.left.sum() + self::helper(self.x);
            println!("{} {}", self.x, self::NAME);
            let f = || self.y;
            fn nested(&self) -> u8 {
                self.z
            }
        });
        rename_self(&mut block);
        let text = quote!(#block).to_string();
        assert_eq!(text.matches("__fiber_self").count(), 4, "{text}");
        assert!(text.contains("self :: helper") && text.contains("self :: NAME"), "{text}");
        assert!(text.contains("self . z"), "{text}");
    }
}
