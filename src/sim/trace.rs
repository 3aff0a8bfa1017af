//! The trace: everything that happened in the world, stamped with virtual time.
//!
//! The trace is the single feed for the animation, the event log, metrics, lesson checkpoints
//! and tests. Anything that travels carries `sent_at_ms` and `arrives_at_ms` so a view can
//! draw it part way along its edge. Events are plain data: no view code lives here.

use serde::{Deserialize, Serialize};

/// One thing that happened, at virtual time `at_ms`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceEvent {
    /// Virtual time at which the event took effect, in milliseconds since the world began.
    pub at_ms: u64,
    /// What happened.
    pub kind: TraceKind,
}

/// The kinds of event the engine reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TraceKind {
    /// The world was created from `seed`.
    WorldStarted { seed: u64 },
}
