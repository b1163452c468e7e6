//! Local paths: where symlinks lead.

use std::path::{Component, Path, PathBuf};

/// `path` with symlinks resolved as far as it exists, and `.` and `..`
/// resolved lexically beyond that: the file a path names, however it is
/// reached (`/tmp/../etc/nope` is `/etc/nope`).
pub(crate) fn real_path(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if parent != path => real_path(parent).join(name),
        _ => lexical(path),
    }
}

/// Resolves `.` and `..` in `path` lexically, without looking at the file
/// system (a `..` beyond the start of a relative path is kept).
pub(crate) fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() && !path.is_absolute() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` made absolute against the current directory (an empty path is
/// the current directory), with `.` and `..` resolved lexically: symlinks
/// are not followed, as Go's `filepath.Abs` does.
pub(crate) fn absolute(path: &Path) -> std::io::Result<PathBuf> {
    let path = if path.as_os_str().is_empty() {
        std::env::current_dir()?
    } else {
        std::path::absolute(path)?
    };
    Ok(lexical(&path))
}

/// The file that writing to `path` should replace: `path`, or where its
/// symlinks lead (followed one link at a time, so a link to a file that does
/// not exist yet leads to where it will be). Replacing the link itself
/// would leave the file it leads to as it was.
pub(crate) fn through_links(path: &Path) -> PathBuf {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => match std::fs::read_link(&path) {
                Ok(target) if target.is_absolute() => path = target,
                Ok(target) => path = path.parent().unwrap_or(Path::new("")).join(target),
                Err(_) => break,
            },
            _ => break,
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_paths_follow_links_and_resolve_dots() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        std::fs::create_dir(real.join("a")).unwrap();
        std::os::unix::fs::symlink(real.join("a"), real.join("link")).unwrap();
        assert_eq!(real_path(&real.join("link/x.yaml")), real.join("a/x.yaml"));
        assert_eq!(real_path(&real.join("a/../b/./c")), real.join("b/c"));
    }

    #[test]
    fn writes_go_through_links() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("target.yaml"), "x").unwrap();
        std::os::unix::fs::symlink("target.yaml", d.join("one")).unwrap();
        std::os::unix::fs::symlink(d.join("one"), d.join("two")).unwrap();
        assert_eq!(through_links(&d.join("two")), d.join("target.yaml"));
        // A dangling link leads to where its file will be.
        std::os::unix::fs::symlink("later.yaml", d.join("dangling")).unwrap();
        assert_eq!(through_links(&d.join("dangling")), d.join("later.yaml"));
        assert_eq!(through_links(&d.join("plain")), d.join("plain"));
    }
}
