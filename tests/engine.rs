//! The engine end to end: topics, producing, replication, consumer groups, rebalances,
//! errors and determinism, through the public `World` API only.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use eda_playground::sim::assignor::AssignorKind;
use eda_playground::sim::client::{Acks, ConsumerConfig, OffsetReset, ProducerConfig};
use eda_playground::sim::command::{Command, NewRecord, OffsetTarget, Subscription};
use eda_playground::sim::partitioner::partition_for_key;
use eda_playground::sim::world::WorldConfig;
use eda_playground::sim::{SimError, TraceEvent, TraceKind, World};

fn delivered(events: &[TraceEvent]) -> Vec<(u32, String, u32, u64, bool)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::RecordDelivered {
                consumer,
                topic,
                partition,
                offset,
                duplicate,
                ..
            } => Some((
                *consumer,
                topic.to_string(),
                *partition,
                *offset,
                *duplicate,
            )),
            _ => None,
        })
        .collect()
}

fn generations(events: &[TraceEvent], group: &str) -> Vec<i32> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::RebalanceCompleted {
                group: g,
                generation,
                ..
            } if &**g == group => Some(*generation),
            _ => None,
        })
        .collect()
}

#[test]
fn keyed_records_land_where_murmur2_says_and_offsets_grow() {
    let mut world = World::new(1);
    world.create_topic("orders", 3, 1).unwrap();
    let producer = world.add_producer().unwrap();
    let mut expected = [0u64; 3];
    for i in 0..30 {
        let key = format!("customer-{}", i % 7);
        let partition = world.produce(producer, "orders", Some(&key), "x").unwrap();
        assert_eq!(partition, partition_for_key(key.as_bytes(), 3));
        expected[partition as usize] += 1;
    }
    world.advance(1_000).unwrap();
    let topic = world.topic("orders").unwrap();
    for p in &topic.partitions {
        assert_eq!(p.log.log_end_offset(), expected[p.id as usize]);
        assert_eq!(p.high_watermark, expected[p.id as usize]);
        // Offsets from 0, in order.
        let offsets: Vec<u64> = p.log.read(0, 100).iter().map(|r| r.offset).collect();
        assert_eq!(offsets, (0..expected[p.id as usize]).collect::<Vec<_>>());
    }
    assert_eq!(world.producer(producer).unwrap().acked_records, 30);
}

#[test]
fn a_group_splits_partitions_and_reads_every_record_once() {
    let mut world = World::new(7);
    world.create_topic("orders", 3, 1).unwrap();
    let a = world.add_group_consumer("billing", &["orders"]).unwrap();
    let b = world.add_group_consumer("billing", &["orders"]).unwrap();
    let mut events = world.advance(10_000).unwrap();
    let group = world.group("billing").unwrap();
    assert_eq!(group.state.name(), "Stable");
    assert_eq!(group.members.len(), 2);
    // Range over 3 partitions and 2 members: 2 + 1.
    let mut sizes: Vec<usize> = [a, b]
        .iter()
        .map(|id| world.consumer(*id).unwrap().assignment.len())
        .collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [1, 2]);

    let producer = world.add_producer().unwrap();
    for i in 0..60 {
        world
            .produce(producer, "orders", Some(&format!("k{i}")), "v")
            .unwrap();
    }
    events.extend(world.advance(10_000).unwrap());
    let got = delivered(&events);
    assert_eq!(got.len(), 60);
    assert!(got.iter().all(|d| !d.4), "no duplicates without failures");
    let mut seen: Vec<(u32, u64)> = got.iter().map(|d| (d.2, d.3)).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 60);
    // Auto-commit caught up: lag 0 everywhere.
    let lag = world.group_lag("billing");
    assert_eq!(lag.len(), 3);
    assert!(lag.iter().all(|row| row.lag == Some(0)), "{lag:?}");
    assert!(world.topic("__consumer_offsets").is_some());
}

#[test]
fn a_graceful_stop_rebalances_at_once_and_bumps_the_generation() {
    let mut world = World::new(3);
    world.create_topic("orders", 4, 1).unwrap();
    let a = world.add_group_consumer("billing", &["orders"]).unwrap();
    let b = world.add_group_consumer("billing", &["orders"]).unwrap();
    let first = world.advance(10_000).unwrap();
    assert_eq!(generations(&first, "billing"), [1]);
    world.apply(Command::StopConsumer { consumer: a }).unwrap();
    let events = world.advance(5_000).unwrap();
    assert_eq!(generations(&events, "billing"), [2]);
    assert_eq!(world.consumer(b).unwrap().assignment.len(), 4);
    assert!(world.consumer(a).unwrap().assignment.is_empty());
}

#[test]
fn a_crash_is_noticed_after_the_session_timeout_and_causes_duplicates() {
    let mut world = World::new(11);
    world.create_topic("orders", 2, 1).unwrap();
    let a = world.add_group_consumer("billing", &["orders"]).unwrap();
    let b = world.add_group_consumer("billing", &["orders"]).unwrap();
    world.advance(10_000).unwrap();
    let producer = world.add_producer().unwrap();
    // Records arrive and are consumed, but the 5 s auto-commit has not run yet when `a` dies.
    world.advance(4_000).unwrap();
    for i in 0..40 {
        world
            .produce(producer, "orders", Some(&format!("k{i}")), "v")
            .unwrap();
    }
    world.advance(200).unwrap();
    world.apply(Command::CrashConsumer { consumer: a }).unwrap();
    // Before session.timeout.ms (45 s) nothing moves.
    world.advance(30_000).unwrap();
    assert_eq!(world.consumer(b).unwrap().assignment.len(), 1);
    let events = world.advance(30_000).unwrap();
    assert_eq!(world.consumer(b).unwrap().assignment.len(), 2);
    let removed = events.iter().any(|e| {
        matches!(&e.kind, TraceKind::MemberRemoved { reason, .. }
            if matches!(reason, eda_playground::sim::trace::RebalanceReason::SessionTimeout(_)))
    });
    assert!(removed);
    let dups = delivered(&events)
        .iter()
        .filter(|d| d.0 == b && d.4)
        .count();
    assert!(dups > 0, "b re-reads what a consumed but never committed");
}

#[test]
fn a_leader_failure_moves_leadership_within_the_isr_and_keeps_acked_records() {
    let mut world = World::with_config(
        5,
        eda_playground::sim::world::WorldConfig {
            brokers: 3,
            ..Default::default()
        },
    );
    world.create_topic("payments", 1, 3).unwrap();
    let producer = world.add_producer().unwrap();
    for i in 0..10 {
        world
            .produce(producer, "payments", Some("k"), &format!("v{i}"))
            .unwrap();
    }
    world.advance(1_000).unwrap();
    let p = &world.topic("payments").unwrap().partitions[0];
    assert_eq!(p.isr.len(), 3);
    assert_eq!(p.high_watermark, 10);
    let leader = p.leader.unwrap();
    world.apply(Command::StopBroker { id: leader }).unwrap();
    let p = &world.topic("payments").unwrap().partitions[0];
    let new_leader = p.leader.unwrap();
    assert_ne!(new_leader, leader);
    assert_eq!(p.isr.len(), 2);
    assert!(p.is_under_replicated());
    assert_eq!(p.log.read(0, 100).len(), 10, "acknowledged records survive");
    world.apply(Command::StartBroker { id: leader }).unwrap();
    world.advance(1_000).unwrap();
    let p = &world.topic("payments").unwrap().partitions[0];
    assert_eq!(
        p.isr.len(),
        3,
        "the restarted broker catches up and rejoins"
    );
}

#[test]
fn acks_all_below_min_insync_replicas_is_refused_with_kafkas_words() {
    let mut world = World::with_config(
        2,
        eda_playground::sim::world::WorldConfig {
            brokers: 2,
            ..Default::default()
        },
    );
    world
        .apply(Command::CreateTopic {
            name: "critical".into(),
            partitions: Some(1),
            replication_factor: Some(2),
            configs: vec![("min.insync.replicas".into(), "2".into())],
        })
        .unwrap();
    let follower = world.topic("critical").unwrap().partitions[0].replicas[1].broker;
    world.apply(Command::StopBroker { id: follower }).unwrap();
    let producer = world.add_producer().unwrap();
    world.produce(producer, "critical", Some("k"), "v").unwrap();
    let events = world.advance(500).unwrap();
    let error = events.iter().find_map(|e| match &e.kind {
        TraceKind::ProduceFailed { error, .. } => Some(error.clone()),
        _ => None,
    });
    assert_eq!(
        error.as_deref(),
        Some(
            "org.apache.kafka.common.errors.NotEnoughReplicasException: Messages are rejected since there are fewer in-sync replicas than required."
        )
    );
    // acks=1 goes through.
    let relaxed = match world
        .apply(Command::AddProducer {
            config: ProducerConfig {
                acks: Acks::One,
                ..Default::default()
            },
        })
        .unwrap()
    {
        eda_playground::sim::command::Outcome::Producer(id) => id,
        other => panic!("{other:?}"),
    };
    world.produce(relaxed, "critical", Some("k"), "v").unwrap();
    let events = world.advance(500).unwrap();
    assert!(events.iter().any(
        |e| matches!(&e.kind, TraceKind::ProduceAcked { producer, .. } if *producer == relaxed)
    ));
}

#[test]
fn refused_commands_say_what_kafka_says() {
    let mut world = World::new(1);
    world.create_topic("t", 2, 1).unwrap();
    assert_eq!(
        world.create_topic("t", 1, 1),
        Err(SimError::TopicExists("Topic 't' already exists.".into()))
    );
    assert!(matches!(
        world.create_topic("u", 1, 3),
        Err(SimError::InvalidReplicationFactor(_))
    ));
    assert!(matches!(
        world.apply(Command::IncreasePartitions {
            name: "t".into(),
            partitions: 1
        }),
        Err(SimError::InvalidPartitions(_))
    ));
    assert!(matches!(
        world.apply(Command::DeleteTopic {
            name: "nope".into()
        }),
        Err(SimError::UnknownTopicOrPartition(_))
    ));
    assert!(matches!(
        world.create_topic("bad name!", 1, 1),
        Err(SimError::InvalidTopic(_))
    ));
    assert!(matches!(
        world.create_topic("big", 65, 1),
        Err(SimError::LimitExceeded(_))
    ));
    let producer = world.add_producer().unwrap();
    let huge = "x".repeat(2_000_000);
    assert!(matches!(
        world.produce(producer, "t", None, &huge),
        Err(SimError::RecordTooLarge(_))
    ));
    // Nothing refused was recorded.
    assert_eq!(world.scenario().commands.len(), 2);
}

#[test]
fn offsets_can_be_reset_only_while_the_group_is_inactive() {
    let mut world = World::new(9);
    world.create_topic("t", 1, 1).unwrap();
    let producer = world.add_producer().unwrap();
    for _ in 0..5 {
        world.produce(producer, "t", None, "v").unwrap();
    }
    let c = world.add_group_consumer("g", &["t"]).unwrap();
    world.advance(20_000).unwrap();
    let reset = Command::ResetOffsets {
        group: "g".into(),
        topic: Some("t".into()),
        target: OffsetTarget::Earliest,
        partitions: None,
    };
    assert!(matches!(
        world.apply(reset.clone()),
        Err(SimError::InvalidRequest(_))
    ));
    world.apply(Command::StopConsumer { consumer: c }).unwrap();
    world.advance(1_000).unwrap();
    assert_eq!(world.group("g").unwrap().state.name(), "Empty");
    world.apply(reset).unwrap();
    assert_eq!(world.group_lag("g")[0].lag, Some(5));
}

#[test]
fn the_same_seed_and_commands_give_the_same_trace_and_replay_rebuilds_it() {
    fn run(seed: u64) -> (Vec<TraceEvent>, World) {
        let mut world = World::new(seed);
        let mut events = Vec::new();
        world.create_topic("orders", 3, 1).unwrap();
        world.add_group_consumer("billing", &["orders"]).unwrap();
        let c2 = world.add_group_consumer("billing", &["orders"]).unwrap();
        let producer = world.add_producer().unwrap();
        for step in 0..50u32 {
            let key = (step % 5 != 0).then(|| format!("k{}", step % 4));
            world
                .produce(producer, "orders", key.as_deref(), "v")
                .unwrap();
            events.extend(world.advance(137).unwrap());
            if step == 25 {
                world
                    .apply(Command::CrashConsumer { consumer: c2 })
                    .unwrap();
            }
        }
        events.extend(world.advance(60_000).unwrap());
        (events, world)
    }
    let (a, world) = run(42);
    let (b, _) = run(42);
    assert_eq!(a, b);
    let (c, _) = run(43);
    assert_ne!(a, c, "a different seed draws different latencies");
    let replayed = World::replay(&world.scenario(), world.now_ms()).unwrap();
    assert_eq!(replayed.recent_events(), world.recent_events());
}

#[test]
fn manual_assignment_reads_without_a_group() {
    let mut world = World::new(4);
    world.create_topic("t", 2, 1).unwrap();
    let producer = world.add_producer().unwrap();
    for i in 0..10 {
        world
            .apply(Command::Produce {
                producer,
                record: NewRecord {
                    partition: Some(1),
                    ..NewRecord::new("t", None, &format!("v{i}"))
                },
            })
            .unwrap();
    }
    world.advance(100).unwrap();
    let consumer = world
        .apply(Command::AddConsumer {
            config: ConsumerConfig {
                auto_offset_reset: OffsetReset::Earliest,
                ..Default::default()
            },
            subscription: Subscription::Partitions(vec![("t".into(), 1)]),
        })
        .unwrap();
    let events = world.advance(1_000).unwrap();
    let got = delivered(&events);
    assert_eq!(got.len(), 10);
    assert!(got.iter().all(|d| d.2 == 1));
    let _ = consumer;
}

#[test]
fn records_lost_in_a_failover_before_replication_are_resent_not_acked() {
    let mut world = World::with_config(
        21,
        eda_playground::sim::world::WorldConfig {
            brokers: 2,
            ..Default::default()
        },
    );
    world.create_topic("t", 1, 2).unwrap();
    let producer = world.add_producer().unwrap();
    for i in 0..5 {
        world
            .produce(producer, "t", Some("k"), &format!("v{i}"))
            .unwrap();
    }
    // Step until the leader has appended but before a follower fetch copies it.
    let mut appended = false;
    while !appended {
        appended = world
            .step()
            .iter()
            .any(|e| matches!(e.kind, TraceKind::RecordAppended { .. }));
    }
    let p = &world.topic("t").unwrap().partitions[0];
    assert!(
        p.high_watermark < p.log.log_end_offset(),
        "not replicated yet"
    );
    let leader = p.leader.unwrap();
    world.apply(Command::StopBroker { id: leader }).unwrap();
    let events = world.advance(3_000).unwrap();
    assert!(events.iter().any(|e| matches!(&e.kind,
        TraceKind::ProduceFailed { error, retriable: true, .. } if error.contains("NotLeaderOrFollower"))));
    let values: Vec<String> = world.topic("t").unwrap().partitions[0]
        .log
        .read(0, 100)
        .into_iter()
        .map(|r| String::from_utf8(r.value.unwrap().to_vec()).unwrap())
        .collect();
    assert_eq!(
        values,
        ["v0", "v1", "v2", "v3", "v4"],
        "each record once, in order"
    );
    assert_eq!(world.producer(producer).unwrap().acked_records, 5);
    assert_eq!(world.producer(producer).unwrap().failed_records, 0);
}

#[test]
fn a_scenario_survives_json_and_rebuilds_the_same_world() {
    let mut world = World::new(77);
    world.create_topic("orders", 3, 1).unwrap();
    world.add_group_consumer("billing", &["orders"]).unwrap();
    let producer = world.add_producer().unwrap();
    for i in 0..20 {
        world
            .produce(producer, "orders", Some(&format!("k{}", i % 4)), "v")
            .unwrap();
        world.advance(250).unwrap();
    }
    let json = serde_json::to_string(&world.scenario()).unwrap();
    let scenario: eda_playground::sim::command::Scenario = serde_json::from_str(&json).unwrap();
    assert_eq!(scenario, world.scenario());
    let rebuilt = World::replay(&scenario, world.now_ms()).unwrap();
    assert_eq!(rebuilt.recent_events(), world.recent_events());
    assert_eq!(rebuilt.group_lag("billing"), world.group_lag("billing"));
}

/// A consumer keeps exactly one poll loop: waking it from a long poll or rebalancing it must
/// not add another, or `processing_ms_per_record` would stop limiting its throughput.
#[test]
fn a_consumer_woken_many_times_still_polls_once_per_processing_period() {
    let mut world = World::new(3);
    world.create_topic("t", 1, 1).unwrap();
    let producer = world.add_producer().unwrap();
    let consumer = match world
        .apply(Command::AddConsumer {
            config: ConsumerConfig {
                group_id: Some("slow".into()),
                auto_offset_reset: OffsetReset::Earliest,
                max_poll_records: 5,
                processing_ms_per_record: 100,
                ..Default::default()
            },
            subscription: Subscription::Topics(vec!["t".into()]),
        })
        .unwrap()
    {
        eda_playground::sim::command::Outcome::Consumer(id) => id,
        other => panic!("{other:?}"),
    };
    // A minute of single records, each waking the parked consumer.
    for _ in 0..60 {
        world.produce(producer, "t", None, "x").unwrap();
        world.advance(1_000).unwrap();
    }
    let before = world.consumer(consumer).unwrap().records_consumed;
    assert_eq!(before, 60);
    for _ in 0..500 {
        world.produce(producer, "t", None, "y").unwrap();
    }
    world.advance(10_000).unwrap();
    let consumed = world.consumer(consumer).unwrap().records_consumed - before;
    // 100 ms per record: at most ~100 records in 10 s (a little over for fetch latency).
    assert!(
        (80..=105).contains(&consumed),
        "consumed {consumed} records in 10 s at 100 ms each"
    );
}

/// Starting and stopping consumers all day keeps the world bounded: the oldest stopped ones
/// are forgotten, the newest are still there, and the group keeps working.
#[test]
fn stopped_consumers_do_not_pile_up() {
    let mut world = World::new(4);
    world.create_topic("t", 2, 1).unwrap();
    let mut last = 0;
    for _ in 0..300 {
        last = world.add_group_consumer("g", &["t"]).unwrap();
        world.advance(100).unwrap();
        world
            .apply(Command::StopConsumer { consumer: last })
            .unwrap();
    }
    let kept = world.consumers().count();
    assert!(kept <= 65, "{kept} consumers kept");
    assert!(
        world.consumer(last).is_some(),
        "the newest stopped one is remembered"
    );
    let live = world.add_group_consumer("g", &["t"]).unwrap();
    world.advance(10_000).unwrap();
    assert_eq!(
        world.group("g").unwrap().state.name(),
        "Stable",
        "the group still works"
    );
    assert!(world.consumer(live).unwrap().is_alive());
}

/// Deliveries grouped by fetch and partition, in order: `(sent_at_ms, partition, records)`.
fn per_fetch(events: &[TraceEvent]) -> Vec<(u64, u32, usize)> {
    let mut runs: Vec<(u64, u32, usize)> = Vec::new();
    for e in events {
        if let TraceKind::RecordDelivered {
            partition,
            sent_at_ms,
            ..
        } = &e.kind
        {
            match runs.last_mut() {
                Some((s, p, n)) if *s == *sent_at_ms && *p == *partition => *n += 1,
                _ => runs.push((*sent_at_ms, *partition, 1)),
            }
        }
    }
    runs
}

/// Adds a consumer of `topic` in group `group` reading from the earliest offset.
fn add_earliest_consumer(
    world: &mut World,
    group: &str,
    topic: &str,
    config: ConsumerConfig,
) -> u32 {
    match world
        .apply(Command::AddConsumer {
            config: ConsumerConfig {
                group_id: Some(group.into()),
                auto_offset_reset: OffsetReset::Earliest,
                ..config
            },
            subscription: Subscription::Topics(vec![topic.into()]),
        })
        .unwrap()
    {
        eda_playground::sim::command::Outcome::Consumer(id) => id,
        other => panic!("{other:?}"),
    }
}

/// Kafka bounds a fetch by bytes (max.partition.fetch.bytes per partition, fetch.max.bytes in
/// all), not by max.poll.records: a consumer that joins behind a backlog gets every partition's
/// records in its first fetch, so no partition waits behind the others.
#[test]
fn a_backlog_on_every_partition_comes_back_in_one_fetch() {
    let mut world = World::new(5);
    world.create_topic("t", 6, 1).unwrap();
    let producer = world.add_producer().unwrap();
    for i in 0..3_000 {
        world
            .produce(producer, "t", Some(&format!("k{i}")), "v")
            .unwrap();
    }
    world.advance(1_000).unwrap();
    add_earliest_consumer(&mut world, "g", "t", ConsumerConfig::default());
    let runs = per_fetch(&world.advance(10_000).unwrap());
    assert_eq!(
        runs.iter().map(|(_, _, n)| n).sum::<usize>(),
        3_000,
        "every record once"
    );
    assert!(
        runs.iter().all(|(sent, _, _)| *sent == runs[0].0),
        "one fetch carried all 3,000 records (max.poll.records is 500)"
    );
    let partitions: Vec<u32> = runs.iter().map(|(_, p, _)| *p).collect();
    assert_eq!(
        partitions,
        vec![0, 1, 2, 3, 4, 5],
        "from every partition, in order"
    );
}

/// With a small max.partition.fetch.bytes a fetch takes only what fits from each partition (and
/// the first record whatever its size), so a backlog comes back over several fetches.
#[test]
fn max_partition_fetch_bytes_bounds_what_a_fetch_takes_from_a_partition() {
    let mut world = World::new(6);
    world.create_topic("t", 2, 1).unwrap();
    let producer = world.add_producer().unwrap();
    // Keyed to partition 0 and 1 alternately would need murmur2; explicit partitions instead.
    for i in 0..40u32 {
        world
            .apply(Command::Produce {
                producer,
                record: NewRecord {
                    partition: Some(i % 2),
                    ..NewRecord::new("t", None, "0123456789")
                },
            })
            .unwrap();
    }
    world.advance(1_000).unwrap();
    let size = u64::from(
        world.topic("t").unwrap().partitions[0]
            .log
            .get(0)
            .unwrap()
            .size_bytes(),
    );
    // Room for 3 records per partition per fetch.
    let limit = u32::try_from(size * 3 + size / 2).unwrap();
    add_earliest_consumer(
        &mut world,
        "g",
        "t",
        ConsumerConfig {
            max_partition_fetch_bytes: limit,
            ..ConsumerConfig::default()
        },
    );
    let runs = per_fetch(&world.advance(30_000).unwrap());
    let total: usize = runs.iter().map(|(_, _, n)| n).sum();
    assert_eq!(total, 40, "every record, over several fetches");
    assert!(
        runs.iter().all(|(_, _, n)| *n <= 3),
        "at most 3 records of a partition per fetch: {runs:?}"
    );

    // The byte limit holds for a slow application too (with max.poll.records as well).
    let mut slow = World::new(6);
    slow.create_topic("t", 1, 1).unwrap();
    let producer = slow.add_producer().unwrap();
    for _ in 0..12 {
        slow.produce(producer, "t", None, "0123456789").unwrap();
    }
    slow.advance(1_000).unwrap();
    add_earliest_consumer(
        &mut slow,
        "g",
        "t",
        ConsumerConfig {
            max_partition_fetch_bytes: limit,
            processing_ms_per_record: 1,
            ..ConsumerConfig::default()
        },
    );
    let sizes = per_fetch(&slow.advance(30_000).unwrap());
    assert_eq!(sizes.iter().map(|(_, _, n)| n).sum::<usize>(), 12);
    assert!(sizes.iter().all(|(_, _, n)| *n <= 3), "{sizes:?}");

    // A record larger than the limit still comes back when it is the fetch's first.
    let mut big = World::new(7);
    big.create_topic("b", 1, 1).unwrap();
    let producer = big.add_producer().unwrap();
    big.produce(producer, "b", None, &"x".repeat(2_000))
        .unwrap();
    big.advance(1_000).unwrap();
    add_earliest_consumer(
        &mut big,
        "g",
        "b",
        ConsumerConfig {
            max_partition_fetch_bytes: 100,
            ..ConsumerConfig::default()
        },
    );
    let events = big.advance(10_000).unwrap();
    assert_eq!(
        delivered(&events).len(),
        1,
        "the oversized record is delivered"
    );
}

/// Kafka starts the auto-commit timer when a join completes and starts it again at every later
/// one (`ConsumerCoordinator.onJoinComplete`): the first commit after an assignment comes
/// auto.commit.interval.ms after it, not on the cadence set before the rebalance.
#[test]
fn auto_commit_runs_its_interval_from_each_completed_join() {
    let mut world = World::new(8);
    world.create_topic("t", 2, 1).unwrap();
    let producer = world.add_producer().unwrap();
    let a = add_earliest_consumer(&mut world, "g", "t", ConsumerConfig::default());
    let mut events = Vec::new();
    for i in 0..30u32 {
        world
            .produce(producer, "t", Some(&format!("k{i}")), "v")
            .unwrap();
        events.extend(world.advance(500).unwrap());
        if i == 20 {
            // A second member, 10.5 s in: off the first member's 5 s cadence.
            add_earliest_consumer(&mut world, "g", "t", ConsumerConfig::default());
        }
    }
    events.extend(world.advance(10_000).unwrap());
    let assigned: Vec<u64> = events
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::AssignmentReceived { consumer, .. } if *consumer == a => Some(e.at_ms),
            _ => None,
        })
        .collect();
    let commits: Vec<u64> = events
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::OffsetsCommitted { consumer, .. } if *consumer == a => Some(e.at_ms),
            _ => None,
        })
        .collect();
    assert!(assigned.len() >= 2, "joined, then rebalanced: {assigned:?}");
    for join in &assigned {
        let next = commits.iter().find(|t| **t > *join).copied();
        assert_eq!(
            next,
            Some(join + 5_000),
            "first auto-commit after the join at {join}: commits {commits:?}"
        );
    }
}

/// `KafkaConsumer.seek`: the next fetch starts at the offset sought; a partition the consumer
/// does not own is refused with Kafka's IllegalStateException text.
#[test]
fn seek_moves_the_next_fetch_and_refuses_an_unassigned_partition() {
    let mut world = World::new(9);
    world.create_topic("t", 1, 1).unwrap();
    let producer = world.add_producer().unwrap();
    let c = add_earliest_consumer(&mut world, "g", "t", ConsumerConfig::default());
    world.advance(5_000).unwrap();
    for i in 0..10 {
        world
            .produce(producer, "t", None, &format!("v{i}"))
            .unwrap();
    }
    world.advance(2_000).unwrap();
    world
        .apply(Command::Seek {
            consumer: c,
            topic: "t".into(),
            partition: 0,
            offset: 7,
        })
        .unwrap();
    world.produce(producer, "t", None, "v10").unwrap();
    let offsets: Vec<u64> = delivered(&world.advance(2_000).unwrap())
        .into_iter()
        .map(|(_, _, _, offset, _)| offset)
        .collect();
    assert_eq!(
        offsets,
        vec![7, 8, 9, 10],
        "re-read from 7, then the new record"
    );
    let err = world
        .apply(Command::Seek {
            consumer: c,
            topic: "t".into(),
            partition: 3,
            offset: 0,
        })
        .unwrap_err();
    assert_eq!(err.to_string(), "No current assignment for partition t-3");
}

#[test]
fn clients_are_named_as_kafka_names_them_by_default() {
    // ProducerConfig and ConsumerConfig keep separate client.id sequences; each group stands for
    // one application, so its consumers count from 1 whatever the producers did before.
    let mut world = World::new(3);
    world.create_topic("orders", 2, 1).unwrap();
    let p1 = world.add_producer().unwrap();
    let b1 = world.add_group_consumer("billing", &["orders"]).unwrap();
    let b2 = world.add_group_consumer("billing", &["orders"]).unwrap();
    let s1 = world.add_group_consumer("shipping", &["orders"]).unwrap();
    let p2 = world.add_producer().unwrap();
    let lone = world
        .apply(Command::AddConsumer {
            config: ConsumerConfig::default(),
            subscription: Subscription::Partitions(vec![("orders".to_string(), 0)]),
        })
        .unwrap();
    let name = |world: &World, id: u32| world.consumer(id).unwrap().config.client_id.clone();
    assert_eq!(name(&world, b1), "consumer-billing-1");
    assert_eq!(name(&world, b2), "consumer-billing-2");
    assert_eq!(name(&world, s1), "consumer-shipping-1");
    let lone = match lone {
        eda_playground::sim::command::Outcome::Consumer(id) => id,
        other => panic!("{other:?}"),
    };
    assert_eq!(name(&world, lone), "consumer-null-1");
    assert_eq!(world.producer(p1).unwrap().config.client_id, "producer-1");
    assert_eq!(world.producer(p2).unwrap().config.client_id, "producer-2");
    // A consumer that leaves and joins again is a new KafkaConsumer in the same application.
    world.apply(Command::StopConsumer { consumer: b1 }).unwrap();
    let b3 = world.add_group_consumer("billing", &["orders"]).unwrap();
    assert_eq!(name(&world, b3), "consumer-billing-3");
}

/// A consumer of `group` on `topic` with `assignors` as its `partition.assignment.strategy`.
fn add_with_assignors(
    world: &mut World,
    group: &str,
    topic: &str,
    assignors: &[AssignorKind],
) -> u32 {
    let config = ConsumerConfig {
        group_id: Some(group.to_string()),
        auto_offset_reset: OffsetReset::Earliest,
        assignors: assignors.to_vec(),
        ..Default::default()
    };
    match world
        .apply(Command::AddConsumer {
            config,
            subscription: Subscription::Topics(vec![topic.to_string()]),
        })
        .unwrap()
    {
        eda_playground::sim::command::Outcome::Consumer(id) => id,
        other => panic!("{other:?}"),
    }
}

/// With `group.initial.rebalance.delay.ms=0` (the quickstart's `server.properties`) the first
/// member's join completes at once; a second member joining while the group is
/// CompletingRebalance starts a new rebalance. The first member's JoinGroup response is
/// already on its way: its SyncGroup is answered REBALANCE_IN_PROGRESS and it rejoins
/// (`GroupMetadataManager.classicGroupSync` / `prepareRebalance` with
/// `resetAndPropagateAssignmentWithError`, `AbstractCoordinator.SyncGroupResponseHandler`).
/// It used to wait for a response that never came and was dropped after
/// `session.timeout.ms`, 45 s later.
#[test]
fn members_joining_together_both_get_partitions_at_once() {
    let config = WorldConfig {
        group_initial_rebalance_delay_ms: 0,
        ..Default::default()
    };
    for seed in 0..20 {
        let mut world = World::with_config(seed, config.clone());
        world.create_topic("orders", 6, 1).unwrap();
        let a = world.add_group_consumer("billing", &["orders"]).unwrap();
        let b = world.add_group_consumer("billing", &["orders"]).unwrap();
        let c = world.add_group_consumer("billing", &["orders"]).unwrap();
        world.advance(2_000).unwrap();
        let group = world.group("billing").unwrap();
        assert_eq!(group.state.name(), "Stable", "seed {seed}");
        assert_eq!(group.members.len(), 3, "seed {seed}");
        for id in [a, b, c] {
            assert_eq!(
                world.consumer(id).unwrap().assignment.len(),
                2,
                "seed {seed}, consumer {id}"
            );
        }
    }
}

/// `ClassicGroup.supportsProtocols`: a member is refused
/// when none of them is supported by every member (`GroupMetadataManager.
/// classicGroupJoinNewMember` answers INCONSISTENT_GROUP_PROTOCOL; `ClassicGroupTest.
/// testSupportsProtocols`). Kafka 4.x's default strategy lists range and cooperative-sticky
/// (`ConsumerConfig`), so a default member gets on with either kind, but a range-only and a
/// cooperative-sticky-only member cannot share a group.
#[test]
fn a_member_sharing_no_assignor_with_the_group_is_refused() {
    let mut world = World::new(5);
    world.create_topic("orders", 6, 1).unwrap();
    let coop = add_with_assignors(
        &mut world,
        "g",
        "orders",
        &[AssignorKind::CooperativeSticky],
    );
    world.advance(5_000).unwrap();
    let range = add_with_assignors(&mut world, "g", "orders", &[AssignorKind::Range]);
    let default = add_with_assignors(
        &mut world,
        "g",
        "orders",
        &[AssignorKind::Range, AssignorKind::CooperativeSticky],
    );
    let events = world.advance(10_000).unwrap();
    let refused: Vec<(u32, String)> = events
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::JoinGroupFailed {
                consumer, error, ..
            } => Some((*consumer, error.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        refused,
        [(range, "INCONSISTENT_GROUP_PROTOCOL".to_string())]
    );
    let group = world.group("g").unwrap();
    assert_eq!(group.members.len(), 2);
    assert!(world.consumer(range).unwrap().member_id.is_none());
    assert!(world.consumer(range).unwrap().assignment.is_empty());
    // The only assignor both members support.
    assert_eq!(group.protocol, Some(AssignorKind::CooperativeSticky));
    assert_eq!(world.consumer(coop).unwrap().assignment.len(), 3);
    assert_eq!(world.consumer(default).unwrap().assignment.len(), 3);
}

/// Each member follows its own rebalance protocol (`ConsumerCoordinator`'s constructor takes
/// the highest protocol all its assignors support; `onJoinPrepare` revokes everything only
/// for EAGER): in a group that picked cooperative-sticky, a member with Kafka's default list
/// (range, cooperative-sticky) is eager and gives up all its partitions before rejoining,
/// and owns nothing in its subscription, so the partitions it had are not held back for a
/// follow-up round; a cooperative-sticky-only member keeps its own. Every partition stays
/// owned once the group is stable (they used to be held back for a follow-up round that
/// never came).
#[test]
fn eager_and_cooperative_members_share_a_cooperative_group() {
    let mut world = World::new(9);
    world.create_topic("orders", 6, 1).unwrap();
    let default = add_with_assignors(
        &mut world,
        "g",
        "orders",
        &[AssignorKind::Range, AssignorKind::CooperativeSticky],
    );
    world.advance(5_000).unwrap();
    assert_eq!(world.consumer(default).unwrap().assignment.len(), 6);
    let coop = add_with_assignors(
        &mut world,
        "g",
        "orders",
        &[AssignorKind::CooperativeSticky],
    );
    let events = world.advance(10_000).unwrap();
    let revoked: Vec<(u32, usize)> = events
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::PartitionsRevoked {
                consumer,
                partitions,
                ..
            } => Some((*consumer, partitions.len())),
            _ => None,
        })
        .collect();
    assert_eq!(revoked, [(default, 6)]);
    assert_eq!(world.consumer(default).unwrap().assignment.len(), 3);
    assert_eq!(world.consumer(coop).unwrap().assignment.len(), 3);
    assert_eq!(
        world.group("g").unwrap().protocol,
        Some(AssignorKind::CooperativeSticky)
    );
}
