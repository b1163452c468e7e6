//! What publishing a catalog would change, before it is published: each
//! spec of the catalog against its live spec, as created, changed, deleted
//! or unchanged, with the JSON pointers that differ.
//!
//! The comparison is of what a publication stages before encryption (the
//! [`resolved_specs`](super::draft::resolved_specs)) against the live
//! models. It is **secret-aware**:
//! - sops metadata (`sops`) never counts, nor does ciphertext: a value
//!   encrypted on either side is compared only when both plaintexts are at
//!   hand (the identities given open it), and then reported as "secret
//!   value changed", never with a value;
//! - a property with the `_sops` suffix is the property without it (the
//!   config-encryption service adds the suffix to the secrets it encrypts),
//!   so a config encrypted by the control plane matches the plaintext it
//!   came from;
//! - properties that the connector's endpoint schema marks `secret` (or
//!   `airbyte_secret`), anywhere in it, are secrets in that connector's
//!   configs: their values are never shown, only "secret field added" or
//!   "removed". Changes in the config of a connector the control plane
//!   does not know, or of a local connector (`endpoint.local`), are listed
//!   without values.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use super::connection::Connection;
use super::draft::{resolved_specs, DraftSpec};
use super::live::{self, Filter, LiveSpec};
use super::publication::connector_schema;
use crate::secrets::{
    decrypt, is_encrypted, looks_encrypted, marks_secret, DecryptOptions, Identities,
};
use crate::{Catalog, Kind, Result};

/// The suffix the config-encryption service gives the properties it
/// encrypts.
const SUFFIX: &str = "_sops";

/// What a publication would do to one spec.
///
/// ```
/// use flowspec::client::plan::Action;
/// assert_eq!(serde_json::to_value(Action::Update).unwrap(), "update");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Action {
    /// Not live: it would be created.
    Create,
    /// Live, and different.
    Update,
    /// Live, and marked `delete: true`: it would be deleted.
    Delete,
    /// Live and the same (or marked deleted and not live).
    Unchanged,
}

/// How one location differs.
///
/// ```
/// use flowspec::client::plan::ChangeKind;
/// assert_eq!(serde_json::to_value(ChangeKind::SecretAdded).unwrap(), "secretAdded");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    /// Only the local spec has it.
    Added,
    /// Only the live spec has it.
    Removed,
    /// Both have it, with different values.
    Changed,
    /// A secret only the local spec has.
    SecretAdded,
    /// A secret only the live spec has.
    SecretRemoved,
    /// A secret both have, with plaintexts (both at hand) that differ.
    SecretChanged,
}

/// One location that differs; secrets carry no values.
///
/// ```
/// use flowspec::client::plan::{Change, ChangeKind};
/// let change = Change { ptr: "/key/0".into(), kind: ChangeKind::Changed, old: Some("/id".into()), new: Some("/key".into()) };
/// assert_eq!(change.to_string(), r#"/key/0: "/id" → "/key""#);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// JSON pointer within the spec (a secret's suffix removed).
    pub ptr: String,
    /// How it differs.
    pub kind: ChangeKind,
    /// The live value, if shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// The local value, if shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}

/// Values longer than this (as JSON text) are summarized when shown.
const SHOWN_CHARS: usize = 80;

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ptr = if self.ptr.is_empty() { "/" } else { &self.ptr };
        let show = |v: &Option<Value>| v.as_ref().map(summary);
        match (self.kind, show(&self.old), show(&self.new)) {
            (ChangeKind::Added, _, Some(new)) => write!(f, "{ptr}: added {new}"),
            (ChangeKind::Removed, Some(old), _) => write!(f, "{ptr}: removed (was {old})"),
            (ChangeKind::Changed, Some(old), Some(new)) => write!(f, "{ptr}: {old} → {new}"),
            (ChangeKind::Added, _, None) => write!(f, "{ptr}: added (value hidden)"),
            (ChangeKind::Removed, None, _) => write!(f, "{ptr}: removed (value hidden)"),
            (ChangeKind::Changed, _, _) => write!(f, "{ptr}: changed (values hidden)"),
            (ChangeKind::SecretAdded, _, _) => write!(f, "{ptr}: secret field added"),
            (ChangeKind::SecretRemoved, _, _) => write!(f, "{ptr}: secret field removed"),
            (ChangeKind::SecretChanged, _, _) => write!(f, "{ptr}: secret value changed"),
        }
    }
}

/// A value as a plan shows it: its JSON, or for a long one, what it is.
fn summary(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= SHOWN_CHARS {
        return text;
    }
    match value {
        Value::Object(map) => format!("{{…{} properties}}", map.len()),
        Value::Array(items) => format!("[…{} items]", items.len()),
        Value::String(s) => {
            let head: String = s.chars().take(SHOWN_CHARS - 20).collect();
            format!("{:?}… ({} characters)", head, s.chars().count())
        }
        other => other.to_string(),
    }
}

/// What a publication would do to one spec.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SpecPlan {
    /// The catalog name.
    pub catalog_name: String,
    /// Its kind.
    pub spec_type: Kind,
    /// What would happen.
    pub action: Action,
    /// The locations that differ (for an update).
    pub changes: Vec<Change>,
}

/// What publishing a catalog would change, spec by spec in name order.
///
/// ```
/// use flowspec::client::plan::{Action, Plan, SpecPlan};
/// let plan = Plan { specs: vec![SpecPlan { catalog_name: "acmeCo/a".into(), spec_type: flowspec::Kind::Collection, action: Action::Create, changes: vec![] }] };
/// assert!(plan.has_changes());
/// assert_eq!(plan.summary(), "Plan: 1 to create, 0 to change, 0 to delete, 0 unchanged.");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Plan {
    /// Every spec of the catalog.
    pub specs: Vec<SpecPlan>,
}

impl Plan {
    /// Whether publishing would change anything.
    pub fn has_changes(&self) -> bool {
        self.specs.iter().any(|s| s.action != Action::Unchanged)
    }

    fn count(&self, action: Action) -> usize {
        self.specs.iter().filter(|s| s.action == action).count()
    }

    /// The closing line: how many specs each action has.
    pub fn summary(&self) -> String {
        format!(
            "Plan: {} to create, {} to change, {} to delete, {} unchanged.",
            self.count(Action::Create),
            self.count(Action::Update),
            self.count(Action::Delete),
            self.count(Action::Unchanged),
        )
    }

    /// The plan as text: a line per spec that would change (`+` created,
    /// `~` changed, `-` deleted), each changed location under it, then the
    /// summary.
    ///
    /// ```
    /// use flowspec::client::plan::{Action, Change, ChangeKind, Plan, SpecPlan};
    /// let plan = Plan { specs: vec![SpecPlan {
    ///     catalog_name: "acmeCo/a".into(), spec_type: flowspec::Kind::Capture, action: Action::Update,
    ///     changes: vec![Change { ptr: "/endpoint/connector/config/password".into(), kind: ChangeKind::SecretChanged, old: None, new: None }],
    /// }] };
    /// assert_eq!(plan.render(), "~ capture acmeCo/a\n    /endpoint/connector/config/password: secret value changed\n\nPlan: 0 to create, 1 to change, 0 to delete, 0 unchanged.\n");
    /// ```
    pub fn render(&self) -> String {
        let mut out = String::new();
        for spec in &self.specs {
            let mark = match spec.action {
                Action::Create => "+",
                Action::Update => "~",
                Action::Delete => "-",
                Action::Unchanged => continue,
            };
            out.push_str(&format!(
                "{mark} {} {}\n",
                spec.spec_type.singular(),
                spec.catalog_name
            ));
            for change in &spec.changes {
                out.push_str(&format!("    {change}\n"));
            }
        }
        if !out.is_empty() {
            out.push('\n');
        }
        if !self.has_changes() {
            out.push_str("No changes: the live specs match the catalog.\n");
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }
}

/// Plans the publication of `catalog` (loaded from `source`): validates
/// it, reads the live specs of its names, and compares them. `identities`
/// open sops-encrypted configs on either side (default: those sops would
/// find).
///
/// ```no_run
/// # async fn example(catalog: flowspec::Catalog) -> flowspec::Result<()> {
/// use flowspec::client::{connection::Connection, plan::plan, Session};
/// let connection = Connection::new(Session::open(Some("local"), &std::env::vars_os().collect())?)?;
/// let plan = plan(&connection, &catalog, "flow.yaml".as_ref(), None).await?;
/// print!("{}", plan.render());
/// # Ok(()) }
/// ```
pub async fn plan(
    connection: &Connection,
    catalog: &Catalog,
    source: &Path,
    identities: Option<Identities>,
) -> Result<Plan> {
    catalog.validate()?;
    let specs = resolved_specs(catalog, source)?;
    plan_specs(connection, &specs, identities).await
}

impl Catalog {
    /// [`plan`] of this catalog: what publishing it (from `source`) would
    /// create, change and delete.
    ///
    /// ```no_run
    /// # async fn example(catalog: flowspec::Catalog) -> flowspec::Result<()> {
    /// use flowspec::client::{connection::Connection, Session};
    /// let connection = Connection::new(Session::open(Some("local"), &std::env::vars_os().collect())?)?;
    /// let plan = catalog.plan(&connection, "flow.yaml".as_ref(), None).await?;
    /// assert!(!plan.has_changes() || !plan.render().is_empty());
    /// # Ok(()) }
    /// ```
    pub async fn plan(
        &self,
        connection: &Connection,
        source: &Path,
        identities: Option<Identities>,
    ) -> Result<Plan> {
        plan(connection, self, source, identities).await
    }
}

/// Plans the publication of draft specs: what [`plan`] does once the
/// catalog is validated, and what `catalog publish` shows before it asks.
pub async fn plan_specs(
    connection: &Connection,
    specs: &[DraftSpec],
    identities: Option<Identities>,
) -> Result<Plan> {
    let filter = Filter {
        names: specs.iter().map(|s| s.catalog_name.clone()).collect(),
        ..Filter::default()
    };
    let live = if filter.names.is_empty() {
        Vec::new()
    } else {
        live::find(connection, &filter, true).await?
    };
    let mut secrets = HashMap::new();
    for image in images(specs, &live) {
        let schema = connector_schema(connection, &image).await?;
        secrets.insert(image, schema.as_ref().map(secret_names));
    }
    let identities = identities.unwrap_or_else(|| Identities::discover().unwrap_or_default());
    Ok(compare(specs, &live, &secrets, &identities))
}

/// The connector images of the endpoints of `specs` and `live`.
fn images(specs: &[DraftSpec], live: &[LiveSpec]) -> BTreeSet<String> {
    let models = specs
        .iter()
        .filter_map(|s| s.spec.as_ref())
        .chain(live.iter().filter_map(|l| l.model.as_ref()));
    models
        .filter_map(|m| {
            m.pointer("/endpoint/connector/image")
                .and_then(Value::as_str)
        })
        .map(str::to_string)
        .collect()
}

/// The names of the properties a connector's endpoint schema marks secret,
/// anywhere in it.
fn secret_names(schema: &Value) -> BTreeSet<String> {
    fn walk(node: &Value, out: &mut BTreeSet<String>) {
        match node {
            Value::Object(map) => {
                let properties = map.get("properties").and_then(Value::as_object);
                for (name, sub) in properties.into_iter().flatten() {
                    if marks_secret(sub) {
                        out.insert(name.clone());
                    }
                }
                for sub in map.values() {
                    walk(sub, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(schema, &mut out);
    out
}

/// Compares draft specs with live specs. `secrets` gives, by connector
/// image, the property names its endpoint schema marks secret (`None`:
/// the connector is unknown, and no value of its config is shown).
///
/// ```
/// use flowspec::client::{draft::DraftSpec, plan::{compare, Action}};
/// use flowspec::secrets::Identities;
/// let local = DraftSpec { catalog_name: "acmeCo/a".into(), spec_type: Some(flowspec::Kind::Collection),
///     spec: Some(serde_json::json!({"schema": {"type": "object"}, "key": ["/id"]})), expect_pub_id: None };
/// let plan = compare(&[local], &[], &Default::default(), &Identities::default());
/// assert_eq!(plan.specs[0].action, Action::Create);
/// ```
pub fn compare(
    specs: &[DraftSpec],
    live: &[LiveSpec],
    secrets: &HashMap<String, Option<BTreeSet<String>>>,
    identities: &Identities,
) -> Plan {
    let live: BTreeMap<&str, &LiveSpec> =
        live.iter().map(|l| (l.catalog_name.as_str(), l)).collect();
    let mut out: Vec<SpecPlan> = specs
        .iter()
        .map(|spec| {
            let found = live.get(spec.catalog_name.as_str());
            let spec_type = spec
                .spec_type
                .or(found.map(|l| l.catalog_type))
                .unwrap_or(Kind::Collection);
            let (action, changes) = match (&spec.spec, found) {
                (None, Some(_)) => (Action::Delete, Vec::new()),
                (None, None) => (Action::Unchanged, Vec::new()),
                (Some(_), None) => (Action::Create, Vec::new()),
                (Some(local), Some(found)) => {
                    let old = found.model.clone().unwrap_or(Value::Null);
                    let changes = Differ {
                        secrets,
                        identities,
                    }
                    .spec(&old, local);
                    let action = if changes.is_empty() {
                        Action::Unchanged
                    } else {
                        Action::Update
                    };
                    (action, changes)
                }
            };
            SpecPlan {
                catalog_name: spec.catalog_name.clone(),
                spec_type,
                action,
                changes,
            }
        })
        .collect();
    out.sort_by(|a, b| a.catalog_name.cmp(&b.catalog_name));
    Plan { specs: out }
}

/// The comparison of two models of one spec.
struct Differ<'a> {
    secrets: &'a HashMap<String, Option<BTreeSet<String>>>,
    identities: &'a Identities,
}

/// How a config's properties are treated.
#[derive(Clone, Copy)]
enum Config<'a> {
    /// Not in a config.
    Outside,
    /// In a config of a connector whose schema names these secrets.
    Known(&'a BTreeSet<String>),
    /// In a config of an unknown connector: no value is shown.
    Unknown,
}

impl Differ<'_> {
    fn spec(&self, old: &Value, new: &Value) -> Vec<Change> {
        let mut out = Vec::new();
        self.value(
            &mut String::new(),
            Some(old),
            Some(new),
            Config::Outside,
            &mut out,
        );
        out
    }

    fn value(
        &self,
        ptr: &mut String,
        old: Option<&Value>,
        new: Option<&Value>,
        config: Config<'_>,
        out: &mut Vec<Change>,
    ) {
        let (old, new) = (old.map(|v| self.open(v)), new.map(|v| self.open(v)));
        match (old.as_deref(), new.as_deref()) {
            (Some(Value::Object(o)), Some(Value::Object(n))) => {
                self.objects(ptr, o, n, config, out)
            }
            (Some(Value::Array(o)), Some(Value::Array(n))) if o.len() == n.len() => {
                let len = ptr.len();
                for (i, (o, n)) in o.iter().zip(n).enumerate() {
                    ptr.push_str(&format!("/{i}"));
                    self.value(ptr, Some(o), Some(n), config, out);
                    ptr.truncate(len);
                }
            }
            (Some(o), Some(n)) if same(o, n) => {}
            (o, n) => {
                let secret = |v: &Value| match config {
                    Config::Outside | Config::Unknown => has_ciphertext(v),
                    Config::Known(names) => has_ciphertext(v) || holds_secret(v, names),
                };
                if o.is_some_and(secret) || n.is_some_and(secret) {
                    return self.secret(ptr, o, n, out);
                }
                let kind = match (o, n) {
                    (None, None) => return,
                    (None, Some(_)) => ChangeKind::Added,
                    (Some(_), None) => ChangeKind::Removed,
                    (Some(_), Some(_)) => ChangeKind::Changed,
                };
                // Values of an unknown connector's config are not shown:
                // any of them may be a secret.
                let shown = !matches!(config, Config::Unknown);
                out.push(Change {
                    ptr: ptr.clone(),
                    kind,
                    old: o.filter(|_| shown).cloned(),
                    new: n.filter(|_| shown).cloned(),
                });
            }
        }
    }

    fn objects(
        &self,
        ptr: &mut String,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
        config: Config<'_>,
        out: &mut Vec<Change>,
    ) {
        let (o, n) = (properties(old), properties(new));
        let names: BTreeSet<&str> = o.keys().chain(n.keys()).copied().collect();
        // The connector whose config is the sibling `config`, if any.
        let image = new
            .get("image")
            .or_else(|| old.get("image"))
            .and_then(Value::as_str);
        let len = ptr.len();
        for name in names {
            let (ov, nv) = (o.get(name), n.get(name));
            ptr.push('/');
            ptr.push_str(&name.replace('~', "~0").replace('/', "~1"));
            let secret = ov.is_some_and(|p| p.suffixed)
                || nv.is_some_and(|p| p.suffixed)
                || matches!(config, Config::Known(names) if names.contains(name));
            let inner = match (config, image) {
                (Config::Outside, Some(image)) if name == "config" => {
                    match self.secrets.get(image) {
                        Some(Some(names)) => Config::Known(names),
                        _ => Config::Unknown,
                    }
                }
                // A local connector's config (`endpoint.local`): no schema
                // says what is secret in it.
                (Config::Outside, None)
                    if name == "config"
                        && (new.contains_key("command") || old.contains_key("command")) =>
                {
                    Config::Unknown
                }
                (config, _) => config,
            };
            let (ov, nv) = (ov.map(|p| p.value), nv.map(|p| p.value));
            if secret {
                self.secret(ptr, ov, nv, out);
            } else {
                self.value(ptr, ov, nv, inner, out);
            }
            ptr.truncate(len);
        }
    }

    /// A secret property: reported by name, never with a value.
    fn secret(&self, ptr: &str, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<Change>) {
        let kind = match (old, new) {
            (None, None) => return,
            (None, Some(_)) => ChangeKind::SecretAdded,
            (Some(_), None) => ChangeKind::SecretRemoved,
            (Some(o), Some(n)) => {
                if has_ciphertext(o) || has_ciphertext(n) || same(o, n) {
                    return;
                }
                ChangeKind::SecretChanged
            }
        };
        out.push(Change {
            ptr: ptr.to_string(),
            kind,
            old: None,
            new: None,
        });
    }

    /// A sops document opened with the identities at hand; anything else
    /// as it is.
    fn open<'v>(&self, value: &'v Value) -> Cow<'v, Value> {
        if is_encrypted(value) {
            if let Ok(plain) = decrypt(value, self.identities, &DecryptOptions::default()) {
                return Cow::Owned(plain);
            }
        }
        Cow::Borrowed(value)
    }
}

/// One property of an object, by its name without the secret suffix.
struct Property<'v> {
    value: &'v Value,
    /// Whether its name had the suffix of an encrypted secret.
    suffixed: bool,
}

/// The properties of an object by name: sops metadata left out, secret
/// suffixes removed.
fn properties(map: &Map<String, Value>) -> BTreeMap<&str, Property<'_>> {
    let encrypted = matches!(map.get("sops"), Some(Value::Object(_)));
    let suffix = map
        .get("sops")
        .and_then(|s| s.get("encrypted_suffix"))
        .and_then(Value::as_str)
        .unwrap_or(SUFFIX);
    let mut out = BTreeMap::new();
    for (key, value) in map {
        if encrypted && key == "sops" {
            continue;
        }
        let (name, suffixed) = match key
            .strip_suffix(suffix)
            .or_else(|| key.strip_suffix(SUFFIX))
        {
            Some(name) if !name.is_empty() => (name, true),
            _ => (key.as_str(), false),
        };
        out.insert(name, Property { value, suffixed });
    }
    out
}

/// Whether a value holds sops ciphertext.
fn has_ciphertext(value: &Value) -> bool {
    match value {
        Value::String(s) => looks_encrypted(s),
        Value::Array(items) => items.iter().any(has_ciphertext),
        Value::Object(map) => map.values().any(has_ciphertext),
        _ => false,
    }
}

/// Whether a value of a config holds a property its connector marks
/// secret, or one with the secret suffix.
fn holds_secret(value: &Value, names: &BTreeSet<String>) -> bool {
    match value {
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| names.contains(k) || k.ends_with(SUFFIX) || holds_secret(v, names)),
        Value::Array(items) => items.iter().any(|v| holds_secret(v, names)),
        _ => false,
    }
}

/// Equal values (numbers by value: `1` is `1.0`).
fn same(a: &Value, b: &Value) -> bool {
    crate::testing::reduce::compare(a, b) == std::cmp::Ordering::Equal
}

#[cfg(test)]
mod tests;
