//! A streaming YAML deserializer: a [`serde::Deserializer`] over the events
//! of [`libyaml_safer::Parser`], pulled one at a time as the visitor asks
//! for them.
//!
//! serde_yaml (serde_yaml_ng) parses a whole document into a list of events
//! before it deserializes anything, and keeps that list to the end: a 10 MB
//! catalog takes hundreds of MiB. Here nothing of the document is kept but
//! what aliases need: besides the value the visitor builds, memory is
//! bounded by the nesting depth plus the events of anchored nodes, which are
//! recorded as they are read so that each alias can replay them.
//!
//! For everything the loader's visitor observes, this behaves as
//! serde_yaml_ng 0.10 does, and its errors read the same:
//! - plain scalars resolve to null, booleans, integers and floats by the
//!   same rules; quoted and block scalars are strings; `deserialize_str`
//!   gives any scalar as written;
//! - `!!str`, `!!int`, `!!float`, `!!bool` and `!!null` apply to scalars
//!   (`!!map` and `!!seq` are ignored), and any `!tag` is presented to the
//!   visitor as an enum whose variant is the tag;
//! - aliases replay their anchor's events, with the same repetition limit
//!   (100 alias expansions per event of the document) and recursion limit
//!   (128 nested sequences and mappings);
//! - a stream must hold one document; an empty stream is null;
//! - errors carry the position of the event where they happened, and
//!   libyaml's syntax errors are worded as serde_yaml_ng words them.
//!
//! It differs in five ways:
//! - Any other tag (`!!binary`, `!!set`, `!!foo`, or a global tag such as
//!   `!<tag:example.com,2000:x>`) is an error at the tagged node, wherever
//!   it is: serde_yaml_ng ignores such tags, which could silently change
//!   what a value means.
//! - Numbers keep their digits: a number that is not an integer of 64 bits
//!   goes to the visitor as serde_json's `arbitrary_precision` numbers do,
//!   with its text (see `scalar`), where serde_yaml_ng reads floats and
//!   integers past 128 bits through `f64`, and takes `1e400` for a string.
//! - An alias refers to the latest anchor of its name before it, as YAML
//!   says. serde_yaml_ng numbers anchors by how many distinct names it has
//!   seen, so an anchor defined after a reused name takes that name's
//!   number, and the reused name's aliases, even earlier ones, resolve to
//!   it.
//! - Strings are never borrowed from the input.
//! - The typed `deserialize_*` methods (integers, sequences, maps, enums…)
//!   resolve values as `deserialize_any` does.
//!
//! libyaml-safer 0.3 panics on three shapes of text that libyaml reads: a
//! tag directly followed by `,` in a flow collection (`[!t, 1]`), a block
//! scalar whose last line ends the text without a line break
//! (`a: |\n  x`), and a double-quoted scalar cut right after a `\`. Text
//! that might hold any of them is rare (see `needs_serde_yaml`); it is
//! handed to serde_yaml_ng, at serde_yaml_ng's cost in memory, and with
//! serde_yaml_ng's numbers and tags: its floats are the nearest `f64`
//! (`1.50` is `1.5`, `0.1000000000000000000001` is `0.1`), an integer past
//! 128 bits is a float, `1e400` is a string, and tags other than the
//! standard and local ones are ignored. Every call into libyaml-safer goes
//! through `input::next_event`, which catches a panic of the parser: a
//! shape the check misses is an error of the file ("the YAML parser
//! (libyaml-safer) panicked on this text after line 2 column 1: …"), never a
//! crash of the program (unless it is built with `panic = "abort"`).
//!
//! # Why not serde-saphyr
//!
//! serde-saphyr 2.2 (a streaming serde deserializer over its own parser,
//! with merge keys, alias limits and budgets, and no known panics) was run
//! through the differential tests of this module (`tests.rs`: the snippets,
//! every YAML file of `tests/catalogs`, 3,000 generated documents and 4,000
//! mutations; 7,254 texts), configured as close to this reader as it goes
//! (strict booleans, leading zeros and underscores as strings, null-like
//! keys as strings, a BOM inside a document as content, duplicate keys and
//! merge keys left to the loader's visitor, non-finite floats passed
//! through, unsupported tags rejected, depth 128). It never panicked, and it
//! keeps key order, but 5,321 of the texts read differently (4,592 errors
//! worded or placed differently, 221 values that differ, 189 texts refused
//! that this reader reads and 317 the other way round), for reasons that
//! are not ours to fix:
//! - numbers: `deserialize_any` hands every float, and every integer past
//!   64 bits, to the visitor as an `f64`: `1.50` is `1.5`,
//!   `18446744073709551616` is `1.8446744073709552e19`, and `1e400` is an
//!   infinity, which a catalog cannot hold. The exact text of numbers (see
//!   [`crate::json`]) would only be had through the private marker of its
//!   `Spanned` type.
//! - errors: none of libyaml's syntax errors reads the same, nor, often,
//!   at the same place (`while parsing a flow mapping, did not
//!   find expected ',' or '}' at line 4, column 8`); the messages and
//!   positions that the loader's tests and `tests/catalogs/invalid` pin
//!   would all change, for no better ones.
//! - content: a block scalar that ends the text without a line break gets
//!   one (`a: |\n  x` is `"x\n"`, as the YAML test suite has it, where
//!   libyaml, PyYAML and this reader say `"x"`; its parser has an option
//!   for libyaml's reading, which serde-saphyr does not expose);
//!   `!!null x` is null; `!!binary` is decoded rather than refused; a
//!   merge puts the merged keys after the mapping's own, not at the `<<`;
//!   NEL and the Unicode line and paragraph separators are not line breaks.
//! - tags on the wrong kind of node (`!!map [1]`) are refused, and so is a
//!   tagged mapping key read as a string (`!!int 7: x`).
//!
//! So this reader stays; it is the one place that parses YAML, and it is
//! the place to revisit when serde-saphyr can hand a visitor a number's
//! text.

use serde::de::{self, Visitor};

pub(crate) use self::error::unsupported_tag;
use self::error::Error;
use self::events::{Cursor, Stream};
use self::input::needs_serde_yaml;
use self::node::{Node, Path};

mod error;
mod events;
mod input;
mod node;
mod scalar;
pub(crate) mod spans;

/// How deeply sequences and mappings may nest, as in serde_yaml_ng.
const RECURSION_LIMIT: u8 = 128;

/// The standard tags that apply to scalars (`!!null`, `!!bool`, `!!int`,
/// `!!float`).
const NULL_TAG: &[u8] = b"tag:yaml.org,2002:null";
const BOOL_TAG: &[u8] = b"tag:yaml.org,2002:bool";
const INT_TAG: &[u8] = b"tag:yaml.org,2002:int";
const FLOAT_TAG: &[u8] = b"tag:yaml.org,2002:float";

/// A result with this module's error.
type Result<T, E = Error> = std::result::Result<T, E>;

/// Deserializes one YAML document from a string, streaming.
pub(crate) struct Deserializer<'de> {
    input: &'de str,
}

impl<'de> Deserializer<'de> {
    /// A deserializer of the YAML document `input`.
    pub(crate) fn from_str(input: &'de str) -> Self {
        Self { input }
    }

    /// Runs `f` on the document's root node, then checks that nothing but
    /// the end of the stream follows the document.
    fn de<T>(self, f: impl FnOnce(&mut Node<'_, 'de>) -> Result<T>) -> Result<T> {
        let mut stream = Stream::new(self.input);
        let mut cursor = Cursor::Main;
        let value = f(&mut Node {
            stream: &mut stream,
            cursor: &mut cursor,
            path: Path::Root,
            remaining_depth: RECURSION_LIMIT,
            tagged: false,
        })?;
        stream.finish()?;
        Ok(value)
    }
}

/// Implements each method by calling it on the document's root node (or
/// on serde_yaml_ng's deserializer, for text it must read).
macro_rules! forward_to_node {
    ($($method:ident($($arg:ident: $ty:ty),*))*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value> {
                if needs_serde_yaml(self.input) {
                    return serde_yaml::Deserializer::from_str(self.input)
                        .$method($($arg,)* visitor)
                        .map_err(Error::from_serde_yaml);
                }
                self.de(|node| node.$method($($arg,)* visitor))
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for Deserializer<'de> {
    type Error = Error;

    forward_to_node! {
        deserialize_any()
        deserialize_bool()
        deserialize_i8()
        deserialize_i16()
        deserialize_i32()
        deserialize_i64()
        deserialize_i128()
        deserialize_u8()
        deserialize_u16()
        deserialize_u32()
        deserialize_u64()
        deserialize_u128()
        deserialize_f32()
        deserialize_f64()
        deserialize_char()
        deserialize_str()
        deserialize_string()
        deserialize_bytes()
        deserialize_byte_buf()
        deserialize_option()
        deserialize_unit()
        deserialize_unit_struct(name: &'static str)
        deserialize_newtype_struct(name: &'static str)
        deserialize_seq()
        deserialize_tuple(len: usize)
        deserialize_tuple_struct(name: &'static str, len: usize)
        deserialize_map()
        deserialize_struct(name: &'static str, fields: &'static [&'static str])
        deserialize_enum(name: &'static str, variants: &'static [&'static str])
        deserialize_identifier()
        deserialize_ignored_any()
    }
}

#[cfg(test)]
mod tests;
