//! The events of the document: read from the parser, and recorded for
//! anchored nodes so that aliases can replay them.

use std::collections::{HashMap, HashSet, VecDeque};

use libyaml_safer::{EventData, Mark, Parser, ScalarStyle};

use super::error::{end_of_stream, Error, ErrorImpl};
use super::input::{next_event, parser, Chunks, Parsed};
use super::Result;

/// Alias expansions allowed per event of the document, as in serde_yaml_ng.
const REPETITIONS_PER_EVENT: usize = 100;

/// A node event of the document.
#[derive(Clone, Debug)]
pub(super) enum Event {
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
pub(super) struct Scalar {
    pub(super) value: String,
    pub(super) tag: Option<Tag>,
    pub(super) style: ScalarStyle,
}

/// A resolved tag, as the bytes libyaml gives (`!Foo`,
/// `tag:yaml.org,2002:str`).
#[derive(Clone, Debug)]
pub(super) struct Tag(pub(super) Box<[u8]>);

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
    pub(super) fn is(&self, tag: &[u8]) -> bool {
        *self.0 == *tag
    }

    /// The tag as written, if the reader refuses it: any tag but the
    /// standard ones it reads (`!!str`, `!!int`, `!!float`, `!!bool`,
    /// `!!null`, `!!map` and `!!seq`) and local tags (`!Foo`, which
    /// visitors get as enums). serde_yaml_ng ignores such tags; dropping a
    /// tag silently could change what a value means.
    pub(super) fn unsupported(&self) -> Option<String> {
        if self.0.starts_with(b"!") {
            return None;
        }
        match self.0.strip_prefix(b"tag:yaml.org,2002:") {
            Some(b"str" | b"int" | b"float" | b"bool" | b"null" | b"map" | b"seq") => None,
            Some(name) => Some(format!("!!{}", String::from_utf8_lossy(name))),
            None => Some(format!("!<{}>", String::from_utf8_lossy(&self.0))),
        }
    }

    /// The name of a local tag (`!Foo` is `Foo`, `!` is `!`), which
    /// makes the node an enum; `None` for other tags.
    pub(super) fn enum_name(&self) -> Option<&str> {
        let rest = self.0.strip_prefix(b"!")?;
        std::str::from_utf8(if rest.is_empty() { &self.0 } else { rest }).ok()
    }
}

/// Where a deserializer reads events: from the parser, or from the
/// recorded events of an anchor, from this index on.
pub(super) enum Cursor {
    Main,
    Replay(usize),
}

/// The parser, and what is kept of the events it gave.
pub(super) struct Stream<'de> {
    input: &'de str,
    parser: Parser<Chunks<'de>>,
    /// Events read from the parser that the main cursor has not taken yet:
    /// the one it peeked at, and any that a replay of a still open anchored
    /// node had to read ahead.
    pub(super) ahead: VecDeque<(Event, Mark)>,
    /// The first error of the parser; it ends the document.
    failed: Option<Error>,
    /// Whether the document's end (or the stream's) was read.
    ended: bool,
    /// Whether the stream's end was read.
    stream_ended: bool,
    /// The events of anchored nodes, in document order.
    pub(super) recorded: Vec<(Event, Mark)>,
    /// The index in `recorded` of the latest node of each anchor name.
    anchors: HashMap<String, usize>,
    /// How many sequences and mappings are open within the outermost
    /// anchored node being read (0: none is being recorded).
    open: usize,
    /// Node events read from the parser.
    pub(super) read: usize,
    /// Where the last event read from the parser started.
    last: Option<Mark>,
    /// Node events of the whole document, once counted.
    total: Option<usize>,
    /// Aliases expanded.
    jumps: usize,
}

impl<'de> Stream<'de> {
    /// The stream of `input`, before its first event.
    pub(super) fn new(input: &'de str) -> Self {
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
            last: None,
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
            let event = match next_event(&mut self.parser) {
                Parsed::Event(event) => event,
                Parsed::Error(err) => return Err(self.fail(Error::libyaml(&err, self.input))),
                Parsed::Panic(message) => {
                    let after = self.last;
                    return Err(self.fail(Error::new(ErrorImpl::ParserPanic(message, after))));
                }
            };
            let mark = event.start_mark;
            self.last = Some(mark);
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
            let tag = match &event {
                Event::Scalar(scalar) => scalar.tag.as_ref(),
                Event::SequenceStart(tag) | Event::MappingStart(tag) => tag.as_ref(),
                _ => None,
            };
            if let Some(tag) = tag.and_then(Tag::unsupported) {
                return Err(self.fail(Error::new(ErrorImpl::UnsupportedTag(tag, mark))));
            }
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
    pub(super) fn peek(&mut self, cursor: &Cursor) -> Result<(&Event, Mark)> {
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
    pub(super) fn next(&mut self, cursor: &mut Cursor) -> Result<(Event, Mark)> {
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
    pub(super) fn unread(&mut self, cursor: &mut Cursor, event: (Event, Mark)) {
        match cursor {
            Cursor::Main => self.ahead.push_front(event),
            Cursor::Replay(pos) => *pos = pos.saturating_sub(1),
        }
    }

    /// Counts one more alias expansion, failing past the limit.
    pub(super) fn count_jump(&mut self) -> Result<()> {
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
    pub(super) fn finish(&mut self) -> Result<()> {
        self.ahead.clear();
        while self.pull()?.is_some() {}
        if self.stream_ended {
            return Ok(());
        }
        match next_event(&mut self.parser) {
            Parsed::Event(event) if event.data == EventData::StreamEnd => Ok(()),
            Parsed::Panic(message) => Err(Error::new(ErrorImpl::ParserPanic(message, self.last))),
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
    // An error, or a panic, ends the count as it ends the document.
    while let Parsed::Event(event) = next_event(&mut parser) {
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
