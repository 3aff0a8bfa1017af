//! A Kafka Streams application running on a `World`: `KafkaStreams` with one `StreamThread`.
//!
//! Responsibility: everything around the [`StreamThread`] that touches the cluster, through the
//! engine's own machinery so it shows like any client's:
//!
//! - at start, the internal topics are created as Kafka's `InternalTopicManager` creates them:
//!   `<application.id>-<store>-repartition` with `RepartitionTopicConfig` (`cleanup.policy`
//!   delete, `segment.bytes` 52428800, `retention.ms` -1, `message.timestamp.type`
//!   CreateTime) and as many partitions as the sub-topology writing it reads;
//!   `<application.id>-<store>-changelog` with `UnwindowedUnversionedChangelogTopicConfig`
//!   (`cleanup.policy` compact, `message.timestamp.type` CreateTime) and one partition per task;
//! - one engine consumer (`<application.id>-<uuid>-StreamThread-1-consumer`) in group
//!   `application.id`, subscribed to every source topic, repartition topics included, with
//!   Streams' overrides (`enable.auto.commit` false, `max.poll.records` 1000); the group assigns
//!   partitions, and the tasks follow the assignment; a new task restores its store from its
//!   changelog before processing;
//! - one engine producer (`…-StreamThread-1-producer`, `linger.ms` 100 as Streams sets it)
//!   for sinks, repartition and changelog records, partitioned by murmur2 of the key (changelog
//!   records go to the task's partition);
//! - the thread loop runs every `poll.ms` (100 ms) of virtual time: take what the consumer has
//!   fetched into the task buffers (at most `buffered.records.per.partition`), process (unless
//!   stepping by hand), and every `commit.interval.ms` commit: flush the record cache through
//!   the topology, flush the producer, then commit the processed offsets to the group (so its
//!   lag shows in `kafka-consumer-groups.sh`), and purge committed repartition records
//!   (`repartition.purge.interval.ms`).
//!
//! Invariants: processing goes only through [`StreamThread::step`], automatic or by hand; an
//! error (a bad record, a wrong serde, a full store) stops the application in state `ERROR`
//! with Kafka's exception, never a panic; the reports kept for views are bounded.
//!
//! Simplified versus Kafka: records are picked up at the thread's next loop (at most `poll.ms`
//! after the consumer received them) rather than the moment `poll` returns; the consumer uses
//! the engine's assignors, not `StreamsPartitionAssignor` (one thread owns every task anyway);
//! internal topics are created at start rather than in the first rebalance; a missing source
//! topic refuses the start (Kafka fails in the first rebalance with
//! `MissingSourceTopicException`); closing sends a LeaveGroup; starting an application is not
//! a scenario command, so replaying a scenario does not restart it.

use crate::sim::vecmap::{VecMap, VecSet};
use std::collections::VecDeque;
use std::rc::Rc;

use crate::sim::client::{ConsumerConfig, ConsumerState, OffsetReset, ProducerConfig};
use crate::sim::command::Subscription;
use crate::sim::error::SimError;
use crate::sim::log::Bytes;
use crate::sim::streams::task::{
    Buffered, Collector, Limits, Program, StepReport, StreamThread, TaskId,
};
use crate::sim::streams::topology::{Operation, Topology};
use crate::sim::streams::value::{Serde, StreamsError};
use crate::sim::trace::Name;
use crate::sim::world::World;

/// Most steps one loop of the thread takes (the rest wait for the next loop), so one
/// `advance` never stalls the page.
pub const MAX_STEPS_PER_LOOP: u32 = 200_000;

/// A Streams application's configuration (`StreamsConfig`), Kafka 4's defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamsConfig {
    /// `application.id`: the group id and the prefix of internal topics.
    pub application_id: String,
    /// `default.key.serde`.
    pub default_key_serde: Serde,
    /// `default.value.serde`.
    pub default_value_serde: Serde,
    /// `statestore.cache.max.bytes` (default 10485760); 0 forwards every update at once.
    pub statestore_cache_max_bytes: u64,
    /// `commit.interval.ms` (default 30000 with at-least-once).
    pub commit_interval_ms: u64,
    /// `auto.offset.reset` (Streams' default: earliest).
    pub auto_offset_reset: OffsetReset,
    /// `poll.ms` (default 100): the thread loop's period here.
    pub poll_ms: u64,
    /// The producer's `linger.ms` (Streams sets 100).
    pub linger_ms: u64,
    /// `replication.factor` for internal topics (`None`: the broker default, Kafka's -1).
    pub replication_factor: Option<u32>,
    /// `repartition.purge.interval.ms` (default 30000).
    pub repartition_purge_interval_ms: u64,
    /// The simulation's bounds: store keys, buffered records, pending work.
    pub limits: Limits,
    /// Step reports kept for views (the most recent), 0 for none.
    pub recent_steps_kept: u32,
}

impl StreamsConfig {
    /// Kafka's defaults with `application.id` set and String serdes.
    pub fn new(application_id: &str) -> Self {
        Self {
            application_id: application_id.to_string(),
            default_key_serde: Serde::String,
            default_value_serde: Serde::String,
            statestore_cache_max_bytes: 10_485_760,
            commit_interval_ms: 30_000,
            auto_offset_reset: OffsetReset::Earliest,
            poll_ms: 100,
            linger_ms: 100,
            replication_factor: None,
            repartition_purge_interval_ms: 30_000,
            limits: Limits::default(),
            recent_steps_kept: 1_000,
        }
    }
}

/// `KafkaStreams.State`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppState {
    /// Waiting for the group to assign partitions.
    Rebalancing,
    /// Processing.
    Running,
    /// Closed.
    NotRunning,
    /// Stopped by an error.
    Error,
}

impl AppState {
    /// The name Kafka prints.
    pub fn name(self) -> &'static str {
        match self {
            AppState::Rebalancing => "REBALANCING",
            AppState::Running => "RUNNING",
            AppState::NotRunning => "NOT_RUNNING",
            AppState::Error => "ERROR",
        }
    }
}

/// A running application.
#[derive(Clone, Debug)]
pub struct StreamsApp {
    id: u32,
    config: StreamsConfig,
    thread: StreamThread,
    consumer: u32,
    producer: u32,
    process_id: String,
    state: AppState,
    error: Option<StreamsError>,
    manual: bool,
    /// Next offset to take into a buffer, per input partition.
    fetched: VecMap<(Name, u32), u64>,
    last_commit_ms: u64,
    commit_pending: bool,
    last_purge_ms: u64,
    /// Offsets committed last, per input partition.
    committed: VecMap<(Name, u32), u64>,
    /// The assignment the tasks were last made for.
    synced: VecSet<(Name, u32)>,
    recent: VecDeque<StepReport>,
}

/// Sends through the application's engine producer.
struct WorldCollector<'a> {
    world: &'a mut World,
    producer: u32,
}

impl Collector for WorldCollector<'_> {
    fn send(
        &mut self,
        topic: &Name,
        partition: Option<u32>,
        key: Option<Bytes>,
        value: Option<Bytes>,
        timestamp_ms: u64,
    ) -> Result<u32, StreamsError> {
        self.world
            .produce_bytes(self.producer, topic, partition, key, value, timestamp_ms)
            .map_err(|e| StreamsError::new(e.exception_class(), e.message()))
    }
}

fn internal_topic_error(e: &SimError) -> SimError {
    SimError::InvalidRequest(format!(
        "Could not create internal topics: {}: {}",
        e.exception_class(),
        e.message()
    ))
}

impl StreamsApp {
    /// Starts `topology` as application `config.application_id` on `world` (the caller
    /// registers it under `id` and schedules its loop).
    pub(crate) fn start(
        world: &mut World,
        id: u32,
        topology: &Topology,
        config: StreamsConfig,
    ) -> Result<StreamsApp, SimError> {
        let app_id = config.application_id.clone();
        if app_id.is_empty() {
            return Err(SimError::InvalidRequest(
                "Missing required configuration \"application.id\" which has no default value."
                    .to_string(),
            ));
        }
        crate::sim::validate::validate_topic_name(&format!("{app_id}-x-changelog"))?;
        // Source topics the application does not own must exist.
        let mut missing: Vec<String> = Vec::new();
        for node in topology.nodes() {
            if let Operation::Source { topics, .. } = &node.op {
                for t in topics {
                    if !t.internal && world.topic(&t.name).is_none() {
                        missing.push(t.name.to_string());
                    }
                }
            }
        }
        if !missing.is_empty() {
            return Err(SimError::UnknownTopicOrPartition(format!(
                "The following source topics are missing/unknown: [{}]. Please make sure all source topics have been pre-created before starting the Streams application. ",
                missing.join(", ")
            )));
        }
        let program = Program::bind(
            topology,
            &app_id,
            config.default_key_serde,
            config.default_value_serde,
            config.statestore_cache_max_bytes > 0,
        );
        // Partitions per sub-topology: its external sources' counts, repartition topics taking
        // the count of the sub-topology that writes them (in sub-topology order, which follows
        // the data flow for this DSL).
        let subs = topology.subtopologies().len();
        let mut parts: Vec<u32> = vec![0; subs];
        let repartitions = topology.repartition_topics();
        for sub in topology.subtopologies() {
            let mut count = 0u32;
            for t in &sub.source_topics {
                let n = if t.internal {
                    repartitions
                        .iter()
                        .find(|(name, _)| *name == t.name)
                        .and_then(|(_, writer)| parts.get(*writer as usize).copied())
                        .unwrap_or(1)
                } else {
                    world
                        .topic(&t.name)
                        .map_or(1, |topic| topic.partition_count())
                };
                count = count.max(n);
            }
            if let Some(slot) = parts.get_mut(sub.id as usize) {
                *slot = count.max(1);
            }
        }
        let rf = config
            .replication_factor
            .unwrap_or(world.config.default_replication_factor)
            .min(world.live_brokers().len() as u32)
            .max(1);
        for (name, writer) in &repartitions {
            let full = format!("{app_id}-{name}");
            if world.topic(&full).is_none() {
                let configs = [
                    ("cleanup.policy", "delete"),
                    ("message.timestamp.type", "CreateTime"),
                    ("retention.ms", "-1"),
                    ("segment.bytes", "52428800"),
                ]
                .map(|(k, v)| (k.to_string(), v.to_string()));
                let n = parts.get(*writer as usize).copied().unwrap_or(1);
                world
                    .create_topic_inner(&full, Some(n), Some(rf), &configs, false)
                    .map_err(|e| internal_topic_error(&e))?;
            }
        }
        for (index, store) in program.stores.iter().enumerate() {
            if world.topic(&store.changelog).is_none() {
                let sub = topology
                    .nodes()
                    .iter()
                    .position(|n| matches!(&n.op, Operation::Aggregate { store: s, .. } if *s as usize == index))
                    .and_then(|node| topology.subtopology_of(node as u32))
                    .unwrap_or(0);
                let configs = [
                    ("cleanup.policy", "compact"),
                    ("message.timestamp.type", "CreateTime"),
                ]
                .map(|(k, v)| (k.to_string(), v.to_string()));
                let n = parts.get(sub as usize).copied().unwrap_or(1);
                world
                    .create_topic_inner(&store.changelog, Some(n), Some(rf), &configs, false)
                    .map_err(|e| internal_topic_error(&e))?;
            }
        }
        let process_id = uuid_text(world);
        let consumer_config = ConsumerConfig {
            client_id: format!("{app_id}-{process_id}-StreamThread-1-consumer"),
            group_id: Some(app_id.clone()),
            auto_offset_reset: config.auto_offset_reset,
            enable_auto_commit: false,
            max_poll_records: 1_000,
            ..ConsumerConfig::default()
        };
        let mut topics: Vec<String> = program.sources.keys().map(|t| t.to_string()).collect();
        crate::sim::sort::sort(&mut topics);
        let producer = world.add_producer_inner(ProducerConfig {
            client_id: format!("{app_id}-{process_id}-StreamThread-1-producer"),
            linger_ms: config.linger_ms,
            ..ProducerConfig::default()
        })?;
        let consumer = match world.add_consumer_inner(consumer_config, Subscription::Topics(topics))
        {
            Ok(c) => c,
            Err(e) => {
                let _ = world.close_producer_inner(producer);
                return Err(e);
            }
        };
        let now = world.now_ms();
        let cache = config.statestore_cache_max_bytes;
        let limits = config.limits;
        Ok(StreamsApp {
            id,
            thread: StreamThread::new(Rc::new(program), cache, limits),
            config,
            consumer,
            producer,
            process_id,
            state: AppState::Rebalancing,
            error: None,
            manual: false,
            fetched: VecMap::new(),
            last_commit_ms: now,
            commit_pending: false,
            last_purge_ms: now,
            committed: VecMap::new(),
            synced: VecSet::new(),
            recent: VecDeque::new(),
        })
    }

    // -----------------------------------------------------------------------------------------
    // Queries

    /// Its id in the world.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// `application.id`.
    pub fn application_id(&self) -> &str {
        &self.config.application_id
    }

    /// Its configuration.
    pub fn config(&self) -> &StreamsConfig {
        &self.config
    }

    /// The topology it runs.
    pub fn topology(&self) -> &Topology {
        &self.thread.program().topology
    }

    /// The thread: tasks, stores, record cache.
    pub fn thread(&self) -> &StreamThread {
        &self.thread
    }

    /// Its state.
    pub fn state(&self) -> AppState {
        self.state
    }

    /// What stopped it, if an error did.
    pub fn error(&self) -> Option<&StreamsError> {
        self.error.as_ref()
    }

    /// Whether it waits for steps by hand.
    pub fn is_manual(&self) -> bool {
        self.manual
    }

    /// Its engine consumer's id.
    pub fn consumer(&self) -> u32 {
        self.consumer
    }

    /// Its engine producer's id.
    pub fn producer(&self) -> u32 {
        self.producer
    }

    /// The process id in its client ids (`<application.id>-<uuid>-StreamThread-1-…`).
    pub fn process_id(&self) -> &str {
        &self.process_id
    }

    /// The most recent step reports (at most `recent_steps_kept`), oldest first.
    pub fn recent_steps(&self) -> &VecDeque<StepReport> {
        &self.recent
    }

    /// Whether it still runs (rebalancing or running).
    pub fn is_alive(&self) -> bool {
        matches!(self.state, AppState::Rebalancing | AppState::Running)
    }

    /// The full name of a store's changelog topic.
    pub fn changelog_topic(&self, store: &str) -> Option<Name> {
        self.thread
            .program()
            .stores
            .iter()
            .find(|s| &*s.name == store)
            .map(|s| s.changelog.clone())
    }

    // -----------------------------------------------------------------------------------------
    // Driving

    pub(crate) fn set_manual(&mut self, manual: bool) {
        self.manual = manual;
    }

    fn fail(&mut self, world: &mut World, error: StreamsError) {
        self.state = AppState::Error;
        self.error = Some(error);
        let _ = world.stop_consumer_inner(self.consumer);
        let _ = world.close_producer_inner(self.producer);
    }

    /// One loop of the thread (a `Due` of the world): follow the assignment, fill buffers,
    /// process unless stepping by hand, commit when due.
    pub(crate) fn tick(&mut self, world: &mut World) {
        if !self.is_alive() {
            return;
        }
        if let Err(e) = self.sync_tasks(world) {
            self.fail(world, e);
            return;
        }
        self.refill(world);
        if !self.manual
            && let Err(e) = self.run(world, MAX_STEPS_PER_LOOP)
        {
            self.fail(world, e);
            return;
        }
        let now = world.now_ms();
        if self.state == AppState::Running
            && !self.commit_pending
            && now.saturating_sub(self.last_commit_ms) >= self.config.commit_interval_ms
            && self.thread.between_records()
        {
            self.last_commit_ms = now;
            self.commit_pending = true;
            self.thread.flush_caches();
            if !self.manual
                && let Err(e) = self.run(world, MAX_STEPS_PER_LOOP)
            {
                self.fail(world, e);
                return;
            }
        }
        self.maybe_finish_commit(world);
    }

    /// One step by hand.
    pub(crate) fn step(&mut self, world: &mut World) -> Result<Option<StepReport>, SimError> {
        if !self.is_alive() {
            return Err(self.not_running());
        }
        if let Err(e) = self.sync_tasks(world) {
            self.fail(world, e.clone());
            return Err(SimError::InvalidRequest(e.to_string()));
        }
        if self.thread.is_idle() {
            self.refill(world);
        }
        let result = {
            let mut collector = WorldCollector {
                world,
                producer: self.producer,
            };
            self.thread.step(&mut collector, true)
        };
        match result {
            Ok(Some(Some(report))) => {
                self.remember(&report);
                self.maybe_finish_commit(world);
                Ok(Some(report))
            }
            Ok(_) => {
                self.maybe_finish_commit(world);
                Ok(None)
            }
            Err(e) => {
                let message = e.to_string();
                self.fail(world, e);
                Err(SimError::InvalidRequest(message))
            }
        }
    }

    fn not_running(&self) -> SimError {
        SimError::InvalidRequest(format!(
            "Streams application {} is not running (state {}).",
            self.config.application_id,
            self.state.name()
        ))
    }

    fn remember(&mut self, report: &StepReport) {
        let kept = self.config.recent_steps_kept as usize;
        if kept == 0 {
            return;
        }
        while self.recent.len() >= kept {
            self.recent.pop_front();
        }
        self.recent.push_back(report.clone());
    }

    /// Steps until idle or `max` steps; returns the number of steps.
    pub(crate) fn run(&mut self, world: &mut World, max: u32) -> Result<u64, StreamsError> {
        let want_reports = self.config.recent_steps_kept > 0;
        let mut steps = 0u64;
        while steps < u64::from(max) {
            let outcome = {
                let mut collector = WorldCollector {
                    world,
                    producer: self.producer,
                };
                if want_reports {
                    self.thread.step(&mut collector, true)?
                } else {
                    // The same step, without a report to move around.
                    self.thread.step_quiet(&mut collector)?.then_some(None)
                }
            };
            match outcome {
                Some(report) => {
                    steps += 1;
                    if let Some(report) = report {
                        self.remember(&report);
                    }
                }
                None => {
                    // Buffers may have room again: take more of what the consumer fetched.
                    if self.refill(world) == 0 {
                        break;
                    }
                }
            }
        }
        Ok(steps)
    }

    /// Runs until idle by hand (bounded), finishing a pending commit.
    pub(crate) fn run_until_idle(&mut self, world: &mut World) -> Result<u64, SimError> {
        if !self.is_alive() {
            return Err(self.not_running());
        }
        if let Err(e) = self.sync_tasks(world) {
            self.fail(world, e.clone());
            return Err(SimError::InvalidRequest(e.to_string()));
        }
        self.refill(world);
        match self.run(world, MAX_STEPS_PER_LOOP) {
            Ok(steps) => {
                self.maybe_finish_commit(world);
                Ok(steps)
            }
            Err(e) => {
                let message = e.to_string();
                self.fail(world, e);
                Err(SimError::InvalidRequest(message))
            }
        }
    }

    /// Closes: flush and commit what was processed, leave the group, close the producer.
    pub(crate) fn close(&mut self, world: &mut World) {
        if !self.is_alive() {
            return;
        }
        if self.thread.between_records() {
            self.thread.flush_caches();
        }
        if self.run(world, MAX_STEPS_PER_LOOP).is_ok() && self.thread.between_records() {
            self.commit_now(world);
        }
        let _ = world.stop_consumer_inner(self.consumer);
        let _ = world.close_producer_inner(self.producer);
        self.state = AppState::NotRunning;
    }

    fn maybe_finish_commit(&mut self, world: &mut World) {
        if self.commit_pending && self.thread.between_records() && !self.thread.has_dirty_cache() {
            self.commit_pending = false;
            self.commit_now(world);
        }
    }

    /// Producer flush, then the offsets of what was processed to the group, then the purge of
    /// committed repartition records.
    fn commit_now(&mut self, world: &mut World) {
        let _ = world.flush_inner(self.producer);
        let active = world
            .consumer(self.consumer)
            .is_some_and(|c| c.state == ConsumerState::Active);
        if !active {
            return;
        }
        let offsets = self.thread.take_commit_offsets();
        if !offsets.is_empty() {
            for (topic, partition, offset) in &offsets {
                self.committed.insert((topic.clone(), *partition), *offset);
            }
            world.commit_offsets_as(self.consumer, offsets);
        }
        let now = world.now_ms();
        if now.saturating_sub(self.last_purge_ms) >= self.config.repartition_purge_interval_ms {
            self.last_purge_ms = now;
            let prefix = format!("{}-", self.config.application_id);
            for ((topic, partition), offset) in &self.committed {
                let internal = topic.starts_with(&prefix) && topic.ends_with("-repartition");
                if internal {
                    world.purge_records(topic, *partition, *offset);
                }
            }
        }
    }

    /// Follows the consumer's assignment: a task for every sub-topology partition whose input
    /// partitions are all assigned.
    fn sync_tasks(&mut self, world: &mut World) -> Result<(), StreamsError> {
        let Some(consumer) = world.consumer(self.consumer) else {
            return Err(StreamsError::new(
                "java.lang.IllegalStateException",
                "The stream thread's consumer is gone.",
            ));
        };
        if !consumer.is_alive() {
            return Err(StreamsError::new(
                "java.lang.IllegalStateException",
                "The stream thread's consumer was closed.",
            ));
        }
        if consumer.state != ConsumerState::Active {
            self.state = AppState::Rebalancing;
            return Ok(());
        }
        if self.state == AppState::Running && self.synced == consumer.assignment {
            return Ok(());
        }
        let assignment = consumer.assignment.clone();
        let program = self.thread.program_rc();
        let mut desired: Vec<TaskId> = Vec::new();
        for (sub, topics) in program.subtopology_topics.iter().enumerate() {
            let max = topics
                .iter()
                .filter_map(|t| world.topic(t).map(|t| t.partition_count()))
                .max()
                .unwrap_or(0);
            for partition in 0..max {
                if !topics.is_empty()
                    && topics
                        .iter()
                        .all(|t| assignment.contains(&(t.clone(), partition)))
                {
                    desired.push(TaskId {
                        subtopology: sub as u32,
                        partition,
                    });
                }
            }
        }
        let current: Vec<TaskId> = self.thread.tasks().map(|t| t.id()).collect();
        let removed: Vec<TaskId> = current
            .iter()
            .filter(|id| !desired.contains(id))
            .copied()
            .collect();
        if !removed.is_empty() && self.thread.between_records() {
            // Revoked: commit what was processed, then close the tasks.
            self.commit_now(world);
            for id in removed {
                if let Some(task) = self.thread.task(id) {
                    for tp in task.inputs().to_vec() {
                        self.fetched.remove(&tp);
                    }
                }
                self.thread.remove_task(id);
            }
        }
        for id in desired {
            if self.thread.ensure_task(id) {
                self.restore(world, id)?;
                if let Some(task) = self.thread.task(id) {
                    for (topic, partition) in task.inputs().to_vec() {
                        let start = self.start_offset(world, &topic, partition);
                        self.fetched.insert((topic, partition), start);
                    }
                }
            }
        }
        if self.thread.between_records() {
            self.synced = assignment;
        }
        self.state = AppState::Running;
        Ok(())
    }

    /// Where a new task starts reading a partition: the group's committed offset, else
    /// `auto.offset.reset`.
    fn start_offset(&self, world: &World, topic: &Name, partition: u32) -> u64 {
        let committed = world
            .group(&self.config.application_id)
            .and_then(|g| g.committed.get(&(topic.clone(), partition)))
            .map(|c| c.offset);
        let Some(p) = world
            .topic(topic)
            .and_then(|t| t.partitions.get(partition as usize))
        else {
            return committed.unwrap_or(0);
        };
        match (committed, self.config.auto_offset_reset) {
            (Some(offset), _) => offset,
            (None, OffsetReset::Earliest) => p.log.log_start_offset(),
            (None, _) => p.high_watermark,
        }
    }

    /// Restores a new task's stores from their changelog partitions.
    fn restore(&mut self, world: &World, id: TaskId) -> Result<(), StreamsError> {
        let stores: Vec<u32> = self
            .thread
            .task(id)
            .map(|t| t.stores().map(|(i, _)| i).collect())
            .unwrap_or_default();
        for store in stores {
            let Some(changelog) = self
                .thread
                .program()
                .stores
                .get(store as usize)
                .map(|s| s.changelog.clone())
            else {
                continue;
            };
            let Some(p) = world
                .topic(&changelog)
                .and_then(|t| t.partitions.get(id.partition as usize))
            else {
                continue;
            };
            let end = p.high_watermark;
            for r in p.log.read(p.log.log_start_offset(), u32::MAX) {
                if r.offset >= end {
                    break;
                }
                let Some(key) = &r.key else { continue };
                self.thread
                    .restore(id, store, key, r.value.as_deref(), r.timestamp_ms)?;
            }
        }
        Ok(())
    }

    /// Takes what the consumer has fetched into the task buffers; returns how many records.
    fn refill(&mut self, world: &World) -> u64 {
        let Some(consumer) = world.consumer(self.consumer) else {
            return 0;
        };
        let mut taken = 0u64;
        let inputs: Vec<(Name, u32)> = self.fetched.keys().cloned().collect();
        for (topic, partition) in inputs {
            let Some(&end) = consumer.positions.get(&(topic.clone(), partition)) else {
                continue;
            };
            let room = self.thread.buffer_room(&topic, partition);
            let from = self
                .fetched
                .get(&(topic.clone(), partition))
                .copied()
                .unwrap_or(0);
            if room == 0 || from >= end {
                continue;
            }
            let Some(p) = world
                .topic(&topic)
                .and_then(|t| t.partitions.get(partition as usize))
            else {
                continue;
            };
            let start = from.max(p.log.log_start_offset());
            let records: Vec<Buffered> = p
                .log
                .read(start, room)
                .into_iter()
                .take_while(|r| r.offset < end)
                .map(|r| Buffered {
                    offset: r.offset,
                    key: r.key,
                    value: r.value,
                    timestamp_ms: r.timestamp_ms,
                })
                .collect();
            let offsets: Vec<u64> = records.iter().map(|r| r.offset).collect();
            let count = self.thread.enqueue_all(&topic, partition, records);
            // The offset after the last record taken (the buffer had room for all of them).
            let next = match count.checked_sub(1) {
                Some(last) => offsets.get(last as usize).map_or(start, |o| o + 1),
                None => start,
            };
            taken += u64::from(count);
            self.fetched.insert((topic, partition), next);
        }
        taken
    }
}

/// A random UUID in `UUID.randomUUID().toString()` form, from the world's RNG (the process id
/// in Streams' client ids).
fn uuid_text(world: &mut World) -> String {
    let hi = world.rng.next_u64();
    let lo = world.rng.next_u64();
    let hi = (hi & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
    let lo = (lo & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}
