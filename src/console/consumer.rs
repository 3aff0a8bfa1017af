//! `kafka-console-consumer.sh`: a real engine consumer whose records are printed as they
//! reach it.
//!
//! Without `--group` it joins a group of its own, `console-consumer-NNNNN` (a number below
//! 100000 drawn from the console's seeded RNG, as Kafka draws it from `java.util.Random`), with
//! auto-commit off; with `--partition` it is assigned that partition and has no group. In the
//! page it runs as the foreground job until Ctrl+C, `--max-messages` or `--timeout-ms`; in a
//! script (or inside `$(…)`) it runs to completion, stopping once idle for its `--timeout-ms`
//! (1000 ms of virtual time when not given, standing for the Ctrl+C a person would type).
//!
//! Formats, from Kafka 4.1's `tools/.../consumer/ConsoleConsumer.java`,
//! `ConsoleConsumerOptions.java` and `DefaultMessageFormatter.java`:
//! - each record through `DefaultMessageFormatter.writeTo`: `CreateTime:TS` (or
//!   `LogAppendTime:TS`), `Partition:P`, `Offset:O`, `Delivery:NOT_PRESENT` (`print.delivery`:
//!   only a share consumer's records have a delivery count), `Epoch:E` (`print.epoch`; here the
//!   partition's current leader epoch, not the batch's own), headers (`k:v` joined by `,`, or
//!   `NO_HEADERS`), key and value, separated by `key.separator` (tab) and ended by
//!   `line.separator` (newline), `null` for null; `print.value` defaults to true, the others
//!   to false; `key.deserializer`/`value.deserializer` (String, Long, Integer, Short, Double,
//!   Float, ByteArray) with their `SerializationException`s (`Size of data received by
//!   LongDeserializer is not 8`);
//! - `Processed a total of N messages` on stderr when it ends (`reportRecordCount`); before
//!   closing, each partition is sought back to the first record fetched but not printed
//!   (`ConsumerWrapper.resetUnconsumedOffsets` in `cleanup`), so a group commits exactly what
//!   was printed;
//! - on `--timeout-ms`: `[time] ERROR Error processing message, terminating consumer process:
//!   (org.apache.kafka.tools.consumer.ConsoleConsumer)` and
//!   `org.apache.kafka.common.errors.TimeoutException` before it (`process`);
//! - refused by its group (none of its `partition.assignment.strategy` assignors is supported
//!   by every member): `[time] ERROR [Consumer clientId=…, groupId=G] JoinGroup failed due to
//!   fatal error: The group member's supported protocols are incompatible …
//!   (…ConsumerCoordinator)`, then `process`'s `Error processing message, terminating consumer
//!   process: ` with `org.apache.kafka.common.errors.InconsistentGroupProtocolException: …`,
//!   then the count line; exit status 0;
//! - a formatter failure: the count line, then `[time] ERROR Unknown error when running
//!   consumer:  (…ConsoleConsumer)` and the exception (`main`), or with
//!   `--skip-message-on-error` `Error processing message, skipping this message: `;
//! - no broker at `--bootstrap-server`: no join, no fetch; `NetworkClient`'s connection
//!   warnings (`[Consumer clientId=console-consumer, groupId=G]`) until `--timeout-ms` (then
//!   the timeout's lines) or, in a script, the idle second that stands for Ctrl+C; in the page
//!   without `--timeout-ms`, the first attempt's warnings, then it waits for Ctrl+C;
//! - argument errors with the usage header: `Exactly one of --include/--topic is required. `,
//!   `The topic is required when partition is specified.`, `Options from-beginning and offset
//!   cannot be specified together.`, `The partition is required when offset is specified.`,
//!   `Missing required argument "[bootstrap-server]"`, `Options group and partition cannot be
//!   specified together.`, `The provided offset value 'x' is incorrect. …`.
//!
//! Simplified versus Kafka: `--offset N` reads from the earliest offset and skips records
//! below N (the engine has no seek); `--include` subscribes to the topics matching when it
//! starts; formatters other than `DefaultMessageFormatter` (and `NoOpMessageFormatter`) are
//! refused; `--isolation-level` is accepted and ignored (no transactions).

use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;

use crate::console::args::{self, OptSpec, flag, opt};
use crate::console::format::{USAGE_HEADER, log_line, trace_line};
use crate::console::producer::key_values;
use crate::console::text::Text;
use crate::console::topics::{include_list, pattern_matches};
use crate::console::{Console, Io, Job, Mode, Output, network};
use crate::sim::assignor::AssignorKind;
use crate::sim::client::{ConsumerConfig, ConsumerState, GroupProtocol, OffsetReset};
use crate::sim::command::{Command, Outcome, Subscription};
use crate::sim::log::Bytes;
use crate::sim::trace::JOIN_ERROR_INCONSISTENT_GROUP_PROTOCOL;
use crate::sim::validate::TimestampType;
use crate::sim::{TraceEvent, TraceKind, World};

/// The options `kafka-console-consumer.sh` accepts.
pub const OPTIONS: &[OptSpec] = &[
    opt("bootstrap-server"),
    opt("consumer-property"),
    opt("consumer.config"),
    flag("enable-systest-events"),
    opt("formatter"),
    opt("formatter-config"),
    flag("from-beginning"),
    opt("group"),
    flag("help"),
    opt("include"),
    opt("isolation-level"),
    opt("key-deserializer"),
    opt("max-messages"),
    opt("offset"),
    opt("partition"),
    opt("property"),
    flag("skip-message-on-error"),
    opt("timeout-ms"),
    opt("topic"),
    opt("value-deserializer"),
    flag("version"),
];

const LOGGER: &str = "org.apache.kafka.tools.consumer.ConsoleConsumer";
/// The classic consumer's coordinator logs as its class (`logContext.logger(getClass())`).
const COORDINATOR_LOGGER: &str = "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator";
const FORMATTER_LOGGER: &str = "org.apache.kafka.tools.consumer.DefaultMessageFormatter";
/// The idle time that ends a consumer run to completion when `--timeout-ms` is not given.
const DEFAULT_SCRIPT_TIMEOUT_MS: u64 = 1_000;
/// How long a consumer run to completion may wait to be given partitions.
const JOIN_WAIT_MS: u64 = 60_000;
/// Most virtual time a consumer runs to completion (10 minutes).
const RUN_MAX_MS: u64 = 600_000;
/// Most deliveries waiting to reach the consumer.
const PENDING_MAX: usize = 100_000;

/// A value deserializer the formatter applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Deserializer {
    Identity,
    Long,
    Integer,
    Short,
    Double,
    Float,
}

impl Deserializer {
    fn from_class(name: &str) -> Option<Deserializer> {
        let simple = name
            .strip_prefix("org.apache.kafka.common.serialization.")?
            .strip_suffix("Deserializer")?;
        Some(match simple {
            "String" | "ByteArray" | "Bytes" | "ByteBuffer" => Deserializer::Identity,
            "Long" => Deserializer::Long,
            "Integer" => Deserializer::Integer,
            "Short" => Deserializer::Short,
            "Double" => Deserializer::Double,
            "Float" => Deserializer::Float,
            _ => return None,
        })
    }

    /// The text `toString()` gives for the deserialized value, or the exception's first line.
    fn apply(self, bytes: &[u8]) -> Result<String, String> {
        let size_error = |name: &str, n: usize| {
            format!(
                "org.apache.kafka.common.errors.SerializationException: Size of data received by {name} is not {n}"
            )
        };
        match self {
            Deserializer::Identity => Ok(String::from_utf8_lossy(bytes).into_owned()),
            Deserializer::Long => <[u8; 8]>::try_from(bytes)
                .map(|b| i64::from_be_bytes(b).to_string())
                .map_err(|_| size_error("LongDeserializer", 8)),
            Deserializer::Integer => <[u8; 4]>::try_from(bytes)
                .map(|b| i32::from_be_bytes(b).to_string())
                .map_err(|_| size_error("IntegerDeserializer", 4)),
            Deserializer::Short => <[u8; 2]>::try_from(bytes)
                .map(|b| i16::from_be_bytes(b).to_string())
                .map_err(|_| size_error("ShortDeserializer", 2)),
            Deserializer::Double => <[u8; 8]>::try_from(bytes)
                .map(|b| java_double(f64::from_be_bytes(b)))
                .map_err(|_| size_error("Deserializer", 8)),
            Deserializer::Float => <[u8; 4]>::try_from(bytes)
                .map(|b| java_double(f64::from(f32::from_be_bytes(b))))
                .map_err(|_| size_error("Deserializer", 4)),
        }
    }
}

/// `Double.toString` for the common cases (`1.0`, `2.5`, `NaN`, `Infinity`).
fn java_double(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_string()
    } else if v.is_infinite() {
        if v > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
    } else if v.fract() == 0.0 && v.abs() < 1e7 {
        format!("{v:.1}")
    } else {
        format!("{v}")
    }
}

/// `DefaultMessageFormatter`'s settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Formatter {
    print_timestamp: bool,
    print_key: bool,
    print_value: bool,
    print_partition: bool,
    print_offset: bool,
    print_headers: bool,
    /// `print.delivery`: a share consumer's delivery count (`NOT_PRESENT` for this consumer).
    print_delivery: bool,
    /// `print.epoch`: the leader epoch of the record's batch.
    print_epoch: bool,
    key_separator: String,
    line_separator: String,
    headers_separator: String,
    null_literal: String,
    key_deserializer: Deserializer,
    value_deserializer: Deserializer,
    /// `NoOpMessageFormatter`: prints nothing.
    silent: bool,
}

impl Formatter {
    /// Configures it from the formatter properties; also returns the log lines of
    /// deserializers that could not be loaded.
    fn configure(props: &BTreeMap<String, String>, now_ms: u64) -> (Formatter, String) {
        let boolean = |k: &str, default: bool| {
            props
                .get(k)
                .map_or(default, |v| v.trim().eq_ignore_ascii_case("true"))
        };
        let text = |k: &str, default: &str| props.get(k).cloned().unwrap_or(default.to_string());
        let mut log = String::new();
        let mut deserializer = |key: &str| match props.get(key) {
            None => Deserializer::Identity,
            Some(class) => Deserializer::from_class(class).unwrap_or_else(|| {
                log.push_str(&log_line(
                    now_ms,
                    "ERROR",
                    &format!("Unable to instantiate a deserializer from {class}"),
                    FORMATTER_LOGGER,
                ));
                log.push_str(&trace_line("java.lang.ClassNotFoundException", class));
                Deserializer::Identity
            }),
        };
        let key_deserializer = deserializer("key.deserializer");
        let value_deserializer = deserializer("value.deserializer");
        (
            Formatter {
                print_timestamp: boolean("print.timestamp", false),
                print_key: boolean("print.key", false),
                print_value: boolean("print.value", true),
                print_partition: boolean("print.partition", false),
                print_offset: boolean("print.offset", false),
                print_headers: boolean("print.headers", false),
                print_delivery: boolean("print.delivery", false),
                print_epoch: boolean("print.epoch", false),
                key_separator: text("key.separator", "\t"),
                line_separator: text("line.separator", "\n"),
                headers_separator: text("headers.separator", ","),
                null_literal: text("null.literal", "null"),
                key_deserializer,
                value_deserializer,
                silent: false,
            },
            log,
        )
    }

    /// `writeTo`: appends the record to `out`; on a deserializer failure what was written so
    /// far stays and the exception's first line is returned.
    fn write(&self, world: &World, d: &Delivery, out: &mut Text) -> Result<(), String> {
        if self.silent {
            return Ok(());
        }
        let record = world
            .topic(&d.topic)
            .and_then(|t| t.partitions.get(d.partition as usize))
            .and_then(|p| p.log.get(d.offset));
        let sep = |out: &mut Text, more: bool| {
            out.push_str(if more {
                &self.key_separator
            } else {
                &self.line_separator
            });
        };
        if self.print_timestamp {
            let kind = match world
                .topic(&d.topic)
                .map(|t| t.config.message_timestamp_type)
            {
                Some(TimestampType::LogAppendTime) => "LogAppendTime",
                _ => "CreateTime",
            };
            let ts = record.map_or(0, |r| r.timestamp_ms);
            let _ = write!(out, "{kind}:{ts}");
            sep(
                out,
                self.print_partition
                    || self.print_offset
                    || self.print_delivery
                    || self.print_epoch
                    || self.print_headers
                    || self.print_key
                    || self.print_value,
            );
        }
        if self.print_partition {
            let _ = write!(out, "Partition:{}", d.partition);
            sep(
                out,
                self.print_offset
                    || self.print_delivery
                    || self.print_epoch
                    || self.print_headers
                    || self.print_key
                    || self.print_value,
            );
        }
        if self.print_offset {
            let _ = write!(out, "Offset:{}", d.offset);
            sep(
                out,
                self.print_delivery
                    || self.print_epoch
                    || self.print_headers
                    || self.print_key
                    || self.print_value,
            );
        }
        if self.print_delivery {
            // Only a share consumer's records carry a delivery count.
            out.push_str("Delivery:NOT_PRESENT");
            sep(
                out,
                self.print_epoch || self.print_headers || self.print_key || self.print_value,
            );
        }
        if self.print_epoch {
            let epoch = world
                .topic(&d.topic)
                .and_then(|t| t.partitions.get(d.partition as usize))
                .map(|p| p.leader_epoch);
            match epoch {
                Some(e) => {
                    let _ = write!(out, "Epoch:{e}");
                }
                None => out.push_str("Epoch:NOT_PRESENT"),
            }
            sep(
                out,
                self.print_headers || self.print_key || self.print_value,
            );
        }
        if self.print_headers {
            let headers = record.map(|r| r.headers.as_slice()).unwrap_or_default();
            if headers.is_empty() {
                out.push_str("NO_HEADERS");
            } else {
                let rendered: Vec<String> = headers
                    .iter()
                    .map(|h| {
                        let value = h.value.as_deref().map_or_else(
                            || self.null_literal.clone(),
                            |v| String::from_utf8_lossy(v).into_owned(),
                        );
                        format!("{}:{value}", h.key)
                    })
                    .collect();
                out.push_str(&rendered.join(&self.headers_separator));
            }
            sep(out, self.print_key || self.print_value);
        }
        if self.print_key {
            out.push_str(&self.deserialize(self.key_deserializer, d.key.as_deref())?);
            sep(out, self.print_value);
        }
        if self.print_value {
            out.push_str(&self.deserialize(self.value_deserializer, d.value.as_deref())?);
            out.push_str(&self.line_separator);
        }
        Ok(())
    }

    fn deserialize(
        &self,
        deserializer: Deserializer,
        bytes: Option<&[u8]>,
    ) -> Result<String, String> {
        // Kafka hands the null literal's bytes to the deserializer when the field is null.
        let bytes = bytes.unwrap_or(self.null_literal.as_bytes());
        deserializer.apply(bytes)
    }
}

/// A record on its way to the consumer.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Delivery {
    arrives_ms: u64,
    topic: String,
    partition: u32,
    offset: u64,
    key: Option<Bytes>,
    value: Option<Bytes>,
}

/// Why a console consumer ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Ctrl+C (or idle in a script without `--timeout-ms`).
    Interrupted,
    /// `--max-messages` reached.
    MaxMessages,
    /// Idle for its explicit `--timeout-ms`.
    Timeout,
    /// The formatter threw: the exception's first line.
    Failed(String),
    /// Its engine consumer was stopped from elsewhere (the page).
    Gone,
    /// The coordinator refused its JoinGroup with this error (Kafka's `Errors` name).
    JoinFailed(String),
}

/// A running console consumer.
#[derive(Clone, Debug)]
pub struct ConsumerJob {
    consumer: Option<u32>,
    formatter: Formatter,
    max_messages: Option<u64>,
    timeout_ms: Option<u64>,
    timeout_explicit: bool,
    skip_on_error: bool,
    min_offset: Option<u64>,
    count: u64,
    started_ms: u64,
    idle_since_ms: Option<u64>,
    pending: VecDeque<Delivery>,
    /// Per partition, the first record fetched but dropped because `pending` was full.
    dropped: Vec<(String, u32, u64)>,
}

impl ConsumerJob {
    /// Where each partition's position must go back to when the console stops: Kafka's
    /// `ConsumerWrapper.resetUnconsumedOffsets` seeks every partition with records fetched but
    /// not printed to the first of them before closing, so auto-commit commits exactly what
    /// was printed.
    fn unconsumed_offsets(&self) -> Vec<(String, u32, u64)> {
        let mut first: Vec<(String, u32, u64)> = Vec::new();
        for (topic, partition, offset) in self
            .pending
            .iter()
            .map(|d| (&d.topic, d.partition, d.offset))
            .chain(self.dropped.iter().map(|(t, p, o)| (t, *p, *o)))
        {
            match first
                .iter_mut()
                .find(|(t, p, _)| t == topic && *p == partition)
            {
                Some(entry) => entry.2 = entry.2.min(offset),
                None => first.push((topic.clone(), partition, offset)),
            }
        }
        first
    }
}

fn usage(io: &mut Io, message: &str, code: i32) -> i32 {
    io.err.push_str(message);
    io.err.push('\n');
    io.err.push_str(USAGE_HEADER);
    code
}

/// Runs `kafka-console-consumer.sh ARGS`: as the foreground job when `job_allowed` in the page,
/// else to completion. Returns the exit status.
pub fn run(
    console: &mut Console,
    world: &mut World,
    argv: &[String],
    job_allowed: bool,
    io: &mut Io,
    out: &mut Output,
) -> i32 {
    let now = world.now_ms();
    let opts = match args::parse(OPTIONS, argv) {
        Ok(o) => o,
        Err(e) => return usage(io, &e.message(), 1),
    };
    if argv.is_empty() || opts.has("help") {
        return usage(
            io,
            "This tool helps to read data from Kafka topics and outputs it to standard output.",
            i32::from(argv.is_empty()),
        );
    }
    if opts.has("version") {
        let _ = writeln!(io.out, "{}", crate::console::KAFKA_VERSION);
        return 0;
    }
    if opts.has("topic") == opts.has("include") {
        return usage(io, "Exactly one of --include/--topic is required. ", 1);
    }
    let partition = match opts.int("partition") {
        Ok(p) => p,
        Err(m) => return usage(io, &m, 1),
    };
    if partition.is_some() {
        if !opts.has("topic") {
            return usage(io, "The topic is required when partition is specified.", 1);
        }
        if opts.has("from-beginning") && opts.has("offset") {
            return usage(
                io,
                "Options from-beginning and offset cannot be specified together.",
                1,
            );
        }
    } else if opts.has("offset") {
        return usage(io, "The partition is required when offset is specified.", 1);
    }
    if !opts.has("bootstrap-server") {
        return usage(io, "Missing required argument \"[bootstrap-server]\"", 1);
    }
    let props = key_values(opts.values("consumer-property"));
    let mut groups: Vec<String> = opts.values("group").iter().map(|g| g.to_string()).collect();
    if let Some(g) = props.get("group.id") {
        groups.push(g.clone());
    }
    groups.dedup();
    if groups.len() > 1 {
        let detected: Vec<String> = groups.iter().map(|g| format!("'{g}'")).collect();
        return usage(
            io,
            &format!(
                "The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer.config') do not match. Detected group ids: {}",
                detected.join(", ")
            ),
            1,
        );
    }
    if !groups.is_empty() && partition.is_some() {
        return usage(
            io,
            "Options group and partition cannot be specified together.",
            1,
        );
    }
    let reset = match props.get("auto.offset.reset") {
        Some(value) => {
            if opts.has("from-beginning") && value != "earliest" {
                let _ = writeln!(
                    io.err,
                    "Can't simultaneously specify --from-beginning and 'auto.offset.reset={value}', please remove one option"
                );
                return 1;
            }
            match OffsetReset::parse(value) {
                Some(r) => r,
                None => {
                    let _ = writeln!(
                        io.err,
                        "org.apache.kafka.common.config.ConfigException: Invalid value {value} for configuration auto.offset.reset: Invalid value `{value}` for configuration auto.offset.reset. The value must be either 'earliest', 'latest', 'none' or of the format 'by_duration:<PnDTnHnMn.nS.>'."
                    );
                    return 1;
                }
            }
        }
        None if opts.has("from-beginning") => OffsetReset::Earliest,
        None => OffsetReset::Latest,
    };
    // `parseOffset`: earliest, latest or a non-negative long.
    let mut min_offset = None;
    let mut start = if opts.has("from-beginning") {
        OffsetReset::Earliest
    } else {
        OffsetReset::Latest
    };
    if let Some(text) = opts.value("offset") {
        match text.to_ascii_lowercase().as_str() {
            "earliest" => start = OffsetReset::Earliest,
            "latest" => start = OffsetReset::Latest,
            _ => match args::java_parse_long(text).filter(|n| *n >= 0) {
                Some(n) => {
                    start = OffsetReset::Earliest;
                    min_offset = u64::try_from(n).ok();
                }
                None => {
                    return usage(
                        io,
                        &format!(
                            "The provided offset value '{text}' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long."
                        ),
                        1,
                    );
                }
            },
        }
    }
    // `-1` (or none) reads forever; any other negative count reads nothing, as Java's
    // `while (messageCount < maxMessages || maxMessages == -1)` does.
    let max_messages = match opts.int("max-messages") {
        Ok(m) => m
            .filter(|m| *m != -1)
            .map(|m| u64::try_from(m).unwrap_or(0)),
        Err(m) => return usage(io, &m, 1),
    };
    let explicit_timeout = match opts.long("timeout-ms") {
        Ok(t) => t.and_then(|t| u64::try_from(t).ok()),
        Err(m) => return usage(io, &m, 1),
    };
    // The formatter.
    let mut formatter_props = BTreeMap::new();
    for (option, key) in [
        ("key-deserializer", "key.deserializer"),
        ("value-deserializer", "value.deserializer"),
    ] {
        if let Some(class) = opts.value(option).filter(|c| !c.is_empty()) {
            formatter_props.insert(key.to_string(), class.to_string());
        }
    }
    formatter_props.extend(key_values(opts.values("property")));
    let (mut formatter, log) = Formatter::configure(&formatter_props, now);
    match opts.value("formatter") {
        None
        | Some(
            "org.apache.kafka.tools.consumer.DefaultMessageFormatter"
            | "kafka.tools.DefaultMessageFormatter",
        ) => {}
        Some(
            "org.apache.kafka.tools.consumer.NoOpMessageFormatter"
            | "kafka.tools.NoOpMessageFormatter",
        ) => formatter.silent = true,
        Some(other) => return usage(io, other, 1),
    }
    io.err.push_str(&log);
    // The engine consumer.
    let explicit_group = groups.first().cloned();
    let auto_commit = props
        .get("enable.auto.commit")
        .map(|v| v.trim().eq_ignore_ascii_case("true"))
        .unwrap_or(explicit_group.is_some());
    let mut config = ConsumerConfig {
        client_id: props
            .get("client.id")
            .cloned()
            .unwrap_or_else(|| "console-consumer".to_string()),
        auto_offset_reset: reset,
        enable_auto_commit: auto_commit,
        ..ConsumerConfig::default()
    };
    // Kafka's ConfigDef: an INT, trimmed, at least `min`; otherwise the KafkaConsumer
    // constructor throws a ConfigException (before any record is read).
    let mut bad: Option<String> = None;
    let mut number = |name: &str, min: i32| -> Option<u32> {
        let raw = props.get(name)?;
        let problem = match raw.trim().parse::<i32>() {
            Ok(n) if n >= min => return u32::try_from(n).ok(),
            Ok(_) => format!("Value must be at least {min}"),
            Err(_) => "Not a number of type INT".to_string(),
        };
        bad.get_or_insert(format!(
            "Invalid value {raw} for configuration {name}: {problem}"
        ));
        None
    };
    if let Some(n) = number("max.poll.records", 1) {
        config.max_poll_records = n;
    }
    if let Some(n) = number("max.partition.fetch.bytes", 0) {
        config.max_partition_fetch_bytes = n;
    }
    if let Some(n) = number("fetch.max.bytes", 0) {
        config.fetch_max_bytes = n;
    }
    // `group.protocol`: `ConfigDef.CaseInsensitiveValidString.in("CLASSIC", "CONSUMER")`. With
    // `consumer` (KIP-848) the coordinator assigns the partitions with its own assignor
    // (`group.consumer.assignors`, `uniform` first). Simplified: the engine's range assignor
    // stands for it: for members that own nothing yet, `uniform`
    // (`OptimizedUniformAssignmentBuilder.assignRemainingPartitions`) also gives each member a
    // run of consecutive partitions, the first ones one extra; unlike `uniform` it does not
    // keep what members own when the group changes.
    if let Some(raw) = props.get("group.protocol") {
        match GroupProtocol::parse(raw) {
            Some(protocol) => {
                config.group_protocol = protocol;
                if protocol == GroupProtocol::Consumer {
                    config.assignors = vec![AssignorKind::Range];
                }
            }
            None => {
                bad.get_or_insert(format!(
                    "Invalid value {raw} for configuration group.protocol: String must be one of (case insensitive): CLASSIC, CONSUMER"
                ));
            }
        }
    }
    if let Some(message) = bad {
        io.err.push_str(&log_line(
            now,
            "ERROR",
            "Unknown error when running consumer: ",
            LOGGER,
        ));
        io.err.push_str(&trace_line(
            "org.apache.kafka.common.config.ConfigException",
            &message,
        ));
        return 1;
    }
    // `partition.assignment.strategy` lists classes; the consumer loads each with
    // `Class.forName` (`ConsumerPartitionAssignor.getAssignorInstances`), so a name that is not
    // a class fails its constructor, which wraps the error: `Failed to construct kafka
    // consumer` (the first line of the logged trace).
    if let Some(list) = props.get("partition.assignment.strategy") {
        let names: Vec<&str> = list
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .collect();
        let kinds: Vec<AssignorKind> = names
            .iter()
            .filter_map(|n| AssignorKind::ALL.into_iter().find(|k| k.class_name() == *n))
            .collect();
        if kinds.len() != names.len() {
            io.err.push_str(&log_line(
                now,
                "ERROR",
                "Unknown error when running consumer: ",
                LOGGER,
            ));
            io.err.push_str(&trace_line(
                "org.apache.kafka.common.KafkaException",
                "Failed to construct kafka consumer",
            ));
            return 1;
        }
        if !kinds.is_empty() {
            config.assignors = kinds;
        }
    }
    let subscription = match (partition, opts.value("topic")) {
        (Some(p), Some(topic)) => {
            config.auto_offset_reset = start;
            config.enable_auto_commit = false;
            Some(Subscription::Partitions(vec![(
                topic.to_string(),
                u32::try_from(p).unwrap_or(u32::MAX),
            )]))
        }
        (None, topic) => {
            let group = explicit_group.unwrap_or_else(|| {
                format!("console-consumer-{}", console.rng(world).below(100_000))
            });
            config.group_id = Some(group);
            let topics: Vec<String> = match topic {
                Some(t) => vec![t.to_string()],
                None => {
                    let pattern = include_list(opts.value("include").unwrap_or_default());
                    world
                        .topics()
                        .filter(|t| !t.internal && pattern_matches(&pattern, &t.name))
                        .map(|t| t.name.to_string())
                        .collect()
                }
            };
            (!topics.is_empty()).then_some(Subscription::Topics(topics))
        }
        (Some(_), None) => None,
    };
    // No broker at the bootstrap address: the client never joins nor fetches; it logs its
    // connection attempts until it is stopped (see below).
    let refused = network::unreachable(world, opts.value("bootstrap-server").unwrap_or_default());
    let client_label = format!(
        "Consumer clientId={}, groupId={}",
        config.client_id,
        config.group_id.as_deref().unwrap_or("null")
    );
    let subscription = subscription.filter(|_| refused.is_none());
    let consumer = match subscription {
        None => None,
        Some(subscription) => match world.apply(Command::AddConsumer {
            config,
            subscription,
        }) {
            Ok(Outcome::Consumer(id)) => Some(id),
            Ok(_) => None,
            Err(e) => {
                io.err.push_str("Processed a total of 0 messages\n");
                io.err.push_str(&log_line(
                    now,
                    "ERROR",
                    "Unknown error when running consumer: ",
                    LOGGER,
                ));
                io.err
                    .push_str(&trace_line(e.exception_class(), e.message()));
                return 1;
            }
        },
    };
    // A job of its own: the page's foreground job, or a background job (`&`) in either mode.
    let foreground = job_allowed && (console.mode() == Mode::Interactive || console.spawning);
    let timeout_ms = explicit_timeout.or((!foreground).then_some(DEFAULT_SCRIPT_TIMEOUT_MS));
    let job = ConsumerJob {
        consumer,
        formatter,
        max_messages,
        timeout_ms,
        timeout_explicit: explicit_timeout.is_some(),
        skip_on_error: opts.has("skip-message-on-error"),
        min_offset,
        count: 0,
        started_ms: now,
        idle_since_ms: None,
        pending: VecDeque::new(),
        dropped: Vec::new(),
    };
    if let Some(refused) = refused {
        if foreground && explicit_timeout.is_none() {
            // Runs until Ctrl+C; its first attempt is logged at once.
            for address in &refused {
                io.err
                    .push_str(&network::refused_lines(now, &client_label, address));
            }
        } else {
            network::wait_until_timeout(
                console,
                world,
                &client_label,
                &refused,
                timeout_ms.unwrap_or(DEFAULT_SCRIPT_TIMEOUT_MS),
                io,
                out,
            );
            let ending = if explicit_timeout.is_some() {
                Ending::Timeout
            } else {
                Ending::Interrupted
            };
            let status = finish(world, job, ending, io);
            console.set_status(status);
            return status;
        }
    }
    if max_messages == Some(0) {
        let mut end = Io::default();
        let status = finish(world, job, Ending::MaxMessages, &mut end);
        console.set_status(status);
        io.append(end);
        return 0;
    }
    console.job = Some(Job::Consumer(job));
    if foreground {
        return 0;
    }
    // Run to completion, driving the world (its events are not the page's: it is inside
    // `$(…)` or a script).
    let mut scratch = Output::default();
    let deadline = now.saturating_add(RUN_MAX_MS);
    while matches!(console.job, Some(Job::Consumer(_))) {
        if world.now_ms() >= deadline || !console.step(world, io, &mut scratch) {
            if let Some(Job::Consumer(job)) = console.job.take() {
                let status = finish(world, job, Ending::Interrupted, io);
                console.set_status(status);
            }
            break;
        }
    }
    console.last_status()
}

/// Prints what reached the foreground consumer and ends it when its time has come.
pub fn pump(console: &mut Console, world: &mut World, events: &[TraceEvent], io: &mut Io) {
    let Some(Job::Consumer(job)) = &mut console.job else {
        return;
    };
    if let Some(ending) = advance(job, world, events, io)
        && let Some(Job::Consumer(job)) = console.job.take()
    {
        let status = finish(world, job, ending, io);
        console.set_status(status);
    }
}

/// Takes in what reached `job`'s consumer, prints what is due, and says how the job ends if
/// its time has come (the caller then [`finish`]es it).
pub(crate) fn advance(
    job: &mut ConsumerJob,
    world: &World,
    events: &[TraceEvent],
    io: &mut Io,
) -> Option<Ending> {
    let now = world.now_ms();
    let mut join_failed = None;
    if let Some(id) = job.consumer {
        for event in events {
            if let TraceKind::JoinGroupFailed {
                consumer, error, ..
            } = &event.kind
                && *consumer == id
            {
                join_failed = Some(error.clone());
            }
            if let TraceKind::RecordDelivered {
                consumer,
                topic,
                partition,
                offset,
                key,
                value,
                arrives_at_ms,
                ..
            } = &event.kind
                && *consumer == id
            {
                let gap = job
                    .dropped
                    .iter()
                    .any(|(t, p, _)| **t == **topic && *p == *partition);
                if gap || job.pending.len() >= PENDING_MAX {
                    // Never printed: the position goes back to it when the console stops,
                    // and later records of the partition wait behind it.
                    if !gap {
                        job.dropped.push((topic.to_string(), *partition, *offset));
                    }
                    continue;
                }
                job.pending.push_back(Delivery {
                    arrives_ms: *arrives_at_ms,
                    topic: topic.to_string(),
                    partition: *partition,
                    offset: *offset,
                    key: key.clone(),
                    value: value.clone(),
                });
            }
        }
    }
    let mut ending = None;
    while let Some(front) = job.pending.front() {
        if front.arrives_ms > now {
            break;
        }
        let Some(delivery) = job.pending.pop_front() else {
            break;
        };
        if job.min_offset.is_some_and(|min| delivery.offset < min) {
            continue;
        }
        job.count += 1;
        job.idle_since_ms = Some(now);
        if let Err(trace) = job.formatter.write(world, &delivery, &mut io.out) {
            if job.skip_on_error {
                io.err.push_str(&log_line(
                    now,
                    "ERROR",
                    "Error processing message, skipping this message: ",
                    LOGGER,
                ));
                io.err.push_str(&trace);
                io.err.push('\n');
            } else {
                ending = Some(Ending::Failed(trace));
                break;
            }
        }
        if job.max_messages.is_some_and(|max| job.count >= max) {
            ending = Some(Ending::MaxMessages);
            break;
        }
    }
    if ending.is_none()
        && let Some(error) = join_failed
    {
        ending = Some(Ending::JoinFailed(error));
    }
    if ending.is_none() {
        let state = job
            .consumer
            .and_then(|id| world.consumer(id))
            .map(|c| c.state.clone());
        let alive = match (job.consumer, &state) {
            (None, _) => true,
            (Some(_), Some(s)) => !matches!(s, ConsumerState::Stopped | ConsumerState::Crashed),
            (Some(_), None) => false,
        };
        if !alive {
            ending = Some(Ending::Gone);
        } else if let Some(timeout) = job.timeout_ms {
            let active = job.consumer.is_none() || state == Some(ConsumerState::Active);
            if active && job.pending.is_empty() {
                let since = *job.idle_since_ms.get_or_insert(now);
                if now.saturating_sub(since) >= timeout {
                    ending = Some(if job.timeout_explicit {
                        Ending::Timeout
                    } else {
                        Ending::Interrupted
                    });
                }
            } else if !active
                && job.idle_since_ms.is_none()
                && now.saturating_sub(job.started_ms) >= timeout.saturating_add(JOIN_WAIT_MS)
            {
                ending = Some(Ending::Interrupted);
            }
        }
    }
    ending
}

/// Ends a console consumer: closes the engine consumer and prints the closing lines. Returns
/// its exit status.
pub fn finish(world: &mut World, job: ConsumerJob, ending: Ending, io: &mut Io) -> i32 {
    let now = world.now_ms();
    if let Ending::JoinFailed(error) = &ending {
        let (class, message) = join_error(error);
        // `AbstractCoordinator.JoinGroupResponseHandler` logs the fatal error, then `poll`
        // throws it and `ConsoleConsumer.process` logs it and returns (exit status 0).
        let client = job
            .consumer
            .and_then(|id| world.consumer(id))
            .map_or_else(String::new, |c| {
                format!(
                    "[Consumer clientId={}, groupId={}] ",
                    c.config.client_id,
                    c.group.as_deref().unwrap_or("null")
                )
            });
        io.err.push_str(&log_line(
            now,
            "ERROR",
            &format!("{client}JoinGroup failed due to fatal error: {message}"),
            COORDINATOR_LOGGER,
        ));
        io.err.push_str(&log_line(
            now,
            "ERROR",
            "Error processing message, terminating consumer process: ",
            LOGGER,
        ));
        io.err.push_str(&trace_line(class, message));
    }
    if ending == Ending::Timeout {
        io.err.push_str(&log_line(
            now,
            "ERROR",
            "Error processing message, terminating consumer process: ",
            LOGGER,
        ));
        io.err
            .push_str("org.apache.kafka.common.errors.TimeoutException\n");
    }
    if let Some(id) = job.consumer
        && ending != Ending::Gone
    {
        for (topic, partition, offset) in job.unconsumed_offsets() {
            let _ = world.apply(Command::Seek {
                consumer: id,
                topic,
                partition,
                offset,
            });
        }
        let _ = world.apply(Command::StopConsumer { consumer: id });
    }
    let _ = writeln!(io.err, "Processed a total of {} messages", job.count);
    match ending {
        Ending::Failed(trace) => {
            io.err.push_str(&log_line(
                now,
                "ERROR",
                "Unknown error when running consumer: ",
                LOGGER,
            ));
            io.err.push_str(&trace);
            io.err.push('\n');
            1
        }
        Ending::Interrupted => 130,
        _ => 0,
    }
}

/// The exception class and message a refused JoinGroup raises (`Errors`' exceptions).
fn join_error(error: &str) -> (&'static str, &'static str) {
    debug_assert_eq!(error, JOIN_ERROR_INCONSISTENT_GROUP_PROTOCOL);
    (
        "org.apache.kafka.common.errors.InconsistentGroupProtocolException",
        "The group member's supported protocols are incompatible with those of existing members or first group member tried to join with empty protocol type or empty protocol list.",
    )
}

/// Killed by SIGKILL: the JVM dies at once, so no shutdown hook runs (no count line, no
/// seek, no close); its group notices when the member's session times out.
pub fn kill(world: &mut World, job: ConsumerJob) {
    if let Some(id) = job.consumer {
        let _ = world.apply(Command::CrashConsumer { consumer: id });
    }
}

impl ConsumerJob {
    /// A background job being waited for in a script stops once idle for the default time,
    /// as one in the foreground does, unless `--timeout-ms` was given.
    pub(crate) fn time_out_when_idle(&mut self) {
        if self.timeout_ms.is_none() {
            self.timeout_ms = Some(DEFAULT_SCRIPT_TIMEOUT_MS);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserializers_are_javas() {
        assert_eq!(
            Deserializer::Long.apply(&7i64.to_be_bytes()),
            Ok("7".to_string())
        );
        assert_eq!(
            Deserializer::Long.apply(b"hello"),
            Err("org.apache.kafka.common.errors.SerializationException: Size of data received by LongDeserializer is not 8".to_string())
        );
        assert_eq!(
            Deserializer::Double.apply(&2.0f64.to_be_bytes()),
            Ok("2.0".into())
        );
        assert_eq!(
            Deserializer::from_class("org.apache.kafka.common.serialization.LongDeserializer"),
            Some(Deserializer::Long)
        );
        assert_eq!(Deserializer::from_class("com.example.X"), None);
    }
}
