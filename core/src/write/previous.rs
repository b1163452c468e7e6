//! The catalog previously written at a target: which of its files the new
//! catalog no longer uses, and removing them on request.
//!
//! Those are the files of the catalog at the target before the write (its
//! catalog files and the files its values were loaded from); and, in the
//! target's split-layout tree (the directories of the catalogs' tenants,
//! like `acmeCo/`, and below them those reached through directories that
//! hold a `flow.yaml`), every catalog file that the written
//! catalog does not import, with its files, and every file named as the
//! split layout names the files of large values (`*.schema.yaml`,
//! `*.config.yaml`, `*.migration.0.sql`, `*.lambda.*`, `*.step.0.yaml`…)
//! that it does not use. So a file of a removed spec is reported on every
//! write, until it is pruned.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use url::Url;

use super::files::Content;
use super::layout::Plan;
use crate::paths::real_path;
use crate::{Catalog, Error, Result};

/// The catalog found at a target before writing, and its files.
pub(crate) struct Previous {
    /// The catalog at the target, as loaded (if it loads).
    pub catalog: Option<Catalog>,
    /// Its files and those of the other catalog files in the tree, symlinks
    /// resolved: catalog files, and the files values were loaded from.
    files: BTreeSet<PathBuf>,
}

impl Previous {
    /// The catalog at `target` before writing there, as loaded.
    pub(crate) fn load(target: &Path) -> Previous {
        let mut files = BTreeSet::new();
        let previous = crate::load::load_previous(target);
        if let Some(previous) = &previous {
            add_files(previous, &mut files);
        }
        Previous {
            catalog: previous,
            files,
        }
    }

    /// What was at the target before writing `plan` there (`on_disk` says
    /// which of its files are there as planned): when every catalog file of
    /// the plan is, the previous catalog is the one written (its files are
    /// the plan's), and nothing needs to be loaded; otherwise the catalog at
    /// `target`, loaded.
    pub(crate) fn before(target: &Path, plan: &Plan, on_disk: &[bool]) -> Previous {
        let unchanged = plan
            .files
            .iter()
            .zip(on_disk)
            .all(|((_, _, content), same)| *same || *content != Content::Catalog);
        if unchanged {
            Previous {
                catalog: None,
                files: BTreeSet::new(),
            }
        } else {
            Previous::load(target)
        }
    }
    /// The files of the previous catalog, and of the target's split-layout
    /// tree, inside the target's directory, that `plan` (of `catalog`)
    /// neither writes nor refers to.
    pub(crate) fn stale(mut self, catalog: &Catalog, plan: &Plan) -> Vec<PathBuf> {
        let dir = real_path(&absolute(&plan.dir));
        let mut used: BTreeSet<PathBuf> = plan
            .files
            .iter()
            .map(|(rel, _, _)| real_path(&dir.join(rel)))
            .collect();
        let mut names = tenants(catalog);
        names.extend(self.catalog.iter().flat_map(tenants));
        let (catalogs, values) = split_layout_files(&plan.dir, &names);
        for found in catalogs {
            let real = real_path(&found);
            if !self.files.contains(&real) && !used.contains(&real) {
                match crate::load::load_previous(&found) {
                    Some(orphan) => add_files(&orphan, &mut self.files),
                    None => drop(self.files.insert(real)),
                }
            }
        }
        self.files.extend(values.iter().map(|path| real_path(path)));
        used.extend(
            plan.referenced
                .iter()
                .filter_map(|url| url.to_file_path().ok())
                .map(|path| real_path(&path)),
        );
        self.files
            .iter()
            .filter(|file| !used.contains(*file) && file.is_file())
            .filter_map(|file| Some(plan.dir.join(file.strip_prefix(&dir).ok()?)))
            .collect()
    }
}

/// Adds the files of `catalog` to `files`.
fn add_files(catalog: &Catalog, files: &mut BTreeSet<PathBuf>) {
    let origins = &catalog.origins;
    let urls = origins
        .base
        .iter()
        .chain(origins.imports.iter().map(|(_, to)| to))
        .chain(origins.specs.values().map(|scope| &scope.url))
        .chain(origins.files.values().map(|file| &file.url));
    files.extend(
        urls.filter_map(|url| Url::parse(url).ok()?.to_file_path().ok())
            .map(|path| real_path(&path)),
    );
}

/// The first parts of the names of a catalog's specs (`acmeCo`).
fn tenants(catalog: &Catalog) -> BTreeSet<String> {
    let first = |name: &str| name.split('/').next().unwrap_or_default().to_string();
    let names = catalog
        .captures
        .keys()
        .map(|n| n.as_str())
        .chain(catalog.collections.keys().map(|n| n.as_str()))
        .chain(catalog.materializations.keys().map(|n| n.as_str()))
        .chain(catalog.tests.keys().map(|n| n.as_str()));
    names
        .map(first)
        .filter(|t| !t.is_empty() && t != "." && t != "..")
        .collect()
}

/// The files of the split-layout tree under `dir`, in the directories of
/// `tenants` (those that hold a catalog file, their subdirectories that
/// hold one, and so on): the catalog files, and the files named as the split
/// layout names the files of large values.
fn split_layout_files(dir: &Path, tenants: &BTreeSet<String>) -> (Vec<PathBuf>, Vec<PathBuf>) {
    const NAMES: [&str; 3] = ["flow.yaml", "flow.yml", "flow.json"];
    let (mut catalogs, mut values) = (Vec::new(), Vec::new());
    let mut queue = Vec::new();
    // A directory of the tree holds a catalog file: its catalog files are
    // added, and it is queued.
    let mut enter = |path: PathBuf, depth: usize, queue: &mut Vec<(PathBuf, usize)>| {
        let before = catalogs.len();
        catalogs.extend(NAMES.iter().map(|n| path.join(n)).filter(|p| p.is_file()));
        if catalogs.len() > before {
            queue.push((path, depth));
        }
    };
    for tenant in tenants {
        enter(dir.join(tenant), 1, &mut queue);
    }
    while let Some((dir, depth)) = queue.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_file() && depth > 0 && is_value_file_name(&entry.file_name()) {
                values.push(path);
                continue;
            }
            if kind.is_dir() && depth < 32 {
                enter(path, depth + 1, &mut queue);
            }
        }
    }
    catalogs.sort();
    values.sort();
    (catalogs, values)
}

/// Whether a file name is one the split layout gives the file of a large
/// value (`products.schema.yaml`, `pg.resource.0.config.json`,
/// `counts.migration.0.sql`, `counts.lambda.fromOrders.sql`,
/// `test.step.1.yaml`). Modules (`*.ts`, `*.py`) are not counted: other
/// files of a module's project look alike.
fn is_value_file_name(name: &std::ffi::OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    let parts: Vec<&str> = stem.split('.').collect();
    let document = matches!(ext, "yaml" | "json");
    let number = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [_, "schema"] | [_, "write" | "read", "schema"] | [_, "config"] => document,
        [_, "resource", i, "config"] => document && number(i),
        [_, "step", i] => document && number(i),
        [_, "migration", i] => ext == "sql" && number(i),
        [_, "lambda", _] | [_, "lambda", _, "shuffle"] => document || ext == "sql",
        _ => false,
    }
}

fn absolute(dir: &Path) -> PathBuf {
    crate::paths::absolute(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// Removes the `stale` files, and the directories under `dir` that this
/// leaves empty.
pub(crate) fn prune(dir: &Path, stale: &[PathBuf]) -> Result<()> {
    let top = real_path(&absolute(dir));
    for file in stale {
        std::fs::remove_file(file).map_err(|err| {
            Error::write(
                file.display().to_string(),
                format!("cannot remove this stale file: {err}"),
            )
        })?;
        let mut parent = file.parent();
        while let Some(p) = parent {
            if real_path(&absolute(p)) == top || std::fs::remove_dir(p).is_err() {
                break;
            }
            parent = p.parent();
        }
    }
    Ok(())
}
