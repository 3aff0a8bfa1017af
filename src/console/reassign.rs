//! `kafka-reassign-partitions.sh`: `--generate`, `--execute`, `--verify`, `--list` and
//! `--cancel`, on the engine's replicas (`Command::AlterPartitionReassignments`).
//!
//! Formats, from Kafka 4.1's `tools/src/main/java/org/apache/kafka/tools/reassign/
//! ReassignPartitionsCommand.java` and `ReassignPartitionsCommandOptions.java`:
//! - `--generate`: `Current partition replica assignment`, the JSON, a blank line, `Proposed
//!   partition reassignment configuration`, the JSON (`generateAssignment`); the proposal is
//!   `AdminUtils.assignReplicasToBrokers` without racks over the live brokers of
//!   `--broker-list`, its start index and shift drawn from the console's seeded RNG;
//! - `--execute`: `Current partition replica assignment`, a blank line, the JSON, a blank line,
//!   `Save this to use as the --reassignment-json-file option during rollback`
//!   (`currentPartitionReplicaAssignmentToString`), then `Successfully started partition
//!   reassignment(s) for t-0,t-1`;
//! - `--verify`: `Status of partition reassignment:`, per partition `Reassignment of partition
//!   t-0 is completed.` / `… is still in progress.` / `There is no active reassignment of
//!   partition t-0, but replica set is 1,2 rather than 2,3.`, an empty line (the log-dir
//!   moves, none), then, when nothing is moving, `Clearing broker-level throttles on brokers
//!   1,2,3` and `Clearing topic-level throttles on topic t` (`clearAllThrottles`);
//! - `--list`: `Current partition reassignments:` and `t-0: replicas: 2,3,1. adding: 3.
//!   removing: 1.`, or `No partition reassignments found.`;
//! - `--cancel`: `Successfully cancelled partition reassignment(s) for: t-0` or `None of the
//!   specified partition reassignments are active.`, then `None of the specified partition
//!   moves are active.` (printed without a newline, as Kafka does) and the throttle lines;
//! - errors: `validateAndParseArgs`' usage messages on stderr (`Command must include exactly
//!   one action: …`, `Please specify either --bootstrap-server or --bootstrap-controller`,
//!   `Missing required argument "[…]"`, `Option "[…]" can't be used with action "[…]"`);
//!   everything `main` catches on stdout as `Error: MESSAGE` and the exception's first trace
//!   line (`Unknown broker id 7`, `Topic nope not found.`, `Unable to find partition: t-9`,
//!   `Replication factor: 3 larger than available brokers: 2.`, the JSON decoders' `No such
//!   field exists: `replicas``, `Expected `Integer` value, received "1"`, …); a
//!   `TerseException`'s message alone (`Cannot execute because there is an existing partition
//!   assignment. …`, `Error reassigning partition(s):`).
//!
//! The JSON "files" come on standard input (`--reassignment-json-file /dev/stdin`, see
//! `json.rs`). Simplified versus Kafka: for JSON that does not parse, Jackson's own message is
//! replaced by a short one with the line and column (the exception classes are Kafka's);
//! throttles and log directories are not simulated (`--throttle`,
//! `--replica-alter-log-dirs-throttle` and `log_dirs` other than `"any"` are refused with a
//! note, and clearing throttles finds none); `--bootstrap-controller` (allowed with `--list`
//! and `--cancel`) is taken to reach the cluster's controller.

use std::fmt::Write as _;

use crate::console::args::{self, OptSpec, Options, flag, opt, opt_optional};
use crate::console::format::{trace_line, usage};
use crate::console::json::{self, Json};
use crate::console::{Console, Io, Output, network};
use crate::sim::World;
use crate::sim::assignor::java::{JavaHashSet, cmp_str, string_hash, topic_partition_hash};
use crate::sim::cluster::place_replicas;
use crate::sim::command::{Command, Outcome};

/// The options `kafka-reassign-partitions.sh` accepts.
pub const OPTIONS: &[OptSpec] = &[
    flag("verify"),
    flag("generate"),
    flag("execute"),
    flag("cancel"),
    flag("list"),
    opt("bootstrap-server"),
    opt("command-config"),
    opt("reassignment-json-file"),
    opt("topics-to-move-json-file"),
    opt("broker-list"),
    opt_optional("bootstrap-controller"),
    flag("disable-rack-aware"),
    opt("throttle"),
    opt("replica-alter-log-dirs-throttle"),
    opt("timeout"),
    flag("additional"),
    flag("preserve-throttles"),
    flag("help"),
    flag("version"),
];

const HELP_TEXT: &str = "This tool helps to move topic partitions between replicas.";
const ACTIONS: [&str; 5] = ["generate", "execute", "verify", "cancel", "list"];
const CLIENT: &str = "AdminClient clientId=reassign-partitions-tool";
const ADMIN_FAILED: &str = "org.apache.kafka.server.common.AdminCommandFailedException";
const ADMIN_OPERATION: &str = "org.apache.kafka.server.common.AdminOperationException";
const MAPPING: &str = "com.fasterxml.jackson.databind.JsonMappingException";
const EXECUTION: &str = "java.util.concurrent.ExecutionException";
const UNKNOWN_TOPIC: &str = "org.apache.kafka.common.errors.UnknownTopicOrPartitionException";
const CANNOT_EXECUTE: &str = "Cannot execute because there is an existing partition assignment.  Use --additional to override this and create a new partition assignment in addition to the existing one. The --additional flag can also be used to change the throttle by resubmitting the current reassignment.";

/// How the tool ends when `main` catches an exception.
#[derive(Debug, PartialEq, Eq)]
enum Fail {
    /// `TerseException`: its message alone.
    Terse(String),
    /// Anything else: `Error: MESSAGE`, then the trace's first line `CLASS: MESSAGE`.
    Error { class: String, message: String },
    /// Something the playground does not simulate: its note is on stderr already.
    Refused,
}

fn error(class: &str, message: impl Into<String>) -> Fail {
    Fail::Error {
        class: class.to_string(),
        message: message.into(),
    }
}

/// An `ExecutionException` wrapping `cause_class: cause_message` (its message is the cause's
/// `toString()`).
fn execution(cause_class: &str, cause_message: &str) -> Fail {
    error(EXECUTION, format!("{cause_class}: {cause_message}"))
}

/// One partition's target in a reassignment file.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Target {
    topic: String,
    partition: i32,
    replicas: Vec<i32>,
}

impl Target {
    fn name(&self) -> String {
        format!("{}-{}", self.topic, self.partition)
    }
}

/// `compareTopicPartitions`: topic (`String.compareTo`), then partition.
fn by_topic_partition(a: &(String, i32), b: &(String, i32)) -> std::cmp::Ordering {
    cmp_str(&a.0, &b.0).then(a.1.cmp(&b.1))
}

fn sorted_names(mut parts: Vec<(String, i32)>) -> Vec<String> {
    parts.sort_by(by_topic_partition);
    parts.into_iter().map(|(t, p)| format!("{t}-{p}")).collect()
}

fn joined(ids: &[i32]) -> String {
    ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}

/// The indexes of `items` in the iteration order of a `java.util.HashSet` of them (the first
/// of equal items kept), given each item's Java `hashCode`.
fn hash_set_order<T: PartialEq>(items: &[T], hash: impl Fn(&T) -> i32) -> Vec<usize> {
    let mut set = JavaHashSet::new();
    for (i, item) in items.iter().enumerate() {
        if items[..i].contains(item) {
            continue;
        }
        set.insert(hash(item), i);
    }
    set.iteration_order()
}

// -----------------------------------------------------------------------------------------
// The JSON files (`parsePartitionReassignmentData`, `parseTopicsData`)

/// `JsonValue.asJsonObject` / `asJsonArray` and `DecodeJson`'s checks.
fn object(node: &Json) -> Result<&Json, Fail> {
    match node {
        Json::Object(_) => Ok(node),
        _ => Err(error(
            MAPPING,
            format!("Expected JSON object, received {}", node.to_text()),
        )),
    }
}

fn array(node: &Json) -> Result<&[Json], Fail> {
    match node {
        Json::Array(items) => Ok(items),
        _ => Err(error(
            MAPPING,
            format!("Expected JSON array, received {}", node.to_text()),
        )),
    }
}

/// `JsonObject.apply`: a field that must be there.
fn field<'a>(node: &'a Json, name: &str) -> Result<&'a Json, Fail> {
    node.get(name)
        .ok_or_else(|| error(MAPPING, format!("No such field exists: `{name}`")))
}

fn decode_int(node: &Json) -> Result<i32, Fail> {
    node.as_int().ok_or_else(|| {
        error(
            MAPPING,
            format!("Expected `Integer` value, received {}", node.to_text()),
        )
    })
}

fn decode_string(node: &Json) -> Result<String, Fail> {
    match node {
        Json::Text(text) => Ok(text.clone()),
        _ => Err(error(
            MAPPING,
            format!("Expected `String` value, received {}", node.to_text()),
        )),
    }
}

/// `DecodeJson.decodeList`.
fn decode_list<T>(node: &Json, item: impl Fn(&Json) -> Result<T, Fail>) -> Result<Vec<T>, Fail> {
    match node {
        Json::Array(items) => items.iter().map(item).collect(),
        _ => Err(error(
            MAPPING,
            format!("Expected `JSON array` value, received {}", node.to_text()),
        )),
    }
}

/// The file's `version`: 1 when absent; anything else is refused.
fn version(root: &Json) -> Result<(), Fail> {
    let version = match root.get("version") {
        Some(v) => decode_int(v)?,
        None => 1,
    };
    if version == 1 {
        Ok(())
    } else {
        Err(error(
            ADMIN_OPERATION,
            format!("Not supported version field value {version}"),
        ))
    }
}

/// `Json.tryParseFull` then `parsePartitionReassignmentData`: the targets in file order, and
/// whether any replica names a log directory other than `"any"`.
fn parse_reassignment(text: &str) -> Result<(Vec<Target>, bool), Fail> {
    let root = if text.is_empty() {
        return Err(error(
            ADMIN_OPERATION,
            "com.fasterxml.jackson.core.JsonParseException: The input string shouldn't be empty",
        ));
    } else if text.trim().is_empty() {
        // Jackson reads blank input as a `MissingNode`, which prints as nothing.
        return Err(error(MAPPING, "Expected JSON object, received "));
    } else {
        json::parse(text).map_err(|e| {
            error(
                ADMIN_OPERATION,
                format!(
                    "com.fasterxml.jackson.core.JsonParseException: this is not JSON (line: {}, column: {})",
                    e.line, e.column
                ),
            )
        })?
    };
    let root = object(&root)?;
    version(root)?;
    let mut targets = Vec::new();
    let mut log_dirs = false;
    let Some(partitions) = root.get("partitions") else {
        return Ok((targets, log_dirs));
    };
    for entry in array(partitions)? {
        let entry = object(entry)?;
        let topic = decode_string(field(entry, "topic")?)?;
        let partition = decode_int(field(entry, "partition")?)?;
        let replicas = decode_list(field(entry, "replicas")?, decode_int)?;
        let dirs = match entry.get("log_dirs") {
            Some(dirs) => decode_list(dirs, decode_string)?,
            None => vec!["any".to_string(); replicas.len()],
        };
        if dirs.len() != replicas.len() {
            return Err(error(
                ADMIN_FAILED,
                format!(
                    "Size of replicas list [{}] is different from size of log dirs list [{}] for partition {topic}-{partition}",
                    replicas
                        .iter()
                        .map(i32::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                    dirs.join(", ")
                ),
            ));
        }
        log_dirs |= dirs.iter().any(|d| d != "any");
        targets.push(Target {
            topic,
            partition,
            replicas,
        });
    }
    Ok((targets, log_dirs))
}

/// `parseTopicsData` (through `Json.parseFull`): the topic names in file order.
fn parse_topics(text: &str) -> Result<Vec<String>, Fail> {
    let not_json = || error(ADMIN_OPERATION, "The input string is not a valid JSON");
    if text.is_empty() {
        return Err(not_json());
    }
    if text.trim().is_empty() {
        return Err(error(MAPPING, "Expected JSON object, received "));
    }
    let root = json::parse(text).map_err(|_| not_json())?;
    let root = object(&root)?;
    version(root)?;
    let mut topics = Vec::new();
    if let Some(list) = root.get("topics") {
        for entry in array(list)? {
            topics.push(decode_string(field(object(entry)?, "topic")?)?);
        }
    }
    Ok(topics)
}

/// `formatAsReassignmentJson`: partitions sorted, every log dir `"any"`.
fn reassignment_json(mut parts: Vec<(String, i32, Vec<i32>)>) -> String {
    parts.sort_by(|a, b| cmp_str(&a.0, &b.0).then(a.1.cmp(&b.1)));
    let entries: Vec<String> = parts
        .iter()
        .map(|(topic, partition, replicas)| {
            format!(
                "{{\"topic\":{},\"partition\":{partition},\"replicas\":[{}],\"log_dirs\":[{}]}}",
                json::quote(topic),
                joined(replicas),
                vec!["\"any\""; replicas.len()].join(",")
            )
        })
        .collect();
    format!("{{\"version\":1,\"partitions\":[{}]}}", entries.join(","))
}

// -----------------------------------------------------------------------------------------
// The cluster, as the admin client sees it

/// A partition's replicas as `describeTopics` gives them (the full list while reassigning).
fn replicas_of(world: &World, topic: &str, partition: i32) -> Option<Vec<i32>> {
    let p = world
        .topic(topic)?
        .partitions
        .get(usize::try_from(partition).ok()?)?;
    Some(p.replica_brokers().into_iter().map(|b| b as i32).collect())
}

/// `listPartitionReassignments`: (topic, partition, replicas, adding, removing).
type Ongoing = (String, i32, Vec<i32>, Vec<i32>, Vec<i32>);

fn ongoing(world: &World) -> Vec<Ongoing> {
    let ids = |v: &[u32]| v.iter().map(|b| *b as i32).collect::<Vec<_>>();
    world
        .topics()
        .flat_map(|t| {
            t.partitions
                .iter()
                .filter(|p| p.is_reassigning())
                .map(move |p| {
                    (
                        t.name.to_string(),
                        p.id as i32,
                        ids(&p.replica_brokers()),
                        ids(&p.adding_replicas),
                        ids(&p.removing_replicas),
                    )
                })
        })
        .collect()
}

/// `describeTopics` over a set of topics: the first missing one (in `HashMap` order) fails.
fn check_topics_exist(world: &World, topics: &[String]) -> Result<(), Fail> {
    for i in hash_set_order(topics, |t| string_hash(t)) {
        let Some(topic) = topics.get(i) else { continue };
        if world.topic(topic).is_none() {
            return Err(execution(
                UNKNOWN_TOPIC,
                &format!("Topic {topic} not found."),
            ));
        }
    }
    Ok(())
}

// -----------------------------------------------------------------------------------------
// The actions

/// `parseGenerateAssignmentArgs`: the broker ids and the topics, checked for duplicates.
fn generate_args(opts: &Options, text: &str) -> Result<(Vec<i32>, Vec<String>), Fail> {
    let list = opts.value("broker-list").unwrap_or_default();
    let mut pieces: Vec<&str> = list.split(',').collect();
    while pieces.len() > 1 && pieces.last() == Some(&"") {
        pieces.pop();
    }
    let mut brokers = Vec::new();
    for piece in pieces {
        let id = args::java_parse_int(piece).ok_or_else(|| {
            error(
                "java.lang.NumberFormatException",
                format!("For input string: \"{piece}\""),
            )
        })?;
        brokers.push(id);
    }
    let duplicates = |items: &[i32]| -> Vec<i32> {
        let mut d: Vec<i32> = items
            .iter()
            .enumerate()
            .filter(|(i, b)| items[..*i].contains(b))
            .map(|(_, b)| *b)
            .collect();
        d.dedup();
        d
    };
    let dup = duplicates(&brokers);
    if !dup.is_empty() {
        let order = hash_set_order(&dup, |b| *b);
        let shown: Vec<String> = order.iter().map(|i| dup[*i].to_string()).collect();
        return Err(error(
            ADMIN_FAILED,
            format!(
                "Broker list contains duplicate entries: [{}]",
                shown.join(", ")
            ),
        ));
    }
    let topics = parse_topics(text)?;
    let dup_topics: Vec<String> = topics
        .iter()
        .enumerate()
        .filter(|(i, t)| topics[..*i].contains(t))
        .map(|(_, t)| t.clone())
        .collect();
    if !dup_topics.is_empty() {
        let order = hash_set_order(&dup_topics, |t| string_hash(t));
        let shown: Vec<&str> = order.iter().map(|i| dup_topics[*i].as_str()).collect();
        return Err(error(
            ADMIN_FAILED,
            format!(
                "List of topics to reassign contains duplicate entries: [{}]",
                shown.join(", ")
            ),
        ));
    }
    Ok((brokers, topics))
}

/// `generateAssignment` after its argument checks.
fn generate(
    console: &mut Console,
    world: &World,
    brokers: &[i32],
    topics: &[String],
) -> Result<String, Fail> {
    check_topics_exist(world, topics)?;
    // `getBrokerMetadata`: the live brokers of the list, in the cluster's order.
    let live: Vec<u32> = world
        .live_brokers()
        .into_iter()
        .filter(|b| brokers.contains(&(*b as i32)))
        .collect();
    let mut current = Vec::new();
    let mut proposed = Vec::new();
    // `calculateAssignment` visits the topics in `HashMap` order, drawing for each.
    for i in hash_set_order(topics, |t| string_hash(t)) {
        let Some(topic) = world.topic(&topics[i]) else {
            continue;
        };
        let name = topic.name.to_string();
        for p in &topic.partitions {
            let replicas = p.replica_brokers().into_iter().map(|b| b as i32).collect();
            current.push((name.clone(), p.id as i32, replicas));
        }
        let count = topic.partition_count();
        let factor = topic
            .partitions
            .first()
            .map_or(0, |p| p.replicas.len() as u32);
        // `AdminUtils.assignReplicasToBrokers`' checks.
        if factor > live.len() as u32 {
            return Err(error(
                "org.apache.kafka.common.errors.InvalidReplicationFactorException",
                format!(
                    "Replication factor: {factor} larger than available brokers: {}.",
                    live.len()
                ),
            ));
        }
        let n = live.len() as u64;
        let start = console.rng(world).below(n) as u32;
        let shift = console.rng(world).below(n) as u32;
        for (p, replicas) in place_replicas(&live, 0, count, factor, start, shift)
            .into_iter()
            .enumerate()
        {
            let replicas = replicas.into_iter().map(|b| b as i32).collect();
            proposed.push((name.clone(), p as i32, replicas));
        }
    }
    Ok(format!(
        "Current partition replica assignment\n{}\n\nProposed partition reassignment configuration\n{}\n",
        reassignment_json(current),
        reassignment_json(proposed)
    ))
}

/// `parseExecuteAssignmentArgs`' checks of the targets.
fn check_targets(targets: &[Target]) -> Result<(), Fail> {
    if targets.is_empty() {
        return Err(error(
            ADMIN_FAILED,
            "Partition reassignment list cannot be empty",
        ));
    }
    if targets.iter().any(|t| t.replicas.is_empty()) {
        return Err(error(
            ADMIN_FAILED,
            "Partition replica list cannot be empty",
        ));
    }
    let parts: Vec<(String, i32)> = targets
        .iter()
        .map(|t| (t.topic.clone(), t.partition))
        .collect();
    let mut dup: Vec<(String, i32)> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        if parts[..i].contains(part) && !dup.contains(part) {
            dup.push(part.clone());
        }
    }
    if !dup.is_empty() {
        let order = hash_set_order(&dup, |(t, p)| {
            topic_partition_hash(string_hash(t), *p as u32)
        });
        let shown: Vec<String> = order
            .iter()
            .map(|i| format!("{}-{}", dup[*i].0, dup[*i].1))
            .collect();
        return Err(error(
            ADMIN_FAILED,
            format!(
                "Partition reassignment contains duplicate topic partitions: {}",
                shown.join(",")
            ),
        ));
    }
    let mut messages = Vec::new();
    for target in targets {
        let mut dup: Vec<i32> = Vec::new();
        for (i, b) in target.replicas.iter().enumerate() {
            if target.replicas[..i].contains(b) && !dup.contains(b) {
                dup.push(*b);
            }
        }
        if !dup.is_empty() {
            let order = hash_set_order(&dup, |b| *b);
            let shown: Vec<String> = order.iter().map(|i| dup[*i].to_string()).collect();
            messages.push(format!(
                "{} contains multiple entries for {}",
                target.name(),
                shown.join(",")
            ));
        }
    }
    if !messages.is_empty() {
        return Err(error(
            ADMIN_FAILED,
            format!(
                "Partition replica lists may not contain duplicate entries: {}",
                messages.join(". ")
            ),
        ));
    }
    Ok(())
}

fn execute(world: &mut World, opts: &Options, targets: &[Target]) -> Result<String, Fail> {
    check_targets(targets)?;
    if !opts.has("additional") && !ongoing(world).is_empty() {
        return Err(Fail::Terse(CANNOT_EXECUTE.to_string()));
    }
    // `verifyBrokerIds`: the first broker (in `HashSet` order) that is not live.
    let brokers: Vec<i32> = targets.iter().flat_map(|t| t.replicas.clone()).collect();
    let live = world.live_brokers();
    for i in hash_set_order(&brokers, |b| *b) {
        let b = brokers[i];
        if u32::try_from(b).map_or(true, |b| !live.contains(&b)) {
            return Err(error(ADMIN_FAILED, format!("Unknown broker id {b}")));
        }
    }
    // `getReplicaAssignmentForPartitions`.
    let topics: Vec<String> = targets.iter().map(|t| t.topic.clone()).collect();
    check_topics_exist(world, &topics)?;
    let missing: Vec<(String, i32)> = targets
        .iter()
        .filter(|t| replicas_of(world, &t.topic, t.partition).is_none())
        .map(|t| (t.topic.clone(), t.partition))
        .collect();
    if !missing.is_empty() {
        let order = hash_set_order(&missing, |(t, p)| {
            topic_partition_hash(string_hash(t), *p as u32)
        });
        let shown: Vec<String> = order
            .iter()
            .map(|i| format!("{}-{}", missing[*i].0, missing[*i].1))
            .collect();
        return Err(execution(
            UNKNOWN_TOPIC,
            &format!("Unable to find partition: {}", shown.join(", ")),
        ));
    }
    let current: Vec<(String, i32, Vec<i32>)> = targets
        .iter()
        .map(|t| {
            let replicas = replicas_of(world, &t.topic, t.partition).unwrap_or_default();
            (t.topic.clone(), t.partition, replicas)
        })
        .collect();
    let mut text = format!(
        "Current partition replica assignment\n\n{}\n\nSave this to use as the --reassignment-json-file option during rollback\n",
        reassignment_json(current)
    );
    let reassignments = targets
        .iter()
        .map(|t| {
            let replicas = t.replicas.iter().map(|b| *b as u32).collect();
            (t.topic.clone(), t.partition as u32, Some(replicas))
        })
        .collect();
    let errors = alter(world, reassignments);
    if !errors.is_empty() {
        return Err(Fail::Terse(format!(
            "{text}Error reassigning partition(s):\n{}",
            errors.join("\n")
        )));
    }
    let names = sorted_names(
        targets
            .iter()
            .map(|t| (t.topic.clone(), t.partition))
            .collect(),
    );
    let _ = writeln!(
        text,
        "Successfully started partition reassignment{} for {}",
        if names.len() == 1 { "" } else { "s" },
        names.join(",")
    );
    Ok(text)
}

/// `alterPartitionReassignments` / `cancelPartitionReassignments`: the engine's answer, as
/// the lines Kafka prints for the partitions that failed (`t-0: MESSAGE`, sorted).
fn alter(world: &mut World, reassignments: Vec<(String, u32, Option<Vec<u32>>)>) -> Vec<String> {
    let results = match world.apply(Command::AlterPartitionReassignments { reassignments }) {
        Ok(Outcome::Reassignments(results)) => results,
        _ => Vec::new(),
    };
    let mut errors: Vec<((String, i32), String)> = results
        .into_iter()
        .filter_map(|(t, p, e)| e.map(|e| ((t, p as i32), e.message().to_string())))
        .collect();
    errors.sort_by(|a, b| by_topic_partition(&a.0, &b.0));
    errors
        .iter()
        .map(|((t, p), m)| format!("{t}-{p}: {m}"))
        .collect()
}

/// `clearAllThrottles`' two lines: the live brokers and the targets' replicas, then the
/// targets' topics (each a `HashSet`).
fn clearing_throttles(world: &World, targets: &[Target]) -> String {
    let mut brokers: Vec<i32> = world.live_brokers().into_iter().map(|b| b as i32).collect();
    brokers.extend(targets.iter().flat_map(|t| t.replicas.clone()));
    let order = hash_set_order(&brokers, |b| *b);
    let brokers: Vec<String> = order.iter().map(|i| brokers[*i].to_string()).collect();
    let topics: Vec<String> = targets.iter().map(|t| t.topic.clone()).collect();
    let order = hash_set_order(&topics, |t| string_hash(t));
    let topics: Vec<&str> = order.iter().map(|i| topics[*i].as_str()).collect();
    format!(
        "Clearing broker-level throttles on broker{} {}\nClearing topic-level throttles on topic{} {}\n",
        if brokers.len() == 1 { "" } else { "s" },
        brokers.join(","),
        if topics.len() == 1 { "" } else { "s" },
        topics.join(",")
    )
}

/// `PartitionReassignmentState`: the partition, its current and target replicas, and whether
/// it is done (no reassignment in progress).
type State = ((String, i32), Vec<i32>, Vec<i32>, bool);

fn verify(world: &World, opts: &Options, targets: &[Target]) -> Result<String, Fail> {
    let ongoing = ongoing(world);
    // `findPartitionReassignmentStates`: a map keyed by partition (a later entry wins).
    let mut states: Vec<State> = Vec::new();
    for t in targets {
        let key = (t.topic.clone(), t.partition);
        let state = match ongoing
            .iter()
            .find(|o| o.0 == t.topic && o.1 == t.partition)
        {
            Some(o) => (key.clone(), o.2.clone(), t.replicas.clone(), false),
            None => {
                let current = match world.topic(&t.topic) {
                    None => Vec::new(),
                    Some(topic) => {
                        let count = topic.partition_count() as i64;
                        let index = i64::from(t.partition);
                        if count < index {
                            Vec::new()
                        } else if index < 0 || index >= count {
                            let message = format!("Index {index} out of bounds for length {count}");
                            return Err(error("java.lang.IndexOutOfBoundsException", message));
                        } else {
                            replicas_of(world, &t.topic, t.partition).unwrap_or_default()
                        }
                    }
                };
                (key.clone(), current, t.replicas.clone(), true)
            }
        };
        states.retain(|s| s.0 != key);
        states.push(state);
    }
    states.sort_by(|a, b| by_topic_partition(&a.0, &b.0));
    let mut text = String::from("Status of partition reassignment:\n");
    for ((topic, partition), current, target, done) in &states {
        let line = if !done {
            format!("Reassignment of partition {topic}-{partition} is still in progress.")
        } else if current == target {
            format!("Reassignment of partition {topic}-{partition} is completed.")
        } else {
            format!(
                "There is no active reassignment of partition {topic}-{partition}, but replica set is {} rather than {}.",
                joined(current),
                joined(target)
            )
        };
        text.push_str(&line);
        text.push('\n');
    }
    // `verifyReplicaMoves` prints the (empty) log-dir moves.
    text.push('\n');
    if ongoing.is_empty() && !opts.has("preserve-throttles") {
        text.push_str(&clearing_throttles(world, targets));
    }
    Ok(text)
}

fn list(world: &World) -> String {
    let mut all = ongoing(world);
    all.sort_by(|a, b| cmp_str(&a.0, &b.0).then(a.1.cmp(&b.1)));
    if all.is_empty() {
        return "No partition reassignments found.\n".to_string();
    }
    let mut text = String::from("Current partition reassignments:\n");
    for (topic, partition, replicas, adding, removing) in all {
        let _ = write!(
            text,
            "{topic}-{partition}: replicas: {}.",
            joined(&replicas)
        );
        if !adding.is_empty() {
            let _ = write!(text, " adding: {}.", joined(&adding));
        }
        if !removing.is_empty() {
            let _ = write!(text, " removing: {}.", joined(&removing));
        }
        text.push('\n');
    }
    text
}

fn cancel(world: &mut World, opts: &Options, targets: &[Target]) -> Result<String, Fail> {
    let ongoing = ongoing(world);
    let mut cancelling: Vec<(String, i32)> = Vec::new();
    for t in targets {
        let key = (t.topic.clone(), t.partition);
        let active = ongoing
            .iter()
            .any(|o| o.0 == t.topic && o.1 == t.partition && (o.3.is_empty() || !o.4.is_empty()));
        if active && !cancelling.contains(&key) {
            cancelling.push(key);
        }
    }
    let mut text = String::new();
    if cancelling.is_empty() {
        text.push_str("None of the specified partition reassignments are active.\n");
    } else {
        let reassignments = cancelling
            .iter()
            .map(|(t, p)| (t.clone(), *p as u32, None))
            .collect();
        let errors = alter(world, reassignments);
        if !errors.is_empty() {
            return Err(Fail::Terse(format!(
                "Error cancelling partition reassignment{} for:\n{}",
                if errors.len() == 1 { "" } else { "s" },
                errors.join("\n")
            )));
        }
        let names = sorted_names(cancelling);
        let _ = writeln!(
            text,
            "Successfully cancelled partition reassignment{} for: {}",
            if names.len() == 1 { "" } else { "s" },
            names.join(",")
        );
    }
    // Kafka prints this one with `print`, not `println`.
    text.push_str("None of the specified partition moves are active.");
    if !opts.has("preserve-throttles") {
        text.push_str(&clearing_throttles(world, targets));
    }
    Ok(text)
}

// -----------------------------------------------------------------------------------------
// `main`

/// `validateAndParseArgs` after the help and version checks: the action, or the usage
/// message `printUsageAndExit` prints.
fn validate(opts: &Options) -> Result<&'static str, String> {
    let actions: Vec<&'static str> = ACTIONS.into_iter().filter(|a| opts.has(a)).collect();
    let [action] = actions[..] else {
        return Err(
            "Command must include exactly one action: --generate, --execute, --verify, --cancel, --list"
                .to_string(),
        );
    };
    let server = opts.has("bootstrap-server");
    match (server, opts.has("bootstrap-controller")) {
        (true, true) => {
            return Err(
                "Please don't specify both --bootstrap-server and --bootstrap-controller"
                    .to_string(),
            );
        }
        (false, false) => {
            return Err(
                "Please specify either --bootstrap-server or --bootstrap-controller".to_string(),
            );
        }
        _ => {}
    }
    let required: &[&str] = match action {
        "generate" => &["topics-to-move-json-file", "broker-list"],
        "list" => &[],
        _ => &["reassignment-json-file"],
    };
    if let Some(missing) = required.iter().find(|r| !opts.has(r)) {
        return Err(format!("Missing required argument \"[{missing}]\""));
    }
    let bootstrap = if server {
        "bootstrap-server"
    } else {
        "bootstrap-controller"
    };
    let permitted: Vec<&str> = match action {
        "verify" => vec!["bootstrap-server", "command-config", "preserve-throttles"],
        "generate" => vec![
            "bootstrap-server",
            "broker-list",
            "command-config",
            "disable-rack-aware",
        ],
        "execute" => vec![
            "additional",
            "bootstrap-server",
            "command-config",
            "throttle",
            "replica-alter-log-dirs-throttle",
            "timeout",
        ],
        "cancel" => vec![bootstrap, "command-config", "preserve-throttles", "timeout"],
        _ => vec![bootstrap, "command-config"],
    };
    for name in opts.names() {
        if name != action && !required.contains(&name) && !permitted.contains(&name) {
            return Err(format!(
                "Option \"[{name}]\" can't be used with action \"[{action}]\""
            ));
        }
    }
    Ok(action)
}

/// The first admin call each action makes (what times out when no broker answers).
fn first_call(action: &str) -> &'static str {
    match action {
        "generate" => "describeTopics",
        _ => "listPartitionReassignments",
    }
}

/// Runs `kafka-reassign-partitions.sh ARGS` with `stdin` (for the JSON files). Returns the
/// exit status.
pub fn run(
    console: &mut Console,
    world: &mut World,
    argv: &[String],
    stdin: Option<&str>,
    io: &mut Io,
    out: &mut Output,
) -> i32 {
    let Some(opts) = args::parse_or_uncaught(OPTIONS, argv, &mut io.err) else {
        return 1;
    };
    if argv.is_empty() || opts.has("help") {
        return usage(io, HELP_TEXT, i32::from(argv.is_empty()));
    }
    if opts.has("version") {
        let _ = writeln!(io.out, "{}", crate::console::KAFKA_VERSION);
        return 0;
    }
    let action = match validate(&opts) {
        Ok(action) => action,
        Err(message) => return usage(io, &message, 1),
    };
    match main(console, world, &opts, action, stdin, io, out) {
        Ok(text) => {
            io.out.push_str(&text);
            0
        }
        Err(Fail::Terse(message)) => {
            let _ = writeln!(io.out, "{message}");
            1
        }
        Err(Fail::Error { class, message }) => {
            let _ = writeln!(io.out, "Error: {message}");
            io.out.push_str(&trace_line(&class, &message));
            1
        }
        Err(Fail::Refused) => 1,
    }
}

/// `main`'s `try` block: the files, the admin client, the action.
fn main(
    console: &mut Console,
    world: &mut World,
    opts: &Options,
    action: &str,
    stdin: Option<&str>,
    io: &mut Io,
    out: &mut Output,
) -> Result<String, Fail> {
    if let Some(path) = opts.value("command-config") {
        io.err.push_str(
            "eda-playground: --command-config is not simulated (the playground has no files).\n",
        );
        return Err(error("java.nio.file.NoSuchFileException", path));
    }
    let file_option = if action == "generate" {
        "topics-to-move-json-file"
    } else {
        "reassignment-json-file"
    };
    let text = match opts.value(file_option) {
        None => "",
        Some(path) => json::read_stdin_file(path, stdin, file_option).map_err(|note| {
            io.err.push_str(&note);
            io.err.push('\n');
            error("java.nio.file.NoSuchFileException", path)
        })?,
    };
    let targets = match action {
        "generate" | "list" => Vec::new(),
        _ => {
            let (targets, log_dirs) = parse_reassignment(text)?;
            if log_dirs {
                io.err.push_str("eda-playground: log directories are not simulated; give \"any\" for each replica in log_dirs.\n");
                return Err(Fail::Refused);
            }
            targets
        }
    };
    if matches!(action, "execute" | "cancel") {
        opts.long("timeout")
            .map_err(|m| error("joptsimple.OptionArgumentConversionException", m))?;
    }
    if action == "execute" {
        for throttle in ["throttle", "replica-alter-log-dirs-throttle"] {
            let value = opts
                .long(throttle)
                .map_err(|m| error("joptsimple.OptionArgumentConversionException", m))?;
            if value.is_some_and(|v| v >= 0) {
                io.err.push_str(&format!(
                    "eda-playground: --{throttle} is not simulated (replication is not rate-limited here).\n"
                ));
                return Err(Fail::Refused);
            }
        }
    }
    // `--generate` checks its arguments before its first admin call.
    let generate_args = if action == "generate" {
        Some(generate_args(opts, text)?)
    } else {
        None
    };
    if let Some(server) = opts.value("bootstrap-server")
        && let Some(refused) = network::unreachable(world, server)
    {
        network::wait_until_timeout(
            console,
            world,
            CLIENT,
            &refused,
            network::ADMIN_API_TIMEOUT_MS,
            io,
            out,
        );
        return Err(timed_out(action));
    }
    if let Some((brokers, topics)) = generate_args {
        return generate(console, world, &brokers, &topics);
    }
    match action {
        "execute" => execute(world, opts, &targets),
        "verify" => verify(world, opts, &targets),
        "cancel" => cancel(world, opts, &targets),
        _ => Ok(list(world)),
    }
}

fn timed_out(action: &str) -> Fail {
    execution(
        "org.apache.kafka.common.errors.TimeoutException",
        &format!(
            "Timed out waiting for a node assignment. Call: {}",
            first_call(action)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reassignment_json_is_read_as_kafkas_decoders_read_it() {
        let (targets, dirs) = parse_reassignment(
            r#"{"version":1,"partitions":[{"topic":"foo","partition":1,"replicas":[1,2],"log_dirs":["any","any"]}]}"#,
        )
        .unwrap();
        assert_eq!(
            targets,
            vec![Target {
                topic: "foo".into(),
                partition: 1,
                replicas: vec![1, 2]
            }]
        );
        assert!(!dirs);
        let fails = [
            (
                "",
                "com.fasterxml.jackson.core.JsonParseException: The input string shouldn't be empty",
            ),
            ("  ", "Expected JSON object, received "),
            ("[]", "Expected JSON object, received []"),
            (r#"{"version":2}"#, "Not supported version field value 2"),
            (
                r#"{"version":"1"}"#,
                "Expected `Integer` value, received \"1\"",
            ),
            (r#"{"partitions":{}}"#, "Expected JSON array, received {}"),
            (
                r#"{"partitions":[{"topic":"foo","partition":0}]}"#,
                "No such field exists: `replicas`",
            ),
            (
                r#"{"partitions":[{"topic":"foo","partition":0,"replicas":[1,2],"log_dirs":["any"]}]}"#,
                "Size of replicas list [1, 2] is different from size of log dirs list [any] for partition foo-0",
            ),
        ];
        for (text, want) in fails {
            match parse_reassignment(text) {
                Err(Fail::Error { message, .. }) => assert_eq!(message, want, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn reassignment_json_is_written_sorted_with_any_log_dirs() {
        assert_eq!(
            reassignment_json(vec![
                ("foo".into(), 1, vec![2, 3]),
                ("bar".into(), 0, vec![1]),
                ("foo".into(), 0, vec![1, 2]),
            ]),
            r#"{"version":1,"partitions":[{"topic":"bar","partition":0,"replicas":[1],"log_dirs":["any"]},{"topic":"foo","partition":0,"replicas":[1,2],"log_dirs":["any","any"]},{"topic":"foo","partition":1,"replicas":[2,3],"log_dirs":["any","any"]}]}"#
        );
    }
}
