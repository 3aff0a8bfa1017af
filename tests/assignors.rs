//! Kafka's own assignor unit tests, ported to `eda_playground::sim::assignor`, plus property
//! tests over seeded random groups.
//!
//! Each ported test names its Java original (`RangeAssignorTest`, `RoundRobinAssignorTest`,
//! `internals/AbstractStickyAssignorTest`, `StickyAssignorTest`, `CooperativeStickyAssignorTest`
//! in `clients/src/test/java/org/apache/kafka/clients/consumer/`) and checks the exact expected
//! assignments Kafka's test asserts (rack-aware variants: the non-rack expectations). Tests of
//! `AbstractStickyAssignorTest` run for both sticky assignors; as in Kafka, the cooperative run
//! goes through follow-up rebalances (owned = last assignment, generation 1) until nothing is
//! revoked before its final result is checked.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};

use eda_playground::sim::assignor::{
    AssignorKind, RebalanceProtocol, Subscription, TopicPartition, assign,
};

type Assignment = BTreeMap<String, Vec<TopicPartition>>;
type Subs = BTreeMap<String, Subscription>;
type Topics = BTreeMap<String, u32>;

const STICKY_KINDS: [AssignorKind; 2] = [AssignorKind::Sticky, AssignorKind::CooperativeSticky];
/// `generationId` in `AbstractStickyAssignorTest`.
const GENERATION_ID: i32 = 1;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn tp(topic: &str, partition: u32) -> TopicPartition {
    TopicPartition::new(topic, partition)
}

/// Partitions written as Kafka's tests print them: `"t1-0, t1-3"`.
fn parts(s: &str) -> Vec<TopicPartition> {
    let mut list: Vec<TopicPartition> = s
        .split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|x| {
            let dash = x.rfind('-').unwrap();
            tp(&x[..dash], x[dash + 1..].parse().unwrap())
        })
        .collect();
    list.sort();
    list
}

fn topics(spec: &[(&str, u32)]) -> Topics {
    spec.iter().map(|(t, n)| ((*t).to_owned(), *n)).collect()
}

fn sub(topic_list: &[&str]) -> Subscription {
    Subscription {
        topics: topic_list.iter().map(|t| (*t).to_owned()).collect(),
        ..Subscription::default()
    }
}

/// `buildSubscriptionV2Above(topics, owned, generation)`.
fn owned(topic_list: &[&str], owned: &[TopicPartition], generation: i32) -> Subscription {
    Subscription {
        owned_partitions: owned.to_vec(),
        generation: Some(generation),
        ..sub(topic_list)
    }
}

fn static_sub(topic_list: &[&str], instance: &str) -> Subscription {
    Subscription {
        group_instance_id: Some(instance.to_owned()),
        ..sub(topic_list)
    }
}

fn group(entries: Vec<(&str, Subscription)>) -> Subs {
    entries
        .into_iter()
        .map(|(id, s)| (id.to_owned(), s))
        .collect()
}

/// Asserts the whole assignment: every member listed, partitions as in `parts`.
#[track_caller]
fn expect(actual: &Assignment, expected: &[(&str, &str)]) {
    let expected: Assignment = expected
        .iter()
        .map(|(m, p)| ((*m).to_owned(), parts(p)))
        .collect();
    assert_eq!(actual, &expected);
}

fn set(list: &[TopicPartition]) -> BTreeSet<TopicPartition> {
    list.iter().cloned().collect()
}

/// The subscriptions of the next generation: each member owns what it was assigned.
fn owning(subs: &Subs, assignment: &Assignment, generation: i32) -> Subs {
    subs.iter()
        .map(|(m, s)| {
            let mut s = s.clone();
            s.owned_partitions = assignment.get(m).cloned().unwrap_or_default();
            s.generation = Some(generation);
            (m.clone(), s)
        })
        .collect()
}

/// `AbstractStickyAssignorTest.verifyValidityAndBalance`: every assigned partition's topic is
/// subscribed by its assignee, no partition is assigned twice, and two members whose counts
/// differ by 2+ share no topic (else a partition could move to balance them).
#[track_caller]
fn validity_and_balance(subs: &Subs, assignment: &Assignment) {
    assert_eq!(
        subs.keys().collect::<Vec<_>>(),
        assignment.keys().collect::<Vec<_>>()
    );
    let members: Vec<&String> = assignment.keys().collect();
    for (i, m) in members.iter().enumerate() {
        let partitions = &assignment[*m];
        for p in partitions {
            assert!(
                subs[*m].topics.contains(&p.topic),
                "{p} assigned to {m} which does not subscribe to it: {assignment:?}"
            );
        }
        for other in &members[i + 1..] {
            let other_partitions = &assignment[*other];
            let common: Vec<_> = partitions
                .iter()
                .filter(|p| other_partitions.contains(p))
                .collect();
            assert!(common.is_empty(), "{m} and {other} share {common:?}");
            if partitions.len().abs_diff(other_partitions.len()) <= 1 {
                continue;
            }
            let topics: BTreeSet<&String> = partitions.iter().map(|p| &p.topic).collect();
            for p in other_partitions {
                assert!(
                    !topics.contains(&p.topic),
                    "{m} ({}) and {other} ({}) could be balanced with {}: {assignment:?}",
                    partitions.len(),
                    other_partitions.len(),
                    p.topic
                );
            }
        }
    }
}

/// `CooperativeStickyAssignorTest.verifyCooperativeValidity`: no partition is assigned to a new
/// member in the rebalance that revokes it from its owner. Returns whether anything is revoked
/// (so a follow-up rebalance is due).
#[track_caller]
fn cooperative_revokes(subs: &Subs, assignment: &Assignment) -> bool {
    let mut added = BTreeSet::new();
    let mut revoked = BTreeSet::new();
    for (m, assigned) in assignment {
        let owned = &subs[m].owned_partitions;
        revoked.extend(owned.iter().filter(|p| !assigned.contains(p)).cloned());
        added.extend(assigned.iter().filter(|p| !owned.contains(p)).cloned());
    }
    let both: Vec<_> = added.intersection(&revoked).collect();
    assert!(
        both.is_empty(),
        "assigned in the same rebalance that revokes them: {both:?}"
    );
    !revoked.is_empty()
}

/// Kafka's `verifyValidityAndBalance` as each sticky test class runs it: for cooperative-sticky,
/// follow-up rebalances (owned = assignment, generation 1) until nothing is revoked, which
/// updates `subs` and `assignment` to the final state; then the validity and balance checks.
#[track_caller]
fn verify(kind: AssignorKind, ppt: &Topics, subs: &mut Subs, assignment: &mut Assignment) {
    if kind == AssignorKind::CooperativeSticky {
        let mut rebalances = 0;
        while cooperative_revokes(subs, assignment) {
            *subs = owning(subs, assignment, GENERATION_ID);
            *assignment = assign(kind, ppt, subs);
            rebalances += 1;
            assert!(rebalances <= 4, "no stable assignment after 4 rebalances");
        }
    }
    validity_and_balance(subs, assignment);
}

/// `isFullyBalanced`: counts differ by at most one.
fn fully_balanced(assignment: &Assignment) -> bool {
    let sizes = assignment.values().map(Vec::len);
    let max = sizes.clone().max().unwrap_or(0);
    let min = sizes.min().unwrap_or(0);
    max - min <= 1
}

/// What `AbstractStickyAssignor.isSticky()` guards: within a topic, no partitions moved both
/// from A to B and from B to A.
#[track_caller]
fn assert_no_reverse_moves(before: &Assignment, after: &Assignment) {
    let owner_before: BTreeMap<&TopicPartition, &String> = before
        .iter()
        .flat_map(|(m, l)| l.iter().map(move |p| (p, m)))
        .collect();
    let mut pairs: BTreeSet<(&str, &String, &String)> = BTreeSet::new();
    for (m, list) in after {
        for p in list {
            if let Some(old) = owner_before.get(p).filter(|old| **old != m) {
                pairs.insert((p.topic.as_str(), *old, m));
            }
        }
    }
    for (topic, from, to) in &pairs {
        assert!(
            !pairs.contains(&(*topic, *to, *from)),
            "{topic} moved both ways between {from} and {to}"
        );
    }
}

fn count_topic(list: &[TopicPartition], topic: &str) -> usize {
    list.iter().filter(|p| p.topic == topic).count()
}

// ---------------------------------------------------------------------------------------------
// AssignorKind
// ---------------------------------------------------------------------------------------------

#[test]
fn kind_names_classes_and_protocols() {
    let expected = [
        (
            AssignorKind::Range,
            "range",
            "org.apache.kafka.clients.consumer.RangeAssignor",
            RebalanceProtocol::Eager,
        ),
        (
            AssignorKind::RoundRobin,
            "roundrobin",
            "org.apache.kafka.clients.consumer.RoundRobinAssignor",
            RebalanceProtocol::Eager,
        ),
        (
            AssignorKind::Sticky,
            "sticky",
            "org.apache.kafka.clients.consumer.StickyAssignor",
            RebalanceProtocol::Eager,
        ),
        (
            AssignorKind::CooperativeSticky,
            "cooperative-sticky",
            "org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
            RebalanceProtocol::Cooperative,
        ),
    ];
    for (kind, name, class, protocol) in expected {
        assert_eq!(kind.name(), name);
        assert_eq!(kind.class_name(), class);
        assert_eq!(kind.protocol(), protocol);
        assert_eq!(AssignorKind::parse(name), Some(kind));
        assert_eq!(AssignorKind::parse(class), Some(kind));
        assert_eq!(AssignorKind::parse(&format!(" {class} ")), Some(kind));
        let simple = class.rsplit('.').next().unwrap();
        assert_eq!(AssignorKind::parse(simple), Some(kind));
        assert_eq!(kind.to_string(), name);
    }
    assert_eq!(AssignorKind::parse("Range"), None);
    assert_eq!(AssignorKind::parse("round-robin"), None);
    assert_eq!(AssignorKind::parse("uniform"), None);
    assert_eq!(AssignorKind::parse(""), None);
    assert_eq!(tp("orders", 3).to_string(), "orders-3");
}

#[test]
fn every_assignor_handles_empty_and_degenerate_input() {
    for kind in AssignorKind::ALL {
        assert!(assign(kind, &Topics::new(), &Subs::new()).is_empty());
        let ppt = topics(&[("empty", 0), ("t", 2)]);
        let subs = group(vec![
            ("a", sub(&["empty", "missing"])),
            (
                "b",
                Subscription {
                    owned_partitions: vec![tp("t", 9), tp("t", 0), tp("t", 0), tp("gone", 1)],
                    generation: Some(-7),
                    ..sub(&["t", "t"])
                },
            ),
        ]);
        let result = assign(kind, &ppt, &subs);
        expect(&result, &[("a", ""), ("b", "t-0, t-1")]);
    }
}

// ---------------------------------------------------------------------------------------------
// RangeAssignorTest
// ---------------------------------------------------------------------------------------------

fn range(ppt: &Topics, subs: &Subs) -> Assignment {
    assign(AssignorKind::Range, ppt, subs)
}

#[test]
fn range_one_consumer_no_topic() {
    // testOneConsumerNoTopic
    let result = range(&Topics::new(), &group(vec![("consumer1", sub(&[]))]));
    expect(&result, &[("consumer1", "")]);
}

#[test]
fn range_one_consumer_nonexistent_topic() {
    // testOneConsumerNonexistentTopic
    let result = range(
        &Topics::new(),
        &group(vec![("consumer1", sub(&["topic1"]))]),
    );
    expect(&result, &[("consumer1", "")]);
}

#[test]
fn range_one_consumer_one_topic() {
    // testOneConsumerOneTopic
    let result = range(
        &topics(&[("topic1", 3)]),
        &group(vec![("consumer1", sub(&["topic1"]))]),
    );
    expect(&result, &[("consumer1", "topic1-0, topic1-1, topic1-2")]);
}

#[test]
fn range_only_assigns_partitions_from_subscribed_topics() {
    // testOnlyAssignsPartitionsFromSubscribedTopics
    let result = range(
        &topics(&[("topic1", 3), ("other", 3)]),
        &group(vec![("consumer1", sub(&["topic1"]))]),
    );
    expect(&result, &[("consumer1", "topic1-0, topic1-1, topic1-2")]);
}

#[test]
fn range_one_consumer_multiple_topics() {
    // testOneConsumerMultipleTopics
    let result = range(
        &topics(&[("topic1", 1), ("topic2", 2)]),
        &group(vec![("consumer1", sub(&["topic1", "topic2"]))]),
    );
    expect(&result, &[("consumer1", "topic1-0, topic2-0, topic2-1")]);
}

#[test]
fn range_two_consumers_one_topic() {
    // testTwoConsumersOneTopicOnePartition, testTwoConsumersOneTopicTwoPartitions
    let subs = group(vec![
        ("consumer1", sub(&["topic1"])),
        ("consumer2", sub(&["topic1"])),
    ]);
    let result = range(&topics(&[("topic1", 1)]), &subs);
    expect(&result, &[("consumer1", "topic1-0"), ("consumer2", "")]);
    let result = range(&topics(&[("topic1", 2)]), &subs);
    expect(
        &result,
        &[("consumer1", "topic1-0"), ("consumer2", "topic1-1")],
    );
}

#[test]
fn range_multiple_consumers_mixed_topics() {
    // testMultipleConsumersMixedTopics
    let result = range(
        &topics(&[("topic1", 3), ("topic2", 2)]),
        &group(vec![
            ("consumer1", sub(&["topic1"])),
            ("consumer2", sub(&["topic1", "topic2"])),
            ("consumer3", sub(&["topic1"])),
        ]),
    );
    expect(
        &result,
        &[
            ("consumer1", "topic1-0"),
            ("consumer2", "topic1-1, topic2-0, topic2-1"),
            ("consumer3", "topic1-2"),
        ],
    );
}

#[test]
fn range_co_partitions_two_topics() {
    // testTwoConsumersTwoTopicsSixPartitions (and the class javadoc's C0/C1 example): partition
    // i of both topics goes to the same consumer.
    let result = range(
        &topics(&[("topic1", 3), ("topic2", 3)]),
        &group(vec![
            ("consumer1", sub(&["topic1", "topic2"])),
            ("consumer2", sub(&["topic1", "topic2"])),
        ]),
    );
    expect(
        &result,
        &[
            ("consumer1", "topic1-0, topic1-1, topic2-0, topic2-1"),
            ("consumer2", "topic1-2, topic2-2"),
        ],
    );
}

#[test]
fn range_static_members_order_by_instance_id() {
    // testTwoStaticConsumersTwoTopicsSixPartitions: "consumer-b" sorts after "consumer-a" but its
    // instance id sorts first.
    let ppt = topics(&[("topic1", 3), ("topic2", 3)]);
    let both = ["topic1", "topic2"];
    let result = range(
        &ppt,
        &group(vec![
            ("consumer-b", static_sub(&both, "instance1")),
            ("consumer-a", static_sub(&both, "instance2")),
        ]),
    );
    expect(
        &result,
        &[
            ("consumer-b", "topic1-0, topic1-1, topic2-0, topic2-1"),
            ("consumer-a", "topic1-2, topic2-2"),
        ],
    );
    // testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions: static members first.
    let result = range(
        &ppt,
        &group(vec![
            ("consumer-b", static_sub(&both, "instance1")),
            ("consumer-a", sub(&both)),
        ]),
    );
    expect(
        &result,
        &[
            ("consumer-b", "topic1-0, topic1-1, topic2-0, topic2-1"),
            ("consumer-a", "topic1-2, topic2-2"),
        ],
    );
}

#[test]
fn range_static_member_assignment_persistent() {
    // testStaticMemberRangeAssignmentPersistent
    let ppt = topics(&[("topic1", 5), ("topic2", 4)]);
    let both = ["topic1", "topic2"];
    let mut subs = group(vec![
        ("consumer1", static_sub(&both, "instance1")),
        ("consumer2", static_sub(&both, "instance2")),
        ("consumer3", static_sub(&both, "instance3")),
        ("consumer4", sub(&both)),
    ]);
    let mut expected = vec![
        ("consumer1", "topic1-0, topic1-1, topic2-0"),
        ("consumer2", "topic1-2, topic2-1"),
        ("consumer3", "topic1-3, topic2-2"),
        ("consumer4", "topic1-4, topic2-3"),
    ];
    expect(&range(&ppt, &subs), &expected);

    // Replace dynamic member 4 with a new dynamic member 5.
    subs.remove("consumer4");
    subs.insert("consumer5".into(), sub(&both));
    expected[3] = ("consumer5", "topic1-4, topic2-3");
    expect(&range(&ppt, &subs), &expected);
}

/// `checkStaticAssignment`: the assignment keyed by group.instance.id.
fn by_instance(subs: &Subs, assignment: &Assignment) -> BTreeMap<String, Vec<TopicPartition>> {
    subs.iter()
        .filter_map(|(m, s)| {
            s.group_instance_id
                .clone()
                .map(|i| (i, assignment[m].clone()))
        })
        .collect()
}

#[test]
fn range_static_member_assignment_persistent_after_member_id_changes() {
    // testStaticMemberRangeAssignmentPersistentAfterMemberIdChanges
    let ppt = topics(&[("topic1", 5), ("topic2", 5)]);
    let both = ["topic1", "topic2"];
    let mut subs = group(vec![
        ("consumer1", static_sub(&both, "instance1")),
        ("consumer2", static_sub(&both, "instance2")),
        ("consumer3", static_sub(&both, "instance3")),
    ]);
    let expected: BTreeMap<String, Vec<TopicPartition>> = [
        ("instance1", "topic1-0, topic1-1, topic2-0, topic2-1"),
        ("instance2", "topic1-2, topic1-3, topic2-2, topic2-3"),
        ("instance3", "topic1-4, topic2-4"),
    ]
    .iter()
    .map(|(i, p)| ((*i).to_owned(), parts(p)))
    .collect();
    assert_eq!(by_instance(&subs, &range(&ppt, &subs)), expected);

    let s3 = subs.remove("consumer3").unwrap();
    subs.insert("consumer4".into(), s3);
    let s2 = subs.remove("consumer2").unwrap();
    subs.insert("consumer5".into(), s2);
    assert_eq!(by_instance(&subs, &range(&ppt, &subs)), expected);
}

/// `verifyNonRackAwareAssignment`/`verifyRackAssignment` without racks: consumers named
/// consumer0, consumer1, … with the given subscriptions.
#[track_caller]
fn check_numbered(
    kind: AssignorKind,
    ppt: &Topics,
    consumer_topics: &[&[&str]],
    expected: &[&str],
) {
    let subs: Subs = consumer_topics
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("consumer{i}"), sub(t)))
        .collect();
    let expected: Vec<(String, &str)> = expected
        .iter()
        .enumerate()
        .map(|(i, e)| (format!("consumer{i}"), *e))
        .collect();
    let expected: Vec<(&str, &str)> = expected.iter().map(|(m, e)| (m.as_str(), *e)).collect();
    expect(&assign(kind, ppt, &subs), &expected);
}

#[test]
fn range_rack_tests_without_racks() {
    let all: &[&str] = &["t1", "t2", "t3"];
    let t1t3: &[&str] = &["t1", "t3"];
    let uneven = topics(&[("t1", 6), ("t2", 7), ("t3", 2)]);
    let even = topics(&[("t1", 5), ("t2", 5), ("t3", 5)]);
    // testRackAwareAssignmentWithUniformSubscription
    check_numbered(
        AssignorKind::Range,
        &uneven,
        &[all, all, all],
        &[
            "t1-0, t1-1, t2-0, t2-1, t2-2, t3-0",
            "t1-2, t1-3, t2-3, t2-4, t3-1",
            "t1-4, t1-5, t2-5, t2-6",
        ],
    );
    // testRackAwareAssignmentWithNonEqualSubscription
    check_numbered(
        AssignorKind::Range,
        &uneven,
        &[all, all, t1t3],
        &[
            "t1-0, t1-1, t2-0, t2-1, t2-2, t2-3, t3-0",
            "t1-2, t1-3, t2-4, t2-5, t2-6, t3-1",
            "t1-4, t1-5",
        ],
    );
    // testRackAwareAssignmentWithUniformPartitions
    check_numbered(
        AssignorKind::Range,
        &even,
        &[all, all, all],
        &[
            "t1-0, t1-1, t2-0, t2-1, t3-0, t3-1",
            "t1-2, t1-3, t2-2, t2-3, t3-2, t3-3",
            "t1-4, t2-4, t3-4",
        ],
    );
    // testRackAwareAssignmentWithUniformPartitionsNonEqualSubscription
    check_numbered(
        AssignorKind::Range,
        &even,
        &[all, all, t1t3],
        &[
            "t1-0, t1-1, t2-0, t2-1, t2-2, t3-0, t3-1",
            "t1-2, t1-3, t2-3, t2-4, t3-2, t3-3",
            "t1-4, t3-4",
        ],
    );
}

#[test]
fn range_co_partitioning_groups() {
    // testRackAwareAssignmentWithCoPartitioning (non-rack-aware expectations)
    let ppt = topics(&[("t1", 6), ("t2", 6), ("t3", 2), ("t4", 2)]);
    let t12: &[&str] = &["t1", "t2"];
    let t34: &[&str] = &["t3", "t4"];
    check_numbered(
        AssignorKind::Range,
        &ppt,
        &[t12, t12, t34, t34],
        &[
            "t1-0, t1-1, t1-2, t2-0, t2-1, t2-2",
            "t1-3, t1-4, t1-5, t2-3, t2-4, t2-5",
            "t3-0, t4-0",
            "t3-1, t4-1",
        ],
    );
    let all: &[&str] = &["t1", "t2", "t3", "t4"];
    check_numbered(
        AssignorKind::Range,
        &ppt,
        &[all, all, all, all],
        &[
            "t1-0, t1-1, t2-0, t2-1, t3-0, t4-0",
            "t1-2, t1-3, t2-2, t2-3, t3-1, t4-1",
            "t1-4, t2-4",
            "t1-5, t2-5",
        ],
    );
    // testCoPartitionedAssignmentWithSameSubscription: t7..t9 do not exist.
    let ppt = topics(&[
        ("t1", 6),
        ("t2", 6),
        ("t3", 2),
        ("t4", 2),
        ("t5", 4),
        ("t6", 4),
    ]);
    let list: &[&str] = &["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"];
    check_numbered(
        AssignorKind::Range,
        &ppt,
        &[list, list, list],
        &[
            "t1-0, t1-1, t2-0, t2-1, t3-0, t4-0, t5-0, t5-1, t6-0, t6-1",
            "t1-2, t1-3, t2-2, t2-3, t3-1, t4-1, t5-2, t6-2",
            "t1-4, t1-5, t2-4, t2-5, t5-3, t6-3",
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// RoundRobinAssignorTest
// ---------------------------------------------------------------------------------------------

fn round_robin(ppt: &Topics, subs: &Subs) -> Assignment {
    assign(AssignorKind::RoundRobin, ppt, subs)
}

#[test]
fn round_robin_single_consumer_cases() {
    // testOneConsumerNoTopic
    let result = round_robin(&Topics::new(), &group(vec![("consumer", sub(&[]))]));
    expect(&result, &[("consumer", "")]);
    // testOneConsumerNonexistentTopic
    let result = round_robin(&Topics::new(), &group(vec![("consumer", sub(&["topic"]))]));
    expect(&result, &[("consumer", "")]);
    // testOneConsumerOneTopic
    let result = round_robin(
        &topics(&[("topic", 3)]),
        &group(vec![("consumer", sub(&["topic"]))]),
    );
    expect(&result, &[("consumer", "topic-0, topic-1, topic-2")]);
    // testOnlyAssignsPartitionsFromSubscribedTopics
    let result = round_robin(
        &topics(&[("topic", 3), ("other", 3)]),
        &group(vec![("consumer", sub(&["topic"]))]),
    );
    expect(&result, &[("consumer", "topic-0, topic-1, topic-2")]);
    // testOneConsumerMultipleTopics
    let result = round_robin(
        &topics(&[("topic1", 1), ("topic2", 2)]),
        &group(vec![("consumer", sub(&["topic1", "topic2"]))]),
    );
    expect(&result, &[("consumer", "topic1-0, topic2-0, topic2-1")]);
}

#[test]
fn round_robin_two_consumers_one_topic() {
    // testTwoConsumersOneTopicOnePartition, testTwoConsumersOneTopicTwoPartitions
    let subs = group(vec![
        ("consumer1", sub(&["topic"])),
        ("consumer2", sub(&["topic"])),
    ]);
    expect(
        &round_robin(&topics(&[("topic", 1)]), &subs),
        &[("consumer1", "topic-0"), ("consumer2", "")],
    );
    expect(
        &round_robin(&topics(&[("topic", 2)]), &subs),
        &[("consumer1", "topic-0"), ("consumer2", "topic-1")],
    );
}

#[test]
fn round_robin_multiple_consumers_mixed_topics() {
    // testMultipleConsumersMixedTopics
    let result = round_robin(
        &topics(&[("topic1", 3), ("topic2", 2)]),
        &group(vec![
            ("consumer1", sub(&["topic1"])),
            ("consumer2", sub(&["topic1", "topic2"])),
            ("consumer3", sub(&["topic1"])),
        ]),
    );
    expect(
        &result,
        &[
            ("consumer1", "topic1-0"),
            ("consumer2", "topic1-1, topic2-0, topic2-1"),
            ("consumer3", "topic1-2"),
        ],
    );
}

#[test]
fn round_robin_different_subscriptions_javadoc_example() {
    // RoundRobinAssignor's javadoc: C0 [t0], C1 [t0, t1], C2 [t0, t1, t2], topics of 1, 2, 3.
    let result = round_robin(
        &topics(&[("t0", 1), ("t1", 2), ("t2", 3)]),
        &group(vec![
            ("C0", sub(&["t0"])),
            ("C1", sub(&["t0", "t1"])),
            ("C2", sub(&["t0", "t1", "t2"])),
        ]),
    );
    expect(
        &result,
        &[
            ("C0", "t0-0"),
            ("C1", "t1-0"),
            ("C2", "t1-1, t2-0, t2-1, t2-2"),
        ],
    );
}

#[test]
fn round_robin_two_consumers_two_topics() {
    // testTwoConsumersTwoTopicsSixPartitions
    let ppt = topics(&[("topic1", 3), ("topic2", 3)]);
    let both = ["topic1", "topic2"];
    let result = round_robin(
        &ppt,
        &group(vec![("consumer1", sub(&both)), ("consumer2", sub(&both))]),
    );
    expect(
        &result,
        &[
            ("consumer1", "topic1-0, topic1-2, topic2-1"),
            ("consumer2", "topic1-1, topic2-0, topic2-2"),
        ],
    );
    // testTwoStaticConsumersTwoTopicsSixPartitions
    let result = round_robin(
        &ppt,
        &group(vec![
            ("consumer-b", static_sub(&both, "instance1")),
            ("consumer-a", static_sub(&both, "instance2")),
        ]),
    );
    expect(
        &result,
        &[
            ("consumer-b", "topic1-0, topic1-2, topic2-1"),
            ("consumer-a", "topic1-1, topic2-0, topic2-2"),
        ],
    );
    // testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions
    let result = round_robin(
        &ppt,
        &group(vec![
            ("consumer-b", static_sub(&both, "instance1")),
            ("consumer-a", sub(&both)),
        ]),
    );
    expect(
        &result,
        &[
            ("consumer-b", "topic1-0, topic1-2, topic2-1"),
            ("consumer-a", "topic1-1, topic2-0, topic2-2"),
        ],
    );
}

#[test]
fn round_robin_static_member_assignment_persistent() {
    // testStaticMemberRoundRobinAssignmentPersistent
    let ppt = topics(&[("topic1", 3), ("topic2", 3)]);
    let both = ["topic1", "topic2"];
    let mut subs = group(vec![
        ("consumer1", static_sub(&both, "instance1")),
        ("consumer2", static_sub(&both, "instance2")),
        ("consumer3", static_sub(&both, "instance3")),
        ("consumer4", sub(&both)),
    ]);
    let mut expected = vec![
        ("consumer1", "topic1-0, topic2-1"),
        ("consumer2", "topic1-1, topic2-2"),
        ("consumer3", "topic1-2"),
        ("consumer4", "topic2-0"),
    ];
    expect(&round_robin(&ppt, &subs), &expected);
    subs.remove("consumer4");
    subs.insert("consumer5".into(), sub(&both));
    expected[3] = ("consumer5", "topic2-0");
    expect(&round_robin(&ppt, &subs), &expected);
}

#[test]
fn round_robin_static_member_assignment_persistent_after_member_id_changes() {
    // testStaticMemberRoundRobinAssignmentPersistentAfterMemberIdChanges
    let ppt = topics(&[("topic1", 5), ("topic2", 5)]);
    let both = ["topic1", "topic2"];
    let mut subs = group(vec![
        ("consumer1", static_sub(&both, "instance1")),
        ("consumer2", static_sub(&both, "instance2")),
        ("consumer3", static_sub(&both, "instance3")),
    ]);
    let expected: BTreeMap<String, Vec<TopicPartition>> = [
        ("instance1", "topic1-0, topic1-3, topic2-1, topic2-4"),
        ("instance2", "topic1-1, topic1-4, topic2-2"),
        ("instance3", "topic1-2, topic2-0, topic2-3"),
    ]
    .iter()
    .map(|(i, p)| ((*i).to_owned(), parts(p)))
    .collect();
    assert_eq!(by_instance(&subs, &round_robin(&ppt, &subs)), expected);
    let s3 = subs.remove("consumer3").unwrap();
    subs.insert("consumer4".into(), s3);
    let s2 = subs.remove("consumer2").unwrap();
    subs.insert("consumer5".into(), s2);
    assert_eq!(by_instance(&subs, &round_robin(&ppt, &subs)), expected);
}

// ---------------------------------------------------------------------------------------------
// AbstractStickyAssignorTest (both sticky assignors)
// ---------------------------------------------------------------------------------------------

#[test]
fn sticky_one_consumer_cases() {
    for kind in STICKY_KINDS {
        // testOneConsumerNoTopic
        let subs = group(vec![("consumer", sub(&[]))]);
        expect(&assign(kind, &Topics::new(), &subs), &[("consumer", "")]);
        // testOneConsumerNonexistentTopic (a topic with no partitions)
        let subs = group(vec![("consumer", sub(&["topic"]))]);
        expect(
            &assign(kind, &topics(&[("topic", 0)]), &subs),
            &[("consumer", "")],
        );
        // testOneConsumerOneTopic
        expect(
            &assign(kind, &topics(&[("topic", 3)]), &subs),
            &[("consumer", "topic-0, topic-1, topic-2")],
        );
        // testOnlyAssignsPartitionsFromSubscribedTopics: owned partitions of a topic outside
        // the subscription are dropped.
        let subs = group(vec![(
            "consumer",
            owned(
                &["topic"],
                &parts("topic-0, topic-1, other-0, other-1"),
                GENERATION_ID,
            ),
        )]);
        expect(
            &assign(kind, &topics(&[("topic", 2)]), &subs),
            &[("consumer", "topic-0, topic-1")],
        );
        // testOneConsumerMultipleTopics
        let subs = group(vec![("consumer", sub(&["topic1", "topic2"]))]);
        expect(
            &assign(kind, &topics(&[("topic1", 1), ("topic2", 2)]), &subs),
            &[("consumer", "topic1-0, topic2-0, topic2-1")],
        );
        // testAssignmentUpdatedForDeletedTopic: topic2 does not exist.
        let subs = group(vec![("consumer", sub(&["topic1", "topic2", "topic3"]))]);
        let result = assign(kind, &topics(&[("topic1", 1), ("topic3", 100)]), &subs);
        assert_eq!(result["consumer"].len(), 101);
    }
}

#[test]
fn sticky_no_exception_when_only_subscribed_topic_deleted() {
    // testNoExceptionThrownWhenOnlySubscribedTopicDeleted
    for kind in STICKY_KINDS {
        let ppt = topics(&[("topic", 3)]);
        let subs = group(vec![("consumer", sub(&["topic"]))]);
        let first = assign(kind, &ppt, &subs);
        let subs = owning(&subs, &first, GENERATION_ID);
        expect(&assign(kind, &Topics::new(), &subs), &[("consumer", "")]);
    }
}

#[test]
fn sticky_two_consumers_one_topic() {
    for kind in STICKY_KINDS {
        // testTwoConsumersOneTopicOnePartition
        let ppt = topics(&[("topic", 1)]);
        let mut subs = group(vec![
            ("consumer1", sub(&["topic"])),
            ("consumer2", sub(&["topic"])),
        ]);
        let mut result = assign(kind, &ppt, &subs);
        verify(kind, &ppt, &mut subs, &mut result);
        assert!(fully_balanced(&result));
        assert_eq!(result.values().map(Vec::len).sum::<usize>(), 1);
        // testTwoConsumersOneTopicTwoPartitions
        let ppt = topics(&[("topic", 2)]);
        let result = assign(kind, &ppt, &subs);
        expect(
            &result,
            &[("consumer1", "topic-0"), ("consumer2", "topic-1")],
        );
    }
}

#[test]
fn sticky_general_path_mixed_subscriptions() {
    // testMultipleConsumersMixedTopicSubscriptions: the general (unequal subscriptions) path.
    for kind in STICKY_KINDS {
        let ppt = topics(&[("topic1", 3), ("topic2", 2)]);
        let mut subs = group(vec![
            ("consumer1", sub(&["topic1"])),
            ("consumer2", sub(&["topic1", "topic2"])),
            ("consumer3", sub(&["topic1"])),
        ]);
        let mut result = assign(kind, &ppt, &subs);
        expect(
            &result,
            &[
                ("consumer1", "topic1-0, topic1-2"),
                ("consumer2", "topic2-0, topic2-1"),
                ("consumer3", "topic1-1"),
            ],
        );
        verify(kind, &ppt, &mut subs, &mut result);
        assert!(fully_balanced(&result));
    }
}

#[test]
fn sticky_two_consumers_two_topics_six_partitions() {
    // testTwoConsumersTwoTopicsSixPartitions
    for kind in STICKY_KINDS {
        let both = ["topic1", "topic2"];
        let result = assign(
            kind,
            &topics(&[("topic1", 3), ("topic2", 3)]),
            &group(vec![("consumer1", sub(&both)), ("consumer2", sub(&both))]),
        );
        expect(
            &result,
            &[
                ("consumer1", "topic1-0, topic1-2, topic2-1"),
                ("consumer2", "topic1-1, topic2-0, topic2-2"),
            ],
        );
    }
}

#[test]
fn sticky_consumer_owning_min_quota_expected_max_quota() {
    // testConsumerOwningMinQuotaExpectedMaxQuota
    for kind in STICKY_KINDS {
        let ppt = topics(&[("topic1", 2), ("topic2", 3)]);
        let both = ["topic1", "topic2"];
        let mut subs = group(vec![
            (
                "consumer1",
                owned(&both, &parts("topic1-0, topic2-1"), GENERATION_ID),
            ),
            (
                "consumer2",
                owned(&both, &parts("topic1-1, topic2-2"), GENERATION_ID),
            ),
        ]);
        let mut result = assign(kind, &ppt, &subs);
        expect(
            &result,
            &[
                ("consumer1", "topic1-0, topic2-1, topic2-0"),
                ("consumer2", "topic1-1, topic2-2"),
            ],
        );
        verify(kind, &ppt, &mut subs, &mut result);
        assert!(fully_balanced(&result));
    }
}

#[test]
fn sticky_max_quota_consumers_more_than_expected() {
    // testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers: both consumer1 and consumer2
    // own maxQuota (2) but only one may keep 2. Kafka walks its HashMap, where consumer2 comes
    // before consumer1, so consumer2 keeps both and consumer1 gives up topic2-0.
    let ppt = topics(&[("topic1", 2), ("topic2", 2)]);
    let both = ["topic1", "topic2"];
    let subs = group(vec![
        (
            "consumer1",
            owned(&both, &parts("topic1-0, topic2-0"), GENERATION_ID),
        ),
        (
            "consumer2",
            owned(&both, &parts("topic1-1, topic2-1"), GENERATION_ID),
        ),
        ("consumer3", owned(&both, &[], GENERATION_ID)),
    ]);
    let expected = [
        ("consumer1", "topic1-0"),
        ("consumer2", "topic1-1, topic2-1"),
        ("consumer3", "topic2-0"),
    ];
    let mut s = subs.clone();
    let mut result = assign(AssignorKind::Sticky, &ppt, &s);
    expect(&result, &expected);
    verify(AssignorKind::Sticky, &ppt, &mut s, &mut result);

    // Cooperative: topic2-0 changes owner, so it is only revoked in the first rebalance
    // (partitionsTransferringOwnership = {topic2-0: consumer3}) and assigned in the next.
    let kind = AssignorKind::CooperativeSticky;
    let mut s = subs.clone();
    let mut result = assign(kind, &ppt, &s);
    expect(
        &result,
        &[
            ("consumer1", "topic1-0"),
            ("consumer2", "topic1-1, topic2-1"),
            ("consumer3", ""),
        ],
    );
    verify(kind, &ppt, &mut s, &mut result);
    expect(&result, &expected);
    assert!(fully_balanced(&result));
}

#[test]
fn sticky_all_consumers_under_min_quota() {
    // testAllConsumersAreUnderMinQuota
    for kind in STICKY_KINDS {
        let ppt = topics(&[("topic1", 2), ("topic2", 3)]);
        let both = ["topic1", "topic2"];
        let mut subs = group(vec![
            ("consumer1", owned(&both, &parts("topic1-0"), GENERATION_ID)),
            ("consumer2", owned(&both, &parts("topic1-1"), GENERATION_ID)),
            ("consumer3", owned(&both, &[], GENERATION_ID)),
        ]);
        let mut result = assign(kind, &ppt, &subs);
        let expected = [
            ("consumer1", "topic1-0, topic2-1"),
            ("consumer2", "topic1-1, topic2-2"),
            ("consumer3", "topic2-0"),
        ];
        // Nothing changes owner, so cooperative assigns everything at once too.
        expect(&result, &expected);
        verify(kind, &ppt, &mut subs, &mut result);
        expect(&result, &expected);
    }
}

#[test]
fn sticky_add_remove_consumer_one_topic() {
    // testAddRemoveConsumerOneTopic
    for kind in STICKY_KINDS {
        let ppt = topics(&[("topic", 3)]);
        let mut subs = group(vec![("consumer1", sub(&["topic"]))]);
        let mut result = assign(kind, &ppt, &subs);
        expect(&result, &[("consumer1", "topic-0, topic-1, topic-2")]);
        verify(kind, &ppt, &mut subs, &mut result);

        // consumer2 joins: topic-2 moves (cooperative: revoked first, assigned in the follow-up).
        subs = group(vec![
            (
                "consumer1",
                owned(&["topic"], &result["consumer1"], GENERATION_ID),
            ),
            ("consumer2", owned(&["topic"], &[], GENERATION_ID)),
        ]);
        result = assign(kind, &ppt, &subs);
        let joined = if kind == AssignorKind::CooperativeSticky {
            ""
        } else {
            "topic-2"
        };
        expect(
            &result,
            &[("consumer1", "topic-0, topic-1"), ("consumer2", joined)],
        );
        verify(kind, &ppt, &mut subs, &mut result);
        expect(
            &result,
            &[("consumer1", "topic-0, topic-1"), ("consumer2", "topic-2")],
        );

        // consumer1 leaves: its partitions go to consumer2 at once (nobody revokes them).
        subs = group(vec![(
            "consumer2",
            owned(&["topic"], &result["consumer2"], GENERATION_ID),
        )]);
        result = assign(kind, &ppt, &subs);
        expect(&result, &[("consumer2", "topic-0, topic-1, topic-2")]);
        verify(kind, &ppt, &mut subs, &mut result);
    }
}

#[test]
fn sticky_topic_balance_after_reassignment() {
    // testTopicBalanceAfterReassignment
    for kind in STICKY_KINDS {
        let ppt = topics(&[("topic1", 12), ("topic2", 12)]);
        let all = ["topic1", "topic2"];
        let per_topic = |result: &Assignment, n: usize| {
            for list in result.values() {
                assert_eq!(count_topic(list, "topic1"), n, "{kind}: {result:?}");
                assert_eq!(count_topic(list, "topic2"), n, "{kind}: {result:?}");
            }
        };
        let mut subs = group(vec![("consumer1", sub(&all))]);
        let mut result = assign(kind, &ppt, &subs);
        verify(kind, &ppt, &mut subs, &mut result);
        per_topic(&result, 12);

        subs = owning(&subs, &result, GENERATION_ID);
        subs.insert("consumer2".into(), owned(&all, &[], GENERATION_ID));
        result = assign(kind, &ppt, &subs);
        verify(kind, &ppt, &mut subs, &mut result);
        per_topic(&result, 6);

        subs = owning(&subs, &result, GENERATION_ID);
        subs.insert("consumer3".into(), owned(&all, &[], GENERATION_ID));
        subs.insert("consumer4".into(), owned(&all, &[], GENERATION_ID));
        result = assign(kind, &ppt, &subs);
        verify(kind, &ppt, &mut subs, &mut result);
        per_topic(&result, 3);

        subs = owning(&subs, &result, GENERATION_ID);
        subs.remove("consumer1");
        subs.remove("consumer2");
        result = assign(kind, &ppt, &subs);
        verify(kind, &ppt, &mut subs, &mut result);
        per_topic(&result, 6);
    }
}

#[test]
fn sticky_add_remove_two_consumers_two_topics() {
    // testAddRemoveTwoConsumersTwoTopics
    for kind in STICKY_KINDS {
        let ppt = topics(&[("topic1", 3), ("topic2", 4)]);
        let all = ["topic1", "topic2"];
        let mut subs = group(vec![("consumer1", sub(&all)), ("consumer2", sub(&all))]);
        let mut result = assign(kind, &ppt, &subs);
        expect(
            &result,
            &[
                ("consumer1", "topic1-0, topic1-2, topic2-1, topic2-3"),
                ("consumer2", "topic1-1, topic2-0, topic2-2"),
            ],
        );
        verify(kind, &ppt, &mut subs, &mut result);

        // Two consumers join; {topic1-2, topic2-3} -> consumer3 and topic2-2 -> consumer4 move.
        subs = owning(&subs, &result, GENERATION_ID);
        subs.insert("consumer3".into(), owned(&all, &[], GENERATION_ID));
        subs.insert("consumer4".into(), owned(&all, &[], GENERATION_ID));
        result = assign(kind, &ppt, &subs);
        let final_state = [
            ("consumer1", "topic1-0, topic2-1"),
            ("consumer2", "topic2-0, topic1-1"),
            ("consumer3", "topic1-2, topic2-3"),
            ("consumer4", "topic2-2"),
        ];
        if kind == AssignorKind::CooperativeSticky {
            expect(
                &result,
                &[
                    ("consumer1", "topic1-0, topic2-1"),
                    ("consumer2", "topic2-0, topic1-1"),
                    ("consumer3", ""),
                    ("consumer4", ""),
                ],
            );
        } else {
            expect(&result, &final_state);
        }
        verify(kind, &ppt, &mut subs, &mut result);
        expect(&result, &final_state);

        // Two consumers leave.
        subs = owning(&subs, &result, GENERATION_ID);
        subs.remove("consumer1");
        subs.remove("consumer2");
        result = assign(kind, &ppt, &subs);
        expect(
            &result,
            &[
                ("consumer3", "topic1-2, topic2-3, topic1-0, topic2-1"),
                ("consumer4", "topic2-2, topic1-1, topic2-0"),
            ],
        );
        verify(kind, &ppt, &mut subs, &mut result);
    }
}

#[test]
fn sticky_poor_round_robin_scenario() {
    // testPoorRoundRobinAssignmentScenario
    for kind in STICKY_KINDS {
        let ppt = topics(&[
            ("topic1", 2),
            ("topic2", 1),
            ("topic3", 2),
            ("topic4", 1),
            ("topic5", 2),
        ]);
        let five = ["topic1", "topic2", "topic3", "topic4", "topic5"];
        let three = ["topic1", "topic3", "topic5"];
        let mut subs = group(vec![
            ("consumer1", sub(&five)),
            ("consumer2", sub(&three)),
            ("consumer3", sub(&three)),
            ("consumer4", sub(&five)),
        ]);
        let mut result = assign(kind, &ppt, &subs);
        verify(kind, &ppt, &mut subs, &mut result);
        assert!(result.values().all(|l| l.len() == 2), "{result:?}");
    }
}

#[test]
fn sticky_add_remove_topic_two_consumers() {
    // testAddRemoveTopicTwoConsumers
    for kind in STICKY_KINDS {
        let mut ppt = topics(&[("topic", 3)]);
        let mut subs = group(vec![
            ("consumer1", sub(&["topic"])),
            ("consumer2", sub(&["topic"])),
        ]);
        let mut result = assign(kind, &ppt, &subs);
        verify(kind, &ppt, &mut subs, &mut result);
        let first = result.clone();
        let mut sizes: Vec<usize> = first.values().map(Vec::len).collect();
        sizes.sort_unstable();
        assert_eq!(sizes, vec![1, 2]);

        ppt.insert("topic2".into(), 3);
        subs = group(vec![
            (
                "consumer1",
                owned(&["topic", "topic2"], &first["consumer1"], GENERATION_ID),
            ),
            (
                "consumer2",
                owned(&["topic", "topic2"], &first["consumer2"], GENERATION_ID),
            ),
        ]);
        result = assign(kind, &ppt, &subs);
        verify(kind, &ppt, &mut subs, &mut result);
        let second = result.clone();
        for m in ["consumer1", "consumer2"] {
            assert_eq!(second[m].len(), 3);
            assert!(set(&second[m]).is_superset(&set(&first[m])), "stickiness");
        }

        ppt.remove("topic");
        subs = group(vec![
            (
                "consumer1",
                owned(&["topic2"], &second["consumer1"], GENERATION_ID),
            ),
            (
                "consumer2",
                owned(&["topic2"], &second["consumer2"], GENERATION_ID),
            ),
        ]);
        result = assign(kind, &ppt, &subs);
        verify(kind, &ppt, &mut subs, &mut result);
        let mut sizes: Vec<usize> = result.values().map(Vec::len).collect();
        sizes.sort_unstable();
        assert_eq!(sizes, vec![1, 2]);
        for m in ["consumer1", "consumer2"] {
            assert!(set(&second[m]).is_superset(&set(&result[m])), "stickiness");
        }
    }
}

/// `getCanonicalName`: `prefix` + `i` zero-padded to the digits of `max`.
fn canonical(prefix: &str, i: usize, max: usize) -> String {
    let width = max.to_string().len();
    format!("{prefix}{i:0width$}")
}

#[test]
fn sticky_reassignment_after_one_consumer_leaves() {
    // testReassignmentAfterOneConsumerLeaves: 19 topics t01..t19 with 1..19 partitions,
    // consumer i subscribing to t01..ti (the general path). Kafka's test removes "consumer10",
    // a name no member has; the member it means is c10, which is removed here.
    for kind in STICKY_KINDS {
        let ppt: Topics = (1..20).map(|i| (canonical("t", i, 20), i as u32)).collect();
        let mut subs: Subs = (1..20)
            .map(|i| {
                let list: Vec<String> = (1..=i).map(|j| canonical("t", j, 20)).collect();
                let refs: Vec<&str> = list.iter().map(String::as_str).collect();
                (canonical("c", i, 20), sub(&refs))
            })
            .collect();
        let mut result = assign(kind, &ppt, &subs);
        verify(kind, &ppt, &mut subs, &mut result);

        subs = owning(&subs, &result, GENERATION_ID);
        subs.remove("c10");
        let before = result.clone();
        result = assign(kind, &ppt, &subs);
        assert_no_reverse_moves(&before, &result);
        verify(kind, &ppt, &mut subs, &mut result);
    }
}

#[test]
fn sticky_reassignment_after_one_consumer_added() {
    // testReassignmentAfterOneConsumerAdded
    for kind in STICKY_KINDS {
        let ppt = topics(&[("topic", 20)]);
        let mut subs: Subs = (1..10)
            .map(|i| (canonical("c", i, 10), sub(&["topic"])))
            .collect();
        let mut result = assign(kind, &ppt, &subs);
        verify(kind, &ppt, &mut subs, &mut result);
        subs = (1..=10)
            .map(|i| (canonical("c", i, 10), sub(&["topic"])))
            .collect();
        result = assign(kind, &ppt, &subs);
        verify(kind, &ppt, &mut subs, &mut result);
        assert!(fully_balanced(&result));
    }
}

#[test]
fn sticky_same_subscriptions() {
    // testSameSubscriptions: 14 topics t01..t14 with 1..14 partitions, 8 consumers c1..c8
    // subscribed to all; then c5 leaves.
    for kind in STICKY_KINDS {
        let ppt: Topics = (1..15).map(|i| (canonical("t", i, 15), i as u32)).collect();
        let names: Vec<String> = ppt.keys().cloned().collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut subs: Subs = (1..9).map(|i| (canonical("c", i, 9), sub(&refs))).collect();
        let mut result = assign(kind, &ppt, &subs);
        verify(kind, &ppt, &mut subs, &mut result);
        assert!(fully_balanced(&result));

        subs = owning(&subs, &result, GENERATION_ID);
        subs.remove("c5");
        let before = result.clone();
        result = assign(kind, &ppt, &subs);
        // Nobody loses a partition it owned: the departed member's 13 are spread.
        for (m, list) in &result {
            assert!(
                set(list).is_superset(&set(&before[m])),
                "{kind}: {m} lost partitions"
            );
        }
        verify(kind, &ppt, &mut subs, &mut result);
        assert!(fully_balanced(&result));
    }
}

#[test]
fn sticky_new_subscription() {
    // testNewSubscription: c0 subscribes to nothing at first, then to t1.
    for kind in STICKY_KINDS {
        let ppt: Topics = (1..5).map(|i| (canonical("t", i, 5), 1)).collect();
        let mut subs: Subs = (0..3usize)
            .map(|i| {
                let list: Vec<String> = (i..=(3 * i).saturating_sub(2))
                    .filter(|_| i > 0)
                    .map(|j| canonical("t", j, 5))
                    .collect();
                let refs: Vec<&str> = list.iter().map(String::as_str).collect();
                (canonical("c", i, 3), sub(&refs))
            })
            .collect();
        assert_eq!(subs["c1"].topics, vec!["t1"]);
        assert_eq!(subs["c2"].topics, vec!["t2", "t3", "t4"]);
        let mut result = assign(kind, &ppt, &subs);
        verify(kind, &ppt, &mut subs, &mut result);
        subs.get_mut("c0").unwrap().topics.push("t1".into());
        result = assign(kind, &ppt, &subs);
        verify(kind, &ppt, &mut subs, &mut result);
    }
}

#[test]
fn sticky_move_existing_assignments() {
    // testMoveExistingAssignments (general path with owned partitions)
    for kind in STICKY_KINDS {
        let ppt: Topics = (1..=6).map(|i| (format!("topic{i}"), 1)).collect();
        let mut subs = group(vec![
            (
                "consumer1",
                owned(&["topic1", "topic2"], &parts("topic1-0"), GENERATION_ID),
            ),
            (
                "consumer2",
                owned(
                    &["topic1", "topic2", "topic3", "topic4"],
                    &parts("topic2-0, topic3-0"),
                    GENERATION_ID,
                ),
            ),
            (
                "consumer3",
                owned(
                    &["topic2", "topic3", "topic4", "topic5", "topic6"],
                    &parts("topic4-0, topic5-0, topic6-0"),
                    GENERATION_ID,
                ),
            ),
        ]);
        let mut result = assign(kind, &ppt, &subs);
        verify(kind, &ppt, &mut subs, &mut result);
    }
}

#[test]
fn sticky_stickiness() {
    // testStickiness: 4 consumers, 3 partitions; the one holding nothing (or any) leaves and
    // everyone keeps what they had.
    for kind in STICKY_KINDS {
        let ppt = topics(&[("topic1", 3)]);
        let mut subs: Subs = (1..=4)
            .map(|i| (format!("consumer{i}"), sub(&["topic1"])))
            .collect();
        let mut result = assign(kind, &ppt, &subs);
        verify(kind, &ppt, &mut subs, &mut result);
        assert!(result.values().all(|l| l.len() <= 1));
        let before = result.clone();

        subs = owning(&subs, &result, GENERATION_ID);
        subs.remove("consumer1");
        result = assign(kind, &ppt, &subs);
        verify(kind, &ppt, &mut subs, &mut result);
        for (m, list) in &result {
            assert_eq!(list.len(), 1, "{kind}: {result:?}");
            assert!(set(list).is_superset(&set(&before[m])), "stickiness of {m}");
        }
    }
}

#[test]
fn sticky_all_consumers_reach_expected_quota() {
    // testAllConsumersReachExpectedQuotaAndAreConsideredFilled
    for kind in STICKY_KINDS {
        let ppt = topics(&[("topic", 4)]);
        let mut subs = group(vec![
            (
                "consumer1",
                owned(&["topic"], &parts("topic-0, topic-1"), GENERATION_ID),
            ),
            (
                "consumer2",
                owned(&["topic"], &parts("topic-2"), GENERATION_ID),
            ),
            ("consumer3", owned(&["topic"], &[], GENERATION_ID)),
        ]);
        let mut result = assign(kind, &ppt, &subs);
        let expected = [
            ("consumer1", "topic-0, topic-1"),
            ("consumer2", "topic-2"),
            ("consumer3", "topic-3"),
        ];
        expect(&result, &expected);
        verify(kind, &ppt, &mut subs, &mut result);
        expect(&result, &expected);
    }
}

#[test]
fn sticky_owned_partitions_of_stale_or_missing_generation_are_invalidated() {
    // testOwnedPartitionsAreInvalidatedForConsumerWithStaleGeneration and
    // testOwnedPartitionsAreInvalidatedForConsumerWithNoGeneration
    for kind in STICKY_KINDS {
        for stale in [Some(9), None] {
            let ppt = topics(&[("topic", 3), ("topic2", 3)]);
            let both = ["topic", "topic2"];
            let claimed = parts("topic-0, topic-2, topic2-1");
            let mut subs = group(vec![
                ("consumer1", owned(&both, &claimed, 10)),
                (
                    "consumer2",
                    Subscription {
                        owned_partitions: claimed.clone(),
                        generation: stale,
                        ..sub(&both)
                    },
                ),
            ]);
            let mut result = assign(kind, &ppt, &subs);
            let expected = [
                ("consumer1", "topic-0, topic-2, topic2-1"),
                ("consumer2", "topic-1, topic2-0, topic2-2"),
            ];
            expect(&result, &expected);
            verify(kind, &ppt, &mut subs, &mut result);
            expect(&result, &expected);
        }
    }
}

#[test]
fn sticky_partition_claimed_by_two_members_of_the_same_generation() {
    // testPartitionsTransferringOwnershipIncludeThePartitionClaimedByMultipleConsumersInSameGeneration
    // and StickyAssignorTest/CooperativeStickyAssignorTest
    // testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGeneration…
    for (count, c1, c2) in [
        (3, "topic-1", "topic-2"),
        (4, "topic-1, topic-3", "topic-2"),
    ] {
        for kind in STICKY_KINDS {
            let ppt = topics(&[("topic", count)]);
            let mut subs = group(vec![
                (
                    "consumer1",
                    owned(&["topic"], &parts("topic-0, topic-1"), GENERATION_ID),
                ),
                (
                    "consumer2",
                    owned(&["topic"], &parts("topic-0, topic-2"), GENERATION_ID),
                ),
                ("consumer3", owned(&["topic"], &[], GENERATION_ID)),
            ]);
            let mut result = assign(kind, &ppt, &subs);
            // Cooperative: topic-0 counts as owned, so it waits until both have revoked it.
            let c3 = if kind == AssignorKind::CooperativeSticky {
                ""
            } else {
                "topic-0"
            };
            expect(
                &result,
                &[("consumer1", c1), ("consumer2", c2), ("consumer3", c3)],
            );
            verify(kind, &ppt, &mut subs, &mut result);
            expect(
                &result,
                &[
                    ("consumer1", c1),
                    ("consumer2", c2),
                    ("consumer3", "topic-0"),
                ],
            );
        }
    }
}

#[test]
fn sticky_partitions_go_to_the_highest_generation() {
    // testEnsurePartitionsAssignedToHighestGeneration
    for kind in STICKY_KINDS {
        let ppt = topics(&[("topic", 3), ("topic2", 3), ("topic3", 3)]);
        let all = ["topic", "topic2", "topic3"];
        let mut subs = group(vec![
            (
                "consumer1",
                owned(&all, &parts("topic-0, topic2-0, topic3-0"), 10),
            ),
            (
                "consumer2",
                owned(&all, &parts("topic-1, topic2-1, topic3-1"), 9),
            ),
            (
                "consumer3",
                owned(&all, &parts("topic2-1, topic3-0, topic3-2"), 8),
            ),
        ]);
        let mut result = assign(kind, &ppt, &subs);
        let expected = [
            ("consumer1", "topic-0, topic2-0, topic3-0"),
            ("consumer2", "topic-1, topic2-1, topic3-1"),
            ("consumer3", "topic-2, topic2-2, topic3-2"),
        ];
        expect(&result, &expected);
        verify(kind, &ppt, &mut subs, &mut result);
        expect(&result, &expected);
    }
}

#[test]
fn sticky_no_reassignment_on_current_members() {
    // testNoReassignmentOnCurrentMembers
    for kind in STICKY_KINDS {
        let ppt = topics(&[("topic", 3), ("topic1", 3), ("topic2", 3), ("topic3", 3)]);
        let all = ["topic", "topic2", "topic3", "topic1"];
        let mut subs = group(vec![
            (
                "consumer1",
                Subscription {
                    generation: None,
                    ..owned(&all, &[], 0)
                },
            ),
            (
                "consumer2",
                owned(&all, &parts("topic-0, topic2-0, topic1-0"), 9),
            ),
            (
                "consumer3",
                owned(&all, &parts("topic3-2, topic2-2, topic1-1"), 8),
            ),
            (
                "consumer4",
                owned(&all, &parts("topic3-1, topic-1, topic-2"), 7),
            ),
        ]);
        let mut result = assign(kind, &ppt, &subs);
        assert_eq!(
            set(&result["consumer1"]),
            set(&parts("topic1-2, topic2-1, topic3-0")),
            "{kind}"
        );
        verify(kind, &ppt, &mut subs, &mut result);
        assert!(fully_balanced(&result));
    }
}

#[test]
fn sticky_owned_partitions_invalidated_for_multiple_generations() {
    // testOwnedPartitionsAreInvalidatedForConsumerWithMultipleGeneration
    for kind in STICKY_KINDS {
        let ppt = topics(&[("topic", 3), ("topic2", 3)]);
        let both = ["topic", "topic2"];
        let mut subs = group(vec![
            (
                "consumer1",
                owned(&both, &parts("topic-0, topic2-1, topic-1"), 10),
            ),
            (
                "consumer2",
                owned(&both, &parts("topic-0, topic2-1, topic2-2"), 8),
            ),
        ]);
        let mut result = assign(kind, &ppt, &subs);
        let expected = [
            ("consumer1", "topic-0, topic2-1, topic-1"),
            ("consumer2", "topic-2, topic2-2, topic2-0"),
        ];
        expect(&result, &expected);
        verify(kind, &ppt, &mut subs, &mut result);
        expect(&result, &expected);
    }
}

#[test]
fn sticky_rack_test_uniform_subscription_without_racks() {
    // testRackAwareAssignmentWithUniformSubscription: the non-rack-aware expectation, both
    // fresh and with every consumer already owning it.
    for kind in STICKY_KINDS {
        let ppt = topics(&[("t1", 6), ("t2", 7), ("t3", 2)]);
        let all: &[&str] = &["t1", "t2", "t3"];
        let expected = [
            "t1-0, t1-3, t2-0, t2-3, t2-6",
            "t1-1, t1-4, t2-1, t2-4, t3-0",
            "t1-2, t1-5, t2-2, t2-5, t3-1",
        ];
        check_numbered(kind, &ppt, &[all, all, all], &expected);
        let subs: Subs = expected
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let s = Subscription {
                    owned_partitions: parts(e),
                    ..sub(all)
                };
                (format!("consumer{i}"), s)
            })
            .collect();
        let result = assign(kind, &ppt, &subs);
        for (i, e) in expected.iter().enumerate() {
            assert_eq!(result[&format!("consumer{i}")], parts(e), "{kind}");
        }
    }
}

#[test]
fn sticky_rack_test_non_equal_subscription_without_racks() {
    // testRackAwareAssignmentWithNonEqualSubscription: the general path, non-rack-aware.
    let ppt = topics(&[("t1", 6), ("t2", 7), ("t3", 2)]);
    let all: &[&str] = &["t1", "t2", "t3"];
    let t1t3: &[&str] = &["t1", "t3"];
    let consumer_topics = [all, all, t1t3];
    let fresh = [
        "t1-5, t2-0, t2-2, t2-4, t2-6",
        "t1-3, t2-1, t2-3, t2-5, t3-0",
        "t1-0, t1-1, t1-2, t1-4, t3-1",
    ];
    let with_owned = |owned: &[&str]| -> Subs {
        consumer_topics
            .iter()
            .zip(owned)
            .enumerate()
            .map(|(i, (t, o))| {
                let s = Subscription {
                    owned_partitions: parts(o),
                    ..sub(t)
                };
                (format!("consumer{i}"), s)
            })
            .collect()
    };
    let check = |result: &Assignment, expected: &[&str]| {
        for (i, e) in expected.iter().enumerate() {
            assert_eq!(result[&format!("consumer{i}")], parts(e));
        }
    };
    for kind in STICKY_KINDS {
        check_numbered(kind, &ppt, &consumer_topics, &fresh);
        // verifyNonEqualSubscription's second call: already owning the expected assignment.
        check(&assign(kind, &ppt, &with_owned(&fresh)), &fresh);
    }

    // Cooperative with a skewed previous assignment and no generation: first the partitions
    // that stay (the moving ones withheld), then the final assignment.
    let skewed = [
        "t1-0, t1-1, t1-2, t1-3, t1-4",
        "t1-5, t2-0, t2-1, t2-2, t2-3",
        "t2-4, t2-5, t2-6, t3-0, t3-1",
    ];
    let intermediate = ["t1-2, t1-3, t1-4", "t2-0, t2-1, t2-2, t2-3", "t3-0, t3-1"];
    let coop = AssignorKind::CooperativeSticky;
    check(&assign(coop, &ppt, &with_owned(&skewed)), &intermediate);
    check(
        &assign(coop, &ppt, &with_owned(&intermediate)),
        &[
            "t1-2, t1-3, t1-4, t2-4, t2-5",
            "t2-0, t2-1, t2-2, t2-3, t2-6",
            "t1-0, t1-1, t1-5, t3-0, t3-1",
        ],
    );
    // The eager sticky assignor computes the same moves and hands them out at once.
    let eager = assign(AssignorKind::Sticky, &ppt, &with_owned(&skewed));
    for (i, keep) in intermediate.iter().enumerate() {
        let m = format!("consumer{i}");
        assert!(set(&eager[&m]).is_superset(&set(&parts(keep))));
        let gained: BTreeSet<_> = set(&eager[&m])
            .difference(&set(&parts(keep)))
            .cloned()
            .collect();
        let owned_before = set(&parts(skewed[i]));
        assert!(
            gained.is_disjoint(&owned_before),
            "{m} regained a revoked partition"
        );
    }
    validity_and_balance(&with_owned(&skewed), &eager);
}

#[test]
fn sticky_subscription_not_equal_and_same_partition_in_three_generations() {
    // testSubscriptionNotEqualAndAssignSamePartitionWith3Generation
    for kind in STICKY_KINDS {
        let ppt = topics(&[("topic", 6), ("topic1", 1)]);
        for g in [
            [1, 2, 3],
            [1, 3, 2],
            [2, 1, 3],
            [2, 3, 1],
            [3, 1, 2],
            [3, 2, 1],
        ] {
            let subs = group(vec![
                (
                    "consumer1",
                    owned(&["topic"], &parts("topic-0, topic-2"), g[0]),
                ),
                (
                    "consumer2",
                    owned(&["topic"], &parts("topic-1, topic-2, topic-3"), g[1]),
                ),
                (
                    "consumer3",
                    owned(&["topic"], &parts("topic-2, topic-4, topic-5"), g[2]),
                ),
                ("consumer4", owned(&["topic1"], &parts("topic1-0"), 2)),
            ]);
            let result = assign(kind, &ppt, &subs);
            let all: Vec<&TopicPartition> = result.values().flatten().collect();
            let distinct: BTreeSet<&TopicPartition> = all.iter().copied().collect();
            assert_eq!(all.len(), distinct.len(), "{kind} {g:?}: {result:?}");
            if kind == AssignorKind::Sticky {
                assert!(
                    result.values().all(|l| (1..=2).contains(&l.len())),
                    "{g:?}: {result:?}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// StickyAssignorTest
// ---------------------------------------------------------------------------------------------

#[test]
fn sticky_assignment_with_multiple_generations_1() {
    // testAssignmentWithMultipleGenerations1, with equal and unequal subscriptions
    let kind = AssignorKind::Sticky;
    for all_equal in [true, false] {
        let ppt = topics(&[("topic", 6), ("topic2", 6)]);
        let all: &[&str] = &["topic", "topic2"];
        let c2_topics: &[&str] = if all_equal { all } else { &["topic"] };
        let mut subs = group(vec![
            ("consumer1", sub(all)),
            ("consumer2", sub(c2_topics)),
            ("consumer3", sub(all)),
        ]);
        let mut r1 = assign(kind, &ppt, &subs);
        assert!(r1.values().all(|l| l.len() == 4), "{r1:?}");
        verify(kind, &ppt, &mut subs, &mut r1);

        let mut subs = group(vec![
            ("consumer1", owned(all, &r1["consumer1"], GENERATION_ID)),
            (
                "consumer2",
                owned(c2_topics, &r1["consumer2"], GENERATION_ID),
            ),
        ]);
        let mut r2 = assign(kind, &ppt, &subs);
        assert!(r2.values().all(|l| l.len() == 6), "{r2:?}");
        if all_equal {
            assert!(set(&r2["consumer1"]).is_superset(&set(&r1["consumer1"])));
        }
        assert!(set(&r2["consumer2"]).is_superset(&set(&r1["consumer2"])));
        assert!(!set(&r2["consumer2"]).is_disjoint(&set(&r1["consumer3"])));
        verify(kind, &ppt, &mut subs, &mut r2);

        let mut subs = group(vec![
            ("consumer2", owned(c2_topics, &r2["consumer2"], 2)),
            ("consumer3", owned(all, &r1["consumer3"], 1)),
        ]);
        let mut r3 = assign(kind, &ppt, &subs);
        assert!(r3.values().all(|l| l.len() == 6), "{r3:?}");
        assert!(set(&r3["consumer2"]).is_disjoint(&set(&r3["consumer3"])));
        verify(kind, &ppt, &mut subs, &mut r3);
    }
}

#[test]
fn sticky_assignment_with_multiple_generations_2() {
    // testAssignmentWithMultipleGenerations2
    let kind = AssignorKind::Sticky;
    for all_equal in [true, false] {
        let ppt = topics(&[("topic", 4), ("topic2", 4), ("topic3", 4)]);
        let all: &[&str] = &["topic", "topic2", "topic3"];
        let c1_topics: &[&str] = if all_equal { all } else { &["topic"] };
        let c3_topics: &[&str] = if all_equal { all } else { &["topic", "topic2"] };
        let mut subs = group(vec![
            ("consumer1", sub(c1_topics)),
            ("consumer2", sub(all)),
            ("consumer3", sub(c3_topics)),
        ]);
        let mut r1 = assign(kind, &ppt, &subs);
        assert!(r1.values().all(|l| l.len() == 4), "{r1:?}");
        verify(kind, &ppt, &mut subs, &mut r1);

        let mut subs = group(vec![("consumer2", owned(all, &r1["consumer2"], 1))]);
        let mut r2 = assign(kind, &ppt, &subs);
        assert_eq!(r2["consumer2"].len(), 12);
        verify(kind, &ppt, &mut subs, &mut r2);

        let mut subs = group(vec![
            ("consumer1", owned(c1_topics, &r1["consumer1"], 1)),
            ("consumer2", owned(all, &r2["consumer2"], 2)),
            ("consumer3", owned(c3_topics, &r1["consumer3"], 1)),
        ]);
        let mut r3 = assign(kind, &ppt, &subs);
        assert!(r3.values().all(|l| l.len() == 4), "{r3:?}");
        verify(kind, &ppt, &mut subs, &mut r3);
    }
}

#[test]
fn sticky_assignment_with_conflicting_previous_generations() {
    // testAssignmentWithConflictingPreviousGenerations
    let kind = AssignorKind::Sticky;
    for all_equal in [true, false] {
        let ppt = topics(&[("topic", 4), ("topic2", 4), ("topic3", 4)]);
        let all: &[&str] = &["topic", "topic2", "topic3"];
        let c1_topics: &[&str] = if all_equal { all } else { &["topic"] };
        let c2_topics: &[&str] = if all_equal { all } else { &["topic", "topic2"] };
        let c1_owned = if all_equal {
            parts("topic-0, topic-1, topic-2, topic2-2, topic2-3, topic3-0")
        } else {
            parts("topic-0, topic-1, topic-2, topic-3")
        };
        let c2_owned = parts("topic-0, topic-1, topic2-0, topic2-1, topic2-2, topic2-3");
        let c3_owned = parts("topic-2, topic-3, topic3-0, topic3-1, topic3-2, topic3-3");
        let mut subs = group(vec![
            ("consumer1", owned(c1_topics, &c1_owned, 1)),
            ("consumer2", owned(c2_topics, &c2_owned, 2)),
            ("consumer3", owned(all, &c3_owned, 2)),
        ]);
        let mut result = assign(kind, &ppt, &subs);
        assert!(result.values().all(|l| l.len() == 4), "{result:?}");
        assert!(set(&c2_owned).is_superset(&set(&result["consumer2"])));
        assert!(set(&c3_owned).is_superset(&set(&result["consumer3"])));
        verify(kind, &ppt, &mut subs, &mut result);
    }
}

#[test]
fn sticky_schema_backward_compatibility() {
    // testSchemaBackwardCompatibility: consumer2's user data (V0 schema) has no generation.
    let kind = AssignorKind::Sticky;
    let ppt = topics(&[("topic", 3)]);
    let mut subs = group(vec![
        (
            "consumer1",
            owned(&["topic"], &parts("topic-0, topic-2"), 1),
        ),
        (
            "consumer2",
            Subscription {
                owned_partitions: parts("topic-1"),
                ..sub(&["topic"])
            },
        ),
        ("consumer3", sub(&["topic"])),
    ]);
    let mut result = assign(kind, &ppt, &subs);
    assert!(result.values().all(|l| l.len() == 1), "{result:?}");
    assert!(set(&parts("topic-0, topic-2")).is_superset(&set(&result["consumer1"])));
    assert_eq!(result["consumer2"], parts("topic-1"));
    verify(kind, &ppt, &mut subs, &mut result);
}

#[test]
fn sticky_assignor_with_old_version_subscriptions() {
    // StickyAssignorTest and CooperativeStickyAssignorTest testAssignorWithOldVersionSubscriptions
    for kind in STICKY_KINDS {
        let ppt = topics(&[("topic1", 3)]);
        let mut subs = group(vec![
            (
                "consumer1",
                owned(&["topic1"], &parts("topic1-0"), GENERATION_ID),
            ),
            (
                "consumer2",
                owned(&["topic1"], &parts("topic1-1"), GENERATION_ID),
            ),
            ("consumer3", owned(&["topic1"], &[], GENERATION_ID)),
        ]);
        let mut result = assign(kind, &ppt, &subs);
        let expected = [
            ("consumer1", "topic1-0"),
            ("consumer2", "topic1-1"),
            ("consumer3", "topic1-2"),
        ];
        expect(&result, &expected);
        verify(kind, &ppt, &mut subs, &mut result);
    }
}

// ---------------------------------------------------------------------------------------------
// Stickiness, measured
// ---------------------------------------------------------------------------------------------

/// Partitions owned before by a member still in the group that now sit elsewhere (or, for
/// cooperative, are withheld).
fn moved_partitions(subs: &Subs, assignment: &Assignment) -> usize {
    subs.iter()
        .map(|(m, s)| {
            s.owned_partitions
                .iter()
                .filter(|p| !assignment[m].contains(p))
                .count()
        })
        .sum()
}

/// The fewest moves any balanced assignment needs when every member shares the subscription
/// and owns disjoint partitions: members keep at most their quota, and only the `total % n`
/// members owning the most may keep `max_quota`.
fn minimal_moves(subs: &Subs, total: usize) -> usize {
    let n = subs.len();
    let min_quota = total / n;
    let max_quota = total.div_ceil(n);
    let owned: Vec<usize> = subs.values().map(|s| s.owned_partitions.len()).collect();
    let keep_min: usize = owned.iter().map(|&o| o.min(min_quota)).sum();
    let over = owned.iter().filter(|&&o| o >= max_quota).count();
    let bonus = if max_quota > min_quota {
        over.min(total % n)
    } else {
        0
    };
    owned.iter().sum::<usize>() - keep_min - bonus
}

#[test]
fn sticky_member_join_and_leave_move_the_minimum() {
    let ppt = topics(&[("orders", 10), ("payments", 7)]);
    let both = ["orders", "payments"];
    for kind in STICKY_KINDS {
        let mut subs: Subs = (1..=3)
            .map(|i| (format!("member-{i}"), sub(&both)))
            .collect();
        let mut result = assign(kind, &ppt, &subs);
        verify(kind, &ppt, &mut subs, &mut result);

        // A fourth member joins: 17 partitions over 4 members is 5, 4, 4, 4; the three owners
        // had 6, 6, 5, so exactly 17 - 5 - 4 - 4 = 4 partitions move.
        let mut joined = owning(&subs, &result, 2);
        joined.insert("member-4".into(), owned(&both, &[], 2));
        let mut next = assign(kind, &ppt, &joined);
        assert_eq!(moved_partitions(&joined, &next), 4, "{kind}");
        assert_eq!(minimal_moves(&joined, 17), 4);
        verify(kind, &ppt, &mut joined, &mut next);
        assert!(fully_balanced(&next));
        assert_eq!(next["member-4"].len(), 4);

        // member-2 leaves: nobody else loses anything.
        let mut left = owning(&joined, &next, 3);
        left.remove("member-2");
        let mut after = assign(kind, &ppt, &left);
        assert_eq!(moved_partitions(&left, &after), 0, "{kind}");
        verify(kind, &ppt, &mut left, &mut after);
        assert!(fully_balanced(&after));
    }
}

#[test]
fn cooperative_revokes_first_and_assigns_in_the_follow_up() {
    let ppt = topics(&[("orders", 6)]);
    let kind = AssignorKind::CooperativeSticky;
    let first = assign(kind, &ppt, &group(vec![("a", sub(&["orders"]))]));
    expect(
        &first,
        &[(
            "a",
            "orders-0, orders-1, orders-2, orders-3, orders-4, orders-5",
        )],
    );

    // b joins: a must give up three partitions. This rebalance only revokes them from a.
    let subs = group(vec![
        ("a", owned(&["orders"], &first["a"], 1)),
        ("b", owned(&["orders"], &[], 1)),
    ]);
    let second = assign(kind, &ppt, &subs);
    expect(&second, &[("a", "orders-0, orders-1, orders-2"), ("b", "")]);
    assert!(cooperative_revokes(&subs, &second));

    // The follow-up rebalance (a now owns only what it kept) gives them to b.
    let subs = owning(&subs, &second, 2);
    let third = assign(kind, &ppt, &subs);
    expect(
        &third,
        &[
            ("a", "orders-0, orders-1, orders-2"),
            ("b", "orders-3, orders-4, orders-5"),
        ],
    );
    assert!(!cooperative_revokes(&subs, &third));

    // The eager sticky assignor moves them in one go.
    let eager = assign(
        AssignorKind::Sticky,
        &ppt,
        &group(vec![
            ("a", owned(&["orders"], &first["a"], 1)),
            ("b", owned(&["orders"], &[], 1)),
        ]),
    );
    assert_eq!(eager, third);
}

#[test]
fn empty_subscription_quirk_is_kafkas() {
    // AbstractStickyAssignor.allSubscriptionsEqual starts its reference set from the first
    // member it meets; an empty subscription leaves the set empty, so the next member's becomes
    // the reference and the group counts as "all equal". In Kafka's HashMap order "c0" comes
    // before "c1", so c0 (subscribed to nothing) gets a share of t in the constrained path.
    let ppt = topics(&[("t", 4)]);
    let subs = group(vec![("c0", sub(&[])), ("c1", sub(&["t"]))]);
    expect(
        &assign(AssignorKind::Sticky, &ppt, &subs),
        &[("c0", "t-0, t-2"), ("c1", "t-1, t-3")],
    );
    // Range and round robin only give partitions to subscribers.
    expect(
        &assign(AssignorKind::Range, &ppt, &subs),
        &[("c0", ""), ("c1", "t-0, t-1, t-2, t-3")],
    );
}

#[test]
fn sticky_rebalance_of_32_members_is_fast() {
    // 32 members, 4 topics of 64 partitions: a fresh assignment, then a member joining.
    let ppt: Topics = (0..4).map(|i| (format!("topic-{i}"), 64)).collect();
    let names: Vec<String> = ppt.keys().cloned().collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut subs: Subs = (0..31)
        .map(|i| (format!("consumer-{i:02}"), sub(&refs)))
        .collect();
    let start = std::time::Instant::now();
    for kind in STICKY_KINDS {
        let first = assign(kind, &ppt, &subs);
        let mut next_subs = owning(&subs, &first, 1);
        next_subs.insert("consumer-31".into(), owned(&refs, &[], 1));
        let mut next = assign(kind, &ppt, &next_subs);
        assert_eq!(
            moved_partitions(&next_subs, &next),
            minimal_moves(&next_subs, 256)
        );
        verify(kind, &ppt, &mut next_subs, &mut next);
        assert!(next.values().all(|l| l.len() == 8));
    }
    subs.insert("consumer-31".into(), sub(&refs[..3]));
    let general = assign(AssignorKind::Sticky, &ppt, &subs);
    validity_and_balance(&subs, &general);
    // Generous even for an unoptimized build on a slow machine.
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
}

// ---------------------------------------------------------------------------------------------
// Properties over seeded random groups
// ---------------------------------------------------------------------------------------------

/// SplitMix64 (the same generator the simulation uses).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

struct Scenario {
    ppt: Topics,
    subs: Subs,
    shared: bool,
}

fn random_scenario(rng: &mut SplitMix64) -> Scenario {
    let topic_pool = ["orders", "payments", "audit", "Zeta", "events-7"];
    let mut ppt = Topics::new();
    for name in topic_pool.iter().take(1 + rng.below(4) as usize) {
        let count = if rng.chance(10) {
            0
        } else {
            rng.below(65) as u32
        };
        ppt.insert((*name).to_owned(), count);
    }
    let known: Vec<&str> = ppt.keys().map(String::as_str).collect();
    let shared = rng.chance(50);
    let mut shared_topics: Vec<&str> = known.iter().copied().filter(|_| rng.chance(70)).collect();
    if rng.chance(20) {
        shared_topics.push("no-such-topic");
    }
    if shared_topics.is_empty() {
        shared_topics.push(known[0]);
    }
    let members = rng.below(33) as usize;
    let mut subs = Subs::new();
    for _ in 0..members {
        let id = format!("consumer-{}-{:x}", rng.below(1000), rng.next() & 0xffff);
        let topics: Vec<&str> = if shared {
            shared_topics.clone()
        } else {
            let mut t: Vec<&str> = topic_pool
                .iter()
                .copied()
                .filter(|_| rng.chance(50))
                .collect();
            if t.is_empty() {
                t.push(topic_pool[rng.below(topic_pool.len() as u64) as usize]);
            }
            t
        };
        let mut s = sub(&topics);
        if rng.chance(25) {
            s.group_instance_id = Some(format!("instance-{}", rng.below(1_000_000)));
        }
        subs.insert(id, s);
    }
    Scenario { ppt, subs, shared }
}

/// Every partition a member subscribes to that exists, and who may own it.
fn expected_partitions(ppt: &Topics, subs: &Subs) -> BTreeSet<TopicPartition> {
    let subscribed: BTreeSet<&String> = subs.values().flat_map(|s| &s.topics).collect();
    ppt.iter()
        .filter(|(t, _)| subscribed.contains(t))
        .flat_map(|(t, &n)| (0..n).map(move |p| tp(t, p)))
        .collect()
}

/// Each assigned partition exists, is assigned once, to a subscriber of its topic, and lists
/// are sorted; with `complete`, every subscribed partition is assigned.
#[track_caller]
fn check_assignment(ppt: &Topics, subs: &Subs, result: &Assignment, complete: bool, ctx: &str) {
    assert_eq!(
        result.keys().collect::<Vec<_>>(),
        subs.keys().collect::<Vec<_>>(),
        "{ctx}"
    );
    let expected = expected_partitions(ppt, subs);
    let mut seen = BTreeSet::new();
    for (m, list) in result {
        assert!(list.windows(2).all(|w| w[0] < w[1]), "{ctx}: unsorted {m}");
        for p in list {
            assert!(
                expected.contains(p),
                "{ctx}: {p} does not exist or is unsubscribed"
            );
            assert!(
                subs[m].topics.contains(&p.topic),
                "{ctx}: {p} given to {m}, not a subscriber"
            );
            assert!(seen.insert(p.clone()), "{ctx}: {p} assigned twice");
        }
    }
    if complete {
        assert_eq!(seen, expected, "{ctx}: not every partition assigned");
    }
}

/// Runs cooperative follow-ups until nothing is revoked; returns the final subs and result.
fn settle_cooperative(
    ppt: &Topics,
    subs: &Subs,
    first: &Assignment,
    generation: i32,
    ctx: &str,
) -> (Subs, Assignment) {
    let mut subs = subs.clone();
    let mut result = first.clone();
    let mut rounds = 0;
    while cooperative_revokes(&subs, &result) {
        subs = owning(&subs, &result, generation + rounds + 1);
        result = assign(AssignorKind::CooperativeSticky, ppt, &subs);
        check_assignment(ppt, &subs, &result, false, ctx);
        rounds += 1;
        assert!(
            rounds <= 4,
            "{ctx}: still revoking after {rounds} follow-ups"
        );
    }
    (subs, result)
}

#[test]
fn property_random_groups() {
    let mut rng = SplitMix64(0x00C0_FFEE);
    for case in 0..300 {
        let scenario = random_scenario(&mut rng);
        let Scenario { ppt, subs, shared } = &scenario;
        for kind in AssignorKind::ALL {
            let ctx = format!("case {case} {kind}");
            let first = assign(kind, ppt, subs);
            assert_eq!(first, assign(kind, ppt, subs), "{ctx}: not deterministic");
            // A fresh group owns nothing, so even cooperative assigns everything at once.
            check_assignment(ppt, subs, &first, true, &ctx);
            if matches!(kind, AssignorKind::Range | AssignorKind::RoundRobin) {
                continue;
            }
            if *shared {
                assert!(fully_balanced(&first), "{ctx}: unbalanced {first:?}");
            } else {
                validity_and_balance(subs, &first);
            }

            // Next generation: some members leave, some join, survivors report what they own.
            let mut next = owning(subs, &first, 5);
            let leaving: Vec<String> = next.keys().filter(|_| rng.chance(20)).cloned().collect();
            for m in leaving {
                next.remove(&m);
            }
            let template = subs
                .values()
                .next()
                .cloned()
                .unwrap_or_else(|| sub(&["orders"]));
            for j in 0..rng.below(4) {
                let s = Subscription {
                    owned_partitions: Vec::new(),
                    generation: None,
                    group_instance_id: None,
                    topics: template.topics.clone(),
                };
                next.insert(format!("joiner-{case}-{j}"), s);
            }
            let second = assign(kind, ppt, &next);
            assert_eq!(second, assign(kind, ppt, &next), "{ctx}: not deterministic");
            let cooperative = kind == AssignorKind::CooperativeSticky;
            check_assignment(ppt, &next, &second, !cooperative, &ctx);
            let all_share = next
                .values()
                .all(|s| set_of(&s.topics) == set_of(&template.topics));
            if all_share && !next.is_empty() {
                let total = expected_partitions(ppt, &next).len();
                assert_eq!(
                    moved_partitions(&next, &second),
                    minimal_moves(&next, total),
                    "{ctx}: not minimal"
                );
            }
            let (final_subs, final_result) = if cooperative {
                let (s, r) = settle_cooperative(ppt, &next, &second, 5, &ctx);
                check_assignment(ppt, &s, &r, true, &ctx);
                (s, r)
            } else {
                (next.clone(), second.clone())
            };
            if all_share {
                assert!(
                    fully_balanced(&final_result),
                    "{ctx}: unbalanced {final_result:?}"
                );
            } else {
                validity_and_balance(&final_subs, &final_result);
            }
        }
    }
}

fn set_of(topics: &[String]) -> BTreeSet<&String> {
    topics.iter().collect()
}

#[test]
fn property_range_and_round_robin_shapes() {
    let mut rng = SplitMix64(42);
    for case in 0..300 {
        let Scenario { ppt, subs, .. } = random_scenario(&mut rng);
        let ctx = format!("case {case}");
        let range = assign(AssignorKind::Range, &ppt, &subs);
        // Range: per topic, subscribers' counts differ by at most one and each member's share
        // of a topic is one consecutive run.
        for (topic, &count) in &ppt {
            let subscribers: Vec<&String> = subs
                .iter()
                .filter(|(_, s)| s.topics.contains(topic))
                .map(|(m, _)| m)
                .collect();
            if subscribers.is_empty() || count == 0 {
                continue;
            }
            let shares: Vec<Vec<u32>> = subscribers
                .iter()
                .map(|m| {
                    range[*m]
                        .iter()
                        .filter(|p| &p.topic == topic)
                        .map(|p| p.partition)
                        .collect()
                })
                .collect();
            let max = shares.iter().map(Vec::len).max().unwrap();
            let min = shares.iter().map(Vec::len).min().unwrap();
            assert!(max - min <= 1, "{ctx}: range unbalanced on {topic}");
            for share in &shares {
                assert!(
                    share.windows(2).all(|w| w[1] == w[0] + 1),
                    "{ctx}: not a range"
                );
            }
        }
        // Round robin with shared subscriptions: counts within one.
        let rr = assign(AssignorKind::RoundRobin, &ppt, &subs);
        let first_topics = subs.values().next().map(|s| set_of(&s.topics));
        if subs
            .values()
            .all(|s| Some(set_of(&s.topics)) == first_topics)
        {
            assert!(fully_balanced(&rr), "{ctx}: round robin unbalanced");
        }
    }
}
