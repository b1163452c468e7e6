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
//!   (other `tag:yaml.org,2002:` tags, such as `!!binary`, `!!map` and
//!   `!!seq`, are ignored), and any `!tag` is presented to the visitor as an
//!   enum whose variant is the tag;
//! - aliases replay their anchor's events, with the same repetition limit
//!   (100 alias expansions per event of the document) and recursion limit
//!   (128 nested sequences and mappings);
//! - a stream must hold one document; an empty stream is null;
//! - errors carry the position of the event where they happened, and
//!   libyaml's syntax errors are worded as serde_yaml_ng words them.
//!
//! It differs in three ways:
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
//! handed to serde_yaml_ng, at serde_yaml_ng's cost in memory.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt::{self, Display};
use std::io::{self, BufRead, Read};
use std::num::ParseIntError;

use libyaml_safer::{Encoding, ErrorKind, EventData, Mark, Parser, ScalarStyle};
use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeSeed, Expected, IgnoredAny, Unexpected, Visitor};

/// How deeply sequences and mappings may nest, as in serde_yaml_ng.
const RECURSION_LIMIT: u8 = 128;

/// Alias expansions allowed per event of the document, as in serde_yaml_ng.
const REPETITIONS_PER_EVENT: usize = 100;

/// The parser reads its input in chunks of this many bytes, as libyaml
/// does, so that errors of the reader (control characters) surface after
/// the same events.
const CHUNK: usize = 16 * 1024;

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

/// Whether libyaml-safer 0.3 might panic on `text`, which then goes to
/// serde_yaml_ng instead (see the module documentation).
fn needs_serde_yaml(text: &str) -> bool {
    // A `\` that ends the text may start an escape in a double-quoted
    // scalar, which libyaml-safer reads past the end.
    text.ends_with('\\') || may_have_tag_before_comma(text) || may_end_in_block_scalar(text)
}

/// Whether a tag might be directly followed by `,` (libyaml-safer panics
/// there in flow collections): whether a `!` that could start a tag (one
/// not preceded by an ASCII letter or digit, which would make it part of a
/// scalar or an error) is followed by a `,` before any whitespace. A tag
/// holds no whitespace, so every tag directly followed by `,` is found (and
/// rarely anything else).
fn may_have_tag_before_comma(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'!' || (i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let stop = bytes[i..]
            .iter()
            .position(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b','))
            .map(|n| i + n);
        match stop {
            Some(stop) if bytes[stop] == b',' => return true,
            // Any `!` before `stop` stops there too.
            Some(stop) => i = stop + 1,
            None => return false,
        }
    }
    false
}

/// Whether the last line might be content of a block scalar that the end
/// of the text ends (libyaml-safer panics reading its line break): whether
/// the text does not end with a line break, and a line before the last
/// one ends with what could be a block scalar header (`|` or `>`, then
/// indicators, blanks and a comment).
fn may_end_in_block_scalar(text: &str) -> bool {
    const BREAKS: [char; 5] = ['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'];
    if text.is_empty() || text.ends_with(BREAKS) {
        return false;
    }
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '|' && c != '>' {
            continue;
        }
        while chars
            .next_if(|c| matches!(c, '0'..='9' | '+' | '-'))
            .is_some()
        {}
        while chars.next_if(|c| matches!(c, ' ' | '\t')).is_some() {}
        if chars.next_if_eq(&'#').is_some() {
            // A comment, to the end of the line.
            while chars.next_if(|c| !BREAKS.contains(c)).is_some() {}
        }
        if chars.peek().is_some_and(|c| BREAKS.contains(c)) {
            return true;
        }
    }
    false
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

/// The parser's input: the text, handed over in chunks.
struct Chunks<'de> {
    rest: &'de [u8],
}

impl Read for Chunks<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let chunk = self.fill_buf()?;
        let n = chunk.len().min(buf.len());
        buf[..n].copy_from_slice(&chunk[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Chunks<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        Ok(&self.rest[..self.rest.len().min(CHUNK)])
    }

    fn consume(&mut self, amount: usize) {
        self.rest = &self.rest[amount.min(self.rest.len())..];
    }
}

/// A parser of `input`, set up as serde_yaml_ng sets up libyaml's.
fn parser(input: &str) -> Parser<Chunks<'_>> {
    let mut parser = Parser::new();
    parser.set_encoding(Encoding::Utf8);
    parser.set_input(Chunks {
        rest: input.as_bytes(),
    });
    parser
}

/// A node event of the document.
#[derive(Clone, Debug)]
enum Event {
    /// An alias, with the index of its anchor's first event in
    /// [`Stream::recorded`].
    Alias(usize),
    Scalar(Scalar),
    SequenceStart(Option<Tag>),
    SequenceEnd,
    MappingStart(Option<Tag>),
    MappingEnd,
    /// The document of an empty stream.
    Void,
}

/// A scalar: its text, tag and style.
#[derive(Clone, Debug)]
struct Scalar {
    value: String,
    tag: Option<Tag>,
    style: ScalarStyle,
}

/// A resolved tag, as the bytes libyaml gives (`!Foo`,
/// `tag:yaml.org,2002:str`).
#[derive(Clone, Debug)]
struct Tag(Box<[u8]>);

impl Tag {
    /// libyaml-safer gives each `%xx` escaped octet of a tag as the
    /// character of that code (the only characters above U+007F a tag can
    /// hold); libyaml gives the octets.
    fn new(tag: String) -> Self {
        if tag.is_ascii() {
            return Tag(tag.into_bytes().into_boxed_slice());
        }
        let octets: Option<Vec<u8>> = tag.chars().map(|c| u8::try_from(c).ok()).collect();
        Tag(octets
            .unwrap_or_else(|| tag.into_bytes())
            .into_boxed_slice())
    }

    /// Whether this is `tag`.
    fn is(&self, tag: &[u8]) -> bool {
        *self.0 == *tag
    }

    /// The name of a local tag (`!Foo` is `Foo`, `!` is `!`), which
    /// makes the node an enum; `None` for other tags.
    fn enum_name(&self) -> Option<&str> {
        let rest = self.0.strip_prefix(b"!")?;
        std::str::from_utf8(if rest.is_empty() { &self.0 } else { rest }).ok()
    }
}

/// Where a deserializer reads events: from the parser, or from the
/// recorded events of an anchor, from this index on.
enum Cursor {
    Main,
    Replay(usize),
}

/// The parser, and what is kept of the events it gave.
struct Stream<'de> {
    input: &'de str,
    parser: Parser<Chunks<'de>>,
    /// Events read from the parser that the main cursor has not taken yet:
    /// the one it peeked at, and any that a replay of a still open anchored
    /// node had to read ahead.
    ahead: VecDeque<(Event, Mark)>,
    /// The first error of the parser; it ends the document.
    failed: Option<Error>,
    /// Whether the document's end (or the stream's) was read.
    ended: bool,
    /// Whether the stream's end was read.
    stream_ended: bool,
    /// The events of anchored nodes, in document order.
    recorded: Vec<(Event, Mark)>,
    /// The index in `recorded` of the latest node of each anchor name.
    anchors: HashMap<String, usize>,
    /// How many sequences and mappings are open within the outermost
    /// anchored node being read (0: none is being recorded).
    open: usize,
    /// Node events read from the parser.
    read: usize,
    /// Node events of the whole document, once counted.
    total: Option<usize>,
    /// Aliases expanded.
    jumps: usize,
}

impl<'de> Stream<'de> {
    /// The stream of `input`, before its first event.
    fn new(input: &'de str) -> Self {
        Self {
            input,
            parser: parser(input),
            ahead: VecDeque::new(),
            failed: None,
            ended: false,
            stream_ended: false,
            recorded: Vec::new(),
            anchors: HashMap::new(),
            open: 0,
            read: 0,
            total: None,
            jumps: 0,
        }
    }

    /// The next node event from the parser (`None` at the end of the
    /// document), recorded if it is part of an anchored node.
    fn pull(&mut self) -> Result<Option<(Event, Mark)>> {
        if let Some(err) = &self.failed {
            return Err(err.clone());
        }
        if self.ended {
            return Ok(None);
        }
        loop {
            let event = match self.parser.parse() {
                Ok(event) => event,
                Err(err) => return Err(self.fail(Error::libyaml(&err, self.input))),
            };
            let mark = event.start_mark;
            let (event, anchor) = match event.data {
                EventData::StreamStart { .. } | EventData::DocumentStart { .. } => continue,
                EventData::DocumentEnd { .. } => {
                    self.ended = true;
                    return Ok(None);
                }
                EventData::StreamEnd => {
                    self.ended = true;
                    self.stream_ended = true;
                    if self.read > 0 {
                        return Ok(None);
                    }
                    (Event::Void, None)
                }
                EventData::Alias { anchor } => match self.anchors.get(&anchor) {
                    Some(&start) => (Event::Alias(start), None),
                    None => return Err(self.fail(Error::new(ErrorImpl::UnknownAnchor(mark)))),
                },
                EventData::Scalar {
                    anchor,
                    tag,
                    value,
                    style,
                    ..
                } => (
                    Event::Scalar(Scalar {
                        value,
                        tag: tag.map(Tag::new),
                        style,
                    }),
                    anchor,
                ),
                EventData::SequenceStart { anchor, tag, .. } => {
                    (Event::SequenceStart(tag.map(Tag::new)), anchor)
                }
                EventData::SequenceEnd => (Event::SequenceEnd, None),
                EventData::MappingStart { anchor, tag, .. } => {
                    (Event::MappingStart(tag.map(Tag::new)), anchor)
                }
                EventData::MappingEnd => (Event::MappingEnd, None),
            };
            self.read += 1;
            self.record(&event, mark, anchor);
            return Ok(Some((event, mark)));
        }
    }

    /// Keeps `err` as the parser's error, which every later read gives.
    fn fail(&mut self, err: Error) -> Error {
        self.failed = Some(err.clone());
        err
    }

    /// Records `event` if it starts an anchored node or is inside one.
    fn record(&mut self, event: &Event, mark: Mark, anchor: Option<String>) {
        let anchored = anchor.is_some();
        if let Some(name) = anchor {
            self.anchors.insert(name, self.recorded.len());
        }
        if self.open == 0 && !anchored {
            return;
        }
        self.recorded.push((event.clone(), mark));
        match event {
            Event::SequenceStart(_) | Event::MappingStart(_) => self.open += 1,
            Event::SequenceEnd | Event::MappingEnd => self.open = self.open.saturating_sub(1),
            _ => {}
        }
    }

    /// The next event at `cursor`, without taking it.
    fn peek(&mut self, cursor: &Cursor) -> Result<(&Event, Mark)> {
        match *cursor {
            Cursor::Main => {
                if self.ahead.is_empty() {
                    let event = self.pull()?.ok_or_else(end_of_stream)?;
                    self.ahead.push_back(event);
                }
                let (event, mark) = &self.ahead[0];
                Ok((event, *mark))
            }
            Cursor::Replay(pos) => {
                // A replay runs past the recorded events only when an alias
                // sits inside its own anchor: read on from the parser.
                while pos >= self.recorded.len() {
                    if self.open == 0 {
                        return Err(end_of_stream());
                    }
                    let event = self.pull()?.ok_or_else(end_of_stream)?;
                    self.ahead.push_back(event);
                }
                let (event, mark) = &self.recorded[pos];
                Ok((event, *mark))
            }
        }
    }

    /// Takes the next event at `cursor`.
    fn next(&mut self, cursor: &mut Cursor) -> Result<(Event, Mark)> {
        self.peek(cursor)?;
        match cursor {
            Cursor::Main => self.ahead.pop_front().ok_or_else(end_of_stream),
            Cursor::Replay(pos) => {
                let event = self.recorded[*pos].clone();
                *pos += 1;
                Ok(event)
            }
        }
    }

    /// Puts back the event just taken at `cursor`.
    fn unread(&mut self, cursor: &mut Cursor, event: (Event, Mark)) {
        match cursor {
            Cursor::Main => self.ahead.push_front(event),
            Cursor::Replay(pos) => *pos = pos.saturating_sub(1),
        }
    }

    /// Counts one more alias expansion, failing past the limit.
    fn count_jump(&mut self) -> Result<()> {
        self.jumps += 1;
        // The limit is per event of the whole document; counting them means
        // parsing it again, so only when the events read so far no longer
        // allow this many expansions.
        if self.jumps > self.read.saturating_mul(REPETITIONS_PER_EVENT) {
            let total = *self.total.get_or_insert_with(|| count_events(self.input));
            if self.jumps > total.saturating_mul(REPETITIONS_PER_EVENT) {
                return Err(Error::new(ErrorImpl::RepetitionLimitExceeded));
            }
        }
        Ok(())
    }

    /// Reads the rest of the document (nothing, unless the visitor left
    /// part of the value unread), then checks that the stream ends there.
    fn finish(&mut self) -> Result<()> {
        self.ahead.clear();
        while self.pull()?.is_some() {}
        if self.stream_ended {
            return Ok(());
        }
        match self.parser.parse() {
            Ok(event) if event.data == EventData::StreamEnd => Ok(()),
            _ => Err(Error::new(ErrorImpl::MoreThanOneDocument)),
        }
    }
}

/// The number of node events of the first document of `input`, up to its
/// end or its first error, as serde_yaml_ng keeps them.
fn count_events(input: &str) -> usize {
    let mut parser = parser(input);
    let mut anchors = HashSet::new();
    let mut count = 0;
    while let Ok(event) = parser.parse() {
        let anchor = match event.data {
            EventData::StreamStart { .. } | EventData::DocumentStart { .. } => continue,
            EventData::StreamEnd => return count.max(1),
            EventData::DocumentEnd { .. } => break,
            EventData::Alias { anchor } => {
                if !anchors.contains(&anchor) {
                    break;
                }
                None
            }
            EventData::Scalar { anchor, .. }
            | EventData::SequenceStart { anchor, .. }
            | EventData::MappingStart { anchor, .. } => anchor,
            EventData::SequenceEnd | EventData::MappingEnd => None,
        };
        anchors.extend(anchor);
        count += 1;
    }
    count
}

/// The error of reading past the document's end (which a balanced
/// document never does).
fn end_of_stream() -> Error {
    Error::new(ErrorImpl::EndOfStream)
}

/// Where a value is in the document, for messages: `a.b[0]`.
#[derive(Copy, Clone)]
enum Path<'a> {
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
struct Node<'a, 'de> {
    stream: &'a mut Stream<'de>,
    cursor: &'a mut Cursor,
    path: Path<'a>,
    remaining_depth: u8,
    /// Whether the node's tag was already taken as an enum variant (the
    /// node is then read as if untagged).
    tagged: bool,
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

/// An error for events that do not nest, which libyaml never gives.
fn unbalanced() -> Error {
    de::Error::custom("unexpected end of a sequence or mapping")
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

/// Visits a scalar as serde_yaml_ng does: by its tag, else (plain) by its
/// text, else as a string.
fn visit_scalar<'de, V: Visitor<'de>>(
    visitor: V,
    scalar: Scalar,
    tagged_already: bool,
) -> Result<V::Value> {
    let v = scalar.value.as_str();
    if let (Some(tag), false) = (&scalar.tag, tagged_already) {
        if tag.is(BOOL_TAG) {
            return match parse_bool(v) {
                Some(v) => visitor.visit_bool(v),
                None => Err(de::Error::invalid_value(Unexpected::Str(v), &"a boolean")),
            };
        } else if tag.is(INT_TAG) {
            return match visit_int(visitor, v) {
                Ok(result) => result,
                Err(_) => Err(de::Error::invalid_value(Unexpected::Str(v), &"an integer")),
            };
        } else if tag.is(FLOAT_TAG) {
            return match parse_f64(v) {
                Some(v) => visitor.visit_f64(v),
                None => Err(de::Error::invalid_value(Unexpected::Str(v), &"a float")),
            };
        } else if tag.is(NULL_TAG) {
            return match parse_null(v) {
                Some(()) => visitor.visit_unit(),
                None => Err(de::Error::invalid_value(Unexpected::Str(v), &"null")),
            };
        } else if tag.0.starts_with(b"!") && scalar.style == ScalarStyle::Plain {
            return visit_untagged_scalar(visitor, scalar.value);
        }
    } else if scalar.style == ScalarStyle::Plain {
        return visit_untagged_scalar(visitor, scalar.value);
    }
    visitor.visit_str(&scalar.value)
}

/// Resolves a plain scalar: null, a boolean, an integer, a float, or else
/// a string.
fn visit_untagged_scalar<'de, V: Visitor<'de>>(visitor: V, v: String) -> Result<V::Value> {
    if v.is_empty() || parse_null(&v) == Some(()) {
        return visitor.visit_unit();
    }
    if let Some(boolean) = parse_bool(&v) {
        return visitor.visit_bool(boolean);
    }
    let visitor = match visit_int(visitor, &v) {
        Ok(result) => return result,
        Err(visitor) => visitor,
    };
    if !digits_but_not_number(&v) {
        if let Some(float) = parse_f64(&v) {
            return visitor.visit_f64(float);
        }
    }
    visitor.visit_str(&v)
}

/// Whether a plain scalar is null (the empty one aside).
fn parse_null(scalar: &str) -> Option<()> {
    match scalar {
        "null" | "Null" | "NULL" | "~" => Some(()),
        _ => None,
    }
}

/// A plain scalar's boolean, if it is one.
fn parse_bool(scalar: &str) -> Option<bool> {
    match scalar {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// A scalar's non-negative integer (decimal, `0x`, `0o` or `0b`, maybe
/// with `+`), if it is one that fits `T`.
fn parse_unsigned_int<T>(
    scalar: &str,
    from_str_radix: fn(&str, u32) -> Result<T, ParseIntError>,
) -> Option<T> {
    let unpositive = scalar.strip_prefix('+').unwrap_or(scalar);
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unpositive.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(int) = from_str_radix(rest, radix) {
                return Some(int);
            }
        }
    }
    if unpositive.starts_with(['+', '-']) {
        return None;
    }
    if digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(unpositive, 10).ok()
}

/// A scalar's negative integer, if it is one that fits `T`.
fn parse_negative_int<T>(
    scalar: &str,
    from_str_radix: fn(&str, u32) -> Result<T, ParseIntError>,
) -> Option<T> {
    for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = scalar.strip_prefix(prefix) {
            if let Ok(int) = from_str_radix(&format!("-{rest}"), radix) {
                return Some(int);
            }
        }
    }
    if digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(scalar, 10).ok()
}

/// A scalar's float (`.inf`, `-.inf` and `.nan` included), if it is one.
fn parse_f64(scalar: &str) -> Option<f64> {
    let unpositive = match scalar.strip_prefix('+') {
        Some(unpositive) if unpositive.starts_with(['+', '-']) => return None,
        Some(unpositive) => unpositive,
        None => scalar,
    };
    if let ".inf" | ".Inf" | ".INF" = unpositive {
        return Some(f64::INFINITY);
    }
    if let "-.inf" | "-.Inf" | "-.INF" = scalar {
        return Some(f64::NEG_INFINITY);
    }
    if let ".nan" | ".NaN" | ".NAN" = scalar {
        return Some(f64::NAN.copysign(1.0));
    }
    unpositive.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Leading zeros followed by digits make a string in YAML 1.2 (`007`).
fn digits_but_not_number(scalar: &str) -> bool {
    let scalar = scalar.strip_prefix(['-', '+']).unwrap_or(scalar);
    scalar.len() > 1 && scalar.starts_with('0') && scalar[1..].bytes().all(|b| b.is_ascii_digit())
}

/// Visits `v` as the first of u64, i64, u128 and i128 it parses as, or
/// gives the visitor back.
fn visit_int<'de, V: Visitor<'de>>(visitor: V, v: &str) -> Result<Result<V::Value>, V> {
    if let Some(int) = parse_unsigned_int(v, u64::from_str_radix) {
        return Ok(visitor.visit_u64(int));
    }
    if let Some(int) = parse_negative_int(v, i64::from_str_radix) {
        return Ok(visitor.visit_i64(int));
    }
    if let Some(int) = parse_unsigned_int(v, u128::from_str_radix) {
        return Ok(visitor.visit_u128(int));
    }
    if let Some(int) = parse_negative_int(v, i128::from_str_radix) {
        return Ok(visitor.visit_i128(int));
    }
    Err(visitor)
}

/// The error of a visitor that got `event`, which it did not expect.
fn invalid_type(event: &Event, exp: &dyn Expected) -> Error {
    match event {
        Event::Scalar(scalar) => de::Error::invalid_type(Unexpected::Str(&scalar.value), exp),
        Event::SequenceStart(_) => de::Error::invalid_type(Unexpected::Seq, exp),
        Event::MappingStart(_) => de::Error::invalid_type(Unexpected::Map, exp),
        Event::Void => end_of_stream(),
        Event::Alias(_) | Event::SequenceEnd | Event::MappingEnd => unbalanced(),
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

/// Gives errors made by a visitor the position of `mark` and the path of
/// the node (errors that have one already keep it).
fn fix_mark(mut error: Error, mark: Mark, path: &Path) -> Error {
    if let ErrorImpl::Message(_, pos @ None) = error.0.as_mut() {
        *pos = Some(Pos {
            mark,
            path: path.to_string(),
        });
    }
    error
}

/// An error reading YAML: worded, and placed, as serde_yaml_ng does.
#[derive(Clone)]
pub(crate) struct Error(Box<ErrorImpl>);

/// The kinds of errors, as serde_yaml_ng has them.
#[derive(Clone, Debug)]
enum ErrorImpl {
    /// An error made by a visitor, with its position once known.
    Message(String, Option<Pos>),
    /// A syntax error of the parser.
    Libyaml(LibyamlError),
    /// An error of serde_yaml_ng, for the documents handed to it.
    SerdeYaml {
        message: String,
        location: Option<(usize, usize)>,
    },
    EndOfStream,
    MoreThanOneDocument,
    RecursionLimitExceeded(Mark),
    RepetitionLimitExceeded,
    BytesUnsupported,
    UnknownAnchor(Mark),
}

/// Where a visitor's error happened.
#[derive(Clone, Debug)]
struct Pos {
    mark: Mark,
    path: String,
}

/// libyaml's error, as the C library reports it.
#[derive(Clone, Debug)]
struct LibyamlError {
    problem: &'static str,
    problem_mark: Mark,
    /// The byte offset of the problem, for errors without a mark.
    problem_offset: usize,
    context: Option<&'static str>,
    context_mark: Mark,
}

impl Error {
    /// An error of this kind.
    fn new(inner: ErrorImpl) -> Self {
        Self(Box::new(inner))
    }

    /// The error of the parser reading `input`.
    fn libyaml(err: &libyaml_safer::Error, input: &str) -> Self {
        // libyaml gives the reader's errors (control characters, the only
        // ones text can have) an offset and no mark.
        let problem_offset = match err.kind() {
            ErrorKind::Reader => input
                .char_indices()
                .find(|(_, c)| !allowed_char(*c))
                .map_or(0, |(i, _)| i),
            _ => 0,
        };
        let problem = match err.problem() {
            // A misspelling of libyaml-safer's, not libyaml's.
            "did not find expected hexdecimal number" => "did not find expected hexadecimal number",
            problem => problem,
        };
        Self::new(ErrorImpl::Libyaml(LibyamlError {
            problem,
            problem_mark: err.problem_mark().unwrap_or_default(),
            problem_offset,
            context: err.context(),
            context_mark: err.context_mark().unwrap_or_default(),
        }))
    }

    /// An error of serde_yaml_ng, as its text and location.
    fn from_serde_yaml(err: serde_yaml::Error) -> Self {
        Self::new(ErrorImpl::SerdeYaml {
            message: err.to_string(),
            location: err.location().map(|l| (l.line(), l.column())),
        })
    }

    /// The 1-based line and column of the error.
    pub(crate) fn location(&self) -> Option<(usize, usize)> {
        let mark = match self.0.as_ref() {
            ErrorImpl::Message(_, Some(Pos { mark, .. }))
            | ErrorImpl::RecursionLimitExceeded(mark)
            | ErrorImpl::UnknownAnchor(mark) => *mark,
            ErrorImpl::Libyaml(err) => err.problem_mark,
            ErrorImpl::SerdeYaml { location, .. } => return *location,
            _ => return None,
        };
        Some((mark.line as usize + 1, mark.column as usize + 1))
    }

    /// The mark of the errors whose text ends with their position.
    fn mark(&self) -> Option<Mark> {
        match self.0.as_ref() {
            ErrorImpl::Message(_, Some(Pos { mark, .. }))
            | ErrorImpl::RecursionLimitExceeded(mark)
            | ErrorImpl::UnknownAnchor(mark) => Some(*mark),
            _ => None,
        }
    }
}

/// Whether libyaml's reader takes `c`: printable characters, tab and line
/// breaks.
fn allowed_char(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r' | '\u{20}'..='\u{7E}' | '\u{85}' | '\u{A0}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Whether `mark` is at line 1 column 1, which libyaml does not write.
fn is_zero(mark: &Mark) -> bool {
    mark.line == 0 && mark.column == 0
}

/// A mark as libyaml writes it.
struct MarkDisplay<'m>(&'m Mark);

impl Display for MarkDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let mark = self.0;
        if is_zero(mark) {
            write!(f, "position {}", mark.index)
        } else {
            write!(f, "line {} column {}", mark.line + 1, mark.column + 1)
        }
    }
}

impl Display for LibyamlError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.problem)?;
        if !is_zero(&self.problem_mark) {
            write!(f, " at {}", MarkDisplay(&self.problem_mark))?;
        } else if self.problem_offset != 0 {
            write!(f, " at position {}", self.problem_offset)?;
        }
        if let Some(context) = self.context {
            write!(f, ", {context}")?;
            let same = self.context_mark.line == self.problem_mark.line
                && self.context_mark.column == self.problem_mark.column;
            if !is_zero(&self.context_mark) && !same {
                write!(f, " at {}", MarkDisplay(&self.context_mark))?;
            }
        }
        Ok(())
    }
}

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.0.as_ref() {
            ErrorImpl::Libyaml(err) => return Display::fmt(err, f),
            ErrorImpl::SerdeYaml { message, .. } => return f.write_str(message),
            ErrorImpl::Message(message, None) => f.write_str(message)?,
            ErrorImpl::Message(message, Some(Pos { path, .. })) => {
                if path != "." {
                    write!(f, "{path}: ")?;
                }
                f.write_str(message)?;
            }
            ErrorImpl::EndOfStream => f.write_str("EOF while parsing a value")?,
            ErrorImpl::MoreThanOneDocument => f.write_str(
                "deserializing from YAML containing more than one document is not supported",
            )?,
            ErrorImpl::RecursionLimitExceeded(_) => f.write_str("recursion limit exceeded")?,
            ErrorImpl::RepetitionLimitExceeded => f.write_str("repetition limit exceeded")?,
            ErrorImpl::BytesUnsupported => f.write_str(
                "serialization and deserialization of bytes in YAML is not implemented",
            )?,
            ErrorImpl::UnknownAnchor(_) => f.write_str("unknown anchor")?,
        }
        match self.mark() {
            Some(mark) if !is_zero(&mark) => write!(f, " at {}", MarkDisplay(&mark)),
            _ => Ok(()),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_tuple("Error")
            .field(&self.to_string())
            .field(&self.location())
            .finish()
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        Self::new(ErrorImpl::Message(msg.to_string(), None))
    }
}

#[cfg(test)]
mod tests;
