//! One partition's log, as Kafka 4.x's `UnifiedLog` / `LocalLog` / `LogSegment` keep it on a
//! broker, with the retention check (`UnifiedLog.deleteOldSegments`) and one pass of the log
//! cleaner (`LogCleanerManager` + `Cleaner`) — all driven by virtual time passed in as `now_ms`.
//!
//! Invariants: offsets are assigned densely from 0 and never reused except after
//! [`PartitionLog::truncate_to`]; held records are in strictly increasing offset order, all in
//! `[log_start_offset, log_end_offset)`, with gaps only where compaction removed records; there is
//! always at least one segment, the last one is the active segment, segment base offsets are
//! strictly increasing and the first one is at or below the log start offset. A segment's size is
//! the byte count Kafka would have on disk for it (see [`Record::size_bytes`]); the log size is
//! their sum. Nothing depends on `HashMap` iteration order, nothing reads a clock.
//!
//! [`PartitionLog::try_append`] applies the checks Kafka's leader makes before appending;
//! [`PartitionLog::append`] writes unconditionally, as a follower (or a caller that validated
//! already) does.
//!
//! Simplified versus Kafka: every append is one uncompressed single-record v2 batch, without
//! producer ids, transactions or leader epochs (so the last stable offset is the high watermark);
//! there are no index files (so no "index full" rolls and no `segment.index.bytes` limit when the
//! cleaner groups segments), no `segment.jitter.ms`, no tiered storage, and the cleaner's
//! de-duplication map is unbounded (Kafka may clean a long dirty section in several passes).
//! [`LogSettings::max_records_kept`] is the simulation's own memory bound, not Kafka behaviour: when
//! an append exceeds it the oldest records are dropped as if by a `DeleteRecords` request.

pub mod chunked;
mod cleaner;
mod retention;
mod size;

pub use size::{batch_size_upper_bound, produce_batch_size};

use std::collections::VecDeque;

use chunked::Chunked;

pub use cleaner::{
    CleanCandidate, CleanOutcome, CleanableOffsets, CleaningStats, MarkedTombstone, RemovalReason,
    RemovedRecord,
};
pub use retention::{DeletionReason, RetentionDeletion};

/// Immutable, cheaply clonable bytes for keys, values and header values.
pub type Bytes = std::rc::Rc<[u8]>;

/// One record header (`org.apache.kafka.common.header.Header`): a UTF-8 key and nullable bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// Header key; Kafka counts its UTF-8 length.
    pub key: String,
    /// Header value; `None` is Kafka's null.
    pub value: Option<Bytes>,
}

/// One record as a consumer would fetch it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Position in the partition, assigned by the log on append.
    pub offset: u64,
    /// The record's timestamp (CreateTime from the producer, or LogAppendTime chosen by the
    /// caller); drives `segment.ms` rolling and `retention.ms`.
    pub timestamp_ms: u64,
    /// Record key; `None` is Kafka's null key.
    pub key: Option<Bytes>,
    /// Record value; `None` is Kafka's null value (a tombstone in a compacted topic).
    pub value: Option<Bytes>,
    /// Record headers, in order.
    pub headers: Vec<Header>,
}

impl Record {
    /// Bytes this record occupies in the log: the size of the uncompressed single-record v2 batch
    /// Kafka stores for it, `61 + varint(body) + body` with
    /// `body = 1 + varint(0) + varlong(0) + field(key) + field(value) + varint(#headers)
    ///        + Σ (varint(len(h.key)) + len(h.key) + field(h.value))`,
    /// where `field(x) = 1` for null and `varint(len) + len` otherwise, and `varint` is Kafka's
    /// zig-zag varint (`DefaultRecordBatch.RECORD_BATCH_OVERHEAD` + `DefaultRecord.sizeInBytes`).
    /// Once the cleaner has stamped a delete horizon on a tombstone its stored batch is a few bytes
    /// larger (the timestamp delta is then relative to the horizon); see [`PartitionLog::segments`].
    pub fn size_bytes(&self) -> u32 {
        Self::size_of(self.key.as_ref(), self.value.as_ref(), &self.headers)
    }

    /// [`Record::size_bytes`] of a record with this key, value and headers, without building
    /// one.
    pub fn size_of(key: Option<&Bytes>, value: Option<&Bytes>, headers: &[Header]) -> u32 {
        let size = size::batch_size(
            0,
            key.map(|key| key.len()),
            value.map(|value| value.len()),
            headers,
        );
        u32::try_from(size).unwrap_or(u32::MAX)
    }

    /// Whether the record has a null value (`!Record.hasValue()`), which a compacted topic treats
    /// as a delete marker for its key.
    pub fn is_tombstone(&self) -> bool {
        self.value.is_none()
    }
}

/// What the log needs of a topic's configuration (the caller maps topic configs to this).
#[derive(Clone, Debug, PartialEq)]
pub struct LogSettings {
    /// `segment.bytes` (default 1073741824): roll when the next batch would not fit.
    pub segment_bytes: u32,
    /// `segment.ms` (default 604800000): roll when a new record's timestamp is more than this
    /// after the timestamp of the active segment's first record.
    pub segment_ms: u64,
    /// `retention.ms` (default 604800000); negative means unlimited.
    pub retention_ms: i64,
    /// `retention.bytes` (default -1); negative means unlimited.
    pub retention_bytes: i64,
    /// `cleanup.policy` contains `delete`.
    pub delete: bool,
    /// `cleanup.policy` contains `compact`.
    pub compact: bool,
    /// `delete.retention.ms` (default 86400000): how long a tombstone survives after the cleaner
    /// first saw it.
    pub delete_retention_ms: u64,
    /// `min.compaction.lag.ms` (default 0).
    pub min_compaction_lag_ms: u64,
    /// `max.compaction.lag.ms` (default `i64::MAX`).
    pub max_compaction_lag_ms: u64,
    /// `min.cleanable.dirty.ratio` in thousandths (0.5 → 500), integers for determinism.
    pub min_cleanable_dirty_ratio_permille: u32,
    /// `max.message.bytes` (default 1048588): larger batches are rejected.
    pub max_message_bytes: u32,
    /// The simulation's memory cap on held records (not a Kafka setting).
    pub max_records_kept: u32,
}

impl Default for LogSettings {
    /// Kafka 4.x's topic defaults (`LogConfig`), policy `delete`, and a 100 000-record cap.
    fn default() -> Self {
        Self {
            segment_bytes: 1_073_741_824,
            segment_ms: 604_800_000,
            retention_ms: 604_800_000,
            retention_bytes: -1,
            delete: true,
            compact: false,
            delete_retention_ms: 86_400_000,
            min_compaction_lag_ms: 0,
            max_compaction_lag_ms: i64::MAX as u64,
            min_cleanable_dirty_ratio_permille: 500,
            max_message_bytes: 1_048_588,
            max_records_kept: 100_000,
        }
    }
}

/// Why [`PartitionLog::try_append`] refused a record (nothing was written, no offset used).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppendError {
    /// The batch is larger than `max.message.bytes` (`RecordTooLargeException`,
    /// `UnifiedLog.analyzeAndValidateRecords`).
    RecordTooLarge {
        /// Size of the rejected batch.
        size_bytes: u64,
        /// `max.message.bytes`.
        max_message_bytes: u32,
    },
    /// A compacted topic received a record without a key (`InvalidRecordException` "Compacted
    /// topic cannot accept message without key", `LogValidator.validateKey`).
    NullKeyInCompactedTopic,
    /// The batch is larger than `segment.bytes` (`RecordBatchTooLargeException`,
    /// `UnifiedLog.append`).
    RecordBatchTooLarge {
        /// Size of the rejected batch.
        size_bytes: u64,
        /// `segment.bytes`.
        segment_bytes: u32,
    },
}

impl std::fmt::Display for AppendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::RecordTooLarge {
                size_bytes,
                max_message_bytes,
            } => write!(
                f,
                "The record batch size is {size_bytes} bytes which exceeds the maximum configured \
                 value of {max_message_bytes}."
            ),
            Self::NullKeyInCompactedTopic => {
                f.write_str("Compacted topic cannot accept message without key.")
            }
            Self::RecordBatchTooLarge {
                size_bytes,
                segment_bytes,
            } => write!(
                f,
                "Message batch size is {size_bytes} bytes, which exceeds the maximum configured \
                 segment size of {segment_bytes}."
            ),
        }
    }
}

/// Why the active segment was rolled before an append (`LogSegment.shouldRoll`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RollReason {
    /// The batch would not fit in `segment.bytes`.
    SegmentFull,
    /// The new record's timestamp is more than `segment.ms` after the segment's first record.
    SegmentMsElapsed,
    /// The offset no longer fits a segment-relative 32-bit offset.
    RelativeOffsetOverflow,
}

/// A segment roll that happened during an append.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Roll {
    /// What triggered it.
    pub reason: RollReason,
    /// Base offset of the segment that stopped being active.
    pub previous_base_offset: u64,
    /// Base offset of the new active segment (the appended record's offset).
    pub new_base_offset: u64,
}

/// Records dropped because the log held more than [`LogSettings::max_records_kept`]
/// (the simulation's memory bound, not Kafka behaviour).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Eviction {
    /// How many of the oldest records were dropped.
    pub records: u64,
    /// The log start offset afterwards.
    pub log_start_offset: u64,
    /// Segments removed because they ended at or below the new log start offset.
    pub segments_deleted: u32,
}

/// What an append did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppendOutcome {
    /// The offset the record got.
    pub offset: u64,
    /// Its size in the log ([`Record::size_bytes`]).
    pub size_bytes: u32,
    /// The roll that happened first, if any.
    pub rolled: Option<Roll>,
    /// Records dropped by the memory cap, if any.
    pub evicted: Option<Eviction>,
}

/// A `DeleteRecords` request asked for an offset beyond the high watermark
/// (`OffsetOutOfRangeException` from `UnifiedLog.maybeIncrementLogStartOffset`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OffsetOutOfRange {
    /// The requested new log start offset.
    pub offset: u64,
    /// The high watermark it exceeded.
    pub high_watermark: u64,
}

/// One segment as the view shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentInfo {
    /// First offset the segment may hold (its file name in Kafka).
    pub base_offset: u64,
    /// Base offset of the next segment, or the log end offset for the active one.
    pub next_offset: u64,
    /// Bytes Kafka would have in the segment file (includes records below the log start offset
    /// that are no longer readable but not yet deleted with their segment).
    pub size_bytes: u64,
    /// Readable records held in the segment.
    pub record_count: u64,
    /// When the segment was created (rolled, or rewritten by the cleaner).
    pub created_ms: u64,
    /// When the first record was appended to it (for a cleaned segment: to the first segment of
    /// the group it was cleaned from).
    pub first_append_ms: Option<u64>,
    /// The file's last-modified time: the last append (kept across cleaning, as Kafka does).
    pub last_modified_ms: u64,
    /// Timestamp of the first batch (`rollingBasedTimestamp`), which `segment.ms` and
    /// `max.compaction.lag.ms` measure from.
    pub first_timestamp_ms: Option<u64>,
    /// Largest record timestamp, which `retention.ms` and `min.compaction.lag.ms` compare.
    pub largest_timestamp_ms: Option<u64>,
    /// Whether this is the active segment (the last one, taking appends).
    pub is_active: bool,
}

/// A held record plus what the cleaner has stamped on its batch.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    record: Record,
    /// Stored batch size; differs from `record.size_bytes()` once a delete horizon is stamped.
    bytes: u32,
    /// The batch's `deleteHorizonMs` (KIP-534), set the first time the cleaner retains a
    /// tombstone; [`Entry::NO_HORIZON`] until then (not an `Option`: eight bytes less for each
    /// of the tens of thousands of records a busy page holds). See [`Entry::delete_horizon_ms`].
    horizon_ms: u64,
}

impl Entry {
    const NO_HORIZON: u64 = u64::MAX;

    /// The delete horizon stamped on the batch, if any.
    fn delete_horizon_ms(&self) -> Option<u64> {
        (self.horizon_ms != Self::NO_HORIZON).then_some(self.horizon_ms)
    }
}

/// Metadata of one segment; its records live in `PartitionLog::records`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Segment {
    base_offset: u64,
    bytes: u64,
    records: u64,
    created_ms: u64,
    first_append_ms: Option<u64>,
    last_modified_ms: u64,
    max_timestamp_ms: Option<u64>,
    first_batch_timestamp_ms: Option<u64>,
}

impl Segment {
    fn new(base_offset: u64, now_ms: u64) -> Self {
        Self {
            base_offset,
            bytes: 0,
            records: 0,
            created_ms: now_ms,
            first_append_ms: None,
            last_modified_ms: now_ms,
            max_timestamp_ms: None,
            first_batch_timestamp_ms: None,
        }
    }

    /// `LogSegment.largestTimestamp()`: the largest record timestamp, or the file's last-modified
    /// time when the segment holds no record.
    fn largest_timestamp(&self) -> u64 {
        self.max_timestamp_ms.unwrap_or(self.last_modified_ms)
    }
}

/// One partition's log: records, segments, log start/end offsets and the cleaner checkpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionLog {
    /// Held records, offsets strictly increasing (gaps where compaction removed records), in
    /// shared immutable chunks so a cloned log (a timeline checkpoint) shares them.
    records: Chunked<Entry>,
    /// Never empty; the back is the active segment.
    segments: VecDeque<Segment>,
    log_start_offset: u64,
    log_end_offset: u64,
    /// Sum of segment sizes, kept so `size_bytes` is O(1).
    total_bytes: u64,
    /// `cleaner-offset-checkpoint`: the first dirty offset the next cleaning starts from.
    cleaner_checkpoint: Option<u64>,
    /// Latest `now_ms` seen; stands in for the clock where Kafka's method takes none
    /// (`truncate_to`).
    last_now_ms: u64,
}

impl PartitionLog {
    /// An empty log: one empty active segment at offset 0.
    pub fn new(now_ms: u64) -> Self {
        let mut segments = VecDeque::new();
        segments.push_back(Segment::new(0, now_ms));
        Self {
            records: Chunked::new(),
            segments,
            log_start_offset: 0,
            log_end_offset: 0,
            total_bytes: 0,
            cleaner_checkpoint: None,
            last_now_ms: now_ms,
        }
    }

    fn touch(&mut self, now_ms: u64) {
        self.last_now_ms = self.last_now_ms.max(now_ms);
    }

    /// The checks Kafka's leader applies to a produced record before appending it, in Kafka's
    /// order: batch size against `max.message.bytes` (`analyzeAndValidateRecords`), the key
    /// (`LogValidator`), then the batch against `segment.bytes`. Returns the batch size.
    pub fn validate_append(
        key: Option<&Bytes>,
        value: Option<&Bytes>,
        headers: &[Header],
        settings: &LogSettings,
    ) -> Result<u32, AppendError> {
        let size = size::batch_size(
            0,
            key.map(|key| key.len()),
            value.map(|value| value.len()),
            headers,
        );
        if size > u64::from(settings.max_message_bytes) {
            return Err(AppendError::RecordTooLarge {
                size_bytes: size,
                max_message_bytes: settings.max_message_bytes,
            });
        }
        if settings.compact && key.is_none() {
            return Err(AppendError::NullKeyInCompactedTopic);
        }
        if size > u64::from(settings.segment_bytes) {
            return Err(AppendError::RecordBatchTooLarge {
                size_bytes: size,
                segment_bytes: settings.segment_bytes,
            });
        }
        // size <= segment.bytes, a u32.
        Ok(u32::try_from(size).unwrap_or(u32::MAX))
    }

    /// Append a produced record as the leader does (`UnifiedLog.appendAsLeader`): refuse it if
    /// [`PartitionLog::validate_append`] does, else [`PartitionLog::append`] it.
    pub fn try_append(
        &mut self,
        now_ms: u64,
        timestamp_ms: u64,
        key: Option<Bytes>,
        value: Option<Bytes>,
        headers: Vec<Header>,
        settings: &LogSettings,
    ) -> Result<AppendOutcome, AppendError> {
        Self::validate_append(key.as_ref(), value.as_ref(), &headers, settings)?;
        Ok(self.append(now_ms, timestamp_ms, key, value, headers, settings))
    }

    /// Append one record as a single-record batch at the log end offset, without the leader's
    /// validation (like `appendAsFollower`; see [`PartitionLog::try_append`]): roll the active
    /// segment first when `LogSegment.shouldRoll` would, then apply the memory cap.
    /// O(1) amortised (plus the records the cap drops). A record larger than `segment.bytes`
    /// (which Kafka would refuse) gets a segment of its own.
    pub fn append(
        &mut self,
        now_ms: u64,
        timestamp_ms: u64,
        key: Option<Bytes>,
        value: Option<Bytes>,
        headers: Vec<Header>,
        settings: &LogSettings,
    ) -> AppendOutcome {
        self.touch(now_ms);
        let size = size::batch_size(
            0,
            key.as_ref().map(|key| key.len()),
            value.as_ref().map(|value| value.len()),
            &headers,
        );
        let bytes = u32::try_from(size).unwrap_or(u32::MAX);
        let size = u64::from(bytes);
        // Offsets only grow by one per append, so the end offset cannot reach u64::MAX.
        let offset = self.log_end_offset;
        let rolled = self.maybe_roll(now_ms, timestamp_ms, offset, size, settings);
        let active = self.active_mut();
        if active.bytes == 0 {
            // LogSegment.append: the first batch written to an empty file sets the timestamp that
            // segment.ms (and max.compaction.lag.ms) count from.
            active.first_batch_timestamp_ms = Some(timestamp_ms);
        }
        active.bytes += size;
        active.records += 1;
        active.first_append_ms.get_or_insert(now_ms);
        active.last_modified_ms = now_ms;
        active.max_timestamp_ms = Some(
            active
                .max_timestamp_ms
                .map_or(timestamp_ms, |max| max.max(timestamp_ms)),
        );
        self.records.push_back(Entry {
            record: Record {
                offset,
                timestamp_ms,
                key,
                value,
                headers,
            },
            bytes,
            horizon_ms: Entry::NO_HORIZON,
        });
        self.total_bytes += size;
        self.log_end_offset = offset.saturating_add(1);
        let evicted = self.enforce_memory_cap(settings.max_records_kept);
        AppendOutcome {
            offset,
            size_bytes: bytes,
            rolled,
            evicted,
        }
    }

    /// `UnifiedLog.maybeRoll` / `LogSegment.shouldRoll` for a batch of `size` bytes whose only
    /// record has `timestamp_ms` and `offset`.
    fn maybe_roll(
        &mut self,
        now_ms: u64,
        timestamp_ms: u64,
        offset: u64,
        size: u64,
        settings: &LogSettings,
    ) -> Option<Roll> {
        let active = self.active();
        // `size > segment.bytes - messagesSize` (a batch larger than a segment rolls any
        // non-empty segment).
        let full = active.bytes > u64::from(settings.segment_bytes).saturating_sub(size);
        // timeWaitedForRoll: from the first batch's timestamp when there is one, else from the
        // segment's creation on the (virtual) wall clock. segment.jitter.ms is 0.
        let waited = match active.first_batch_timestamp_ms {
            Some(first) => i128::from(timestamp_ms) - i128::from(first),
            None => i128::from(now_ms) - i128::from(active.created_ms),
        };
        let time_elapsed = active.bytes > 0 && waited > i128::from(settings.segment_ms);
        let relative_overflow = offset.saturating_sub(active.base_offset) > i32::MAX as u64;
        let reason = if full {
            RollReason::SegmentFull
        } else if time_elapsed {
            RollReason::SegmentMsElapsed
        } else if relative_overflow {
            RollReason::RelativeOffsetOverflow
        } else {
            return None;
        };
        let previous_base_offset = active.base_offset;
        self.roll_at(offset, now_ms);
        Some(Roll {
            reason,
            previous_base_offset,
            new_base_offset: offset,
        })
    }

    /// `LocalLog.roll`: start a new active segment at `base_offset`. An empty active segment at the
    /// same offset is replaced rather than followed by a second one.
    fn roll_at(&mut self, base_offset: u64, now_ms: u64) {
        let active = self.active_mut();
        if active.bytes == 0 && active.records == 0 && active.base_offset == base_offset {
            *active = Segment::new(base_offset, now_ms);
        } else {
            self.segments.push_back(Segment::new(base_offset, now_ms));
        }
    }

    /// Force a new active segment at the log end offset (`UnifiedLog.roll()`), e.g. so the records
    /// written so far become cleanable.
    pub fn roll(&mut self, now_ms: u64) {
        self.touch(now_ms);
        self.roll_at(self.log_end_offset, now_ms);
    }

    /// The simulation's memory bound: drop the oldest records until at most `cap` are held, move
    /// the log start offset past them and delete segments that end at or below it (what Kafka's
    /// retention check does after a `DeleteRecords`).
    fn enforce_memory_cap(&mut self, cap: u32) -> Option<Eviction> {
        let cap = cap as usize;
        if self.records.len() <= cap {
            return None;
        }
        let mut dropped = 0u64;
        let mut segment = 0usize;
        while self.records.len() > cap {
            let Some(offset) = self.records.front().map(|entry| entry.record.offset) else {
                break;
            };
            self.records.drop_front();
            while segment + 1 < self.segments.len()
                && self.segments[segment + 1].base_offset <= offset
            {
                segment += 1;
            }
            // The bytes stay with the segment (Kafka would keep them on disk until the segment is
            // deleted); only the record stops being readable.
            let held = &mut self.segments[segment].records;
            *held = held.saturating_sub(1);
            dropped += 1;
        }
        let new_start = self
            .records
            .front()
            .map_or(self.log_end_offset, |entry| entry.record.offset);
        self.log_start_offset = self.log_start_offset.max(new_start);
        let segments_deleted = self.delete_segments_below_log_start();
        Some(Eviction {
            records: dropped,
            log_start_offset: self.log_start_offset,
            segments_deleted,
        })
    }

    /// Remove leading non-active segments whose successor starts at or below the log start offset.
    fn delete_segments_below_log_start(&mut self) -> u32 {
        let mut deleted = 0u32;
        while self.segments.len() > 1 && self.segments[1].base_offset <= self.log_start_offset {
            if let Some(segment) = self.segments.pop_front() {
                self.total_bytes = self.total_bytes.saturating_sub(segment.bytes);
                deleted += 1;
            }
        }
        deleted
    }

    /// First offset a consumer can fetch.
    pub fn log_start_offset(&self) -> u64 {
        self.log_start_offset
    }

    /// Offset the next appended record will get.
    pub fn log_end_offset(&self) -> u64 {
        self.log_end_offset
    }

    /// The cleaner's checkpoint (first dirty offset) for this log, once it has cleaned it.
    pub fn cleaner_checkpoint(&self) -> Option<u64> {
        self.cleaner_checkpoint
    }

    /// Index in `records` of the first record with offset `>= offset` (`len` if none).
    /// O(1) while the log has no gaps, O(log n) otherwise.
    fn index_of(&self, offset: u64) -> usize {
        let Some(front) = self.records.front() else {
            return 0;
        };
        if offset <= front.record.offset {
            return 0;
        }
        // Offsets only ever skip ahead, so the record at `guess` has offset >= `offset`; when it
        // is equal (no gap before it) we are done without searching.
        if let Ok(guess) = usize::try_from(offset - front.record.offset)
            && self
                .records
                .get(guess)
                .is_some_and(|entry| entry.record.offset == offset)
        {
            return guess;
        }
        self.records
            .partition_point(|entry| entry.record.offset < offset)
    }

    /// Records with offset `>= from_offset` (from the log start if below it), in offset order,
    /// skipping offsets compaction removed, at most `max_records`. O(log n + k).
    pub fn read(&self, from_offset: u64, max_records: u32) -> Vec<Record> {
        self.records_from(from_offset)
            .take(max_records as usize)
            .cloned()
            .collect()
    }

    /// The held records from `from_offset` on, in offset order, borrowed: what
    /// [`PartitionLog::read`] copies.
    pub fn records_from(&self, from_offset: u64) -> impl Iterator<Item = &Record> + '_ {
        let start = self.index_of(from_offset.max(self.log_start_offset));
        self.records.iter_from(start).map(|entry| &entry.record)
    }

    /// The record at exactly `offset`, if it is held (not below the log start, not compacted
    /// away, not beyond the end).
    pub fn get(&self, offset: u64) -> Option<&Record> {
        if offset < self.log_start_offset {
            return None;
        }
        self.records
            .get(self.index_of(offset))
            .filter(|entry| entry.record.offset == offset)
            .map(|entry| &entry.record)
    }

    /// The delete horizon the cleaner stamped on the tombstone at `offset`, if any.
    pub fn delete_horizon_ms(&self, offset: u64) -> Option<u64> {
        if offset < self.log_start_offset {
            return None;
        }
        self.records
            .get(self.index_of(offset))
            .filter(|entry| entry.record.offset == offset)
            .and_then(Entry::delete_horizon_ms)
    }

    /// Number of readable records held.
    pub fn len_records(&self) -> u64 {
        self.records.len() as u64
    }

    /// Log size in bytes as Kafka's `UnifiedLog.size()` counts it: the sum of segment sizes.
    pub fn size_bytes(&self) -> u64 {
        self.total_bytes
    }

    /// The segments, oldest first; the last is the active one.
    pub fn segments(&self) -> Vec<SegmentInfo> {
        let count = self.segments.len();
        self.segments
            .iter()
            .enumerate()
            .map(|(index, segment)| SegmentInfo {
                base_offset: segment.base_offset,
                next_offset: self.next_offset_of(index),
                size_bytes: segment.bytes,
                record_count: segment.records,
                created_ms: segment.created_ms,
                first_append_ms: segment.first_append_ms,
                last_modified_ms: segment.last_modified_ms,
                first_timestamp_ms: segment.first_batch_timestamp_ms,
                largest_timestamp_ms: segment.max_timestamp_ms,
                is_active: index + 1 == count,
            })
            .collect()
    }

    fn active(&self) -> &Segment {
        // The deque is never empty (constructor, rolls and deletions keep one); index the back.
        &self.segments[self.segments.len() - 1]
    }

    fn active_mut(&mut self) -> &mut Segment {
        let last = self.segments.len() - 1;
        &mut self.segments[last]
    }

    /// Base offset of the segment after `index`, or the log end offset for the active segment.
    fn next_offset_of(&self, index: usize) -> u64 {
        self.segments
            .get(index + 1)
            .map_or(self.log_end_offset, |next| next.base_offset)
    }

    /// Index of the segment whose range contains `offset` (the floor segment); 0 if below all.
    fn floor_segment(&self, offset: u64) -> usize {
        self.segments
            .partition_point(|segment| segment.base_offset <= offset)
            .saturating_sub(1)
    }

    /// Replica truncation (`UnifiedLog.truncateTo`): drop every record with offset `>= offset`.
    /// Segments whose base offset is above it are deleted and the segment containing it becomes
    /// the active one; if the log's first segment starts above `offset` (or the records below the
    /// log start that Kafka would resurrect are no longer held) the whole log is emptied and
    /// restarts at `offset` (`truncateFullyAndStartAt`). The cleaner checkpoint is lowered to the
    /// new active segment's base offset (`LogManager.truncateTo`). No-op if `offset >= ` the end.
    pub fn truncate_to(&mut self, offset: u64) {
        if offset >= self.log_end_offset {
            return;
        }
        let first_base = self
            .segments
            .front()
            .map_or(0, |segment| segment.base_offset);
        if first_base > offset || offset < self.log_start_offset {
            self.truncate_fully_and_start_at(offset);
            return;
        }
        // Pop the truncated records, taking their bytes off the segments that hold them.
        let mut segment = self.segments.len() - 1;
        while let Some(back) = self.records.back() {
            if back.record.offset < offset {
                break;
            }
            while segment > 0 && self.segments[segment].base_offset > back.record.offset {
                segment -= 1;
            }
            let bytes = u64::from(back.bytes);
            let holder = &mut self.segments[segment];
            holder.bytes = holder.bytes.saturating_sub(bytes);
            holder.records = holder.records.saturating_sub(1);
            self.total_bytes = self.total_bytes.saturating_sub(bytes);
            self.records.drop_back();
        }
        // LocalLog.truncateTo deletes segments with baseOffset > offset (one starting exactly at
        // `offset` stays, empty, as the active segment).
        while self.segments.len() > 1 && self.active().base_offset > offset {
            if let Some(removed) = self.segments.pop_back() {
                self.total_bytes = self.total_bytes.saturating_sub(removed.bytes);
            }
        }
        let now = self.last_now_ms;
        let active_base = self.active().base_offset;
        let max_held = self
            .records
            .iter_from(self.index_of(active_base))
            .map(|entry| entry.record.timestamp_ms)
            .max();
        let active = self.active_mut();
        if active.bytes == 0 {
            // LogSegment.truncateTo on an emptied file: it counts as freshly created.
            active.created_ms = now;
            active.first_append_ms = None;
            active.first_batch_timestamp_ms = None;
            active.max_timestamp_ms = None;
        } else if max_held.is_some() {
            active.max_timestamp_ms = max_held;
        }
        active.last_modified_ms = now;
        self.log_end_offset = offset;
        self.log_start_offset = self.log_start_offset.min(offset);
        self.truncate_cleaner_checkpoint(active_base);
    }

    /// `UnifiedLog.truncateFullyAndStartAt`: delete everything and restart empty at `offset`.
    fn truncate_fully_and_start_at(&mut self, offset: u64) {
        self.records.clear();
        self.segments.clear();
        self.segments
            .push_back(Segment::new(offset, self.last_now_ms));
        self.total_bytes = 0;
        self.log_start_offset = offset;
        self.log_end_offset = offset;
        self.truncate_cleaner_checkpoint(offset);
    }

    /// `LogCleanerManager.maybeTruncateCheckpoint`.
    fn truncate_cleaner_checkpoint(&mut self, offset: u64) {
        if let Some(checkpoint) = self.cleaner_checkpoint
            && checkpoint > offset
        {
            self.cleaner_checkpoint = Some(offset);
        }
    }

    /// A `DeleteRecords` request (`UnifiedLog.maybeIncrementLogStartOffset`): move the log start
    /// offset up to `offset`, which must not exceed the high watermark (clamped to the log end).
    /// The records below become unreadable at once; their segments are deleted by the next
    /// [`PartitionLog::enforce_retention`], whatever the cleanup policy, as in Kafka.
    /// Returns the log start offset (the "low watermark").
    pub fn delete_records(
        &mut self,
        offset: u64,
        high_watermark: u64,
    ) -> Result<u64, OffsetOutOfRange> {
        let high_watermark = high_watermark.min(self.log_end_offset);
        if offset > high_watermark {
            return Err(OffsetOutOfRange {
                offset,
                high_watermark,
            });
        }
        if offset > self.log_start_offset {
            self.log_start_offset = offset;
            self.drop_records_below_log_start();
        }
        Ok(self.log_start_offset)
    }

    /// Drop held records below the log start offset from memory. Their bytes stay with their
    /// segments, as Kafka keeps them on disk until the whole segment is deleted.
    fn drop_records_below_log_start(&mut self) {
        let mut segment = 0usize;
        while let Some(front) = self.records.front() {
            if front.record.offset >= self.log_start_offset {
                break;
            }
            while segment + 1 < self.segments.len()
                && self.segments[segment + 1].base_offset <= front.record.offset
            {
                segment += 1;
            }
            let holder = &mut self.segments[segment];
            holder.records = holder.records.saturating_sub(1);
            self.records.drop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(text: &str) -> Option<Bytes> {
        Some(Bytes::from(text.as_bytes()))
    }

    #[test]
    fn offsets_are_dense_from_zero() {
        let settings = LogSettings::default();
        let mut log = PartitionLog::new(0);
        for expected in 0..5u64 {
            let outcome = log.append(1, 1, bytes("k"), bytes("v"), vec![], &settings);
            assert_eq!(outcome.offset, expected);
        }
        assert_eq!(log.log_start_offset(), 0);
        assert_eq!(log.log_end_offset(), 5);
        assert_eq!(log.len_records(), 5);
        assert_eq!(log.size_bytes(), 5 * 70);
    }

    #[test]
    fn index_of_handles_gaps() {
        let settings = LogSettings::default();
        let mut log = PartitionLog::new(0);
        for _ in 0..10 {
            log.append(0, 0, bytes("k"), bytes("v"), vec![], &settings);
        }
        // Punch gaps by hand: remove offsets 2, 3 and 7.
        log.records
            .retain(|entry| ![2, 3, 7].contains(&entry.record.offset));
        assert_eq!(log.index_of(0), 0);
        assert_eq!(log.index_of(2), 2); // offset 4 sits at index 2
        assert_eq!(log.index_of(4), 2);
        assert_eq!(log.index_of(7), 5); // offset 8
        assert_eq!(log.index_of(10), 7);
        assert_eq!(log.get(3), None);
        assert_eq!(log.get(8).map(|record| record.offset), Some(8));
    }

    #[test]
    fn rejections_use_no_offset() {
        let settings = LogSettings {
            compact: true,
            segment_bytes: 100,
            ..LogSettings::default()
        };
        let mut log = PartitionLog::new(0);
        assert_eq!(
            log.try_append(0, 0, None, bytes("v"), vec![], &settings),
            Err(AppendError::NullKeyInCompactedTopic)
        );
        let big: Bytes = Bytes::from(vec![0u8; 200]);
        assert!(matches!(
            log.try_append(0, 0, bytes("k"), Some(big.clone()), vec![], &settings),
            Err(AppendError::RecordBatchTooLarge { .. })
        ));
        let huge: Bytes = Bytes::from(vec![0u8; 2_000_000]);
        assert!(matches!(
            log.try_append(0, 0, bytes("k"), Some(huge), vec![], &settings),
            Err(AppendError::RecordTooLarge { .. })
        ));
        assert_eq!(log.log_end_offset(), 0);
        // Unvalidated, an oversized record still goes in, in a segment of its own.
        log.append(0, 0, bytes("k"), bytes("v"), vec![], &settings);
        assert_eq!(
            log.append(0, 0, bytes("k"), Some(big), vec![], &settings)
                .offset,
            1
        );
        log.append(0, 0, bytes("k"), bytes("v"), vec![], &settings);
        let bases: Vec<u64> = log.segments().iter().map(|s| s.base_offset).collect();
        assert_eq!(bases, vec![0, 1, 2]);
    }
}
