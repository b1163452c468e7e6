//! Captures: their bindings' target collections and resources.

use super::limits::TaskType;
use super::task::{self, Settings};
use super::Ctx;
use crate::{CaptureDef, CaptureEndpoint, Kind};

/// Checks the capture `name`.
pub(crate) fn check(ctx: &mut Ctx<'_>, name: &str, def: &CaptureDef) {
    if def.delete {
        return;
    }
    let at = ctx.scope(Kind::Capture, name);
    let image = match &def.endpoint {
        CaptureEndpoint::Connector(c) => Some((
            at.push("endpoint").push("connector").push("image"),
            c.image.as_str(),
        )),
        CaptureEndpoint::Local(_) => None,
    };
    task::check(
        ctx,
        Settings {
            task: TaskType::Capture,
            name,
            at,
            image,
            redact_salt: def.redact_salt.as_deref(),
            shards: &def.shards,
        },
    );
    for (index, binding) in def.bindings.iter().enumerate() {
        if binding.disable {
            continue;
        }
        let at = move |ctx: &Ctx<'_>| {
            ctx.scope(Kind::Capture, name)
                .push("bindings")
                .push_index(index)
                .push("target")
        };
        ctx.collection_reference(
            (Kind::Capture, name),
            "this capture binding",
            &at,
            &binding.target,
        );
    }
    super::resource::duplicates(
        ctx,
        Kind::Capture,
        name,
        def.bindings.iter().map(|b| &b.resource),
    );
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::{check, collection, Expect};
    use serde_json::json;

    fn capture(bindings: serde_json::Value) -> serde_json::Value {
        json!({"endpoint": {"connector": {"image": "ghcr.io/estuary/source-stripe-native:dev", "config": {}}}, "bindings": bindings})
    }

    #[test]
    fn targets_and_resources() {
        let collections =
            json!({"acmeCo/charges": collection(json!({})), "acmeCo/plans": collection(json!({}))});
        check(
            json!({"collections": collections, "captures": {"acmeCo/stripe": capture(json!([
                {"resource": {"stream": "charges"}, "target": "acmeCo/charges"},
                {"resource": {"stream": "plans"}, "target": "acmeCo/plans"},
                // A disabled binding may name a missing collection.
                {"resource": {"stream": "other"}, "target": "acmeCo/other", "disable": true},
            ]))}}),
            &[],
        );
        check(
            json!({"collections": collections, "captures": {"acmeCo/stripe": capture(json!([
                {"resource": {"stream": "charges"}, "target": "acmeCo/chargez"},
                {"resource": {"stream": "plans"}, "target": "otherCo/unrelated-name"},
            ]))}}),
            &[
                Expect::error(
                    "flow://catalog#/captures/acmeCo~1stripe/bindings/0/target",
                    "reference_undefined",
                    "capture acmeCo/stripe: collection acmeCo/chargez, referenced by this capture binding, is not defined; did you mean acmeCo/charges defined at flow://catalog#/collections/acmeCo~1charges ?",
                ),
                Expect::error(
                    "flow://catalog#/captures/acmeCo~1stripe/bindings/1/target",
                    "reference_undefined",
                    "capture acmeCo/stripe: collection otherCo/unrelated-name, referenced by this capture binding, is not defined",
                ),
            ],
        );
        check(
            json!({"collections": collections, "captures": {"acmeCo/stripe": capture(json!([
                {"resource": {"stream": "charges", "syncMode": "incremental"}, "target": "acmeCo/charges"},
                {"resource": {"syncMode": "incremental", "stream": "charges"}, "target": "acmeCo/plans"},
            ]))}}),
            &[Expect::error(
                "flow://catalog#/captures/acmeCo~1stripe/bindings/1/resource",
                "binding_duplicate_resource",
                "capture acmeCo/stripe: this capture binding at offset 1 is bound to endpoint resource {\"syncMode\":\"incremental\",\"stream\":\"charges\"}, but so is the binding at offset 0, which is not permitted (each binding must have a unique endpoint resource)",
            )],
        );
    }

    #[test]
    fn deleted_targets() {
        let mut deleted = collection(json!({}));
        deleted["delete"] = json!(true);
        check(
            json!({"collections": {"acmeCo/charges": deleted}, "captures": {"acmeCo/stripe": capture(json!([
                {"resource": {"stream": "charges"}, "target": "acmeCo/charges"},
            ]))}}),
            &[Expect::error(
                "flow://catalog#/captures/acmeCo~1stripe/bindings/0/target",
                "reference_deleted",
                "capture acmeCo/stripe: deleted collection acmeCo/charges is still referenced by this capture binding",
            )],
        );
    }
}
