//! Sorting with one copy of the sort algorithm in the wasm.
//!
//! `slice::sort*` is generic over the element type and the comparator, so every call site used
//! to put its own ~3–5 KB copy of driftsort or pdqsort into the bundle. Here the algorithm runs
//! once, non-generically, on a vector of indexes through a `dyn` comparator; the only generic
//! code left per call site is a few-instruction permutation. The engine's slices are small
//! (partitions, members, topics), so the extra index vector costs nothing that matters.
//!
//! Every function here is a **stable** sort, and sorting is a function of the comparator alone:
//! the result equals `slice::sort_by` with the same comparator. (Where the engine used an
//! unstable sort, its keys are unique, so both give the same order.)

use std::cmp::Ordering;

/// Sorts `v` in ascending order, stably: `slice::sort`.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Sorts `v` by the key `f` gives, stably: `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut f: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| f(a).cmp(&f(b)));
}

/// Sorts `v` by `cmp`, stably: `slice::sort_by`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let mut order = sorted_indexes(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    permute(v, &mut order);
}

/// `0..len` sorted stably by `cmp` on indexes: the one instance of the sort algorithm.
fn sorted_indexes(len: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Rearranges `v` so that the new `v[i]` is the old `v[order[i]]`, cycle by cycle with swaps.
/// `order` is used up (every entry set to `usize::MAX`).
fn permute<T>(v: &mut [T], order: &mut [usize]) {
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = std::mem::replace(&mut order[at], usize::MAX);
            if from == usize::MAX || from == start {
                break;
            }
            // `from` is later in this cycle, so it still holds its original element.
            v.swap(at, from);
            at = from;
        }
    }
}

// ---

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_std_stable_sort() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for len in 0..200 {
            let mut v: Vec<(u8, u32)> = (0..len)
                .map(|i| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    ((seed % 7) as u8, i)
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_by_key(|e| e.0);
            sort_by_key(&mut v, |e| e.0);
            assert_eq!(v, expected, "len {len}");
            let mut expected = v.clone();
            expected.sort();
            sort(&mut v);
            assert_eq!(v, expected, "len {len}");
        }
    }
}
