//! The scenario document: everything needed to open the page again exactly where a learner
//! was — the world's seed, configuration and timed commands, which view and which moment was
//! shown, and each view's settings. Share links, `.json` files, saved sessions and lesson
//! setups are all this one document (see the README's "Scenario files" for its format).
//!
//! Versioned (`"version": 1`): a document from a newer page is refused by name, never half
//! read. Everything that enters from outside goes through [`decode_link`] or [`decode_json`],
//! which check sizes *before* allocating (a link's length, the inflated size, the file's
//! length), then the shape (serde), then the meaning ([`ScenarioDoc::validate`]: time order,
//! counts and times within limits). A failure is a [`ScenarioError`] naming what is wrong.
//!
//! A link is the compact JSON, deflated (miniz_oxide) and written in URL-safe base64, so it
//! survives LMS pages and chat tools; records a producer sends on its own are one
//! `SetAutoProduce` command, never listed one by one, so a busy session stays short.

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::sim::command::{Command, Scenario, TimedCommand};
use crate::sim::compare::TimedControl;
use crate::sim::world::WorldConfig;

/// The document version this engine writes and reads.
pub const SCENARIO_VERSION: u32 = 1;
/// Longest link payload read, in characters (a link that long is already too long to share).
pub const LINK_CHARS_MAX: usize = 200_000;
/// Largest document read, in bytes of JSON (a file, saved data, or a link once inflated).
pub const DOCUMENT_BYTES_MAX: usize = 8 * 1024 * 1024;
/// Most commands (or controls) a document may hold.
pub const COMMANDS_MAX: usize = 100_000;
/// Latest virtual time a document may name: a day.
pub const TIME_MS_MAX: u64 = 24 * 60 * 60 * 1000;
/// The most records a replay may generate on its own (`Command::SetAutoProduce`) to reach the
/// moment shown: a little over half an hour at the Playground's top rate (1,000 records/s). A
/// day at 10,000 records/s would hold the page for many minutes; such a document is refused
/// before any work, with the reason.
pub const REPLAY_RECORDS_MAX: u64 = 2_000_000;
/// The most user requests an EDA-vs-SOA replay may send to reach its moment (steady users at
/// their fastest, one request per 100 ms, plus every spike begun by then): nearly three hours
/// of play. Each request costs tens of microseconds on both sides, so this keeps a load under
/// a few seconds; 100,000 spikes of 10,000 requests (a short link) would hold the page for hours.
pub const REPLAY_REQUESTS_MAX: u64 = 100_000;
/// The shortest gap between two steady user requests (`ComparisonConfig::request_gap`'s least).
const USER_GAP_MS_MIN: u64 = 100;

/// Why a document could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError(pub String);

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn error(text: impl Into<String>) -> ScenarioError {
    ScenarioError(text.into())
}

/// The Playground's settings: what it shows and how its clock runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlaygroundSettings {
    /// The topic drawn in the diagram.
    pub topic: String,
    /// The producer the learner's typed records (and the steady load) go through.
    pub producer: u32,
    /// Playback speed in tenths (10 = 1×).
    pub speed_tenths: u32,
    pub playing: bool,
}

impl Default for PlaygroundSettings {
    fn default() -> Self {
        Self {
            topic: "orders".to_string(),
            producer: 1,
            speed_tenths: 10,
            playing: true,
        }
    }
}

/// The WordCount view: its own world (rebuilt from its seed, its setup and its commands) and
/// the moment it shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WordCountSettings {
    pub seed: u64,
    /// Input partitions (so stream tasks), 1 to 4.
    pub partitions: u32,
    /// Kafka's default record cache on or off.
    pub cache: bool,
    /// Every command of the view's world, its setup included, at its virtual time.
    pub commands: Vec<TimedCommand>,
    pub moment_ms: u64,
    /// The Streams application and the producer the view types into.
    pub app: u32,
    pub producer: u32,
}

impl Default for WordCountSettings {
    fn default() -> Self {
        Self {
            seed: 42,
            partitions: 1,
            cache: false,
            commands: Vec::new(),
            moment_ms: 0,
            app: 1,
            producer: 1,
        }
    }
}

/// The EDA-vs-SOA view's settings and its timed controls.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompareSettings {
    pub seed: u64,
    /// `registration` or `order`.
    pub flow: String,
    /// `sequential` or `parallel`.
    pub fanout: String,
    pub speed_tenths: u32,
    pub playing: bool,
    pub controls: Vec<TimedControl>,
    pub moment_ms: u64,
}

impl Default for CompareSettings {
    fn default() -> Self {
        Self {
            seed: 42,
            flow: "registration".to_string(),
            fanout: "sequential".to_string(),
            speed_tenths: 10,
            playing: true,
            controls: Vec::new(),
            moment_ms: 0,
        }
    }
}

impl CompareSettings {
    /// At most how many user requests replaying to the moment sends: steady users at their
    /// fastest for the whole time, plus every spike begun by the moment.
    pub fn replay_requests(&self) -> u64 {
        let spikes = self
            .controls
            .iter()
            .filter(|t| t.at_ms <= self.moment_ms)
            .map(|t| match t.control {
                crate::sim::compare::Control::Spike { extra_requests, .. } => {
                    u64::from(extra_requests)
                }
                _ => 0,
            })
            .fold(0u64, u64::saturating_add);
        (self.moment_ms / USER_GAP_MS_MIN).saturating_add(spikes)
    }
}

/// One scenario document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioDoc {
    /// [`SCENARIO_VERSION`].
    pub version: u32,
    /// The view shown (`playground`, `console`, `wordcount`, `eda-vs-soa`, `lessons`).
    #[serde(default = "default_view")]
    pub view: String,
    /// The page's world: seed, configuration (Kafka's defaults where left out) and the timed
    /// commands, setup included.
    pub seed: u64,
    #[serde(default)]
    pub config: WorldConfig,
    #[serde(default)]
    pub commands: Vec<TimedCommand>,
    /// The moment shown, in virtual ms (the last command's time when left out).
    #[serde(default)]
    pub moment_ms: Option<u64>,
    /// The furthest moment played (the timeline's end; at least the moment shown).
    #[serde(default)]
    pub horizon_ms: Option<u64>,
    #[serde(default)]
    pub playground: PlaygroundSettings,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wordcount: Option<WordCountSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare: Option<CompareSettings>,
}

fn default_view() -> String {
    "playground".to_string()
}

impl ScenarioDoc {
    /// A document for a world's scenario, shown at its end, in the Playground.
    pub fn new(scenario: Scenario) -> Self {
        Self {
            version: SCENARIO_VERSION,
            view: default_view(),
            seed: scenario.seed,
            config: scenario.config,
            commands: scenario.commands,
            moment_ms: None,
            horizon_ms: None,
            playground: PlaygroundSettings::default(),
            wordcount: None,
            compare: None,
        }
    }

    /// The world part, for `World::replay` and `Timeline::from_scenario`.
    pub fn scenario(&self) -> Scenario {
        Scenario {
            seed: self.seed,
            config: self.config.clone(),
            commands: self.commands.clone(),
        }
    }

    /// The moment shown: as given, else the timeline's end.
    pub fn moment(&self) -> u64 {
        self.moment_ms.unwrap_or_else(|| self.horizon())
    }

    /// The timeline's end: as given, else the last command's time (never before the moment).
    pub fn horizon(&self) -> u64 {
        let last = self.commands.last().map_or(0, |c| c.at_ms);
        self.horizon_ms
            .unwrap_or(last)
            .max(last)
            .max(self.moment_ms.unwrap_or(0))
    }

    /// Records the producers' generators make from the start to the moment shown (each
    /// generator's rate times how long it runs; a closed producer's generator stops), and the
    /// records `ProduceRecords` commands send by then.
    pub fn auto_records(&self) -> u64 {
        let until = self.moment();
        // producer → (since ms, records per second)
        let mut running: std::collections::BTreeMap<u32, (u64, u64)> = Default::default();
        let mut total: u64 = 0;
        let stop = |total: &mut u64, since: u64, rate: u64, at: u64| {
            let ms = at.min(until).saturating_sub(since);
            *total = total.saturating_add(rate.saturating_mul(ms) / 1000);
        };
        for c in &self.commands {
            let (producer, rate) = match &c.command {
                Command::SetAutoProduce {
                    producer,
                    rate_per_s,
                    ..
                } => (*producer, u64::from(*rate_per_s)),
                Command::CloseProducer { producer } => (*producer, 0),
                // An import's records, sent at once: counted as replayed records too.
                Command::ProduceRecords { count, .. } if c.at_ms <= until => {
                    total = total.saturating_add(u64::from(*count));
                    continue;
                }
                _ => continue,
            };
            if let Some((since, old)) = running.remove(&producer) {
                stop(&mut total, since, old, c.at_ms);
            }
            if rate > 0 {
                running.insert(producer, (c.at_ms, rate));
            }
        }
        for (since, rate) in running.into_values() {
            stop(&mut total, since, rate, until);
        }
        total
    }

    /// Checks what serde cannot: the version, counts, times and their order, and settings
    /// within the ranges the views accept.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        if self.version != SCENARIO_VERSION {
            return Err(if self.version > SCENARIO_VERSION {
                error(format!(
                    "This scenario was made by a newer eda-playground (version {}); this page reads version {SCENARIO_VERSION}.",
                    self.version
                ))
            } else {
                error(format!(
                    "Unknown scenario version {}; this page reads version {SCENARIO_VERSION}.",
                    self.version
                ))
            });
        }
        if self.commands.len() > COMMANDS_MAX {
            return Err(error(format!(
                "This scenario has {} commands; at most {COMMANDS_MAX} can be replayed.",
                self.commands.len()
            )));
        }
        let mut last = 0;
        for (i, c) in self.commands.iter().enumerate() {
            if c.at_ms < last {
                return Err(error(format!(
                    "Command {} is at {} ms, before the one ahead of it ({last} ms): commands must be in time order.",
                    i + 1,
                    c.at_ms
                )));
            }
            last = c.at_ms;
        }
        for (what, ms) in [
            ("the last command", last),
            ("the moment", self.moment_ms.unwrap_or(0)),
            ("the timeline's end", self.horizon_ms.unwrap_or(0)),
        ] {
            if ms > TIME_MS_MAX {
                return Err(error(format!(
                    "The time of {what} ({ms} ms) is past the limit of {TIME_MS_MAX} ms (a day)."
                )));
            }
        }
        let records = self.auto_records();
        if records > REPLAY_RECORDS_MAX {
            return Err(error(format!(
                "Reaching this scenario's moment ({} s) means producing {records} records again; at most {REPLAY_RECORDS_MAX} are replayed in the page. Open a copy saved at an earlier moment.",
                self.moment() / 1000
            )));
        }
        let speed = |tenths: u32| (1..=200).contains(&tenths);
        if !speed(self.playground.speed_tenths) {
            return Err(error(
                "The Playground's speed must be 1 to 200 tenths (0.1× to 20×).",
            ));
        }
        if let Some(w) = &self.wordcount {
            if !(1..=4).contains(&w.partitions) {
                return Err(error("WordCount's input partitions must be 1 to 4."));
            }
            if w.commands.len() > COMMANDS_MAX
                || w.moment_ms > TIME_MS_MAX
                || w.commands.iter().any(|c| c.at_ms > TIME_MS_MAX)
                || w.commands.windows(2).any(|p| p[1].at_ms < p[0].at_ms)
            {
                return Err(error(format!(
                    "WordCount's commands must be at most {COMMANDS_MAX}, in time order, within a day."
                )));
            }
        }
        if let Some(c) = &self.compare {
            if !speed(c.speed_tenths) {
                return Err(error(
                    "EDA vs SOA's speed must be 1 to 200 tenths (0.1× to 20×).",
                ));
            }
            if c.controls.len() > COMMANDS_MAX {
                return Err(error(format!(
                    "EDA vs SOA holds at most {COMMANDS_MAX} controls."
                )));
            }
            if c.moment_ms > TIME_MS_MAX
                || c.controls.iter().any(|t| t.at_ms > TIME_MS_MAX)
                || c.controls.windows(2).any(|p| p[1].at_ms < p[0].at_ms)
            {
                return Err(error(format!(
                    "EDA vs SOA's controls must be in time order, at most {TIME_MS_MAX} ms (a day)."
                )));
            }
            let requests = c.replay_requests();
            if requests > REPLAY_REQUESTS_MAX {
                return Err(error(format!(
                    "Reaching EDA vs SOA's moment ({} s) means sending up to {requests} user requests again; at most {REPLAY_REQUESTS_MAX} are replayed in the page. Open a copy saved at an earlier moment.",
                    c.moment_ms / 1000
                )));
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Encoding

/// The document as indented JSON (a file a teacher can read and edit).
pub fn encode_json(doc: &ScenarioDoc) -> String {
    serde_json::to_string_pretty(doc).unwrap_or_default()
}

/// The document as a link payload: compact JSON, deflated, URL-safe base64 without padding.
pub fn encode_link(doc: &ScenarioDoc) -> String {
    let json = serde_json::to_vec(doc).unwrap_or_default();
    let deflated = miniz_oxide::deflate::compress_to_vec(&json, 9);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(deflated)
}

/// Reads a document from JSON text (a file, saved data, a pasted document).
pub fn decode_json(text: &str) -> Result<ScenarioDoc, ScenarioError> {
    if text.len() > DOCUMENT_BYTES_MAX {
        return Err(error(format!(
            "This is {} bytes; a scenario is at most {DOCUMENT_BYTES_MAX} bytes.",
            text.len()
        )));
    }
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(error("This is empty: a scenario is a JSON document."));
    }
    // The version first, so a newer document is named as such rather than as malformed.
    #[derive(Deserialize)]
    struct Version {
        version: Option<serde_json::Value>,
    }
    match serde_json::from_str::<Version>(trimmed) {
        Err(e) => {
            return Err(error(format!(
                "This is not a scenario: {}.",
                json_problem(&e)
            )));
        }
        Ok(Version { version: None }) => {
            return Err(error(
                "This JSON is not a scenario: it has no \"version\" field.",
            ));
        }
        Ok(Version {
            version: Some(serde_json::Value::Number(n)),
        }) if n.as_u64().is_some_and(|v| v > u64::from(SCENARIO_VERSION)) => {
            return Err(error(format!(
                "This scenario was made by a newer eda-playground (version {n}); this page reads version {SCENARIO_VERSION}."
            )));
        }
        Ok(_) => {}
    }
    let doc: ScenarioDoc = serde_json::from_str(trimmed).map_err(|e| {
        error(format!(
            "This scenario cannot be read: {}.",
            json_problem(&e)
        ))
    })?;
    doc.validate()?;
    Ok(doc)
}

/// Reads a document from a link payload ([`encode_link`]'s form).
pub fn decode_link(payload: &str) -> Result<ScenarioDoc, ScenarioError> {
    let payload = payload.trim();
    if payload.is_empty() {
        return Err(error("The link holds no scenario."));
    }
    if payload.len() > LINK_CHARS_MAX {
        return Err(error(format!(
            "The link's scenario is {} characters long; at most {LINK_CHARS_MAX} are read.",
            payload.len()
        )));
    }
    let deflated = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| {
            error("The link's scenario is damaged (it is not URL-safe base64): was the link cut short or changed?")
        })?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, DOCUMENT_BYTES_MAX)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => error(format!(
                "The link's scenario unpacks to more than {DOCUMENT_BYTES_MAX} bytes."
            )),
            _ => error(
                "The link's scenario is damaged (it does not unpack): was the link cut short?",
            ),
        })?;
    let text = std::str::from_utf8(&json)
        .map_err(|_| error("The link's scenario is damaged (it is not UTF-8 text)."))?;
    decode_json(text)
}

/// serde_json's complaint in a learner's words: what and where.
fn json_problem(e: &serde_json::Error) -> String {
    let text = e.to_string();
    // serde_json ends with " at line L column C"; keep it, it is what a teacher needs.
    // It quotes the document (an unknown variant, say): escape what could hide or reorder text.
    let mut clean: String = crate::sim::text::visible(&text.chars().take(300).collect::<String>());
    if let Some(first) = clean.get(..1) {
        let upper = first.to_ascii_lowercase();
        clean.replace_range(..1, &upper);
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::World;

    fn small() -> ScenarioDoc {
        let mut world = World::new(7);
        world.create_topic("orders", 3, 1).expect("topic");
        world.advance(1_000).expect("advance");
        ScenarioDoc::new(world.scenario())
    }

    #[test]
    fn a_link_and_a_file_round_trip() {
        let doc = small();
        assert_eq!(decode_link(&encode_link(&doc)), Ok(doc.clone()));
        assert_eq!(decode_json(&encode_json(&doc)), Ok(doc));
    }

    #[test]
    fn a_hand_written_document_needs_only_version_and_seed() {
        let doc = decode_json(r#"{"version": 1, "seed": 3}"#).expect("minimal");
        assert_eq!(doc.view, "playground");
        assert_eq!(doc.config, WorldConfig::default());
        assert!(doc.commands.is_empty());
    }

    #[test]
    fn bad_documents_are_named() {
        let cases: [(&str, &str); 6] = [
            ("", "empty"),
            ("[1,2]", "not a scenario"),
            (r#"{"seed":1}"#, "no \"version\""),
            (
                r#"{"version":2,"seed":1}"#,
                "newer eda-playground (version 2)",
            ),
            (r#"{"version":1,"seed":-1}"#, "cannot be read"),
            (
                r#"{"version":1,"seed":1,"commands":[{"at_ms":5,"command":{"StartBroker":{"id":2}}},{"at_ms":1,"command":{"StartBroker":{"id":3}}}]}"#,
                "time order",
            ),
        ];
        for (text, expected) in cases {
            let err = decode_json(text).expect_err(text);
            assert!(err.0.contains(expected), "{text}: {err}");
        }
    }

    #[test]
    fn an_eda_vs_soa_replay_that_would_send_too_many_requests_is_refused() {
        use crate::sim::compare::Control;
        let spike = |at_ms| TimedControl {
            at_ms,
            control: Control::Spike {
                extra_requests: 10_000,
                over_ms: 1_000,
            },
        };
        let mut doc = small();
        let mut compare = CompareSettings {
            moment_ms: 60 * 60 * 1000,
            ..CompareSettings::default()
        };
        // An hour of steady users at their fastest: 36,000 requests; fine.
        assert_eq!(compare.replay_requests(), 36_000);
        doc.compare = Some(compare.clone());
        assert_eq!(doc.validate(), Ok(()));
        // Seven spikes of 10,000 requests: 106,000 in all; refused, naming the figure.
        compare.controls = (0..7).map(|i| spike(i * 1_000)).collect();
        assert_eq!(compare.replay_requests(), 106_000);
        doc.compare = Some(compare.clone());
        let err = doc.validate().expect_err("too many requests");
        assert!(err.0.contains("106000 user requests"), "{err}");
        // Spikes after the moment are never replayed.
        compare.moment_ms = 3_000;
        assert_eq!(compare.replay_requests(), 30 + 40_000);
        // Three hours of steady users alone: 108,000; refused.
        compare.controls.clear();
        compare.moment_ms = 3 * 60 * 60 * 1000;
        doc.compare = Some(compare);
        assert!(doc.validate().is_err());
    }

    #[test]
    fn a_replay_that_would_produce_too_many_records_is_refused_before_any_work() {
        let auto = |producer, rate_per_s| Command::SetAutoProduce {
            producer,
            topic: "orders".to_string(),
            rate_per_s,
            keys: vec![],
            value_prefix: "order-".to_string(),
        };
        let at = |at_ms, command| TimedCommand { at_ms, command };
        let mut doc = small();
        doc.commands = vec![at(0, auto(1, 1_000)), at(60_000, auto(2, 500))];
        // Half an hour: 1,800,000 + 29 minutes at 500/s = 870,000: too many.
        doc.moment_ms = Some(30 * 60 * 1000);
        assert_eq!(doc.auto_records(), 1_800_000 + 870_000);
        let err = doc.validate().expect_err("too many records");
        assert!(err.0.contains("2670000 records"), "{err}");
        // The second generator stopped after a minute (rate 0), the first closed after 20 min.
        doc.commands.push(at(120_000, auto(2, 0)));
        doc.commands
            .push(at(1_200_000, Command::CloseProducer { producer: 1 }));
        doc.moment_ms = Some(TIME_MS_MAX);
        assert_eq!(doc.auto_records(), 1_200_000 + 30_000);
        assert_eq!(doc.validate(), Ok(()));
        // Without a moment, the timeline's end is the moment.
        doc.moment_ms = None;
        doc.horizon_ms = Some(TIME_MS_MAX);
        doc.commands.truncate(1);
        assert!(doc.validate().is_err());
    }

    #[test]
    fn damaged_links_are_named() {
        let good = encode_link(&small());
        for (payload, expected) in [
            ("", "no scenario"),
            ("!!!", "not URL-safe base64"),
            (&good[..good.len() / 2], "does not unpack"),
            ("AAAA", "does not unpack"),
        ] {
            let err = decode_link(payload).expect_err(payload);
            assert!(err.0.contains(expected), "{payload}: {err}");
        }
        let huge = "A".repeat(LINK_CHARS_MAX + 1);
        assert!(decode_link(&huge).expect_err("huge").0.contains("at most"));
    }

    #[test]
    fn a_zip_bomb_stops_at_the_limit() {
        let zeros = vec![b' '; DOCUMENT_BYTES_MAX + 10];
        let bomb = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(miniz_oxide::deflate::compress_to_vec(&zeros, 9));
        assert!(bomb.len() < 40_000);
        let err = decode_link(&bomb).expect_err("bomb");
        assert!(err.0.contains("more than"), "{err}");
    }
}
