# Kafka's Streams quickstart (docs/streams/quickstart.html, Kafka 4.1), steps 3 to 5, pasted
# verbatim; WordCountDemo runs in the background, the producer's lines come from a here-document.
bin/kafka-topics.sh --create \
    --bootstrap-server localhost:9092 \
    --replication-factor 1 \
    --partitions 1 \
    --topic streams-plaintext-input
bin/kafka-topics.sh --create \
    --bootstrap-server localhost:9092 \
    --replication-factor 1 \
    --partitions 1 \
    --topic streams-wordcount-output \
    --config cleanup.policy=compact
bin/kafka-run-class.sh org.apache.kafka.streams.examples.wordcount.WordCountDemo
bin/kafka-console-producer.sh --bootstrap-server localhost:9092 --topic streams-plaintext-input <<EOF
all streams lead to kafka
hello kafka streams
join kafka summit
EOF
bin/kafka-console-consumer.sh --bootstrap-server localhost:9092 \
    --topic streams-wordcount-output \
    --from-beginning \
    --property print.key=true \
    --property print.value=true \
    --property key.deserializer=org.apache.kafka.common.serialization.StringDeserializer \
    --property value.deserializer=org.apache.kafka.common.serialization.LongDeserializer
bin/kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic streams-wordcount-output --from-beginning --property print.key=true --property value.deserializer=org.apache.kafka.common.serialization.LongDeserializer
bin/kafka-topics.sh --list --bootstrap-server localhost:9092
sleep 30
bin/kafka-consumer-groups.sh --bootstrap-server localhost:9092 --describe --group streams-wordcount
bin/kafka-run-class.sh org.apache.kafka.streams.examples.wordcount.WordCountDemo
