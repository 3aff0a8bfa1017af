//! The comparison's event side on the engine's broker: the topic, the front's producer, one
//! consumer group per downstream service, and the glue that turns the front's "write the
//! event" call into a produce and its acknowledgement back into an answer.
//!
//! Invariants: everything goes through `World`'s public API (commands are recorded like any
//! other, the world's history is bounded); a write's answer is matched to its produce through
//! the producer's per-partition order (Kafka acknowledges a partition's batches in order);
//! every new group gets committed offsets before its consumer starts (`--reset-offsets` to
//! earliest or latest), so a consumer that comes back always resumes from a committed offset.

use crate::sim::client::{ConsumerConfig, OffsetReset, ProducerConfig};
use crate::sim::command::{Command, NewRecord, OffsetTarget, Outcome, Subscription};
use crate::sim::compare::{Comparison, ComparisonConfig, Preset, StartFrom, TOPIC_CHANNEL};
use crate::sim::error::SimError;
use crate::sim::soa::Health;
use crate::sim::trace::{TraceEvent, TraceKind};
use crate::sim::world::{World, WorldConfig};

/// `fetch.max.wait.ms` of the downstream consumers: Kafka's default.
const FETCH_MAX_WAIT_MS: u64 = 500;

/// Writes waiting for an ack, per partition, at most (the oldest is forgotten; its call has
/// timed out long before).
const MAX_AWAITING: usize = 20_000;

/// The broker with the topic and the front's producer; returns the world and the producer id.
pub(super) fn build_world(
    seed: u64,
    preset: &Preset,
    config: &ComparisonConfig,
) -> Result<(World, u32), SimError> {
    let world_config = WorldConfig {
        latency_ms_min: u64::from(config.network_ms_min),
        latency_ms_max: u64::from(config.network_ms_max),
        // A downstream service that comes back should start at once, not after Kafka's
        // 3-second wait for more members (the setting test clusters use).
        group_initial_rebalance_delay_ms: 0,
        trace_capacity: 4_000,
        max_records_per_partition: config.max_records_per_partition,
        // The comparison records its own controls; the world need not keep every produce.
        history_capacity: 1_024,
        ..WorldConfig::default()
    };
    let mut world = World::with_config(seed, world_config);
    world.create_topic(&preset.topic, config.partitions, 1)?;
    let producer = match world.apply(Command::AddProducer {
        config: ProducerConfig {
            client_id: preset.front.name.clone(),
            ..ProducerConfig::default()
        },
    })? {
        Outcome::Producer(id) => id,
        _ => {
            return Err(SimError::InvalidRequest("no producer created".to_string()));
        }
    };
    world.forget_history();
    Ok((world, producer))
}

impl Comparison {
    /// Creates downstream `index`'s consumer group (offsets at the start or the end of the
    /// topic) and starts its consumer.
    pub(super) fn eda_add_group(&mut self, index: usize) -> Result<(), SimError> {
        let Some(d) = self.downstreams.get(index) else {
            return Ok(());
        };
        let target = match d.start {
            StartFrom::Beginning => OffsetTarget::Earliest,
            StartFrom::Now => OffsetTarget::Latest,
        };
        self.world.apply(Command::ResetOffsets {
            group: d.spec.name.clone(),
            topic: Some(self.preset.topic.clone()),
            target,
            partitions: None,
        })?;
        self.eda_start_consumer(index)
    }

    /// Starts a consumer for downstream `index` at its current health's speed.
    fn eda_start_consumer(&mut self, index: usize) -> Result<(), SimError> {
        let Some(d) = self.downstreams.get(index) else {
            return Ok(());
        };
        let factor = if d.health == Health::Slow {
            u64::from(self.config.slow_factor)
        } else {
            1
        };
        let config = ConsumerConfig {
            group_id: Some(d.spec.name.clone()),
            client_id: d.spec.name.clone(),
            auto_offset_reset: OffsetReset::Earliest,
            auto_commit_interval_ms: self.config.auto_commit_interval_ms,
            max_poll_records: self.config.max_poll_records,
            processing_ms_per_record: d.spec.latency.mean_ms().max(1).saturating_mul(factor),
            fetch_max_wait_ms: FETCH_MAX_WAIT_MS,
            ..ConsumerConfig::default()
        };
        let outcome = self.world.apply(Command::AddConsumer {
            config,
            subscription: Subscription::Topics(vec![self.preset.topic.clone()]),
        })?;
        if let (Outcome::Consumer(id), Some(d)) = (outcome, self.downstreams.get_mut(index)) {
            d.consumer = Some(id);
        }
        Ok(())
    }

    /// Stops downstream `index`'s consumer, if it runs (it commits and leaves the group).
    fn eda_stop_consumer(&mut self, index: usize) -> Result<(), SimError> {
        let Some(id) = self.downstreams.get(index).and_then(|d| d.consumer) else {
            return Ok(());
        };
        self.world.apply(Command::StopConsumer { consumer: id })?;
        let consumed = self.world.consumer(id).map_or(0, |c| c.records_consumed);
        if let Some(d) = self.downstreams.get_mut(index) {
            d.consumed_before += consumed;
            d.consumer = None;
        }
        Ok(())
    }

    /// Downstream `index` goes up, slow or down on the event side. `health` is already the
    /// new state the caller will record; the old one is still in `downstreams`.
    pub(super) fn eda_set_health(&mut self, index: usize, health: Health) -> Result<(), SimError> {
        let Some(before) = self.downstreams.get(index).map(|d| d.health) else {
            return Ok(());
        };
        if before == health {
            return Ok(());
        }
        self.eda_stop_consumer(index)?;
        if health == Health::Down {
            return Ok(());
        }
        if let Some(d) = self.downstreams.get_mut(index) {
            d.health = health;
        }
        self.eda_start_consumer(index)
    }

    /// Records consumed by downstream `index`'s consumers so far.
    pub(super) fn eda_work_done(&self, index: usize) -> u64 {
        let Some(d) = self.downstreams.get(index) else {
            return 0;
        };
        let now = d
            .consumer
            .and_then(|id| self.world.consumer(id))
            .map_or(0, |c| c.records_consumed);
        d.consumed_before + now
    }

    /// Downstream `index`'s group lag over the topic's partitions.
    pub(super) fn eda_backlog(&self, index: usize) -> u64 {
        let Some(d) = self.downstreams.get(index) else {
            return 0;
        };
        self.world
            .group_lag(&d.spec.name)
            .iter()
            .filter(|row| *row.topic == *self.preset.topic)
            .map(|row| row.lag.unwrap_or(row.log_end_offset))
            .sum()
    }

    /// Matches acks to the front's writes and counts redeliveries.
    pub(super) fn on_broker_events(&mut self, events: &[TraceEvent]) {
        for event in events {
            match &event.kind {
                TraceKind::ProduceAcked {
                    producer,
                    partition,
                    records,
                    arrives_at_ms,
                    ..
                } if *producer == self.producer => {
                    self.answer_writes(*partition, *records, true, *arrives_at_ms);
                }
                TraceKind::ProduceFailed {
                    producer,
                    partition,
                    records,
                    retriable: false,
                    arrives_at_ms,
                    ..
                } if *producer == self.producer => {
                    self.answer_writes(*partition, *records, false, *arrives_at_ms);
                }
                TraceKind::RecordDelivered {
                    group: Some(group),
                    duplicate: true,
                    ..
                } => {
                    if let Some(d) = self
                        .downstreams
                        .iter_mut()
                        .find(|d| *d.spec.name == **group)
                    {
                        d.redeliveries += 1;
                    }
                }
                _ => {}
            }
        }
    }

    fn answer_writes(&mut self, partition: u32, records: u32, ok: bool, at_ms: u64) {
        let Some(queue) = self.awaiting_ack.get_mut(&partition) else {
            return;
        };
        let calls: Vec<u64> = (0..records).map_while(|_| queue.pop_front()).collect();
        for call in calls {
            if ok {
                self.events_written += 1;
            }
            self.eda_front.complete_external(call, ok, at_ms);
        }
    }

    /// Turns the front's new "write the event" calls into produces, now.
    pub(super) fn produce_pending(&mut self) {
        for write in self.eda_front.take_external_calls() {
            if write.channel != TOPIC_CHANNEL {
                self.eda_front
                    .complete_external(write.call, false, self.now_ms);
                continue;
            }
            let key = format!("{}-{}", self.preset.key_prefix, write.request);
            let value = format!("{} {key}", self.preset.event);
            let record = NewRecord::new(&self.preset.topic, Some(&key), &value);
            match self.world.apply(Command::Produce {
                producer: self.producer,
                record,
            }) {
                Ok(Outcome::Accepted { partition, .. }) => {
                    let queue = self.awaiting_ack.entry(partition).or_default();
                    if queue.len() >= MAX_AWAITING {
                        queue.pop_front();
                    }
                    queue.push_back(write.call);
                }
                _ => {
                    self.eda_front
                        .complete_external(write.call, false, self.now_ms);
                }
            }
        }
    }
}
