//! `flowspec auth`: profiles written as flowctl writes them, and no token
//! ever printed.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `program` with `args` in an environment holding only `PATH`,
/// `HOME` and `env`, feeding it `stdin`.
fn run(program: &str, home: &Path, env: &[(&str, &str)], args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(program)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .envs(env.iter().copied())
        .current_dir(home)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} runs: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn flowspec(home: &Path, env: &[(&str, &str)], args: &[&str], stdin: &str) -> Output {
    run(env!("CARGO_BIN_EXE_flowspec"), home, env, args, stdin)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The Dashboard's CLI-API token of a refresh token: its JSON in base64,
/// encoded by the system's `base64`, not by the code under test.
fn refresh_token(id: &str, secret: &str) -> String {
    let json = format!(r#"{{"id":"{id}","secret":"{secret}"}}"#);
    text(&run("base64", Path::new("/"), &[], &["-w0"], &json).stdout)
}

#[test]
fn token_writes_the_profile_and_status_shows_it_without_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let profile = home.join(".config/flowctl/default.json");

    let out = flowspec(home, &[], &["auth", "status"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!(
            "profile: default ({})\ncontrol plane: https://eyrcnmuzzyriypdajwdk.supabase.co/rest/v1\n\
             not signed in: run `flowspec auth token --token …` with a token from Dashboard → \
             Admin → CLI-API, or set FLOW_AUTH_TOKEN\n",
            profile.display()
        )
    );
    assert!(!profile.exists(), "status writes nothing");

    let token = refresh_token("0123456789abcdef", "hunter2-secret");
    let out = flowspec(home, &[], &["auth", "token", "--token", &token], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "Configured credentials of the profile default.\n"
    );
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&profile).unwrap()).unwrap();
    assert_eq!(
        written,
        serde_json::json!({"user_refresh_token": {"id": "0123456789abcdef", "secret": "hunter2-secret"}})
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&profile), 0o600);
        assert_eq!(mode(profile.parent().unwrap()), 0o700);
    }

    let out = flowspec(home, &[], &["auth", "status"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert_eq!(
        shown,
        format!(
            "profile: default ({})\ncontrol plane: https://eyrcnmuzzyriypdajwdk.supabase.co/rest/v1\n\
             credentials: from the profile\nuser: not known until an access token is fetched\n\
             refresh token: 0123456789abcdef\n",
            profile.display()
        )
    );
    assert!(!shown.contains("hunter2"));
}

#[test]
fn profiles_are_chosen_by_flag_then_environment_and_flow_auth_token_wins() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let stored = refresh_token("0000000000000001", "stored");
    // Read from standard input: the token is not in the process's arguments.
    let out = flowspec(
        home,
        &[],
        &["--profile", "local", "auth", "token", "--token", "-"],
        &format!("{stored}\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(home.join(".config/flowctl/local.json").is_file());

    let out = flowspec(
        home,
        &[("FLOWCTL_PROFILE", "local")],
        &["auth", "status"],
        "",
    );
    let shown = text(&out.stdout);
    assert!(
        shown.contains(
            "control plane: http://localhost:5431/rest/v1\ncredentials: from the profile\n"
        ),
        "{shown}"
    );
    assert!(
        shown.ends_with("refresh token: 0000000000000001\n"),
        "{shown}"
    );

    let given = refresh_token("0000000000000002", "from-env");
    let out = flowspec(
        home,
        &[("FLOWCTL_PROFILE", "local"), ("FLOW_AUTH_TOKEN", &given)],
        &["auth", "status"],
        "",
    );
    let shown = text(&out.stdout);
    assert!(
        shown.contains("credentials: from FLOW_AUTH_TOKEN\n"),
        "{shown}"
    );
    assert!(
        shown.ends_with("refresh token: 0000000000000002\n"),
        "{shown}"
    );
    // FLOW_AUTH_TOKEN is never written to the profile.
    let file = std::fs::read_to_string(home.join(".config/flowctl/local.json")).unwrap();
    assert!(
        file.contains("stored") && !file.contains("from-env"),
        "{file}"
    );
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
    let token = refresh_token("00000000000000aa", "pasted");
    let command = format!(
        "{} --profile local auth login",
        env!("CARGO_BIN_EXE_flowspec")
    );
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
    assert!(shown.contains("Successfully authenticated."), "{shown}");
    let file = std::fs::read_to_string(home.join(".config/flowctl/local.json")).unwrap();
    assert!(file.contains("00000000000000aa"), "{file}");
}
