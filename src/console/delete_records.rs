//! `kafka-delete-records.sh`: moves partitions' log start offsets forward, as Kafka's
//! `DeleteRecordsCommand` does through `Admin.deleteRecords`.
//!
//! The playground has no files, so the offset JSON comes on standard input:
//! `--offset-json-file /dev/stdin` with a here-document or a pipe (which also works on a real
//! machine). Any other path fails as Java's file read does (`NoSuchFileException`).
//!
//! Formats, from Kafka 4.1's `tools/src/main/java/org/apache/kafka/tools/DeleteRecordsCommand.java`:
//! `Executing records delete operation`, `Records delete operation completed:`, then per
//! partition `partition: T-P\tlow_watermark: N` or `partition: T-P\terror: EXCEPTION: MESSAGE`
//! (in the order Java's `HashMap` of `TopicPartition`s iterates); an offset of -1 means the high
//! watermark (`RecordsToDelete.beforeOffset`); JSON errors (`The input string is not a valid
//! JSON`, `Missing partitions field`, `Not supported version field value N`, `Offset json file
//! contains duplicate topic partitions: T-P`) end the tool as an uncaught exception.
//!
//! Simplified versus Kafka: the JSON reader takes the tool's documented shape (an object with
//! `partitions` and `version`; strings without escapes beyond `\"` and `\\`).

use std::fmt::Write as _;

use crate::console::args::{self, OptSpec, flag, opt};
use crate::console::format::USAGE_HEADER;
use crate::console::{Console, Io};
use crate::sim::World;
use crate::sim::assignor::java::{hash_map_order, string_hash, topic_partition_hash};
use crate::sim::command::{Command, Outcome};

/// The options `kafka-delete-records.sh` accepts.
pub const OPTIONS: &[OptSpec] = &[
    opt("bootstrap-server"),
    opt("command-config"),
    flag("help"),
    opt("offset-json-file"),
    flag("version"),
];

/// A JSON value, as far as the offset file needs one.
#[derive(Clone, Debug, PartialEq)]
enum Json {
    Object(Vec<(String, Json)>),
    Array(Vec<Json>),
    Text(String),
    Number(f64, String),
    Other,
}

impl Json {
    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn as_long(&self) -> Option<i64> {
        match self {
            Json::Number(_, text) => text.parse().ok(),
            _ => None,
        }
    }
}

/// Deepest nesting the reader follows.
const JSON_DEPTH_MAX: u32 = 32;

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
                for word in [&b"true"[..], b"false", b"null"] {
                    if self.text.get(self.at..self.at + word.len()) == Some(word) {
                        self.at += word.len();
                        return Some(Json::Other);
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
                    .map(|n| Json::Number(n, text.to_string()))
            }
        }
    }
}

/// `Json.parseFull`: the whole text as one value.
fn parse_json(text: &str) -> Option<Json> {
    let mut reader = Reader {
        text: text.as_bytes(),
        at: 0,
    };
    let value = reader.value(0)?;
    reader.blank();
    (reader.at == reader.text.len()).then_some(value)
}

/// `parseOffsetJsonStringWithoutDedup`: (topic, partition, offset) in file order, or the
/// exception the tool dies with.
fn offsets(text: &str) -> Result<Vec<(String, u32, i64)>, String> {
    let Some(json) = parse_json(text) else {
        return Err("org.apache.kafka.server.common.AdminOperationException: The input string is not a valid JSON".to_string());
    };
    let version = json.get("version").and_then(Json::as_long).unwrap_or(1);
    if version != 1 {
        return Err(format!(
            "org.apache.kafka.server.common.AdminOperationException: Not supported version field value {version}"
        ));
    }
    let Some(Json::Array(partitions)) = json.get("partitions") else {
        return Err(
            "org.apache.kafka.server.common.AdminOperationException: Missing partitions field"
                .to_string(),
        );
    };
    let mut list = Vec::new();
    for entry in partitions {
        let topic = match entry.get("topic") {
            Some(Json::Text(t)) => t.clone(),
            _ => return Err("com.fasterxml.jackson.databind.JsonMappingException: Expected `String` value, received class com.fasterxml.jackson.databind.node.NullNode".to_string()),
        };
        let partition = entry
            .get("partition")
            .and_then(Json::as_long)
            .and_then(|p| u32::try_from(p).ok());
        let offset = entry.get("offset").and_then(Json::as_long);
        let (Some(partition), Some(offset)) = (partition, offset) else {
            return Err(
                "com.fasterxml.jackson.databind.JsonMappingException: Expected `Int`/`Long` value"
                    .to_string(),
            );
        };
        list.push((topic, partition, offset));
    }
    Ok(list)
}

fn usage(io: &mut Io, message: &str, code: i32) -> i32 {
    io.err.push_str(message);
    io.err.push('\n');
    io.err.push_str(USAGE_HEADER);
    code
}

/// Runs `kafka-delete-records.sh ARGS` with `stdin` (for `--offset-json-file /dev/stdin`).
/// Returns the exit status.
pub fn run(
    _console: &mut Console,
    world: &mut World,
    argv: &[String],
    stdin: Option<&str>,
    io: &mut Io,
) -> i32 {
    let opts = match args::parse(OPTIONS, argv) {
        Ok(o) => o,
        Err(e) => {
            let _ = writeln!(io.err, "Exception in thread \"main\" {}", e.trace_line());
            return 1;
        }
    };
    if argv.is_empty() || opts.has("help") {
        return usage(
            io,
            "This tool helps to delete records of the given partitions down to the specified offset.",
            i32::from(argv.is_empty()),
        );
    }
    if opts.has("version") {
        let _ = writeln!(io.out, "{}", crate::console::KAFKA_VERSION);
        return 0;
    }
    for required in ["bootstrap-server", "offset-json-file"] {
        if !opts.has(required) {
            return usage(
                io,
                &format!("Missing required argument \"[{required}]\""),
                1,
            );
        }
    }
    let path = opts.value("offset-json-file").unwrap_or_default();
    let text = match (path, stdin) {
        ("/dev/stdin" | "-", Some(text)) => text,
        ("/dev/stdin" | "-", None) => "",
        _ => {
            let _ = writeln!(
                io.err,
                "Exception in thread \"main\" java.nio.file.NoSuchFileException: {path}"
            );
            io.err.push_str(
                "eda-playground: there are no files here; give the JSON on standard input with --offset-json-file /dev/stdin.\n",
            );
            return 1;
        }
    };
    let list = match offsets(text) {
        Ok(list) => list,
        Err(trace) => {
            let _ = writeln!(io.err, "Exception in thread \"main\" {trace}");
            return 1;
        }
    };
    // `HashMap<TopicPartition, List<Long>>`: duplicates are refused, then the requests (and the
    // results) are in Java's hash order.
    let mut unique: Vec<(String, u32, i64)> = Vec::new();
    let mut duplicates: Vec<String> = Vec::new();
    for (topic, partition, offset) in list {
        if unique
            .iter()
            .any(|(t, p, _)| *t == topic && *p == partition)
        {
            let name = format!("{topic}-{partition}");
            if !duplicates.contains(&name) {
                duplicates.push(name);
            }
        } else {
            unique.push((topic, partition, offset));
        }
    }
    if !duplicates.is_empty() {
        let _ = writeln!(
            io.err,
            "Exception in thread \"main\" org.apache.kafka.server.common.AdminCommandFailedException: Offset json file contains duplicate topic partitions: {}",
            duplicates.join(",")
        );
        return 1;
    }
    let hashes: Vec<i32> = unique
        .iter()
        .map(|(t, p, _)| topic_partition_hash(string_hash(t), *p))
        .collect();
    io.out.push_str("Executing records delete operation\n");
    io.out.push_str("Records delete operation completed:\n");
    for index in hash_map_order(&hashes) {
        let Some((topic, partition, offset)) = unique.get(index) else {
            continue;
        };
        let tp = format!("{topic}-{partition}");
        let Some(p) = world
            .topic(topic)
            .and_then(|t| t.partitions.get(*partition as usize))
        else {
            let _ = writeln!(
                io.out,
                "partition: {tp}\terror: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition."
            );
            continue;
        };
        let high_watermark = p.high_watermark;
        let target = match *offset {
            -1 => Some(high_watermark),
            o => u64::try_from(o).ok().filter(|o| *o <= high_watermark),
        };
        let Some(target) = target else {
            let _ = writeln!(
                io.out,
                "partition: {tp}\terror: org.apache.kafka.common.errors.OffsetOutOfRangeException: The requested offset is not within the range of offsets maintained by the server."
            );
            continue;
        };
        match world.apply(Command::DeleteRecords {
            topic: topic.clone(),
            partition: *partition,
            offset: target,
        }) {
            Ok(Outcome::Offsets(low)) => {
                let low = low.first().map_or(target, |(_, _, o)| *o);
                let _ = writeln!(io.out, "partition: {tp}\tlow_watermark: {low}");
            }
            Ok(_) => {}
            Err(e) => {
                let _ = writeln!(
                    io.out,
                    "partition: {tp}\terror: {}: {}",
                    e.exception_class(),
                    e.message()
                );
            }
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offset_json_is_read_as_the_tool_reads_it() {
        assert_eq!(
            offsets(
                r#"{"partitions": [{"topic": "foo", "partition": 1, "offset": 1}], "version": 1}"#
            ),
            Ok(vec![("foo".to_string(), 1, 1)])
        );
        assert!(
            offsets("{")
                .unwrap_err()
                .ends_with("The input string is not a valid JSON")
        );
        assert!(
            offsets(r#"{"version": 1}"#)
                .unwrap_err()
                .ends_with("Missing partitions field")
        );
        assert!(
            offsets(r#"{"partitions": [], "version": 2}"#)
                .unwrap_err()
                .ends_with("Not supported version field value 2")
        );
    }
}
