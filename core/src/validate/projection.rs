//! Projections: the named fields of a collection, explicit and inferred.

use std::collections::HashMap;

use super::collection::{walk_ptr, Info, SchemaUrls};
use super::shape::{Exists, Shape};
use super::types::Types;
use super::Ctx;
use crate::{codes, CollectionDef, Kind, Scope};

/// The field of the root document, unless a projection names the root.
pub(crate) const FLOW_DOCUMENT: &str = "flow_document";
/// The field of the publication time.
pub(crate) const FLOW_PUBLISHED_AT: &str = "flow_published_at";
/// The field of the truncation indicator.
const FLOW_TRUNCATED: &str = "_meta/flow_truncated";
const TRUNCATED_PTR: &str = "/_meta/flow_truncated";
/// The document UUID, whose timestamp is the publication time.
const UUID_PTR: &str = "/_meta/uuid";
/// A synthetic location: the publication time of the document UUID.
const UUID_DATE_TIME_PTR: &str = "/_meta/uuid/date-time";

/// One field of a collection.
#[derive(Debug, Clone)]
pub(crate) struct Proj {
    pub ptr: String,
    pub partition: bool,
    pub explicit: bool,
    pub types: Types,
}

/// The fields of a collection, explicit ones first.
pub(crate) struct Projections {
    list: Vec<(String, Proj)>,
    by_field: HashMap<String, usize>,
}

impl Projections {
    /// The projections of `def`, whose read shape is `read` (if known).
    pub fn build(def: &CollectionDef, read: Option<&Shape>) -> Self {
        let types = |ptr: &str| read.map(|s| s.locate(ptr).0.types).unwrap_or(Types::ANY);
        let mut list: Vec<(String, Proj)> = Vec::new();
        let mut saw_root = false;
        let mut saw_published_at = false;
        for (field, p) in &def.projections {
            let (ptr, partition) = (p.location().as_str(), p.is_partition());
            let (ptr, t) = if ptr == UUID_DATE_TIME_PTR && !partition {
                saw_published_at = true;
                (UUID_PTR, Types::STRING)
            } else {
                saw_root |= ptr.is_empty();
                (ptr, types(ptr))
            };
            list.push((
                field.to_string(),
                Proj {
                    ptr: ptr.to_string(),
                    partition,
                    explicit: true,
                    types: t,
                },
            ));
        }
        let implicit = |ptr: &str, types: Types| Proj {
            ptr: ptr.to_string(),
            partition: false,
            explicit: false,
            types,
        };
        if !saw_root {
            list.push((FLOW_DOCUMENT.to_string(), implicit("", types(""))));
        }
        if !saw_published_at {
            list.push((
                FLOW_PUBLISHED_AT.to_string(),
                implicit(UUID_PTR, Types::STRING),
            ));
        }
        list.push((
            FLOW_TRUNCATED.to_string(),
            implicit(TRUNCATED_PTR, Types::BOOLEAN),
        ));
        for ptr in def.key.iter().filter(|p| !p.is_empty()) {
            list.push((ptr[1..].to_string(), implicit(ptr, types(ptr))));
        }
        if let Some(read) = read {
            for (ptr, pattern, shape, _) in read.locations() {
                if pattern || ptr.is_empty() || ptr.ends_with('/') || &ptr[1..] == FLOW_DOCUMENT {
                    continue;
                }
                list.push((ptr[1..].to_string(), implicit(&ptr, shape.types)));
            }
        }
        // Stable: for each field, explicit first, then keys, then locations.
        list.sort_by(|a, b| a.0.cmp(&b.0));
        let mut by_field = HashMap::with_capacity(list.len());
        for (i, (field, _)) in list.iter().enumerate() {
            by_field.entry(field.clone()).or_insert(i);
        }
        Projections { list, by_field }
    }

    /// Each field once, in order, with its projection (the explicit one
    /// when a field is also implicit).
    pub fn fields(&self) -> impl Iterator<Item = (&str, &Proj)> {
        self.list
            .iter()
            .enumerate()
            .filter(|(i, (field, _))| self.by_field.get(field) == Some(i))
            .map(|(_, (field, p))| (field.as_str(), p))
    }

    /// The projection of `field`.
    pub fn get(&self, field: &str) -> Option<&Proj> {
        self.by_field.get(field).map(|&i| &self.list[i].1)
    }

    /// Explicit projections that re-map a field which is canonical for
    /// another location: (field, canonical pointer, explicit pointer).
    fn remaps(&self) -> Vec<(&str, &str, &str)> {
        self.list
            .windows(2)
            .filter(|w| w[0].0 == w[1].0 && w[0].1.explicit && w[0].1.ptr != w[1].1.ptr)
            .map(|w| (w[0].0.as_str(), w[1].1.ptr.as_str(), w[0].1.ptr.as_str()))
            .collect()
    }
}

/// Checks the explicit projections of a collection.
pub(crate) fn check(ctx: &mut Ctx<'_>, name: &str, info: &Info<'_>) {
    let projections = &info.def.projections;
    if projections.is_empty() {
        return;
    }
    let spec = ctx.scope(Kind::Collection, name).push("projections");
    super::names::duplicates(
        ctx,
        "projection",
        codes::PROJECTION_DUPLICATE,
        projections
            .keys()
            .map(|f| (f.as_str(), spec.push(f)))
            .collect(),
    );
    for (field, p) in projections {
        if p.is_partition() {
            if let Err(unmatched) = token(field) {
                ctx.error(
                    &spec.push(field),
                    codes::PROJECTION_PARTITION_NAME,
                    format!(
                        "{field} cannot be used as name for partition ({unmatched:?} is invalid)"
                    ),
                );
            }
        }
    }
    let Some(read) = info.read_shape() else {
        return;
    };
    let write = info.distinct_write_shape();
    let urls = SchemaUrls::of(ctx, name, info);
    for (field, p) in projections {
        let ptr = p.location().as_str();
        if ptr.is_empty() || (ptr == UUID_DATE_TIME_PTR && !p.is_partition()) {
            continue;
        }
        if let Err(err) = walk_ptr(read, write, ptr, p.is_partition()) {
            let (code, message) = err.describe(ptr, &urls, true);
            ctx.error(&spec.push(field), code, message);
        } else if p.is_partition() {
            required(ctx, name, info, &urls, (field, ptr), &spec);
        }
    }
    for (field, canonical, wrong) in info.projections().remaps() {
        ctx.error(
            &spec.push(field),
            codes::PROJECTION_REMAPS_CANONICAL,
            format!(
                "projection {field} is the canonical field name of location {canonical:?}, and \
                 cannot re-map it to {wrong:?}"
            ),
        );
    }
}

/// Checks that a partitioned location must exist in every document written:
/// its value names the document's journal. Estuary requires this of keyed
/// locations, which partitions are.
fn required(
    ctx: &mut Ctx<'_>,
    name: &str,
    info: &Info<'_>,
    urls: &SchemaUrls,
    (field, ptr): (&str, &str),
    spec: &Scope,
) {
    let Some(write) = info.write.as_ref().and_then(|w| w.usable()) else {
        return;
    };
    if write.locate(ptr).1 != Exists::Must {
        ctx.error(
            &spec.push(field),
            codes::PARTITION_NOT_REQUIRED,
            format!(
                "partitioned location {ptr} (projection {field} of collection {name}) must be \
                 required to exist by schema {}; list it under `required`",
                urls.write
            ),
        );
    }
}

/// Checks that `name` is a single token, returning the text outside the
/// first token otherwise, as Estuary reports it.
fn token(name: &str) -> Result<(), String> {
    static TOKEN: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(crate::names::TOKEN).unwrap());
    let (start, end) = TOKEN
        .find(name)
        .map(|m| (m.start(), m.end()))
        .unwrap_or((0, 0));
    let unmatched = [&name[..start], &name[end..]].concat();
    if unmatched.is_empty() {
        Ok(())
    } else {
        Err(unmatched)
    }
}
