# The console's shell: what tutorials paste besides Kafka's tools.
wget https://downloads.apache.org/kafka/4.1.1/kafka_2.13-4.1.1.tgz
tar -xzf kafka_2.13-4.1.1.tgz
cd kafka_2.13-4.1.1
java -version
TOPIC=greetings
echo "topic is $TOPIC, literally '$TOPIC'" 'or $TOPIC'
printf '%s=%s\n' a 1 b 2
echo ${TOPIC}-v2 $(echo nested $(echo twice))
cat <<EOF
here-document with $TOPIC
EOF
ls -l
bin/kafka-topics.sh --create --topic $TOPIC --bootstrap-server localhost:9092 && echo created || echo failed
bin/kafka-topics.sh --create --topic $TOPIC --bootstrap-server localhost:9092 && echo created || echo failed
echo "hello \
world"
bin/kafka-run-class.sh org.apache.kafka.streams.examples.wordcount.WordCountDemo
bin/kafka-run-class.sh kafka.tools.NoSuchTool
bin/kafka-server-start.sh config/server.properties
bin/kafka-server-start.sh config/server.properties
bin/kafka-storage.sh format --standalone -t not-a-uuid -c config/server.properties
