//! Builds the CI/CD pipeline, validates it, and writes it to disk with its
//! Stripe token and Snowflake private key encrypted with sops to a new age
//! identity made in a temporary directory; then loads what was written,
//! validates it, and decrypts it back with that identity.
//!
//! Usage: `cargo run -p flowspec-examples --bin cicd [--plaintext-secrets] [OUT_DIR]`
//! (default `out/cicd`). `--plaintext-secrets` writes the secrets as plain
//! `_sops` values instead (what `tests/golden/cicd/flow.yaml` holds).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use flowspec::secrets::{self, Identities, SealOptions};
use flowspec::write::WriteOptions;
use flowspec::Catalog;
use flowspec_examples::cicd;

fn main() -> ExitCode {
    let mut plaintext = false;
    let mut out = PathBuf::from("out/cicd");
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--plaintext-secrets" => plaintext = true,
            flag if flag.starts_with('-') => {
                eprintln!(
                    "error: unknown option {flag}\nusage: cicd [--plaintext-secrets] [OUT_DIR]"
                );
                return ExitCode::from(2);
            }
            dir => out = PathBuf::from(dir),
        }
    }
    match run(&out, plaintext) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error[{}]: {err}", err.code());
            ExitCode::from(1)
        }
    }
}

fn io_error(path: &Path, e: std::io::Error) -> flowspec::Error {
    flowspec::Error::Write {
        path: path.display().to_string(),
        message: "writing the file".to_string(),
        source: Some(e),
    }
}

fn run(out: &Path, plaintext: bool) -> flowspec::Result<()> {
    // The catalog lives in `out`, beside the TypeScript module of its
    // derivation: its relative references resolve there.
    let mut catalog = cicd::catalog()?;
    catalog.set_base_dir(out)?;
    std::fs::create_dir_all(out).map_err(|e| io_error(out, e))?;
    let module = out.join("full-outer-join.flow.ts");
    std::fs::write(&module, cicd::FULL_OUTER_JOIN_TS).map_err(|e| io_error(&module, e))?;
    let totals = out.join("line-item-totals.flow.ts");
    std::fs::write(&totals, cicd::LINE_ITEM_TOTALS_TS).map_err(|e| io_error(&totals, e))?;
    for w in &catalog.validate()? {
        eprintln!("{w}");
    }
    println!(
        "{} captures, {} collections, {} materializations, {} tests: valid",
        catalog.captures.len(),
        catalog.collections.len(),
        catalog.materializations.len(),
        catalog.tests.len()
    );

    let target = out.join("flow.yaml");

    // A new age identity, only for this run.
    let keys = tempfile::tempdir().map_err(|e| io_error(Path::new("temporary directory"), e))?;
    let key_file = keys.path().join("keys.txt");
    let options = if plaintext {
        WriteOptions {
            plaintext_secrets: true,
            ..Default::default()
        }
    } else {
        let recipient = secrets::write_identity_file(&key_file, false)?;
        WriteOptions {
            recipients: vec![recipient],
            ..Default::default()
        }
    };
    let written = catalog.write_with(&target, &options)?;
    for path in &written.files {
        println!("wrote {}", path.display());
    }
    println!("wrote {}", module.display());
    println!("wrote {}", totals.display());

    let mut loaded = Catalog::load(&target.display().to_string())?;
    loaded.validate()?;
    if plaintext {
        return Ok(());
    }
    println!(
        "secrets: encrypted to {} (a temporary age identity)",
        options.recipients[0]
    );
    let count = secrets::open(&mut loaded, &Identities::from_file(&key_file)?)?;
    // The catalog as built, its secret markers turned into `_sops` values.
    let plain = SealOptions {
        plaintext: true,
        ..Default::default()
    };
    let built = secrets::seal(&catalog, &target, &plain)?;
    let same = built
        .captures
        .iter()
        .all(|(name, def)| loaded.captures[name].endpoint.config() == def.endpoint.config())
        && built.materializations.iter().all(|(name, def)| {
            loaded.materializations[name].endpoint.config() == def.endpoint.config()
        });
    if !same {
        return Err(flowspec::Error::invalid_spec(
            "secrets",
            "the decrypted catalog differs from the one built",
        ));
    }
    println!("secrets: {count} configs decrypt back to the catalog as built");
    Ok(())
}
