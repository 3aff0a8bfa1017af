//! `kafka-get-offsets.sh`: the offsets of topic partitions (latest, earliest, by timestamp), as
//! Kafka's `GetOffsetShell` prints them.
//!
//! Formats, from Kafka 4.1's `tools/src/main/java/org/apache/kafka/tools/GetOffsetShell.java`:
//! one `TOPIC:PARTITION:OFFSET` line per partition, sorted by `TopicPartition.toString()`
//! (`t-10` before `t-2`), internal topics included unless `--exclude-internal-topics`;
//! partitions without an offset for the request (a timestamp after every record, `max-timestamp`
//! of an empty partition, `latest-tiered` without tiered storage) are left out; errors as
//! `Error occurred: MESSAGE` on stderr (`mainNoExit`): `--topic-partitions cannot be used with
//! --topic or --partitions`, `Malformed time argument X. Please use …`, `--partitions expects a
//! comma separated list of numeric partition ids, but received: X`, `Invalid rule
//! specification: X`, `Could not match any topic-partitions with the specified filters`;
//! `Missing required argument "[bootstrap-server]"` with the usage header.
//!
//! Simplified versus Kafka: topic patterns are the console's regex subset (see `topics.rs`);
//! `--command-config` is refused with a note.

use std::fmt::Write as _;

use crate::console::args::{self, OptSpec, flag, opt};
use crate::console::format::USAGE_HEADER;
use crate::console::topics::pattern_matches;
use crate::console::{Console, Io, Output, network};
use crate::sim::World;
use crate::sim::cluster::Partition;

/// The options `kafka-get-offsets.sh` accepts.
pub const OPTIONS: &[OptSpec] = &[
    opt("bootstrap-server"),
    opt("command-config"),
    flag("exclude-internal-topics"),
    flag("help"),
    opt("partitions"),
    opt("time"),
    opt("topic"),
    opt("topic-partitions"),
    flag("version"),
];

const USAGE_TEXT: &str = "An interactive shell for getting topic-partition offsets.";

/// `OffsetSpec`: which offset of each partition is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Spec {
    Latest,
    Earliest,
    MaxTimestamp,
    EarliestLocal,
    LatestTiered,
    Timestamp(i64),
}

/// `parseOffsetSpec`.
fn parse_spec(text: &str) -> Result<Spec, String> {
    Ok(match text {
        "latest" | "-1" => Spec::Latest,
        "earliest" | "-2" => Spec::Earliest,
        "max-timestamp" | "-3" => Spec::MaxTimestamp,
        "earliest-local" | "-4" => Spec::EarliestLocal,
        "latest-tiered" | "-5" => Spec::LatestTiered,
        _ => match args::java_parse_long(text) {
            Some(t) => Spec::Timestamp(t),
            None => {
                return Err(format!(
                    "Malformed time argument {text}. Please use -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered, or a specified long format timestamp"
                ));
            }
        },
    })
}

/// Which partitions of a topic a rule lets through.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Partitions {
    /// `PartitionsSetFilter`: these (all when empty).
    Set(Vec<i64>),
    /// `UniquePartitionFilter`.
    One(i64),
    /// `PartitionRangeFilter`: lower inclusive, upper exclusive.
    Range(i64, i64),
}

impl Partitions {
    fn allows(&self, partition: i64) -> bool {
        match self {
            Partitions::Set(set) => set.is_empty() || set.contains(&partition),
            Partitions::One(p) => *p == partition,
            Partitions::Range(low, high) => (*low..*high).contains(&partition),
        }
    }
}

/// A topic pattern and the partitions it allows.
type Rule = (String, Partitions);

/// `parseRuleSpec`: `TOPIC_REGEX(:N | :A-B | :A- | :-B)?`.
fn parse_rule(spec: &str) -> Result<Rule, String> {
    let invalid = || format!("Invalid rule specification: {spec}");
    let (topic, partition) = match spec.split_once(':') {
        Some((t, p)) => (t, Some(p)),
        None => (spec, None),
    };
    if topic.contains(',') {
        return Err(invalid());
    }
    let topic = if topic.is_empty() { ".*" } else { topic };
    let number = |t: &str| -> Result<Option<i64>, String> {
        if t.is_empty() {
            Ok(None)
        } else if t.chars().all(|c| c.is_ascii_digit()) {
            t.parse::<i32>()
                .map(|n| Some(i64::from(n)))
                .map_err(|_| invalid())
        } else {
            Err(invalid())
        }
    };
    let partitions = match partition {
        None => Partitions::Range(0, i64::from(i32::MAX)),
        Some(p) => match p.split_once('-') {
            None => match number(p)? {
                Some(n) => Partitions::One(n),
                None => Partitions::Range(0, i64::from(i32::MAX)),
            },
            Some((low, high)) => Partitions::Range(
                number(low)?.unwrap_or(0),
                number(high)?.unwrap_or(i64::from(i32::MAX)),
            ),
        },
    };
    Ok((topic.to_string(), partitions))
}

/// The offset `spec` asks for in `partition`, or `None` for `UNKNOWN_OFFSET`.
fn offset_of(partition: &Partition, spec: Spec) -> Option<u64> {
    let log = &partition.log;
    match spec {
        Spec::Latest => Some(partition.high_watermark),
        Spec::Earliest | Spec::EarliestLocal => Some(log.log_start_offset()),
        Spec::LatestTiered => None,
        Spec::MaxTimestamp => {
            let mut best: Option<(u64, u64)> = None;
            for r in log.records_from(log.log_start_offset()) {
                if r.offset >= partition.high_watermark {
                    break;
                }
                if best.is_none_or(|(ts, _)| r.timestamp_ms > ts) {
                    best = Some((r.timestamp_ms, r.offset));
                }
            }
            best.map(|(_, offset)| offset)
        }
        Spec::Timestamp(t) => log
            .records_from(log.log_start_offset())
            .take_while(|r| r.offset < partition.high_watermark)
            .find(|r| i64::try_from(r.timestamp_ms).unwrap_or(i64::MAX) >= t)
            .map(|r| r.offset),
    }
}

fn terse(io: &mut Io, message: &str) -> i32 {
    let _ = writeln!(io.err, "Error occurred: {message}");
    1
}

/// Runs `kafka-get-offsets.sh ARGS`. Returns the exit status.
pub fn run(
    console: &mut Console,
    world: &mut World,
    argv: &[String],
    io: &mut Io,
    out: &mut Output,
) -> i32 {
    if argv.is_empty() {
        let _ = writeln!(io.err, "{USAGE_TEXT}");
        io.err.push_str(USAGE_HEADER);
        return 1;
    }
    let opts = match args::parse(OPTIONS, argv) {
        Ok(o) => o,
        Err(e) => return terse(io, &e.message()),
    };
    if opts.has("help") {
        let _ = writeln!(io.err, "{USAGE_TEXT}");
        io.err.push_str(USAGE_HEADER);
        return 0;
    }
    if opts.has("version") {
        let _ = writeln!(io.out, "{}", crate::console::KAFKA_VERSION);
        return 0;
    }
    if !opts.has("bootstrap-server") {
        io.err
            .push_str("Missing required argument \"[bootstrap-server]\"\n");
        io.err.push_str(USAGE_HEADER);
        return 1;
    }
    if opts.has("command-config") {
        io.err.push_str(
            "eda-playground: --command-config is not simulated (the playground has no files).\n",
        );
        return 1;
    }
    if opts.has("topic-partitions") && (opts.has("topic") || opts.has("partitions")) {
        return terse(
            io,
            "--topic-partitions cannot be used with --topic or --partitions",
        );
    }
    let spec = match parse_spec(opts.value("time").unwrap_or("latest")) {
        Ok(s) => s,
        Err(m) => return terse(io, &m),
    };
    let rules: Vec<Rule> = match opts.value("topic-partitions") {
        Some(list) => match list.split(',').map(parse_rule).collect() {
            Ok(rules) => rules,
            Err(m) => return terse(io, &m),
        },
        None => {
            let partitions = match opts.value("partitions").filter(|p| !p.is_empty()) {
                None => Vec::new(),
                Some(text) => {
                    match text
                        .split(',')
                        .map(|p| args::java_parse_int(p).map(i64::from))
                        .collect::<Option<Vec<i64>>>()
                    {
                        Some(set) => set,
                        None => {
                            return terse(
                                io,
                                &format!(
                                    "--partitions expects a comma separated list of numeric partition ids, but received: {text}"
                                ),
                            );
                        }
                    }
                }
            };
            vec![(
                opts.value("topic").unwrap_or(".*").to_string(),
                Partitions::Set(partitions),
            )]
        }
    };
    // No broker answers: the admin client (`client.id` GetOffsetShell) retries until its
    // `default.api.timeout.ms`; `listTopics` fails and `mainNoExit` prints the exception.
    if let Some(refused) =
        network::unreachable(world, opts.value("bootstrap-server").unwrap_or_default())
    {
        network::wait_until_timeout(
            console,
            world,
            "AdminClient clientId=GetOffsetShell",
            &refused,
            network::ADMIN_API_TIMEOUT_MS,
            io,
            out,
        );
        let cause = "org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: listTopics";
        let _ = writeln!(
            io.err,
            "Error occurred: {cause}\njava.util.concurrent.ExecutionException: {cause}"
        );
        return 1;
    }
    let exclude_internal = opts.has("exclude-internal-topics");
    // (`TopicPartition.toString()`, `topic:partition`, offset)
    let mut rows: Vec<(String, String, u64)> = Vec::new();
    let mut matched = false;
    for topic in world.topics() {
        if exclude_internal && topic.internal {
            continue;
        }
        for partition in &topic.partitions {
            let allowed = rules.iter().any(|(pattern, partitions)| {
                pattern_matches(pattern, &topic.name) && partitions.allows(i64::from(partition.id))
            });
            if !allowed {
                continue;
            }
            matched = true;
            if let Some(offset) = offset_of(partition, spec) {
                rows.push((
                    format!("{}-{}", topic.name, partition.id),
                    format!("{}:{}", topic.name, partition.id),
                    offset,
                ));
            }
        }
    }
    if !matched {
        return terse(
            io,
            "Could not match any topic-partitions with the specified filters",
        );
    }
    // `TreeMap` ordered by `TopicPartition.toString()`, then printed as `topic:partition:offset`.
    crate::sim::sort::sort_by_key(&mut rows, |(key, _, _)| key.clone());
    for (_, shown, offset) in rows {
        let _ = writeln!(io.out, "{shown}:{offset}");
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_get_offset_shells() {
        assert_eq!(parse_rule("t:1"), Ok(("t".to_string(), Partitions::One(1))));
        assert_eq!(
            parse_rule("t:2-"),
            Ok(("t".to_string(), Partitions::Range(2, i64::from(i32::MAX))))
        );
        assert_eq!(
            parse_rule(":-3"),
            Ok((".*".to_string(), Partitions::Range(0, 3)))
        );
        assert_eq!(
            parse_rule("t:x"),
            Err("Invalid rule specification: t:x".to_string())
        );
        assert_eq!(parse_spec("-2"), Ok(Spec::Earliest));
        assert!(parse_spec("yesterday").is_err());
    }
}
