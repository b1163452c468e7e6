//! Union of shapes: only the constraints both sides share apply, as with
//! `anyOf` and `oneOf`.

use super::details::Details;
use super::intersect::impute;
use super::{ArrayShape, ObjShape, Pattern, Property, Reduction, Shape};
use crate::validate::types::Types;

impl Shape {
    /// The shape of locations that satisfy `lhs` or `rhs`.
    pub(crate) fn union(lhs: Shape, rhs: Shape) -> Shape {
        if lhs.types == Types::INVALID {
            return rhs;
        } else if rhs.types == Types::INVALID {
            return lhs;
        }
        let types = lhs.types | rhs.types;
        let enum_ = match (lhs.enum_, rhs.enum_) {
            (Some(mut l), Some(r)) => {
                for v in r {
                    if !l.contains(&v) {
                        l.push(v);
                    }
                }
                Some(l)
            }
            _ => None,
        };
        // Strategies of one name with different options are different
        // strategies (the options are known to a detailed inference only).
        let same_options = || {
            let reduce = |d: &Option<Box<Details>>| d.as_ref().and_then(|d| d.reduce.clone());
            reduce(&lhs.details) == reduce(&rhs.details)
        };
        let (reduction, reduce_at) = match (lhs.reduction, rhs.reduction) {
            (l, r) if l == r && (l == Reduction::Unset || same_options()) => {
                (l, lhs.reduce_at.or(rhs.reduce_at))
            }
            (Reduction::Unset, _) | (_, Reduction::Unset) => (Reduction::Unset, None),
            _ => (Reduction::Multiple, lhs.reduce_at.or(rhs.reduce_at)),
        };
        let details = Details::union(lhs.details, rhs.details, (lhs.types, rhs.types));
        let (ls, rs) = (
            lhs.types.overlaps(Types::STRING),
            rhs.types.overlaps(Types::STRING),
        );
        let format = match (ls, rs) {
            (true, true) => match (lhs.format, rhs.format) {
                (Some(l), Some(r)) if l == r => Some(l),
                (Some(l), Some(r))
                    if matches!(
                        (l.as_str(), r.as_str()),
                        ("integer", "number") | ("number", "integer")
                    ) =>
                {
                    Some("number".to_string())
                }
                _ => None,
            },
            (_, false) => lhs.format,
            (false, true) => rhs.format,
        };
        let object = match (
            lhs.types.overlaps(Types::OBJECT),
            rhs.types.overlaps(Types::OBJECT),
        ) {
            (true, true) => ObjShape::union(lhs.object, rhs.object),
            (_, false) => lhs.object,
            (false, true) => rhs.object,
        };
        let array = match (
            lhs.types.overlaps(Types::ARRAY),
            rhs.types.overlaps(Types::ARRAY),
        ) {
            (true, true) => {
                ArrayShape::union(lhs.array.into_inner(), rhs.array.into_inner()).into()
            }
            (_, false) => lhs.array,
            (false, true) => rhs.array,
        };
        Shape {
            types,
            enum_,
            reduction,
            reduce_at,
            format,
            object,
            array,
            details,
        }
    }
}

impl ObjShape {
    fn union(lhs: ObjShape, rhs: ObjShape) -> ObjShape {
        let mut properties = Vec::new();
        let mut l = lhs.properties.into_iter().peekable();
        let mut r = rhs.properties.into_iter().peekable();
        loop {
            let order = match (l.peek(), r.peek()) {
                (Some(a), Some(b)) => a.name.cmp(&b.name),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => break,
            };
            // A property that one side does not name takes that side's
            // patterns or additional properties; if those allow anything,
            // so does the union, and the property is dropped.
            let p = match order {
                std::cmp::Ordering::Equal => {
                    let (a, b) = (l.next().unwrap(), r.next().unwrap());
                    Some(Property {
                        name: a.name,
                        required: a.required && b.required,
                        shape: Shape::union(a.shape, b.shape),
                    })
                }
                std::cmp::Ordering::Less => {
                    let a = l.next().unwrap();
                    impute(&a.name, &rhs.patterns, rhs.additional.as_deref()).map(|other| {
                        Property {
                            name: a.name,
                            required: false,
                            shape: Shape::union(a.shape, other),
                        }
                    })
                }
                std::cmp::Ordering::Greater => {
                    let b = r.next().unwrap();
                    impute(&b.name, &lhs.patterns, lhs.additional.as_deref()).map(|other| {
                        Property {
                            name: b.name,
                            required: false,
                            shape: Shape::union(other, b.shape),
                        }
                    })
                }
            };
            properties.extend(p);
        }

        // Patterns survive only when both sides constrain their matches.
        let mut patterns = Vec::new();
        for p in &lhs.patterns {
            match rhs.patterns.iter().find(|q| q.re.as_str() == p.re.as_str()) {
                Some(q) => patterns.push(Pattern {
                    re: p.re.clone(),
                    shape: Shape::union(p.shape.clone(), q.shape.clone()),
                }),
                None => {
                    if let Some(a) = &rhs.additional {
                        patterns.push(Pattern {
                            re: p.re.clone(),
                            shape: Shape::union(p.shape.clone(), (**a).clone()),
                        });
                    }
                }
            }
        }
        for q in &rhs.patterns {
            if lhs.patterns.iter().any(|p| p.re.as_str() == q.re.as_str()) {
                continue;
            }
            if let Some(a) = &lhs.additional {
                patterns.push(Pattern {
                    re: q.re.clone(),
                    shape: Shape::union((**a).clone(), q.shape.clone()),
                });
            }
        }
        patterns.sort_by(|a, b| a.re.as_str().cmp(b.re.as_str()));

        let additional = match (lhs.additional, rhs.additional) {
            (Some(a), Some(b)) => Some(Box::new(Shape::union(*a, *b))),
            _ => None,
        };
        ObjShape {
            properties,
            patterns,
            additional,
        }
    }
}

impl ArrayShape {
    fn union(lhs: ArrayShape, rhs: ArrayShape) -> ArrayShape {
        let min_items = lhs.min_items.min(rhs.min_items);
        let max_items = match (lhs.max_items, rhs.max_items) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
        // Items past the shorter tuple take that side's additional items;
        // without them, they are unconstrained and the tuple ends there.
        let mut tuple = Vec::new();
        let mut l = lhs.tuple.into_iter();
        let mut r = rhs.tuple.into_iter();
        loop {
            let item = match (l.next(), r.next()) {
                (Some(a), Some(b)) => Shape::union(a, b),
                (Some(a), None) => match &rhs.additional {
                    Some(b) => Shape::union(a, (**b).clone()),
                    None => break,
                },
                (None, Some(b)) => match &lhs.additional {
                    Some(a) => Shape::union((**a).clone(), b),
                    None => break,
                },
                (None, None) => break,
            };
            tuple.push(item);
        }
        let additional = match (lhs.additional, rhs.additional) {
            (Some(a), Some(b)) => Some(Box::new(Shape::union(*a, *b))),
            _ => None,
        };
        ArrayShape {
            min_items,
            max_items,
            tuple,
            additional,
        }
    }
}
