//! Builds the "many tables" pipeline for N tables, validates it and writes
//! it to disk.
//!
//! Usage: `cargo run -p flowspec-examples --bin many_tables [N] [OUT_DIR]`
//! (default 25 tables into `out/many-tables`).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let n = match args.next().map(|a| a.parse::<usize>()) {
        None => 25,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("error: N must be a number of tables: {e}");
            return ExitCode::from(2);
        }
    };
    let out = PathBuf::from(args.next().unwrap_or_else(|| "out/many-tables".into()));
    match run(n, &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error[{}]: {err}", err.code());
            ExitCode::from(1)
        }
    }
}

fn run(n: usize, out: &std::path::Path) -> flowspec::Result<()> {
    let catalog = flowspec_examples::many_tables::catalog(n)?;
    catalog.validate()?;
    let written = catalog.write(out.join("flow.yaml"), flowspec::write::Layout::Flat)?;
    println!("{n} tables: valid");
    for path in &written.files {
        println!("wrote {}", path.display());
    }
    Ok(())
}
