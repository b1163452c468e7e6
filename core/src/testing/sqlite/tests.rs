use serde_json::{json, Value};

use super::params::{self, encode, resolve, Param};
use super::statements::{split, Statement};
use super::{open, stub_lambda, stub_migration, SqliteRuntime};
use crate::testing::runtime::Runtime;
use crate::{Catalog, Collection};

fn catalog(json: Value) -> Catalog {
    serde_json::from_value(json).expect("test catalog deserializes")
}

fn name(n: &str) -> Collection {
    Collection::new(n).expect("a valid collection name")
}

/// A catalog with source `acmeCo/src` of schema `schema` (key `/id`), and
/// derivation `acmeCo/d` with `migrations` and one transform per lambda
/// (`t0`, `t1`…), all reading the source.
fn derivation(schema: Value, migrations: Value, lambdas: &[&str]) -> Catalog {
    let transforms: Vec<Value> = lambdas
        .iter()
        .enumerate()
        .map(|(i, l)| json!({"name": format!("t{i}"), "source": "acmeCo/src", "shuffle": "any", "lambda": l}))
        .collect();
    catalog(json!({"collections": {
        "acmeCo/src": {"schema": schema, "key": ["/id"]},
        "acmeCo/d": {"schema": {"type": "object"}, "key": ["/id"], "derive": {
            "using": {"sqlite": {"migrations": migrations}}, "transforms": transforms}},
    }}))
}

fn runtime(schema: Value, migrations: Value, lambdas: &[&str]) -> SqliteRuntime {
    let c = derivation(schema, migrations, lambdas);
    match open(&c, &name("acmeCo/d")) {
        Ok(r) => r,
        Err(e) => panic!("open failed: {e}"),
    }
}

fn open_err(schema: Value, migrations: Value, lambdas: &[&str]) -> String {
    let c = derivation(schema, migrations, lambdas);
    match open(&c, &name("acmeCo/d")) {
        Ok(_) => panic!("open succeeded"),
        Err(e) => e.message,
    }
}

fn read(r: &mut SqliteRuntime, transform: usize, doc: Value) -> Vec<Value> {
    match r.read(transform, &doc) {
        Ok(out) => out,
        Err(e) => panic!("read failed: {e}"),
    }
}

fn ids() -> Value {
    json!({"type": "object", "properties": {"id": {"type": "string"}, "n": {"type": "integer"}}, "required": ["id"]})
}

const FIELDS: &[(&str, &str)] = &[
    ("Simple", "$Simple"),
    ("under_Score", "$under_Score"),
    ("with space", "$with_space"),
    ("with-hyphen", "$with_hyphen"),
    ("äëïöü/4-2", "$äëïöü$4_2"),
    ("With/Nesting", "$With$Nesting"),
    ("with$Dollar", "$p::(with$Dollar)"),
    (
        "With/Nesting/and+special-hyphen",
        "$p::(With/Nesting/and+special-hyphen)",
    ),
    ("hello, world!", "$p::(hello,_world!)"),
];

#[test]
fn fields_encode_and_resolve_back() {
    let params: Vec<Param> = FIELDS.iter().map(|(f, _)| Param::plain(f, "")).collect();
    for (field, encoding) in FIELDS {
        assert_eq!(encode(field), *encoding);
        assert_eq!(
            resolve(encoding, &params).map(|p| p.field.as_str()),
            Ok(*field)
        );
    }
    let err = |enc: &str| resolve(enc, &params).map(|p| p.field.clone()).unwrap_err();
    assert_eq!(
        err("$simplee"),
        "parameter $simplee not found: did you mean $Simple ?"
    );
    assert_eq!(
        err("$with$nesting"),
        "parameter $with$nesting not found: did you mean $With$Nesting ?"
    );
    assert_eq!(
        err("$With$Nesting$and_special_hyphen"),
        "parameter $With$Nesting$and_special_hyphen not found: did you mean \
         $p::(With/Nesting/and+special-hyphen) ?"
    );
    assert_eq!(
        err("$way_off"),
        "parameter $way_off not found: did you mean $Simple ?"
    );
    // `_` stands for whitespace anywhere, and for `-` outside of `$p::(…)`.
    assert_eq!(
        resolve("$with-hyphen", &params).map(|p| p.field.as_str()),
        Ok("with-hyphen")
    );
    assert_eq!(
        resolve("$p::(with_space)", &params).map(|p| p.field.as_str()),
        Ok("with space")
    );
    assert_eq!(
        resolve("$p::(with_hyphen)", &params)
            .map(|p| p.field.clone())
            .unwrap_err(),
        "parameter $p::(with_hyphen) not found: did you mean $with_hyphen ?"
    );
    assert_eq!(
        resolve("$x", &[]).map(|p| p.field.clone()).unwrap_err(),
        "parameter $x not found: this statement has no parameters"
    );
}

fn texts(statements: Vec<Statement>) -> Vec<(String, bool)> {
    statements.into_iter().map(|s| (s.sql, s.empty)).collect()
}

#[test]
fn blocks_split_where_statements_complete() {
    let block = "\n-- Some comments.\nselect '&;' as $foo\nfrom bar\nwhere baz = $bing and baz != ';';\n\n\
                 -- Next comment;\nupdate foobar set value = 'a ; new value';\n\
                 select 1 from thingy_without_trailing_semicolon\n/* Trailing\n;\ncomment */\nselect 2;\n\n";
    assert_eq!(
        texts(split(block).unwrap()),
        vec![
            (
                "\n-- Some comments.\nselect '&;' as $foo\nfrom bar\nwhere baz = $bing and baz != ';';"
                    .to_string(),
                false
            ),
            ("\n\n-- Next comment;\nupdate foobar set value = 'a ; new value';".to_string(), false),
            (
                "\nselect 1 from thingy_without_trailing_semicolon\n/* Trailing\n;\ncomment */\nselect 2;"
                    .to_string(),
                false
            ),
        ]
    );
    let block = "\n-- Extra semicolons are dropped.\nselect 1;;\n;\nselect 2;  ;\n;\n\
                 /* but not after a comment */ ;\n";
    assert_eq!(
        texts(split(block).unwrap()),
        vec![
            (
                "\n-- Extra semicolons are dropped.\nselect 1;".to_string(),
                false
            ),
            ("\nselect 2;".to_string(), false),
            ("\n/* but not after a comment */ ;".to_string(), true),
        ]
    );
    // Quoted identifiers, and the body of a trigger up to its END.
    let block = "select \"a;b\", [c;d], `e;f` from t;\nCREATE TEMP TRIGGER tr AFTER INSERT ON t \
                 BEGIN insert into u values (1); insert into u values (2); END;\nselect 3;";
    assert_eq!(
        texts(split(block).unwrap()),
        vec![
            ("select \"a;b\", [c;d], `e;f` from t;".to_string(), false),
            (
                "\nCREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN insert into u values (1); \
                 insert into u values (2); END;"
                    .to_string(),
                false
            ),
            ("\nselect 3;".to_string(), false),
        ]
    );
    assert_eq!(
        split("select 1; \0 select 2;").unwrap_err(),
        "SQL block contains illegal NULL characters"
    );
    assert_eq!(
        split("select 1;\nselect 2\n").unwrap_err(),
        "SQL block has ambiguous trailing non-whitespace content without a closing ';' \
         semicolon: \nselect 2\n"
    );
    assert_eq!(
        split("select 'unterminated;").unwrap_err(),
        "SQL block has ambiguous trailing non-whitespace content without a closing ';' \
         semicolon: select 'unterminated;"
    );
    assert_eq!(split("  \n ").unwrap(), vec![]);
}

fn conversions_schema() -> Value {
    json!({"type": "object", "properties": {
        "id": {"type": "string"},
        "case": {"type": "string"},
        "in": {"default": "the default"},
        "str": {"type": "object", "properties": {
            "int": {"type": "string", "format": "integer"},
            "num": {"type": "string", "format": "number"},
            "b64": {"type": "string", "contentEncoding": "base64"},
        }},
        "nested": {"type": "object", "properties": {"prop": {"type": "integer"}}},
        "arr": {"type": "array", "prefixItems": [{"type": "string"}]},
    }, "required": ["id"]})
}

#[test]
fn values_bind_and_convert_as_estuary_does() {
    let mut r = runtime(
        conversions_schema(),
        json!([]),
        &["select $case, $in as output;"],
    );
    let cases = [
        (json!({"case": "true", "in": true}), json!(1)),
        (json!({"case": "false", "in": false}), json!(0)),
        (json!({"case": "string", "in": "hello"}), json!("hello")),
        (json!({"case": "pos-int", "in": 123}), json!(123)),
        (json!({"case": "neg-int", "in": -456}), json!(-456)),
        (json!({"case": "float", "in": 1.5}), json!(1.5)),
        (json!({"case": "null", "in": null}), json!(null)),
        (
            json!({"case": "array", "in": "[1,2,\"three\"]"}),
            json!([1, 2, "three"]),
        ),
        (
            json!({"case": "obj", "in": "{\"four\": 4}"}),
            json!({"four": 4}),
        ),
        (
            json!({"case": "invalid-array", "in": "[1 2 \"three\"]"}),
            json!("[1 2 \"three\"]"),
        ),
        (
            json!({"case": "invalid-obj", "in": "{four 4}"}),
            json!("{four 4}"),
        ),
        (json!({"case": "missing"}), json!("the default")),
        (
            json!({"case": "json-array", "in": [1, {"a": null}]}),
            json!([1, {"a": null}]),
        ),
    ];
    for (doc, output) in cases {
        let case = doc["case"].clone();
        assert_eq!(
            read(&mut r, 0, doc),
            vec![json!({"case": case, "output": output})]
        );
    }

    let mut r = runtime(
        conversions_schema(),
        json!([]),
        &["select 'string-types' as \"case\", $str$int * 10, $str$num * 2.5, $str$b64, \
           cast($str$b64 as text) as str_base64_text, cast('a raw string' as blob) as blob_fixture, \
           $nested$prop, $arr$0, 1e999 as inf, -1e999 as neg_inf, null as nada;"],
    );
    let doc = json!({"id": "x", "str": {"int": "12", "num": "7.5", "b64": "VGhpcyBpcyBiYXNlNjQ="},
                     "nested": {"prop": 7}, "arr": ["first"]});
    let out = read(&mut r, 0, doc);
    assert_eq!(
        out,
        vec![json!({
            "case": "string-types",
            "$str$int * 10": 120,
            "$str$num * 2.5": 18.75,
            "str/b64": "VGhpcyBpcyBiYXNlNjQ=",
            "str_base64_text": "This is base64",
            "blob_fixture": "YSByYXcgc3RyaW5n",
            "nested/prop": 7,
            "arr/0": "first",
            "inf": "inf",
            "neg_inf": "-inf",
            "nada": null,
        })]
    );
    // Strings that do not parse as their format are bound as text.
    let out = read(
        &mut r,
        0,
        json!({"id": "x", "str": {"int": "twelve", "num": "x", "b64": "!!"}}),
    );
    assert_eq!(out[0]["$str$int * 10"], json!(0));
    assert_eq!(out[0]["str/b64"], json!("!!"));

    let mut r = runtime(
        conversions_schema(),
        json!([]),
        &["select json_object('case', 'top-level-object', 'str-int', $str$int);"],
    );
    assert_eq!(
        read(&mut r, 0, json!({"id": "x", "str": {"int": "12"}})),
        vec![json!({"case": "top-level-object", "str-int": 12})]
    );
}

#[test]
fn the_documented_example_and_pass_through() {
    let schema = json!({"type": "object", "properties": {
        "id": {"type": "string"}, "customer": {"type": "string"}, "timestamp": {"type": "string"},
        "item_price": {"type": "number"}, "sales_tax": {"type": "number"},
    }, "required": ["id"]});
    let mut r = runtime(
        schema,
        json!([]),
        &[
            "SELECT $customer, DATE($timestamp) AS date, PRINTF('$%.2f', $item_price + $sales_tax) AS cost;",
            "SELECT JSON($flow_document);",
        ],
    );
    let doc = json!({"id": "1", "customer": "Wile E. Coyote", "timestamp": "2023-04-17T12:34:56Z",
                     "item_price": 11.5, "sales_tax": 0.8});
    assert_eq!(
        read(&mut r, 0, doc.clone()),
        vec![json!({"customer": "Wile E. Coyote", "date": "2023-04-17", "cost": "$12.30"})]
    );
    assert_eq!(read(&mut r, 1, doc.clone()), vec![doc]);
}

const SUMS: &str = "CREATE TABLE sums (id TEXT PRIMARY KEY NOT NULL, total INTEGER NOT NULL);";
const UPSERT: &str = "INSERT INTO sums (id, total) VALUES ($id, $n)
    ON CONFLICT (id) DO UPDATE SET total = total + $n
    RETURNING id, total;";

#[test]
fn running_sums_keep_state_across_documents_and_transforms_until_reset() {
    let mut r = runtime(
        ids(),
        json!([SUMS, "INSERT INTO sums VALUES ('seed', 100);"]),
        &[UPSERT, "UPDATE sums SET total = total * 2 WHERE id = $id; SELECT $id, total FROM sums WHERE id = $id;"],
    );
    assert_eq!(
        read(&mut r, 0, json!({"id": "a", "n": 3})),
        vec![json!({"id": "a", "total": 3})]
    );
    assert_eq!(
        read(&mut r, 0, json!({"id": "a", "n": 5})),
        vec![json!({"id": "a", "total": 8})]
    );
    assert_eq!(
        read(&mut r, 0, json!({"id": "b", "n": 1})),
        vec![json!({"id": "b", "total": 1})]
    );
    // The second transform sees what the first wrote.
    assert_eq!(
        read(&mut r, 1, json!({"id": "a"})),
        vec![json!({"id": "a", "total": 16})]
    );
    assert_eq!(r.flush(), Ok(vec![]));
    assert_eq!(
        read(&mut r, 0, json!({"id": "a", "n": 1})),
        vec![json!({"id": "a", "total": 17})]
    );
    assert_eq!(
        read(&mut r, 1, json!({"id": "seed"})),
        vec![json!({"id": "seed", "total": 200})]
    );

    let migrations = |r: &SqliteRuntime| -> Vec<(i64, String)> {
        let mut stmt = r
            .conn
            .prepare("SELECT script_index, script FROM flow_migrations ORDER BY script_index")
            .unwrap();
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    let want = vec![
        (0, SUMS.to_string()),
        (1, "INSERT INTO sums VALUES ('seed', 100);".to_string()),
    ];
    assert_eq!(migrations(&r), want);

    r.reset().unwrap();
    assert_eq!(migrations(&r), want);
    assert_eq!(
        read(&mut r, 0, json!({"id": "a", "n": 5})),
        vec![json!({"id": "a", "total": 5})]
    );
    assert_eq!(
        read(&mut r, 1, json!({"id": "seed"})),
        vec![json!({"id": "seed", "total": 200})]
    );
}

#[test]
fn changes_tells_whether_a_statement_wrote() {
    let schema = json!({"type": "object", "properties": {
        "id": {"type": "integer"}, "sender": {"type": "string"}, "amount": {"type": "number"},
    }, "required": ["id"]});
    let mut r = runtime(
        schema,
        json!([
            "CREATE TABLE balances (account TEXT PRIMARY KEY NOT NULL, balance REAL NOT NULL);
                INSERT INTO balances VALUES ('alice', 20), ('bob', 5);"
        ]),
        &["UPDATE balances SET balance = balance - $amount
             WHERE account = $sender AND balance >= $amount;
           SELECT $id, $sender, $amount,
             CASE WHEN CHANGES() THEN 'approve' ELSE 'deny' END AS outcome,
             (SELECT balance FROM balances WHERE account = $sender) AS sender_balance;"],
    );
    let t =
        |id: i64, sender: &str, amount: f64| json!({"id": id, "sender": sender, "amount": amount});
    assert_eq!(
        read(&mut r, 0, t(1, "alice", 10.75)),
        vec![
            json!({"id": 1, "sender": "alice", "amount": 10.75, "outcome": "approve", "sender_balance": 9.25})
        ]
    );
    assert_eq!(
        read(&mut r, 0, t(2, "alice", 32.5)),
        vec![
            json!({"id": 2, "sender": "alice", "amount": 32.5, "outcome": "deny", "sender_balance": 9.25})
        ]
    );
    assert_eq!(
        read(&mut r, 0, t(3, "carol", 1.0)),
        vec![
            json!({"id": 3, "sender": "carol", "amount": 1.0, "outcome": "deny", "sender_balance": null})
        ]
    );
}

#[test]
fn implicit_projections_bind() {
    let schema = json!({"type": "object", "properties": {
        "id": {"type": "string"},
        "_meta": {"type": "object", "properties": {"uuid": {"type": "string"}}},
    }, "required": ["id"]});
    let mut r = runtime(
        schema,
        json!([]),
        &["SELECT $id, $flow_published_at, $_meta$uuid, $_meta$flow_truncated;"],
    );
    let uuid = "c232ab00-9414-11ec-b3c8-9f6bdeced846";
    assert_eq!(
        read(&mut r, 0, json!({"id": "a", "_meta": {"uuid": uuid}})),
        vec![
            json!({"id": "a", "flow_published_at": "2022-02-22T19:22:22Z", "_meta/uuid": uuid,
                    "_meta/flow_truncated": null})
        ]
    );
    // Not a v1 UUID, or none: NULL.
    let v4 = "9b2a4f8e-3c1d-4e5f-8a7b-6c5d4e3f2a1b";
    assert_eq!(
        read(&mut r, 0, json!({"id": "a", "_meta": {"uuid": v4}}))[0]["flow_published_at"],
        json!(null)
    );
    assert_eq!(
        read(&mut r, 0, json!({"id": "a"}))[0]["flow_published_at"],
        json!(null)
    );
    assert_eq!(
        params::uuid_v1_time("13814001-1dd2-11b2-8000-000000000000"),
        Some("1970-01-01T00:00:00.000000100Z".to_string())
    );
}

#[test]
fn explicit_projections_and_read_schemas_give_parameters() {
    let c = catalog(json!({"collections": {
        "acmeCo/src": {
            "writeSchema": {"type": "object", "properties": {"id": {"type": "string"}, "w": {"type": "integer", "default": 7}}},
            "readSchema": {"allOf": [{"$ref": "flow://write-schema"}, {"properties": {"r": {"type": "string"}}}]},
            "key": ["/id"],
            "projections": {"Renamed Field": "/deep/x", "when": "/_meta/uuid/date-time"},
        },
        "acmeCo/d": {"schema": {"type": "object"}, "key": ["/id"], "derive": {
            "using": {"sqlite": {}}, "transforms": [{"name": "t", "source": "acmeCo/src", "shuffle": {"key": ["/id"]},
            "lambda": "SELECT $id, $w, $r, $Renamed_Field, $when;"}]}},
    }}));
    let mut r = open(&c, &name("acmeCo/d")).unwrap();
    assert_eq!(
        read(
            &mut r,
            0,
            json!({"id": "a", "r": "read", "deep": {"x": [1]},
                               "_meta": {"uuid": "c232ab00-9414-11ec-b3c8-9f6bdeced846"}})
        ),
        vec![
            json!({"id": "a", "w": 7, "r": "read", "Renamed Field": [1], "when": "2022-02-22T19:22:22Z"})
        ]
    );
}

#[test]
fn transforms_without_lambdas_publish_nothing() {
    let c = catalog(json!({"collections": {
        "acmeCo/src": {"schema": ids(), "key": ["/id"]},
        "acmeCo/d": {"schema": {"type": "object"}, "key": ["/id"], "derive": {
            "using": {"sqlite": {}}, "transforms": [
                {"name": "quiet", "source": "acmeCo/src", "shuffle": "any"},
                {"name": "off", "source": "acmeCo/missing", "shuffle": "any", "disable": true, "lambda": "SELECT 1;"},
                {"name": "comment", "source": "acmeCo/src", "shuffle": "any", "lambda": "/* nothing */ ;\nSELECT $id;"},
            ]}},
    }}));
    let mut r = open(&c, &name("acmeCo/d")).unwrap();
    assert_eq!(read(&mut r, 0, json!({"id": "a"})), Vec::<Value>::new());
    assert_eq!(
        r.read(1, &json!({"id": "a"})).unwrap_err().message,
        "derivation acmeCo/d: transform off is disabled"
    );
    assert_eq!(
        read(&mut r, 2, json!({"id": "a"})),
        vec![json!({"id": "a"})]
    );
    assert_eq!(
        r.read(3, &json!({})).unwrap_err().message,
        "derivation acmeCo/d: there is no transform at index 3"
    );
}

#[test]
fn open_errors_name_the_derivation_and_transform() {
    assert_eq!(
        open_err(ids(), json!([]), &["SELECT $simplee;"]),
        "derivation acmeCo/d: lambda block of transform t0 is invalid: parameter $simplee not \
         found: did you mean $id ?"
    );
    assert_eq!(
        open_err(ids(), json!([]), &["SELECT 1;\nSELECT 2"]),
        "derivation acmeCo/d: lambda block of transform t0 is invalid: SQL block has ambiguous \
         trailing non-whitespace content without a closing ';' semicolon: \nSELECT 2"
    );
    assert_eq!(
        open_err(ids(), json!([]), &["SELECT '\0';"]),
        "derivation acmeCo/d: lambda block of transform t0 is invalid: SQL block contains illegal \
         NULL characters"
    );
    assert_eq!(
        open_err(ids(), json!([]), &["SELECT ?;"]),
        "derivation acmeCo/d: lambda block of transform t0 is invalid: parameter 1 has no name: \
         name parameters by their fields, like $id"
    );
    assert_eq!(
        open_err(ids(), json!([]), &["SELECT * FROM nowhere;"]),
        "derivation acmeCo/d: lambda block of transform t0 is invalid: no such table: nowhere"
    );
    assert_eq!(
        open_err(ids(), json!([SUMS, "CREATE TABLE sums (x);"]), &[]),
        "derivation acmeCo/d: failed to apply database migration at index 1: table sums already \
         exists in CREATE TABLE sums (x); at offset 13"
    );
    assert_eq!(
        open_err(ids(), json!(["SELECT $id;"]), &[]),
        "derivation acmeCo/d: failed to apply database migration at index 0: parameter $id not \
         found: this statement has no parameters"
    );
    assert_eq!(
        open_err(ids(), json!(["migrations/one.sql"]), &[]),
        "derivation acmeCo/d: migration at index 0 is the file reference \"migrations/one.sql\", \
         which was not loaded: load the catalog with its files (or run generate to create a stub)"
    );
    assert_eq!(
        open_err(ids(), json!([]), &["lambda.sql"]),
        "derivation acmeCo/d: the lambda of transform t0 is the file reference \"lambda.sql\", \
         which was not loaded: load the catalog with its files (or run generate to create a stub)"
    );
    let c = catalog(json!({"collections": {
        "acmeCo/src": {"schema": ids(), "key": ["/id"]},
        "acmeCo/d": {"schema": {"type": "object"}, "key": ["/id"], "derive": {
            "using": {"sqlite": {}}, "transforms": [
                {"name": "byLambda", "source": "acmeCo/src", "shuffle": {"lambda": "SELECT $id;"}, "lambda": "SELECT 1;"},
            ]}},
        "acmeCo/ts": {"schema": {"type": "object"}, "key": ["/id"], "derive": {
            "using": {"typescript": {"module": "x.ts"}}, "transforms": []}},
        "acmeCo/other": {"schema": {"type": "object"}, "key": ["/id"], "derive": {
            "using": {"sqlite": {}}, "transforms": [
                {"name": "fromMissing", "source": "acmeCo/missing", "shuffle": "any"},
            ]}},
    }}));
    let err = |n: &str| open(&c, &name(n)).err().map(|e| e.message);
    assert_eq!(
        err("acmeCo/d").as_deref(),
        Some(
            "derivation acmeCo/d: transform byLambda has a shuffle lambda, which SQLite \
             derivations do not support: shuffle by `key` or `any`"
        )
    );
    assert_eq!(
        err("acmeCo/ts").as_deref(),
        Some("derivation acmeCo/ts: the derivation does not use SQLite")
    );
    assert_eq!(
        err("acmeCo/src").as_deref(),
        Some("derivation acmeCo/src: the collection is not a derivation")
    );
    assert_eq!(
        err("acmeCo/other").as_deref(),
        Some("derivation acmeCo/other: transform fromMissing: source collection acmeCo/missing is not defined")
    );
}

#[test]
fn invocation_errors_show_the_statement_and_document() {
    let schema = json!({"type": "object", "properties": {"id": {"type": "string"}, "big": {"type": "integer"}}, "required": ["id"]});
    let mut r = runtime(
        schema,
        json!([SUMS]),
        &[
            "SELECT 1 AS one;\nINSERT INTO sums VALUES ($id, 1) RETURNING total;",
            "SELECT $big;",
        ],
    );
    assert_eq!(
        read(&mut r, 0, json!({"id": "a"})),
        vec![json!({"one": 1}), json!({"total": 1})]
    );
    assert_eq!(
        r.read(0, &json!({"id": "a"})).unwrap_err().message,
        "derivation acmeCo/d: failed to invoke transform \"t0\" lambda statement at offset 1: \
         UNIQUE constraint failed: sums.id\nDocument was {\n  \"id\": \"a\"\n}"
    );
    assert_eq!(
        read(
            &mut r,
            1,
            json!({"id": "a", "big": 9223372036854775807_i64})
        ),
        vec![json!({"big": 9223372036854775807_i64})]
    );
    assert_eq!(
        r.read(1, &json!({"id": "a", "big": 9223372036854775808_u64}))
            .unwrap_err()
            .message,
        "derivation acmeCo/d: failed to invoke transform \"t1\" lambda statement at offset 0: \
         failed to bind parameter $big (field big): integer too large to bind (greater than \
         2^63-1)\nDocument was {\n  \"id\": \"a\",\n  \"big\": 9223372036854775808\n}"
    );
}

#[test]
fn stubs_run_and_name_every_projection() {
    let schema = json!({"type": "object", "properties": {
        "id": {"type": "string", "title": "The id"},
        "region": {"type": "string", "description": "Where it is,\nroughly"},
        "value": {"type": "integer"},
    }, "required": ["id", "region"]});
    let c = catalog(json!({"collections": {
        "acmeCo/src": {"schema": schema, "key": ["/id"], "projections": {"part": {"location": "/region", "partition": true}}},
    }}));
    let lambda = stub_lambda(&c, &name("acmeCo/src")).unwrap();
    assert_eq!(
        lambda,
        "-- To publish each document of acmeCo/src unchanged, uncomment:
-- SELECT JSON($flow_document);
-- and add a WHERE clause to filter them, like: WHERE $my$field = 1234

-- Select locations of documents of acmeCo/src. WHERE FALSE disables this
-- statement: it publishes nothing until you change it.
-- Rename a column with AS, like: SELECT $my$field AS renamed
SELECT
    -- Field _meta/flow_truncated at /_meta/flow_truncated
    $_meta$flow_truncated,
    -- Field flow_published_at at /_meta/uuid
    $flow_published_at,
    -- Key id at /id; The id
    $id,
    -- Partitioned field part at /region; Where it is, roughly
    $part,
    -- Field region at /region; Where it is, roughly
    $region,
    -- Field value at /value
    $value
WHERE FALSE;
"
    );
    let mut r = runtime(ids(), json!([stub_migration()]), &[]);
    assert_eq!(
        r.read(0, &json!({})).unwrap_err().message,
        "derivation acmeCo/d: there is no transform at index 0"
    );
    let c = catalog(json!({"collections": {
        "acmeCo/src": {"schema": ids(), "key": ["/id"]},
        "acmeCo/d": {"schema": {"type": "object"}, "key": ["/id"], "derive": {
            "using": {"sqlite": {"migrations": [stub_migration()]}},
            "transforms": [{"name": "t", "source": "acmeCo/src", "shuffle": "any",
                            "lambda": stub_lambda(&c_src(), &name("acmeCo/src")).unwrap()}]}},
    }}));
    let mut r = open(&c, &name("acmeCo/d")).unwrap();
    // As generated, the lambda publishes nothing.
    let doc = json!({"id": "a", "n": 1});
    assert_eq!(read(&mut r, 0, doc), Vec::<Value>::new());
    assert_eq!(
        stub_lambda(&c, &name("acmeCo/nope")).unwrap_err().message,
        "stub lambda of acmeCo/nope: source collection acmeCo/nope is not defined"
    );
}

fn c_src() -> Catalog {
    catalog(json!({"collections": {"acmeCo/src": {"schema": ids(), "key": ["/id"]}}}))
}
