//! Materializations: their source capture, bindings and field selections.

use super::collection::Info;
use super::limits::TaskType;
use super::task::{self, Settings};
use super::Ctx;
use crate::{
    codes, Kind, MaterializationBinding, MaterializationDef, MaterializationEndpoint, Scope, Source,
};

/// Checks the materialization `name`.
pub(crate) fn check(ctx: &mut Ctx<'_>, name: &str, def: &MaterializationDef) {
    if def.delete {
        return;
    }
    let at = ctx.scope(Kind::Materialization, name);
    let image = match &def.endpoint {
        MaterializationEndpoint::Connector(c) => Some((
            at.push("endpoint").push("connector").push("image"),
            c.image.as_str(),
        )),
        MaterializationEndpoint::Dekaf(d) => {
            let variant = at.push("endpoint").push("dekaf").push("variant");
            task::dekaf_variant(ctx, name, &variant, &d.variant);
            None
        }
        MaterializationEndpoint::Local(_) => None,
    };
    task::check(
        ctx,
        Settings {
            task: TaskType::Materialization,
            name,
            at,
            image,
            redact_salt: None,
            shards: &def.shards,
        },
    );
    let spec_at = move |ctx: &Ctx<'_>| ctx.scope(Kind::Materialization, name);
    if let Some(capture) = def.source.as_ref().and_then(|s| s.capture()) {
        let configured = matches!(def.source, Some(crate::SourceCapture::Configured(_)));
        let at = move |ctx: &Ctx<'_>| {
            let at = spec_at(ctx).push("source");
            if configured {
                at.push("capture")
            } else {
                at
            }
        };
        ctx.reference(
            (Kind::Materialization, name),
            &format!("materialization {name}"),
            &at,
            Kind::Capture,
            capture,
        );
    }

    for (index, binding) in def.bindings.iter().enumerate() {
        if binding.disable {
            continue;
        }
        let at = move |ctx: &Ctx<'_>| spec_at(ctx).push("bindings").push_index(index);
        let source = binding.source.collection();
        if let Some(full) = binding.source.full() {
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
        let source_at = move |ctx: &Ctx<'_>| match &binding.source {
            Source::Collection(_) => at(ctx).push("source"),
            Source::Source(_) => at(ctx).push("source").push("name"),
        };
        let info = ctx.collection_reference(
            (Kind::Materialization, name),
            "this materialization binding",
            &source_at,
            source,
        );
        let Some(info) = info.filter(|_| !def.shards.disable) else {
            continue;
        };
        if let Some(selector) = binding.source.full().and_then(|f| f.partitions.as_ref()) {
            let scope = at(ctx).push("source").push("partitions");
            super::selector::check(ctx, &scope, source, &info, selector);
        }
        // Without a usable schema, inferred fields and their types are unknown.
        if !binding.fields.is_default() && info.usable {
            let scope = at(ctx).push("fields");
            fields(ctx, &scope, name, source, &info, binding);
        }
    }

    super::resource::duplicates(
        ctx,
        Kind::Materialization,
        name,
        def.bindings.iter().map(|b| &b.resource),
    );
}

/// Checks a binding's field selection against its source's projections.
fn fields(
    ctx: &mut Ctx<'_>,
    at: &Scope,
    name: &str,
    source: &str,
    info: &Info<'_>,
    binding: &MaterializationBinding,
) {
    let fields = &binding.fields;
    let projections = info.projections();
    for (index, field) in fields.group_by.iter().enumerate() {
        let at = at.push("groupBy").push_index(index);
        match projections.get(field) {
            None => ctx.error(
                &at,
                codes::FIELD_UNKNOWN,
                format!("groupBy projection {field} does not exist in collection {source}"),
            ),
            Some(p) if !p.types.is_keyable() => ctx.error(
                &at,
                codes::GROUP_BY_WRONG_TYPE,
                format!(
                    "groupBy field {field} accepts {}, but groupBy locations may only be one of \
                     boolean, integer, number or string, optionally null",
                    p.types
                ),
            ),
            Some(_) => {}
        }
    }
    for field in fields.require.keys() {
        if projections.get(field).is_none() {
            ctx.error(
                &at.push("require").push(field),
                codes::FIELD_UNKNOWN,
                format!("required projection {field} does not exist in collection {source}"),
            );
        }
    }
    for (index, field) in fields.exclude.iter().enumerate() {
        let at = at.push("exclude").push_index(index);
        if fields.require.contains_key(field) {
            ctx.error(
                &at,
                codes::FIELD_UNSATISFIABLE,
                format!(
                    "materialization {name} field {field} is not satisfiable (field is both \
                     included and excluded by selector)"
                ),
            );
        }
        if projections.get(field).is_none() {
            ctx.error(
                &at,
                codes::FIELD_UNKNOWN,
                format!("exclude projection {field} does not exist in collection {source}"),
            );
        }
    }
}

#[cfg(test)]
mod tests;
