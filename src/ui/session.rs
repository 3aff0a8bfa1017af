//! The page's one session: the timeline every view reads and changes, its clock, and the
//! scenario document it travels as (share links, files, saved sessions).
//!
//! Views never own the page's world. The Playground draws the session and sends it
//! [`Action`]s; the Console's terminals drive the same timeline directly through
//! [`SharedSession`] (their commands are recorded at their virtual times, so a topic created in
//! a terminal appears in the Playground and survives a rewind). Everything that rewinds lives
//! in [`crate::sim::timeline`]; what the views build from the trace (counters, the event log,
//! records in flight, lag samples) is the timeline's fold, [`trace::Trace`].
//!
//! A session is saved and shared as a [`ScenarioDoc`]: the seed, the world's configuration and
//! the timed commands (setup included), the moment shown and the Playground's settings. A
//! producer's steady load is one `SetAutoProduce` command, so a busy session stays short.

pub mod saved;
pub mod trace;

use std::cell::RefCell;
use std::rc::Rc;

use crate::sim::assignor::AssignorKind;
use crate::sim::client::{Acks, ConsumerConfig, OffsetReset, ProducerConfig};
use crate::sim::command::{Command, NewRecord, Outcome, Subscription};
use crate::sim::scenario::{
    CompareSettings, PlaygroundSettings, ScenarioDoc, ScenarioError, WordCountSettings,
};
use crate::sim::timeline::{Limits, Timeline};
use crate::sim::world::WorldConfig;
use crate::sim::{SimError, TraceEvent, World};
use crate::ui::compare_view::model::Model as CompareModel;
use crate::ui::wordcount::model::Model as WordCountModel;
pub use trace::{
    Flight, FlightKind, LAG_SAMPLES, LOG_LINES, LogLine, MAX_FLIGHTS, Sample, Trace, describe,
    format_ms, format_s, throughput,
};

/// Largest virtual step one animation frame may take (a background tab resumes gently).
pub const MAX_FRAME_MS: f64 = 250.0;
/// Records each partition keeps in the page (the simulation's memory bound; older records are
/// dropped as if by `DeleteRecords`, and the log start moves).
pub const RECORDS_PER_PARTITION: u32 = 5_000;
/// Keys the steady load cycles through.
pub const AUTO_KEYS: [&str; 6] = ["alice", "bob", "carol", "dave", "erin", "frank"];
/// Highest steady load the page offers, in records per second.
pub const AUTO_RATE_MAX: u32 = 1_000;
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

/// Everything the learner can ask of the session (the Playground sends all of them; the
/// clock's actions come from any view).
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
    /// Hide the note that acting in the past replaced the recorded future.
    DismissReplaced,
    /// Show a message (a URL parameter that could not be used, say).
    Notice(String),
}

/// How a fresh session starts: the defaults are the first-load scene; a URL such as
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

/// The part of the timeline an embed lets the learner see (`from`/`to` on its link): seeks
/// are clamped into it, and the clock stops at its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeLock {
    pub from_ms: u64,
    /// The end, if any (never before `from_ms`).
    pub to_ms: Option<u64>,
}

impl TimeLock {
    /// `at_ms` moved into the range.
    pub fn clamp(self, at_ms: u64) -> u64 {
        let at = at_ms.max(self.from_ms);
        self.to_ms.map_or(at, |to| at.min(to.max(self.from_ms)))
    }
}

/// The world configuration every Playground session uses.
pub fn page_config() -> WorldConfig {
    WorldConfig {
        // Slowed so travel is visible at 1×; Kafka's own timeouts are unchanged.
        latency_ms_min: 150,
        latency_ms_max: 350,
        max_records_per_partition: RECORDS_PER_PARTITION,
        trace_capacity: 2_000,
        ..WorldConfig::default()
    }
}

/// `speed` to the tenth, as an address writes it.
fn in_tenths(speed: f64) -> f64 {
    (speed * 10.0).round() / 10.0
}

/// The page's session.
#[derive(Clone, Debug)]
pub struct Session {
    pub timeline: Timeline<Trace>,
    pub playing: bool,
    pub speed: f64,
    /// Virtual time carried over between frames (fractions of a millisecond).
    carry_ms: f64,
    /// The producer the learner's records and the steady load go through.
    pub producer: u32,
    pub filter: String,
    pub selected: Option<(String, u32, u64)>,
    pub error: Option<String>,
    /// Why the last topic the learner asked for was not created (Kafka's message).
    pub topic_error: Option<String>,
    /// Seeks and loads so far (a view that caches what it drew compares it).
    pub rebuilds: u64,
    /// The embed's range of the timeline, if it has one (kept across resets and loads).
    pub lock: Option<TimeLock>,
    /// `(acted at, recorded end before)`: the learner acted while viewing the past, so the
    /// timeline dropped what had been recorded after that moment.
    pub replaced_future: Option<(u64, u64)>,
    /// The lesson whose setup this session was started from (`None`: the learner's own). A
    /// lesson's later steps go on with it; another lesson sets up its own.
    pub lesson: Option<String>,
}

impl Session {
    /// The first-load scene: one broker, `orders` with 3 partitions, one producer, group
    /// `billing` with 2 consumers.
    pub fn new(seed: u64) -> Self {
        Self::with_setup(&Setup {
            seed,
            ..Setup::default()
        })
    }

    /// The scene a [`Setup`] describes: its commands are the timeline's first, at time 0.
    pub fn with_setup(setup: &Setup) -> Self {
        let mut session = Self::empty(Timeline::new(
            setup.seed,
            page_config(),
            Trace::new(TOPIC),
            Limits::default(),
        ));
        session.playing = setup.playing;
        session.speed = setup.speed;
        for id in 2..=setup.brokers.min(9) {
            let _ = session.timeline.apply(Command::StartBroker { id });
        }
        let _ = session.timeline.apply(Command::CreateTopic {
            name: TOPIC.to_string(),
            partitions: Some(setup.partitions),
            replication_factor: Some(setup.replication_factor.clamp(1, setup.brokers.max(1))),
            configs: Vec::new(),
        });
        if let Ok(Outcome::Producer(id)) = session.timeline.apply(Command::AddProducer {
            config: ProducerConfig::default(),
        }) {
            session.producer = id;
        }
        for group in GROUP_NAMES.iter().take(setup.groups as usize) {
            for _ in 0..setup.consumers_per_group {
                let _ = session.timeline.apply(add_consumer_with(
                    group,
                    ConsumerConfig::default().assignors,
                    TOPIC,
                ));
            }
        }
        if setup.rate > 0 {
            session.set_auto_rate(setup.rate);
        }
        session
    }

    fn empty(timeline: Timeline<Trace>) -> Self {
        Self {
            timeline,
            playing: true,
            speed: 1.0,
            carry_ms: 0.0,
            producer: 0,
            filter: String::new(),
            selected: None,
            error: None,
            topic_error: None,
            rebuilds: 0,
            lock: None,
            replaced_future: None,
            lesson: None,
        }
    }

    /// The session a page opened at `hash` asks for: the URL's parameters when the hash is a
    /// Playground address (each one it could not use is reported in `error`), else the
    /// first-load scene.
    pub fn from_hash(hash: &str) -> Self {
        if crate::ui::route::Route::from_hash(hash) != crate::ui::route::Route::Playground {
            return Self::with_setup(&Setup::default());
        }
        let (setup, error) = crate::ui::route::setup_from_hash(hash, Setup::from_params);
        let mut session = Self::with_setup(&setup);
        if error.is_some() {
            session.error = error;
        }
        session
    }

    /// The session a scenario document describes, at its moment. A document whose commands
    /// this engine refuses is reported, and nothing is built.
    pub fn from_doc(doc: &ScenarioDoc) -> Result<Self, ScenarioError> {
        doc.validate()?;
        let settings = &doc.playground;
        let timeline = Timeline::from_scenario(
            &doc.scenario(),
            doc.moment(),
            doc.horizon(),
            Trace::new(&settings.topic),
            Limits::default(),
        )
        .map_err(|e: SimError| {
            ScenarioError(format!("This scenario does not replay: {}", e.message()))
        })?;
        let mut session = Self::empty(timeline);
        session.producer = settings.producer;
        session.speed = f64::from(settings.speed_tenths) / 10.0;
        session.playing = settings.playing;
        if session.timeline.world().topic(&settings.topic).is_none() {
            session.timeline.fold_mut().topic = TOPIC.to_string();
        }
        Ok(session)
    }

    /// Replaces this session by the one `doc` describes; when it does not replay, nothing
    /// changes and the error says why.
    pub fn load(&mut self, doc: &ScenarioDoc) -> Result<(), ScenarioError> {
        let session = Session::from_doc(doc)?;
        let (rebuilds, lock) = (self.rebuilds, self.lock);
        *self = session;
        self.rebuilds = rebuilds + 1;
        self.set_lock(lock);
        Ok(())
    }

    /// Adds a line to the session's message, if there is one to add.
    pub fn add_message(&mut self, line: Option<String>) {
        if let Some(line) = line {
            self.error = Some(match self.error.take() {
                Some(before) => format!("{before}\n{line}"),
                None => line,
            });
        }
    }

    /// Locks the clock to `lock` (or frees it) and moves the moment shown into it.
    pub fn set_lock(&mut self, lock: Option<TimeLock>) {
        self.lock = lock;
        if let Some(lock) = lock {
            let now = self.timeline.now_ms();
            if lock.clamp(now) != now {
                self.go_to(now);
            }
        }
    }

    /// Shows the moment `at_ms` (within the lock): rewinds to it when it was reached before,
    /// else lets time run up to it.
    pub fn go_to(&mut self, at_ms: u64) {
        let at = self.lock.map_or(at_ms, |lock| lock.clamp(at_ms));
        let now = self.timeline.now_ms();
        if at <= self.horizon_ms() {
            if at != now {
                self.seek(at);
            }
        } else {
            self.run(at - now);
            self.rebuilds += 1;
        }
    }

    /// The session as a scenario document showing `view`, at the moment shown; `None` once
    /// the session is too long to replay from its start.
    pub fn to_doc(&self, view: &str) -> Option<ScenarioDoc> {
        let mut doc = ScenarioDoc::new(self.timeline.scenario()?);
        doc.view = view.to_string();
        doc.moment_ms = Some(self.timeline.now_ms());
        doc.horizon_ms = Some(self.timeline.horizon_ms());
        doc.playground = PlaygroundSettings {
            topic: self.trace().topic.clone(),
            producer: self.producer,
            speed_tenths: (self.speed * 10.0).round().clamp(1.0, 200.0) as u32,
            playing: self.playing,
        };
        // A session that outgrew what a document may hold (past a day of virtual time, say)
        // cannot be shared or saved: a document that would not load is never written.
        doc.validate().ok()?;
        Some(doc)
    }

    /// The Playground's address for the session's current settings: `address` with `seed`,
    /// `partitions`, `rate` and `speed` brought up to date (defaults left out) and its other
    /// parameters kept, so an address copied from the browser starts the same setup.
    pub fn playground_address(&self, address: &str) -> String {
        use crate::ui::route::unless_default;
        let (defaults, now) = (Setup::default(), self.current_setup(""));
        let speed_tenths = (now.speed * 10.0).round() as u64;
        crate::ui::route::address_with(
            crate::ui::route::Route::Playground,
            address,
            &[
                ("seed", unless_default(now.seed, defaults.seed)),
                (
                    "partitions",
                    unless_default(now.partitions, defaults.partitions),
                ),
                ("rate", unless_default(now.rate, defaults.rate)),
                (
                    "speed",
                    (speed_tenths != 10).then(|| (speed_tenths as f64 / 10.0).to_string()),
                ),
            ],
            |_| true,
        )
    }

    /// The setup the session stands on now, as an address asks for one: what `origin` (the
    /// Playground address it started at) asks for, with the settings the address keeps
    /// current — seed, partitions of `orders`, rate, speed (in tenths, as written) — read
    /// from the session.
    pub fn current_setup(&self, origin: &str) -> Setup {
        let (mut setup, _) = crate::ui::route::setup_from_hash(origin, Setup::from_params);
        setup.seed = self.seed();
        if let Some(topic) = self.world().topic(TOPIC) {
            setup.partitions = topic.partition_count();
        }
        setup.rate = self.auto_rate();
        setup.speed = in_tenths(self.speed);
        setup
    }

    /// The world at the moment shown.
    pub fn world(&self) -> &World {
        self.timeline.world()
    }

    /// What the views build from the trace.
    pub fn trace(&self) -> &Trace {
        self.timeline.fold()
    }

    /// The furthest virtual time reached.
    pub fn horizon_ms(&self) -> u64 {
        self.timeline.horizon_ms()
    }

    /// The earliest moment the timeline can rewind to.
    pub fn earliest_ms(&self) -> u64 {
        self.timeline.earliest_ms()
    }

    /// The seed the world was built from.
    pub fn seed(&self) -> u64 {
        self.timeline.seed()
    }

    /// The steady load of the learner's producer, in records per second.
    pub fn auto_rate(&self) -> u32 {
        self.world()
            .auto_produce(self.producer)
            .map_or(0, |a| a.rate_per_s)
    }

    /// Event-log lines matching the filter, numbered (see `Trace::filtered_log`).
    pub fn filtered_log(&self) -> impl Iterator<Item = (u64, &LogLine)> {
        self.trace().filtered_log(&self.filter)
    }

    /// Applies a command now, recording it (dropping any recorded future first).
    pub fn command(&mut self, command: Command) -> Result<Outcome, SimError> {
        let (now, horizon) = (self.timeline.now_ms(), self.timeline.horizon_ms());
        let rewound = !self.timeline.is_live();
        let result = self.timeline.apply(command);
        if rewound && result.is_ok() {
            self.replaced_future = Some((now, horizon));
        }
        result
    }

    /// Moves virtual time forward by `delta_ms`, re-applying recorded commands whose time
    /// comes; what happened is folded into the trace.
    pub fn run(&mut self, delta_ms: u64) {
        if let Err(e) = self.timeline.run(delta_ms) {
            self.error = Some(e.to_string());
        }
    }

    /// Lets time pass for another view that keeps the clock while the Playground is not shown
    /// (the Console's terminals), then runs `f` on the world with what happened; what `f`
    /// changes joins the timeline.
    pub fn advance_with<R>(
        &mut self,
        delta_ms: u64,
        f: impl FnOnce(&mut World, &[TraceEvent]) -> R,
    ) -> R {
        let events = self.timeline.advance(delta_ms).unwrap_or_default();
        self.timeline.drive(|world| f(world, &events))
    }

    /// Rebuilds the world at virtual time `at_ms` (within the recorded timeline).
    pub fn seek(&mut self, at_ms: u64) {
        self.timeline.seek(at_ms);
        self.selected = None;
        self.replaced_future = None;
        self.rebuilds += 1;
    }

    /// Applies a learner's action.
    pub fn act(&mut self, action: Action) {
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
                self.carry_ms += wall * self.speed;
                let whole = self.carry_ms.floor();
                self.carry_ms -= whole;
                let mut step = whole as u64;
                if let Some(room) = self.room_ms()
                    && step >= room
                {
                    // The lock's end: stop there.
                    step = room;
                    self.playing = false;
                    self.carry_ms = 0.0;
                }
                if step >= 1 {
                    self.run(step);
                }
            }
            Action::TogglePlay => {
                if !self.playing && self.room_ms() == Some(0) {
                    // Play at the lock's end plays the range again from its start.
                    if let Some(lock) = self.lock {
                        self.go_to(lock.from_ms);
                    }
                }
                self.playing = !self.playing;
            }
            Action::Step => {
                self.playing = false;
                let now = self.timeline.now_ms();
                let delta = self
                    .timeline
                    .next_event_ms()
                    .map_or(1, |at| at.saturating_sub(now).max(1));
                let delta = self.room_ms().map_or(delta, |room| delta.min(room));
                if delta > 0 {
                    self.run(delta);
                }
            }
            Action::SetSpeed(speed) => {
                // NaN would freeze the clock for good: ignore what is not a number.
                if speed.is_finite() {
                    self.speed = speed.clamp(0.1, 20.0);
                }
            }
            Action::Reset { seed } => {
                let (playing, rebuilds, lock) = (self.playing, self.rebuilds, self.lock);
                *self = Session::new(seed);
                self.playing = playing;
                self.rebuilds = rebuilds + 1;
                self.set_lock(lock);
            }
            Action::Notice(text) => self.error = Some(text),
            Action::Produce {
                text,
                partition,
                acks,
            } => self.produce_text(&text, partition, acks),
            Action::SetAutoRate(rate) => self.set_auto_rate(rate),
            Action::AddConsumer { group } => {
                // A new member offers what the group already uses, so it can join.
                let assignors = self
                    .world()
                    .group(&group)
                    .and_then(|g| g.protocol)
                    .map_or(ConsumerConfig::default().assignors, |p| vec![p]);
                let topic = self.trace().topic.clone();
                self.report(add_consumer_with(&group, assignors, &topic));
            }
            Action::AddGroup { assignor } => {
                let name = GROUP_NAMES
                    .iter()
                    .find(|n| self.world().group(n).is_none_or(|g| g.members.is_empty()))
                    .map(|n| n.to_string());
                match name {
                    Some(name) => {
                        let topic = self.trace().topic.clone();
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
                name: self.trace().topic.clone(),
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
                        self.show_topic(&name);
                    }
                    Err(e) => self.topic_error = Some(e.to_string()),
                }
            }
            Action::ShowTopic(name) => self.show_topic(&name),
            Action::Select(selection) => self.selected = selection,
            Action::Seek(at) => self.seek(self.lock.map_or(at, |lock| lock.clamp(at))),
            Action::SetFilter(filter) => self.filter = filter,
            Action::DismissError => self.error = None,
            Action::DismissReplaced => self.replaced_future = None,
        }
    }

    /// Virtual time left before the lock's end (None: no end).
    fn room_ms(&self) -> Option<u64> {
        let to = self.lock?.to_ms?;
        Some(to.saturating_sub(self.timeline.now_ms()))
    }

    /// Shows `name` in the diagram, if it is a topic the learner may use; the steady load
    /// follows it.
    fn show_topic(&mut self, name: &str) {
        if self.world().topic(name).is_none_or(|t| t.internal) {
            return;
        }
        let trace = self.timeline.fold_mut();
        trace.topic = name.to_string();
        trace.flights.clear();
        self.selected = None;
        let rate = self.auto_rate();
        if rate > 0 {
            self.set_auto_rate(rate);
        }
    }

    /// Sets the learner's producer's steady load on the shown topic.
    fn set_auto_rate(&mut self, rate: u32) {
        let command = Command::SetAutoProduce {
            producer: self.producer,
            topic: self.trace().topic.clone(),
            rate_per_s: rate.min(AUTO_RATE_MAX),
            keys: AUTO_KEYS.iter().map(|k| k.to_string()).collect(),
            value_prefix: "order-".to_string(),
        };
        self.report(command);
    }

    fn report(&mut self, command: Command) {
        match self.command(command) {
            Ok(_) => self.error = None,
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
        let acks_changed =
            self.world().producer(self.producer).map(|p| p.config.acks) != Some(acks);
        if acks_changed
            && let Ok(Outcome::Producer(id)) = self.command(Command::AddProducer {
                config: ProducerConfig {
                    acks,
                    ..Default::default()
                },
            })
        {
            let rate = self.auto_rate();
            let _ = self.command(Command::CloseProducer {
                producer: self.producer,
            });
            self.producer = id;
            if rate > 0 {
                self.set_auto_rate(rate);
            }
        }
        let record = NewRecord {
            topic: self.trace().topic.clone(),
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

impl crate::ui::store::Acts for Session {
    type Action = Action;

    fn act(&mut self, action: Action) {
        Session::act(self, action);
    }
}

/// The page's one session, created on first use and kept while the page lives, so every view
/// (the Playground, the Console's terminals, WordCount, EDA vs SOA, the Share dialog) reads and
/// changes the same state, and leaving a view and coming back finds it as it was. It holds the
/// page's timeline ([`Session`]) and the worlds of the two views that build their own
/// (WordCount's timeline, EDA vs SOA's comparison). A cheap handle; handles are equal when
/// they share the session.
#[derive(Clone, Default)]
pub struct SharedSession(Rc<Slots>);

type Slot<T> = RefCell<Option<Rc<RefCell<T>>>>;

#[derive(Default)]
struct Slots {
    session: Slot<Session>,
    wordcount: Slot<WordCountModel>,
    compare: Slot<CompareModel>,
    /// What a loaded scenario holds for a view not shown since: used when it is next shown.
    wordcount_doc: RefCell<Option<WordCountSettings>>,
    compare_doc: RefCell<Option<CompareSettings>>,
    /// The worlds a lesson over WordCount or EDA vs SOA runs on, beside the learner's own, so
    /// a lesson never replaces what the learner had in those views.
    lesson_wordcount: Slot<WordCountModel>,
    lesson_compare: Slot<CompareModel>,
    /// The Playground address the session started at (or last followed): what it asks for
    /// beyond the settings the address keeps current is part of the session's setup.
    playground_origin: RefCell<String>,
    /// The lesson the lesson worlds (above) were set up for.
    lesson_world: RefCell<Option<String>>,
}

/// Whether a page at `hash` is inside a lesson (`#/lessons/<id>...`), whose views run on the
/// lesson's worlds.
fn in_lesson(hash: &str) -> bool {
    let path = hash
        .trim_start_matches(['#', '/'])
        .split('?')
        .next()
        .unwrap_or("");
    let mut parts = path.split('/');
    parts
        .next()
        .is_some_and(|p| p.eq_ignore_ascii_case("lessons"))
        && parts.next().is_some_and(|id| !id.is_empty())
}

/// The model in `slot`, made by `init` the first time. When `keep` refuses it, `init` remakes
/// it in place, so a view that holds the model (its store) shows the new one.
fn slot<T>(
    slot: &Slot<T>,
    keep: impl FnOnce(&T) -> bool,
    init: impl FnOnce() -> T,
) -> Rc<RefCell<T>> {
    let mut slot = slot.borrow_mut();
    if let Some(model) = slot.as_ref() {
        // A model busy in an action is kept as it is.
        if let Ok(mut m) = model.try_borrow_mut()
            && !keep(&m)
        {
            *m = init();
        }
        return Rc::clone(model);
    }
    Rc::clone(slot.insert(Rc::new(RefCell::new(init()))))
}

impl SharedSession {
    /// The session, made by `init` the first time.
    pub fn session(&self, init: impl FnOnce() -> Session) -> Rc<RefCell<Session>> {
        slot(&self.0.session, |_| true, init)
    }

    /// The session if one was made.
    pub fn get(&self) -> Option<Rc<RefCell<Session>>> {
        self.0.session.borrow().clone()
    }

    /// WordCount's model for a page at `hash` (see [`KeptView`]).
    /// Inside a lesson, the lesson's world (see [`SharedSession::fresh_wordcount`]).
    pub fn wordcount(&self, hash: &str) -> Rc<RefCell<WordCountModel>> {
        if in_lesson(hash) {
            return slot(
                &self.0.lesson_wordcount,
                |_| true,
                || WordCountModel::from_hash(hash),
            );
        }
        kept(&self.0.wordcount, &self.0.wordcount_doc, hash)
    }

    /// EDA vs SOA's model for a page at `hash` (see [`KeptView`]).
    /// Inside a lesson, the lesson's world (see [`SharedSession::fresh_compare`]).
    pub fn compare(&self, hash: &str) -> Rc<RefCell<CompareModel>> {
        if in_lesson(hash) {
            return slot(
                &self.0.lesson_compare,
                |_| true,
                || CompareModel::from_hash(hash),
            );
        }
        kept(&self.0.compare, &self.0.compare_doc, hash)
    }

    /// A new EDA-vs-SOA world for a lesson, from the setup address `setup`. The learner's own
    /// (the one #/eda-vs-soa shows) is left as it was.
    pub fn fresh_compare(&self, setup: &str) -> Rc<RefCell<CompareModel>> {
        let model = Rc::new(RefCell::new(CompareModel::from_hash(setup)));
        *self.0.lesson_compare.borrow_mut() = Some(Rc::clone(&model));
        model
    }

    /// Notes that the lesson worlds now stand on lesson `id`'s setup.
    pub fn set_lesson_world(&self, id: &str) {
        *self.0.lesson_world.borrow_mut() = Some(id.to_string());
    }

    /// Whether the lesson worlds stand on lesson `id`'s setup (its later steps go on with
    /// them; another lesson sets up its own).
    pub fn lesson_world_is(&self, id: &str) -> bool {
        self.0.lesson_world.borrow().as_deref() == Some(id)
    }

    /// A new WordCount world for a lesson, from the setup address `setup`. The learner's own
    /// (the one #/wordcount shows) is left as it was.
    pub fn fresh_wordcount(&self, setup: &str) -> Rc<RefCell<WordCountModel>> {
        let model = Rc::new(RefCell::new(WordCountModel::from_hash(setup)));
        *self.0.lesson_wordcount.borrow_mut() = Some(Rc::clone(&model));
        model
    }

    /// Notes the address the page opened at: when it is a Playground address, the session
    /// stands on its setup (see [`SharedSession::follow_address`]).
    pub fn started_at(&self, hash: &str) {
        use crate::ui::route::Route;
        if Route::from_hash(hash) == Route::Playground {
            *self.0.playground_origin.borrow_mut() = saved::without_payload(hash);
        }
    }

    /// Follows a Playground address met in the open page (`location.hash =
    /// '#/playground?partitions=7'`, a link, Back, a move from another view) as the page follows
    /// the address it opens at: a setup other than the one the session stands on starts it —
    /// the learner's session kept under My sessions first when `keep` and it holds their work,
    /// as a lesson keeps it — and parameters that cannot be used are reported in the session's
    /// message. An address without parameters keeps the session, and one the page wrote
    /// itself (the address bar follows the settings) asks for the setup the session stands on,
    /// so it changes nothing. Returns whether the session changed (its view is redrawn).
    pub fn follow_address(&self, hash: &str, keep: bool) -> bool {
        use crate::ui::route::{Route, setup_from_hash, view_params, visible};
        let address = saved::without_payload(hash);
        if Route::from_hash(&address) != Route::Playground || view_params(&address).is_empty() {
            return false;
        }
        let Some(session) = self.get() else {
            // The Playground makes the session from this address when it first shows.
            return false;
        };
        let (mut asked, problems) = setup_from_hash(&address, Setup::from_params);
        asked.speed = in_tenths(asked.speed);
        let origin = self.0.playground_origin.borrow().clone();
        let Ok(current) = session.try_borrow().map(|s| s.current_setup(&origin)) else {
            return false;
        };
        if asked == current {
            let Some(problems) = problems else {
                return false;
            };
            if let Ok(mut s) = session.try_borrow_mut() {
                s.error = Some(problems);
            }
            return true;
        }
        let kept = keep
            .then(|| self.to_doc("playground"))
            .flatten()
            .filter(saved::holds_learner_work)
            .map(|doc| saved::keep_aside(&format!("Before {}", visible(&address)), doc));
        let Ok(mut s) = session.try_borrow_mut() else {
            return false;
        };
        let mut fresh = Session::with_setup(&asked);
        fresh.rebuilds = s.rebuilds + 1;
        fresh.set_lock(s.lock);
        fresh.error = problems;
        fresh.add_message(kept);
        *s = fresh;
        drop(s);
        *self.0.playground_origin.borrow_mut() = address;
        true
    }

    /// The address of the view `address` shows, brought up to date with that view's settings
    /// (the Playground's from the page's session, WordCount's and EDA vs SOA's from their
    /// models), so an address copied from the browser starts the same setup. `None` for the
    /// other views, and for a view not built yet.
    pub fn view_address(&self, address: &str) -> Option<String> {
        use crate::ui::route::Route;
        match Route::from_hash(address) {
            Route::Playground => {
                let session = self.get()?;
                let session = session.try_borrow().ok()?;
                Some(session.playground_address(address))
            }
            Route::WordCount => {
                let model = self.0.wordcount.borrow().clone()?;
                let model = model.try_borrow().ok()?;
                Some(model.address(address))
            }
            Route::EdaVsSoa => {
                let model = self.0.compare.borrow().clone()?;
                let model = model.try_borrow().ok()?;
                Some(model.address(address))
            }
            _ => None,
        }
    }

    /// The whole page as a scenario document showing `view`: the page's timeline, and the
    /// WordCount and EDA-vs-SOA worlds when they were opened. `None` when the page's timeline
    /// no longer replays from its start.
    pub fn to_doc(&self, view: &str) -> Option<ScenarioDoc> {
        let session = self.get()?;
        let mut doc = session.try_borrow().ok()?.to_doc(view)?;
        // Each other view's part is kept only if the document still loads with it (EDA vs SOA
        // left running for hours outgrows a replay): that view then starts afresh, and the
        // Playground's session is never lost with it.
        doc.wordcount = match self.0.wordcount.borrow().as_ref() {
            Some(m) => m.try_borrow().ok().and_then(|m| m.settings()),
            None => self.0.wordcount_doc.borrow().clone(),
        };
        if doc.validate().is_err() {
            doc.wordcount = None;
        }
        doc.compare = match self.0.compare.borrow().as_ref() {
            Some(m) => m.try_borrow().ok().and_then(|m| m.settings()),
            None => self.0.compare_doc.borrow().clone(),
        };
        if doc.validate().is_err() {
            doc.compare = None;
        }
        Some(doc)
    }

    /// Replaces the page's state by `doc`: the page's timeline now, the other views when they
    /// are next shown. When the document does not replay, nothing changes.
    pub fn load(&self, doc: &ScenarioDoc) -> Result<(), ScenarioError> {
        let session = self
            .get()
            .ok_or_else(|| ScenarioError("The page has no session yet.".to_string()))?;
        session
            .try_borrow_mut()
            .map_err(|_| ScenarioError("The simulation is busy; try again.".to_string()))?
            .load(doc)?;
        self.set_view_docs(doc);
        Ok(())
    }

    /// Keeps what `doc` holds for WordCount and EDA vs SOA, to build them from it when shown.
    pub fn set_view_docs(&self, doc: &ScenarioDoc) {
        *self.0.wordcount_doc.borrow_mut() = doc.wordcount.clone();
        *self.0.compare_doc.borrow_mut() = doc.compare.clone();
        if doc.wordcount.is_some() {
            self.0.wordcount.borrow_mut().take();
        }
        if doc.compare.is_some() {
            self.0.compare.borrow_mut().take();
        }
    }
}

/// A view that builds a world of its own (WordCount, EDA vs SOA), kept in the page's session:
/// the model kept is used again, unless the address asks for another setup; else the one a
/// loaded scenario holds; else a new one from the address.
pub trait KeptView: Sized {
    type Setup: PartialEq;
    type Settings;
    /// The setup `params` ask for, and the problems with them.
    fn parse_setup(params: &[(String, String)]) -> (Self::Setup, Vec<String>);
    /// The setup this model stands on now (the one its address shows).
    fn setup(&self) -> Self::Setup;
    /// A model from an address.
    fn from_hash(hash: &str) -> Self;
    /// A model from a scenario document's section for the view.
    fn from_settings(settings: &Self::Settings) -> Result<Self, String>;
    /// Shows a message.
    fn set_error(&mut self, error: String);
}

impl KeptView for WordCountModel {
    type Setup = crate::ui::wordcount::model::Setup;
    type Settings = WordCountSettings;
    fn parse_setup(params: &[(String, String)]) -> (Self::Setup, Vec<String>) {
        Self::Setup::from_params(params)
    }
    fn setup(&self) -> Self::Setup {
        self.setup
    }
    fn from_hash(hash: &str) -> Self {
        WordCountModel::from_hash(hash)
    }
    fn from_settings(settings: &WordCountSettings) -> Result<Self, String> {
        WordCountModel::from_settings(settings)
    }
    fn set_error(&mut self, error: String) {
        self.error = Some(error);
    }
}

impl KeptView for CompareModel {
    type Setup = crate::ui::compare_view::model::Setup;
    type Settings = CompareSettings;
    fn parse_setup(params: &[(String, String)]) -> (Self::Setup, Vec<String>) {
        Self::Setup::from_params(params)
    }
    fn setup(&self) -> Self::Setup {
        self.current_setup()
    }
    fn from_hash(hash: &str) -> Self {
        CompareModel::from_hash(hash)
    }
    fn from_settings(settings: &CompareSettings) -> Result<Self, String> {
        CompareModel::from_settings(settings)
    }
    fn set_error(&mut self, error: String) {
        self.error = Some(error);
    }
}

/// The kept model of a [`KeptView`] for a page at `hash`: rebuilt (in place) when the
/// address asks for another setup than the one it stands on (the parameters it could use
/// applied), kept when it asks for none or the same; parameters that could not be used are
/// reported on the model either way.
fn kept<M: KeptView>(
    model: &Slot<M>,
    pending: &RefCell<Option<M::Settings>>,
    hash: &str,
) -> Rc<RefCell<M>> {
    let address = saved::without_payload(hash);
    let asked = (!crate::ui::route::view_params(&address).is_empty())
        .then(|| crate::ui::route::setup_from_hash(&address, M::parse_setup));
    let pending = pending.borrow_mut().take();
    let kept = slot(
        model,
        |m| pending.is_none() && asked.as_ref().is_none_or(|(a, _)| *a == m.setup()),
        || match pending.as_ref().map(M::from_settings) {
            Some(Ok(model)) => model,
            Some(Err(e)) => {
                let mut model = M::from_hash(hash);
                model.set_error(e);
                model
            }
            None => M::from_hash(hash),
        },
    );
    if let Some((_, Some(problems))) = asked
        && let Ok(mut m) = kept.try_borrow_mut()
    {
        m.set_error(problems);
    }
    kept
}

/// The store a view's component holds: the model kept in the page's session when there is
/// one (`kept` picks it), else a model of the view's own from the address.
#[yew::hook]
pub fn use_kept_store<M>(
    kept: fn(&SharedSession, &str) -> Rc<RefCell<M>>,
) -> yew::UseReducerHandle<crate::ui::store::Store<M>>
where
    M: KeptView + crate::ui::store::Acts + 'static,
{
    use crate::ui::route::{Route, current_hash};
    let shared = yew::use_context::<SharedSession>();
    let store = yew::use_reducer({
        let shared = shared.clone();
        move || {
            let hash = current_hash();
            match shared {
                Some(shared) => crate::ui::store::Store {
                    model: kept(&shared, &hash),
                },
                None => crate::ui::store::Store::new(M::from_hash(&hash)),
            }
        }
    });
    let rerender = yew::use_force_update();
    // The address changed in the open page (`location.hash = '#/wordcount?partitions=3'`,
    // a link, Back): its setup is applied, or what cannot be used is reported, as when the
    // page opened at it.
    yew::use_effect_with((), move |_| {
        let route = Route::from_hash(&current_hash());
        let listener = shared
            .filter(|_| !in_lesson(&current_hash()))
            .and_then(|shared| {
                crate::ui::app::hash_listener(move || {
                    let hash = current_hash();
                    // Another view's address (this one is going) or a lesson's: not this setup.
                    if Route::from_hash(&hash) != route || in_lesson(&hash) {
                        return;
                    }
                    kept(&shared, &hash);
                    rerender.force_update();
                })
            });
        // The cleanup owns the listener; dropping it (when the view goes) unsubscribes.
        move || {
            let _listener = listener;
        }
    });
    store
}

impl PartialEq for SharedSession {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for SharedSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedSession")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::partitioner::partition_for_key;
    use crate::sim::timeline::Fold;

    /// What the Console does to the session's world (commands applied to the world
    /// directly, time advanced directly) joins the timeline: a rewind before it and a replay
    /// past it bring the topic back; changing the world while rewound drops the old future.
    #[test]
    fn an_address_changed_in_the_open_page_is_applied_or_reported() {
        use crate::ui::wordcount::model::Action as Wc;
        let shared = SharedSession::default();
        let model = shared.wordcount("#/wordcount");
        model.borrow_mut().act(Wc::Produce("hello kafka".into()));
        // What the learner did: the commands on the view's timeline.
        let records = |m: &Rc<RefCell<WordCountModel>>| m.borrow().timeline.script().len();
        let typed = records(&model);
        assert!(typed > 0);
        // The address the page shows for it, and the view's own address: nothing rebuilt.
        for hash in ["#/wordcount", "#/wordcount?seed=42&partitions=1&embed=1"] {
            let again = shared.wordcount(hash);
            assert!(Rc::ptr_eq(&again, &model), "{hash}");
            assert_eq!(records(&model), typed, "{hash}: the learner's lines stay");
            assert!(model.borrow().error.is_none());
        }
        // Another setup: rebuilt in place (the view's store holds the same model).
        let again = shared.wordcount("#/wordcount?partitions=3&cache=on");
        assert!(Rc::ptr_eq(&again, &model));
        assert_eq!(model.borrow().setup.partitions, 3);
        assert!(model.borrow().setup.caching);
        assert!(records(&model) < typed, "a new world");
        // The same setup with a parameter it cannot use: kept, and the problem is shown.
        model.borrow_mut().act(Wc::Produce("again".into()));
        let typed = records(&model);
        shared.wordcount("#/wordcount?partitions=3&cache=on&colour=red");
        assert_eq!(records(&model), typed);
        let error = model.borrow().error.clone().unwrap_or_default();
        assert!(error.contains("colour"), "{error}");
        // EDA vs SOA follows its address the same way.
        let compare = shared.compare("#/eda-vs-soa?flow=order");
        assert_eq!(compare.borrow().setup.flow.slug(), "order");
        let again = shared.compare("#/eda-vs-soa?flow=registration&fanout=sideways");
        assert!(Rc::ptr_eq(&again, &compare));
        assert_eq!(compare.borrow().setup.flow.slug(), "registration");
        let error = compare.borrow().error.clone().unwrap_or_default();
        assert!(error.contains("fanout"), "{error}");
        // A lesson's address never touches the learner's own.
        shared.wordcount("#/lessons/wordcount-basics?partitions=4");
        assert_eq!(model.borrow().setup.partitions, 3);
    }

    /// A Playground address met in the open page is followed as the address the page opens
    /// at: another setup starts it (the learner's work kept aside, or said to be lost), a
    /// parameter it cannot use is reported, and the addresses the page writes itself — the
    /// address bar following the settings — change nothing, so they never loop.
    #[test]
    fn a_playground_address_changed_in_the_open_page_is_followed() {
        let shared = SharedSession::default();
        shared.started_at("#/playground?groups=2&s=payload");
        let session = shared.session(|| Session::from_hash("#/playground?groups=2"));
        {
            let mut s = session.borrow_mut();
            s.run(6_000);
            s.act(Action::Produce {
                text: "alice:1".into(),
                partition: None,
                acks: Acks::All,
            });
            s.act(Action::IncreasePartitions { to: 4 });
            s.act(Action::SetAutoRate(5));
            s.act(Action::SetSpeed(2.345));
            s.run(1_000);
        }
        let script =
            |shared: &SharedSession| shared.get().map(|s| s.borrow().timeline.script().len());
        let before = script(&shared);
        let own = session.borrow().playground_address("#/playground?groups=2");
        assert_eq!(own, "#/playground?groups=2&partitions=4&rate=5&speed=2.3");
        for hash in [
            own.as_str(),
            "#/playground?speed=2.3&rate=5&partitions=4&groups=2&seed=42&embed=1",
            "#/playground",
            "#/console?partitions=9",
            "#/wordcount?partitions=3",
        ] {
            assert!(!shared.follow_address(hash, true), "{hash}");
            assert_eq!(script(&shared), before, "{hash}: the session is kept");
            assert_eq!(session.borrow().error, None, "{hash}");
        }
        // The setup the session stands on, with a parameter it cannot use: kept, reported.
        assert!(shared.follow_address(&format!("{own}&colour=red"), true));
        assert_eq!(script(&shared), before);
        assert_eq!(
            session.borrow().error.as_deref(),
            Some("Ignored the unknown URL parameter “colour”.")
        );
        // Another setup: started in the same session (the view's store holds it), with what
        // the address got wrong and where the learner's session went (no storage here).
        assert!(shared.follow_address("#/playground?partitions=7&groups=3&speed=abc", true));
        let started = shared.get().expect("the session");
        assert!(Rc::ptr_eq(&started, &session));
        {
            let mut s = session.borrow_mut();
            s.run(6_000);
            assert_eq!(s.world().topic(TOPIC).map(|t| t.partition_count()), Some(7));
            assert_eq!(s.world().groups().count(), 3);
            assert_eq!((s.auto_rate(), s.trace().produced), (0, 0), "a new world");
            let error = s.error.clone().unwrap_or_default();
            assert!(
                error.starts_with("Ignored speed=abc: the speed must be 0.1 to 20\n"),
                "{error}"
            );
            assert!(
                error.ends_with("Your previous session could not be kept (no browser storage outside the browser)."),
                "{error}"
            );
            s.error = None;
        }
        // That is now the setup the session stands on: the address the page writes for it
        // changes nothing.
        let own = session
            .borrow()
            .playground_address("#/playground?partitions=7&groups=3&speed=abc");
        assert_eq!(own, "#/playground?groups=3&partitions=7");
        assert!(!shared.follow_address(&own, true));
        // An embed's session is the teacher's figure: replaced, nothing kept or said.
        assert!(shared.follow_address("#/playground?partitions=2&embed=1", false));
        assert_eq!(session.borrow().error, None);
        // A page opened elsewhere stands on the first-load scene.
        let shared = SharedSession::default();
        shared.started_at("#/console?partitions=9");
        shared.session(|| Session::from_hash("#/console?partitions=9"));
        assert!(!shared.follow_address("#/playground?seed=42&partitions=3", true));
        assert!(shared.follow_address("#/playground?partitions=9", true));
    }

    #[test]
    fn changes_made_by_another_view_join_the_timeline() {
        let mut m = settled();
        m.act(Action::TogglePlay); // pause: only the console moves time now
        let created_at = m.world().now_ms() + 2_000;
        m.timeline.drive(|w| {
            w.advance(2_000).unwrap();
            w.apply(Command::CreateTopic {
                name: "from-console".into(),
                partitions: Some(2),
                replication_factor: None,
                configs: Vec::new(),
            })
            .unwrap();
            w.advance(40_000).unwrap();
        });
        assert_eq!(m.horizon_ms(), m.world().now_ms());
        assert!(m.timeline.script().iter().any(|c| c.at_ms == created_at));
        let end = m.world().now_ms();
        m.act(Action::Seek(created_at - 1));
        assert!(
            m.world().topic("from-console").is_none(),
            "not yet created then"
        );
        m.act(Action::Seek(end));
        assert_eq!(
            m.world().topic("from-console").map(|t| t.partition_count()),
            Some(2),
            "the replay re-creates it"
        );
        // Rewound, then the console acts: the recorded future is gone.
        m.act(Action::Seek(created_at - 1));
        m.timeline.drive(|w| {
            w.apply(Command::CreateTopic {
                name: "other".into(),
                partitions: Some(1),
                replication_factor: None,
                configs: Vec::new(),
            })
            .unwrap();
        });
        m.run(60_000);
        assert!(m.world().topic("other").is_some());
        assert!(
            m.world().topic("from-console").is_none(),
            "the old future was dropped"
        );
    }

    /// Found by `tests/fuzz.rs` (scenario input #28259 of the million-input run): a session
    /// opened just before a day of virtual time ran past it, and its next autosave or Share
    /// wrote a document that no longer loads. Now nothing is written; Share says why.
    #[test]
    fn a_session_past_a_day_writes_no_document_that_would_not_load() {
        let (setup, _) = Setup::from_params(&crate::ui::route::query_params(
            "#/playground?rate=0&speed=20",
        ));
        let mut m = Session::with_setup(&setup);
        m.run(1_000);
        let mut doc = m.to_doc("playground").expect("a short session is shared");
        assert_eq!(
            crate::sim::scenario::decode_link(&crate::sim::scenario::encode_link(&doc)),
            Ok(doc.clone())
        );
        doc.moment_ms = Some(crate::sim::scenario::TIME_MS_MAX - 10);
        doc.playground.playing = true;
        let mut m = Session::from_doc(&doc).expect("just within a day");
        assert!(m.to_doc("playground").is_some());
        for _ in 0..3 {
            m.act(Action::Frame { wall_ms: 16.7 });
        }
        assert!(m.world().now_ms() > crate::sim::scenario::TIME_MS_MAX);
        assert_eq!(m.to_doc("playground"), None);
    }

    /// Rewinding the busy scene and coming back shows the same counters and event log: the
    /// replay folds what happens slice by slice, as live play does frame by frame (taken
    /// whole, the world's bounded backlog of events dropped the oldest: 21,074 records
    /// produced were shown instead of 29,670).
    #[test]
    fn a_rewind_in_the_busy_scene_keeps_every_count() {
        let mut m = Session::from_hash("#/playground?partitions=12&groups=3&rate=1000&seed=1");
        for _ in 0..1_800 {
            m.act(Action::Frame {
                wall_ms: 1000.0 / 60.0,
            });
        }
        let counts = |m: &Session| (m.trace().produced, m.trace().consumed);
        let before = counts(&m);
        let last_line = m.trace().log.back().cloned();
        assert!(before.0 > 29_000, "{before:?}");
        let end = m.horizon_ms();
        m.act(Action::Seek(end - 9_000));
        assert!(counts(&m).0 < before.0);
        m.act(Action::Seek(end));
        assert_eq!(counts(&m), before);
        assert_eq!(m.trace().log.back().cloned(), last_line);
    }

    /// At 1000 records/s the steady load is one command, not a million: the script stays a
    /// few commands long; the reach holds the timeline's record budget (62,000 records held:
    /// the partitions' 15,000 and about 47 s of this load, not ten minutes: memory stays
    /// flat), and its oldest moment is rebuilt exactly.
    #[test]
    fn a_fast_session_keeps_its_script_short() {
        let (setup, _) = Setup::from_params(&crate::ui::route::query_params(
            "#/playground?rate=1000&speed=20&seed=3",
        ));
        let mut m = Session::with_setup(&setup);
        while m.world().now_ms() < 200_000 {
            m.act(Action::Frame { wall_ms: 10.0 });
        }
        assert!(
            m.timeline.script().len() < 20,
            "{} commands kept",
            m.timeline.script().len()
        );
        assert!(m.trace().produced > 190_000, "{}", m.trace().produced);
        let reach = m.horizon_ms() - m.earliest_ms();
        assert!(
            (40_000..=55_000).contains(&reach),
            "reach {reach} ms: the record budget, not the whole session"
        );
        let ends = log_ends(&m);
        let end = m.horizon_ms();
        let back = m.earliest_ms() + 5_000;
        m.act(Action::Seek(back));
        assert_eq!(m.world().now_ms(), back);
        m.act(Action::Seek(end));
        let again = log_ends(&m);
        assert_eq!(again, ends, "the replay rebuilds the same logs");
    }

    /// Another view keeping the clock (a Console left open) while the Playground is rewound
    /// does not drop the recorded future: its commands are applied as their times come.
    #[test]
    fn a_rebalance_after_a_crash_is_remembered_with_the_owners_before_and_after() {
        let mut m = Session::new(3);
        m.run(10_000);
        let history = m.trace().rebalances.get("billing").cloned().unwrap();
        let generation = history.generation;
        assert_eq!(history.owners.len(), 3, "{history:?}");
        let victim_client = history.owners[0].2.clone();
        let victim = m
            .world()
            .consumers()
            .find(|c| c.config.client_id == victim_client)
            .map(|c| c.id)
            .unwrap();
        m.act(Action::CrashConsumer(victim));
        m.run(60_000);
        let after = &m.trace().rebalances["billing"];
        assert_eq!(after.generation, generation + 1);
        let (from, before, _) = after.previous.clone().unwrap();
        assert_eq!(from, generation);
        assert_eq!(before, history.owners);
        assert!(
            after.owners.iter().all(|o| o.2 != victim_client),
            "{after:?}"
        );
        assert_eq!(after.owners.len(), 3);
    }

    #[test]
    fn acting_while_rewound_says_the_recorded_future_was_replaced() {
        let mut m = Session::new(5);
        m.run(20_000);
        let end = m.horizon_ms();
        m.act(Action::Seek(8_000));
        assert!(!m.timeline.is_live());
        assert_eq!(m.replaced_future, None, "rewinding alone replaces nothing");
        m.act(Action::Produce {
            text: "alice:1".to_string(),
            partition: None,
            acks: Acks::All,
        });
        assert_eq!(m.replaced_future, Some((8_000, end)));
        assert!(m.timeline.is_live(), "the recording now ends at the change");
        m.act(Action::DismissReplaced);
        assert_eq!(m.replaced_future, None);
        // Acting live replaces nothing.
        m.act(Action::Produce {
            text: "bob:2".to_string(),
            partition: None,
            acks: Acks::All,
        });
        assert_eq!(m.replaced_future, None);
    }

    #[test]
    fn a_view_ticking_the_clock_after_a_rewind_keeps_the_recorded_future() {
        let mut m = Session::new(1);
        m.run(6_000);
        m.act(Action::TogglePlay);
        let t0 = m.world().now_ms();
        m.act(Action::CreateTopic {
            name: "later".into(),
            partitions: 1,
            replication_factor: 1,
            cleanup_policy: "delete".into(),
        });
        m.run(20_000);
        let end = m.world().now_ms();
        m.act(Action::Seek(t0 - 1));
        assert!(m.world().topic("later").is_none());
        for _ in 0..10 {
            m.advance_with(16, |_, _| ());
        }
        assert!(
            m.world().topic("later").is_some(),
            "the recorded topic came at its time"
        );
        m.act(Action::Seek(end));
        assert!(m.world().topic("later").is_some());
        assert_eq!(m.horizon_ms(), end, "the future is still there");
    }

    #[test]
    fn a_speed_or_frame_that_is_not_a_number_does_not_freeze_the_clock() {
        let mut m = Session::new(1);
        m.act(Action::SetSpeed(f64::NAN));
        m.act(Action::Frame { wall_ms: f64::NAN });
        m.act(Action::Frame {
            wall_ms: f64::INFINITY,
        });
        let before = m.world().now_ms();
        m.act(Action::Frame { wall_ms: 100.0 });
        assert!(m.world().now_ms() > before, "time still moves");
        assert!(m.speed.is_finite());
    }

    /// The log-end offset of each partition of `orders`.
    fn log_ends(m: &Session) -> Vec<u64> {
        m.world()
            .topic(TOPIC)
            .map(|t| {
                t.partitions
                    .iter()
                    .map(|p| p.log.log_end_offset())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn settled() -> Session {
        let mut m = Session::new(1);
        m.run(6_000);
        m
    }

    #[test]
    fn first_load_has_the_scene_the_issue_describes() {
        let m = settled();
        assert_eq!(m.world().brokers().len(), 1);
        assert_eq!(m.world().topic(TOPIC).map(|t| t.partition_count()), Some(3));
        let g = m.world().group(GROUP).expect("billing");
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
        let part = &m.world().topic(TOPIC).expect("topic").partitions[p as usize];
        assert_eq!(part.log.log_end_offset(), 1);
        assert_eq!(m.trace().consumed, 1);
        assert!(
            m.trace()
                .log
                .iter()
                .any(|l| l.text.contains("appended offset 0"))
        );
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
            .trace()
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
        let mut m = Session::with_setup(&Setup {
            rate: 50,
            ..Setup::default()
        });
        assert_eq!(
            throughput(&m.trace().lag_history),
            None,
            "no figure before two samples"
        );
        for _ in 0..600 {
            m.act(Action::Frame { wall_ms: 20.0 });
        }
        let (appended, delivered) = throughput(&m.trace().lag_history).expect("sampled");
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
        // A burst holding more events than the log and the flights keep.
        let mut m = Session::with_setup(&Setup {
            playing: false,
            ..Setup::default()
        });
        m.run(6_000);
        let producer = m.producer;
        let (world, burst) = m.timeline.drive(|w| {
            for i in 0..2_000 {
                let _ = w.produce(producer, TOPIC, Some(&format!("k{i}")), "v");
            }
            let burst = w.advance(700).expect("advance");
            (w.clone(), burst)
        });
        assert!(
            burst.len() > LOG_LINES + MAX_FLIGHTS,
            "{} events",
            burst.len()
        );
        let mut at_once = Trace::new(TOPIC);
        let mut one_by_one = Trace::new(TOPIC);
        at_once.fold(&world, &burst);
        for e in burst {
            one_by_one.fold(&world, &[e]);
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
        let after = m.world().now_ms();
        m.act(Action::Produce {
            text: "k:v2".into(),
            partition: None,
            acks: Acks::All,
        });
        m.run(2_000);
        let total = |m: &Session| -> u64 {
            m.world()
                .topic(TOPIC)
                .map(|t| t.partitions.iter().map(|p| p.log.log_end_offset()).sum())
                .unwrap_or(0)
        };
        assert_eq!(total(&m), 2);
        m.act(Action::Seek(after));
        assert_eq!(m.world().now_ms(), after);
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
            .world()
            .consumers()
            .find(|c| c.assignment.len() == 2)
            .map(|c| c.id)
            .expect("a consumer with two partitions");
        m.act(Action::CrashConsumer(victim));
        m.run(60_000);
        let survivor = m
            .world()
            .consumers()
            .find(|c| c.id != victim)
            .expect("other");
        assert_eq!(survivor.assignment.len(), 3);
    }

    #[test]
    fn url_parameters_set_up_the_scene_and_bad_ones_are_reported() {
        let params = |q: &str| crate::ui::route::query_params(q);
        let (setup, problems) = Setup::from_params(&params(
            "#/playground?partitions=12&groups=3&rate=1000&seed=9",
        ));
        assert!(problems.is_empty());
        let mut m = Session::with_setup(&setup);
        m.run(6_000);
        assert_eq!(
            m.world().topic(TOPIC).map(|t| t.partition_count()),
            Some(12)
        );
        assert_eq!(m.world().groups().count(), 3);
        assert_eq!(m.auto_rate(), 1000);
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
        let mut m = Session::with_setup(&setup);
        let run_until = |m: &mut Session, until_ms: u64| {
            // 50 ms frames at 20×: a virtual second and 100 records each.
            while m.world().now_ms() < until_ms {
                m.act(Action::Frame { wall_ms: 50.0 });
            }
        };
        let ends = log_ends;
        // Ten virtual minutes at 100 records/s (issue #3's scenario): the whole session is within
        // reach, back to its first moment (before any record), and forward again to where it was.
        run_until(&mut m, 600_000);
        assert_eq!(m.earliest_ms(), 0);
        let (horizon, at_end) = (m.horizon_ms(), ends(&m));
        m.act(Action::Seek(0));
        assert_eq!(m.world().now_ms(), 0);
        assert_eq!(ends(&m).iter().sum::<u64>(), 0);
        assert_eq!(m.trace().produced, 0);
        m.act(Action::Seek(horizon));
        assert_eq!(m.world().now_ms(), horizon);
        assert_eq!(ends(&m), at_end);
        // Running on, the window slides and everything stays bounded: the partitions hold
        // their newest 15,000 records, so the 62,000 records the timeline may keep alive
        // reach back over about 47,000 appended, 7.8 minutes of this load.
        run_until(&mut m, 720_000);
        let reach = m.horizon_ms() - m.earliest_ms();
        assert!(
            (420_000..600_000).contains(&reach),
            "{reach} ms within reach"
        );
        assert!(m.timeline.script().len() < 20);
        let kept: u64 = m
            .world()
            .topic(TOPIC)
            .map(|t| t.partitions.iter().map(|p| p.log.len_records()).sum())
            .unwrap_or(0);
        assert!(kept <= 3 * u64::from(RECORDS_PER_PARTITION));
        assert!(m.trace().log.len() <= LOG_LINES);
        // Rewinding before the window lands on its start; inside it, on the moment asked.
        m.act(Action::Seek(0));
        assert_eq!(m.world().now_ms(), m.earliest_ms());
        assert!(m.earliest_ms() > 0);
        let target = m.horizon_ms() - 45_000;
        m.act(Action::Seek(target));
        assert_eq!(m.world().now_ms(), target);
    }

    #[test]
    fn a_rewound_world_matches_the_world_that_ran_straight_through() {
        fn session(m: &mut Session) {
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
        let mut straight = Session::new(8);
        session(&mut straight);
        let mut m = Session::new(8);
        session(&mut m);
        assert_eq!(ends(&m), ends(&straight));
        // Back to before the first produce, then forward to the same moment.
        m.act(Action::Select(Some((TOPIC.to_string(), 0, 0))));
        m.act(Action::Seek(2_000));
        assert_eq!(ends(&m).iter().sum::<u64>(), 0);
        assert_eq!(
            (m.trace().produced, m.trace().consumed),
            (0, 0),
            "counters show the earlier moment"
        );
        assert!(
            m.trace().log.iter().all(|l| l.at_ms <= 2_000),
            "no lines from the future"
        );
        assert_eq!(m.selected, None);
        let horizon = m.horizon_ms();
        m.run(horizon - 2_000);
        assert_eq!(m.world().now_ms(), straight.world().now_ms());
        assert_eq!(ends(&m), ends(&straight));
        let lag = |m: &Session| m.world().group_lag(GROUP);
        assert_eq!(lag(&m), lag(&straight));
        assert_eq!(
            (m.trace().produced, m.trace().consumed),
            (straight.trace().produced, straight.trace().consumed)
        );
        assert_eq!(m.trace().log, straight.trace().log);
    }

    #[test]
    fn a_new_group_uses_the_assignor_chosen_and_its_members_join() {
        let mut m = settled();
        m.act(Action::AddGroup {
            assignor: AssignorKind::CooperativeSticky,
        });
        m.run(8_000);
        let g = m.world().group("shipping").expect("the next free name");
        assert_eq!(g.protocol, Some(AssignorKind::CooperativeSticky));
        assert_eq!(g.state.name(), "Stable");
        let owned: usize = g.members.values().map(|m| m.assignment.len()).sum();
        assert_eq!((g.members.len(), owned), (2, 3));
        m.act(Action::AddConsumer {
            group: "shipping".into(),
        });
        m.run(8_000);
        let g = m.world().group("shipping").expect("shipping");
        assert_eq!(
            g.members.len(),
            3,
            "a third member joins with the group's assignor"
        );
        assert!(g.members.values().all(|m| m.assignment.len() == 1));
    }

    fn create(m: &mut Session, name: &str, partitions: u32, rf: u32, policy: &str) {
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
        assert!(m.world().topic("payments").is_none());
        assert_eq!(m.trace().topic, TOPIC, "a refused topic is not shown");
        create(&mut m, "orders", 1, 1, "delete");
        assert_eq!(
            m.topic_error.as_deref(),
            Some("Topic 'orders' already exists.")
        );
        m.act(Action::StartBroker(2));
        m.act(Action::StartBroker(3));
        m.run(1_000);
        let before = m.world().now_ms();
        m.run(1_000);
        create(&mut m, "payments", 4, 3, "compact");
        assert_eq!(m.topic_error, None);
        let t = m.world().topic("payments").expect("created");
        assert_eq!((t.partition_count(), t.replication_factor()), (4, 3));
        assert_eq!(
            t.overrides.get("cleanup.policy").map(String::as_str),
            Some("compact")
        );
        assert_eq!(m.trace().topic, "payments", "the new topic is shown");
        assert!(
            m.trace()
                .log
                .iter()
                .any(|l| l.text.contains("topic payments created"))
        );
        // It is a command on the timeline: gone when rewound before it, back when replayed.
        m.run(2_000);
        m.act(Action::Seek(before));
        assert!(m.world().topic("payments").is_none());
        assert_eq!(
            m.trace().topic,
            TOPIC,
            "the view falls back to a topic that exists"
        );
        m.run(3_000);
        assert!(m.world().topic("payments").is_some());
        // Produce goes to the shown topic.
        m.act(Action::ShowTopic("payments".into()));
        m.act(Action::Produce {
            text: "k:v".into(),
            partition: Some(2),
            acks: Acks::All,
        });
        m.run(2_000);
        let p = &m.world().topic("payments").expect("payments").partitions[2];
        assert_eq!(p.log.log_end_offset(), 1);
        // Internal and unknown topics are not shown.
        m.act(Action::ShowTopic("__consumer_offsets".into()));
        m.act(Action::ShowTopic("nope".into()));
        assert_eq!(m.trace().topic, "payments");
    }

    #[test]
    fn url_parameters_start_brokers_and_replicate_orders() {
        let params = |q: &str| crate::ui::route::query_params(q);
        let (setup, problems) = Setup::from_params(&params("#/playground?brokers=3&rf=3"));
        assert!(problems.is_empty(), "{problems:?}");
        let mut m = Session::with_setup(&setup);
        m.run(6_000);
        assert_eq!(m.world().live_brokers(), vec![1, 2, 3]);
        let t = m.world().topic(TOPIC).expect("orders");
        assert_eq!(t.replication_factor(), 3);
        assert!(t.partitions.iter().all(|p| p.isr.len() == 3));
        // Stopping a broker shrinks the ISR of every partition it held.
        m.act(Action::StopBroker(2));
        m.run(1_000);
        let t = m.world().topic(TOPIC).expect("orders");
        assert!(t.partitions.iter().all(|p| p.is_under_replicated()));
        let (setup, problems) = Setup::from_params(&params("#/playground?brokers=2&rf=3"));
        assert_eq!((setup.brokers, setup.replication_factor), (2, 1));
        assert_eq!(problems.len(), 1, "{problems:?}");
    }

    #[test]
    fn the_address_follows_the_settings_and_keeps_the_rest() {
        let mut m = settled();
        assert_eq!(m.playground_address("#/playground"), "#/playground?seed=1");
        m.act(Action::SetAutoRate(5));
        m.act(Action::SetSpeed(2.5));
        m.act(Action::IncreasePartitions { to: 4 });
        assert_eq!(
            m.playground_address("#/playground?groups=2&rate=9&s=xyz"),
            "#/playground?groups=2&seed=1&partitions=4&rate=5&speed=2.5"
        );
        let (setup, problems) = Setup::from_params(&crate::ui::route::query_params(
            &m.playground_address("#/playground?groups=2"),
        ));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!((setup.partitions, setup.rate, setup.speed), (4, 5, 2.5));
    }

    #[test]
    fn a_log_line_keeps_its_number_while_lines_are_added() {
        let mut m = Session::with_setup(&Setup {
            rate: 50,
            ..Setup::default()
        });
        for _ in 0..20 {
            m.act(Action::Frame { wall_ms: 20.0 });
        }
        let numbered = |m: &Session| -> Vec<(u64, LogLine)> {
            m.filtered_log().map(|(n, l)| (n, l.clone())).collect()
        };
        let before = numbered(&m);
        assert!(before.len() > 3, "lines logged: {}", before.len());
        assert_eq!(before.last().map(|l| l.0), Some(m.trace().log_version));
        assert!(before.windows(2).all(|w| w[1].0 == w[0].0 + 1));
        for _ in 0..20 {
            m.act(Action::Frame { wall_ms: 20.0 });
        }
        let after = numbered(&m);
        assert!(after.len() > before.len() || after.first() != before.first());
        for line in &before {
            if let Some(same) = after.iter().find(|l| l.0 == line.0) {
                assert_eq!(same.1, line.1, "line {} changed its number", line.0);
            }
        }
        assert!(
            before.iter().any(|l| after.contains(l)),
            "some lines are still in the log"
        );
    }

    #[test]
    fn exports_are_well_formed() {
        let mut m = settled();
        m.timeline.fold_mut().log.push_back(LogLine {
            at_ms: 1,
            category: "produce",
            text: "say \"hi\"\n".into(),
        });
        assert!(m.trace().log_csv().contains("\"say \"\"hi\"\"\n\""));
        assert!(m.trace().log_json().contains("say \\\"hi\\\"\\u000a"));
        assert!(m.trace().log_json().starts_with('['));
    }

    #[test]
    fn a_locked_clock_stays_in_its_range_and_stops_at_its_end() {
        let mut m = Session::with_setup(&Setup {
            rate: 5,
            ..Setup::default()
        });
        m.set_lock(Some(TimeLock {
            from_ms: 2_000,
            to_ms: Some(3_000),
        }));
        // The range lies ahead: time ran up to its start.
        assert_eq!(m.timeline.now_ms(), 2_000);
        assert!(m.trace().produced > 0);
        for _ in 0..100 {
            m.act(Action::Frame { wall_ms: 50.0 });
        }
        assert_eq!((m.timeline.now_ms(), m.playing), (3_000, false));
        m.act(Action::Step);
        assert_eq!(m.timeline.now_ms(), 3_000, "no step past the end");
        m.act(Action::Seek(0));
        assert_eq!(m.timeline.now_ms(), 2_000, "no seek before the start");
        m.act(Action::Seek(2_500));
        assert_eq!(m.timeline.now_ms(), 2_500);
        m.act(Action::Seek(9_000));
        assert_eq!(m.timeline.now_ms(), 3_000);
        // Play at the end plays the range again.
        m.act(Action::TogglePlay);
        assert_eq!((m.timeline.now_ms(), m.playing), (2_000, true));
        m.act(Action::Reset { seed: 7 });
        assert_eq!(m.timeline.now_ms(), 2_000, "a reset keeps the lock");
        m.go_to(2_400);
        assert_eq!(m.timeline.now_ms(), 2_400);
        m.go_to(100);
        assert_eq!(m.timeline.now_ms(), 2_000);
    }

    /// A lesson over WordCount or EDA vs SOA runs on its own world: the learner's (what
    /// #/wordcount and #/eda-vs-soa show) is the same model, untouched, after it.
    #[test]
    fn a_lesson_leaves_the_learners_wordcount_and_compare_as_they_were() {
        let shared = SharedSession::default();
        let mine = shared.wordcount("#/wordcount");
        mine.borrow_mut()
            .act(crate::ui::wordcount::model::Action::Produce(
                "my own line".into(),
            ));
        let mine_before = format!("{:?}", mine.borrow());
        let my_compare = shared.compare("#/eda-vs-soa");

        let lesson = shared.fresh_wordcount("#/wordcount?seed=42");
        assert!(Rc::ptr_eq(
            &lesson,
            &shared.wordcount("#/lessons/wordcount/2")
        ));
        assert!(!Rc::ptr_eq(&lesson, &mine));
        lesson
            .borrow_mut()
            .act(crate::ui::wordcount::model::Action::Produce(
                "lesson line".into(),
            ));
        let lesson_compare = shared.fresh_compare("#/eda-vs-soa?seed=42");
        assert!(Rc::ptr_eq(
            &lesson_compare,
            &shared.compare("#/lessons/requests-vs-events")
        ));

        assert!(Rc::ptr_eq(&mine, &shared.wordcount("#/wordcount")));
        assert_eq!(
            format!("{:?}", shared.wordcount("#/wordcount").borrow()),
            mine_before
        );
        assert!(Rc::ptr_eq(&my_compare, &shared.compare("#/eda-vs-soa")));
        assert!(!in_lesson("#/lessons"));
        assert!(!in_lesson("#/lessons?src=x.txt"));
        assert!(in_lesson("#/lessons/wordcount"));
    }
}
