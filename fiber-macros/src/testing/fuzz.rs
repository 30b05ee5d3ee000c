//! The expansion never panics: mutated fiber fns, taken from the workspace's own tests and
//! broken token by token, each get an expansion or a `compile_error!`, and whatever comes out
//! parses as Rust items.
//!
//! `FIBER_FUZZ_CASES=1000000 cargo test --release -p fiber-macros fuzz` runs a long campaign
//! (`FIBER_FUZZ_SEED` picks another one); the default is a short run for every `cargo test`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::ToTokens;

use crate::expand::expand;

/// Cases per `cargo test` run, unless `FIBER_FUZZ_CASES` says otherwise.
const DEFAULT_CASES: u64 = 3_000;

/// Identifiers and keywords a mutation may put in place of another token.
const WORDS: &[&str] = &[
    "return",
    "loop",
    "while",
    "for",
    "in",
    "break",
    "continue",
    "match",
    "if",
    "else",
    "let",
    "self",
    "Self",
    "async",
    "await",
    "move",
    "ref",
    "mut",
    "static",
    "const",
    "unsafe",
    "fn",
    "impl",
    "mod",
    "super",
    "crate",
    "yield",
    "dyn",
    "where",
    "x",
    "n",
    "f",
    "u64",
    "Some",
    "None",
    "Ok",
    "Err",
    "vec",
    "println",
    "format",
    "panic",
    "assert",
    "matches",
    "Box",
    "__fiber_t0",
    "__fiber_value",
    "__FiberFrame",
];

/// Punctuation a mutation may insert.
const PUNCTS: &[char] = &['?', '&', '*', '!', ';', ',', '.', '=', ':', '<', '>', '\'', '#', '-', '+', '|'];

/// A small xorshift generator: the campaign is reproducible from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The fns, `mod`s and `impl`s of the workspace's tests and examples, as token streams: the
/// seeds that mutations start from.
fn corpus() -> Vec<TokenStream> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut items = Vec::new();
    for dir in [
        "tests",
        "tests/ui",
        "tests/corpus",
        "tests/corpus_pending",
        "fiber-examples/examples",
        "fiber-runtime/tests",
        "fiber-runtime/examples",
        "fiber-macros/tests/expanded",
    ] {
        let entries = std::fs::read_dir(root.join(dir)).unwrap_or_else(|e| panic!("{dir}: {e}"));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let Ok(source) = std::fs::read_to_string(&path) else { continue };
            let Ok(file) = syn::parse_file(&source) else { continue };
            collect(file.items, &mut items);
        }
    }
    items
}

fn collect(source: Vec<syn::Item>, out: &mut Vec<TokenStream>) {
    for item in source {
        match item {
            syn::Item::Fn(_) | syn::Item::Impl(_) => out.push(item.to_token_stream()),
            syn::Item::Mod(m) => {
                out.push(m.to_token_stream());
                if let Some((_, items)) = m.content {
                    collect(items, out);
                }
            }
            // The bodies of `twins! { .. }` (and its `shared { .. }` arm).
            syn::Item::Macro(m) => {
                let tokens: TokenStream = m
                    .mac
                    .tokens
                    .into_iter()
                    .flat_map(|tt| match tt {
                        TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => g.stream(),
                        other => other.into(),
                    })
                    .collect();
                if let Ok(file) = syn::parse2::<syn::File>(tokens) {
                    collect(file.items, out);
                }
            }
            _ => {}
        }
    }
}

/// Flattens a token stream into a path-addressable list of token trees (groups included), so
/// that a mutation can pick any tree at any depth.
fn count(tokens: &TokenStream) -> usize {
    tokens
        .clone()
        .into_iter()
        .map(|tt| match &tt {
            TokenTree::Group(g) => 1 + count(&g.stream()),
            _ => 1,
        })
        .sum()
}

/// Applies `edit` to the `target`-th token tree in depth-first order.
fn mutate_at(
    tokens: TokenStream,
    target: &mut usize,
    edit: &mut dyn FnMut(TokenTree) -> Vec<TokenTree>,
) -> TokenStream {
    let mut out = Vec::new();
    for tt in tokens {
        if *target == 0 {
            *target = usize::MAX;
            out.extend(edit(tt));
            continue;
        }
        if *target != usize::MAX {
            *target -= 1;
        }
        match tt {
            TokenTree::Group(g) if *target != usize::MAX => {
                let inner = mutate_at(g.stream(), target, edit);
                let mut group = Group::new(g.delimiter(), inner);
                group.set_span(g.span());
                out.push(TokenTree::Group(group));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

fn mutate(tokens: TokenStream, rng: &mut Rng) -> TokenStream {
    let mut target = rng.below(count(&tokens));
    let choice = rng.below(7);
    let word = WORDS[rng.below(WORDS.len())];
    let punct = PUNCTS[rng.below(PUNCTS.len())];
    let delimiter = [Delimiter::Parenthesis, Delimiter::Brace, Delimiter::Bracket][rng.below(3)];
    let mut edit = |tt: TokenTree| -> Vec<TokenTree> {
        match choice {
            0 => Vec::new(),
            1 => vec![tt.clone(), tt],
            2 => vec![TokenTree::Ident(Ident::new(word, Span::call_site()))],
            3 => vec![TokenTree::Punct(Punct::new(punct, Spacing::Alone)), tt],
            4 => match tt {
                TokenTree::Group(g) => vec![TokenTree::Group(Group::new(delimiter, g.stream()))],
                other => vec![other],
            },
            5 => match tt {
                // Unwraps a group: its contents replace it.
                TokenTree::Group(g) => g.stream().into_iter().collect(),
                other => vec![other],
            },
            _ => vec![tt, TokenTree::Ident(Ident::new(word, Span::call_site()))],
        }
    };
    mutate_at(tokens, &mut target, &mut edit)
}

/// Expands `item`; `Err` with the panic message if the expansion panicked, or with the output
/// if it does not parse as items while the input parses as an item (the expansion passes an
/// input that does not parse through as it is, beside the error, for rustc to report).
fn check(item: TokenStream) -> Result<(), String> {
    let parses = syn::parse2::<syn::Item>(item.clone()).is_ok();
    let output = catch_unwind(AssertUnwindSafe(|| expand(TokenStream::new(), item))).map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic".into())
    })?;
    match syn::parse2::<syn::File>(output.clone()) {
        Err(e) if parses => Err(format!("the output does not parse ({e}): {output}")),
        _ => Ok(()),
    }
}

#[test]
fn mutated_fiber_fns_expand_without_panics() {
    let cases: u64 =
        std::env::var("FIBER_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_CASES);
    let seed: u64 = std::env::var("FIBER_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x9e37_79b9);
    let corpus = corpus();
    assert!(corpus.len() > 100, "the corpus holds the tests' fns ({} items)", corpus.len());
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed | 1);
    let mut failures = Vec::new();
    for case in 0..cases {
        let mut item = corpus[rng.below(corpus.len())].clone();
        for _ in 0..1 + rng.below(3) {
            item = mutate(item, &mut rng);
        }
        if let Err(why) = check(item.clone()) {
            failures.push(format!("case {case}: {why}\ninput: {item}"));
            if failures.len() >= 5 {
                break;
            }
        }
    }
    std::panic::set_hook(hook);
    assert!(
        failures.is_empty(),
        "{} inputs failed (seed {seed}):\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// What the long campaigns found, each a minimized input.
#[test]
fn campaign_findings_expand_to_items() {
    for input in [
        // 1,000,000 cases, seed 0x9e3779b9: a keyword as a binding; an inner attribute.
        "fn documented(n: u64) -> u64 { let self = n * 2; if n == 0 { 0 } else { documented(n - 1) + 1 } }",
        "fn f(n: u64) -> u64 { #![allow(unused)] if n == 0 { 0 } else { f(n - 1) + 1 } }",
        "fn f(n: u64) { #![derive(Debug)] if n > 0 { f(n - 1) } }",
        // 1,000,000 cases, seed 424242: a `for` pattern with a leading `|`; an expression that
        // syn parses but that does not re-parse as a statement (panics, both).
        "fn f(v: &[u64]) -> u64 { let mut t = 0; for | c in v { t += f(&v[1..]) + c; } t }",
    ] {
        let item: TokenStream = input.parse().unwrap();
        assert_eq!(check(item), Ok(()), "{input}");
    }
    // Not Rust (`crate.f()`), though syn parses it in a match arm: rustc reports it on the
    // user's tokens; the expansion must only not panic.
    let input =
        "fn f(n: u64, out: &mut String) { match n { 0 => crate.push_str(\"x\"), _ => f(n - 1, out) } }";
    let expanded = catch_unwind(AssertUnwindSafe(|| expand(TokenStream::new(), input.parse().unwrap())));
    assert!(expanded.is_ok(), "{input}");
}
