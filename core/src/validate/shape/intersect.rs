//! Intersection of shapes: every constraint of both sides applies, as with
//! `allOf`.

use super::details::Details;
use super::{value_types, ArrayShape, ObjShape, Pattern, Property, Reduction, Shape};
use crate::validate::types::Types;

impl Shape {
    /// The shape of locations that satisfy both `lhs` and `rhs`.
    pub(crate) fn intersect(lhs: Shape, rhs: Shape) -> Shape {
        let mut types = lhs.types & rhs.types;
        let enum_ = match (lhs.enum_, rhs.enum_) {
            (None, None) => None,
            (Some(v), None) | (None, Some(v)) => Some(v),
            (Some(l), Some(r)) => Some(l.into_iter().filter(|v| r.contains(v)).collect()),
        };
        let enum_ = enum_.map(|values: Vec<_>| {
            let values: Vec<_> = values
                .into_iter()
                .filter(|v| types.overlaps(Types::for_value(v)))
                .collect();
            types = types & value_types(&values);
            values
        });
        let (reduction, reduce_at) = match lhs.reduction {
            Reduction::Unset => (rhs.reduction, rhs.reduce_at),
            r => (r, lhs.reduce_at),
        };
        let details = Details::intersect(lhs.details, rhs.details, (lhs.types, rhs.types));
        let both = |t: Types| lhs.types.overlaps(t) && rhs.types.overlaps(t);
        let format = if both(Types::STRING) {
            lhs.format.or(rhs.format)
        } else {
            None
        };
        let object = if both(Types::OBJECT) {
            ObjShape::intersect(lhs.object, rhs.object)
        } else {
            ObjShape::default()
        };
        let array = if both(Types::ARRAY) {
            ArrayShape::intersect(lhs.array.into_inner(), rhs.array.into_inner()).into()
        } else {
            Default::default()
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

/// The shape a side's patterns or additional properties give a property it
/// does not name, if any.
pub(super) fn impute(
    name: &str,
    patterns: &[Pattern],
    additional: Option<&Shape>,
) -> Option<Shape> {
    let mut matched = patterns.iter().filter(|p| p.re.is_match(name));
    match matched.next() {
        Some(first) => Some(matched.fold(first.shape.clone(), |s, p| {
            Shape::intersect(s, p.shape.clone())
        })),
        None => additional.cloned(),
    }
}

impl ObjShape {
    fn intersect(lhs: ObjShape, rhs: ObjShape) -> ObjShape {
        let mut properties = Vec::with_capacity(lhs.properties.len().max(rhs.properties.len()));
        let mut l = lhs.properties.into_iter().peekable();
        let mut r = rhs.properties.into_iter().peekable();
        loop {
            let order = match (l.peek(), r.peek()) {
                (Some(a), Some(b)) => a.name.cmp(&b.name),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => break,
            };
            let p = match order {
                std::cmp::Ordering::Equal => {
                    let (a, b) = (l.next().unwrap(), r.next().unwrap());
                    Property {
                        name: a.name,
                        required: a.required || b.required,
                        shape: Shape::intersect(a.shape, b.shape),
                    }
                }
                std::cmp::Ordering::Less => {
                    let mut a = l.next().unwrap();
                    if let Some(other) = impute(&a.name, &rhs.patterns, rhs.additional.as_deref()) {
                        a.shape = Shape::intersect(a.shape, other);
                    }
                    a
                }
                std::cmp::Ordering::Greater => {
                    let mut b = r.next().unwrap();
                    if let Some(other) = impute(&b.name, &lhs.patterns, lhs.additional.as_deref()) {
                        b.shape = Shape::intersect(other, b.shape);
                    }
                    b
                }
            };
            properties.push(p);
        }

        let mut patterns = lhs.patterns;
        for p in rhs.patterns {
            match patterns.iter().position(|q| q.re.as_str() == p.re.as_str()) {
                Some(i) => {
                    let q = patterns.remove(i);
                    patterns.insert(
                        i,
                        Pattern {
                            re: q.re,
                            shape: Shape::intersect(q.shape, p.shape),
                        },
                    );
                }
                None => patterns.push(p),
            }
        }
        patterns.sort_by(|a, b| a.re.as_str().cmp(b.re.as_str()));

        let additional = match (lhs.additional, rhs.additional) {
            (Some(a), Some(b)) => Some(Box::new(Shape::intersect(*a, *b))),
            (a, b) => a.or(b),
        };
        ObjShape {
            properties,
            patterns,
            additional,
        }
    }
}

impl ArrayShape {
    fn intersect(lhs: ArrayShape, rhs: ArrayShape) -> ArrayShape {
        let min_items = lhs.min_items.max(rhs.min_items);
        let max_items = match (lhs.max_items, rhs.max_items) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let len = lhs.tuple.len().max(rhs.tuple.len());
        let mut l = lhs.tuple.into_iter();
        let mut r = rhs.tuple.into_iter();
        let tuple = (0..len)
            .map(|_| match (l.next(), r.next()) {
                (Some(a), Some(b)) => Shape::intersect(a, b),
                (Some(a), None) => match &rhs.additional {
                    Some(b) => Shape::intersect(a, (**b).clone()),
                    None => a,
                },
                (None, Some(b)) => match &lhs.additional {
                    Some(a) => Shape::intersect((**a).clone(), b),
                    None => b,
                },
                (None, None) => unreachable!("bounded by the longer tuple"),
            })
            .collect();
        let additional = match (lhs.additional, rhs.additional) {
            (Some(a), Some(b)) => Some(Box::new(Shape::intersect(*a, *b))),
            (a, b) => a.or(b),
        };
        ArrayShape {
            min_items,
            max_items,
            tuple,
            additional,
        }
    }
}
