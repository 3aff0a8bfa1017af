#![allow(clippy::unwrap_used)]
//! Tests of `sim::validate` against Apache Kafka's own cases and messages.
//!
//! Topic names: `clients/src/test/java/org/apache/kafka/common/internals/TopicTest.java` and the
//! messages of `Topic.java`. Counts: `ReplicationControlManager.java`,
//! `ReplicationControlManagerTest.java` (`testCreatePartitions`: "The topic bar currently has 4
//! partition(s); 3 would not be an increase.", "Topic already has 2 partition(s).") and
//! `StripedReplicaPlacer.java`. Configs: `LogConfig.java` (types, validators, defaults) and
//! `ConfigDef.java` / `ConfigException.java` (message formats), Kafka 4.1.

use eda_playground::sim::error::SimError;
use eda_playground::sim::validate::{
    BrokerCounts, COLLISION_WARNING, CleanupPolicy, CreateDefaults, CreateTopicRequest,
    MAX_TOPIC_NAME_LENGTH, TimestampType, TopicConfig, TopicCounts, check_placement,
    check_topic_command_counts, collision_warning, has_collision, has_collision_chars,
    is_internal_topic, is_topic_config_name, is_valid_topic_name, split_config_argument,
    topic_config_names, unify_collision_chars, validate_create_counts, validate_create_partitions,
    validate_create_topic, validate_new_topic_name, validate_partition_count,
    validate_partition_increase, validate_replication_factor, validate_topic_name,
};

fn invalid_topic(message: &str) -> SimError {
    SimError::InvalidTopic(message.to_owned())
}

fn invalid_config(message: &str) -> SimError {
    SimError::InvalidConfig(message.to_owned())
}

// --- Topic names ------------------------------------------------------------------------------

#[test]
fn should_accept_valid_topic_names() {
    // TopicTest.shouldAcceptValidTopicNames.
    let max_length = "x".repeat(MAX_TOPIC_NAME_LENGTH as usize);
    for name in [
        "valid",
        "TOPIC",
        "nAmEs",
        "ar6",
        "VaL1d",
        "_0-9_.",
        "...",
        max_length.as_str(),
    ] {
        assert_eq!(validate_topic_name(name), Ok(()), "{name}");
        assert!(is_valid_topic_name(name));
    }
}

#[test]
fn should_throw_on_invalid_topic_names_with_kafkas_messages() {
    // TopicTest.shouldThrowOnInvalidTopicNames, with Topic.detectInvalidTopic's wording.
    let long = "a".repeat(250);
    let cases = [
        (
            "",
            "Topic name is invalid: the empty string is not allowed".to_owned(),
        ),
        (
            "foo bar",
            "Topic name is invalid: 'foo bar' contains one or more characters other than ASCII \
             alphanumerics, '.', '_' and '-'"
                .to_owned(),
        ),
        (
            "..",
            "Topic name is invalid: '..' is not allowed".to_owned(),
        ),
        (
            "foo:bar",
            "Topic name is invalid: 'foo:bar' contains one or more characters other than ASCII \
             alphanumerics, '.', '_' and '-'"
                .to_owned(),
        ),
        (
            "foo=bar",
            "Topic name is invalid: 'foo=bar' contains one or more characters other than ASCII \
             alphanumerics, '.', '_' and '-'"
                .to_owned(),
        ),
        (".", "Topic name is invalid: '.' is not allowed".to_owned()),
        (
            long.as_str(),
            format!(
                "Topic name is invalid: the length of '{long}' is longer than the max allowed \
                 length 249"
            ),
        ),
    ];
    for (name, message) in cases {
        assert_eq!(
            validate_topic_name(name),
            Err(invalid_topic(&message)),
            "{name:?}"
        );
        assert!(!is_valid_topic_name(name));
    }
}

#[test]
fn should_recognize_invalid_characters_in_topic_names() {
    // TopicTest.shouldRecognizeInvalidCharactersInTopicNames.
    for c in [
        '/', '\\', ',', '\u{0}', ':', '"', '\'', ';', '*', '?', ' ', '\t', '\r', '\n', '=',
    ] {
        let name = format!("Is {c}illegal");
        assert!(!is_valid_topic_name(&name), "{name:?}");
    }
}

#[test]
fn topic_name_length_is_counted_in_utf16_units_before_characters_are_checked() {
    // 125 emoji are 250 UTF-16 code units: too long, reported before the bad characters.
    let emoji = "🎉".repeat(125);
    assert_eq!(
        validate_topic_name(&emoji),
        Err(invalid_topic(&format!(
            "Topic name is invalid: the length of '{emoji}' is longer than the max allowed \
             length 249"
        )))
    );
    // 124 emoji are 248 units: not too long, but not ASCII.
    let shorter = "🎉".repeat(124);
    assert!(
        validate_topic_name(&shorter)
            .unwrap_err()
            .message()
            .ends_with(
                "contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"
            )
    );
    // 249 accented letters: 249 units, so a character error.
    let accents = "é".repeat(249);
    assert!(
        validate_topic_name(&accents)
            .unwrap_err()
            .message()
            .contains("contains one or more")
    );
    assert_eq!(
        validate_topic_name("tópico"),
        Err(invalid_topic(
            "Topic name is invalid: 'tópico' contains one or more characters other than ASCII \
             alphanumerics, '.', '_' and '-'"
        ))
    );
    // A huge name: no panic, a length error.
    let huge = "a".repeat(1 << 20);
    assert!(
        validate_topic_name(&huge)
            .unwrap_err()
            .message()
            .contains("is longer than")
    );
}

#[test]
fn topic_has_collision_chars() {
    // TopicTest.testTopicHasCollisionChars.
    for topic in ["start", "end", "middle", "many"] {
        assert!(!has_collision_chars(topic));
        assert_eq!(collision_warning(topic), None);
    }
    for topic in [
        ".start", "end.", "mid.dle", ".ma.ny.", "_start", "end_", "mid_dle", "_ma_ny.",
    ] {
        assert!(has_collision_chars(topic));
        assert_eq!(collision_warning(topic), Some(COLLISION_WARNING));
    }
    assert_eq!(
        COLLISION_WARNING,
        "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore \
         ('_') could collide. To avoid issues it is best to use either, but not both."
    );
}

#[test]
fn topic_has_collision() {
    // TopicTest.testTopicHasCollision.
    let period = [".topic", "to.pic", "topic.", "topic"];
    let mut underscore = ["_topic", "to_pic", "topic_", "topic"];
    for topic in period.iter().chain(underscore.iter()) {
        assert!(has_collision(topic, topic));
    }
    for (a, b) in period.iter().zip(underscore.iter()) {
        assert!(has_collision(a, b), "{a} {b}");
    }
    underscore.reverse();
    for (a, b) in period.iter().zip(underscore.iter()) {
        assert!(!has_collision(a, b), "{a} {b}");
    }
    assert_eq!(unify_collision_chars("a.b_c."), "a_b_c_");
}

#[test]
fn internal_topics() {
    assert!(is_internal_topic("__consumer_offsets"));
    assert!(is_internal_topic("__transaction_state"));
    assert!(is_internal_topic("__share_group_state"));
    assert!(!is_internal_topic("__cluster_metadata"));
    assert!(!is_internal_topic("orders"));
}

#[test]
fn creating_a_topic_checks_names_as_the_controller_does() {
    let existing = ["orders", "sms.events", "_"];
    assert_eq!(validate_new_topic_name("payments", existing), Ok(()));
    assert_eq!(
        validate_new_topic_name("orders", existing),
        Err(SimError::TopicExists(
            "Topic 'orders' already exists.".to_owned()
        ))
    );
    assert_eq!(
        validate_new_topic_name("sms_events", existing),
        Err(invalid_topic(
            "Topic 'sms_events' collides with existing topic: sms.events"
        ))
    );
    // The same name is "already exists", not a collision with itself.
    assert_eq!(
        validate_new_topic_name("sms.events", existing),
        Err(SimError::TopicExists(
            "Topic 'sms.events' already exists.".to_owned()
        ))
    );
    assert_eq!(
        validate_new_topic_name("a b", existing),
        Err(invalid_topic(
            "Topic name is invalid: 'a b' contains one or more characters other than ASCII \
             alphanumerics, '.', '_' and '-'"
        ))
    );
    // Kafka checks the collision even for an illegal name, and that error wins: "." unifies to
    // "_", an existing topic.
    assert_eq!(
        validate_new_topic_name(".", existing),
        Err(invalid_topic("Topic '.' collides with existing topic: _"))
    );
    assert_eq!(
        validate_new_topic_name("__cluster_metadata", existing),
        Err(SimError::InvalidRequest(
            "Creation of internal topic __cluster_metadata is prohibited.".to_owned()
        ))
    );
    assert_eq!(validate_new_topic_name("ab", ["a_b", "a.b"]), Ok(()));
}

// --- Counts -----------------------------------------------------------------------------------

const THREE_BROKERS: BrokerCounts = BrokerCounts {
    registered: 3,
    unfenced: 3,
};
const ONE_BROKER: BrokerCounts = BrokerCounts {
    registered: 1,
    unfenced: 1,
};

#[test]
fn create_counts_use_the_controllers_messages() {
    let d = CreateDefaults::default();
    let bad_rf = Err(SimError::InvalidReplicationFactor(
        "Replication factor must be larger than 0, or -1 to use the default value.".to_owned(),
    ));
    assert_eq!(validate_create_counts(3, 0, d, THREE_BROKERS), bad_rf);
    assert_eq!(validate_create_counts(3, -2, d, THREE_BROKERS), bad_rf);
    // The replication factor is checked before the partitions.
    assert_eq!(validate_create_counts(0, 0, d, THREE_BROKERS), bad_rf);
    let bad_partitions = Err(SimError::InvalidPartitions(
        "Number of partitions was set to an invalid non-positive value.".to_owned(),
    ));
    assert_eq!(
        validate_create_counts(0, 1, d, THREE_BROKERS),
        bad_partitions
    );
    assert_eq!(
        validate_create_counts(-2, 1, d, THREE_BROKERS),
        bad_partitions
    );
    assert_eq!(
        validate_create_counts(1, 3, d, ONE_BROKER),
        Err(SimError::InvalidReplicationFactor(
            "Unable to replicate the partition 3 time(s): The target replication factor of 3 \
             cannot be reached because only 1 broker(s) are registered."
                .to_owned()
        ))
    );
    assert_eq!(
        validate_create_counts(
            1,
            1,
            d,
            BrokerCounts {
                registered: 2,
                unfenced: 0
            }
        ),
        Err(SimError::InvalidReplicationFactor(
            "Unable to replicate the partition 1 time(s): All brokers are currently fenced."
                .to_owned()
        ))
    );
    assert_eq!(
        validate_create_counts(6, 3, d, THREE_BROKERS),
        Ok(TopicCounts {
            partitions: 6,
            replication_factor: 3
        })
    );
    // -1 takes the controller's defaults.
    assert_eq!(
        validate_create_counts(-1, -1, d, THREE_BROKERS),
        Ok(TopicCounts {
            partitions: 1,
            replication_factor: 1
        })
    );
    let custom = CreateDefaults {
        num_partitions: 4,
        replication_factor: 3,
    };
    assert_eq!(
        validate_create_counts(-1, -1, custom, ONE_BROKER),
        Err(SimError::InvalidReplicationFactor(
            "Unable to replicate the partition 3 time(s): The target replication factor of 3 \
             cannot be reached because only 1 broker(s) are registered."
                .to_owned()
        ))
    );
}

#[test]
fn placer_messages_are_bare() {
    assert_eq!(
        check_placement(0, THREE_BROKERS),
        Err(SimError::InvalidReplicationFactor(
            "Invalid replication factor 0: the replication factor must be positive.".to_owned()
        ))
    );
    assert_eq!(check_placement(3, THREE_BROKERS), Ok(()));
    assert_eq!(
        check_placement(4, THREE_BROKERS),
        Err(SimError::InvalidReplicationFactor(
            "The target replication factor of 4 cannot be reached because only 3 broker(s) are \
             registered."
                .to_owned()
        ))
    );
}

#[test]
fn partition_increase_uses_the_kraft_wording() {
    // ReplicationControlManagerTest.testCreatePartitions.
    assert_eq!(
        validate_partition_increase("bar", 4, 3),
        Err(SimError::InvalidPartitions(
            "The topic bar currently has 4 partition(s); 3 would not be an increase.".to_owned()
        ))
    );
    assert_eq!(
        validate_partition_increase("quux", 2, 2),
        Err(SimError::InvalidPartitions(
            "Topic already has 2 partition(s).".to_owned()
        ))
    );
    assert_eq!(
        validate_partition_increase("orders", 3, -1),
        Err(SimError::InvalidPartitions(
            "The topic orders currently has 3 partition(s); -1 would not be an increase."
                .to_owned()
        ))
    );
    assert_eq!(validate_partition_increase("orders", 3, 5), Ok(2));
    assert_eq!(
        validate_create_partitions("orders", 3, 5, 3, THREE_BROKERS),
        Ok(2)
    );
    // The placer's refusal comes without the "Unable to replicate" prefix here.
    assert_eq!(
        validate_create_partitions("orders", 3, 5, 3, ONE_BROKER),
        Err(SimError::InvalidReplicationFactor(
            "The target replication factor of 3 cannot be reached because only 1 broker(s) are \
             registered."
                .to_owned()
        ))
    );
    // The count is checked before placement.
    assert_eq!(
        validate_create_partitions("orders", 3, 3, 3, ONE_BROKER),
        Err(SimError::InvalidPartitions(
            "Topic already has 3 partition(s).".to_owned()
        ))
    );
}

#[test]
fn single_count_checks() {
    assert_eq!(validate_partition_count(3), Ok(()));
    assert_eq!(validate_partition_count(-1), Ok(()));
    for bad in [0, -2, i64::MIN] {
        assert_eq!(
            validate_partition_count(bad),
            Err(SimError::InvalidPartitions(
                "Number of partitions was set to an invalid non-positive value.".to_owned()
            ))
        );
    }
    assert_eq!(validate_replication_factor(3, 3), Ok(()));
    assert_eq!(validate_replication_factor(-1, 0), Ok(()));
    assert_eq!(
        validate_replication_factor(0, 3),
        Err(SimError::InvalidReplicationFactor(
            "Replication factor must be larger than 0, or -1 to use the default value.".to_owned()
        ))
    );
    assert_eq!(
        validate_replication_factor(3, 1),
        Err(SimError::InvalidReplicationFactor(
            "Unable to replicate the partition 3 time(s): The target replication factor of 3 \
             cannot be reached because only 1 broker(s) are registered."
                .to_owned()
        ))
    );
    assert_eq!(
        validate_replication_factor(1, 0),
        Err(SimError::InvalidReplicationFactor(
            "Unable to replicate the partition 1 time(s): All brokers are currently fenced."
                .to_owned()
        ))
    );
}

#[test]
fn kafka_topics_client_side_count_checks() {
    assert_eq!(check_topic_command_counts(Some(3), Some(1)), Ok(()));
    assert_eq!(check_topic_command_counts(None, None), Ok(()));
    let bad_rf = Err(SimError::InvalidReplicationFactor(
        "The replication factor must be between 1 and 32767 inclusive".to_owned(),
    ));
    assert_eq!(check_topic_command_counts(Some(3), Some(0)), bad_rf);
    assert_eq!(check_topic_command_counts(Some(3), Some(40_000)), bad_rf);
    // The replication factor is checked first.
    assert_eq!(check_topic_command_counts(Some(0), Some(0)), bad_rf);
    assert_eq!(
        check_topic_command_counts(Some(0), Some(1)),
        Err(SimError::InvalidPartitions(
            "The partitions must be greater than 0".to_owned()
        ))
    );
}

// --- Configs ----------------------------------------------------------------------------------

#[test]
fn defaults_are_kafkas() {
    let c = TopicConfig::default();
    assert_eq!(c.cleanup_policy, CleanupPolicy::DELETE);
    assert_eq!(c.retention_ms, 604_800_000);
    assert_eq!(c.retention_bytes, -1);
    assert_eq!(c.segment_bytes, 1_073_741_824);
    assert_eq!(c.segment_ms, 604_800_000);
    assert_eq!(c.max_message_bytes, 1_048_588);
    assert_eq!(c.min_insync_replicas, 1);
    assert_eq!(c.delete_retention_ms, 86_400_000);
    assert_eq!(c.min_compaction_lag_ms, 0);
    assert_eq!(c.max_compaction_lag_ms, 9_223_372_036_854_775_807);
    assert_eq!(c.min_cleanable_dirty_ratio, 0.5);
    assert_eq!(c.message_timestamp_type, TimestampType::CreateTime);
    assert!(c.overrides().is_empty());
    for (name, value) in [
        ("cleanup.policy", "delete"),
        ("retention.ms", "604800000"),
        ("retention.bytes", "-1"),
        ("segment.bytes", "1073741824"),
        ("max.message.bytes", "1048588"),
        ("min.cleanable.dirty.ratio", "0.5"),
        ("message.timestamp.type", "CreateTime"),
        ("compression.type", "producer"),
        ("message.timestamp.after.max.ms", "3600000"),
        ("unclean.leader.election.enable", "false"),
    ] {
        assert_eq!(c.effective_value(name).as_deref(), Some(value), "{name}");
        assert!(c.is_default(name));
    }
    assert_eq!(c.effective_value("internal.segment.bytes"), None);
    assert_eq!(c.effective_value("no.such.config"), None);
    assert!(is_topic_config_name("retention.ms"));
    assert!(!is_topic_config_name("log.retention.ms"));
    assert_eq!(topic_config_names().next(), Some("segment.bytes"));
    assert_eq!(topic_config_names().count(), 34);
}

/// Applies one `name=value` to a default config.
fn set(name: &str, value: &str) -> Result<TopicConfig, SimError> {
    TopicConfig::from_pairs(&[(name, value)])
}

#[test]
fn retention_ms() {
    assert_eq!(
        set("retention.ms", "3600000").unwrap().retention_ms,
        3_600_000
    );
    assert_eq!(set("retention.ms", "-1").unwrap().retention_ms, -1);
    assert_eq!(
        set("retention.ms", " 3600000 ").unwrap().retention_ms,
        3_600_000
    );
    assert_eq!(
        set("retention.ms", "abc"),
        Err(invalid_config(
            "Invalid value abc for configuration retention.ms: Not a number of type LONG"
        ))
    );
    assert_eq!(
        set("retention.ms", "-2"),
        Err(invalid_config(
            "Invalid value -2 for configuration retention.ms: Value must be at least -1"
        ))
    );
    assert_eq!(
        set("retention.ms", "1.5"),
        Err(invalid_config(
            "Invalid value 1.5 for configuration retention.ms: Not a number of type LONG"
        ))
    );
    assert_eq!(
        set("retention.ms", "9223372036854775808"),
        Err(invalid_config(
            "Invalid value 9223372036854775808 for configuration retention.ms: Not a number of \
             type LONG"
        ))
    );
    // A parse failure quotes the value as given, untrimmed.
    assert_eq!(
        set("retention.ms", " x "),
        Err(invalid_config(
            "Invalid value  x  for configuration retention.ms: Not a number of type LONG"
        ))
    );
    assert_eq!(
        set("retention.ms", ""),
        Err(invalid_config(
            "Invalid value  for configuration retention.ms: Not a number of type LONG"
        ))
    );
}

#[test]
fn retention_bytes_has_no_lower_bound() {
    assert_eq!(
        set("retention.bytes", "1073741824")
            .unwrap()
            .retention_bytes,
        1 << 30
    );
    assert_eq!(set("retention.bytes", "-5").unwrap().retention_bytes, -5);
    assert_eq!(
        set("retention.bytes", "1GB"),
        Err(invalid_config(
            "Invalid value 1GB for configuration retention.bytes: Not a number of type LONG"
        ))
    );
}

#[test]
fn segment_bytes_and_segment_ms() {
    assert_eq!(
        set("segment.bytes", "1048576").unwrap().segment_bytes,
        1_048_576
    );
    assert_eq!(
        set("segment.bytes", "1048575"),
        Err(invalid_config(
            "Invalid value 1048575 for configuration segment.bytes: Value must be at least 1048576"
        ))
    );
    assert_eq!(
        set("segment.bytes", "2147483648"),
        Err(invalid_config(
            "Invalid value 2147483648 for configuration segment.bytes: Not a number of type INT"
        ))
    );
    assert_eq!(set("segment.ms", "60000").unwrap().segment_ms, 60_000);
    assert_eq!(
        set("segment.ms", "0"),
        Err(invalid_config(
            "Invalid value 0 for configuration segment.ms: Value must be at least 1"
        ))
    );
}

#[test]
fn max_message_bytes_and_min_insync_replicas() {
    assert_eq!(set("max.message.bytes", "0").unwrap().max_message_bytes, 0);
    assert_eq!(
        set("max.message.bytes", "-1"),
        Err(invalid_config(
            "Invalid value -1 for configuration max.message.bytes: Value must be at least 0"
        ))
    );
    assert_eq!(
        set("max.message.bytes", "big"),
        Err(invalid_config(
            "Invalid value big for configuration max.message.bytes: Not a number of type INT"
        ))
    );
    assert_eq!(
        set("min.insync.replicas", "2").unwrap().min_insync_replicas,
        2
    );
    assert_eq!(
        set("min.insync.replicas", "+2")
            .unwrap()
            .min_insync_replicas,
        2
    );
    // A validator quotes the parsed value: "+0" shows as 0.
    assert_eq!(
        set("min.insync.replicas", "+0"),
        Err(invalid_config(
            "Invalid value 0 for configuration min.insync.replicas: Value must be at least 1"
        ))
    );
}

#[test]
fn compaction_configs() {
    assert_eq!(
        set("delete.retention.ms", "0").unwrap().delete_retention_ms,
        0
    );
    assert_eq!(
        set("delete.retention.ms", "-1"),
        Err(invalid_config(
            "Invalid value -1 for configuration delete.retention.ms: Value must be at least 0"
        ))
    );
    assert_eq!(
        set("min.compaction.lag.ms", "5000")
            .unwrap()
            .min_compaction_lag_ms,
        5_000
    );
    assert_eq!(
        set("min.compaction.lag.ms", "-1"),
        Err(invalid_config(
            "Invalid value -1 for configuration min.compaction.lag.ms: Value must be at least 0"
        ))
    );
    assert_eq!(
        TopicConfig::from_pairs(&[
            ("min.compaction.lag.ms", "10"),
            ("max.compaction.lag.ms", "5")
        ]),
        Err(invalid_config(
            "conflict topic config setting min.compaction.lag.ms (10) > max.compaction.lag.ms (5)"
        ))
    );
}

#[test]
fn min_cleanable_dirty_ratio_is_a_double_between_0_and_1() {
    assert_eq!(
        set("min.cleanable.dirty.ratio", "0.75")
            .unwrap()
            .min_cleanable_dirty_ratio,
        0.75
    );
    assert_eq!(
        set("min.cleanable.dirty.ratio", "1")
            .unwrap()
            .min_cleanable_dirty_ratio,
        1.0
    );
    assert_eq!(
        set("min.cleanable.dirty.ratio", "1.5"),
        Err(invalid_config(
            "Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no \
             more than 1"
        ))
    );
    // Java prints the parsed Double: 2 becomes "2.0".
    assert_eq!(
        set("min.cleanable.dirty.ratio", "2"),
        Err(invalid_config(
            "Invalid value 2.0 for configuration min.cleanable.dirty.ratio: Value must be no \
             more than 1"
        ))
    );
    assert_eq!(
        set("min.cleanable.dirty.ratio", "-0.1"),
        Err(invalid_config(
            "Invalid value -0.1 for configuration min.cleanable.dirty.ratio: Value must be at \
             least 0"
        ))
    );
    assert_eq!(
        set("min.cleanable.dirty.ratio", "half"),
        Err(invalid_config(
            "Invalid value half for configuration min.cleanable.dirty.ratio: Not a number of \
             type DOUBLE"
        ))
    );
    // Kafka's Range compares with < and >, which NaN passes.
    assert!(
        set("min.cleanable.dirty.ratio", "NaN")
            .unwrap()
            .min_cleanable_dirty_ratio
            .is_nan()
    );
}

#[test]
fn cleanup_policy_is_a_list_of_delete_and_compact() {
    assert_eq!(
        set("cleanup.policy", "compact").unwrap().cleanup_policy,
        CleanupPolicy::COMPACT
    );
    assert_eq!(
        set("cleanup.policy", "delete,compact")
            .unwrap()
            .cleanup_policy,
        CleanupPolicy::DELETE_AND_COMPACT
    );
    assert_eq!(
        set("cleanup.policy", " compact , delete ")
            .unwrap()
            .cleanup_policy,
        CleanupPolicy::DELETE_AND_COMPACT
    );
    // Kafka 4.1: an empty list is legal (neither policy) and so is a repeated entry.
    assert_eq!(
        set("cleanup.policy", "").unwrap().cleanup_policy,
        CleanupPolicy {
            delete: false,
            compact: false
        }
    );
    assert_eq!(
        set("cleanup.policy", "delete,delete")
            .unwrap()
            .cleanup_policy,
        CleanupPolicy::DELETE
    );
    assert_eq!(
        set("cleanup.policy", "Compact"),
        Err(invalid_config(
            "Invalid value Compact for configuration cleanup.policy: String must be one of: \
             compact, delete"
        ))
    );
    assert_eq!(
        set("cleanup.policy", "delete,"),
        Err(invalid_config(
            "Invalid value  for configuration cleanup.policy: String must be one of: compact, \
             delete"
        ))
    );
}

#[test]
fn message_timestamp_type_is_one_of_two_strings() {
    assert_eq!(
        set("message.timestamp.type", "LogAppendTime")
            .unwrap()
            .message_timestamp_type,
        TimestampType::LogAppendTime
    );
    assert_eq!(
        set("message.timestamp.type", "logappendtime"),
        Err(invalid_config(
            "Invalid value logappendtime for configuration message.timestamp.type: String must \
             be one of: CreateTime, LogAppendTime"
        ))
    );
}

#[test]
fn other_known_configs_are_accepted_and_checked() {
    let c = set("compression.type", "zstd").unwrap();
    assert_eq!(
        c.effective_value("compression.type").as_deref(),
        Some("zstd")
    );
    assert_eq!(
        set("compression.type", "none"),
        Err(invalid_config(
            "Invalid value none for configuration compression.type: String must be one of: \
             uncompressed, zstd, lz4, snappy, gzip, producer"
        ))
    );
    assert!(set("preallocate", "TRUE").is_ok());
    assert!(set("unclean.leader.election.enable", " false ").is_ok());
    assert_eq!(
        set("preallocate", "yes"),
        Err(invalid_config(
            "Invalid value yes for configuration preallocate: Expected value to be either true \
             or false"
        ))
    );
    assert_eq!(
        set("remote.storage.enable", "true"),
        Err(invalid_config(
            "Tiered Storage functionality is disabled in the broker. Topic cannot be configured \
             with remote log storage."
        ))
    );
    assert!(set("remote.storage.enable", "false").is_ok());
    assert!(set("leader.replication.throttled.replicas", "0:1,1:2").is_ok());
    assert!(set("follower.replication.throttled.replicas", "*").is_ok());
    assert_eq!(
        set("leader.replication.throttled.replicas", "abc"),
        Err(invalid_config(
            "Invalid value [abc] for configuration leader.replication.throttled.replicas: \
             leader.replication.throttled.replicas must be the literal '*' or a list of replicas \
             in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],..."
        ))
    );
    assert_eq!(
        set("local.retention.ms", "-3"),
        Err(invalid_config(
            "Invalid value -3 for configuration local.retention.ms: Value must be at least -2"
        ))
    );
    assert!(set("internal.segment.bytes", "1024").is_ok());
}

#[test]
fn an_unknown_name_is_refused_before_any_value_is_parsed() {
    assert_eq!(
        set("retention.mss", "1000"),
        Err(invalid_config("Unknown topic config name: retention.mss"))
    );
    assert_eq!(
        TopicConfig::from_pairs(&[("retention.ms", "abc"), ("no.such.option", "1")]),
        Err(invalid_config("Unknown topic config name: no.such.option"))
    );
    // The broker-level synonym is not a topic config.
    assert_eq!(
        set("log.retention.ms", "1000"),
        Err(invalid_config(
            "Unknown topic config name: log.retention.ms"
        ))
    );
}

#[test]
fn bad_values_are_reported_in_logconfig_definition_order() {
    // segment.bytes is defined before retention.ms.
    assert_eq!(
        TopicConfig::from_pairs(&[("retention.ms", "x"), ("segment.bytes", "1")]),
        Err(invalid_config(
            "Invalid value 1 for configuration segment.bytes: Value must be at least 1048576"
        ))
    );
}

#[test]
fn apply_is_atomic_and_remove_restores_defaults() {
    let mut c = TopicConfig::from_pairs(&[("cleanup.policy", "compact"), ("retention.ms", "1000")])
        .unwrap();
    let before = c.clone();
    assert!(
        c.apply(&[("retention.ms", "2000"), ("segment.ms", "0")])
            .is_err()
    );
    assert_eq!(c, before);
    c.apply(&[("retention.ms", "2000"), ("retention.ms", "3000")])
        .unwrap();
    assert_eq!(c.retention_ms, 3_000);
    assert_eq!(c.cleanup_policy, CleanupPolicy::COMPACT);
    assert_eq!(
        c.overrides()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect::<Vec<_>>(),
        [("cleanup.policy", "compact"), ("retention.ms", "3000")]
    );
    c.remove(&["cleanup.policy", "not.set"]).unwrap();
    assert_eq!(c.cleanup_policy, CleanupPolicy::DELETE);
    assert!(c.is_default("cleanup.policy"));
    assert!(!c.is_default("retention.ms"));
}

#[test]
fn set_reset_and_log_settings() {
    let mut c = TopicConfig::default();
    c.set("cleanup.policy", "compact,delete").unwrap();
    c.set("min.cleanable.dirty.ratio", "0.1234").unwrap();
    c.set("segment.bytes", "1048576").unwrap();
    assert_eq!(
        c.set("retention.ms", "-2"),
        Err(invalid_config(
            "Invalid value -2 for configuration retention.ms: Value must be at least -1"
        ))
    );
    let settings = c.log_settings();
    assert!(settings.delete && settings.compact);
    assert_eq!(settings.min_cleanable_dirty_ratio_permille, 123);
    assert_eq!(settings.segment_bytes, 1_048_576);
    assert_eq!(settings.retention_ms, 604_800_000);
    assert_eq!(settings.max_message_bytes, 1_048_588);
    // kafka-configs refuses to delete a config the topic does not override.
    assert_eq!(
        c.reset("retention.ms"),
        Err(invalid_config("Invalid config(s): retention.ms"))
    );
    assert_eq!(
        c.reset("no.such.config"),
        Err(invalid_config("Invalid config(s): no.such.config"))
    );
    c.reset("cleanup.policy").unwrap();
    assert_eq!(c.cleanup_policy, CleanupPolicy::DELETE);
    // Kafka accepts NaN; no dirty ratio then exceeds it.
    c.set("min.cleanable.dirty.ratio", "NaN").unwrap();
    assert_eq!(
        c.log_settings().min_cleanable_dirty_ratio_permille,
        u32::MAX
    );
    assert_eq!(
        TopicConfig::default()
            .log_settings()
            .min_cleanable_dirty_ratio_permille,
        500
    );
}

#[test]
fn values_of_any_size_or_script_do_not_panic() {
    let huge = "9".repeat(1 << 16);
    assert!(
        set("retention.ms", &huge)
            .unwrap_err()
            .message()
            .ends_with("Not a number of type LONG")
    );
    assert!(set("min.cleanable.dirty.ratio", &huge).is_err());
    assert!(set("retention.ms", "日本").is_err());
    assert!(set("cleanup.policy", "délete").is_err());
    assert!(set("message.timestamp.type", "🎉").is_err());
    assert!(set("🎉", "1").is_err());
}

#[test]
fn kafka_topics_config_arguments() {
    let ok = |name: &str, value: &str| Ok((name.to_owned(), value.to_owned()));
    assert_eq!(
        split_config_argument("retention.ms=1000"),
        ok("retention.ms", "1000")
    );
    assert_eq!(
        split_config_argument(" retention.ms = 1000 "),
        ok("retention.ms", "1000")
    );
    assert_eq!(split_config_argument("=5"), ok("", "5"));
    let refused = Err(invalid_config(
        "requirement failed: Invalid topic config: all configs to be added must be in the format \
         \"key=val\".",
    ));
    for argument in [
        "retention.ms=",
        "retention.ms = ",
        "a=b=c",
        "noequals",
        "",
        "=",
    ] {
        assert_eq!(split_config_argument(argument), refused, "{argument:?}");
    }
    let (name, value) = split_config_argument("=5").unwrap();
    assert_eq!(
        TopicConfig::from_pairs(&[(name.as_str(), value.as_str())]),
        Err(invalid_config("Unknown topic config name: "))
    );
}

#[test]
fn create_topic_checks_run_in_the_controllers_order() {
    let configs = [("cleanup.policy", "compact"), ("retention.ms", "60000")];
    let request = CreateTopicRequest {
        name: "orders",
        partitions: 3,
        replication_factor: 1,
        configs: &configs,
    };
    let created = validate_create_topic(
        &request,
        ["payments"],
        CreateDefaults::default(),
        ONE_BROKER,
    )
    .unwrap();
    assert_eq!(
        created.counts,
        TopicCounts {
            partitions: 3,
            replication_factor: 1
        }
    );
    assert_eq!(created.config.cleanup_policy, CleanupPolicy::COMPACT);
    assert_eq!(created.config.retention_ms, 60_000);

    // A bad config is reported before a bad replication factor.
    let bad_config = [("retention.ms", "abc")];
    let both_bad = CreateTopicRequest {
        name: "orders",
        partitions: 3,
        replication_factor: 0,
        configs: &bad_config,
    };
    assert_eq!(
        validate_create_topic(
            &both_bad,
            ["payments"],
            CreateDefaults::default(),
            ONE_BROKER
        ),
        Err(invalid_config(
            "Invalid value abc for configuration retention.ms: Not a number of type LONG"
        ))
    );
    // An existing name is reported before anything else.
    assert_eq!(
        validate_create_topic(&both_bad, ["orders"], CreateDefaults::default(), ONE_BROKER),
        Err(SimError::TopicExists(
            "Topic 'orders' already exists.".to_owned()
        ))
    );
    let too_many = CreateTopicRequest {
        name: "orders",
        partitions: 1,
        replication_factor: 3,
        configs: &[],
    };
    assert_eq!(
        validate_create_topic(&too_many, [], CreateDefaults::default(), ONE_BROKER),
        Err(SimError::InvalidReplicationFactor(
            "Unable to replicate the partition 3 time(s): The target replication factor of 3 \
             cannot be reached because only 1 broker(s) are registered."
                .to_owned()
        ))
    );
}
