//! `flowspec encrypt`, `decrypt` and `age-keygen`, run as a user would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

/// Runs flowspec with a clean sops environment rooted at `home`.
fn flowspec(home: &Path, env: &[(&str, &Path)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_flowspec"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .current_dir(home);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("flowspec runs")
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

fn shared() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .map(|a| a.join("shared/fixtures/sops"))
        .find(|p| p.is_dir())
        .expect("../shared/fixtures/sops beside the checkout")
}

#[test]
fn keygen_encrypt_decrypt_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let keys = home.join("keys.txt");

    let out = flowspec(home, &[], &["age-keygen", "-o", keys.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let recipient = text(&out.stdout).trim().to_string();
    assert!(recipient.starts_with("age1"), "{recipient}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&keys).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let again = flowspec(home, &[], &["age-keygen", "-o", keys.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("error[sops_identity_file_exists]"),
        "{}",
        text(&again.stderr)
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
    assert!(
        text(&out.stderr).starts_with("error[sops_no_identity]"),
        "{}",
        text(&out.stderr)
    );
    let other = home.join("other.txt");
    flowspec(home, &[], &["age-keygen", "-o", other.to_str().unwrap()]);
    let out = flowspec(
        home,
        &[("SOPS_AGE_KEY_FILE", &other)],
        &["decrypt", file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error[sops_no_matching_identity]"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("hunter2") && !stderr.contains("AGE-SECRET-KEY"),
        "{stderr}"
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
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(
        written.contains("unencrypted_suffix: _unencrypted"),
        "{written}"
    );
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

#[test]
fn third_party_sops_files_decrypt() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = shared().join("sops-age");
    let out = flowspec(
        dir.path(),
        &[("SOPS_AGE_KEY_FILE", &fixtures.join("keys.txt"))],
        &[
            "decrypt",
            fixtures.join("secret.enc.json").to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    let want: Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures.join("secret.json")).unwrap())
            .unwrap();
    assert_eq!(got, want);
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
    assert!(
        text(&out.stderr).contains("cannot be used with"),
        "{}",
        text(&out.stderr)
    );

    std::fs::write(dir.path().join("f.json"), "{}").unwrap();
    let out = flowspec(dir.path(), &[], &["encrypt", "f.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("error[sops_"),
        "{}",
        text(&out.stderr)
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
    let stderr = text(&refused.stderr);
    assert!(
        stderr.contains("#/captures/acmeCo~1source/endpoint/connector/config"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the config holds secrets in plaintext"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2") && refused.stdout.is_empty());

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
    let opened = flowspec(
        home,
        &[("SOPS_AGE_KEY_FILE", &keys)],
        &["decrypt", "config.json"],
    );
    assert!(opened.status.success(), "{}", text(&opened.stderr));
    let opened: Value = serde_json::from_slice(&opened.stdout).unwrap();
    assert_eq!(opened, json!({"user": "flow", "password_sops": "hunter2"}));

    let plain = flowspec(
        home,
        &[],
        &["bundle", "--source", "flow.yaml", "--plaintext-secrets"],
    );
    assert!(text(&plain.stdout).contains("password_sops: hunter2\n"));
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
    assert!(
        text(&out.stderr).contains(
            "error[sops_suffix_collision]: cannot strip the suffix `_sops` at `/password`"
        ),
        "{}",
        text(&out.stderr)
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
