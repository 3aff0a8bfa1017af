//! The console end to end: golden transcripts run through the `eda-console` binary, the page's
//! terminal flow (foreground consumer and producer pumped frame by frame), and random command
//! lines that must never panic.
//!
//! Each golden is `tests/console/NAME.sh` (the script), `NAME.out` (stdout) and `NAME.err`
//! (stderr), run with the binary's default seed. The expected text is Kafka 4.1.1's
//! (`console::KAFKA_VERSION`); where each
//! format comes from:
//!
//! - `Created topic T.`, `Error while executing topic command : MSG` (stdout) with log4j's
//!   `[time] ERROR CLASS: MSG` (stderr, first stack-trace line), the `--describe` lines
//!   (`Topic: …\tTopicId: …\tPartitionCount: …\tReplicationFactor: …\tConfigs: …`,
//!   `\tTopic: …\tPartition: …\tLeader: …\tReplicas: …\tIsr: …\tElr: \tLastKnownElr: `), the
//!   collision WARNING, `Topic 'x' does not exist as expected`, `--bootstrap-server must be
//!   specified` and `Command must include exactly one action: …`: `TopicCommand.java`
//!   (`printException`, `TopicDescription`/`PartitionDescription.printDescription`,
//!   `ensureTopicExists`, `TopicCommandOptions.checkArgs`); the empty ELR lists and
//!   `Configs: segment.bytes=1073741824` as a Kafka 4.x quickstart run prints them.
//! - `Topic 't' already exists.`, `Unable to replicate the partition 3 time(s): The target
//!   replication factor of 3 cannot be reached because only 1 broker(s) are registered.`,
//!   `The topic t currently has 3 partition(s); 2 would not be an increase.`: the KRaft
//!   controller's `ReplicationControlManager` / `StripedReplicaPlacer`; `Invalid value abc for
//!   configuration retention.ms: Not a number of type LONG` and `Unknown topic config name:
//!   foo`: `ConfigDef` / `LogConfig.validate`.
//! - `zookeeper is not a recognized option`: jopt-simple's `UnrecognizedOptionException`
//!   (printed by `TopicCommand.mainNoExit` with its stack trace); `Missing required argument
//!   "[topic]"`: `CommandLineUtils.checkRequiredArgs`, followed by jopt-simple's help table
//!   (its header lines `Option … Description` / `------ … -----------`).
//! - `org.apache.kafka.common.KafkaException: No key separator found on line number 1:
//!   'nokey'`: `LineMessageReader` (via `printStackTrace`); `[time] ERROR Error when sending
//!   message to topic T with key: null, value: N bytes with error:
//!   (org.apache.kafka.clients.producer.internals.ErrorLoggingCallback)` then `…
//!   RecordTooLargeException: The message is N bytes when serialized which is larger than
//!   1048576, which is the value of the max.request.size configuration.`:
//!   `ErrorLoggingCallback.onCompletion` and `KafkaProducer.ensureValidRecordSize`.
//! - records through `DefaultMessageFormatter.writeTo` (`CreateTime:TS`, `Partition:P`,
//!   `Offset:O`, `NO_HEADERS`, key and value separated by a tab), `Processed a total of N
//!   messages` (`ConsoleConsumer.reportRecordCount`), the timeout's `[time] ERROR Error
//!   processing message, terminating consumer process:  (…ConsoleConsumer)` and
//!   `org.apache.kafka.common.errors.TimeoutException` (`ConsoleConsumer.process`),
//!   `Unknown error when running consumer: ` with `SerializationException: Size of data
//!   received by LongDeserializer is not 8` (`ConsoleConsumer.main`, `LongDeserializer`).
//! - consumer-groups tables (`\n%-Gs %-Ts %-10s %-15s %-15s %-15s %-Cs %-Hs %s`, widths at least
//!   15), `Consumer group 'g' has no active members.`, `Error: Consumer group 'x' does not
//!   exist.`, the state table `GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE #MEMBERS`, the
//!   reset table `GROUP TOPIC PARTITION NEW-OFFSET` (`OffsetsUtils.printOffsetsToReset`), the
//!   missing `--execute` WARN (`ConsumerGroupCommandOptions.checkArgs`), `Deletion of requested
//!   consumer groups ('g') was successful.` and `* Group 'g' could not be deleted due to: …`:
//!   `ConsumerGroupCommand.java`.
//! - `Formatting dynamic metadata voter directory /tmp/kraft-combined-logs with
//!   metadata.version 4.1-IV1.` and the broker's `Kafka Server started` line: a Kafka 4.1
//!   quickstart run; the `.lock` failure: `RaftManager.lockDataDir`.
//!
//! - `reassign`: `ReassignPartitionsCommand.java` (`generateAssignment`, `executeAssignment`,
//!   `currentPartitionReplicaAssignmentToString`, `verifyAssignment`, `curReassignmentsToString`,
//!   `cancelAssignment`, `validateAndParseArgs`, `main`), `TopicCommand`'s `Adding Replicas` /
//!   `Removing Replicas` columns; see `tests/reassign_partitions.rs` and `console/reassign.rs`.
//!
//! Times in log lines are virtual (the simulation starts at the epoch). Set
//! `EDA_UPDATE_GOLDEN=1` to rewrite the expected files after a deliberate change, then review
//! the diff against the sources above.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use eda_playground::console::{Console, Mode, Output, complete, quickstart_world, run_script};
use eda_playground::sim::World;
use eda_playground::sim::partitioner::partition_for_key;

fn run_binary(script: &Path) -> (String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_eda-console"))
        .arg(script)
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn first_difference(expected: &str, actual: &str) -> String {
    for (i, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
        if e != a {
            return format!("line {}:\n  expected {e:?}\n  actual   {a:?}", i + 1);
        }
    }
    format!(
        "lengths differ: expected {} lines, actual {} lines",
        expected.lines().count(),
        actual.lines().count()
    )
}

#[test]
fn golden_transcripts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/console");
    let mut scripts: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sh"))
        .collect();
    scripts.sort();
    assert!(scripts.len() >= 5, "golden scripts missing in {dir:?}");
    let update = std::env::var_os("EDA_UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for script in scripts {
        let (stdout, stderr) = run_binary(&script);
        for (ext, actual) in [("out", &stdout), ("err", &stderr)] {
            let path = script.with_extension(ext);
            if update {
                std::fs::write(&path, actual).unwrap();
                continue;
            }
            let expected = std::fs::read_to_string(&path).unwrap_or_default();
            if &expected != actual {
                failures.push(format!(
                    "{}: {}",
                    path.display(),
                    first_difference(&expected, actual)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_binary_and_the_library_print_the_same_and_are_deterministic() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/console/quickstart.sh");
    let script = std::fs::read_to_string(&path).unwrap();
    let a = run_script(&mut quickstart_world(42), &script);
    let b = run_script(&mut quickstart_world(42), &script);
    assert_eq!(a, b);
    let (stdout, stderr) = run_binary(&path);
    assert_eq!((a.stdout, a.stderr), (stdout, stderr));
}

/// Runs the binary on `script` with stdout and stderr on one pipe, as `eda-console s.sh 2>&1`
/// (or a terminal) would show it.
fn run_binary_merged(script: &str) -> String {
    let (mut reader, writer) = std::io::pipe().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_eda-console"));
    command
        .stdin(std::process::Stdio::piped())
        .stdout(writer.try_clone().unwrap())
        .stderr(writer);
    let mut child = command.spawn().unwrap();
    drop(command);
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(script.as_bytes()).unwrap();
    }
    let mut merged = String::new();
    std::io::Read::read_to_string(&mut reader, &mut merged).unwrap();
    child.wait().unwrap();
    merged
}

/// Issue 16, point 9: a terminal shows each line where the tool wrote it. Kafka's
/// `ConsoleConsumer.process` prints the records, then `reportRecordCount` prints `Processed a
/// total of N messages` on stderr when the consumer ends (`tools/src/main/java/org/apache/
/// kafka/tools/consumer/ConsoleConsumer.java`, `run`/`process`), before the next command runs.
#[test]
fn eda_console_writes_stdout_and_stderr_in_time_order() {
    let script = "kafka-topics.sh --create --topic t --bootstrap-server localhost:9092
printf 'a\\nb\\n' | kafka-console-producer.sh --topic t --bootstrap-server localhost:9092
kafka-console-consumer.sh --topic t --from-beginning --max-messages 2 --bootstrap-server localhost:9092
nope
echo done
";
    assert_eq!(
        run_binary_merged(script),
        "Created topic t.\na\nb\nProcessed a total of 2 messages\nbash: nope: command not found\ndone\n"
    );
    // The library keeps the same order for the page and for callers of `run_script`.
    let out = run_script(&mut quickstart_world(42), script);
    let merged: String = out.chunks().into_iter().map(|(_, piece)| piece).collect();
    assert_eq!(merged, run_binary_merged(script));
    // `2>&1` merges in write order too.
    let out = run_script(
        &mut quickstart_world(42),
        &format!(
            "{}kafka-console-consumer.sh --topic t --from-beginning --max-messages 1 --bootstrap-server localhost:9092 2>&1 | cat\n",
            script
        ),
    );
    assert!(
        out.stdout
            .ends_with("done\na\nProcessed a total of 1 messages\n"),
        "{:?}",
        out.stdout
    );
}

/// Issue 18: ten short lines doubling a variable tenfold used to grow memory to 3.4 GB and
/// abort the page and `eda-console`. The shell stops each expansion at its limit (checked
/// before allocating) with an error naming the limit; the variable keeps its last value and
/// the script goes on. (Not a Kafka behaviour: bash itself would run out of memory.)
#[test]
fn doubling_a_variable_stops_at_the_shells_limit_and_nothing_else_is_lost() {
    let mut script = String::from("A=xxxxxxxxxx\n");
    for _ in 0..9 {
        script.push_str("A=$A$A$A$A$A$A$A$A$A$A\n");
    }
    let error =
        "bash: expansion too large: more than 1048576 bytes in one word (the playground's limit)\n";
    // In a console: 10 → 10^6 bytes fit; the four lines that would make 10^7 and more fail.
    let mut world = quickstart_world(1);
    let mut console = Console::new(Mode::Script);
    let mut stderr = String::new();
    for line in script.lines() {
        stderr.push_str(&console.run_line(&mut world, line).stderr);
    }
    assert_eq!(stderr, error.repeat(4));
    assert_eq!(console.var("A").map(str::len), Some(1_000_000));
    assert_eq!(console.last_status(), 1);
    let after = console.run_line(&mut world, "echo still here");
    assert_eq!(after.stdout, "still here\n");
    // Natively, through the binary, the same script ends normally with the same errors.
    script.push_str("echo still here\n");
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_eda-console"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write as _;
            child.stdin.take().unwrap().write_all(script.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "still here\n");
    assert_eq!(String::from_utf8(output.stderr).unwrap(), error.repeat(4));
    assert!(started.elapsed().as_secs() < 10);
}

/// Issue 16, point 7: the quickstart runs two consumers of one group in two terminals; a
/// script does it with `&`. Both members show in `kafka-consumer-groups.sh --describe
/// --members` (`ConsumerGroupCommand.printMembers`) with the topic's four partitions split
/// two and two by the range assignor (`RangeAssignor`, Kafka's default first strategy), each
/// prints only its own partitions, and `kill %N` runs the consumer's shutdown hook (its
/// `Processed a total of N messages`, `ConsoleConsumer.reportRecordCount`).
#[test]
fn two_background_consumers_of_one_group_split_the_partitions() {
    let script = "kafka-topics.sh --create --topic orders --partitions 4 --bootstrap-server localhost:9092
kafka-console-consumer.sh --topic orders --group billing --property print.partition=true --bootstrap-server localhost:9092 &
kafka-console-consumer.sh --topic orders --group billing --property print.partition=true --bootstrap-server localhost:9092 &
jobs
sleep 5
kafka-consumer-groups.sh --describe --group billing --members --bootstrap-server localhost:9092
printf 'a:1\\nb:2\\nc:3\\nd:4\\ne:5\\nf:6\\n' | kafka-console-producer.sh --topic orders --property parse.key=true --property key.separator=: --bootstrap-server localhost:9092
sleep 3
kill %1
wait
echo waited $?
jobs
kafka-consumer-groups.sh --describe --group billing --state --bootstrap-server localhost:9092
";
    let mut world = quickstart_world(42);
    let out = run_script(&mut world, script);
    let job = "kafka-console-consumer.sh --topic orders --group billing --property print.partition=true --bootstrap-server localhost:9092 &";
    assert!(
        out.stdout.starts_with(&format!(
            "Created topic orders.\n[1]-  Running                 {job}\n[2]+  Running                 {job}\n"
        )),
        "{}",
        out.stdout
    );
    let members: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("billing ") && l.contains("/127.0.0.1"))
        .collect();
    assert_eq!(members.len(), 2, "{}", out.stdout);
    for member in &members {
        let columns: Vec<&str> = member.split_whitespace().collect();
        assert_eq!(columns[4], "2", "{member}");
    }
    // Each record printed once, by one of the two.
    let mut printed: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("Partition:"))
        .collect();
    printed.sort_by_key(|l| l.rsplit('\t').next().unwrap_or_default().to_string());
    assert_eq!(printed.len(), 6, "{}", out.stdout);
    // Killed, then waited for: each prints its count; afterwards the group is empty.
    assert_eq!(
        out.stderr.matches("Processed a total of").count(),
        2,
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("waited 0\n"));
    let after_wait = out.stdout.split("waited 0\n").nth(1).unwrap_or_default();
    assert!(
        after_wait.contains(" Empty                0\n"),
        "{}",
        out.stdout
    );
    let committed: u64 = world
        .group("billing")
        .unwrap()
        .committed
        .values()
        .map(|c| c.offset)
        .sum();
    assert_eq!(committed, 6);
}

/// Issue 16, "done when": consumers started with `&` one line after another join their group
/// together (bash returns from `&` at once), and `kafka-consumer-groups.sh --describe
/// --members [--verbose]` shows every member with the partitions split between them
/// (`ConsumerGroupCommand.printMembers`). With a cooperative-sticky-only member in the group
/// first (members that join at the same moment race: the first in wins), a range-only member
/// shares no assignor with the group: the coordinator answers
/// INCONSISTENT_GROUP_PROTOCOL (`ClassicGroup.supportsProtocols`,
/// `GroupMetadataManager.classicGroupJoinNewMember`), the client logs it
/// (`AbstractCoordinator.JoinGroupResponseHandler`: `JoinGroup failed due to fatal error: …`),
/// `poll` throws and `ConsoleConsumer.process` logs `Error processing message, terminating
/// consumer process: ` with the exception and returns, so the job prints its count and exits
/// 0. A member with Kafka's default list (range, cooperative-sticky; `ConsumerConfig`) is
/// welcome, and the group runs the one assignor all share.
#[test]
fn background_consumers_with_mixed_assignors_join_as_kafka_decides() {
    let b = "--bootstrap-server localhost:9092";
    let consumer = format!("kafka-console-consumer.sh {b} --topic t --group g");
    let strategy =
        "--consumer-property partition.assignment.strategy=org.apache.kafka.clients.consumer";
    let script = format!(
        "kafka-topics.sh --create --topic t --partitions 6 {b}
{consumer} {strategy}.CooperativeStickyAssignor &
sleep 1
{consumer} {strategy}.RangeAssignor &
{consumer} &
sleep 5
kafka-consumer-groups.sh {b} --describe --group g --members --verbose
kafka-consumer-groups.sh {b} --describe --group g --state
wait %2
echo range member exited $?
"
    );
    let mut world = quickstart_world(4);
    let out = run_script(&mut world, &script);
    let message = "The group member's supported protocols are incompatible with those of existing members or first group member tried to join with empty protocol type or empty protocol list.";
    let refused: Vec<&str> = out.stderr.lines().take(4).collect();
    assert_eq!(refused.len(), 4, "{}", out.stderr);
    assert!(
        refused[0].ends_with(&format!(
            " ERROR [Consumer clientId=console-consumer, groupId=g] JoinGroup failed due to fatal error: {message} (org.apache.kafka.clients.consumer.internals.ConsumerCoordinator)"
        )),
        "{}",
        out.stderr
    );
    assert!(refused[1].ends_with(
        " ERROR Error processing message, terminating consumer process:  (org.apache.kafka.tools.consumer.ConsoleConsumer)"
    ));
    assert_eq!(
        refused[2],
        format!("org.apache.kafka.common.errors.InconsistentGroupProtocolException: {message}")
    );
    assert_eq!(refused[3], "Processed a total of 0 messages");
    assert!(
        out.stdout.ends_with("range member exited 0\n"),
        "{}",
        out.stdout
    );
    let members: Vec<Vec<&str>> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("g ") && l.contains("/127.0.0.1"))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(members.len(), 2, "{}", out.stdout);
    let mut assigned: Vec<&str> = Vec::new();
    for member in &members {
        assert_eq!(member[4], "3", "{}", out.stdout);
        assigned.extend(member[6].trim_start_matches("t:").split(','));
    }
    assigned.sort_unstable();
    assert_eq!(assigned, ["0", "1", "2", "3", "4", "5"]);
    assert!(
        out.stdout
            .contains(" cooperative-sticky   Stable               2\n"),
        "{}",
        out.stdout
    );
    // `&` returned at once: the whole script took the sleep and the rebalance, not a settle
    // per line.
    assert!(world.now_ms() < 8_000, "{}", world.now_ms());
}

/// Two, three or four consumers of one group started with `&`, same assignor: every member
/// shows in `--describe --members` with its share (range: 6 partitions over N members).
#[test]
fn background_consumers_of_one_group_all_show_their_partitions() {
    let b = "--bootstrap-server localhost:9092";
    for n in 2..=4usize {
        let mut script = format!("kafka-topics.sh --create --topic t --partitions 6 {b}\n");
        for _ in 0..n {
            script.push_str(&format!(
                "kafka-console-consumer.sh {b} --topic t --group g --property print.partition=true &\n"
            ));
        }
        script.push_str(&format!(
            "sleep 5\nkafka-consumer-groups.sh {b} --describe --group g --members\n\
             printf 'a\\nb\\nc\\nd\\n' | kafka-console-producer.sh {b} --topic t\nsleep 2\nwait\n"
        ));
        let out = run_script(&mut quickstart_world(4), &script);
        let mut shares: Vec<usize> = out
            .stdout
            .lines()
            .filter(|l| l.starts_with("g ") && l.contains("/127.0.0.1"))
            .map(|l| l.split_whitespace().nth(4).unwrap().parse().unwrap())
            .collect();
        shares.sort_unstable();
        let expected: Vec<usize> = (0..n)
            .map(|i| 6 / n + usize::from(i >= n - 6 % n))
            .collect();
        assert_eq!(shares, expected, "{n} consumers:\n{}", out.stdout);
        assert_eq!(
            out.stdout
                .lines()
                .filter(|l| l.starts_with("Partition:"))
                .count(),
            4,
            "{n} consumers:\n{}",
            out.stdout
        );
        assert_eq!(out.stderr.matches("Processed a total of").count(), n);
    }
}

/// A script that ends with a background consumer still running closes its terminal: the
/// consumer's shutdown hook still prints its count (`ConsoleConsumer`'s `addShutdownHook`).
/// The `sleep` lets it join first: `&` returns at once, and a consumer assigned its partition
/// after the record was written starts at the end (`auto.offset.reset=latest`).
#[test]
fn a_background_consumer_left_running_ends_with_the_script() {
    let out = run_script(
        &mut quickstart_world(3),
        "kafka-topics.sh --create --topic t --bootstrap-server localhost:9092
kafka-console-consumer.sh --topic t --bootstrap-server localhost:9092 &
sleep 1
echo hi | kafka-console-producer.sh --topic t --bootstrap-server localhost:9092
sleep 2
",
    );
    assert_eq!(out.stdout, "Created topic t.\nhi\n");
    assert_eq!(out.stderr, "Processed a total of 1 messages\n");
}

/// In the page, `&` prints bash's `[N] PID`, the prompt comes back at once, the job's records
/// show as they arrive, `jobs` lists it and `kill %1` ends it, with bash's notice before the
/// next prompt (`[1]+  Terminated  …`).
#[test]
fn the_page_terminal_runs_a_consumer_in_the_background() {
    let mut world = quickstart_world(8);
    let mut terminal = Console::new(Mode::Interactive);
    terminal.run_line(
        &mut world,
        "kafka-topics.sh --create --topic chat --bootstrap-server localhost:9092",
    );
    let started = terminal.run_line(
        &mut world,
        "kafka-console-consumer.sh --topic chat --bootstrap-server localhost:9092 &",
    );
    assert_eq!(started.stderr, "[1] 4242\n");
    assert_eq!(terminal.prompt(), "$ ");
    assert!(!terminal.job_running());
    frames(&mut world, &mut [&mut terminal], 120);
    terminal.run_line(
        &mut world,
        "echo hello | kafka-console-producer.sh --topic chat --bootstrap-server localhost:9092",
    );
    let shown = frames(&mut world, &mut [&mut terminal], 200);
    assert_eq!(shown[0].stdout, "hello\n");
    let jobs = terminal.run_line(&mut world, "jobs");
    assert_eq!(
        jobs.stdout,
        "[1]+  Running                 kafka-console-consumer.sh --topic chat --bootstrap-server localhost:9092 &\n"
    );
    let killed = terminal.run_line(&mut world, "kill %1");
    assert_eq!(
        killed.stderr,
        "Processed a total of 1 messages\n[1]+  Terminated              kafka-console-consumer.sh --topic chat --bootstrap-server localhost:9092\n"
    );
    let gone = terminal.run_line(&mut world, "kill %1");
    assert_eq!(gone.stderr, "bash: kill: %1: no such job\n");
}

/// Issue 16, point 4: `parse.headers` as Kafka 4.x's `LineMessageReader` reads it
/// (`tools/src/main/java/org/apache/kafka/tools/LineMessageReader.java`, `readRecords` and
/// `splitHeaders`; cases from `LineMessageReaderTest.testLineReaderHeader`): the headers reach
/// the log and `print.headers` shows them (`DefaultMessageFormatter.writeTo`); a line without
/// the delimiter stops the producer with the reader's `KafkaException`.
#[test]
fn producer_headers_reach_the_log_and_the_consumer() {
    let mut world = quickstart_world(5);
    let out = run_script(
        &mut world,
        "printf 'h1:v1,h2:v2\\tkey0\\tvalue0\\n:\\t\\t\\n' | kafka-console-producer.sh --topic t --property parse.headers=true --property parse.key=true --bootstrap-server localhost:9092
kafka-console-consumer.sh --topic t --from-beginning --max-messages 2 --property print.headers=true --property print.key=true --bootstrap-server localhost:9092
echo 'no delimiter' | kafka-console-producer.sh --topic t --property parse.headers=true --bootstrap-server localhost:9092
kafka-console-producer.sh --topic t --property parse.headers=true --property headers.separator=: --bootstrap-server localhost:9092 <<< x
",
    );
    assert_eq!(out.stdout, "h1:v1,h2:v2\tkey0\tvalue0\n:\t\t\n");
    assert!(out.stderr.ends_with(
        "Processed a total of 2 messages\n\
         org.apache.kafka.common.KafkaException: No headers delimiter found on line number 1: 'no delimiter'\n\
         org.apache.kafka.common.KafkaException: headers.separator and headers.key.separator may not be equal\n"
    ), "{}", out.stderr);
    let record = world.topic("t").unwrap().partitions[0].log.get(0).unwrap();
    let headers: Vec<(String, Option<Vec<u8>>)> = record
        .headers
        .iter()
        .map(|h| (h.key.clone(), h.value.as_deref().map(<[u8]>::to_vec)))
        .collect();
    assert_eq!(
        headers,
        vec![
            ("h1".to_string(), Some(b"v1".to_vec())),
            ("h2".to_string(), Some(b"v2".to_vec()))
        ]
    );
}

/// Issue 16, point 6: a Kafka Streams application's group reports Streams' own assignor,
/// `StreamsPartitionAssignor` (protocol name `stream`), in `--describe --state`
/// (`ConsumerGroupCommand.printStates`); `--describe --members` prints its header even for a
/// group with no members (`printMembers` prints it whatever `shouldPrintMemberState` says).
#[test]
fn groups_describe_streams_and_empty_groups_as_kafka_does() {
    let out = run_script(
        &mut quickstart_world(42),
        "kafka-topics.sh --create --topic streams-plaintext-input --bootstrap-server localhost:9092
kafka-topics.sh --create --topic streams-wordcount-output --bootstrap-server localhost:9092
kafka-run-class.sh org.apache.kafka.streams.examples.wordcount.WordCountDemo
sleep 10
kafka-consumer-groups.sh --describe --group streams-wordcount --state --bootstrap-server localhost:9092
kafka-consumer-groups.sh --describe --group nobody --members --bootstrap-server localhost:9092
",
    );
    let state = out
        .stdout
        .lines()
        .find(|l| l.starts_with("streams-wordcount "))
        .unwrap_or_default();
    assert_eq!(
        state.split_whitespace().nth(3),
        Some("stream"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.ends_with(
        "\nError: Consumer group 'nobody' does not exist.\n\nGROUP           CONSUMER-ID     HOST            CLIENT-ID       #PARTITIONS     \n"
    ), "{}", out.stdout);
}

/// Issue 16, point 6: client configurations Kafka's constructors refuse. `--compression-codec`
/// becomes `compression.type`, a `ValidString` of Kafka's codecs (`ProducerConfig`,
/// `ConsoleProducer.ConsoleProducerConfig.compressionCodec`: gzip when given without a value);
/// `partition.assignment.strategy` names classes, which `ConsumerPartitionAssignor.
/// getAssignorInstances` loads, so a short name or a missing class fails the consumer's
/// constructor (`Failed to construct kafka consumer`, logged by `ConsoleConsumer.main`).
#[test]
fn client_configs_fail_as_kafkas_constructors_do() {
    let out = run_script(
        &mut quickstart_world(2),
        "echo x | kafka-console-producer.sh --topic t --compression-codec brotli --bootstrap-server localhost:9092
echo status $?
echo x | kafka-console-producer.sh --topic t --compression-codec --bootstrap-server localhost:9092
echo status $?
kafka-console-consumer.sh --topic t --consumer-property partition.assignment.strategy=range --bootstrap-server localhost:9092
echo status $?
kafka-console-consumer.sh --topic t --from-beginning --max-messages 1 --consumer-property partition.assignment.strategy=org.apache.kafka.clients.consumer.RoundRobinAssignor --bootstrap-server localhost:9092
",
    );
    assert_eq!(out.stdout, "status 1\nstatus 0\nstatus 1\nx\n");
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(
        lines[0],
        "org.apache.kafka.common.config.ConfigException: Invalid value brotli for configuration compression.type: String must be one of: none, gzip, snappy, lz4, zstd"
    );
    // The second producer creates `t` (Kafka's metadata warning first).
    assert!(
        lines[1]
            .ends_with("{t=UNKNOWN_TOPIC_OR_PARTITION} (org.apache.kafka.clients.NetworkClient)"),
        "{}",
        out.stderr
    );
    assert!(lines[2].ends_with(
        " ERROR Unknown error when running consumer:  (org.apache.kafka.tools.consumer.ConsoleConsumer)"
    ), "{}", out.stderr);
    assert_eq!(
        lines[3],
        "org.apache.kafka.common.KafkaException: Failed to construct kafka consumer"
    );
    assert_eq!(lines[4], "Processed a total of 1 messages");
}

/// Issue 16, point 10: one Kafka release. Every tool's `--version` prints it (`CommandLineUtils.
/// maybePrintHelpOrVersion` prints `AppInfoParser.getVersion()`), the broker logs it, and
/// `kafka-storage.sh format` writes that release's `metadata.version` (4.1's latest production
/// version, `4.1-IV1`).
/// `kafka-topics.sh --delete` of a topic that does not exist: `TopicService.deleteTopic` calls
/// `ensureTopicExists`, whose IllegalArgumentException (`Topic 'x' does not exist as
/// expected`) `TopicCommand.execute` prints through `printException` (stdout, and the stack
/// trace logged at ERROR) with exit status 1; with `--if-exists` nothing matches, nothing is
/// deleted, nothing printed, status 0. A pattern is read as one (`IncludeList`). (Only the
/// first line of the logged stack trace is shown; `--list` of no topics prints one empty
/// line: `listTopics` prints the names joined by newlines.)
#[test]
fn deleting_a_missing_topic_fails_as_topic_command_does() {
    let b = "--bootstrap-server localhost:9092";
    let out = run_script(
        &mut quickstart_world(1),
        &format!(
            "kafka-topics.sh --create --topic kept {b}
kafka-topics.sh --delete --topic missing {b}
echo status $?
kafka-topics.sh --delete --topic missing --if-exists {b}
echo status $?
kafka-topics.sh --delete --topic 'kep.*' {b}
echo status $?
kafka-topics.sh --list {b}
"
        ),
    );
    assert_eq!(
        out.stdout,
        "Created topic kept.\nError while executing topic command : Topic 'missing' does not exist as expected\nstatus 1\nstatus 0\nstatus 0\n\n"
    );
    assert_eq!(
        out.stderr,
        "[1970-01-01 00:00:00,000] ERROR java.lang.IllegalArgumentException: Topic 'missing' does not exist as expected\n"
    );
}

/// `kafka-producer-perf-test.sh` measures the engine, not made-up numbers: with every
/// request taking 100 ms (`latency_ms_min = latency_ms_max = 100`) and `linger.ms=0`, each
/// record is acknowledged 100 ms after its `send`. At `--throughput 100` the records go out
/// every 10 ms (`ThroughputThrottler`), so the acknowledgement of record 490, at 5,000 ms,
/// closes the first 5-second window (`Stats.record`: 491 records, 98.2 records/sec,
/// `printWindow`) and the last one comes at 5,990 + 100 ms: 600 / 6.09 s = 98.522167
/// records/sec (`printTotal`, Java's `%f`). Formats from `ProducerPerformance.Stats`.
#[test]
fn producer_perf_test_reports_the_engines_latencies() {
    let config = eda_playground::sim::world::WorldConfig {
        latency_ms_min: 100,
        latency_ms_max: 100,
        ..Default::default()
    };
    let mut world = World::with_config(1, config);
    let out = run_script(
        &mut world,
        "kafka-topics.sh --create --topic p --bootstrap-server localhost:9092
kafka-producer-perf-test.sh --topic p --num-records 600 --record-size 1000 --throughput 100 --producer-props bootstrap.servers=localhost:9092 linger.ms=0
echo status $?
",
    );
    assert_eq!(
        out.stdout,
        "Created topic p.
491 records sent, 98.2 records/sec (0.09 MB/sec), 100.0 ms avg latency, 100.0 ms max latency.
600 records sent, 98.522167 records/sec (0.09 MB/sec), 100.00 ms avg latency, 100.00 ms max latency, 100 ms 50th, 100 ms 95th, 100 ms 99th, 100 ms 99.9th.
status 0
"
    );
    assert_eq!(out.stderr, "");
    assert_eq!(
        world.topic("p").unwrap().partitions[0].log.log_end_offset(),
        600
    );
}

/// `kafka-consumer-perf-test.sh` (`ConsumerPerformance`): the header (`printHeader`), then
/// one line with the engine consumer's figures: every record the producer wrote is read,
/// the rebalance time is from the start to its first assignment (`ConsumerPerfRebListener`)
/// and the fetch time the rest (`fetchTimeInMs = (endMs - startMs) - joinTimeMs`), dates in
/// `yyyy-MM-dd HH:mm:ss:SSS`.
#[test]
fn consumer_perf_test_reads_what_the_producer_wrote() {
    let mut world = quickstart_world(2);
    let out = run_script(
        &mut world,
        "kafka-topics.sh --create --topic p --partitions 2 --bootstrap-server localhost:9092
kafka-producer-perf-test.sh --topic p --num-records 1000 --record-size 100 --throughput 500 --producer-props bootstrap.servers=localhost:9092 >/dev/null
kafka-consumer-perf-test.sh --bootstrap-server localhost:9092 --topic p --messages 1000
",
    );
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[1],
        "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec"
    );
    let fields: Vec<&str> = lines[2].split(", ").collect();
    assert_eq!(fields.len(), 10, "{}", lines[2]);
    assert!(fields[0].starts_with("1970-01-01 00:00:0"), "{}", lines[2]);
    assert_eq!(fields[2], "0.0954", "1000 × 100 bytes in MB");
    assert_eq!(fields[4], "1000");
    let ms = |text: &str| -> u64 {
        let (_, time) = text.split_once(' ').unwrap();
        let parts: Vec<u64> = time.split(':').map(|p| p.parse().unwrap()).collect();
        ((parts[0] * 60 + parts[1]) * 60 + parts[2]) * 1000 + parts[3]
    };
    let elapsed = ms(fields[1]) - ms(fields[0]);
    let rebalance: u64 = fields[6].parse().unwrap();
    let fetch: u64 = fields[7].parse().unwrap();
    assert!(rebalance > 0);
    assert_eq!(rebalance + fetch, elapsed);
    assert_eq!(out.stderr, "");
}

/// `kafka-leader-election.sh` (`LeaderElectionCommand.electLeaders`) against the engine's
/// controller (`ReplicationControlManager.electLeaders`): after broker 1 restarts, the
/// partition whose preferred replica it is keeps its failover leader until a preferred
/// election moves it back; with `--all-topic-partitions` only partitions where an election
/// was needed are reported (none the second time); a named partition already led by its
/// preferred replica is `Valid replica already elected`; an unknown topic is an error from
/// the controller (`No such topic as nope`) and the command fails with `1 replica(s) could
/// not be elected` (exit 1); `validate`'s messages.
#[test]
fn leader_election_moves_leadership_back_to_the_preferred_replica() {
    use eda_playground::sim::command::Command;
    let config = eda_playground::sim::world::WorldConfig {
        brokers: 3,
        ..Default::default()
    };
    let mut world = World::with_config(1, config);
    let b = "--bootstrap-server localhost:9092";
    let mut console = Console::new(Mode::Script);
    console.run_line(
        &mut world,
        &format!("kafka-topics.sh --create --topic t --partitions 3 --replication-factor 3 {b}"),
    );
    let preferred_of_1 = world
        .topic("t")
        .unwrap()
        .partitions
        .iter()
        .position(|p| p.replica_brokers()[0] == 1)
        .unwrap();
    world.apply(Command::StopBroker { id: 1 }).unwrap();
    world.advance(1_000).unwrap();
    world.apply(Command::StartBroker { id: 1 }).unwrap();
    world.advance(20_000).unwrap();
    let leader = |world: &World| world.topic("t").unwrap().partitions[preferred_of_1].leader;
    assert_ne!(leader(&world), Some(1), "the failover leader stays");
    let all =
        format!("kafka-leader-election.sh {b} --election-type preferred --all-topic-partitions");
    let out = console.run_line(&mut world, &all);
    assert_eq!(
        out.stdout,
        format!(
            "Successfully completed leader election (PREFERRED) for partitions t-{preferred_of_1}\n"
        )
    );
    assert_eq!(leader(&world), Some(1));
    assert_eq!(console.run_line(&mut world, &all).stdout, "");
    let one = console.run_line(
        &mut world,
        &format!("kafka-leader-election.sh {b} --election-type PREFERRED --topic t --partition {preferred_of_1}"),
    );
    assert_eq!(
        one.stdout,
        format!("Valid replica already elected for partitions t-{preferred_of_1}\n")
    );
    let unknown = console.run_line(
        &mut world,
        &format!("kafka-leader-election.sh {b} --election-type preferred --topic nope --partition 0; echo status $?"),
    );
    assert_eq!(
        unknown.stdout,
        "Error completing leader election (PREFERRED) for partition: nope-0: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: No such topic as nope\nstatus 1\n"
    );
    assert_eq!(
        unknown.stderr,
        "1 replica(s) could not be elected\norg.apache.kafka.server.common.AdminCommandFailedException: 1 replica(s) could not be elected\n"
    );
    let invalid = console.run_line(
        &mut world,
        &format!("kafka-leader-election.sh {b} --election-type preferred --topic t"),
    );
    assert_eq!(
        invalid.stderr,
        "Missing required option(s): partition\norg.apache.kafka.server.common.AdminCommandFailedException: Missing required option(s): partition\n"
    );
}

#[test]
fn every_tool_states_one_kafka_version() {
    use eda_playground::console::{KAFKA_VERSION, METADATA_VERSION};
    assert_eq!(KAFKA_VERSION, "4.1.1");
    let out = run_script(
        &mut quickstart_world(1),
        "kafka-topics.sh --version
kafka-console-producer.sh --version
kafka-console-consumer.sh --version
kafka-consumer-groups.sh --version
",
    );
    assert_eq!(out.stdout, "4.1.1\n".repeat(4));
    let out = run_script(
        &mut quickstart_world(1),
        "kafka-storage.sh format --standalone -t $(kafka-storage.sh random-uuid) -c config/server.properties",
    );
    assert!(
        out.stdout
            .ends_with(&format!("with metadata.version {METADATA_VERSION}.\n"))
    );
}

/// Issue 16, point 3: a broker that is not there does not answer. The admin client logs
/// `NetworkClient.processDisconnection`'s warning and `Bootstrap broker … disconnected` for
/// every refused attempt (reconnect backoff 50 ms doubling to 1 s), and after
/// `default.api.timeout.ms` (60 s of virtual time) the call fails with
/// `KafkaAdminClient`'s `Timed out waiting for a node assignment. Call: listTopics`, which
/// `TopicCommand` prints as any other failure (`printException`). Stopping the broker makes
/// `localhost:9092` such an address too.
#[test]
fn a_broker_that_is_not_there_does_not_answer() {
    let mut world = quickstart_world(4);
    let out = run_script(
        &mut world,
        "kafka-topics.sh --list --bootstrap-server localhost:9999\necho status $?\n",
    );
    assert_eq!(world.now_ms(), 60_000);
    assert_eq!(
        out.stdout,
        "Error while executing topic command : Timed out waiting for a node assignment. Call: listTopics\nstatus 1\n"
    );
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(
        lines[0],
        "[1970-01-01 00:00:00,000] WARN [AdminClient clientId=adminclient-1] Connection to node -1 (localhost/127.0.0.1:9999) could not be established. Node may not be available. (org.apache.kafka.clients.NetworkClient)"
    );
    assert_eq!(
        lines[1],
        "[1970-01-01 00:00:00,000] WARN [AdminClient clientId=adminclient-1] Bootstrap broker localhost:9999 (id: -1 rack: null isFenced: false) disconnected (org.apache.kafka.clients.NetworkClient)"
    );
    // Attempts at 0, 50, 150, 350, 750, 1550 ms, then every second up to 59.55 s.
    assert_eq!(lines.len(), 2 * (6 + 58) + 1, "{}", out.stderr);
    assert_eq!(
        lines.last().copied(),
        Some(
            "[1970-01-01 00:01:00,000] ERROR org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: listTopics"
        )
    );
    let out = run_script(
        &mut quickstart_world(4),
        "kafka-server-stop.sh\nkafka-topics.sh --create --topic t --bootstrap-server localhost:9092\n",
    );
    assert_eq!(
        out.stdout,
        "Error while executing topic command : Timed out waiting for a node assignment. Call: createTopics\n"
    );
}

/// Issue 16, point 8: `kafka-configs.sh` describes and alters a topic's dynamic configs as
/// Kafka 4.1's `ConfigCommand` does (`tools/src/main/java/org/apache/kafka/tools/
/// ConfigCommand.java`: `describeResourceConfig` prints `Dynamic configs for topic T are:` and
/// one `name=value sensitive=false synonyms={…}` line per override, `alterConfig` prints
/// `Completed updating config for topic T.`, `alterResourceConfig` refuses to delete a config
/// that is not set with `Invalid config(s): …`), and a shorter `retention.ms` makes the log
/// shrink at the next retention check (`log.retention.check.interval.ms`, 5 minutes).
#[test]
fn kafka_configs_alters_a_topic_and_the_log_shrinks() {
    let mut world = quickstart_world(6);
    let out = run_script(
        &mut world,
        "kafka-topics.sh --create --topic events --bootstrap-server localhost:9092
printf 'a\\nb\\nc\\n' | kafka-console-producer.sh --topic events --bootstrap-server localhost:9092
kafka-configs.sh --bootstrap-server localhost:9092 --entity-type topics --entity-name events --describe
kafka-configs.sh --bootstrap-server localhost:9092 --entity-type topics --entity-name events --alter --add-config retention.ms=1000
kafka-configs.sh --bootstrap-server localhost:9092 --topic events --describe
kafka-configs.sh --bootstrap-server localhost:9092 --topic events --alter --delete-config segment.bytes
kafka-configs.sh --bootstrap-server localhost:9092 --topic missing --describe
kafka-configs.sh --bootstrap-server localhost:9092 --topic events --alter
",
    );
    assert_eq!(
        out.stdout,
        "Created topic events.
Dynamic configs for topic events are:
Completed updating config for topic events.
Dynamic configs for topic events are:
  retention.ms=1000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=1000, STATIC_BROKER_CONFIG:log.retention.hours=168, DEFAULT_CONFIG:log.retention.hours=168}
The topic 'missing' doesn't exist and doesn't have dynamic config.
"
    );
    assert_eq!(
        out.stderr,
        "Invalid config(s): segment.bytes
At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter
"
    );
    let start = |world: &World| {
        world.topic("events").unwrap().partitions[0]
            .log
            .log_start_offset()
    };
    assert_eq!(start(&world), 0);
    run_script(&mut world, "sleep 301\n");
    assert_eq!(start(&world), 3);
}

/// Issue 16, point 8: `kafka-get-offsets.sh` as Kafka 4.1's `GetOffsetShell`
/// (`tools/src/main/java/org/apache/kafka/tools/GetOffsetShell.java`): `topic:partition:offset`
/// lines in `TopicPartition.toString()` order (`fetchOffsets`' `TreeMap`, so `t-10` comes
/// before `t-2`), `--time -2`/`earliest`, `--topic-partitions` rules (`parseRuleSpec`), and
/// `Error occurred: …` for what matches nothing (`mainNoExit`).
#[test]
fn kafka_get_offsets_prints_offsets_as_get_offset_shell_does() {
    let out = run_script(
        &mut quickstart_world(3),
        "kafka-topics.sh --create --topic t --partitions 12 --bootstrap-server localhost:9092
printf 'a\\nb\\n' | kafka-console-producer.sh --topic t --bootstrap-server localhost:9092
kafka-get-offsets.sh --bootstrap-server localhost:9092 --topic-partitions t:0-3,t:10-
kafka-get-offsets.sh --bootstrap-server localhost:9092 --topic t --partitions 1 --time earliest
kafka-get-offsets.sh --bootstrap-server localhost:9092 --topic missing
",
    );
    let listed: Vec<&str> = out.stdout.lines().skip(1).collect();
    let names: Vec<&str> = listed
        .iter()
        .map(|l| l.rsplit_once(':').map_or(*l, |(head, _)| head))
        .collect();
    assert_eq!(
        names,
        vec!["t:0", "t:1", "t:10", "t:11", "t:2", "t:1"],
        "{}",
        out.stdout
    );
    let total: u64 = listed[..5]
        .iter()
        .filter_map(|l| l.rsplit(':').next()?.parse::<u64>().ok())
        .sum();
    assert!(total <= 2);
    assert_eq!(listed[5], "t:1:0");
    assert_eq!(
        out.stderr,
        "Error occurred: Could not match any topic-partitions with the specified filters\n"
    );
}

/// Issue 16, point 8: `kafka-delete-records.sh` as Kafka 4.1's `DeleteRecordsCommand`
/// (`tools/src/main/java/org/apache/kafka/tools/DeleteRecordsCommand.java`, `execute`): the
/// JSON on standard input (`--offset-json-file /dev/stdin`), `partition: T-P\tlow_watermark: N`
/// per partition, -1 for the high watermark, `OffsetOutOfRangeException` past it; the log
/// start offset moves (`kafka-get-offsets.sh --time earliest` shows it).
#[test]
fn kafka_delete_records_moves_the_log_start() {
    let mut world = quickstart_world(8);
    let out = run_script(
        &mut world,
        "kafka-topics.sh --create --topic t --bootstrap-server localhost:9092
printf 'a\\nb\\nc\\n' | kafka-console-producer.sh --topic t --bootstrap-server localhost:9092
kafka-delete-records.sh --bootstrap-server localhost:9092 --offset-json-file /dev/stdin <<'EOF'
{\"partitions\": [{\"topic\": \"t\", \"partition\": 0, \"offset\": 2}], \"version\": 1}
EOF
kafka-get-offsets.sh --bootstrap-server localhost:9092 --topic t --time earliest
echo '{\"partitions\": [{\"topic\": \"t\", \"partition\": 0, \"offset\": 9}]}' | kafka-delete-records.sh --bootstrap-server localhost:9092 --offset-json-file /dev/stdin
",
    );
    assert_eq!(
        out.stdout,
        "Created topic t.
Executing records delete operation
Records delete operation completed:
partition: t-0\tlow_watermark: 2
t:0:2
Executing records delete operation
Records delete operation completed:
partition: t-0\terror: org.apache.kafka.common.errors.OffsetOutOfRangeException: The requested offset is not within the range of offsets maintained by the server.
"
    );
    assert_eq!(
        world.topic("t").unwrap().partitions[0]
            .log
            .log_start_offset(),
        2
    );
}

/// Issue 16, point 3: a console producer whose broker is not there waits `max.block.ms` for
/// each record's metadata (logging the connection warnings), then its callback reports
/// `TimeoutException: Topic t not present in metadata after N ms.` (`KafkaProducer.
/// waitOnMetadata`, through `ErrorLoggingCallback.onCompletion`), and it reads on.
#[test]
fn a_producer_without_a_broker_times_out_each_record() {
    let mut world = quickstart_world(4);
    let out = run_script(
        &mut world,
        "printf 'a\\nbb\\n' | kafka-console-producer.sh --topic t --bootstrap-server localhost:9999 --max-block-ms 3000\necho status $?\n",
    );
    assert_eq!(out.stdout, "status 0\n");
    assert_eq!(world.now_ms(), 6_000);
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| !l.contains(" WARN "))
        .collect();
    assert_eq!(
        errors,
        vec![
            "[1970-01-01 00:00:03,000] ERROR Error when sending message to topic t with key: null, value: 1 bytes with error: (org.apache.kafka.clients.producer.internals.ErrorLoggingCallback)",
            "org.apache.kafka.common.errors.TimeoutException: Topic t not present in metadata after 3000 ms.",
            "[1970-01-01 00:00:06,000] ERROR Error when sending message to topic t with key: null, value: 2 bytes with error: (org.apache.kafka.clients.producer.internals.ErrorLoggingCallback)",
            "org.apache.kafka.common.errors.TimeoutException: Topic t not present in metadata after 3000 ms.",
        ]
    );
    assert!(out.stderr.starts_with(
        "[1970-01-01 00:00:00,000] WARN [Producer clientId=console-producer] Connection to node -1 (localhost/127.0.0.1:9999) could not be established. Node may not be available. (org.apache.kafka.clients.NetworkClient)\n"
    ));
    assert!(world.topic("t").is_none());
}

/// Issue 16, point 3: a console consumer whose broker is not there never joins; it logs its
/// connection attempts (`[Consumer clientId=console-consumer, groupId=g]`) until its
/// `--timeout-ms`, then ends as `ConsoleConsumer.process` does on a `TimeoutException`.
#[test]
fn a_consumer_without_a_broker_logs_until_its_timeout() {
    let mut world = quickstart_world(4);
    let out = run_script(
        &mut world,
        "kafka-console-consumer.sh --topic t --group g --bootstrap-server localhost:9999 --timeout-ms 2000\n",
    );
    assert_eq!(out.stdout, "");
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(
        lines[0],
        "[1970-01-01 00:00:00,000] WARN [Consumer clientId=console-consumer, groupId=g] Connection to node -1 (localhost/127.0.0.1:9999) could not be established. Node may not be available. (org.apache.kafka.clients.NetworkClient)"
    );
    // Attempts at 0, 50, 150, 350, 750 and 1550 ms.
    assert_eq!(lines.len(), 12 + 3, "{}", out.stderr);
    assert_eq!(
        lines[12..],
        [
            "[1970-01-01 00:00:02,000] ERROR Error processing message, terminating consumer process:  (org.apache.kafka.tools.consumer.ConsoleConsumer)",
            "org.apache.kafka.common.errors.TimeoutException",
            "Processed a total of 0 messages",
        ]
    );
    assert!(world.group("g").is_none());
}

/// Issue 16, point 6: `print.delivery` and `print.epoch`, in the order and spelling of
/// `DefaultMessageFormatterTest.testDefaultMessageFormatter` (`tools/src/test/java/org/apache/
/// kafka/tools/consumer/`): `…\tOffset:123\tDelivery:NOT_PRESENT\tEpoch:…\tNO_HEADERS\tkey\tvalue`;
/// a classic consumer's records have no delivery count; a new partition's leader epoch is 0.
#[test]
fn the_formatter_prints_delivery_and_epoch() {
    let out = run_script(
        &mut quickstart_world(2),
        "echo v | kafka-console-producer.sh --topic t --bootstrap-server localhost:9092
kafka-console-consumer.sh --topic t --from-beginning --max-messages 1 --property print.partition=true --property print.offset=true --property print.delivery=true --property print.epoch=true --property print.headers=true --property print.key=true --bootstrap-server localhost:9092
",
    );
    assert_eq!(
        out.stdout,
        "Partition:0\tOffset:0\tDelivery:NOT_PRESENT\tEpoch:0\tNO_HEADERS\tnull\tv\n"
    );
}

/// Issue 16, point 6: a topic name the broker refuses reaches the console producer as the
/// client's `Metadata` reports it, `InvalidTopicException(Set<String>)`: `Invalid topics:
/// [NAME]` (`[]` for the empty name, as Java prints a set holding `""`), through
/// `ErrorLoggingCallback`.
#[test]
fn a_producer_given_a_bad_topic_name_reports_invalid_topics() {
    let out = run_script(
        &mut quickstart_world(2),
        "echo v | kafka-console-producer.sh --topic 'a b' --bootstrap-server localhost:9092
echo v | kafka-console-producer.sh --topic '' --bootstrap-server localhost:9092
",
    );
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("org."))
        .collect();
    assert_eq!(
        errors,
        vec![
            "org.apache.kafka.common.errors.InvalidTopicException: Invalid topics: [a b]",
            "org.apache.kafka.common.errors.InvalidTopicException: Invalid topics: []",
        ]
    );
}

/// Issue 16, point 3: the other admin tools without a broker. `GetOffsetShell.mainNoExit`
/// prints `Error occurred: ` and the `ExecutionException`'s message (then its trace); a
/// `ConfigCommand` describe fails in `listTopics` after 60 s, an alter in its own
/// `describeConfigs(…).all().get(30, TimeUnit.SECONDS)` after 30 s, both through `main`'s
/// `Error while executing config command with args '…'` and the trace.
#[test]
fn admin_tools_without_a_broker_time_out() {
    let mut world = quickstart_world(4);
    let out = run_script(
        &mut world,
        "kafka-get-offsets.sh --bootstrap-server localhost:9999
kafka-configs.sh --bootstrap-server localhost:9999 --topic t --alter --add-config retention.ms=1
",
    );
    assert_eq!(world.now_ms(), 90_000);
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| !l.contains(" WARN "))
        .collect();
    assert_eq!(
        errors,
        vec![
            "Error occurred: org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: listTopics",
            "java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: listTopics",
            "Error while executing config command with args '--bootstrap-server localhost:9999 --topic t --alter --add-config retention.ms=1'",
            "java.util.concurrent.TimeoutException",
        ]
    );
    assert!(out.stderr.contains(
        "WARN [AdminClient clientId=GetOffsetShell] Connection to node -1 (localhost/127.0.0.1:9999)"
    ));
}

/// Issue 16, point 3: `kafka-consumer-groups.sh --list` without a broker: `Admin.listGroups`'
/// `findAllBrokers` call times out after `--timeout` (`withTimeoutMs`; 5000 ms by default,
/// `ConsumerGroupCommandOptions.timeoutMsOpt`); `ConsumerGroupService.listGroups` wraps the
/// `ExecutionException` in a `RuntimeException`, and `ConsumerGroupCommand.run` prints it with
/// `printError` (`\nError: Executing consumer group command failed due to …`, then the trace)
/// and returns normally.
#[test]
fn consumer_groups_list_without_a_broker_times_out() {
    let mut world = quickstart_world(4);
    let out = run_script(
        &mut world,
        "kafka-consumer-groups.sh --list --bootstrap-server localhost:9999\necho status $?\n",
    );
    assert_eq!(world.now_ms(), 5_000);
    assert_eq!(
        out.stdout,
        "\nError: Executing consumer group command failed due to java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: findAllBrokers\nstatus 0\n"
    );
    assert!(out.stderr.ends_with(
        "java.lang.RuntimeException: java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: findAllBrokers\n"
    ));
}

/// Advances the world by frames of 16 ms, as the page's ticker does, pumping both terminals.
fn frames(world: &mut World, terminals: &mut [&mut Console], count: u32) -> Vec<Output> {
    let mut outputs: Vec<Output> = terminals.iter().map(|_| Output::default()).collect();
    for _ in 0..count {
        let events = world.advance(16).unwrap();
        for (terminal, out) in terminals.iter_mut().zip(outputs.iter_mut()) {
            let pumped = terminal.pump(world, &events);
            out.stdout.push_str(&pumped.stdout);
            out.stderr.push_str(&pumped.stderr);
        }
    }
    outputs
}

#[test]
fn the_page_terminal_runs_producer_and_consumer_as_foreground_jobs() {
    let mut world = quickstart_world(7);
    let mut consumer = Console::new(Mode::Interactive);
    let mut producer = Console::new(Mode::Interactive);
    let created = producer.run_line(
        &mut world,
        "bin/kafka-topics.sh --create --topic chat --bootstrap-server localhost:9092",
    );
    assert_eq!(created.stdout, "Created topic chat.\n");
    let started = consumer.run_line(
        &mut world,
        "bin/kafka-console-consumer.sh --topic chat --bootstrap-server localhost:9092",
    );
    assert!(started.is_empty());
    assert!(consumer.job_running());
    assert_eq!(consumer.prompt(), "");
    // Typing while the consumer runs does nothing.
    assert!(consumer.run_line(&mut world, "ls").is_empty());
    producer.run_line(
        &mut world,
        "bin/kafka-console-producer.sh --topic chat --bootstrap-server localhost:9092",
    );
    assert_eq!(producer.prompt(), ">");
    // Let the consumer join its group and get the partition.
    let joined = frames(&mut world, &mut [&mut consumer, &mut producer], 120);
    assert!(joined.iter().all(Output::is_empty));
    producer.run_line(&mut world, "hello");
    producer.run_line(&mut world, "world");
    // linger.ms is 1000 for the console producer: the records show after it.
    let early = frames(&mut world, &mut [&mut consumer, &mut producer], 30);
    assert_eq!(early[0].stdout, "");
    let later = frames(&mut world, &mut [&mut consumer, &mut producer], 120);
    assert_eq!(later[0].stdout, "hello\nworld\n");
    let ended = producer.end_of_input(&mut world);
    assert!(ended.is_empty());
    assert_eq!(producer.prompt(), "$ ");
    let stopped = consumer.interrupt(&mut world);
    assert_eq!(stopped.stderr, "Processed a total of 2 messages\n");
    assert_eq!(consumer.prompt(), "$ ");
    // The console consumer was a real engine consumer in a console-consumer-NNNNN group.
    let groups = consumer.run_line(
        &mut world,
        "bin/kafka-consumer-groups.sh --list --bootstrap-server localhost:9092",
    );
    let group = groups.stdout.trim();
    assert!(group.starts_with("console-consumer-"), "{group:?}");
    let number = group.trim_start_matches("console-consumer-");
    assert!(number.parse::<u32>().unwrap() < 100_000);
}

#[test]
fn a_consumer_with_max_messages_ends_by_itself_in_the_page() {
    let mut world = quickstart_world(3);
    let mut terminal = Console::new(Mode::Interactive);
    terminal.run_line(
        &mut world,
        "echo -e 'a\\nb\\nc' | kafka-console-producer.sh --topic t --bootstrap-server localhost:9092",
    );
    terminal.run_line(
        &mut world,
        "kafka-console-consumer.sh --topic t --from-beginning --max-messages 2 --bootstrap-server localhost:9092",
    );
    let out = frames(&mut world, &mut [&mut terminal], 400);
    assert_eq!(out[0].stdout, "a\nb\n");
    assert_eq!(out[0].stderr, "Processed a total of 2 messages\n");
    assert!(!terminal.job_running());
}

#[test]
fn topics_created_in_the_console_are_in_the_world() {
    let mut world = quickstart_world(1);
    let mut terminal = Console::new(Mode::Interactive);
    terminal.run_line(
        &mut world,
        "kafka-topics --create --topic seen --partitions 3 --bootstrap-server localhost:9092",
    );
    assert_eq!(world.topic("seen").unwrap().partition_count(), 3);
    assert_eq!(world.scenario().commands.len(), 1);
}

#[test]
fn completion_offers_tools_flags_topics_and_groups() {
    let mut world = quickstart_world(1);
    world.create_topic("orders", 1, 1).unwrap();
    world.add_group_consumer("billing", &["orders"]).unwrap();
    world.advance(2_000).unwrap();
    let line = "bin/kafka-consumer-groups.sh --describe --group bi";
    assert_eq!(complete(&world, line, line.len()), vec!["billing"]);
    let line = "kafka-console-consumer.sh --from";
    assert_eq!(complete(&world, line, line.len()), vec!["--from-beginning"]);
    assert_eq!(complete(&world, "bin/kafka-ser", 13).len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Random command lines

struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const SHELL_BYTES: &[u8] = b"ab $(){}'\"\\|;&<>#=`-\n\t0123456789EOF";
const WORDS: &[&str] = &[
    "kafka-topics.sh",
    "bin/kafka-console-producer.sh",
    "kafka-console-consumer",
    "kafka-consumer-groups.sh",
    "kafka-storage.sh",
    "kafka-server-start.sh",
    "kafka-run-class.sh",
    "echo",
    "printf",
    "cat",
    "X=1",
    "$X",
    "--create",
    "--list",
    "--describe",
    "--alter",
    "--delete",
    "--topic",
    "t",
    "--partitions",
    "3",
    "-1",
    "--bootstrap-server",
    "localhost:9092",
    "--group",
    "g",
    "--from-beginning",
    "--max-messages",
    "--timeout-ms",
    "--property",
    "parse.key=true",
    "print.key=true",
    "--config",
    "retention.ms=1",
    "--reset-offsets",
    "--to-earliest",
    "--execute",
    "--members",
    "--state",
    "--all-groups",
    "random-uuid",
    "format",
    "--standalone",
    "-t",
    "--override",
    "node.id=2",
    "|",
    "<<EOF",
    "'",
    "\"",
    "\\",
    "$(",
    ")",
    "--partition",
    "0",
    "--offset",
    "--include",
    "t.*",
    "kafka-configs.sh",
    "kafka-get-offsets.sh",
    "kafka-delete-records.sh",
    "--entity-type",
    "topics",
    "--add-config",
    "--delete-config",
    "--offset-json-file",
    "/dev/stdin",
    "--time",
    "&",
    "jobs",
    "wait",
    "kill",
    "%1",
    "2>&1",
    ">/dev/null",
    "A=$A$A$A",
];

fn random_line(rng: &mut SplitMix64) -> Vec<u8> {
    match rng.below(3) {
        0 => (0..rng.below(48)).map(|_| rng.next() as u8).collect(),
        1 => (0..rng.below(48))
            .map(|_| SHELL_BYTES[rng.below(SHELL_BYTES.len() as u64) as usize])
            .collect(),
        _ => {
            let words: Vec<&str> = (0..rng.below(12))
                .map(|_| WORDS[rng.below(WORDS.len() as u64) as usize])
                .collect();
            words.join(" ").into_bytes()
        }
    }
}

#[test]
fn random_command_lines_never_panic() {
    let started = Instant::now();
    let mut rng = SplitMix64(0x5eed_cafe);
    let mut world = quickstart_world(5);
    let mut terminal = Console::new(Mode::Interactive);
    for i in 0..100_000u32 {
        let line = String::from_utf8_lossy(&random_line(&mut rng)).into_owned();
        let _ = terminal.run_line(&mut world, &line);
        let _ = complete(&world, &line, rng.below(line.len() as u64 + 2) as usize);
        if i % 64 == 0 {
            let events = world.advance(16).unwrap();
            let _ = terminal.pump(&mut world, &events);
        }
        if i % 7 == 0 && (terminal.job_running() || terminal.prompt() == "> ") {
            let _ = terminal.interrupt(&mut world);
        }
        if i % 997 == 0 {
            let _ = terminal.end_of_input(&mut world);
        }
    }
    // Scripts too: the console drives time itself there.
    let mut script = String::new();
    for _ in 0..1_500 {
        script.push_str(&String::from_utf8_lossy(&random_line(&mut rng)));
        script.push('\n');
    }
    let _ = run_script(&mut quickstart_world(6), &script);
    eprintln!("random command lines: {:?}", started.elapsed());
}

#[test]
fn consumer_groups_describe_an_active_group_and_refuse_to_reset_it() {
    let mut world = quickstart_world(11);
    world.create_topic("orders", 2, 1).unwrap();
    let producer = world.add_producer().unwrap();
    for key in ["a", "b", "c"] {
        world.produce(producer, "orders", Some(key), "v").unwrap();
    }
    world.add_group_consumer("billing", &["orders"]).unwrap();
    world.advance(8_000).unwrap();
    let mut terminal = Console::new(Mode::Interactive);
    let run = |terminal: &mut Console, world: &mut World, line: &str| {
        terminal.run_line(world, &format!("{line} --bootstrap-server localhost:9092"))
    };
    let offsets = run(
        &mut terminal,
        &mut world,
        "kafka-consumer-groups.sh --describe --group billing",
    );
    let member = world
        .group("billing")
        .unwrap()
        .members
        .keys()
        .next()
        .unwrap()
        .to_string();
    let group_w = 15;
    let consumer_w = member.len();
    let row = |p: u32, current: &str, end: &str, lag: &str| {
        format!(
            "\n{:<group_w$} {:<15} {:<10} {:<15} {:<15} {:<15} {:<consumer_w$} {:<15} {}",
            "billing", "orders", p, current, end, lag, member, "/127.0.0.1", "consumer-billing-1"
        )
    };
    let header = format!(
        "\n{:<group_w$} {:<15} {:<10} {:<15} {:<15} {:<15} {:<consumer_w$} {:<15} {}",
        "GROUP",
        "TOPIC",
        "PARTITION",
        "CURRENT-OFFSET",
        "LOG-END-OFFSET",
        "LAG",
        "CONSUMER-ID",
        "HOST",
        "CLIENT-ID"
    );
    let p0 = world.topic("orders").unwrap().partitions[0]
        .high_watermark
        .to_string();
    let p1 = world.topic("orders").unwrap().partitions[1]
        .high_watermark
        .to_string();
    assert_eq!(
        offsets.stdout,
        format!(
            "{header}{}{}\n",
            row(0, &p0, &p0, "0"),
            row(1, &p1, &p1, "0")
        )
    );
    assert_eq!(offsets.stderr, "");
    let members = run(
        &mut terminal,
        &mut world,
        "kafka-consumer-groups.sh --describe --group billing --members",
    );
    assert_eq!(
        members.stdout,
        format!(
            "\n{:<15} {:<consumer_w$} {:<15} {:<18} {:<15} \n{:<15} {:<consumer_w$} {:<15} {:<18} {:<15} \n",
            "GROUP",
            "CONSUMER-ID",
            "HOST",
            "CLIENT-ID",
            "#PARTITIONS",
            "billing",
            member,
            "/127.0.0.1",
            "consumer-billing-1",
            "2"
        )
    );
    let state = run(
        &mut terminal,
        &mut world,
        "kafka-consumer-groups.sh --describe --group billing --state",
    );
    assert_eq!(
        state.stdout,
        "\nGROUP           COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE                #MEMBERS\
         \nbilling         localhost:9092  (1)       range                Stable               1\n"
    );
    let reset = run(
        &mut terminal,
        &mut world,
        "kafka-consumer-groups.sh --reset-offsets --group billing --all-topics --to-earliest --execute",
    );
    assert_eq!(
        reset.stdout,
        "\nError: Assignments can only be reset if the group 'billing' is inactive, but the current state is Stable.\n\
         \nGROUP           TOPIC           PARTITION  NEW-OFFSET\n"
    );
}

/// Kafka's console consumer, stopped by `--max-messages`, seeks every partition back to the
/// first record it fetched but did not print before it closes, so its group commits exactly
/// what was printed, whatever `max.poll.records` is: `tools/src/test/java/org/apache/kafka/
/// tools/consumer/ConsoleConsumerTest.java`, `shouldResetUnConsumedOffsetsBeforeExit` (700
/// records over two partitions, 123 printed: the positions add up to 123), through
/// `ConsoleConsumer.ConsumerWrapper.resetUnconsumedOffsets` in `cleanup`.
#[test]
fn a_consumer_stopped_by_max_messages_commits_what_it_printed() {
    let mut world = quickstart_world(12);
    world.create_topic("many", 2, 1).unwrap();
    let producer = world.add_producer().unwrap();
    // Which values each partition holds, in order.
    let mut logs: Vec<Vec<u32>> = vec![Vec::new(), Vec::new()];
    for i in 0..700u32 {
        let key = format!("k{i}");
        logs[partition_for_key(key.as_bytes(), 2) as usize].push(i);
        world
            .produce(producer, "many", Some(&key), &format!("v{i}"))
            .unwrap();
    }
    world.advance(2_000).unwrap();
    let mut terminal = Console::new(Mode::Script);
    // Reads `count` messages as group `group` (with extra flags), then the group's committed
    // offsets, summed over the partitions.
    let mut read_as = |group: &str, count: u32, extra: &str| {
        let out = terminal.run_line(
            &mut world,
            &format!(
                "kafka-console-consumer.sh --topic many --group {group} --from-beginning --max-messages {count} {extra} --bootstrap-server localhost:9092"
            ),
        );
        assert!(
            out.stderr
                .contains(&format!("Processed a total of {count} messages")),
            "{out:?}"
        );
        world.advance(2_000).unwrap();
        let committed: u64 = world
            .group(group)
            .unwrap()
            .committed
            .values()
            .map(|c| c.offset)
            .sum();
        (committed, out.stdout)
    };
    assert_eq!(read_as("g", 123, "").0, 123);
    assert_eq!(
        read_as("h", 5, "--consumer-property max.poll.records=2").0,
        5
    );
    // The next run of a group goes on where the last one stopped printing: nothing skipped.
    let (committed, printed) = read_as("again", 3, "--property print.partition=true");
    assert_eq!(committed, 3);
    let (committed, printed_next) = read_as("again", 3, "--property print.partition=true");
    assert_eq!(committed, 6);
    let values = |text: &str| -> Vec<String> { text.lines().map(str::to_string).collect() };
    let mut all = values(&printed);
    all.extend(values(&printed_next));
    let mut per_partition: Vec<Vec<u32>> = vec![Vec::new(), Vec::new()];
    for line in &all {
        let (partition, value) = line.split_once('\t').unwrap();
        let p: usize = partition.trim_start_matches("Partition:").parse().unwrap();
        per_partition[p].push(value.trim_start_matches('v').parse().unwrap());
    }
    // Each partition's records come in order, from its first, without a gap.
    for (p, seen) in per_partition.iter().enumerate() {
        assert_eq!(seen[..], logs[p][..seen.len()], "partition {p}: {all:?}");
    }
}

/// Issue 16, point 3: a console producer sending to a topic that does not exist yet. The
/// broker answers the first metadata request for it with `UNKNOWN_TOPIC_OR_PARTITION` while it
/// has the topic created (`core/.../AutoTopicCreationManager.scala`, `sendCreateTopicRequest`),
/// and the client logs that response once (`clients/.../NetworkClient.java`,
/// `DefaultMetadataUpdater.handleSuccessfulResponse`: `The metadata response from the cluster
/// reported a recoverable issue with correlation id {} : {}`); the record then goes to the
/// new topic. A topic that exists, or brokers that create none, give no such line.
#[test]
fn a_producer_to_a_new_topic_warns_before_the_topic_is_created() {
    let mut world = quickstart_world(4);
    let out = run_script(
        &mut world,
        "printf 'a\\nb\\n' | kafka-console-producer.sh --topic fresh --bootstrap-server localhost:9092
echo c | kafka-console-producer.sh --topic fresh --bootstrap-server localhost:9092
kafka-console-consumer.sh --topic fresh --from-beginning --bootstrap-server localhost:9092
",
    );
    assert_eq!(
        out.stderr,
        "[1970-01-01 00:00:00,000] WARN [Producer clientId=console-producer] The metadata response from the cluster reported a recoverable issue with correlation id 2 : {fresh=UNKNOWN_TOPIC_OR_PARTITION} (org.apache.kafka.clients.NetworkClient)\nProcessed a total of 3 messages\n"
    );
    assert_eq!(out.stdout, "a\nb\nc\n");
    assert_eq!(world.topic("fresh").map(|t| t.partition_count()), Some(1));
    // With auto.create.topics.enable=false the topic never appears: no warning of this kind.
    let mut world = quickstart_world(4);
    world
        .apply(eda_playground::sim::command::Command::SetAutoCreateTopics { enabled: false })
        .unwrap();
    let out = run_script(
        &mut world,
        "echo a | kafka-console-producer.sh --topic nowhere --bootstrap-server localhost:9092\n",
    );
    assert!(
        !out.stderr.contains("UNKNOWN_TOPIC_OR_PARTITION"),
        "{out:?}"
    );
    assert!(world.topic("nowhere").is_none());
}

/// Issue 16, point 3: `kafka-consumer-groups.sh --describe / --delete / --reset-offsets` with no
/// broker listening. `tools/.../consumer/group/ConsumerGroupCommand.java`: each Admin call gets
/// `withTimeoutMs` (`--timeout`, 5000 ms by default); `describeConsumerGroups` lets its future's
/// `ExecutionException` through to `run`'s `printError`, `resetOffsets` wraps it in a
/// `RuntimeException`, `deleteGroups` prints `* Group 'g' could not be deleted due to: CAUSE`.
/// The calls fail in their coordinator lookup (`AdminApiDriver`: `apiName + "(api=" + key +
/// ")"`, `KafkaAdminClient.timeoutPendingCalls`: `Timed out waiting for a node assignment.`).
/// Meanwhile `NetworkClient` logs every refused connection, on the virtual clock.
#[test]
fn consumer_groups_describe_delete_and_reset_without_a_broker_time_out() {
    let cause = |call: &str| {
        format!(
            "org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: {call}(api=FIND_COORDINATOR)"
        )
    };
    let run = |line: &str| {
        let mut world = quickstart_world(4);
        let out = run_script(&mut world, &format!("{line}\necho status $?\n"));
        (world.now_ms(), out)
    };
    let (now, out) =
        run("kafka-consumer-groups.sh --bootstrap-server localhost:9999 --describe --group g");
    assert_eq!(now, 5_000);
    assert_eq!(
        out.stdout,
        format!(
            "\nError: Executing consumer group command failed due to {}\nstatus 0\n",
            cause("describeGroups")
        )
    );
    assert!(out.stderr.ends_with(&format!(
        "java.util.concurrent.ExecutionException: {}\n",
        cause("describeGroups")
    )));
    // Attempts at 0, 50, 150, 350, 750, 1550, 2550, 3550 and 4550 ms: two lines each.
    let warnings = out
        .stderr
        .lines()
        .filter(|l| l.contains(" WARN [AdminClient clientId=adminclient-1] "))
        .count();
    assert_eq!(warnings, 18, "{}", out.stderr);

    let (now, out) = run(
        "kafka-consumer-groups.sh --bootstrap-server localhost:9999 --delete --group b --group a --timeout 2000",
    );
    assert_eq!(now, 2_000);
    assert_eq!(
        out.stdout,
        format!(
            "\nError: Deletion of some consumer groups failed:\n* Group 'a' could not be deleted due to: {0}\n* Group 'b' could not be deleted due to: {0}\nstatus 0\n",
            cause("deleteConsumerGroups")
        )
    );

    let (now, out) = run(
        "kafka-consumer-groups.sh --bootstrap-server localhost:9999 --reset-offsets --group g --topic t --to-earliest --execute",
    );
    assert_eq!(now, 5_000);
    assert_eq!(
        out.stdout,
        format!(
            "\nError: Executing consumer group command failed due to java.util.concurrent.ExecutionException: {}\nstatus 0\n",
            cause("describeGroups")
        )
    );
    assert!(out.stderr.ends_with(&format!(
        "java.lang.RuntimeException: java.util.concurrent.ExecutionException: {}\n",
        cause("describeGroups")
    )));

    // After kafka-server-stop.sh, localhost:9092 is such an address too; --all-groups lists first.
    let mut world = quickstart_world(4);
    let out = run_script(
        &mut world,
        "kafka-server-stop.sh\nkafka-consumer-groups.sh --bootstrap-server localhost:9092 --describe --all-groups\n",
    );
    assert!(out.stdout.ends_with(
        "failed due to java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: findAllBrokers\n"
    ), "{}", out.stdout);
}

/// Issue 16, point 6: `--reset-offsets` to an offset outside the log. Kafka 4.1's
/// `tools/src/main/java/org/apache/kafka/tools/OffsetsUtils.java`, `checkOffsetsRange`: an
/// offset above the log end is set to the end and one below the log start to the start, each
/// with `LOGGER.warn("New offset (N) is higher than latest offset for topic partition T-P.
/// Value will be set to E.")` (or `lower than earliest`); `resetByShiftBy` refuses a partition
/// without a committed offset (`IllegalArgumentException`, printed with the usage by
/// `ConsumerGroupCommand.run`). The table shows the clamped offsets, and `--execute` commits them.
#[test]
fn reset_offsets_out_of_range_warns_and_clamps() {
    let mut world = quickstart_world(4);
    let out = run_script(
        &mut world,
        "kafka-topics.sh --create --topic orders --partitions 2 --bootstrap-server localhost:9092
printf 'a\\nb\\nc\\n' | kafka-console-producer.sh --topic orders --property parse.key=false --bootstrap-server localhost:9092
kafka-console-consumer.sh --topic orders --group g --from-beginning --bootstrap-server localhost:9092 >/dev/null 2>&1
kafka-consumer-groups.sh --bootstrap-server localhost:9092 --reset-offsets --group g --topic orders --to-offset 2 --execute
kafka-consumer-groups.sh --bootstrap-server localhost:9092 --reset-offsets --group g --topic orders:0 --shift-by -5 --dry-run
kafka-consumer-groups.sh --bootstrap-server localhost:9092 --reset-offsets --group g --topic orders:1 --to-offset -3 --dry-run
kafka-consumer-groups.sh --bootstrap-server localhost:9092 --reset-offsets --group nobody --topic orders --shift-by 1 --dry-run
",
    );
    let ends: Vec<u64> = (0..2)
        .map(|p| world.topic("orders").unwrap().partitions[p].high_watermark)
        .collect();
    assert_eq!(ends.iter().sum::<u64>(), 3);
    // The sticky partitioner put the three records in one partition: the other one's end is 0.
    let warn = |asked: i64, side: &str, p: usize, to: u64| {
        format!(
            "WARN New offset ({asked}) is {side} offset for topic partition orders-{p}. Value will be set to {to}. (org.apache.kafka.tools.OffsetsUtils)"
        )
    };
    let warnings: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains("New offset"))
        .map(|l| l.split_once("] ").unwrap().1)
        .collect();
    let mut expected = Vec::new();
    for (p, end) in ends.iter().enumerate() {
        if *end < 2 {
            expected.push(warn(2, "higher than latest", p, *end));
        }
    }
    expected.push(warn(2.min(ends[0] as i64) - 5, "lower than earliest", 0, 0));
    expected.push(warn(-3, "lower than earliest", 1, 0));
    assert_eq!(warnings, expected, "{}", out.stderr);
    // The table shows the clamped offsets, and --execute committed them.
    let committed: Vec<u64> = (0..2u32)
        .map(|p| {
            world
                .group("g")
                .unwrap()
                .committed
                .iter()
                .find(|((t, q), _)| t.as_ref() == "orders" && *q == p)
                .unwrap()
                .1
                .offset
        })
        .collect();
    assert_eq!(committed, vec![2.min(ends[0]), 2.min(ends[1])]);
    assert!(
        out.stdout.contains(&format!(
            "\n{:<15} {:<15} {:<10} {}",
            "g",
            "orders",
            0,
            2.min(ends[0])
        )),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains(
        "Cannot shift offset for partition orders-0 since there is no current committed offset\nOption"
    ), "{}", out.stderr);
}

/// Issue 16, point 6: a group whose members use `group.protocol=consumer` (KIP-848) is a
/// `Consumer` group. Kafka 4.1's `ConsumerGroupCommand.printGroupInfo` prints
/// `GroupType.toString` (`Classic` / `Consumer`) in `--list --type`, and `--type consumer`
/// keeps only those (`ListConsumerGroupTest.testListConsumerGroupsWithTypesConsumerProtocol`);
/// `--describe --state` names the coordinator's assignor (`group.consumer.assignors`, default
/// `uniform`) where a classic group names its members' (`range`); a consumer-protocol member id
/// is a bare `Uuid` (22 characters). A value other than classic/consumer fails the consumer's
/// constructor (`ConfigDef.CaseInsensitiveValidString`).
#[test]
fn a_consumer_protocol_group_is_listed_with_its_type() {
    let mut world = quickstart_world(4);
    let out = run_script(
        &mut world,
        "kafka-topics.sh --create --topic orders --partitions 3 --bootstrap-server localhost:9092
kafka-console-consumer.sh --topic orders --group modern --consumer-property group.protocol=CONSUMER --bootstrap-server localhost:9092 &
kafka-console-consumer.sh --topic orders --group modern --consumer-property group.protocol=consumer --bootstrap-server localhost:9092 &
kafka-console-consumer.sh --topic orders --group legacy --bootstrap-server localhost:9092 &
sleep 10
kafka-consumer-groups.sh --bootstrap-server localhost:9092 --list --type
kafka-consumer-groups.sh --bootstrap-server localhost:9092 --list --type consumer --state
kafka-consumer-groups.sh --bootstrap-server localhost:9092 --describe --all-groups --state
kafka-consumer-groups.sh --bootstrap-server localhost:9092 --describe --group modern --members
kafka-console-consumer.sh --topic orders --consumer-property group.protocol=modern --bootstrap-server localhost:9092
",
    );
    let stdout = out.stdout.as_str();
    assert!(
        stdout.contains(
            "Created topic orders.\n\
             GROUP                     TYPE                \n\
             legacy                    Classic             \n\
             modern                    Consumer            \n\
             GROUP                     TYPE                 STATE               \n\
             modern                    Consumer             Stable              \n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "\nlegacy          localhost:9092  (1)       range                Stable               1\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "\nmodern          localhost:9092  (1)       uniform              Stable               2\n"
        ),
        "{stdout}"
    );
    // Two members with ids of 22 characters, each owning partitions.
    let members: Vec<Vec<&str>> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("GROUP           CONSUMER-ID"))
        .filter(|l| l.starts_with("modern "))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(members.len(), 2, "{stdout}");
    for member in &members {
        assert_eq!(member[1].len(), 22, "{member:?}");
        assert_ne!(member[4], "0", "{member:?}");
    }
    assert!(out.stderr.contains(
        "org.apache.kafka.common.config.ConfigException: Invalid value modern for configuration group.protocol: String must be one of (case insensitive): CLASSIC, CONSUMER\n"
    ), "{}", out.stderr);
}

/// Issue 16, point 8: `kafka-metadata-quorum.sh describe --status / --replication`, as Kafka
/// 4.1's `tools/src/main/java/org/apache/kafka/tools/MetadataQuorumCommand.java` prints them
/// (`handleDescribeStatus`: labels padded to 24; `Node.toString` for voters and observers;
/// `handleDescribeReplication` through `ToolsUtils.prettyPrintTable`), its `TerseException`s
/// and argparse4j's errors (`MetadataQuorumCommandTest.testDescribeQuorumStatusSuccessful`,
/// `testDescribeQuorumReplicationSuccessful`). The quorum is the quickstart's combined node 1;
/// its high watermark grows as the controller writes records (a topic, its partitions, and a
/// `NoOpRecord` every 500 ms); the other brokers are observers.
#[test]
fn kafka_metadata_quorum_describes_the_quorum() {
    let config = eda_playground::sim::world::WorldConfig {
        brokers: 2,
        group_initial_rebalance_delay_ms: 0,
        ..Default::default()
    };
    let mut world = World::with_config(4, config);
    let out = run_script(
        &mut world,
        "kafka-metadata-quorum.sh --bootstrap-server localhost:9092 describe --status
kafka-topics.sh --create --topic orders --partitions 3 --bootstrap-server localhost:9092
sleep 2
bin/kafka-metadata-quorum.sh --bootstrap-controller localhost:9093 describe --replication
kafka-metadata-quorum.sh --bootstrap-server localhost:9092 describe
kafka-metadata-quorum.sh describe --status
kafka-metadata-quorum.sh --bootstrap-server localhost:9092 describe --status --replication
",
    );
    let lines: Vec<&str> = out.stdout.lines().collect();
    let cluster = world.cluster_id().to_string();
    assert_eq!(lines[0], format!("ClusterId:              {cluster}"));
    assert_eq!(
        &lines[1..6],
        [
            "LeaderId:               1",
            "LeaderEpoch:            1",
            // Two bootstrap records and two broker registrations.
            "HighWatermark:          4",
            "MaxFollowerLag:         0",
            "MaxFollowerLagTimeMs:   0",
        ]
    );
    assert!(
        lines[6].starts_with("CurrentVoters:          [{\"id\": 1, \"directoryId\": \""),
        "{}",
        lines[6]
    );
    assert!(
        lines[6].ends_with("\", \"endpoints\": [\"CONTROLLER://localhost:9093\"]}]"),
        "{}",
        lines[6]
    );
    assert!(
        lines[7].starts_with("CurrentObservers:       [{\"id\": 2, \"directoryId\": \""),
        "{}",
        lines[7]
    );
    assert_eq!(lines[8], "Created topic orders.");
    let header: Vec<&str> = lines[9].split('\t').map(str::trim_end).collect();
    assert_eq!(
        header,
        [
            "NodeId",
            "DirectoryId",
            "LogEndOffset",
            "Lag",
            "LastFetchTimestamp",
            "LastCaughtUpTimestamp",
            "Status",
            ""
        ]
    );
    let leader: Vec<&str> = lines[10].split('\t').map(str::trim_end).collect();
    // + the topic record, its 3 partition records and 4 no-ops in 2 s.
    assert_eq!(
        (leader[0], leader[2], leader[3], leader[6]),
        ("1", "12", "0", "Leader")
    );
    assert_eq!(leader[4], world.now_ms().to_string());
    let observer: Vec<&str> = lines[11].split('\t').map(str::trim_end).collect();
    assert_eq!((observer[0], observer[6]), ("2", "Observer"));
    assert_eq!(lines.len(), 12);
    assert_eq!(
        out.stderr,
        "One of --status or --replication must be specified with describe sub-command
usage: kafka-metadata-quorum [-h] (--bootstrap-server BOOTSTRAP_SERVER | --bootstrap-controller BOOTSTRAP_CONTROLLER) [--command-config COMMAND_CONFIG] {describe,add-controller,remove-controller} ...
kafka-metadata-quorum: error: one of the arguments --bootstrap-server --bootstrap-controller is required
Only one of --status or --replication should be specified with describe sub-command
"
    );
    assert_eq!(
        complete(
            &world,
            "kafka-metadata-quorum.sh --bootstrap-server localhost:9092 de",
            62
        ),
        vec!["describe"]
    );
    assert_eq!(
        complete(
            &world,
            "kafka-metadata-quorum.sh --bootstrap-server localhost:9092 describe --st",
            73
        ),
        vec!["--status"]
    );
    assert!(complete(&world, "kafka-meta", 10).contains(&"kafka-metadata-quorum.sh".to_string()));
}

/// The latest count per word in `streams-wordcount-output`, read with a console consumer
/// (a script of its own, so the page terminal's jobs are left alone).
fn word_counts(world: &mut World) -> Vec<(String, String)> {
    let out = run_script(
        world,
        "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic streams-wordcount-output --from-beginning --property print.key=true --property value.deserializer=org.apache.kafka.common.serialization.LongDeserializer\n",
    );
    out.stdout
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Issue 16, point 8: `kafka-streams-application-reset.sh` as Kafka 4.1's `StreamsResetter`
/// (`tools/src/main/java/org/apache/kafka/tools/StreamsResetter.java`): `maybeDeleteActiveConsumers`
/// refuses while WordCountDemo's group has members (`IllegalStateException`, exit 1);
/// once the demo is stopped (`kill %1`), `maybeReset` moves the committed offset of the input
/// topic to the earliest one and `maybeDeleteInternalTopics` deletes the changelog and
/// repartition topics, so the demo started again counts every word from 1.
#[test]
fn the_streams_reset_tool_makes_word_count_demo_count_anew() {
    let mut world = quickstart_world(11);
    let mut terminal = Console::new(Mode::Interactive);
    for topic in ["streams-plaintext-input", "streams-wordcount-output"] {
        terminal.run_line(
            &mut world,
            &format!("kafka-topics.sh --create --topic {topic} --bootstrap-server localhost:9092"),
        );
    }
    let demo = "bin/kafka-run-class.sh org.apache.kafka.streams.examples.wordcount.WordCountDemo";
    let started = terminal.run_line(&mut world, demo);
    assert!(started.stdout.contains("as job %1"), "{started:?}");
    frames(&mut world, &mut [&mut terminal], 200);
    let produce = "echo 'kafka streams kafka' | kafka-console-producer.sh --topic streams-plaintext-input --bootstrap-server localhost:9092";
    terminal.run_line(&mut world, produce);
    frames(&mut world, &mut [&mut terminal], 3_000);
    let counts = word_counts(&mut world);
    assert_eq!(counts.last(), Some(&("kafka".to_string(), "2".to_string())));

    let reset = "kafka-streams-application-reset.sh --bootstrap-server localhost:9092 --application-id streams-wordcount --input-topics streams-plaintext-input";
    let refused = terminal.run_line(&mut world, reset);
    assert!(
        refused.stderr.starts_with("ERROR: java.lang.IllegalStateException: Consumer group 'streams-wordcount' is still active and has following members: [(memberId=streams-wordcount-"),
        "{refused:?}"
    );
    assert_eq!(terminal.run_line(&mut world, "echo $?").stdout, "1\n");

    let killed = terminal.run_line(&mut world, "kill %1");
    assert!(killed.stderr.contains("Terminated"), "{killed:?}");
    frames(&mut world, &mut [&mut terminal], 100);
    let done = terminal.run_line(&mut world, reset);
    assert_eq!(done.stderr, "");
    assert_eq!(
        done.stdout,
        "Reset-offsets for input topics [streams-plaintext-input]\n\
         Following input topics offsets will be reset to (for consumer group streams-wordcount)\n\
         Topic: streams-plaintext-input Partition: 0 Offset: 0\n\
         Done.\n\
         Deleting inferred internal topics [streams-wordcount-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog, streams-wordcount-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition]\n\
         Done.\n"
    );
    assert!(
        world
            .topic("streams-wordcount-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog")
            .is_none()
    );

    let again = terminal.run_line(&mut world, demo);
    assert!(again.stdout.contains("kill %"), "{again:?}");
    frames(&mut world, &mut [&mut terminal], 200);
    terminal.run_line(&mut world, produce);
    frames(&mut world, &mut [&mut terminal], 3_000);
    let counts = word_counts(&mut world);
    // The first line counted again from the start (kafka 1, 2), then the new one (3, 4):
    // without the reset the state store would go on from 2 and the input would not be re-read.
    let kafka: Vec<&str> = counts
        .iter()
        .filter(|(k, _)| k == "kafka")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(kafka, ["1", "2", "1", "2", "3", "4"]);
}

/// `kafka-streams-application-reset.sh` is in the console's help and tab completion, with
/// `StreamsResetterOptions`' option names.
#[test]
fn the_streams_reset_tool_is_listed_and_completed() {
    let world = quickstart_world(2);
    let help = run_script(&mut quickstart_world(2), "help\n");
    assert!(
        help.stdout
            .contains("  bin/kafka-streams-application-reset.sh\n"),
        "{help:?}"
    );
    assert_eq!(
        complete(&world, "bin/kafka-streams-app", 21),
        vec!["bin/kafka-streams-application-reset.sh"]
    );
    let line = "kafka-streams-application-reset.sh --application-id x --input";
    assert_eq!(complete(&world, line, line.len()), vec!["--input-topics"]);
}
