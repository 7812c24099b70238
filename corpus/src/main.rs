//! `wegwijzer-corpus`: writes a synthetic benchmark catalog and its query set, or only a
//! query set for an existing catalog (never into a source catalog's folder).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use wegwijzer::catalog::Catalog;
use wegwijzer_corpus::{default_sources, harvest, io, write_catalog, write_queries, Counts};

/// Arguments of `wegwijzer-corpus`.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Number of synthetic offerings; without it only a query set for `--queries-for`.
    #[arg(long)]
    size: Option<usize>,
    /// Seed: the same seed writes the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output folder (a generated catalog folder, created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Catalogs whose vocabulary is used (repeatable); default the bundled catalog and
    /// `catalog/landelijk-2020`.
    #[arg(long = "source")]
    sources: Vec<PathBuf>,
    /// Write only `OUT/queries.json`, drawn from this existing catalog.
    #[arg(long, conflicts_with = "size")]
    queries_for: Option<PathBuf>,
    /// Number of free-text searches in the query set (a third as many Suggest prefixes
    /// and help requests).
    #[arg(long, default_value_t = 300)]
    queries: usize,
}

fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("wegwijzer-corpus: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Writes writes a synthetic catalog and its query set, or only a query set
/// for an existing catalog, and prints what it wrote.
fn run(args: &Args) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let counts = Counts {
        search: args.queries,
        suggest: args.queries.div_ceil(3),
        help: args.queries.div_ceil(3),
    };
    let (catalog_dir, files) = match (&args.queries_for, args.size) {
        (Some(dir), _) => (dir.clone(), 0),
        (None, Some(size)) => {
            let sources = if args.sources.is_empty() {
                default_sources(Path::new("."))
            } else {
                args.sources.clone()
            };
            let harvest = harvest(&sources)?;
            let files = write_catalog(&args.out, size, args.seed, &harvest, &sources)?;
            (args.out.clone(), files)
        }
        (None, None) => anyhow::bail!("give --size N for a catalog, or --queries-for DIR"),
    };
    let catalog = Catalog::load(&catalog_dir)?;
    let set = wegwijzer_corpus::queries::generate(&catalog, args.seed, counts);
    fs::create_dir_all(&args.out).map_err(io(&args.out))?;
    write_queries(&args.out.join("queries.json"), &set)?;
    println!(
        "{}: {} offerings{}, queries.json with {} searches, {} prefixes, {} help requests (seed {}) in {:.1} s",
        args.out.display(),
        catalog.offerings().len(),
        if files > 0 { format!(" in {files} files") } else { String::new() },
        set.search.len(),
        set.suggest.len(),
        set.help.len(),
        args.seed,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
