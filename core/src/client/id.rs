//! The control plane's ids (drafts, publications, live specs, refresh
//! tokens): 8 bytes, a Postgres `macaddr8` (`flowid`). flowctl prints and
//! sends them as 16 lowercase hex digits; PostgREST answers with the colon
//! form (`01:23:45:67:89:ab:cd:ef`). Both read back as the same id.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An id of the control plane.
///
/// ```
/// use flowspec::client::FlowId;
/// let id: FlowId = "01:23:45:67:89:ab:cd:ef".parse().unwrap();
/// assert_eq!(id.to_string(), "0123456789abcdef");
/// assert_eq!(format!("{id:#}"), "01:23:45:67:89:ab:cd:ef");
/// assert_eq!("0123456789ABCDEF".parse::<FlowId>().unwrap(), id);
/// assert_eq!(serde_json::to_string(&id).unwrap(), "\"0123456789abcdef\"");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FlowId(u64);

impl FlowId {
    /// The zero id: as an `expectPubId`, "the spec must not exist yet".
    pub const ZERO: FlowId = FlowId(0);

    /// The id of these 8 bytes, read big-endian.
    ///
    /// ```
    /// assert_eq!(flowspec::client::FlowId::new(0x700).to_string(), "0000000000000700");
    /// ```
    pub const fn new(value: u64) -> Self {
        FlowId(value)
    }

    /// The id as a number.
    ///
    /// ```
    /// assert_eq!(flowspec::client::FlowId::new(7).get(), 7);
    /// ```
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for FlowId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            let bytes = self.0.to_be_bytes();
            for (i, b) in bytes.iter().enumerate() {
                if i > 0 {
                    f.write_str(":")?;
                }
                write!(f, "{b:02x}")?;
            }
            Ok(())
        } else {
            write!(f, "{:016x}", self.0)
        }
    }
}

impl fmt::Debug for FlowId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FlowId({self})")
    }
}

/// Why a text is not a [`FlowId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not an id: ids are 16 hex digits, like 0123456789abcdef or 01:23:45:67:89:ab:cd:ef")]
pub struct FlowIdError {
    /// The text.
    pub text: String,
}

impl FromStr for FlowId {
    type Err = FlowIdError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let digits: String = text.chars().filter(|c| *c != ':').collect();
        let colons_in_place = !text.contains(':')
            || (text.len() == 23 && text.match_indices(':').all(|(i, _)| i % 3 == 2));
        if digits.len() != 16 || !colons_in_place || !digits.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Err(FlowIdError {
                text: text.to_string(),
            });
        }
        u64::from_str_radix(&digits, 16)
            .map(FlowId)
            .map_err(|_| FlowIdError {
                text: text.to_string(),
            })
    }
}

impl Serialize for FlowId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FlowId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Makes time-ordered ids as the control plane does: milliseconds since
/// 2020-09-13T12:26:40Z in the high 41 bits, then a 13-bit sequence within
/// the millisecond, then a 10-bit shard.
///
/// ```
/// use flowspec::client::IdGenerator;
/// let mut ids = IdGenerator::new(3);
/// let a = ids.next_at(1_600_000_000_001);
/// let b = ids.next_at(1_600_000_000_001);
/// assert_eq!(a.get(), (1 << 23) | 3);
/// assert_eq!(b.get(), (1 << 23) | (1 << 10) | 3);
/// assert!(ids.next_at(1_600_000_000_000) > b, "never goes back");
/// ```
#[derive(Debug, Clone)]
pub struct IdGenerator {
    shard: u64,
    last: u64,
}

/// The control plane's epoch, in milliseconds since the Unix epoch.
const EPOCH_MS: u64 = 1_600_000_000_000;

impl IdGenerator {
    /// A generator for `shard` (its low 10 bits).
    ///
    /// ```
    /// let _ = flowspec::client::IdGenerator::new(0);
    /// ```
    pub fn new(shard: u16) -> Self {
        IdGenerator {
            shard: u64::from(shard) & 0x3ff,
            last: 0,
        }
    }

    /// The next id at `now_ms` (milliseconds since the Unix epoch): above
    /// every id this generator made before, even if the clock went back.
    ///
    /// ```
    /// let mut ids = flowspec::client::IdGenerator::new(1);
    /// let first = ids.next_at(1_700_000_000_000);
    /// assert!(ids.next_at(1_700_000_000_000) > first);
    /// ```
    pub fn next_at(&mut self, now_ms: u64) -> FlowId {
        let candidate = (now_ms.saturating_sub(EPOCH_MS) << 23) | self.shard;
        let next = if candidate > self.last {
            candidate
        } else {
            // The same millisecond (or an earlier one): the next sequence.
            ((self.last & !0x3ff) + (1 << 10)) | self.shard
        };
        self.last = next;
        FlowId(next)
    }

    /// The next id now.
    ///
    /// ```
    /// let mut ids = flowspec::client::IdGenerator::new(1);
    /// assert!(ids.next() < ids.next());
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> FlowId {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        self.next_at(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_read_and_nothing_else_does() {
        let id = FlowId::new(0x1a2b_3c4d_5e6f_7081);
        for text in [
            "1a2b3c4d5e6f7081",
            "1a:2b:3c:4d:5e:6f:70:81",
            "1A2B3C4D5E6F7081",
        ] {
            assert_eq!(text.parse::<FlowId>(), Ok(id), "{text}");
        }
        for bad in [
            "",
            "1a2b3c4d5e6f708",
            "1a2b3c4d5e6f70811",
            "1a2b3c4d5e6f708g",
            "1a2b:3c4d:5e6f:7081",
            ":1a2b3c4d5e6f7081",
            "-a2b3c4d5e6f7081",
        ] {
            let err = bad.parse::<FlowId>().unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("{bad:?} is not an id: ids are 16 hex digits, like 0123456789abcdef or 01:23:45:67:89:ab:cd:ef")
            );
        }
        assert_eq!(FlowId::ZERO.to_string(), "0000000000000000");
        let read: FlowId = serde_json::from_str("\"1a:2b:3c:4d:5e:6f:70:81\"").unwrap();
        assert_eq!(read, id);
        assert!(serde_json::from_str::<FlowId>("12").is_err());
    }

    #[test]
    fn ids_are_ordered_by_time_then_sequence() {
        let mut ids = IdGenerator::new(0x7ff); // only 10 bits are kept
        let t = 1_764_000_000_000;
        let a = ids.next_at(t);
        assert_eq!(a.get(), ((t - EPOCH_MS) << 23) | 0x3ff);
        let b = ids.next_at(t);
        assert_eq!(b.get(), a.get() + (1 << 10));
        let c = ids.next_at(t + 1);
        assert_eq!(c.get(), ((t + 1 - EPOCH_MS) << 23) | 0x3ff);
        assert!(a < b && b < c);
    }
}
