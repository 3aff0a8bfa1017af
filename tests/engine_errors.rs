//! Every `SimError` variant, reached through the public API, with Kafka's class and wording
//! where Kafka has them. Errors a broker returns to a producer arrive in the trace
//! (`ProduceFailed`), as they reach a real producer's callback.
#![allow(clippy::unwrap_used)]

use eda_playground::sim::client::{Acks, ConsumerConfig, ProducerConfig};
use eda_playground::sim::command::{Command, NewRecord, OffsetTarget, Outcome, Subscription};
use eda_playground::sim::world::WorldConfig;
use eda_playground::sim::{SimError, TraceEvent, TraceKind, World};

fn producer(world: &mut World, acks: Acks, linger_ms: u64) -> u32 {
    match world
        .apply(Command::AddProducer {
            config: ProducerConfig {
                acks,
                linger_ms,
                ..Default::default()
            },
        })
        .unwrap()
    {
        Outcome::Producer(id) => id,
        other => panic!("{other:?}"),
    }
}

fn failures(events: &[TraceEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::ProduceFailed { error, .. } => Some(error.clone()),
            _ => None,
        })
        .collect()
}

fn two_brokers(seed: u64) -> World {
    World::with_config(
        seed,
        WorldConfig {
            brokers: 2,
            ..Default::default()
        },
    )
}

#[test]
fn topic_and_cluster_errors() {
    let mut world = World::new(1);
    assert!(matches!(
        world.create_topic("bad name!", 1, 1),
        Err(SimError::InvalidTopic(_))
    ));
    world.create_topic("t", 2, 1).unwrap();
    let exists = world.create_topic("t", 2, 1).unwrap_err();
    assert_eq!(
        exists.exception_class(),
        "org.apache.kafka.common.errors.TopicExistsException"
    );
    assert_eq!(exists.message(), "Topic 't' already exists.");
    assert!(matches!(
        world.apply(Command::DeleteTopic {
            name: "missing".into()
        }),
        Err(SimError::UnknownTopicOrPartition(_))
    ));
    assert_eq!(
        world.apply(Command::IncreasePartitions {
            name: "t".into(),
            partitions: 2
        }),
        Err(SimError::InvalidPartitions(
            "Topic already has 2 partition(s).".into()
        ))
    );
    assert!(matches!(
        world.create_topic("u", 1, 3),
        Err(SimError::InvalidReplicationFactor(_))
    ));
    let bad_config = world
        .apply(Command::CreateTopic {
            name: "c".into(),
            partitions: Some(1),
            replication_factor: Some(1),
            configs: vec![("retention.ms".into(), "abc".into())],
        })
        .unwrap_err();
    assert_eq!(
        bad_config,
        SimError::InvalidConfig(
            "Invalid value abc for configuration retention.ms: Not a number of type LONG".into()
        )
    );
    assert!(matches!(
        world.apply(Command::StopBroker { id: 5 }),
        Err(SimError::BrokerNotAvailable(_))
    ));
    assert!(matches!(
        world.create_topic("wide", 65, 1),
        Err(SimError::LimitExceeded(_))
    ));
    assert!(matches!(
        world.advance(u64::MAX),
        Err(SimError::InvalidTime(_))
    ));
}

#[test]
fn client_and_group_errors() {
    let mut world = World::new(2);
    world.create_topic("t", 1, 1).unwrap();
    let p = producer(&mut world, Acks::All, 5);
    let huge = "x".repeat(1_100_000);
    let too_large = world.produce(p, "t", None, &huge).unwrap_err();
    assert!(
        too_large
            .message()
            .ends_with("which is the value of the max.request.size configuration.")
    );
    assert!(matches!(
        world.apply(Command::AddConsumer {
            config: ConsumerConfig::default(),
            subscription: Subscription::Topics(vec!["t".into()]),
        }),
        Err(SimError::InvalidGroupId(_))
    ));
    assert_eq!(
        world.apply(Command::DeleteGroup {
            group: "nobody".into()
        }),
        Err(SimError::GroupIdNotFound(
            "The group id does not exist.".into()
        ))
    );
    let c = world.add_group_consumer("g", &["t"]).unwrap();
    world.advance(10_000).unwrap();
    assert_eq!(
        world.apply(Command::DeleteGroup { group: "g".into() }),
        Err(SimError::GroupNotEmpty("The group is not empty.".into()))
    );
    assert!(matches!(
        world.apply(Command::ResetOffsets {
            group: "g".into(),
            topic: Some("t".into()),
            target: OffsetTarget::Earliest,
            partitions: None,
        }),
        Err(SimError::InvalidRequest(_))
    ));
    world.apply(Command::StopConsumer { consumer: c }).unwrap();
    assert!(matches!(
        world.apply(Command::StopConsumer { consumer: c }),
        Err(SimError::InvalidRequest(_))
    ));
}

#[test]
fn broker_side_produce_errors_reach_the_producer_through_the_trace() {
    // NotLeaderOrFollower: the leader stops while a batch is on its way; the retry goes to the
    // new leader and succeeds.
    let mut world = two_brokers(3);
    world.create_topic("r", 1, 2).unwrap();
    let p = producer(&mut world, Acks::One, 0);
    world.produce(p, "r", Some("k"), "v").unwrap();
    let leader = world.topic("r").unwrap().partitions[0].leader.unwrap();
    world.apply(Command::StopBroker { id: leader }).unwrap();
    let events = world.advance(2_000).unwrap();
    assert!(
        failures(&events)[0]
            .starts_with("org.apache.kafka.common.errors.NotLeaderOrFollowerException: ")
    );
    assert_eq!(world.producer(p).unwrap().acked_records, 1);

    // InvalidRecord: a null key in a compacted topic.
    let mut world = World::new(4);
    world
        .apply(Command::CreateTopic {
            name: "compacted".into(),
            partitions: Some(1),
            replication_factor: Some(1),
            configs: vec![("cleanup.policy".into(), "compact".into())],
        })
        .unwrap();
    let p = producer(&mut world, Acks::All, 0);
    world.produce(p, "compacted", None, "v").unwrap();
    let events = world.advance(1_000).unwrap();
    assert_eq!(
        failures(&events),
        [
            "org.apache.kafka.common.InvalidRecordException: Compacted topic cannot accept message without key in topic partition compacted-0."
        ]
    );

    // NotEnoughReplicas for both batches while the ISR is short: Kafka 4.1.1's
    // `Partition.appendRecordsToLeader` checks `min.insync.replicas` before
    // `UnifiedLog.appendAsLeader` validates the second batch's sequence.
    let mut world = two_brokers(5);
    world
        .apply(Command::CreateTopic {
            name: "strict".into(),
            partitions: Some(1),
            replication_factor: Some(2),
            configs: vec![("min.insync.replicas".into(), "2".into())],
        })
        .unwrap();
    let follower = world.topic("strict").unwrap().partitions[0].replicas[1].broker;
    world.apply(Command::StopBroker { id: follower }).unwrap();
    let p = producer(&mut world, Acks::All, 0);
    world
        .apply(Command::Produce {
            producer: p,
            record: NewRecord::new("strict", Some("a"), "1"),
        })
        .unwrap();
    world
        .apply(Command::Produce {
            producer: p,
            record: NewRecord::new("strict", Some("a"), "2"),
        })
        .unwrap();
    let seen = failures(&world.advance(2_000).unwrap());
    assert!(seen.len() >= 2, "{seen:?}");
    assert!(
        seen.iter().all(|e| e
            == "org.apache.kafka.common.errors.NotEnoughReplicasException: Messages are rejected since there are fewer in-sync replicas than required."),
        "{seen:?}"
    );
    // Once the follower is back, both records land, in order.
    world.apply(Command::StartBroker { id: follower }).unwrap();
    world.advance(5_000).unwrap();
    let values: Vec<Vec<u8>> = world.topic("strict").unwrap().partitions[0]
        .log
        .read(0, 10)
        .into_iter()
        .map(|r| r.value.unwrap().to_vec())
        .collect();
    assert_eq!(values, [b"1".to_vec(), b"2".to_vec()]);
}

/// Issue 16, point 5: the sizes a produce is checked with are Kafka's. `KafkaProducer.doSend`
/// checks `AbstractRecords.estimateSizeInBytesUpperBound` (61 + `DefaultRecord.
/// MAX_RECORD_OVERHEAD` 21 + key, value and header fields) against `max.request.size`
/// (`ensureValidRecordSize`); the leader checks the batch as written (61 + each record,
/// `DefaultRecord.sizeInBytes`) against `max.message.bytes` (`LogValidator` /
/// `UnifiedLog.analyzeAndValidateRecords`). A null-key value of 1,048,489 bytes is 1,048,576
/// bytes by the producer's bound (exactly the default limit) and a 1,048,561-byte batch (under
/// the default 1,048,588): Kafka accepts it. One byte more is refused by the producer.
#[test]
fn the_largest_record_kafka_accepts_by_default_is_accepted() {
    let mut world = World::new(9);
    world.create_topic("big", 1, 1).unwrap();
    let p = producer(&mut world, Acks::All, 0);
    let largest = "x".repeat(1_048_489);
    world.produce(p, "big", None, &largest).unwrap();
    let events = world.advance(2_000).unwrap();
    assert_eq!(failures(&events), Vec::<String>::new());
    assert_eq!(world.producer(p).unwrap().acked_records, 1);
    let stored = world.topic("big").unwrap().partitions[0]
        .log
        .get(0)
        .unwrap();
    assert_eq!(stored.size_bytes(), 1_048_561);
    let too_large = "x".repeat(1_048_490);
    assert_eq!(
        world.produce(p, "big", None, &too_large),
        Err(SimError::RecordTooLarge(
            "The message is 1048577 bytes when serialized which is larger than 1048576, which is the value of the max.request.size configuration.".to_string()
        ))
    );
}

/// A batch of records pays one 61-byte header (`DefaultRecordBatch.RECORD_BATCH_OVERHEAD`):
/// three 30-byte values are 61 + 3 × 37 = 172 bytes, which a topic with `max.message.bytes`
/// 200 accepts (`MemoryRecordsBuilder` writes them in one batch; the leader checks its size).
#[test]
fn a_batch_is_checked_with_one_header_for_all_its_records() {
    let mut world = World::new(10);
    world
        .apply(Command::CreateTopic {
            name: "small".into(),
            partitions: Some(1),
            replication_factor: Some(1),
            configs: vec![("max.message.bytes".into(), "200".into())],
        })
        .unwrap();
    let p = producer(&mut world, Acks::All, 100);
    let value = "v".repeat(30);
    for _ in 0..3 {
        world.produce(p, "small", None, &value).unwrap();
    }
    let events = world.advance(2_000).unwrap();
    assert_eq!(failures(&events), Vec::<String>::new());
    assert_eq!(world.producer(p).unwrap().acked_records, 3);
}
