use serde_json::{json, Value};

use crate::validate::testing::{check, collection, Expect};

/// A name of exactly `len` bytes: `acmeCo/` and parts of 200 bytes at most.
fn name_of(len: usize) -> String {
    let mut name = "acmeCo".to_string();
    while name.len() < len {
        let part = (len - name.len() - 1).min(200);
        name.push('/');
        name.push_str(&"x".repeat(part.max(1)));
    }
    assert_eq!(name.len(), len);
    name
}

fn capture(shards: Value) -> Value {
    json!({
        "endpoint": {"connector": {"image": "ghcr.io/estuary/source-x:v1", "config": {}}},
        "bindings": [],
        "shards": shards,
    })
}

fn scope(kind: &str, name: &str) -> String {
    format!("flow://catalog#/{kind}/{}", name.replace('/', "~1"))
}

#[test]
fn name_parts_fit_a_file_name() {
    let fits = format!("acmeCo/{}", "x".repeat(255));
    let long = format!("acmeCo/{}/y", "x".repeat(256));
    // 128 two-byte letters are 256 bytes.
    let wide = format!("acmeCo/{}", "é".repeat(128));
    check(json!({"tests": {fits.clone(): []}}), &[]);
    check(
        json!({"tests": {long.clone(): [], wide.clone(): []}}),
        &[
            Expect::error(
                &scope("tests", &long),
                "name_part_too_long",
                &format!(
                    "test {long} has a name part of 256 bytes, {}, but the split layout makes \
                     each part a directory or file name, which file systems limit to 255 bytes",
                    "x".repeat(256)
                ),
            ),
            Expect::error(
                &scope("tests", &wide),
                "name_part_too_long",
                &format!(
                    "test {wide} has a name part of 256 bytes, {}, but the split layout makes \
                     each part a directory or file name, which file systems limit to 255 bytes",
                    "é".repeat(128)
                ),
            ),
        ],
    );
}

#[test]
fn journal_names_fit_gazette() {
    // `<name>/<16 hex>/pivot=00`: 26 bytes more than the name.
    let fits = name_of(512 - 26);
    let long = name_of(512 - 25);
    check(json!({"collections": {fits: collection(json!({}))}}), &[]);
    check(
        json!({"collections": {long.clone(): collection(json!({}))}}),
        &[Expect::error(
            &scope("collections", &long),
            "journal_name_too_long",
            &format!(
                "collection {long} would have journal names of at least 513 bytes (its name, a \
                 generation id and `pivot=00`), but Gazette allows 512; shorten its name by 1 byte"
            ),
        )],
    );
    // Each partition adds `<field>=<value>/`, its value one byte at least.
    let mut partitioned = collection(json!({"region": {"type": "string"}}));
    partitioned["schema"]["required"] = json!(["id", "region"]);
    partitioned["projections"] = json!({"region": {"location": "/region", "partition": true}});
    let name = name_of(512 - 26 - 9 + 1);
    check(
        json!({"collections": {name.clone(): partitioned}}),
        &[Expect::error(
            &scope("collections", &name),
            "journal_name_too_long",
            &format!(
                "collection {name} would have journal names of at least 513 bytes (its name, a \
                 generation id, its partition field and `pivot=00`), but Gazette allows 512; \
                 shorten its name or partition field by 1 byte"
            ),
        )],
    );
}

#[test]
fn shard_ids_fit_gazette() {
    // `recovery/capture/<name>/<16 hex>/<8 hex>-<8 hex>`: 52 bytes more.
    let fits = name_of(512 - 52);
    let long = name_of(512 - 51);
    check(json!({"captures": {fits: capture(json!({}))}}), &[]);
    check(
        json!({"captures": {long.clone(): capture(json!({}))}}),
        &[Expect::error(
            &scope("captures", &long),
            "shard_id_too_long",
            &format!(
                "capture {long} would have recovery logs of 513 bytes (`recovery/capture/` and \
                 its name, a generation id and a key range), but Gazette allows 512; shorten its \
                 name by 1 byte"
            ),
        )],
    );
    // `recovery/materialize/…` is 4 bytes longer.
    let name = name_of(512 - 55);
    let materialization = json!({
        "endpoint": {"connector": {"image": "ghcr.io/estuary/materialize-x:v1", "config": {}}},
        "bindings": [],
    });
    check(
        json!({"materializations": {name.clone(): materialization}}),
        &[Expect::error(
            &scope("materializations", &name),
            "shard_id_too_long",
            &format!(
                "materialization {name} would have recovery logs of 513 bytes \
                 (`recovery/materialize/` and its name, a generation id and a key range), but \
                 Gazette allows 512; shorten its name by 1 byte"
            ),
        )],
    );
    // A derivation is a collection and a task: both limits apply.
    let name = name_of(512 - 54);
    let mut derivation = collection(json!({}));
    derivation["derive"] = json!({"using": {"sqlite": {}}, "transforms": []});
    check(
        json!({"collections": {name.clone(): derivation}}),
        &[Expect::error(
            &scope("collections", &name),
            "shard_id_too_long",
            &format!(
                "derivation {name} would have recovery logs of 513 bytes \
                 (`recovery/derivation/` and its name, a generation id and a key range), but \
                 Gazette allows 512; shorten its name by 1 byte"
            ),
        )],
    );
}

#[test]
fn journal_and_shard_template_ranges() {
    let with_fragments = |fragments: Value| {
        let mut c = collection(json!({}));
        c["journals"] = json!({"fragments": fragments});
        c
    };
    check(
        json!({
            "collections": {
                "acmeCo/a": with_fragments(json!({"length": 32, "flushInterval": "1m"})),
                "acmeCo/b": with_fragments(json!({"length": 4096, "flushInterval": "0s"})),
            },
            "captures": {"acmeCo/c": capture(json!({"maxTxnDuration": "1s", "minTxnDuration": "0s"}))},
        }),
        &[],
    );
    check(
        json!({
            "collections": {
                "acmeCo/a": with_fragments(json!({"length": 31, "flushInterval": "59s"})),
                "acmeCo/b": with_fragments(json!({"length": 4097})),
            },
            "captures": {"acmeCo/c": capture(json!({"maxTxnDuration": "0ms"}))},
        }),
        &[
            Expect::error(
                "flow://catalog#/collections/acmeCo~1a/journals/fragments/flushInterval",
                "flush_interval_too_short",
                "collection acmeCo/a journal flushInterval 59s is shorter than 1m, the shortest \
                 interval Gazette accepts (leave it out for the default of 24h)",
            ),
            Expect::error(
                "flow://catalog#/collections/acmeCo~1a/journals/fragments/length",
                "fragment_length_range",
                "collection acmeCo/a journal fragment length 31 is out of range: give 32 to 4096 \
                 (megabytes; the default is 512)",
            ),
            Expect::error(
                "flow://catalog#/collections/acmeCo~1b/journals/fragments/length",
                "fragment_length_range",
                "collection acmeCo/b journal fragment length 4097 is out of range: give 32 to \
                 4096 (megabytes; the default is 512)",
            ),
            Expect::error(
                "flow://catalog#/captures/acmeCo~1c/shards/maxTxnDuration",
                "max_txn_duration_zero",
                "capture acmeCo/c shards maxTxnDuration 0ms must be longer than zero (leave it \
                 out for the default)",
            ),
        ],
    );
}
