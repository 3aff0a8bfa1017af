//! The engine's throughput loop, shared by the native benchmark (`benches/engine.rs`) and the
//! same loop run in headless Chromium (`tests/browser_bench.rs`), so the two figures measure
//! the same work. The caller times it with its platform's clock.
#![allow(dead_code, clippy::unwrap_used)]

use eda_playground::sim::client::{ConsumerConfig, OffsetReset, ProducerConfig};
use eda_playground::sim::command::{Command, NewRecord, Outcome, Subscription};
use eda_playground::sim::world::WorldConfig;
use eda_playground::sim::{TraceKind, World};

/// A topic of `partitions` partitions read by one consumer group of 3, settled, and its
/// producer (`linger.ms` 5).
pub fn produce_fetch_world(partitions: u32) -> (World, u32) {
    let mut world = World::with_config(1, WorldConfig::default());
    world.create_topic("bench", partitions, 1).unwrap();
    let producer = match world
        .apply(Command::AddProducer {
            config: ProducerConfig {
                linger_ms: 5,
                ..Default::default()
            },
        })
        .unwrap()
    {
        Outcome::Producer(id) => id,
        other => panic!("{other:?}"),
    };
    for _ in 0..3 {
        world
            .apply(Command::AddConsumer {
                config: ConsumerConfig {
                    group_id: Some("g".into()),
                    auto_offset_reset: OffsetReset::Earliest,
                    ..Default::default()
                },
                subscription: Subscription::Topics(vec!["bench".into()]),
            })
            .unwrap();
    }
    world.advance(5_000).unwrap();
    (world, producer)
}

/// Produces `records` small keyed records (1 000 keys) in batches of 1 000, 50 ms of virtual
/// time apart, then lets them all be delivered; returns how many were delivered.
pub fn produce_fetch(world: &mut World, producer: u32, records: u32) -> u64 {
    let keys: Vec<String> = (0..1_000).map(|i| format!("k{i}")).collect();
    let mut delivered = 0u64;
    let batch = 1_000;
    let count = |events: Vec<eda_playground::sim::TraceEvent>| {
        events
            .iter()
            .filter(|e| matches!(e.kind, TraceKind::RecordDelivered { .. }))
            .count() as u64
    };
    for chunk in 0..records / batch {
        for i in 0..batch {
            let key = &keys[((chunk * batch + i) % 1_000) as usize];
            world
                .apply(Command::Produce {
                    producer,
                    record: NewRecord::new("bench", Some(key), "v"),
                })
                .unwrap();
        }
        delivered += count(world.advance(50).unwrap());
    }
    delivered + count(world.advance(5_000).unwrap())
}

/// The floor under [`produce_fetch`]: the same records (built the same way, placed by the same
/// murmur2 partitioner) pushed into plain per-partition vectors with their offsets and
/// timestamps, then read back in partition order and handed, one by one, to one of 3 readers,
/// with no broker, no batching, no group and no trace. What the engine costs beyond this is its
/// model of Kafka; this much any store of these records pays. Returns how many were read.
pub fn vec_floor(partitions: u32, records: u32) -> u64 {
    use eda_playground::sim::command::NewRecord;
    use eda_playground::sim::partitioner::partition_for_key;

    struct Stored {
        offset: u64,
        timestamp_ms: u64,
        record: NewRecord,
    }
    let keys: Vec<String> = (0..1_000).map(|i| format!("k{i}")).collect();
    let mut logs: Vec<Vec<Stored>> = (0..partitions).map(|_| Vec::new()).collect();
    let batch = 1_000;
    for chunk in 0..records / batch {
        for i in 0..batch {
            let key = &keys[((chunk * batch + i) % 1_000) as usize];
            let record = NewRecord::new("bench", Some(key), "v");
            let partition = partition_for_key(key.as_bytes(), partitions) as usize;
            let log = &mut logs[partition];
            log.push(Stored {
                offset: log.len() as u64,
                timestamp_ms: u64::from(chunk) * 50,
                record,
            });
        }
    }
    let mut readers = [0u64; 3];
    let mut read = 0u64;
    for (p, log) in logs.iter().enumerate() {
        for stored in log {
            let seen = std::hint::black_box((
                stored.offset,
                stored.timestamp_ms,
                stored.record.key.as_deref(),
                stored.record.value.as_deref(),
            ));
            readers[p % 3] += seen.0 + 1;
            read += 1;
        }
    }
    std::hint::black_box(readers);
    read
}
