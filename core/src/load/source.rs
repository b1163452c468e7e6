//! Where files are: source arguments and references → URLs, and reading them.

use std::io::Read;

use url::Url;

use super::parse::MAX_FILE_BYTES;
use crate::{codes, Diagnostic, Scope};

/// The scope URL of a catalog read from stdin.
pub(crate) const STDIN_URL: &str = "stdin:///flow.yaml";

/// The file URL of the current directory (with a trailing `/`), which
/// references resolve against when their file has no `file://` URL.
pub(crate) fn cwd_url() -> Result<Url, String> {
    let dir = std::env::current_dir()
        .map_err(|e| format!("cannot resolve relative references: no current directory ({e})"))?;
    Url::from_directory_path(&dir).map_err(|()| {
        format!(
            "cannot resolve relative references: the current directory {} is not absolute",
            dir.display()
        )
    })
}

/// The URL of a `load` source: a `file://` URL, or a path (relative paths
/// are relative to the current directory).
pub(crate) fn source_url(source: &str) -> Result<Url, Diagnostic> {
    let has_scheme = source
        .split_once("://")
        .is_some_and(|(scheme, _)| scheme.len() > 1 && is_scheme(scheme));
    if has_scheme {
        let url = Url::parse(source).map_err(|e| {
            Diagnostic::new(
                source,
                format!("{source} is not a valid URL ({e})"),
                codes::INVALID_REFERENCE,
            )
        })?;
        check_scheme(&url, "load")
            .map_err(|m| Diagnostic::new(source, m, codes::INVALID_REFERENCE))?;
        return Ok(url);
    }
    let path = std::path::Path::new(source);
    let absolute = path
        .canonicalize()
        .or_else(|_| std::path::absolute(path))
        .map_err(|e| {
            Diagnostic::new(
                source,
                format!("cannot resolve the path {source}: {e}"),
                codes::READ_FAILED,
            )
        })?;
    Url::from_file_path(&absolute).map_err(|()| {
        Diagnostic::new(
            source,
            format!("cannot make a file URL of {}", absolute.display()),
            codes::READ_FAILED,
        )
    })
}

/// The URL of the text given to `load_str`: a URL, or else a path.
pub(crate) fn text_url(url: &str) -> Result<Url, Diagnostic> {
    match Url::parse(url) {
        Ok(parsed) if parsed.scheme().len() > 1 => Ok(parsed),
        _ => {
            let path = std::path::Path::new(url);
            let absolute = std::path::absolute(path).map_err(|e| {
                Diagnostic::new(
                    url,
                    format!("cannot resolve the path {url}: {e}"),
                    codes::INVALID_REFERENCE,
                )
            })?;
            Url::from_file_path(&absolute).map_err(|()| {
                Diagnostic::new(
                    url,
                    format!("{url} is neither a URL nor a file path"),
                    codes::INVALID_REFERENCE,
                )
            })
        }
    }
}

fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Checks that `url` is a local file: `http(s)` and other schemes are not
/// loaded. `what` says what was being done, for the message.
pub(crate) fn check_scheme(url: &Url, what: &str) -> Result<(), String> {
    match url.scheme() {
        "file" => Ok(()),
        "http" | "https" => Err(format!(
            "cannot {what} {url}: http and https references are not supported, only local files \
             (download it and refer to the file)"
        )),
        other => Err(format!(
            "cannot {what} {url}: `{other}` URLs are not supported, only local files"
        )),
    }
}

/// Resolves `reference` against `base`, for a reference found at `scope`.
/// `allow_fragment` says whether a `#fragment` may follow.
pub(crate) fn resolve(
    base: &Url,
    reference: &str,
    scope: &Scope,
    what: &str,
    allow_fragment: bool,
) -> Result<Url, Diagnostic> {
    let url = base.join(reference).map_err(|e| {
        scope.diagnostic(
            codes::INVALID_REFERENCE,
            format!("{reference:?} is not a valid relative or absolute URL ({e})"),
        )
    })?;
    check_scheme(&url, what).map_err(|m| scope.diagnostic(codes::INVALID_REFERENCE, m))?;
    if !allow_fragment && url.fragment().is_some() {
        return Err(scope.diagnostic(
            codes::INVALID_REFERENCE,
            format!("cannot {what} {url}: a file reference here cannot have a #fragment"),
        ));
    }
    Ok(url)
}

/// Reads the file at `url` (a `file://` URL without fragment), for a
/// reference at `scope`.
pub(crate) fn read(url: &Url, scope: &Scope) -> Result<Vec<u8>, Diagnostic> {
    read_file(url, scope).map_err(|failure| match failure {
        ReadFailure::Io(e) => {
            scope.diagnostic(codes::READ_FAILED, format!("failed to read {url}: {e}"))
        }
        ReadFailure::Invalid(d) => d,
    })
}

/// Why a file could not be read: the operating system's failure, or a
/// problem of the file (too large, not a local path).
pub(crate) enum ReadFailure {
    /// The operating system's failure.
    Io(std::io::Error),
    /// A problem of the file.
    Invalid(Diagnostic),
}

/// Reads the file at `url`, as [`read`] does, keeping an I/O failure.
pub(crate) fn read_file(url: &Url, scope: &Scope) -> Result<Vec<u8>, ReadFailure> {
    let path = url.to_file_path().map_err(|()| {
        ReadFailure::Invalid(scope.diagnostic(
            codes::READ_FAILED,
            format!("failed to read {url}: it is not a local file path"),
        ))
    })?;
    let file = std::fs::File::open(&path).map_err(ReadFailure::Io)?;
    let len = file.metadata().map_err(ReadFailure::Io)?.len();
    if len > MAX_FILE_BYTES {
        return Err(ReadFailure::Invalid(too_large(url, scope, len)));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadFailure::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadFailure::Invalid(too_large(
            url,
            scope,
            bytes.len() as u64,
        )));
    }
    Ok(bytes)
}

/// Reads a catalog given on stdin (`reader`), up to the size limit.
pub(crate) fn read_stdin(reader: impl Read) -> Result<Vec<u8>, Diagnostic> {
    let url = Url::parse(STDIN_URL).expect("a valid URL");
    read_limited(reader, &url, &Scope::new(STDIN_URL))
}

fn read_limited(reader: impl Read, url: &Url, scope: &Scope) -> Result<Vec<u8>, Diagnostic> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| scope.diagnostic(codes::READ_FAILED, format!("failed to read {url}: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(url, scope, bytes.len() as u64));
    }
    Ok(bytes)
}

fn too_large(url: &Url, scope: &Scope, len: u64) -> Diagnostic {
    scope.diagnostic(
        codes::TOO_LARGE,
        format!(
            "{url} is too large to load ({} MiB; the limit is {} MiB)",
            len / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
}

/// Whether a file at `url` is parsed as a YAML or JSON document when it is
/// the target of a config-like reference: `.yaml`, `.yml` and `.json` are;
/// others (`.sql`, `.ts`, `.py`…) are read as text.
pub(crate) fn is_document(url: &Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    path.ends_with(".yaml") || path.ends_with(".yml") || path.ends_with(".json")
}

/// The directory that file references are expected to stay in.
#[derive(Debug, Clone)]
pub(crate) struct Root {
    /// Its `file://` URL, with a final `/`.
    pub url: Url,
    /// Its path, with symlinks resolved.
    path: std::path::PathBuf,
}

impl Root {
    /// The root at the directory `url` (a `file://` URL), if it exists.
    pub(crate) fn new(url: &Url) -> Option<Root> {
        let dir = url.to_file_path().ok()?;
        let path = crate::paths::real_path(&dir);
        let mut url = url.clone();
        if !url.path().ends_with('/') {
            url.set_path(&format!("{}/", url.path()));
        }
        Some(Root { url, path })
    }

    /// Whether the file at `url` is inside the root, once symlinks are
    /// followed: a link inside the root to a file outside of it is not.
    pub(crate) fn contains(&self, url: &Url) -> bool {
        let Ok(path) = url.to_file_path() else {
            return false;
        };
        crate::paths::real_path(&path).starts_with(&self.path)
    }
}

/// The project root of a catalog file at `url`, as `flowctl generate`
/// finds it: from the file's directory, up through every parent that also
/// holds a `flow.yaml`, `flow.yml` or `flow.json`. `None` for a URL that is
/// not a local file.
pub(crate) fn project_root(url: &Url) -> Option<Url> {
    let file = url.to_file_path().ok()?;
    let mut dir = file.parent()?.to_path_buf();
    while let Some(parent) = dir.parent() {
        let has_catalog = ["flow.yaml", "flow.yml", "flow.json"]
            .iter()
            .any(|name| parent.join(name).is_file());
        if !has_catalog {
            break;
        }
        dir = parent.to_path_buf();
    }
    Url::from_directory_path(&dir).ok()
}
