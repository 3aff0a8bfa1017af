//! The model's event handling: calls arriving, being queued, served, answered, timing out and
//! being retried.
//!
//! Invariants: a call lives in `Soa::calls` from the moment it is sent until its response
//! reaches the caller (an abandoned external call is dropped at its timeout, since nobody else
//! holds it); a service's `busy` counts exactly its calls in `Working` or `Waiting`; a call's
//! pending timeout is removed from the queue when its response arrives, so the queue holds a
//! bounded number of entries per live call.

use crate::sim::soa::{
    Call, CallPhase, Caller, Dependency, ExternalCall, Failure, Fanout, Health, OnFailure,
    ServiceId, Soa, SoaEventKind, Target, UserAnswer,
};

/// Most answers kept for `take_answers` when the driver does not drain them.
const ANSWERS_CAPACITY: usize = 65_536;
/// Most external calls kept for `take_external_calls` when the driver does not drain them.
const EXTERNAL_CAPACITY: usize = 65_536;
/// Longest backoff after doubling, in ms.
const MAX_BACKOFF_MS: u64 = 60_000;

/// Something scheduled to happen at a virtual time.
#[derive(Clone, Debug)]
pub(super) enum Due {
    /// A request reaches its callee.
    Arrive { call: u64 },
    /// A service's own work on a call is done.
    WorkDone { call: u64 },
    /// A response reaches the caller.
    ResponseArrives { call: u64, failure: Option<Failure> },
    /// The caller stops waiting for an attempt.
    Timeout { call: u64 },
    /// A service calls dependency `dep` again for the request it serves as `job`.
    Retry { job: u64, dep: u32 },
    /// A call that could not even be sent fails (the model's bound on calls).
    LocalFailure {
        call: u64,
        caller: Caller,
        request: u64,
        sent_at_ms: u64,
    },
}

/// What a service is doing for one request it serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Job {
    /// The dependency list as it was when the request started (a redeploy meanwhile does not
    /// change a request in progress).
    deps: Vec<DepCall>,
    fanout: Fanout,
    /// Dependencies started so far (sequential: the next to call).
    started: u32,
    /// A dependency failed and the policy said to fail the request.
    failed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct DepCall {
    dep: Dependency,
    /// Attempts sent so far.
    attempts: u32,
    status: DepStatus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DepStatus {
    NotStarted,
    InFlight(u64),
    Backoff,
    Done,
}

impl Soa {
    pub(super) fn handle(&mut self, due: Due) {
        match due {
            Due::Arrive { call } => self.on_arrive(call),
            Due::WorkDone { call } => self.advance_job(call),
            Due::ResponseArrives { call, failure } => self.on_response_arrives(call, failure),
            Due::Timeout { call } => self.on_timeout(call),
            Due::Retry { job, dep } => self.send_dep(job, dep),
            Due::LocalFailure {
                call,
                caller,
                request,
                sent_at_ms,
            } => self.deliver(caller, call, request, sent_at_ms, Err(Failure::Overloaded)),
        }
    }

    /// Sends one attempt from `caller` to `target`; returns the call id (allocated even when
    /// the call fails at once because the model is full).
    pub(super) fn send(
        &mut self,
        caller: Caller,
        target: Target,
        request: u64,
        attempt: u32,
        timeout_ms: u64,
    ) -> u64 {
        let id = self.next_call;
        self.next_call += 1;
        let now = self.now_ms;
        if let Caller::Service { service, .. } = caller
            && let Some(s) = self.services.get_mut(service as usize)
        {
            s.stats.calls_made += 1;
        }
        if self.calls.len() as u32 >= self.config.max_calls.min(super::MAX_CALLS) {
            self.schedule(
                0,
                Due::LocalFailure {
                    call: id,
                    caller,
                    request,
                    sent_at_ms: now,
                },
            );
            return id;
        }
        let (arrives, phase) = match target {
            Target::Service(_) => (now + self.hop(), CallPhase::Travelling),
            Target::External(_) => (now, CallPhase::AtExternal),
        };
        let timeout_key = self.schedule(timeout_ms, Due::Timeout { call: id });
        self.calls.insert(
            id,
            Call {
                id,
                request,
                caller,
                callee: target,
                attempt,
                sent_at_ms: now,
                arrives_at_ms: arrives,
                phase,
                abandoned: false,
                job: None,
                timeout_key: Some(timeout_key),
            },
        );
        match target {
            Target::Service(_) => {
                self.schedule_at(arrives, Due::Arrive { call: id });
            }
            Target::External(channel) => {
                if self.external.len() >= EXTERNAL_CAPACITY {
                    self.external.remove(0);
                }
                let service = match caller {
                    Caller::Service { service, .. } => service,
                    Caller::User => 0,
                };
                self.external.push(ExternalCall {
                    call: id,
                    channel,
                    request,
                    service,
                    at_ms: now,
                });
            }
        }
        self.emit(SoaEventKind::RequestSent {
            call: id,
            request,
            from: caller.node(),
            to: target.node(),
            attempt,
            sent_at_ms: now,
            arrives_at_ms: arrives,
        });
        id
    }

    fn on_arrive(&mut self, call: u64) {
        let Some(Target::Service(sid)) = self.calls.get(&call).map(|c| c.callee) else {
            return;
        };
        let Some(s) = self.services.get_mut(sid as usize) else {
            return;
        };
        s.stats.received += 1;
        let rejection = if s.health == Health::Down {
            Some(Failure::Refused)
        } else if s.busy < s.spec.concurrency {
            None
        } else if (s.queue.len() as u32) < s.spec.queue_limit {
            s.queue.push_back(call);
            let queue_len = s.queue.len() as u32;
            if let Some(c) = self.calls.get_mut(&call) {
                c.phase = CallPhase::Queued;
            }
            self.emit(SoaEventKind::RequestQueued {
                call,
                service: sid,
                queue_len,
            });
            return;
        } else {
            Some(Failure::QueueFull)
        };
        match rejection {
            Some(failure) => {
                if let Some(s) = self.services.get_mut(sid as usize) {
                    s.stats.rejected += 1;
                }
                self.emit(SoaEventKind::RequestRejected {
                    call,
                    service: sid,
                    failure,
                });
                self.respond(call, Err(failure));
            }
            None => self.start(call, sid),
        }
    }

    /// Gives `call` a slot of `sid` and starts its own work.
    fn start(&mut self, call: u64, sid: ServiceId) {
        let Some(s) = self.services.get_mut(sid as usize) else {
            return;
        };
        s.busy += 1;
        let latency = s.spec.latency;
        let factor = if s.health == Health::Slow {
            u64::from(s.spec.slow_factor)
        } else {
            1
        };
        let job = Job {
            deps: s
                .dependencies
                .iter()
                .map(|d| DepCall {
                    dep: *d,
                    attempts: 0,
                    status: DepStatus::NotStarted,
                })
                .collect(),
            fanout: s.fanout,
            started: 0,
            failed: false,
        };
        let work = latency.draw(&mut self.rng).saturating_mul(factor);
        let done_at_ms = self.now_ms.saturating_add(work);
        if let Some(c) = self.calls.get_mut(&call) {
            c.phase = CallPhase::Working { done_at_ms };
            c.job = Some(job);
        }
        self.schedule_at(done_at_ms, Due::WorkDone { call });
        self.emit(SoaEventKind::WorkStarted {
            call,
            service: sid,
            done_at_ms,
        });
    }

    /// Moves the request `job` on: calls the next dependencies, or answers when it can.
    fn advance_job(&mut self, job_call: u64) {
        let Some(call) = self.calls.get_mut(&job_call) else {
            return;
        };
        let Some(job) = call.job.as_mut() else {
            return;
        };
        if job.failed {
            self.finish(job_call, Err(Failure::DependencyFailed));
            return;
        }
        let total = job.deps.len() as u32;
        let busy = job
            .deps
            .iter()
            .any(|d| matches!(d.status, DepStatus::InFlight(_) | DepStatus::Backoff));
        let to_start: Vec<u32> = match job.fanout {
            Fanout::Sequential if busy => return,
            Fanout::Sequential if job.started < total => {
                job.started += 1;
                vec![job.started - 1]
            }
            Fanout::Parallel if job.started == 0 && total > 0 => {
                job.started = total;
                (0..total).collect()
            }
            Fanout::Parallel if busy => return,
            _ => {
                self.finish(job_call, Ok(()));
                return;
            }
        };
        call.phase = CallPhase::Waiting;
        for dep in to_start {
            self.send_dep(job_call, dep);
        }
    }

    /// Sends the next attempt of dependency `dep` for the request `job_call` serves.
    fn send_dep(&mut self, job_call: u64, dep: u32) {
        let Some(call) = self.calls.get_mut(&job_call) else {
            return;
        };
        let Target::Service(service) = call.callee else {
            return;
        };
        let request = call.request;
        let Some(d) = call.job.as_mut().and_then(|j| j.deps.get_mut(dep as usize)) else {
            return;
        };
        if matches!(d.status, DepStatus::InFlight(_) | DepStatus::Done) {
            return;
        }
        let attempt = d.attempts;
        d.attempts += 1;
        let Dependency { target, policy } = d.dep;
        if attempt > 0
            && let Some(s) = self.services.get_mut(service as usize)
        {
            s.stats.retries += 1;
        }
        let caller = Caller::Service {
            service,
            job: job_call,
            dep,
        };
        let id = self.send(caller, target, request, attempt, policy.timeout_ms);
        if let Some(d) = self
            .calls
            .get_mut(&job_call)
            .and_then(|c| c.job.as_mut())
            .and_then(|j| j.deps.get_mut(dep as usize))
        {
            d.status = DepStatus::InFlight(id);
        }
    }

    /// The request `job_call` is done: free the slot, answer, and start the next queued one.
    fn finish(&mut self, job_call: u64, result: Result<(), Failure>) {
        let Some(call) = self.calls.get_mut(&job_call) else {
            return;
        };
        let Target::Service(sid) = call.callee else {
            return;
        };
        call.job = None;
        if let Some(s) = self.services.get_mut(sid as usize) {
            s.busy = s.busy.saturating_sub(1);
            match result {
                Ok(()) => s.stats.succeeded += 1,
                Err(_) => s.stats.failed += 1,
            }
        }
        self.respond(job_call, result);
        self.start_queued(sid);
    }

    fn start_queued(&mut self, sid: ServiceId) {
        loop {
            let Some(s) = self.services.get_mut(sid as usize) else {
                return;
            };
            if s.busy >= s.spec.concurrency || s.health == Health::Down {
                return;
            }
            let Some(next) = s.queue.pop_front() else {
                return;
            };
            self.start(next, sid);
        }
    }

    /// Sends `call`'s response back to its caller.
    fn respond(&mut self, call: u64, result: Result<(), Failure>) {
        let hop = self.hop();
        let now = self.now_ms;
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        let ok = result.is_ok();
        let arrives = now + hop;
        c.phase = CallPhase::Responding {
            ok,
            sent_at_ms: now,
            arrives_at_ms: arrives,
        };
        let (request, from, to) = (c.request, c.callee.node(), c.caller.node());
        let failure = result.err();
        self.schedule_at(arrives, Due::ResponseArrives { call, failure });
        self.emit(SoaEventKind::ResponseSent {
            call,
            request,
            from,
            to,
            ok,
            failure,
            sent_at_ms: now,
            arrives_at_ms: arrives,
        });
    }

    fn on_response_arrives(&mut self, call: u64, failure: Option<Failure>) {
        let Some(c) = self.calls.remove(&call) else {
            return;
        };
        if let Some(key) = c.timeout_key {
            self.queue.remove(&key);
        }
        if c.abandoned {
            return;
        }
        let result = match (c.phase, failure) {
            (CallPhase::Responding { ok: true, .. }, _) => Ok(()),
            (_, Some(f)) => Err(f),
            _ => Err(Failure::Reset),
        };
        self.deliver(c.caller, call, c.request, c.sent_at_ms, result);
    }

    fn on_timeout(&mut self, call: u64) {
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        if c.abandoned {
            return;
        }
        c.abandoned = true;
        c.timeout_key = None;
        let (caller, request, sent, attempt, callee) =
            (c.caller, c.request, c.sent_at_ms, c.attempt, c.callee);
        if c.phase == CallPhase::AtExternal {
            // Nobody else holds it: the driver's late answer finds nothing.
            self.calls.remove(&call);
        }
        if let Caller::Service { service, .. } = caller
            && let Some(s) = self.services.get_mut(service as usize)
        {
            s.stats.timeouts += 1;
        }
        self.emit(SoaEventKind::CallTimedOut {
            call,
            request,
            from: caller.node(),
            to: callee.node(),
            attempt,
        });
        self.deliver(caller, call, request, sent, Err(Failure::Timeout));
    }

    /// Hands the result of attempt `call` to whoever made it.
    fn deliver(
        &mut self,
        caller: Caller,
        call: u64,
        request: u64,
        sent_at_ms: u64,
        result: Result<(), Failure>,
    ) {
        match caller {
            Caller::User => {
                let answer = UserAnswer {
                    request,
                    ok: result.is_ok(),
                    failure: result.err(),
                    sent_at_ms,
                    answered_at_ms: self.now_ms,
                };
                if self.answers.len() >= ANSWERS_CAPACITY {
                    self.answers.pop_front();
                }
                self.answers.push_back(answer);
                self.emit(SoaEventKind::UserAnswered {
                    request,
                    ok: answer.ok,
                    failure: answer.failure,
                    latency_ms: answer.latency_ms(),
                });
            }
            Caller::Service { service, job, dep } => {
                self.on_dep_result(service, job, dep, call, request, result);
            }
        }
    }

    fn on_dep_result(
        &mut self,
        service: ServiceId,
        job_call: u64,
        dep: u32,
        call: u64,
        request: u64,
        result: Result<(), Failure>,
    ) {
        let now = self.now_ms;
        let Some(d) = self
            .calls
            .get_mut(&job_call)
            .and_then(|c| c.job.as_mut())
            .and_then(|j| j.deps.get_mut(dep as usize))
        else {
            // The request it was for is gone (answered already, or its service went down).
            return;
        };
        if d.status != DepStatus::InFlight(call) {
            return;
        }
        let policy = d.dep.policy;
        let dependency = d.dep.target.node();
        if result.is_ok() {
            d.status = DepStatus::Done;
        } else if d.attempts <= policy.retries {
            d.status = DepStatus::Backoff;
            let shift = d.attempts.saturating_sub(1).min(16);
            let wait = policy
                .backoff_ms
                .saturating_mul(1u64 << shift)
                .min(MAX_BACKOFF_MS);
            let attempt = d.attempts;
            self.schedule(wait, Due::Retry { job: job_call, dep });
            self.emit(SoaEventKind::RetryScheduled {
                request,
                service,
                dependency,
                attempt,
                at_ms: now + wait,
            });
            return;
        } else {
            d.status = DepStatus::Done;
            match policy.on_failure {
                OnFailure::Fallback => {
                    if let Some(s) = self.services.get_mut(service as usize) {
                        s.stats.fallbacks += 1;
                    }
                    self.emit(SoaEventKind::FallbackUsed {
                        request,
                        service,
                        dependency,
                    });
                }
                OnFailure::FailRequest => {
                    if let Some(j) = self.calls.get_mut(&job_call).and_then(|c| c.job.as_mut()) {
                        j.failed = true;
                    }
                }
            }
        }
        // Still working on its own part: the job moves on when that is done.
        if matches!(
            self.calls.get(&job_call).map(|c| c.phase),
            Some(CallPhase::Waiting)
        ) {
            self.advance_job(job_call);
        }
    }

    /// `sid` went down: everything it holds fails with a reset.
    pub(super) fn crash(&mut self, sid: ServiceId) {
        let held: Vec<u64> = self
            .calls
            .values()
            .filter(|c| {
                c.callee == Target::Service(sid)
                    && matches!(
                        c.phase,
                        CallPhase::Queued | CallPhase::Working { .. } | CallPhase::Waiting
                    )
            })
            .map(|c| c.id)
            .collect();
        if let Some(s) = self.services.get_mut(sid as usize) {
            s.busy = 0;
            s.queue.clear();
            s.stats.failed += held.len() as u64;
        }
        for call in held {
            if let Some(c) = self.calls.get_mut(&call) {
                c.job = None;
            }
            self.respond(call, Err(Failure::Reset));
        }
    }
}
