# kafka-console-producer.sh: keys, null markers, and the errors learners meet.
bin/kafka-topics.sh --create --topic keyed --partitions 2 --bootstrap-server localhost:9092
bin/kafka-console-producer.sh --topic keyed --bootstrap-server localhost:9092 --property parse.key=true --property key.separator=: <<EOF
alice:first
bob:second
alice:third
EOF
# A line without the separator stops the producer; the lines before it are sent.
printf 'carol:ok\nno separator here\ndave:never sent\n' | bin/kafka-console-producer.sh --topic keyed --bootstrap-server localhost:9092 --property parse.key=true --property key.separator=:
# ignore.error=true sends such a line with a null key instead; null.marker makes nulls.
bin/kafka-console-producer.sh --topic keyed --bootstrap-server localhost:9092 --property parse.key=true --property key.separator=: --property ignore.error=true --property null.marker=NULL <<'EOF'
just a value
NULL:no key
erin:NULL
EOF
bin/kafka-console-consumer.sh --topic keyed --from-beginning --property print.key=true --property print.partition=true --property print.offset=true --bootstrap-server localhost:9092
# A record larger than the producer's max.request.size never leaves it.
echo "this record is longer than one hundred bytes, which is what this producer allows itself to send in one request" | bin/kafka-console-producer.sh --topic keyed --producer-property max.request.size=100 --bootstrap-server localhost:9092
# A record larger than the topic's max.message.bytes is refused by the broker.
bin/kafka-topics.sh --create --topic small --config max.message.bytes=100 --bootstrap-server localhost:9092
echo "this record is longer than one hundred bytes, which is more than the small topic accepts in one batch of records" | bin/kafka-console-producer.sh --topic small --bootstrap-server localhost:9092
# Argument errors.
bin/kafka-console-producer.sh --bootstrap-server localhost:9092
bin/kafka-console-producer.sh --topic keyed
bin/kafka-console-producer.sh --topic keyed --broker-list localhost:9092
bin/kafka-console-producer.sh --topic keyed --bootstrap-server localhost:9092 --request-required-acks 2 <<< 'x'
