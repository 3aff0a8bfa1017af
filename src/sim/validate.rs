//! Checks on topic commands, with the exact messages Apache Kafka 4.1 answers them with.
//!
//! Three families, each a pure function returning [`SimError`] values (never a panic, whatever
//! the input: empty, huge or non-ASCII strings):
//!
//! * **Topic names**, as `org.apache.kafka.common.internals.Topic`: the legal-name rules
//!   ([`validate_topic_name`]), the `.`/`_` collision that `kafka-topics` warns about
//!   ([`collision_warning`]) and the controller refuses between two topics
//!   ([`validate_new_topic_name`]), and the internal topic names.
//! * **Partition counts and replication factors**, as the KRaft controller's
//!   `ReplicationControlManager` and `StripedReplicaPlacer` check them on create
//!   ([`validate_create_counts`]) and on adding partitions ([`validate_create_partitions`]),
//!   plus the client-side checks of `kafka-topics` ([`check_topic_command_counts`]).
//! * **Topic configs**, as `LogConfig`'s `ConfigDef` parses and validates them
//!   ([`TopicConfig::apply`]): Kafka's types (`INT`, `LONG`, `DOUBLE`, `BOOLEAN`, `STRING`,
//!   `LIST`), validators (`atLeast`, `between`, `in`) and defaults, an unknown name refused, and
//!   the cross-config checks the controller adds.
//!
//! Invariants: a [`TopicConfig`] only ever holds a combination of overrides Kafka accepts — a
//! refused [`TopicConfig::apply`] leaves it untouched — and its typed fields always equal Kafka's
//! defaults overlaid with those overrides.
//!
//! Which Kafka: 4.1 (KRaft). Where 4.x releases differ, this module follows 4.1 and the doc of
//! the item says what the others do: `segment.bytes` at least 1 MiB at topic level is 4.1+
//! (4.0 accepted 14), the strict list validation of KIP-1161 (no duplicate or empty
//! `cleanup.policy` entries) is 4.2+, and 4.3 (KIP-1066) appends "or some brokers have all their
//! log directories cordoned" to the placer's messages.
//!
//! Simplified versus Kafka: values are parsed as Java would for ASCII input; Java's parsers also
//! accept non-ASCII decimal digits (`Character.digit`) and hexadecimal floating-point literals,
//! which are refused here as "Not a number". `compression.gzip.level`, `compression.lz4.level`
//! and `compression.zstd.level` are type-checked but their level ranges are not; tiered storage
//! is never enabled, so every `remote.storage.enable=true` is refused as a broker without tiered
//! storage refuses it. When a batch holds several unknown names, Kafka reports whichever its hash
//! map yields first; this module reports the first in input order.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::sim::error::SimError;
use crate::sim::log::LogSettings;

// ---------------------------------------------------------------------------------------------
// Topic names
// ---------------------------------------------------------------------------------------------

/// The longest legal topic name, in UTF-16 code units (Java `String.length()`).
pub const MAX_TOPIC_NAME_LENGTH: u32 = 249;

/// The consumer-offsets topic (`Topic.GROUP_METADATA_TOPIC_NAME`).
pub const GROUP_METADATA_TOPIC_NAME: &str = "__consumer_offsets";
/// The transaction-state topic (`Topic.TRANSACTION_STATE_TOPIC_NAME`).
pub const TRANSACTION_STATE_TOPIC_NAME: &str = "__transaction_state";
/// The share-group state topic (`Topic.SHARE_GROUP_STATE_TOPIC_NAME`, KIP-932).
pub const SHARE_GROUP_STATE_TOPIC_NAME: &str = "__share_group_state";
/// The KRaft metadata log (`Topic.CLUSTER_METADATA_TOPIC_NAME`): not an "internal topic" in
/// `Topic.isInternal`'s sense, but no client may create it.
pub const CLUSTER_METADATA_TOPIC_NAME: &str = "__cluster_metadata";

/// The line `kafka-topics --create` prints (to stdout) before creating a topic whose name holds
/// a `.` or a `_` (`TopicCommand.TopicService.createTopic`).
pub const COLLISION_WARNING: &str = "WARNING: Due to limitations in metric names, topics with a \
     period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, \
     but not both.";

/// Why `name` is not a legal topic name (`Topic.detectInvalidTopic`), or `None` if it is.
///
/// The checks run in Kafka's order: empty, `.`, `..`, longer than 249 UTF-16 code units, then
/// any character other than ASCII letters, digits, `.`, `_` and `-`. The returned text is the
/// part after "Topic name is invalid: ".
pub fn topic_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("the empty string is not allowed".to_owned());
    }
    if name == "." {
        return Some("'.' is not allowed".to_owned());
    }
    if name == ".." {
        return Some("'..' is not allowed".to_owned());
    }
    // Java measures in UTF-16 code units: an emoji counts twice. Counting stops early so a
    // huge name costs no more than needed.
    if name
        .encode_utf16()
        .nth(MAX_TOPIC_NAME_LENGTH as usize)
        .is_some()
    {
        return Some(format!(
            "the length of '{name}' is longer than the max allowed length {MAX_TOPIC_NAME_LENGTH}"
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-')
    {
        return Some(format!(
            "'{name}' contains one or more characters other than ASCII alphanumerics, '.', '_' \
             and '-'"
        ));
    }
    None
}

/// Whether `name` is a legal topic name (`Topic.isValid`).
pub fn is_valid_topic_name(name: &str) -> bool {
    topic_name_problem(name).is_none()
}

/// `Topic.validate`: an illegal name is an `InvalidTopicException` "Topic name is invalid: …".
pub fn validate_topic_name(name: &str) -> Result<(), SimError> {
    match topic_name_problem(name) {
        Some(reason) => Err(SimError::InvalidTopic(format!(
            "Topic name is invalid: {reason}"
        ))),
        None => Ok(()),
    }
}

/// `Topic.isInternal`: the topics Kafka manages itself (`__consumer_offsets`,
/// `__transaction_state`, `__share_group_state`).
pub fn is_internal_topic(name: &str) -> bool {
    matches!(
        name,
        GROUP_METADATA_TOPIC_NAME | TRANSACTION_STATE_TOPIC_NAME | SHARE_GROUP_STATE_TOPIC_NAME
    )
}

/// `Topic.hasCollisionChars`: whether the name holds a `.` or a `_`, which Kafka's metric names
/// cannot tell apart.
pub fn has_collision_chars(name: &str) -> bool {
    name.contains('.') || name.contains('_')
}

/// `Topic.unifyCollisionChars`: the name with every `.` turned into `_`, the form in which two
/// names collide.
pub fn unify_collision_chars(name: &str) -> String {
    name.replace('.', "_")
}

/// `Topic.hasCollision`: whether two names differ only by `.` versus `_` in the same places.
pub fn has_collision(a: &str, b: &str) -> bool {
    a.len() == b.len() && unify_collision_chars(a) == unify_collision_chars(b)
}

/// The warning `kafka-topics --create` prints for `name`, if any: returned as data so the
/// console decides where to print it.
pub fn collision_warning(name: &str) -> Option<&'static str> {
    has_collision_chars(name).then_some(COLLISION_WARNING)
}

/// The name checks of a CreateTopics request, in the controller's order: the metadata log
/// refused outright (`ControllerApis`), then `Topic.validate`, then a collision with an existing
/// topic, then an existing topic of the same name, whose error replaces any other
/// (`ReplicationControlManager.createTopics`).
///
/// `existing` lists the topics that exist now. When several collide, Kafka names whichever its
/// hash set yields first; this names the first in `existing`'s order.
pub fn validate_new_topic_name<'a, I>(name: &str, existing: I) -> Result<(), SimError>
where
    I: IntoIterator<Item = &'a str>,
{
    if name == CLUSTER_METADATA_TOPIC_NAME {
        return Err(SimError::InvalidRequest(format!(
            "Creation of internal topic {CLUSTER_METADATA_TOPIC_NAME} is prohibited."
        )));
    }
    let mut error = validate_topic_name(name).err();
    let mut exists = false;
    let mut colliding: Option<&str> = None;
    let check_collision = has_collision_chars(name);
    let unified = if check_collision {
        unify_collision_chars(name)
    } else {
        String::new()
    };
    for topic in existing {
        if topic == name {
            exists = true;
        } else if check_collision
            && colliding.is_none()
            && has_collision_chars(topic)
            && topic.len() == name.len()
            && unify_collision_chars(topic) == unified
        {
            colliding = Some(topic);
        }
    }
    if let Some(other) = colliding {
        error = Some(SimError::InvalidTopic(format!(
            "Topic '{name}' collides with existing topic: {other}"
        )));
    }
    if exists {
        error = Some(SimError::TopicExists(format!(
            "Topic '{name}' already exists."
        )));
    }
    match error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// Partition counts and replication factors
// ---------------------------------------------------------------------------------------------

/// The controller's defaults for a CreateTopics request that leaves a count at `-1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateDefaults {
    /// `num.partitions` (Kafka default 1).
    pub num_partitions: u32,
    /// `default.replication.factor` (Kafka default 1).
    pub replication_factor: u32,
}

impl Default for CreateDefaults {
    /// Kafka's defaults: `num.partitions=1`, `default.replication.factor=1`.
    fn default() -> Self {
        Self {
            num_partitions: 1,
            replication_factor: 1,
        }
    }
}

/// The brokers the replica placer sees (`ClusterDescriber.usableBrokers`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokerCounts {
    /// Registered brokers not in controlled shutdown, fenced ones included: what the placer's
    /// "only N broker(s) are registered" counts.
    pub registered: u32,
    /// Of those, the ones not fenced: replicas can only lead on these.
    pub unfenced: u32,
}

/// A topic shape the controller accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicCounts {
    /// The number of partitions.
    pub partitions: u32,
    /// The number of replicas of each partition.
    pub replication_factor: u32,
}

/// The replica placer's refusals (`StripedReplicaPlacer.place`), in its order, with its bare
/// messages: a non-positive factor, every broker fenced, too few brokers. Kafka 4.3 (KIP-1066)
/// adds log-directory cordoning to the last two messages; this is the 4.1 wording.
pub fn check_placement(replication_factor: i64, brokers: BrokerCounts) -> Result<(), SimError> {
    if replication_factor <= 0 {
        return Err(SimError::InvalidReplicationFactor(format!(
            "Invalid replication factor {replication_factor}: the replication factor must be \
             positive."
        )));
    }
    if brokers.unfenced == 0 {
        return Err(SimError::InvalidReplicationFactor(
            "All brokers are currently fenced.".to_owned(),
        ));
    }
    if replication_factor > i64::from(brokers.registered) {
        return Err(SimError::InvalidReplicationFactor(format!(
            "The target replication factor of {replication_factor} cannot be reached because \
             only {} broker(s) are registered.",
            brokers.registered
        )));
    }
    Ok(())
}

/// The counts of a CreateTopics request without a manual assignment, as
/// `ReplicationControlManager.createTopic` checks them: the replication factor first (`-1` for
/// the default, otherwise positive), then the partition count (likewise), then placement, whose
/// refusal is prefixed "Unable to replicate the partition N time(s): ".
///
/// `partitions` and `replication_factor` are the request's wire values (`int32`, `int16`).
pub fn validate_create_counts(
    partitions: i32,
    replication_factor: i16,
    defaults: CreateDefaults,
    brokers: BrokerCounts,
) -> Result<TopicCounts, SimError> {
    if replication_factor < -1 || replication_factor == 0 {
        return Err(SimError::InvalidReplicationFactor(
            "Replication factor must be larger than 0, or -1 to use the default value.".to_owned(),
        ));
    }
    if partitions < -1 || partitions == 0 {
        return Err(SimError::InvalidPartitions(
            "Number of partitions was set to an invalid non-positive value.".to_owned(),
        ));
    }
    let partitions = u32::try_from(partitions).unwrap_or(defaults.num_partitions);
    let replication_factor =
        u32::try_from(replication_factor).unwrap_or(defaults.replication_factor);
    if let Err(refusal) = check_placement(i64::from(replication_factor), brokers) {
        return Err(SimError::InvalidReplicationFactor(format!(
            "Unable to replicate the partition {replication_factor} time(s): {}",
            refusal.message()
        )));
    }
    Ok(TopicCounts {
        partitions,
        replication_factor,
    })
}

/// The count checks of CreatePartitions for `topic`, which has `current` partitions and is asked
/// to grow to `requested` (`ReplicationControlManager.createPartitions`). Returns how many
/// partitions to add.
///
/// The same count is refused as "Topic already has N partition(s).", a smaller one as "The topic
/// T currently has N partition(s); M would not be an increase." — Kafka 4's KRaft wording; the
/// "Topic currently has 3 partitions, which is higher than the requested 2." of ZooKeeper-era
/// brokers is gone. `requested` is the request's `int32` count, widened.
pub fn validate_partition_increase(
    topic: &str,
    current: u32,
    requested: i64,
) -> Result<u32, SimError> {
    let current_wide = i64::from(current);
    if requested == current_wide {
        return Err(SimError::InvalidPartitions(format!(
            "Topic already has {current} partition(s)."
        )));
    }
    if requested < current_wide {
        return Err(SimError::InvalidPartitions(format!(
            "The topic {topic} currently has {current} partition(s); {requested} would not be an \
             increase."
        )));
    }
    // `requested > current >= 0` here, so the difference is positive; a count beyond `u32`
    // cannot come from Kafka's `int32` field.
    Ok(u32::try_from(requested - current_wide).unwrap_or(u32::MAX))
}

/// All of CreatePartitions without a manual assignment: [`validate_partition_increase`], then
/// placing the new partitions' `replication_factor` replicas ([`check_placement`]). Unlike
/// topic creation, Kafka does not wrap the placer's refusal here: the message is bare, without
/// "Unable to replicate the partition N time(s): ".
pub fn validate_create_partitions(
    topic: &str,
    current: u32,
    requested: i64,
    replication_factor: u32,
    brokers: BrokerCounts,
) -> Result<u32, SimError> {
    let additional = validate_partition_increase(topic, current, requested)?;
    check_placement(i64::from(replication_factor), brokers)?;
    Ok(additional)
}

/// The partition count of a CreateTopics request alone (`ReplicationControlManager.createTopic`):
/// `-1` asks for the default, any other value must be positive.
pub fn validate_partition_count(partitions: i64) -> Result<(), SimError> {
    if partitions < -1 || partitions == 0 {
        return Err(SimError::InvalidPartitions(
            "Number of partitions was set to an invalid non-positive value.".to_owned(),
        ));
    }
    Ok(())
}

/// The replication factor of a CreateTopics request alone, on a cluster of `brokers` brokers,
/// all of them unfenced: `-1` asks for the default (nothing more to check), any other value must
/// be positive and placeable, with the messages of [`validate_create_counts`].
pub fn validate_replication_factor(replication_factor: i64, brokers: u32) -> Result<(), SimError> {
    if replication_factor < -1 || replication_factor == 0 {
        return Err(SimError::InvalidReplicationFactor(
            "Replication factor must be larger than 0, or -1 to use the default value.".to_owned(),
        ));
    }
    if replication_factor == -1 {
        return Ok(());
    }
    let counts = BrokerCounts {
        registered: brokers,
        unfenced: brokers,
    };
    check_placement(replication_factor, counts).map_err(|refusal| {
        SimError::InvalidReplicationFactor(format!(
            "Unable to replicate the partition {replication_factor} time(s): {}",
            refusal.message()
        ))
    })
}

/// The client-side checks `kafka-topics --create` makes before sending anything
/// (`TopicCommand.TopicService.createTopic`): the replication factor first, then partitions.
///
/// Kafka throws `IllegalArgumentException` and the tool prints only the message, on stderr;
/// `SimError` has no such variant, so these come as `InvalidReplicationFactor` and
/// `InvalidPartitions` carrying Kafka's exact text.
pub fn check_topic_command_counts(
    partitions: Option<i64>,
    replication_factor: Option<i64>,
) -> Result<(), SimError> {
    if let Some(rf) = replication_factor
        && !(1..=i64::from(i16::MAX)).contains(&rf)
    {
        return Err(SimError::InvalidReplicationFactor(format!(
            "The replication factor must be between 1 and {} inclusive",
            i16::MAX
        )));
    }
    if let Some(p) = partitions
        && p < 1
    {
        return Err(SimError::InvalidPartitions(
            "The partitions must be greater than 0".to_owned(),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Topic configs
// ---------------------------------------------------------------------------------------------

/// `cleanup.policy`: which of `delete` and `compact` apply (both, one, or — legal since the
/// list may be empty — neither).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CleanupPolicy {
    /// `delete`: old segments are removed by time and size retention.
    pub delete: bool,
    /// `compact`: the log keeps the latest record of each key.
    pub compact: bool,
}

impl CleanupPolicy {
    /// `cleanup.policy=delete`, Kafka's default.
    pub const DELETE: Self = Self {
        delete: true,
        compact: false,
    };
    /// `cleanup.policy=compact`.
    pub const COMPACT: Self = Self {
        delete: false,
        compact: true,
    };
    /// `cleanup.policy=delete,compact`.
    pub const DELETE_AND_COMPACT: Self = Self {
        delete: true,
        compact: true,
    };
}

impl Default for CleanupPolicy {
    fn default() -> Self {
        Self::DELETE
    }
}

/// `message.timestamp.type`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimestampType {
    /// `CreateTime`: the producer's timestamp is kept (Kafka's default).
    #[default]
    CreateTime,
    /// `LogAppendTime`: the broker stamps each batch when appending it.
    LogAppendTime,
}

/// Kafka's default `retention.ms`: 7 days (`LogConfig.DEFAULT_RETENTION_MS`).
pub const DEFAULT_RETENTION_MS: i64 = 604_800_000;
/// Kafka's default `retention.bytes`: -1, no size limit (`ServerLogConfigs`).
pub const DEFAULT_RETENTION_BYTES: i64 = -1;
/// Kafka's default `segment.bytes`: 1 GiB.
pub const DEFAULT_SEGMENT_BYTES: u32 = 1_073_741_824;
/// Kafka's default `segment.ms`: 7 days.
pub const DEFAULT_SEGMENT_MS: u64 = 604_800_000;
/// Kafka's default `max.message.bytes`: 1 MiB plus the 12-byte log overhead.
pub const DEFAULT_MAX_MESSAGE_BYTES: u32 = 1_048_588;
/// Kafka's default `min.insync.replicas`.
pub const DEFAULT_MIN_INSYNC_REPLICAS: u32 = 1;
/// Kafka's default `delete.retention.ms`: 1 day.
pub const DEFAULT_DELETE_RETENTION_MS: u64 = 86_400_000;
/// Kafka's default `min.compaction.lag.ms`.
pub const DEFAULT_MIN_COMPACTION_LAG_MS: u64 = 0;
/// Kafka's default `max.compaction.lag.ms`: `Long.MAX_VALUE`.
pub const DEFAULT_MAX_COMPACTION_LAG_MS: u64 = i64::MAX as u64;
/// Kafka's default `min.cleanable.dirty.ratio`.
pub const DEFAULT_MIN_CLEANABLE_DIRTY_RATIO: f64 = 0.5;

/// A `ConfigDef` type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Int,
    Long,
    Double,
    Boolean,
    Str,
    List,
}

impl Kind {
    /// The type's name in "Not a number of type …".
    fn java_name(self) -> &'static str {
        match self {
            Kind::Int => "INT",
            Kind::Long => "LONG",
            Kind::Double => "DOUBLE",
            Kind::Boolean => "BOOLEAN",
            Kind::Str => "STRING",
            Kind::List => "LIST",
        }
    }
}

/// A `ConfigDef` validator.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Check {
    /// No validator.
    Any,
    /// `Range.atLeast(min)`.
    AtLeast(i64),
    /// `Range.between(min, max)`.
    Between(i64, i64),
    /// `ValidString.in(...)`.
    OneOf(&'static [&'static str]),
    /// `ValidList.in(...)` as of Kafka 4.1: every element one of the strings.
    ListOf(&'static [&'static str]),
    /// `ThrottledReplicaListValidator`.
    ThrottledReplicas,
}

/// One topic config as `LogConfig` defines it.
#[derive(Clone, Copy, Debug)]
struct Key {
    name: &'static str,
    kind: Kind,
    /// The default as Kafka prints it (`ConfigDef.convertToString`); `None` for a null default.
    default: Option<&'static str>,
    check: Check,
}

const CLEANUP_POLICIES: &[&str] = &["compact", "delete"];
const TIMESTAMP_TYPES: &[&str] = &["CreateTime", "LogAppendTime"];
/// `BrokerCompressionType.names()`, in its order (it shows in the message).
const COMPRESSION_TYPES: &[&str] = &["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"];

const fn key(name: &'static str, kind: Kind, default: &'static str, check: Check) -> Key {
    Key {
        name,
        kind,
        default: Some(default),
        check,
    }
}

/// Kafka 4.1's topic configs (`LogConfig.CONFIG`), in definition order: `ConfigDef.parse` walks
/// them in this order, so with several bad values this order decides which one is reported.
const KEYS: &[Key] = &[
    key(
        "segment.bytes",
        Kind::Int,
        "1073741824",
        Check::AtLeast(1_048_576),
    ),
    key("segment.ms", Kind::Long, "604800000", Check::AtLeast(1)),
    key("segment.jitter.ms", Kind::Long, "0", Check::AtLeast(0)),
    key(
        "segment.index.bytes",
        Kind::Int,
        "10485760",
        Check::AtLeast(4),
    ),
    key(
        "flush.messages",
        Kind::Long,
        "9223372036854775807",
        Check::AtLeast(1),
    ),
    key(
        "flush.ms",
        Kind::Long,
        "9223372036854775807",
        Check::AtLeast(0),
    ),
    key("retention.bytes", Kind::Long, "-1", Check::Any),
    key("retention.ms", Kind::Long, "604800000", Check::AtLeast(-1)),
    key("max.message.bytes", Kind::Int, "1048588", Check::AtLeast(0)),
    key("index.interval.bytes", Kind::Int, "4096", Check::AtLeast(0)),
    key(
        "delete.retention.ms",
        Kind::Long,
        "86400000",
        Check::AtLeast(0),
    ),
    key("min.compaction.lag.ms", Kind::Long, "0", Check::AtLeast(0)),
    key(
        "max.compaction.lag.ms",
        Kind::Long,
        "9223372036854775807",
        Check::AtLeast(1),
    ),
    key(
        "file.delete.delay.ms",
        Kind::Long,
        "60000",
        Check::AtLeast(0),
    ),
    key(
        "min.cleanable.dirty.ratio",
        Kind::Double,
        "0.5",
        Check::Between(0, 1),
    ),
    key(
        "cleanup.policy",
        Kind::List,
        "delete",
        Check::ListOf(CLEANUP_POLICIES),
    ),
    key(
        "unclean.leader.election.enable",
        Kind::Boolean,
        "false",
        Check::Any,
    ),
    key("min.insync.replicas", Kind::Int, "1", Check::AtLeast(1)),
    key(
        "compression.type",
        Kind::Str,
        "producer",
        Check::OneOf(COMPRESSION_TYPES),
    ),
    key("compression.gzip.level", Kind::Int, "-1", Check::Any),
    key("compression.lz4.level", Kind::Int, "9", Check::Any),
    key("compression.zstd.level", Kind::Int, "3", Check::Any),
    key("preallocate", Kind::Boolean, "false", Check::Any),
    key(
        "message.timestamp.type",
        Kind::Str,
        "CreateTime",
        Check::OneOf(TIMESTAMP_TYPES),
    ),
    key(
        "message.timestamp.before.max.ms",
        Kind::Long,
        "9223372036854775807",
        Check::AtLeast(0),
    ),
    key(
        "message.timestamp.after.max.ms",
        Kind::Long,
        "3600000",
        Check::AtLeast(0),
    ),
    key(
        "leader.replication.throttled.replicas",
        Kind::List,
        "",
        Check::ThrottledReplicas,
    ),
    key(
        "follower.replication.throttled.replicas",
        Kind::List,
        "",
        Check::ThrottledReplicas,
    ),
    key("remote.storage.enable", Kind::Boolean, "false", Check::Any),
    key("local.retention.ms", Kind::Long, "-2", Check::AtLeast(-2)),
    key(
        "local.retention.bytes",
        Kind::Long,
        "-2",
        Check::AtLeast(-2),
    ),
    key(
        "remote.log.copy.disable",
        Kind::Boolean,
        "false",
        Check::Any,
    ),
    key(
        "remote.log.delete.on.disable",
        Kind::Boolean,
        "false",
        Check::Any,
    ),
    Key {
        // `defineInternal`: a test-only override of `segment.bytes`, with no validator and a
        // null default. It is a known name, so Kafka accepts it.
        name: "internal.segment.bytes",
        kind: Kind::Int,
        default: None,
        check: Check::Any,
    },
];

fn find_key(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}

/// Whether `name` is a topic config Kafka 4.1 knows (`LogConfig.configNames()`).
pub fn is_topic_config_name(name: &str) -> bool {
    find_key(name).is_some()
}

/// Every topic config name Kafka 4.1 knows, in `LogConfig`'s definition order.
pub fn topic_config_names() -> impl Iterator<Item = &'static str> {
    KEYS.iter().map(|k| k.name)
}

/// A value after `ConfigDef.parseType`.
#[derive(Clone, Debug, PartialEq)]
enum Parsed {
    Int(i32),
    Long(i64),
    Double(f64),
    Boolean(bool),
    Str(String),
    List(Vec<String>),
}

impl Parsed {
    /// The value as Java's `toString` shows it in a validator's message.
    fn java_display(&self) -> String {
        match self {
            Parsed::Int(v) => v.to_string(),
            Parsed::Long(v) => v.to_string(),
            Parsed::Double(v) => java_double_to_string(*v),
            Parsed::Boolean(v) => v.to_string(),
            Parsed::Str(s) => s.clone(),
            Parsed::List(items) => format!("[{}]", items.join(", ")),
        }
    }

    /// The numeric value a `Range` compares (`Number.doubleValue()`), if numeric.
    fn as_f64(&self) -> Option<f64> {
        match self {
            Parsed::Int(v) => Some(f64::from(*v)),
            // Range bounds here are small, so comparing in f64 orders every long correctly.
            Parsed::Long(v) => Some(*v as f64),
            Parsed::Double(v) => Some(*v),
            _ => None,
        }
    }
}

/// `new ConfigException(name, value, message)`: "Invalid value V for configuration N: M".
fn config_error(name: &str, value: &str, message: &str) -> SimError {
    SimError::InvalidConfig(format!(
        "Invalid value {value} for configuration {name}: {message}"
    ))
}

/// Java's `String.trim()`: strips every leading and trailing char up to U+0020, control
/// characters included (not Unicode whitespace).
fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= '\u{20}')
}

/// The characters of Java's regex `\s` (without `UNICODE_CHARACTER_CLASS`).
fn is_java_regex_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r')
}

/// `Boolean`'s `equalsIgnoreCase` against an ASCII word: Java also folds `ſ` (U+017F, whose
/// upper case is `S`) into `s`.
fn java_equals_ignore_case(value: &str, word: &str) -> bool {
    let mut chars = value.chars();
    for w in word.chars() {
        match chars.next() {
            Some(c) if c.eq_ignore_ascii_case(&w) => {}
            Some('\u{17F}') if w == 's' => {}
            _ => return false,
        }
    }
    chars.next().is_none()
}

/// `Double.parseDouble` for the grammar Java accepts, minus hexadecimal literals: an optional
/// sign, then `NaN`, `Infinity`, or decimal digits with an optional point and exponent, and an
/// optional `f`/`F`/`d`/`D` suffix.
fn java_parse_double(trimmed: &str) -> Option<f64> {
    let (negative, rest) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    if rest == "NaN" {
        return Some(f64::NAN);
    }
    if rest == "Infinity" {
        return Some(if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    let body = rest.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(rest);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let mut digits = 0usize;
    let mut points = 0usize;
    for c in mantissa.chars() {
        match c {
            '0'..='9' => digits += 1,
            '.' => points += 1,
            _ => return None,
        }
    }
    if digits == 0 || points > 1 {
        return None;
    }
    if let Some(exponent) = exponent {
        let unsigned = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let value: f64 = body.parse().ok()?;
    Some(if negative { -value } else { value })
}

/// Java's `Double.toString`: plain decimal for magnitudes in [10⁻³, 10⁷), otherwise
/// "d.dddE±n"; always at least one digit after the point; the shortest digits that round-trip
/// (the JDK 19+ algorithm; older JDKs very occasionally print a longer string).
fn java_double_to_string(v: f64) -> String {
    if v.is_nan() {
        return "NaN".to_owned();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0.0" } else { "0.0" }.to_owned();
    }
    let sign = if v < 0.0 { "-" } else { "" };
    // Rust's `{:e}` gives the shortest round-trip digits, e.g. "1.5e10" or "1e-5".
    let sci = format!("{:e}", v.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let magnitude = v.abs();
    if (1e-3..1e7).contains(&magnitude) {
        if exponent >= 0 {
            let int_len = exponent as usize + 1;
            let (int_part, frac_part) = if digits.len() > int_len {
                (digits[..int_len].to_owned(), digits[int_len..].to_owned())
            } else {
                (
                    format!("{digits}{}", "0".repeat(int_len - digits.len())),
                    String::new(),
                )
            };
            let frac_part = if frac_part.is_empty() {
                "0".to_owned()
            } else {
                frac_part
            };
            format!("{sign}{int_part}.{frac_part}")
        } else {
            let zeros = "0".repeat((-exponent - 1) as usize);
            format!("{sign}0.{zeros}{digits}")
        }
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let rest = if rest.is_empty() { "0" } else { rest };
        format!("{sign}{first}.{rest}E{exponent}")
    }
}

/// `ConfigDef.parseType` for a string value: the value is trimmed first; a parse failure
/// reports the value as given.
fn parse_value(key: &Key, raw: &str) -> Result<Parsed, SimError> {
    let trimmed = java_trim(raw);
    let not_a_number = || {
        config_error(
            key.name,
            raw,
            &format!("Not a number of type {}", key.kind.java_name()),
        )
    };
    match key.kind {
        Kind::Int => trimmed
            .parse::<i32>()
            .map(Parsed::Int)
            .map_err(|_| not_a_number()),
        Kind::Long => trimmed
            .parse::<i64>()
            .map(Parsed::Long)
            .map_err(|_| not_a_number()),
        Kind::Double => java_parse_double(trimmed)
            .map(Parsed::Double)
            .ok_or_else(not_a_number),
        Kind::Boolean => {
            if java_equals_ignore_case(trimmed, "true") {
                Ok(Parsed::Boolean(true))
            } else if java_equals_ignore_case(trimmed, "false") {
                Ok(Parsed::Boolean(false))
            } else {
                Err(config_error(
                    key.name,
                    raw,
                    "Expected value to be either true or false",
                ))
            }
        }
        Kind::Str => Ok(Parsed::Str(trimmed.to_owned())),
        Kind::List => {
            if trimmed.is_empty() {
                Ok(Parsed::List(Vec::new()))
            } else {
                // `split("\\s*,\\s*", -1)`: whitespace around each comma goes with it, and
                // empty elements (",,", a trailing ",") are kept.
                Ok(Parsed::List(
                    trimmed
                        .split(',')
                        .map(|item| item.trim_matches(is_java_regex_space).to_owned())
                        .collect(),
                ))
            }
        }
    }
}

/// Whether one throttled-replica entry matches `([0-9]+:[0-9]+)?`.
fn is_replica_entry(entry: &str) -> bool {
    if entry.is_empty() {
        return true;
    }
    match entry.split_once(':') {
        Some((partition, broker)) => {
            !partition.is_empty()
                && !broker.is_empty()
                && partition.bytes().all(|b| b.is_ascii_digit())
                && broker.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// Runs the key's validator on a parsed value.
fn check_value(key: &Key, parsed: &Parsed) -> Result<(), SimError> {
    match key.check {
        Check::Any => Ok(()),
        Check::AtLeast(min) => {
            // NaN compares false, so Kafka lets it through; so does this.
            if parsed.as_f64().is_some_and(|v| v < min as f64) {
                return Err(config_error(
                    key.name,
                    &parsed.java_display(),
                    &format!("Value must be at least {min}"),
                ));
            }
            Ok(())
        }
        Check::Between(min, max) => {
            let value = parsed.as_f64();
            if value.is_some_and(|v| v < min as f64) {
                return Err(config_error(
                    key.name,
                    &parsed.java_display(),
                    &format!("Value must be at least {min}"),
                ));
            }
            if value.is_some_and(|v| v > max as f64) {
                return Err(config_error(
                    key.name,
                    &parsed.java_display(),
                    &format!("Value must be no more than {max}"),
                ));
            }
            Ok(())
        }
        Check::OneOf(valid) => match parsed {
            Parsed::Str(s) if !valid.contains(&s.as_str()) => Err(config_error(
                key.name,
                s,
                &format!("String must be one of: {}", valid.join(", ")),
            )),
            _ => Ok(()),
        },
        Check::ListOf(valid) => {
            if let Parsed::List(items) = parsed
                && let Some(bad) = items.iter().find(|item| !valid.contains(&item.as_str()))
            {
                return Err(config_error(
                    key.name,
                    bad,
                    &format!("String must be one of: {}", valid.join(", ")),
                ));
            }
            Ok(())
        }
        Check::ThrottledReplicas => {
            if let Parsed::List(items) = parsed {
                let all_entries = items.iter().all(|item| is_replica_entry(java_trim(item)));
                let wildcard = items.iter().map(|item| java_trim(item)).collect::<String>() == "*";
                if !(all_entries || wildcard) {
                    return Err(config_error(
                        key.name,
                        &parsed.java_display(),
                        &format!(
                            "{} must be the literal '*' or a list of replicas in the following \
                             format: [partitionId]:[brokerId],[partitionId]:[brokerId],...",
                            key.name
                        ),
                    ));
                }
            }
            Ok(())
        }
    }
}

/// A topic's configuration: Kafka's defaults overlaid with the topic's overrides, the commonly
/// used ones typed.
///
/// Every Kafka 4.1 topic config name is accepted and validated; the ones without a typed field
/// here (`compression.type`, `preallocate`, …) live only in [`TopicConfig::overrides`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicConfig {
    /// `cleanup.policy` (default `delete`).
    pub cleanup_policy: CleanupPolicy,
    /// `retention.ms`; `-1` keeps data forever (default 7 days).
    pub retention_ms: i64,
    /// `retention.bytes` per partition; negative means no limit (default -1).
    pub retention_bytes: i64,
    /// `segment.bytes` (default 1 GiB, at least 1 MiB).
    pub segment_bytes: u32,
    /// `segment.ms` (default 7 days, at least 1).
    pub segment_ms: u64,
    /// `max.message.bytes`: the largest record batch the topic accepts (default 1048588).
    pub max_message_bytes: u32,
    /// `min.insync.replicas` (default 1).
    pub min_insync_replicas: u32,
    /// `delete.retention.ms`: how long tombstones stay in a compacted log (default 1 day).
    pub delete_retention_ms: u64,
    /// `min.compaction.lag.ms` (default 0).
    pub min_compaction_lag_ms: u64,
    /// `max.compaction.lag.ms` (default `Long.MAX_VALUE`).
    pub max_compaction_lag_ms: u64,
    /// `min.cleanable.dirty.ratio`, between 0 and 1 (default 0.5).
    pub min_cleanable_dirty_ratio: f64,
    /// `message.timestamp.type` (default `CreateTime`).
    pub message_timestamp_type: TimestampType,
    /// The overrides set on the topic, name → value exactly as given (what
    /// `kafka-configs --describe` lists).
    overrides: BTreeMap<String, String>,
}

impl Default for TopicConfig {
    /// Kafka 4.1's defaults, no overrides.
    fn default() -> Self {
        Self {
            cleanup_policy: CleanupPolicy::DELETE,
            retention_ms: DEFAULT_RETENTION_MS,
            retention_bytes: DEFAULT_RETENTION_BYTES,
            segment_bytes: DEFAULT_SEGMENT_BYTES,
            segment_ms: DEFAULT_SEGMENT_MS,
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
            min_insync_replicas: DEFAULT_MIN_INSYNC_REPLICAS,
            delete_retention_ms: DEFAULT_DELETE_RETENTION_MS,
            min_compaction_lag_ms: DEFAULT_MIN_COMPACTION_LAG_MS,
            max_compaction_lag_ms: DEFAULT_MAX_COMPACTION_LAG_MS,
            min_cleanable_dirty_ratio: DEFAULT_MIN_CLEANABLE_DIRTY_RATIO,
            message_timestamp_type: TimestampType::CreateTime,
            overrides: BTreeMap::new(),
        }
    }
}

impl TopicConfig {
    /// Defaults overlaid with `pairs` (a CreateTopics request's configs).
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Result<Self, SimError> {
        let mut config = Self::default();
        config.apply(pairs)?;
        Ok(config)
    }

    /// Sets the `name=value` overrides in `pairs` (a later duplicate wins), validating the
    /// resulting configuration as the controller does (`LogConfig.validate`): every name must be
    /// known ("Unknown topic config name: …"), every value must parse as its type and pass its
    /// validator (`ConfigException`: "Invalid value … for configuration …: …", checked in
    /// `LogConfig`'s definition order), `min.compaction.lag.ms` may not exceed
    /// `max.compaction.lag.ms`, and remote storage is refused (no tiered storage here).
    ///
    /// On error nothing changes.
    pub fn apply(&mut self, pairs: &[(&str, &str)]) -> Result<(), SimError> {
        if let Some((name, _)) = pairs.iter().find(|(name, _)| find_key(name).is_none()) {
            return Err(SimError::InvalidConfig(format!(
                "Unknown topic config name: {name}"
            )));
        }
        let mut combined = self.overrides.clone();
        for (name, value) in pairs {
            combined.insert((*name).to_owned(), (*value).to_owned());
        }
        *self = Self::build(combined)?;
        Ok(())
    }

    /// Removes overrides, so those configs return to Kafka's defaults (an incremental alter's
    /// `DELETE`). Names that are not overridden are ignored, as the controller ignores them.
    pub fn remove(&mut self, names: &[&str]) -> Result<(), SimError> {
        let mut combined = self.overrides.clone();
        for name in names {
            combined.remove(*name);
        }
        *self = Self::build(combined)?;
        Ok(())
    }

    /// Sets one override: [`apply`](Self::apply) with a single pair.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), SimError> {
        self.apply(&[(name, value)])
    }

    /// Removes one override as `kafka-configs --alter --delete-config` does: the tool first
    /// checks that the topic overrides the name, and refuses otherwise with
    /// `InvalidConfigurationException` "Invalid config(s): NAME" (`ConfigCommand`); a known but
    /// default-valued config counts as not set. [`remove`](Self::remove) is the controller's
    /// lenient behaviour instead.
    pub fn reset(&mut self, name: &str) -> Result<(), SimError> {
        if !self.overrides.contains_key(name) {
            return Err(SimError::InvalidConfig(format!(
                "Invalid config(s): {name}"
            )));
        }
        self.remove(&[name])
    }

    /// What the partition logs need of this configuration.
    ///
    /// `min.cleanable.dirty.ratio` becomes thousandths, rounded to the nearest (the log compares
    /// integers to stay deterministic; Kafka compares doubles). A `NaN` ratio, which Kafka
    /// accepts and which makes its `dirty > ratio` test always false, becomes a threshold no
    /// dirty ratio exceeds. `max_records_kept`, the simulation's own memory cap, keeps the log's
    /// default.
    pub fn log_settings(&self) -> LogSettings {
        let ratio = self.min_cleanable_dirty_ratio;
        let min_cleanable_dirty_ratio_permille = if ratio.is_nan() {
            u32::MAX
        } else {
            // Saturating float-to-int conversion: the validator keeps it within 0..=1000.
            (ratio * 1000.0).round() as u32
        };
        LogSettings {
            segment_bytes: self.segment_bytes,
            segment_ms: self.segment_ms,
            retention_ms: self.retention_ms,
            retention_bytes: self.retention_bytes,
            delete: self.cleanup_policy.delete,
            compact: self.cleanup_policy.compact,
            delete_retention_ms: self.delete_retention_ms,
            min_compaction_lag_ms: self.min_compaction_lag_ms,
            max_compaction_lag_ms: self.max_compaction_lag_ms,
            min_cleanable_dirty_ratio_permille,
            max_message_bytes: self.max_message_bytes,
            ..LogSettings::default()
        }
    }

    /// The overrides set on the topic, name → value as given, in name order.
    pub fn overrides(&self) -> &BTreeMap<String, String> {
        &self.overrides
    }

    /// Whether `name` is at its default (not overridden).
    pub fn is_default(&self, name: &str) -> bool {
        !self.overrides.contains_key(name)
    }

    /// The value of a config as `kafka-configs --describe --all` shows it: the override as given,
    /// or Kafka's default as `ConfigDef` prints it. `None` for an unknown name or a null default.
    pub fn effective_value(&self, name: &str) -> Option<String> {
        let key = find_key(name)?;
        match self.overrides.get(name) {
            Some(value) => Some(value.clone()),
            None => key.default.map(str::to_owned),
        }
    }

    /// Parses and validates a complete set of overrides into a config.
    fn build(overrides: BTreeMap<String, String>) -> Result<Self, SimError> {
        let mut parsed: crate::sim::vecmap::VecMap<&'static str, Parsed> =
            crate::sim::vecmap::VecMap::new();
        for key in KEYS {
            if let Some(raw) = overrides.get(key.name) {
                let value = parse_value(key, raw)?;
                check_value(key, &value)?;
                parsed.insert(key.name, value);
            }
        }
        let long = |name: &str, default: i64| match parsed.get(name) {
            Some(Parsed::Long(v)) => *v,
            _ => default,
        };
        let int = |name: &str, default: i32| match parsed.get(name) {
            Some(Parsed::Int(v)) => *v,
            _ => default,
        };

        // LogConfig.validateValues.
        let min_lag = long("min.compaction.lag.ms", 0);
        let max_lag = long("max.compaction.lag.ms", i64::MAX);
        if min_lag > max_lag {
            return Err(SimError::InvalidConfig(format!(
                "conflict topic config setting min.compaction.lag.ms ({min_lag}) > \
                 max.compaction.lag.ms ({max_lag})"
            )));
        }
        // LogConfig.validateRemoteStorageOnlyIfSystemEnabled: the simulated brokers have no
        // tiered storage.
        if matches!(
            parsed.get("remote.storage.enable"),
            Some(Parsed::Boolean(true))
        ) {
            return Err(SimError::InvalidConfig(
                "Tiered Storage functionality is disabled in the broker. Topic cannot be \
                 configured with remote log storage."
                    .to_owned(),
            ));
        }

        let defaults = Self::default();
        let cleanup_policy = match parsed.get("cleanup.policy") {
            Some(Parsed::List(items)) => CleanupPolicy {
                delete: items.iter().any(|i| i == "delete"),
                compact: items.iter().any(|i| i == "compact"),
            },
            _ => defaults.cleanup_policy,
        };
        let message_timestamp_type = match parsed.get("message.timestamp.type") {
            Some(Parsed::Str(s)) if s == "LogAppendTime" => TimestampType::LogAppendTime,
            Some(Parsed::Str(_)) => TimestampType::CreateTime,
            _ => defaults.message_timestamp_type,
        };
        let min_cleanable_dirty_ratio = match parsed.get("min.cleanable.dirty.ratio") {
            Some(Parsed::Double(v)) => *v,
            _ => defaults.min_cleanable_dirty_ratio,
        };
        // Every validator below guarantees a non-negative value, so the conversions cannot fail;
        // the fallbacks only keep this panic-free.
        let unsigned_long = |name: &str, default: u64| {
            u64::try_from(long(name, i64::try_from(default).unwrap_or(i64::MAX))).unwrap_or(default)
        };
        let unsigned_int = |name: &str, default: u32| {
            u32::try_from(int(name, i32::try_from(default).unwrap_or(i32::MAX))).unwrap_or(default)
        };
        Ok(Self {
            cleanup_policy,
            retention_ms: long("retention.ms", DEFAULT_RETENTION_MS),
            retention_bytes: long("retention.bytes", DEFAULT_RETENTION_BYTES),
            segment_bytes: unsigned_int("segment.bytes", DEFAULT_SEGMENT_BYTES),
            segment_ms: unsigned_long("segment.ms", DEFAULT_SEGMENT_MS),
            max_message_bytes: unsigned_int("max.message.bytes", DEFAULT_MAX_MESSAGE_BYTES),
            min_insync_replicas: unsigned_int("min.insync.replicas", DEFAULT_MIN_INSYNC_REPLICAS),
            delete_retention_ms: unsigned_long("delete.retention.ms", DEFAULT_DELETE_RETENTION_MS),
            min_compaction_lag_ms: unsigned_long(
                "min.compaction.lag.ms",
                DEFAULT_MIN_COMPACTION_LAG_MS,
            ),
            max_compaction_lag_ms: unsigned_long(
                "max.compaction.lag.ms",
                DEFAULT_MAX_COMPACTION_LAG_MS,
            ),
            min_cleanable_dirty_ratio,
            message_timestamp_type,
            overrides,
        })
    }
}

/// Splits one `kafka-topics --config` argument into name and value as `TopicCommand` does
/// (`split("\\s*=\\s*")`, then `trim()` on both halves).
///
/// Java's `split` drops trailing empty strings, so `retention.ms=` has no value and is refused
/// like `a=b=c`: Kafka throws `IllegalArgumentException` with "requirement failed: Invalid topic
/// config: all configs to be added must be in the format \"key=val\"." and the tool prints it
/// alone on stderr; this returns it as `InvalidConfig` (`SimError` has no
/// illegal-argument variant). `=5` splits into an empty name, which `TopicConfig::apply` then
/// refuses as unknown.
pub fn split_config_argument(argument: &str) -> Result<(String, String), SimError> {
    let mut parts: Vec<&str> = argument.split('=').collect();
    let last = parts.len().saturating_sub(1);
    for (i, part) in parts.iter_mut().enumerate() {
        // The separator regex swallows the whitespace on both sides of each '='.
        let mut piece: &str = part;
        if i > 0 {
            piece = piece.trim_start_matches(is_java_regex_space);
        }
        if i < last {
            piece = piece.trim_end_matches(is_java_regex_space);
        }
        *part = piece;
    }
    // Java's split drops trailing empty strings, but only when the separator matched at all.
    if parts.len() > 1 {
        while parts.len() > 1 && parts.last().is_some_and(|p| p.is_empty()) {
            parts.pop();
        }
        if parts.len() == 1 && parts.first().is_some_and(|p| p.is_empty()) {
            parts.clear();
        }
    }
    match parts.as_slice() {
        [name, value] => Ok((java_trim(name).to_owned(), java_trim(value).to_owned())),
        _ => Err(SimError::InvalidConfig(
            "requirement failed: Invalid topic config: all configs to be added must be in the \
             format \"key=val\"."
                .to_owned(),
        )),
    }
}

/// A CreateTopics request for one topic, without a manual replica assignment.
#[derive(Clone, Copy, Debug)]
pub struct CreateTopicRequest<'a> {
    /// The topic name.
    pub name: &'a str,
    /// The partition count, `-1` for the controller's default.
    pub partitions: i32,
    /// The replication factor, `-1` for the controller's default.
    pub replication_factor: i16,
    /// The topic config overrides, `name=value`.
    pub configs: &'a [(&'a str, &'a str)],
}

/// A CreateTopics request the controller accepts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidatedTopic {
    /// The partition count and replication factor, defaults resolved.
    pub counts: TopicCounts,
    /// The topic's configuration.
    pub config: TopicConfig,
}

/// Every check of a CreateTopics request, in the controller's order: names
/// ([`validate_new_topic_name`]), then configs ([`TopicConfig::apply`]), then counts and
/// placement ([`validate_create_counts`]).
pub fn validate_create_topic<'a, I>(
    request: &CreateTopicRequest<'_>,
    existing: I,
    defaults: CreateDefaults,
    brokers: BrokerCounts,
) -> Result<ValidatedTopic, SimError>
where
    I: IntoIterator<Item = &'a str>,
{
    validate_new_topic_name(request.name, existing)?;
    let config = TopicConfig::from_pairs(request.configs)?;
    let counts = validate_create_counts(
        request.partitions,
        request.replication_factor,
        defaults,
        brokers,
    )?;
    Ok(ValidatedTopic { counts, config })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_double_formatting() {
        let cases: [(f64, &str); 14] = [
            (0.5, "0.5"),
            (1.0, "1.0"),
            (1.5, "1.5"),
            (2.0, "2.0"),
            (-0.1, "-0.1"),
            (0.001, "0.001"),
            (0.0001, "1.0E-4"),
            (1000.0, "1000.0"),
            (1234567.0, "1234567.0"),
            (1e7, "1.0E7"),
            (1.25e10, "1.25E10"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (-0.0, "-0.0"),
        ];
        for (v, want) in cases {
            assert_eq!(java_double_to_string(v), want, "{v}");
        }
        assert_eq!(java_double_to_string(f64::NAN), "NaN");
        assert_eq!(java_double_to_string(0.0), "0.0");
    }

    #[test]
    fn java_double_parsing() {
        for (s, want) in [
            ("0.5", 0.5),
            ("1", 1.0),
            ("+.5", 0.5),
            ("5.", 5.0),
            ("1e3", 1000.0),
            ("1.5E-1", 0.15),
            ("2d", 2.0),
            ("0.25f", 0.25),
            ("-Infinity", f64::NEG_INFINITY),
        ] {
            assert_eq!(java_parse_double(s), Some(want), "{s}");
        }
        assert!(java_parse_double("NaN").is_some_and(f64::is_nan));
        for s in [
            "", ".", "abc", "1e", "1..2", "inf", "nan", "0x1p3", "1.5x", "--1", "e5",
        ] {
            assert_eq!(java_parse_double(s), None, "{s:?}");
        }
    }
}
