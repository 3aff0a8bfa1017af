//! Client configuration and state: producers and consumers as Kafka 4's Java clients configure
//! them. Defaults are Kafka 4.0's (`linger.ms` 5, `acks` all, `session.timeout.ms` 45000, …).
//!
//! The world owns every client; these structs are plain data that `World` methods update.

use crate::sim::vecmap::{VecMap, VecSet};

use serde::{Deserialize, Serialize};

use crate::sim::assignor::{AssignorKind, RebalanceProtocol};
use crate::sim::log::Bytes;
use crate::sim::partitioner::{PartitionerKind, TopicPartitioner};
use crate::sim::trace::Name;

// ---------------------------------------------------------------------------------------------
// Producer

/// `acks`: how many replicas must have a record before the producer counts it as sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Acks {
    /// `acks=0`: fire and forget.
    Zero,
    /// `acks=1`: the leader has it.
    One,
    /// `acks=all` (`-1`): every in-sync replica has it (Kafka 3.0+ default).
    All,
}

impl Acks {
    /// Parses `0`, `1`, `all` or `-1` as Kafka does.
    pub fn parse(text: &str) -> Option<Acks> {
        match text.trim() {
            "0" => Some(Acks::Zero),
            "1" => Some(Acks::One),
            "all" | "-1" => Some(Acks::All),
            _ => None,
        }
    }
}

/// A producer's configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProducerConfig {
    /// `client.id`.
    pub client_id: String,
    /// `acks`.
    pub acks: Acks,
    /// `linger.ms` (Kafka 4.0 default: 5).
    pub linger_ms: u64,
    /// `batch.size` in bytes (default 16384).
    pub batch_size: u32,
    /// `max.request.size` in bytes (default 1048576).
    pub max_request_size: u32,
    /// `retry.backoff.ms` (default 100).
    pub retry_backoff_ms: u64,
    /// `delivery.timeout.ms` (default 120000).
    pub delivery_timeout_ms: u64,
    /// `partitioner.class`.
    pub partitioner: PartitionerKind,
}

impl Default for ProducerConfig {
    fn default() -> Self {
        Self {
            client_id: String::new(),
            acks: Acks::All,
            linger_ms: 5,
            batch_size: 16_384,
            max_request_size: 1_048_576,
            retry_backoff_ms: 100,
            delivery_timeout_ms: 120_000,
            partitioner: PartitionerKind::BuiltIn,
        }
    }
}

/// A record waiting in a producer batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingRecord {
    pub key: Option<Bytes>,
    pub value: Option<Bytes>,
    pub headers: Vec<crate::sim::log::Header>,
    pub timestamp_ms: u64,
    pub size_bytes: u32,
}

/// A batch being filled for one partition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenBatch {
    pub records: Vec<PendingRecord>,
    pub size_bytes: u32,
    pub created_ms: u64,
    /// Identifies the batch so a stale linger timer can tell it is not for this one.
    pub batch_id: u64,
}

/// A producer client's state.
#[derive(Clone, Debug)]
pub struct Producer {
    pub id: u32,
    pub config: ProducerConfig,
    pub open: VecMap<(Name, u32), OpenBatch>,
    /// Partitioning state per topic (sticky partition, round-robin counter).
    pub partitioners: VecMap<Name, TopicPartitioner>,
    pub next_batch_id: u64,
    /// The next batch sequence number per partition (the idempotent producer's).
    pub next_seq: VecMap<(Name, u32), u64>,
    pub closed: bool,
    /// Records acknowledged so far.
    pub acked_records: u64,
    /// Records whose delivery failed for good.
    pub failed_records: u64,
}

// ---------------------------------------------------------------------------------------------
// Consumer

/// `group.protocol`: the rebalance protocol a consumer speaks, which is also the type of a
/// group it creates (`GroupType` in `kafka-consumer-groups.sh --list --type`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum GroupProtocol {
    /// `classic`: JoinGroup/SyncGroup, the assignment computed by the group's leader.
    #[default]
    Classic,
    /// `consumer` (KIP-848): heartbeats, the assignment computed by the group coordinator.
    Consumer,
}

impl GroupProtocol {
    /// Reads `classic` / `consumer`, case-insensitively (`ConfigDef.CaseInsensitiveValidString`).
    pub fn parse(text: &str) -> Option<GroupProtocol> {
        match text.trim().to_ascii_lowercase().as_str() {
            "classic" => Some(GroupProtocol::Classic),
            "consumer" => Some(GroupProtocol::Consumer),
            _ => None,
        }
    }

    /// The group type's name as `GroupType.toString` prints it.
    pub fn type_name(self) -> &'static str {
        match self {
            GroupProtocol::Classic => "Classic",
            GroupProtocol::Consumer => "Consumer",
        }
    }
}

/// `auto.offset.reset`: where to start when a group has no committed offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OffsetReset {
    Earliest,
    Latest,
    None,
}

impl OffsetReset {
    /// Parses Kafka's values.
    pub fn parse(text: &str) -> Option<OffsetReset> {
        match text.trim() {
            "earliest" => Some(OffsetReset::Earliest),
            "latest" => Some(OffsetReset::Latest),
            "none" => Some(OffsetReset::None),
            _ => None,
        }
    }
}

/// A consumer's configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsumerConfig {
    /// `client.id`.
    pub client_id: String,
    /// `group.id`; `None` for a consumer that only uses `assign`.
    pub group_id: Option<String>,
    /// `auto.offset.reset` (default latest).
    pub auto_offset_reset: OffsetReset,
    /// `enable.auto.commit` (default true with a group).
    pub enable_auto_commit: bool,
    /// `auto.commit.interval.ms` (default 5000).
    pub auto_commit_interval_ms: u64,
    /// `max.poll.records` (default 500).
    pub max_poll_records: u32,
    /// `session.timeout.ms` (default 45000).
    pub session_timeout_ms: u64,
    /// `heartbeat.interval.ms` (default 3000).
    pub heartbeat_interval_ms: u64,
    /// `max.poll.interval.ms` (default 300000); also the rebalance timeout.
    pub max_poll_interval_ms: u64,
    /// `fetch.max.wait.ms` (default 500): how long the broker holds an empty fetch.
    pub fetch_max_wait_ms: u64,
    /// `partition.assignment.strategy` (default range, cooperative-sticky).
    pub assignors: Vec<AssignorKind>,
    /// Simulated application work per polled record, in ms (0: instant).
    pub processing_ms_per_record: u64,
    /// `max.partition.fetch.bytes` (default 1 MiB): the most a fetch takes from one partition
    /// (the first record of a fetch is taken whatever its size, so a consumer always makes
    /// progress).
    #[serde(default = "default_max_partition_fetch_bytes")]
    pub max_partition_fetch_bytes: u32,
    /// `fetch.max.bytes` (default 50 MiB): the most one fetch takes in all.
    #[serde(default = "default_fetch_max_bytes")]
    pub fetch_max_bytes: u32,
    /// `group.protocol` (default classic).
    #[serde(default)]
    pub group_protocol: GroupProtocol,
}

impl Default for ConsumerConfig {
    fn default() -> Self {
        Self {
            client_id: String::new(),
            group_id: None,
            auto_offset_reset: OffsetReset::Latest,
            enable_auto_commit: true,
            auto_commit_interval_ms: 5_000,
            max_poll_records: 500,
            session_timeout_ms: 45_000,
            heartbeat_interval_ms: 3_000,
            max_poll_interval_ms: 300_000,
            fetch_max_wait_ms: 500,
            assignors: vec![AssignorKind::Range, AssignorKind::CooperativeSticky],
            processing_ms_per_record: 0,
            max_partition_fetch_bytes: default_max_partition_fetch_bytes(),
            fetch_max_bytes: default_fetch_max_bytes(),
            group_protocol: GroupProtocol::Classic,
        }
    }
}

impl ConsumerConfig {
    /// The rebalance protocol the consumer follows (`ConsumerCoordinator`'s constructor): the
    /// highest one all its assignors support. Only cooperative-sticky supports COOPERATIVE, so
    /// a consumer is cooperative only when every assignor it lists is cooperative-sticky;
    /// Kafka's default list (range, cooperative-sticky) is eager.
    pub fn rebalance_protocol(&self) -> RebalanceProtocol {
        let all_cooperative = !self.assignors.is_empty()
            && self
                .assignors
                .iter()
                .all(|a| a.protocol() == RebalanceProtocol::Cooperative);
        if all_cooperative {
            RebalanceProtocol::Cooperative
        } else {
            RebalanceProtocol::Eager
        }
    }
}

/// Kafka's default `max.partition.fetch.bytes`: 1 MiB.
fn default_max_partition_fetch_bytes() -> u32 {
    1_048_576
}

/// Kafka's default `fetch.max.bytes`: 50 MiB.
fn default_fetch_max_bytes() -> u32 {
    52_428_800
}

/// Where a consumer is in its life.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConsumerState {
    /// Created with a subscription; will send JoinGroup.
    Joining,
    /// Waiting for the JoinGroup response.
    AwaitingJoin,
    /// Waiting for the SyncGroup response.
    AwaitingSync,
    /// Has an assignment (or manual partitions) and fetches.
    Active,
    /// Closed gracefully.
    Stopped,
    /// Died without a word.
    Crashed,
}

/// A consumer client's state.
#[derive(Clone, Debug)]
pub struct Consumer {
    pub id: u32,
    pub config: ConsumerConfig,
    pub group: Option<Name>,
    pub member_id: Option<Name>,
    pub generation: i32,
    pub subscription: Vec<String>,
    /// Manually assigned partitions (`assign`), when not subscribed.
    pub manual: bool,
    pub state: ConsumerState,
    /// Partitions it owns now.
    pub assignment: VecSet<(Name, u32)>,
    /// Next offset to read, per owned partition.
    pub positions: VecMap<(Name, u32), u64>,
    /// A fetch is on its way (no second one is sent meanwhile).
    pub fetch_in_flight: bool,
    /// Whether it is parked on the broker waiting for data (long poll).
    pub parked: bool,
    /// The token of its one live poll: scheduling a poll supersedes any pending one, so a
    /// consumer never runs two poll loops (a wake-up or a rebalance would otherwise add one).
    pub poll_seq: u64,
    /// The token of its auto-commit timer: every completed join restarts the timer (Kafka's
    /// `onJoinComplete` resets `nextAutoCommitTimer`), superseding the pending one.
    pub commit_seq: u64,
    /// Records received so far.
    pub records_consumed: u64,
    /// Whether its heartbeat and auto-commit timers run.
    pub timers_started: bool,
    /// The generation its current assignment belongs to (-1 before the first).
    pub assignment_generation: i32,
    /// What it owned before an eager revocation: the sticky assignor's user data.
    pub previous_assignment: Vec<(Name, u32)>,
}

impl Consumer {
    /// Whether the client still runs.
    pub fn is_alive(&self) -> bool {
        !matches!(self.state, ConsumerState::Stopped | ConsumerState::Crashed)
    }
}
