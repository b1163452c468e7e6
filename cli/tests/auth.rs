//! `flowspec auth` and `flowspec serve`: profiles written as flowctl writes
//! them, tokens checked with a local control plane over loopback HTTP, and
//! no token ever printed.

use std::path::{Path, PathBuf};

mod common;

use common::{flowspec, refresh_token, run, text, Serve, FLOWSPEC};

fn profile_path(home: &Path, name: &str) -> PathBuf {
    home.join(".config/flowctl").join(format!("{name}.json"))
}

#[test]
fn serve_prints_where_it_listens_and_writes_a_profile_that_signs_in() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let serve = Serve::start(home, &["--write-profile", "ci"]);
    let pg = serve.value("postgrest").to_string();
    assert!(
        pg.starts_with("http://127.0.0.1:") && pg.ends_with("/rest/v1"),
        "{:?}",
        serve.lines
    );
    assert!(serve.value("agent").starts_with("http://127.0.0.1:"));
    assert!(serve
        .value("config-encryption")
        .starts_with("http://127.0.0.1:"));
    let token = serve.value("FLOW_AUTH_TOKEN").to_string();

    let path = profile_path(home, "ci");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(written["pg_url"], pg.as_str());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
    }

    // Status fetches an access token to say who this is, and saves it.
    let out = flowspec(home, &[], &["--profile", "ci", "auth", "status"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines[0], format!("profile: ci ({})", path.display()));
    assert_eq!(lines[1], format!("control plane: {pg}"));
    assert_eq!(lines[2], "credentials: from the profile");
    assert_eq!(
        lines[3].split(" (").next(),
        Some("user: local@flowspec.dev")
    );
    assert!(
        lines[4].starts_with("access token: expires ")
            && (lines[4].ends_with("(in 59m)") || lines[4].ends_with("(in 60m)")),
        "{shown}"
    );
    assert!(lines[5].starts_with("refresh token: "), "{shown}");
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.contains("user_access_token"), "{saved}");
    let secret = serde_json::from_str::<serde_json::Value>(&saved).unwrap()["user_refresh_token"]
        ["secret"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!shown.contains(&secret) && !shown.contains(&token));

    // `auth token` with the printed token signs in to another profile.
    let key = written["pg_public_token"].as_str().unwrap();
    let endpoints = format!(r#"{{"pg_url": "{pg}", "pg_public_token": "{key}"}}"#);
    std::fs::write(profile_path(home, "other"), endpoints).unwrap();
    let out = flowspec(
        home,
        &[],
        &["--profile", "other", "auth", "token", "--token", "-"],
        &format!("{token}\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "Configured credentials of the profile other as local@flowspec.dev.\n"
    );
    let other: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(profile_path(home, "other")).unwrap())
            .unwrap();
    assert_eq!(
        other["pg_url"],
        pg.as_str(),
        "the rest of the profile is kept"
    );
    assert!(
        other["user_access_token"].is_string() && other["user_refresh_token"]["id"].is_string()
    );
}

#[test]
fn refused_tokens_are_not_stored_and_flow_auth_token_is_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let serve = Serve::start(home, &["--write-profile", "ci"]);
    let path = profile_path(home, "ci");
    let before = std::fs::read_to_string(&path).unwrap();
    let id = serde_json::from_str::<serde_json::Value>(&before).unwrap()["user_refresh_token"]
        ["id"]
        .as_str()
        .unwrap()
        .to_string();

    let wrong = refresh_token(&id, "SECRET-wrong");
    let out = flowspec(
        home,
        &[],
        &["--profile", "ci", "auth", "token", "--token", &wrong],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error[control_plane_refused]: POST /rpc/generate_access_token: 400 Bad Request: invalid secret provided\n"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        before,
        "nothing stored"
    );

    // FLOW_AUTH_TOKEN wins over the profile and stays in memory.
    let token = serve.value("FLOW_AUTH_TOKEN");
    let out = flowspec(
        home,
        &[("FLOW_AUTH_TOKEN", token)],
        &["--profile", "ci", "auth", "status"],
        "",
    );
    let shown = text(&out.stdout);
    assert!(
        shown.contains("credentials: from FLOW_AUTH_TOKEN\nuser: local@flowspec.dev"),
        "{shown}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        before,
        "nothing written"
    );
}

#[test]
fn status_without_credentials_or_control_plane_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let out = flowspec(home, &[], &["auth", "status"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!(
            "profile: default ({})\ncontrol plane: https://eyrcnmuzzyriypdajwdk.supabase.co/rest/v1\n\
             not signed in: run `flowspec auth token --token …` with a token from Dashboard → \
             Admin → CLI-API, or set FLOW_AUTH_TOKEN\n",
            profile_path(home, "default").display()
        )
    );
    assert!(!home.join(".config").exists(), "status writes nothing");

    // A stored token with the control plane gone: the status, and why.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let pg = format!("http://{}/rest/v1", closed.local_addr().unwrap());
    drop(closed);
    std::fs::create_dir_all(home.join(".config/flowctl")).unwrap();
    std::fs::write(
        profile_path(home, "gone"),
        format!(r#"{{"pg_url": "{pg}", "user_refresh_token": {{"id": "0000000000000001", "secret": "SECRET"}}}}"#),
    )
    .unwrap();
    let out = flowspec(home, &[], &["--profile", "gone", "auth", "status"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(
        shown.contains(
            "user: not known until an access token is fetched\nrefresh token: 0000000000000001\n"
        ),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("control plane: POST /rpc/generate_access_token: cannot reach the control plane at {pg}: ")),
        "{shown}"
    );
    assert!(!shown.contains("SECRET"), "{shown}");
}

#[test]
fn bad_tokens_and_profiles_fail_without_echoing_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let out = flowspec(
        home,
        &[],
        &["auth", "token", "--token", "SECRET-garbage"],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error[auth_token_invalid]: --token is not a token: it is not base64 (give the token of \
         Dashboard → Admin → CLI-API, a base64 refresh token, or a JWT access token)\n"
    );
    assert!(!home.join(".config").exists(), "nothing is written");

    let out = flowspec(
        home,
        &[("FLOW_AUTH_TOKEN", "SECRET.x")],
        &["auth", "status"],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("error[auth_token_invalid]: FLOW_AUTH_TOKEN is not a token: "),
        "{err}"
    );
    assert!(!err.contains("SECRET"), "{err}");

    let out = flowspec(home, &[], &["--profile", "../evil", "auth", "status"], "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error[profile_invalid]: \"../evil\" cannot name a profile: a profile is a file name, \
         without `/` and not starting with `.`\n"
    );
}

#[test]
fn login_needs_a_terminal_and_reads_the_pasted_token_from_one() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let out = flowspec(home, &[], &["auth", "login"], "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error[not_authenticated]: auth login reads a token pasted from the dashboard and needs a \
         terminal: use `flowspec auth token --token …` or set FLOW_AUTH_TOKEN\n"
    );

    // On a pseudo-terminal (util-linux `script`), the pasted line is read.
    let serve = Serve::start(home, &["--write-profile", "local"]);
    let token = serve.value("FLOW_AUTH_TOKEN").to_string();
    let command = format!("{FLOWSPEC} --profile local auth login");
    let out = run(
        "script",
        home,
        &[],
        &["-qec", &command, "/dev/null"],
        &format!("{token}\n"),
    );
    let shown = text(&out.stdout);
    assert!(out.status.success(), "{shown}");
    assert!(
        shown.contains(
            "Copy the CLI-API token of http://localhost:3000/admin/api and paste it here"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("Successfully authenticated: the profile local as local@flowspec.dev."),
        "{shown}"
    );
}

#[test]
fn serve_on_a_port_in_use_fails_saying_which() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = flowspec(
        dir.path(),
        &[],
        &[
            "serve",
            "--pg-port",
            &port,
            "--agent-port",
            "0",
            "--encryption-port",
            "0",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error[local_control_plane_failed]: the local control plane: cannot listen on 127.0.0.1:{port}: \
             Address already in use (os error 98)\n"
        )
    );
}
