//! `flowspec serve`: a local control plane, until interrupted.

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;

use flowspec::client::ProfileFile;
use flowspec_server::{ControlPlane, Options};

/// Where the local control plane listens and keeps its state.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The SQLite file to keep its state in across restarts (default: in
    /// memory).
    #[arg(long, value_name = "FILE")]
    db: Option<PathBuf>,
    /// The address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    bind: IpAddr,
    /// PostgREST's port (0 picks a free one).
    #[arg(long, value_name = "N", default_value_t = 5431)]
    pg_port: u16,
    /// The agent API's port.
    #[arg(long, value_name = "N", default_value_t = 8675)]
    agent_port: u16,
    /// The config-encryption service's port.
    #[arg(long, value_name = "N", default_value_t = 8765)]
    encryption_port: u16,
    /// A directory of connector files whose endpoint schemas are served
    /// besides the built-in ones (source-postgres, materialize-snowflake,
    /// …): every `*.json` in it is one image, `{"image":
    /// "ghcr.io/acme/source-x", "tags": [":v1", ":dev"], "defaultTag": ":v1",
    /// "endpointSpecSchema": {…}}` (`defaultTag` is optional: the first tag).
    /// Secrets are the schema's `"secret": true` fields.
    #[arg(long, value_name = "DIR")]
    connectors: Option<PathBuf>,
    /// Also write this profile, pointing at this control plane with its
    /// token, for flowspec and flowctl to use (`--profile NAME`).
    #[arg(long, value_name = "NAME")]
    write_profile: Option<String>,
}

/// Starts the control plane, prints where it listens and its token, and
/// serves until Ctrl-C.
pub fn run(args: ServeArgs) -> Result<(), flowspec::Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|err| flowspec::client::ClientError::LocalControlPlane(err.to_string()))?;
    runtime.block_on(async {
        let options = Options {
            db: args.db,
            bind: args.bind,
            pg_port: args.pg_port,
            agent_port: args.agent_port,
            encryption_port: args.encryption_port,
            connectors: args.connectors,
        };
        let plane = ControlPlane::start(options)
            .await
            .map_err(|err| flowspec::client::ClientError::LocalControlPlane(err.to_string()))?;
        if let Some(name) = &args.write_profile {
            let env = std::env::vars_os().collect();
            ProfileFile::locate(name, &env)?.save(&plane.profile())?;
        }
        let mut stdout = std::io::stdout().lock();
        crate::print(&mut stdout, &plane.banner())?;
        drop(stdout);
        let _ = std::io::stderr().flush();
        let _ = tokio::signal::ctrl_c().await;
        plane.stop().await;
        Ok(())
    })
}
