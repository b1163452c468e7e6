//! sops files on disk: JSON or YAML, told apart by extension or named explicitly.

use std::io::Write as _;
use std::path::Path;

use serde_json::Value;

use crate::Format;

use super::{decrypt, encrypt, json, DecryptOptions, EncryptOptions, Identities, SopsError};
use crate::yaml::sops as yaml;

impl Format {
    /// The given format, else the one the path implies, else an error
    /// naming the path (a sops document's format).
    ///
    /// ```
    /// use flowspec::Format;
    /// let path = "secrets.enc".as_ref();
    /// assert_eq!(Format::resolve(path, Some(Format::Json)).unwrap(), Format::Json);
    /// assert_eq!(Format::resolve(path, None).unwrap_err().code(), "sops_unknown_format");
    /// ```
    pub fn resolve(path: &Path, explicit: Option<Format>) -> Result<Self, SopsError> {
        explicit
            .or_else(|| Self::from_path(path))
            .ok_or_else(|| SopsError::UnknownFormat {
                path: path.to_path_buf(),
            })
    }
}

impl From<crate::UnknownFormat> for SopsError {
    fn from(err: crate::UnknownFormat) -> Self {
        SopsError::UnsupportedFormat { name: err.0 }
    }
}

/// Whether a document is already sops-encrypted: it is an object with a top-level `sops`
/// object. Catalog code passes such configs through untouched, as flowctl does.
///
/// ```
/// use flowspec::secrets::is_encrypted;
/// use serde_json::json;
///
/// assert!(is_encrypted(&json!({"a": "ENC[...]", "sops": {"mac": "ENC[...]"}})));
/// assert!(!is_encrypted(&json!({"a": "plain"})));
/// assert!(!is_encrypted(&json!({"sops": "just a string"})));
/// ```
pub fn is_encrypted(document: &Value) -> bool {
    matches!(document.get("sops"), Some(Value::Object(_)))
}

/// Parses the text of a sops file (or a plaintext document) in the given format. Key
/// order is kept; YAML comments are dropped.
///
/// ```
/// use flowspec::{secrets::parse_document, Format};
/// let doc = parse_document("b: 1\na: two\n", Format::Yaml).unwrap();
/// assert_eq!(doc.as_object().unwrap().keys().collect::<Vec<_>>(), ["b", "a"]);
/// ```
pub fn parse_document(text: &str, format: Format) -> Result<Value, SopsError> {
    match format {
        Format::Json => json::parse(text, "the given text"),
        Format::Yaml => yaml::parse(text, "the given text"),
    }
}

/// Renders a document laid out as sops lays out that format: YAML indented
/// by 4, JSON by a tab (see [`Format`]).
///
/// ```
/// use flowspec::{secrets::render_document, Format};
/// use serde_json::json;
///
/// let doc = json!({"url": "a<b", "list": [1, "n"]});
/// assert_eq!(render_document(&doc, Format::Json),
///     "{\n\t\"url\": \"a<b\",\n\t\"list\": [\n\t\t1,\n\t\t\"n\"\n\t]\n}\n");
/// assert_eq!(render_document(&doc, Format::Yaml), "url: a<b\nlist:\n    - 1\n    - \"n\"\n");
/// ```
pub fn render_document(document: &Value, format: Format) -> String {
    match format {
        Format::Json => json::render(document),
        Format::Yaml => yaml::render(document),
    }
}

/// Reads and parses a file; the format comes from `format` or the file's extension.
///
/// ```no_run
/// use flowspec::secrets::{is_encrypted, read_document};
/// let doc = read_document("config.sops.yaml".as_ref(), None).unwrap();
/// assert!(is_encrypted(&doc));
/// ```
pub fn read_document(path: &Path, format: Option<Format>) -> Result<Value, SopsError> {
    let format = Format::resolve(path, format)?;
    let text = std::fs::read_to_string(path).map_err(|err| SopsError::io("read", path, err))?;
    let origin = format!("`{}`", path.display());
    match format {
        Format::Json => json::parse(&text, &origin),
        Format::Yaml => yaml::parse(&text, &origin),
    }
}

/// Writes a document in sops' layout for the format (from `format` or the extension).
/// The file is replaced atomically: the text goes to a temporary file in the same
/// directory, which is then renamed over the target. A replaced file keeps its
/// permissions; a new file gets mode 0644 if the document is encrypted and 0600 if it is
/// not (on Unix). A `path` that is a symlink is written through, as sops does: the file
/// it leads to is replaced, and the link stays.
///
/// ```no_run
/// use flowspec::secrets::{encrypt, write_document, EncryptOptions};
/// use serde_json::json;
///
/// let options = EncryptOptions::estuary().recipient("age1…");
/// let sealed = encrypt(&json!({"password_sops": "x"}), &options).unwrap();
/// write_document("config.sops.json".as_ref(), &sealed, None).unwrap();
/// ```
pub fn write_document(
    path: &Path,
    document: &Value,
    format: Option<Format>,
) -> Result<(), SopsError> {
    let format = Format::resolve(path, format)?;
    let text = render_document(document, format);
    let path = &crate::paths::through_links(path);
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut file =
        tempfile::NamedTempFile::new_in(dir).map_err(|err| SopsError::io("write", path, err))?;
    let permissions = match std::fs::metadata(path) {
        Ok(meta) => Some(meta.permissions()),
        Err(_) => new_file_permissions(is_encrypted(document)),
    };
    if let Some(permissions) = permissions {
        file.as_file()
            .set_permissions(permissions)
            .map_err(|err| SopsError::io("write", path, err))?;
    }
    file.write_all(text.as_bytes())
        .and_then(|()| file.as_file().sync_all())
        .map_err(|err| SopsError::io("write", path, err))?;
    file.persist(path)
        .map_err(|err| SopsError::io("write", path, err.error))?;
    Ok(())
}

/// Encrypted files are as readable as sops makes them; anything else stays private
/// (tempfile creates files with mode 0600).
#[cfg(unix)]
fn new_file_permissions(encrypted: bool) -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    encrypted.then(|| std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions(_encrypted: bool) -> Option<std::fs::Permissions> {
    None
}

/// Reads a JSON or YAML file and encrypts it (see [`encrypt`]) with options
/// already resolved ([`EncryptOptions::resolve`]); returns the encrypted text,
/// and with `in_place` also replaces the file atomically (the temporary file
/// holds only the encrypted text).
///
/// ```
/// use flowspec::secrets::{encrypt_file, EncryptOptions, Identity};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("config.yaml");
/// std::fs::write(&path, "password: hunter2\n").unwrap();
/// let options = EncryptOptions::new().recipient(Identity::generate().recipient());
/// let text = encrypt_file(&path, None, &options, true).unwrap();
/// assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
/// assert!(!text.contains("hunter2"));
/// ```
pub fn encrypt_file(
    path: &Path,
    format: Option<Format>,
    options: &EncryptOptions,
    in_place: bool,
) -> Result<String, SopsError> {
    let document = read_document(path, format)?;
    let encrypted = encrypt(&document, options)?;
    if in_place {
        write_document(path, &encrypted, format)?;
    }
    Ok(render_document(&encrypted, Format::resolve(path, format)?))
}

/// Reads a sops file and decrypts it (see [`decrypt`]).
///
/// ```no_run
/// use flowspec::secrets::{decrypt_file, DecryptOptions, Identities};
/// let identities = Identities::discover().unwrap();
/// let config = decrypt_file("config.sops.yaml".as_ref(), None, &identities,
///     &DecryptOptions::new().strip_encrypted_suffix(true)).unwrap();
/// ```
pub fn decrypt_file(
    path: &Path,
    format: Option<Format>,
    identities: &Identities,
    options: &DecryptOptions,
) -> Result<Value, SopsError> {
    decrypt(&read_document(path, format)?, identities, options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn write_then_read_each_format() {
        let dir = tempfile::tempdir().unwrap();
        let doc = json!({"b": {"x": [1, "two", null]}, "a": "é<>&"});
        for name in ["doc.json", "doc.yaml", "doc.yml"] {
            let path = dir.path().join(name);
            write_document(&path, &doc, None).unwrap();
            assert_eq!(read_document(&path, None).unwrap(), doc, "{name}");
            // Replacing an existing file works too.
            write_document(&path, &doc, None).unwrap();
        }
        let odd = dir.path().join("doc.enc");
        write_document(&odd, &doc, Some(Format::Yaml)).unwrap();
        assert_eq!(read_document(&odd, Some(Format::Yaml)).unwrap(), doc);
        assert_eq!(
            read_document(&odd, None).unwrap_err().code(),
            "sops_unknown_format"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(
                mode(&dir.path().join("doc.json")),
                0o600,
                "plaintext stays private"
            );
            let sealed = dir.path().join("sealed.json");
            write_document(&sealed, &json!({"a": "ENC[...]", "sops": {}}), None).unwrap();
            assert_eq!(mode(&sealed), 0o644);
        }
        assert_eq!(
            read_document(&dir.path().join("missing.json"), None)
                .unwrap_err()
                .code(),
            "sops_io"
        );
    }

    #[test]
    fn format_names() {
        assert_eq!("JSON".parse::<Format>().unwrap(), Format::Json);
        // As a sops error, an unknown name keeps its sops code and wording.
        let err = SopsError::from("toml".parse::<Format>().unwrap_err());
        assert_eq!(err.code(), "sops_unsupported_format");
        assert_eq!(
            err.to_string(),
            "unsupported sops file format `toml`; expected json or yaml"
        );
        assert_eq!(Format::Json.to_string(), "json");
    }
}
