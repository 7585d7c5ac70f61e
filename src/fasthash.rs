//! A fast hasher for the hash maps read at every word (the fold memo of the
//! gazetteer, the phrase vocabulary of the counts).
//!
//! The standard library's SipHash resists hash flooding, and costs about as
//! much per short word as the lookups it serves were meant to save. This is
//! the multiply-rotate hash of the Rust compiler (FxHash), eight bytes at a
//! time. It is not keyed: a corpus written to collide would slow these maps
//! down (the fold memo is bounded, so never by more than its size), and
//! could never change what they return. Nothing here is written to a file,
//! so the datasets do not depend on it.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FxHasher`].
pub type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A `HashSet` with [`FxHasher`].
pub type FxHashSet<T> = std::collections::HashSet<T, BuildHasherDefault<FxHasher>>;

/// An empty [`FxHashMap`].
pub fn map<K, V>() -> FxHashMap<K, V> {
    HashMap::with_hasher(BuildHasherDefault::default())
}

/// The multiplier of FxHash (from the fractional part of pi).
const K: u64 = 0xf135_7aea_2e62_a9c5;

/// FxHash: for each word, rotate, xor, multiply.
#[derive(Debug, Clone, Copy, Default)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FxHasher {
    #[inline]
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
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // The multiply leaves its best bits high; the table indexes by the
        // low ones.
        self.hash.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn hash<T: Hash + ?Sized>(v: &T) -> u64 {
        BuildHasherDefault::<FxHasher>::default().hash_one(v)
    }

    #[test]
    fn equal_keys_hash_alike_and_neighbours_apart() {
        assert_eq!(hash("aleppo"), hash(&String::from("aleppo")));
        let words = [
            "", "a", "b", "ab", "ba", "aleppo", "alepp", "aleppo1", "homs", "hums",
        ];
        let mut seen: Vec<u64> = words.iter().map(|w| hash(*w)).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), words.len());
    }

    #[test]
    fn the_map_finds_what_it_holds() {
        let mut m = map();
        for i in 0..10_000u32 {
            m.insert(format!("w{i}"), i);
        }
        assert!((0..10_000u32).all(|i| m.get(format!("w{i}").as_str()) == Some(&i)));
        assert_eq!(m.get("x"), None);
    }
}
