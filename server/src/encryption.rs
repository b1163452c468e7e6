//! The config-encryption service, `POST /v1/encrypt-config`, as Estuary's
//! in-tree service answers it.
//!
//! The body is `{"config": …, "schema": …}` (the connector's endpoint
//! schema). The config is validated against the schema; every scalar leaf
//! at or under a location the schema annotates `"secret": true` or
//! `"airbyte_secret": true` (through `$ref`, `allOf`, the `oneOf`/`anyOf`
//! branches the config validates against, `if`/`then`/`else`,
//! `properties`, `additionalProperties`, `items` and `prefixItems`) gets
//! `_sops` appended to its property name; object keys are sorted; and the
//! result is sops-encrypted with `encrypted_suffix: _sops` to this control
//! plane's age key. The answer is the sops JSON document.
//!
//! Decisions of this control plane:
//! - `keychain` (Estuary's choice of KMS key) is ignored: configs are
//!   always encrypted to the control plane's own age key.
//! - A config that already has `_sops` keys is validated as if the suffix
//!   were not there, and keeps those names: sops encrypts what is under
//!   them as it is. A leaf is never suffixed twice.
//! - Array elements have no property name, so they are never renamed: a
//!   secret `"tokens": ["a", "b"]` stays plaintext, as Estuary's does.
//! - In validation errors, the value and message of a failure at a secret
//!   location are masked.
//!
//! Errors are plain text with status 400: `failed to build json schema: …`,
//! `failed to validate config against schema: [{"absoluteKeywordLocation",
//! "detail", "instanceLocation", "instanceValue"}, …]`, or `failed to
//! encrypt config: …`. Any origin may call it (CORS), with bodies up to
//! 2 MiB.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Request, State as Extract};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use flowspec::secrets::{marks_secret, EncryptOptions, Identity};
use rusqlite::{params, OptionalExtension};
use serde_json::{json, Map, Value};

use crate::{ServerError, Store};

/// The largest request body read.
const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// The suffix of encrypted properties.
pub const SUFFIX: &str = "_sops";

/// The `settings` key of the control plane's age identity.
const IDENTITY_KEY: &str = "age_identity";

/// The URI the endpoint schema is known by while checking its branches.
const SCHEMA_URI: &str = "urn:flowspec:endpoint-spec-schema";

/// The control plane's age identity, made on first use and kept in the
/// store's `settings`, like the key of its access tokens.
pub(crate) fn identity(store: &Store) -> Result<Identity, ServerError> {
    let found: Option<String> = store.transaction(|tx| {
        tx.query_row(
            "select value from settings where key = ?1",
            params![IDENTITY_KEY],
            |r| r.get(0),
        )
        .optional()
    })?;
    if let Some(text) = found {
        return text
            .parse()
            .map_err(|_| ServerError::Store("the stored age identity is invalid".into()));
    }
    let identity = Identity::generate();
    let secret = identity.to_secret_string();
    store.transaction(|tx| {
        tx.execute(
            "insert into settings (key, value) values (?1, ?2)",
            params![IDENTITY_KEY, secret.as_str()],
        )
    })?;
    Ok(identity)
}

/// Why a config cannot be encrypted: the plain text the service answers,
/// with status 400.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncryptError {
    /// The schema does not compile.
    #[error("failed to build json schema: {0}")]
    Schema(String),
    /// The config does not validate: the JSON array of its errors.
    #[error("failed to validate config against schema: {0}")]
    Invalid(String),
    /// Encryption failed.
    #[error("failed to encrypt config: {0}")]
    Encrypt(String),
}

/// Encrypts `config` as the service does (see the module doc) to the age
/// `recipient`.
///
/// ```
/// use flowspec::secrets::{decrypt, DecryptOptions, Identities, Identity};
/// use serde_json::json;
///
/// let identity = Identity::generate();
/// let schema = json!({"type": "object", "properties": {"password": {"type": "string", "secret": true}}});
/// let sealed = flowspec_server::encryption::encrypt_config(
///     &json!({"password": "hunter2", "host": "db"}), &schema, identity.recipient()).unwrap();
/// assert_eq!(sealed["host"], "db");
/// assert!(sealed["password_sops"].as_str().unwrap().starts_with("ENC[AES256_GCM,"));
/// let opened = decrypt(&sealed, &Identities::from(identity), &DecryptOptions::default()).unwrap();
/// assert_eq!(opened, json!({"host": "db", "password_sops": "hunter2"}));
/// ```
pub fn encrypt_config(
    config: &Value,
    schema: &Value,
    recipient: &str,
) -> Result<Value, EncryptError> {
    let validator =
        jsonschema::validator_for(schema).map_err(|e| EncryptError::Schema(e.to_string()))?;
    let mut suffixed = HashSet::new();
    let plain = strip_suffixes(config, &mut Vec::new(), &mut suffixed);
    // Every leaf any branch of the schema calls secret, to keep them out
    // of error messages.
    let mut sensitive = HashSet::new();
    let mut everywhere = Walker::new(schema);
    everywhere.all_branches = true;
    everywhere.walk(schema, "", &plain, &mut Vec::new(), &mut sensitive, 0);
    let sensitive: HashSet<String> = sensitive.iter().map(|p| pointer(p)).collect();
    let errors: Vec<Value> = validator
        .iter_errors(&plain)
        .map(|err| {
            let at = err.instance_path().as_str().to_string();
            let (value, redacted) = redact(err.instance(), &at, &sensitive);
            let secret = redacted || through_secret(schema, err.schema_path().as_str());
            let location = err
                .absolute_keyword_location()
                .map(|uri| uri.as_str().to_string())
                .unwrap_or_else(|| format!("#{}", err.schema_path().as_str()));
            json!({
                "absoluteKeywordLocation": location,
                "detail": if secret { err.masked().to_string() } else { err.to_string() },
                "instanceLocation": format!("#{at}"),
                "instanceValue": value,
            })
        })
        .collect();
    if !errors.is_empty() {
        return Err(EncryptError::Invalid(Value::Array(errors).to_string()));
    }
    let mut secrets = HashSet::new();
    Walker::new(schema).walk(schema, "", &plain, &mut Vec::new(), &mut secrets, 0);
    let renamed = rename(&plain, &mut Vec::new(), &secrets, &suffixed);
    if !renamed.is_object() {
        return Err(EncryptError::Encrypt(
            "the config must be a JSON object".into(),
        ));
    }
    flowspec::secrets::encrypt(&renamed, &EncryptOptions::estuary().recipient(recipient))
        .map_err(|e| EncryptError::Encrypt(e.to_string()))
}

/// The JSON pointer of a path.
fn pointer(path: &[Seg]) -> String {
    path.iter()
        .map(|seg| match seg {
            Seg::Key(key) => format!("/{}", escape(key)),
            Seg::Index(i) => format!("/{i}"),
        })
        .collect()
}

/// `value` (at the pointer `at`) with its `sensitive` leaves replaced by
/// `"<redacted>"`, and whether any were.
fn redact(value: &Value, at: &str, sensitive: &HashSet<String>) -> (Value, bool) {
    match value {
        Value::Object(map) => {
            let mut any = false;
            let out = map
                .iter()
                .map(|(key, child)| {
                    let (child, redacted) =
                        redact(child, &format!("{at}/{}", escape(key)), sensitive);
                    any |= redacted;
                    (key.clone(), child)
                })
                .collect();
            (Value::Object(out), any)
        }
        Value::Array(items) => {
            let mut any = false;
            let out = items
                .iter()
                .enumerate()
                .map(|(i, child)| {
                    let (child, redacted) = redact(child, &format!("{at}/{i}"), sensitive);
                    any |= redacted;
                    child
                })
                .collect();
            (Value::Array(out), any)
        }
        _ if sensitive.contains(at) => (json!("<redacted>"), true),
        scalar => (scalar.clone(), false),
    }
}

/// A step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Seg {
    Key(String),
    Index(usize),
}

/// `value` with one `_sops` suffix trimmed from each key (unless the
/// trimmed key is also there); the paths trimmed go to `suffixed`.
fn strip_suffixes(value: &Value, path: &mut Vec<Seg>, suffixed: &mut HashSet<Vec<Seg>>) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, child) in map {
                let key = match key.strip_suffix(SUFFIX) {
                    Some(plain) if !plain.is_empty() && !map.contains_key(plain) => {
                        let mut trimmed = path.clone();
                        trimmed.push(Seg::Key(plain.to_string()));
                        suffixed.insert(trimmed);
                        plain.to_string()
                    }
                    _ => key.clone(),
                };
                path.push(Seg::Key(key.clone()));
                out.insert(key, strip_suffixes(child, path, suffixed));
                path.pop();
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, child)| {
                    path.push(Seg::Index(i));
                    let out = strip_suffixes(child, path, suffixed);
                    path.pop();
                    out
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `value` with sorted keys, the secret leaves and the originally
/// suffixed keys named with `_sops`.
fn rename(
    value: &Value,
    path: &mut Vec<Seg>,
    secrets: &HashSet<Vec<Seg>>,
    suffixed: &HashSet<Vec<Seg>>,
) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = BTreeMap::new();
            for (key, child) in map {
                path.push(Seg::Key(key.clone()));
                let secret_leaf = !child.is_object() && !child.is_array() && secrets.contains(path);
                let name = if suffixed.contains(path) || secret_leaf {
                    format!("{key}{SUFFIX}")
                } else {
                    key.clone()
                };
                out.insert(name, rename(child, path, secrets, suffixed));
                path.pop();
            }
            Value::Object(out.into_iter().collect())
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, child)| {
                    path.push(Seg::Index(i));
                    let out = rename(child, path, secrets, suffixed);
                    path.pop();
                    out
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The JSON pointer of a local `$ref` (`#/$defs/x` → `/$defs/x`).
fn local_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    if !(fragment.is_empty() || fragment.starts_with('/')) {
        return None;
    }
    Some(percent_decode(fragment))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'~' | b'-' | b'_' | b'.' | b'$' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A JSON pointer token.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Whether the evaluation path `path` (`/properties/a/$ref/oneOf/0/…`) of
/// `schema` passes through a node annotated secret.
fn through_secret(schema: &Value, path: &str) -> bool {
    let mut node = schema;
    if marks_secret(node) {
        return true;
    }
    for token in path.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        let next = if token == "$ref" {
            node.get("$ref")
                .and_then(Value::as_str)
                .and_then(local_pointer)
                .and_then(|p| schema.pointer(&p))
        } else {
            match node {
                Value::Object(map) => map.get(&token),
                Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            }
        };
        let Some(next) = next else {
            return false;
        };
        node = next;
        if marks_secret(node) {
            return true;
        }
    }
    false
}

/// Finds the secret leaves of a config, following the schema where the
/// config goes.
struct Walker<'s> {
    root: &'s Value,
    /// Validators of the branches tried, by pointer.
    branches: Mutex<HashMap<String, Option<jsonschema::Validator>>>,
    /// Follow every branch, valid or not (to find what might be secret).
    all_branches: bool,
    /// How many more schema nodes may be visited: recursive schemas
    /// could otherwise take exponential time.
    budget: std::cell::Cell<usize>,
}

/// How many schema nodes one walk may visit.
const MAX_STEPS: usize = 100_000;

/// Serves the endpoint schema to the validators of its branches.
struct Root(Value);

impl jsonschema::Retrieve for Root {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        if uri.as_str().trim_end_matches('#') == SCHEMA_URI {
            Ok(self.0.clone())
        } else {
            Err(format!("{uri} is not available").into())
        }
    }
}

/// How deep `$ref`s may go.
const MAX_DEPTH: usize = 64;

impl<'s> Walker<'s> {
    fn new(root: &'s Value) -> Self {
        Walker {
            root,
            branches: Mutex::new(HashMap::new()),
            all_branches: false,
            budget: std::cell::Cell::new(MAX_STEPS),
        }
    }

    /// Whether `instance` validates against the subschema at `pointer`.
    fn valid(&self, pointer: &str, instance: &Value) -> bool {
        if self.all_branches {
            return true;
        }
        let mut branches = self.branches.lock().unwrap_or_else(|e| e.into_inner());
        let validator = branches.entry(pointer.to_string()).or_insert_with(|| {
            let wrapper = json!({"$ref": format!("{SCHEMA_URI}#{}", percent_encode(pointer))});
            jsonschema::options()
                .with_retriever(Root(self.root.clone()))
                .build(&wrapper)
                .ok()
        });
        validator.as_ref().is_some_and(|v| v.is_valid(instance))
    }

    fn walk(
        &self,
        schema: &Value,
        pointer: &str,
        instance: &Value,
        path: &mut Vec<Seg>,
        out: &mut HashSet<Vec<Seg>>,
        depth: usize,
    ) {
        let Value::Object(node) = schema else {
            return;
        };
        if depth > MAX_DEPTH || self.budget.get() == 0 {
            return;
        }
        self.budget.set(self.budget.get() - 1);
        if marks_secret(schema) {
            leaves(instance, path, out);
            return;
        }
        if let Some(target) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(local_pointer)
        {
            if let Some(sub) = self.root.pointer(&target) {
                self.walk(sub, &target, instance, path, out, depth + 1);
            }
        }
        if let Some(Value::Array(all)) = node.get("allOf") {
            for (i, sub) in all.iter().enumerate() {
                self.walk(
                    sub,
                    &format!("{pointer}/allOf/{i}"),
                    instance,
                    path,
                    out,
                    depth + 1,
                );
            }
        }
        for keyword in ["anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = node.get(keyword) {
                for (i, sub) in branches.iter().enumerate() {
                    let at = format!("{pointer}/{keyword}/{i}");
                    if self.valid(&at, instance) {
                        self.walk(sub, &at, instance, path, out, depth + 1);
                    }
                }
            }
        }
        if node.contains_key("if") {
            let valid = self.valid(&format!("{pointer}/if"), instance);
            for (branch, taken) in [("then", valid), ("else", !valid || self.all_branches)] {
                if let Some(sub) = node.get(branch).filter(|_| taken) {
                    self.walk(
                        sub,
                        &format!("{pointer}/{branch}"),
                        instance,
                        path,
                        out,
                        depth + 1,
                    );
                }
            }
        }
        match instance {
            Value::Object(map) => {
                let properties = node.get("properties").and_then(Value::as_object);
                for (key, child) in map {
                    path.push(Seg::Key(key.clone()));
                    match properties.and_then(|p| p.get(key)) {
                        Some(sub) => self.walk(
                            sub,
                            &format!("{pointer}/properties/{}", escape(key)),
                            child,
                            path,
                            out,
                            depth + 1,
                        ),
                        None => {
                            if let Some(sub) = node.get("additionalProperties") {
                                self.walk(
                                    sub,
                                    &format!("{pointer}/additionalProperties"),
                                    child,
                                    path,
                                    out,
                                    depth + 1,
                                );
                            }
                        }
                    }
                    path.pop();
                }
            }
            Value::Array(items) => {
                let prefix = node
                    .get("prefixItems")
                    .map(|p| ("prefixItems", p))
                    .or_else(|| {
                        node.get("items")
                            .filter(|i| i.is_array())
                            .map(|p| ("items", p))
                    });
                for (i, child) in items.iter().enumerate() {
                    path.push(Seg::Index(i));
                    let positional = prefix.and_then(|(k, p)| p.get(i).map(|s| (k, s)));
                    match positional {
                        Some((keyword, sub)) => self.walk(
                            sub,
                            &format!("{pointer}/{keyword}/{i}"),
                            child,
                            path,
                            out,
                            depth + 1,
                        ),
                        None => {
                            if let Some(sub) = node.get("items").filter(|i| i.is_object()) {
                                self.walk(
                                    sub,
                                    &format!("{pointer}/items"),
                                    child,
                                    path,
                                    out,
                                    depth + 1,
                                );
                            }
                        }
                    }
                    path.pop();
                }
            }
            _ => {}
        }
    }
}

/// The paths of the scalar leaves of `value`.
fn leaves(value: &Value, path: &mut Vec<Seg>, out: &mut HashSet<Vec<Seg>>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                path.push(Seg::Key(key.clone()));
                leaves(child, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                leaves(child, path, out);
                path.pop();
            }
        }
        _ => {
            out.insert(path.clone());
        }
    }
}

/// What the routes share: the recipient configs are encrypted to.
struct Service {
    recipient: String,
}

/// The routes of the config-encryption service.
pub(crate) fn router(identity: &Identity) -> Router {
    let service = Arc::new(Service {
        recipient: identity.recipient().to_string(),
    });
    Router::new()
        .route("/v1/encrypt-config", post(encrypt_route))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(service)
        .merge(crate::postgrest::not_served("config-encryption service"))
        .layer(middleware::from_fn(cors))
}

/// Any origin may call the service.
async fn cors(request: Request, next: Next) -> Response {
    let requested_headers = request
        .headers()
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned();
    let mut response = if request.method() == Method::OPTIONS {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("POST, OPTIONS"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        requested_headers.unwrap_or_else(|| HeaderValue::from_static("content-type")),
    );
    response
}

/// A 400 in plain text.
fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, message).into_response()
}

/// `POST /v1/encrypt-config`.
async fn encrypt_route(Extract(service): Extract<Arc<Service>>, body: Bytes) -> Response {
    let body: Value = match serde_json::from_slice(&body) {
        Ok(body) => body,
        Err(err) => return bad_request(format!("failed to parse request body: {err}")),
    };
    let (Some(config), Some(schema)) = (body.get("config"), body.get("schema")) else {
        return bad_request(
            "failed to parse request body: it must be an object with `config` and `schema`".into(),
        );
    };
    match encrypt_config(config, schema, &service.recipient) {
        Ok(sealed) => (
            [(header::CONTENT_TYPE, "application/json")],
            sealed.to_string(),
        )
            .into_response(),
        Err(err) => bad_request(err.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret_paths(schema: &Value, config: &Value) -> Vec<String> {
        let mut out = HashSet::new();
        Walker::new(schema).walk(schema, "", config, &mut Vec::new(), &mut out, 0);
        let mut paths: Vec<String> = out
            .into_iter()
            .map(|p| {
                p.iter()
                    .map(|s| match s {
                        Seg::Key(k) => format!("/{k}"),
                        Seg::Index(i) => format!("/{i}"),
                    })
                    .collect()
            })
            .collect();
        paths.sort();
        paths
    }

    #[test]
    fn secrets_are_found_through_refs_branches_and_items() {
        let schema = json!({
            "$defs": {"key": {"type": "string", "airbyte_secret": true}},
            "type": "object",
            "properties": {
                "a": {"$ref": "#/$defs/key"},
                "creds": {"oneOf": [
                    {"type": "object", "required": ["kind", "token"], "properties": {"kind": {"const": "t"}, "token": {"secret": true}}},
                    {"type": "object", "required": ["kind", "pw"], "properties": {"kind": {"const": "p"}, "pw": {"secret": true}}}
                ]},
                "list": {"type": "array", "items": {"type": "object", "properties": {"v": {"secret": true}}}},
                "tuple": {"type": "array", "prefixItems": [{}, {"secret": true}]},
                "whole": {"type": "object", "secret": true},
                "extra": {"type": "object", "additionalProperties": {"secret": true}}
            }
        });
        let config = json!({
            "a": "x", "creds": {"kind": "p", "pw": "y", "token": "not-a-secret-here"},
            "list": [{"v": 1}, {"v": 2, "w": 3}], "tuple": ["p", "s"],
            "whole": {"x": {"y": true}, "z": [1]}, "extra": {"k": "v"}, "other": "o"
        });
        assert_eq!(
            secret_paths(&schema, &config),
            [
                "/a",
                "/creds/pw",
                "/extra/k",
                "/list/0/v",
                "/list/1/v",
                "/tuple/1",
                "/whole/x/y",
                "/whole/z/0"
            ]
        );
    }

    #[test]
    fn recursive_schemas_end() {
        let schema =
            json!({"allOf": [{"$ref": "#"}, {"$ref": "#"}], "properties": {"a": {"secret": true}}});
        let config = json!({"a": "x"});
        assert_eq!(secret_paths(&schema, &config), ["/a"]);
        let sealed = encrypt_config(&config, &schema, Identity::generate().recipient()).unwrap();
        assert!(sealed["a_sops"].as_str().unwrap().starts_with("ENC["));
    }

    #[test]
    fn evaluation_paths_through_secrets_are_masked() {
        let schema = json!({"$defs": {"s": {"secret": true, "type": "string"}},
            "properties": {"a": {"$ref": "#/$defs/s"}, "b": {"type": "string"}}});
        assert!(through_secret(&schema, "/properties/a/$ref/type"));
        assert!(!through_secret(&schema, "/properties/b/type"));
        assert!(!through_secret(&schema, "/properties/zzz/type"));
    }

    #[test]
    fn pointers_round_trip_through_uri_fragments() {
        let pointer = "/properties/a b%/oneOf/0";
        assert_eq!(percent_decode(&percent_encode(pointer)), pointer);
        assert_eq!(local_pointer("#/$defs/x%20y"), Some("/$defs/x y".into()));
        assert_eq!(local_pointer("other.json#/x"), None);
    }
}
