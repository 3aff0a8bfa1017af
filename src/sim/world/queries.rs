//! Read-only queries the console needs and the rest of the `World` API does not offer.
//!
//! Nothing here changes the world or draws from its RNG: the console's own randomness
//! (`kafka-storage.sh random-uuid`, the console consumer's group number) comes from an RNG the
//! console owns, so typing those commands never shifts what the world draws next and a
//! recorded scenario still replays exactly.

use crate::sim::command::OffsetTarget;
use crate::sim::error::SimError;
use crate::sim::group::GroupState;
use crate::sim::rng::Rng;
use crate::sim::world::{Due, World};

impl World {
    /// A random UUID as Kafka prints one (22 URL-safe base64 characters), drawn from `rng`,
    /// which the caller owns (never the world's RNG).
    pub fn random_uuid(rng: &mut Rng) -> String {
        super::admin::random_uuid_base64(rng)
    }

    /// Whether nothing is on its way: no producer batch lingering or travelling, no replica
    /// fetch, consumer fetch, group request or offset commit in flight, and no group in the
    /// middle of a rebalance. Periodic timers (heartbeats, polls of idle consumers, the ISR,
    /// retention and cleaner checks) do not count.
    pub fn is_settled(&self) -> bool {
        let busy_queue = self.queue.iter().map(|s| &s.due).any(|due| {
            matches!(
                due,
                Due::Linger { .. }
                    | Due::ProduceArrives { .. }
                    | Due::ProduceRetry { .. }
                    | Due::FollowerFetch { .. }
                    | Due::FetchArrives { .. }
                    | Due::JoinArrives { .. }
                    | Due::JoinResponse { .. }
                    | Due::SyncArrives { .. }
                    | Due::SyncResponse { .. }
                    | Due::SyncRejected { .. }
                    | Due::CommitArrives { .. }
            )
        });
        let rebalancing = self.groups.values().any(|g| {
            !g.members.is_empty()
                && matches!(
                    g.state,
                    GroupState::PreparingRebalance | GroupState::CompletingRebalance
                )
        });
        !busy_queue && !rebalancing
    }

    /// The offsets `kafka-consumer-groups.sh --reset-offsets --dry-run` would set, without
    /// setting them: the same checks and results as [`Command::ResetOffsets`].
    ///
    /// [`Command::ResetOffsets`]: crate::sim::command::Command::ResetOffsets
    pub fn preview_offset_reset(
        &mut self,
        group: &str,
        topic: Option<&str>,
        partitions: Option<&[u32]>,
        target: &OffsetTarget,
    ) -> Result<Vec<(String, u32, u64)>, SimError> {
        // With `execute` false the engine only computes: nothing is written.
        self.reset_offsets_inner(group, topic, partitions, target, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_world_is_settled_and_a_produce_is_not() {
        let mut world = World::new(3);
        assert!(world.is_settled());
        world.create_topic("t", 1, 1).expect("create");
        let producer = world.add_producer().expect("producer");
        world.produce(producer, "t", None, "v").expect("produce");
        assert!(!world.is_settled());
        world.advance(2_000).expect("advance");
        assert!(world.is_settled());
    }

    #[test]
    fn uuids_come_from_the_callers_rng() {
        let world = World::new(3);
        let before = world.clone();
        let mut rng = Rng::new(9);
        assert_eq!(World::random_uuid(&mut rng).len(), 22);
        assert_eq!(world.cluster_id(), before.cluster_id());
    }
}
