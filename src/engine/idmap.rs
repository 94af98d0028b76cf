//! Account ids to dense indexes, each id stored once: the lookup behind
//! every history row, and the territory's index.
//!
//! A lookup per history row is the hottest path of a run, and on millions
//! of accounts every touch of memory is a cache miss. So the table is a
//! plain open-addressed array of 16-byte slots: an id of up to 11 bytes
//! (most of them) is kept inside its slot and compared there (longer ids
//! are compared in the arena), and a look-up touches one slot, usually one
//! cache line. Callers with many look-ups to do first `warm` the lines
//! they will need: those loads do not wait on one another, so the misses
//! overlap instead of being paid one after another.

use std::hash::BuildHasher;

use anyhow::{Result, bail};

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
    /// Open addressing with linear probing; a power of two long (or empty),
    /// never more than half full.
    slots: Vec<Slot>,
    /// Every id, one after another (for `id`, and for long ids' lookups).
    text: Vec<u8>,
    /// End of each id in `text`; id `i` starts where id `i - 1` ends.
    ends: Vec<u32>,
    /// False once `drop_index` has freed the table: look-ups then scan.
    indexed: bool,
}

/// One table slot: the id's number and, when it fits, the id itself.
#[derive(Debug, Clone, Copy)]
struct Slot {
    /// The id's bytes, zero-padded, with its length in the last byte; a
    /// length of `LONG` means the id is longer and lives only in `text`
    /// (the first bytes then hold its hash, so that other long ids rarely
    /// need comparing).
    key: [u8; KEY],
    /// The id's number; `EMPTY` for a free slot.
    index: u32,
}

const KEY: usize = 12;
const INLINE: usize = KEY - 1;
const LONG: u8 = 0xFF;
const EMPTY: u32 = u32::MAX;
const FREE: Slot = Slot {
    key: [0; KEY],
    index: EMPTY,
};

/// The key `id` has in its slot. A short id is copied in pieces of fixed
/// size, overlapping when it is shorter than they are together: a copy of
/// a length known only at run time is a call to memcpy, and this is asked
/// for every history row.
fn slot_key(id: &[u8], hash: u64) -> [u8; KEY] {
    fn piece<const N: usize>(key: &mut [u8; KEY], id: &[u8], at: usize) {
        if let (Ok(to), Ok(from)) = (
            <&mut [u8; N]>::try_from(&mut key[at..at + N]),
            <&[u8; N]>::try_from(&id[at..at + N]),
        ) {
            *to = *from;
        }
    }
    let mut key = [0u8; KEY];
    let n = id.len();
    match n {
        0 => {}
        1..=3 => {
            key[0] = id[0];
            key[n / 2] = id[n / 2];
            key[n - 1] = id[n - 1];
        }
        4..=7 => {
            piece::<4>(&mut key, id, 0);
            piece::<4>(&mut key, id, n - 4);
        }
        8..=INLINE => {
            piece::<8>(&mut key, id, 0);
            piece::<4>(&mut key, id, n - 4);
        }
        _ => {
            key[..8].copy_from_slice(&hash.to_le_bytes());
            key[INLINE] = LONG;
            return key;
        }
    }
    key[INLINE] = n as u8;
    key
}

impl Default for IdMap {
    fn default() -> IdMap {
        IdMap::with_capacity(0)
    }
}

impl IdMap {
    /// A map with room for about `ids` ids. The table is sized for a little
    /// under that: one size too large for an estimate a few percent high
    /// would take twice the memory (every slot is written), and growing
    /// once near the end costs little.
    pub fn with_capacity(ids: usize) -> IdMap {
        let mut map = IdMap {
            slots: Vec::new(),
            text: Vec::new(),
            ends: Vec::new(),
            indexed: true,
        };
        crate::engine::room::make_room(&mut map.text, ids.saturating_mul(12));
        crate::engine::room::make_room(&mut map.ends, ids);
        map.reserve(ids - ids / 10);
        map
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

    /// Reads id `index`'s end and first byte, so that both are loaded: for
    /// warming a window of ids ahead of the work on them.
    pub fn touch(&self, index: u32) -> u32 {
        let i = index as usize;
        let start = if i == 0 {
            0
        } else {
            self.ends.get(i - 1).copied().unwrap_or(0)
        };
        u32::from(self.text.get(start as usize).copied().unwrap_or(0))
    }

    /// The hash `insert_hashed` wants for `id`.
    pub fn hash(&self, id: &[u8]) -> u64 {
        hash(id)
    }

    /// Makes room for `additional` more ids, so that the table does not
    /// move while a batch is looked up.
    pub fn reserve(&mut self, additional: usize) {
        if !self.indexed {
            return;
        }
        let wanted = (self.len() + additional).saturating_mul(2).max(16);
        if wanted <= self.slots.len() {
            return;
        }
        let size = wanted.next_power_of_two();
        let mut slots = vec![FREE; size];
        let mask = size - 1;
        // Taken in table order, the slots land in the new table in nearly
        // the same order; short ids are hashed from the slot itself, so
        // that only long ones are looked up in the arena.
        for slot in self.slots.iter().filter(|s| s.index != EMPTY) {
            let id = match slot.key[INLINE] {
                LONG => arena_id(&self.text, &self.ends, slot.index),
                len => &slot.key[..len as usize],
            };
            let mut pos = (hash(id) as usize) & mask;
            while slots[pos].index != EMPTY {
                pos = (pos + 1) & mask;
            }
            slots[pos] = *slot;
        }
        self.slots = slots;
    }

    /// Loads the table lines that look-ups of these hashes will start on,
    /// without waiting for any of them: a batch warmed first is then looked
    /// up from the cache.
    pub fn warm(&self, hashes: impl Iterator<Item = u64>) {
        warm_in(&self.slots, hashes);
    }

    /// Frees the hash table, keeping the ids: for a map that is rarely
    /// searched once built (a million ids' table is tens of megabytes).
    /// Look-ups still work, by scanning.
    pub fn drop_index(&mut self) {
        self.slots = Vec::new();
        self.indexed = false;
    }

    pub fn get(&self, id: &[u8]) -> Option<u32> {
        if !self.indexed {
            return (0..self.ends.len() as u32).find(|&i| self.id(i) == id);
        }
        self.get_hashed(hash(id), id)
    }

    /// `get` with the id's `hash` already worked out.
    pub fn get_hashed(&self, hash: u64, id: &[u8]) -> Option<u32> {
        self.find(hash, id).ok()
    }

    /// The id's number, or the free slot where it would go.
    fn find(&self, hash: u64, id: &[u8]) -> Result<u32, usize> {
        find_in(&self.slots, |index| self.id(index), hash, id)
    }

    /// A hash table over these ids, for a map whose own was dropped: the
    /// ids are not copied (a million ids' arena is some 16 MB), only the
    /// table is made, as `insert` would have made it.
    pub fn index(&self) -> IdIndex<'_> {
        let size = self.len().saturating_mul(2).max(16).next_power_of_two();
        let mut slots = vec![FREE; size];
        let mask = size - 1;
        for index in 0..self.len() as u32 {
            let id = self.id(index);
            let hash = hash(id);
            let mut pos = (hash as usize) & mask;
            while slots[pos].index != EMPTY {
                pos = (pos + 1) & mask;
            }
            slots[pos] = Slot {
                key: slot_key(id, hash),
                index,
            };
        }
        IdIndex { slots, ids: self }
    }

    /// The id's number, numbering it if it is new; `true` when it was new.
    pub fn insert(&mut self, id: &[u8]) -> Result<(u32, bool)> {
        self.insert_hashed(hash(id), id)
    }

    /// `insert` with the id's `hash` already worked out.
    pub fn insert_hashed(&mut self, hash: u64, id: &[u8]) -> Result<(u32, bool)> {
        if !self.indexed {
            bail!("an id was added after the index was dropped");
        }
        if (self.len() + 1) * 2 > self.slots.len() {
            self.reserve(1);
        }
        let pos = match self.find(hash, id) {
            Ok(index) => return Ok((index, false)),
            Err(pos) => pos,
        };
        let index = u32::try_from(self.ends.len()).ok().filter(|&i| i != EMPTY);
        let end = u32::try_from(self.text.len() + id.len()).ok();
        let (Some(index), Some(end)) = (index, end) else {
            bail!("more account ids than callqueue can hold (over 4 GB of ids)");
        };
        self.slots[pos] = Slot {
            key: slot_key(id, hash),
            index,
        };
        self.text.extend_from_slice(id);
        self.ends.push(end);
        Ok((index, true))
    }
}

/// A look-up table over the ids of an `IdMap` (see `IdMap::index`).
#[derive(Debug)]
pub struct IdIndex<'a> {
    slots: Vec<Slot>,
    ids: &'a IdMap,
}

impl IdIndex<'_> {
    /// The id's number in the map, with its `hash` worked out.
    pub fn get_hashed(&self, hash: u64, id: &[u8]) -> Option<u32> {
        find_in(&self.slots, |index| self.ids.id(index), hash, id).ok()
    }

    /// As `IdMap::warm`.
    pub fn warm(&self, hashes: impl Iterator<Item = u64>) {
        warm_in(&self.slots, hashes);
    }
}

/// Loads the lines of `slots` that look-ups of these hashes start on.
fn warm_in(slots: &[Slot], hashes: impl Iterator<Item = u64>) {
    if slots.is_empty() {
        return;
    }
    let mask = slots.len() - 1;
    let mut seen = 0u32;
    for hash in hashes {
        seen ^= slots[(hash as usize) & mask].index;
    }
    std::hint::black_box(seen);
}

/// The id's number in `slots`, or the free slot where it would go; `id_of`
/// gives a long id's bytes.
fn find_in<'a>(
    slots: &[Slot],
    id_of: impl Fn(u32) -> &'a [u8],
    hash: u64,
    id: &[u8],
) -> Result<u32, usize> {
    if slots.is_empty() {
        return Err(0);
    }
    let key = slot_key(id, hash);
    let long = key[INLINE] == LONG;
    let mask = slots.len() - 1;
    let mut pos = (hash as usize) & mask;
    loop {
        let slot = &slots[pos];
        if slot.index == EMPTY {
            return Err(pos);
        }
        if slot.key == key && (!long || id_of(slot.index) == id) {
            return Ok(slot.index);
        }
        pos = (pos + 1) & mask;
    }
}

fn arena_id<'a>(text: &'a [u8], ends: &[u32], index: u32) -> &'a [u8] {
    let i = index as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &text[start..ends[i] as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_made_again_finds_every_id_at_its_number() {
        let mut m = IdMap::default();
        let ids: Vec<Vec<u8>> = (0..1000)
            .map(|i| match i % 3 {
                0 => format!("A{i}").into_bytes(),
                1 => format!("a-rather-long-account-id-{i}").into_bytes(),
                _ => vec![b'x'; i % 40],
            })
            .collect();
        let mut numbers = Vec::new();
        for id in &ids {
            numbers.push(m.insert(id).unwrap().0);
        }
        m.drop_index();
        let index = m.index();
        for (id, &number) in ids.iter().zip(&numbers) {
            assert_eq!(index.get_hashed(hash(id), id), Some(number), "{id:?}");
        }
        for absent in [&b"A1000"[..], b"a-rather-long-account-id-1000", b"B1"] {
            assert_eq!(index.get_hashed(hash(absent), absent), None);
        }
        assert_eq!(IdMap::default().index().get_hashed(hash(b"A"), b"A"), None);
    }

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
    fn warmed_batches_find_the_same_ids() {
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
            m.warm(batch.iter().map(|id| hash(id.as_bytes())));
            for id in batch {
                let id = id.as_bytes();
                m.insert_hashed(hash(id), id).unwrap();
            }
        }
        assert_eq!(m.len(), want.len());
        for id in &ids {
            assert_eq!(m.id(m.get(id.as_bytes()).unwrap()), id.as_bytes());
            assert_eq!(m.get(id.as_bytes()), want.get(id.as_bytes()));
        }
        assert_eq!(m.get(b"AC00003000"), None);
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
    fn slot_keys_hold_each_short_id_whole() {
        // Every length up to a long id's, every byte distinct: the key is
        // the id, zero-padded, with its length last.
        for n in 0..=KEY + 1 {
            let id: Vec<u8> = (1..=n as u8).collect();
            let key = slot_key(&id, 0x0102_0304_0506_0708);
            if n <= INLINE {
                assert_eq!(&key[..n], &id[..], "{n}");
                assert!(key[n..INLINE].iter().all(|&b| b == 0), "{n}");
                assert_eq!(key[INLINE], n as u8);
            } else {
                assert_eq!(key[..8], 0x0102_0304_0506_0708u64.to_le_bytes());
                assert_eq!(key[INLINE], LONG);
            }
        }
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
