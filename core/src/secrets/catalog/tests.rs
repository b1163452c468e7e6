use serde_json::{json, Value};

use super::*;
use crate::build::{CaptureBuilder, CollectionBuilder, DerivationBuilder, MaterializationBuilder};
use crate::secrets::testing::RealSops;
use crate::secrets::{parse_document, secret, Identity};
use crate::write::{Layout, WriteOptions};
use crate::Format;

const TOKEN: &str = "sk_live_51HxTopSecretValue";
const PEM: &str =
    "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";

fn catalog() -> Catalog {
    let mut catalog = Catalog::default();
    catalog
        .add(
            CaptureBuilder::new("acmeCo/source-stripe")
                .connector(
                    "ghcr.io/estuary/source-stripe-native:dev",
                    json!({"credentials": {"credentials_title": "Private App Credentials", "access_token": secret(TOKEN)}}),
                )
                .binding(json!({"stream": "charges"}), "acmeCo/charges"),
        )
        .unwrap()
        .add(
            CollectionBuilder::new("acmeCo/charges")
                .schema(json!({"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}))
                .key(["/id"]),
        )
        .unwrap()
        .add(
            MaterializationBuilder::new("acmeCo/snowflake")
                .connector(
                    "ghcr.io/estuary/materialize-snowflake:dev",
                    json!({"host": "acme.snowflakecomputing.com", "credentials": {"auth_type": "jwt", "privateKey_sops": PEM}}),
                )
                .binding(json!({"table": "charges"}), "acmeCo/charges"),
        )
        .unwrap();
    catalog
}

fn recipients(identity: &Identity) -> WriteOptions {
    WriteOptions {
        recipients: vec![identity.recipient().to_string()],
        ..Default::default()
    }
}

/// `catalog` sealed for `identity`.
fn sealed(catalog: &Catalog, identity: &Identity) -> Catalog {
    let options = SealOptions {
        recipients: vec![identity.recipient().into()],
        plaintext: false,
    };
    seal(catalog, "flow.yaml".as_ref(), &options)
        .unwrap()
        .into_owned()
}

fn files_under(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(std::fs::read_to_string(&path).unwrap());
        }
    }
    out
}

/// A sealed config without its `sops` metadata, each encrypted value written
/// `ENC`: what a reader of the file sees.
fn sealed_shape(config: &Value) -> Value {
    match config {
        Value::Object(map) => map
            .iter()
            .filter(|(key, _)| key.as_str() != "sops")
            .map(|(key, value)| (key.clone(), sealed_shape(value)))
            .collect(),
        Value::Array(items) => items.iter().map(sealed_shape).collect(),
        Value::String(s) if s.starts_with("ENC[AES256_GCM,data:") => json!("ENC"),
        other => other.clone(),
    }
}

/// The configs of `catalog()`, with markers become `_sops` keys.
fn plaintext_configs() -> [Value; 2] {
    [
        json!({"credentials": {"credentials_title": "Private App Credentials", "access_token_sops": TOKEN}}),
        json!({"host": "acme.snowflakecomputing.com", "credentials": {"auth_type": "jwt", "privateKey_sops": PEM}}),
    ]
}

fn configs_of(catalog: &Catalog) -> [Value; 2] {
    [
        catalog.captures["acmeCo/source-stripe"]
            .endpoint
            .config()
            .clone(),
        catalog.materializations["acmeCo/snowflake"]
            .endpoint
            .config()
            .clone(),
    ]
}

/// Each config of a written flow.yaml is a sops document of its own, with
/// only its `_sops` values encrypted, which Estuary decrypts with `sops
/// --decrypt` on its JSON: the real sops opens it so, as flowspec does.
#[test]
fn written_secrets_are_encrypted_and_open_with_the_real_sops_and_flowspec() {
    let sops = RealSops::new();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("flow.yaml");
    catalog()
        .write_with(&target, &recipients(&sops.identity))
        .unwrap();
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(!text.contains(TOKEN) && !text.contains("MIIEvQ"), "{text}");

    let mut loaded = Catalog::load(target.to_str().unwrap()).unwrap();
    loaded.validate().unwrap();
    let sealed = configs_of(&loaded);
    assert_eq!(
        sealed.each_ref().map(sealed_shape),
        [
            json!({"credentials": {"credentials_title": "Private App Credentials", "access_token_sops": "ENC"}}),
            json!({"host": "acme.snowflakecomputing.com", "credentials": {"auth_type": "jwt", "privateKey_sops": "ENC"}}),
        ]
    );
    for config in &sealed {
        assert_eq!(config["sops"]["encrypted_suffix"], "_sops");
        assert_eq!(config["sops"]["age"][0]["recipient"], sops.recipient());
    }
    let plain = plaintext_configs();
    for (config, plain) in sealed.iter().zip(&plain) {
        assert_eq!(sops.open(config, Format::Json).as_ref(), Ok(plain));
    }

    assert_eq!(open(&mut loaded, &sops.identities()).unwrap(), 2);
    assert_eq!(configs_of(&loaded), plain);
}

#[test]
fn encrypted_configs_pass_through_untouched() {
    let identity = Identity::generate();
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.yaml");
    catalog()
        .write_with(&first, &recipients(&identity))
        .unwrap();
    let loaded = Catalog::load(first.to_str().unwrap()).unwrap();

    // No recipients are needed to write it again, and the sealed configs are
    // byte-identical.
    let second = dir.path().join("second.yaml");
    loaded.write(&second, Layout::Flat).unwrap();
    let reloaded = Catalog::load(second.to_str().unwrap()).unwrap();
    assert_eq!(reloaded, loaded);
}

#[test]
fn plaintext_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("flow.yaml");
    let options = WriteOptions {
        plaintext_secrets: true,
        ..Default::default()
    };
    catalog().write_with(&target, &options).unwrap();
    let loaded = Catalog::load(target.to_str().unwrap()).unwrap();
    assert_eq!(configs_of(&loaded), plaintext_configs());
}

/// The split layout writes each config to a YAML file of its own: a sops
/// file the real sops opens.
#[test]
fn split_layout_writes_the_encrypted_config_files() {
    let sops = RealSops::new();
    let dir = tempfile::tempdir().unwrap();
    let options = WriteOptions {
        layout: Layout::Canonical,
        ..recipients(&sops.identity)
    };
    let written = catalog()
        .write_with(dir.path().join("flow.yaml"), &options)
        .unwrap();
    let mut files: Vec<String> = written
        .files
        .iter()
        .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "acmeCo/flow.yaml",
            "acmeCo/snowflake.config.yaml",
            "acmeCo/source-stripe.config.yaml",
            "flow.yaml"
        ]
    );
    for text in files_under(dir.path()) {
        assert!(!text.contains(TOKEN) && !text.contains("MIIEvQ"), "{text}");
    }
    let plain = plaintext_configs();
    for (file, plain) in [
        "acmeCo/source-stripe.config.yaml",
        "acmeCo/snowflake.config.yaml",
    ]
    .iter()
    .zip(&plain)
    {
        let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
        let opened = sops.decrypt(&text, Format::Yaml, Format::Json).unwrap();
        assert_eq!(
            &parse_document(&opened, Format::Json).unwrap(),
            plain,
            "{file}"
        );
    }

    let mut loaded = Catalog::load(dir.path().join("flow.yaml").to_str().unwrap()).unwrap();
    assert_eq!(open(&mut loaded, &sops.identities()).unwrap(), 2);
    assert_eq!(configs_of(&loaded), plain);
}

#[test]
fn derivation_connector_configs_are_sealed() {
    let identity = Identity::generate();
    let mut catalog = catalog();
    catalog
        .add(
            CollectionBuilder::new("acmeCo/enriched")
                .schema(json!({"type": "object"}))
                .key(["/id"])
                .derive(DerivationBuilder::connector(
                    "ghcr.io/acme/derive-enrich:v1",
                    json!({"api_key": secret("k-123")}),
                )),
        )
        .unwrap();
    let sealed = seal(
        &catalog,
        "flow.yaml".as_ref(),
        &SealOptions {
            recipients: vec![identity.recipient().into()],
            plaintext: false,
        },
    )
    .unwrap();
    let using = &sealed.collections["acmeCo/enriched"]
        .derive
        .as_ref()
        .unwrap()
        .using;
    let crate::DeriveUsing::Connector(c) = using else {
        panic!("{using:?}")
    };
    assert_eq!(sealed_shape(&c.config), json!({"api_key_sops": "ENC"}));
    let opened = decrypt(
        &c.config,
        &Identities::from(identity),
        &DecryptOptions::default(),
    )
    .unwrap();
    assert_eq!(opened, json!({"api_key_sops": "k-123"}));
}

#[test]
fn a_secret_added_to_an_encrypted_config_is_refused() {
    let identity = Identity::generate();
    let mut sealed = sealed(&catalog(), &identity);
    let config = sealed
        .captures
        .get_mut("acmeCo/source-stripe")
        .unwrap()
        .endpoint
        .config_mut();
    config["extra"] = json!({"$secret": "new"});
    let err = seal(&sealed, "flow.yaml".as_ref(), &SealOptions::default()).unwrap_err();
    assert_eq!(err.diagnostics()[0].code, "secret_in_encrypted_config");
    assert_eq!(
        err.diagnostics()[0].scope,
        "flow://catalog#/captures/acmeCo~1source-stripe/endpoint/connector/config/extra"
    );
}

#[test]
fn a_misplaced_marker_is_reported_with_its_place() {
    let mut catalog = Catalog::default();
    catalog
        .add(CaptureBuilder::new("acmeCo/source").connector(
            "ghcr.io/estuary/source-x:v1",
            json!({"keys": [secret("a")]}),
        ))
        .unwrap();
    let err = seal(
        &catalog,
        "flow.yaml".as_ref(),
        &SealOptions {
            plaintext: true,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.diagnostics()[0].code, "invalid_secret");
    assert_eq!(
        err.diagnostics()[0].message,
        "capture acmeCo/source: /keys/0: a secret must be the value of an object property, not an array item"
    );
}

#[test]
fn a_tampered_config_fails_to_open_and_changes_nothing() {
    let identity = Identity::generate();
    let mut sealed = sealed(&catalog(), &identity);
    let config = sealed
        .materializations
        .get_mut("acmeCo/snowflake")
        .unwrap()
        .endpoint
        .config_mut();
    config["host"] = json!("evil.example.com");
    let before = sealed.clone();
    let err = open(&mut sealed, &Identities::from(identity)).unwrap_err();
    assert_eq!(err.diagnostics().len(), 1);
    assert_eq!(err.diagnostics()[0].code, "sops_mac_mismatch");
    assert_eq!(
        err.diagnostics()[0].scope,
        "flow://catalog#/materializations/acmeCo~1snowflake/endpoint/connector/config"
    );
    assert_eq!(sealed, before);
    assert!(crate::secrets::is_encrypted(
        sealed.captures["acmeCo/source-stripe"].endpoint.config()
    ));
}

#[test]
fn debug_output_never_shows_a_secret() {
    let shown = format!("{:?}", catalog());
    assert!(
        !shown.contains(TOKEN) && !shown.contains("MIIEvQ"),
        "{shown}"
    );
    for config in [
        r#"config: Object {"credentials": Object {"credentials_title": String("Private App Credentials"), "access_token": String("<redacted>")}}"#,
        r#"config: Object {"host": String("acme.snowflakecomputing.com"), "credentials": Object {"auth_type": String("jwt"), "privateKey_sops": String("<redacted>")}}"#,
    ] {
        assert!(shown.contains(config), "{shown}");
    }
}

/// A marker in every slot sops sealing does not cover.
fn misplaced() -> Catalog {
    serde_json::from_value(json!({
        "captures": {"acmeCo/source": {
            "endpoint": {"connector": {"image": "ghcr.io/estuary/source-x:v1", "config": {}}},
            "bindings": [{"resource": {"table": "t", "password": secret("in-resource")}, "target": "acmeCo/t"}],
        }},
        "collections": {
            "acmeCo/t": {
                "schema": {"type": "object", "properties": {"id": {"type": "string", "default": secret("in-schema")}}},
                "key": ["/id"],
            },
            "acmeCo/d": {
                "schema": {"type": "object"}, "key": ["/id"],
                "derive": {
                    "using": {"sqlite": {"migrations": [secret("in-migration")]}},
                    "transforms": [{"name": "fromT", "source": "acmeCo/t", "shuffle": "any", "lambda": secret("in-lambda")}],
                },
            },
        },
        "tests": {"acmeCo/test": {"steps": [
            {"ingest": {"collection": "acmeCo/t", "documents": [{"id": "1", "token": secret("in-document")}]}},
        ]}},
    }))
    .unwrap()
}

#[test]
fn a_secret_outside_a_config_is_refused_at_its_place_and_never_written() {
    let catalog = misplaced();
    let expected = [
        "flow://catalog#/captures/acmeCo~1source/bindings/0/resource/password",
        "flow://catalog#/collections/acmeCo~1d/derive/transforms/0/lambda",
        "flow://catalog#/collections/acmeCo~1d/derive/using/sqlite/migrations/0",
        "flow://catalog#/collections/acmeCo~1t/schema/properties/id/default",
        "flow://catalog#/tests/acmeCo~1test/steps/0/ingest/documents/0/token",
    ];
    let scopes = |d: &[Diagnostic]| {
        let mut s: Vec<String> = d
            .iter()
            .filter(|d| d.code == "invalid_secret")
            .map(|d| d.scope.clone())
            .collect();
        s.sort();
        s
    };
    // Validation reports each one.
    let err = catalog.validate().unwrap_err();
    assert_eq!(scopes(err.diagnostics()), expected);
    // Writing and rendering refuse, even with plaintext secrets allowed.
    let dir = tempfile::tempdir().unwrap();
    let plain = WriteOptions {
        plaintext_secrets: true,
        ..Default::default()
    };
    let err = catalog
        .write_with(dir.path().join("flow.yaml"), &plain)
        .unwrap_err();
    assert_eq!(err.code(), "catalog_secrets");
    assert_eq!(scopes(err.diagnostics()), expected);
    assert!(files_under(dir.path()).is_empty(), "nothing is written");
    let err = catalog.to_yaml().unwrap_err();
    assert_eq!(scopes(err.diagnostics()), expected);
    let move_it = "would be written in plaintext: only the endpoint config of a capture or \
                   materialization, and the config of a derivation connector, are encrypted; \
                   move the secret into the config";
    assert_eq!(
        err.to_string(),
        format!(
            "cannot seal or open the catalog's secrets: 5 problems\n  \
             {}: capture acmeCo/source: a secret in a binding resource {move_it}\n  \
             {}: collection acmeCo/d: a secret in a SQLite migration {move_it}\n  \
             {}: collection acmeCo/d: a secret in a lambda {move_it}\n  \
             {}: collection acmeCo/t: a secret in a schema {move_it}\n  \
             {}: test acmeCo/test: a secret in a test document {move_it}",
            expected[0], expected[2], expected[1], expected[3], expected[4]
        )
    );
}
