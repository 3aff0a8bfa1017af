//! `RoundRobinAssignor`: every partition of every subscribed topic, topics in Java `String`
//! order and partitions in number order, is dealt to the members in `MemberInfo` order, one
//! each, skipping members not subscribed to the partition's topic.
//!
//! With identical subscriptions the counts differ by at most one; with different subscriptions
//! the skipping can leave the result unbalanced, exactly as in Kafka.

use super::{Group, Slot};

/// Round-robin assignment for every member of `group` (indexed like `group.members`).
pub(super) fn assign(group: &Group<'_>) -> Vec<Vec<Slot>> {
    let mut out: Vec<Vec<Slot>> = vec![Vec::new(); group.members.len()];
    let order = group.member_info_order();
    if order.is_empty() {
        return out;
    }
    // The CircularIterator's position: the member `peek()` would return.
    let mut cursor = 0usize;
    for t in 0..group.topics.len() {
        for p in 0..group.count(t) {
            // Skip members not subscribed to `t`. Some member is (the group only lists
            // subscribed topics), so one lap is enough; the bound keeps that obvious.
            let mut found = None;
            for _ in 0..order.len() {
                let m = order.get(cursor).copied();
                cursor = (cursor + 1) % order.len();
                if let Some(m) = m.filter(|&m| group.subscribes(m, t)) {
                    found = Some(m);
                    break;
                }
            }
            if let Some(list) = found.and_then(|m| out.get_mut(m)) {
                list.push((t, p));
            }
        }
    }
    out
}
