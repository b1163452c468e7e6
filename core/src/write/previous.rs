//! The catalog previously written at a target: which of its files the new
//! catalog no longer uses, and removing them on request.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use url::Url;

use super::layout::Plan;
use crate::load::real_path;
use crate::{Catalog, Error, Result};

/// The catalog found at a target before writing, and its files.
pub(crate) struct Previous {
    /// The catalog as loaded.
    pub catalog: Catalog,
    /// Its files, symlinks resolved: catalog files, and the files its
    /// values were loaded from.
    files: BTreeSet<PathBuf>,
}

impl Previous {
    /// The catalog at `target`, if there is one that loads.
    pub(crate) fn load(target: &Path) -> Option<Previous> {
        let catalog = crate::load::load_previous(target)?;
        let origins = &catalog.origins;
        let urls = origins
            .base
            .iter()
            .chain(origins.imports.iter().map(|(_, to)| to))
            .chain(origins.specs.values().map(|scope| &scope.url))
            .chain(origins.files.values().map(|file| &file.url));
        let files = urls
            .filter_map(|url| Url::parse(url).ok()?.to_file_path().ok())
            .map(|path| real_path(&path))
            .collect();
        Some(Previous { catalog, files })
    }

    /// The files of the previous catalog, inside the target's directory,
    /// that `plan` neither writes nor refers to.
    pub(crate) fn stale(&self, plan: &Plan) -> Vec<PathBuf> {
        let dir = real_path(&absolute(&plan.dir));
        let mut used: BTreeSet<PathBuf> = plan
            .files
            .iter()
            .map(|(rel, _, _)| real_path(&dir.join(rel)))
            .collect();
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

fn absolute(dir: &Path) -> PathBuf {
    if dir.as_os_str().is_empty() {
        std::env::current_dir().unwrap_or_default()
    } else {
        std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf())
    }
}

/// Removes the `stale` files, and the directories under `dir` that this
/// leaves empty.
pub(crate) fn prune(dir: &Path, stale: &[PathBuf]) -> Result<()> {
    let top = real_path(&absolute(dir));
    for file in stale {
        std::fs::remove_file(file).map_err(|err| Error::Write {
            path: file.display().to_string(),
            message: format!("cannot remove this stale file: {err}"),
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
