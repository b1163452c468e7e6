//! Build + validate + write, and load + validate, of a catalog of 10,000
//! collections with a capture and a materialization of 10,000 bindings each.
//! Baselines in the same run: serde_json serializing and parsing the same
//! catalog as a plain JSON document (`serde_json::Value`), which does not
//! depend on how flowspec holds a catalog.
//!
//! `cargo bench -p flowspec --bench catalog`

use criterion::{criterion_group, criterion_main, Criterion};
use flowspec::write::Layout;

#[path = "fixture.rs"]
mod fixture;

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("flow.yaml");
    let catalog = fixture::build(fixture::N);
    let document = serde_json::to_value(&catalog).expect("serializes");
    let json = serde_json::to_string(&document).expect("serializes");
    catalog.write(&target, Layout::Flat).expect("writes");
    let source = target.display().to_string();

    let mut group = c.benchmark_group("catalog-10k");
    group.sample_size(10);
    group.bench_function("baseline: serde_json serialize", |b| {
        b.iter(|| serde_json::to_string(&document).expect("serializes"))
    });
    group.bench_function("build + validate + write", |b| {
        b.iter(|| {
            let catalog = fixture::build(fixture::N);
            catalog.validate().expect("valid");
            catalog.write(&target, Layout::Flat).expect("writes")
        })
    });
    // Not a baseline: the part of "build" that is the fixture's own input,
    // 10,000 schemas made with `json!` (and dropped), for reading the ratio.
    group.bench_function("reference: the fixture's json! schemas alone", |b| {
        b.iter(|| (0..fixture::N).for_each(|i| drop(std::hint::black_box(fixture::schema(i)))))
    });
    group.bench_function("baseline: serde_json parse", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(&json).expect("parses"))
    });
    group.bench_function("load + validate", |b| {
        b.iter(|| {
            let catalog = flowspec::Catalog::load(&source).expect("loads");
            catalog.validate().expect("valid")
        })
    });
    group.finish();
}

criterion_group!(catalog, benches);
criterion_main!(catalog);
