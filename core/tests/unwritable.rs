//! Writing where a file cannot be created, for every user: the write fails
//! and leaves nothing behind.
//!
//! Permission bits cannot make a directory unwritable for root (and CI runs
//! as root), so these tests write into sysfs (`/sys`), where creating a file
//! is refused to root too.

use std::path::Path;

use serde_json::json;

use flowspec::write::{write, Layout};
use flowspec::Catalog;

/// A directory in which nobody, root included, can create a file.
const UNWRITABLE: &str = "/sys";

/// Every entry under `dir` (files, directories and links), relative, sorted.
fn entries(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            out.push(path.strip_prefix(root).unwrap().display().to_string());
            if path.is_dir() && !path.is_symlink() {
                walk(root, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Two collections under two prefixes: the split layout writes a file in
/// the target's directory and one in each of `acmeCo/anvils` and
/// `acmeCo/zeta`.
fn nested_catalog() -> Catalog {
    serde_json::from_value(json!({
        "collections": {
            "acmeCo/anvils/products": {"schema": {"type": "object"}, "key": ["/id"]},
            "acmeCo/zeta/x": {"schema": {"type": "object"}, "key": ["/id"]},
        }
    }))
    .unwrap()
}

/// Checks that creating a file in [`UNWRITABLE`] fails here, as these tests
/// need.
fn unwritable() -> &'static Path {
    let dir = Path::new(UNWRITABLE);
    let probe = std::fs::write(dir.join("flowspec-probe"), "");
    assert!(
        probe.is_err(),
        "{UNWRITABLE} is writable here; these tests need a directory where no one can create a file"
    );
    dir
}

#[test]
fn an_unwritable_directory_fails_the_write() {
    let dir = unwritable();
    let target = dir.join("flow.yaml");
    let err = write(&nested_catalog(), &target, Layout::Flat).unwrap_err();
    assert_eq!(err.code(), "write");
    assert_eq!(
        err.to_string(),
        "cannot write /sys/flow.yaml: cannot create a temporary file: Permission denied (os \
         error 13)"
    );
    assert!(!target.exists());
}

#[test]
fn an_unwritable_directory_among_others_fails_the_write_and_leaves_nothing() {
    let unwritable = unwritable();
    let dir = tempfile::tempdir().unwrap();
    // `acmeCo/zeta` leads to a directory no one can write in; the target's
    // directory and `acmeCo/anvils` are writable.
    std::fs::create_dir(dir.path().join("acmeCo")).unwrap();
    std::os::unix::fs::symlink(unwritable, dir.path().join("acmeCo/zeta")).unwrap();
    std::fs::write(dir.path().join("flow.yaml"), "old").unwrap();
    let before = entries(dir.path());

    let err = write(
        &nested_catalog(),
        &dir.path().join("flow.yaml"),
        Layout::Canonical,
    )
    .unwrap_err();
    assert_eq!(err.code(), "write");
    assert_eq!(
        err.to_string(),
        format!(
            "cannot write {}: cannot create a temporary file: Permission denied (os error 13)",
            dir.path().join("acmeCo/zeta/flow.yaml").display()
        )
    );

    // Nothing new: no temporary file, no `acmeCo/anvils/` directory, the old
    // file untouched.
    assert_eq!(entries(dir.path()), before);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("flow.yaml")).unwrap(),
        "old"
    );
}
