//! `kafka-console-producer.sh`: one record per input line, through a real engine producer.
//!
//! Input comes from a pipe or here-document (read to the end, then the producer closes and
//! flushes), or, in the page, from the lines typed while it runs as the foreground job
//! (prompt `>`) until Ctrl+D or Ctrl+C. Sends that fail for good are reported as Kafka's
//! `ErrorLoggingCallback` logs them, whenever the failure arrives (the producer is watched
//! after it closed, until every record it sent is acknowledged or failed).
//!
//! Formats, from Kafka 4.0's `tools/.../ConsoleProducer.java` and its `LineMessageReader`:
//! - `org.apache.kafka.common.KafkaException: No key separator found on line number N: 'LINE'`
//!   (the reader's exception, printed by `printStackTrace`, first line only), after which the
//!   producer exits; with `ignore.error=true` the whole line becomes the value of a null-key
//!   record instead; `null.marker` turns a key or value equal to it into null;
//! - `[time] ERROR Error when sending message to topic T with key: K, value: V with error:
//!   (org.apache.kafka.clients.producer.internals.ErrorLoggingCallback)` then the exception's
//!   first line (`ErrorLoggingCallback.onCompletion`, key and value shown as `N bytes`/`null`);
//! - `Missing required argument "[topic]"` / `"[bootstrap-server]"` and the usage header
//!   (`CommandLineUtils.checkRequiredArgs`); jopt-simple's parse errors alone on stderr.
//!
//! Defaults as `ConsoleProducerOptions`: `client.id=console-producer`, `linger.ms=1000`
//! (`--timeout`), `acks=-1` (`--request-required-acks`), `batch.size=16384`; `--sync` sends each
//! record at once. Simplified versus Kafka: `parse.headers`, custom readers and compression are
//! not simulated; the `>` prompt is the terminal's (never in a transcript).

use crate::sim::vecmap::VecMap;
use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;

use crate::console::args::{self, OptSpec, Options, flag, opt, opt_optional};
use crate::console::format::{USAGE_HEADER, log_line};
use crate::console::{Console, Io, Job};
use crate::sim::client::{Acks, ProducerConfig};
use crate::sim::command::{Command, NewRecord, Outcome};
use crate::sim::{TraceEvent, TraceKind, World};

/// The options `kafka-console-producer.sh` accepts.
pub const OPTIONS: &[OptSpec] = &[
    opt("batch-size"),
    opt("bootstrap-server"),
    opt_optional("compression-codec"),
    flag("help"),
    opt("line-reader"),
    opt("max-block-ms"),
    opt("max-memory-bytes"),
    opt("max-partition-memory-bytes"),
    opt("message-send-max-retries"),
    opt("metadata-expiry-ms"),
    opt("producer-property"),
    opt("producer.config"),
    opt("property"),
    opt("reader-config"),
    opt("request-required-acks"),
    opt("request-timeout-ms"),
    opt("retry-backoff-ms"),
    opt("socket-buffer-size"),
    flag("sync"),
    opt("timeout"),
    opt("topic"),
    flag("version"),
];

const CALLBACK_LOGGER: &str = "org.apache.kafka.clients.producer.internals.ErrorLoggingCallback";
/// Most producers watched for late failures at once.
const WATCHERS_MAX: usize = 16;
/// Most unacknowledged records tracked per watched producer.
const TRACKED_MAX: usize = 100_000;

/// How `LineMessageReader` turns a line into a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineReader {
    parse_key: bool,
    key_separator: String,
    ignore_error: bool,
    null_marker: Option<String>,
    line_number: u64,
}

impl LineReader {
    fn from_properties(props: &BTreeMap<String, String>) -> Self {
        let truthy = |k: &str| {
            props
                .get(k)
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        };
        Self {
            parse_key: truthy("parse.key"),
            key_separator: props
                .get("key.separator")
                .cloned()
                .unwrap_or_else(|| "\t".to_string()),
            ignore_error: truthy("ignore.error"),
            null_marker: props.get("null.marker").cloned(),
            line_number: 0,
        }
    }

    /// The key and value of the next line, or the reader's exception message.
    fn read(&mut self, line: &str) -> Result<(Option<String>, Option<String>), String> {
        self.line_number += 1;
        let (key, value) = if self.parse_key {
            match (!self.key_separator.is_empty())
                .then(|| line.find(&self.key_separator))
                .flatten()
            {
                Some(index) => (
                    Some(line[..index].to_string()),
                    line[index + self.key_separator.len()..].to_string(),
                ),
                None if self.ignore_error => (None, line.to_string()),
                None => {
                    return Err(format!(
                        "No key separator found on line number {}: '{line}'",
                        self.line_number
                    ));
                }
            }
        } else {
            (None, line.to_string())
        };
        let marker = self.null_marker.as_deref();
        let key = key.filter(|k| Some(k.as_str()) != marker);
        let value = Some(value).filter(|v| Some(v.as_str()) != marker);
        Ok((key, value))
    }
}

/// A console producer reading typed lines in the foreground.
#[derive(Clone, Debug)]
pub struct ProducerJob {
    producer: u32,
    topic: String,
    reader: LineReader,
}

/// One sent record, as the error callback describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Sent {
    key_len: Option<usize>,
    value_len: Option<usize>,
}

/// A producer whose unacknowledged records are tracked, per partition in send order.
#[derive(Clone, Debug)]
struct Watched {
    producer: u32,
    topic: String,
    closed: bool,
    in_flight: VecMap<u32, VecDeque<Sent>>,
}

/// The producers the console watches for failed sends.
#[derive(Clone, Debug, Default)]
pub struct Watchers {
    list: VecDeque<Watched>,
}

impl Watchers {
    /// Whether no watched record is still on its way.
    pub fn is_idle(&self) -> bool {
        self.list
            .iter()
            .all(|w| w.in_flight.values().all(VecDeque::is_empty))
    }

    fn add(&mut self, producer: u32, topic: &str) {
        if self.list.len() >= WATCHERS_MAX {
            let oldest_closed = self.list.iter().position(|w| w.closed);
            self.list.remove(oldest_closed.unwrap_or(0));
        }
        self.list.push_back(Watched {
            producer,
            topic: topic.to_string(),
            closed: false,
            in_flight: VecMap::new(),
        });
    }

    fn get(&mut self, producer: u32) -> Option<&mut Watched> {
        self.list.iter_mut().find(|w| w.producer == producer)
    }
}

fn describe_len(len: Option<usize>) -> String {
    len.map_or_else(|| "null".to_string(), |n| format!("{n} bytes"))
}

fn callback_error(now_ms: u64, topic: &str, sent: &Sent, error: &str) -> String {
    let message = format!(
        "Error when sending message to topic {topic} with key: {}, value: {} with error:",
        describe_len(sent.key_len),
        describe_len(sent.value_len)
    );
    format!(
        "{}{error}\n",
        log_line(now_ms, "ERROR", &message, CALLBACK_LOGGER)
    )
}

fn usage(io: &mut Io, message: &str, code: i32) -> i32 {
    io.err.push_str(message);
    io.err.push('\n');
    io.err.push_str(USAGE_HEADER);
    code
}

/// `CommandLineUtils.parseKeyValueArgs`: `k=v` (value may hold `=`; a missing one is empty).
/// Later duplicates win, as in Java's `Properties.put`.
pub fn key_values<'a>(values: impl IntoIterator<Item = &'a str>) -> BTreeMap<String, String> {
    // `extend`, not `collect`: collecting into a `BTreeMap` links one more copy of the sort
    // algorithm; inserting one by one gives the same map.
    let mut map = BTreeMap::new();
    map.extend(values.into_iter().map(|kv| match kv.split_once('=') {
        Some((k, v)) => (k.to_string(), v.to_string()),
        None => (kv.to_string(), String::new()),
    }));
    map
}

fn producer_config(opts: &Options) -> Result<ProducerConfig, String> {
    let props = key_values(opts.values("producer-property"));
    let mut config = ProducerConfig {
        client_id: "console-producer".to_string(),
        linger_ms: 1_000,
        ..ProducerConfig::default()
    };
    let number = |key: &str, text: &str| -> Result<u64, String> {
        text.trim().parse::<u64>().map_err(|_| {
            format!(
                "org.apache.kafka.common.config.ConfigException: Invalid value {text} for configuration {key}: Not a number of type LONG"
            )
        })
    };
    let acks_text = opts
        .value("request-required-acks")
        .map(str::to_string)
        .or_else(|| props.get("acks").cloned())
        .unwrap_or_else(|| "-1".to_string());
    config.acks = Acks::parse(&acks_text).ok_or_else(|| {
        format!(
            "org.apache.kafka.common.config.ConfigException: Invalid value {acks_text} for configuration acks: String must be one of (case insensitive): all, -1, 0, 1"
        )
    })?;
    if let Some(v) = opts
        .value("timeout")
        .or(props.get("linger.ms").map(String::as_str))
    {
        config.linger_ms = number("linger.ms", v)?;
    }
    if let Some(v) = opts
        .value("batch-size")
        .or(props.get("batch.size").map(String::as_str))
    {
        config.batch_size = u32::try_from(number("batch.size", v)?).unwrap_or(u32::MAX);
    }
    if let Some(v) = props.get("max.request.size") {
        config.max_request_size = u32::try_from(number("max.request.size", v)?).unwrap_or(u32::MAX);
    }
    if let Some(v) = opts
        .value("retry-backoff-ms")
        .or(props.get("retry.backoff.ms").map(String::as_str))
    {
        config.retry_backoff_ms = number("retry.backoff.ms", v)?;
    }
    if let Some(v) = props.get("delivery.timeout.ms") {
        config.delivery_timeout_ms = number("delivery.timeout.ms", v)?;
    }
    if let Some(v) = props.get("client.id") {
        config.client_id = v.clone();
    }
    if opts.has("sync") {
        config.linger_ms = 0;
    }
    Ok(config)
}

/// Runs `kafka-console-producer.sh ARGS` with `stdin` (a pipe or here-document) or, when
/// there is none and `job_allowed`, as the foreground job reading the next lines (typed in the
/// page; the rest of the script in script mode, as `bash < script` would). Returns the exit
/// status.
pub fn run(
    console: &mut Console,
    world: &mut World,
    argv: &[String],
    stdin: Option<String>,
    job_allowed: bool,
    io: &mut Io,
) -> i32 {
    let opts = match args::parse(OPTIONS, argv) {
        Ok(o) => o,
        Err(e) => {
            io.err.push_str(&e.message());
            io.err.push('\n');
            return 1;
        }
    };
    if argv.is_empty() || opts.has("help") {
        return usage(
            io,
            "This tool helps to read data from standard input and publish it to Kafka.",
            i32::from(argv.is_empty()),
        );
    }
    if opts.has("version") {
        io.out.push_str("4.0.0\n");
        return 0;
    }
    for required in ["topic", "bootstrap-server"] {
        if !opts.has(required) {
            return usage(
                io,
                &format!("Missing required argument \"[{required}]\""),
                1,
            );
        }
    }
    let topic = opts.value("topic").unwrap_or_default().to_string();
    let config = match producer_config(&opts) {
        Ok(c) => c,
        Err(trace) => {
            io.err.push_str(&trace);
            io.err.push('\n');
            return 1;
        }
    };
    let acks_zero = config.acks == Acks::Zero;
    let producer = match world.apply(Command::AddProducer { config }) {
        Ok(Outcome::Producer(id)) => id,
        Ok(_) => return 1,
        Err(e) => {
            let _ = writeln!(io.err, "{}: {}", e.exception_class(), e.message());
            return 1;
        }
    };
    if !acks_zero {
        console.watchers.add(producer, &topic);
    }
    let reader = LineReader::from_properties(&key_values(opts.values("property")));
    let mut job = ProducerJob {
        producer,
        topic,
        reader,
    };
    match stdin {
        Some(input) => {
            let mut status = 0;
            for line in input.lines() {
                if !send_line(console, world, &mut job, line, io) {
                    status = 1;
                    break;
                }
            }
            close(console, world, job);
            status
        }
        None if job_allowed => {
            console.job = Some(Job::Producer(job));
            0
        }
        None => {
            close(console, world, job);
            0
        }
    }
}

/// Sends one line; false when the reader failed and the producer must stop.
fn send_line(
    console: &mut Console,
    world: &mut World,
    job: &mut ProducerJob,
    line: &str,
    io: &mut Io,
) -> bool {
    let (key, value) = match job.reader.read(line) {
        Ok(kv) => kv,
        Err(message) => {
            let _ = writeln!(io.err, "org.apache.kafka.common.KafkaException: {message}");
            return false;
        }
    };
    let sent = Sent {
        key_len: key.as_ref().map(String::len),
        value_len: value.as_ref().map(String::len),
    };
    let record = NewRecord {
        topic: job.topic.clone(),
        partition: None,
        key,
        value,
        headers: Vec::new(),
        timestamp_ms: None,
    };
    match world.apply(Command::Produce {
        producer: job.producer,
        record,
    }) {
        Ok(Outcome::Accepted { partition, .. }) => {
            if let Some(w) = console.watchers.get(job.producer) {
                let queue = w.in_flight.entry(partition).or_default();
                if queue.len() < TRACKED_MAX {
                    queue.push_back(sent);
                }
            }
        }
        Ok(_) => {}
        Err(e) => {
            let error = format!("{}: {}", e.exception_class(), e.message());
            io.err
                .push_str(&callback_error(world.now_ms(), &job.topic, &sent, &error));
        }
    }
    true
}

/// A typed line for the foreground producer.
pub fn feed_line(console: &mut Console, world: &mut World, line: &str, io: &mut Io) {
    let Some(Job::Producer(mut job)) = console.job.take() else {
        return;
    };
    if send_line(console, world, &mut job, line, io) {
        console.job = Some(Job::Producer(job));
    } else {
        close(console, world, job);
    }
}

/// Closes the producer (it flushes what it holds); its late failures are still reported.
pub fn close(console: &mut Console, world: &mut World, job: ProducerJob) {
    let _ = world.apply(Command::CloseProducer {
        producer: job.producer,
    });
    if let Some(w) = console.watchers.get(job.producer) {
        w.closed = true;
    }
}

/// Matches acknowledgements and final failures to the records watched producers sent.
pub fn pump(console: &mut Console, world: &mut World, events: &[TraceEvent], io: &mut Io) {
    if console.watchers.list.is_empty() {
        return;
    }
    let now = world.now_ms();
    for event in events {
        match &event.kind {
            TraceKind::ProduceAcked {
                producer,
                partition,
                records,
                ..
            } => {
                if let Some(w) = console.watchers.get(*producer)
                    && let Some(queue) = w.in_flight.get_mut(partition)
                {
                    for _ in 0..*records {
                        queue.pop_front();
                    }
                }
            }
            TraceKind::ProduceFailed {
                producer,
                partition,
                records,
                error,
                retriable: false,
                ..
            } => {
                if let Some(w) = console.watchers.get(*producer) {
                    let topic = w.topic.clone();
                    if let Some(queue) = w.in_flight.get_mut(partition) {
                        for _ in 0..*records {
                            let sent = queue.pop_front().unwrap_or(Sent {
                                key_len: None,
                                value_len: None,
                            });
                            io.err.push_str(&callback_error(now, &topic, &sent, error));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    console
        .watchers
        .list
        .retain(|w| !(w.closed && w.in_flight.values().all(VecDeque::is_empty)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(props: &[(&str, &str)]) -> LineReader {
        LineReader::from_properties(
            &props
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn lines_become_records() {
        let mut r = reader(&[]);
        assert_eq!(r.read("a:b"), Ok((None, Some("a:b".into()))));
        let mut r = reader(&[("parse.key", "true"), ("key.separator", ":")]);
        assert_eq!(r.read("k:v:w"), Ok((Some("k".into()), Some("v:w".into()))));
        assert_eq!(
            r.read("nokey"),
            Err("No key separator found on line number 2: 'nokey'".into())
        );
        let mut r = reader(&[
            ("parse.key", "TRUE"),
            ("ignore.error", "true"),
            ("null.marker", "-"),
        ]);
        assert_eq!(r.read("line"), Ok((None, Some("line".into()))));
        assert_eq!(r.read("-\t-"), Ok((None, None)));
    }
}
