//! Kafka's Streams examples, written with the DSL: WordCount (the quickstart's and the
//! `WordCountDemo` class's), Pipe and LineSplit (the Streams tutorial's).
//!
//! Responsibility: each function builds the topology the Java builds, so its `describe()` and
//! its output are Kafka's. Sources: Kafka's `docs/streams/quickstart.html` (the WordCount gist,
//! splitting on `\W+`), `streams/examples/.../wordcount/WordCountDemo.java` (Kafka 4.x: also
//! splitting on `\W+`, `application.id` `streams-wordcount`, `statestore.cache.max.bytes` 0, String
//! default serdes, `auto.offset.reset` earliest, nothing else set, so `commit.interval.ms` is the
//! default 30000) and `docs/streams/tutorial.html` (Pipe, LineSplit).
//!
//! Invariant: the lambdas never panic; a null line (a tombstone) gives no words.
//!
//! Simplified versus Kafka: the Java lambdas would throw a `NullPointerException` on a null
//! line and stop the application; here a null line yields nothing.

use crate::sim::command::StreamsExample;
use crate::sim::streams::app::StreamsConfig;
use crate::sim::streams::topology::{Consumed, Produced, StreamsBuilder, Topology};
use crate::sim::streams::value::{Serde, Value, java_split_non_word, java_to_lower_case};

/// The quickstart's input topic.
pub const WORD_COUNT_INPUT: &str = "streams-plaintext-input";
/// The quickstart's output topic (created with `cleanup.policy=compact`).
pub const WORD_COUNT_OUTPUT: &str = "streams-wordcount-output";
/// WordCountDemo's `application.id`.
pub const WORD_COUNT_APPLICATION_ID: &str = "streams-wordcount";
/// The Java class `kafka-run-class.sh` starts.
pub const WORD_COUNT_DEMO_CLASS: &str = "org.apache.kafka.streams.examples.wordcount.WordCountDemo";

/// `value -> Arrays.asList(value.toLowerCase().split(REGEX))` as values.
fn words(split: fn(&str) -> Vec<&str>) -> impl Fn(Option<&Value>) -> Vec<Option<Value>> {
    move |value| match value.and_then(Value::as_str) {
        Some(line) => {
            let lower = java_to_lower_case(line);
            split(&lower)
                .into_iter()
                .map(|w| Some(Value::from(w)))
                .collect()
        }
        None => Vec::new(),
    }
}

/// WordCount as the Streams quickstart shows it:
///
/// ```text
/// KStream<String, String> textLines = builder.stream("streams-plaintext-input",
///     Consumed.with(stringSerde, stringSerde));
/// KTable<String, Long> wordCounts = textLines
///     .flatMapValues(value -> Arrays.asList(value.toLowerCase().split("\\W+")))
///     .groupBy((key, value) -> value)
///     .count();
/// wordCounts.toStream().to("streams-wordcount-output", Produced.with(Serdes.String(), Serdes.Long()));
/// ```
pub fn word_count(builder: &StreamsBuilder) {
    let text_lines = builder.stream_with(
        WORD_COUNT_INPUT,
        Consumed::with(Serde::String, Serde::String),
    );
    let word_counts = text_lines
        .flat_map_values(words(java_split_non_word))
        .group_by(|_key, value| value.cloned())
        .count();
    word_counts.to_stream().to_with(
        WORD_COUNT_OUTPUT,
        Produced::with(Serde::String, Serde::Long),
    );
}

/// WordCount as Kafka 4.x's `WordCountDemo` class builds it (its lambda splits on `"\\W+"`, as
/// the quickstart's does; only the source's serdes differ, coming from the default serdes):
///
/// ```text
/// final KStream<String, String> source = builder.stream(INPUT_TOPIC);
/// final KTable<String, Long> counts = source
///     .flatMapValues(value -> Arrays.asList(value.toLowerCase(Locale.getDefault()).split("\\W+")))
///     .groupBy((key, value) -> value)
///     .count();
/// counts.toStream().to(OUTPUT_TOPIC, Produced.with(Serdes.String(), Serdes.Long()));
/// ```
pub fn word_count_demo(builder: &StreamsBuilder) {
    let source = builder.stream(WORD_COUNT_INPUT);
    let counts = source
        .flat_map_values(words(java_split_non_word))
        .group_by(|_key, value| value.cloned())
        .count();
    counts.to_stream().to_with(
        WORD_COUNT_OUTPUT,
        Produced::with(Serde::String, Serde::Long),
    );
}

/// `WordCountDemo.getStreamsConfig`: `application.id` `streams-wordcount`,
/// `statestore.cache.max.bytes` 0, String serdes, `auto.offset.reset` earliest.
pub fn word_count_demo_config() -> StreamsConfig {
    StreamsConfig {
        statestore_cache_max_bytes: 0,
        ..StreamsConfig::new(WORD_COUNT_APPLICATION_ID)
    }
}

/// The `WordCountDemo` class: its topology and configuration.
pub fn word_count_demo_app() -> (Topology, StreamsConfig) {
    let builder = StreamsBuilder::new();
    word_count_demo(&builder);
    (builder.build(), word_count_demo_config())
}

/// An example's topology and configuration, as its Java class builds and configures them.
pub fn example_app(example: StreamsExample) -> (Topology, StreamsConfig) {
    let builder = StreamsBuilder::new();
    let config = match example {
        StreamsExample::WordCountDemo => return word_count_demo_app(),
        StreamsExample::WordCount => {
            word_count(&builder);
            StreamsConfig::new(WORD_COUNT_APPLICATION_ID)
        }
        StreamsExample::Pipe => {
            pipe(&builder);
            StreamsConfig::new("streams-pipe")
        }
        StreamsExample::LineSplit => {
            line_split(&builder);
            StreamsConfig::new("streams-linesplit")
        }
    };
    (builder.build(), config)
}

/// The tutorial's Pipe: `builder.stream("streams-plaintext-input").to("streams-pipe-output")`
/// (`application.id` `streams-pipe`).
pub fn pipe(builder: &StreamsBuilder) {
    builder.stream(WORD_COUNT_INPUT).to("streams-pipe-output");
}

/// The tutorial's LineSplit: `source.flatMapValues(value -> Arrays.asList(value.split("\\W+")))
/// .to("streams-linesplit-output")` (`application.id` `streams-linesplit`).
pub fn line_split(builder: &StreamsBuilder) {
    builder
        .stream(WORD_COUNT_INPUT)
        .flat_map_values(|value| match value.and_then(Value::as_str) {
            Some(line) => java_split_non_word(line)
                .into_iter()
                .map(|w| Some(Value::from(w)))
                .collect(),
            None => Vec::new(),
        })
        .to("streams-linesplit-output");
}
