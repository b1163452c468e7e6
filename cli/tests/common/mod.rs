//! Helpers of the CLI's tests: running `flowspec` in a clean environment,
//! and `flowspec serve` on free ports.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

pub const FLOWSPEC: &str = env!("CARGO_BIN_EXE_flowspec");

/// Runs `program` with `args` in an environment holding only `PATH`,
/// `HOME` and `env`, feeding it `stdin`.
pub fn run(program: &str, home: &Path, env: &[(&str, &str)], args: &[&str], stdin: &str) -> Output {
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

pub fn flowspec(home: &Path, env: &[(&str, &str)], args: &[&str], stdin: &str) -> Output {
    run(FLOWSPEC, home, env, args, stdin)
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The Dashboard's CLI-API token of a refresh token: its JSON in base64,
/// encoded by the system's `base64`, not by the code under test.
pub fn refresh_token(id: &str, secret: &str) -> String {
    let json = format!(r#"{{"id":"{id}","secret":"{secret}"}}"#);
    text(&run("base64", Path::new("/"), &[], &["-w0"], &json).stdout)
}

/// `flowspec serve` on free ports, stopped when dropped.
pub struct Serve {
    child: Child,
    pub lines: Vec<String>,
}

impl Serve {
    pub fn start(home: &Path, extra: &[&str]) -> Serve {
        let mut args = vec![
            "serve",
            "--pg-port",
            "0",
            "--agent-port",
            "0",
            "--encryption-port",
            "0",
        ];
        args.extend_from_slice(extra);
        let mut child = Command::new(FLOWSPEC)
            .args(&args)
            .env_clear()
            .env("HOME", home)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let lines = (0..4)
            .map(|_| {
                let mut line = String::new();
                stdout.read_line(&mut line).unwrap();
                line.trim_end().to_string()
            })
            .collect();
        Serve { child, lines }
    }

    /// The value of the banner's line `name: value` (or `name=value`).
    pub fn value(&self, name: &str) -> &str {
        self.lines
            .iter()
            .find_map(|l| {
                l.strip_prefix(&format!("{name}: "))
                    .or_else(|| l.strip_prefix(&format!("{name}=")))
            })
            .unwrap_or_else(|| panic!("no {name} in {:?}", self.lines))
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A home with a control plane and a profile `ci` pointing at it.
pub struct Setup {
    dir: tempfile::TempDir,
    _serve: Serve,
}

impl Setup {
    pub fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let serve = Serve::start(dir.path(), &["--write-profile", "ci"]);
        Setup { dir, _serve: serve }
    }

    pub fn home(&self) -> &Path {
        self.dir.path()
    }

    /// `flowspec --profile ci <args>`: exit status, stdout, stderr.
    pub fn exec(&self, args: &[&str], stdin: &str) -> (i32, String, String) {
        let mut all = vec!["--profile", "ci"];
        all.extend_from_slice(args);
        let out = flowspec(self.home(), &[], &all, stdin);
        (
            out.status.code().unwrap_or(-1),
            text(&out.stdout),
            text(&out.stderr),
        )
    }

    /// `flowspec --profile ci catalog publish --source <source> --auto-approve`.
    pub fn publish(&self, source: &str) -> (i32, String, String) {
        self.exec(
            &["catalog", "publish", "--source", source, "--auto-approve"],
            "",
        )
    }

    /// `flowspec --profile ci <args>`: success, stdout, stderr.
    pub fn run(&self, args: &[&str], stdin: &str) -> (bool, String, String) {
        let (code, stdout, stderr) = self.exec(args, stdin);
        (code == 0, stdout, stderr)
    }
}

/// A catalog of a capture (source-hello-world, no secret) writing into a
/// collection titled `title`, as `dir/flow.yaml`.
pub fn write_hello_catalog(dir: &Path, title: &str) {
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
    schema: {{type: object, title: {title}, properties: {{id: {{type: string}}}}, required: [id]}}
    key: [/id]
"#
        ),
    )
    .unwrap();
}
