//! Commands and scenarios: the only way anything outside the engine changes a world.
//!
//! A [`Scenario`] is a seed, a configuration and the timed list of commands. Replaying it
//! rebuilds the world exactly: that is how scrubbing back, share links, embeds and lessons work.
//! Everything here is serde-serializable.

use serde::{Deserialize, Serialize};

use crate::sim::client::{ConsumerConfig, ProducerConfig};
use crate::sim::error::SimError;
use crate::sim::streams::StepReport;
use crate::sim::world::WorldConfig;

/// Most records one [`Command::ProduceRecords`] sends (a bound on what one command may
/// hold in a producer's batches at once).
pub const PRODUCE_RECORDS_MAX: u32 = 10_000;

/// A record as a client hands it to a producer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRecord {
    pub topic: String,
    /// An explicit partition, honoured as Kafka honours it.
    pub partition: Option<u32>,
    /// `None` is a null key (sticky partitioning); `Some("")` is an empty key, hashed.
    pub key: Option<String>,
    /// `None` is a tombstone.
    pub value: Option<String>,
    pub headers: Vec<(String, Option<String>)>,
    /// CreateTime; `None` means "now".
    pub timestamp_ms: Option<u64>,
}

impl NewRecord {
    /// A record with a key (or none) and a value, for `topic`.
    pub fn new(topic: &str, key: Option<&str>, value: &str) -> Self {
        Self {
            topic: topic.to_string(),
            partition: None,
            key: key.map(str::to_string),
            value: Some(value.to_string()),
            headers: Vec::new(),
            timestamp_ms: None,
        }
    }
}

/// Where a consumer gets its partitions from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Subscription {
    /// `subscribe(topics)`: the group assigns partitions.
    Topics(Vec<String>),
    /// `assign(partitions)`: fixed partitions, no rebalancing.
    Partitions(Vec<(String, u32)>),
}

/// Where to move a group's committed offsets (`kafka-consumer-groups.sh --reset-offsets`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OffsetTarget {
    Earliest,
    Latest,
    Offset(u64),
    ShiftBy(i64),
}

/// A Kafka Streams application the playground can start: one of Kafka's examples, with its
/// topology and configuration (see `sim::streams::examples`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StreamsExample {
    /// The Streams quickstart's WordCount (splits on `\\W+`), `application.id`
    /// `streams-wordcount`.
    WordCount,
    /// Kafka's `WordCountDemo` class (4.x splits on `\\W+` too), `application.id`
    /// `streams-wordcount`.
    WordCountDemo,
    /// The tutorial's Pipe, `application.id` `streams-pipe`.
    Pipe,
    /// The tutorial's LineSplit, `application.id` `streams-linesplit`.
    LineSplit,
}

/// One change to the world.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    CreateTopic {
        name: String,
        partitions: Option<u32>,
        replication_factor: Option<u32>,
        configs: Vec<(String, String)>,
    },
    /// `kafka-topics.sh --create --replica-assignment 1:2,2:3`: partition `p`'s replicas are
    /// `replica_assignment[p]`, in order (the first is the preferred leader). Every partition
    /// has the same number of replicas, as Kafka requires.
    CreateTopicAssigned {
        name: String,
        replica_assignment: Vec<Vec<u32>>,
        configs: Vec<(String, String)>,
    },
    DeleteTopic {
        name: String,
    },
    IncreasePartitions {
        name: String,
        partitions: u32,
    },
    AlterTopicConfig {
        name: String,
        key: String,
        value: Option<String>,
    },
    StartBroker {
        id: u32,
    },
    StopBroker {
        id: u32,
    },
    SetAutoCreateTopics {
        enabled: bool,
    },
    AddProducer {
        config: ProducerConfig,
    },
    Produce {
        producer: u32,
        record: NewRecord,
    },
    Flush {
        producer: u32,
    },
    /// Lets `producer` send records on its own at `rate_per_s` (0 stops it), the way a load
    /// generator would: the k-th record after this command is sent at `k × 1000 / rate_per_s`
    /// ms, with the next key of `keys` (cycling; none means null keys) and the value
    /// `value_prefix` followed by a running count. Such records are regenerated from this one
    /// command on replay, never listed one by one (see `world/auto.rs`).
    SetAutoProduce {
        producer: u32,
        topic: String,
        rate_per_s: u32,
        keys: Vec<String>,
        value_prefix: String,
    },
    /// `producer` sends `count` records with null keys to `topic`-`partition` at once, the
    /// `i`-th (from 0) with the value `value_prefix` followed by `first + i`: how an import
    /// fills a partition up to a log-end offset it was given, as one command rather than one
    /// per record. At most [`PRODUCE_RECORDS_MAX`] records per command.
    ProduceRecords {
        producer: u32,
        topic: String,
        partition: u32,
        count: u32,
        first: u64,
        value_prefix: String,
    },
    CloseProducer {
        producer: u32,
    },
    AddConsumer {
        config: ConsumerConfig,
        subscription: Subscription,
    },
    StopConsumer {
        consumer: u32,
    },
    CrashConsumer {
        consumer: u32,
    },
    CommitSync {
        consumer: u32,
    },
    /// `KafkaConsumer.seek`: the consumer's next fetch of `topic`-`partition` starts at
    /// `offset`. The partition must be assigned to it.
    Seek {
        consumer: u32,
        topic: String,
        partition: u32,
        offset: u64,
    },
    ResetOffsets {
        group: String,
        topic: Option<String>,
        target: OffsetTarget,
        /// Only these partitions of `topic` (`--topic t:0,1`); `None` is every partition.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        partitions: Option<Vec<u32>>,
    },
    DeleteGroup {
        group: String,
    },
    /// `Admin.deleteRecords`: moves a partition's log start offset up to `offset` (at most
    /// its high watermark); the outcome is the new low watermark.
    DeleteRecords {
        topic: String,
        partition: u32,
        offset: u64,
    },
    /// `Admin.electLeaders` (`kafka-leader-election.sh`): for each of `partitions` (`None`: all
    /// of them, when only those where an election was needed are reported), a preferred or an
    /// unclean election; the outcome lists each partition with its error, if any.
    ElectLeaders {
        election_type: ElectionType,
        partitions: Option<Vec<(String, u32)>>,
    },
    /// `Admin.alterPartitionReassignments` (`kafka-reassign-partitions.sh --execute` and
    /// `--cancel`): for each partition, its target replicas (a reassignment, replacing one in
    /// progress) or `None` (cancel the one in progress); the outcome gives each partition's
    /// error, if any.
    AlterPartitionReassignments {
        reassignments: Vec<(String, u32, Option<Vec<u32>>)>,
    },
    /// Starts a Streams example. `cache_max_bytes` / `commit_interval_ms` override the
    /// example's `statestore.cache.max.bytes` / `commit.interval.ms`; `manual` makes it wait
    /// for the step commands instead of processing on its own.
    StartStreams {
        example: StreamsExample,
        cache_max_bytes: Option<u64>,
        commit_interval_ms: Option<u64>,
        manual: bool,
    },
    /// Switches a Streams application between processing on its own and waiting for steps.
    SetStreamsManual {
        app: u32,
        manual: bool,
    },
    /// One record through one processor node.
    StreamsStep {
        app: u32,
    },
    /// Steps until the record in progress has gone through the whole topology.
    StreamsFinishRecord {
        app: u32,
    },
    /// Steps until nothing is buffered or pending.
    StreamsRunUntilIdle {
        app: u32,
    },
    /// Closes a Streams application (it commits and leaves its group).
    StopStreams {
        app: u32,
    },
}

impl Command {
    /// Whether the command can change the world even when it is refused: a Streams step that
    /// fails stops its application (as a Kafka Streams thread dies on an exception), so the
    /// scenario must keep it.
    pub fn fails_with_effect(&self) -> bool {
        matches!(
            self,
            Command::StreamsStep { .. }
                | Command::StreamsFinishRecord { .. }
                | Command::StreamsRunUntilIdle { .. }
        )
    }
}

/// `org.apache.kafka.common.ElectionType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ElectionType {
    /// Make the first replica in the assignment the leader, if it is alive and in sync.
    Preferred,
    /// Give a partition without a leader one, from any live replica (records may be lost).
    Unclean,
}

impl ElectionType {
    /// The enum's name, as Kafka's tools print it.
    pub fn name(self) -> &'static str {
        match self {
            ElectionType::Preferred => "PREFERRED",
            ElectionType::Unclean => "UNCLEAN",
        }
    }
}

/// What a successful command gives back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done; nothing to report.
    Done,
    /// A producer was created with this id.
    Producer(u32),
    /// A consumer was created with this id.
    Consumer(u32),
    /// A record was accepted into a batch for this partition.
    Accepted {
        topic: crate::sim::trace::Name,
        partition: u32,
    },
    /// Offsets a reset moved (or would move): topic, partition, new offset.
    Offsets(Vec<(String, u32, u64)>),
    /// A Streams application was started with this id.
    Streams(u32),
    /// What the steps of a Streams application did, in order (empty: nothing to do).
    Steps(Vec<StepReport>),
    /// How many steps a Streams application took.
    StepCount(u64),
    /// Per partition, the error of its leader election (Kafka's `Errors` name), if any.
    Elections(Vec<(String, u32, Option<&'static str>)>),
    /// Per partition, the controller's error for its reassignment, if any.
    Reassignments(Vec<(String, u32, Option<SimError>)>),
}

/// A command and the virtual time it was applied at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimedCommand {
    pub at_ms: u64,
    pub command: Command,
}

/// Everything needed to rebuild a world exactly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    pub seed: u64,
    pub config: WorldConfig,
    pub commands: Vec<TimedCommand>,
}
