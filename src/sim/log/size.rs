//! Byte accounting: how many bytes one record occupies on a Kafka broker's disk.
//!
//! Also the two sizes a produce is checked with: the producer's upper bound
//! ([`batch_size_upper_bound`], against `max.request.size`) and the size of the batch it sends
//! ([`produce_batch_size`], against the topic's `max.message.bytes`).
//!
//! Every append in the simulation writes one uncompressed record batch (magic v2) holding one
//! record, so a record's size is the batch header (`DefaultRecordBatch.RECORD_BATCH_OVERHEAD`,
//! 61 bytes) plus the record as `DefaultRecord.sizeInBytes` encodes it. Segment sizes, rolling by
//! `segment.bytes`, `retention.bytes` and the cleaner's dirty ratio all add these numbers, so they
//! match what Kafka would count for the same single-record produce requests. Simplified versus
//! Kafka: no compression and no multi-record batches (a producer that batches shares one 61-byte
//! header between several records; here every record pays for its own).

use super::Header;

/// `DefaultRecordBatch.RECORD_BATCH_OVERHEAD`: the v2 batch header (base offset 8, length 4,
/// partition leader epoch 4, magic 1, CRC 4, attributes 2, last offset delta 4, base timestamp 8,
/// max timestamp 8, producer id 8, producer epoch 2, base sequence 4, record count 4).
pub(crate) const RECORD_BATCH_OVERHEAD: u64 = 61;

/// Bytes of an unsigned LEB128 varint holding `value` (`ByteUtils.sizeOfUnsignedVarlong`).
fn unsigned_varint_size(value: u64) -> u64 {
    let mut size = 1;
    let mut rest = value >> 7;
    while rest != 0 {
        size += 1;
        rest >>= 7;
    }
    size
}

/// Bytes of a zig-zag varint holding `value` (`ByteUtils.sizeOfVarint` / `sizeOfVarlong`).
fn varint_size(value: i64) -> u64 {
    // Zig-zag maps small magnitudes of either sign to small unsigned numbers.
    unsigned_varint_size(((value << 1) ^ (value >> 63)) as u64)
}

/// A length as Kafka's `int` would see it; nothing here comes close, but never wrap.
fn len_i64(len: usize) -> i64 {
    i64::try_from(len).unwrap_or(i64::MAX)
}

/// Bytes of a nullable length-prefixed byte field: `varint(-1)` (one byte) for null, else
/// `varint(len) + len`.
fn nullable_field_size(len: Option<usize>) -> u64 {
    match len {
        None => varint_size(-1),
        Some(len) => varint_size(len_i64(len)).saturating_add(len as u64),
    }
}

/// `DefaultRecord.MAX_RECORD_OVERHEAD`: the most a record's length, attributes, timestamp
/// delta and offset delta can take (5 + 1 + 10 + 5 bytes), whatever the batch.
pub(crate) const MAX_RECORD_OVERHEAD: u64 = 21;

/// `DefaultRecord.sizeOf`: the key and value fields, the header count and the headers.
fn fields_size(key_len: Option<usize>, value_len: Option<usize>, headers: &[Header]) -> u64 {
    let mut size = nullable_field_size(key_len).saturating_add(nullable_field_size(value_len));
    size = size.saturating_add(varint_size(len_i64(headers.len())));
    for header in headers {
        let key_len = header.key.len();
        size = size
            .saturating_add(varint_size(len_i64(key_len)))
            .saturating_add(key_len as u64)
            .saturating_add(nullable_field_size(
                header.value.as_ref().map(|value| value.len()),
            ));
    }
    size
}

/// `DefaultRecord.sizeInBytes`: one record inside a batch, `offset_delta` after the batch's
/// first and `timestamp_delta` ms after its base timestamp:
/// `body = 1 (attributes) + varint(offset delta) + varlong(timestamp delta) + fields`,
/// `record = varint(body) + body`.
pub(crate) fn record_size(
    offset_delta: u32,
    timestamp_delta: i64,
    key_len: Option<usize>,
    value_len: Option<usize>,
    headers: &[Header],
) -> u64 {
    let body = 1u64
        .saturating_add(varint_size(i64::from(offset_delta)))
        .saturating_add(varint_size(timestamp_delta))
        .saturating_add(fields_size(key_len, value_len, headers));
    body.saturating_add(varint_size(i64::try_from(body).unwrap_or(i64::MAX)))
}

/// Size in bytes of a single-record v2 batch, exactly as Kafka writes it uncompressed.
///
/// `timestamp_delta` is the record's timestamp minus the batch's base timestamp: 0 when the
/// producer wrote the batch, and `timestamp - deleteHorizonMs` once the cleaner has stamped a
/// delete horizon on a tombstone's batch (`MemoryRecordsBuilder` then uses the horizon as the
/// base timestamp, so the delta, and the size, grow).
///
/// Formula (`DefaultRecord.sizeOfBodyInBytes` + `sizeInBytes`, with `varint` = zig-zag LEB128):
/// `body = 1 (attributes) + varint(0) (offset delta) + varlong(timestamp_delta)
///        + key field + value field + varint(header count)
///        + Σ (varint(utf8 key len) + key len + header value field)`,
/// where a field is `varint(-1)` = 1 byte when null, else `varint(len) + len`;
/// `record = varint(body) + body`; `batch = 61 + record`.
pub(crate) fn batch_size(
    timestamp_delta: i64,
    key_len: Option<usize>,
    value_len: Option<usize>,
    headers: &[Header],
) -> u64 {
    RECORD_BATCH_OVERHEAD.saturating_add(record_size(
        0,
        timestamp_delta,
        key_len,
        value_len,
        headers,
    ))
}

/// `DefaultRecordBatch.estimateBatchSizeUpperBound` (via `AbstractRecords.
/// estimateSizeInBytesUpperBound`), the size `KafkaProducer.doSend` checks against
/// `max.request.size` and `buffer.memory`: `61 + MAX_RECORD_OVERHEAD (21) + fields`.
pub fn batch_size_upper_bound(
    key_len: Option<usize>,
    value_len: Option<usize>,
    headers: &[Header],
) -> u64 {
    RECORD_BATCH_OVERHEAD
        .saturating_add(MAX_RECORD_OVERHEAD)
        .saturating_add(fields_size(key_len, value_len, headers))
}

/// The size of the v2 batch a producer sends for `records` (timestamp, key length, value
/// length, headers), uncompressed: the 61-byte header plus each record with its offset delta
/// and its timestamp delta from the first record's (`MemoryRecordsBuilder`). This is what the
/// leader checks against `max.message.bytes`.
pub fn produce_batch_size<'a>(
    records: impl IntoIterator<Item = (u64, Option<usize>, Option<usize>, &'a [Header])>,
) -> u64 {
    let mut size = RECORD_BATCH_OVERHEAD;
    let mut base_ms = None;
    for (offset_delta, (timestamp_ms, key_len, value_len, headers)) in (0u32..).zip(records) {
        let base = *base_ms.get_or_insert(timestamp_ms);
        let delta = i64::try_from(timestamp_ms)
            .unwrap_or(i64::MAX)
            .saturating_sub(i64::try_from(base).unwrap_or(i64::MAX));
        size = size.saturating_add(record_size(
            offset_delta,
            delta,
            key_len,
            value_len,
            headers,
        ));
    }
    size
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_match_kafka_byte_utils() {
        // Zig-zag: 0 → 0, -1 → 1, 63 → 126 (one byte); 64 → 128 needs two.
        assert_eq!(varint_size(0), 1);
        assert_eq!(varint_size(-1), 1);
        assert_eq!(varint_size(63), 1);
        assert_eq!(varint_size(64), 2);
        assert_eq!(varint_size(-64), 1);
        assert_eq!(varint_size(-65), 2);
        assert_eq!(varint_size(8191), 2);
        assert_eq!(varint_size(8192), 3);
        assert_eq!(varint_size(i64::MIN), 10);
        assert_eq!(varint_size(i64::MAX), 10);
    }

    #[test]
    fn singleton_record_sizes() {
        // TestUtils.singletonRecords("test".getBytes()): null key, 4-byte value. Body: attributes 1,
        // offset delta 1, timestamp delta 1, null key 1, value 1 + 4, header count 1 = 10;
        // length prefix 1; batch header 61 → 72.
        assert_eq!(batch_size(0, None, Some(4), &[]), 72);
        // With key "test" too: the null key's 1 byte becomes 1 + 4 → 76.
        assert_eq!(batch_size(0, Some(4), Some(4), &[]), 76);
        // A tombstone (null value) with key "k".
        assert_eq!(batch_size(0, Some(1), None, &[]), 69);
    }

    #[test]
    fn headers_and_large_fields_count() {
        let headers = vec![
            Header {
                key: "trace".to_string(),
                value: Some(std::rc::Rc::from(&b"abc"[..])),
            },
            Header {
                key: "é".to_string(), // two UTF-8 bytes
                value: None,
            },
        ];
        // body: 1 + 1 + 1 + null key 1 + null value 1 + header count 1
        //       + (1 + 5 + 1 + 3) + (1 + 2 + 1) = 20; + 1 length; + 61.
        assert_eq!(batch_size(0, None, None, &headers), 82);
        // A 100-byte value needs a two-byte length varint (zig-zag 200); the body is then
        // 1 + 1 + 1 + 1 + (2 + 100) + 1 = 107 bytes, whose own length prefix takes two more.
        assert_eq!(batch_size(0, None, Some(100), &[]), 61 + 2 + 107);
    }

    /// `KafkaProducer.doSend` checks `AbstractRecords.estimateSizeInBytesUpperBound`: for a
    /// null key and a 1,048,489-byte value, 61 + 21 + (1 + 3 + 1,048,489 + 1) = 1,048,576, the
    /// default `max.request.size` exactly; one byte more is 1,048,577. The batch actually
    /// written is smaller: 61 + 3 + 1,048,497 = 1,048,561 (under `message.max.bytes`
    /// 1,048,588).
    #[test]
    fn the_producers_upper_bound_is_kafkas() {
        assert_eq!(
            batch_size_upper_bound(None, Some(1_048_489), &[]),
            1_048_576
        );
        assert_eq!(
            batch_size_upper_bound(None, Some(1_048_490), &[]),
            1_048_577
        );
        assert_eq!(batch_size(0, None, Some(1_048_489), &[]), 1_048_561);
        // `DefaultRecordBatchTest`-style small case: "test" value, null key: 61 + 21 + 7.
        assert_eq!(batch_size_upper_bound(None, Some(4), &[]), 89);
    }

    /// A batch of several records pays the 61-byte header once; each record carries its offset
    /// delta and its timestamp delta from the first (`MemoryRecordsBuilder.appendWithOffset`).
    #[test]
    fn a_produced_batch_shares_one_header() {
        let none: &[Header] = &[];
        let one = produce_batch_size([(5, None, Some(4), none)]);
        assert_eq!(one, batch_size(0, None, Some(4), &[]));
        let three = produce_batch_size([
            (5, None, Some(4), none),
            (5, None, Some(4), none),
            (1_005, None, Some(4), none),
        ]);
        // Records of 11 bytes (delta 0, 0) and 12 (timestamp delta 1000 needs 2 bytes).
        assert_eq!(three, 61 + 11 + 11 + 12);
    }

    #[test]
    fn delete_horizon_delta_grows_the_batch() {
        // A tombstone stamped with a horizon one day after its timestamp: the delta is
        // -86_400_000, zig-zag 172_799_999, which needs 4 varint bytes instead of 1.
        let plain = batch_size(0, Some(1), None, &[]);
        let stamped = batch_size(-86_400_000, Some(1), None, &[]);
        assert_eq!(stamped, plain + 3);
    }
}
