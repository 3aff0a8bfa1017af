#![allow(clippy::unwrap_used)]
//! Tests of `sim::log`, the partition log: offsets and reads, segment rolling, retention,
//! compaction, truncation and the memory cap. Many tests port a scenario from Kafka's own suites
//! (`UnifiedLogTest`, `LogCleanerTest`, `LogCleanerManagerTest` in `storage/src/test/java/...`),
//! named in the comment above each; a seeded randomized test checks the invariants against a
//! simple model over hundreds of seeds.

use std::collections::BTreeMap;

use eda_playground::sim::log::{
    AppendError, AppendOutcome, Bytes, DeletionReason, Header, LogSettings, PartitionLog, Record,
    RemovalReason, RollReason,
};

const HOUR: u64 = 3_600_000;
const DAY: u64 = 24 * HOUR;
/// A "current time" far from zero, like Kafka's `MockTime` (wall-clock based).
const NOW: u64 = 1_700_000_000_000;

fn b(text: &str) -> Option<Bytes> {
    Some(Bytes::from(text.as_bytes()))
}

fn append(
    log: &mut PartitionLog,
    now: u64,
    timestamp: u64,
    key: Option<Bytes>,
    value: Option<Bytes>,
    settings: &LogSettings,
) -> AppendOutcome {
    match log.try_append(now, timestamp, key, value, vec![], settings) {
        Ok(appended) => appended,
        Err(error) => panic!("append rejected: {error}"),
    }
}

/// Kafka's `LogCleanerTest.record(key, value)`: key and value are the decimal strings.
fn append_kv(
    log: &mut PartitionLog,
    now: u64,
    key: u64,
    value: u64,
    settings: &LogSettings,
) -> u64 {
    append(
        log,
        now,
        now,
        b(&key.to_string()),
        b(&value.to_string()),
        settings,
    )
    .offset
}

fn all(log: &PartitionLog) -> Vec<Record> {
    log.read(0, u32::MAX)
}

fn offsets(log: &PartitionLog) -> Vec<u64> {
    all(log).iter().map(|record| record.offset).collect()
}

/// `LogTestUtils.keysInLog`: keys of records that have a value, as numbers.
fn keys_in_log(log: &PartitionLog) -> Vec<u64> {
    all(log)
        .iter()
        .filter(|record| record.value.is_some())
        .filter_map(|record| record.key.as_ref())
        .map(|key| std::str::from_utf8(key).unwrap().parse().unwrap())
        .collect()
}

fn segment_bases(log: &PartitionLog) -> Vec<u64> {
    log.segments()
        .iter()
        .map(|segment| segment.base_offset)
        .collect()
}

/// `TestUtils.singletonRecords("test".getBytes)`: a null key and a 4-byte value, 72 bytes.
const SINGLETON: u32 = 72;

fn delete_settings() -> LogSettings {
    LogSettings::default()
}

fn compact_settings() -> LogSettings {
    LogSettings {
        delete: false,
        compact: true,
        ..LogSettings::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Offsets, reads, sizes

#[test]
fn offsets_start_at_zero_and_reads_follow_the_log() {
    let settings = delete_settings();
    let mut log = PartitionLog::new(0);
    assert_eq!(log.log_start_offset(), 0);
    assert_eq!(log.log_end_offset(), 0);
    assert!(log.read(0, 10).is_empty());
    for i in 0..10u64 {
        let appended = append(&mut log, i, i, None, b(&format!("v{i}")), &settings);
        assert_eq!(appended.offset, i);
    }
    assert_eq!(log.log_end_offset(), 10);
    assert_eq!(log.len_records(), 10);
    let read = log.read(3, 4);
    assert_eq!(
        read.iter().map(|r| r.offset).collect::<Vec<_>>(),
        vec![3, 4, 5, 6]
    );
    assert_eq!(read[0].value, b("v3"));
    assert_eq!(read[0].timestamp_ms, 3);
    assert!(
        log.read(10, 5).is_empty(),
        "reading at the log end returns nothing"
    );
    assert!(log.read(99, 5).is_empty());
    assert!(log.read(0, 0).is_empty());
    assert_eq!(log.get(9).unwrap().value, b("v9"));
    assert_eq!(log.get(10), None);
}

#[test]
fn record_sizes_follow_the_v2_batch_format() {
    let record = Record {
        offset: 0,
        timestamp_ms: 0,
        key: None,
        value: b("test"),
        headers: vec![],
    };
    assert_eq!(record.size_bytes(), SINGLETON);
    assert!(!record.is_tombstone());
    let tombstone = Record {
        value: None,
        key: b("k"),
        ..record.clone()
    };
    assert!(tombstone.is_tombstone());
    assert_eq!(tombstone.size_bytes(), 69);
    let with_header = Record {
        headers: vec![Header {
            key: "h".to_string(),
            value: b("x"),
        }],
        ..record
    };
    // One header adds varint(1) + 1 + varint(1) + 1 = 4 bytes.
    assert_eq!(with_header.size_bytes(), SINGLETON + 4);

    let mut log = PartitionLog::new(0);
    append(&mut log, 0, 0, None, b("test"), &delete_settings());
    assert_eq!(log.size_bytes(), u64::from(SINGLETON));
    assert_eq!(log.segments()[0].size_bytes, u64::from(SINGLETON));
}

#[test]
fn reads_skip_compaction_gaps_and_start_at_the_log_start() {
    let settings = LogSettings {
        segment_bytes: 1024,
        ..compact_settings()
    };
    let mut log = PartitionLog::new(NOW);
    // keys 0..4 twice, then roll so the first ten are cleanable
    for i in 0..10u64 {
        append_kv(&mut log, NOW, i % 5, i, &settings);
    }
    log.roll(NOW);
    append_kv(&mut log, NOW, 9, 10, &settings);
    let outcome = log.clean(NOW, &settings).unwrap();
    assert_eq!(outcome.removed.len(), 5);
    assert_eq!(offsets(&log), vec![5, 6, 7, 8, 9, 10]);
    assert_eq!(
        log.log_start_offset(),
        0,
        "compaction does not move the log start"
    );
    // from an offset inside a gap: the next retained record
    assert_eq!(
        log.read(2, 2).iter().map(|r| r.offset).collect::<Vec<_>>(),
        vec![5, 6]
    );
    assert_eq!(log.get(2), None);
    assert_eq!(log.get(7).unwrap().value, b("7"));

    // Below the log start: reads start at the log start.
    let mut log = PartitionLog::new(0);
    for i in 0..10u64 {
        append(&mut log, 0, 0, None, b(&i.to_string()), &delete_settings());
    }
    assert_eq!(log.delete_records(4, 10), Ok(4));
    assert_eq!(
        log.read(0, 3).iter().map(|r| r.offset).collect::<Vec<_>>(),
        vec![4, 5, 6]
    );
    assert_eq!(log.get(3), None);
}

// ---------------------------------------------------------------------------------------------
// Rolling

/// UnifiedLogTest.testLogSegmentsCallCorrect: 10 singleton records per segment, 22 appends → 3.
#[test]
fn rolls_by_size_when_the_next_batch_would_not_fit() {
    let settings = LogSettings {
        segment_bytes: 10 * SINGLETON,
        ..delete_settings()
    };
    let mut log = PartitionLog::new(0);
    assert_eq!(
        log.segments().len(),
        1,
        "a log begins with a single empty segment"
    );
    let mut rolls = Vec::new();
    for _ in 0..22 {
        let appended = append(&mut log, 0, 0, None, b("test"), &settings);
        if let Some(roll) = appended.rolled {
            rolls.push((roll.reason, roll.previous_base_offset, roll.new_base_offset));
        }
    }
    assert_eq!(segment_bases(&log), vec![0, 10, 20]);
    assert_eq!(
        rolls,
        vec![
            (RollReason::SegmentFull, 0, 10),
            (RollReason::SegmentFull, 10, 20)
        ]
    );
    let segments = log.segments();
    assert_eq!(segments[0].size_bytes, u64::from(10 * SINGLETON));
    assert_eq!(segments[0].next_offset, 10);
    assert_eq!(segments[2].next_offset, 22);
    assert_eq!(segments[2].record_count, 2);
    assert!(segments[2].is_active && !segments[0].is_active);
}

/// UnifiedLogTest.testTimeBasedLogRollDuringAppend (the part with record timestamps): a segment
/// rolls when a record's timestamp is more than segment.ms after the segment's first record;
/// never into an empty segment; a late record does not roll.
#[test]
fn rolls_by_time_from_the_first_record_timestamp() {
    let settings = LogSettings {
        segment_ms: HOUR,
        ..delete_settings()
    };
    let mut log = PartitionLog::new(NOW);
    // Long after the segment was created, but it is empty: no roll.
    let t = NOW + HOUR + 1;
    assert_eq!(
        append(&mut log, t, t, None, b("test"), &settings).rolled,
        None
    );
    assert_eq!(
        log.segments().len(),
        1,
        "Log doesn't roll if doing so creates an empty segment."
    );
    // Exactly segment.ms later: not yet (Kafka compares with >).
    assert_eq!(
        append(&mut log, t, t + HOUR, None, b("test"), &settings).rolled,
        None
    );
    // One more millisecond: roll.
    let rolled = append(&mut log, t, t + HOUR + 1, None, b("test"), &settings)
        .rolled
        .unwrap();
    assert_eq!(rolled.reason, RollReason::SegmentMsElapsed);
    assert_eq!(segment_bases(&log), vec![0, 2]);
    // Wall clock far ahead but timestamps close to the new segment's first: no roll ("the roll
    // should depend on timestamp of the first message").
    let later = t + 10 * HOUR;
    assert_eq!(
        append(&mut log, later, t + HOUR + 1, None, b("test"), &settings).rolled,
        None
    );
    // A late (older) record never rolls.
    assert_eq!(
        append(&mut log, later, t, None, b("test"), &settings).rolled,
        None
    );
    assert_eq!(log.segments().len(), 2);
    // A timestamp past the segment's first + segment.ms rolls ("Log should roll because the
    // timestamp in the message should make the log segment expire").
    assert!(
        append(&mut log, later, later, None, b("test"), &settings)
            .rolled
            .is_some()
    );
    assert_eq!(log.segments().len(), 3);
    assert_eq!(log.segments()[1].first_timestamp_ms, Some(t + HOUR + 1));
    assert_eq!(log.segments()[1].largest_timestamp_ms, Some(t + HOUR + 1));
}

/// UnifiedLogTest.testRollSegmentThatAlreadyExists: rolling an empty active segment recreates it.
#[test]
fn rolling_an_empty_active_segment_recreates_it() {
    let settings = delete_settings();
    let mut log = PartitionLog::new(0);
    log.roll(5);
    assert_eq!(
        log.segments().len(),
        1,
        "Expect 1 segment after roll() empty segment"
    );
    assert_eq!(log.segments()[0].created_ms, 5);
    append(&mut log, 5, 5, b("k1"), b("v1"), &settings);
    append(&mut log, 6, 15, b("k2"), b("v2"), &settings);
    assert_eq!(log.log_end_offset(), 2);
    log.roll(7);
    assert_eq!(
        segment_bases(&log),
        vec![0, 2],
        "active segment base is the log end offset"
    );
    append(&mut log, 8, 17, b("k3"), b("v3"), &settings);
    assert_eq!(segment_bases(&log), vec![0, 2]);
    assert_eq!(log.read(2, 1)[0].key, b("k3"));
}

#[test]
fn appends_are_validated_like_kafka() {
    let mut log = PartitionLog::new(0);
    // UnifiedLogTest: "Compacted topic cannot accept message without key".
    assert_eq!(
        log.try_append(0, 0, None, b("v"), vec![], &compact_settings()),
        Err(AppendError::NullKeyInCompactedTopic)
    );
    assert_eq!(
        AppendError::NullKeyInCompactedTopic.to_string(),
        "Compacted topic cannot accept message without key."
    );
    // A tombstone without a key is rejected too; with a key it is fine.
    assert_eq!(
        log.try_append(0, 0, None, None, vec![], &compact_settings()),
        Err(AppendError::NullKeyInCompactedTopic)
    );
    assert_eq!(
        log.try_append(0, 0, b("k"), None, vec![], &compact_settings())
            .map(|outcome| outcome.offset),
        Ok(0)
    );
    // max.message.bytes
    let small = LogSettings {
        max_message_bytes: 100,
        ..delete_settings()
    };
    let value: Bytes = Bytes::from(vec![7u8; 100]);
    assert_eq!(
        log.try_append(0, 0, None, Some(value.clone()), vec![], &small),
        Err(AppendError::RecordTooLarge {
            size_bytes: 170,
            max_message_bytes: 100
        })
    );
    // segment.bytes smaller than the batch
    let tiny_segments = LogSettings {
        segment_bytes: 150,
        ..delete_settings()
    };
    assert_eq!(
        log.try_append(0, 0, None, Some(value.clone()), vec![], &tiny_segments),
        Err(AppendError::RecordBatchTooLarge {
            size_bytes: 170,
            segment_bytes: 150
        })
    );
    assert_eq!(log.log_end_offset(), 1, "rejections use no offset");
    assert_eq!(
        PartitionLog::validate_append(None, Some(&value), &[], &delete_settings()),
        Ok(170)
    );
    // The unvalidated path (a follower copying the leader) writes whatever it is given.
    assert_eq!(
        log.append(0, 0, None, b("v"), vec![], &compact_settings())
            .offset,
        1
    );
}

// ---------------------------------------------------------------------------------------------
// Retention

fn fifteen_singletons(settings: &LogSettings, timestamp: u64, key: Option<Bytes>) -> PartitionLog {
    let mut log = PartitionLog::new(NOW);
    for _ in 0..15 {
        append(&mut log, NOW, timestamp, key.clone(), b("test"), settings);
    }
    log
}

/// UnifiedLogTest.shouldDeleteSizeBasedSegments.
#[test]
fn size_retention_deletes_whole_oldest_segments() {
    let settings = LogSettings {
        segment_bytes: SINGLETON * 5,
        retention_bytes: i64::from(SINGLETON) * 10,
        ..delete_settings()
    };
    let mut log = fifteen_singletons(&settings, NOW, None);
    assert_eq!(log.segments().len(), 3);
    let deleted = log.enforce_retention(NOW, &settings);
    assert_eq!(deleted.len(), 1, "At least one segment should be deleted");
    assert_eq!(deleted[0].reason, DeletionReason::RetentionSize);
    assert_eq!(deleted[0].segment.base_offset, 0);
    assert_eq!(log.segments().len(), 2, "should have 2 segments");
    assert_eq!(log.log_start_offset(), 5);
    assert_eq!(log.size_bytes(), u64::from(SINGLETON) * 10);
    assert_eq!(offsets(&log), (5..15).collect::<Vec<_>>());
}

/// UnifiedLogTest.shouldNotDeleteSizeBasedSegmentsWhenUnderRetentionSize.
#[test]
fn size_retention_keeps_a_log_at_the_limit() {
    let settings = LogSettings {
        segment_bytes: SINGLETON * 5,
        retention_bytes: i64::from(SINGLETON) * 15,
        ..delete_settings()
    };
    let mut log = fifteen_singletons(&settings, NOW, None);
    assert!(log.enforce_retention(NOW, &settings).is_empty());
    assert_eq!(log.segments().len(), 3, "should have 3 segments");
    // One byte less allowed: an excess of one byte does not cover a whole segment, so nothing
    // goes; only a whole segment's worth of excess deletes one.
    let tighter = LogSettings {
        retention_bytes: i64::from(SINGLETON) * 15 - 1,
        ..settings.clone()
    };
    assert!(log.enforce_retention(NOW, &tighter).is_empty());
    let tighter = LogSettings {
        retention_bytes: i64::from(SINGLETON) * 10,
        ..settings
    };
    assert_eq!(log.enforce_retention(NOW, &tighter).len(), 1);
}

/// UnifiedLogTest.shouldDeleteTimeBasedSegmentsReadyToBeDeleted: all 15 records sit in the
/// active segment; it is rolled and deleted, leaving one empty segment at the log end.
#[test]
fn time_retention_rolls_and_deletes_a_breached_active_segment() {
    let settings = LogSettings {
        segment_bytes: SINGLETON * 15,
        retention_ms: 10_000,
        ..delete_settings()
    };
    let mut log = fifteen_singletons(&settings, 10, None);
    assert_eq!(log.segments().len(), 1);
    let deleted = log.enforce_retention(NOW, &settings);
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].reason, DeletionReason::RetentionTime);
    assert!(deleted[0].rolled_active);
    assert_eq!(
        log.segments().len(),
        1,
        "There should be 1 segment remaining"
    );
    assert_eq!(log.log_start_offset(), 15);
    assert_eq!(log.log_end_offset(), 15);
    assert_eq!(log.len_records(), 0);
    assert_eq!(log.size_bytes(), 0);
    assert_eq!(segment_bases(&log), vec![15]);
    // The empty active segment is never deleted, however old.
    assert!(log.enforce_retention(NOW + 100 * DAY, &settings).is_empty());
    // Appends continue at 15.
    assert_eq!(
        append(&mut log, NOW, NOW, None, b("x"), &settings).offset,
        15
    );
}

/// UnifiedLogTest.shouldNotDeleteTimeBasedSegmentsWhenNoneReadyToBeDeleted.
#[test]
fn time_retention_keeps_recent_segments() {
    let settings = LogSettings {
        segment_bytes: SINGLETON * 5,
        retention_ms: 10_000_000,
        ..delete_settings()
    };
    let mut log = fifteen_singletons(&settings, NOW, None);
    assert!(log.enforce_retention(NOW, &settings).is_empty());
    assert_eq!(
        log.segments().len(),
        3,
        "There should be 3 segments remaining"
    );
    // Exactly retention.ms old is not yet breached (Kafka compares with >); one ms more is.
    assert!(
        log.enforce_retention(NOW + 10_000_000, &settings)
            .is_empty()
    );
    assert_eq!(log.enforce_retention(NOW + 10_000_001, &settings).len(), 3);
}

#[test]
fn time_retention_stops_at_the_first_young_segment() {
    let settings = LogSettings {
        segment_bytes: SINGLETON * 5,
        retention_ms: 1000,
        ..delete_settings()
    };
    let mut log = PartitionLog::new(0);
    // segment 0: old; segment 5: young; segment 10: old again (a late record)
    for ts in [0, 0, 0, 0, 0, 5000, 5000, 5000, 5000, 5000, 0, 0] {
        append(&mut log, 5000, ts, None, b("test"), &settings);
    }
    let deleted = log.enforce_retention(5000, &settings);
    assert_eq!(deleted.len(), 1);
    assert_eq!(log.log_start_offset(), 5);
    assert_eq!(segment_bases(&log), vec![5, 10]);
}

/// UnifiedLogTest.shouldNotDeleteSegmentsWhenPolicyDoesNotIncludeDelete.
#[test]
fn compact_only_topics_are_not_retained_by_time_or_size() {
    let settings = LogSettings {
        segment_bytes: 76 * 5, // key and value "test": 76-byte batches
        retention_ms: 10_000,
        retention_bytes: 1,
        ..compact_settings()
    };
    let mut log = fifteen_singletons(&settings, 10, b("test"));
    assert_eq!(log.segments().len(), 3);
    assert!(log.enforce_retention(NOW, &settings).is_empty());
    assert_eq!(log.segments().len(), 3);
}

/// UnifiedLogTest.shouldDeleteSegmentsReadyToBeDeletedWhenCleanupPolicyIsCompactAndDelete: size
/// retention removes one segment, then time retention (7 days default, records at timestamp 10)
/// removes the rest, rolling the active segment.
#[test]
fn compact_and_delete_topics_are_retained() {
    let settings = LogSettings {
        segment_bytes: 76 * 5,
        retention_bytes: 76 * 10,
        compact: true,
        delete: true,
        ..LogSettings::default()
    };
    let mut log = fifteen_singletons(&settings, 10, b("test"));
    assert_eq!(log.segments().len(), 3);
    let deleted = log.enforce_retention(NOW, &settings);
    let reasons: Vec<_> = deleted.iter().map(|d| d.reason).collect();
    assert_eq!(
        reasons,
        vec![
            DeletionReason::RetentionSize,
            DeletionReason::RetentionTime,
            DeletionReason::RetentionTime
        ]
    );
    assert_eq!(
        log.segments().len(),
        1,
        "There should be 1 segment remaining"
    );
    assert_eq!(log.log_start_offset(), 15);
}

/// UnifiedLogTest.testDeleteOldSegments: only segments below the high watermark may go, so the
/// log start offset never passes it; at the log end everything breached goes.
#[test]
fn retention_respects_the_high_watermark() {
    let settings = LogSettings {
        segment_bytes: SINGLETON * 5,
        retention_ms: 999,
        ..delete_settings()
    };
    let mut log = PartitionLog::new(NOW);
    for _ in 0..100 {
        append(&mut log, NOW, NOW - 1000, None, b("test"), &settings);
    }
    assert_eq!(log.segments().len(), 20);
    assert!(log.enforce_retention_below(NOW, &settings, 0).is_empty());
    for hw in 25..=30u64 {
        log.enforce_retention_below(NOW, &settings, hw);
        assert!(log.log_start_offset() <= hw);
        for segment in log.segments() {
            assert!(
                segment.next_offset > hw,
                "no segment ending below the hw survives"
            );
        }
    }
    // At hw = 30 the segment [25, 30) lies wholly below it and went too.
    assert_eq!(log.log_start_offset(), 30);
    assert!(!log.enforce_retention(NOW, &settings).is_empty());
    assert_eq!(
        log.segments().len(),
        1,
        "The deleted segments should be gone."
    );
    assert_eq!(log.log_start_offset(), 100);
}

/// UnifiedLogTest.testLogDeletionAfterDeleteRecords.
#[test]
fn delete_records_then_retention_deletes_breached_segments() {
    let settings = LogSettings {
        segment_bytes: SINGLETON * 5,
        ..delete_settings()
    };
    let mut log = fifteen_singletons(&settings, NOW, None);
    assert_eq!(log.segments().len(), 3);
    assert_eq!(log.delete_records(1, 15), Ok(1));
    assert!(log.enforce_retention(NOW, &settings).is_empty());
    assert_eq!(log.segments().len(), 3);
    assert_eq!(log.log_start_offset(), 1);
    assert_eq!(log.delete_records(6, 15), Ok(6));
    let deleted = log.enforce_retention(NOW, &settings);
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].reason, DeletionReason::LogStartOffsetBreach);
    assert_eq!(log.segments().len(), 2);
    assert_eq!(log.log_start_offset(), 6);
    assert_eq!(log.delete_records(15, 15), Ok(15));
    assert!(!log.enforce_retention(NOW, &settings).is_empty());
    assert_eq!(log.segments().len(), 1);
    assert_eq!(log.log_start_offset(), 15);
    // Beyond the high watermark is refused.
    assert!(log.delete_records(16, 15).is_err());
}

/// UnifiedLogTest.shouldDeleteStartOffsetBreachedSegmentsWhenPolicyDoesNotIncludeDelete.
#[test]
fn log_start_breached_segments_go_whatever_the_policy() {
    let settings = LogSettings {
        segment_bytes: 76 * 5, // key and value "test": 76-byte batches
        ..compact_settings()
    };
    let mut log = fifteen_singletons(&settings, 10, b("test"));
    assert_eq!(log.segments().len(), 3);
    log.delete_records(5, 15).unwrap();
    assert!(!log.enforce_retention(NOW, &settings).is_empty());
    assert_eq!(
        log.segments().len(),
        2,
        "There should be 2 segments remaining"
    );
    let segments = log.segments();
    assert!(segments[0].base_offset <= log.log_start_offset());
    assert!(segments[1].base_offset > log.log_start_offset());
}

// ---------------------------------------------------------------------------------------------
// Compaction

/// LogCleanerTest.testCleaningWithDeletes: keys 0..N, tombstones for every even key, padding to
/// a fourth segment; after cleaning no deleted key has a value.
#[test]
fn cleaning_with_deletes_removes_every_deleted_key() {
    let settings = LogSettings {
        segment_bytes: 1024,
        ..compact_settings()
    };
    let mut log = PartitionLog::new(NOW);
    while log.segments().len() < 2 {
        let next = log.log_end_offset();
        append_kv(&mut log, NOW, next, next, &settings);
    }
    let leo = log.log_end_offset();
    for key in (0..leo).step_by(2) {
        append(&mut log, NOW, NOW, b(&key.to_string()), None, &settings);
    }
    while log.segments().len() < 4 {
        let next = log.log_end_offset();
        append_kv(&mut log, NOW, next, next, &settings);
    }
    let outcome = log.clean(NOW, &settings).unwrap();
    let keys = keys_in_log(&log);
    assert!(
        (0..leo).step_by(2).all(|key| !keys.contains(&key)),
        "None of the keys we deleted should still exist."
    );
    assert!((1..leo).step_by(2).all(|key| keys.contains(&key)));
    // The tombstones themselves survive this first pass, stamped with a delete horizon.
    assert_eq!(outcome.marked_tombstones.len() as u64, leo.div_ceil(2));
    assert!(
        outcome
            .marked_tombstones
            .iter()
            .all(|marked| marked.delete_horizon_ms == NOW + DAY)
    );
    assert_eq!(outcome.first_dirty_offset, 0);
    assert_eq!(
        outcome.end_offset,
        log.segments().last().unwrap().base_offset
    );
    assert_eq!(log.cleaner_checkpoint(), Some(outcome.end_offset));
}

/// LogCleanerTest.testLogCleanerStats: five records over two keys, roll, clean: the end offset is
/// 5, two records are written, the bytes read are the log's size before and the bytes written
/// its size after. (Kafka's test starts the dirty range at offset 2 with a tiny offset map; from
/// 0 with an exact map the result is the same.)
#[test]
fn cleaner_stats_match_kafka() {
    let settings = LogSettings {
        segment_bytes: 1024,
        ..compact_settings()
    };
    let mut log = PartitionLog::new(NOW);
    for (key, value) in [(0, 0), (1, 1), (0, 0), (1, 1), (0, 0)] {
        append_kv(&mut log, NOW, key, value, &settings);
    }
    log.roll(NOW);
    let initial_size = log.size_bytes();
    let outcome = log.clean(NOW, &settings).unwrap();
    assert_eq!(outcome.end_offset, 5);
    assert_eq!(outcome.removed.len(), 3);
    assert_eq!(log.len_records(), 2);
    assert_eq!(outcome.bytes_read, initial_size);
    assert_eq!(outcome.bytes_written, log.size_bytes());
    assert_eq!(offsets(&log), vec![3, 4]);
    assert!(
        outcome
            .removed
            .iter()
            .all(|r| matches!(r.reason, RemovalReason::Superseded { .. }))
    );
    assert_eq!(
        outcome.removed[0].reason,
        RemovalReason::Superseded { by_offset: 4 }
    );
}

/// LogCleanerTest.testCleaningWithUnkeyedMessages: unkeyed records written while the topic was
/// not compacted are all dropped by the cleaner.
#[test]
fn cleaning_drops_unkeyed_records() {
    let delete = LogSettings {
        segment_bytes: 1024,
        ..delete_settings()
    };
    let compact = LogSettings {
        segment_bytes: 1024,
        ..compact_settings()
    };
    let mut log = PartitionLog::new(NOW);
    while log.segments().len() < 2 {
        let next = log.log_end_offset();
        append(&mut log, NOW, NOW, None, b(&next.to_string()), &delete);
    }
    let unkeyed = all(&log).iter().filter(|r| r.key.is_none()).count();
    let size_with_unkeyed = log.size_bytes();
    while log.segments().len() < 3 {
        let next = log.log_end_offset();
        append_kv(&mut log, NOW, next, next, &delete);
    }
    let expected = log.size_bytes() - size_with_unkeyed;
    let outcome = log.clean(NOW, &compact).unwrap();
    assert_eq!(all(&log).iter().filter(|r| r.key.is_none()).count(), 0);
    assert_eq!(log.size_bytes(), expected);
    let no_key = outcome
        .removed
        .iter()
        .filter(|r| r.reason == RemovalReason::NoKey)
        .count();
    assert_eq!(no_key, unkeyed);
}

/// LogCleanerTest.testLogToClean: with the first dirty offset at the active segment, the total is
/// the log size without the active segment.
#[test]
fn log_to_clean_totals_exclude_the_active_segment() {
    let settings = LogSettings {
        segment_bytes: 100,
        ..compact_settings()
    };
    let mut log = PartitionLog::new(NOW);
    // 25-byte key, value "1": 94-byte batches, one per 100-byte segment.
    let key: Bytes = Bytes::from(vec![0u8; 25]);
    for _ in 0..6 {
        append(&mut log, NOW, NOW, Some(key.clone()), b("1"), &settings);
    }
    assert_eq!(log.segments().len(), 6);
    let active = log.segments().last().unwrap().clone();
    let stats = log.cleaning_stats(active.base_offset, active.base_offset);
    assert_eq!(stats.total_bytes, log.size_bytes() - active.size_bytes);
    assert_eq!(stats.cleanable_bytes, 0);
}

/// LogCleanerTest.testLogToCleanWithUncleanableSection.
#[test]
fn log_to_clean_with_uncleanable_section() {
    let settings = LogSettings {
        segment_bytes: 100,
        ..compact_settings()
    };
    let mut log = PartitionLog::new(NOW);
    let key: Bytes = Bytes::from(vec![0u8; 25]);
    for _ in 0..6 {
        append(&mut log, NOW, NOW, Some(key.clone()), b("1"), &settings);
    }
    let segs = log.segments();
    let stats = log.cleaning_stats(segs[2].base_offset, segs[4].base_offset);
    let clean = segs[0].size_bytes + segs[1].size_bytes;
    let cleanable = segs[2].size_bytes + segs[3].size_bytes;
    assert_eq!(stats.clean_bytes, clean);
    assert_eq!(stats.cleanable_bytes, cleanable);
    assert_eq!(stats.total_bytes, clean + cleanable);
    assert_eq!(stats.first_uncleanable_offset, segs[4].base_offset);
    assert_eq!(stats.dirty_ratio_permille(), 500);
}

/// LogCleanerManagerTest.testCleanableOffsetsForNone.
#[test]
fn cleanable_offsets_stop_at_the_active_segment() {
    let settings = LogSettings {
        segment_bytes: 1024,
        ..compact_settings()
    };
    let mut log = PartitionLog::new(NOW);
    while log.segments().len() < 8 {
        let next = log.log_end_offset();
        append_kv(&mut log, NOW, next, next, &settings);
    }
    let offsets = log.cleanable_offsets(Some(0), NOW, &settings, log.log_end_offset());
    assert_eq!(offsets.first_dirty_offset, 0);
    assert_eq!(
        offsets.first_uncleanable_dirty_offset,
        log.segments().last().unwrap().base_offset
    );
    // The last stable offset (high watermark) bounds it too.
    let offsets = log.cleanable_offsets(Some(0), NOW, &settings, 7);
    assert_eq!(offsets.first_uncleanable_dirty_offset, 7);
}

/// LogCleanerManagerTest.testCleanableOffsetsForTime: with min.compaction.lag.ms, the first
/// segment holding a record younger than the lag is uncleanable.
#[test]
fn cleanable_offsets_respect_min_compaction_lag() {
    let lag = HOUR;
    let settings = LogSettings {
        segment_bytes: 1024,
        min_compaction_lag_ms: lag,
        ..compact_settings()
    };
    let mut log = PartitionLog::new(NOW);
    let t0 = NOW;
    while log.segments().len() < 4 {
        let next = log.log_end_offset();
        append(
            &mut log,
            t0,
            t0,
            b(&next.to_string()),
            b(&next.to_string()),
            &settings,
        );
    }
    let active_at_t0 = log.segments().last().unwrap().base_offset;
    let t1 = t0 + lag + 1;
    while log.segments().len() < 8 {
        let next = log.log_end_offset();
        append(
            &mut log,
            t1,
            t1,
            b(&next.to_string()),
            b(&next.to_string()),
            &settings,
        );
    }
    let offsets = log.cleanable_offsets(Some(0), t1, &settings, log.log_end_offset());
    assert_eq!(offsets.first_dirty_offset, 0);
    assert_eq!(offsets.first_uncleanable_dirty_offset, active_at_t0);

    // The cleaner honours it: only segments before `active_at_t0` are touched.
    let mut log2 = log.clone();
    let outcome = log2.clean(t1, &settings).unwrap();
    assert_eq!(outcome.end_offset, active_at_t0);
}

/// LogCleanerManagerTest.testCleanableOffsetsForShortTime: once the lag has passed for all
/// records, cleaning may go up to the active segment.
#[test]
fn cleanable_offsets_for_short_time() {
    let lag = HOUR;
    let settings = LogSettings {
        segment_bytes: 1024,
        min_compaction_lag_ms: lag,
        ..compact_settings()
    };
    let mut log = PartitionLog::new(NOW);
    while log.segments().len() < 8 {
        let next = log.log_end_offset();
        append_kv(&mut log, NOW, next, next, &settings);
    }
    let now = NOW + lag + 1;
    let offsets = log.cleanable_offsets(Some(0), now, &settings, log.log_end_offset());
    assert_eq!(offsets.first_dirty_offset, 0);
    assert_eq!(
        offsets.first_uncleanable_dirty_offset,
        log.segments().last().unwrap().base_offset
    );
    // Before the lag, nothing is cleanable at all.
    let offsets = log.cleanable_offsets(Some(0), NOW, &settings, log.log_end_offset());
    assert_eq!(offsets.first_uncleanable_dirty_offset, 0);
    assert!(log.clone().clean(NOW, &settings).is_none());
}

/// LogCleanerManagerTest.testCleanableOffsetsNeedsCheckpointReset.
#[test]
fn invalid_checkpoints_are_reset_to_the_log_start() {
    let settings = LogSettings {
        segment_bytes: 1024,
        ..compact_settings()
    };
    let mut log = PartitionLog::new(NOW);
    for i in 0..30 {
        append_kv(&mut log, NOW, i, i, &settings);
    }
    log.delete_records(10, 30).unwrap();
    let offsets = log.cleanable_offsets(Some(15), NOW, &settings, 30);
    assert!(!offsets.force_update_checkpoint, "valid checkpoint kept");
    assert_eq!(offsets.first_dirty_offset, 15);
    log.delete_records(20, 30).unwrap();
    let offsets = log.cleanable_offsets(Some(15), NOW, &settings, 30);
    assert!(offsets.force_update_checkpoint, "below the log start");
    assert_eq!(offsets.first_dirty_offset, 20);
    let offsets = log.cleanable_offsets(Some(35), NOW, &settings, 30);
    assert!(offsets.force_update_checkpoint, "beyond the log end");
    assert_eq!(offsets.first_dirty_offset, 20);
}

#[test]
fn the_active_segment_is_never_cleaned() {
    let settings = LogSettings {
        min_cleanable_dirty_ratio_permille: 0,
        ..compact_settings()
    };
    let mut log = PartitionLog::new(NOW);
    for i in 0..20 {
        append_kv(&mut log, NOW, i % 2, i, &settings);
    }
    assert!(log.clean(NOW + 100 * DAY, &settings).is_none());
    assert_eq!(log.len_records(), 20);
    log.roll(NOW);
    append_kv(&mut log, NOW, 0, 20, &settings);
    append_kv(&mut log, NOW, 0, 21, &settings);
    let outcome = log.clean(NOW, &settings).unwrap();
    assert_eq!(outcome.end_offset, 20);
    // Within the cleaned range key 0's latest is 18 (the active segment's 20, 21 are not in the
    // map) and key 1's latest is 19.
    assert_eq!(offsets(&log), vec![18, 19, 20, 21]);
}

#[test]
fn tombstones_live_until_their_delete_horizon() {
    let settings = LogSettings {
        segment_bytes: 1024,
        delete_retention_ms: DAY,
        min_cleanable_dirty_ratio_permille: 0,
        ..compact_settings()
    };
    let mut log = PartitionLog::new(NOW);
    append_kv(&mut log, NOW, 1, 1, &settings); // 0
    append_kv(&mut log, NOW, 2, 2, &settings); // 1
    append(&mut log, NOW, NOW, b("1"), None, &settings); // 2: delete key 1
    let plain_size = log.get(2).unwrap().size_bytes();
    log.roll(NOW);
    let first = log.clean(NOW, &settings).unwrap();
    assert_eq!(first.removed.len(), 1);
    assert_eq!(first.removed[0].offset, 0);
    assert_eq!(first.marked_tombstones.len(), 1);
    assert_eq!(first.marked_tombstones[0].offset, 2);
    assert_eq!(first.marked_tombstones[0].delete_horizon_ms, NOW + DAY);
    assert_eq!(log.delete_horizon_ms(2), Some(NOW + DAY));
    assert_eq!(offsets(&log), vec![1, 2]);
    // The stamped batch's base timestamp is the horizon: a timestamp delta of -1 day needs 3 more
    // varint bytes than 0.
    assert_eq!(log.segments()[0].size_bytes, 70 + u64::from(plain_size) + 3);

    // More dirty data, cleaned before the horizon: the tombstone stays.
    append_kv(&mut log, NOW, 3, 3, &settings);
    log.roll(NOW);
    let second = log.clean(NOW + DAY - 1, &settings).unwrap();
    assert!(second.removed.is_empty());
    assert!(
        second.marked_tombstones.is_empty(),
        "the horizon is set only once"
    );
    assert!(log.get(2).is_some());

    // At the horizon it goes.
    append_kv(&mut log, NOW, 4, 4, &settings);
    log.roll(NOW);
    let third = log.clean(NOW + DAY, &settings).unwrap();
    assert_eq!(third.removed.len(), 1);
    assert_eq!(
        third.removed[0].reason,
        RemovalReason::TombstoneExpired {
            delete_horizon_ms: NOW + DAY
        }
    );
    assert_eq!(offsets(&log), vec![1, 3, 4]);
}

#[test]
fn dirty_ratio_must_exceed_the_minimum() {
    let mut settings = LogSettings {
        segment_bytes: 70 * 2,
        min_cleanable_dirty_ratio_permille: 500,
        ..compact_settings()
    };
    let mut log = PartitionLog::new(NOW);
    // Two full segments of 2 records each ("k","v" → 70 bytes), then an active one.
    for key in 0..5u64 {
        append(&mut log, NOW, NOW, b(&key.to_string()), b("v"), &settings);
    }
    assert_eq!(segment_bases(&log), vec![0, 2, 4]);
    // First clean: everything dirty (ratio 1000 > 500); four distinct keys, all kept.
    let first = log.clean(NOW, &settings).unwrap();
    assert_eq!(first.dirty_ratio_permille, 1000);
    assert_eq!(first.stats.cleanable_bytes, 280);
    assert_eq!(log.cleaner_checkpoint(), Some(4));
    // 140 + 140 > segment.bytes, so the two cleaned segments were not merged.
    assert_eq!(segment_bases(&log), vec![0, 2, 4]);
    // Four more records: segments [4, 6) and [6, 8) become dirty and full, [8, ..) is active.
    for key in 5..9u64 {
        append(&mut log, NOW, NOW, b(&key.to_string()), b("v"), &settings);
    }
    assert_eq!(segment_bases(&log), vec![0, 2, 4, 6, 8]);
    // dirty 280 of total 560: exactly 0.5 is not above 0.5.
    let candidate = log.cleaning_candidate(NOW, &settings).unwrap();
    assert_eq!(candidate.stats.cleanable_bytes, 280);
    assert_eq!(candidate.stats.total_bytes, 560);
    assert!(!candidate.cleanable);
    assert!(log.clean(NOW, &settings).is_none());
    settings.min_cleanable_dirty_ratio_permille = 499;
    let outcome = log.clean(NOW, &settings).unwrap();
    assert_eq!(outcome.dirty_ratio_permille, 500);
    assert_eq!(outcome.first_dirty_offset, 4);
    assert_eq!(outcome.end_offset, 8);
}

#[test]
fn max_compaction_lag_forces_a_pass() {
    let settings = LogSettings {
        segment_bytes: 1024,
        // The ratio can never exceed 100 %.
        min_cleanable_dirty_ratio_permille: 1000,
        max_compaction_lag_ms: DAY,
        ..compact_settings()
    };
    let mut log = PartitionLog::new(NOW);
    for i in 0..10 {
        append_kv(&mut log, NOW, i % 3, i, &settings);
    }
    log.roll(NOW);
    assert!(
        log.clean(NOW + DAY, &settings).is_none(),
        "lag reached but not exceeded"
    );
    let candidate = log.cleaning_candidate(NOW + DAY + 5, &settings).unwrap();
    assert!(candidate.need_compaction_now);
    assert_eq!(candidate.max_compaction_delay_ms, 5);
    let outcome = log.clean(NOW + DAY + 5, &settings).unwrap();
    assert!(outcome.need_compaction_now);
    assert_eq!(offsets(&log), vec![7, 8, 9]);
    // Nothing dirty is left: no pass even though the lag is long exceeded.
    assert!(log.clean(NOW + 10 * DAY, &settings).is_none());
}

#[test]
fn cleaning_merges_small_segments_into_groups() {
    let settings = LogSettings {
        segment_bytes: 70 * 4,
        ..compact_settings()
    };
    let mut log = PartitionLog::new(NOW);
    // 12 records over keys 0..2 fill three 4-record segments; one more starts the active one.
    for i in 0..13u64 {
        append(
            &mut log,
            NOW,
            NOW,
            b(&(i % 2).to_string()),
            b("v"),
            &settings,
        );
    }
    assert_eq!(segment_bases(&log), vec![0, 4, 8, 12]);
    let outcome = log.clean(NOW, &settings).unwrap();
    // Groups by size before cleaning: each segment is 280 bytes, so no two fit together.
    assert_eq!(outcome.segments_cleaned, 3);
    assert_eq!(outcome.segments_written, 3);
    assert_eq!(offsets(&log), vec![10, 11, 12]);
    // Segments 0 and 4 are now empty, segment 8 holds 10 and 11.
    let segments = log.segments();
    assert_eq!(segments[0].record_count, 0);
    assert_eq!(segments[0].size_bytes, 0);
    // Next pass (more duplicates): the three small segments now fit in one group.
    for i in 13..21u64 {
        append(
            &mut log,
            NOW,
            NOW,
            b(&(i % 2).to_string()),
            b("v"),
            &settings,
        );
    }
    let outcome = log.clean(NOW, &settings).unwrap();
    assert!(outcome.segments_written < outcome.segments_cleaned);
    assert_eq!(log.segments()[0].base_offset, 0);
    assert_eq!(offsets(&log), vec![18, 19, 20]);
}

#[test]
fn compaction_is_a_no_op_without_the_compact_policy() {
    let settings = delete_settings();
    let mut log = PartitionLog::new(NOW);
    for i in 0..10 {
        append_kv(&mut log, NOW, 0, i, &settings);
    }
    log.roll(NOW);
    assert!(log.clean(NOW, &settings).is_none());
    assert!(log.cleaning_candidate(NOW, &settings).is_none());
    assert_eq!(log.len_records(), 10);
}

// ---------------------------------------------------------------------------------------------
// Truncation

/// In the spirit of UnifiedLogTest.testTruncateTo: truncating to the end is a no-op, to the middle
/// drops the tail, to a segment base leaves that segment empty and active, below the first
/// segment restarts the log.
#[test]
fn truncation_drops_the_tail() {
    let settings = LogSettings {
        segment_bytes: SINGLETON * 10,
        ..delete_settings()
    };
    let mut log = PartitionLog::new(0);
    for i in 0..25u64 {
        append(&mut log, i, i, None, b("test"), &settings);
    }
    assert_eq!(segment_bases(&log), vec![0, 10, 20]);
    let size = log.size_bytes();
    log.truncate_to(25);
    log.truncate_to(26);
    assert_eq!(log.log_end_offset(), 25);
    assert_eq!(log.size_bytes(), size);

    log.truncate_to(15);
    assert_eq!(log.log_end_offset(), 15);
    assert_eq!(segment_bases(&log), vec![0, 10]);
    assert_eq!(log.size_bytes(), 15 * u64::from(SINGLETON));
    assert_eq!(log.segments()[1].largest_timestamp_ms, Some(14));
    assert_eq!(offsets(&log), (0..15).collect::<Vec<_>>());

    log.truncate_to(10);
    assert_eq!(segment_bases(&log), vec![0, 10]);
    assert_eq!(log.segments()[1].size_bytes, 0);
    assert!(log.segments()[1].is_active);
    assert_eq!(
        append(&mut log, 30, 30, None, b("test"), &settings).offset,
        10
    );

    log.truncate_to(0);
    assert_eq!(log.log_end_offset(), 0);
    assert_eq!(log.len_records(), 0);
    assert_eq!(log.size_bytes(), 0);
    assert_eq!(segment_bases(&log), vec![0]);

    // Truncating below the log start restarts the log there.
    for _ in 0..10 {
        append(&mut log, 40, 40, None, b("test"), &settings);
    }
    log.delete_records(6, 10).unwrap();
    log.truncate_to(3);
    assert_eq!(log.log_start_offset(), 3);
    assert_eq!(log.log_end_offset(), 3);
    assert_eq!(segment_bases(&log), vec![3]);
    assert_eq!(
        append(&mut log, 50, 50, None, b("test"), &settings).offset,
        3
    );
}

#[test]
fn truncation_lowers_the_cleaner_checkpoint() {
    let settings = LogSettings {
        segment_bytes: 70 * 4,
        ..compact_settings()
    };
    let mut log = PartitionLog::new(NOW);
    for i in 0..13u64 {
        append(
            &mut log,
            NOW,
            NOW,
            b(&(i % 5).to_string()),
            b("v"),
            &settings,
        );
    }
    log.clean(NOW, &settings).unwrap();
    assert_eq!(log.cleaner_checkpoint(), Some(12));
    log.truncate_to(9);
    assert_eq!(log.log_end_offset(), 9);
    assert_eq!(
        log.cleaner_checkpoint(),
        Some(8),
        "lowered to the new active segment's base"
    );
}

// ---------------------------------------------------------------------------------------------
// Memory cap (the simulation's bound, not Kafka behaviour)

#[test]
fn the_memory_cap_drops_the_oldest_records() {
    let settings = LogSettings {
        max_records_kept: 100,
        segment_bytes: SINGLETON * 30,
        ..delete_settings()
    };
    let mut log = PartitionLog::new(0);
    let mut evictions = 0;
    for i in 0..1000u64 {
        let appended = append(&mut log, i, i, None, b("test"), &settings);
        if let Some(eviction) = appended.evicted {
            evictions += 1;
            assert_eq!(eviction.records, 1);
            assert_eq!(eviction.log_start_offset, i + 1 - 100);
        }
        assert!(log.len_records() <= 100);
    }
    assert_eq!(evictions, 900);
    assert_eq!(log.log_start_offset(), 900);
    assert_eq!(log.log_end_offset(), 1000);
    assert_eq!(offsets(&log), (900..1000).collect::<Vec<_>>());
    // Segments wholly below the log start are gone; the first one straddles it.
    let segments = log.segments();
    assert!(segments[0].base_offset <= 900);
    assert!(segments.len() <= 5);
    assert_eq!(log.read(0, 1)[0].offset, 900);
}

// ---------------------------------------------------------------------------------------------
// Randomized invariants

/// SplitMix64 (Steele, Lea, Flood 2014), so the test needs no crate.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        if bound == 0 { 0 } else { self.next() % bound }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// What the log should hold: offset → record, plus stamped delete horizons.
#[derive(Default)]
struct Model {
    records: BTreeMap<u64, Record>,
    horizons: BTreeMap<u64, u64>,
}

impl Model {
    fn remove_below(&mut self, offset: u64) {
        self.records = self.records.split_off(&offset);
        self.horizons = self.horizons.split_off(&offset);
    }

    fn remove_from(&mut self, offset: u64) {
        self.records.split_off(&offset);
        self.horizons.split_off(&offset);
    }
}

fn random_settings(rng: &mut SplitMix64) -> LogSettings {
    let (delete, compact) = match rng.below(4) {
        0 => (true, false),
        1 => (false, true),
        2 => (true, true),
        _ => (false, false),
    };
    LogSettings {
        segment_bytes: 150 + rng.below(1500) as u32,
        segment_ms: 1 + rng.below(5000),
        retention_ms: if rng.chance(20) {
            -1
        } else {
            rng.below(20_000) as i64
        },
        retention_bytes: if rng.chance(50) {
            -1
        } else {
            rng.below(5000) as i64
        },
        delete,
        compact,
        delete_retention_ms: rng.below(3000),
        min_compaction_lag_ms: if rng.chance(50) { 0 } else { rng.below(2000) },
        max_compaction_lag_ms: if rng.chance(50) {
            i64::MAX as u64
        } else {
            rng.below(10_000)
        },
        min_cleanable_dirty_ratio_permille: rng.below(1001) as u32,
        max_message_bytes: 1_048_588,
        max_records_kept: 5 + rng.below(150) as u32,
    }
}

fn check_invariants(
    log: &PartitionLog,
    model: &Model,
    settings: &LogSettings,
    rng: &mut SplitMix64,
) {
    let held = all(log);
    let expected: Vec<Record> = model.records.values().cloned().collect();
    assert_eq!(
        held, expected,
        "the log holds exactly the model's records, in order"
    );
    assert!(
        held.windows(2).all(|w| w[0].offset < w[1].offset),
        "offsets strictly increase"
    );
    assert_eq!(log.len_records(), model.records.len() as u64);
    assert!(log.len_records() <= u64::from(settings.max_records_kept));
    for record in &held {
        assert!(record.offset >= log.log_start_offset() && record.offset < log.log_end_offset());
    }
    // Random reads and gets.
    for _ in 0..3 {
        let from = rng.below(log.log_end_offset() + 3);
        let max = rng.below(20) as u32;
        let start = from.max(log.log_start_offset());
        let expected: Vec<Record> = model
            .records
            .range(start..)
            .take(max as usize)
            .map(|(_, r)| r.clone())
            .collect();
        assert_eq!(log.read(from, max), expected, "read({from}, {max})");
        let at = rng.below(log.log_end_offset() + 2);
        assert_eq!(log.get(at), model.records.get(&at), "get({at})");
        assert_eq!(log.delete_horizon_ms(at), model.horizons.get(&at).copied());
    }
    // Segments.
    let segments = log.segments();
    assert!(!segments.is_empty());
    assert!(segments[0].base_offset <= log.log_start_offset());
    assert_eq!(segments.last().unwrap().next_offset, log.log_end_offset());
    let mut total = 0;
    for (i, segment) in segments.iter().enumerate() {
        assert_eq!(segment.is_active, i + 1 == segments.len());
        assert!(segment.base_offset <= segment.next_offset);
        if let Some(next) = segments.get(i + 1) {
            assert_eq!(segment.next_offset, next.base_offset);
            assert!(segment.base_offset < next.base_offset);
        }
        let count = model
            .records
            .range(segment.base_offset..segment.next_offset)
            .count() as u64;
        assert_eq!(segment.record_count, count, "records per segment");
        assert!(segment.size_bytes >= 61 * count);
        total += segment.size_bytes;
    }
    assert_eq!(total, log.size_bytes());
}

fn run_seed(seed: u64) {
    let mut rng = SplitMix64(seed);
    let settings = random_settings(&mut rng);
    let mut now = rng.below(1_000_000);
    let mut log = PartitionLog::new(now);
    let mut model = Model::default();
    let keys = 1 + rng.below(12);
    for _step in 0..300 {
        now += rng.below(200);
        match rng.below(100) {
            0..=59 => {
                let key = if rng.chance(90) {
                    b(&format!("k{}", rng.below(keys)))
                } else {
                    None
                };
                let value = if rng.chance(15) {
                    None
                } else {
                    b(&format!("v{}", rng.below(1000)))
                };
                let timestamp = now.saturating_sub(rng.below(300));
                let headers = if rng.chance(10) {
                    vec![Header {
                        key: "h".into(),
                        value: b("x"),
                    }]
                } else {
                    vec![]
                };
                let start_before = log.log_start_offset();
                let leo = log.log_end_offset();
                // Mostly as the leader (validated), sometimes as a follower (unvalidated).
                let (k, v, h) = (key.clone(), value.clone(), headers.clone());
                let result = if rng.chance(80) {
                    log.try_append(now, timestamp, k, v, h, &settings)
                } else {
                    Ok(log.append(now, timestamp, k, v, h, &settings))
                };
                match result {
                    Ok(appended) => {
                        assert_eq!(appended.offset, leo);
                        model.records.insert(
                            leo,
                            Record {
                                offset: leo,
                                timestamp_ms: timestamp,
                                key,
                                value,
                                headers,
                            },
                        );
                        if let Some(eviction) = appended.evicted {
                            assert!(eviction.log_start_offset > start_before);
                            model.remove_below(log.log_start_offset());
                        }
                        assert_eq!(log.log_end_offset(), leo + 1);
                    }
                    Err(error) => {
                        assert_eq!(error, AppendError::NullKeyInCompactedTopic);
                        assert!(settings.compact && key.is_none());
                        assert_eq!(log.log_end_offset(), leo);
                    }
                }
            }
            60..=74 => check_clean(&mut log, &mut model, now, &settings, &mut rng),
            75..=86 => {
                let hw = if rng.chance(50) {
                    log.log_end_offset()
                } else {
                    log.log_start_offset()
                        + rng.below(log.log_end_offset() - log.log_start_offset() + 1)
                };
                let bases_before = segment_bases(&log);
                let deleted = log.enforce_retention_below(now, &settings, hw);
                let new_start = log.log_start_offset();
                assert!(new_start <= hw.max(bases_before[0]) || deleted.is_empty());
                for (i, deletion) in deleted.iter().enumerate() {
                    // whole segments, oldest first, all below the new log start and the hw
                    assert_eq!(deletion.segment.base_offset, bases_before[i]);
                    assert!(deletion.segment.next_offset <= new_start);
                    assert!(deletion.segment.next_offset <= hw);
                    if !settings.delete {
                        assert_eq!(deletion.reason, DeletionReason::LogStartOffsetBreach);
                    }
                    if deletion.reason == DeletionReason::RetentionTime {
                        let largest = deletion
                            .segment
                            .largest_timestamp_ms
                            .unwrap_or(deletion.segment.last_modified_ms);
                        assert!(
                            i128::from(now) - i128::from(largest)
                                > i128::from(settings.retention_ms)
                        );
                    }
                }
                if !deleted.is_empty() {
                    let first_base = log.segments()[0].base_offset;
                    assert!(new_start >= first_base);
                }
                model.remove_below(new_start);
            }
            87..=90 => {
                let leo = log.log_end_offset();
                let target = log.log_start_offset().saturating_sub(2)
                    + rng.below(leo - log.log_start_offset() + 5);
                log.truncate_to(target);
                if target < leo {
                    assert_eq!(log.log_end_offset(), target);
                    model.remove_from(target);
                    assert!(log.log_start_offset() <= target);
                    if let Some(checkpoint) = log.cleaner_checkpoint() {
                        assert!(checkpoint <= target);
                    }
                } else {
                    assert_eq!(log.log_end_offset(), leo);
                }
            }
            91..=94 => {
                let leo = log.log_end_offset();
                let offset = rng.below(leo + 2);
                match log.delete_records(offset, leo) {
                    Ok(start) => {
                        assert!(offset <= leo);
                        assert_eq!(start, log.log_start_offset());
                        assert!(start >= offset);
                        model.remove_below(start);
                    }
                    Err(_) => assert!(offset > leo),
                }
            }
            _ => log.roll(now),
        }
        check_invariants(&log, &model, &settings, &mut rng);
    }
}

/// One cleaner pass checked against the model: nothing at or past the end offset changes, the
/// latest record of every key below it survives (unless it is a tombstone past its horizon or has
/// no key), every removal is justified, and tombstones get `now + delete.retention.ms`.
fn check_clean(
    log: &mut PartitionLog,
    model: &mut Model,
    now: u64,
    settings: &LogSettings,
    rng: &mut SplitMix64,
) {
    let hw = if rng.chance(70) {
        log.log_end_offset()
    } else {
        log.log_start_offset() + rng.below(log.log_end_offset() - log.log_start_offset() + 1)
    };
    let before = model.records.clone();
    let Some(outcome) = log.clean_below(now, settings, hw) else {
        assert_eq!(all(log), before.values().cloned().collect::<Vec<_>>());
        return;
    };
    assert!(settings.compact);
    let end = outcome.end_offset;
    assert!(end <= hw);
    assert!(
        end <= log.segments().last().unwrap().base_offset,
        "the active segment is never cleaned"
    );
    assert_eq!(log.cleaner_checkpoint(), Some(end));
    assert!(outcome.first_dirty_offset < end);
    // The latest offset per key below `end`.
    let mut latest: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
    for record in before.values().filter(|r| r.offset < end) {
        if let Some(key) = &record.key {
            latest.insert(key.to_vec(), record.offset);
        }
    }
    let mut last_removed = None;
    for removed in &outcome.removed {
        assert!(
            removed.offset < end,
            "nothing at or past the end offset is touched"
        );
        assert!(
            last_removed < Some(removed.offset),
            "removals are reported in offset order"
        );
        last_removed = Some(removed.offset);
        let record = before
            .get(&removed.offset)
            .expect("removed a record the log held");
        match &removed.reason {
            RemovalReason::NoKey => assert!(record.key.is_none()),
            RemovalReason::Superseded { by_offset } => {
                let later = before.get(by_offset).expect("superseding record exists");
                assert!(*by_offset > removed.offset && *by_offset < end);
                assert!(*by_offset >= outcome.first_dirty_offset);
                assert_eq!(later.key, record.key);
            }
            RemovalReason::TombstoneExpired { delete_horizon_ms } => {
                assert!(record.value.is_none());
                assert_eq!(model.horizons.get(&removed.offset), Some(delete_horizon_ms));
                assert!(now >= *delete_horizon_ms);
            }
        }
        model.records.remove(&removed.offset);
        model.horizons.remove(&removed.offset);
    }
    for (key, offset) in &latest {
        let expired_tombstone = before[offset].value.is_none()
            && outcome.removed.iter().any(|r| {
                r.offset == *offset && matches!(r.reason, RemovalReason::TombstoneExpired { .. })
            });
        if !expired_tombstone {
            assert!(
                model.records.contains_key(offset),
                "latest record of key {key:?} at {offset} was kept"
            );
        }
    }
    for marked in &outcome.marked_tombstones {
        assert!(marked.offset < end);
        assert!(before[&marked.offset].value.is_none());
        assert_eq!(
            marked.delete_horizon_ms,
            now.saturating_add(settings.delete_retention_ms)
        );
        assert_eq!(
            model
                .horizons
                .insert(marked.offset, marked.delete_horizon_ms),
            None
        );
    }
    // Every retained tombstone below the end now has a horizon.
    for record in model
        .records
        .values()
        .filter(|r| r.offset < end && r.value.is_none())
    {
        assert!(model.horizons.contains_key(&record.offset));
    }
}

#[test]
fn randomized_operations_keep_the_invariants() {
    for seed in 0..400u64 {
        run_seed(seed);
    }
}

/// Throughput of append, read and a cleaner pass; run with
/// `cargo test --release --test log -- --ignored --nocapture throughput`.
#[test]
#[ignore]
fn throughput() {
    let settings = LogSettings {
        segment_bytes: 1 << 20,
        max_records_kept: 1_000_000,
        ..compact_settings()
    };
    let value = b("some value of moderate size");
    let keys: Vec<Option<Bytes>> = (0..1000).map(|k| b(&format!("key-{k}"))).collect();
    let mut log = PartitionLog::new(0);
    let n = 5_000_000u64;
    let start = std::time::Instant::now();
    for i in 0..n {
        let key = keys[(i % 1000) as usize].clone();
        let outcome = log.append(i, i, key, value.clone(), vec![], &settings);
        assert_eq!(outcome.offset, i);
    }
    let appends = start.elapsed();
    let read_all = |log: &PartitionLog| {
        let start = std::time::Instant::now();
        let mut read = 0u64;
        let mut from = log.log_start_offset();
        loop {
            let batch = log.read(from, 500);
            let Some(last) = batch.last() else { break };
            read += batch.len() as u64;
            from = last.offset + 1;
        }
        (read, start.elapsed())
    };
    let (read, reads) = read_all(&log);
    log.roll(n);
    let held = log.len_records();
    let start = std::time::Instant::now();
    let outcome = log.clean(n, &settings).unwrap();
    let cleaning = start.elapsed();
    let (gappy_read, gappy_reads) = read_all(&log);
    eprintln!(
        "append: {n} in {appends:?} = {:.1} M/s; read: {read} in {reads:?} = {:.1} M/s; \
         clean: {held} records, {} removed, in {cleaning:?}; read after: {gappy_read} in {gappy_reads:?}",
        n as f64 / appends.as_secs_f64() / 1e6,
        read as f64 / reads.as_secs_f64() / 1e6,
        outcome.removed.len(),
    );
}
