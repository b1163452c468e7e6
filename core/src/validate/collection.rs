//! Collections: their schemas, key and projections.

use std::cell::OnceCell;
use std::rc::Rc;

use super::projection::{self, Projections};
use super::schema::Compiled;
use super::shape::{Exists, Reduction, Shape, Strategy};
use super::types::Types;
use super::Ctx;
use crate::{codes, Collection, CollectionDef, Kind, Schema};

/// What other specs need to know of a collection.
pub(crate) struct Info<'a> {
    pub def: &'a CollectionDef,
    /// The write schema, or the only schema, when usable.
    pub write: Option<Rc<Compiled<'a>>>,
    /// The read schema when given apart from the write schema, and usable.
    pub read: Option<Rc<Compiled<'a>>>,
    /// Whether every schema of the collection is usable for shape checks.
    pub usable: bool,
    projections: OnceCell<Projections>,
}

impl<'a> Info<'a> {
    fn new(def: &'a CollectionDef) -> Self {
        Info {
            def,
            write: None,
            read: None,
            usable: false,
            projections: OnceCell::new(),
        }
    }

    /// The shape documents are read with, when known.
    pub fn read_shape(&self) -> Option<&Shape> {
        if !self.usable {
            return None;
        }
        self.read.as_ref().or(self.write.as_ref())?.usable()
    }

    /// The write shape, when the read schema is a different one.
    pub fn distinct_write_shape(&self) -> Option<&Shape> {
        if !self.usable || self.read.is_none() {
            return None;
        }
        self.write.as_ref()?.usable()
    }

    /// The property of the collection that holds its read schema.
    pub fn read_prop(&self) -> &'static str {
        if self.def.read_schema.is_some() {
            "readSchema"
        } else {
            "schema"
        }
    }

    /// The collection's projections, explicit and inferred, by field.
    pub fn projections(&self) -> &Projections {
        self.projections
            .get_or_init(|| Projections::build(self.def, self.read_shape()))
    }
}

/// Checks a collection and records what other specs need to know of it.
pub(crate) fn check<'a>(ctx: &mut Ctx<'a>, name: &'a Collection, def: &'a CollectionDef) {
    let mut info = Info::new(def);
    if def.delete {
        ctx.collections.insert(name.as_str(), Rc::new(info));
        return;
    }
    super::limits::journals(ctx, name, def);
    if def.key.is_empty() {
        let at = ctx.scope(Kind::Collection, name).push("key");
        ctx.error(
            &at,
            codes::KEY_EMPTY,
            format!("collection {name} key cannot be empty (https://go.estuary.dev/Zq6zVB)"),
        );
    }
    match (&def.schema, &def.write_schema, &def.read_schema) {
        (Some(schema), None, None) => {
            info.write = compile(ctx, name, "schema", schema, None);
            info.usable = info.write.is_some();
        }
        (None, Some(write), Some(read)) => {
            info.write = compile(ctx, name, "writeSchema", write, None);
            // A read schema may reference the write schema, so it is
            // checked only when the write schema is inline and usable
            // (its problems would otherwise be reported twice).
            if info.write.is_some() {
                info.read = compile(ctx, name, "readSchema", read, write.inline_json());
            }
            info.usable = info.write.is_some() && info.read.is_some();
        }
        _ => {
            let at = ctx.scope(Kind::Collection, name);
            ctx.error(
                &at,
                codes::COLLECTION_SCHEMA_MISSING,
                format!(
                    "collection {name} must define either `schema` or both of `writeSchema` \
                     and `readSchema`"
                ),
            );
        }
    }
    let info = Rc::new(info);
    if info.usable {
        check_key(ctx, name, &info);
    }
    projection::check(ctx, name, &info);
    ctx.collections.insert(name.as_str(), info);
}

/// The schemas of a collection that [`check`] compiles, as the schema
/// cache takes them: the JSON text of each, with the write schema's text for
/// a read schema.
pub(crate) fn schemas(def: &CollectionDef) -> Vec<(&str, Option<&str>)> {
    match (&def.schema, &def.write_schema, &def.read_schema) {
        (Some(schema), None, None) => schema
            .inline_json()
            .map(|s| (s, None))
            .into_iter()
            .collect(),
        (None, Some(write), Some(read)) => match (write.inline_json(), read.inline_json()) {
            (Some(w), Some(r)) => vec![(w, None), (r, Some(w))],
            (Some(w), None) => vec![(w, None)],
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Compiles one schema of a collection, reporting its problems, and returns
/// it when it is usable.
fn compile<'a>(
    ctx: &mut Ctx<'a>,
    name: &str,
    prop: &str,
    schema: &'a Schema,
    write: Option<&'a str>,
) -> Option<Rc<Compiled<'a>>> {
    let Some(text) = schema.inline_json() else {
        let url = schema.as_reference().unwrap_or_default();
        let at = ctx.scope(Kind::Collection, name).push(prop);
        ctx.warning(
            &at,
            codes::SCHEMA_NOT_LOADED,
            format!(
                "{prop} {url} is a reference that was not loaded, so \
                 checks that need it were skipped (load the catalog from its files, or inline \
                 the schema)"
            ),
        );
        return None;
    };
    let compiled = ctx.schemas.get(text, write);
    if !compiled.problems.is_empty() {
        let at = ctx.scope(Kind::Collection, name).push(prop);
        let url = at.to_string();
        for p in &compiled.problems {
            ctx.error(&at.join_pointer(&p.path), p.code, p.message(&url));
        }
    }
    compiled.usable().is_some().then_some(compiled)
}

fn check_key(ctx: &mut Ctx<'_>, name: &str, info: &Info<'_>) {
    let (Some(read), Some(write)) = (
        info.read_shape(),
        info.write.as_ref().and_then(|w| w.usable()),
    ) else {
        return;
    };
    let distinct = info.distinct_write_shape();
    for (i, ptr) in info.def.key.iter().enumerate() {
        match walk_ptr(read, distinct, ptr, true) {
            Err(err) => {
                let at = ctx.scope(Kind::Collection, name).push("key").push_index(i);
                let (code, message) = err.describe(ptr, &SchemaUrls::of(ctx, name, info), false);
                ctx.error(&at, code, message);
            }
            Ok(()) if write.locate(ptr).1 != Exists::Must => {
                let at = ctx.scope(Kind::Collection, name).push("key").push_index(i);
                let prop = if info.read.is_some() {
                    "writeSchema"
                } else {
                    "schema"
                };
                let url = ctx.scope(Kind::Collection, name).push(prop);
                ctx.warning(
                    &at,
                    codes::KEY_NOT_REQUIRED,
                    format!(
                        "keyed location {ptr} is not required to exist by schema {url}, so \
                         documents may omit it (list it under `required`)"
                    ),
                );
            }
            Ok(()) => {}
        }
    }
}

/// Which schema of a collection a pointer failed against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Which {
    Read,
    Write,
}

/// Why a pointer cannot be used as a key or projection.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PtrError {
    Unknown(Which),
    Prohibited(Which),
    WrongType(Types),
    HasReduction(Reduction),
    ReadWriteDiffer { read: Types, write: Types },
}

/// The URLs of a collection's read and write schemas, for messages.
pub(crate) struct SchemaUrls {
    pub read: String,
    pub write: String,
}

impl SchemaUrls {
    pub fn of(ctx: &Ctx<'_>, name: &str, info: &Info<'_>) -> Self {
        let spec = ctx.scope(Kind::Collection, name);
        let write = if info.def.write_schema.is_some() {
            "writeSchema"
        } else {
            "schema"
        };
        SchemaUrls {
            read: spec.push(info.read_prop()).to_string(),
            write: spec.push(write).to_string(),
        }
    }
}

impl PtrError {
    /// The code and message of this error for `ptr`. `projection` tells
    /// whether the pointer is a projection's location (rather than a key).
    pub fn describe(
        &self,
        ptr: &str,
        urls: &SchemaUrls,
        projection: bool,
    ) -> (&'static str, String) {
        let url = |w: &Which| match w {
            Which::Read => &urls.read,
            Which::Write => &urls.write,
        };
        match self {
            PtrError::Unknown(w) => (
                if projection {
                    codes::PROJECTION_UNKNOWN
                } else {
                    codes::KEY_UNKNOWN
                },
                format!("location {ptr} is unknown in schema {}", url(w)),
            ),
            PtrError::Prohibited(w) => (
                if projection {
                    codes::PROJECTION_UNKNOWN
                } else {
                    codes::KEY_PROHIBITED
                },
                format!(
                    "location {ptr} is prohibited from ever existing by the schema {}",
                    url(w)
                ),
            ),
            PtrError::WrongType(types) => (
                codes::KEY_WRONG_TYPE,
                format!(
                    "location {ptr} accepts {types} in schema {}, but locations used as keys may \
                     only be one of boolean, integer, number or string, optionally null",
                    urls.read
                ),
            ),
            PtrError::HasReduction(reduction) => {
                let strategy = match reduction {
                    Reduction::Strategy(s) => format!("reduction strategy {}", s.name()),
                    _ => "conflicting reduction strategies".to_string(),
                };
                (
                    codes::KEY_HAS_REDUCTION,
                    format!(
                        "location {ptr} has {strategy} in schema {}, which is disallowed because \
                         the location is used as a key (only lastWriteWins is allowed)",
                        urls.read
                    ),
                )
            }
            PtrError::ReadWriteDiffer { read, write } => (
                codes::KEY_READ_WRITE_TYPES_DIFFER,
                format!(
                    "location {ptr} is {read} in readSchema {}, but {write} in writeSchema {}; \
                     types of keyed locations must be the same in read and write schemas",
                    urls.read, urls.write
                ),
            ),
        }
    }
}

/// Walks a pointer given by the user (a key, shuffle key or projection)
/// through the read shape, and the distinct write shape if any. A pointer
/// used as a key must also have a keyable type and no reduction, and the
/// same types (apart from null) in both shapes.
pub(crate) fn walk_ptr(
    read: &Shape,
    write: Option<&Shape>,
    ptr: &str,
    is_key: bool,
) -> Result<(), PtrError> {
    let (rs, exists) = read.locate(ptr);
    match exists {
        Exists::Implicit => return Err(PtrError::Unknown(Which::Read)),
        Exists::Cannot => return Err(PtrError::Prohibited(Which::Read)),
        _ => {}
    }
    if !is_key {
        return Ok(());
    }
    if !rs.types.is_keyable() {
        return Err(PtrError::WrongType(rs.types));
    }
    if !matches!(
        rs.reduction,
        Reduction::Unset | Reduction::Strategy(Strategy::LastWriteWins)
    ) {
        return Err(PtrError::HasReduction(rs.reduction));
    }
    if let Some(write) = write {
        let (ws, exists) = write.locate(ptr);
        match exists {
            Exists::Implicit => return Err(PtrError::Unknown(Which::Write)),
            Exists::Cannot => return Err(PtrError::Prohibited(Which::Write)),
            _ => {}
        }
        let (r, w) = (rs.types - Types::NULL, ws.types - Types::NULL);
        if r != w {
            return Err(PtrError::ReadWriteDiffer { read: r, write: w });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
