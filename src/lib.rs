//! eda-playground: watch event-driven architecture happen, in the browser.
//!
//! One crate, three layers (see `DESIGN.md` in the shared folder):
//!
//! - [`sim`] — the engine: a deterministic, Kafka-faithful broker simulation in pure Rust.
//!   It never touches the DOM, a real clock or OS randomness, so it runs identically natively
//!   (tests, benchmarks, the `eda-console` binary) and in the page (wasm32).
//! - [`console`] — Kafka's command-line tools, parsed and executed against a [`sim`] world.
//! - [`ui`] — the Yew single-page app: views that read the engine and dispatch actions.
//!
//! `src/main.rs` is the wasm entry point that mounts [`ui::App`].

pub mod console;
pub mod sim;
pub mod ui;

/// The crate version shown in the page footer and by the console.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The Apache Kafka release the simulator targets: its tools' output, the footer and every
/// export (`sim::export`) follow this one release.
pub const KAFKA_VERSION: &str = "4.1.1";
