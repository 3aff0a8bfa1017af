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
            new NewTopic("orders", 4, (short) 2),
            new NewTopic("payments", 2, (short) 3).configs(Map.of("retention.ms", "86400000"))
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
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
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
        send(producer, "orders", 0, "alice", "order-1", List.of()); // offset 0
        send(producer, "orders", 0, "bob", "order-2", List.of(new RecordHeader("trace", "t-1".getBytes(StandardCharsets.UTF_8)))); // offset 1
        send(producer, "orders", 0, "alice", "order-1", List.of()); // offset 2
        send(producer, "orders", 0, "bob", "order-2", List.of()); // offset 3
        send(producer, "orders", 0, "alice", "order-4", List.of()); // offset 4
        send(producer, "orders", 0, "bob", "order-5", List.of()); // offset 5
        send(producer, "orders", 2, "carol", "order-3", List.of()); // offset 0
        send(producer, "orders", 2, "carol", "order-6", List.of()); // offset 1
        send(producer, "orders", 2, "carol", "line one\nline two", List.of()); // offset 2
        send(producer, "payments", 1, "alice", "paid:order-1", List.of()); // offset 0
        send(producer, "payments", 1, null, "anonymous", List.of()); // offset 1
    }
}
END_OF_FILE
mkdir -p 'src/main/java/session'
cat > 'src/main/java/session/SessionConsumer.java' <<'END_OF_FILE'
// SessionConsumer N: runs the session's consumer N (its group, subscription, assignor and commits) and prints what it reads.
// Exported from eda-playground for Apache Kafka 4.1.1; start the cluster with compose.yaml.
// What does not carry over: virtual time (records get the time they are sent), the simulated
// network, and failures (stop a broker yourself: docker compose stop kafka-2).
package session;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

public class SessionConsumer {
    public static void main(String[] args) {
        int number = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        KafkaConsumer<String, String> consumer;
        switch (number) {
            case 2 -> {
                props.put(ConsumerConfig.GROUP_ID_CONFIG, "billing");
                props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
                props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true);
                props.put(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, 5000);
                props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
                props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 45000);
                props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3000);
                props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, "org.apache.kafka.clients.consumer.RangeAssignor,org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
                consumer = new KafkaConsumer<>(props);
                consumer.subscribe(List.of("orders"));
            }
            default -> throw new IllegalArgumentException("The session's consumers are: 2");
        }
        try (consumer) {
            while (true) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(1000))) {
                    System.out.printf("%s-%d offset %d: %s = %s%n", r.topic(), r.partition(), r.offset(), r.key(), r.value());
                }
            }
        }
    }
}
END_OF_FILE
