//! Name collisions: across all spec kinds, names must differ under
//! collation, and no name may be a prefix of another at a `/` boundary.

use std::borrow::Cow;

use super::Ctx;
use crate::{codes, Kind, Scope};
use rustc_hash::FxHashMap;

/// The collation key of a name (`names::collate`), with a fast path for
/// ASCII, where collation is lower-casing.
pub(crate) fn collated(name: &str) -> Cow<'_, str> {
    if name.is_ascii() {
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(name)
        }
    } else {
        Cow::Owned(crate::names::collate(name))
    }
}

/// The kind and name of every spec of `catalog`.
pub(crate) fn all(catalog: &crate::Catalog) -> impl Iterator<Item = (Kind, &str)> {
    let c = catalog;
    c.captures
        .keys()
        .map(|n| (Kind::Capture, n.as_str()))
        .chain(c.collections.keys().map(|n| (Kind::Collection, n.as_str())))
        .chain(
            c.materializations
                .keys()
                .map(|n| (Kind::Materialization, n.as_str())),
        )
        .chain(c.tests.keys().map(|n| (Kind::Test, n.as_str())))
}

/// Checks the names of every spec of the catalog.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let c = ctx.catalog;
    let names = all(c);

    // The first spec of each collation key, and the others that share one.
    let mut first: FxHashMap<Cow<'_, str>, (Kind, &str)> =
        FxHashMap::with_capacity_and_hasher(c.len(), Default::default());
    let mut shared: Vec<Cow<'_, str>> = Vec::new();
    let mut others: Vec<(Cow<'_, str>, Kind, &str)> = Vec::new();
    for (kind, name) in names {
        let key = collated(name);
        match first.get(&key) {
            Some(_) => {
                shared.push(key.clone());
                others.push((key, kind, name));
            }
            None => {
                first.insert(key, (kind, name));
            }
        }
    }

    // Colliding names, sorted, each against the next.
    shared.sort();
    shared.dedup();
    for key in shared {
        let mut group: Vec<(&str, Kind)> = others
            .iter()
            .filter(|(k, _, _)| *k == key)
            .map(|(_, kind, name)| (*name, *kind))
            .collect();
        let (kind, name) = first[&key];
        group.push((name, kind));
        group.sort();
        for pair in group.windows(2) {
            let ((lname, lkind), (rname, rkind)) = (pair[0], pair[1]);
            let at = ctx.scope(lkind, lname);
            let other = ctx.scope(rkind, rname);
            ctx.error(
                &at,
                codes::NAME_COLLISION,
                format!(
                    "{} {lname} collides with {} {rname}, defined at {other}",
                    lkind.singular(),
                    rkind.singular()
                ),
            );
        }
    }

    // A name is a prohibited prefix of another when the other continues
    // with a `/` after it.
    let mut prefixes: Vec<(Kind, &str, Kind, &str)> = Vec::new();
    for (key, (kind, name)) in first
        .iter()
        .map(|(k, v)| (k, *v))
        .chain(others.iter().map(|(k, kind, name)| (k, (*kind, *name))))
    {
        // Names have two or more parts, so the first part alone names nothing.
        for (i, _) in key.match_indices('/').skip(1) {
            if let Some((pkind, pname)) = first.get(&key[..i]) {
                prefixes.push((*pkind, pname, kind, name));
            }
        }
    }
    prefixes.sort();
    for (pkind, pname, kind, name) in prefixes {
        let at = ctx.scope(pkind, pname);
        let other = ctx.scope(kind, name);
        ctx.error(
            &at,
            codes::NAME_PROHIBITED_PREFIX,
            format!(
                "{} {pname} is a prohibited prefix of {} {name}, defined at {other}",
                pkind.singular(),
                kind.singular()
            ),
        );
    }
}

/// Reports names of one kind within a spec (transforms, projections) that
/// collide under collation. `items` are the names and their scopes.
pub(crate) fn duplicates(
    ctx: &mut Ctx<'_>,
    entity: &str,
    code: &'static str,
    items: Vec<(&str, Scope)>,
) {
    let mut items: Vec<(Cow<'_, str>, &str, Scope)> = items
        .into_iter()
        .map(|(n, s)| (collated(n), n, s))
        .collect();
    items.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    for pair in items.windows(2) {
        if pair[0].0 == pair[1].0 {
            ctx.error(
                &pair[0].2,
                code,
                format!(
                    "{entity} {} collides with {entity} {}, defined at {}",
                    pair[0].1, pair[1].1, pair[1].2
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::{check, Expect};
    use serde_json::json;

    const COLL: &str = r#"{"schema": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}, "key": ["/id"]}"#;

    fn coll() -> serde_json::Value {
        serde_json::from_str(COLL).unwrap()
    }

    #[test]
    fn collisions_and_prefixes() {
        let cap = json!({
            "endpoint": {"connector": {"image": "i", "config": {}}},
            "bindings": [{"resource": {"t": 1}, "target": "acmeCo/x"}]
        });
        check(
            json!({"collections": {"acmeCo/X": coll(), "acmeCo/x": coll()}}),
            &[Expect::error(
                "flow://catalog#/collections/acmeCo~1X",
                "name_collision",
                "collection acmeCo/X collides with collection acmeCo/x, defined at flow://catalog#/collections/acmeCo~1x",
            )],
        );
        check(
            json!({"collections": {"acmeCo/x": coll()}, "captures": {"ACMECO/X": cap.clone()}}),
            &[Expect::error(
                "flow://catalog#/captures/ACMECO~1X",
                "name_collision",
                "capture ACMECO/X collides with collection acmeCo/x, defined at flow://catalog#/collections/acmeCo~1x",
            )],
        );
        // Unicode forms and case fold collate together.
        check(
            json!({"collections": {"acmeCo/straße": coll(), "acmeCo/STRASSE": coll(), "acmeCo/x": coll()}}),
            &[Expect::error(
                "flow://catalog#/collections/acmeCo~1STRASSE",
                "name_collision",
                "collection acmeCo/STRASSE collides with collection acmeCo/straße, defined at flow://catalog#/collections/acmeCo~1straße",
            )],
        );
        check(
            json!({"collections": {"acmeCo/x": coll(), "acmeCo/x/y": coll(), "acmeCo/xy": coll(), "acmeCo/x-y": coll()}}),
            &[Expect::error(
                "flow://catalog#/collections/acmeCo~1x",
                "name_prohibited_prefix",
                "collection acmeCo/x is a prohibited prefix of collection acmeCo/x/y, defined at flow://catalog#/collections/acmeCo~1x~1y",
            )],
        );
        check(
            json!({"collections": {"acmeCo/x": coll()}, "tests": {"acmeCo/X/tests": []}}),
            &[Expect::error(
                "flow://catalog#/collections/acmeCo~1x",
                "name_prohibited_prefix",
                "collection acmeCo/x is a prohibited prefix of test acmeCo/X/tests, defined at flow://catalog#/tests/acmeCo~1X~1tests",
            )],
        );
        check(
            json!({"collections": {"acmeCo/x": coll(), "acmeCo/xy": coll(), "acmeCo/y/x": coll()}}),
            &[],
        );
    }
}
