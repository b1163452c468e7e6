//! `flowspec auth`: the credentials of a profile, as flowctl keeps them.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{BufRead, IsTerminal, Write};

use flowspec::client::http::Api;
use flowspec::client::{ClientError, GivenToken, Session};

/// Sign in, and show who is signed in.
#[derive(Debug, clap::Args)]
pub struct AuthArgs {
    #[command(subcommand)]
    command: AuthCommand,
}

#[derive(Debug, clap::Subcommand)]
enum AuthCommand {
    /// Store a token in the profile: the token of Dashboard → Admin → CLI-API
    /// (a base64 refresh token), or a JWT access token.
    Token {
        /// The token, or `-` to read it from standard input (a token given
        /// as an argument is visible to other users of the machine).
        #[arg(long, value_name = "TOKEN|-")]
        token: String,
    },
    /// Paste a token from the dashboard (needs a terminal; use `auth token`
    /// or FLOW_AUTH_TOKEN elsewhere).
    Login,
    /// Show the profile, who is signed in and until when; never a token.
    Status,
}

/// The process environment, read once, here at the edge.
fn environment() -> BTreeMap<OsString, OsString> {
    std::env::vars_os().collect()
}

/// Runs an `auth` command with the profile `profile` (`--profile`);
/// returns what to print on stdout.
pub fn run(args: AuthArgs, profile: Option<&str>) -> Result<String, flowspec::Error> {
    let env = environment();
    match args.command {
        AuthCommand::Token { token } => {
            let text = if token == "-" {
                read_line(&mut std::io::stdin().lock())?
            } else {
                zeroize::Zeroizing::new(token)
            };
            let session = Session::open(profile, &env)?;
            let who = configure(session, GivenToken::parse(&text, "--token")?)?;
            Ok(format!("Configured credentials of the profile {who}.\n"))
        }
        AuthCommand::Login => {
            let stdin = std::io::stdin();
            if !stdin.is_terminal() {
                return Err(ClientError::NotAuthenticated(
                    "auth login reads a token pasted from the dashboard and needs a terminal: use \
                     `flowspec auth token --token …` or set FLOW_AUTH_TOKEN"
                        .to_string(),
                )
                .into());
            }
            let session = Session::open(profile, &env)?;
            let page = format!("{}admin/api", session.endpoints().dashboard_url);
            let mut stderr = std::io::stderr();
            let _ = write!(
                stderr,
                "Copy the CLI-API token of {page} and paste it here, then press Enter: "
            );
            let _ = stderr.flush();
            let text = read_line(&mut stdin.lock())?;
            let who = configure(session, GivenToken::parse(&text, "the pasted token")?)?;
            Ok(format!("Successfully authenticated: the profile {who}.\n"))
        }
        AuthCommand::Status => {
            let mut session = Session::open(profile, &env)?;
            let api = Api::new(session.endpoints())?;
            let now = flowspec::client::unix_now();
            Ok(flowspec::client::blocking(session.checked_status(&api, now)).to_string())
        }
    }
}

/// Signs in with `token` ([`Session::sign_in`]); returns "NAME as EMAIL".
fn configure(mut session: Session, token: GivenToken) -> Result<String, flowspec::Error> {
    let api = Api::new(session.endpoints())?;
    let access =
        flowspec::client::blocking(session.sign_in(&api, token, flowspec::client::unix_now()))?;
    Ok(match access.and_then(|a| a.claims().email.clone()) {
        Some(email) => format!("{} as {email}", session.name),
        None => session.name.clone(),
    })
}

/// One line of `input`, without its line break.
fn read_line(input: &mut impl BufRead) -> Result<zeroize::Zeroizing<String>, flowspec::Error> {
    let mut line = zeroize::Zeroizing::new(String::new());
    input
        .read_line(&mut line)
        .map_err(|source| flowspec::Error::Io {
            path: "standard input".into(),
            source,
        })?;
    Ok(zeroize::Zeroizing::new(line.trim().to_string()))
}
