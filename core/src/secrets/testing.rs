//! Test helpers: the shared fixture folder.

use std::path::{Path, PathBuf};

/// The project's `shared/` folder: `FLOWSPEC_SHARED` if set, else the first ancestor of
/// the crate's directory that has `shared/fixtures/sops` (so the tests run the same from
/// a scratch crate, from `core/`, and from a CI clone with `shared/` beside it).
pub(crate) fn shared_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("FLOWSPEC_SHARED") {
        return PathBuf::from(dir);
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for ancestor in manifest.ancestors() {
        let candidate = ancestor.join("shared");
        if candidate.join("fixtures").join("sops").is_dir() {
            return candidate;
        }
    }
    panic!(
        "cannot find shared/fixtures/sops above {}; set FLOWSPEC_SHARED to the shared folder",
        manifest.display()
    );
}

/// `shared/fixtures/sops`.
pub(crate) fn fixtures() -> PathBuf {
    shared_dir().join("fixtures").join("sops")
}
