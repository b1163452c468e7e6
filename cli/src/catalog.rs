//! `flowspec catalog`: publish, test remotely, diff, list, pull and delete
//! specs on a control plane, as flowctl's `catalog` commands do.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use flowspec::client::connection::Connection;
use flowspec::client::drafts;
use flowspec::client::live::{self, Filter, LiveSpec, PullOptions};
use flowspec::client::publication::{self, Event, Observer, PublishOptions, Published, StagedSpec};
use flowspec::client::{ClientError, FlowId, Session};
use flowspec::Kind;

use crate::report;

/// Publish, test, list, pull and delete specs on the control plane.
#[derive(Debug, clap::Args)]
pub struct CatalogArgs {
    #[command(subcommand)]
    command: CatalogCommand,
}

#[derive(Debug, clap::Subcommand)]
enum CatalogCommand {
    /// Validate a catalog, stage it in a draft and publish it.
    Publish {
        #[command(flatten)]
        source: SourceArgs,
        /// Publish without asking (needed without a terminal).
        #[arg(long)]
        auto_approve: bool,
        /// Leave `expectPubId` in the source files as it is, rather than
        /// setting it to the new publication id.
        #[arg(long)]
        no_update_pub_ids: bool,
        /// How to print what is published: a table of the specs, or the
        /// publication (id, pub id, specs, pruned, logs) as JSON or YAML.
        #[arg(long, short = 'o', value_enum, default_value_t = Records::Table)]
        output: Records,
    },
    /// Run a catalog's tests: locally, or on the control plane as a
    /// dry-run publication (`--remote`).
    Test {
        #[command(flatten)]
        source: SourceArgs,
        /// Run the tests on the control plane, as a dry-run publication.
        #[arg(long)]
        remote: bool,
        /// Run only this test (repeatable).
        #[arg(long = "test", value_name = "NAME", conflicts_with = "remote")]
        tests: Vec<String>,
        /// Write the actual documents of each verify step to
        /// DIR/<test>/verify-<step>.json.
        #[arg(long, value_name = "DIR", conflicts_with = "remote")]
        snapshot: Option<PathBuf>,
        /// How to print the results (locally: the report, or the results
        /// as JSON or YAML; remotely: the specs tested, or the dry run).
        #[arg(long, short = 'o', value_enum, default_value_t = Records::Table)]
        output: Records,
    },
    /// Compare a catalog with the live specs: what publishing it would
    /// create, change and delete. Exit status 0: no changes; 2: changes;
    /// 1: an error. Secrets are never shown.
    Diff {
        /// The catalog file (flow.yaml or flow.json).
        #[arg(long, short = 's', value_name = "FILE")]
        source: String,
        /// How to print the plan: the changes, or the plan as JSON or YAML.
        #[arg(long, short = 'o', value_enum, default_value_t = Records::Table)]
        output: Records,
    },
    /// The publications of a live (or deleted) spec, newest first.
    History {
        /// The catalog name.
        #[arg(long, value_name = "NAME")]
        name: String,
        /// Include the model each publication published (in JSON or YAML).
        #[arg(long)]
        models: bool,
        /// How to print them.
        #[arg(long, short = 'o', value_enum, default_value_t = Records::Table)]
        output: Records,
    },
    /// The status of live specs.
    Status {
        /// Catalog names.
        #[arg(value_name = "NAME", required = true)]
        names: Vec<String>,
        /// Also the specs they read from, write to, are read or written by.
        #[arg(long)]
        connected: bool,
        /// How to print them (JSON and YAML include the controller's status).
        #[arg(long, short = 'o', value_enum, default_value_t = Records::Table)]
        output: Records,
    },
    /// Copy a live spec (or its deletion) into the selected draft.
    Draft {
        /// The catalog name.
        #[arg(long, value_name = "NAME")]
        name: String,
        /// The spec as this publication published it, rather than as live.
        #[arg(long, value_name = "ID", conflicts_with = "delete")]
        publication_id: Option<String>,
        /// Stage its deletion.
        #[arg(long)]
        delete: bool,
    },
    /// List live specs.
    List {
        #[command(flatten)]
        select: SelectArgs,
        /// How to print them.
        #[arg(long, short = 'o', value_enum, default_value_t = Records::Table)]
        output: Records,
    },
    /// Pull live specs into local catalog files.
    PullSpecs {
        #[command(flatten)]
        select: SelectArgs,
        #[command(flatten)]
        into: TargetArgs,
        /// Also write the program that builds the pulled catalog with
        /// flowspec, beside the target (flow.py, flow.ts or main.rs), as
        /// `catalog codegen` does.
        #[arg(long = "as", value_enum, value_name = "LANG")]
        lang: Option<Lang>,
    },
    /// Write a program that builds the catalog with flowspec's DSL in
    /// Python, TypeScript or Rust, and writes it again when run.
    ///
    /// File references (schemas, modules, SQL) stay references, written to
    /// resolve from the program's directory (`--out`'s, else the source's),
    /// where it is meant to run. Secrets become `secret(...)` of
    /// environment variables the program names, never their values.
    Codegen {
        /// The catalog file (flow.yaml or flow.json).
        #[arg(long, short = 's', value_name = "FILE")]
        source: String,
        /// The language.
        #[arg(long, value_enum, value_name = "LANG")]
        lang: Lang,
        /// Write the program to this file (else print it).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Delete live specs, in one publication.
    Delete {
        #[command(flatten)]
        select: SelectArgs,
        /// Delete without typing `delete` to confirm.
        #[arg(long)]
        dangerous_auto_approve: bool,
        /// How to print the specs deleted.
        #[arg(long, short = 'o', value_enum, default_value_t = Records::Table)]
        output: Records,
    },
}

/// Drafts kept on the control plane: the selected one is remembered in
/// the profile, as flowctl does.
#[derive(Debug, clap::Args)]
pub struct DraftArgs {
    #[command(subcommand)]
    command: DraftCommand,
}

#[derive(Debug, clap::Subcommand)]
enum DraftCommand {
    /// Create an empty draft, and select it.
    Create,
    /// Select a draft.
    Select {
        /// Its id.
        #[arg(long)]
        id: String,
    },
    /// List your drafts (`*` marks the selected one).
    List {
        /// How to print them.
        #[arg(long, short = 'o', value_enum, default_value_t = Records::Table)]
        output: Records,
    },
    /// The specs of the selected draft.
    Describe {
        /// How to print them.
        #[arg(long, short = 'o', value_enum, default_value_t = Records::Table)]
        output: Records,
    },
    /// Replace the selected draft's specs with a catalog's.
    Author {
        /// The catalog file (flow.yaml or flow.json).
        #[arg(long, short = 's', value_name = "FILE")]
        source: String,
        /// Stage sops-encrypted configs as they are.
        #[arg(long)]
        keep_sops: bool,
    },
    /// Pull the selected draft's specs into local catalog files.
    Develop {
        #[command(flatten)]
        into: TargetArgs,
    },
    /// Test the selected draft: a dry-run publication.
    Test,
    /// Publish the selected draft, and clear the selection.
    Publish {
        /// The data plane of specs that are not live yet.
        #[arg(long, alias = "init-data-plane", value_name = "NAME")]
        default_data_plane: Option<String>,
    },
    /// Delete the selected draft, and clear the selection.
    Delete,
}

/// Where specs are pulled to, and how they are placed.
/// A language of generated programs.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Lang {
    Python,
    Typescript,
    Rust,
}

impl From<Lang> for flowspec::codegen::Lang {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::Python => flowspec::codegen::Lang::Python,
            Lang::Typescript => flowspec::codegen::Lang::Typescript,
            Lang::Rust => flowspec::codegen::Lang::Rust,
        }
    }
}

/// Writes (or prints, without `out`) the program in `lang` that builds the
/// catalog at `source`, and says which environment variables it reads.
fn codegen(source: &str, lang: Lang, out: Option<&std::path::Path>) -> Result<(), flowspec::Error> {
    let program = flowspec::codegen::codegen_file(source, lang.into(), out)?;
    let mut stderr = std::io::stderr();
    match out {
        Some(out) => {
            program.write(out)?;
            let _ = writeln!(stderr, "Wrote {}.", out.display());
        }
        None => crate::print(&mut std::io::stdout().lock(), &program.text)?,
    }
    if !program.secrets.is_empty() {
        let _ = writeln!(
            stderr,
            "The program reads these secrets from the environment:"
        );
        for var in &program.secrets {
            let _ = writeln!(stderr, "  {var}");
        }
    }
    Ok(())
}

#[derive(Debug, clap::Args)]
struct TargetArgs {
    /// The catalog file to pull into (created when missing).
    #[arg(long, value_name = "FILE", default_value = "flow.yaml")]
    target: PathBuf,
    /// Replace specs already in the local files, in place.
    #[arg(long)]
    overwrite: bool,
    /// Write new specs into the target file itself, not a `flow.yaml`
    /// per prefix.
    #[arg(long)]
    flat: bool,
}

impl TargetArgs {
    fn options(&self) -> PullOptions {
        PullOptions {
            overwrite: self.overwrite,
            flat: self.flat,
        }
    }
}

/// The catalog to publish or test, and how.
#[derive(Debug, clap::Args)]
struct SourceArgs {
    /// The catalog file (flow.yaml or flow.json).
    #[arg(long, short = 's', value_name = "FILE")]
    source: String,
    /// The data plane of specs that are not live yet.
    #[arg(long, alias = "init-data-plane", value_name = "NAME")]
    default_data_plane: Option<String>,
    /// Stage sops-encrypted configs as they are (for data planes that hold
    /// their age key), rather than re-encrypting them through the control
    /// plane's service.
    #[arg(long)]
    keep_sops: bool,
}

/// Which live specs.
#[derive(Debug, clap::Args)]
struct SelectArgs {
    /// A catalog name (repeatable).
    #[arg(long, value_name = "NAME", conflicts_with = "prefix")]
    name: Vec<String>,
    /// A name prefix (repeatable).
    #[arg(long, value_name = "PREFIX")]
    prefix: Vec<String>,
    /// Only captures (with the other kind flags: those kinds).
    #[arg(long)]
    captures: bool,
    /// Only collections.
    #[arg(long)]
    collections: bool,
    /// Only materializations.
    #[arg(long)]
    materializations: bool,
    /// Only tests.
    #[arg(long)]
    tests: bool,
}

impl SelectArgs {
    fn filter(self) -> Filter {
        let kinds = [
            (self.captures, Kind::Capture),
            (self.collections, Kind::Collection),
            (self.materializations, Kind::Materialization),
            (self.tests, Kind::Test),
        ]
        .into_iter()
        .filter_map(|(on, kind)| on.then_some(kind))
        .collect();
        Filter {
            names: self.name,
            prefixes: self.prefix,
            kinds,
        }
    }
}

/// Runs a catalog's tests locally and prints the results: exit status 0
/// only if every test passed.
fn test_locally(
    source: &str,
    tests: Vec<String>,
    snapshot: Option<PathBuf>,
    output: Records,
) -> Result<u8, flowspec::Error> {
    let catalog = flowspec::Catalog::load(source)?;
    let options = flowspec::testing::TestOptions {
        tests,
        snapshot,
        ..Default::default()
    };
    let results = flowspec::testing::run(&catalog, &options)?;
    let text = match output {
        Records::Table => results.render(),
        Records::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&results).expect("results are JSON")
        ),
        Records::Yaml => flowspec::secrets::render_document(
            &serde_json::to_value(&results).expect("results are JSON"),
            flowspec::Format::Yaml,
        ),
    };
    crate::print(&mut std::io::stdout().lock(), &text)?;
    if results.ok() {
        Ok(0)
    } else {
        eprintln!("failed tests: [{}]", results.failures().join(", "));
        Ok(1)
    }
}

/// How records are printed.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Records {
    /// A table.
    Table,
    /// JSON.
    Json,
    /// YAML.
    Yaml,
}

/// Runs a `catalog` command with the profile `profile`; returns the exit
/// status.
pub fn run(args: CatalogArgs, profile: Option<&str>) -> Result<u8, flowspec::Error> {
    if let CatalogCommand::Test {
        source,
        remote: false,
        tests,
        snapshot,
        output,
    } = args.command
    {
        return test_locally(&source.source, tests, snapshot, output);
    }
    if let CatalogCommand::Codegen { source, lang, out } = &args.command {
        codegen(source, *lang, out.as_deref())?;
        return Ok(0);
    }
    let (connection, runtime) = connect(profile)?;
    runtime.block_on(async move {
        match args.command {
            CatalogCommand::Publish {
                source,
                auto_approve,
                no_update_pub_ids,
                output,
            } => {
                if !auto_approve && !std::io::stdin().is_terminal() {
                    return Err(ClientError::Cancelled(
                        "The publish command must be run interactively unless the \
                         `--auto-approve` flag is provided"
                            .into(),
                    )
                    .into());
                }
                let update = !no_update_pub_ids;
                publish(&connection, source, false, auto_approve, update, output).await
            }
            CatalogCommand::Test { source, output, .. } => {
                publish(&connection, source, true, true, false, output).await
            }
            CatalogCommand::Codegen { .. } => unreachable!("generated before connecting"),
            CatalogCommand::Diff { source, output } => {
                let catalog = flowspec::Catalog::load(&source)?;
                let plan = catalog
                    .plan(&connection, std::path::Path::new(&source), None)
                    .await?;
                let text = match output {
                    Records::Table => plan.render(),
                    Records::Json => format!(
                        "{}\n",
                        serde_json::to_string_pretty(&plan).expect("a plan is JSON")
                    ),
                    Records::Yaml => flowspec::secrets::render_document(
                        &serde_json::to_value(&plan).expect("a plan is JSON"),
                        flowspec::Format::Yaml,
                    ),
                };
                crate::print(&mut std::io::stdout().lock(), &text)?;
                Ok(if plan.has_changes() { 2 } else { 0 })
            }
            CatalogCommand::History {
                name,
                models,
                output,
            } => {
                let items = flowspec::client::history::history(&connection, &name, models).await?;
                let header = ["Publication", "Published at", "User", "Detail"];
                let text = render(&items, output, &header, |i| {
                    [
                        i.publication_id.clone(),
                        i.published_at.clone(),
                        i.user_email.clone().unwrap_or_default(),
                        i.detail.clone().unwrap_or_default(),
                    ]
                });
                crate::print(&mut std::io::stdout().lock(), &text)?;
                Ok(0)
            }
            CatalogCommand::Status {
                names,
                connected,
                output,
            } => {
                let full = !matches!(output, Records::Table);
                let statuses =
                    flowspec::client::status::status(&connection, &names, connected, full).await?;
                let header = ["Name", "Type", "Status", "Message", "Live Spec Updated At"];
                let text = render(&statuses, output, &header, |s| {
                    [
                        s.catalog_name.clone(),
                        s.catalog_type.clone().unwrap_or_default(),
                        s.status.clone().unwrap_or_default(),
                        s.summary.clone().unwrap_or_default(),
                        s.updated_at.clone().unwrap_or_default(),
                    ]
                });
                crate::print(&mut std::io::stdout().lock(), &text)?;
                Ok(0)
            }
            CatalogCommand::Draft {
                name,
                publication_id,
                delete,
            } => {
                let id = drafts::selected(&connection).await?;
                let publication = publication_id
                    .map(|p| p.parse::<FlowId>())
                    .transpose()
                    .map_err(|e| {
                        flowspec::Error::invalid_spec("--publication-id", e.to_string())
                    })?;
                drafts::add_live(&connection, id, &name, publication, delete).await?;
                let what = if delete { "its deletion" } else { "the spec" };
                let _ = writeln!(std::io::stderr(), "Staged {what} of {name} in draft {id}");
                Ok(0)
            }
            CatalogCommand::List { select, output } => {
                let specs = live::list(&connection, &select.filter(), false).await?;
                crate::print(&mut std::io::stdout().lock(), &records(&specs, output))?;
                Ok(0)
            }
            CatalogCommand::PullSpecs { select, into, lang } => {
                let pulled =
                    live::pull_specs(&connection, &select.filter(), &into.target, into.options())
                        .await?;
                let _ = writeln!(
                    std::io::stderr(),
                    "Wrote {} specifications under {}.",
                    pulled.written,
                    into.target.display()
                );
                if let Some(lang) = lang {
                    let dir = into.target.parent().unwrap_or(std::path::Path::new(""));
                    let program = dir.join(flowspec::codegen::Lang::from(lang).file_name());
                    let source = into.target.display().to_string();
                    codegen(&source, lang, Some(&program))?;
                }
                Ok(0)
            }
            CatalogCommand::Delete {
                select,
                dangerous_auto_approve,
                output,
            } => delete(&connection, select.filter(), dangerous_auto_approve, output).await,
        }
    })
}

/// A connection with the profile `profile`, and a runtime to use it on.
fn connect(
    profile: Option<&str>,
) -> Result<(Connection, tokio::runtime::Runtime), flowspec::Error> {
    let env = std::env::vars_os().collect();
    let session = Session::open(profile, &env)?;
    let connection = Connection::new(session)?;
    // Two threads: one may wait at the prompt while the other hears Ctrl-C.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| flowspec::Error::Io {
            path: "the runtime".into(),
            source: e,
        })?;
    Ok((connection, runtime))
}

/// Runs a `draft` command with the profile `profile`; returns the exit
/// status.
pub fn run_draft(args: DraftArgs, profile: Option<&str>) -> Result<u8, flowspec::Error> {
    let (connection, runtime) = connect(profile)?;
    runtime.block_on(async move {
        let mut stdout = std::io::stdout().lock();
        let mut stderr = std::io::stderr();
        match args.command {
            DraftCommand::Create => {
                let id = drafts::create(&connection).await?;
                drafts::remember(&connection, Some(id)).await?;
                let _ = writeln!(stderr, "Created draft: {id}");
                crate::print(&mut stdout, &format!("{id}\n"))?;
            }
            DraftCommand::Select { id } => {
                let id: FlowId = id.parse().map_err(|e: flowspec::client::FlowIdError| {
                    flowspec::Error::invalid_spec("--id", e.to_string())
                })?;
                drafts::select(&connection, id).await?;
                drafts::remember(&connection, Some(id)).await?;
                let _ = writeln!(stderr, "Selected draft: {id}");
            }
            DraftCommand::List { output } => {
                let current = drafts::selected(&connection)
                    .await
                    .ok()
                    .map(|d| d.to_string());
                let items = drafts::list(&connection).await?;
                let header = ["", "Id", "Created", "Updated", "Specs", "Detail"];
                let text = render(&items, output, &header, |d| {
                    [
                        if current.as_deref() == Some(d.id.as_str()) {
                            "*"
                        } else {
                            ""
                        }
                        .into(),
                        d.id.clone(),
                        d.created_at.clone(),
                        d.updated_at.clone(),
                        d.num_specs.to_string(),
                        d.detail.clone().unwrap_or_default(),
                    ]
                });
                crate::print(&mut stdout, &text)?;
            }
            DraftCommand::Describe { output } => {
                let id = drafts::selected(&connection).await?;
                let specs = drafts::describe(&connection, id).await?;
                let header = ["Name", "Type", "Expect publication", "Updated"];
                let text = render(&specs, output, &header, |s| {
                    [
                        s.catalog_name.clone(),
                        s.spec_type.clone().unwrap_or_else(|| "deletion".into()),
                        s.expectation(),
                        s.updated_at.clone().unwrap_or_default(),
                    ]
                });
                crate::print(&mut stdout, &text)?;
            }
            DraftCommand::Author { source, keep_sops } => {
                let id = drafts::selected(&connection).await?;
                let catalog = flowspec::Catalog::load(&source)?;
                let options = PublishOptions {
                    keep_sops,
                    ..PublishOptions::default()
                };
                let (_, interrupted) = cancel_on_interrupt();
                let mut display = Display::new(false, true, Records::Table, interrupted);
                let staged = drafts::author(
                    &connection,
                    id,
                    &catalog,
                    std::path::Path::new(&source),
                    &options,
                    &mut display,
                )
                .await;
                display.finish_progress();
                let _ = writeln!(stderr, "Authored {} specs into draft {id}", staged?);
            }
            DraftCommand::Develop { into } => {
                let id = drafts::selected(&connection).await?;
                let (written, _) =
                    drafts::develop(&connection, id, &into.target, into.options()).await?;
                let _ = writeln!(
                    stderr,
                    "Wrote {written} specifications under {}.",
                    into.target.display()
                );
            }
            DraftCommand::Test => {
                let id = drafts::selected(&connection).await?;
                let (cancel, interrupted) = cancel_on_interrupt();
                let options = PublishOptions {
                    dry_run: true,
                    cancel: Some(cancel),
                    ..PublishOptions::default()
                };
                let mut display = Display::new(true, true, Records::Table, interrupted);
                let published = drafts::publish(&connection, id, &options, &mut display).await?;
                finish(&published);
            }
            DraftCommand::Publish { default_data_plane } => {
                let id = drafts::selected(&connection).await?;
                let (cancel, interrupted) = cancel_on_interrupt();
                let options = PublishOptions {
                    default_data_plane,
                    cancel: Some(cancel),
                    ..PublishOptions::default()
                };
                let mut display = Display::new(false, true, Records::Table, interrupted);
                let published = drafts::publish(&connection, id, &options, &mut display).await?;
                finish(&published);
                if published.status == "success" {
                    drafts::remember(&connection, None).await?;
                }
            }
            DraftCommand::Delete => {
                let id = drafts::selected(&connection).await?;
                publication::delete_draft(&connection, id).await?;
                drafts::remember(&connection, None).await?;
                let _ = writeln!(stderr, "Deleted draft: {id}");
            }
        }
        Ok(0)
    })
}

/// Ctrl-C cancels: the draft is deleted before the command ends. The
/// receiver turns true, and so does the flag a prompt waits on.
fn cancel_on_interrupt() -> (tokio::sync::watch::Receiver<bool>, Arc<AtomicBool>) {
    let (send, receive) = tokio::sync::watch::channel(false);
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = interrupted.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            flag.store(true, Ordering::SeqCst);
            let _ = writeln!(std::io::stderr(), "\nCancelling");
            let _ = send.send(true);
        }
    });
    (receive, interrupted)
}

async fn publish(
    connection: &Connection,
    args: SourceArgs,
    dry_run: bool,
    auto_approve: bool,
    update_pub_ids: bool,
    output: Records,
) -> Result<u8, flowspec::Error> {
    let catalog = flowspec::Catalog::load(&args.source)?;
    let (cancel, interrupted) = cancel_on_interrupt();
    let options = PublishOptions {
        dry_run,
        default_data_plane: args.default_data_plane,
        keep_sops: args.keep_sops,
        cancel: Some(cancel),
        ..PublishOptions::default()
    };
    let mut display = Display::new(dry_run, auto_approve, output, interrupted);
    let outcome = publication::publish(
        connection,
        &catalog,
        std::path::Path::new(&args.source),
        &options,
        &mut display,
    )
    .await;
    display.finish_progress();
    let published = outcome?;
    finish(&published);
    if update_pub_ids {
        let updated = publication::refresh_pub_ids(&catalog, &published)?;
        let mut stderr = std::io::stderr();
        if let (false, Some(id)) = (updated.files.is_empty(), published.pub_id) {
            let _ = writeln!(stderr, "Updated expectPubId to {id} in:");
            for file in &updated.files {
                let _ = writeln!(stderr, "  {}", file.display());
            }
        }
        for (name, why) in &updated.skipped {
            let _ = writeln!(
                stderr,
                "warning: the expectPubId of {name} was not updated: {why}"
            );
        }
    }
    print_publication(&published, output)?;
    Ok(0)
}

/// The publication as JSON or YAML on stdout (a table was printed before).
fn print_publication(published: &Published, output: Records) -> Result<(), flowspec::Error> {
    let value = serde_json::to_value(published).expect("a publication serializes");
    let text = match output {
        Records::Table => return Ok(()),
        Records::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&value).expect("JSON prints")
        ),
        Records::Yaml => flowspec::secrets::render_document(&value, flowspec::Format::Yaml),
    };
    crate::print(&mut std::io::stdout().lock(), &text)
}

fn finish(published: &Published) {
    let mut stderr = std::io::stderr();
    if published.status == "nothingToPublish" {
        let _ = writeln!(
            stderr,
            "No specs would be changed by this publication, nothing to publish."
        );
    } else if published.dry_run {
        let _ = writeln!(stderr, "Tests successful");
    } else {
        let _ = writeln!(stderr, "Publish successful");
    }
}

async fn delete(
    connection: &Connection,
    filter: Filter,
    auto_approve: bool,
    output: Records,
) -> Result<u8, flowspec::Error> {
    let specs = live::list(connection, &filter, false).await?;
    if specs.is_empty() {
        let _ = writeln!(std::io::stderr(), "No specs matched; nothing to delete.");
        return Ok(0);
    }
    if matches!(output, Records::Table) {
        crate::print(
            &mut std::io::stdout().lock(),
            &records(&specs, Records::Table),
        )?;
    }
    if !auto_approve {
        if !std::io::stdin().is_terminal() {
            return Err(ClientError::Cancelled(
                "catalog delete must be run interactively unless the `--dangerous-auto-approve` \
                 flag is provided"
                    .into(),
            )
            .into());
        }
        let mut stderr = std::io::stderr();
        let _ = write!(
            stderr,
            "Type 'delete' to delete the {} spec(s) above: ",
            specs.len()
        );
        let _ = stderr.flush();
        let mut line = String::new();
        let _ = std::io::stdin().lock().read_line(&mut line);
        if line.trim() != "delete" {
            let _ = writeln!(stderr, "Cancelling");
            return Err(ClientError::Cancelled("delete cancelled".into()).into());
        }
    }
    let (cancel, interrupted) = cancel_on_interrupt();
    let options = PublishOptions {
        cancel: Some(cancel),
        detail: concat!("Deleted via flowspec (", env!("CARGO_PKG_VERSION"), ")").into(),
        ..PublishOptions::default()
    };
    let mut display = Display::new(false, true, output, interrupted);
    let (published, deleted) = live::delete(connection, &filter, &options, &mut display).await?;
    display.finish_progress();
    let _ = writeln!(
        std::io::stderr(),
        "successfully deleted {} spec(s)",
        deleted.len()
    );
    print_publication(&published, output)?;
    Ok(0)
}

/// Live specs as `output` says.
fn records(specs: &[LiveSpec], output: Records) -> String {
    render(
        specs,
        output,
        &["Name", "Type", "Last publication", "Updated"],
        |s| {
            [
                s.catalog_name.clone(),
                s.catalog_type.singular().to_string(),
                s.last_pub_id.to_string(),
                s.updated_at.clone(),
            ]
        },
    )
}

/// `items` as JSON, YAML, or a table of `header` with a row of each.
fn render<T: serde::Serialize, const N: usize>(
    items: &[T],
    output: Records,
    header: &[&str; N],
    row: impl Fn(&T) -> [String; N],
) -> String {
    match output {
        Records::Json => {
            let mut text = serde_json::to_string_pretty(items).expect("records serialize");
            text.push('\n');
            text
        }
        Records::Yaml => flowspec::secrets::render_document(
            &serde_json::to_value(items).expect("records serialize"),
            flowspec::Format::Yaml,
        ),
        Records::Table => table(header, &items.iter().map(row).collect::<Vec<_>>()),
    }
}

/// A text table: a header, a rule, and aligned columns.
fn table<const N: usize>(header: &[&str; N], rows: &[[String; N]]) -> String {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut text = cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<width$}", width = widths[i]))
            .collect::<Vec<_>>()
            .join(" | ");
        text = text.trim_end().to_string();
        text.push('\n');
        text
    };
    let mut text = line(header.to_vec());
    text.push_str(&line(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    ));
    for row in rows {
        text.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    text
}

fn staged_table(specs: &[StagedSpec]) -> String {
    let rows: Vec<[String; 2]> = specs
        .iter()
        .map(|s| {
            [
                s.catalog_name.clone(),
                s.spec_type.clone().unwrap_or_else(|| "deletion".into()),
            ]
        })
        .collect();
    table(&["Name", "Type"], &rows)
}

/// What `catalog publish` and `catalog test` show: flowctl's lines, a
/// progress line on a terminal while staging, and the prompt.
struct Display {
    dry_run: bool,
    auto_approve: bool,
    /// Whether specs are shown as a table (else the result is printed as
    /// JSON or YAML at the end).
    table: bool,
    terminal: bool,
    progress: bool,
    /// Staging requests so far.
    requests: usize,
    /// Whether the plan showed no changes (what is published anyway is
    /// only encrypted anew).
    unchanged: bool,
    /// Set by Ctrl-C.
    interrupted: Arc<AtomicBool>,
}

impl Display {
    fn new(
        dry_run: bool,
        auto_approve: bool,
        output: Records,
        interrupted: Arc<AtomicBool>,
    ) -> Self {
        Display {
            dry_run,
            auto_approve,
            table: matches!(output, Records::Table),
            terminal: std::io::stderr().is_terminal(),
            progress: false,
            requests: 0,
            unchanged: false,
            interrupted,
        }
    }

    fn finish_progress(&mut self) {
        if self.progress {
            let _ = writeln!(std::io::stderr());
            self.progress = false;
        }
    }
}

impl Observer for Display {
    fn event(&mut self, event: Event) {
        let mut stderr = std::io::stderr();
        if !matches!(event, Event::Staged { .. }) {
            self.finish_progress();
        }
        match event {
            Event::Validated(warnings) => {
                let _ = write!(stderr, "{}", report::text(&warnings));
            }
            Event::DraftCreated(id) => {
                let _ = writeln!(stderr, "Created draft: {id}");
            }
            Event::Encrypted(name) => {
                let _ = writeln!(stderr, "Encrypted the endpoint config of {name}");
            }
            Event::Staged { done, total } => {
                self.requests += 1;
                let requests = self.requests;
                let plural = if requests == 1 { "" } else { "s" };
                if self.terminal {
                    let _ = write!(stderr, "\rStaged {done} of {total} specs");
                    self.progress = done < total;
                    if done == total {
                        let _ = writeln!(stderr, " in {requests} request{plural}");
                    }
                } else if done == total {
                    let _ = writeln!(stderr, "Staged {total} specs in {requests} request{plural}");
                }
            }
            Event::Pruned(names) => {
                let _ = writeln!(
                    stderr,
                    "The following specs are identical to the currently published specs, and have been pruned from the draft:"
                );
                for name in names {
                    let _ = writeln!(stderr, "{name}");
                }
            }
            Event::Planned(plan) => {
                let _ = write!(stderr, "{}", plan.render());
                self.unchanged = !plan.has_changes();
            }
            Event::WillPublish(specs) => {
                if self.unchanged && !self.dry_run {
                    let _ = writeln!(
                        stderr,
                        "The endpoint configs are encrypted anew, so these specs are published again."
                    );
                }
                let heading = if self.dry_run {
                    "Running tests for catalog items:".to_string()
                } else {
                    format!("Will publish the following {} specs", specs.len())
                };
                let _ = writeln!(stderr, "{heading}");
                if self.table {
                    let _ = crate::print(&mut std::io::stdout().lock(), &staged_table(&specs));
                }
                if self.dry_run {
                    let _ = writeln!(stderr, "Starting tests...");
                }
            }
            Event::PublicationCreated(_) => {
                if !self.dry_run {
                    let _ = writeln!(stderr, "Proceeding to publish...");
                }
            }
            Event::Log(line) => {
                let _ = writeln!(stderr, "{line}");
            }
            Event::DraftDeleted(id) => {
                let _ = writeln!(stderr, "Deleted draft: {id}");
            }
        }
    }

    fn wants_plan(&self) -> bool {
        !self.dry_run
    }

    fn approve(&mut self, _specs: &[StagedSpec]) -> bool {
        if self.auto_approve {
            return true;
        }
        let mut stderr = std::io::stderr();
        let _ = write!(
            stderr,
            "Enter Y to publish these specs, or anything else to abort: "
        );
        let _ = stderr.flush();
        // The line is read on a thread of its own, so that Ctrl-C at the
        // prompt cancels at once.
        let (send, answer) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = std::io::stdin().lock().read_line(&mut line);
            let _ = send.send(line);
        });
        let line = loop {
            match answer.recv_timeout(Duration::from_millis(50)) {
                Ok(line) => break line,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout)
                    if !self.interrupted.load(Ordering::SeqCst) => {}
                Err(_) => break String::new(),
            }
        };
        if self.interrupted.load(Ordering::SeqCst) {
            return false;
        }
        let yes = matches!(line.trim(), "y" | "Y");
        if !yes {
            let _ = writeln!(stderr, "Cancelling");
        }
        yes
    }
}
