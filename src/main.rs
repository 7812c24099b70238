//! The `wegwijzer` binary: parses flags, sets up logging and hands over to the library.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::Parser;
use tokio::net::TcpListener;

use wegwijzer::catalog::{Catalog, CatalogError};
use wegwijzer::cli::{CatalogCommand, Cli, Command};
use wegwijzer::engine::Engine;
use wegwijzer::{eval, server, telemetry};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = telemetry::init(cli.log_format, &cli.log) {
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
        } => {
            let web_addr: Option<std::net::SocketAddr> = match web_addr.as_str() {
                "off" | "" => None,
                a => Some(
                    a.parse()
                        .with_context(|| format!("--web-addr: '{a}' is not an address or 'off'"))?,
                ),
            };
            let runtime =
                tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
            runtime.block_on(async {
                let started = std::time::Instant::now();
                let (engine, origin) =
                    tokio::task::spawn_blocking(move || Engine::open(&catalog, &data_dir))
                        .await
                        .context("catalog loading panicked")??;
                tracing::info!(
                    offerings = engine.catalog().offerings().len(),
                    index = ?origin,
                    millis = started.elapsed().as_millis() as u64,
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
                server::run_all(grpc, web, Arc::new(engine), server::shutdown_signal()).await?;
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
        Command::Corpus(args) => {
            wegwijzer::corpus::run(&args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Catalog {
            command: CatalogCommand::Check { dir },
        } => match Catalog::load(&dir) {
            Ok(c) => {
                let warnings = c.warnings(&wegwijzer::catalog::lint::today());
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
                Ok(ExitCode::SUCCESS)
            }
            Err(e @ CatalogError::Invalid(_)) => {
                eprintln!("{e}");
                Ok(ExitCode::FAILURE)
            }
            Err(e) => Err(e.into()),
        },
        Command::Catalog {
            command: CatalogCommand::Export { hsds, dir },
        } => {
            let catalog = Catalog::load(&dir)?;
            let (organizations, services) =
                wegwijzer::hsds::write(&wegwijzer::hsds::export(&catalog), &hsds)?;
            println!(
                "{}: {services} services and {organizations} organizations written",
                hsds.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
