//! The timeline (`sim::timeline`): seeking equals a fresh replay, moving forward again through
//! the recorded future, branching when the past is changed, the console's direct changes
//! joining the script, and the bounds that keep a tab left open all day small.

use eda_playground::sim::command::{Command, NewRecord, Scenario};
use eda_playground::sim::timeline::{Fold, Limits, Timeline};
use eda_playground::sim::world::WorldConfig;
use eda_playground::sim::{TraceEvent, TraceKind, World};

/// Counts what a view would: records appended and delivered, and events seen.
#[derive(Clone, Debug, Default, PartialEq)]
struct Counts {
    appended: u64,
    delivered: u64,
    events: u64,
}

impl Fold for Counts {
    fn fold(&mut self, _world: &World, events: &[TraceEvent]) {
        for e in events {
            self.events += 1;
            match e.kind {
                TraceKind::RecordAppended { .. } => self.appended += 1,
                TraceKind::RecordDelivered { .. } => self.delivered += 1,
                _ => {}
            }
        }
    }
}

/// Everything a learner could see of a world: the clock and the whole recent trace.
fn fingerprint(world: &World) -> String {
    format!(
        "{} {:?}",
        world.now_ms(),
        world.recent_events().iter().collect::<Vec<_>>()
    )
}

fn config() -> WorldConfig {
    WorldConfig {
        trace_capacity: 50_000,
        ..WorldConfig::default()
    }
}

/// A busy timeline: a topic, a producer sending 50 records/s on its own, a group of two, and
/// a few commands along the way (a crash, a typed record, a new topic).
fn busy(seed: u64, limits: Limits) -> Timeline<Counts> {
    busy_in(seed, config(), limits)
}

/// [`busy`] in a world of this configuration.
fn busy_in(seed: u64, config: WorldConfig, limits: Limits) -> Timeline<Counts> {
    let mut t = Timeline::new(seed, config, Counts::default(), limits);
    t.drive(|w| w.create_topic("orders", 3, 1)).expect("topic");
    let producer = t.drive(|w| w.add_producer()).expect("producer");
    t.apply(Command::SetAutoProduce {
        producer,
        topic: "orders".into(),
        rate_per_s: 50,
        keys: vec!["alice".into(), "bob".into(), "carol".into()],
        value_prefix: "order-".into(),
    })
    .expect("generator");
    let a = t
        .drive(|w| w.add_group_consumer("billing", &["orders"]))
        .expect("consumer");
    t.drive(|w| w.add_group_consumer("billing", &["orders"]))
        .expect("consumer");
    // Uneven chunks, as animation frames are.
    for i in 0..400u64 {
        t.advance(7 + i % 29).expect("advance");
        if i == 150 {
            t.apply(Command::CrashConsumer { consumer: a })
                .expect("crash");
        }
        if i == 250 {
            t.apply(Command::Produce {
                producer,
                record: NewRecord::new("orders", Some("dave"), "typed"),
            })
            .expect("produce");
        }
        if i == 300 {
            t.drive(|w| w.create_topic("payments", 2, 1))
                .expect("topic");
        }
    }
    t
}

#[test]
fn seeking_equals_a_fresh_replay_of_the_scenario() {
    for seed in 0..4 {
        let mut t = busy(seed, Limits::default());
        let scenario = t.scenario().expect("complete");
        let end = t.now_ms();
        for at in [0, 1, 999, 2_500, end / 2, end - 1, end] {
            let shown = t.seek(at);
            assert_eq!(shown, at, "seed {seed}");
            let fresh = World::replay(&scenario, at).expect("replay");
            assert_eq!(
                fingerprint(t.world()),
                fingerprint(&fresh),
                "seed {seed} at {at}"
            );
        }
    }
}

#[test]
fn a_seek_rebuilds_the_fold_as_it_was_then() {
    let mut live = busy(7, Limits::default());
    let end = live.now_ms();
    let counts_at_end = live.fold().clone();
    live.seek(end / 3);
    let at_third = live.fold().clone();
    assert!(at_third.appended < counts_at_end.appended);
    // Moving forward again through the recorded future lands on the same world and counts.
    live.advance(end - live.now_ms()).expect("advance");
    assert_eq!(live.fold(), &counts_at_end);
    let again = busy(7, Limits::default());
    assert_eq!(fingerprint(live.world()), fingerprint(again.world()));
    assert!(live.is_live());
}

#[test]
fn moving_forward_again_re_applies_recorded_commands() {
    let mut t = busy(3, Limits::default());
    let end = t.now_ms();
    let reference = fingerprint(t.world());
    t.seek(1_000);
    assert!(!t.is_live());
    assert!(
        t.pending_commands() > 0,
        "the crash, the typed record and the topic are ahead"
    );
    while t.now_ms() < end {
        t.advance(16.min(end - t.now_ms())).expect("advance");
    }
    assert_eq!(t.now_ms(), end);
    assert_eq!(fingerprint(t.world()), reference);
}

#[test]
fn a_change_in_the_past_drops_the_recorded_future() {
    let mut t = busy(5, Limits::default());
    let end = t.now_ms();
    let commands = t.script().len();
    t.seek(2_000);
    t.drive(|w| w.create_topic("late-idea", 1, 1))
        .expect("topic");
    assert_eq!(t.horizon_ms(), 2_000, "the timeline now ends here");
    assert!(t.is_live());
    assert!(
        t.script().len() < commands,
        "the crash and what followed are gone"
    );
    assert!(t.script().iter().all(|c| c.at_ms <= 2_000));
    assert!(t.world().topic("late-idea").is_some());
    // The branch replays exactly too.
    t.advance(5_000).expect("advance");
    let fresh = World::replay(&t.scenario().expect("complete"), t.now_ms()).expect("replay");
    assert_eq!(fingerprint(t.world()), fingerprint(&fresh));
    assert!(t.now_ms() < end);
}

#[test]
fn time_passed_by_another_driver_over_a_recorded_command_branches() {
    let mut t = busy(9, Limits::default());
    t.seek(1_000);
    let pending = t.pending_commands();
    assert!(pending > 0);
    // The console lets virtual time pass on the world directly, past the recorded crash.
    t.drive(|w| w.advance(20_000).map(|_| ())).expect("advance");
    assert_eq!(t.pending_commands(), 0);
    assert_eq!(t.horizon_ms(), t.now_ms());
    let fresh = World::replay(&t.scenario().expect("complete"), t.now_ms()).expect("replay");
    assert_eq!(fingerprint(t.world()), fingerprint(&fresh));
}

#[test]
fn looking_without_changing_keeps_the_future() {
    let mut t = busy(11, Limits::default());
    let commands = t.script().len();
    let horizon = t.horizon_ms();
    t.seek(500);
    // A describe from the console reads the world and changes nothing.
    let topics = t.drive(|w| w.topics().count());
    assert!(topics >= 1);
    assert_eq!(t.script().len(), commands);
    assert_eq!(t.horizon_ms(), horizon);
}

#[test]
fn refused_commands_are_not_recorded() {
    let mut t: Timeline = Timeline::new(1, config(), (), Limits::default());
    let before = t.script().len();
    assert!(t.drive(|w| w.create_topic("bad name!", 1, 1)).is_err());
    assert_eq!(t.script().len(), before);
}

#[test]
fn memory_stays_bounded_and_the_reach_shrinks_instead() {
    let limits = Limits {
        checkpoint_every_ms: 1_000,
        checkpoints_max: 5,
        script_max: 50,
        reach_records_max: u64::MAX,
        reach_records_min: u64::MAX,
        checkpoint_every_records: u64::MAX,
    };
    let mut t = Timeline::new(2, config(), Counts::default(), limits);
    t.drive(|w| w.create_topic("orders", 2, 1)).expect("topic");
    let producer = t.drive(|w| w.add_producer()).expect("producer");
    for i in 0..600u64 {
        t.apply(Command::Produce {
            producer,
            record: NewRecord::new("orders", Some("k"), &format!("v{i}")),
        })
        .expect("produce");
        t.advance(100).expect("advance");
        assert!(
            t.script().len() <= 50 + 1_000 / 100 + 5,
            "script {}",
            t.script().len()
        );
    }
    assert!(t.earliest_ms() >= t.now_ms() - 5 * 1_000);
    assert!(t.scenario().is_none(), "the oldest commands are gone");
    // Seeking before the reach lands on the earliest moment, and still replays exactly.
    let earliest = t.earliest_ms();
    assert_eq!(t.seek(0), earliest);
    t.advance(t.horizon_ms() - earliest).expect("advance");
    assert!(t.is_live());
}

/// A world whose partitions keep their newest 100 records each, as the page's keep 5,000.
fn windowed() -> WorldConfig {
    WorldConfig {
        max_records_per_partition: 100,
        ..config()
    }
}

/// Plays `t` on for 40 s in 100 ms steps.
fn forty_seconds_more(t: &mut Timeline<Counts>) {
    for _ in 0..400 {
        t.advance(100).expect("advance");
    }
}

/// The reach of a [`busy`] timeline allowed about 200 records the partitions dropped: 4 s of
/// its producer, and up to a second more between checkpoints.
fn assert_reach_about_four_seconds(t: &Timeline<Counts>) {
    let reach = t.now_ms() - t.earliest_ms();
    assert!(
        (3_000..=6_000).contains(&reach),
        "reach {reach} ms with {} checkpoints",
        t.checkpoints()
    );
}

/// A fast producer fills the reach with records before the checkpoints run out: the oldest
/// checkpoint goes once it and the live world keep more than `reach_records_max` records alive
/// together (its records plus all appended since), so the records only it held are freed,
/// and seeking there still replays exactly.
#[test]
fn a_busy_timeline_reaches_back_only_as_far_as_its_record_budget() {
    let limits = Limits {
        checkpoint_every_ms: 1_000,
        checkpoints_max: 40,
        script_max: 1_000,
        reach_records_max: 500,
        reach_records_min: 0,
        checkpoint_every_records: u64::MAX,
    };
    // `busy` sends 50 records/s for about 7 s: ~350 records in 7 checkpoints, within budget.
    let t = busy_in(3, windowed(), limits);
    assert!(t.checkpoints() >= 7, "{} checkpoints", t.checkpoints());
    assert_eq!(t.earliest_ms(), 0);
    // 50 records/s for 40 s more: the partitions hold their 100 newest each (alice, bob and
    // carol fill all three, about 300), so about 200 records appended since the oldest
    // checkpoint fit beside them.
    let mut t = busy_in(3, windowed(), limits);
    forty_seconds_more(&mut t);
    assert_reach_about_four_seconds(&t);
    let mut fresh = busy_in(3, windowed(), limits);
    forty_seconds_more(&mut fresh);
    let earliest = t.earliest_ms();
    let now = t.now_ms();
    assert_eq!(t.seek(0), earliest);
    t.advance(now - earliest).expect("advance");
    assert_eq!(fingerprint(t.world()), fingerprint(fresh.world()));
}

/// The record budget frees what only the checkpoints hold: a world that drops nothing keeps
/// every checkpoint (dropping one would free nothing), and one whose partitions alone hold
/// more than the budget still reaches back over `reach_records_min` records.
#[test]
fn the_record_budget_counts_only_what_checkpoints_keep_alive() {
    let limits = Limits {
        checkpoint_every_ms: 1_000,
        checkpoints_max: 60,
        script_max: 1_000,
        reach_records_max: 100,
        reach_records_min: 0,
        checkpoint_every_records: u64::MAX,
    };
    let mut t = busy_in(4, config(), limits);
    forty_seconds_more(&mut t);
    assert_eq!(t.earliest_ms(), 0, "{} checkpoints", t.checkpoints());
    // The partitions hold about 300 records, more than 100: about 200 only the checkpoints
    // hold are allowed.
    let floor = Limits {
        reach_records_min: 200,
        ..limits
    };
    let mut t = busy_in(4, windowed(), floor);
    forty_seconds_more(&mut t);
    assert_reach_about_four_seconds(&t);
}

#[test]
fn a_scenario_rebuilds_a_timeline_with_its_future_ahead() {
    let t = busy(13, Limits::default());
    let scenario = t.scenario().expect("complete");
    let mut rebuilt =
        Timeline::from_scenario(&scenario, 3_000, 0, Counts::default(), Limits::default())
            .expect("rebuild");
    assert_eq!(rebuilt.now_ms(), 3_000);
    assert!(rebuilt.pending_commands() > 0);
    let end = t.now_ms();
    rebuilt.advance(end - 3_000).expect("advance");
    assert_eq!(fingerprint(rebuilt.world()), fingerprint(t.world()));
}

#[test]
fn a_scenario_out_of_order_or_too_long_is_refused() {
    let mut scenario = busy(1, Limits::default()).scenario().expect("complete");
    scenario.commands.swap(0, 5);
    scenario.commands[0].at_ms = 99_999;
    let err = Timeline::from_scenario(&scenario, 0, 0, (), Limits::default()).expect_err("order");
    assert!(err.to_string().contains("time order"), "{err}");
    let long = Scenario {
        commands: vec![scenario.commands[1].clone(); 20],
        ..scenario
    };
    let limits = Limits {
        script_max: 10,
        ..Limits::default()
    };
    let err = Timeline::from_scenario(&long, 0, 0, (), limits).expect_err("too long");
    assert!(err.to_string().contains("at most 10 commands"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// EDA vs SOA's comparison stands on the same timeline

mod comparison {
    use eda_playground::sim::compare::{
        Comparison, ComparisonConfig, Control, DownstreamSpec, Preset, StartFrom, TimedControl,
    };
    use eda_playground::sim::soa::{Fanout, Health, Latency};
    use eda_playground::sim::timeline::{Limits, Timeline};

    type Compare = Timeline<(), Comparison>;

    /// Everything a learner could see of a comparison: both sides, the broker, the samples.
    fn fingerprint(c: &Comparison) -> String {
        format!(
            "{} {:?} {:?} {:?} {:?} {:?}",
            c.now_ms(),
            c.live(),
            c.history(),
            c.soa_recent_answers(),
            c.eda_recent_answers(),
            c.world().recent_events().iter().collect::<Vec<_>>()
        )
    }

    fn origin(seed: u64) -> Comparison {
        Comparison::new(seed, Preset::user_registration()).expect("preset builds")
    }

    /// A learner's session: 60 s in animation frames, with controls along the way (two of them
    /// at the same moment).
    fn played(seed: u64, limits: Limits) -> Compare {
        played_from(origin(seed), limits)
    }

    /// [`played`] from this comparison.
    fn played_from(origin: Comparison, limits: Limits) -> Compare {
        let mut t = Timeline::start(origin, (), limits);
        for frame in 0..240u32 {
            let control = match frame {
                20 => Some(Control::SetHealth {
                    service: "email-service".into(),
                    health: Health::Down,
                }),
                40 => Some(Control::Spike {
                    extra_requests: 80,
                    over_ms: 2_000,
                }),
                41 => Some(Control::SetFanout {
                    fanout: Fanout::Parallel,
                }),
                90 => Some(Control::AddDownstream {
                    spec: DownstreamSpec::new("audit-log", Latency::uniform(10, 40)),
                    start: StartFrom::Beginning,
                }),
                130 => Some(Control::SetHealth {
                    service: "email-service".into(),
                    health: Health::Up,
                }),
                180 => Some(Control::SetUsers { running: false }),
                _ => None,
            };
            if let Some(control) = control {
                t.apply(control.clone()).expect("control");
                if frame == 40 {
                    // A second control at the very same moment.
                    t.apply(Control::SetHealth {
                        service: "crm-sync".into(),
                        health: Health::Slow,
                    })
                    .expect("control");
                }
            }
            t.advance(250).expect("advance");
        }
        t
    }

    fn fresh(t: &Compare, at_ms: u64) -> Compare {
        let script = t.script_from_start().expect("complete");
        Timeline::from_script(origin(t.seed()), script, at_ms, 0, (), Limits::default())
            .expect("replays")
    }

    #[test]
    fn seeking_equals_a_fresh_replay_of_the_controls() {
        for seed in 0..3 {
            let mut t = played(seed, Limits::default());
            assert_eq!(t.script().len(), 7, "seed {seed}: every control recorded");
            let end = t.now_ms();
            assert_eq!(end, 60_000);
            let at_end = fingerprint(&t);
            for at in [0, 1, 5_000, 10_000, 10_001, 22_500, end / 2, end - 1, end] {
                assert_eq!(t.seek(at), at, "seed {seed}");
                assert_eq!(
                    fingerprint(&t),
                    fingerprint(&fresh(&t, at)),
                    "seed {seed} at {at}"
                );
            }
            // Moving forward again through the recorded future lands on the same moment.
            t.seek(3_000);
            assert!(!t.is_live());
            while t.now_ms() < end {
                t.advance(250).expect("advance");
            }
            assert_eq!(fingerprint(&t), at_end, "seed {seed}");
            assert!(t.is_live());
        }
    }

    #[test]
    fn a_control_in_the_past_drops_the_recorded_future() {
        let mut t = played(4, Limits::default());
        let commands = t.script().len();
        t.seek(12_000);
        t.apply(Control::SetHealth {
            service: "crm-sync".into(),
            health: Health::Down,
        })
        .expect("control");
        assert_eq!(t.horizon_ms(), 12_000, "the timeline now ends here");
        assert!(t.is_live());
        assert!(t.script().len() < commands, "the later controls are gone");
        assert!(t.script().iter().all(|c: &TimedControl| c.at_ms <= 12_000));
        // The branch replays exactly too.
        for _ in 0..40 {
            t.advance(250).expect("advance");
        }
        let now = t.now_ms();
        assert_eq!(fingerprint(&t), fingerprint(&fresh(&t, now)));
    }

    #[test]
    fn a_refused_control_is_not_recorded() {
        let mut t: Compare = Timeline::start(origin(1), (), Limits::default());
        assert!(
            t.apply(Control::SetHealth {
                service: "no-such-service".into(),
                health: Health::Down,
            })
            .is_err()
        );
        assert!(
            t.apply(Control::ConfirmRedeploy).is_err(),
            "nothing to redeploy"
        );
        assert!(t.script().is_empty());
    }

    #[test]
    fn a_long_session_keeps_few_checkpoints_and_its_reach_moves_forward() {
        let limits = Limits {
            checkpoint_every_ms: 2_000,
            checkpoints_max: 5,
            ..Limits::default()
        };
        let mut t = played(6, limits);
        assert!(t.checkpoints() <= 5);
        assert!(t.earliest_ms() >= 60_000 - 5 * 2_000, "{}", t.earliest_ms());
        // A seek before the reach lands on the earliest moment kept, rebuilt exactly.
        let earliest = t.earliest_ms();
        assert_eq!(t.seek(0), earliest);
        assert_eq!(fingerprint(&t), fingerprint(&fresh(&t, earliest)));
        // The records a checkpoint may keep alive bound the reach too, once the event side's
        // partitions drop records (here they keep their newest 10).
        let tight = Limits {
            reach_records_max: 50,
            reach_records_min: 0,
            ..Limits::default()
        };
        let windowed = ComparisonConfig {
            max_records_per_partition: 10,
            ..ComparisonConfig::default()
        };
        let origin =
            Comparison::with_config(6, Preset::user_registration(), windowed).expect("builds");
        let t = played_from(origin, tight);
        assert!(t.checkpoints() <= 2, "{} checkpoints", t.checkpoints());
    }
}
