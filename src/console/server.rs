//! `kafka-storage.sh`, `kafka-server-start.sh`, `kafka-server-stop.sh` and
//! `kafka-run-class.sh`: the quickstart's setup steps, as they behave on a real machine.
//!
//! The world already runs node 1 (the page starts with it), so the quickstart's steps find a
//! machine where they simply work: `random-uuid` prints a fresh id, `format --standalone`
//! formats once (`Formatting dynamic metadata voter directory /tmp/kraft-combined-logs with
//! metadata.version 4.1-IV1.`, as a Kafka 4.1 quickstart run prints it) and refuses a second
//! time (`Log directory /tmp/kraft-combined-logs is already formatted. Use --ignore-formatted
//! to ignore this directory and format the others.`, the metadata `Formatter`'s message), the
//! first `kafka-server-start.sh` prints the last lines a 4.1 broker logs when it has started
//! (`[BrokerServer id=1] Transition from STARTING to STARTED`, `Kafka version: 4.1.1`,
//! `[KafkaRaftServer nodeId=1] Kafka Server started`) and returns the prompt (as `-daemon`
//! would), and starting node 1 again fails as a second process on the same log directory
//! fails (`Exiting Kafka due to fatal exception during startup.` and the `KafkaException`
//! `Failed to acquire lock on file .lock in /tmp/kraft-combined-logs. A Kafka instance in
//! another process or thread is using this directory.`). `--override node.id=N` starts broker
//! N through [`Command::StartBroker`].
//!
//! Simplified versus Kafka: the cluster id given to `format` is checked for shape only and does
//! not replace the world's; broker logs are the closing lines only; `kafka-run-class.sh` runs
//! one class, `org.apache.kafka.streams.examples.wordcount.WordCountDemo` (the engine's Streams
//! runtime, as background job `%N`, which `kill %N` stops: see `word_count_demo`), other classes
//! get Java's `Could not find
//! or load main class`.

use crate::console::format::log_line;
use crate::console::{Console, Io};
use crate::sim::World;
use crate::sim::command::{Command, StreamsExample};
use crate::sim::error::SimError;
use crate::sim::streams::examples;
use std::fmt::Write as _;

const LOG_DIR: &str = "/tmp/kraft-combined-logs";

/// `kafka-storage.sh ARGS`.
pub fn storage(console: &mut Console, world: &mut World, argv: &[String], io: &mut Io) -> i32 {
    let Some((command, rest)) = argv.split_first() else {
        io.err.push_str("usage: kafka-storage [-h] {info,format,version-mapping,feature-dependencies,random-uuid} ...\nkafka-storage: error: too few arguments\n");
        return 1;
    };
    match command.as_str() {
        "random-uuid" => {
            let id = World::random_uuid(console.rng(world));
            io.out.push_str(&id);
            io.out.push('\n');
            0
        }
        "format" => format(console, rest, io),
        "info" | "version-mapping" | "feature-dependencies" => {
            let _ = writeln!(
                io.err,
                "eda-playground: kafka-storage.sh {command} is not simulated yet."
            );
            1
        }
        "-h" | "--help" => {
            io.out.push_str("usage: kafka-storage [-h] {info,format,version-mapping,feature-dependencies,random-uuid} ...\n");
            0
        }
        other => {
            let _ = writeln!(
                io.err,
                "usage: kafka-storage [-h] {{info,format,version-mapping,feature-dependencies,random-uuid}} ...\nkafka-storage: error: argument command: invalid choice: '{other}' (choose from 'info', 'format', 'version-mapping', 'feature-dependencies', 'random-uuid')"
            );
            1
        }
    }
}

/// Whether `id` looks like a Kafka UUID: 22 URL-safe base64 characters.
fn valid_cluster_id(id: &str) -> bool {
    id.len() == 22
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn format(console: &mut Console, args: &[String], io: &mut Io) -> i32 {
    let mut cluster_id = None;
    let mut config = None;
    let mut standalone = false;
    let mut controllers = false;
    let mut ignore_formatted = false;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        match arg.as_str() {
            "-t" | "--cluster-id" => {
                cluster_id = args.get(i).cloned();
                i += 1;
            }
            "-c" | "--config" => {
                config = args.get(i).cloned();
                i += 1;
            }
            "-s" | "--standalone" => standalone = true,
            "-N" | "--no-initial-controllers" => controllers = true,
            "-I" | "--initial-controllers" => {
                controllers = true;
                i += 1;
            }
            "-g" | "--ignore-formatted" => ignore_formatted = true,
            "-r" | "--release-version" | "-f" | "--feature" | "-S" | "--add-scram" => i += 1,
            _ => {}
        }
    }
    let usage = "usage: kafka-storage format [-h] --config CONFIG --cluster-id CLUSTER_ID [--add-scram ADD_SCRAM] [--ignore-formatted] [--release-version RELEASE_VERSION] [--feature FEATURE] [--standalone | --no-initial-controllers | --initial-controllers INITIAL_CONTROLLERS]";
    if config.is_none() {
        let _ = writeln!(
            io.err,
            "{usage}\nkafka-storage: error: argument --config/-c is required"
        );
        return 1;
    }
    let Some(id) = cluster_id else {
        let _ = writeln!(
            io.err,
            "{usage}\nkafka-storage: error: argument --cluster-id/-t is required"
        );
        return 1;
    };
    if !valid_cluster_id(&id) {
        let _ = writeln!(
            io.err,
            "Cluster ID string {id} does not appear to be a valid UUID: Input string `{id}` decoded as {} bytes, which is not equal to the expected 16 bytes of a base64-encoded UUID",
            id.len() * 3 / 4
        );
        return 1;
    }
    if !standalone && !controllers {
        io.err.push_str("Because controller.quorum.voters is not set on this controller, you must specify one of the following: --standalone, --initial-controllers, or --no-initial-controllers.\n");
        return 1;
    }
    if console.storage_formatted {
        if ignore_formatted {
            io.out
                .push_str("All of the log directories are already formatted.\n");
            return 0;
        }
        let _ = writeln!(
            io.err,
            "Log directory {LOG_DIR} is already formatted. Use --ignore-formatted to ignore this directory and format the others."
        );
        return 1;
    }
    console.storage_formatted = true;
    let kind = if standalone {
        "dynamic metadata voter directory"
    } else {
        "metadata directory"
    };
    let _ = writeln!(
        io.out,
        "Formatting {kind} {LOG_DIR} with metadata.version {}.",
        crate::console::METADATA_VERSION
    );
    0
}

/// `kafka-server-start.sh [-daemon] server.properties [--override k=v]*`.
pub fn start(console: &mut Console, world: &mut World, argv: &[String], io: &mut Io) -> i32 {
    let mut node = 1u32;
    let mut config = None;
    let mut i = 0;
    while let Some(arg) = argv.get(i) {
        i += 1;
        match arg.as_str() {
            "-daemon" => {}
            "--override" => {
                if let Some(kv) = argv.get(i) {
                    i += 1;
                    if let Some(value) = kv.strip_prefix("node.id=") {
                        match value.trim().parse::<u32>() {
                            Ok(n) => node = n,
                            Err(_) => {
                                io.out.push_str(&log_line(
                                    world.now_ms(),
                                    "ERROR",
                                    "Exiting Kafka due to fatal exception",
                                    "kafka.Kafka$",
                                ));
                                let _ = writeln!(
                                    io.out,
                                    "org.apache.kafka.common.config.ConfigException: Invalid value {value} for configuration node.id: Not a number of type INT"
                                );
                                return 1;
                            }
                        }
                    }
                }
            }
            other if config.is_none() && !other.starts_with('-') => {
                config = Some(other.to_string())
            }
            _ => {}
        }
    }
    if config.is_none() {
        io.out.push_str(
            "USAGE: bin/kafka-server-start.sh [-daemon] server.properties [--override property=value]*\n",
        );
        return 1;
    }
    let now = world.now_ms();
    let running = world.live_brokers().contains(&node);
    if running && console.started_nodes.contains(&node) {
        io.out.push_str(&log_line(
            now,
            "ERROR",
            "Exiting Kafka due to fatal exception during startup.",
            "kafka.Kafka$",
        ));
        let _ = writeln!(
            io.out,
            "org.apache.kafka.common.KafkaException: Failed to acquire lock on file .lock in {LOG_DIR}. A Kafka instance in another process or thread is using this directory."
        );
        return 1;
    }
    if !running && let Err(e) = world.apply(Command::StartBroker { id: node }) {
        io.out.push_str(&log_line(
            now,
            "ERROR",
            "Exiting Kafka due to fatal exception during startup.",
            "kafka.Kafka$",
        ));
        io.out.push_str(&fatal_line(&e));
        return 1;
    }
    console.started_nodes.insert(node);
    for (message, logger) in [
        (
            format!("[BrokerServer id={node}] Transition from STARTING to STARTED"),
            "kafka.server.BrokerServer",
        ),
        (
            format!("Kafka version: {}", crate::console::KAFKA_VERSION),
            "org.apache.kafka.common.utils.AppInfoParser",
        ),
        (
            format!("[KafkaRaftServer nodeId={node}] Kafka Server started"),
            "kafka.server.KafkaRaftServer",
        ),
    ] {
        io.out.push_str(&log_line(now, "INFO", &message, logger));
    }
    0
}

/// Starts the engine's `WordCountDemo` (`application.id` streams-wordcount). Kafka's runs in
/// the foreground until Ctrl+C, printing only log entries; here it runs as a background job (as
/// if started with `&`) so the same terminal can go on with the producer and the consumer, and
/// one line says so and how to stop it (`kill %N`, what Ctrl+C does in Kafka's terminal).
fn word_count_demo(console: &mut Console, world: &mut World, source: &str, io: &mut Io) -> i32 {
    if world
        .streams_app_id(examples::WORD_COUNT_APPLICATION_ID)
        .is_some()
    {
        let _ = writeln!(
            io.out,
            "eda-playground: WordCountDemo is already running (application.id {}).",
            examples::WORD_COUNT_APPLICATION_ID
        );
        return 0;
    }
    match world.start_streams_example(StreamsExample::WordCountDemo, None, None, false) {
        Ok(id) => {
            let Some(number) = console.adopt_streams(id, source, io) else {
                let _ = world.apply(Command::StopStreams { app: id });
                return 254;
            };
            let _ = writeln!(
                io.out,
                "eda-playground: WordCountDemo is running in the background as job %{number} (application.id {app}, consumer group {app}), as if in a terminal of its own; kill %{number} stops it, as Ctrl+C would there.",
                app = examples::WORD_COUNT_APPLICATION_ID
            );
            0
        }
        Err(e) => {
            io.err.push_str(&log_line(
                world.now_ms(),
                "ERROR",
                e.message(),
                "org.apache.kafka.streams.processor.internals.StreamsPartitionAssignor",
            ));
            1
        }
    }
}

fn fatal_line(e: &SimError) -> String {
    format!("{}: {}\n", e.exception_class(), e.message())
}

/// `kafka-server-stop.sh`: stops every running broker (as it signals every Kafka process).
pub fn stop(console: &mut Console, world: &mut World, _argv: &[String], io: &mut Io) -> i32 {
    let live = world.live_brokers();
    if live.is_empty() {
        io.out.push_str("No kafka server to stop\n");
        return 1;
    }
    for id in live {
        let _ = world.apply(Command::StopBroker { id });
        console.started_nodes.remove(&id);
    }
    0
}

/// `kafka-run-class.sh CLASS …`.
pub fn run_class(console: &mut Console, world: &mut World, argv: &[String], io: &mut Io) -> i32 {
    let Some(class) = argv.iter().find(|a| !a.starts_with('-')) else {
        io.out
            .push_str("USAGE: bin/kafka-run-class.sh [-daemon] [-name servicename] [-loggc] classname [opts]\n");
        return 1;
    };
    if class == examples::WORD_COUNT_DEMO_CLASS {
        let source = format!("bin/kafka-run-class.sh {}", argv.join(" "));
        return word_count_demo(console, world, &source, io);
    }
    let _ = writeln!(
        io.err,
        "Error: Could not find or load main class {class}\nCaused by: java.lang.ClassNotFoundException: {class}"
    );
    1
}
