//! Engine throughput: produce → append → fetch for 1-, 12- and 64-partition topics, and a
//! 32-member rebalance. Run with `cargo bench --bench engine`.
//!
//! Each case runs several times in this one process and reports the median, so figures from
//! one run can be compared as ratios; this machine is shared and noisy, so no figure is a
//! pass/fail threshold.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::time::Instant;

mod support;

use eda_playground::sim::World;
use eda_playground::sim::client::ConsumerConfig;
use eda_playground::sim::command::{Command, Subscription};

const RUNS: usize = 5;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

/// Produces `records` small keyed records into a topic of `partitions` partitions read by one
/// consumer group of 3; returns records delivered per second of wall time.
fn produce_fetch(partitions: u32, records: u32) -> f64 {
    let (mut world, producer) = support::produce_fetch_world(partitions);
    let start = Instant::now();
    let delivered = support::produce_fetch(&mut world, producer, records);
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(delivered, u64::from(records), "every record delivered once");
    f64::from(records) / secs
}

/// A group of 31 members on 4 topics × 64 partitions: time from a 32nd member's join until
/// the group is stable again (wall time of the simulation work, not virtual time).
fn rebalance_32() -> f64 {
    let mut world = World::new(2);
    let topics: Vec<String> = (0..4).map(|t| format!("t{t}")).collect();
    for t in &topics {
        world.create_topic(t, 64, 1).unwrap();
    }
    let config = ConsumerConfig {
        group_id: Some("big".into()),
        assignors: vec![eda_playground::sim::assignor::AssignorKind::CooperativeSticky],
        ..Default::default()
    };
    for _ in 0..31 {
        world
            .apply(Command::AddConsumer {
                config: config.clone(),
                subscription: Subscription::Topics(topics.clone()),
            })
            .unwrap();
    }
    world.advance(10_000).unwrap();
    let start = Instant::now();
    world
        .apply(Command::AddConsumer {
            config,
            subscription: Subscription::Topics(topics),
        })
        .unwrap();
    world.advance(20_000).unwrap();
    let elapsed = start.elapsed().as_secs_f64();
    assert_eq!(world.group("big").unwrap().state.name(), "Stable");
    elapsed * 1_000.0
}

/// The Playground's timeline: a 10-minute session at 100 records/s, then seeks to moments
/// across its rewind window; returns (median, max) ms per seek.
fn seek_latency() -> (f64, f64) {
    use eda_playground::ui::playground::model::{Action, Model, Setup};
    let mut model = Model::with_setup(&Setup {
        rate: 100,
        speed: 20.0,
        ..Setup::default()
    });
    while model.world.now_ms() < 600_000 {
        model.act(Action::Frame { wall_ms: 50.0 });
    }
    let (start, end) = (model.earliest_ms(), model.horizon_ms);
    let mut times = Vec::new();
    for i in 0..=20u64 {
        let target = start + (end - start) * i / 20;
        let t = Instant::now();
        model.act(Action::Seek(target));
        times.push(t.elapsed().as_secs_f64() * 1_000.0);
        assert_eq!(model.world.now_ms(), target);
    }
    let max = times.iter().copied().fold(0.0, f64::max);
    (median(times), max)
}

fn main() {
    println!("engine benchmark: median of {RUNS} runs");
    for partitions in [1u32, 12, 64] {
        let rates: Vec<f64> = (0..RUNS)
            .map(|_| produce_fetch(partitions, 200_000))
            .collect();
        println!(
            "produce→append→fetch, {partitions:>2} partitions, 3 consumers: {:>10.0} records/s",
            median(rates)
        );
    }
    let (seek_median, seek_max) = seek_latency();
    println!(
        "Playground timeline, 10 min at 100 records/s: seek median {seek_median:.2} ms, max {seek_max:.2} ms"
    );
    let times: Vec<f64> = (0..RUNS).map(|_| rebalance_32()).collect();
    println!(
        "32-member cooperative-sticky rebalance (31 + 1 joiner), 4×64 partitions, until stable: {:.2} ms",
        median(times)
    );
}
