//! Partition reassignment, as the KRaft controller runs it (`ReplicationControlManager.
//! alterPartitionReassignment`, `PartitionReassignmentReplicas`, `PartitionReassignmentRevert`
//! and `PartitionChangeBuilder` in Kafka 4.1).
//!
//! A reassignment to target replicas `T` of a partition whose replicas are `C`:
//! 1. the replicas become `T` followed by the members of `C` not in `T`; `adding` is `T − C`,
//!    `removing` is `C − T`; the new replicas start empty and fetch from the leader;
//! 2. it completes as soon as every adding replica is in the ISR and the ISR keeps at least one
//!    replica of `T` (at once when nothing is added: a reordering, or only removals);
//! 3. on completion the removing replicas leave (replicas and ISR), the replicas take `T`'s
//!    order, and if the leader left, the first replica of `T` that is in sync and alive leads.
//!
//! A cancel (`None` target) reverts to the replicas before the reassignment: the current list
//! (in its current order) less the adding ones, which is refused when no reassignment is in progress or when no original replica is
//! in sync (that would need an unclean election, off by default).
//!
//! Invariants: `adding_replicas` and `removing_replicas` are empty unless a reassignment is in
//! progress; every adding or removing broker is also in `replicas`.

use crate::sim::cluster::Replica;
use crate::sim::error::SimError;
use crate::sim::trace::{Name, TraceKind};
use crate::sim::world::World;

impl World {
    /// `Admin.alterPartitionReassignments`: for each partition, a target replica list (a new
    /// reassignment, replacing one in progress) or `None` (cancel). Each partition gets its own
    /// result, as the controller answers per partition.
    pub(crate) fn alter_partition_reassignments_inner(
        &mut self,
        reassignments: &[(String, u32, Option<Vec<u32>>)],
    ) -> Vec<(String, u32, Option<SimError>)> {
        reassignments
            .iter()
            .map(|(topic, partition, target)| {
                let result = self.alter_reassignment(topic, *partition, target.as_deref());
                (topic.clone(), *partition, result.err())
            })
            .collect()
    }

    fn alter_reassignment(
        &mut self,
        topic: &str,
        partition: u32,
        target: Option<&[u32]>,
    ) -> Result<(), SimError> {
        let Some(name) = self.topic_name(topic) else {
            return Err(SimError::UnknownTopicOrPartition(format!(
                "Unable to find a topic named {topic}."
            )));
        };
        let exists = self
            .topics
            .get(&name)
            .is_some_and(|t| (partition as usize) < t.partitions.len());
        if !exists {
            return Err(SimError::UnknownTopicOrPartition(format!(
                "Unable to find partition {topic}:{partition}."
            )));
        }
        match target {
            Some(target) => self.start_reassignment(&name, partition, target),
            None => self.cancel_reassignment(&name, partition),
        }
    }

    fn start_reassignment(
        &mut self,
        topic: &Name,
        partition: u32,
        target: &[u32],
    ) -> Result<(), SimError> {
        if target.is_empty() {
            return Err(SimError::InvalidReplicaAssignment(
                "The manual partition assignment includes an empty replica list.".to_string(),
            ));
        }
        self.check_manual_replicas(target)?;
        let now = self.now_ms;
        let Some(p) = self.partition_mut(topic, partition) else {
            return Ok(());
        };
        let current = p.replica_brokers();
        let mut merged = target.to_vec();
        merged.extend(current.iter().filter(|b| !target.contains(b)));
        let adding: Vec<u32> = target
            .iter()
            .copied()
            .filter(|b| !current.contains(b))
            .collect();
        let removing: Vec<u32> = current
            .iter()
            .copied()
            .filter(|b| !target.contains(b))
            .collect();
        // A new replica holds nothing yet: it fetches from the log start.
        let log_start = p.log.log_start_offset();
        for broker in &adding {
            p.replicas.push(Replica {
                broker: *broker,
                log_end_offset: log_start,
                last_caught_up_ms: now,
            });
        }
        crate::sim::sort::sort_by_key(&mut p.replicas, |r| {
            merged.iter().position(|b| *b == r.broker)
        });
        p.adding_replicas = adding.clone();
        p.removing_replicas = removing;
        self.emit_replicas(topic, partition);
        if !self.try_complete_reassignment(topic, partition) {
            for follower in adding {
                self.schedule_follower_fetch(topic, partition, follower);
            }
        }
        Ok(())
    }

    fn cancel_reassignment(&mut self, topic: &Name, partition: u32) -> Result<(), SimError> {
        let Some(p) = self.partition_mut(topic, partition) else {
            return Ok(());
        };
        if !p.is_reassigning() {
            return Err(SimError::NoReassignmentInProgress(
                "No partition reassignment is in progress.".to_string(),
            ));
        }
        // A replica both added and removed (a reassignment replaced mid-way) stays.
        let adding: Vec<u32> = p
            .adding_replicas
            .iter()
            .copied()
            .filter(|b| !p.removing_replicas.contains(b))
            .collect();
        let isr: Vec<u32> = p
            .isr
            .iter()
            .copied()
            .filter(|b| !adding.contains(b))
            .collect();
        if isr.is_empty() {
            return Err(SimError::InvalidReplicaAssignment(format!(
                "Unable to revert partition assignment for {topic}:{partition} because it would require an unclean leader election."
            )));
        }
        self.settle(topic, partition, &adding, isr);
        Ok(())
    }

    /// Completes the partition's reassignment if its ISR allows (see the module doc). Returns
    /// whether no reassignment is left in progress.
    pub(crate) fn try_complete_reassignment(&mut self, topic: &Name, partition: u32) -> bool {
        let Some(p) = self.partition_mut(topic, partition) else {
            return true;
        };
        if !p.is_reassigning() {
            return true;
        }
        let removing = p.removing_replicas.clone();
        let isr: Vec<u32> = p
            .isr
            .iter()
            .copied()
            .filter(|b| !removing.contains(b))
            .collect();
        if isr.is_empty() || !p.adding_replicas.iter().all(|b| isr.contains(b)) {
            return false;
        }
        self.settle(topic, partition, &removing, isr);
        true
    }

    /// Ends a reassignment (completed or cancelled): the `leaving` replicas go, the ISR becomes
    /// `isr`, and a leader that is no longer in sync hands over to the first in-sync live
    /// replica.
    fn settle(&mut self, topic: &Name, partition: u32, leaving: &[u32], isr: Vec<u32>) {
        let Some(p) = self.partition_mut(topic, partition) else {
            return;
        };
        p.replicas.retain(|r| !leaving.contains(&r.broker));
        let isr_changed = isr != p.isr;
        p.isr = isr;
        p.adding_replicas.clear();
        p.removing_replicas.clear();
        let leader_left = p.leader.is_none_or(|l| !p.isr.contains(&l));
        self.emit_replicas(topic, partition);
        if isr_changed {
            self.emit_isr(topic, partition);
        }
        if leader_left {
            self.elect(topic, partition);
        }
        self.update_high_watermark(topic, partition);
    }

    fn emit_replicas(&mut self, topic: &Name, partition: u32) {
        let Some(p) = self
            .topics
            .get(topic)
            .and_then(|t| t.partitions.get(partition as usize))
        else {
            return;
        };
        let kind = TraceKind::ReplicasChanged {
            topic: topic.clone(),
            partition,
            replicas: p.replica_brokers(),
            adding: p.adding_replicas.clone(),
            removing: p.removing_replicas.clone(),
        };
        self.emit(kind);
    }
}
