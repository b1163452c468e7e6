//! The agent: it runs queued publications one at a time. For each it reads
//! the draft, checks `expect_pub_id`, builds and validates the catalog that
//! would be live, places specs on data planes, and then either reports
//! (dry run) or applies everything in one transaction. Every step is
//! logged under the publication's `logs_token`, for `rpc/view_logs`.
//!
//! A run ends in a `job_status` of `success`, `emptyDraft`,
//! `expectPubIdMismatch` (with its `failures`), `buildFailed` (with
//! `draft_errors`), `testFailed` (a drafted test failed: its failure in
//! `draft_errors` and the test report in the logs) or, if the store itself fails, `publishFailed`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use flowspec::client::FlowId;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

use crate::catalog::{self, draft_scope, Specs};
use crate::store::{spec_text_md5, timestamp, Store, LOCAL_DATA_PLANE};
use crate::{ServerError, State};
use flowspec::Kind;

/// Runs the agent until `stop` turns true: queued publications first (those
/// left in a database file), then each one as it is inserted.
pub(crate) fn spawn(
    state: Arc<State>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let worker = state.clone();
            let ran = tokio::task::spawn_blocking(move || run_queued(&worker)).await;
            if ran.is_err() || *stop.borrow() {
                return;
            }
            tokio::select! {
                _ = state.wake.notified() => {}
                _ = stop.wait_for(|stopped| *stopped) => return,
            }
        }
    })
}

/// Runs every queued publication, oldest first.
fn run_queued(state: &State) {
    while let Ok(Some(job)) = next_queued(&state.store) {
        let id = job.id;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(state, &job)));
        let failure = match outcome {
            Ok(Ok(())) => continue,
            Ok(Err(err)) => err.to_string(),
            Err(_) => "an internal error of the agent".to_string(),
        };
        // Say so in the job rather than leave it queued; if even that
        // fails, wait for the next publication to wake the agent.
        let marked = state.store.transaction(|tx| {
            log(
                tx,
                &state.clock,
                &job.logs_token,
                "publish",
                &format!("publication {id:#} failed: {failure}"),
            )?;
            finish(tx, &job, &json!({"type": "publishFailed"}), None)
        });
        if marked.is_err() {
            return;
        }
    }
}

/// A queued publication.
#[derive(Debug, Clone)]
struct Job {
    id: FlowId,
    user: String,
    draft: FlowId,
    dry_run: bool,
    detail: Option<String>,
    data_plane_name: Option<String>,
    logs_token: String,
}

fn next_queued(store: &Store) -> Result<Option<Job>, ServerError> {
    store.transaction(|tx| {
        tx.query_row(
            "select id, user_id, draft_id, dry_run, detail, data_plane_name, logs_token from publications \
             where json_extract(job_status, '$.type') = 'queued' order by id limit 1",
            [],
            |r| {
                let id: String = r.get(0)?;
                let draft: String = r.get(2)?;
                Ok(Job {
                    id: id.parse().unwrap_or(FlowId::ZERO),
                    user: r.get(1)?,
                    draft: draft.parse().unwrap_or(FlowId::ZERO),
                    dry_run: r.get(3)?,
                    detail: r.get(4)?,
                    data_plane_name: r.get(5)?,
                    logs_token: r.get(6)?,
                })
            },
        )
        .optional()
    })
}

/// The clock of log lines: strictly increasing, so that `view_logs` after a
/// line's `logged_at` never skips a line written in the same microsecond.
#[derive(Debug, Default)]
pub(crate) struct LogClock(Mutex<i64>);

impl LogClock {
    fn next(&self) -> i64 {
        let mut last = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *last = crate::now_micros().max(*last + 1);
        *last
    }
}

fn log(
    db: &Connection,
    clock: &LogClock,
    token: &str,
    stream: &str,
    line: &str,
) -> rusqlite::Result<()> {
    db.execute(
        "insert into log_lines (token, stream, log_line, logged_at) values (?1, ?2, ?3, ?4)",
        params![token, stream, line, timestamp(clock.next())],
    )?;
    Ok(())
}

/// Sets the job's status (and `pub_id`), and replaces its draft's errors.
fn finish(
    db: &Connection,
    job: &Job,
    status: &Value,
    errors: Option<&[(String, String)]>,
) -> rusqlite::Result<()> {
    db.execute(
        "update publications set job_status = ?2, updated_at = ?3 where id = ?1",
        params![
            job.id.to_string(),
            status.to_string(),
            timestamp(crate::now_micros())
        ],
    )?;
    if let Some(errors) = errors {
        db.execute(
            "delete from draft_errors where draft_id = ?1",
            params![job.draft.to_string()],
        )?;
        for (scope, detail) in errors {
            db.execute(
                "insert into draft_errors (draft_id, scope, detail) select ?1, ?2, ?3 where exists (select 1 from drafts where id = ?1)",
                params![job.draft.to_string(), scope, detail],
            )?;
        }
    }
    Ok(())
}

/// A spec of the draft: its type and text (both `None` for a deletion) and
/// `expect_pub_id`.
struct Drafted {
    spec: Option<(Kind, String)>,
    expect: Option<FlowId>,
}

/// A live spec.
struct Live {
    id: String,
    spec: Option<(Kind, String)>,
    last_pub_id: FlowId,
    data_plane_id: Option<String>,
}

fn read_draft(db: &Connection, draft: FlowId) -> rusqlite::Result<BTreeMap<String, Drafted>> {
    let mut statement = db.prepare(
        "select catalog_name, spec_type, spec, expect_pub_id from draft_specs where draft_id = ?1 order by catalog_name",
    )?;
    let rows = statement.query_map(params![draft.to_string()], |r| {
        let spec_type: Option<String> = r.get(1)?;
        let spec: Option<String> = r.get(2)?;
        let expect: Option<String> = r.get(3)?;
        Ok((
            r.get::<_, String>(0)?,
            Drafted {
                spec: spec_type.and_then(|t| catalog::spec_type(&t)).zip(spec),
                expect: expect.and_then(|e| e.parse().ok()),
            },
        ))
    })?;
    rows.collect()
}

fn read_live(db: &Connection) -> rusqlite::Result<BTreeMap<String, Live>> {
    let mut statement = db.prepare(
        "select catalog_name, id, spec_type, spec, last_pub_id, data_plane_id from live_specs",
    )?;
    let rows = statement.query_map([], |r| {
        let spec_type: Option<String> = r.get(2)?;
        let spec: Option<String> = r.get(3)?;
        let last: String = r.get(4)?;
        Ok((
            r.get::<_, String>(0)?,
            Live {
                id: r.get(1)?,
                spec: spec_type.and_then(|t| catalog::spec_type(&t)).zip(spec),
                last_pub_id: last.parse().unwrap_or(FlowId::ZERO),
                data_plane_id: r.get(5)?,
            },
        ))
    })?;
    rows.collect()
}

/// The `expect_pub_id` failures of `draft` against `live`.
fn mismatches(draft: &BTreeMap<String, Drafted>, live: &BTreeMap<String, Live>) -> Vec<Value> {
    let mut out = Vec::new();
    for (name, drafted) in draft {
        let Some(expected) = drafted.expect else {
            continue;
        };
        let actual = live
            .get(name)
            .filter(|l| l.spec.is_some())
            .map(|l| l.last_pub_id);
        let ok = if expected == FlowId::ZERO {
            actual.is_none()
        } else {
            actual == Some(expected)
        };
        if !ok {
            out.push(json!({
                "catalog_name": name,
                "expected": expected.to_string(),
                "actual": actual.map(|a| a.to_string()),
            }));
        }
    }
    out
}

/// The first data plane of the storage mapping of `name` (the one of the
/// longest prefix), with that prefix.
fn mapped_plane(mappings: &BTreeMap<String, String>, name: &str) -> Option<(String, String)> {
    let (prefix, spec) = mappings
        .iter()
        .filter(|(prefix, _)| name.starts_with(prefix.as_str()))
        .max_by_key(|(prefix, _)| prefix.len())?;
    let spec: Value = serde_json::from_str(spec).ok()?;
    let plane = spec["data_planes"].get(0)?.as_str()?.to_string();
    Some((prefix.clone(), plane))
}

/// Runs one publication.
fn run(state: &State, job: &Job) -> Result<(), ServerError> {
    let store = &state.store;
    let clock = &state.clock;
    let token = job.logs_token.as_str();
    let say =
        |stream: &str, line: &str| store.transaction(|tx| log(tx, clock, token, stream, line));
    let end = |status: Value, errors: Option<&[(String, String)]>| {
        store.transaction(|tx| {
            if let Some(errors) = errors {
                for (scope, detail) in errors {
                    log(
                        tx,
                        clock,
                        token,
                        "build",
                        &format!("error: {scope}: {detail}"),
                    )?;
                }
            }
            log(
                tx,
                clock,
                token,
                "build",
                &format!(
                    "publication {:#} finished: {}",
                    job.id,
                    status["type"].as_str().unwrap_or_default()
                ),
            )?;
            finish(tx, job, &status, errors)
        })
    };

    let what = if job.dry_run {
        "dry run"
    } else {
        "publication"
    };
    say(
        "build",
        &format!("{what} {:#} of draft {:#} started", job.id, job.draft),
    )?;
    let (draft, live, planes, mappings) = store.transaction(|tx| {
        let pairs = |sql: &str| -> rusqlite::Result<BTreeMap<String, String>> {
            tx.prepare(sql)?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect()
        };
        let planes = pairs("select data_plane_name, id from data_planes")?;
        let mappings = pairs("select catalog_prefix, spec from storage_mappings")?;
        Ok((read_draft(tx, job.draft)?, read_live(tx)?, planes, mappings))
    })?;

    // 1. The draft.
    if draft.is_empty() {
        say("build", &format!("draft {:#} has no specs", job.draft))?;
        return end(json!({"type": "emptyDraft"}), Some(&[]));
    }
    say(
        "build",
        &format!(
            "draft {:#} has {} spec(s): {}",
            job.draft,
            draft.len(),
            draft.keys().cloned().collect::<Vec<_>>().join(", ")
        ),
    )?;

    // 2. Optimistic locks.
    let failures = mismatches(&draft, &live);
    if !failures.is_empty() {
        for f in &failures {
            say(
                "build",
                &format!(
                    "{}: expected last publication {}, but it is {}",
                    f["catalog_name"].as_str().unwrap_or_default(),
                    f["expected"].as_str().unwrap_or_default(),
                    f["actual"].as_str().unwrap_or("(no live spec)")
                ),
            )?;
        }
        return end(
            json!({"type": "expectPubIdMismatch", "failures": failures}),
            Some(&[]),
        );
    }

    // 3. The catalog that would be live, validated.
    let live_specs: Specs = live
        .iter()
        .filter_map(|(name, l)| l.spec.clone().map(|s| (name.clone(), s)))
        .collect();
    let mut next = live_specs.clone();
    let mut errors: Vec<(String, String)> = Vec::new();
    for (name, drafted) in &draft {
        match &drafted.spec {
            Some(spec) => {
                next.insert(name.clone(), spec.clone());
            }
            None => {
                if next.remove(name).is_none() {
                    errors.push((
                        format!("flow://deletion/{name}"),
                        format!("cannot delete {name}: it is not a live spec"),
                    ));
                }
            }
        }
    }
    let drafted_names: BTreeSet<&str> = draft.keys().map(String::as_str).collect();
    say(
        "build",
        &format!("validating {} spec(s), live and drafted", next.len()),
    )?;
    let mut ignored = Vec::new();
    let catalog = match catalog::check(&next) {
        Ok(catalog) => Some(catalog),
        Err(diagnostics) => {
            // Problems of live specs the draft does not touch count only if
            // the draft caused them: the live catalog alone lacks them.
            let mut live_errors: Option<BTreeSet<(String, String)>> = None;
            for d in diagnostics {
                match catalog::locate(&d.scope) {
                    Some((t, name, pointer)) if drafted_names.contains(name.as_str()) => {
                        errors.push((
                            draft_scope(t, &name, &pointer),
                            catalog::rescope(&d.message),
                        ));
                    }
                    Some((t, name, pointer)) => {
                        let known =
                            live_errors.get_or_insert_with(|| match catalog::check(&live_specs) {
                                Ok(_) => BTreeSet::new(),
                                Err(ds) => ds.into_iter().map(|d| (d.scope, d.message)).collect(),
                            });
                        let scoped = (
                            draft_scope(t, &name, &pointer),
                            catalog::rescope(&d.message),
                        );
                        if known.contains(&(d.scope.clone(), d.message.clone())) {
                            ignored.push(scoped);
                        } else {
                            errors.push(scoped);
                        }
                    }
                    None => errors.push((d.scope, catalog::rescope(&d.message))),
                }
            }
            None
        }
    };
    let Some(catalog) = catalog.filter(|_| errors.is_empty()) else {
        // Only live specs the draft does not touch fail, as they did
        // before: they are what keeps the catalog from loading.
        if errors.is_empty() {
            errors = ignored;
        }
        return end(json!({"type": "buildFailed"}), Some(&errors));
    };

    // 4. Data planes. A new spec goes to the plane the publication names,
    // or with none named, to the first plane of its storage mapping (the
    // longest prefix of its name), else the local one. Live specs keep
    // theirs.
    let known = planes.keys().cloned().collect::<Vec<_>>().join(", ");
    let named = job.data_plane_name.as_deref().filter(|n| !n.is_empty());
    if let Some(plane) = named.filter(|n| !planes.contains_key(*n)) {
        let errors: Vec<(String, String)> = draft
            .iter()
            .map(|(name, d)| {
                let scope = match &d.spec {
                    Some((t, _)) => draft_scope(*t, name, ""),
                    None => format!("flow://deletion/{name}"),
                };
                (
                    scope,
                    format!("data plane {plane:?} does not exist; the data planes are: {known}"),
                )
            })
            .collect();
        return end(json!({"type": "buildFailed"}), Some(&errors));
    }
    let mut placed: BTreeMap<&str, (String, String)> = BTreeMap::new();
    for (name, d) in &draft {
        let Some((spec_type, _)) = &d.spec else {
            continue;
        };
        if live.get(name).is_some_and(|l| l.spec.is_some()) {
            continue;
        }
        let (wanted, source) = match (named, mapped_plane(&mappings, name)) {
            (Some(plane), _) => (plane.to_string(), String::new()),
            (None, Some((prefix, plane))) => {
                (plane, format!(" of the storage mapping of {prefix}"))
            }
            (None, None) => (LOCAL_DATA_PLANE.to_string(), String::new()),
        };
        match planes.get(&wanted) {
            Some(id) => {
                placed.insert(name, (id.clone(), wanted));
            }
            None => errors.push((
                draft_scope(*spec_type, name, ""),
                format!(
                    "data plane {wanted:?}{source} does not exist; the data planes are: {known}"
                ),
            )),
        }
    }
    if !errors.is_empty() {
        return end(json!({"type": "buildFailed"}), Some(&errors));
    }
    let plane_of = |name: &str| -> Option<String> {
        match (live.get(name), placed.get(name)) {
            (Some(l), _) if l.spec.is_some() => l.data_plane_id.clone(),
            (_, Some((id, _))) => Some(id.clone()),
            _ => None,
        }
    };
    let plane_names: BTreeMap<&str, &str> = planes
        .iter()
        .map(|(n, i)| (i.as_str(), n.as_str()))
        .collect();
    let edges = catalog::edges(&catalog);
    for edge in &edges {
        let (from_type, from) = &edge.from;
        if !drafted_names.contains(from.as_str()) && !drafted_names.contains(edge.to.as_str()) {
            continue;
        }
        let (a, b) = (plane_of(from), plane_of(&edge.to));
        if a != b {
            let name_of = |p: &Option<String>| {
                p.as_deref()
                    .and_then(|p| plane_names.get(p).copied())
                    .unwrap_or("(none)")
                    .to_string()
            };
            let verb = if edge.writes {
                "writes to"
            } else {
                "reads from"
            };
            errors.push((
                draft_scope(*from_type, from, &edge.pointer),
                format!(
                    "{} {from} is on data plane {} but collection {}, which it {verb}, is on data plane {}: specs that read from or write to each other must be on one data plane",
                    from_type.singular(),
                    name_of(&a),
                    edge.to,
                    name_of(&b)
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return end(json!({"type": "buildFailed"}), Some(&errors));
    }
    say("build", &format!("built {} spec(s)", draft.len()))?;
    for (name, (_, plane)) in &placed {
        say(
            "build",
            &format!("{name}: a new spec, on data plane {plane}"),
        )?;
    }

    // 5. The drafted tests run, locally, as Estuary's control plane runs
    // them: a failing test fails the publication.
    let tests: Vec<String> = draft
        .iter()
        .filter(|(_, d)| matches!(d.spec, Some((Kind::Test, _))))
        .map(|(name, _)| name.clone())
        .collect();
    if !tests.is_empty() {
        let options = flowspec::testing::TestOptions {
            tests,
            ..Default::default()
        };
        let results = match flowspec::testing::run(&catalog, &options) {
            Ok(results) => results,
            Err(err) => {
                let errors = vec![(String::new(), err.to_string())];
                return end(json!({"type": "testFailed"}), Some(&errors));
            }
        };
        for line in results.render().lines().filter(|l| !l.is_empty()) {
            say("test", line)?;
        }
        if !results.ok() {
            let errors: Vec<(String, String)> = results
                .tests
                .iter()
                .filter_map(|t| {
                    let failure = t.failure.as_ref()?;
                    let pointer = format!("/steps/{}", failure.step);
                    Some((
                        draft_scope(Kind::Test, &t.test, &pointer),
                        format!("test {} failed: {}", t.test, failure.message.trim_end()),
                    ))
                })
                .collect();
            return end(json!({"type": "testFailed"}), Some(&errors));
        }
    }
    if job.dry_run {
        say("build", "dry run: nothing was applied")?;
        return end(json!({"type": "success"}), Some(&[]));
    }

    // 6. Apply, in one transaction, checking the locks again.
    let applied = store.transaction(|tx| {
        if !mismatches(&draft, &read_live(tx)?).is_empty() {
            return Ok(None);
        }
        let pub_id = state.store.next_id();
        let now = timestamp(crate::now_micros());
        for (name, drafted) in &draft {
            let existing = live.get(name);
            let live_id = match existing {
                Some(l) => l.id.clone(),
                None => state.store.next_id().to_string(),
            };
            match &drafted.spec {
                Some((spec_type, text)) => {
                    let (reads, writes) = catalog::reads_and_writes(&edges, *spec_type, name);
                    let plane = plane_of(name);
                    tx.execute(
                        "insert into live_specs (id, catalog_name, spec_type, spec, md5, last_pub_id, last_build_id, \
                         data_plane_id, reads_from, writes_to, created_at, updated_at) \
                         values (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9, ?10, ?10) \
                         on conflict (catalog_name) do update set spec_type = ?3, spec = ?4, md5 = ?5, \
                         last_pub_id = ?6, last_build_id = ?6, data_plane_id = ?7, reads_from = ?8, \
                         writes_to = ?9, updated_at = ?10",
                        params![live_id, name, spec_type.singular(), text, spec_text_md5(text), pub_id.to_string(), plane, reads, writes, now],
                    )?;
                    log(tx, &state.clock, token, "publish", &format!("{} {name}: published", spec_type.singular()))?;
                }
                None => {
                    tx.execute(
                        "update live_specs set spec_type = null, spec = null, md5 = null, last_pub_id = ?2, \
                         last_build_id = ?2, reads_from = '[]', writes_to = '[]', updated_at = ?3 where catalog_name = ?1",
                        params![name, pub_id.to_string(), now],
                    )?;
                    log(tx, &state.clock, token, "publish", &format!("{name}: deleted"))?;
                }
            }
            tx.execute(
                "insert into publication_specs (live_spec_id, pub_id, catalog_name, spec_type, spec, detail, user_id, published_at) \
                 values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    live_id,
                    pub_id.to_string(),
                    name,
                    drafted.spec.as_ref().map(|(t, _)| t.singular()),
                    drafted.spec.as_ref().map(|(_, s)| s.as_str()),
                    job.detail,
                    job.user,
                    now
                ],
            )?;
        }
        tx.execute(
            "update publications set pub_id = ?2 where id = ?1",
            params![job.id.to_string(), pub_id.to_string()],
        )?;
        log(tx, &state.clock, token, "publish", &format!("publication {:#} applied as {pub_id:#}", job.id))?;
        log(tx, &state.clock, token, "build", &format!("publication {:#} finished: success", job.id))?;
        finish(tx, job, &json!({"type": "success"}), None)?;
        tx.execute("delete from drafts where id = ?1", params![job.draft.to_string()])?;
        Ok(Some(pub_id))
    })?;
    if applied.is_none() {
        let failures = store.transaction(|tx| Ok(mismatches(&draft, &read_live(tx)?)))?;
        return end(
            json!({"type": "expectPubIdMismatch", "failures": failures}),
            Some(&[]),
        );
    }
    Ok(())
}
