//! End-to-end tests: what flowspec encrypts opened by the real `sops`, and what the real
//! `sops` encrypts opened by flowspec (every rule, JSON and YAML, MACs checked by both),
//! round trips, tampering, key discovery, the age CLI, and secrets never leaking into
//! output. (The third-party vectors of `../shared/fixtures/sops` are an extra suite,
//! `core/tests/shared_vectors.rs`; what depends on the process environment is in
//! `core/tests/environment.rs`.)

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use super::testing::{same_numbers, RealSops};
use super::*;
use crate::Format;

/// A document with every kind of value: strings (empty, multi-line, Unicode, characters
/// Go escapes), integers, floats, booleans, nulls, nested maps and lists (empty ones
/// too), and non-ASCII keys. Its integers stay within 2^53 (see
/// `plaintext_json_integers_beyond_2_pow_53_need_sops_3_13_2`).
fn interop_document() -> Value {
    json!({
        "host": "db.example.com",
        "port": 5432,
        "ratio": 0.25,
        "tiny": 1.5e-7,
        "negative": -7,
        "enabled": true,
        "disabled": false,
        "nothing": null,
        "empty": "",
        "multi": "line 1\nline 2\n",
        "unicode": "pässwörd キー 😀 <&>",
        "credentials_sops": {
            "user": "flow",
            "password": "hunter2",
            "pin": 1234,
            "rate": 2.5,
            "on": true,
            "off": null,
            "blank": "",
            "tokens": ["a", "b", {"deep": "c", "token": "t-1"}, [1, 2.5, "three"]],
        },
        "token_plain": "visible",
        "café": {"clé": "valeur", "notes_plain": {"x": 1}},
        "list": [1, "two", {"three": 3.5}, [], {}],
        "empty_map": {},
        "empty_list": [],
    })
}

/// Each rule, as flowspec names it and as sops' flags give it.
fn rules() -> Vec<(EncryptionRule, Vec<&'static str>)> {
    vec![
        (EncryptionRule::default(), vec![]),
        (
            EncryptionRule::EncryptedSuffix("_sops".into()),
            vec!["--encrypted-suffix", "_sops"],
        ),
        (
            EncryptionRule::UnencryptedSuffix("_plain".into()),
            vec!["--unencrypted-suffix", "_plain"],
        ),
        (
            EncryptionRule::EncryptedRegex("^(password|token|clé|list)$".into()),
            vec!["--encrypted-regex", "^(password|token|clé|list)$"],
        ),
        (
            EncryptionRule::UnencryptedRegex("^(host|port|café)$".into()),
            vec!["--unencrypted-regex", "^(host|port|café)$"],
        ),
    ]
}

/// Every combination: rule (with sops' flags), `mac_only_encrypted`, format.
fn combinations() -> Vec<(EncryptionRule, Vec<&'static str>, bool, Format)> {
    let mut out = Vec::new();
    for (rule, flags) in rules() {
        for mac_only in [false, true] {
            for format in [Format::Json, Format::Yaml] {
                let mut flags = flags.clone();
                if mac_only {
                    flags.push("--mac-only-encrypted");
                }
                out.push((rule.clone(), flags, mac_only, format));
            }
        }
    }
    out
}

/// The JSON pointers of the encrypted values of a sops document.
fn encrypted_pointers(document: &Value) -> BTreeSet<String> {
    fn walk(value: &Value, pointer: String, out: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                for (key, value) in map {
                    walk(value, format!("{pointer}/{key}"), out);
                }
            }
            Value::Array(items) => {
                for (index, value) in items.iter().enumerate() {
                    walk(value, format!("{pointer}/{index}"), out);
                }
            }
            Value::String(s) if s.starts_with("ENC[AES256_GCM,") => {
                out.insert(pointer);
            }
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for (key, value) in document.as_object().expect("an object") {
        if key != "sops" {
            walk(value, format!("/{key}"), &mut out);
        }
    }
    out
}

/// The values flowspec encrypts under each rule: which keys each rule selects, checked
/// against what the real sops encrypts below.
fn expected_pointers(rule: &EncryptionRule) -> BTreeSet<String> {
    let credentials = [
        "/credentials_sops/user",
        "/credentials_sops/password",
        "/credentials_sops/pin",
        "/credentials_sops/rate",
        "/credentials_sops/on",
        "/credentials_sops/tokens/0",
        "/credentials_sops/tokens/1",
        "/credentials_sops/tokens/2/deep",
        "/credentials_sops/tokens/2/token",
        "/credentials_sops/tokens/3/0",
        "/credentials_sops/tokens/3/1",
        "/credentials_sops/tokens/3/2",
    ];
    let list = ["/list/0", "/list/1", "/list/2/three"];
    let all: Vec<&str> = [
        "/host",
        "/port",
        "/ratio",
        "/tiny",
        "/negative",
        "/enabled",
        "/disabled",
        "/multi",
        "/unicode",
    ]
    .into_iter()
    .chain(credentials)
    .chain(["/token_plain", "/café/clé", "/café/notes_plain/x"])
    .chain(list)
    .collect();
    let selected: Vec<&str> = match rule {
        EncryptionRule::UnencryptedSuffix(s) if s == "_unencrypted" => all,
        EncryptionRule::EncryptedSuffix(_) => credentials.to_vec(),
        EncryptionRule::UnencryptedSuffix(_) => {
            all.into_iter().filter(|p| !p.contains("_plain")).collect()
        }
        EncryptionRule::EncryptedRegex(_) => [
            "/credentials_sops/password",
            "/credentials_sops/tokens/2/token",
            "/café/clé",
        ]
        .into_iter()
        .chain(list)
        .collect(),
        EncryptionRule::UnencryptedRegex(_) => all
            .into_iter()
            .filter(|p| !["/host", "/port"].contains(p) && !p.starts_with("/café"))
            .collect(),
    };
    selected.into_iter().map(str::to_string).collect()
}

#[test]
fn real_sops_opens_what_flowspec_encrypts_under_every_rule() {
    let sops = RealSops::new();
    let document = interop_document();
    for (rule, _, mac_only, format) in combinations() {
        let label = format!("{rule:?} mac_only={mac_only} {format:?}");
        let options = EncryptOptions::new()
            .recipient(sops.recipient())
            .rule(rule.clone())
            .mac_only_encrypted(mac_only);
        let sealed = encrypt(&document, &options).unwrap();
        assert_eq!(
            encrypted_pointers(&sealed),
            expected_pointers(&rule),
            "{label}"
        );
        let opened = sops
            .open(&sealed, format)
            .unwrap_or_else(|err| panic!("{label}: sops -d: {err}"));
        assert_eq!(same_numbers(&opened), same_numbers(&document), "{label}");
    }
}

#[test]
fn flowspec_opens_what_real_sops_encrypts_under_every_rule() {
    let sops = RealSops::new();
    let document = interop_document();
    for (rule, flags, mac_only, format) in combinations() {
        let label = format!("{flags:?} {format:?}");
        let text = sops.encrypt(&render_document(&document, format), format, &flags);
        let sealed = parse_document(&text, format).unwrap();
        // The same values are encrypted, under the same metadata.
        assert_eq!(
            encrypted_pointers(&sealed),
            expected_pointers(&rule),
            "{label}"
        );
        assert_eq!(sealed["sops"][rule.metadata_key()], rule.value(), "{label}");
        assert_eq!(
            sealed["sops"].get("mac_only_encrypted"),
            mac_only.then_some(&json!(true)),
            "{label}"
        );
        let opened = decrypt(&sealed, &sops.identities(), &DecryptOptions::default())
            .unwrap_or_else(|err| panic!("{label}: {err}"));
        assert_eq!(same_numbers(&opened), same_numbers(&document), "{label}");
    }
}

/// A value of the interop document that `rule` leaves in plaintext, if it leaves one.
fn plaintext_pointer(rule: &EncryptionRule) -> Option<&'static str> {
    let encrypted = expected_pointers(rule);
    ["/host", "/port", "/token_plain", "/café/notes_plain/x"]
        .into_iter()
        .find(|p| !encrypted.contains(*p))
}

/// Tampering with a document flowspec wrote is caught by flowspec and by the real sops
/// alike, with the same cause; tampering with one sops wrote is caught by flowspec.
#[test]
fn tampering_is_caught_by_flowspec_and_real_sops_alike() {
    let sops = RealSops::new();
    let document = interop_document();
    // Checks that flowspec refuses `sealed` with `code`, and, when flowspec wrote it,
    // that sops refuses it too, saying `says`.
    let refused = |sealed: &Value, (writer, format): (&str, Format), (code, says), label: &str| {
        let err = decrypt(sealed, &sops.identities(), &DecryptOptions::default()).expect_err(label);
        assert_eq!(err.code(), code, "{label}: {err}");
        if writer == "flowspec" {
            let err = sops.open(sealed, format).expect_err(label);
            assert!(err.starts_with(says), "{label}: sops says {err:?}");
        }
    };
    // (what, how, (flowspec's error code, the start of sops' message))
    type Case = (&'static str, fn(&mut Value), (&'static str, &'static str));
    let cases: [Case; 3] = [
        (
            // `lastmodified` is the additional data of the MAC.
            "lastmodified changed",
            |d| d["sops"]["lastmodified"] = json!("2001-01-01T00:00:00Z"),
            (
                "sops_mac_mismatch",
                "Cannot decrypt MAC: Could not decrypt with AES_GCM: cipher: message authentication failed",
            ),
        ),
        (
            // A value's key path is its additional data.
            "a value moved",
            |d| d["credentials_sops"]["password"] = d["credentials_sops"]["tokens"][2]["token"].clone(),
            (
                "sops_decrypt_failed",
                "Error decrypting tree: Error walking tree: Could not decrypt value: Could not decrypt with AES_GCM: cipher: message authentication failed",
            ),
        ),
        (
            "an encrypted value replaced by plaintext",
            |d| d["credentials_sops"]["password"] = json!("hunter3"),
            (
                "sops_malformed_value",
                "Error decrypting tree: Error walking tree: Could not decrypt value: Input string hunter3 does not match sops' data format",
            ),
        ),
    ];
    for (rule, flags, mac_only, format) in combinations() {
        let options = EncryptOptions::new()
            .recipient(sops.recipient())
            .rule(rule.clone())
            .mac_only_encrypted(mac_only);
        let by_flowspec = encrypt(&document, &options).unwrap();
        let text = sops.encrypt(&render_document(&document, format), format, &flags);
        let by_sops = parse_document(&text, format).unwrap();
        for (writer, sealed) in [("flowspec", by_flowspec), ("sops", by_sops)] {
            let label = format!("{flags:?} {format:?}, written by {writer}");
            for (what, tamper, refusal) in &cases {
                let mut tampered = sealed.clone();
                tamper(&mut tampered);
                refused(
                    &tampered,
                    (writer, format),
                    *refusal,
                    &format!("{label}: {what}"),
                );
            }

            // A plaintext value is in the MAC, unless only encrypted ones are.
            let Some(pointer) = plaintext_pointer(&rule) else {
                continue;
            };
            let mut edited = sealed.clone();
            *edited.pointer_mut(pointer).unwrap() = json!("edited");
            let label = format!("{label}: {pointer} edited");
            if mac_only {
                let mut expected = document.clone();
                *expected.pointer_mut(pointer).unwrap() = json!("edited");
                let opened = decrypt(&edited, &sops.identities(), &DecryptOptions::default())
                    .unwrap_or_else(|err| panic!("{label}: {err}"));
                assert_eq!(same_numbers(&opened), same_numbers(&expected), "{label}");
                if writer == "flowspec" {
                    let reopened = sops.open(&edited, format).map(|v| same_numbers(&v));
                    assert_eq!(reopened, Ok(same_numbers(&expected)), "{label}");
                }
            } else {
                refused(
                    &edited,
                    (writer, format),
                    ("sops_mac_mismatch", "MAC mismatch. File has "),
                    &label,
                );
            }
        }
    }
}

/// A YAML config as people write it: comments (in mappings and in sequences),
/// Unicode, and the number, string and timestamp spellings YAML allows.
const PEOPLES_YAML: &str = "\
# A connector config.
host: db.example.com # the primary
port: 5432
ratio: 0.5
thousand: 1.0e+3
big: 9223372036854775807
negative: -12
octal: 0o755
hex: 0x1F
quoted_number: \"0755\"
quoted_true: \"true\"
word: yes
date: 2024-01-01
when: 2024-03-05T10:11:12Z
unicode: \"ünïcödé 😀 <&>\"
café_sops:
    # who may read it
    clé: valeur secrète
    list:
        # the first item
        - a
        - 2
        - 3.25
        - true
        - null
        - \"\"
        # after the last one
    block: |
        line 1
        line 2
";

#[test]
fn flowspec_opens_yaml_real_sops_encrypts_comments_and_all() {
    let sops = RealSops::new();
    // What sops itself decrypts it to (as JSON); flowspec must agree.
    let expected = json!({
        "host": "db.example.com",
        "port": 5432,
        "ratio": 0.5,
        "thousand": 1000,
        "big": 9223372036854775807_i64,
        "negative": -12,
        "octal": 493,
        "hex": 31,
        "quoted_number": "0755",
        "quoted_true": "true",
        "word": "yes",
        "date": "2024-01-01T00:00:00Z",
        "when": "2024-03-05T10:11:12Z",
        "unicode": "ünïcödé 😀 <&>",
        "café_sops": {
            "clé": "valeur secrète",
            "list": ["a", 2, 3.25, true, null, ""],
            "block": "line 1\nline 2\n",
        },
    });
    for (rule, flags, mac_only, _) in combinations() {
        let label = format!("{flags:?}");
        let text = sops.encrypt(PEOPLES_YAML, Format::Yaml, &flags);
        if rule == EncryptionRule::default() {
            // Encrypted comments, as YAML comments in mappings and as items in
            // sequences.
            assert_eq!(text.matches("#ENC[AES256_GCM,").count(), 3, "{text}");
            assert_eq!(text.matches("- ENC[AES256_GCM,").count(), 6, "{text}");
        }
        let by_sops = sops.decrypt(&text, Format::Yaml, Format::Json).unwrap();
        assert_eq!(
            parse_document(&by_sops, Format::Json).unwrap(),
            expected,
            "{label}"
        );
        let sealed = parse_document(&text, Format::Yaml).unwrap();
        let opened = decrypt(&sealed, &sops.identities(), &DecryptOptions::default())
            .unwrap_or_else(|err| panic!("{label}: {err}"));
        assert_eq!(opened, expected, "{label}");
        assert_eq!(
            sealed["sops"].get("mac_only_encrypted"),
            mac_only.then_some(&json!(true)),
            "{label}"
        );
    }
}

#[test]
fn strip_suffix_follows_estuary() {
    let sops = RealSops::new();
    let strip = DecryptOptions::new().strip_encrypted_suffix(true);
    // (sops flags, plaintext, decrypted with the suffix stripped)
    let cases = [
        (
            vec!["--encrypted-suffix", "_sops"],
            json!({"name": "bar", "conn": {"list": [42, {"yes": false}, {"who": "bob", "inner_sops_sops": 15}],
                   "nothing": null, "on": true, "s1_sops": 42}, "s2_sops": "final secret!"}),
            json!({"name": "bar", "conn": {"list": [42, {"yes": false}, {"who": "bob", "inner_sops": 15}],
                   "nothing": null, "on": true, "s1": 42}, "s2": "final secret!"}),
        ),
        (
            vec!["--encrypted-suffix", "-sops"],
            json!({"notsops": "bar", "s2-sops": "final secret", "stuff": {"list": [42,
                   {"who": "bob", "inner-sops-sops": "nested secret"}], "nothing": null, "s1-sops": "secret!"}}),
            json!({"notsops": "bar", "s2": "final secret", "stuff": {"list": [42,
                   {"who": "bob", "inner-sops": "nested secret"}], "nothing": null, "s1": "secret!"}}),
        ),
        (
            // Only an encrypted_suffix rule is stripped.
            vec!["--unencrypted-suffix", "_sops"],
            json!({"plain_sops": "visible", "secret": "hidden"}),
            json!({"plain_sops": "visible", "secret": "hidden"}),
        ),
    ];
    for (flags, plain, stripped) in cases {
        let text = sops.encrypt(&render_document(&plain, Format::Json), Format::Json, &flags);
        let sealed = parse_document(&text, Format::Json).unwrap();
        let identities = sops.identities();
        assert_eq!(
            decrypt(&sealed, &identities, &strip).unwrap(),
            stripped,
            "{flags:?}"
        );
        assert_eq!(
            decrypt(&sealed, &identities, &DecryptOptions::default()).unwrap(),
            plain,
            "{flags:?}"
        );
    }
}

/// sops ≤ 3.13.1, the pinned 3.11 among them, reads every JSON number as a float64, so
/// it hashes a plaintext integer above 2^53 rounded, and refuses the MAC of a JSON
/// file written as sops ≥ 3.13.2 writes it (as flowspec does). Encrypted, or in YAML,
/// such an integer is fine; and flowspec opens what sops 3.11 writes.
#[test]
fn plaintext_json_integers_beyond_2_pow_53_need_sops_3_13_2() {
    let sops = RealSops::new();
    let document = json!({"account": 9007199254740993_i64, "token_sops": "t"});
    let options = EncryptOptions::estuary().recipient(sops.recipient());
    let sealed = encrypt(&document, &options).unwrap();
    let err = sops.open(&sealed, Format::Json).unwrap_err();
    assert!(err.starts_with("MAC mismatch. File has "), "{err}");
    assert_eq!(sops.open(&sealed, Format::Yaml), Ok(document.clone()));

    let secret = json!({"account_sops": 9007199254740993_i64});
    let sealed = encrypt(&secret, &options).unwrap();
    assert_eq!(sops.open(&sealed, Format::Json), Ok(secret));

    // sops 3.11 writes the number as the float64 it read.
    let text = sops.encrypt(
        &render_document(&document, Format::Json),
        Format::Json,
        &["--encrypted-suffix", "_sops"],
    );
    let sealed = parse_document(&text, Format::Json).unwrap();
    assert_eq!(sealed["account"], json!(9007199254740992_i64));
    assert_eq!(
        decrypt(&sealed, &sops.identities(), &DecryptOptions::default()).unwrap(),
        json!({"account": 9007199254740992_i64, "token_sops": "t"})
    );
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

/// Files are laid out as sops lays them out (indented by 4 in YAML, by a
/// tab in JSON), though not byte for byte (see `crate::yaml::sops`).
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
    assert_eq!(lines[5], "              -----BEGIN AGE ENCRYPTED FILE-----");
    assert!(yaml.contains(&format!(
        "              -----END AGE ENCRYPTED FILE-----\n          recipient: {}\n    encrypted_suffix: _sops\n    lastmodified: \"{lastmodified}\"\n    mac: ENC[AES256_GCM,data:",
        identity.recipient()
    )));
    assert!(yaml.ends_with("\n    version: \"3.13.3\"\n"));
    assert_eq!(parse_document(&yaml, Format::Yaml).unwrap(), sealed);

    let json_text = render_document(&sealed, Format::Json);
    assert!(
        json_text.starts_with("{\n\t\"host\": \"h\",\n\t\"password_sops\": \"ENC[AES256_GCM,data:")
    );
    assert!(json_text.contains("\n\t\"sops\": {\n\t\t\"age\": [\n\t\t\t{\n\t\t\t\t\"enc\": \"-----BEGIN AGE ENCRYPTED FILE-----\\n"));
    assert!(json_text.ends_with("\t\t\"version\": \"3.13.3\"\n\t}\n}\n"));
    assert_eq!(parse_document(&json_text, Format::Json).unwrap(), sealed);
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

    const DECRYPT_FAILED: &str = "value at `credentials.access_token` could not be decrypted: \
        the value, its key path or its type was modified, or it was encrypted with another data key";
    const OPENS_NOT: &str = "MAC mismatch: sops.mac does not open with the data key: sops.mac \
        or sops.lastmodified was modified";
    let cases: Vec<(SopsError, &str, &str)> = vec![
        (
            // A value moved to another path.
            tamper(&|d| {
                let refresh = d["credentials"]["refresh_token"].clone();
                d["credentials"]["access_token"] = refresh;
            }),
            "sops_decrypt_failed",
            DECRYPT_FAILED,
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
            DECRYPT_FAILED,
        ),
        (
            tamper(&|d| d["region"] = json!("us")),
            "sops_mac_mismatch",
            "MAC mismatch: the values do not match sops.mac: a value was modified, added, removed or reordered",
        ),
        (
            tamper(&|d| {
                d.as_object_mut().unwrap().remove("region");
            }),
            "sops_mac_mismatch",
            "MAC mismatch: the values do not match sops.mac: a value was modified, added, removed or reordered",
        ),
        (
            tamper(&|d| d["sops"]["mac"] = other_mac.clone()),
            "sops_mac_mismatch",
            OPENS_NOT,
        ),
        (
            tamper(&|d| d["sops"]["lastmodified"] = json!("2030-01-01T00:00:00Z")),
            "sops_mac_mismatch",
            OPENS_NOT,
        ),
        (
            tamper(&|d| d["credentials"]["access_token"] = json!("ENC[AES256_GCM,data:abc")),
            "sops_malformed_value",
            "malformed encrypted value at `credentials.access_token`: missing the closing `]`",
        ),
        (
            tamper(&|d| d["credentials"]["access_token"] = json!("tok-123")),
            "sops_malformed_value",
            "malformed encrypted value at `credentials.access_token`: expected an `ENC[AES256_GCM,...]` string",
        ),
        (
            tamper(&|d| d["credentials"]["access_token"] = json!(5)),
            "sops_malformed_value",
            "malformed encrypted value at `credentials.access_token`: expected an encrypted string, found a number",
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
            "malformed encrypted value at `credentials.access_token`: it decrypts to an invalid `int` value: the plaintext is not an integer",
        ),
        (
            tamper(&|d| d["sops"]["encrypted_suffix"] = json!("_sops")),
            "sops_multiple_rules",
            "the sops metadata has more than one encryption rule (encrypted_suffix, unencrypted_regex); sops allows only one per file",
        ),
        (
            tamper(&|d| {
                d.as_object_mut().unwrap().remove("sops");
            }),
            "sops_missing_metadata",
            "the document has no `sops` metadata object: it is not sops-encrypted",
        ),
        (
            tamper(&|d| {
                let age = d["sops"]["age"].clone();
                d["sops"]["key_groups"] = json!([{"age": age}, {"age": age}]);
                d["sops"]["age"] = Value::Null;
            }),
            "sops_key_groups",
            "the file uses 2 key groups (Shamir secret sharing), which flowspec does not support; re-encrypt it with a single group of age recipients",
        ),
        (
            tamper(&|d| d["sops"]["age"] = json!([])),
            "sops_no_age_keys",
            "the sops metadata lists no age recipients",
        ),
    ];
    for (err, code, message) in cases {
        assert_eq!(err.code(), code, "{err}");
        assert_eq!(err.to_string(), message);
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
