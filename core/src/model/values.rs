//! Scalar value types: durations, publication ids and timestamps.

use std::sync::LazyLock;

use regex::Regex;

static DURATION_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+(ns|us|µs|ms|s|m|h|d))+$").unwrap());

/// # Duration
/// A duration like `30s`, `5m`, `48h`, `1d` or `1h30m`.
///
/// The text is kept as written, so a catalog round-trips byte for byte;
/// [`Duration::get`] gives the parsed value.
///
/// ```
/// use flowspec::Duration;
/// let d = Duration::new("1h30m").unwrap();
/// assert_eq!(d.get().as_secs(), 5400);
/// assert_eq!(d.as_str(), "1h30m");
/// assert!(Duration::new("5 minutes").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Duration {
    text: String,
    #[serde(skip)]
    parsed: std::time::Duration,
}

impl Duration {
    /// Parses a duration, keeping its text.
    pub fn new(text: impl Into<String>) -> Result<Self, String> {
        let text = text.into();
        if !DURATION_RE.is_match(&text) {
            return Err(format!(
                "{text:?} is not a valid duration (expected a number and a unit, like `30s`, \
                 `5m`, `48h` or `1d`)"
            ));
        }
        let parsed = humantime::parse_duration(&text)
            .map_err(|e| format!("{text:?} is not a valid duration ({e})"))?;
        Ok(Self { text, parsed })
    }

    /// A duration of whole seconds, written in the largest exact unit.
    ///
    /// ```
    /// assert_eq!(flowspec::Duration::from_secs(300).as_str(), "5m");
    /// ```
    pub fn from_secs(secs: u64) -> Self {
        let text = if secs != 0 && secs % 86400 == 0 {
            format!("{}d", secs / 86400)
        } else if secs != 0 && secs % 3600 == 0 {
            format!("{}h", secs / 3600)
        } else if secs != 0 && secs % 60 == 0 {
            format!("{}m", secs / 60)
        } else {
            format!("{secs}s")
        };
        Self {
            text,
            parsed: std::time::Duration::from_secs(secs),
        }
    }

    /// The parsed duration.
    pub fn get(&self) -> std::time::Duration {
        self.parsed
    }

    /// The duration as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl std::fmt::Debug for Duration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.text, f)
    }
}

impl std::fmt::Display for Duration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Duration {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::new(s)
    }
}

impl<'de> serde::Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::new(s).map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Duration {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "title": "Duration",
            "description": "A duration: a number and a unit (`s`, `m`, `h`, `d`), like `30s`, `5m` or `48h`.",
            "type": "string",
            "pattern": DURATION_RE.as_str(),
            "examples": ["5m"],
        })
    }
}

/// # Publication id
/// An id of a publication: 8 bytes as 16 lowercase hex characters. `:`
/// separators (`01:23:…`) are accepted on input and dropped.
///
/// ```
/// use flowspec::Id;
/// let id = Id::new("01:23:45:67:89:AB:CD:EF").unwrap();
/// assert_eq!(id.as_str(), "0123456789abcdef");
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Id(String);

impl Id {
    /// Parses an id, normalizing it to 16 lowercase hex characters.
    pub fn new(text: &str) -> Result<Self, String> {
        let hex: String = text.chars().filter(|c| *c != ':').collect();
        if hex.len() != 16 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(format!(
                "{text:?} is not a valid publication id (expected 16 hex characters)"
            ));
        }
        Ok(Self(hex.to_ascii_lowercase()))
    }

    /// The id as 16 lowercase hex characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Id {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::new(&s).map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Id {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Id".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "title": "Publication id",
            "description": "16 hex characters, optionally separated by `:`.",
            "type": "string",
            "pattern": "^([0-9a-fA-F]{2}:?){7}[0-9a-fA-F]{2}$",
            "examples": ["0123456789abcdef"],
        })
    }
}

/// # Timestamp
/// An RFC 3339 date-time, like `2024-01-01T00:00:00Z`. The text is kept as
/// written.
///
/// ```
/// use flowspec::Timestamp;
/// let a = Timestamp::new("2024-01-01T00:00:00Z").unwrap();
/// let b = Timestamp::new("2024-01-01T01:00:00+02:00").unwrap();
/// assert!(b < a);
/// ```
#[derive(Clone, serde::Serialize)]
#[serde(transparent)]
pub struct Timestamp {
    text: String,
    #[serde(skip)]
    parsed: chrono::DateTime<chrono::FixedOffset>,
}

impl Timestamp {
    /// Parses an RFC 3339 timestamp.
    pub fn new(text: impl Into<String>) -> Result<Self, String> {
        let text = text.into();
        let parsed = chrono::DateTime::parse_from_rfc3339(&text)
            .map_err(|e| format!("{text:?} is not an RFC 3339 timestamp ({e})"))?;
        Ok(Self { text, parsed })
    }

    /// The timestamp as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}
impl Eq for Timestamp {}
impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.parsed.cmp(&other.parsed))
    }
}

impl std::fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.text, f)
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::new(s).map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timestamp".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date-time",
            "examples": ["2024-01-01T00:00:00Z"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        for ok in ["0s", "30s", "5m", "48h", "1d", "1h30m", "500ms"] {
            assert!(Duration::new(ok).is_ok(), "{ok}");
        }
        for bad in ["", "5", "m", "5 m", "-5m", "5min", "1.5h"] {
            assert!(Duration::new(bad).is_err(), "{bad}");
        }
        assert_eq!(Duration::from_secs(90).as_str(), "90s");
        assert_eq!(Duration::from_secs(7200).as_str(), "2h");
    }

    #[test]
    fn ids() {
        assert!(Id::new("0123456789abcdeg").is_err());
        assert!(Id::new("0123").is_err());
        assert_eq!(
            Id::new("0123456789ABCDEF").unwrap().as_str(),
            "0123456789abcdef"
        );
    }

    #[test]
    fn counts() {
        #[derive(Debug, serde::Deserialize)]
        struct C {
            #[serde(deserialize_with = "crate::json::u32_of_number")]
            n: u32,
            #[serde(default, deserialize_with = "crate::json::option_u32_of_number")]
            o: Option<u32>,
        }
        let c = |v| serde_json::from_value::<C>(v).map_err(|e| e.to_string());
        let c1 = c(serde_json::json!({"n": 4294967295u32, "o": null})).unwrap();
        assert_eq!((c1.n, c1.o), (u32::MAX, None));
        assert_eq!(c(serde_json::json!({"n": 0, "o": 7})).unwrap().o, Some(7));
        for (v, message) in [
            (
                serde_json::json!({"n": -1}),
                "invalid value: integer `-1`, expected a whole number from 0 to 4294967295",
            ),
            (
                serde_json::json!({"n": 4294967296u64}),
                "invalid value: integer `4294967296`, expected a whole number from 0 to 4294967295",
            ),
            (
                serde_json::json!({"n": 1, "o": 1.5}),
                "invalid type: floating point `1.5`, expected a whole number from 0 to 4294967295",
            ),
            (
                serde_json::json!({"n": "1"}),
                "invalid type: string \"1\", expected a whole number from 0 to 4294967295",
            ),
        ] {
            assert_eq!(c(v).unwrap_err(), message);
        }
    }

    #[test]
    fn timestamps() {
        assert!(Timestamp::new("yesterday").is_err());
        let t = Timestamp::new("2024-05-01T12:00:00.5+01:00").unwrap();
        assert_eq!(t.as_str(), "2024-05-01T12:00:00.5+01:00");
    }
}
