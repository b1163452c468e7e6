use serde_json::json;

use super::*;
use crate::build::{CaptureBuilder, CollectionBuilder};

fn catalog_of(spec: serde_json::Value) -> Catalog {
    serde_json::from_value(spec).unwrap()
}

fn python(catalog: &Catalog) -> Program {
    codegen(catalog, ".".as_ref(), Lang::Python).unwrap()
}

#[test]
fn secrets_are_environment_variables_never_values() {
    let mut catalog = Catalog::default();
    catalog
        .add(
            CaptureBuilder::new("acmeCo/db/source-postgres")
                .connector(
                    "ghcr.io/estuary/source-postgres:v1",
                    json!({"address": "db:5432", "password": crate::secret("hunter2"),
                           "tls": {"key_sops": {"pem": "PRIVATE"}}}),
                )
                .binding(json!({"table": "a"}), "acmeCo/db/a"),
        )
        .unwrap();
    for lang in Lang::ALL {
        let program = codegen_with(
            &catalog,
            ".".as_ref(),
            lang,
            &CodegenOptions {
                rustfmt: false,
                source_label: None,
            },
        )
        .unwrap();
        assert!(!program.text.contains("hunter2"), "{lang}");
        assert!(!program.text.contains("PRIVATE"), "{lang}");
        let envs: Vec<_> = program
            .secrets
            .iter()
            .map(|s| (s.env.as_str(), s.json))
            .collect();
        assert_eq!(
            envs,
            [
                ("SOURCE_POSTGRES_PASSWORD", false),
                ("SOURCE_POSTGRES_KEY", true)
            ],
            "{lang}"
        );
        assert_eq!(
            program.secrets[0].pointer,
            "/endpoint/connector/config/password_sops"
        );
        assert_eq!(
            program.secrets[1].pointer,
            "/endpoint/connector/config/tls/key_sops"
        );
        assert!(program.text.contains("SOURCE_POSTGRES_PASSWORD"), "{lang}");
    }
    let text = python(&catalog).text;
    assert!(text.contains(r#""password": fs.secret(env("SOURCE_POSTGRES_PASSWORD")),"#));
    assert!(text.contains(r#""key": fs.secret(json.loads(env("SOURCE_POSTGRES_KEY")))"#));
}

#[test]
fn encrypted_configs_lose_their_sops_metadata_and_ciphertext() {
    let catalog = catalog_of(json!({"captures": {"acmeCo/source-x": {
        "endpoint": {"connector": {"image": "ghcr.io/estuary/source-x:v1", "config": {
            "host": "h",
            "token_sops": "ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]",
            "port_sops": "ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:int]",
            "sops": {"age": [], "lastmodified": "2024-01-01T00:00:00Z", "mac": "ENC[...]",
                     "encrypted_suffix": "_sops", "version": "3.9.0"}}}},
        "bindings": []}}}));
    let program = python(&catalog);
    assert!(!program.text.contains("ENC["), "{}", program.text);
    assert!(!program.text.contains("lastmodified"));
    assert!(program
        .text
        .contains(r#""token": fs.secret(env("SOURCE_X_TOKEN"))"#));
    assert!(program
        .text
        .contains(r#""port": fs.secret(json.loads(env("SOURCE_X_PORT")))"#));
}

#[test]
fn secrets_of_the_same_name_get_distinct_variables() {
    let mut catalog = Catalog::default();
    for name in ["acmeCo/a/source-pg", "acmeCo/b/source-pg"] {
        catalog
            .add(CaptureBuilder::new(name).connector(
                "ghcr.io/estuary/source-postgres:v1",
                json!({"password": crate::secret("x")}),
            ))
            .unwrap();
    }
    let envs: Vec<_> = python(&catalog)
        .secrets
        .into_iter()
        .map(|s| s.env)
        .collect();
    assert_eq!(envs, ["SOURCE_PG_PASSWORD", "ACME_CO_B_SOURCE_PG_PASSWORD"]);
}

#[test]
fn python_keywords_and_structured_keys_are_snake_case() {
    let catalog = catalog_of(json!({"collections": {"acmeCo/totals": {
        "schema": {"type": "object", "properties": {"maxTxnDuration": {"type": "string"}}},
        "key": ["/id"],
        "derive": {"using": {"sqlite": {"migrations": []}},
                   "transforms": [{"name": "fromOrders", "source": "acmeCo/orders",
                                   "shuffle": {"key": ["/id"]}, "lambda": "SELECT 1;"}],
                   "shards": {"maxTxnDuration": "1s"}}}}}));
    let text = python(&catalog).text;
    // Schemas are data: their keys are kept.
    assert!(
        text.contains(r#""maxTxnDuration": {"type": "string"}"#),
        "{text}"
    );
    assert!(
        text.contains(r#"shards={"max_txn_duration": "1s"}"#),
        "{text}"
    );
    assert!(text.contains(
        r#".transform("fromOrders", source="acmeCo/orders", shuffle=["/id"], lambda_="SELECT 1;")"#
    ));
    assert!(text.contains("sqlite=[],"));
}

#[test]
fn long_code_is_split_into_lines() {
    let sql = "SELECT $id AS id,\n  $item AS item,\n  printf('$%.2f', ($price + $sales_tax) / 100.0) AS total;\n";
    let catalog = catalog_of(json!({"collections": {"acmeCo/totals": {
        "schema": {"type": "object"}, "key": ["/id"],
        "derive": {"using": {"sqlite": {}},
                   "transforms": [{"name": "fromItems", "source": "acmeCo/items",
                                   "shuffle": "any", "lambda": sql}]}}}}));
    let text = python(&catalog).text;
    assert!(
        text.contains(
            "lambda_=(\n            \"SELECT $id AS id,\\n\"\n            \"  $item AS item,\\n\""
        ),
        "{text}"
    );
    let ts = codegen(&catalog, ".".as_ref(), Lang::Typescript)
        .unwrap()
        .text;
    assert!(ts.contains("lambda: \"SELECT $id AS id,\\n\" +\n"), "{ts}");
}

#[test]
fn specs_no_builder_method_sets_are_made_from_their_model_in_rust() {
    // A test with `expectPubId`: `TestBuilder` has no method for it.
    let catalog = catalog_of(json!({"tests": {"acmeCo/t": {
        "steps": [{"ingest": {"collection": "acmeCo/c", "documents": [{"id": 1}]}}],
        "expectPubId": "0123456789abcdef"}}}));
    let options = CodegenOptions {
        rustfmt: false,
        source_label: None,
    };
    let text = codegen_with(&catalog, ".".as_ref(), Lang::Rust, &options)
        .unwrap()
        .text;
    assert!(
        text.contains("catalog.add(Spec::Test(\n        flowspec::Test::new(\"acmeCo/t\")?,"),
        "{text}"
    );
    // Others use the builders.
    let mut catalog = Catalog::default();
    catalog
        .add(
            CollectionBuilder::new("acmeCo/c")
                .schema(json!({"type": "object"}))
                .key(["/id"]),
        )
        .unwrap();
    let text = codegen_with(&catalog, ".".as_ref(), Lang::Rust, &options)
        .unwrap()
        .text;
    assert!(text.contains(
        "CollectionBuilder::new(\"acmeCo/c\")\n            .schema(json!({\"type\": \"object\"}))\n            .key([\"/id\"]),"
    ), "{text}");
}

#[test]
fn an_unknown_language_is_an_error_listing_the_known_ones() {
    let err = "cobol".parse::<Lang>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "codegen: unknown language `cobol`: expected python, typescript or rust"
    );
}

#[test]
fn a_catalog_that_does_not_load_is_an_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("flow.yaml");
    std::fs::write(&source, "collections: [").unwrap();
    let err = codegen_file(source.to_str().unwrap(), Lang::Python, None).unwrap_err();
    assert_eq!(err.code(), "load");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn references_resolve_from_where_the_program_runs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.schema.yaml"), "type: object\n").unwrap();
    std::fs::write(
        dir.path().join("flow.yaml"),
        "collections:\n  acmeCo/x:\n    schema: x.schema.yaml\n    key: [/id]\n",
    )
    .unwrap();
    let source = dir.path().join("flow.yaml");
    let source = source.to_str().unwrap();
    let beside = codegen_file(source, Lang::Python, None).unwrap().text;
    assert!(beside.contains(r#"schema="x.schema.yaml""#), "{beside}");
    let program = dir.path().join("code/flow.py");
    let below = codegen_file(source, Lang::Python, Some(&program))
        .unwrap()
        .text;
    assert!(below.contains(r#"schema="../x.schema.yaml""#), "{below}");
    // `cargo run` runs where the catalog is, whatever the file's directory.
    let rust = codegen_file(source, Lang::Rust, Some(&dir.path().join("src/main.rs")))
        .unwrap()
        .text;
    assert!(
        rust.contains(r#".schema(json!("x.schema.yaml"))"#),
        "{rust}"
    );
}
