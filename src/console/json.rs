//! The JSON files Kafka's admin tools read (`kafka-delete-records.sh --offset-json-file`,
//! `kafka-reassign-partitions.sh --reassignment-json-file` / `--topics-to-move-json-file`),
//! and the compact JSON they print (Jackson's `ObjectMapper.writeValueAsString`).
//!
//! The playground has no files, so a JSON "file" is standard input: `/dev/stdin` with a
//! here-document or a pipe (which also works on a real machine). Any other path fails as
//! Java's file read does (`java.nio.file.NoSuchFileException: PATH`), with a note saying how to
//! give the JSON instead ([`read_stdin_file`]).
//!
//! Simplified versus Jackson: strings keep escapes other than `\"` and `\\` as the escaped
//! character; nesting stops at [`JSON_DEPTH_MAX`].

/// A JSON value, with what Kafka's `DecodeJson` asks of it.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Object(Vec<(String, Json)>),
    Array(Vec<Json>),
    Text(String),
    /// A number and its text as written.
    Number(String),
    Bool(bool),
    Null,
}

impl Json {
    /// The field `key` of an object (`JsonObject.get`).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// An integral number that fits a Java `long` (Jackson's `isLong() || isInt()`).
    pub fn as_long(&self) -> Option<i64> {
        match self {
            Json::Number(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// An integral number that fits a Java `int` (Jackson's `isInt()`).
    pub fn as_int(&self) -> Option<i32> {
        match self {
            Json::Number(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// The node as Jackson prints it (`JsonNode.toString()`: compact).
    pub fn to_text(&self) -> String {
        match self {
            Json::Object(fields) => format!(
                "{{{}}}",
                fields
                    .iter()
                    .map(|(k, v)| format!("{}:{}", quote(k), v.to_text()))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            Json::Array(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(Json::to_text)
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            Json::Text(text) => quote(text),
            Json::Number(text) => text.clone(),
            Json::Bool(b) => b.to_string(),
            Json::Null => "null".to_string(),
        }
    }
}

/// A JSON string literal as Jackson writes it.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Deepest nesting the reader follows.
pub const JSON_DEPTH_MAX: u32 = 32;

struct Reader<'a> {
    text: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn blank(&mut self) {
        while self.text.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.blank();
        if self.text.get(self.at) == Some(&byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn string(&mut self) -> Option<String> {
        if !self.eat(b'"') {
            return None;
        }
        let mut out = Vec::new();
        loop {
            let byte = *self.text.get(self.at)?;
            self.at += 1;
            match byte {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let escaped = *self.text.get(self.at)?;
                    self.at += 1;
                    out.push(escaped);
                }
                _ => out.push(byte),
            }
        }
    }

    fn value(&mut self, depth: u32) -> Option<Json> {
        if depth > JSON_DEPTH_MAX {
            return None;
        }
        self.blank();
        match *self.text.get(self.at)? {
            b'{' => {
                self.at += 1;
                let mut fields = Vec::new();
                if self.eat(b'}') {
                    return Some(Json::Object(fields));
                }
                loop {
                    let key = self.string()?;
                    if !self.eat(b':') {
                        return None;
                    }
                    fields.push((key, self.value(depth + 1)?));
                    if self.eat(b'}') {
                        return Some(Json::Object(fields));
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                if self.eat(b']') {
                    return Some(Json::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.eat(b']') {
                        return Some(Json::Array(items));
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            b'"' => self.string().map(Json::Text),
            b't' | b'f' | b'n' => {
                for (word, value) in [
                    (&b"true"[..], Json::Bool(true)),
                    (b"false", Json::Bool(false)),
                    (b"null", Json::Null),
                ] {
                    if self.text.get(self.at..self.at + word.len()) == Some(word) {
                        self.at += word.len();
                        return Some(value);
                    }
                }
                None
            }
            _ => {
                let start = self.at;
                while self.text.get(self.at).is_some_and(|b| {
                    b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')
                }) {
                    self.at += 1;
                }
                let text = std::str::from_utf8(self.text.get(start..self.at)?).ok()?;
                text.parse::<f64>()
                    .ok()
                    .map(|_| Json::Number(text.to_string()))
            }
        }
    }
}

/// Where a text stopped being JSON: 1-based line and column, as Jackson counts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonError {
    pub line: u32,
    pub column: u32,
}

/// The whole text as one value (`Json.tryParseFull`), or where it went wrong.
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut reader = Reader {
        text: text.as_bytes(),
        at: 0,
    };
    let value = reader.value(0);
    reader.blank();
    match value {
        Some(value) if reader.at == reader.text.len() => Ok(value),
        _ => {
            let before = text.as_bytes().get(..reader.at).unwrap_or_default();
            let line = before.iter().filter(|b| **b == b'\n').count() as u32 + 1;
            let column = before.iter().rev().take_while(|b| **b != b'\n').count() as u32 + 1;
            Err(JsonError { line, column })
        }
    }
}

/// The text of a JSON "file" given as `path` to the option `option`: standard input for
/// `/dev/stdin`, otherwise the lines Java prints for a missing file (`Exception`'s trace line
/// `java.nio.file.NoSuchFileException: PATH`) and a note, as the error.
pub fn read_stdin_file<'a>(
    path: &str,
    stdin: Option<&'a str>,
    option: &str,
) -> Result<&'a str, String> {
    match (path, stdin) {
        ("/dev/stdin", Some(text)) => Ok(text),
        ("/dev/stdin", None) => Ok(""),
        _ => Err(format!(
            "eda-playground: there are no files here; give the JSON on standard input with --{option} /dev/stdin."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_and_print_as_jackson_does() {
        let json = parse(r#" {"a": [1, -2, 3.5], "b": "x\"y", "c": true, "d": null} "#).unwrap();
        assert_eq!(
            json.to_text(),
            r#"{"a":[1,-2,3.5],"b":"x\"y","c":true,"d":null}"#
        );
        assert_eq!(
            json.get("a").map(Json::to_text).as_deref(),
            Some("[1,-2,3.5]")
        );
        assert_eq!(Json::Number("3.5".into()).as_int(), None);
        assert_eq!(Json::Number("7".into()).as_int(), Some(7));
        assert_eq!(Json::Number("3000000000".into()).as_int(), None);
        assert_eq!(
            Json::Number("3000000000".into()).as_long(),
            Some(3_000_000_000)
        );
    }

    #[test]
    fn errors_name_the_line_and_column() {
        assert_eq!(
            parse("{\n  \"a\": x}"),
            Err(JsonError { line: 2, column: 8 })
        );
        assert_eq!(parse(""), Err(JsonError { line: 1, column: 1 }));
        assert!(parse("{} {}").is_err());
    }
}
