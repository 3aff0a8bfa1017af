#!/usr/bin/env bash
# session.sh: an eda-playground session, as Kafka CLI commands.
# Targets Apache Kafka 4.1.1 (KRaft). Start the cluster with compose.yaml
# (docker compose up -d: 1 broker(s), the first on localhost:9092), then run this
# from the directory of a Kafka 4.1.1 download: bash session.sh
#
# What does not carry over:
# - virtual time: the times below (t=...) are the session's clock; here each
#   command runs as soon as the previous one is done;
# - simulated failures and clients: they become instructions ("stop broker 2 now")
#   or comments; the session's consumers are not started, their groups get the
#   offsets they had committed (at the end);
# - record timestamps: records get the time they are sent here;
# - records the console producer cannot place where they were (see the comments).
# Exported at the session's moment t=40.000s.

# t=0.000s: create streams-plaintext-input
bin/kafka-topics.sh --create --topic streams-plaintext-input --partitions 1 --replication-factor 1 --bootstrap-server localhost:9092

# t=0.000s: create streams-wordcount-output
bin/kafka-topics.sh --create --topic streams-wordcount-output --partitions 1 --replication-factor 1 --config cleanup.policy=compact --bootstrap-server localhost:9092

# t=1.000s: Streams application 1, WordCountDemo, starts (application.id streams-wordcount); it writes streams-wordcount-output itself
# It runs until stopped (Ctrl+C), so it goes to the background.
bin/kafka-run-class.sh org.apache.kafka.streams.examples.wordcount.WordCountDemo &

# t=2.000s: producer 3 starts (acks=all, linger.ms=1000, batch.size=16384); its records are produced below

# t=3.000s: producer 3 closes

# t=3.000s: 3 record(s) to streams-plaintext-input
bin/kafka-console-producer.sh --bootstrap-server localhost:9092 --topic streams-plaintext-input --property parse.key=true --property key.separator=: --property 'null.marker=<null>' <<'EOF'
<null>:all streams lead to kafka
<null>:hello kafka streams
<null>:join kafka summit
EOF

# t=40.000s: the consumer groups' committed offsets
# Group streams-wordcount is the Streams application's: it commits its own offsets.

# End of the session.
