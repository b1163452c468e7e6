//! Derivations: their transforms, sources and shuffles.

use super::collection::{walk_ptr, SchemaUrls};
use super::limits::TaskType;
use super::task::{self, Settings};
use super::types::Types;
use super::Ctx;
use crate::{codes, Derivation, DeriveUsing, Kind, Shuffle, ShuffleType, Source};

/// The type of a shuffle key location, as Estuary infers it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum KeyType {
    Boolean,
    Integer,
    String,
    /// Not one of the types a shuffle key may have.
    Invalid,
}

impl KeyType {
    fn of(types: Types) -> KeyType {
        let t = types - Types::NULL;
        if t == Types::BOOLEAN {
            KeyType::Boolean
        } else if t == Types::INTEGER {
            KeyType::Integer
        } else if t == Types::STRING {
            KeyType::String
        } else {
            KeyType::Invalid
        }
    }

    fn given(t: ShuffleType) -> KeyType {
        match t {
            ShuffleType::Boolean => KeyType::Boolean,
            ShuffleType::Integer => KeyType::Integer,
            ShuffleType::String => KeyType::String,
        }
    }
}

fn show(types: &[KeyType]) -> String {
    let names: Vec<String> = types
        .iter()
        .map(|t| {
            format!(
                "\"{}\"",
                match t {
                    KeyType::Boolean => "boolean",
                    KeyType::Integer => "integer",
                    KeyType::String => "string",
                    KeyType::Invalid => "invalid",
                }
            )
        })
        .collect();
    format!("[{}]", names.join(", "))
}

/// Checks the derivation of collection `name`.
pub(crate) fn check(ctx: &mut Ctx<'_>, name: &str, derive: &Derivation) {
    let at = ctx.scope(Kind::Collection, name).push("derive");
    let image = match &derive.using {
        DeriveUsing::Connector(c) => Some((
            at.push("using").push("connector").push("image"),
            c.image.as_str(),
        )),
        _ => None,
    };
    task::check(
        ctx,
        Settings {
            task: TaskType::Derivation,
            name,
            at,
            image,
            redact_salt: derive.redact_salt.as_deref(),
            shards: &derive.shards,
        },
    );
    let transforms_at = |ctx: &Ctx<'_>| {
        ctx.scope(Kind::Collection, name)
            .push("derive")
            .push("transforms")
    };

    // Shuffle key types inferred per transform; `None` when they cannot be
    // known because a source could not be checked.
    let mut inferred: Vec<(usize, &str, Vec<KeyType>)> = Vec::new();
    let mut unknown = false;
    let mut lambda = false;

    for (index, t) in derive.transforms.iter().enumerate() {
        if t.disable {
            continue;
        }
        let at = move |ctx: &Ctx<'_>| transforms_at(ctx).push_index(index);
        let this = format!("transform {}", t.name);
        let source = t.source.collection();
        let source_at = move |ctx: &Ctx<'_>| match &t.source {
            Source::Collection(_) => at(ctx).push("source"),
            Source::Source(_) => at(ctx).push("source").push("name"),
        };

        if let Some(full) = t.source.full() {
            if let (Some(before), Some(after)) = (&full.not_before, &full.not_after) {
                if before > after {
                    let scope = at(ctx).push("source");
                    ctx.error(
                        &scope,
                        codes::SOURCE_TIME_ORDER,
                        "a `notBefore` constraint must happen before `notAfter`",
                    );
                }
            }
        }

        let info = ctx.collection_reference((Kind::Collection, name), &this, &source_at, source);

        if let (Some(info), Some(selector)) =
            (&info, t.source.full().and_then(|f| f.partitions.as_ref()))
        {
            let scope = at(ctx).push("source").push("partitions");
            super::selector::check(ctx, &scope, source, info, selector);
        }

        match &t.shuffle {
            None => {
                let scope = at(ctx);
                ctx.error(
                    &scope,
                    codes::SHUFFLE_MISSING,
                    format!(
                        "transform {} is missing `shuffle`, which is now a required field \
                         (https://go.estuary.dev/LK19Py). If you're unsure of what shuffle to \
                         use, try `shuffle: any`",
                        t.name
                    ),
                );
            }
            Some(Shuffle::Any) => {}
            Some(Shuffle::Lambda(_)) => lambda = true,
            Some(Shuffle::Key(key)) => {
                let key_at = move |ctx: &Ctx<'_>| at(ctx).push("shuffle").push("key");
                if key.is_empty() {
                    let scope = key_at(ctx);
                    ctx.error(
                        &scope,
                        codes::SHUFFLE_KEY_EMPTY,
                        format!("transform {} shuffle key cannot be empty", t.name),
                    );
                }
                let shape = info.as_ref().and_then(|i| i.read_shape());
                let (Some(info), Some(shape)) = (&info, shape) else {
                    unknown = true;
                    continue;
                };
                let mut types = Vec::with_capacity(key.len());
                for (i, ptr) in key.iter().enumerate() {
                    if let Err(err) = walk_ptr(shape, None, ptr, true) {
                        let urls = SchemaUrls::of(ctx, source, info);
                        let (code, message) = err.describe(ptr, &urls, false);
                        let scope = key_at(ctx).push_index(i);
                        ctx.error(&scope, code, message);
                    }
                    types.push(KeyType::of(shape.locate(ptr).0.types()));
                }
                if !key.is_empty() {
                    inferred.push((index, t.name.as_str(), types));
                }
            }
        }
    }

    super::names::duplicates(
        ctx,
        "transform",
        codes::TRANSFORM_DUPLICATE,
        derive
            .transforms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.as_str(), transforms_at(ctx).push_index(i)))
            .collect(),
    );

    if unknown {
        return;
    }
    if !derive.shuffle_key_types.is_empty() {
        let given: Vec<KeyType> = derive
            .shuffle_key_types
            .iter()
            .copied()
            .map(KeyType::given)
            .collect();
        for (index, transform, types) in &inferred {
            if *types != given {
                let scope = transforms_at(ctx).push_index(*index).push("shuffle");
                ctx.error(
                    &scope,
                    codes::SHUFFLE_KEY_EXPLICIT_MISMATCH,
                    format!(
                        "transform {transform} shuffled key types {} don't align with declared \
                         shuffle key types {}",
                        show(types),
                        show(&given)
                    ),
                );
            }
        }
    } else if let Some(((_, first, first_types), rest)) = inferred.split_first() {
        for (index, transform, types) in rest {
            if types != first_types {
                let scope = transforms_at(ctx).push_index(*index).push("shuffle");
                ctx.error(
                    &scope,
                    codes::SHUFFLE_KEY_MISMATCH,
                    format!(
                        "transform {transform} shuffled key types {} don't align with transform \
                         {first} types {}",
                        show(types),
                        show(first_types)
                    ),
                );
            }
        }
    } else if lambda {
        let scope = ctx.scope(Kind::Collection, name).push("derive");
        ctx.error(
            &scope,
            codes::SHUFFLE_KEY_CANNOT_INFER,
            "cannot infer shuffle key types because all transforms use a computed `lambda` or \
             `any`; Flow must know the key types that your computed shuffle lambda will output, \
             so add an explicit `shuffleKeyTypes` to this derivation",
        );
    }
}

#[cfg(test)]
mod tests;
