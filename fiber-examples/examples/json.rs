//! A recursive-descent JSON parser written the textbook way, one method per rule, on input
//! nested 1,000,000 deep; then two more recursive walks over the value it built.
//!
//! `cargo run --release --example json`
//!
//! serde_json refuses input nested deeper than 128 levels, by design: its parser recurses
//! natively, and the limit keeps a hostile document from overflowing the stack (lifting it
//! takes `disable_recursion_limit` and a crate that grows the stack). Here the parser's methods
//! are a `#[fiber] impl`, so their recursion runs on a heap stack and the depth of a document is
//! bounded by memory alone (or by `Runner::max_depth`, see the `stepping` example).

use std::fmt::Write as _;
use std::task::Poll;
use std::time::{Duration, Instant};

use fiber_runtime::{Fiber, Runner, fiber};

#[derive(Debug, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

/// The derived drop glue would recurse once per level of nesting and overflow the stack on
/// the documents below. This drop takes the children out of each container and drops them
/// from a worklist.
impl Drop for Json {
    fn drop(&mut self) {
        let mut pending = Vec::new();
        take_children(self, &mut pending);
        while let Some(mut node) = pending.pop() {
            take_children(&mut node, &mut pending);
            // `node` drops here, childless: its own `drop` finds nothing to do.
        }
    }
}

fn take_children(node: &mut Json, into: &mut Vec<Json>) {
    match node {
        Json::Arr(items) => into.append(items),
        Json::Obj(members) => into.extend(members.drain(..).map(|(_, value)| value)),
        _ => {}
    }
}

#[derive(Debug)]
struct Error {
    message: &'static str,
    at: usize,
}

struct Parser<'s> {
    src: &'s [u8],
    pos: usize,
}

/// The grammar's recursive rules. A value may be an array or an object, whose elements are
/// values: three methods calling each other, on one heap stack.
#[fiber]
impl Parser<'_> {
    fn value(&mut self) -> Result<Json, Error> {
        self.skip_space();
        match self.peek() {
            Some(b'[') => self.array(),
            Some(b'{') => self.object(),
            Some(b'"') => Ok(Json::Str(self.string()?)),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected a value")),
            None => Err(self.error("unexpected end of input")),
        }
    }

    fn array(&mut self) -> Result<Json, Error> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json::Arr(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_space();
            match self.bump() {
                Some(b',') => {}
                Some(b']') => return Ok(Json::Arr(items)),
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self) -> Result<Json, Error> {
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json::Obj(members));
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a string key"));
            }
            let key = self.string()?;
            self.skip_space();
            if self.bump() != Some(b':') {
                return Err(self.error("expected `:`"));
            }
            let value = self.value()?;
            members.push((key, value));
            self.skip_space();
            match self.bump() {
                Some(b',') => {}
                Some(b'}') => return Ok(Json::Obj(members)),
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }
}

/// The rules that do not recurse: plain methods.
impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let byte = self.peek();
        self.pos += usize::from(byte.is_some());
        byte
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn error(&self, message: &'static str) -> Error {
        Error { message, at: self.pos }
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, Error> {
        if !self.src[self.pos..].starts_with(word.as_bytes()) {
            return Err(self.error("expected `true`, `false` or `null`"));
        }
        self.pos += word.len();
        Ok(value)
    }

    fn number(&mut self) -> Result<Json, Error> {
        let start = self.pos;
        while matches!(self.peek(), Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')) {
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.src[start..self.pos]).expect("ASCII");
        text.parse().map(Json::Num).map_err(|_| Error { message: "invalid number", at: start })
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let digits = self.src.get(self.pos..self.pos + 4).ok_or(self.error("truncated `\\u` escape"))?;
        let digits = std::str::from_utf8(digits).map_err(|_| self.error("invalid `\\u` escape"))?;
        let code = u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid `\\u` escape"))?;
        self.pos += 4;
        Ok(code)
    }

    /// A string, its escapes decoded (`\uD83D\uDE00` surrogate pairs included).
    fn string(&mut self) -> Result<String, Error> {
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            match self.bump() {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => return String::from_utf8(out).map_err(|_| self.error("invalid UTF-8")),
                Some(b'\\') => {
                    let decoded = match self.bump() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let mut code = self.hex4()?;
                            if (0xD800..0xDC00).contains(&code) && self.src[self.pos..].starts_with(b"\\u") {
                                self.pos += 2;
                                let low = self.hex4()?;
                                code = 0x10000 + ((code - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF);
                            }
                            char::from_u32(code).ok_or(self.error("invalid `\\u` escape"))?
                        }
                        _ => return Err(self.error("invalid escape")),
                    };
                    out.extend_from_slice(decoded.encode_utf8(&mut [0; 4]).as_bytes());
                }
                Some(byte) if byte < 0x20 => return Err(self.error("control character in string")),
                Some(byte) => out.push(byte),
            }
        }
    }
}

/// How deep a value is nested, and how many values it holds (itself included).
#[fiber]
fn shape(value: &Json) -> (usize, usize) {
    let (mut depth, mut nodes) = (0, 1);
    for child in children(value) {
        let (child_depth, child_nodes) = shape(child);
        depth = depth.max(child_depth);
        nodes += child_nodes;
    }
    (depth + 1, nodes)
}

fn children(value: &Json) -> impl Iterator<Item = &Json> {
    let (items, members): (&[Json], &[(String, Json)]) = match value {
        Json::Arr(items) => (items, &[]),
        Json::Obj(members) => (&[], members),
        _ => (&[], &[]),
    };
    items.iter().chain(members.iter().map(|(_, value)| value))
}

/// Writes a value back as compact JSON.
#[fiber]
fn write(value: &Json, out: &mut String) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Num(n) => write!(out, "{n}").expect("a String takes any write"),
        Json::Str(s) => write_str(s, out),
        Json::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        Json::Obj(members) => {
            out.push('{');
            for (i, (key, value)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(key, out);
                out.push(':');
                write(value, out);
            }
            out.push('}');
        }
    }
}

fn write_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => write!(out, "\\u{:04x}", c as u32).expect("a String takes any write"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Runs a fiber to its end: its output, how deep its heap stack went, how long it took.
fn measure<F: Fiber>(fiber: F) -> (F::Output, usize, Duration) {
    let start = Instant::now();
    let mut runner = Runner::new(fiber);
    loop {
        if let Poll::Ready(result) = runner.resume(u64::MAX) {
            return (result.expect("no depth limit was set"), runner.peak_depth(), start.elapsed());
        }
    }
}

fn abridged(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((end, _)) => format!("{}... ({} bytes)", &text[..end], text.len()),
        None => text.to_string(),
    }
}

/// Parses `src`, walks the value twice (its shape, and writing it back), drops it, and prints
/// what each step took.
fn round_trip(title: &str, src: &str) -> Result<String, Error> {
    println!("{title}\n  input:   {}", abridged(src));
    let (parsed, parse_depth, parse_time) = measure(Parser { src: src.as_bytes(), pos: 0 }.value());
    let value = parsed?;
    let ((depth, nodes), shape_depth, shape_time) = measure(shape(&value));
    let mut out = String::new();
    let ((), write_depth, write_time) = measure(write(&value, &mut out));
    let start = Instant::now();
    drop(value);
    let drop_time = start.elapsed();
    println!("  written: {}", abridged(&out));
    println!("  {nodes} values, nested {depth} deep");
    println!(
        "  parse {parse_time:.1?} ({parse_depth} frames deep), shape {shape_time:.1?} ({shape_depth} \
         deep), write {write_time:.1?} ({write_depth} deep), drop {drop_time:.1?}\n"
    );
    Ok(out)
}

fn main() -> Result<(), Error> {
    let small =
        r#"{"name": "fiber \"deep\" \u00e9 \ud83d\ude00", "n": [1, -2.5, 3e3, true, false, null], "o": {}}"#;
    let out = round_trip("A small document, with escapes:", small)?;
    assert_eq!(out, r#"{"name":"fiber \"deep\" é 😀","n":[1,-2.5,3000,true,false,null],"o":{}}"#);

    let n = 1_000_000;
    let arrays = format!("{}{}", "[".repeat(n), "]".repeat(n));
    let out = round_trip("Arrays nested 1,000,000 deep (serde_json stops at 128):", &arrays)?;
    assert_eq!(out, arrays);

    let objects = format!("{}null{}", r#"{"a":"#.repeat(n), "}".repeat(n));
    let out = round_trip("Objects nested 1,000,000 deep:", &objects)?;
    assert_eq!(out, objects);

    let wide = format!("[{}]", vec![r#"{"k":[1,"two",null]}"#; 200_000].join(","));
    round_trip("And a wide one: 200,000 small objects in one array.", &wide)?;

    let truncated = &arrays[..n + 10];
    let mut parser = Parser { src: truncated.as_bytes(), pos: 0 };
    let error = fiber_runtime::run(parser.value()).expect_err("the input is truncated");
    println!("The same arrays cut short: error {:?} at byte {}", error.message, error.at);
    Ok(())
}
