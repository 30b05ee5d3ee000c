//! Every error the macro can emit has a ui test. The messages are found in this crate's source
//! (each `errors.error(..)` and `Error::new_spanned(..)` call, with the literal or `format!`
//! string it reports), and each must appear in a `tests/ui/*.stderr` snapshot. The table of
//! messages and their ui tests is `fiber-macros/ERRORS.md`; `FIBER_BLESS=1` rewrites it.

use std::collections::BTreeMap;
use std::path::Path;

use syn::visit::{self, Visit};
use syn::{Expr, Lit};

/// Each message's longest fixed piece (see [`message`]).
fn messages(source: &str) -> Vec<String> {
    struct Finder(Vec<String>);
    impl<'ast> Visit<'ast> for Finder {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            if call.method == "error" && call.args.len() == 2 {
                self.0.extend(message(&call.args[1]));
            }
            visit::visit_expr_method_call(self, call);
        }
        fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
            let is_new = matches!(&*call.func, Expr::Path(p)
                if p.path.segments.last().is_some_and(|s| s.ident == "new_spanned"));
            if is_new && call.args.len() == 2 {
                self.0.extend(message(&call.args[1]));
            }
            visit::visit_expr_call(self, call);
        }
        fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
            // Not the tests' own calls.
            if !m.attrs.iter().any(|a| a.path().is_ident("cfg")) {
                visit::visit_item_mod(self, m);
            }
        }
    }
    let file = syn::parse_file(source).expect("the crate's source parses");
    let mut finder = Finder(Vec::new());
    finder.visit_file(&file);
    finder.0
}

/// The longest fixed piece of a message expression's first line: of a literal, or of
/// `format!`'s literal between placeholders.
fn message(expr: &Expr) -> Option<String> {
    let text = match expr {
        Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) => s.value(),
        Expr::Macro(m) if m.mac.path.is_ident("format") => {
            let args =
                m.mac.parse_body_with(syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated);
            match args.ok()?.first()? {
                Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) => s.value(),
                _ => return None,
            }
        }
        // A message built elsewhere (a `let message = ..` above): its pieces are literals the
        // finder sees as `format!` arguments there.
        _ => return None,
    };
    // The longest piece without a placeholder, on the first line: what every instance shows.
    let first_line = text.split('\n').next().unwrap_or("");
    let mut pieces = Vec::new();
    let mut rest = first_line;
    while let Some(open) = rest.find('{') {
        pieces.push(&rest[..open]);
        rest = rest[open..].split_once('}').map_or("", |(_, after)| after);
    }
    pieces.push(rest);
    let longest = pieces.into_iter().map(str::trim).max_by_key(|p| p.len()).unwrap_or("");
    (longest.len() >= 12).then(|| longest.to_owned())
}

#[test]
fn every_error_has_a_ui_test() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    let mut dirs = vec![root.join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                found.extend(messages(&std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    // The messages assembled in a `let` (analysis/borrows.rs), which `message` cannot follow.
    {
        let file = syn::parse_file(include_str!("../analysis/borrows.rs")).unwrap();
        struct Formats<'f>(&'f mut Vec<String>);
        impl<'ast> Visit<'ast> for Formats<'_> {
            fn visit_macro(&mut self, m: &'ast syn::Macro) {
                if m.path.is_ident("format") {
                    let expr = Expr::Macro(syn::ExprMacro { attrs: Vec::new(), mac: m.clone() });
                    self.0.extend(message(&expr));
                }
            }
        }
        Formats(&mut found).visit_file(&file);
    }
    found.sort();
    found.dedup();
    assert!(found.len() >= 20, "the finder sees the macro's errors ({} found)", found.len());
    let mut snapshots = BTreeMap::new();
    for entry in std::fs::read_dir(root.join("../tests/ui")).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "stderr") {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            snapshots.insert(name, std::fs::read_to_string(&path).unwrap());
        }
    }
    let mut table = String::from(
        "# Errors `#[fiber]` emits\n\n\
         Each message (its longest fixed piece, between placeholders), and the ui tests in `tests/ui/`\n\
         whose snapshot shows it. Generated by `fiber-macros/src/testing/every_error.rs`; refresh with\n\
         `FIBER_BLESS=1 cargo test -p fiber-macros every_error`.\n\n\
         | message | ui tests |\n|---|---|\n",
    );
    let mut missing = Vec::new();
    for message in &found {
        let tests: Vec<&str> =
            snapshots.iter().filter(|(_, s)| s.contains(message.as_str())).map(|(n, _)| n.as_str()).collect();
        if tests.is_empty() {
            missing.push(message.clone());
        }
        let tests = tests.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ");
        table.push_str(&format!("| {} | {tests} |\n", message.replace('|', "\\|")));
    }
    let path = root.join("ERRORS.md");
    if std::env::var_os("FIBER_BLESS").is_some() {
        std::fs::write(&path, &table).unwrap();
    }
    assert!(missing.is_empty(), "errors without a ui test:\n{}", missing.join("\n"));
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(written, table, "ERRORS.md is stale: FIBER_BLESS=1 cargo test -p fiber-macros every_error");
}
