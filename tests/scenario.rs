//! The scenario document (`sim::scenario`) over random sessions: encode (link and file) →
//! decode → replay gives the identical trace, and a seek on the rebuilt timeline equals one on
//! the original; refused input never panics.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use eda_playground::sim::assignor::AssignorKind;
use eda_playground::sim::client::{ConsumerConfig, OffsetReset};
use eda_playground::sim::command::{Command, NewRecord, Outcome, Subscription};
use eda_playground::sim::scenario::{
    ScenarioDoc, decode_json, decode_link, encode_json, encode_link,
};
use eda_playground::sim::timeline::{Limits, Timeline};
use eda_playground::sim::world::WorldConfig;
use eda_playground::sim::{TraceEvent, World};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Produce { key: Option<u8>, value: String },
    Advance { ms: u16 },
    Rate { per_s: u16 },
    AddConsumer { assignor: u8 },
    Crash { nth: u8 },
    Broker { id: u8, up: bool },
    Topic { partitions: u8 },
    Seek { per_mille: u16 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (proptest::option::of(0u8..12), "\\PC{0,12}").prop_map(|(key, value)| Op::Produce { key, value }),
        4 => (1u16..3_000).prop_map(|ms| Op::Advance { ms }),
        1 => (0u16..300).prop_map(|per_s| Op::Rate { per_s }),
        2 => (0u8..4).prop_map(|assignor| Op::AddConsumer { assignor }),
        1 => any::<u8>().prop_map(|nth| Op::Crash { nth }),
        1 => (1u8..3, any::<bool>()).prop_map(|(id, up)| Op::Broker { id, up }),
        1 => (1u8..5).prop_map(|partitions| Op::Topic { partitions }),
        1 => (0u16..1000).prop_map(|per_mille| Op::Seek { per_mille }),
    ]
}

const ASSIGNORS: [AssignorKind; 4] = [
    AssignorKind::Range,
    AssignorKind::RoundRobin,
    AssignorKind::Sticky,
    AssignorKind::CooperativeSticky,
];

/// Plays the ops on a timeline the way the page does (seeks included: acting after one
/// branches).
fn play(seed: u64, ops: &[Op]) -> Timeline {
    let config = WorldConfig {
        brokers: 2,
        latency_ms_min: 150,
        latency_ms_max: 350,
        trace_capacity: 100_000,
        ..WorldConfig::default()
    };
    let mut t: Timeline = Timeline::new(seed, config, (), Limits::default());
    t.drive(|w| w.create_topic("orders", 3, 2)).unwrap();
    let producer = t.drive(|w| w.add_producer()).unwrap();
    let mut consumers = Vec::new();
    let mut topics = 0;
    for op in ops {
        let _ = match op {
            Op::Produce { key, value } => t.apply(Command::Produce {
                producer,
                record: NewRecord::new("orders", key.map(|k| format!("k{k}")).as_deref(), value),
            }),
            Op::Advance { ms } => t.advance(u64::from(*ms)).map(|_| Outcome::Done),
            Op::Rate { per_s } => t.apply(Command::SetAutoProduce {
                producer,
                topic: "orders".into(),
                rate_per_s: u32::from(*per_s),
                keys: vec!["alice".into(), "bob".into()],
                value_prefix: "order-".into(),
            }),
            Op::AddConsumer { assignor } => {
                let outcome = t.apply(Command::AddConsumer {
                    config: ConsumerConfig {
                        group_id: Some(format!("g{}", assignor % 4)),
                        auto_offset_reset: OffsetReset::Earliest,
                        assignors: vec![ASSIGNORS[usize::from(*assignor % 4)]],
                        ..Default::default()
                    },
                    subscription: Subscription::Topics(vec!["orders".into()]),
                });
                if let Ok(Outcome::Consumer(id)) = outcome {
                    consumers.push(id);
                }
                outcome
            }
            Op::Crash { nth } if !consumers.is_empty() => {
                let id = consumers.remove(usize::from(*nth) % consumers.len());
                t.apply(Command::CrashConsumer { consumer: id })
            }
            Op::Broker { id, up } => t.apply(if *up {
                Command::StartBroker { id: u32::from(*id) }
            } else {
                Command::StopBroker { id: u32::from(*id) }
            }),
            Op::Topic { partitions } => {
                topics += 1;
                t.drive(|w| w.create_topic(&format!("t{topics}"), u32::from(*partitions), 1))
                    .map(|_| Outcome::Done)
            }
            Op::Seek { per_mille } => {
                let at = t.horizon_ms() * u64::from(*per_mille) / 1000;
                t.seek(at);
                Ok(Outcome::Done)
            }
            _ => Ok(Outcome::Done),
        };
    }
    t
}

/// A hash of everything that happened (FNV-1a over the trace's debug text).
fn trace_hash(events: &[&TraceEvent]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for e in events {
        for b in format!("{e:?}").bytes() {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

fn hash_of(world: &World) -> u64 {
    trace_hash(&world.recent_events().iter().collect::<Vec<_>>())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x5ce7_a210),
        ..ProptestConfig::default()
    })]

    #[test]
    fn encode_decode_replay_gives_the_same_trace(seed in any::<u64>(), ops in proptest::collection::vec(op(), 1..40)) {
        let t = play(seed, &ops);
        let mut doc = ScenarioDoc::new(t.scenario().unwrap());
        doc.moment_ms = Some(t.now_ms());
        doc.horizon_ms = Some(t.horizon_ms());
        let from_link = decode_link(&encode_link(&doc)).unwrap();
        let from_file = decode_json(&encode_json(&doc)).unwrap();
        prop_assert_eq!(&from_link, &doc);
        prop_assert_eq!(&from_file, &doc);
        let rebuilt = Timeline::from_scenario(&from_link.scenario(), from_link.moment(), from_link.horizon(), (), Limits::default()).unwrap();
        prop_assert_eq!(rebuilt.now_ms(), t.now_ms());
        prop_assert_eq!(rebuilt.horizon_ms(), t.horizon_ms());
        prop_assert_eq!(hash_of(rebuilt.world()), hash_of(t.world()), "seed {}", seed);
    }
}

#[test]
fn the_same_document_replays_the_same_on_every_run() {
    let ops: Vec<Op> = (0..30u16)
        .map(|i| match i % 4 {
            0 => Op::Produce {
                key: Some((i % 5) as u8),
                value: format!("v{i}"),
            },
            1 => Op::Advance { ms: 700 + i * 13 },
            2 => Op::AddConsumer {
                assignor: (i % 4) as u8,
            },
            _ => Op::Rate { per_s: i * 7 },
        })
        .collect();
    let a = play(99, &ops);
    let b = play(99, &ops);
    assert_eq!(hash_of(a.world()), hash_of(b.world()));
    let doc = ScenarioDoc::new(a.scenario().unwrap());
    assert_eq!(
        encode_link(&doc),
        encode_link(&ScenarioDoc::new(b.scenario().unwrap()))
    );
}

/// The example in the README's "The scenario file" section reads and replays: a teacher can
/// start from it.
#[test]
fn the_readme_example_reads_and_replays() {
    let readme = include_str!("../README.md");
    let section = readme
        .split("### The scenario file")
        .nth(1)
        .expect("the README documents the scenario file");
    let json = section
        .split("```json")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a JSON example");
    let doc = decode_json(json).unwrap();
    let t = Timeline::from_scenario(
        &doc.scenario(),
        doc.moment(),
        doc.horizon(),
        (),
        Limits::default(),
    )
    .unwrap();
    assert_eq!(t.now_ms(), 10_000);
    let orders = t.world().topic("orders").unwrap();
    let appended: u64 = orders
        .partitions
        .iter()
        .map(|p| p.log.log_end_offset())
        .sum();
    assert!(
        appended >= 36,
        "the typed record and the steady load: {appended}"
    );
    let session = eda_playground::ui::session::Session::from_doc(&doc).unwrap();
    assert!(!session.playing);
}
