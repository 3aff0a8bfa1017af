# kafka-streams-application-reset.sh (StreamsResetter.java, Kafka 4.1) on WordCountDemo: refused
# while the application runs, a dry run, a reset after `kill %1`, then the demo counts anew.
bin/kafka-topics.sh --create --bootstrap-server localhost:9092 --topic streams-plaintext-input
bin/kafka-topics.sh --create --bootstrap-server localhost:9092 --topic streams-wordcount-output --config cleanup.policy=compact
bin/kafka-run-class.sh org.apache.kafka.streams.examples.wordcount.WordCountDemo
bin/kafka-console-producer.sh --bootstrap-server localhost:9092 --topic streams-plaintext-input <<EOF
all streams lead to kafka
hello kafka streams
EOF
bin/kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic streams-wordcount-output --from-beginning --property print.key=true --property value.deserializer=org.apache.kafka.common.serialization.LongDeserializer
bin/kafka-streams-application-reset.sh --bootstrap-server localhost:9092 --application-id streams-wordcount --input-topics streams-plaintext-input
echo "exit status $?"
kill %1
bin/kafka-streams-application-reset.sh --application-id streams-wordcount --input-topics streams-plaintext-input,missing --to-offset 5 --dry-run
echo "exit status $?"
bin/kafka-consumer-groups.sh --bootstrap-server localhost:9092 --describe --group streams-wordcount
bin/kafka-streams-application-reset.sh --bootstrap-server localhost:9092 --application-id streams-wordcount --input-topics streams-plaintext-input --to-earliest
bin/kafka-consumer-groups.sh --bootstrap-server localhost:9092 --describe --group streams-wordcount
bin/kafka-topics.sh --list --bootstrap-server localhost:9092
bin/kafka-run-class.sh org.apache.kafka.streams.examples.wordcount.WordCountDemo
bin/kafka-console-producer.sh --bootstrap-server localhost:9092 --topic streams-plaintext-input <<EOF
join kafka summit
EOF
bin/kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic streams-wordcount-output --offset 8 --partition 0 --property print.key=true --property value.deserializer=org.apache.kafka.common.serialization.LongDeserializer
bin/kafka-streams-application-reset.sh --application-id streams-wordcount --to-offset 1 --shift-by 2
bin/kafka-streams-application-reset.sh --input-topics t
