#!/bin/sh
# java-project.sh: writes the eda-playground session's Maven project into this folder.
# sh java-project.sh && mvn compile exec:java -Dexec.mainClass=session.SessionProducer
cat > 'pom.xml' <<'END_OF_FILE'
<?xml version="1.0" encoding="UTF-8"?>
<!-- The eda-playground session's clients, for Apache Kafka 4.1.1.
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
    <kafka.version>4.1.1</kafka.version>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka-clients</artifactId>
      <version>${kafka.version}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka-streams</artifactId>
      <version>${kafka.version}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-simple</artifactId>
      <version>2.0.16</version>
    </dependency>
  </dependencies>
</project>
END_OF_FILE
mkdir -p 'src/main/java/session'
cat > 'src/main/java/session/SessionProducer.java' <<'END_OF_FILE'
// SessionProducer: creates the session's topics when missing, then sends the records its partitions held, each to its partition.
// Exported from eda-playground for Apache Kafka 4.1.1; start the cluster with compose.yaml.
// What does not carry over: virtual time (records get the time they are sent), the simulated
// network, and failures (stop a broker yourself: docker compose stop kafka-2).
package session;

import java.nio.charset.StandardCharsets;
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

public class SessionProducer {
    public static void main(String[] args) throws Exception {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        try (Admin client = Admin.create(admin)) {
            for (NewTopic topic : List.of(
            new NewTopic("streams-plaintext-input", 1, (short) 1)
            )) {
                try {
                    client.createTopics(List.of(topic)).all().get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) throw e;
                }
            }
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1000);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 16384);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            records0(producer);
            producer.flush();
        }
    }

    /// Sends one record to its partition (synchronously, so each partition keeps its order).
    static void send(KafkaProducer<String, String> producer, String topic, int partition,
                     String key, String value, List<Header> headers) throws Exception {
        producer.send(new ProducerRecord<>(topic, partition, key, value, headers)).get();
    }

    static void records0(KafkaProducer<String, String> producer) throws Exception {
        send(producer, "streams-plaintext-input", 0, null, "all streams lead to kafka", List.of()); // offset 0
        send(producer, "streams-plaintext-input", 0, null, "hello kafka streams", List.of()); // offset 1
        send(producer, "streams-plaintext-input", 0, null, "join kafka summit", List.of()); // offset 2
    }
}
END_OF_FILE
mkdir -p 'src/main/java/session'
cat > 'src/main/java/session/WordCount.java' <<'END_OF_FILE'
// WordCount: Kafka's WordCountDemo (split on spaces) topology.
// Exported from eda-playground for Apache Kafka 4.1.1; start the cluster with compose.yaml.
// What does not carry over: virtual time (records get the time they are sent), the simulated
// network, and failures (stop a broker yourself: docker compose stop kafka-2).
package session;

import java.util.Arrays;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;

public class WordCount {
    public static void main(String[] args) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "streams-wordcount");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.String().getClass());
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.String().getClass());
        props.put("auto.offset.reset", "earliest");

        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, String> source = builder.stream("streams-plaintext-input");
        source.flatMapValues(value -> Arrays.asList(value.toLowerCase().split(" ")))
              .groupBy((key, value) -> value)
              .count()
              .toStream()
              .to("streams-wordcount-output", Produced.with(Serdes.String(), Serdes.Long()));

        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        Runtime.getRuntime().addShutdownHook(new Thread(streams::close));
        streams.start();
    }
}
END_OF_FILE
