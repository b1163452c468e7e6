//! Parameters of lambdas: the projections of a source collection, their
//! SQLite encodings, resolving an encoding used in SQL back to its
//! projection, and binding a document's values.
//!
//! A field of only alphanumerics, whitespace, `_`, `-` and `/` is encoded
//! as `$` and the field with whitespace and `-` as `_` and `/` as `$`
//! (`With/Nesting` is `$With$Nesting`). Any other field is encoded as
//! `$p::(` and the field with whitespace as `_`, then `)`
//! (`hello, world!` is `$p::(hello,_world!)`).

use base64::Engine;
use rusqlite::types::{ToSqlOutput, Value as SqlValue};
use serde_json::Value;

use crate::validate::projection::{Projections, FLOW_PUBLISHED_AT};
use crate::validate::shape::{details_at, Shape};
use crate::{Catalog, Collection, CollectionDef};

/// The prefix of an encoding that names its field verbatim.
const EXPLICIT_PREFIX: &str = "$p::(";
/// The location of the document UUID.
const UUID_PTR: &str = "/_meta/uuid";
/// The location of an explicit projection of the publication time.
const UUID_DATE_TIME_PTR: &str = "/_meta/uuid/date-time";

/// A projection of a source collection, as a parameter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Param {
    /// The projected field.
    pub field: String,
    /// Its document location.
    pub ptr: String,
    /// Its canonical encoding.
    pub encoding: String,
    /// Whether the field is the publication time of the document UUID.
    pub published_at: bool,
    /// Whether the location is part of the collection key.
    pub is_key: bool,
    /// Whether the field is a logical partition.
    pub is_partition: bool,
    /// Whether strings at the location have `format: integer`.
    pub format_integer: bool,
    /// Whether strings at the location have `format: number`.
    pub format_number: bool,
    /// Whether strings at the location have `contentEncoding: base64`.
    pub base64: bool,
    /// The schema `default` of the location, bound when it is missing.
    pub default: Option<Value>,
    /// The location's title and description, for stubs.
    pub title: Option<String>,
    /// See `title`.
    pub description: Option<String>,
}

impl Param {
    /// A parameter of `field` at `ptr`, without annotations.
    #[cfg(test)]
    pub fn plain(field: &str, ptr: &str) -> Self {
        Param {
            field: field.to_string(),
            ptr: ptr.to_string(),
            encoding: encode(field),
            published_at: false,
            is_key: false,
            is_partition: false,
            format_integer: false,
            format_number: false,
            base64: false,
            default: None,
            title: None,
            description: None,
        }
    }
}

/// The canonical encoding of `field`.
pub(crate) fn encode(field: &str) -> String {
    let simple = field
        .chars()
        .all(|c| c.is_alphanumeric() || c.is_whitespace() || matches!(c, '_' | '-' | '/'));
    let mapped: String = field
        .chars()
        .map(|c| match c {
            c if c.is_whitespace() => '_',
            '/' if simple => '$',
            '-' if simple => '_',
            c => c,
        })
        .collect();
    if simple {
        format!("${mapped}")
    } else {
        format!("{EXPLICIT_PREFIX}{mapped})")
    }
}

/// The parameter that `encoding`, as written in SQL, names: the field of
/// the exact decoded name, else one it matches with `_` standing for
/// whitespace (or for `-`, outside of `$p::(…)`).
pub(crate) fn resolve<'p>(encoding: &str, params: &'p [Param]) -> Result<&'p Param, String> {
    let explicit = encoding.starts_with(EXPLICIT_PREFIX) && encoding.ends_with(')');
    let field = if explicit {
        encoding[EXPLICIT_PREFIX.len()..encoding.len() - 1].to_string()
    } else {
        // The first character is the parameter's sigil: `$`, `:` or `@`.
        let mut chars = encoding.chars();
        chars.next();
        chars.as_str().replace('$', "/")
    };
    if let Some(p) = params.iter().find(|p| p.field == field) {
        return Ok(p);
    }
    let wildcard = |candidate: &str| {
        let mut c = candidate.chars();
        field.chars().all(|f| match c.next() {
            Some(p) => f == p || (f == '_' && (p.is_whitespace() || (p == '-' && !explicit))),
            None => false,
        }) && c.next().is_none()
    };
    if let Some(p) = params.iter().find(|p| wildcard(&p.field)) {
        return Ok(p);
    }
    let closest = params
        .iter()
        .map(|p| (strsim::osa_distance(&field, &p.field), &p.encoding))
        .min();
    Err(match closest {
        Some((_, closest)) => format!("parameter {encoding} not found: did you mean {closest} ?"),
        None => format!("parameter {encoding} not found: this statement has no parameters"),
    })
}

/// The parameters of `source`, a collection of `catalog`: its projections,
/// sorted by field.
pub(crate) fn of_source(catalog: &Catalog, source: &Collection) -> Result<Vec<Param>, String> {
    let def = catalog
        .collections
        .get(source)
        .ok_or_else(|| format!("source collection {source} is not defined"))?;
    let (read_text, write_text) = schemas(def, source)?;
    let parse = |text: &str| -> Result<Value, String> {
        serde_json::from_str(text)
            .map_err(|err| format!("the schema of source collection {source} is not JSON: {err}"))
    };
    let read = parse(read_text)?;
    let write = write_text.map(parse).transpose()?;
    let compiled = crate::validate::schema::compile(read_text, write_text);
    let shape: &Shape = compiled.usable().ok_or_else(|| {
        format!("the schema of source collection {source} is not a usable object schema")
    })?;
    let projections = Projections::build(def, Some(shape));
    let fields: Vec<(&str, &crate::validate::projection::Proj)> = projections.fields().collect();
    let ptrs: Vec<&str> = fields.iter().map(|(_, p)| p.ptr.as_str()).collect();
    let annotated = details_at(&read, write.as_ref(), &ptrs);
    let mut out = Vec::with_capacity(fields.len());
    for ((field, proj), notes) in fields.into_iter().zip(annotated) {
        let explicit_date_time = def
            .projections
            .iter()
            .any(|(f, p)| f.as_str() == field && p.location().as_str() == UUID_DATE_TIME_PTR);
        let published_at = proj.ptr == UUID_PTR
            && ((field == FLOW_PUBLISHED_AT && !proj.explicit) || explicit_date_time);
        let format = shape.locate(&proj.ptr).0.format.as_deref();
        out.push(Param {
            field: field.to_string(),
            ptr: proj.ptr.clone(),
            encoding: encode(field),
            published_at,
            is_key: def.key.iter().any(|k| k.as_str() == proj.ptr),
            is_partition: proj.partition,
            format_integer: !published_at && format == Some("integer"),
            format_number: !published_at && format == Some("number"),
            base64: !published_at && notes.string.content_encoding.as_deref() == Some("base64"),
            default: notes.default,
            title: notes.title,
            description: notes.description,
        });
    }
    Ok(out)
}

/// The JSON text of the read schema of a collection, and of its write
/// schema when the read schema is a different one.
fn schemas<'d>(
    def: &'d CollectionDef,
    name: &Collection,
) -> Result<(&'d str, Option<&'d str>), String> {
    let inline = |s: &'d crate::Schema, prop: &str| -> Result<&'d str, String> {
        s.inline_json().ok_or_else(|| {
            format!(
                "the {prop} of source collection {name} is a reference to {}; \
                 inline the catalog's references first",
                s.as_reference().unwrap_or_default()
            )
        })
    };
    match (&def.schema, &def.write_schema, &def.read_schema) {
        (Some(s), _, None) => Ok((inline(s, "schema")?, None)),
        (_, Some(w), Some(r)) => Ok((inline(r, "readSchema")?, Some(inline(w, "writeSchema")?))),
        _ => Err(format!(
            "source collection {name} has neither `schema` nor both `writeSchema` and `readSchema`"
        )),
    }
}

/// The value to bind for `param` from `doc`.
pub(crate) fn value(param: &Param, doc: &Value) -> Result<ToSqlOutput<'static>, String> {
    if param.published_at {
        let uuid = doc.pointer(UUID_PTR).and_then(Value::as_str);
        return Ok(match uuid.and_then(uuid_v1_time) {
            Some(time) => ToSqlOutput::Owned(SqlValue::Text(time)),
            None => ToSqlOutput::Owned(SqlValue::Null),
        });
    }
    let found = if param.ptr.is_empty() {
        Some(doc)
    } else {
        doc.pointer(&param.ptr)
    };
    let value = match found.or(param.default.as_ref()) {
        None | Some(Value::Null) => SqlValue::Null,
        Some(Value::Bool(b)) => SqlValue::Integer(i64::from(*b)),
        Some(Value::Number(n)) => {
            if let Some(i) = n.as_i64() {
                SqlValue::Integer(i)
            } else if n.is_u64() {
                return Err("integer too large to bind (greater than 2^63-1)".to_string());
            } else {
                SqlValue::Real(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Some(Value::String(s)) => string_value(param, s),
        Some(v @ (Value::Array(_) | Value::Object(_))) => SqlValue::Text(v.to_string()),
    };
    Ok(ToSqlOutput::Owned(value))
}

/// A string, as INTEGER, REAL or BLOB when its location says so and it
/// parses, else as TEXT.
fn string_value(param: &Param, s: &str) -> SqlValue {
    if param.format_integer {
        if let Ok(i) = s.parse::<i64>() {
            return SqlValue::Integer(i);
        }
    }
    if param.format_number {
        if let Ok(f) = s.parse::<f64>() {
            return SqlValue::Real(f);
        }
    }
    if param.base64 {
        if let Ok(b) = base64::engine::general_purpose::STANDARD.decode(s) {
            return SqlValue::Blob(b);
        }
    }
    SqlValue::Text(s.to_string())
}

/// The time of a version 1 UUID, in RFC 3339, or `None` if `uuid` is not
/// one.
pub(crate) fn uuid_v1_time(uuid: &str) -> Option<String> {
    let b = uuid.as_bytes();
    let dashes = [8, 13, 18, 23];
    if b.len() != 36
        || dashes.iter().any(|&i| b[i] != b'-')
        || b.iter()
            .enumerate()
            .any(|(i, c)| !dashes.contains(&i) && !c.is_ascii_hexdigit())
        || b[14] != b'1'
    {
        return None;
    }
    let hex = |r: std::ops::Range<usize>| u64::from_str_radix(&uuid[r], 16).ok();
    let (low, mid, high) = (hex(0..8)?, hex(9..13)?, hex(15..18)?);
    // 100ns intervals since the Gregorian epoch, 1582-10-15.
    let ticks = (high << 48) | (mid << 32) | low;
    const GREGORIAN_TO_UNIX: i64 = 0x01B2_1DD2_1381_4000;
    let unix = i64::try_from(ticks).ok()? - GREGORIAN_TO_UNIX;
    let (secs, rem) = (unix.div_euclid(10_000_000), unix.rem_euclid(10_000_000));
    let time = chrono::DateTime::from_timestamp(secs, u32::try_from(rem * 100).ok()?)?;
    Some(time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
}
