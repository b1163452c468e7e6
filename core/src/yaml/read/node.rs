//! Nodes of the document as serde deserializers, with the accessors of
//! their sequences, mappings and enums.

use std::fmt::{self, Display};

use libyaml_safer::{Mark, ScalarStyle};
use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeSeed, Expected, IgnoredAny, Unexpected, Visitor};

use super::error::{fix_mark, invalid_type, unbalanced, Error, ErrorImpl};
use super::events::{Cursor, Event, Stream, Tag};
use super::scalar::{parse_null, visit_scalar};
use super::{Result, NULL_TAG};

/// Where a value is in the document, for messages: `a.b[0]`.
#[derive(Copy, Clone)]
pub(super) enum Path<'a> {
    Root,
    Seq { parent: &'a Path<'a>, index: usize },
    Map { parent: &'a Path<'a>, key: &'a str },
    Alias { parent: &'a Path<'a> },
    Unknown { parent: &'a Path<'a> },
}

impl Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        struct Parent<'a>(&'a Path<'a>);

        impl Display for Parent<'_> {
            fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
                match self.0 {
                    Path::Root => Ok(()),
                    path => write!(f, "{path}."),
                }
            }
        }

        match self {
            Path::Root => f.write_str("."),
            Path::Seq { parent, index } => write!(f, "{parent}[{index}]"),
            Path::Map { parent, key } => write!(f, "{}{key}", Parent(parent)),
            Path::Alias { parent } => write!(f, "{parent}"),
            Path::Unknown { parent } => write!(f, "{}?", Parent(parent)),
        }
    }
}

/// Deserializes one node, read at `cursor`.
pub(super) struct Node<'a, 'de> {
    pub(super) stream: &'a mut Stream<'de>,
    pub(super) cursor: &'a mut Cursor,
    pub(super) path: Path<'a>,
    pub(super) remaining_depth: u8,
    /// Whether the node's tag was already taken as an enum variant (the
    /// node is then read as if untagged).
    pub(super) tagged: bool,
}

impl<'a, 'de> Node<'a, 'de> {
    /// The next event, without taking it.
    fn peek(&mut self) -> Result<(&Event, Mark)> {
        self.stream.peek(self.cursor)
    }

    /// Takes the next event.
    fn next(&mut self) -> Result<(Event, Mark)> {
        self.tagged = false;
        self.stream.next(self.cursor)
    }

    /// A deserializer of an alias's anchored node, replayed at `cursor`.
    fn jump<'b>(&'b mut self, cursor: &'b mut Cursor) -> Result<Node<'b, 'de>> {
        self.stream.count_jump()?;
        Ok(Node {
            stream: &mut *self.stream,
            cursor,
            path: Path::Alias { parent: &self.path },
            remaining_depth: self.remaining_depth,
            tagged: false,
        })
    }

    /// A deserializer of the next node at the same cursor.
    fn child<'b>(&'b mut self, path: Path<'b>) -> Node<'b, 'de> {
        Node {
            stream: &mut *self.stream,
            cursor: &mut *self.cursor,
            path,
            remaining_depth: self.remaining_depth,
            tagged: false,
        }
    }

    /// Skips one node, without expanding aliases.
    fn ignore_any(&mut self) -> Result<()> {
        let mut depth = 0usize;
        loop {
            match self.next()?.0 {
                Event::Alias(_) | Event::Scalar(_) | Event::Void => {}
                Event::SequenceStart(_) | Event::MappingStart(_) => depth += 1,
                Event::SequenceEnd | Event::MappingEnd => {
                    depth = depth.checked_sub(1).ok_or_else(unbalanced)?;
                }
            }
            if depth == 0 {
                return Ok(());
            }
        }
    }

    /// Visits the sequence whose start (at `mark`) was just taken.
    fn visit_sequence<V: Visitor<'de>>(&mut self, visitor: V, mark: Mark) -> Result<V::Value> {
        let (value, len) = self.recursion_check(mark, |de| {
            let mut seq = SeqAccess { de, len: 0 };
            let value = visitor.visit_seq(&mut seq)?;
            Ok((value, seq.len))
        })?;
        self.end_sequence(len)?;
        Ok(value)
    }

    /// Visits the mapping whose start (at `mark`) was just taken.
    fn visit_mapping<V: Visitor<'de>>(&mut self, visitor: V, mark: Mark) -> Result<V::Value> {
        let (value, len) = self.recursion_check(mark, |de| {
            let mut map = MapAccess {
                de,
                len: 0,
                key: None,
            };
            let value = visitor.visit_map(&mut map)?;
            Ok((value, map.len))
        })?;
        self.end_mapping(len)?;
        Ok(value)
    }

    /// Skips the elements the visitor left, and the sequence's end.
    fn end_sequence(&mut self, len: usize) -> Result<()> {
        let total = {
            let mut seq = SeqAccess { de: self, len };
            while de::SeqAccess::next_element::<IgnoredAny>(&mut seq)?.is_some() {}
            seq.len
        };
        match self.next()?.0 {
            Event::SequenceEnd | Event::Void => {}
            _ => return Err(unbalanced()),
        }
        if total == len {
            return Ok(());
        }
        struct ExpectedSeq(usize);
        impl Expected for ExpectedSeq {
            fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
                match self.0 {
                    1 => f.write_str("sequence of 1 element"),
                    n => write!(f, "sequence of {n} elements"),
                }
            }
        }
        Err(de::Error::invalid_length(total, &ExpectedSeq(len)))
    }

    /// Skips the entries the visitor left, and the mapping's end.
    fn end_mapping(&mut self, len: usize) -> Result<()> {
        let total = {
            let mut map = MapAccess {
                de: self,
                len,
                key: None,
            };
            while de::MapAccess::next_entry::<IgnoredAny, IgnoredAny>(&mut map)?.is_some() {}
            map.len
        };
        match self.next()?.0 {
            Event::MappingEnd | Event::Void => {}
            _ => return Err(unbalanced()),
        }
        if total == len {
            return Ok(());
        }
        struct ExpectedMap(usize);
        impl Expected for ExpectedMap {
            fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
                match self.0 {
                    1 => f.write_str("map containing 1 entry"),
                    n => write!(f, "map containing {n} entries"),
                }
            }
        }
        Err(de::Error::invalid_length(total, &ExpectedMap(len)))
    }

    /// Runs `f` one level deeper, failing (at `mark`) past the limit.
    fn recursion_check<T>(
        &mut self,
        mark: Mark,
        f: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<T> {
        let previous = self.remaining_depth;
        self.remaining_depth = previous
            .checked_sub(1)
            .ok_or_else(|| Error::new(ErrorImpl::RecursionLimitExceeded(mark)))?;
        let result = f(self);
        self.remaining_depth = previous;
        result
    }
}

/// The elements of a sequence, read as the visitor asks for them.
struct SeqAccess<'s, 'a, 'de> {
    de: &'s mut Node<'a, 'de>,
    len: usize,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'_, '_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        match self.de.peek()?.0 {
            Event::SequenceEnd | Event::Void => Ok(None),
            _ => {
                let index = self.len;
                self.len += 1;
                let path = Path::Seq {
                    parent: &self.de.path,
                    index,
                };
                // `path` borrows `self.de.path` while the child borrows the
                // stream and cursor: split the borrows by hand.
                let mut element = Node {
                    stream: &mut *self.de.stream,
                    cursor: &mut *self.de.cursor,
                    path,
                    remaining_depth: self.de.remaining_depth,
                    tagged: false,
                };
                seed.deserialize(&mut element).map(Some)
            }
        }
    }
}

/// The entries of a mapping, read as the visitor asks for them.
struct MapAccess<'s, 'a, 'de> {
    de: &'s mut Node<'a, 'de>,
    len: usize,
    /// The last key, when it was a scalar: the path of its value.
    key: Option<String>,
}

impl<'de> de::MapAccess<'de> for MapAccess<'_, '_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        self.key = match self.de.peek()?.0 {
            Event::MappingEnd | Event::Void => return Ok(None),
            Event::Scalar(scalar) => Some(scalar.value.clone()),
            _ => None,
        };
        self.len += 1;
        seed.deserialize(&mut *self.de).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let path = match &self.key {
            Some(key) => Path::Map {
                parent: &self.de.path,
                key,
            },
            None => Path::Unknown {
                parent: &self.de.path,
            },
        };
        let mut value = Node {
            stream: &mut *self.de.stream,
            cursor: &mut *self.de.cursor,
            path,
            remaining_depth: self.de.remaining_depth,
            tagged: false,
        };
        seed.deserialize(&mut value)
    }
}

/// A node with a local tag, as an enum: the tag is the variant, and the
/// node (read as if untagged) its content.
struct EnumAccess<'s, 'a, 'de> {
    de: &'s mut Node<'a, 'de>,
    tag: String,
}

impl<'s, 'de> de::EnumAccess<'de> for EnumAccess<'s, '_, 'de> {
    type Error = Error;
    type Variant = Node<'s, 'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self::Variant)> {
        let variant = seed.deserialize(StrDeserializer::<Error>::new(&self.tag))?;
        let path = self.de.path;
        let mut node = self.de.child(path);
        node.tagged = true;
        Ok((variant, node))
    }
}

impl<'de> de::VariantAccess<'de> for Node<'_, 'de> {
    type Error = Error;

    fn unit_variant(mut self) -> Result<()> {
        de::Deserialize::deserialize(&mut self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(mut self, seed: T) -> Result<T::Value> {
        seed.deserialize(&mut self)
    }

    fn tuple_variant<V: Visitor<'de>>(mut self, _len: usize, visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_seq(&mut self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        mut self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        de::Deserializer::deserialize_struct(&mut self, "", fields, visitor)
    }
}

impl<'de> de::Deserializer<'de> for &mut Node<'_, 'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let tagged_already = self.tagged;
        let (next, mark) = self.next()?;
        let enum_tag = |tag: &Option<Tag>| match tag {
            Some(tag) if !tagged_already => tag.enum_name().map(str::to_owned),
            _ => None,
        };
        let result = match next {
            Event::Alias(start) => {
                let mut cursor = Cursor::Replay(start);
                self.jump(&mut cursor)
                    .and_then(|mut node| node.deserialize_any(visitor))
            }
            Event::Scalar(scalar) => match enum_tag(&scalar.tag) {
                Some(tag) => {
                    self.stream
                        .unread(self.cursor, (Event::Scalar(scalar), mark));
                    visitor.visit_enum(EnumAccess { de: self, tag })
                }
                None => visit_scalar(visitor, scalar, tagged_already),
            },
            Event::SequenceStart(ref tag) => match enum_tag(tag) {
                Some(tag) => {
                    self.stream.unread(self.cursor, (next, mark));
                    visitor.visit_enum(EnumAccess { de: self, tag })
                }
                None => self.visit_sequence(visitor, mark),
            },
            Event::MappingStart(ref tag) => match enum_tag(tag) {
                Some(tag) => {
                    self.stream.unread(self.cursor, (next, mark));
                    visitor.visit_enum(EnumAccess { de: self, tag })
                }
                None => self.visit_mapping(visitor, mark),
            },
            Event::SequenceEnd | Event::MappingEnd => Err(unbalanced()),
            Event::Void => visitor.visit_none(),
        };
        // Errors made by the visitor (`de::Error::custom`) have no position
        // yet: they get this node's.
        result.map_err(|err| fix_mark(err, mark, &self.path))
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let (next, mark) = self.next()?;
        let result = match next {
            Event::Scalar(scalar) => visitor.visit_str(&scalar.value),
            Event::Alias(start) => {
                let mut cursor = Cursor::Replay(start);
                self.jump(&mut cursor)
                    .and_then(|mut node| node.deserialize_str(visitor))
            }
            other => Err(invalid_type(&other, &visitor)),
        };
        result.map_err(|err| fix_mark(err, mark, &self.path))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(Error::new(ErrorImpl::BytesUnsupported))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(Error::new(ErrorImpl::BytesUnsupported))
    }

    /// Null is `None`, anything else `Some`.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let tagged_already = self.tagged;
        let is_some = match self.peek()?.0 {
            Event::Alias(start) => {
                let start = *start;
                self.next()?;
                let mut cursor = Cursor::Replay(start);
                return self.jump(&mut cursor)?.deserialize_option(visitor);
            }
            Event::Scalar(scalar) => {
                if scalar.style != ScalarStyle::Plain {
                    true
                } else if let (Some(tag), false) = (&scalar.tag, tagged_already) {
                    if !tag.is(NULL_TAG) {
                        true
                    } else if parse_null(&scalar.value).is_some() {
                        false
                    } else {
                        return Err(de::Error::invalid_value(
                            Unexpected::Str(&scalar.value),
                            &"null",
                        ));
                    }
                } else {
                    !scalar.value.is_empty() && parse_null(&scalar.value).is_none()
                }
            }
            Event::SequenceStart(_) | Event::MappingStart(_) => true,
            Event::SequenceEnd | Event::MappingEnd => return Err(unbalanced()),
            Event::Void => false,
        };
        if is_some {
            visitor.visit_some(self)
        } else {
            self.next()?;
            visitor.visit_none()
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        let mark = self.peek()?.1;
        self.recursion_check(mark, |de| visitor.visit_newtype_struct(de))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.ignore_any()?;
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 unit unit_struct
        seq tuple tuple_struct map struct enum
    }
}
