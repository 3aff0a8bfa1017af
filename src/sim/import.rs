//! Import a real cluster's shape: the text `kafka-topics.sh --describe` and
//! `kafka-consumer-groups.sh --describe` (optionally `--members [--verbose]`) print on Apache
//! Kafka 4.1, pasted by a learner, becomes a scenario document the page opens like any other.
//!
//! Formats (Kafka 4.1's `TopicCommand.TopicDescription/PartitionDescription.printDescription`
//! and `ConsumerGroupCommand.printOffsets/printMembers/shouldPrintMemberState`):
//! - `Topic: T\tTopicId: ID\tPartitionCount: N\tReplicationFactor: R\tConfigs: k=v,…`, then per
//!   partition `\tTopic: T\tPartition: P\tLeader: L|none\tReplicas: a,b\tIsr: a,b` with
//!   `\tElr: …\tLastKnownElr: …` (or `N/A`) and, during a reassignment, `Adding Replicas:` /
//!   `Removing Replicas:`. Tabs may have become spaces on the way (a terminal, a chat tool).
//! - A header row `GROUP TOPIC PARTITION [LEADER-EPOCH] CURRENT-OFFSET LOG-END-OFFSET LAG
//!   CONSUMER-ID HOST CLIENT-ID` and its rows (`-` for a missing value), several groups one
//!   after another; `GROUP CONSUMER-ID [GROUP-INSTANCE-ID] HOST CLIENT-ID #PARTITIONS
//!   [CURRENT-EPOCH CURRENT-ASSIGNMENT TARGET-EPOCH TARGET-ASSIGNMENT]` for members;
//!   `Consumer group 'g' has no active members.` and the rebalancing warning.
//!
//! What the scenario holds: the brokers (ids 1 to 9 kept, others renumbered in order), each
//! topic with its replicas placed as described (`CreateTopicAssigned`) and its configs, the
//! records each partition needs to reach the highest log-end offset any group shows
//! (null keys, values `imported-N`, `ProduceRecords`), each group's committed offsets
//! (`ResetOffsets`), brokers stopped where the describe output shows them out of every ISR,
//! then one consumer per described member, and the moment once every group is stable.
//! What the engine cannot show (a follower lagging while its broker is up, a leader that is
//! not the first live in-sync replica, the ISR's order, member ids) is said in `notes`,
//! with the line it comes from, computed by comparing the rebuilt world with the text.
//!
//! Everything is checked before any work: the text's size and line count, then each line
//! (an unreadable line is an error with its number, and nothing is built), then the counts
//! against the engine's and the scenario validator's limits. Pure: nothing is sent anywhere.

use std::collections::{BTreeMap, BTreeSet};

use crate::sim::client::{ConsumerConfig, ProducerConfig};
use crate::sim::cluster::{MAX_BROKERS, MAX_PARTITIONS, MAX_TOPICS};
use crate::sim::command::{Command, OffsetTarget, Outcome, PRODUCE_RECORDS_MAX, Subscription};
use crate::sim::group::GroupState;
use crate::sim::scenario::{REPLAY_RECORDS_MAX, ScenarioDoc};

use crate::sim::world::{MAX_MEMBERS, World, WorldConfig};

/// Largest text read, in bytes.
pub const IMPORT_BYTES_MAX: usize = 1024 * 1024;
/// Most lines read.
pub const IMPORT_LINES_MAX: usize = 20_000;
/// Most groups imported.
pub const IMPORT_GROUPS_MAX: usize = 16;
/// Simulated work per record for imported members, in ms: the describe output does not say
/// how fast a real member is, so the playground picks a pace a learner can watch.
pub const IMPORT_PROCESSING_MS_PER_RECORD: u64 = 100;
/// The static `log.segment.bytes` of the quickstart's `server.properties`: the playground's
/// brokers run with it, and `--describe` lists it for every topic (see `console::topics`).
const STATIC_SEGMENT_BYTES: (&str, &str) = ("segment.bytes", "1073741824");
/// What `kafka-consumer-groups.sh` prints for a missing value.
const MISSING: &str = "-";

/// A line that could not be read, or a count past a limit (line 0: the whole text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    pub line: u32,
    pub text: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            f.write_str(&self.text)
        } else {
            write!(f, "Line {}: {}", self.line, self.text)
        }
    }
}

fn at(line: u32, text: impl Into<String>) -> LineError {
    LineError {
        line,
        text: text.into(),
    }
}

/// A cluster's shape, rebuilt.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The scenario: the Playground at the moment the shape is rebuilt, paused.
    pub doc: ScenarioDoc,
    /// One line saying what was built (brokers, topics, groups, records).
    pub summary: String,
    /// What the playground shows differently from the text, or chose itself, each naming its
    /// line where it has one.
    pub notes: Vec<String>,
}

/// Whether pasted text looks like describe output (rather than a link or a document).
pub fn looks_like_describe(text: &str) -> bool {
    text.lines().take(200).any(|line| {
        let t = line.trim_start();
        (t.starts_with("Topic:") && (t.contains("Partition") || t.contains("TopicId:")))
            || (t.starts_with("GROUP ") && t.contains("CONSUMER-ID"))
            || (t.starts_with("Consumer group '") && t.ends_with("has no active members."))
    })
}

// ---------------------------------------------------------------------------------------------
// Reading the text

#[derive(Clone, Debug)]
struct TopicLine {
    line: u32,
    name: String,
    partition_count: u32,
    replication_factor: u32,
    configs: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
struct PartitionLine {
    line: u32,
    topic: String,
    partition: u32,
    leader: Option<u32>,
    replicas: Vec<u32>,
    isr: Vec<u32>,
    elr: bool,
    reassigning: bool,
}

#[derive(Clone, Debug)]
struct OffsetRow {
    line: u32,
    group: String,
    topic: String,
    partition: u32,
    current: Option<u64>,
    log_end: Option<u64>,
    consumer: Option<String>,
    client: Option<String>,
}

#[derive(Clone, Debug)]
struct MemberRow {
    group: String,
    consumer: String,
    client: String,
    assignment: Vec<(String, u32)>,
}

#[derive(Default, Debug)]
struct Parsed {
    topics: Vec<TopicLine>,
    partitions: Vec<PartitionLine>,
    offsets: Vec<OffsetRow>,
    members: Vec<MemberRow>,
    /// Groups in the order the text names them, with the line naming them first.
    groups: Vec<(String, u32)>,
    notes: Vec<String>,
}

impl Parsed {
    fn group_seen(&mut self, group: &str, line: u32) {
        if !self.groups.iter().any(|(g, _)| g == group) {
            self.groups.push((group.to_string(), line));
        }
    }
}

/// Which table a header row opened.
#[derive(Clone, Debug)]
enum Table {
    Offsets(Vec<String>),
    Members(Vec<String>),
    State,
}

const TOPIC_KEYS: [&str; 13] = [
    "Topic",
    "TopicId",
    "PartitionCount",
    "ReplicationFactor",
    "Configs",
    "Partition",
    "Leader",
    "Replicas",
    "Isr",
    "Adding Replicas",
    "Removing Replicas",
    "Elr",
    "LastKnownElr",
];

/// `Key: value` fields of a describe line, in order. Keys are Kafka's; a value runs to the
/// next key (blank values, as `Elr: `, are kept).
fn fields(line: &str) -> Result<Vec<(&'static str, String)>, String> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        // Two-word keys first ("Adding Replicas:").
        let two = tokens
            .get(i + 1)
            .map(|next| format!("{} {}", tokens[i], next));
        let key = TOPIC_KEYS.iter().copied().find(|k| {
            two.as_deref()
                .is_some_and(|t| t.strip_suffix(':') == Some(k) && k.contains(' '))
        });
        if let Some(key) = key {
            out.push((key, String::new()));
            i += 2;
            continue;
        }
        let key = TOPIC_KEYS
            .iter()
            .copied()
            .find(|k| !k.contains(' ') && tokens[i].strip_suffix(':') == Some(k));
        match (key, out.last_mut()) {
            (Some(key), _) => out.push((key, String::new())),
            (None, Some((_, value))) => {
                if !value.is_empty() {
                    value.push(' ');
                }
                value.push_str(tokens[i]);
            }
            (None, None) => return Err(format!("“{}” is not a describe field.", tokens[i])),
        }
        i += 1;
    }
    Ok(out)
}

fn number<T: std::str::FromStr>(what: &str, value: &str) -> Result<T, String> {
    value
        .trim()
        .parse()
        .map_err(|_| format!("{what} “{value}” is not a number."))
}

fn id_list(what: &str, value: &str) -> Result<Vec<u32>, String> {
    let value = value.trim();
    if value.is_empty() || value == "N/A" {
        return Ok(Vec::new());
    }
    value.split(',').map(|id| number::<u32>(what, id)).collect()
}

/// `k=v,k=v`: a value with a comma (`cleanup.policy=compact,delete`) keeps the pieces that
/// have no `=` of their own.
fn config_list(value: &str) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for piece in value.trim().split(',').filter(|p| !p.is_empty()) {
        match piece.split_once('=') {
            Some((k, v)) => out.push((k.trim().to_string(), v.trim().to_string())),
            None => match out.last_mut() {
                Some((_, v)) => {
                    v.push(',');
                    v.push_str(piece.trim());
                }
                None => return Err(format!("the config “{piece}” is not key=value.")),
            },
        }
    }
    Ok(out)
}

fn describe_line(parsed: &mut Parsed, n: u32, line: &str) -> Result<(), String> {
    let fields = fields(line)?;
    let get = |key: &str| {
        fields
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.trim())
    };
    let topic = get("Topic").unwrap_or_default().to_string();
    crate::sim::validate::validate_topic_name(&topic).map_err(|e| e.message().to_string())?;
    if let Some(count) = get("PartitionCount") {
        let configs = config_list(get("Configs").unwrap_or_default())?;
        parsed.topics.push(TopicLine {
            line: n,
            name: topic,
            partition_count: number("PartitionCount", count)?,
            replication_factor: number(
                "ReplicationFactor",
                get("ReplicationFactor").ok_or("no ReplicationFactor.")?,
            )?,
            configs,
        });
        return Ok(());
    }
    let partition =
        get("Partition").ok_or("a topic line needs PartitionCount, a partition line Partition.")?;
    let leader = match get("Leader").ok_or("no Leader.")? {
        "none" | "-1" => None,
        id => Some(number("Leader", id)?),
    };
    let elr = ["Elr", "LastKnownElr"]
        .iter()
        .any(|k| get(k).is_some_and(|v| !v.is_empty() && v != "N/A"));
    parsed.partitions.push(PartitionLine {
        line: n,
        topic,
        partition: number("Partition", partition)?,
        leader,
        replicas: id_list("Replicas", get("Replicas").ok_or("no Replicas.")?)?,
        isr: id_list("Isr", get("Isr").ok_or("no Isr.")?)?,
        elr,
        reassigning: get("Adding Replicas").is_some_and(|v| !v.is_empty())
            || get("Removing Replicas").is_some_and(|v| !v.is_empty()),
    });
    Ok(())
}

/// The start of a line, as a message may quote it (control and direction characters shown).
fn quoted(line: &str) -> String {
    let head: String = line.chars().take(60).collect();
    let more = if line.chars().count() > 60 { "…" } else { "" };
    format!("{}{more}", crate::sim::text::visible(&head))
}

fn optional(value: &str) -> Option<&str> {
    (value != MISSING).then_some(value)
}

fn table_row(parsed: &mut Parsed, table: &Table, n: u32, line: &str) -> Result<(), String> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let columns = match table {
        Table::State => return Ok(()),
        Table::Offsets(c) | Table::Members(c) => c,
    };
    // CLIENT-ID is last and may be empty.
    if tokens.len() + 1 < columns.len() || tokens.len() > columns.len() + 8 {
        return Err(format!(
            "this row has {} values; its header has {} columns.",
            tokens.len(),
            columns.len()
        ));
    }
    let cell = |name: &str| -> &str {
        columns
            .iter()
            .position(|c| c == name)
            .and_then(|i| tokens.get(i).copied())
            .unwrap_or("")
    };
    let group = cell("GROUP").to_string();
    match table {
        Table::Offsets(_) => {
            let topic = cell("TOPIC").to_string();
            if topic == MISSING {
                // A member with nothing assigned and no offsets: it shows in `--members`.
                parsed.group_seen(&group, n);
                return Ok(());
            }
            crate::sim::validate::validate_topic_name(&topic)
                .map_err(|e| e.message().to_string())?;
            let offset = |what: &str| -> Result<Option<u64>, String> {
                optional(cell(what)).map(|v| number(what, v)).transpose()
            };
            let row = OffsetRow {
                line: n,
                group: group.clone(),
                topic,
                partition: number("PARTITION", cell("PARTITION"))?,
                current: offset("CURRENT-OFFSET")?,
                log_end: offset("LOG-END-OFFSET")?,
                consumer: optional(cell("CONSUMER-ID")).map(str::to_string),
                client: optional(cell("CLIENT-ID"))
                    .filter(|c| !c.is_empty())
                    .map(str::to_string),
            };
            parsed.group_seen(&group, n);
            parsed.offsets.push(row);
        }
        Table::Members(_) => {
            let assignment = optional(cell("CURRENT-ASSIGNMENT"))
                .map(assignment_list)
                .transpose()?
                .unwrap_or_default();
            number::<u32>("#PARTITIONS", cell("#PARTITIONS"))?;
            parsed.group_seen(&group, n);
            parsed.members.push(MemberRow {
                group,
                consumer: cell("CONSUMER-ID").to_string(),
                client: cell("CLIENT-ID").to_string(),
                assignment,
            });
        }
        Table::State => {}
    }
    Ok(())
}

/// `getAssignmentString`'s `t:0,1;u:2`.
fn assignment_list(text: &str) -> Result<Vec<(String, u32)>, String> {
    let mut out = Vec::new();
    for part in text.split(';').filter(|p| !p.is_empty()) {
        let (topic, list) = part
            .rsplit_once(':')
            .ok_or_else(|| format!("the assignment “{part}” is not topic:partitions."))?;
        for p in list.split(',') {
            out.push((topic.to_string(), number("partition", p)?));
        }
    }
    Ok(out)
}

/// A line the tools print around their output, or a prompt pasted with it: skipped.
fn ignorable(line: &str) -> bool {
    line.starts_with('$')
        || line.starts_with('#')
        || line.starts_with('>')
        || line.contains("kafka-topics.sh")
        || line.contains("kafka-consumer-groups.sh")
}

fn parse(text: &str) -> Result<Parsed, Vec<LineError>> {
    let mut parsed = Parsed::default();
    let mut errors = Vec::new();
    let mut table: Option<Table> = None;
    for (i, raw) in text.lines().enumerate() {
        let n = i as u32 + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if ignorable(line) {
            continue;
        }
        let result = if line.starts_with("Topic:") {
            table = None;
            describe_line(&mut parsed, n, line)
        } else if line.starts_with("GROUP ") {
            let columns: Vec<String> = line.split_whitespace().map(str::to_string).collect();
            let has = |c: &str| columns.iter().any(|x| x == c);
            if has("CURRENT-OFFSET") && has("LOG-END-OFFSET") && has("TOPIC") && has("PARTITION") {
                table = Some(Table::Offsets(columns));
                Ok(())
            } else if has("CONSUMER-ID") && has("#PARTITIONS") {
                table = Some(Table::Members(columns));
                Ok(())
            } else if has("COORDINATOR") && has("STATE") {
                parsed
                    .notes
                    .push(format!("Line {n}: the --state table is left out (the playground's group states come from its own coordinator)."));
                table = Some(Table::State);
                Ok(())
            } else {
                Err("a GROUP header needs TOPIC, PARTITION, CURRENT-OFFSET and LOG-END-OFFSET (--describe) or CONSUMER-ID and #PARTITIONS (--members).".to_string())
            }
        } else if let Some(group) = line
            .strip_prefix("Consumer group '")
            .and_then(|rest| rest.strip_suffix("' has no active members."))
        {
            parsed.group_seen(group, n);
            Ok(())
        } else if let Some(group) = line
            .strip_prefix("Warning: Consumer group '")
            .and_then(|rest| rest.strip_suffix("' is rebalancing."))
        {
            parsed.group_seen(group, n);
            parsed.notes.push(format!(
                "Line {n}: group {group} was rebalancing; here it is shown once its members have their partitions."
            ));
            Ok(())
        } else if let Some(t) = &table {
            let t = t.clone();
            table_row(&mut parsed, &t, n, line)
        } else {
            Err(format!(
                "“{}” is not a line of kafka-topics.sh --describe or kafka-consumer-groups.sh --describe.",
                quoted(line)
            ))
        };
        if let Err(e) = result
            && errors.len() < 50
        {
            errors.push(at(n, e));
        }
    }
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(errors)
    }
}

// ---------------------------------------------------------------------------------------------
// The shape, checked

/// A topic as the scenario builds it.
#[derive(Clone, Debug)]
struct TopicShape {
    name: String,
    line: u32,
    /// Replicas per partition, brokers renumbered; `None`: not in the topics output.
    replicas: Option<Vec<Vec<u32>>>,
    partition_count: u32,
    configs: Vec<(String, String)>,
}

fn check_topics(
    parsed: &Parsed,
    notes: &mut Vec<String>,
) -> Result<Vec<TopicShape>, Vec<LineError>> {
    let mut errors = Vec::new();
    let mut shapes: Vec<TopicShape> = Vec::new();
    for t in &parsed.topics {
        if crate::sim::validate::is_internal_topic(&t.name) {
            notes.push(format!(
                "Line {}: {} is Kafka's own topic; the playground makes its own.",
                t.line, t.name
            ));
            continue;
        }
        if shapes.iter().any(|s| s.name == t.name) {
            errors.push(at(t.line, format!("topic {} is described twice.", t.name)));
            continue;
        }
        if t.partition_count == 0 || t.partition_count > MAX_PARTITIONS {
            errors.push(at(
                t.line,
                format!(
                    "{} has {} partitions; the playground holds 1 to {MAX_PARTITIONS} per topic.",
                    t.name, t.partition_count
                ),
            ));
            continue;
        }
        let lines: Vec<&PartitionLine> = parsed
            .partitions
            .iter()
            .filter(|p| p.topic == t.name)
            .collect();
        let mut replicas = Vec::new();
        for id in 0..t.partition_count {
            let found: Vec<&&PartitionLine> = lines.iter().filter(|p| p.partition == id).collect();
            match found.as_slice() {
                [p] => {
                    if p.replicas.len() as u32 != t.replication_factor {
                        errors.push(at(
                            p.line,
                            format!(
                                "{} replicas, but line {} says ReplicationFactor: {}.",
                                p.replicas.len(),
                                t.line,
                                t.replication_factor
                            ),
                        ));
                    }
                    replicas.push(p.replicas.clone());
                }
                [] => errors.push(at(
                    t.line,
                    format!(
                        "{} has no line for partition {id}: paste the whole --describe output.",
                        t.name
                    ),
                )),
                [_, second, ..] => errors.push(at(
                    second.line,
                    format!("partition {id} of {} is described twice.", t.name),
                )),
            }
        }
        if let Some(p) = lines.iter().find(|p| p.partition >= t.partition_count) {
            errors.push(at(
                p.line,
                format!(
                    "partition {} of {}, which has PartitionCount: {}.",
                    p.partition, t.name, t.partition_count
                ),
            ));
        }
        let mut configs = Vec::new();
        for (k, v) in &t.configs {
            if (k.as_str(), v.as_str()) == STATIC_SEGMENT_BYTES {
                continue;
            }
            let mut probe = crate::sim::validate::TopicConfig::default();
            match probe.set(k, v) {
                Ok(()) => configs.push((k.clone(), v.clone())),
                Err(e) => notes.push(format!(
                    "Line {}: {k}={v} is left out ({}).",
                    t.line,
                    e.message()
                )),
            }
        }
        if !t
            .configs
            .iter()
            .any(|(k, v)| (k.as_str(), v.as_str()) == STATIC_SEGMENT_BYTES)
            && !configs.iter().any(|(k, _)| k == STATIC_SEGMENT_BYTES.0)
        {
            notes.push(format!(
                "Line {}: the playground's brokers run the quickstart's server.properties, so --describe lists segment.bytes=1073741824 for {} too.",
                t.line, t.name
            ));
        }
        shapes.push(TopicShape {
            name: t.name.clone(),
            line: t.line,
            replicas: Some(replicas),
            partition_count: t.partition_count,
            configs,
        });
    }
    for p in &parsed.partitions {
        if !parsed.topics.iter().any(|t| t.name == p.topic) {
            errors.push(at(
                p.line,
                format!("a partition of {} without its “Topic: {} … PartitionCount:” line: paste the whole --describe output.", p.topic, p.topic),
            ));
        }
        if let Some(leader) = p.leader
            && !p.isr.contains(&leader)
        {
            errors.push(at(
                p.line,
                format!("the leader {leader} is not in the ISR."),
            ));
        }
        if let Some(b) = p.isr.iter().find(|b| !p.replicas.contains(b)) {
            errors.push(at(
                p.line,
                format!("broker {b} is in the ISR but not a replica."),
            ));
        }
        if let Some(b) = p
            .replicas
            .iter()
            .enumerate()
            .find(|(i, b)| p.replicas[..*i].contains(b))
        {
            errors.push(at(p.line, format!("broker {} is a replica twice.", b.1)));
        }
        if p.elr {
            notes.push(format!(
                "Line {}: the playground keeps no eligible leader replicas (Elr, LastKnownElr): it prints them empty.",
                p.line
            ));
        }
        if p.reassigning {
            notes.push(format!(
                "Line {}: a reassignment was in progress; the playground shows the replicas as listed, without it.",
                p.line
            ));
        }
    }
    // Topics only the groups name.
    for row in &parsed.offsets {
        if crate::sim::validate::is_internal_topic(&row.topic) {
            continue;
        }
        match shapes.iter_mut().find(|s| s.name == row.topic) {
            Some(s) if s.replicas.is_none() => {
                s.partition_count = s.partition_count.max(row.partition + 1);
            }
            Some(s) => {
                if row.partition >= s.partition_count {
                    errors.push(at(
                        row.line,
                        format!(
                            "partition {} of {}, which has {} partitions.",
                            row.partition, row.topic, s.partition_count
                        ),
                    ));
                }
            }
            None => {
                notes.push(format!(
                    "Line {}: {} is not in the kafka-topics.sh output, so it has one replica per partition here.",
                    row.line, row.topic
                ));
                shapes.push(TopicShape {
                    name: row.topic.clone(),
                    line: row.line,
                    replicas: None,
                    partition_count: row.partition + 1,
                    configs: Vec::new(),
                });
            }
        }
    }
    if let Some(s) = shapes.iter().find(|s| s.partition_count > MAX_PARTITIONS) {
        errors.push(at(
            s.line,
            format!(
                "{} has more than {MAX_PARTITIONS} partitions, the playground's most.",
                s.name
            ),
        ));
    }
    if shapes.len() as u32 >= MAX_TOPICS {
        errors.push(at(
            0,
            format!(
                "{} topics; the playground holds at most {}.",
                shapes.len(),
                MAX_TOPICS - 1
            ),
        ));
    }
    if errors.is_empty() {
        Ok(shapes)
    } else {
        Err(errors)
    }
}

/// Broker ids as the playground numbers them: kept when all are 1 to 9, else renumbered
/// 1, 2, … in order.
fn broker_map(parsed: &Parsed, notes: &mut Vec<String>) -> Result<BTreeMap<u32, u32>, LineError> {
    let ids: BTreeSet<u32> = parsed
        .partitions
        .iter()
        .flat_map(|p| p.replicas.iter().copied())
        .collect();
    if ids.len() as u32 > MAX_BROKERS {
        return Err(at(
            0,
            format!(
                "{} brokers hold replicas; the playground runs at most {MAX_BROKERS}.",
                ids.len()
            ),
        ));
    }
    if ids.iter().all(|id| (1..=MAX_BROKERS).contains(id)) {
        return Ok(ids.into_iter().map(|id| (id, id)).collect());
    }
    let map: BTreeMap<u32, u32> = ids.into_iter().zip(1..).collect();
    notes.push(format!(
        "The playground numbers brokers 1 to {MAX_BROKERS}: {}.",
        map.iter()
            .map(|(from, to)| format!("broker {from} is broker {to} here"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    Ok(map)
}

// ---------------------------------------------------------------------------------------------
// Building the scenario

/// Reads pasted describe output and builds its scenario (see the module doc). Errors name
/// their lines; nothing is built when there is one.
pub fn import(text: &str) -> Result<Imported, Vec<LineError>> {
    if text.len() > IMPORT_BYTES_MAX {
        return Err(vec![at(
            0,
            format!(
                "This is {} bytes; at most {IMPORT_BYTES_MAX} are read.",
                text.len()
            ),
        )]);
    }
    let lines = text.lines().count();
    if lines > IMPORT_LINES_MAX {
        return Err(vec![at(
            0,
            format!("This is {lines} lines; at most {IMPORT_LINES_MAX} are read."),
        )]);
    }
    let parsed = parse(text)?;
    if parsed.topics.is_empty()
        && parsed.partitions.is_empty()
        && parsed.offsets.is_empty()
        && parsed.members.is_empty()
        && parsed.groups.is_empty()
    {
        return Err(vec![at(
            0,
            "There is no describe output here: paste what kafka-topics.sh --describe or kafka-consumer-groups.sh --describe printed.",
        )]);
    }
    let mut notes = parsed.notes.clone();
    let topics = check_topics(&parsed, &mut notes)?;
    let brokers = broker_map(&parsed, &mut notes).map_err(|e| vec![e])?;
    if parsed.groups.len() > IMPORT_GROUPS_MAX {
        return Err(vec![at(
            parsed.groups[IMPORT_GROUPS_MAX].1,
            format!(
                "more than {IMPORT_GROUPS_MAX} groups; the playground imports at most {IMPORT_GROUPS_MAX}."
            ),
        )]);
    }
    let mapped = |id: u32| brokers.get(&id).copied().unwrap_or(id);

    // Log-end offsets: the highest any group shows.
    let mut log_end: BTreeMap<(String, u32), (u64, u32)> = BTreeMap::new();
    for row in &parsed.offsets {
        if let Some(end) = row.log_end {
            let entry = log_end
                .entry((row.topic.clone(), row.partition))
                .or_insert((end, row.line));
            if end > entry.0 {
                *entry = (end, row.line);
            }
        }
    }
    let total: u64 = log_end
        .values()
        .map(|(e, _)| *e)
        .fold(0, u64::saturating_add);
    if total > REPLAY_RECORDS_MAX {
        let (line, biggest) = log_end.values().max().map_or((0, 0), |(e, l)| (*l, *e));
        return Err(vec![at(
            line,
            format!(
                "the log-end offsets add up to {total} records (this one {biggest}); the playground rebuilds at most {REPLAY_RECORDS_MAX} records."
            ),
        )]);
    }

    let config = WorldConfig {
        brokers: brokers.values().copied().max().unwrap_or(1).max(1),
        ..WorldConfig::default()
    };
    let mut world = World::with_config(1, config);
    let fail = |line: u32, what: &str, e: crate::sim::SimError| {
        vec![at(line, format!("{what}: {}", e.message()))]
    };

    // Topics.
    for t in &topics {
        let command = match &t.replicas {
            Some(replicas) => Command::CreateTopicAssigned {
                name: t.name.clone(),
                replica_assignment: replicas
                    .iter()
                    .map(|r| r.iter().map(|b| mapped(*b)).collect())
                    .collect(),
                configs: t.configs.clone(),
            },
            None => Command::CreateTopic {
                name: t.name.clone(),
                partitions: Some(t.partition_count),
                replication_factor: Some(1),
                configs: Vec::new(),
            },
        };
        world
            .apply(command)
            .map_err(|e| fail(t.line, &format!("{} cannot be created", t.name), e))?;
    }

    // Records up to the log-end offsets.
    let mut records = 0u64;
    if total > 0 {
        let producer = match world.apply(Command::AddProducer {
            config: ProducerConfig::default(),
        }) {
            Ok(Outcome::Producer(id)) => id,
            Ok(_) => 1,
            Err(e) => return Err(fail(0, "no producer", e)),
        };
        for ((topic, partition), (end, line)) in &log_end {
            let mut sent = 0u64;
            while sent < *end {
                let count = (*end - sent).min(u64::from(PRODUCE_RECORDS_MAX)) as u32;
                world
                    .apply(Command::ProduceRecords {
                        producer,
                        topic: topic.clone(),
                        partition: *partition,
                        count,
                        first: sent,
                        value_prefix: "imported-".to_string(),
                    })
                    .map_err(|e| fail(*line, &format!("records for {topic}-{partition}"), e))?;
                sent += u64::from(count);
                let _ = world.advance(50);
            }
            records += *end;
        }
        let _ = world.apply(Command::Flush { producer });
        let _ = world.advance(2_000);
        for ((topic, partition), (end, line)) in &log_end {
            let reached = world
                .topic(topic)
                .and_then(|t| t.partitions.get(*partition as usize))
                .map_or(0, |p| p.high_watermark);
            if reached != *end {
                return Err(vec![at(
                    *line,
                    format!(
                        "{topic}-{partition} reached offset {reached}, not {end}, in the playground."
                    ),
                )]);
            }
        }
    }

    // Committed offsets.
    for row in &parsed.offsets {
        let Some(offset) = row.current else { continue };
        if crate::sim::validate::is_internal_topic(&row.topic) {
            continue;
        }
        if row.log_end.is_some_and(|end| offset > end) {
            notes.push(format!(
                "Line {}: the committed offset {offset} is past the log end; Kafka's tool moves it back to the log end, as here.",
                row.line
            ));
        }
        world
            .apply(Command::ResetOffsets {
                group: row.group.clone(),
                topic: Some(row.topic.clone()),
                target: OffsetTarget::Offset(offset),
                partitions: Some(vec![row.partition]),
            })
            .map_err(|e| fail(row.line, &format!("group {}'s offset", row.group), e))?;
    }

    // Brokers out of every ISR they could be in: stopped.
    let down = down_brokers(&parsed, &mut notes);
    for b in &down {
        world
            .apply(Command::StopBroker { id: mapped(*b) })
            .map_err(|e| fail(0, &format!("broker {b} cannot be stopped"), e))?;
    }
    let _ = world.advance(100);

    // Members.
    let mut member_count = 0u32;
    let mut groups_with_members = Vec::new();
    for (group, line) in &parsed.groups {
        let members = group_members(&parsed, group);
        if members.is_empty() {
            continue;
        }
        if members.len() as u32 > MAX_MEMBERS {
            return Err(vec![at(
                *line,
                format!(
                    "group {group} has {} members; the playground runs at most {MAX_MEMBERS} per group.",
                    members.len()
                ),
            )]);
        }
        let mut topics_of: Vec<String> = parsed
            .offsets
            .iter()
            .filter(|r| &r.group == group)
            .map(|r| r.topic.clone())
            .chain(
                parsed
                    .members
                    .iter()
                    .filter(|m| &m.group == group)
                    .flat_map(|m| m.assignment.iter().map(|(t, _)| t.clone())),
            )
            .filter(|t| world.topic(t).is_some())
            .collect();
        crate::sim::sort::sort(&mut topics_of);
        topics_of.dedup();
        if topics_of.is_empty() {
            notes.push(format!(
                "Line {line}: group {group}'s members are left out: the text names no topic they read."
            ));
            continue;
        }
        for (_, client) in &members {
            let config = ConsumerConfig {
                client_id: client.clone(),
                group_id: Some(group.clone()),
                processing_ms_per_record: IMPORT_PROCESSING_MS_PER_RECORD,
                ..ConsumerConfig::default()
            };
            world
                .apply(Command::AddConsumer {
                    config,
                    subscription: Subscription::Topics(topics_of.clone()),
                })
                .map_err(|e| fail(*line, &format!("a member of {group}"), e))?;
            member_count += 1;
        }
        groups_with_members.push(group.clone());
    }
    // The moment: every group with members stable, each member with its partitions.
    for _ in 0..300 {
        let settled = groups_with_members.iter().all(|g| {
            world
                .group(g)
                .is_some_and(|g| g.state == GroupState::Stable)
        });
        if settled {
            break;
        }
        let _ = world.advance(100);
    }
    if !groups_with_members.is_empty() {
        notes.push(format!(
            "Members are the playground's consumers (its member ids; partitions assigned by its range assignor, which may differ from your cluster's); each takes {IMPORT_PROCESSING_MS_PER_RECORD} ms per record, a pace chosen here."
        ));
    }
    if records > 0 {
        notes.push(format!(
            "{records} records were made up to reach the log-end offsets: null keys, values imported-0, imported-1, …"
        ));
    }
    compare(&world, &parsed, &mapped, &mut notes);

    let moment = world.now_ms();
    let mut doc = ScenarioDoc::new(world.scenario());
    doc.moment_ms = Some(moment);
    doc.horizon_ms = Some(moment);
    doc.playground.playing = false;
    doc.playground.producer = 1;
    if let Some(topic) = parsed
        .offsets
        .iter()
        .map(|r| &r.topic)
        .chain(topics.iter().map(|t| &t.name))
        .find(|t| world.topic(t).is_some() && !crate::sim::validate::is_internal_topic(t))
    {
        doc.playground.topic = topic.clone();
    }
    doc.validate().map_err(|e| vec![at(0, e.0)])?;
    let partitions: u32 = topics.iter().map(|t| t.partition_count).sum();
    let summary = format!(
        "{} broker{}{}, {} topic{} ({partitions} partition{}), {} group{} ({member_count} member{}), {records} record{}.",
        world.brokers().len(),
        plural(world.brokers().len() as u64),
        if down.is_empty() {
            String::new()
        } else {
            format!(
                " (broker{} {} stopped)",
                plural(down.len() as u64),
                down.iter()
                    .map(|b| mapped(*b).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        topics.len(),
        plural(topics.len() as u64),
        plural(u64::from(partitions)),
        parsed.groups.len(),
        plural(parsed.groups.len() as u64),
        plural(u64::from(member_count)),
        plural(records),
    );
    Ok(Imported {
        doc,
        summary,
        notes,
    })
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A group's members, in the order the text first shows them: (consumer id, client id).
fn group_members(parsed: &Parsed, group: &str) -> Vec<(String, String)> {
    let mut members: Vec<(String, String)> = Vec::new();
    let rows = parsed
        .offsets
        .iter()
        .filter(|r| r.group == group)
        .filter_map(|r| {
            r.consumer
                .clone()
                .map(|c| (c, r.client.clone().unwrap_or_default()))
        })
        .chain(
            parsed
                .members
                .iter()
                .filter(|m| m.group == group)
                .map(|m| (m.consumer.clone(), m.client.clone())),
        );
    for (consumer, client) in rows {
        if !members.iter().any(|(c, _)| *c == consumer) {
            members.push((consumer, client));
        }
    }
    members
}

/// Brokers the text shows out of every ISR they could be in (or the last ISR member of an
/// offline partition): the playground stops them, which is what takes a broker out of the
/// ISR here. A broker out of some ISRs but in others was up and lagging: the playground
/// cannot hold a live follower behind, so it stays in sync, and a note says so. Ordered so
/// that the last ISR member of an offline partition stops last.
fn down_brokers(parsed: &Parsed, notes: &mut Vec<String>) -> Vec<u32> {
    let mut ids: BTreeSet<u32> = BTreeSet::new();
    for p in &parsed.partitions {
        ids.extend(p.replicas.iter().copied());
    }
    let mut down = Vec::new();
    for b in ids {
        let of_b: Vec<&PartitionLine> = parsed
            .partitions
            .iter()
            .filter(|p| p.replicas.contains(&b))
            .collect();
        let out_of =
            |p: &&PartitionLine| !p.isr.contains(&b) || (p.leader.is_none() && p.isr == [b]);
        let outs: Vec<&&PartitionLine> = of_b.iter().filter(|p| out_of(p)).collect();
        if outs.is_empty() {
            continue;
        }
        if outs.len() == of_b.len() && !of_b.iter().any(|p| p.leader == Some(b)) {
            down.push(b);
        } else {
            let lines: Vec<String> = outs
                .iter()
                .filter(|p| !p.isr.contains(&b))
                .map(|p| p.line.to_string())
                .collect();
            if !lines.is_empty() {
                notes.push(format!(
                    "Line{} {}: broker {b} is out of the ISR there but in others, so it was up and lagging; the playground cannot hold a live follower behind, so it is in sync here.",
                    if lines.len() == 1 { "" } else { "s" },
                    lines.join(", ")
                ));
            }
        }
    }
    // A broker that is the last ISR member of an offline partition stops after the others.
    let last = |b: &u32| {
        parsed
            .partitions
            .iter()
            .any(|p| p.leader.is_none() && p.isr == [*b])
    };
    crate::sim::sort::sort_by_key(&mut down, |b| (last(b), *b));
    down
}

/// Compares the rebuilt world with the text; each difference becomes a note with its line.
fn compare(world: &World, parsed: &Parsed, mapped: &dyn Fn(u32) -> u32, notes: &mut Vec<String>) {
    for p in &parsed.partitions {
        let Some(part) = world
            .topic(&p.topic)
            .and_then(|t| t.partitions.get(p.partition as usize))
        else {
            continue;
        };
        let leader = p.leader.map(mapped);
        let isr: Vec<u32> = p.isr.iter().map(|b| mapped(*b)).collect();
        let show = |leader: Option<u32>, isr: &[u32]| {
            format!(
                "Leader: {} Isr: {}",
                leader.map_or("none".to_string(), |l| l.to_string()),
                isr.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
            )
        };
        if part.leader != leader || part.isr != isr {
            let mut same_set = part.isr.clone();
            let mut theirs = isr.clone();
            crate::sim::sort::sort(&mut same_set);
            crate::sim::sort::sort(&mut theirs);
            let why = if part.leader == leader && same_set == theirs {
                "the playground keeps the ISR in replica order"
            } else if part.leader != leader && same_set == theirs {
                "the playground's leader is the first live in-sync replica"
            } else {
                "the playground elects the first live in-sync replica and takes only stopped brokers out of the ISR"
            };
            notes.push(format!(
                "Line {}: {}-{} shows {} here ({why}).",
                p.line,
                p.topic,
                p.partition,
                show(part.leader, &part.isr)
            ));
        }
    }
    for row in &parsed.offsets {
        let Some(current) = row.current else { continue };
        let committed = world.group(&row.group).and_then(|g| {
            g.committed
                .iter()
                .find(|((t, p), _)| **t == *row.topic && *p == row.partition)
                .map(|(_, c)| c.offset)
        });
        if committed != Some(current) && row.log_end.is_none_or(|end| current <= end) {
            notes.push(format!(
                "Line {}: group {}'s committed offset for {}-{} is {} here.",
                row.line,
                row.group,
                row.topic,
                row.partition,
                committed.map_or("none".to_string(), |c| c.to_string())
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_read_tabs_spaces_and_blank_values() {
        let f = fields(
            "Topic: t\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1,2\tElr: \tLastKnownElr: ",
        )
        .expect("fields");
        assert_eq!(f[0], ("Topic", "t".to_string()));
        assert_eq!(f[4], ("Isr", "1,2".to_string()));
        assert_eq!(f[5], ("Elr", String::new()));
        let f = fields("Topic: t Partition: 0 Leader: none Replicas: 1 Isr: 1 Adding Replicas: 2 Removing Replicas: ")
            .expect("fields");
        assert_eq!(f[5], ("Adding Replicas", "2".to_string()));
        assert_eq!(f[6], ("Removing Replicas", String::new()));
    }

    #[test]
    fn configs_with_commas_keep_their_values() {
        assert_eq!(
            config_list("cleanup.policy=compact,delete,retention.ms=1000").expect("configs"),
            vec![
                ("cleanup.policy".to_string(), "compact,delete".to_string()),
                ("retention.ms".to_string(), "1000".to_string())
            ]
        );
        assert!(config_list("").expect("empty").is_empty());
    }

    #[test]
    fn assignments_read_as_kafka_prints_them() {
        assert_eq!(
            assignment_list("a:0,1;b.c:2").expect("assignment"),
            vec![
                ("a".to_string(), 0),
                ("a".to_string(), 1),
                ("b.c".to_string(), 2)
            ]
        );
    }
}
