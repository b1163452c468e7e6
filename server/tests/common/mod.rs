//! A PostgREST client of the local control plane for the tests: the calls
//! flowctl 0.6 makes, over real loopback HTTP.

#![allow(dead_code)]

use flowspec::client::postgrest::{Method, Request, ACCEPT_OBJECT};
use flowspec_server::{ControlPlane, Options};
use serde_json::{json, Value};

/// A signed-in client of one control plane.
pub struct Pg {
    pub plane: ControlPlane,
    pub url: String,
    pub key: String,
    pub bearer: String,
    http: reqwest::Client,
}

/// One answer: status and JSON body (`null` if empty or not JSON).
pub type Answer = (u16, Value);

/// A spec to stage: name, type, spec text and `expect_pub_id` (type and
/// text both `None` for a deletion).
pub type Staged<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);

impl Pg {
    /// Starts a control plane and signs in with its refresh token.
    pub async fn start() -> Pg {
        let plane = ControlPlane::start(Options::ephemeral()).await.unwrap();
        let url = plane.endpoints().pg_url.clone();
        let key = plane.endpoints().pg_public_token.clone();
        let http = reqwest::Client::new();
        let token = plane.auth_token().clone();
        let answer: Value = http
            .post(format!("{url}/rpc/generate_access_token"))
            .header("apikey", &key)
            .json(&json!({"refresh_token_id": token.id, "secret": token.secret()}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let bearer = answer["access_token"].as_str().unwrap().to_string();
        Pg {
            plane,
            url,
            key,
            bearer,
            http,
        }
    }

    /// Sends `method path` with `headers` and a raw `body`, as `bearer`.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
        bearer: Option<&str>,
    ) -> Answer {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.url))
            .header("apikey", &self.key);
        if let Some(bearer) = bearer {
            request = request.bearer_auth(bearer);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json")
                .body(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let bytes = response.bytes().await.unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// Sends a request as flowctl builds it.
    pub async fn send(&self, request: Request) -> Answer {
        let headers: Vec<(&str, &str)> = request
            .headers
            .iter()
            .map(|(n, v)| (*n, v.as_str()))
            .collect();
        let method = request.method.as_str();
        let body = request.body.as_ref().map(|b| b.to_string().into_bytes());
        let body = match request.method {
            Method::Post => body,
            _ => None,
        };
        self.raw(
            method,
            &request.path_and_query(),
            &headers,
            body,
            Some(&self.bearer),
        )
        .await
    }

    /// `GET path` (query included), as flowctl's user.
    pub async fn get(&self, path: &str) -> Answer {
        self.raw(
            "GET",
            path,
            &[("Accept", "application/json")],
            None,
            Some(&self.bearer),
        )
        .await
    }

    /// `GET path` with `.single()`.
    pub async fn get_one(&self, path: &str) -> Answer {
        self.raw(
            "GET",
            path,
            &[("Accept", ACCEPT_OBJECT)],
            None,
            Some(&self.bearer),
        )
        .await
    }

    /// Creates a draft; returns its id (colon form).
    pub async fn create_draft(&self) -> String {
        let (status, draft) = self
            .send(
                Request::insert("drafts", json!({"detail": "Created by flowctl"}))
                    .select(&["id", "created_at"])
                    .single(),
            )
            .await;
        assert_eq!(status, 201, "{draft}");
        draft["id"].as_str().unwrap().to_string()
    }

    /// Stages `specs` (name, type, spec text, expect_pub_id) in `draft`,
    /// the specs sent as their exact text.
    pub async fn stage(&self, draft: &str, specs: &[Staged<'_>]) -> Answer {
        let rows: Vec<String> = specs
            .iter()
            .map(|(name, spec_type, spec, expect)| {
                format!(
                    "{{\"draft_id\":{},\"catalog_name\":{},\"spec_type\":{},\"spec\":{},\"expect_pub_id\":{}}}",
                    json!(draft),
                    json!(name),
                    json!(spec_type),
                    spec.unwrap_or("null"),
                    json!(expect)
                )
            })
            .collect();
        self.raw(
            "POST",
            "/draft_specs?select=catalog_name%2Cspec_type&on_conflict=draft_id%2Ccatalog_name",
            &[
                ("Accept", "application/json"),
                (
                    "Prefer",
                    "return=representation,resolution=merge-duplicates",
                ),
            ],
            Some(format!("[{}]", rows.join(",")).into_bytes()),
            Some(&self.bearer),
        )
        .await
    }

    /// Queues a publication of `draft`; returns its id and logs token.
    pub async fn queue(&self, draft: &str, dry_run: bool, data_plane: &str) -> (String, String) {
        let (status, publication) = self
            .send(
                Request::insert(
                    "publications",
                    json!({"data_plane_name": data_plane, "detail": "Published by flowctl", "draft_id": draft, "dry_run": dry_run}),
                )
                .select(&["id", "logs_token"])
                .single(),
            )
            .await;
        assert_eq!(status, 201, "{publication}");
        (
            publication["id"].as_str().unwrap().to_string(),
            publication["logs_token"].as_str().unwrap().to_string(),
        )
    }

    /// Polls the publication `id` as flowctl does until it is not queued;
    /// returns its `job_status` and `pub_id`.
    pub async fn wait(&self, id: &str) -> (Value, Value) {
        for _ in 0..1000 {
            let (status, row) = self
                .get_one(&format!(
                    "/publications?select=job_status-%3E%3Etype&id=eq.{}",
                    id.replace(':', "")
                ))
                .await;
            assert_eq!(status, 200, "{row}");
            if row != json!({"type": "queued"}) {
                let (_, row) = self
                    .get_one(&format!(
                        "/publications?select=job_status,pub_id&id=eq.{id}"
                    ))
                    .await;
                return (row["job_status"].clone(), row["pub_id"].clone());
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("publication {id} stays queued");
    }

    /// Creates a draft, stages `specs`, publishes and waits: returns the
    /// draft, the job status and the pub id.
    pub async fn publish(
        &self,
        specs: &[Staged<'_>],
        dry_run: bool,
        data_plane: &str,
    ) -> (String, Value, Value) {
        let draft = self.create_draft().await;
        let (status, staged) = self.stage(&draft, specs).await;
        assert_eq!(status, 201, "{staged}");
        let (id, _) = self.queue(&draft, dry_run, data_plane).await;
        let (job, pub_id) = self.wait(&id).await;
        (draft, job, pub_id)
    }

    /// A count of rows in the store, by SQL.
    pub fn count(&self, sql: &str) -> i64 {
        self.plane
            .store()
            .transaction(|tx| tx.query_row(sql, [], |r| r.get(0)))
            .unwrap()
    }
}

/// A PostgREST error body.
pub fn pg_error(code: &str, message: &str, details: Option<&str>) -> Value {
    json!({"code": code, "details": details, "hint": null, "message": message})
}

pub const ANVILS: &str = r#"{"schema":{"type":"object","properties":{"id":{"type":"string"},"weight":{"type":"number"}},"required":["id"]},"key":["/id"]}"#;

/// A capture whose config is already sops-encrypted (so flowctl would not
/// encrypt it); its keys are not in sorted order.
pub const SOURCE: &str = r#"{"endpoint":{"connector":{"image":"ghcr.io/estuary/source-http-ingest:v1","config":{"zeta":1,"token_sops":"ENC[AES256_GCM,data:q0Y=,iv:AAAA,tag:BBBB,type:str]","sops":{"mac":"ENC[AES256_GCM,data:mac,iv:CCCC,tag:DDDD,type:str]","lastmodified":"2026-01-01T00:00:00Z","version":"3.9.4","encrypted_suffix":"_sops"},"alpha":2}}},"bindings":[{"resource":{"path":"/anvils"},"target":"acmeCo/anvils"}]}"#;

pub const TO_SQLITE: &str = r#"{"endpoint":{"connector":{"image":"ghcr.io/estuary/materialize-sqlite:v1","config":{}}},"bindings":[{"resource":{"table":"anvils"},"source":"acmeCo/anvils"}]}"#;
