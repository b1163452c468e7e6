//! The `reduce` annotation of a schema location, parsed into a strategy and
//! its options.

use serde::Deserialize;
use serde_json::Value;

/// A reduction strategy with its options, as a `reduce` annotation gives it.
///
/// ```
/// use flowspec::testing::reduce::Strategy;
/// let s = Strategy::parse(&serde_json::json!({"strategy": "merge", "key": ["/id"]})).unwrap();
/// assert_eq!(s, Strategy::Merge { key: vec!["/id".to_string()], delete: false });
/// assert_eq!(Strategy::default(), Strategy::LastWriteWins { delete: false, associative: true });
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "strategy", rename_all = "camelCase", deny_unknown_fields)]
pub enum Strategy {
    /// Append the items of arrays.
    Append,
    /// Keep the first value.
    FirstWriteWins,
    /// Union JSON schemas.
    JsonSchemaMerge,
    /// Keep the last value.
    #[serde(rename_all = "camelCase")]
    LastWriteWins {
        /// Full reductions remove the location (the document, at the root).
        #[serde(default)]
        delete: bool,
        /// Whether unequal values may be reduced before the base document
        /// is known.
        #[serde(default = "yes")]
        associative: bool,
    },
    /// Keep the greatest value, or the value with the greatest key.
    Maximize {
        /// Pointers of the key within the value (none: the whole value).
        #[serde(default)]
        key: Vec<String>,
    },
    /// Merge objects property-wise and arrays item-wise (or by key).
    Merge {
        /// Pointers of the key of array items (none: by index).
        #[serde(default)]
        key: Vec<String>,
        /// Full reductions remove the location (the document, at the root).
        #[serde(default)]
        delete: bool,
    },
    /// Keep the smallest value, or the value with the smallest key.
    Minimize {
        /// Pointers of the key within the value (none: the whole value).
        #[serde(default)]
        key: Vec<String>,
    },
    /// Add to, intersect with or remove from a set.
    Set {
        /// Pointers of the key of members in array form.
        #[serde(default)]
        key: Vec<String>,
    },
    /// Add numbers.
    Sum,
}

fn yes() -> bool {
    true
}

impl Default for Strategy {
    fn default() -> Self {
        Strategy::LastWriteWins {
            delete: false,
            associative: true,
        }
    }
}

impl Strategy {
    /// Parses a `reduce` annotation.
    ///
    /// ```
    /// use flowspec::testing::reduce::Strategy;
    /// assert_eq!(Strategy::parse(&serde_json::json!({"strategy": "sum"})), Ok(Strategy::Sum));
    /// assert_eq!(
    ///     Strategy::parse(&serde_json::json!({"strategy": "merge", "key": "id"})),
    ///     Err("invalid `reduce` annotation {\"strategy\":\"merge\",\"key\":\"id\"}: invalid type: string \"id\", expected a sequence".to_string())
    /// );
    /// ```
    pub fn parse(annotation: &Value) -> Result<Strategy, String> {
        Strategy::deserialize(annotation)
            .map_err(|err| format!("invalid `reduce` annotation {annotation}: {err}"))
    }
}
