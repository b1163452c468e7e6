use std::path::Path;

use serde_json::{json, Value};

use super::mapper::{schema_type, Mapper, INLINE_BASE};
use super::{generate, GenerateOptions, Generated, GeneratedKind, DENO_JSON};

/// The mapper fixture of Estuary's codegen, as a bundle rooted at
/// `test://example/schema.json`.
fn fixture() -> Value {
    json!({
        "type": "object",
        "properties": {
            "int": {"type": "integer"},
            "str": {"type": "string"},
            "anAnchor": {"$ref": "#AnAnchor"},
            "other": {"$ref": "dir/other.schema.json"},
            "lğmöm": {
                "type": "array",
                "items": [{"type": "integer"}, {"const": true}],
                "additionalItems": {"const": "extra"},
                "minItems": 4,
                "maxItems": 10
            }
        },
        "required": ["int", "str"],
        "$defs": {
            "anAnchor": {
                "$anchor": "AnAnchor",
                "type": ["object", "array"],
                "properties": {"one": {"type": "string"}, "two": {"type": "integer"}},
                "required": ["one"],
                "items": {"const": "array!"}
            },
            "otherAnchor": {
                "$anchor": "OtherAnchor",
                "type": "object",
                "properties": {"anAnchor": {"$ref": "#AnAnchor"}, "three": {"type": "string"}},
                "required": ["three"]
            },
            "test://example/dir/other.schema.json": {
                "$id": "test://example/dir/other.schema.json",
                "enum": ["hello", 42]
            }
        }
    })
}

const FIXTURE_URL: &str = "test://example/schema.json";

#[test]
fn mapper_goldens() {
    let schema = fixture();
    let with = Mapper::new(&schema, FIXTURE_URL, "Doc", &[]);
    assert_eq!(
        with.root_type(),
        "{\n    anAnchor?: DocAnAnchor;\n    int: number;\n    lğmöm?: [number, true, \
         ...(\"extra\")[]];\n    other?: 42 | \"hello\";\n    str: string;\n}"
    );
    let named: Vec<_> = with.named().collect();
    assert_eq!(
        named,
        [
            ("AnAnchor", "DocAnAnchor"),
            ("OtherAnchor", "DocOtherAnchor")
        ]
    );
    assert_eq!(
        with.anchor_type("DocOtherAnchor"),
        "{\n    anAnchor?: DocAnAnchor;\n    three: string;\n}"
    );
    let without = Mapper::new(&schema, FIXTURE_URL, "", &[]);
    assert_eq!(
        without.root_type(),
        "{\n    anAnchor?: {\n        one: string;\n        two?: number;\n    } | \
         (\"array!\")[];\n    int: number;\n    lğmöm?: [number, true, ...(\"extra\")[]];\n    \
         other?: 42 | \"hello\";\n    str: string;\n}"
    );
    assert_eq!(without.named().count(), 0);

    // A collection whose schema is an anchor of the file, or a location in it.
    let bundle =
        |reference: &str| json!({"$ref": reference, "$defs": {FIXTURE_URL: {"$id": FIXTURE_URL}}});
    let mut anchored = bundle("test://example/schema.json#OtherAnchor");
    anchored["$defs"][FIXTURE_URL] = {
        let mut f = fixture();
        f["$id"] = json!(FIXTURE_URL);
        f
    };
    assert_eq!(schema_type(&anchored, "Doc"), "DocOtherAnchor");
    assert_eq!(
        schema_type(&anchored, ""),
        "{\n    anAnchor?: {\n        one: string;\n        two?: number;\n    } | \
         (\"array!\")[];\n    three: string;\n}"
    );
    let mut located = anchored.clone();
    located["$ref"] = json!("test://example/schema.json#/properties/str");
    assert_eq!(schema_type(&located, "Doc"), "string");
    assert_eq!(schema_type(&located, ""), "string");
}

#[test]
fn schema_to_typescript_rules() {
    let cases: Vec<(Value, &str)> = vec![
        // Nothing said, or nothing possible.
        (json!({}), "unknown"),
        (json!(true), "unknown"),
        (json!(false), "never"),
        (json!({"type": "string", "enum": [1]}), "never"),
        // Scalars, nullables, and unions in a fixed order.
        (json!({"type": "integer"}), "number"),
        (json!({"type": ["string", "null"]}), "string | null"),
        (
            json!({"type": ["null", "string", "number", "boolean", "array"]}),
            "unknown[] | boolean | number | string | null",
        ),
        (
            json!({"type": ["null", "string", "number", "boolean", "array", "object"]}),
            "unknown",
        ),
        (
            json!({"type": ["object", "null"], "required": ["a"]}),
            "{\n    a: unknown;\n} | null",
        ),
        // Enums and consts, sorted by the total order.
        (
            json!({"enum": [{"a": 1}, [1], "b", 2.5, -1, true, null]}),
            "null | true | -1 | 2.5 | \"b\" | [1] | {\"a\":1}",
        ),
        (json!({"const": "x"}), "\"x\""),
        (json!({"type": "string", "enum": ["a", 1]}), "\"a\""),
        // Objects: sorted, optional, quoted names.
        (
            json!({"type": "object", "properties": {"b": {"type": "string"}, "a b": {}, "_c": {"type": "boolean"}}, "required": ["b"]}),
            "{\n    \"_c\"?: boolean;\n    \"a b\"?: unknown;\n    b: string;\n}",
        ),
        (json!({"type": "object"}), "Record<string, unknown>"),
        // Indexers.
        (
            json!({"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"], "additionalProperties": {"type": "string"}}),
            "{\n    a: number;\n    [k: string]: number | string;\n}",
        ),
        (
            json!({"type": "object", "properties": {"a": {"type": "integer"}}, "additionalProperties": {"type": "string"}}),
            "{\n    a?: number;\n    [k: string]: number | string | undefined;\n}",
        ),
        (
            json!({"type": "object", "patternProperties": {"^x": {"type": "boolean"}}}),
            "{\n    [k: string]: boolean;\n}",
        ),
        (
            json!({"type": "object", "properties": {"a": {"type": "integer"}}, "additionalProperties": false}),
            "{\n    a?: number;\n}",
        ),
        (
            json!({"type": "object", "additionalProperties": {"type": "object", "properties": {"n": {"type": "number"}}, "required": ["n"]}}),
            "{\n    [k: string]: {\n        n: number;\n    };\n}",
        ),
        // Arrays and tuples.
        (json!({"type": "array"}), "unknown[]"),
        (
            json!({"type": "array", "items": {"type": "string"}}),
            "string[]",
        ),
        (
            json!({"type": "array", "items": {"enum": ["a", "b"]}}),
            "(\"a\" | \"b\")[]",
        ),
        (
            json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}, {}], "minItems": 1, "items": false}),
            "[string, number?, unknown?]",
        ),
        (
            json!({"type": "array", "prefixItems": [{"type": "string"}], "items": {"type": "integer"}, "minItems": 1}),
            "[string, ...(number)[]]",
        ),
        // Comments.
        (json!({"type": "string", "title": "T"}), "/* T */ string"),
        (
            json!({"type": "string", "description": "D"}),
            "/* D */ string",
        ),
        (
            json!({"type": "string", "title": "T", "description": "D"}),
            "/* T D */ string",
        ),
        // Applicators.
        (
            json!({"allOf": [{"type": ["string", "integer"]}, {"type": ["integer", "null"]}]}),
            "number",
        ),
        (
            json!({"oneOf": [{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}, {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}]}),
            "{\n    a: number | string;\n}",
        ),
        (
            json!({"anyOf": [{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}, {"type": "null"}]}),
            "{\n    a: string;\n} | null",
        ),
        (
            json!({"if": {"type": "string"}, "then": {"type": "string"}, "else": {"type": "integer"}}),
            "number | string",
        ),
        (json!({"not": {"type": "string"}}), "unknown"),
        (
            json!({"$defs": {"n": {"type": "integer"}}, "type": "object", "properties": {"a": {"$ref": "#/$defs/n"}}}),
            "{\n    a?: number;\n}",
        ),
        // References to named anchors, with titles only.
        (
            json!({"$defs": {"n": {"$anchor": "Num", "type": "integer"}}, "type": "object", "properties": {"a": {"$ref": "#Num", "title": "T", "description": "D"}, "b": {"$ref": "#Num", "minimum": 1}}}),
            "{\n    a?: /* T */ DNum;\n    b?: number;\n}",
        ),
        // A cycle ends in a reference.
        (
            json!({"$defs": {"t": {"$anchor": "Tree", "type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#Tree"}}}}}, "$ref": "#Tree"}),
            "DTree",
        ),
    ];
    for (schema, expected) in cases {
        assert_eq!(schema_type(&schema, "D"), expected, "{schema}");
    }
    let recursive = json!({"$defs": {"t": {"$anchor": "Tree", "type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#Tree"}}}}}, "$ref": "#Tree"});
    let mapper = Mapper::new(&recursive, INLINE_BASE, "D", &[]);
    assert_eq!(mapper.anchor_type("DTree"), "{\n    kids?: DTree[];\n}");
}

/// Writes `files` (path, text) under `dir`.
fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

const SCHEMA_YAML: &str = r#"$defs:
  int:
    $anchor: Int
    description: "A document that holds an integer"
    type: object
    properties:
      Key: { type: string }
      Int: { type: integer }
    required: [Key, Int]

  string:
    $anchor: String
    description: "A document that holds a string"
    type: object
    properties:
      Key: { type: string }
      String: { type: string }
    required: [Key, String]

  join:
    $anchor: Join
    description: "Document for join examples"
    type: object
    properties:
      Key: { type: string }
      LHS:
        type: integer
        reduce: { strategy: sum }
      RHS:
        type: array
        items: { type: string }
        reduce: { strategy: append }
"#;

const INPUTS_YAML: &str = r#"collections:
  patterns/ints:
    schema: schema.yaml#Int
    key: [/Key, /Int]

  patterns/strings:
    schema: schema.yaml#String
    key: [/Key, /String]
"#;

const OUTER_JOIN_YAML: &str = r#"import:
  - inputs.flow.yaml
collections:
  patterns/outer-join:
    schema:
      $ref: schema.yaml#Join
      required: [Key]
    key: [/Key]
    derive:
      using:
        typescript:
          module: outer-join/mod.ts
      transforms:
        - name: fromInts
          source: patterns/ints
          shuffle: { key: [/Key] }
        - name: fromStrings
          source: patterns/strings
          shuffle: { key: [/Key] }
"#;

/// Estuary's generated types of `patterns/outer-join`.
const OUTER_JOIN_TYPES: &str = r#"
// Generated for published documents of derived collection patterns/outer-join.
export type Document = /* Document for join examples */ {
    Key: string;
    LHS?: number;
    RHS?: string[];
};


// Generated for schema $anchor Int."
export type DocumentInt = /* A document that holds an integer */ {
    Int: number;
    Key: string;
};


// Generated for schema $anchor Join."
export type DocumentJoin = /* Document for join examples */ {
    Key?: string;
    LHS?: number;
    RHS?: string[];
};


// Generated for schema $anchor String."
export type DocumentString = /* A document that holds a string */ {
    Key: string;
    String: string;
};


// Generated for read documents of sourced collection patterns/ints.
export type SourceFromInts = SourceFromIntsInt;


// Generated for schema $anchor Int."
export type SourceFromIntsInt = /* A document that holds an integer */ {
    Int: number;
    Key: string;
};


// Generated for schema $anchor Join."
export type SourceFromIntsJoin = /* Document for join examples */ {
    Key?: string;
    LHS?: number;
    RHS?: string[];
};


// Generated for schema $anchor String."
export type SourceFromIntsString = /* A document that holds a string */ {
    Key: string;
    String: string;
};


// Generated for read documents of sourced collection patterns/strings.
export type SourceFromStrings = SourceFromStringsString;


// Generated for schema $anchor Int."
export type SourceFromStringsInt = /* A document that holds an integer */ {
    Int: number;
    Key: string;
};


// Generated for schema $anchor Join."
export type SourceFromStringsJoin = /* Document for join examples */ {
    Key?: string;
    LHS?: number;
    RHS?: string[];
};


// Generated for schema $anchor String."
export type SourceFromStringsString = /* A document that holds a string */ {
    Key: string;
    String: string;
};


export abstract class IDerivation {
    // Construct a new Derivation instance from a Request.Open message.
    constructor(_open: { state: unknown }) { }

    // flush awaits any remaining documents to be published and returns them.
    // deno-lint-ignore require-await
    async flush(): Promise<Document[]> {
        return [];
    }

    // reset is called only when running catalog tests, and must reset any internal state.
    async reset() { }

    // startCommit is notified of a runtime commit in progress, and returns an optional
    // connector state update to be committed.
    startCommit(_startCommit: { runtimeCheckpoint: unknown }): { state?: { updated: unknown, mergePatch: boolean } } {
        return {};
    }

    abstract fromInts(read: { doc: SourceFromInts }): Document[];
    abstract fromStrings(read: { doc: SourceFromStrings }): Document[];
}
"#;

const OUTER_JOIN_STUB: &str = r#"import { IDerivation, Document, SourceFromInts, SourceFromStrings } from 'flow/patterns/outer-join.ts';

// Implementation for derivation patterns/outer-join.
export class Derivation extends IDerivation {
    fromInts(_read: { doc: SourceFromInts }): Document[] {
        throw new Error("Not implemented");
    }
    fromStrings(_read: { doc: SourceFromStrings }): Document[] {
        throw new Error("Not implemented");
    }
}
"#;

fn outer_join_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("schema.yaml", SCHEMA_YAML),
            ("inputs.flow.yaml", INPUTS_YAML),
            ("flow.yaml", OUTER_JOIN_YAML),
        ],
    );
    dir
}

fn run(dir: &Path, options: &GenerateOptions) -> crate::Result<Vec<Generated>> {
    generate(dir.join("flow.yaml").to_str().unwrap(), options)
}

#[test]
fn outer_join_types_stub_and_deno_json() {
    let dir = outer_join_project();
    let root = dir.path().canonicalize().unwrap();
    let written = run(dir.path(), &GenerateOptions::default()).unwrap();
    let written: Vec<_> = written
        .into_iter()
        .map(|g| (g.path.canonicalize().unwrap(), g.kind))
        .collect();
    assert_eq!(
        written,
        [
            (
                root.join("flow_generated/typescript/patterns/outer-join.ts"),
                GeneratedKind::Types
            ),
            (root.join("outer-join/mod.ts"), GeneratedKind::Stub),
            (root.join("deno.json"), GeneratedKind::DenoJson),
        ]
    );
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
    assert_eq!(
        read("flow_generated/typescript/patterns/outer-join.ts"),
        OUTER_JOIN_TYPES
    );
    assert_eq!(read("outer-join/mod.ts"), OUTER_JOIN_STUB);
    assert_eq!(
        std::fs::read(root.join("deno.json")).unwrap(),
        b"{\n  \"imports\": {\n    \"flow/\": \"./flow_generated/typescript/\"\n  }\n}"
    );
    assert_eq!(
        serde_json::to_string_pretty(
            &json!({"imports": {"flow/": "./flow_generated/typescript/"}})
        )
        .unwrap(),
        DENO_JSON
    );

    // Again, with the module in place: the types are rewritten, the module
    // is not touched.
    let module = "import { IDerivation } from 'flow/patterns/outer-join.ts';\r\n// mine\n";
    std::fs::write(root.join("outer-join/mod.ts"), module).unwrap();
    std::fs::write(
        root.join("flow_generated/typescript/patterns/outer-join.ts"),
        "stale",
    )
    .unwrap();
    let again = run(dir.path(), &GenerateOptions::default()).unwrap();
    let kinds: Vec<_> = again.iter().map(|g| g.kind).collect();
    assert_eq!(kinds, [GeneratedKind::Types, GeneratedKind::DenoJson]);
    assert_eq!(
        std::fs::read(root.join("outer-join/mod.ts")).unwrap(),
        module.as_bytes()
    );
    assert_eq!(
        read("flow_generated/typescript/patterns/outer-join.ts"),
        OUTER_JOIN_TYPES
    );
}

#[test]
fn dry_run_writes_nothing() {
    let dir = outer_join_project();
    let options = GenerateOptions {
        dry_run: true,
        ..Default::default()
    };
    let planned = run(dir.path(), &options).unwrap();
    assert_eq!(planned.len(), 3);
    assert!(!dir.path().join("flow_generated").exists());
    assert!(!dir.path().join("outer-join").exists());
    assert!(!dir.path().join("deno.json").exists());
}

#[test]
fn the_root_climbs_through_catalog_parents_and_a_given_root_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    write_files(
        &root,
        &[
            ("flow.yaml", "import: [sub/flow.yaml]\n"),
            ("sub/schema.yaml", SCHEMA_YAML),
            ("sub/inputs.flow.yaml", INPUTS_YAML),
            ("sub/flow.yaml", OUTER_JOIN_YAML),
        ],
    );
    let source = root.join("sub/flow.yaml");
    let written = generate(source.to_str().unwrap(), &GenerateOptions::default()).unwrap();
    assert_eq!(
        written[0].path,
        root.join("flow_generated/typescript/patterns/outer-join.ts")
    );
    assert_eq!(written[1].path, root.join("sub/outer-join/mod.ts"));
    assert_eq!(written[2].path, root.join("deno.json"));

    // A root given: files go there (the module exists now).
    let options = GenerateOptions {
        root: Some(root.join("sub")),
        dry_run: true,
    };
    let planned = generate(source.to_str().unwrap(), &options).unwrap();
    let paths: Vec<_> = planned.into_iter().map(|g| g.path).collect();
    assert_eq!(
        paths,
        [
            root.join("sub/flow_generated/typescript/patterns/outer-join.ts"),
            root.join("sub/deno.json")
        ]
    );
}

#[test]
fn nothing_is_written_outside_of_the_root() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let project = root.join("project");
    let flow = OUTER_JOIN_YAML.replace("outer-join/mod.ts", "../elsewhere/mod.ts");
    write_files(
        &project,
        &[
            ("schema.yaml", SCHEMA_YAML),
            ("inputs.flow.yaml", INPUTS_YAML),
            ("flow.yaml", &flow),
        ],
    );
    let err = run(&project, &GenerateOptions::default()).unwrap_err();
    assert_eq!(err.code(), "write");
    assert_eq!(
        err.to_string(),
        format!(
            "cannot write {}: refusing to write outside of the project root {} (collection \
             patterns/outer-join refers to \"../elsewhere/mod.ts\" at \
             /derive/using/typescript/module)",
            root.join("elsewhere/mod.ts").display(),
            project.display()
        )
    );
    assert!(!project.join("flow_generated").exists());
    assert!(!project.join("deno.json").exists());
    assert!(!root.join("elsewhere").exists());

    // Nor through a symlink leading out of it.
    std::fs::create_dir(root.join("outside")).unwrap();
    std::os::unix::fs::symlink(root.join("outside"), project.join("flow_generated")).unwrap();
    let flow = OUTER_JOIN_YAML;
    std::fs::write(project.join("flow.yaml"), flow).unwrap();
    let err = run(&project, &GenerateOptions::default()).unwrap_err();
    assert_eq!(err.code(), "write");
    assert!(
        err.to_string()
            .contains("refusing to write outside of the project root"),
        "{err}"
    );
    assert!(!project.join("outer-join").exists());
    assert_eq!(std::fs::read_dir(root.join("outside")).unwrap().count(), 0);
}

#[test]
fn missing_sqlite_code_gets_stubs_and_existing_code_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    write_files(
        &root,
        &[
            (
                "flow.yaml",
                r#"collections:
  acmeCo/ints:
    schema: {type: object, properties: {id: {type: integer}}, required: [id]}
    key: [/id]
  acmeCo/sums:
    schema: {type: object, properties: {id: {type: integer}}, required: [id]}
    key: [/id]
    derive:
      using:
        sqlite:
          migrations: [sql/one.sql, sql/two.sql, "CREATE TABLE t (x INTEGER);"]
      transforms:
        - {name: fromInts, source: acmeCo/ints, shuffle: any, lambda: sql/from-ints.sql}
        - {name: again, source: acmeCo/ints, shuffle: any, lambda: "SELECT $id;"}
"#,
            ),
            ("sql/one.sql", "CREATE TABLE one (x INTEGER);\n"),
        ],
    );
    let written = run(&root, &GenerateOptions::default()).unwrap();
    assert_eq!(
        written,
        [
            Generated {
                path: root.join("sql/two.sql"),
                kind: GeneratedKind::Stub
            },
            Generated {
                path: root.join("sql/from-ints.sql"),
                kind: GeneratedKind::Stub
            },
        ]
    );
    assert_eq!(
        std::fs::read_to_string(root.join("sql/one.sql")).unwrap(),
        "CREATE TABLE one (x INTEGER);\n"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("sql/two.sql")).unwrap(),
        crate::testing::sqlite::stub_migration()
    );
    assert!(crate::testing::sqlite::stub_migration().ends_with(
        "\nCREATE TABLE my_join_table (id INTEGER PRIMARY KEY NOT NULL, joined_value TEXT NOT NULL);\n"
    ));
    let lambda = std::fs::read_to_string(root.join("sql/from-ints.sql")).unwrap();
    assert!(
        lambda.starts_with("-- To publish each document of acmeCo/ints unchanged, uncomment:\n-- SELECT JSON($flow_document);\n"),
        "{lambda}"
    );
    assert!(
        lambda.ends_with("    -- Key id at /id\n    $id\nWHERE FALSE;\n"),
        "{lambda}"
    );
    assert!(!root.join("deno.json").exists());
    assert!(!root.join("flow_generated").exists());
}

#[test]
fn a_missing_source_collection_is_reported_where_it_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    write_files(
        &root,
        &[(
            "flow.yaml",
            "collections:\n  acmeCo/d:\n    schema: {type: object}\n    key: [/id]\n    derive:\n      using: {typescript: {module: d.ts}}\n      transforms: [{name: fromX, source: acmeCo/x, shuffle: any}]\n",
        )],
    );
    let err = run(&root, &GenerateOptions::default()).unwrap_err();
    assert_eq!(err.code(), "validation");
    let d = &err.diagnostics()[0];
    assert_eq!(d.code, "reference_undefined");
    assert_eq!(
        d.scope,
        format!(
            "{}#/collections/acmeCo~1d/derive/transforms/0/source",
            url::Url::from_file_path(root.join("flow.yaml")).unwrap()
        )
    );
    assert_eq!(
        d.message,
        "collection acmeCo/d: transform fromX reads collection acmeCo/x, which is not in the catalog"
    );
    assert!(!root.join("d.ts").exists());
}

#[test]
fn names_are_camel_cased() {
    use super::typescript::camel_case;
    assert_eq!(camel_case("from-orders", false), "fromOrders");
    assert_eq!(camel_case("from-orders", true), "FromOrders");
    assert_eq!(camel_case("FromOrders", false), "FromOrders");
    assert_eq!(camel_case("a.b_c d", true), "ABCD");
}

#[test]
fn read_schemas_name_the_anchors_of_the_write_schema_they_refer_to() {
    let catalog: crate::Catalog = serde_json::from_value(json!({"collections": {
        "acmeCo/things": {
            "writeSchema": {
                "type": "object",
                "$defs": {"point": {"$anchor": "Point", "type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}], "minItems": 1, "items": {"type": "string"}}},
                "properties": {"id": {"type": "string"}, "at": {"$ref": "#Point", "title": "Where"}},
                "required": ["id"],
            },
            "readSchema": {"allOf": [{"$ref": "flow://write-schema"}, {"properties": {"extra": {"type": "boolean"}}}]},
            "key": ["/id"],
        },
        "acmeCo/out": {
            "writeSchema": {"$defs": {"p": {"$anchor": "Pt", "type": "integer"}}, "type": "object", "properties": {"p": {"$ref": "#Pt"}}},
            "readSchema": {"type": "object", "properties": {"id": {"type": "string"}}},
            "key": ["/id"],
            "derive": {"using": {"typescript": {"module": "export class Derivation {}"}},
                       "transforms": [{"name": "from-things", "source": "acmeCo/things", "shuffle": "any"}]},
        },
    }}))
    .unwrap();
    let name = crate::Collection::new("acmeCo/out").unwrap();
    let types = super::typescript_types(&catalog, &name).unwrap();
    let expected = "
// Generated for published documents of derived collection acmeCo/out.
export type Document = {
    p?: number;
};


// Generated for read documents of sourced collection acmeCo/things.
export type SourceFromThings = {
    at?: /* Where */ SourceFromThingsPoint;
    extra?: boolean;
    id: string;
};


// Generated for schema $anchor Point.\"
export type SourceFromThingsPoint = [number, number?, ...(string)[]];


export abstract class IDerivation {";
    assert!(types.starts_with(expected), "{types}");
}
