//! Planning a publication (`catalog diff`) of the many-tables pipeline (N
//! tables: N + 2 specs) against its live copy on a local control plane,
//! measured against a baseline in the same run: the local work every
//! publication starts with (validating the catalog and turning it into
//! draft specs).
//!
//! The catalog is published once; then, `RUNS` times each, it is planned
//! unchanged (every spec `unchanged`) and with a tenth of its collections
//! edited (a title added to each schema). Reports the medians of wall time,
//! and the growth of the process's peak resident memory (VmHWM) over the
//! planning runs, after the publication.
//!
//! `cargo bench -p flowspec-server --bench diff [-- N [RUNS]]` (default
//! N = 9998, 10,000 specs; RUNS = 5).

use std::time::{Duration, Instant};

use flowspec::client::connection::Connection;
use flowspec::client::draft::draft_specs;
use flowspec::client::plan::{plan, Action};
use flowspec::client::publication::{publish, PublishOptions, Quiet};
use flowspec::client::{GivenToken, Profile, Session};
use flowspec_server::Options;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The process's peak resident memory, in KiB.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(9998);
    let runs: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    let specs = n + 2;
    let catalog = flowspec_examples::many_tables::catalog(n).expect("the catalog builds");
    let mut edited = catalog.clone();
    let names: Vec<flowspec::Collection> = edited.collections.keys().cloned().collect();
    let changed = names.len() / 10;
    for name in names.iter().take(changed) {
        let def = edited.collections.get_mut(name).expect("a collection");
        let mut schema: serde_json::Value = serde_json::to_value(&def.schema).expect("a schema");
        schema["title"] = serde_json::json!("edited");
        def.schema = serde_json::from_value(schema).expect("a schema");
    }

    let mut plane = flowspec_server::Background::start(Options::ephemeral()).expect("starts");
    let endpoints = plane.plane().endpoints().clone();
    let token = plane.plane().auth_token().to_base64();
    let dir = tempfile::tempdir().expect("a directory");
    let source = dir.path().join("flow.yaml");
    let client = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let profile = Profile {
        pg_url: Some(endpoints.pg_url.clone()),
        agent_url: Some(endpoints.agent_url.clone()),
        config_encryption_url: Some(endpoints.config_encryption_url.clone()),
        ..Profile::default()
    };
    let session = Session::in_memory(
        "local",
        profile,
        Some(GivenToken::parse(&token, "token").expect("a token")),
    );
    let connection = Connection::new(session).expect("a connection");
    let options = PublishOptions {
        poll_interval: Duration::from_millis(100),
        log_interval: Duration::from_millis(50),
        ..PublishOptions::default()
    };
    client
        .block_on(publish(
            &connection,
            &catalog,
            &source,
            &options,
            &mut Quiet,
        ))
        .expect("published");
    let before = peak_kib();

    let mut baseline = Vec::new();
    let mut unchanged = Vec::new();
    let mut edits = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        catalog.validate().expect("the catalog is valid");
        assert_eq!(draft_specs(&catalog).expect("draft specs").len(), specs);
        baseline.push(start.elapsed().as_secs_f64());

        let start = Instant::now();
        let same = client
            .block_on(plan(&connection, &catalog, &source, None))
            .expect("planned");
        unchanged.push(start.elapsed().as_secs_f64());
        assert!(!same.has_changes());

        let start = Instant::now();
        let diff = client
            .block_on(plan(&connection, &edited, &source, None))
            .expect("planned");
        edits.push(start.elapsed().as_secs_f64());
        let updates = diff
            .specs
            .iter()
            .filter(|s| s.action == Action::Update)
            .count();
        assert_eq!(updates, changed);
    }
    let grown = peak_kib().saturating_sub(before);
    plane.stop();

    let baseline = median(baseline);
    let unchanged = median(unchanged);
    let edits = median(edits);
    println!("plan of the many-tables pipeline against its live copy, N = {n} ({specs} specs), median of {runs} runs:");
    println!("  baseline (validate + draft specs):   {baseline:8.3} s");
    println!(
        "  plan, unchanged:                     {unchanged:8.3} s  ({:.1}x the baseline)",
        unchanged / baseline
    );
    println!(
        "  plan, {changed} collections changed:   {edits:8.3} s  ({:.1}x the baseline)",
        edits / baseline
    );
    println!(
        "  peak resident memory growth while planning: {:.1} MiB",
        grown as f64 / 1024.0
    );
}
