//! Partition reassignment: the engine's `AlterPartitionReassignments` (as the KRaft controller
//! runs a reassignment) and `kafka-reassign-partitions.sh` on top of it.
//!
//! Sources: Kafka 4.1's `metadata/src/main/java/org/apache/kafka/controller/
//! ReplicationControlManager.java` (`changePartitionReassignment`,
//! `cancelPartitionReassignment`), `PartitionReassignmentReplicas.maybeCompleteReassignment`,
//! `server-common/.../admin/AdminUtils.java` (`assignReplicasToBrokersRackUnaware`) and
//! `tools/src/main/java/org/apache/kafka/tools/reassign/ReassignPartitionsCommand.java` with
//! its tests `ReassignPartitionsCommandArgsTest` and `ReassignPartitionsUnitTest`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use eda_playground::console::{quickstart_world, run_script};
use eda_playground::sim::cluster::place_replicas;
use eda_playground::sim::command::{Command, NewRecord, Outcome};
use eda_playground::sim::world::WorldConfig;
use eda_playground::sim::{SimError, World};

fn three_brokers() -> World {
    let config = WorldConfig {
        brokers: 3,
        ..Default::default()
    };
    let mut world = World::with_config(7, config);
    world
        .apply(Command::CreateTopicAssigned {
            name: "t".into(),
            replica_assignment: vec![vec![1, 2], vec![2, 3]],
            configs: Vec::new(),
        })
        .unwrap();
    let producer = world.add_producer().unwrap();
    for i in 0..5 {
        world
            .apply(Command::Produce {
                producer,
                record: NewRecord {
                    partition: Some(0),
                    ..NewRecord::new("t", None, &format!("v{i}"))
                },
            })
            .unwrap();
    }
    world.advance(1_000).unwrap();
    world
}

fn reassign(world: &mut World, partition: u32, target: Option<Vec<u32>>) -> Option<SimError> {
    match world
        .apply(Command::AlterPartitionReassignments {
            reassignments: vec![("t".into(), partition, target)],
        })
        .unwrap()
    {
        Outcome::Reassignments(mut results) => results.pop().unwrap().2,
        other => panic!("{other:?}"),
    }
}

/// (replicas, adding, removing, isr, leader) of a partition.
type State = (Vec<u32>, Vec<u32>, Vec<u32>, Vec<u32>, Option<u32>);

/// The [`State`] of t-`partition`.
fn state(world: &World, partition: usize) -> State {
    let p = &world.topic("t").unwrap().partitions[partition];
    (
        p.replica_brokers(),
        p.adding_replicas.clone(),
        p.removing_replicas.clone(),
        p.isr.clone(),
        p.leader,
    )
}

/// `changePartitionReassignment`: the replicas become target + the others, adding `[3]`,
/// removing `[1]`; the new replica fetches, catches up and joins the ISR, and then
/// (`maybeCompleteReassignment`) replica 1 leaves and, as it led, the first in-sync replica of
/// the target leads. The records are all still there, and the high watermark did not move back.
#[test]
fn a_reassignment_adds_a_replica_then_drops_the_old_one_and_moves_the_leader() {
    let mut world = three_brokers();
    let hw = world.topic("t").unwrap().partitions[0].high_watermark;
    assert_eq!(hw, 5);
    assert_eq!(reassign(&mut world, 0, Some(vec![3, 2])), None);
    assert_eq!(
        state(&world, 0),
        (vec![3, 2, 1], vec![3], vec![1], vec![1, 2], Some(1))
    );
    world.advance(1_000).unwrap();
    // 3 joined the ISR at its end ([1, 2, 3]), then 1 left.
    assert_eq!(
        state(&world, 0),
        (vec![3, 2], vec![], vec![], vec![2, 3], Some(3))
    );
    let p = &world.topic("t").unwrap().partitions[0];
    assert_eq!(p.high_watermark, 5);
    assert_eq!(p.replica(3).unwrap().log_end_offset, 5);
    assert_eq!(p.log.log_end_offset(), 5);
}

/// A reordering adds nothing, so it completes at once and the leader stays (no preferred
/// election); cancelling when nothing is in progress is `NoReassignmentInProgressException`;
/// a cancel reverts to the replicas before the reassignment (`PartitionReassignmentRevert`).
#[test]
fn a_reordering_completes_at_once_and_a_cancel_reverts() {
    let mut world = three_brokers();
    assert_eq!(reassign(&mut world, 1, Some(vec![3, 2])), None);
    assert_eq!(
        state(&world, 1),
        (vec![3, 2], vec![], vec![], vec![2, 3], Some(2))
    );
    assert_eq!(
        reassign(&mut world, 1, None),
        Some(SimError::NoReassignmentInProgress(
            "No partition reassignment is in progress.".into()
        ))
    );
    // Broker 3 cannot catch up while it is stopped, so the reassignment waits.
    world.apply(Command::StopBroker { id: 3 }).unwrap();
    assert_eq!(reassign(&mut world, 0, Some(vec![3])), None);
    world.advance(2_000).unwrap();
    assert_eq!(
        state(&world, 0),
        (vec![3, 1, 2], vec![3], vec![1, 2], vec![1, 2], Some(1))
    );
    assert_eq!(reassign(&mut world, 0, None), None);
    assert_eq!(
        state(&world, 0),
        (vec![1, 2], vec![], vec![], vec![1, 2], Some(1))
    );
    assert_eq!(
        reassign(&mut world, 5, Some(vec![1])),
        Some(SimError::UnknownTopicOrPartition(
            "Unable to find partition t:5.".into()
        ))
    );
    assert!(matches!(
        reassign(&mut world, 0, Some(vec![1, 1])),
        Some(SimError::InvalidReplicationFactor(_))
    ));
}

/// The same seed and commands give the same replicas: the reassignment replays from the
/// scenario (share links, undo).
#[test]
fn a_reassignment_replays_from_its_scenario() {
    let mut world = three_brokers();
    reassign(&mut world, 0, Some(vec![3, 2]));
    world.advance(500).unwrap();
    let replayed = World::replay(&world.scenario(), world.now_ms()).unwrap();
    assert_eq!(state(&replayed, 0), state(&world, 0));
    assert_eq!(state(&replayed, 0).0, vec![3, 2]);
}

/// `AdminUtils.assignReplicasToBrokersRackUnaware` with a fixed start index of 0, as in
/// Kafka's `AdminRackAwareTest`/`ReplicaAssignmentTest` expectations for 5 brokers, 10
/// partitions and replication factor 3: round-robin leaders, followers shifted once the
/// partitions wrap around the brokers.
#[test]
fn placement_follows_admin_utils() {
    let placed = place_replicas(&[0, 1, 2, 3, 4], 0, 10, 3, 0, 0);
    let expected: Vec<Vec<u32>> = vec![
        vec![0, 1, 2],
        vec![1, 2, 3],
        vec![2, 3, 4],
        vec![3, 4, 0],
        vec![4, 0, 1],
        vec![0, 2, 3],
        vec![1, 3, 4],
        vec![2, 4, 0],
        vec![3, 0, 1],
        vec![4, 1, 2],
    ];
    assert_eq!(placed, expected);
}

/// `ReassignPartitionsCommandArgsTest`: `shouldFailIfMultipleActions`,
/// `testMissingBootstrapServerArgumentForExecute` (4.1's text: `Please specify either
/// --bootstrap-server or --bootstrap-controller`), `shouldNotAllowExecuteWithoutReassignmentOption`,
/// `shouldNotAllowGenerateWithoutBrokersOption`, `shouldNotAllowExecuteWithBrokerList`,
/// `shouldNotAllowThrottleWithVerifyOption`: each message is printed with the usage table on
/// stderr and the tool exits 1.
#[test]
fn argument_errors_are_validate_and_parse_args_messages() {
    let b = "--bootstrap-server localhost:1234";
    let cases = [
        (
            format!("{b} --execute --verify --reassignment-json-file myfile.json"),
            "Command must include exactly one action: --generate, --execute, --verify, --cancel, --list",
        ),
        (
            "--execute".to_string(),
            "Please specify either --bootstrap-server or --bootstrap-controller",
        ),
        (
            format!("{b} --execute"),
            "Missing required argument \"[reassignment-json-file]\"",
        ),
        (
            format!("{b} --topics-to-move-json-file myfile.json --generate"),
            "Missing required argument \"[broker-list]\"",
        ),
        (
            format!("{b} --execute --reassignment-json-file myfile.json --broker-list 101,102"),
            "Option \"[broker-list]\" can't be used with action \"[execute]\"",
        ),
        (
            format!("{b} --verify --throttle 100 --reassignment-json-file myfile.json"),
            "Option \"[throttle]\" can't be used with action \"[verify]\"",
        ),
    ];
    for (args, message) in cases {
        let out = run_script(
            &mut quickstart_world(1),
            &format!("kafka-reassign-partitions.sh {args}; echo $?"),
        );
        assert_eq!(out.stdout, "1\n", "{args}");
        assert!(
            out.stderr.starts_with(&format!("{message}\nOption ")),
            "{args}: {}",
            out.stderr
        );
    }
}

/// `ReassignPartitionsUnitTest.testPartitionReassignStatesToString` and
/// `ReassignPartitionsCommand.executeAssignment`/`verifyAssignment`: on three brokers, an
/// execute prints the current assignment to save for a rollback and `Successfully started
/// partition reassignments for t-0,t-1`; a verify on the same line (no time has passed, the
/// new replicas have not caught up) says `still in progress` and clears no throttles, one on
/// the next line (the script settles between lines) says `completed` and clears them; `kafka-topics.sh --describe` then shows the new replicas, ISR and leader.
#[test]
fn execute_then_verify_shows_the_reassignment_complete() {
    let mut world = quickstart_world(3);
    let b = "--bootstrap-server localhost:9092";
    let plan = r#"{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[2,3]},{"topic":"t","partition":1,"replicas":[1]}]}"#;
    let out = run_script(
        &mut world,
        &format!(
            "kafka-topics.sh --create --topic t --partitions 2 {b}
kafka-server-start.sh -daemon config/server.properties --override node.id=2
kafka-server-start.sh -daemon config/server.properties --override node.id=3
echo '{plan}' | kafka-reassign-partitions.sh {b} --execute --reassignment-json-file /dev/stdin; echo '{plan}' | kafka-reassign-partitions.sh {b} --verify --reassignment-json-file /dev/stdin
echo '{plan}' | kafka-reassign-partitions.sh {b} --verify --reassignment-json-file /dev/stdin
kafka-topics.sh --describe --topic t {b}"
        ),
    );
    let expected = "Current partition replica assignment

{\"version\":1,\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"replicas\":[1],\"log_dirs\":[\"any\"]},{\"topic\":\"t\",\"partition\":1,\"replicas\":[1],\"log_dirs\":[\"any\"]}]}

Save this to use as the --reassignment-json-file option during rollback
Successfully started partition reassignments for t-0,t-1
Status of partition reassignment:
Reassignment of partition t-0 is still in progress.
Reassignment of partition t-1 is completed.

Status of partition reassignment:
Reassignment of partition t-0 is completed.
Reassignment of partition t-1 is completed.

Clearing broker-level throttles on brokers 1,2,3
Clearing topic-level throttles on topic t
";
    assert!(out.stdout.contains(expected), "{}", out.stdout);
    // The ISR holds 2 and 3, in the order they caught up.
    assert!(
        out.stdout
            .contains("\tTopic: t\tPartition: 0\tLeader: 2\tReplicas: 2,3\tIsr: "),
        "{}",
        out.stdout
    );
}

/// A `--bootstrap-server` where no broker listens: the admin client logs its connection
/// warnings until `default.api.timeout.ms` (on the virtual clock), then `main` prints the
/// `ExecutionException` of the first call (`listPartitionReassignments`) and exits 1.
#[test]
fn without_a_broker_the_first_call_times_out() {
    let out = run_script(
        &mut quickstart_world(1),
        "kafka-reassign-partitions.sh --bootstrap-server localhost:9999 --list; echo $?",
    );
    assert_eq!(
        out.stdout,
        "Error: org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: listPartitionReassignments
java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: listPartitionReassignments
1
"
    );
    assert!(out.stderr.contains("[AdminClient clientId=reassign-partitions-tool] Connection to node -1 (localhost/127.0.0.1:9999) could not be established."));
}

/// In the page's terminal time runs on its own (no settling between lines): right after
/// `--execute` the move is in progress (`curReassignmentsToString`: `t-0: replicas: 2,1.
/// adding: 2. removing: 1.`), and once the world has run for a moment the new replica has
/// caught up, the old one has left and `--list` finds nothing.
#[test]
fn in_the_page_a_reassignment_is_seen_in_progress_then_done() {
    use eda_playground::console::{Console, Mode};
    let mut world = quickstart_world(5);
    let mut console = Console::new(Mode::Interactive);
    let b = "--bootstrap-server localhost:9092";
    console.run_line(
        &mut world,
        &format!("kafka-topics.sh --create --topic t {b}"),
    );
    console.run_line(
        &mut world,
        "kafka-server-start.sh -daemon config/server.properties --override node.id=2",
    );
    let plan = r#"{"partitions":[{"topic":"t","partition":0,"replicas":[2]}]}"#;
    let out = console.run_line(
        &mut world,
        &format!(
            "echo '{plan}' | kafka-reassign-partitions.sh {b} --execute --reassignment-json-file /dev/stdin"
        ),
    );
    assert!(
        out.stdout
            .ends_with("Successfully started partition reassignment for t-0\n"),
        "{}",
        out.stdout
    );
    let list = format!("kafka-reassign-partitions.sh {b} --list");
    assert_eq!(
        console.run_line(&mut world, &list).stdout,
        "Current partition reassignments:\nt-0: replicas: 2,1. adding: 2. removing: 1.\n"
    );
    world.advance(1_000).unwrap();
    assert_eq!(
        console.run_line(&mut world, &list).stdout,
        "No partition reassignments found.\n"
    );
    let p = &world.topic("t").unwrap().partitions[0];
    assert_eq!((p.replica_brokers(), p.leader), (vec![2], Some(2)));
}
