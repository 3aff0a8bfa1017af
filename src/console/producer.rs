//! `kafka-console-producer.sh`: one record per input line, through a real engine producer.
//!
//! Input comes from a pipe or here-document (read to the end, then the producer closes and
//! flushes), or, in the page, from the lines typed while it runs as the foreground job
//! (prompt `>`) until Ctrl+D or Ctrl+C. Sends that fail for good are reported as Kafka's
//! `ErrorLoggingCallback` logs them, whenever the failure arrives (the producer is watched
//! after it closed, until every record it sent is acknowledged or failed).
//!
//! Formats, from Kafka 4.1's `tools/.../ConsoleProducer.java` and its `LineMessageReader`:
//! - `org.apache.kafka.common.KafkaException: No key separator found on line number N: 'LINE'`
//!   (the reader's exception, printed by `printStackTrace`, first line only), after which the
//!   producer exits; with `ignore.error=true` the whole line becomes the value of a null-key
//!   record instead; `null.marker` turns a key or value (or header value) equal to it into
//!   null; `parse.headers=true` reads `h1:v1,h2:v2` before `headers.delimiter` (tab), split on
//!   `headers.separator` (`,`) and `headers.key.separator` (`:`), with the reader's errors
//!   (`No headers delimiter found on line number N: 'LINE'`, `No header key separator found in
//!   pair 'P' on line number N`, `Header keys should not be equal to the null marker …`) and
//!   its configuration checks (`headers.delimiter and headers.separator may not be equal`, …,
//!   `null.marker and key.separator may not be equal`);
//! - `[time] ERROR Error when sending message to topic T with key: K, value: V with error:
//!   (org.apache.kafka.clients.producer.internals.ErrorLoggingCallback)` then the exception's
//!   first line (`ErrorLoggingCallback.onCompletion`, key and value shown as `N bytes`/`null`);
//! - `Missing required argument "[topic]"` / `"[bootstrap-server]"` and the usage header
//!   (`CommandLineUtils.checkRequiredArgs`); jopt-simple's parse errors alone on stderr.
//!
//! - no broker at `--bootstrap-server`: each record waits `max.block.ms` (60 s of virtual time;
//!   `--max-block-ms`) while the client logs its connection warnings, then `TimeoutException:
//!   Topic T not present in metadata after N ms.` through the callback (see `network.rs`; each
//!   wait starts the reconnect backoff afresh).
//!
//! - a topic that does not exist yet (brokers with `auto.create.topics.enable`): `NetworkClient`'s
//!   `[Producer clientId=console-producer] The metadata response from the cluster reported a
//!   recoverable issue with correlation id 2 : {T=UNKNOWN_TOPIC_OR_PARTITION}` WARN, once,
//!   before the record goes to the topic the broker created.
//!
//! Defaults as `ConsoleProducerOptions`: `client.id=console-producer`, `linger.ms=1000`
//! (`--timeout`), `acks=-1` (`--request-required-acks`), `batch.size=16384`; `--sync` sends each
//! record at once. Simplified versus Kafka: custom readers and compression are not simulated;
//! `headers.separator` is taken literally (Java compiles it as a regex); the `>` prompt is the terminal's (never in a transcript).

use crate::sim::vecmap::VecMap;
use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;

use crate::console::args::{self, OptSpec, Options, flag, opt, opt_optional};
use crate::console::format::{USAGE_HEADER, log_line};
use crate::console::{Console, Io, Job, Output, network};
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
/// `max.block.ms` by default: how long `send` waits for metadata.
const MAX_BLOCK_MS_DEFAULT: u64 = 60_000;
/// Most producers watched for late failures at once.
const WATCHERS_MAX: usize = 16;
/// Most unacknowledged records tracked per watched producer.
const TRACKED_MAX: usize = 100_000;

/// A header as the reader parsed it: its key and value (`None` is null).
type ParsedHeader = (String, Option<String>);

/// What the reader made of one line: key, value and headers.
type ParsedLine = (Option<String>, Option<String>, Vec<ParsedHeader>);

/// How `LineMessageReader` turns a line into a record: `[headers DELIMITER][key SEPARATOR]value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineReader {
    parse_key: bool,
    key_separator: String,
    parse_headers: bool,
    headers_delimiter: String,
    headers_separator: String,
    headers_key_separator: String,
    ignore_error: bool,
    null_marker: Option<String>,
    line_number: u64,
}

/// Java's `Pattern.compile(separator).split(text)` for a separator without regex
/// metacharacters: a leading empty piece is kept, trailing empty ones are dropped, and text
/// without the separator comes back whole.
fn java_split_literal<'a>(text: &'a str, separator: &str) -> Vec<&'a str> {
    if separator.is_empty() || !text.contains(separator) {
        return vec![text];
    }
    let mut pieces: Vec<&str> = text.split(separator).collect();
    while pieces.last().is_some_and(|p| p.is_empty()) {
        pieces.pop();
    }
    pieces
}

impl LineReader {
    /// `LineMessageReader.configure`: the properties, or the `KafkaException` it throws when two
    /// of its separators (or the null marker and a separator) are equal.
    fn from_properties(props: &BTreeMap<String, String>) -> Result<Self, String> {
        let truthy = |k: &str| {
            props
                .get(k)
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        };
        let text = |k: &str, default: &str| props.get(k).cloned().unwrap_or(default.to_string());
        let reader = Self {
            parse_key: truthy("parse.key"),
            key_separator: text("key.separator", "\t"),
            parse_headers: truthy("parse.headers"),
            headers_delimiter: text("headers.delimiter", "\t"),
            headers_separator: text("headers.separator", ","),
            headers_key_separator: text("headers.key.separator", ":"),
            ignore_error: truthy("ignore.error"),
            null_marker: props.get("null.marker").cloned(),
            line_number: 0,
        };
        let equal = [
            (
                &reader.headers_delimiter,
                &reader.headers_separator,
                "headers.delimiter and headers.separator",
            ),
            (
                &reader.headers_delimiter,
                &reader.headers_key_separator,
                "headers.delimiter and headers.key.separator",
            ),
            (
                &reader.headers_separator,
                &reader.headers_key_separator,
                "headers.separator and headers.key.separator",
            ),
        ];
        for (a, b, names) in equal {
            if a == b {
                return Err(format!("{names} may not be equal"));
            }
        }
        if let Some(marker) = &reader.null_marker {
            for (separator, name) in [
                (&reader.key_separator, "key.separator"),
                (&reader.headers_separator, "headers.separator"),
                (&reader.headers_delimiter, "headers.delimiter"),
                (&reader.headers_key_separator, "headers.key.separator"),
            ] {
                if separator == marker {
                    return Err(format!("null.marker and {name} may not be equal"));
                }
            }
        }
        Ok(reader)
    }

    /// `parse`: the text from `start` to the next `demarcation`, `None` when not enabled (or
    /// missing with `ignore.error`).
    fn part<'a>(
        &self,
        enabled: bool,
        line: &'a str,
        start: usize,
        demarcation: &str,
        name: &str,
    ) -> Result<Option<&'a str>, String> {
        if !enabled {
            return Ok(None);
        }
        let rest = line.get(start..).unwrap_or("");
        match rest.find(demarcation) {
            Some(index) => Ok(rest.get(..index)),
            None if self.ignore_error => Ok(None),
            None => Err(format!(
                "No {name} found on line number {}: '{line}'",
                self.line_number
            )),
        }
    }

    /// `splitHeaders`: `k:v` pairs between `headers.separator`s.
    fn headers(&self, text: &str) -> Result<Vec<ParsedHeader>, String> {
        let marker = self.null_marker.as_deref();
        let mut headers = Vec::new();
        for pair in java_split_literal(text, &self.headers_separator) {
            let Some(i) = pair.find(&self.headers_key_separator) else {
                if self.ignore_error {
                    headers.push((pair.to_string(), None));
                    continue;
                }
                return Err(format!(
                    "No header key separator found in pair '{pair}' on line number {}",
                    self.line_number
                ));
            };
            let key = &pair[..i];
            if Some(key) == marker {
                return Err(format!(
                    "Header keys should not be equal to the null marker '{key}' as they can't be null"
                ));
            }
            let value = &pair[i + self.headers_key_separator.len()..];
            headers.push((
                key.to_string(),
                (Some(value) != marker).then(|| value.to_string()),
            ));
        }
        Ok(headers)
    }

    /// The key, value and headers of the next line, or the reader's exception message.
    fn read(&mut self, line: &str) -> Result<ParsedLine, String> {
        self.line_number += 1;
        let headers = self.part(
            self.parse_headers,
            line,
            0,
            &self.headers_delimiter,
            "headers delimiter",
        )?;
        let header_offset = headers.map_or(0, |h| h.len() + self.headers_delimiter.len());
        let key = self.part(
            self.parse_key,
            line,
            header_offset,
            &self.key_separator,
            "key separator",
        )?;
        let key_offset = key.map_or(0, |k| k.len() + self.key_separator.len());
        let value = line.get(header_offset + key_offset..).unwrap_or("");
        let marker = self.null_marker.as_deref();
        let parsed_headers = match headers {
            Some(h) if Some(h) != marker => self.headers(h)?,
            _ => Vec::new(),
        };
        Ok((
            key.filter(|k| Some(*k) != marker).map(str::to_string),
            (Some(value) != marker).then(|| value.to_string()),
            parsed_headers,
        ))
    }
}

/// A console producer reading typed lines in the foreground.
#[derive(Clone, Debug)]
pub struct ProducerJob {
    producer: u32,
    topic: String,
    reader: LineReader,
    /// The bootstrap addresses, when no broker answers at any of them.
    refused: Option<Vec<String>>,
    /// `max.block.ms`: how long `send` waits for the topic's metadata.
    max_block_ms: u64,
    /// The correlation id of the client's next metadata request (see [`METADATA_FIRST_CORRELATION_ID`]).
    next_correlation_id: u32,
}

/// The correlation id of the producer's first metadata request for a topic: its
/// `NetworkClient` sent `ApiVersions` (0) and a metadata request without topics (1) when it
/// connected, before the first record named one. (A default broker advertises no telemetry
/// APIs, so no `GetTelemetrySubscriptions` request takes a number in between.)
const METADATA_FIRST_CORRELATION_ID: u32 = 2;
const NETWORK_LOGGER: &str = "org.apache.kafka.clients.NetworkClient";

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

/// Adds the engine's producer for a tool (the console producer, the producer perf test); a
/// refusal is printed as `CLASS: MESSAGE` on stderr and gives `None`.
pub(crate) fn add_producer(world: &mut World, config: ProducerConfig, io: &mut Io) -> Option<u32> {
    match world.apply(Command::AddProducer { config }) {
        Ok(Outcome::Producer(id)) => Some(id),
        Ok(_) => None,
        Err(e) => {
            let _ = writeln!(io.err, "{}: {}", e.exception_class(), e.message());
            None
        }
    }
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
    // `compressionCodec()`: gzip when the flag has no value, none without the flag (it
    // overrides a `compression.type` producer property); `ProducerConfig` accepts only the
    // codecs Kafka knows. Compression itself is not simulated.
    if opts.has("compression-codec") {
        let codec = opts
            .value("compression-codec")
            .filter(|c| !c.is_empty())
            .unwrap_or("gzip");
        if !matches!(codec, "none" | "gzip" | "snappy" | "lz4" | "zstd") {
            return Err(format!(
                "org.apache.kafka.common.config.ConfigException: Invalid value {codec} for configuration compression.type: String must be one of: none, gzip, snappy, lz4, zstd"
            ));
        }
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
    out: &mut Output,
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
        let _ = writeln!(io.out, "{}", crate::console::KAFKA_VERSION);
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
    // `messageReader` configures the reader before the producer exists; its exception goes
    // through `printStackTrace` (first line here) and the tool exits with 1.
    let reader = match LineReader::from_properties(&key_values(opts.values("property"))) {
        Ok(reader) => reader,
        Err(message) => {
            let _ = writeln!(io.err, "org.apache.kafka.common.KafkaException: {message}");
            return 1;
        }
    };
    let config = match producer_config(&opts) {
        Ok(c) => c,
        Err(trace) => {
            io.err.push_str(&trace);
            io.err.push('\n');
            return 1;
        }
    };
    let acks_zero = config.acks == Acks::Zero;
    let Some(producer) = add_producer(world, config, io) else {
        return 1;
    };
    if !acks_zero {
        console.watchers.add(producer, &topic);
    }
    let props = key_values(opts.values("producer-property"));
    let max_block_ms = opts
        .value("max-block-ms")
        .or(props.get("max.block.ms").map(String::as_str))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(MAX_BLOCK_MS_DEFAULT);
    let mut job = ProducerJob {
        producer,
        topic,
        reader,
        refused: network::unreachable(world, opts.value("bootstrap-server").unwrap_or_default()),
        max_block_ms,
        next_correlation_id: METADATA_FIRST_CORRELATION_ID,
    };
    match stdin {
        Some(input) => {
            let mut status = 0;
            for line in input.lines() {
                if !send_line(console, world, &mut job, line, io, out) {
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
    out: &mut Output,
) -> bool {
    let (key, value, headers) = match job.reader.read(line) {
        Ok(parsed) => parsed,
        Err(message) => {
            let _ = writeln!(io.err, "org.apache.kafka.common.KafkaException: {message}");
            return false;
        }
    };
    let sent = Sent {
        key_len: key.as_ref().map(String::len),
        value_len: value.as_ref().map(String::len),
    };
    // No broker answers: `send` waits `max.block.ms` for the topic's metadata while the
    // client retries its connections, then fails the record through its callback
    // (`KafkaProducer.waitOnMetadata`), and the producer reads on.
    if let Some(refused) = job.refused.clone() {
        network::wait_until_timeout(
            console,
            world,
            "Producer clientId=console-producer",
            &refused,
            job.max_block_ms,
            io,
            out,
        );
        let error = format!(
            "org.apache.kafka.common.errors.TimeoutException: Topic {} not present in metadata after {} ms.",
            job.topic, job.max_block_ms
        );
        io.err
            .push_str(&callback_error(world.now_ms(), &job.topic, &sent, &error));
        return true;
    }
    // The topic does not exist yet and the brokers create topics on demand: the first metadata
    // response names it with `UNKNOWN_TOPIC_OR_PARTITION` while the broker asks the controller
    // to create it (`AutoTopicCreationManager`), `NetworkClient` logs that response
    // (`DefaultMetadataUpdater.handleSuccessfulResponse`), and the next request finds the topic.
    if world.topic(&job.topic).is_none()
        && world.config().auto_create_topics
        && crate::sim::validate::is_valid_topic_name(&job.topic)
    {
        io.err.push_str(&unknown_topic_warning(
            world.now_ms(),
            job.next_correlation_id,
            &job.topic,
        ));
        job.next_correlation_id += 1;
    }
    let record = NewRecord {
        topic: job.topic.clone(),
        partition: None,
        key,
        value,
        headers,
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
            // A name the broker refuses comes back in the metadata response
            // (`INVALID_TOPIC_EXCEPTION`), which the client's `Metadata` turns into
            // `new InvalidTopicException(invalidTopics)`: `Invalid topics: [NAME]`.
            let error =
                if e.exception_class() == "org.apache.kafka.common.errors.InvalidTopicException" {
                    format!("{}: Invalid topics: [{}]", e.exception_class(), job.topic)
                } else {
                    format!("{}: {}", e.exception_class(), e.message())
                };
            io.err
                .push_str(&callback_error(world.now_ms(), &job.topic, &sent, &error));
        }
    }
    true
}

/// `NetworkClient`'s warning for a metadata response that names `topic` with
/// `UNKNOWN_TOPIC_OR_PARTITION` (Kafka 4.x's wording; before 3.x it read `Error while fetching
/// metadata with correlation id N : {…}`).
fn unknown_topic_warning(now_ms: u64, correlation_id: u32, topic: &str) -> String {
    log_line(
        now_ms,
        "WARN",
        &format!(
            "[Producer clientId=console-producer] The metadata response from the cluster reported a recoverable issue with correlation id {correlation_id} : {{{topic}=UNKNOWN_TOPIC_OR_PARTITION}}"
        ),
        NETWORK_LOGGER,
    )
}

/// A typed line for the foreground producer.
pub fn feed_line(
    console: &mut Console,
    world: &mut World,
    line: &str,
    io: &mut Io,
    out: &mut Output,
) {
    let Some(Job::Producer(mut job)) = console.job.take() else {
        return;
    };
    if send_line(console, world, &mut job, line, io, out) {
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

    fn configure(props: &[(&str, &str)]) -> Result<LineReader, String> {
        LineReader::from_properties(
            &props
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    fn reader(props: &[(&str, &str)]) -> LineReader {
        configure(props).unwrap_or_else(|e| panic!("{e}"))
    }

    fn record(
        key: Option<&str>,
        value: Option<&str>,
        headers: &[(&str, Option<&str>)],
    ) -> ParsedLine {
        (
            key.map(str::to_string),
            value.map(str::to_string),
            headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
                .collect(),
        )
    }

    /// `LineMessageReaderTest`'s default properties: `parse.key` and `parse.headers` true.
    fn with_headers(more: &[(&str, &str)]) -> LineReader {
        let mut props = vec![("parse.key", "true"), ("parse.headers", "true")];
        props.extend_from_slice(more);
        reader(&props)
    }

    #[test]
    fn lines_become_records() {
        let mut r = reader(&[]);
        assert_eq!(r.read("a:b"), Ok(record(None, Some("a:b"), &[])));
        let mut r = reader(&[("parse.key", "true"), ("key.separator", ":")]);
        assert_eq!(r.read("k:v:w"), Ok(record(Some("k"), Some("v:w"), &[])));
        assert_eq!(
            r.read("nokey"),
            Err("No key separator found on line number 2: 'nokey'".into())
        );
        let mut r = reader(&[
            ("parse.key", "TRUE"),
            ("ignore.error", "true"),
            ("null.marker", "-"),
        ]);
        assert_eq!(r.read("line"), Ok(record(None, Some("line"), &[])));
        assert_eq!(r.read("-\t-"), Ok(record(None, None, &[])));
    }

    /// `tools/src/test/java/org/apache/kafka/tools/LineMessageReaderTest.java`:
    /// `testLineReaderHeader`, `testMinimalValidInputWithHeaderKeyAndValue`,
    /// `testDemarcationsLongerThanOne`, `testLineReaderHeaderNoKey`,
    /// `testParseHeaderEnabledWithCustomDelimiterAndVaryingNumberOfKeyValueHeaderPairs`.
    #[test]
    fn headers_are_parsed_as_line_message_reader_parses_them() {
        assert_eq!(
            with_headers(&[]).read("headerKey0:headerValue0,headerKey1:headerValue1\tkey0\tvalue0"),
            Ok(record(
                Some("key0"),
                Some("value0"),
                &[
                    ("headerKey0", Some("headerValue0")),
                    ("headerKey1", Some("headerValue1"))
                ]
            ))
        );
        assert_eq!(
            with_headers(&[]).read(":\t\t"),
            Ok(record(Some(""), Some(""), &[("", Some(""))]))
        );
        let mut long = with_headers(&[
            ("key.separator", "\t\t"),
            ("headers.delimiter", "\t\t"),
            ("headers.separator", "---"),
            ("headers.key.separator", "::::"),
        ]);
        assert_eq!(
            long.read("headerKey0.0::::headerValue0.0---headerKey1.0::::\t\tkey\t\tvalue"),
            Ok(record(
                Some("key"),
                Some("value"),
                &[
                    ("headerKey0.0", Some("headerValue0.0")),
                    ("headerKey1.0", Some(""))
                ]
            ))
        );
        assert_eq!(
            with_headers(&[("parse.key", "false")]).read("headerKey:headerValue\tvalue"),
            Ok(record(
                None,
                Some("value"),
                &[("headerKey", Some("headerValue"))]
            ))
        );
        let mut custom = with_headers(&[
            ("key.separator", "#"),
            ("headers.delimiter", "!"),
            ("headers.separator", "&"),
            ("headers.key.separator", ":"),
        ]);
        assert_eq!(
            custom.read("h0:v0&h1:v1!key0#value0"),
            Ok(record(
                Some("key0"),
                Some("value0"),
                &[("h0", Some("v0")), ("h1", Some("v1"))]
            ))
        );
    }

    /// `LineMessageReaderTest`: `testMissingKeySeparator`, `testMissingHeaderKeySeparator`,
    /// `testIgnoreErrorInInput`, `testMalformedHeaderIgnoreError`, and the message for a line
    /// without the headers delimiter (`LineMessageReader.parse`).
    #[test]
    fn reader_errors_are_line_message_readers() {
        let mut r = with_headers(&[]);
        assert!(r.read("h:v\tkey0\tvalue0").is_ok());
        assert_eq!(
            r.read("headerKey1.0:headerValue1.0\tkey1[MISSING-DELIMITER]value1"),
            Err("No key separator found on line number 2: 'headerKey1.0:headerValue1.0\tkey1[MISSING-DELIMITER]value1'".into())
        );
        assert_eq!(
            with_headers(&[]).read("key[MISSING-DELIMITER]val\tkey0\tvalue0"),
            Err("No header key separator found in pair 'key[MISSING-DELIMITER]val' on line number 1".into())
        );
        assert_eq!(
            with_headers(&[]).read("no delimiter"),
            Err("No headers delimiter found on line number 1: 'no delimiter'".into())
        );
        let mut ignoring = with_headers(&[("ignore.error", "true")]);
        assert_eq!(
            ignoring.read("headerKey1.0:headerValue1.0,headerKey1.1:headerValue1.1[MISSING-HEADER-DELIMITER]key1\tvalue1"),
            Ok(record(
                None,
                Some("value1"),
                &[
                    ("headerKey1.0", Some("headerValue1.0")),
                    ("headerKey1.1", Some("headerValue1.1[MISSING-HEADER-DELIMITER]key1"))
                ]
            ))
        );
        assert_eq!(
            ignoring.read("headerKey3.0:headerValue3.0[X]key3[Y]value3"),
            Ok(record(
                None,
                Some("headerKey3.0:headerValue3.0[X]key3[Y]value3"),
                &[]
            ))
        );
        assert_eq!(
            ignoring.read("key-val\tkey0\tvalue0"),
            Ok(record(Some("key0"), Some("value0"), &[("key-val", None)]))
        );
    }

    /// `LineMessageReaderTest`: `testNullMarkerWithHeaders`, `testNullMarkerHeaderKeyThrows`,
    /// `testHeaderDemarcationCollision`, `testInvalidNullMarker`.
    #[test]
    fn null_marker_and_separator_checks_are_line_message_readers() {
        let mut r = with_headers(&[("null.marker", "<NULL>")]);
        assert_eq!(
            r.read("h0:v0,h1:v1\t<NULL>\tvalue"),
            Ok(record(
                None,
                Some("value"),
                &[("h0", Some("v0")), ("h1", Some("v1"))]
            ))
        );
        assert_eq!(
            r.read("<NULL>\tkey\t<NULL>"),
            Ok(record(Some("key"), None, &[]))
        );
        assert_eq!(
            r.read("h0:<NULL>,h1:<NULL>value\tkey\t<NULL>"),
            Ok(record(
                Some("key"),
                None,
                &[("h0", None), ("h1", Some("<NULL>value"))]
            ))
        );
        assert_eq!(
            r.read("<NULL>:v0,h1:v1\tkey\tvalue"),
            Err(
                "Header keys should not be equal to the null marker '<NULL>' as they can't be null"
                    .into()
            )
        );
        let collision = |props: &[(&str, &str)]| configure(props).err();
        assert_eq!(
            collision(&[("headers.separator", "\t"), ("headers.key.separator", "\t")]).as_deref(),
            Some("headers.delimiter and headers.separator may not be equal")
        );
        assert_eq!(
            collision(&[("headers.key.separator", "\t")]).as_deref(),
            Some("headers.delimiter and headers.key.separator may not be equal")
        );
        assert_eq!(
            collision(&[("headers.key.separator", ",")]).as_deref(),
            Some("headers.separator and headers.key.separator may not be equal")
        );
        let marker = |m: &str| {
            configure(&[
                ("headers.delimiter", "-"),
                ("headers.separator", ":"),
                ("headers.key.separator", "/"),
                ("null.marker", m),
            ])
            .err()
        };
        assert_eq!(
            marker("-").as_deref(),
            Some("null.marker and headers.delimiter may not be equal")
        );
        assert_eq!(
            marker(":").as_deref(),
            Some("null.marker and headers.separator may not be equal")
        );
        assert_eq!(
            marker("/").as_deref(),
            Some("null.marker and headers.key.separator may not be equal")
        );
        assert_eq!(
            configure(&[("null.marker", "\t")]).err().as_deref(),
            Some("null.marker and key.separator may not be equal")
        );
    }
}
