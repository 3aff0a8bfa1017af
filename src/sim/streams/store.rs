//! Key-value stores and the record cache in front of them.
//!
//! Responsibility: a task's [`KeyValueStore`] (what `Stores.persistentTimestampedKeyValueStore`
//! holds: the latest value and its timestamp per serialized key) and the thread's
//! [`ThreadCache`] of [`NamedCache`]s, with Kafka's semantics (`ThreadCache`, `NamedCache`,
//! `CachingKeyValueStore`):
//!
//! - a read that misses the cache reads the store and puts the value in the cache as a clean
//!   entry; a write puts a dirty entry; a re-written key moves to the end of the dirty order
//!   ("first remove and then add", the arrival order of the records) and to the front of the
//!   LRU order;
//! - after every put, while the thread's caches together exceed `statestore.cache.max.bytes`,
//!   the least recently used entry of the cache just written is evicted; evicting a dirty entry
//!   flushes the whole named cache: the evicted entry first, then every other dirty entry in
//!   dirty order;
//! - a commit flushes every named cache the same way (without an evicted entry);
//! - an entry's size is Kafka's estimate: key bytes + 24 (LRU node) + 1 (dirty flag) + value
//!   bytes (the 8-byte timestamp and the serialized value) + 8 + 8 + 4 (timestamp, offset,
//!   partition) + the characters of the record's topic (clean entries read from the store have
//!   none).
//!
//! Flushed entries come back as [`DirtyEntry`] values; the task turns each into a store write
//! (and changelog record) plus a forward downstream, in order.
//!
//! Invariants: nothing here iterates a hash map into a result (maps are keyed by serialized
//! key with a fixed hasher; the LRU and dirty orders are linked lists through a named cache's
//! entry slots); a store never holds more than its `max_keys` keys (the write is refused with
//! an error instead); sizes never underflow; a named cache has no more slots than it ever held
//! entries at once (freed slots are reused).
//!
//! Simplified versus Kafka: the store keeps values deserialized (it compares and reports
//! them); record headers are not modelled (so they add nothing to entry sizes).

use crate::sim::vecmap::VecMap;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::sim::log::Bytes;
use crate::sim::streams::value::{Origin, StreamsError, Value};
use crate::sim::trace::Name;

// ---------------------------------------------------------------------------------------------
// A fixed hasher

/// The Fx hash (rustc's): fast for short keys, and seeded by nothing, so the engine reads no OS
/// randomness. Only lookups use it; no result depends on a map's iteration order.
#[derive(Clone, Copy, Debug, Default)]
pub struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 56));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        // Same value on 32- and 64-bit targets.
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A hash map with the fixed [`FxHasher`].
pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

// ---------------------------------------------------------------------------------------------
// The store

/// What a store holds for a key: the deserialized key, the value and its timestamp
/// (`ValueAndTimestamp`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredValue {
    /// The key, deserialized.
    pub key: Value,
    /// The value.
    pub value: Value,
    /// Its timestamp (the latest input timestamp that contributed), in ms.
    pub timestamp_ms: u64,
}

/// A key-value store of one task.
#[derive(Clone, Debug)]
pub struct KeyValueStore {
    name: Name,
    map: FxMap<Bytes, StoredValue>,
    max_keys: u32,
}

impl KeyValueStore {
    /// An empty store holding at most `max_keys` keys.
    pub fn new(name: Name, max_keys: u32) -> Self {
        Self {
            name,
            map: FxMap::default(),
            max_keys,
        }
    }

    /// Its name.
    pub fn name(&self) -> &Name {
        &self.name
    }

    /// The value for a serialized key.
    pub fn get(&self, key: &[u8]) -> Option<&StoredValue> {
        self.map.get(key)
    }

    /// Writes (`Some`) or deletes (`None`) a key; refuses a new key beyond the cap.
    pub fn put(&mut self, key: Bytes, value: Option<StoredValue>) -> Result<(), StreamsError> {
        match value {
            Some(value) => {
                if !self.map.contains_key(&key) && self.map.len() as u64 >= u64::from(self.max_keys)
                {
                    return Err(StreamsError::limit(format!(
                        "The store {} is full: the playground keeps at most {} keys per store and task.",
                        self.name, self.max_keys
                    )));
                }
                self.map.insert(key, value);
            }
            None => {
                self.map.remove(&key);
            }
        }
        Ok(())
    }

    /// [`KeyValueStore::put`] for a key the caller keeps: the key is shared only when it is
    /// new, and an existing key is updated in place (one lookup).
    pub fn put_shared(
        &mut self,
        key: &Bytes,
        value: Option<StoredValue>,
    ) -> Result<(), StreamsError> {
        match value {
            Some(value) => {
                if let Some(slot) = self.map.get_mut(&key[..]) {
                    *slot = value;
                    return Ok(());
                }
                self.put(key.clone(), Some(value))
            }
            None => {
                self.map.remove(&key[..]);
                Ok(())
            }
        }
    }

    /// Number of keys.
    pub fn len(&self) -> u64 {
        self.map.len() as u64
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Every entry, by serialized key (the order a RocksDB or in-memory store iterates in).
    pub fn entries(&self) -> Vec<(Bytes, StoredValue)> {
        let mut all: Vec<(Bytes, StoredValue)> = self
            .map
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        crate::sim::sort::sort_by(&mut all, |a, b| a.0.cmp(&b.0));
        all
    }
}

// ---------------------------------------------------------------------------------------------
// The record cache

/// A flushed cache entry: what the store and the downstream processors get.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirtyEntry {
    /// The serialized key.
    pub key: Bytes,
    /// The new value (`None`: a delete).
    pub value: Option<StoredValue>,
    /// The context of the record that last wrote it.
    pub origin: Option<Origin>,
}

#[derive(Clone, Debug)]
struct CacheEntry {
    /// The key again (the index's), so a slot knows its key.
    key: Bytes,
    value: Option<StoredValue>,
    /// Whether it is in the dirty order.
    dirty: bool,
    origin: Option<Origin>,
    size: u64,
}

/// No slot: the end of a list.
const NIL: u32 = u32::MAX;
/// The LRU order (eldest first).
const LRU: usize = 0;
/// The dirty order (order of last write).
const DIRTY: usize = 1;

/// A slot's neighbours in the two orders: `prev[o]` and `next[o]` for order `o` ([`LRU`],
/// [`DIRTY`]), [`NIL`] at an end or when not in the order.
#[derive(Clone, Copy, Debug)]
struct Links {
    prev: [u32; 2],
    next: [u32; 2],
}

const UNLINKED: Links = Links {
    prev: [NIL; 2],
    next: [NIL; 2],
};

/// One store's cache in one task (`NamedCache`).
///
/// Entries live in slots (freed slots are reused); the LRU and dirty orders are doubly linked
/// lists through the slots, as Kafka's `NamedCache` links its LRU nodes, so moving a key to
/// the end of an order is O(1) and reading an order never touches the hash index.
#[derive(Clone, Debug)]
pub struct NamedCache {
    /// Serialized key → slot.
    index: FxMap<Bytes, u32>,
    slots: Vec<Option<CacheEntry>>,
    links: Vec<Links>,
    /// Free slots, reused last freed first.
    free: Vec<u32>,
    /// First and last slot of each order.
    head: [u32; 2],
    tail: [u32; 2],
    dirty_len: u64,
    size_bytes: u64,
}

impl Default for NamedCache {
    fn default() -> Self {
        Self {
            index: FxMap::default(),
            slots: Vec::new(),
            links: Vec::new(),
            free: Vec::new(),
            head: [NIL; 2],
            tail: [NIL; 2],
            dirty_len: 0,
            size_bytes: 0,
        }
    }
}

/// Kafka's size estimate of a cache entry (see the module doc).
fn entry_size(
    key: &[u8],
    value: Option<&StoredValue>,
    value_bytes: u64,
    topic: Option<&str>,
) -> u64 {
    let value_len = if value.is_some() { 8 + value_bytes } else { 0 };
    // Java's `String.length()`: UTF-16 code units (one per byte for ASCII).
    let topic_len = topic.map_or(0, |t| {
        if t.is_ascii() {
            t.len() as u64
        } else {
            t.encode_utf16().count() as u64
        }
    });
    key.len() as u64 + 24 + 1 + value_len + 8 + 8 + 4 + topic_len
}

impl NamedCache {
    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Number of entries.
    pub fn len(&self) -> u64 {
        self.index.len() as u64
    }

    /// Bytes it accounts for.
    pub fn size_bytes(&self) -> u64 {
        self.size_bytes
    }

    /// Number of dirty entries.
    pub fn dirty_len(&self) -> u64 {
        self.dirty_len
    }

    fn entry_mut(&mut self, slot: u32) -> Option<&mut CacheEntry> {
        self.slots.get_mut(slot as usize)?.as_mut()
    }

    /// Takes `slot` out of order `o`.
    fn unlink(&mut self, o: usize, slot: u32) {
        let Some(&Links { prev, next }) = self.links.get(slot as usize) else {
            return;
        };
        let (prev, next) = (prev[o], next[o]);
        match self.links.get_mut(prev as usize) {
            Some(p) => p.next[o] = next,
            None => self.head[o] = next,
        }
        match self.links.get_mut(next as usize) {
            Some(n) => n.prev[o] = prev,
            None => self.tail[o] = prev,
        }
        if let Some(l) = self.links.get_mut(slot as usize) {
            l.prev[o] = NIL;
            l.next[o] = NIL;
        }
    }

    /// Appends `slot` (not in order `o`) to the end of order `o`.
    fn push_back(&mut self, o: usize, slot: u32) {
        let tail = self.tail[o];
        if let Some(l) = self.links.get_mut(slot as usize) {
            l.prev[o] = tail;
            l.next[o] = NIL;
        }
        match self.links.get_mut(tail as usize) {
            Some(t) => t.next[o] = slot,
            None => self.head[o] = slot,
        }
        self.tail[o] = slot;
    }

    /// A new slot holding `entry` (in no order yet).
    fn allocate(&mut self, entry: CacheEntry) -> u32 {
        if let Some(slot) = self.free.pop()
            && let (Some(s), Some(l)) = (
                self.slots.get_mut(slot as usize),
                self.links.get_mut(slot as usize),
            )
        {
            *s = Some(entry);
            *l = UNLINKED;
            return slot;
        }
        self.slots.push(Some(entry));
        self.links.push(UNLINKED);
        (self.slots.len() - 1) as u32
    }

    /// Removes the entry in `slot` from both orders and the index; returns it.
    fn remove_slot(&mut self, slot: u32) -> Option<CacheEntry> {
        let entry = self.slots.get_mut(slot as usize)?.take()?;
        self.unlink(LRU, slot);
        if entry.dirty {
            self.unlink(DIRTY, slot);
            self.dirty_len = self.dirty_len.saturating_sub(1);
        }
        self.index.remove(&entry.key);
        self.free.push(slot);
        self.size_bytes = self.size_bytes.saturating_sub(entry.size);
        Some(entry)
    }

    /// The entry for a key, moved to the front of the LRU order. `Some(None)` is a cached
    /// delete.
    fn get(&mut self, key: &[u8]) -> Option<Option<StoredValue>> {
        let slot = *self.index.get(key)?;
        self.unlink(LRU, slot);
        self.push_back(LRU, slot);
        Some(self.entry_mut(slot)?.value.clone())
    }

    /// Puts an entry; returns the change in bytes. An existing entry is updated in place,
    /// moved to the front of the LRU order and, when dirty, to the end of the dirty order.
    fn put(
        &mut self,
        key: Bytes,
        value: Option<StoredValue>,
        value_bytes: u64,
        dirty: bool,
        origin: Option<Origin>,
    ) -> i64 {
        let size = entry_size(
            &key,
            value.as_ref(),
            value_bytes,
            origin.as_ref().filter(|_| dirty).map(|o| &*o.topic),
        );
        let old_size = match self.index.get(&key).copied() {
            Some(slot) => {
                self.unlink(LRU, slot);
                self.push_back(LRU, slot);
                let Some(entry) = self.entry_mut(slot) else {
                    return 0;
                };
                let old_size = entry.size;
                let was_dirty = entry.dirty;
                entry.value = value;
                entry.origin = origin;
                entry.size = size;
                if dirty {
                    entry.dirty = true;
                    // Re-written: to the end of the dirty order.
                    if was_dirty {
                        self.unlink(DIRTY, slot);
                    } else {
                        self.dirty_len += 1;
                    }
                    self.push_back(DIRTY, slot);
                }
                old_size
            }
            None => {
                let slot = self.allocate(CacheEntry {
                    key: key.clone(),
                    value,
                    dirty,
                    origin,
                    size,
                });
                self.index.insert(key, slot);
                self.push_back(LRU, slot);
                if dirty {
                    self.push_back(DIRTY, slot);
                    self.dirty_len += 1;
                }
                0
            }
        };
        self.size_bytes = self
            .size_bytes
            .saturating_sub(old_size)
            .saturating_add(size);
        size as i64 - old_size as i64
    }

    /// Evicts the least recently used entry; a dirty one flushes the cache. Returns the change
    /// in bytes and what was flushed.
    fn evict(&mut self) -> (i64, Vec<DirtyEntry>) {
        let before = self.size_bytes;
        let Some(entry) = self.remove_slot(self.head[LRU]) else {
            return (0, Vec::new());
        };
        let flushed = if entry.dirty {
            self.flush(Some(DirtyEntry {
                key: entry.key,
                value: entry.value,
                origin: entry.origin,
            }))
        } else {
            Vec::new()
        };
        (self.size_bytes as i64 - before as i64, flushed)
    }

    /// Flushes: the evicted entry (if any), then every dirty entry in dirty order, all marked
    /// clean; cached deletes leave the cache.
    fn flush(&mut self, evicted: Option<DirtyEntry>) -> Vec<DirtyEntry> {
        let mut out: Vec<DirtyEntry> = Vec::with_capacity(
            usize::from(evicted.is_some()) + usize::try_from(self.dirty_len).unwrap_or(0),
        );
        out.extend(evicted);
        let mut deleted = Vec::new();
        let mut slot = self.head[DIRTY];
        while let Some(links) = self.links.get_mut(slot as usize) {
            let next = links.next[DIRTY];
            links.prev[DIRTY] = NIL;
            links.next[DIRTY] = NIL;
            if let Some(Some(entry)) = self.slots.get_mut(slot as usize) {
                entry.dirty = false;
                if entry.value.is_none() {
                    deleted.push(slot);
                }
                out.push(DirtyEntry {
                    key: entry.key.clone(),
                    value: entry.value.clone(),
                    origin: entry.origin.clone(),
                });
            }
            slot = next;
        }
        self.head[DIRTY] = NIL;
        self.tail[DIRTY] = NIL;
        self.dirty_len = 0;
        for slot in deleted {
            self.remove_slot(slot);
        }
        out
    }
}

/// The cache of one stream thread: its named caches share `statestore.cache.max.bytes`.
#[derive(Clone, Debug)]
pub struct ThreadCache {
    max_bytes: u64,
    size_bytes: u64,
    caches: VecMap<(u32, u32, u32), NamedCache>,
}

/// A named cache's key: (sub-topology, partition, store index).
pub type CacheKey = (u32, u32, u32);

impl ThreadCache {
    /// An empty cache of at most `max_bytes`.
    pub fn new(max_bytes: u64) -> Self {
        Self {
            max_bytes,
            size_bytes: 0,
            caches: VecMap::new(),
        }
    }

    /// `statestore.cache.max.bytes` for this thread.
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// Bytes in use.
    pub fn size_bytes(&self) -> u64 {
        self.size_bytes
    }

    /// One named cache.
    pub fn named(&self, key: CacheKey) -> Option<&NamedCache> {
        self.caches.get(&key)
    }

    fn adjust(&mut self, delta: i64) {
        self.size_bytes = if delta >= 0 {
            self.size_bytes.saturating_add(delta as u64)
        } else {
            self.size_bytes.saturating_sub(delta.unsigned_abs())
        };
    }

    /// A cached value: `Some(Some(v))` hit, `Some(None)` a cached delete, `None` a miss.
    pub fn get(&mut self, cache: CacheKey, key: &[u8]) -> Option<Option<StoredValue>> {
        self.caches.get_mut(&cache)?.get(key)
    }

    /// Puts an entry (dirty for a write, clean for a value read from the store) and evicts
    /// while over budget; returns the entries the evictions flushed, in order.
    pub fn put(
        &mut self,
        cache: CacheKey,
        key: Bytes,
        value: Option<StoredValue>,
        value_bytes: u64,
        dirty: bool,
        origin: Option<Origin>,
    ) -> Vec<DirtyEntry> {
        let named = self.caches.entry(cache).or_default();
        let delta = named.put(key, value, value_bytes, dirty, origin);
        self.adjust(delta);
        let mut flushed = Vec::new();
        while self.size_bytes > self.max_bytes {
            let Some(named) = self.caches.get_mut(&cache) else {
                break;
            };
            if named.is_empty() {
                break;
            }
            let (delta, mut out) = named.evict();
            self.adjust(delta);
            flushed.append(&mut out);
        }
        flushed
    }

    /// Flushes one named cache (a commit): its dirty entries in dirty order.
    pub fn flush(&mut self, cache: CacheKey) -> Vec<DirtyEntry> {
        let Some(named) = self.caches.get_mut(&cache) else {
            return Vec::new();
        };
        let before = named.size_bytes;
        let out = named.flush(None);
        let delta = named.size_bytes as i64 - before as i64;
        self.adjust(delta);
        out
    }

    /// Whether any named cache holds a dirty entry.
    pub fn has_dirty(&self) -> bool {
        self.caches.values().any(|c| c.dirty_len > 0)
    }

    /// Drops a task's caches (the task is closed).
    pub fn remove_task(&mut self, subtopology: u32, partition: u32) {
        let keys: Vec<CacheKey> = self
            .caches
            .keys()
            .filter(|(s, p, _)| *s == subtopology && *p == partition)
            .copied()
            .collect();
        for key in keys {
            if let Some(named) = self.caches.remove(&key) {
                self.adjust(-(named.size_bytes as i64));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(n: i64) -> Option<StoredValue> {
        Some(StoredValue {
            key: Value::from("k"),
            value: Value::Long(n),
            timestamp_ms: 0,
        })
    }

    fn key(text: &str) -> Bytes {
        Bytes::from(text.as_bytes())
    }

    #[test]
    fn rewrites_coalesce_and_move_to_the_end_of_the_dirty_order() {
        let mut cache = ThreadCache::new(1_000_000);
        let c = (0, 0, 0);
        for (k, n) in [("a", 1), ("b", 1), ("a", 2)] {
            assert!(cache.put(c, key(k), stored(n), 8, true, None).is_empty());
        }
        let flushed = cache.flush(c);
        let keys: Vec<&[u8]> = flushed.iter().map(|e| &e.key[..]).collect();
        assert_eq!(keys, vec![&b"b"[..], &b"a"[..]]);
        assert_eq!(flushed[1].value, stored(2));
        assert!(cache.flush(c).is_empty());
    }

    #[test]
    fn pressure_evicts_the_eldest_and_flushes_every_dirty_entry() {
        let one = entry_size(b"a", stored(1).as_ref(), 8, None);
        let mut cache = ThreadCache::new(one * 2);
        let c = (1, 0, 0);
        assert!(cache.put(c, key("a"), stored(1), 8, true, None).is_empty());
        assert!(cache.put(c, key("b"), stored(1), 8, true, None).is_empty());
        // A read of "a" makes "b" the eldest.
        assert_eq!(cache.get(c, b"a"), Some(stored(1)));
        let flushed = cache.put(c, key("c"), stored(1), 8, true, None);
        let keys: Vec<&[u8]> = flushed.iter().map(|e| &e.key[..]).collect();
        assert_eq!(keys, vec![&b"b"[..], &b"a"[..], &b"c"[..]]);
        assert!(cache.size_bytes() <= one * 2);
    }

    #[test]
    fn a_full_store_refuses_new_keys() {
        let mut store = KeyValueStore::new(Name::from("s"), 1);
        assert!(store.put(key("a"), stored(1)).is_ok());
        assert!(store.put(key("a"), stored(2)).is_ok());
        assert!(store.put(key("b"), stored(1)).is_err());
        assert_eq!(store.len(), 1);
    }
}
