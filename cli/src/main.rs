//! `flowspec`: validate, bundle and describe Estuary Flow catalogs from CI.
//!
//! Only argument parsing and output formatting live here; everything else is
//! the `flowspec` crate.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use flowspec::secrets::split_recipients;
use flowspec::Format;

mod auth;
mod catalog;
mod report;
mod secrets;
mod serve;

/// Estuary Flow catalogs as code.
#[derive(Debug, Parser)]
#[command(name = "flowspec", version, about, long_about = None)]
struct Cli {
    /// The flowctl profile to use (else FLOWCTL_PROFILE, else `default`);
    /// `local` points at a control plane on this machine.
    #[arg(long, global = true, value_name = "NAME")]
    profile: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Load a catalog and check it offline; exit 1 and list every problem if it is invalid.
    ///
    /// Problems and warnings go to stderr, with a one-line summary; `--output
    /// json` prints one JSON document to stdout instead.
    Validate {
        /// The catalog file (flow.yaml or flow.json), or `-` for standard input.
        #[arg(long, short = 's', value_name = "FILE|-")]
        source: String,
        /// How to print problems.
        #[arg(long, short = 'o', value_enum, default_value_t = Output::Text)]
        output: Output,
        #[command(flatten)]
        root: RootArgs,
    },
    /// Print the catalog with every import and file reference inlined: what Estuary receives.
    Bundle {
        /// The catalog file (flow.yaml or flow.json), or `-` for standard input.
        #[arg(long, short = 's', value_name = "FILE|-")]
        source: String,
        #[command(flatten)]
        root: RootArgs,
        /// The output format.
        #[arg(long, short = 'f', value_name = "yaml|json", default_value_t = Format::Yaml)]
        format: Format,
        /// Encrypt configs holding plaintext secrets to these age recipients
        /// (else SOPS_AGE_RECIPIENTS, else .sops.yaml); configs already
        /// encrypted are printed as they are.
        #[arg(long, value_name = "R1,R2")]
        age: Option<String>,
        /// Print plaintext secrets unencrypted.
        #[arg(long, conflicts_with = "age")]
        plaintext_secrets: bool,
    },
    /// Write the TypeScript types of derivations (flow_generated/typescript/,
    /// deno.json) and stubs of their missing modules, migrations and
    /// lambdas, as `flowctl generate` does, without Docker.
    ///
    /// Existing modules and SQL files are never overwritten; nothing is
    /// written outside the project root.
    Generate {
        /// The catalog file (flow.yaml or flow.json).
        #[arg(long, short = 's', value_name = "FILE")]
        source: String,
        /// The project root (default: the source's directory, up through
        /// each parent that also holds a flow.yaml).
        #[arg(long, value_name = "DIR")]
        root: Option<std::path::PathBuf>,
        /// Print what would be written, and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Print the JSON schema of catalog files.
    Schema,
    /// Encrypt a JSON or YAML file with sops and age (prints it, or `--in-place`).
    Encrypt(secrets::EncryptArgs),
    /// Decrypt a sops file with the age identities sops would find, and print it.
    Decrypt(secrets::DecryptArgs),
    /// Generate an age identity file (readable only by you) and print its recipient.
    AgeKeygen(secrets::KeygenArgs),
    /// Sign in to Estuary's control plane, and show who is signed in.
    Auth(auth::AuthArgs),
    /// Publish, test, list, pull and delete specs on the control plane.
    Catalog(catalog::CatalogArgs),
    /// Drafts on the control plane: create, select, author, develop, test, publish.
    Draft(catalog::DraftArgs),
    /// Run a local control plane (PostgREST on :5431, the agent API on
    /// :8675, config encryption on :8765, as flowctl's `local` profile
    /// expects), printing its URLs and a FLOW_AUTH_TOKEN.
    Serve(serve::ServeArgs),
}

/// Which files a catalog may read.
#[derive(Debug, clap::Args)]
struct RootArgs {
    /// The directory file references must stay in (default: the project
    /// root, found from the source's directory up through each parent that
    /// also holds a flow.yaml).
    #[arg(long, value_name = "DIR")]
    root: Option<std::path::PathBuf>,
    /// Refuse to read any file outside of the root, rather than warn.
    #[arg(long)]
    deny_outside_root: bool,
}

impl RootArgs {
    fn load_options(self) -> flowspec::load::LoadOptions {
        flowspec::load::LoadOptions {
            root: self.root,
            deny_outside_root: self.deny_outside_root,
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Output {
    /// Lines for people.
    Text,
    /// One JSON document for machines.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            let _ = writeln!(std::io::stderr(), "{}", report::error(&err));
            ExitCode::from(1)
        }
    }
}

/// Writes `text` to stdout: a closed pipe (`| head`) ends the output
/// quietly, any other failure is an error.
fn print(stdout: &mut impl Write, text: &str) -> Result<(), flowspec::Error> {
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(err) => Err(flowspec::Error::Write {
            path: "standard output".into(),
            message: "printing the output".into(),
            source: Some(err),
        }),
    }
}

fn run(cli: Cli) -> Result<ExitCode, flowspec::Error> {
    let mut stdout = std::io::stdout().lock();
    match cli.command {
        Command::Validate {
            source,
            output,
            root,
        } => {
            let (catalog, diagnostics) =
                match flowspec::load::load_with(&source, &root.load_options()) {
                    Ok(catalog) => {
                        let diagnostics = match catalog.validate() {
                            Ok(warnings) => warnings,
                            Err(err) => err.diagnostics().to_vec(),
                        };
                        (Some(catalog), diagnostics)
                    }
                    Err(flowspec::Error::Load(diagnostics)) => (None, diagnostics),
                    Err(err) => return Err(err),
                };
            let valid = !diagnostics.iter().any(flowspec::Diagnostic::is_error);
            match output {
                Output::Text => {
                    let mut text = report::text(&diagnostics);
                    if let (true, Some(catalog)) = (valid, &catalog) {
                        text.push_str(&report::summary(catalog, &diagnostics));
                    }
                    let _ = write!(std::io::stderr(), "{text}");
                }
                Output::Json => print(&mut stdout, &report::json(valid, &diagnostics))?,
            }
            Ok(if valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Generate {
            source,
            root,
            dry_run,
        } => {
            let options = flowspec::generate::GenerateOptions { root, dry_run };
            let generated = flowspec::generate::generate(&source, &options)?;
            let verb = if dry_run { "would write" } else { "wrote" };
            let mut stderr = std::io::stderr();
            for file in &generated {
                let _ = writeln!(stderr, "{verb} {}", file.path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bundle {
            source,
            root,
            format,
            age,
            plaintext_secrets,
        } => {
            let mut catalog = flowspec::load::load_with(&source, &root.load_options())?;
            let warnings = flowspec::load::inline_references(&mut catalog)?;
            let _ = write!(std::io::stderr(), "{}", report::text(&warnings));
            // Never print a secret in plaintext unless asked to.
            let options = flowspec::write::WriteOptions {
                recipients: age.as_deref().map(split_recipients).unwrap_or_default(),
                plaintext_secrets,
                ..Default::default()
            };
            let text =
                flowspec::write::render_with(&catalog, format, &options, Path::new(&source))?;
            print(&mut stdout, &text)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Encrypt(args) => {
            print(&mut stdout, &secrets::encrypt(args)?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Decrypt(args) => {
            print(&mut stdout, &secrets::decrypt(args)?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::AgeKeygen(args) => {
            print(&mut stdout, &secrets::keygen(args)?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Auth(args) => {
            print(&mut stdout, &auth::run(args, cli.profile.as_deref())?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Catalog(args) => {
            drop(stdout);
            Ok(ExitCode::from(catalog::run(args, cli.profile.as_deref())?))
        }
        Command::Draft(args) => {
            drop(stdout);
            Ok(ExitCode::from(catalog::run_draft(
                args,
                cli.profile.as_deref(),
            )?))
        }
        Command::Serve(args) => {
            drop(stdout);
            serve::run(args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema => {
            let schema = flowspec::Catalog::json_schema();
            let text = serde_json::to_string_pretty(&schema).expect("a JSON value serializes");
            print(&mut stdout, &format!("{text}\n"))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
