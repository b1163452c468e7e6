//! Test helpers: the shared fixture folder and serialized environment changes.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The project's `shared/` folder: `FLOWSPEC_SHARED` if set, else the first ancestor of
/// the crate's directory that has `shared/fixtures/sops` (so the tests run the same from
/// a scratch crate, from `core/`, and from a CI clone with `shared/` beside it).
pub(crate) fn shared_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("FLOWSPEC_SHARED") {
        return PathBuf::from(dir);
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for ancestor in manifest.ancestors() {
        let candidate = ancestor.join("shared");
        if candidate.join("fixtures").join("sops").is_dir() {
            return candidate;
        }
    }
    panic!(
        "cannot find shared/fixtures/sops above {}; set FLOWSPEC_SHARED to the shared folder",
        manifest.display()
    );
}

/// `shared/fixtures/sops`.
pub(crate) fn fixtures() -> PathBuf {
    shared_dir().join("fixtures").join("sops")
}

/// Every environment variable the secrets module reads.
const VARS: [&str; 8] = [
    "SOPS_AGE_KEY",
    "SOPS_AGE_KEY_FILE",
    "SOPS_AGE_KEY_CMD",
    "SOPS_AGE_RECIPIENTS",
    "SOPS_AGE_RECIPIENT",
    "SOPS_CONFIG",
    "XDG_CONFIG_HOME",
    "APPDATA",
];

static ENV_LOCK: Mutex<()> = Mutex::new(());

/// Holds the environment lock; clears the sops variables on creation (pointing the user
/// config directory at an empty folder) and restores everything on drop.
pub(crate) struct EnvGuard {
    saved: Vec<(&'static str, Option<OsString>)>,
    _config_home: tempfile::TempDir,
    _lock: MutexGuard<'static, ()>,
}

impl EnvGuard {
    pub(crate) fn new() -> Self {
        let lock = ENV_LOCK
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let saved = VARS.iter().map(|v| (*v, std::env::var_os(v))).collect();
        let config_home = tempfile::tempdir().expect("temp dir");
        for var in VARS {
            std::env::remove_var(var);
        }
        std::env::set_var("XDG_CONFIG_HOME", config_home.path());
        EnvGuard {
            saved,
            _config_home: config_home,
            _lock: lock,
        }
    }

    pub(crate) fn set(&self, name: &str, value: impl AsRef<std::ffi::OsStr>) {
        std::env::set_var(name, value);
    }
}

impl Drop for EnvGuard {
    fn drop(&mut self) {
        for (name, value) in &self.saved {
            match value {
                Some(v) => std::env::set_var(name, v),
                None => std::env::remove_var(name),
            }
        }
    }
}
