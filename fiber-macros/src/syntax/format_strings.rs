//! Format strings inside macro invocations: which argument is the format string, its named
//! arguments, and the identifiers it captures inline (`"{n}"`, `"{:>w$}"`).

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream, TokenTree};

/// Where the format string is among a standard macro's arguments (`Some(None)`: it takes
/// none); `None` for other macros.
pub fn format_position(name: &str) -> Option<Option<usize>> {
    Some(match name {
        "print" | "println" | "eprint" | "eprintln" | "format" | "format_args" | "panic" | "unreachable"
        | "todo" | "unimplemented" => Some(0),
        "write" | "writeln" | "assert" | "debug_assert" => Some(1),
        "assert_eq" | "assert_ne" | "debug_assert_eq" | "debug_assert_ne" => Some(2),
        "vec" | "matches" | "dbg" | "concat" | "stringify" | "include_str" | "include_bytes" | "env" => None,
        _ => return None,
    })
}

pub fn is_string(lit: &Literal) -> bool {
    let text = lit.to_string();
    text.starts_with('"') || text.starts_with("r\"") || text.starts_with("r#")
}

pub fn is_punct(token: Option<&TokenTree>, c: char) -> bool {
    matches!(token, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

/// A macro's tokens split at its top-level commas.
pub fn split_arguments(tokens: &[TokenTree]) -> Vec<&[TokenTree]> {
    tokens.split(|t| is_punct(Some(t), ',')).collect()
}

/// Macros of common crates that pass a format string on to `format_args!` (log, tracing,
/// anyhow, eyre): theirs is the first argument that is a lone string.
pub fn forwards_a_format_string(name: &str) -> bool {
    matches!(
        name,
        "trace"
            | "debug"
            | "info"
            | "warn"
            | "error"
            | "log"
            | "event"
            | "bail"
            | "ensure"
            | "anyhow"
            | "eyre"
            | "format_err"
    )
}

/// Which argument of the invocation of macro `name` is its format string: its place among a
/// standard macro's arguments, or the first lone string of a macro that forwards one. Another
/// macro's strings may be no format strings: `None`.
pub fn format_argument(name: &str, tokens: &[TokenTree]) -> Option<usize> {
    match format_position(name) {
        Some(position) => position,
        None if forwards_a_format_string(name) => split_arguments(tokens)
            .iter()
            .position(|arg| matches!(arg, [TokenTree::Literal(l)] if is_string(l))),
        None => None,
    }
}

/// The named arguments (`n = ..`) among a macro's top-level arguments.
pub fn named_arguments(tokens: &[TokenTree]) -> BTreeSet<String> {
    split_arguments(tokens)
        .iter()
        .filter_map(|arg| match arg {
            [TokenTree::Ident(i), TokenTree::Punct(eq), rest @ ..]
                if eq.as_char() == '='
                    && !matches!(rest.first(), Some(TokenTree::Punct(p)) if p.as_char() == '=' || p.as_char() == '>') =>
            {
                Some(i.to_string())
            }
            _ => None,
        })
        .collect()
}

/// The identifiers the format string of an invocation of macro `name` captures inline, that
/// no named argument gives.
pub fn captured(name: &str, tokens: &TokenStream) -> Vec<String> {
    let tokens: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let Some(at) = format_argument(name, &tokens) else { return Vec::new() };
    let named = named_arguments(&tokens);
    let mut captured = Vec::new();
    if let Some([TokenTree::Literal(lit)]) = split_arguments(&tokens).get(at).copied() {
        if is_string(lit) {
            map_inline_arguments(&lit.to_string(), &mut |n| {
                if !named.contains(n) && !captured.iter().any(|c| c == n) {
                    captured.push(n.to_string());
                }
                n.to_string()
            });
        }
    }
    captured
}

/// A string literal's source (`"{n} {m:>w$}"`, with its quotes) with each inline argument `n`,
/// `m` and `w` replaced by `f` of it. Escapes (`\u{7b}`) and `{{` are no placeholders.
pub fn map_inline_arguments(lit: &str, f: &mut dyn FnMut(&str) -> String) -> String {
    let text: Vec<char> = lit.chars().collect();
    let raw = text.first() == Some(&'r');
    let is_name_char = |c: char| c.is_alphanumeric() || c == '_';
    let ident_at = |i: usize| -> (String, usize) {
        let end = (i..text.len()).find(|&j| !is_name_char(text[j])).unwrap_or(text.len());
        (text[i..end].iter().collect(), end)
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        if c == '\\' && !raw {
            let end = if text.get(i + 1) == Some(&'u') {
                (i..text.len()).find(|&j| text[j] == '}').map_or(text.len(), |j| j + 1)
            } else {
                (i + 2).min(text.len())
            };
            out.extend(&text[i..end]);
            i = end;
        } else if c == '{' && text.get(i + 1) == Some(&'{') {
            out.push_str("{{");
            i += 2;
        } else if c == '{' {
            out.push('{');
            i += 1;
            if text.get(i).is_some_and(|&c| c.is_alphabetic() || c == '_') {
                let (name, end) = ident_at(i);
                out.push_str(&f(&name));
                i = end;
            }
            // The spec: a width or precision may name a local (`w$`).
            while i < text.len() && text[i] != '}' {
                if (text[i].is_alphabetic() || text[i] == '_') && !is_name_char(text[i - 1]) {
                    let (name, end) = ident_at(i);
                    let argument = text.get(end) == Some(&'$');
                    out.push_str(&if argument { f(&name) } else { name });
                    i = end;
                } else {
                    out.push(text[i]);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_arguments_of_the_format_string() {
        let tokens: TokenStream = r#""{a} {b:?} {:>w$} {0} {{c}} \u{7b}d} {e}", x, e = 1"#.parse().unwrap();
        assert_eq!(captured("println", &tokens), ["a", "b", "w"]);
        let tokens: TokenStream = r#"out, "{a}""#.parse().unwrap();
        assert_eq!(captured("writeln", &tokens), ["a"]);
        assert_eq!(captured("vec", &tokens), Vec::<String>::new());
        assert_eq!(captured("my_log", &tokens), Vec::<String>::new());
        assert_eq!(captured("info", &tokens), ["a"]);
    }
}
