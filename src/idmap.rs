//! Account ids to dense indexes, each id stored once: the lookup behind
//! every history row, and the territory's index.
//!
//! A lookup per history row is the hottest path of a run, and on millions
//! of accounts every touch of memory is a cache miss. So an id of up to 11
//! bytes (most of them) is kept inside its 16-byte hash-table slot and
//! compared there; longer ids are compared in the arena.

use std::hash::BuildHasher;

use anyhow::{Result, bail};
use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

/// The hash every id table uses: fixed, so that a batch of ids can be
/// hashed on one thread and looked up on another.
const HASHER: foldhash::fast::FixedState = foldhash::fast::FixedState::with_seed(0x5eed_ca11_9ee0);

/// An id's hash, as `IdMap::insert_hashed` wants it.
pub fn hash(id: &[u8]) -> u64 {
    HASHER.hash_one(id)
}

/// Ids (as bytes) numbered 0, 1, 2 ... in the order first seen.
#[derive(Debug, Clone)]
pub struct IdMap {
    table: HashTable<Slot>,
    /// Every id, one after another (for `id`, and for long ids' lookups).
    text: Vec<u8>,
    /// End of each id in `text`; id `i` starts where id `i - 1` ends.
    ends: Vec<u32>,
    hasher: foldhash::fast::FixedState,
    /// False once `drop_index` has freed the table: look-ups then scan.
    indexed: bool,
}

/// One table slot: the id's number and, when it fits, the id itself.
#[derive(Debug, Clone, Copy)]
struct Slot {
    /// The id's bytes, zero-padded, with its length in the last byte; a
    /// length of `LONG` means the id is longer and lives only in `text`.
    key: [u8; KEY],
    index: u32,
}

const KEY: usize = 12;
const INLINE: usize = KEY - 1;
const LONG: u8 = 0xFF;

fn inline_key(id: &[u8]) -> Option<[u8; KEY]> {
    if id.len() > INLINE {
        return None;
    }
    let mut key = [0u8; KEY];
    key[..id.len()].copy_from_slice(id);
    key[INLINE] = id.len() as u8;
    Some(key)
}

impl Default for IdMap {
    fn default() -> IdMap {
        IdMap::with_capacity(0)
    }
}

impl IdMap {
    pub fn with_capacity(ids: usize) -> IdMap {
        IdMap {
            table: HashTable::with_capacity(ids),
            text: Vec::with_capacity(ids * 12),
            ends: Vec::with_capacity(ids),
            hasher: HASHER,
            indexed: true,
        }
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The id numbered `index`.
    pub fn id(&self, index: u32) -> &[u8] {
        arena_id(&self.text, &self.ends, index)
    }

    /// The hash `insert_hashed` wants for `id`.
    pub fn hash(&self, id: &[u8]) -> u64 {
        self.hasher.hash_one(id)
    }

    /// Makes room for `additional` more ids, so that the table does not
    /// move while a batch is looked up.
    pub fn reserve(&mut self, additional: usize) {
        let (text, ends, hasher) = (&self.text, &self.ends, &self.hasher);
        self.table.reserve(additional, |slot| {
            hasher.hash_one(slot_id(slot, text, ends))
        });
    }

    /// Where a look-up of `hash` starts in the table: a batch of look-ups
    /// sorted on this sweeps the table in order instead of jumping about,
    /// which on millions of ids is most of the cost. (It follows hashbrown's
    /// layout, buckets = capacity / 7 * 8; were that to change, look-ups
    /// would only be slower, never wrong.)
    pub fn sweep_key(&self, hash: u64) -> u64 {
        let capacity = self.table.capacity();
        if capacity < 7 {
            return 0;
        }
        hash & ((capacity / 7 * 8) as u64 - 1)
    }

    /// Frees the hash table, keeping the ids: for a map that is rarely
    /// searched once built (a million ids' table is tens of megabytes).
    /// Look-ups still work, by scanning.
    pub fn drop_index(&mut self) {
        self.table = HashTable::new();
        self.indexed = false;
    }

    pub fn get(&self, id: &[u8]) -> Option<u32> {
        if !self.indexed {
            return (0..self.ends.len() as u32).find(|&i| self.id(i) == id);
        }
        let hash = self.hasher.hash_one(id);
        let key = inline_key(id);
        let (text, ends) = (&self.text, &self.ends);
        self.table
            .find(hash, |slot| matches(slot, key.as_ref(), id, text, ends))
            .map(|slot| slot.index)
    }

    /// The id's number, numbering it if it is new; `true` when it was new.
    pub fn insert(&mut self, id: &[u8]) -> Result<(u32, bool)> {
        let hash = self.hasher.hash_one(id);
        self.insert_hashed(hash, id)
    }

    /// `insert` with the id's `hash` already worked out.
    pub fn insert_hashed(&mut self, hash: u64, id: &[u8]) -> Result<(u32, bool)> {
        if !self.indexed {
            bail!("an id was added after the index was dropped");
        }
        let key = inline_key(id);
        let (text, ends, hasher) = (&self.text, &self.ends, &self.hasher);
        let rehash = |slot: &Slot| hasher.hash_one(slot_id(slot, text, ends));
        match self.table.entry(
            hash,
            |slot| matches(slot, key.as_ref(), id, text, ends),
            rehash,
        ) {
            Entry::Occupied(e) => Ok((e.get().index, false)),
            Entry::Vacant(e) => {
                let index = u32::try_from(self.ends.len()).ok();
                let end = u32::try_from(self.text.len() + id.len()).ok();
                let (Some(index), Some(end)) = (index, end) else {
                    bail!("more account ids than callqueue can hold (over 4 GB of ids)");
                };
                let mut long = [0u8; KEY];
                long[INLINE] = LONG;
                e.insert(Slot {
                    key: key.unwrap_or(long),
                    index,
                });
                self.text.extend_from_slice(id);
                self.ends.push(end);
                Ok((index, true))
            }
        }
    }
}

fn arena_id<'a>(text: &'a [u8], ends: &[u32], index: u32) -> &'a [u8] {
    let i = index as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &text[start..ends[i] as usize]
}

fn slot_id<'a>(slot: &'a Slot, text: &'a [u8], ends: &[u32]) -> &'a [u8] {
    match slot.key[INLINE] {
        LONG => arena_id(text, ends, slot.index),
        len => &slot.key[..len as usize],
    }
}

/// Whether `slot` holds `id` (whose inline key, if it has one, is `key`).
fn matches(slot: &Slot, key: Option<&[u8; KEY]>, id: &[u8], text: &[u8], ends: &[u32]) -> bool {
    match key {
        Some(key) => slot.key == *key,
        None => slot.key[INLINE] == LONG && arena_id(text, ends, slot.index) == id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_ids_in_order_and_finds_them() {
        let mut m = IdMap::default();
        assert_eq!(m.insert(b"A1").unwrap(), (0, true));
        assert_eq!(m.insert(b"B2").unwrap(), (1, true));
        assert_eq!(m.insert(b"A1").unwrap(), (0, false));
        assert_eq!(m.insert(b"").unwrap(), (2, true));
        assert_eq!(m.get(b"B2"), Some(1));
        assert_eq!(m.get(b"b2"), None);
        assert_eq!(m.get(b""), Some(2));
        assert_eq!(m.id(0), b"A1");
        assert_eq!(m.id(2), b"");
        assert_eq!(m.len(), 3);
    }

    #[test]
    fn short_and_long_ids_do_not_mix() {
        let mut m = IdMap::default();
        let fifteen = b"12345678901";
        let sixteen = b"123456789012";
        let long = b"an id far longer than fifteen bytes";
        assert_eq!(m.insert(fifteen).unwrap(), (0, true));
        assert_eq!(m.insert(sixteen).unwrap(), (1, true));
        assert_eq!(m.insert(long).unwrap(), (2, true));
        assert_eq!(m.insert(sixteen).unwrap(), (1, false));
        assert_eq!(m.get(long), Some(2));
        assert_eq!(m.get(&long[..34]), None);
        assert_eq!(m.get(b"1234567890"), None);
        // Padding zeros are not an id's own zeros.
        assert_eq!(m.insert(b"A\0").unwrap(), (3, true));
        assert_eq!(m.insert(b"A").unwrap(), (4, true));
        assert_eq!(m.id(3), b"A\0");
        assert_eq!(m.id(1), sixteen);
        assert_eq!(m.id(2), long);
    }

    #[test]
    fn sorted_batches_find_the_same_ids() {
        let mut m = IdMap::default();
        let ids: Vec<String> = (0..5000)
            .map(|i| format!("AC{:08}", (i * 7919) % 3000))
            .collect();
        let mut want = IdMap::default();
        for id in &ids {
            want.insert(id.as_bytes()).unwrap();
        }
        for batch in ids.chunks(512) {
            m.reserve(batch.len());
            let mut order: Vec<usize> = (0..batch.len()).collect();
            order.sort_by_key(|&k| (m.sweep_key(m.hash(batch[k].as_bytes())), k));
            for k in order {
                let id = batch[k].as_bytes();
                let hash = m.hash(id);
                m.insert_hashed(hash, id).unwrap();
            }
        }
        assert_eq!(m.len(), want.len());
        for id in &ids {
            assert_eq!(m.id(m.get(id.as_bytes()).unwrap()), id.as_bytes());
        }
    }

    #[test]
    fn a_dropped_index_still_finds_ids() {
        let mut m = IdMap::default();
        for id in ["a", "bb", "a-much-longer-id-than-eleven"] {
            m.insert(id.as_bytes()).unwrap();
        }
        m.drop_index();
        assert_eq!(m.get(b"bb"), Some(1));
        assert_eq!(m.get(b"a-much-longer-id-than-eleven"), Some(2));
        assert_eq!(m.get(b"c"), None);
        assert!(m.insert(b"c").is_err());
    }

    #[test]
    fn slots_stay_small() {
        assert_eq!(std::mem::size_of::<Slot>(), 16);
    }

    #[test]
    fn many_ids_survive_growth() {
        let mut m = IdMap::with_capacity(4);
        for i in 0..50_000u32 {
            let id = if i % 3 == 0 {
                format!("a-much-longer-account-id-{i}")
            } else {
                format!("id{i}")
            };
            assert_eq!(m.insert(id.as_bytes()).unwrap(), (i, true));
        }
        for i in (0..50_000u32).step_by(997) {
            let id = if i % 3 == 0 {
                format!("a-much-longer-account-id-{i}")
            } else {
                format!("id{i}")
            };
            assert_eq!(m.get(id.as_bytes()), Some(i));
            assert_eq!(m.id(i), id.as_bytes());
        }
    }
}
