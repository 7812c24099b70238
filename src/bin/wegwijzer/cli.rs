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

impl From<LogFormat> for wegwijzer::ops::telemetry::Format {
    fn from(f: LogFormat) -> Self {
        match f {
            LogFormat::Plain => Self::Plain,
            LogFormat::Json => Self::Json,
        }
    }
}

/// Subcommands.
#[derive(Debug, Subcommand)]
// Parsed once at start-up; boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
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
        #[command(flatten)]
        store: StoreArg,
        /// When the shared database cannot be reached at start-up, serve this replica's
        /// last snapshot read-only (admin changes refused) until it is back, instead of
        /// refusing to start.
        #[arg(long, env = "WEGWIJZER_ALLOW_STALE")]
        allow_stale: bool,
        /// Address of the search page for volunteers (HTTP), or `off`.
        #[arg(long, env = "WEGWIJZER_WEB_ADDR", default_value = "127.0.0.1:8080")]
        web_addr: String,
        /// File holding the admin token (or set WEGWIJZER_ADMIN_TOKEN). Without one,
        /// the admin RPCs are off.
        #[arg(long, env = "WEGWIJZER_ADMIN_TOKEN_FILE")]
        admin_token_file: Option<PathBuf>,
        /// File holding a token that read RPCs then require (or set
        /// WEGWIJZER_READ_TOKEN). Without one, reads are open.
        #[arg(long, env = "WEGWIJZER_READ_TOKEN_FILE")]
        read_token_file: Option<PathBuf>,
        /// TLS certificate chain (PEM); needs --tls-key.
        #[arg(long, env = "WEGWIJZER_TLS_CERT", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// TLS private key (PEM); needs --tls-cert.
        #[arg(long, env = "WEGWIJZER_TLS_KEY", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Engine calls at once; more are refused at once with RESOURCE_EXHAUSTED.
        #[arg(long, env = "WEGWIJZER_MAX_CONCURRENT_CALLS", default_value_t = wegwijzer::server::DEFAULT_MAX_CONCURRENT_CALLS as u32, value_parser = clap::value_parser!(u32).range(1..=10_000))]
        max_concurrent_calls: u32,
        /// The server's own deadline per call, in milliseconds (a shorter client
        /// deadline wins).
        #[arg(long, env = "WEGWIJZER_CALL_TIMEOUT_MS", default_value_t = 2000, value_parser = clap::value_parser!(u64).range(1..=600_000))]
        call_timeout_ms: u64,
        /// Open connections per port at most; more are closed at once (and logged).
        #[arg(long, env = "WEGWIJZER_MAX_CONNECTIONS", default_value_t = wegwijzer::ops::connections::DEFAULT_MAX_CONNECTIONS as u32, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        max_connections: u32,
        /// A connection that sends nothing for this long is closed, in milliseconds
        /// (gRPC clients are pinged at a third of it, so healthy ones stay).
        #[arg(long, env = "WEGWIJZER_IDLE_TIMEOUT_MS", default_value_t = wegwijzer::ops::connections::DEFAULT_IDLE_TIMEOUT.as_millis() as u64, value_parser = clap::value_parser!(u64).range(100..=86_400_000))]
        idle_timeout_ms: u64,
        /// A host name the search page answers to, beside its own address and
        /// localhost (repeatable; comma-separated in the environment).
        #[arg(
            long = "allowed-host",
            env = "WEGWIJZER_ALLOWED_HOSTS",
            value_delimiter = ','
        )]
        allowed_hosts: Vec<String>,
        /// Serve `/metrics` on this address of its own instead of on the web page's
        /// port (which is then free of it).
        #[arg(long, env = "WEGWIJZER_METRICS_ADDR")]
        metrics_addr: Option<SocketAddr>,
        /// An origin (such as `https://kaart.example.org`) allowed to read the HSDS API
        /// (`/hsds/v3`) from a browser; none by default.
        #[arg(long, env = "WEGWIJZER_HSDS_CORS_ORIGIN")]
        hsds_cors_origin: Option<String>,
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
    /// Export the catalog: as Open Referral HSDS 3.0 JSON (organizations.json,
    /// services.json) with --hsds, or with its live changes written back in catalog
    /// format, for review, with --live.
    Export {
        /// Folder to write the HSDS files into (created if missing).
        #[arg(long, required_unless_present = "live", conflicts_with = "live")]
        hsds: Option<PathBuf>,
        /// Folder to write the catalog with its live changes into (created if missing;
        /// compare it with the catalog folder, e.g. `diff -ru catalog OUT`).
        #[arg(long)]
        live: Option<PathBuf>,
        /// Data folder holding the live changes (with --live and the file store).
        #[arg(long, env = "WEGWIJZER_DATA_DIR", default_value = "data")]
        data_dir: PathBuf,
        #[command(flatten)]
        store: StoreArg,
        /// Catalog folder.
        #[arg(env = "WEGWIJZER_CATALOG", default_value = "catalog")]
        dir: PathBuf,
    },
    /// Import Open Referral HSDS 3.0 data (services.json, or the tabular CSV files) into
    /// a new catalog folder OUT, with a report of what could not be mapped
    /// (OUT/import-rapport.txt). Check the result with `catalog check OUT`.
    Import {
        /// Folder holding the HSDS data.
        #[arg(long)]
        hsds: PathBuf,
        /// Folder to write the catalog into (created if missing; files in it are replaced).
        out: PathBuf,
        /// Mapping of the data's taxonomies onto tiers, leefgebieden, access modes,
        /// signals and doelgroepen (TOML; see catalog/README.md). wegwijzer's own export
        /// needs none.
        #[arg(long)]
        mapping: Option<PathBuf>,
        /// The region's name in the new catalogus.toml.
        #[arg(long, default_value = "HSDS-import")]
        naam: String,
        /// Catalog whose taxonomie.toml the new catalog uses.
        #[arg(long, env = "WEGWIJZER_CATALOG", default_value = "catalog")]
        catalog: PathBuf,
    },
}

/// Where live admin changes are kept (`serve`, and `catalog export --live`).
#[derive(Debug, clap::Args)]
pub struct StoreArg {
    /// `file` (in the data folder; one replica) or a
    /// `postgres://user:password@host:5432/db` URL that several replicas share (add
    /// `?sslmode=require` for TLS; WEGWIJZER_STORE_CA names an extra CA file). Never
    /// shown in help or errors.
    #[arg(
        long = "store",
        env = "WEGWIJZER_STORE",
        default_value = "file",
        hide_env_values = true
    )]
    pub url: String,
}
