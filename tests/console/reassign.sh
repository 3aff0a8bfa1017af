# kafka-reassign-partitions.sh (ReassignPartitionsCommand): a topic made on one broker is spread
# over two new ones: --generate proposes a plan, --execute starts it (the new replicas catch up,
# then the old ones leave), --list and kafka-topics --describe show it moving, --verify sees it
# done; --cancel reverts one in progress; then the tool's argument, file and cluster errors.
bin/kafka-topics.sh --create --topic orders --partitions 3 --bootstrap-server localhost:9092
printf 'a\nb\nc\nd\ne\nf\n' | bin/kafka-console-producer.sh --topic orders --bootstrap-server localhost:9092
bin/kafka-server-start.sh -daemon config/server.properties --override node.id=2
bin/kafka-server-start.sh -daemon config/server.properties --override node.id=3
bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --generate --broker-list 1,2,3 --topics-to-move-json-file /dev/stdin <<'EOF'
{"topics": [{"topic": "orders"}], "version": 1}
EOF
# Within one line no time passes, so --list, --describe and a second --execute see the moves
# in progress; by the next line the new replicas have caught up and the old ones have left.
PLAN='{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[2,3],"log_dirs":["any","any"]},{"topic":"orders","partition":1,"replicas":[3,1],"log_dirs":["any","any"]},{"topic":"orders","partition":2,"replicas":[1,2],"log_dirs":["any","any"]}]}'
bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --execute --reassignment-json-file /dev/stdin <<'EOF'; bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --list; bin/kafka-topics.sh --describe --topic orders --bootstrap-server localhost:9092; echo "$PLAN" | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --verify --reassignment-json-file /dev/stdin; echo "$PLAN" | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --execute --reassignment-json-file /dev/stdin
{"version": 1, "partitions": [
  {"topic": "orders", "partition": 0, "replicas": [2, 3]},
  {"topic": "orders", "partition": 1, "replicas": [3, 1]},
  {"topic": "orders", "partition": 2, "replicas": [1, 2]}
]}
EOF
echo "$PLAN" | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --verify --reassignment-json-file /dev/stdin
bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --list
bin/kafka-topics.sh --describe --topic orders --bootstrap-server localhost:9092
bin/kafka-console-consumer.sh --topic orders --partition 0 --offset earliest --max-messages 2 --bootstrap-server localhost:9092
# A reassignment cancelled before it completes goes back to the replicas it started from.
ONE='{"partitions":[{"topic":"orders","partition":2,"replicas":[3,2]}]}'
echo "$ONE" | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --execute --reassignment-json-file /dev/stdin >/dev/null; echo "$ONE" | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --cancel --reassignment-json-file /dev/stdin
echo "$ONE" | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --cancel --reassignment-json-file /dev/stdin --preserve-throttles
echo
echo "$ONE" | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --verify --reassignment-json-file /dev/stdin
# Errors: the arguments (usage on stderr), then the files and the cluster (stdout, exit 1).
bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092
bin/kafka-reassign-partitions.sh --list
bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --execute
bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --generate --topics-to-move-json-file /dev/stdin
bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --verify --broker-list 1 --reassignment-json-file /dev/stdin
bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --execute --reassignment-json-file plan.json
echo status $?
echo '{"partitions":[{"topic":"orders","partition":0,"replicas":[2,7]}]}' | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --execute --reassignment-json-file /dev/stdin
echo '{"partitions":[{"topic":"nope","partition":0,"replicas":[1]}]}' | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --execute --reassignment-json-file /dev/stdin
echo '{"partitions":[{"topic":"orders","partition":5,"replicas":[1]}]}' | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --execute --reassignment-json-file /dev/stdin
echo '{"partitions":[{"topic":"orders","partition":0}]}' | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --execute --reassignment-json-file /dev/stdin
echo '{"partitions":[{"topic":"orders","partition":"0","replicas":[1]}]}' | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --execute --reassignment-json-file /dev/stdin
echo '{"partitions":[{"topic":"orders","partition":0,"replicas":[1,1]}]}' | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --execute --reassignment-json-file /dev/stdin
echo '{"partitions":[]}' | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --execute --reassignment-json-file /dev/stdin
echo '{"partitions": [' | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --execute --reassignment-json-file /dev/stdin
printf '' | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --execute --reassignment-json-file /dev/stdin
echo '{"topics":[{"topic":"nope"}]}' | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --generate --broker-list 1,2 --topics-to-move-json-file /dev/stdin
echo '{"topics":[{"topic":"orders"}]}' | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --generate --broker-list 1,1 --topics-to-move-json-file /dev/stdin
echo '{"topics":[{"topic":"orders"}]}' | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --generate --broker-list 1,x --topics-to-move-json-file /dev/stdin
echo 'topics' | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --generate --broker-list 1 --topics-to-move-json-file /dev/stdin
bin/kafka-topics.sh --create --topic wide --replication-factor 3 --bootstrap-server localhost:9092
echo '{"topics":[{"topic":"wide"}]}' | bin/kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --generate --broker-list 1,2,9 --topics-to-move-json-file /dev/stdin
