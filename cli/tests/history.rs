//! `flowspec catalog history` and `catalog status` against `flowspec
//! serve` over loopback HTTP.

mod common;

use common::{write_hello_catalog as write_catalog, Setup};

fn publish(setup: &Setup) -> String {
    let (code, stdout, stderr) = setup.exec(
        &[
            "catalog",
            "publish",
            "--source",
            "flow.yaml",
            "--auto-approve",
            "-o",
            "json",
        ],
        "",
    );
    assert_eq!(code, 0, "{stderr}");
    let publication: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    publication["pubId"].as_str().unwrap().to_string()
}

#[test]
fn history_newest_first_with_models_and_after_deletion() {
    let setup = Setup::new();
    write_catalog(setup.home(), "first");
    let first = publish(&setup);
    write_catalog(setup.home(), "second");
    let second = publish(&setup);

    let (code, stdout, stderr) = setup.exec(
        &[
            "catalog",
            "history",
            "--name",
            "acmeCo/greetings",
            "--models",
            "-o",
            "json",
        ],
        "",
    );
    assert_eq!(code, 0, "{stderr}");
    let items: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let ids: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["publicationId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [second.as_str(), first.as_str()]);
    assert_eq!(items[0]["model"]["schema"]["title"], "second");
    assert_eq!(items[1]["model"]["schema"]["title"], "first");
    assert_eq!(items[0]["userEmail"], "local@flowspec.dev");

    // The table, without models.
    let (code, stdout, _) = setup.exec(&["catalog", "history", "--name", "acmeCo/greetings"], "");
    assert_eq!(code, 0);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("Publication      | Published at"),
        "{stdout}"
    );
    assert!(lines[2].starts_with(&second), "{stdout}");
    assert!(lines[3].starts_with(&first), "{stdout}");
    assert_eq!(lines.len(), 4, "{stdout}");

    // Deleted: its history ends with the deletion.
    let (code, _, stderr) = setup.exec(
        &[
            "catalog",
            "delete",
            "--name",
            "acmeCo/source-hello",
            "--dangerous-auto-approve",
        ],
        "",
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = setup.exec(
        &[
            "catalog",
            "history",
            "--name",
            "acmeCo/source-hello",
            "--models",
            "-o",
            "json",
        ],
        "",
    );
    assert_eq!(code, 0, "{stderr}");
    let items: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    // (The capture was published both times: its config is encrypted anew
    // by the control plane's service at each publication.)
    let ids: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["publicationId"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "{stdout}");
    assert_eq!(ids[1..], [second.as_str(), first.as_str()]);
    assert_eq!(items[0]["model"], serde_json::Value::Null, "{stdout}");
    assert!(
        items[0]["detail"]
            .as_str()
            .unwrap()
            .starts_with("Deleted via flowspec"),
        "{stdout}"
    );
    assert_eq!(
        items[1]["model"]["endpoint"]["connector"]["image"],
        "ghcr.io/estuary/source-hello-world:dev"
    );

    // Never published.
    let (code, stdout, stderr) = setup.exec(&["catalog", "history", "--name", "acmeCo/nope"], "");
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("no live spec exists for name: 'acmeCo/nope'"),
        "{stderr}"
    );
}

#[test]
fn status_of_names_and_connected_specs() {
    let setup = Setup::new();
    write_catalog(setup.home(), "first");
    publish(&setup);

    let (code, stdout, stderr) = setup.exec(&["catalog", "status", "acmeCo/greetings"], "");
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(
        lines[0]
            .starts_with("Name             | Type       | Status | Message | Live Spec Updated At"),
        "{stdout}"
    );
    assert!(
        lines[2].starts_with("acmeCo/greetings | collection | OK     | Ok      | "),
        "{stdout}"
    );

    let (code, stdout, stderr) = setup.exec(
        &[
            "catalog",
            "status",
            "acmeCo/greetings",
            "--connected",
            "-o",
            "json",
        ],
        "",
    );
    assert_eq!(code, 0, "{stderr}");
    let statuses: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let names: Vec<(&str, &str)> = statuses
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
            ("acmeCo/source-hello", "capture")
        ]
    );

    let (code, _, stderr) = setup.exec(
        &["catalog", "status", "acmeCo/greetings", "acmeCo/nope"],
        "",
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains("no live spec exists for name: 'acmeCo/nope'"),
        "{stderr}"
    );
    // A name is required.
    let (code, _, stderr) = setup.exec(&["catalog", "status"], "");
    assert_eq!(code, 2, "{stderr}");
}
