//! The trace: everything that happened in the world, stamped with virtual time.
//!
//! The trace is the single feed for the animation, the event log, metrics, lesson checkpoints
//! and tests. Anything that travels carries `sent_at_ms` and `arrives_at_ms` so a view can
//! draw it part way along its edge (`(now - sent) / (arrives - sent)`). Events are plain data:
//! no view code lives here. Record keys and values are shared (`Rc`), so events are cheap.

use crate::sim::log::Bytes;

/// A shared name (topic, group, member id): cloning it is a reference-count increment, so
/// per-record events stay cheap.
pub type Name = std::rc::Rc<str>;

/// The error of a JoinGroup refused because the member shares no assignor with the group
/// (`Errors.INCONSISTENT_GROUP_PROTOCOL`), as [`TraceKind::JoinGroupFailed`] carries it.
pub const JOIN_ERROR_INCONSISTENT_GROUP_PROTOCOL: &str = "INCONSISTENT_GROUP_PROTOCOL";

/// Who is at either end of something that travels.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Endpoint {
    /// A producer client, by id.
    Producer(u32),
    /// A consumer client, by id.
    Consumer(u32),
    /// A broker, by node id.
    Broker(u32),
}

/// One thing that happened, at virtual time `at_ms`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceEvent {
    /// Virtual time at which the event took effect, in milliseconds since the world began.
    pub at_ms: u64,
    /// What happened.
    pub kind: TraceKind,
}

/// Why a consumer group rebalances.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RebalanceReason {
    /// A member joined (or rejoined with a new subscription).
    MemberJoined(String),
    /// A member left the group gracefully (`LeaveGroup`).
    MemberLeft(String),
    /// A member missed heartbeats for `session.timeout.ms` and was removed.
    SessionTimeout(String),
    /// A subscribed topic gained partitions (or was created or deleted).
    MetadataChanged,
    /// A cooperative member gave up partitions and asked for the follow-up rebalance.
    CooperativeFollowUp(String),
}

/// The kinds of event the engine reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceKind {
    /// The world was created from `seed`.
    WorldStarted { seed: u64 },
    /// A broker started (or restarted).
    BrokerStarted { broker: u32 },
    /// A broker shut down (controlled shutdown: its leaderships move first).
    BrokerStopped { broker: u32 },
    /// A topic was created.
    TopicCreated {
        topic: Name,
        partitions: u32,
        replication_factor: u32,
    },
    /// A topic was deleted.
    TopicDeleted { topic: Name },
    /// A topic gained partitions.
    PartitionsIncreased { topic: Name, from: u32, to: u32 },
    /// A topic's configuration changed.
    TopicConfigChanged {
        topic: Name,
        key: String,
        value: Option<String>,
    },
    /// A partition got a new leader (or none: the partition is offline).
    LeaderChanged {
        topic: Name,
        partition: u32,
        leader: Option<u32>,
        leader_epoch: u32,
    },
    /// A partition's in-sync replica set changed.
    IsrChanged {
        topic: Name,
        partition: u32,
        isr: Vec<u32>,
    },
    /// A partition's replica set changed (`kafka-reassign-partitions.sh`): a reassignment
    /// started (`adding` join, `removing` will leave), completed (both empty) or was cancelled.
    ReplicasChanged {
        topic: Name,
        partition: u32,
        replicas: Vec<u32>,
        adding: Vec<u32>,
        removing: Vec<u32>,
    },
    /// A producer sent a batch to the partition's leader.
    ProduceSent {
        producer: u32,
        topic: Name,
        partition: u32,
        /// The keys of the batch's records, in order (the view colours records by key).
        keys: Vec<Option<Bytes>>,
        broker: u32,
        sent_at_ms: u64,
        arrives_at_ms: u64,
    },
    /// The leader appended a record to its log.
    RecordAppended {
        producer: Option<u32>,
        topic: Name,
        partition: u32,
        offset: u64,
        key: Option<Bytes>,
        value: Option<Bytes>,
        timestamp_ms: u64,
        broker: u32,
        sent_at_ms: u64,
        arrives_at_ms: u64,
    },
    /// A follower fetched from the leader and now holds the log up to `log_end_offset`.
    ReplicaFetched {
        topic: Name,
        partition: u32,
        follower: u32,
        leader: u32,
        log_end_offset: u64,
        sent_at_ms: u64,
        arrives_at_ms: u64,
    },
    /// The high watermark moved: records below it are committed and readable by consumers.
    HighWatermarkAdvanced {
        topic: Name,
        partition: u32,
        high_watermark: u64,
    },
    /// The producer received the broker's acknowledgement.
    ProduceAcked {
        producer: u32,
        topic: Name,
        partition: u32,
        base_offset: u64,
        records: u32,
        sent_at_ms: u64,
        arrives_at_ms: u64,
    },
    /// The broker refused a batch (the producer may retry).
    ProduceFailed {
        producer: u32,
        topic: Name,
        partition: u32,
        records: u32,
        /// The keys of the batch's records, in order (which record was refused).
        keys: Vec<Option<Bytes>>,
        error: String,
        retriable: bool,
        sent_at_ms: u64,
        arrives_at_ms: u64,
    },
    /// A consumer received a record from a fetch.
    RecordDelivered {
        consumer: u32,
        group: Option<Name>,
        topic: Name,
        partition: u32,
        offset: u64,
        key: Option<Bytes>,
        value: Option<Bytes>,
        /// The group had already been given this offset before (at-least-once redelivery).
        duplicate: bool,
        broker: u32,
        sent_at_ms: u64,
        arrives_at_ms: u64,
    },
    /// A consumer's offsets were committed to the group coordinator.
    OffsetsCommitted {
        consumer: u32,
        group: Name,
        offsets: Vec<(Name, u32, u64)>,
        sent_at_ms: u64,
        arrives_at_ms: u64,
    },
    /// A consumer group started a rebalance.
    RebalanceStarted {
        group: Name,
        generation: i32,
        reason: RebalanceReason,
    },
    /// A member sent JoinGroup to the coordinator.
    JoinGroupSent {
        group: Name,
        consumer: u32,
        coordinator: u32,
        sent_at_ms: u64,
        arrives_at_ms: u64,
    },
    /// The coordinator refused a JoinGroup with `error` (Kafka's `Errors` name, such as
    /// `INCONSISTENT_GROUP_PROTOCOL`); the consumer is not a member.
    JoinGroupFailed {
        group: Name,
        consumer: u32,
        error: String,
    },
    /// The coordinator finished a rebalance: a new generation and its assignment.
    RebalanceCompleted {
        group: Name,
        generation: i32,
        leader: String,
        protocol: String,
        assignment: Vec<(Name, Vec<(Name, u32)>)>,
    },
    /// A member received its assignment (and gave up `revoked`).
    AssignmentReceived {
        group: Name,
        consumer: u32,
        member_id: String,
        generation: i32,
        assigned: Vec<(Name, u32)>,
        revoked: Vec<(Name, u32)>,
        sent_at_ms: u64,
        arrives_at_ms: u64,
    },
    /// A member gave up partitions before rejoining (eager: all of them; cooperative: those
    /// that move).
    PartitionsRevoked {
        group: Name,
        consumer: u32,
        partitions: Vec<(Name, u32)>,
    },
    /// A member left or was removed from its group.
    MemberRemoved {
        group: Name,
        member_id: String,
        reason: RebalanceReason,
    },
    /// A group's state changed (Empty, PreparingRebalance, CompletingRebalance, Stable, Dead).
    GroupStateChanged { group: Name, state: String },
    /// A consumer client was created.
    ConsumerStarted { consumer: u32, group: Option<Name> },
    /// A consumer closed gracefully.
    ConsumerStopped { consumer: u32 },
    /// A consumer process died without a word to anyone.
    ConsumerCrashed { consumer: u32 },
    /// A producer client was created.
    ProducerStarted { producer: u32 },
    /// Retention deleted old segments; the log now starts at `log_start_offset`.
    RetentionDeleted {
        topic: Name,
        partition: u32,
        records: u64,
        log_start_offset: u64,
        reason: String,
    },
    /// The log cleaner compacted a partition.
    LogCleaned {
        topic: Name,
        partition: u32,
        records_removed: u64,
        tombstones_removed: u64,
    },
}
