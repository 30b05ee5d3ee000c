//! `#[cfg]` on the fns of a group: a fn under `#[cfg(..)]` may only be called by fns under the
//! same `#[cfg(..)]`, since a caller's machine holds its callees' states, which must vanish with
//! them.

use quote::quote;

use crate::errors::Errors;
use crate::front::model::FiberFn;

/// `calls[f]`: the fns `f` calls.
pub fn check(fns: &[FiberFn], calls: &[Vec<usize>], errors: &mut Errors) {
    fn cfg_attrs(f: &FiberFn) -> impl Iterator<Item = &syn::Attribute> {
        f.item.attrs.iter().filter(|a| a.path().is_ident("cfg") || a.path().is_ident("cfg_attr"))
    }
    for (f, callees) in fns.iter().zip(calls) {
        let own: Vec<String> = cfg_attrs(f).map(|a| quote!(#a).to_string()).collect();
        for &g in callees {
            let missing = cfg_attrs(&fns[g]).find(|a| !own.contains(&quote!(#a).to_string()));
            if let Some(attr) = missing {
                errors.error(
                    attr,
                    format!(
                        "`{}` calls `{}`, which is under this attribute, without it: the machine \
                         of `{0}` holds the states of the fns it calls, which would vanish without \
                         its own\nhelp: put the same attribute on `{0}`, or keep `{1}` out of the \
                         group with `#[native]`",
                        f.name(),
                        fns[g].name()
                    ),
                );
            }
        }
    }
}
