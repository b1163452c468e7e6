//! Imports: relative and absolute, nested directories, cycles; stdin; and
//! `inline_references` on catalogs made in code.

use std::collections::BTreeSet;

use super::{diagnostics, owned, Fixture};
use crate::{
    Catalog, Collection, CollectionDef, ConnectorConfig, JsonPointer, Kind, MaterializationBinding,
    MaterializationDef, MaterializationEndpoint, Schema, Source,
};

fn collection(key: &str) -> String {
    format!("{{schema: {{type: object}}, key: [{key}]}}")
}

#[test]
fn imports_across_directories_with_cycles() {
    let fx = Fixture::new(&[
        (
            "flow.yaml",
            &format!(
                "$schema: ./flow.schema.json\nimport:\n  - a/flow.yaml\n  - b/c/flow.yaml\ncollections:\n  acmeCo/root: {}\n",
                collection("/id")
            ),
        ),
        (
            "a/flow.yaml",
            &format!(
                "$schema: ../flow.schema.json\nimport: [../b/c/flow.yaml, ../flow.yaml, ./flow.yaml]\ncollections:\n  acmeCo/a: {}\n",
                collection("/a")
            ),
        ),
        (
            "b/c/flow.yaml",
            &format!("import: [../../a/flow.yaml]\ncollections:\n  acmeCo/c: {}\n", collection("/c")),
        ),
    ]);
    let catalog = fx.load("flow.yaml").unwrap();
    assert_eq!(
        catalog
            .collections
            .keys()
            .map(|c| c.as_str())
            .collect::<Vec<_>>(),
        vec!["acmeCo/a", "acmeCo/c", "acmeCo/root"]
    );
    assert!(catalog.import.is_empty());
    // `$schema` is an editor hint: YAML and JSON files alike leave it out.
    assert_eq!(catalog.schema, None);
    assert_eq!(
        fx.norm(catalog.origins.base.as_deref().unwrap()),
        "file:///p/flow.yaml"
    );
    let imports: BTreeSet<(String, String)> = catalog
        .origins
        .imports
        .iter()
        .map(|(a, b)| (fx.norm(a), fx.norm(b)))
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("file:///p/flow.yaml", "file:///p/a/flow.yaml"),
        ("file:///p/flow.yaml", "file:///p/b/c/flow.yaml"),
        ("file:///p/a/flow.yaml", "file:///p/b/c/flow.yaml"),
        ("file:///p/a/flow.yaml", "file:///p/flow.yaml"),
        ("file:///p/a/flow.yaml", "file:///p/a/flow.yaml"),
        ("file:///p/b/c/flow.yaml", "file:///p/a/flow.yaml"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(imports, expected);
    for (name, scope) in [
        (
            "acmeCo/root",
            "file:///p/flow.yaml#/collections/acmeCo~1root",
        ),
        ("acmeCo/a", "file:///p/a/flow.yaml#/collections/acmeCo~1a"),
        ("acmeCo/c", "file:///p/b/c/flow.yaml#/collections/acmeCo~1c"),
    ] {
        assert_eq!(
            fx.norm(&catalog.origins.scope(Kind::Collection, name).to_string()),
            scope
        );
    }
}

#[test]
fn absolute_imports_json_catalogs_and_file_url_sources() {
    let fx = Fixture::new(&[(
        "other/flow.json",
        r#"{"collections": {"acmeCo/json": {"schema": {"type": "object"}, "key": ["/id"]}}}"#,
    )]);
    fx.write(
        "flow.yaml",
        format!("import: ['{}']\n", fx.url("other/flow.json")).as_bytes(),
    );
    let catalog = crate::load::load(&fx.url("flow.yaml")).unwrap();
    assert!(catalog.collections.contains_key("acmeCo/json"));
    assert_eq!(
        fx.norm(
            &catalog
                .origins
                .scope(Kind::Collection, "acmeCo/json")
                .to_string()
        ),
        "file:///p/other/flow.json#/collections/acmeCo~1json"
    );
}

#[test]
fn bad_imports() {
    let fx = Fixture::new(&[(
        "flow.yaml",
        "import:\n  - missing.yaml\n  - https://example.com/flow.yaml\n  - other.yaml#/collections\n  - 12\n  - sub/\n  - ftp://example.com/flow.yaml\n",
    )]);
    std::fs::create_dir(fx.path("sub")).unwrap();
    assert_eq!(
        fx.diagnostics(fx.load("flow.yaml")),
        owned(&[
            (
                "file:///p/flow.yaml#/import/1",
                "cannot import https://example.com/flow.yaml: http and https references are not supported, only local files (download it and refer to the file)",
                "invalid_reference",
            ),
            (
                "file:///p/flow.yaml#/import/2",
                "cannot import file:///p/other.yaml#/collections: a file reference here cannot have a #fragment",
                "invalid_reference",
            ),
            ("file:///p/flow.yaml#/import/3", "invalid type: a number, expected a file URL", "invalid_spec"),
            (
                "file:///p/flow.yaml#/import/5",
                "cannot import ftp://example.com/flow.yaml: `ftp` URLs are not supported, only local files",
                "invalid_reference",
            ),
            (
                "file:///p/flow.yaml#/import/0",
                "failed to read file:///p/missing.yaml: No such file or directory (os error 2)",
                "read_failed",
            ),
            (
                "file:///p/flow.yaml#/import/4",
                "failed to read file:///p/sub/: Is a directory (os error 21)",
                "read_failed",
            ),
        ])
    );
}

#[test]
fn missing_and_unsupported_sources() {
    let fx = Fixture::new(&[]);
    // A source that cannot be read is an I/O error naming the file.
    let err = fx.load("flow.yaml").unwrap_err();
    assert_eq!(err.code(), "io");
    assert_eq!(
        err.io_error().map(std::io::Error::kind),
        Some(std::io::ErrorKind::NotFound)
    );
    assert_eq!(
        fx.norm(
            &err.to_string()
                .replace("cannot read /", "cannot read file:///")
        ),
        "cannot read file:///p/flow.yaml: No such file or directory (os error 2)"
    );
    assert_eq!(
        diagnostics(crate::load::load("https://example.com/flow.yaml")),
        owned(&[(
            "https://example.com/flow.yaml",
            "cannot load https://example.com/flow.yaml: http and https references are not supported, only local files (download it and refer to the file)",
            "invalid_reference"
        )])
    );
}

#[test]
fn stdin_resolves_against_the_current_directory() {
    // `cargo test` runs in the crate's directory, which has a Cargo.toml.
    let text = "collections:\n  acmeCo/c:\n    schema: {type: object}\n    key: [/id]\n    derive:\n      using: {sqlite: {migrations: [Cargo.toml]}}\n      transforms: []\n";
    let catalog = super::super::load_stdin(text.as_bytes(), &Default::default()).unwrap();
    let derive = catalog.collections["acmeCo/c"].derive.as_ref().unwrap();
    let crate::DeriveUsing::Sqlite(sqlite) = &derive.using else {
        panic!("a SQLite derivation")
    };
    let migration = sqlite.migrations[0].as_str().unwrap();
    assert!(migration.contains("name = \"flowspec\""), "{migration}");
    assert_eq!(
        catalog
            .origins
            .scope(Kind::Collection, "acmeCo/c")
            .to_string(),
        "stdin:///flow.yaml#/collections/acmeCo~1c"
    );
    let cwd = url::Url::from_directory_path(std::env::current_dir().unwrap()).unwrap();
    let file = catalog
        .origins
        .file(
            Kind::Collection,
            "acmeCo/c",
            "/derive/using/sqlite/migrations/0",
        )
        .unwrap();
    assert_eq!(file.url, format!("{cwd}Cargo.toml"));
    assert_eq!(catalog.origins.base.as_deref(), Some("stdin:///flow.yaml"));

    let got = diagnostics(super::super::load_stdin(
        "collections: [".as_bytes(),
        &Default::default(),
    ));
    assert_eq!(got[0].0, "stdin:///flow.yaml");
    assert_eq!(got[0].2, "yaml_syntax");
}

#[test]
fn load_str_takes_a_path_or_a_url() {
    let fx = Fixture::new(&[("schema.json", r#"{"type": "object"}"#)]);
    let text = "collections:\n  acmeCo/x: {schema: schema.json, key: [/id]}\n";
    let by_path = crate::load::load_str(text, &fx.path("flow.yaml")).unwrap();
    let by_url = crate::load::load_str(text, &fx.url("flow.yaml")).unwrap();
    assert_eq!(by_path, by_url);
    assert_eq!(
        fx.norm(by_path.origins.base.as_deref().unwrap()),
        "file:///p/flow.yaml"
    );
    assert_eq!(
        serde_json::to_string(&by_path.collections["acmeCo/x"].schema).unwrap(),
        r#"{"type":"object"}"#
    );
    let file = by_path
        .origins
        .file(Kind::Collection, "acmeCo/x", "/schema")
        .unwrap();
    assert_eq!(fx.norm(&file.url), "file:///p/schema.json");
    // It refers to no other file, so bundling leaves it as it is.
    assert_eq!(
        fx.norm(
            &serde_json::to_string(&by_path.bundle().unwrap().collections["acmeCo/x"].schema)
                .unwrap()
        ),
        r#"{"type":"object"}"#
    );
}

fn code_made(fx: &Fixture) -> Catalog {
    let mut catalog = Catalog::default();
    catalog.origins.base = Some(fx.url("flow.yaml"));
    catalog.collections.insert(
        Collection::new("acmeCo/code").unwrap(),
        CollectionDef::new(
            Schema::reference("schemas/code.yaml"),
            vec![JsonPointer::new("/id").unwrap()],
        ),
    );
    let mut m = MaterializationDef::new(MaterializationEndpoint::Connector(ConnectorConfig::new(
        "ghcr.io/estuary/materialize-postgres:v1",
        serde_json::json!("config/pg.yaml"),
    )));
    m.bindings.push(MaterializationBinding::new(
        serde_json::json!("config/table.json"),
        Source::Collection(Collection::new("acmeCo/code").unwrap()),
    ));
    catalog
        .materializations
        .insert("acmeCo/m".parse().unwrap(), m);
    catalog
}

#[test]
fn inline_references_of_a_catalog_made_in_code() {
    let fx = Fixture::new(&[
        (
            "schemas/code.yaml",
            "type: object\nproperties: {id: {type: string}}\n",
        ),
        ("config/pg.yaml", "address: db:5432\nuser: flow\n"),
        (
            "config/table.json",
            r#"{"table": "code", "schema": "public"}"#,
        ),
        (
            "more/flow.yaml",
            "collections:\n  acmeCo/imported: {schema: ../schemas/code.yaml, key: [/id]}\n",
        ),
    ]);
    let mut catalog = code_made(&fx);
    catalog.import = vec!["more/flow.yaml".to_string()];
    crate::load::inline_references(&mut catalog).unwrap();

    let json = fx.json(&catalog);
    assert_eq!(
        json["materializations"]["acmeCo/m"],
        serde_json::json!({
            "endpoint": {"connector": {"image": "ghcr.io/estuary/materialize-postgres:v1", "config": {"address": "db:5432", "user": "flow"}}},
            "bindings": [{"resource": {"table": "code", "schema": "public"}, "source": "acmeCo/code"}],
        })
    );
    let bundle = serde_json::json!({
        "$ref": "file:///p/schemas/code.yaml",
        "$defs": {"file:///p/schemas/code.yaml": {"$id": "file:///p/schemas/code.yaml", "type": "object", "properties": {"id": {"type": "string"}}}},
    });
    assert_eq!(json["collections"]["acmeCo/code"]["schema"], bundle);
    assert_eq!(json["collections"]["acmeCo/imported"]["schema"], bundle);
    assert!(catalog.import.is_empty());
    assert_eq!(
        fx.norm(
            &catalog
                .origins
                .scope(Kind::Collection, "acmeCo/imported")
                .to_string()
        ),
        "file:///p/more/flow.yaml#/collections/acmeCo~1imported"
    );
    assert_eq!(
        catalog
            .origins
            .imports
            .iter()
            .map(|(a, b)| (fx.norm(a), fx.norm(b)))
            .collect::<Vec<_>>(),
        vec![(
            "file:///p/flow.yaml".to_string(),
            "file:///p/more/flow.yaml".to_string()
        )]
    );

    // Resolving again changes nothing.
    let before = catalog.clone();
    crate::load::inline_references(&mut catalog).unwrap();
    assert_eq!(to_string(&catalog), to_string(&before));
}

fn to_string(catalog: &Catalog) -> String {
    serde_json::to_string(catalog).unwrap()
}

#[test]
fn inline_references_reports_problems_and_keeps_imports() {
    let fx = Fixture::new(&[
        ("schemas/code.yaml", "type: object\n"),
        ("config/pg.yaml", "address: db:5432\n"),
        ("more/flow.yaml", "collections:\n  acmeCo/code: {schema: {type: object}, key: [/id]}\n  acmeCo/new: {schema: {type: object}, key: [/id]}\n"),
    ]);
    let mut catalog = code_made(&fx);
    catalog.import = vec!["more/flow.yaml".to_string()];
    let got =
        fx.diagnostics(crate::load::inline_references(&mut catalog).map(|_| Catalog::default()));
    assert_eq!(
        got,
        owned(&[
            (
                "file:///p/more/flow.yaml#/collections/acmeCo~1code",
                "collection acmeCo/code collides with collection acmeCo/code, defined at file:///p/flow.yaml#/collections/acmeCo~1code",
                "name_collision",
            ),
            (
                "file:///p/flow.yaml#/materializations/acmeCo~1m/bindings/0/resource",
                "failed to read file:///p/config/table.json: No such file or directory (os error 2)",
                "read_failed",
            ),
        ])
    );
    assert_eq!(catalog.import, vec!["more/flow.yaml".to_string()]);
    assert!(!catalog.collections.contains_key("acmeCo/new"));
    // What did resolve is inlined.
    assert_eq!(
        catalog.materializations["acmeCo/m"].endpoint.config(),
        &serde_json::json!({"address": "db:5432"})
    );
}

#[test]
fn inline_references_without_a_file_base_use_the_current_directory() {
    // The default base, flow://catalog, is not a file: references resolve
    // against the current directory (the crate's, under `cargo test`).
    let mut catalog: Catalog = serde_json::from_value(serde_json::json!({
        "collections": {"acmeCo/d": {
            "schema": {"type": "object"}, "key": ["/id"],
            "derive": {"using": {"sqlite": {"migrations": ["Cargo.toml"]}}, "transforms": []},
        }},
        "materializations": {"acmeCo/m": {
            "endpoint": {"connector": {"image": "x", "config": {}}},
            "bindings": [{"resource": "missing.json", "source": "acmeCo/x"}],
        }},
    }))
    .unwrap();
    let err = crate::load::inline_references(&mut catalog).unwrap_err();
    let cwd = url::Url::from_directory_path(std::env::current_dir().unwrap()).unwrap();
    assert_eq!(
        err.diagnostics()[0].to_string(),
        format!(
            "flow://catalog#/materializations/acmeCo~1m/bindings/0/resource: failed to read {cwd}missing.json: No such file or directory (os error 2)"
        )
    );
    let derive = catalog.collections["acmeCo/d"].derive.as_ref().unwrap();
    let crate::DeriveUsing::Sqlite(sqlite) = &derive.using else {
        panic!("a SQLite derivation")
    };
    assert!(sqlite.migrations[0].as_str().unwrap().contains("[package]"));
}

#[test]
fn a_file_that_fails_to_parse_adds_only_its_error() {
    // The broken file's specs and imports come before its syntax error, and
    // are parsed (and handed over) before the error is found: none of them
    // may stay, nor their problems, nor the files it imports.
    let fx = Fixture::new(&[
        (
            "flow.yaml",
            &format!(
                "import: [broken.yaml]\ncollections:\n  acmeCo/root: {}\n",
                collection("/id")
            ),
        ),
        (
            "broken.yaml",
            &format!(
                "import: [never.yaml]\ncollections:\n  acmeCo/partial: {}\n  acmeCo/bad: {{key: [/id], oops: 1}}\n  acmeCo/root: {}\n  acmeCo/late: [unclosed\n",
                collection("/id"),
                collection("/id")
            ),
        ),
        ("never.yaml", "collections: {acmeCo/never: {oops: true}}\n"),
    ]);
    let diagnostics = fx.diagnostics(fx.load("flow.yaml"));
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let (scope, message, code) = &diagnostics[0];
    assert_eq!(
        (scope.as_str(), code.as_str()),
        ("file:///p/broken.yaml", "yaml_syntax")
    );
    assert!(message.contains("line 6"), "{message}");

    // The same in JSON, which serde_json parses as a stream.
    fx.write(
        "flow.yaml",
        b"import: [broken.json]\ncollections:\n  acmeCo/root: {schema: {type: object}, key: [/id]}\n",
    );
    fx.write(
        "broken.json",
        br#"{"import": ["never.yaml"], "collections": {"acmeCo/bad": {"oops": 1}, "acmeCo/root": {}, "acmeCo/late": [}}"#,
    );
    let diagnostics = fx.diagnostics(fx.load("flow.yaml"));
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].0, "file:///p/broken.json");
    assert_eq!(diagnostics[0].2, "json_syntax");
    fx.write("flow.yaml", b"import: [broken.yaml]\n");

    // Once fixed, everything it holds is there.
    fx.write(
        "broken.yaml",
        format!("collections:\n  acmeCo/partial: {}\n", collection("/id")).as_bytes(),
    );
    let catalog = fx.load("flow.yaml").unwrap();
    let names: Vec<_> = catalog.collections.keys().map(|c| c.as_str()).collect();
    assert_eq!(names, ["acmeCo/partial"]);
}
