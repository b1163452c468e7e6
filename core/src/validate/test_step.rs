//! Tests: their steps' collections, ingested and verified documents.

use serde_json::Value;

use super::collection::Info;
use super::schema::Compiled;
use super::Ctx;
use crate::{codes, Kind, Scope, Source, TestDef, TestDocuments, TestStep};

/// At most this many validation errors are listed for one document.
const MAX_ERRORS: usize = 5;

/// Checks the test `name`.
pub(crate) fn check(ctx: &mut Ctx<'_>, name: &str, def: &TestDef) {
    if def.delete {
        return;
    }
    for (index, step) in def.steps.iter().enumerate() {
        let (kind, collection) = match step {
            TestStep::Ingest(i) => ("ingest", &i.collection),
            TestStep::Verify(v) => ("verify", v.collection.collection()),
        };
        let at = move |ctx: &Ctx<'_>| {
            ctx.scope(Kind::Test, name)
                .push("steps")
                .push_index(index)
                .push(kind)
        };
        let source = match step {
            TestStep::Verify(v) => Some(&v.collection),
            TestStep::Ingest(_) => None,
        };
        if let Some(full) = source.and_then(Source::full) {
            for (prop, set) in [
                ("notBefore", full.not_before.is_some()),
                ("notAfter", full.not_after.is_some()),
            ] {
                if set {
                    let scope = at(ctx).push("collection").push(prop);
                    ctx.error(
                        &scope,
                        codes::TEST_TIME_WINDOW,
                        "tests do not support `notBefore` and `notAfter`",
                    );
                }
            }
        }
        let collection_at = move |ctx: &Ctx<'_>| match source {
            Some(Source::Source(_)) => at(ctx).push("collection").push("name"),
            _ => at(ctx).push("collection"),
        };
        let info = ctx.collection_reference(
            (Kind::Test, name),
            "this test step",
            &collection_at,
            collection,
        );
        let documents = match step.documents() {
            TestDocuments::Inline(docs) => Some(docs),
            TestDocuments::Url(url) => {
                let scope = at(ctx).push("documents");
                ctx.warning(
                    &scope,
                    codes::TEST_DOCUMENTS_NOT_LOADED,
                    format!(
                        "documents of this test step are a reference ({url}) that was not \
                         loaded, so they were not checked"
                    ),
                );
                None
            }
        };
        let Some(info) = info else {
            continue;
        };
        match step {
            TestStep::Ingest(_) => {
                if let Some(docs) = documents {
                    ingest(ctx, &at(ctx).push("documents"), collection, &info, docs);
                }
            }
            TestStep::Verify(v) => {
                if let Some(docs) = documents {
                    verify_order(ctx, &at(ctx).push("documents"), &info, docs);
                }
                if let Some(selector) = v.collection.full().and_then(|f| f.partitions.as_ref()) {
                    let scope = at(ctx).push("collection").push("partitions");
                    super::selector::check(ctx, &scope, collection, &info, selector);
                }
            }
        }
    }
}

/// Ingested documents must validate against the write schema and the
/// read schema.
fn ingest(ctx: &mut Ctx<'_>, at: &Scope, collection: &str, info: &Info<'_>, docs: &[Value]) {
    if !info.usable {
        return;
    }
    let schemas: Vec<(&str, &Compiled<'_>)> = match (&info.write, &info.read) {
        (Some(w), None) => vec![("schema", w)],
        (Some(w), Some(r)) => vec![("writeSchema", w), ("readSchema", r)],
        _ => return,
    };
    for (index, doc) in docs.iter().enumerate() {
        for (prop, compiled) in &schemas {
            let Some(validator) = compiled.validator() else {
                continue;
            };
            let errors: Vec<String> = validator
                .iter_errors(doc)
                .take(MAX_ERRORS + 1)
                .map(|e| {
                    let at = e.instance_path().to_string();
                    if at.is_empty() {
                        e.to_string()
                    } else {
                        format!("{e} at {at}")
                    }
                })
                .collect();
            if errors.is_empty() {
                continue;
            }
            let mut detail = errors[..errors.len().min(MAX_ERRORS)].join("; ");
            if errors.len() > MAX_ERRORS {
                detail.push_str("; …");
            }
            ctx.error(
                &at.push_index(index),
                codes::TEST_DOCUMENT_INVALID,
                format!(
                    "document {index} ingested into collection {collection} is invalid against \
                     its {prop}: {detail}"
                ),
            );
        }
    }
}

/// Verified documents must be in the order of the collection key.
fn verify_order(ctx: &mut Ctx<'_>, at: &Scope, info: &Info<'_>, docs: &[Value]) {
    let key = &info.def.key;
    for (index, pair) in docs.windows(2).enumerate() {
        if super::order::compare_keys(key, &pair[0], &pair[1]).is_gt() {
            ctx.error(
                &at.push_index(index + 1),
                codes::TEST_VERIFY_ORDER,
                "documents to verify are not in collection key order",
            );
        }
    }
}

#[cfg(test)]
mod tests;
