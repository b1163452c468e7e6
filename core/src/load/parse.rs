//! Text → `serde_json::Value`, for YAML and JSON, with key order kept.
//!
//! One visitor builds the value for both formats, so both get the same
//! checks: duplicate keys, YAML tags, non-finite numbers, scalar map keys
//! (taken as written), `<<` merge keys (catalog files only) and a budget on
//! the number of values, which stops YAML alias bombs. Nesting depth is
//! bounded by the parsers themselves (see [`MAX_DEPTH`]).

use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::json::{number_of_map, NUMBER_TOKEN};
use crate::yaml::read as yaml;
use crate::{codes, Diagnostic};

/// The largest file the loader reads.
pub(crate) const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// How deeply documents may nest. Both parsers stop at this depth; the
/// number is the one serde_json and serde_yaml use (serde_json reads 127
/// levels, the YAML reader 128). Values built in code may nest
/// [`crate::json::MAX_DEPTH`] levels, which leaves room for the places of a
/// catalog document that hold them.
pub(crate) const MAX_DEPTH: usize = 128;

// Every value within its limit, at the deepest place of a catalog document
// (10 levels down), is within the documents' limit.
const _: () = assert!(crate::json::MAX_DEPTH + 10 < MAX_DEPTH);

/// The most values a document of `len` bytes may expand to. Without
/// aliases a value takes at least two bytes of text, so this only bites
/// when YAML aliases multiply the text.
fn node_limit(len: usize) -> usize {
    1_000_000 + 4 * len
}

pub(crate) use crate::Format;

/// Parses `bytes`, the content of the file at `url`, into a value.
///
/// `merge` applies YAML `<<` merge keys (Estuary applies them in catalog
/// files only). Problems are reported at `url`, with line and column.
pub(crate) fn parse(
    bytes: &[u8],
    url: &str,
    format: Format,
    merge: bool,
) -> Result<Value, Diagnostic> {
    parse_str(utf8(bytes, url)?, url, format, merge)
}

/// `bytes`, the content of the file at `url`, as text.
pub(crate) fn utf8<'b>(bytes: &'b [u8], url: &str) -> Result<&'b str, Diagnostic> {
    std::str::from_utf8(bytes).map_err(|err| {
        let (line, column) = line_column(bytes, err.valid_up_to());
        Diagnostic::new(
            url,
            format!("file is not UTF-8 text: invalid byte at line {line} column {column}"),
            codes::NOT_UTF8,
        )
    })
}

/// Parses `text` (see [`parse`]).
pub(crate) fn parse_str(
    text: &str,
    url: &str,
    format: Format,
    merge: bool,
) -> Result<Value, Diagnostic> {
    let text = without_bom(text);
    if is_blank(text) {
        // An empty file is null, in JSON as in YAML.
        return Ok(Value::Null);
    }
    let ctx = Ctx::new(text.len(), merge && format == Format::Yaml);

    match format {
        Format::Json => {
            json_with(text, ValueSeed { ctx: &ctx }).map_err(|err| json_diagnostic(url, &ctx, &err))
        }
        Format::Yaml => {
            // JSON is YAML, and serde_json is many times faster than a YAML
            // parser: try it first on text that looks like JSON. If it fails,
            // the YAML parser has the last word (and its error message).
            if looks_like_json(text) {
                if let Ok(value) = json_with(text, ValueSeed { ctx: &ctx }) {
                    return Ok(value);
                }
            }
            yaml_with(text, url, &ctx, ValueSeed { ctx: &ctx })
        }
    }
}

/// Whether `text` holds nothing but whitespace: an empty document.
pub(super) fn is_blank(text: &str) -> bool {
    text.trim_start_matches([' ', '\t', '\n', '\r']).is_empty()
}

/// `text` without a leading byte order mark.
pub(super) fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Whether YAML `text` may be JSON, which is worth trying first.
pub(super) fn looks_like_json(text: &str) -> bool {
    let trimmed = text.trim_start();
    trimmed.starts_with('{') || trimmed.starts_with('[')
}

/// Deserializes the JSON `text` with `seed`, which must take all of it.
pub(super) fn json_with<'de, S: DeserializeSeed<'de>>(
    text: &'de str,
    seed: S,
) -> Result<S::Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = seed.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// Deserializes the YAML `text` (of the file at `url`) with `seed`, a
/// visitor sharing `ctx`, with the streaming YAML reader.
pub(super) fn yaml_with<'de, S: DeserializeSeed<'de>>(
    text: &'de str,
    url: &str,
    ctx: &Ctx,
    seed: S,
) -> Result<S::Value, Diagnostic> {
    ctx.reset(codes::YAML_SYNTAX);
    seed.deserialize(yaml::Deserializer::from_str(text))
        .map_err(|err| yaml_diagnostic(url, ctx, err.location(), &err))
}

/// Parses YAML `text` (without the JSON fast path of [`parse_str`]), with
/// the streaming deserializer or, when `serde_yaml`, with serde_yaml as
/// before it: tests compare the two.
#[cfg(test)]
pub(crate) fn parse_yaml_with(
    text: &str,
    url: &str,
    merge: bool,
    serde_yaml: bool,
) -> Result<(Value, bool), Diagnostic> {
    let text = without_bom(text);
    let ctx = Ctx::new(text.len(), merge);
    let value = if serde_yaml {
        ctx.reset(codes::YAML_SYNTAX);
        ValueSeed { ctx: &ctx }
            .deserialize(serde_yaml::Deserializer::from_str(text))
            .map_err(|err| {
                let location = err.location().map(|l| (l.line(), l.column()));
                yaml_diagnostic(url, &ctx, location, &err)
            })
    } else {
        yaml_with(text, url, &ctx, ValueSeed { ctx: &ctx })
    }?;
    Ok((value, ctx.has_refs.get()))
}

/// The 1-based line and column of byte `offset`.
fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

pub(super) fn json_diagnostic(url: &str, ctx: &Ctx, err: &serde_json::Error) -> Diagnostic {
    let at = format!("at line {} column {}", err.line(), err.column());
    if let Some((code, message)) = ctx.error.borrow_mut().take() {
        return Diagnostic::new(url, format!("{message} {at}"), code);
    }
    let text = err.to_string();
    if text.starts_with("recursion limit exceeded") {
        return Diagnostic::new(url, nesting_message(&at), codes::NESTING_TOO_DEEP);
    }
    Diagnostic::new(url, format!("invalid JSON: {text}"), codes::JSON_SYNTAX)
}

/// The diagnostic of a YAML parse that failed with `err`, at `location`
/// (the visitor's own error, if it raised one).
pub(crate) fn yaml_diagnostic(
    url: &str,
    ctx: &Ctx,
    location: Option<(usize, usize)>,
    err: &dyn fmt::Display,
) -> Diagnostic {
    let at = location
        .map(|(line, column)| format!("at line {line} column {column}"))
        .unwrap_or_default();
    if let Some((code, message)) = ctx.error.borrow_mut().take() {
        return Diagnostic::new(url, format!("{message} {at}").trim_end().to_string(), code);
    }
    let text = err.to_string();
    if text.starts_with("recursion limit exceeded") {
        return Diagnostic::new(url, nesting_message(&at), codes::NESTING_TOO_DEEP);
    }
    if text.starts_with("repetition limit exceeded") {
        return Diagnostic::new(
            url,
            "YAML aliases expand too many times (is this an alias bomb?)",
            codes::ALIAS_LIMIT,
        );
    }
    if text.starts_with("YAML tags are not supported") {
        let message = format!("{text} {at}").trim_end().to_string();
        return Diagnostic::new(url, message, codes::YAML_SYNTAX);
    }
    if text.starts_with("deserializing from YAML containing more than one document") {
        return Diagnostic::new(
            url,
            "a file must hold one YAML document, but this one holds more than one (separated by `---`)",
            codes::YAML_SYNTAX,
        );
    }
    let mut message = format!("invalid YAML: {text}");
    if !at.is_empty() && !text.contains(" at line ") {
        message = format!("{message} {at}");
    }
    Diagnostic::new(url, message, codes::YAML_SYNTAX)
}

fn nesting_message(at: &str) -> String {
    format!("the document nests deeper than {MAX_DEPTH} levels {at}")
}

/// State shared by the visitors of one parse.
pub(crate) struct Ctx {
    /// Values built so far.
    nodes: Cell<usize>,
    limit: usize,
    /// Whether `<<` keys are YAML merge keys.
    pub(super) merge: bool,
    /// Whether a `$ref` key was seen.
    pub(super) has_refs: Cell<bool>,
    /// The code of syntax errors of the parser at work.
    syntax: Cell<&'static str>,
    /// The code and message of an error raised by a visitor; the parser
    /// adds where it happened.
    error: RefCell<Option<(&'static str, String)>>,
}

impl Ctx {
    pub(crate) fn new(len: usize, merge: bool) -> Self {
        Self {
            nodes: Cell::new(0),
            limit: node_limit(len),
            merge,
            has_refs: Cell::new(false),
            syntax: Cell::new(codes::JSON_SYNTAX),
            error: RefCell::new(None),
        }
    }

    pub(super) fn reset(&self, syntax: &'static str) {
        self.nodes.set(0);
        self.has_refs.set(false);
        self.syntax.set(syntax);
        self.error.replace(None);
    }

    pub(super) fn fail_syntax<E: de::Error>(&self, message: String) -> E {
        self.fail(self.syntax.get(), message)
    }

    fn fail<E: de::Error>(&self, code: &'static str, message: String) -> E {
        let err = E::custom(&message);
        self.error.replace(Some((code, message)));
        err
    }

    pub(super) fn count<E: de::Error>(&self) -> Result<(), E> {
        let n = self.nodes.get() + 1;
        self.nodes.set(n);
        if n > self.limit {
            return Err(self.fail(
                codes::ALIAS_LIMIT,
                format!(
                    "the document expands to more than {} values (is this a YAML alias bomb?)",
                    self.limit
                ),
            ));
        }
        Ok(())
    }
}

#[derive(Clone, Copy)]
pub(super) struct ValueSeed<'c> {
    pub(super) ctx: &'c Ctx,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.ctx.count()?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.ctx.count()?;
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.ctx.count()?;
        Ok(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.ctx.count()?;
        Ok(Value::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        self.ctx.count()?;
        Ok(Value::Number(v.into()))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        self.ctx.count()?;
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.ctx.count()?;
        match serde_json::Number::from_f64(v) {
            Some(n) => Ok(Value::Number(n)),
            None => {
                let written = if v.is_nan() {
                    ".nan"
                } else if v > 0.0 {
                    ".inf"
                } else {
                    "-.inf"
                };
                Err(self.ctx.fail_syntax(format!(
                    "`{written}` is not a JSON number (JSON has no infinity or NaN)"
                )))
            }
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.ctx.count()?;
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.ctx.count()?;
        Ok(Value::String(v))
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Value, E> {
        Err(self
            .ctx
            .fail(codes::NOT_UTF8, "a value is not UTF-8 text".to_string()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.ctx.count()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        self.ctx.count()?;
        let mut map = Map::new();
        while let Some(key) = access.next_key_seed(KeySeed {
            ctx: self.ctx,
            seen: &|k| map.contains_key(k),
        })? {
            if map.is_empty() && key == NUMBER_TOKEN {
                // A number that is not a 64-bit integer, with its text.
                return number_of_map(&mut access).map(Value::Number);
            }
            let value = access.next_value_seed(self)?;
            map.insert(key, value);
        }
        if self.ctx.merge && map.contains_key("<<") {
            map = merge_keys(map).map_err(|message| self.ctx.fail_syntax(message))?;
        }
        Ok(Value::Object(map))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // serde_yaml presents a value with a custom tag (`!Tag value`) as an enum.
        let (tag, _variant) = data.variant::<String>()?;
        Err(self
            .ctx
            .fail_syntax(yaml::unsupported_tag(&format!("!{tag}"))))
    }
}

/// Map keys: strings, or scalars taken as written (`1: a` has the key
/// `"1"`). A key already in `map` is an error, raised here so that it is
/// reported where the key is.
pub(super) struct KeySeed<'c, 'm> {
    pub(super) ctx: &'c Ctx,
    /// Whether a key is already in the map.
    pub(super) seen: &'m dyn Fn(&str) -> bool,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_, '_> {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_, '_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or scalar map key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        self.check(v)?;
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        self.check(&v)?;
        Ok(v)
    }
}

impl KeySeed<'_, '_> {
    fn check<E: de::Error>(&self, key: &str) -> Result<(), E> {
        if (self.seen)(key) {
            return Err(self.ctx.fail_syntax(format!("duplicate key {key:?}")));
        }
        if key == "$ref" {
            self.ctx.has_refs.set(true);
        }
        Ok(())
    }
}

/// Applies a `<<` merge key: its mapping (or list of mappings) is merged
/// into `map` at the place of the `<<` key. Keys written in `map` win over
/// merged ones, and earlier mappings of a list win over later ones.
///
/// Unlike `serde_yaml::Value::apply_merge`, this keeps the order of keys
/// (apply_merge swap-removes the `<<` key, moving the last key to its place).
fn merge_keys(map: Map<String, Value>) -> Result<Map<String, Value>, String> {
    let position = map.keys().position(|k| k == "<<").unwrap_or(0);
    let mut rest = map;
    let sources = merge_sources(rest.shift_remove("<<").unwrap_or(Value::Null))?;
    let mut merged = Map::new();
    for source in sources {
        for (k, v) in source {
            if !rest.contains_key(&k) && !merged.contains_key(&k) {
                merged.insert(k, v);
            }
        }
    }
    let mut out = Map::with_capacity(rest.len() + merged.len());
    let mut merged = Some(merged);
    for (index, (k, v)) in rest.into_iter().enumerate() {
        if index == position {
            out.extend(merged.take().into_iter().flatten());
        }
        out.insert(k, v);
    }
    out.extend(merged.into_iter().flatten());
    Ok(out)
}

/// The mappings of the value of a `<<` merge key: a mapping or a list of
/// mappings, the first of which wins over the later ones.
pub(super) fn merge_sources(sources: Value) -> Result<Vec<Map<String, Value>>, String> {
    Ok(match sources {
        Value::Object(m) => vec![m],
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::Object(m) => Ok(m),
                other => Err(format!(
                    "expected a mapping for merging, but found {}",
                    kind_of(&other)
                )),
            })
            .collect::<Result<Vec<_>, _>>()?,
        other => {
            return Err(format!(
                "expected a mapping or list of mappings for merging, but found {}",
                kind_of(&other)
            ))
        }
    })
}

/// The kind of a value, for messages: `a string`, `an object`…
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
