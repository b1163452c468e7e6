//! Whole catalogs: Estuary's CI/CD example, and the import lint.

use crate::validate::testing::{check_catalog, Expect};
use crate::{Catalog, Kind, Scope};

/// The specs of Estuary's guide to flowctl in automated contexts, plus the
/// collections they reference.
const CI_CD: &str = r#"
captures:
  Artificial-Industries/ci-cd/source-stripe-native:
    endpoint:
      connector:
        image: ghcr.io/estuary/source-stripe-native:dev
        config:
          credentials:
            credentials_title: Private App Credentials
            access_token: <Access Token>
    bindings:
      - resource: {stream: charges, syncMode: incremental}
        target: Artificial-Industries/ci-cd/stripe_charges
      - resource: {stream: plans, syncMode: full_refresh}
        target: Artificial-Industries/ci-cd/stripe_plans

collections:
  Artificial-Industries/ci-cd/stripe_charges:
    schema:
      type: object
      required: [id]
      properties:
        id: {type: string}
        created: {type: string}
        amount: {type: integer}
    key: [/id]
  Artificial-Industries/ci-cd/stripe_plans:
    schema:
      type: object
      required: [id]
      properties:
        id: {type: string}
        active: {type: boolean}
        interval: {type: string}
    key: [/id]

  Artificial-Industries/join-collections/orders:
    schema:
      type: object
      properties:
        order_id: {type: string}
        customer_id: {type: string}
        total: {type: integer}
      required: [order_id, customer_id]
    key: [/order_id]
  Artificial-Industries/join-collections/customers:
    schema:
      type: object
      properties:
        customer_id: {type: string}
        name: {type: string}
      required: [customer_id]
    key: [/customer_id]

  Artificial-Industries/customers-with-orders:
    schema:
      type: object
      properties:
        customer_id:
          type: string
        name:
          type: string
        orders:
          type: array
          items:
            type: object
            properties:
              order_id:
                type: string
          reduce:
            strategy: merge
            key:
              - /order_id
      required:
        - customer_id
      reduce:
        strategy: merge
    key:
      - /customer_id
    derive:
      using:
        typescript:
          module: full-outer-join.flow.ts
      transforms:
        - name: fromOrders
          source:
            name: Artificial-Industries/join-collections/orders
          shuffle:
            key:
              - /customer_id
        - name: fromCustomers
          source:
            name: Artificial-Industries/join-collections/customers
          shuffle:
            key:
              - /customer_id

  Artificial-Industries/ci-cd/postgres_shipments:
    schema:
      type: object
      properties:
        id: {type: integer}
        destination: {type: string}
      required: [id]
    key: [/id]

  Artificial-Industries/line-items:
    schema:
      type: object
      properties:
        id: {type: string}
        item: {type: string}
        price: {type: integer}
        sales_tax: {type: integer}
      required: [id, item, price, sales_tax]
    key: [/id]
  Artificial-Industries/line-item-totals:
    schema:
      type: object
      properties:
        id: {type: string}
        item: {type: string}
        total: {type: string}
      required: [id]
    key: [/id]

materializations:
  Artificial-Industries/ci-cd/materialize-snowflake:
    endpoint:
      connector:
        image: ghcr.io/estuary/materialize-snowflake:dev
        config:
          host: orgname-accountname.snowflakecomputing.com
          database: estuary_db
          schema: estuary_schema
          credentials:
            auth_type: jwt
            user: estuary_user
            privateKey: |
              -----BEGIN PRIVATE KEY-----
              MIIEv....
              -----END PRIVATE KEY-----
    bindings:
      - resource:
          table: shipments
        source: Artificial-Industries/ci-cd/postgres_shipments

tests:
  Artificial-Industries/tests/example:
    - ingest:
        collection: Artificial-Industries/line-items
        documents:
          - { id: "1", item: "popcorn", price: 499, sales_tax: 25 }
          - { id: "2", item: "hot dog", price: 650, sales_tax: 32 }
    - verify:
        collection: Artificial-Industries/line-item-totals
        documents:
          - { id: "1", item: "popcorn", total: "$5.24" }
          - { id: "2", item: "hot dog", total: "$6.82" }
"#;

fn ci_cd() -> Catalog {
    let value: serde_json::Value = serde_yaml::from_str(CI_CD).expect("the example parses");
    serde_json::from_value(value).expect("the example is a catalog")
}

#[test]
fn ci_cd_example_is_valid() {
    check_catalog(&ci_cd(), &[]);
}

#[test]
fn ci_cd_example_without_the_referenced_collections() {
    let mut catalog = ci_cd();
    catalog
        .collections
        .retain(|name, _| !name.contains("join-collections") && !name.contains("postgres"));
    let errors: Vec<(String, String)> = super::validate(&catalog)
        .into_iter()
        .map(|d| (d.scope, d.code))
        .collect();
    let c = "flow://catalog#/collections/Artificial-Industries~1customers-with-orders/derive/transforms";
    assert_eq!(
        errors,
        vec![
            (format!("{c}/0/source/name"), "reference_undefined".to_string()),
            (format!("{c}/1/source/name"), "reference_undefined".to_string()),
            (
                "flow://catalog#/materializations/Artificial-Industries~1ci-cd~1materialize-snowflake/bindings/0/source".to_string(),
                "reference_undefined".to_string()
            ),
        ]
    );
}

/// Records the specs of `catalog` as loaded from two files, with the
/// capture in `a.yaml` and everything else in `b.yaml`.
fn from_files(catalog: &mut Catalog) {
    let names: Vec<(Kind, String)> = catalog
        .captures
        .keys()
        .map(|n| (Kind::Capture, n.to_string()))
        .chain(
            catalog
                .collections
                .keys()
                .map(|n| (Kind::Collection, n.to_string())),
        )
        .chain(
            catalog
                .materializations
                .keys()
                .map(|n| (Kind::Materialization, n.to_string())),
        )
        .chain(catalog.tests.keys().map(|n| (Kind::Test, n.to_string())))
        .collect();
    for (kind, name) in names {
        let file = if kind == Kind::Capture {
            "file:///p/a.yaml"
        } else {
            "file:///p/b.yaml"
        };
        let scope = Scope::new(file).push(kind.plural()).push(&name);
        catalog.origins.record(kind, &name, scope);
    }
}

#[test]
fn missing_import() {
    let mut catalog = ci_cd();
    from_files(&mut catalog);
    let cap = "file:///p/a.yaml#/captures/Artificial-Industries~1ci-cd~1source-stripe-native";
    let coll = "file:///p/b.yaml#/collections/Artificial-Industries~1ci-cd~1stripe_";
    let lint = |i: usize, c: &str| {
        Expect::warning(
            &format!("{cap}/bindings/{i}/target"),
            "missing_import",
            &format!(
                "capture Artificial-Industries/ci-cd/source-stripe-native references collection \
                 Artificial-Industries/ci-cd/stripe_{c}, defined at {coll}{c}, without importing \
                 it or being imported by it"
            ),
        )
    };
    check_catalog(&catalog, &[lint(0, "charges"), lint(1, "plans")]);

    // Either direction of an import path will do, also through other files.
    for (from, to) in [
        ("file:///p/a.yaml", "file:///p/b.yaml"),
        ("file:///p/b.yaml", "file:///p/a.yaml"),
    ] {
        let mut c = catalog.clone();
        c.origins
            .imports
            .insert((from.to_string(), "file:///p/c.yaml".to_string()));
        c.origins
            .imports
            .insert(("file:///p/c.yaml".to_string(), to.to_string()));
        check_catalog(&c, &[]);
    }
    // A shared parent is not enough.
    let mut c = catalog.clone();
    c.origins.imports.insert((
        "file:///p/flow.yaml".to_string(),
        "file:///p/a.yaml".to_string(),
    ));
    c.origins.imports.insert((
        "file:///p/flow.yaml".to_string(),
        "file:///p/b.yaml".to_string(),
    ));
    check_catalog(&c, &[lint(0, "charges"), lint(1, "plans")]);
}
