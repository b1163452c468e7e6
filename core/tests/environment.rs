//! What the secrets engine reads from the process environment, as sops does:
//! `SOPS_AGE_RECIPIENTS`, `SOPS_CONFIG` and `.sops.yaml` when encrypting, and
//! the identities (`SOPS_AGE_KEY`, …) when a write compares secrets with the
//! ones it wrote before.
//!
//! These tests change the environment of their process, so they live in a
//! test binary of their own, where no other test reads it; each one holds
//! [`Environment`] (one lock) while it runs, with every `SOPS_*` variable of
//! the machine cleared and the user's config directory pointing at an empty
//! folder. (Identity discovery takes its environment as an argument,
//! `Identities::discover_in`, and is tested with the engine.)

use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use serde_json::{json, Value};

use flowspec::secrets::{
    open, secret, EncryptOptions, EncryptionRule, Identities, Identity, SopsConfig, CONFIG_ENV,
    KEY_ENV, RECIPIENTS_ENV,
};
use flowspec::write::{Layout, WriteOptions};
use flowspec::Catalog;

static LOCK: Mutex<()> = Mutex::new(());

/// Holds the lock of the process environment; clears the sops variables on
/// creation (pointing `HOME` and `XDG_CONFIG_HOME` at an empty folder) and
/// restores everything on drop.
struct Environment {
    saved: Vec<(OsString, Option<OsString>)>,
    _home: tempfile::TempDir,
    _lock: MutexGuard<'static, ()>,
}

impl Environment {
    fn new() -> Self {
        let lock = LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let home = tempfile::tempdir().unwrap();
        let mut names: Vec<OsString> = std::env::vars_os()
            .map(|(name, _)| name)
            .filter(|name| name.to_string_lossy().starts_with("SOPS_"))
            .collect();
        names.extend(["HOME", "XDG_CONFIG_HOME", "APPDATA"].map(OsString::from));
        let saved = names
            .into_iter()
            .map(|name| {
                let value = std::env::var_os(&name);
                std::env::remove_var(&name);
                (name, value)
            })
            .collect();
        std::env::set_var("HOME", home.path());
        std::env::set_var("XDG_CONFIG_HOME", home.path().join(".config"));
        Environment {
            saved,
            _home: home,
            _lock: lock,
        }
    }

    fn set(&self, name: &str, value: impl AsRef<OsStr>) {
        std::env::set_var(name, value);
    }

    fn remove(&self, name: &str) {
        std::env::remove_var(name);
    }
}

impl Drop for Environment {
    fn drop(&mut self) {
        for (name, value) in &self.saved {
            match value {
                Some(value) => std::env::set_var(name, value),
                None => std::env::remove_var(name),
            }
        }
    }
}

const TOKEN: &str = "sk_live_51HxTopSecretValue";
const KEY: &str =
    "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";

/// A capture whose token is marked secret and a materialization with a
/// `_sops` key, as a catalog file would hold them.
fn catalog(token: &str) -> Catalog {
    serde_json::from_value(json!({
        "captures": {"acmeCo/source-stripe": {
            "endpoint": {"connector": {
                "image": "ghcr.io/estuary/source-stripe-native:dev",
                "config": {"credentials": {"title": "Private App", "access_token": secret(token)}},
            }},
            "bindings": [{"resource": {"stream": "charges"}, "target": "acmeCo/charges"}],
        }},
        "collections": {"acmeCo/charges": {
            "schema": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
            "key": ["/id"],
        }},
        "materializations": {"acmeCo/snowflake": {
            "endpoint": {"connector": {
                "image": "ghcr.io/estuary/materialize-snowflake:dev",
                "config": {"host": "acme.snowflakecomputing.com", "credentials": {"privateKey_sops": KEY}},
            }},
            "bindings": [{"resource": {"table": "charges"}, "source": "acmeCo/charges"}],
        }},
    }))
    .unwrap()
}

fn to(recipients: &[&Identity]) -> WriteOptions {
    WriteOptions {
        recipients: recipients
            .iter()
            .map(|i| i.recipient().to_string())
            .collect(),
        ..Default::default()
    }
}

/// The recipients each config of a written catalog is encrypted to, in order.
fn recipients_of(target: &Path) -> Vec<Vec<String>> {
    let loaded = Catalog::load(target.to_str().unwrap()).unwrap();
    let configs = [
        loaded.captures["acmeCo/source-stripe"].endpoint.config(),
        loaded.materializations["acmeCo/snowflake"]
            .endpoint
            .config(),
    ];
    configs
        .iter()
        .map(|config| {
            config["sops"]["age"]
                .as_array()
                .unwrap()
                .iter()
                .map(|entry| entry["recipient"].as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

/// The plaintext configs of a written catalog, opened with `identity`.
fn opened(target: &Path, identity: &Identity) -> [Value; 2] {
    let mut loaded = Catalog::load(target.to_str().unwrap()).unwrap();
    assert_eq!(
        open(&mut loaded, &Identities::from(identity.clone())).unwrap(),
        2
    );
    [
        loaded.captures["acmeCo/source-stripe"]
            .endpoint
            .config()
            .clone(),
        loaded.materializations["acmeCo/snowflake"]
            .endpoint
            .config()
            .clone(),
    ]
}

const NO_RECIPIENTS: &str = "the config holds secrets in plaintext and no age recipients are \
    configured: pass recipients, set SOPS_AGE_RECIPIENTS, or add an `age` creation rule to \
    .sops.yaml (or ask for plaintext secrets explicitly)";

#[test]
fn without_recipients_nothing_is_written_and_every_config_is_named() {
    let _env = Environment::new();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out/flow.yaml");
    let err = catalog(TOKEN).write(&target, Layout::Flat).unwrap_err();
    assert_eq!(err.code(), "catalog_secrets");
    let found: Vec<_> = err
        .diagnostics()
        .iter()
        .map(|d| (d.scope.as_str(), d.code.as_str(), &d.message))
        .collect();
    assert_eq!(
        found,
        [
            (
                "flow://catalog#/captures/acmeCo~1source-stripe/endpoint/connector/config",
                "plaintext_secret",
                &format!("capture acmeCo/source-stripe: {NO_RECIPIENTS}")
            ),
            (
                "flow://catalog#/materializations/acmeCo~1snowflake/endpoint/connector/config",
                "plaintext_secret",
                &format!("materialization acmeCo/snowflake: {NO_RECIPIENTS}")
            ),
        ]
    );
    let message = err.to_string();
    assert!(
        !message.contains(TOKEN) && !message.contains("MIIEvQ"),
        "{message}"
    );
    assert!(!dir.path().join("out").exists(), "nothing is written");
}

#[test]
fn recipients_come_from_the_environment_then_the_sops_config() {
    let env = Environment::new();
    let (alice, bob, carol) = (
        Identity::generate(),
        Identity::generate(),
        Identity::generate(),
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".sops.yaml"),
        format!(
            "creation_rules:\n  - path_regex: flow\\.yaml$\n    age: {}\n",
            alice.recipient()
        ),
    )
    .unwrap();
    let target = dir.path().join("flow.yaml");
    let expected = [
        json!({"credentials": {"title": "Private App", "access_token_sops": TOKEN}}),
        json!({"host": "acme.snowflakecomputing.com", "credentials": {"privateKey_sops": KEY}}),
    ];

    // The creation rule of the .sops.yaml beside the target.
    catalog(TOKEN).write(&target, Layout::Flat).unwrap();
    assert_eq!(
        recipients_of(&target),
        [[alice.recipient()], [alice.recipient()]]
    );
    assert_eq!(opened(&target, &alice), expected);

    // SOPS_AGE_RECIPIENTS beats it.
    env.set(
        RECIPIENTS_ENV,
        format!("{}, {}", bob.recipient(), carol.recipient()),
    );
    catalog(TOKEN).write(&target, Layout::Flat).unwrap();
    let both = vec![bob.recipient().to_string(), carol.recipient().to_string()];
    assert_eq!(recipients_of(&target), [both.clone(), both]);
    assert_eq!(opened(&target, &carol), expected);

    // Recipients given to the write beat both.
    let written = catalog(TOKEN).write_with(&target, &to(&[&carol])).unwrap();
    assert_eq!(written.files, std::slice::from_ref(&target));
    assert_eq!(
        recipients_of(&target),
        [[carol.recipient()], [carol.recipient()]]
    );
}

#[test]
fn sops_yaml_lookup_and_overrides() {
    let env = Environment::new();
    let root = tempfile::tempdir().unwrap();
    let repo = root.path().join("repo");
    let nested = repo.join("a").join("b").join("c");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::write(
        repo.join(".sops.yaml"),
        "creation_rules:\n\
         \x20 - path_regex: a/b/c/.*\\.json$\n\
         \x20   age: age1first\n\
         \x20   encrypted_suffix: _sops\n\
         \x20   mac_only_encrypted: true\n\
         \x20 - age: [age1second]\n",
    )
    .unwrap();
    let other = root.path().join("elsewhere.yaml");
    std::fs::write(&other, "creation_rules:\n  - age: age1override\n").unwrap();

    assert_eq!(SopsConfig::find(&nested), Some(repo.join(".sops.yaml")));
    let resolved = EncryptOptions::new()
        .resolve(&nested.join("x.json"), &nested)
        .unwrap();
    assert_eq!(
        resolved,
        EncryptOptions::new()
            .recipient("age1first")
            .rule(EncryptionRule::estuary())
            .mac_only_encrypted(true)
    );
    // First match wins: a YAML file falls through to the catch-all rule.
    let resolved = EncryptOptions::new()
        .resolve(&nested.join("x.yaml"), &nested)
        .unwrap();
    assert_eq!(resolved, EncryptOptions::new().recipient("age1second"));
    // Explicit options win.
    let explicit = EncryptOptions::new()
        .recipient("age1explicit")
        .rule(EncryptionRule::default());
    let resolved = explicit.resolve(&nested.join("x.json"), &nested).unwrap();
    assert_eq!(resolved.recipients, ["age1explicit"]);
    assert_eq!(resolved.rule, Some(EncryptionRule::default()));
    // SOPS_AGE_RECIPIENTS beats the config.
    env.set(RECIPIENTS_ENV, " age1env1 , age1env2 ");
    let resolved = EncryptOptions::new()
        .resolve(&nested.join("x.json"), &nested)
        .unwrap();
    assert_eq!(resolved.recipients, ["age1env1", "age1env2"]);
    env.remove(RECIPIENTS_ENV);
    // SOPS_CONFIG replaces the search.
    env.set(CONFIG_ENV, &other);
    assert_eq!(SopsConfig::find(&nested), Some(other.clone()));
    let resolved = EncryptOptions::new()
        .resolve(&nested.join("x.json"), &nested)
        .unwrap();
    assert_eq!(resolved.recipients, ["age1override"]);
    env.remove(CONFIG_ENV);
    // No config anywhere above.
    assert_eq!(SopsConfig::find(root.path()), None);
}

#[test]
fn writing_the_same_secrets_again_keeps_their_ciphertext() {
    let env = Environment::new();
    let identity = Identity::generate();
    env.set(KEY_ENV, identity.to_secret_string().as_str());
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("flow.yaml");
    let options = to(&[&identity]);

    catalog(TOKEN).write_with(&target, &options).unwrap();
    let first = std::fs::read_to_string(&target).unwrap();
    // The same catalog built again: the same bytes, and the file is left
    // alone.
    let written = catalog(TOKEN).write_with(&target, &options).unwrap();
    assert_eq!(written.unchanged, std::slice::from_ref(&target));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), first);
    // Loaded, decrypted (with SOPS_AGE_KEY) and written back: the same bytes
    // too.
    let mut loaded = Catalog::load(target.to_str().unwrap()).unwrap();
    assert_eq!(loaded.decrypt_secrets().unwrap(), 2);
    loaded.write_with(&target, &options).unwrap();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), first);

    // A changed secret is encrypted anew; the other config keeps its
    // ciphertext.
    let value = |text: &str, key: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(key))
            .unwrap()
            .to_string()
    };
    catalog("sk_live_other")
        .write_with(&target, &options)
        .unwrap();
    let second = std::fs::read_to_string(&target).unwrap();
    assert_ne!(
        value(&second, "access_token_sops"),
        value(&first, "access_token_sops")
    );
    assert_eq!(
        value(&second, "privateKey_sops"),
        value(&first, "privateKey_sops")
    );
    assert_eq!(
        opened(&target, &identity)[0],
        json!({"credentials": {"title": "Private App", "access_token_sops": "sk_live_other"}})
    );

    // Other recipients: encrypted anew.
    let other = Identity::generate();
    let both = to(&[&identity, &other]);
    catalog("sk_live_other").write_with(&target, &both).unwrap();
    let third = std::fs::read_to_string(&target).unwrap();
    assert_ne!(
        value(&third, "privateKey_sops"),
        value(&second, "privateKey_sops")
    );

    // Without the key at hand, nothing can be compared: encrypted anew.
    env.set(KEY_ENV, Identity::generate().to_secret_string().as_str());
    catalog("sk_live_other").write_with(&target, &both).unwrap();
    let fourth = std::fs::read_to_string(&target).unwrap();
    assert_ne!(
        value(&fourth, "privateKey_sops"),
        value(&third, "privateKey_sops")
    );
    assert_eq!(
        opened(&target, &other)[1]["credentials"]["privateKey_sops"],
        KEY
    );
}
