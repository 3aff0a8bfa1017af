//! `AbstractStickyAssignor` (shared by `StickyAssignor` and `CooperativeStickyAssignor`) without
//! racks: the owned-partition bookkeeping, the "constrained" algorithm used when every member
//! subscribes to the same topics, and the cooperative adjustment. The "general" algorithm for
//! differing subscriptions is in [`general`].
//!
//! Partitions are numbered densely here (`gid`): topic by topic in Java topic-name order, then by
//! partition number, so ascending `gid` is Kafka's "sorted by topic, then partition". Members are
//! indexed in the Java `HashMap` iteration order of the leader's subscription map, which is the
//! order Kafka walks them; `rank` gives their Java `String` order for the sorted structures.
//!
//! Invariants of the result: each partition is assigned to at most one member; the eager result
//! assigns every partition of every subscribed topic; the cooperative one withholds exactly the
//! partitions Kafka records as "transferring ownership".

mod general;

use super::{Group, Slot, java};

/// Dense partition numbering for the group's topics.
struct Layout {
    /// First `gid` of each topic.
    offsets: Vec<usize>,
    /// Topic index of each `gid`.
    topic_of: Vec<usize>,
    /// Partition number of each `gid`.
    partition_of: Vec<u32>,
    /// Java `TopicPartition.hashCode()` of each `gid`.
    hash_of: Vec<i32>,
}

impl Layout {
    fn new(group: &Group<'_>) -> Self {
        let mut offsets = Vec::with_capacity(group.topics.len());
        let mut topic_of = Vec::new();
        let mut partition_of = Vec::new();
        let mut hash_of = Vec::new();
        for (t, name) in group.topics.iter().enumerate() {
            offsets.push(topic_of.len());
            let topic_hash = java::string_hash(name);
            for p in 0..group.count(t) {
                topic_of.push(t);
                partition_of.push(p);
                hash_of.push(java::topic_partition_hash(topic_hash, p));
            }
        }
        Layout {
            offsets,
            topic_of,
            partition_of,
            hash_of,
        }
    }

    /// How many partitions the group's topics have together.
    fn total(&self) -> usize {
        self.topic_of.len()
    }

    /// The `gid`s of topic `t`.
    fn range(&self, t: usize) -> std::ops::Range<usize> {
        let start = self.offsets.get(t).copied().unwrap_or(0);
        let end = self.offsets.get(t + 1).copied().unwrap_or(self.total());
        start..end
    }

    fn topic(&self, gid: usize) -> usize {
        self.topic_of.get(gid).copied().unwrap_or(0)
    }

    fn partition(&self, gid: usize) -> u32 {
        self.partition_of.get(gid).copied().unwrap_or(0)
    }

    fn hash(&self, gid: usize) -> i32 {
        self.hash_of.get(gid).copied().unwrap_or(0)
    }

    /// The `gid` of (`topic`, `partition`) if that partition exists.
    fn gid(&self, topic: usize, partition: u32) -> Option<usize> {
        let range = self.range(topic);
        let gid = range.start.checked_add(usize::try_from(partition).ok()?)?;
        range.contains(&gid).then_some(gid)
    }

    fn slot(&self, gid: usize) -> Slot {
        (self.topic(gid), self.partition(gid))
    }
}

/// What `allSubscriptionsEqual` computes besides its answer.
struct OwnedState {
    /// Whether every member's subscription (unknown topics included) is the same.
    all_equal: bool,
    /// Each member's owned partitions it may keep after ownership conflicts are settled
    /// (`consumerToOwnedPartitions`), in the order the member listed them.
    owned: Vec<Vec<usize>>,
    /// Partitions two members of the same generation both claimed.
    multiple_owners: Vec<bool>,
    /// The highest generation any member reported (`DEFAULT_GENERATION` = -1 if none).
    max_generation: i32,
}

/// `DEFAULT_GENERATION`.
const DEFAULT_GENERATION: i32 = -1;

/// Each member's owned partitions that exist in the group's topics, repeats dropped, in the
/// member's order. Kafka only drops partitions of topics outside the group; partitions beyond a
/// topic's count cannot be owned in a real cluster, so dropping them changes nothing real.
fn sanitized_owned(group: &Group<'_>, layout: &Layout) -> Vec<Vec<usize>> {
    group
        .members
        .iter()
        .map(|member| {
            let mut seen = vec![false; layout.total()];
            member
                .sub
                .owned_partitions
                .iter()
                .filter_map(|tp| {
                    let t = group.topics.iter().position(|name| *name == tp.topic)?;
                    layout.gid(t, tp.partition)
                })
                .filter(|&gid| match seen.get_mut(gid) {
                    Some(flag) if !*flag => {
                        *flag = true;
                        true
                    }
                    _ => false,
                })
                .collect()
        })
        .collect()
}

/// `allSubscriptionsEqual`: walks the members in Kafka's order, compares subscriptions and
/// settles which member keeps each previously owned partition (the higher generation wins; two
/// claims of the same generation invalidate the partition for both).
fn settle_ownership(group: &Group<'_>, layout: &Layout, owned_raw: &[Vec<usize>]) -> OwnedState {
    let mut all_equal = true;
    let mut subscribed: crate::sim::vecmap::VecSet<&str> = crate::sim::vecmap::VecSet::new();
    let mut owned: Vec<Vec<usize>> = vec![Vec::new(); group.members.len()];
    let mut multiple_owners = vec![false; layout.total()];
    let mut previous_owner: Vec<Option<usize>> = vec![None; layout.total()];
    let mut max_generation = DEFAULT_GENERATION;
    let generation_of = |m: usize| {
        group
            .members
            .get(m)
            .and_then(|member| member.sub.generation)
            .unwrap_or(DEFAULT_GENERATION)
    };

    for (m, member) in group.members.iter().enumerate() {
        // The first non-empty subscription seen is the reference (an empty one leaves the set
        // empty, so the next member's becomes the reference: Kafka's behaviour).
        if subscribed.is_empty() {
            subscribed.extend(member.topics.iter().copied());
        } else if all_equal
            && !(member.topics.len() == subscribed.len()
                && member.topics.iter().all(|t| subscribed.contains(t)))
        {
            all_equal = false;
        }

        let generation = generation_of(m);
        max_generation = max_generation.max(generation);

        for &gid in owned_raw.get(m).map(Vec::as_slice).unwrap_or(&[]) {
            let Some(slot) = previous_owner.get_mut(gid) else {
                continue;
            };
            match *slot {
                None => {
                    *slot = Some(m);
                    if let Some(list) = owned.get_mut(m) {
                        list.push(gid);
                    }
                }
                Some(other) => {
                    let other_generation = generation_of(other);
                    if generation >= other_generation {
                        if generation == other_generation {
                            if let Some(flag) = multiple_owners.get_mut(gid) {
                                *flag = true;
                            }
                        } else if let Some(list) = owned.get_mut(m) {
                            list.push(gid);
                        }
                        if let Some(list) = owned.get_mut(other) {
                            list.retain(|&g| g != gid);
                        }
                        *slot = Some(m);
                    }
                    // An older generation than the current claimant: the claim is ignored.
                }
            }
        }
    }
    OwnedState {
        all_equal,
        owned,
        multiple_owners,
        max_generation,
    }
}

/// Runs the sticky (`cooperative` false) or cooperative-sticky assignor over `group`.
pub(super) fn assign(group: &Group<'_>, cooperative: bool) -> Vec<Vec<Slot>> {
    let n = group.members.len();
    if n == 0 {
        return Vec::new();
    }
    let layout = Layout::new(group);
    let owned_raw = sanitized_owned(group, &layout);
    let state = settle_ownership(group, &layout, &owned_raw);

    let (mut assignment, transferring) = if state.all_equal {
        let (assignment, transferring) = constrained(group, &layout, &state);
        (assignment, Some(transferring))
    } else {
        (general::assign(group, &layout, &owned_raw, state), None)
    };

    if cooperative {
        let transferring = transferring
            .unwrap_or_else(|| partitions_changing_owner(&layout, &owned_raw, &assignment));
        for (gid, new_owner) in transferring.into_iter().enumerate() {
            if let Some(list) = new_owner.and_then(|m| assignment.get_mut(m)) {
                list.retain(|&g| g != gid);
            }
        }
    }

    assignment
        .into_iter()
        .map(|list| list.into_iter().map(|gid| layout.slot(gid)).collect())
        .collect()
}

/// `computePartitionsTransferringOwnership`: partitions newly assigned to a member that another
/// member owned (per its subscription's `ownedPartitions`) and no longer gets, mapped to the new
/// owner (indexed by `gid`).
fn partitions_changing_owner(
    layout: &Layout,
    owned_raw: &[Vec<usize>],
    assignment: &[Vec<usize>],
) -> Vec<Option<usize>> {
    let mut added: Vec<Option<usize>> = vec![None; layout.total()];
    let mut revoked = vec![false; layout.total()];
    let mut is_owned = vec![false; layout.total()];
    let mut is_assigned = vec![false; layout.total()];
    for (m, assigned) in assignment.iter().enumerate() {
        let owned = owned_raw.get(m).map(Vec::as_slice).unwrap_or(&[]);
        for &gid in owned {
            if let Some(flag) = is_owned.get_mut(gid) {
                *flag = true;
            }
        }
        for &gid in assigned {
            if let Some(flag) = is_assigned.get_mut(gid) {
                *flag = true;
            }
        }
        for &gid in assigned {
            if !is_owned.get(gid).copied().unwrap_or(false)
                && let Some(slot) = added.get_mut(gid)
            {
                *slot = Some(m);
            }
        }
        for &gid in owned {
            if !is_assigned.get(gid).copied().unwrap_or(false)
                && let Some(flag) = revoked.get_mut(gid)
            {
                *flag = true;
            }
        }
        // Reset the per-member marks.
        for &gid in owned.iter().chain(assigned) {
            if let Some(flag) = is_owned.get_mut(gid) {
                *flag = false;
            }
            if let Some(flag) = is_assigned.get_mut(gid) {
                *flag = false;
            }
        }
    }
    added
        .into_iter()
        .zip(revoked)
        .map(|(member, was_revoked)| member.filter(|_| was_revoked))
        .collect()
}

/// `ConstrainedAssignmentBuilder.build()`: keep owned partitions up to the quota, then deal the
/// rest round robin to members still under it. Returns the assignment and, by `gid`, the new
/// owner of each partition that was revoked from (or multiply claimed by) others.
fn constrained(
    group: &Group<'_>,
    layout: &Layout,
    state: &OwnedState,
) -> (Vec<Vec<usize>>, Vec<Option<usize>>) {
    let n = group.members.len();
    let total = layout.total();
    let min_quota = total / n;
    let max_quota = total.div_ceil(n);
    let expected_over_min = total % n;
    let mut current_over_min = 0usize;

    let rank = java_rank(group);
    let rank_of = |m: usize| rank.get(m).copied().unwrap_or(usize::MAX);

    let mut assignment: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut assigned = vec![false; total];
    // maybeRevokedPartitions: owned partitions beyond the quota, by the member that gave them up.
    let mut revoked_from: Vec<Option<usize>> = vec![None; total];
    let mut under_min: Vec<usize> = Vec::new();
    let mut exactly_min: Vec<usize> = Vec::new();

    // assignOwnedPartitions, members in HashMap order.
    for (m, owned) in state.owned.iter().enumerate() {
        let mut owned: Vec<usize> = owned
            .iter()
            .copied()
            .filter(|&gid| !state.multiple_owners.get(gid).copied().unwrap_or(false))
            .collect();
        // By partition number, then topic.
        crate::sim::sort::sort_by_key(&mut owned, |&gid| {
            (layout.partition(gid), layout.topic(gid))
        });

        let keep = if owned.len() < min_quota {
            under_min.push(m);
            owned.len()
        } else if owned.len() >= max_quota && current_over_min < expected_over_min {
            current_over_min += 1;
            if current_over_min == expected_over_min {
                exactly_min.clear();
            }
            max_quota
        } else {
            if current_over_min < expected_over_min {
                exactly_min.push(m);
            }
            min_quota
        };
        for (i, &gid) in owned.iter().enumerate() {
            if i < keep {
                if let Some(list) = assignment.get_mut(m) {
                    list.push(gid);
                }
                if let Some(flag) = assigned.get_mut(gid) {
                    *flag = true;
                }
            } else if let Some(slot) = revoked_from.get_mut(gid) {
                *slot = Some(m);
            }
        }
    }

    let unassigned: Vec<usize> = (0..total)
        .filter(|&gid| !assigned.get(gid).copied().unwrap_or(true))
        .collect();
    crate::sim::sort::sort_by_key(&mut under_min, |&m| rank_of(m));
    crate::sim::sort::sort_by_key(&mut exactly_min, |&m| rank_of(m));
    let mut exactly_min: std::collections::VecDeque<usize> = exactly_min.into();

    // assignRoundRobin: a LinkedList iterator over `under_min` that restarts when exhausted.
    let mut transferring: Vec<Option<usize>> = vec![None; total];
    let mut cursor = 0usize;
    for gid in unassigned {
        let consumer = if let Some(&m) = under_min.get(cursor) {
            cursor += 1;
            m
        } else if under_min.is_empty() {
            match exactly_min.pop_front() {
                Some(m) => m,
                // Kafka throws IllegalStateException here; the quotas make it unreachable.
                None => break,
            }
        } else {
            cursor = 1;
            match under_min.first() {
                Some(&m) => m,
                None => break,
            }
        };

        let count = match assignment.get_mut(consumer) {
            Some(list) => {
                list.push(gid);
                list.len()
            }
            None => continue,
        };
        // Transferring: given up by another member (a member may get back what it gave up), or
        // claimed by several.
        let revoked_by_other = revoked_from
            .get(gid)
            .copied()
            .flatten()
            .is_some_and(|previous| previous != consumer);
        let multiply_claimed = state.multiple_owners.get(gid).copied().unwrap_or(false);
        if (revoked_by_other || multiply_claimed)
            && let Some(slot) = transferring.get_mut(gid)
        {
            *slot = Some(consumer);
        }

        if count == min_quota {
            // unfilledConsumerIter.remove(): the consumer came from `under_min`.
            if cursor > 0 && under_min.get(cursor - 1) == Some(&consumer) {
                cursor -= 1;
                under_min.remove(cursor);
            }
            exactly_min.push_back(consumer);
        }
    }
    (assignment, transferring)
}

/// Each member's position in Java `String` order of member ids.
fn java_rank(group: &Group<'_>) -> Vec<usize> {
    let mut by_name: Vec<usize> = (0..group.members.len()).collect();
    crate::sim::sort::sort_by(&mut by_name, |&a, &b| {
        match (group.members.get(a), group.members.get(b)) {
            (Some(a), Some(b)) => java::cmp_str(a.id, b.id),
            _ => std::cmp::Ordering::Equal,
        }
    });
    let mut rank = vec![0; group.members.len()];
    for (r, &m) in by_name.iter().enumerate() {
        if let Some(slot) = rank.get_mut(m) {
            *slot = r;
        }
    }
    rank
}
