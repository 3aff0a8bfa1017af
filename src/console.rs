//! The console: Kafka's command-line tools, run against a simulated [`World`](crate::sim::World).
//!
//! The same code serves the page's terminal and the native `eda-console` script runner, so a
//! golden transcript checked natively is what a learner sees in the page. This module holds
//! what every part of the console shares; the shell and one file per tool live in `console/`.

pub mod tool;

pub use tool::KafkaTool;
