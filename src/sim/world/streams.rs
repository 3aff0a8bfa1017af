//! Kafka Streams applications in the world: starting, stepping and stopping them, and the
//! three things their runtime needs of the engine that no other client did: producing raw
//! bytes (a `Long` value is 8 bytes, not text), committing explicit offsets (what was
//! processed, not what was fetched), and `DeleteRecords` on repartition topics.
//!
//! Invariants: an application runs only inside `Due::StreamsLoop` handling or a `streams_*`
//! call, taken out of the world's map while it runs (so it can drive the world) and put back
//! after; its loop is rescheduled every `poll.ms` while it is alive; at most
//! [`MAX_STREAMS_APPS`] applications are kept (stopped ones are dropped first).
//!
//! Starting one of Kafka's examples, stepping and stopping are scenario commands
//! (`Command::StartStreams`, `StreamsStep`, …), so `World::replay` rebuilds them; the public
//! methods here go through `World::apply`. Simplified versus Kafka: an arbitrary topology
//! started with [`World::start_streams`] is not a command (a topology holds closures), so a
//! replay does not rebuild it.

use crate::sim::client::PendingRecord;
use crate::sim::command::{Command, Outcome, StreamsExample};
use crate::sim::error::SimError;
use crate::sim::log::Bytes;
use crate::sim::streams::{StepReport, StreamsApp, StreamsConfig, Topology, examples};
use crate::sim::world::{Due, World};

/// Most Streams applications a world keeps (running or stopped).
pub const MAX_STREAMS_APPS: u32 = 8;

impl World {
    // -----------------------------------------------------------------------------------------
    // Public API

    /// Starts `topology` as a Kafka Streams application configured by `config`; returns its
    /// id. Refused when a source topic is missing, when an application with the same
    /// `application.id` already runs, or beyond [`MAX_STREAMS_APPS`].
    pub fn start_streams(
        &mut self,
        topology: &Topology,
        config: StreamsConfig,
    ) -> Result<u32, SimError> {
        if self
            .streams
            .values()
            .any(|a| a.is_alive() && a.application_id() == config.application_id)
        {
            return Err(SimError::InvalidRequest(format!(
                "A Streams application with application.id {} is already running.",
                config.application_id
            )));
        }
        if self.streams.len() as u32 >= MAX_STREAMS_APPS {
            let stopped = self
                .streams
                .iter()
                .find(|(_, a)| !a.is_alive())
                .map(|(id, _)| *id);
            match stopped {
                Some(id) => {
                    self.streams.remove(&id);
                }
                None => {
                    return Err(SimError::LimitExceeded(format!(
                        "The playground runs at most {MAX_STREAMS_APPS} Streams applications at once."
                    )));
                }
            }
        }
        let id = self.next_streams_id;
        let poll_ms = config.poll_ms.max(1);
        let app = StreamsApp::start(self, id, topology, config)?;
        // Only a started application uses up its id, so a refused start changes nothing.
        self.next_streams_id = self.next_streams_id.saturating_add(1);
        self.streams.insert(id, app);
        self.schedule(poll_ms, Due::StreamsLoop { app: id });
        Ok(id)
    }

    /// An application.
    pub fn streams_app(&self, id: u32) -> Option<&StreamsApp> {
        self.streams.get(&id)
    }

    /// All applications, by id.
    pub fn streams_apps(&self) -> impl Iterator<Item = &StreamsApp> {
        self.streams.values()
    }

    /// The id of the running application with this `application.id`.
    pub fn streams_app_id(&self, application_id: &str) -> Option<u32> {
        self.streams
            .values()
            .find(|a| a.is_alive() && a.application_id() == application_id)
            .map(StreamsApp::id)
    }

    /// Starts one of Kafka's Streams examples (recorded in the scenario, so replay rebuilds
    /// it): its topology and configuration, with `statestore.cache.max.bytes` and
    /// `commit.interval.ms` overridden when given. Returns the application's id.
    pub fn start_streams_example(
        &mut self,
        example: StreamsExample,
        cache_max_bytes: Option<u64>,
        commit_interval_ms: Option<u64>,
        manual: bool,
    ) -> Result<u32, SimError> {
        match self.apply(Command::StartStreams {
            example,
            cache_max_bytes,
            commit_interval_ms,
            manual,
        })? {
            Outcome::Streams(id) => Ok(id),
            _ => Err(unknown_app(0)),
        }
    }

    /// Switches an application between running by itself (each loop processes everything
    /// buffered) and waiting for [`World::streams_step`].
    pub fn set_streams_manual(&mut self, id: u32, manual: bool) -> Result<(), SimError> {
        self.apply(Command::SetStreamsManual { app: id, manual })
            .map(|_| ())
    }

    /// Advances exactly one record through exactly one processor node of application `id`;
    /// `None` when it has nothing to do.
    pub fn streams_step(&mut self, id: u32) -> Result<Option<StepReport>, SimError> {
        match self.apply(Command::StreamsStep { app: id })? {
            Outcome::Steps(mut steps) => Ok(steps.pop()),
            _ => Ok(None),
        }
    }

    /// Steps until the record in progress has gone through the whole topology (or, between
    /// records, through one whole record); returns the steps.
    pub fn streams_finish_record(&mut self, id: u32) -> Result<Vec<StepReport>, SimError> {
        match self.apply(Command::StreamsFinishRecord { app: id })? {
            Outcome::Steps(steps) => Ok(steps),
            _ => Ok(Vec::new()),
        }
    }

    /// Steps until nothing is buffered or pending (at most `MAX_STEPS_PER_LOOP` steps);
    /// returns the number of steps. The reports are in [`StreamsApp::recent_steps`].
    pub fn streams_run_until_idle(&mut self, id: u32) -> Result<u64, SimError> {
        match self.apply(Command::StreamsRunUntilIdle { app: id })? {
            Outcome::StepCount(steps) => Ok(steps),
            _ => Ok(0),
        }
    }

    /// Closes application `id`: it finishes and commits what it processed and leaves its
    /// group.
    pub fn stop_streams(&mut self, id: u32) -> Result<(), SimError> {
        self.apply(Command::StopStreams { app: id }).map(|_| ())
    }

    // -----------------------------------------------------------------------------------------
    // The commands

    pub(crate) fn start_streams_example_inner(
        &mut self,
        example: StreamsExample,
        cache_max_bytes: Option<u64>,
        commit_interval_ms: Option<u64>,
        manual: bool,
    ) -> Result<u32, SimError> {
        let (topology, mut config) = examples::example_app(example);
        if let Some(bytes) = cache_max_bytes {
            config.statestore_cache_max_bytes = bytes;
        }
        if let Some(ms) = commit_interval_ms {
            config.commit_interval_ms = ms.max(1);
        }
        let id = self.start_streams(&topology, config)?;
        if manual && let Some(app) = self.streams.get_mut(&id) {
            app.set_manual(true);
        }
        Ok(id)
    }

    pub(crate) fn set_streams_manual_inner(
        &mut self,
        id: u32,
        manual: bool,
    ) -> Result<(), SimError> {
        let app = self.streams.get_mut(&id).ok_or_else(|| unknown_app(id))?;
        app.set_manual(manual);
        Ok(())
    }

    pub(crate) fn streams_step_inner(&mut self, id: u32) -> Result<Option<StepReport>, SimError> {
        let mut app = self.streams.remove(&id).ok_or_else(|| unknown_app(id))?;
        let result = app.step(self);
        self.streams.insert(id, app);
        result
    }

    pub(crate) fn streams_finish_record_inner(
        &mut self,
        id: u32,
    ) -> Result<Vec<StepReport>, SimError> {
        let mut reports = Vec::new();
        while let Some(report) = self.streams_step_inner(id)? {
            let finished = report.record_finished;
            reports.push(report);
            if finished {
                break;
            }
        }
        Ok(reports)
    }

    pub(crate) fn streams_run_until_idle_inner(&mut self, id: u32) -> Result<u64, SimError> {
        let mut app = self.streams.remove(&id).ok_or_else(|| unknown_app(id))?;
        let result = app.run_until_idle(self);
        self.streams.insert(id, app);
        result
    }

    pub(crate) fn stop_streams_inner(&mut self, id: u32) -> Result<(), SimError> {
        let mut app = self.streams.remove(&id).ok_or_else(|| unknown_app(id))?;
        app.close(self);
        self.streams.insert(id, app);
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // What the runtime needs of the engine

    pub(crate) fn on_streams_loop(&mut self, id: u32) {
        let Some(mut app) = self.streams.remove(&id) else {
            return;
        };
        app.tick(self);
        let next = app.is_alive().then_some(app.config().poll_ms.max(1));
        self.streams.insert(id, app);
        if let Some(delay) = next {
            self.schedule(delay, Due::StreamsLoop { app: id });
        }
    }

    /// Produces a record of raw bytes (what a serializer wrote) through producer `producer_id`:
    /// an explicit partition, or the producer's partitioner (murmur2 of the key; sticky for a
    /// null key). Returns the partition.
    pub(crate) fn produce_bytes(
        &mut self,
        producer_id: u32,
        topic: &str,
        partition: Option<u32>,
        key: Option<Bytes>,
        value: Option<Bytes>,
        timestamp_ms: u64,
    ) -> Result<u32, SimError> {
        self.produce_record(
            producer_id,
            topic,
            partition,
            PendingRecord {
                key,
                value,
                headers: Vec::new(),
                timestamp_ms,
                size_bytes: 0,
            },
        )
        .map(|(_, partition)| partition)
    }

    /// `DeleteRecords` below `offset` (at most the high watermark) on one partition.
    pub(crate) fn purge_records(&mut self, topic: &str, partition: u32, offset: u64) {
        if let Some(p) = self
            .topics
            .get_mut(topic)
            .and_then(|t| t.partitions.get_mut(partition as usize))
        {
            let high_watermark = p.high_watermark;
            let _ = p
                .log
                .delete_records(offset.min(high_watermark), high_watermark);
        }
    }
}

fn unknown_app(id: u32) -> SimError {
    SimError::InvalidRequest(format!("There is no Streams application {id}."))
}
