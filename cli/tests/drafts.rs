//! `flowspec draft …` and `flowspec catalog draft` against `flowspec
//! serve` over loopback HTTP: the selected draft kept in the profile,
//! authored, described, tested, published, developed and deleted.

mod common;

use common::{write_hello_catalog, Setup};

/// `flowspec --profile ci draft <args>`: status, stdout, stderr.
fn draft(setup: &Setup, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["draft"];
    all.extend_from_slice(args);
    setup.exec(&all, "")
}

#[test]
fn a_draft_from_creation_to_publication() {
    let setup = Setup::new();
    write_hello_catalog(setup.home(), "greetings");

    let (code, _, stderr) = draft(&setup, &["describe"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("no draft is selected: run `flowspec draft create`"),
        "{stderr}"
    );

    let (code, stdout, stderr) = draft(&setup, &["create"]);
    assert_eq!(code, 0, "{stderr}");
    let id = stdout.trim().to_string();
    assert_eq!(stderr, format!("Created draft: {id}\n"));
    let (code, stdout, _) = draft(&setup, &["list", "-o", "json"]);
    assert_eq!(code, 0);
    let drafts: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(drafts[0]["id"], id.as_str());
    assert_eq!(drafts[0]["numSpecs"], 0);
    let (_, stdout, _) = draft(&setup, &["list"]);
    assert!(
        stdout
            .lines()
            .nth(2)
            .unwrap()
            .starts_with(&format!("* | {id}")),
        "{stdout}"
    );

    let (code, _, stderr) = draft(&setup, &["author", "--source", "flow.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!("Authored 2 specs into draft {id}")),
        "{stderr}"
    );
    let (code, stdout, _) = draft(&setup, &["describe"]);
    assert_eq!(code, 0);
    let rows: Vec<&str> = stdout.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{stdout}");
    assert!(
        rows[0].starts_with("acmeCo/greetings    | collection | (any)"),
        "{stdout}"
    );
    assert!(
        rows[1].starts_with("acmeCo/source-hello | capture    | (any)"),
        "{stdout}"
    );

    // A test leaves the draft as it was.
    let (code, _, stderr) = draft(&setup, &["test"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("Tests successful"), "{stderr}");
    let (_, stdout, _) = draft(&setup, &["describe"]);
    assert_eq!(stdout.lines().count(), 4, "{stdout}");

    // Publishing clears the selection.
    let (code, _, stderr) = draft(&setup, &["publish"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("Publish successful"), "{stderr}");
    let (code, _, stderr) = draft(&setup, &["describe"]);
    assert_eq!(code, 1, "{stderr}");
    let (code, stdout, _) =
        setup.exec(&["catalog", "list", "--prefix", "acmeCo", "-o", "json"], "");
    assert_eq!(code, 0);
    let live: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(live.as_array().unwrap().len(), 2, "{stdout}");
    let last = live[0]["lastPubId"].as_str().unwrap().to_string();

    // A live spec copied into a new draft, and developed locally.
    draft(&setup, &["create"]);
    let (code, _, stderr) = setup.exec(&["catalog", "draft", "--name", "acmeCo/greetings"], "");
    assert_eq!(code, 0, "{stderr}");
    let (_, stdout, _) = draft(&setup, &["describe"]);
    assert!(
        stdout
            .lines()
            .nth(2)
            .unwrap()
            .starts_with(&format!("acmeCo/greetings | collection | {last}")),
        "{stdout}"
    );
    let (code, _, stderr) = draft(&setup, &["develop", "--target", "dev/flow.yaml", "--flat"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("Wrote 1 specifications under dev/flow.yaml."),
        "{stderr}"
    );
    let developed = std::fs::read_to_string(setup.home().join("dev/flow.yaml")).unwrap();
    assert!(developed.contains("acmeCo/greetings:"), "{developed}");
    assert!(
        developed.contains(&format!("expectPubId: {last}"))
            || developed.contains(&format!("expectPubId: \"{last}\"")),
        "{developed}"
    );

    // The deletion of a live spec, published from the draft.
    let (code, _, stderr) = setup.exec(
        &[
            "catalog",
            "draft",
            "--name",
            "acmeCo/source-hello",
            "--delete",
        ],
        "",
    );
    assert_eq!(code, 0, "{stderr}");
    let (_, stdout, _) = draft(&setup, &["describe"]);
    assert!(
        stdout.contains("acmeCo/source-hello | deletion"),
        "{stdout}"
    );
    let (code, _, stderr) = draft(&setup, &["publish"]);
    assert_eq!(code, 0, "{stderr}");
    let (_, stdout, _) = setup.exec(&["catalog", "list", "--prefix", "acmeCo", "-o", "json"], "");
    let live: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let names: Vec<&str> = live
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["catalogName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["acmeCo/greetings"]);
}

#[test]
fn draft_errors() {
    let setup = Setup::new();
    let (code, _, stderr) = draft(&setup, &["select", "--id", "0000000000000001"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("draft 0000000000000001 does not exist"),
        "{stderr}"
    );
    let (code, _, stderr) = draft(&setup, &["select", "--id", "nope"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("--id"), "{stderr}");

    draft(&setup, &["create"]);
    // Nothing staged: nothing to publish.
    let (code, _, stderr) = draft(&setup, &["publish"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("has no specs to publish"), "{stderr}");
    // A name that is not live.
    let (code, _, stderr) = setup.exec(&["catalog", "draft", "--name", "acmeCo/nope"], "");
    assert_eq!(code, 1);
    assert!(
        stderr.contains("no live spec exists for name: 'acmeCo/nope'"),
        "{stderr}"
    );
    // Deleting clears the selection.
    let (code, _, stderr) = draft(&setup, &["delete"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, _) = draft(&setup, &["list", "-o", "json"]);
    assert_eq!(code, 0);
    assert_eq!(stdout.trim(), "[]");
}
