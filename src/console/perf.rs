//! `kafka-producer-perf-test.sh`: Kafka's `ProducerPerformance`, run on the virtual clock.
//!
//! Formats, from Kafka 4.1's `tools/src/main/java/org/apache/kafka/tools/ProducerPerformance.java`:
//! - every 5 s of (virtual) time, as acknowledgements come in (`Stats.record`/`printWindow`):
//!   `N records sent, X records/sec (Y MB/sec), Z ms avg latency, W ms max latency.`;
//! - after `close()` (`Stats.printTotal`): `N records sent, X records/sec (Y MB/sec), Z ms avg
//!   latency, W ms max latency, A ms 50th, B ms 95th, C ms 99th, D ms 99.9th.` (the rate with
//!   Java's `%f`, six decimals); with `--warmup-records`, `Warmup first N records. Steady state
//!   results will print after the complete test summary.` first and a second summary line
//!   for the steady state (`N steady state records sent, …`);
//! - argparse4j's errors (`usage: producer-performance …` then `producer-performance: error:
//!   …`, exit 1) and `ConfigPostProcessor`'s checks (`--num-records should be greater than
//!   zero`, `Either --producer-props or --producer.config must be specified.`, …); with no
//!   argument at all, the usage and description, exit 0.
//!
//! The figures are the engine's: a record's latency is the virtual time from its `send` to
//! the broker's acknowledgement of its batch (`ProduceAcked`), so it shows the simulated
//! network latency, `linger.ms`, batching and `acks`; records are sent at `--throughput`
//! records per second of virtual time (`ThroughputThrottler` paces sends to that rate on
//! average), all at once with `-1`. Payloads are Kafka's: `--record-size` bytes of
//! `SplittableRandom(0).nextInt(26) + 65` (letters), `--payload-monotonic` the record's number.
//!
//! Simplified versus Kafka: the page has no files, so `--payload-file` and `--producer.config`
//! fail as a missing file does; transactions (`--transactional-id`,
//! `--transaction-duration-ms`) are refused; `--print-metrics` is ignored; the help prints the
//! usage and description, not argparse4j's table of arguments. At most
//! [`RECORDS_MAX`] records and [`BYTES_MAX`] bytes a run (the page's memory).

use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;

use crate::console::args::{OptSpec, flag, opt};
use crate::console::producer::key_values;
use crate::console::{Console, Io, Output};
use crate::sim::client::{Acks, ProducerConfig};
use crate::sim::command::{Command, NewRecord, Outcome};
use crate::sim::{TraceKind, World};

/// The options, for tab completion.
pub const OPTIONS: &[OptSpec] = &[
    opt("topic"),
    opt("num-records"),
    opt("record-size"),
    opt("payload-file"),
    flag("payload-monotonic"),
    opt("payload-delimiter"),
    opt("throughput"),
    opt("producer-props"),
    opt("producer.config"),
    flag("print-metrics"),
    opt("transactional-id"),
    opt("transaction-duration-ms"),
    opt("warmup-records"),
    flag("help"),
];

const USAGE: &str = "usage: producer-performance [-h] --topic TOPIC --num-records NUM-RECORDS (--record-size RECORD-SIZE | --payload-file PAYLOAD-FILE | --payload-monotonic) [--payload-delimiter PAYLOAD-DELIMITER] --throughput THROUGHPUT [--producer-props PROP-NAME=PROP-VALUE [PROP-NAME=PROP-VALUE ...]] [--producer.config CONFIG-FILE] [--print-metrics] [--transactional-id TRANSACTIONAL-ID] [--transaction-duration-ms TRANSACTION-DURATION] [--warmup-records WARMUP-RECORDS]\n";
const DESCRIPTION: &str = "This tool is used to verify the producer performance. To enable transactions, you can specify a transaction id or set a transaction duration using --transaction-duration-ms. There are three ways to specify the transaction id: set transaction.id=<id> via --producer-props, set transaction.id=<id> in the config file via --producer.config, or use --transaction-id <id>.\n";
/// The most records one run sends in the page.
pub const RECORDS_MAX: u64 = 100_000;
/// The most payload bytes one run sends in the page.
pub const BYTES_MAX: u64 = 32 << 20;
/// `Stats.reportingInterval`.
const REPORTING_INTERVAL_MS: u64 = 5_000;
/// How long a run may take in virtual time before the playground stops it (a producer
/// waiting for acks, a consumer with a long `--timeout`).
const RUN_MS_MAX: u64 = 600_000;

/// Says (on stderr) that the playground, not Kafka, ended a run at [`RUN_MS_MAX`].
fn stopped_note(io: &mut Io, tool: &str) {
    let _ = writeln!(
        io.err,
        "{tool}: stopped after {} s of virtual time (the playground's limit)",
        RUN_MS_MAX / 1000
    );
}

/// argparse4j's `handleError`.
fn parse_error(io: &mut Io, message: &str) -> i32 {
    io.err.push_str(USAGE);
    let _ = writeln!(io.err, "producer-performance: error: {message}");
    1
}

/// An uncaught exception leaving `main`: the JVM prints it and exits 1.
fn uncaught(io: &mut Io, class: &str, message: &str) -> i32 {
    let _ = writeln!(io.err, "Exception in thread \"main\" {class}: {message}");
    1
}

#[derive(Default)]
struct Args {
    topic: Option<String>,
    num_records: Option<i64>,
    record_size: Option<i32>,
    payload_file: Option<String>,
    payload_monotonic: bool,
    throughput: Option<f64>,
    producer_props: Option<Vec<String>>,
    producer_config: Option<String>,
    transactional_id: Option<String>,
    transaction_duration_ms: Option<i64>,
    warmup_records: i64,
}

/// argparse4j's type conversion message: `could not convert 'x' to Long (For input string:
/// "x")`.
fn convert<T: std::str::FromStr>(name: &str, text: &str, java_type: &str) -> Result<T, String> {
    text.parse::<T>().map_err(|_| {
        format!(
            "argument {name}: could not convert '{text}' to {java_type} (For input string: \"{text}\")"
        )
    })
}

fn parse(argv: &[String]) -> Result<Args, String> {
    let mut args = Args::default();
    let mut payload_choice: Option<&'static str> = None;
    let mut i = 0;
    while i < argv.len() {
        let arg = argv[i].as_str();
        i += 1;
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") && n != "--producer-props" => {
                (n, Some(v.to_string()))
            }
            _ => (arg, None),
        };
        let mut value = |label: &str| -> Result<String, String> {
            if let Some(v) = inline.clone() {
                return Ok(v);
            }
            match argv.get(i) {
                Some(v) if !v.starts_with("--") => {
                    i += 1;
                    Ok(v.clone())
                }
                _ => Err(format!("argument {label}: expected one argument")),
            }
        };
        let mut choose = |flag: &'static str| -> Result<(), String> {
            match payload_choice {
                Some(other) if other != flag => Err(format!(
                    "argument {flag}: not allowed with argument {other}"
                )),
                _ => {
                    payload_choice = Some(flag);
                    Ok(())
                }
            }
        };
        match name {
            "--topic" => args.topic = Some(value("--topic")?),
            "--num-records" => {
                args.num_records =
                    Some(convert("--num-records", &value("--num-records")?, "Long")?);
            }
            "--record-size" => {
                choose("--record-size")?;
                args.record_size = Some(convert(
                    "--record-size",
                    &value("--record-size")?,
                    "Integer",
                )?);
            }
            "--payload-file" => {
                choose("--payload-file")?;
                args.payload_file = Some(value("--payload-file")?);
            }
            "--payload-monotonic" => {
                choose("--payload-monotonic")?;
                args.payload_monotonic = true;
            }
            "--payload-delimiter" => {
                value("--payload-delimiter")?;
            }
            "--throughput" => {
                args.throughput = Some(convert("--throughput", &value("--throughput")?, "Double")?);
            }
            "--producer-props" => {
                let mut props = Vec::new();
                while let Some(v) = argv.get(i).filter(|v| !v.starts_with("--")) {
                    props.push(v.clone());
                    i += 1;
                }
                if props.is_empty() {
                    return Err("argument --producer-props: expected one or more arguments".into());
                }
                args.producer_props
                    .get_or_insert_with(Vec::new)
                    .extend(props);
            }
            "--producer.config" => args.producer_config = Some(value("--producer.config")?),
            "--print-metrics" => {}
            "--transactional-id" => args.transactional_id = Some(value("--transactional-id")?),
            "--transaction-duration-ms" => {
                args.transaction_duration_ms = Some(convert(
                    "--transaction-duration-ms",
                    &value("--transaction-duration-ms")?,
                    "Long",
                )?);
            }
            "--warmup-records" => {
                args.warmup_records =
                    convert("--warmup-records", &value("--warmup-records")?, "Long")?;
            }
            other => return Err(format!("unrecognized arguments: '{other}'")),
        }
    }
    for (present, name) in [
        (args.topic.is_some(), "--topic"),
        (args.num_records.is_some(), "--num-records"),
        (args.throughput.is_some(), "--throughput"),
    ] {
        if !present {
            return Err(format!("argument {name} is required"));
        }
    }
    if payload_choice.is_none() {
        return Err(
            "one of the arguments --record-size --payload-file --payload-monotonic is required"
                .into(),
        );
    }
    Ok(args)
}

/// `java.util.SplittableRandom`: the generator `ProducerPerformance` fills payloads from.
struct SplittableRandom {
    seed: u64,
}

impl SplittableRandom {
    const GOLDEN_GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

    fn next_seed(&mut self) -> u64 {
        self.seed = self.seed.wrapping_add(Self::GOLDEN_GAMMA);
        self.seed
    }

    fn mix32(z: u64) -> i32 {
        let z = (z ^ (z >> 33)).wrapping_mul(0x62a9_d9ed_7997_05f5);
        // The high 32 bits, as Java's `(int) (… >>> 32)`.
        let high = ((z ^ (z >> 28)).wrapping_mul(0xcb24_d0a5_c88c_35b3) >> 32) as u32;
        high.cast_signed()
    }

    /// `nextInt(bound)` for a positive bound.
    fn next_int(&mut self, bound: i32) -> i32 {
        let mut r = Self::mix32(self.next_seed());
        let m = bound - 1;
        if bound & m == 0 {
            return r & m;
        }
        let mut u = (r.cast_unsigned() >> 1).cast_signed();
        loop {
            r = u % bound;
            if u.wrapping_add(m).wrapping_sub(r) >= 0 {
                return r;
            }
            u = (Self::mix32(self.next_seed()).cast_unsigned() >> 1).cast_signed();
        }
    }
}

/// Java's `%.Nf`: `Formatter` rounds the shortest decimal that reads back as the double
/// (`Double.toString`'s digits) half up, so `1.005` prints `1.01` where Rust, rounding the
/// exact binary value, prints `1.00`.
fn java_fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".into()
        } else if x > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    let shortest = format!("{}", x.abs());
    let (int_part, frac_part) = shortest.split_once('.').unwrap_or((&shortest, ""));
    let mut digits: Vec<u8> = int_part.bytes().chain(frac_part.bytes()).collect();
    let keep = int_part.len() + decimals;
    let round_up = digits.get(keep).is_some_and(|d| *d >= b'5');
    digits.resize(keep, b'0');
    if round_up {
        let mut i = keep;
        loop {
            if i == 0 {
                digits.insert(0, b'1');
                break;
            }
            i -= 1;
            if digits[i] == b'9' {
                digits[i] = b'0';
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let int_len = digits.len() - decimals;
    let mut out = String::new();
    if x.is_sign_negative() && digits.iter().any(|d| *d != b'0') {
        out.push('-');
    }
    out.push_str(&String::from_utf8_lossy(&digits[..int_len]));
    if decimals > 0 {
        out.push('.');
        out.push_str(&String::from_utf8_lossy(&digits[int_len..]));
    }
    out
}

/// `ProducerPerformance.Stats`.
struct Stats {
    start_ms: u64,
    latencies: Vec<i32>,
    count: u64,
    bytes: u64,
    max_latency: i32,
    total_latency: i64,
    window_count: u64,
    window_max_latency: i32,
    window_total_latency: i64,
    window_bytes: u64,
    window_start_ms: u64,
    steady_state: bool,
    suppress_print: bool,
}

impl Stats {
    fn new(start_ms: u64, steady_state: bool) -> Self {
        Self {
            start_ms,
            latencies: Vec::new(),
            count: 0,
            bytes: 0,
            max_latency: 0,
            total_latency: 0,
            window_count: 0,
            window_max_latency: 0,
            window_total_latency: 0,
            window_bytes: 0,
            window_start_ms: start_ms,
            steady_state,
            suppress_print: false,
        }
    }

    fn record(&mut self, latency: i32, bytes: u64, now_ms: u64, out: &mut String) {
        self.count += 1;
        self.bytes += bytes;
        self.total_latency += i64::from(latency);
        self.max_latency = self.max_latency.max(latency);
        self.window_count += 1;
        self.window_bytes += bytes;
        self.window_total_latency += i64::from(latency);
        self.window_max_latency = self.window_max_latency.max(latency);
        // Runs are at most `RECORDS_MAX` records, below Kafka's 500000 samples: every latency
        // is kept.
        self.latencies.push(latency);
        if now_ms.saturating_sub(self.window_start_ms) >= REPORTING_INTERVAL_MS {
            if self.steady_state && self.count == self.window_count {
                out.push_str("In steady state.\n");
            }
            if !self.suppress_print {
                self.print_window(now_ms, out);
            }
            self.window_start_ms = now_ms;
            self.window_count = 0;
            self.window_max_latency = 0;
            self.window_total_latency = 0;
            self.window_bytes = 0;
        }
    }

    fn print_window(&self, now_ms: u64, out: &mut String) {
        let elapsed = now_ms.saturating_sub(self.window_start_ms) as f64;
        let records_per_sec = 1000.0 * self.window_count as f64 / elapsed;
        let mb_per_sec = 1000.0 * self.window_bytes as f64 / elapsed / (1024.0 * 1024.0);
        let _ = writeln!(
            out,
            "{} records sent, {} records/sec ({} MB/sec), {} ms avg latency, {} ms max latency.",
            self.window_count,
            java_fixed(records_per_sec, 1),
            java_fixed(mb_per_sec, 2),
            java_fixed(
                self.window_total_latency as f64 / self.window_count as f64,
                1
            ),
            java_fixed(f64::from(self.window_max_latency), 1),
        );
    }

    fn print_total(&mut self, now_ms: u64, out: &mut String) {
        let elapsed = now_ms.saturating_sub(self.start_ms) as f64;
        let records_per_sec = 1000.0 * self.count as f64 / elapsed;
        let mb_per_sec = 1000.0 * self.bytes as f64 / elapsed / (1024.0 * 1024.0);
        crate::sim::sort::sort(&mut self.latencies);
        let size = self.latencies.len();
        let percentile = |p: f64| -> i32 {
            // `(int) (p * size)`, an index below `size` for p < 1.
            let index = (p * size as f64) as usize;
            self.latencies.get(index).copied().unwrap_or(0)
        };
        let _ = writeln!(
            out,
            "{}{} records sent, {} records/sec ({} MB/sec), {} ms avg latency, {} ms max latency, {} ms 50th, {} ms 95th, {} ms 99th, {} ms 99.9th.",
            self.count,
            if self.steady_state {
                " steady state"
            } else {
                ""
            },
            java_fixed(records_per_sec, 6),
            java_fixed(mb_per_sec, 2),
            java_fixed(self.total_latency as f64 / self.count as f64, 2),
            java_fixed(f64::from(self.max_latency), 2),
            percentile(0.5),
            percentile(0.95),
            percentile(0.99),
            percentile(0.999),
        );
    }
}

/// The producer properties `--producer-props` sets that the engine models.
fn producer_config(props: &BTreeMap<String, String>) -> Result<ProducerConfig, (String, String)> {
    let mut config = ProducerConfig {
        client_id: "perf-producer-client".to_string(),
        ..ProducerConfig::default()
    };
    let config_error = |message: String| {
        (
            "org.apache.kafka.common.config.ConfigException".to_string(),
            message,
        )
    };
    let number = |key: &str, text: &str| -> Result<u64, (String, String)> {
        text.trim().parse::<u64>().map_err(|_| {
            config_error(format!(
                "Invalid value {text} for configuration {key}: Not a number of type LONG"
            ))
        })
    };
    if !props.contains_key("bootstrap.servers") {
        return Err(config_error(
            "Missing required configuration \"bootstrap.servers\" which has no default value."
                .to_string(),
        ));
    }
    if let Some(text) = props.get("acks") {
        config.acks = Acks::parse(text).ok_or_else(|| {
            config_error(format!(
                "Invalid value {text} for configuration acks: String must be one of (case insensitive): all, -1, 0, 1"
            ))
        })?;
    }
    if let Some(v) = props.get("linger.ms") {
        config.linger_ms = number("linger.ms", v)?;
    }
    if let Some(v) = props.get("batch.size") {
        config.batch_size = u32::try_from(number("batch.size", v)?).unwrap_or(u32::MAX);
    }
    if let Some(v) = props.get("max.request.size") {
        config.max_request_size = u32::try_from(number("max.request.size", v)?).unwrap_or(u32::MAX);
    }
    if let Some(v) = props.get("client.id") {
        config.client_id = v.clone();
    }
    Ok(config)
}

/// Runs `kafka-producer-perf-test.sh ARGS` to its end, driving the world. Returns the exit
/// status.
pub fn run(console: &mut Console, world: &mut World, argv: &[String], io: &mut Io) -> i32 {
    if argv.is_empty() || argv.iter().any(|a| a == "-h" || a == "--help") {
        io.out.push_str(USAGE);
        io.out.push('\n');
        io.out.push_str(DESCRIPTION);
        return 0;
    }
    let args = match parse(argv) {
        Ok(args) => args,
        Err(message) => return parse_error(io, &message),
    };
    let num_records = args.num_records.unwrap_or(0);
    let warmup_records = args.warmup_records.max(0);
    if num_records <= 0 {
        return parse_error(io, "--num-records should be greater than zero");
    }
    if warmup_records >= num_records {
        return parse_error(
            io,
            "The value for --warmup-records must be strictly fewer than the number of records in the test, --num-records.",
        );
    }
    if args.record_size.is_some_and(|s| s <= 0) {
        return parse_error(io, "--record-size should be greater than zero");
    }
    if args.producer_props.is_none() && args.producer_config.is_none() {
        return parse_error(
            io,
            "Either --producer-props or --producer.config must be specified.",
        );
    }
    if args.transaction_duration_ms.is_some_and(|d| d <= 0) {
        return parse_error(io, "--transaction-duration-ms should be greater than zero");
    }
    if let Some(path) = &args.payload_file {
        let absolute = if path.starts_with('/') {
            path.clone()
        } else {
            format!("/opt/kafka/{path}")
        };
        let _ = writeln!(io.out, "Reading payloads from: {absolute}");
        return uncaught(
            io,
            "java.lang.IllegalArgumentException",
            "File does not exist or empty file provided.",
        );
    }
    if let Some(file) = &args.producer_config {
        return uncaught(io, "java.nio.file.NoSuchFileException", file);
    }
    let props = key_values(args.producer_props.iter().flatten().map(String::as_str));
    if args.transactional_id.is_some()
        || args.transaction_duration_ms.is_some()
        || props.contains_key("transactional.id")
    {
        let _ = writeln!(
            io.err,
            "kafka-producer-perf-test.sh: transactions are not simulated in the playground"
        );
        return 1;
    }
    let record_size = u64::try_from(args.record_size.unwrap_or(0)).unwrap_or(0);
    let num = num_records.cast_unsigned();
    if num > RECORDS_MAX || num.saturating_mul(record_size.max(8)) > BYTES_MAX {
        let _ = writeln!(
            io.err,
            "kafka-producer-perf-test.sh: at most {RECORDS_MAX} records and {} MiB a run in the playground",
            BYTES_MAX >> 20
        );
        return 1;
    }
    let config = match producer_config(&props) {
        Ok(config) => config,
        Err((class, message)) => return uncaught(io, &class, &message),
    };
    let topic = args.topic.unwrap_or_default();
    let Some(producer) = crate::console::producer::add_producer(world, config, io) else {
        return 1;
    };
    let throughput = args.throughput.unwrap_or(-1.0);
    if throughput == 0.0 {
        // `ThroughputThrottler.throttle` with a target of 0 waits forever after the first
        // record.
        let _ = writeln!(
            io.err,
            "kafka-producer-perf-test.sh: with --throughput 0 Kafka sends one record and then waits forever; use -1 for no limit"
        );
        return 1;
    }
    let start_ms = world.now_ms();
    if warmup_records > 0 {
        let _ = writeln!(
            io.out,
            "Warmup first {warmup_records} records. Steady state results will print after the complete test summary."
        );
    }
    let mut stats = Stats::new(start_ms, false);
    let mut steady: Option<Stats> = None;
    let mut random = SplittableRandom { seed: 0 };
    let mut payload = vec![0u8; usize::try_from(record_size).unwrap_or(0)];
    // Per partition, the records sent and not yet acknowledged: (sent at, bytes, steady).
    let mut in_flight: BTreeMap<u32, VecDeque<(u64, u64, bool)>> = BTreeMap::new();
    let mut next: u64 = 0;
    let mut unsettled: u64 = 0;
    // `close()` returns once the last acknowledgement is in: the run ends then.
    let mut end_ms = start_ms;
    let mut scratch = Output::default();
    let deadline = start_ms.saturating_add(RUN_MS_MAX);
    loop {
        let now = world.now_ms();
        // `ThroughputThrottler`: on average one record every 1/THROUGHPUT s.
        while next < num {
            let due = if throughput > 0.0 {
                start_ms + (next as f64 * 1000.0 / throughput) as u64
            } else {
                start_ms
            };
            if due > now {
                break;
            }
            let value = if args.payload_monotonic {
                next.to_string()
            } else {
                for byte in &mut payload {
                    *byte = u8::try_from(random.next_int(26) + 65).unwrap_or(b'A');
                }
                String::from_utf8_lossy(&payload).into_owned()
            };
            let bytes = value.len() as u64;
            let is_steady = warmup_records > 0 && next >= warmup_records.cast_unsigned();
            if is_steady && steady.is_none() {
                steady = Some(Stats::new(now, true));
                stats.suppress_print = true;
            }
            let mut record = NewRecord::new(&topic, None, &value);
            record.key = None;
            match world.apply(Command::Produce { producer, record }) {
                Ok(Outcome::Accepted { partition, .. }) => {
                    in_flight
                        .entry(partition)
                        .or_default()
                        .push_back((now, bytes, is_steady));
                    unsettled += 1;
                }
                Ok(_) => {}
                Err(e) => {
                    // `PerfCallback.onCompletion`: `exception.printStackTrace()`.
                    let _ = writeln!(io.err, "{}: {}", e.exception_class(), e.message());
                }
            }
            next += 1;
        }
        if next >= num {
            let _ = world.apply(Command::Flush { producer });
        }
        if next >= num && unsettled == 0 {
            break;
        }
        let mut step_io = Io::default();
        // Up to the next record's send time, so sends keep their pace.
        let until_next = (next < num && throughput > 0.0)
            .then(|| start_ms + (next as f64 * 1000.0 / throughput) as u64)
            .map_or(u64::MAX, |due| due.saturating_sub(world.now_ms()));
        let events = console.step_events(world, until_next, &mut step_io, &mut scratch);
        io.append(step_io);
        let more = events.is_some();
        let mut printed = String::new();
        for event in events.iter().flatten() {
            match &event.kind {
                TraceKind::ProduceAcked {
                    producer: p,
                    partition,
                    records,
                    ..
                } if *p == producer => {
                    let queue = in_flight.entry(*partition).or_default();
                    for _ in 0..*records {
                        let Some((sent, bytes, is_steady)) = queue.pop_front() else {
                            break;
                        };
                        unsettled = unsettled.saturating_sub(1);
                        end_ms = end_ms.max(event.at_ms);
                        let latency =
                            i32::try_from(event.at_ms.saturating_sub(sent)).unwrap_or(i32::MAX);
                        stats.record(latency, bytes, event.at_ms, &mut printed);
                        if is_steady && let Some(s) = steady.as_mut() {
                            s.record(latency, bytes, event.at_ms, &mut printed);
                        }
                    }
                }
                TraceKind::ProduceFailed {
                    producer: p,
                    partition,
                    records,
                    error,
                    retriable: false,
                    ..
                } if *p == producer => {
                    let queue = in_flight.entry(*partition).or_default();
                    for _ in 0..*records {
                        if queue.pop_front().is_some() {
                            unsettled = unsettled.saturating_sub(1);
                        }
                    }
                    let _ = writeln!(io.err, "{error}");
                }
                _ => {}
            }
        }
        io.out.push_str(&printed);
        if more && world.now_ms() >= deadline {
            stopped_note(io, "kafka-producer-perf-test.sh");
        }
        if !more || world.now_ms() >= deadline {
            break;
        }
    }
    let _ = world.apply(Command::CloseProducer { producer });
    let now = end_ms;
    let mut printed = String::new();
    stats.print_total(now, &mut printed);
    if let Some(mut s) = steady {
        s.print_total(now, &mut printed);
    }
    io.out.push_str(&printed);
    0
}

// -----------------------------------------------------------------------------------------------
// kafka-consumer-perf-test.sh

/// `kafka-consumer-perf-test.sh`'s options (`ConsumerPerformance.ConsumerPerfOptions`).
pub const CONSUMER_OPTIONS: &[OptSpec] = &[
    opt("bootstrap-server"),
    opt("topic"),
    opt("group"),
    opt("fetch-size"),
    flag("from-latest"),
    opt("socket-buffer-size"),
    opt("consumer.config"),
    flag("print-metrics"),
    flag("show-detailed-stats"),
    opt("timeout"),
    opt("messages"),
    opt("reporting-interval"),
    opt("date-format"),
    flag("hide-header"),
    flag("help"),
    flag("version"),
];

/// `--date-format`'s default, the only one the playground formats.
const DATE_FORMAT: &str = "yyyy-MM-dd HH:mm:ss:SSS";

/// `SimpleDateFormat("yyyy-MM-dd HH:mm:ss:SSS")` of a virtual time (UTC).
fn perf_date(ms: u64) -> String {
    crate::console::format::log_time(ms).replace(',', ":")
}

/// jopt-simple's usage error (`CommandLineUtils.printUsageAndExit`): the message, the option
/// table's header, exit 1.
fn jopt_usage(io: &mut Io, message: &str) -> i32 {
    let _ = writeln!(io.err, "{message}");
    io.err.push_str(crate::console::format::USAGE_HEADER);
    1
}

/// `printHeader`.
fn consumer_header(detailed: bool) -> String {
    let extra = ", rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec";
    if detailed {
        format!(
            "time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec{extra}\n"
        )
    } else {
        format!(
            "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec{extra}\n"
        )
    }
}

/// Runs `kafka-consumer-perf-test.sh ARGS` to its end with an engine consumer, driving the
/// world. Returns the exit status.
///
/// From Kafka 4.1's `ConsumerPerformance`: the header (unless `--hide-header`), then, without
/// `--show-detailed-stats`, one line `start, end, MB, MB/sec, messages, messages/sec,
/// rebalance ms, fetch ms, fetch MB/sec, fetch messages/sec`; with it, a progress line every
/// `--reporting-interval` (`printConsumerProgress`). The consumer joins group
/// `perf-consumer-NNNNN` (or `--group`) from the earliest offset (`--from-latest`: the
/// latest); the rebalance time is from the start to its first assignment
/// (`ConsumerPerfRebListener`); it stops after `--messages` or `--timeout` ms without a
/// record (then `WARNING: Exiting before consuming the expected number of messages …`).
/// Simplified: a poll is one 50 ms step of the console's clock (every record delivered in it
/// counts, as Kafka counts a whole poll); only the default `--date-format`.
pub fn consumer_run(console: &mut Console, world: &mut World, argv: &[String], io: &mut Io) -> i32 {
    let usage_message = "This tool is used to verify the consumer performance.";
    if argv.is_empty() {
        return jopt_usage(io, usage_message);
    }
    let opts = match crate::console::args::parse(CONSUMER_OPTIONS, argv) {
        Ok(o) => o,
        Err(e) => return jopt_usage(io, &e.message()),
    };
    if opts.has("help") {
        jopt_usage(io, usage_message);
        return 0;
    }
    if opts.has("version") {
        let _ = writeln!(io.out, "{}", crate::console::KAFKA_VERSION);
        return 0;
    }
    for required in ["topic", "messages", "bootstrap-server"] {
        if !opts.has(required) {
            return jopt_usage(io, &format!("Missing required argument \"[{required}]\""));
        }
    }
    let long = |name: &str, default: i64| -> Result<i64, String> {
        opts.long(name).map(|v| v.unwrap_or(default))
    };
    let (messages, timeout_ms, interval_ms) = match (
        long("messages", 0),
        long("timeout", 10_000),
        long("reporting-interval", 5_000),
    ) {
        (Ok(m), Ok(t), Ok(r)) => (m, t, r),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return jopt_usage(io, &e),
    };
    if interval_ms <= 0 {
        let _ = writeln!(io.err, "Reporting interval must be greater than 0.");
        let _ = writeln!(
            io.err,
            "java.lang.IllegalArgumentException: Reporting interval must be greater than 0."
        );
        return 1;
    }
    if opts.has("consumer.config") {
        let file = opts.value("consumer.config").unwrap_or_default();
        let _ = writeln!(io.err, "{file} (No such file or directory)");
        let _ = writeln!(
            io.err,
            "java.io.FileNotFoundException: {file} (No such file or directory)"
        );
        return 1;
    }
    if opts.value("date-format").is_some_and(|f| f != DATE_FORMAT) {
        let _ = writeln!(
            io.err,
            "kafka-consumer-perf-test.sh: only the default --date-format ({DATE_FORMAT}) is simulated"
        );
        return 1;
    }
    let detailed = opts.has("show-detailed-stats");
    let group = match opts.value("group") {
        Some(g) => g.to_string(),
        None => format!("perf-consumer-{}", console.rng(world).below(100_000)),
    };
    let topic = opts.value("topic").unwrap_or_default().to_string();
    let config = crate::sim::client::ConsumerConfig {
        client_id: "perf-consumer-client".to_string(),
        group_id: Some(group),
        auto_offset_reset: if opts.has("from-latest") {
            crate::sim::client::OffsetReset::Latest
        } else {
            crate::sim::client::OffsetReset::Earliest
        },
        ..Default::default()
    };
    let consumer = match world.apply(Command::AddConsumer {
        config,
        subscription: crate::sim::command::Subscription::Topics(vec![topic]),
    }) {
        Ok(Outcome::Consumer(id)) => id,
        Ok(_) => return 1,
        Err(e) => {
            let _ = writeln!(io.err, "{}", e.message());
            let _ = writeln!(io.err, "{}: {}", e.exception_class(), e.message());
            return 1;
        }
    };
    let mut out = String::new();
    if !opts.has("hide-header") {
        out.push_str(&consumer_header(detailed));
    }
    let start_ms = world.now_ms();
    let mut join_time_ms: u64 = 0;
    let mut round_join_ms: u64 = 0;
    let mut assigned = false;
    let (mut read, mut bytes, mut last_read, mut last_bytes) = (0i64, 0u64, 0i64, 0u64);
    let mut last_report_ms = start_ms;
    let mut last_consumed_ms = start_ms;
    let mut scratch = Output::default();
    let deadline = start_ms.saturating_add(RUN_MS_MAX);
    loop {
        let now = world.now_ms();
        // A negative `--timeout` ends at once, as `currentTimeMs - lastConsumedTimeMs <=
        // recordFetchTimeoutMs` fails; the playground stops a run after `RUN_MS_MAX`.
        let idle = now.saturating_sub(last_consumed_ms);
        let timed_out = u64::try_from(timeout_ms).map_or(true, |t| idle > t);
        if now >= deadline {
            stopped_note(io, "kafka-consumer-perf-test.sh");
            break;
        }
        if read >= messages || timed_out {
            break;
        }
        let mut step_io = Io::default();
        let Some(events) = console.step_events(world, STEP_POLL_MS, &mut step_io, &mut scratch)
        else {
            break;
        };
        io.append(step_io);
        let now = world.now_ms();
        let mut polled = false;
        for event in &events {
            match &event.kind {
                TraceKind::AssignmentReceived { consumer: c, .. }
                    if *c == consumer && !assigned =>
                {
                    assigned = true;
                    join_time_ms += event.at_ms.saturating_sub(start_ms);
                    round_join_ms += event.at_ms.saturating_sub(start_ms);
                }
                TraceKind::RecordDelivered {
                    consumer: c,
                    key,
                    value,
                    ..
                } if *c == consumer => {
                    polled = true;
                    read += 1;
                    bytes += key.as_ref().map_or(0, |k| k.len() as u64)
                        + value.as_ref().map_or(0, |v| v.len() as u64);
                    if now.saturating_sub(last_report_ms) >= interval_ms.cast_unsigned() {
                        if detailed {
                            consumer_progress(
                                &mut out,
                                (bytes, last_bytes, read, last_read),
                                last_report_ms,
                                now,
                                round_join_ms,
                            );
                        }
                        round_join_ms = 0;
                        last_report_ms = now;
                        last_read = read;
                        last_bytes = bytes;
                    }
                }
                _ => {}
            }
        }
        if polled {
            last_consumed_ms = now;
        }
    }
    if read < messages {
        let _ = writeln!(
            out,
            "WARNING: Exiting before consuming the expected number of messages: timeout ({timeout_ms} ms) exceeded. You can use the --timeout option to increase the timeout."
        );
    }
    let _ = world.apply(Command::StopConsumer { consumer });
    let end_ms = world.now_ms();
    let elapsed_sec = end_ms.saturating_sub(start_ms) as f64 / 1000.0;
    let fetch_ms = end_ms.saturating_sub(start_ms) as i64 - join_time_ms as i64;
    if !detailed {
        let mb = bytes as f64 / (1024.0 * 1024.0);
        let _ = writeln!(
            out,
            "{}, {}, {}, {}, {read}, {}, {join_time_ms}, {fetch_ms}, {}, {}",
            perf_date(start_ms),
            perf_date(end_ms),
            java_fixed(mb, 4),
            java_fixed(mb / elapsed_sec, 4),
            java_fixed(read as f64 / elapsed_sec, 4),
            java_fixed(mb / (fetch_ms as f64 / 1000.0), 4),
            java_fixed(read as f64 / (fetch_ms as f64 / 1000.0), 4),
        );
    }
    io.out.push_str(&out);
    0
}

/// How long one poll of the perf consumer lasts on the virtual clock.
const STEP_POLL_MS: u64 = 50;

/// `printConsumerProgress` (thread id 0): `printBasicProgress` then `printExtendedProgress`.
fn consumer_progress(
    out: &mut String,
    (bytes, last_bytes, read, last_read): (u64, u64, i64, i64),
    start_ms: u64,
    end_ms: u64,
    join_ms: u64,
) {
    let elapsed_ms = end_ms.saturating_sub(start_ms) as f64;
    let mb = bytes as f64 / (1024.0 * 1024.0);
    let interval_mb = bytes.saturating_sub(last_bytes) as f64 / (1024.0 * 1024.0);
    let interval_read = read - last_read;
    let fetch_ms = end_ms.saturating_sub(start_ms) as i64 - join_ms as i64;
    let (fetch_mb_sec, fetch_msg_sec) = if fetch_ms <= 0 {
        (0.0, 0.0)
    } else {
        (
            1000.0 * interval_mb / fetch_ms as f64,
            1000.0 * interval_read as f64 / fetch_ms as f64,
        )
    };
    let _ = writeln!(
        out,
        "{}, 0, {}, {}, {read}, {}, {join_ms}, {fetch_ms}, {}, {}",
        perf_date(end_ms),
        java_fixed(mb, 4),
        java_fixed(1000.0 * interval_mb / elapsed_ms, 4),
        java_fixed(interval_read as f64 / elapsed_ms * 1000.0, 4),
        java_fixed(fetch_mb_sec, 4),
        java_fixed(fetch_msg_sec, 4),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `new SplittableRandom(0)`, thirty `nextInt(26) + 65` as `ProducerPerformance` fills a
    /// payload: Java 17 prints `YQHHNEBSEPDNSEIFGAMSUJXKOLTXSP`.
    #[test]
    fn splittable_random_is_javas() {
        let mut r = SplittableRandom { seed: 0 };
        let letters: String = (0..30)
            .map(|_| char::from(u8::try_from(r.next_int(26) + 65).unwrap_or(b'?')))
            .collect();
        assert_eq!(letters, "YQHHNEBSEPDNSEIFGAMSUJXKOLTXSP");
    }

    /// What `String.format("%.2f %.0f %.1f %f %.2f %.1f", 0.125, 2.5, 1.0/3.0, 1000.0, 1.005,
    /// 0.05)` prints on Java 17: `0.13 3 0.3 1000.000000 1.01 0.1`.
    #[test]
    fn java_fixed_rounds_as_javas_formatter() {
        assert_eq!(java_fixed(1.005, 2), "1.01");
        assert_eq!(java_fixed(0.05, 1), "0.1");
        assert_eq!(java_fixed(0.125, 2), "0.13");
        assert_eq!(java_fixed(2.5, 0), "3");
        assert_eq!(java_fixed(1.0 / 3.0, 1), "0.3");
        assert_eq!(java_fixed(1000.0, 6), "1000.000000");
        assert_eq!(java_fixed(f64::INFINITY, 1), "Infinity");
    }
}
