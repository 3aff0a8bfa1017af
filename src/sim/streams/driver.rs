//! An in-memory driver for a topology, like Kafka's `TopologyTestDriver`: no broker, no
//! network, no virtual time; records piped in are processed through the same
//! [`StreamThread`] steps the application on a `World` takes, and what sinks and changelogs
//! send lands in in-memory topics (repartition topics feed the next sub-topology).
//!
//! Responsibility: exercising the runtime quickly (unit tests, the WordCount benchmark) with
//! the real processing path. Partitions are chosen as the producer chooses them: murmur2 of the
//! serialized key modulo the partition count; a null key goes round-robin.
//!
//! Invariants: every topic has the driver's partition count; each partition keeps at most
//! `max_records_kept` records (the oldest already read are dropped first), so memory stays
//! bounded however much is piped; unread input is never dropped.
//!
//! Simplified versus `TopologyTestDriver`: no wall-clock punctuation and no automatic commit
//! after each record: call [`TestDriver::commit`] to flush the record cache.

use std::collections::VecDeque;
use std::rc::Rc;

use crate::sim::log::Bytes;
use crate::sim::partitioner::partition_for_key;
use crate::sim::streams::task::{
    Buffered, Collector, Limits, Program, StepReport, StreamThread, TaskId,
};
use crate::sim::streams::topology::Topology;
use crate::sim::streams::value::{Serde, StreamsError, Value};
use crate::sim::trace::Name;

/// Records kept per partition by default.
pub const DEFAULT_RECORDS_KEPT: u32 = 100_000;

#[derive(Clone, Debug, Default)]
struct MemPartition {
    records: VecDeque<Buffered>,
    next_offset: u64,
    /// The next offset to hand to the thread.
    fed: u64,
}

#[derive(Clone, Debug, Default)]
struct MemTopics {
    partitions: u32,
    max_kept: u32,
    /// Topics in order of first use (few; found by pointer, then by name), each with whether
    /// a task reads it.
    topics: Vec<(Name, Vec<MemPartition>, bool)>,
    round_robin: u32,
    sent: u64,
    /// Topics a task reads (their unread records are never dropped).
    read: std::collections::BTreeSet<Name>,
}

impl MemTopics {
    fn append(&mut self, topic: &Name, partition: Option<u32>, record: Buffered) -> u32 {
        let count = self.partitions.max(1);
        let partition = match (partition, &record.key) {
            (Some(p), _) => p.min(count - 1),
            // One partition: the partitioner's answer is 0 whatever the hash.
            (None, Some(_)) if count == 1 => 0,
            (None, Some(key)) => partition_for_key(key, count),
            (None, None) => {
                self.round_robin = self.round_robin.wrapping_add(1);
                self.round_robin % count
            }
        };
        let index = match self
            .topics
            .iter()
            .position(|(t, _, _)| std::rc::Rc::ptr_eq(t, topic))
            .or_else(|| self.topics.iter().position(|(t, _, _)| t == topic))
        {
            Some(i) => i,
            None => {
                let read = self.read.contains(topic);
                self.topics.push((
                    topic.clone(),
                    vec![MemPartition::default(); count as usize],
                    read,
                ));
                self.topics.len() - 1
            }
        };
        let Some((_, parts, read)) = self.topics.get_mut(index) else {
            return partition;
        };
        let read = *read;
        if let Some(p) = parts.get_mut(partition as usize) {
            let offset = p.next_offset;
            p.next_offset += 1;
            p.records.push_back(Buffered { offset, ..record });
            while p.records.len() as u64 > u64::from(self.max_kept) {
                match p.records.front() {
                    Some(front) if !read || front.offset < p.fed => {
                        p.records.pop_front();
                    }
                    _ => break,
                }
            }
        }
        self.sent += 1;
        partition
    }
}

impl MemTopics {
    fn find(&self, topic: &str) -> Option<&Vec<MemPartition>> {
        self.topics
            .iter()
            .find(|(t, _, _)| &**t == topic)
            .map(|(_, parts, _)| parts)
    }
}

impl Collector for MemTopics {
    fn send(
        &mut self,
        topic: &Name,
        partition: Option<u32>,
        key: Option<Bytes>,
        value: Option<Bytes>,
        timestamp_ms: u64,
    ) -> Result<u32, StreamsError> {
        Ok(self.append(
            topic,
            partition,
            Buffered {
                offset: 0,
                key,
                value,
                timestamp_ms,
            },
        ))
    }
}

/// A record read back from an in-memory topic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputRecord {
    /// Partition.
    pub partition: u32,
    /// Offset.
    pub offset: u64,
    /// Key.
    pub key: Option<Value>,
    /// Value.
    pub value: Option<Value>,
    /// Timestamp.
    pub timestamp_ms: u64,
}

/// Runs a topology in memory.
#[derive(Clone, Debug)]
pub struct TestDriver {
    thread: StreamThread,
    topics: MemTopics,
}

impl TestDriver {
    /// A driver for `topology` as application `application_id`, every topic with `partitions`
    /// partitions, String default serdes and a record cache of `cache_max_bytes`.
    pub fn new(
        topology: &Topology,
        application_id: &str,
        partitions: u32,
        cache_max_bytes: u64,
    ) -> Self {
        let program = Program::bind(
            topology,
            application_id,
            Serde::String,
            Serde::String,
            cache_max_bytes > 0,
        );
        let subtopologies = program.subtopology_topics.len() as u32;
        let read = program.sources.keys().cloned().collect();
        let mut thread = StreamThread::new(Rc::new(program), cache_max_bytes, Limits::default());
        for subtopology in 0..subtopologies {
            for partition in 0..partitions.max(1) {
                thread.ensure_task(TaskId {
                    subtopology,
                    partition,
                });
            }
        }
        Self {
            thread,
            topics: MemTopics {
                partitions: partitions.max(1),
                max_kept: DEFAULT_RECORDS_KEPT,
                read,
                ..MemTopics::default()
            },
        }
    }

    /// The thread (tasks, stores, cache).
    pub fn thread(&self) -> &StreamThread {
        &self.thread
    }

    /// Caps what each partition keeps (at least 1).
    pub fn set_records_kept(&mut self, max: u32) {
        self.topics.max_kept = max.max(1);
    }

    /// Appends a record with String key and value to `topic`.
    pub fn pipe_input(&mut self, topic: &str, key: Option<&str>, value: &str, timestamp_ms: u64) {
        let name = self
            .topics
            .topics
            .iter()
            .find(|(t, _, _)| &**t == topic)
            .map_or_else(|| Name::from(topic), |(t, _, _)| t.clone());
        self.topics.append(
            &name,
            None,
            Buffered {
                offset: 0,
                key: key.map(|k| Bytes::from(k.as_bytes())),
                value: Some(Bytes::from(value.as_bytes())),
                timestamp_ms,
            },
        );
    }

    /// Hands unread records of the topics tasks read to their buffers; returns how many.
    fn feed(&mut self) -> u64 {
        let mut fed = 0u64;
        for (topic, parts, read) in &mut self.topics.topics {
            if !*read {
                continue;
            }
            for (partition, p) in parts.iter_mut().enumerate() {
                let partition = partition as u32;
                let start = p.records.partition_point(|r| r.offset < p.fed);
                if start >= p.records.len() {
                    continue;
                }
                let taken =
                    self.thread
                        .enqueue_all(topic, partition, p.records.range(start..).cloned());
                if taken > 0
                    && let Some(last) = p.records.get(start + taken as usize - 1)
                {
                    p.fed = last.offset + 1;
                }
                fed += u64::from(taken);
            }
        }
        fed
    }

    /// One step (with its report), feeding buffers first; `None` when idle.
    pub fn step(&mut self) -> Result<Option<StepReport>, StreamsError> {
        loop {
            if let Some(outcome) = self.thread.step(&mut self.topics, true)? {
                return Ok(outcome);
            }
            if self.feed() == 0 {
                return Ok(None);
            }
        }
    }

    /// Steps until nothing is left (without reports); returns the number of steps.
    pub fn run_until_idle(&mut self) -> Result<u64, StreamsError> {
        let mut steps = 0u64;
        loop {
            if self.thread.step_quiet(&mut self.topics)? {
                steps += 1;
            } else if self.feed() == 0 {
                return Ok(steps);
            }
        }
    }

    /// A commit: flushes the record cache through the topology, then runs until idle.
    pub fn commit(&mut self) -> Result<u64, StreamsError> {
        let mut steps = self.run_until_idle()?;
        self.thread.flush_caches();
        steps += self.run_until_idle()?;
        self.thread.take_commit_offsets();
        Ok(steps)
    }

    /// Records kept in a topic, by partition then offset, deserialized with the given serdes
    /// (undecodable ones skipped).
    pub fn read_output(
        &self,
        topic: &str,
        key_serde: Serde,
        value_serde: Serde,
    ) -> Vec<OutputRecord> {
        let Some(parts) = self.topics.find(topic) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (partition, p) in parts.iter().enumerate() {
            for r in &p.records {
                let (Ok(key), Ok(value)) = (
                    key_serde.deserialize(topic, r.key.as_deref()),
                    value_serde.deserialize(topic, r.value.as_deref()),
                ) else {
                    continue;
                };
                out.push(OutputRecord {
                    partition: partition as u32,
                    offset: r.offset,
                    key,
                    value,
                    timestamp_ms: r.timestamp_ms,
                });
            }
        }
        out
    }

    /// Records ever appended to a topic (all partitions).
    pub fn records_appended(&self, topic: &str) -> u64 {
        self.topics
            .find(topic)
            .map_or(0, |parts| parts.iter().map(|p| p.next_offset).sum())
    }

    /// Records sinks and changelogs sent so far.
    pub fn records_sent(&self) -> u64 {
        self.topics.sent
    }
}
