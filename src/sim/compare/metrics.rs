//! What the comparison measures, side by side: the user-facing outcome of every request
//! (latency over a sliding window, success rate, counts), work done and backlog per downstream
//! service, and coupling (direct dependencies).
//!
//! Invariants: integer milliseconds and counts only (no floats, no `usize` in anything a view
//! or a test compares); the sliding window keeps at most [`WINDOW_CAPACITY`] answers and only
//! those younger than the window; percentiles are nearest-rank over that window.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::sim::soa::{Health, UserAnswer};

/// Most answers the sliding window holds (the oldest go first).
pub const WINDOW_CAPACITY: usize = 4_096;
/// Most recent answers kept per side for "what the user saw".
pub const RECENT_ANSWERS: usize = 32;

/// One downstream service's numbers on one side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownstreamSample {
    /// SOA: requests it answered successfully. EDA: records its consumers received and
    /// processed (redeliveries included).
    pub work_done: u64,
    /// SOA: requests waiting in its queue. EDA: its consumer group's lag (log end minus
    /// committed offset, summed over the topic's partitions).
    pub backlog: u64,
    /// Services or topics it calls or reads directly (SOA downstream: 0; EDA consumer: 1).
    pub dependencies: u32,
    pub health: Health,
}

/// One side's numbers at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SideSample {
    /// Median user-facing latency over the window, in ms (`None` with no answers in it).
    pub p50_ms: Option<u64>,
    /// 99th-percentile user-facing latency over the window, in ms.
    pub p99_ms: Option<u64>,
    /// Successful answers per thousand answers in the window.
    pub success_per_mille: Option<u32>,
    /// Users who saw the success word ("registered"), since the start.
    pub succeeded: u64,
    /// Users who saw an error (or gave up waiting), since the start.
    pub failed: u64,
    /// Users still waiting for an answer.
    pub waiting: u64,
    /// The front service's direct dependencies (SOA: one per downstream it calls; EDA: 1,
    /// the topic).
    pub front_dependencies: u32,
    /// Per downstream service, in [`Comparison::downstreams`] order.
    ///
    /// [`Comparison::downstreams`]: crate::sim::compare::Comparison::downstreams
    pub downstream: Vec<DownstreamSample>,
}

/// Both sides at one virtual moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    pub at_ms: u64,
    /// User requests sent so far (the same on both sides).
    pub requests: u64,
    pub soa: SideSample,
    pub eda: SideSample,
}

/// The user-facing outcomes of one side.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcomes {
    /// (answered at, latency, ok), oldest first.
    window: VecDeque<(u64, u64, bool)>,
    recent: VecDeque<UserAnswer>,
    pub succeeded: u64,
    pub failed: u64,
}

impl Outcomes {
    /// Counts one answer.
    pub fn record(&mut self, answer: &UserAnswer) {
        if answer.ok {
            self.succeeded += 1;
        } else {
            self.failed += 1;
        }
        if self.window.len() >= WINDOW_CAPACITY {
            self.window.pop_front();
        }
        self.window
            .push_back((answer.answered_at_ms, answer.latency_ms(), answer.ok));
        if self.recent.len() >= RECENT_ANSWERS {
            self.recent.pop_front();
        }
        self.recent.push_back(*answer);
    }

    /// Drops answers older than `window_ms` before `now_ms`.
    pub fn trim(&mut self, now_ms: u64, window_ms: u64) {
        let from = now_ms.saturating_sub(window_ms);
        while self.window.front().is_some_and(|(at, _, _)| *at < from) {
            self.window.pop_front();
        }
    }

    /// The latest answers, oldest first.
    pub fn recent(&self) -> &VecDeque<UserAnswer> {
        &self.recent
    }

    /// Nearest-rank percentile of the window's latencies.
    pub fn latency_percentile(&self, per_cent: u32) -> Option<u64> {
        let mut latencies: Vec<u64> = self.window.iter().map(|(_, l, _)| *l).collect();
        crate::sim::sort::sort(&mut latencies);
        percentile(&latencies, per_cent)
    }

    /// Successful answers per thousand in the window.
    pub fn success_per_mille(&self) -> Option<u32> {
        let total = self.window.len() as u64;
        if total == 0 {
            return None;
        }
        let ok = self.window.iter().filter(|(_, _, ok)| *ok).count() as u64;
        Some((ok * 1_000 / total) as u32)
    }
}

/// The nearest-rank `per_cent` percentile of ascending `sorted` values (`None` when empty).
pub fn percentile(sorted: &[u64], per_cent: u32) -> Option<u64> {
    let n = sorted.len() as u64;
    if n == 0 {
        return None;
    }
    let rank = (n * u64::from(per_cent.min(100))).div_ceil(100).max(1);
    sorted.get((rank - 1) as usize).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&v, 50), Some(50));
        assert_eq!(percentile(&v, 99), Some(99));
        assert_eq!(percentile(&v, 100), Some(100));
        assert_eq!(percentile(&[7], 99), Some(7));
        assert_eq!(percentile(&[], 50), None);
        assert_eq!(percentile(&[1, 2, 3], 0), Some(1));
    }

    #[test]
    fn the_window_forgets_old_answers() {
        let mut o = Outcomes::default();
        let answer = |at, ok| UserAnswer {
            request: 0,
            ok,
            failure: None,
            sent_at_ms: at - 10,
            answered_at_ms: at,
        };
        o.record(&answer(100, false));
        o.record(&answer(5_000, true));
        o.trim(10_050, 10_000);
        assert_eq!(o.success_per_mille(), Some(500));
        o.trim(12_000, 10_000);
        assert_eq!(o.success_per_mille(), Some(1_000));
        assert_eq!((o.succeeded, o.failed), (1, 1));
    }
}
