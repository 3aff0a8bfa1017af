//! Errors the engine reports for a refused command.
//!
//! Operating errors (a bad request from a learner, a script, a URL) are values, never panics:
//! a panic kills the whole page. Where Kafka defines the error, the variant is named after
//! Kafka's exception and carries Kafka's message text, so what the console prints and what a
//! learner reads in the page is what real Kafka would say. [`SimError::exception_class`] gives
//! the Java class, for the places where Kafka's tools print it.

use std::fmt;

/// A command the engine refused, and why. The `String` is the message as Kafka words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimError {
    /// `InvalidTopicException`: a bad topic name.
    InvalidTopic(String),
    /// `TopicExistsException`.
    TopicExists(String),
    /// `UnknownTopicOrPartitionException`.
    UnknownTopicOrPartition(String),
    /// `InvalidPartitionsException`: zero, too many, or fewer than the topic has.
    InvalidPartitions(String),
    /// `InvalidReplicationFactorException`.
    InvalidReplicationFactor(String),
    /// `InvalidConfigurationException`: an unknown topic config or a bad value.
    InvalidConfig(String),
    /// `RecordTooLargeException`.
    RecordTooLarge(String),
    /// `NotEnoughReplicasException`: acks=all with an ISR below min.insync.replicas.
    NotEnoughReplicas(String),
    /// `NotLeaderOrFollowerException`: the request went to a broker that does not lead the
    /// partition (any more).
    NotLeaderOrFollower(String),
    /// `InvalidRecordException`: a record the broker will not store (a null key in a
    /// compacted topic).
    InvalidRecord(String),
    /// `OutOfOrderSequenceException`: an idempotent producer's batch arrived ahead of the one
    /// before it (which failed and is being retried).
    OutOfOrderSequence(String),
    /// `InvalidGroupIdException`.
    InvalidGroupId(String),
    /// `InvalidRequestException`: a request Kafka refuses as malformed.
    InvalidRequest(String),
    /// `GroupIdNotFoundException`.
    GroupIdNotFound(String),
    /// `GroupNotEmptyException`.
    GroupNotEmpty(String),
    /// `BrokerNotAvailableException`: no such broker, or it is stopped.
    BrokerNotAvailable(String),
    /// `NoReassignmentInProgressException`: cancelling a reassignment that is not running.
    NoReassignmentInProgress(String),
    /// `InvalidReplicaAssignmentException`: a reassignment the controller refuses.
    InvalidReplicaAssignment(String),
    /// One of the simulation's own bounds (partitions per topic, members per group, …).
    LimitExceeded(String),
    /// A virtual-time request that would move the clock past `u64::MAX`.
    InvalidTime(String),
}

impl SimError {
    /// The fully qualified Java exception class Kafka would throw.
    pub fn exception_class(&self) -> &'static str {
        match self {
            SimError::InvalidTopic(_) => "org.apache.kafka.common.errors.InvalidTopicException",
            SimError::TopicExists(_) => "org.apache.kafka.common.errors.TopicExistsException",
            SimError::UnknownTopicOrPartition(_) => {
                "org.apache.kafka.common.errors.UnknownTopicOrPartitionException"
            }
            SimError::InvalidPartitions(_) => {
                "org.apache.kafka.common.errors.InvalidPartitionsException"
            }
            SimError::InvalidReplicationFactor(_) => {
                "org.apache.kafka.common.errors.InvalidReplicationFactorException"
            }
            SimError::InvalidConfig(_) => {
                "org.apache.kafka.common.errors.InvalidConfigurationException"
            }
            SimError::RecordTooLarge(_) => "org.apache.kafka.common.errors.RecordTooLargeException",
            SimError::NotEnoughReplicas(_) => {
                "org.apache.kafka.common.errors.NotEnoughReplicasException"
            }
            SimError::InvalidRequest(_) => "org.apache.kafka.common.errors.InvalidRequestException",
            SimError::NotLeaderOrFollower(_) => {
                "org.apache.kafka.common.errors.NotLeaderOrFollowerException"
            }
            SimError::InvalidGroupId(_) => "org.apache.kafka.common.errors.InvalidGroupIdException",
            SimError::InvalidRecord(_) => "org.apache.kafka.common.InvalidRecordException",
            SimError::OutOfOrderSequence(_) => {
                "org.apache.kafka.common.errors.OutOfOrderSequenceException"
            }
            SimError::GroupIdNotFound(_) => {
                "org.apache.kafka.common.errors.GroupIdNotFoundException"
            }
            SimError::GroupNotEmpty(_) => "org.apache.kafka.common.errors.GroupNotEmptyException",
            SimError::BrokerNotAvailable(_) => {
                "org.apache.kafka.common.errors.BrokerNotAvailableException"
            }
            SimError::NoReassignmentInProgress(_) => {
                "org.apache.kafka.common.errors.NoReassignmentInProgressException"
            }
            SimError::InvalidReplicaAssignment(_) => {
                "org.apache.kafka.common.errors.InvalidReplicaAssignmentException"
            }
            SimError::LimitExceeded(_) => "eda-playground limit",
            SimError::InvalidTime(_) => "eda-playground invalid time",
        }
    }

    /// The message alone, as Kafka words it.
    pub fn message(&self) -> &str {
        match self {
            SimError::InvalidTopic(m)
            | SimError::TopicExists(m)
            | SimError::UnknownTopicOrPartition(m)
            | SimError::InvalidPartitions(m)
            | SimError::InvalidReplicationFactor(m)
            | SimError::InvalidConfig(m)
            | SimError::RecordTooLarge(m)
            | SimError::NotEnoughReplicas(m)
            | SimError::InvalidRequest(m)
            | SimError::NotLeaderOrFollower(m)
            | SimError::InvalidGroupId(m)
            | SimError::InvalidRecord(m)
            | SimError::OutOfOrderSequence(m)
            | SimError::GroupIdNotFound(m)
            | SimError::GroupNotEmpty(m)
            | SimError::BrokerNotAvailable(m)
            | SimError::NoReassignmentInProgress(m)
            | SimError::InvalidReplicaAssignment(m)
            | SimError::LimitExceeded(m)
            | SimError::InvalidTime(m) => m,
        }
    }
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for SimError {}
