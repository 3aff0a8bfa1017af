//! Stream tasks and the stream thread that steps them.
//!
//! Responsibility: run a bound topology ([`Program`]) over input records, one processor node
//! per [`StreamThread::step`]. A task (`0_0`, `1_2`, …: sub-topology and partition) owns the
//! records buffered for its input partitions, one [`KeyValueStore`] per store its
//! sub-topology uses, and a stack of pending work. Processing is depth first, as Kafka's
//! `ProcessorNode.process` → `context.forward` recursion is: a record handed to several
//! children, or several records from one `flatMapValues`, are each processed to the end before
//! the next; the stack holds exactly what the Java call stack would. A step pops one item and
//! runs one node on one record: deserialize (source), filter, map, flat-map, select a key,
//! aggregate into the store (through the record cache when `statestore.cache.max.bytes` > 0),
//! forward a KTable update, or serialize and send (sink); a cache flush of one entry (write to
//! the store and its changelog, forward) is a step of the aggregating node too.
//!
//! Between records the thread takes the next task in round-robin order that has buffered
//! records, and from its partitions the record with the lowest timestamp (ties: partition
//! order), as Kafka's `PartitionGroup` picks by stream time. Where records go is the caller's
//! [`Collector`]: the engine's producer on a `World`, in-memory topics in the
//! [`TestDriver`](crate::sim::streams::TestDriver).
//!
//! Invariants: a step either completes or fails with a [`StreamsError`] and changes nothing
//! more; the thread never holds more than `max_work` pending items per task nor more than
//! `max_buffered` records per partition; reports use `u32`/`u64` only.
//!
//! Simplified versus Kafka: strict round-robin of one record per task (Kafka processes a
//! growing batch per task per loop); no `max.task.idle.ms` wait for empty partitions; a record
//! with a null key or value reaching an aggregation is skipped as Kafka skips it (the warning
//! becomes [`StepReport::dropped`]).

use crate::sim::vecmap::VecMap;
use std::collections::VecDeque;
use std::fmt;
use std::rc::Rc;

use crate::sim::log::Bytes;
use crate::sim::streams::store::{CacheKey, DirtyEntry, KeyValueStore, StoredValue, ThreadCache};
use crate::sim::streams::topology::{AggregateKind, Operation, Topology};
use crate::sim::streams::value::{Origin, Serde, StreamRecord, StreamsError, Value};
use crate::sim::trace::Name;

/// Most pending work items in one task (a `flatMapValues` of a huge line would exceed it).
pub const MAX_WORK_PER_TASK: u32 = 1_000_000;

/// A task id: sub-topology and partition, printed as Kafka prints it (`0_1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskId {
    /// The sub-topology.
    pub subtopology: u32,
    /// The partition of its input topics.
    pub partition: u32,
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.subtopology, self.partition)
    }
}

/// What kind of step ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// A node processed a record.
    Process,
    /// An aggregating node flushed one cache entry: store write, changelog, forward.
    CacheFlush,
}

/// A record a step handed to a child node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forwarded {
    /// The child.
    pub child: Name,
    /// The record.
    pub record: StreamRecord,
}

/// A change a step made to a store or its cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreChange {
    /// The store.
    pub store: Name,
    /// The key.
    pub key: Value,
    /// The value before.
    pub old: Option<Value>,
    /// The value after (`None`: deleted).
    pub new: Option<Value>,
    /// The value's timestamp.
    pub timestamp_ms: u64,
    /// Whether only the record cache changed (the store and changelog follow at the flush).
    pub cached: bool,
}

/// A record a step sent to a topic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentRecord {
    /// The topic (full name).
    pub topic: Name,
    /// The partition it went to.
    pub partition: u32,
    /// The key.
    pub key: Option<Value>,
    /// The value.
    pub value: Option<Value>,
    /// Its timestamp.
    pub timestamp_ms: u64,
    /// Whether it is a changelog record (else a sink's).
    pub changelog: bool,
}

/// What one step did: one record through one node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepReport {
    /// The task.
    pub task: TaskId,
    /// The node.
    pub node: Name,
    /// Processing or a cache flush.
    pub kind: StepKind,
    /// The record that went in.
    pub input: StreamRecord,
    /// The input record being processed (topic, partition, offset).
    pub origin: Option<Origin>,
    /// What went to the children, in order.
    pub outputs: Vec<Forwarded>,
    /// What changed in the store or cache.
    pub store_changes: Vec<StoreChange>,
    /// What was sent to topics.
    pub sent: Vec<SentRecord>,
    /// Why the record went no further, when a node dropped it (Kafka's warning).
    pub dropped: Option<String>,
    /// Whether this step finished the input record (nothing of it is pending any more).
    pub record_finished: bool,
}

/// Where sinks and changelogs send records.
pub trait Collector {
    /// Sends a record to `topic` (to `partition`, or where the producer's partitioner puts
    /// it); returns the partition.
    fn send(
        &mut self,
        topic: &Name,
        partition: Option<u32>,
        key: Option<Bytes>,
        value: Option<Bytes>,
        timestamp_ms: u64,
    ) -> Result<u32, StreamsError>;
}

// ---------------------------------------------------------------------------------------------
// The bound topology

/// A node of a [`Program`]: its operation with serdes and topics resolved.
#[derive(Clone, Debug)]
pub struct ProgramNode {
    /// Name.
    pub name: Name,
    /// Operation.
    pub op: Operation,
    /// Children.
    pub children: Vec<u32>,
    /// Key serde (sources: deserialize; sinks: serialize).
    pub key_serde: Serde,
    /// Value serde.
    pub value_serde: Serde,
    /// A sink's topic, full name.
    pub topic: Option<Name>,
}

/// A store of a [`Program`].
#[derive(Clone, Debug)]
pub struct ProgramStore {
    /// Name.
    pub name: Name,
    /// Its changelog topic, full name.
    pub changelog: Name,
    /// Key serde.
    pub key_serde: Serde,
    /// Value serde.
    pub value_serde: Serde,
}

/// A topology bound to an application: internal topics prefixed with `<application.id>-`,
/// default serdes applied.
#[derive(Clone, Debug)]
pub struct Program {
    /// The topology.
    pub topology: Topology,
    /// `application.id`.
    pub application_id: Name,
    /// Nodes, by index.
    pub nodes: Vec<ProgramNode>,
    /// Stores, by index.
    pub stores: Vec<ProgramStore>,
    /// Source topic (full name) → its source node.
    pub sources: VecMap<Name, u32>,
    /// Each sub-topology's source topics (full names).
    pub subtopology_topics: Vec<Vec<Name>>,
    /// Whether stores sit behind the record cache (`statestore.cache.max.bytes` > 0).
    pub caching: bool,
}

impl Program {
    /// Binds `topology` to `application_id` with default serdes.
    pub fn bind(
        topology: &Topology,
        application_id: &str,
        default_key: Serde,
        default_value: Serde,
        caching: bool,
    ) -> Self {
        let full = |name: &Name, internal: bool| -> Name {
            if internal {
                Name::from(format!("{application_id}-{name}"))
            } else {
                name.clone()
            }
        };
        let mut sources = VecMap::new();
        let nodes = topology
            .nodes()
            .iter()
            .enumerate()
            .map(|(i, def)| {
                let (key_serde, value_serde, topic) = match &def.op {
                    Operation::Source { topics, consumed } => {
                        for t in topics {
                            sources.insert(full(&t.name, t.internal), i as u32);
                        }
                        (
                            consumed.key_serde.unwrap_or(default_key),
                            consumed.value_serde.unwrap_or(default_value),
                            None,
                        )
                    }
                    Operation::Sink { topic, produced } => (
                        produced.key_serde.unwrap_or(default_key),
                        produced.value_serde.unwrap_or(default_value),
                        Some(full(&topic.name, topic.internal)),
                    ),
                    _ => (default_key, default_value, None),
                };
                ProgramNode {
                    name: def.name.clone(),
                    op: def.op.clone(),
                    children: def.children.clone(),
                    key_serde,
                    value_serde,
                    topic,
                }
            })
            .collect();
        let stores = topology
            .stores()
            .iter()
            .map(|s| ProgramStore {
                name: s.name.clone(),
                changelog: Name::from(format!("{application_id}-{}-changelog", s.name)),
                key_serde: s.key_serde.unwrap_or(default_key),
                value_serde: s.value_serde.unwrap_or(default_value),
            })
            .collect();
        let subtopology_topics = topology
            .subtopologies()
            .iter()
            .map(|s| {
                s.source_topics
                    .iter()
                    .map(|t| full(&t.name, t.internal))
                    .collect()
            })
            .collect();
        Self {
            topology: topology.clone(),
            application_id: Name::from(application_id),
            nodes,
            stores,
            sources,
            subtopology_topics,
            caching,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tasks

/// A record waiting in a task's buffer, as fetched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Buffered {
    /// Its offset.
    pub offset: u64,
    /// Serialized key.
    pub key: Option<Bytes>,
    /// Serialized value.
    pub value: Option<Bytes>,
    /// Timestamp.
    pub timestamp_ms: u64,
}

#[derive(Clone, Debug)]
enum Work {
    Source {
        node: u32,
        input: u32,
        record: Buffered,
    },
    Process {
        node: u32,
        record: StreamRecord,
    },
    Flush {
        node: u32,
        store: u32,
        entry: Box<DirtyEntry>,
    },
}

/// One task: its input partitions, buffers, stores and pending work.
#[derive(Clone, Debug)]
pub struct Task {
    id: TaskId,
    /// Input partitions (full topic names).
    inputs: Vec<(Name, u32)>,
    buffers: Vec<VecDeque<Buffered>>,
    /// The source node reading each input.
    input_nodes: Vec<u32>,
    stores: VecMap<u32, KeyValueStore>,
    stack: Vec<Work>,
    origin: Option<Origin>,
    /// Next offset to commit per input (by index in `inputs`): the last record taken + 1.
    consumed: Vec<Option<u64>>,
    committed: VecMap<(Name, u32), u64>,
    processed_records: u64,
}

impl Task {
    /// Its id.
    pub fn id(&self) -> TaskId {
        self.id
    }

    /// Its input partitions.
    pub fn inputs(&self) -> &[(Name, u32)] {
        &self.inputs
    }

    /// Records buffered, per input partition.
    pub fn buffered(&self) -> Vec<u32> {
        self.buffers.iter().map(|b| b.len() as u32).collect()
    }

    /// Its store with index `store`.
    pub fn store(&self, store: u32) -> Option<&KeyValueStore> {
        self.stores.get(&store)
    }

    /// Its stores, by index.
    pub fn stores(&self) -> impl Iterator<Item = (u32, &KeyValueStore)> {
        self.stores.iter().map(|(i, s)| (*i, s))
    }

    /// Input records taken for processing so far.
    pub fn processed_records(&self) -> u64 {
        self.processed_records
    }

    /// Whether a record is part way through the topology.
    pub fn in_progress(&self) -> bool {
        !self.stack.is_empty()
    }

    fn has_buffered(&self) -> bool {
        self.buffers.iter().any(|b| !b.is_empty())
    }

    /// The buffer holding the next record by stream time: lowest head timestamp, then input
    /// order.
    fn next_input(&self) -> Option<usize> {
        self.buffers
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.front().map(|r| (r.timestamp_ms, i)))
            .min()
            .map(|(_, i)| i)
    }
}

/// Caps that keep a thread's memory bounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Keys per store and task.
    pub max_store_keys: u32,
    /// Records buffered per input partition (`buffered.records.per.partition`).
    pub max_buffered: u32,
    /// Pending work items per task.
    pub max_work: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_store_keys: 100_000,
            max_buffered: 1_000,
            max_work: MAX_WORK_PER_TASK,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The thread

/// One stream thread: its tasks, its record cache and its step machine.
#[derive(Clone, Debug)]
pub struct StreamThread {
    program: Rc<Program>,
    tasks: VecMap<TaskId, Task>,
    /// Input partition → (task, buffer index).
    routes: VecMap<(Name, u32), (TaskId, u32)>,
    cache: ThreadCache,
    limits: Limits,
    /// The task that started the last record (round-robin cursor).
    cursor: Option<TaskId>,
    steps: u64,
    /// A step's forwarded records, reused from step to step (no allocation per step).
    scratch: Vec<(u32, StreamRecord)>,
}

/// What a step needs of the thread besides the task.
struct Ctx<'a> {
    program: &'a Program,
    cache: &'a mut ThreadCache,
    limits: Limits,
}

impl StreamThread {
    /// A thread for `program` with a record cache of `cache_max_bytes`.
    pub fn new(program: Rc<Program>, cache_max_bytes: u64, limits: Limits) -> Self {
        Self {
            program,
            tasks: VecMap::new(),
            routes: VecMap::new(),
            cache: ThreadCache::new(cache_max_bytes),
            limits,
            cursor: None,
            steps: 0,
            scratch: Vec::new(),
        }
    }

    /// The program it runs.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// The program it runs, shared.
    pub fn program_rc(&self) -> Rc<Program> {
        Rc::clone(&self.program)
    }

    /// Its tasks, by id.
    pub fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.tasks.values()
    }

    /// One task.
    pub fn task(&self, id: TaskId) -> Option<&Task> {
        self.tasks.get(&id)
    }

    /// Its record cache.
    pub fn cache(&self) -> &ThreadCache {
        &self.cache
    }

    /// Steps taken so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Creates task `id` (its input partitions are partition `id.partition` of its
    /// sub-topology's source topics) unless it exists; returns whether it was created.
    pub fn ensure_task(&mut self, id: TaskId) -> bool {
        if self.tasks.contains_key(&id) {
            return false;
        }
        let Some(topics) = self.program.subtopology_topics.get(id.subtopology as usize) else {
            return false;
        };
        let inputs: Vec<(Name, u32)> = topics.iter().map(|t| (t.clone(), id.partition)).collect();
        let stores = self
            .program
            .topology
            .subtopologies()
            .get(id.subtopology as usize)
            .map(|s| s.stores.clone())
            .unwrap_or_default()
            .into_iter()
            .filter_map(|i| {
                self.program.stores.get(i as usize).map(|s| {
                    (
                        i,
                        KeyValueStore::new(s.name.clone(), self.limits.max_store_keys),
                    )
                })
            })
            .collect();
        for (i, tp) in inputs.iter().enumerate() {
            self.routes.insert(tp.clone(), (id, i as u32));
        }
        let input_nodes = inputs
            .iter()
            .map(|(t, _)| self.program.sources.get(t).copied().unwrap_or(0))
            .collect();
        self.tasks.insert(
            id,
            Task {
                id,
                buffers: vec![VecDeque::new(); inputs.len()],
                consumed: vec![None; inputs.len()],
                input_nodes,
                inputs,
                stores,
                stack: Vec::new(),
                origin: None,
                committed: VecMap::new(),
                processed_records: 0,
            },
        );
        true
    }

    /// Closes task `id`, dropping its buffers, stores and caches.
    pub fn remove_task(&mut self, id: TaskId) {
        if let Some(task) = self.tasks.remove(&id) {
            for tp in task.inputs {
                self.routes.remove(&tp);
            }
            self.cache.remove_task(id.subtopology, id.partition);
        }
    }

    /// Restores one changelog record into a task's store (before the task processes).
    pub fn restore(
        &mut self,
        id: TaskId,
        store: u32,
        key: &[u8],
        value: Option<&[u8]>,
        timestamp_ms: u64,
    ) -> Result<(), StreamsError> {
        let Some(def) = self.program.stores.get(store as usize) else {
            return Ok(());
        };
        let Some(task) = self.tasks.get_mut(&id) else {
            return Ok(());
        };
        let Some(kv) = task.stores.get_mut(&store) else {
            return Ok(());
        };
        let stored = match def.value_serde.deserialize(&def.changelog, value)? {
            Some(value) => {
                let Some(key_value) = def.key_serde.deserialize(&def.changelog, Some(key))? else {
                    return Ok(());
                };
                Some(StoredValue {
                    key: key_value,
                    value,
                    timestamp_ms,
                })
            }
            None => None,
        };
        kv.put(Bytes::from(key), stored)
    }

    /// Room left in the buffer of an input partition (0 if no task reads it).
    pub fn buffer_room(&self, topic: &Name, partition: u32) -> u32 {
        let Some((task, index)) = self.routes.get(&(topic.clone(), partition)) else {
            return 0;
        };
        let used = self
            .tasks
            .get(task)
            .and_then(|t| t.buffers.get(*index as usize))
            .map_or(0, |b| b.len() as u32);
        self.limits.max_buffered.saturating_sub(used)
    }

    /// Buffers a fetched record for its task; false if no task reads the partition or the
    /// buffer is full.
    pub fn enqueue(&mut self, topic: &Name, partition: u32, record: Buffered) -> bool {
        self.enqueue_all(topic, partition, std::iter::once(record)) == 1
    }

    /// Buffers fetched records of one partition, in order, until its buffer is full; returns
    /// how many were taken (the rest were not consumed from the iterator beyond the first
    /// refused one).
    pub fn enqueue_all(
        &mut self,
        topic: &Name,
        partition: u32,
        records: impl IntoIterator<Item = Buffered>,
    ) -> u32 {
        let Some((task, index)) = self.routes.get(&(topic.clone(), partition)).copied() else {
            return 0;
        };
        let max = self.limits.max_buffered as usize;
        let Some(buffer) = self
            .tasks
            .get_mut(&task)
            .and_then(|t| t.buffers.get_mut(index as usize))
        else {
            return 0;
        };
        let mut taken = 0u32;
        for record in records {
            if buffer.len() >= max {
                break;
            }
            buffer.push_back(record);
            taken += 1;
        }
        taken
    }

    /// Whether no record is part way through the topology.
    pub fn between_records(&self) -> bool {
        self.tasks.values().all(|t| t.stack.is_empty())
    }

    /// Whether there is nothing to step: no work pending and nothing buffered.
    pub fn is_idle(&self) -> bool {
        self.tasks
            .values()
            .all(|t| t.stack.is_empty() && !t.has_buffered())
    }

    /// Whether the record cache holds updates not yet flushed.
    pub fn has_dirty_cache(&self) -> bool {
        self.cache.has_dirty()
    }

    /// A commit's flush: every task's cached updates become pending work, task by task, store
    /// by store, in dirty order. Only between records; returns whether anything was flushed.
    pub fn flush_caches(&mut self) -> bool {
        if !self.between_records() {
            return false;
        }
        let mut any = false;
        for (id, task) in &mut self.tasks {
            let mut items: Vec<Work> = Vec::new();
            for &store in task.stores.keys() {
                let Some(node) = aggregate_node_of(&self.program, store) else {
                    continue;
                };
                for entry in self.cache.flush((id.subtopology, id.partition, store)) {
                    items.push(Work::Flush {
                        node,
                        store,
                        entry: Box::new(entry),
                    });
                }
            }
            any |= !items.is_empty();
            task.stack.extend(items.into_iter().rev());
        }
        any
    }

    /// The offsets to commit: for each input partition with records taken since the last
    /// commit, the offset after the last one. Marks them committed.
    pub fn take_commit_offsets(&mut self) -> Vec<(Name, u32, u64)> {
        let mut out = Vec::new();
        for task in self.tasks.values_mut() {
            // By input partition (topic name, then partition), as a sorted map iterates.
            let mut consumed: VecMap<(Name, u32), u64> = VecMap::new();
            for (tp, offset) in task.inputs.iter().zip(&task.consumed) {
                if let Some(offset) = offset {
                    consumed.insert(tp.clone(), *offset);
                }
            }
            for (tp, offset) in &consumed {
                if task.committed.get(tp) != Some(offset) {
                    out.push((tp.0.clone(), tp.1, *offset));
                }
            }
            task.committed = consumed;
        }
        out
    }

    /// Advances exactly one record through exactly one processor node. Returns `None` when
    /// there is nothing to do, and the step's report when `report` is true (normal running
    /// asks for none, and takes the same path).
    pub fn step(
        &mut self,
        collector: &mut dyn Collector,
        report: bool,
    ) -> Result<Option<Option<StepReport>>, StreamsError> {
        Ok(self
            .advance(collector, report)?
            .map(|outcome| outcome.map(|boxed| *boxed)))
    }

    /// [`StreamThread::step`] without a report: whether a step was taken. The same path,
    /// without moving a report-sized result around on every step.
    pub fn step_quiet(&mut self, collector: &mut dyn Collector) -> Result<bool, StreamsError> {
        Ok(self.advance(collector, false)?.is_some())
    }

    /// One step; the report (boxed, so that the quiet path passes only a pointer) when
    /// `report` is true.
    fn advance(
        &mut self,
        collector: &mut dyn Collector,
        report: bool,
    ) -> Result<Option<Option<Box<StepReport>>>, StreamsError> {
        // The task whose record is in flight (usually the cursor's), else a new record.
        let busy = self
            .cursor
            .filter(|c| self.tasks.get(c).is_some_and(|t| !t.stack.is_empty()))
            .or_else(|| {
                self.tasks
                    .iter()
                    .find(|(_, t)| !t.stack.is_empty())
                    .map(|(id, _)| *id)
            });
        let id = match busy {
            Some(id) => id,
            None => match self.start_next_record() {
                Some(id) => id,
                None => return Ok(None),
            },
        };
        let Some(task) = self.tasks.get_mut(&id) else {
            return Ok(None);
        };
        let Some(work) = task.stack.pop() else {
            return Ok(None);
        };
        let mut ctx = Ctx {
            program: &self.program,
            cache: &mut self.cache,
            limits: self.limits,
        };
        let mut forwards = std::mem::take(&mut self.scratch);
        forwards.clear();
        let outcome = run(&mut ctx, task, work, collector, report, &mut forwards);
        self.scratch = forwards;
        let outcome = outcome?;
        self.steps += 1;
        Ok(Some(outcome))
    }

    /// Takes the next record (round-robin over tasks with buffered records) onto its task's
    /// stack; returns the task.
    fn start_next_record(&mut self) -> Option<TaskId> {
        let after = self.cursor;
        let id =
            {
                let mut candidates =
                    self.tasks
                        .iter()
                        .filter(|(id, t)| after.is_none_or(|c| **id > c) && t.has_buffered())
                        .chain(self.tasks.iter().filter(|(id, t)| {
                            after.is_some_and(|c| **id <= c) && t.has_buffered()
                        }));
                candidates.next().map(|(id, _)| *id)
            }?;
        let task = self.tasks.get_mut(&id)?;
        let input = task.next_input()?;
        let record = task.buffers.get_mut(input)?.pop_front()?;
        let node = *task.input_nodes.get(input)?;
        task.stack.push(Work::Source {
            node,
            input: input as u32,
            record,
        });
        self.cursor = Some(id);
        Some(id)
    }
}

fn aggregate_node_of(program: &Program, store: u32) -> Option<u32> {
    program
        .nodes
        .iter()
        .position(|n| matches!(&n.op, Operation::Aggregate { store: s, .. } if *s == store))
        .map(|i| i as u32)
}

// ---------------------------------------------------------------------------------------------
// One step

/// What a step collects while it runs.
struct Out<'a> {
    report: bool,
    forwards: &'a mut Vec<(u32, StreamRecord)>,
    store_changes: Vec<StoreChange>,
    sent: Vec<SentRecord>,
    dropped: Option<String>,
}

fn class_cast(topic: &Name, node: &ProgramNode, record: &StreamRecord) -> StreamsError {
    let type_of = |v: &Option<Value>| {
        v.as_ref()
            .map_or("unknown because key is null", |v| v.java_class())
    };
    let value_type = record
        .value
        .as_ref()
        .map_or("unknown because value is null", |v| v.java_class());
    StreamsError::new(
        "org.apache.kafka.streams.errors.StreamsException",
        format!(
            "ClassCastException while producing data to topic {topic}. A serializer (key: {} / value: {}) \
             is not compatible to the actual key or value type (key type: {} / value type: {}). Change the \
             default Serdes in StreamConfig or provide correct Serdes via method parameters (for example if \
             using the DSL, `#to(String topic, Produced<K, V> produced)` with \
             `Produced.keySerde(WindowedSerdes.timeWindowedSerdeFrom(String.class))`).",
            node.key_serde.serializer_class(),
            node.value_serde.serializer_class(),
            type_of(&record.key),
            value_type,
        ),
    )
}

/// A record with neither key nor value (what a report shows for a flush of a store that does
/// not exist).
fn empty_record() -> StreamRecord {
    StreamRecord {
        key: None,
        value: None,
        timestamp_ms: 0,
    }
}

/// [`Serde::serialize`] of a value the caller gives up: a `String` hands its shared bytes over
/// instead of sharing them once more (the same bytes either way).
fn serialize_owned(serde: Serde, value: Option<Value>) -> Option<Bytes> {
    match (serde, value) {
        (Serde::String, Some(Value::Str(text))) => Some(Bytes::from(text)),
        (serde, value) => serde.serialize(value.as_ref()),
    }
}

fn run(
    ctx: &mut Ctx<'_>,
    task: &mut Task,
    work: Work,
    collector: &mut dyn Collector,
    report: bool,
    forwards: &mut Vec<(u32, StreamRecord)>,
) -> Result<Option<Box<StepReport>>, StreamsError> {
    let mut out = Out {
        report,
        forwards,
        store_changes: Vec::new(),
        sent: Vec::new(),
        dropped: None,
    };
    let mut flush_origin: Option<Origin> = None;
    // The record that went in is kept (cloned) only for a report.
    let (node_index, kind, input) = match work {
        Work::Source {
            node,
            input,
            record,
        } => {
            let def = ctx
                .program
                .nodes
                .get(node as usize)
                .ok_or_else(|| StreamsError::limit("unknown source node"))?;
            let (topic, partition) = task
                .inputs
                .get(input as usize)
                .ok_or_else(|| StreamsError::limit("unknown input partition"))?;
            let key = def.key_serde.deserialize(topic, record.key.as_deref())?;
            // A key and value that are the very same bytes (a re-keyed `groupBy(v -> v)`
            // record) deserialize to the same value: decode them once.
            let value = match (&record.key, &record.value, &key) {
                (Some(k), Some(v), Some(decoded))
                    if def.key_serde == def.value_serde && std::rc::Rc::ptr_eq(k, v) =>
                {
                    Some(decoded.clone())
                }
                _ => def
                    .value_serde
                    .deserialize(topic, record.value.as_deref())?,
            };
            let origin = Origin {
                topic: topic.clone(),
                partition: *partition,
                offset: record.offset,
            };
            task.origin = Some(origin);
            if let Some(slot) = task.consumed.get_mut(input as usize) {
                *slot = Some(record.offset.saturating_add(1));
            }
            task.processed_records += 1;
            let rec = StreamRecord {
                key,
                value,
                timestamp_ms: record.timestamp_ms,
            };
            let input = report.then(|| rec.clone());
            out.forwards.push((node, rec));
            (node, StepKind::Process, input)
        }
        Work::Process { node, record } => {
            let input = report.then(|| record.clone());
            process(ctx, task, node, record, collector, &mut out)?;
            (node, StepKind::Process, input)
        }
        Work::Flush { node, store, entry } => {
            if report {
                flush_origin = entry.origin.clone();
            }
            let input = flush_entry(ctx, task, node, store, *entry, collector, &mut out)?;
            (node, StepKind::CacheFlush, input)
        }
    };
    // Forward: each output to each child, depth first (pushed in reverse).
    let children: &[u32] = ctx
        .program
        .nodes
        .get(node_index as usize)
        .map_or(&[], |n| &n.children);
    let pending = out.forwards.len() as u64 * children.len() as u64;
    if task.stack.len() as u64 + pending > u64::from(ctx.limits.max_work) {
        return Err(StreamsError::limit(format!(
            "Task {} has more than {} records pending in its topology; the playground stops the application.",
            task.id, ctx.limits.max_work
        )));
    }
    let mut outputs = Vec::new();
    if report {
        for (_, rec) in out.forwards.iter() {
            for child in children {
                let name = ctx
                    .program
                    .nodes
                    .get(*child as usize)
                    .map(|n| n.name.clone())
                    .unwrap_or_else(|| Name::from(""));
                outputs.push(Forwarded {
                    child: name,
                    record: rec.clone(),
                });
            }
        }
    }
    task.stack.reserve(pending as usize);
    for (_, rec) in out.forwards.drain(..).rev() {
        match children {
            [only] => task.stack.push(Work::Process {
                node: *only,
                record: rec,
            }),
            _ => {
                for child in children.iter().rev() {
                    task.stack.push(Work::Process {
                        node: *child,
                        record: rec.clone(),
                    });
                }
            }
        }
    }
    let finished = task.stack.is_empty();
    let origin = match (report, kind) {
        (false, _) => None,
        (true, StepKind::CacheFlush) => flush_origin,
        (true, StepKind::Process) => task.origin.clone(),
    };
    if finished {
        task.origin = None;
    }
    if !report {
        return Ok(None);
    }
    let node = ctx
        .program
        .nodes
        .get(node_index as usize)
        .map(|n| n.name.clone())
        .unwrap_or_else(|| Name::from(""));
    Ok(Some(Box::new(StepReport {
        task: task.id,
        node,
        kind,
        input: input.unwrap_or_else(empty_record),
        origin,
        outputs,
        store_changes: out.store_changes,
        sent: out.sent,
        dropped: out.dropped,
        record_finished: finished,
    })))
}

fn process(
    ctx: &mut Ctx<'_>,
    task: &mut Task,
    node: u32,
    record: StreamRecord,
    collector: &mut dyn Collector,
    out: &mut Out<'_>,
) -> Result<(), StreamsError> {
    let Some(def) = ctx.program.nodes.get(node as usize) else {
        return Ok(());
    };
    match &def.op {
        Operation::Source { .. } | Operation::ToStream => out.forwards.push((node, record)),
        Operation::Filter(predicate) => {
            if predicate(record.key.as_ref(), record.value.as_ref()) {
                out.forwards.push((node, record));
            }
        }
        Operation::MapValues(mapper) => {
            let value = mapper(record.value.as_ref());
            out.forwards.push((
                node,
                StreamRecord {
                    key: record.key,
                    value,
                    timestamp_ms: record.timestamp_ms,
                },
            ));
        }
        Operation::FlatMapValues(mapper) => {
            let values = mapper(record.value.as_ref());
            if task.stack.len() as u64 + values.len() as u64 > u64::from(ctx.limits.max_work) {
                return Err(StreamsError::limit(format!(
                    "{} produced {} records from one; the playground handles at most {} pending records per task.",
                    def.name,
                    values.len(),
                    ctx.limits.max_work
                )));
            }
            out.forwards.extend(values.into_iter().map(|value| {
                (
                    node,
                    StreamRecord {
                        key: record.key.clone(),
                        value,
                        timestamp_ms: record.timestamp_ms,
                    },
                )
            }));
        }
        Operation::Map(mapper) => {
            let (key, value) = mapper(record.key.as_ref(), record.value.as_ref());
            out.forwards.push((
                node,
                StreamRecord {
                    key,
                    value,
                    timestamp_ms: record.timestamp_ms,
                },
            ));
        }
        Operation::SelectKey(mapper) => {
            let key = mapper(record.key.as_ref(), record.value.as_ref());
            out.forwards.push((
                node,
                StreamRecord {
                    key,
                    value: record.value,
                    timestamp_ms: record.timestamp_ms,
                },
            ));
        }
        Operation::Sink { .. } => {
            // Bound sinks always have their topic; the empty name is only a fallback.
            let unnamed;
            let topic = match def.topic.as_ref() {
                Some(topic) => topic,
                None => {
                    unnamed = Name::from("");
                    &unnamed
                }
            };
            if !def.key_serde.accepts(record.key.as_ref())
                || !def.value_serde.accepts(record.value.as_ref())
            {
                return Err(class_cast(topic, def, &record));
            }
            let timestamp_ms = record.timestamp_ms;
            let (key, value, sent) = if out.report {
                let key = def.key_serde.serialize(record.key.as_ref());
                let value = def.value_serde.serialize(record.value.as_ref());
                (key, value, Some(record))
            } else {
                (
                    serialize_owned(def.key_serde, record.key),
                    serialize_owned(def.value_serde, record.value),
                    None,
                )
            };
            let partition = collector.send(topic, None, key, value, timestamp_ms)?;
            if let Some(record) = sent {
                out.sent.push(SentRecord {
                    topic: topic.clone(),
                    partition,
                    key: record.key,
                    value: record.value,
                    timestamp_ms,
                    changelog: false,
                });
            }
        }
        Operation::Aggregate { store, kind } => {
            aggregate(ctx, task, node, *store, kind, record, collector, out)?;
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn aggregate(
    ctx: &mut Ctx<'_>,
    task: &mut Task,
    node: u32,
    store: u32,
    kind: &AggregateKind,
    record: StreamRecord,
    collector: &mut dyn Collector,
    out: &mut Out<'_>,
) -> Result<(), StreamsError> {
    let StreamRecord {
        key,
        value,
        timestamp_ms: record_timestamp_ms,
    } = record;
    let (Some(key), Some(value)) = (key, value) else {
        let origin = task.origin.as_ref();
        out.dropped = Some(format!(
            "Skipping record due to null key or value. topic=[{}] partition=[{}] offset=[{}]",
            origin.map_or("", |o| &*o.topic),
            origin.map_or(0, |o| o.partition),
            origin.map_or(0, |o| o.offset)
        ));
        return Ok(());
    };
    let Some(def) = ctx.program.stores.get(store as usize) else {
        return Ok(());
    };
    if !def.key_serde.accepts(Some(&key)) {
        return Err(StreamsError::new(
            "java.lang.ClassCastException",
            format!(
                "class {} cannot be cast to the key type of store {}",
                key.java_class(),
                def.name
            ),
        ));
    }
    let key_bytes = def
        .key_serde
        .serialize(Some(&key))
        .unwrap_or_else(|| Bytes::from(&[][..]));
    let cache_key: CacheKey = (task.id.subtopology, task.id.partition, store);
    let mut flushed: Vec<DirtyEntry> = Vec::new();
    // Read: through the cache when caching, a miss filling it with a clean entry. Only the
    // old value and its timestamp matter here.
    let old: Option<(Value, u64)> = if ctx.program.caching {
        match ctx.cache.get(cache_key, &key_bytes) {
            Some(hit) => hit.map(|v| (v.value, v.timestamp_ms)),
            None => {
                let from_store = task
                    .stores
                    .get(&store)
                    .and_then(|s| s.get(&key_bytes))
                    .cloned();
                match from_store {
                    Some(v) => {
                        let size = serialized_len(def.value_serde, &v.value);
                        let old = (v.value.clone(), v.timestamp_ms);
                        flushed.extend(ctx.cache.put(
                            cache_key,
                            key_bytes.clone(),
                            Some(v),
                            size,
                            false,
                            None,
                        ));
                        Some(old)
                    }
                    None => None,
                }
            }
        }
    } else {
        task.stores
            .get(&store)
            .and_then(|s| s.get(&key_bytes))
            .map(|v| (v.value.clone(), v.timestamp_ms))
    };
    let (new_value, timestamp_ms) = match &old {
        None => {
            let initial = match kind {
                AggregateKind::Count => Value::Long(1),
                AggregateKind::Reduce(_) => value.clone(),
                AggregateKind::Aggregate(init, agg) => agg(&key, &value, &init()),
            };
            (initial, record_timestamp_ms)
        }
        Some((old_value, old_timestamp_ms)) => {
            let next = match kind {
                AggregateKind::Count => {
                    Value::Long(old_value.as_long().unwrap_or(0).wrapping_add(1))
                }
                AggregateKind::Reduce(reducer) => reducer(old_value, &value),
                AggregateKind::Aggregate(_, agg) => agg(&key, &value, old_value),
            };
            (next, record_timestamp_ms.max(*old_timestamp_ms))
        }
    };
    if !def.value_serde.accepts(Some(&new_value)) {
        return Err(StreamsError::new(
            "java.lang.ClassCastException",
            format!(
                "class {} cannot be cast to class {} (the value serde of store {})",
                new_value.java_class(),
                match def.value_serde {
                    Serde::String => "java.lang.String",
                    Serde::Long => "java.lang.Long",
                },
                def.name
            ),
        ));
    }
    if out.report {
        out.store_changes.push(StoreChange {
            store: def.name.clone(),
            key: key.clone(),
            old: old.map(|(v, _)| v),
            new: Some(new_value.clone()),
            timestamp_ms,
            cached: ctx.program.caching,
        });
    }
    if ctx.program.caching {
        let size = serialized_len(def.value_serde, &new_value);
        let stored = StoredValue {
            key,
            value: new_value,
            timestamp_ms,
        };
        flushed.extend(ctx.cache.put(
            cache_key,
            key_bytes,
            Some(stored),
            size,
            true,
            task.origin.clone(),
        ));
        // Flushed entries run next, in order (pushed in reverse onto the stack).
        if task.stack.len() as u64 + flushed.len() as u64 > u64::from(ctx.limits.max_work) {
            return Err(StreamsError::limit(
                "too many cache entries flushed at once",
            ));
        }
        for entry in flushed.into_iter().rev() {
            task.stack.push(Work::Flush {
                node,
                store,
                entry: Box::new(entry),
            });
        }
    } else {
        let forwarded = StreamRecord {
            key: Some(key.clone()),
            value: Some(new_value.clone()),
            timestamp_ms,
        };
        let stored = StoredValue {
            key,
            value: new_value,
            timestamp_ms,
        };
        write_store(task, def, store, key_bytes, Some(stored), collector, out)?;
        out.forwards.push((node, forwarded));
    }
    Ok(())
}

fn serialized_len(serde: Serde, value: &Value) -> u64 {
    match (serde, value) {
        (Serde::String, Value::Str(text)) => text.len() as u64,
        _ => 8,
    }
}

/// Writes the store and sends the changelog record (the change-logging layer).
fn write_store(
    task: &mut Task,
    def: &ProgramStore,
    store: u32,
    key_bytes: Bytes,
    value: Option<StoredValue>,
    collector: &mut dyn Collector,
    out: &mut Out<'_>,
) -> Result<(), StreamsError> {
    let timestamp_ms = value.as_ref().map_or(0, |v| v.timestamp_ms);
    // What the report shows, taken before the store takes the value.
    let reported = if out.report {
        value.as_ref().map(|v| (v.key.clone(), v.value.clone()))
    } else {
        None
    };
    let Some(kv) = task.stores.get_mut(&store) else {
        return Ok(());
    };
    let bytes = def.value_serde.serialize(value.as_ref().map(|v| &v.value));
    kv.put_shared(&key_bytes, value)?;
    let partition = collector.send(
        &def.changelog,
        Some(task.id.partition),
        Some(key_bytes),
        bytes,
        timestamp_ms,
    )?;
    if out.report {
        let (key, value) = match reported {
            Some((key, value)) => (Some(key), Some(value)),
            None => (None, None),
        };
        out.sent.push(SentRecord {
            topic: def.changelog.clone(),
            partition,
            key,
            value,
            timestamp_ms,
            changelog: true,
        });
    }
    Ok(())
}

/// One cache entry flushed: the store (and changelog) get it, then the children. Returns the
/// record that went in, for a report.
fn flush_entry(
    ctx: &mut Ctx<'_>,
    task: &mut Task,
    node: u32,
    store: u32,
    entry: DirtyEntry,
    collector: &mut dyn Collector,
    out: &mut Out<'_>,
) -> Result<Option<StreamRecord>, StreamsError> {
    let Some(def) = ctx.program.stores.get(store as usize) else {
        return Ok(out.report.then(empty_record));
    };
    let old = task
        .stores
        .get(&store)
        .and_then(|s| s.get(&entry.key))
        .cloned();
    let key = entry
        .value
        .as_ref()
        .map(|v| v.key.clone())
        .or_else(|| old.as_ref().map(|o| o.key.clone()));
    let record = StreamRecord {
        key: key.clone(),
        value: entry.value.as_ref().map(|v| v.value.clone()),
        timestamp_ms: entry.value.as_ref().map_or(0, |v| v.timestamp_ms),
    };
    // CachingKeyValueStore.putAndMaybeForward: nothing to do if neither side has the key.
    if entry.value.is_none() && old.is_none() {
        return Ok(out.report.then_some(record));
    }
    if out.report
        && let Some(key) = &key
    {
        out.store_changes.push(StoreChange {
            store: def.name.clone(),
            key: key.clone(),
            old: old.as_ref().map(|o| o.value.clone()),
            new: record.value.clone(),
            timestamp_ms: record.timestamp_ms,
            cached: false,
        });
    }
    write_store(task, def, store, entry.key, entry.value, collector, out)?;
    let input = out.report.then(|| record.clone());
    out.forwards.push((node, record));
    Ok(input)
}
