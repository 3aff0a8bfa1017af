//! `AbstractStickyAssignor.GeneralAssignmentBuilder` without racks: the sticky algorithm for
//! groups whose members subscribe to different topics.
//!
//! Steps, as in Kafka: keep every owned partition whose topic the owner still subscribes to;
//! hand each unassigned partition (topics with fewest subscribers first) to the least-loaded
//! subscriber; then, while the assignment is not balanced, move partitions from members holding
//! two or more than another subscriber, preferring to move a partition back to its owner from an
//! older generation, and preferring (through the partition-movement bookkeeping) to undo an
//! earlier move rather than create a new one. If the moves do not lower the balance score, they
//! are undone.
//!
//! Kafka keeps its least-loaded-first `TreeSet` consistent by removing a member before changing
//! its partition count and adding it back after; this module does the same with a `BTreeSet` of
//! (count, Java name rank). Which partition "undoes" a move is the first one Kafka's `HashSet`
//! iteration yields, reproduced with [`JavaHashSet`].

use crate::sim::vecmap::{VecMap, VecSet};

use super::super::Group;
use super::super::java::JavaHashSet;
use super::{DEFAULT_GENERATION, Layout, OwnedState, java_rank};

/// Runs the general sticky algorithm. `owned_raw` is each member's sanitized owned list as sent
/// (before ownership conflicts are settled); `state` is the settled one. Returns each member's
/// partitions by `gid`.
pub(super) fn assign(
    group: &Group<'_>,
    layout: &Layout,
    owned_raw: &[Vec<usize>],
    state: OwnedState,
) -> Vec<Vec<usize>> {
    let prev = previous_owners(group, layout, owned_raw, state.max_generation);
    let mut builder = Builder::new(group, layout, state.owned);
    builder.build(&prev);
    builder.current
}

/// `prepopulateCurrentAssignments`: for each partition, the member of the highest generation
/// below the current maximum that owned it (members without a generation count as -1 when
/// anyone has one), first claimant winning ties.
fn previous_owners(
    group: &Group<'_>,
    layout: &Layout,
    owned_raw: &[Vec<usize>],
    max_generation: i32,
) -> Vec<Option<(usize, i32)>> {
    let mut prev: Vec<Option<(usize, i32)>> = vec![None; layout.total()];
    for (m, member) in group.members.iter().enumerate() {
        let generation = match member.sub.generation {
            Some(g) if g < max_generation => g,
            None if max_generation > DEFAULT_GENERATION => DEFAULT_GENERATION,
            _ => continue,
        };
        for &gid in owned_raw.get(m).map(Vec::as_slice).unwrap_or(&[]) {
            if let Some(slot) = prev.get_mut(gid) {
                match slot {
                    Some((_, g)) if generation <= *g => {}
                    _ => *slot = Some((m, generation)),
                }
            }
        }
    }
    prev
}

/// `PartitionMovements`: where each moved partition came from, and the moves per topic and
/// (source, destination) pair.
struct Movements {
    /// For each `gid` that moved in this rebalance: (original owner, current owner).
    moves: Vec<Option<(usize, usize)>>,
    /// Per topic, per (source, destination): the partitions that made that move, as a Java
    /// `HashSet` so that "any one of them" is the one Kafka picks.
    by_topic: VecMap<usize, VecMap<(usize, usize), JavaHashSet<usize>>>,
}

impl Movements {
    fn new(total: usize) -> Self {
        Movements {
            moves: vec![None; total],
            by_topic: VecMap::new(),
        }
    }

    fn remove_record(&mut self, layout: &Layout, gid: usize) -> Option<(usize, usize)> {
        let pair = self.moves.get_mut(gid)?.take()?;
        let topic = layout.topic(gid);
        if let Some(pairs) = self.by_topic.get_mut(&topic) {
            if let Some(set) = pairs.get_mut(&pair) {
                set.remove(gid);
                if set.is_empty() {
                    pairs.remove(&pair);
                }
            }
            if pairs.is_empty() {
                self.by_topic.remove(&topic);
            }
        }
        Some(pair)
    }

    fn add_record(&mut self, layout: &Layout, gid: usize, pair: (usize, usize)) {
        if let Some(slot) = self.moves.get_mut(gid) {
            *slot = Some(pair);
        }
        self.by_topic
            .entry(layout.topic(gid))
            .or_default()
            .entry(pair)
            .or_insert_with(JavaHashSet::new)
            .insert(layout.hash(gid), gid);
    }

    /// `movePartition`: record `gid` going from `old` to `new`, collapsing a move back.
    fn move_partition(&mut self, layout: &Layout, gid: usize, old: usize, new: usize) {
        if let Some((source, _)) = self.remove_record(layout, gid) {
            if source != new {
                self.add_record(layout, gid, (source, new));
            }
        } else {
            self.add_record(layout, gid, (old, new));
        }
    }

    /// `getTheActualPartitionToBeMoved`: moving `gid` from `old` to `new`, prefer undoing an
    /// earlier move of a same-topic partition from `new` to (`gid`'s original owner).
    fn actual_partition_to_move(
        &self,
        layout: &Layout,
        gid: usize,
        old: usize,
        new: usize,
    ) -> usize {
        let Some(pairs) = self.by_topic.get(&layout.topic(gid)) else {
            return gid;
        };
        let source = match self.moves.get(gid).copied().flatten() {
            Some((source, _)) => source,
            None => old,
        };
        pairs
            .get(&(new, source))
            .and_then(JavaHashSet::first)
            .unwrap_or(gid)
    }
}

/// The general builder's state.
struct Builder<'a> {
    layout: &'a Layout,
    /// `consumer2AllPotentialTopics`: each member's subscribed existing topics.
    potential_topics: Vec<Vec<usize>>,
    /// The same as flags: `subscribes[m][t]`.
    subscribes: Vec<Vec<bool>>,
    /// `topic2AllPotentialConsumers`: each topic's subscribers, in Kafka's member order.
    topic_consumers: Vec<Vec<usize>>,
    /// `getMaxAssignmentSize`: partitions in a member's subscribed topics.
    max_size: Vec<usize>,
    /// Java `String` rank of each member id, and its inverse.
    rank: Vec<usize>,
    by_rank: Vec<usize>,
    /// `currentAssignment`, by member.
    current: Vec<Vec<usize>>,
    /// `currentPartitionConsumer`, by `gid`.
    owner: Vec<Option<usize>>,
    /// `sortedCurrentSubscriptions`: (partition count, rank), least loaded first.
    sorted: VecSet<(usize, usize)>,
    /// Members taken out of reassignment (`fixedAssignments`).
    fixed: Vec<bool>,
    movements: Movements,
    /// Reassignments left before giving up (a guard Kafka lacks; never reached in practice).
    budget: usize,
}

impl<'a> Builder<'a> {
    fn new(group: &Group<'_>, layout: &'a Layout, owned: Vec<Vec<usize>>) -> Self {
        let n = group.members.len();
        let topic_count = group.topics.len();
        let mut topic_consumers: Vec<Vec<usize>> = vec![Vec::new(); topic_count];
        let mut potential_topics = Vec::with_capacity(n);
        let mut subscribes = Vec::with_capacity(n);
        let mut max_size = Vec::with_capacity(n);
        for (m, member) in group.members.iter().enumerate() {
            for &t in &member.known_topics {
                if let Some(list) = topic_consumers.get_mut(t) {
                    list.push(m);
                }
            }
            potential_topics.push(member.known_topics.clone());
            subscribes.push(member.subscribes.clone());
            max_size.push(
                member
                    .known_topics
                    .iter()
                    .map(|&t| layout.range(t).len())
                    .sum(),
            );
        }
        let rank = java_rank(group);
        let mut by_rank = vec![0; n];
        for (m, &r) in rank.iter().enumerate() {
            if let Some(slot) = by_rank.get_mut(r) {
                *slot = m;
            }
        }
        let mut current: Vec<Vec<usize>> = owned;
        current.resize(n, Vec::new());
        let mut owner = vec![None; layout.total()];
        for (m, list) in current.iter().enumerate() {
            for &gid in list {
                if let Some(slot) = owner.get_mut(gid) {
                    *slot = Some(m);
                }
            }
        }
        let total = layout.total();
        Builder {
            layout,
            potential_topics,
            subscribes,
            topic_consumers,
            max_size,
            rank,
            by_rank,
            current,
            owner,
            sorted: VecSet::new(),
            fixed: vec![false; n],
            movements: Movements::new(total),
            budget: (total + 1)
                .saturating_mul(n + 1)
                .saturating_mul(4)
                .saturating_add(64),
        }
    }

    fn size(&self, m: usize) -> usize {
        self.current.get(m).map_or(0, Vec::len)
    }

    fn key(&self, m: usize) -> (usize, usize) {
        (
            self.size(m),
            self.rank.get(m).copied().unwrap_or(usize::MAX),
        )
    }

    fn member_at(&self, rank: usize) -> usize {
        self.by_rank.get(rank).copied().unwrap_or(0)
    }

    fn subscribes(&self, m: usize, t: usize) -> bool {
        self.subscribes
            .get(m)
            .and_then(|flags| flags.get(t))
            .copied()
            .unwrap_or(false)
    }

    fn consumers_of(&self, t: usize) -> &[usize] {
        self.topic_consumers.get(t).map_or(&[], Vec::as_slice)
    }

    /// `build()`, after `prepopulateCurrentAssignments`.
    fn build(&mut self, prev: &[Option<(usize, i32)>]) {
        let n = self.current.len();
        // assignOwnedPartitions: drop owned partitions of topics the owner left.
        let mut assigned = vec![false; self.layout.total()];
        let mut revocation_required = false;
        for m in 0..n {
            let Some(list) = self.current.get(m) else {
                continue;
            };
            let mut keep = Vec::with_capacity(list.len());
            for &gid in list {
                if self.subscribes(m, self.layout.topic(gid)) {
                    keep.push(gid);
                    if let Some(flag) = assigned.get_mut(gid) {
                        *flag = true;
                    }
                } else {
                    revocation_required = true;
                    if let Some(slot) = self.owner.get_mut(gid) {
                        *slot = None;
                    }
                }
            }
            if let Some(list) = self.current.get_mut(m) {
                *list = keep;
            }
        }

        // Topics with fewest potential consumers first, then by name; partitions in order.
        let mut topic_order: Vec<usize> = (0..self.topic_consumers.len()).collect();
        crate::sim::sort::sort_by_key(&mut topic_order, |&t| (self.consumers_of(t).len(), t));
        let mut sorted_all: Vec<usize> = topic_order
            .iter()
            .flat_map(|&t| self.layout.range(t))
            .collect();
        let mut unassigned: Vec<usize> = sorted_all
            .iter()
            .copied()
            .filter(|&gid| !assigned.get(gid).copied().unwrap_or(false))
            .collect();

        for m in 0..n {
            self.sorted.insert(self.key(m));
        }
        self.balance(prev, &mut unassigned, &mut sorted_all, revocation_required);
    }

    /// `balance()`.
    fn balance(
        &mut self,
        prev: &[Option<(usize, i32)>],
        unassigned: &mut Vec<usize>,
        sorted_all: &mut Vec<usize>,
        revocation_required: bool,
    ) {
        let initializing = self.sorted.last().is_none_or(|&(size, _)| size == 0);

        // maybeAssign: each unassigned partition to its least-loaded subscriber.
        for &gid in unassigned.iter() {
            let t = self.layout.topic(gid);
            if self.consumers_of(t).is_empty() {
                continue;
            }
            let target = self
                .sorted
                .iter()
                .copied()
                .find(|&(_, r)| self.subscribes(self.member_at(r), t));
            if let Some((size, r)) = target {
                let m = self.member_at(r);
                self.sorted.remove(&(size, r));
                if let Some(list) = self.current.get_mut(m) {
                    list.push(gid);
                }
                if let Some(slot) = self.owner.get_mut(gid) {
                    *slot = Some(m);
                }
                self.sorted.insert(self.key(m));
            }
        }

        // Only partitions of topics with two or more subscribers can move.
        let movable = |b: &Self, gid: usize| b.consumers_of(b.layout.topic(gid)).len() >= 2;
        sorted_all.retain(|&gid| movable(self, gid));
        unassigned.retain(|&gid| movable(self, gid));

        // Only members that could gain or lose a partition take part.
        for m in 0..self.current.len() {
            if !self.can_participate(m) {
                let key = self.key(m);
                self.sorted.remove(&key);
                if let Some(flag) = self.fixed.get_mut(m) {
                    *flag = true;
                }
            }
        }

        let pre_balance = self.current.clone();
        let pre_balance_owner = self.owner.clone();

        if !revocation_required {
            self.perform_reassignments(unassigned, prev);
        }
        let reassigned = self.perform_reassignments(sorted_all, prev);

        if !initializing
            && reassigned
            && self.balance_score(&self.current) >= self.balance_score(&pre_balance)
        {
            self.current = pre_balance;
            self.owner = pre_balance_owner;
        }
    }

    /// `canConsumerParticipateInReassignment`.
    fn can_participate(&self, m: usize) -> bool {
        let size = self.size(m);
        if size < self.max_size.get(m).copied().unwrap_or(0) {
            return true;
        }
        self.current.get(m).is_some_and(|list| {
            list.iter()
                .any(|&gid| self.consumers_of(self.layout.topic(gid)).len() >= 2)
        })
    }

    /// `getBalanceScore` over the members taking part: the sum of count differences over all
    /// pairs.
    fn balance_score(&self, assignment: &[Vec<usize>]) -> usize {
        let mut sizes: Vec<usize> = assignment
            .iter()
            .enumerate()
            .filter(|(m, _)| !self.fixed.get(*m).copied().unwrap_or(true))
            .map(|(_, list)| list.len())
            .collect();
        crate::sim::sort::sort(&mut sizes);
        let mut score = 0;
        let mut prefix = 0;
        for (i, &s) in sizes.iter().enumerate() {
            score += s * i - prefix;
            prefix += s;
        }
        score
    }

    /// `isBalanced`: counts within one of each other, or no member short of partitions could
    /// take one from a member holding two or more than it.
    fn is_balanced(&self) -> bool {
        let (Some(&(min, _)), Some(&(max, _))) = (self.sorted.first(), self.sorted.last()) else {
            return true;
        };
        if min + 1 >= max {
            return true;
        }
        for &(size, r) in &self.sorted {
            let m = self.member_at(r);
            if size == self.max_size.get(m).copied().unwrap_or(0) {
                continue;
            }
            for &t in self.potential_topics.get(m).map_or(&[][..], Vec::as_slice) {
                for gid in self.layout.range(t) {
                    match self.owner.get(gid).copied().flatten() {
                        Some(other) if other != m && size + 1 < self.size(other) => return false,
                        _ => {}
                    }
                }
            }
        }
        true
    }

    /// `performReassignments`: returns whether anything moved.
    fn perform_reassignments(
        &mut self,
        partitions: &[usize],
        prev: &[Option<(usize, i32)>],
    ) -> bool {
        let mut performed = false;
        loop {
            let mut modified = false;
            for &gid in partitions {
                if self.budget == 0 || self.is_balanced() {
                    break;
                }
                let Some(consumer) = self.owner.get(gid).copied().flatten() else {
                    continue;
                };
                let consumer_size = self.size(consumer);

                // Back to the owner of an older generation if that improves balance. (Kafka
                // throws if that owner was taken out of reassignment; this skips the step.)
                if let Some((prev_owner, _)) = prev.get(gid).copied().flatten() {
                    let available = !self.fixed.get(prev_owner).copied().unwrap_or(true);
                    if available && consumer_size > self.size(prev_owner) + 1 {
                        self.reassign(gid, prev_owner);
                        performed = true;
                        modified = true;
                        continue;
                    }
                }

                // Otherwise to the least-loaded subscriber if some subscriber has 2+ fewer.
                let t = self.layout.topic(gid);
                let better_exists = self.consumers_of(t).iter().any(|&other| {
                    !self.fixed.get(other).copied().unwrap_or(true)
                        && consumer_size > self.size(other) + 1
                });
                if better_exists {
                    let target = self
                        .sorted
                        .iter()
                        .map(|&(_, r)| self.member_at(r))
                        .find(|&m| self.subscribes(m, t));
                    if let Some(new_consumer) = target {
                        self.reassign(gid, new_consumer);
                        performed = true;
                        modified = true;
                    }
                }
            }
            if !modified || self.budget == 0 {
                break;
            }
        }
        performed
    }

    /// `reassignPartition(partition, newConsumer)`: moves `gid`, or the partition whose move
    /// this undoes, to `new_consumer`.
    fn reassign(&mut self, gid: usize, new_consumer: usize) {
        let Some(consumer) = self.owner.get(gid).copied().flatten() else {
            return;
        };
        let to_move =
            self.movements
                .actual_partition_to_move(self.layout, gid, consumer, new_consumer);
        self.process_partition_movement(to_move, new_consumer);
    }

    /// `processPartitionMovement`.
    fn process_partition_movement(&mut self, gid: usize, new_consumer: usize) {
        let Some(old_consumer) = self.owner.get(gid).copied().flatten() else {
            return;
        };
        self.budget = self.budget.saturating_sub(1);
        let old_key = self.key(old_consumer);
        let new_key = self.key(new_consumer);
        self.sorted.remove(&old_key);
        self.sorted.remove(&new_key);

        self.movements
            .move_partition(self.layout, gid, old_consumer, new_consumer);

        if let Some(list) = self.current.get_mut(old_consumer) {
            list.retain(|&g| g != gid);
        }
        if let Some(list) = self.current.get_mut(new_consumer) {
            list.push(gid);
        }
        if let Some(slot) = self.owner.get_mut(gid) {
            *slot = Some(new_consumer);
        }
        self.sorted.insert(self.key(new_consumer));
        self.sorted.insert(self.key(old_consumer));
    }
}
