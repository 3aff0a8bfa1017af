//! Default `client.id`s, numbered as Kafka's clients number them.
//!
//! Kafka 4.1.1: `ProducerConfig.maybeOverrideClientId` names a producer without a `client.id`
//! `producer-<n>` from `PRODUCER_CLIENT_ID_SEQUENCE`, and `ConsumerConfig.maybeOverrideClientId`
//! names a consumer `consumer-<group.id>-<n>` from `CONSUMER_CLIENT_ID_SEQUENCE` (a null group
//! prints as `null`). Each sequence is a static `AtomicInteger` starting at 1: one per JVM,
//! producers and consumers counted apart.
//!
//! The simulated world is not one JVM. Its producers share one sequence (as the producers of one
//! application would), and each consumer group stands for one application (one JVM running
//! that group's consumers), so consumers are counted per group: `consumer-billing-1`,
//! `consumer-billing-2`, `consumer-shipping-1`. A consumer that leaves and comes back is a new
//! `KafkaConsumer` in the same JVM, so the count goes on (`consumer-billing-3`). Tools that run
//! in a JVM of their own (`kafka-console-consumer.sh`) set their client.id themselves.
//!
//! Invariant: numbers are never reused within a group while its counter is kept; at most
//! [`GROUPS_MAX`] counters are kept (the smallest group name is forgotten first, so a group
//! that comes back after that starts at 1 again, as a restarted application would).

use crate::sim::trace::Name;
use crate::sim::vecmap::VecMap;

/// How many groups' consumer counters are kept at most.
pub const GROUPS_MAX: usize = 1_024;

/// The world's `client.id` sequences.
#[derive(Clone, Debug, Default)]
pub struct ClientNames {
    /// The last producer number handed out (0: none yet).
    producers: u32,
    /// The last consumer number handed out, per group (`None`: consumers without a group).
    consumers: VecMap<Option<Name>, u32>,
}

impl ClientNames {
    /// The next producer's default `client.id`: `producer-<n>`.
    pub fn next_producer(&mut self) -> String {
        self.producers = self.producers.saturating_add(1);
        format!("producer-{}", self.producers)
    }

    /// The next default `client.id` of a consumer in `group`: `consumer-<group>-<n>`, or
    /// `consumer-null-<n>` without a group.
    pub fn next_consumer(&mut self, group: Option<&str>) -> String {
        let key: Option<Name> = group.map(Name::from);
        if !self.consumers.contains_key(&key) && self.consumers.len() >= GROUPS_MAX {
            let _ = self.consumers.pop_first();
        }
        let n = match self.consumers.get_mut(&key) {
            Some(n) => {
                *n = n.saturating_add(1);
                *n
            }
            None => {
                self.consumers.insert(key, 1);
                1
            }
        };
        format!("consumer-{}-{n}", group.unwrap_or("null"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn producers_and_each_group_count_from_one() {
        let mut names = ClientNames::default();
        assert_eq!(names.next_consumer(Some("billing")), "consumer-billing-1");
        assert_eq!(names.next_producer(), "producer-1");
        assert_eq!(names.next_consumer(Some("billing")), "consumer-billing-2");
        assert_eq!(names.next_consumer(Some("shipping")), "consumer-shipping-1");
        assert_eq!(names.next_consumer(None), "consumer-null-1");
        assert_eq!(names.next_producer(), "producer-2");
        assert_eq!(names.next_consumer(Some("billing")), "consumer-billing-3");
    }

    #[test]
    fn the_counters_are_bounded() {
        let mut names = ClientNames::default();
        for g in 0..GROUPS_MAX + 10 {
            names.next_consumer(Some(&format!("g{g}")));
        }
        assert!(names.consumers.len() <= GROUPS_MAX);
    }
}
