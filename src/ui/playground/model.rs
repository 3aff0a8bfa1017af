//! The Playground's model: one `World`, the timeline that can rebuild it at any earlier
//! moment, and what the view derives from the trace (things in flight, the event log, the lag
//! history). Plain Rust, tested natively; the Yew component only dispatches [`Action`]s and
//! draws.
//!
//! Time travel: every command the learner gives is kept in `script` with its virtual time, and
//! every 15 s of virtual time the world is checkpointed (a clone, which shares the partition
//! logs' records and the trace with the others rather than copying them). Seeking clones the latest
//! checkpoint at or before the target and re-applies the script from there, which is exact
//! because the engine is deterministic; moving forward again re-applies recorded commands as
//! their times come. A new command given in the past drops the recorded future (the timeline
//! branches), as an editor's undo does. Memory stays bounded in a tab left open all day: at
//! most [`MAX_CHECKPOINTS`] checkpoints are kept (the oldest reachable moment moves forward),
//! the script only holds commands after the oldest one, and the world's own command history
//! is dropped at each checkpoint.

use std::collections::VecDeque;
use std::rc::Rc;

use crate::sim::assignor::AssignorKind;
use crate::sim::client::{Acks, ConsumerConfig, OffsetReset, ProducerConfig};
use crate::sim::command::{Command, NewRecord, Outcome, Subscription, TimedCommand};
use crate::sim::partitioner::partition_for_key;
use crate::sim::world::WorldConfig;
use crate::sim::{TraceEvent, TraceKind, World};

/// Lines kept in the event log.
pub const LOG_LINES: usize = 400;
/// Samples kept in the lag chart (one per second of virtual time).
pub const LAG_SAMPLES: usize = 120;
/// Travelling records drawn at once (the oldest are dropped first; counts stay exact).
pub const MAX_FLIGHTS: usize = 240;
/// Keys listed when partitions are added, and records read per partition to find them.
const KEYS_MOVED_SHOWN: usize = 8;
const KEYS_SCANNED: u64 = 200;
/// Largest virtual step one animation frame may take (a background tab resumes gently).
pub const MAX_FRAME_MS: f64 = 250.0;

/// Virtual time between checkpoints: a seek replays at most this much (at 1000 records/s,
/// about 40 ms natively).
pub const CHECKPOINT_MS: u64 = 15_000;
/// Checkpoints kept: how far back the timeline reaches (40 × 15 s = 10 minutes at least, so
/// the issue's 10-minute scenario can be rewound to its start).
pub const MAX_CHECKPOINTS: usize = 41;
/// Commands the timeline keeps (those since its oldest checkpoint, about 300 B each): ten
/// minutes at 100 records/s fit; at higher rates the reach shrinks instead of memory growing
/// (at 1000 records/s about 100 s stay reachable).
pub const MAX_SCRIPT_COMMANDS: usize = 100_000;
/// Records each partition keeps in the page (the simulation's memory bound; older records are
/// dropped as if by `DeleteRecords`, and the log start moves).
pub const RECORDS_PER_PARTITION: u32 = 5_000;

/// A saved world, how much of the script it had applied, and the view's counters and log
/// at that moment (so a rewind shows what was true then).
#[derive(Clone, Debug)]
pub struct Checkpoint {
    pub world: World,
    pub applied: usize,
    produced: u64,
    consumed: u64,
    log: VecDeque<LogLine>,
    lag_history: VecDeque<Sample>,
}

/// What the view samples once per second of virtual time.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub at_ms: u64,
    /// Each group reading the shown topic, by name: its total lag on that topic.
    pub lags: Vec<(String, u64)>,
    /// The counters then: records appended and delivered so far.
    pub produced: u64,
    pub consumed: u64,
}

/// Seconds of samples a throughput figure averages over (deliveries come in fetch batches,
/// so one second alone jumps about).
pub const THROUGHPUT_WINDOW: usize = 5;

/// Records appended and delivered per second over the last [`THROUGHPUT_WINDOW`] sampled
/// seconds, or fewer at the start (None before two samples).
pub fn throughput(samples: &VecDeque<Sample>) -> Option<(u64, u64)> {
    let n = samples.len();
    let first = n.checked_sub(2)?.saturating_sub(THROUGHPUT_WINDOW - 1);
    let (a, b) = (samples.get(first)?, samples.get(n - 1)?);
    let ms = b.at_ms.checked_sub(a.at_ms).filter(|ms| *ms > 0)?;
    let per_s = |from: u64, to: u64| to.saturating_sub(from) * 1000 / ms;
    Some((per_s(a.produced, b.produced), per_s(a.consumed, b.consumed)))
}

/// Keys the auto-producer cycles through.
pub const AUTO_KEYS: [&str; 6] = ["alice", "bob", "carol", "dave", "erin", "frank"];

/// What travels, for the animation.
#[derive(Clone, Debug, PartialEq)]
pub enum FlightKind {
    /// Producer → partition leader.
    Produce { producer: u32 },
    /// Partition → consumer.
    Deliver {
        consumer: u32,
        duplicate: bool,
        /// The delivered record's offset: the dot leaves from its cell.
        offset: u64,
    },
}

/// Something on its way, drawn part way along its edge.
#[derive(Clone, Debug, PartialEq)]
pub struct Flight {
    pub kind: FlightKind,
    pub topic: String,
    pub partition: u32,
    pub key: Option<Vec<u8>>,
    pub sent_at_ms: u64,
    pub arrives_at_ms: u64,
}

/// One line of the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub at_ms: u64,
    /// A short category for filtering: produce, consume, group, broker, topic, error.
    pub category: &'static str,
    pub text: String,
}

/// Everything the learner can ask of the Playground.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// An animation frame: `wall_ms` of real time passed.
    Frame {
        wall_ms: f64,
    },
    TogglePlay,
    /// Run the next scheduled engine event.
    Step,
    SetSpeed(f64),
    /// Start over with a seed.
    Reset {
        seed: u64,
    },
    /// Type `key:value` (or a bare value: null key) and press Enter.
    Produce {
        text: String,
        partition: Option<u32>,
        acks: Acks,
    },
    SetAutoRate(u32),
    AddConsumer {
        group: String,
    },
    /// A new group of two consumers using this assignor.
    AddGroup {
        assignor: AssignorKind,
    },
    StopConsumer(u32),
    CrashConsumer(u32),
    StopBroker(u32),
    StartBroker(u32),
    IncreasePartitions {
        to: u32,
    },
    /// Create a topic (as `kafka-topics.sh --create` would) and show it.
    CreateTopic {
        name: String,
        partitions: u32,
        replication_factor: u32,
        /// `cleanup.policy`: `delete` or `compact`.
        cleanup_policy: String,
    },
    /// Show this topic in the diagram (the producer writes to it; new consumers read it).
    ShowTopic(String),
    Select(Option<(String, u32, u64)>),
    /// Rebuild the world as it was at this virtual time.
    Seek(u64),
    SetFilter(String),
    DismissError,
    /// Show a message (a URL parameter that could not be used, say).
    Notice(String),
}

/// The Playground's state.
#[derive(Clone, Debug)]
pub struct Model {
    pub world: World,
    pub seed: u64,
    pub config: WorldConfig,
    /// Commands given since the oldest checkpoint, with their virtual times (possibly ahead
    /// of `world` after a rewind).
    pub script: Vec<TimedCommand>,
    /// How many of `script` the world has applied.
    applied: usize,
    /// Saved worlds, oldest first.
    checkpoints: VecDeque<Checkpoint>,
    /// The furthest virtual time reached (the timeline's right end).
    pub horizon_ms: u64,
    pub playing: bool,
    pub speed: f64,
    /// Virtual time carried over between frames (fractions of a millisecond).
    carry_ms: f64,
    pub flights: VecDeque<Flight>,
    pub log: VecDeque<LogLine>,
    /// Bumped whenever `log` changes, so the view redraws the log only then.
    pub log_version: u64,
    pub filter: String,
    /// One sample per second of virtual time (the lag chart, the throughput figures).
    pub lag_history: VecDeque<Sample>,
    pub produced: u64,
    pub consumed: u64,
    pub auto_rate: u32,
    auto_carry: f64,
    auto_counter: u64,
    pub producer: u32,
    pub topic: String,
    pub selected: Option<(String, u32, u64)>,
    pub error: Option<String>,
    /// Why the last topic the learner asked for was not created (Kafka's message).
    pub topic_error: Option<String>,
    /// What the live region announces after the last action or step.
    pub announcement: String,
    /// The world's virtual time when this model last acted on it: a later time (or commands
    /// in the world's history) means another view changed it ([`Model::absorb_external`]).
    seen_ms: u64,
}

/// The topic the Playground starts with.
pub const TOPIC: &str = "orders";
/// The group the Playground starts with.
pub const GROUP: &str = "billing";
/// Names for extra groups a URL asks for.
pub const GROUP_NAMES: [&str; 8] = [
    "billing",
    "shipping",
    "analytics",
    "fraud",
    "email",
    "search",
    "audit",
    "reports",
];

/// How the Playground starts: the defaults are the first-load scene; a URL such as
/// `#/playground?partitions=12&groups=3&rate=1000` (for embeds, lessons and benchmarks)
/// changes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Setup {
    pub seed: u64,
    pub partitions: u32,
    pub groups: u32,
    pub consumers_per_group: u32,
    pub rate: u32,
    pub speed: f64,
    pub playing: bool,
    /// Brokers running at the start (node ids 1..=brokers).
    pub brokers: u32,
    /// Replication factor of `orders` (at most `brokers`).
    pub replication_factor: u32,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            seed: 42,
            partitions: 3,
            groups: 1,
            consumers_per_group: 2,
            rate: 0,
            speed: 1.0,
            playing: true,
            brokers: 1,
            replication_factor: 1,
        }
    }
}

impl Setup {
    /// Reads URL parameters; returns the setup and a message for each value it could not use.
    pub fn from_params(params: &[(String, String)]) -> (Setup, Vec<String>) {
        use crate::ui::route::{SEED_RULE, decimal_in, number_in, read_params};
        let mut setup = Setup::default();
        let mut problems = read_params(params, |key, value| {
            let count = |lo, hi, why| number_in(value, lo, hi, why).map(|n| n as u32);
            Some(match key {
                "seed" => number_in(value, 0, u64::MAX, SEED_RULE).map(|n| setup.seed = n),
                "partitions" => {
                    count(1, 64, "partitions must be 1 to 64").map(|n| setup.partitions = n)
                }
                "groups" => count(0, 8, "use 0 to 8").map(|n| setup.groups = n),
                "consumers" => count(0, 8, "use 0 to 8").map(|n| setup.consumers_per_group = n),
                "rate" => count(0, 1000, "the rate must be 0 to 1000 records per second")
                    .map(|n| setup.rate = n),
                "brokers" => count(1, 9, "use 1 to 9").map(|n| setup.brokers = n),
                "rf" => count(1, 9, "use 1 to 9").map(|n| setup.replication_factor = n),
                "speed" => decimal_in(value, 0.1, 20.0, "the speed must be 0.1 to 20")
                    .map(|s| setup.speed = s),
                "paused" => {
                    setup.playing = false;
                    Ok(())
                }
                _ => return None,
            })
        });
        if setup.replication_factor > setup.brokers {
            problems.push(format!(
                "Ignored rf={}: the replication factor cannot exceed the {} broker(s).",
                setup.replication_factor, setup.brokers
            ));
            setup.replication_factor = 1;
        }
        (setup, problems)
    }
}

impl Model {
    /// The first-load scene: one broker, `orders` with 3 partitions, one producer, group
    /// `billing` with 2 consumers.
    pub fn new(seed: u64) -> Self {
        Self::with_setup(&Setup {
            seed,
            ..Setup::default()
        })
    }

    /// The scene a [`Setup`] describes.
    pub fn with_setup(setup: &Setup) -> Self {
        let seed = setup.seed;
        let config = WorldConfig {
            // Slowed so travel is visible at 1×; Kafka's own timeouts are unchanged.
            latency_ms_min: 150,
            latency_ms_max: 350,
            max_records_per_partition: RECORDS_PER_PARTITION,
            trace_capacity: 2_000,
            ..WorldConfig::default()
        };
        let mut model = Self {
            world: World::with_config(seed, config.clone()),
            seed,
            config,
            script: Vec::new(),
            applied: 0,
            checkpoints: VecDeque::new(),
            horizon_ms: 0,
            playing: true,
            speed: 1.0,
            carry_ms: 0.0,
            flights: VecDeque::new(),
            log: VecDeque::new(),
            log_version: 0,
            filter: String::new(),
            lag_history: VecDeque::new(),
            produced: 0,
            consumed: 0,
            auto_rate: 0,
            auto_carry: 0.0,
            auto_counter: 0,
            producer: 0,
            topic: TOPIC.to_string(),
            selected: None,
            error: None,
            topic_error: None,
            announcement: String::new(),
            seen_ms: 0,
        };
        model.playing = setup.playing;
        model.speed = setup.speed;
        model.auto_rate = setup.rate;
        for id in 2..=setup.brokers.min(9) {
            let _ = model.command(Command::StartBroker { id });
        }
        let _ = model.command(Command::CreateTopic {
            name: TOPIC.to_string(),
            partitions: Some(setup.partitions),
            replication_factor: Some(setup.replication_factor.clamp(1, setup.brokers.max(1))),
            configs: Vec::new(),
        });
        if let Ok(Outcome::Producer(id)) = model.command(Command::AddProducer {
            config: ProducerConfig::default(),
        }) {
            model.producer = id;
        }
        for group in GROUP_NAMES.iter().take(setup.groups as usize) {
            for _ in 0..setup.consumers_per_group {
                let _ = model.command(add_consumer_with(
                    group,
                    ConsumerConfig::default().assignors,
                    TOPIC,
                ));
            }
        }
        model.absorb();
        model.checkpoint();
        model.seen_ms = model.world.now_ms();
        model
    }

    /// The scene a page opened at `hash` asks for: the URL's parameters when the hash is a
    /// Playground address (each one it could not use is reported in `error`), else the
    /// first-load scene.
    pub fn from_hash(hash: &str) -> Self {
        if crate::ui::route::Route::from_hash(hash) != crate::ui::route::Route::Playground {
            return Self::with_setup(&Setup::default());
        }
        let (setup, error) = crate::ui::route::setup_from_hash(hash, Setup::from_params);
        let mut model = Self::with_setup(&setup);
        if error.is_some() {
            model.error = error;
        }
        model
    }

    /// Takes in what another view (the Console) did to this world directly: its commands join
    /// the script at their virtual times, so rewinding and replaying keep them; when the world
    /// was changed while rewound, the recorded future is dropped (the timeline branches, as
    /// when the learner acts in the past); the timeline's end and the checkpoints follow the
    /// clock.
    pub fn absorb_external(&mut self) {
        let foreign = self.world.take_history();
        let now = self.world.now_ms();
        if foreign.is_empty() && now <= self.seen_ms {
            return;
        }
        if self.applied < self.script.len() {
            self.script.truncate(self.applied);
            let from = self.seen_ms;
            while self.checkpoints.len() > 1
                && self
                    .checkpoints
                    .back()
                    .is_some_and(|c| c.world.now_ms() > from)
            {
                self.checkpoints.pop_back();
            }
            self.horizon_ms = now;
        }
        self.script.extend(foreign);
        self.applied = self.script.len();
        self.horizon_ms = self.horizon_ms.max(now);
        self.absorb();
        self.maybe_checkpoint();
        self.seen_ms = now;
    }

    fn maybe_checkpoint(&mut self) {
        let last = self.checkpoints.back().map_or(0, |c| c.world.now_ms());
        if self.world.now_ms() >= last + CHECKPOINT_MS {
            self.checkpoint();
        }
    }

    /// Saves the world as it is now (the script up to here is no longer needed before the
    /// oldest checkpoint).
    fn checkpoint(&mut self) {
        self.world.forget_history();
        let _ = self.world.take_events();
        self.checkpoints.push_back(Checkpoint {
            world: self.world.clone(),
            applied: self.applied,
            produced: self.produced,
            consumed: self.consumed,
            log: self.log.clone(),
            lag_history: self.lag_history.clone(),
        });
        while self.checkpoints.len() > MAX_CHECKPOINTS
            || (self.checkpoints.len() > 1 && self.script_kept() > MAX_SCRIPT_COMMANDS)
        {
            self.checkpoints.pop_front();
        }
        let cut = self.checkpoints.front().map_or(0, |c| c.applied);
        if cut > 0 {
            self.script.drain(..cut);
            self.applied -= cut;
            for c in &mut self.checkpoints {
                c.applied -= cut;
            }
        }
    }

    /// Commands the script would hold once cut at the oldest checkpoint.
    fn script_kept(&self) -> usize {
        let cut = self.checkpoints.front().map_or(0, |c| c.applied);
        self.script.len().saturating_sub(cut)
    }

    /// The earliest moment the timeline can rewind to.
    pub fn earliest_ms(&self) -> u64 {
        self.checkpoints.front().map_or(0, |c| c.world.now_ms())
    }

    /// Applies a command now, recording it (dropping any recorded future first).
    pub fn command(&mut self, command: Command) -> Result<Outcome, crate::sim::SimError> {
        let now = self.world.now_ms();
        if self.applied < self.script.len() {
            // Acting in the past: the recorded future is gone, and so are its checkpoints.
            self.script.truncate(self.applied);
            while self.checkpoints.len() > 1
                && self
                    .checkpoints
                    .back()
                    .is_some_and(|c| c.world.now_ms() > now)
            {
                self.checkpoints.pop_back();
            }
            self.horizon_ms = now;
        }
        let outcome = self.world.apply(command.clone());
        // The world's own history holds only what other views did (see `absorb_external`).
        self.world.forget_history();
        if outcome.is_ok() {
            self.script.push(TimedCommand {
                at_ms: now,
                command,
            });
            self.applied = self.script.len();
            self.horizon_ms = self.horizon_ms.max(now);
        }
        self.seen_ms = self.world.now_ms();
        outcome
    }

    /// Moves virtual time forward by `delta_ms`, re-applying recorded commands whose time
    /// comes, and folds what happened into the view's state.
    pub fn run(&mut self, delta_ms: u64) {
        let target = self.world.now_ms().saturating_add(delta_ms);
        let _ = self.replay_until(target, true);
        self.horizon_ms = self.horizon_ms.max(self.world.now_ms());
        self.sample_lag();
        self.maybe_checkpoint();
        self.seen_ms = self.world.now_ms();
    }

    /// Advances to `target`, applying recorded commands on the way; folds events if asked.
    fn replay_until(&mut self, target: u64, fold: bool) -> Vec<TraceEvent> {
        let mut kept = Vec::new();
        let mut take = |model: &mut Self, events: Vec<TraceEvent>| {
            if fold {
                model.fold(events);
            } else {
                kept.extend(events);
            }
        };
        while let Some(c) = self.script.get(self.applied) {
            if c.at_ms > target {
                break;
            }
            let (at, command) = (c.at_ms, c.command.clone());
            let step = at.saturating_sub(self.world.now_ms());
            let events = self.world.advance(step).unwrap_or_default();
            take(self, events);
            let _ = self.world.apply(command);
            self.world.forget_history();
            self.applied += 1;
        }
        let step = target.saturating_sub(self.world.now_ms());
        let events = self.world.advance(step).unwrap_or_default();
        take(self, events);
        kept
    }

    /// Moves time forward for another view that keeps the clock while the Playground is not
    /// shown (the Console's terminals): the timeline's recorded commands are applied as their
    /// times come, as playing does, so merely watching a terminal after a rewind keeps the
    /// recorded future. Returns what happened, for that view.
    pub fn advance_for_view(&mut self, delta_ms: u64) -> Vec<TraceEvent> {
        self.absorb_external();
        let target = self.world.now_ms().saturating_add(delta_ms);
        let events = self.replay_until(target, false);
        self.horizon_ms = self.horizon_ms.max(self.world.now_ms());
        self.maybe_checkpoint();
        self.seen_ms = self.world.now_ms();
        events
    }

    fn absorb(&mut self) {
        let events = self.world.take_events();
        self.fold(events);
    }

    /// Folds trace events into flights, counters and the event log.
    pub fn fold(&mut self, events: Vec<TraceEvent>) {
        let now = self.world.now_ms();
        // Counters count every event, but only the newest MAX_FLIGHTS flights and LOG_LINES
        // lines can be kept: walking back from the newest builds just those, so a burst (a
        // consumer catching up gets thousands of records in one fetch) costs a frame little.
        let mut flights: Vec<Flight> = Vec::new();
        let mut lines: Vec<LogLine> = Vec::new();
        for e in events.iter().rev() {
            match &e.kind {
                TraceKind::RecordAppended { .. } => self.produced += 1,
                TraceKind::RecordDelivered { .. } => self.consumed += 1,
                _ => {}
            }
            if flights.len() < MAX_FLIGHTS
                && let Some(flight) = flight_of(&e.kind)
                && flight.arrives_at_ms >= now
            {
                flights.push(flight);
            }
            if lines.len() < LOG_LINES
                && let Some((category, mut text)) = describe(&e.kind)
            {
                if let TraceKind::PartitionsIncreased { topic, from, to } = &e.kind {
                    text.push_str(&self.keys_moved(topic, *from, *to));
                }
                lines.push(LogLine {
                    at_ms: e.at_ms,
                    category,
                    text,
                });
            }
        }
        for flight in flights.into_iter().rev() {
            if self.flights.len() >= MAX_FLIGHTS {
                self.flights.pop_front();
            }
            self.flights.push_back(flight);
        }
        self.flights.retain(|f| f.arrives_at_ms >= now);
        if let Some(newest) = lines.first() {
            self.announcement.clone_from(&newest.text);
            self.log_version += lines.len() as u64;
        }
        for line in lines.into_iter().rev() {
            if self.log.len() >= LOG_LINES {
                self.log.pop_front();
            }
            self.log.push_back(line);
        }
    }

    /// After `topic` grew from `from` to `to` partitions: where the keys in its logs go now,
    /// worked out with murmur2 (": alice now P3 (was P1), bob stays P0"), at most
    /// [`KEYS_MOVED_SHOWN`] keys.
    fn keys_moved(&self, topic: &str, from: u32, to: u32) -> String {
        let Some(t) = self.world.topic(topic) else {
            return String::new();
        };
        let mut keys: Vec<Vec<u8>> = Vec::new();
        'partitions: for p in t.partitions.iter().take(from as usize) {
            let start = p.log.log_end_offset().saturating_sub(KEYS_SCANNED);
            for r in p.log.records_from(start).take(KEYS_SCANNED as usize) {
                if let Some(k) = &r.key
                    && !keys.iter().any(|seen| seen[..] == k[..])
                {
                    keys.push(k.to_vec());
                    if keys.len() == KEYS_MOVED_SHOWN {
                        break 'partitions;
                    }
                }
            }
        }
        if keys.is_empty() {
            return ": no keyed record yet, but keys may now map elsewhere".to_string();
        }
        crate::sim::sort::sort_by(&mut keys, |a, b| a.cmp(b));
        let moves: Vec<String> = keys
            .iter()
            .map(|k| {
                let (old, new) = (partition_for_key(k, from), partition_for_key(k, to));
                let k = String::from_utf8_lossy(k);
                if old == new {
                    format!("{k} stays P{new}")
                } else {
                    format!("{k} now P{new} (was P{old})")
                }
            })
            .collect();
        format!(": {}", moves.join(", "))
    }

    fn sample_lag(&mut self) {
        let now = self.world.now_ms();
        let second = now / 1000;
        if self
            .lag_history
            .back()
            .is_some_and(|s| s.at_ms / 1000 == second)
        {
            return;
        }
        // The groups reading the shown topic, by name (the diagram marks the same ones, with
        // the same dash patterns), and each one's lag on that topic.
        let topic = self.topic.as_str();
        let groups: Vec<(String, u64)> = self
            .world
            .groups()
            .filter_map(|g| {
                let rows = self.world.group_lag(&g.id);
                let mut rows = rows.iter().filter(|r| *r.topic == *topic).peekable();
                rows.peek()?;
                Some((g.id.to_string(), rows.filter_map(|r| r.lag).sum()))
            })
            .collect();
        if self.lag_history.len() >= LAG_SAMPLES {
            self.lag_history.pop_front();
        }
        self.lag_history.push_back(Sample {
            at_ms: now,
            lags: groups,
            produced: self.produced,
            consumed: self.consumed,
        });
    }

    /// Rebuilds the world at virtual time `at_ms` (within the recorded timeline): the latest
    /// checkpoint at or before it, then the script.
    pub fn seek(&mut self, at_ms: u64) {
        let at_ms = at_ms.clamp(self.earliest_ms(), self.horizon_ms);
        let Some(base) = self
            .checkpoints
            .iter()
            .rev()
            .find(|c| c.world.now_ms() <= at_ms)
            .cloned()
        else {
            return;
        };
        self.world = base.world;
        self.applied = base.applied;
        self.produced = base.produced;
        self.consumed = base.consumed;
        self.log = base.log;
        self.lag_history = base.lag_history;
        // Replaying folds events as running does, so counters and the log match the moment.
        let _ = self.replay_until(at_ms, true);
        self.lag_history.retain(|s| s.at_ms <= at_ms);
        self.flights.clear();
        self.selected = None;
        self.log_version += 1;
        if self.world.topic(&self.topic).is_none() {
            // The shown topic was created after this moment.
            self.topic = TOPIC.to_string();
        }
        self.announcement = format!("Rewound to {}", format_ms(at_ms));
        self.seen_ms = self.world.now_ms();
    }

    /// Applies a learner's action.
    pub fn act(&mut self, action: Action) {
        // Anything another view did since this model last acted comes first.
        self.absorb_external();
        self.act_inner(action);
        self.seen_ms = self.world.now_ms();
    }

    fn act_inner(&mut self, action: Action) {
        match action {
            Action::Frame { wall_ms } => {
                if !self.playing {
                    return;
                }
                let wall = if wall_ms.is_finite() {
                    wall_ms.clamp(0.0, MAX_FRAME_MS)
                } else {
                    0.0
                };
                self.produce_auto(wall * self.speed);
                self.carry_ms += wall * self.speed;
                let whole = self.carry_ms.floor();
                self.carry_ms -= whole;
                if whole >= 1.0 {
                    self.run(whole as u64);
                }
            }
            Action::TogglePlay => self.playing = !self.playing,
            Action::Step => {
                self.playing = false;
                match self.world.next_event_ms() {
                    Some(at) => {
                        let delta = at.saturating_sub(self.world.now_ms()).max(1);
                        self.run(delta);
                    }
                    None => self.run(1),
                }
            }
            Action::SetSpeed(speed) => {
                // NaN would freeze the clock for good: ignore what is not a number.
                if speed.is_finite() {
                    self.speed = speed.clamp(0.1, 20.0);
                }
            }
            Action::Reset { seed } => {
                let (playing, log_version) = (self.playing, self.log_version);
                *self = Model::new(seed);
                self.playing = playing;
                self.log_version = log_version + 1;
            }
            Action::Notice(text) => self.error = Some(text),
            Action::Produce {
                text,
                partition,
                acks,
            } => self.produce_text(&text, partition, acks),
            Action::SetAutoRate(rate) => self.auto_rate = rate.min(1_000),
            Action::AddConsumer { group } => {
                // A new member offers what the group already uses, so it can join.
                let assignors = self
                    .world
                    .group(&group)
                    .and_then(|g| g.protocol)
                    .map_or(ConsumerConfig::default().assignors, |p| vec![p]);
                let topic = self.topic.clone();
                self.report(add_consumer_with(&group, assignors, &topic));
            }
            Action::AddGroup { assignor } => {
                let name = GROUP_NAMES
                    .iter()
                    .find(|n| self.world.group(n).is_none_or(|g| g.members.is_empty()))
                    .map(|n| n.to_string());
                match name {
                    Some(name) => {
                        let topic = self.topic.clone();
                        for _ in 0..2 {
                            self.report(add_consumer_with(&name, vec![assignor], &topic));
                        }
                    }
                    None => {
                        self.error = Some(format!(
                            "The Playground shows at most {} groups.",
                            GROUP_NAMES.len()
                        ));
                    }
                }
            }
            Action::StopConsumer(consumer) => self.report(Command::StopConsumer { consumer }),
            Action::CrashConsumer(consumer) => self.report(Command::CrashConsumer { consumer }),
            Action::StopBroker(id) => self.report(Command::StopBroker { id }),
            Action::StartBroker(id) => self.report(Command::StartBroker { id }),
            Action::IncreasePartitions { to } => self.report(Command::IncreasePartitions {
                name: self.topic.clone(),
                partitions: to,
            }),
            Action::CreateTopic {
                name,
                partitions,
                replication_factor,
                cleanup_policy,
            } => {
                let name = name.trim().to_string();
                let created = self.command(Command::CreateTopic {
                    name: name.clone(),
                    partitions: Some(partitions),
                    replication_factor: Some(replication_factor),
                    configs: vec![("cleanup.policy".to_string(), cleanup_policy)],
                });
                match created {
                    Ok(_) => {
                        self.topic_error = None;
                        self.absorb();
                        self.show_topic(&name);
                    }
                    Err(e) => self.topic_error = Some(e.to_string()),
                }
            }
            Action::ShowTopic(name) => self.show_topic(&name),
            Action::Select(selection) => self.selected = selection,
            Action::Seek(at) => self.seek(at),
            Action::SetFilter(filter) => self.filter = filter,
            Action::DismissError => self.error = None,
        }
    }

    /// Shows `name` in the diagram, if it is a topic the learner may use.
    fn show_topic(&mut self, name: &str) {
        if self.world.topic(name).is_some_and(|t| !t.internal) {
            self.topic = name.to_string();
            self.selected = None;
            self.flights.clear();
        }
    }

    fn report(&mut self, command: Command) {
        match self.command(command) {
            Ok(_) => {
                self.error = None;
                self.absorb();
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Parses `key:value` (the first `:` separates; no `:` means a null key) and produces it.
    pub fn produce_text(&mut self, text: &str, partition: Option<u32>, acks: Acks) {
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            self.error = Some("Type a message first: key:value, or just a value.".to_string());
            return;
        }
        let (key, value) = match text.split_once(':') {
            Some((k, v)) => (Some(k.to_string()), v.to_string()),
            None => (None, text.to_string()),
        };
        let acks_changed = self.world.producer(self.producer).map(|p| p.config.acks) != Some(acks);
        if acks_changed
            && let Ok(Outcome::Producer(id)) = self.command(Command::AddProducer {
                config: ProducerConfig {
                    acks,
                    ..Default::default()
                },
            })
        {
            let _ = self.command(Command::CloseProducer {
                producer: self.producer,
            });
            self.producer = id;
        }
        let record = NewRecord {
            topic: self.topic.clone(),
            partition,
            key,
            value: Some(value),
            headers: Vec::new(),
            timestamp_ms: None,
        };
        self.report(Command::Produce {
            producer: self.producer,
            record,
        });
    }

    fn produce_auto(&mut self, virtual_ms: f64) {
        if self.auto_rate == 0 {
            return;
        }
        self.auto_carry += virtual_ms * f64::from(self.auto_rate) / 1000.0;
        let n = self.auto_carry.floor() as u64;
        self.auto_carry -= n as f64;
        for _ in 0..n.min(200) {
            let key = AUTO_KEYS[(self.auto_counter % AUTO_KEYS.len() as u64) as usize];
            self.auto_counter += 1;
            let text = format!("{key}:order-{}", self.auto_counter);
            let acks = self
                .world
                .producer(self.producer)
                .map_or(Acks::All, |p| p.config.acks);
            self.produce_text(&text, None, acks);
        }
    }

    /// Event-log lines matching the filter (case-insensitive, on category or text).
    pub fn filtered_log(&self) -> impl Iterator<Item = &LogLine> {
        // ASCII case folding: Unicode's tables would cost the bundle ~10 KB for a log filter.
        let needle = self.filter.to_ascii_lowercase();
        self.log.iter().filter(move |l| {
            needle.is_empty()
                || l.category.contains(needle.as_str())
                || l.text.to_ascii_lowercase().contains(needle.as_str())
        })
    }

    /// The event log as CSV (`time_ms,category,text`), quoted as RFC 4180 says.
    pub fn log_csv(&self) -> String {
        let mut out = String::from("time_ms,category,text\n");
        for l in &self.log {
            out.push_str(&format!(
                "{},{},\"{}\"\n",
                l.at_ms,
                l.category,
                l.text.replace('"', "\"\"")
            ));
        }
        out
    }

    /// The event log as JSON lines' array.
    pub fn log_json(&self) -> String {
        let items: Vec<String> = self
            .log
            .iter()
            .map(|l| {
                format!(
                    "{{\"time_ms\":{},\"category\":\"{}\",\"text\":\"{}\"}}",
                    l.at_ms,
                    l.category,
                    json_escape(&l.text)
                )
            })
            .collect();
        format!("[{}]", items.join(","))
    }
}

fn add_consumer_with(group: &str, assignors: Vec<AssignorKind>, topic: &str) -> Command {
    Command::AddConsumer {
        config: ConsumerConfig {
            group_id: Some(group.to_string()),
            auto_offset_reset: OffsetReset::Earliest,
            assignors,
            ..Default::default()
        },
        subscription: Subscription::Topics(vec![topic.to_string()]),
    }
}

fn flight_of(kind: &TraceKind) -> Option<Flight> {
    match kind {
        TraceKind::ProduceSent {
            producer,
            topic,
            partition,
            keys,
            sent_at_ms,
            arrives_at_ms,
            ..
        } => Some(Flight {
            kind: FlightKind::Produce {
                producer: *producer,
            },
            topic: topic.to_string(),
            partition: *partition,
            key: keys.first().cloned().flatten().map(|k| k.to_vec()),
            sent_at_ms: *sent_at_ms,
            arrives_at_ms: *arrives_at_ms,
        }),
        TraceKind::RecordDelivered {
            consumer,
            topic,
            partition,
            offset,
            key,
            duplicate,
            sent_at_ms,
            arrives_at_ms,
            ..
        } => Some(Flight {
            kind: FlightKind::Deliver {
                consumer: *consumer,
                duplicate: *duplicate,
                offset: *offset,
            },
            topic: topic.to_string(),
            partition: *partition,
            key: key.as_ref().map(|k| k.to_vec()),
            sent_at_ms: *sent_at_ms,
            arrives_at_ms: *arrives_at_ms,
        }),
        _ => None,
    }
}

fn text_of(bytes: &Option<crate::sim::log::Bytes>) -> String {
    match bytes {
        None => "null".to_string(),
        Some(b) => String::from_utf8_lossy(b).into_owned(),
    }
}

/// A one-line, learner-facing description of an event (None for the noisy ones).
pub fn describe(kind: &TraceKind) -> Option<(&'static str, String)> {
    Some(match kind {
        TraceKind::RecordAppended {
            topic,
            partition,
            offset,
            key,
            ..
        } => (
            "produce",
            format!(
                "{topic}-{partition} appended offset {offset} (key {})",
                text_of(key)
            ),
        ),
        TraceKind::ProduceFailed {
            error,
            partition,
            topic,
            retriable,
            ..
        } => (
            "error",
            format!(
                "produce to {topic}-{partition} failed{}: {error}",
                if *retriable { " (will retry)" } else { "" }
            ),
        ),
        TraceKind::RecordDelivered {
            consumer,
            topic,
            partition,
            offset,
            duplicate,
            ..
        } => (
            "consume",
            format!(
                "consumer {consumer} reads {topic}-{partition} offset {offset}{}",
                if *duplicate {
                    " (again: at-least-once duplicate)"
                } else {
                    ""
                }
            ),
        ),
        TraceKind::OffsetsCommitted {
            consumer,
            group,
            offsets,
            ..
        } => (
            "consume",
            format!(
                "consumer {consumer} commits for {group}: {}",
                offsets
                    .iter()
                    .map(|(t, p, o)| format!("{t}-{p}={o}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        TraceKind::RebalanceStarted { group, reason, .. } => (
            "group",
            format!("{group} starts a rebalance: {}", reason_text(reason)),
        ),
        TraceKind::RebalanceCompleted {
            group,
            generation,
            protocol,
            ..
        } => (
            "group",
            format!("{group} is stable again: generation {generation} ({protocol})"),
        ),
        TraceKind::AssignmentReceived {
            consumer,
            assigned,
            generation,
            ..
        } => (
            "group",
            format!(
                "consumer {consumer} now owns {} (generation {generation})",
                list_partitions(assigned)
            ),
        ),
        TraceKind::PartitionsRevoked {
            consumer,
            partitions,
            ..
        } => (
            "group",
            format!(
                "consumer {consumer} gives up {}",
                list_partitions(partitions)
            ),
        ),
        TraceKind::MemberRemoved { group, reason, .. } => (
            "group",
            format!("{group} removes a member: {}", reason_text(reason)),
        ),
        TraceKind::ConsumerCrashed { consumer } => (
            "group",
            format!(
                "consumer {consumer} crashed; the coordinator notices after session.timeout.ms (45 s)"
            ),
        ),
        TraceKind::ConsumerStopped { consumer } => ("group", format!("consumer {consumer} closed")),
        TraceKind::ConsumerStarted { consumer, group } => (
            "group",
            format!(
                "consumer {consumer} started{}",
                group
                    .as_ref()
                    .map(|g| format!(" in group {g}"))
                    .unwrap_or_default()
            ),
        ),
        TraceKind::BrokerStarted { broker } => ("broker", format!("broker {broker} started")),
        TraceKind::BrokerStopped { broker } => ("broker", format!("broker {broker} stopped")),
        TraceKind::LeaderChanged {
            topic,
            partition,
            leader,
            ..
        } if !topic.starts_with("__") => (
            "broker",
            match leader {
                Some(l) => format!("{topic}-{partition} is led by broker {l}"),
                None => format!("{topic}-{partition} is offline: no in-sync replica is alive"),
            },
        ),
        TraceKind::IsrChanged {
            topic,
            partition,
            isr,
        } => (
            "broker",
            format!("{topic}-{partition} in-sync replicas: {isr:?}"),
        ),
        TraceKind::TopicCreated {
            topic,
            partitions,
            replication_factor,
        } => (
            "topic",
            format!(
                "topic {topic} created: {partitions} partitions, replication factor {replication_factor}"
            ),
        ),
        TraceKind::PartitionsIncreased { topic, from, to } => (
            "topic",
            format!("{topic} grew from {from} to {to} partitions"),
        ),
        TraceKind::RetentionDeleted {
            topic,
            partition,
            records,
            reason,
            ..
        } => (
            "topic",
            format!("{topic}-{partition}: retention ({reason}) deleted {records} records"),
        ),
        TraceKind::LogCleaned {
            topic,
            partition,
            records_removed,
            ..
        } => (
            "topic",
            format!("{topic}-{partition}: the log cleaner removed {records_removed} records"),
        ),
        _ => return None,
    })
}

fn list_partitions(list: &[(crate::sim::trace::Name, u32)]) -> String {
    if list.is_empty() {
        return "no partitions".to_string();
    }
    list.iter()
        .map(|(t, p)| format!("{t}-{p}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn reason_text(reason: &crate::sim::trace::RebalanceReason) -> String {
    use crate::sim::trace::RebalanceReason as R;
    match reason {
        R::MemberJoined(_) => "a member joined".to_string(),
        R::MemberLeft(_) => "a member left".to_string(),
        R::SessionTimeout(_) => "a member missed its heartbeats (session timeout)".to_string(),
        R::MetadataChanged => "the topic's partitions changed".to_string(),
        R::CooperativeFollowUp(_) => "a member rejoined".to_string(),
    }
}

/// `m:ss.mmm` for a virtual time.
pub fn format_ms(ms: u64) -> String {
    format!("{}:{:02}.{:03}", ms / 60_000, (ms / 1000) % 60, ms % 1000)
}

fn json_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The Playground model behind Yew's reducer.
pub type Store = crate::ui::store::Store<Model>;

impl crate::ui::store::Acts for Model {
    type Action = Action;

    fn act(&mut self, action: Action) {
        Model::act(self, action);
    }
}

/// The page's one Playground model, created on first use and kept while the page lives, so
/// the views that drive its world (the Playground and the Console's terminals) share it and
/// leaving a view and coming back finds the same world. A cheap handle; handles are equal when
/// they share the model.
#[derive(Clone, Default)]
pub struct SharedPlayground(Rc<std::cell::RefCell<Option<Rc<std::cell::RefCell<Model>>>>>);

impl SharedPlayground {
    /// The model, made by `init` the first time.
    pub fn model(&self, init: impl FnOnce() -> Model) -> Rc<std::cell::RefCell<Model>> {
        let mut slot = self.0.borrow_mut();
        Rc::clone(slot.get_or_insert_with(|| Rc::new(std::cell::RefCell::new(init()))))
    }
}

impl PartialEq for SharedPlayground {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for SharedPlayground {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedPlayground")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the Console does to the Playground's world (commands applied to the world
    /// directly, time advanced directly) joins the timeline: a rewind before it and a replay
    /// past it bring the topic back; changing the world while rewound drops the old future.
    #[test]
    fn changes_made_by_another_view_join_the_timeline() {
        let mut m = settled();
        m.act(Action::TogglePlay); // pause: only the console moves time now
        let created_at = m.world.now_ms() + 2_000;
        m.world.advance(2_000).unwrap();
        m.world
            .apply(Command::CreateTopic {
                name: "from-console".into(),
                partitions: Some(2),
                replication_factor: None,
                configs: Vec::new(),
            })
            .unwrap();
        m.world.advance(40_000).unwrap();
        m.absorb_external();
        assert_eq!(m.horizon_ms, m.world.now_ms());
        assert!(m.script.iter().any(|c| c.at_ms == created_at));
        let end = m.world.now_ms();
        m.act(Action::Seek(created_at - 1));
        assert!(
            m.world.topic("from-console").is_none(),
            "not yet created then"
        );
        m.act(Action::Seek(end));
        assert_eq!(
            m.world.topic("from-console").map(|t| t.partition_count()),
            Some(2),
            "the replay re-creates it"
        );
        // Rewound, then the console acts: the recorded future is gone.
        m.act(Action::Seek(created_at - 1));
        m.world
            .apply(Command::CreateTopic {
                name: "other".into(),
                partitions: Some(1),
                replication_factor: None,
                configs: Vec::new(),
            })
            .unwrap();
        m.absorb_external();
        m.run(60_000);
        assert!(m.world.topic("other").is_some());
        assert!(
            m.world.topic("from-console").is_none(),
            "the old future was dropped"
        );
    }

    /// At 1000 records/s the script would outgrow memory long before ten minutes: the reach
    /// shrinks instead, and the oldest moment kept can still be rebuilt.
    #[test]
    fn a_fast_session_keeps_its_script_bounded() {
        let (setup, _) = Setup::from_params(&crate::ui::route::query_params(
            "#/playground?rate=1000&speed=20&seed=3",
        ));
        let mut m = Model::with_setup(&setup);
        while m.world.now_ms() < 200_000 {
            m.act(Action::Frame { wall_ms: 10.0 });
        }
        assert!(
            m.script.len() <= MAX_SCRIPT_COMMANDS + 20_000,
            "{} commands kept",
            m.script.len()
        );
        let earliest = m.earliest_ms();
        assert!(earliest > 0, "the reach shrank");
        assert!(
            m.horizon_ms - earliest >= 60_000,
            "still a minute or more in reach"
        );
        let ends = log_ends(&m);
        let end = m.horizon_ms;
        m.act(Action::Seek(earliest));
        assert_eq!(m.world.now_ms(), earliest);
        m.act(Action::Seek(end));
        let again = log_ends(&m);
        assert_eq!(again, ends, "the replay rebuilds the same logs");
    }

    /// Another view keeping the clock (a Console left open) while the Playground is rewound
    /// does not drop the recorded future: its commands are applied as their times come.
    #[test]
    fn a_view_ticking_the_clock_after_a_rewind_keeps_the_recorded_future() {
        let mut m = Model::new(1);
        m.run(6_000);
        m.act(Action::TogglePlay);
        let t0 = m.world.now_ms();
        m.act(Action::CreateTopic {
            name: "later".into(),
            partitions: 1,
            replication_factor: 1,
            cleanup_policy: "delete".into(),
        });
        m.run(20_000);
        let end = m.world.now_ms();
        m.act(Action::Seek(t0 - 1));
        assert!(m.world.topic("later").is_none());
        for _ in 0..10 {
            m.advance_for_view(16);
        }
        assert!(
            m.world.topic("later").is_some(),
            "the recorded topic came at its time"
        );
        m.act(Action::Seek(end));
        assert!(m.world.topic("later").is_some());
        assert_eq!(m.horizon_ms, end, "the future is still there");
    }

    #[test]
    fn a_speed_or_frame_that_is_not_a_number_does_not_freeze_the_clock() {
        let mut m = Model::new(1);
        m.act(Action::SetSpeed(f64::NAN));
        m.act(Action::Frame { wall_ms: f64::NAN });
        m.act(Action::Frame {
            wall_ms: f64::INFINITY,
        });
        let before = m.world.now_ms();
        m.act(Action::Frame { wall_ms: 100.0 });
        assert!(m.world.now_ms() > before, "time still moves");
        assert!(m.speed.is_finite());
    }

    /// The log-end offset of each partition of `orders`.
    fn log_ends(m: &Model) -> Vec<u64> {
        m.world
            .topic(TOPIC)
            .map(|t| {
                t.partitions
                    .iter()
                    .map(|p| p.log.log_end_offset())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn settled() -> Model {
        let mut m = Model::new(1);
        m.run(6_000);
        m
    }

    #[test]
    fn first_load_has_the_scene_the_issue_describes() {
        let m = settled();
        assert_eq!(m.world.brokers().len(), 1);
        assert_eq!(m.world.topic(TOPIC).map(|t| t.partition_count()), Some(3));
        let g = m.world.group(GROUP).expect("billing");
        assert_eq!(g.members.len(), 2);
        assert_eq!(g.state.name(), "Stable");
    }

    #[test]
    fn typed_messages_land_in_murmur2_partitions_and_get_consumed() {
        let mut m = settled();
        m.act(Action::Produce {
            text: "alice:order-1".into(),
            partition: None,
            acks: Acks::All,
        });
        m.run(3_000);
        let p = crate::sim::partitioner::partition_for_key(b"alice", 3);
        let part = &m.world.topic(TOPIC).expect("topic").partitions[p as usize];
        assert_eq!(part.log.log_end_offset(), 1);
        assert_eq!(m.consumed, 1);
        assert!(m.log.iter().any(|l| l.text.contains("appended offset 0")));
    }

    #[test]
    fn adding_a_partition_says_where_each_key_goes_now() {
        let mut m = settled();
        for key in AUTO_KEYS {
            m.act(Action::Produce {
                text: format!("{key}:x"),
                partition: None,
                acks: Acks::All,
            });
        }
        m.run(2_000);
        m.act(Action::IncreasePartitions { to: 4 });
        let line = m
            .log
            .iter()
            .find(|l| l.text.starts_with("orders grew from 3 to 4 partitions"))
            .expect("a log line for the new partition")
            .text
            .clone();
        let mut moved = 0;
        for key in AUTO_KEYS {
            let (old, new) = (
                partition_for_key(key.as_bytes(), 3),
                partition_for_key(key.as_bytes(), 4),
            );
            let said = if old == new {
                format!("{key} stays P{new}")
            } else {
                moved += 1;
                format!("{key} now P{new} (was P{old})")
            };
            assert!(line.contains(&said), "{said:?} in {line:?}");
        }
        assert!(moved > 0, "with 6 keys, some move: {line}");
    }

    #[test]
    fn throughput_is_records_per_second_over_the_last_seconds() {
        let mut m = Model::with_setup(&Setup {
            rate: 50,
            ..Setup::default()
        });
        assert_eq!(
            throughput(&m.lag_history),
            None,
            "no figure before two samples"
        );
        for _ in 0..600 {
            m.act(Action::Frame { wall_ms: 20.0 });
        }
        let (appended, delivered) = throughput(&m.lag_history).expect("sampled");
        assert!(
            (40..=60).contains(&appended),
            "about 50/s appended: {appended}"
        );
        // One group reads the topic: once it has caught up it delivers what is appended.
        assert!(
            (40..=60).contains(&delivered),
            "about 50/s delivered: {delivered}"
        );
    }

    #[test]
    fn folding_a_burst_at_once_equals_folding_it_event_by_event() {
        // A burst holding more events than the log and the flights keep; built twice, the
        // same way (the engine is deterministic).
        let build = || {
            let mut m = Model::with_setup(&Setup {
                playing: false,
                ..Setup::default()
            });
            m.run(6_000);
            for i in 0..2_000 {
                let _ = m
                    .world
                    .produce(m.producer, TOPIC, Some(&format!("k{i}")), "v");
            }
            let burst = m.world.advance(700).expect("advance");
            (m, burst)
        };
        let (mut at_once, burst) = build();
        let (mut one_by_one, same) = build();
        assert_eq!(burst, same);
        assert!(
            burst.len() > LOG_LINES + MAX_FLIGHTS,
            "{} events",
            burst.len()
        );
        at_once.fold(burst.clone());
        for e in burst {
            one_by_one.fold(vec![e]);
        }
        assert_eq!(at_once.log, one_by_one.log);
        assert_eq!(at_once.flights, one_by_one.flights);
        assert_eq!(
            (at_once.produced, at_once.consumed),
            (one_by_one.produced, one_by_one.consumed)
        );
        assert_eq!(at_once.announcement, one_by_one.announcement);
        assert!(at_once.log.len() <= LOG_LINES && at_once.flights.len() <= MAX_FLIGHTS);
    }

    #[test]
    fn an_empty_message_is_refused_with_a_hint() {
        let mut m = settled();
        m.act(Action::Produce {
            text: "".into(),
            partition: None,
            acks: Acks::All,
        });
        assert!(m.error.is_some());
    }

    #[test]
    fn seeking_back_rebuilds_the_earlier_world_and_forward_replays_commands() {
        let mut m = settled();
        m.act(Action::Produce {
            text: "k:v1".into(),
            partition: None,
            acks: Acks::All,
        });
        m.run(2_000);
        let after = m.world.now_ms();
        m.act(Action::Produce {
            text: "k:v2".into(),
            partition: None,
            acks: Acks::All,
        });
        m.run(2_000);
        let total = |m: &Model| -> u64 {
            m.world
                .topic(TOPIC)
                .map(|t| t.partitions.iter().map(|p| p.log.log_end_offset()).sum())
                .unwrap_or(0)
        };
        assert_eq!(total(&m), 2);
        m.act(Action::Seek(after));
        assert_eq!(m.world.now_ms(), after);
        assert_eq!(total(&m), 1);
        m.run(2_500);
        assert_eq!(
            total(&m),
            2,
            "moving forward re-applies the recorded produce"
        );
    }

    #[test]
    fn crash_moves_partitions_after_the_session_timeout() {
        let mut m = settled();
        let victim = m
            .world
            .consumers()
            .find(|c| c.assignment.len() == 2)
            .map(|c| c.id)
            .expect("a consumer with two partitions");
        m.act(Action::CrashConsumer(victim));
        m.run(60_000);
        let survivor = m.world.consumers().find(|c| c.id != victim).expect("other");
        assert_eq!(survivor.assignment.len(), 3);
    }

    #[test]
    fn url_parameters_set_up_the_scene_and_bad_ones_are_reported() {
        let params = |q: &str| crate::ui::route::query_params(q);
        let (setup, problems) = Setup::from_params(&params(
            "#/playground?partitions=12&groups=3&rate=1000&seed=9",
        ));
        assert!(problems.is_empty());
        let mut m = Model::with_setup(&setup);
        m.run(6_000);
        assert_eq!(m.world.topic(TOPIC).map(|t| t.partition_count()), Some(12));
        assert_eq!(m.world.groups().count(), 3);
        assert_eq!(m.auto_rate, 1000);
        let (setup, problems) =
            Setup::from_params(&params("#/p?partitions=999&speed=abc&x=1&seed=-1"));
        assert_eq!(setup, Setup::default());
        assert_eq!(problems.len(), 4, "{problems:?}");
    }

    #[test]
    fn a_long_session_stays_bounded_and_rewinds_within_its_window() {
        let (setup, _) = Setup::from_params(&crate::ui::route::query_params(
            "#/playground?rate=100&speed=20",
        ));
        let mut m = Model::with_setup(&setup);
        let run_until = |m: &mut Model, until_ms: u64| {
            // 50 ms frames at 20×: a virtual second and 100 records each.
            while m.world.now_ms() < until_ms {
                m.act(Action::Frame { wall_ms: 50.0 });
            }
        };
        let ends = log_ends;
        // Ten virtual minutes at 100 records/s (issue #3's scenario): the whole session is within
        // reach, back to its first moment (before any record), and forward again to where it was.
        run_until(&mut m, 600_000);
        assert_eq!(m.earliest_ms(), 0);
        let (horizon, at_end) = (m.horizon_ms, ends(&m));
        m.act(Action::Seek(0));
        assert_eq!(m.world.now_ms(), 0);
        assert_eq!(ends(&m).iter().sum::<u64>(), 0);
        assert_eq!(m.produced, 0);
        m.act(Action::Seek(horizon));
        assert_eq!(m.world.now_ms(), horizon);
        assert_eq!(ends(&m), at_end);
        // Running on, the window slides and everything stays bounded.
        run_until(&mut m, 720_000);
        assert!(m.checkpoints.len() <= MAX_CHECKPOINTS);
        assert!(
            m.horizon_ms - m.earliest_ms() >= 600_000,
            "ten minutes within reach"
        );
        assert!(m.script.len() <= MAX_SCRIPT_COMMANDS);
        let kept: u64 = m
            .world
            .topic(TOPIC)
            .map(|t| t.partitions.iter().map(|p| p.log.len_records()).sum())
            .unwrap_or(0);
        assert!(kept <= 3 * u64::from(RECORDS_PER_PARTITION));
        assert!(m.log.len() <= LOG_LINES);
        // Rewinding before the window lands on its start; inside it, on the moment asked.
        m.act(Action::Seek(0));
        assert_eq!(m.world.now_ms(), m.earliest_ms());
        assert!(m.earliest_ms() > 0);
        let target = m.horizon_ms - 45_000;
        m.act(Action::Seek(target));
        assert_eq!(m.world.now_ms(), target);
    }

    #[test]
    fn a_rewound_world_matches_the_world_that_ran_straight_through() {
        fn session(m: &mut Model) {
            m.run(5_000);
            for text in ["a:1", "b:2", "c:3"] {
                m.produce_text(text, None, Acks::All);
            }
            m.run(40_000);
            for text in ["d:4", "e:5"] {
                m.produce_text(text, None, Acks::All);
            }
            m.run(25_000);
        }
        let ends = log_ends;
        let mut straight = Model::new(8);
        session(&mut straight);
        let mut m = Model::new(8);
        session(&mut m);
        assert_eq!(ends(&m), ends(&straight));
        // Back to before the first produce, then forward to the same moment.
        m.act(Action::Select(Some((TOPIC.to_string(), 0, 0))));
        m.act(Action::Seek(2_000));
        assert_eq!(ends(&m).iter().sum::<u64>(), 0);
        assert_eq!(
            (m.produced, m.consumed),
            (0, 0),
            "counters show the earlier moment"
        );
        assert!(
            m.log.iter().all(|l| l.at_ms <= 2_000),
            "no lines from the future"
        );
        assert_eq!(m.selected, None);
        let horizon = m.horizon_ms;
        m.run(horizon - 2_000);
        assert_eq!(m.world.now_ms(), straight.world.now_ms());
        assert_eq!(ends(&m), ends(&straight));
        let lag = |m: &Model| m.world.group_lag(GROUP);
        assert_eq!(lag(&m), lag(&straight));
        assert_eq!(
            (m.produced, m.consumed),
            (straight.produced, straight.consumed)
        );
        assert_eq!(m.log, straight.log);
    }

    #[test]
    fn a_new_group_uses_the_assignor_chosen_and_its_members_join() {
        let mut m = settled();
        m.act(Action::AddGroup {
            assignor: AssignorKind::CooperativeSticky,
        });
        m.run(8_000);
        let g = m.world.group("shipping").expect("the next free name");
        assert_eq!(g.protocol, Some(AssignorKind::CooperativeSticky));
        assert_eq!(g.state.name(), "Stable");
        let owned: usize = g.members.values().map(|m| m.assignment.len()).sum();
        assert_eq!((g.members.len(), owned), (2, 3));
        m.act(Action::AddConsumer {
            group: "shipping".into(),
        });
        m.run(8_000);
        let g = m.world.group("shipping").expect("shipping");
        assert_eq!(
            g.members.len(),
            3,
            "a third member joins with the group's assignor"
        );
        assert!(g.members.values().all(|m| m.assignment.len() == 1));
    }

    fn create(m: &mut Model, name: &str, partitions: u32, rf: u32, policy: &str) {
        m.act(Action::CreateTopic {
            name: name.into(),
            partitions,
            replication_factor: rf,
            cleanup_policy: policy.into(),
        });
    }

    #[test]
    fn a_topic_created_from_the_page_is_refused_in_kafkas_words_or_shown_and_replayed() {
        let mut m = settled();
        create(&mut m, "payments", 4, 3, "compact");
        assert_eq!(
            m.topic_error.as_deref(),
            Some(
                "Unable to replicate the partition 3 time(s): The target replication factor \
                 of 3 cannot be reached because only 1 broker(s) are registered."
            )
        );
        assert!(m.world.topic("payments").is_none());
        assert_eq!(m.topic, TOPIC, "a refused topic is not shown");
        create(&mut m, "orders", 1, 1, "delete");
        assert_eq!(
            m.topic_error.as_deref(),
            Some("Topic 'orders' already exists.")
        );
        m.act(Action::StartBroker(2));
        m.act(Action::StartBroker(3));
        m.run(1_000);
        let before = m.world.now_ms();
        m.run(1_000);
        create(&mut m, "payments", 4, 3, "compact");
        assert_eq!(m.topic_error, None);
        let t = m.world.topic("payments").expect("created");
        assert_eq!((t.partition_count(), t.replication_factor()), (4, 3));
        assert_eq!(
            t.overrides.get("cleanup.policy").map(String::as_str),
            Some("compact")
        );
        assert_eq!(m.topic, "payments", "the new topic is shown");
        assert!(
            m.log
                .iter()
                .any(|l| l.text.contains("topic payments created"))
        );
        // It is a command on the timeline: gone when rewound before it, back when replayed.
        m.run(2_000);
        m.act(Action::Seek(before));
        assert!(m.world.topic("payments").is_none());
        assert_eq!(m.topic, TOPIC, "the view falls back to a topic that exists");
        m.run(3_000);
        assert!(m.world.topic("payments").is_some());
        // Produce goes to the shown topic.
        m.act(Action::ShowTopic("payments".into()));
        m.act(Action::Produce {
            text: "k:v".into(),
            partition: Some(2),
            acks: Acks::All,
        });
        m.run(2_000);
        let p = &m.world.topic("payments").expect("payments").partitions[2];
        assert_eq!(p.log.log_end_offset(), 1);
        // Internal and unknown topics are not shown.
        m.act(Action::ShowTopic("__consumer_offsets".into()));
        m.act(Action::ShowTopic("nope".into()));
        assert_eq!(m.topic, "payments");
    }

    #[test]
    fn url_parameters_start_brokers_and_replicate_orders() {
        let params = |q: &str| crate::ui::route::query_params(q);
        let (setup, problems) = Setup::from_params(&params("#/playground?brokers=3&rf=3"));
        assert!(problems.is_empty(), "{problems:?}");
        let mut m = Model::with_setup(&setup);
        m.run(6_000);
        assert_eq!(m.world.live_brokers(), vec![1, 2, 3]);
        let t = m.world.topic(TOPIC).expect("orders");
        assert_eq!(t.replication_factor(), 3);
        assert!(t.partitions.iter().all(|p| p.isr.len() == 3));
        // Stopping a broker shrinks the ISR of every partition it held.
        m.act(Action::StopBroker(2));
        m.run(1_000);
        let t = m.world.topic(TOPIC).expect("orders");
        assert!(t.partitions.iter().all(|p| p.is_under_replicated()));
        let (setup, problems) = Setup::from_params(&params("#/playground?brokers=2&rf=3"));
        assert_eq!((setup.brokers, setup.replication_factor), (2, 1));
        assert_eq!(problems.len(), 1, "{problems:?}");
    }

    #[test]
    fn exports_are_well_formed() {
        let mut m = settled();
        m.log.push_back(LogLine {
            at_ms: 1,
            category: "produce",
            text: "say \"hi\"\n".into(),
        });
        assert!(m.log_csv().contains("\"say \"\"hi\"\"\n\""));
        assert!(m.log_json().contains("say \\\"hi\\\"\\u000a"));
        assert!(m.log_json().starts_with('['));
    }
}
