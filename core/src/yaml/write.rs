//! A block-style YAML emitter, written as a `serde::Serializer`.
//!
//! It writes straight into one `String`, without building a tree first, and
//! quotes every string that a YAML 1.1 reader (PyYAML, Ruby, old libyaml
//! bindings) or a YAML 1.2 reader could take for something else: booleans
//! like `yes`/`off`/`y`, nulls, numbers in any notation, dates, and strings
//! that would not even parse as plain scalars. The quoting decision is a
//! hand-written byte classifier (no regexes), since it runs for every string
//! of a catalog.
//!
//! Shape of the output:
//! - maps as `key: value` lines, nested maps and sequences indented by 2
//!   (or by the indent given to [`to_string_with_indent`]: sops files take
//!   4, as sops writes them);
//! - sequence items as `- value`, a map item's first key on the dash line;
//! - empty maps and sequences as `{}` and `[]`;
//! - multi-line strings as literal block scalars (`|`, `|-`, `|+`), or in
//!   double quotes when a block scalar could not hold the string exactly;
//! - numbers from their exact text (see [`crate::json`]): integers as they
//!   are, however long, and other numbers always with a `.` and a signed
//!   exponent (`1.0e+21`, `0.10`), which YAML 1.1 requires to read them as
//!   floats.

use std::fmt::Write as _;

use serde::ser::{self, Serialize};

use crate::json::NUMBER_TOKEN;

/// The indent of catalog files.
const INDENT: usize = 2;

/// Serializes `value` as a YAML document, appended to `out`.
pub(crate) fn append<T: Serialize + ?Sized>(out: &mut String, value: &T) -> Result<(), Error> {
    append_with_indent(out, value, INDENT)
}

/// Serializes `value` as a YAML document, appended to `out`, with nested
/// maps and sequences (and block scalars) indented by `indent` (at least 1).
fn append_with_indent<T: Serialize + ?Sized>(
    out: &mut String,
    value: &T,
    indent: usize,
) -> Result<(), Error> {
    let mut emitter = Emitter {
        out,
        slot: Slot::Root,
        step: indent.max(1),
    };
    value.serialize(&mut emitter)
}

/// Serializes `value` as a YAML document.
pub(crate) fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    to_string_with_indent(value, INDENT)
}

/// Serializes `value` as a YAML document whose nested maps and sequences
/// (and block scalars) are indented by `indent` rather than 2.
pub(crate) fn to_string_with_indent<T: Serialize + ?Sized>(
    value: &T,
    indent: usize,
) -> Result<String, Error> {
    let mut out = String::new();
    append_with_indent(&mut out, value, indent)?;
    Ok(out)
}

/// Why a value could not be written as YAML: only a `Serialize`
/// implementation failing on its own, or a map key that is not a scalar.
#[derive(Debug)]
pub(crate) struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// Where the next value goes.
#[derive(Clone, Copy)]
enum Slot {
    /// The start of the document.
    Root,
    /// After `key:`. A scalar follows on the same line after a space; a
    /// non-empty container starts on the next line, its entries at `indent`.
    Value { indent: usize },
    /// After `- `. A scalar follows directly; a container's first entry
    /// continues the line and the others go at `indent`.
    Item { indent: usize },
}

struct Emitter<'o> {
    out: &'o mut String,
    slot: Slot,
    /// How much deeper than its key a nested entry (or a block scalar's
    /// text) is indented.
    step: usize,
}

const SPACES: &str = "                                                                ";

fn push_spaces(out: &mut String, mut n: usize) {
    while n > SPACES.len() {
        out.push_str(SPACES);
        n -= SPACES.len();
    }
    out.push_str(&SPACES[..n]);
}

/// Keys longer than this are written as explicit `? key` entries: YAML
/// readers refuse implicit keys over 1024 characters.
const LONG_KEY: usize = 512;

impl Emitter<'_> {
    /// Writes a scalar's text that needs no quoting, and ends the line.
    fn plain(&mut self, text: &str) {
        if let Slot::Value { .. } = self.slot {
            self.out.push(' ');
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn string(&mut self, s: &str) {
        let indent = match self.slot {
            Slot::Root => self.step,
            Slot::Value { indent } | Slot::Item { indent } => indent,
        };
        if let Slot::Value { .. } = self.slot {
            self.out.push(' ');
        }
        if is_plain_safe(s) {
            self.out.push_str(s);
            self.out.push('\n');
        } else if s.contains('\n') && is_block_safe(s) {
            write_literal(self.out, s, indent);
        } else {
            write_double_quoted(self.out, s);
            self.out.push('\n');
        }
    }

    fn float(&mut self, text: &str) {
        if let Slot::Value { .. } = self.slot {
            self.out.push(' ');
        }
        write_float(self.out, text);
        self.out.push('\n');
    }

    /// Writes a number from its exact JSON text: an integer as it is, any
    /// other number as a float that YAML 1.1 readers read as one.
    fn number(&mut self, text: &str) {
        if crate::json::is_integer_text(text) {
            self.plain(text);
        } else {
            self.float(text);
        }
    }
}

/// Starts a map or a sequence in the emitter's current slot.
fn open<'e, 'o>(em: &'e mut Emitter<'o>, empty: &'static str) -> Compound<'e, 'o> {
    let (indent, newline_first, space_before_empty) = match em.slot {
        Slot::Root => (0, false, false),
        Slot::Value { indent } => (indent, true, true),
        Slot::Item { indent } => (indent, false, false),
    };
    Compound {
        em,
        indent,
        first: true,
        newline_first,
        space_before_empty,
        empty,
        number: false,
    }
}

/// An open map or sequence.
struct Compound<'e, 'o> {
    em: &'e mut Emitter<'o>,
    /// Column of the entries.
    indent: usize,
    /// Whether no entry has been written yet.
    first: bool,
    /// Whether the first entry goes on a new line (after `key:`).
    newline_first: bool,
    /// Whether `{}`/`[]` needs a space before it (after `key:`).
    space_before_empty: bool,
    /// `{}` or `[]`.
    empty: &'static str,
    /// Whether this is not a map but the struct a serde_json [`Number`]
    /// serializes as, whose one field is the number's text.
    ///
    /// [`Number`]: serde_json::Number
    number: bool,
}

impl Compound<'_, '_> {
    fn entry(&mut self) {
        if self.first {
            self.first = false;
            if self.newline_first {
                self.em.out.push('\n');
                push_spaces(self.em.out, self.indent);
            }
        } else {
            push_spaces(self.em.out, self.indent);
        }
    }

    fn key(&mut self, key: &str) {
        self.entry();
        let out = &mut *self.em.out;
        if key.len() > LONG_KEY {
            out.push_str("? ");
            write_key(out, key);
            out.push('\n');
            push_spaces(out, self.indent);
            out.push(':');
        } else {
            write_key(out, key);
            out.push(':');
        }
        self.em.slot = Slot::Value {
            indent: self.indent + self.em.step,
        };
    }

    fn item(&mut self) {
        self.entry();
        self.em.out.push_str("- ");
        self.em.slot = Slot::Item {
            indent: self.indent + 2,
        };
    }

    fn close(self) {
        if self.first {
            if self.space_before_empty {
                self.em.out.push(' ');
            }
            self.em.out.push_str(self.empty);
            self.em.out.push('\n');
        }
    }
}

fn write_key(out: &mut String, key: &str) {
    if is_plain_safe(key) {
        out.push_str(key);
    } else {
        write_double_quoted(out, key);
    }
}

impl Emitter<'_> {
    /// Writes an integer scalar in the current slot.
    fn integer(&mut self, v: impl std::fmt::Display) -> Result<(), Error> {
        if let Slot::Value { .. } = self.slot {
            self.out.push(' ');
        }
        let _ = writeln!(self.out, "{v}");
        Ok(())
    }
}

impl<'e, 'o> ser::Serializer for &'e mut Emitter<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'e, 'o>;
    type SerializeTuple = Compound<'e, 'o>;
    type SerializeTupleStruct = Compound<'e, 'o>;
    type SerializeTupleVariant = Compound<'e, 'o>;
    type SerializeMap = Compound<'e, 'o>;
    type SerializeStruct = Compound<'e, 'o>;
    type SerializeStructVariant = Compound<'e, 'o>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.plain(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        if !v.is_finite() {
            // As serde_json writes non-finite numbers.
            return self.serialize_unit();
        }
        self.float(&format!("{v:?}"));
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        match serde_json::Number::from_f64(v) {
            // The same digits as the JSON output.
            Some(n) => self.float(&n.to_string()),
            None => self.plain("null"),
        }
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for b in v {
            seq.serialize_element(b)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.plain("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let mut map = open(self, "{}");
        map.key(variant);
        value.serialize(&mut *map.em)?;
        map.close();
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'e, 'o>, Error> {
        Ok(open(self, "[]"))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'e, 'o>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Compound<'e, 'o>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'e, 'o>, Error> {
        // `variant:` opens a one-entry map, which needs nothing to close it.
        let mut outer = open(self, "{}");
        outer.key(variant);
        Ok(open(outer.em, "[]"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'e, 'o>, Error> {
        Ok(open(self, "{}"))
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Compound<'e, 'o>, Error> {
        let mut compound = open(self, "{}");
        compound.number = name == NUMBER_TOKEN;
        Ok(compound)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'e, 'o>, Error> {
        let mut outer = open(self, "{}");
        outer.key(variant);
        Ok(open(outer.em, "{}"))
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.item();
        value.serialize(&mut *self.em)
    }
    fn end(self) -> Result<(), Error> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        key.serialize(KeyWriter { map: self })
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.em)
    }
    fn end(self) -> Result<(), Error> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if self.number {
            return match value.serialize(serde_json::value::Serializer) {
                Ok(serde_json::Value::String(text)) => {
                    self.em.number(&text);
                    Ok(())
                }
                _ => Err(Error("a number's text is not a string".to_string())),
            };
        }
        self.key(key);
        value.serialize(&mut *self.em)
    }
    fn end(self) -> Result<(), Error> {
        if !self.number {
            self.close();
        }
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<(), Error> {
        ser::SerializeStruct::end(self)
    }
}

/// Writes a map key. Keys are strings, as in JSON: numbers, booleans and
/// unit variants become their text, anything else is an error.
struct KeyWriter<'m, 'e, 'o> {
    map: &'m mut Compound<'e, 'o>,
}

fn key_must_be_a_string() -> Error {
    Error("a map key must be a string".to_string())
}

impl ser::Serializer for KeyWriter<'_, '_, '_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.map.key(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.map.key(&v.to_string());
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.map.key(&v.to_string());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.map.key(&v.to_string());
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.map.key(&v.to_string());
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        match serde_json::Number::from_f64(v) {
            Some(n) => {
                self.map.key(&n.to_string());
                Ok(())
            }
            None => Err(key_must_be_a_string()),
        }
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.map.key(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.map.key(v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.map.key(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_must_be_a_string())
    }
}

// ---------------------------------------------------------------------------
// Scalars.

/// Byte classes of the quoting scan.
const OK: u8 = 0;
/// Never in a plain scalar: ASCII control characters (tab included) and DEL.
const CONTROL: u8 = 1;
/// `:` ends a key when a space or the end of the line follows it.
const COLON: u8 = 2;
/// `#` starts a comment after a space.
const HASH: u8 = 3;
/// Lead byte of U+0080..U+00BF, where U+0080..U+009F are C1 controls
/// (U+0085 is a YAML 1.1 line break).
const LEAD_C2: u8 = 4;
/// Lead byte of U+2000..U+2FFF, where U+2028 and U+2029 are YAML 1.1 line breaks.
const LEAD_E2: u8 = 5;
/// Lead byte of U+F000..U+FFFF, where U+FEFF is a byte order mark and
/// U+FFFE, U+FFFF are not characters.
const LEAD_EF: u8 = 6;

static CLASS: [u8; 256] = {
    let mut t = [OK; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = CONTROL;
        i += 1;
    }
    t[0x7f] = CONTROL;
    t[b':' as usize] = COLON;
    t[b'#' as usize] = HASH;
    t[0xc2] = LEAD_C2;
    t[0xe2] = LEAD_E2;
    t[0xef] = LEAD_EF;
    t
};

/// Whether the UTF-8 sequence starting at `b[i]` (a lead byte of class
/// `class`) is a character that must be escaped.
#[inline]
fn is_special_multibyte(class: u8, b: &[u8], i: usize) -> bool {
    // `b` is valid UTF-8, so the continuation bytes are there.
    match class {
        LEAD_C2 => b[i + 1] < 0xa0,
        LEAD_E2 => b[i + 1] == 0x80 && (b[i + 2] == 0xa8 || b[i + 2] == 0xa9),
        LEAD_EF => (b[i + 1] == 0xbb && b[i + 2] == 0xbf) || (b[i + 1] == 0xbf && b[i + 2] >= 0xbe),
        _ => false,
    }
}

/// Whether `s` can be written as a plain (unquoted) scalar, as a value or a
/// key, and be read back as the same string by YAML 1.1 and 1.2 readers.
pub(crate) fn is_plain_safe(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&first) = b.first() else {
        return false; // The empty string reads as null.
    };
    if matches!(
        first,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
            | b' '
    ) {
        return false;
    }
    if b[b.len() - 1] == b' ' {
        return false;
    }
    let mut i = 0;
    loop {
        // Eight bytes at a time: most strings have no byte to look at.
        while i + 8 <= b.len() && !may_be_special(&b[i..i + 8]) {
            i += 8;
        }
        if i >= b.len() {
            break;
        }
        let end = (i + 8).min(b.len());
        while i < end {
            let c = b[i];
            match CLASS[c as usize] {
                OK => {}
                CONTROL => return false,
                COLON => {
                    if i + 1 == b.len() || b[i + 1] == b' ' {
                        return false;
                    }
                }
                HASH => {
                    if b[i - 1] == b' ' {
                        return false;
                    }
                }
                class => {
                    if is_special_multibyte(class, b, i) {
                        return false;
                    }
                }
            }
            i += 1;
        }
    }
    !looks_typed(b)
}

/// Whether eight bytes may hold a byte whose class is not `OK`: a control
/// character, DEL, `:`, `#` or a non-ASCII byte. (It may say so wrongly for
/// bytes after one that is; never the other way.)
#[inline]
fn may_be_special(chunk: &[u8]) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let v = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
    let has_zero = |x: u64| x.wrapping_sub(LO) & !x & HI;
    let below_space = v.wrapping_sub(LO * 0x20) & !v & HI;
    (below_space
        | has_zero(v ^ (LO * u64::from(b':')))
        | has_zero(v ^ (LO * u64::from(b'#')))
        | has_zero(v ^ (LO * 0x7f))
        | (v & HI))
        != 0
}

/// Whether a plain scalar `b` would be read as something other than a
/// string by a YAML 1.1 or 1.2 reader: a null, a boolean, a number, a
/// timestamp, or the `<<` merge key / `=` value key of YAML 1.1.
///
/// This errs towards quoting: `1.2.3` and `1:2:3` are quoted though only
/// some readers take them for numbers.
fn looks_typed(b: &[u8]) -> bool {
    match b[0] {
        b'0'..=b'9' | b'.' => looks_numeric(b),
        b'+' => {
            let t = &b[1..];
            !t.is_empty()
                && (matches!(t[0], b'0'..=b'9' | b'.') && looks_numeric(t) || is_inf_or_nan_word(t))
        }
        b'~' | b'=' => b.len() == 1,
        b'<' => b == b"<<",
        b'a'..=b'z' | b'A'..=b'Z' => {
            b.len() <= 8 && (is_bool_or_null_word(b) || is_inf_or_nan_word(b))
        }
        _ => false,
    }
}

fn eq_ignore_case(b: &[u8], word: &[u8]) -> bool {
    b.eq_ignore_ascii_case(word)
}

/// YAML 1.1 booleans (`y`, `yes`, `on`, … in any case) and nulls.
fn is_bool_or_null_word(b: &[u8]) -> bool {
    const WORDS: [&[u8]; 9] = [
        b"y", b"n", b"yes", b"no", b"on", b"off", b"true", b"false", b"null",
    ];
    WORDS.iter().any(|w| eq_ignore_case(b, w))
}

/// Words that some readers take for infinities or NaN.
fn is_inf_or_nan_word(b: &[u8]) -> bool {
    eq_ignore_case(b, b"inf") || eq_ignore_case(b, b"infinity") || eq_ignore_case(b, b"nan")
}

/// `t` starts with a digit or `.`.
fn looks_numeric(t: &[u8]) -> bool {
    let radix_digits = |rest: &[u8], ok: fn(u8) -> bool| {
        !rest.is_empty() && rest.iter().all(|&c| c == b'_' || ok(c))
    };
    if t.len() > 2 && t[0] == b'0' {
        match t[1] {
            b'x' | b'X' => return radix_digits(&t[2..], |c| c.is_ascii_hexdigit()),
            b'o' | b'O' => return radix_digits(&t[2..], |c| (b'0'..=b'7').contains(&c)),
            b'b' | b'B' => return radix_digits(&t[2..], |c| c == b'0' || c == b'1'),
            _ => {}
        }
    }
    // `...` ends a document when it starts a line.
    if t[0] == b'.'
        && (eq_ignore_case(t, b".inf") || eq_ignore_case(t, b".nan") || t.starts_with(b"..."))
    {
        return true;
    }
    // Dates and timestamps: `2024-01-01`, `2024-1-1 10:00:00`, …
    if t.len() >= 6
        && t[..4].iter().all(u8::is_ascii_digit)
        && t[4] == b'-'
        && t[5].is_ascii_digit()
    {
        return true;
    }
    // Integers, floats and sexagesimals: digits with `_`, `.` and `:`,
    // then an optional exponent.
    let m = t
        .iter()
        .take_while(|&&c| c.is_ascii_digit() || c == b'_' || c == b'.' || c == b':')
        .count();
    let rest = &t[m..];
    rest.is_empty() || is_exponent(rest)
}

/// `[eE][-+]?[0-9]+`
fn is_exponent(rest: &[u8]) -> bool {
    if !matches!(rest[0], b'e' | b'E') {
        return false;
    }
    let digits = match rest.get(1) {
        Some(b'+' | b'-') => &rest[2..],
        _ => &rest[1..],
    };
    !digits.is_empty() && digits.iter().all(u8::is_ascii_digit)
}

/// Whether a multi-line `s` can be written as a literal block scalar and be
/// read back exactly: only printable characters, tabs and `\n`; a first
/// content line that does not start with a space or tab (its indentation
/// would be taken for the block's, and a tab cannot indent); and some
/// content besides line breaks.
pub(crate) fn is_block_safe(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match CLASS[c as usize] {
            CONTROL if c != b'\n' && c != b'\t' => return false,
            class @ (LEAD_C2 | LEAD_E2 | LEAD_EF) if is_special_multibyte(class, b, i) => {
                return false
            }
            _ => {}
        }
        i += 1;
    }
    let body = s.trim_end_matches('\n');
    let content = body.trim_start_matches('\n');
    !content.is_empty() && !content.starts_with([' ', '\t'])
}

/// Writes `s` as a literal block scalar, its lines at `indent`.
fn write_literal(out: &mut String, s: &str, indent: usize) {
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    out.push_str(match trailing {
        0 => "|-\n",
        1 => "|\n",
        _ => "|+\n",
    });
    for line in body.split('\n') {
        if !line.is_empty() {
            push_spaces(out, indent);
            out.push_str(line);
        }
        out.push('\n');
    }
    for _ in 1..trailing {
        out.push('\n');
    }
}

/// Writes `s` in double quotes, escaping `"`, `\` and every character
/// that is not printable in YAML 1.1 (C0 and C1 controls, DEL, the YAML 1.1
/// line breaks U+0085, U+2028 and U+2029, U+FEFF, U+FFFE and U+FFFF).
pub(crate) fn write_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    let b = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let class = CLASS[c as usize];
        let escape: Option<&str> = match c {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            _ => match class {
                CONTROL => Some(match c {
                    0x00 => "\\0",
                    0x07 => "\\a",
                    0x08 => "\\b",
                    b'\t' => "\\t",
                    b'\n' => "\\n",
                    0x0b => "\\v",
                    0x0c => "\\f",
                    b'\r' => "\\r",
                    0x1b => "\\e",
                    _ => "",
                }),
                LEAD_C2 | LEAD_E2 | LEAD_EF if is_special_multibyte(class, b, i) => Some(""),
                _ => None,
            },
        };
        if let Some(escape) = escape {
            out.push_str(&s[start..i]);
            let ch = s[i..].chars().next().expect("in bounds");
            if !escape.is_empty() {
                out.push_str(escape);
            } else {
                match ch {
                    '\u{85}' => out.push_str("\\N"),
                    '\u{2028}' => out.push_str("\\L"),
                    '\u{2029}' => out.push_str("\\P"),
                    ch if (ch as u32) < 0x100 => {
                        let _ = write!(out, "\\x{:02X}", ch as u32);
                    }
                    ch => {
                        let _ = write!(out, "\\u{:04X}", ch as u32);
                    }
                }
            }
            i += ch.len_utf8();
            start = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Writes a float given as serde_json prints it (`1.5`, `1e21`, `1.5e-7`)
/// in a form that YAML 1.1 also reads as a float: a `.` in the mantissa and
/// a signed exponent (`1.0e+21`).
fn write_float(out: &mut String, text: &str) {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    out.push_str(mantissa);
    if !mantissa.contains('.') {
        out.push_str(".0");
    }
    if let Some(exponent) = exponent {
        out.push('e');
        if !exponent.starts_with(['-', '+']) {
            out.push('+');
        }
        out.push_str(exponent);
    }
}
