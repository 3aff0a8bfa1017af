#!/usr/bin/env bash
# session.sh: an eda-playground session, as Kafka CLI commands.
# Targets Apache Kafka 4.1.1 (KRaft). Start the cluster with compose.yaml
# (docker compose up -d: 3 broker(s), the first on localhost:9092), then run this
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
# Exported at the session's moment t=20.000s.

# t=0.000s: create orders
bin/kafka-topics.sh --create --topic orders --partitions 3 --replication-factor 2 --bootstrap-server localhost:9092

# t=0.000s: producer 1 starts (acks=all, linger.ms=5, batch.size=16384); its records are produced below

# t=0.000s: consumer 2 subscribes to orders in group billing (auto commit on); not started here

# t=1.000s: 1 record(s) to orders
bin/kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders --property parse.key=true --property key.separator=: <<'EOF'
alice:order-1
EOF

# t=1.500s: 1 record(s) to orders
# orders-0 offset 1: its 1 header(s) are left out (the playground's console producer does not read parse.headers)
bin/kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders --property parse.key=true --property key.separator=: <<'EOF'
bob:order-2
EOF

# t=2.000s: producer 1 sends 2 record(s)/s to orders on its own; the records it sent are produced below

# t=2.500s to t=4.500s: 5 record(s) to orders
bin/kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders --property parse.key=true --property key.separator=: <<'EOF'
alice:order-1
bob:order-2
carol:order-3
alice:order-4
bob:order-5
EOF

# t=5.000s: producer 1 stops sending to orders on its own

# t=5.000s: 1 record(s) to orders
bin/kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders --property parse.key=true --property key.separator=: <<'EOF'
carol:order-6
EOF

# t=6.000s: create payments
bin/kafka-topics.sh --create --topic payments --partitions 2 --replication-factor 3 --config retention.ms=86400000 --bootstrap-server localhost:9092

# t=7.000s: 2 record(s) to payments
# skipped payments-1 offset 1: it has a null key: on a topic with 2 partitions the sticky partitioner picks the partition, so it cannot be sent to partition 1; later offsets of this partition are one lower here
bin/kafka-console-producer.sh --bootstrap-server localhost:9092 --topic payments --property parse.key=true --property key.separator=: <<'EOF'
alice:paid:order-1
EOF

# t=8.000s: stop broker 2 now (in another terminal: docker compose stop kafka-2)

# t=9.000s: 1 record(s) to orders
# skipped orders-2 offset 2: its value has a line break or is not UTF-8 text, so it cannot be typed; later offsets of this partition are one lower here

# t=12.000s: consumer 2 closes (leaves its group)

# t=13.000s: orders grows to 4 partitions
bin/kafka-topics.sh --alter --topic orders --partitions 4 --bootstrap-server localhost:9092

# t=14.000s: start broker 2 now (in another terminal: docker compose start kafka-2)

# t=20.000s: the consumer groups' committed offsets
bin/kafka-consumer-groups.sh --bootstrap-server localhost:9092 --reset-offsets --group billing --topic orders:0 --to-offset 6 --execute
bin/kafka-consumer-groups.sh --bootstrap-server localhost:9092 --reset-offsets --group billing --topic orders:1 --to-offset 0 --execute
bin/kafka-consumer-groups.sh --bootstrap-server localhost:9092 --reset-offsets --group billing --topic orders:2 --to-offset 3 --execute

# 2 record(s) could not be produced as they were (see the comments above).
# End of the session.
