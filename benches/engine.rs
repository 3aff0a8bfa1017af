//! Engine throughput: produce → append → fetch for 1-, 12- and 64-partition topics, a
//! 32-member rebalance, cloning a busy world (what a Playground checkpoint or seek costs) and
//! seeking in a 10-minute Playground session. Run with `cargo bench --bench engine`.
//!
//! Each case runs several times in this one process and reports the median, so figures from
//! one run can be compared as ratios; this machine is shared and noisy, so no figure is a
//! pass/fail threshold. The throughput cases also measure their floor in the same run — the
//! same records pushed into and read back from plain vectors (`support::vec_floor`) — and print
//! the engine's records/s, the floor's and their ratio, which means the same on any machine.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::time::Instant;

mod support;

use eda_playground::sim::World;
use eda_playground::sim::client::ConsumerConfig;
use eda_playground::sim::command::{Command, Subscription};

const RUNS: usize = 5;

/// Counts live heap bytes so the bench can report what a checkpoint holds. It only forwards to
/// the system allocator and adds or subtracts the size; nothing else is unsafe.
struct Counting;

static LIVE_BYTES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[allow(unsafe_code)]
// SAFETY: every call is forwarded unchanged to `System`, which upholds `GlobalAlloc`'s contract.
unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size(), std::sync::atomic::Ordering::Relaxed);
        // SAFETY: same layout, forwarded.
        unsafe { std::alloc::System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        LIVE_BYTES.fetch_sub(layout.size(), std::sync::atomic::Ordering::Relaxed);
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live_bytes() -> usize {
    LIVE_BYTES.load(std::sync::atomic::Ordering::Relaxed)
}

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

/// Records per second of wall time through [`support::vec_floor`] (same records, plain vectors).
fn vec_floor(partitions: u32, records: u32) -> f64 {
    let start = Instant::now();
    let read = support::vec_floor(partitions, records);
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(read, u64::from(records), "every record read back once");
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

/// The Playground's timeline: a 10-minute session of `setup` in frames of `frame_ms` wall
/// time, then seeks to 41 moments spread across its rewind window (at every phase between two
/// checkpoints). Returns (median, max) ms per seek, its reach in virtual ms, and the heap bytes
/// the session holds: in all, and the commands in its script (the steady load is one
/// command, so a busy session's script stays a few commands long).
fn seek_latency(
    setup: &eda_playground::ui::session::Setup,
    frame_ms: f64,
) -> (f64, f64, u64, [usize; 2]) {
    use eda_playground::ui::session::{Action, Session as Model};
    let before = live_bytes();
    let mut model = Model::with_setup(setup);
    while model.world().now_ms() < 600_000 {
        model.act(Action::Frame { wall_ms: frame_ms });
    }
    let bytes = live_bytes().saturating_sub(before);
    let (start, end) = (model.earliest_ms(), model.horizon_ms());
    let mut times = Vec::new();
    for i in 0..=40u64 {
        let target = start + (end - start) * i / 41;
        let t = Instant::now();
        model.act(Action::Seek(target));
        times.push(t.elapsed().as_secs_f64() * 1_000.0);
        assert_eq!(model.world().now_ms(), target);
    }
    let max = times.iter().copied().fold(0.0, f64::max);
    let script = model.timeline.script().len();
    (median(times), max, end - start, [bytes, script])
}

/// The busy Playground scene: 12 partitions, 1000 records/s for 60 virtual seconds, 3 groups
/// of 2; its six auto-producer keys fill six partitions to their 5000-record cap. Returns the
/// median ms of cloning its world (what each timeline checkpoint and each seek pays) and the
/// heap bytes one clone allocates (what a checkpoint adds beyond what it shares).
fn clone_busy_world() -> (f64, usize) {
    use eda_playground::ui::session::{Action, Session as Model, Setup};
    let mut model = Model::with_setup(&Setup {
        partitions: 12,
        rate: 1_000,
        groups: 3,
        speed: 20.0,
        ..Setup::default()
    });
    // 10 ms frames at 20× are 200 virtual ms, within the auto-producer's 200 records a frame.
    while model.world().now_ms() < 60_000 {
        model.act(Action::Frame { wall_ms: 10.0 });
    }
    let before = live_bytes();
    let copy = model.world().clone();
    let bytes = live_bytes().saturating_sub(before);
    drop(copy);
    let times: Vec<f64> = (0..21)
        .map(|_| {
            let t = Instant::now();
            let copy = std::hint::black_box(model.world().clone());
            let ms = t.elapsed().as_secs_f64() * 1_000.0;
            drop(copy);
            ms
        })
        .collect();
    (median(times), bytes)
}

fn main() {
    println!("engine benchmark: median of {RUNS} runs");
    for partitions in [1u32, 12, 64] {
        // Interleaved, so both see the same machine load.
        let (mut engine, mut floor) = (Vec::new(), Vec::new());
        for _ in 0..RUNS {
            engine.push(produce_fetch(partitions, 200_000));
            floor.push(vec_floor(partitions, 200_000));
        }
        let (engine, floor) = (median(engine), median(floor));
        println!(
            "produce→append→fetch, {partitions:>2} partitions, 3 consumers: {engine:>10.0} records/s; \
             floor (plain vectors) {floor:>10.0} records/s; engine/floor {:.3} ({:.1}× slower)",
            engine / floor,
            floor / engine
        );
    }
    let (clone_ms, clone_bytes) = clone_busy_world();
    println!(
        "clone a busy world (12 partitions, 1000 records/s for 60 s, 3 groups): {clone_ms:.3} ms, {clone_bytes} bytes allocated"
    );
    use eda_playground::ui::session::Setup;
    let quiet = Setup {
        rate: 100,
        speed: 20.0,
        ..Setup::default()
    };
    let busy = Setup {
        partitions: 12,
        rate: 1_000,
        groups: 3,
        speed: 20.0,
        ..Setup::default()
    };
    // 50 ms frames at 20× are 1000 virtual ms (100 records); 10 ms ones 200 ms (200 records).
    for (name, setup, frame_ms) in [("100", &quiet, 50.0), ("1000", &busy, 10.0)] {
        let (median, max, reach_ms, [bytes, commands]) = seek_latency(setup, frame_ms);
        println!(
            "Playground timeline, 10 min at {name} records/s: seek median {median:.2} ms, max {max:.2} ms; reach {} s; session holds {:.1} MB ({commands} commands in its script)",
            reach_ms / 1_000,
            bytes as f64 / 1e6,
        );
    }
    let times: Vec<f64> = (0..RUNS).map(|_| rebalance_32()).collect();
    println!(
        "32-member cooperative-sticky rebalance (31 + 1 joiner), 4×64 partitions, until stable: {:.2} ms",
        median(times)
    );
}
