//! The parser's input: the text in chunks, the checks that send text
//! libyaml-safer cannot read to serde_yaml_ng, and the one place the parser
//! is called, where a panic of the parser is caught.

use std::io::{self, BufRead, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};

use libyaml_safer::{Encoding, Event, Parser};

/// The parser reads its input in chunks of this many bytes, as libyaml
/// does, so that errors of the reader (control characters) surface after
/// the same events.
const CHUNK: usize = 16 * 1024;

/// Whether libyaml-safer 0.3 might panic on `text`, which then goes to
/// serde_yaml_ng instead (see the module documentation).
pub(super) fn needs_serde_yaml(text: &str) -> bool {
    // A `\` that ends the text may start an escape in a double-quoted
    // scalar, which libyaml-safer reads past the end.
    text.ends_with('\\') || may_have_tag_before_comma(text) || may_end_in_block_scalar(text)
}

/// Whether a tag might be directly followed by `,` (libyaml-safer panics
/// there in flow collections): whether a `!` that could start a tag (one
/// not preceded by an ASCII letter or digit, which would make it part of a
/// scalar or an error) is followed by a `,` before any whitespace, or, for
/// a verbatim tag (`!<tag:yaml.org,2002:str>`, whose URI may hold commas),
/// right after its `>`. A tag holds no whitespace, so every tag directly
/// followed by `,` is found (and rarely anything else).
pub(super) fn may_have_tag_before_comma(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'!' || (i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) == Some(&b'<') {
            let end = bytes[i + 2..]
                .iter()
                .position(|b| matches!(b, b'>' | b' ' | b'\t' | b'\r' | b'\n'))
                .map(|n| i + 2 + n);
            if let Some(end) = end.filter(|&end| bytes[end] == b'>') {
                if bytes.get(end + 1) == Some(&b',') {
                    return true;
                }
                i = end + 1;
                continue;
            }
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
pub(super) fn may_end_in_block_scalar(text: &str) -> bool {
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

/// The parser's input: the text, handed over in chunks.
pub(super) struct Chunks<'de> {
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

/// What the parser gave: an event, its error, or the message of a panic.
pub(super) enum Parsed {
    Event(Event),
    Error(libyaml_safer::Error),
    /// The parser panicked, with this message; its state is then unknown,
    /// and it must not be called again.
    Panic(String),
}

/// The next event of `parser`. libyaml-safer panics on some text (see the
/// module documentation of [`super`]); such a panic is caught here, so that
/// no text can crash the program reading it: it becomes an error.
pub(super) fn next_event(parser: &mut Parser<Chunks<'_>>) -> Parsed {
    // The parser is not used again after a panic, so that what the panic
    // left half-done is never observed.
    match catch_unwind(AssertUnwindSafe(|| parser.parse())) {
        Ok(Ok(event)) => Parsed::Event(event),
        Ok(Err(err)) => Parsed::Error(err),
        Err(payload) => Parsed::Panic(
            payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".to_string()),
        ),
    }
}

/// A parser of `input`, set up as serde_yaml_ng sets up libyaml's.
pub(super) fn parser(input: &str) -> Parser<Chunks<'_>> {
    let mut parser = Parser::new();
    parser.set_encoding(Encoding::Utf8);
    parser.set_input(Chunks {
        rest: input.as_bytes(),
    });
    parser
}
