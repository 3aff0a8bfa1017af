//! EDA vs SOA: the same flow built as services calling services and as events, driven by the
//! same users. These tests pin the claims the view makes: an outage or a slow service hurts the
//! synchronous side's users and not the event side's; the event side's backlog drains with no
//! event lost; adding a consumer changes the synchronous caller and not the producer; the same
//! seed gives the same metrics.
#![cfg(not(target_arch = "wasm32"))]

use std::panic::{AssertUnwindSafe, catch_unwind};

use eda_playground::sim::compare::{
    Advanced, Comparison, ComparisonConfig, Control, DownstreamSpec, MAX_DOWNSTREAM, Preset,
    Sample, StartFrom,
};
use eda_playground::sim::rng::Rng;
use eda_playground::sim::soa::{Fanout, Health, Latency, MAX_CALLS, OnFailure};
use eda_playground::sim::timeline::{Limits, Replayable, Timeline};

const EMAIL: &str = "email-service";

fn registration(seed: u64) -> Comparison {
    Comparison::new(seed, Preset::user_registration()).expect("preset builds")
}

/// Advances `secs` virtual seconds, one second at a time, and returns what happened.
fn run(c: &mut Comparison, secs: u32) -> Vec<Advanced> {
    (0..secs)
        .map(|_| c.advance(1_000).expect("advance"))
        .collect()
}

fn index(c: &Comparison, name: &str) -> usize {
    c.downstreams()
        .iter()
        .position(|d| d.spec.name == name)
        .expect("downstream exists")
}

/// Stops the users, lets every backlog drain and every commit land.
fn drain(c: &mut Comparison) {
    c.set_users(false).expect("pause users");
    run(c, 30);
}

/// The event side has every event exactly once in the topic, every group has committed all
/// of it, and each group processed each event at least once.
fn assert_nothing_lost(c: &Comparison, end: &Sample) {
    let written = c.events_written();
    assert_eq!(written, end.eda.succeeded, "one event per registered user");
    let topic = c.world().topic(c.topic()).expect("topic");
    let log_end: u64 = topic.partitions.iter().map(|p| p.high_watermark).sum();
    assert_eq!(log_end, written, "no event written twice, none missing");
    for (i, d) in c.downstreams().iter().enumerate() {
        for row in c.world().group_lag(d.group()) {
            assert_eq!(
                row.current_offset,
                Some(row.log_end_offset),
                "{} has not committed partition {}",
                d.spec.name,
                row.partition
            );
        }
        assert_eq!(end.eda.downstream[i].backlog, 0, "{} lag", d.spec.name);
        let work = end.eda.downstream[i].work_done;
        assert!(
            work >= written && work <= written + d.redeliveries,
            "{}: processed {work} records for {written} events ({} redeliveries)",
            d.spec.name,
            d.redeliveries
        );
    }
}

// ---------------------------------------------------------------------------------------------

#[test]
fn email_down_with_fail_policy_soa_errors_while_eda_answers_and_its_lag_drains_without_loss() {
    let mut c = registration(7);
    c.set_on_failure(EMAIL, OnFailure::FailRequest)
        .expect("policy");
    let email = index(&c, EMAIL);
    run(&mut c, 10);
    let before = c.live();
    assert_eq!(before.soa.success_per_mille, Some(1_000));
    assert_eq!(before.eda.success_per_mille, Some(1_000));
    assert!(
        before.requests > 20,
        "users are sending: {}",
        before.requests
    );

    c.set_health(EMAIL, Health::Down).expect("down");
    let written_at_down = c.events_written();
    let eda_email_work_at_down = c.live().eda.downstream[email].work_done;
    run(&mut c, 12);
    let mid = c.live();
    // The whole 10 s window is outage now.
    assert_eq!(
        mid.soa.success_per_mille,
        Some(0),
        "SOA fails every request"
    );
    assert_eq!(
        mid.eda.success_per_mille,
        Some(1_000),
        "EDA answers every user"
    );
    run(&mut c, 18);
    let down_end = c.live();
    let sent = down_end.requests - before.requests;
    let soa_failed = down_end.soa.failed - before.soa.failed;
    assert!(
        soa_failed + 5 >= sent,
        "SOA errors during the outage: {soa_failed} of {sent}"
    );
    assert_eq!(down_end.eda.failed, 0, "no EDA user saw an error");
    // The email group's lag grows while it is down and holds every event written since.
    let lag_mid = mid.eda.downstream[email].backlog;
    let lag_end = down_end.eda.downstream[email].backlog;
    assert!(
        lag_mid > 20 && lag_end > lag_mid,
        "lag {lag_mid} -> {lag_end}"
    );
    assert!(lag_end >= c.events_written() - written_at_down);
    assert_eq!(
        down_end.eda.downstream[email].work_done, eda_email_work_at_down,
        "a stopped service does no work"
    );
    // The others keep up.
    for (i, d) in c.downstreams().iter().enumerate() {
        if i != email {
            assert!(
                down_end.eda.downstream[i].backlog < 20,
                "{} lags {}",
                d.spec.name,
                down_end.eda.downstream[i].backlog
            );
        }
    }

    c.set_health(EMAIL, Health::Up).expect("up");
    drain(&mut c);
    let end = c.live();
    assert_eq!(end.eda.failed, 0);
    assert_eq!(end.eda.succeeded, end.requests);
    assert_nothing_lost(&c, &end);
    // On the SOA side the failed registrations never reached the email service at all.
    let soa_email = end.soa.downstream[email].work_done;
    assert!(
        soa_email + soa_failed <= end.requests + 5,
        "SOA sent {soa_email} emails for {} requests, {soa_failed} failed",
        end.requests
    );
}

#[test]
fn email_down_with_fallback_soa_registers_without_email_and_those_emails_are_never_sent() {
    let mut c = registration(8);
    c.set_on_failure(EMAIL, OnFailure::Fallback)
        .expect("policy");
    let email = index(&c, EMAIL);
    let analytics = index(&c, "analytics");
    run(&mut c, 10);
    c.set_health(EMAIL, Health::Down).expect("down");
    let at_down = c.live();
    run(&mut c, 25);
    let down_end = c.live();
    assert_eq!(
        down_end.soa.success_per_mille,
        Some(1_000),
        "the fallback hides the outage"
    );
    assert_eq!(down_end.eda.success_per_mille, Some(1_000));
    assert_eq!(
        down_end.soa.downstream[email].work_done, at_down.soa.downstream[email].work_done,
        "no SOA email was sent during the outage"
    );
    let skipped =
        down_end.soa.downstream[analytics].work_done - at_down.soa.downstream[analytics].work_done;
    assert!(skipped > 50, "the flow went on without email: {skipped}");
    // The fallback costs the retry: user latency rises by at least the backoff.
    assert!(
        down_end.soa.p50_ms >= at_down.soa.p50_ms.map(|p| p + 50),
        "SOA p50 {:?} -> {:?}",
        at_down.soa.p50_ms,
        down_end.soa.p50_ms
    );

    c.set_health(EMAIL, Health::Up).expect("up");
    drain(&mut c);
    let end = c.live();
    assert_nothing_lost(&c, &end);
    // SOA: the emails skipped during the outage are gone for good.
    let soa_email = end.soa.downstream[email].work_done;
    let soa_analytics = end.soa.downstream[analytics].work_done;
    assert!(
        soa_email + skipped <= soa_analytics + 5,
        "SOA emails {soa_email}, analytics {soa_analytics}, skipped {skipped}"
    );
    // EDA: every registration got its email, later.
    assert!(end.eda.downstream[email].work_done >= end.requests);
}

#[test]
fn adding_a_service_changes_the_soa_callers_dependencies_and_not_the_eda_producers() {
    let mut c = registration(3);
    run(&mut c, 5);
    let start = c.live();
    assert_eq!(start.soa.front_dependencies, 3);
    assert_eq!(
        start.eda.front_dependencies, 1,
        "the producer knows only the topic"
    );
    assert!(start.eda.downstream.iter().all(|d| d.dependencies == 1));
    assert!(start.soa.downstream.iter().all(|d| d.dependencies == 0));

    let written_before = c.events_written();
    c.add_downstream(
        DownstreamSpec::new("fraud-check", Latency::uniform(10, 20)),
        StartFrom::Beginning,
    )
    .expect("add");
    let fraud = index(&c, "fraud-check");
    assert_eq!(c.pending_redeploy(), vec!["fraud-check"]);
    assert_eq!(c.live().soa.front_dependencies, 3, "not until the redeploy");
    assert_eq!(c.live().eda.front_dependencies, 1);
    run(&mut c, 10);
    let before_redeploy = c.live();
    assert!(
        before_redeploy.eda.downstream[fraud].work_done >= written_before,
        "a group from the beginning catches up on history"
    );
    assert_eq!(before_redeploy.soa.downstream[fraud].work_done, 0);

    c.confirm_redeploy().expect("redeploy");
    assert!(c.pending_redeploy().is_empty());
    assert!(c.confirm_redeploy().is_err(), "nothing left to redeploy");
    run(&mut c, 5);
    let after = c.live();
    assert_eq!(after.soa.front_dependencies, 4, "the caller changed");
    assert_eq!(after.eda.front_dependencies, 1, "the producer did not");
    assert!(after.soa.downstream[fraud].work_done > 0);

    // A group that starts from now skips history.
    let written_at_add = c.events_written();
    c.add_downstream(
        DownstreamSpec::new("loyalty", Latency::uniform(5, 10)),
        StartFrom::Now,
    )
    .expect("add");
    let loyalty = index(&c, "loyalty");
    drain(&mut c);
    let end = c.live();
    assert_eq!(
        end.eda.downstream[loyalty].work_done,
        c.events_written() - written_at_add
    );
    assert_eq!(end.eda.front_dependencies, 1);
    assert_eq!(end.soa.front_dependencies, 4);
    assert!(
        c.add_downstream(
            DownstreamSpec::new("loyalty", Latency::uniform(5, 10)),
            StartFrom::Now
        )
        .is_err(),
        "names are unique"
    );
}

/// A scripted session: every kind of control, at fixed times.
fn scripted(seed: u64) -> (Comparison, Vec<Advanced>) {
    let mut c = registration(seed);
    let mut out = Vec::new();
    for second in 0..40u32 {
        match second {
            5 => c.set_health(EMAIL, Health::Down).expect("down"),
            8 => c.spike(60, 3_000).expect("spike"),
            12 => c.set_health("crm-sync", Health::Slow).expect("slow"),
            15 => c
                .add_downstream(
                    DownstreamSpec::new("fraud-check", Latency::uniform(10, 20)),
                    StartFrom::Beginning,
                )
                .expect("add"),
            18 => c.confirm_redeploy().expect("redeploy"),
            20 => c.set_health(EMAIL, Health::Up).expect("up"),
            22 => c.set_fanout(Fanout::Parallel).expect("fanout"),
            25 => c
                .set_on_failure("crm-sync", OnFailure::Fallback)
                .expect("policy"),
            30 => c.set_users(false).expect("pause"),
            _ => {}
        }
        out.push(c.advance(1_000).expect("advance"));
    }
    (c, out)
}

#[test]
fn the_same_seed_gives_identical_metrics_and_traces() {
    let (a, trace_a) = scripted(42);
    let (b, trace_b) = scripted(42);
    assert_eq!(a.history().len(), 40);
    assert_eq!(a.history(), b.history(), "metric histories differ");
    assert_eq!(trace_a, trace_b, "traces differ");
    assert_eq!(a.live(), b.live());
    // The comparison is not trivially constant: another seed gives other numbers.
    let (other, _) = scripted(43);
    assert_ne!(a.history(), other.history());
    // Seed and controls rebuild it exactly (on the timeline, the one place that replays).
    let mut a = a;
    let controls = Replayable::take_history(&mut a);
    assert_eq!(controls.len(), 9, "every control was recorded");
    let origin = Comparison::with_config(a.seed(), a.preset().clone(), ComparisonConfig::default())
        .expect("build");
    let replayed: Timeline<(), Comparison> =
        Timeline::from_script(origin, &controls, a.now_ms(), 0, (), Limits::default())
            .expect("replay");
    assert_eq!(replayed.history(), a.history());
    assert_eq!(replayed.live(), a.live());
}

#[test]
fn a_slow_service_raises_soa_p99_and_not_eda_user_latency() {
    for seed in [11u64, 12, 13] {
        let mut normal = registration(seed);
        let mut slow = registration(seed);
        run(&mut normal, 10);
        run(&mut slow, 10);
        slow.set_health(EMAIL, Health::Slow).expect("slow");
        let at_slow: Vec<u64> = slow
            .live()
            .eda
            .downstream
            .iter()
            .map(|d| d.work_done)
            .collect();
        run(&mut normal, 12);
        run(&mut slow, 12);
        let (n, s) = (normal.live(), slow.live());
        let (n99, s99) = (n.soa.p99_ms.expect("p99"), s.soa.p99_ms.expect("p99"));
        assert!(
            s99 >= n99 + 200,
            "seed {seed}: SOA p99 {n99} ms normal, {s99} ms with a slow email service"
        );
        let (e99, es99) = (n.eda.p99_ms.expect("p99"), s.eda.p99_ms.expect("p99"));
        assert!(
            es99 <= e99 + 25 && e99 <= es99 + 25,
            "seed {seed}: EDA p99 {e99} ms normal, {es99} ms with a slow email service"
        );
        assert!(
            s.eda.p50_ms.expect("p50") < 100,
            "seed {seed}: EDA answers without waiting for email"
        );
        // The slow email service falls behind on the event side instead, processing at its
        // slow rate: 410 ms per record, 5 records a fetch.
        let email = index(&slow, EMAIL);
        let done = s.eda.downstream[email].work_done - at_slow[email];
        assert!(
            (10..=40).contains(&done),
            "seed {seed}: slow email processed {done} records in 12 s"
        );
        let (lag_n, lag_s) = (
            n.eda.downstream[email].backlog,
            s.eda.downstream[email].backlog,
        );
        assert!(
            lag_s >= 20 && lag_s > lag_n + 15,
            "seed {seed}: email lag {lag_n} normal, {lag_s} slow"
        );
    }
}

#[test]
fn processing_time_limits_eda_throughput_even_after_a_long_idle_spell() {
    let mut c = registration(21);
    let email = index(&c, EMAIL);
    // A minute of normal traffic: the consumers keep up and wait for data again and again.
    run(&mut c, 60);
    c.set_users(false).expect("pause");
    run(&mut c, 5);
    let before = c.live().eda.downstream[email].work_done;
    c.spike(400, 500).expect("spike");
    run(&mut c, 5);
    let done = c.live().eda.downstream[email].work_done - before;
    // 41 ms per record (the service's mean work), fetched 5 at a time: at most 5 records
    // per 205 ms, so about 122 in 5 s, whatever happened before.
    let per_record = c.downstreams()[email].spec.latency.mean_ms();
    assert_eq!(per_record, 41);
    let bound = 5_000 / (per_record * 5) * 5 + 5;
    assert!(
        done >= bound / 2 && done <= bound,
        "email processed {done} records in 5 s; its rate allows {bound}"
    );
    assert!(
        c.live().eda.downstream[email].backlog > 200,
        "the spike waits in the topic"
    );
    run(&mut c, 20);
    assert_eq!(c.live().eda.downstream[email].backlog, 0, "and drains");
}

#[test]
fn parallel_fanout_answers_faster_than_sequential_for_order_placement() {
    let sequential = Comparison::new(5, Preset::order_placement());
    let parallel = Comparison::with_config(
        5,
        Preset::order_placement(),
        ComparisonConfig {
            fanout: Fanout::Parallel,
            ..ComparisonConfig::default()
        },
    );
    let (mut sequential, mut parallel) = (sequential.expect("seq"), parallel.expect("par"));
    run(&mut sequential, 15);
    run(&mut parallel, 15);
    let (s, p) = (sequential.live(), parallel.live());
    assert_eq!(s.soa.front_dependencies, 4);
    let (s50, p50) = (s.soa.p50_ms.expect("p50"), p.soa.p50_ms.expect("p50"));
    assert!(p50 + 40 < s50, "parallel p50 {p50} ms, sequential {s50} ms");
    // The event side does not care how the SOA front calls.
    assert_eq!(s.eda.p50_ms, p.eda.p50_ms);
    assert!(s.eda.p50_ms.expect("p50") < p50);
}

#[test]
fn a_spike_sends_exactly_its_requests_to_both_sides_and_front_down_fails_both() {
    let mut c = registration(9);
    c.set_users(false).expect("pause");
    c.spike(100, 2_000).expect("spike");
    run(&mut c, 10);
    let s = c.live();
    assert_eq!(s.requests, 100);
    assert_eq!(s.soa.succeeded + s.soa.failed, 100);
    assert_eq!(s.eda.succeeded + s.eda.failed, 100);
    assert!(c.spike(0, 1_000).is_err());

    let front = c.preset().front.name.clone();
    c.set_health(&front, Health::Down).expect("front down");
    c.set_users(true).expect("users");
    run(&mut c, 12);
    let s = c.live();
    assert_eq!(s.soa.success_per_mille, Some(0));
    assert_eq!(s.eda.success_per_mille, Some(0), "no front, no event");
}

#[test]
fn a_seed_sweep_of_random_controls_never_panics_and_keeps_the_bounds() {
    for seed in 0..20u64 {
        let result = catch_unwind(AssertUnwindSafe(|| random_session(seed)));
        assert!(result.is_ok(), "seed {seed} panicked");
    }
}

fn random_session(seed: u64) {
    let mut rng = Rng::new(seed);
    let preset = if seed.is_multiple_of(2) {
        Preset::user_registration()
    } else {
        Preset::order_placement()
    };
    let mut names: Vec<String> = preset.downstream.iter().map(|d| d.name.clone()).collect();
    names.push(preset.front.name.clone());
    names.push("nobody".to_string());
    let config = ComparisonConfig {
        history_capacity: 50,
        ..ComparisonConfig::default()
    };
    let mut c = Comparison::with_config(seed, preset, config).expect("build");
    for step in 0..60u32 {
        let pick = |rng: &mut Rng, n: usize| rng.below(n as u64) as usize;
        let health = [Health::Up, Health::Slow, Health::Down][pick(&mut rng, 3)];
        let control = match rng.below(8) {
            0 | 1 => Control::SetHealth {
                service: names[pick(&mut rng, names.len())].clone(),
                health,
            },
            2 => Control::Spike {
                extra_requests: rng.below(400) as u32,
                over_ms: rng.below(5_000),
            },
            3 => {
                let name = format!("extra-{}", rng.below(4));
                Control::AddDownstream {
                    spec: DownstreamSpec::new(&name, Latency::uniform(5, 50)),
                    start: if rng.below(2) == 0 {
                        StartFrom::Beginning
                    } else {
                        StartFrom::Now
                    },
                }
            }
            4 => Control::ConfirmRedeploy,
            5 => Control::SetFanout {
                fanout: if rng.below(2) == 0 {
                    Fanout::Sequential
                } else {
                    Fanout::Parallel
                },
            },
            6 => Control::SetOnFailure {
                service: names[pick(&mut rng, names.len())].clone(),
                on_failure: if rng.below(2) == 0 {
                    OnFailure::FailRequest
                } else {
                    OnFailure::Fallback
                },
            },
            _ => Control::SetUsers {
                running: rng.below(4) != 0,
            },
        };
        if let Control::AddDownstream { spec, .. } = &control
            && !names.contains(&spec.name)
        {
            names.push(spec.name.clone());
        }
        // Refusals are fine; panics and broken bounds are not.
        let _ = c.apply(control);
        c.advance(rng.below(3_000)).expect("advance");
        let s = c.live();
        for (side, m) in [("soa", &s.soa), ("eda", &s.eda)] {
            assert!(
                m.succeeded + m.failed <= s.requests,
                "seed {seed} step {step}: {side} answered more than asked"
            );
            assert!(m.success_per_mille.is_none_or(|p| p <= 1_000));
            assert!(
                m.p50_ms <= m.p99_ms,
                "seed {seed} step {step}: {side} p50 > p99"
            );
            assert_eq!(m.downstream.len(), c.downstreams().len());
        }
        assert!(c.downstreams().len() as u32 <= MAX_DOWNSTREAM);
        assert!(c.history().len() <= 50, "seed {seed}: history unbounded");
        assert!(c.soa().calls().count() as u32 <= MAX_CALLS);
        assert_eq!(s.eda.front_dependencies, 1, "seed {seed}");
        assert_eq!(
            s.soa.front_dependencies as usize,
            c.downstreams().len() - c.pending_redeploy().len(),
            "seed {seed} step {step}"
        );
    }
}
