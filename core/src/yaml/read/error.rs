//! Errors, worded and placed as serde_yaml_ng words and places them.

use std::fmt::{self, Display};

use libyaml_safer::{ErrorKind, Mark};
use serde::de::{self, Expected, Unexpected};

use super::events::Event;
use super::node::Path;

/// An error reading YAML: worded, and placed, as serde_yaml_ng does.
#[derive(Clone)]
pub(crate) struct Error(Box<ErrorImpl>);

/// The kinds of errors, as serde_yaml_ng has them.
#[derive(Clone, Debug)]
pub(super) enum ErrorImpl {
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
    /// A tag other than the standard ones flowspec reads and local tags
    /// (which visitors refuse as enums), as written: `!!binary`,
    /// `!<tag:example.com,2000:x>`.
    UnsupportedTag(String, Mark),
    /// libyaml-safer panicked, with this message, after the event at this
    /// mark, if it had given one (see [`super::input::next_event`]).
    ParserPanic(String, Option<Mark>),
}

/// Where a visitor's error happened.
#[derive(Clone, Debug)]
pub(super) struct Pos {
    mark: Mark,
    path: String,
}

/// libyaml's error, as the C library reports it.
#[derive(Clone, Debug)]
pub(super) struct LibyamlError {
    problem: &'static str,
    problem_mark: Mark,
    /// The byte offset of the problem, for errors without a mark.
    problem_offset: usize,
    context: Option<&'static str>,
    context_mark: Mark,
}

impl Error {
    /// An error of this kind.
    pub(super) fn new(inner: ErrorImpl) -> Self {
        Self(Box::new(inner))
    }

    /// The error of the parser reading `input`.
    pub(super) fn libyaml(err: &libyaml_safer::Error, input: &str) -> Self {
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
    pub(super) fn from_serde_yaml(err: serde_yaml::Error) -> Self {
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
            | ErrorImpl::UnknownAnchor(mark)
            | ErrorImpl::UnsupportedTag(_, mark) => *mark,
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
            ErrorImpl::UnsupportedTag(tag, _) => write!(f, "{}", unsupported_tag(tag))?,
            ErrorImpl::ParserPanic(message, after) => {
                f.write_str("the YAML parser (libyaml-safer) panicked on this text")?;
                if let Some(after) = after {
                    write!(
                        f,
                        " after line {} column {}",
                        after.line + 1,
                        after.column + 1
                    )?;
                }
                write!(f, ": {message}")?;
            }
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

/// The message of a YAML tag that is not read, as written (`!!binary`,
/// `!Collection`), worded for the loader: the same for every tag.
pub(crate) fn unsupported_tag(tag: &str) -> String {
    format!("YAML tags are not supported (found `{tag}`): write plain values")
}

/// The error of reading past the document's end (which a balanced
/// document never does).
pub(super) fn end_of_stream() -> Error {
    Error::new(ErrorImpl::EndOfStream)
}

/// An error for events that do not nest, which libyaml never gives.
pub(super) fn unbalanced() -> Error {
    de::Error::custom("unexpected end of a sequence or mapping")
}

/// The error of a visitor that got `event`, which it did not expect.
pub(super) fn invalid_type(event: &Event, exp: &dyn Expected) -> Error {
    match event {
        Event::Scalar(scalar) => de::Error::invalid_type(Unexpected::Str(&scalar.value), exp),
        Event::SequenceStart(_) => de::Error::invalid_type(Unexpected::Seq, exp),
        Event::MappingStart(_) => de::Error::invalid_type(Unexpected::Map, exp),
        Event::Void => end_of_stream(),
        Event::Alias(_) | Event::SequenceEnd | Event::MappingEnd => unbalanced(),
    }
}

/// Gives errors made by a visitor the position of `mark` and the path of
/// the node (errors that have one already keep it).
pub(super) fn fix_mark(mut error: Error, mark: Mark, path: &Path) -> Error {
    if let ErrorImpl::Message(_, pos @ None) = error.0.as_mut() {
        *pos = Some(Pos {
            mark,
            path: path.to_string(),
        });
    }
    error
}
