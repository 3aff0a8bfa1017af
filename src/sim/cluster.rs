//! The cluster's state: brokers, topics, partitions and their replicas.
//!
//! KRaft style: there is no ZooKeeper; the controller's decisions (replica placement, leader
//! election, ISR changes) are made by [`World`](crate::sim::World) methods that call the pure
//! helpers here. All replicas of a partition share one [`PartitionLog`]: since the simulation
//! never elects an unclean leader, every replica's log is a prefix of the leader's, so a replica
//! is fully described by its log-end offset. When a new leader takes over, the shared log is
//! truncated to the new leader's log-end offset, exactly what the old leader and the other
//! followers would do when they next fetch from it.

use std::collections::BTreeMap;

use crate::sim::log::PartitionLog;
use crate::sim::validate::TopicConfig;

/// The simulation's bounds (each refusal names the bound).
pub const MAX_BROKERS: u32 = 9;
/// Partitions per topic.
pub const MAX_PARTITIONS: u32 = 64;
/// Topics in the cluster, internal ones included.
pub const MAX_TOPICS: u32 = 64;

/// A broker (a KRaft node with the broker role).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broker {
    /// `node.id`.
    pub id: u32,
    /// Whether it is up and registered with the controller.
    pub running: bool,
}

/// One replica of a partition, on one broker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replica {
    /// The broker holding it.
    pub broker: u32,
    /// The next offset this replica will write: it holds `log_start..log_end_offset`.
    pub log_end_offset: u64,
    /// When this follower last caught up with the leader's log end (for `replica.lag.time.max.ms`).
    pub last_caught_up_ms: u64,
}

/// A partition: its replicas (in assignment order, the first being the preferred leader), its
/// leader, its ISR and its log.
#[derive(Clone, Debug)]
pub struct Partition {
    /// Partition number within the topic.
    pub id: u32,
    /// Replicas in assignment order.
    pub replicas: Vec<Replica>,
    /// The current leader, or `None` when the partition is offline.
    pub leader: Option<u32>,
    /// Bumped at every leader change.
    pub leader_epoch: u32,
    /// In-sync replicas (broker ids, in assignment order).
    pub isr: Vec<u32>,
    /// Records below it are replicated to the whole ISR and visible to consumers.
    pub high_watermark: u64,
    /// The log all replicas share (see the module doc).
    pub log: PartitionLog,
    /// During a reassignment, the replicas being added (listed in `replicas`, not yet in the
    /// ISR when they start); empty otherwise.
    pub adding_replicas: Vec<u32>,
    /// During a reassignment, the replicas that leave when it completes (still in `replicas`
    /// until then); empty otherwise.
    pub removing_replicas: Vec<u32>,
}

impl Partition {
    /// The replica on `broker`, if it holds one.
    pub fn replica(&self, broker: u32) -> Option<&Replica> {
        self.replicas.iter().find(|r| r.broker == broker)
    }

    /// The replica on `broker`, mutably.
    pub fn replica_mut(&mut self, broker: u32) -> Option<&mut Replica> {
        self.replicas.iter_mut().find(|r| r.broker == broker)
    }

    /// Broker ids of the replicas, in assignment order.
    pub fn replica_brokers(&self) -> Vec<u32> {
        self.replicas.iter().map(|r| r.broker).collect()
    }

    /// Whether fewer replicas are in sync than assigned (replicas a reassignment is adding do
    /// not count, as in `TopicCommand`'s `getReplicationFactor`).
    pub fn is_under_replicated(&self) -> bool {
        self.isr.len()
            < self
                .replicas
                .len()
                .saturating_sub(self.adding_replicas.len())
    }

    /// Whether a reassignment is in progress (KRaft's `isReassignmentInProgress`).
    pub fn is_reassigning(&self) -> bool {
        !self.adding_replicas.is_empty() || !self.removing_replicas.is_empty()
    }

    /// The replicas the partition will have once its reassignment completes (its replicas
    /// when none is in progress).
    pub fn target_replicas(&self) -> Vec<u32> {
        self.replicas
            .iter()
            .map(|r| r.broker)
            .filter(|b| !self.removing_replicas.contains(b))
            .collect()
    }

    /// Whether no leader is available.
    pub fn is_offline(&self) -> bool {
        self.leader.is_none()
    }

    /// The high watermark the ISR supports: the smallest log-end offset among in-sync replicas.
    pub fn isr_min_log_end(&self) -> u64 {
        self.replicas
            .iter()
            .filter(|r| self.isr.contains(&r.broker))
            .map(|r| r.log_end_offset)
            .min()
            .unwrap_or(self.high_watermark)
    }
}

/// A topic.
#[derive(Clone, Debug)]
pub struct Topic {
    /// Its name.
    pub name: crate::sim::trace::Name,
    /// Kafka's topic id (a base64 UUID), drawn from the world's RNG.
    pub topic_id: String,
    /// Its partitions, numbered from 0.
    pub partitions: Vec<Partition>,
    /// Its effective configuration.
    pub config: TopicConfig,
    /// Configs set explicitly on this topic (what `--describe` lists), in key order.
    pub overrides: BTreeMap<String, String>,
    /// Whether Kafka treats it as internal (`__consumer_offsets`).
    pub internal: bool,
}

impl Topic {
    /// The replication factor: the first partition's replicas, less those a reassignment is
    /// adding (Kafka's `TopicCommand.getReplicationFactor`).
    pub fn replication_factor(&self) -> u32 {
        self.partitions.first().map_or(0, |p| {
            (p.replicas.len() as u32).saturating_sub(p.adding_replicas.len() as u32)
        })
    }

    /// Number of partitions.
    pub fn partition_count(&self) -> u32 {
        self.partitions.len() as u32
    }
}

/// Places `replication_factor` replicas of partitions `first..first + count` on `brokers` (sorted
/// ids), as Kafka places them without racks: the first replica of partition p goes to broker
/// `(start + p) mod n`, the others follow at a shift that grows each time the partitions wrap
/// around the brokers. `start` and `shift` are drawn by the caller from the world's RNG, as
/// Kafka draws them at random.
pub fn place_replicas(
    brokers: &[u32],
    first: u32,
    count: u32,
    replication_factor: u32,
    start: u32,
    shift: u32,
) -> Vec<Vec<u32>> {
    let n = brokers.len() as u32;
    if n == 0 {
        return Vec::new();
    }
    let mut placement = Vec::with_capacity(count as usize);
    let mut next_shift = shift;
    for p in first..first.saturating_add(count) {
        // Kafka moves the followers one step further each time the partitions wrap the brokers.
        if p > 0 && p % n == 0 {
            next_shift += 1;
        }
        let first_index = (start + p) % n;
        let mut replicas = vec![brokers[first_index as usize]];
        for j in 0..replication_factor.saturating_sub(1).min(n - 1) {
            let step = 1 + (next_shift + j) % (n - 1);
            replicas.push(brokers[((first_index + step) % n) as usize]);
        }
        placement.push(replicas);
    }
    placement
}

/// Kafka's offline-partition election without unclean election: the first replica in
/// assignment order that is alive and in the ISR.
pub fn elect_leader(replicas: &[u32], isr: &[u32], alive: impl Fn(u32) -> bool) -> Option<u32> {
    replicas
        .iter()
        .copied()
        .find(|b| isr.contains(b) && alive(*b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placement_spreads_leaders_and_never_repeats_a_broker() {
        let brokers = [1, 2, 3];
        let placed = place_replicas(&brokers, 0, 6, 3, 0, 0);
        assert_eq!(placed.len(), 6);
        for replicas in &placed {
            let mut sorted = replicas.clone();
            crate::sim::sort::sort(&mut sorted);
            sorted.dedup();
            assert_eq!(sorted.len(), 3, "{replicas:?}");
        }
        let leaders: Vec<u32> = placed.iter().map(|r| r[0]).collect();
        assert_eq!(leaders, [1, 2, 3, 1, 2, 3]);
    }

    #[test]
    fn placement_on_one_broker() {
        assert_eq!(
            place_replicas(&[1], 0, 3, 1, 5, 7),
            vec![vec![1], vec![1], vec![1]]
        );
        assert!(place_replicas(&[], 0, 3, 1, 0, 0).is_empty());
    }

    #[test]
    fn election_takes_the_first_live_isr_replica() {
        assert_eq!(elect_leader(&[2, 3, 1], &[3, 1], |_| true), Some(3));
        assert_eq!(elect_leader(&[2, 3, 1], &[3, 1], |b| b != 3), Some(1));
        assert_eq!(elect_leader(&[2, 3, 1], &[2], |b| b != 2), None);
    }
}
