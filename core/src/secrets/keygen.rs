//! Creating identity files, like `age-keygen -o`.

use std::io::Write as _;
use std::path::Path;

use chrono::{Local, SecondsFormat};
use zeroize::Zeroizing;

use super::{Identity, SopsError};

impl Identity {
    /// The identity as `age-keygen` writes it: a `# created:` line (local time, RFC 3339),
    /// a `# public key:` line, and the secret key. Zeroized when dropped.
    ///
    /// ```
    /// use flowspec::secrets::{Identities, Identity};
    ///
    /// let identity = Identity::generate();
    /// let text = identity.to_key_file();
    /// let lines: Vec<&str> = text.lines().collect();
    /// assert!(lines[0].starts_with("# created: "));
    /// assert_eq!(lines[1], format!("# public key: {}", identity.recipient()));
    /// assert!(lines[2].starts_with("AGE-SECRET-KEY-1"));
    /// assert_eq!(Identities::parse(&text).unwrap().recipients(), [identity.recipient()]);
    /// ```
    pub fn to_key_file(&self) -> Zeroizing<String> {
        let created = Local::now().to_rfc3339_opts(SecondsFormat::Secs, true);
        let secret = self.to_secret_string();
        Zeroizing::new(format!(
            "# created: {created}\n# public key: {}\n{}\n",
            self.recipient(),
            secret.as_str()
        ))
    }
}

/// Generates a new X25519 identity, writes it to `path` the way `age-keygen -o` does,
/// and returns its recipient (`age1…`).
///
/// The file is created with mode 0600 and appears atomically (written to a temporary
/// file in the same directory, then renamed). Missing parent directories are created.
/// An existing file is never replaced unless `overwrite` is true.
///
/// ```
/// use flowspec::secrets::{write_identity_file, Identities};
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("sops/age/keys.txt");
/// let recipient = write_identity_file(&path, false).unwrap();
/// assert_eq!(Identities::from_file(&path).unwrap().recipients(), [recipient]);
/// assert_eq!(write_identity_file(&path, false).unwrap_err().code(), "sops_identity_file_exists");
/// ```
pub fn write_identity_file(path: &Path, overwrite: bool) -> Result<String, SopsError> {
    if !overwrite && path.exists() {
        return Err(SopsError::IdentityFileExists {
            path: path.to_path_buf(),
        });
    }
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    create_private_dir(dir).map_err(|err| SopsError::io("create the directory of", path, err))?;

    let identity = Identity::generate();
    let text = identity.to_key_file();
    // tempfile creates the file with mode 0600 on Unix.
    let mut file =
        tempfile::NamedTempFile::new_in(dir).map_err(|err| SopsError::io("write", path, err))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.as_file().sync_all())
        .map_err(|err| SopsError::io("write", path, err))?;
    restrict(file.as_file()).map_err(|err| SopsError::io("set permissions on", path, err))?;
    if overwrite {
        file.persist(path)
            .map_err(|err| SopsError::io("write", path, err.error))?;
    } else {
        file.persist_noclobber(path).map_err(|err| {
            if err.error.kind() == std::io::ErrorKind::AlreadyExists {
                SopsError::IdentityFileExists {
                    path: path.to_path_buf(),
                }
            } else {
                SopsError::io("write", path, err.error)
            }
        })?;
    }
    Ok(identity.recipient().to_string())
}

#[cfg(unix)]
fn restrict(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn restrict(_file: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::Identities;

    #[test]
    fn writes_age_keygen_file_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.txt");
        let first = write_identity_file(&path, false).unwrap();
        assert!(first.starts_with("age1"));
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        let created = lines[0].strip_prefix("# created: ").unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(created).is_ok(),
            "{created}"
        );
        assert_eq!(lines[1], format!("# public key: {first}"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }

        let err = write_identity_file(&path, false).unwrap_err();
        assert_eq!(err.code(), "sops_identity_file_exists");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            text,
            "left untouched"
        );

        let second = write_identity_file(&path, true).unwrap();
        assert_ne!(first, second);
        assert_eq!(Identities::from_file(&path).unwrap().recipients(), [second]);
        // No temporary files are left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
