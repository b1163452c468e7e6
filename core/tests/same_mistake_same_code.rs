//! One mistake, one code: the same bad input through each entry point (a
//! Rust builder, the option objects the Python and Node bindings pass, a
//! loaded `flow.yaml`) is reported with the same code of the registry.

use flowspec::build::{CaptureBuilder, CollectionBuilder};
use flowspec::{codes, json_api, Catalog, Error};
use serde_json::json;

/// The code of a failed load, which must have exactly one diagnostic.
fn loaded(yaml: &str) -> &'static str {
    let err = flowspec::load::load_str(yaml, "file:///p/flow.yaml").unwrap_err();
    let [d] = err.diagnostics() else {
        panic!("want one diagnostic: {err}")
    };
    codes::lookup(&d.code)
        .unwrap_or_else(|| panic!("{} is not registered", d.code))
        .code
}

fn code<T>(result: Result<T, Error>) -> &'static str {
    match result {
        Ok(_) => panic!("want an error"),
        Err(err) => err.code(),
    }
}

const SCHEMA: &str = "{type: object, properties: {id: {type: string}}, required: [id]}";

#[test]
fn a_bad_catalog_name() {
    let built = code(
        Catalog::default().add(
            CollectionBuilder::new("nope")
                .schema(json!({"type": "object"}))
                .key(["/id"]),
        ),
    );
    let optioned = code(json_api::collection(
        &mut Catalog::default(),
        "nope",
        json!({"schema": {"type": "object"}, "key": ["/id"]}),
    ));
    let file = loaded(&format!(
        "collections:\n  nope: {{schema: {SCHEMA}, key: [/id]}}\n"
    ));
    assert_eq!([built, optioned, file], [codes::INVALID_NAME; 3]);
}

#[test]
fn a_bad_name_in_a_reference() {
    let built = code(
        Catalog::default().add(
            CaptureBuilder::new("acmeCo/c")
                .connector("ghcr.io/estuary/source-x:v1", json!({}))
                .binding(json!({"stream": "a"}), "bad target"),
        ),
    );
    let optioned = code(json_api::capture(
        &mut Catalog::default(),
        "acmeCo/c",
        json!({"image": "ghcr.io/estuary/source-x:v1", "bindings": [{"resource": {"stream": "a"}, "target": "bad target"}]}),
    ));
    let file = loaded(
        "captures:\n  acmeCo/c:\n    endpoint: {connector: {image: 'ghcr.io/estuary/source-x:v1', config: {}}}\n    bindings: [{resource: {stream: a}, target: bad target}]\n",
    );
    assert_eq!([built, optioned, file], [codes::INVALID_NAME; 3]);
}

#[test]
fn a_bad_json_pointer() {
    let built = code(
        Catalog::default().add(
            CollectionBuilder::new("acmeCo/x")
                .schema(json!({"type": "object"}))
                .key(["id"]),
        ),
    );
    let optioned = code(json_api::collection(
        &mut Catalog::default(),
        "acmeCo/x",
        json!({"schema": {"type": "object"}, "key": ["id"]}),
    ));
    let file = loaded(&format!(
        "collections:\n  acmeCo/x: {{schema: {SCHEMA}, key: [id]}}\n"
    ));
    assert_eq!([built, optioned, file], [codes::INVALID_NAME; 3]);
}

#[test]
fn a_bad_value() {
    let built = code(
        Catalog::default().add(
            CaptureBuilder::new("acmeCo/c")
                .connector("ghcr.io/estuary/source-x:v1", json!({}))
                .interval("5 min"),
        ),
    );
    let optioned = code(json_api::capture(
        &mut Catalog::default(),
        "acmeCo/c",
        json!({"image": "ghcr.io/estuary/source-x:v1", "interval": "5 min"}),
    ));
    let file = loaded(
        "captures:\n  acmeCo/c:\n    endpoint: {connector: {image: 'ghcr.io/estuary/source-x:v1', config: {}}}\n    interval: 5 min\n    bindings: []\n",
    );
    assert_eq!([built, optioned, file], [codes::INVALID_SPEC; 3]);
    // An unknown field or option, which builders cannot be given.
    let optioned = code(json_api::capture(
        &mut Catalog::default(),
        "acmeCo/c",
        json!({"imgae": "x"}),
    ));
    let file = loaded("captures:\n  acmeCo/c: {imgae: x, bindings: []}\n");
    assert_eq!([optioned, file], [codes::INVALID_SPEC; 2]);
}

#[test]
fn a_name_defined_twice() {
    let collection = || {
        CollectionBuilder::new("acmeCo/x")
            .schema(json!({"type": "object"}))
            .key(["/id"])
    };
    let mut catalog = Catalog::default();
    catalog.add(collection()).unwrap();
    let built = code(catalog.add(collection()));
    let options = json!({"schema": {"type": "object"}, "key": ["/id"]});
    let optioned = code(json_api::collection(&mut catalog, "acmeCo/x", options));

    let dir = tempfile::tempdir().unwrap();
    let spec = format!("collections:\n  acmeCo/x: {{schema: {SCHEMA}, key: [/id]}}\n");
    std::fs::write(dir.path().join("a.yaml"), &spec).unwrap();
    std::fs::write(
        dir.path().join("flow.yaml"),
        format!("import: [a.yaml]\n{spec}"),
    )
    .unwrap();
    let err = flowspec::load::load(dir.path().join("flow.yaml").to_str().unwrap()).unwrap_err();
    let file: Vec<&str> = err.diagnostics().iter().map(|d| d.code.as_str()).collect();
    assert_eq!([built, optioned], [codes::NAME_COLLISION; 2]);
    assert_eq!(file, [codes::NAME_COLLISION]);
}

#[test]
fn a_value_nested_too_deep() {
    let mut deep = json!(1);
    for _ in 0..=flowspec::json::MAX_DEPTH {
        deep = json!([deep]);
    }
    // A Rust builder takes any `Value`; validation reports it.
    let mut catalog = Catalog::default();
    catalog
        .add(
            CaptureBuilder::new("acmeCo/c")
                .connector("ghcr.io/estuary/source-x:v1", json!({"deep": deep})),
        )
        .unwrap();
    let diagnostics = flowspec::validate::validate(&catalog);
    let validated: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
    // A loaded one too; a document deeper than the parsers read is refused.
    let yaml = format!(
        "captures:\n  acmeCo/c:\n    endpoint: {{connector: {{image: x, config: {{deep: {deep}}}}}}}\n    bindings: []\n"
    );
    let catalog = flowspec::load::load_str(&yaml, "file:///p/flow.yaml").unwrap();
    let diagnostics = flowspec::validate::validate(&catalog);
    let loaded_then_validated: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
    for _ in 0..30 {
        deep = json!([deep]);
    }
    let file = loaded(&format!("captures:\n  acmeCo/c: {{bindings: {deep}}}\n"));
    // And the option objects of the bindings refuse it where they convert it.
    let converted = flowspec::json::nesting_error("config").code();
    assert_eq!(validated, [codes::NESTING_TOO_DEEP]);
    assert_eq!(loaded_then_validated, [codes::NESTING_TOO_DEEP]);
    assert_eq!([file, converted], [codes::NESTING_TOO_DEEP; 2]);
}
