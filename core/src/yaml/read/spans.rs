//! Where scalars are in a YAML (or JSON) text: the byte range and style of
//! the scalar at a JSON pointer, so that one value can be replaced in a
//! file without touching anything else in it (comments, order, quoting).

use std::collections::BTreeMap;

use libyaml_safer::{EventData, ScalarStyle};

use super::input::{next_event, parser, Parsed};

/// A scalar's place in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    /// Byte offset of its first character (a quote, for a quoted scalar).
    pub start: usize,
    /// Byte offset just past its last character.
    pub end: usize,
    /// Whether it is written in double quotes, single quotes, or plain.
    pub quote: Quote,
}

/// How a scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quote {
    Plain,
    Single,
    Double,
    /// A block scalar (`|`, `>`).
    Block,
}

/// What the parser is inside of.
enum Frame {
    /// A mapping: the key whose value comes next, if one was read.
    Map(Option<String>),
    /// A sequence: the index of the next item.
    Seq(usize),
}

/// The spans of the scalars at `pointers` in the first document of `text`.
/// Pointers that do not lead to a scalar written there (absent, behind an
/// alias, a collection) are left out. Fails with the parser's message when
/// the text does not parse. For `a: {b: 'x'}  # note`, the span of `/a/b`
/// is bytes 7 to 10, the quotes included (more in this module's tests).
pub(crate) fn scalar_spans(
    text: &str,
    pointers: &[&str],
) -> Result<BTreeMap<String, Span>, String> {
    let wanted: std::collections::BTreeSet<&str> = pointers.iter().copied().collect();
    let mut out = BTreeMap::new();
    let mut parser = parser(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    loop {
        let event = match next_event(&mut parser) {
            Parsed::Event(event) => event,
            Parsed::Error(err) => return Err(err.to_string()),
            Parsed::Panic(message) => return Err(format!("the YAML parser failed: {message}")),
        };
        // A node in a mapping awaiting a key is that key.
        let is_key = matches!(stack.last(), Some(Frame::Map(None)));
        let starts_node = matches!(
            event.data,
            EventData::Scalar { .. }
                | EventData::Alias { .. }
                | EventData::MappingStart { .. }
                | EventData::SequenceStart { .. }
        );
        // The token of a value node, pushed onto the path while it lasts.
        let token = match (starts_node, is_key, stack.last_mut()) {
            (true, false, Some(Frame::Map(key))) => key.clone(),
            (true, false, Some(Frame::Seq(index))) => {
                *index += 1;
                Some((*index - 1).to_string())
            }
            _ => None,
        };
        match event.data {
            EventData::StreamEnd | EventData::DocumentEnd { .. } => break,
            EventData::Scalar { value, style, .. } => {
                if is_key {
                    if let Some(Frame::Map(key)) = stack.last_mut() {
                        *key = Some(value);
                    }
                    continue;
                }
                if let Some(token) = &token {
                    path.push(token.clone());
                    let ptr = pointer(&path);
                    path.pop();
                    if wanted.contains(ptr.as_str()) {
                        let quote = match style {
                            ScalarStyle::SingleQuoted => Quote::Single,
                            ScalarStyle::DoubleQuoted => Quote::Double,
                            ScalarStyle::Literal | ScalarStyle::Folded => Quote::Block,
                            _ => Quote::Plain,
                        };
                        out.insert(
                            ptr,
                            Span {
                                start: event.start_mark.index as usize,
                                end: event.end_mark.index as usize,
                                quote,
                            },
                        );
                    }
                }
                value_done(&mut stack);
            }
            EventData::Alias { .. } => {
                if is_key {
                    // A key that is an alias: its value is not addressable.
                    if let Some(Frame::Map(key)) = stack.last_mut() {
                        *key = Some(String::new());
                    }
                    continue;
                }
                value_done(&mut stack);
            }
            EventData::MappingStart { .. } | EventData::SequenceStart { .. } => {
                // A collection as a key makes its value unaddressable: its
                // path gets a token no pointer has.
                path.push(token.unwrap_or_else(|| "\u{0}".to_string()));
                let frame = if matches!(event.data, EventData::MappingStart { .. }) {
                    Frame::Map(None)
                } else {
                    Frame::Seq(0)
                };
                stack.push(frame);
            }
            EventData::MappingEnd | EventData::SequenceEnd => {
                stack.pop();
                path.pop();
                value_done(&mut stack);
            }
            EventData::StreamStart { .. } | EventData::DocumentStart { .. } => {}
        }
    }
    Ok(out)
}

/// A value of the innermost mapping was read: the next node is a key.
fn value_done(stack: &mut [Frame]) {
    if let Some(Frame::Map(key)) = stack.last_mut() {
        *key = None;
    }
}

/// The JSON pointer of a path (the root document's token left out).
fn pointer(path: &[String]) -> String {
    path.iter()
        .skip(1)
        .map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, ptr: &str) -> Option<(String, Quote)> {
        let spans = scalar_spans(text, &[ptr]).unwrap();
        spans
            .get(ptr)
            .map(|s| (text[s.start..s.end].to_string(), s.quote))
    }

    #[test]
    fn scalars_in_block_flow_and_json() {
        let yaml = "# head\ncollections:\n  acmeCo/a:  # a comment\n    key: [/id, \"/x\"]\n    expectPubId: \"0011223344556677\"\n  acmeCo/b: {expectPubId: '1a', n: 3}\nlist:\n  - plain text\n  - {k: v}\n";
        assert_eq!(
            at(yaml, "/collections/acmeCo~1a/expectPubId"),
            Some(("\"0011223344556677\"".into(), Quote::Double))
        );
        assert_eq!(
            at(yaml, "/collections/acmeCo~1b/expectPubId"),
            Some(("'1a'".into(), Quote::Single))
        );
        assert_eq!(
            at(yaml, "/collections/acmeCo~1b/n"),
            Some(("3".into(), Quote::Plain))
        );
        assert_eq!(
            at(yaml, "/collections/acmeCo~1a/key/1"),
            Some(("\"/x\"".into(), Quote::Double))
        );
        assert_eq!(
            at(yaml, "/list/0"),
            Some(("plain text".into(), Quote::Plain))
        );
        assert_eq!(at(yaml, "/list/1/k"), Some(("v".into(), Quote::Plain)));
        // Collections and absent locations have no scalar span.
        assert_eq!(at(yaml, "/collections/acmeCo~1a/key"), None);
        assert_eq!(at(yaml, "/collections/acmeCo~1c/expectPubId"), None);

        let json = "{\"collections\": {\"acmeCo/a\": {\"expectPubId\": \"00ff\", \"ü\": \"é\"}}}";
        assert_eq!(
            at(json, "/collections/acmeCo~1a/expectPubId"),
            Some(("\"00ff\"".into(), Quote::Double))
        );
        assert_eq!(
            at(json, "/collections/acmeCo~1a/ü"),
            Some(("\"é\"".into(), Quote::Double))
        );
    }

    #[test]
    fn bad_text_is_an_error() {
        assert!(scalar_spans("a: [b\n", &["/a/0"]).is_err());
    }
}
