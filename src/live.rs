//! The catalog being served, and everything that changes it while the server runs:
//! admin changes (durable before they are acknowledged), reloads of the catalog files,
//! and availability changes that take effect on a later date.
//!
//! Readers take the current [`Engine`] with [`Live::current`], a lock-free atomic load;
//! a change builds a complete new engine off the async runtime and swaps it in, so calls
//! in flight finish on the engine they started with and never see a half-made change.
//! Changes and reloads take one lock, so they happen one at a time.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arc_swap::ArcSwap;
use tokio::sync::Mutex;

use crate::catalog::{lint, AvailabilityChange, Catalog, CatalogError, Changes, Problem};
use crate::domain::{Availability, Offering};
use crate::engine::{Engine, EngineError};
use crate::index::Origin;
use crate::state::{StateError, Store};

/// Why a change or reload did not happen. In every case the engine that was serving
/// goes on serving, and nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// The catalog files are unreadable or invalid (or a stored live change no longer
    /// fits them).
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// The change breaks the catalog's rules.
    #[error("the change was rejected:\n{}", list(.0))]
    Rejected(Vec<Problem>),
    /// The offering does not exist.
    #[error("offering '{0}' does not exist")]
    NotFound(String),
    /// The live changes could not be read or written.
    #[error(transparent)]
    State(#[from] StateError),
    /// The index failed.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The background work stopped unexpectedly.
    #[error("background work failed: {0}")]
    Task(String),
}

fn list(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("  {p}\n")).collect()
}

/// The outcome of a reload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reloaded {
    /// Offerings served now.
    pub offerings: usize,
    /// Whether the index was rebuilt.
    pub index_rebuilt: bool,
    /// Live changes the files now contain, dropped.
    pub adopted: usize,
    /// Live changes still applied.
    pub live_changes: usize,
    /// Notes for the operator.
    pub warnings: Vec<String>,
}

/// How the server started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    /// Whether the index was reused or built.
    pub origin: Origin,
    /// Live changes applied on top of the files.
    pub live_changes: usize,
    /// Notes for the operator.
    pub warnings: Vec<String>,
}

struct Files {
    catalog: Arc<Catalog>,
    changes: Changes,
    day: String,
}

/// The served catalog with its live changes.
pub struct Live {
    engine: ArcSwap<Engine>,
    catalog_dir: PathBuf,
    data_dir: PathBuf,
    store: Store,
    files: Mutex<Files>,
}

impl Live {
    /// Loads the catalog files in `catalog_dir` and the live changes under `data_dir`,
    /// and opens (or builds) the index there. Blocking: call it off the async runtime.
    pub fn open(catalog_dir: &Path, data_dir: &Path) -> Result<(Live, Opened), LiveError> {
        let files = Catalog::load(catalog_dir)?;
        let store = Store::new(data_dir)?;
        let changes = store.load()?;
        let day = lint::today();
        let (served, warnings) = files.apply(&changes, &day)?;
        let (engine, origin) = Engine::build(served, data_dir)?;
        let opened = Opened {
            origin,
            live_changes: changes.len(),
            warnings,
        };
        let live = Live {
            engine: ArcSwap::from_pointee(engine),
            catalog_dir: catalog_dir.to_path_buf(),
            data_dir: data_dir.to_path_buf(),
            store,
            files: Mutex::new(Files {
                catalog: Arc::new(files),
                changes,
                day,
            }),
        };
        Ok((live, opened))
    }

    /// The engine serving now.
    pub fn current(&self) -> Arc<Engine> {
        self.engine.load_full()
    }

    /// Sets an offering's availability from `effective` (`YYYY-MM-DD`; today when
    /// `None`). A date still to come takes effect on that day.
    pub async fn set_availability(
        &self,
        id: String,
        availability: Availability,
        effective: Option<String>,
    ) -> Result<Arc<Engine>, LiveError> {
        self.change(move |_, served, changes, today| {
            if served.get(&id).is_none() {
                return Err(LiveError::NotFound(id));
            }
            let effective = effective.unwrap_or_else(|| today.to_string());
            changes.set_availability(
                &id,
                AvailabilityChange::new(&availability, &effective),
                today,
            );
            Ok(())
        })
        .await
    }

    /// Adds an offering or replaces the one with its id.
    pub async fn upsert(&self, offering: Offering) -> Result<Arc<Engine>, LiveError> {
        self.change(move |_, _, changes, _| {
            changes.upsert(&offering.id, crate::catalog::entry_toml(&offering));
            Ok(())
        })
        .await
    }

    /// Deletes an offering.
    pub async fn delete(&self, id: String) -> Result<Arc<Engine>, LiveError> {
        self.change(move |files, served, changes, _| {
            if served.get(&id).is_none() {
                return Err(LiveError::NotFound(id));
            }
            changes.delete(&id, files.get(&id).is_some());
            Ok(())
        })
        .await
    }

    /// Live changes on top of the files.
    pub async fn live_changes(&self) -> usize {
        self.files.lock().await.changes.len()
    }

    /// Re-reads the catalog files and swaps in a new engine; drops the live changes the
    /// files now contain. An invalid catalog changes nothing.
    pub async fn reload(&self) -> Result<Reloaded, LiveError> {
        let mut files = self.files.lock().await;
        let (dir, data_dir, store) = (
            self.catalog_dir.clone(),
            self.data_dir.clone(),
            self.store.clone(),
        );
        let mut changes = files.changes.clone();
        let current = self.current();
        let (files_and_changes, engine, adopted, warnings, index_rebuilt) = blocking(move || {
            let catalog = Catalog::load(&dir)?;
            let day = lint::today();
            let adopted = changes.prune_adopted(&catalog, &day);
            let (served, warnings) = catalog.apply(&changes, &day)?;
            let (engine, rebuilt) = next_engine(&current, served, &data_dir)?;
            if adopted > 0 {
                store.save(&changes)?;
            }
            Ok(((catalog, changes), engine, adopted, warnings, rebuilt))
        })
        .await?;
        let (catalog, changes) = files_and_changes;
        let reloaded = Reloaded {
            offerings: engine.catalog().offerings().len(),
            index_rebuilt,
            adopted,
            live_changes: changes.len(),
            warnings,
        };
        files.catalog = Arc::new(catalog);
        files.changes = changes;
        self.engine.store(Arc::new(engine));
        Ok(reloaded)
    }

    /// Re-applies the live changes when the date has changed, so availability changes
    /// dated today take effect. Returns whether it did.
    pub async fn refresh_day(&self) -> Result<bool, LiveError> {
        let today = lint::today();
        if self.files.lock().await.day == today {
            return Ok(false);
        }
        self.change(|_, _, _, _| Ok(())).await?;
        Ok(true)
    }

    /// Applies `edit` to a copy of the changes, builds the engine for the result,
    /// writes the changes durably, and only then swaps the engine in.
    async fn change(
        &self,
        edit: impl FnOnce(&Catalog, &Catalog, &mut Changes, &str) -> Result<(), LiveError>,
    ) -> Result<Arc<Engine>, LiveError> {
        let mut files = self.files.lock().await;
        let current = self.current();
        let today = lint::today();
        let mut changes = files.changes.clone();
        edit(&files.catalog, current.catalog(), &mut changes, &today)?;
        let (catalog, data_dir, store) = (
            Arc::clone(&files.catalog),
            self.data_dir.clone(),
            self.store.clone(),
        );
        let day = today.clone();
        let (engine, changes) = blocking(move || {
            let (served, _) = catalog.apply(&changes, &day).map_err(|e| match e {
                CatalogError::Invalid(problems) => LiveError::Rejected(problems),
                other => LiveError::Catalog(other),
            })?;
            let (engine, _) = next_engine(&current, served, &data_dir)?;
            store.save(&changes)?;
            Ok((engine, changes))
        })
        .await?;
        let engine = Arc::new(engine);
        files.changes = changes;
        files.day = today;
        self.engine.store(Arc::clone(&engine));
        Ok(engine)
    }
}

/// The engine for `served`: sharing `current`'s index when only availability differs,
/// else with its own index under `data_dir`. Also says whether an index was built.
fn next_engine(
    current: &Engine,
    served: Catalog,
    data_dir: &Path,
) -> Result<(Engine, bool), LiveError> {
    match current.with_catalog(served) {
        Ok(engine) => Ok((engine, false)),
        Err(served) => Ok((Engine::build(*served, data_dir)?.0, true)),
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, LiveError> + Send + 'static,
) -> Result<T, LiveError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| LiveError::Task(e.to_string()))?
}
