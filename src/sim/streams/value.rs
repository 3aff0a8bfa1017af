//! Values, serdes and the Java string semantics the examples depend on.
//!
//! Responsibility: the data that flows through a topology. A [`Value`] is a Java `String` or
//! `Long`; `None` is Java's `null`. [`Serde`] turns values into the bytes Kafka's
//! `StringSerializer`/`LongSerializer` write (UTF-8; 8-byte big-endian two's complement) and
//! back, with the deserializers' errors. [`java_to_lower_case`] and [`java_split_non_word`] are
//! `String.toLowerCase()` and `String.split("\\W+")` exactly (the split every Kafka 4.x
//! WordCount uses): `\W` is `[^a-zA-Z0-9_]` (ASCII only, no `UNICODE_CHARACTER_CLASS`), a
//! leading empty string is kept when the input starts with a delimiter, trailing empty strings
//! are dropped, and an input without any delimiter (the empty string included) is returned
//! whole.
//!
//! Invariants: a `Value::Str` serializes without copying (its bytes are shared); nothing here
//! panics, for any bytes.
//!
//! Simplified versus Kafka: `toLowerCase` is Rust's `str::to_lowercase`, which applies the same
//! Unicode rules as Java's (including the final sigma and `İ` → `i̇`) but may be a Unicode
//! version apart; invalid UTF-8 becomes U+FFFD per maximal invalid sequence, as Java's decoder
//! does in all but rare cases.

use std::fmt;
use std::rc::Rc;

use crate::sim::log::Bytes;
use crate::sim::trace::Name;

/// A value (or key) in a stream: what a Java `String` or `Long` holds. Java's `null` is `None`
/// around it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Value {
    /// A `java.lang.String`.
    Str(Rc<str>),
    /// A `java.lang.Long`.
    Long(i64),
}

impl Value {
    /// The text of a `Str` (a `Long` has none: `None`).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(text) => Some(text),
            Value::Long(_) => None,
        }
    }

    /// The number of a `Long`.
    pub fn as_long(&self) -> Option<i64> {
        match self {
            Value::Long(n) => Some(*n),
            Value::Str(_) => None,
        }
    }

    /// The Java class name of the value, as a `ClassCastException` names it.
    pub fn java_class(&self) -> &'static str {
        match self {
            Value::Str(_) => "java.lang.String",
            Value::Long(_) => "java.lang.Long",
        }
    }
}

impl fmt::Display for Value {
    /// `toString()`: the text, or the decimal number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(text) => f.write_str(text),
            Value::Long(n) => write!(f, "{n}"),
        }
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Value::Str(Rc::from(text))
    }
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Value::Str(Rc::from(text))
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Long(n)
    }
}

/// A record as a processor sees it: key, value and timestamp (`Record` in Kafka's Processor
/// API).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamRecord {
    /// The key; `None` is `null`.
    pub key: Option<Value>,
    /// The value; `None` is `null`.
    pub value: Option<Value>,
    /// The record's timestamp (event time), in ms.
    pub timestamp_ms: u64,
}

/// Why an application stopped: an exception Kafka Streams would throw, by class and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamsError {
    /// The Java exception class Kafka throws (or `eda-playground limit` for a simulation bound).
    pub class: &'static str,
    /// The message, worded as Kafka words it where it has one.
    pub message: String,
}

impl StreamsError {
    /// An error of `class` with `message`.
    pub fn new(class: &'static str, message: impl Into<String>) -> Self {
        Self {
            class,
            message: message.into(),
        }
    }

    /// One of the simulation's own bounds.
    pub fn limit(message: impl Into<String>) -> Self {
        Self::new("eda-playground limit", message)
    }
}

impl fmt::Display for StreamsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.class, self.message)
    }
}

impl std::error::Error for StreamsError {}

/// A serde as Kafka's `Serdes` provides them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Serde {
    /// `Serdes.String()`: UTF-8.
    String,
    /// `Serdes.Long()`: 8 bytes, big-endian.
    Long,
}

impl Serde {
    /// The serializer's class name.
    pub fn serializer_class(self) -> &'static str {
        match self {
            Serde::String => "org.apache.kafka.common.serialization.StringSerializer",
            Serde::Long => "org.apache.kafka.common.serialization.LongSerializer",
        }
    }

    /// Whether the serializer accepts `value` (`null` always is).
    pub fn accepts(self, value: Option<&Value>) -> bool {
        matches!(
            (self, value),
            (_, None) | (Serde::String, Some(Value::Str(_))) | (Serde::Long, Some(Value::Long(_)))
        )
    }

    /// The bytes the serializer writes; `null` stays `null`. A value of the wrong type is
    /// `None` here; callers check [`Serde::accepts`] first and report Kafka's
    /// `ClassCastException`.
    pub fn serialize(self, value: Option<&Value>) -> Option<Bytes> {
        match (self, value?) {
            // Sharing the string's bytes: no copy.
            (Serde::String, Value::Str(text)) => Some(Bytes::from(Rc::clone(text))),
            (Serde::Long, Value::Long(n)) => Some(Bytes::from(n.to_be_bytes().as_slice())),
            _ => None,
        }
    }

    /// The value the deserializer reads from `bytes`; `null` stays `null`.
    pub fn deserialize(
        self,
        topic: &str,
        bytes: Option<&[u8]>,
    ) -> Result<Option<Value>, StreamsError> {
        let Some(bytes) = bytes else {
            return Ok(None);
        };
        match self {
            Serde::String => Ok(Some(Value::Str(match std::str::from_utf8(bytes) {
                Ok(text) => Rc::from(text),
                Err(_) => Rc::from(String::from_utf8_lossy(bytes).as_ref()),
            }))),
            Serde::Long => match <[u8; 8]>::try_from(bytes) {
                Ok(array) => Ok(Some(Value::Long(i64::from_be_bytes(array)))),
                Err(_) => Err(StreamsError::new(
                    "org.apache.kafka.streams.errors.StreamsException",
                    format!(
                        "Deserialization exception handler is set to fail upon a deserialization error. \
                         If you would rather have the streaming pipeline continue after a deserialization \
                         error, please set the default.deserialization.exception.handler appropriately. \
                         (org.apache.kafka.common.errors.SerializationException: Size of data received by \
                         LongDeserializer is not 8, topic {topic})"
                    ),
                )),
            },
        }
    }
}

/// Java's `String.toLowerCase()` (default locale, not Turkish).
pub fn java_to_lower_case(text: &str) -> String {
    text.to_lowercase()
}

/// Whether `c` is a Java regex word character `\w` without `UNICODE_CHARACTER_CLASS`:
/// `[a-zA-Z_0-9]`.
pub fn is_java_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Java's `text.split("\\W+")`: the pieces between runs of non-word characters.
///
/// A run at the very start yields a leading empty string (a positive-width match), trailing
/// empty strings are removed, and text without any non-word character comes back whole (so
/// `""` gives `[""]`, and `" "` gives `[]`).
pub fn java_split_non_word(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut segment_start = 0usize;
    let mut found = false;
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if is_java_word_char(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(next, d)) = chars.peek() {
            if is_java_word_char(d) {
                break;
            }
            end = next + d.len_utf8();
            chars.next();
        }
        parts.push(text.get(segment_start..start).unwrap_or(""));
        segment_start = end;
        found = true;
    }
    if !found {
        return vec![text];
    }
    parts.push(text.get(segment_start..).unwrap_or(""));
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

/// The words WordCount counts in a line, as the quickstart's and 4.x `WordCountDemo`'s lambda
/// split it: `Arrays.asList(value.toLowerCase().split("\\W+"))`.
pub fn word_count_words(line: &str) -> Vec<String> {
    let lower = java_to_lower_case(line);
    java_split_non_word(&lower)
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// Where a record came from: the source topic, partition and offset of the input record being
/// processed (Kafka's `ProcessorRecordContext`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The source topic (its full name, internal topics prefixed with the application id).
    pub topic: Name,
    /// Its partition.
    pub partition: u32,
    /// The record's offset there.
    pub offset: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_non_word_follows_java() {
        assert_eq!(
            java_split_non_word("all streams lead to kafka"),
            vec!["all", "streams", "lead", "to", "kafka"]
        );
        assert_eq!(java_split_non_word(""), vec![""]);
        assert_eq!(java_split_non_word(" "), Vec::<&str>::new());
        assert_eq!(java_split_non_word("  a  b  "), vec!["", "a", "b"]);
        assert_eq!(java_split_non_word("hello, world!"), vec!["hello", "world"]);
        assert_eq!(java_split_non_word("a_b-c9"), vec!["a_b", "c9"]);
        assert_eq!(java_split_non_word("abc"), vec!["abc"]);
    }

    #[test]
    fn lower_case_then_split_on_non_ascii_letters() {
        let lower = java_to_lower_case("Ünïcode");
        assert_eq!(lower, "ünïcode");
        assert_eq!(java_split_non_word(&lower), vec!["", "n", "code"]);
    }

    #[test]
    fn serdes_write_kafkas_bytes() {
        let one = Serde::Long
            .serialize(Some(&Value::Long(1)))
            .unwrap_or_else(|| Bytes::from(&[][..]));
        assert_eq!(&one[..], &[0, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!(
            Serde::Long.deserialize("t", Some(&one[..])),
            Ok(Some(Value::Long(1)))
        );
        assert!(Serde::Long.deserialize("t", Some(b"abc")).is_err());
        assert_eq!(
            Serde::String.deserialize("t", Some(&[0xff, b'a'])),
            Ok(Some(Value::from("\u{fffd}a")))
        );
        assert!(!Serde::String.accepts(Some(&Value::Long(3))));
    }
}
