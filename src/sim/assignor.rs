//! Apache Kafka 4.x's client-side partition assignors (`partition.assignment.strategy`), as pure
//! functions: which partitions each member of a classic consumer group gets in a rebalance.
//!
//! [`assign`] reproduces, result for result, what the group leader's Java assignor returns for
//! the same members, subscriptions and topic metadata:
//!
//! - `range` (`RangeAssignor`): per topic, members in [`MemberInfo` order](#member-order) take
//!   consecutive ranges, the first `partitions % members` one extra; topics with equal partition
//!   counts and subscribers are therefore co-partitioned.
//! - `roundrobin` (`RoundRobinAssignor`): all partitions, topics in name order, dealt to the
//!   members in the same order, skipping members not subscribed to the partition's topic.
//! - `sticky` (`StickyAssignor`) and `cooperative-sticky` (`CooperativeStickyAssignor`), both
//!   `AbstractStickyAssignor`: keep what members owned (their `owned_partitions` of the highest
//!   `generation` win conflicts) while balancing. When every member subscribes to the same
//!   topics the "constrained" quota algorithm runs, otherwise the "general" one. The cooperative
//!   assignor then withholds every partition that changes owner: the new owner gets it in the
//!   follow-up rebalance, after the old owner has revoked it.
//!
//! Like Kafka's leader, `assign` first keeps only topics some member subscribes to that exist with
//! at least one partition; subscriptions to unknown topics are otherwise ignored.
//!
//! # Member order
//! Range and round robin order members like `AbstractPartitionAssignor.MemberInfo`: static
//! members (with a `group.instance.id`) first, by instance id, then dynamic members by member id,
//! strings compared as Java does (UTF-16 code units). Where Kafka's result depends on iterating a
//! `java.util.HashMap` (the sticky assignors' owned-partition conflicts and quotas, the general
//! path's choice of which moved partition to move back) the module reproduces Java's hash order,
//! assuming the leader put the members into its `HashMap<String, Subscription>` in member-id
//! order (the order of the `BTreeMap` given here; Kafka uses the JoinGroup response's order).
//!
//! # Invariants
//! Deterministic: no Rust hash-map order reaches a result. Never panics: every input, including
//! no members, unknown topics, zero partitions or nonsense owned partitions, yields a map with
//! one (possibly empty) sorted entry per member. Eager assignors assign every partition of every
//! subscribed existing topic exactly once; cooperative-sticky at most once, and exactly once
//! after the follow-up rebalance.
//!
//! # Left out
//! - Rack awareness (`client.rack`, KIP-881): the simulation has no racks, so partitions are
//!   assigned exactly as Kafka does when no member reports a rack.
//! - The sticky assignors' `maxGeneration` lives in the Java assignor instance and only grows;
//!   here it is computed per call (identical unless member generations go backwards).
//! - Where Kafka's general sticky path would throw (a previous owner of an older generation that
//!   can no longer take partitions at all: `NullPointerException`) or loop without end, this
//!   module skips that step or stops rebalancing moves after a generous budget.
//! - Owned partitions that cannot exist (partition number beyond the topic's count) and repeats
//!   are dropped before assigning; Kafka never sees them because partition counts only grow.

pub(crate) mod java;
mod range;
mod round_robin;
mod sticky;

use crate::sim::vecmap::{VecMap, VecSet};
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// One partition of one topic, as Kafka's `TopicPartition`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TopicPartition {
    /// The topic's name.
    pub topic: String,
    /// The partition number, from 0.
    pub partition: u32,
}

impl TopicPartition {
    /// The partition `partition` of `topic`.
    pub fn new(topic: impl Into<String>, partition: u32) -> Self {
        Self {
            topic: topic.into(),
            partition,
        }
    }
}

impl fmt::Display for TopicPartition {
    /// Kafka's `toString`: `topic-partition`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.topic, self.partition)
    }
}

/// The four built-in assignors of the classic consumer group protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AssignorKind {
    /// `org.apache.kafka.clients.consumer.RangeAssignor` (Kafka's default, with cooperative-sticky).
    Range,
    /// `org.apache.kafka.clients.consumer.RoundRobinAssignor`.
    RoundRobin,
    /// `org.apache.kafka.clients.consumer.StickyAssignor` (eager).
    Sticky,
    /// `org.apache.kafka.clients.consumer.CooperativeStickyAssignor`.
    CooperativeSticky,
}

impl AssignorKind {
    /// Every assignor, in the order Kafka's documentation lists them.
    pub const ALL: [AssignorKind; 4] = [
        AssignorKind::Range,
        AssignorKind::RoundRobin,
        AssignorKind::Sticky,
        AssignorKind::CooperativeSticky,
    ];

    /// The protocol name Kafka gives the assignor (`ConsumerPartitionAssignor.name()`).
    pub fn name(self) -> &'static str {
        match self {
            AssignorKind::Range => "range",
            AssignorKind::RoundRobin => "roundrobin",
            AssignorKind::Sticky => "sticky",
            AssignorKind::CooperativeSticky => "cooperative-sticky",
        }
    }

    /// The fully qualified Java class configured in `partition.assignment.strategy`.
    pub fn class_name(self) -> &'static str {
        match self {
            AssignorKind::Range => "org.apache.kafka.clients.consumer.RangeAssignor",
            AssignorKind::RoundRobin => "org.apache.kafka.clients.consumer.RoundRobinAssignor",
            AssignorKind::Sticky => "org.apache.kafka.clients.consumer.StickyAssignor",
            AssignorKind::CooperativeSticky => {
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"
            }
        }
    }

    /// Reads Kafka's name (`range`), the fully qualified class name or the simple class name
    /// (`RangeAssignor`); surrounding whitespace is ignored, as Kafka's list parsing trims.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL.into_iter().find(|kind| {
            let class = kind.class_name();
            let simple = class.rsplit('.').next().unwrap_or(class);
            s == kind.name() || s == class || s == simple
        })
    }

    /// The rebalance protocol a consumer configured with only this assignor runs: the highest
    /// of its `supportedProtocols()` (cooperative-sticky supports EAGER and COOPERATIVE; the
    /// others only EAGER). With several assignors configured, Kafka takes the highest protocol
    /// all of them support.
    pub fn protocol(self) -> RebalanceProtocol {
        match self {
            AssignorKind::CooperativeSticky => RebalanceProtocol::Cooperative,
            AssignorKind::Range | AssignorKind::RoundRobin | AssignorKind::Sticky => {
                RebalanceProtocol::Eager
            }
        }
    }
}

impl fmt::Display for AssignorKind {
    /// The Kafka name, as [`AssignorKind::name`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How partitions change hands in a rebalance (`ConsumerPartitionAssignor.RebalanceProtocol`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RebalanceProtocol {
    /// Every member revokes everything before joining; the assignment may reshuffle freely.
    Eager,
    /// Members keep their partitions while rebalancing; a partition changing owner is first
    /// revoked in one rebalance and assigned in a follow-up one.
    Cooperative,
}

/// What one member sends the leader when joining (`ConsumerPartitionAssignor.Subscription`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Subscription {
    /// Subscribed topics; unknown topics and repeats are harmless.
    pub topics: Vec<String>,
    /// What the member owned before this rebalance: `ownedPartitions` for cooperative-sticky,
    /// the previous assignment carried in the user data for sticky. Ignored by range and
    /// round robin.
    pub owned_partitions: Vec<TopicPartition>,
    /// The generation `owned_partitions` is from (`generationId`, or the user data's
    /// generation); `None` means the member sent none. Only the sticky assignors use it.
    pub generation: Option<i32>,
    /// The member's `group.instance.id` (static membership); range and round robin order
    /// static members first, by this id.
    pub group_instance_id: Option<String>,
}

/// Runs assignor `kind` as the group leader would: `subscriptions` maps member id to what the
/// member sent, `partitions_per_topic` maps topic to partition count (the leader's metadata).
/// Returns member id to assigned partitions (sorted), with an entry, possibly empty, for every
/// member.
pub fn assign(
    kind: AssignorKind,
    partitions_per_topic: &BTreeMap<String, u32>,
    subscriptions: &BTreeMap<String, Subscription>,
) -> BTreeMap<String, Vec<TopicPartition>> {
    let group = Group::new(partitions_per_topic, subscriptions);
    let per_member = match kind {
        AssignorKind::Range => range::assign(&group),
        AssignorKind::RoundRobin => round_robin::assign(&group),
        AssignorKind::Sticky => sticky::assign(&group, false),
        AssignorKind::CooperativeSticky => sticky::assign(&group, true),
    };
    // `extend`, not `collect`: collecting into a B-tree links one more copy of the sort.
    let mut result: BTreeMap<String, Vec<TopicPartition>> = BTreeMap::new();
    result.extend(subscriptions.keys().map(|id| (id.clone(), Vec::new())));
    for (member, partitions) in group.members.iter().zip(per_member) {
        let mut list: Vec<TopicPartition> = partitions
            .into_iter()
            .filter_map(|(topic, partition)| {
                group
                    .topics
                    .get(topic)
                    .map(|name| TopicPartition::new(*name, partition))
            })
            .collect();
        crate::sim::sort::sort(&mut list);
        list.dedup();
        result.insert(member.id.to_owned(), list);
    }
    result
}

/// A partition inside the algorithms: (index into [`Group::topics`], partition number).
type Slot = (usize, u32);

/// One member as the assignors see it.
struct Member<'a> {
    /// The member id.
    id: &'a str,
    /// What the member sent.
    sub: &'a Subscription,
    /// Its subscribed topic names, repeats dropped, in the order given (may name unknown topics).
    topics: Vec<&'a str>,
    /// Indexes of its subscribed topics that exist, in the order given.
    known_topics: Vec<usize>,
    /// `subscribes[t]`: whether it subscribes to topic `t`.
    subscribes: Vec<bool>,
}

/// The leader's view after `AbstractPartitionAssignor.assign(Cluster, GroupSubscription)`'s
/// preparation: subscribed existing topics, and members in Java `HashMap` iteration order.
struct Group<'a> {
    /// Topics some member subscribes to that exist with at least one partition, in Java
    /// `String` order (so topic index order is Kafka's topic order).
    topics: Vec<&'a str>,
    /// Partition count of each topic.
    counts: Vec<u32>,
    /// Members in the order Kafka iterates its `HashMap<String, Subscription>`.
    members: Vec<Member<'a>>,
}

impl<'a> Group<'a> {
    fn new(
        partitions_per_topic: &'a BTreeMap<String, u32>,
        subscriptions: &'a BTreeMap<String, Subscription>,
    ) -> Self {
        let subscribed: VecSet<&str> = subscriptions
            .values()
            .flat_map(|s| s.topics.iter().map(String::as_str))
            .collect();
        let mut topics: Vec<&str> = partitions_per_topic
            .iter()
            .filter(|(name, count)| **count > 0 && subscribed.contains(name.as_str()))
            .map(|(name, _)| name.as_str())
            .collect();
        crate::sim::sort::sort_by(&mut topics, |a, b| java::cmp_str(a, b));
        let counts: Vec<u32> = topics
            .iter()
            .map(|t| partitions_per_topic.get(*t).copied().unwrap_or(0))
            .collect();
        let index: VecMap<&str, usize> = topics.iter().enumerate().map(|(i, t)| (*t, i)).collect();

        let entries: Vec<(&String, &Subscription)> = subscriptions.iter().collect();
        let hashes: Vec<i32> = entries
            .iter()
            .map(|(id, _)| java::string_hash(id))
            .collect();
        let members = java::hash_map_order(&hashes)
            .into_iter()
            .filter_map(|i| entries.get(i))
            .map(|(id, sub)| {
                let mut seen = VecSet::new();
                let member_topics: Vec<&str> = sub
                    .topics
                    .iter()
                    .map(String::as_str)
                    .filter(|t| seen.insert(*t))
                    .collect();
                let known_topics: Vec<usize> = member_topics
                    .iter()
                    .filter_map(|t| index.get(t).copied())
                    .collect();
                let mut subscribes = vec![false; topics.len()];
                for &t in &known_topics {
                    if let Some(flag) = subscribes.get_mut(t) {
                        *flag = true;
                    }
                }
                Member {
                    id: id.as_str(),
                    sub,
                    topics: member_topics,
                    known_topics,
                    subscribes,
                }
            })
            .collect();
        Group {
            topics,
            counts,
            members,
        }
    }

    /// Indexes of the members (into [`Group::members`]) sorted as `MemberInfo.compareTo` and
    /// `Collections.sort` (stable) sort Kafka's HashMap-ordered member list.
    fn member_info_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.members.len()).collect();
        crate::sim::sort::sort_by(&mut order, |&a, &b| {
            match (self.members.get(a), self.members.get(b)) {
                (Some(a), Some(b)) => member_info_cmp(a, b),
                _ => Ordering::Equal,
            }
        });
        order
    }

    /// Whether member `m` subscribes to topic `t`.
    fn subscribes(&self, m: usize, t: usize) -> bool {
        self.members
            .get(m)
            .and_then(|member| member.subscribes.get(t))
            .copied()
            .unwrap_or(false)
    }

    /// Partition count of topic `t`.
    fn count(&self, t: usize) -> u32 {
        self.counts.get(t).copied().unwrap_or(0)
    }
}

/// `AbstractPartitionAssignor.MemberInfo.compareTo`.
fn member_info_cmp(a: &Member<'_>, b: &Member<'_>) -> Ordering {
    match (
        a.sub.group_instance_id.as_deref(),
        b.sub.group_instance_id.as_deref(),
    ) {
        (Some(x), Some(y)) => java::cmp_str(x, y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => java::cmp_str(a.id, b.id),
    }
}
