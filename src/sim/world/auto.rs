//! Producers that send on their own (`Command::SetAutoProduce`): the Playground's "records per
//! second" and a lesson's steady load.
//!
//! A generator belongs to one producer. Its records are sent at virtual times fixed by the rate
//! alone — the k-th record after the command at `start + ⌈k × 1000 / rate⌉` ms — so a scenario
//! keeps one command instead of every record and a replay regenerates them exactly, whatever
//! the frame rate of the page that first played it. Each record goes through the same path as
//! `Command::Produce` (partitioner, batching, linger); it is not recorded in the history.
//! Invariant: at most one `Due::AutoProduce` per generator is scheduled for its current epoch;
//! an older epoch's entry is ignored when it comes due.

use crate::sim::client::PendingRecord;
use crate::sim::command::{NewRecord, PRODUCE_RECORDS_MAX};
use crate::sim::error::SimError;
use crate::sim::log::Bytes;
use crate::sim::world::{Due, World};

/// Highest rate a generator accepts, in records per second of virtual time.
pub const AUTO_RATE_MAX: u32 = 10_000;
/// Most keys a generator cycles through.
pub const AUTO_KEYS_MAX: usize = 64;

/// One producer's generator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AutoProduce {
    pub topic: String,
    pub rate_per_s: u32,
    pub keys: Vec<String>,
    pub value_prefix: String,
    /// Records this producer's generators have made since the world began (values count on
    /// across rate changes: `order-1`, `order-2`, …).
    pub made: u64,
    /// When the current rate took effect, and records made since then.
    started_ms: u64,
    made_since_start: u64,
    /// Bumped by each `SetAutoProduce`, so a record scheduled under the old rate is dropped.
    epoch: u64,
    /// `keys` as the bytes every record with that key shares (one allocation per key, not
    /// one per record: a busy page holds tens of thousands of these records).
    key_bytes: Vec<Bytes>,
}

impl AutoProduce {
    /// When the next record is due.
    fn next_due_ms(&self) -> u64 {
        let k = self.made_since_start + 1;
        let rate = u64::from(self.rate_per_s.max(1));
        self.started_ms + (k * 1000).div_ceil(rate)
    }
}

impl World {
    pub(crate) fn set_auto_produce_inner(
        &mut self,
        producer: u32,
        topic: &str,
        rate_per_s: u32,
        keys: &[String],
        value_prefix: &str,
    ) -> Result<(), SimError> {
        match self.producers.get(&producer) {
            None => {
                return Err(SimError::InvalidRequest(format!(
                    "There is no producer {producer}."
                )));
            }
            Some(p) if p.closed => {
                return Err(SimError::InvalidRequest(
                    "Cannot perform operation after producer has been closed".to_string(),
                ));
            }
            Some(_) => {}
        }
        if rate_per_s > AUTO_RATE_MAX {
            return Err(SimError::InvalidRequest(format!(
                "A producer sends at most {AUTO_RATE_MAX} records per second on its own."
            )));
        }
        if keys.len() > AUTO_KEYS_MAX {
            return Err(SimError::InvalidRequest(format!(
                "A producer cycles through at most {AUTO_KEYS_MAX} keys."
            )));
        }
        let now = self.now_ms;
        let previous = self.auto.get(&producer);
        let made = previous.map_or(0, |a| a.made);
        let epoch = previous.map_or(0, |a| a.epoch + 1);
        let generator = AutoProduce {
            topic: topic.to_string(),
            rate_per_s,
            keys: keys.to_vec(),
            value_prefix: value_prefix.to_string(),
            made,
            started_ms: now,
            made_since_start: 0,
            epoch,
            key_bytes: keys.iter().map(|k| Bytes::from(k.as_bytes())).collect(),
        };
        let due = generator.next_due_ms();
        self.auto.insert(producer, generator);
        if rate_per_s > 0 {
            self.schedule_at(due, Due::AutoProduce { producer, epoch });
        }
        Ok(())
    }

    /// `Command::ProduceRecords`: `count` null-keyed records to one partition, sent at once
    /// through the producer's usual path (batches, linger, acks).
    pub(crate) fn produce_records_inner(
        &mut self,
        producer: u32,
        topic: &str,
        partition: u32,
        count: u32,
        first: u64,
        value_prefix: &str,
    ) -> Result<(), SimError> {
        if count > PRODUCE_RECORDS_MAX {
            return Err(SimError::InvalidRequest(format!(
                "One command sends at most {PRODUCE_RECORDS_MAX} records; asked for {count}."
            )));
        }
        let record = |i: u32| NewRecord {
            topic: topic.to_string(),
            partition: Some(partition),
            key: None,
            value: Some(format!(
                "{value_prefix}{}",
                first.saturating_add(u64::from(i))
            )),
            headers: Vec::new(),
            timestamp_ms: None,
        };
        // The first record is checked as `Produce` would be (no producer, no topic, no such
        // partition): a refusal there changes nothing.
        if count > 0 {
            self.produce_inner(producer, &record(0))?;
        }
        for i in 1..count {
            // As for the generator: a later refusal is what `send` throws at the application.
            let _ = self.produce_inner(producer, &record(i));
        }
        Ok(())
    }

    /// The generator of `producer`, if it has one.
    pub fn auto_produce(&self, producer: u32) -> Option<&AutoProduce> {
        self.auto.get(&producer)
    }

    pub(crate) fn on_auto_produce(&mut self, producer: u32, epoch: u64) {
        let alive = self.producers.get(&producer).is_some_and(|p| !p.closed);
        if !alive {
            self.auto.remove(&producer);
            return;
        }
        let Some(generator) = self.auto.get_mut(&producer) else {
            return;
        };
        if generator.epoch != epoch || generator.rate_per_s == 0 {
            return;
        }
        let key = (!generator.key_bytes.is_empty()).then(|| {
            let index = generator.made % generator.key_bytes.len() as u64;
            Bytes::clone(&generator.key_bytes[index as usize])
        });
        generator.made += 1;
        generator.made_since_start += 1;
        let value = format!("{}{}", generator.value_prefix, generator.made);
        let record = PendingRecord {
            key,
            value: Some(Bytes::from(value.as_bytes())),
            headers: Vec::new(),
            timestamp_ms: self.now_ms,
            size_bytes: 0,
        };
        let topic = generator.topic.clone();
        let due = generator.next_due_ms();
        self.schedule_at(due, Due::AutoProduce { producer, epoch });
        // A refusal (the topic was deleted, say) is what `send` would throw at the
        // application; the generator keeps its pace, as a load generator does.
        let _ = self.produce_record(producer, &topic, None, record);
    }
}

#[cfg(test)]
mod tests {
    use crate::sim::command::Command;
    use crate::sim::{TraceKind, World};

    fn world_with_generator(rate: u32) -> (World, u32) {
        let mut world = World::new(3);
        world.create_topic("orders", 3, 1).expect("topic");
        let producer = world.add_producer().expect("producer");
        world
            .apply(Command::SetAutoProduce {
                producer,
                topic: "orders".into(),
                rate_per_s: rate,
                keys: vec!["alice".into(), "bob".into()],
                value_prefix: "order-".into(),
            })
            .expect("generator");
        (world, producer)
    }

    fn appended(events: &[crate::sim::TraceEvent]) -> usize {
        events
            .iter()
            .filter(|e| matches!(e.kind, TraceKind::RecordAppended { .. }))
            .count()
    }

    #[test]
    fn a_generator_sends_at_its_rate_and_counts_on() {
        let (mut world, producer) = world_with_generator(10);
        let events = world.advance(10_000).expect("advance");
        // 100 records in 10 s; the last ones may still be on their way.
        assert_eq!(world.auto_produce(producer).map(|a| a.made), Some(100));
        assert!(appended(&events) >= 95, "{}", appended(&events));
        world
            .apply(Command::SetAutoProduce {
                producer,
                topic: "orders".into(),
                rate_per_s: 0,
                keys: Vec::new(),
                value_prefix: "order-".into(),
            })
            .expect("stop");
        world.advance(10_000).expect("advance");
        assert_eq!(world.auto_produce(producer).map(|a| a.made), Some(100));
    }

    #[test]
    fn generated_records_are_not_in_the_history_and_replay_exactly() {
        let (mut world, _) = world_with_generator(250);
        world.advance(4_321).expect("advance");
        let scenario = world.scenario();
        assert_eq!(scenario.commands.len(), 3);
        let replayed = World::replay(&scenario, 4_321).expect("replay");
        assert_eq!(
            format!("{:?}", replayed.recent_events().iter().collect::<Vec<_>>()),
            format!("{:?}", world.recent_events().iter().collect::<Vec<_>>())
        );
    }

    #[test]
    fn a_closed_producer_stops_its_generator() {
        let (mut world, producer) = world_with_generator(100);
        world.advance(1_000).expect("advance");
        world
            .apply(Command::CloseProducer { producer })
            .expect("close");
        world.advance(1_000).expect("advance");
        assert!(world.auto_produce(producer).is_none());
    }

    #[test]
    fn bad_rates_and_producers_are_refused() {
        let (mut world, producer) = world_with_generator(1);
        let set = |producer, rate_per_s| Command::SetAutoProduce {
            producer,
            topic: "orders".into(),
            rate_per_s,
            keys: Vec::new(),
            value_prefix: String::new(),
        };
        assert!(
            world
                .apply(set(producer, super::AUTO_RATE_MAX + 1))
                .is_err()
        );
        assert!(world.apply(set(99, 1)).is_err());
    }
}
