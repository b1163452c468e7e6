use std::collections::{BTreeSet, HashMap};

use serde_json::{json, Value};

use super::{compare, Action, Change, ChangeKind, Plan};
use crate::client::draft::DraftSpec;
use crate::client::live::LiveSpec;
use crate::secrets::{encrypt, EncryptOptions, Identities, Identity};
use crate::Kind;

const IMAGE: &str = "ghcr.io/estuary/source-postgres:v1";

fn local(name: &str, kind: Kind, model: Value) -> DraftSpec {
    DraftSpec {
        catalog_name: name.into(),
        spec_type: Some(kind),
        spec: Some(model),
        expect_pub_id: None,
    }
}

fn live(name: &str, kind: Kind, model: Value) -> LiveSpec {
    LiveSpec {
        catalog_name: name.into(),
        catalog_type: kind,
        last_pub_id: "0000000000000001".parse().unwrap(),
        updated_at: String::new(),
        data_plane_id: None,
        is_disabled: false,
        model: Some(model),
    }
}

fn capture(config: Value) -> Value {
    json!({
        "endpoint": {"connector": {"image": IMAGE, "config": config}},
        "bindings": [{"resource": {"table": "orders"}, "target": "acmeCo/orders"}],
    })
}

/// The connector's schema marks `password` secret.
fn secrets() -> HashMap<String, Option<BTreeSet<String>>> {
    HashMap::from([(
        IMAGE.to_string(),
        Some(BTreeSet::from(["password".to_string()])),
    )])
}

/// A config as the control plane's service keeps it: `_sops` keys
/// encrypted to `identity`.
fn encrypted(config: Value, identity: &Identity) -> Value {
    let options = EncryptOptions::estuary().recipient(identity.recipient());
    encrypt(&config, &options).unwrap()
}

fn changes(plan: &Plan) -> Vec<String> {
    plan.specs
        .iter()
        .flat_map(|s| s.changes.iter().map(|c| format!("{} {c}", s.catalog_name)))
        .collect()
}

#[test]
fn actions_and_changed_pointers() {
    let schema = json!({"type": "object", "properties": {"id": {"type": "integer"}}});
    let plan = compare(
        &[
            local(
                "acmeCo/new",
                Kind::Collection,
                json!({"schema": schema, "key": ["/id"]}),
            ),
            local(
                "acmeCo/orders",
                Kind::Collection,
                json!({"schema": {"type": "object", "properties": {"id": {"type": "string"}, "n": {"type": "number"}}}, "key": ["/id"]}),
            ),
            local(
                "acmeCo/same",
                Kind::Collection,
                json!({"schema": schema, "key": ["/id"], "x": 1}),
            ),
            DraftSpec {
                catalog_name: "acmeCo/old".into(),
                spec_type: None,
                spec: None,
                expect_pub_id: None,
            },
            DraftSpec {
                catalog_name: "acmeCo/gone".into(),
                spec_type: None,
                spec: None,
                expect_pub_id: None,
            },
        ],
        &[
            live(
                "acmeCo/orders",
                Kind::Collection,
                json!({"schema": schema, "key": ["/id"], "journals": {"fragments": {}}}),
            ),
            // 1 and 1.0 are one number.
            live(
                "acmeCo/same",
                Kind::Collection,
                json!({"key": ["/id"], "schema": schema, "x": 1.0}),
            ),
            live("acmeCo/old", Kind::Materialization, json!({})),
        ],
        &HashMap::new(),
        &Identities::default(),
    );
    let actions: Vec<(&str, Kind, Action)> = plan
        .specs
        .iter()
        .map(|s| (s.catalog_name.as_str(), s.spec_type, s.action))
        .collect();
    assert_eq!(
        actions,
        [
            ("acmeCo/gone", Kind::Collection, Action::Unchanged),
            ("acmeCo/new", Kind::Collection, Action::Create),
            ("acmeCo/old", Kind::Materialization, Action::Delete),
            ("acmeCo/orders", Kind::Collection, Action::Update),
            ("acmeCo/same", Kind::Collection, Action::Unchanged),
        ]
    );
    assert_eq!(
        changes(&plan),
        [
            "acmeCo/orders /journals: removed (was {\"fragments\":{}})",
            "acmeCo/orders /schema/properties/id/type: \"integer\" → \"string\"",
            "acmeCo/orders /schema/properties/n: added {\"type\":\"number\"}",
        ]
    );
    assert_eq!(
        plan.render(),
        "+ collection acmeCo/new\n\
         - materialization acmeCo/old\n\
         ~ collection acmeCo/orders\n    \
         /journals: removed (was {\"fragments\":{}})\n    \
         /schema/properties/id/type: \"integer\" → \"string\"\n    \
         /schema/properties/n: added {\"type\":\"number\"}\n\
         \n\
         Plan: 1 to create, 1 to change, 1 to delete, 2 unchanged.\n"
    );
}

#[test]
fn long_values_are_summarized() {
    let big: serde_json::Map<String, Value> =
        (0..30).map(|i| (format!("p{i}"), json!(i))).collect();
    let text = "x".repeat(200);
    let plan = compare(
        &[local(
            "acmeCo/a",
            Kind::Collection,
            json!({"schema": big, "key": ["/id"], "d": text}),
        )],
        &[live(
            "acmeCo/a",
            Kind::Collection,
            json!({"schema": {}, "key": ["/id"], "d": "y"}),
        )],
        &HashMap::new(),
        &Identities::default(),
    );
    let lines = changes(&plan);
    assert_eq!(lines.len(), 31, "{lines:?}");
    assert_eq!(
        lines[0],
        format!(
            "acmeCo/a /d: \"y\" → {:?}… (200 characters)",
            "x".repeat(60)
        )
    );
    // Machines get the values themselves.
    assert_eq!(plan.specs[0].changes[0].new, Some(json!(text)));
}

#[test]
fn a_config_encrypted_by_the_control_plane_matches_its_plaintext() {
    let plane = Identity::generate();
    let live_config = encrypted(
        json!({"host": "db", "password_sops": "hunter2", "token_sops": "t"}),
        &plane,
    );
    assert!(live_config["password_sops"]
        .as_str()
        .unwrap()
        .starts_with("ENC["));
    let specs = |config: Value| [local("acmeCo/src", Kind::Capture, capture(config))];
    let lives = [live("acmeCo/src", Kind::Capture, capture(live_config))];

    // The secret as a marker resolved (`_sops`), or unmarked but named
    // secret by the connector: unchanged, whatever its value, as the plane's
    // key is not at hand.
    for config in [
        json!({"host": "db", "password_sops": "other", "token_sops": "t"}),
        json!({"host": "db", "password": "hunter2", "token_sops": "t"}),
    ] {
        let plan = compare(&specs(config), &lives, &secrets(), &Identities::default());
        assert!(!plan.has_changes(), "{}", plan.render());
    }

    // Secrets added and removed are named, never shown.
    let plan = compare(
        &specs(json!({"host": "db2", "password": "hunter2", "api_key_sops": "sk_live_1"})),
        &lives,
        &secrets(),
        &Identities::default(),
    );
    assert_eq!(
        changes(&plan),
        [
            "acmeCo/src /endpoint/connector/config/api_key: secret field added",
            "acmeCo/src /endpoint/connector/config/host: \"db\" → \"db2\"",
            "acmeCo/src /endpoint/connector/config/token: secret field removed",
        ]
    );
    let json = serde_json::to_string(&plan).unwrap();
    assert!(
        !json.contains("sk_live_1") && !json.contains("hunter2"),
        "{json}"
    );
    assert_eq!(
        plan.specs[0].changes[0],
        Change {
            ptr: "/endpoint/connector/config/api_key".into(),
            kind: ChangeKind::SecretAdded,
            old: None,
            new: None
        }
    );

    // With the plane's key at hand, a changed value is reported as such.
    let keys = Identities::parse(plane.to_secret_string().as_str()).unwrap();
    let plan = compare(
        &specs(json!({"host": "db", "password_sops": "changed", "token_sops": "t"})),
        &lives,
        &secrets(),
        &keys,
    );
    assert_eq!(
        changes(&plan),
        ["acmeCo/src /endpoint/connector/config/password: secret value changed"]
    );
    let plan = compare(
        &specs(json!({"host": "db", "password_sops": "hunter2", "token_sops": "t"})),
        &lives,
        &secrets(),
        &keys,
    );
    assert!(!plan.has_changes(), "{}", plan.render());
}

#[test]
fn values_that_hold_secrets_are_not_shown() {
    let plan = compare(
        &[local(
            "acmeCo/src",
            Kind::Capture,
            capture(json!({"credentials": {"user": "u", "password": "p1"}})),
        )],
        &[live(
            "acmeCo/src",
            Kind::Capture,
            capture(json!({"credentials": "oauth"})),
        )],
        &secrets(),
        &Identities::default(),
    );
    assert_eq!(
        changes(&plan),
        ["acmeCo/src /endpoint/connector/config/credentials: secret value changed"]
    );
    // A connector the control plane does not know: no config value shown.
    let unknown = HashMap::from([(IMAGE.to_string(), None)]);
    let plan = compare(
        &[local(
            "acmeCo/src",
            Kind::Capture,
            capture(json!({"host": "a", "extra": 1})),
        )],
        &[live(
            "acmeCo/src",
            Kind::Capture,
            capture(json!({"host": "b"})),
        )],
        &unknown,
        &Identities::default(),
    );
    assert_eq!(
        changes(&plan),
        [
            "acmeCo/src /endpoint/connector/config/extra: added (value hidden)",
            "acmeCo/src /endpoint/connector/config/host: changed (values hidden)",
        ]
    );
    // Values outside of configs are shown.
    let plan = compare(
        &[local(
            "acmeCo/src",
            Kind::Capture,
            capture(json!({"host": "a"})),
        )],
        &[live(
            "acmeCo/src",
            Kind::Capture,
            json!({"endpoint": {"connector": {"image": IMAGE, "config": {"host": "a"}}}, "bindings": []}),
        )],
        &unknown,
        &Identities::default(),
    );
    assert_eq!(
        changes(&plan),
        ["acmeCo/src /bindings: [] → [{\"resource\":{\"table\":\"orders\"},\"target\":\"acmeCo/orders\"}]"]
    );
}

#[test]
fn local_connector_configs_are_diffed_without_values() {
    let local_capture = |config: Value| {
        json!({
            "endpoint": {"local": {"command": ["python", "capture.py"], "config": config}},
            "bindings": [],
        })
    };
    let plan = compare(
        &[local(
            "acmeCo/src",
            Kind::Capture,
            local_capture(json!({"token": "new-token"})),
        )],
        &[live(
            "acmeCo/src",
            Kind::Capture,
            local_capture(json!({"token": "old-token"})),
        )],
        &HashMap::new(),
        &Identities::default(),
    );
    assert_eq!(
        changes(&plan),
        ["acmeCo/src /endpoint/local/config/token: changed (values hidden)"]
    );
    let json = serde_json::to_string(&plan).unwrap();
    assert!(
        !json.contains("old-token") && !json.contains("new-token"),
        "{json}"
    );
}
