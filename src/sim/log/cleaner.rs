//! One pass of Kafka's log cleaner over a compacted partition: choosing whether and how far to
//! clean (`LogCleanerManager.cleanableOffsets`, `LogToClean`, `grabFilthiestCompactedLog`) and
//! doing it (`Cleaner.doClean`, `groupSegmentsBySize`, `cleanSegments`, `shouldRetainRecord`).
//!
//! The dirty section runs from the cleaner checkpoint (or the log start offset) to the first
//! uncleanable offset: the lowest of the last stable offset, the active segment's base offset and
//! the first dirty segment still inside `min.compaction.lag.ms`, rounded down to a segment
//! boundary. A pass runs when the dirty bytes over all bytes exceed `min.cleanable.dirty.ratio`
//! (strictly, as Kafka compares), or when a dirty segment's first timestamp is older than
//! `max.compaction.lag.ms` and there are dirty bytes. It maps each key of the dirty section to its
//! latest offset, then rewrites every segment below the first uncleanable offset — clean ones too —
//! in groups that fit `segment.bytes`, keeping a record only if it is the latest for its key. A
//! tombstone survives its first pass, which stamps its batch with a delete horizon of now +
//! `delete.retention.ms` (KIP-534, the rule for v2 batches in Kafka 4); a later pass at or after
//! the horizon drops it. Records without a key are dropped. Offsets never change: removed records
//! leave gaps. The invariants of the parent module hold afterwards; the checkpoint moves to the
//! first uncleanable offset.
//!
//! Simplified versus Kafka: the key map is exact and unbounded (Kafka's MD5-keyed
//! `SkimpyOffsetMap` is bounded by `log.cleaner.dedupe.buffer.size` and may need several passes),
//! no transactions or producer state (so no batch is kept only to preserve producer sequence
//! numbers), and when the last batch before the first uncleanable offset loses its record Kafka
//! keeps a 61-byte empty batch header in its place, which is not modelled (that only happens for
//! keyless records there). Segment grouping ignores `segment.index.bytes`. Records that are no
//! longer held because they fell below the log start offset (the memory cap, `DeleteRecords`)
//! cannot be rewritten, so their bytes, which Kafka would still copy, vanish with the rewrite.

use std::collections::HashMap;

use super::{Bytes, Entry, LogSettings, PartitionLog, Segment, size};

/// `LogCleanerManager.OffsetsToClean`: the range a cleaning would cover.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanableOffsets {
    /// Where the dirty section starts (inclusive).
    pub first_dirty_offset: u64,
    /// Where it ends (exclusive), before rounding down to a segment boundary; at least
    /// `first_dirty_offset`.
    pub first_uncleanable_dirty_offset: u64,
    /// The checkpoint was below the log start or beyond the log end and was reset.
    pub force_update_checkpoint: bool,
}

/// `LogToClean`'s byte counts for a dirty range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleaningStats {
    /// Bytes of the segments before the one containing the first dirty offset.
    pub clean_bytes: u64,
    /// Bytes of the segments from the one containing the first dirty offset up to the first
    /// uncleanable segment.
    pub cleanable_bytes: u64,
    /// `clean_bytes + cleanable_bytes`: the denominator of the dirty ratio (the active segment and
    /// other uncleanable segments do not count).
    pub total_bytes: u64,
    /// Base offset of the segment holding the first uncleanable offset: where cleaning stops.
    pub first_uncleanable_offset: u64,
}

impl CleaningStats {
    /// The cleanable ratio in thousandths, rounded down (0 for an empty log).
    pub fn dirty_ratio_permille(&self) -> u32 {
        if self.total_bytes == 0 {
            return 0;
        }
        let permille = u128::from(self.cleanable_bytes) * 1000 / u128::from(self.total_bytes);
        u32::try_from(permille).unwrap_or(u32::MAX)
    }

    /// Whether `cleanable / total > permille / 1000`, compared exactly in integers.
    fn ratio_exceeds(&self, permille: u32) -> bool {
        u128::from(self.cleanable_bytes) * 1000
            > u128::from(permille) * u128::from(self.total_bytes)
    }
}

/// What the cleaner manager would decide about this log now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanCandidate {
    /// The range it would clean.
    pub offsets: CleanableOffsets,
    /// Its byte counts and dirty ratio.
    pub stats: CleaningStats,
    /// How long past `max.compaction.lag.ms` the oldest dirty segment is (0 if not).
    pub max_compaction_delay_ms: u64,
    /// `max.compaction.lag.ms` has been exceeded.
    pub need_compaction_now: bool,
    /// Whether a cleaner pass would run: overdue with dirty bytes, or dirty ratio above
    /// `min.cleanable.dirty.ratio`.
    pub cleanable: bool,
}

/// Why the cleaner dropped a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RemovalReason {
    /// A later record with the same key exists in the dirty section.
    Superseded {
        /// Offset of the latest record for the key.
        by_offset: u64,
    },
    /// A tombstone whose delete horizon had passed.
    TombstoneExpired {
        /// The horizon stamped by an earlier pass.
        delete_horizon_ms: u64,
    },
    /// A record without a key, which compaction cannot keep (`invalidMessage` in Kafka's stats).
    NoKey,
}

/// A record the cleaner removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemovedRecord {
    /// Its offset (now a gap).
    pub offset: u64,
    /// Its key.
    pub key: Option<Bytes>,
    /// Why it went.
    pub reason: RemovalReason,
}

/// A tombstone this pass kept and stamped with a delete horizon.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkedTombstone {
    /// The tombstone's offset.
    pub offset: u64,
    /// When it becomes removable: the pass's time plus `delete.retention.ms`.
    pub delete_horizon_ms: u64,
}

/// What one cleaner pass did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanOutcome {
    /// Where the dirty section started (the checkpoint the pass read).
    pub first_dirty_offset: u64,
    /// The new cleaner checkpoint: everything below it is now clean.
    pub end_offset: u64,
    /// The byte counts the cleaner manager saw when it chose this log.
    pub stats: CleaningStats,
    /// Their dirty ratio in thousandths.
    pub dirty_ratio_permille: u32,
    /// Whether the pass ran because `max.compaction.lag.ms` was exceeded.
    pub need_compaction_now: bool,
    /// Records removed, in offset order.
    pub removed: Vec<RemovedRecord>,
    /// `removed.len()`.
    pub records_removed: u64,
    /// How many of them were tombstones (expired, or superseded by a later record of the key).
    pub tombstones_removed: u64,
    /// Tombstones kept and stamped with a delete horizon, in offset order.
    pub marked_tombstones: Vec<MarkedTombstone>,
    /// Segments rewritten.
    pub segments_cleaned: u32,
    /// Segments they were rewritten into (groups merge small segments).
    pub segments_written: u32,
    /// Bytes of the rewritten segments before.
    pub bytes_read: u64,
    /// Bytes of the rewritten segments after.
    pub bytes_written: u64,
}

impl PartitionLog {
    /// Segment indices Kafka's `LogSegments.values(from, to)` returns: from the segment containing
    /// `from` (or the first) to the last one starting below `to`; empty if `from >= to`.
    fn segment_range(&self, from: u64, to: u64) -> std::ops::Range<usize> {
        if from >= to {
            return 0..0;
        }
        let start = self.floor_segment(from);
        let end = self
            .segments
            .partition_point(|segment| segment.base_offset < to);
        start..end.max(start)
    }

    /// `LogSegments.nonActiveLogSegmentsFrom(from)`.
    fn non_active_segments_from(&self, from: u64) -> std::ops::Range<usize> {
        let active_base = self.active().base_offset;
        if from > active_base {
            return 0..0;
        }
        self.segment_range(from, active_base)
    }

    /// `LogCleanerManager.cleanableOffsets`: the dirty range given the last checkpoint
    /// (`None` = never cleaned), the time, and the last stable offset (the high watermark here).
    pub fn cleanable_offsets(
        &self,
        last_clean_offset: Option<u64>,
        now_ms: u64,
        settings: &LogSettings,
        last_stable_offset: u64,
    ) -> CleanableOffsets {
        let log_start = self.log_start_offset;
        let checkpoint = last_clean_offset.unwrap_or(log_start);
        // A checkpoint outside the log (records deleted, or the log truncated) restarts from the
        // log start offset.
        let (first_dirty_offset, force_update_checkpoint) =
            if checkpoint < log_start || checkpoint > self.log_end_offset {
                (log_start, true)
            } else {
                (checkpoint, false)
            };
        let mut uncleanable = last_stable_offset
            .min(self.log_end_offset)
            .min(self.active().base_offset);
        if settings.min_compaction_lag_ms > 0 {
            // The first dirty non-active segment with a record newer than the lag stops cleaning.
            let horizon = i128::from(now_ms) - i128::from(settings.min_compaction_lag_ms);
            if let Some(segment) = self
                .segments_in(self.non_active_segments_from(first_dirty_offset))
                .find(|segment| i128::from(segment.largest_timestamp()) > horizon)
            {
                uncleanable = uncleanable.min(segment.base_offset);
            }
        }
        CleanableOffsets {
            first_dirty_offset,
            first_uncleanable_dirty_offset: first_dirty_offset.max(uncleanable),
            force_update_checkpoint,
        }
    }

    fn segments_in(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = &Segment> {
        self.segments.range(range)
    }

    /// `LogToClean` + `LogCleanerManager.calculateCleanableBytes` for a dirty range.
    pub fn cleaning_stats(
        &self,
        first_dirty_offset: u64,
        uncleanable_offset: u64,
    ) -> CleaningStats {
        let clean_bytes = self
            .segments
            .iter()
            .take_while(|segment| segment.base_offset < first_dirty_offset)
            .map(|segment| segment.bytes)
            .sum();
        let non_active = self.non_active_segments_from(uncleanable_offset);
        let first_uncleanable_offset = if non_active.is_empty() {
            self.active().base_offset
        } else {
            self.segments[non_active.start].base_offset
        };
        let cleanable_bytes: u64 = self
            .segments_in(self.segment_range(
                first_dirty_offset.min(first_uncleanable_offset),
                first_uncleanable_offset,
            ))
            .map(|segment| segment.bytes)
            .sum();
        CleaningStats {
            clean_bytes,
            cleanable_bytes,
            total_bytes: clean_bytes + cleanable_bytes,
            first_uncleanable_offset,
        }
    }

    /// `LogCleanerManager.maxCompactionDelay`: how far past `max.compaction.lag.ms` the earliest
    /// first-batch timestamp among the dirty non-active segments is (timestamps <= 0 ignored).
    fn max_compaction_delay(
        &self,
        first_dirty_offset: u64,
        now_ms: u64,
        settings: &LogSettings,
    ) -> u64 {
        let earliest = self
            .segments_in(self.non_active_segments_from(first_dirty_offset))
            .filter_map(|segment| segment.first_batch_timestamp_ms)
            .filter(|&timestamp| timestamp > 0)
            .min();
        let Some(earliest) = earliest else {
            return 0;
        };
        let clean_until = i128::from(now_ms) - i128::from(settings.max_compaction_lag_ms);
        let earliest = i128::from(earliest);
        if earliest < clean_until {
            u64::try_from(clean_until - earliest).unwrap_or(u64::MAX)
        } else {
            0
        }
    }

    fn candidate(
        &self,
        offsets: CleanableOffsets,
        now_ms: u64,
        settings: &LogSettings,
    ) -> CleanCandidate {
        let max_compaction_delay_ms =
            self.max_compaction_delay(offsets.first_dirty_offset, now_ms, settings);
        let stats = self.cleaning_stats(
            offsets.first_dirty_offset,
            offsets.first_uncleanable_dirty_offset,
        );
        let need_compaction_now = max_compaction_delay_ms > 0;
        let cleanable = stats.total_bytes > 0
            && ((need_compaction_now && stats.cleanable_bytes > 0)
                || stats.ratio_exceeds(settings.min_cleanable_dirty_ratio_permille));
        CleanCandidate {
            offsets,
            stats,
            max_compaction_delay_ms,
            need_compaction_now,
            cleanable,
        }
    }

    /// What the cleaner manager would see for this log now, with the high watermark at the log
    /// end; `None` unless the policy includes `compact` and the log has cleanable-or-clean bytes.
    pub fn cleaning_candidate(
        &self,
        now_ms: u64,
        settings: &LogSettings,
    ) -> Option<CleanCandidate> {
        if !settings.compact {
            return None;
        }
        let offsets = self.cleanable_offsets(
            self.cleaner_checkpoint,
            now_ms,
            settings,
            self.log_end_offset,
        );
        let candidate = self.candidate(offsets, now_ms, settings);
        (candidate.stats.total_bytes > 0).then_some(candidate)
    }

    /// One log-cleaner pass, if Kafka's cleaner would pick this log now (high watermark = log
    /// end). `None` when the policy lacks `compact` or there is nothing worth cleaning.
    pub fn clean(&mut self, now_ms: u64, settings: &LogSettings) -> Option<CleanOutcome> {
        let last_stable_offset = self.log_end_offset;
        self.clean_below(now_ms, settings, last_stable_offset)
    }

    /// [`PartitionLog::clean`] with an explicit last stable offset (the high watermark for
    /// non-transactional data): nothing at or above it is cleaned.
    pub fn clean_below(
        &mut self,
        now_ms: u64,
        settings: &LogSettings,
        last_stable_offset: u64,
    ) -> Option<CleanOutcome> {
        self.touch(now_ms);
        if !settings.compact {
            return None;
        }
        let offsets = self.cleanable_offsets(
            self.cleaner_checkpoint,
            now_ms,
            settings,
            last_stable_offset,
        );
        if offsets.force_update_checkpoint {
            // Kafka rewrites an invalid checkpoint even when it does not clean the log.
            self.cleaner_checkpoint = Some(offsets.first_dirty_offset);
        }
        let candidate = self.candidate(offsets, now_ms, settings);
        if !candidate.cleanable {
            return None;
        }
        self.do_clean(now_ms, settings, candidate)
    }

    /// `Cleaner.doClean`.
    fn do_clean(
        &mut self,
        now_ms: u64,
        settings: &LogSettings,
        candidate: CleanCandidate,
    ) -> Option<CleanOutcome> {
        let first_dirty = candidate.offsets.first_dirty_offset;
        let end = candidate.stats.first_uncleanable_offset;
        if first_dirty >= end {
            return None; // no dirty segment: Kafka's offset map would stay empty
        }
        // buildOffsetMap: the latest offset of every key in [first_dirty, end). Only looked up,
        // never iterated, so its order cannot leak into results.
        let mut latest: HashMap<Bytes, u64> = HashMap::new();
        let dirty_start = self.index_of(first_dirty);
        let dirty_end = self.index_of(end);
        for entry in self
            .records
            .iter_from(dirty_start)
            .take(dirty_end.saturating_sub(dirty_start))
        {
            if let Some(key) = &entry.record.key {
                latest.insert(key.clone(), entry.record.offset);
            }
        }

        // groupSegmentsBySize over every segment below `end`.
        let cleaned_count = self
            .segments
            .partition_point(|segment| segment.base_offset < end);
        let groups = self.group_segments_by_size(cleaned_count, end, settings.segment_bytes);

        // Copied out (the chunks may be shared with a checkpoint); the records after `dirty_end`
        // are put back behind the kept ones below.
        let old_records: Vec<Entry> = self.records.iter().take(dirty_end).cloned().collect();
        let old_segments: Vec<Segment> = self.segments.drain(..cleaned_count).collect();
        let mut kept: Vec<Entry> = Vec::with_capacity(old_records.len());
        let mut new_segments: Vec<Segment> = Vec::with_capacity(groups.len());
        let mut removed = Vec::new();
        let mut tombstones_removed = 0u64;
        let mut marked_tombstones = Vec::new();
        let mut old_iter = old_records.into_iter().peekable();
        for (group_index, group) in groups.iter().enumerate() {
            let first = &old_segments[group.start];
            let last = &old_segments[group.end - 1];
            let group_end = groups
                .get(group_index + 1)
                .map_or(end, |next| old_segments[next.start].base_offset);
            let mut segment = Segment {
                base_offset: first.base_offset,
                bytes: 0,
                records: 0,
                // The cleaned file is new; it keeps the group's last modification time.
                created_ms: now_ms,
                first_append_ms: first.first_append_ms,
                last_modified_ms: last.last_modified_ms,
                max_timestamp_ms: None,
                first_batch_timestamp_ms: None,
            };
            while let Some(mut entry) = old_iter.next_if(|entry| entry.record.offset < group_end) {
                if let Some(reason) = removal_reason(&entry, &latest, now_ms) {
                    if entry.record.value.is_none() {
                        tombstones_removed += 1;
                    }
                    removed.push(RemovedRecord {
                        offset: entry.record.offset,
                        key: entry.record.key.clone(),
                        reason,
                    });
                    continue;
                }
                if entry.record.value.is_none() && entry.delete_horizon_ms().is_none() {
                    // MemoryRecords.filterTo: a retained tombstone's batch is rewritten with
                    // deleteHorizonMs = now + delete.retention.ms as its base timestamp.
                    // (At most `u64::MAX - 1`: the largest stays "no horizon".)
                    let horizon = now_ms
                        .saturating_add(settings.delete_retention_ms)
                        .min(u64::MAX - 1);
                    entry.horizon_ms = horizon;
                    let delta = i128::from(entry.record.timestamp_ms) - i128::from(horizon);
                    let delta = i64::try_from(delta).unwrap_or(i64::MIN);
                    let stored = size::batch_size(
                        delta,
                        entry.record.key.as_ref().map(|key| key.len()),
                        None,
                        &entry.record.headers,
                    );
                    entry.bytes = u32::try_from(stored).unwrap_or(u32::MAX);
                    marked_tombstones.push(MarkedTombstone {
                        offset: entry.record.offset,
                        delete_horizon_ms: horizon,
                    });
                }
                let timestamp = entry.record.timestamp_ms;
                segment.bytes += u64::from(entry.bytes);
                segment.records += 1;
                segment.first_batch_timestamp_ms.get_or_insert(timestamp);
                segment.max_timestamp_ms = Some(
                    segment
                        .max_timestamp_ms
                        .map_or(timestamp, |max| max.max(timestamp)),
                );
                kept.push(entry);
            }
            new_segments.push(segment);
        }

        let bytes_read: u64 = old_segments.iter().map(|segment| segment.bytes).sum();
        let bytes_written: u64 = new_segments.iter().map(|segment| segment.bytes).sum();
        self.total_bytes = self
            .total_bytes
            .saturating_sub(bytes_read)
            .saturating_add(bytes_written);
        let segments_written = new_segments.len();
        for segment in new_segments.into_iter().rev() {
            self.segments.push_front(segment);
        }
        self.records.replace_front(dirty_end, kept);
        self.cleaner_checkpoint = Some(end);
        Some(CleanOutcome {
            first_dirty_offset: first_dirty,
            end_offset: end,
            dirty_ratio_permille: candidate.stats.dirty_ratio_permille(),
            stats: candidate.stats,
            need_compaction_now: candidate.need_compaction_now,
            records_removed: removed.len() as u64,
            tombstones_removed,
            removed,
            marked_tombstones,
            segments_cleaned: u32::try_from(old_segments.len()).unwrap_or(u32::MAX),
            segments_written: u32::try_from(segments_written).unwrap_or(u32::MAX),
            bytes_read,
            bytes_written,
        })
    }

    /// `Cleaner.groupSegmentsBySize` over the first `count` segments: consecutive runs whose total
    /// size fits `segment.bytes` and whose offsets fit a 32-bit relative offset from the group's
    /// base. Returns index ranges.
    fn group_segments_by_size(
        &self,
        count: usize,
        end: u64,
        segment_bytes: u32,
    ) -> Vec<std::ops::Range<usize>> {
        let max_size = u64::from(segment_bytes);
        let mut groups = Vec::new();
        let mut index = 0;
        while index < count {
            let start = index;
            let mut size = self.segments[index].bytes;
            index += 1;
            while index < count {
                let candidate = &self.segments[index];
                // Kafka bounds the candidate's last offset by the next segment's base (or the end).
                let candidate_last = if index + 1 < count {
                    self.segments[index + 1].base_offset.saturating_sub(1)
                } else {
                    end.saturating_sub(1)
                };
                let fits = size + candidate.bytes <= max_size;
                let offsets_fit = candidate.bytes == 0
                    || candidate_last.saturating_sub(self.segments[start].base_offset)
                        <= i32::MAX as u64;
                if !(fits && offsets_fit) {
                    break;
                }
                size += candidate.bytes;
                index += 1;
            }
            groups.push(start..index);
        }
        groups
    }
}

/// `Cleaner.shouldRetainRecord`, inverted: why `entry` goes, or `None` to keep it.
fn removal_reason(
    entry: &Entry,
    latest: &HashMap<Bytes, u64>,
    now_ms: u64,
) -> Option<RemovalReason> {
    let Some(key) = &entry.record.key else {
        return Some(RemovalReason::NoKey);
    };
    // A key absent from the map (only in the clean section) counts as latest, as Kafka's -1 does.
    if let Some(&by_offset) = latest.get(key)
        && entry.record.offset < by_offset
    {
        return Some(RemovalReason::Superseded { by_offset });
    }
    if entry.record.value.is_none()
        && let Some(delete_horizon_ms) = entry.delete_horizon_ms()
        && now_ms >= delete_horizon_ms
    {
        return Some(RemovalReason::TombstoneExpired { delete_horizon_ms });
    }
    None
}
