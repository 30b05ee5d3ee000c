//! A JSON parser as a `#[fiber] impl` over bytes (`peek`/`next`/`skip_ws` helpers in a plain
//! impl, `Result` with a position), and a serializer as a free fn writing into a `&mut String`.

use std::collections::BTreeMap;

use crate::common::{logged, on_big_stack};
use fiber_runtime::run;

#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Array(Vec<Json>),
    Object(BTreeMap<String, Json>),
}

impl Drop for Json {
    fn drop(&mut self) {
        let mut stack = match self {
            Json::Array(items) => std::mem::take(items),
            Json::Object(map) => std::mem::take(map).into_values().collect(),
            _ => return,
        };
        while let Some(mut v) = stack.pop() {
            match &mut v {
                Json::Array(items) => stack.append(items),
                Json::Object(map) => stack.extend(std::mem::take(map).into_values()),
                _ => {}
            }
        }
    }
}

#[derive(Debug, PartialEq)]
pub struct ParseError {
    pub pos: usize,
    pub msg: String,
}

twins! {
    shared {
        pub struct JsonParser<'a> {
            src: &'a [u8],
            pos: usize,
        }

        impl<'a> JsonParser<'a> {
            pub fn new(src: &'a str) -> Self {
                JsonParser { src: src.as_bytes(), pos: 0 }
            }

            fn peek(&self) -> Option<u8> {
                self.src.get(self.pos).copied()
            }

            fn next_byte(&mut self) -> Option<u8> {
                let b = self.peek()?;
                self.pos += 1;
                Some(b)
            }

            fn skip_ws(&mut self) {
                while matches!(self.peek(), Some(b' ' | b'\n' | b'\t' | b'\r')) {
                    self.pos += 1;
                }
            }

            fn err<T>(&self, msg: &str) -> Result<T, super::ParseError> {
                Err(super::ParseError { pos: self.pos, msg: msg.to_string() })
            }

            fn literal(&mut self, word: &str, value: super::Json) -> Result<super::Json, super::ParseError> {
                if self.src[self.pos..].starts_with(word.as_bytes()) {
                    self.pos += word.len();
                    Ok(value)
                } else {
                    self.err("bad literal")
                }
            }

            fn string(&mut self) -> Result<String, super::ParseError> {
                self.pos += 1; // the opening quote
                let mut out = String::new();
                loop {
                    match self.next_byte() {
                        None => return self.err("unterminated string"),
                        Some(b'"') => return Ok(out),
                        Some(b'\\') => match self.next_byte() {
                            Some(b'n') => out.push('\n'),
                            Some(b't') => out.push('\t'),
                            Some(c @ (b'"' | b'\\' | b'/')) => out.push(c as char),
                            _ => return self.err("bad escape"),
                        },
                        Some(c) => out.push(c as char),
                    }
                }
            }

            fn number(&mut self) -> Result<super::Json, super::ParseError> {
                let start = self.pos;
                while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.peek() {
                    self.pos += 1;
                }
                let text = std::str::from_utf8(&self.src[start..self.pos]).unwrap();
                match text.parse() {
                    Ok(n) => Ok(super::Json::Num(n)),
                    Err(_) => self.err("bad number"),
                }
            }
        }
    }

    impl<'a> JsonParser<'a> {
        pub fn value(&mut self) -> Result<Json, ParseError> {
            self.skip_ws();
            match self.peek() {
                None => self.err("unexpected end"),
                Some(b'n') => self.literal("null", Json::Null),
                Some(b't') => self.literal("true", Json::Bool(true)),
                Some(b'f') => self.literal("false", Json::Bool(false)),
                Some(b'"') => Ok(Json::Str(self.string()?)),
                Some(b'[') => self.array(),
                Some(b'{') => self.object(),
                Some(b'-' | b'0'..=b'9') => self.number(),
                Some(_) => self.err("unexpected character"),
            }
        }

        fn array(&mut self) -> Result<Json, ParseError> {
            self.pos += 1;
            let mut items = Vec::new();
            self.skip_ws();
            if self.peek() == Some(b']') {
                self.pos += 1;
                return Ok(Json::Array(items));
            }
            loop {
                items.push(self.value()?);
                self.skip_ws();
                match self.next_byte() {
                    Some(b',') => continue,
                    Some(b']') => return Ok(Json::Array(items)),
                    _ => return self.err("expected , or ]"),
                }
            }
        }

        fn object(&mut self) -> Result<Json, ParseError> {
            self.pos += 1;
            let mut map = BTreeMap::new();
            loop {
                self.skip_ws();
                match self.peek() {
                    Some(b'}') if map.is_empty() => {
                        self.pos += 1;
                        break;
                    }
                    Some(b'"') => {}
                    _ => return self.err("expected a key"),
                }
                let key = self.string()?;
                self.skip_ws();
                if self.next_byte() != Some(b':') {
                    return self.err("expected :");
                }
                let value = self.value()?;
                map.insert(key, value);
                self.skip_ws();
                match self.next_byte() {
                    Some(b',') => {}
                    Some(b'}') => break,
                    _ => return self.err("expected , or }"),
                }
            }
            Ok(Json::Object(map))
        }
    }

    pub fn write_json(value: &Json, out: &mut String) {
        match value {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Num(n) => out.push_str(&n.to_string()),
            Json::Str(s) => {
                out.push('"');
                for c in s.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        '\n' => out.push_str("\\n"),
                        '\t' => out.push_str("\\t"),
                        c => out.push(c),
                    }
                }
                out.push('"');
            }
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json(item, out);
                }
                out.push(']');
            }
            Json::Object(map) => {
                out.push('{');
                let mut first = true;
                for (k, v) in map {
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    out.push_str(&format!("{k:?}:"));
                    write_json(v, out);
                }
                out.push('}');
            }
        }
    }
}

fn roundtrip_native(src: &str) -> Result<String, ParseError> {
    let v = native::JsonParser::new(src).value()?;
    let mut out = String::new();
    native::write_json(&v, &mut out);
    Ok(out)
}

fn roundtrip_fiber(src: &str) -> Result<String, ParseError> {
    let v = run(fiber::JsonParser::new(src).value())?;
    let mut out = String::new();
    run(fiber::write_json(&v, &mut out));
    Ok(out)
}

#[test]
fn json_matches_native() {
    let cases = [
        r#"{"a": [1, 2.5, -3e2, {"b": null}], "c": "x\ny", "d": true, "e": {}}"#,
        "[[], [[]], [[], [[]]]]",
        r#"  "just a string"  "#,
        "[1, 2,",
        r#"{"a" 1}"#,
        r#"{"a": tru}"#,
        "[1 2]",
        "",
        r#"{"k": "\q"}"#,
    ];
    for src in cases {
        assert_eq!(logged(|| roundtrip_native(src)), logged(|| roundtrip_fiber(src)), "{src}");
    }
}

#[test]
#[cfg_attr(miri, ignore = "deep")]
fn json_100_000_deep() {
    const DEEP: usize = 100_000;
    let arrays = format!("{}1{}", "[".repeat(DEEP), "]".repeat(DEEP));
    assert_eq!(roundtrip_fiber(&arrays), Ok(arrays.clone()));
    let objects = format!("{}null{}", r#"{"k":"#.repeat(DEEP), "}".repeat(DEEP));
    let expected = on_big_stack({
        let objects = objects.clone();
        move || roundtrip_native(&objects)
    });
    assert_eq!(roundtrip_fiber(&objects), expected);
    assert_eq!(roundtrip_fiber(&arrays[..arrays.len() - 1]).unwrap_err().msg, "expected , or ]");
}
