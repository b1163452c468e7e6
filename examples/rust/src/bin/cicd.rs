//! Builds the CI/CD pipeline, validates it, writes it to disk, and checks
//! that what was written loads back to the same catalog.
//!
//! Usage: `cargo run -p flowspec-examples --bin cicd [OUT_DIR]` (default `out/cicd`).

use std::path::PathBuf;
use std::process::ExitCode;

use flowspec_examples::cicd;

fn main() -> ExitCode {
    let out = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "out/cicd".into()));
    match run(&out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error[{}]: {err}", err.code());
            ExitCode::from(1)
        }
    }
}

fn run(out: &std::path::Path) -> flowspec::Result<()> {
    let catalog = cicd::catalog()?;
    let warnings = catalog.validate()?;
    for w in &warnings {
        eprintln!("{w}");
    }

    std::fs::create_dir_all(out).map_err(|e| flowspec::Error::Write {
        path: out.display().to_string(),
        message: e.to_string(),
    })?;
    let module = out.join("full-outer-join.flow.ts");
    std::fs::write(&module, cicd::FULL_OUTER_JOIN_TS).map_err(|e| flowspec::Error::Write {
        path: module.display().to_string(),
        message: e.to_string(),
    })?;
    let target = out.join("flow.yaml");
    let written = catalog.write(&target, flowspec::write::Layout::Flat)?;

    let loaded = flowspec::Catalog::load(&target.display().to_string())?;
    loaded.validate()?;
    println!(
        "{} captures, {} collections, {} materializations, {} tests: valid",
        catalog.captures.len(),
        catalog.collections.len(),
        catalog.materializations.len(),
        catalog.tests.len()
    );
    for path in written {
        println!("wrote {}", path.display());
    }
    println!("wrote {}", module.display());
    Ok(())
}
