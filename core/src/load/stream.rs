//! Catalog files parsed a spec at a time.
//!
//! A catalog file of thousands of specs is never held as one tree: each spec
//! of its `captures`, `collections`, `materializations` and `tests` maps is
//! handed to the loader as soon as it is parsed, and the loader turns it
//! into the model (which holds schemas as compact text) before the next one
//! is parsed. The checks are those of [`super::parse`]: duplicate keys,
//! `<<` merge keys (at every level, the sections and the document included),
//! tags, non-finite numbers and the budget on values.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::parse::{self, merge_sources, Ctx, Format, KeySeed, ValueSeed};
use crate::json::{number_of_map, NUMBER_TOKEN};
use crate::Diagnostic;

/// The top-level keys that map spec names to specs.
pub(super) const SECTIONS: [&str; 4] = ["captures", "collections", "materializations", "tests"];

/// What a catalog file holds, in the order it is parsed.
#[derive(Debug, PartialEq)]
pub(super) enum Item {
    /// The whole document, when it is not a map (null for an empty file).
    Document(Value),
    /// A top-level key and its value: any key but a section, or a section
    /// whose value is not a map.
    Top(String, Value),
    /// One spec of a section, by name.
    Spec(&'static str, String, Value),
    /// Everything delivered before is void: the file is parsed again, as
    /// YAML, after it failed to parse as JSON.
    Restart,
}

/// Where the items go.
pub(super) type Sink<'s> = dyn FnMut(Item) + 's;

/// Parses `bytes`, the content of the catalog file at `url`, handing each
/// item to `sink`; returns whether any object had a `$ref` key.
///
/// On error, what was delivered is void, as with [`Item::Restart`].
pub(super) fn parse_catalog(
    bytes: &[u8],
    url: &str,
    format: Format,
    sink: &mut Sink<'_>,
) -> Result<bool, Diagnostic> {
    let text = parse::without_bom(parse::utf8(bytes, url)?);
    if parse::is_blank(text) {
        // An empty file is an empty catalog, in JSON as in YAML.
        sink(Item::Document(serde_json::Value::Null));
        return Ok(false);
    }
    let ctx = Ctx::new(text.len(), format == Format::Yaml);
    match format {
        Format::Json => parse::json_with(
            text,
            DocSeed {
                ctx: &ctx,
                sink: &mut *sink,
            },
        )
        .map_err(|e| parse::json_diagnostic(url, &ctx, &e))?,
        Format::Yaml => {
            // As in `parse::parse_str`: JSON first, when it looks like JSON.
            let looks_like_json = parse::looks_like_json(text);
            if !(looks_like_json
                && parse::json_with(
                    text,
                    DocSeed {
                        ctx: &ctx,
                        sink: &mut *sink,
                    },
                )
                .is_ok())
            {
                if looks_like_json {
                    sink(Item::Restart);
                }
                parse::yaml_with(text, url, &ctx, DocSeed { ctx: &ctx, sink })?;
            }
        }
    }
    Ok(ctx.has_refs.get())
}

/// The document: a map whose sections are streamed.
struct DocSeed<'c, 's, 'k> {
    ctx: &'c Ctx,
    sink: &'s mut Sink<'k>,
}

/// One section: a map whose specs are streamed.
struct SectionSeed<'c, 's, 'k> {
    ctx: &'c Ctx,
    sink: &'s mut Sink<'k>,
    section: &'static str,
}

impl DocSeed<'_, '_, '_> {
    fn whole(self, value: Value) {
        (self.sink)(Item::Document(value))
    }

    /// Delivers a top-level entry that came from a merge key.
    fn merged(&mut self, key: String, value: Value) {
        match (section(&key), value) {
            (Some(section), Value::Object(specs)) => {
                for (name, spec) in specs {
                    (self.sink)(Item::Spec(section, name, spec));
                }
            }
            (_, value) => (self.sink)(Item::Top(key, value)),
        }
    }
}

impl SectionSeed<'_, '_, '_> {
    fn whole(self, value: Value) {
        (self.sink)(Item::Top(self.section.to_string(), value))
    }
}

fn section(key: &str) -> Option<&'static str> {
    SECTIONS.iter().copied().find(|s| *s == key)
}

/// The entries of a `<<` merge key that `seen` (the keys written in the
/// map) does not override, first mapping first.
fn merged_entries<E: de::Error>(
    ctx: &Ctx,
    sources: Value,
    seen: &HashSet<String>,
) -> Result<Vec<(String, Value)>, E> {
    let sources = merge_sources(sources).map_err(|m| ctx.fail_syntax::<E>(m))?;
    let mut taken = HashSet::new();
    let mut out = Vec::new();
    for source in sources {
        for (k, v) in source {
            if !seen.contains(&k) && taken.insert(k.clone()) {
                out.push((k, v));
            }
        }
    }
    Ok(out)
}

/// Visits everything but a map as one value, handed over whole.
macro_rules! whole_values {
    () => {
        fn visit_unit<E: de::Error>(self) -> Result<(), E> {
            let v = ValueSeed { ctx: self.ctx }.visit_unit()?;
            self.whole(v);
            Ok(())
        }
        fn visit_none<E: de::Error>(self) -> Result<(), E> {
            let v = ValueSeed { ctx: self.ctx }.visit_none()?;
            self.whole(v);
            Ok(())
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
        fn visit_bool<E: de::Error>(self, x: bool) -> Result<(), E> {
            let v = ValueSeed { ctx: self.ctx }.visit_bool(x)?;
            self.whole(v);
            Ok(())
        }
        fn visit_i64<E: de::Error>(self, x: i64) -> Result<(), E> {
            let v = ValueSeed { ctx: self.ctx }.visit_i64(x)?;
            self.whole(v);
            Ok(())
        }
        fn visit_u64<E: de::Error>(self, x: u64) -> Result<(), E> {
            let v = ValueSeed { ctx: self.ctx }.visit_u64(x)?;
            self.whole(v);
            Ok(())
        }
        fn visit_i128<E: de::Error>(self, x: i128) -> Result<(), E> {
            let v = ValueSeed { ctx: self.ctx }.visit_i128(x)?;
            self.whole(v);
            Ok(())
        }
        fn visit_u128<E: de::Error>(self, x: u128) -> Result<(), E> {
            let v = ValueSeed { ctx: self.ctx }.visit_u128(x)?;
            self.whole(v);
            Ok(())
        }
        fn visit_f64<E: de::Error>(self, x: f64) -> Result<(), E> {
            let v = ValueSeed { ctx: self.ctx }.visit_f64(x)?;
            self.whole(v);
            Ok(())
        }
        fn visit_str<E: de::Error>(self, x: &str) -> Result<(), E> {
            let v = ValueSeed { ctx: self.ctx }.visit_str(x)?;
            self.whole(v);
            Ok(())
        }
        fn visit_string<E: de::Error>(self, x: String) -> Result<(), E> {
            let v = ValueSeed { ctx: self.ctx }.visit_string(x)?;
            self.whole(v);
            Ok(())
        }
        fn visit_bytes<E: de::Error>(self, x: &[u8]) -> Result<(), E> {
            let v = ValueSeed { ctx: self.ctx }.visit_bytes(x)?;
            self.whole(v);
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
            let v = ValueSeed { ctx: self.ctx }.visit_seq(seq)?;
            self.whole(v);
            Ok(())
        }
        fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
            let v = ValueSeed { ctx: self.ctx }.visit_enum(data)?;
            self.whole(v);
            Ok(())
        }
    };
}

impl<'de> DeserializeSeed<'de> for DocSeed<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DocSeed<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a catalog")
    }

    whole_values!();

    fn visit_map<A: MapAccess<'de>>(mut self, mut access: A) -> Result<(), A::Error> {
        self.ctx.count()?;
        let ctx = self.ctx;
        let mut seen = HashSet::new();
        let mut merge = None;
        while let Some(key) = access.next_key_seed(KeySeed {
            ctx,
            seen: &|k| seen.contains(k),
        })? {
            if seen.is_empty() && key == NUMBER_TOKEN {
                self.whole(Value::Number(number_of_map(&mut access)?));
                return Ok(());
            }
            if ctx.merge && key == "<<" {
                merge = Some(access.next_value_seed(ValueSeed { ctx })?);
            } else if let Some(section) = section(&key) {
                access.next_value_seed(SectionSeed {
                    ctx,
                    sink: &mut *self.sink,
                    section,
                })?;
            } else {
                let value = access.next_value_seed(ValueSeed { ctx })?;
                (self.sink)(Item::Top(key.clone(), value));
            }
            seen.insert(key);
        }
        if let Some(sources) = merge {
            for (key, value) in merged_entries::<A::Error>(ctx, sources, &seen)? {
                self.merged(key, value);
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for SectionSeed<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for SectionSeed<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a map of {}", self.section)
    }

    whole_values!();

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<(), A::Error> {
        self.ctx.count()?;
        let ctx = self.ctx;
        let mut seen = HashSet::new();
        let mut merge = None;
        while let Some(name) = access.next_key_seed(KeySeed {
            ctx,
            seen: &|k| seen.contains(k),
        })? {
            if seen.is_empty() && name == NUMBER_TOKEN {
                self.whole(Value::Number(number_of_map(&mut access)?));
                return Ok(());
            }
            let value = access.next_value_seed(ValueSeed { ctx })?;
            if ctx.merge && name == "<<" {
                merge = Some(value);
            } else {
                (self.sink)(Item::Spec(self.section, name.clone(), value));
            }
            seen.insert(name);
        }
        if let Some(sources) = merge {
            for (name, spec) in merged_entries::<A::Error>(ctx, sources, &seen)? {
                (self.sink)(Item::Spec(self.section, name, spec));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
