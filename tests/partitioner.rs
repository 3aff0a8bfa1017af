#![allow(clippy::unwrap_used)]
//! Tests of `sim::partitioner` against Apache Kafka 4.x's own facts.
//!
//! The murmur2 vectors are Kafka's (`clients/src/test/java/org/apache/kafka/common/utils/
//! UtilsTest.java`, `testMurmur2`). The key → partition tables were computed independently with a
//! Python re-implementation of `Utils.murmur2` using Java 32-bit `int` semantics (wrapping
//! multiplication, `>>>` as a logical shift, the fall-through tail), run with `python3` while
//! writing these tests; that re-implementation reproduces every `UtilsTest` vector above, and its
//! outputs are pasted below as the expected values. The sticky and round-robin cases replay
//! `BuiltInPartitionerTest.java` and `RoundRobinPartitionerTest.java`.

use eda_playground::sim::partitioner::{
    DEFAULT_BATCH_SIZE, PartitionerKind, QueueLoad, RoundRobinPartitioner, StickyPartitioner,
    TopicPartitioner, murmur2, partition_for_key, to_positive,
};
use eda_playground::sim::rng::Rng;

#[test]
fn murmur2_matches_kafka_utils_test_vectors() {
    // UtilsTest.testMurmur2.
    let cases: [(&[u8], i32); 6] = [
        (b"21", -973_932_308),
        (b"foobar", -790_332_482),
        (b"a-little-bit-long-string", -985_981_536),
        (b"a-little-bit-longer-string", -1_486_304_829),
        (
            b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
            -58_897_971,
        ),
        // Kafka writes this one as `new byte[] {'a', 'b', 'c'}`.
        (b"abc", 479_470_107),
    ];
    for (data, expected) in cases {
        assert_eq!(murmur2(data), expected, "murmur2({data:?})");
    }
}

#[test]
fn murmur2_covers_every_tail_length_and_high_bytes() {
    // Python (Java-int semantics) reference values; lengths 0..=5 hit every `length % 4` branch,
    // and bytes >= 0x80 check that no sign extension leaks in (Kafka masks with `& 0xff`).
    let cases: [(&[u8], i32); 11] = [
        (b"", 275_646_681),
        (b"a", -1_563_381_124),
        (b"ab", 316_155_434),
        (b"abc", 479_470_107),
        (b"abcd", -1_323_649_548),
        (b"abcde", 461_995_741),
        (&[0xff], -311_467_685),
        (&[0x80, 0x00], -747_627_646),
        (&[0xff, 0xfe, 0xfd], 998_637_092),
        (&[0xde, 0xad, 0xbe, 0xef], 833_564_499),
        (b"The quick brown fox jumps over the lazy dog", 495_243_318),
    ];
    for (data, expected) in cases {
        assert_eq!(murmur2(data), expected, "murmur2({data:?})");
    }
    let all_bytes: Vec<u8> = (0..=255u8).collect();
    assert_eq!(murmur2(&all_bytes), -1_948_347_274);
}

#[test]
fn to_positive_masks_the_sign_bit_rather_than_negating() {
    assert_eq!(to_positive(5), 5);
    assert_eq!(to_positive(0), 0);
    assert_eq!(to_positive(-1), i32::MAX);
    assert_eq!(to_positive(i32::MIN), 0);
    assert_eq!(to_positive(-973_932_308), 1_173_551_340);
}

#[test]
fn keys_land_on_the_partitions_kafka_picks() {
    // Expected partitions for 1, 2, 3, 6, 10, 12, 50 and 100 partitions, from the Python
    // re-implementation (`toPositive(murmur2(utf8(key))) % n`).
    let counts = [1u32, 2, 3, 6, 10, 12, 50, 100];
    let table: [(&str, [u32; 8]); 18] = [
        ("", [0, 1, 0, 3, 1, 9, 31, 81]),
        ("a", [0, 0, 1, 4, 4, 4, 24, 24]),
        ("ab", [0, 0, 2, 2, 4, 2, 34, 34]),
        ("abc", [0, 1, 0, 3, 7, 3, 7, 7]),
        ("abcd", [0, 0, 2, 2, 0, 8, 0, 0]),
        ("abcde", [0, 1, 1, 1, 1, 1, 41, 41]),
        ("key", [0, 1, 1, 1, 1, 1, 31, 81]),
        ("key-0", [0, 1, 1, 1, 1, 1, 41, 41]),
        ("key-1", [0, 0, 0, 0, 0, 0, 40, 40]),
        ("key-2", [0, 0, 2, 2, 2, 2, 2, 2]),
        ("user-42", [0, 0, 1, 4, 0, 4, 10, 60]),
        ("order-1001", [0, 0, 0, 0, 8, 6, 28, 78]),
        ("customer-7", [0, 1, 1, 1, 1, 7, 11, 11]),
        ("0", [0, 0, 2, 2, 6, 8, 46, 96]),
        ("1", [0, 1, 0, 3, 9, 3, 9, 59]),
        ("42", [0, 0, 1, 4, 2, 4, 22, 72]),
        ("hello world", [0, 1, 1, 1, 9, 7, 9, 59]),
        (
            "The quick brown fox jumps over the lazy dog",
            [0, 0, 0, 0, 8, 6, 18, 18],
        ),
    ];
    for (key, expected) in table {
        for (n, want) in counts.iter().zip(expected) {
            assert_eq!(
                partition_for_key(key.as_bytes(), *n),
                want,
                "key {key:?} with {n} partitions"
            );
        }
    }
}

#[test]
fn unicode_keys_hash_as_their_utf8_bytes() {
    // The UTF-8 bytes are what Kafka's StringSerializer sends; Python computed the same.
    let table: [(&str, &[u8], i32, [u32; 4]); 5] = [
        (
            "café",
            &[99, 97, 102, 195, 169],
            -1_358_007_374,
            [0, 0, 0, 6],
        ),
        (
            "日本語",
            &[230, 151, 165, 230, 156, 172, 232, 170, 158],
            1_431_860_170,
            [0, 1, 4, 10],
        ),
        (
            "ключ",
            &[208, 186, 208, 187, 209, 142, 209, 135],
            2_122_343_024,
            [0, 2, 2, 8],
        ),
        ("🎉", &[240, 159, 142, 137], 2_031_907_914, [0, 0, 0, 6]),
        (
            "naïve-ключ-🔑",
            &[
                110, 97, 195, 175, 118, 101, 45, 208, 186, 208, 187, 209, 142, 209, 135, 45, 240,
                159, 148, 145,
            ],
            -346_121_157,
            [0, 2, 5, 11],
        ),
    ];
    for (key, utf8, hash, partitions) in table {
        assert_eq!(key.as_bytes(), utf8);
        assert_eq!(murmur2(key.as_bytes()), hash, "murmur2({key:?})");
        for (n, want) in [1u32, 3, 6, 12].iter().zip(partitions) {
            assert_eq!(partition_for_key(key.as_bytes(), *n), want, "{key:?} % {n}");
        }
    }
}

#[test]
fn raw_byte_keys_and_zero_partitions() {
    assert_eq!(partition_for_key(&[0xff], 3), 0);
    assert_eq!(partition_for_key(&[0xff], 7), 5);
    assert_eq!(partition_for_key(&[0xff], 12), 3);
    assert_eq!(partition_for_key(&[0x80, 0x00], 12), 10);
    // A topic without partitions: documented to return 0 instead of dividing by zero.
    assert_eq!(partition_for_key(b"key", 0), 0);
    assert_eq!(partition_for_key(b"", 0), 0);
    // A large key must not panic.
    let big = vec![0xabu8; 1 << 20];
    assert!(partition_for_key(&big, 12) < 12);
}

#[test]
fn an_empty_key_is_hashed_and_only_a_null_key_is_sticky() {
    let mut rng = Rng::new(1);
    let mut partitioner = TopicPartitioner::new(PartitionerKind::BuiltIn, DEFAULT_BATCH_SIZE, true);
    let all: Vec<u32> = (0..12).collect();
    // murmur2("") = 275646681, % 12 = 9.
    for _ in 0..5 {
        assert_eq!(partitioner.choose(Some(b""), 100, &mut rng, 12, &all), 9);
    }
    // Keyed records use every partition for the modulus, even those without a leader.
    assert_eq!(partitioner.choose(Some(b""), 100, &mut rng, 12, &[0, 1]), 9);
    // A null key sticks to one available partition.
    let sticky = partitioner.choose(None, 100, &mut rng, 12, &all);
    assert!(sticky < 12);
    assert_eq!(partitioner.choose(None, 100, &mut rng, 12, &all), sticky);
}

#[test]
fn sticky_stays_until_batch_size_bytes_then_switches_after_the_crossing_record() {
    let available: Vec<u32> = (0..6).collect();
    let mut rng = Rng::new(42);
    let mut sticky = StickyPartitioner::default();
    assert_eq!(sticky.batch_size(), 16_384);
    assert!(sticky.adaptive());
    assert_eq!(sticky.current_partition(), None);

    let first = sticky.choose(1_000, &mut rng, 6, &available);
    // 16 records make 16,000 bytes < 16,384: no switch yet.
    for _ in 1..16 {
        assert_eq!(sticky.choose(1_000, &mut rng, 6, &available), first);
    }
    assert_eq!(sticky.produced_bytes(), 16_000);
    // The 17th record crosses 16,384 bytes: it still lands on the old partition, then the
    // partitioner switches (possibly to the same partition again, as Kafka's uniform draw may).
    assert_eq!(sticky.choose(1_000, &mut rng, 6, &available), first);
    assert_eq!(sticky.produced_bytes(), 0);
    assert!(sticky.current_partition().is_some());
}

#[test]
fn sticky_switching_over_many_batches_visits_all_available_partitions() {
    let available = [0u32, 2, 3];
    let mut rng = Rng::new(7);
    let mut sticky = StickyPartitioner::new(3);
    let mut seen = [0u32; 4];
    for _ in 0..3_000 {
        let partition = sticky.choose(1, &mut rng, 4, &available);
        seen[partition as usize] += 1;
    }
    // Partition 1 has no leader and is never chosen (BuiltInPartitionerTest.unavailablePartitionsTest).
    assert_eq!(seen[1], 0);
    for p in [0usize, 2, 3] {
        assert!(seen[p] > 600, "partition {p} chosen {} times", seen[p]);
    }
    // Records come in runs of 3 (the sticky batch size) per chosen partition.
    assert_eq!(seen.iter().sum::<u32>(), 3_000);
}

#[test]
fn sticky_is_deterministic_for_a_fixed_seed() {
    let available: Vec<u32> = (0..10).collect();
    let run = |seed: u64| -> Vec<u32> {
        let mut rng = Rng::new(seed);
        let mut sticky = StickyPartitioner::new(500);
        (0..400)
            .map(|_| sticky.choose(100, &mut rng, 10, &available))
            .collect()
    };
    assert_eq!(run(2024), run(2024));
    assert_eq!(run(99), run(99));
}

#[test]
fn sticky_single_partition_and_unavailable_topics() {
    let mut rng = Rng::new(3);
    // BuiltInPartitionerTest.testStickyPartitioning, topic B: one partition, batch size 1.
    let mut b = StickyPartitioner::new(1);
    for _ in 0..10 {
        assert_eq!(b.choose(1, &mut rng, 1, &[0]), 0);
    }
    // unavailablePartitionsTest, topic B: partition 0 has no leader, only 1 may be chosen.
    let mut b2 = StickyPartitioner::new(1);
    for _ in 0..100 {
        assert_eq!(b2.choose(1, &mut rng, 2, &[1]), 1);
    }
    // Topic C: no partition available: pick among all partitions (here the only one).
    let mut c = StickyPartitioner::new(1);
    assert_eq!(c.choose(1, &mut rng, 1, &[]), 0);
    assert_eq!(c.choose(1, &mut rng, 1, &[]), 0);
    // No partitions at all: 0, no panic.
    let mut empty = StickyPartitioner::new(1);
    assert_eq!(empty.choose(1, &mut rng, 0, &[]), 0);
}

#[test]
fn batch_size_zero_means_one_byte() {
    let sticky = StickyPartitioner::new(0);
    assert_eq!(sticky.batch_size(), 1);
}

#[test]
fn kafka_sticky_test_replayed_with_a_counting_random_source() {
    // BuiltInPartitionerTest.testStickyPartitioning mocks the random source with 0, 1, 2, ...:
    // topic A has partitions 0, 1, 2 and a sticky batch size of 3.
    let sticky = StickyPartitioner::new(3);
    let available = [0u32, 1, 2];
    let first = sticky.next_partition_with(0, 3, &available);
    let second = sticky.next_partition_with(1, 3, &available);
    assert_eq!(first, 0);
    assert_ne!(first, second);
}

#[test]
fn a_deferred_switch_waits_for_full_batches_but_not_beyond_twice_batch_size() {
    let available: Vec<u32> = (0..4).collect();
    let mut rng = Rng::new(11);
    let mut sticky = StickyPartitioner::new(100);
    let p = sticky.peek(&mut rng, 4, &available);
    // 150 bytes, but the queue holds an incomplete batch: no switch.
    assert_eq!(sticky.update(150, false, &mut rng, 4, &available), None);
    assert_eq!(sticky.current_partition(), Some(p));
    // The accumulator's partitionChanged check: once every batch is full, update(0, true)
    // completes the deferred switch.
    assert!(sticky.update(0, true, &mut rng, 4, &available).is_some());
    assert_eq!(sticky.produced_bytes(), 0);

    // Forced at twice batch.size even with switching disabled.
    let mut forced = StickyPartitioner::new(100);
    forced.peek(&mut rng, 4, &available);
    assert_eq!(forced.update(199, false, &mut rng, 4, &available), None);
    assert!(forced.update(1, false, &mut rng, 4, &available).is_some());

    // Nothing to count before a partition was chosen.
    let mut fresh = StickyPartitioner::new(1);
    assert_eq!(fresh.update(10, true, &mut rng, 4, &available), None);
    assert_eq!(fresh.current_partition(), None);
}

fn queues(sizes: &[u32]) -> Vec<QueueLoad> {
    sizes
        .iter()
        .enumerate()
        .map(|(i, &queued_batches)| QueueLoad {
            partition: i as u32,
            queued_batches,
            eligible: true,
        })
        .collect()
}

#[test]
fn adaptive_partitions_test_replayed_exactly() {
    // BuiltInPartitionerTest.adaptivePartitionsTest: queue sizes {5, 0, 3, 0, 1}; with a
    // counting random source, two cycles of the table's range pick each partition exactly
    // 2 * (6 - queue size) times.
    let mut sticky = StickyPartitioner::new(1);
    let sizes = [5u32, 0, 3, 0, 1];
    sticky.update_load_stats(5, &queues(&sizes));
    assert!(sticky.has_load_stats());
    let all: Vec<u32> = (0..5).collect();
    let range_end: u64 = sizes.iter().map(|&q| u64::from(6 - q)).sum();
    assert_eq!(range_end, 21);
    let mut frequencies = [0u32; 5];
    for random in 0..range_end * 2 {
        frequencies[sticky.next_partition_with(random, 5, &all) as usize] += 1;
    }
    assert_eq!(frequencies, [2, 12, 6, 12, 10]);
}

#[test]
fn adaptive_choice_with_the_rng_favours_short_queues() {
    let mut rng = Rng::new(5);
    let mut sticky = StickyPartitioner::new(1);
    sticky.update_load_stats(5, &queues(&[5, 0, 3, 0, 1]));
    let all: Vec<u32> = (0..5).collect();
    let mut frequencies = [0u32; 5];
    for _ in 0..21_000 {
        frequencies[sticky.choose(1, &mut rng, 5, &all) as usize] += 1;
    }
    // Expected 1000, 6000, 3000, 6000, 5000.
    for (got, want) in frequencies
        .iter()
        .zip([1_000u32, 6_000, 3_000, 6_000, 5_000])
    {
        assert!(got.abs_diff(want) < want / 5 + 150, "{frequencies:?}");
    }
}

#[test]
fn load_stats_are_dropped_when_kafka_would_not_use_them() {
    // All queues equal and all eligible: uniform.
    let mut s = StickyPartitioner::new(1);
    s.update_load_stats(3, &queues(&[2, 2, 2]));
    assert!(!s.has_load_stats());
    // Adaptive partitioning disabled.
    let mut off = StickyPartitioner::with_adaptive(1, false);
    off.update_load_stats(3, &queues(&[5, 0, 1]));
    assert!(!off.has_load_stats());
    // Not every partition has a queue yet.
    s.update_load_stats(4, &queues(&[5, 0, 1]));
    assert!(!s.has_load_stats());
    // A single-partition topic.
    s.update_load_stats(1, &queues(&[3]));
    assert!(!s.has_load_stats());
    // Nothing eligible.
    let mut none = queues(&[1, 2]);
    for q in &mut none {
        q.eligible = false;
    }
    s.update_load_stats(2, &none);
    assert!(!s.has_load_stats());
    // Equal queues but one partition excluded (slow leader): adaptive, never the excluded one.
    let mut excluded = queues(&[1, 1, 1]);
    excluded[1].eligible = false;
    s.update_load_stats(3, &excluded);
    assert!(s.has_load_stats());
    for random in 0..20 {
        assert_ne!(s.next_partition_with(random, 3, &[0, 1, 2]), 1);
    }
    s.clear_load_stats();
    assert!(!s.has_load_stats());
}

#[test]
fn round_robin_cycles_the_available_partitions() {
    let mut rr = RoundRobinPartitioner::new();
    let got: Vec<u32> = (0..7).map(|_| rr.partition(3, &[0, 1, 2])).collect();
    assert_eq!(got, [0, 1, 2, 0, 1, 2, 0]);
    // No partition available: all partitions, by the same counter.
    let mut none = RoundRobinPartitioner::new();
    let got: Vec<u32> = (0..4).map(|_| none.partition(3, &[])).collect();
    assert_eq!(got, [0, 1, 2, 0]);
    // No partition at all: 0.
    assert_eq!(RoundRobinPartitioner::new().partition(0, &[]), 0);
}

#[test]
fn round_robin_with_unavailable_partitions_is_even() {
    // RoundRobinPartitionerTest.testRoundRobinWithUnavailablePartitions: partition 1 has no
    // leader; metadata lists 1, 2, 0, so the available list is [2, 0].
    let mut rr = RoundRobinPartitioner::new();
    let mut counts = [0u32; 3];
    for _ in 0..100 {
        counts[rr.partition(3, &[2, 0]) as usize] += 1;
    }
    assert_eq!(counts, [50, 0, 50]);
}

#[test]
fn round_robin_ignores_keys_and_does_not_skip_on_new_batches() {
    // testRoundRobinWithKeyBytes / testRoundRobinWithNullKeyBytesAndEvenPartitionCount: one
    // partitioner per topic here, so topic B's calls cannot disturb topic A's counter.
    let mut rng = Rng::new(0);
    let mut topic_a = TopicPartitioner::new(PartitionerKind::RoundRobin, DEFAULT_BATCH_SIZE, true);
    let mut counts = [0u32; 4];
    let all = [0u32, 1, 2, 3];
    for _ in 0..40 {
        counts[topic_a.choose(Some(b"key"), 10, &mut rng, 4, &all) as usize] += 1;
    }
    assert_eq!(counts, [10, 10, 10, 10]);

    // Every record opens a new batch: Kafka 4 repeats the partition after onNewBatch.
    let mut rr = RoundRobinPartitioner::new();
    let mut counts = [0u32; 4];
    for _ in 0..40 {
        let partition = rr.partition(4, &all);
        rr.on_new_batch(partition);
        assert_eq!(rr.partition(4, &all), partition);
        counts[partition as usize] += 1;
    }
    assert_eq!(counts, [10, 10, 10, 10]);
}
