//! Export a session for a real Kafka cluster: the Kafka CLI commands that rebuild it
//! (`session.sh`) and a KRaft cluster to run them against (`compose.yaml`).
//!
//! Responsibility: turn a scenario (replayed to its moment with [`World::replay`]) into text a
//! learner runs unchanged on Apache Kafka [`KAFKA_RELEASE`]. `session.sh` walks the session's
//! commands in time order — topics created, partitions added, configs changed, brokers stopped,
//! Streams applications started — and, between them, produces the records the partition logs
//! hold at the moment, through `kafka-console-producer.sh` here-documents, in offset order per
//! partition; it ends with each group's committed offsets (`kafka-consumer-groups.sh
//! --reset-offsets --topic t:p --to-offset o --execute`). Virtual times are comments.
//!
//! Invariant (the round trip, `tests/export.rs`): run through `eda-console` on a fresh world
//! with the same brokers, `session.sh` rebuilds the same topics (partitions, replication
//! factor), the same records (key, value) in the same partitions at the same offsets, and the
//! same committed offsets — for every record it does not comment out. A record is commented
//! out, never silently changed, when the console producer cannot put it where it was: a key
//! that does not hash to the record's partition (it was placed explicitly, or the topic grew
//! between the send and the append), a null key on a topic with more than one partition
//! (the sticky partitioner picks a partition at random), a key or value with a line break
//! or that is not UTF-8. Headers are left out (the playground's console producer does not read
//! `parse.headers`), and said so. Records the log no longer holds (retention, compaction, the
//! simulation's memory bound) cannot come back: offsets on the real cluster then start lower,
//! and the script says by how much.
//!
//! `java-project.sh` (see `export/java.rs`) is the session's clients as a small Maven project,
//! written out by one shell script.
//!
//! Pure: no web crates, no clock; the same document always exports the same text.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::sim::SimError;
use crate::sim::client::Acks;
use crate::sim::command::{Command, OffsetTarget, Outcome, Scenario, StreamsExample, Subscription};
use crate::sim::partitioner::partition_for_key;
use crate::sim::scenario::ScenarioDoc;
use crate::sim::streams::examples;
use crate::sim::world::World;

mod java;
pub use java::JAVA_RECORDS_MAX;

/// The Apache Kafka release the exported files target (the `apache/kafka` image tag too).
pub const KAFKA_RELEASE: &str = crate::KAFKA_VERSION;
/// Where the exported commands find the cluster (`compose.yaml` maps broker 1 there).
pub const BOOTSTRAP_SERVER: &str = "localhost:9092";
/// The KRaft controller's node id in `compose.yaml` (the brokers keep the session's ids).
pub const CONTROLLER_NODE_ID: u32 = 100;

/// Why a document cannot be exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportError(pub String);

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The files an export can produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `session.sh`: Kafka CLI commands.
    SessionSh,
    /// `compose.yaml`: the cluster, for `docker compose up`.
    ComposeYaml,
    /// `java-project.sh`: a script that writes the session's Maven project (`pom.xml`, the
    /// producer, the consumers, WordCount).
    JavaProject,
}

impl Format {
    /// Every format, in the order the page offers them.
    pub const ALL: [Format; 3] = [Format::SessionSh, Format::ComposeYaml, Format::JavaProject];

    /// The file name, which is also the name `eda-console --export` takes.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::SessionSh => "session.sh",
            Format::ComposeYaml => "compose.yaml",
            Format::JavaProject => "java-project.sh",
        }
    }

    /// The format named `name` (its file name; `java` for the Java project too).
    pub fn from_name(name: &str) -> Option<Format> {
        if name == "java" {
            return Some(Format::JavaProject);
        }
        Format::ALL.into_iter().find(|f| f.file_name() == name)
    }
}

/// The file `format` for the page's world of `doc`, at its moment.
pub fn export(doc: &ScenarioDoc, format: Format) -> Result<String, ExportError> {
    let scenario = doc.scenario();
    match format {
        Format::SessionSh => session_sh(&scenario, doc.moment()),
        Format::ComposeYaml => compose_yaml(&scenario, doc.moment()),
        Format::JavaProject => java_project(&scenario, doc.moment()).map(|f| java::bundle(&f)),
    }
}

/// The session's Maven project for `scenario` at `moment_ms`, as (path, text) pairs.
pub fn java_project(
    scenario: &Scenario,
    moment_ms: u64,
) -> Result<Vec<(String, String)>, ExportError> {
    let (world, outcomes) = replay_with_outcomes(scenario, moment_ms)?;
    java::project(&world, scenario, &outcomes, moment_ms)
}

fn replay(scenario: &Scenario, moment_ms: u64) -> Result<World, ExportError> {
    replay_with_outcomes(scenario, moment_ms).map(|(world, _)| world)
}

/// [`World::replay`], keeping what each command up to the moment gave back (the ids of the
/// producers, consumers and Streams applications it added).
fn replay_with_outcomes(
    scenario: &Scenario,
    moment_ms: u64,
) -> Result<(World, Vec<Option<Outcome>>), ExportError> {
    let refused = |e: SimError| {
        ExportError(format!(
            "The session does not replay, so it cannot be exported: {}",
            e.message()
        ))
    };
    let mut world = World::with_config(scenario.seed, scenario.config.clone());
    let mut outcomes = Vec::new();
    for timed in &scenario.commands {
        if timed.at_ms > moment_ms {
            break;
        }
        world.advance_to(timed.at_ms).map_err(refused)?;
        match world.apply(timed.command.clone()) {
            Ok(outcome) => outcomes.push(Some(outcome)),
            Err(_) if timed.command.fails_with_effect() => outcomes.push(None),
            Err(e) => return Err(refused(e)),
        }
    }
    world.advance_to(moment_ms).map_err(refused)?;
    Ok((world, outcomes))
}

// ---------------------------------------------------------------------------------------------
// session.sh

/// `t=1.250s`, as the comments write virtual times.
fn time(ms: u64) -> String {
    format!("t={}.{:03}s", ms / 1000, ms % 1000)
}

/// A word the shell passes through unchanged: left bare when it is made of safe characters,
/// otherwise in single quotes (a quote inside written `'\''`).
fn quote(word: &str) -> String {
    let safe = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,+@%".contains(c));
    if safe {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Text for a comment: one line, at most 80 characters.
fn shown(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() > 80 {
        let cut: String = one_line.chars().take(77).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}

/// The Java class `kafka-run-class.sh` starts for an example, when Kafka ships one.
fn example_class(example: StreamsExample) -> Option<&'static str> {
    match example {
        StreamsExample::WordCountDemo | StreamsExample::WordCount => {
            Some(examples::WORD_COUNT_DEMO_CLASS)
        }
        StreamsExample::Pipe => Some("org.apache.kafka.streams.examples.pipe.PipeDemo"),
        StreamsExample::LineSplit => None,
    }
}

fn example_name(example: StreamsExample) -> &'static str {
    match example {
        StreamsExample::WordCountDemo => "WordCountDemo",
        StreamsExample::WordCount => "WordCount",
        StreamsExample::Pipe => "Pipe",
        StreamsExample::LineSplit => "LineSplit",
    }
}

/// The topics an example writes to itself (its output topic; its internal topics are named
/// after its `application.id`).
fn example_output(example: StreamsExample) -> &'static str {
    match example {
        StreamsExample::WordCountDemo | StreamsExample::WordCount => examples::WORD_COUNT_OUTPUT,
        StreamsExample::Pipe => "streams-pipe-output",
        StreamsExample::LineSplit => "streams-linesplit-output",
    }
}

fn example_application_id(example: StreamsExample) -> &'static str {
    match example {
        StreamsExample::WordCountDemo | StreamsExample::WordCount => {
            examples::WORD_COUNT_APPLICATION_ID
        }
        StreamsExample::Pipe => "streams-pipe",
        StreamsExample::LineSplit => "streams-linesplit",
    }
}

/// One record of a partition log, as the export needs it.
struct Rec {
    topic: String,
    partition: u32,
    offset: u64,
    /// When it enters the script: its timestamp, never before the previous record of its
    /// partition nor before its topic was created.
    at_ms: u64,
    key: Option<Vec<u8>>,
    value: Option<Vec<u8>>,
    headers: usize,
}

/// What a record becomes in a here-document, or why it cannot be typed.
enum Line {
    Typed {
        key: Option<String>,
        value: Option<String>,
    },
    Skipped(String),
}

fn text_of(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes)
        .ok()
        .filter(|s| !s.contains(['\n', '\r']))
}

/// The script's state while it is written: the partition count of each topic so far.
struct Writer {
    out: String,
    partitions: BTreeMap<String, u32>,
    skipped: u64,
}

impl Writer {
    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn comment(&mut self, text: &str) {
        let _ = writeln!(self.out, "# {text}");
    }

    /// How the console producer would type `rec`, given the partitions its topic has now.
    fn classify(&self, rec: &Rec) -> Line {
        let count = self.partitions.get(&rec.topic).copied().unwrap_or(0);
        let key = match &rec.key {
            None if count == 1 => None,
            None => {
                return Line::Skipped(format!(
                    "it has a null key: on a topic with {count} partitions the sticky partitioner picks the partition, so it cannot be sent to partition {}",
                    rec.partition
                ));
            }
            Some(bytes) => match text_of(bytes) {
                Some(key) => {
                    let hashed = partition_for_key(bytes, count);
                    if hashed != rec.partition {
                        return Line::Skipped(format!(
                            "its key {} hashes to partition {hashed} of {count}, but the session put it in partition {} (chosen explicitly, or before partitions were added)",
                            shown(key),
                            rec.partition
                        ));
                    }
                    Some(key.to_string())
                }
                None => {
                    return Line::Skipped(
                        "its key has a line break or is not UTF-8 text, so it cannot be typed"
                            .to_string(),
                    );
                }
            },
        };
        let value = match &rec.value {
            None => None,
            Some(bytes) => match text_of(bytes) {
                Some(value) => Some(value.to_string()),
                None => {
                    return Line::Skipped(
                        "its value has a line break or is not UTF-8 text, so it cannot be typed"
                            .to_string(),
                    );
                }
            },
        };
        Line::Typed { key, value }
    }

    /// One `kafka-console-producer.sh` here-document for `records` (one topic, in order).
    fn produce(&mut self, topic: &str, records: &[&Rec]) {
        let first = records.first().map_or(0, |r| r.at_ms);
        let last = records.last().map_or(0, |r| r.at_ms);
        let mut typed: Vec<(Option<String>, Option<String>)> = Vec::new();
        let mut notes: Vec<String> = Vec::new();
        for rec in records {
            match self.classify(rec) {
                Line::Typed { key, value } => {
                    if rec.headers > 0 {
                        notes.push(format!(
                            "{topic}-{} offset {}: its {} header(s) are left out (the playground's console producer does not read parse.headers)",
                            rec.partition, rec.offset, rec.headers
                        ));
                    }
                    typed.push((key, value));
                }
                Line::Skipped(why) => {
                    self.skipped += 1;
                    notes.push(format!(
                        "skipped {topic}-{} offset {}: {why}; later offsets of this partition are one lower here",
                        rec.partition, rec.offset
                    ));
                }
            }
        }
        let span = if first == last {
            time(first)
        } else {
            format!("{} to {}", time(first), time(last))
        };
        let _ = writeln!(self.out, "# {span}: {} record(s) to {topic}", records.len());
        for note in &notes {
            self.comment(note);
        }
        if typed.is_empty() {
            self.line("");
            return;
        }
        // A separator no key contains (`LineMessageReader` splits at its first occurrence, so
        // values may contain it), a null marker no key or value equals, and a delimiter no line
        // equals.
        let separator = [":", "=", "|", ";", "::", "==", "||", "\t"]
            .into_iter()
            .map(str::to_string)
            .chain((1..).map(|n| format!("~{n}~")))
            .find(|sep| {
                typed
                    .iter()
                    .all(|(k, _)| k.as_deref().is_none_or(|k| !k.contains(sep.as_str())))
            })
            .unwrap_or_else(|| ":".to_string());
        let needs_marker = typed.iter().any(|(k, v)| k.is_none() || v.is_none());
        let marker = needs_marker.then(|| {
            ["<null>", "NULL", "(null)"]
                .into_iter()
                .map(str::to_string)
                .chain((1..).map(|n| format!("<null{n}>")))
                .find(|m| {
                    !m.contains(separator.as_str())
                        && typed
                            .iter()
                            .all(|(k, v)| k.as_deref() != Some(m) && v.as_deref() != Some(m))
                })
                .unwrap_or_else(|| "<null>".to_string())
        });
        let lines: Vec<String> = typed
            .iter()
            .map(|(k, v)| {
                let null = marker.as_deref().unwrap_or_default();
                format!(
                    "{}{separator}{}",
                    k.as_deref().unwrap_or(null),
                    v.as_deref().unwrap_or(null)
                )
            })
            .collect();
        let delimiter = ["EOF", "END", "RECORDS"]
            .into_iter()
            .map(str::to_string)
            .chain((1..).map(|n| format!("EOF{n}")))
            .find(|d| lines.iter().all(|l| l != d))
            .unwrap_or_else(|| "EOF".to_string());
        let mut command = format!(
            "bin/kafka-console-producer.sh --bootstrap-server {BOOTSTRAP_SERVER} --topic {} --property parse.key=true --property {}",
            quote(topic),
            quote(&format!("key.separator={separator}"))
        );
        if let Some(marker) = &marker {
            let _ = write!(
                command,
                " --property {}",
                quote(&format!("null.marker={marker}"))
            );
        }
        let _ = write!(command, " <<'{delimiter}'");
        self.line(&command);
        for line in &lines {
            self.line(line);
        }
        self.line(&delimiter);
        self.line("");
    }
}

/// `session.sh` for `scenario` at `moment_ms`.
pub fn session_sh(scenario: &Scenario, moment_ms: u64) -> Result<String, ExportError> {
    let (world, outcomes) = replay_with_outcomes(scenario, moment_ms)?;
    let config = world.config();
    let commands: Vec<_> = scenario
        .commands
        .iter()
        .filter(|c| c.at_ms <= moment_ms)
        .collect();

    // Topics the Streams examples write themselves: their records are not produced here.
    let mut streams_written: Vec<String> = Vec::new();
    let mut streams_groups: Vec<String> = Vec::new();
    for timed in &commands {
        if let Command::StartStreams { example, .. } = &timed.command {
            streams_written.push(example_output(*example).to_string());
            streams_groups.push(example_application_id(*example).to_string());
        }
    }
    let written_by_streams = |topic: &str| {
        streams_written.iter().any(|t| t == topic)
            || streams_groups
                .iter()
                .any(|app| topic.starts_with(&format!("{app}-")))
    };

    // When each topic was (last) created by a command; others were created automatically.
    let mut created_at: BTreeMap<String, u64> = BTreeMap::new();
    for timed in &commands {
        if let Command::CreateTopic { name, .. } = &timed.command {
            created_at.insert(name.clone(), timed.at_ms);
        }
    }

    // The records, per partition in offset order, each with the time it enters the script.
    let mut queues: Vec<Vec<Rec>> = Vec::new();
    let mut gaps: Vec<String> = Vec::new();
    let mut auto_created: Vec<(String, u32, u32)> = Vec::new();
    for topic in world.topics() {
        if topic.internal || written_by_streams(&topic.name) {
            continue;
        }
        let name = topic.name.to_string();
        let born = created_at.get(&name).copied().unwrap_or(0);
        if !created_at.contains_key(&name) {
            auto_created.push((
                name.clone(),
                topic.partition_count(),
                topic.replication_factor(),
            ));
        }
        for partition in &topic.partitions {
            let start = partition.log.log_start_offset();
            if start > 0 {
                gaps.push(format!(
                    "{name}-{}: the first {start} record(s) were already deleted (retention or the playground's memory bound); offsets here start at 0, not {start}",
                    partition.id
                ));
            }
            let mut at_ms = born;
            let mut expected = start;
            let mut queue = Vec::new();
            for record in partition.log.records_from(start) {
                if record.offset >= partition.high_watermark {
                    break;
                }
                if record.offset != expected {
                    gaps.push(format!(
                        "{name}-{}: offsets {expected} to {} were removed by compaction; later records get lower offsets here",
                        partition.id,
                        record.offset.saturating_sub(1)
                    ));
                }
                expected = record.offset + 1;
                at_ms = at_ms.max(record.timestamp_ms);
                queue.push(Rec {
                    topic: name.clone(),
                    partition: partition.id,
                    offset: record.offset,
                    at_ms,
                    key: record.key.as_ref().map(|k| k.to_vec()),
                    value: record.value.as_ref().map(|v| v.to_vec()),
                    headers: record.headers.len(),
                });
            }
            queues.push(queue);
        }
    }
    // One order for all records: by time, each partition's in offset order (a k-way merge).
    let mut records: Vec<Rec> = queues.into_iter().flatten().collect();
    records.sort_by(|a, b| {
        (a.at_ms, &a.topic, a.partition, a.offset).cmp(&(b.at_ms, &b.topic, b.partition, b.offset))
    });

    let brokers = config.brokers;
    let mut w = Writer {
        out: String::new(),
        partitions: BTreeMap::new(),
        skipped: 0,
    };
    w.line("#!/usr/bin/env bash");
    w.comment("session.sh: an eda-playground session, as Kafka CLI commands.");
    w.comment(&format!(
        "Targets Apache Kafka {KAFKA_RELEASE} (KRaft). Start the cluster with compose.yaml"
    ));
    w.comment(&format!(
        "(docker compose up -d: {brokers} broker(s), the first on {BOOTSTRAP_SERVER}), then run this"
    ));
    w.comment(&format!(
        "from the directory of a Kafka {KAFKA_RELEASE} download: bash session.sh"
    ));
    w.line("#");
    w.comment("What does not carry over:");
    w.comment("- virtual time: the times below (t=...) are the session's clock; here each");
    w.comment("  command runs as soon as the previous one is done;");
    w.comment("- simulated failures and clients: they become instructions (\"stop broker 2 now\")");
    w.comment("  or comments; the session's consumers are not started, their groups get the");
    w.comment("  offsets they had committed (at the end);");
    w.comment("- record timestamps: records get the time they are sent here;");
    w.comment("- records the console producer cannot place where they were (see the comments).");
    w.comment(&format!(
        "Exported at the session's moment {}.",
        time(moment_ms)
    ));
    w.line("");
    for line in &gaps {
        w.comment(line);
    }
    if !gaps.is_empty() {
        w.line("");
    }
    for (name, partitions, rf) in &auto_created {
        w.comment(&format!(
            "{name} was created automatically in the session (auto.create.topics.enable)."
        ));
        w.line(&format!(
            "bin/kafka-topics.sh --create --topic {} --partitions {partitions} --replication-factor {rf} --bootstrap-server {BOOTSTRAP_SERVER}",
            quote(name)
        ));
        w.partitions.insert(name.clone(), *partitions);
        w.line("");
    }

    let mut next = 0;
    let emit_records_until = |w: &mut Writer, next: &mut usize, until: Option<u64>| {
        let start = *next;
        while *next < records.len() && until.is_none_or(|t| records[*next].at_ms < t) {
            *next += 1;
        }
        let batch = &records[start..*next];
        // One here-document per topic, in the order topics first appear.
        let mut order: Vec<&str> = Vec::new();
        for r in batch {
            if !order.contains(&r.topic.as_str()) {
                order.push(&r.topic);
            }
        }
        for topic in order {
            let of_topic: Vec<&Rec> = batch.iter().filter(|r| r.topic == topic).collect();
            w.produce(topic, &of_topic);
        }
    };

    for (index, timed) in commands.iter().enumerate() {
        let outcome = outcomes.get(index).and_then(Option::as_ref);
        // Records sent before this command go first; those sent at the same time, after it
        // (a topic is created, then written to).
        emit_records_until(&mut w, &mut next, Some(timed.at_ms));
        let before = w.out.len();
        let at = time(timed.at_ms);
        match &timed.command {
            Command::CreateTopic {
                name,
                partitions,
                replication_factor,
                configs,
            } => {
                let partitions = partitions.unwrap_or(config.num_partitions);
                let rf = replication_factor.unwrap_or(config.default_replication_factor);
                w.comment(&format!("{at}: create {name}"));
                let mut line = format!(
                    "bin/kafka-topics.sh --create --topic {} --partitions {partitions} --replication-factor {rf}",
                    quote(name)
                );
                for (k, v) in configs {
                    let _ = write!(line, " --config {}", quote(&format!("{k}={v}")));
                }
                let _ = write!(line, " --bootstrap-server {BOOTSTRAP_SERVER}");
                w.line(&line);
                w.partitions.insert(name.clone(), partitions);
            }
            Command::CreateTopicAssigned {
                name,
                replica_assignment,
                configs,
            } => {
                w.comment(&format!(
                    "{at}: create {name} with its replicas placed by hand (the first of each partition leads)"
                ));
                let assignment = replica_assignment
                    .iter()
                    .map(|replicas| {
                        replicas
                            .iter()
                            .map(u32::to_string)
                            .collect::<Vec<_>>()
                            .join(":")
                    })
                    .collect::<Vec<_>>()
                    .join(",");
                let mut line = format!(
                    "bin/kafka-topics.sh --create --topic {} --replica-assignment {assignment}",
                    quote(name)
                );
                for (k, v) in configs {
                    let _ = write!(line, " --config {}", quote(&format!("{k}={v}")));
                }
                let _ = write!(line, " --bootstrap-server {BOOTSTRAP_SERVER}");
                w.line(&line);
                w.partitions
                    .insert(name.clone(), replica_assignment.len() as u32);
            }
            Command::DeleteTopic { name } => {
                w.comment(&format!("{at}: delete {name}"));
                w.line(&format!(
                    "bin/kafka-topics.sh --delete --topic {} --bootstrap-server {BOOTSTRAP_SERVER}",
                    quote(name)
                ));
                w.partitions.remove(name);
            }
            Command::IncreasePartitions { name, partitions } => {
                w.comment(&format!("{at}: {name} grows to {partitions} partitions"));
                w.line(&format!(
                    "bin/kafka-topics.sh --alter --topic {} --partitions {partitions} --bootstrap-server {BOOTSTRAP_SERVER}",
                    quote(name)
                ));
                w.partitions.insert(name.clone(), *partitions);
            }
            Command::AlterTopicConfig { name, key, value } => {
                w.comment(&format!("{at}: change {name}'s {key}"));
                let change = match value {
                    // `kafka-configs.sh` reads a list value in square brackets.
                    Some(v) if v.contains(',') => {
                        format!("--add-config {}", quote(&format!("{key}=[{v}]")))
                    }
                    Some(v) => format!("--add-config {}", quote(&format!("{key}={v}"))),
                    None => format!("--delete-config {}", quote(key)),
                };
                w.line(&format!(
                    "bin/kafka-configs.sh --bootstrap-server {BOOTSTRAP_SERVER} --alter --entity-type topics --entity-name {} {change}",
                    quote(name)
                ));
            }
            Command::DeleteRecords {
                topic,
                partition,
                offset,
            } => {
                w.comment(&format!(
                    "{at}: the records of {topic}-{partition} before offset {offset} were deleted (kafka-delete-records.sh); the partition's records below are those left"
                ));
            }
            Command::ElectLeaders {
                election_type,
                partitions,
            } => {
                let which = match partitions {
                    None => "--all-topic-partitions".to_string(),
                    Some(list) => list
                        .iter()
                        .map(|(t, p)| format!("{t}-{p}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                };
                w.comment(&format!(
                    "{at}: a {} leader election ran for {which} (kafka-leader-election.sh)",
                    election_type.name().to_lowercase()
                ));
            }
            Command::AlterPartitionReassignments { reassignments } => {
                let which = reassignments
                    .iter()
                    .map(|(t, p, target)| match target {
                        Some(replicas) => format!(
                            "{t}-{p} to replicas {}",
                            replicas
                                .iter()
                                .map(u32::to_string)
                                .collect::<Vec<_>>()
                                .join(",")
                        ),
                        None => format!("{t}-{p} cancelled"),
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                w.comment(&format!(
                    "{at}: partitions were reassigned: {which} (kafka-reassign-partitions.sh)"
                ));
            }
            Command::StopBroker { id } => {
                w.comment(&format!(
                    "{at}: stop broker {id} now (in another terminal: docker compose stop kafka-{id})"
                ));
            }
            Command::StartBroker { id } => {
                w.comment(&format!(
                    "{at}: start broker {id} now (in another terminal: docker compose start kafka-{id})"
                ));
            }
            Command::SetAutoCreateTopics { enabled } => {
                w.comment(&format!(
                    "{at}: auto.create.topics.enable={enabled} on the brokers (a broker setting: see compose.yaml)"
                ));
            }
            Command::AddProducer { config } => {
                let producer = match outcome {
                    Some(Outcome::Producer(id)) => *id,
                    _ => 0,
                };
                w.comment(&format!(
                    "{at}: producer {producer} starts (acks={}, linger.ms={}, batch.size={}); its records are produced below",
                    match config.acks {
                        Acks::Zero => "0",
                        Acks::One => "1",
                        Acks::All => "all",
                    },
                    config.linger_ms,
                    config.batch_size
                ));
            }
            Command::SetAutoProduce {
                producer,
                topic,
                rate_per_s: 0,
                ..
            } => {
                w.comment(&format!(
                    "{at}: producer {producer} stops sending to {topic} on its own"
                ));
            }
            Command::SetAutoProduce {
                producer,
                topic,
                rate_per_s,
                ..
            } => {
                w.comment(&format!(
                    "{at}: producer {producer} sends {rate_per_s} record(s)/s to {topic} on its own; the records it sent are produced below"
                ));
            }
            Command::ProduceRecords {
                producer,
                topic,
                partition,
                count,
                ..
            } => {
                w.comment(&format!(
                    "{at}: producer {producer} sends {count} record(s) with null keys to {topic}-{partition}; they are produced below"
                ));
            }
            Command::CloseProducer { producer } => {
                w.comment(&format!("{at}: producer {producer} closes"));
            }
            Command::Produce { .. } | Command::Flush { .. } => {}
            Command::AddConsumer {
                config,
                subscription,
            } => {
                let consumer = match outcome {
                    Some(Outcome::Consumer(id)) => *id,
                    _ => 0,
                };
                let what = match subscription {
                    Subscription::Topics(topics) => format!("subscribes to {}", topics.join(", ")),
                    Subscription::Partitions(parts) => format!(
                        "is assigned {}",
                        parts
                            .iter()
                            .map(|(t, p)| format!("{t}-{p}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                let group = config
                    .group_id
                    .as_deref()
                    .map_or("without a group".to_string(), |g| format!("in group {g}"));
                w.comment(&format!(
                    "{at}: consumer {consumer} {what} {group} (auto commit {}); not started here",
                    if config.enable_auto_commit {
                        "on"
                    } else {
                        "off"
                    }
                ));
            }
            Command::StopConsumer { consumer } => {
                w.comment(&format!(
                    "{at}: consumer {consumer} closes (leaves its group)"
                ));
            }
            Command::CrashConsumer { consumer } => {
                w.comment(&format!(
                    "{at}: consumer {consumer} crashes now (kill -9 its process; its group notices after session.timeout.ms)"
                ));
            }
            Command::CommitSync { consumer } => {
                w.comment(&format!("{at}: consumer {consumer} commits its offsets"));
            }
            Command::Seek {
                consumer,
                topic,
                partition,
                offset,
            } => {
                w.comment(&format!(
                    "{at}: consumer {consumer} seeks {topic}-{partition} to offset {offset}"
                ));
            }
            Command::ResetOffsets { group, target, .. } => {
                let to = match target {
                    OffsetTarget::Earliest => "the earliest offsets".to_string(),
                    OffsetTarget::Latest => "the latest offsets".to_string(),
                    OffsetTarget::Offset(o) => format!("offset {o}"),
                    OffsetTarget::ShiftBy(d) => format!("a shift of {d}"),
                };
                w.comment(&format!(
                    "{at}: group {group}'s offsets are reset to {to} (its committed offsets are set at the end)"
                ));
            }
            Command::DeleteGroup { group } => {
                w.comment(&format!("{at}: group {group} is deleted"));
            }
            Command::StartStreams { example, .. } => {
                let app = match outcome {
                    Some(Outcome::Streams(id)) => *id,
                    _ => 0,
                };
                w.comment(&format!(
                    "{at}: Streams application {app}, {}, starts (application.id {}); it writes {} itself",
                    example_name(*example),
                    example_application_id(*example),
                    example_output(*example)
                ));
                match example_class(*example) {
                    Some(class) => {
                        if *example == StreamsExample::WordCount {
                            w.comment("The quickstart's WordCount splits lines on \\W+; Kafka ships WordCountDemo, which splits on spaces.");
                        }
                        w.comment("It runs until stopped (Ctrl+C), so it goes to the background.");
                        w.line(&format!("bin/kafka-run-class.sh {class} &"));
                    }
                    None => w.comment(&format!(
                        "Kafka ships no class for {}: build it from the Streams tutorial (docs/streams/tutorial.html).",
                        example_name(*example)
                    )),
                }
            }
            Command::SetStreamsManual { .. }
            | Command::StreamsStep { .. }
            | Command::StreamsFinishRecord { .. }
            | Command::StreamsRunUntilIdle { .. } => {
                // Stepping is the playground's; a real application processes on its own.
            }
            Command::StopStreams { app } => {
                w.comment(&format!(
                    "{at}: Streams application {app} stops now (kill the job started above: kill %1)"
                ));
            }
        }
        if w.out.len() > before {
            w.line("");
        }
    }
    emit_records_until(&mut w, &mut next, None);

    // Committed offsets, per group, topic and offset (partitions sharing an offset together).
    let mut resets: Vec<String> = Vec::new();
    for group in world.groups() {
        let id = group.id.to_string();
        if streams_groups.contains(&id) {
            resets.push(format!(
                "# Group {id} is the Streams application's: it commits its own offsets."
            ));
            continue;
        }
        let mut by_topic: BTreeMap<(String, u64), Vec<u32>> = BTreeMap::new();
        for ((topic, partition), committed) in group.committed.iter() {
            if world.topic(topic).is_none() {
                continue;
            }
            by_topic
                .entry((topic.to_string(), committed.offset))
                .or_default()
                .push(*partition);
        }
        if by_topic.is_empty() {
            continue;
        }
        if !group.members.is_empty() {
            resets.push(format!(
                "# Group {id} had {} member(s) at this moment; start them after this (a group's offsets can only be reset while it has none).",
                group.members.len()
            ));
        }
        let mut by_topic: Vec<_> = by_topic.into_iter().collect();
        by_topic.sort_by(|((ta, _), pa), ((tb, _), pb)| (ta, pa.first()).cmp(&(tb, pb.first())));
        for ((topic, offset), partitions) in by_topic {
            let list: Vec<String> = partitions.iter().map(u32::to_string).collect();
            resets.push(format!(
                "bin/kafka-consumer-groups.sh --bootstrap-server {BOOTSTRAP_SERVER} --reset-offsets --group {} --topic {} --to-offset {offset} --execute",
                quote(&id),
                quote(&format!("{topic}:{}", list.join(",")))
            ));
        }
    }
    if !resets.is_empty() {
        w.comment(&format!(
            "{}: the consumer groups' committed offsets",
            time(moment_ms)
        ));
        for line in &resets {
            w.line(line);
        }
        w.line("");
    }
    if w.skipped > 0 {
        w.comment(&format!(
            "{} record(s) could not be produced as they were (see the comments above).",
            w.skipped
        ));
    }
    w.comment("End of the session.");
    Ok(w.out)
}

// ---------------------------------------------------------------------------------------------
// compose.yaml

/// `compose.yaml` for the cluster of `scenario` (brokers, replication defaults) at `moment_ms`.
pub fn compose_yaml(scenario: &Scenario, moment_ms: u64) -> Result<String, ExportError> {
    let world = replay(scenario, moment_ms)?;
    let config = world.config();
    let brokers: Vec<u32> = {
        let mut ids: Vec<u32> = world.brokers().iter().map(|b| b.id).collect();
        ids.sort_unstable();
        ids
    };
    let n = brokers.len() as u32;
    let cluster_id = world.cluster_id();
    let voters = format!("{CONTROLLER_NODE_ID}@controller:9093");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# compose.yaml: the eda-playground session's cluster, for Apache Kafka {KAFKA_RELEASE} (KRaft)."
    );
    let _ = writeln!(
        out,
        "# docker compose up -d   then run session.sh against {BOOTSTRAP_SERVER}; docker compose down -v to remove it."
    );
    let _ = writeln!(
        out,
        "# {n} broker(s) with the session's node ids, each reachable from this machine on localhost:9092, :9093, ...;"
    );
    let _ = writeln!(
        out,
        "# one KRaft controller (node id {CONTROLLER_NODE_ID}): the playground's controller never fails, so it has no role in a lesson."
    );
    let _ = writeln!(
        out,
        "# Stopping a broker, as the session may have done: docker compose stop kafka-2 (start it again: docker compose start kafka-2)."
    );
    let _ = writeln!(
        out,
        "# Settings are environment variables: KAFKA_ABC_DEF sets abc.def (the apache/kafka image, Kafka's docker/examples/README.md)."
    );
    let _ = writeln!(
        out,
        "# What does not carry over: the simulated network latency ({}-{} ms) and the playground's memory bound.",
        config.latency_ms_min, config.latency_ms_max
    );
    let _ = writeln!(out, "services:");
    let _ = writeln!(out, "  controller:");
    let _ = writeln!(out, "    image: apache/kafka:{KAFKA_RELEASE}");
    let _ = writeln!(out, "    hostname: controller");
    let _ = writeln!(out, "    container_name: controller");
    let _ = writeln!(out, "    environment:");
    let _ = writeln!(out, "      KAFKA_NODE_ID: {CONTROLLER_NODE_ID}");
    let _ = writeln!(out, "      KAFKA_PROCESS_ROLES: 'controller'");
    let _ = writeln!(out, "      KAFKA_CONTROLLER_QUORUM_VOTERS: '{voters}'");
    let _ = writeln!(out, "      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER'");
    let _ = writeln!(out, "      KAFKA_LISTENERS: 'CONTROLLER://:9093'");
    let _ = writeln!(
        out,
        "      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT'"
    );
    let _ = writeln!(out, "      CLUSTER_ID: '{cluster_id}'");
    let _ = writeln!(out, "      KAFKA_LOG_DIRS: '/tmp/kraft-controller-logs'");
    let internal_rf = n.clamp(1, 3);
    let internal_min_isr = n.clamp(1, 2);
    for (i, id) in brokers.iter().enumerate() {
        let host_port = 9092 + i as u32;
        let _ = writeln!(out);
        let _ = writeln!(out, "  kafka-{id}:");
        let _ = writeln!(out, "    image: apache/kafka:{KAFKA_RELEASE}");
        let _ = writeln!(out, "    hostname: kafka-{id}");
        let _ = writeln!(out, "    container_name: kafka-{id}");
        let _ = writeln!(out, "    ports:");
        let _ = writeln!(out, "      - '{host_port}:{host_port}'");
        let _ = writeln!(out, "    environment:");
        let _ = writeln!(out, "      KAFKA_NODE_ID: {id}");
        let _ = writeln!(out, "      KAFKA_PROCESS_ROLES: 'broker'");
        let _ = writeln!(out, "      KAFKA_CONTROLLER_QUORUM_VOTERS: '{voters}'");
        let _ = writeln!(out, "      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER'");
        let _ = writeln!(
            out,
            "      KAFKA_LISTENERS: 'PLAINTEXT://:19092,PLAINTEXT_HOST://:{host_port}'"
        );
        let _ = writeln!(
            out,
            "      KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://kafka-{id}:19092,PLAINTEXT_HOST://localhost:{host_port}'"
        );
        let _ = writeln!(
            out,
            "      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT'"
        );
        let _ = writeln!(out, "      KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT'");
        let _ = writeln!(out, "      CLUSTER_ID: '{cluster_id}'");
        let _ = writeln!(
            out,
            "      KAFKA_AUTO_CREATE_TOPICS_ENABLE: '{}'",
            config.auto_create_topics
        );
        let _ = writeln!(out, "      KAFKA_NUM_PARTITIONS: {}", config.num_partitions);
        let _ = writeln!(
            out,
            "      KAFKA_DEFAULT_REPLICATION_FACTOR: {}",
            config.default_replication_factor
        );
        let _ = writeln!(
            out,
            "      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: {}",
            config.offsets_topic_replication_factor
        );
        let _ = writeln!(
            out,
            "      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: {}",
            config.offsets_topic_num_partitions
        );
        let _ = writeln!(
            out,
            "      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: {}",
            config.group_initial_rebalance_delay_ms
        );
        let _ = writeln!(
            out,
            "      KAFKA_REPLICA_LAG_TIME_MAX_MS: {}",
            config.replica_lag_time_max_ms
        );
        let _ = writeln!(
            out,
            "      KAFKA_LOG_RETENTION_CHECK_INTERVAL_MS: {}",
            config.retention_check_interval_ms
        );
        let _ = writeln!(
            out,
            "      KAFKA_LOG_CLEANER_BACKOFF_MS: {}",
            config.cleaner_backoff_ms
        );
        let _ = writeln!(
            out,
            "      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: {internal_rf}"
        );
        let _ = writeln!(
            out,
            "      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: {internal_min_isr}"
        );
        let _ = writeln!(
            out,
            "      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: {internal_rf}"
        );
        let _ = writeln!(
            out,
            "      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: {internal_min_isr}"
        );
        let _ = writeln!(out, "      KAFKA_LOG_DIRS: '/tmp/kraft-broker-logs'");
        let _ = writeln!(out, "    depends_on:");
        let _ = writeln!(out, "      - controller");
    }
    Ok(out)
}
