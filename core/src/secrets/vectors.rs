//! End-to-end tests: the public vectors in `shared/fixtures/sops`, round trips, tampering,
//! key discovery, the age CLI, and secrets never leaking into output. (What depends on
//! the process environment is in `core/tests/environment.rs`.)

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use super::testing::fixtures;
use super::*;
use crate::Format;

fn read_expected(path: &Path) -> Value {
    let format = Format::from_path(path).expect("expected file has a known extension");
    read_document(path, Some(format)).expect("expected document parses")
}

/// (folder, encrypted file, expected plaintext, top-level keys the expected file has
/// that this vector lacks)
type Vector = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

const VECTORS: &[Vector] = &[
    (
        "estuary-unseal",
        "under-suffix.json",
        "under-suffix.expected.json",
        &[],
    ),
    (
        "estuary-unseal",
        "hyphen-suffix.json",
        "hyphen-suffix.expected.json",
        &[],
    ),
    (
        "estuary-unseal",
        "no-suffix.json",
        "no-suffix.expected.json",
        &[],
    ),
    (
        "rops",
        "age_empty_value.yaml",
        "age_empty_value_plaintext.yaml",
        &[],
    ),
    (
        "rops",
        "age_encrypted_regex.yaml",
        "age_encrypted_regex_plaintext.yaml",
        &[],
    ),
    (
        "rops",
        "age_encrypted_suffix.yaml",
        "age_encrypted_suffix_plaintext.yaml",
        &[],
    ),
    (
        "rops",
        "age_example.yaml",
        "age_example_plaintext.yaml",
        &[],
    ),
    (
        "rops",
        "age_mac_only_encrypted.yaml",
        "age_mac_only_encrypted_plaintext.yaml",
        &[],
    ),
    (
        "rops",
        "age_unencrypted_regex.yaml",
        "age_unencrypted_regex_plaintext.yaml",
        &[],
    ),
    (
        "rops",
        "age_unencrypted_suffix.yaml",
        "age_unencrypted_suffix_plaintext.yaml",
        &[],
    ),
    ("sops-age", "secret.enc.json", "secret.json", &[]),
    // Written by sops 3.8.1 from an older secret.json, before `0word` was added.
    ("sops-age", "secret.enc.yaml", "secret.json", &["0word"]),
    (
        "sops-3.13.3",
        "unicode.enc.yaml",
        "unicode.expected.json",
        &[],
    ),
];

#[test]
fn every_public_vector_decrypts_with_its_mac_verified() {
    for (folder, encrypted, expected, absent) in VECTORS {
        let dir = fixtures().join(folder);
        let identities = Identities::from_file(&dir.join("keys.txt")).unwrap();
        let document = read_document(&dir.join(encrypted), None).unwrap();
        assert!(is_encrypted(&document), "{folder}/{encrypted}");
        let decrypted = decrypt(&document, &identities, &DecryptOptions::default())
            .unwrap_or_else(|err| panic!("{folder}/{encrypted}: {err}"));
        let mut expected = read_expected(&dir.join(expected));
        for key in *absent {
            expected.as_object_mut().unwrap().remove(*key);
        }
        assert_eq!(decrypted, expected, "{folder}/{encrypted}");

        // The MAC really is checked: a changed lastmodified no longer opens sops.mac.
        let mut tampered = document.clone();
        tampered["sops"]["lastmodified"] = json!("2001-01-01T00:00:00Z");
        let err = decrypt(&tampered, &identities, &DecryptOptions::default()).unwrap_err();
        assert_eq!(err.code(), "sops_mac_mismatch", "{folder}/{encrypted}");
    }
}

#[test]
fn the_vector_table_covers_every_fixture_file() {
    let covered: BTreeSet<(String, String)> = VECTORS
        .iter()
        .flat_map(|(folder, enc, exp, _)| {
            [
                (folder.to_string(), enc.to_string()),
                (folder.to_string(), exp.to_string()),
                (folder.to_string(), "keys.txt".to_string()),
            ]
        })
        .collect();
    for folder in std::fs::read_dir(fixtures()).unwrap() {
        let folder = folder.unwrap().path();
        if !folder.is_dir() {
            continue;
        }
        let name = folder.file_name().unwrap().to_string_lossy().to_string();
        for file in std::fs::read_dir(&folder).unwrap() {
            let file = file.unwrap().file_name().to_string_lossy().to_string();
            assert!(
                covered.contains(&(name.clone(), file.clone())),
                "fixture {name}/{file} is not in VECTORS"
            );
        }
    }
}

#[test]
fn a_changed_plaintext_value_in_a_vector_breaks_its_mac() {
    // rops/age_encrypted_regex.yaml has plaintext `b: aaa`, covered by the MAC.
    let dir = fixtures().join("rops");
    let identities = Identities::from_file(&dir.join("keys.txt")).unwrap();
    let mut document = read_document(&dir.join("age_encrypted_regex.yaml"), None).unwrap();
    document["b"] = json!("aab");
    let err = decrypt(&document, &identities, &DecryptOptions::default()).unwrap_err();
    assert_eq!(err.code(), "sops_mac_mismatch");
    assert!(err.to_string().contains("a value was modified"), "{err}");

    // With mac_only_encrypted, plaintext edits are allowed.
    let mut document = read_document(&dir.join("age_mac_only_encrypted.yaml"), None).unwrap();
    document["d_unencrypted"] = json!("edited");
    let decrypted = decrypt(&document, &identities, &DecryptOptions::default()).unwrap();
    assert_eq!(decrypted["d_unencrypted"], "edited");
}

#[test]
fn strip_suffix_follows_estuary() {
    let dir = fixtures().join("estuary-unseal");
    let identities = Identities::from_file(&dir.join("keys.txt")).unwrap();
    let strip = DecryptOptions::new().strip_encrypted_suffix(true);
    let cases = [
        (
            "under-suffix.json",
            json!({"baz":{"array":[42,{"true":false},{"frob":"bob","inner_sops":15}],
                   "nullish":null,"other":true,"s1":42},"foo":"bar","s2":"final secret!"}),
        ),
        (
            "hyphen-suffix.json",
            json!({"notsops":"bar","s2":"final secret","stuff":{"array":[42,
                   {"frob":"bob","inner-sops":"nested secret"}],"nullish":null,"other":true,
                   "s1":"secret!"}}),
        ),
        (
            // encrypted_suffix: _unencrypted (odd, but it is the file's suffix).
            "no-suffix.json",
            json!({"false":null,"foo":{"bar":42,"some_sops":[3,"three"]},"tru":true}),
        ),
    ];
    for (file, expected) in cases {
        let document = read_document(&dir.join(file), None).unwrap();
        assert_eq!(
            decrypt(&document, &identities, &strip).unwrap(),
            expected,
            "{file}"
        );
    }

    // Only files whose rule is encrypted_suffix are stripped.
    let dir = fixtures().join("sops-3.13.3");
    let identities = Identities::from_file(&dir.join("keys.txt")).unwrap();
    let document = read_document(&dir.join("unicode.enc.yaml"), None).unwrap();
    let decrypted = decrypt(&document, &identities, &strip).unwrap();
    assert_eq!(decrypted["café"]["notiz_unencrypted"], "öffentlich");
}

fn sample() -> Value {
    json!({
        "public": {"host": "db.example.com", "port": 5432},
        "secret_sops": {
            "str": "hunter2",
            "unicode": "pässwörd キー 😀 <&>",
            "int": 42,
            "neg": -7,
            "big": 9223372036854775807_i64,
            "float": 2.75,
            "tiny": 1.5e-7,
            "yes": true,
            "no": false,
            "nothing": null,
            "empty": "",
            "multi": "line 1\nline 2\n",
            "nested": [{"token": "a"}, {"token": "b", "list": [1, [2.5, "three"], {}, []]}]
        },
        "token_plain": "visible",
        "empty_obj": {},
    })
}

#[test]
fn round_trips_under_every_rule() {
    let identity = Identity::generate();
    let identities = Identities::from(identity.clone());
    // (rule, [(pointer, encrypted?)])
    let rules: Vec<(EncryptionRule, Vec<(&str, bool)>)> = vec![
        (
            EncryptionRule::estuary(),
            vec![
                ("/public/host", false),
                ("/secret_sops/str", true),
                ("/secret_sops/nested/1/list/1/1", true),
                ("/token_plain", false),
            ],
        ),
        (
            EncryptionRule::default(),
            vec![("/public/host", true), ("/token_plain", true)],
        ),
        (
            EncryptionRule::UnencryptedSuffix("_plain".into()),
            vec![("/public/host", true), ("/token_plain", false)],
        ),
        (
            EncryptionRule::EncryptedRegex("^(str|token)$".into()),
            vec![
                ("/secret_sops/str", true),
                ("/secret_sops/nested/0/token", true),
                ("/secret_sops/int", false),
                ("/public/host", false),
                ("/token_plain", false),
            ],
        ),
        (
            EncryptionRule::UnencryptedRegex("^public$".into()),
            vec![
                ("/public/host", false),
                ("/public/port", false),
                ("/secret_sops/int", true),
                ("/token_plain", true),
            ],
        ),
    ];
    let doc = sample();
    for (rule, expectations) in &rules {
        for mac_only_encrypted in [false, true] {
            let options = EncryptOptions::new()
                .recipient(identity.recipient())
                .rule(rule.clone())
                .mac_only_encrypted(mac_only_encrypted);
            let sealed = encrypt(&doc, &options).unwrap();
            let label = format!("{rule:?} mac_only={mac_only_encrypted}");
            for (pointer, encrypted) in expectations {
                let value = sealed.pointer(pointer).unwrap();
                let is_enc = value
                    .as_str()
                    .is_some_and(|s| s.starts_with("ENC[AES256_GCM,"));
                assert_eq!(is_enc, *encrypted, "{label} {pointer}: {value}");
                if !encrypted {
                    assert_eq!(value, doc.pointer(pointer).unwrap(), "{label} {pointer}");
                }
            }
            // Never encrypted: nulls, empty strings, empty containers.
            if sealed.pointer("/secret_sops/nothing").is_some() {
                assert_eq!(
                    sealed.pointer("/secret_sops/nothing").unwrap(),
                    &Value::Null
                );
                assert_eq!(sealed.pointer("/secret_sops/empty").unwrap(), "");
            }
            assert_eq!(sealed["empty_obj"], json!({}));
            assert_eq!(
                sealed["sops"].get("mac_only_encrypted"),
                mac_only_encrypted.then_some(&json!(true))
            );
            assert_eq!(sealed["sops"][rule.metadata_key()], rule.value());

            for format in [Format::Json, Format::Yaml] {
                let text = render_document(&sealed, format);
                let parsed = parse_document(&text, format).unwrap();
                let opened = decrypt(&parsed, &identities, &DecryptOptions::default())
                    .unwrap_or_else(|err| panic!("{label} {format}: {err}"));
                assert_eq!(opened, doc, "{label} {format}");
            }
        }
    }
}

#[test]
fn numbers_outside_int64_go_through_float64_like_sops() {
    let identity = Identity::generate();
    let options = EncryptOptions::new().recipient(identity.recipient());
    let sealed = encrypt(&json!({"u": 18446744073709551615_u64}), &options).unwrap();
    assert!(sealed["u"].as_str().unwrap().ends_with(",type:float]"));
    let opened = decrypt(
        &sealed,
        &Identities::from(identity),
        &DecryptOptions::default(),
    )
    .unwrap();
    assert_eq!(opened["u"], json!(18446744073709551616.0_f64));
}

#[test]
fn written_files_look_like_sops_output() {
    let identity = Identity::generate();
    let sealed = encrypt(
        &json!({"host": "h", "password_sops": "p"}),
        &EncryptOptions::estuary().recipient(identity.recipient()),
    )
    .unwrap();
    let lastmodified = sealed["sops"]["lastmodified"].as_str().unwrap();

    let yaml = render_document(&sealed, Format::Yaml);
    let lines: Vec<&str> = yaml.lines().collect();
    assert_eq!(lines[0], "host: h");
    assert!(lines[1].starts_with("password_sops: ENC[AES256_GCM,data:"));
    assert_eq!(lines[2], "sops:");
    assert_eq!(lines[3], "    age:");
    assert_eq!(lines[4], "        - enc: |");
    assert_eq!(lines[5], "            -----BEGIN AGE ENCRYPTED FILE-----");
    assert!(yaml.contains(&format!(
        "            -----END AGE ENCRYPTED FILE-----\n          recipient: {}\n    encrypted_suffix: _sops\n    lastmodified: \"{lastmodified}\"\n    mac: ENC[AES256_GCM,data:",
        identity.recipient()
    )));
    assert!(yaml.ends_with("\n    version: 3.13.3\n"));

    let json_text = render_document(&sealed, Format::Json);
    assert!(
        json_text.starts_with("{\n\t\"host\": \"h\",\n\t\"password_sops\": \"ENC[AES256_GCM,data:")
    );
    assert!(json_text.contains("\n\t\"sops\": {\n\t\t\"age\": [\n\t\t\t{\n\t\t\t\t\"enc\": \"-----BEGIN AGE ENCRYPTED FILE-----\\n"));
    assert!(json_text.ends_with("\t\t\"version\": \"3.13.3\"\n\t}\n}\n"));
}

#[test]
fn tampering_is_caught_and_named() {
    let identity = Identity::generate();
    let identities = Identities::from(identity.clone());
    let doc = json!({
        "credentials": {"access_token": "tok-123", "refresh_token": "ref-456"},
        "region": "eu",
    });
    let sealed = encrypt(
        &doc,
        &EncryptOptions::new()
            .recipient(identity.recipient())
            .rule(EncryptionRule::UnencryptedRegex("^region$".into())),
    )
    .unwrap();
    let other_mac = encrypt(&doc, &EncryptOptions::new().recipient(identity.recipient())).unwrap()
        ["sops"]["mac"]
        .clone();
    let tamper = |f: &dyn Fn(&mut Value)| {
        let mut copy = sealed.clone();
        f(&mut copy);
        decrypt(&copy, &identities, &DecryptOptions::default()).unwrap_err()
    };

    let cases: Vec<(SopsError, &str, &str)> = vec![
        (
            // A value moved to another path.
            tamper(&|d| {
                let refresh = d["credentials"]["refresh_token"].clone();
                d["credentials"]["access_token"] = refresh;
            }),
            "sops_decrypt_failed",
            "value at `credentials.access_token` could not be decrypted",
        ),
        (
            // The ciphertext of another value under the right IV and tag.
            tamper(&|d| {
                let data = |s: &str| s.split(",iv:").next().unwrap().to_string();
                let access = d["credentials"]["access_token"]
                    .as_str()
                    .unwrap()
                    .to_string();
                let refresh = d["credentials"]["refresh_token"]
                    .as_str()
                    .unwrap()
                    .to_string();
                d["credentials"]["access_token"] =
                    json!(access.replacen(&data(&access), &data(&refresh), 1));
            }),
            "sops_decrypt_failed",
            "`credentials.access_token`",
        ),
        (
            tamper(&|d| d["region"] = json!("us")),
            "sops_mac_mismatch",
            "a value was modified",
        ),
        (
            tamper(&|d| {
                d.as_object_mut().unwrap().remove("region");
            }),
            "sops_mac_mismatch",
            "a value was modified",
        ),
        (
            tamper(&|d| d["sops"]["mac"] = other_mac.clone()),
            "sops_mac_mismatch",
            "sops.mac does not open",
        ),
        (
            tamper(&|d| d["sops"]["lastmodified"] = json!("2030-01-01T00:00:00Z")),
            "sops_mac_mismatch",
            "sops.lastmodified was modified",
        ),
        (
            tamper(&|d| d["credentials"]["access_token"] = json!("ENC[AES256_GCM,data:abc")),
            "sops_malformed_value",
            "malformed encrypted value at `credentials.access_token`: missing the closing `]`",
        ),
        (
            tamper(&|d| d["credentials"]["access_token"] = json!("tok-123")),
            "sops_malformed_value",
            "at `credentials.access_token`: expected an `ENC[AES256_GCM,...]` string",
        ),
        (
            tamper(&|d| d["credentials"]["access_token"] = json!(5)),
            "sops_malformed_value",
            "expected an encrypted string, found a number",
        ),
        (
            tamper(&|d| {
                let s = d["credentials"]["access_token"]
                    .as_str()
                    .unwrap()
                    .replace("type:str", "type:complex");
                d["credentials"]["access_token"] = json!(s);
            }),
            "sops_unsupported_type",
            "unsupported value type `complex` at `credentials.access_token`",
        ),
        (
            tamper(&|d| {
                let s = d["credentials"]["access_token"]
                    .as_str()
                    .unwrap()
                    .replace("type:str", "type:int");
                d["credentials"]["access_token"] = json!(s);
            }),
            "sops_malformed_value",
            "it decrypts to an invalid `int` value",
        ),
        (
            tamper(&|d| d["sops"]["encrypted_suffix"] = json!("_sops")),
            "sops_multiple_rules",
            "(encrypted_suffix, unencrypted_regex)",
        ),
        (
            tamper(&|d| {
                d.as_object_mut().unwrap().remove("sops");
            }),
            "sops_missing_metadata",
            "no `sops` metadata",
        ),
        (
            tamper(&|d| {
                let age = d["sops"]["age"].clone();
                d["sops"]["key_groups"] = json!([{"age": age}, {"age": age}]);
                d["sops"]["age"] = Value::Null;
            }),
            "sops_key_groups",
            "2 key groups",
        ),
        (
            tamper(&|d| d["sops"]["age"] = json!([])),
            "sops_no_age_keys",
            "lists no age recipients",
        ),
    ];
    for (err, code, message) in cases {
        assert_eq!(err.code(), code, "{err}");
        assert!(
            err.to_string().contains(message),
            "{err:?} lacks {message:?}"
        );
        for secret in ["tok-123", "ref-456"] {
            assert!(!err.to_string().contains(secret) && !format!("{err:?}").contains(secret));
        }
    }
}

#[test]
fn wrong_or_missing_identity() {
    let right = Identity::generate();
    let wrong = Identity::generate();
    let sealed = encrypt(
        &json!({"a": "secret-value"}),
        &EncryptOptions::new().recipient(right.recipient()),
    )
    .unwrap();

    let err = decrypt(
        &sealed,
        &Identities::from(wrong.clone()),
        &DecryptOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "sops_no_matching_identity");
    let message = err.to_string();
    assert_eq!(
        message,
        format!(
            "no age identity matches a recipient of this file (1 identities tried); it is \
             encrypted to: {}",
            right.recipient()
        )
    );
    for text in [message, format!("{err:?}")] {
        assert!(!text.contains(wrong.to_secret_string().as_str()));
        assert!(!text.contains(right.to_secret_string().as_str()));
        assert!(!text.contains("secret-value"));
    }

    let err = decrypt(&sealed, &Identities::new(), &DecryptOptions::default()).unwrap_err();
    assert_eq!(err.code(), "sops_no_identity");

    // Several identities, several recipients: any pair that matches works.
    let third = Identity::generate();
    let sealed = encrypt(
        &json!({"a": "secret-value"}),
        &EncryptOptions::new()
            .recipient(third.recipient())
            .recipient(right.recipient()),
    )
    .unwrap();
    let mut identities = Identities::from(wrong);
    identities.push(right);
    assert_eq!(
        decrypt(&sealed, &identities, &DecryptOptions::default()).unwrap(),
        json!({"a": "secret-value"})
    );
}

/// Writes a key file for `identity` in `dir`.
fn key_file(dir: &Path, name: &str, identity: &Identity) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, identity.to_key_file().as_bytes()).unwrap();
    path
}

#[test]
fn age_cli_opens_every_wrapped_data_key_to_32_bytes() {
    let age_cli = Command::new("age").arg("--version").output();
    assert!(
        matches!(&age_cli, Ok(out) if out.status.success()),
        "the `age` CLI is required for this test and was not found on PATH: install it with \
         `apt-get update && apt-get install -y age` (the CI script installs it)"
    );
    let dir = tempfile::tempdir().unwrap();
    let identities = [Identity::generate(), Identity::generate()];
    let options = EncryptOptions::estuary()
        .recipient(identities[0].recipient())
        .recipient(identities[1].recipient());
    let sealed = encrypt(&json!({"x_sops": "y"}), &options).unwrap();
    let entries = sealed["sops"]["age"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    let mut keys = Vec::new();
    for (entry, identity) in entries.iter().zip(&identities) {
        assert_eq!(entry["recipient"], identity.recipient());
        let keys_path = key_file(dir.path(), &format!("{}.txt", keys.len()), identity);
        let mut child = Command::new("age")
            .arg("-d")
            .arg("-i")
            .arg(&keys_path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        {
            use std::io::Write as _;
            let mut stdin = child.stdin.take().unwrap();
            stdin
                .write_all(entry["enc"].as_str().unwrap().as_bytes())
                .unwrap();
        }
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "age -d failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            out.stdout.len(),
            32,
            "the wrapped data key must be 32 raw bytes"
        );
        keys.push(out.stdout);
    }
    assert_eq!(keys[0], keys[1], "every recipient wraps the same data key");
}

#[test]
fn discovers_identities_from_every_source() {
    let identity = Identity::generate();
    let other = Identity::generate();
    let sealed = encrypt(
        &json!({"a": "b"}),
        &EncryptOptions::new().recipient(identity.recipient()),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let keys = key_file(dir.path(), "keys.txt", &identity);
    let path = |p: &Path| p.display().to_string();
    // An environment holding `vars` and a home without a sops folder.
    let home = dir.path().join("home");
    let env = |vars: &[(&str, String)]| {
        let mut env = vec![("HOME".to_string(), path(&home))];
        env.extend(vars.iter().map(|(k, v)| (k.to_string(), v.clone())));
        env
    };
    let opens = |label: &str, vars: &[(&str, String)]| {
        let found =
            Identities::discover_in(env(vars)).unwrap_or_else(|err| panic!("{label}: {err}"));
        let opened = decrypt(&sealed, &found, &DecryptOptions::default())
            .unwrap_or_else(|err| panic!("{label}: {err}"));
        assert_eq!(opened, json!({"a": "b"}), "{label}");
    };

    // Comments, blank lines, two keys on one line.
    let text = format!(
        "# mine\n\n{} {}\n",
        other.to_secret_string().as_str(),
        identity.to_secret_string().as_str()
    );
    opens("SOPS_AGE_KEY", &[(KEY_ENV, text)]);
    opens("SOPS_AGE_KEY_FILE", &[(KEY_FILE_ENV, path(&keys))]);
    let quoted = shlex::try_quote(keys.to_str().unwrap())
        .unwrap()
        .to_string();
    opens(
        "SOPS_AGE_KEY_CMD",
        &[(KEY_CMD_ENV, format!("cat {quoted}"))],
    );

    // The command sees SOPS_AGE_RECIPIENT and runs without a shell (so `$…` in the
    // command line itself is not expanded; `sh -c` is what expands it here).
    let seen = dir.path().join("seen.txt");
    let command = format!(
        "sh -c 'printf %s \"$SOPS_AGE_RECIPIENT\" > {}; cat {}'",
        seen.display(),
        keys.display()
    );
    opens(
        "SOPS_AGE_KEY_CMD with SOPS_AGE_RECIPIENT",
        &[(KEY_CMD_ENV, command)],
    );
    assert_eq!(
        std::fs::read_to_string(&seen).unwrap(),
        identity.recipient()
    );

    // The default key file: under XDG_CONFIG_HOME, else under ~/.config.
    let config_home = dir.path().join("config");
    let age_dir = config_home.join("sops").join("age");
    std::fs::create_dir_all(&age_dir).unwrap();
    key_file(&age_dir, "keys.txt", &identity);
    opens(
        "<XDG_CONFIG_HOME>/sops/age/keys.txt",
        &[("XDG_CONFIG_HOME", path(&config_home))],
    );
    let age_dir = home.join(".config").join("sops").join("age");
    std::fs::create_dir_all(&age_dir).unwrap();
    key_file(&age_dir, "keys.txt", &identity);
    opens("~/.config/sops/age/keys.txt", &[]);

    // Nothing: the error names the default key file that was looked for.
    let empty = dir.path().join("empty");
    let found = Identities::discover_in(env(&[("XDG_CONFIG_HOME", path(&empty))])).unwrap();
    assert!(found.is_empty());
    let err = decrypt(&sealed, &found, &DecryptOptions::default()).unwrap_err();
    assert_eq!(err.code(), "sops_no_identity");
    assert_eq!(
        err.to_string(),
        format!(
            "no age identity found: set SOPS_AGE_KEY, SOPS_AGE_KEY_FILE or SOPS_AGE_KEY_CMD, \
             or create {}",
            empty.join("sops/age/keys.txt").display()
        )
    );

    let empty_home = [("XDG_CONFIG_HOME", path(&empty))];
    let failing = [&empty_home[..], &[(KEY_CMD_ENV, "false".to_string())]].concat();
    let found = Identities::discover_in(env(&failing)).unwrap();
    let err = decrypt(&sealed, &found, &DecryptOptions::default()).unwrap_err();
    assert_eq!(err.code(), "sops_key_command");
    assert_eq!(
        err.to_string(),
        "SOPS_AGE_KEY_CMD `false` failed: it exited with exit status: 1"
    );

    let missing = dir.path().join("missing.txt");
    let err = Identities::discover_in(env(&[(KEY_FILE_ENV, path(&missing))])).unwrap_err();
    assert_eq!(err.code(), "sops_io");
    assert_eq!(
        err.to_string(),
        format!(
            "cannot read the SOPS_AGE_KEY_FILE `{}`: No such file or directory (os error 2)",
            missing.display()
        )
    );

    let err = Identities::discover_in(env(&[(KEY_ENV, "not-a-key".to_string())])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid age identity in SOPS_AGE_KEY, line 1: expected an AGE-SECRET-KEY-1… secret key"
    );
}

#[test]
fn debug_output_never_shows_secrets() {
    let identity = Identity::generate();
    let secret = identity.to_secret_string();
    let identities = Identities::from(identity.clone());
    let sealed = encrypt(
        &json!({"password": "correct horse battery staple"}),
        &EncryptOptions::new().recipient(identity.recipient()),
    )
    .unwrap();
    let mut broken = sealed.clone();
    broken["password"] = json!("correct horse battery staple");
    let errors = [
        decrypt(&broken, &identities, &DecryptOptions::default()).unwrap_err(),
        decrypt(
            &sealed,
            &Identities::from(Identity::generate()),
            &DecryptOptions::default(),
        )
        .unwrap_err(),
        secret
            .parse::<Identity>()
            .map(|_| ())
            .and_then(|()| Identities::parse(&format!("{}x", secret.as_str())).map(|_| ()))
            .unwrap_err(),
    ];
    let mut shown = vec![
        format!("{identity:?}"),
        format!("{identities:?}"),
        format!("{identities:#?}"),
        format!(
            "{:?}",
            EncryptOptions::new().recipient(identity.recipient())
        ),
    ];
    for err in &errors {
        shown.push(err.to_string());
        shown.push(format!("{err:?}"));
    }
    for text in &shown {
        assert!(!text.contains(secret.as_str()), "{text}");
        assert!(!text.contains("AGE-SECRET-KEY"), "{text}");
        assert!(!text.contains("correct horse"), "{text}");
    }
    assert_eq!(shown[0], format!("Identity({})", identity.recipient()));
}
