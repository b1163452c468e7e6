//! References between specs: whether the referenced entity is defined,
//! "did you mean" suggestions when it is not, and the `missing_import` lint.

use std::collections::HashMap;

use super::names::collated;
use super::Ctx;
use crate::{codes, Kind, Scope};

/// The largest edit distance of a suggestion.
const MAX_DISTANCE: usize = 4;

/// Names to suggest from, built on the first undefined reference.
#[derive(Default)]
pub(crate) struct Suggest {
    names: HashMap<Kind, Vec<(String, usize, String)>>,
    memo: HashMap<(Kind, String), Option<String>>,
}

/// The outcome of resolving a reference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Resolved {
    Defined,
    Deleted,
    Undefined,
}

impl<'a> Ctx<'a> {
    /// Like [`Ctx::reference`] for a collection, also giving what is known
    /// of it when it is defined.
    pub fn collection_reference(
        &mut self,
        from: (Kind, &str),
        this: &str,
        at: &dyn Fn(&Ctx<'_>) -> Scope,
        name: &str,
    ) -> Option<std::rc::Rc<super::collection::Info<'a>>> {
        match self.collections.get(name) {
            Some(info) if !info.def.delete => {
                let info = info.clone();
                self.lint_import(from, at, Kind::Collection, name);
                Some(info)
            }
            _ => {
                self.reference(from, this, at, Kind::Collection, name);
                None
            }
        }
    }

    fn state(&self, kind: Kind, name: &str) -> Resolved {
        let deleted = match kind {
            Kind::Collection => self.collections.get(name).map(|c| c.def.delete),
            Kind::Capture => self.catalog.captures.get(name).map(|c| c.delete),
            Kind::Materialization => self.catalog.materializations.get(name).map(|c| c.delete),
            Kind::Test => self.catalog.tests.get(name).map(|c| c.delete),
        };
        match deleted {
            Some(false) => Resolved::Defined,
            Some(true) => Resolved::Deleted,
            None => Resolved::Undefined,
        }
    }

    /// Resolves the reference of spec `from` to the `kind` entity `name`,
    /// written at `at`; `this` names the referrer in messages ("transform
    /// fromOrders", "this capture binding"). Reports an undefined or deleted
    /// entity, and a reference across files without an import path.
    pub fn reference(
        &mut self,
        from: (Kind, &str),
        this: &str,
        at: &dyn Fn(&Ctx<'_>) -> Scope,
        kind: Kind,
        name: &str,
    ) -> Resolved {
        let state = self.state(kind, name);
        let entity = kind.singular();
        match state {
            Resolved::Defined => self.lint_import(from, at, kind, name),
            Resolved::Deleted => {
                let scope = at(self);
                self.error(
                    &scope,
                    codes::REFERENCE_DELETED,
                    format!("deleted {entity} {name} is still referenced by {this}"),
                );
            }
            Resolved::Undefined => {
                let scope = at(self);
                let message = match self.suggestion(kind, name) {
                    Some(suggest) => format!(
                        "{entity} {name}, referenced by {this}, is not defined; did you mean \
                         {suggest} defined at {} ?",
                        self.scope(kind, &suggest)
                    ),
                    None => format!("{entity} {name}, referenced by {this}, is not defined"),
                };
                self.error(&scope, codes::REFERENCE_UNDEFINED, message);
            }
        }
        state
    }

    /// The closest defined name of `kind` to `name` under collation, within
    /// an edit distance of four.
    fn suggestion(&mut self, kind: Kind, name: &str) -> Option<String> {
        let key = (kind, name.to_string());
        if let Some(s) = self.suggest.memo.get(&key) {
            return s.clone();
        }
        let catalog = self.catalog;
        let names = self.suggest.names.entry(kind).or_insert_with(|| {
            let live = |n: &str, deleted: bool| {
                (!deleted).then(|| {
                    let c = collated(n).into_owned();
                    let len = c.chars().count();
                    (c, len, n.to_string())
                })
            };
            match kind {
                Kind::Collection => catalog
                    .collections
                    .iter()
                    .filter_map(|(n, d)| live(n, d.delete))
                    .collect(),
                Kind::Capture => catalog
                    .captures
                    .iter()
                    .filter_map(|(n, d)| live(n, d.delete))
                    .collect(),
                Kind::Materialization => catalog
                    .materializations
                    .iter()
                    .filter_map(|(n, d)| live(n, d.delete))
                    .collect(),
                Kind::Test => catalog
                    .tests
                    .iter()
                    .filter_map(|(n, d)| live(n, d.delete))
                    .collect(),
            }
        });
        let want = collated(name);
        let len = want.chars().count();
        let best = names
            .iter()
            // The distance is at least the difference in length.
            .filter(|(_, l, _)| l.abs_diff(len) <= MAX_DISTANCE)
            .filter_map(|(c, _, n)| {
                let d = strsim::osa_distance(&want, c);
                (d <= MAX_DISTANCE).then_some((d, n))
            })
            .min()
            .map(|(_, n)| n.clone());
        self.suggest.memo.insert(key, best.clone());
        best
    }

    fn lint_import(
        &mut self,
        from: (Kind, &str),
        at: &dyn Fn(&Ctx<'_>) -> Scope,
        kind: Kind,
        name: &str,
    ) {
        let specs = &self.catalog.origins.specs;
        if specs.is_empty() {
            return;
        }
        let (Some(a), Some(b)) = (
            specs.get(&(from.0, from.1.to_string())),
            specs.get(&(kind, name.to_string())),
        ) else {
            return;
        };
        if self.imports.connected(&a.url, &b.url) {
            return;
        }
        let defined = b.clone();
        let scope = at(self);
        self.warning(
            &scope,
            codes::MISSING_IMPORT,
            format!(
                "{} {} references {} {name}, defined at {defined}, without importing it or \
                 being imported by it",
                from.0.singular(),
                from.1,
                kind.singular()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::{check, collection, Expect};
    use serde_json::json;

    fn capture_of(target: &str) -> serde_json::Value {
        json!({
            "collections": {"acmeCo/abcdefgh": collection(json!({})), "acmeCo/Charges": collection(json!({}))},
            "captures": {"acmeCo/cap": {
                "endpoint": {"connector": {"image": "i", "config": {}}},
                "bindings": [{"resource": {"r": 1}, "target": target}],
            }},
        })
    }

    #[test]
    fn suggestions_within_four_edits_under_collation() {
        let at = "flow://catalog#/captures/acmeCo~1cap/bindings/0/target";
        let cases = [
            // Four substitutions: suggested.
            ("acmeCo/abcdwxyz", Some("acmeCo/abcdefgh")),
            // Five: too far.
            ("acmeCo/abcvwxyz", None),
            // A transposition is one edit.
            ("acmeCo/abcdefhg", Some("acmeCo/abcdefgh")),
            // Case differences cost nothing.
            ("acmeCo/CHARGES", Some("acmeCo/Charges")),
        ];
        for (target, suggestion) in cases {
            let message = match suggestion {
                Some(s) => format!(
                    "capture acmeCo/cap: collection {target}, referenced by this capture binding, is not defined; did you mean {s} defined at flow://catalog#/collections/{} ?",
                    s.replace('/', "~1")
                ),
                None => format!("capture acmeCo/cap: collection {target}, referenced by this capture binding, is not defined"),
            };
            check(
                capture_of(target),
                &[Expect::error(at, "reference_undefined", &message)],
            );
        }
    }
}
