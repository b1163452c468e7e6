//! Writing a set of files all at once, or none of them.
//!
//! Each file is written to a temporary file in its own directory; only when
//! every one was written are they renamed into place. On a failure the
//! temporary files and the directories this write created are removed, and
//! files already renamed into place are undone: new ones removed, replaced
//! ones restored from a hard link taken just before (where the file system
//! has hard links). A replaced file keeps its permissions (configs may hold
//! secrets).
//!
//! Files are not fsync'ed: a crash of the process never leaves a partial
//! file, but a power loss may lose the most recent write.

use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use crate::{Error, Result};

/// Writes `files` (paths relative to `dir`, `/`-separated) and returns
/// their paths, sorted.
pub(crate) fn commit(dir: &Path, files: &[(String, String)]) -> Result<Vec<PathBuf>> {
    let mut txn = Txn::default();
    match txn.run(dir, files) {
        Ok(written) => {
            txn.finish();
            Ok(written)
        }
        Err(err) => {
            txn.rollback();
            Err(err)
        }
    }
}

#[derive(Default)]
struct Txn {
    /// Directories created, parents first.
    created: Vec<PathBuf>,
    /// Temporary files, in the order they are renamed.
    temps: Vec<PathBuf>,
    /// Files renamed into place: the file, and whether it replaced one
    /// (with a hard link to the replaced content, if one could be made).
    renamed: Vec<(PathBuf, Option<Option<PathBuf>>)>,
}

fn write_error(path: &Path, what: &str, err: std::io::Error) -> Error {
    Error::Write {
        path: path.display().to_string(),
        message: format!("{what}: {err}"),
    }
}

/// A name beside `target` for a temporary file or a backup.
fn sibling_name(target: &Path, attempt: u32, kind: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let pid = std::process::id();
    target.with_file_name(format!(".{name}.{pid}.{attempt}.flowspec-{kind}"))
}

#[cfg(test)]
thread_local! {
    /// A target whose rename fails, to test undoing a partial commit.
    pub(crate) static FAIL_RENAME: std::cell::RefCell<Option<PathBuf>> =
        const { std::cell::RefCell::new(None) };
}

fn rename(from: &Path, to: &Path) -> std::io::Result<()> {
    #[cfg(test)]
    if FAIL_RENAME.with(|f| f.borrow().as_deref() == Some(to)) {
        return Err(std::io::Error::other("injected failure"));
    }
    fs::rename(from, to)
}

impl Txn {
    fn run(&mut self, dir: &Path, files: &[(String, String)]) -> Result<Vec<PathBuf>> {
        let mut targets = Vec::with_capacity(files.len());
        for (rel, _) in files {
            let rel_path = Path::new(rel);
            if rel.is_empty()
                || !rel_path
                    .components()
                    .all(|c| matches!(c, Component::Normal(_)))
            {
                return Err(Error::Write {
                    path: dir.join(rel_path).display().to_string(),
                    message: "refusing to write outside of the target's directory".to_string(),
                });
            }
            targets.push(dir.join(rel_path));
        }
        // A directory in the place of a file would fail its rename: find it
        // before anything is written.
        for target in &targets {
            if let Ok(meta) = fs::symlink_metadata(target) {
                if meta.is_dir() {
                    return Err(Error::Write {
                        path: target.display().to_string(),
                        message: "a file is to be written here, but it is a directory".to_string(),
                    });
                }
            }
        }

        // Directories, parents before children.
        let mut dirs: Vec<&Path> = targets.iter().filter_map(|t| t.parent()).collect();
        dirs.sort();
        dirs.dedup();
        for d in dirs {
            self.create_dirs(d)?;
        }

        let mut pending = Vec::with_capacity(files.len());
        for ((_, contents), target) in files.iter().zip(&targets) {
            let temp = self.write_temp(target, contents.as_bytes())?;
            pending.push((temp, target));
        }
        for (temp, target) in pending {
            let replaced = fs::symlink_metadata(target).is_ok().then(|| {
                let backup = sibling_name(target, 0, "old");
                fs::hard_link(target, &backup).ok().map(|()| backup)
            });
            if let Err(err) = rename(&temp, target) {
                if let Some(Some(backup)) = replaced {
                    let _ = fs::remove_file(backup);
                }
                return Err(write_error(target, "cannot replace", err));
            }
            self.renamed.push((target.clone(), replaced));
        }

        targets.sort();
        Ok(targets)
    }

    /// Creates `dir` and its missing parents, remembering which it created.
    fn create_dirs(&mut self, dir: &Path) -> Result<()> {
        if dir.as_os_str().is_empty() || dir.is_dir() {
            return Ok(());
        }
        if let Some(parent) = dir.parent() {
            self.create_dirs(parent)?;
        }
        match fs::create_dir(dir) {
            Ok(()) => {
                self.created.push(dir.to_path_buf());
                Ok(())
            }
            Err(_) if dir.is_dir() => Ok(()), // Made meanwhile by someone else.
            Err(err) => Err(if dir.exists() {
                Error::Write {
                    path: dir.display().to_string(),
                    message: "a directory is needed here, but it is a file".to_string(),
                }
            } else {
                write_error(dir, "cannot create the directory", err)
            }),
        }
    }

    /// Writes `contents` to a new temporary file beside `target`.
    fn write_temp(&mut self, target: &Path, contents: &[u8]) -> Result<PathBuf> {
        let mut attempt = 0u32;
        let (temp, mut file) = loop {
            let temp = sibling_name(target, attempt, "tmp");
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temp)
            {
                Ok(file) => break (temp, file),
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists && attempt < 1000 => {
                    attempt += 1;
                }
                Err(err) => return Err(write_error(target, "cannot create a temporary file", err)),
            }
        };
        self.temps.push(temp.clone());
        file.write_all(contents)
            .map_err(|err| write_error(target, "cannot write", err))?;
        if let Ok(meta) = fs::metadata(target) {
            if meta.is_file() {
                file.set_permissions(meta.permissions())
                    .map_err(|err| write_error(target, "cannot set permissions", err))?;
            }
        }
        Ok(temp)
    }

    /// Drops the backups of replaced files.
    fn finish(&mut self) {
        for (_, replaced) in self.renamed.drain(..) {
            if let Some(Some(backup)) = replaced {
                let _ = fs::remove_file(backup);
            }
        }
    }

    fn rollback(&mut self) {
        for (target, replaced) in self.renamed.drain(..).rev() {
            match replaced {
                None => {
                    let _ = fs::remove_file(target);
                }
                Some(Some(backup)) => {
                    let _ = fs::rename(backup, target);
                }
                Some(None) => {} // Replaced, and no way back.
            }
        }
        for temp in self.temps.drain(..) {
            let _ = fs::remove_file(temp); // Those renamed are gone already.
        }
        for dir in self.created.drain(..).rev() {
            let _ = fs::remove_dir(dir);
        }
    }
}
