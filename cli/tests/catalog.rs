//! `flowspec catalog publish|test|list|pull-specs|delete` against `flowspec
//! serve` over loopback HTTP: what is printed, what ends up live, what is
//! pulled back, and that no secret is ever sent or written in plaintext.

mod common;

use std::path::Path;

use common::{run, text, Setup, FLOWSPEC};

/// A catalog of a capture (a plaintext secret under a `_sops` key), a
/// collection and a materialization, written to `dir/flow.yaml`.
fn write_catalog(dir: &Path, title: &str) {
    std::fs::write(
        dir.join("flow.yaml"),
        format!(
            r#"captures:
  acmeCo/source-hello:
    endpoint:
      connector:
        image: ghcr.io/estuary/source-hello-world:dev
        config:
          rate: 1
          token_sops: hunter2-plaintext
    bindings:
      - resource: {{name: greetings}}
        target: acmeCo/greetings
collections:
  acmeCo/greetings:
    schema:
      type: object
      title: {title}
      properties: {{id: {{type: string}}}}
      required: [id]
    key: [/id]
materializations:
  acmeCo/to-postgres:
    endpoint:
      connector:
        image: ghcr.io/estuary/materialize-postgres:dev
        config:
          address: db:5432
          user: flow
          database: flow
          password_sops: hunter2-plaintext
    bindings:
      - resource: {{table: greetings}}
        source: acmeCo/greetings
"#
        ),
    )
    .unwrap();
}

#[test]
fn publish_prunes_lists_pulls_back_and_deletes() {
    let setup = Setup::new();
    write_catalog(setup.home(), "first");

    let (ok, stdout, stderr) = setup.run(
        &[
            "catalog",
            "publish",
            "--source",
            "flow.yaml",
            "--auto-approve",
        ],
        "",
    );
    assert!(ok, "{stderr}");
    assert!(stderr.contains("Created draft: "), "{stderr}");
    assert!(
        stderr.contains("Will publish the following 3 specs"),
        "{stderr}"
    );
    assert!(stderr.contains("Publish successful"), "{stderr}");
    assert!(
        stdout.contains("acmeCo/greetings    | collection"),
        "{stdout}"
    );
    assert!(!stderr.contains("hunter2") && !stdout.contains("hunter2"));

    // The same catalog again: the collection is pruned; the plan shows no
    // changes, but the endpoint configs are encrypted anew by the control
    // plane's service (as with flowctl), so their specs are published again.
    let (ok, _, stderr) = setup.run(
        &[
            "catalog",
            "publish",
            "--source",
            "flow.yaml",
            "--auto-approve",
        ],
        "",
    );
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("The following specs are identical to the currently published specs, and have been pruned from the draft:\nacmeCo/greetings\n\
            No changes: the live specs match the catalog.\n\
            Plan: 0 to create, 0 to change, 0 to delete, 3 unchanged.\n\
            The endpoint configs are encrypted anew, so these specs are published again.\n\
            Will publish the following 2 specs\n"),
        "{stderr}"
    );

    let (ok, stdout, stderr) = setup.run(
        &["catalog", "list", "--prefix", "acmeCo", "--output", "json"],
        "",
    );
    assert!(ok, "{stderr}");
    let listed: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let names: Vec<(&str, &str)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["catalogName"].as_str().unwrap(),
                s["catalogType"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("acmeCo/greetings", "collection"),
            ("acmeCo/source-hello", "capture"),
            ("acmeCo/to-postgres", "materialization")
        ]
    );
    let pub_id = listed[0]["lastPubId"].as_str().unwrap().to_string();

    // Pulled back in flowctl's canonical layout, and flat.
    let (ok, _, stderr) = setup.run(
        &[
            "catalog",
            "pull-specs",
            "--prefix",
            "acmeCo",
            "--target",
            "pulled/flow.yaml",
        ],
        "",
    );
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("Wrote 3 specifications under pulled/flow.yaml."),
        "{stderr}"
    );
    let root = std::fs::read_to_string(setup.home().join("pulled/flow.yaml")).unwrap();
    assert!(root.contains("import:\n  - acmeCo/flow.yaml"), "{root}");
    let nested = std::fs::read_to_string(setup.home().join("pulled/acmeCo/flow.yaml")).unwrap();
    assert!(
        nested.contains(&format!("expectPubId: \"{pub_id}\""))
            || nested.contains(&format!("expectPubId: {pub_id}")),
        "{nested}"
    );
    assert!(
        nested.contains("config: source-hello.config.yaml"),
        "{nested}"
    );
    let config =
        std::fs::read_to_string(setup.home().join("pulled/acmeCo/source-hello.config.yaml"))
            .unwrap();
    assert!(config.contains("token_sops: ENC[AES256_GCM,"), "{config}");
    for file in [
        "pulled/flow.yaml",
        "pulled/acmeCo/flow.yaml",
        "pulled/acmeCo/source-hello.config.yaml",
        "pulled/acmeCo/to-postgres.config.yaml",
    ] {
        let text = std::fs::read_to_string(setup.home().join(file)).unwrap();
        assert!(!text.contains("hunter2"), "{file}: {text}");
    }

    let (ok, _, stderr) = setup.run(
        &[
            "catalog",
            "pull-specs",
            "--prefix",
            "acmeCo/",
            "--target",
            "flat.yaml",
            "--flat",
        ],
        "",
    );
    assert!(ok, "{stderr}");
    let flat = std::fs::read_to_string(setup.home().join("flat.yaml")).unwrap();
    assert!(
        flat.contains("acmeCo/greetings:") && flat.contains("title: first"),
        "{flat}"
    );

    // Into a project that already has one of the specs: it stays where it
    // is, as it is (or, with --overwrite, replaced in place); the others
    // go to their canonical files.
    std::fs::create_dir(setup.home().join("project")).unwrap();
    let mine = "collections:\n  acmeCo/greetings:\n    schema: {type: object, title: mine, properties: {id: {type: string}}, required: [id]}\n    key: [/id]\n";
    std::fs::write(setup.home().join("project/flow.yaml"), mine).unwrap();
    let (ok, _, stderr) = setup.run(
        &[
            "catalog",
            "pull-specs",
            "--prefix",
            "acmeCo/",
            "--target",
            "project/flow.yaml",
        ],
        "",
    );
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("Wrote 2 specifications under project/flow.yaml."),
        "{stderr}"
    );
    let root = std::fs::read_to_string(setup.home().join("project/flow.yaml")).unwrap();
    assert!(
        root.contains("title: mine") && root.contains("import:\n  - acmeCo/flow.yaml"),
        "{root}"
    );
    let nested = std::fs::read_to_string(setup.home().join("project/acmeCo/flow.yaml")).unwrap();
    assert!(
        nested.contains("acmeCo/source-hello:") && !nested.contains("acmeCo/greetings:"),
        "{nested}"
    );
    let (ok, _, stderr) = setup.run(
        &[
            "catalog",
            "pull-specs",
            "--prefix",
            "acmeCo/",
            "--target",
            "project/flow.yaml",
            "--overwrite",
        ],
        "",
    );
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("Wrote 3 specifications under project/flow.yaml."),
        "{stderr}"
    );
    let root = std::fs::read_to_string(setup.home().join("project/flow.yaml")).unwrap();
    assert!(
        root.contains("title: first") && root.contains("acmeCo/greetings:"),
        "{root}"
    );

    // What was pulled is what is live: publishing it publishes nothing
    // (its configs are encrypted to the control plane's key, and staged as
    // they are).
    let (ok, _, stderr) = setup.run(
        &[
            "catalog",
            "publish",
            "--source",
            "flat.yaml",
            "--auto-approve",
        ],
        "",
    );
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("The following specs are identical to the currently published specs, and have been pruned from the draft:\nacmeCo/greetings\nacmeCo/source-hello\nacmeCo/to-postgres\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("No specs would be changed by this publication, nothing to publish."),
        "{stderr}"
    );
    assert!(stderr.contains("Deleted draft: "), "{stderr}");

    // A name that is not live.
    let (ok, _, stderr) = setup.run(&["catalog", "list", "--name", "acmeCo/nope"], "");
    assert!(!ok);
    assert!(
        stderr.contains("error[live_spec_not_found]: no live spec exists for name: 'acmeCo/nope'"),
        "{stderr}"
    );

    // Deleted, without a terminal only with --dangerous-auto-approve.
    let (ok, _, stderr) = setup.run(&["catalog", "delete", "--prefix", "acmeCo"], "");
    assert!(!ok);
    assert!(stderr.contains("--dangerous-auto-approve"), "{stderr}");
    let (ok, _, stderr) = setup.run(
        &[
            "catalog",
            "delete",
            "--prefix",
            "acmeCo",
            "--dangerous-auto-approve",
        ],
        "",
    );
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("successfully deleted 3 spec(s)"),
        "{stderr}"
    );
    let (ok, stdout, _) = setup.run(
        &["catalog", "list", "--prefix", "acmeCo", "--output", "json"],
        "",
    );
    assert!(ok);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&stdout).unwrap(),
        serde_json::json!([])
    );
}

#[test]
fn failures_are_printed_with_their_scopes_and_leave_nothing_live() {
    let setup = Setup::new();

    // Invalid locally: every diagnostic, and nothing sent.
    std::fs::write(
        setup.home().join("bad.yaml"),
        "collections:\n  acmeCo/bad:\n    schema: {type: object}\n    key: []\n",
    )
    .unwrap();
    let (ok, _, stderr) = setup.run(
        &[
            "catalog",
            "publish",
            "--source",
            "bad.yaml",
            "--auto-approve",
        ],
        "",
    );
    assert!(!ok);
    assert!(stderr.contains("error[key_empty]"), "{stderr}");
    assert!(!stderr.contains("Created draft"), "{stderr}");

    // Without a terminal, publishing needs --auto-approve.
    write_catalog(setup.home(), "first");
    let (ok, _, stderr) = setup.run(&["catalog", "publish", "--source", "flow.yaml"], "");
    assert!(!ok);
    assert!(
        stderr.contains("The publish command must be run interactively unless the `--auto-approve` flag is provided"),
        "{stderr}"
    );

    // An unknown data plane, named with those that exist.
    let (ok, _, stderr) = setup.run(
        &[
            "catalog",
            "publish",
            "--source",
            "flow.yaml",
            "--auto-approve",
            "--init-data-plane",
            "ops/dp/public/nowhere",
        ],
        "",
    );
    assert!(!ok);
    assert!(
        stderr.contains("error[data_plane_invalid]: there is no data plane named 'ops/dp/public/nowhere' that you can use; known: ops/dp/public/local-cluster"),
        "{stderr}"
    );

    // A stale expectPubId: the control plane's failure, and the draft is deleted.
    std::fs::write(
        setup.home().join("stale.yaml"),
        "collections:\n  acmeCo/greetings:\n    schema: {type: object, properties: {id: {type: string}}, required: [id]}\n    key: [/id]\n    expectPubId: \"0000000000000001\"\n",
    )
    .unwrap();
    let (ok, _, stderr) = setup.run(
        &[
            "catalog",
            "publish",
            "--source",
            "stale.yaml",
            "--auto-approve",
        ],
        "",
    );
    assert!(!ok);
    assert!(
        stderr.contains(
            "error[publication_failed]: Publish failed: failed with status: expectPubIdMismatch"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("Deleted draft: "), "{stderr}");

    let (ok, stdout, _) = setup.run(
        &["catalog", "list", "--prefix", "acmeCo", "--output", "json"],
        "",
    );
    assert!(ok);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&stdout).unwrap(),
        serde_json::json!([])
    );
}

#[test]
fn a_remote_test_publishes_nothing() {
    let setup = Setup::new();
    write_catalog(setup.home(), "first");
    let (ok, stdout, stderr) = setup.run(
        &[
            "catalog",
            "test",
            "--source",
            "flow.yaml",
            "--remote",
            "--output",
            "json",
        ],
        "",
    );
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("Running tests for catalog items:"),
        "{stderr}"
    );
    assert!(stderr.contains("Starting tests..."), "{stderr}");
    assert!(stderr.contains("Tests successful"), "{stderr}");
    assert!(stderr.contains("Deleted draft: "), "{stderr}");
    let tested: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(tested["dryRun"], true);
    assert_eq!(tested["status"], "success");
    assert_eq!(tested["pubId"], serde_json::Value::Null);
    assert_eq!(tested["specs"].as_array().unwrap().len(), 3);
    assert_eq!(
        tested["specs"][0],
        serde_json::json!({"catalogName": "acmeCo/source-hello", "specType": "capture"})
    );
    assert!(stdout.contains("acmeCo/to-postgres"), "{stdout}");
    let (_, stdout, _) = setup.run(
        &["catalog", "list", "--prefix", "acmeCo", "--output", "json"],
        "",
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&stdout).unwrap(),
        serde_json::json!([])
    );
}

#[test]
fn the_prompt_on_a_terminal_publishes_only_on_yes() {
    let setup = Setup::new();
    write_catalog(setup.home(), "first");
    let command = format!("{FLOWSPEC} --profile ci catalog publish --source flow.yaml");

    let out = run(
        "script",
        setup.home(),
        &[],
        &["-qec", &command, "/dev/null"],
        "n\n",
    );
    let shown = text(&out.stdout);
    assert!(!out.status.success(), "{shown}");
    assert!(
        shown.contains("Enter Y to publish these specs, or anything else to abort: "),
        "{shown}"
    );
    assert!(shown.contains("Cancelling"), "{shown}");
    assert!(
        shown.contains("error[publish_cancelled]: publish cancelled"),
        "{shown}"
    );
    assert!(shown.contains("Deleted draft: "), "{shown}");

    // Ctrl-C at the prompt (typed once the prompt is up, well within the
    // 3 s given) cancels at once, and deletes the draft.
    let typed = format!("(sleep 3; printf '\\003'; sleep 3) | script -qec '{command}' /dev/null");
    let out = run("sh", setup.home(), &[], &["-c", &typed], "");
    let shown = text(&out.stdout);
    assert!(!out.status.success(), "{shown}");
    assert!(shown.contains("abort: ^C\r\nCancelling"), "{shown:?}");
    assert!(
        shown.contains("error[publish_cancelled]: publish cancelled"),
        "{shown}"
    );
    assert!(shown.contains("Deleted draft: "), "{shown}");

    let out = run(
        "script",
        setup.home(),
        &[],
        &["-qec", &command, "/dev/null"],
        "Y\n",
    );
    let shown = text(&out.stdout);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("Proceeding to publish..."), "{shown}");
    assert!(shown.contains("Publish successful"), "{shown}");
}

#[test]
fn publish_updates_expect_pub_ids_in_place() {
    let setup = Setup::new();
    write_catalog(setup.home(), "first");
    let publish = |source: &str, extra: &[&str]| {
        let mut args = vec!["catalog", "publish", "--source", source, "--auto-approve"];
        args.extend_from_slice(extra);
        setup.run(&args, "")
    };
    let (ok, _, stderr) = publish("flow.yaml", &[]);
    assert!(ok, "{stderr}");
    // Nothing in flow.yaml carries expectPubId: no file is touched.
    assert!(!stderr.contains("Updated expectPubId"), "{stderr}");

    let (ok, _, stderr) = setup.run(
        &[
            "catalog",
            "pull-specs",
            "--prefix",
            "acmeCo",
            "--target",
            "pulled/flow.yaml",
            "--flat",
        ],
        "",
    );
    assert!(ok, "{stderr}");
    let pulled = setup.home().join("pulled/flow.yaml");
    let original = std::fs::read_to_string(&pulled).unwrap();
    let ids: Vec<String> = original
        .lines()
        .filter_map(|l| l.trim().strip_prefix("expectPubId: "))
        .map(str::to_string)
        .collect();
    assert_eq!(ids.len(), 3, "{original}");
    // A comment, and an edit of the collection's title.
    let edited = format!(
        "# pulled, then edited\n{}",
        original.replace("title: first", "title: second")
    );
    std::fs::write(&pulled, &edited).unwrap();

    let (ok, stdout, stderr) = publish("pulled/flow.yaml", &["-o", "json"]);
    assert!(ok, "{stderr}");
    let publication: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let pub_id = publication["pubId"].as_str().unwrap().to_string();
    assert!(
        stderr.contains(&format!(
            "Updated expectPubId to {pub_id} in:\n  {}\n",
            pulled.canonicalize().unwrap().display()
        )),
        "{stderr}"
    );
    // Only the ids of the published specs changed, and nothing else.
    let published: Vec<&str> = publication["specs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["catalogName"].as_str().unwrap())
        .collect();
    assert!(published.contains(&"acmeCo/greetings"), "{published:?}");
    let now = std::fs::read_to_string(&pulled).unwrap();
    let mut expected = edited.clone();
    for (name, id) in [
        "acmeCo/greetings",
        "acmeCo/source-hello",
        "acmeCo/to-postgres",
    ]
    .iter()
    .zip(&ids)
    {
        if published.contains(name) {
            let at = expected.find(&format!("{name}:")).unwrap();
            let offset = expected[at..].find(id.as_str()).unwrap() + at;
            // Written as the old id was: plain (a quoted one if it were all digits).
            let written = if pub_id.bytes().all(|b| b.is_ascii_digit()) {
                format!("\"{pub_id}\"")
            } else {
                pub_id.clone()
            };
            expected.replace_range(offset..offset + id.len(), &written);
        }
    }
    assert_eq!(now, expected);

    // So the next edit publishes, where a stale id would be refused.
    std::fs::write(&pulled, now.replace("title: second", "title: third")).unwrap();
    let (ok, _, stderr) = publish("pulled/flow.yaml", &["--no-update-pub-ids"]);
    assert!(ok, "{stderr}");
    assert!(!stderr.contains("Updated expectPubId"), "{stderr}");
    // Opted out: the ids are now stale.
    let stale = std::fs::read_to_string(&pulled).unwrap();
    std::fs::write(&pulled, stale.replace("title: third", "title: fourth")).unwrap();
    let (ok, _, stderr) = publish("pulled/flow.yaml", &[]);
    assert!(!ok);
    assert!(stderr.contains("expectPubIdMismatch"), "{stderr}");
}
