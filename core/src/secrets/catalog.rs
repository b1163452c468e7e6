//! Secrets in a catalog's configs: sealing them when the catalog is written,
//! and opening them on request.
//!
//! The configs are those of capture and materialization endpoints and of
//! derivation connectors (`connector`, `local` and `dekaf` alike). Each is
//! encrypted as a document of its own, with `encrypted_suffix: _sops`, as
//! Estuary decrypts it: the sops metadata sits in the config's `sops` key.

use std::borrow::Cow;
use std::path::Path;

use serde_json::Value;

use std::collections::HashMap;

use super::marker::{has_marker, markers_in, resolve_markers, ConfigSecrets, SECRET_MARKER};
use super::{decrypt, encrypt, DecryptOptions, EncryptOptions, Identities};
use crate::{
    Catalog, Diagnostic, Error, Kind, Result, Slot, SlotValue, SlotValueMut, TestDocuments,
};

/// How [`seal`] treats a catalog's secrets.
///
/// ```
/// let options = flowspec::secrets::SealOptions::default();
/// assert!(options.recipients.is_empty() && !options.plaintext);
/// ```
#[derive(Debug, Clone, Default)]
pub struct SealOptions {
    /// age recipients. When empty, `SOPS_AGE_RECIPIENTS` and then the
    /// `.sops.yaml` creation rule matching the written file are used.
    pub recipients: Vec<String>,
    /// Write secrets in plaintext (their markers become `_sops` keys): only
    /// when the caller explicitly asks for it.
    pub plaintext: bool,
}

/// A config slot of a spec: its kind, name, JSON pointer within the spec,
/// and the config.
struct ConfigSlot<'a> {
    kind: Kind,
    name: &'a str,
    pointer: String,
    config: &'a Value,
}

impl ConfigSlot<'_> {
    /// A problem of this config: its scope, and the message after the
    /// spec's kind and name.
    fn problem(
        &self,
        catalog: &Catalog,
        code: &'static str,
        message: impl std::fmt::Display,
    ) -> Diagnostic {
        let scope = catalog
            .origins
            .scope(self.kind, self.name)
            .join_pointer(&self.pointer);
        scope.diagnostic(code, format!("{}: {message}", what(self.kind, self.name)))
    }
}

/// The configs of a catalog: endpoint and derivation-connector configs.
fn slots(catalog: &Catalog) -> Vec<ConfigSlot<'_>> {
    let mut out = Vec::new();
    catalog.for_each_slot(|kind, name, slot, pointer, value| {
        if let (Slot::Config, SlotValue::Value(config)) = (slot, value) {
            out.push(ConfigSlot {
                kind,
                name,
                pointer: pointer.to_string(),
                config,
            });
        }
    });
    out
}

/// Replaces the config of each spec in `configs` (by kind, name and
/// pointer).
fn replace_configs(catalog: &mut Catalog, mut configs: HashMap<(Kind, String, String), Value>) {
    catalog.for_each_slot_mut(|kind, name, slot, pointer, value| {
        if let (Slot::Config, SlotValueMut::Value(config)) = (slot, value) {
            let key = (kind, name.to_string(), pointer.to_string());
            if let Some(new) = configs.remove(&key) {
                *config = new;
            }
        }
    });
}

/// Errors (code `invalid_secret`) for the secret markers that are not in a
/// config, where nothing would encrypt them: in a binding resource, a
/// schema, a test document, SQL, a module or a lambda.
///
/// ```
/// use flowspec::{secrets::{misplaced_secrets, secret}, Catalog};
/// use serde_json::json;
/// let catalog: Catalog = serde_json::from_value(json!({
///     "captures": {"acmeCo/source": {
///         "endpoint": {"connector": {"image": "ghcr.io/estuary/source-x:v1", "config": {}}},
///         "bindings": [{"resource": {"table": "t", "password": secret("hunter2")}, "target": "acmeCo/t"}],
///     }}
/// })).unwrap();
/// let found = misplaced_secrets(&catalog);
/// assert_eq!(found[0].code, "invalid_secret");
/// assert_eq!(found[0].scope, "flow://catalog#/captures/acmeCo~1source/bindings/0/resource/password");
/// assert!(!found[0].message.contains("hunter2"));
/// ```
pub fn misplaced_secrets(catalog: &Catalog) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    catalog.for_each_slot(|kind, name, slot, pointer, value| {
        if slot == Slot::Config {
            return;
        }
        let mut found = Vec::new();
        match value {
            // Most values hold no marker: find out before building pointers.
            SlotValue::Value(v) if !has_marker(v) => {}
            SlotValue::Value(v) => markers_in(v, &mut String::new(), &mut found),
            SlotValue::Schema(schema) => {
                if schema
                    .inline_json()
                    .is_some_and(|text| text.contains(SECRET_MARKER))
                {
                    markers_in(&schema.to_value(), &mut String::new(), &mut found);
                }
            }
            SlotValue::Documents(TestDocuments::Inline(docs)) => {
                for (i, doc) in docs.iter().enumerate().filter(|(_, d)| has_marker(d)) {
                    markers_in(doc, &mut format!("/{i}"), &mut found);
                }
            }
            SlotValue::Documents(TestDocuments::Url(_)) => {}
        }
        let place = match slot {
            Slot::Resource(_) => "a binding resource",
            Slot::Schema | Slot::WriteSchema | Slot::ReadSchema => "a schema",
            Slot::Migration(_) => "a SQLite migration",
            Slot::Module(_) => "a derivation module",
            Slot::Lambda { .. } | Slot::ShuffleLambda { .. } => "a lambda",
            Slot::Documents(_) => "a test document",
            Slot::Config => unreachable!("configs are skipped"),
        };
        for inner in found {
            let scope = catalog
                .origins
                .scope(kind, name)
                .join_pointer(pointer)
                .join_pointer(&inner);
            out.push(scope.diagnostic(
                crate::codes::INVALID_SECRET,
                format!(
                    "{}: a secret in {place} would be written in plaintext: only the \
                     endpoint config of a capture or materialization, and the config of a \
                     derivation connector, are encrypted; move the secret into the config",
                    what(kind, name)
                ),
            ));
        }
    });
    out
}

fn what(kind: Kind, name: &str) -> String {
    format!("{} {name}", kind.singular())
}

/// Whether any config of `catalog` holds secrets in plaintext, which
/// writing it encrypts.
pub(crate) fn holds_plaintext_secrets(catalog: &Catalog) -> bool {
    slots(catalog)
        .iter()
        .any(|s| ConfigSecrets::of(s.config) == ConfigSecrets::Plaintext)
}

/// Where the configs of `catalog` hold secrets in plaintext: one diagnostic
/// (code `plaintext_secret`) per config, with its scope.
///
/// ```
/// use flowspec::{build::CaptureBuilder, secrets::{plaintext_secrets, secret}, Catalog};
/// use serde_json::json;
/// let mut catalog = Catalog::default();
/// catalog.add(CaptureBuilder::new("acmeCo/source").connector("ghcr.io/estuary/source-stripe-native:dev",
///     json!({"credentials": {"access_token": secret("sk_live_123")}})))?;
/// let found = plaintext_secrets(&catalog);
/// assert_eq!(found[0].scope, "flow://catalog#/captures/acmeCo~1source/endpoint/connector/config");
/// assert!(!found[0].message.contains("sk_live_123"));
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn plaintext_secrets(catalog: &Catalog) -> Vec<Diagnostic> {
    slots(catalog)
        .into_iter()
        .filter(|s| ConfigSecrets::of(s.config) == ConfigSecrets::Plaintext)
        .map(|s| {
            let scope = catalog
                .origins
                .scope(s.kind, s.name)
                .join_pointer(&s.pointer);
            scope.diagnostic(
                crate::codes::PLAINTEXT_SECRET,
                format!(
                    "{}: the config holds secrets in plaintext and no age recipients are \
                     configured: pass recipients, set SOPS_AGE_RECIPIENTS, or add an `age` \
                     creation rule to .sops.yaml (or ask for plaintext secrets explicitly)",
                    what(s.kind, s.name)
                ),
            )
        })
        .collect()
}

/// Warnings (code `plaintext_secret`) for the configs that hold `_sops`
/// values unencrypted, as a checked-in catalog should not: validation
/// reports them. Secret markers are left out: they are sealed on write.
///
/// ```
/// use flowspec::{build::CaptureBuilder, Catalog};
/// let mut catalog = Catalog::default();
/// catalog.add(CaptureBuilder::new("acmeCo/source").connector("ghcr.io/estuary/source-x:v1",
///     serde_json::json!({"password_sops": "hunter2"})))?;
/// let warnings = catalog.validate()?;
/// assert_eq!(warnings[0].code, "plaintext_secret");
/// assert!(!warnings[0].message.contains("hunter2"));
/// # Ok::<(), flowspec::Error>(())
/// ```
pub(crate) fn unencrypted_configs(catalog: &Catalog) -> Vec<Diagnostic> {
    slots(catalog)
        .into_iter()
        .filter(|s| super::marker::holds_suffixed_plaintext(s.config))
        .map(|s| {
            let scope = catalog
                .origins
                .scope(s.kind, s.name)
                .join_pointer(&s.pointer);
            scope
                .diagnostic(
                    crate::codes::PLAINTEXT_SECRET,
                    format!(
                        "{}: the config holds `_sops` values in plaintext: encrypt it before \
                         checking it in (writing the catalog with flowspec and age recipients \
                         does, as does `flowspec encrypt --encrypted-suffix _sops`)",
                        what(s.kind, s.name)
                    ),
                )
                .warning()
        })
        .collect()
}

/// The catalog with every config that holds plaintext secrets encrypted
/// (or, with [`SealOptions::plaintext`], with its markers resolved to
/// `_sops` keys). `file` is where the catalog will be written: it picks the
/// `.sops.yaml` creation rule, searched from its directory upward.
///
/// Configs already sops-encrypted pass through untouched; a marker inside
/// one is an error, as it would be written in plaintext. Without any
/// recipient, every config holding secrets is reported (code
/// `plaintext_secret`) and nothing is encrypted. A catalog without secrets
/// is returned borrowed.
///
/// ```
/// use flowspec::{build::CaptureBuilder, secrets::{seal, secret, Identity, SealOptions}, Catalog};
/// use serde_json::json;
/// let mut catalog = Catalog::default();
/// catalog.add(CaptureBuilder::new("acmeCo/source").connector("ghcr.io/estuary/source-stripe-native:dev",
///     json!({"account": "acct_1", "token": secret("sk_live_123")})))?;
///
/// let identity = Identity::generate();
/// let options = SealOptions { recipients: vec![identity.recipient().to_string()], ..Default::default() };
/// let sealed = seal(&catalog, "flow.yaml".as_ref(), &options)?;
/// let config = sealed.captures["acmeCo/source"].endpoint.config();
/// assert_eq!(config["account"], "acct_1");
/// assert!(config["token_sops"].as_str().unwrap().starts_with("ENC[AES256_GCM,data:"));
/// assert_eq!(config["sops"]["encrypted_suffix"], "_sops");
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn seal<'a>(
    catalog: &'a Catalog,
    file: &Path,
    options: &SealOptions,
) -> Result<Cow<'a, Catalog>> {
    seal_over(catalog, file, options, None)
}

/// [`seal`], over the catalog `previous` written at `file` before: a config
/// whose previous version there is encrypted to the same recipients, and
/// decrypts (with the keys sops would use, when they are at hand) to the
/// same plaintext, keeps its ciphertext. Writing an unchanged catalog with
/// secrets then gives the same bytes.
pub(crate) fn seal_over<'a>(
    catalog: &'a Catalog,
    file: &Path,
    options: &SealOptions,
    previous: Option<&Catalog>,
) -> Result<Cow<'a, Catalog>> {
    let mut problems = misplaced_secrets(catalog);
    let mut plaintext = Vec::new();
    for slot in slots(catalog) {
        match ConfigSecrets::of(slot.config) {
            ConfigSecrets::None => {}
            ConfigSecrets::Plaintext => plaintext.push(slot),
            ConfigSecrets::Encrypted => {
                let mut found = Vec::new();
                markers_in(slot.config, &mut String::new(), &mut found);
                let scope = catalog
                    .origins
                    .scope(slot.kind, slot.name)
                    .join_pointer(&slot.pointer);
                for pointer in found {
                    problems.push(scope.join_pointer(&pointer).diagnostic(
                        crate::codes::SECRET_IN_ENCRYPTED_CONFIG,
                        format!(
                            "{}: the config is already sops-encrypted, so a secret added to it \
                             would be written in plaintext: decrypt the config first",
                            what(slot.kind, slot.name)
                        ),
                    ));
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::CatalogSecrets(problems));
    }
    if plaintext.is_empty() {
        return Ok(Cow::Borrowed(catalog));
    }

    // Markers become `_sops` properties.
    let mut resolved = Vec::with_capacity(plaintext.len());
    for slot in &plaintext {
        let mut config = slot.config.clone();
        match resolve_markers(&mut config) {
            Ok(()) => resolved.push(config),
            Err(message) => {
                problems.push(slot.problem(catalog, crate::codes::INVALID_SECRET, message))
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::CatalogSecrets(problems));
    }
    let key = |slot: &ConfigSlot| (slot.kind, slot.name.to_string(), slot.pointer.clone());
    if options.plaintext {
        let configs = plaintext.iter().map(key).zip(resolved).collect();
        let mut sealed = catalog.clone();
        replace_configs(&mut sealed, configs);
        return Ok(Cow::Owned(sealed));
    }

    let search_from = match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => std::env::current_dir().unwrap_or_default(),
    };
    let mut encrypt_options = EncryptOptions::estuary();
    encrypt_options.recipients = options.recipients.clone();
    let encrypt_options = encrypt_options.resolve(file, &search_from)?;
    if encrypt_options.recipients.is_empty() {
        return Err(Error::CatalogSecrets(plaintext_secrets(catalog)));
    }
    let mut earlier = Earlier::new(previous, &encrypt_options.recipients);
    let mut configs = HashMap::new();
    for (slot, config) in plaintext.iter().zip(resolved) {
        if let Some(kept) = earlier.ciphertext(slot, &config) {
            configs.insert(key(slot), kept);
            continue;
        }
        match encrypt(&config, &encrypt_options) {
            Ok(encrypted) => {
                configs.insert(key(slot), encrypted);
            }
            Err(err) => problems.push(slot.problem(catalog, err.code(), &err)),
        }
    }
    if !problems.is_empty() {
        return Err(Error::CatalogSecrets(problems));
    }
    let mut sealed = catalog.clone();
    replace_configs(&mut sealed, configs);
    Ok(Cow::Owned(sealed))
}

/// The encrypted configs of the catalog previously written where a catalog
/// is being written, and the keys to open them.
struct Earlier<'p> {
    configs: HashMap<(Kind, String, String), &'p Value>,
    /// The recipients being encrypted to, sorted.
    recipients: Vec<String>,
    /// The keys sops would use: discovered on first need; `None` when there
    /// are none.
    identities: Option<Option<Identities>>,
}

impl<'p> Earlier<'p> {
    fn new(previous: Option<&'p Catalog>, recipients: &[String]) -> Self {
        let mut configs = HashMap::new();
        if let Some(previous) = previous {
            for slot in slots(previous) {
                if ConfigSecrets::of(slot.config) == ConfigSecrets::Encrypted {
                    configs.insert(
                        (slot.kind, slot.name.to_string(), slot.pointer),
                        slot.config,
                    );
                }
            }
        }
        let mut recipients = recipients.to_vec();
        recipients.sort();
        recipients.dedup();
        Earlier {
            configs,
            recipients,
            identities: None,
        }
    }

    /// The earlier ciphertext of a config, if it holds exactly `plain` for
    /// exactly the same recipients.
    fn ciphertext(&mut self, slot: &ConfigSlot, plain: &Value) -> Option<Value> {
        let key = (slot.kind, slot.name.to_string(), slot.pointer.clone());
        let earlier = *self.configs.get(&key)?;
        if !same_recipients(earlier, &self.recipients) {
            return None;
        }
        let identities = self
            .identities
            .get_or_insert_with(|| Identities::discover().ok().filter(|i| !i.is_empty()))
            .as_ref()?;
        let opened = decrypt(earlier, identities, &DecryptOptions::default()).ok()?;
        // Key order included (`Value`'s `==` ignores it): it is part of
        // what is written.
        let text = |v: &Value| serde_json::to_string(v).ok();
        (text(&opened) == text(plain)).then(|| earlier.clone())
    }
}

/// Whether an encrypted config is encrypted to exactly `recipients`
/// (sorted), with Estuary's `_sops` suffix rule.
fn same_recipients(config: &Value, recipients: &[String]) -> bool {
    let sops = &config["sops"];
    if sops["encrypted_suffix"] != Value::String(super::rule::ESTUARY_SUFFIX.to_string()) {
        return false;
    }
    let Some(age) = sops["age"].as_array() else {
        return false;
    };
    let mut found: Vec<String> = age
        .iter()
        .filter_map(|a| a["recipient"].as_str().map(str::to_string))
        .collect();
    found.sort();
    found.dedup();
    found == recipients
}

/// Decrypts every sops-encrypted config of `catalog` in place, keeping the
/// `_sops` suffixes (so writing the catalog encrypts them again); returns how
/// many were decrypted. Each config that fails is reported with its scope
/// and the sops error's code, and then nothing is changed.
///
/// ```
/// use flowspec::{build::CaptureBuilder, secrets::{open, seal, secret, Identities, Identity, SealOptions}, Catalog};
/// use serde_json::json;
/// let identity = Identity::generate();
/// let mut catalog = Catalog::default();
/// catalog.add(CaptureBuilder::new("acmeCo/source").connector("ghcr.io/estuary/source-stripe-native:dev",
///     json!({"token": secret("sk_live_123")})))?;
/// let options = SealOptions { recipients: vec![identity.recipient().to_string()], ..Default::default() };
/// let mut sealed = seal(&catalog, "flow.yaml".as_ref(), &options)?.into_owned();
///
/// assert_eq!(open(&mut sealed, &Identities::from(identity))?, 1);
/// assert_eq!(sealed.captures["acmeCo/source"].endpoint.config(), &json!({"token_sops": "sk_live_123"}));
///
/// let err = open(&mut seal(&catalog, "flow.yaml".as_ref(), &options)?.into_owned(), &Identities::from(Identity::generate())).unwrap_err();
/// assert_eq!(err.diagnostics()[0].code, "sops_no_matching_identity");
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn open(catalog: &mut Catalog, identities: &Identities) -> Result<usize> {
    let mut opened = HashMap::new();
    let mut problems = Vec::new();
    for slot in slots(catalog) {
        if ConfigSecrets::of(slot.config) != ConfigSecrets::Encrypted {
            continue;
        }
        match decrypt(slot.config, identities, &DecryptOptions::default()) {
            Ok(plain) => {
                opened.insert((slot.kind, slot.name.to_string(), slot.pointer), plain);
            }
            Err(err) => problems.push(slot.problem(catalog, err.code(), &err)),
        }
    }
    if !problems.is_empty() {
        return Err(Error::CatalogSecrets(problems));
    }
    let count = opened.len();
    replace_configs(catalog, opened);
    Ok(count)
}

#[cfg(test)]
mod tests;
