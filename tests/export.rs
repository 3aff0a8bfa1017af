//! Export for a real cluster (`sim::export`): the round trip and the golden files.
//!
//! The round trip (issue 17's key test): a session exported as `session.sh` and run through
//! `console::run_script` on a fresh world with the session's brokers (the quickstart's
//! `server.properties` otherwise, as `eda-console` runs scripts) rebuilds the same topics
//! (partitions, replication factor), the same records (key, value) in the same partitions at
//! the same offsets, and the same committed offsets per group and partition — over 128 random
//! sessions (seeds 0..128, the failing seed printed).
//!
//! The commands the script uses are Kafka 4.x's: `kafka-topics.sh --create/--alter`
//! (`TopicCommand.TopicCommandOptions`), `kafka-console-producer.sh --property parse.key=true
//! --property key.separator=S --property null.marker=M` (`LineMessageReader.configure`: the
//! key is the text before the first separator), and `kafka-consumer-groups.sh --reset-offsets
//! --group G --topic t:0,1 --to-offset O --execute` (`ConsumerGroupCommand.parseTopicsWithPartitions`;
//! `ResetOffsetsTest.testResetOffsetsToEarliestOnTopicsAndPartitions` uses the same scope).
//!
//! Golden files: `tests/export/NAME.session.sh`, `NAME.compose.yaml` and `NAME.java-project.sh`
//! (the Maven project, unchecked by a Java compiler here) for two sessions (the
//! Playground with a topic made in the Console, and WordCount); `BLESS=1 cargo test --test
//! export` rewrites them.

use std::collections::BTreeMap;

use eda_playground::console::run_script;
use eda_playground::sim::client::{ConsumerConfig, OffsetReset, ProducerConfig};
use eda_playground::sim::command::{Command, NewRecord, OffsetTarget, Subscription};
use eda_playground::sim::export::{self, Format};
use eda_playground::sim::scenario::ScenarioDoc;
use eda_playground::sim::world::WorldConfig;
use eda_playground::sim::{Rng, World};

/// A record as the comparison sees it: offset, key, value.
type Held = (u64, Option<Vec<u8>>, Option<Vec<u8>>);

/// Topics with partitions and replication factor; records per partition (offset, key,
/// value); committed offsets per (group, topic, partition).
#[derive(Debug, PartialEq, Eq)]
struct Shape {
    topics: BTreeMap<String, (u32, u32)>,
    records: BTreeMap<(String, u32), Vec<Held>>,
    committed: BTreeMap<(String, String, u32), u64>,
}

fn shape(world: &World) -> Shape {
    let mut topics = BTreeMap::new();
    let mut records = BTreeMap::new();
    for topic in world.topics().filter(|t| !t.internal) {
        let name = topic.name.to_string();
        topics.insert(
            name.clone(),
            (topic.partition_count(), topic.replication_factor()),
        );
        for p in &topic.partitions {
            let held: Vec<_> = p
                .log
                .records_from(p.log.log_start_offset())
                .filter(|r| r.offset < p.high_watermark)
                .map(|r| {
                    (
                        r.offset,
                        r.key.as_ref().map(|k| k.to_vec()),
                        r.value.as_ref().map(|v| v.to_vec()),
                    )
                })
                .collect();
            records.insert((name.clone(), p.id), held);
        }
    }
    let mut committed = BTreeMap::new();
    for group in world.groups() {
        for ((topic, partition), c) in group.committed.iter() {
            if world.topic(topic).is_some() {
                committed.insert(
                    (group.id.to_string(), topic.to_string(), *partition),
                    c.offset,
                );
            }
        }
    }
    Shape {
        topics,
        records,
        committed,
    }
}

const KEYS: [&str; 10] = [
    "alice", "bob", "carol", "", "a:b", "k=v", "x|y", "dave", "émile", "EOF",
];
const VALUES: [&str; 8] = [
    "order-1",
    "a:b:c",
    "",
    "two words",
    "it's $HOME",
    "<null>",
    "EOF",
    "  padded  ",
];

/// A random session: brokers, topics, keyed records (and null-key records on one-partition
/// topics), a partition increase, consumers that commit then leave, offset resets.
fn random_session(seed: u64) -> World {
    let mut rng = Rng::new(seed);
    let brokers = rng.between(1, 3) as u32;
    let config = WorldConfig {
        brokers,
        group_initial_rebalance_delay_ms: 0,
        ..Default::default()
    };
    let mut world = World::with_config(seed, config);
    let mut topics: Vec<String> = Vec::new();
    for i in 0..rng.between(1, 3) {
        let name = format!("topic{i}");
        let partitions = rng.between(1, 6) as u32;
        let rf = rng.between(1, u64::from(brokers)) as u32;
        world
            .apply(Command::CreateTopic {
                name: name.clone(),
                partitions: Some(partitions),
                replication_factor: Some(rf),
                configs: Vec::new(),
            })
            .expect("create");
        topics.push(name);
    }
    let producer = match world.apply(Command::AddProducer {
        config: ProducerConfig::default(),
    }) {
        Ok(eda_playground::sim::command::Outcome::Producer(p)) => p,
        other => panic!("producer: {other:?}"),
    };
    let mut consumers: Vec<u32> = Vec::new();
    for _ in 0..rng.between(10, 40) {
        world.advance(rng.between(0, 1_500)).expect("advance");
        let topic = topics[rng.below(topics.len() as u64) as usize].clone();
        let partitions = world.topic(&topic).map_or(1, |t| t.partition_count());
        match rng.below(20) {
            0 if partitions < 8 => {
                world
                    .apply(Command::IncreasePartitions {
                        name: topic,
                        partitions: partitions + 1,
                    })
                    .expect("increase");
                // Let the producer's metadata catch up before it sends again.
                world.advance(6_000).expect("advance");
            }
            1 | 2 => {
                let config = ConsumerConfig {
                    group_id: Some(format!("group{}", rng.below(2))),
                    auto_offset_reset: OffsetReset::Earliest,
                    ..Default::default()
                };
                if let Ok(eda_playground::sim::command::Outcome::Consumer(c)) =
                    world.apply(Command::AddConsumer {
                        config,
                        subscription: Subscription::Topics(vec![topic]),
                    })
                {
                    consumers.push(c);
                }
            }
            3 if !consumers.is_empty() => {
                let c = consumers.remove(rng.below(consumers.len() as u64) as usize);
                world
                    .apply(Command::StopConsumer { consumer: c })
                    .expect("stop");
            }
            5 if partitions > 1 => {
                // A steady load for a moment: its records are regenerated on replay, never
                // listed in the scenario, and the export lists them.
                world
                    .apply(Command::SetAutoProduce {
                        producer,
                        topic: topic.clone(),
                        rate_per_s: rng.between(1, 20) as u32,
                        keys: vec!["auto-a".into(), "auto:b".into(), "c".into()],
                        value_prefix: "load-".into(),
                    })
                    .expect("auto");
                world.advance(rng.between(200, 3_000)).expect("advance");
                world
                    .apply(Command::SetAutoProduce {
                        producer,
                        topic,
                        rate_per_s: 0,
                        keys: Vec::new(),
                        value_prefix: String::new(),
                    })
                    .expect("auto off");
            }
            4 => {
                let group = format!("reset{}", rng.below(2));
                let only = (partitions > 1 && rng.below(2) == 0)
                    .then(|| vec![rng.below(u64::from(partitions)) as u32]);
                let target = match rng.below(3) {
                    0 => OffsetTarget::Earliest,
                    1 => OffsetTarget::Latest,
                    _ => OffsetTarget::Offset(rng.below(5)),
                };
                world
                    .apply(Command::ResetOffsets {
                        group,
                        topic: Some(topic),
                        target,
                        partitions: only,
                    })
                    .expect("reset");
            }
            _ => {
                let key = if partitions == 1 && rng.below(4) == 0 {
                    None
                } else {
                    Some(KEYS[rng.below(KEYS.len() as u64) as usize])
                };
                let value = if rng.below(10) == 0 {
                    None
                } else {
                    Some(VALUES[rng.below(VALUES.len() as u64) as usize].to_string())
                };
                let record = NewRecord {
                    topic,
                    partition: None,
                    key: key.map(str::to_string),
                    value,
                    headers: Vec::new(),
                    timestamp_ms: None,
                };
                world
                    .apply(Command::Produce { producer, record })
                    .expect("produce");
            }
        }
    }
    // Every consumer leaves (its last auto-commit on close), so every group is empty.
    world.advance(6_000).expect("advance");
    for c in consumers {
        world
            .apply(Command::StopConsumer { consumer: c })
            .expect("stop");
    }
    world.advance(10_000).expect("advance");
    world
}

fn document(world: &World) -> ScenarioDoc {
    let mut doc = ScenarioDoc::new(world.scenario());
    doc.moment_ms = Some(world.now_ms());
    doc
}

fn script_world(brokers: u32) -> World {
    World::with_config(
        1,
        WorldConfig {
            brokers,
            group_initial_rebalance_delay_ms: 0,
            ..Default::default()
        },
    )
}

#[test]
fn session_sh_rebuilds_the_session_on_a_fresh_cluster() {
    let mut records_checked = 0usize;
    let mut committed_checked = 0usize;
    for seed in 0..128 {
        let session = random_session(seed);
        let doc = document(&session);
        let script =
            export::export(&doc, Format::SessionSh).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert!(
            !script.contains("# skipped"),
            "seed {seed}: the export skipped records:\n{script}"
        );
        let mut fresh = script_world(session.config().brokers);
        let out = run_script(&mut fresh, &script);
        assert_eq!(out.stderr, "", "seed {seed}: stderr\n{script}");
        let expected = shape(&session);
        let rebuilt = shape(&fresh);
        if expected != rebuilt {
            panic!(
                "seed {seed}: the rebuilt cluster differs\nexpected {expected:#?}\nrebuilt {rebuilt:#?}\nscript:\n{script}\nstdout:\n{}",
                out.stdout
            );
        }
        records_checked += expected.records.values().map(Vec::len).sum::<usize>();
        committed_checked += expected.committed.len();
    }
    eprintln!(
        "128 sessions: {records_checked} records and {committed_checked} committed offsets rebuilt"
    );
    // The sessions are not trivially empty.
    assert!(records_checked > 128 * 10, "{records_checked} records");
    assert!(
        committed_checked > 128,
        "{committed_checked} committed offsets"
    );
}

fn golden(name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/export");
    let json = std::fs::read_to_string(dir.join(format!("{name}.json"))).expect("scenario");
    let doc = eda_playground::sim::scenario::decode_json(&json).expect("a valid scenario");
    for format in Format::ALL {
        let text = export::export(&doc, format).expect("exports");
        if format == Format::SessionSh {
            // The exported commands run in the playground's console without an error.
            let mut fresh = script_world(doc.config.brokers);
            let out = run_script(&mut fresh, &text);
            // Kafka's reset tool warns when a committed offset lies past a partition whose
            // skipped records (see the script's comments) made it shorter, and sets it to the
            // end (`OffsetsUtils.checkOffsetsRange`): a warning, not an error.
            let errors: Vec<&str> = out
                .stderr
                .lines()
                .filter(|l| !l.ends_with("(org.apache.kafka.tools.OffsetsUtils)"))
                .collect();
            assert!(errors.is_empty(), "{name}: stderr\n{}", out.stderr);
        }
        let path = dir.join(format!("{name}.{}", format.file_name()));
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(&path, &text).expect("write golden");
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            text,
            expected,
            "{} differs (BLESS=1 rewrites it)",
            path.display()
        );
    }
}

#[test]
fn golden_playground_session() {
    golden("playground");
}

#[test]
fn golden_wordcount_session() {
    golden("wordcount");
}

#[test]
fn eda_console_exports_a_scenario_file() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/export");
    for format in Format::ALL {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_eda-console"))
            .arg("--export")
            .arg(format.file_name())
            .arg(dir.join("playground.json"))
            .output()
            .expect("eda-console runs");
        assert!(out.status.success());
        let expected =
            std::fs::read(dir.join(format!("playground.{}", format.file_name()))).expect("golden");
        assert_eq!(out.stdout, expected, "{}", format.file_name());
    }
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_eda-console"))
        .args(["--export", "pom.xml"])
        .output()
        .expect("eda-console runs");
    assert_eq!(refused.status.code(), Some(2));
}

#[test]
fn a_record_the_console_cannot_place_is_named_and_left_out() {
    // `bob` hashes to one partition of two; the session sent a record to the other one
    // explicitly (`new ProducerRecord<>(topic, partition, key, value)`), which no console
    // producer line can do.
    let mut world = script_world(1);
    world.create_topic("t", 2, 1).expect("create");
    let producer = world.add_producer().expect("producer");
    let hashed = eda_playground::sim::partitioner::partition_for_key(b"bob", 2);
    for (partition, value) in [
        (None, "first"),
        (Some(1 - hashed), "placed"),
        (None, "last"),
    ] {
        let record = NewRecord {
            partition,
            ..NewRecord::new("t", Some("bob"), value)
        };
        world
            .apply(Command::Produce { producer, record })
            .expect("produce");
    }
    world.advance(5_000).expect("advance");
    let script = export::export(&document(&world), Format::SessionSh).expect("exports");
    assert!(
        script.contains(&format!(
            "# skipped t-{} offset 0: its key bob hashes to partition {hashed} of 2",
            1 - hashed
        )),
        "{script}"
    );
    assert!(!script.contains("bob:placed"), "{script}");
    let mut fresh = script_world(1);
    let out = run_script(&mut fresh, &script);
    assert_eq!(out.stderr, "");
    let rebuilt = shape(&fresh);
    assert_eq!(rebuilt.records[&("t".to_string(), hashed)].len(), 2);
    assert!(rebuilt.records[&("t".to_string(), 1 - hashed)].is_empty());
    // The Java project places it exactly.
    let files = export::java_project(&world.scenario(), world.now_ms()).expect("java");
    let producer_java = &files[1].1;
    assert!(
        producer_java.contains(&format!(
            "send(producer, \"t\", {}, \"bob\", \"placed\", List.of()); // offset 0",
            1 - hashed
        )),
        "{producer_java}"
    );
}
