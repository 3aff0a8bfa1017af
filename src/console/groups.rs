//! `kafka-consumer-groups.sh`: list, describe (offsets, members, state), reset offsets and
//! delete consumer groups.
//!
//! Formats, from Kafka 4.1's `tools/.../consumer/group/ConsumerGroupCommand.java`,
//! `ConsumerGroupCommandOptions.java` and `OffsetsUtils.printOffsetsToReset`:
//! - `--list`: one group id per line; with `--state`/`--type` a table, `GROUP` padded to the
//!   longest id (at least 15) plus 10, then ` %-20s` columns; a group's TYPE is `Classic`, or
//!   `Consumer` when its members use `group.protocol=consumer` (then its ASSIGNMENT-STRATEGY is
//!   the coordinator's `uniform`, its rebalancing state `Reconciling`, and `--members
//!   --verbose` shows member and target epochs);
//! - `--describe` (offsets): each line starts with a newline (`printf("\n%-Gs %-Ts %-10s %-15s
//!   %-15s %-15s %-Cs %-Hs %s")`), columns GROUP, TOPIC, PARTITION, CURRENT-OFFSET,
//!   LOG-END-OFFSET, LAG, CONSUMER-ID, HOST, CLIENT-ID, widths the longest value (at least
//!   15), then a final newline; members with the most partitions first, partitions in
//!   topic/partition order, then committed partitions nobody owns with `-` for the member;
//! - `--describe --members`: GROUP, CONSUMER-ID, HOST, CLIENT-ID, #PARTITIONS (`%-15s ` with
//!   its trailing blank), `--verbose` adding CURRENT-EPOCH, CURRENT-ASSIGNMENT (`t:0,1;u:2`),
//!   TARGET-EPOCH, TARGET-ASSIGNMENT;
//! - `--describe --state`: GROUP, COORDINATOR (ID) (`host:port  (id)`), ASSIGNMENT-STRATEGY,
//!   STATE, #MEMBERS;
//! - state notes: `\nConsumer group 'g' has no active members.` and `\nWarning: Consumer group
//!   'g' is rebalancing.` (stderr), `\nError: Consumer group 'g' does not exist.` (stdout);
//! - `--reset-offsets`: `\n%-Gs %-Ts %-10s %s` rows GROUP TOPIC PARTITION NEW-OFFSET, the
//!   missing-`--execute` WARN on stderr, `\nError: Assignments can only be reset if the group
//!   'g' is inactive, but the current state is Stable.`; an offset outside the log set to its
//!   end or start with `OffsetsUtils.checkOffsetsRange`'s WARN (`New offset (N) is higher than
//!   latest offset for topic partition t-0. Value will be set to E.`), `--shift-by` refused
//!   for a partition with no committed offset (`resetByShiftBy`);
//! - `--delete`: `Deletion of requested consumer groups ('g') was successful.` or
//!   `\nError: Deletion of some consumer groups failed:` and `* Group 'g' could not be deleted
//!   due to: CLASS: MESSAGE`;
//! - no broker at `--bootstrap-server`: every Admin call gets `--timeout` (5000 ms by default,
//!   `withTimeoutMs`); the client logs its refused connections meanwhile (`network.rs`), then
//!   the first call fails with `Timed out waiting for a node assignment. Call: findAllBrokers`
//!   (listing) or `describeGroups(api=FIND_COORDINATOR)` / `deleteConsumerGroups(…)` (the
//!   coordinator lookup), printed as `run`'s `printError` or `deleteGroups` print it;
//! - argument errors with the usage header (`CommandLineUtils.printUsageAndExit`), and
//!   jopt-simple parse errors as the uncaught exception `main` lets through.
//!
//! Simplified versus Kafka: every client's host is `/127.0.0.1`; `--to-current`,
//! `--to-datetime`, `--by-duration`, `--from-file`, `--export`, `--delete-offsets` and
//! `topic:partitions` scopes are refused with a note; groups are listed in name order.

use crate::console::args::{self, OptSpec, Options, flag, opt, opt_optional};
use crate::console::format::{USAGE_HEADER, broker_address, log_line, pad};
use crate::console::{Console, Io, Output, network};
use crate::sim::World;
use crate::sim::client::GroupProtocol;
use crate::sim::command::{Command, OffsetTarget};
use crate::sim::group::{Group, GroupState};
use crate::sim::validate::GROUP_METADATA_TOPIC_NAME;
use std::fmt::Write as _;

/// The options `kafka-consumer-groups.sh` accepts.
pub const OPTIONS: &[OptSpec] = &[
    flag("all-groups"),
    flag("all-topics"),
    opt("bootstrap-server"),
    opt("by-duration"),
    opt("command-config"),
    flag("delete"),
    flag("delete-offsets"),
    flag("describe"),
    flag("dry-run"),
    flag("execute"),
    flag("export"),
    opt("from-file"),
    opt("group"),
    flag("help"),
    flag("list"),
    flag("members"),
    flag("offsets"),
    flag("reset-offsets"),
    opt("shift-by"),
    opt_optional("state"),
    opt("timeout"),
    flag("to-current"),
    opt("to-datetime"),
    flag("to-earliest"),
    flag("to-latest"),
    opt("to-offset"),
    opt("topic"),
    opt_optional("type"),
    flag("verbose"),
    flag("version"),
];

/// A topic, partition and the offset a reset moves it to.
type NewOffset = (String, u32, u64);

const MISSING: &str = "-";
/// The logger of the reset's range warnings (`OffsetsUtils.LOGGER`).
const OFFSETS_UTILS_LOGGER: &str = "org.apache.kafka.tools.OffsetsUtils";
/// `--timeout` when not given (`ConsumerGroupCommandOptions.timeoutMsOpt`).
const TIMEOUT_MS_DEFAULT: u64 = 5_000;
const HOST: &str = "/127.0.0.1";

fn usage(io: &mut Io, message: &str) -> i32 {
    io.err.push_str(message);
    io.err.push('\n');
    io.err.push_str(USAGE_HEADER);
    1
}

/// Runs `kafka-consumer-groups.sh ARGS`; returns the exit status.
pub fn run(
    console: &mut Console,
    world: &mut World,
    argv: &[String],
    io: &mut Io,
    out: &mut Output,
) -> i32 {
    let Some(opts) = args::parse_or_uncaught(OPTIONS, argv, &mut io.err) else {
        return 1;
    };
    if argv.is_empty() || opts.has("help") {
        usage(
            io,
            "This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.",
        );
        return i32::from(argv.is_empty());
    }
    if opts.has("version") {
        let _ = writeln!(io.out, "{}", crate::console::KAFKA_VERSION);
        return 0;
    }
    if let Some(code) = check_args(&opts, io) {
        return code;
    }
    let actions = [
        "list",
        "describe",
        "delete",
        "reset-offsets",
        "delete-offsets",
    ];
    if opts.count(&actions) != 1 {
        return usage(
            io,
            "Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets",
        );
    }
    for unsupported in [
        "to-current",
        "to-datetime",
        "by-duration",
        "from-file",
        "export",
        "delete-offsets",
        "command-config",
    ] {
        if opts.has(unsupported) {
            let _ = writeln!(
                io.err,
                "eda-playground: --{unsupported} is not simulated yet."
            );
            return 1;
        }
    }
    // No broker answers: every Admin call of the command times out after `--timeout`.
    if let Some(refused) =
        network::unreachable(world, opts.value("bootstrap-server").unwrap_or_default())
    {
        let timeout_ms = match timeout_ms(&opts) {
            Ok(ms) => ms,
            Err(message) => return usage(io, &message),
        };
        network::wait_until_timeout(
            console,
            world,
            "AdminClient clientId=adminclient-1",
            &refused,
            timeout_ms,
            io,
            out,
        );
        no_broker(world, &opts, io);
        // `run` catches what was thrown and returns normally: the tool exits with 0.
        return 0;
    }
    if opts.has("list") {
        list(world, &opts, io)
    } else if opts.has("describe") {
        describe(world, &opts, io);
        0
    } else if opts.has("delete") {
        delete(world, &opts, io)
    } else {
        reset(world, &opts, io)
    }
}

/// `--timeout`: the `timeoutMs` every Admin call of the command gets (`withTimeoutMs`;
/// `ConsumerGroupCommandOptions.timeoutMsOpt` defaults to 5000 ms).
fn timeout_ms(opts: &Options) -> Result<u64, String> {
    match opts.value("timeout") {
        None => Ok(TIMEOUT_MS_DEFAULT),
        Some(text) => args::java_parse_long(text)
            .map(|n| u64::try_from(n).unwrap_or(0))
            .ok_or_else(|| format!("Cannot parse argument '{text}' of option timeout")),
    }
}

/// What the command prints once its first Admin call has timed out with no broker to answer
/// (`KafkaAdminClient`: `Timed out waiting for a node assignment. Call: NAME`). Listing groups
/// (`--list`, and `--all-groups` for the other actions) fails in `findAllBrokers`; describing,
/// resetting and deleting named groups fail in the coordinator lookup their `AdminApiDriver`
/// starts with (`describeGroups(api=FIND_COORDINATOR)`, `deleteConsumerGroups(…)`).
fn no_broker(world: &World, opts: &Options, io: &mut Io) {
    let timeout = |call: &str| {
        format!(
            "org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: {call}"
        )
    };
    let execution =
        |call: &str| format!("java.util.concurrent.ExecutionException: {}", timeout(call));
    let runtime = |call: &str| format!("java.lang.RuntimeException: {}", execution(call));
    // `printError("Executing consumer group command failed due to " + e.getMessage(), e)`: the
    // message on stdout, the trace on stderr.
    let mut fail = |message: String, trace: String| {
        let _ = writeln!(
            io.out,
            "\nError: Executing consumer group command failed due to {message}"
        );
        let _ = writeln!(io.err, "{trace}");
    };
    let list_call = "findAllBrokers";
    let lookup = |api: &str| format!("{api}(api=FIND_COORDINATOR)");
    if opts.has("list") && (opts.has("state") || opts.has("type")) {
        // `listConsumerGroupsWithFilters` lets the `ExecutionException` through.
        fail(timeout(list_call), execution(list_call));
    } else if opts.has("list") || opts.has("all-groups") {
        // `listGroups` wraps it in a `RuntimeException`.
        fail(execution(list_call), runtime(list_call));
    } else if opts.has("describe") {
        // `describeConsumerGroups` lets the `ExecutionException` of its future through.
        let call = lookup("describeGroups");
        fail(timeout(&call), execution(&call));
    } else if opts.has("reset-offsets") {
        // `resetOffsets` wraps a failure other than `GroupIdNotFoundException`.
        let call = lookup("describeGroups");
        fail(execution(&call), runtime(&call));
    } else if opts.has("delete") {
        // `deleteGroups` reports each group's failure (the future's cause).
        io.out
            .push_str("\nError: Deletion of some consumer groups failed:\n");
        for id in group_ids(world, opts) {
            let _ = writeln!(
                io.out,
                "* Group '{id}' could not be deleted due to: {}",
                timeout(&lookup("deleteConsumerGroups"))
            );
        }
    }
}

/// `ConsumerGroupCommandOptions.checkArgs`, in Kafka's order.
fn check_args(opts: &Options, io: &mut Io) -> Option<i32> {
    if !opts.has("bootstrap-server") {
        return Some(usage(
            io,
            "Missing required argument \"[bootstrap-server]\"",
        ));
    }
    let has_scope = opts.has("group") || opts.has("all-groups");
    if opts.has("describe") {
        if !has_scope {
            return Some(usage(
                io,
                "Option [describe] takes one of these options: [all-groups], [group]",
            ));
        }
        if opts.count(&["members", "offsets", "state"]) > 1 {
            return Some(usage(
                io,
                "Option [describe] takes at most one of these options: [members], [offsets], [state]",
            ));
        }
        if opts.value("state").is_some() {
            return Some(usage(
                io,
                "Option [describe] does not take a value for [state]",
            ));
        }
    }
    if opts.has("delete") {
        if !has_scope {
            return Some(usage(
                io,
                "Option [delete] takes one of these options: [all-groups], [group]",
            ));
        }
        if opts.has("topic") {
            return Some(usage(
                io,
                "The consumer does not support topic-specific offset deletion from a consumer group.",
            ));
        }
    }
    if opts.has("delete-offsets") && (!opts.has("group") || !opts.has("topic")) {
        return Some(usage(
            io,
            "Option [delete-offsets] takes the following options: [group], [topic]",
        ));
    }
    if opts.has("reset-offsets") {
        if opts.has("dry-run") && opts.has("execute") {
            return Some(usage(
                io,
                "Option [reset-offsets] only accepts one of [execute] and [dry-run]",
            ));
        }
        if !opts.has("dry-run") && !opts.has("execute") {
            io.err.push_str("WARN: No action will be performed as the --execute option is missing.In a future major release, the default behavior of this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.\n");
        }
        if !has_scope {
            return Some(usage(
                io,
                "Option [reset-offsets] takes one of these options: [all-groups], [group]",
            ));
        }
        let scenarios = [
            "to-offset",
            "to-datetime",
            "by-duration",
            "to-earliest",
            "to-latest",
            "to-current",
            "shift-by",
            "from-file",
        ];
        for used in scenarios {
            if !opts.has(used) {
                continue;
            }
            if let Some(other) = scenarios.iter().find(|s| **s != used && opts.has(s)) {
                return Some(usage(
                    io,
                    &format!("Option \"[{used}]\" can't be used with option \"[{other}]\""),
                ));
            }
        }
    }
    if opts.has("group") && opts.has("all-groups") {
        return Some(usage(
            io,
            "Option \"[group]\" can't be used with option \"[all-groups]\"",
        ));
    }
    if opts.has("group") && opts.has("list") {
        return Some(usage(
            io,
            "Option \"[group]\" can't be used with option \"[list]\"",
        ));
    }
    for action in ["list", "describe"] {
        if opts.has("topic") && opts.has(action) {
            return Some(usage(
                io,
                &format!("Option \"[topic]\" can't be used with option \"[{action}]\""),
            ));
        }
    }
    None
}

/// The groups the command names: `--all-groups` or each `--group`.
fn group_ids(world: &World, opts: &Options) -> Vec<String> {
    let mut ids: Vec<String> = if opts.has("all-groups") {
        world.groups().map(|g| g.id.to_string()).collect()
    } else {
        opts.values("group").iter().map(|g| g.to_string()).collect()
    };
    crate::sim::sort::sort(&mut ids);
    ids.dedup();
    ids
}

fn list(world: &World, opts: &Options, io: &mut Io) -> i32 {
    let mut groups: Vec<&Group> = world
        .groups()
        .filter(|g| g.state != GroupState::Dead)
        .collect();
    crate::sim::sort::sort_by(&mut groups, |a, b| a.id.cmp(&b.id));
    let include_state = opts.has("state");
    let include_type = opts.has("type");
    if !include_state && !include_type {
        for g in groups {
            io.out.push_str(&g.id);
            io.out.push('\n');
        }
        return 0;
    }
    if let Some(filter) = opts.value("state").filter(|s| !s.is_empty()) {
        let wanted: Vec<String> = filter
            .split(',')
            .map(|s| s.trim().to_ascii_lowercase())
            .collect();
        let valid = [
            "preparingrebalance",
            "completingrebalance",
            "stable",
            "dead",
            "empty",
            "assigning",
            "reconciling",
        ];
        if wanted.iter().any(|w| !valid.contains(&w.as_str())) {
            return usage(
                io,
                &format!(
                    "Invalid state list '{filter}'. Valid states are: PreparingRebalance, CompletingRebalance, Stable, Dead, Empty, Assigning, Reconciling"
                ),
            );
        }
        groups.retain(|g| wanted.contains(&state_name(g).to_ascii_lowercase()));
    }
    if let Some(filter) = opts.value("type").filter(|s| !s.is_empty()) {
        let wanted: Vec<String> = filter
            .split(',')
            .map(|s| s.trim().to_ascii_lowercase())
            .collect();
        if wanted.iter().any(|w| w != "classic" && w != "consumer") {
            return usage(
                io,
                &format!("Invalid types list '{filter}'. Valid types are: Classic, Consumer"),
            );
        }
        groups.retain(|g| wanted.contains(&g.group_type.type_name().to_ascii_lowercase()));
    }
    let width = groups
        .iter()
        .map(|g| g.id.chars().count().max(15))
        .max()
        .unwrap_or(15)
        + 10;
    let mut header = pad("GROUP", width);
    if include_type {
        let _ = write!(header, " {}", pad("TYPE", 20));
    }
    if include_state {
        let _ = write!(header, " {}", pad("STATE", 20));
    }
    io.out.push_str(&header);
    io.out.push('\n');
    for g in groups {
        let mut line = pad(&g.id, width);
        if include_type {
            let _ = write!(line, " {}", pad(g.group_type.type_name(), 20));
        }
        if include_state {
            let _ = write!(line, " {}", pad(state_name(g), 20));
        }
        io.out.push_str(&line);
        io.out.push('\n');
    }
    0
}

/// A group's state as Kafka names it. A consumer-protocol group has no JoinGroup/SyncGroup
/// rounds: while the engine rebalances it, its members are reconciling with their new target
/// assignment (`ConsumerGroup.ConsumerGroupState.RECONCILING`).
fn state_name(group: &Group) -> &'static str {
    match (group.group_type, group.state) {
        (
            GroupProtocol::Consumer,
            GroupState::PreparingRebalance | GroupState::CompletingRebalance,
        ) => "Reconciling",
        (_, state) => state.name(),
    }
}

/// `shouldPrintMemberState`: the notes for a group's state; whether to print its table.
fn state_note(id: &str, group: Option<&Group>, rows: usize, io: &mut Io) -> bool {
    match group.map(|g| g.state) {
        None | Some(GroupState::Dead) => {
            let _ = writeln!(io.out, "\nError: Consumer group '{id}' does not exist.");
            false
        }
        Some(GroupState::Empty) => {
            let _ = writeln!(io.err, "\nConsumer group '{id}' has no active members.");
            rows > 0
        }
        Some(GroupState::PreparingRebalance | GroupState::CompletingRebalance) => {
            let _ = writeln!(io.err, "\nWarning: Consumer group '{id}' is rebalancing.");
            rows > 0
        }
        Some(GroupState::Stable) => rows > 0,
    }
}

/// One row of the offsets table.
struct OffsetRow {
    topic: String,
    partition: u32,
    current: Option<u64>,
    log_end: Option<u64>,
    consumer_id: String,
    host: String,
    client_id: String,
}

fn offset_rows(world: &World, group: &Group) -> Vec<OffsetRow> {
    let mut rows = Vec::new();
    let end_of = |topic: &str, partition: u32| {
        world
            .topic(topic)
            .and_then(|t| t.partitions.get(partition as usize))
            .filter(|p| p.leader.is_some())
            .map(|p| p.high_watermark)
    };
    let mut members: Vec<_> = group
        .members
        .values()
        .filter(|m| !m.assignment.is_empty())
        .collect();
    crate::sim::sort::sort_by_key(&mut members, |m| std::cmp::Reverse(m.assignment.len()));
    let mut assigned = Vec::new();
    for member in members {
        let mut parts = member.assignment.clone();
        crate::sim::sort::sort(&mut parts);
        for (topic, partition) in parts {
            rows.push(OffsetRow {
                topic: topic.to_string(),
                partition,
                current: group
                    .committed
                    .get(&(topic.clone(), partition))
                    .map(|c| c.offset),
                log_end: end_of(&topic, partition),
                consumer_id: member.member_id.to_string(),
                host: HOST.to_string(),
                client_id: member.client_id.clone(),
            });
            assigned.push((topic, partition));
        }
    }
    for ((topic, partition), committed) in &group.committed {
        if assigned.contains(&(topic.clone(), *partition)) {
            continue;
        }
        rows.push(OffsetRow {
            topic: topic.to_string(),
            partition: *partition,
            current: Some(committed.offset),
            log_end: end_of(topic, *partition),
            consumer_id: MISSING.to_string(),
            host: MISSING.to_string(),
            client_id: MISSING.to_string(),
        });
    }
    rows
}

fn or_missing(value: Option<u64>) -> String {
    value.map_or_else(|| MISSING.to_string(), |v| v.to_string())
}

fn describe(world: &World, opts: &Options, io: &mut Io) {
    for id in group_ids(world, opts) {
        let group = world.group(&id);
        if opts.has("members") {
            describe_members(world, &id, group, opts.has("verbose"), io);
        } else if opts.has("state") {
            describe_state(world, &id, group, io);
        } else {
            describe_offsets(world, &id, group, opts.has("verbose"), io);
        }
    }
}

fn describe_offsets(world: &World, id: &str, group: Option<&Group>, verbose: bool, io: &mut Io) {
    let rows = group.map(|g| offset_rows(world, g)).unwrap_or_default();
    if !state_note(id, group, rows.len(), io) {
        return;
    }
    let width =
        |f: &dyn Fn(&OffsetRow) -> usize, min: usize| rows.iter().map(f).fold(min, usize::max);
    let group_w = id.chars().count().max(15);
    let topic_w = width(&|r| r.topic.chars().count(), 15);
    let consumer_w = width(&|r| r.consumer_id.chars().count(), 15);
    let host_w = width(&|r| r.host.chars().count(), 15);
    let line = |cells: [&str; 10]| {
        let mut text = format!(
            "\n{} {} {} ",
            pad(cells[0], group_w),
            pad(cells[1], topic_w),
            pad(cells[2], 10)
        );
        if verbose {
            text.push_str(&pad(cells[3], 15));
            text.push(' ');
        }
        let _ = write!(
            text,
            "{} {} {} {} {} {}",
            pad(cells[4], 15),
            pad(cells[5], 15),
            pad(cells[6], 15),
            pad(cells[7], consumer_w),
            pad(cells[8], host_w),
            cells[9]
        );
        text
    };
    io.out.push_str(&line([
        "GROUP",
        "TOPIC",
        "PARTITION",
        "LEADER-EPOCH",
        "CURRENT-OFFSET",
        "LOG-END-OFFSET",
        "LAG",
        "CONSUMER-ID",
        "HOST",
        "CLIENT-ID",
    ]));
    for row in &rows {
        let lag = match (row.current, row.log_end) {
            (Some(c), Some(e)) => Some(e.saturating_sub(c)),
            _ => None,
        };
        let partition = row.partition.to_string();
        let current = or_missing(row.current);
        let end = or_missing(row.log_end);
        let lag = or_missing(lag);
        io.out.push_str(&line([
            id,
            &row.topic,
            &partition,
            MISSING,
            &current,
            &end,
            &lag,
            &row.consumer_id,
            &row.host,
            &row.client_id,
        ]));
    }
    io.out.push('\n');
}

/// `getAssignmentString`: `topic:0,1;other:2`, topics sorted.
fn assignment_string(assignment: &[(crate::sim::trace::Name, u32)]) -> String {
    let mut by_topic: crate::sim::vecmap::VecMap<String, Vec<u32>> = Default::default();
    for (topic, partition) in assignment {
        by_topic
            .entry(topic.to_string())
            .or_default()
            .push(*partition);
    }
    by_topic
        .into_iter()
        .map(|(topic, mut parts)| {
            crate::sim::sort::sort(&mut parts);
            let list: Vec<String> = parts.iter().map(u32::to_string).collect();
            format!("{topic}:{}", list.join(","))
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn describe_members(_world: &World, id: &str, group: Option<&Group>, verbose: bool, io: &mut Io) {
    let mut members: Vec<_> = group
        .map(|g| g.members.values().collect())
        .unwrap_or_default();
    // `printMembers` prints its header even when `shouldPrintMemberState` says there is nothing
    // to show (an empty or missing group), with the columns at their least widths.
    let shown = state_note(id, group, members.len(), io);
    if !shown {
        members.clear();
    }
    let group_w = if shown {
        id.chars().count().max(15)
    } else {
        15
    };
    let consumer_w = members
        .iter()
        .map(|m| m.member_id.chars().count())
        .fold(15, usize::max);
    let host_w = HOST.len().max(15);
    let client_w = members
        .iter()
        .map(|m| m.client_id.chars().count())
        .fold(15, usize::max);
    let assignments: Vec<String> = members
        .iter()
        .map(|m| {
            if m.assignment.is_empty() {
                MISSING.to_string()
            } else {
                assignment_string(&m.assignment)
            }
        })
        .collect();
    let current_w = assignments
        .iter()
        .map(|a| a.chars().count())
        .fold(20, usize::max);
    let target_w = if group.is_some_and(|g| g.group_type == GroupProtocol::Consumer) {
        current_w
    } else {
        20
    };
    let base = |cells: [&str; 5]| {
        format!(
            "{} {} {} {} {} ",
            pad(cells[0], group_w),
            pad(cells[1], consumer_w),
            pad(cells[2], host_w),
            pad(cells[3], client_w),
            pad(cells[4], 15)
        )
    };
    io.out.push('\n');
    io.out.push_str(&base([
        "GROUP",
        "CONSUMER-ID",
        "HOST",
        "CLIENT-ID",
        "#PARTITIONS",
    ]));
    if verbose {
        let _ = write!(
            io.out,
            "{} {} {} {}",
            pad("CURRENT-EPOCH", 15),
            pad("CURRENT-ASSIGNMENT", current_w),
            pad("TARGET-EPOCH", 15),
            pad("TARGET-ASSIGNMENT", target_w)
        );
    }
    io.out.push('\n');
    for (member, assignment) in members.iter().zip(&assignments) {
        let count = member.assignment.len().to_string();
        io.out.push_str(&base([
            id,
            &member.member_id,
            HOST,
            &member.client_id,
            &count,
        ]));
        if verbose {
            // A classic group has no epochs nor target assignment; a consumer-protocol member's
            // epoch is the group's (the engine completes each rebalance for every member, so
            // the target is what it owns).
            let (epoch, target) = match group.map(|g| (g.group_type, g.generation)) {
                Some((GroupProtocol::Consumer, generation)) => {
                    (generation.to_string(), assignment.as_str())
                }
                _ => (MISSING.to_string(), MISSING),
            };
            let _ = write!(
                io.out,
                "{} {} {} {}",
                pad(&epoch, 15),
                pad(assignment, current_w),
                pad(&epoch, 15),
                pad(target, target_w)
            );
        }
        io.out.push('\n');
    }
}

fn coordinator_of(world: &World, id: &str) -> u32 {
    let partition = world.coordinator_partition(id);
    world
        .topic(GROUP_METADATA_TOPIC_NAME)
        .and_then(|t| t.partitions.get(partition as usize))
        .and_then(|p| p.leader)
        .or_else(|| world.live_brokers().first().copied())
        .unwrap_or(1)
}

fn describe_state(world: &World, id: &str, group: Option<&Group>, io: &mut Io) {
    if !state_note(id, group, 1, io) {
        return;
    }
    let Some(group) = group else { return };
    let node = coordinator_of(world, id);
    let coordinator = format!("{}  ({node})", broker_address(node));
    // A Kafka Streams application's members (classic protocol) all name Streams' own assignor,
    // `StreamsPartitionAssignor`, whose protocol name is `stream`.
    let streams = world.streams_app_id(id).is_some();
    // A consumer-protocol group names the coordinator's assignor (`group.consumer.assignors`,
    // whose first, `uniform`, is the default).
    let strategy = group
        .protocol
        .filter(|_| !group.members.is_empty())
        .map_or(MISSING, |p| match group.group_type {
            _ if streams => "stream",
            GroupProtocol::Consumer => "uniform",
            GroupProtocol::Classic => p.name(),
        });
    let group_w = id.chars().count().max(15);
    let coordinator_w = coordinator.chars().count().max(25);
    let line = |cells: [&str; 5]| {
        format!(
            "\n{} {} {} {} {}",
            pad(cells[0], group_w),
            pad(cells[1], coordinator_w),
            pad(cells[2], 20),
            pad(cells[3], 20),
            cells[4]
        )
    };
    io.out.push_str(&line([
        "GROUP",
        "COORDINATOR (ID)",
        "ASSIGNMENT-STRATEGY",
        "STATE",
        "#MEMBERS",
    ]));
    let members = group.members.len().to_string();
    io.out.push_str(&line([
        id,
        &coordinator,
        strategy,
        state_name(group),
        &members,
    ]));
    io.out.push('\n');
}

fn delete(world: &mut World, opts: &Options, io: &mut Io) -> i32 {
    let ids = group_ids(world, opts);
    let mut succeeded = Vec::new();
    let mut failed = Vec::new();
    for id in ids {
        match world.apply(Command::DeleteGroup { group: id.clone() }) {
            Ok(_) => succeeded.push(format!("'{id}'")),
            Err(e) => failed.push((id, format!("{}: {}", e.exception_class(), e.message()))),
        }
    }
    if failed.is_empty() {
        let _ = writeln!(
            io.out,
            "Deletion of requested consumer groups ({}) was successful.",
            succeeded.join(", ")
        );
        return 0;
    }
    io.out
        .push_str("\nError: Deletion of some consumer groups failed:\n");
    for (id, error) in &failed {
        let _ = writeln!(
            io.out,
            "* Group '{id}' could not be deleted due to: {error}"
        );
    }
    if !succeeded.is_empty() {
        let _ = writeln!(
            io.out,
            "\nThese consumer groups were deleted successfully: {}",
            succeeded.join(", ")
        );
    }
    1
}

/// `OffsetsUtils.resetByShiftBy` and `checkOffsetsRange` (Kafka 4.1,
/// `tools/src/main/java/org/apache/kafka/tools/OffsetsUtils.java`): `--shift-by` needs a
/// committed offset for every partition (else an `IllegalArgumentException`, printed with the
/// usage), and an offset asked for by `--to-offset` or `--shift-by` outside the log is set to
/// its end or start with a WARN. `rows` are the engine's offsets, already clamped as Kafka
/// clamps them; the requested offset is worked out again here to say what was asked.
fn check_offsets_range(
    world: &World,
    id: &str,
    opts: &Options,
    rows: &[NewOffset],
    io: &mut Io,
) -> Result<(), String> {
    let committed = |topic: &str, partition: u32| {
        world.group(id).and_then(|g| {
            g.committed
                .iter()
                .find(|((t, p), _)| t.as_ref() == topic && *p == partition)
                .map(|(_, c)| c.offset)
        })
    };
    let to_offset = opts.value("to-offset").and_then(args::java_parse_long);
    let shift_by = opts.value("shift-by").and_then(args::java_parse_long);
    let mut warnings = String::new();
    for (topic, partition, new) in rows {
        let asked = match (to_offset, shift_by) {
            (Some(n), _) => n,
            (None, Some(by)) => match committed(topic, *partition) {
                Some(offset) => i64::try_from(offset).unwrap_or(i64::MAX).saturating_add(by),
                None => {
                    return Err(format!(
                        "Cannot shift offset for partition {topic}-{partition} since there is no current committed offset"
                    ));
                }
            },
            (None, None) => continue,
        };
        let new_signed = i64::try_from(*new).unwrap_or(i64::MAX);
        let side = match asked.cmp(&new_signed) {
            std::cmp::Ordering::Greater => "higher than latest",
            std::cmp::Ordering::Less => "lower than earliest",
            std::cmp::Ordering::Equal => continue,
        };
        warnings.push_str(&log_line(
            world.now_ms(),
            "WARN",
            &format!(
                "New offset ({asked}) is {side} offset for topic partition {topic}-{partition}. Value will be set to {new}."
            ),
            OFFSETS_UTILS_LOGGER,
        ));
    }
    io.err.push_str(&warnings);
    Ok(())
}

/// One `--topic` of `--reset-offsets`: `t` (every partition) or `t:0,1` (those partitions),
/// split as `ConsumerGroupCommand.parseTopicsWithPartitions` splits it (Java's `String.split`,
/// which drops trailing empty strings; `Integer.parseInt` for each partition). A negative
/// partition parses, as in Kafka, and is refused later as a partition no broker hosts.
fn topic_scope(arg: &str) -> Result<(String, Option<Vec<u32>>), String> {
    if !arg.contains(':') {
        return Ok((arg.to_string(), None));
    }
    let [topic, partitions] = java_split(arg, ':')[..] else {
        return Err(format!(
            "Invalid topic arg '{arg}', expected topic name and partitions"
        ));
    };
    let mut numbers = Vec::new();
    for partition in java_split(partitions, ',') {
        match args::java_parse_long(partition).and_then(|n| i32::try_from(n).ok()) {
            Some(n) => numbers.push(u32::try_from(n).unwrap_or(u32::MAX)),
            None => {
                return Err(format!(
                    "Invalid partition '{partition}' specified in topic arg '{arg}''"
                ));
            }
        }
    }
    Ok((topic.to_string(), Some(numbers)))
}

/// Java's `String.split(separator)`: trailing empty strings are dropped.
fn java_split(text: &str, separator: char) -> Vec<&str> {
    let mut parts: Vec<&str> = text.split(separator).collect();
    while parts.len() > 1 && parts.last() == Some(&"") {
        parts.pop();
    }
    parts
}

fn reset(world: &mut World, opts: &Options, io: &mut Io) -> i32 {
    let target = if opts.has("to-earliest") {
        OffsetTarget::Earliest
    } else if opts.has("to-latest") {
        OffsetTarget::Latest
    } else if let Some(text) = opts.value("to-offset") {
        match args::java_parse_long(text) {
            Some(n) => OffsetTarget::Offset(u64::try_from(n).unwrap_or(0)),
            None => {
                return usage(
                    io,
                    &format!("Cannot parse argument '{text}' of option to-offset"),
                );
            }
        }
    } else if let Some(text) = opts.value("shift-by") {
        match args::java_parse_long(text) {
            Some(n) => OffsetTarget::ShiftBy(n),
            None => {
                return usage(
                    io,
                    &format!("Cannot parse argument '{text}' of option shift-by"),
                );
            }
        }
    } else {
        return usage(
            io,
            "Option [reset-offsets] requires one of the following scenarios: [to-offset], [shift-by], [to-datetime], [by-duration], [to-earliest], [to-latest], [to-current], [from-file]",
        );
    };
    let execute = opts.has("execute");
    let mut plan: Vec<(String, Vec<NewOffset>)> = Vec::new();
    for id in group_ids(world, opts) {
        if let Some(g) = world.group(&id)
            && !matches!(g.state, GroupState::Empty | GroupState::Dead)
        {
            let _ = writeln!(
                io.out,
                "\nError: Assignments can only be reset if the group '{id}' is inactive, but the current state is {}.",
                state_name(g)
            );
            plan.push((id, Vec::new()));
            continue;
        }
        let scopes: Vec<Option<String>> = if opts.has("all-topics") {
            vec![None]
        } else if opts.has("topic") {
            opts.values("topic")
                .iter()
                .map(|t| Some(t.to_string()))
                .collect()
        } else {
            return usage(
                io,
                "One of the reset scopes should be defined: --all-topics, --topic.",
            );
        };
        let mut offsets = Vec::new();
        let mut scopes_to_apply = Vec::new();
        for scope in scopes {
            let (scope, partitions) = match scope.as_deref().map(topic_scope) {
                None => (None, None),
                Some(Ok((topic, partitions))) => (Some(topic), partitions),
                // `ConsumerGroupCommand.run` prints an IllegalArgumentException with the usage.
                Some(Err(message)) => return usage(io, &message),
            };
            match world.preview_offset_reset(&id, scope.as_deref(), partitions.as_deref(), &target)
            {
                Ok(rows) => {
                    offsets.extend(rows);
                    scopes_to_apply.push((scope, partitions));
                }
                Err(e) => {
                    let _ = writeln!(
                        io.out,
                        "\nError: Executing consumer group command failed due to {}: {}",
                        e.exception_class(),
                        e.message()
                    );
                    let _ = writeln!(io.err, "{}: {}", e.exception_class(), e.message());
                    return 1;
                }
            }
        }
        crate::sim::sort::sort(&mut offsets);
        if let Err(message) = check_offsets_range(world, &id, opts, &offsets, io) {
            return usage(io, &message);
        }
        if execute {
            for (scope, partitions) in scopes_to_apply {
                let applied = world.apply(Command::ResetOffsets {
                    group: id.clone(),
                    topic: scope,
                    target: target.clone(),
                    partitions,
                });
                debug_assert!(applied.is_ok(), "a previewed reset applies: {applied:?}");
            }
        }
        crate::sim::sort::sort(&mut offsets);
        plan.push((id, offsets));
    }
    if plan.is_empty() {
        io.out.push('\n');
        return 0;
    }
    let group_w = plan
        .iter()
        .map(|(g, _)| g.chars().count())
        .fold(15, usize::max);
    let topic_w = plan
        .iter()
        .flat_map(|(_, rows)| rows.iter().map(|(t, _, _)| t.chars().count()))
        .fold(15, usize::max);
    let line = |g: &str, t: &str, p: &str, o: &str| {
        format!(
            "\n{} {} {} {o}",
            pad(g, group_w),
            pad(t, topic_w),
            pad(p, 10)
        )
    };
    io.out
        .push_str(&line("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"));
    for (id, rows) in &plan {
        for (topic, partition, offset) in rows {
            io.out.push_str(&line(
                id,
                topic,
                &partition.to_string(),
                &offset.to_string(),
            ));
        }
    }
    io.out.push('\n');
    0
}
