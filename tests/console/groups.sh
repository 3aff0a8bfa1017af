# kafka-consumer-groups.sh: list, describe, reset offsets, delete.
bin/kafka-topics.sh --create --topic orders --partitions 2 --bootstrap-server localhost:9092
printf 'a\tone\nb\ttwo\nc\tthree\nd\tfour\n' | bin/kafka-console-producer.sh --topic orders --property parse.key=true --bootstrap-server localhost:9092
bin/kafka-console-consumer.sh --topic orders --group billing --from-beginning --bootstrap-server localhost:9092
bin/kafka-consumer-groups.sh --list --bootstrap-server localhost:9092
bin/kafka-consumer-groups.sh --list --state --bootstrap-server localhost:9092
bin/kafka-consumer-groups.sh --describe --group billing --bootstrap-server localhost:9092
bin/kafka-consumer-groups.sh --describe --group billing --members --bootstrap-server localhost:9092
bin/kafka-consumer-groups.sh --describe --group billing --state --bootstrap-server localhost:9092
bin/kafka-consumer-groups.sh --describe --group nobody --bootstrap-server localhost:9092
# Reset: a dry run by default, --execute to apply.
bin/kafka-consumer-groups.sh --reset-offsets --group billing --topic orders --to-earliest --bootstrap-server localhost:9092
bin/kafka-consumer-groups.sh --reset-offsets --group billing --topic orders --to-earliest --execute --bootstrap-server localhost:9092
bin/kafka-consumer-groups.sh --describe --group billing --bootstrap-server localhost:9092
bin/kafka-consumer-groups.sh --reset-offsets --group billing --all-topics --shift-by 1 --dry-run --bootstrap-server localhost:9092
bin/kafka-consumer-groups.sh --reset-offsets --group billing --all-topics --to-offset 1 --execute --bootstrap-server localhost:9092
bin/kafka-consumer-groups.sh --reset-offsets --group billing --all-topics --to-latest --execute --bootstrap-server localhost:9092
# Re-reading after a reset to earliest.
bin/kafka-consumer-groups.sh --reset-offsets --group billing --topic orders --to-earliest --execute --bootstrap-server localhost:9092 >/dev/null
bin/kafka-console-consumer.sh --topic orders --group billing --max-messages 2 --bootstrap-server localhost:9092
bin/kafka-consumer-groups.sh --delete --group billing --bootstrap-server localhost:9092
bin/kafka-consumer-groups.sh --delete --group billing --bootstrap-server localhost:9092
# Argument errors.
bin/kafka-consumer-groups.sh --list
bin/kafka-consumer-groups.sh --describe --bootstrap-server localhost:9092
bin/kafka-consumer-groups.sh --reset-offsets --group billing --to-earliest --execute --bootstrap-server localhost:9092
bin/kafka-consumer-groups.sh --reset-offsets --group billing --topic orders --execute --bootstrap-server localhost:9092
bin/kafka-consumer-groups.sh --bootstrap-server localhost:9092 --group billing
bin/kafka-consumer-groups.sh --describe --group billing --zookeeper localhost:2181
