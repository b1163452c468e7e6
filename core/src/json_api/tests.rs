use serde_json::json;

use super::*;

/// The code and message of a failure.
fn err(result: Result<()>) -> (&'static str, String) {
    let err = result.unwrap_err();
    (err.code(), err.to_string())
}

#[test]
fn option_errors_name_the_spec_and_option() {
    let mut c = Catalog::default();
    let cases = vec![
        (
            err(capture(&mut c, "acmeCo/c", json!({"imgae": "x"}))),
            "invalid_spec",
            "capture acmeCo/c: unknown option `imgae`, did you mean `image`? expected one of `image`, `config`,",
        ),
        (
            err(capture(&mut c, "acmeCo/c", json!({}))),
            "invalid_spec",
            "capture acmeCo/c: no endpoint is given: give `image` (and `config`), or another endpoint",
        ),
        (
            err(capture(&mut c, "acmeCo/c", json!({"config": {}}))),
            "invalid_spec",
            "capture acmeCo/c: `config` is given without an `image`",
        ),
        (
            err(capture(&mut c, "bad", json!({"image": "x"}))),
            "invalid_name",
            "bad cannot be used as name for capture",
        ),
        (
            err(capture(&mut c, "acmeCo/c", json!({"image": "x", "interval": "5 min"}))),
            "invalid_spec",
            "capture acmeCo/c: interval: \"5 min\" is not a valid duration",
        ),
        (
            err(collection(&mut c, "acmeCo/x", json!({"schema": {}, "key": ["id"]}))),
            "invalid_name",
            "collection acmeCo/x: key[0]: \"id\" is not a valid JSON pointer (missing leading '/' slash)",
        ),
        (
            err(derivation(&mut c, "acmeCo/d", json!({"schema": {}, "key": ["/id"]}))),
            "invalid_spec",
            "derivation acmeCo/d: no runtime is given",
        ),
        (
            err(derivation(&mut c, "acmeCo/d", json!({"schema": {}, "key": ["/id"], "sqlite": [], "typescript": "m.ts"}))),
            "invalid_spec",
            "derivation acmeCo/d: give only one runtime",
        ),
        (
            err(transform(&mut c, "acmeCo/none", json!({"name": "t", "source": "acmeCo/x"}))),
            "reference_undefined",
            "collection acmeCo/none is not defined",
        ),
        (
            err(materialization(&mut c, "acmeCo/m", json!({"image": "x", "bindings": [{"resource": {}, "source": "nope"}]}))),
            "invalid_name",
            "materialization acmeCo/m: bindings[0].source: nope cannot be used as name for collection",
        ),
        (
            err(ingest(&mut c, "acmeCo/t", json!({"collection": "acmeCo/x", "documents": []}))),
            "reference_undefined",
            "test acmeCo/t is not defined",
        ),
    ];
    for ((code, got), want_code, want) in cases {
        assert_eq!(code, want_code, "{got}");
        assert!(got.starts_with(want), "{got:?} !~ {want:?}");
    }
}

#[test]
fn json_options_and_builders_make_the_same_specs() {
    use crate::build;
    let mut by_json = Catalog::default();
    capture(
        &mut by_json,
        "acmeCo/c",
        json!({"image": "img:v1", "config": {"a": 1}, "interval": "10m"}),
    )
    .unwrap();
    capture_binding(
        &mut by_json,
        "acmeCo/c",
        json!({"resource": {"s": "x"}, "target": "acmeCo/x"}),
    )
    .unwrap();
    collection(
        &mut by_json,
        "acmeCo/x",
        json!({"schema": {"type": "object"}, "key": ["/id"]}),
    )
    .unwrap();
    derivation(
        &mut by_json,
        "acmeCo/d",
        json!({"schema": {"type": "object"}, "key": ["/id"], "typescript": "d.ts"}),
    )
    .unwrap();
    transform(&mut by_json, "acmeCo/d", json!({"name": "fromX", "source": "acmeCo/x", "shuffle": ["/id"], "notBefore": "2024-01-01T00:00:00Z"})).unwrap();
    materialization(
        &mut by_json,
        "acmeCo/m",
        json!({"image": "m:v1", "config": {}}),
    )
    .unwrap();
    materialization_binding(
        &mut by_json,
        "acmeCo/m",
        json!({"resource": {"table": "x"}, "source": "acmeCo/x", "fields": {"exclude": ["a"]}}),
    )
    .unwrap();
    test(&mut by_json, "acmeCo/t", json!({"description": "d"})).unwrap();
    ingest(
        &mut by_json,
        "acmeCo/t",
        json!({"collection": "acmeCo/x", "documents": [{"id": 1}]}),
    )
    .unwrap();
    verify(&mut by_json, "acmeCo/t", json!({"collection": "acmeCo/x", "documents": [{"id": 1}], "partitions": {"include": {"r": ["a"]}}})).unwrap();

    let mut fields = crate::MaterializationFields::default();
    fields.exclude.push(crate::Field::new("a").unwrap());
    let mut mb = crate::MaterializationBinding::new(
        json!({"table": "x"}),
        crate::Source::Collection(crate::Collection::new("acmeCo/x").unwrap()),
    );
    mb.fields = fields;
    let selector: crate::PartitionSelector =
        serde_json::from_value(json!({"include": {"r": ["a"]}})).unwrap();
    let mut by_builders = Catalog::default();
    by_builders
        .add(
            build::CaptureBuilder::new("acmeCo/c")
                .connector("img:v1", json!({"a": 1}))
                .interval("10m")
                .binding(json!({"s": "x"}), "acmeCo/x"),
        )
        .unwrap()
        .add(
            build::CollectionBuilder::new("acmeCo/x")
                .schema(json!({"type": "object"}))
                .key(["/id"]),
        )
        .unwrap()
        .add(
            build::CollectionBuilder::new("acmeCo/d")
                .schema(json!({"type": "object"}))
                .key(["/id"])
                .derive(
                    build::DerivationBuilder::typescript("d.ts").transform(
                        build::TransformBuilder::new("fromX", "acmeCo/x")
                            .shuffle_key(["/id"])
                            .not_before("2024-01-01T00:00:00Z"),
                    ),
                ),
        )
        .unwrap()
        .add(
            build::MaterializationBuilder::new("acmeCo/m")
                .connector("m:v1", json!({}))
                .binding_def(mb),
        )
        .unwrap()
        .add(
            build::TestBuilder::new("acmeCo/t")
                .description("d")
                .ingest("acmeCo/x", [json!({"id": 1})])
                .verify_partitions("acmeCo/x", selector, [json!({"id": 1})]),
        )
        .unwrap();
    assert_eq!(by_json, by_builders);
}

#[test]
fn get_set_remove() {
    let mut c = Catalog::default();
    collection(
        &mut c,
        "acmeCo/x",
        json!({"schema": {"type": "object"}, "key": ["/id"]}),
    )
    .unwrap();
    let mut spec = get(&c, Kind::Collection, "acmeCo/x").unwrap();
    spec["key"] = json!(["/other"]);
    set(&mut c, Kind::Collection, "acmeCo/x", spec).unwrap();
    assert_eq!(c.collections["acmeCo/x"].key[0].as_str(), "/other");
    assert_eq!(names(&c, Kind::Collection), vec!["acmeCo/x"]);
    assert!(remove(&mut c, Kind::Collection, "acmeCo/x"));
    assert!(!remove(&mut c, Kind::Collection, "acmeCo/x"));
    assert!(get(&c, Kind::Collection, "acmeCo/x").is_none());
}

#[test]
fn write_options_name_a_bad_layout() {
    let c = Catalog::default();
    let got = write(&c, "x/flow.yaml", json!({"layout": "split"}))
        .unwrap_err()
        .to_string();
    assert!(
        got.starts_with("write x/flow.yaml: layout: unknown variant `split`"),
        "{got}"
    );
    let got = write(&c, "x/flow.yaml", json!({"layuot": "flat"}))
        .unwrap_err()
        .to_string();
    assert!(
        got.starts_with("write x/flow.yaml: unknown option `layuot`"),
        "{got}"
    );
}

#[test]
fn option_errors_say_what_is_accepted() {
    let mut c = Catalog::default();
    let sqlite = |transform: serde_json::Value| json!({"schema": {}, "key": ["/id"], "sqlite": [], "transforms": [transform]});
    let binding_fields = |fields: serde_json::Value| json!({"image": "x", "bindings": [{"resource": {}, "source": "acmeCo/x", "fields": fields}]});
    let cases = vec![
        (
            err(derivation(&mut c, "acmeCo/d", json!({"schema": {}, "key": ["/id"], "sqlite": 5}))),
            "derivation acmeCo/d: sqlite: invalid type: integer `5`, expected a list of migrations (SQL or file URLs), or an object {migrations}",
        ),
        (
            err(derivation(&mut c, "acmeCo/d", json!({"schema": {}, "key": ["/id"], "typescript": 5}))),
            "derivation acmeCo/d: typescript: invalid type: integer `5`, expected the module's code or file URL, or an object {module, dependencies}",
        ),
        (
            err(derivation(&mut c, "acmeCo/d", json!({"schema": {}, "key": ["/id"], "using": {"sqlite": {}, "typescript": {"module": "d.ts"}}}))),
            "derivation acmeCo/d: using: runtime takes exactly one of `connector`, `sqlite`, `typescript`, `python` or `local`, but this object has `sqlite` and `typescript`",
        ),
        (
            err(derivation(&mut c, "acmeCo/d", sqlite(json!({"name": "t", "source": "acmeCo/x", "shuffle": {"key": ["/a"], "lambda": "x"}})))),
            "derivation acmeCo/d: transforms[0].shuffle: shuffle takes exactly one of `key` or `lambda`, but this object has `key` and `lambda`",
        ),
        (
            err(derivation(&mut c, "acmeCo/d", sqlite(json!({"name": "t", "source": "acmeCo/x", "shuffle": "anyy"})))),
            "derivation acmeCo/d: transforms[0].shuffle: invalid value: string \"anyy\", expected `any`, a list of JSON pointers, or an object with one of `key` or `lambda`",
        ),
        (
            err(derivation(&mut c, "acmeCo/d", sqlite(json!({"name": "t", "source": "acmeCo/x", "shuffle": ["a"]})))),
            "derivation acmeCo/d: transforms[0].shuffle[0]: \"a\" is not a valid JSON pointer (missing leading '/' slash)",
        ),
        (
            err(derivation(&mut c, "acmeCo/d", sqlite(json!({"name": "t", "source": "acmeCo/x", "shuffle": {}})))),
            "derivation acmeCo/d: transforms[0].shuffle: shuffle needs one of `key` or `lambda`, and this object has none",
        ),
        (
            err(capture(&mut c, "acmeCo/c", json!({"image": "x", "autoDiscover": 5}))),
            "capture acmeCo/c: autoDiscover: invalid type: integer `5`, expected true, false, or an object {addNewBindings, evolveIncompatibleCollections}",
        ),
        (
            err(capture(&mut c, "acmeCo/c", json!({"image": "x", "autoDiscover": {"addNewBinding": true}}))),
            "capture acmeCo/c: autoDiscover: unknown option `addNewBinding`, did you mean `addNewBindings`? expected `addNewBindings` or `evolveIncompatibleCollections`",
        ),
        (
            err(materialization(&mut c, "acmeCo/m", binding_fields(json!({"recommended": "yes"})))),
            "materialization acmeCo/m: bindings[0].fields.recommended: invalid type: string \"yes\", expected true, false, or a depth (a whole number from 0)",
        ),
        (
            err(materialization(&mut c, "acmeCo/m", binding_fields(json!({"require": {}, "include": {}})))),
            "materialization acmeCo/m: bindings[0].fields: `require` and `include` are two spellings of one option: give only one of them",
        ),
        (
            err(materialization(&mut c, "acmeCo/m", json!({"image": "x", "source": "acmeCo/c", "sourceCapture": "acmeCo/c"}))),
            "materialization acmeCo/m: `source` and `sourceCapture` are two spellings of one option: give only one of them",
        ),
        (
            err(capture(&mut c, "acmeCo/c", json!(5))),
            "capture acmeCo/c: invalid type: integer `5`, expected capture options: an object {image, config, bindings, …}",
        ),
        (
            err(write(&c, "x/flow.yaml", json!("canonical")).map(drop)),
            "write x/flow.yaml: invalid type: string \"canonical\", expected write options: an object {layout, recipients, plaintextSecrets}",
        ),
        (
            err(test(&mut c, "acmeCo/t", json!({"steps": [{}]}))),
            "test acmeCo/t: steps[0]: test step needs one of `ingest` or `verify`, and this object has none",
        ),
    ];
    for ((code, got), want) in cases {
        // A bad pointer is a name error, as from a builder or a file.
        let want_code = if want.contains("is not a valid JSON pointer") {
            "invalid_name"
        } else {
            "invalid_spec"
        };
        assert_eq!(code, want_code, "{got}");
        assert_eq!(got, want);
    }
    // Nothing failed half-way: no spec was added.
    assert!(c.is_empty());
}

#[test]
fn unknown_options_suggest_the_closest_and_list_them_all() {
    let mut c = Catalog::default();
    capture(&mut c, "acmeCo/c", json!({"image": "x"})).unwrap();
    materialization(&mut c, "acmeCo/m", json!({"image": "x"})).unwrap();
    let cases = vec![
        (
            err(collection(&mut c, "acmeCo/x", json!({"schema": {}, "kye": ["/id"]}))),
            "collection acmeCo/x: unknown option `kye`, did you mean `key`? expected one of `schema`, `writeSchema`, `readSchema`, `key`, `projections`, `journals`, `expectPubId`, `delete`",
        ),
        (
            err(collection(&mut c, "acmeCo/x", json!({"schema": {}, "key": ["/id"], "zzz": 1}))),
            "collection acmeCo/x: unknown option `zzz`, expected one of `schema`, `writeSchema`, `readSchema`, `key`, `projections`, `journals`, `expectPubId`, `delete`",
        ),
        (
            err(capture_binding(&mut c, "acmeCo/c", json!({"resource": {}, "targt": "acmeCo/x"}))),
            "capture acmeCo/c binding 0: unknown option `targt`, did you mean `target`? expected one of `resource`, `target`, `disable`, `backfill`",
        ),
        (
            err(materialization_binding(&mut c, "acmeCo/m", json!({"resource": {}, "source": "acmeCo/x", "fields": {"groupBuy": []}}))),
            "materialization acmeCo/m binding 0: fields: unknown option `groupBuy`, did you mean `groupBy`? expected one of `groupBy`, `include`, `require`, `exclude`, `recommended`",
        ),
        (
            err(capture(&mut c, "acmeCo/d", json!({"image": "x", "shards": {"logLevle": "debug"}}))),
            "capture acmeCo/d: shards: unknown option `logLevle`, did you mean `logLevel`? expected one of `disable`, `minTxnDuration`, `maxTxnDuration`, `hotStandbys`, `ringBufferSize`, `readChannelSize`, `logLevel`",
        ),
        (
            err(write(&c, "x/flow.yaml", json!({"layout": "canonicl"})).map(drop)),
            "write x/flow.yaml: layout: unknown variant `canonicl`, did you mean `canonical`? expected `flat` or `canonical`",
        ),
        (
            err(set(&mut c, Kind::Collection, "acmeCo/x", json!({"schema": true, "kye": ["/id"]})).map(drop)),
            "collection acmeCo/x: unknown field `kye`, did you mean `key`? expected one of `schema`, `writeSchema`, `readSchema`, `key`, `projections`, `journals`, `derive`, `expectPubId`, `delete`",
        ),
        (
            err(decrypt_secrets(&mut c, json!({"keyfile": "k.txt"})).map(drop)),
            "decrypt secrets: unknown option `keyfile`, did you mean `keyFile`? expected `identity` or `keyFile`",
        ),
        (
            err(decrypt_secrets(&mut c, json!({"stripSuffix": true})).map(drop)),
            "decrypt secrets: unknown option `stripSuffix`, expected `identity` or `keyFile`",
        ),
        (
            err(render(&c, crate::write::Format::Yaml, json!({"recipient": ["age1x"]})).map(drop)),
            "render: unknown option `recipient`, did you mean `recipients`? expected `recipients` or `plaintextSecrets`",
        ),
    ];
    for ((code, got), want) in cases {
        assert_eq!(code, "invalid_spec", "{got}");
        assert_eq!(got, want);
    }
}

#[test]
fn the_schema_lists_the_options_each_call_decodes() {
    // Each call's options, as the schema gives them, are exactly the names
    // its decoding error lists (serde's own field list).
    let schema = schema();
    let props = |call: &str| -> Vec<String> {
        let r = schema["properties"]["options"]["properties"][call]["$ref"]
            .as_str()
            .unwrap()
            .trim_start_matches("#/$defs/")
            .to_string();
        schema["$defs"][&r]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    let listed = |e: Error| -> Vec<String> {
        let text = e.to_string();
        let rest = text.split("expected").nth(1).unwrap().to_string();
        rest.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let bad = json!({"~": 1});
    let mut c = Catalog::default();
    capture(&mut c, "acmeCo/c", json!({"image": "x"})).unwrap();
    derivation(&mut c, "acmeCo/d", json!({"key": ["/id"], "sqlite": []})).unwrap();
    materialization(&mut c, "acmeCo/m", json!({"image": "x"})).unwrap();
    test(&mut c, "acmeCo/t", json!({})).unwrap();
    // `source` is the older spelling of a materialization's `sourceCapture`.
    let without_aliases = |call: &str, mut v: Vec<String>| {
        if call == "materialization" {
            v.retain(|n| n != "source");
        }
        v
    };
    let cases: Vec<(&str, Error)> = vec![
        ("newCatalog", new_catalog(bad.clone()).unwrap_err()),
        ("load", load("flow.yaml", bad.clone()).unwrap_err()),
        ("write", write(&c, "x/flow.yaml", bad.clone()).unwrap_err()),
        (
            "render",
            render(&c, crate::write::Format::Json, bad.clone()).unwrap_err(),
        ),
        (
            "decryptSecrets",
            decrypt_secrets(&mut c, bad.clone()).unwrap_err(),
        ),
        (
            "capture",
            capture(&mut c, "acmeCo/c2", bad.clone()).unwrap_err(),
        ),
        (
            "captureBinding",
            capture_binding(&mut c, "acmeCo/c", bad.clone()).unwrap_err(),
        ),
        (
            "collection",
            collection(&mut c, "acmeCo/x", bad.clone()).unwrap_err(),
        ),
        (
            "derivation",
            derivation(&mut c, "acmeCo/d2", bad.clone()).unwrap_err(),
        ),
        (
            "transform",
            transform(&mut c, "acmeCo/d", bad.clone()).unwrap_err(),
        ),
        (
            "materialization",
            materialization(&mut c, "acmeCo/m2", bad.clone()).unwrap_err(),
        ),
        (
            "materializationBinding",
            materialization_binding(&mut c, "acmeCo/m", bad.clone()).unwrap_err(),
        ),
        ("test", test(&mut c, "acmeCo/t2", bad.clone()).unwrap_err()),
        (
            "ingest",
            ingest(&mut c, "acmeCo/t", bad.clone()).unwrap_err(),
        ),
        (
            "verify",
            verify(&mut c, "acmeCo/t", bad.clone()).unwrap_err(),
        ),
        ("encrypt", encrypt(json!({}), bad.clone()).unwrap_err()),
        (
            "encryptFile",
            encrypt_file("x.yaml", bad.clone()).unwrap_err(),
        ),
        ("decrypt", decrypt(json!({}), bad.clone()).unwrap_err()),
        (
            "decryptFile",
            decrypt_file("x.yaml", bad.clone()).unwrap_err(),
        ),
    ];
    for (call, e) in cases {
        assert_eq!(without_aliases(call, listed(e)), props(call), "{call}");
    }
    assert_eq!(props("ageKeygen"), ["overwrite"]);
}
