//! Publishing the many-tables pipeline (N tables: a capture, N collections
//! and a materialization; N + 2 specs) to a local control plane, and
//! pulling it back, measured against a baseline in the same run: the local
//! work every publication starts with (validating the catalog and turning
//! it into draft specs).
//!
//! Reports, as the median of `RUNS` runs each (a fresh control plane per
//! run): wall time of the baseline, of the publication and of the pull;
//! the staging requests (`POST draft_specs`) and all requests, counted on
//! the wire by a proxy; and the CPU time of the control plane's threads.
//!
//! `cargo bench -p flowspec-server --bench publish [-- N [RUNS]]` (default
//! N = 500, RUNS = 5).

use std::time::{Duration, Instant};

use flowspec::client::connection::Connection;
use flowspec::client::draft::draft_specs;
use flowspec::client::live::{pull_specs, Filter, PullOptions};
use flowspec::client::publication::{publish, PublishOptions, Quiet};
use flowspec::client::{GivenToken, Profile, Session};
use flowspec_server::proxy::Proxy;
use flowspec_server::Options;

/// CPU time (user + system) of this process's threads named like the
/// control plane's, from `/proc/self/task/*/stat`.
fn plane_cpu() -> Duration {
    let ticks = 100.0; // USER_HZ on Linux
    let mut total = 0u64;
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Duration::ZERO;
    };
    for task in tasks.flatten() {
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
            continue;
        };
        let Some(close) = stat.rfind(')') else {
            continue;
        };
        let name = &stat[stat.find('(').map_or(0, |i| i + 1)..close];
        if !name.starts_with("flowspec-contro") {
            continue;
        }
        let fields: Vec<&str> = stat[close + 2..].split(' ').collect();
        // After the name: state is field 3; utime and stime are 14 and 15.
        let utime: u64 = fields.get(11).and_then(|f| f.parse().ok()).unwrap_or(0);
        let stime: u64 = fields.get(12).and_then(|f| f.parse().ok()).unwrap_or(0);
        total += utime + stime;
    }
    Duration::from_secs_f64(total as f64 / ticks)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

struct Run {
    baseline: f64,
    publish: f64,
    pull: f64,
    staging: usize,
    requests: usize,
    cpu: f64,
}

fn run(n: usize, client: &tokio::runtime::Runtime) -> Run {
    let catalog = flowspec_examples::many_tables::catalog(n).expect("the catalog builds");

    let start = Instant::now();
    catalog.validate().expect("the catalog is valid");
    let specs = draft_specs(&catalog).expect("draft specs");
    assert_eq!(specs.len(), n + 2);
    let baseline = start.elapsed().as_secs_f64();

    let mut plane = flowspec_server::Background::start(Options::ephemeral()).expect("starts");
    let endpoints = plane.plane().endpoints().clone();
    let token = plane.plane().auth_token().to_base64();
    let dir = tempfile::tempdir().expect("a directory");
    let source = dir.path().join("flow.yaml");
    let result = client.block_on(async {
        let base = endpoints.pg_url.trim_end_matches("/rest/v1").to_string();
        let proxy = Proxy::start(&base, vec![]).await.expect("a proxy");
        let profile = Profile {
            pg_url: Some(format!("{}/rest/v1", proxy.url())),
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
        let cpu_before = plane_cpu();
        let start = Instant::now();
        let published = publish(&connection, &catalog, &source, &options, &mut Quiet)
            .await
            .expect("published");
        let publish_secs = start.elapsed().as_secs_f64();
        let cpu = (plane_cpu() - cpu_before).as_secs_f64();
        assert_eq!(published.specs.len(), n + 2);

        let start = Instant::now();
        let pulled = pull_specs(
            &connection,
            &Filter {
                prefixes: vec!["acmeCo/".into()],
                ..Filter::default()
            },
            &dir.path().join("pulled/flow.yaml"),
            PullOptions::default(),
        )
        .await
        .expect("pulled");
        let pull = start.elapsed().as_secs_f64();
        assert_eq!(pulled.written, n + 2);
        let staging = proxy.count("POST", "/rest/v1/draft_specs");
        let requests = proxy.seen().len();
        proxy.stop().await;
        (publish_secs, pull, staging, requests, cpu)
    });
    plane.stop();
    let (publish, pull, staging, requests, cpu) = result;
    Run {
        baseline,
        publish,
        pull,
        staging,
        requests,
        cpu,
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(500);
    let runs: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    let client = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let results: Vec<Run> = (0..runs).map(|_| run(n, &client)).collect();
    let m = |f: fn(&Run) -> f64| median(results.iter().map(f).collect());
    let specs = n + 2;
    let baseline = m(|r| r.baseline);
    let publish = m(|r| r.publish);
    println!(
        "publish of the many-tables pipeline, N = {n} ({specs} specs), median of {runs} runs:"
    );
    println!("  baseline (validate + draft specs): {:8.3} s", baseline);
    println!(
        "  publish:                           {:8.3} s  ({:.1}x the baseline)",
        publish,
        publish / baseline
    );
    println!(
        "  pull-specs:                        {:8.3} s",
        m(|r| r.pull)
    );
    println!(
        "  control plane CPU during publish:  {:8.3} s",
        m(|r| r.cpu)
    );
    println!(
        "  staging requests (POST draft_specs): {} (all PostgREST requests: {})",
        results[0].staging, results[0].requests
    );
}
