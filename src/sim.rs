//! The engine: a deterministic, Kafka-faithful broker simulation in pure Rust.
//!
//! `sim` never imports `ui`, `console`, yew, web-sys, js-sys, gloo or wasm-bindgen, reads no
//! real clock and no OS randomness. Commands go in through [`World`] methods (each returning
//! `Result<_, SimError>`); time moves only through `advance`; what happened comes out as
//! [`TraceEvent`]s. That is what makes it testable natively, replayable from a seed and
//! shareable as a URL.

pub mod assignor;
pub mod client;
pub mod cluster;
pub mod command;
pub mod compare;
pub mod error;
pub mod export;
pub mod group;
pub mod import;
pub mod log;
pub mod partitioner;
pub mod rng;
pub mod scenario;
pub mod soa;
pub mod sort;
pub mod streams;
pub mod text;
pub mod timeline;
pub mod trace;
pub mod validate;
pub mod vecmap;
pub mod world;

pub use error::SimError;
pub use rng::Rng;
pub use trace::{TraceEvent, TraceKind};
pub use world::World;
