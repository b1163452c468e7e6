//! Publications through the local control plane's PostgREST, as flowctl
//! 0.6 makes them: publish, read what is live, prune, conflicts, failures,
//! dry runs, deletions and data planes.

mod common;

use common::{pg_error, Pg, Staged, ANVILS, SOURCE, TO_SQLITE};
use flowspec::client::postgrest::Request;
use serde_json::{json, Value};

const LIVE_SELECT: &str = "/live_specs_ext?select=id,catalog_name,data_plane_id,spec_type,spec,last_pub_id,last_build_id&spec_type=not.is.null&catalog_name=in.(acmeCo%2Fanvils,acmeCo%2Fsource-anvils,acmeCo%2Fto-sqlite)";

/// What flowctl's resolver selects: with `built_spec`, which a control
/// plane that builds nothing cannot give, so it finds no rows.
const RESOLVER_SELECT: &str = "/live_specs_ext?select=id,catalog_name,data_plane_id,spec_type,spec,built_spec,last_pub_id,last_build_id&spec_type=not.is.null&catalog_name=in.(acmeCo%2Fanvils,acmeCo%2Fsource-anvils,acmeCo%2Fto-sqlite)";

fn three() -> Vec<Staged<'static>> {
    vec![
        ("acmeCo/anvils", Some("collection"), Some(ANVILS), None),
        ("acmeCo/source-anvils", Some("capture"), Some(SOURCE), None),
        (
            "acmeCo/to-sqlite",
            Some("materialization"),
            Some(TO_SQLITE),
            None,
        ),
    ]
}

#[tokio::test]
async fn publish_read_prune_and_conflict() {
    let pg = Pg::start().await;
    let (draft, job, pub_id) = pg.publish(&three(), false, "").await;
    assert_eq!(job, json!({"type": "success"}));
    let pub_id = pub_id.as_str().unwrap().to_string();
    assert_eq!(pub_id.len(), 23, "colon form: {pub_id}");

    // The draft is gone, with its specs.
    assert_eq!(
        pg.get(&format!("/drafts?id=eq.{draft}&select=id")).await,
        (200, json!([]))
    );
    assert_eq!(pg.count("select count(*) from draft_specs"), 0);

    // What is live. flowctl's resolver, which selects built specs, finds
    // none.
    assert_eq!(pg.get(RESOLVER_SELECT).await, (200, json!([])));
    let (status, live) = pg.get(LIVE_SELECT).await;
    assert_eq!(status, 200);
    let plane = pg.get("/data_planes?select=id,data_plane_name").await;
    let plane_id = plane.1[0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        plane,
        (
            200,
            json!([{"id": plane_id, "data_plane_name": "ops/dp/public/local-cluster"}])
        )
    );
    let rows = live.as_array().unwrap();
    let names: Vec<&str> = rows
        .iter()
        .map(|r| r["catalog_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["acmeCo/anvils", "acmeCo/source-anvils", "acmeCo/to-sqlite"]
    );
    for (row, (name, spec_type, spec, _)) in rows.iter().zip(three()) {
        let spec: Value = serde_json::from_str(spec.unwrap()).unwrap();
        assert_eq!(
            row,
            &json!({
                "id": row["id"],
                "catalog_name": name,
                "data_plane_id": plane_id,
                "spec_type": spec_type,
                "spec": spec,
                "last_pub_id": pub_id,
                "last_build_id": pub_id,
            })
        );
    }
    // The spec is kept as the exact text staged (key order and all).
    let stored: String = pg
        .plane
        .store()
        .transaction(|tx| {
            tx.query_row(
                "select spec from live_specs where catalog_name = 'acmeCo/source-anvils'",
                [],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert_eq!(stored, SOURCE);
    // Reads and writes, and the history.
    let (_, edges) = pg.get("/live_specs_ext?select=catalog_name,reads_from,writes_to,md5,last_pub_user_email,last_pub_detail&catalog_name=like.acmeCo%2F*").await;
    let md5 = |text: &str| flowspec_server::store::spec_text_md5(text).unwrap();
    assert_eq!(
        edges,
        json!([
            {"catalog_name": "acmeCo/anvils", "reads_from": [], "writes_to": [], "md5": md5(ANVILS), "last_pub_user_email": "local@flowspec.dev", "last_pub_detail": "Published by flowctl"},
            {"catalog_name": "acmeCo/source-anvils", "reads_from": [], "writes_to": ["acmeCo/anvils"], "md5": md5(SOURCE), "last_pub_user_email": "local@flowspec.dev", "last_pub_detail": "Published by flowctl"},
            {"catalog_name": "acmeCo/to-sqlite", "reads_from": ["acmeCo/anvils"], "writes_to": [], "md5": md5(TO_SQLITE), "last_pub_user_email": "local@flowspec.dev", "last_pub_detail": "Published by flowctl"},
        ])
    );
    assert_eq!(pg.count("select count(*) from publication_specs"), 3);
    assert_eq!(pg.get("/inferred_schemas?select=collection_name,schema,md5&collection_name=in.(acmeCo%2Fanvils)").await, (200, json!([])));

    // The same specs again, re-indented: prune removes them all.
    let draft = pg.create_draft().await;
    let spaced =
        serde_json::to_string_pretty(&serde_json::from_str::<Value>(ANVILS).unwrap()).unwrap();
    let mut specs = three();
    specs[0].2 = Some(&spaced);
    let (status, staged) = pg.stage(&draft, &specs).await;
    assert_eq!(
        (status, staged),
        (
            201,
            json!([
                {"catalog_name": "acmeCo/anvils", "spec_type": "collection"},
                {"catalog_name": "acmeCo/source-anvils", "spec_type": "capture"},
                {"catalog_name": "acmeCo/to-sqlite", "spec_type": "materialization"},
            ])
        )
    );
    let (_, described) = pg.get(&format!("/draft_specs_ext?select=catalog_name,detail,expect_pub_id,last_pub_id,spec_type&draft_id=eq.{draft}")).await;
    assert_eq!(
        described[0],
        json!({"catalog_name": "acmeCo/anvils", "detail": null, "expect_pub_id": null, "last_pub_id": pub_id, "spec_type": "collection"})
    );
    let (status, pruned) = pg
        .send(Request::rpc(
            "prune_unchanged_draft_specs",
            json!({"prune_draft_id": draft}),
        ))
        .await;
    let row = |name: &str, t: &str, text: &str| json!({"catalog_name": name, "spec_type": t, "live_spec_md5": md5(text), "draft_spec_md5": md5(text), "inferred_schema_md5": null, "live_inferred_schema_md5": null});
    assert_eq!(
        (status, pruned),
        (
            200,
            json!([
                row("acmeCo/anvils", "collection", ANVILS),
                row("acmeCo/source-anvils", "capture", SOURCE),
                row("acmeCo/to-sqlite", "materialization", TO_SQLITE),
            ])
        )
    );
    let (_, drafts) = pg
        .get("/drafts_ext?select=created_at,detail,id,num_specs,updated_at")
        .await;
    assert_eq!(
        (drafts[0]["id"].as_str(), &drafts[0]["num_specs"]),
        (Some(draft.as_str()), &json!(0))
    );
    // An empty draft publishes nothing.
    let (id, _) = pg.queue(&draft, false, "").await;
    assert_eq!(
        pg.wait(&id).await,
        (json!({"type": "emptyDraft"}), Value::Null)
    );

    // A stale expect_pub_id, and the zero one on a spec that exists.
    let stale = "0000000000000700";
    let (_, job, _) = pg
        .publish(
            &[
                (
                    "acmeCo/anvils",
                    Some("collection"),
                    Some(ANVILS),
                    Some(stale),
                ),
                (
                    "acmeCo/to-sqlite",
                    Some("materialization"),
                    Some(TO_SQLITE),
                    Some("00:00:00:00:00:00:00:00"),
                ),
                (
                    "acmeCo/new",
                    Some("collection"),
                    Some(ANVILS),
                    Some("0000000000000000"),
                ),
            ],
            false,
            "",
        )
        .await;
    let hex = pub_id.replace(':', "");
    assert_eq!(
        job,
        json!({"type": "expectPubIdMismatch", "failures": [
            {"catalog_name": "acmeCo/anvils", "expected": stale, "actual": hex},
            {"catalog_name": "acmeCo/to-sqlite", "expected": "0000000000000000", "actual": hex},
        ]})
    );
    assert_eq!(
        pg.count("select count(*) from live_specs where catalog_name = 'acmeCo/new'"),
        0
    );

    // The right one publishes.
    let (_, job, second) = pg
        .publish(
            &[(
                "acmeCo/anvils",
                Some("collection"),
                Some(ANVILS),
                Some(&pub_id),
            )],
            false,
            "",
        )
        .await;
    assert_eq!(job, json!({"type": "success"}));
    let (_, live) = pg
        .get("/live_specs_ext?select=last_pub_id&catalog_name=eq.acmeCo%2Fanvils")
        .await;
    assert_eq!(live, json!([{"last_pub_id": second}]));
    assert_ne!(second, json!(pub_id));
    // Every publication of the user, filtered on a JSON path.
    assert_eq!(
        pg.get("/publications?select=job_status-%3E%3Etype,dry_run&job_status-%3E%3Etype=neq.success&order=id")
            .await,
        (200, json!([{"type": "emptyDraft", "dry_run": false}, {"type": "expectPubIdMismatch", "dry_run": false}]))
    );
    assert_eq!(
        pg.get("/publications?select=pub_id&job_status-%3Efailures-%3E0-%3E%3Ecatalog_name=eq.acmeCo%2Fanvils")
            .await,
        (200, json!([{"pub_id": null}]))
    );
    pg.plane.stop().await;
}

#[tokio::test]
async fn logs_are_read_in_order_after_a_time() {
    let pg = Pg::start().await;
    let draft = pg.create_draft().await;
    pg.stage(&draft, &three()).await;
    let (id, token) = pg.queue(&draft, false, "").await;
    pg.wait(&id).await;
    let (status, logs) = pg
        .send(Request::rpc(
            "view_logs",
            json!({"bearer_token": token, "last_logged_at": null}),
        ))
        .await;
    assert_eq!(status, 200);
    let lines: Vec<(&str, &str)> = logs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["stream"].as_str().unwrap(),
                l["log_line"].as_str().unwrap(),
            )
        })
        .collect();
    let hex = id.replace(':', "");
    let pub_id = pg
        .get_one(&format!("/publications?select=pub_id&id=eq.{hex}"))
        .await
        .1["pub_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        lines,
        [
            ("build", format!("publication {id} of draft {draft} started").as_str()),
            ("build", format!("draft {draft} has 3 spec(s): acmeCo/anvils, acmeCo/source-anvils, acmeCo/to-sqlite").as_str()),
            ("build", "validating 3 spec(s), live and drafted"),
            ("build", "built 3 spec(s)"),
            ("build", "acmeCo/anvils: a new spec, on data plane ops/dp/public/local-cluster"),
            ("build", "acmeCo/source-anvils: a new spec, on data plane ops/dp/public/local-cluster"),
            ("build", "acmeCo/to-sqlite: a new spec, on data plane ops/dp/public/local-cluster"),
            ("publish", "collection acmeCo/anvils: published"),
            ("publish", "capture acmeCo/source-anvils: published"),
            ("publish", "materialization acmeCo/to-sqlite: published"),
            ("publish", format!("publication {id} applied as {pub_id}").as_str()),
            ("build", format!("publication {id} finished: success").as_str()),
        ]
    );
    let all = logs.as_array().unwrap();
    assert!(all.iter().all(|l| l["token"] == json!(token)));
    let times: Vec<&str> = all
        .iter()
        .map(|l| l["logged_at"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
    // After the fourth line's time: the rest.
    let (_, rest) = pg
        .send(Request::rpc(
            "view_logs",
            json!({"bearer_token": token, "last_logged_at": times[3]}),
        ))
        .await;
    assert_eq!(rest.as_array().unwrap().as_slice(), &all[4..]);
    // An RFC 3339 time in another offset is the same instant.
    let last = chrono::DateTime::parse_from_rfc3339(times[times.len() - 1])
        .unwrap()
        .with_timezone(&chrono::FixedOffset::east_opt(3600).unwrap());
    let (_, none) = pg
        .send(Request::rpc(
            "view_logs",
            json!({"bearer_token": token, "last_logged_at": last.to_rfc3339()}),
        ))
        .await;
    assert_eq!(none, json!([]));
    let (_, none) = pg
        .send(Request::rpc(
            "view_logs",
            json!({"bearer_token": "00000000-0000-4000-8000-000000000000"}),
        ))
        .await;
    assert_eq!(none, json!([]));
    pg.plane.stop().await;
}

#[tokio::test]
async fn a_validation_failure_is_reported_per_spec() {
    let pg = Pg::start().await;
    let bad_collection = r#"{"schema":{"type":"object","properties":{"id":{"type":"string"}},"required":["id"]},"key":["id"]}"#;
    let bad_capture = r#"{"endpoint":{"connector":{"image":"ghcr.io/estuary/source-x:v1","config":{}}},"bindings":[{"resource":{"t":1},"target":"acmeCo/anvls"}]}"#;
    let not_a_test = r#"{"steps":"none"}"#;
    let (draft, job, pub_id) = pg
        .publish(
            &[
                (
                    "acmeCo/anvils",
                    Some("collection"),
                    Some(bad_collection),
                    None,
                ),
                ("acmeCo/source", Some("capture"), Some(bad_capture), None),
                ("acmeCo/check", Some("test"), Some(not_a_test), None),
            ],
            false,
            "",
        )
        .await;
    assert_eq!((job, pub_id), (json!({"type": "buildFailed"}), Value::Null));
    let (status, errors) = pg
        .get(&format!(
            "/draft_errors?select=scope,detail&draft_id=eq.{draft}"
        ))
        .await;
    assert_eq!(status, 200);
    // Specs that do not parse as their model.
    assert_eq!(
        errors,
        json!([
            {"scope": "flow://collection/acmeCo/anvils#/key/0", "detail": "collection acmeCo/anvils: \"id\" is not a valid JSON pointer (missing leading '/' slash)"},
            {"scope": "flow://test/acmeCo/check#/steps", "detail": "test acmeCo/check: invalid type: string \"none\", expected a sequence"},
        ])
    );
    // Specs that parse but do not validate: the next job replaces the errors.
    let unknown_key = ANVILS.replace("\"key\":[\"/id\"]", "\"key\":[\"/nope\"]");
    let (status, _) = pg
        .stage(
            &draft,
            &[(
                "acmeCo/anvils",
                Some("collection"),
                Some(&unknown_key),
                None,
            )],
        )
        .await;
    assert_eq!(status, 201);
    let (status, unstaged) = pg
        .send(
            Request::delete("draft_specs")
                .eq("draft_id", &draft)
                .eq("catalog_name", "acmeCo/check"),
        )
        .await;
    assert_eq!(
        (status, &unstaged[0]["catalog_name"]),
        (200, &json!("acmeCo/check"))
    );
    let (id, _) = pg.queue(&draft, false, "").await;
    assert_eq!(pg.wait(&id).await.0, json!({"type": "buildFailed"}));
    let (_, errors) = pg
        .get(&format!(
            "/draft_errors?select=scope,detail&draft_id=eq.{draft}"
        ))
        .await;
    assert_eq!(
        errors,
        json!([
            {"scope": "flow://capture/acmeCo/source#/bindings/0/target", "detail": "capture acmeCo/source: collection acmeCo/anvls, referenced by this capture binding, is not defined; did you mean acmeCo/anvils defined at flow://collection/acmeCo/anvils ?"},
            {"scope": "flow://collection/acmeCo/anvils#/key/0", "detail": "collection acmeCo/anvils: location /nope is unknown in schema flow://collection/acmeCo/anvils#/schema"},
        ])
    );
    // Nothing is live, and the draft is kept for the client to delete.
    assert_eq!(
        pg.get("/live_specs_ext?select=catalog_name").await,
        (200, json!([]))
    );
    let (status, kept) = pg
        .get(&format!("/drafts?id=eq.{draft}&select=id,created_at"))
        .await;
    assert_eq!((status, &kept[0]["id"]), (200, &json!(draft)));
    // flowctl deletes it: the errors go with it.
    let (status, deleted) = pg
        .raw(
            "DELETE",
            &format!("/drafts?select=id,created_at&id=eq.{draft}"),
            &[
                ("Accept", flowspec::client::postgrest::ACCEPT_OBJECT),
                ("Prefer", "return=representation"),
            ],
            None,
            Some(&pg.bearer),
        )
        .await;
    assert_eq!((status, deleted), (200, kept[0].clone()));
    assert_eq!(pg.count("select count(*) from draft_errors"), 0);
    pg.plane.stop().await;
}

#[tokio::test]
async fn a_dry_run_applies_nothing() {
    let pg = Pg::start().await;
    let test = r#"{"steps":[{"ingest":{"collection":"acmeCo/anvils","documents":[{"id":"a"}]}},{"verify":{"collection":"acmeCo/anvils","documents":[{"id":"a"}]}}]}"#;
    let mut specs = three();
    specs.push(("acmeCo/anvils-test", Some("test"), Some(test), None));
    let draft = pg.create_draft().await;
    pg.stage(&draft, &specs).await;
    let (id, token) = pg.queue(&draft, true, "").await;
    assert_eq!(
        pg.wait(&id).await,
        (json!({"type": "success"}), Value::Null)
    );
    assert_eq!(
        pg.get("/live_specs_ext?select=catalog_name").await,
        (200, json!([]))
    );
    assert_eq!(pg.count("select count(*) from publication_specs"), 0);
    assert_eq!(pg.count("select count(*) from draft_specs"), 4);
    let (_, logs) = pg
        .send(Request::rpc("view_logs", json!({"bearer_token": token})))
        .await;
    let lines: Vec<&str> = logs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["log_line"].as_str().unwrap())
        .collect();
    assert_eq!(
        &lines[3..],
        [
            "built 4 spec(s)",
            "acmeCo/anvils: a new spec, on data plane ops/dp/public/local-cluster",
            "acmeCo/anvils-test: a new spec, on data plane ops/dp/public/local-cluster",
            "acmeCo/source-anvils: a new spec, on data plane ops/dp/public/local-cluster",
            "acmeCo/to-sqlite: a new spec, on data plane ops/dp/public/local-cluster",
            "Running  1  tests...",
            "✔️ catalog.json :: acmeCo/anvils-test",
            "Ran 1 tests, 1 passed, 0 failed",
            "dry run: nothing was applied",
            format!("publication {id} finished: success").as_str(),
        ]
    );
    assert_eq!(logs[8]["stream"], "test");
    assert_eq!(logs[10]["stream"], "test");
    pg.plane.stop().await;
}

#[tokio::test]
async fn a_failing_test_fails_the_publication_with_its_step_and_differences() {
    let pg = Pg::start().await;
    let test = r#"{"steps":[{"ingest":{"collection":"acmeCo/anvils","documents":[{"id":"a","weight":1.5}]}},{"verify":{"collection":"acmeCo/anvils","documents":[{"id":"a","weight":2}]}}]}"#;
    let mut specs = three();
    specs.push(("acmeCo/anvils-test", Some("test"), Some(test), None));
    for dry_run in [true, false] {
        let draft = pg.create_draft().await;
        pg.stage(&draft, &specs).await;
        let (id, token) = pg.queue(&draft, dry_run, "").await;
        assert_eq!(
            pg.wait(&id).await,
            (json!({"type": "testFailed"}), Value::Null)
        );
        let (_, errors) = pg
            .get(&format!(
                "/draft_errors?draft_id=eq.{draft}&select=scope,detail"
            ))
            .await;
        assert_eq!(
            errors,
            json!([{
                "scope": "flow://test/acmeCo/anvils-test#/steps/1",
                "detail": "test acmeCo/anvils-test failed: verify: actual and expected document(s) did not match:\nmismatched document at index 0:\n  /weight: expected 2, actual 1.5\n  actual:   {\"id\":\"a\",\"weight\":1.5,\"_meta\":{\"uuid\":\"flow-uuid\"}}\n  expected: {\"id\":\"a\",\"weight\":2}",
            }])
        );
        let (_, logs) = pg
            .send(Request::rpc("view_logs", json!({"bearer_token": token})))
            .await;
        let lines: Vec<&str> = logs
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["stream"] == "test")
            .map(|l| l["log_line"].as_str().unwrap())
            .collect();
        assert_eq!(lines[0], "Running  1  tests...");
        assert_eq!(
            lines[1],
            "❌ catalog.json failure at step /tests/acmeCo~1anvils-test/steps/1 :"
        );
        assert_eq!(lines.last().unwrap(), &"Ran 1 tests, 0 passed, 1 failed");
    }
    // Nothing became live.
    assert_eq!(
        pg.get("/live_specs_ext?select=catalog_name").await,
        (200, json!([]))
    );
    pg.plane.stop().await;
}

#[tokio::test]
async fn deletions_and_what_they_break() {
    let pg = Pg::start().await;
    let (_, job, first) = pg.publish(&three(), false, "").await;
    assert_eq!(job, json!({"type": "success"}));
    let first = first.as_str().unwrap().to_string();
    // Deleting the collection alone breaks the live capture and
    // materialization, which are reported though not drafted.
    let (draft, job, _) = pg
        .publish(&[("acmeCo/anvils", None, None, Some(&first))], false, "")
        .await;
    assert_eq!(job, json!({"type": "buildFailed"}));
    let (_, errors) = pg
        .get(&format!("/draft_errors?select=scope&draft_id=eq.{draft}"))
        .await;
    assert_eq!(
        errors,
        json!([
            {"scope": "flow://capture/acmeCo/source-anvils#/bindings/0/target"},
            {"scope": "flow://materialization/acmeCo/to-sqlite#/bindings/0/source"},
        ])
    );
    // Deleting all three works; deleting a spec that is not live does not.
    let (_, job, second) = pg
        .publish(
            &[
                ("acmeCo/anvils", None, None, Some(&first)),
                ("acmeCo/source-anvils", None, None, Some(&first)),
                ("acmeCo/to-sqlite", None, None, None),
            ],
            false,
            "",
        )
        .await;
    assert_eq!(job, json!({"type": "success"}));
    assert_eq!(pg.get(LIVE_SELECT).await, (200, json!([])));
    let (_, gone) = pg.get("/live_specs_ext?select=catalog_name,spec_type,spec,last_pub_id,md5&catalog_name=eq.acmeCo%2Fanvils").await;
    assert_eq!(
        gone,
        json!([{"catalog_name": "acmeCo/anvils", "spec_type": null, "spec": null, "last_pub_id": second, "md5": null}])
    );
    let (draft, job, _) = pg
        .publish(&[("acmeCo/anvils", None, None, None)], false, "")
        .await;
    assert_eq!(job, json!({"type": "buildFailed"}));
    assert_eq!(
        pg.get(&format!(
            "/draft_errors?select=scope,detail&draft_id=eq.{draft}"
        ))
        .await
        .1,
        json!([{"scope": "flow://deletion/acmeCo/anvils", "detail": "cannot delete acmeCo/anvils: it is not a live spec"}])
    );
    // A deleted spec may be created again with the zero expect_pub_id.
    let (_, job, _) = pg
        .publish(
            &[(
                "acmeCo/anvils",
                Some("collection"),
                Some(ANVILS),
                Some("0000000000000000"),
            )],
            false,
            "",
        )
        .await;
    assert_eq!(job, json!({"type": "success"}));
    assert_eq!(
        pg.count("select count(*) from publication_specs where catalog_name = 'acmeCo/anvils'"),
        3
    );
    pg.plane.stop().await;
}

#[tokio::test]
async fn data_planes_are_checked() {
    let pg = Pg::start().await;
    let (draft, job, _) = pg.publish(&three()[..1], false, "ops/dp/public/nope").await;
    assert_eq!(job, json!({"type": "buildFailed"}));
    assert_eq!(
        pg.get(&format!(
            "/draft_errors?select=scope,detail&draft_id=eq.{draft}"
        ))
        .await
        .1,
        json!([{"scope": "flow://collection/acmeCo/anvils", "detail": "data plane \"ops/dp/public/nope\" does not exist; the data planes are: ops/dp/public/local-cluster"}])
    );
    pg.plane
        .store()
        .add_data_plane("ops/dp/public/other")
        .unwrap();
    let (_, job, _) = pg.publish(&three()[..1], false, "").await;
    assert_eq!(job, json!({"type": "success"}));
    // A capture on another plane cannot write into the collection.
    let (draft, job, _) = pg
        .publish(&three()[1..2], false, "ops/dp/public/other")
        .await;
    assert_eq!(job, json!({"type": "buildFailed"}));
    assert_eq!(
        pg.get(&format!(
            "/draft_errors?select=scope,detail&draft_id=eq.{draft}"
        ))
        .await
        .1,
        json!([{"scope": "flow://capture/acmeCo/source-anvils#/bindings/0/target", "detail": "capture acmeCo/source-anvils is on data plane ops/dp/public/other but collection acmeCo/anvils, which it writes to, is on data plane ops/dp/public/local-cluster: specs that read from or write to each other must be on one data plane"}])
    );
    // Existing specs keep their plane whatever the publication names.
    let (_, job, _) = pg
        .publish(&three()[..2], false, "ops/dp/public/other")
        .await;
    assert_eq!(job, json!({"type": "buildFailed"}));
    let (_, job, _) = pg.publish(&three()[1..], false, "").await;
    assert_eq!(job, json!({"type": "success"}));
    let (_, planes) = pg
        .get("/live_specs_ext?select=catalog_name,data_plane_name")
        .await;
    assert_eq!(
        planes,
        json!([
            {"catalog_name": "acmeCo/anvils", "data_plane_name": "ops/dp/public/local-cluster"},
            {"catalog_name": "acmeCo/source-anvils", "data_plane_name": "ops/dp/public/local-cluster"},
            {"catalog_name": "acmeCo/to-sqlite", "data_plane_name": "ops/dp/public/local-cluster"},
        ])
    );
    // Without a plane named, a new spec goes to the first plane of the
    // storage mapping of its longest prefix.
    let store = pg.plane.store();
    store
        .put_storage_mapping(
            "acmeCo/",
            r#"{"stores":[],"data_planes":["ops/dp/public/local-cluster"]}"#,
        )
        .unwrap();
    store
        .put_storage_mapping(
            "acmeCo/mapped/",
            r#"{"stores":[],"data_planes":["ops/dp/public/other"]}"#,
        )
        .unwrap();
    store
        .put_storage_mapping(
            "acmeCo/lost/",
            r#"{"stores":[],"data_planes":["ops/dp/public/gone"]}"#,
        )
        .unwrap();
    let (_, job, _) = pg
        .publish(
            &[(
                "acmeCo/mapped/anvils",
                Some("collection"),
                Some(ANVILS),
                None,
            )],
            false,
            "",
        )
        .await;
    assert_eq!(job, json!({"type": "success"}));
    let (_, planes) = pg
        .get("/live_specs_ext?select=data_plane_name&catalog_name=eq.acmeCo%2Fmapped%2Fanvils")
        .await;
    assert_eq!(planes, json!([{"data_plane_name": "ops/dp/public/other"}]));
    let (draft, job, _) = pg
        .publish(
            &[("acmeCo/lost/anvils", Some("collection"), Some(ANVILS), None)],
            false,
            "",
        )
        .await;
    assert_eq!(job, json!({"type": "buildFailed"}));
    assert_eq!(
        pg.get(&format!(
            "/draft_errors?select=scope,detail&draft_id=eq.{draft}"
        ))
        .await
        .1,
        json!([{"scope": "flow://collection/acmeCo/lost/anvils", "detail": "data plane \"ops/dp/public/gone\" of the storage mapping of acmeCo/lost/ does not exist; the data planes are: ops/dp/public/local-cluster, ops/dp/public/other"}])
    );
    assert_eq!(
        pg.get("/storage_mappings?select=catalog_prefix,spec->data_planes&catalog_prefix=like.acmeCo%2Fm*").await.1,
        json!([{"catalog_prefix": "acmeCo/mapped/", "data_planes": ["ops/dp/public/other"]}])
    );
    // A materialization placed on the mapped plane cannot read a collection
    // of the local one.
    let (draft, job, _) = pg
        .publish(
            &[(
                "acmeCo/mapped/to-sqlite",
                Some("materialization"),
                Some(TO_SQLITE),
                None,
            )],
            false,
            "",
        )
        .await;
    assert_eq!(job, json!({"type": "buildFailed"}));
    assert_eq!(
        pg.get(&format!(
            "/draft_errors?select=scope,detail&draft_id=eq.{draft}"
        ))
        .await
        .1,
        json!([{"scope": "flow://materialization/acmeCo/mapped/to-sqlite#/bindings/0/source", "detail": "materialization acmeCo/mapped/to-sqlite is on data plane ops/dp/public/other but collection acmeCo/anvils, which it reads from, is on data plane ops/dp/public/local-cluster: specs that read from or write to each other must be on one data plane"}])
    );
    pg.plane.stop().await;
}

#[tokio::test]
async fn concurrent_publications_of_one_spec_one_wins() {
    let pg = Pg::start().await;
    let (_, job, first) = pg.publish(&three()[..1], false, "").await;
    assert_eq!(job, json!({"type": "success"}));
    let first = first.as_str().unwrap().to_string();
    let spec = |weight: &str| ANVILS.replace("number", weight);
    let (a, b) = (spec("integer"), spec("string"));
    let draft_a = pg.create_draft().await;
    let draft_b = pg.create_draft().await;
    pg.stage(
        &draft_a,
        &[("acmeCo/anvils", Some("collection"), Some(&a), Some(&first))],
    )
    .await;
    pg.stage(
        &draft_b,
        &[("acmeCo/anvils", Some("collection"), Some(&b), Some(&first))],
    )
    .await;
    let ((id_a, _), (id_b, _)) =
        tokio::join!(pg.queue(&draft_a, false, ""), pg.queue(&draft_b, false, ""));
    let (job_a, job_b) = tokio::join!(pg.wait(&id_a), pg.wait(&id_b));
    let (winner, loser, text) = if job_a.0 == json!({"type": "success"}) {
        (job_a, job_b, a)
    } else {
        (job_b, job_a, b)
    };
    assert_eq!(winner.0, json!({"type": "success"}));
    assert_eq!(
        loser,
        (
            json!({"type": "expectPubIdMismatch", "failures": [{"catalog_name": "acmeCo/anvils", "expected": first.replace(':', ""), "actual": winner.1.as_str().unwrap().replace(':', "")}]}),
            Value::Null
        )
    );
    let stored: String = pg
        .plane
        .store()
        .transaction(|tx| {
            tx.query_row(
                "select spec from live_specs where catalog_name = 'acmeCo/anvils'",
                [],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert_eq!(stored, text);
    assert_eq!(pg.count("select count(*) from publication_specs"), 2);
    let _ = pg_error;
    pg.plane.stop().await;
}

#[tokio::test]
async fn queued_publications_left_in_a_database_file_run_on_start() {
    let dir = tempfile::tempdir().unwrap();
    let options = flowspec_server::Options {
        db: Some(dir.path().join("cp.db")),
        ..flowspec_server::Options::ephemeral()
    };
    // A publication queued while no agent was running.
    let store = flowspec_server::Store::open(options.db.as_deref()).unwrap();
    let user = store.local_user().unwrap();
    store
        .transaction(|tx| {
            tx.execute("insert into drafts (id, user_id, created_at, updated_at) values ('00000000000000d1', ?1, 't', 't')", [&user.id])?;
            tx.execute(
                "insert into draft_specs (draft_id, catalog_name, spec_type, spec, created_at, updated_at) values ('00000000000000d1', 'acmeCo/anvils', 'collection', ?1, 't', 't')",
                [ANVILS],
            )?;
            tx.execute(
                "insert into publications (id, user_id, draft_id, dry_run, logs_token, job_status, created_at, updated_at) \
                 values ('00000000000000e1', ?1, '00000000000000d1', 0, 'tok', '{\"type\":\"queued\"}', 't', 't')",
                [&user.id],
            )
        })
        .unwrap();
    drop(store);
    let plane = flowspec_server::ControlPlane::start(options).await.unwrap();
    for _ in 0..500 {
        let status: String = plane
            .store()
            .transaction(|tx| {
                tx.query_row(
                    "select job_status from publications where id = '00000000000000e1'",
                    [],
                    |r| r.get(0),
                )
            })
            .unwrap();
        if status != "{\"type\":\"queued\"}" {
            assert_eq!(status, "{\"type\":\"success\"}");
            plane.stop().await;
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the queued publication did not run");
}

#[tokio::test]
async fn specs_may_not_read_the_servers_files() {
    let pg = Pg::start().await;
    let leak = r#"{"schema":"file:///etc/passwd","key":["/id"]}"#;
    let (draft, job, _) = pg
        .publish(
            &[("acmeCo/leak", Some("collection"), Some(leak), None)],
            true,
            "",
        )
        .await;
    assert_eq!(job, json!({"type": "buildFailed"}));
    assert_eq!(
        pg.get(&format!(
            "/draft_errors?select=scope,detail&draft_id=eq.{draft}"
        ))
        .await
        .1,
        json!([{
            "scope": "flow://collection/acmeCo/leak#/schema",
            "detail": "collection acmeCo/leak: refusing to read file:///etc/passwd: it is outside of the catalog's root flow://publication/ (references may not leave the root when it is enforced)",
        }])
    );
    pg.plane.stop().await;
}

#[tokio::test]
async fn flowspec_client_publishes_with_its_profile() {
    use flowspec::client::http::Api;
    use flowspec::client::{ProfileFile, Session};
    use std::collections::BTreeMap;
    use std::ffi::OsString;

    let pg = Pg::start().await;
    let home = tempfile::tempdir().unwrap();
    let env: BTreeMap<OsString, OsString> = BTreeMap::from([("HOME".into(), home.path().into())]);
    ProfileFile::locate("local", &env)
        .unwrap()
        .save(&pg.plane.profile())
        .unwrap();
    let mut session = Session::open(Some("local"), &env).unwrap();
    let api = Api::new(session.endpoints()).unwrap();
    let token = session
        .access_token(&api, flowspec::client::unix_now(), false)
        .await
        .unwrap()
        .unwrap();
    let call = |request: Request| {
        let (api, token) = (&api, &token);
        async move { api.postgrest(&request, Some(token)).await }
    };
    let draft = call(
        Request::insert("drafts", json!({"detail": "Created by flowctl"}))
            .select(&["id", "created_at"])
            .single(),
    )
    .await
    .unwrap();
    let draft = draft["id"].as_str().unwrap().to_string();
    let hex = draft.replace(':', "");
    let rows: Vec<Value> = three()
        .into_iter()
        .map(|(name, spec_type, spec, _)| {
            json!({"draft_id": hex, "catalog_name": name, "spec_type": spec_type, "spec": serde_json::from_str::<Value>(spec.unwrap()).unwrap(), "expect_pub_id": null})
        })
        .collect();
    let staged = call(
        Request::upsert("draft_specs", Value::Array(rows), "draft_id,catalog_name")
            .select(&["catalog_name", "spec_type"]),
    )
    .await
    .unwrap();
    assert_eq!(
        staged,
        json!([
            {"catalog_name": "acmeCo/anvils", "spec_type": "collection"},
            {"catalog_name": "acmeCo/source-anvils", "spec_type": "capture"},
            {"catalog_name": "acmeCo/to-sqlite", "spec_type": "materialization"},
        ])
    );
    let publication = call(
        Request::insert(
            "publications",
            json!({"data_plane_name": "", "detail": null, "draft_id": hex, "dry_run": false}),
        )
        .select(&["id", "logs_token"])
        .single(),
    )
    .await
    .unwrap();
    let id = publication["id"].as_str().unwrap().replace(':', "");
    let status = loop {
        let row = call(
            Request::get("publications")
                .select(&["job_status->>type"])
                .eq("id", &id)
                .single(),
        )
        .await
        .unwrap();
        if row["type"] != "queued" {
            break row["type"].clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    };
    assert_eq!(status, "success");
    // The draft is gone: deleting it as flowctl does on failure is refused.
    let err = call(
        Request::delete("drafts")
            .select(&["id", "created_at"])
            .eq("id", &hex)
            .single(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "DELETE /drafts: 406 Not Acceptable: Cannot coerce the result to a single JSON object (The result contains 0 rows)"
    );
    pg.plane.stop().await;
}

#[tokio::test]
async fn a_failure_while_applying_applies_nothing() {
    let pg = Pg::start().await;
    // The store refuses the history row of one spec, after the others'
    // were written in the same transaction.
    pg.plane
        .store()
        .transaction(|tx| {
            tx.execute_batch(
                "create trigger refuse before insert on publication_specs when new.catalog_name = 'acmeCo/to-sqlite' \
                 begin select raise(abort, 'injected failure'); end;",
            )
        })
        .unwrap();
    let draft = pg.create_draft().await;
    pg.stage(&draft, &three()).await;
    let (id, token) = pg.queue(&draft, false, "").await;
    assert_eq!(
        pg.wait(&id).await,
        (json!({"type": "publishFailed"}), Value::Null)
    );
    assert_eq!(
        [
            pg.count("select count(*) from live_specs"),
            pg.count("select count(*) from publication_specs"),
            pg.count("select count(*) from draft_specs"),
        ],
        [0, 0, 3]
    );
    let (_, logs) = pg
        .send(Request::rpc("view_logs", json!({"bearer_token": token})))
        .await;
    let last = logs.as_array().unwrap().last().unwrap();
    assert_eq!(
        (&last["stream"], &last["log_line"]),
        (
            &json!("publish"),
            &json!(format!(
                "publication {id} failed: the control plane's database: injected failure"
            ))
        )
    );
    pg.plane.stop().await;
}
