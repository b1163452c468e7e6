//! Writing files: all or nothing, no temporary files left, permissions kept.

use std::path::Path;

use serde_json::json;

use super::catalog;
use crate::write::files::{commit, Content, FAIL_RENAME};
use crate::write::{write, Layout};
use crate::Catalog;

/// Every entry under `dir` (files and directories), relative, sorted.
fn entries(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            out.push(
                path.strip_prefix(root)
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_string(),
            );
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

fn nested_catalog() -> Catalog {
    catalog(json!({
        "collections": {
            "acmeCo/anvils/products": {"schema": {"type": "object"}, "key": ["/id"]},
            "acmeCo/zeta/x": {"schema": {"type": "object"}, "key": ["/id"]},
        }
    }))
}

#[test]
fn a_needed_directory_that_is_a_file_fails_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // `acmeCo/zeta` must become a directory, but is a file.
    std::fs::create_dir(dir.path().join("acmeCo")).unwrap();
    std::fs::write(dir.path().join("acmeCo/zeta"), "mine").unwrap();
    std::fs::write(dir.path().join("flow.yaml"), "old").unwrap();
    let before = entries(dir.path());

    let err = write(
        &nested_catalog(),
        &dir.path().join("flow.yaml"),
        Layout::Canonical,
    )
    .unwrap_err();
    assert_eq!(err.code(), "write");
    assert!(err.to_string().contains("acmeCo/zeta"), "{err}");
    assert!(err.to_string().contains("it is a file"), "{err}");

    // Nothing new: no temporary file, no `acmeCo/anvils/` directory, the
    // old files untouched.
    assert_eq!(entries(dir.path()), before);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("flow.yaml")).unwrap(),
        "old"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("acmeCo/zeta")).unwrap(),
        "mine"
    );
}

#[test]
fn a_target_that_cannot_be_replaced_fails_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // The target's name is taken by a non-empty directory: every other file
    // gets written to a temporary file, and then the renames fail.
    std::fs::create_dir_all(dir.path().join("flow.yaml/inside")).unwrap();
    let err = write(
        &nested_catalog(),
        &dir.path().join("flow.yaml"),
        Layout::Canonical,
    )
    .unwrap_err();
    assert_eq!(err.code(), "write");
    assert_eq!(entries(dir.path()), ["flow.yaml", "flow.yaml/inside"]);
}

#[test]
fn a_failed_rename_undoes_the_renames_before_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("flow.yaml"), "old root").unwrap();
    std::fs::create_dir(dir.path().join("acmeCo")).unwrap();
    std::fs::write(dir.path().join("acmeCo/flow.yaml"), "old acmeCo").unwrap();
    let before = entries(dir.path());

    // The root is renamed last, after the nested files.
    let target = dir.path().join("flow.yaml");
    FAIL_RENAME.with(|f| *f.borrow_mut() = Some(target.clone()));
    let err = write(&nested_catalog(), &target, Layout::Canonical).unwrap_err();
    FAIL_RENAME.with(|f| *f.borrow_mut() = None);
    assert!(err.to_string().contains("injected failure"), "{err}");

    assert_eq!(entries(dir.path()), before);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "old root");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("acmeCo/flow.yaml")).unwrap(),
        "old acmeCo"
    );

    // Without the failure, the same write goes through and leaves no backup.
    write(&nested_catalog(), &target, Layout::Canonical).unwrap();
    assert_eq!(
        entries(dir.path()),
        [
            "acmeCo",
            "acmeCo/anvils",
            "acmeCo/anvils/flow.yaml",
            "acmeCo/flow.yaml",
            "acmeCo/zeta",
            "acmeCo/zeta/flow.yaml",
            "flow.yaml"
        ]
    );
}

#[test]
fn a_read_only_directory_fails_and_leaves_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::write(ro.join("probe"), "").is_ok() {
        // Running as root: permissions are not enforced.
        eprintln!("skipped: read-only directories are writable here");
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
        return;
    }
    let err = write(&nested_catalog(), &ro.join("flow.yaml"), Layout::Canonical).unwrap_err();
    assert_eq!(err.code(), "write");
    assert!(entries(&ro).is_empty());
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn missing_directories_are_created_and_removed_on_failure() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("a/b/flow.yaml");
    let written = write(&nested_catalog(), &target, Layout::Canonical).unwrap();
    assert_eq!(written.files.len(), 4);
    assert!(target.is_file());

    // A failure after creating directories removes them again.
    let dir = tempfile::tempdir().unwrap();
    let files = vec![
        (
            "new/dir/one.yaml".to_string(),
            "1".to_string(),
            Content::Text,
        ),
        ("taken".to_string(), "2".to_string(), Content::Text),
    ];
    std::fs::create_dir_all(dir.path().join("taken/full")).unwrap();
    assert!(commit(dir.path(), &files, &[false; 2]).is_err());
    assert_eq!(entries(dir.path()), ["taken", "taken/full"]);
}

#[test]
fn paths_outside_the_directory_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("inner");
    std::fs::create_dir(&inner).unwrap();
    for bad in [
        "../escape.yaml",
        "/etc/escape.yaml",
        "a/../../escape.yaml",
        "./x",
        "",
    ] {
        let err = commit(
            &inner,
            &[(bad.to_string(), "x".to_string(), Content::Text)],
            &[false],
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("outside of the target"),
            "{bad}: {err}"
        );
    }
    assert_eq!(entries(dir.path()), ["inner"]);
}

#[test]
fn replacing_keeps_permissions_and_returns_sorted_paths() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("b.yaml"), "old").unwrap();
    std::fs::set_permissions(
        dir.path().join("b.yaml"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    let files = vec![
        ("b.yaml".to_string(), "new b".to_string(), Content::Text),
        ("a/c.yaml".to_string(), "c".to_string(), Content::Text),
        ("a.yaml".to_string(), "a".to_string(), Content::Text),
    ];
    let written = commit(dir.path(), &files, &[false; 3]).unwrap().files;
    // Sorted as paths: by components.
    let want: Vec<_> = ["a/c.yaml", "a.yaml", "b.yaml"]
        .iter()
        .map(|f| dir.path().join(f))
        .collect();
    assert_eq!(written, want);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("b.yaml")).unwrap(),
        "new b"
    );
    let mode = std::fs::metadata(dir.path().join("b.yaml"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(entries(dir.path()), ["a", "a.yaml", "a/c.yaml", "b.yaml"]);
}

#[test]
fn written_paths_are_under_the_target_directory() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("flow.json");
    let catalog = nested_catalog();
    let written = write(&catalog, &target, Layout::Canonical).unwrap();
    assert!(written.files.iter().all(|p| p.starts_with(dir.path())));
    assert!(written
        .files
        .contains(&dir.path().join("acmeCo/anvils/flow.json")));
}
