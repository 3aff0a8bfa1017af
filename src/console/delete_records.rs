//! `kafka-delete-records.sh`: moves partitions' log start offsets forward, as Kafka's
//! `DeleteRecordsCommand` does through `Admin.deleteRecords`.
//!
//! The playground has no files, so the offset JSON comes on standard input:
//! `--offset-json-file /dev/stdin` with a here-document or a pipe (see `json.rs`).
//!
//! Formats, from Kafka 4.1's `tools/src/main/java/org/apache/kafka/tools/DeleteRecordsCommand.java`:
//! `Executing records delete operation`, `Records delete operation completed:`, then per
//! partition `partition: T-P\tlow_watermark: N` or `partition: T-P\terror: EXCEPTION: MESSAGE`
//! (in the order Java's `HashMap` of `TopicPartition`s iterates); an offset of -1 means the high
//! watermark (`RecordsToDelete.beforeOffset`); JSON errors (`The input string is not a valid
//! JSON`, `Missing partitions field`, `Not supported version field value N`, `Offset json file
//! contains duplicate topic partitions: T-P`) end the tool as an uncaught exception.
//!
//! Simplified versus Kafka: the JSON reader is `json.rs`'s.

use std::fmt::Write as _;

use crate::console::args::{self, OptSpec, flag, opt};
use crate::console::format::usage;
use crate::console::json::{self, Json};
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

/// `parseOffsetJsonStringWithoutDedup`: (topic, partition, offset) in file order, or the
/// exception the tool dies with.
fn offsets(text: &str) -> Result<Vec<(String, u32, i64)>, String> {
    let Ok(json) = json::parse(text) else {
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

/// Runs `kafka-delete-records.sh ARGS` with `stdin` (for `--offset-json-file /dev/stdin`).
/// Returns the exit status.
pub fn run(
    _console: &mut Console,
    world: &mut World,
    argv: &[String],
    stdin: Option<&str>,
    io: &mut Io,
) -> i32 {
    let Some(opts) = args::parse_or_uncaught(OPTIONS, argv, &mut io.err) else {
        return 1;
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
    let text = match json::read_stdin_file(path, stdin, "offset-json-file") {
        Ok(text) => text,
        Err(note) => {
            let _ = writeln!(
                io.err,
                "Exception in thread \"main\" java.nio.file.NoSuchFileException: {path}\n{note}"
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
