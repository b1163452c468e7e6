//! Bindings of one task must each have their own endpoint resource.

use std::hash::{Hash, Hasher};

use serde_json::Value;

use super::Ctx;
use crate::{codes, Kind};
use rustc_hash::{FxHashMap, FxHasher};

/// Reports bindings of the task `name` whose `resource` equals an earlier
/// binding's (the order of object properties aside).
pub(crate) fn duplicates<'v>(
    ctx: &mut Ctx<'_>,
    kind: Kind,
    name: &str,
    resources: impl Iterator<Item = &'v Value>,
) {
    // The first binding of each resource hash; true collisions of the
    // hash (distinct resources) are kept aside.
    let mut seen: FxHashMap<u64, usize> = FxHashMap::default();
    let mut collided: Vec<(u64, usize)> = Vec::new();
    let resources: Vec<&Value> = resources.collect();
    if resources.len() < 2 {
        return;
    }
    seen.reserve(resources.len());
    for (index, resource) in resources.iter().enumerate() {
        let h = hash(resource);
        let first = match seen.get(&h) {
            None => {
                seen.insert(h, index);
                continue;
            }
            Some(&first) if resources[first] == *resource => Some(first),
            Some(_) => collided
                .iter()
                .find(|(ch, i)| *ch == h && resources[*i] == *resource)
                .map(|(_, i)| *i),
        };
        let Some(first) = first else {
            collided.push((h, index));
            continue;
        };
        let at = ctx
            .scope(kind, name)
            .push("bindings")
            .push_index(index)
            .push("resource");
        ctx.error(
            &at,
            codes::BINDING_DUPLICATE_RESOURCE,
            format!(
                "this {} binding at offset {index} is bound to endpoint resource {resource}, \
                 but so is the binding at offset {first}, which is not permitted (each \
                 binding must have a unique endpoint resource)",
                kind.singular()
            ),
        );
    }
}

/// A hash of a value that ignores the order of object properties, as
/// equality of values does.
fn hash(value: &Value) -> u64 {
    let mut h = FxHasher::default();
    match value {
        Value::Object(obj) => {
            5u8.hash(&mut h);
            let mut sum = 0u64;
            for (k, v) in obj {
                let mut kh = FxHasher::default();
                k.hash(&mut kh);
                hash(v).hash(&mut kh);
                sum = sum.wrapping_add(kh.finish());
            }
            sum.hash(&mut h);
        }
        Value::Array(items) => {
            4u8.hash(&mut h);
            items.iter().for_each(|v| hash(v).hash(&mut h));
        }
        Value::String(s) => (3u8, s).hash(&mut h),
        Value::Number(n) => (2u8, n.to_string()).hash(&mut h),
        Value::Bool(b) => (1u8, b).hash(&mut h),
        Value::Null => 0u8.hash(&mut h),
    }
    h.finish()
}
