//! Kafka Streams in the engine: a DSL subset, Kafka's topology description, and a runtime that
//! runs the topology against the simulated cluster one record and one processor at a time.
//!
//! Responsibility: what `org.apache.kafka.streams` does for an application such as Kafka's
//! `WordCountDemo`. [`StreamsBuilder`] builds a topology with the DSL (`stream`, `filter`,
//! `map_values`, `flat_map_values`, `select_key`, `group_by`, `group_by_key`, `count`,
//! `reduce`, `aggregate`, `to_stream`, `to`) and names its processors, stores and internal
//! topics exactly as Kafka's `InternalStreamsBuilder` does; [`Topology::describe`] prints
//! Kafka's `TopologyDescription`. The runtime ([`StreamThread`], one per application) splits
//! the topology into sub-topologies at repartition topics, runs one task per input partition
//! (`0_0`, `1_0`, …) with a key-value store and its changelog per task, a record cache with
//! Kafka's semantics, and produces through real engine producers and commits through the
//! engine's consumer group (see `world/streams.rs`). [`StreamThread::step`] advances exactly one
//! record through exactly one processor node and says what went in, what came out and what
//! changed in the store; normal running is nothing but repeated steps.
//!
//! Invariants: deterministic (no `HashMap` iteration reaches a result, no clock, no OS
//! randomness); no input panics (bad data, a wrong serde, a full store are errors that stop
//! the application, as Kafka's `LogAndFail` handlers do); bounded (store keys per task,
//! buffered records per partition and queued work per task all have caps with a clear error).
//!
//! Layout: `value.rs` (values, serdes, Java's `toLowerCase`/`split`), `topology.rs` (the DSL and
//! the built topology), `describe.rs` (`TopologyDescription`), `store.rs` (key-value store and
//! record cache), `task.rs` (stream tasks and the thread that steps them), `driver.rs` (an
//! in-memory `TopologyTestDriver`), `app.rs` (the application on a `World`), `examples.rs`
//! (WordCount, WordCountDemo, Pipe, LineSplit).
//!
//! Simplified versus Kafka: one stream thread per application; values are dynamically typed
//! (String or Long, the serdes the examples use); no windows, joins, suppression, punctuation,
//! interactive queries, exactly-once or standby replicas; the group uses the engine's
//! assignors rather than `StreamsPartitionAssignor` (with one thread it owns every task
//! either way). Each file says what else it simplifies.

pub mod app;
pub mod describe;
pub mod driver;
pub mod examples;
pub mod store;
pub mod task;
pub mod topology;
pub mod value;

pub use app::{AppState, StreamsApp, StreamsConfig};
pub use driver::TestDriver;
pub use task::{StepKind, StepReport, StoreChange, StreamThread, TaskId};
pub use topology::{
    Consumed, KGroupedStream, KStream, KTable, Materialized, Produced, StreamsBuilder, Topology,
};
pub use value::{Serde, StreamRecord, StreamsError, Value};
