//! Every name the expansion introduces. Names a user could collide with are resolved at
//! `Span::mixed_site()`, so user code can neither see nor shadow them.
//!
//! The passes also track bindings by name (`sequence` resolves uses to bindings by their text),
//! so the names of generated bindings (temporaries, a `for` loop's item, a method's receiver,
//! labels) start with a prefix that no identifier of the user's starts with: `__fiber`, with
//! more underscores if needed ([`choose_prefix`]).

use std::cell::RefCell;

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote};

thread_local! {
    static PREFIX: RefCell<String> = RefCell::new(String::from("__fiber"));
}

/// Picks the prefix of generated binding names for one expansion of `input`.
pub fn choose_prefix(input: &TokenStream) {
    fn idents(tokens: &TokenStream, out: &mut Vec<String>) {
        for token in tokens.clone() {
            match token {
                TokenTree::Ident(ident) => out.push(ident.to_string()),
                TokenTree::Group(group) => idents(&group.stream(), out),
                _ => {}
            }
        }
    }
    let mut names = Vec::new();
    idents(input, &mut names);
    let mut prefix = String::from("__fiber");
    while names.iter().any(|name| name.starts_with(&format!("{prefix}_"))) {
        prefix.push('_');
    }
    PREFIX.with(|p| *p.borrow_mut() = prefix);
}

/// `{prefix}_{rest}`.
fn generated(rest: &str) -> String {
    PREFIX.with(|p| format!("{}_{rest}", p.borrow()))
}

/// A generated label, `'{prefix}_{rest}`.
pub fn label(rest: &str) -> syn::Lifetime {
    syn::Lifetime::new(&format!("'{}", generated(rest)), Span::mixed_site())
}

/// The item a desugared `for` loop binds.
pub fn loop_item() -> Ident {
    hidden(&generated("next"))
}

/// The `n`-th argument of a macro invocation, evaluated before the macro (`macros`).
pub fn macro_argument(n: usize) -> Ident {
    hidden(&generated(&format!("m{n}")))
}

/// The zero-sized witness of a binding's type (`tail`).
pub fn witness(binding: usize) -> Ident {
    hidden(&generated(&format!("w{binding}")))
}

fn hidden(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

pub fn frame_enum() -> Ident {
    hidden("__FiberFrame")
}

pub fn ret_enum() -> Ident {
    hidden("__FiberRet")
}

/// The `&mut Top` the step closure receives.
pub fn top() -> Ident {
    hidden("__fiber_top")
}

/// The frame the step closure runs, which it receives by value; when tail calls loop inside
/// the step (`Top::tail_calls_loop`), each tail call assigns the callee's frame to it.
pub fn running_frame() -> Ident {
    hidden("__fiber_frame")
}

/// The label of the loop that runs tail-called frames inside the step.
pub fn tail_label() -> syn::Lifetime {
    syn::Lifetime { apostrophe: Span::mixed_site(), ident: hidden("__fiber_tail") }
}

/// The `&mut Option<Ret>` return slot the step closure receives.
pub fn slot() -> Ident {
    hidden("__fiber_slot")
}

/// The value of a state's code, on its way into the return slot.
pub fn value() -> Ident {
    hidden("__fiber_value")
}

/// A field of a frame variant, bound in the state's match arm before the binding is restored
/// in its own scope.
pub fn field_local(binding: usize) -> Ident {
    hidden(&format!("__fiber_b{binding}"))
}

/// A pointer to a pinned local (`f(&mut acc)`) in the frame its caller saved.
pub fn pinned(binding: usize) -> Ident {
    hidden(&format!("__fiber_pin{binding}"))
}

/// The `k`-th index operand of the place that the `n`-th argument of a call pins.
pub fn place_index(n: usize, k: usize) -> Ident {
    hidden(&format!("__fiber_arg{n}_index{k}"))
}

/// The `n`-th argument of a recursive call, evaluated before the caller saves its state.
pub fn arg(n: usize) -> Ident {
    hidden(&format!("__fiber_arg{n}"))
}

/// A temporary that holds a value native code evaluates before a recursive call.
pub fn temp(n: usize) -> Ident {
    hidden(&generated(&format!("t{n}")))
}

/// The flag that makes a resumed loop finish its current iteration first.
pub fn resumed_flag(depth: usize) -> Ident {
    hidden(&format!("__fiber_resumed{depth}"))
}

/// The public fn's `n`-th parameter, when the user wrote a pattern there.
pub fn param(n: usize) -> Ident {
    hidden(&format!("__fiber_p{n}"))
}

/// What a fn's variants and type parameters start with: nothing when it is alone in its group,
/// its name in CamelCase otherwise (`parse_expr` -> `ParseExpr`).
pub fn prefix(fn_name: &Ident, alone: bool) -> String {
    if alone {
        return String::new();
    }
    let name = fn_name.to_string();
    let name = name.strip_prefix("r#").unwrap_or(&name);
    name.split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
        })
        .collect()
}

/// What a method's `self` is called inside the machine, where `self` cannot be bound; the
/// binding and the renamed uses take the spans of the user's `self` tokens.
pub fn receiver() -> Ident {
    Ident::new(&generated("self"), Span::call_site())
}

/// The start variant of a fn's frame.
pub fn start_variant(prefix: &str) -> Ident {
    Ident::new(&format!("{prefix}Start"), Span::call_site())
}

/// The variant of the state after resume point `site`.
pub fn after_variant(prefix: &str, site: usize) -> Ident {
    Ident::new(&format!("{prefix}After{site}"), Span::call_site())
}

/// The type parameter of the frame enum that stands for the type of a fn's `n`-th parameter.
pub fn param_type(prefix: &str, n: usize) -> Ident {
    Ident::new(&format!("{prefix}P{n}"), Span::call_site())
}

/// The type parameter of the frame enum that stands for the type of every receiver of one kind
/// (`&mut self`, `&self`, `self`) in the group.
pub fn receiver_type(receiver: &syn::Receiver) -> Ident {
    let kind = match &receiver.kind {
        syn::ReceiverKind::Reference(_, _, Some(_)) => "SelfMut",
        syn::ReceiverKind::Reference(_, _, None) => "SelfRef",
        _ => "SelfVal",
    };
    Ident::new(kind, Span::call_site())
}

/// The frame field for a binding: its own name when that is unique in the variant.
pub fn field(name: &Ident, binding: usize, unique: bool) -> Ident {
    if unique {
        Ident::new(&name.to_string(), Span::call_site())
    } else {
        Ident::new(&format!("{name}_{binding}"), Span::call_site())
    }
}

/// The type parameter of the frame enum that stands for a binding's inferred type.
pub fn type_param(prefix: &str, binding: usize) -> Ident {
    Ident::new(&format!("{prefix}T{binding}"), Span::call_site())
}

/// The type parameter of the return enum for the `n`-th fn's return type.
pub fn return_type(n: usize) -> Ident {
    Ident::new(&format!("R{n}"), Span::call_site())
}

/// The hidden inherent method that holds the fiber of a trait impl's method `name`.
pub fn hidden_method(name: &Ident) -> Ident {
    Ident::new(&format!("__fiber_{name}"), name.span())
}

/// A method of the borrow-checking shadow of a `#[fiber] impl` (see `shadow`): a name of its
/// own, so that `x.name(..)` stays a method call (with its two-phase borrow of the receiver)
/// and still reaches the shadow rather than the inherent method, the fiber.
pub fn shadow_method(name: &Ident) -> Ident {
    Ident::new(&format!("__fiber_shadow_{name}"), name.span())
}

/// The private trait of the borrow-checking shadow of one `#[fiber] impl` block of `self_ty`
/// (see `shadow`), named after the block's first method too: two blocks for one type hold
/// different methods, so each gets a trait of its own.
pub fn shadow_trait(self_ty: &Ident, first_method: &Ident) -> Ident {
    format_ident!("__FiberShadow{}_{}", self_ty, first_method, span = Span::mixed_site())
}

/// The runtime's private module, the only path generated code reaches the runtime through, by
/// the name each public fn gives it ([`use_private`]): templates write `#private::Step`.
#[allow(non_camel_case_types)]
pub struct private;

impl ToTokens for private {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        hidden(&generated("rt")).to_tokens(tokens);
    }
}

/// `use ::fiber_runtime::__private as {prefix}_rt;`, at the top of each public fn's body.
pub fn use_private() -> TokenStream {
    quote!(use ::fiber_runtime::__private as #private;)
}
