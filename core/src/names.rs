//! Validated names: catalog names, tokens, JSON pointers, projection fields.
//!
//! Every name type is a newtype over `String` made by one macro. `new` is the
//! only way in; `Deserialize`, `FromStr` and the JSON-schema `pattern` share the
//! same rule, so an invalid name never gets into a model.
//!
//! Catalog names follow the control plane's rule, which is stricter than the
//! models': at least two `/`-separated tokens, and NFKC-normalized text.
//!
//! ```
//! use flowspec::{Collection, JsonPointer};
//!
//! let c = Collection::new("acmeCo/anvils/products").unwrap();
//! assert_eq!(c.as_str(), "acmeCo/anvils/products");
//! assert!(Collection::new("products").is_err()); // needs a tenant prefix
//! assert!(JsonPointer::new("id").is_err()); // missing leading '/'
//! ```

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// One token of a name: Unicode letters and digits, `-`, `_` and `.`.
pub const TOKEN: &str = r"[\p{Letter}\p{Number}\-_\.]+";
/// A catalog name: two or more tokens joined by `/`.
pub const CATALOG_NAME: &str = r"[\p{Letter}\p{Number}\-_\.]+(/[\p{Letter}\p{Number}\-_\.]+)+";
/// A JSON pointer; `""` is the document root.
pub const JSON_POINTER: &str = r"(/([^/~]|~[01])+)*";
/// A projection field name.
pub const FIELD: &str = r"([^/~]|~[01])+(/([^/~]|~[01])+)*";
/// A catalog prefix: tokens each followed by `/`.
pub const PREFIX: &str = r"([\p{Letter}\p{Number}\-_\.]+/)*";

/// Why a name was rejected.
///
/// ```
/// use flowspec::Collection;
/// let err = Collection::new("acme co/x").unwrap_err();
/// assert!(err.to_string().contains("\" co/x\" is invalid"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct NameError {
    /// The kind of name that was checked, e.g. `collection`.
    pub entity: &'static str,
    /// The rejected value.
    pub value: String,
    /// A sentence naming the value and the reason.
    pub message: String,
}

impl NameError {
    /// A name error; an age identity given as a name is redacted from the
    /// value and the message.
    fn new(entity: &'static str, value: &str, message: String) -> Self {
        Self {
            entity,
            value: crate::redact::redact_identities(value),
            message: crate::redact::redact_identities(&message),
        }
    }
}

thread_local! {
    /// The last name rejected while deserializing on this thread, so that a
    /// failed decode can be reported as the name error it is (code
    /// `invalid_name`) rather than a generic one: serde keeps only the
    /// message.
    static REJECTED: std::cell::RefCell<Option<NameError>> = const { std::cell::RefCell::new(None) };
}

fn remember_rejected(err: NameError) {
    REJECTED.with(|r| *r.borrow_mut() = Some(err));
}

/// Forgets the name rejected last on this thread: called before a decode.
pub(crate) fn forget_rejected() {
    REJECTED.with(|r| *r.borrow_mut() = None);
}

/// The name rejected last on this thread, if a decode failed with its
/// `message` (and not with a later error, say of an untagged enum that
/// tried it as one of its variants).
pub(crate) fn take_rejected(message: &str) -> Option<NameError> {
    REJECTED.with(|r| {
        let mut r = r.borrow_mut();
        match r.as_ref() {
            Some(err) if err.message == message => r.take(),
            _ => None,
        }
    })
}

/// The error of a form of a value that did not parse, as a serde error:
/// a name error is remembered as the name error it is.
pub(crate) trait FormError {
    /// This error as a serde error.
    fn into_de_error<E: serde::de::Error>(self) -> E;
}

impl FormError for NameError {
    fn into_de_error<E: serde::de::Error>(self) -> E {
        let message = self.message.clone();
        remember_rejected(self);
        E::custom(message)
    }
}

impl FormError for String {
    fn into_de_error<E: serde::de::Error>(self) -> E {
        E::custom(self)
    }
}

impl FormError for &str {
    fn into_de_error<E: serde::de::Error>(self) -> E {
        E::custom(self)
    }
}

fn anchored(pattern: &str) -> Regex {
    Regex::new(&format!("^(?:{pattern})$")).expect("name patterns compile")
}

/// Returns the first part of `value` that a full match of `re` leaves out,
/// as Estuary reports it: the text after the longest valid prefix.
fn unmatched(re_prefix: &Regex, value: &str) -> String {
    let end = re_prefix.find(value).map(|m| m.end()).unwrap_or(0);
    value[end..].to_string()
}

static TOKEN_RE: LazyLock<Regex> = LazyLock::new(|| anchored(TOKEN));
static TOKEN_PREFIX_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^(?:{TOKEN})(/{TOKEN})*")).unwrap());
static CATALOG_RE: LazyLock<Regex> = LazyLock::new(|| anchored(CATALOG_NAME));
static POINTER_RE: LazyLock<Regex> = LazyLock::new(|| anchored(JSON_POINTER));
static POINTER_PREFIX_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^{JSON_POINTER}")).unwrap());
static FIELD_RE: LazyLock<Regex> = LazyLock::new(|| anchored(FIELD));
static FIELD_PREFIX_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([^/~]|~[01])+(/([^/~]|~[01])+)*").unwrap());
static PREFIX_RE: LazyLock<Regex> = LazyLock::new(|| anchored(PREFIX));

fn check_catalog_name(entity: &'static str, value: &str) -> Result<(), NameError> {
    if value.is_empty() {
        return Err(NameError::new(
            entity,
            value,
            format!("{entity} name cannot be empty"),
        ));
    }
    if !TOKEN_PREFIX_RE.is_match(value)
        || TOKEN_PREFIX_RE.find(value).map(|m| m.end()) != Some(value.len())
    {
        let bad = unmatched(&TOKEN_PREFIX_RE, value);
        return Err(NameError::new(
            entity,
            value,
            format!("{value} cannot be used as name for {entity} ({bad:?} is invalid)"),
        ));
    }
    if !CATALOG_RE.is_match(value) {
        return Err(NameError::new(
            entity,
            value,
            format!(
                "{value} cannot be used as name for {entity} (it needs at least two \
                 `/`-separated parts, a tenant prefix and a name, like acmeCo/{value})"
            ),
        ));
    }
    // ASCII text is already NFKC-normalized.
    let normalized: String = if value.is_ascii() {
        String::new()
    } else {
        value.nfkc().collect()
    };
    if !value.is_ascii() && normalized != value {
        return Err(NameError::new(
            entity,
            value,
            format!(
                "{value} cannot be used as name for {entity} (it is not NFKC-normalized; \
                 write {normalized:?})"
            ),
        ));
    }
    Ok(())
}

fn check_token(entity: &'static str, value: &str) -> Result<(), NameError> {
    if value.is_empty() {
        return Err(NameError::new(
            entity,
            value,
            format!("{entity} name cannot be empty"),
        ));
    }
    if !TOKEN_RE.is_match(value) {
        let end = Regex::new(&format!("^{TOKEN}"))
            .unwrap()
            .find(value)
            .map(|m| m.end())
            .unwrap_or(0);
        let bad = &value[end..];
        return Err(NameError::new(
            entity,
            value,
            format!("{value} cannot be used as name for {entity} ({bad:?} is invalid)"),
        ));
    }
    Ok(())
}

fn check_pointer(entity: &'static str, value: &str) -> Result<(), NameError> {
    if !value.is_empty() && !value.starts_with('/') {
        return Err(NameError::new(
            entity,
            value,
            format!("{value:?} is not a valid JSON pointer (missing leading '/' slash)"),
        ));
    }
    if !POINTER_RE.is_match(value) {
        let bad = unmatched(&POINTER_PREFIX_RE, value);
        return Err(NameError::new(
            entity,
            value,
            format!(
                "{value:?} is not a valid JSON pointer ({bad:?} is invalid: use `~0` for `~` \
                 and `~1` for `/`, and no empty tokens)"
            ),
        ));
    }
    Ok(())
}

fn check_field(entity: &'static str, value: &str) -> Result<(), NameError> {
    if value.is_empty() {
        return Err(NameError::new(
            entity,
            value,
            format!("{entity} name cannot be empty"),
        ));
    }
    if !FIELD_RE.is_match(value) {
        let bad = unmatched(&FIELD_PREFIX_RE, value);
        return Err(NameError::new(
            entity,
            value,
            format!("{value} cannot be used as name for {entity} ({bad:?} is invalid)"),
        ));
    }
    Ok(())
}

fn check_prefix(entity: &'static str, value: &str) -> Result<(), NameError> {
    if !PREFIX_RE.is_match(value) {
        return Err(NameError::new(
            entity,
            value,
            format!(
                "{value} cannot be used as a {entity} (it must be tokens each followed by `/`, \
                 like acmeCo/anvils/)"
            ),
        ));
    }
    Ok(())
}

macro_rules! name_type {
    ($(#[doc = $doc:literal])* $name:ident, $entity:literal, $check:ident, $pattern:expr, $example:literal) => {
        $(#[doc = $doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The kind of name, as used in messages.
            pub const ENTITY: &'static str = $entity;

            /// Validates `value` and wraps it.
            pub fn new(value: impl Into<String>) -> Result<Self, NameError> {
                let value = value.into();
                $check($entity, &value)?;
                Ok(Self(value))
            }

            /// The name as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Unwraps the name.
            pub fn into_string(self) -> String {
                self.0
            }

            /// An example value, used in the JSON schema.
            pub fn example() -> Self {
                Self($example.to_string())
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = NameError;
            fn from_str(s: &str) -> Result<Self, NameError> {
                Self::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = NameError;
            fn try_from(s: &str) -> Result<Self, NameError> {
                Self::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = NameError;
            fn try_from(s: String) -> Result<Self, NameError> {
                Self::new(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::new(s).map_err($crate::names::FormError::into_de_error)
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let doc = [$($doc.trim_start()),*].join("\n");
                let (title, description) = split_doc(&doc);
                let mut schema = schemars::json_schema!({
                    "type": "string",
                    "pattern": format!("^{}$", $pattern),
                    "examples": [$example],
                });
                if let Some(t) = title { schema.insert("title".into(), t.into()); }
                if !description.is_empty() { schema.insert("description".into(), description.into()); }
                schema
            }
        }
    };
}

name_type!(
    /// # Collection name
    /// The name of a collection: `tenant/path/name`, two or more tokens of
    /// Unicode letters, digits, `-`, `_` or `.`, joined by `/`.
    Collection, "collection", check_catalog_name, CATALOG_NAME, "acmeCo/anvils/products"
);
name_type!(
    /// # Capture name
    /// The name of a capture: `tenant/path/name`, two or more tokens joined by `/`.
    Capture, "capture", check_catalog_name, CATALOG_NAME, "acmeCo/capture/source-postgres"
);
name_type!(
    /// # Materialization name
    /// The name of a materialization: `tenant/path/name`, two or more tokens joined by `/`.
    Materialization, "materialization", check_catalog_name, CATALOG_NAME,
    "acmeCo/materialize/snowflake"
);
name_type!(
    /// # Test name
    /// The name of a test: `tenant/path/name`, two or more tokens joined by `/`.
    Test, "test", check_catalog_name, CATALOG_NAME, "acmeCo/tests/products"
);
name_type!(
    /// # Transform name
    /// The name of a derivation transform: one token of Unicode letters,
    /// digits, `-`, `_` or `.`. It must be unique and stable: renaming a
    /// transform makes a new one that reads its source again.
    Transform, "transform", check_token, TOKEN, "fromOrders"
);
name_type!(
    /// # Token
    /// A single token of Unicode letters, digits, `-`, `_` or `.`.
    Token, "token", check_token, TOKEN, "token"
);
name_type!(
    /// # JSON pointer
    /// A JSON pointer (RFC 6901) to a document location, like `/id` or
    /// `/address/city`. `~1` escapes `/` and `~0` escapes `~`.
    JsonPointer, "JSON pointer", check_pointer, JSON_POINTER, "/json/ptr"
);
name_type!(
    /// # Field name
    /// The name of a projected field: a flat name like `user_id` or a path
    /// like `address/city`. Spaces are allowed.
    Field, "field", check_field, FIELD, "my_field"
);
name_type!(
    /// # Catalog prefix
    /// A prefix of catalog names, ending in `/`, like `acmeCo/anvils/`.
    Prefix, "prefix", check_prefix, PREFIX, "acmeCo/anvils/"
);

impl JsonPointer {
    /// The unescaped tokens of the pointer.
    ///
    /// ```
    /// use flowspec::JsonPointer;
    /// let p = JsonPointer::new("/a~1b/c~0d").unwrap();
    /// assert_eq!(p.tokens(), vec!["a/b", "c~d"]);
    /// ```
    pub fn tokens(&self) -> Vec<String> {
        split_pointer(&self.0)
    }

    /// The field name a pointer projects to when no projection names it:
    /// the pointer without its leading `/`.
    ///
    /// ```
    /// use flowspec::JsonPointer;
    /// assert_eq!(JsonPointer::new("/a/b").unwrap().inferred_field(), "a/b");
    /// ```
    pub fn inferred_field(&self) -> String {
        self.0.trim_start_matches('/').to_string()
    }
}

/// Splits a JSON pointer into unescaped tokens (`""` gives none).
pub fn split_pointer(ptr: &str) -> Vec<String> {
    if ptr.is_empty() {
        return Vec::new();
    }
    ptr.trim_start_matches('/')
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Escapes one token for use in a JSON pointer.
///
/// ```
/// assert_eq!(flowspec::names::escape_token("acmeCo/x"), "acmeCo~1x");
/// ```
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The collation key of a catalog name, used for uniqueness: NFD, then
/// case-fold, then NFKC. `Foo/Bar` and `foo/bar` have the same key.
///
/// ```
/// use flowspec::names::collate;
/// assert_eq!(collate("acmeCo/Anvils"), collate("ACMECO/anvils"));
/// ```
pub fn collate(name: &str) -> String {
    let nfd: String = name.nfd().collect();
    let folded = caseless::default_case_fold_str(&nfd);
    folded.nfkc().collect()
}

/// Splits a doc comment into a `# Title` line and the description after it.
pub(crate) fn split_doc(doc: &str) -> (Option<String>, String) {
    let doc = doc.trim();
    if let Some(rest) = doc.strip_prefix("# ") {
        let (title, desc) = rest.split_once('\n').unwrap_or((rest, ""));
        let desc = desc
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string();
        (Some(title.trim().to_string()), desc)
    } else {
        (None, doc.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_names() {
        let cases: &[(&str, Option<&str>)] = &[
            ("acmeCo/anvils", None),
            ("acmeCo/anvils/products", None),
            ("acmeCo/ünïcødé/数据", None),
            ("a-b_c.d/e", None),
            ("", Some("collection name cannot be empty")),
            ("anvils", Some("needs at least two `/`-separated parts")),
            ("acmeCo//anvils", Some("(\"//anvils\" is invalid)")),
            ("acmeCo/anvils/", Some("(\"/\" is invalid)")),
            ("/acmeCo/anvils", Some("(\"/acmeCo/anvils\" is invalid)")),
            ("acmeCo/an vils", Some("(\" vils\" is invalid)")),
            ("acmeCo/ﬁle", Some("not NFKC-normalized")),
        ];
        for (name, err) in cases {
            match (Collection::new(*name), err) {
                (Ok(_), None) => {}
                (Err(e), Some(want)) => {
                    assert!(e.to_string().contains(want), "{name}: {e}")
                }
                (got, want) => panic!("{name}: got {got:?}, want error {want:?}"),
            }
        }
    }

    #[test]
    fn pointers_and_fields() {
        assert!(JsonPointer::new("").is_ok());
        assert!(JsonPointer::new("/a/b~0~1").is_ok());
        let e = JsonPointer::new("a").unwrap_err();
        assert_eq!(
            e.to_string(),
            "\"a\" is not a valid JSON pointer (missing leading '/' slash)"
        );
        assert!(JsonPointer::new("/a//b").is_err());
        assert!(JsonPointer::new("/a~2").is_err());
        assert!(Field::new("my field").is_ok());
        assert!(Field::new("a/b").is_ok());
        assert!(Field::new("/a").is_err());
        assert!(Field::new("a/").is_err());
        assert!(Transform::new("from Orders").is_err());
        assert!(Prefix::new("acmeCo/").is_ok());
        assert!(Prefix::new("acmeCo").is_err());
    }

    #[test]
    fn deserialize_uses_the_same_rule() {
        let err = serde_json::from_str::<Collection>("\"nope\"").unwrap_err();
        assert!(err.to_string().contains("at least two"));
        let ok: Collection = serde_json::from_str("\"a/b\"").unwrap();
        assert_eq!(ok.as_str(), "a/b");
    }

    #[test]
    fn collation() {
        assert_eq!(collate("Foo/Bar"), collate("foo/bar"));
        assert_eq!(collate("straße/x"), collate("STRASSE/x"));
        assert_ne!(collate("a/b"), collate("a/c"));
    }
}
