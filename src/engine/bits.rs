//! A set of account indexes, a bit each: for asking "is there anything on
//! record about this account?" of a million accounts, most with nothing,
//! without a hash look-up (and its cache miss) each.

#[derive(Debug, Clone, Default)]
pub struct Bits {
    words: Vec<u64>,
}

impl Bits {
    pub fn insert(&mut self, n: u32) {
        let word = n as usize / 64;
        if self.words.len() <= word {
            self.words.resize(word + 1, 0);
        }
        self.words[word] |= 1 << (n % 64);
    }

    pub fn contains(&self, n: u32) -> bool {
        self.words
            .get(n as usize / 64)
            .is_some_and(|&word| word >> (n % 64) & 1 == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_exactly_what_was_put_in() {
        let mut bits = Bits::default();
        let put = [0u32, 1, 63, 64, 65, 1000, 4_000_000, u32::MAX / 64];
        for &n in &put {
            bits.insert(n);
        }
        for n in (0..2000).chain([3_999_999, 4_000_000, 4_000_001, u32::MAX / 64, u32::MAX]) {
            assert_eq!(bits.contains(n), put.contains(&n), "{n}");
        }
        assert!(!Bits::default().contains(0));
    }
}
