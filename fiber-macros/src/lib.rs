//! Implementation detail of `fiber-runtime`: the `#[fiber]` attribute. Depend on
//! `fiber-runtime`, which re-exports it.

use proc_macro::TokenStream;

#[proc_macro_attribute]
pub fn fiber(_attr: TokenStream, item: TokenStream) -> TokenStream {
    item
}
