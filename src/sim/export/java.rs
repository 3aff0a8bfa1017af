//! The Java side of the export: a small Maven project (`pom.xml` and classes) with the
//! session's clients, for a learner to open in an IDE and run against `compose.yaml`'s cluster.
//!
//! - `SessionProducer` creates the session's topics (partitions, replication factor, configs)
//!   when they are missing and sends the records the partition logs hold, each to the
//!   partition it is in, with its key, value and headers (what the console producer cannot
//!   carry, a Java producer can: explicit partitions, null keys anywhere, headers, line breaks),
//!   with the configuration of the session's first producer (`acks`, `linger.ms`,
//!   `batch.size`).
//! - `SessionConsumer N` runs the session's consumer N: its group, subscription or assignment,
//!   assignor, auto-commit and `auto.offset.reset`.
//! - `WordCount`, when the session started a WordCount example: the topology as Kafka's
//!   `WordCountDemo` (split on spaces) or the quickstart (split on `\W+`) builds it.
//!
//! Bounded: at most [`JAVA_RECORDS_MAX`] records are written into the source (the rest are
//! counted in a comment), in methods of at most [`RECORDS_PER_METHOD`] sends (Java's 64 KiB
//! limit on a method's bytecode).

use std::fmt::Write as _;

use crate::sim::client::{Acks, OffsetReset};
use crate::sim::command::{Command, Outcome, Scenario, StreamsExample, Subscription};
use crate::sim::world::World;

use super::{ExportError, KAFKA_RELEASE, example_application_id, example_output};

/// Most records the generated producer sends.
pub const JAVA_RECORDS_MAX: usize = 20_000;
/// Sends per generated method.
pub const RECORDS_PER_METHOD: usize = 500;

/// A Java string literal (`null` for none): quotes, backslashes and control characters
/// escaped; other characters as they are (the sources are UTF-8).
fn literal(text: Option<&[u8]>) -> String {
    let Some(bytes) = text else {
        return "null".to_string();
    };
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn header(out: &mut String, what: &str) {
    let _ = writeln!(
        out,
        "// {what}\n// Exported from eda-playground for Apache Kafka {KAFKA_RELEASE}; start the cluster with compose.yaml.\n// What does not carry over: virtual time (records get the time they are sent), the simulated\n// network, and failures (stop a broker yourself: docker compose stop kafka-2).\npackage session;\n"
    );
}

const BOOTSTRAP: &str = "localhost:9092";

/// The project's files, as (path, text), for `scenario` replayed to `moment_ms`.
pub(super) fn project(
    world: &World,
    scenario: &Scenario,
    outcomes: &[Option<Outcome>],
    moment_ms: u64,
) -> Result<Vec<(String, String)>, ExportError> {
    let commands: Vec<_> = scenario
        .commands
        .iter()
        .filter(|c| c.at_ms <= moment_ms)
        .collect();
    let mut streams: Option<StreamsExample> = None;
    let mut producer_config = None;
    let mut consumers = Vec::new();
    for (index, timed) in commands.iter().enumerate() {
        let outcome = outcomes.get(index).and_then(Option::as_ref);
        match (&timed.command, outcome) {
            (Command::StartStreams { example, .. }, _) => streams = Some(*example),
            (Command::AddProducer { config }, _) if producer_config.is_none() => {
                producer_config = Some(config.clone());
            }
            (
                Command::AddConsumer {
                    config,
                    subscription,
                },
                Some(Outcome::Consumer(id)),
            ) => consumers.push((*id, config.clone(), subscription.clone())),
            _ => {}
        }
    }
    let producer_config = producer_config.unwrap_or_default();
    let word_count =
        streams.filter(|e| matches!(e, StreamsExample::WordCount | StreamsExample::WordCountDemo));
    let written_by_streams = |topic: &str| {
        streams.is_some_and(|e| {
            topic == example_output(e)
                || topic.starts_with(&format!("{}-", example_application_id(e)))
        })
    };

    // pom.xml
    let mut pom = String::new();
    let _ = write!(
        pom,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- The eda-playground session's clients, for Apache Kafka {KAFKA_RELEASE}.
     mvn compile exec:java -Dexec.mainClass=session.SessionProducer
     mvn compile exec:java -Dexec.mainClass=session.SessionConsumer -Dexec.args=2 -->
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.example</groupId>
  <artifactId>eda-playground-session</artifactId>
  <version>1.0-SNAPSHOT</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <kafka.version>{KAFKA_RELEASE}</kafka.version>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka-clients</artifactId>
      <version>${{kafka.version}}</version>
    </dependency>
"#
    );
    if word_count.is_some() {
        let _ = write!(
            pom,
            r#"    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka-streams</artifactId>
      <version>${{kafka.version}}</version>
    </dependency>
"#
        );
    }
    let _ = write!(
        pom,
        r#"    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-simple</artifactId>
      <version>2.0.16</version>
    </dependency>
  </dependencies>
</project>
"#
    );

    // SessionProducer.java
    let mut topics = String::new();
    let mut sends: Vec<String> = Vec::new();
    let mut total = 0usize;
    for topic in world.topics() {
        if topic.internal || written_by_streams(&topic.name) {
            continue;
        }
        let configs = if topic.overrides.is_empty() {
            String::new()
        } else {
            let pairs: Vec<String> = topic
                .overrides
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}, {}",
                        literal(Some(k.as_bytes())),
                        literal(Some(v.as_bytes()))
                    )
                })
                .collect();
            format!(".configs(Map.of({}))", pairs.join(", "))
        };
        let _ = writeln!(
            topics,
            "            new NewTopic({}, {}, (short) {}){configs},",
            literal(Some(topic.name.as_bytes())),
            topic.partition_count(),
            topic.replication_factor()
        );
        for partition in &topic.partitions {
            for record in partition
                .log
                .records_from(partition.log.log_start_offset())
                .take_while(|r| r.offset < partition.high_watermark)
            {
                total += 1;
                if sends.len() >= JAVA_RECORDS_MAX {
                    continue;
                }
                let headers: Vec<String> = record
                    .headers
                    .iter()
                    .map(|h| {
                        format!(
                            "new RecordHeader({}, {})",
                            literal(Some(h.key.as_bytes())),
                            h.value
                                .as_ref()
                                .map_or("(byte[]) null".to_string(), |v| format!(
                                    "{}.getBytes(StandardCharsets.UTF_8)",
                                    literal(Some(v))
                                ))
                        )
                    })
                    .collect();
                let headers = if headers.is_empty() {
                    "List.of()".to_string()
                } else {
                    format!("List.of({})", headers.join(", "))
                };
                sends.push(format!(
                    "        send(producer, {}, {}, {}, {}, {headers}); // offset {}",
                    literal(Some(topic.name.as_bytes())),
                    partition.id,
                    literal(record.key.as_deref()),
                    literal(record.value.as_deref()),
                    record.offset
                ));
            }
        }
    }
    let topics = topics.trim_end_matches(",\n").to_string();
    let mut producer = String::new();
    header(
        &mut producer,
        "SessionProducer: creates the session's topics when missing, then sends the records its partitions held, each to its partition.",
    );
    let acks = match producer_config.acks {
        Acks::Zero => "0",
        Acks::One => "1",
        Acks::All => "all",
    };
    let _ = write!(
        producer,
        r#"import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;

public class SessionProducer {{
    public static void main(String[] args) throws Exception {{
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "{BOOTSTRAP}");
        try (Admin client = Admin.create(admin)) {{
            for (NewTopic topic : List.of(
{topics}
            )) {{
                try {{
                    client.createTopics(List.of(topic)).all().get();
                }} catch (java.util.concurrent.ExecutionException e) {{
                    if (!(e.getCause() instanceof TopicExistsException)) throw e;
                }}
            }}
        }}
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "{BOOTSTRAP}");
        props.put(ProducerConfig.ACKS_CONFIG, "{acks}");
        props.put(ProducerConfig.LINGER_MS_CONFIG, {linger});
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, {batch});
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {{
"#,
        linger = producer_config.linger_ms,
        batch = producer_config.batch_size,
    );
    let parts = sends.chunks(RECORDS_PER_METHOD).count();
    for i in 0..parts {
        let _ = writeln!(producer, "            records{i}(producer);");
    }
    let _ = writeln!(producer, "            producer.flush();\n        }}");
    if total > sends.len() {
        let _ = writeln!(
            producer,
            "        // {} more record(s) are left out (at most {JAVA_RECORDS_MAX} are written here).",
            total - sends.len()
        );
    }
    let _ = write!(
        producer,
        r#"    }}

    /// Sends one record to its partition (synchronously, so each partition keeps its order).
    static void send(KafkaProducer<String, String> producer, String topic, int partition,
                     String key, String value, List<Header> headers) throws Exception {{
        producer.send(new ProducerRecord<>(topic, partition, key, value, headers)).get();
    }}
"#
    );
    for (i, chunk) in sends.chunks(RECORDS_PER_METHOD).enumerate() {
        let _ = writeln!(
            producer,
            "\n    static void records{i}(KafkaProducer<String, String> producer) throws Exception {{"
        );
        for line in chunk {
            producer.push_str(line);
            producer.push('\n');
        }
        producer.push_str("    }\n");
    }
    producer.push_str("}\n");

    // SessionConsumer.java
    let mut consumer = String::new();
    header(
        &mut consumer,
        "SessionConsumer N: runs the session's consumer N (its group, subscription, assignor and commits) and prints what it reads.",
    );
    let mut cases = String::new();
    for (id, config, subscription) in &consumers {
        let _ = writeln!(cases, "            case {id} -> {{");
        if let Some(group) = &config.group_id {
            let _ = writeln!(
                cases,
                "                props.put(ConsumerConfig.GROUP_ID_CONFIG, {});",
                literal(Some(group.as_bytes()))
            );
        }
        let reset = match config.auto_offset_reset {
            OffsetReset::Earliest => "earliest",
            OffsetReset::Latest => "latest",
            OffsetReset::None => "none",
        };
        let assignors: Vec<&str> = config.assignors.iter().map(|a| a.class_name()).collect();
        let _ = writeln!(
            cases,
            "                props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, \"{reset}\");\n                props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, {});\n                props.put(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, {});\n                props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, {});\n                props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, {});\n                props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, {});",
            config.enable_auto_commit,
            config.auto_commit_interval_ms,
            config.max_poll_records,
            config.session_timeout_ms,
            config.heartbeat_interval_ms
        );
        if !assignors.is_empty() {
            let _ = writeln!(
                cases,
                "                props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, \"{}\");",
                assignors.join(",")
            );
        }
        match subscription {
            Subscription::Topics(topics) => {
                let list: Vec<String> =
                    topics.iter().map(|t| literal(Some(t.as_bytes()))).collect();
                let _ = writeln!(
                    cases,
                    "                consumer = new KafkaConsumer<>(props);\n                consumer.subscribe(List.of({}));",
                    list.join(", ")
                );
            }
            Subscription::Partitions(parts) => {
                let list: Vec<String> = parts
                    .iter()
                    .map(|(t, p)| {
                        format!("new TopicPartition({}, {p})", literal(Some(t.as_bytes())))
                    })
                    .collect();
                let _ = writeln!(
                    cases,
                    "                consumer = new KafkaConsumer<>(props);\n                consumer.assign(List.of({}));",
                    list.join(", ")
                );
            }
        }
        let _ = writeln!(cases, "            }}");
    }
    let numbers: Vec<String> = consumers.iter().map(|(id, _, _)| id.to_string()).collect();
    let _ = write!(
        consumer,
        r#"import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

public class SessionConsumer {{
    public static void main(String[] args) {{
        int number = args.length > 0 ? Integer.parseInt(args[0]) : {first};
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "{BOOTSTRAP}");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        KafkaConsumer<String, String> consumer;
        switch (number) {{
{cases}            default -> throw new IllegalArgumentException("The session's consumers are: {numbers}");
        }}
        try (consumer) {{
            while (true) {{
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(1000))) {{
                    System.out.printf("%s-%d offset %d: %s = %s%n", r.topic(), r.partition(), r.offset(), r.key(), r.value());
                }}
            }}
        }}
    }}
}}
"#,
        first = consumers.first().map_or(0, |(id, _, _)| *id),
        numbers = if numbers.is_empty() {
            "none".to_string()
        } else {
            numbers.join(", ")
        },
    );

    let mut files = vec![
        ("pom.xml".to_string(), pom),
        (
            "src/main/java/session/SessionProducer.java".to_string(),
            producer,
        ),
    ];
    // Without consumers there is nothing to run (and a switch with only `default` would make
    // the code after it unreachable, which javac refuses).
    if !consumers.is_empty() {
        files.push((
            "src/main/java/session/SessionConsumer.java".to_string(),
            consumer,
        ));
    }
    if let Some(example) = word_count {
        let (split, how) = match example {
            StreamsExample::WordCount => ("\"\\\\W+\"", "the Streams quickstart's (split on \\W+)"),
            _ => ("\" \"", "Kafka's WordCountDemo (split on spaces)"),
        };
        let mut java = String::new();
        header(&mut java, &format!("WordCount: {how} topology."));
        let _ = write!(
            java,
            r#"import java.util.Arrays;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;

public class WordCount {{
    public static void main(String[] args) {{
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "{app}");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "{BOOTSTRAP}");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.String().getClass());
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.String().getClass());
        props.put("auto.offset.reset", "earliest");

        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, String> source = builder.stream("{input}");
        source.flatMapValues(value -> Arrays.asList(value.toLowerCase().split({split})))
              .groupBy((key, value) -> value)
              .count()
              .toStream()
              .to("{output}", Produced.with(Serdes.String(), Serdes.Long()));

        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        Runtime.getRuntime().addShutdownHook(new Thread(streams::close));
        streams.start();
    }}
}}
"#,
            app = example_application_id(example),
            input = crate::sim::streams::examples::WORD_COUNT_INPUT,
            output = example_output(example),
        );
        files.push(("src/main/java/session/WordCount.java".to_string(), java));
    }
    Ok(files)
}

/// The files as one shell script that writes them (`sh java-project.sh` in an empty folder).
pub(super) fn bundle(files: &[(String, String)]) -> String {
    let mut out = String::from(
        "#!/bin/sh\n# java-project.sh: writes the eda-playground session's Maven project into this folder.\n# sh java-project.sh && mvn compile exec:java -Dexec.mainClass=session.SessionProducer\n",
    );
    for (path, text) in files {
        let lines: Vec<&str> = text.lines().collect();
        let delimiter = (0..)
            .map(|n| {
                if n == 0 {
                    "END_OF_FILE".to_string()
                } else {
                    format!("END_OF_FILE_{n}")
                }
            })
            .find(|d| lines.iter().all(|l| l != d))
            .unwrap_or_default();
        if let Some((dir, _)) = path.rsplit_once('/') {
            let _ = writeln!(out, "mkdir -p '{dir}'");
        }
        let _ = writeln!(out, "cat > '{path}' <<'{delimiter}'");
        out.push_str(text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
        let _ = writeln!(out, "{delimiter}");
    }
    out
}
