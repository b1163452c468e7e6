//! A bound on the size of a merged shape, as Estuary keeps merged and
//! inferred schemas: past a number of named locations, the deepest ones
//! are folded into their parent's additional properties or items, so that
//! every document valid before stays valid.

use super::{Shape, Types};

/// The most named locations (properties and tuple items, at any depth) a
/// shape written by `jsonSchemaMerge` keeps: Estuary's default.
pub(crate) const COMPLEXITY_LIMIT: usize = 1_000;

/// One step into a shape.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Item(usize),
    Property(String),
    /// Into additional items.
    Items,
    /// Into additional properties.
    Additional,
}

impl Shape {
    /// Folds the deepest named locations of this shape into their parents'
    /// additional properties or items until at most `limit` remain.
    ///
    /// ```
    /// use flowspec::validate::Shape;
    /// use serde_json::json;
    /// let mut shape = Shape::infer_detailed(&json!({
    ///     "type": "object",
    ///     "properties": {"a": {"type": "integer"}, "b": {"type": "string"}},
    ///     "additionalProperties": false,
    /// }));
    /// shape.squash(1);
    /// let schema = shape.to_schema();
    /// assert_eq!(schema["properties"], json!({"a": {"type": "integer"}}));
    /// assert_eq!(schema["additionalProperties"], json!({"type": "string"}));
    /// ```
    pub fn squash(&mut self, limit: usize) {
        let mut paths = Vec::new();
        self.named_paths(&mut Vec::new(), &mut paths);
        if paths.len() <= limit {
            return;
        }
        paths.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        while paths.len() > limit {
            let path = paths.pop().expect("more paths than the limit");
            let (parent, last) = path.split_at(path.len() - 1);
            if let Some(parent) = self.at_mut(parent) {
                parent.squash_child(&last[0]);
            }
        }
    }

    /// Paths of named locations (not those reached last through additional
    /// properties or items).
    fn named_paths(&self, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
        if matches!(path.last(), Some(Step::Item(_) | Step::Property(_))) {
            out.push(path.clone());
        }
        let mut child = |step: Step, shape: &Shape, out: &mut Vec<Vec<Step>>| {
            path.push(step);
            shape.named_paths(path, out);
            path.pop();
        };
        for p in &self.object.properties {
            child(Step::Property(p.name.clone()), &p.shape, out);
        }
        if let Some(a) = &self.object.additional {
            child(Step::Additional, a, out);
        }
        for (i, item) in self.array.tuple.iter().enumerate() {
            child(Step::Item(i), item, out);
        }
        if let Some(a) = &self.array.additional {
            child(Step::Items, a, out);
        }
    }

    fn at_mut(&mut self, path: &[Step]) -> Option<&mut Shape> {
        let Some((first, rest)) = path.split_first() else {
            return Some(self);
        };
        let next = match first {
            Step::Item(i) => self.array.tuple.get_mut(*i),
            Step::Property(name) => {
                let props = &mut self.object.properties;
                let i = props.binary_search_by(|p| p.name.as_str().cmp(name)).ok()?;
                Some(&mut props[i].shape)
            }
            Step::Items => self.array.additional.as_deref_mut(),
            Step::Additional => self.object.additional.as_deref_mut(),
        }?;
        next.at_mut(rest)
    }

    /// Folds one child of the kind of `step` — the last one, so that the
    /// places of the others do not move — into this shape's patterns or
    /// additional properties (items).
    fn squash_child(&mut self, step: &Step) {
        match step {
            Step::Item(_) => {
                let Some(mut item) = self.array.tuple.pop() else {
                    return;
                };
                item.forget_additional();
                self.array.additional = Some(Box::new(match self.array.additional.take() {
                    Some(a) => Shape::union(*a, item),
                    None => item,
                }));
            }
            Step::Property(_) => {
                let Some(p) = self.object.properties.pop() else {
                    return;
                };
                let mut shape = p.shape;
                shape.forget_additional();
                let obj = &mut self.object;
                if let Some(pattern) = obj.patterns.iter_mut().find(|pt| pt.re.is_match(&p.name)) {
                    let prior = std::mem::replace(&mut pattern.shape, Shape::nothing());
                    pattern.shape = Shape::union(prior, shape);
                } else {
                    obj.additional = Some(Box::new(match obj.additional.take() {
                        Some(a) => Shape::union(*a, shape),
                        None => shape,
                    }));
                }
            }
            Step::Items | Step::Additional => {}
        }
    }

    /// A squashed location allows any additional properties and items,
    /// unless it allowed none.
    fn forget_additional(&mut self) {
        let keep = |a: &Option<Box<Shape>>| {
            a.as_ref()
                .filter(|s| s.types == Types::INVALID)
                .map(|_| Box::new(Shape::nothing()))
        };
        if self.object.additional.is_some() {
            self.object.additional = keep(&self.object.additional);
        }
        if self.array.additional.is_some() {
            self.array.additional = keep(&self.array.additional);
        }
    }
}
