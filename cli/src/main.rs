//! `flowspec`: validate, bundle and describe Estuary Flow catalogs from CI.
//!
//! Only argument parsing and output formatting live here; everything else is
//! the `flowspec` crate.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use flowspec::secrets::split_recipients;

mod report;
mod secrets;

/// Estuary Flow catalogs as code.
#[derive(Debug, Parser)]
#[command(name = "flowspec", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Load a catalog and check it offline; exit 1 and list every problem if it is invalid.
    Validate {
        /// The catalog file (flow.yaml or flow.json), or `-` for standard input.
        #[arg(long, short = 's', value_name = "FILE|-")]
        source: String,
        /// How to print problems.
        #[arg(long, short = 'o', value_enum, default_value_t = Output::Text)]
        output: Output,
    },
    /// Print the catalog with every import and file reference inlined: what Estuary receives.
    Bundle {
        /// The catalog file (flow.yaml or flow.json), or `-` for standard input.
        #[arg(long, short = 's', value_name = "FILE|-")]
        source: String,
        /// The output format.
        #[arg(long, short = 'f', value_enum, default_value_t = Format::Yaml)]
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
    /// Print the JSON schema of catalog files.
    Schema,
    /// Encrypt a JSON or YAML file with sops and age (prints it, or `--in-place`).
    Encrypt(secrets::EncryptArgs),
    /// Decrypt a sops file with the age identities sops would find, and print it.
    Decrypt(secrets::DecryptArgs),
    /// Generate an age identity file (readable only by you) and print its recipient.
    AgeKeygen(secrets::KeygenArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Output {
    /// Lines for people.
    Text,
    /// One JSON document for machines.
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// YAML.
    Yaml,
    /// JSON.
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

fn run(cli: Cli) -> Result<ExitCode, flowspec::Error> {
    let mut stdout = std::io::stdout().lock();
    match cli.command {
        Command::Validate { source, output } => {
            let diagnostics = match flowspec::load::load(&source) {
                Ok(catalog) => flowspec::validate::validate(&catalog),
                Err(flowspec::Error::Load(diagnostics)) => diagnostics,
                Err(err) => return Err(err),
            };
            let valid = !diagnostics.iter().any(flowspec::Diagnostic::is_error);
            let text = match output {
                Output::Text => report::text(&diagnostics),
                Output::Json => report::json(valid, &diagnostics),
            };
            if valid && matches!(output, Output::Text) {
                // Warnings go to stderr so stdout stays quiet for a valid catalog.
                let _ = write!(std::io::stderr(), "{text}");
            } else {
                let _ = write!(stdout, "{text}");
            }
            Ok(if valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Bundle {
            source,
            format,
            age,
            plaintext_secrets,
        } => {
            let catalog = flowspec::load::load(&source)?;
            // Never print a secret in plaintext unless asked to.
            let options = flowspec::secrets::SealOptions {
                recipients: age.as_deref().map(split_recipients).unwrap_or_default(),
                plaintext: plaintext_secrets,
            };
            let sealed = flowspec::secrets::seal(&catalog, Path::new(&source), &options)?;
            let text = match format {
                Format::Yaml => flowspec::write::to_yaml(&sealed),
                Format::Json => flowspec::write::to_json(&sealed),
            };
            let _ = stdout.write_all(text.as_bytes());
            Ok(ExitCode::SUCCESS)
        }
        Command::Encrypt(args) => secrets::encrypt(args, &mut stdout).map(|()| ExitCode::SUCCESS),
        Command::Decrypt(args) => secrets::decrypt(args, &mut stdout).map(|()| ExitCode::SUCCESS),
        Command::AgeKeygen(args) => secrets::keygen(args, &mut stdout).map(|()| ExitCode::SUCCESS),
        Command::Schema => {
            let schema = flowspec::Catalog::json_schema();
            let text = serde_json::to_string_pretty(&schema).expect("a JSON value serializes");
            let _ = writeln!(stdout, "{text}");
            Ok(ExitCode::SUCCESS)
        }
    }
}
