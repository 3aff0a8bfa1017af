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
//! - `delivered [group=G] [count=N]` — records delivered to members of G;
//! - `duplicate [group=G]` — a record delivered again (at-least-once redelivery);
//! - `rebalanced group=G members=N` — G completed a rebalance with N members;
//! - `lag group=G [topic=T] max=M after=A` — G's lag fell to M or less after it was A or more;
//! - `lag-over group=G [topic=T] min=N` — G's lag reached N records;
//! - `crashed` — a consumer crashed; `broker-stopped [id=N]`; `leader-changed [topic=T]`;
//! - `topic-exists name=T` — the topic exists now.

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
            "delivered" => &["group", "count"],
            "duplicate" => &["group"],
            "rebalanced" => &["group", "members"],
            "lag" => &["group", "topic", "max", "after"],
            "lag-over" => &["group", "topic", "min"],
            "crashed" => &[],
            "broker-stopped" => &["id"],
            "leader-changed" => &["topic"],
            "topic-exists" => &["name"],
            other => {
                return Err(format!(
                    "unknown check “{other}” (use appended, delivered, duplicate, rebalanced, lag, lag-over, crashed, broker-stopped, leader-changed or topic-exists)"
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
            passed_at_ms: None,
        }
    }

    /// Takes in events that just happened; `world` is the world after them.
    pub fn observe(&mut self, world: &World, events: &[TraceEvent]) {
        if self.passed_at_ms.is_some() {
            return;
        }
        for e in events.iter().filter(|e| e.at_ms >= self.since_ms) {
            if self.matches(&e.kind) {
                self.seen += 1;
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
            (Predicate::Delivered { group, .. }, TraceKind::RecordDelivered { group: g, .. }) => {
                group.is_none() || g.as_deref().is_some_and(|g| same(group, g))
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
            _ => false,
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
            | Predicate::LeaderChanged { .. } => true,
            Predicate::Lag { .. } | Predicate::LagOver { .. } | Predicate::TopicExists { .. } => {
                false
            }
        }
    }

    /// Goals read from the world rather than from events.
    fn holds_in_world(&mut self, world: &World) -> bool {
        match &self.predicate {
            Predicate::TopicExists { name } => world.topic(name).is_some(),
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
}
