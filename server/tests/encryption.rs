//! The config-encryption service over real loopback HTTP: secret leaves
//! get `_sops` and are encrypted to the plane's age key, everything else
//! stays plaintext, and the plane's identity decrypts the answer; bad
//! configs, schemas and bodies get the service's plain-text errors. Also
//! connectors loaded with `Options::connectors`.

use flowspec::secrets::{decrypt, DecryptOptions, Identities};
use flowspec_server::connectors::built_in;
use flowspec_server::{ControlPlane, Options, ServerError};
use serde_json::{json, Value};

/// The endpoint schema of a built-in image.
fn schema(image: &str) -> Value {
    built_in()
        .into_iter()
        .find(|c| c.image == format!("ghcr.io/estuary/{image}"))
        .unwrap()
        .endpoint_spec_schema
}

/// Posts `body` to the service; returns the status, the
/// `Access-Control-Allow-Origin` header and the body text.
async fn post(plane: &ControlPlane, body: Vec<u8>) -> (u16, Option<String>, String) {
    let response = reqwest::Client::new()
        .post(format!(
            "{}v1/encrypt-config",
            plane.endpoints().config_encryption_url
        ))
        .header("Content-Type", "application/json")
        .header("Origin", "http://localhost:3000")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let origin = response
        .headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_string());
    (status, origin, response.text().await.unwrap())
}

/// Encrypts `config` with `schema`; returns the sealed document and what
/// it decrypts to with the plane's identity.
async fn seal(plane: &ControlPlane, config: Value, schema: Value) -> (Value, Value) {
    let body = json!({"config": config, "schema": schema}).to_string();
    let (status, origin, text) = post(plane, body.into_bytes()).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(origin.as_deref(), Some("*"));
    let sealed: Value = serde_json::from_str(&text).unwrap();
    let identities = Identities::from(plane.age_identity().clone());
    let opened = decrypt(&sealed, &identities, &DecryptOptions::default()).unwrap();
    (sealed, opened)
}

fn is_encrypted(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| s.starts_with("ENC[AES256_GCM,data:"))
}

#[tokio::test]
async fn secret_leaves_are_suffixed_and_encrypted_to_the_plane() {
    let plane = ControlPlane::start(Options::ephemeral()).await.unwrap();
    let config = json!({
        "user": "flow_capture",
        "password": "hunter2",
        "database": "app",
        "address": "db.example.com:5432",
        "networkTunnel": {"sshForwarding": {"sshEndpoint": "ssh://u@bastion", "privateKey": "-----BEGIN KEY-----\nabc\n"}},
        "advanced": {"backfill_chunk_size": 1000, "sslmode": "require"}
    });
    let (sealed, opened) = seal(&plane, config, schema("source-postgres")).await;
    // Keys are sorted, the secret leaves suffixed, the rest plaintext.
    let keys: Vec<&str> = sealed
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "address",
            "advanced",
            "database",
            "networkTunnel",
            "password_sops",
            "user",
            "sops"
        ]
    );
    assert!(is_encrypted(&sealed["password_sops"]));
    assert!(is_encrypted(
        &sealed["networkTunnel"]["sshForwarding"]["privateKey_sops"]
    ));
    assert_eq!(
        sealed["networkTunnel"]["sshForwarding"]["sshEndpoint"],
        "ssh://u@bastion"
    );
    assert_eq!(sealed["advanced"]["backfill_chunk_size"], 1000);
    assert_eq!(sealed["sops"]["encrypted_suffix"], "_sops");
    assert_eq!(
        sealed["sops"]["age"][0]["recipient"],
        plane.age_identity().recipient()
    );
    assert!(!sealed.to_string().contains("hunter2"));
    assert_eq!(
        opened,
        json!({
            "address": "db.example.com:5432",
            "advanced": {"backfill_chunk_size": 1000, "sslmode": "require"},
            "database": "app",
            "networkTunnel": {"sshForwarding": {"privateKey_sops": "-----BEGIN KEY-----\nabc\n", "sshEndpoint": "ssh://u@bastion"}},
            "password_sops": "hunter2",
            "user": "flow_capture"
        })
    );
    plane.stop().await;
}

#[tokio::test]
async fn one_of_branches_arrays_refs_and_suffixed_keys() {
    let plane = ControlPlane::start(Options::ephemeral()).await.unwrap();
    // Snowflake's credentials: only the branch that validates counts.
    let (sealed, opened) = seal(
        &plane,
        json!({"host": "acme.snowflakecomputing.com", "database": "db", "schema": "s",
            "credentials": {"auth_type": "jwt", "user": "loader", "privateKey": "pem"}}),
        schema("materialize-snowflake"),
    )
    .await;
    assert!(is_encrypted(&sealed["credentials"]["privateKey_sops"]));
    assert_eq!(sealed["credentials"]["user"], "loader");
    assert_eq!(
        opened["credentials"],
        json!({"auth_type": "jwt", "privateKey_sops": "pem", "user": "loader"})
    );
    let (_, opened) = seal(
        &plane,
        json!({"host": "h", "database": "db", "schema": "s",
            "credentials": {"auth_type": "user_password", "user": "loader", "password": "pw"}}),
        schema("materialize-snowflake"),
    )
    .await;
    assert_eq!(
        opened["credentials"],
        json!({"auth_type": "user_password", "password_sops": "pw", "user": "loader"})
    );

    // Stripe's credentials, through `$ref`s of `oneOf` branches.
    let (sealed, _) = seal(
        &plane,
        json!({"credentials": {"credentials_title": "Private App Credentials", "access_token": "sk_live_x"}}),
        schema("source-stripe-native"),
    )
    .await;
    assert!(is_encrypted(&sealed["credentials"]["access_token_sops"]));
    assert_eq!(
        sealed["credentials"]["credentials_title"],
        "Private App Credentials"
    );

    // Objects in arrays have their secret leaves suffixed; array elements
    // themselves are never renamed.
    let (sealed, opened) = seal(
        &plane,
        json!({"address": "https://example.com/hook", "headers": {"customHeaders": [
            {"name": "Authorization", "value": "Bearer t"}, {"name": "X-Key", "value": "k"}]}}),
        schema("materialize-webhook"),
    )
    .await;
    for i in 0..2 {
        assert!(is_encrypted(
            &sealed["headers"]["customHeaders"][i]["value_sops"]
        ));
    }
    assert_eq!(
        opened["headers"]["customHeaders"][1],
        json!({"name": "X-Key", "value_sops": "k"})
    );
    let tokens = json!({"type": "object", "properties": {
        "tokens": {"type": "array", "items": {"type": "string"}, "secret": true},
        "whole": {"type": "object", "airbyte_secret": true}}});
    let (sealed, _) = seal(
        &plane,
        json!({"tokens": ["a", "b"], "whole": {"x": 1, "y": {"z": true}}}),
        tokens,
    )
    .await;
    assert_eq!(sealed["tokens"], json!(["a", "b"]));
    assert!(is_encrypted(&sealed["whole"]["x_sops"]));
    assert!(is_encrypted(&sealed["whole"]["y"]["z_sops"]));

    // A config that already has `_sops` keys validates as if they were
    // not suffixed, keeps their names, and is not suffixed twice.
    let (sealed, opened) = seal(
        &plane,
        json!({"address": "a:1", "user": "u", "database": "d", "password_sops": "pw",
            "networkTunnel_sops": {"sshForwarding": {"sshEndpoint": "e", "privateKey": "k"}}}),
        schema("source-postgres"),
    )
    .await;
    assert!(is_encrypted(&sealed["password_sops"]));
    assert!(is_encrypted(
        &sealed["networkTunnel_sops"]["sshForwarding"]["sshEndpoint"]
    ));
    assert_eq!(
        opened["networkTunnel_sops"],
        json!({"sshForwarding": {"privateKey_sops": "k", "sshEndpoint": "e"}})
    );
    plane.stop().await;
}

#[tokio::test]
async fn bad_configs_schemas_and_bodies_get_plain_text_errors() {
    let plane = ControlPlane::start(Options::ephemeral()).await.unwrap();
    let ask = |body: Vec<u8>| post(&plane, body);

    // A config that does not validate: the errors as JSON, with the values
    // at secret locations masked.
    let body = json!({"config": {"address": "a", "user": "u", "database": "d", "password": 1234567},
        "schema": schema("source-postgres")});
    let (status, origin, text) = ask(body.to_string().into_bytes()).await;
    assert_eq!((status, origin.as_deref()), (400, Some("*")));
    let errors = text
        .strip_prefix("failed to validate config against schema: ")
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(
        serde_json::from_str::<Value>(errors).unwrap(),
        json!([{"absoluteKeywordLocation": "#/properties/password/type", "detail": "value is not of type \"string\"",
            "instanceLocation": "#/password", "instanceValue": "<redacted>"}])
    );
    assert!(!text.contains("1234567"));
    let body = json!({"config": {"address": 5432, "user": "u", "database": "d", "password": "p"},
        "schema": schema("source-postgres")});
    let (_, _, text) = ask(body.to_string().into_bytes()).await;
    assert_eq!(
        text,
        "failed to validate config against schema: [{\"absoluteKeywordLocation\":\"#/properties/address/type\",\
         \"detail\":\"5432 is not of type \\\"string\\\"\",\"instanceLocation\":\"#/address\",\"instanceValue\":5432}]"
    );
    // Secrets inside a failing object are masked too.
    let body = json!({"config": {"user": "u", "password": "hunter2"}, "schema": schema("source-postgres")});
    let (_, _, text) = ask(body.to_string().into_bytes()).await;
    let errors: Value = serde_json::from_str(
        text.strip_prefix("failed to validate config against schema: ")
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        errors[0],
        json!({"absoluteKeywordLocation": "#/required", "detail": "\"address\" is a required property",
            "instanceLocation": "#", "instanceValue": {"user": "u", "password": "<redacted>"}})
    );
    assert!(!text.contains("hunter2"), "{text}");
    let body = json!({"config": {"host": "h", "database": "d", "schema": "s",
        "credentials": {"auth_type": "jwt", "user": "u", "password": "hunter2"}},
        "schema": schema("materialize-snowflake")});
    let (status, _, text) = ask(body.to_string().into_bytes()).await;
    assert_eq!(status, 400);
    assert!(text.contains("#/credentials"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");

    // A schema that does not build.
    let body = json!({"config": {}, "schema": {"type": 12}});
    let (status, _, text) = ask(body.to_string().into_bytes()).await;
    assert_eq!(status, 400);
    assert!(text.starts_with("failed to build json schema: "), "{text}");

    // A config that is not an object.
    let body = json!({"config": [1], "schema": {}});
    assert_eq!(
        ask(body.to_string().into_bytes()).await,
        (
            400,
            Some("*".into()),
            "failed to encrypt config: the config must be a JSON object".into()
        )
    );

    // Bodies that are not requests.
    let (status, _, text) = ask(b"{nope".to_vec()).await;
    assert_eq!(status, 400);
    assert!(text.starts_with("failed to parse request body: "), "{text}");
    assert_eq!(
        ask(json!({"config": {}}).to_string().into_bytes()).await,
        (
            400,
            Some("*".into()),
            "failed to parse request body: it must be an object with `config` and `schema`".into()
        )
    );
    let (status, _, _) = ask(vec![b' '; 3 * 1024 * 1024]).await;
    assert_eq!(status, 413);

    // The browser's preflight.
    let response = reqwest::Client::new()
        .request(
            reqwest::Method::OPTIONS,
            format!(
                "{}v1/encrypt-config",
                plane.endpoints().config_encryption_url
            ),
        )
        .header("Origin", "http://localhost:3000")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    assert_eq!(
        response.headers()["access-control-allow-methods"],
        "POST, OPTIONS"
    );
    plane.stop().await;
}

#[tokio::test]
async fn the_age_identity_survives_a_restart_with_a_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        db: Some(dir.path().join("cp.db")),
        ..Options::ephemeral()
    };
    let first = ControlPlane::start(options.clone()).await.unwrap();
    let (sealed, _) = seal(
        &first,
        json!({"password": "p"}),
        json!({"properties": {"password": {"secret": true}}}),
    )
    .await;
    let recipient = first.age_identity().recipient().to_string();
    first.stop().await;
    let second = ControlPlane::start(options).await.unwrap();
    assert_eq!(second.age_identity().recipient(), recipient);
    let identities = Identities::from(second.age_identity().clone());
    assert_eq!(
        decrypt(&sealed, &identities, &DecryptOptions::default()).unwrap(),
        json!({"password_sops": "p"})
    );
    // Not in its Debug form.
    assert!(!format!("{:?}", second.age_identity()).contains("AGE-SECRET-KEY"));
    second.stop().await;
}

const CONNECTOR_SPEC: &str = r#"query FetchConnectorEndpointSchema($fullImageName: String!) {
    connectorSpec(fullImageName: $fullImageName) {
        imageTag
        endpointSpecSchema
    }
}
"#;

async fn connector_spec(plane: &ControlPlane, image: &str) -> Value {
    let body = json!({"query": CONNECTOR_SPEC, "variables": {"fullImageName": image},
        "operationName": "FetchConnectorEndpointSchema"});
    reqwest::Client::new()
        .post(format!("{}api/graphql", plane.endpoints().agent_url))
        .bearer_auth(plane.auth_token().to_base64())
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn connectors_load_from_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let thing = json!({"type": "object", "required": ["apiKey"],
        "properties": {"apiKey": {"type": "string", "secret": true}}});
    std::fs::write(
        dir.path().join("thing.json"),
        json!({"image": "ghcr.io/acme/source-thing", "tags": [":v2", ":dev"], "endpointSpecSchema": thing}).to_string(),
    )
    .unwrap();
    // A file may replace a built-in image's tag, and its default.
    std::fs::write(
        dir.path().join("postgres.json"),
        json!({"image": "ghcr.io/estuary/source-postgres", "tags": [":v9"], "endpointSpecSchema": {"type": "object"}}).to_string(),
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a connector").unwrap();
    let options = Options {
        connectors: Some(dir.path().to_path_buf()),
        ..Options::ephemeral()
    };
    let plane = ControlPlane::start(options).await.unwrap();
    assert_eq!(
        connector_spec(&plane, "ghcr.io/acme/source-thing:latest").await,
        json!({"data": {"connectorSpec": {"imageTag": ":v2", "endpointSpecSchema": thing}}})
    );
    let answer = connector_spec(&plane, "ghcr.io/estuary/source-postgres:v3").await;
    assert_eq!(answer["data"]["connectorSpec"]["imageTag"], ":v9");
    let answer = connector_spec(&plane, "ghcr.io/estuary/source-postgres:dev").await;
    assert_eq!(
        answer["data"]["connectorSpec"]["endpointSpecSchema"]["properties"]["password"]["secret"],
        true
    );
    plane.stop().await;

    // A bad file stops the start, naming it.
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"image": "ghcr.io/acme/x:v1", "tags": [":v1"], "endpointSpecSchema": {}}"#,
    )
    .unwrap();
    let options = Options {
        connectors: Some(dir.path().to_path_buf()),
        ..Options::ephemeral()
    };
    let Err(err) = ControlPlane::start(options).await else {
        panic!("a bad connector file is refused");
    };
    assert!(matches!(err, ServerError::Connector(_)));
    assert_eq!(
        err.to_string(),
        format!(
            "connector file {}: `image` must not have a tag: ghcr.io/acme/x:v1",
            bad.display()
        )
    );
    let missing = Options {
        connectors: Some(dir.path().join("missing")),
        ..Options::ephemeral()
    };
    let Err(err) = ControlPlane::start(missing).await else {
        panic!("a missing directory is refused");
    };
    assert!(
        err.to_string()
            .contains("missing: cannot read the directory"),
        "{err}"
    );
}

#[tokio::test]
async fn flowctls_sequence_schema_then_encryption() {
    // flowctl fetches the image's endpoint schema, then sends the config
    // with it (and an Estuary keychain, which a local plane ignores).
    let plane = ControlPlane::start(Options::ephemeral()).await.unwrap();
    let answer = connector_spec(&plane, "ghcr.io/estuary/materialize-bigquery:v1").await;
    let schema = answer["data"]["connectorSpec"]["endpointSpecSchema"].clone();
    let config = json!({"project_id": "p", "region": "US", "dataset": "d", "bucket": "b",
        "credentials_json": "{\"type\": \"service_account\"}"});
    let body = json!({"config": config, "schema": schema,
        "keychain": {"Gcp": "projects/p/locations/global/keyRings/r/cryptoKeys/k"}});
    let (status, _, text) = post(&plane, body.to_string().into_bytes()).await;
    assert_eq!(status, 200, "{text}");
    let sealed: Value = serde_json::from_str(&text).unwrap();
    assert!(is_encrypted(&sealed["credentials_json_sops"]));
    assert_eq!(sealed["sops"]["age"].as_array().unwrap().len(), 1);
    let opened = decrypt(
        &sealed,
        &Identities::from(plane.age_identity().clone()),
        &DecryptOptions::new().strip_encrypted_suffix(true),
    )
    .unwrap();
    assert_eq!(opened, config);
    plane.stop().await;
}
