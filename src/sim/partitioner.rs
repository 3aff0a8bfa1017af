//! Which partition a produced record lands on, as Apache Kafka 4.x's producer decides it.
//!
//! Three pieces, each a pure function of its inputs (randomness comes only from the caller's
//! [`Rng`], so a seed replays the same placement):
//!
//! * **Keyed records** go to `toPositive(murmur2(key)) % numPartitions` ([`partition_for_key`]),
//!   bit-exact with `Utils.murmur2` / `BuiltInPartitioner.partitionForKey`: Java's 32-bit
//!   wrap-around multiplication, its logical shifts and its fall-through tail. An empty key is a
//!   key and is hashed; only a *null* key (`None`) is sticky. The modulus is over **all**
//!   partitions of the topic, available or not, as in `KafkaProducer.partition`.
//! * **Unkeyed records** use [`StickyPartitioner`], Kafka 4's `BuiltInPartitioner` (KIP-794): stay
//!   on one partition until at least `batch.size` bytes were appended to it, then pick the next
//!   one — uniformly among the partitions that have a leader, or, with adaptive partitioning
//!   (`partitioner.adaptive.partitioning.enable`, default true) and load statistics, weighted
//!   towards the partitions with the shortest queues.
//! * The legacy [`RoundRobinPartitioner`] (`partitioner.class=...RoundRobinPartitioner`).
//!
//! Invariants: nothing here panics, for any input (an empty topic, `batch.size` 0, a huge key);
//! a partition number returned is always one of `available`, or `< num_partitions` when no
//! partition is available, or `0` for a topic with no partitions at all (Kafka would throw an
//! `ArithmeticException` there; the simulation never asks, but must not crash if it does).
//!
//! Simplified versus Kafka:
//! * `ThreadLocalRandom.nextInt()` becomes [`Rng::below`] over the exact range Kafka reduces its
//!   draw to (`random % n`), so the *distribution* is Kafka's (without its negligible modulo
//!   bias) but the concrete choices are the simulation's own, reproducible from its seed.
//! * One producer thread: Kafka's compare-and-set races between appending threads
//!   (`isPartitionChanged`) cannot happen, so they are not modelled.
//! * The caller supplies what the `RecordAccumulator` knows: whether the partition's queue holds
//!   only full batches (`enable_switch`), the queue sizes used for load statistics, and which
//!   partitions `partitioner.availability.timeout.ms` excluded. [`StickyPartitioner::choose`] is
//!   the common case where every batch is full when the threshold is crossed.
//! * `partitioner.ignore.keys` and Kafka 4.3's rack-aware partitioning are not modelled.

use serde::{Deserialize, Serialize};

use crate::sim::rng::Rng;

/// Kafka's producer default for `batch.size`, in bytes: also the sticky partitioner's threshold.
pub const DEFAULT_BATCH_SIZE: u32 = 16_384;

/// The seed of Kafka's murmur2 (`Utils.murmur2`).
const MURMUR2_SEED: u32 = 0x9747_b28c;
/// The multiplication constant of murmur2.
const MURMUR2_M: u32 = 0x5bd1_e995;
/// The shift of murmur2's block mixing.
const MURMUR2_R: u32 = 24;

/// The 32-bit murmur2 hash of `data`, exactly as `org.apache.kafka.common.utils.Utils.murmur2`.
///
/// Java `int` arithmetic is two's-complement and wraps, and `>>>` is a logical shift, so the
/// whole computation runs on `u32` with wrapping multiplication and is reinterpreted as `i32`
/// only at the end. The length mixed into the seed is Java's `int` length, i.e. truncated to 32
/// bits (no Java array can exceed that, so the truncation only matters for the absurd inputs a
/// Rust slice allows).
pub fn murmur2(data: &[u8]) -> i32 {
    let mut h = MURMUR2_SEED ^ (data.len() as u32);
    let mut blocks = data.chunks_exact(4);
    for block in &mut blocks {
        // Little-endian, as Kafka assembles the int from the bytes with `& 0xff` each.
        let mut k = u32::from_le_bytes([block[0], block[1], block[2], block[3]]);
        k = k.wrapping_mul(MURMUR2_M);
        k ^= k >> MURMUR2_R;
        k = k.wrapping_mul(MURMUR2_M);
        h = h.wrapping_mul(MURMUR2_M);
        h ^= k;
    }
    // The tail: Kafka's `switch (length % 4)` falls through from case 3 to case 1, and only
    // case 1 multiplies, so any non-empty tail ends with exactly one multiplication.
    let tail = blocks.remainder();
    if let Some(&b) = tail.get(2) {
        h ^= u32::from(b) << 16;
    }
    if let Some(&b) = tail.get(1) {
        h ^= u32::from(b) << 8;
    }
    if let Some(&b) = tail.first() {
        h ^= u32::from(b);
        h = h.wrapping_mul(MURMUR2_M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(MURMUR2_M);
    h ^= h >> 15;
    h as i32
}

/// Kafka's `Utils.toPositive`: clears the sign bit (`n & 0x7fffffff`).
///
/// Not the absolute value: `-1` becomes `2147483647` and `i32::MIN` becomes `0`, which is what
/// keeps Kafka's key placement stable across releases.
pub fn to_positive(n: i32) -> i32 {
    n & 0x7fff_ffff
}

/// The partition of a record whose serialized key is `key`: Kafka 4's
/// `BuiltInPartitioner.partitionForKey`, `toPositive(murmur2(key)) % numPartitions`.
///
/// `key` is the serialized key; a string key is its UTF-8 bytes (what `StringSerializer` sends).
/// An empty key hashes like any other. Kafka takes the modulus over every partition of the
/// topic, including those without a leader. `num_partitions == 0` returns `0` instead of Kafka's
/// division by zero.
pub fn partition_for_key(key: &[u8], num_partitions: u32) -> u32 {
    if num_partitions == 0 {
        return 0;
    }
    // `to_positive` guarantees a non-negative value, so the conversion is lossless.
    (to_positive(murmur2(key)) as u32) % num_partitions
}

/// The accumulator's view of one partition queue, as `RecordAccumulator.partitionReady` reads
/// it to build the adaptive partitioner's load statistics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueLoad {
    /// The partition number.
    pub partition: u32,
    /// How many batches wait in its queue (`deque.size()`; 0 for an empty queue).
    pub queued_batches: u32,
    /// Whether it may be chosen: it has a leader, and `partitioner.availability.timeout.ms` did
    /// not exclude its leader for being slow.
    pub eligible: bool,
}

/// The cumulative frequency table Kafka builds from queue sizes (`PartitionLoadStats`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct LoadStats {
    /// Running sums of `max queue + 1 - queue`, one per eligible partition; strictly increasing
    /// because every term is at least 1.
    cumulative: Vec<u64>,
    /// The partition each entry of `cumulative` stands for.
    partitions: Vec<u32>,
}

/// Kafka 4's sticky partitioner for records without a key (`BuiltInPartitioner`), one per topic.
///
/// The producer keeps appending unkeyed records to the current partition; after each append
/// the appended bytes are counted, and once at least `batch.size` bytes went to the partition
/// the partitioner switches. The record that crosses the threshold still lands on the old
/// partition — the switch happens after the append. When the partition's queue still holds an
/// incomplete batch (typical with a high `linger.ms`) the accumulator defers the switch, up to
/// twice `batch.size`.
///
/// The next partition is drawn uniformly among the partitions that have a leader (all of them
/// when none has), or, when adaptive partitioning has load statistics, with probability
/// proportional to `max queue + 1 - queue`, favouring the least loaded partitions. The current
/// partition is not excluded: a switch may land on the same partition again, as in Kafka.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StickyPartitioner {
    /// Bytes to produce to a partition before switching (`batch.size`, at least 1).
    batch_size: u32,
    /// `partitioner.adaptive.partitioning.enable`.
    adaptive: bool,
    /// The sticky partition, once one was chosen.
    current: Option<u32>,
    /// Bytes appended to `current` since it was chosen.
    produced_bytes: u64,
    /// Adaptive load statistics, when the last accumulator pass produced any.
    load_stats: Option<LoadStats>,
}

impl StickyPartitioner {
    /// A sticky partitioner switching after `batch_size` bytes, with adaptive partitioning on
    /// (Kafka's default).
    ///
    /// `batch.size=0` is legal in Kafka ("disable batching") and `KafkaProducer` turns it into a
    /// sticky batch size of 1 (`Math.max(1, batch.size)`); so does this constructor.
    pub fn new(batch_size: u32) -> Self {
        Self::with_adaptive(batch_size, true)
    }

    /// Like [`StickyPartitioner::new`], with `partitioner.adaptive.partitioning.enable` given.
    pub fn with_adaptive(batch_size: u32, adaptive: bool) -> Self {
        Self {
            batch_size: batch_size.max(1),
            adaptive,
            current: None,
            produced_bytes: 0,
            load_stats: None,
        }
    }

    /// The sticky batch size in bytes (at least 1).
    pub fn batch_size(&self) -> u32 {
        self.batch_size
    }

    /// Whether adaptive partitioning is enabled.
    pub fn adaptive(&self) -> bool {
        self.adaptive
    }

    /// The current sticky partition, if one was chosen yet.
    pub fn current_partition(&self) -> Option<u32> {
        self.current
    }

    /// Bytes appended to the current sticky partition since it was chosen.
    pub fn produced_bytes(&self) -> u64 {
        self.produced_bytes
    }

    /// Whether adaptive load statistics are in effect for the next switch.
    pub fn has_load_stats(&self) -> bool {
        self.load_stats.is_some()
    }

    /// The partition the next unkeyed record goes to (Kafka's `peekCurrentPartitionInfo`):
    /// the sticky partition, choosing one first if there is none yet.
    ///
    /// `available` lists the partitions that have a leader, in metadata order; `num_partitions`
    /// is the topic's partition count.
    pub fn peek(&mut self, rng: &mut Rng, num_partitions: u32, available: &[u32]) -> u32 {
        match self.current {
            Some(partition) => partition,
            None => {
                let partition = self.draw_next(rng, num_partitions, available);
                self.current = Some(partition);
                self.produced_bytes = 0;
                partition
            }
        }
    }

    /// Counts `appended_bytes` just appended to the current partition and switches when enough
    /// was produced (Kafka's `updatePartitionInfo`). Returns the new partition on a switch.
    ///
    /// `enable_switch` is the accumulator's `allBatchesFull(queue)`: with an incomplete batch
    /// left in the queue the switch waits, but never beyond twice `batch.size`. Call it with
    /// `appended_bytes == 0` and `enable_switch == true` before appending to complete a switch
    /// an earlier append deferred (the accumulator's `partitionChanged` check). Without a
    /// current partition there is nothing to count and nothing happens.
    pub fn update(
        &mut self,
        appended_bytes: u64,
        enable_switch: bool,
        rng: &mut Rng,
        num_partitions: u32,
        available: &[u32],
    ) -> Option<u32> {
        self.current?;
        self.produced_bytes = self.produced_bytes.saturating_add(appended_bytes);
        let threshold = u64::from(self.batch_size);
        let reached = self.produced_bytes >= threshold;
        let forced = self.produced_bytes >= threshold.saturating_mul(2);
        if (reached && enable_switch) || forced {
            let next = self.draw_next(rng, num_partitions, available);
            self.current = Some(next);
            self.produced_bytes = 0;
            Some(next)
        } else {
            None
        }
    }

    /// Places one unkeyed record of `record_bytes` bytes (its growth of the batch) and returns
    /// its partition: [`peek`](Self::peek), then [`update`](Self::update) with switching
    /// enabled — the common case where the batch being filled is full when the threshold is
    /// crossed.
    pub fn choose(
        &mut self,
        record_bytes: u64,
        rng: &mut Rng,
        num_partitions: u32,
        available: &[u32],
    ) -> u32 {
        let partition = self.peek(rng, num_partitions, available);
        self.update(record_bytes, true, rng, num_partitions, available);
        partition
    }

    /// Replaces the adaptive load statistics from the accumulator's queues (Kafka's
    /// `RecordAccumulator.partitionReady` gating plus `BuiltInPartitioner.updatePartitionLoadStats`).
    ///
    /// `queues` has one entry per partition the accumulator has a queue for, in its iteration
    /// order. Statistics are dropped (uniform choice again) when adaptive partitioning is off,
    /// when not every partition of the topic has a queue yet, when the topic has fewer than two
    /// queues, when no partition is eligible, or when every partition is eligible and all
    /// queues have the same length.
    pub fn update_load_stats(&mut self, num_partitions: u32, queues: &[QueueLoad]) {
        self.load_stats = self.compute_load_stats(num_partitions, queues);
    }

    /// Drops the adaptive load statistics: the next switch is uniform.
    pub fn clear_load_stats(&mut self) {
        self.load_stats = None;
    }

    /// Kafka's `nextPartition` for a given random draw: the partition a switch would pick.
    ///
    /// `random` is reduced modulo the range as Kafka reduces its `toPositive(nextInt())`: the
    /// load statistics' total weight, else the number of available partitions, else the number
    /// of partitions. Exposed so Kafka's own tests, which mock the random source with a
    /// counter, can be replayed exactly.
    pub fn next_partition_with(&self, random: u64, num_partitions: u32, available: &[u32]) -> u32 {
        if let Some(stats) = &self.load_stats {
            let total = stats.cumulative.last().copied().unwrap_or(0);
            if total > 0 {
                let weighted = random % total;
                // The first entry strictly greater than the draw: the table is sorted, so a
                // binary search finds it (Kafka's `Arrays.binarySearch` + 1).
                let index = stats.cumulative.partition_point(|&edge| edge <= weighted);
                if let Some(&partition) = stats.partitions.get(index) {
                    return partition;
                }
            }
        }
        if !available.is_empty() {
            let index = random % available.len() as u64;
            return available.get(index as usize).copied().unwrap_or(0);
        }
        if num_partitions == 0 {
            return 0;
        }
        (random % u64::from(num_partitions)) as u32
    }

    /// The size of the range Kafka reduces its random draw to, for the current state.
    fn draw_bound(&self, num_partitions: u32, available: &[u32]) -> u64 {
        if let Some(total) = self
            .load_stats
            .as_ref()
            .and_then(|stats| stats.cumulative.last().copied())
            .filter(|&total| total > 0)
        {
            return total;
        }
        if !available.is_empty() {
            return available.len() as u64;
        }
        u64::from(num_partitions)
    }

    /// Draws the next sticky partition from `rng`. Exactly one draw per switch (none for a topic
    /// without partitions), like Kafka's single `nextInt()` per `nextPartition`.
    fn draw_next(&self, rng: &mut Rng, num_partitions: u32, available: &[u32]) -> u32 {
        let bound = self.draw_bound(num_partitions, available);
        let random = rng.below(bound);
        self.next_partition_with(random, num_partitions, available)
    }

    fn compute_load_stats(&self, num_partitions: u32, queues: &[QueueLoad]) -> Option<LoadStats> {
        // The accumulator only builds queue sizes with adaptive partitioning on and once every
        // partition has a queue: a partition missing from the map could never be switched to.
        if !self.adaptive || (queues.len() as u64) < u64::from(num_partitions) {
            return None;
        }
        let eligible: Vec<&QueueLoad> = queues.iter().filter(|q| q.eligible).collect();
        // Fewer than two partitions need no adaptive logic; none eligible leaves nothing to pick.
        if eligible.is_empty() || queues.len() < 2 {
            return None;
        }
        let first = eligible.first().map(|q| q.queued_batches).unwrap_or(0);
        let all_equal = eligible.iter().all(|q| q.queued_batches == first);
        if all_equal && eligible.len() == queues.len() {
            return None;
        }
        let max_plus_one =
            u64::from(eligible.iter().map(|q| q.queued_batches).max().unwrap_or(0)) + 1;
        let mut cumulative = Vec::with_capacity(eligible.len());
        let mut partitions = Vec::with_capacity(eligible.len());
        let mut running = 0u64;
        for q in eligible {
            // Invert the queue size into a weight (shorter queue, higher weight), then fold.
            running = running.saturating_add(max_plus_one - u64::from(q.queued_batches));
            cumulative.push(running);
            partitions.push(q.partition);
        }
        Some(LoadStats {
            cumulative,
            partitions,
        })
    }
}

impl Default for StickyPartitioner {
    /// Kafka's producer defaults: `batch.size=16384`, adaptive partitioning enabled.
    fn default() -> Self {
        Self::new(DEFAULT_BATCH_SIZE)
    }
}

/// Kafka's legacy `org.apache.kafka.clients.producer.RoundRobinPartitioner`, one per topic.
///
/// Every record, keyed or not, takes the next value of a per-topic counter; the counter indexes
/// the available partitions (those with a leader) when there are any, otherwise all partitions.
///
/// Known behaviour, decided here: from Kafka 2.4 (KIP-480) the producer called `partition()` a
/// second time whenever a record opened a new batch, so the counter advanced twice and, with an
/// even partition count, half of the partitions never got a record (KAFKA-9965, KAFKA-16283).
/// KAFKA-17632 fixed it for Kafka 4.0 (and was backported to 3.9): `onNewBatch` remembers the
/// partition and the repeated call returns it. This model is Kafka 4's: [`RoundRobinPartitioner::on_new_batch`] followed by
/// [`RoundRobinPartitioner::partition`] yields the same partition again and does not advance the
/// counter, so a simulation that calls `partition` once per record cycles evenly.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundRobinPartitioner {
    /// Kafka's `AtomicInteger` counter: starts at 0 and wraps like a Java `int`.
    counter: i32,
    /// The partition `on_new_batch` asked the next call to repeat.
    repeat: Option<u32>,
}

impl RoundRobinPartitioner {
    /// A round-robin partitioner whose counter starts at 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// The partition of the next record: the counter's next value modulo the available
    /// partitions (all partitions when none is available; `0` for a topic with none at all).
    pub fn partition(&mut self, num_partitions: u32, available: &[u32]) -> u32 {
        if let Some(partition) = self.repeat.take() {
            return partition;
        }
        let next = self.counter;
        self.counter = self.counter.wrapping_add(1);
        // Non-negative after `to_positive`, so the widening is lossless.
        let value = to_positive(next) as u64;
        if !available.is_empty() {
            let index = value % available.len() as u64;
            return available.get(index as usize).copied().unwrap_or(0);
        }
        if num_partitions == 0 {
            return 0;
        }
        (value % u64::from(num_partitions)) as u32
    }

    /// The producer aborted an append to open a new batch on `previous`: the next call to
    /// [`partition`](Self::partition) returns `previous` again (Kafka 4's fix, KAFKA-17632).
    pub fn on_new_batch(&mut self, previous: u32) {
        self.repeat = Some(previous);
    }
}

/// Which partitioner a producer uses (`partitioner.class`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartitionerKind {
    /// No `partitioner.class`: Kafka 4's built-in partitioner (murmur2 for keys, sticky otherwise).
    #[default]
    BuiltIn,
    /// `org.apache.kafka.clients.producer.RoundRobinPartitioner`.
    RoundRobin,
}

/// A producer's partitioning state for one topic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TopicPartitioner {
    /// The built-in partitioner: keys hashed, unkeyed records sticky.
    BuiltIn(StickyPartitioner),
    /// The round-robin partitioner: keys ignored.
    RoundRobin(RoundRobinPartitioner),
}

impl TopicPartitioner {
    /// Fresh state for `kind`, with the producer's `batch.size` and
    /// `partitioner.adaptive.partitioning.enable` (ignored by round-robin).
    pub fn new(kind: PartitionerKind, batch_size: u32, adaptive: bool) -> Self {
        match kind {
            PartitionerKind::BuiltIn => {
                Self::BuiltIn(StickyPartitioner::with_adaptive(batch_size, adaptive))
            }
            PartitionerKind::RoundRobin => Self::RoundRobin(RoundRobinPartitioner::new()),
        }
    }

    /// The partition of a record with serialized key `key` (`None` for a null key) adding
    /// `record_bytes` to its batch, as `KafkaProducer.partition` then the accumulator decide it
    /// when the record names no explicit partition.
    pub fn choose(
        &mut self,
        key: Option<&[u8]>,
        record_bytes: u64,
        rng: &mut Rng,
        num_partitions: u32,
        available: &[u32],
    ) -> u32 {
        match self {
            Self::BuiltIn(sticky) => match key {
                Some(key) => partition_for_key(key, num_partitions),
                None => sticky.choose(record_bytes, rng, num_partitions, available),
            },
            Self::RoundRobin(round_robin) => round_robin.partition(num_partitions, available),
        }
    }
}
