//! `flowspec catalog diff` against `flowspec serve` over loopback HTTP:
//! what a publication would change, secret-aware, with terraform's exit
//! statuses (0 no changes, 2 changes, 1 an error); and the plan that
//! `catalog publish` shows before it asks.

mod common;

use std::path::Path;

use common::{flowspec, text, Setup};

/// A capture, a collection and a materialization whose password is
/// plaintext in the file (the connector's schema marks it secret).
fn write_catalog(dir: &Path, title: &str, password: &str, extra: &str) {
    std::fs::write(
        dir.join("flow.yaml"),
        format!(
            r#"captures:
  acmeCo/source-hello:
    endpoint:
      connector:
        image: ghcr.io/estuary/source-hello-world:dev
        config: {{rate: 1}}
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
          password: {password}
{extra}    bindings:
      - resource: {{table: greetings}}
        source: acmeCo/greetings
"#
        ),
    )
    .unwrap();
}

/// `flowspec --profile ci catalog publish --source flow.yaml --auto-approve`.
fn publish(setup: &Setup) -> (i32, String, String) {
    setup.publish("flow.yaml")
}

/// `flowspec --profile ci catalog diff --source flow.yaml -o <output>`.
fn diff(setup: &Setup, output: &str) -> (i32, String, String) {
    setup.exec(
        &["catalog", "diff", "--source", "flow.yaml", "-o", output],
        "",
    )
}

#[test]
fn diff_before_and_after_publishing() {
    let setup = Setup::new();
    write_catalog(setup.home(), "first", "hunter2", "");

    // Nothing is live: everything would be created.
    let (code, stdout, stderr) = diff(&setup, "table");
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        stdout,
        "+ collection acmeCo/greetings\n\
         + capture acmeCo/source-hello\n\
         + materialization acmeCo/to-postgres\n\
         \n\
         Plan: 3 to create, 0 to change, 0 to delete, 0 unchanged.\n"
    );

    // Publishing shows the same plan before it asks.
    let (code, _, stderr) = publish(&setup);
    assert_eq!(code, 0, "{stderr}");
    let plan_at = stderr
        .find("+ materialization acmeCo/to-postgres")
        .expect(&stderr);
    let will_at = stderr
        .find("Will publish the following 3 specs")
        .expect(&stderr);
    assert!(plan_at < will_at, "{stderr}");
    assert!(stderr.contains("Plan: 3 to create, 0 to change, 0 to delete, 0 unchanged."));

    // Published, and diffed again: no changes, every time, although the
    // live password is ciphertext of the control plane's service.
    for _ in 0..2 {
        let (code, stdout, stderr) = diff(&setup, "table");
        assert_eq!(code, 0, "{stdout}{stderr}");
        assert_eq!(
            stdout,
            "No changes: the live specs match the catalog.\n\
             Plan: 0 to create, 0 to change, 0 to delete, 3 unchanged.\n"
        );
    }
    let (code, _, stderr) = publish(&setup);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, _) = diff(&setup, "table");
    assert_eq!(code, 0, "{stdout}");

    // An edit, a new object holding a secret, and a changed password:
    // changes by pointer, secrets by name only. The password is ciphertext
    // of the control plane's key, which is not at hand here: whether it
    // changed cannot be told, so it is not reported.
    write_catalog(
        setup.home(),
        "second",
        "changed-password",
        "          sshForwarding: {sshEndpoint: \"ssh://bastion\", privateKey: \"PRIVATE-KEY-TEXT\"}\n",
    );
    let (code, stdout, stderr) = diff(&setup, "table");
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        stdout,
        "~ collection acmeCo/greetings\n    \
         /schema/title: \"first\" → \"second\"\n\
         ~ materialization acmeCo/to-postgres\n    \
         /endpoint/connector/config/sshForwarding: secret field added\n\
         \n\
         Plan: 0 to create, 2 to change, 0 to delete, 1 unchanged.\n"
    );
    assert!(!stdout.contains("changed-password") && !stdout.contains("PRIVATE-KEY-TEXT"));

    let (code, stdout, _) = diff(&setup, "json");
    assert_eq!(code, 2);
    let plan: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(plan["specs"][0]["catalogName"], "acmeCo/greetings");
    assert_eq!(plan["specs"][0]["action"], "update");
    assert_eq!(
        plan["specs"][0]["changes"][0],
        serde_json::json!({"ptr": "/schema/title", "kind": "changed", "old": "first", "new": "second"})
    );
    assert_eq!(
        plan["specs"][2]["changes"][0],
        serde_json::json!({"ptr": "/endpoint/connector/config/sshForwarding", "kind": "secretAdded"})
    );
    assert!(!stdout.contains("changed-password") && !stdout.contains("PRIVATE-KEY-TEXT"));
}

#[test]
fn diff_errors() {
    let setup = Setup::new();
    // An invalid catalog: the validation problems, exit 1, nothing asked.
    std::fs::write(
        setup.home().join("flow.yaml"),
        "collections:\n  acmeCo/bad:\n    schema: {type: object}\n    key: [id]\n",
    )
    .unwrap();
    let (code, stdout, stderr) = diff(&setup, "table");
    assert_eq!(code, 1, "{stdout}");
    assert!(stderr.contains("acmeCo/bad"), "{stderr}");
    assert_eq!(stdout, "");

    // An unreachable control plane.
    write_catalog(setup.home(), "first", "p", "");
    let out = flowspec(
        setup.home(),
        &[(
            "FLOW_AUTH_TOKEN",
            "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDAsInN1YiI6ImEifQ.x",
        )],
        &[
            "--profile",
            "nowhere",
            "catalog",
            "diff",
            "--source",
            "flow.yaml",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    assert!(!text(&out.stderr).is_empty());
}
