//! The WordCount view's model: one `World` running Kafka's `WordCountDemo` by hand (the
//! application waits for steps), the learner's undo stack, and what the view reads from the
//! engine (the bound topology, the last steps, stores and topics). Plain Rust, tested
//! natively; the Yew component only dispatches [`Action`]s and draws.
//!
//! Stepping is the engine's own path: `Command::StreamsStep` / `StreamsFinishRecord`, the same
//! code a running application takes. When nothing is buffered, a step first lets virtual time
//! run, event by event, until the application's consumer has fetched something (or its commit
//! is due, which flushes the record cache) — at most [`MAX_IDLE_MS`] of virtual time.
//!
//! Going back: the world lives on a [`Timeline`] (`sim::timeline`, the one place that rewinds
//! anything). Before each learner action the model keeps a mark (the timeline's moment: the
//! virtual time and the commands applied), and every [`CHECKPOINT_EVERY`] marks the timeline
//! saves a checkpoint. Back seeks to the previous mark; the next action then drops the recorded
//! future, as the timeline does for every view. Bounded: at most [`MAX_MARKS`] marks and
//! `MAX_MARKS / CHECKPOINT_EVERY + 2` checkpoints (older moments become unreachable).

use std::collections::VecDeque;

use crate::sim::vecmap::VecMap;

use crate::sim::command::{Command, NewRecord, Outcome, StreamsExample};
use crate::sim::scenario::WordCountSettings;
use crate::sim::streams::examples::{WORD_COUNT_INPUT, WORD_COUNT_OUTPUT};
use crate::sim::streams::task::Program;
use crate::sim::streams::{StepKind, StepReport, StreamsApp, Value};
use crate::sim::timeline::{Limits, Moment, Timeline};
use crate::sim::world::{InFlightStage, WorldConfig};
use crate::sim::{SimError, World};

/// The three lines of Kafka's Streams quickstart.
pub const EXAMPLE_LINES: [&str; 3] = [
    "all streams lead to kafka",
    "hello kafka streams",
    "join kafka summit",
];

/// A small corpus for watching counts grow.
pub const SAMPLE_CORPUS: [&str; 4] = [
    "the log is the truth",
    "a stream is a log of events",
    "a table is the latest value per key",
    "the stream and the table are two views of the log",
];

/// Learner actions the view can go back over.
pub const MAX_MARKS: usize = 500;
/// Marks between world clones.
pub const CHECKPOINT_EVERY: usize = 25;
/// Virtual time a step may let pass looking for work while the record cache holds updates (a
/// little over the commit interval, so the commit flushes them).
pub const MAX_IDLE_MS: u64 = 31_000;
/// Virtual time a step may let pass looking for work otherwise: records on their way to the
/// application (produce, linger, fetch) arrive well within it.
pub const MAX_IDLE_UNCACHED_MS: u64 = 5_000;
/// Longest line accepted from the text box, in characters.
pub const MAX_LINE_CHARS: usize = 2_000;
/// Most lines one submission may produce.
pub const MAX_LINES: usize = 50;
/// Most steps one animation frame runs.
pub const MAX_STEPS_PER_FRAME: u32 = 20;
/// Records per topic partition the view lists (the newest).
pub const RECORDS_SHOWN: u32 = 12;

/// `statestore.cache.max.bytes` when the learner turns the cache on: Kafka's default.
pub const DEFAULT_CACHE_BYTES: u64 = 10_485_760;

/// How the view starts: `#/wordcount?partitions=2&cache=on&seed=7`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setup {
    pub seed: u64,
    /// Partitions of the input topic (so stream tasks per sub-topology): 1–4.
    pub partitions: u32,
    /// Kafka's default record cache (10 MB, commit every 30 s) instead of WordCountDemo's 0.
    pub caching: bool,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            seed: 42,
            partitions: 1,
            caching: false,
        }
    }
}

impl Setup {
    /// Reads URL parameters; returns the setup and a message for each value it could not use.
    pub fn from_params(params: &[(String, String)]) -> (Setup, Vec<String>) {
        use crate::ui::route::{SEED_RULE, number_in, read_params};
        let mut setup = Setup::default();
        let problems = read_params(params, |key, value| {
            Some(match key {
                "seed" => number_in(value, 0, u64::MAX, SEED_RULE).map(|n| setup.seed = n),
                "partitions" => number_in(value, 1, 4, "partitions must be 1 to 4")
                    .map(|n| setup.partitions = n as u32),
                "cache" => match value {
                    "on" | "true" | "1" => Ok(true),
                    "off" | "false" | "0" => Ok(false),
                    _ => Err("cache must be on or off"),
                }
                .map(|on| setup.caching = on),
                _ => return None,
            })
        });
        (setup, problems)
    }
}

/// The view's world: Kafka's defaults, but the group forms at once (no initial rebalance delay).
fn world_config() -> WorldConfig {
    WorldConfig {
        group_initial_rebalance_delay_ms: 0,
        ..WorldConfig::default()
    }
}

/// The view's timeline bounds: checkpoints come with the learner's actions (stepping barely
/// moves the clock), at most one per [`CHECKPOINT_EVERY`] marks.
fn limits() -> Limits {
    Limits {
        checkpoint_every_ms: u64::MAX,
        checkpoints_max: MAX_MARKS / CHECKPOINT_EVERY + 2,
        script_max: MAX_MARKS * 2,
        // WordCount's input is the learner's lines: the marks bound it.
        reach_records_max: u64::MAX,
        reach_records_min: u64::MAX,
        checkpoint_every_records: u64::MAX,
    }
}

/// Everything the learner can ask of the WordCount view.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// An animation frame while running: `wall_ms` of real time passed.
    Frame {
        wall_ms: f64,
    },
    TogglePlay,
    /// Steps per second while running.
    SetSpeed(f64),
    /// One record through one processor node.
    StepNode,
    /// The record in progress through the whole topology.
    StepRecord,
    /// Undo the last action.
    Back,
    /// Produce each non-empty line of the text to the input topic.
    Produce(String),
    /// Start over.
    Reset(Setup),
    DismissError,
}

/// A record of a topic as the view lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownRecord {
    pub partition: u32,
    pub offset: u64,
    pub key: String,
    pub value: String,
}

/// A record sent to a topic that its log does not hold yet, as the view lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InFlightShown {
    pub partition: u32,
    pub key: String,
    pub value: String,
    pub stage: InFlightStage,
    /// Sent by the Streams application (else by the view's producer, the learner's lines).
    pub by_app: bool,
}

/// The WordCount view's state.
#[derive(Clone, Debug)]
pub struct Model {
    pub setup: Setup,
    /// The view's world and everything it recorded.
    pub timeline: Timeline,
    /// The Streams application's id.
    pub app: u32,
    producer: u32,
    /// The moment before each learner action, oldest first.
    marks: VecDeque<Moment>,
    /// Marks pushed since the start (checkpoints are taken every [`CHECKPOINT_EVERY`]).
    marks_pushed: u64,
    pub running: bool,
    /// Steps per second while running.
    pub speed: f64,
    budget: f64,
    /// What the last action did, for the live region.
    pub announcement: String,
    pub error: Option<String>,
}

impl Model {
    /// The model the address asks for (`#/…?seed=…`); parameters it cannot use are reported
    /// in its error, and the rest still apply.
    pub fn from_hash(hash: &str) -> Self {
        let (setup, error) = crate::ui::route::setup_from_hash(hash, Setup::from_params);
        let mut model = Self::new(setup);
        if error.is_some() {
            model.error = error;
        }
        model
    }

    /// A world with the quickstart's topics, `WordCountDemo` started by hand and a producer.
    pub fn new(setup: Setup) -> Self {
        let mut timeline = Timeline::new(setup.seed, world_config(), (), limits());
        let prepared = timeline.drive(|world| Self::prepare(world, setup));
        timeline.checkpoint_now();
        let mut model = Self::empty(setup, timeline);
        match prepared {
            Ok((app, producer)) => {
                model.app = app;
                model.producer = producer;
                model.announcement =
                    "WordCountDemo is running, waiting for steps. Type a line or pick an example."
                        .to_string();
            }
            // Cannot happen with the fixed setup; shown rather than hidden if it does.
            Err(e) => model.error = Some(e.message().to_string()),
        }
        model
    }

    /// The view's address for its setup (see [`crate::ui::route::address_with`]): `seed`,
    /// `partitions` and `cache`, defaults left out; an embed's parameters stay as they were,
    /// parameters the view could not use go (it said so).
    pub fn address(&self, address: &str) -> String {
        use crate::ui::route::unless_default;
        let defaults = Setup::default();
        crate::ui::route::address_with(
            crate::ui::route::Route::WordCount,
            address,
            &[
                ("seed", unless_default(self.setup.seed, defaults.seed)),
                (
                    "partitions",
                    unless_default(self.setup.partitions, defaults.partitions),
                ),
                (
                    "cache",
                    (self.setup.caching != defaults.caching)
                        .then(|| if self.setup.caching { "on" } else { "off" }.to_string()),
                ),
            ],
            |key| crate::ui::route::EMBED_PARAMS.contains(&key),
        )
    }

    /// The view as a scenario document keeps it (`sim::scenario`).
    pub fn settings(&self) -> Option<WordCountSettings> {
        let scenario = self.timeline.scenario()?;
        Some(WordCountSettings {
            seed: self.setup.seed,
            partitions: self.setup.partitions,
            cache: self.setup.caching,
            commands: scenario.commands,
            moment_ms: self.timeline.now_ms(),
            app: self.app,
            producer: self.producer,
        })
    }

    /// The view a scenario document describes, at its moment; an error says why it cannot be
    /// rebuilt.
    pub fn from_settings(settings: &WordCountSettings) -> Result<Self, String> {
        let setup = Setup {
            seed: settings.seed,
            partitions: settings.partitions.clamp(1, 4),
            caching: settings.cache,
        };
        let scenario = crate::sim::command::Scenario {
            seed: settings.seed,
            config: world_config(),
            commands: settings.commands.clone(),
        };
        let at = settings.moment_ms;
        let mut timeline = Timeline::from_scenario(&scenario, at, at, (), limits())
            .map_err(|e| format!("WordCount's scenario does not replay: {}", e.message()))?;
        timeline.checkpoint_now();
        if timeline.world().streams_app(settings.app).is_none()
            || timeline.world().producer(settings.producer).is_none()
        {
            return Err(
                "WordCount's scenario does not start WordCountDemo and a producer.".to_string(),
            );
        }
        let mut model = Self::empty(setup, timeline);
        model.app = settings.app;
        model.producer = settings.producer;
        model.announcement = "WordCount as it was shared. Step on, or type a line.".to_string();
        Ok(model)
    }

    fn empty(setup: Setup, timeline: Timeline) -> Self {
        Self {
            setup,
            timeline,
            app: 0,
            producer: 0,
            marks: VecDeque::new(),
            marks_pushed: 0,
            running: false,
            speed: 4.0,
            budget: 0.0,
            announcement: String::new(),
            error: None,
        }
    }

    /// The world at the moment shown.
    pub fn world(&self) -> &World {
        self.timeline.world()
    }

    fn prepare(world: &mut World, setup: Setup) -> Result<(u32, u32), SimError> {
        world.apply(Command::CreateTopic {
            name: WORD_COUNT_INPUT.to_string(),
            partitions: Some(setup.partitions.clamp(1, 4)),
            replication_factor: Some(1),
            configs: Vec::new(),
        })?;
        world.apply(Command::CreateTopic {
            name: WORD_COUNT_OUTPUT.to_string(),
            partitions: Some(1),
            replication_factor: Some(1),
            configs: vec![("cleanup.policy".to_string(), "compact".to_string())],
        })?;
        let app = world.start_streams_example(
            StreamsExample::WordCountDemo,
            setup.caching.then_some(DEFAULT_CACHE_BYTES),
            None,
            true,
        )?;
        let producer = world.add_producer()?;
        // Let the application join its group and create its tasks.
        for _ in 0..50 {
            if world
                .streams_app(app)
                .is_some_and(|a| a.thread().tasks().next().is_some())
            {
                break;
            }
            world.advance(100)?;
        }
        Ok((app, producer))
    }

    /// The running application.
    pub fn app(&self) -> Option<&StreamsApp> {
        self.world().streams_app(self.app)
    }

    /// The topology bound to the application (real topic names).
    pub fn program(&self) -> Option<&Program> {
        self.app().map(|a| a.thread().program())
    }

    /// The most recent step, if any.
    pub fn last_step(&self) -> Option<&StepReport> {
        self.app().and_then(|a| a.recent_steps().back())
    }

    /// The most recent step through each node, by node name.
    pub fn last_step_per_node(&self) -> VecMap<&str, &StepReport> {
        let mut out = VecMap::default();
        if let Some(app) = self.app() {
            for step in app.recent_steps().iter().rev() {
                out.entry(&*step.node).or_insert(step);
            }
        }
        out
    }

    /// Whether there is an earlier moment to go back to.
    pub fn can_go_back(&self) -> bool {
        !self.marks.is_empty()
    }

    /// Remembers the moment before an action (and checkpoints every few marks). Returns
    /// whether a mark was pushed (not when the moment is the last mark already).
    fn push_mark(&mut self) -> bool {
        let mark = self.timeline.moment();
        if self.marks.back() == Some(&mark) {
            return false;
        }
        self.marks.push_back(mark);
        // Counted over the whole session: once `marks` is full its length stays put.
        self.marks_pushed += 1;
        if self.marks_pushed.is_multiple_of(CHECKPOINT_EVERY as u64) {
            self.timeline.checkpoint_now();
        }
        // Marks the timeline can no longer rebuild exactly are dropped with the rest.
        let earliest = self.timeline.earliest_moment();
        while self.marks.len() > MAX_MARKS
            || self
                .marks
                .front()
                .is_some_and(|m| m.commands < earliest.commands || m.at_ms < earliest.at_ms)
        {
            self.marks.pop_front();
        }
        true
    }

    /// Applies a command and records it on the timeline (a refused command is not, except a
    /// failed Streams step, which stopped the application).
    fn command(&mut self, command: Command) -> Result<Outcome, SimError> {
        self.timeline.apply(command)
    }

    /// Lets virtual time run until the application has something to step, its commit is due
    /// or [`MAX_IDLE_MS`] pass ([`MAX_IDLE_UNCACHED_MS`] when the cache holds nothing). Returns
    /// whether there is work.
    fn wait_for_work(&mut self) -> bool {
        let start = self.world().now_ms();
        loop {
            let Some(app) = self.app() else { return false };
            if !app.is_alive() {
                return false;
            }
            if !app.thread().is_idle() {
                return true;
            }
            let now = self.world().now_ms();
            let limit = if app.thread().has_dirty_cache() {
                MAX_IDLE_MS
            } else {
                MAX_IDLE_UNCACHED_MS
            };
            let Some(next) = self.world().next_event_ms() else {
                return false;
            };
            if next.saturating_sub(start) > limit {
                return false;
            }
            if self.timeline.advance(next.saturating_sub(now)).is_err() {
                return false;
            }
        }
    }

    /// Runs one step (one record through one node); `false` when there is nothing to do.
    fn step_node(&mut self) -> bool {
        if !self.wait_for_work() {
            self.nothing_to_do();
            return false;
        }
        self.run_steps(Command::StreamsStep { app: self.app }, |steps| {
            steps.last().map(describe_step).unwrap_or_default()
        })
    }

    fn step_record(&mut self) -> bool {
        if !self.wait_for_work() {
            self.nothing_to_do();
            return false;
        }
        self.run_steps(Command::StreamsFinishRecord { app: self.app }, |steps| {
            let first = steps
                .first()
                .map(|s| record_text(&s.input))
                .unwrap_or_default();
            format!(
                "The record {first} went through {} processor steps.",
                steps.len()
            )
        })
    }

    /// Runs a stepping command; when it stepped, `announce` says what happened (announced to
    /// assistive technology). `false` when there was nothing to do or the step failed.
    fn run_steps(
        &mut self,
        command: Command,
        announce: impl FnOnce(&[StepReport]) -> String,
    ) -> bool {
        match self.command(command) {
            Ok(Outcome::Steps(steps)) if !steps.is_empty() => {
                self.announcement = announce(&steps);
                true
            }
            Ok(_) => {
                self.nothing_to_do();
                false
            }
            Err(e) => {
                self.fail(e);
                false
            }
        }
    }

    fn nothing_to_do(&mut self) {
        self.running = false;
        self.announcement = match self.app() {
            Some(app) if !app.is_alive() => format!(
                "The application stopped ({}): {}",
                app.state().name(),
                app.error().map(ToString::to_string).unwrap_or_default()
            ),
            _ => "Nothing left to process. Type a line or pick an example.".to_string(),
        };
    }

    fn fail(&mut self, e: SimError) {
        self.running = false;
        self.error = Some(e.message().to_string());
    }

    fn produce(&mut self, text: &str) {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if lines.is_empty() {
            self.error = Some("Type a line of text first, then press Enter.".to_string());
            return;
        }
        if lines.len() > MAX_LINES {
            self.error = Some(format!(
                "That is {} lines; send at most {MAX_LINES} at once.",
                lines.len()
            ));
            return;
        }
        if let Some(long) = lines.iter().find(|l| l.chars().count() > MAX_LINE_CHARS) {
            self.error = Some(format!(
                "A line of {} characters is too long to follow here; keep lines under {MAX_LINE_CHARS} characters.",
                long.chars().count()
            ));
            return;
        }
        let _ = self.push_mark();
        for line in &lines {
            let record = NewRecord::new(WORD_COUNT_INPUT, None, line);
            if let Err(e) = self.command(Command::Produce {
                producer: self.producer,
                record,
            }) {
                self.fail(e);
                return;
            }
        }
        self.error = None;
        self.announcement = if lines.len() == 1 {
            format!("Produced “{}” to {WORD_COUNT_INPUT}.", lines[0])
        } else {
            format!("Produced {} lines to {WORD_COUNT_INPUT}.", lines.len())
        };
    }

    /// Rebuilds the world at the previous mark.
    fn back(&mut self) {
        let Some(mark) = self.marks.pop_back() else {
            self.announcement = "This is the earliest moment kept.".to_string();
            return;
        };
        self.running = false;
        self.timeline.seek_moment(mark);
        // Back is an undo: the steps after the mark are gone, not replayed by the next one.
        self.timeline.drop_future();
        self.error = None;
        self.announcement = "Went back one step.".to_string();
    }

    /// Records in the input topic (lines produced and arrived).
    pub fn input_records(&self) -> u64 {
        self.world().topic(WORD_COUNT_INPUT).map_or(0, |t| {
            t.partitions.iter().map(|p| p.log.log_end_offset()).sum()
        })
    }

    /// Applies an action.
    pub fn act(&mut self, action: Action) {
        match action {
            Action::Frame { wall_ms } => self.frame(wall_ms),
            Action::TogglePlay => {
                self.running = !self.running;
                self.budget = 0.0;
                if self.running {
                    self.announcement = "Running.".to_string();
                } else {
                    self.announcement = "Paused.".to_string();
                }
            }
            Action::SetSpeed(speed) => {
                if speed.is_finite() {
                    self.speed = speed.clamp(0.5, 60.0);
                }
            }
            Action::StepNode => {
                self.running = false;
                let _ = self.push_mark();
                self.step_node();
            }
            Action::StepRecord => {
                self.running = false;
                let _ = self.push_mark();
                self.step_record();
            }
            Action::Back => self.back(),
            Action::Produce(text) => self.produce(&text),
            Action::Reset(setup) => {
                let speed = self.speed;
                *self = Model::new(setup);
                self.speed = speed;
            }
            Action::DismissError => self.error = None,
        }
    }

    fn frame(&mut self, wall_ms: f64) {
        if !self.running || !wall_ms.is_finite() {
            return;
        }
        self.budget += wall_ms.clamp(0.0, 250.0) / 1000.0 * self.speed;
        let mut steps = 0;
        while self.budget >= 1.0 && steps < MAX_STEPS_PER_FRAME {
            self.budget -= 1.0;
            steps += 1;
            let pushed = self.push_mark();
            if !self.step_node() {
                // Nothing happened: this moment needs no mark of its own.
                if pushed {
                    self.marks.pop_back();
                }
                break;
            }
        }
        if self.budget > 1.0 {
            self.budget = 1.0;
        }
    }

    // -----------------------------------------------------------------------------------------
    // What the view lists

    /// The newest records of each partition of `topic` (at most [`RECORDS_SHOWN`] each);
    /// values of 8 bytes are shown as a Long when `long_values`.
    pub fn records(&self, topic: &str, long_values: bool) -> Vec<Vec<ShownRecord>> {
        let Some(t) = self.world().topic(topic) else {
            return Vec::new();
        };
        t.partitions
            .iter()
            .map(|p| {
                let end = p.log.log_end_offset();
                let from = end
                    .saturating_sub(u64::from(RECORDS_SHOWN))
                    .max(p.log.log_start_offset());
                p.log
                    .read(from, RECORDS_SHOWN)
                    .into_iter()
                    .map(|r| ShownRecord {
                        partition: p.id,
                        offset: r.offset,
                        key: bytes_text(r.key.as_deref(), false),
                        value: bytes_text(r.value.as_deref(), long_values),
                    })
                    .collect()
            })
            .collect()
    }

    /// The records sent to `topic` (by the application or the learner's producer) that its
    /// log does not hold yet, in the order they will arrive; values of 8 bytes are shown as a
    /// Long when `long_values`.
    pub fn in_flight(&self, topic: &str, long_values: bool) -> Vec<InFlightShown> {
        let app_producer = self.app().map(StreamsApp::producer);
        let mut producers: Vec<u32> = app_producer.into_iter().collect();
        producers.push(self.producer);
        producers.dedup();
        let mut out = Vec::new();
        for producer in producers {
            for r in self.world().records_in_flight(producer) {
                if &*r.topic != topic {
                    continue;
                }
                out.push(InFlightShown {
                    partition: r.partition,
                    key: bytes_text(r.key.as_deref(), false),
                    value: bytes_text(r.value.as_deref(), long_values),
                    stage: r.stage,
                    by_app: Some(producer) == app_producer,
                });
            }
        }
        out
    }

    /// Whether a record a step sent is still on its way to its topic (else the topic has it,
    /// or had it: the view lists the newest records only). Compared byte for byte, as the
    /// application's serdes write it (a String as UTF-8, a Long as 8 bytes big-endian).
    pub fn sent_is_in_flight(&self, sent: &crate::sim::streams::task::SentRecord) -> bool {
        fn bytes(v: Option<&Value>) -> Option<Vec<u8>> {
            v.map(|v| match v {
                Value::Str(s) => s.as_bytes().to_vec(),
                Value::Long(n) => n.to_be_bytes().to_vec(),
            })
        }
        let Some(app) = self.app() else { return false };
        let (key, value) = (bytes(sent.key.as_ref()), bytes(sent.value.as_ref()));
        self.world()
            .records_in_flight(app.producer())
            .iter()
            .any(|r| {
                r.topic == sent.topic
                    && r.partition == sent.partition
                    && r.key.as_deref() == key.as_deref()
                    && r.value.as_deref() == value.as_deref()
            })
    }

    /// Records a topic holds (log-end minus log-start offsets, over its partitions).
    pub fn topic_records(&self, topic: &str) -> u64 {
        self.world().topic(topic).map_or(0, |t| {
            t.partitions
                .iter()
                .map(|p| {
                    p.log
                        .log_end_offset()
                        .saturating_sub(p.log.log_start_offset())
                })
                .sum()
        })
    }

    /// The application's id (`application.id`), the prefix of its internal topics.
    pub fn application_id(&self) -> &str {
        self.app().map_or("", StreamsApp::application_id)
    }

    /// Every record of the output topic, oldest first (a consumer reading from the beginning
    /// sees these), at most `max` of the newest.
    pub fn output_log(&self, max: u32) -> Vec<ShownRecord> {
        let mut out = Vec::new();
        if let Some(t) = self.world().topic(WORD_COUNT_OUTPUT) {
            for p in &t.partitions {
                let end = p.log.log_end_offset();
                let from = end
                    .saturating_sub(u64::from(max))
                    .max(p.log.log_start_offset());
                for r in p.log.read(from, max) {
                    out.push(ShownRecord {
                        partition: p.id,
                        offset: r.offset,
                        key: bytes_text(r.key.as_deref(), false),
                        value: bytes_text(r.value.as_deref(), true),
                    });
                }
            }
        }
        out
    }

    /// The output topic as the log cleaner leaves it: the latest value per key (tombstones
    /// remove the key), by key.
    pub fn output_compacted(&self) -> Vec<(String, String)> {
        let mut latest: VecMap<String, Option<String>> = VecMap::default();
        if let Some(t) = self.world().topic(WORD_COUNT_OUTPUT) {
            for p in &t.partitions {
                for r in p.log.read(p.log.log_start_offset(), u32::MAX) {
                    let key = bytes_text(r.key.as_deref(), false);
                    let value = r.value.as_deref().map(|v| bytes_text(Some(v), true));
                    latest.insert(key, value);
                }
            }
        }
        latest
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect()
    }

    /// The count store of every task: (task, word, count), by task then word.
    pub fn store_rows(&self) -> Vec<(String, String, String)> {
        let mut rows = Vec::new();
        if let Some(app) = self.app() {
            for task in app.thread().tasks() {
                for (_, store) in task.stores() {
                    for (_, stored) in store.entries() {
                        rows.push((
                            task.id().to_string(),
                            value_text(Some(&stored.key)),
                            value_text(Some(&stored.value)),
                        ));
                    }
                }
            }
        }
        rows
    }
}

/// A value as the view shows it (`null` for none).
pub fn value_text(value: Option<&Value>) -> String {
    match value {
        Some(Value::Str(s)) => format!("“{s}”"),
        Some(v) => v.to_string(),
        None => "null".to_string(),
    }
}

/// A key or value of a record in flight through the topology: a Long is labelled as the
/// count it is (WordCountDemo's only Long is `count()`'s), so the number has its noun.
pub fn field_text(value: Option<&Value>) -> String {
    match value {
        Some(Value::Long(n)) => format!("count {n}"),
        other => value_text(other),
    }
}

/// `(key, value)` of a stream record: `(null, “hello kafka”)`, `(“kafka”, count 2)`.
pub fn record_text(record: &crate::sim::streams::StreamRecord) -> String {
    format!(
        "({}, {})",
        field_text(record.key.as_ref()),
        field_text(record.value.as_ref())
    )
}

/// Bytes as text: a big-endian Long when asked and 8 bytes long, else UTF-8 (lossy).
pub fn bytes_text(bytes: Option<&[u8]>, long: bool) -> String {
    match bytes {
        None => "null".to_string(),
        Some(b) if long && b.len() == 8 => {
            let mut array = [0u8; 8];
            array.copy_from_slice(b);
            i64::from_be_bytes(array).to_string()
        }
        Some(b) => String::from_utf8_lossy(b).into_owned(),
    }
}

/// A Kafka-generated name as the view shows it: without the application's prefix
/// (`streams-wordcount-`), without `KSTREAM-`/`KTABLE-`, and with the ten-digit index without
/// its leading zeros: `KSTREAM-SOURCE-0000000000` → `SOURCE-0`,
/// `streams-wordcount-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition` →
/// `AGGREGATE-STATE-STORE-3-repartition`. Only the display shortens: the engine, the topics
/// and `describe()` keep Kafka's names, and the view offers the full one.
pub fn short_name(full: &str, application_id: &str) -> String {
    let mut name = full;
    if !application_id.is_empty()
        && let Some(rest) = name.strip_prefix(application_id)
        && let Some(rest) = rest.strip_prefix('-')
        && rest.contains("KSTREAM-")
    {
        name = rest;
    }
    for prefix in ["KSTREAM-", "KTABLE-"] {
        if let Some(rest) = name.strip_prefix(prefix) {
            name = rest;
        }
    }
    name.split('-')
        .map(|part| {
            if part.len() == 10 && part.bytes().all(|b| b.is_ascii_digit()) {
                let trimmed = part.trim_start_matches('0');
                if trimmed.is_empty() { "0" } else { trimmed }
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// What a task id means: `0_1` is sub-topology 0's task for partition 1.
pub fn task_meaning(task: &str) -> String {
    match task.split_once('_') {
        Some((sub, partition)) => {
            format!("task {task}: sub-topology {sub}, input partition {partition}")
        }
        None => format!("task {task}"),
    }
}

/// One sentence about a step, for the live region.
pub fn describe_step(step: &StepReport) -> String {
    let node = &*step.node;
    let input = record_text(&step.input);
    if step.kind == StepKind::CacheFlush {
        return format!(
            "Commit: the record cache flushed {input} from {node} in task {} to the store, the changelog and downstream.",
            step.task
        );
    }
    if let Some(reason) = &step.dropped {
        return format!("{node} in task {} dropped {input}: {reason}", step.task);
    }
    let mut text = format!("{node} in task {} took {input}", step.task);
    match step.outputs.len() {
        0 => {}
        1 => text.push_str(&format!(
            " and passed on {}",
            step.outputs
                .first()
                .map(|f| record_text(&f.record))
                .unwrap_or_default()
        )),
        n => text.push_str(&format!(" and passed on {n} records")),
    }
    for change in &step.store_changes {
        text.push_str(&format!(
            "; {} {} → {}{}",
            value_text(Some(&change.key)),
            value_text(change.old.as_ref()),
            value_text(change.new.as_ref()),
            if change.cached { " (in the cache)" } else { "" }
        ));
    }
    for sent in &step.sent {
        text.push_str(&format!("; sent to {}-{}", sent.topic, sent.partition));
    }
    text.push('.');
    text
}

/// The WordCount model behind Yew's reducer.
pub type Store = crate::ui::store::Store<Model>;

impl crate::ui::store::Acts for Model {
    type Action = Action;

    fn act(&mut self, action: Action) {
        Model::act(self, action);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count_of(model: &Model, word: &str) -> Option<String> {
        model
            .store_rows()
            .into_iter()
            .find(|(_, w, _)| w == &format!("“{word}”"))
            .map(|(_, _, c)| c)
    }

    fn run_all(model: &mut Model) -> u32 {
        let mut steps = 0;
        while model.step_node() {
            steps += 1;
            assert!(steps < 10_000, "stepping never ends");
        }
        steps
    }

    #[test]
    fn the_address_follows_the_setup_and_starts_the_same_one() {
        let model = Model::new(Setup::default());
        assert_eq!(model.address("#/wordcount?bogus=1"), "#/wordcount");
        let model = Model::new(Setup {
            seed: 9,
            partitions: 3,
            caching: true,
        });
        let address = model.address("#/wordcount?embed=1&panels=input&partitions=2&s=PAYLOAD");
        assert_eq!(
            address,
            "#/wordcount?embed=1&panels=input&seed=9&partitions=3&cache=on"
        );
        assert_eq!(Model::from_hash(&address).setup, model.setup);
        assert!(Model::from_hash(&address).error.is_none());
    }

    #[test]
    fn the_quickstart_lines_count_as_kafka_counts_them() {
        let mut model = Model::new(Setup::default());
        assert!(model.error.is_none(), "{:?}", model.error);
        for line in EXAMPLE_LINES {
            model.act(Action::Produce(line.to_string()));
        }
        run_all(&mut model);
        assert_eq!(count_of(&model, "kafka").as_deref(), Some("3"));
        assert_eq!(count_of(&model, "streams").as_deref(), Some("2"));
        assert_eq!(count_of(&model, "summit").as_deref(), Some("1"));
        let compacted = model.output_compacted();
        assert!(compacted.contains(&("kafka".to_string(), "3".to_string())));
        // WordCountDemo has no cache: every update reaches the output topic.
        let log = model.output_log(100);
        assert_eq!(log.iter().filter(|r| r.key == "kafka").count(), 3);
        assert_eq!(log.len(), 11);
    }

    #[test]
    fn generated_names_shorten_for_the_screen_only() {
        let app = "streams-wordcount";
        assert_eq!(short_name("KSTREAM-SOURCE-0000000000", app), "SOURCE-0");
        assert_eq!(
            short_name("KSTREAM-AGGREGATE-STATE-STORE-0000000003", app),
            "AGGREGATE-STATE-STORE-3"
        );
        assert_eq!(
            short_name(
                "streams-wordcount-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition",
                app
            ),
            "AGGREGATE-STATE-STORE-3-repartition"
        );
        assert_eq!(short_name("KTABLE-TOSTREAM-0000000008", app), "TOSTREAM-8");
        // Names the learner chose stay whole.
        assert_eq!(
            short_name("streams-wordcount-output", app),
            "streams-wordcount-output"
        );
        assert_eq!(
            short_name("streams-plaintext-input", app),
            "streams-plaintext-input"
        );
        assert_eq!(
            task_meaning("1_2"),
            "task 1_2: sub-topology 1, input partition 2"
        );
    }

    /// After the sink sends, the record is in flight until the producer's batch lands: the
    /// view can show it between the sink and the topic, and it lands by the next step.
    #[test]
    fn what_a_sink_sent_is_in_flight_until_the_topic_has_it() {
        let mut model = Model::new(Setup::default());
        model.act(Action::Produce("hello".to_string()));
        let mut steps = 0;
        loop {
            model.act(Action::StepNode);
            steps += 1;
            assert!(steps < 40, "the output sink never ran");
            let step = model.last_step().expect("a step");
            if step.sent.iter().any(|s| &*s.topic == WORD_COUNT_OUTPUT) {
                break;
            }
        }
        assert!(model.output_log(10).is_empty(), "not written yet");
        let sent = model.last_step().expect("a step").sent.clone();
        assert!(sent.iter().all(|r| model.sent_is_in_flight(r)), "{sent:?}");
        let flying = model.in_flight(WORD_COUNT_OUTPUT, true);
        assert_eq!(flying.len(), 1, "{flying:?}");
        assert_eq!(
            (flying[0].key.as_str(), flying[0].value.as_str()),
            ("hello", "1")
        );
        assert!(flying[0].by_app);
        let changelog = model
            .program()
            .and_then(|p| p.stores.first())
            .map(|s| s.changelog.to_string())
            .expect("a changelog");
        assert_eq!(model.in_flight(&changelog, true).len(), 1);
        // Nothing is left to process: the next step lets time run, and the records land.
        model.act(Action::StepNode);
        assert!(model.in_flight(WORD_COUNT_OUTPUT, true).is_empty());
        assert!(model.in_flight(&changelog, true).is_empty());
        assert!(!sent.iter().any(|r| model.sent_is_in_flight(r)));
        let log = model.output_log(10);
        assert_eq!(log.len(), 1);
        assert_eq!((log[0].key.as_str(), log[0].value.as_str()), ("hello", "1"));
    }

    #[test]
    fn a_step_goes_through_one_node_and_back_undoes_it() {
        let mut model = Model::new(Setup::default());
        model.act(Action::Produce("hello kafka streams".to_string()));
        model.act(Action::StepNode);
        let first = model.last_step().cloned().expect("a step");
        assert_eq!(&*first.node, "KSTREAM-SOURCE-0000000000");
        model.act(Action::StepNode);
        let split = model.last_step().cloned().expect("a step");
        assert_eq!(&*split.node, "KSTREAM-FLATMAPVALUES-0000000001");
        assert_eq!(split.outputs.len(), 3, "one line fans out into three words");
        model.act(Action::Back);
        assert_eq!(model.last_step(), Some(&first));
        // Stepping again from there gives the same step: the replay is exact.
        model.act(Action::StepNode);
        assert_eq!(model.last_step(), Some(&split));
    }

    #[test]
    fn back_restores_the_store_table() {
        let mut model = Model::new(Setup::default());
        model.act(Action::Produce("hello kafka streams".to_string()));
        model.act(Action::StepRecord);
        // The first sub-topology is done; the counts come after the repartition topic.
        while count_of(&model, "streams").is_none() {
            model.act(Action::StepNode);
            assert!(model.error.is_none(), "{:?}", model.error);
            assert!(model.can_go_back());
        }
        assert_eq!(count_of(&model, "hello").as_deref(), Some("1"));
        model.act(Action::Back);
        assert_eq!(count_of(&model, "streams"), None);
        assert_eq!(count_of(&model, "hello").as_deref(), Some("1"));
    }

    #[test]
    fn with_the_cache_a_consumer_sees_fewer_updates() {
        let lines = "kafka kafka kafka\nkafka streams";
        let mut plain = Model::new(Setup::default());
        plain.act(Action::Produce(lines.to_string()));
        run_all(&mut plain);
        let mut cached = Model::new(Setup {
            caching: true,
            ..Setup::default()
        });
        cached.act(Action::Produce(lines.to_string()));
        run_all(&mut cached);
        let kafka = |m: &Model| {
            m.output_log(100)
                .iter()
                .filter(|r| r.key == "kafka")
                .count()
        };
        assert_eq!(kafka(&plain), 4);
        assert_eq!(kafka(&cached), 1, "{:?}", cached.output_log(100));
        assert_eq!(plain.output_compacted(), cached.output_compacted());
    }

    #[test]
    fn each_input_partition_is_a_task() {
        let mut model = Model::new(Setup {
            partitions: 3,
            ..Setup::default()
        });
        let tasks: Vec<String> = model
            .app()
            .map(|a| a.thread().tasks().map(|t| t.id().to_string()).collect())
            .unwrap_or_default();
        assert_eq!(tasks, ["0_0", "0_1", "0_2", "1_0", "1_1", "1_2"]);
        for line in SAMPLE_CORPUS {
            model.act(Action::Produce(line.to_string()));
        }
        run_all(&mut model);
        // The same word is always counted by one task: its repartition partition.
        let rows = model.store_rows();
        let the: Vec<&(String, String, String)> =
            rows.iter().filter(|(_, w, _)| w == "“the”").collect();
        assert_eq!(the.len(), 1);
        assert_eq!(the[0].2, "6");
    }

    #[test]
    fn bad_input_is_refused_with_a_message_and_changes_nothing() {
        let mut model = Model::new(Setup::default());
        for text in [
            "",
            "   \n  ",
            &"x".repeat(MAX_LINE_CHARS + 1),
            &"a\n".repeat(60),
        ] {
            model.act(Action::Produce(text.to_string()));
            assert!(model.error.is_some(), "refused: {text:.20}");
            assert!(!model.can_go_back());
            model.act(Action::DismissError);
        }
        // Kafka 4.x's WordCountDemo splits on "\\W+", which is ASCII-only: "ß" splits "straße".
        model.act(Action::Produce("ünïcödé ✓ 😀 Straße".to_string()));
        run_all(&mut model);
        assert_eq!(count_of(&model, "stra").as_deref(), Some("1"));
        model.act(Action::Back);
        model.act(Action::Back);
        model.act(Action::Back);
        assert!(model.error.is_none());
    }

    #[test]
    fn running_steps_at_the_chosen_speed_and_stops_when_idle() {
        let mut model = Model::new(Setup::default());
        let produced_at = model.world().now_ms();
        model.act(Action::Produce("hello kafka streams".to_string()));
        model.act(Action::SetSpeed(10.0));
        model.act(Action::TogglePlay);
        model.act(Action::Frame { wall_ms: 100.0 });
        let steps = model.app().map_or(0, |a| a.recent_steps().len());
        assert_eq!(steps, 1, "10 steps/s for 100 ms is one step");
        for _ in 0..200 {
            model.act(Action::Frame { wall_ms: 250.0 });
        }
        assert!(!model.running, "pauses when everything is processed");
        assert_eq!(count_of(&model, "kafka").as_deref(), Some("1"));
        // Without a cache there is no commit to wait for: the clock stops soon after.
        let idle_ms = model.world().now_ms() - produced_at;
        assert!(idle_ms < 10_000, "virtual time ran on for {idle_ms} ms");
    }

    #[test]
    fn url_parameters_set_up_the_view_and_bad_ones_are_reported() {
        let params = |s: &str| crate::ui::route::query_params(s);
        let (setup, problems) =
            Setup::from_params(&params("#/wordcount?partitions=3&cache=on&seed=9"));
        assert_eq!(
            setup,
            Setup {
                seed: 9,
                partitions: 3,
                caching: true
            }
        );
        assert!(problems.is_empty());
        let (setup, problems) =
            Setup::from_params(&params("#/wordcount?partitions=99&cache=maybe&x=1"));
        assert_eq!(setup, Setup::default());
        assert_eq!(problems.len(), 3);
    }

    /// Past [`MAX_MARKS`] checkpoints keep coming, so the script and a Back stay bounded.
    #[test]
    fn a_long_session_keeps_checkpointing() {
        let mut model = Model::new(Setup::default());
        for _ in 0..500 {
            model.act(Action::Produce("a b".into()));
            for _ in 0..4 {
                model.act(Action::StepNode);
            }
        }
        assert!(
            model.timeline.script().len() <= MAX_MARKS * 2,
            "script grew to {}",
            model.timeline.script().len()
        );
        assert!(model.timeline.checkpoints() > 1);
        let before = model.store_rows();
        model.act(Action::StepNode);
        model.act(Action::Back);
        assert_eq!(model.store_rows(), before);
    }

    #[test]
    fn many_steps_stay_bounded_and_the_last_ones_can_be_undone() {
        let mut model = Model::new(Setup {
            partitions: 2,
            ..Setup::default()
        });
        for _ in 0..40 {
            model.act(Action::Produce(SAMPLE_CORPUS.join("\n")));
            for _ in 0..20 {
                model.act(Action::StepNode);
            }
        }
        assert!(model.marks.len() <= MAX_MARKS);
        assert!(model.timeline.checkpoints() <= MAX_MARKS / CHECKPOINT_EVERY + 2);
        assert!(model.timeline.script().len() <= MAX_MARKS * 2);
        let before = model.store_rows();
        model.act(Action::StepNode);
        model.act(Action::Back);
        assert_eq!(model.store_rows(), before);
        for _ in 0..MAX_MARKS + 10 {
            model.act(Action::Back);
        }
        assert!(!model.can_go_back());
        assert!(model.error.is_none(), "{:?}", model.error);
    }
}
