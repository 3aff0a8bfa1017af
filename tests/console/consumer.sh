# kafka-console-consumer.sh: formats, positions and the errors learners meet.
bin/kafka-topics.sh --create --topic events --partitions 2 --bootstrap-server localhost:9092
bin/kafka-console-producer.sh --topic events --bootstrap-server localhost:9092 --property parse.key=true <<EOF
k1	v1
k2	v2
k1	v3
k3	v4
EOF
bin/kafka-console-consumer.sh --topic events --from-beginning --bootstrap-server localhost:9092
bin/kafka-console-consumer.sh --topic events --from-beginning --max-messages 2 --property print.timestamp=true --property print.key=true --property print.headers=true --property key.separator=" => " --bootstrap-server localhost:9092
bin/kafka-console-consumer.sh --topic events --partition 1 --offset 1 --property print.offset=true --property print.value=false --bootstrap-server localhost:9092
bin/kafka-console-consumer.sh --topic events --partition 0 --offset earliest --timeout-ms 500 --bootstrap-server localhost:9092
# Without --from-beginning a new group starts at the end: nothing to read.
bin/kafka-console-consumer.sh --topic events --bootstrap-server localhost:9092
# Values that are not 8-byte longs cannot be read with LongDeserializer.
bin/kafka-console-consumer.sh --topic events --from-beginning --value-deserializer org.apache.kafka.common.serialization.LongDeserializer --bootstrap-server localhost:9092
# Argument errors.
bin/kafka-console-consumer.sh --bootstrap-server localhost:9092
bin/kafka-console-consumer.sh --topic events
bin/kafka-console-consumer.sh --topic events --offset 3 --bootstrap-server localhost:9092
bin/kafka-console-consumer.sh --topic events --partition 0 --offset -5 --bootstrap-server localhost:9092
bin/kafka-console-consumer.sh --topic events --partition 0 --group g --bootstrap-server localhost:9092
bin/kafka-console-consumer.sh --topic events --from-beginning --partition 0 --offset 1 --bootstrap-server localhost:9092
bin/kafka-console-consumer.sh --topic events --whitelist 'e.*' --bootstrap-server localhost:9092
# A consumer property that is not a valid INT fails in KafkaConsumer's constructor.
bin/kafka-console-consumer.sh --topic events --consumer-property max.poll.records=abc --bootstrap-server localhost:9092
bin/kafka-console-consumer.sh --topic events --consumer-property max.poll.records=0 --bootstrap-server localhost:9092
