//! What the page builds from the session's trace: the counters, the records in flight, the
//! event log and the once-a-second samples behind the lag chart and the throughput figures.
//!
//! A [`Trace`] is the session timeline's [`Fold`]: it is told about every event as it happens
//! (and again when a seek replays), and it is saved with each checkpoint, so a rewind shows
//! what was true then. Bounded: at most [`LOG_LINES`] lines, [`LAG_SAMPLES`] samples and
//! [`MAX_FLIGHTS`] flights are kept; counts stay exact.

use std::collections::VecDeque;

use crate::sim::client::ConsumerConfig;
use crate::sim::partitioner::partition_for_key;
use crate::sim::timeline::Fold;
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

/// The session's fold over its trace.
#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    /// The topic the Playground shows (its lag is sampled).
    pub topic: String,
    pub flights: VecDeque<Flight>,
    pub log: VecDeque<LogLine>,
    /// Bumped whenever `log` changes, so the view redraws the log only then.
    pub log_version: u64,
    /// One sample per second of virtual time (the lag chart, the throughput figures).
    pub lag_history: VecDeque<Sample>,
    pub produced: u64,
    pub consumed: u64,
    /// What the live region announces after the last change.
    pub announcement: String,
    /// The goal of the lesson step on screen, checked as events fold in.
    pub checker: Option<crate::ui::lessons::check::Checker>,
    /// Per group: who owned what in its current generation, and its last rebalance (the
    /// Playground shows "generation n → n+1" with the owners before and after).
    pub rebalances: std::collections::BTreeMap<String, GroupHistory>,
}

/// Who owns which partition (`topic`, `partition`, owner's `client.id`) in a generation.
pub type Owners = Vec<(String, u32, String)>;

/// One group's generations, as the coordinator completed them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupHistory {
    /// The current generation and its owners.
    pub generation: i32,
    pub owners: Owners,
    /// The last change: `(from generation, owners before, virtual time it completed)`.
    pub previous: Option<(i32, Owners, u64)>,
}

impl Trace {
    /// An empty fold showing `topic`.
    pub fn new(topic: &str) -> Self {
        Self {
            topic: topic.to_string(),
            flights: VecDeque::new(),
            log: VecDeque::new(),
            log_version: 0,
            lag_history: VecDeque::new(),
            produced: 0,
            consumed: 0,
            announcement: String::new(),
            checker: None,
            rebalances: std::collections::BTreeMap::new(),
        }
    }

    /// Folds trace events into flights, counters and the event log.
    fn fold_events(&mut self, world: &World, events: &[TraceEvent]) {
        let now = world.now_ms();
        // Counters count every event, but only the newest MAX_FLIGHTS flights and LOG_LINES
        // lines can be kept: walking back from the newest builds just those, so a burst (a
        // consumer catching up gets thousands of records in one fetch) costs a frame little.
        let mut flights: Vec<Flight> = Vec::new();
        let mut lines: Vec<LogLine> = Vec::new();
        for e in events {
            if let TraceKind::RebalanceCompleted {
                group,
                generation,
                assignment,
                ..
            } = &e.kind
            {
                self.note_rebalance(world, group, *generation, assignment, e.at_ms);
            }
        }
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
                && let Some((category, mut text)) = describe(world, &e.kind)
            {
                if let TraceKind::PartitionsIncreased { topic, from, to } = &e.kind {
                    text.push_str(&keys_moved(world, topic, *from, *to));
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

    /// Remembers a completed generation's owners (by `client.id`) and the ones before it.
    fn note_rebalance(
        &mut self,
        world: &World,
        group: &str,
        generation: i32,
        assignment: &[(crate::sim::trace::Name, Vec<(crate::sim::trace::Name, u32)>)],
        at_ms: u64,
    ) {
        let members = world.group(group).map(|g| &g.members);
        let mut owners: Owners = assignment
            .iter()
            .flat_map(|(member, parts)| {
                let client = members
                    .and_then(|m| m.get(member))
                    .map_or_else(|| member.to_string(), |m| m.client_id.clone());
                parts
                    .iter()
                    .map(move |(t, p)| (t.to_string(), *p, client.clone()))
            })
            .collect();
        crate::sim::sort::sort_by(&mut owners, |a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        let history = self.rebalances.entry(group.to_string()).or_default();
        let before = std::mem::take(&mut history.owners);
        history.previous = (history.generation > 0 || !before.is_empty()).then_some((
            history.generation,
            before,
            at_ms,
        ));
        history.generation = generation;
        history.owners = owners;
    }

    fn sample_lag(&mut self, world: &World) {
        let now = world.now_ms();
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
        let groups: Vec<(String, u64)> = world
            .groups()
            .filter_map(|g| {
                let rows = world.group_lag(&g.id);
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

    /// Event-log lines matching the filter (case-insensitive, on category or text), oldest
    /// first, each with its number: lines are numbered in the order they were logged, the
    /// newest is `log_version` (a line keeps its number while it stays in the log, until a
    /// seek), so a view can tell the lines it drew from new ones.
    pub fn filtered_log<'a>(&'a self, filter: &str) -> impl Iterator<Item = (u64, &'a LogLine)> {
        // ASCII case folding: Unicode's tables would cost the bundle ~10 KB for a log filter.
        let needle = filter.to_ascii_lowercase();
        let first = (self.log_version + 1).saturating_sub(self.log.len() as u64);
        (first..).zip(&self.log).filter(move |(_, l)| {
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

impl Fold for Trace {
    fn fold(&mut self, world: &World, events: &[TraceEvent]) {
        self.fold_events(world, events);
        self.sample_lag(world);
        if let Some(checker) = &mut self.checker {
            checker.observe(world, events);
        }
    }

    fn after_seek(&mut self, world: &World) {
        let now = world.now_ms();
        self.flights.clear();
        self.lag_history.retain(|s| s.at_ms <= now);
        self.log_version += 1;
        if world.topic(&self.topic).is_none() {
            // The shown topic was created after this moment.
            self.topic = crate::ui::session::TOPIC.to_string();
        }
        self.announcement = format!("Rewound to {}", format_ms(now));
    }
}

/// After `topic` grew from `from` to `to` partitions: where the keys in its logs go now,
/// worked out with murmur2 (": alice now P3 (was P1), bob stays P0"), at most
/// [`KEYS_MOVED_SHOWN`] keys.
fn keys_moved(world: &World, topic: &str, from: u32, to: u32) -> String {
    let Some(t) = world.topic(topic) else {
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

/// A consumer as the page names it: its `client.id` (`consumer-billing-1`), as Kafka's own
/// logs and tools do; the engine's number only for a consumer the world no longer keeps.
fn consumer_name(world: &World, consumer: u32) -> String {
    world.consumer(consumer).map_or_else(
        || format!("consumer {consumer}"),
        |c| c.config.client_id.clone(),
    )
}

/// A one-line, learner-facing description of an event (None for the noisy ones), naming
/// clients as `world` knows them.
pub fn describe(world: &World, kind: &TraceKind) -> Option<(&'static str, String)> {
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
                "{} reads {topic}-{partition} offset {offset}{}",
                consumer_name(world, *consumer),
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
                "{} commits for {group}: {}",
                consumer_name(world, *consumer),
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
                "{} now owns {} (generation {generation})",
                consumer_name(world, *consumer),
                list_partitions(assigned)
            ),
        ),
        TraceKind::PartitionsRevoked {
            group,
            consumer,
            partitions,
        } => (
            "group",
            format!(
                "{} gives up {}{}",
                consumer_name(world, *consumer),
                list_partitions(partitions),
                revoke_why(world, group, *consumer)
            ),
        ),
        TraceKind::JoinGroupFailed {
            group,
            consumer,
            error,
        } => (
            "error",
            format!(
                "{} cannot join {group}: {error} (it shares no partition.assignment.strategy with the members)",
                consumer_name(world, *consumer)
            ),
        ),
        TraceKind::MemberRemoved { group, reason, .. } => (
            "group",
            format!("{group} removes a member: {}", reason_text(reason)),
        ),
        TraceKind::ConsumerCrashed { consumer } => (
            "group",
            format!(
                "{} crashed; the coordinator notices after session.timeout.ms ({})",
                consumer_name(world, *consumer),
                // The member's own setting (a client may set it, within the broker's bounds).
                format_s(
                    world
                        .consumer(*consumer)
                        .map_or(ConsumerConfig::default().session_timeout_ms, |c| {
                            c.config.session_timeout_ms
                        })
                )
            ),
        ),
        TraceKind::ConsumerStopped { consumer } => (
            "group",
            format!("{} closed", consumer_name(world, *consumer)),
        ),
        TraceKind::ConsumerStarted { consumer, group } => (
            "group",
            format!(
                "{} started{}",
                consumer_name(world, *consumer),
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
        TraceKind::ReplicasChanged {
            topic,
            partition,
            replicas,
            adding,
            removing,
        } => (
            "broker",
            if adding.is_empty() && removing.is_empty() {
                format!("{topic}-{partition} replicas: {replicas:?}")
            } else {
                format!(
                    "{topic}-{partition} reassigning: replicas {replicas:?}, adding {adding:?}, removing {removing:?}"
                )
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

/// Why a member gives up partitions, from its own rebalance protocol (the group's assignor
/// named): an eager member revokes every partition at each rebalance, a cooperative one only
/// those that move to another member.
fn revoke_why(world: &World, group: &str, consumer: u32) -> String {
    use crate::sim::assignor::RebalanceProtocol;
    let Some(kind) = world.group(group).and_then(|g| g.protocol) else {
        return String::new();
    };
    let Some(protocol) = world
        .consumer(consumer)
        .map(|c| c.config.rebalance_protocol())
    else {
        return String::new();
    };
    match protocol {
        RebalanceProtocol::Eager if kind.protocol() == RebalanceProtocol::Cooperative => format!(
            " (an eager member in a {} group: not all its assignors are cooperative, so it revokes all its partitions)",
            kind.name()
        ),
        RebalanceProtocol::Eager => format!(
            " ({}: the eager protocol revokes all its partitions)",
            kind.name()
        ),
        RebalanceProtocol::Cooperative => format!(
            " ({}: the cooperative protocol revokes only partitions that move)",
            kind.name()
        ),
    }
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

/// A duration as a sentence says it, in seconds: `45 s`, `10.5 s`, `0.25 s`.
pub fn format_s(ms: u64) -> String {
    let fraction = format!("{:03}", ms % 1000);
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        format!("{} s", ms / 1000)
    } else {
        format!("{}.{fraction} s", ms / 1000)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_event_log_names_consumers_by_client_id() {
        let mut world = World::new(5);
        world.create_topic("orders", 1, 1).expect("topic");
        world.add_producer().expect("producer");
        let id = world
            .add_group_consumer("billing", &["orders"])
            .expect("consumer");
        let lines: Vec<String> = world
            .take_events()
            .iter()
            .filter_map(|e| describe(&world, &e.kind).map(|(_, text)| text))
            .collect();
        assert!(
            lines
                .iter()
                .any(|l| l == "consumer-billing-1 started in group billing"),
            "{lines:?}"
        );
        assert!(
            describe(&world, &TraceKind::ConsumerStopped { consumer: id })
                .is_some_and(|(_, text)| text == "consumer-billing-1 closed")
        );
    }

    #[test]
    fn a_revocation_says_which_protocol_made_it() {
        let mut world = World::new(5);
        world.create_topic("orders", 3, 1).expect("topic");
        world
            .add_group_consumer("billing", &["orders"])
            .expect("consumer");
        world
            .add_group_consumer("billing", &["orders"])
            .expect("consumer");
        world.advance(10_000).expect("advance");
        world
            .add_group_consumer("billing", &["orders"])
            .expect("consumer");
        let events = world.advance(10_000).expect("advance");
        let revoked: Vec<String> = events
            .iter()
            .filter(|e| matches!(e.kind, TraceKind::PartitionsRevoked { .. }))
            .filter_map(|e| describe(&world, &e.kind).map(|(_, text)| text))
            .collect();
        assert_eq!(revoked.len(), 2, "{revoked:?}");
        assert!(
            revoked
                .iter()
                .all(|l| l.ends_with("(range: the eager protocol revokes all its partitions)")),
            "{revoked:?}"
        );
    }
}
