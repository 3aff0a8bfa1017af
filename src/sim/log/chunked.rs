//! A double-ended sequence kept as `Rc`-shared, immutable chunks of [`CHUNK`] items plus a
//! short mutable tail, so that cloning it copies a pointer per chunk and at most `CHUNK - 1`
//! items: the Playground's timeline checkpoints a whole `World` every few virtual seconds, and
//! with this the checkpoints share every record they have in common instead of each holding a
//! copy.
//!
//! Invariants: every sealed chunk holds exactly `CHUNK` items; the tail holds fewer; the
//! sequence is the concatenation of the sealed chunks and the tail with its first `skip` items
//! removed (items popped from the front stay in their chunk until the whole chunk goes, so at
//! most `CHUNK - 1` dead items are held); `skip < CHUNK` while a chunk is sealed, and
//! `skip <= tail.len()` otherwise. Appending and popping at either end is O(1) amortised (popping
//! the back past the tail copies one chunk back into it); indexing is O(1); anything that
//! rewrites the middle (the log cleaner, `retain`) rebuilds the chunks, O(n).
//!
//! Also the world's ring of recent trace events, for the same reason.

use std::collections::VecDeque;
use std::rc::Rc;

/// Items per sealed chunk: small enough that the copied tail stays cheap, large enough that
/// a 5 000-record partition is a few dozen pointers.
pub const CHUNK: usize = 128;

/// See the module documentation.
#[derive(Clone)]
pub struct Chunked<T> {
    /// Full chunks, oldest first, shared between clones.
    sealed: VecDeque<Rc<[T]>>,
    /// The newest items (fewer than `CHUNK`), owned by this copy.
    tail: Vec<T>,
    /// Dead items at the front of the first chunk (or of the tail when nothing is sealed).
    skip: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Self {
            sealed: VecDeque::new(),
            tail: Vec::new(),
            skip: 0,
        }
    }
}

impl<T: Clone> Chunked<T> {
    /// An empty sequence.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.sealed.len() * CHUNK + self.tail.len() - self.skip
    }

    /// Whether it holds no item.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends at the back; a full tail is sealed into a shared chunk.
    pub fn push_back(&mut self, item: T) {
        self.tail.push(item);
        if self.tail.len() == CHUNK {
            let chunk: Rc<[T]> = self.tail.drain(..).collect();
            self.sealed.push_back(chunk);
        }
    }

    /// Removes the front item (no-op when empty).
    pub fn drop_front(&mut self) {
        if self.is_empty() {
            return;
        }
        self.skip += 1;
        self.normalise();
    }

    /// Removes the back item (no-op when empty). When the tail is empty the last sealed chunk is
    /// copied back into it first.
    pub fn drop_back(&mut self) {
        if self.is_empty() {
            return;
        }
        if self.tail.is_empty()
            && let Some(chunk) = self.sealed.pop_back()
        {
            self.tail = chunk.to_vec();
        }
        self.tail.pop();
        self.normalise();
    }

    /// Restores the invariants after a pop: frees a wholly dead chunk or tail.
    fn normalise(&mut self) {
        if self.sealed.is_empty() {
            if self.skip >= self.tail.len() {
                self.tail.clear();
                self.skip = 0;
            }
        } else if self.skip >= CHUNK {
            self.sealed.pop_front();
            self.skip -= CHUNK;
            if self.sealed.is_empty() && self.skip >= self.tail.len() {
                self.tail.clear();
                self.skip = 0;
            }
        }
    }

    /// Removes every item.
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// The item at `index`, if any.
    pub fn get(&self, index: usize) -> Option<&T> {
        if index >= self.len() {
            return None;
        }
        let position = self.skip + index;
        let sealed_items = self.sealed.len() * CHUNK;
        if position < sealed_items {
            self.sealed
                .get(position / CHUNK)
                .and_then(|chunk| chunk.get(position % CHUNK))
        } else {
            self.tail.get(position - sealed_items)
        }
    }

    /// The first item.
    pub fn front(&self) -> Option<&T> {
        self.get(0)
    }

    /// The last item.
    pub fn back(&self) -> Option<&T> {
        self.len().checked_sub(1).and_then(|last| self.get(last))
    }

    /// Index of the first item for which `pred` is false, assuming the items are partitioned
    /// (all `true` before all `false`), as `VecDeque::partition_point`. O(log n).
    pub fn partition_point(&self, mut pred: impl FnMut(&T) -> bool) -> usize {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = low + (high - low) / 2;
            if self.get(middle).is_some_and(&mut pred) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }

    /// The items from index `start` on, in order.
    pub fn iter_from(&self, start: usize) -> impl Iterator<Item = &T> + '_ {
        let position = self.skip + start.min(self.len());
        let first = position / CHUNK;
        let within = position % CHUNK;
        let sealed_items = self.sealed.len() * CHUNK;
        let chunks = self
            .sealed
            .range(first.min(self.sealed.len())..)
            .enumerate()
            .map(move |(index, chunk)| {
                if index == 0 {
                    &chunk[within..]
                } else {
                    &chunk[..]
                }
            });
        let tail_from = position.saturating_sub(sealed_items).min(self.tail.len());
        chunks
            .chain(std::iter::once(&self.tail[tail_from..]))
            .flatten()
    }

    /// Every item, in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.iter_from(0)
    }

    /// Replaces the first `count` items with `items` (the log cleaner's rewrite); rebuilds the
    /// chunks, O(n).
    pub fn replace_front(&mut self, count: usize, items: Vec<T>) {
        let mut all = items;
        all.extend(self.iter_from(count).cloned());
        *self = all.into_iter().collect();
    }

    /// Keeps only the items `keep` accepts; rebuilds the chunks, O(n).
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        *self = self.iter().filter(|item| keep(item)).cloned().collect();
    }
}

impl<T: Clone> FromIterator<T> for Chunked<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        let mut chunked = Self::new();
        for item in items {
            chunked.push_back(item);
        }
        chunked
    }
}

impl<T: Clone + PartialEq> PartialEq for Chunked<T> {
    /// Equal when they hold the same items in the same order, however they are chunked.
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<T: Clone + Eq> Eq for Chunked<T> {}

impl<T: Clone + std::fmt::Debug> std::fmt::Debug for Chunked<T> {
    /// As a `VecDeque` of the same items prints.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compares against a `VecDeque` doing the same operations.
    fn check(chunked: &Chunked<u32>, model: &VecDeque<u32>) {
        assert_eq!(chunked.len(), model.len());
        assert_eq!(chunked.front(), model.front());
        assert_eq!(chunked.back(), model.back());
        assert!(chunked.iter().eq(model.iter()));
        for start in [
            0,
            1,
            CHUNK - 1,
            CHUNK,
            CHUNK + 1,
            model.len(),
            model.len() + 3,
        ] {
            assert!(
                chunked
                    .iter_from(start)
                    .eq(model.range(start.min(model.len())..))
            );
        }
        for index in 0..model.len() + 2 {
            assert_eq!(chunked.get(index), model.get(index));
        }
        for probe in [0, 5, 200, 400, 1_000] {
            assert_eq!(
                chunked.partition_point(|x| *x < probe),
                model.partition_point(|x| *x < probe)
            );
        }
        assert!(chunked.skip < CHUNK);
    }

    #[test]
    fn behaves_as_a_deque_and_clones_share_chunks() {
        let mut chunked = Chunked::new();
        let mut model = VecDeque::new();
        let mut next = 0u32;
        // A deterministic mix of pushes and pops at both ends, crossing chunk boundaries.
        for round in 0..2_000u32 {
            let op = (round.wrapping_mul(2_654_435_761) >> 16) % 10;
            match op {
                0..=5 => {
                    chunked.push_back(next);
                    model.push_back(next);
                    next += 1;
                }
                6..=8 => {
                    chunked.drop_front();
                    model.pop_front();
                }
                _ => {
                    chunked.drop_back();
                    model.pop_back();
                }
            }
            if round % 97 == 0 {
                check(&chunked, &model);
                let copy = chunked.clone();
                assert_eq!(copy, chunked);
                for (mine, theirs) in chunked.sealed.iter().zip(&copy.sealed) {
                    assert!(Rc::ptr_eq(mine, theirs));
                }
            }
        }
        check(&chunked, &model);
        chunked.replace_front(10, vec![7, 8]);
        let rest: Vec<u32> = model.drain(..10).collect();
        assert_eq!(rest.len(), 10);
        model.push_front(8);
        model.push_front(7);
        assert!(chunked.iter().eq(model.iter()));
        chunked.retain(|x| x % 3 != 0);
        model.retain(|x| x % 3 != 0);
        assert!(chunked.iter().eq(model.iter()));
        while !model.is_empty() {
            chunked.drop_back();
            model.pop_back();
            assert_eq!(chunked.back(), model.back());
        }
        assert!(chunked.is_empty());
        chunked.drop_front();
        chunked.drop_back();
        assert_eq!(chunked.len(), 0);
    }
}
