//! Configs and binding resources are objects: a connector reads its config
//! and each binding's resource as a JSON object.

use super::Ctx;
use crate::load::kind_of;
use crate::{codes, Catalog, Slot, SlotValue};

/// Reports each endpoint or derivation-connector config, and each binding
/// resource, that is not an object (nor a file reference, which validation
/// reads before).
pub(crate) fn check(ctx: &mut Ctx<'_>, catalog: &Catalog) {
    catalog.for_each_slot(|kind, name, slot, pointer, value| {
        let (noun, code) = match slot {
            Slot::Config => ("config", codes::CONFIG_NOT_OBJECT),
            Slot::Resource(_) => ("binding resource", codes::RESOURCE_NOT_OBJECT),
            _ => return,
        };
        let SlotValue::Value(v) = value else { return };
        if v.is_object() || crate::file_reference(v).is_some() {
            return;
        }
        let scope = ctx.scope(kind, name).join_pointer(pointer);
        ctx.error(
            &scope,
            code,
            format!(
                "{} {name}: the {noun} must be an object, but it is {}",
                kind.singular(),
                kind_of(v)
            ),
        );
    });
}
