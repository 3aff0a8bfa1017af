//! `kafka-leader-election.sh`: preferred and unclean leader elections.
//!
//! Formats, from Kafka 4.1's `tools/src/main/java/org/apache/kafka/tools/LeaderElectionCommand.java`
//! (`electLeaders`, `LeaderElectionCommandOptions.validate`, `mainNoExit`):
//! - `Successfully completed leader election (PREFERRED) for partitions t-0, t-1`,
//!   `Valid replica already elected for partitions t-2` (each list in the order of Java's
//!   `HashSet<TopicPartition>`), and for each failure `Error completing leader election
//!   (PREFERRED) for partition: t-0: org.apache.kafka.common.errors.…Exception: …`, after which
//!   the command fails with `N replica(s) could not be elected` (exit 1);
//! - `validate`'s `AdminCommandFailedException`s (`Missing required option(s): …`, `One and
//!   only one of the following options is required: topic, all-topic-partitions,
//!   path-to-json-file`, `Option partition is only allowed if topic is used`) and jopt-simple's
//!   parse errors, printed by `mainNoExit`: the message, then the stack trace (its first line
//!   here), exit 1.
//!
//! The elections are the engine's (`Command::ElectLeaders`, as the KRaft controller answers
//! `ElectLeaders`). Simplified: the page has no files, so `--path-to-json-file` and
//! `--admin.config` fail as a missing file does; the help prints the option table's header only.

use std::fmt::Write as _;

use crate::console::args::{self, OptSpec, flag, opt};
use crate::console::format::{USAGE_HEADER, trace_line};
use crate::console::{Io, network};
use crate::sim::World;
use crate::sim::assignor::java::{JavaHashSet, string_hash, topic_partition_hash};
use crate::sim::command::{Command, ElectionType, Outcome};

/// The options, for parsing and tab completion.
pub const OPTIONS: &[OptSpec] = &[
    opt("bootstrap-server"),
    opt("admin.config"),
    opt("path-to-json-file"),
    opt("topic"),
    opt("partition"),
    flag("all-topic-partitions"),
    opt("election-type"),
    flag("help"),
    flag("version"),
];

const USAGE_TEXT: &str = "This tool attempts to elect a new leader for a set of topic partitions. The type of elections supported are preferred replicas and unclean replicas.";
/// The class 4.1.1 throws: `LeaderElectionCommandTest` (tools, 4.1) imports
/// `org.apache.kafka.server.common.AdminCommandFailedException` (`testTopicDoesNotExist`); the
/// `org.apache.kafka.tools` class of the same name is 3.x's.
const FAILED: &str = "org.apache.kafka.server.common.AdminCommandFailedException";

/// `mainNoExit`: the exception's message, then its stack trace (first line), exit 1.
fn fail(io: &mut Io, class: &str, message: &str) -> i32 {
    let _ = writeln!(io.err, "{message}");
    io.err.push_str(&trace_line(class, message));
    1
}

/// The exception an election error becomes on the client (`Errors`' exception and default
/// message, or the controller's message for an unknown topic or partition).
fn election_error(world: &World, topic: &str, partition: u32, error: &str) -> String {
    let (class, message) = match error {
        "PREFERRED_LEADER_NOT_AVAILABLE" => (
            "PreferredLeaderNotAvailableException",
            "The preferred leader was not available.".to_string(),
        ),
        "ELIGIBLE_LEADERS_NOT_AVAILABLE" => (
            "EligibleLeadersNotAvailableException",
            "Eligible topic partition leaders are not available.".to_string(),
        ),
        "ELECTION_NOT_NEEDED" => (
            "ElectionNotNeededException",
            "Leader election not needed for topic partition.".to_string(),
        ),
        _ => (
            "UnknownTopicOrPartitionException",
            // `ReplicationControlManager.electLeader`.
            if world.topic(topic).is_some() {
                format!("No such partition as {topic}-{partition}")
            } else {
                format!("No such topic as {topic}")
            },
        ),
    };
    format!("org.apache.kafka.common.errors.{class}: {message}")
}

/// `topic-partition`s joined by `, ` in the iteration order of a `java.util.HashSet`.
fn hash_set_list(partitions: &[(String, u32)]) -> String {
    let mut set = JavaHashSet::new();
    for (i, (topic, partition)) in partitions.iter().enumerate() {
        set.insert(topic_partition_hash(string_hash(topic), *partition), i);
    }
    set.iteration_order()
        .into_iter()
        .filter_map(|i| partitions.get(i))
        .map(|(t, p)| format!("{t}-{p}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs `kafka-leader-election.sh ARGS`. Returns the exit status.
pub fn run(world: &mut World, argv: &[String], io: &mut Io) -> i32 {
    if argv.is_empty() {
        let _ = writeln!(io.err, "{USAGE_TEXT}");
        io.err.push_str(USAGE_HEADER);
        return 1;
    }
    let opts = match args::parse(OPTIONS, argv) {
        Ok(o) => o,
        Err(e) => return fail(io, e.exception_class(), &e.message()),
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
    let missing: Vec<&str> = ["bootstrap-server", "election-type"]
        .into_iter()
        .filter(|o| !opts.has(o))
        .collect();
    if !missing.is_empty() {
        return fail(
            io,
            FAILED,
            &format!("Missing required option(s): {}", missing.join(", ")),
        );
    }
    if opts.count(&["topic", "all-topic-partitions", "path-to-json-file"]) != 1 {
        return fail(
            io,
            FAILED,
            "One and only one of the following options is required: topic, all-topic-partitions, path-to-json-file",
        );
    }
    if opts.has("topic") && !opts.has("partition") {
        return fail(io, FAILED, "Missing required option(s): partition");
    }
    if !opts.has("topic") && opts.has("partition") {
        return fail(
            io,
            FAILED,
            "Option partition is only allowed if topic is used",
        );
    }
    // jopt-simple converts values when they are read, after `validate`.
    let election_type = match opts
        .value("election-type")
        .unwrap_or_default()
        .to_ascii_uppercase()
        .as_str()
    {
        "PREFERRED" => ElectionType::Preferred,
        "UNCLEAN" => ElectionType::Unclean,
        _ => {
            let text = opts.value("election-type").unwrap_or_default();
            return fail(
                io,
                "joptsimple.OptionArgumentConversionException",
                &format!("Cannot parse argument '{text}' of option election-type"),
            );
        }
    };
    let partition = match opts.int("partition") {
        Ok(p) => p,
        Err(message) => {
            return fail(io, "joptsimple.OptionArgumentConversionException", &message);
        }
    };
    for file in ["path-to-json-file", "admin.config"] {
        if let Some(path) = opts.value(file) {
            let message = format!("{path} (No such file or directory)");
            return fail(io, "java.nio.file.NoSuchFileException", &message);
        }
    }
    if network::unreachable(world, opts.value("bootstrap-server").unwrap_or_default()).is_some() {
        let _ = writeln!(
            io.err,
            "kafka-leader-election.sh: no broker answers at {} in the playground",
            opts.value("bootstrap-server").unwrap_or_default()
        );
        return 1;
    }
    let partitions = opts.value("topic").map(|topic| {
        vec![(
            topic.to_string(),
            u32::try_from(partition.unwrap_or(0)).unwrap_or(u32::MAX),
        )]
    });
    let results = match world.apply(Command::ElectLeaders {
        election_type,
        partitions,
    }) {
        Ok(Outcome::Elections(results)) => results,
        Ok(_) => Vec::new(),
        Err(e) => return fail(io, e.exception_class(), e.message()),
    };
    let name = election_type.name();
    let pick = |want: Option<&str>| -> Vec<(String, u32)> {
        results
            .iter()
            .filter(|(_, _, e)| *e == want)
            .map(|(t, p, _)| (t.clone(), *p))
            .collect()
    };
    let succeeded = pick(None);
    if !succeeded.is_empty() {
        let _ = writeln!(
            io.out,
            "Successfully completed leader election ({name}) for partitions {}",
            hash_set_list(&succeeded)
        );
    }
    let noop = pick(Some("ELECTION_NOT_NEEDED"));
    if !noop.is_empty() {
        let _ = writeln!(
            io.out,
            "Valid replica already elected for partitions {}",
            hash_set_list(&noop)
        );
    }
    let failed: Vec<&(String, u32, Option<&'static str>)> = results
        .iter()
        .filter(|(_, _, e)| e.is_some_and(|e| e != "ELECTION_NOT_NEEDED"))
        .collect();
    if failed.is_empty() {
        return 0;
    }
    for (topic, partition, error) in &failed {
        let _ = writeln!(
            io.out,
            "Error completing leader election ({name}) for partition: {topic}-{partition}: {}",
            election_error(world, topic, *partition, error.unwrap_or_default())
        );
    }
    fail(
        io,
        FAILED,
        &format!("{} replica(s) could not be elected", failed.len()),
    )
}
