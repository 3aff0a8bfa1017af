# kafka-topics.sh: the happy paths, then every common error.
bin/kafka-topics.sh --create --topic orders --partitions 3 --replication-factor 1 --bootstrap-server localhost:9092
bin/kafka-topics.sh --create --topic payments --config cleanup.policy=compact --config retention.ms=60000 --bootstrap-server localhost:9092
bin/kafka-topics.sh --list --bootstrap-server localhost:9092
bin/kafka-topics.sh --describe --topic orders --bootstrap-server localhost:9092
bin/kafka-topics.sh --describe --topic payments --bootstrap-server localhost:9092
bin/kafka-topics.sh --alter --topic orders --partitions 4 --bootstrap-server localhost:9092
bin/kafka-topics.sh --describe --topic 'ord.*' --bootstrap-server localhost:9092
# An existing topic, then the same with --if-not-exists (silent).
bin/kafka-topics.sh --create --topic orders --bootstrap-server localhost:9092
bin/kafka-topics.sh --create --topic orders --if-not-exists --bootstrap-server localhost:9092
# No --bootstrap-server.
bin/kafka-topics.sh --create --topic nobootstrap
# Unknown topics.
bin/kafka-topics.sh --describe --topic missing --bootstrap-server localhost:9092
bin/kafka-topics.sh --delete --topic missing --bootstrap-server localhost:9092
bin/kafka-topics.sh --delete --topic missing --if-exists --bootstrap-server localhost:9092
# More replicas than brokers.
bin/kafka-topics.sh --create --topic replicated --replication-factor 3 --bootstrap-server localhost:9092
# Fewer partitions than the topic has.
bin/kafka-topics.sh --alter --topic orders --partitions 2 --bootstrap-server localhost:9092
# Bad configs.
bin/kafka-topics.sh --create --topic bad --config retention.ms=soon --bootstrap-server localhost:9092
bin/kafka-topics.sh --create --topic bad --config retention.hours=1 --bootstrap-server localhost:9092
bin/kafka-topics.sh --create --topic bad --config retention.ms --bootstrap-server localhost:9092
bin/kafka-topics.sh --create --topic bad --partitions 0 --bootstrap-server localhost:9092
# Argument errors.
bin/kafka-topics.sh --zookeeper localhost:2181 --list
bin/kafka-topics.sh --bootstrap-server localhost:9092
bin/kafka-topics.sh --create --bootstrap-server localhost:9092
bin/kafka-topics.sh --list --partitions 3 --bootstrap-server localhost:9092
bin/kafka-topics.sh --create --topic
# Names that collide in metrics.
bin/kafka-topics.sh --create --topic user.events --bootstrap-server localhost:9092
bin/kafka-topics.sh --create --topic user_events --bootstrap-server localhost:9092
# A second broker makes replication factor 2 possible.
bin/kafka-server-start.sh config/server.properties --override node.id=2
bin/kafka-topics.sh --create --topic replicated --partitions 2 --replication-factor 2 --bootstrap-server localhost:9092
bin/kafka-topics.sh --describe --topic replicated --bootstrap-server localhost:9092
bin/kafka-topics.sh --delete --topic payments --bootstrap-server localhost:9092
bin/kafka-topics.sh --list --exclude-internal --bootstrap-server localhost:9092
