# kafka-producer-perf-test.sh (ProducerPerformance) on the virtual clock: 600 records at 100/s
# (one 5-second window line, then the summary), a warmup, the payload a consumer reads back,
# and the tool's argument errors.
bin/kafka-topics.sh --create --topic perf --partitions 3 --bootstrap-server localhost:9092
bin/kafka-producer-perf-test.sh --topic perf --num-records 600 --record-size 100 --throughput 100 --producer-props bootstrap.servers=localhost:9092
bin/kafka-producer-perf-test.sh --topic perf --num-records 300 --record-size 20 --throughput 50 --warmup-records 50 --producer-props bootstrap.servers=localhost:9092 acks=1 linger.ms=0
bin/kafka-producer-perf-test.sh --topic perf --num-records 3 --payload-monotonic --throughput -1 --producer-props bootstrap.servers=localhost:9092
bin/kafka-console-consumer.sh --topic perf --partition 0 --offset 0 --max-messages 1 --bootstrap-server localhost:9092
bin/kafka-producer-perf-test.sh --topic perf --num-records 0 --record-size 100 --throughput -1 --producer-props bootstrap.servers=localhost:9092
echo status $?
bin/kafka-producer-perf-test.sh --topic perf --num-records 10 --throughput -1 --producer-props bootstrap.servers=localhost:9092
bin/kafka-producer-perf-test.sh --topic perf --num-records 10 --record-size 10 --payload-monotonic --throughput -1 --producer-props bootstrap.servers=localhost:9092
bin/kafka-producer-perf-test.sh --topic perf --num-records ten --record-size 10 --throughput -1 --producer-props bootstrap.servers=localhost:9092
bin/kafka-producer-perf-test.sh --num-records 10 --record-size 10 --throughput -1 --producer-props bootstrap.servers=localhost:9092
bin/kafka-producer-perf-test.sh --topic perf --num-records 10 --record-size 10 --throughput -1
bin/kafka-producer-perf-test.sh --topic perf --num-records 10 --record-size 10 --throughput -1 --warmup-records 10 --producer-props bootstrap.servers=localhost:9092
bin/kafka-producer-perf-test.sh --topic perf --num-records 10 --record-size 10 --throughput -1 --producer-props acks=1
echo status $?
bin/kafka-producer-perf-test.sh --topic perf --num-records 10 --payload-file payloads.txt --throughput -1 --producer-props bootstrap.servers=localhost:9092
# kafka-consumer-perf-test.sh (ConsumerPerformance): the header and its one line, a timeout
# warning, argument errors.
bin/kafka-consumer-perf-test.sh --bootstrap-server localhost:9092 --topic perf --messages 900
bin/kafka-consumer-perf-test.sh --bootstrap-server localhost:9092 --topic perf --messages 5000 --timeout 1000 --hide-header
bin/kafka-consumer-perf-test.sh --bootstrap-server localhost:9092 --messages 5
bin/kafka-consumer-perf-test.sh --bootstrap-server localhost:9092 --topic perf --messages many
