//! A catalog as a draft: one [`DraftSpec`] per catalog name, as flowctl
//! stages them (`draft_specs` rows), and the batches they are sent in.
//!
//! Specs are sent fully inline (every file reference of the catalog is
//! inlined first), one model per name, serialized in the model's own key
//! order (sops MACs depend on it). `expectPubId` is lifted out of the model
//! into the row's `expect_pub_id`; a spec marked `delete: true` is staged
//! as a deletion (`spec` and `spec_type` null), since the control plane
//! rejects a model with a type and no spec.

use serde::Serialize;
use serde_json::{json, Value};

use super::FlowId;
use crate::{Catalog, Error, Kind, Result};

/// One staged spec: a `draft_specs` row without its draft.
///
/// ```
/// use flowspec::{build::CollectionBuilder, client::draft::draft_specs, Catalog};
/// let mut catalog = Catalog::default();
/// catalog.add(CollectionBuilder::new("acmeCo/anvils").schema(serde_json::json!({"type": "object"})).key(["/id"]))?;
/// let specs = draft_specs(&catalog)?;
/// assert_eq!(specs[0].catalog_name, "acmeCo/anvils");
/// assert_eq!(specs[0].spec.as_ref().unwrap().to_string(), r#"{"schema":{"type":"object"},"key":["/id"]}"#);
/// # Ok::<(), flowspec::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DraftSpec {
    /// The catalog name.
    pub catalog_name: String,
    /// Its kind; `None` for a deletion.
    pub spec_type: Option<Kind>,
    /// The model, inline; `None` for a deletion.
    pub spec: Option<Value>,
    /// The publication the live spec must have been last published by:
    /// `None` for no condition, [`FlowId::ZERO`] for "must not exist".
    pub expect_pub_id: Option<FlowId>,
}

impl DraftSpec {
    /// The row of `draft_specs` that stages it in `draft`.
    ///
    /// ```
    /// use flowspec::client::{draft::DraftSpec, FlowId};
    /// let deletion = DraftSpec { catalog_name: "acmeCo/old".into(), spec_type: None, spec: None, expect_pub_id: Some(FlowId::new(0xabcde)) };
    /// assert_eq!(
    ///     deletion.row(FlowId::new(1)).to_string(),
    ///     r#"{"draft_id":"0000000000000001","catalog_name":"acmeCo/old","spec_type":null,"spec":null,"expect_pub_id":"00000000000abcde"}"#
    /// );
    /// ```
    pub fn row(&self, draft: FlowId) -> Value {
        json!({
            "draft_id": draft.to_string(),
            "catalog_name": self.catalog_name,
            "spec_type": self.spec_type.map(Kind::singular),
            "spec": self.spec,
            "expect_pub_id": self.expect_pub_id.map(|id| id.to_string()),
        })
    }

    /// Whether it deletes the live spec.
    pub fn is_deletion(&self) -> bool {
        self.spec.is_none()
    }
}

/// The specs of `catalog` (its file references inlined) as draft specs, in
/// catalog order: captures, collections, materializations, tests, each by
/// name.
pub fn draft_specs(catalog: &Catalog) -> Result<Vec<DraftSpec>> {
    let bundled;
    let catalog = if crate::load::has_references(catalog) {
        bundled = catalog.bundle()?;
        &bundled
    } else {
        catalog
    };
    let mut out = Vec::with_capacity(catalog.len());
    for (name, def) in &catalog.captures {
        let mut def = def.clone();
        let expect = def.expect_pub_id.take();
        out.push(spec(Kind::Capture, name, &def, expect, def.delete)?);
    }
    for (name, def) in &catalog.collections {
        let mut def = def.clone();
        let expect = def.expect_pub_id.take();
        out.push(spec(Kind::Collection, name, &def, expect, def.delete)?);
    }
    for (name, def) in &catalog.materializations {
        let mut def = def.clone();
        let expect = def.expect_pub_id.take();
        out.push(spec(Kind::Materialization, name, &def, expect, def.delete)?);
    }
    for (name, def) in &catalog.tests {
        let mut def = def.clone();
        let expect = def.expect_pub_id.take();
        out.push(spec(Kind::Test, name, &def, expect, false)?);
    }
    Ok(out)
}

/// The draft specs a publication of `catalog` (loaded from `source`, which
/// locates `.sops.yaml`) stages before encryption: [`draft_specs`] of the
/// catalog with its `secret(...)` markers resolved to plaintext `_sops`
/// keys, which only the config-encryption service ever receives.
///
/// ```
/// use flowspec::{build::CaptureBuilder, client::draft::resolved_specs, secrets::secret, Catalog};
/// let mut catalog = Catalog::default();
/// catalog.add(CaptureBuilder::new("acmeCo/source").connector("ghcr.io/estuary/source-stripe-native:dev",
///     serde_json::json!({"token": secret("sk_live_123")})))?;
/// let specs = resolved_specs(&catalog, "flow.yaml".as_ref())?;
/// assert_eq!(specs[0].spec.as_ref().unwrap()["endpoint"]["connector"]["config"]["token_sops"], "sk_live_123");
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn resolved_specs(catalog: &Catalog, source: &std::path::Path) -> Result<Vec<DraftSpec>> {
    let plain = crate::secrets::seal(
        catalog,
        source,
        &crate::secrets::SealOptions {
            plaintext: true,
            ..crate::secrets::SealOptions::default()
        },
    )?;
    draft_specs(&plain)
}

fn spec<D: Serialize>(
    kind: Kind,
    name: &str,
    def: &D,
    expect: Option<crate::Id>,
    delete: bool,
) -> Result<DraftSpec> {
    let expect_pub_id = match expect {
        None => None,
        Some(id) => Some(id.as_str().parse::<FlowId>().map_err(|e| {
            Error::invalid_spec(format!("{} {name}", kind.singular()), e.to_string())
        })?),
    };
    if delete {
        return Ok(DraftSpec {
            catalog_name: name.to_string(),
            spec_type: None,
            spec: None,
            expect_pub_id,
        });
    }
    let model = serde_json::to_value(def)
        .map_err(|e| Error::invalid_spec(format!("{} {name}", kind.singular()), e.to_string()))?;
    Ok(DraftSpec {
        catalog_name: name.to_string(),
        spec_type: Some(kind),
        spec: Some(model),
        expect_pub_id,
    })
}

/// The most specs in one staging request.
pub const BATCH_SPECS: usize = 100;
/// The most bytes of rows in one staging request (the agent refuses
/// bodies over 2 MiB); a larger spec goes alone.
pub const BATCH_BYTES: usize = 1024 * 1024;

/// `rows` in batches of at most [`BATCH_SPECS`] rows and [`BATCH_BYTES`]
/// bytes, in order.
///
/// ```
/// let rows: Vec<serde_json::Value> = (0..250).map(|i| serde_json::json!({"i": i})).collect();
/// let batches = flowspec::client::draft::batches(rows);
/// assert_eq!(batches.iter().map(Vec::len).collect::<Vec<_>>(), [100, 100, 50]);
/// ```
pub fn batches(rows: Vec<Value>) -> Vec<Vec<Value>> {
    let mut out: Vec<Vec<Value>> = Vec::new();
    let mut bytes = 0;
    for row in rows {
        let size = row.to_string().len() + 1;
        let full = out
            .last()
            .is_none_or(|batch| batch.len() >= BATCH_SPECS || bytes + size > BATCH_BYTES);
        if full {
            out.push(Vec::new());
            bytes = 0;
        }
        bytes += size;
        out.last_mut().expect("a batch was pushed").push(row);
    }
    out
}

/// What the specs read from and write to ([`Catalog::edges`]); a spec whose
/// model does not parse has none.
///
/// ```
/// let capture = serde_json::json!({"endpoint": {"connector": {"image": "i:v1", "config": {}}}, "bindings": [{"target": "acmeCo/a", "resource": {}}]});
/// let spec = flowspec::client::draft::DraftSpec {
///     catalog_name: "acmeCo/src".into(), spec_type: Some(flowspec::Kind::Capture), spec: Some(capture), expect_pub_id: None,
/// };
/// let edges = flowspec::client::draft::edges(&[spec]);
/// assert_eq!((edges[0].from.1.as_str(), edges[0].to.as_str()), ("acmeCo/src", "acmeCo/a"));
/// ```
pub fn edges(specs: &[DraftSpec]) -> Vec<crate::Edge> {
    let mut document = json!({});
    for spec in specs {
        if let (Some(kind), Some(model)) = (spec.spec_type, &spec.spec) {
            document[kind.plural()][&spec.catalog_name] = model.clone();
        }
    }
    serde_json::from_value::<Catalog>(document)
        .map(|catalog| catalog.edges())
        .unwrap_or_default()
}
