//! Static checks of a shape: misused `reduce` strategies and locations
//! that must exist but never can.

use std::sync::Arc;

use super::{Reduction, Shape, Strategy};
use crate::codes;
use crate::validate::types::Types;

/// A problem of a schema found by inspecting its shape.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Issue {
    pub code: &'static str,
    /// JSON pointer, in the schema, of the annotation at fault (if known).
    pub at: Option<Arc<str>>,
    pub message: String,
}

impl Shape {
    /// Problems of this (root) shape, depth first.
    pub(crate) fn inspect(&self) -> Vec<Issue> {
        let mut out = Vec::new();
        let mut loc = String::new();
        self.inspect_into(&mut loc, true, &mut out);
        out
    }

    fn inspect_into(&self, loc: &mut String, must_exist: bool, out: &mut Vec<Issue>) {
        let name = || describe(loc);
        if self.types == Types::INVALID && must_exist {
            out.push(Issue {
                code: codes::SCHEMA_IMPOSSIBLE,
                at: None,
                message: format!(
                    "{} must exist, but is constrained to always be invalid",
                    name()
                ),
            });
        }
        let issue = |message: String| Issue {
            code: codes::SCHEMA_REDUCE_INVALID,
            at: self.reduce_at.clone(),
            message,
        };
        if let Reduction::Strategy(strategy) = self.reduction {
            let t = self.types;
            match strategy {
                Strategy::Sum => {
                    let numeric_string = t - Types::NUMBER == Types::STRING
                        && matches!(self.format.as_deref(), Some("integer" | "number"));
                    if t - Types::NUMBER != Types::INVALID && !numeric_string {
                        out.push(issue(format!(
                            "{} has 'sum' reduction strategy (restricted to integers, numbers \
                             and strings with `format: integer` or `format: number`) but has types {}",
                            name(),
                            t - Types::NUMBER
                        )));
                    }
                }
                Strategy::Merge if t - (Types::OBJECT | Types::ARRAY) != Types::INVALID => {
                    out.push(issue(format!(
                        "{} has 'merge' reduction strategy, restricted to objects & arrays, \
                         but has types {t}",
                        name()
                    )));
                }
                Strategy::Append if !t.overlaps(Types::ARRAY) => {
                    out.push(issue(format!(
                        "{} has 'append' reduction strategy, restricted to arrays, but has types {t}",
                        name()
                    )));
                }
                Strategy::Set => {
                    if t != Types::OBJECT {
                        out.push(issue(format!(
                            "{} has 'set' reduction strategy, restricted to objects, but has types {t}",
                            name()
                        )));
                    }
                    let names = self
                        .object
                        .properties
                        .iter()
                        .map(|p| p.name.as_str())
                        .chain(self.object.patterns.iter().map(|p| p.re.as_str()));
                    for prop in names {
                        if !matches!(prop, "add" | "intersect" | "remove") {
                            out.push(issue(format!(
                                "{}'s parent has 'set' reduction strategy, restricted to \
                                 'add'/'remove'/'intersect' properties",
                                describe(&format!("{loc}/{}", crate::names::escape_token(prop)))
                            )));
                        }
                    }
                }
                _ => {}
            }
        }

        let len = loc.len();
        let mut child = |token: &str, shape: &Shape, must: bool, out: &mut Vec<Issue>| {
            loc.push('/');
            push_escaped(loc, token);
            if self.reduction == Reduction::Unset && shape.reduction != Reduction::Unset {
                out.push(Issue {
                    code: codes::SCHEMA_REDUCE_INVALID,
                    at: shape.reduce_at.clone(),
                    message: format!(
                        "{} has a reduction strategy, but its parent does not (strategies of \
                         nested locations apply only under a parent with one, like `merge`)",
                        describe(loc)
                    ),
                });
            }
            shape.inspect_into(loc, must_exist && must, out);
            loc.truncate(len);
        };
        for (i, item) in self.array.tuple.iter().enumerate() {
            let must = self.types == Types::ARRAY && (i as u64) < self.array.min_items;
            child(&i.to_string(), item, must, out);
        }
        if let Some(a) = &self.array.additional {
            child("-", a, false, out);
        }
        for p in &self.object.properties {
            child(
                &p.name,
                &p.shape,
                self.types == Types::OBJECT && p.required,
                out,
            );
        }
        for p in &self.object.patterns {
            child(p.re.as_str(), &p.shape, false, out);
        }
        if let Some(a) = &self.object.additional {
            child("*", a, false, out);
        }
    }
}

/// Names a document location in a message.
pub(crate) fn describe(ptr: &str) -> String {
    if ptr.is_empty() {
        "the document root".to_string()
    } else {
        format!("location {ptr}")
    }
}

/// Appends a JSON pointer token, escaped, without allocating.
pub(crate) fn push_escaped(ptr: &mut String, token: &str) {
    for c in token.chars() {
        match c {
            '~' => ptr.push_str("~0"),
            '/' => ptr.push_str("~1"),
            c => ptr.push(c),
        }
    }
}
