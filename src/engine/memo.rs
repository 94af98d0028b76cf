//! A memo of short cells read before: a column that holds a handful of
//! spellings, row after row (an outcome, say), is read once per spelling.
//! Each cell has one place, by a hash of its bytes, and takes it over from
//! any other cell there.

/// The longest cell remembered (less one), and how many places the memo
/// has (a power of two).
const MEMO_CELL: usize = 16;
pub const PLACES: usize = 256;
/// No cell's key: its length is too long to remember.
const NO_KEY: MemoKey = (0, 0, MEMO_CELL);

/// A memo key's place in the memo.
#[inline]
fn memo_slot(key: &MemoKey) -> usize {
    let mixed = (key.0 ^ key.1.rotate_left(29) ^ key.2 as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (mixed >> 56) as usize % PLACES
}

/// A short cell as a memo key: its length, and its bytes read as two
/// words that between them cover every byte (overlapping when shorter than
/// 16), so that no two cells share a key.
type MemoKey = (u64, u64, usize);

/// The memo key of a cell shorter than `MEMO_CELL` bytes. Read in pieces
/// of fixed size, not copied: a copy of a length known only at run time
/// is a call to memcpy, and this is asked for every history row.
#[inline]
fn memo_key(cell: &[u8]) -> Option<MemoKey> {
    let n = cell.len();
    let word = |bytes: &[u8]| -> u64 {
        match bytes.len() {
            8 => u64::from_le_bytes(bytes.try_into().unwrap_or_default()),
            _ => u64::from(u32::from_le_bytes(bytes.try_into().unwrap_or_default())),
        }
    };
    let (first, last) = match n {
        0 => (0, 0),
        1..=3 => (
            u64::from(cell[0]) | u64::from(cell[n / 2]) << 8 | u64::from(cell[n - 1]) << 16,
            0,
        ),
        4..=7 => (word(&cell[..4]), word(&cell[n - 4..])),
        8..MEMO_CELL => (word(&cell[..8]), word(&cell[n - 8..])),
        _ => return None,
    };
    Some((first, last, n))
}

/// What `T` short cells read as, remembered.
#[derive(Debug, Clone)]
pub struct CellMemo<T> {
    /// Each place's cell key and value; a free place holds `NO_KEY`.
    places: Vec<(MemoKey, T)>,
}

impl<T: Copy> CellMemo<T> {
    /// An empty memo; `empty` fills the free places.
    pub fn new(empty: T) -> CellMemo<T> {
        CellMemo {
            places: vec![(NO_KEY, empty); PLACES],
        }
    }

    /// What `cell` read as, if it is remembered.
    #[inline]
    pub fn get(&self, cell: &[u8]) -> Option<T> {
        let key = memo_key(cell)?;
        match self.places.get(memo_slot(&key)) {
            Some(&(k, value)) if k == key => Some(value),
            _ => None,
        }
    }

    /// Remembers what `cell` reads as (a cell too long is not remembered).
    #[inline]
    pub fn put(&mut self, cell: &[u8], value: T) {
        if let Some(key) = memo_key(cell)
            && let Some(place) = self.places.get_mut(memo_slot(&key))
        {
            *place = (key, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_cells_share_a_memo_key() {
        // Every cell of up to 7 bytes from four byte values, and cells of 8
        // to 15 bytes that differ in one byte anywhere.
        let mut seen = std::collections::HashMap::new();
        let alphabet = [b'a', b'b', 0, 0xff];
        let mut cells: Vec<Vec<u8>> = vec![Vec::new()];
        for len in 1..=7 {
            let shorter: Vec<Vec<u8>> = cells
                .iter()
                .filter(|c| c.len() == len - 1)
                .cloned()
                .collect();
            for cell in shorter {
                for &b in &alphabet {
                    let mut longer = cell.clone();
                    longer.push(b);
                    cells.push(longer);
                }
            }
        }
        for len in 8..MEMO_CELL {
            let base: Vec<u8> = (0..len as u8).map(|k| b'a' + k).collect();
            cells.push(base.clone());
            for at in 0..len {
                let mut changed = base.clone();
                changed[at] = b'Z';
                cells.push(changed);
            }
        }
        for cell in &cells {
            let key = memo_key(cell).unwrap();
            assert_ne!(key, NO_KEY, "{cell:?}");
            if let Some(other) = seen.insert(key, cell.clone()) {
                panic!("{cell:?} and {other:?} share a key");
            }
        }
        assert_eq!(memo_key(&[b'x'; MEMO_CELL]), None);
    }
}
