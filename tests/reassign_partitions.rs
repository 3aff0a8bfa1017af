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
