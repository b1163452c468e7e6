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
//! A file whose content would not change is left alone: not rewritten, its
//! time stamps untouched. For YAML and JSON files, content means the
//! document: a file that parses to the same value (key order included) is
//! kept as it is, with its comments and formatting.
//!
//! A target that is a symlink is written through: the file it leads to is
//! replaced (in its own directory), and the link stays, as sops does.
//!
//! Temporary files are named `.<name>.<pid>.<n>.flowspec-tmp` (and backups
//! `…flowspec-old`). One left behind by a process that was killed is
//! removed by the next write into its directory.
//!
//! Files are not fsync'ed: a crash of the process never leaves a partial
//! file, but a power loss may lose the most recent write.

use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use crate::{Error, Result};

/// What a planned file holds, which says when it is unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Content {
    /// A catalog file (YAML merge keys apply).
    Catalog,
    /// A YAML or JSON document of its own.
    Document,
    /// Text, compared byte for byte.
    Text,
}

/// The result of [`commit`]: every file of the write, and which of them
/// were already as they should be.
#[derive(Debug, Default)]
pub(crate) struct Committed {
    /// Every file, sorted (written or not).
    pub files: Vec<PathBuf>,
    /// The files that already held their content, and were not rewritten.
    pub unchanged: Vec<PathBuf>,
}

/// For each of `files` (as [`commit`] takes them), whether the file is
/// already on disk with these very bytes.
pub(crate) fn on_disk(dir: &Path, files: &[(String, String, Content)]) -> Vec<bool> {
    files
        .iter()
        .map(|(rel, contents, _)| {
            let path = crate::paths::through_links(&dir.join(rel));
            fs::read(path).is_ok_and(|bytes| bytes == contents.as_bytes())
        })
        .collect()
}

/// Writes `files` (paths relative to `dir`, `/`-separated, with what they
/// hold) and returns their paths, sorted. `same` says which are known to be
/// on disk as they are ([`on_disk`]).
pub(crate) fn commit(
    dir: &Path,
    files: &[(String, String, Content)],
    same: &[bool],
) -> Result<Committed> {
    let mut txn = Txn::default();
    match txn.run(dir, files, same) {
        Ok(committed) => {
            txn.finish();
            Ok(committed)
        }
        Err(err) => {
            txn.rollback();
            Err(err)
        }
    }
}

/// Whether the file at `path`, whose bytes differ from `contents`, holds
/// the same document.
fn same_document(path: &Path, contents: &str, content: Content) -> bool {
    if content == Content::Text {
        return false;
    }
    let Ok(existing) = fs::read(path) else {
        return false;
    };
    let url = path.display().to_string();
    let format = crate::load::Format::of(&url);
    let merge = content == Content::Catalog;
    let (Ok(old), Ok(new)) = (
        crate::load::parse(&existing, &url, format, merge),
        crate::load::parse(contents.as_bytes(), &url, format, merge),
    ) else {
        return false;
    };
    // The editor hint of a JSON catalog says nothing of the catalog.
    let strip = |mut v: serde_json::Value| {
        if let (Content::Catalog, Some(map)) = (content, v.as_object_mut()) {
            map.shift_remove("$schema");
        }
        v.to_string()
    };
    strip(old) == strip(new)
}

/// Removes the temporary files and backups that writes by processes no
/// longer running left in `dir`.
fn remove_leftovers(dir: &Path) {
    let Ok(entries) = fs::read_dir(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if let Some(pid) = leftover_pid(name) {
            if pid != std::process::id() && !is_running(pid) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// The process id in the name of a temporary file or backup of ours.
fn leftover_pid(name: &str) -> Option<u32> {
    let rest = name
        .strip_suffix(".flowspec-tmp")
        .or_else(|| name.strip_suffix(".flowspec-old"))?;
    if !name.starts_with('.') {
        return None;
    }
    let mut parts = rest.rsplitn(3, '.');
    let _attempt: u32 = parts.next()?.parse().ok()?;
    parts.next()?.parse().ok()
}

/// Whether a process with this id is running. Where that cannot be told,
/// it is assumed to be, and its files are left alone.
fn is_running(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
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
    Error::write_io(path.display().to_string(), what, err)
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
    fn run(
        &mut self,
        dir: &Path,
        files: &[(String, String, Content)],
        same: &[bool],
    ) -> Result<Committed> {
        let mut targets = Vec::with_capacity(files.len());
        for (rel, _, _) in files {
            let rel_path = Path::new(rel);
            if rel.is_empty()
                || !rel_path
                    .components()
                    .all(|c| matches!(c, Component::Normal(_)))
            {
                return Err(Error::write(
                    dir.join(rel_path).display().to_string(),
                    "refusing to write outside of the target's directory".to_string(),
                ));
            }
            targets.push(dir.join(rel_path));
        }
        // A directory in the place of a file would fail its rename: find it
        // before anything is written.
        for target in &targets {
            if let Ok(meta) = fs::symlink_metadata(target) {
                if meta.is_dir() {
                    return Err(Error::write(
                        target.display().to_string(),
                        "a file is to be written here, but it is a directory".to_string(),
                    ));
                }
            }
        }

        // Files that hold what they should already stay as they are; the
        // others are written where their symlinks lead.
        let mut committed = Committed::default();
        let mut changed = Vec::new();
        for (((_, contents, content), target), same) in files.iter().zip(&targets).zip(same) {
            let real = crate::paths::through_links(target);
            if *same || same_document(&real, contents, *content) {
                committed.unchanged.push(target.clone());
            } else {
                changed.push((real, contents));
            }
        }

        // Leftovers of killed writes go from every directory written to,
        // whether or not its files change now.
        let mut all: Vec<PathBuf> = targets
            .iter()
            .filter_map(|t| {
                crate::paths::through_links(t)
                    .parent()
                    .map(Path::to_path_buf)
            })
            .collect();
        all.sort();
        all.dedup();
        for d in &all {
            remove_leftovers(d);
        }
        // Directories, parents before children.
        let mut dirs: Vec<&Path> = changed.iter().filter_map(|(t, _)| t.parent()).collect();
        dirs.sort();
        dirs.dedup();
        for d in &dirs {
            self.create_dirs(d)?;
        }

        let mut pending = Vec::with_capacity(changed.len());
        for (target, contents) in &changed {
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
        committed.unchanged.sort();
        committed.files = targets;
        Ok(committed)
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
                Error::write(
                    dir.display().to_string(),
                    "a directory is needed here, but it is a file".to_string(),
                )
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
