//! The few pieces of Java runtime behaviour that Kafka's assignors' results depend on.
//!
//! Kafka's assignors sort member ids and topic names with `String.compareTo` (UTF-16 code
//! units, not Rust's byte order) and iterate `HashMap`s/`HashSet`s whose order follows
//! `String.hashCode`/`TopicPartition.hashCode` and the table's capacity. Several results depend on
//! that order (which member keeps its partitions when too many own `maxQuota`, which moved
//! partition the general sticky path moves back), so this module reproduces it: a
//! [`JavaHashSet`] records each element's spread hash and insertion sequence and the table
//! capacity as `java.util.HashMap` would grow it, and lists elements in bucket order, insertion
//! order within a bucket. Invariant: for tables whose bins never hold nine or more colliding
//! entries at capacity 64+ (when Java turns a bin into a red-black tree) the listed order is
//! exactly Java's; treeified bins are listed in insertion order, an approximation.

use std::cmp::Ordering;

/// `java.lang.String.compareTo`: lexicographic over UTF-16 code units, shorter prefix first.
pub(crate) fn cmp_str(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// `java.lang.String.hashCode`: `s[0]*31^(n-1) + … + s[n-1]` over UTF-16 code units, wrapping.
pub(crate) fn string_hash(s: &str) -> i32 {
    s.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

/// `org.apache.kafka.common.TopicPartition.hashCode`: `31 * (31 + partition) + topic.hashCode()`.
pub(crate) fn topic_partition_hash(topic_hash: i32, partition: u32) -> i32 {
    31i32
        .wrapping_add(partition.cast_signed())
        .wrapping_mul(31)
        .wrapping_add(topic_hash)
}

/// `HashMap.hash`: the key's hash with its high half folded into the low half.
fn spread(hash: i32) -> u32 {
    let h = hash.cast_unsigned();
    h ^ (h >> 16)
}

/// `HashMap`'s initial table size when created with `new HashMap<>()`.
const DEFAULT_CAPACITY: u32 = 16;
/// A bin is treeified (or the table grown, below this capacity) when it reaches 9 nodes.
const MIN_TREEIFY_CAPACITY: u32 = 64;
const TREEIFY_THRESHOLD: usize = 8;

#[derive(Clone, Debug)]
struct Entry<T> {
    spread: u32,
    seq: u64,
    value: T,
}

/// The iteration order of a `java.util.HashSet` (or a `HashMap`'s key set) built with the
/// default constructor, under a sequence of inserts and removes.
#[derive(Clone, Debug)]
pub(crate) struct JavaHashSet<T> {
    capacity: u32,
    next_seq: u64,
    entries: Vec<Entry<T>>,
}

impl<T: Copy + PartialEq> JavaHashSet<T> {
    /// An empty set, as `new HashSet<>()`.
    pub(crate) fn new() -> Self {
        Self {
            capacity: DEFAULT_CAPACITY,
            next_seq: 0,
            entries: Vec::new(),
        }
    }

    fn bucket(&self, spread: u32) -> u32 {
        spread & (self.capacity - 1)
    }

    /// `add(value)` for an element whose Java `hashCode()` is `hash`; false if already present.
    pub(crate) fn insert(&mut self, hash: i32, value: T) -> bool {
        if self.entries.iter().any(|e| e.value == value) {
            return false;
        }
        let spread = spread(hash);
        let bucket = self.bucket(spread);
        let already_in_bin = self
            .entries
            .iter()
            .filter(|e| self.bucket(e.spread) == bucket)
            .count();
        self.entries.push(Entry {
            spread,
            seq: self.next_seq,
            value,
        });
        self.next_seq = self.next_seq.wrapping_add(1);
        // putVal: a bin that now holds 9+ nodes is treeified, which first grows a small table.
        if already_in_bin >= TREEIFY_THRESHOLD && self.capacity < MIN_TREEIFY_CAPACITY {
            self.capacity = self.capacity.saturating_mul(2);
        }
        // ++size > threshold (capacity * 0.75) grows the table. Growing keeps each bin's
        // relative order, so "bucket, then insertion sequence" stays the iteration order.
        let size = u64::try_from(self.entries.len()).unwrap_or(u64::MAX);
        if size > u64::from(self.capacity / 4 * 3) {
            self.capacity = self.capacity.saturating_mul(2);
        }
        true
    }

    /// `remove(value)`; the table never shrinks.
    pub(crate) fn remove(&mut self, value: T) -> bool {
        match self.entries.iter().position(|e| e.value == value) {
            Some(i) => {
                self.entries.remove(i);
                true
            }
            None => false,
        }
    }

    /// True when the set holds nothing.
    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// What `iterator().next()` returns.
    pub(crate) fn first(&self) -> Option<T> {
        self.entries
            .iter()
            .min_by_key(|e| (self.bucket(e.spread), e.seq))
            .map(|e| e.value)
    }

    /// Every element in iteration order.
    pub(crate) fn iteration_order(&self) -> Vec<T> {
        let mut sorted: Vec<&Entry<T>> = self.entries.iter().collect();
        crate::sim::sort::sort_by_key(&mut sorted, |e| (self.bucket(e.spread), e.seq));
        sorted.into_iter().map(|e| e.value).collect()
    }
}

/// The order in which Java iterates a `new HashMap<>()` whose String keys (given by their
/// `hashCode`s) were put in the given order: returns indexes into `hashes`.
pub(crate) fn hash_map_order(hashes: &[i32]) -> Vec<usize> {
    let mut set = JavaHashSet::new();
    for (i, &h) in hashes.iter().enumerate() {
        set.insert(h, i);
    }
    set.iteration_order()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_hash_matches_java() {
        // Values of "…".hashCode() as the JVM computes them.
        assert_eq!(string_hash(""), 0);
        assert_eq!(string_hash("a"), 97);
        assert_eq!(string_hash("consumer1").cast_unsigned(), 0xe6e7_fafb);
        assert_eq!(string_hash("c0"), 0xc2d);
    }

    #[test]
    fn string_order_is_utf16() {
        // U+1F600 sorts after U+FF5E in UTF-8 byte (and code point) order, but its UTF-16
        // surrogate pair starts with 0xD83D, which sorts before 0xFF5E.
        assert_eq!("\u{1F600}".cmp("\u{FF5E}"), Ordering::Greater);
        assert_eq!(cmp_str("\u{1F600}", "\u{FF5E}"), Ordering::Less);
        assert_eq!(cmp_str("a", "ab"), Ordering::Less);
    }

    #[test]
    fn hash_map_order_follows_buckets() {
        // consumer1..4 land in buckets 12, 11, 10, 9 of a 16-bucket table.
        let keys = ["consumer1", "consumer2", "consumer3", "consumer4"];
        let hashes: Vec<i32> = keys.iter().map(|k| string_hash(k)).collect();
        assert_eq!(hash_map_order(&hashes), vec![3, 2, 1, 0]);
    }

    #[test]
    fn colliding_bin_grows_small_table() {
        let mut set = JavaHashSet::new();
        for i in 0..8 {
            set.insert(i * 16, i);
        }
        // Eight keys share bin 0 of the 16-slot table: insertion order.
        assert_eq!(set.iteration_order(), (0..8).collect::<Vec<_>>());
        // The ninth makes the bin treeifiable, which doubles the small table to 32 slots and
        // splits the bin into even (slot 0) and odd (slot 16) multiples of 16.
        set.insert(8 * 16, 8);
        assert_eq!(set.iteration_order(), vec![0, 2, 4, 6, 8, 1, 3, 5, 7]);
    }

    #[test]
    fn spread_folds_high_bits() {
        let mut set = JavaHashSet::new();
        set.insert(0x0001_0000, 'a'); // spread 0x10001: slot 1
        set.insert(2, 'b'); // slot 2
        set.insert(0, 'c'); // slot 0
        assert_eq!(set.iteration_order(), vec!['c', 'a', 'b']);
        assert_eq!(set.first(), Some('c'));
        assert!(set.remove('c'));
        assert_eq!(set.first(), Some('a'));
    }
}
