//! The third-party sops vectors of the project's shared folder
//! (`../shared/fixtures/sops`: files written by sops 3.8 to 3.13, by Estuary's
//! tests and by the rops project), decrypted with their MACs checked.
//!
//! The vectors stay outside the repository, so these tests are an extra
//! suite: they are ignored by a plain `cargo test`, which needs nothing beside
//! the checkout (the core's own tests make their vectors with the real sops),
//! and `scripts/test.sh` runs them:
//! `cargo test -p flowspec --test shared_vectors -- --ignored`. Run that way
//! without the shared folder, they fail and say where it is looked for.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use flowspec::secrets::{decrypt, is_encrypted, read_document, DecryptOptions, Identities};
use flowspec::Format;

/// `shared/fixtures/sops`: under `FLOWSPEC_SHARED` if set, else in the first
/// ancestor of the crate's directory that has a `shared/fixtures/sops`
/// (`../shared` beside a checkout).
fn fixtures() -> PathBuf {
    if let Some(dir) = std::env::var_os("FLOWSPEC_SHARED") {
        return PathBuf::from(dir).join("fixtures").join("sops");
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .map(|ancestor| ancestor.join("shared").join("fixtures").join("sops"))
        .find(|candidate| candidate.is_dir())
        .unwrap_or_else(|| {
            panic!(
                "cannot find shared/fixtures/sops above {}: check the project's shared folder \
                 out beside this one, or set FLOWSPEC_SHARED to it",
                manifest.display()
            )
        })
}

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
#[ignore = "reads ../shared/fixtures/sops; scripts/test.sh runs it (--ignored)"]
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
#[ignore = "reads ../shared/fixtures/sops; scripts/test.sh runs it (--ignored)"]
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
#[ignore = "reads ../shared/fixtures/sops; scripts/test.sh runs it (--ignored)"]
fn a_changed_plaintext_value_in_a_vector_breaks_its_mac() {
    // rops/age_encrypted_regex.yaml has plaintext `b: aaa`, covered by the MAC.
    let dir = fixtures().join("rops");
    let identities = Identities::from_file(&dir.join("keys.txt")).unwrap();
    let mut document = read_document(&dir.join("age_encrypted_regex.yaml"), None).unwrap();
    document["b"] = json!("aab");
    let err = decrypt(&document, &identities, &DecryptOptions::default()).unwrap_err();
    assert_eq!(err.code(), "sops_mac_mismatch");
    assert_eq!(
        err.to_string(),
        "MAC mismatch: the values do not match sops.mac: a value was modified, added, removed \
         or reordered"
    );

    // With mac_only_encrypted, plaintext edits are allowed.
    let mut document = read_document(&dir.join("age_mac_only_encrypted.yaml"), None).unwrap();
    document["d_unencrypted"] = json!("edited");
    let decrypted = decrypt(&document, &identities, &DecryptOptions::default()).unwrap();
    assert_eq!(decrypted["d_unencrypted"], "edited");
}

#[test]
#[ignore = "reads ../shared/fixtures/sops; scripts/test.sh runs it (--ignored)"]
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
