//! Sets of JSON types, as a schema location may take them.

use serde_json::Value;

/// A set of JSON types. `number` is the union of `integer` and
/// `fractional` (a number with a fractional part), as in Estuary's model.
///
/// ```
/// use flowspec::validate::Types;
/// let t = Types::STRING | Types::NULL;
/// assert!(t.is_keyable());
/// assert_eq!(t.to_string(), r#"["null", "string"]"#);
/// assert_eq!(Types::for_value(&serde_json::json!(1.5)), Types::FRACTIONAL);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Types(u8);

impl Types {
    /// No type: the location cannot exist.
    pub const INVALID: Types = Types(0);
    /// `array`.
    pub const ARRAY: Types = Types(1);
    /// `boolean`.
    pub const BOOLEAN: Types = Types(1 << 1);
    /// A number with a fractional part.
    pub const FRACTIONAL: Types = Types(1 << 2);
    /// `integer`.
    pub const INTEGER: Types = Types(1 << 3);
    /// `null`.
    pub const NULL: Types = Types(1 << 4);
    /// `object`.
    pub const OBJECT: Types = Types(1 << 5);
    /// `string`.
    pub const STRING: Types = Types(1 << 6);
    /// `number`: an integer or a fractional number.
    pub const NUMBER: Types = Types(Self::INTEGER.0 | Self::FRACTIONAL.0);
    /// Any type.
    pub const ANY: Types = Types(0x7f);

    /// The type of a JSON type name (`"number"`, `"string"`, …).
    ///
    /// ```
    /// use flowspec::validate::Types;
    /// assert_eq!(Types::for_name("number"), Some(Types::NUMBER));
    /// assert_eq!(Types::for_name("text"), None);
    /// ```
    pub fn for_name(name: &str) -> Option<Types> {
        Some(match name {
            "array" => Self::ARRAY,
            "boolean" => Self::BOOLEAN,
            "fractional" => Self::FRACTIONAL,
            "integer" => Self::INTEGER,
            "null" => Self::NULL,
            "number" => Self::NUMBER,
            "object" => Self::OBJECT,
            "string" => Self::STRING,
            _ => return None,
        })
    }

    /// The type of a value. A number without a fractional part is an
    /// `integer`, as JSON schema's `integer` type defines it.
    ///
    /// ```
    /// use flowspec::validate::Types;
    /// assert_eq!(Types::for_value(&serde_json::json!(2.0)), Types::INTEGER);
    /// ```
    pub fn for_value(value: &Value) -> Types {
        match value {
            Value::Null => Self::NULL,
            Value::Bool(_) => Self::BOOLEAN,
            Value::Number(n) => match n.as_f64() {
                Some(f) if !(n.is_i64() || n.is_u64()) && f.fract() != 0.0 => Self::FRACTIONAL,
                _ => Self::INTEGER,
            },
            Value::String(_) => Self::STRING,
            Value::Array(_) => Self::ARRAY,
            Value::Object(_) => Self::OBJECT,
        }
    }

    /// Whether the two sets share a type.
    ///
    /// ```
    /// use flowspec::validate::Types;
    /// assert!(Types::NUMBER.overlaps(Types::INTEGER));
    /// ```
    pub fn overlaps(self, other: Types) -> bool {
        self.0 & other.0 != 0
    }

    /// Whether a location of these types may be a key: exactly one scalar
    /// type of boolean, integer, number or string, optionally with null.
    ///
    /// ```
    /// use flowspec::validate::Types;
    /// assert!((Types::INTEGER | Types::NULL).is_keyable());
    /// assert!(!(Types::STRING | Types::INTEGER).is_keyable());
    /// assert!(!Types::NULL.is_keyable());
    /// ```
    pub fn is_keyable(self) -> bool {
        let t = self - Self::NULL;
        t == Self::BOOLEAN
            || t == Self::INTEGER
            || t == Self::NUMBER
            || t == Self::FRACTIONAL
            || t == Self::STRING
    }

    /// The type names in this set, in Estuary's order (`number` for an
    /// integer-or-fractional pair).
    ///
    /// ```
    /// use flowspec::validate::Types;
    /// assert_eq!((Types::NUMBER | Types::NULL).names(), vec!["null", "number"]);
    /// ```
    pub fn names(self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let number = self.0 & Self::NUMBER.0 == Self::NUMBER.0;
        if self.overlaps(Self::ARRAY) {
            out.push("array");
        }
        if self.overlaps(Self::BOOLEAN) {
            out.push("boolean");
        }
        if !number && self.overlaps(Self::FRACTIONAL) {
            out.push("fractional");
        }
        if !number && self.overlaps(Self::INTEGER) {
            out.push("integer");
        }
        if self.overlaps(Self::NULL) {
            out.push("null");
        }
        if number {
            out.push("number");
        }
        if self.overlaps(Self::OBJECT) {
            out.push("object");
        }
        if self.overlaps(Self::STRING) {
            out.push("string");
        }
        out
    }
}

impl std::ops::BitOr for Types {
    type Output = Types;
    fn bitor(self, rhs: Types) -> Types {
        Types(self.0 | rhs.0)
    }
}

impl std::ops::BitAnd for Types {
    type Output = Types;
    fn bitand(self, rhs: Types) -> Types {
        Types(self.0 & rhs.0)
    }
}

impl std::ops::Sub for Types {
    type Output = Types;
    fn sub(self, rhs: Types) -> Types {
        Types(self.0 & !rhs.0)
    }
}

impl std::fmt::Display for Types {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[")?;
        for (i, name) in self.names().into_iter().enumerate() {
            if i != 0 {
                f.write_str(", ")?;
            }
            write!(f, "\"{name}\"")?;
        }
        f.write_str("]")
    }
}

impl std::fmt::Debug for Types {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keyable_types() {
        let cases = [
            (Types::STRING, true),
            (Types::INTEGER, true),
            (Types::NUMBER, true),
            (Types::FRACTIONAL, true),
            (Types::BOOLEAN | Types::NULL, true),
            (Types::NULL, false),
            (Types::OBJECT, false),
            (Types::ARRAY | Types::NULL, false),
            (Types::STRING | Types::BOOLEAN, false),
            (Types::INVALID, false),
            (Types::ANY, false),
        ];
        for (t, want) in cases {
            assert_eq!(t.is_keyable(), want, "{t}");
        }
    }

    #[test]
    fn value_types_and_names() {
        assert_eq!(Types::for_value(&json!(null)), Types::NULL);
        assert_eq!(Types::for_value(&json!(-3)), Types::INTEGER);
        assert_eq!(Types::for_value(&json!(3.25)), Types::FRACTIONAL);
        assert_eq!(Types::for_value(&json!({})), Types::OBJECT);
        assert_eq!(
            Types::ANY.to_string(),
            r#"["array", "boolean", "null", "number", "object", "string"]"#
        );
        assert_eq!(Types::FRACTIONAL.to_string(), r#"["fractional"]"#);
        assert_eq!(Types::INVALID.to_string(), "[]");
    }
}
