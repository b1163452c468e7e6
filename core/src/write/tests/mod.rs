//! Tests of the writer: the YAML emitter (`yaml`), catalog documents and the
//! split layout (`layout`), and writing files (`files`).

mod files;
mod layout;
mod roundtrip;

use serde_json::Value;

/// A small deterministic generator (SplitMix64).
pub(crate) struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Compact JSON: equal texts mean equal values with keys in the same order.
pub(crate) fn json_text(v: &Value) -> String {
    serde_json::to_string(v).unwrap()
}

/// A catalog from JSON.
pub(super) fn catalog(v: Value) -> crate::Catalog {
    serde_json::from_value(v).unwrap()
}
