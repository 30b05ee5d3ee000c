//! The pass-by-pass view: a fn after each stage of the pipeline. The views of a few fns are kept in `tests/passes/`, and
//! `cargo test -p fiber-macros passes -- --nocapture` prints them; `FIBER_BLESS=1` rewrites them.
//!
//! The stages are those of `pipeline::run`, which this view calls: the fn as written; as the
//! front gives it; the body in A-normal form with its resume points, each marked
//! `resume_point!(site, keeps = [..])` with the bindings the frame keeps there; the machine.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ItemFn;

use crate::anf::ir::*;
use crate::errors::Errors;
use crate::front::model::{FiberFn, Group, Kind};
use crate::{naming, pipeline};

/// The view of a single fn: a heading and the pretty-printed code for each stage.
fn view(src: &str) -> String {
    let item: ItemFn = syn::parse_str(src).expect("a fn");
    naming::choose_prefix(&src.parse().unwrap());
    let fns = vec![FiberFn::new(item.clone(), true)];
    let stages = pipeline::run(Group { fns: &fns, kind: &Kind::Fn }, Errors::default())
        .unwrap_or_else(|error| panic!("{src} expands: {error}"));

    let front = &stages.fns[0].item;
    let analyzed = &stages.analysis.fns[0];
    let names: Vec<proc_macro2::Ident> = stages.fns.iter().map(|f| f.name().clone()).collect();
    let render = Render { bindings: &analyzed.seq.bindings, saved: &analyzed.saved, names: &names };
    let (sig, body) = (&front.sig, render.block(&analyzed.seq.body));
    let stages = [
        ("as written", quote!(#item)),
        (
            "front: `&mut` parameters reached through their pointers, macro invocations with recursive calls desugared",
            quote!(#front),
        ),
        (
            "anf and analysis: each recursive call a statement, each resume point with what the frame keeps",
            quote!(#sig #body),
        ),
        ("back: the machine", stages.machine),
    ];
    let mut out = String::new();
    for (title, tokens) in stages {
        let file: syn::File = syn::parse2(tokens).expect("each stage parses");
        out.push_str(&format!("// ==== {title}\n{}\n", prettyplease::unparse(&file)));
    }
    out
}

/// The sequenced body as Rust, with a `resume_point!` before each call.
struct Render<'a> {
    bindings: &'a [Binding],
    saved: &'a [Vec<BindingId>],
    /// The group's fns, by index.
    names: &'a [proc_macro2::Ident],
}

impl Render<'_> {
    fn block(&self, block: &Block) -> TokenStream {
        let stmts = block.stmts.iter().map(|stmt| self.stmt(stmt));
        quote!({ #(#stmts)* })
    }

    fn stmt(&self, stmt: &Stmt) -> TokenStream {
        match stmt {
            Stmt::Plain { stmt, .. } => quote!(#stmt),
            Stmt::Call(call) => {
                let site = proc_macro2::Literal::usize_unsuffixed(call.site);
                let keeps = self.saved[call.site].iter().map(|&id| &self.bindings[id].ident);
                let (pat, args, callee) = (&call.pat, &call.args, &self.names[call.callee]);
                let mark = quote!(resume_point!(#site, keeps = [#(#keeps),*]););
                if call.tail {
                    quote!(#mark return #callee(#(#args),*);)
                } else {
                    quote!(#mark let #pat = #callee(#(#args),*);)
                }
            }
            Stmt::Let { attrs, pat, init, .. } => {
                let init = self.construct(init);
                quote!(#(#attrs)* let #pat = #init;)
            }
            Stmt::Construct { construct, semi } => {
                let c = self.construct(construct);
                if *semi { quote!(#c;) } else { c }
            }
        }
    }

    fn construct(&self, construct: &Construct) -> TokenStream {
        match construct {
            Construct::If(i) => self.if_(i),
            Construct::Match { scrutinee, arms, .. } => {
                let arms = arms.iter().map(|arm| {
                    let (pat, body) = (&arm.pat, self.block(&arm.body));
                    quote!(#pat => #body)
                });
                quote!(match #scrutinee { #(#arms)* })
            }
            Construct::Loop { label, body, .. } => {
                let body = self.block(body);
                quote!(#label loop #body)
            }
            Construct::Block { label, unsafety, body, .. } => {
                let body = self.block(body);
                quote!(#label #unsafety #body)
            }
        }
    }

    fn if_(&self, i: &If) -> TokenStream {
        let cond = &i.cond;
        let then = self.block(&i.then);
        let els = i.els.as_deref().map(|els| match els {
            Else::Block(b) => {
                let b = self.block(b);
                quote!(else #b)
            }
            Else::If(nested) => {
                let nested = self.if_(nested);
                quote!(else #nested)
            }
        });
        quote!(if #cond #then #els)
    }
}

#[test]
fn passes_match_snapshots() {
    let cases = [
        ("fib", "fn fib(n: u64) -> u64 { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }"),
        (
            "walk",
            "fn walk(node: &Node, seen: &mut Vec<u64>) -> u64 { \
             let name = format!(\"node {}\", node.value); \
             seen.push(node.value); \
             let mut total = 0; \
             for c in &node.children { total += walk(c, seen); } \
             if let Some(first) = node.children.first() { println!(\"{name}: {}\", walk(first, seen)); } \
             total + name.len() as u64 }",
        ),
    ];
    let bless = std::env::var_os("FIBER_BLESS").is_some();
    let mut stale = Vec::new();
    for (name, src) in cases {
        let view = view(src);
        println!("{view}");
        let path = format!("{}/tests/passes/{name}.txt", env!("CARGO_MANIFEST_DIR"));
        if bless {
            std::fs::create_dir_all(format!("{}/tests/passes", env!("CARGO_MANIFEST_DIR"))).unwrap();
            std::fs::write(&path, &view).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(view.as_str()) {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "pass views differ from their snapshots: {stale:?}; FIBER_BLESS=1 rewrites them"
    );
}
