//! The `wegwijzer` binary: parses flags, sets up logging and hands over to the library.

mod cli;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;
use cli::{CatalogCommand, Cli, Command};
use tokio::net::TcpListener;

use tonic::transport::Identity;
use wegwijzer::catalog::{export, Catalog, CatalogError};
use wegwijzer::domain::dates;
use wegwijzer::engine::Engine;
use wegwijzer::live::store::{FileStore, StoreKind, StoreOptions};
use wegwijzer::live::Live;
use wegwijzer::ops::admission::Admission;
use wegwijzer::ops::auth::{Token, Tokens};
use wegwijzer::ops::telemetry;
use wegwijzer::{eval, server};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = telemetry::init(cli.log_format.into(), &cli.log) {
        eprintln!("wegwijzer: {e}");
        return ExitCode::from(2);
    }
    match run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("wegwijzer: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve {
            addr,
            catalog,
            data_dir,
            web_addr,
            admin_token_file,
            read_token_file,
            tls_cert,
            tls_key,
            max_concurrent_calls,
            call_timeout_ms,
            max_connections,
            idle_timeout_ms,
            allowed_hosts,
            metrics_addr,
            hsds_cors_origin,
            store,
            allow_stale,
        } => {
            let store = StoreOptions {
                kind: store_kind(&store.url)?,
                allow_stale,
            };
            anyhow::ensure!(
                !allow_stale || store.kind != StoreKind::File,
                "--allow-stale only applies with a PostgreSQL store (--store postgres://…)"
            );
            let web_addr: Option<std::net::SocketAddr> = match web_addr.as_str() {
                "off" | "" => None,
                a => Some(
                    a.parse()
                        .with_context(|| format!("--web-addr: '{a}' is not an address or 'off'"))?,
                ),
            };
            let options = server::Options {
                tokens: Tokens {
                    admin: token("admin", "WEGWIJZER_ADMIN_TOKEN", admin_token_file)?,
                    read: token("read", "WEGWIJZER_READ_TOKEN", read_token_file)?,
                },
                admission: Admission::new(
                    max_concurrent_calls as usize,
                    Duration::from_millis(call_timeout_ms),
                ),
                tls: match (tls_cert, tls_key) {
                    (Some(cert), Some(key)) => Some(Identity::from_pem(
                        read(&cert, "--tls-cert")?,
                        read(&key, "--tls-key")?,
                    )),
                    _ => None,
                },
                metrics: Arc::default(),
                limits: wegwijzer::ops::connections::Limits {
                    max_connections: max_connections as usize,
                    idle_timeout: Duration::from_millis(idle_timeout_ms),
                },
                allowed_hosts,
                metrics_addr,
                cors_origin: hsds_cors_origin,
            };
            let runtime =
                tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
            runtime.block_on(async {
                let started = std::time::Instant::now();
                let (live, opened) = tokio::task::spawn_blocking(move || {
                    Live::open_with(&catalog, &data_dir, &store)
                })
                .await
                .context("catalog loading panicked")??;
                for w in &opened.warnings {
                    tracing::warn!(warning = %w, "live changes");
                }
                tracing::info!(
                    offerings = live.current().catalog().offerings().len(),
                    live_changes = opened.live_changes,
                    index = ?opened.origin,
                    millis = started.elapsed().as_millis() as u64,
                    admin = options.tokens.admin.is_some(),
                    reads_need_token = options.tokens.read.is_some(),
                    "catalog ready"
                );
                let grpc = TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("cannot listen on {addr}"))?;
                let web = match web_addr {
                    Some(a) => Some(
                        TcpListener::bind(a)
                            .await
                            .with_context(|| format!("cannot listen on {a}"))?,
                    ),
                    None => None,
                };
                server::run_all(
                    grpc,
                    web,
                    Arc::new(live),
                    options,
                    server::shutdown_signal(),
                )
                .await?;
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::Eval {
            file,
            json,
            catalog,
        } => {
            let engine = Engine::in_memory(Catalog::load(&catalog)?)?;
            let parsed = eval::load(&file)?;
            let reports = eval::run(&engine, &parsed, &file.display().to_string())?;
            print!(
                "{}",
                if json {
                    eval::json_lines(&reports)
                } else {
                    eval::table(&reports)
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Catalog {
            command: CatalogCommand::Check { dir },
        } => match Catalog::load(&dir) {
            Ok(c) => {
                let warnings = c.warnings(dates::today());
                for w in &warnings {
                    println!("warning: {w}");
                }
                println!(
                    "{}: {} offerings, {} gemeenten, {} sources: ok ({} warnings)",
                    dir.display(),
                    c.offerings().len(),
                    c.gemeenten().len(),
                    c.sources().len(),
                    warnings.len()
                );
                let a = wegwijzer::catalog::facts::audit(&c);
                println!(
                    "routes: {} with own contact facts, {} through a door, {} without a route; \
                     {} doors without contact facts",
                    a.own_contact,
                    a.via_door,
                    a.no_route.len(),
                    a.doors_without_contact.len()
                );
                println!(
                    "sources: {} hard eligibility facts and {} costs without a source reference; \
                     {} historic arrangements",
                    a.unsourced_eligibility.len(),
                    a.unsourced_costs.len(),
                    a.historic
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(e @ CatalogError::Invalid(_)) => {
                eprintln!("{e}");
                Ok(ExitCode::FAILURE)
            }
            Err(e) => Err(e.into()),
        },
        Command::Catalog {
            command:
                CatalogCommand::Export {
                    live: Some(out),
                    data_dir,
                    dir,
                    store,
                    ..
                },
        } => {
            let files = Catalog::load(&dir)?;
            let (changes, from) = match &store_kind(&store.url)? {
                StoreKind::File => {
                    // Only read: a data folder that does not exist is an error, never created.
                    anyhow::ensure!(
                        data_dir.is_dir(),
                        "no data folder at {}: give the one `serve` uses with --data-dir (or WEGWIJZER_DATA_DIR)",
                        data_dir.display()
                    );
                    let changes = FileStore::new(&data_dir)?.load()?;
                    (
                        changes,
                        data_dir
                            .join(wegwijzer::live::store::FILE_NAME)
                            .display()
                            .to_string(),
                    )
                }
                StoreKind::Postgres(url) => (
                    wegwijzer::live::store::postgres::read_once(url)?,
                    wegwijzer::live::store::postgres::describe(url),
                ),
            };
            println!("read {} live changes from {from}", changes.len());
            let (served, warnings) = files.apply(&changes, dates::today())?;
            for w in &warnings {
                println!("warning: {w}");
            }
            let s = export::write(&dir, &files, &served, &out)?;
            println!(
                "{}: {} live changes written ({} entries changed, {} removed, {} added in aanbod/{})",
                out.display(),
                changes.len(),
                s.changed,
                s.removed,
                s.added,
                export::ADDED_FILE
            );
            let later: usize = changes
                .availability
                .values()
                .flatten()
                .filter(|c| c.effective > dates::today())
                .count();
            if later > 0 {
                println!(
                    "note: {later} availability change(s) dated later are not in the export yet"
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Catalog {
            command: CatalogCommand::Export { hsds, dir, .. },
        } => {
            let hsds = hsds.context("give --hsds DIR or --live DIR")?;
            let catalog = Catalog::load(&dir)?;
            let (organizations, services) = wegwijzer::catalog::hsds::write(
                &wegwijzer::catalog::hsds::export(&catalog),
                &hsds,
            )?;
            println!(
                "{}: {services} services and {organizations} organizations written",
                hsds.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Catalog {
            command:
                CatalogCommand::Import {
                    hsds,
                    out,
                    mapping,
                    naam,
                    catalog,
                },
        } => {
            use wegwijzer::catalog::hsds::import;
            let mapping = match mapping {
                Some(path) => import::Mapping::load(&path)?,
                None => import::Mapping::default(),
            };
            let taxonomy = catalog.join("taxonomie.toml");
            let imported = import::run(&hsds, &out, &taxonomy, &mapping, &naam)?;
            println!(
                "{}: {} offerings imported, {} report lines in {}",
                out.display(),
                imported.offerings.len(),
                imported.report.len(),
                out.join("import-rapport.txt").display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A token from its environment variable or its file (not both); `None` when neither.
fn token(role: &'static str, var: &str, file: Option<PathBuf>) -> anyhow::Result<Option<Token>> {
    let from_env = std::env::var(var).ok().filter(|v| !v.is_empty());
    let secret = match (from_env, file) {
        (Some(_), Some(_)) => anyhow::bail!("set either {var} or the {role} token file, not both"),
        (Some(v), None) => v,
        (None, Some(f)) => String::from_utf8(read(&f, &format!("the {role} token file"))?)
            .with_context(|| format!("the {role} token file is not text"))?,
        (None, None) => return Ok(None),
    };
    Ok(Some(Token::new(role, &secret)?))
}

fn read(path: &Path, what: &str) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {what} {}", path.display()))
}

/// The store named by `--store`, checked; the message never repeats the value, which
/// may hold a password.
fn store_kind(value: &str) -> anyhow::Result<StoreKind> {
    value
        .parse()
        .map_err(|e| anyhow::anyhow!("--store (or WEGWIJZER_STORE): {e}"))
}
