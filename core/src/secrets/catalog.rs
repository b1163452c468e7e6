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

use super::marker::{markers_in, resolve_markers, ConfigSecrets};
use super::{decrypt, encrypt, DecryptOptions, EncryptOptions, Identities};
use crate::{Catalog, Diagnostic, Error, Kind, Result};

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
struct Slot<'a> {
    kind: Kind,
    name: &'a str,
    pointer: &'static str,
    config: &'a Value,
}

fn slots(catalog: &Catalog) -> Vec<Slot<'_>> {
    use crate::{CaptureEndpoint as C, DeriveUsing as D, MaterializationEndpoint as M};
    let mut out = Vec::new();
    for (name, def) in &catalog.captures {
        let (pointer, config) = match &def.endpoint {
            C::Connector(c) => ("/endpoint/connector/config", &c.config),
            C::Local(l) => ("/endpoint/local/config", &l.config),
        };
        out.push(Slot {
            kind: Kind::Capture,
            name,
            pointer,
            config,
        });
    }
    for (name, def) in &catalog.collections {
        let (pointer, config) = match def.derive.as_ref().map(|d| &d.using) {
            Some(D::Connector(c)) => ("/derive/using/connector/config", &c.config),
            Some(D::Local(l)) => ("/derive/using/local/config", &l.config),
            _ => continue,
        };
        out.push(Slot {
            kind: Kind::Collection,
            name,
            pointer,
            config,
        });
    }
    for (name, def) in &catalog.materializations {
        let (pointer, config) = match &def.endpoint {
            M::Connector(c) => ("/endpoint/connector/config", &c.config),
            M::Local(l) => ("/endpoint/local/config", &l.config),
            M::Dekaf(d) => ("/endpoint/dekaf/config", &d.config),
        };
        out.push(Slot {
            kind: Kind::Materialization,
            name,
            pointer,
            config,
        });
    }
    out
}

/// The config of a spec, mutably.
fn config_mut<'a>(catalog: &'a mut Catalog, kind: Kind, name: &str) -> &'a mut Value {
    use crate::{CaptureEndpoint as C, DeriveUsing as D, MaterializationEndpoint as M};
    let missing = "the slot was just found";
    match kind {
        Kind::Capture => match &mut catalog.captures.get_mut(name).expect(missing).endpoint {
            C::Connector(c) => &mut c.config,
            C::Local(l) => &mut l.config,
        },
        Kind::Collection => {
            let derive = catalog
                .collections
                .get_mut(name)
                .expect(missing)
                .derive
                .as_mut();
            match &mut derive.expect(missing).using {
                D::Connector(c) => &mut c.config,
                D::Local(l) => &mut l.config,
                _ => unreachable!("only connector and local derivations have configs"),
            }
        }
        Kind::Materialization => {
            match &mut catalog
                .materializations
                .get_mut(name)
                .expect(missing)
                .endpoint
            {
                M::Connector(c) => &mut c.config,
                M::Local(l) => &mut l.config,
                M::Dekaf(d) => &mut d.config,
            }
        }
        Kind::Test => unreachable!("tests have no configs"),
    }
}

fn what(kind: Kind, name: &str) -> String {
    format!("{} {name}", kind.singular())
}

/// Where the configs of `catalog` hold secrets in plaintext: one diagnostic
/// (code `plaintext_secret`) per config, with its scope.
///
/// ```
/// use flowspec::{build::Capture, secrets::{plaintext_secrets, secret}, Catalog};
/// use serde_json::json;
/// let mut catalog = Catalog::default();
/// catalog.add(Capture::new("acmeCo/source").connector("ghcr.io/estuary/source-stripe-native:dev",
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
                .join_pointer(s.pointer);
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
/// use flowspec::{build::Capture, Catalog};
/// let mut catalog = Catalog::default();
/// catalog.add(Capture::new("acmeCo/source").connector("ghcr.io/estuary/source-x:v1",
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
                .join_pointer(s.pointer);
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
/// use flowspec::{build::Capture, secrets::{seal, secret, Identity, SealOptions}, Catalog};
/// use serde_json::json;
/// let mut catalog = Catalog::default();
/// catalog.add(Capture::new("acmeCo/source").connector("ghcr.io/estuary/source-stripe-native:dev",
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
    let mut plaintext = Vec::new();
    let mut problems = Vec::new();
    for slot in slots(catalog) {
        match ConfigSecrets::of(slot.config) {
            ConfigSecrets::None => {}
            ConfigSecrets::Plaintext => {
                plaintext.push((slot.kind, slot.name.to_string(), slot.pointer))
            }
            ConfigSecrets::Encrypted => {
                let mut found = Vec::new();
                markers_in(slot.config, &mut String::new(), &mut found);
                let scope = catalog
                    .origins
                    .scope(slot.kind, slot.name)
                    .join_pointer(slot.pointer);
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

    let mut sealed = catalog.clone();
    for (kind, name, pointer) in &plaintext {
        let config = config_mut(&mut sealed, *kind, name);
        if let Err(message) = resolve_markers(config) {
            let scope = catalog.origins.scope(*kind, name).join_pointer(pointer);
            problems.push(scope.diagnostic(
                crate::codes::INVALID_SECRET,
                format!("{}: {message}", what(*kind, name)),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Error::CatalogSecrets(problems));
    }
    if options.plaintext {
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
    for (kind, name, pointer) in &plaintext {
        let config = config_mut(&mut sealed, *kind, name);
        match encrypt(config, &encrypt_options) {
            Ok(encrypted) => *config = encrypted,
            Err(err) => {
                let scope = catalog.origins.scope(*kind, name).join_pointer(pointer);
                problems
                    .push(scope.diagnostic(err.code(), format!("{}: {err}", what(*kind, name))));
            }
        }
    }
    if problems.is_empty() {
        Ok(Cow::Owned(sealed))
    } else {
        Err(Error::CatalogSecrets(problems))
    }
}

/// Decrypts every sops-encrypted config of `catalog` in place, keeping the
/// `_sops` suffixes (so writing the catalog encrypts them again); returns how
/// many were decrypted. Each config that fails is reported with its scope
/// and the sops error's code, and then nothing is changed.
///
/// ```
/// use flowspec::{build::Capture, secrets::{open, seal, secret, Identities, Identity, SealOptions}, Catalog};
/// use serde_json::json;
/// let identity = Identity::generate();
/// let mut catalog = Catalog::default();
/// catalog.add(Capture::new("acmeCo/source").connector("ghcr.io/estuary/source-stripe-native:dev",
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
    let mut opened = Vec::new();
    let mut problems = Vec::new();
    for slot in slots(catalog) {
        if ConfigSecrets::of(slot.config) != ConfigSecrets::Encrypted {
            continue;
        }
        match decrypt(slot.config, identities, &DecryptOptions::default()) {
            Ok(plain) => opened.push((slot.kind, slot.name.to_string(), plain)),
            Err(err) => {
                let scope = catalog
                    .origins
                    .scope(slot.kind, slot.name)
                    .join_pointer(slot.pointer);
                problems.push(
                    scope.diagnostic(err.code(), format!("{}: {err}", what(slot.kind, slot.name))),
                );
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::CatalogSecrets(problems));
    }
    let count = opened.len();
    for (kind, name, plain) in opened {
        *config_mut(catalog, kind, &name) = plain;
    }
    Ok(count)
}

#[cfg(test)]
mod tests;
