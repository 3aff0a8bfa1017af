//! Consumer groups as the group coordinator sees them (Kafka's classic group protocol).
//!
//! State names and transitions follow Kafka's `ClassicGroupState`: `Empty` →
//! `PreparingRebalance` (waiting for members to (re)join) → `CompletingRebalance` (waiting for
//! the leader's SyncGroup) → `Stable`; `Dead` once deleted. Committed offsets live here, as the
//! coordinator's cache of `__consumer_offsets`.

use crate::sim::vecmap::VecMap;

use crate::sim::assignor::java::{JavaHashSet, string_hash};
use crate::sim::assignor::{AssignorKind, TopicPartition};
use crate::sim::client::GroupProtocol;
use crate::sim::trace::Name;

/// The coordinator's view of a group's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupState {
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
    Dead,
}

impl GroupState {
    /// The name Kafka's tools print.
    pub fn name(self) -> &'static str {
        match self {
            GroupState::Empty => "Empty",
            GroupState::PreparingRebalance => "PreparingRebalance",
            GroupState::CompletingRebalance => "CompletingRebalance",
            GroupState::Stable => "Stable",
            GroupState::Dead => "Dead",
        }
    }
}

/// A member as the coordinator knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub member_id: Name,
    pub consumer: u32,
    pub client_id: String,
    pub subscription: Vec<String>,
    /// The partitions it still owned when it joined (`Subscription.ownedPartitions`): empty for
    /// an eager member, which revoked everything before rejoining.
    pub owned: Vec<TopicPartition>,
    /// What it was last assigned, as the eager `StickyAssignor` carries it in its user data.
    pub sticky_user_data: Vec<TopicPartition>,
    /// The generation `owned` was assigned in (`None` for a new member).
    pub owned_generation: Option<i32>,
    pub assignors: Vec<AssignorKind>,
    pub session_timeout_ms: u64,
    pub rebalance_timeout_ms: u64,
    pub last_heartbeat_ms: u64,
    /// Whether it has sent JoinGroup in the current rebalance.
    pub joined: bool,
    /// Its assignment in the current generation.
    pub assignment: Vec<(Name, u32)>,
    /// Whether a session-expiry check is already scheduled for it.
    pub expiry_scheduled: bool,
}

/// A committed offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Committed {
    pub offset: u64,
    pub committed_at_ms: u64,
}

/// A consumer group.
#[derive(Clone, Debug)]
pub struct Group {
    pub id: Name,
    pub state: GroupState,
    pub generation: i32,
    pub protocol: Option<AssignorKind>,
    pub leader: Option<Name>,
    pub members: VecMap<Name, Member>,
    pub committed: VecMap<(Name, u32), Committed>,
    /// Highest offset + 1 ever delivered to any member, per partition: a delivery below it is a
    /// redelivery (an at-least-once duplicate).
    pub delivered_up_to: VecMap<(Name, u32), u64>,
    /// Bumped at each rebalance so stale timers can tell they are stale.
    pub rebalance_seq: u64,
    /// The assignment computed by the leader for the generation being completed.
    pub pending_assignment: Option<VecMap<Name, Vec<(Name, u32)>>>,
    /// Rebalances completed so far.
    pub rebalances: u64,
    /// While an empty group waits `group.initial.rebalance.delay.ms` for more members.
    pub initial_join_until: Option<u64>,
    /// Consumers whose SyncGroup arrived before the leader's (answered when it does).
    pub sync_waiting: Vec<u32>,
    /// The group's type: the protocol of the member that created it (or joined it empty).
    pub group_type: GroupProtocol,
}

impl Group {
    /// A new, empty group.
    pub fn new(id: Name) -> Self {
        Self {
            id,
            state: GroupState::Empty,
            generation: 0,
            protocol: None,
            leader: None,
            members: VecMap::new(),
            committed: VecMap::new(),
            delivered_up_to: VecMap::new(),
            rebalance_seq: 0,
            pending_assignment: None,
            rebalances: 0,
            initial_join_until: None,
            sync_waiting: Vec::new(),
            group_type: GroupProtocol::Classic,
        }
    }

    /// Kafka's protocol selection (`ClassicGroup.selectProtocol`): the candidates are the
    /// assignors every member supports; each member votes for the first candidate in its own
    /// list, and the most votes wins. Votes are counted in a `java.util.HashMap` and the winner
    /// taken with `Stream.max`, which keeps the first of equal counts in the map's iteration
    /// order (by `String.hashCode` bucket: `sticky`, `range`, `roundrobin`,
    /// `cooperative-sticky`), so a tie does not depend on who joined first.
    pub fn select_protocol(&self) -> Option<AssignorKind> {
        let candidates: Vec<AssignorKind> = AssignorKind::ALL
            .into_iter()
            .filter(|a| self.members.values().all(|m| m.assignors.contains(a)))
            .collect();
        if candidates.is_empty() || self.members.is_empty() {
            return None;
        }
        let mut order = JavaHashSet::new();
        let mut votes: Vec<(AssignorKind, u32)> = Vec::new();
        for member in self.members.values() {
            let Some(choice) = member.assignors.iter().find(|a| candidates.contains(a)) else {
                continue;
            };
            order.insert(string_hash(choice.name()), *choice);
            match votes.iter_mut().find(|(c, _)| c == choice) {
                Some(entry) => entry.1 += 1,
                None => votes.push((*choice, 1)),
            }
        }
        let mut best: Option<(AssignorKind, u32)> = None;
        for kind in order.iteration_order() {
            let count = votes
                .iter()
                .find(|(c, _)| *c == kind)
                .map_or(0, |(_, n)| *n);
            if best.is_none_or(|(_, n)| count > n) {
                best = Some((kind, count));
            }
        }
        best.map(|(kind, _)| kind)
    }

    /// Whether a member offering `assignors` may join (`ClassicGroup.supportsProtocols`): an
    /// empty group takes any non-empty list; otherwise one of them must be supported by every
    /// member already in the group. A member refused gets `INCONSISTENT_GROUP_PROTOCOL`.
    pub fn supports_protocols(&self, assignors: &[AssignorKind]) -> bool {
        if self.state == GroupState::Empty || self.members.is_empty() {
            return !assignors.is_empty();
        }
        assignors
            .iter()
            .any(|a| self.members.values().all(|m| m.assignors.contains(a)))
    }

    /// Whether every current member has rejoined in this rebalance.
    pub fn all_joined(&self) -> bool {
        self.members.values().all(|m| m.joined)
    }

    /// The member that owns `(topic, partition)` in the current generation.
    pub fn owner_of(&self, topic: &str, partition: u32) -> Option<&Member> {
        self.members.values().find(|m| {
            m.assignment
                .iter()
                .any(|(t, p)| &**t == topic && *p == partition)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: &str, assignors: Vec<AssignorKind>) -> Member {
        Member {
            member_id: id.into(),
            consumer: 0,
            client_id: String::new(),
            subscription: vec![],
            owned: vec![],
            sticky_user_data: vec![],
            owned_generation: None,
            assignors,
            session_timeout_ms: 45_000,
            rebalance_timeout_ms: 300_000,
            last_heartbeat_ms: 0,
            joined: true,
            assignment: vec![],
            expiry_scheduled: false,
        }
    }

    #[test]
    fn protocol_is_the_most_preferred_common_assignor() {
        let mut group = Group::new("g".into());
        group.members.insert(
            "a".into(),
            member(
                "a",
                vec![AssignorKind::Range, AssignorKind::CooperativeSticky],
            ),
        );
        group.members.insert(
            "b".into(),
            member(
                "b",
                vec![AssignorKind::CooperativeSticky, AssignorKind::Range],
            ),
        );
        group.members.insert(
            "c".into(),
            member("c", vec![AssignorKind::CooperativeSticky]),
        );
        assert_eq!(
            group.select_protocol(),
            Some(AssignorKind::CooperativeSticky)
        );
        group.members.remove("c");
        // One vote each: the tie goes to the first member's preference.
        assert_eq!(group.select_protocol(), Some(AssignorKind::Range));
    }

    /// `ClassicGroup.selectProtocol` counts votes in a `HashMap` and keeps the first of equal
    /// counts in its iteration order: `range` (bucket 9) before `cooperative-sticky` (bucket
    /// 15), whoever joined first (`ClassicGroupTest.testSelectProtocol`).
    #[test]
    fn a_tied_vote_goes_to_the_first_in_javas_hash_map_order() {
        let mut group = Group::new("g".into());
        group.members.insert(
            "a".into(),
            member(
                "a",
                vec![AssignorKind::CooperativeSticky, AssignorKind::Range],
            ),
        );
        group.members.insert(
            "b".into(),
            member(
                "b",
                vec![AssignorKind::Range, AssignorKind::CooperativeSticky],
            ),
        );
        assert_eq!(group.select_protocol(), Some(AssignorKind::Range));
        group.members.insert(
            "c".into(),
            member("c", vec![AssignorKind::Sticky, AssignorKind::RoundRobin]),
        );
        assert_eq!(group.select_protocol(), None);
    }

    /// `ClassicGroupTest.testSupportsProtocols`: an empty group takes any non-empty list; then
    /// one offered assignor must be supported by every member.
    #[test]
    fn supported_protocols_are_those_every_member_has() {
        let mut group = Group::new("g".into());
        assert!(group.supports_protocols(&[AssignorKind::Range]));
        assert!(!group.supports_protocols(&[]));
        group.members.insert(
            "a".into(),
            member("a", vec![AssignorKind::Range, AssignorKind::RoundRobin]),
        );
        group.state = GroupState::PreparingRebalance;
        assert!(group.supports_protocols(&[AssignorKind::RoundRobin, AssignorKind::Sticky]));
        assert!(!group.supports_protocols(&[AssignorKind::Sticky]));
        group.members.insert(
            "b".into(),
            member("b", vec![AssignorKind::RoundRobin, AssignorKind::Sticky]),
        );
        assert!(group.supports_protocols(&[AssignorKind::RoundRobin]));
        assert!(!group.supports_protocols(&[AssignorKind::Range]));
    }

    #[test]
    fn no_common_assignor_means_no_protocol() {
        let mut group = Group::new("g".into());
        group
            .members
            .insert("a".into(), member("a", vec![AssignorKind::Range]));
        group
            .members
            .insert("b".into(), member("b", vec![AssignorKind::Sticky]));
        assert_eq!(group.select_protocol(), None);
        assert_eq!(
            GroupState::CompletingRebalance.name(),
            "CompletingRebalance"
        );
    }
}
