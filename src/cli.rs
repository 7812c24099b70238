//! Command-line interface: every flag has a `WEGWIJZER_*` environment twin.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// wegwijzer: finds the lightest help that is enough, in the Drechtsteden social domain.
#[derive(Debug, Parser)]
#[command(name = "wegwijzer", version, about)]
pub struct Cli {
    /// Log format.
    #[arg(long, global = true, env = "WEGWIJZER_LOG_FORMAT", value_enum, default_value_t = LogFormat::Plain)]
    pub log_format: LogFormat,
    /// Log filter in `tracing` syntax, e.g. `info` or `wegwijzer=debug`.
    #[arg(long, global = true, env = "WEGWIJZER_LOG", default_value = "info")]
    pub log: String,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Plain,
    /// One JSON object per line.
    Json,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the gRPC API over the catalog.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "WEGWIJZER_ADDR", default_value = "127.0.0.1:50051")]
        addr: SocketAddr,
        /// Catalog folder.
        #[arg(long, env = "WEGWIJZER_CATALOG", default_value = "catalog")]
        catalog: PathBuf,
        /// Data folder for the persisted index (created if missing).
        #[arg(long, env = "WEGWIJZER_DATA_DIR", default_value = "data")]
        data_dir: PathBuf,
        /// Address of the search page for volunteers (HTTP), or `off`.
        #[arg(long, env = "WEGWIJZER_WEB_ADDR", default_value = "127.0.0.1:8080")]
        web_addr: String,
    },
    /// Run an evaluation file through the matching and search code and print metrics.
    Eval {
        /// The evaluation file (TOML).
        file: PathBuf,
        /// Print one JSON object per line instead of a table.
        #[arg(long)]
        json: bool,
        /// Catalog folder.
        #[arg(long, env = "WEGWIJZER_CATALOG", default_value = "catalog")]
        catalog: PathBuf,
    },
    /// Generate a synthetic benchmark catalog and its query set (never into `catalog/`).
    Corpus(CorpusArgs),
    /// Work with the catalog files.
    Catalog {
        /// What to do with the catalog.
        #[command(subcommand)]
        command: CatalogCommand,
    },
}

/// Catalog subcommands.
#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Validate the catalog and report every problem with its file and line.
    Check {
        /// Catalog folder.
        #[arg(env = "WEGWIJZER_CATALOG", default_value = "catalog")]
        dir: PathBuf,
    },
    /// Export the catalog as Open Referral HSDS 3.0 JSON (organizations.json, services.json).
    Export {
        /// Folder to write the HSDS files into (created if missing).
        #[arg(long)]
        hsds: PathBuf,
        /// Catalog folder.
        #[arg(env = "WEGWIJZER_CATALOG", default_value = "catalog")]
        dir: PathBuf,
    },
}

/// Arguments of `wegwijzer corpus`.
#[derive(Debug, clap::Args)]
pub struct CorpusArgs {
    /// Number of synthetic offerings; without it only a query set for `--queries-for`.
    #[arg(long)]
    pub size: Option<usize>,
    /// Seed: the same seed writes the same files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output folder (a generated catalog folder, created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Catalogs whose vocabulary is used (repeatable); default the bundled catalog and
    /// `catalog/landelijk-2020`.
    #[arg(long = "source")]
    pub sources: Vec<PathBuf>,
    /// Write only `OUT/queries.json`, drawn from this existing catalog.
    #[arg(long, conflicts_with = "size")]
    pub queries_for: Option<PathBuf>,
    /// Number of free-text searches in the query set (a third as many Suggest prefixes
    /// and help requests).
    #[arg(long, default_value_t = 300)]
    pub queries: usize,
}
