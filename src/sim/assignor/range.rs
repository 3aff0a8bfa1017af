//! `RangeAssignor` without racks: topic by topic, the subscribers in `MemberInfo` order take
//! consecutive ranges of `partitions / subscribers` partitions, the first
//! `partitions % subscribers` of them one more.
//!
//! Because every topic is split the same way over the same ordered subscribers, topics with equal
//! partition counts and subscribers are co-partitioned (partition `i` of each goes to the same
//! member). Topics are independent, so the result does not depend on topic order.

use super::{Group, Slot};

/// Range assignment for every member of `group` (indexed like `group.members`).
pub(super) fn assign(group: &Group<'_>) -> Vec<Vec<Slot>> {
    let mut out: Vec<Vec<Slot>> = vec![Vec::new(); group.members.len()];
    let order = group.member_info_order();
    for t in 0..group.topics.len() {
        let consumers: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&m| group.subscribes(m, t))
            .collect();
        let Ok(n) = u32::try_from(consumers.len()) else {
            continue;
        };
        if n == 0 {
            continue;
        }
        let count = group.count(t);
        let per_consumer = count / n;
        let with_extra = count % n;
        let mut next = 0u32;
        for (i, &m) in consumers.iter().enumerate() {
            let first_ones = u32::try_from(i).is_ok_and(|i| i < with_extra);
            let length = per_consumer + u32::from(first_ones);
            if let Some(list) = out.get_mut(m) {
                list.extend((next..next + length).map(|p| (t, p)));
            }
            next += length;
        }
    }
    out
}
