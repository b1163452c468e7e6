//! The PostgREST surface of the local control plane: drafts and draft
//! specs as flowctl stages them, the generic query rules (select, filters,
//! `.single()`), row-level security, and every kind of bad request
//! answered with PostgREST's error and no change.

mod common;

use common::{pg_error, Pg, ANVILS, SOURCE};
use flowspec::client::postgrest::{Request, ACCEPT_OBJECT};
use serde_json::{json, Value};

/// How many rows each table holds.
fn counts(pg: &Pg) -> Vec<i64> {
    [
        "drafts",
        "draft_specs",
        "draft_errors",
        "publications",
        "live_specs",
        "log_lines",
    ]
    .iter()
    .map(|t| pg.count(&format!("select count(*) from {t}")))
    .collect()
}

#[tokio::test]
async fn drafts_are_created_listed_selected_and_deleted() {
    let pg = Pg::start().await;
    let (status, created) = pg
        .send(
            Request::insert("drafts", json!({"detail": "Created by flowctl"}))
                .select(&["id", " created_at"])
                .single(),
        )
        .await;
    assert_eq!(status, 201);
    let id = created["id"].as_str().unwrap().to_string();
    let created_at = created["created_at"].as_str().unwrap().to_string();
    assert_eq!(created, json!({"id": id, "created_at": created_at}));
    assert_eq!(id.len(), 23, "colon form: {id}");
    // Without `.single()`, an array; selected by either id form.
    let hex = id.replace(':', "");
    assert_eq!(
        pg.get(&format!("/drafts?id=eq.{hex}&select=id")).await,
        (200, json!([{"id": id}]))
    );
    assert_eq!(
        pg.get(&format!("/drafts?id=eq.{id}&select=id")).await,
        (200, json!([{"id": id}]))
    );
    let (status, rows) = pg
        .send(
            Request::insert("drafts", json!([{"detail": "a"}, {"detail": null}]))
                .select(&["detail"]),
        )
        .await;
    assert_eq!(
        (status, rows),
        (201, json!([{"detail": "a"}, {"detail": null}]))
    );
    let (status, list) = pg
        .get("/drafts_ext?select=created_at,detail,id,num_specs,updated_at")
        .await;
    assert_eq!(status, 200);
    let others: Vec<Value> = list.as_array().unwrap()[1..]
        .iter()
        .map(|d| json!({"created_at": d["created_at"], "detail": d["detail"], "id": d["id"], "num_specs": 0, "updated_at": d["created_at"]}))
        .collect();
    assert_eq!(
        list,
        json!([
            {"created_at": created_at, "detail": "Created by flowctl", "id": id, "num_specs": 0, "updated_at": created_at},
            others[0],
            others[1],
        ])
    );
    assert_eq!(
        (&others[0]["detail"], &others[1]["detail"]),
        (&json!("a"), &Value::Null)
    );
    // Filters: or, like, is, neq, in, order and limit.
    assert_eq!(
        pg.get("/drafts?select=detail&or=(detail.eq.a,detail.is.null)")
            .await
            .1,
        json!([{"detail": "a"}, {"detail": null}])
    );
    assert_eq!(
        pg.get("/drafts?select=detail&detail=like.Created*").await.1,
        json!([{"detail": "Created by flowctl"}])
    );
    assert_eq!(
        pg.get("/drafts?select=detail&detail=neq.a").await.1,
        json!([{"detail": "Created by flowctl"}])
    );
    assert_eq!(
        pg.get("/drafts?select=detail&detail=not.is.null&order=detail.desc")
            .await
            .1,
        json!([{"detail": "a"}, {"detail": "Created by flowctl"}])
    );
    assert_eq!(
        pg.get("/drafts?select=detail&detail=in.(a,%22b,c%22)&limit=1")
            .await
            .1,
        json!([{"detail": "a"}])
    );
    assert_eq!(
        pg.get(&format!("/drafts?select=the_id:id&id=in.({hex})"))
            .await
            .1,
        json!([{"the_id": id}])
    );

    // A staged spec, then the draft deleted with it.
    let (status, _) = pg
        .stage(
            &id,
            &[("acmeCo/anvils", Some("collection"), Some(ANVILS), None)],
        )
        .await;
    assert_eq!(status, 201);
    let (status, deleted) = pg
        .send(
            Request::delete("drafts")
                .select(&["id", "created_at"])
                .eq("id", &hex)
                .single(),
        )
        .await;
    assert_eq!(
        (status, deleted),
        (200, json!({"id": id, "created_at": created_at}))
    );
    assert_eq!(pg.count("select count(*) from draft_specs"), 0);
    // Deleting it again: no row, which `.single()` refuses.
    let (status, answer) = pg
        .send(
            Request::delete("drafts")
                .select(&["id"])
                .eq("id", &hex)
                .single(),
        )
        .await;
    assert_eq!(
        (status, answer),
        (
            406,
            pg_error(
                "PGRST116",
                "Cannot coerce the result to a single JSON object",
                Some("The result contains 0 rows")
            )
        )
    );
    // `.single()` of two rows deletes neither.
    let before = counts(&pg);
    let (status, answer) = pg
        .send(Request::delete("drafts").select(&["id"]).single())
        .await;
    assert_eq!(
        (status, answer),
        (
            406,
            pg_error(
                "PGRST116",
                "Cannot coerce the result to a single JSON object",
                Some("The result contains 2 rows")
            )
        )
    );
    assert_eq!(counts(&pg), before);
    pg.plane.stop().await;
}

#[tokio::test]
async fn draft_specs_upsert_as_flowctl_stages_them() {
    let pg = Pg::start().await;
    let draft = pg.create_draft().await;
    let (status, rows) = pg
        .stage(
            &draft,
            &[
                (
                    "acmeCo/anvils",
                    Some("collection"),
                    Some(ANVILS),
                    Some("0000000000000000"),
                ),
                ("acmeCo/source-anvils", Some("capture"), Some(SOURCE), None),
            ],
        )
        .await;
    assert_eq!(
        (status, rows),
        (
            201,
            json!([{"catalog_name": "acmeCo/anvils", "spec_type": "collection"}, {"catalog_name": "acmeCo/source-anvils", "spec_type": "capture"}])
        )
    );
    // Upserted again: merged, not duplicated; the text is the last one sent.
    let spaced = "{ \"key\" : [\"/id\"] ,\n \"schema\": {\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"string\"}}, \"required\": [\"id\"]} }";
    let (status, _) = pg
        .stage(
            &draft,
            &[("acmeCo/anvils", Some("collection"), Some(spaced), None)],
        )
        .await;
    assert_eq!(status, 201);
    let stored: Vec<(String, String, Option<String>)> = pg
        .plane
        .store()
        .transaction(|tx| {
            tx.prepare(
                "select catalog_name, spec, expect_pub_id from draft_specs order by catalog_name",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect()
        })
        .unwrap();
    assert_eq!(
        stored,
        [
            ("acmeCo/anvils".to_string(), spaced.to_string(), None),
            ("acmeCo/source-anvils".to_string(), SOURCE.to_string(), None),
        ]
    );
    let (_, specs) = pg
        .get(&format!(
            "/draft_specs?select=catalog_name,spec->key,spec_type&draft_id=eq.{draft}"
        ))
        .await;
    assert_eq!(
        specs,
        json!([{"catalog_name": "acmeCo/anvils", "key": ["/id"], "spec_type": "collection"}, {"catalog_name": "acmeCo/source-anvils", "key": null, "spec_type": "capture"}])
    );
    // The spec comes back with its keys in the order staged.
    let (_, spec) = pg
        .get_one(&format!(
            "/draft_specs?select=spec&catalog_name=eq.acmeCo%2Fsource-anvils&draft_id=eq.{draft}"
        ))
        .await;
    assert_eq!(
        spec["spec"].to_string(),
        serde_json::from_str::<Value>(SOURCE).unwrap().to_string()
    );
    let keys: Vec<&String> = spec["spec"]["endpoint"]["connector"]["config"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(keys, ["zeta", "token_sops", "sops", "alpha"]);
    // A deletion: both null. `author` clears the draft.
    let (status, _) = pg
        .stage(
            &draft,
            &[("acmeCo/gone", None, None, Some("01:02:03:04:05:06:07:08"))],
        )
        .await;
    assert_eq!(status, 201);
    let (_, described) = pg.get(&format!("/draft_specs_ext?select=catalog_name,expect_pub_id,last_pub_id,spec_type&draft_id=eq.{draft}&catalog_name=eq.acmeCo%2Fgone")).await;
    assert_eq!(
        described,
        json!([{"catalog_name": "acmeCo/gone", "expect_pub_id": "01:02:03:04:05:06:07:08", "last_pub_id": null, "spec_type": null}])
    );
    let (status, cleared) = pg
        .send(
            Request::delete("draft_specs")
                .select(&["catalog_name", "spec_type"])
                .eq("draft_id", &draft),
        )
        .await;
    assert_eq!(
        (status, cleared),
        (
            200,
            json!([
                {"catalog_name": "acmeCo/anvils", "spec_type": "collection"},
                {"catalog_name": "acmeCo/gone", "spec_type": null},
                {"catalog_name": "acmeCo/source-anvils", "spec_type": "capture"},
            ])
        )
    );
    assert_eq!(
        pg.get(&format!("/draft_specs?draft_id=eq.{draft}")).await,
        (200, json!([]))
    );
    pg.plane.stop().await;
}

#[tokio::test]
async fn reference_tables_for_local_validation_and_encryption() {
    let pg = Pg::start().await;
    let schema = r#"{"type":"object","properties":{"password":{"type":"string","secret":true}}}"#;
    pg.plane
        .store()
        .add_connector_tag("ghcr.io/estuary/source-x", ":v1", schema, true)
        .unwrap();
    pg.plane
        .store()
        .add_connector_tag("ghcr.io/estuary/source-x", ":v2", "{}", false)
        .unwrap();
    let path = "/connectors?select=connector_tags(endpoint_spec_schema)&image_name=eq.ghcr.io%2Festuary%2Fsource-x&connector_tags.image_tag=eq.%3Av1";
    assert_eq!(
        pg.get_one(path).await,
        (
            200,
            json!({"connector_tags": [{"endpoint_spec_schema": serde_json::from_str::<Value>(schema).unwrap()}]})
        )
    );
    // A tag that is not known: an empty list (flowctl warns and sends plaintext).
    assert_eq!(
        pg.get_one(&path.replace("%3Av1", "%3Av9")).await,
        (200, json!({"connector_tags": []}))
    );
    // An image that is not known: no row.
    assert_eq!(
        pg.get_one(&path.replace("source-x", "source-y")).await,
        (
            406,
            pg_error(
                "PGRST116",
                "Cannot coerce the result to a single JSON object",
                Some("The result contains 0 rows")
            )
        )
    );
    assert_eq!(
        pg.get("/connectors?select=connector_tags(nope)").await,
        (
            400,
            pg_error("42703", "column connector_tags.nope does not exist", None)
        )
    );
    assert_eq!(
        pg.get("/connectors?select=image_name,tags:connector_tags(image_tag,is_default)&image_name=eq.ghcr.io%2Festuary%2Fsource-x")
            .await
            .1,
        json!([{"image_name": "ghcr.io/estuary/source-x", "tags": [{"image_tag": ":v1", "is_default": true}, {"image_tag": ":v2", "is_default": false}]}])
    );
    assert_eq!(
        pg.get("/drafts?select=nope(id)").await,
        (
            400,
            pg_error(
                "PGRST200",
                "Could not find a relationship between 'drafts' and 'nope' in the schema cache",
                None
            )
        )
    );
    assert_eq!(
        pg.get("/storage_mappings?select=catalog_prefix,spec").await,
        (200, json!([]))
    );
    pg.plane.stop().await;
}

#[tokio::test]
async fn a_user_sees_and_changes_only_its_own_drafts() {
    let pg = Pg::start().await;
    let mine = pg.create_draft().await;
    // Another user, with a draft and a staged spec.
    let store = pg.plane.store();
    let other = "00000000-0000-4000-8000-0000000000aa";
    store
        .transaction(|tx| {
            tx.execute("insert into users (id, email) values (?1, 'other@example.com')", [other])?;
            tx.execute("insert into drafts (id, user_id, detail, created_at, updated_at) values ('00000000000000f1', ?1, 'theirs', 't', 't')", [other])?;
            tx.execute(
                "insert into draft_specs (draft_id, catalog_name, spec_type, spec, created_at, updated_at) values ('00000000000000f1', 'otherCo/x', 'collection', '{}', 't', 't')",
                [],
            )?;
            tx.execute("insert into draft_errors (draft_id, scope, detail) values ('00000000000000f1', 'flow://collection/otherCo/x', 'bad')", [])?;
            tx.execute(
                "insert into publications (id, user_id, draft_id, dry_run, logs_token, job_status, created_at, updated_at) \
                 values ('00000000000000f2', ?1, '00000000000000f1', 1, 'their-token', '{\"type\":\"buildFailed\"}', 't', 't')",
                [other],
            )?;
            tx.execute("insert into log_lines (token, stream, log_line, logged_at) values ('their-token', 'build', 'secret', 't')", [])
        })
        .unwrap();
    let foreign = "00:00:00:00:00:00:00:f1";
    let before = counts(&pg);
    assert_eq!(
        pg.get("/drafts?select=id").await,
        (200, json!([{"id": mine}]))
    );
    assert_eq!(
        pg.get(&format!("/drafts?select=id&id=eq.{foreign}")).await,
        (200, json!([]))
    );
    assert_eq!(
        pg.get(&format!("/draft_specs?draft_id=eq.{foreign}")).await,
        (200, json!([]))
    );
    assert_eq!(
        pg.get(&format!("/draft_errors?draft_id=eq.{foreign}"))
            .await,
        (200, json!([]))
    );
    assert_eq!(
        pg.get(&format!("/draft_specs_ext?draft_id=eq.{foreign}"))
            .await,
        (200, json!([]))
    );
    assert_eq!(pg.get("/publications").await, (200, json!([])));
    assert_eq!(
        pg.send(Request::rpc(
            "view_logs",
            json!({"bearer_token": "their-token", "last_logged_at": null})
        ))
        .await,
        (200, json!([]))
    );
    let rls = |table: &str| {
        pg_error(
            "42501",
            &format!("new row violates row-level security policy for table \"{table}\""),
            None,
        )
    };
    // Staging into it is refused, and the whole batch with it.
    assert_eq!(
        pg.stage(
            &mine,
            &[("acmeCo/a", Some("collection"), Some(ANVILS), None)]
        )
        .await
        .0,
        201
    );
    let before_batch = counts(&pg);
    let (status, answer) = pg
        .raw(
            "POST",
            "/draft_specs?on_conflict=draft_id,catalog_name",
            &[("Prefer", "return=representation,resolution=merge-duplicates")],
            Some(
                json!([
                    {"draft_id": mine, "catalog_name": "acmeCo/b", "spec_type": "collection", "spec": {}},
                    {"draft_id": foreign, "catalog_name": "otherCo/y", "spec_type": "collection", "spec": {}},
                ])
                .to_string()
                .into_bytes(),
            ),
            Some(&pg.bearer),
        )
        .await;
    assert_eq!((status, answer), (403, rls("draft_specs")));
    assert_eq!(counts(&pg), before_batch);
    // Publishing it, pruning it, deleting it: refused or no rows.
    let (status, answer) = pg
        .send(
            Request::insert(
                "publications",
                json!({"draft_id": foreign, "dry_run": false}),
            )
            .single(),
        )
        .await;
    assert_eq!((status, answer), (403, rls("publications")));
    assert_eq!(
        pg.send(Request::rpc(
            "prune_unchanged_draft_specs",
            json!({"prune_draft_id": foreign})
        ))
        .await,
        (200, json!([]))
    );
    assert_eq!(
        pg.send(Request::delete("drafts").eq("id", foreign)).await,
        (200, json!([]))
    );
    assert_eq!(
        pg.send(Request::delete("draft_specs").eq("draft_id", foreign))
            .await,
        (200, json!([]))
    );
    assert_eq!(counts(&pg)[1..], before_batch[1..]);
    assert_eq!(counts(&pg)[0], before[0]);
    assert_eq!(
        pg.count("select count(*) from draft_specs where draft_id = '00000000000000f1'"),
        1
    );
    pg.plane.stop().await;
}

#[tokio::test]
async fn bad_requests_get_postgrest_errors_and_change_nothing() {
    let pg = Pg::start().await;
    let draft = pg.create_draft().await;
    pg.stage(
        &draft,
        &[("acmeCo/anvils", Some("collection"), Some(ANVILS), None)],
    )
    .await;
    let before = counts(&pg);
    let object = [
        ("Accept", ACCEPT_OBJECT),
        ("Prefer", "return=representation"),
    ];
    let upsert = [(
        "Prefer",
        "return=representation,resolution=merge-duplicates",
    )];
    let spec_row = |extra: Value| {
        let mut row = json!({"draft_id": draft, "catalog_name": "acmeCo/b", "spec_type": "collection", "spec": {}});
        for (k, v) in extra.as_object().unwrap() {
            row[k] = v.clone();
        }
        json!([row]).to_string().into_bytes()
    };
    let forged = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQwMDAwMDAwMDAsInN1YiI6InUiLCJhdWQiOiJhdXRoZW50aWNhdGVkIn0.c2ln";
    let bearer = Some(pg.bearer.as_str());
    // (method, path, headers, body, bearer, status, answer)
    type Case<'a> = (
        &'a str,
        String,
        &'a [(&'a str, &'a str)],
        Option<Vec<u8>>,
        Option<&'a str>,
        u16,
        Value,
    );
    let cases: Vec<Case> = vec![
        ("GET", "/drafts".into(), &[], None, None, 401, pg_error("42501", "permission denied for table drafts", None)),
        ("GET", "/drafts".into(), &[], None, Some(forged), 401, pg_error("PGRST301", "JWT expired or not signed by this control plane", None)),
        ("POST", "/rpc/view_logs".into(), &[], Some(b"{}".to_vec()), None, 401, pg_error("42501", "permission denied for function view_logs", None)),
        ("GET", "/nope".into(), &[], None, bearer, 404, pg_error("PGRST205", "Could not find the table 'public.nope' in the schema cache", None)),
        ("GET", "/drafts?select=id,nope".into(), &[], None, bearer, 400, pg_error("42703", "column drafts.nope does not exist", None)),
        ("GET", "/drafts?nope=eq.1".into(), &[], None, bearer, 400, pg_error("42703", "column drafts.nope does not exist", None)),
        ("DELETE", "/drafts?nope=eq.1".into(), &[], None, bearer, 400, pg_error("42703", "column drafts.nope does not exist", None)),
        ("GET", "/drafts?order=nope".into(), &[], None, bearer, 400, pg_error("42703", "column drafts.nope does not exist", None)),
        ("GET", "/drafts?id=gt.1".into(), &[], None, bearer, 400, pg_error("PGRST100", "failed to parse filter (gt.1)", Some("unknown operator `gt` (expected one of eq, neq, is, like, in, not)"))),
        ("DELETE", "/drafts?id=in.1,2".into(), &[], None, bearer, 400, pg_error("PGRST100", "failed to parse filter (in.1,2)", Some("`in.1,2`: a list is written `(a,b)`"))),
        ("GET", "/drafts?or=id.eq.1".into(), &[], None, bearer, 400, pg_error("PGRST100", "failed to parse logic tree (id.eq.1)", Some("a list of conditions is written `(a.eq.x,b.eq.y)`"))),
        ("GET", "/drafts?select=id,".into(), &[], None, bearer, 400, pg_error("PGRST100", "failed to parse select parameter (id,)", Some("an empty item"))),
        ("GET", "/drafts?limit=x".into(), &[], None, bearer, 400, pg_error("PGRST100", "failed to parse limit (x)", Some("expecting a non-negative integer"))),
        ("DELETE", "/drafts?id=eq.xyz".into(), &[], None, bearer, 400, pg_error("22P02", "invalid input syntax for type macaddr8: \"xyz\"", None)),
        ("POST", "/drafts".into(), &object, Some(b"{not json".to_vec()), bearer, 400, pg_error("PGRST102", "Empty or invalid json", None)),
        ("POST", "/drafts".into(), &object, Some(b"".to_vec()), bearer, 400, pg_error("PGRST102", "Empty or invalid json", None)),
        ("POST", "/drafts".into(), &object, Some(b"{\"nope\": 1}".to_vec()), bearer, 400, pg_error("PGRST204", "Could not find the 'nope' column of 'drafts' in the schema cache", None)),
        ("POST", "/drafts".into(), &object, Some(b"{\"user_id\": \"x\"}".to_vec()), bearer, 403, pg_error("42501", "permission denied for table drafts", None)),
        ("POST", "/drafts?select=id".into(), &object, Some(b"[{}, {}]".to_vec()), bearer, 406, pg_error("PGRST116", "Cannot coerce the result to a single JSON object", Some("The result contains 2 rows"))),
        ("POST", "/live_specs".into(), &object, Some(b"{}".to_vec()), bearer, 403, pg_error("42501", "permission denied for table live_specs", None)),
        ("DELETE", "/publications".into(), &object, None, bearer, 403, pg_error("42501", "permission denied for table publications", None)),
        ("PATCH", "/drafts".into(), &object, Some(b"{}".to_vec()), bearer, 405, pg_error("PGRST117", "Unsupported HTTP method: PATCH", None)),
        ("POST", "/draft_specs".into(), &upsert, Some(b"[{\"draft_id\": 1,".to_vec()), bearer, 400, pg_error("PGRST102", "Empty or invalid json", None)),
        ("POST", "/draft_specs".into(), &upsert, Some(spec_row(json!({"spec": null}))), bearer, 400, pg_error("23514", "new row for relation \"draft_specs\" violates check constraint \"spec and spec_type must be consistent\"", None)),
        ("POST", "/draft_specs".into(), &upsert, Some(spec_row(json!({"spec_type": null}))), bearer, 400, pg_error("23514", "new row for relation \"draft_specs\" violates check constraint \"spec and spec_type must be consistent\"", None)),
        ("POST", "/draft_specs".into(), &upsert, Some(spec_row(json!({"spec_type": "pipeline"}))), bearer, 400, pg_error("22P02", "invalid input value for enum catalog_spec_type: \"pipeline\"", None)),
        ("POST", "/draft_specs".into(), &upsert, Some(spec_row(json!({"catalog_name": null}))), bearer, 400, pg_error("23502", "null value in column \"catalog_name\" of relation \"draft_specs\" violates not-null constraint", None)),
        ("POST", "/draft_specs".into(), &upsert, Some(spec_row(json!({"expect_pub_id": "nope"}))), bearer, 400, pg_error("22P02", "invalid input syntax for type macaddr8: \"nope\"", None)),
        ("POST", "/draft_specs".into(), &upsert, Some(spec_row(json!({"built_spec": {}}))), bearer, 400, pg_error("PGRST204", "Could not find the 'built_spec' column of 'draft_specs' in the schema cache", None)),
        ("POST", "/draft_specs?on_conflict=catalog_name".into(), &upsert, Some(spec_row(json!({}))), bearer, 400, pg_error("42P10", "there is no unique or exclusion constraint matching the ON CONFLICT specification", None)),
        (
            "POST",
            "/draft_specs".into(),
            &[("Prefer", "return=representation")],
            Some(spec_row(json!({"catalog_name": "acmeCo/anvils"}))),
            bearer,
            409,
            json!({"code": "23505", "details": format!("Key (draft_id, catalog_name)=({draft}, acmeCo/anvils) already exists."), "hint": null, "message": "duplicate key value violates unique constraint \"draft_specs_pkey\""}),
        ),
        ("POST", "/publications".into(), &object, Some(json!({"draft_id": draft, "dry_run": "yes"}).to_string().into_bytes()), bearer, 400, pg_error("22P02", "invalid input syntax for type boolean: \"\\\"yes\\\"\"", None)),
        ("POST", "/publications".into(), &object, Some(b"{\"dry_run\": true}".to_vec()), bearer, 400, pg_error("23502", "null value in column \"draft_id\" of relation \"publications\" violates not-null constraint", None)),
        ("POST", "/rpc/prune_unchanged_draft_specs".into(), &[], Some(b"{\"draft_id\": 1}".to_vec()), bearer, 404, pg_error("PGRST202", "Could not find the function public.prune_unchanged_draft_specs(draft_id) in the schema cache", None)),
        ("POST", "/rpc/prune_unchanged_draft_specs".into(), &[], Some(b"{\"prune_draft_id\": \"z\"}".to_vec()), bearer, 400, pg_error("22P02", "invalid input syntax for type macaddr8: \"z\"", None)),
        ("POST", "/rpc/view_logs".into(), &[], Some(b"{\"bearer_token\": \"t\", \"last_logged_at\": \"yesterday\"}".to_vec()), bearer, 400, pg_error("22007", "invalid input syntax for type timestamp with time zone: \"yesterday\"", None)),
        ("POST", "/rpc/view_logs".into(), &[], Some(b"[]".to_vec()), bearer, 400, pg_error("PGRST102", "Empty or invalid json", None)),
        ("POST", "/rpc/nope".into(), &[], Some(b"{\"a\": 1}".to_vec()), bearer, 404, pg_error("PGRST202", "Could not find the function public.nope(a) in the schema cache", None)),
    ];
    for (method, path, headers, body, bearer, status, answer) in cases {
        assert_eq!(
            pg.raw(method, &path, headers, body, bearer).await,
            (status, answer),
            "{method} {path}"
        );
        assert_eq!(counts(&pg), before, "{method} {path} changed nothing");
    }
    // A body over 2 MiB is refused by the gateway.
    let mut big = b"[{\"draft_id\": \"".to_vec();
    big.extend(std::iter::repeat_n(b'0', 3 * 1024 * 1024));
    for path in ["/draft_specs", "/rpc/view_logs"] {
        assert_eq!(
            pg.raw("POST", path, &upsert, Some(big.clone()), bearer)
                .await,
            (413, json!({"message": "Request size limit exceeded"}))
        );
    }
    assert_eq!(counts(&pg), before);
    // Ranges are ignored.
    let (status, rows) = pg
        .raw(
            "GET",
            "/drafts?select=id",
            &[("Range-Unit", "items"), ("Range", "0-999")],
            None,
            bearer,
        )
        .await;
    assert_eq!((status, rows), (200, json!([{"id": draft}])));
    pg.plane.stop().await;
}
