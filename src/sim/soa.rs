//! Synchronous services (SOA): services that call services and wait for the answer.
//!
//! A [`Soa`] holds services, each with a seeded latency distribution, a concurrency limit (the
//! thread pool: requests beyond it wait in a bounded queue; past the queue they are rejected),
//! an up/slow/down [`Health`], and an ordered list of [`Dependency`]s it calls while handling a
//! request, one after another or all at once ([`Fanout`]). Each dependency call has a
//! [`CallPolicy`]: a timeout, a number of retries with a backoff, and what to do once it has
//! failed for good: fail the whole request, or fall back (carry on without that dependency).
//! A service holds its concurrency slot while it waits for its dependencies, as a
//! thread-per-request server does; that is how a slow dependency exhausts its callers.
//!
//! Users are outside the model: [`Soa::send_user_request`] sends a request to a front service,
//! and the answer (or the user's own timeout) comes out of [`Soa::take_answers`]. A dependency
//! may also be [`Target::External`]: a channel this model does not simulate (the event side of a
//! comparison uses it for "write to the topic and wait for the ack"); such calls come out of
//! [`Soa::take_external_calls`] and are answered with [`Soa::complete_external`].
//!
//! Invariants: the virtual clock (u64 ms) only moves forward, through [`Soa::advance`] and
//! [`Soa::advance_to`]; the model's one [`Rng`] (SplitMix64) is drawn from in event order only,
//! so the same seed and the same calls at the same virtual times give the same trace on every
//! platform; every call, queue, outbox and trace has a bound (`MAX_*`, [`SoaConfig`]); nothing
//! here panics. Everything that travels is reported with `sent_at_ms` and `arrives_at_ms` so a
//! view can draw it part way along its arrow.
//!
//! Simplifications, on purpose: a service does its own work first and then calls its
//! dependencies; "down" refuses connections at once (a load balancer's 503) and, when a service
//! goes down, the requests it holds fail with a reset; a caller that times out abandons the
//! call but the callee does not know and finishes the work anyway (no deadline propagation),
//! so timed-out work still takes slots, and retried work can be done twice.

mod run;

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use crate::sim::error::SimError;
use crate::sim::rng::Rng;

/// A service's index in its [`Soa`] (0, 1, … in the order they were added).
pub type ServiceId = u32;

/// Most services one model holds.
pub const MAX_SERVICES: u32 = 16;
/// Most dependencies one service calls.
pub const MAX_DEPENDENCIES: u32 = 8;
/// Most calls alive at once (on the wire, queued, being served or answering); a call beyond it
/// fails at once as overloaded.
pub const MAX_CALLS: u32 = 20_000;
/// Most retries a call policy may ask for.
pub const MAX_RETRIES: u32 = 5;
/// Largest concurrency limit (threads) of a service.
pub const MAX_CONCURRENCY: u32 = 1_000;
/// Largest request queue of a service.
pub const MAX_QUEUE_LIMIT: u32 = 10_000;
/// Largest latency (either bound, or the tail) a distribution may have, in ms.
pub const MAX_LATENCY_MS: u32 = 600_000;
/// Largest timeout or backoff a policy may have, in ms.
pub const MAX_TIMEOUT_MS: u64 = 600_000;
/// Largest slow-down factor.
pub const MAX_SLOW_FACTOR: u32 = 1_000;
/// Most virtual time one `advance` may cover, in ms (one hour).
pub const MAX_ADVANCE_MS: u64 = 60 * 60 * 1_000;
/// Longest service name, in bytes.
pub const MAX_NAME_LEN: u32 = 64;

// ---------------------------------------------------------------------------------------------
// Configuration types

/// A latency distribution in integer milliseconds: uniform in `min_ms..=max_ms`, plus, with a
/// probability of `tail_per_mille`/1000, an extra delay uniform in `1..=tail_ms` (the slow
/// requests behind a p99).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Latency {
    pub min_ms: u32,
    pub max_ms: u32,
    pub tail_per_mille: u32,
    pub tail_ms: u32,
}

impl Latency {
    /// Uniform in `min_ms..=max_ms`, no tail.
    pub const fn uniform(min_ms: u32, max_ms: u32) -> Self {
        Self {
            min_ms,
            max_ms,
            tail_per_mille: 0,
            tail_ms: 0,
        }
    }

    /// The same distribution with a tail: `per_mille`/1000 of draws get up to `tail_ms` more.
    pub const fn with_tail(self, per_mille: u32, tail_ms: u32) -> Self {
        Self {
            tail_per_mille: per_mille,
            tail_ms,
            ..self
        }
    }

    /// One draw, from `rng`.
    pub fn draw(&self, rng: &mut Rng) -> u64 {
        let base = rng.between(u64::from(self.min_ms), u64::from(self.max_ms));
        if self.tail_per_mille == 0 || self.tail_ms == 0 {
            return base;
        }
        if rng.below(1_000) < u64::from(self.tail_per_mille) {
            base + rng.between(1, u64::from(self.tail_ms))
        } else {
            base
        }
    }

    /// The distribution's mean, rounded down, in ms.
    pub fn mean_ms(&self) -> u64 {
        let base = (u64::from(self.min_ms) + u64::from(self.max_ms)) / 2;
        let tail =
            u64::from(self.tail_per_mille.min(1_000)) * (u64::from(self.tail_ms) + 1) / 2_000;
        base + tail
    }

    fn validate(&self, what: &str) -> Result<(), SimError> {
        if self.min_ms > self.max_ms
            || self.max_ms > MAX_LATENCY_MS
            || self.tail_ms > MAX_LATENCY_MS
            || self.tail_per_mille > 1_000
        {
            return Err(SimError::InvalidRequest(format!(
                "{what}: a latency needs min <= max <= {MAX_LATENCY_MS} ms, a tail of at most \
                 {MAX_LATENCY_MS} ms and a tail share of at most 1000 per mille"
            )));
        }
        Ok(())
    }
}

/// Whether a service works, works slowly, or refuses every request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Health {
    Up,
    /// Every request's own work takes `slow_factor` times longer.
    Slow,
    /// Connections are refused; what it was holding fails.
    Down,
}

impl Health {
    /// A short label: `up`, `slow`, `down`.
    pub fn name(self) -> &'static str {
        match self {
            Health::Up => "up",
            Health::Slow => "slow",
            Health::Down => "down",
        }
    }
}

/// What a caller does once a dependency call has failed for good (after its retries).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OnFailure {
    /// The caller's own request fails.
    FailRequest,
    /// The caller ignores this dependency's failure and carries on (a fallback).
    Fallback,
}

/// How a service calls one dependency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallPolicy {
    /// How long the caller waits for one attempt, in ms.
    pub timeout_ms: u64,
    /// Attempts after the first one.
    pub retries: u32,
    /// Wait before the first retry, in ms; doubled for each later one.
    pub backoff_ms: u64,
    /// What to do when every attempt failed.
    pub on_failure: OnFailure,
}

impl Default for CallPolicy {
    fn default() -> Self {
        Self {
            timeout_ms: 1_000,
            retries: 1,
            backoff_ms: 100,
            on_failure: OnFailure::FailRequest,
        }
    }
}

impl CallPolicy {
    fn validate(&self) -> Result<(), SimError> {
        if self.timeout_ms == 0
            || self.timeout_ms > MAX_TIMEOUT_MS
            || self.backoff_ms > MAX_TIMEOUT_MS
            || self.retries > MAX_RETRIES
        {
            return Err(SimError::InvalidRequest(format!(
                "a call policy needs a timeout of 1..={MAX_TIMEOUT_MS} ms, a backoff of at most \
                 {MAX_TIMEOUT_MS} ms and at most {MAX_RETRIES} retries"
            )));
        }
        Ok(())
    }
}

/// Who a call goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Target {
    /// A service of this model.
    Service(ServiceId),
    /// A channel outside the model, by a number its driver chose (the comparison's topic is 0).
    External(u32),
}

/// One thing a service calls while handling a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependency {
    pub target: Target,
    pub policy: CallPolicy,
}

/// Whether a service calls its dependencies one after another or all at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fanout {
    Sequential,
    Parallel,
}

/// What a service is: its name, how long its own work takes and how much it can hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSpec {
    pub name: String,
    /// Its own work per request.
    pub latency: Latency,
    /// Requests served at once (threads); more wait in the queue.
    pub concurrency: u32,
    /// Requests that may wait; more are rejected.
    pub queue_limit: u32,
    /// How many times longer its work takes when [`Health::Slow`].
    pub slow_factor: u32,
}

impl ServiceSpec {
    /// A service with this name and latency, 16 threads, a queue of 64 and a slow factor of 10.
    pub fn new(name: &str, latency: Latency) -> Self {
        Self {
            name: name.to_string(),
            latency,
            concurrency: 16,
            queue_limit: 64,
            slow_factor: 10,
        }
    }

    fn validate(&self) -> Result<(), SimError> {
        if self.name.is_empty() || self.name.len() > MAX_NAME_LEN as usize {
            return Err(SimError::InvalidRequest(format!(
                "a service name needs 1..={MAX_NAME_LEN} bytes"
            )));
        }
        self.latency.validate(&self.name)?;
        if self.concurrency == 0
            || self.concurrency > MAX_CONCURRENCY
            || self.queue_limit > MAX_QUEUE_LIMIT
            || self.slow_factor == 0
            || self.slow_factor > MAX_SLOW_FACTOR
        {
            return Err(SimError::InvalidRequest(format!(
                "{}: concurrency must be 1..={MAX_CONCURRENCY}, the queue at most \
                 {MAX_QUEUE_LIMIT} and the slow factor 1..={MAX_SLOW_FACTOR}",
                self.name
            )));
        }
        Ok(())
    }
}

/// How a model is set up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoaConfig {
    /// One network hop (a request or a response), drawn per message.
    pub network: Latency,
    /// How long a user waits for the front service before giving up, in ms (users do not retry).
    pub user_timeout_ms: u64,
    /// Calls alive at once, at most (capped at [`MAX_CALLS`]).
    pub max_calls: u32,
    /// Events kept for [`Soa::recent_events`].
    pub trace_capacity: u32,
}

impl Default for SoaConfig {
    fn default() -> Self {
        Self {
            network: Latency::uniform(2, 10),
            user_timeout_ms: 5_000,
            max_calls: MAX_CALLS,
            trace_capacity: 2_000,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// State the view reads

/// Counters of one service, since it was added.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceStats {
    /// Requests that reached it.
    pub received: u64,
    /// Requests it answered successfully: its work done.
    pub succeeded: u64,
    /// Requests it answered with an error (a dependency failed, or it went down holding them).
    pub failed: u64,
    /// Requests refused on arrival (down, or queue full).
    pub rejected: u64,
    /// Calls it made to its dependencies (every attempt).
    pub calls_made: u64,
    /// Of those, attempts it gave up waiting for.
    pub timeouts: u64,
    /// Retries it sent.
    pub retries: u64,
    /// Dependency failures it ignored by falling back.
    pub fallbacks: u64,
}

/// A service and its live state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    pub id: ServiceId,
    pub spec: ServiceSpec,
    pub health: Health,
    /// What it calls for each request, in order.
    pub dependencies: Vec<Dependency>,
    pub fanout: Fanout,
    /// Requests being served now (at most `spec.concurrency`).
    pub busy: u32,
    /// Calls waiting for a slot, oldest first (at most `spec.queue_limit`).
    pub queue: VecDeque<u64>,
    pub stats: ServiceStats,
}

/// Who made a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Caller {
    /// A user (the request's originator).
    User,
    /// A service, on behalf of the request it is serving (the call `job`), for its
    /// dependency number `dep`.
    Service {
        service: ServiceId,
        job: u64,
        dep: u32,
    },
}

/// One end of an arrow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Node {
    User,
    Service(ServiceId),
    External(u32),
}

impl Caller {
    /// Where the call starts (and its response ends).
    pub fn node(&self) -> Node {
        match self {
            Caller::User => Node::User,
            Caller::Service { service, .. } => Node::Service(*service),
        }
    }
}

impl Target {
    /// Where the call ends.
    pub fn node(&self) -> Node {
        match self {
            Target::Service(s) => Node::Service(*s),
            Target::External(c) => Node::External(*c),
        }
    }
}

/// Where a call is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallPhase {
    /// The request is on the wire (`sent_at_ms` .. `arrives_at_ms`).
    Travelling,
    /// Waiting in the callee's queue.
    Queued,
    /// The callee does its own work until `done_at_ms`.
    Working { done_at_ms: u64 },
    /// The callee waits for its own dependencies.
    Waiting,
    /// Handed to an external channel; the driver answers it.
    AtExternal,
    /// The response is on the wire.
    Responding {
        ok: bool,
        sent_at_ms: u64,
        arrives_at_ms: u64,
    },
}

/// Why a call failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Failure {
    /// The callee was down: connection refused.
    Refused,
    /// The callee's queue was full.
    QueueFull,
    /// The caller stopped waiting.
    Timeout,
    /// The callee went down while holding the request.
    Reset,
    /// A dependency failed and the policy said to fail the request.
    DependencyFailed,
    /// The model's own bound on calls was reached.
    Overloaded,
    /// The external channel reported an error.
    External,
}

impl Failure {
    /// A short label, as a log line would say it.
    pub fn name(self) -> &'static str {
        match self {
            Failure::Refused => "connection refused",
            Failure::QueueFull => "503 queue full",
            Failure::Timeout => "timeout",
            Failure::Reset => "connection reset",
            Failure::DependencyFailed => "dependency failed",
            Failure::Overloaded => "overloaded",
            Failure::External => "write failed",
        }
    }
}

/// One call (one attempt): a request from a caller to a target and, later, its response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    pub id: u64,
    /// The user request it is part of.
    pub request: u64,
    pub caller: Caller,
    pub callee: Target,
    /// 0 for the first attempt, then 1, 2, … for retries.
    pub attempt: u32,
    pub sent_at_ms: u64,
    pub arrives_at_ms: u64,
    pub phase: CallPhase,
    /// The caller gave up on it (timeout); its response will be dropped.
    pub abandoned: bool,
    job: Option<run::Job>,
    timeout_key: Option<(u64, u64)>,
}

/// A user's request answered (or given up on): what the user saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserAnswer {
    pub request: u64,
    pub ok: bool,
    pub failure: Option<Failure>,
    pub sent_at_ms: u64,
    pub answered_at_ms: u64,
}

impl UserAnswer {
    /// How long the user waited, in ms.
    pub fn latency_ms(&self) -> u64 {
        self.answered_at_ms.saturating_sub(self.sent_at_ms)
    }
}

/// A call handed to an external channel, waiting for [`Soa::complete_external`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExternalCall {
    pub call: u64,
    pub channel: u32,
    pub request: u64,
    /// The service that made it.
    pub service: ServiceId,
    pub at_ms: u64,
}

/// One thing that happened in the model, at virtual time `at_ms`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SoaEvent {
    pub at_ms: u64,
    pub kind: SoaEventKind,
}

/// The kinds of event the model reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SoaEventKind {
    /// A request left its caller.
    RequestSent {
        call: u64,
        request: u64,
        from: Node,
        to: Node,
        attempt: u32,
        sent_at_ms: u64,
        arrives_at_ms: u64,
    },
    /// A request waits for a free slot.
    RequestQueued {
        call: u64,
        service: ServiceId,
        queue_len: u32,
    },
    /// A request was refused on arrival.
    RequestRejected {
        call: u64,
        service: ServiceId,
        failure: Failure,
    },
    /// A service started its own work on a request.
    WorkStarted {
        call: u64,
        service: ServiceId,
        done_at_ms: u64,
    },
    /// A response left the callee.
    ResponseSent {
        call: u64,
        request: u64,
        from: Node,
        to: Node,
        ok: bool,
        failure: Option<Failure>,
        sent_at_ms: u64,
        arrives_at_ms: u64,
    },
    /// A caller stopped waiting for an attempt.
    CallTimedOut {
        call: u64,
        request: u64,
        from: Node,
        to: Node,
        attempt: u32,
    },
    /// A caller will try again at `at_ms`.
    RetryScheduled {
        request: u64,
        service: ServiceId,
        dependency: Node,
        attempt: u32,
        at_ms: u64,
    },
    /// A caller ignored a dependency that failed for good.
    FallbackUsed {
        request: u64,
        service: ServiceId,
        dependency: Node,
    },
    /// The user got an answer (or gave up).
    UserAnswered {
        request: u64,
        ok: bool,
        failure: Option<Failure>,
        latency_ms: u64,
    },
    /// A service went up, slow or down.
    HealthChanged { service: ServiceId, health: Health },
    /// A service's dependency list changed (a redeploy).
    DependenciesChanged {
        service: ServiceId,
        dependencies: u32,
    },
}

// ---------------------------------------------------------------------------------------------
// The model

/// A set of synchronous services on one virtual clock.
#[derive(Clone, Debug)]
pub struct Soa {
    config: SoaConfig,
    now_ms: u64,
    rng: Rng,
    services: Vec<Service>,
    calls: BTreeMap<u64, Call>,
    queue: BTreeMap<(u64, u64), run::Due>,
    next_seq: u64,
    next_call: u64,
    external: Vec<ExternalCall>,
    answers: VecDeque<UserAnswer>,
    pending: Vec<SoaEvent>,
    recent: VecDeque<SoaEvent>,
}

impl Soa {
    /// An empty model at virtual time 0 whose randomness is fixed by `seed`.
    pub fn new(seed: u64, config: SoaConfig) -> Self {
        Self {
            config,
            now_ms: 0,
            rng: Rng::new(seed),
            services: Vec::new(),
            calls: BTreeMap::new(),
            queue: BTreeMap::new(),
            next_seq: 0,
            next_call: 1,
            external: Vec::new(),
            answers: VecDeque::new(),
            pending: Vec::new(),
            recent: VecDeque::new(),
        }
    }

    /// Its configuration.
    pub fn config(&self) -> &SoaConfig {
        &self.config
    }

    /// Current virtual time, in ms.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// Every service, by id.
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// One service.
    pub fn service(&self, id: ServiceId) -> Option<&Service> {
        self.services.get(id as usize)
    }

    /// The id of the service called `name`.
    pub fn service_id(&self, name: &str) -> Option<ServiceId> {
        self.services
            .iter()
            .find(|s| s.spec.name == name)
            .map(|s| s.id)
    }

    /// Every call alive now, by id (requests and responses on the wire, queued, being served).
    pub fn calls(&self) -> impl Iterator<Item = &Call> {
        self.calls.values()
    }

    /// One call, if it is still alive.
    pub fn call(&self, id: u64) -> Option<&Call> {
        self.calls.get(&id)
    }

    /// The most recent events (at most `trace_capacity`), oldest first.
    pub fn recent_events(&self) -> &VecDeque<SoaEvent> {
        &self.recent
    }

    /// Events since the last `advance` or `take_events`.
    pub fn take_events(&mut self) -> Vec<SoaEvent> {
        std::mem::take(&mut self.pending)
    }

    /// Answers users got since the last call, in the order they got them.
    pub fn take_answers(&mut self) -> Vec<UserAnswer> {
        self.answers.drain(..).collect()
    }

    /// Calls handed to external channels since the last call.
    pub fn take_external_calls(&mut self) -> Vec<ExternalCall> {
        std::mem::take(&mut self.external)
    }

    /// Virtual time of the next scheduled event, if any.
    pub fn next_due_ms(&self) -> Option<u64> {
        self.queue.keys().next().map(|(at, _)| *at)
    }

    // -----------------------------------------------------------------------------------------
    // Commands

    /// Adds a service (up, sequential, no dependencies); returns its id.
    pub fn add_service(&mut self, spec: ServiceSpec) -> Result<ServiceId, SimError> {
        spec.validate()?;
        if self.services.len() as u32 >= MAX_SERVICES {
            return Err(SimError::LimitExceeded(format!(
                "The playground runs at most {MAX_SERVICES} services."
            )));
        }
        if self.service_id(&spec.name).is_some() {
            return Err(SimError::InvalidRequest(format!(
                "There is already a service called {}.",
                spec.name
            )));
        }
        let id = self.services.len() as u32;
        self.services.push(Service {
            id,
            spec,
            health: Health::Up,
            dependencies: Vec::new(),
            fanout: Fanout::Sequential,
            busy: 0,
            queue: VecDeque::new(),
            stats: ServiceStats::default(),
        });
        Ok(id)
    }

    /// Adds `dependency` at the end of `service`'s list (a redeploy of `service`). Requests it
    /// is already serving keep the list they started with.
    pub fn add_dependency(
        &mut self,
        service: ServiceId,
        dependency: Dependency,
    ) -> Result<(), SimError> {
        dependency.policy.validate()?;
        let count = self.service_ref(service)?.dependencies.len() as u32;
        if count >= MAX_DEPENDENCIES {
            return Err(SimError::LimitExceeded(format!(
                "A service calls at most {MAX_DEPENDENCIES} dependencies."
            )));
        }
        if let Target::Service(to) = dependency.target {
            self.service_ref(to)?;
            if self.reaches(to, service) {
                return Err(SimError::InvalidRequest(
                    "That call would make a cycle: the callee already calls the caller."
                        .to_string(),
                ));
            }
        }
        if let Some(s) = self.services.get_mut(service as usize) {
            s.dependencies.push(dependency);
        }
        self.emit(SoaEventKind::DependenciesChanged {
            service,
            dependencies: count + 1,
        });
        Ok(())
    }

    /// Sets how `service` calls its dependencies.
    pub fn set_fanout(&mut self, service: ServiceId, fanout: Fanout) -> Result<(), SimError> {
        self.service_ref(service)?;
        if let Some(s) = self.services.get_mut(service as usize) {
            s.fanout = fanout;
        }
        Ok(())
    }

    /// Sets the policy `service` uses to call `target`.
    pub fn set_policy(
        &mut self,
        service: ServiceId,
        target: Target,
        policy: CallPolicy,
    ) -> Result<(), SimError> {
        policy.validate()?;
        let s = self
            .services
            .get_mut(service as usize)
            .ok_or_else(|| no_service(service))?;
        let dep = s
            .dependencies
            .iter_mut()
            .find(|d| d.target == target)
            .ok_or_else(|| {
                SimError::InvalidRequest(format!("{} does not call that target.", s.spec.name))
            })?;
        dep.policy = policy;
        Ok(())
    }

    /// Takes `service` up, makes it slow, or takes it down. Going down fails every request it
    /// holds (queued or being served) with a reset.
    pub fn set_health(&mut self, service: ServiceId, health: Health) -> Result<(), SimError> {
        let before = self.service_ref(service)?.health;
        if before == health {
            return Ok(());
        }
        if let Some(s) = self.services.get_mut(service as usize) {
            s.health = health;
        }
        self.emit(SoaEventKind::HealthChanged { service, health });
        if health == Health::Down {
            self.crash(service);
        }
        Ok(())
    }

    /// A user sends request number `request` to the `front` service now; returns the call id.
    /// The answer comes out of [`Soa::take_answers`].
    pub fn send_user_request(&mut self, request: u64, front: ServiceId) -> Result<u64, SimError> {
        self.service_ref(front)?;
        let timeout = self.config.user_timeout_ms.clamp(1, MAX_TIMEOUT_MS);
        Ok(self.send(Caller::User, Target::Service(front), request, 0, timeout))
    }

    /// Answers an external call: its response reaches the caller at `at_ms` (not before now).
    /// Returns false when the call is gone (its caller already timed out).
    pub fn complete_external(&mut self, call: u64, ok: bool, at_ms: u64) -> bool {
        let now = self.now_ms;
        let at = at_ms.max(now);
        let Some(c) = self.calls.get_mut(&call) else {
            return false;
        };
        if c.phase != CallPhase::AtExternal {
            return false;
        }
        c.phase = CallPhase::Responding {
            ok,
            sent_at_ms: now,
            arrives_at_ms: at,
        };
        let failure = (!ok).then_some(Failure::External);
        self.schedule_at(at, run::Due::ResponseArrives { call, failure });
        true
    }

    /// Moves virtual time forward by `delta_ms` (at most [`MAX_ADVANCE_MS`]) and returns what
    /// happened.
    pub fn advance(&mut self, delta_ms: u64) -> Result<Vec<SoaEvent>, SimError> {
        let target = crate::sim::world::advance_target(self.now_ms, delta_ms, MAX_ADVANCE_MS, "")?;
        self.advance_to(target)?;
        Ok(self.take_events())
    }

    /// Runs every event due up to `target_ms` and moves the clock there (events stay pending).
    pub fn advance_to(&mut self, target_ms: u64) -> Result<(), SimError> {
        if target_ms < self.now_ms {
            return Err(SimError::InvalidTime(format!(
                "cannot go back from {} ms to {target_ms} ms",
                self.now_ms
            )));
        }
        while let Some(entry) = self.queue.first_entry() {
            if entry.key().0 > target_ms {
                break;
            }
            let ((at_ms, _), due) = entry.remove_entry();
            self.now_ms = at_ms;
            self.handle(due);
        }
        self.now_ms = target_ms;
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Plumbing

    fn service_ref(&self, id: ServiceId) -> Result<&Service, SimError> {
        self.services.get(id as usize).ok_or_else(|| no_service(id))
    }

    /// Whether `from` calls `to`, directly or through others.
    fn reaches(&self, from: ServiceId, to: ServiceId) -> bool {
        let mut stack = vec![from];
        let mut seen = vec![false; self.services.len()];
        while let Some(s) = stack.pop() {
            if s == to {
                return true;
            }
            let Some(flag) = seen.get_mut(s as usize) else {
                continue;
            };
            if *flag {
                continue;
            }
            *flag = true;
            if let Some(svc) = self.services.get(s as usize) {
                for d in &svc.dependencies {
                    if let Target::Service(next) = d.target {
                        stack.push(next);
                    }
                }
            }
        }
        false
    }

    fn schedule(&mut self, delay_ms: u64, due: run::Due) -> (u64, u64) {
        let at = self.now_ms.saturating_add(delay_ms);
        self.schedule_at(at, due)
    }

    fn schedule_at(&mut self, at_ms: u64, due: run::Due) -> (u64, u64) {
        let key = (at_ms.max(self.now_ms), self.next_seq);
        self.next_seq += 1;
        self.queue.insert(key, due);
        key
    }

    fn hop(&mut self) -> u64 {
        let network = self.config.network;
        network.draw(&mut self.rng)
    }

    fn emit(&mut self, kind: SoaEventKind) {
        let event = SoaEvent {
            at_ms: self.now_ms,
            kind,
        };
        let capacity = self.config.trace_capacity as usize;
        if capacity > 0 {
            if self.recent.len() >= capacity {
                self.recent.pop_front();
            }
            self.recent.push_back(event.clone());
        }
        // Bounded even when nobody drains it.
        let cap = capacity.max(1) * 4;
        if self.pending.len() >= cap {
            self.pending.drain(..capacity.max(1));
        }
        self.pending.push(event);
    }
}

fn no_service(id: ServiceId) -> SimError {
    SimError::InvalidRequest(format!("There is no service {id}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(name: &str) -> ServiceSpec {
        ServiceSpec::new(name, Latency::uniform(10, 10))
    }

    #[test]
    fn latency_draws_stay_in_range_and_the_tail_shows_up() {
        let mut rng = Rng::new(3);
        let lat = Latency::uniform(10, 20).with_tail(100, 500);
        let draws: Vec<u64> = (0..2_000).map(|_| lat.draw(&mut rng)).collect();
        assert!(draws.iter().all(|d| (10..=520).contains(d)));
        let tail = draws.iter().filter(|d| **d > 20).count();
        assert!((100..=300).contains(&tail), "tail draws: {tail}");
    }

    #[test]
    fn a_chain_answers_after_both_services_worked() {
        let mut soa = Soa::new(
            1,
            SoaConfig {
                network: Latency::uniform(1, 1),
                ..SoaConfig::default()
            },
        );
        let front = soa.add_service(leaf("front")).expect("front");
        let back = soa.add_service(leaf("back")).expect("back");
        soa.add_dependency(
            front,
            Dependency {
                target: Target::Service(back),
                policy: CallPolicy::default(),
            },
        )
        .expect("dep");
        soa.send_user_request(7, front).expect("send");
        soa.advance(1_000).expect("advance");
        let answers = soa.take_answers();
        assert_eq!(answers.len(), 1);
        // hop + 10 ms work + hop + 10 ms work + hop + hop.
        assert_eq!(answers[0].latency_ms(), 24);
        assert!(answers[0].ok);
        assert_eq!(soa.calls().count(), 0);
    }

    #[test]
    fn cycles_are_refused() {
        let mut soa = Soa::new(1, SoaConfig::default());
        let a = soa.add_service(leaf("a")).expect("a");
        let b = soa.add_service(leaf("b")).expect("b");
        let dep = |t| Dependency {
            target: Target::Service(t),
            policy: CallPolicy::default(),
        };
        soa.add_dependency(a, dep(b)).expect("a->b");
        assert!(soa.add_dependency(b, dep(a)).is_err());
        assert!(soa.add_dependency(a, dep(a)).is_err());
    }

    #[test]
    fn a_full_queue_rejects_and_a_timeout_retries_then_falls_back() {
        let mut soa = Soa::new(
            2,
            SoaConfig {
                network: Latency::uniform(1, 1),
                ..SoaConfig::default()
            },
        );
        let front = soa.add_service(leaf("front")).expect("front");
        let mut slow = ServiceSpec::new("slow", Latency::uniform(500, 500));
        slow.concurrency = 1;
        slow.queue_limit = 0;
        let back = soa.add_service(slow).expect("back");
        soa.add_dependency(
            front,
            Dependency {
                target: Target::Service(back),
                policy: CallPolicy {
                    timeout_ms: 100,
                    retries: 1,
                    backoff_ms: 10,
                    on_failure: OnFailure::Fallback,
                },
            },
        )
        .expect("dep");
        soa.send_user_request(1, front).expect("send");
        soa.advance(5_000).expect("advance");
        let answers = soa.take_answers();
        assert_eq!(answers.len(), 1);
        assert!(answers[0].ok, "the fallback answers the user");
        let f = soa.service(front).expect("front");
        assert_eq!(f.stats.timeouts, 1);
        assert_eq!(f.stats.retries, 1);
        assert_eq!(f.stats.fallbacks, 1);
        // The retry met the still-busy single slot and no queue: rejected.
        assert_eq!(soa.service(back).expect("back").stats.rejected, 1);
    }
}
