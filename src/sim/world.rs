//! The `World`: owner of the virtual clock, the one seeded RNG and everything simulated.
//!
//! Invariants: the clock only moves forward, and only through [`World::advance`] and
//! [`World::step`]; the RNG is only drawn from inside `World` methods, in a deterministic order;
//! every state change is reported as a [`TraceEvent`]; commands change the world only through
//! [`World::apply`], which records them, so [`World::scenario`] can rebuild it. Same seed + same
//! commands at the same virtual times ⇒ identical trace, on native and wasm32 alike.
//!
//! The work is split by subject: `world/admin.rs` (brokers, topics, the controller),
//! `world/produce.rs` (producers, the leader's log, replication), `world/consume.rs` (consumers,
//! fetching, offsets) and `world/coordinator.rs` (the group coordinator and rebalances).

mod admin;
pub mod auto;
mod client_names;
mod consume;
/// Java's `String.hashCode()`, also what orders Streams' `describe()` sets.
pub(crate) use consume::java_string_hash;
mod coordinator;
mod produce;
pub use consume::MAX_MEMBERS;
pub use produce::{InFlightRecord, InFlightStage};
mod queries;
mod reassign;
mod streams;

use crate::sim::vecmap::{VecMap, VecSet};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

use serde::{Deserialize, Serialize};

use crate::sim::client::{Consumer, PendingRecord, Producer};
use crate::sim::cluster::{Broker, Topic};
use crate::sim::command::{Command, Outcome, Scenario, TimedCommand};
use crate::sim::error::SimError;
use crate::sim::group::Group;
use crate::sim::log::chunked::Chunked;
use crate::sim::rng::Rng;
use crate::sim::trace::{Endpoint, Name, TraceEvent, TraceKind};

/// How a world is set up: the broker-side settings a `server.properties` would hold, and the
/// simulated network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WorldConfig {
    /// Brokers running at the start (node ids 1..=brokers).
    pub brokers: u32,
    /// `auto.create.topics.enable` (default true).
    pub auto_create_topics: bool,
    /// `num.partitions` for auto-created topics (default 1).
    pub num_partitions: u32,
    /// `default.replication.factor` (default 1).
    pub default_replication_factor: u32,
    /// `offsets.topic.replication.factor` (the quickstart's server.properties sets 1).
    pub offsets_topic_replication_factor: u32,
    /// `offsets.topic.num.partitions` (default 50).
    pub offsets_topic_num_partitions: u32,
    /// One-way network latency, drawn uniformly from this range for each message, in ms.
    pub latency_ms_min: u64,
    pub latency_ms_max: u64,
    /// `replica.lag.time.max.ms` (default 30000).
    pub replica_lag_time_max_ms: u64,
    /// `log.retention.check.interval.ms` (default 300000).
    pub retention_check_interval_ms: u64,
    /// `log.cleaner.backoff.ms` (default 15000): how often the cleaner looks for work.
    pub cleaner_backoff_ms: u64,
    /// `group.initial.rebalance.delay.ms` (default 3000).
    pub group_initial_rebalance_delay_ms: u64,
    /// Trace events kept for the event log (older ones are dropped first).
    pub trace_capacity: u32,
    /// Records each partition keeps in memory at most (the simulation's bound, not Kafka's:
    /// older records are dropped as if by `DeleteRecords` and the log start moves).
    pub max_records_per_partition: u32,
    /// Commands the world remembers for [`World::scenario`]; past it the oldest are dropped and
    /// the scenario no longer replays from the seed ([`World::history_is_complete`]).
    pub history_capacity: u32,
}

impl Default for WorldConfig {
    fn default() -> Self {
        Self {
            brokers: 1,
            auto_create_topics: true,
            num_partitions: 1,
            default_replication_factor: 1,
            offsets_topic_replication_factor: 1,
            offsets_topic_num_partitions: 50,
            latency_ms_min: 5,
            latency_ms_max: 25,
            replica_lag_time_max_ms: 30_000,
            retention_check_interval_ms: 300_000,
            cleaner_backoff_ms: 15_000,
            group_initial_rebalance_delay_ms: 3_000,
            trace_capacity: 20_000,
            max_records_per_partition: 100_000,
            history_capacity: 1_000_000,
        }
    }
}

/// Most virtual time one `advance` may cover: periodic timers (heartbeats, checks) keep firing,
/// so an unbounded step would never finish.
pub const MAX_ADVANCE_MS: u64 = 7 * 24 * 60 * 60 * 1000;

/// Records each `__consumer_offsets` partition keeps at most (the simulation's memory bound,
/// not Kafka's, below [`WorldConfig::max_records_per_partition`] when that is larger). Every
/// group's consumers commit every partition they own every `auto.commit.interval.ms`, changed
/// or not, for as long as they run, so this log grows with nobody producing; Kafka bounds it by
/// compacting rolled segments, but a segment holds `offsets.topic.segment.bytes` (100 MiB, at
/// least 1 MiB on a 4.x broker), about a million of these records, so none rolls in a page.
/// Older commits are dropped as if by `DeleteRecords`; the coordinator's committed offsets
/// (what consumers and `kafka-consumer-groups.sh` read) are not in the log and stay.
pub const OFFSETS_RECORDS_MAX: u32 = 1_000;

/// A topic's log settings with the world's memory bound applied (`cap`, and
/// [`OFFSETS_RECORDS_MAX`] for `__consumer_offsets`).
pub(crate) fn capped(topic: &Topic, cap: u32) -> crate::sim::log::LogSettings {
    let mut settings = topic.config.log_settings();
    let cap = if topic.internal && &*topic.name == admin::OFFSETS_TOPIC {
        cap.min(OFFSETS_RECORDS_MAX)
    } else {
        cap
    };
    settings.max_records_kept = settings.max_records_kept.min(cap.max(1));
    settings
}

/// An entry of the event queue: `due` at virtual time `at_ms`, `seq` numbering schedulings.
///
/// Ordered so that `BinaryHeap` (a max-heap) pops the earliest `(at_ms, seq)` first: events run
/// by time, and those at the same time in the order they were scheduled. `seq` is unique, so the
/// order is total and exactly the one a map keyed by `(at_ms, seq)` iterates in. A heap rather
/// than a `BTreeMap`: a fraction of the code in the wasm, and O(log n) push and pop.
#[derive(Clone, Debug)]
struct Scheduled {
    at_ms: u64,
    seq: u64,
    due: Due,
}

impl Scheduled {
    fn key(&self) -> (u64, u64) {
        (self.at_ms, self.seq)
    }
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Scheduled {}

impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Scheduled {
    fn cmp(&self, other: &Self) -> Ordering {
        other.key().cmp(&self.key())
    }
}

/// The recorded commands, oldest first, in blocks of at most [`History::BLOCK`]: a long
/// history grows by new blocks instead of copying itself into ever larger buffers.
#[derive(Clone, Debug, Default)]
struct History {
    /// Never holds an empty block; every block but the last is full.
    blocks: Vec<Vec<TimedCommand>>,
}

impl History {
    const BLOCK: usize = 4096;

    fn len(&self) -> usize {
        match self.blocks.last() {
            Some(last) => (self.blocks.len() - 1) * Self::BLOCK + last.len(),
            None => 0,
        }
    }

    fn push(&mut self, command: TimedCommand) {
        match self.blocks.last_mut() {
            Some(last) if last.len() < Self::BLOCK => last.push(command),
            // The first block grows as a `Vec` does (a short history stays small); later ones
            // are allocated whole.
            Some(_) => {
                let mut block = Vec::with_capacity(Self::BLOCK);
                block.push(command);
                self.blocks.push(block);
            }
            None => self.blocks.push(vec![command]),
        }
    }

    fn clear(&mut self) {
        self.blocks.clear();
    }

    /// Drops the `count` oldest commands.
    fn drop_front(&mut self, count: usize) {
        let mut all = std::mem::take(self).into_vec();
        all.drain(..count.min(all.len()));
        for command in all {
            self.push(command);
        }
    }

    fn to_vec(&self) -> Vec<TimedCommand> {
        self.blocks.concat()
    }

    fn into_vec(mut self) -> Vec<TimedCommand> {
        if self.blocks.len() <= 1 {
            return self.blocks.pop().unwrap_or_default();
        }
        let mut all = Vec::with_capacity(self.len());
        for block in self.blocks {
            all.extend(block);
        }
        all
    }
}

/// Something scheduled to happen at a virtual time.
#[derive(Clone, Debug)]
pub(crate) enum Due {
    /// A producer's linger timer for one partition's batch.
    Linger {
        producer: u32,
        topic: Name,
        partition: u32,
        batch_id: u64,
    },
    /// A produce request reaches the broker it was sent to.
    ProduceArrives {
        producer: u32,
        topic: Name,
        partition: u32,
        broker: u32,
        records: Vec<PendingRecord>,
        sent_at_ms: u64,
        first_sent_ms: u64,
        /// The batch's sequence number for this producer and partition (idempotence).
        seq: u64,
    },
    /// A producer resends a batch after a retriable error and `retry.backoff.ms`.
    ProduceRetry {
        producer: u32,
        topic: Name,
        partition: u32,
        records: Vec<PendingRecord>,
        first_sent_ms: u64,
        seq: u64,
    },
    /// A follower's fetch reaches the leader.
    FollowerFetch {
        topic: Name,
        partition: u32,
        follower: u32,
    },
    /// Periodic ISR check (`replica.lag.time.max.ms`).
    IsrCheck,
    /// A consumer polls (sends a fetch).
    Poll { consumer: u32, seq: u64 },
    /// A fetch response reaches a consumer.
    FetchArrives {
        consumer: u32,
        generation: i32,
        records: Vec<(Name, u32, u64)>,
    },
    /// A consumer's heartbeat timer.
    Heartbeat { consumer: u32 },
    /// A JoinGroup request reaches the coordinator.
    JoinArrives { consumer: u32 },
    /// The coordinator ends the join phase (all joined, initial delay, or rebalance timeout).
    JoinDeadline { group: Name, seq: u64 },
    /// A JoinGroup response reaches a member.
    JoinResponse {
        consumer: u32,
        group: Name,
        generation: i32,
        seq: u64,
    },
    /// A SyncGroup request (with the assignment, from the leader) reaches the coordinator.
    SyncArrives {
        consumer: u32,
        group: Name,
        generation: i32,
    },
    /// A SyncGroup error (REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION) reaches a member.
    SyncRejected { consumer: u32, group: Name },
    /// A SyncGroup response (the member's assignment) reaches a member.
    SyncResponse {
        consumer: u32,
        group: Name,
        generation: i32,
        assignment: Vec<(Name, u32)>,
    },
    /// Check whether a member's session has expired.
    SessionExpiry { group: Name, member: Name },
    /// The auto-commit timer.
    AutoCommit { consumer: u32, seq: u64 },
    /// An OffsetCommit reaches the coordinator.
    CommitArrives {
        consumer: u32,
        group: Name,
        generation: i32,
        offsets: Vec<(Name, u32, u64)>,
    },
    /// The log retention check.
    RetentionCheck,
    /// The log cleaner looks for a partition to compact.
    CleanerRun,
    /// A Streams application's thread loop (`poll.ms`).
    StreamsLoop { app: u32 },
    /// A producer's generator sends its next record (`world/auto.rs`).
    AutoProduce { producer: u32, epoch: u64 },
}

/// The whole simulated system.
#[derive(Clone, Debug)]
pub struct World {
    pub(crate) config: WorldConfig,
    seed: u64,
    pub(crate) now_ms: u64,
    pub(crate) rng: Rng,
    pub(crate) cluster_id: String,
    pub(crate) brokers: VecMap<u32, Broker>,
    pub(crate) topics: VecMap<Name, Topic>,
    pub(crate) producers: VecMap<u32, Producer>,
    pub(crate) consumers: VecMap<u32, Consumer>,
    pub(crate) groups: VecMap<Name, Group>,
    queue: BinaryHeap<Scheduled>,
    next_seq: u64,
    /// The engine's id for the next producer or consumer (one sequence for both; ids are never
    /// reused, and scenario commands name clients by them).
    pub(crate) next_client_id: u32,
    /// `client.id` numbering, as Kafka's clients do it: `ProducerConfig` numbers producers
    /// (`producer-1`, `producer-2`, …) from a counter of their own, and `ConsumerConfig` numbers
    /// consumers (`consumer-<group.id>-<n>`) from another, one per JVM. Here each group stands
    /// for one application, one JVM running that group's consumers, so the counter is kept
    /// per group (`None`: consumers without a group, named `consumer-null-<n>` as Kafka does).
    pub(crate) client_names: client_names::ClientNames,
    /// Events not yet handed out by `advance`/`step`/`take_events`.
    pending: Vec<TraceEvent>,
    /// The most recent events, for the event log (in shared chunks: a clone copies pointers).
    recent: Chunked<TraceEvent>,
    history: History,
    /// Whether `history` holds every command since the world began.
    history_complete: bool,
    /// acks=all produce requests waiting for the ISR, per partition.
    pub(crate) pending_acks: VecMap<(Name, u32), Vec<produce::PendingAck>>,
    /// Followers with a fetch on its way to the leader, so each has at most one.
    pub(crate) fetching_followers: VecSet<(Name, u32, u32)>,
    /// The broker side of idempotent producing: the next batch sequence expected per producer
    /// and partition.
    pub(crate) expected_seq: VecMap<(u32, Name, u32), u64>,
    /// When the last message on each connection arrives: TCP keeps a connection's messages in
    /// order, so a later message never overtakes an earlier one.
    connections: VecMap<(Endpoint, Endpoint), u64>,
    /// Kafka Streams applications, by id (`world/streams.rs`).
    pub(crate) streams: VecMap<u32, crate::sim::streams::StreamsApp>,
    /// The id the next Streams application gets (ids are never reused, even after a stopped
    /// application is forgotten).
    pub(crate) next_streams_id: u32,
    /// Producers sending on their own, by producer id (`world/auto.rs`).
    pub(crate) auto: VecMap<u32, auto::AutoProduce>,
}

impl World {
    /// A new world at virtual time 0 with Kafka's defaults and one running broker (node.id 1),
    /// as after the quickstart's `kafka-server-start.sh`.
    pub fn new(seed: u64) -> Self {
        Self::with_config(seed, WorldConfig::default())
    }

    /// A new world with the given configuration.
    pub fn with_config(seed: u64, config: WorldConfig) -> Self {
        let mut rng = Rng::new(seed);
        let cluster_id = admin::random_uuid_base64(&mut rng);
        let brokers = (1..=config.brokers.clamp(1, crate::sim::cluster::MAX_BROKERS))
            .map(|id| (id, Broker { id, running: true }))
            .collect();
        let mut world = Self {
            config,
            seed,
            now_ms: 0,
            rng,
            cluster_id,
            brokers,
            topics: VecMap::new(),
            producers: VecMap::new(),
            consumers: VecMap::new(),
            groups: VecMap::new(),
            queue: BinaryHeap::new(),
            next_seq: 0,
            next_client_id: 1,
            client_names: client_names::ClientNames::default(),
            pending: Vec::new(),
            recent: Chunked::new(),
            history: History::default(),
            history_complete: true,
            pending_acks: VecMap::new(),
            fetching_followers: VecSet::new(),
            expected_seq: VecMap::new(),
            connections: VecMap::new(),
            streams: VecMap::new(),
            next_streams_id: 1,
            auto: VecMap::new(),
        };
        world.emit(TraceKind::WorldStarted { seed });
        let brokers: Vec<u32> = world.brokers.keys().copied().collect();
        for broker in brokers {
            world.emit(TraceKind::BrokerStarted { broker });
        }
        let check = world.config.retention_check_interval_ms.max(1);
        world.schedule(check, Due::RetentionCheck);
        let backoff = world.config.cleaner_backoff_ms.max(1);
        world.schedule(backoff, Due::CleanerRun);
        let isr_check = (world.config.replica_lag_time_max_ms / 2).max(1);
        world.schedule(isr_check, Due::IsrCheck);
        world
    }

    /// Rebuilds the world a scenario describes, up to virtual time `until_ms`.
    pub fn replay(scenario: &Scenario, until_ms: u64) -> Result<World, SimError> {
        let mut world = World::with_config(scenario.seed, scenario.config.clone());
        for timed in &scenario.commands {
            if timed.at_ms > until_ms {
                break;
            }
            world.advance_to(timed.at_ms)?;
            match world.apply(timed.command.clone()) {
                Ok(_) => {}
                // Recorded although it failed (see `apply`): it fails again, identically.
                Err(_) if timed.command.fails_with_effect() => {}
                Err(e) => return Err(e),
            }
        }
        world.advance_to(until_ms)?;
        Ok(world)
    }

    /// The seed this world was built from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Its configuration.
    pub fn config(&self) -> &WorldConfig {
        &self.config
    }

    /// Current virtual time in milliseconds.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// The cluster id (as `kafka-storage.sh random-uuid` would print one).
    pub fn cluster_id(&self) -> &str {
        &self.cluster_id
    }

    /// The scenario that rebuilds this world: seed, configuration and every command applied.
    pub fn scenario(&self) -> Scenario {
        Scenario {
            seed: self.seed,
            config: self.config.clone(),
            commands: self.history.to_vec(),
        }
    }

    /// Whether [`World::scenario`] still holds every command since the start (so replaying it
    /// from the seed rebuilds this world).
    pub fn history_is_complete(&self) -> bool {
        self.history_complete
    }

    /// Drops the recorded commands (a caller that checkpoints the world itself, such as the
    /// Playground's timeline, keeps memory bounded this way).
    pub fn forget_history(&mut self) {
        self.history.clear();
        self.history_complete = false;
    }

    /// Takes the commands recorded since the history was last taken or forgotten (a caller
    /// that keeps its own timeline, such as the Playground's, moves them into it).
    pub fn take_history(&mut self) -> Vec<TimedCommand> {
        self.history_complete = false;
        std::mem::take(&mut self.history).into_vec()
    }

    /// The most recent trace events (at most `trace_capacity`), oldest first.
    pub fn recent_events(&self) -> &Chunked<TraceEvent> {
        &self.recent
    }

    /// Events emitted since the last `advance`/`step`/`take_events` (by commands, say).
    pub fn take_events(&mut self) -> Vec<TraceEvent> {
        // Room for a little more than last time, so a busy caller's next batch does not
        // regrow it.
        let room = Vec::with_capacity(self.pending.len() + self.pending.len() / 2);
        std::mem::replace(&mut self.pending, room)
    }

    /// Applies a command at the current virtual time. A refused command changes nothing and is
    /// not recorded.
    pub fn apply(&mut self, command: Command) -> Result<Outcome, SimError> {
        let outcome = match &command {
            Command::CreateTopic {
                name,
                partitions,
                replication_factor,
                configs,
            } => self
                .create_topic_inner(name, *partitions, *replication_factor, configs, false)
                .map(|_| Outcome::Done),
            Command::CreateTopicAssigned {
                name,
                replica_assignment,
                configs,
            } => self
                .create_topic_assigned_inner(name, replica_assignment, configs)
                .map(|_| Outcome::Done),
            Command::DeleteTopic { name } => self.delete_topic_inner(name).map(|_| Outcome::Done),
            Command::IncreasePartitions { name, partitions } => self
                .increase_partitions_inner(name, *partitions)
                .map(|_| Outcome::Done),
            Command::AlterTopicConfig { name, key, value } => self
                .alter_topic_config_inner(name, key, value.as_deref())
                .map(|_| Outcome::Done),
            Command::StartBroker { id } => self.start_broker_inner(*id).map(|_| Outcome::Done),
            Command::StopBroker { id } => self.stop_broker_inner(*id).map(|_| Outcome::Done),
            Command::SetAutoCreateTopics { enabled } => {
                self.config.auto_create_topics = *enabled;
                Ok(Outcome::Done)
            }
            Command::AddProducer { config } => self
                .add_producer_inner(config.clone())
                .map(Outcome::Producer),
            Command::Produce { producer, record } => self
                .produce_inner(*producer, record)
                .map(|(topic, partition)| Outcome::Accepted { topic, partition }),
            Command::Flush { producer } => self.flush_inner(*producer).map(|_| Outcome::Done),
            Command::SetAutoProduce {
                producer,
                topic,
                rate_per_s,
                keys,
                value_prefix,
            } => self
                .set_auto_produce_inner(*producer, topic, *rate_per_s, keys, value_prefix)
                .map(|_| Outcome::Done),
            Command::ProduceRecords {
                producer,
                topic,
                partition,
                count,
                first,
                value_prefix,
            } => self
                .produce_records_inner(*producer, topic, *partition, *count, *first, value_prefix)
                .map(|_| Outcome::Done),
            Command::CloseProducer { producer } => {
                self.close_producer_inner(*producer).map(|_| Outcome::Done)
            }
            Command::AddConsumer {
                config,
                subscription,
            } => self
                .add_consumer_inner(config.clone(), subscription.clone())
                .map(Outcome::Consumer),
            Command::StopConsumer { consumer } => {
                self.stop_consumer_inner(*consumer).map(|_| Outcome::Done)
            }
            Command::CrashConsumer { consumer } => {
                self.crash_consumer_inner(*consumer).map(|_| Outcome::Done)
            }
            Command::CommitSync { consumer } => self.commit_inner(*consumer).map(|_| Outcome::Done),
            Command::Seek {
                consumer,
                topic,
                partition,
                offset,
            } => self
                .seek_inner(*consumer, topic, *partition, *offset)
                .map(|_| Outcome::Done),
            Command::ResetOffsets {
                group,
                topic,
                target,
                partitions,
            } => self
                .reset_offsets_inner(group, topic.as_deref(), partitions.as_deref(), target, true)
                .map(Outcome::Offsets),
            Command::DeleteRecords {
                topic,
                partition,
                offset,
            } => self
                .delete_records_inner(topic, *partition, *offset)
                .map(|low| Outcome::Offsets(vec![(topic.clone(), *partition, low)])),
            Command::ElectLeaders {
                election_type,
                partitions,
            } => Ok(Outcome::Elections(
                self.elect_leaders_inner(*election_type, partitions.as_deref()),
            )),
            Command::AlterPartitionReassignments { reassignments } => Ok(Outcome::Reassignments(
                self.alter_partition_reassignments_inner(reassignments),
            )),
            Command::DeleteGroup { group } => self.delete_group_inner(group).map(|_| Outcome::Done),
            Command::StartStreams {
                example,
                cache_max_bytes,
                commit_interval_ms,
                manual,
            } => self
                .start_streams_example_inner(
                    *example,
                    *cache_max_bytes,
                    *commit_interval_ms,
                    *manual,
                )
                .map(Outcome::Streams),
            Command::SetStreamsManual { app, manual } => self
                .set_streams_manual_inner(*app, *manual)
                .map(|_| Outcome::Done),
            Command::StreamsStep { app } => self
                .streams_step_inner(*app)
                .map(|step| Outcome::Steps(step.into_iter().collect())),
            Command::StreamsFinishRecord { app } => {
                self.streams_finish_record_inner(*app).map(Outcome::Steps)
            }
            Command::StreamsRunUntilIdle { app } => self
                .streams_run_until_idle_inner(*app)
                .map(Outcome::StepCount),
            Command::StopStreams { app } => self.stop_streams_inner(*app).map(|_| Outcome::Done),
        };
        match outcome {
            Ok(outcome) => {
                self.record(command);
                Ok(outcome)
            }
            Err(e) => {
                // A Streams step that fails stops its application (state ERROR, consumer and
                // producer closed): the world changed, so the scenario keeps the command and a
                // replay fails the same way.
                if command.fails_with_effect() && self.streams.contains_key(&command_app(&command))
                {
                    self.record(command);
                }
                Err(e)
            }
        }
    }

    fn record(&mut self, command: Command) {
        if self.history.len() >= self.config.history_capacity.max(1) as usize {
            let drop = (self.history.len() / 10).max(1);
            self.history.drop_front(drop);
            self.history_complete = false;
        }
        self.history.push(TimedCommand {
            at_ms: self.now_ms,
            command,
        });
    }

    /// Moves virtual time forward by `delta_ms`, running everything scheduled meanwhile, and
    /// returns what happened (including events from commands applied since the last call).
    pub fn advance(&mut self, delta_ms: u64) -> Result<Vec<TraceEvent>, SimError> {
        let target = advance_target(self.now_ms, delta_ms, MAX_ADVANCE_MS, " (7 days)")?;
        self.advance_to(target)?;
        Ok(self.take_events())
    }

    /// Runs the next scheduled event (moving the clock to its time) and returns what happened.
    /// Returns only pending command events when nothing is scheduled.
    pub fn step(&mut self) -> Vec<TraceEvent> {
        if let Some(Scheduled { at_ms, due, .. }) = self.queue.pop() {
            self.now_ms = self.now_ms.max(at_ms);
            self.handle(due);
        }
        self.take_events()
    }

    /// Virtual time of the next scheduled event, if any.
    pub fn next_event_ms(&self) -> Option<u64> {
        self.queue.peek().map(|s| s.at_ms)
    }

    /// Runs events until virtual time `target_ms` (events stay in `pending`).
    pub(crate) fn advance_to(&mut self, target_ms: u64) -> Result<(), SimError> {
        if target_ms < self.now_ms {
            return Err(SimError::InvalidTime(format!(
                "cannot go back from {} ms to {target_ms} ms",
                self.now_ms
            )));
        }
        while self.queue.peek().is_some_and(|s| s.at_ms <= target_ms) {
            let Some(Scheduled { at_ms, due, .. }) = self.queue.pop() else {
                break;
            };
            self.now_ms = at_ms;
            self.handle(due);
        }
        self.now_ms = target_ms;
        Ok(())
    }

    fn handle(&mut self, due: Due) {
        match due {
            Due::Linger {
                producer,
                topic,
                partition,
                batch_id,
            } => self.on_linger(producer, &topic, partition, batch_id),
            Due::ProduceArrives {
                producer,
                topic,
                partition,
                broker,
                records,
                sent_at_ms,
                first_sent_ms,
                seq,
            } => self.on_produce_arrives(
                producer,
                &topic,
                partition,
                broker,
                records,
                (sent_at_ms, first_sent_ms, seq),
            ),
            Due::ProduceRetry {
                producer,
                topic,
                partition,
                records,
                first_sent_ms,
                seq,
            } => self.transmit(producer, &topic, partition, records, first_sent_ms, seq),
            Due::FollowerFetch {
                topic,
                partition,
                follower,
            } => self.on_follower_fetch(&topic, partition, follower),
            Due::IsrCheck => self.on_isr_check(),
            Due::Poll { consumer, seq } => self.on_poll(consumer, seq),
            Due::FetchArrives {
                consumer,
                generation,
                records,
            } => self.on_fetch_arrives(consumer, generation, records),
            Due::Heartbeat { consumer } => self.on_heartbeat(consumer),
            Due::JoinArrives { consumer } => self.on_join_arrives(consumer),
            Due::JoinDeadline { group, seq } => self.on_join_deadline(&group, seq),
            Due::JoinResponse {
                consumer,
                group,
                generation,
                seq,
            } => self.on_join_response(consumer, &group, generation, seq),
            Due::SyncArrives {
                consumer,
                group,
                generation,
            } => self.on_sync_arrives(consumer, &group, generation),
            Due::SyncResponse {
                consumer,
                group,
                generation,
                assignment,
            } => self.on_sync_response(consumer, &group, generation, assignment),
            Due::SyncRejected { consumer, group } => self.on_sync_rejected(consumer, &group),
            Due::SessionExpiry { group, member } => self.on_session_expiry(&group, &member),
            Due::AutoCommit { consumer, seq } => self.on_auto_commit(consumer, seq),
            Due::CommitArrives {
                consumer,
                group,
                generation,
                offsets,
            } => self.on_commit_arrives(consumer, &group, generation, offsets),
            Due::RetentionCheck => self.on_retention_check(),
            Due::CleanerRun => self.on_cleaner_run(),
            Due::StreamsLoop { app } => self.on_streams_loop(app),
            Due::AutoProduce { producer, epoch } => self.on_auto_produce(producer, epoch),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Shared plumbing for the subject modules

    /// Schedules `due` to run `delay_ms` from now. Ties run in scheduling order.
    pub(crate) fn schedule(&mut self, delay_ms: u64, due: Due) {
        let at = self.now_ms.saturating_add(delay_ms);
        self.schedule_at(at, due);
    }

    /// Schedules `due` at virtual time `at_ms` (not before now).
    pub(crate) fn schedule_at(&mut self, at_ms: u64, due: Due) {
        let at = at_ms.max(self.now_ms);
        self.queue.push(Scheduled {
            at_ms: at,
            seq: self.next_seq,
            due,
        });
        self.next_seq += 1;
    }

    /// One network hop's latency, drawn from the world's RNG.
    pub(crate) fn latency(&mut self) -> u64 {
        let (lo, hi) = (self.config.latency_ms_min, self.config.latency_ms_max);
        self.rng.between(lo, hi)
    }

    /// When a message sent now from `from` to `to` arrives: a fresh latency, but never before
    /// the previous message on the same connection.
    pub(crate) fn hop(&mut self, from: Endpoint, to: Endpoint) -> u64 {
        let latency = self.latency();
        let arrival = self.now_ms + latency;
        let last = self.connections.entry((from, to)).or_insert(0);
        *last = (*last).max(arrival);
        *last
    }

    /// Records an event at the current virtual time.
    pub(crate) fn emit(&mut self, kind: TraceKind) {
        let event = TraceEvent {
            at_ms: self.now_ms,
            kind,
        };
        let capacity = self.config.trace_capacity as usize;
        if capacity > 0 {
            if self.recent.len() >= capacity {
                self.recent.drop_front();
            }
            self.recent.push_back(event.clone());
        }
        // Bounded too: a caller that never drains still cannot make the world grow forever.
        if self.pending.len() >= capacity.max(1) * 4 {
            self.pending.drain(..capacity.max(1));
        }
        self.pending.push(event);
    }

    /// Whether broker `id` exists and runs.
    pub(crate) fn broker_alive(&self, id: u32) -> bool {
        self.brokers.get(&id).is_some_and(|b| b.running)
    }

    /// The interned name for a topic, if it exists.
    /// Partition `partition` of `topic`, to change it.
    pub(crate) fn partition_mut(
        &mut self,
        topic: &str,
        partition: u32,
    ) -> Option<&mut crate::sim::cluster::Partition> {
        self.topics
            .get_mut(topic)
            .and_then(|t| t.partitions.get_mut(partition as usize))
    }

    pub(crate) fn topic_name(&self, topic: &str) -> Option<Name> {
        self.topics.get_key_value(topic).map(|(k, _)| k.clone())
    }
}

// ---------------------------------------------------------------------------------------------
// Convenience commands (each is `apply` with a `Command`, so it is recorded like any other)

impl World {
    /// Creates a topic with explicit partitions and replication factor and no configs.
    pub fn create_topic(
        &mut self,
        name: &str,
        partitions: u32,
        replication_factor: u32,
    ) -> Result<(), SimError> {
        self.apply(Command::CreateTopic {
            name: name.to_string(),
            partitions: Some(partitions),
            replication_factor: Some(replication_factor),
            configs: Vec::new(),
        })
        .map(|_| ())
    }

    /// Adds a producer with Kafka's default configuration; returns its id.
    pub fn add_producer(&mut self) -> Result<u32, SimError> {
        match self.apply(Command::AddProducer {
            config: Default::default(),
        })? {
            Outcome::Producer(id) => Ok(id),
            _ => Err(SimError::InvalidRequest("no producer created".to_string())),
        }
    }

    /// Produces a record (`key` `None` is a null key); returns the partition it was put in.
    pub fn produce(
        &mut self,
        producer: u32,
        topic: &str,
        key: Option<&str>,
        value: &str,
    ) -> Result<u32, SimError> {
        match self.apply(Command::Produce {
            producer,
            record: crate::sim::command::NewRecord::new(topic, key, value),
        })? {
            Outcome::Accepted { partition, .. } => Ok(partition),
            _ => Err(SimError::InvalidRequest("record not accepted".to_string())),
        }
    }

    /// Adds a consumer in `group` subscribed to `topics`, reading from the earliest offset when
    /// the group has none committed; returns its id.
    pub fn add_group_consumer(&mut self, group: &str, topics: &[&str]) -> Result<u32, SimError> {
        let config = crate::sim::client::ConsumerConfig {
            group_id: Some(group.to_string()),
            auto_offset_reset: crate::sim::client::OffsetReset::Earliest,
            ..Default::default()
        };
        match self.apply(Command::AddConsumer {
            config,
            subscription: crate::sim::command::Subscription::Topics(
                topics.iter().map(|t| t.to_string()).collect(),
            ),
        })? {
            Outcome::Consumer(id) => Ok(id),
            _ => Err(SimError::InvalidRequest("no consumer created".to_string())),
        }
    }
}

/// The virtual time `delta_ms` after `now_ms`, refused beyond `max_ms` (named `max_note`
/// in the message) or on overflow: one check for every clock that advances in steps.
pub(crate) fn advance_target(
    now_ms: u64,
    delta_ms: u64,
    max_ms: u64,
    max_note: &str,
) -> Result<u64, SimError> {
    if delta_ms > max_ms {
        return Err(SimError::InvalidTime(format!(
            "cannot advance {delta_ms} ms at once: at most {max_ms} ms{max_note} per step"
        )));
    }
    now_ms.checked_add(delta_ms).ok_or_else(|| {
        SimError::InvalidTime(format!(
            "advancing {delta_ms} ms from {now_ms} ms overflows"
        ))
    })
}

/// The Streams application a Streams command names (0 for other commands).
fn command_app(command: &Command) -> u32 {
    match command {
        Command::SetStreamsManual { app, .. }
        | Command::StreamsStep { app }
        | Command::StreamsFinishRecord { app }
        | Command::StreamsRunUntilIdle { app }
        | Command::StopStreams { app } => *app,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_world_has_one_running_broker_and_reports_it() {
        let mut world = World::new(42);
        let events = world.advance(10).expect("advance");
        assert_eq!(
            events
                .iter()
                .map(|e| e.kind.clone())
                .take(2)
                .collect::<Vec<_>>(),
            vec![
                TraceKind::WorldStarted { seed: 42 },
                TraceKind::BrokerStarted { broker: 1 }
            ]
        );
        assert_eq!(world.now_ms(), 10);
        assert_eq!(world.brokers().len(), 1);
    }

    #[test]
    fn advance_refuses_overflow_and_keeps_the_clock() {
        let mut world = World::new(1);
        world.advance(100).expect("advance");
        let err = world.advance(u64::MAX).expect_err("must overflow");
        assert!(matches!(err, SimError::InvalidTime(_)));
        assert_eq!(world.now_ms(), 100);
    }

    #[test]
    fn the_cluster_id_is_fixed_by_the_seed() {
        assert_eq!(World::new(5).cluster_id(), World::new(5).cluster_id());
        assert_ne!(World::new(5).cluster_id(), World::new(6).cluster_id());
        assert_eq!(World::new(5).cluster_id().len(), 22);
    }
}
