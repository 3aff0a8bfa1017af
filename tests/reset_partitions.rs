//! `kafka-consumer-groups.sh --reset-offsets --topic t:0,1`: per-partition scopes, as Kafka 4.x's
//! `ConsumerGroupCommand.parseTopicsWithPartitions` / `parseTopicPartitionsToReset` read them
//! (`tools/src/main/java/org/apache/kafka/tools/consumer/group/ConsumerGroupCommand.java`), and
//! as `ResetOffsetsTest.testResetOffsetsToEarliestOnTopicsAndPartitions` uses them: only the
//! partitions named move, the others keep their committed offsets. A malformed argument is an
//! `IllegalArgumentException`, which `ConsumerGroupCommand.run` prints with the usage
//! (`CommandLineUtils.printUsageAndExit`).

use eda_playground::console::{quickstart_world, run_script};

const SETUP: &str = "\
bin/kafka-topics.sh --create --topic topic1 --partitions 2 --bootstrap-server localhost:9092
bin/kafka-topics.sh --create --topic topic2 --partitions 2 --bootstrap-server localhost:9092
bin/kafka-consumer-groups.sh --reset-offsets --group g --all-topics --to-offset 0 --execute --bootstrap-server localhost:9092 >/dev/null
";

fn committed(world: &eda_playground::sim::World, topic: &str, partition: u32) -> Option<u64> {
    world
        .group("g")
        .and_then(|g| g.committed.get(&(topic.into(), partition)))
        .map(|c| c.offset)
}

#[test]
fn only_the_named_partitions_move() {
    let mut world = quickstart_world(1);
    let script = format!(
        "{SETUP}bin/kafka-console-producer.sh --topic topic1 --bootstrap-server localhost:9092 \
         --property parse.key=true --property key.separator=:\n"
    );
    // Six keyed records spread over both partitions of topic1, then every partition of both
    // topics committed at the log end.
    let mut script = script.replace(
        "--property key.separator=:\n",
        "--property key.separator=: <<'EOF'\na:1\nb:2\nc:3\nd:4\ne:5\nf:6\nEOF\nsleep 2\n",
    );
    script.push_str(
        "bin/kafka-consumer-groups.sh --reset-offsets --group g --topic topic1 --topic topic2 --to-latest --execute --bootstrap-server localhost:9092 >/dev/null\n",
    );
    script.push_str(
        "bin/kafka-consumer-groups.sh --reset-offsets --group g --topic topic1:1 --topic topic2:1 --to-earliest --execute --bootstrap-server localhost:9092\n",
    );
    let out = run_script(&mut world, &script);
    assert_eq!(out.stderr, "", "{}", out.stdout);
    let end0 = world
        .topic("topic1")
        .map(|t| t.partitions[0].high_watermark);
    assert!(end0.is_some_and(|e| e > 0), "both partitions got records");
    assert_eq!(committed(&world, "topic1", 0), end0);
    assert_eq!(committed(&world, "topic1", 1), Some(0));
    assert_eq!(committed(&world, "topic2", 1), Some(0));
    assert!(
        out.stdout.ends_with(
            "\nGROUP           TOPIC           PARTITION  NEW-OFFSET\
             \ng               topic1          1          0\
             \ng               topic2          1          0\n"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn a_partition_list_and_a_plain_topic_mix() {
    let mut world = quickstart_world(1);
    let script = format!(
        "{SETUP}bin/kafka-consumer-groups.sh --reset-offsets --group g --topic topic1:0,1 --topic topic2 --to-offset 0 --dry-run --bootstrap-server localhost:9092\n"
    );
    let out = run_script(&mut world, &script);
    assert_eq!(out.stderr, "");
    assert_eq!(out.stdout.matches("\ng  ").count(), 4, "{}", out.stdout);
}

#[test]
fn malformed_scopes_are_refused_with_kafkas_words() {
    for (arg, message) in [
        (
            "topic1:",
            "Invalid topic arg 'topic1:', expected topic name and partitions",
        ),
        (
            "topic1:0:1",
            "Invalid topic arg 'topic1:0:1', expected topic name and partitions",
        ),
        (
            "topic1:x",
            "Invalid partition 'x' specified in topic arg 'topic1:x''",
        ),
        (
            "topic1:0,,1",
            "Invalid partition '' specified in topic arg 'topic1:0,,1''",
        ),
    ] {
        let mut world = quickstart_world(1);
        let script = format!(
            "{SETUP}bin/kafka-consumer-groups.sh --reset-offsets --group g --topic {arg} --to-earliest --execute --bootstrap-server localhost:9092\n"
        );
        let out = run_script(&mut world, &script);
        assert!(
            out.stderr.starts_with(&format!("{message}\n")),
            "{arg}: {}",
            out.stderr
        );
    }
}

#[test]
fn a_partition_the_topic_does_not_have_is_refused_and_nothing_moves() {
    let mut world = quickstart_world(1);
    let script = format!(
        "{SETUP}bin/kafka-consumer-groups.sh --reset-offsets --group g --topic topic1:0,5 --to-offset 0 --execute --bootstrap-server localhost:9092\n"
    );
    let out = run_script(&mut world, &script);
    assert!(
        out.stdout
            .contains("This server does not host this topic-partition."),
        "{}",
        out.stdout
    );
}
