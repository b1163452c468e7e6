//! Peak heap memory of build + validate + write and of load + validate, for
//! the 10,000-collection catalog, as a multiple of the catalog's JSON size.
//!
//! `cargo bench -p flowspec --bench catalog_memory`

use std::alloc::{GlobalAlloc, Layout as AllocLayout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use flowspec::write::Layout;

#[path = "fixture.rs"]
mod fixture;

struct Peak;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Peak {
    unsafe fn alloc(&self, layout: AllocLayout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: AllocLayout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    /// The system's own realloc, counted as the change in size: it grows
    /// large blocks in place (glibc remaps them) rather than holding the
    /// old and the new block at once, as the default alloc-copy-free would.
    unsafe fn realloc(&self, ptr: *mut u8, layout: AllocLayout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let grown = new_size - layout.size();
                let now = CURRENT.fetch_add(grown, Ordering::Relaxed) + grown;
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Peak = Peak;

/// Runs `f` and returns the peak heap growth above the current usage.
fn peak_of(f: impl FnOnce()) -> usize {
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    f();
    PEAK.load(Ordering::Relaxed) - base
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("flow.yaml");
    let json_size = serde_json::to_string(&fixture::build(fixture::N))
        .expect("serializes")
        .len();

    let mut phases = Vec::new();
    let build = peak_of(|| {
        let base = CURRENT.load(Ordering::Relaxed);
        let catalog = fixture::build(fixture::N);
        let live = CURRENT.load(Ordering::Relaxed) - base;
        phases.push(("the built catalog, live", live));
        let validate = peak_of(|| {
            catalog.validate().expect("valid");
        });
        phases.push(("validate, above it", validate));
        phases.push((
            "write, above it",
            peak_of(|| {
                catalog.write(&target, Layout::Flat).expect("writes");
            }),
        ));
        PEAK.fetch_max(
            base + live + phases[1].1.max(phases[2].1),
            Ordering::Relaxed,
        );
    });
    let source = target.display().to_string();
    let load = peak_of(|| {
        let catalog = flowspec::Catalog::load(&source).expect("loads");
        catalog.validate().expect("valid");
    });
    let mib = |b: usize| b as f64 / (1024.0 * 1024.0);
    println!("catalog JSON size: {:.1} MiB", mib(json_size));
    println!(
        "peak heap, build + validate + write: {:.1} MiB ({:.2}x the JSON size)",
        mib(build),
        build as f64 / json_size as f64
    );
    for (phase, bytes) in phases {
        println!("  {phase}: {:.1} MiB", mib(bytes));
    }
    println!(
        "peak heap, load + validate: {:.1} MiB ({:.2}x the JSON size)",
        mib(load),
        load as f64 / json_size as f64
    );
}
