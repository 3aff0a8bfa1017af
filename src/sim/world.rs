//! The `World`: owner of the virtual clock, the one seeded RNG and everything simulated.
//!
//! Invariants: the clock only moves forward, and only through [`World::advance`]; the RNG is
//! only drawn from inside `World` methods, in a deterministic order; every state change is
//! reported as a [`TraceEvent`]. Same seed + same commands at the same virtual times ⇒ identical
//! trace, on native and wasm32 alike.

use crate::sim::error::SimError;
use crate::sim::rng::Rng;
use crate::sim::trace::{TraceEvent, TraceKind};

/// The whole simulated system.
#[derive(Clone, Debug)]
pub struct World {
    seed: u64,
    now_ms: u64,
    rng: Rng,
    started: bool,
}

impl World {
    /// A new world at virtual time 0 whose randomness is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            seed,
            now_ms: 0,
            rng: Rng::new(seed),
            started: false,
        }
    }

    /// The seed this world was built from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Current virtual time in milliseconds.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// Moves virtual time forward by `delta_ms` and returns what happened meanwhile.
    pub fn advance(&mut self, delta_ms: u64) -> Result<Vec<TraceEvent>, SimError> {
        let target = self.now_ms.checked_add(delta_ms).ok_or_else(|| {
            SimError::InvalidTime(format!(
                "advancing {delta_ms} ms from {} ms overflows",
                self.now_ms
            ))
        })?;
        let mut events = Vec::new();
        if !self.started {
            self.started = true;
            events.push(TraceEvent {
                at_ms: self.now_ms,
                kind: TraceKind::WorldStarted { seed: self.seed },
            });
        }
        self.now_ms = target;
        Ok(events)
    }

    /// Draws from the world's RNG (for engine components; keeps all randomness in one stream).
    #[allow(dead_code)] // its callers, the engine's components, arrive with the engine issue
    pub(crate) fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_the_clock_and_reports_the_start_once() {
        let mut world = World::new(42);
        let first = world.advance(10).expect("advance");
        assert_eq!(
            first,
            vec![TraceEvent {
                at_ms: 0,
                kind: TraceKind::WorldStarted { seed: 42 }
            }]
        );
        assert_eq!(world.now_ms(), 10);
        assert!(world.advance(5).expect("advance").is_empty());
        assert_eq!(world.now_ms(), 15);
    }

    #[test]
    fn advance_refuses_overflow_and_keeps_the_clock() {
        let mut world = World::new(1);
        world.advance(100).expect("advance");
        let err = world.advance(u64::MAX).expect_err("must overflow");
        assert!(matches!(err, SimError::InvalidTime(_)));
        assert_eq!(world.now_ms(), 100);
    }

    #[test]
    fn the_rng_stream_is_fixed_by_the_seed() {
        let mut a = World::new(5);
        let mut b = World::new(5);
        let xs: Vec<u64> = (0..4).map(|_| a.rng().next_u64()).collect();
        let ys: Vec<u64> = (0..4).map(|_| b.rng().next_u64()).collect();
        assert_eq!(xs, ys);
        assert_eq!(a.seed(), 5);
    }
}
