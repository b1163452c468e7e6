//! Partition selectors of transform sources, materialization bindings and
//! verify steps.

use super::collection::Info;
use super::types::Types;
use super::Ctx;
use crate::{codes, PartitionSelector, Scope};

/// Checks `selector` (written at `at`) of the collection `name`: each field
/// is a partition of it, and each value suits the field's types.
pub(crate) fn check(
    ctx: &mut Ctx<'_>,
    at: &Scope,
    name: &str,
    info: &Info<'_>,
    selector: &PartitionSelector,
) {
    for (category, labels) in [
        ("include", &selector.include),
        ("exclude", &selector.exclude),
    ] {
        for (field, values) in labels {
            let at = at.push(category).push(field);
            let Some(proj) = info.projections().get(field) else {
                ctx.error(
                    &at,
                    codes::PARTITION_UNKNOWN,
                    format!("{category} projection {field} does not exist in collection {name}"),
                );
                continue;
            };
            if !proj.partition {
                ctx.error(
                    &at,
                    codes::PARTITION_NOT_PARTITION,
                    format!(
                        "{category} projection {field} of collection {name} is not a partition"
                    ),
                );
            }
            let types = proj.types;
            for (i, value) in values.iter().enumerate() {
                if !types.overlaps(Types::for_value(value)) {
                    ctx.error(
                        &at.push_index(i),
                        codes::PARTITION_VALUE_TYPE,
                        format!(
                            "{category} partition selector field {field} value {value} is \
                             incompatible with the projections type, {types}"
                        ),
                    );
                }
                if value.as_str() == Some("") {
                    ctx.error(
                        &at.push_index(i),
                        codes::PARTITION_VALUE_EMPTY,
                        format!(
                            "{category} partition selector field {field} cannot be an empty string"
                        ),
                    );
                }
            }
        }
    }
}
