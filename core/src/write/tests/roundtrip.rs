//! load → write → load: files stay files, nothing absolute is written,
//! unchanged files are left alone, in every layout and across directories;
//! and what writing does around the files it writes (symlinks, leftover
//! temporary files, stale files).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::catalog;
use crate::write::{write, write_with, Layout, WriteOptions};
use crate::{Catalog, Kind};

/// Every file under `dir` with its bytes, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_string();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn load(path: &Path) -> Catalog {
    crate::load::load(path.to_str().unwrap()).unwrap()
}

/// The modification times of the files under `dir`.
fn mtimes(dir: &Path) -> BTreeMap<String, std::time::SystemTime> {
    snapshot(dir)
        .into_keys()
        .map(|rel| {
            let modified = std::fs::metadata(dir.join(&rel))
                .unwrap()
                .modified()
                .unwrap();
            (rel, modified)
        })
        .collect()
}

/// A catalog with values large enough to go to files of their own in the
/// split layout.
fn big_catalog() -> Catalog {
    let long = "x".repeat(600);
    catalog(json!({
        "captures": {"acmeCo/src/pg": {
            "endpoint": {"connector": {"image": "ghcr.io/estuary/source-postgres:v1",
                "config": {"address": "db:5432", "notes": long}}},
            "bindings": [{"resource": {"table": "anvils", "notes": long}, "target": "acmeCo/anvils/products"}],
        }},
        "collections": {
            "acmeCo/anvils/products": {
                "schema": {"type": "object", "description": long,
                    "properties": {"id": {"type": "string"}}, "required": ["id"]},
                "key": ["/id"],
            },
            "acmeCo/anvils/counts": {
                "schema": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
                "key": ["/id"],
                "derive": {
                    "using": {"sqlite": {"migrations": [format!("CREATE TABLE t (x TEXT); -- {long}")]}},
                    "transforms": [{"name": "fromProducts", "source": "acmeCo/anvils/products",
                        "shuffle": {"key": ["/id"]}, "lambda": format!("SELECT $id; -- {long}")}],
                },
            },
        },
        "tests": {"acmeCo/anvils/test": {"steps": [
            {"ingest": {"collection": "acmeCo/anvils/products",
                "documents": (0..40).map(|i| json!({"id": format!("product-{i}")})).collect::<Vec<_>>()}},
        ]}},
    }))
}

#[test]
fn a_canonical_tree_written_back_unchanged_changes_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("flow.yaml");
    let built = big_catalog();
    write(&built, &target, Layout::Canonical).unwrap();
    let first = snapshot(dir.path());
    assert!(
        first.contains_key("acmeCo/anvils/products.schema.yaml"),
        "{:?}",
        first.keys()
    );
    let times = mtimes(dir.path());

    for round in 0..3 {
        let loaded = load(&target);
        assert_eq!(loaded, built, "round {round}");
        let written = write(&loaded, &target, Layout::Canonical).unwrap();
        assert_eq!(written.unchanged, written.files, "round {round}");
        assert!(written.stale.is_empty(), "round {round}");
        assert_eq!(
            snapshot(dir.path()),
            first,
            "round {round}: the same files, byte for byte"
        );
        assert_eq!(mtimes(dir.path()), times, "round {round}: none rewritten");
    }
    for (rel, bytes) in &first {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("file://"), "{rel}: {text}");
        assert!(!text.contains(dir.path().to_str().unwrap()), "{rel}");
    }
}

#[test]
fn flat_and_canonical_load_to_the_same_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let built = big_catalog();
    write(&built, &dir.path().join("flat/flow.yaml"), Layout::Flat).unwrap();
    write(
        &built,
        &dir.path().join("canon/flow.yaml"),
        Layout::Canonical,
    )
    .unwrap();
    write(
        &built,
        &dir.path().join("json/flow.json"),
        Layout::Canonical,
    )
    .unwrap();
    let flat = load(&dir.path().join("flat/flow.yaml"));
    let canonical = load(&dir.path().join("canon/flow.yaml"));
    let json = load(&dir.path().join("json/flow.json"));
    assert_eq!(flat, built);
    assert_eq!(canonical, built);
    assert_eq!(json, built);
    // The canonical one remembers its files.
    let schema = canonical
        .origins
        .file(Kind::Collection, "acmeCo/anvils/products", "/schema")
        .unwrap();
    assert!(schema
        .url
        .ends_with("/canon/acmeCo/anvils/products.schema.yaml"));
    assert_eq!(schema.reference, "products.schema.yaml");
}

/// A hand-written project: a catalog with comments, and a schema file that
/// `$ref`s another one.
fn hand_written(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir.join("schemas")).unwrap();
    std::fs::write(
        dir.join("schemas/anvil.schema.yaml"),
        "# An anvil.\ntype: object\nproperties:\n  id: {type: string}\n  weight: {$ref: common.yaml#/$defs/weight}\nrequired: [id]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("schemas/common.yaml"),
        "$defs:\n  weight: {type: number, minimum: 0}\n",
    )
    .unwrap();
    std::fs::write(dir.join("migration.sql"), "CREATE TABLE seen (id TEXT);\n").unwrap();
    let target = dir.join("flow.yaml");
    std::fs::write(
        &target,
        "# Our anvils.\ncollections:\n  acmeCo/anvils:\n    schema: schemas/anvil.schema.yaml # the schema file\n    key: [/id]\n  acmeCo/seen:\n    schema: {type: object, properties: {id: {type: string}}, required: [id]}\n    key: [/id]\n    derive:\n      using: {sqlite: {migrations: [migration.sql]}}\n      transforms: []\n",
    )
    .unwrap();
    target
}

#[test]
fn a_hand_written_catalog_written_back_unchanged_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let target = hand_written(dir.path());
    let before = snapshot(dir.path());
    let loaded = load(&target);
    // The schema is the file's, as written: its reference resolves
    // against the file.
    let schema = loaded.collections["acmeCo/anvils"]
        .schema
        .as_ref()
        .unwrap()
        .to_value();
    assert_eq!(
        schema["properties"]["weight"],
        json!({"$ref": "common.yaml#/$defs/weight"})
    );
    let written = write(&loaded, &target, Layout::Flat).unwrap();
    assert_eq!(written.unchanged, std::slice::from_ref(&target));
    // Comments and all: flow.yaml holds the same catalog, so it is kept.
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn a_changed_value_goes_back_into_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = hand_written(dir.path());
    let flow_before = std::fs::read(&target).unwrap();
    let mut loaded = load(&target);
    let mut schema = loaded.collections["acmeCo/anvils"]
        .schema
        .as_ref()
        .unwrap()
        .to_value();
    schema["properties"]["color"] = json!({"type": "string"});
    loaded.collections.get_mut("acmeCo/anvils").unwrap().schema = Some(schema.into());
    write(&loaded, &target, Layout::Flat).unwrap();

    // flow.yaml still refers to the file, which has the new schema.
    assert_eq!(std::fs::read(&target).unwrap(), flow_before);
    let file: serde_json::Value = serde_yaml::from_str(
        &std::fs::read_to_string(dir.path().join("schemas/anvil.schema.yaml")).unwrap(),
    )
    .unwrap();
    assert_eq!(file["properties"]["color"], json!({"type": "string"}));
    assert_eq!(
        file["properties"]["weight"],
        json!({"$ref": "common.yaml#/$defs/weight"})
    );
    let again = load(&target);
    assert_eq!(again, loaded);
    again.validate().unwrap();
}

#[test]
fn writing_elsewhere_refers_back_to_the_same_files() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    let target = hand_written(&src);
    let loaded = load(&target);
    for (layout, out) in [
        (Layout::Flat, dir.path().join("out/flat/flow.yaml")),
        (Layout::Canonical, dir.path().join("out/canon/flow.yaml")),
    ] {
        write(&loaded, &out, layout).unwrap();
        let again = load(&out);
        assert_eq!(again, loaded, "{layout:?}");
        assert_eq!(
            again.bundle().unwrap(),
            loaded.bundle().unwrap(),
            "{layout:?}"
        );
        for (rel, bytes) in snapshot(out.parent().unwrap()) {
            let text = String::from_utf8(bytes).unwrap();
            assert!(!text.contains("file://"), "{layout:?} {rel}: {text}");
            assert!(
                !text.contains(dir.path().to_str().unwrap()),
                "{layout:?} {rel}: {text}"
            );
        }
        // Nothing was written into `src/`.
        let files: Vec<String> = snapshot(&src).into_keys().collect();
        assert_eq!(
            files,
            [
                "flow.yaml",
                "migration.sql",
                "schemas/anvil.schema.yaml",
                "schemas/common.yaml"
            ]
        );
    }
    let flat = std::fs::read_to_string(dir.path().join("out/flat/flow.yaml")).unwrap();
    assert!(
        flat.contains("schema: ../../src/schemas/anvil.schema.yaml\n"),
        "{flat}"
    );
    assert!(flat.contains("- ../../src/migration.sql\n"), "{flat}");

    // Changed, a value whose file is outside the target's directory is
    // written inline: nothing outside of it is written.
    let mut changed = loaded.clone();
    let derive = changed
        .collections
        .get_mut("acmeCo/seen")
        .unwrap()
        .derive
        .as_mut()
        .unwrap();
    let crate::DeriveUsing::Sqlite(sqlite) = &mut derive.using else {
        panic!()
    };
    sqlite.migrations[0] = json!("CREATE TABLE seen (id TEXT, n INTEGER);\n");
    let out = dir.path().join("out/changed/flow.yaml");
    write(&changed, &out, Layout::Flat).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("CREATE TABLE seen (id TEXT, n INTEGER);"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(src.join("migration.sql")).unwrap(),
        "CREATE TABLE seen (id TEXT);\n"
    );
}

#[test]
fn references_of_a_catalog_made_in_code_mean_the_same_once_written() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    std::fs::create_dir_all(project.join("sql")).unwrap();
    std::fs::write(project.join("sql/init.sql"), "CREATE TABLE t (id TEXT);\n").unwrap();
    std::fs::write(project.join("module.ts"), "export class Derivation {}\n").unwrap();

    let mut built = catalog(json!({"collections": {
        "acmeCo/sql": {"schema": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
            "key": ["/id"], "derive": {"using": {"sqlite": {"migrations": ["sql/init.sql"]}}, "transforms": []}},
        "acmeCo/ts": {"schema": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
            "key": ["/id"], "derive": {"using": {"typescript": {"module": "module.ts"}}, "transforms": []}},
    }}));
    // Relative to the base directory, which validation reads them in.
    built.set_base_dir(dir.path()).unwrap();
    let err = built.validate().unwrap_err();
    let codes: Vec<_> = err
        .diagnostics()
        .iter()
        .map(|d| (d.code.as_str(), d.scope.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            (
                "read_failed",
                "flow://catalog#/collections/acmeCo~1sql/derive/using/sqlite/migrations/0"
            ),
            (
                "read_failed",
                "flow://catalog#/collections/acmeCo~1ts/derive/using/typescript/module"
            ),
        ]
    );
    built.set_base_dir(&project).unwrap();
    built.validate().unwrap();

    // Written anywhere, the references still name the same files.
    for out in [
        project.join("flow.yaml"),
        dir.path().join("out/deep/flow.yaml"),
    ] {
        write(&built, &out, Layout::Flat).unwrap();
        let loaded = load(&out);
        loaded.validate().unwrap();
        assert_eq!(
            loaded.bundle().unwrap(),
            built.bundle().unwrap(),
            "{}",
            out.display()
        );
    }
    let deep = std::fs::read_to_string(dir.path().join("out/deep/flow.yaml")).unwrap();
    assert!(deep.contains("module: ../../project/module.ts\n"), "{deep}");
    let beside = std::fs::read_to_string(project.join("flow.yaml")).unwrap();
    assert!(beside.contains("module: module.ts\n"), "{beside}");
}

#[test]
fn writing_through_a_symlinked_target_keeps_the_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("real")).unwrap();
    let real = dir.path().join("real/catalog.yaml");
    std::fs::write(&real, "{}\n").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("flow.yaml");
    std::os::unix::fs::symlink("real/catalog.yaml", &link).unwrap();

    write(&big_catalog(), &link, Layout::Flat).unwrap();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        Path::new("real/catalog.yaml")
    );
    assert_eq!(load(&link), big_catalog());
    assert!(std::fs::read_to_string(&real)
        .unwrap()
        .contains("acmeCo/anvils/products"));
    assert_eq!(
        std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o640
    );
    let names: Vec<String> = snapshot(dir.path()).into_keys().collect();
    assert_eq!(
        names,
        ["flow.yaml", "real/catalog.yaml"],
        "no temporary file is left"
    );
}

#[test]
fn temporary_files_of_killed_writes_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("acmeCo")).unwrap();
    // Leftovers of a process that no longer runs (pid 2^22 + 1 is above
    // Linux's default pid_max), and of this one (left alone).
    let dead = 4_194_305;
    let own = std::process::id();
    let leftovers = [
        format!(".flow.yaml.{dead}.0.flowspec-tmp"),
        format!(".flow.yaml.{dead}.3.flowspec-old"),
        format!("acmeCo/.flow.yaml.{dead}.0.flowspec-tmp"),
    ];
    for name in &leftovers {
        std::fs::write(dir.path().join(name), "secret catalog contents").unwrap();
    }
    let mine = format!(".other.yaml.{own}.0.flowspec-tmp");
    std::fs::write(dir.path().join(&mine), "in use").unwrap();
    std::fs::write(dir.path().join(".notes.txt"), "not ours").unwrap();

    write(
        &big_catalog(),
        &dir.path().join("flow.yaml"),
        Layout::Canonical,
    )
    .unwrap();
    let names: Vec<String> = snapshot(dir.path()).into_keys().collect();
    for name in &leftovers {
        assert!(!names.contains(name), "{name} is left: {names:?}");
    }
    assert!(names.contains(&mine));
    assert!(names.contains(&".notes.txt".to_string()));
    assert!(
        !names
            .iter()
            .any(|n| n.ends_with(".flowspec-tmp") && n != &mine),
        "{names:?}"
    );
}

#[test]
fn files_of_removed_specs_are_reported_or_pruned() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("flow.yaml");
    let mut catalog = big_catalog();
    catalog.collections.insert(
        crate::Collection::new("acmeCo/old/thing").unwrap(),
        crate::CollectionDef::example(),
    );
    write(&catalog, &target, Layout::Canonical).unwrap();
    assert!(dir.path().join("acmeCo/old/flow.yaml").is_file());

    // Catalogs of other tenants, and files beside the target, are not ours.
    std::fs::create_dir(dir.path().join("vendor")).unwrap();
    std::fs::write(dir.path().join("vendor/flow.yaml"), "{}\n").unwrap();
    std::fs::write(dir.path().join("notes.schema.yaml"), "{}\n").unwrap();

    // Without the `acmeCo/old` spec and the products' schema file.
    catalog.collections.remove("acmeCo/old/thing");
    catalog.collections.remove("acmeCo/anvils/products");
    catalog.captures.clear();
    catalog.tests.clear();
    let written = write(&catalog, &target, Layout::Canonical).unwrap();
    let stale: Vec<String> = written
        .stale
        .iter()
        .map(|p| {
            p.strip_prefix(dir.path())
                .unwrap()
                .to_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        stale,
        [
            "acmeCo/anvils/products.schema.yaml",
            "acmeCo/anvils/test.step.0.yaml",
            "acmeCo/old/flow.yaml",
            "acmeCo/src/flow.yaml",
            "acmeCo/src/pg.config.yaml",
            "acmeCo/src/pg.resource.0.config.yaml",
        ]
    );
    assert!(written
        .stale_warning()
        .unwrap()
        .contains("6 files of the catalog"));
    assert!(
        dir.path().join("acmeCo/old/flow.yaml").is_file(),
        "left in place"
    );

    let options = WriteOptions {
        layout: Layout::Canonical,
        prune: true,
        ..Default::default()
    };
    let pruned = write_with(&catalog, &target, &options).unwrap();
    assert_eq!(pruned.stale.len(), 6);
    assert!(pruned.pruned && pruned.stale_warning().is_none());
    let names: Vec<String> = snapshot(dir.path()).into_keys().collect();
    assert_eq!(
        names,
        [
            "acmeCo/anvils/counts.lambda.fromProducts.sql",
            "acmeCo/anvils/counts.migration.0.sql",
            "acmeCo/anvils/flow.yaml",
            "acmeCo/flow.yaml",
            "flow.yaml",
            "notes.schema.yaml",
            "vendor/flow.yaml",
        ]
    );
    assert!(
        !dir.path().join("acmeCo/old").exists(),
        "emptied directories go too"
    );
    assert_eq!(load(&target), catalog);
}
