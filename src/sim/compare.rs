//! EDA vs SOA: one business flow built both ways and driven by the same users.
//!
//! A [`Comparison`] takes a [`Preset`] (a front service and its downstream services) and builds
//! it twice, on one virtual clock:
//! - **SOA**: a [`Soa`] model where the front service calls every downstream service, in turn
//!   or all at once ([`Fanout`]), and answers the user when they have all answered (or fails,
//!   or falls back, as each call's [`CallPolicy`] says).
//! - **EDA**: the same front service (a one-service [`Soa`], so it has the same latency,
//!   threads and queue) writes one event per request to a topic on the engine's broker
//!   ([`World`]) and answers the user once the write is acknowledged; each downstream service
//!   is a consumer group of its own on that topic, processing each record in its service's mean
//!   work time.
//!
//! One seeded stream of user requests (random gaps, plus spikes) feeds both sides at the same
//! virtual moments, and every [`Control`] (a service down, slow or up again, a spike, a new
//! downstream service) applies to both sides at once. Metrics are sampled into a bounded ring
//! ([`Sample`]s, one per `sample_interval_ms`).
//!
//! Invariants: time moves only through [`Comparison::advance`], which moves the SOA model, the
//! event side's front and the `World` together, event by event, so nothing on one side sees the
//! other's future; every random draw comes from a SplitMix64 stream derived from the seed; the
//! same seed and the same controls at the same virtual times give identical metrics and traces
//! (on native and wasm32); every list and queue has a bound; nothing panics.
//!
//! Simplifications, said plainly: a downstream service going down on the event side stops its
//! consumer gracefully (it commits and leaves the group) and coming back starts a new consumer
//! in the same group, which resumes from the committed offset; "slow" restarts the consumer
//! with a per-record processing time `slow_factor` times longer (the engine fixes
//! `processing_ms_per_record` when a consumer starts); a consumer counts a record as worked on
//! when its fetch arrives and then spends the processing time before its next poll; the SOA
//! side adds a new downstream service as a running service the front does not call until the
//! learner confirms the front's redeploy ([`Control::ConfirmRedeploy`]).

mod eda;
pub mod metrics;
pub mod preset;

use std::collections::VecDeque;

use crate::sim::vecmap::VecMap;

use serde::{Deserialize, Serialize};

pub use metrics::{DownstreamSample, Sample, SideSample};
pub use preset::{DownstreamSpec, Preset};

use crate::sim::error::SimError;
use crate::sim::rng::Rng;
use crate::sim::soa::{
    CallPolicy, Dependency, Fanout, Health, Latency, OnFailure, ServiceId, Soa, SoaConfig,
    SoaEvent, Target, UserAnswer,
};
use crate::sim::timeline::Replayable;
use crate::sim::trace::TraceEvent;
use crate::sim::world::World;

/// Most downstream services a comparison holds (initial and added).
pub const MAX_DOWNSTREAM: u32 = 8;
/// Most virtual time one [`Comparison::advance`] may cover, in ms (ten minutes).
pub const MAX_ADVANCE_MS: u64 = 10 * 60 * 1_000;
/// Most spikes running at once.
pub const MAX_SPIKES: u32 = 8;
/// Most extra requests one spike may send.
pub const MAX_SPIKE_REQUESTS: u32 = 10_000;
/// Longest a spike may last, in ms.
pub const MAX_SPIKE_MS: u64 = 10 * 60 * 1_000;
/// Controls kept until a timeline takes them ([`Replayable::take_history`]; older ones are
/// dropped first when nothing takes them).
pub const MAX_CONTROLS: u32 = 10_000;
/// Largest sample ring.
pub const MAX_HISTORY: u32 = 100_000;
/// The external channel number the event side's front uses for the topic.
pub const TOPIC_CHANNEL: u32 = 0;
/// Event-loop iterations one `advance` may run before it jumps straight to its target (a
/// guard against a runaway loop; never reached in practice).
const MAX_ITERATIONS: u32 = 5_000_000;

/// How a comparison is set up, beyond its preset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComparisonConfig {
    /// How the SOA front calls its downstream services.
    pub fanout: Fanout,
    /// One network hop, both sides (the broker's network too), in ms.
    pub network_ms_min: u32,
    pub network_ms_max: u32,
    /// Gap between two user requests (before spikes).
    pub request_gap: Latency,
    /// How long a user waits before giving up, in ms.
    pub user_timeout_ms: u64,
    /// Partitions of the event side's topic.
    pub partitions: u32,
    /// How many times longer a slow service's work takes.
    pub slow_factor: u32,
    /// `max.poll.records` of the downstream consumers (small, so that processing time limits
    /// throughput record by record).
    pub max_poll_records: u32,
    /// `auto.commit.interval.ms` of the downstream consumers.
    pub auto_commit_interval_ms: u64,
    /// How long the event side's front waits for the topic's acknowledgement, in ms.
    pub produce_timeout_ms: u64,
    /// One metrics sample every this many ms.
    pub sample_interval_ms: u64,
    /// Samples kept (the oldest go first).
    pub history_capacity: u32,
    /// The sliding window for latency percentiles and success rate, in ms.
    pub window_ms: u64,
    /// Records each partition keeps in memory (the world's bound; see `WorldConfig`).
    pub max_records_per_partition: u32,
}

impl Default for ComparisonConfig {
    fn default() -> Self {
        Self {
            fanout: Fanout::Sequential,
            network_ms_min: 2,
            network_ms_max: 10,
            request_gap: Latency::uniform(100, 300),
            user_timeout_ms: 5_000,
            partitions: 3,
            slow_factor: 10,
            max_poll_records: 5,
            auto_commit_interval_ms: 1_000,
            produce_timeout_ms: 2_000,
            sample_interval_ms: 1_000,
            history_capacity: 600,
            window_ms: 10_000,
            max_records_per_partition: 20_000,
        }
    }
}

/// Where a new consumer group starts reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StartFrom {
    /// Every event the topic still holds: the new service catches up on history.
    Beginning,
    /// Only events written from now on.
    Now,
}

/// Something the learner does, to both sides at the same virtual moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Control {
    /// Takes a service (front or downstream, by name) up, slow or down.
    SetHealth { service: String, health: Health },
    /// `extra_requests` more user requests, evenly spread over `over_ms`.
    Spike { extra_requests: u32, over_ms: u64 },
    /// A new downstream service. EDA: a new consumer group, at once. SOA: the service runs,
    /// but the front calls it only after [`Control::ConfirmRedeploy`].
    AddDownstream {
        spec: DownstreamSpec,
        start: StartFrom,
    },
    /// The SOA front is changed and redeployed to call every service added since.
    ConfirmRedeploy,
    /// How the SOA front calls its downstream services.
    SetFanout { fanout: Fanout },
    /// What the SOA front does when calls to `service` fail for good.
    SetOnFailure {
        service: String,
        on_failure: OnFailure,
    },
    /// Starts or pauses the steady stream of user requests (spikes still run), to watch
    /// backlogs drain.
    SetUsers { running: bool },
}

/// A control and the virtual time it was applied at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimedControl {
    pub at_ms: u64,
    pub control: Control,
}

/// A downstream service, on both sides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Downstream {
    pub spec: DownstreamSpec,
    pub health: Health,
    /// Its service in [`Comparison::soa`].
    pub soa_service: ServiceId,
    /// Whether the SOA front calls it (false until a redeploy is confirmed).
    pub in_soa_caller: bool,
    /// Where its consumer group started.
    pub start: StartFrom,
    pub added_at_ms: u64,
    /// Its consumer in [`Comparison::world`] now (`None` while down).
    pub consumer: Option<u32>,
    /// Records its group was handed again (at-least-once redeliveries).
    pub redeliveries: u64,
    /// Records consumed by its earlier (stopped) consumers.
    consumed_before: u64,
}

impl Downstream {
    /// Its consumer group id on the event side (its name).
    pub fn group(&self) -> &str {
        &self.spec.name
    }
}

/// What one [`Comparison::advance`] produced, per side.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Advanced {
    /// The SOA model's events (request and response arrows, queues, timeouts…).
    pub soa: Vec<SoaEvent>,
    /// The event side's front service (user arrows, the call to the topic).
    pub eda_front: Vec<SoaEvent>,
    /// The broker's events (records appended, delivered, offsets committed, rebalances…).
    pub broker: Vec<TraceEvent>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Spike {
    start_ms: u64,
    over_ms: u64,
    total: u32,
    sent: u32,
    /// When request number `sent` goes: `start + over * sent / total`, evenly spread.
    next_at_ms: u64,
}

/// The same flow as services calling services and as events, side by side.
#[derive(Clone, Debug)]
pub struct Comparison {
    seed: u64,
    preset: Preset,
    config: ComparisonConfig,
    now_ms: u64,
    /// The user request stream.
    users: Rng,
    soa: Soa,
    soa_front: ServiceId,
    eda_front: Soa,
    world: World,
    producer: u32,
    front_health: Health,
    downstreams: Vec<Downstream>,
    /// The event side's writes waiting for their ack: call ids per partition, in send order.
    awaiting_ack: VecMap<u32, VecDeque<u64>>,
    events_written: u64,
    requests: u64,
    users_running: bool,
    next_arrival_ms: u64,
    spikes: Vec<Spike>,
    next_sample_ms: u64,
    soa_outcomes: metrics::Outcomes,
    eda_outcomes: metrics::Outcomes,
    history: VecDeque<Sample>,
    /// Controls applied since a timeline last took them.
    recorded: Vec<TimedControl>,
}

impl Comparison {
    /// A comparison of `preset` with the default configuration.
    pub fn new(seed: u64, preset: Preset) -> Result<Self, SimError> {
        Self::with_config(seed, preset, ComparisonConfig::default())
    }

    /// A comparison of `preset` at virtual time 0: both sides built, no request sent yet.
    pub fn with_config(
        seed: u64,
        preset: Preset,
        config: ComparisonConfig,
    ) -> Result<Self, SimError> {
        validate_config(&config)?;
        if preset.downstream.len() as u32 > MAX_DOWNSTREAM {
            return Err(SimError::LimitExceeded(format!(
                "A comparison has at most {MAX_DOWNSTREAM} downstream services."
            )));
        }
        let mut seeds = Rng::new(seed);
        let mut users = Rng::new(seeds.next_u64());
        let soa_config = SoaConfig {
            network: Latency::uniform(config.network_ms_min, config.network_ms_max),
            user_timeout_ms: config.user_timeout_ms,
            ..SoaConfig::default()
        };
        let mut soa = Soa::new(seeds.next_u64(), soa_config.clone());
        let mut eda_front = Soa::new(seeds.next_u64(), soa_config);
        let mut front_spec = preset.front.clone();
        front_spec.slow_factor = config.slow_factor;
        let soa_front = soa.add_service(front_spec.clone())?;
        soa.set_fanout(soa_front, config.fanout)?;
        let eda_front_id = eda_front.add_service(front_spec)?;
        eda_front.add_dependency(
            eda_front_id,
            Dependency {
                target: Target::External(TOPIC_CHANNEL),
                policy: CallPolicy {
                    timeout_ms: config.produce_timeout_ms,
                    retries: 0,
                    backoff_ms: 0,
                    on_failure: OnFailure::FailRequest,
                },
            },
        )?;
        let (world, producer) = eda::build_world(seed, &preset, &config)?;
        let first_gap = config.request_gap.draw(&mut users).max(1);
        let mut comparison = Self {
            seed,
            config,
            now_ms: 0,
            users,
            soa,
            soa_front,
            eda_front,
            world,
            producer,
            front_health: Health::Up,
            downstreams: Vec::new(),
            awaiting_ack: VecMap::default(),
            events_written: 0,
            requests: 0,
            users_running: true,
            next_arrival_ms: first_gap,
            spikes: Vec::new(),
            next_sample_ms: 0,
            soa_outcomes: Default::default(),
            eda_outcomes: Default::default(),
            history: VecDeque::new(),
            recorded: Vec::new(),
            preset: preset.clone(),
        };
        comparison.next_sample_ms = comparison.config.sample_interval_ms;
        for spec in preset.downstream {
            comparison.add_downstream_inner(spec, StartFrom::Beginning, true)?;
        }
        Ok(comparison)
    }

    // -----------------------------------------------------------------------------------------
    // Reading

    /// The seed everything random is derived from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The flow being compared.
    pub fn preset(&self) -> &Preset {
        &self.preset
    }

    /// Its configuration (`fanout` follows [`Control::SetFanout`]).
    pub fn config(&self) -> &ComparisonConfig {
        &self.config
    }

    /// Current virtual time, in ms.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// The SOA side: its services (the front is [`Comparison::soa_front`]) and calls in flight.
    pub fn soa(&self) -> &Soa {
        &self.soa
    }

    /// The SOA front service's id in [`Comparison::soa`].
    pub fn soa_front(&self) -> ServiceId {
        self.soa_front
    }

    /// The event side's front service (service 0, whose one dependency is the topic).
    pub fn eda_front(&self) -> &Soa {
        &self.eda_front
    }

    /// The event side's broker: the topic's partitions, the consumer groups and their lag.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The event side's topic.
    pub fn topic(&self) -> &str {
        &self.preset.topic
    }

    /// The event side's producer (the front service's) in [`Comparison::world`].
    pub fn producer(&self) -> u32 {
        self.producer
    }

    /// The front service's health (the same on both sides).
    pub fn front_health(&self) -> Health {
        self.front_health
    }

    /// The downstream services, in the order the SOA front calls them.
    pub fn downstreams(&self) -> &[Downstream] {
        &self.downstreams
    }

    /// Downstream services added but not yet called by the SOA front (awaiting a redeploy).
    pub fn pending_redeploy(&self) -> Vec<&str> {
        self.downstreams
            .iter()
            .filter(|d| !d.in_soa_caller)
            .map(|d| d.spec.name.as_str())
            .collect()
    }

    /// User requests sent so far (each went to both sides).
    pub fn requests(&self) -> u64 {
        self.requests
    }

    /// Events the event side's front has had acknowledged by the broker.
    pub fn events_written(&self) -> u64 {
        self.events_written
    }

    /// The latest answers SOA users got, oldest first.
    pub fn soa_recent_answers(&self) -> &VecDeque<UserAnswer> {
        self.soa_outcomes.recent()
    }

    /// The latest answers EDA users got, oldest first.
    pub fn eda_recent_answers(&self) -> &VecDeque<UserAnswer> {
        self.eda_outcomes.recent()
    }

    /// Both sides' numbers now.
    pub fn live(&self) -> Sample {
        Sample {
            at_ms: self.now_ms,
            requests: self.requests,
            soa: self.soa_side(),
            eda: self.eda_side(),
        }
    }

    /// Samples taken every `sample_interval_ms`, oldest first (at most `history_capacity`).
    pub fn history(&self) -> &VecDeque<Sample> {
        &self.history
    }

    // -----------------------------------------------------------------------------------------
    // Controls

    /// Applies a control to both sides now. A refused control changes nothing and is not
    /// recorded. (On a [`Timeline`](crate::sim::timeline::Timeline), apply it through the
    /// timeline, which keeps what was applied so it can be rewound.)
    pub fn apply(&mut self, control: Control) -> Result<(), SimError> {
        self.apply_unrecorded(&control)?;
        if self.recorded.len() as u32 >= MAX_CONTROLS {
            let drop = (self.recorded.len() / 10).max(1);
            self.recorded.drain(..drop);
        }
        self.recorded.push(TimedControl {
            at_ms: self.now_ms,
            control,
        });
        Ok(())
    }

    fn apply_unrecorded(&mut self, control: &Control) -> Result<(), SimError> {
        match control {
            Control::SetHealth { service, health } => self.set_health_inner(service, *health)?,
            Control::Spike {
                extra_requests,
                over_ms,
            } => self.spike_inner(*extra_requests, *over_ms)?,
            Control::AddDownstream { spec, start } => {
                self.add_downstream_inner(spec.clone(), *start, false)?
            }
            Control::ConfirmRedeploy => self.confirm_redeploy_inner()?,
            Control::SetFanout { fanout } => {
                self.soa.set_fanout(self.soa_front, *fanout)?;
                self.config.fanout = *fanout;
            }
            Control::SetOnFailure {
                service,
                on_failure,
            } => self.set_on_failure_inner(service, *on_failure)?,
            Control::SetUsers { running } => {
                if *running && !self.users_running {
                    let gap = self.config.request_gap.draw(&mut self.users).max(1);
                    self.next_arrival_ms = self.now_ms.saturating_add(gap);
                }
                self.users_running = *running;
            }
        }
        Ok(())
    }

    /// Takes `service` (by name) up, slow or down on both sides.
    pub fn set_health(&mut self, service: &str, health: Health) -> Result<(), SimError> {
        self.apply(Control::SetHealth {
            service: service.to_string(),
            health,
        })
    }

    /// Sends `extra_requests` more user requests over the next `over_ms`.
    pub fn spike(&mut self, extra_requests: u32, over_ms: u64) -> Result<(), SimError> {
        self.apply(Control::Spike {
            extra_requests,
            over_ms,
        })
    }

    /// Adds a downstream service (see [`Control::AddDownstream`]).
    pub fn add_downstream(
        &mut self,
        spec: DownstreamSpec,
        start: StartFrom,
    ) -> Result<(), SimError> {
        self.apply(Control::AddDownstream { spec, start })
    }

    /// Redeploys the SOA front so it calls every added service.
    pub fn confirm_redeploy(&mut self) -> Result<(), SimError> {
        self.apply(Control::ConfirmRedeploy)
    }

    /// Sets how the SOA front calls its downstream services.
    pub fn set_fanout(&mut self, fanout: Fanout) -> Result<(), SimError> {
        self.apply(Control::SetFanout { fanout })
    }

    /// Starts or pauses the steady stream of user requests.
    pub fn set_users(&mut self, running: bool) -> Result<(), SimError> {
        self.apply(Control::SetUsers { running })
    }

    /// Whether the steady stream of user requests runs.
    pub fn users_running(&self) -> bool {
        self.users_running
    }

    /// Sets what the SOA front does when calls to `service` fail for good.
    pub fn set_on_failure(&mut self, service: &str, on_failure: OnFailure) -> Result<(), SimError> {
        self.apply(Control::SetOnFailure {
            service: service.to_string(),
            on_failure,
        })
    }

    fn downstream_index(&self, name: &str) -> Option<usize> {
        self.downstreams.iter().position(|d| d.spec.name == name)
    }

    fn set_health_inner(&mut self, service: &str, health: Health) -> Result<(), SimError> {
        if service == self.preset.front.name {
            self.soa.set_health(self.soa_front, health)?;
            self.eda_front.set_health(0, health)?;
            self.front_health = health;
            return Ok(());
        }
        let index = self
            .downstream_index(service)
            .ok_or_else(|| unknown_service(service))?;
        let sid = self.downstreams[index].soa_service;
        self.soa.set_health(sid, health)?;
        self.eda_set_health(index, health)?;
        if let Some(d) = self.downstreams.get_mut(index) {
            d.health = health;
        }
        Ok(())
    }

    fn spike_inner(&mut self, extra_requests: u32, over_ms: u64) -> Result<(), SimError> {
        if extra_requests == 0
            || extra_requests > MAX_SPIKE_REQUESTS
            || over_ms == 0
            || over_ms > MAX_SPIKE_MS
        {
            return Err(SimError::InvalidRequest(format!(
                "a spike sends 1..={MAX_SPIKE_REQUESTS} requests over 1..={MAX_SPIKE_MS} ms"
            )));
        }
        if self.spikes.len() as u32 >= MAX_SPIKES {
            return Err(SimError::LimitExceeded(format!(
                "At most {MAX_SPIKES} spikes run at once."
            )));
        }
        self.spikes.push(Spike {
            start_ms: self.now_ms,
            over_ms,
            total: extra_requests,
            sent: 0,
            next_at_ms: self.now_ms,
        });
        Ok(())
    }

    fn add_downstream_inner(
        &mut self,
        spec: DownstreamSpec,
        start: StartFrom,
        initial: bool,
    ) -> Result<(), SimError> {
        if self.downstreams.len() as u32 >= MAX_DOWNSTREAM {
            return Err(SimError::LimitExceeded(format!(
                "A comparison has at most {MAX_DOWNSTREAM} downstream services."
            )));
        }
        if spec.name == self.preset.front.name || self.downstream_index(&spec.name).is_some() {
            return Err(SimError::InvalidRequest(format!(
                "There is already a service called {}.",
                spec.name
            )));
        }
        if spec.name.starts_with("__") {
            return Err(SimError::InvalidGroupId(
                "The configured groupId is invalid".to_string(),
            ));
        }
        // Validate everything before changing either side.
        let service_spec = spec.service_spec(self.config.slow_factor);
        let mut trial = self.soa.clone();
        let sid = trial.add_service(service_spec)?;
        if initial {
            trial.add_dependency(
                self.soa_front,
                Dependency {
                    target: Target::Service(sid),
                    policy: spec.policy,
                },
            )?;
        }
        self.downstreams.push(Downstream {
            spec,
            health: Health::Up,
            soa_service: sid,
            in_soa_caller: initial,
            start,
            added_at_ms: self.now_ms,
            consumer: None,
            redeliveries: 0,
            consumed_before: 0,
        });
        let index = self.downstreams.len() - 1;
        if let Err(e) = self.eda_add_group(index) {
            // Keep both sides in step: the SOA side gets the service only if the EDA side does.
            self.downstreams.pop();
            return Err(e);
        }
        self.soa = trial;
        Ok(())
    }

    fn confirm_redeploy_inner(&mut self) -> Result<(), SimError> {
        let pending: Vec<usize> = (0..self.downstreams.len())
            .filter(|i| !self.downstreams[*i].in_soa_caller)
            .collect();
        if pending.is_empty() {
            return Err(SimError::InvalidRequest(
                "Nothing to redeploy: the front already calls every service.".to_string(),
            ));
        }
        for i in pending {
            let d = &self.downstreams[i];
            let dep = Dependency {
                target: Target::Service(d.soa_service),
                policy: d.spec.policy,
            };
            self.soa.add_dependency(self.soa_front, dep)?;
            if let Some(d) = self.downstreams.get_mut(i) {
                d.in_soa_caller = true;
            }
        }
        Ok(())
    }

    fn set_on_failure_inner(
        &mut self,
        service: &str,
        on_failure: OnFailure,
    ) -> Result<(), SimError> {
        let index = self
            .downstream_index(service)
            .ok_or_else(|| unknown_service(service))?;
        let d = &self.downstreams[index];
        let policy = CallPolicy {
            on_failure,
            ..d.spec.policy
        };
        if d.in_soa_caller {
            self.soa
                .set_policy(self.soa_front, Target::Service(d.soa_service), policy)?;
        }
        if let Some(d) = self.downstreams.get_mut(index) {
            d.spec.policy = policy;
        }
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Time

    /// Moves virtual time forward by `delta_ms` (at most [`MAX_ADVANCE_MS`]) on both sides
    /// together, sending the user requests due meanwhile, and returns what happened.
    pub fn advance(&mut self, delta_ms: u64) -> Result<Advanced, SimError> {
        let target = crate::sim::world::advance_target(self.now_ms, delta_ms, MAX_ADVANCE_MS, "")?;
        let mut out = Advanced::default();
        self.run_until(target, &mut out)?;
        Ok(out)
    }

    /// When something is next due on either side: a call, a broker event, a user request, a
    /// spike's request or a sample.
    fn next_due_ms(&self) -> Option<u64> {
        [
            self.soa.next_due_ms(),
            self.eda_front.next_due_ms(),
            self.world.next_event_ms(),
            self.users_running.then_some(self.next_arrival_ms),
            Some(self.next_sample_ms),
        ]
        .into_iter()
        .flatten()
        .chain(self.spikes.iter().map(|s| s.next_at_ms))
        .min()
    }

    fn run_until(&mut self, target: u64, out: &mut Advanced) -> Result<(), SimError> {
        let mut iterations = 0u32;
        loop {
            let next = self
                .next_due_ms()
                .map_or(target, |due| due.min(target))
                .max(self.now_ms)
                .min(target);
            iterations += 1;
            let t = if iterations > MAX_ITERATIONS {
                target
            } else {
                next
            };
            self.step_to(t, out)?;
            let more_due_now = [
                self.soa.next_due_ms(),
                self.eda_front.next_due_ms(),
                self.world.next_event_ms(),
            ]
            .into_iter()
            .flatten()
            .any(|at| at <= t);
            if t >= target && (!more_due_now || iterations > MAX_ITERATIONS) {
                return Ok(());
            }
        }
    }

    /// Runs everything due at `t` (not before now) on both sides.
    fn step_to(&mut self, t: u64, out: &mut Advanced) -> Result<(), SimError> {
        let broker = self.world.advance(t.saturating_sub(self.world.now_ms()))?;
        self.on_broker_events(&broker);
        out.broker.extend(broker);
        self.soa.advance_to(t)?;
        self.eda_front.advance_to(t)?;
        self.now_ms = t;
        self.send_due_requests(t);
        self.produce_pending();
        for answer in self.soa.take_answers() {
            self.soa_outcomes.record(&answer);
        }
        for answer in self.eda_front.take_answers() {
            self.eda_outcomes.record(&answer);
        }
        out.soa.extend(self.soa.take_events());
        out.eda_front.extend(self.eda_front.take_events());
        if t >= self.next_sample_ms {
            self.take_sample();
            let interval = self.config.sample_interval_ms;
            while self.next_sample_ms <= t {
                self.next_sample_ms = self.next_sample_ms.saturating_add(interval);
            }
        }
        Ok(())
    }

    fn send_due_requests(&mut self, t: u64) {
        while self.users_running && self.next_arrival_ms <= t {
            self.send_request();
            let gap = self.config.request_gap.draw(&mut self.users).max(1);
            self.next_arrival_ms = self.next_arrival_ms.saturating_add(gap);
        }
        for i in 0..self.spikes.len() {
            while self.spikes[i].sent < self.spikes[i].total && self.spikes[i].next_at_ms <= t {
                self.send_request();
                let s = &mut self.spikes[i];
                s.sent += 1;
                let offset = u128::from(s.over_ms) * u128::from(s.sent) / u128::from(s.total);
                s.next_at_ms = s.start_ms.saturating_add(offset as u64);
            }
        }
        self.spikes.retain(|s| s.sent < s.total);
    }

    /// One user request, to both sides at once.
    fn send_request(&mut self) {
        let request = self.requests;
        self.requests += 1;
        // Both fronts exist from construction on, so neither send can be refused.
        let _ = self.soa.send_user_request(request, self.soa_front);
        let _ = self.eda_front.send_user_request(request, 0);
    }

    fn take_sample(&mut self) {
        let window = self.config.window_ms;
        self.soa_outcomes.trim(self.now_ms, window);
        self.eda_outcomes.trim(self.now_ms, window);
        let sample = self.live();
        if self.history.len() as u32 >= self.config.history_capacity.max(1) {
            self.history.pop_front();
        }
        self.history.push_back(sample);
    }

    fn soa_side(&self) -> SideSample {
        let o = &self.soa_outcomes;
        let front_dependencies = self
            .soa
            .service(self.soa_front)
            .map_or(0, |s| s.dependencies.len() as u32);
        let downstream = self
            .downstreams
            .iter()
            .map(|d| {
                let s = self.soa.service(d.soa_service);
                DownstreamSample {
                    work_done: s.map_or(0, |s| s.stats.succeeded),
                    backlog: s.map_or(0, |s| s.queue.len() as u64),
                    dependencies: s.map_or(0, |s| s.dependencies.len() as u32),
                    health: d.health,
                }
            })
            .collect();
        side_sample(o, self.requests, front_dependencies, downstream)
    }

    fn eda_side(&self) -> SideSample {
        let front_dependencies = self
            .eda_front
            .service(0)
            .map_or(0, |s| s.dependencies.len() as u32);
        let downstream = (0..self.downstreams.len())
            .map(|i| DownstreamSample {
                work_done: self.eda_work_done(i),
                backlog: self.eda_backlog(i),
                // A consumer reads one topic and knows no other service.
                dependencies: 1,
                health: self.downstreams[i].health,
            })
            .collect();
        side_sample(
            &self.eda_outcomes,
            self.requests,
            front_dependencies,
            downstream,
        )
    }
}

/// A comparison on a [`Timeline`](crate::sim::timeline::Timeline): its controls are the
/// commands, what each advance produced the events; the event side's records appended bound
/// how far back its checkpoints reach.
impl Replayable for Comparison {
    type Command = Control;
    type Outcome = ();
    type Timed = TimedControl;
    type Event = Advanced;

    fn at_ms(timed: &TimedControl) -> u64 {
        timed.at_ms
    }

    fn now_ms(&self) -> u64 {
        self.now_ms
    }

    fn next_event_ms(&self) -> Option<u64> {
        self.next_due_ms()
    }

    fn apply(&mut self, control: Control) -> Result<(), SimError> {
        Comparison::apply(self, control)
    }

    fn reapply(&mut self, timed: &TimedControl) -> Result<(), SimError> {
        self.apply_unrecorded(&timed.control)
    }

    /// In steps of at most [`MAX_ADVANCE_MS`]; nothing at all when `at_ms` is now, so two
    /// controls given at the same moment are replayed with nothing run between them, as they
    /// were applied.
    fn advance_to(&mut self, at_ms: u64) -> Result<Vec<Advanced>, SimError> {
        let mut out = Vec::new();
        while self.now_ms < at_ms {
            let step = (at_ms - self.now_ms).min(MAX_ADVANCE_MS);
            out.push(self.advance(step)?);
        }
        Ok(out)
    }

    fn take_history(&mut self) -> Vec<TimedControl> {
        std::mem::take(&mut self.recorded)
    }

    fn take_events(&mut self) -> Vec<Advanced> {
        Vec::new()
    }

    fn weight(&self) -> u64 {
        crate::sim::timeline::appended(&self.world)
    }

    fn held(&self) -> u64 {
        crate::sim::timeline::held(&self.world)
    }
}

fn side_sample(
    o: &metrics::Outcomes,
    requests: u64,
    front_dependencies: u32,
    downstream: Vec<DownstreamSample>,
) -> SideSample {
    SideSample {
        p50_ms: o.latency_percentile(50),
        p99_ms: o.latency_percentile(99),
        success_per_mille: o.success_per_mille(),
        succeeded: o.succeeded,
        failed: o.failed,
        waiting: requests.saturating_sub(o.succeeded + o.failed),
        front_dependencies,
        downstream,
    }
}

fn unknown_service(name: &str) -> SimError {
    SimError::InvalidRequest(format!("There is no service called {name}."))
}

fn validate_config(c: &ComparisonConfig) -> Result<(), SimError> {
    let bad = |what: &str| {
        Err(SimError::InvalidRequest(format!(
            "comparison config: {what}"
        )))
    };
    if c.network_ms_min > c.network_ms_max || c.network_ms_max > 10_000 {
        return bad("network latency needs min <= max <= 10000 ms");
    }
    if c.request_gap.max_ms == 0
        || c.request_gap.max_ms > 600_000
        || c.request_gap.min_ms > c.request_gap.max_ms
    {
        return bad("the request gap needs 0 <= min <= max, 1..=600000 ms");
    }
    if c.user_timeout_ms == 0 || c.user_timeout_ms > crate::sim::soa::MAX_TIMEOUT_MS {
        return bad("the user timeout must be 1..=600000 ms");
    }
    if c.produce_timeout_ms == 0 || c.produce_timeout_ms > crate::sim::soa::MAX_TIMEOUT_MS {
        return bad("the produce timeout must be 1..=600000 ms");
    }
    if c.partitions == 0 || c.partitions > crate::sim::cluster::MAX_PARTITIONS {
        return bad("partitions must be 1..=64");
    }
    if c.slow_factor == 0 || c.slow_factor > crate::sim::soa::MAX_SLOW_FACTOR {
        return bad("the slow factor must be 1..=1000");
    }
    if c.max_poll_records == 0 || c.max_poll_records > 10_000 {
        return bad("max.poll.records must be 1..=10000");
    }
    if c.auto_commit_interval_ms == 0 || c.auto_commit_interval_ms > 600_000 {
        return bad("auto.commit.interval.ms must be 1..=600000");
    }
    if c.sample_interval_ms < 10 || c.sample_interval_ms > 600_000 {
        return bad("the sample interval must be 10..=600000 ms");
    }
    if c.history_capacity == 0 || c.history_capacity > MAX_HISTORY {
        return bad("the history holds 1..=100000 samples");
    }
    if c.window_ms == 0 || c.window_ms > 3_600_000 {
        return bad("the window must be 1..=3600000 ms");
    }
    if c.max_records_per_partition == 0 || c.max_records_per_partition > 1_000_000 {
        return bad("records kept per partition must be 1..=1000000");
    }
    Ok(())
}
