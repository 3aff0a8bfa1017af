//! Kafka Streams in the engine: WordCount as Kafka's docs show it, `describe()` byte for byte,
//! the record cache, stepping, and a property sweep over random text.
//!
//! Sources of the expected texts:
//! - the quickstart output (`all 1` … `summit 1`): Kafka's `docs/streams/quickstart.html`
//!   ("Step 5: Process some data"), lines typed one by one into a one-partition input topic;
//! - `TopologyDescription` text: `InternalTopologyBuilder.TopologyDescription#toString`,
//!   `SubtopologyDescription`, `Source`/`Processor`/`Sink#toString` and `NodeComparator` (Kafka
//!   2.x–4.x), and the strings asserted by Kafka's own
//!   `streams/src/test/java/org/apache/kafka/streams/kstream/GeneratedOptimizedTopologyTest.java`
//!   (reproduced below); the numbering of an unnamed `groupBy(...).count()` (store 3,
//!   aggregate 4, repartition sink 5, filter 6, source 7) is what that test and a WordCountDemo
//!   run print (its internal topics are `streams-wordcount-KSTREAM-AGGREGATE-STATE-STORE-0000000003-
//!   repartition` and `-changelog`), while the Streams tutorial's `count(Materialized.as(
//!   "counts-store"))` numbers aggregate 3, sink 4, filter 5, source 6, toStream 7, sink 8.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use eda_playground::console::{quickstart_world, run_script};
use eda_playground::sim::World;
use eda_playground::sim::command::{Command, NewRecord, StreamsExample};
use eda_playground::sim::partitioner::partition_for_key;
use eda_playground::sim::rng::Rng;
use eda_playground::sim::streams::examples::{
    self, WORD_COUNT_APPLICATION_ID, WORD_COUNT_INPUT, WORD_COUNT_OUTPUT,
};
use eda_playground::sim::streams::value::word_count_words;
use eda_playground::sim::streams::{
    AppState, Materialized, Serde, StepKind, StepReport, StreamsBuilder, StreamsConfig, TestDriver,
    Value,
};

const QUICKSTART_LINES: [&str; 3] = [
    "all streams lead to kafka",
    "hello kafka streams",
    "join kafka summit",
];

/// The consumer output of the Streams quickstart, in order.
const QUICKSTART_OUTPUT: [(&str, i64); 11] = [
    ("all", 1),
    ("streams", 1),
    ("lead", 1),
    ("to", 1),
    ("kafka", 1),
    ("hello", 1),
    ("kafka", 2),
    ("streams", 2),
    ("join", 1),
    ("kafka", 3),
    ("summit", 1),
];

/// `System.out.println(topology.describe())` for WordCountDemo (and the quickstart's gist,
/// which only splits differently).
const WORD_COUNT_DESCRIBE: &str = "Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [streams-plaintext-input])
      --> KSTREAM-FLATMAPVALUES-0000000001
    Processor: KSTREAM-FLATMAPVALUES-0000000001 (stores: [])
      --> KSTREAM-KEY-SELECT-0000000002
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-KEY-SELECT-0000000002 (stores: [])
      --> KSTREAM-FILTER-0000000006
      <-- KSTREAM-FLATMAPVALUES-0000000001
    Processor: KSTREAM-FILTER-0000000006 (stores: [])
      --> KSTREAM-SINK-0000000005
      <-- KSTREAM-KEY-SELECT-0000000002
    Sink: KSTREAM-SINK-0000000005 (topic: KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition)
      <-- KSTREAM-FILTER-0000000006

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000007 (topics: [KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition])
      --> KSTREAM-AGGREGATE-0000000004
    Processor: KSTREAM-AGGREGATE-0000000004 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000003])
      --> KTABLE-TOSTREAM-0000000008
      <-- KSTREAM-SOURCE-0000000007
    Processor: KTABLE-TOSTREAM-0000000008 (stores: [])
      --> KSTREAM-SINK-0000000009
      <-- KSTREAM-AGGREGATE-0000000004
    Sink: KSTREAM-SINK-0000000009 (topic: streams-wordcount-output)
      <-- KTABLE-TOSTREAM-0000000008

";

// ---------------------------------------------------------------------------------------------
// Helpers

fn create_topics(world: &mut World, input_partitions: u32, output_partitions: u32) {
    world
        .create_topic(WORD_COUNT_INPUT, input_partitions, 1)
        .unwrap();
    world
        .apply(Command::CreateTopic {
            name: WORD_COUNT_OUTPUT.to_string(),
            partitions: Some(output_partitions),
            replication_factor: Some(1),
            configs: vec![("cleanup.policy".to_string(), "compact".to_string())],
        })
        .unwrap();
}

/// Records of a topic as (partition, offset, key, value) with String keys and Long values.
fn long_records(world: &World, topic: &str) -> Vec<(u32, u64, String, i64)> {
    let mut out = Vec::new();
    let Some(t) = world.topic(topic) else {
        return out;
    };
    for p in &t.partitions {
        for r in p.log.read(0, u32::MAX) {
            let key = String::from_utf8(r.key.as_deref().unwrap().to_vec()).unwrap();
            let value =
                i64::from_be_bytes(<[u8; 8]>::try_from(r.value.as_deref().unwrap()).unwrap());
            out.push((p.id, r.offset, key, value));
        }
    }
    out
}

fn word_count_app(
    doc_split: bool,
    cache_max_bytes: u64,
) -> (eda_playground::sim::streams::Topology, StreamsConfig) {
    let builder = StreamsBuilder::new();
    if doc_split {
        examples::word_count(&builder);
    } else {
        examples::word_count_demo(&builder);
    }
    let config = StreamsConfig {
        statestore_cache_max_bytes: cache_max_bytes,
        ..examples::word_count_demo_config()
    };
    (builder.build(), config)
}

/// Types the quickstart's three lines one by one, as a person at the console producer would.
fn type_quickstart_lines(world: &mut World) {
    let producer = world.add_producer().unwrap();
    for line in QUICKSTART_LINES {
        world
            .produce(producer, WORD_COUNT_INPUT, None, line)
            .unwrap();
        world.advance(2_000).unwrap();
    }
}

// ---------------------------------------------------------------------------------------------
// The quickstart

#[test]
fn the_quickstart_prints_the_documented_output() {
    for doc_split in [false, true] {
        let mut world = quickstart_world(7);
        create_topics(&mut world, 1, 1);
        let (topology, config) = word_count_app(doc_split, 0);
        world.start_streams(&topology, config).unwrap();
        world.advance(1_000).unwrap();
        type_quickstart_lines(&mut world);
        let output: Vec<(String, i64)> = long_records(&world, WORD_COUNT_OUTPUT)
            .into_iter()
            .map(|(_, _, k, v)| (k, v))
            .collect();
        let expected: Vec<(String, i64)> = QUICKSTART_OUTPUT
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect();
        assert_eq!(output, expected, "doc_split={doc_split}");
    }
}

/// With one partition everywhere the output is in input order. With more partitions the
/// repartition topic spreads words by murmur2(word) mod its partition count, each task counts
/// its own words in order, and the output topic spreads them again by murmur2: every key's
/// sequence of counts is the documented one, but the interleaving of different keys across
/// partitions depends on the partitions and the timing, as on real Kafka.
#[test]
fn with_several_partitions_each_keys_sequence_is_the_documented_one() {
    let mut world = quickstart_world(11);
    create_topics(&mut world, 3, 2);
    let (topology, config) = examples::word_count_demo_app();
    world.start_streams(&topology, config).unwrap();
    world.advance(1_000).unwrap();
    type_quickstart_lines(&mut world);
    let repartition = "streams-wordcount-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition";
    let repartition_topic = world.topic(repartition).unwrap();
    assert_eq!(repartition_topic.partition_count(), 3);
    for p in &repartition_topic.partitions {
        for r in p.log.read(0, u32::MAX) {
            let key = r.key.as_deref().unwrap();
            assert_eq!(
                partition_for_key(key, 3),
                p.id,
                "{:?}",
                String::from_utf8_lossy(key)
            );
        }
    }
    let output = long_records(&world, WORD_COUNT_OUTPUT);
    for (partition, _, key, _) in &output {
        assert_eq!(partition_for_key(key.as_bytes(), 2), *partition, "{key}");
    }
    let mut by_key: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (_, _, key, value) in output {
        by_key.entry(key).or_default().push(value);
    }
    let mut expected: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (key, value) in QUICKSTART_OUTPUT {
        expected.entry(key.to_string()).or_default().push(value);
    }
    assert_eq!(by_key, expected);
}

#[test]
fn the_application_runs_like_kafkas_wordcountdemo() {
    let mut world = quickstart_world(3);
    create_topics(&mut world, 2, 1);
    let (topology, config) = examples::word_count_demo_app();
    assert_eq!(config.application_id, "streams-wordcount");
    assert_eq!(config.statestore_cache_max_bytes, 0);
    assert_eq!(config.commit_interval_ms, 30_000);
    let id = world.start_streams(&topology, config).unwrap();
    // Internal topics, named and configured as Kafka names and configures them.
    let repartition = world
        .topic("streams-wordcount-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition")
        .unwrap();
    assert_eq!(repartition.partition_count(), 2);
    let overrides: Vec<(&str, &str)> = repartition
        .overrides
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        overrides,
        vec![
            ("cleanup.policy", "delete"),
            ("message.timestamp.type", "CreateTime"),
            ("retention.ms", "-1"),
            ("segment.bytes", "52428800"),
        ]
    );
    let changelog = world
        .topic("streams-wordcount-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog")
        .unwrap();
    assert_eq!(changelog.partition_count(), 2);
    let overrides: Vec<(&str, &str)> = changelog
        .overrides
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        overrides,
        vec![
            ("cleanup.policy", "compact"),
            ("message.timestamp.type", "CreateTime")
        ]
    );
    world.advance(1_000).unwrap();
    let app = world.streams_app(id).unwrap();
    assert_eq!(app.state(), AppState::Running);
    let tasks: Vec<String> = app.thread().tasks().map(|t| t.id().to_string()).collect();
    assert_eq!(tasks, vec!["0_0", "0_1", "1_0", "1_1"]);
    let consumer = world.consumer(app.consumer()).unwrap();
    assert!(consumer.config.client_id.starts_with("streams-wordcount-"));
    assert!(
        consumer
            .config
            .client_id
            .ends_with("-StreamThread-1-consumer")
    );
    assert!(!consumer.config.enable_auto_commit);

    type_quickstart_lines(&mut world);
    // Changelog records: a task's changelog partition is the task's partition, values are
    // 8-byte longs.
    let changelog_records = long_records(
        &world,
        "streams-wordcount-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog",
    );
    assert_eq!(changelog_records.len(), 11);
    for (partition, _, key, _) in &changelog_records {
        assert_eq!(partition_for_key(key.as_bytes(), 2), *partition);
    }
    // The group is the application id; its offsets are committed at the commit interval.
    world.advance(31_000).unwrap();
    let group = world
        .groups()
        .find(|g| &*g.id == WORD_COUNT_APPLICATION_ID)
        .unwrap();
    let committed: u64 = group.committed.values().map(|c| c.offset).sum();
    assert_eq!(committed, 3 + 11);
    // Every assigned partition shows; those with records were committed up to the log end
    // (the unkeyed lines all went to one input partition, which the sticky partitioner chose).
    let lag = world.group_lag(WORD_COUNT_APPLICATION_ID);
    assert_eq!(lag.len(), 4);
    assert!(lag.iter().all(|row| row.lag.unwrap_or(0) == 0), "{lag:?}");
    assert_eq!(
        lag.iter()
            .filter(|row| row.current_offset.is_some())
            .count(),
        3
    );
    // Stopping leaves the group.
    world.stop_streams(id).unwrap();
    assert_eq!(world.streams_app(id).unwrap().state(), AppState::NotRunning);
    world.advance(1_000).unwrap();
    assert!(
        world
            .group(WORD_COUNT_APPLICATION_ID)
            .unwrap()
            .members
            .is_empty()
    );
}

#[test]
fn a_restarted_application_restores_its_counts_from_the_changelog() {
    let mut world = quickstart_world(5);
    create_topics(&mut world, 1, 1);
    let (topology, config) = examples::word_count_demo_app();
    let id = world.start_streams(&topology, config.clone()).unwrap();
    world.advance(1_000).unwrap();
    type_quickstart_lines(&mut world);
    world.stop_streams(id).unwrap();
    world.advance(1_000).unwrap();
    world.start_streams(&topology, config).unwrap();
    world.advance(2_000).unwrap();
    let producer = world.add_producer().unwrap();
    world
        .produce(producer, WORD_COUNT_INPUT, None, "kafka")
        .unwrap();
    world.advance(3_000).unwrap();
    let output = long_records(&world, WORD_COUNT_OUTPUT);
    assert_eq!(output.len(), 12, "nothing is processed twice");
    assert_eq!(
        output.last().map(|(_, _, k, v)| (k.as_str(), *v)),
        Some(("kafka", 4))
    );
}

#[test]
fn a_missing_input_topic_refuses_the_start() {
    let mut world = World::new(1);
    let (topology, config) = examples::word_count_demo_app();
    let err = world.start_streams(&topology, config).unwrap_err();
    assert!(
        err.message().starts_with(
            "The following source topics are missing/unknown: [streams-plaintext-input]."
        ),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// describe()

#[test]
fn describe_matches_kafka_byte_for_byte() {
    let (topology, _) = examples::word_count_demo_app();
    assert_eq!(topology.describe(), WORD_COUNT_DESCRIBE);
    let builder = StreamsBuilder::new();
    examples::word_count(&builder);
    assert_eq!(builder.build().describe(), WORD_COUNT_DESCRIBE);
}

/// The Streams tutorial's WordCount with `count(Materialized.as("counts-store"))`: a named
/// store takes no number, so the numbering is the tutorial's (aggregate 3, sink 4, filter 5,
/// source 6, toStream 7, sink 8) in today's layout.
#[test]
fn describe_of_the_tutorials_wordcount_with_a_named_store() {
    let builder = StreamsBuilder::new();
    builder
        .stream(WORD_COUNT_INPUT)
        .flat_map_values(|v| {
            word_count_words(v.and_then(Value::as_str).unwrap_or(""))
                .into_iter()
                .map(|w| Some(Value::from(w)))
                .collect()
        })
        .group_by(|_, v| v.cloned())
        .count_as("counts-store")
        .to_stream()
        .to(WORD_COUNT_OUTPUT);
    assert_eq!(
        builder.build().describe(),
        "Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [streams-plaintext-input])
      --> KSTREAM-FLATMAPVALUES-0000000001
    Processor: KSTREAM-FLATMAPVALUES-0000000001 (stores: [])
      --> KSTREAM-KEY-SELECT-0000000002
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-KEY-SELECT-0000000002 (stores: [])
      --> KSTREAM-FILTER-0000000005
      <-- KSTREAM-FLATMAPVALUES-0000000001
    Processor: KSTREAM-FILTER-0000000005 (stores: [])
      --> KSTREAM-SINK-0000000004
      <-- KSTREAM-KEY-SELECT-0000000002
    Sink: KSTREAM-SINK-0000000004 (topic: counts-store-repartition)
      <-- KSTREAM-FILTER-0000000005

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000006 (topics: [counts-store-repartition])
      --> KSTREAM-AGGREGATE-0000000003
    Processor: KSTREAM-AGGREGATE-0000000003 (stores: [counts-store])
      --> KTABLE-TOSTREAM-0000000007
      <-- KSTREAM-SOURCE-0000000006
    Processor: KTABLE-TOSTREAM-0000000007 (stores: [])
      --> KSTREAM-SINK-0000000008
      <-- KSTREAM-AGGREGATE-0000000003
    Sink: KSTREAM-SINK-0000000008 (topic: streams-wordcount-output)
      <-- KTABLE-TOSTREAM-0000000007

"
    );
}

/// Kafka's `GeneratedOptimizedTopologyTest.getExpectedNonOptimizedToplogy()`, verbatim: one
/// mapped stream grouped three times (count with `Materialized.with`, which burns a number;
/// aggregate; reduce), three repartition hops, four sub-topologies.
#[test]
fn describe_matches_kafkas_generated_optimized_topology_test() {
    let builder = StreamsBuilder::new();
    let source = builder.stream_with(
        "input",
        eda_playground::sim::streams::Consumed::with(Serde::String, Serde::String),
    );
    let mapped = source.map(|k, v| {
        (
            k.and_then(Value::as_str)
                .map(|k| Value::from(k.to_uppercase())),
            v.cloned(),
        )
    });
    mapped
        .group_by_key()
        .count_with(Materialized::with(Serde::String, Serde::Long))
        .to_stream()
        .to("outputTopic_0");
    mapped
        .group_by_key()
        .aggregate(
            || Value::Long(0),
            |_, v, agg| {
                Value::Long(agg.as_long().unwrap_or(0) + v.as_str().map_or(0, |s| s.len() as i64))
            },
            Some(Serde::Long),
        )
        .to_stream()
        .to("outputTopic_1");
    mapped
        .group_by_key()
        .reduce(|a, b| Value::from(format!("{a}:{b}")))
        .to_stream()
        .to("outputTopic_2");
    let expected = "Topologies:\n".to_string()
        + "   Sub-topology: 0\n"
        + "    Source: KSTREAM-SOURCE-0000000000 (topics: [input])\n"
        + "      --> KSTREAM-MAP-0000000001\n"
        + "    Processor: KSTREAM-MAP-0000000001 (stores: [])\n"
        + "      --> KSTREAM-FILTER-0000000006, KSTREAM-FILTER-0000000013, KSTREAM-FILTER-0000000020\n"
        + "      <-- KSTREAM-SOURCE-0000000000\n"
        + "    Processor: KSTREAM-FILTER-0000000006 (stores: [])\n"
        + "      --> KSTREAM-SINK-0000000005\n"
        + "      <-- KSTREAM-MAP-0000000001\n"
        + "    Processor: KSTREAM-FILTER-0000000013 (stores: [])\n"
        + "      --> KSTREAM-SINK-0000000012\n"
        + "      <-- KSTREAM-MAP-0000000001\n"
        + "    Processor: KSTREAM-FILTER-0000000020 (stores: [])\n"
        + "      --> KSTREAM-SINK-0000000019\n"
        + "      <-- KSTREAM-MAP-0000000001\n"
        + "    Sink: KSTREAM-SINK-0000000005 (topic: KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition)\n"
        + "      <-- KSTREAM-FILTER-0000000006\n"
        + "    Sink: KSTREAM-SINK-0000000012 (topic: KSTREAM-AGGREGATE-STATE-STORE-0000000010-repartition)\n"
        + "      <-- KSTREAM-FILTER-0000000013\n"
        + "    Sink: KSTREAM-SINK-0000000019 (topic: KSTREAM-REDUCE-STATE-STORE-0000000017-repartition)\n"
        + "      <-- KSTREAM-FILTER-0000000020\n"
        + "\n"
        + "  Sub-topology: 1\n"
        + "    Source: KSTREAM-SOURCE-0000000007 (topics: [KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition])\n"
        + "      --> KSTREAM-AGGREGATE-0000000004\n"
        + "    Processor: KSTREAM-AGGREGATE-0000000004 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000003])\n"
        + "      --> KTABLE-TOSTREAM-0000000008\n"
        + "      <-- KSTREAM-SOURCE-0000000007\n"
        + "    Processor: KTABLE-TOSTREAM-0000000008 (stores: [])\n"
        + "      --> KSTREAM-SINK-0000000009\n"
        + "      <-- KSTREAM-AGGREGATE-0000000004\n"
        + "    Sink: KSTREAM-SINK-0000000009 (topic: outputTopic_0)\n"
        + "      <-- KTABLE-TOSTREAM-0000000008\n"
        + "\n"
        + "  Sub-topology: 2\n"
        + "    Source: KSTREAM-SOURCE-0000000014 (topics: [KSTREAM-AGGREGATE-STATE-STORE-0000000010-repartition])\n"
        + "      --> KSTREAM-AGGREGATE-0000000011\n"
        + "    Processor: KSTREAM-AGGREGATE-0000000011 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000010])\n"
        + "      --> KTABLE-TOSTREAM-0000000015\n"
        + "      <-- KSTREAM-SOURCE-0000000014\n"
        + "    Processor: KTABLE-TOSTREAM-0000000015 (stores: [])\n"
        + "      --> KSTREAM-SINK-0000000016\n"
        + "      <-- KSTREAM-AGGREGATE-0000000011\n"
        + "    Sink: KSTREAM-SINK-0000000016 (topic: outputTopic_1)\n"
        + "      <-- KTABLE-TOSTREAM-0000000015\n"
        + "\n"
        + "  Sub-topology: 3\n"
        + "    Source: KSTREAM-SOURCE-0000000021 (topics: [KSTREAM-REDUCE-STATE-STORE-0000000017-repartition])\n"
        + "      --> KSTREAM-REDUCE-0000000018\n"
        + "    Processor: KSTREAM-REDUCE-0000000018 (stores: [KSTREAM-REDUCE-STATE-STORE-0000000017])\n"
        + "      --> KTABLE-TOSTREAM-0000000022\n"
        + "      <-- KSTREAM-SOURCE-0000000021\n"
        + "    Processor: KTABLE-TOSTREAM-0000000022 (stores: [])\n"
        + "      --> KSTREAM-SINK-0000000023\n"
        + "      <-- KSTREAM-REDUCE-0000000018\n"
        + "    Sink: KSTREAM-SINK-0000000023 (topic: outputTopic_2)\n"
        + "      <-- KTABLE-TOSTREAM-0000000022\n"
        + "\n";
    assert_eq!(builder.build().describe(), expected);
}

#[test]
fn pipe_and_line_split_are_expressible() {
    let builder = StreamsBuilder::new();
    examples::pipe(&builder);
    let pipe = builder.build();
    assert_eq!(
        pipe.describe(),
        "Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [streams-plaintext-input])
      --> KSTREAM-SINK-0000000001
    Sink: KSTREAM-SINK-0000000001 (topic: streams-pipe-output)
      <-- KSTREAM-SOURCE-0000000000

"
    );
    let builder = StreamsBuilder::new();
    examples::line_split(&builder);
    let line_split = builder.build();
    assert_eq!(
        line_split.describe(),
        "Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [streams-plaintext-input])
      --> KSTREAM-FLATMAPVALUES-0000000001
    Processor: KSTREAM-FLATMAPVALUES-0000000001 (stores: [])
      --> KSTREAM-SINK-0000000002
      <-- KSTREAM-SOURCE-0000000000
    Sink: KSTREAM-SINK-0000000002 (topic: streams-linesplit-output)
      <-- KSTREAM-FLATMAPVALUES-0000000001

"
    );
    // Both run: Pipe copies, LineSplit splits on \W+ without lower-casing.
    let mut driver = TestDriver::new(&line_split, "streams-linesplit", 1, 0);
    driver.pipe_input(WORD_COUNT_INPUT, None, "Hello, Kafka Streams!", 1);
    driver.run_until_idle().unwrap();
    let words: Vec<String> = driver
        .read_output("streams-linesplit-output", Serde::String, Serde::String)
        .into_iter()
        .map(|r| r.value.unwrap().to_string())
        .collect();
    assert_eq!(words, vec!["Hello", "Kafka", "Streams"]);
    let mut driver = TestDriver::new(&pipe, "streams-pipe", 1, 0);
    driver.pipe_input(WORD_COUNT_INPUT, Some("k"), "as is", 1);
    driver.run_until_idle().unwrap();
    let out = driver.read_output("streams-pipe-output", Serde::String, Serde::String);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].key, Some(Value::from("k")));
    assert_eq!(out[0].value, Some(Value::from("as is")));
}

// ---------------------------------------------------------------------------------------------
// Java's split, null keys, serdes, bounds

#[test]
fn empty_and_leading_words_are_counted_as_kafka_counts_them() {
    let mut world = quickstart_world(9);
    create_topics(&mut world, 1, 1);
    let (topology, config) = word_count_app(true, 0);
    world.start_streams(&topology, config).unwrap();
    world.advance(1_000).unwrap();
    let producer = world.add_producer().unwrap();
    // "" splits to [""]; "  x" to ["", "x"]; "Ünïcode" lower-cases then splits on ü and ï.
    for line in ["", "  x", "Ünïcode", "  "] {
        world
            .produce(producer, WORD_COUNT_INPUT, None, line)
            .unwrap();
    }
    world.advance(3_000).unwrap();
    let output: Vec<(String, i64)> = long_records(&world, WORD_COUNT_OUTPUT)
        .into_iter()
        .map(|(_, _, k, v)| (k, v))
        .collect();
    let expected: Vec<(String, i64)> = [("", 1), ("", 2), ("x", 1), ("", 3), ("n", 1), ("code", 1)]
        .iter()
        .map(|(k, v)| (k.to_string(), *v))
        .collect();
    assert_eq!(output, expected);
}

/// Kafka 4.x's `WordCountDemo.createWordCountStream` splits on `"\\W+"`, so runs of spaces and
/// tabs, and punctuation, give no empty words (`streams/examples/src/test/java/org/apache/kafka/
/// streams/examples/wordcount/WordCountDemoTest.java`, `testCountListOfWords`, whose lines are
/// split the same way); a line starting with a delimiter still gives Java's leading `""`
/// (`String.split`).
#[test]
fn wordcountdemo_splits_on_runs_of_non_word_characters() {
    let mut world = quickstart_world(9);
    create_topics(&mut world, 1, 1);
    let (topology, config) = examples::word_count_demo_app();
    world.start_streams(&topology, config).unwrap();
    world.advance(1_000).unwrap();
    let producer = world.add_producer().unwrap();
    for line in ["Hello   Kafka\tStreams", "kafka, streams!", " x"] {
        world
            .produce(producer, WORD_COUNT_INPUT, None, line)
            .unwrap();
    }
    world.advance(3_000).unwrap();
    let output: Vec<(String, i64)> = long_records(&world, WORD_COUNT_OUTPUT)
        .into_iter()
        .map(|(_, _, k, v)| (k, v))
        .collect();
    let expected: Vec<(String, i64)> = [
        ("hello", 1),
        ("kafka", 1),
        ("streams", 1),
        ("kafka", 2),
        ("streams", 2),
        ("", 1),
        ("x", 1),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), *v))
    .collect();
    assert_eq!(output, expected);
}

#[test]
fn group_by_drops_null_keys_before_the_repartition_topic() {
    let builder = StreamsBuilder::new();
    builder
        .stream("in")
        .group_by(|_, v| v.filter(|v| v.as_str() != Some("drop")).cloned())
        .count()
        .to_stream()
        .to_with(
            "out",
            eda_playground::sim::streams::Produced::with(Serde::String, Serde::Long),
        );
    let topology = builder.build();
    let mut driver = TestDriver::new(&topology, "app", 1, 0);
    for v in ["a", "drop", "a"] {
        driver.pipe_input("in", None, v, 1);
    }
    driver.run_until_idle().unwrap();
    assert_eq!(
        driver.records_appended("app-KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition"),
        2
    );
    let out: Vec<i64> = driver
        .read_output("out", Serde::String, Serde::Long)
        .into_iter()
        .map(|r| r.value.unwrap().as_long().unwrap())
        .collect();
    assert_eq!(out, vec![1, 2]);
}

#[test]
fn forgetting_the_long_serde_fails_as_kafka_fails() {
    let builder = StreamsBuilder::new();
    builder
        .stream(WORD_COUNT_INPUT)
        .group_by(|_, v| v.cloned())
        .count()
        .to_stream()
        .to(WORD_COUNT_OUTPUT);
    let topology = builder.build();
    let mut world = quickstart_world(2);
    create_topics(&mut world, 1, 1);
    let config = StreamsConfig {
        statestore_cache_max_bytes: 0,
        ..StreamsConfig::new("no-serde")
    };
    let id = world.start_streams(&topology, config).unwrap();
    world.advance(1_000).unwrap();
    let producer = world.add_producer().unwrap();
    world
        .produce(producer, WORD_COUNT_INPUT, None, "x")
        .unwrap();
    world.advance(3_000).unwrap();
    let app = world.streams_app(id).unwrap();
    assert_eq!(app.state(), AppState::Error);
    let error = app.error().unwrap();
    assert!(
        error.message.starts_with(
            "ClassCastException while producing data to topic streams-wordcount-output. A serializer (key: org.apache.kafka.common.serialization.StringSerializer / value: org.apache.kafka.common.serialization.StringSerializer) is not compatible to the actual key or value type (key type: java.lang.String / value type: java.lang.Long)."
        ),
        "{error}"
    );
    assert!(world.streams_step(id).is_err());
}

#[test]
fn a_full_store_stops_the_application_with_a_clear_error() {
    let (topology, mut config) = examples::word_count_demo_app();
    config.limits.max_store_keys = 3;
    let mut world = quickstart_world(4);
    create_topics(&mut world, 1, 1);
    let id = world.start_streams(&topology, config).unwrap();
    world.advance(1_000).unwrap();
    let producer = world.add_producer().unwrap();
    world
        .produce(producer, WORD_COUNT_INPUT, None, "a b c d")
        .unwrap();
    world.advance(3_000).unwrap();
    let app = world.streams_app(id).unwrap();
    assert_eq!(app.state(), AppState::Error);
    assert!(
        app.error()
            .unwrap()
            .message
            .contains("keeps at most 3 keys")
    );
}

// ---------------------------------------------------------------------------------------------
// The record cache

#[test]
fn with_a_cache_updates_coalesce_until_the_commit_and_flush_in_dirty_order() {
    let (topology, _) = word_count_app(true, 0);
    // Cache 0: every update goes out.
    let mut driver = TestDriver::new(&topology, "wc", 1, 0);
    driver.pipe_input(WORD_COUNT_INPUT, None, "a b a a", 1);
    driver.run_until_idle().unwrap();
    let out: Vec<(String, i64)> = driver
        .read_output(WORD_COUNT_OUTPUT, Serde::String, Serde::Long)
        .into_iter()
        .map(|r| {
            (
                r.key.unwrap().to_string(),
                r.value.unwrap().as_long().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        out,
        vec![
            ("a".into(), 1),
            ("b".into(), 1),
            ("a".into(), 2),
            ("a".into(), 3)
        ]
    );
    // A large cache: nothing until the commit, then the latest per key, in the order of the
    // keys' last writes ("b" last written before "a").
    let mut driver = TestDriver::new(&topology, "wc", 1, 10_485_760);
    driver.pipe_input(WORD_COUNT_INPUT, None, "a b a a", 1);
    driver.run_until_idle().unwrap();
    assert!(
        driver
            .read_output(WORD_COUNT_OUTPUT, Serde::String, Serde::Long)
            .is_empty()
    );
    assert_eq!(
        driver.records_appended("wc-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog"),
        0
    );
    driver.commit().unwrap();
    let out: Vec<(String, i64)> = driver
        .read_output(WORD_COUNT_OUTPUT, Serde::String, Serde::Long)
        .into_iter()
        .map(|r| {
            (
                r.key.unwrap().to_string(),
                r.value.unwrap().as_long().unwrap(),
            )
        })
        .collect();
    assert_eq!(out, vec![("b".into(), 1), ("a".into(), 3)]);
    assert_eq!(
        driver.records_appended("wc-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog"),
        2
    );
}

#[test]
fn a_small_cache_evicts_under_pressure() {
    let (topology, _) = word_count_app(true, 0);
    // Room for about two entries (136 bytes each for one-letter words from this topic).
    let mut driver = TestDriver::new(&topology, "wc", 1, 300);
    driver.pipe_input(WORD_COUNT_INPUT, None, "a b c", 1);
    driver.run_until_idle().unwrap();
    // Putting "c" overflows: "a" (eldest, dirty) is evicted and the whole cache flushes.
    let out: Vec<(String, i64)> = driver
        .read_output(WORD_COUNT_OUTPUT, Serde::String, Serde::Long)
        .into_iter()
        .map(|r| {
            (
                r.key.unwrap().to_string(),
                r.value.unwrap().as_long().unwrap(),
            )
        })
        .collect();
    assert_eq!(out, vec![("a".into(), 1), ("b".into(), 1), ("c".into(), 1)]);
}

#[test]
fn in_the_world_a_default_cache_emits_at_the_commit_interval() {
    let mut world = quickstart_world(8);
    create_topics(&mut world, 1, 1);
    let (topology, config) = word_count_app(true, 10_485_760);
    world.start_streams(&topology, config).unwrap();
    world.advance(1_000).unwrap();
    type_quickstart_lines(&mut world);
    assert!(long_records(&world, WORD_COUNT_OUTPUT).is_empty());
    world.advance(30_000).unwrap();
    let output: BTreeMap<String, i64> = long_records(&world, WORD_COUNT_OUTPUT)
        .into_iter()
        .map(|(_, _, k, v)| (k, v))
        .collect();
    assert_eq!(
        long_records(&world, WORD_COUNT_OUTPUT).len(),
        8,
        "one record per word"
    );
    assert_eq!(output.get("kafka"), Some(&3));
    assert_eq!(output.get("streams"), Some(&2));
}

// ---------------------------------------------------------------------------------------------
// Stepping

#[test]
fn a_step_is_one_record_through_one_node() {
    let mut world = quickstart_world(1);
    create_topics(&mut world, 1, 1);
    let (topology, config) = examples::word_count_demo_app();
    let id = world.start_streams(&topology, config).unwrap();
    world.set_streams_manual(id, true).unwrap();
    world.advance(1_000).unwrap();
    let producer = world.add_producer().unwrap();
    world
        .produce(producer, WORD_COUNT_INPUT, None, "Hello kafka")
        .unwrap();
    world.advance(1_000).unwrap();
    let first = world.streams_step(id).unwrap().unwrap();
    assert_eq!(first.task.to_string(), "0_0");
    assert_eq!(&*first.node, "KSTREAM-SOURCE-0000000000");
    assert_eq!(first.input.value, Some(Value::from("Hello kafka")));
    assert_eq!(first.outputs.len(), 1);
    assert_eq!(&*first.outputs[0].child, "KSTREAM-FLATMAPVALUES-0000000001");
    let split = world.streams_step(id).unwrap().unwrap();
    assert_eq!(&*split.node, "KSTREAM-FLATMAPVALUES-0000000001");
    let words: Vec<Option<Value>> = split
        .outputs
        .iter()
        .map(|f| f.record.value.clone())
        .collect();
    assert_eq!(
        words,
        vec![Some(Value::from("hello")), Some(Value::from("kafka"))]
    );
    // Depth first: "hello" goes all the way to the sink before "kafka" starts.
    let rest = world.streams_finish_record(id).unwrap();
    let nodes: Vec<&str> = rest.iter().map(|r| &*r.node).collect();
    assert_eq!(
        nodes,
        vec![
            "KSTREAM-KEY-SELECT-0000000002",
            "KSTREAM-FILTER-0000000006",
            "KSTREAM-SINK-0000000005",
            "KSTREAM-KEY-SELECT-0000000002",
            "KSTREAM-FILTER-0000000006",
            "KSTREAM-SINK-0000000005",
        ]
    );
    assert!(rest.last().unwrap().record_finished);
    assert_eq!(rest[2].sent.len(), 1);
    assert_eq!(rest[2].sent[0].key, Some(Value::from("hello")));
    assert!(
        world.streams_step(id).unwrap().is_none(),
        "sub-topology 1 waits for the broker"
    );
    world.advance(1_000).unwrap();
    let aggregate = world
        .streams_finish_record(id)
        .unwrap()
        .into_iter()
        .find(|r| &*r.node == "KSTREAM-AGGREGATE-0000000004")
        .unwrap();
    assert_eq!(aggregate.task.to_string(), "1_0");
    assert_eq!(aggregate.kind, StepKind::Process);
    assert_eq!(aggregate.store_changes.len(), 1);
    let change = &aggregate.store_changes[0];
    assert_eq!(&*change.store, "KSTREAM-AGGREGATE-STATE-STORE-0000000003");
    assert_eq!(
        (change.old.clone(), change.new.clone()),
        (None, Some(Value::Long(1)))
    );
    assert!(aggregate.sent.iter().any(|s| s.changelog));
}

/// Every record of every topic: (partition, offset, key, value, timestamp), by topic.
type TopicContents = BTreeMap<String, Vec<(u32, u64, Option<Vec<u8>>, Option<Vec<u8>>, u64)>>;

/// Stepping node by node and running straight through take the same steps in the same order
/// and leave the same records in every topic.
#[test]
fn stepping_by_hand_and_running_straight_through_are_identical() {
    fn run(manual: bool) -> (Vec<StepReport>, TopicContents) {
        let mut world = quickstart_world(21);
        create_topics(&mut world, 1, 1);
        let (topology, mut config) = examples::word_count_demo_app();
        config.recent_steps_kept = 100_000;
        let id = world.start_streams(&topology, config).unwrap();
        world.set_streams_manual(id, manual).unwrap();
        world.advance(1_000).unwrap();
        let producer = world.add_producer().unwrap();
        for (i, line) in QUICKSTART_LINES.iter().enumerate() {
            world
                .apply(Command::Produce {
                    producer,
                    record: NewRecord::new(WORD_COUNT_INPUT, Some(&format!("k{i}")), line),
                })
                .unwrap();
        }
        let mut reports = Vec::new();
        for _ in 0..40 {
            world.advance(100).unwrap();
            if manual {
                while let Some(report) = world.streams_step(id).unwrap() {
                    reports.push(report);
                }
            }
        }
        if !manual {
            reports = world
                .streams_app(id)
                .unwrap()
                .recent_steps()
                .iter()
                .cloned()
                .collect();
        }
        let mut topics = BTreeMap::new();
        for t in world.topics() {
            if t.name.starts_with("__") {
                continue;
            }
            let mut records = Vec::new();
            for p in &t.partitions {
                for r in p.log.read(0, u32::MAX) {
                    records.push((
                        p.id,
                        r.offset,
                        r.key.map(|k| k.to_vec()),
                        r.value.map(|v| v.to_vec()),
                        r.timestamp_ms,
                    ));
                }
            }
            topics.insert(t.name.to_string(), records);
        }
        (reports, topics)
    }
    let (auto_steps, auto_topics) = run(false);
    let (manual_steps, manual_topics) = run(true);
    assert_eq!(
        auto_steps.len(),
        3 * 2 + 11 * 3 + 11 * 4,
        "source+flatMap per line, 3 per word in 0_0, 4 in 1_0"
    );
    assert_eq!(auto_steps, manual_steps);
    assert_eq!(auto_topics, manual_topics);
    assert_eq!(auto_topics[WORD_COUNT_OUTPUT].len(), 11);
}

#[test]
fn the_driver_steps_and_runs_to_the_same_result() {
    let (topology, _) = word_count_app(true, 0);
    let lines = [
        "the quick brown fox",
        "jumps over the lazy dog",
        "The end. THE END!",
    ];
    let mut stepped = TestDriver::new(&topology, "wc", 3, 200);
    let mut ran = TestDriver::new(&topology, "wc", 3, 200);
    for (i, line) in lines.iter().enumerate() {
        stepped.pipe_input(WORD_COUNT_INPUT, Some(&i.to_string()), line, i as u64);
        ran.pipe_input(WORD_COUNT_INPUT, Some(&i.to_string()), line, i as u64);
    }
    let mut steps = 0u64;
    while stepped.step().unwrap().is_some() {
        steps += 1;
    }
    assert_eq!(ran.run_until_idle().unwrap(), steps);
    steps += stepped.commit().unwrap();
    let _ = ran.commit().unwrap();
    for topic in [
        WORD_COUNT_OUTPUT,
        "wc-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog",
    ] {
        assert_eq!(
            stepped.read_output(topic, Serde::String, Serde::Long),
            ran.read_output(topic, Serde::String, Serde::Long)
        );
    }
    assert!(steps > 0);
}

#[test]
fn the_same_seed_gives_the_same_trace() {
    let trace = |seed: u64| {
        let mut world = quickstart_world(seed);
        create_topics(&mut world, 2, 1);
        let (topology, config) = examples::word_count_demo_app();
        world.start_streams(&topology, config).unwrap();
        world.advance(1_000).unwrap();
        type_quickstart_lines(&mut world);
        world.advance(31_000).unwrap();
        world.recent_events().iter().cloned().collect::<Vec<_>>()
    };
    assert_eq!(trace(13), trace(13));
}

// ---------------------------------------------------------------------------------------------
// The property: the compacted output is the word count

fn random_text(rng: &mut Rng) -> Vec<String> {
    const PIECES: [&str; 16] = [
        "kafka", "Kafka", "streams", "STREAMS", "lead", "to", "all", "ünï", "a_b", "x9", "", "é",
        "hello", "World", "42", "__",
    ];
    const GAPS: [&str; 8] = [" ", "  ", ", ", "!", "-", "\t", ". ", "'"];
    let lines = 1 + rng.below(12);
    (0..lines)
        .map(|_| {
            let words = rng.below(8);
            let mut line = String::new();
            if rng.below(4) == 0 {
                line.push_str(GAPS[rng.below(GAPS.len() as u64) as usize]);
            }
            for i in 0..words {
                if i > 0 {
                    line.push_str(GAPS[rng.below(GAPS.len() as u64) as usize]);
                }
                line.push_str(PIECES[rng.below(PIECES.len() as u64) as usize]);
            }
            if rng.below(4) == 0 {
                line.push_str(GAPS[rng.below(GAPS.len() as u64) as usize]);
            }
            line
        })
        .collect()
}

#[test]
fn the_latest_count_per_key_is_the_word_count_for_any_text_and_partitions() {
    for seed in 0..256u64 {
        let mut rng = Rng::new(seed ^ 0x5eed);
        let input_partitions = 1 + (seed % 4) as u32;
        let output_partitions = 1 + ((seed / 4) % 4) as u32;
        let cache = [0u64, 500, 10_485_760][(seed % 3) as usize];
        let lines = random_text(&mut rng);
        let mut world = quickstart_world(seed);
        create_topics(&mut world, input_partitions, output_partitions);
        let (topology, config) = word_count_app(true, cache);
        let id = world.start_streams(&topology, config).unwrap();
        world.advance(1_000).unwrap();
        let producer = world.add_producer().unwrap();
        for (i, line) in lines.iter().enumerate() {
            let key = format!("line-{i}");
            let keyed = rng.below(2) == 0;
            world
                .produce(
                    producer,
                    WORD_COUNT_INPUT,
                    keyed.then_some(key.as_str()),
                    line,
                )
                .unwrap();
            if rng.below(3) == 0 {
                world.advance(rng.below(300)).unwrap();
            }
        }
        // Past one commit interval, so a cache has flushed.
        world.advance(35_000).unwrap();
        let app = world.streams_app(id).unwrap();
        assert_eq!(
            app.state(),
            AppState::Running,
            "seed {seed}: {:?}",
            app.error()
        );
        let mut latest: BTreeMap<String, i64> = BTreeMap::new();
        for (_, _, key, value) in long_records(&world, WORD_COUNT_OUTPUT) {
            latest.insert(key, value);
        }
        let mut expected: BTreeMap<String, i64> = BTreeMap::new();
        for line in &lines {
            for word in word_count_words(line) {
                *expected.entry(word).or_insert(0) += 1;
            }
        }
        assert_eq!(
            latest, expected,
            "seed {seed}, {input_partitions} input and {output_partitions} output partitions, cache {cache}, lines {lines:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The console

#[test]
fn the_console_runs_the_quickstart() {
    let script = "bin/kafka-topics.sh --create --bootstrap-server localhost:9092 --replication-factor 1 --partitions 1 --topic streams-plaintext-input
bin/kafka-topics.sh --create --bootstrap-server localhost:9092 --replication-factor 1 --partitions 1 --topic streams-wordcount-output --config cleanup.policy=compact
bin/kafka-run-class.sh org.apache.kafka.streams.examples.wordcount.WordCountDemo
bin/kafka-console-producer.sh --bootstrap-server localhost:9092 --topic streams-plaintext-input <<EOF
all streams lead to kafka
hello kafka streams
join kafka summit
EOF
bin/kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic streams-wordcount-output --from-beginning --property print.key=true --property value.deserializer=org.apache.kafka.common.serialization.LongDeserializer
";
    let out = run_script(&mut quickstart_world(42), script);
    let expected: String = QUICKSTART_OUTPUT
        .iter()
        .map(|(k, v)| format!("{k}\t{v}\n"))
        .collect();
    let printed: String = out
        .stdout
        .lines()
        .filter(|l| l.contains('\t'))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(printed, expected);
    assert_eq!(out.stderr, "Processed a total of 11 messages\n");
}

// ---------------------------------------------------------------------------------------------
// Streams commands in a scenario

/// Starting an example and stepping it are scenario commands: replaying the scenario (or a
/// prefix of it, which is how a view steps back) rebuilds the same store, the same topics and
/// the same next step.
#[test]
fn a_replayed_scenario_rebuilds_a_stepped_application() {
    let mut world = quickstart_world(5);
    create_topics(&mut world, 2, 1);
    let id = world
        .start_streams_example(StreamsExample::WordCountDemo, None, None, true)
        .unwrap();
    world.advance(1_000).unwrap();
    let producer = world.add_producer().unwrap();
    for line in QUICKSTART_LINES {
        world
            .produce(producer, WORD_COUNT_INPUT, None, line)
            .unwrap();
    }
    world.advance(1_000).unwrap();
    let mut steps = 0;
    while world.streams_step(id).unwrap().is_some() {
        steps += 1;
    }
    assert!(steps > 10, "the first sub-topology ran: {steps} steps");
    world.advance(1_000).unwrap();
    world.streams_finish_record(id).unwrap();
    let mark = world.scenario();
    let mark_ms = world.now_ms();
    let next = world.streams_step(id).unwrap().expect("more to do");
    world.streams_run_until_idle(id).unwrap();
    world.advance(1_000).unwrap();
    let output = long_records(&world, WORD_COUNT_OUTPUT);
    assert!(
        output
            .iter()
            .any(|(_, _, word, count)| word == "kafka" && *count == 3)
    );

    let mut again = World::replay(&world.scenario(), world.now_ms()).unwrap();
    assert_eq!(long_records(&again, WORD_COUNT_OUTPUT), output);
    assert_eq!(
        again.streams_step(id).unwrap(),
        None,
        "idle after the replay too"
    );

    // Back to the mark: the same step comes next.
    let mut back = World::replay(&mark, mark_ms).unwrap();
    assert_eq!(back.streams_step(id).unwrap(), Some(next));
}

#[test]
fn stepping_an_unknown_application_is_refused_and_not_recorded() {
    let mut world = quickstart_world(5);
    let before = world.scenario().commands.len();
    let err = world.streams_step(42).unwrap_err();
    assert_eq!(err.message(), "There is no Streams application 42.");
    assert_eq!(world.scenario().commands.len(), before);
}

/// A step that fails stops the application; the scenario keeps that step, so a replay ends
/// with the application stopped the same way.
#[test]
fn a_failed_step_is_replayed_as_a_failure() {
    let mut world = quickstart_world(5);
    create_topics(&mut world, 1, 1);
    let app = world
        .start_streams_example(StreamsExample::WordCountDemo, None, None, true)
        .unwrap();
    world.advance(10_000).unwrap();
    let consumer = world.streams_app(app).unwrap().consumer();
    world.apply(Command::StopConsumer { consumer }).unwrap();
    assert!(world.streams_step(app).is_err());
    let live = world.streams_app(app).unwrap().state();
    assert_eq!(live.name(), "ERROR");
    let replayed = World::replay(&world.scenario(), world.now_ms()).unwrap();
    assert_eq!(replayed.streams_app(app).unwrap().state(), live);
}

/// Application ids are never reused, even when a stopped application is forgotten to make
/// room for a new one: a recorded `StreamsStep { app }` always means the same application.
#[test]
fn streams_application_ids_are_never_reused() {
    let mut world = quickstart_world(5);
    create_topics(&mut world, 1, 1);
    let start = |world: &mut World, n: u32| {
        let (topology, config) = examples::word_count_demo_app();
        let config = StreamsConfig {
            application_id: format!("app-{n}"),
            ..config
        };
        world.start_streams(&topology, config).unwrap()
    };
    // Seven running, then the eighth (the highest id) stopped: the world is full.
    for n in 1..=7 {
        start(&mut world, n);
    }
    let eighth = start(&mut world, 8);
    world.advance(1_000).unwrap();
    world.stop_streams(eighth).unwrap();
    // The ninth makes room by forgetting the stopped eighth, and must not take its id.
    let ninth = start(&mut world, 9);
    assert!(ninth > eighth, "ids {eighth} then {ninth}");
    assert!(world.streams_apps().count() <= 8);
}
