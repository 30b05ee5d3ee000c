//! The pass-by-pass view: a fn after each rewrite, as the Python original's `examples/` showed
//! its AST passes. The views of a few fns are kept in `tests/passes/`, and
//! `cargo test -p fiber-macros passes -- --nocapture` prints them; `FIBER_BLESS=1` rewrites them.
//!
//! Stages: the fn as written; `&mut` parameters reached through pointers (`mut_params`); macro
//! invocations with calls desugared (`macros`); the body in A-normal form with its resume
//! points, each marked `resume_point!(site, keeps = [..])` with the bindings the frame keeps
//! there (`sequence`, `tail`, `liveness`); and the machine (`lower`, `emit`).

use proc_macro2::TokenStream;
use quote::quote;
use syn::ItemFn;

use crate::calls::Group;
use crate::check::Errors;
use crate::ir::*;
use crate::model::FiberFn;
use crate::{expand, liveness, macros, mut_params, naming, sequence, tail};

/// The view of a single fn: a heading and the pretty-printed code for each stage.
fn view(src: &str) -> String {
    let item: ItemFn = syn::parse_str(src).expect("a fn");
    naming::choose_prefix(&src.parse().unwrap());
    let mut stages = vec![("as written", quote!(#item))];

    let mut f = FiberFn::new(item.clone(), true);
    let names = mut_params::names(&f);
    mut_params::reach_through_pointers(&mut f.item.block, &names);
    let through = &f.item;
    stages.push(("`&mut` parameters reached through their pointers (mut_params)", quote!(#through)));

    let fns = vec![f];
    let mut block = (*fns[0].item.block).clone();
    macros::desugar(&mut block, &Group { fns: &fns, module: None, self_ty: None });
    let mut fns = fns;
    *fns[0].item.block = block;
    let desugared = &fns[0].item;
    stages.push(("macro invocations with recursive calls desugared (macros)", quote!(#desugared)));

    let group = Group { fns: &fns, module: None, self_ty: None };
    let mut errors = Errors::default();
    let mut seq = sequence::sequence(&group, &fns[0], &mut errors);
    tail::witness_tail_calls(&mut seq);
    let saved = liveness::saved_per_site(&seq.body, &seq.bindings, seq.sites);
    let names: Vec<proc_macro2::Ident> = fns.iter().map(|f| f.name().clone()).collect();
    let body = Render { bindings: &seq.bindings, saved: &saved, names: &names }.block(&seq.body);
    let sig = &fns[0].item.sig;
    stages.push((
        "A-normal form: each recursive call a statement, each resume point with what the frame keeps \
         (sequence, tail, liveness)",
        quote!(#sig #body),
    ));

    let machine = expand::expand(TokenStream::new(), src.parse().unwrap());
    stages.push(("the machine (lower, emit)", machine));

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
