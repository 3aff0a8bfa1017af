//! The retention check (`UnifiedLog.deleteOldSegments`): which whole segments Kafka deletes now.
//!
//! Three passes in Kafka's order — segments wholly below the log start offset, then
//! `retention.bytes`, then `retention.ms` — each walking from the oldest segment and stopping at
//! the first one that may not go (`deletableSegments`). A segment is only eligible if the high
//! watermark has reached the next segment's base offset (or the log end, for the active one), so
//! the log start offset never passes the high watermark; an empty active segment is never
//! deleted. When every segment is deletable, Kafka first rolls a new empty active segment at the
//! log end offset (`deleteSegments`: "we must always have at least one segment"), so a breached
//! active segment is deleted too and the log start offset jumps to the log end offset.
//! Simplified versus Kafka: no tiered storage (`local.retention.*`), and segment files have no
//! real modification time — a segment's last-modified time is its last append (kept by cleaning).

use super::{LogSettings, PartitionLog, Segment, SegmentInfo};

/// Which retention rule deleted a segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeletionReason {
    /// The next segment starts at or below the log start offset (after a `DeleteRecords`):
    /// `deleteLogStartOffsetBreachedSegments`, which runs whatever the cleanup policy.
    LogStartOffsetBreach,
    /// The log was larger than `retention.bytes` by at least this segment's size.
    RetentionSize,
    /// The segment's largest timestamp is more than `retention.ms` before now.
    RetentionTime,
}

impl std::fmt::Display for DeletionReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::LogStartOffsetBreach => "log start offset breach",
            Self::RetentionSize => "retention.bytes breach",
            Self::RetentionTime => "retention.ms breach",
        })
    }
}

/// One segment deleted by [`PartitionLog::enforce_retention`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetentionDeletion {
    /// Why it went.
    pub reason: DeletionReason,
    /// The segment as it was just before deletion.
    pub segment: SegmentInfo,
    /// Readable records that went with it (`segment.record_count`).
    pub records: u64,
    /// The log start offset after the pass that deleted it.
    pub new_log_start_offset: u64,
    /// Whether it was the active segment, which Kafka rolled first so that it could be deleted.
    pub rolled_active: bool,
}

impl PartitionLog {
    /// Kafka's periodic retention check (`log.retention.check.interval.ms`), assuming the high
    /// watermark is the log end offset (a fully replicated partition).
    /// With `cleanup.policy` containing `delete`: log-start, size and time retention; otherwise
    /// only segments wholly below the log start offset (left by `DeleteRecords`) are deleted.
    pub fn enforce_retention(
        &mut self,
        now_ms: u64,
        settings: &LogSettings,
    ) -> Vec<RetentionDeletion> {
        let high_watermark = self.log_end_offset;
        self.enforce_retention_below(now_ms, settings, high_watermark)
    }

    /// [`PartitionLog::enforce_retention`] with an explicit high watermark: no segment containing
    /// offsets at or above it is deleted.
    pub fn enforce_retention_below(
        &mut self,
        now_ms: u64,
        settings: &LogSettings,
        high_watermark: u64,
    ) -> Vec<RetentionDeletion> {
        self.touch(now_ms);
        let mut deleted = Vec::new();
        self.delete_log_start_offset_breached(now_ms, high_watermark, &mut deleted);
        if settings.delete {
            self.delete_retention_size_breached(now_ms, settings, high_watermark, &mut deleted);
            self.delete_retention_ms_breached(now_ms, settings, high_watermark, &mut deleted);
        }
        deleted
    }

    fn delete_log_start_offset_breached(
        &mut self,
        now_ms: u64,
        high_watermark: u64,
        deleted: &mut Vec<RetentionDeletion>,
    ) {
        let log_start = self.log_start_offset;
        let count = self.deletable_segments(high_watermark, |_, next| {
            next.is_some_and(|next| next.base_offset <= log_start)
        });
        self.delete_segments(count, DeletionReason::LogStartOffsetBreach, now_ms, deleted);
    }

    fn delete_retention_size_breached(
        &mut self,
        now_ms: u64,
        settings: &LogSettings,
        high_watermark: u64,
        deleted: &mut Vec<RetentionDeletion>,
    ) {
        let Ok(retention_bytes) = u64::try_from(settings.retention_bytes) else {
            return; // negative: unlimited
        };
        let size = self.total_bytes;
        if size < retention_bytes {
            return;
        }
        // Delete oldest segments while the excess still covers the whole segment.
        let mut excess = size - retention_bytes;
        let count = self.deletable_segments(high_watermark, |segment, _| {
            if excess >= segment.bytes {
                excess -= segment.bytes;
                true
            } else {
                false
            }
        });
        self.delete_segments(count, DeletionReason::RetentionSize, now_ms, deleted);
    }

    fn delete_retention_ms_breached(
        &mut self,
        now_ms: u64,
        settings: &LogSettings,
        high_watermark: u64,
        deleted: &mut Vec<RetentionDeletion>,
    ) {
        if settings.retention_ms < 0 {
            return; // unlimited
        }
        let retention_ms = i128::from(settings.retention_ms);
        // A segment holding a future timestamp is never old enough (Kafka logs a warning).
        let count = self.deletable_segments(high_watermark, |segment, _| {
            i128::from(now_ms) - i128::from(segment.largest_timestamp()) > retention_ms
        });
        self.delete_segments(count, DeletionReason::RetentionTime, now_ms, deleted);
    }

    /// `UnifiedLog.deletableSegments`: how many leading segments may go. Walks from the oldest and
    /// stops at the first segment that is beyond the high watermark, fails the predicate, or is
    /// the empty active segment. The predicate is only asked about segments below the high
    /// watermark (it may count, like the size rule).
    fn deletable_segments(
        &self,
        high_watermark: u64,
        mut predicate: impl FnMut(&Segment, Option<&Segment>) -> bool,
    ) -> usize {
        let mut count = 0;
        for (index, segment) in self.segments.iter().enumerate() {
            let next = self.segments.get(index + 1);
            let is_last_and_empty = next.is_none() && segment.bytes == 0;
            let upper_bound = next.map_or(self.log_end_offset, |next| next.base_offset);
            let eligible = high_watermark >= upper_bound && predicate(segment, next);
            if eligible && !is_last_and_empty {
                count += 1;
            } else {
                break;
            }
        }
        count
    }

    /// `UnifiedLog.deleteSegments`: delete the `count` oldest segments, rolling first if that is
    /// all of them, and move the log start offset to the base of the first survivor.
    fn delete_segments(
        &mut self,
        count: usize,
        reason: DeletionReason,
        now_ms: u64,
        deleted: &mut Vec<RetentionDeletion>,
    ) {
        if count == 0 {
            return;
        }
        let infos = self.segments();
        let rolled_active = count == self.segments.len();
        if rolled_active {
            // The active segment is non-empty here (deletable_segments never picks an empty one),
            // so this always adds a new segment rather than replacing it.
            self.roll_at(self.log_end_offset, now_ms);
        }
        for _ in 0..count {
            if let Some(segment) = self.segments.pop_front() {
                self.total_bytes = self.total_bytes.saturating_sub(segment.bytes);
            }
        }
        let new_start = self
            .segments
            .front()
            .map_or(self.log_end_offset, |segment| segment.base_offset);
        self.log_start_offset = self.log_start_offset.max(new_start);
        for (index, info) in infos.into_iter().take(count).enumerate() {
            deleted.push(RetentionDeletion {
                reason,
                records: info.record_count,
                new_log_start_offset: self.log_start_offset,
                rolled_active: rolled_active && index + 1 == count,
                segment: info,
            });
        }
        // Records below it belonged to the deleted segments, whose bytes are already gone.
        while self
            .records
            .front()
            .is_some_and(|entry| entry.record.offset < self.log_start_offset)
        {
            self.records.drop_front();
        }
    }
}
