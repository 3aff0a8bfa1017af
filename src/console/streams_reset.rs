//! `kafka-streams-application-reset.sh`: resets a Kafka Streams application so it reprocesses
//! its input from scratch.
//!
//! Formats and steps, from Kafka 4.1's `tools/src/main/java/org/apache/kafka/tools/StreamsResetter.java`:
//! - `execute`: the group (its id is the `application.id`) must have no members
//!   (`maybeDeleteActiveConsumers`: `Consumer group 'G' is still active and has following
//!   members: [..]. Make sure to stop all running application instances …`, an
//!   `IllegalStateException` printed as `ERROR: java.lang.IllegalStateException: …` and its
//!   stack trace, exit 1; `--force` prints `Force deleting all active members in the group: G`
//!   and removes them), then the dry-run banner;
//! - `maybeResetInputAndSeekToEndIntermediateTopicOffsets`: `Reset-offsets for input topics
//!   [..]`, `Seek-to-end for intermediate topics [..]`, the topics not found (exit 1 at the
//!   end), `Following input topics offsets will be reset to (for consumer group G)` and one
//!   `Topic: t Partition: p Offset: o` per partition (`maybeReset`, in the order of Java's
//!   `HashSet<TopicPartition>`), the range notes of `checkOffsetRange` (`New offset (n) is
//!   lower than earliest offset. Value will be set to m`), the committed offsets, `Done.`;
//! - `maybeDeleteInternalTopics`: every topic named `<application.id>-…-changelog` or
//!   `-repartition` (`matchesInternalTopicFormat`, in the order of the admin client's topic
//!   name set), or the `--internal-topics` given (which must be among them), `Deleting inferred
//!   internal topics [..]`, `Done.`;
//! - option errors through `CommandLineUtils.printUsageAndExit` (the message, the option
//!   table), with `checkInvalidArgs`' `Option "[to-offset]" can't be used with option
//!   "[shift-by]"`.
//!
//! The offsets and deletions are the engine's (`Command::ResetOffsets`, `Command::DeleteTopic`).
//! Simplified: the page has no files, so `--from-file` and `--config-file` fail as a missing
//! file does; `--to-datetime` and `--by-duration` are refused with a playground line (the
//! engine keeps no time index); `--force` closes the members' clients (a running Kafka
//! application would rejoin instead); the help prints the option table's header only.

use std::fmt::Write as _;

use crate::console::args::{self, OptSpec, Options, flag, opt};
use crate::console::format::{USAGE_HEADER, trace_line};
use crate::console::{Io, network};
use crate::sim::World;
use crate::sim::assignor::java::{JavaHashSet, string_hash, topic_partition_hash};
use crate::sim::command::{Command, OffsetTarget};

/// The options, for parsing and tab completion.
pub const OPTIONS: &[OptSpec] = &[
    opt("application-id"),
    opt("bootstrap-server"),
    opt("input-topics"),
    opt("intermediate-topics"),
    opt("internal-topics"),
    opt("to-offset"),
    opt("to-datetime"),
    opt("by-duration"),
    flag("to-earliest"),
    flag("to-latest"),
    opt("from-file"),
    opt("shift-by"),
    opt("config-file"),
    flag("force"),
    flag("dry-run"),
    flag("help"),
    flag("version"),
];

/// `StreamsResetter.USAGE` (its first item has no line break before the second, as in Kafka).
const USAGE: &str = "This tool helps to quickly reset an application in order to reprocess its data from scratch.\n\
* This tool resets offsets of input topics to the earliest available offset (by default), or to a specific defined position\
* This tool deletes the internal topics that were created by Kafka Streams (topics starting with \"<application.id>-\").\n\
The tool finds these internal topics automatically. If the topics flagged automatically for deletion by the dry-run are unsuitable, you can specify a subset with the \"--internal-topics\" option.\n\
* This tool will not delete output topics (if you want to delete them, you need to do it yourself with the bin/kafka-topics.sh command).\n\
* This tool will not clean up the local state on the stream application instances (the persisted stores used to cache aggregation results).\n\
You need to call KafkaStreams#cleanUp() in your application or manually delete them from the directory specified by \"state.dir\" configuration (${java.io.tmpdir}/kafka-streams/<application.id> by default).\n\
* When long session timeout has been configured, active members could take longer to get expired on the broker thus blocking the reset job to complete. Use the \"--force\" option could remove those left-over members immediately. Make sure to stop all stream applications when this option is specified to avoid unexpected disruptions.\n\n\
*** Important! You will get wrong output if you don't clean up the local stores after running the reset tool!\n\n\
*** Warning! This tool makes irreversible changes to your application. It is strongly recommended that you run this once with \"--dry-run\" to preview your changes before making them.\n\n";

/// The reset scenarios, in the order `StreamsResetterOptions` checks them against each other.
const SCENARIOS: [&str; 7] = [
    "to-offset",
    "to-datetime",
    "by-duration",
    "to-earliest",
    "to-latest",
    "from-file",
    "shift-by",
];

/// `CommandLineUtils.printUsageAndExit`: the message, the option table, exit 1.
fn usage(io: &mut Io, message: &str) -> i32 {
    let _ = writeln!(io.err, "{message}");
    io.err.push_str(USAGE_HEADER);
    1
}

/// `execute`'s catch: `ERROR: ` and the exception, then its stack trace (first line), exit 1.
fn error(io: &mut Io, class: &str, message: &str) -> i32 {
    let _ = writeln!(io.err, "ERROR: {class}: {message}");
    io.err.push_str(&trace_line(class, message));
    1
}

/// The values of a list option (`withValuesSeparatedBy(',')`), in order.
fn values<'a>(opts: &'a Options, name: &str) -> Vec<&'a str> {
    opts.values(name)
        .into_iter()
        .flat_map(|v| v.split(','))
        .collect()
}

/// Java's `List.toString`.
fn list(items: &[&str]) -> String {
    format!("[{}]", items.join(", "))
}

/// Whether Streams names its internal topics this way (`matchesInternalTopicFormat`; the
/// foreign-key join topics, which the engine never creates, end in `-topic`).
fn internal_topic_format(name: &str) -> bool {
    name.ends_with("-changelog")
        || name.ends_with("-repartition")
        || name.ends_with("-subscription-registration-topic")
        || name.ends_with("-subscription-response-topic")
}

/// Runs `kafka-streams-application-reset.sh ARGS`. Returns the exit status.
pub fn run(world: &mut World, argv: &[String], io: &mut Io) -> i32 {
    let opts = match args::parse(OPTIONS, argv) {
        Ok(o) => o,
        Err(e) => return usage(io, &e.message()),
    };
    // `CommandLineUtils.maybePrintHelpOrVersion`.
    if argv.is_empty() || opts.has("help") {
        return usage(io, USAGE);
    }
    if opts.has("version") {
        let _ = writeln!(io.out, "{}", crate::console::KAFKA_VERSION);
        return 0;
    }
    if !opts.has("application-id") {
        return usage(io, "Missing required option(s) [application-id]");
    }
    for used in SCENARIOS {
        if !opts.has(used) {
            continue;
        }
        if let Some(other) = SCENARIOS.iter().find(|s| **s != used && opts.has(s)) {
            return usage(
                io,
                &format!("Option \"[{used}]\" can't be used with option \"[{other}]\""),
            );
        }
    }
    for option in ["to-offset", "shift-by"] {
        if let Some(text) = opts.value(option)
            && args::java_parse_long(text).is_none()
        {
            return usage(
                io,
                &format!("Cannot parse argument '{text}' of option {option}"),
            );
        }
    }
    if let Some(path) = opts.value("config-file") {
        let message = format!("{path} (No such file or directory)");
        return error(io, "java.io.FileNotFoundException", &message);
    }
    let bootstrap = opts.value("bootstrap-server").unwrap_or("localhost:9092");
    if network::unreachable(world, bootstrap).is_some() {
        let _ = writeln!(
            io.err,
            "kafka-streams-application-reset.sh: no broker answers at {bootstrap} in the playground"
        );
        return 1;
    }
    let app = opts.value("application-id").unwrap_or_default().to_string();
    if let Some(code) = remove_active_members(world, &app, opts.has("force"), io) {
        return code;
    }
    // `adminClient.listTopics()`: the names of the topics that are not internal, as a set.
    let mut names = JavaHashSet::new();
    let all: Vec<String> = world
        .topics()
        .filter(|t| !t.internal)
        .map(|t| t.name.to_string())
        .collect();
    for (i, name) in all.iter().enumerate() {
        names.insert(string_hash(name), i);
    }
    let all_topics: Vec<String> = names
        .iteration_order()
        .into_iter()
        .filter_map(|i| all.get(i).cloned())
        .collect();
    let dry_run = opts.has("dry-run");
    if dry_run {
        io.out.push_str(
            "----Dry run displays the actions which will be performed when running Streams Reset Tool----\n",
        );
    }
    let mut status = match reset_offsets(world, &opts, &app, &all_topics, io) {
        Ok(status) => status,
        Err(code) => return code,
    };
    match delete_internal_topics(world, &opts, &app, &all_topics, io) {
        Ok(()) => {}
        Err(code) => status = code,
    }
    status
}

/// `maybeDeleteActiveConsumers`: `Some(exit status)` when the tool stops here.
fn remove_active_members(world: &mut World, app: &str, force: bool, io: &mut Io) -> Option<i32> {
    let group = world.group(app)?;
    if group.members.is_empty() {
        return None;
    }
    if !force {
        let members: Vec<String> = group
            .members
            .values()
            .map(|m| {
                let mut set = JavaHashSet::new();
                for (i, (t, p)) in m.assignment.iter().enumerate() {
                    set.insert(topic_partition_hash(string_hash(t), *p), i);
                }
                let partitions: Vec<String> = set
                    .iteration_order()
                    .into_iter()
                    .filter_map(|i| m.assignment.get(i))
                    .map(|(t, p)| format!("{t}-{p}"))
                    .collect();
                // `MemberDescription.toString` of a classic group's member.
                format!(
                    "(memberId={}, groupInstanceId=null, clientId={}, host=/127.0.0.1, assignment=(topicPartitions={}), targetAssignment=Optional.empty, memberEpoch=null, upgraded=null)",
                    m.member_id,
                    m.client_id,
                    partitions.join(",")
                )
            })
            .collect();
        let message = format!(
            "Consumer group '{app}' is still active and has following members: [{}]. Make sure to stop all running application instances before running the reset tool. You can use option '--force' to remove active members from the group.",
            members.join(", ")
        );
        return Some(error(io, "java.lang.IllegalStateException", &message));
    }
    let _ = writeln!(
        io.out,
        "Force deleting all active members in the group: {app}"
    );
    let consumers: Vec<u32> = group.members.values().map(|m| m.consumer).collect();
    let streams_app = world.streams_app_id(app);
    let streams_consumer = streams_app
        .and_then(|id| world.streams_app(id))
        .map(crate::sim::streams::StreamsApp::consumer);
    if let Some(id) = streams_app {
        let _ = world.apply(Command::StopStreams { app: id });
    }
    for consumer in consumers {
        if Some(consumer) != streams_consumer {
            let _ = world.apply(Command::StopConsumer { consumer });
        }
    }
    None
}

/// `maybeResetInputAndSeekToEndIntermediateTopicOffsets`: `Ok(exit status)` when it went on
/// to the end, `Err(exit status)` when the tool stops.
fn reset_offsets(
    world: &mut World,
    opts: &Options,
    app: &str,
    all_topics: &[String],
    io: &mut Io,
) -> Result<i32, i32> {
    let input = values(opts, "input-topics");
    let intermediate = values(opts, "intermediate-topics");
    if input.is_empty() && intermediate.is_empty() {
        io.out
            .push_str("No input or intermediate topics specified. Skipping seek.\n");
        return Ok(0);
    }
    if !input.is_empty() {
        let _ = writeln!(io.out, "Reset-offsets for input topics {}", list(&input));
    }
    if !intermediate.is_empty() {
        let _ = writeln!(
            io.out,
            "Seek-to-end for intermediate topics {}",
            list(&intermediate)
        );
    }
    let exists = |t: &&str| all_topics.iter().any(|a| a == t);
    let mut status = 0;
    let missing: Vec<&str> = input.iter().copied().filter(|t| !exists(t)).collect();
    if !missing.is_empty() {
        io.out
            .push_str("Following input topics are not found, skipping them\n");
        for t in &missing {
            let _ = writeln!(io.out, "Topic: {t}");
        }
        status = 1;
    }
    let missing: Vec<&str> = intermediate
        .iter()
        .copied()
        .filter(|t| !exists(t))
        .collect();
    if !missing.is_empty() {
        io.out
            .push_str("Following intermediate topics are not found, skipping them\n");
        for t in &missing {
            let _ = writeln!(io.out, "Topic:{t}");
        }
        status = 1;
    }
    let partitions_of = |topics: &[&str], world: &World| -> Vec<(String, u32)> {
        let mut parts = Vec::new();
        let mut set = JavaHashSet::new();
        for t in topics.iter().filter(|t| exists(t)) {
            let count = world.topic(t).map_or(0, |topic| topic.partition_count());
            for p in 0..count {
                if set.insert(topic_partition_hash(string_hash(t), p), parts.len()) {
                    parts.push(((*t).to_string(), p));
                }
            }
        }
        set.iteration_order()
            .into_iter()
            .filter_map(|i| parts.get(i).cloned())
            .collect()
    };
    let input_parts = partitions_of(&input, world);
    let intermediate_parts: Vec<(String, u32)> = partitions_of(&intermediate, world)
        .into_iter()
        .filter(|tp| !input_parts.contains(tp))
        .collect();
    if input_parts.is_empty() && intermediate_parts.is_empty() {
        return Ok(status);
    }
    if opts.has("to-datetime") || opts.has("by-duration") {
        let _ = writeln!(
            io.err,
            "eda-playground: --to-datetime and --by-duration are not simulated yet (the playground keeps no time index); use --to-earliest, --to-latest, --to-offset or --shift-by."
        );
        return Err(1);
    }
    // (range of the log, committed offset) of a partition.
    let bounds = |world: &World, topic: &str, p: u32| -> (u64, u64, Option<u64>) {
        let (start, end) = world
            .topic(topic)
            .and_then(|t| t.partitions.get(p as usize))
            .map_or((0, 0), |part| {
                (part.log.log_start_offset(), part.high_watermark)
            });
        let committed = world
            .group(app)
            .and_then(|g| g.committed.get(&(topic.into(), p)))
            .map(|c| c.offset);
        (start, end, committed)
    };
    let mut plan: Vec<(String, u32, u64)> = Vec::new();
    if !input_parts.is_empty() {
        let _ = writeln!(
            io.out,
            "Following input topics offsets will be reset to (for consumer group {app})"
        );
        if let Some(path) = opts.value("from-file") {
            io.err.push_str("ERROR: Resetting offsets failed.\n");
            let message = path.to_string();
            return Err(error(io, "java.nio.file.NoSuchFileException", &message));
        }
        for (topic, p) in &input_parts {
            let (start, end, committed) = bounds(world, topic, *p);
            let wanted = if opts.has("to-latest") {
                i128::from(end)
            } else if let Some(n) = opts.value("to-offset").and_then(args::java_parse_long) {
                i128::from(n)
            } else if let Some(n) = opts.value("shift-by").and_then(args::java_parse_long) {
                // The position: the committed offset, or `auto.offset.reset` (latest).
                i128::from(committed.unwrap_or(end)) + i128::from(n)
            } else {
                i128::from(start)
            };
            let checked = opts.has("to-offset") || opts.has("shift-by");
            let offset = if !checked {
                u64::try_from(wanted).unwrap_or(0)
            } else if wanted < i128::from(end) {
                if wanted > i128::from(start) {
                    u64::try_from(wanted).unwrap_or(0)
                } else {
                    let _ = writeln!(
                        io.out,
                        "New offset ({wanted}) is lower than earliest offset. Value will be set to {start}"
                    );
                    start
                }
            } else {
                let _ = writeln!(
                    io.out,
                    "New offset ({wanted}) is higher than latest offset. Value will be set to {end}"
                );
                end
            };
            plan.push((topic.clone(), *p, offset));
        }
        for (topic, p, offset) in &plan {
            let _ = writeln!(io.out, "Topic: {topic} Partition: {p} Offset: {offset}");
        }
    }
    if !intermediate_parts.is_empty() {
        let _ = writeln!(
            io.out,
            "Following intermediate topics offsets will be reset to end (for consumer group {app})"
        );
        for (topic, p) in &intermediate_parts {
            let _ = writeln!(io.out, "Topic: {topic}");
            let (_, end, _) = bounds(world, topic, *p);
            plan.push((topic.clone(), *p, end));
        }
    }
    if !opts.has("dry-run") {
        for (topic, p, offset) in plan {
            if let Err(e) = world.apply(Command::ResetOffsets {
                group: app.to_string(),
                topic: Some(topic),
                target: OffsetTarget::Offset(offset),
                partitions: Some(vec![p]),
            }) {
                return Err(error(io, e.exception_class(), e.message()));
            }
        }
    }
    io.out.push_str("Done.\n");
    Ok(status)
}

/// `maybeDeleteInternalTopics`.
fn delete_internal_topics(
    world: &mut World,
    opts: &Options,
    app: &str,
    all_topics: &[String],
    io: &mut Io,
) -> Result<(), i32> {
    let input = values(opts, "input-topics");
    let intermediate = values(opts, "intermediate-topics");
    let prefix = format!("{app}-");
    let inferred: Vec<&str> = all_topics
        .iter()
        .map(String::as_str)
        .filter(|t| {
            !input.contains(t)
                && !intermediate.contains(t)
                && t.starts_with(&prefix)
                && t.len() > prefix.len()
                && internal_topic_format(t)
        })
        .collect();
    let specified = values(opts, "internal-topics");
    let to_delete = if specified.is_empty() {
        let _ = writeln!(
            io.out,
            "Deleting inferred internal topics {}",
            list(&inferred)
        );
        inferred
    } else {
        if specified.iter().any(|t| !inferred.contains(t)) {
            return Err(error(
                io,
                "java.lang.IllegalArgumentException",
                "Invalid topic specified in the --internal-topics option. Ensure that the topics specified are all internal topics. Do a dry run without the --internal-topics option to see the list of all internal topics that can be deleted.",
            ));
        }
        let _ = writeln!(
            io.out,
            "Deleting specified internal topics {}",
            list(&specified)
        );
        specified
    };
    if !opts.has("dry-run") {
        let mut failed = false;
        for topic in to_delete {
            if let Err(e) = world.apply(Command::DeleteTopic {
                name: topic.to_string(),
            }) {
                let _ = writeln!(io.err, "ERROR: deleting topic {topic}");
                io.err
                    .push_str(&trace_line(e.exception_class(), e.message()));
                failed = true;
            }
        }
        if failed {
            return Err(error(
                io,
                "java.lang.RuntimeException",
                "Encountered an error deleting one or more topics",
            ));
        }
    }
    io.out.push_str("Done.\n");
    Ok(())
}
