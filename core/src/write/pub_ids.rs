//! Fresh `expectPubId`s after a publication: each source file whose
//! published specs carry `expectPubId` gets the new publication id in
//! place, so that the next publication of the same files is not refused
//! as stale. Only the ids' text changes: comments, order, quoting and
//! everything else in the files stay as they were, and the files are
//! replaced all at once, or none of them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::files::{commit, Content};
use crate::yaml::read::spans::{scalar_spans, Quote};
use crate::{Catalog, Error, Kind, Result};

/// What [`update_expect_pub_ids`] did.
///
/// ```
/// let updated = flowspec::write::PubIdsUpdated::default();
/// assert!(updated.files.is_empty() && updated.skipped.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PubIdsUpdated {
    /// The files rewritten, sorted.
    pub files: Vec<PathBuf>,
    /// Specs whose `expectPubId` could not be changed in place (written
    /// through an alias or a merge key, or in a file that is not local),
    /// with why.
    pub skipped: Vec<(String, String)>,
}

/// Sets `expectPubId` to `pub_id` in the source files of the specs of
/// `catalog` named in `published` that carry one. Specs made in code, or
/// without `expectPubId`, are left alone.
///
/// ```
/// use flowspec::{write::update_expect_pub_ids, Catalog, Kind};
/// let dir = tempfile::tempdir().unwrap();
/// let file = dir.path().join("flow.yaml");
/// std::fs::write(&file, "collections:\n  acmeCo/a:  # orders\n    schema: {type: object}\n    key: [/id]\n    expectPubId: \"0000000000000001\"\n").unwrap();
/// let catalog = Catalog::load(file.to_str().unwrap())?;
/// let updated = update_expect_pub_ids(&catalog, &[(Kind::Collection, "acmeCo/a".into())], "16db665a7a000001")?;
/// assert_eq!(updated.files, [file.canonicalize().unwrap()]);
/// assert_eq!(
///     std::fs::read_to_string(&file).unwrap(),
///     "collections:\n  acmeCo/a:  # orders\n    schema: {type: object}\n    key: [/id]\n    expectPubId: \"16db665a7a000001\"\n",
/// );
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn update_expect_pub_ids(
    catalog: &Catalog,
    published: &[(Kind, String)],
    pub_id: &str,
) -> Result<PubIdsUpdated> {
    let mut out = PubIdsUpdated::default();
    // Pointers to rewrite, by file.
    let mut by_file: BTreeMap<PathBuf, Vec<(String, String)>> = BTreeMap::new();
    for (kind, name) in published {
        if expect_pub_id(catalog, *kind, name).is_none() {
            continue;
        }
        let Some(scope) = catalog.origins.specs.get(&(*kind, name.clone())) else {
            continue;
        };
        let path = url::Url::parse(&scope.url)
            .ok()
            .filter(|u| u.scheme() == "file")
            .and_then(|u| u.to_file_path().ok());
        match path {
            Some(path) => by_file
                .entry(crate::paths::through_links(&path))
                .or_default()
                .push((name.clone(), format!("{}/expectPubId", scope.pointer))),
            None => out
                .skipped
                .push((name.clone(), format!("{} is not a local file", scope.url))),
        }
    }
    let mut files = Vec::new();
    for (path, specs) in by_file {
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let json = path.extension().is_some_and(|e| e == "json");
        let pointers: Vec<&str> = specs.iter().map(|(_, p)| p.as_str()).collect();
        let spans = scalar_spans(&text, &pointers).map_err(|message| Error::Write {
            path: path.display().to_string(),
            message: format!("cannot find expectPubId in it: {message}"),
            source: None,
        })?;
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        for (name, ptr) in &specs {
            match spans.get(ptr) {
                Some(span) if span.quote != Quote::Block => {
                    let written = match span.quote {
                        Quote::Single => format!("'{pub_id}'"),
                        Quote::Plain if !json && pub_id.bytes().any(|b| !b.is_ascii_digit()) => {
                            pub_id.to_string()
                        }
                        _ => format!("\"{pub_id}\""),
                    };
                    edits.push((span.start, span.end, written));
                }
                _ => out.skipped.push((
                    name.clone(),
                    format!(
                        "its expectPubId in {} is not a scalar written there",
                        path.display()
                    ),
                )),
            }
        }
        if edits.is_empty() {
            continue;
        }
        edits.sort_by_key(|e| std::cmp::Reverse(e.0));
        let mut new = text.clone();
        for (start, end, written) in edits {
            new.replace_range(start..end, &written);
        }
        if new != text {
            files.push((path, new));
        }
    }
    if files.is_empty() {
        return Ok(out);
    }
    // One write of every file, from their common directory.
    let dir = common_dir(files.iter().map(|(p, _)| p.as_path()));
    let planned: Vec<(String, String, Content)> = files
        .iter()
        .map(|(path, text)| {
            let rel = path.strip_prefix(&dir).expect("under the common directory");
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            (rel, text.clone(), Content::Text)
        })
        .collect();
    let same = vec![false; planned.len()];
    commit(&dir, &planned, &same)?;
    out.files = files.into_iter().map(|(p, _)| p).collect();
    Ok(out)
}

/// The `expectPubId` of a spec, if it has one.
fn expect_pub_id<'c>(catalog: &'c Catalog, kind: Kind, name: &str) -> Option<&'c crate::Id> {
    match kind {
        Kind::Capture => catalog.captures.get(name)?.expect_pub_id.as_ref(),
        Kind::Collection => catalog.collections.get(name)?.expect_pub_id.as_ref(),
        Kind::Materialization => catalog.materializations.get(name)?.expect_pub_id.as_ref(),
        Kind::Test => catalog.tests.get(name)?.expect_pub_id.as_ref(),
    }
}

/// The deepest directory holding every one of `paths`.
fn common_dir<'p>(mut paths: impl Iterator<Item = &'p Path>) -> PathBuf {
    let first = paths
        .next()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    paths.fold(first, |dir, path| {
        let mut dir = dir;
        while !path.starts_with(&dir) {
            if !dir.pop() {
                break;
            }
        }
        dir
    })
}
