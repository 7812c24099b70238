//! Structured logging with `tracing`, as plain text or JSON, to standard error.
//!
//! Nothing in this crate logs request text or other fields a caller sends. Crates below
//! us (the HTTP/2 stack, tantivy) log warnings only, unless the filter names them; even
//! then they are capped at `info`, since their debug and trace output is not ours to
//! vouch for.

use tracing_subscriber::{fmt, EnvFilter};

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable lines.
    Plain,
    /// One JSON object per line.
    Json,
}

/// Dependencies whose verbose logs could carry wire content: `warn` unless named in the
/// filter, never below `info`.
const CAPPED: &[&str] = &["h2", "hyper", "hyper_util", "tonic", "tower", "tantivy"];

/// Installs the global subscriber. `filter` uses `tracing`'s directive syntax.
pub fn init(format: Format, filter: &str) -> Result<(), String> {
    let mut env = EnvFilter::try_new(filter).map_err(|e| format!("invalid log filter: {e}"))?;
    for krate in CAPPED {
        let level = if filter.contains(krate) {
            "info"
        } else {
            "warn"
        };
        let directive = format!("{krate}={level}")
            .parse()
            .map_err(|e| format!("{e}"))?;
        env = env.add_directive(directive);
    }
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = fmt()
        .with_env_filter(env)
        .with_writer(std::io::stderr)
        .with_target(true)
        .with_ansi(ansi);
    let result = match format {
        Format::Plain => builder.try_init(),
        Format::Json => builder.json().flatten_event(true).try_init(),
    };
    result.map_err(|e| format!("cannot install logging: {e}"))
}
