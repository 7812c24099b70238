//! Where live changes are kept durably: one trait, two homes.
//!
//! - [`FileStore`] (the default): one file in the replica's data folder. No server
//!   needed; right for a single replica.
//! - [`PgStore`]: a PostgreSQL database that several replicas share. Each write is one
//!   transaction; replicas follow each other's changes through `LISTEN/NOTIFY` and
//!   catch up by change number.
//!
//! The writer of [`crate::live`] is the only caller. It asks for the newest state with
//! [`ChangeStore::begin`] (which locks it against writers on other replicas), applies
//! its edits and builds the new engine, and makes the result durable with
//! [`ChangeStore::save`] before anyone is answered; or it calls [`ChangeStore::abort`].

pub mod file;
pub mod postgres;

use std::path::PathBuf;
use std::str::FromStr;

use crate::catalog::Changes;
use crate::live::Follower;
pub use file::{FileStore, FILE_NAME, PREVIOUS_FILE_NAME};
pub use postgres::PgStore;

/// The store of live changes: the writer's view, whatever keeps them.
pub trait ChangeStore: Send {
    /// The state to start from.
    fn load(&mut self) -> Result<Changes, StateError>;
    /// Starts a write: returns the newest state, which no other writer can change until
    /// [`ChangeStore::save`] or [`ChangeStore::abort`].
    fn begin(&mut self) -> Result<Changes, StateError>;
    /// Makes `changes` the newest state, durably, and ends the write. On an error
    /// nothing was stored and the write has ended.
    fn save(&mut self, changes: &Changes) -> Result<(), StateError>;
    /// Ends a write without changing anything (a no-op without one).
    fn abort(&mut self);
    /// The newest state when it is newer than change `number`: changes other replicas
    /// made. A store of one replica never has one.
    fn newer(&mut self, number: u64) -> Result<Option<Changes>, StateError> {
        let _ = number;
        Ok(None)
    }
    /// Keeps a replica's own copy of the state it serves, to start from when the shared
    /// store cannot be reached (`--allow-stale`). Best effort: a failure is reported,
    /// never fatal.
    fn keep_snapshot(&mut self, changes: &Changes) -> Result<(), StateError> {
        let _ = changes;
        Ok(())
    }
    /// Whether other replicas share this store.
    fn shared(&self) -> bool {
        false
    }
    /// Starts following the changes other replicas make: the store calls
    /// [`Follower::catch_up`] when there may be some. A store of one replica has
    /// nothing to follow.
    fn follow(&mut self, follower: Follower) {
        let _ = follower;
    }
}

/// Whether the store takes writes now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreStatus {
    /// Reachable: writes are made, changes of other replicas arrive.
    Ready,
    /// The shared store cannot be reached: reads go on from memory, writes are refused
    /// with `UNAVAILABLE`, and the replica catches up when it is back.
    Unreachable,
}

/// Which store to use (`serve --store`).
#[derive(Clone, PartialEq, Eq)]
pub enum StoreKind {
    /// The data folder's file.
    File,
    /// A PostgreSQL database (`postgres://…` or `postgresql://…`).
    Postgres(String),
}

impl std::fmt::Debug for StoreKind {
    /// Never shows a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreKind::File => f.write_str("file"),
            StoreKind::Postgres(url) => write!(f, "postgres ({})", postgres::describe(url)),
        }
    }
}

impl FromStr for StoreKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.is_empty() || s == "file" {
            return Ok(StoreKind::File);
        }
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            postgres::parse(s).map_err(|e| format!("not a usable PostgreSQL URL: {e}"))?;
            return Ok(StoreKind::Postgres(s.to_string()));
        }
        Err("expected 'file' or a URL starting with postgres://".into())
    }
}

/// How to open the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreOptions {
    /// Which store.
    pub kind: StoreKind,
    /// When the shared store cannot be reached at start-up: start read-only from the
    /// replica's last snapshot instead of refusing to start.
    pub allow_stale: bool,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            kind: StoreKind::File,
            allow_stale: false,
        }
    }
}

/// Why the state could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// Reading or writing failed.
    #[error("live changes file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not what wegwijzer wrote.
    #[error(
        "live changes file {path} is damaged: {reason}. wegwijzer writes this file \
         atomically (a new file renamed over the old one), so neither a crash nor a full \
         disk leaves it like this; it was changed or damaged by something else. Nothing \
         was loaded. Ways out, keeping the most: restore it from a backup; or use the \
         state before the last change, kept beside it as {PREVIOUS_FILE_NAME} (move that \
         over this file), which loses only the last change; or move this file aside to \
         start from the catalog files alone."
    )]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The shared database cannot be reached (or the connection broke).
    #[error("the live-changes database {target} cannot be reached: {cause}")]
    Unreachable {
        /// Host, port and database name (never the password).
        target: String,
        /// The cause.
        cause: String,
    },
    /// The connection broke while a write was being committed, and whether it was
    /// committed could not be found out.
    #[error(
        "the live-changes database {target} was lost while a change was committed ({cause}); \
         whether it was applied is unknown"
    )]
    Unknown {
        /// Host, port and database name (never the password).
        target: String,
        /// The cause.
        cause: String,
    },
    /// A switch to a shared database would leave the file store's changes behind.
    #[error(
        "the data folder holds {count} live changes in {path} (the file store), and the \
         shared database holds none: starting on the database would leave them behind. \
         Write them back into the catalog files first (wegwijzer catalog export --live OUT \
         --store file, review, adopt), or move the file aside to start without them"
    )]
    LeftBehind {
        /// The file store's file.
        path: PathBuf,
        /// Its live changes.
        count: usize,
    },
    /// The database answered with an error.
    #[error("the live-changes database {target} refused: {cause}")]
    Database {
        /// Host, port and database name (never the password).
        target: String,
        /// The cause.
        cause: String,
    },
}
