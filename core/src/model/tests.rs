//! What a spec of the wrong shape is told: what is accepted, at the path of
//! the offending value, in words of the catalog format rather than of serde.

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::{CaptureDef, CollectionDef, MaterializationDef, TestDef};

/// The first error of deserializing `value` as a `T`: its path and message.
fn error<T: DeserializeOwned + std::fmt::Debug>(value: Value) -> (String, String) {
    let err = crate::json::from_value::<T>(&value).unwrap_err();
    (err.path().to_string(), err.inner().to_string())
}

fn materialization(patch: Value) -> Value {
    let mut m = json!({
        "endpoint": {"connector": {"image": "ghcr.io/estuary/materialize-x:v1", "config": {}}},
        "bindings": [],
    });
    for (k, v) in patch.as_object().unwrap() {
        m[k] = v.clone();
    }
    m
}

fn derivation(derive: Value) -> Value {
    json!({"schema": {"type": "object"}, "key": ["/id"], "derive": derive})
}

#[test]
fn messages_say_what_is_accepted() {
    let connector = json!({"image": "ghcr.io/estuary/source-x:v1", "config": {}});
    // (what deserializing gave, the path and message wanted)
    type Case = ((String, String), (&'static str, &'static str));
    let cases: Vec<Case> = vec![
        (
            error::<CaptureDef>(json!({"endpoint": {"connector": connector, "local": {"command": ["x"], "config": {}}}, "bindings": []})),
            ("endpoint", "endpoint takes exactly one of `connector` or `local`, but this object has `connector` and `local`"),
        ),
        (
            error::<CaptureDef>(json!({"endpoint": {}, "bindings": []})),
            ("endpoint", "endpoint needs one of `connector` or `local`, and this object has none"),
        ),
        (
            error::<CaptureDef>(json!({"endpoint": "connector", "bindings": []})),
            ("endpoint", "invalid type: string \"connector\", expected endpoint: an object with one of `connector` or `local`"),
        ),
        (
            error::<CaptureDef>(json!({"endpoint": {"connector": {"image": "x"}}, "bindings": []})),
            ("endpoint.connector", "missing field `config`"),
        ),
        (
            error::<MaterializationDef>(materialization(json!({"endpoint": {"connector": connector, "flowSink": connector}}))),
            ("endpoint", "`connector` and `flowSink` are two spellings of one option: give only one of them"),
        ),
        (
            error::<MaterializationDef>(materialization(json!({"source": "acmeCo/c", "sourceCapture": "acmeCo/c"}))),
            (".", "`source` and `sourceCapture` are two spellings of one option: give only one of them"),
        ),
        (
            error::<MaterializationDef>(materialization(json!({"source": {"capture": "acmeCo/c", "targetSchema": "withSchema", "targetNaming": "noSchema"}}))),
            ("source", "`targetSchema` and `targetNaming` are two spellings of one option: give only one of them"),
        ),
        (
            error::<MaterializationDef>(materialization(json!({"bindings": [{"resource": {}, "source": "acmeCo/x", "fields": {"recommended": true, "include": {}, "require": {}}}]}))),
            ("bindings[0].fields", "`include` and `require` are two spellings of one option: give only one of them"),
        ),
        (
            error::<MaterializationDef>(materialization(json!({"bindings": [{"resource": {}, "source": "acmeCo/x", "fields": {"recommended": "yes"}}]}))),
            ("bindings[0].fields.recommended", "invalid type: string \"yes\", expected true, false, or a depth (a whole number from 0)"),
        ),
        (
            error::<MaterializationDef>(materialization(json!({"bindings": [{"resource": {}, "source": "acmeCo/x", "fields": {"recommended": -1}}]}))),
            ("bindings[0].fields.recommended", "invalid type: integer `-1`, expected true, false, or a depth (a whole number from 0)"),
        ),
        (
            error::<MaterializationDef>(materialization(json!({"bindings": [{"resource": {}, "source": "acmeCo/x", "fields": {"recommended": 5_000_000_000u64}}]}))),
            ("bindings[0].fields.recommended", "depth 5000000000 is too large (at most 4294967295)"),
        ),
        (
            error::<CollectionDef>(derivation(json!({"using": {"sqlite": {}, "typescript": {"module": "d.ts"}}, "transforms": []}))),
            ("derive.using", "runtime takes exactly one of `connector`, `sqlite`, `typescript`, `python` or `local`, but this object has `sqlite` and `typescript`"),
        ),
        (
            error::<CollectionDef>(derivation(json!({"using": {"sqlite": {"migrations": 5}}, "transforms": []}))),
            ("derive.using.sqlite.migrations", "invalid type: integer `5`, expected a sequence"),
        ),
        (
            error::<CollectionDef>(derivation(json!({"using": {"sqlite": {}}, "transforms": [{"name": "t", "source": "acmeCo/x", "shuffle": {"key": ["/a"], "lambda": "x"}}]}))),
            ("derive.transforms[0].shuffle", "shuffle takes exactly one of `key` or `lambda`, but this object has `key` and `lambda`"),
        ),
        (
            error::<CollectionDef>(derivation(json!({"using": {"sqlite": {}}, "transforms": [{"name": "t", "source": "acmeCo/x", "shuffle": "anything"}]}))),
            ("derive.transforms[0].shuffle", "invalid type: string \"anything\", expected `any`, or shuffle: an object with one of `key` or `lambda`"),
        ),
        (
            error::<CollectionDef>(derivation(json!({"using": {"sqlite": {}}, "transforms": [{"name": "t", "source": "acmeCo/x", "shuffle": {"any": {}}}]}))),
            ("derive.transforms[0].shuffle", "`any` takes no value: write it as the string `any`"),
        ),
        (
            error::<CollectionDef>(derivation(json!({"using": {"sqlite": {}}, "transforms": [{"name": "t", "source": "acmeCo/x", "shuffle": {"key": ["a"]}}]}))),
            ("derive.transforms[0].shuffle.key[0]", "\"a\" is not a valid JSON pointer (missing leading '/' slash)"),
        ),
        (
            error::<CollectionDef>(json!({"schema": {"type": "object"}, "key": ["/id"], "projections": {"f": 5}})),
            ("projections.f", "invalid type: integer `5`, expected a JSON pointer or an object {location, partition}"),
        ),
        (
            error::<TestDef>(json!({"steps": [{"ingest": {"collection": "acmeCo/x", "documents": []}, "verify": {"collection": "acmeCo/x", "documents": []}}]})),
            ("steps[0]", "test step takes exactly one of `ingest` or `verify`, but this object has `ingest` and `verify`"),
        ),
        (
            error::<TestDef>(json!([{"inject": {}}])),
            ("[0]", "unknown variant `inject`, expected `ingest` or `verify`"),
        ),
        (
            error::<CaptureDef>(json!(5)),
            (".", "invalid type: integer `5`, expected a capture: an object {endpoint, bindings, …}"),
        ),
        (
            error::<CaptureDef>(json!({"endpoint": {"connector": connector}, "bindings": [], "shards": 5})),
            ("shards", "invalid type: integer `5`, expected a shard template: an object {disable, minTxnDuration, maxTxnDuration, …}"),
        ),
        (
            error::<CaptureDef>(json!({"endpoint": {"connector": connector}, "bindings": [], "shards": {"logLevel": 5}})),
            ("shards.logLevel", "invalid type: integer `5`, expected one of `error`, `warn`, `info`, `debug`, `trace`"),
        ),
        (
            error::<CaptureDef>(json!({"endpoint": {"connector": connector}, "bindings": [], "shards": {"logLevel": "loud"}})),
            ("shards.logLevel", "unknown variant `loud`, expected one of `error`, `warn`, `info`, `debug`, `trace`"),
        ),
        (
            error::<CaptureDef>(json!({"endpoint": {"connector": connector}, "bindings": [], "shards": {"hotStandbys": -1}})),
            ("shards.hotStandbys", "invalid value: integer `-1`, expected a whole number from 0 to 4294967295"),
        ),
        (
            error::<CaptureDef>(json!({"endpoint": {"connector": connector}, "bindings": [{"resource": {}, "target": "acmeCo/x", "backfill": "1"}]})),
            ("bindings[0].backfill", "invalid type: string \"1\", expected a whole number from 0 to 4294967295"),
        ),
        (
            error::<MaterializationDef>(materialization(json!({"onIncompatibleSchemaChange": true}))),
            ("onIncompatibleSchemaChange", "invalid type: boolean `true`, expected one of `abort`, `backfill`, `disableBinding`, `disableTask`"),
        ),
        (
            error::<TestDef>(json!(5)),
            (".", "invalid type: integer `5`, expected an object {description, steps} or an array of steps"),
        ),
    ];
    for (got, (path, message)) in cases {
        assert_eq!(got, (path.to_string(), message.to_string()));
    }
}

#[test]
fn old_spellings_still_deserialize() {
    let m: MaterializationDef = serde_json::from_value(json!({
        "sourceCapture": {"capture": "acmeCo/c", "targetSchema": "fromSourceName"},
        "endpoint": {"flowSink": {"image": "ghcr.io/estuary/materialize-x:v1", "config": {}}},
        "bindings": [{"resource": {}, "source": "acmeCo/x", "fields": {"recommended": 1, "include": {"a": {}}}}],
    }))
    .unwrap();
    // Written back with today's spellings.
    assert_eq!(
        serde_json::to_value(&m).unwrap(),
        json!({
            "source": {"capture": "acmeCo/c", "targetNaming": "withSchema"},
            "endpoint": {"connector": {"image": "ghcr.io/estuary/materialize-x:v1", "config": {}}},
            "bindings": [{"resource": {}, "source": "acmeCo/x", "fields": {"require": {"a": {}}, "recommended": 1}}],
        })
    );
}

#[test]
fn names_of_unit_variants_round_trip() {
    use crate::{
        CompressionCodec, LogLevel, OnIncompatibleSchemaChange, ShuffleType, TargetNaming,
    };

    fn round_trip<T>(values: &[T])
    where
        T: serde::Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        for v in values {
            let name = serde_json::to_value(v).unwrap();
            assert!(name.is_string(), "{v:?} is written as {name}");
            assert_eq!(&serde_json::from_value::<T>(name).unwrap(), v);
        }
    }
    use CompressionCodec as C;
    round_trip(&[
        C::None,
        C::Gzip,
        C::Zstandard,
        C::Snappy,
        C::GzipOffloadDecompression,
    ]);
    use LogLevel as L;
    round_trip(&[L::Error, L::Warn, L::Info, L::Debug, L::Trace]);
    round_trip(&[
        ShuffleType::Boolean,
        ShuffleType::Integer,
        ShuffleType::String,
    ]);
    use OnIncompatibleSchemaChange as O;
    round_trip(&[O::Abort, O::Backfill, O::DisableBinding, O::DisableTask]);
    use TargetNaming as T;
    round_trip(&[
        T::NoSchema,
        T::WithSchema,
        T::PrefixSchema,
        T::PrefixNonDefaultSchema,
    ]);
    // Older names are still read.
    assert_eq!(
        serde_json::from_value::<T>(json!("leaveEmpty")).unwrap(),
        T::NoSchema
    );
    assert_eq!(
        serde_json::from_value::<T>(json!("fromSourceName")).unwrap(),
        T::WithSchema
    );
    let layouts = [
        crate::json_api::LayoutOption::Flat,
        crate::json_api::LayoutOption::Canonical,
    ];
    for (name, layout) in ["flat", "canonical"].iter().zip(layouts) {
        assert_eq!(
            serde_json::from_value::<crate::json_api::LayoutOption>(json!(name)).unwrap(),
            layout
        );
    }
}
