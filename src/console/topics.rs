//! `kafka-topics.sh`: create, list, describe, alter (add partitions) and delete topics.
//!
//! Formats, from Kafka 4.1's `tools/src/main/java/org/apache/kafka/tools/TopicCommand.java`:
//! - `Created topic NAME.` after a create (`TopicService.createTopic`);
//! - the collision warning for names with `.` or `_`, before creating;
//! - `--list`: the sorted names joined by newlines, one `println` (so an empty cluster prints
//!   one empty line);
//! - `--describe`: `Topic: T\tTopicId: ID\tPartitionCount: N\tReplicationFactor: R\tConfigs: C`
//!   (`TopicDescription.printDescription`), then per partition
//!   `\tTopic: T\tPartition: P\tLeader: L\tReplicas: …\tIsr: …\tElr: \tLastKnownElr: `
//!   (`PartitionDescription.printDescription`; a Kafka 4.0.0 quickstart run prints the empty
//!   ELR lists, and `Configs: segment.bytes=1073741824`, the quickstart `server.properties`'
//!   static `log.segment.bytes`, which counts as non-default);
//! - failures: `Error while executing topic command : MESSAGE` on stdout and log4j's
//!   `[time] ERROR CLASS: MESSAGE` on stderr (`printException`, first stack-trace line only);
//! - argument errors: `--bootstrap-server must be specified` (an `IllegalArgumentException`
//!   printed by `mainNoExit` with its stack trace), `Missing required argument "[topic]"`,
//!   `Command must include exactly one action: …`, `Option "[x]" can't be used with option
//!   "[y]"` (`CommandLineUtils`, followed by the usage table), jopt-simple's parse errors;
//! - no broker at `--bootstrap-server` (a wrong port, or after `kafka-server-stop.sh`): the
//!   admin client's connection warnings for 60 s of virtual time, then `Timed out waiting for
//!   a node assignment. Call: createTopics` (or `listTopics`), printed as any failure (see
//!   `network.rs`).
//!
//! Simplified versus Kafka: `--topic` patterns support literal names, `.`, `*`, `+`, `?`,
//! `[…]` and `|`/`,` alternatives (no groups); `--replica-assignment`, `--topic-id` and
//! `--command-config` are refused with a note; configs are listed in name order.

use crate::console::args::{self, OptSpec, Options, flag, opt};
use crate::console::format::{USAGE_HEADER, log_line};
use crate::console::{Console, Io, Output, network};
use crate::sim::World;
use crate::sim::cluster::Topic;
use crate::sim::command::Command;
use crate::sim::error::SimError;
use crate::sim::validate::{self, TopicConfig};
use std::fmt::Write as _;

/// The options `kafka-topics.sh` accepts (`TopicCommandOptions` + help/version).
pub const OPTIONS: &[OptSpec] = &[
    flag("alter"),
    flag("at-min-isr-partitions"),
    opt("bootstrap-server"),
    opt("command-config"),
    opt("config"),
    flag("create"),
    flag("delete"),
    opt("delete-config"),
    flag("describe"),
    flag("exclude-internal"),
    flag("help"),
    flag("if-exists"),
    flag("if-not-exists"),
    flag("list"),
    opt("partition-size-limit-per-response"),
    opt("partitions"),
    opt("replica-assignment"),
    opt("replication-factor"),
    opt("topic"),
    opt("topic-id"),
    flag("topics-with-overrides"),
    flag("unavailable-partitions"),
    flag("under-min-isr-partitions"),
    flag("under-replicated-partitions"),
    flag("version"),
];

const LOGGER: &str = "org.apache.kafka.tools.TopicCommand";
const ACTIONS: [&str; 5] = ["create", "list", "alter", "describe", "delete"];
/// The quickstart `server.properties` sets `log.segment.bytes=1073741824`: a static broker
/// config, which `--describe` lists as non-default for every topic that does not override it.
const STATIC_SEGMENT_BYTES: &str = "1073741824";

/// Runs `kafka-topics.sh ARGS`; returns the exit status.
pub fn run(
    console: &mut Console,
    world: &mut World,
    argv: &[String],
    io: &mut Io,
    out: &mut Output,
) -> i32 {
    let now = world.now_ms();
    let opts = match args::parse(OPTIONS, argv) {
        Ok(o) => o,
        Err(e) => {
            let _ = writeln!(io.err, "{}\n{}", e.message(), e.trace_line());
            return 1;
        }
    };
    if argv.is_empty() {
        return usage(io, "Create, delete, describe, or change a topic.", 1);
    }
    if opts.has("help") {
        return usage(
            io,
            "This tool helps to create, delete, describe, or change a topic.",
            0,
        );
    }
    if opts.has("version") {
        let _ = writeln!(io.out, "{}", crate::console::KAFKA_VERSION);
        return 0;
    }
    if opts.count(&ACTIONS) != 1 {
        return usage(
            io,
            "Command must include exactly one action: --list, --describe, --create, --alter or --delete",
            1,
        );
    }
    if opts.has("delete-config") {
        io.err.push_str("delete-config option is no longer supported and deprecated since version 4.0. The config will be fully removed in future releases.\n");
    }
    if !opts.has("bootstrap-server") {
        let message = "--bootstrap-server must be specified";
        let _ = writeln!(
            io.err,
            "{message}\njava.lang.IllegalArgumentException: {message}"
        );
        return 1;
    }
    if let Some(code) = check_args(&opts, io) {
        return code;
    }
    for unsupported in ["replica-assignment", "topic-id", "command-config"] {
        if opts.has(unsupported) {
            let _ = writeln!(
                io.err,
                "eda-playground: --{unsupported} is not simulated; the playground places replicas itself."
            );
            return 1;
        }
    }
    let action = ACTIONS.into_iter().find(|a| opts.has(a)).unwrap_or("list");
    // No broker at the bootstrap address: the admin client retries until its
    // `default.api.timeout.ms`, then the call fails (`createTopics` for --create; the other
    // actions start with `listTopics`).
    if let Some(refused) =
        network::unreachable(world, opts.value("bootstrap-server").unwrap_or_default())
    {
        network::wait_until_timeout(
            console,
            world,
            "AdminClient clientId=adminclient-1",
            &refused,
            network::ADMIN_API_TIMEOUT_MS,
            io,
            out,
        );
        let call = if action == "create" {
            "createTopics"
        } else {
            "listTopics"
        };
        let message = format!("Timed out waiting for a node assignment. Call: {call}");
        let _ = writeln!(io.out, "Error while executing topic command : {message}");
        io.err.push_str(&log_line_first(
            world.now_ms(),
            &format!("org.apache.kafka.common.errors.TimeoutException: {message}"),
        ));
        return 1;
    }
    let result = match action {
        "create" => create(world, &opts, io),
        "list" => list(world, &opts, io),
        "describe" => describe(world, &opts, io),
        "alter" => alter(world, &opts),
        _ => delete(world, &opts),
    };
    match result {
        Ok(()) => 0,
        Err((class, message)) => {
            let _ = writeln!(io.out, "Error while executing topic command : {message}");
            io.err
                .push_str(&log_line_first(now, &format!("{class}: {message}")));
            1
        }
    }
}

/// `[time] ERROR message` without the logger suffix, which log4j prints after the last line of
/// the stack trace (never shown here).
fn log_line_first(now_ms: u64, message: &str) -> String {
    let line = log_line(now_ms, "ERROR", message, LOGGER);
    let suffix = format!(" ({LOGGER})\n");
    match line.strip_suffix(&suffix) {
        Some(head) => format!("{head}\n"),
        None => line,
    }
}

/// `CommandLineUtils.printUsageAndExit`: the message, then the usage table (its header here).
fn usage(io: &mut Io, message: &str, code: i32) -> i32 {
    io.err.push_str(message);
    io.err.push('\n');
    io.err.push_str(USAGE_HEADER);
    code
}

/// `TopicCommandOptions.checkRequiredArgs` and `checkInvalidArgs`, in Kafka's order.
fn check_args(opts: &Options, io: &mut Io) -> Option<i32> {
    if opts.has("describe") && opts.has("if-exists") && !opts.has("topic") && !opts.has("topic-id")
    {
        return Some(usage(
            io,
            "--topic or --topic-id is required to describe a topic",
            1,
        ));
    }
    if !opts.has("list") && !opts.has("describe") && !opts.has("topic") {
        return Some(usage(io, "Missing required argument \"[topic]\"", 1));
    }
    if opts.has("alter") {
        if opts.has("config") {
            return Some(usage(
                io,
                "Option combination \"[bootstrap-server, config]\" can't be used with option \"[alter]\" (To alter topic configurations, the kafka-configs tool can be used.)",
                1,
            ));
        }
        if !opts.has("partitions") {
            return Some(usage(io, "Missing required argument \"[partitions]\"", 1));
        }
    }
    let action = ACTIONS.into_iter().find(|a| opts.has(a)).unwrap_or("list");
    let rules: [(&str, &[&str]); 7] = [
        ("config", &["alter", "create"]),
        ("partitions", &["alter", "create"]),
        ("replication-factor", &["create"]),
        ("replica-assignment", &["alter", "create"]),
        ("if-exists", &["alter", "delete", "describe"]),
        ("if-not-exists", &["create"]),
        ("exclude-internal", &["list", "describe"]),
    ];
    for (option, allowed) in rules {
        if opts.has(option) && !allowed.contains(&action) {
            return Some(usage(
                io,
                &format!("Option \"[{option}]\" can't be used with option \"[{action}]\""),
                1,
            ));
        }
    }
    for report in [
        "under-replicated-partitions",
        "unavailable-partitions",
        "under-min-isr-partitions",
        "at-min-isr-partitions",
        "topics-with-overrides",
    ] {
        if opts.has(report) && action != "describe" {
            return Some(usage(
                io,
                &format!("Option \"[{report}]\" can't be used with option \"[{action}]\""),
                1,
            ));
        }
    }
    None
}

type Failure = (&'static str, String);

fn sim_failure(e: SimError) -> Failure {
    let class = match &e {
        SimError::InvalidConfig(m) if m.starts_with("Invalid value") => {
            "org.apache.kafka.common.config.ConfigException"
        }
        other => other.exception_class(),
    };
    (class, e.message().to_string())
}

fn illegal(message: String) -> Failure {
    ("java.lang.IllegalArgumentException", message)
}

/// `String.split("\\s*=\\s*")`: pieces around `=` (blanks around it dropped), trailing empty
/// pieces removed.
fn split_config(text: &str) -> Vec<String> {
    let mut pieces: Vec<String> = text
        .split('=')
        .enumerate()
        .map(|(i, piece)| {
            let piece = if i > 0 {
                piece.trim_start_matches(char::is_whitespace)
            } else {
                piece
            };
            piece.trim_end_matches(char::is_whitespace).to_string()
        })
        .collect();
    while pieces.last().is_some_and(String::is_empty) {
        pieces.pop();
    }
    pieces
}

fn create(world: &mut World, opts: &Options, io: &mut Io) -> Result<(), Failure> {
    let name = opts.value("topic").unwrap_or_default().to_string();
    let partitions = opts
        .int("partitions")
        .map_err(|m| ("joptsimple.OptionArgumentConversionException", m))?;
    let replication_factor = opts
        .int("replication-factor")
        .map_err(|m| ("joptsimple.OptionArgumentConversionException", m))?;
    let mut configs = Vec::new();
    for raw in opts.values("config") {
        let pieces = split_config(raw);
        if pieces.len() != 2 {
            return Err(illegal(
                "requirement failed: Invalid topic config: all configs to be added must be in the format \"key=val\".".to_string(),
            ));
        }
        configs.push((pieces[0].trim().to_string(), pieces[1].trim().to_string()));
    }
    let pairs: Vec<(&str, &str)> = configs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    TopicConfig::from_pairs(&pairs).map_err(sim_failure)?;
    if let Some(warning) = validate::collision_warning(&name) {
        io.out.push_str(warning);
        io.out.push('\n');
    }
    validate::check_topic_command_counts(
        partitions.map(i64::from),
        replication_factor.map(i64::from),
    )
    .map_err(|e| illegal(e.message().to_string()))?;
    let existing: Vec<String> = world.topics().map(|t| t.name.to_string()).collect();
    let checked = validate::validate_new_topic_name(&name, existing.iter().map(String::as_str));
    let result = checked.and_then(|()| {
        world.apply(Command::CreateTopic {
            name: name.clone(),
            partitions: partitions.and_then(|p| u32::try_from(p).ok()),
            replication_factor: replication_factor.and_then(|r| u32::try_from(r).ok()),
            configs,
        })
    });
    match result {
        Ok(_) => {
            let _ = writeln!(io.out, "Created topic {name}.");
            Ok(())
        }
        Err(SimError::TopicExists(_)) if opts.has("if-not-exists") => Ok(()),
        Err(e) => Err(sim_failure(e)),
    }
}

/// The topics `--topic` selects (all when absent), sorted, as `TopicService.getTopics`.
fn selected<'w>(world: &'w World, opts: &Options) -> Vec<&'w Topic> {
    let exclude_internal = opts.has("exclude-internal");
    let pattern = opts.value("topic").map(include_list);
    world
        .topics()
        .filter(|t| !(exclude_internal && validate::is_internal_topic(&t.name)))
        .filter(|t| pattern.as_ref().is_none_or(|p| pattern_matches(p, &t.name)))
        .collect()
}

/// `ensureTopicExists`.
fn ensure_exists(found: usize, opts: &Options) -> Result<(), Failure> {
    if let Some(topic) = opts.value("topic")
        && !topic.is_empty()
        && !opts.has("if-exists")
        && found == 0
    {
        return Err(illegal(format!(
            "Topic '{topic}' does not exist as expected"
        )));
    }
    Ok(())
}

fn list(world: &World, opts: &Options, io: &mut Io) -> Result<(), Failure> {
    let names: Vec<String> = selected(world, opts)
        .iter()
        .map(|t| t.name.to_string())
        .collect();
    io.out.push_str(&names.join("\n"));
    io.out.push('\n');
    Ok(())
}

/// The non-default configs `--describe` prints, `k=v` joined by commas.
pub fn describe_configs(topic: &Topic) -> String {
    let mut entries: Vec<(String, String)> = topic
        .overrides
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !topic.overrides.contains_key("segment.bytes") {
        entries.push((
            "segment.bytes".to_string(),
            STATIC_SEGMENT_BYTES.to_string(),
        ));
    }
    crate::sim::sort::sort(&mut entries);
    entries
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn join_ids(ids: impl Iterator<Item = u32>) -> String {
    ids.map(|id| id.to_string()).collect::<Vec<_>>().join(",")
}

fn describe(world: &World, opts: &Options, io: &mut Io) -> Result<(), Failure> {
    let topics = selected(world, opts);
    ensure_exists(topics.len(), opts)?;
    let live = world.live_brokers();
    let reports = [
        "under-replicated-partitions",
        "unavailable-partitions",
        "under-min-isr-partitions",
        "at-min-isr-partitions",
    ];
    let describe_configs_line = reports.iter().all(|r| !opts.has(r));
    let overrides_only = opts.has("topics-with-overrides");
    for topic in topics {
        if describe_configs_line {
            let configs = describe_configs(topic);
            if !overrides_only || !configs.is_empty() {
                let _ = writeln!(
                    io.out,
                    "Topic: {}\tTopicId: {}\tPartitionCount: {}\tReplicationFactor: {}\tConfigs: {}",
                    topic.name,
                    topic.topic_id,
                    topic.partition_count(),
                    topic.replication_factor(),
                    configs
                );
            }
        }
        if overrides_only {
            continue;
        }
        let min_isr = topic.config.min_insync_replicas as usize;
        for p in &topic.partitions {
            let isr = p.isr.len();
            let show = describe_configs_line
                || (opts.has("under-replicated-partitions") && p.is_under_replicated())
                || (opts.has("unavailable-partitions")
                    && p.leader.is_none_or(|l| !live.contains(&l)))
                || (opts.has("under-min-isr-partitions") && (p.leader.is_none() || isr < min_isr))
                || (opts.has("at-min-isr-partitions") && isr == min_isr);
            if !show {
                continue;
            }
            let leader = p
                .leader
                .map_or_else(|| "none".to_string(), |l| l.to_string());
            // `PartitionDescription.printDescription`: the reassignment's columns sit between
            // the ISR and the ELR while one is in progress.
            let reassignment = if p.is_reassigning() {
                format!(
                    "\tAdding Replicas: {}\tRemoving Replicas: {}",
                    join_ids(p.adding_replicas.iter().copied()),
                    join_ids(p.removing_replicas.iter().copied())
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                io.out,
                "\tTopic: {}\tPartition: {}\tLeader: {}\tReplicas: {}\tIsr: {}{reassignment}\tElr: \tLastKnownElr: ",
                topic.name,
                p.id,
                leader,
                join_ids(p.replicas.iter().map(|r| r.broker)),
                join_ids(p.isr.iter().copied()),
            );
        }
    }
    Ok(())
}

fn alter(world: &mut World, opts: &Options) -> Result<(), Failure> {
    let partitions = opts
        .int("partitions")
        .map_err(|m| ("joptsimple.OptionArgumentConversionException", m))?
        .unwrap_or(0);
    let names: Vec<String> = selected(world, opts)
        .iter()
        .map(|t| t.name.to_string())
        .collect();
    ensure_exists(names.len(), opts)?;
    for name in names {
        let total = u32::try_from(partitions).unwrap_or(0);
        let result = if partitions < 1 {
            let current = world.topic(&name).map_or(0, Topic::partition_count);
            validate::validate_partition_increase(&name, current, i64::from(partitions)).map(|_| ())
        } else {
            world
                .apply(Command::IncreasePartitions {
                    name: name.clone(),
                    partitions: total,
                })
                .map(|_| ())
        };
        result.map_err(sim_failure)?;
    }
    Ok(())
}

fn delete(world: &mut World, opts: &Options) -> Result<(), Failure> {
    let names: Vec<String> = selected(world, opts)
        .iter()
        .map(|t| t.name.to_string())
        .collect();
    ensure_exists(names.len(), opts)?;
    for name in names {
        world
            .apply(Command::DeleteTopic { name })
            .map_err(sim_failure)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Topic patterns (`IncludeList`)

/// `TopicFilter.IncludeList`'s normalisation: `,` means `|`, spaces and surrounding quotes go.
pub fn include_list(raw: &str) -> String {
    raw.trim()
        .replace(',', "|")
        .replace(' ', "")
        .trim_start_matches(['"', '\''])
        .trim_end_matches(['"', '\''])
        .to_string()
}

#[derive(Clone, Debug)]
enum Atom {
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Repeat {
    One,
    ZeroOrMore,
    OneOrMore,
    ZeroOrOne,
}

fn compile(branch: &str) -> Vec<(Atom, Repeat)> {
    let chars: Vec<char> = branch.chars().collect();
    let mut atoms = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        let atom = match c {
            '.' => Atom::Any,
            '\\' => {
                let escaped = chars.get(i).copied().unwrap_or('\\');
                i += 1;
                Atom::Char(escaped)
            }
            '[' => {
                let negated = chars.get(i) == Some(&'^');
                if negated {
                    i += 1;
                }
                let mut ranges = Vec::new();
                while let Some(&c) = chars.get(i) {
                    i += 1;
                    if c == ']' && !ranges.is_empty() {
                        break;
                    }
                    if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|n| *n != ']') {
                        let hi = chars.get(i + 1).copied().unwrap_or(c);
                        ranges.push((c, hi));
                        i += 2;
                    } else {
                        ranges.push((c, c));
                    }
                }
                Atom::Class(ranges, negated)
            }
            '(' | ')' | '^' | '$' => continue,
            other => Atom::Char(other),
        };
        let repeat = match chars.get(i) {
            Some('*') => Repeat::ZeroOrMore,
            Some('+') => Repeat::OneOrMore,
            Some('?') => Repeat::ZeroOrOne,
            _ => Repeat::One,
        };
        if repeat != Repeat::One {
            i += 1;
        }
        atoms.push((atom, repeat));
    }
    atoms
}

fn atom_matches(atom: &Atom, c: char) -> bool {
    match atom {
        Atom::Char(x) => *x == c,
        Atom::Any => true,
        Atom::Class(ranges, negated) => {
            ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)) != *negated
        }
    }
}

fn match_here(atoms: &[(Atom, Repeat)], text: &[char], budget: &mut u32) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    let Some(((atom, repeat), rest)) = atoms.split_first() else {
        return text.is_empty();
    };
    match repeat {
        Repeat::One => text
            .first()
            .is_some_and(|c| atom_matches(atom, *c) && match_here(rest, &text[1..], budget)),
        Repeat::ZeroOrOne => {
            (text.first().is_some_and(|c| atom_matches(atom, *c))
                && match_here(rest, &text[1..], budget))
                || match_here(rest, text, budget)
        }
        Repeat::ZeroOrMore | Repeat::OneOrMore => {
            let min = usize::from(*repeat == Repeat::OneOrMore);
            let mut count = 0;
            while count < text.len() && atom_matches(atom, text[count]) {
                count += 1;
            }
            (min..=count)
                .rev()
                .any(|n| match_here(rest, &text[n..], budget))
        }
    }
}

/// Whether `name` matches the whole pattern (Java's `Matcher.matches`), for the subset of
/// regular expressions described in the module doc.
pub fn pattern_matches(pattern: &str, name: &str) -> bool {
    let text: Vec<char> = name.chars().collect();
    let mut budget = 100_000u32;
    pattern
        .split('|')
        .any(|branch| match_here(&compile(branch), &text, &mut budget))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(pattern_matches("test-topic", "test-topic"));
        assert!(!pattern_matches("test", "test-topic"));
        assert!(pattern_matches("test.*", "test-topic"));
        assert!(pattern_matches("a|test-.+", "test-x"));
        assert!(pattern_matches("t[a-c]?p", "tbp"));
        assert!(pattern_matches(&include_list("'a, b'"), "b"));
        assert!(!pattern_matches("(a*)*b", &"a".repeat(60)));
    }

    #[test]
    fn config_splitting_is_javas() {
        assert_eq!(split_config("a = b"), vec!["a", "b"]);
        assert_eq!(split_config("a="), vec!["a"]);
        assert_eq!(split_config("a=b=c").len(), 3);
        assert_eq!(split_config("=b"), vec!["", "b"]);
    }
}
