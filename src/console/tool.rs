//! Which Kafka tool a command word names.
//!
//! Tutorials write the tools as `bin/kafka-topics.sh`; Kafka's Docker images and Homebrew put
//! them on the PATH as `kafka-topics.sh` or `kafka-topics`. All of these name the same tool.

/// The Kafka 4 command-line tools the console knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KafkaTool {
    /// `kafka-topics.sh`.
    Topics,
    /// `kafka-console-producer.sh`.
    ConsoleProducer,
    /// `kafka-console-consumer.sh`.
    ConsoleConsumer,
    /// `kafka-consumer-groups.sh`.
    ConsumerGroups,
    /// `kafka-configs.sh`.
    Configs,
    /// `kafka-get-offsets.sh`.
    GetOffsets,
    /// `kafka-delete-records.sh`.
    DeleteRecords,
    /// `kafka-metadata-quorum.sh`.
    MetadataQuorum,
    /// `kafka-leader-election.sh`.
    LeaderElection,
    /// `kafka-reassign-partitions.sh`.
    ReassignPartitions,
    /// `kafka-streams-application-reset.sh`.
    StreamsReset,
    /// `kafka-producer-perf-test.sh`.
    ProducerPerfTest,
    /// `kafka-consumer-perf-test.sh`.
    ConsumerPerfTest,
    /// `kafka-storage.sh`.
    Storage,
    /// `kafka-server-start.sh`.
    ServerStart,
    /// `kafka-server-stop.sh`.
    ServerStop,
    /// `kafka-run-class.sh`.
    RunClass,
}

impl KafkaTool {
    /// Every tool, in the order `help` lists them.
    pub const ALL: [KafkaTool; 17] = [
        KafkaTool::Topics,
        KafkaTool::ConsoleProducer,
        KafkaTool::ConsoleConsumer,
        KafkaTool::ConsumerGroups,
        KafkaTool::Configs,
        KafkaTool::GetOffsets,
        KafkaTool::DeleteRecords,
        KafkaTool::MetadataQuorum,
        KafkaTool::LeaderElection,
        KafkaTool::ReassignPartitions,
        KafkaTool::StreamsReset,
        KafkaTool::ProducerPerfTest,
        KafkaTool::ConsumerPerfTest,
        KafkaTool::Storage,
        KafkaTool::ServerStart,
        KafkaTool::ServerStop,
        KafkaTool::RunClass,
    ];

    /// The script's name as Kafka ships it in `bin/`.
    pub fn script(self) -> &'static str {
        match self {
            KafkaTool::Topics => "kafka-topics.sh",
            KafkaTool::ConsoleProducer => "kafka-console-producer.sh",
            KafkaTool::ConsoleConsumer => "kafka-console-consumer.sh",
            KafkaTool::ConsumerGroups => "kafka-consumer-groups.sh",
            KafkaTool::Configs => "kafka-configs.sh",
            KafkaTool::GetOffsets => "kafka-get-offsets.sh",
            KafkaTool::DeleteRecords => "kafka-delete-records.sh",
            KafkaTool::MetadataQuorum => "kafka-metadata-quorum.sh",
            KafkaTool::LeaderElection => "kafka-leader-election.sh",
            KafkaTool::ReassignPartitions => "kafka-reassign-partitions.sh",
            KafkaTool::StreamsReset => "kafka-streams-application-reset.sh",
            KafkaTool::ProducerPerfTest => "kafka-producer-perf-test.sh",
            KafkaTool::ConsumerPerfTest => "kafka-consumer-perf-test.sh",
            KafkaTool::Storage => "kafka-storage.sh",
            KafkaTool::ServerStart => "kafka-server-start.sh",
            KafkaTool::ServerStop => "kafka-server-stop.sh",
            KafkaTool::RunClass => "kafka-run-class.sh",
        }
    }

    /// The tool a command word names: `bin/kafka-topics.sh`, `./bin/kafka-topics.sh`,
    /// `kafka-topics.sh` and `kafka-topics` all name [`KafkaTool::Topics`].
    pub fn from_command(word: &str) -> Option<KafkaTool> {
        let base = word.rsplit('/').next().unwrap_or(word);
        KafkaTool::ALL
            .into_iter()
            .find(|tool| base == tool.script() || Some(base) == tool.script().strip_suffix(".sh"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_every_spelling_of_a_tool() {
        for word in [
            "bin/kafka-topics.sh",
            "./bin/kafka-topics.sh",
            "kafka-topics.sh",
            "kafka-topics",
            "/opt/kafka/bin/kafka-topics.sh",
        ] {
            assert_eq!(
                KafkaTool::from_command(word),
                Some(KafkaTool::Topics),
                "{word}"
            );
        }
        assert_eq!(
            KafkaTool::from_command("bin/kafka-console-consumer.sh"),
            Some(KafkaTool::ConsoleConsumer)
        );
    }

    #[test]
    fn rejects_other_words() {
        for word in [
            "",
            "kafka",
            "kafka-topics.shx",
            "bin/",
            "ls",
            "kafka-topics.sh/",
        ] {
            assert_eq!(KafkaTool::from_command(word), None, "{word:?}");
        }
    }
}
