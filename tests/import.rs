//! Import a real cluster's shape (`sim::import`, issue 17 part 3): describe output written by
//! hand in Kafka 4.1's formats (`TopicCommand.PartitionDescription.printDescription`,
//! `ConsumerGroupCommand.printOffsets/printMembers`) rebuilds what it describes, and
//! `kafka-topics.sh --describe` run by the console on the rebuilt world prints the pasted text
//! back, topic ids aside.

use eda_playground::console::run_script;
use eda_playground::sim::World;
use eda_playground::sim::group::GroupState;
use eda_playground::sim::import::{IMPORT_BYTES_MAX, Imported, import, looks_like_describe};

/// The world the document opens on, at its moment.
fn rebuilt(imported: &Imported) -> World {
    let doc = &imported.doc;
    World::replay(&doc.scenario(), doc.moment()).expect("the imported scenario replays")
}

/// `kafka-topics.sh --describe` on the rebuilt world (Kafka's own topic left out).
fn describe_topics(world: &mut World) -> String {
    run_script(
        world,
        "bin/kafka-topics.sh --describe --exclude-internal --bootstrap-server localhost:9092",
    )
    .stdout
}

/// Lines with the `TopicId: …` field blanked, for comparison.
fn without_topic_ids(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            line.split('\t')
                .map(|field| {
                    if field.starts_with("TopicId: ") {
                        "TopicId: _"
                    } else {
                        field
                    }
                })
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect()
}

/// Three brokers, two topics, everything in sync.
const HEALTHY: &str = "Topic: orders\tTopicId: 4RwbxDu0QLa4IvXYQXEKUg\tPartitionCount: 3\tReplicationFactor: 2\tConfigs: segment.bytes=1073741824
\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1,2\tElr: \tLastKnownElr: 
\tTopic: orders\tPartition: 1\tLeader: 2\tReplicas: 2,3\tIsr: 2,3\tElr: \tLastKnownElr: 
\tTopic: orders\tPartition: 2\tLeader: 3\tReplicas: 3,1\tIsr: 3,1\tElr: \tLastKnownElr: 
Topic: payments\tTopicId: yBF3zB1nTnGO0N9hYw5lPQ\tPartitionCount: 2\tReplicationFactor: 3\tConfigs: min.insync.replicas=2,retention.ms=86400000,segment.bytes=1073741824
\tTopic: payments\tPartition: 0\tLeader: 2\tReplicas: 2,3,1\tIsr: 2,3,1\tElr: \tLastKnownElr: 
\tTopic: payments\tPartition: 1\tLeader: 3\tReplicas: 3,1,2\tIsr: 3,1,2\tElr: \tLastKnownElr: 
";

/// Broker 3 is down: out of every ISR, leadership moved, one partition offline (topics in
/// name order, as `TopicService.describeTopic` prints them).
const UNDER_REPLICATED: &str = "Topic: audit\tTopicId: Qm4nH3ZqTz2b9VfYlQm6WA\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: segment.bytes=1073741824
\tTopic: audit\tPartition: 0\tLeader: none\tReplicas: 3\tIsr: 3\tElr: \tLastKnownElr: 
Topic: events\tTopicId: 8mJd2W9cRXeB7cR1lXaR3g\tPartitionCount: 4\tReplicationFactor: 2\tConfigs: segment.bytes=1073741824
\tTopic: events\tPartition: 0\tLeader: 1\tReplicas: 1,3\tIsr: 1\tElr: \tLastKnownElr: 
\tTopic: events\tPartition: 1\tLeader: 2\tReplicas: 3,2\tIsr: 2\tElr: \tLastKnownElr: 
\tTopic: events\tPartition: 2\tLeader: 2\tReplicas: 2,1\tIsr: 2,1\tElr: \tLastKnownElr: 
\tTopic: events\tPartition: 3\tLeader: 1\tReplicas: 1,2\tIsr: 1,2\tElr: \tLastKnownElr: 
";

/// Two groups on `orders` (HEALTHY's topic): one lagging with two members, one with none.
const GROUPS: &str = "
GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID                                                   HOST            CLIENT-ID
billing         orders          0          120             150             30              consumer-billing-1-1c0d5a0e-6f58-4d5b-9b1e-2d7f0c4a9a11       /10.0.0.7       consumer-billing-1
billing         orders          1          95              140             45              consumer-billing-1-1c0d5a0e-6f58-4d5b-9b1e-2d7f0c4a9a11       /10.0.0.7       consumer-billing-1
billing         orders          2          130             130             0               consumer-billing-2-77c1e1f4-05a6-4a09-9d5c-0b8ce8c3e2b2       /10.0.0.8       consumer-billing-2

Consumer group 'audit-trail' has no active members.

GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID
audit-trail     orders          0          150             150             0               -               -               -
audit-trail     orders          1          100             140             40              -               -               -
audit-trail     orders          2          -               130             -               -               -               -
";

#[test]
fn a_healthy_cluster_prints_back_what_was_pasted() {
    assert!(looks_like_describe(HEALTHY));
    let imported = import(HEALTHY).expect("imports");
    assert_eq!(imported.doc.config.brokers, 3);
    let mut world = rebuilt(&imported);
    assert_eq!(world.live_brokers(), vec![1, 2, 3]);
    assert_eq!(
        without_topic_ids(&describe_topics(&mut world)),
        without_topic_ids(HEALTHY)
    );
    assert!(
        imported
            .summary
            .starts_with("3 brokers, 2 topics (5 partitions)"),
        "{}",
        imported.summary
    );
    assert!(imported.notes.is_empty(), "{:?}", imported.notes);
    assert!(!imported.doc.playground.playing);
    assert_eq!(imported.doc.playground.topic, "orders");
}

#[test]
fn an_under_replicated_cluster_stops_the_missing_broker_and_prints_back() {
    let imported = import(UNDER_REPLICATED).expect("imports");
    let mut world = rebuilt(&imported);
    assert_eq!(world.live_brokers(), vec![1, 2], "broker 3 is stopped");
    assert_eq!(
        without_topic_ids(&describe_topics(&mut world)),
        without_topic_ids(UNDER_REPLICATED)
    );
    assert!(
        imported.summary.contains("3 brokers (broker 3 stopped)"),
        "{}",
        imported.summary
    );
    // --under-replicated-partitions agrees.
    let out = run_script(
        &mut world,
        "bin/kafka-topics.sh --describe --under-replicated-partitions --bootstrap-server localhost:9092",
    )
    .stdout;
    assert_eq!(out.lines().count(), 2, "{out}");
}

#[test]
fn groups_rebuild_offsets_lag_and_members() {
    let text = format!("{HEALTHY}\n{GROUPS}");
    assert!(looks_like_describe(GROUPS));
    let imported = import(&text).expect("imports");
    let mut world = rebuilt(&imported);
    // The topics still print back.
    assert_eq!(
        without_topic_ids(&describe_topics(&mut world)),
        without_topic_ids(HEALTHY)
    );
    // Log-end offsets and committed offsets are the pasted ones.
    let orders = world.topic("orders").expect("orders");
    let ends: Vec<u64> = orders.partitions.iter().map(|p| p.high_watermark).collect();
    assert_eq!(ends, vec![150, 140, 130]);
    let committed = |group: &str, p: u32| {
        world.group(group).and_then(|g| {
            g.committed
                .iter()
                .find(|((t, q), _)| &**t == "orders" && *q == p)
                .map(|(_, c)| c.offset)
        })
    };
    assert_eq!(
        [
            committed("billing", 0),
            committed("billing", 1),
            committed("billing", 2)
        ],
        [Some(120), Some(95), Some(130)]
    );
    assert_eq!(
        [
            committed("audit-trail", 0),
            committed("audit-trail", 1),
            committed("audit-trail", 2)
        ],
        [Some(150), Some(100), None]
    );
    // billing has its two members, stable, every partition owned; audit-trail none.
    let billing = world.group("billing").expect("billing");
    assert_eq!(billing.state, GroupState::Stable);
    assert_eq!(billing.members.len(), 2);
    let owned: usize = billing.members.values().map(|m| m.assignment.len()).sum();
    assert_eq!(owned, 3);
    let mut clients: Vec<String> = billing
        .members
        .values()
        .map(|m| m.client_id.clone())
        .collect();
    clients.sort();
    assert_eq!(clients, ["consumer-billing-1", "consumer-billing-2"]);
    assert!(
        world
            .group("audit-trail")
            .is_some_and(|g| g.members.is_empty())
    );
    // The console's describe shows the same lags.
    let out = run_script(
        &mut world,
        "bin/kafka-consumer-groups.sh --describe --group billing --bootstrap-server localhost:9092",
    )
    .stdout;
    let lags: Vec<(String, String)> = out
        .lines()
        .filter(|l| l.starts_with("billing"))
        .map(|l| {
            let cells: Vec<&str> = l.split_whitespace().collect();
            (cells[2].to_string(), cells[5].to_string())
        })
        .collect();
    let mut lags = lags;
    lags.sort();
    assert_eq!(
        lags,
        [("0", "30"), ("1", "45"), ("2", "0")].map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert!(
        imported
            .summary
            .contains("2 groups (2 members), 420 records"),
        "{}",
        imported.summary
    );
    assert!(
        imported.notes.iter().any(|n| n.contains("null keys")),
        "{:?}",
        imported.notes
    );
}

#[test]
fn a_lagging_follower_and_a_moved_leader_are_said_with_their_lines() {
    // Broker 2 is out of one ISR but in another: up and lagging. Partition 1's leader is not
    // its first replica (broker 1 came back and no preferred election ran yet).
    let text = "Topic: t\tTopicId: AAAAAAAAAAAAAAAAAAAAAA\tPartitionCount: 2\tReplicationFactor: 2\tConfigs: 
\tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1\tElr: \tLastKnownElr: 
\tTopic: t\tPartition: 1\tLeader: 2\tReplicas: 1,2\tIsr: 2,1\tElr: \tLastKnownElr: 
";
    let imported = import(text).expect("imports");
    let notes = imported.notes.join("\n");
    assert!(
        notes.contains("Line 2: broker 2 is out of the ISR there but in others"),
        "{notes}"
    );
    assert!(
        notes.contains("Line 2: t-0 shows Leader: 1 Isr: 1,2 here"),
        "{notes}"
    );
    assert!(
        notes.contains("Line 3: t-1 shows Leader: 1 Isr: 1,2 here"),
        "{notes}"
    );
    // `Configs: ` is empty: the playground's brokers add their static segment.bytes.
    assert!(
        notes.contains("Line 1: the playground's brokers run the quickstart's server.properties"),
        "{notes}"
    );
    assert_eq!(rebuilt(&imported).live_brokers(), vec![1, 2]);
}

#[test]
fn spaces_for_tabs_a_prompt_and_broker_ids_from_zero() {
    let text = "$ bin/kafka-topics.sh --describe --topic t --bootstrap-server kafka:9092
Topic: t  TopicId: AAAAAAAAAAAAAAAAAAAAAA  PartitionCount: 2  ReplicationFactor: 2  Configs: cleanup.policy=compact,delete
    Topic: t  Partition: 0  Leader: 0  Replicas: 0,1  Isr: 0,1  Elr: N/A  LastKnownElr: N/A
    Topic: t  Partition: 1  Leader: 1  Replicas: 1,0  Isr: 1,0  Elr: N/A  LastKnownElr: N/A
";
    let imported = import(text).expect("imports");
    let world = rebuilt(&imported);
    let t = world.topic("t").expect("t");
    let replicas: Vec<Vec<u32>> = t.partitions.iter().map(|p| p.replica_brokers()).collect();
    assert_eq!(replicas, vec![vec![1, 2], vec![2, 1]]);
    assert_eq!(
        t.overrides.get("cleanup.policy").map(String::as_str),
        Some("compact,delete")
    );
    let notes = imported.notes.join("\n");
    assert!(
        notes.contains("broker 0 is broker 1 here, broker 1 is broker 2 here"),
        "{notes}"
    );
}

#[test]
fn members_verbose_adds_an_idle_member() {
    let text = format!(
        "{HEALTHY}
GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID                                  HOST            CLIENT-ID
shipping        orders          0          10              10              0               c-1-aaaaaaaa-0000-0000-0000-000000000001     /10.0.0.9       c-1
shipping        orders          1          10              10              0               c-1-aaaaaaaa-0000-0000-0000-000000000001     /10.0.0.9       c-1
shipping        orders          2          10              10              0               c-1-aaaaaaaa-0000-0000-0000-000000000001     /10.0.0.9       c-1

GROUP           CONSUMER-ID                                  HOST            CLIENT-ID       #PARTITIONS     CURRENT-EPOCH   CURRENT-ASSIGNMENT   TARGET-EPOCH    TARGET-ASSIGNMENT
shipping        c-1-aaaaaaaa-0000-0000-0000-000000000001     /10.0.0.9       c-1             3               -               orders:0,1,2         -               -
shipping        c-2-bbbbbbbb-0000-0000-0000-000000000002     /10.0.0.9       c-2             0               -               -                    -               -
"
    );
    let imported = import(&text).expect("imports");
    let world = rebuilt(&imported);
    let shipping = world.group("shipping").expect("shipping");
    assert_eq!(shipping.members.len(), 2, "the idle member joins too");
    assert_eq!(shipping.state, GroupState::Stable);
}

#[test]
fn unreadable_lines_are_named_and_nothing_is_built() {
    let text = "Topic: t\tTopicId: X\tPartitionCount: three\tReplicationFactor: 1\tConfigs: 
\tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1
hello there
GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
g t zero 1 2 1 - - -
";
    let errors = import(text).expect_err("refused");
    let lines: Vec<u32> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![1, 3, 5], "{errors:?}");
    assert!(
        errors[0]
            .to_string()
            .starts_with("Line 1: PartitionCount “three” is not a number"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1]
            .text
            .contains("“hello there” is not a line of kafka-topics.sh"),
        "{}",
        errors[1]
    );
}

#[test]
fn inconsistent_shapes_are_refused_by_line() {
    for (text, line, expected) in [
        (
            "Topic: t\tTopicId: X\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: \n\tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\n",
            1,
            "no line for partition 1",
        ),
        (
            "Topic: t\tTopicId: X\tPartitionCount: 1\tReplicationFactor: 2\tConfigs: \n\tTopic: t\tPartition: 0\tLeader: 2\tReplicas: 1,2\tIsr: 1\n",
            2,
            "the leader 2 is not in the ISR",
        ),
        (
            "\tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\n",
            1,
            "without its",
        ),
    ] {
        let errors = import(text).expect_err(expected);
        assert!(
            errors
                .iter()
                .any(|e| e.line == line && e.text.contains(expected)),
            "{expected}: {errors:?}"
        );
    }
}

#[test]
fn limits_are_checked_before_any_work() {
    let huge = "x".repeat(IMPORT_BYTES_MAX + 1);
    assert!(
        import(&huge).expect_err("too big")[0]
            .text
            .contains("bytes")
    );
    let too_many = "GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID\ng t 0 1 3000000 2999999 - - -\n";
    let errors = import(too_many).expect_err("too many records");
    assert_eq!(errors[0].line, 2);
    assert!(
        errors[0].text.contains("at most 2000000 records"),
        "{errors:?}"
    );
    assert!(import("").is_err());
    assert!(!looks_like_describe(
        "https://example.org/#/playground?s=abc"
    ));
}

#[test]
fn the_same_text_builds_the_same_scenario() {
    let text = format!("{UNDER_REPLICATED}\n{GROUPS}");
    // GROUPS names `orders`, which UNDER_REPLICATED lacks: made with one replica, and said.
    let a = import(&text).expect("imports");
    let b = import(&text).expect("imports");
    assert_eq!(a.doc, b.doc);
    assert!(
        a.notes
            .iter()
            .any(|n| n.contains("orders is not in the kafka-topics.sh output")),
        "{:?}",
        a.notes
    );
}
