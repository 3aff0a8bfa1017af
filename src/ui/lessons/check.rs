//! Checkpoints: a lesson step's goal as a predicate over the session — the trace since the
//! step began and queries on the world — checked as events fold in.
//!
//! A [`Checker`] rides in the session's trace fold, so it sees every event as it happens; when
//! its predicate holds it latches the virtual time of the event that satisfied it (the moment
//! "see the moment" seeks to). The runner keeps what the learner earned outside the fold, so
//! scrubbing back (which restores an earlier fold) un-passes nothing.
//!
//! The vocabulary (one predicate per line, `word key=value …`):
//! - `appended [topic=T] [key=K] count=N` — N records appended since the step began;
//! - `delivered [group=G] [topic=T] [count=N]` — records delivered to members of G (from T);
//! - `duplicate [group=G]` — a record delivered again (at-least-once redelivery);
//! - `rebalanced group=G members=N` — G completed a rebalance with N members;
//! - `lag group=G [topic=T] max=M after=A` — G's lag fell to M or less after it was A or more;
//! - `lag-over group=G [topic=T] min=N` — G's lag reached N records;
//! - `crashed` — a consumer crashed; `broker-stopped [id=N]`; `leader-changed [topic=T]`;
//! - `topic-exists name=T` — the topic exists now;
//! - `topic-config topic=T name=C value=V` — topic T's config C is V now (set or default);
//! - `tombstone [topic=T] [key=K]` — a tombstone (a key with a null value) was appended;
//! - `compacted [topic=T] [removed=N]` — the log cleaner removed N records or more from T
//!   (summed over its passes since the step began; N is 1 unless given);
//! - `revoked group=G [min=N] [max=M]` — since the step began, members of G gave up N to M
//!   partitions in all (`PartitionsRevoked`, summed), and G completed a rebalance after that;
//! - `isr [topic=T] [min=N] [max=M]` — a partition's ISR changed (shrank or grew) to N to M
//!   replicas (`IsrChanged`; `max=1`: it shrank to the leader alone);
//! - `produce-failed [topic=T] [key=K] [error=E]` — a broker refused a producer's batch (one
//!   holding a record with key K) with the exception E (its simple name, with or without
//!   `Exception`: `NotEnoughReplicas`).
//!
//! Over the EDA-vs-SOA comparison (a lesson with `view: eda-vs-soa`):
//! - `service-health service=S health=up|slow|down` — service S is in that state now;
//! - `outage [soa-failed=N] [eda-ok=M]` — since the step began, the SOA side answered N users
//!   (default 1) with an error, while the EDA side answered M users (default 1) and none with
//!   an error;
//! - `caught-up service=S [after=N]` — the lag of S's consumer group on the EDA side is 0, after
//!   it was N (default 1) or more since the step began.
//!
//! Over WordCount (a lesson with `view: wordcount`):
//! - `store word=W count=N` — the count store holds W = N now;
//! - `wc-topic topic=repartition|changelog|output [key=W] [min=N]` — that topic of the
//!   application holds N records (default 1) or more, with key W when given.

use crate::sim::{TraceEvent, TraceKind, World};

/// A step's goal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Predicate {
    Appended {
        topic: Option<String>,
        key: Option<String>,
        count: u64,
    },
    Delivered {
        group: Option<String>,
        topic: Option<String>,
        count: u64,
    },
    Duplicate {
        group: Option<String>,
    },
    Rebalanced {
        group: String,
        members: u32,
    },
    Lag {
        group: String,
        topic: Option<String>,
        max: u64,
        after: u64,
    },
    LagOver {
        group: String,
        topic: Option<String>,
        min: u64,
    },
    Crashed,
    BrokerStopped {
        id: Option<u32>,
    },
    LeaderChanged {
        topic: Option<String>,
    },
    TopicExists {
        name: String,
    },
    TopicConfig {
        topic: String,
        name: String,
        value: String,
    },
    Tombstone {
        topic: Option<String>,
        key: Option<String>,
    },
    Compacted {
        topic: Option<String>,
        removed: u64,
    },
    Revoked {
        group: String,
        min: u64,
        max: Option<u64>,
    },
    Isr {
        topic: Option<String>,
        min: u64,
        max: Option<u64>,
    },
    ProduceFailed {
        topic: Option<String>,
        key: Option<String>,
        error: Option<String>,
    },
    ServiceHealth {
        service: String,
        health: String,
    },
    Outage {
        soa_failed: u64,
        eda_ok: u64,
    },
    CaughtUp {
        service: String,
        after: u64,
    },
    Store {
        word: String,
        count: String,
    },
    WcTopic {
        topic: String,
        key: Option<String>,
        min: u64,
    },
}

impl Predicate {
    /// Reads a predicate; an error says what is wrong, in a teacher's words.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut words = text.split_whitespace();
        let kind = words.next().ok_or("the check is empty")?;
        let mut fields: Vec<(&str, &str)> = Vec::new();
        for word in words {
            let (k, v) = word
                .split_once('=')
                .ok_or_else(|| format!("“{word}” is not key=value"))?;
            fields.push((k, v));
        }
        let text_of = |key: &str| {
            fields
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_string())
        };
        let number = |key: &str| -> Result<Option<u64>, String> {
            match fields.iter().find(|(k, _)| *k == key) {
                None => Ok(None),
                Some((_, v)) => v
                    .parse::<u64>()
                    .map(Some)
                    .map_err(|_| format!("{key}={v}: a whole number is needed")),
            }
        };
        let need = |key: &str| text_of(key).ok_or_else(|| format!("`{kind}` needs {key}=…"));
        let allowed: &[&str] = match kind {
            "appended" => &["topic", "key", "count"],
            "delivered" => &["group", "topic", "count"],
            "duplicate" => &["group"],
            "rebalanced" => &["group", "members"],
            "lag" => &["group", "topic", "max", "after"],
            "lag-over" => &["group", "topic", "min"],
            "crashed" => &[],
            "broker-stopped" => &["id"],
            "leader-changed" => &["topic"],
            "topic-exists" => &["name"],
            "topic-config" => &["topic", "name", "value"],
            "tombstone" => &["topic", "key"],
            "compacted" => &["topic", "removed"],
            "revoked" => &["group", "min", "max"],
            "isr" => &["topic", "min", "max"],
            "produce-failed" => &["topic", "key", "error"],
            "service-health" => &["service", "health"],
            "outage" => &["soa-failed", "eda-ok"],
            "caught-up" => &["service", "after"],
            "store" => &["word", "count"],
            "wc-topic" => &["topic", "key", "min"],
            other => {
                return Err(format!(
                    "unknown check “{other}” (use appended, delivered, duplicate, rebalanced, lag, lag-over, crashed, broker-stopped, leader-changed, topic-exists, topic-config, tombstone, compacted, revoked, isr, produce-failed, service-health, outage, caught-up, store or wc-topic)"
                ));
            }
        };
        if let Some((k, _)) = fields.iter().find(|(k, _)| !allowed.contains(k)) {
            return Err(format!("`{kind}` has no field {k}"));
        }
        Ok(match kind {
            "appended" => Predicate::Appended {
                topic: text_of("topic"),
                key: text_of("key"),
                count: number("count")?.unwrap_or(1),
            },
            "delivered" => Predicate::Delivered {
                group: text_of("group"),
                topic: text_of("topic"),
                count: number("count")?.unwrap_or(1),
            },
            "duplicate" => Predicate::Duplicate {
                group: text_of("group"),
            },
            "rebalanced" => Predicate::Rebalanced {
                group: need("group")?,
                members: number("members")?.ok_or("`rebalanced` needs members=…")? as u32,
            },
            "lag" => Predicate::Lag {
                group: need("group")?,
                topic: text_of("topic"),
                max: number("max")?.unwrap_or(0),
                after: number("after")?.unwrap_or(1),
            },
            "lag-over" => Predicate::LagOver {
                group: need("group")?,
                topic: text_of("topic"),
                min: number("min")?.ok_or("`lag-over` needs min=…")?,
            },
            "crashed" => Predicate::Crashed,
            "broker-stopped" => Predicate::BrokerStopped {
                id: number("id")?.map(|n| n as u32),
            },
            "leader-changed" => Predicate::LeaderChanged {
                topic: text_of("topic"),
            },
            "topic-config" => Predicate::TopicConfig {
                topic: need("topic")?,
                name: need("name")?,
                value: need("value")?,
            },
            "tombstone" => Predicate::Tombstone {
                topic: text_of("topic"),
                key: text_of("key"),
            },
            "compacted" => Predicate::Compacted {
                topic: text_of("topic"),
                removed: number("removed")?.unwrap_or(1),
            },
            "revoked" => Predicate::Revoked {
                group: need("group")?,
                min: number("min")?.unwrap_or(1),
                max: number("max")?,
            },
            "isr" => Predicate::Isr {
                topic: text_of("topic"),
                min: number("min")?.unwrap_or(0),
                max: number("max")?,
            },
            "produce-failed" => Predicate::ProduceFailed {
                topic: text_of("topic"),
                key: text_of("key"),
                error: text_of("error"),
            },
            "service-health" => Predicate::ServiceHealth {
                service: need("service")?,
                health: match need("health")?.as_str() {
                    h @ ("up" | "slow" | "down") => h.to_string(),
                    other => return Err(format!("health is up, slow or down, not “{other}”")),
                },
            },
            "outage" => Predicate::Outage {
                soa_failed: number("soa-failed")?.unwrap_or(1),
                eda_ok: number("eda-ok")?.unwrap_or(1),
            },
            "caught-up" => Predicate::CaughtUp {
                service: need("service")?,
                after: number("after")?.unwrap_or(1),
            },
            "store" => Predicate::Store {
                word: need("word")?,
                count: need("count")?,
            },
            "wc-topic" => Predicate::WcTopic {
                topic: match need("topic")?.as_str() {
                    t @ ("repartition" | "changelog" | "output") => t.to_string(),
                    other => {
                        return Err(format!(
                            "topic is repartition, changelog or output, not “{other}”"
                        ));
                    }
                },
                key: text_of("key"),
                min: number("min")?.unwrap_or(1),
            },
            _ => Predicate::TopicExists {
                name: need("name")?,
            },
        })
    }
}

/// A predicate being checked from the moment a step began.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checker {
    pub predicate: Predicate,
    /// Events before this virtual time do not count.
    pub since_ms: u64,
    /// Matching events seen so far (what `count` compares with).
    pub seen: u64,
    /// The highest lag seen (for `lag … after=`).
    pub lag_peak: u64,
    /// Records removed by the cleaner, or partitions revoked, so far (`compacted`, `revoked`).
    pub total: u64,
    /// Whether a rebalance of the group completed after the last revocation (`revoked`).
    pub settled: bool,
    /// The comparison's counts when the step began: SOA ok, SOA failed, EDA ok, EDA failed.
    pub base: Option<[u64; 4]>,
    /// When the predicate first held: the virtual time of the event that satisfied it.
    pub passed_at_ms: Option<u64>,
}

impl Checker {
    /// Starts checking `predicate` at `since_ms`.
    pub fn new(predicate: Predicate, since_ms: u64) -> Self {
        Self {
            predicate,
            since_ms,
            seen: 0,
            lag_peak: 0,
            total: 0,
            settled: false,
            base: None,
            passed_at_ms: None,
        }
    }

    /// Takes in events that just happened; `world` is the world after them.
    pub fn observe(&mut self, world: &World, events: &[TraceEvent]) {
        if self.passed_at_ms.is_some() {
            return;
        }
        let since = self.since_ms;
        for e in events.iter().filter(|e| e.at_ms >= since) {
            if self.matches(&e.kind) {
                self.seen += 1;
                self.tally(&e.kind);
                if self.holds_after_event() {
                    self.passed_at_ms = Some(e.at_ms);
                    return;
                }
            }
        }
        if self.holds_in_world(world) {
            self.passed_at_ms = Some(world.now_ms());
        }
    }

    /// Reads the EDA-vs-SOA comparison as it is now (a lesson over that view calls this on
    /// every refresh); the first call keeps the counts the step starts from.
    pub fn observe_comparison(&mut self, c: &crate::sim::compare::Comparison) {
        if self.passed_at_ms.is_some() {
            return;
        }
        let live = c.live();
        let counts = [
            live.soa.succeeded,
            live.soa.failed,
            live.eda.succeeded,
            live.eda.failed,
        ];
        let base = *self.base.get_or_insert(counts);
        let since = |i: usize| counts[i].saturating_sub(base[i]);
        let downstream = |name: &str| c.downstreams().iter().position(|d| d.spec.name == name);
        let holds = match &self.predicate {
            Predicate::ServiceHealth { service, health } => {
                let now = if *service == c.preset().front.name {
                    Some(c.front_health())
                } else {
                    downstream(service).map(|i| c.downstreams()[i].health)
                };
                now.is_some_and(|h| h.name() == health)
            }
            Predicate::Outage { soa_failed, eda_ok } => {
                since(1) >= *soa_failed && since(2) >= *eda_ok && since(3) == 0
            }
            Predicate::CaughtUp { service, after } => {
                match downstream(service).and_then(|i| live.eda.downstream.get(i)) {
                    Some(d) => {
                        self.lag_peak = self.lag_peak.max(d.backlog);
                        self.lag_peak >= *after && d.backlog == 0
                    }
                    None => false,
                }
            }
            _ => false,
        };
        if holds {
            self.passed_at_ms = Some(c.now_ms());
        }
    }

    /// Reads the WordCount view's world as it is now (a lesson over that view calls this on
    /// every refresh).
    pub fn observe_wordcount(&mut self, m: &crate::ui::wordcount::model::Model) {
        if self.passed_at_ms.is_some() {
            return;
        }
        let holds = match &self.predicate {
            Predicate::Store { word, count } => m
                .store_rows()
                .iter()
                // The view quotes a String key: “kafka”.
                .any(|(_, w, c)| w.trim_matches(['“', '”']) == word && c == count),
            Predicate::WcTopic { topic, key, min } => {
                let program = m.program();
                let name = match topic.as_str() {
                    "output" => Some(crate::sim::streams::examples::WORD_COUNT_OUTPUT.to_string()),
                    "changelog" => program
                        .and_then(|p| p.stores.first())
                        .map(|s| s.changelog.to_string()),
                    _ => program
                        .and_then(|p| p.subtopology_topics.get(1))
                        .and_then(|t| t.first())
                        .map(ToString::to_string),
                };
                let held = name.and_then(|n| m.world().topic(&n)).map_or(0, |t| {
                    t.partitions
                        .iter()
                        .flat_map(|p| p.log.records_from(p.log.log_start_offset()))
                        .filter(|r| {
                            key.as_ref()
                                .is_none_or(|k| r.key.as_deref() == Some(k.as_bytes()))
                        })
                        .count() as u64
                });
                held >= *min
            }
            _ => false,
        };
        if holds {
            self.passed_at_ms = Some(m.world().now_ms());
        }
    }

    /// Whether the step's goal was reached.
    pub fn passed(&self) -> bool {
        self.passed_at_ms.is_some()
    }

    fn matches(&self, kind: &TraceKind) -> bool {
        let same = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
        match (&self.predicate, kind) {
            (
                Predicate::Appended { topic, key, .. },
                TraceKind::RecordAppended {
                    topic: t, key: k, ..
                },
            ) => {
                same(topic, t)
                    && key.as_ref().is_none_or(|want| {
                        k.as_ref().is_some_and(|have| have[..] == *want.as_bytes())
                    })
            }
            (
                Predicate::Delivered { group, topic, .. },
                TraceKind::RecordDelivered {
                    group: g, topic: t, ..
                },
            ) => {
                same(topic, t) && (group.is_none() || g.as_deref().is_some_and(|g| same(group, g)))
            }
            (
                Predicate::Duplicate { group },
                TraceKind::RecordDelivered {
                    group: g,
                    duplicate: true,
                    ..
                },
            ) => group.is_none() || g.as_deref().is_some_and(|g| same(group, g)),
            (
                Predicate::Rebalanced { group, members },
                TraceKind::RebalanceCompleted {
                    group: g,
                    assignment,
                    ..
                },
            ) => **g == **group && assignment.len() as u32 == *members,
            (Predicate::Crashed, TraceKind::ConsumerCrashed { .. }) => true,
            (Predicate::BrokerStopped { id }, TraceKind::BrokerStopped { broker }) => {
                id.is_none_or(|id| id == *broker)
            }
            (Predicate::LeaderChanged { topic }, TraceKind::LeaderChanged { topic: t, .. }) => {
                same(topic, t)
            }
            (
                Predicate::Tombstone { topic, key },
                TraceKind::RecordAppended {
                    topic: t,
                    key: Some(k),
                    value: None,
                    ..
                },
            ) => same(topic, t) && key.as_ref().is_none_or(|want| k[..] == *want.as_bytes()),
            (
                Predicate::Compacted { topic, .. },
                TraceKind::LogCleaned {
                    topic: t,
                    records_removed,
                    ..
                },
            ) => same(topic, t) && *records_removed > 0,
            (Predicate::Isr { topic, min, max }, TraceKind::IsrChanged { topic: t, isr, .. }) => {
                let n = isr.len() as u64;
                same(topic, t) && n >= *min && max.is_none_or(|m| n <= m)
            }
            (
                Predicate::ProduceFailed { topic, key, error },
                TraceKind::ProduceFailed {
                    topic: t,
                    keys,
                    error: e,
                    ..
                },
            ) => {
                // "org.apache.kafka.common.errors.NotEnoughReplicasException: Messages are …"
                let class = e.split(':').next().unwrap_or_default();
                let simple = class.rsplit('.').next().unwrap_or_default();
                same(topic, t)
                    && key
                        .as_ref()
                        .is_none_or(|want| keys.iter().flatten().any(|k| k[..] == *want.as_bytes()))
                    && error.as_deref().is_none_or(|want| {
                        simple == want || simple.strip_suffix("Exception") == Some(want)
                    })
            }
            (Predicate::Revoked { group, .. }, TraceKind::PartitionsRevoked { group: g, .. })
            | (Predicate::Revoked { group, .. }, TraceKind::RebalanceCompleted { group: g, .. }) => {
                **g == **group
            }
            _ => false,
        }
    }

    /// What a matching event adds to the running totals.
    fn tally(&mut self, kind: &TraceKind) {
        match kind {
            TraceKind::LogCleaned {
                records_removed, ..
            } => self.total += records_removed,
            TraceKind::PartitionsRevoked { partitions, .. } => {
                self.total += partitions.len() as u64;
                self.settled = false;
            }
            TraceKind::RebalanceCompleted { .. } => self.settled = true,
            _ => {}
        }
    }

    /// After a matching event: whether the goal holds now.
    fn holds_after_event(&self) -> bool {
        match &self.predicate {
            Predicate::Appended { count, .. } | Predicate::Delivered { count, .. } => {
                self.seen >= *count
            }
            Predicate::Duplicate { .. }
            | Predicate::Rebalanced { .. }
            | Predicate::Crashed
            | Predicate::BrokerStopped { .. }
            | Predicate::LeaderChanged { .. }
            | Predicate::Isr { .. }
            | Predicate::ProduceFailed { .. } => true,
            Predicate::Tombstone { .. } => true,
            Predicate::Compacted { removed, .. } => self.total >= *removed,
            Predicate::Revoked { min, max, .. } => {
                self.settled && self.total >= *min && max.is_none_or(|m| self.total <= m)
            }
            Predicate::Lag { .. }
            | Predicate::LagOver { .. }
            | Predicate::TopicExists { .. }
            | Predicate::TopicConfig { .. }
            | Predicate::ServiceHealth { .. }
            | Predicate::Outage { .. }
            | Predicate::CaughtUp { .. }
            | Predicate::Store { .. }
            | Predicate::WcTopic { .. } => false,
        }
    }

    /// Goals read from the world rather than from events.
    fn holds_in_world(&mut self, world: &World) -> bool {
        match &self.predicate {
            Predicate::TopicExists { name } => world.topic(name).is_some(),
            Predicate::TopicConfig { topic, name, value } => world
                .topic(topic)
                .and_then(|t| t.config.effective_value(name))
                .is_some_and(|v| v == *value),
            Predicate::Lag {
                group,
                topic,
                max,
                after,
            } => {
                let rows = world.group_lag(group);
                let lag: u64 = rows
                    .iter()
                    .filter(|r| topic.as_deref().is_none_or(|t| *r.topic == *t))
                    .filter_map(|r| r.lag)
                    .sum();
                self.lag_peak = self.lag_peak.max(lag);
                !rows.is_empty() && self.lag_peak >= *after && lag <= *max
            }
            Predicate::LagOver { group, topic, min } => {
                let lag: u64 = world
                    .group_lag(group)
                    .iter()
                    .filter(|r| topic.as_deref().is_none_or(|t| *r.topic == *t))
                    .filter_map(|r| r.lag)
                    .sum();
                lag >= *min
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::command::Command;

    fn world() -> (World, u32) {
        let mut w = World::new(4);
        w.create_topic("orders", 3, 1).expect("topic");
        let p = w.add_producer().expect("producer");
        (w, p)
    }

    fn check(world: &mut World, checker: &mut Checker, ms: u64) {
        let events = world.advance(ms).expect("advance");
        checker.observe(world, &events);
    }

    #[test]
    fn the_vocabulary_reads_and_bad_checks_are_named() {
        assert_eq!(
            Predicate::parse("appended key=alice count=3"),
            Ok(Predicate::Appended {
                topic: None,
                key: Some("alice".into()),
                count: 3
            })
        );
        for (bad, why) in [
            ("", "empty"),
            ("appeneded", "unknown check"),
            ("appended count=x", "whole number"),
            ("rebalanced group=g", "members"),
            ("lag max=0", "needs group"),
            ("crashed group=g", "no field group"),
            ("appended key", "not key=value"),
        ] {
            let err = Predicate::parse(bad).expect_err(bad);
            assert!(err.contains(why), "{bad}: {err}");
        }
    }

    #[test]
    fn appended_holds_at_the_third_matching_record_and_not_before() {
        let (mut w, p) = world();
        let mut c = Checker::new(
            Predicate::parse("appended key=alice count=3").expect("p"),
            0,
        );
        for value in ["1", "2"] {
            w.produce(p, "orders", Some("alice"), value)
                .expect("produce");
        }
        w.produce(p, "orders", Some("bob"), "x").expect("produce");
        check(&mut w, &mut c, 2_000);
        assert!(!c.passed(), "two alice records so far");
        w.produce(p, "orders", Some("alice"), "3").expect("produce");
        check(&mut w, &mut c, 2_000);
        let at = c.passed_at_ms.expect("holds later");
        assert!(
            (2_000..4_000).contains(&at),
            "the third append's time: {at}"
        );
    }

    #[test]
    fn events_before_the_step_do_not_count() {
        let (mut w, p) = world();
        w.produce(p, "orders", Some("alice"), "old")
            .expect("produce");
        w.advance(2_000).expect("advance");
        let mut c = Checker::new(Predicate::parse("appended count=1").expect("p"), w.now_ms());
        check(&mut w, &mut c, 1_000);
        assert!(!c.passed());
    }

    #[test]
    fn rebalanced_crashed_and_lag_follow_the_group() {
        let (mut w, p) = world();
        let a = w.add_group_consumer("billing", &["orders"]).expect("c");
        w.add_group_consumer("billing", &["orders"]).expect("c");
        let mut two = Checker::new(
            Predicate::parse("rebalanced group=billing members=2").expect("p"),
            0,
        );
        check(&mut w, &mut two, 8_000);
        assert!(two.passed());
        let mut crash = Checker::new(Predicate::Crashed, w.now_ms());
        let mut one = Checker::new(
            Predicate::parse("rebalanced group=billing members=1").expect("p"),
            w.now_ms(),
        );
        w.apply(Command::CrashConsumer { consumer: a })
            .expect("crash");
        check(&mut w, &mut crash, 100);
        assert!(crash.passed());
        check(&mut w, &mut one, 10_000);
        assert!(!one.passed(), "not before session.timeout.ms (45 s)");
        check(&mut w, &mut one, 50_000);
        assert!(
            one.passed(),
            "the survivor owns everything after the timeout"
        );
        let mut lag = Checker::new(
            Predicate::parse("lag group=billing max=0 after=20").expect("p"),
            w.now_ms(),
        );
        check(&mut w, &mut lag, 100);
        assert!(!lag.passed(), "no lag yet, so it has not fallen");
        for i in 0..30 {
            w.produce(p, "orders", Some(&format!("k{i}")), "v")
                .expect("produce");
        }
        // Appended but not yet read: lag rises, then the consumer catches up.
        check(&mut w, &mut lag, 400);
        check(&mut w, &mut lag, 20_000);
        assert!(
            lag.passed(),
            "lag fell to 0 after it was ≥ 20 (peak {})",
            lag.lag_peak
        );
    }

    #[test]
    fn topic_exists_reads_the_world() {
        let (mut w, _) = world();
        let mut c = Checker::new(
            Predicate::parse("topic-exists name=payments").expect("p"),
            0,
        );
        check(&mut w, &mut c, 10);
        assert!(!c.passed());
        w.create_topic("payments", 1, 1).expect("topic");
        check(&mut w, &mut c, 10);
        assert!(c.passed());
    }
    #[test]
    fn topic_config_tombstone_and_compacted_follow_the_log() {
        let mut w = World::new(4);
        let p = w.add_producer().expect("producer");
        let mut config = Checker::new(
            Predicate::parse("topic-config topic=prices name=cleanup.policy value=compact")
                .expect("p"),
            0,
        );
        check(&mut w, &mut config, 10);
        assert!(!config.passed(), "no topic yet");
        let configs = [
            ("cleanup.policy", "compact"),
            ("segment.ms", "100"),
            ("min.cleanable.dirty.ratio", "0.01"),
        ];
        w.apply(Command::CreateTopic {
            name: "prices".into(),
            partitions: Some(1),
            replication_factor: Some(1),
            configs: configs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        })
        .expect("topic");
        check(&mut w, &mut config, 10);
        assert!(config.passed());
        let mut tombstone = Checker::new(
            Predicate::parse("tombstone topic=prices key=pear").expect("p"),
            w.now_ms(),
        );
        let mut compacted = Checker::new(
            Predicate::parse("compacted topic=prices removed=2").expect("p"),
            w.now_ms(),
        );
        for (key, value) in [("apple", "1"), ("apple", "2"), ("pear", "5")] {
            w.produce(p, "prices", Some(key), value).expect("produce");
            check(&mut w, &mut tombstone, 500);
            compacted.observe(&w, &[]);
        }
        assert!(!tombstone.passed(), "no null value yet");
        let mut record = crate::sim::command::NewRecord::new("prices", Some("pear"), "");
        record.value = None;
        w.apply(Command::Produce {
            producer: p,
            record,
        })
        .expect("tombstone");
        check(&mut w, &mut tombstone, 500);
        assert!(tombstone.passed());
        // One more record closes the tombstone's segment; the cleaner runs every 15 s.
        w.produce(p, "prices", Some("banana"), "1")
            .expect("produce");
        check(&mut w, &mut compacted, 1_000);
        assert!(!compacted.passed(), "the cleaner has not run yet");
        check(&mut w, &mut compacted, 30_000);
        assert!(
            compacted.passed(),
            "apple:1 and pear:5 removed (total {})",
            compacted.total
        );
    }

    #[test]
    fn revoked_counts_what_a_third_member_costs_per_assignor() {
        use crate::sim::assignor::AssignorKind;
        use crate::sim::client::{ConsumerConfig, OffsetReset};
        use crate::sim::command::Subscription;
        let join = |w: &mut World, assignor: AssignorKind| {
            w.apply(Command::AddConsumer {
                config: ConsumerConfig {
                    group_id: Some("billing".into()),
                    auto_offset_reset: OffsetReset::Earliest,
                    assignors: vec![assignor],
                    ..Default::default()
                },
                subscription: Subscription::Topics(vec!["orders".into()]),
            })
            .expect("consumer");
        };
        let mut revoked = Vec::new();
        for assignor in [AssignorKind::Range, AssignorKind::CooperativeSticky] {
            let (mut w, _) = world();
            join(&mut w, assignor);
            join(&mut w, assignor);
            w.advance(10_000).expect("advance");
            let mut c = Checker::new(
                Predicate::parse("revoked group=billing min=1").expect("p"),
                w.now_ms(),
            );
            check(&mut w, &mut c, 10);
            assert!(!c.passed(), "{assignor:?}: nothing revoked yet");
            join(&mut w, assignor);
            check(&mut w, &mut c, 10_000);
            assert!(c.passed(), "{assignor:?}: the third member's rebalance");
            revoked.push(c.total);
        }
        assert_eq!(
            revoked,
            vec![3, 1],
            "eager range revokes every partition; cooperative-sticky only the one that moves"
        );
        let max = Predicate::parse("revoked group=billing max=1").expect("p");
        assert_eq!(
            max,
            Predicate::Revoked {
                group: "billing".into(),
                min: 1,
                max: Some(1)
            }
        );
    }
    /// Replication factor 3 and `min.insync.replicas=2`: stopping one broker shrinks every ISR
    /// to 2 (acks=all still works), stopping a second shrinks it to 1, and the leader then
    /// refuses acks=all batches with `NotEnoughReplicasException` (Kafka 4.1.1:
    /// `Partition.appendRecordsToLeader` throws it when the ISR is below `minIsr` and
    /// `requiredAcks == -1`; `Errors.NOT_ENOUGH_REPLICAS`, a `RetriableException`). Starting
    /// the broker again grows the ISR back.
    #[test]
    fn isr_and_produce_failed_follow_the_replicas() {
        let mut w = World::new(4);
        for id in [2, 3] {
            w.apply(Command::StartBroker { id }).expect("broker");
        }
        w.create_topic("orders", 3, 3).expect("topic");
        w.apply(Command::AlterTopicConfig {
            name: "orders".into(),
            key: "min.insync.replicas".into(),
            value: Some("2".into()),
        })
        .expect("config");
        let p = w.add_producer().expect("producer (acks=all by default)");
        let parse = |text: &str| Predicate::parse(text).expect(text);
        let mut shrunk = Checker::new(parse("isr topic=orders max=1"), 0);
        let mut refused = Checker::new(
            parse("produce-failed topic=orders key=alice error=NotEnoughReplicas"),
            0,
        );
        let mut other_error = Checker::new(parse("produce-failed error=RecordTooLarge"), 0);
        let mut other_key = Checker::new(parse("produce-failed key=bob"), 0);
        w.produce(p, "orders", Some("alice"), "0").expect("produce");
        check(&mut w, &mut refused, 2_000);
        assert!(!refused.passed(), "three replicas in sync: accepted");
        w.apply(Command::StopBroker { id: 1 }).expect("stop 1");
        check(&mut w, &mut shrunk, 100);
        assert!(!shrunk.passed(), "the ISR shrank to 2, not 1");
        w.produce(p, "orders", Some("alice"), "1").expect("produce");
        check(&mut w, &mut refused, 2_000);
        assert!(
            !refused.passed(),
            "2 in sync = min.insync.replicas: accepted"
        );
        w.apply(Command::StopBroker { id: 2 }).expect("stop 2");
        check(&mut w, &mut shrunk, 100);
        assert!(shrunk.passed(), "the ISR shrank to the leader alone");
        w.produce(p, "orders", Some("alice"), "2").expect("produce");
        let events = w.advance(2_000).expect("advance");
        refused.observe(&w, &events);
        other_error.observe(&w, &events);
        other_key.observe(&w, &events);
        assert!(refused.passed(), "1 in sync < 2: NotEnoughReplicas");
        assert!(!other_error.passed(), "only the named exception counts");
        assert!(!other_key.passed(), "only alice was refused");
        let mut full_name =
            Checker::new(parse("produce-failed error=NotEnoughReplicasException"), 0);
        full_name.observe(&w, &events);
        assert!(full_name.passed(), "the class's simple name works too");
        let mut grown = Checker::new(parse("isr topic=orders min=2"), w.now_ms());
        check(&mut w, &mut grown, 100);
        assert!(!grown.passed(), "no broker back yet");
        w.apply(Command::StartBroker { id: 2 }).expect("start 2");
        check(&mut w, &mut grown, 5_000);
        assert!(grown.passed(), "broker 2 caught up and rejoined the ISR");
    }

    #[test]
    fn outage_and_caught_up_read_the_comparison() {
        use crate::sim::compare::{Comparison, Preset};
        use crate::sim::soa::Health;
        let mut c = Comparison::new(42, Preset::user_registration()).expect("comparison");
        c.advance(5_000).expect("advance");
        let mut outage = Checker::new(
            Predicate::parse("outage soa-failed=5 eda-ok=5").expect("p"),
            0,
        );
        outage.observe_comparison(&c);
        c.advance(5_000).expect("advance");
        outage.observe_comparison(&c);
        assert!(!outage.passed(), "every service up: no SOA failure");
        c.set_health("email-service", Health::Down).expect("down");
        let mut down = Checker::new(
            Predicate::parse("service-health service=email-service health=down").expect("p"),
            0,
        );
        down.observe_comparison(&c);
        assert!(down.passed());
        c.advance(10_000).expect("advance");
        outage.observe_comparison(&c);
        assert!(outage.passed(), "SOA failed users while EDA served them");
        let mut caught = Checker::new(
            Predicate::parse("caught-up service=email-service after=5").expect("p"),
            0,
        );
        caught.observe_comparison(&c);
        assert!(
            !caught.passed(),
            "its events wait in the topic (peak {})",
            caught.lag_peak
        );
        c.set_health("email-service", Health::Up).expect("up");
        for _ in 0..100 {
            c.advance(100).expect("advance");
            caught.observe_comparison(&c);
        }
        assert!(caught.passed(), "the group read on after it came back");
    }

    #[test]
    fn store_and_wc_topic_read_wordcount() {
        use crate::ui::wordcount::model::{Action, Model};
        let mut m = Model::from_hash("#/wordcount?seed=42");
        let mut store = Checker::new(Predicate::parse("store word=kafka count=2").expect("p"), 0);
        let mut output = Checker::new(
            Predicate::parse("wc-topic topic=output key=kafka min=2").expect("p"),
            0,
        );
        m.act(Action::Produce("all streams lead to kafka".into()));
        for _ in 0..30 {
            m.act(Action::StepRecord);
        }
        store.observe_wordcount(&m);
        output.observe_wordcount(&m);
        assert!(!store.passed() && !output.passed(), "kafka = 1 so far");
        m.act(Action::Produce("hello kafka streams".into()));
        for _ in 0..30 {
            m.act(Action::StepRecord);
        }
        store.observe_wordcount(&m);
        output.observe_wordcount(&m);
        assert!(
            store.passed() && output.passed(),
            "kafka = 2, emitted twice"
        );
    }
}
