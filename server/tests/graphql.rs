//! The agent's GraphQL API over real loopback HTTP, with the query texts
//! and variables flowctl sends: live specs (list, pull-specs, status,
//! history, draft from a publication), prefixes, data planes, storage
//! mappings, connector schemas and the draft API; and the errors of bad
//! bearers and bad queries.

use flowspec_server::{ControlPlane, Options, Store};
use serde_json::{json, Value};

/// `catalog list` and `pull-specs` (`catalog/list/query.graphql`).
const LIST: &str = r#"fragment SelectConnection on LiveSpecRefConnection {
    edges {
        node {
            catalogName
        }
    }
}

fragment SelectLiveSpec on LiveSpec {
    isDisabled
    dataPlaneId
    lastPubId
    liveSpecId
    catalogType
    updatedAt
    model @include(if: $include_models)
    readsFrom @include(if: $include_flows) {
        ...SelectConnection
    }
    writesTo @include(if: $include_flows) {
        ...SelectConnection
    }
    readBy @include(if: $include_flows) {
        ...SelectConnection
    }
    writtenBy @include(if: $include_flows) {
        ...SelectConnection
    }
}

fragment SelectStatus on LiveSpecStatus {
    type
    summary
}

fragment SelectRef on LiveSpecRef {
    catalogName
    userCapability
    lastPublication @include(if: $include_last_publication) {
        userEmail
        userId
        userFullName
    }
    liveSpec {
        ...SelectLiveSpec
    }
    status {
        ...SelectStatus
    }
}

query ListLiveSpecsQuery(
    $by: LiveSpecsBy!
    $after: String
    $first: Int
    $include_models: Boolean!
    $include_flows: Boolean!
    $include_last_publication: Boolean!
) {
    liveSpecs(by: $by, after: $after, first: $first) {
        pageInfo {
            hasNextPage
            endCursor
        }
        edges {
            node {
                ...SelectRef
            }
        }
    }
}
"#;

/// `catalog status` (`catalog/status.graphql`).
const STATUS: &str = r#"fragment SelectShard on ShardRef {
    name
    keyBegin
    rClockBegin
    build
}

fragment SelectDraftErrors on Error {
    catalogName
    scope
    detail
}

fragment SelectAutoDiscoverOutcome on AutoDiscoverOutcome {
    ts
    added {
        resourcePath
        target
        disable
    }
    modified {
        resourcePath
        target
        disable
    }
    removed {
        resourcePath
        target
        disable
    }
    errors {
        ...SelectDraftErrors
    }
    publishResult {
        type
        lockFailures {
            catalogName
            expected
            actual
        }
    }
}

fragment SelectStatus on LiveSpecStatus {
    type
    summary

    controller {
        nextRun
        error
        updatedAt
        failures
        alerts
        activation @include(if: $fullStatus) {
            lastActivated
            lastActivatedAt
            shardStatus {
                count
                lastTs
                firstTs
                status
            }
            lastFailure {
                ts
                message
                fields
                shard {
                    ...SelectShard
                }
            }
            recentFailureCount
            nextRetry
        }
        publications @include(if: $fullStatus) {
            nextAfter
            history {
                id
                created
                completed
                detail
                result {
                    type
                    lockFailures {
                        catalogName
                        expected
                        actual
                    }
                }
                errors {
                    ...SelectDraftErrors
                }
                isTouch
                count
            }
        }
        autoDiscover @include(if: $fullStatus) {
            nextAt
            pendingPublish {
                ...SelectAutoDiscoverOutcome
            }
            lastSuccess {
                ...SelectAutoDiscoverOutcome
            }
            failure {
                count
                firstTs
                lastOutcome {
                    ...SelectAutoDiscoverOutcome
                }
            }
        }
        inferredSchema {
            schemaLastUpdated
            schemaMd5
            nextMd5
        }
    }
}

fragment SelectAllStatuses on LiveSpecRefConnection {
    edges {
        node {
            catalogName
            userCapability
            liveSpec {
                updatedAt
                catalogType
            }
            status {
                ...SelectStatus
            }
        }
    }
}

query ConnectedStatusQuery(
    $names: [String!]
    $connected: Boolean!
    $fullStatus: Boolean!
) {
    liveSpecs(by: { names: $names }) {
        edges {
            node {
                catalogName
                userCapability

                liveSpec {
                    updatedAt
                    catalogType
                    readsFrom @include(if: $connected) {
                        ...SelectAllStatuses
                    }
                    writesTo @include(if: $connected) {
                        ...SelectAllStatuses
                    }
                    readBy @include(if: $connected) {
                        ...SelectAllStatuses
                    }
                    writtenBy @include(if: $connected) {
                        ...SelectAllStatuses
                    }
                    sourceCapture @include(if: $connected) {
                        catalogName
                        userCapability
                        liveSpec {
                            updatedAt
                            catalogType
                        }
                        status {
                            ...SelectStatus
                        }
                    }
                }
                status {
                    ...SelectStatus
                }
            }
        }
    }
}
"#;

/// `catalog history` (`catalog/history/query.graphql`).
const HISTORY: &str = r#"query PublicationHistoryQuery(
    $catalog_name: Name!
    $include_models: Boolean!
    $after: String
    $first: Int!
) {
    liveSpecs(by: { names: [$catalog_name] }) {
        edges {
            node {
                catalogName
                liveSpec {
                    createdAt
                    lastPubId
                    updatedAt
                    catalogType
                }
                publicationHistory(after: $after, first: $first) {
                    edges {
                        node {
                            ...SelectPublication
                        }
                    }
                    pageInfo {
                        endCursor
                        hasNextPage
                        hasPreviousPage
                        startCursor
                    }
                }
            }
        }
    }
}

fragment SelectPublication on SpecPublicationHistoryItem {
    detail
    model @include(if: $include_models)
    publicationId
    publishedAt
    userAvatarUrl
    userEmail
    userFullName
    userId
}
"#;

/// `catalog draft --publication-id` (`catalog/draft-query.graphql`).
const DRAFT_FROM_PUBLICATION: &str = r#"query DraftFromPublicationQuery($name: Name!, $publication_id: Id!) {
    liveSpecs(by: { names: [$name] }) {
        edges {
            node {
                lastPublication {
                    publicationId
                }
                publicationForId(id: $publication_id) {
                    catalogType
                    model
                }
            }
        }
    }
}
"#;

/// `auth/list-authorized-prefixes.graphql`.
const PREFIXES: &str = r#"fragment SelectAuthorizedPrefix on PrefixRef {
    prefix
    userCapability
}

query ListAuthorizedPrefixes(
    $min_capability: Capability!
    $after: String
    $first: Int!
) {
    prefixes(
        by: { minCapability: $min_capability }
        after: $after
        first: $first
    ) {
        pageInfo {
            endCursor
        }
        edges {
            cursor
            node {
                ...SelectAuthorizedPrefix
            }
        }
    }
}
"#;

/// `data_planes.graphql`.
const DATA_PLANES: &str = r#"query DataPlanesQuery($after: String) {
    dataPlanes(after: $after) {
        edges {
            node {
                id
                name
            }
        }
        pageInfo {
            hasNextPage
            endCursor
        }
    }
}
"#;

/// `storage_mappings.graphql`.
const STORAGE_MAPPINGS: &str = r#"query StorageMappingsQuery($filter: StorageMappingsFilter, $first: Int) {
    storageMappings(filter: $filter, first: $first) {
        edges {
            node {
                catalogPrefix
                spec
            }
        }
    }
}
"#;

/// `draft/fetch-connector-endpoint-schema.graphql`.
const CONNECTOR_SPEC: &str = r#"query FetchConnectorEndpointSchema($fullImageName: String!) {
    connectorSpec(fullImageName: $fullImageName) {
        imageTag
        endpointSpecSchema
    }
}
"#;

/// The older form of the same.
const CONNECTOR_TAG: &str = r#"query FetchConnectorEndpointSchema($imageName: String!, $imageTag: String!) {
    connector(imageName: $imageName) {
        connectorTag(imageTag: $imageTag, orDefault: true) {
            imageTag
            endpointSpecSchema
        }
    }
}
"#;

const CREATE_DRAFT: &str = r#"mutation CreateDraftMutation($detail: String) {
    createDraft(detail: $detail) {
        id
        createdAt
    }
}
"#;

const DELETE_DRAFT: &str = r#"mutation DeleteDraftMutation($id: Id!) {
    deleteDraft(id: $id)
}
"#;

const STAGE: &str = r#"mutation StageDraftSpecsMutation($draftId: Id!, $specs: [DraftSpecInput!]!) {
    stageDraftSpecs(draftId: $draftId, specs: $specs)
}
"#;

const UNSTAGE: &str = r#"mutation UnstageDraftSpecsMutation($draftId: Id!, $catalogNames: [Name!]!) {
    unstageDraftSpecs(draftId: $draftId, catalogNames: $catalogNames)
}
"#;

const LIST_DRAFT_SPECS: &str = r#"fragment SelectDraftSpec on DraftSpec {
    catalogName
    catalogType
    model @include(if: $includeModels)
    expectPubId
    lastPubId
    detail
    updatedAt
    isUnchanged
}

query ListDraftSpecsQuery(
    $draftId: Id!
    $after: String
    $first: Int
    $includeModels: Boolean!
) {
    draft(id: $draftId) {
        specs(after: $after, first: $first) {
            pageInfo {
                hasNextPage
                endCursor
            }
            edges {
                node {
                    ...SelectDraftSpec
                }
            }
        }
    }
}
"#;

const LIST_DRAFTS: &str = r#"query ListDraftsQuery($after: String) {
    drafts(after: $after) {
        pageInfo {
            hasNextPage
            endCursor
        }
        edges {
            node {
                id
                createdAt
                updatedAt
                detail
                numSpecs
            }
        }
    }
}
"#;

const FETCH_DRAFT: &str = r#"query FetchDraftQuery($id: Id!) {
    draft(id: $id) {
        id
    }
}
"#;

const FETCH_DRAFT_ERRORS: &str = r#"query FetchDraftErrorsQuery($id: Id!) {
    draft(id: $id) {
        errors {
            scope
            detail
        }
    }
}
"#;

/// The collection's model, in an order no serializer would choose, with
/// number text that only survives unparsed.
const ANVILS: &str = r#"{"schema":{"type":"object","properties":{"z":{"type":"integer"},"a":{"type":"string"}},"required":["z"]},"key":["/z"],"x-weight":1.50,"x-big":123456789012345678901234567890}"#;
const SOURCE: &str = r#"{"endpoint":{"connector":{"image":"ghcr.io/estuary/source-hello-world:dev","config":{}}},"bindings":[{"resource":{"name":"anvils"},"target":"acmeCo/anvils"}]}"#;
const MAT: &str = r#"{"source":{"capture":"acmeCo/source-anvils"},"endpoint":{"connector":{"image":"ghcr.io/estuary/materialize-webhook:v1","config":{"address":"http://localhost"}}},"bindings":[{"resource":{"table":"anvils"},"source":"acmeCo/anvils"}],"shards":{"disable":true}}"#;
const OLD_ANVILS: &str = r#"{"schema":{"type":"object"},"key":["/z"]}"#;

/// A plane on a database file, and a second connection to that file to
/// arrange rows with.
struct Fixture {
    plane: ControlPlane,
    store: Store,
    _dir: tempfile::TempDir,
    user_id: String,
    plane_id: String,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        db: Some(dir.path().join("cp.db")),
        ..Options::ephemeral()
    };
    let plane = ControlPlane::start(options.clone()).await.unwrap();
    let store = Store::open(options.db.as_deref()).unwrap();
    let user_id = store.local_user().unwrap().id;
    let plane_id: String = store
        .transaction(|tx| {
            tx.query_row(
                "select id from data_planes where data_plane_name = 'ops/dp/public/local-cluster'",
                [],
                |r| r.get(0),
            )
        })
        .unwrap();
    let user = user_id.clone();
    store
        .transaction(|tx| {
            let live = "insert into live_specs (id, catalog_name, spec_type, spec, md5, last_pub_id, last_build_id, \
                        data_plane_id, reads_from, writes_to, created_at, updated_at) \
                        values (?1, ?2, ?3, ?4, null, ?5, ?6, null, ?7, ?8, '2026-01-01T00:00:00.000000+00:00', ?9)";
            tx.execute(live, rusqlite::params!["0000000000000a01", "acmeCo/anvils", "collection", ANVILS, "0000000000000b02", "0000000000000c02", "[]", "[]", "2026-01-02T00:00:00.000000+00:00"])?;
            tx.execute(live, rusqlite::params!["0000000000000a02", "acmeCo/source-anvils", "capture", SOURCE, "0000000000000b02", "0000000000000c02", "[]", "[\"acmeCo/anvils\"]", "2026-01-02T00:00:00.000000+00:00"])?;
            tx.execute(live, rusqlite::params!["0000000000000a03", "acmeCo/mat", "materialization", MAT, "0000000000000b02", "0000000000000c02", "[\"acmeCo/anvils\"]", "[]", "2026-01-02T00:00:00.000000+00:00"])?;
            tx.execute(live, rusqlite::params!["0000000000000a04", "acmeCo/deleted", None::<String>, None::<String>, "0000000000000b03", "0000000000000c03", "[]", "[]", "2026-01-03T00:00:00.000000+00:00"])?;
            tx.execute(live, rusqlite::params!["0000000000000a05", "otherCo/thing", "collection", OLD_ANVILS, "0000000000000b01", "0000000000000c01", "[]", "[]", "2026-01-01T00:00:00.000000+00:00"])?;
            let history = "insert into publication_specs (live_spec_id, pub_id, catalog_name, spec_type, spec, detail, user_id, published_at) \
                           values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
            tx.execute(history, rusqlite::params!["0000000000000a01", "0000000000000b01", "acmeCo/anvils", "collection", OLD_ANVILS, "first", user, "2026-01-01T00:00:00.000000+00:00"])?;
            tx.execute(history, rusqlite::params!["0000000000000a01", "0000000000000b02", "acmeCo/anvils", "collection", ANVILS, "second", user, "2026-01-02T00:00:00.000000+00:00"])?;
            tx.execute(
                "insert into storage_mappings (catalog_prefix, spec, updated_at) values (?1, ?2, ?3), (?4, ?5, ?3)",
                rusqlite::params![
                    "acmeCo/",
                    r#"{"stores":[{"provider":"GCS","bucket":"acme"}],"data_planes":["ops/dp/public/local-cluster"]}"#,
                    "2026-01-01T00:00:00.000000+00:00",
                    "zedCo/",
                    r#"{"stores":[{"provider":"S3","bucket":"zed"}]}"#,
                ],
            )
        })
        .unwrap();
    Fixture {
        plane,
        store,
        _dir: dir,
        user_id,
        plane_id,
    }
}

/// Posts a GraphQL request with `bearer`; returns the status and the body
/// text.
async fn post_raw(plane: &ControlPlane, bearer: Option<&str>, body: String) -> (u16, String) {
    let mut request = reqwest::Client::new()
        .post(format!("{}api/graphql", plane.endpoints().agent_url))
        .header("Content-Type", "application/json")
        .body(body);
    if let Some(bearer) = bearer {
        request = request.bearer_auth(bearer);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// Runs `query` as the local user (its refresh token as the bearer).
async fn gql(plane: &ControlPlane, query: &str, variables: Value) -> Value {
    let (status, text) = gql_raw(plane, query, variables).await;
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn gql_raw(plane: &ControlPlane, query: &str, variables: Value) -> (u16, String) {
    let operation = query
        .lines()
        .find_map(|l| {
            l.strip_prefix("query ")
                .or_else(|| l.strip_prefix("mutation "))
        })
        .and_then(|rest| rest.split(['(', ' ', '{']).next())
        .unwrap_or_default()
        .to_string();
    let body = json!({"variables": variables, "query": query, "operationName": operation});
    post_raw(
        plane,
        Some(&plane.auth_token().to_base64()),
        body.to_string(),
    )
    .await
}

#[tokio::test]
async fn catalog_list_and_pull_specs() {
    let f = fixture().await;
    let by_prefix = json!({"by": {"names": null, "prefix": "acmeCo/", "catalogType": null, "dataPlaneName": null},
        "after": null, "first": 200, "include_models": false, "include_flows": false, "include_last_publication": false});
    let status = |t: &str, s: &str| json!({"type": t, "summary": s});
    let live = |name: &str, id: &str, ty: &str, disabled: bool| {
        json!({"catalogName": name, "userCapability": "admin", "liveSpec": {
            "isDisabled": disabled, "dataPlaneId": f.plane_id, "lastPubId": "0000000000000b02",
            "liveSpecId": id, "catalogType": ty, "updatedAt": "2026-01-02T00:00:00.000000+00:00"},
            "status": if disabled { status("TASK_DISABLED", "Task shards are disabled") } else { status("OK", "Ok") }})
    };
    assert_eq!(
        gql(&f.plane, LIST, by_prefix.clone()).await,
        json!({"data": {"liveSpecs": {
        "pageInfo": {"hasNextPage": false, "endCursor": "acmeCo/source-anvils"},
        "edges": [
            {"node": live("acmeCo/anvils", "0000000000000a01", "collection", false)},
            {"node": live("acmeCo/mat", "0000000000000a03", "materialization", true)},
            {"node": live("acmeCo/source-anvils", "0000000000000a02", "capture", false)},
        ]}}})
    );

    // Pages: the cursor is the name.
    let mut paged = by_prefix.clone();
    paged["first"] = json!(1);
    paged["after"] = json!("acmeCo/anvils");
    let answer = gql(&f.plane, LIST, paged).await;
    assert_eq!(
        answer["data"]["liveSpecs"]["pageInfo"],
        json!({"hasNextPage": true, "endCursor": "acmeCo/mat"})
    );

    // By names, with everything included: a deleted name and an unknown
    // one come back without a live spec.
    let by_names = json!({"by": {"names": ["acmeCo/anvils", "acmeCo/deleted", "acmeCo/nope", "acmeCo/mat"],
        "prefix": null, "catalogType": null, "dataPlaneName": null},
        "after": null, "first": 50, "include_models": true, "include_flows": true, "include_last_publication": true});
    let (status_code, text) = gql_raw(&f.plane, LIST, by_names).await;
    assert_eq!(status_code, 200);
    let answer: Value = serde_json::from_str(&text).unwrap();
    let edges = answer["data"]["liveSpecs"]["edges"].as_array().unwrap();
    let names: Vec<&str> = edges
        .iter()
        .map(|e| e["node"]["catalogName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "acmeCo/anvils",
            "acmeCo/deleted",
            "acmeCo/mat",
            "acmeCo/nope"
        ]
    );
    let anvils = &edges[0]["node"];
    // The model is the stored text, byte for byte.
    assert_eq!(
        serde_json::to_string(&anvils["liveSpec"]["model"]).unwrap(),
        ANVILS
    );
    assert!(text.contains(ANVILS), "{text}");
    assert_eq!(
        anvils["lastPublication"],
        json!({"userEmail": "local@flowspec.dev", "userId": f.user_id, "userFullName": null})
    );
    let refs = |names: &[&str]| json!({"edges": names.iter().map(|n| json!({"node": {"catalogName": n}})).collect::<Vec<_>>()});
    assert_eq!(anvils["liveSpec"]["readsFrom"], refs(&[]));
    assert_eq!(anvils["liveSpec"]["readBy"], refs(&["acmeCo/mat"]));
    assert_eq!(
        anvils["liveSpec"]["writtenBy"],
        refs(&["acmeCo/source-anvils"])
    );
    assert_eq!(
        edges[2]["node"]["liveSpec"]["readsFrom"],
        refs(&["acmeCo/anvils"])
    );
    assert_eq!(
        serde_json::to_string(&edges[2]["node"]["liveSpec"]["model"]).unwrap(),
        MAT
    );
    for missing in [&edges[1]["node"], &edges[3]["node"]] {
        assert_eq!(missing["liveSpec"], Value::Null);
        assert_eq!(missing["status"], Value::Null);
    }

    // By names, in pages: only the page's names are read.
    let mut paged = json!({"by": {"names": ["acmeCo/nope", "acmeCo/mat", "acmeCo/anvils"],
        "prefix": null, "catalogType": null, "dataPlaneName": null},
        "after": null, "first": 2, "include_models": false, "include_flows": false, "include_last_publication": false});
    let mut pages = Vec::new();
    loop {
        let answer = gql(&f.plane, LIST, paged.clone()).await;
        let page = &answer["data"]["liveSpecs"];
        let names: Vec<(String, bool)> = page["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let node = &e["node"];
                (
                    node["catalogName"].as_str().unwrap().to_string(),
                    node["liveSpec"].is_null(),
                )
            })
            .collect();
        pages.push(names);
        match (
            page["pageInfo"]["hasNextPage"].as_bool(),
            page["pageInfo"]["endCursor"].as_str(),
        ) {
            (Some(true), Some(cursor)) => paged["after"] = json!(cursor),
            _ => break,
        }
    }
    let owned = |n: &str, missing: bool| (n.to_string(), missing);
    assert_eq!(
        pages,
        [
            vec![owned("acmeCo/anvils", false), owned("acmeCo/mat", false)],
            vec![owned("acmeCo/nope", true)],
        ]
    );
    assert_eq!(edges[3]["node"]["lastPublication"], Value::Null);

    // Filters by type and data plane.
    let typed = json!({"by": {"names": null, "prefix": "acmeCo/", "catalogType": "capture", "dataPlaneName": null},
        "after": null, "first": 200, "include_models": false, "include_flows": false, "include_last_publication": false});
    let answer = gql(&f.plane, LIST, typed).await;
    assert_eq!(
        answer["data"]["liveSpecs"]["edges"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let elsewhere = json!({"by": {"names": null, "prefix": "acmeCo/", "catalogType": null, "dataPlaneName": "ops/dp/public/elsewhere"},
        "after": null, "first": 200, "include_models": false, "include_flows": false, "include_last_publication": false});
    let answer = gql(&f.plane, LIST, elsewhere).await;
    assert_eq!(answer["data"]["liveSpecs"]["edges"], json!([]));

    // Neither names nor a prefix.
    let neither = json!({"by": {"names": null, "prefix": null, "catalogType": null, "dataPlaneName": null},
        "after": null, "first": 200, "include_models": false, "include_flows": false, "include_last_publication": false});
    assert_eq!(
        gql(&f.plane, LIST, neither).await,
        json!({"data": null, "errors": [{"message": "`by` must have `names` or a `prefix`",
            "locations": [{"line": 60, "column": 5}], "path": ["liveSpecs"]}]})
    );
    f.plane.stop().await;
}

#[tokio::test]
async fn catalog_status_takes_strings_for_names() {
    let f = fixture().await;
    let summary = json!({"type": "OK", "summary": "Ok", "controller": null});
    let answer = gql(
        &f.plane,
        STATUS,
        json!({"names": ["acmeCo/anvils"], "connected": false, "fullStatus": false}),
    )
    .await;
    assert_eq!(
        answer,
        json!({"data": {"liveSpecs": {"edges": [{"node": {
            "catalogName": "acmeCo/anvils", "userCapability": "admin",
            "liveSpec": {"updatedAt": "2026-01-02T00:00:00.000000+00:00", "catalogType": "collection"},
            "status": summary}}]}}})
    );
    let answer = gql(
        &f.plane,
        STATUS,
        json!({"names": ["acmeCo/mat"], "connected": true, "fullStatus": true}),
    )
    .await;
    let spec = &answer["data"]["liveSpecs"]["edges"][0]["node"]["liveSpec"];
    assert_eq!(
        spec["sourceCapture"],
        json!({"catalogName": "acmeCo/source-anvils", "userCapability": "admin",
            "liveSpec": {"updatedAt": "2026-01-02T00:00:00.000000+00:00", "catalogType": "capture"},
            "status": summary})
    );
    assert_eq!(
        spec["readsFrom"]["edges"][0]["node"]["catalogName"],
        "acmeCo/anvils"
    );
    assert_eq!(spec["writtenBy"], json!({"edges": []}));
    assert_eq!(
        answer["data"]["liveSpecs"]["edges"][0]["node"]["status"]["type"],
        "TASK_DISABLED"
    );
    f.plane.stop().await;
}

#[tokio::test]
async fn catalog_history_and_draft_from_a_publication() {
    let f = fixture().await;
    let answer = gql(
        &f.plane,
        HISTORY,
        json!({"catalog_name": "acmeCo/anvils", "include_models": true, "after": null, "first": 1}),
    )
    .await;
    let publication = |id: &str, at: &str, detail: &str| {
        json!({"detail": detail, "publicationId": id, "publishedAt": at, "userAvatarUrl": null,
            "userEmail": "local@flowspec.dev", "userFullName": null, "userId": f.user_id})
    };
    let mut newest = publication(
        "0000000000000b02",
        "2026-01-02T00:00:00.000000+00:00",
        "second",
    );
    newest["model"] = serde_json::from_str(ANVILS).unwrap();
    assert_eq!(
        answer,
        json!({"data": {"liveSpecs": {"edges": [{"node": {
            "catalogName": "acmeCo/anvils",
            "liveSpec": {"createdAt": "2026-01-01T00:00:00.000000+00:00", "lastPubId": "0000000000000b02",
                "updatedAt": "2026-01-02T00:00:00.000000+00:00", "catalogType": "collection"},
            "publicationHistory": {"edges": [{"node": newest}], "pageInfo": {
                "endCursor": "0000000000000b02", "hasNextPage": true, "hasPreviousPage": false,
                "startCursor": "0000000000000b02"}}}}]}}})
    );
    // The next page, without models.
    let answer = gql(
        &f.plane,
        HISTORY,
        json!({"catalog_name": "acmeCo/anvils", "include_models": false, "after": "0000000000000b02", "first": 10}),
    )
    .await;
    assert_eq!(
        answer["data"]["liveSpecs"]["edges"][0]["node"]["publicationHistory"]["edges"],
        json!([{"node": publication("0000000000000b01", "2026-01-01T00:00:00.000000+00:00", "first")}])
    );

    let answer = gql(
        &f.plane,
        DRAFT_FROM_PUBLICATION,
        json!({"name": "acmeCo/anvils", "publication_id": "00:00:00:00:00:00:0b:01"}),
    )
    .await;
    assert_eq!(
        answer,
        json!({"data": {"liveSpecs": {"edges": [{"node": {
            "lastPublication": {"publicationId": "0000000000000b02"},
            "publicationForId": {"catalogType": "collection", "model": {"schema": {"type": "object"}, "key": ["/z"]}}}}]}}})
    );
    f.plane.stop().await;
}

#[tokio::test]
async fn prefixes_data_planes_and_storage_mappings() {
    let f = fixture().await;
    let answer = gql(
        &f.plane,
        PREFIXES,
        json!({"min_capability": "admin", "after": null, "first": 5}),
    )
    .await;
    let prefix = |p: &str| json!({"cursor": p, "node": {"prefix": p, "userCapability": "admin"}});
    assert_eq!(
        answer,
        json!({"data": {"prefixes": {"pageInfo": {"endCursor": "zedCo/"},
            "edges": [prefix("acmeCo/"), prefix("otherCo/"), prefix("zedCo/")]}}})
    );
    let answer = gql(
        &f.plane,
        PREFIXES,
        json!({"min_capability": "read", "after": "acmeCo/", "first": 1}),
    )
    .await;
    assert_eq!(
        answer["data"]["prefixes"]["edges"],
        json!([prefix("otherCo/")])
    );

    assert_eq!(
        gql(&f.plane, DATA_PLANES, json!({"after": null})).await,
        json!({"data": {"dataPlanes": {
            "edges": [{"node": {"id": f.plane_id, "name": "ops/dp/public/local-cluster"}}],
            "pageInfo": {"hasNextPage": false, "endCursor": "ops/dp/public/local-cluster"}}}})
    );
    assert_eq!(
        gql(
            &f.plane,
            DATA_PLANES,
            json!({"after": "ops/dp/public/local-cluster"})
        )
        .await,
        json!({"data": {"dataPlanes": {"edges": [], "pageInfo": {"hasNextPage": false, "endCursor": null}}}})
    );

    let answer = gql(
        &f.plane,
        STORAGE_MAPPINGS,
        json!({"filter": {"catalogPrefix": {"startsWith": null, "in": ["acmeCo/", "acmeCo/team/"]}}, "first": 100}),
    )
    .await;
    assert_eq!(
        answer,
        json!({"data": {"storageMappings": {"edges": [{"node": {"catalogPrefix": "acmeCo/",
            "spec": {"stores": [{"provider": "GCS", "bucket": "acme"}], "data_planes": ["ops/dp/public/local-cluster"]}}}]}}})
    );
    let answer = gql(
        &f.plane,
        STORAGE_MAPPINGS,
        json!({"filter": {"catalogPrefix": {"startsWith": "zed", "in": null}}, "first": 100}),
    )
    .await;
    assert_eq!(
        answer["data"]["storageMappings"]["edges"][0]["node"]["catalogPrefix"],
        "zedCo/"
    );
    let answer = gql(
        &f.plane,
        STORAGE_MAPPINGS,
        json!({"filter": null, "first": null}),
    )
    .await;
    assert_eq!(
        answer["data"]["storageMappings"]["edges"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    f.plane.stop().await;
}

#[tokio::test]
async fn connector_schemas_fall_back_to_the_default_tag() {
    let f = fixture().await;
    let schema_of = |answer: &Value| answer["data"]["connectorSpec"]["endpointSpecSchema"].clone();
    let answer = gql(
        &f.plane,
        CONNECTOR_SPEC,
        json!({"fullImageName": "ghcr.io/estuary/materialize-snowflake:dev"}),
    )
    .await;
    assert_eq!(answer["data"]["connectorSpec"]["imageTag"], ":dev");
    let schema = schema_of(&answer);
    assert_eq!(
        schema["properties"]["credentials"]["oneOf"][0]["properties"]["privateKey"]["secret"],
        true
    );
    let answer = gql(
        &f.plane,
        CONNECTOR_SPEC,
        json!({"fullImageName": "ghcr.io/estuary/materialize-snowflake:v9"}),
    )
    .await;
    assert_eq!(answer["data"]["connectorSpec"]["imageTag"], ":v1");
    assert_eq!(schema_of(&answer), schema);
    assert_eq!(
        gql(
            &f.plane,
            CONNECTOR_SPEC,
            json!({"fullImageName": "ghcr.io/acme/unknown:v1"})
        )
        .await,
        json!({"data": {"connectorSpec": null}})
    );
    let answer = gql(
        &f.plane,
        CONNECTOR_SPEC,
        json!({"fullImageName": "ghcr.io/estuary/source-postgres"}),
    )
    .await;
    assert_eq!(
        answer["errors"][0]["message"],
        "invalid connector image name 'ghcr.io/estuary/source-postgres': it must end in a tag (`:v1`) or a digest (`@sha256:…`)"
    );

    let answer = gql(
        &f.plane,
        CONNECTOR_TAG,
        json!({"imageName": "ghcr.io/estuary/source-postgres", "imageTag": ":nope"}),
    )
    .await;
    assert_eq!(
        answer["data"]["connector"]["connectorTag"]["imageTag"],
        ":v1"
    );
    assert_eq!(
        answer["data"]["connector"]["connectorTag"]["endpointSpecSchema"]["properties"]["password"]
            ["secret"],
        true
    );
    assert_eq!(
        gql(
            &f.plane,
            CONNECTOR_TAG,
            json!({"imageName": "ghcr.io/acme/x", "imageTag": ":v1"})
        )
        .await,
        json!({"data": {"connector": null}})
    );
    f.plane.stop().await;
}

#[tokio::test]
async fn drafts_are_created_staged_listed_and_deleted() {
    let f = fixture().await;
    let answer = gql(
        &f.plane,
        CREATE_DRAFT,
        json!({"detail": "Created by flowctl"}),
    )
    .await;
    let id = answer["data"]["createDraft"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(id.len(), 16, "{answer}");
    assert!(answer["data"]["createDraft"]["createdAt"]
        .as_str()
        .unwrap()
        .ends_with("+00:00"));

    // A model in an order of its own, and a deletion.
    let model = r#"{"key":["/z"],"schema":{"type":"object","properties":{"z":{"type":"integer"}}},"x":1.0}"#;
    let variables = format!(
        r#"{{"draftId":"{id}","specs":[
            {{"catalogName":"acmeCo/new","catalogType":"collection","model":{model},"expectPubId":null,"detail":null}},
            {{"catalogName":"acmeCo/anvils","catalogType":"collection","model":{ANVILS},"expectPubId":"0000000000000b02","detail":"same"}},
            {{"catalogName":"acmeCo/mat","catalogType":null,"model":null,"expectPubId":"0000000000000b02","detail":null}}]}}"#
    );
    let body = format!(
        r#"{{"variables":{variables},"query":{},"operationName":"StageDraftSpecsMutation"}}"#,
        serde_json::to_string(STAGE).unwrap()
    );
    let (status, text) = post_raw(&f.plane, Some(&f.plane.auth_token().to_base64()), body).await;
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        json!({"data": {"stageDraftSpecs": ["acmeCo/anvils", "acmeCo/mat", "acmeCo/new"]}})
    );
    let stored: String = f
        .store
        .transaction(|tx| {
            tx.query_row(
                "select spec from draft_specs where catalog_name = 'acmeCo/new'",
                [],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert_eq!(stored, model, "staged text keeps its key order");

    let (_, text) = gql_raw(
        &f.plane,
        LIST_DRAFT_SPECS,
        json!({"draftId": id, "after": null, "first": 50, "includeModels": true}),
    )
    .await;
    assert!(text.contains(model), "{text}");
    let answer: Value = serde_json::from_str(&text).unwrap();
    let specs = &answer["data"]["draft"]["specs"];
    assert_eq!(
        specs["pageInfo"],
        json!({"hasNextPage": false, "endCursor": "acmeCo/new"})
    );
    let node = |i: usize| specs["edges"][i]["node"].clone();
    let mut anvils = node(0);
    assert!(anvils["updatedAt"].as_str().unwrap().ends_with("+00:00"));
    anvils["updatedAt"] = Value::Null;
    assert_eq!(
        anvils,
        json!({"catalogName": "acmeCo/anvils", "catalogType": "collection",
            "model": serde_json::from_str::<Value>(ANVILS).unwrap(), "expectPubId": "0000000000000b02",
            "lastPubId": "0000000000000b02", "detail": "same", "updatedAt": null, "isUnchanged": true})
    );
    assert_eq!(
        (
            node(1)["catalogType"].clone(),
            node(1)["model"].clone(),
            node(1)["isUnchanged"].clone()
        ),
        (Value::Null, Value::Null, json!(false))
    );
    assert_eq!(
        (node(2)["lastPubId"].clone(), node(2)["isUnchanged"].clone()),
        (Value::Null, json!(false))
    );
    let answer = gql(
        &f.plane,
        LIST_DRAFT_SPECS,
        json!({"draftId": id, "after": "acmeCo/anvils", "first": 1, "includeModels": false}),
    )
    .await;
    let specs = &answer["data"]["draft"]["specs"];
    assert_eq!(
        specs["pageInfo"],
        json!({"hasNextPage": true, "endCursor": "acmeCo/mat"})
    );
    assert!(specs["edges"][0]["node"].get("model").is_none());

    // The drafts list, and one draft.
    let answer = gql(&f.plane, LIST_DRAFTS, json!({"after": null})).await;
    let drafts = &answer["data"]["drafts"];
    assert_eq!(drafts["edges"][0]["node"]["id"], id.as_str());
    assert_eq!(drafts["edges"][0]["node"]["numSpecs"], 3);
    assert_eq!(drafts["edges"][0]["node"]["detail"], "Created by flowctl");
    assert_eq!(
        drafts["pageInfo"],
        json!({"hasNextPage": false, "endCursor": id})
    );
    assert_eq!(
        gql(&f.plane, FETCH_DRAFT, json!({"id": id})).await,
        json!({"data": {"draft": {"id": id}}})
    );

    // Errors of the last publication.
    f.store
        .transaction(|tx| {
            tx.execute(
                "insert into draft_errors (draft_id, scope, detail) values (?1, ?2, ?3), (?1, ?4, ?5)",
                rusqlite::params![id, "flow://collection/acmeCo/new#/schema", "bad schema", "file:///flow.yaml", "bad file"],
            )
        })
        .unwrap();
    assert_eq!(
        gql(&f.plane, FETCH_DRAFT_ERRORS, json!({"id": id})).await,
        json!({"data": {"draft": {"errors": [
            {"scope": "flow://collection/acmeCo/new#/schema", "detail": "bad schema"},
            {"scope": "file:///flow.yaml", "detail": "bad file"}]}}})
    );

    // Unstaging returns what was removed.
    assert_eq!(
        gql(
            &f.plane,
            UNSTAGE,
            json!({"draftId": id, "catalogNames": ["acmeCo/new", "acmeCo/none", "acmeCo/mat"]})
        )
        .await,
        json!({"data": {"unstageDraftSpecs": ["acmeCo/mat", "acmeCo/new"]}})
    );

    // Staging errors, and nothing of a failed batch is staged.
    let stage_error = |spec: Value| {
        let id = id.clone();
        let plane = &f.plane;
        async move {
            gql(plane, STAGE, json!({"draftId": id, "specs": [
                {"catalogName": "acmeCo/ok", "catalogType": "collection", "model": {"key": ["/a"]}}, spec]}))
            .await
        }
    };
    for (spec, message) in [
        (
            json!({"catalogName": "acmeCo/x", "model": null}),
            "catalogType must be provided (use null for a catalog deletion)",
        ),
        (
            json!({"catalogName": "acmeCo/x", "catalogType": null}),
            "model must be provided (use null for a catalog deletion)",
        ),
        (
            json!({"catalogName": "acmeCo/x", "catalogType": "capture", "model": null}),
            "model and catalogType must both be null or both be non-null",
        ),
        (
            json!({"catalogName": "acmeCo/x", "catalogType": null, "model": {"a": 1}}),
            "model and catalogType must both be null or both be non-null",
        ),
    ] {
        assert_eq!(
            stage_error(spec).await,
            json!({"data": null, "errors": [{"message": message, "locations": [{"line": 2, "column": 5}],
                "path": ["stageDraftSpecs"]}]})
        );
    }
    let answer = gql(&f.plane, LIST_DRAFTS, json!({"after": null})).await;
    assert_eq!(answer["data"]["drafts"]["edges"][0]["node"]["numSpecs"], 1);

    // Deleting it, twice.
    assert_eq!(
        gql(&f.plane, DELETE_DRAFT, json!({"id": id})).await,
        json!({"data": {"deleteDraft": id}})
    );
    assert_eq!(
        gql(&f.plane, DELETE_DRAFT, json!({"id": id})).await,
        json!({"data": null, "errors": [{"message": "draft not found",
            "locations": [{"line": 2, "column": 5}], "path": ["deleteDraft"]}]})
    );
    assert_eq!(
        gql(&f.plane, FETCH_DRAFT, json!({"id": id})).await,
        json!({"data": {"draft": null}})
    );
    let remaining: i64 = f
        .store
        .transaction(|tx| {
            tx.query_row(
                "select (select count(*) from draft_specs) + (select count(*) from draft_errors)",
                [],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert_eq!(remaining, 0, "specs and errors go with their draft");

    // Someone else's draft is not found.
    f.store
        .transaction(|tx| {
            tx.execute("insert into users (id, email) values ('u-2', 'other@example.com')", [])?;
            tx.execute(
                "insert into drafts (id, user_id, detail, created_at, updated_at) values ('00000000000000d1', 'u-2', null, 'x', 'x')",
                [],
            )
        })
        .unwrap();
    for (query, variables, field) in [
        (
            STAGE,
            json!({"draftId": "00000000000000d1", "specs": []}),
            "stageDraftSpecs",
        ),
        (
            UNSTAGE,
            json!({"draftId": "00000000000000d1", "catalogNames": []}),
            "unstageDraftSpecs",
        ),
        (
            DELETE_DRAFT,
            json!({"id": "00000000000000d1"}),
            "deleteDraft",
        ),
    ] {
        let answer = gql(&f.plane, query, variables).await;
        assert_eq!(answer["errors"][0]["message"], "draft not found");
        assert_eq!(answer["errors"][0]["path"], json!([field]));
    }
    assert_eq!(
        gql(&f.plane, FETCH_DRAFT, json!({"id": "00000000000000d1"})).await,
        json!({"data": {"draft": null}})
    );
    f.plane.stop().await;
}

#[tokio::test]
async fn bearers_are_checked() {
    let f = fixture().await;
    let body = json!({"query": DATA_PLANES, "variables": {"after": null}, "operationName": "DataPlanesQuery"}).to_string();
    let refused = |message: &str| (401, json!({"error": "unauthenticated", "message": message}));
    let call = |bearer: Option<String>| {
        let body = body.clone();
        let plane = &f.plane;
        async move {
            let (status, text) = post_raw(plane, bearer.as_deref(), body).await;
            (
                status,
                serde_json::from_str::<Value>(&text).unwrap_or(Value::Null),
            )
        }
    };
    assert_eq!(
        call(None).await,
        refused("this request requires an Authorization: Bearer token")
    );
    assert_eq!(
        call(Some("eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQwMDAwMDAwMDAsInN1YiI6InUiLCJhdWQiOiJhdXRoZW50aWNhdGVkIn0.c2ln".into())).await,
        refused("the access token is invalid, expired, or not signed by this control plane")
    );
    assert_eq!(
        call(Some("bm90IGEgdG9rZW4".into())).await,
        refused("the bearer token is neither an access token nor a refresh token")
    );
    let token = f.plane.auth_token();
    let wrong = flowspec::client::RefreshToken::new(token.id.clone(), "wrong");
    assert_eq!(
        call(Some(wrong.to_base64())).await,
        refused("invalid secret provided")
    );
    let unknown = flowspec::client::RefreshToken::new("0000000000000001", "s");
    assert_eq!(
        call(Some(unknown.to_base64())).await,
        refused("could not find refresh_token with the given `refresh_token_id`")
    );

    // An access token from PostgREST's exchange works.
    let exchanged: Value = reqwest::Client::new()
        .post(format!(
            "{}/rpc/generate_access_token",
            f.plane.endpoints().pg_url
        ))
        .header("apikey", &f.plane.endpoints().pg_public_token)
        .json(&json!({"refresh_token_id": token.id, "secret": token.secret()}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = exchanged["access_token"].as_str().unwrap().to_string();
    let (status, answer) = call(Some(access)).await;
    assert_eq!(status, 200);
    assert_eq!(
        answer["data"]["dataPlanes"]["edges"][0]["node"]["name"],
        "ops/dp/public/local-cluster"
    );
    f.plane.stop().await;
}

#[tokio::test]
async fn bad_queries_get_graphql_errors() {
    let f = fixture().await;
    let bearer = f.plane.auth_token().to_base64();
    let ask = |body: String| {
        let plane = &f.plane;
        let bearer = bearer.clone();
        async move {
            let (status, text) = post_raw(plane, Some(&bearer), body).await;
            (
                status,
                serde_json::from_str::<Value>(&text).unwrap_or(Value::String(text)),
            )
        }
    };
    let query = |q: &str, variables: Value| json!({"query": q, "variables": variables}).to_string();

    // A syntax error.
    let (status, answer) = ask(query("query { dataPlanes(", json!({}))).await;
    assert_eq!(status, 200);
    assert_eq!(answer["data"], Value::Null);
    assert_eq!(
        answer["errors"][0]["locations"],
        json!([{"line": 1, "column": 20}])
    );
    assert!(
        answer["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expected"),
        "{answer}"
    );

    // Unknown fields and arguments.
    assert_eq!(
        ask(query(
            "{ dataPlanes { edges { node { nope } } } }",
            json!({})
        ))
        .await,
        (
            200,
            json!({"data": null, "errors": [{"message": "Unknown field \"nope\" on type \"DataPlane\".",
            "locations": [{"line": 1, "column": 31}]}]})
        )
    );
    assert_eq!(
        ask(query("{ nope }", json!({}))).await,
        (
            200,
            json!({"data": null, "errors": [{"message": "Unknown field \"nope\" on type \"QueryRoot\".",
            "locations": [{"line": 1, "column": 3}]}]})
        )
    );

    // Variables of the wrong type, or missing.
    let (status, answer) = ask(query(
        LIST,
        json!({"by": {"prefix": "acmeCo/"}, "first": "many",
        "include_models": false, "include_flows": false, "include_last_publication": false}),
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(answer["data"], Value::Null);
    let message = answer["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("first") && message.contains("Int"),
        "{message}"
    );
    let (_, answer) = ask(query(FETCH_DRAFT, json!({"id": "not-hex"}))).await;
    assert!(
        answer["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("invalid id \\\"not-hex\\\"")
            || answer["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("invalid id \"not-hex\""),
        "{answer}"
    );
    // An Int where a string scalar is wanted is still an error.
    let (_, answer) = ask(query(
        "query Q($n: Int) { liveSpecs(by: {prefix: $n}) { edges { node { catalogName } } } }",
        json!({"n": 1}),
    ))
    .await;
    assert_eq!(answer["data"], Value::Null);
    assert_eq!(
        answer["errors"][0]["message"],
        "Expected input type \"Prefix\", found 1. (occurred while parsing \"LiveSpecsBy\")"
    );
    // A required variable that is missing, even if only used by `@include`.
    let (_, answer) = ask(query(
        LIST,
        json!({"by": {"prefix": "acmeCo/"}, "include_flows": true,
        "include_last_publication": "yes"}),
    ))
    .await;
    assert_eq!(
        answer,
        json!({"data": null, "errors": [
            {"message": "Variable \"$include_models\" of required type \"Boolean!\" was not provided.",
                "locations": [{"line": 56, "column": 5}]},
            {"message": "Variable \"$include_last_publication\" of type \"Boolean!\" got an invalid value \"yes\": expected Boolean.",
                "locations": [{"line": 58, "column": 5}]}]})
    );

    // Bodies that are not GraphQL requests.
    assert_eq!(ask("{not json".into()).await.0, 400);
    assert_eq!(
        ask(json!({"variables": {}}).to_string()).await,
        (
            400,
            Value::String("invalid GraphQL request: `query` must be a string".into())
        )
    );
    let (status, _) = ask(" ".repeat(3 * 1024 * 1024)).await;
    assert_eq!(status, 413);
    f.plane.stop().await;
}
