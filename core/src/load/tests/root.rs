//! The root: references outside of it are warned about, or refused; a
//! config or resource must be a YAML or JSON object; a file reached by two
//! paths is one file.

use super::{owned, Fixture};
use crate::load::{load_with, LoadOptions};
use crate::{Catalog, Diagnostic};

/// A project in `project/`, whose capture refers to a key file beside it.
fn fixture(config: &str) -> Fixture {
    Fixture::new(&[
        ("keys.json", r#"{"age_key": "AGE-SECRET-KEY-1NOTREALLY"}"#),
        ("notes.txt", "AGE-SECRET-KEY-1NOTREALLY\n"),
        ("project/inside.json", r#"{"host": "db"}"#),
        (
            "project/flow.yaml",
            &format!(
                "captures:\n  acmeCo/source:\n    endpoint: {{connector: {{image: ghcr.io/estuary/source-x:v1, config: {config}}}}}\n    bindings: []\n"
            ),
        ),
    ])
}

fn warnings(fx: &Fixture, catalog: &Catalog) -> Vec<(String, String, String)> {
    let found: Vec<Diagnostic> = catalog.validate().unwrap();
    found
        .into_iter()
        .map(|d| (fx.norm(&d.scope), fx.norm(&d.message), d.code))
        .collect()
}

#[test]
fn a_reference_outside_the_root_is_read_with_a_warning_or_refused() {
    for config in ["../keys.json", "/KEYS", "file:///KEYS"] {
        let fx = fixture("X");
        let config = config.replace("/KEYS", &fx.path("keys.json"));
        let text = format!(
            "captures:\n  acmeCo/source:\n    endpoint: {{connector: {{image: ghcr.io/estuary/source-x:v1, config: \"{config}\"}}}}\n    bindings: []\n"
        );
        fx.write("project/flow.yaml", text.as_bytes());
        let catalog = fx.load("project/flow.yaml").unwrap();
        assert_eq!(
            catalog.captures["acmeCo/source"].endpoint.config()["age_key"],
            "AGE-SECRET-KEY-1NOTREALLY"
        );
        assert_eq!(
            warnings(&fx, &catalog),
            owned(&[(
                "file:///p/project/flow.yaml#/captures/acmeCo~1source/endpoint/connector/config",
                "capture acmeCo/source: file:///p/keys.json is outside of the catalog's root file:///p/project/: its content is read and sent with the catalog (enforce the root to refuse such references)",
                "reference_outside_root",
            )]),
            "{config}"
        );

        let strict = LoadOptions {
            deny_outside_root: true,
            ..Default::default()
        };
        let got = fx.diagnostics(load_with(&fx.path("project/flow.yaml"), &strict));
        assert_eq!(
            got,
            owned(&[(
                "file:///p/project/flow.yaml#/captures/acmeCo~1source/endpoint/connector/config",
                "capture acmeCo/source: refusing to read file:///p/keys.json: it is outside of the catalog's root file:///p/project/ (references may not leave the root when it is enforced)",
                "reference_outside_root",
            )]),
            "{config}"
        );
    }
}

#[test]
fn a_symlink_out_of_the_root_is_outside_of_it() {
    let fx = fixture("link.json");
    std::os::unix::fs::symlink(fx.path("keys.json"), fx.path("project/link.json")).unwrap();
    let catalog = fx.load("project/flow.yaml").unwrap();
    let found = warnings(&fx, &catalog);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].2, "reference_outside_root");
    let strict = LoadOptions {
        deny_outside_root: true,
        ..Default::default()
    };
    let err = load_with(&fx.path("project/flow.yaml"), &strict).unwrap_err();
    assert_eq!(err.diagnostics()[0].code, "reference_outside_root");

    // Inside the root, no warning.
    let fx = fixture("inside.json");
    assert!(warnings(&fx, &fx.load("project/flow.yaml").unwrap()).is_empty());
}

#[test]
fn the_root_is_the_project_root_or_the_one_given() {
    // `project/` is under a directory that holds a catalog too: the root is
    // the top one, so `../keys.json` is inside it.
    let fx = fixture("../keys.json");
    fx.write("flow.yaml", b"import: [project/flow.yaml]\n");
    let catalog = fx.load("project/flow.yaml").unwrap();
    assert_eq!(
        fx.norm(catalog.origins.root.as_deref().unwrap()),
        "file:///p/"
    );
    assert!(warnings(&fx, &catalog).is_empty());

    // A root given is the root.
    let options = LoadOptions {
        root: Some(fx.path("project").into()),
        deny_outside_root: true,
        ..Default::default()
    };
    let err = load_with(&fx.path("project/flow.yaml"), &options).unwrap_err();
    assert_eq!(err.diagnostics()[0].code, "reference_outside_root");
}

#[test]
fn configs_and_resources_are_objects_from_yaml_or_json_files() {
    let fx = fixture("../notes.txt");
    let got = fx.diagnostics(fx.load("project/flow.yaml"));
    assert_eq!(
        got,
        owned(&[(
            "file:///p/project/flow.yaml#/captures/acmeCo~1source/endpoint/connector/config",
            "capture acmeCo/source: the config \"../notes.txt\" must be a YAML or JSON file (.yaml, .yml or .json) holding an object",
            "invalid_reference",
        )])
    );

    let fx = fixture("list.json");
    fx.write("project/list.json", b"[1, 2]");
    fx.write("project/resource.yaml", b"just text\n");
    fx.write(
        "project/flow.yaml",
        b"captures:\n  acmeCo/source:\n    endpoint: {connector: {image: x, config: list.json}}\n    bindings: [{resource: resource.yaml, target: acmeCo/t}]\n",
    );
    let got = fx.diagnostics(fx.load("project/flow.yaml"));
    assert_eq!(
        got,
        owned(&[
            (
                "file:///p/project/flow.yaml#/captures/acmeCo~1source/endpoint/connector/config",
                "capture acmeCo/source: the config must be an object, but file:///p/project/list.json holds an array",
                "config_not_object",
            ),
            (
                "file:///p/project/flow.yaml#/captures/acmeCo~1source/bindings/0/resource",
                "capture acmeCo/source: the binding resource must be an object, but file:///p/project/resource.yaml holds a string",
                "resource_not_object",
            ),
        ])
    );
}

#[test]
fn a_file_imported_by_two_paths_is_loaded_once() {
    let fx = Fixture::new(&[
        ("flow.yaml", "import: [specs/flow.yaml, alias/flow.yaml]\n"),
        (
            "specs/flow.yaml",
            "collections:\n  acmeCo/x: {schema: {type: object, properties: {id: {type: string}}, required: [id]}, key: [/id]}\n",
        ),
    ]);
    std::os::unix::fs::symlink(fx.path("specs"), fx.path("alias")).unwrap();
    let catalog = fx.load("flow.yaml").unwrap();
    assert_eq!(catalog.collections.len(), 1);
    catalog.validate().unwrap();
}
