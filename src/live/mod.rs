//! The catalog being served, and everything that changes it while the server runs:
//! admin changes (durable before they are acknowledged), reloads of the catalog files,
//! and availability changes that take effect on a later date.
//!
//! Readers take the current [`Engine`] with [`Live::current`], a lock-free atomic load.
//! Every change goes through one writer thread, a queue: the caller hands over a job and
//! waits for its outcome, but the outcome never depends on the caller. A job whose caller
//! gave up (or whose deadline passed) before the writer took it is dropped unapplied and
//! answered as such; a job the writer took runs to the end, is written to disk and
//! swapped in, and only then answered. So a change answered OK is on disk and in memory,
//! a change answered with an error is in neither, and memory equals disk whenever a
//! reader can look.
//!
//! Jobs that wait in the queue together are committed together: one new engine and one
//! fsync for the batch, each job answered after that fsync (group commit). A batch that
//! the catalog's rules refuse is retried job by job, so one bad change never takes the
//! others down with it.
//!
//! The index of a live change is built in memory; the index on disk is only written at
//! start-up, so a change that fails (a full disk, say) never replaces it.

pub mod changes;
pub mod store;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Instant;

use arc_swap::ArcSwap;
use tokio::sync::oneshot;

use crate::catalog::{AvailabilityChange, Catalog, CatalogError, Changes, Problem};
use crate::domain::dates::{self, Date};
use crate::domain::{Availability, Offering};
use crate::engine::{Engine, EngineError, IndexChange};
use crate::live::store::{StateError, Store};
use crate::search::index::Origin;

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
    /// The deadline passed while the change waited its turn; it was not applied.
    #[error("the deadline passed before the change could be applied; it was not applied")]
    Expired,
    /// The writer has stopped (the server is shutting down); nothing was applied.
    #[error("the writer has stopped; the change was not applied")]
    Stopped,
    /// The batch this change was part of failed as a whole (the first job of the batch
    /// carries the cause itself); nothing was applied.
    #[error("the change was not applied: {0}")]
    Failed(String),
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

/// An applied change: the engine that serves it and the live changes counted after it.
#[derive(Clone)]
pub struct Applied {
    /// The engine serving the change (or a later one of the same batch).
    pub engine: Arc<Engine>,
    /// Live changes on top of the files, after this change.
    pub live_changes: usize,
}

/// What the writer owns: the files, the changes on top and the day they were applied for.
struct Files {
    catalog: Arc<Catalog>,
    changes: Changes,
    day: Date,
}

/// The shared view readers use.
struct Shared {
    engine: ArcSwap<Engine>,
    live_changes: AtomicUsize,
}

/// The served catalog with its live changes.
pub struct Live {
    shared: Arc<Shared>,
    queue: mpsc::Sender<Job>,
}

/// Where a job is: the handler and the writer race for it exactly once.
const QUEUED: u8 = 0;
const STARTED: u8 = 1;
const ABANDONED: u8 = 2;

enum Op {
    SetAvailability {
        id: String,
        availability: Availability,
        effective: Option<Date>,
    },
    Upsert(Box<Offering>),
    Delete(String),
    RefreshDay,
    Reload,
}

enum Outcome {
    Applied(Applied),
    Reloaded(Reloaded),
    Refreshed(bool),
}

struct Job {
    op: Op,
    state: Arc<AtomicU8>,
    reply: oneshot::Sender<Result<Outcome, LiveError>>,
}

impl Job {
    /// Claims the job for the writer; false when its caller gave up first.
    fn claim(&self) -> bool {
        self.state
            .compare_exchange(QUEUED, STARTED, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
            && !self.reply.is_closed()
    }

    fn answer(self, outcome: Result<Outcome, LiveError>) {
        let _ = self.reply.send(outcome);
    }
}

/// Marks a job abandoned if its caller stops waiting before the writer claimed it
/// (a client that cancelled, a handler dropped by the transport).
struct Abandon(Arc<AtomicU8>);

impl Drop for Abandon {
    fn drop(&mut self) {
        let _ = self
            .0
            .compare_exchange(QUEUED, ABANDONED, Ordering::AcqRel, Ordering::Acquire);
    }
}

/// Most jobs committed with one fsync.
const MAX_BATCH: usize = 512;

impl Live {
    /// Loads the catalog files in `catalog_dir` and the live changes under `data_dir`,
    /// and opens (or builds) the index there. Blocking: call it off the async runtime.
    pub fn open(catalog_dir: &Path, data_dir: &Path) -> Result<(Live, Opened), LiveError> {
        let files = Catalog::load(catalog_dir)?;
        let store = Store::new(data_dir)?;
        let mut warnings = store.clean_leftovers();
        let changes = store.load()?;
        let day = dates::today();
        let (served, apply_warnings) = files.apply(&changes, day)?;
        warnings.extend(apply_warnings);
        let (engine, origin, index_warnings) = Engine::build_or_in_memory(served, data_dir)?;
        warnings.extend(index_warnings);
        let opened = Opened {
            origin,
            live_changes: changes.len(),
            warnings,
        };
        let shared = Arc::new(Shared {
            engine: ArcSwap::from_pointee(engine),
            live_changes: AtomicUsize::new(changes.len()),
        });
        let (queue, jobs) = mpsc::channel();
        let writer = Writer {
            shared: Arc::clone(&shared),
            catalog_dir: catalog_dir.to_path_buf(),
            store,
            files: Files {
                catalog: Arc::new(files),
                changes,
                day,
            },
        };
        std::thread::Builder::new()
            .name("wegwijzer-writer".into())
            .spawn(move || writer.run(jobs))
            .map_err(|e| {
                LiveError::State(StateError::Io {
                    path: data_dir.to_path_buf(),
                    source: e,
                })
            })?;
        Ok((Live { shared, queue }, opened))
    }

    /// The engine serving now.
    pub fn current(&self) -> Arc<Engine> {
        self.shared.engine.load_full()
    }

    /// Live changes on top of the files.
    pub async fn live_changes(&self) -> usize {
        self.shared.live_changes.load(Ordering::Acquire)
    }

    /// Sets an offering's availability from `effective` (`YYYY-MM-DD`; today when
    /// `None`). A date still to come takes effect on that day.
    pub async fn set_availability(
        &self,
        id: String,
        availability: Availability,
        effective: Option<Date>,
        deadline: Option<Instant>,
    ) -> Result<Applied, LiveError> {
        let op = Op::SetAvailability {
            id,
            availability,
            effective,
        };
        applied(self.submit(op, deadline).await?)
    }

    /// Adds an offering or replaces the one with its id.
    pub async fn upsert(
        &self,
        offering: Offering,
        deadline: Option<Instant>,
    ) -> Result<Applied, LiveError> {
        applied(
            self.submit(Op::Upsert(Box::new(offering)), deadline)
                .await?,
        )
    }

    /// Deletes an offering.
    pub async fn delete(
        &self,
        id: String,
        deadline: Option<Instant>,
    ) -> Result<Applied, LiveError> {
        applied(self.submit(Op::Delete(id), deadline).await?)
    }

    /// Re-reads the catalog files and swaps in a new engine; drops the live changes the
    /// files now contain. An invalid catalog changes nothing.
    pub async fn reload(&self) -> Result<Reloaded, LiveError> {
        match self.submit(Op::Reload, None).await? {
            Outcome::Reloaded(r) => Ok(r),
            _ => Err(LiveError::Stopped),
        }
    }

    /// Re-applies the live changes when the date has changed, so availability changes
    /// dated today take effect. Returns whether it did.
    pub async fn refresh_day(&self) -> Result<bool, LiveError> {
        match self.submit(Op::RefreshDay, None).await? {
            Outcome::Refreshed(done) => Ok(done),
            _ => Err(LiveError::Stopped),
        }
    }

    /// Queues `op` and waits for its outcome. When `deadline` passes while the job still
    /// waits its turn, it is withdrawn and answered [`LiveError::Expired`]; once the
    /// writer has taken it, this waits for the end.
    async fn submit(&self, op: Op, deadline: Option<Instant>) -> Result<Outcome, LiveError> {
        let state = Arc::new(AtomicU8::new(QUEUED));
        let guard = Abandon(Arc::clone(&state));
        let (reply, outcome) = oneshot::channel();
        self.queue
            .send(Job {
                op,
                state: Arc::clone(&state),
                reply,
            })
            .map_err(|_| LiveError::Stopped)?;
        tokio::pin!(outcome);
        if let Some(deadline) = deadline {
            tokio::select! {
                result = &mut outcome => return result.map_err(|_| LiveError::Stopped)?,
                () = tokio::time::sleep_until(deadline.into()) => {}
            }
            if state
                .compare_exchange(QUEUED, ABANDONED, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                return Err(LiveError::Expired);
            }
        }
        let result = outcome.await.map_err(|_| LiveError::Stopped)?;
        drop(guard);
        result
    }
}

fn applied(outcome: Outcome) -> Result<Applied, LiveError> {
    match outcome {
        Outcome::Applied(a) => Ok(a),
        _ => Err(LiveError::Stopped),
    }
}

/// The one writer: owns the files and the store, and is the only one to swap engines.
struct Writer {
    shared: Arc<Shared>,
    catalog_dir: PathBuf,
    store: Store,
    files: Files,
}

impl Writer {
    fn run(mut self, jobs: mpsc::Receiver<Job>) {
        while let Ok(first) = jobs.recv() {
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match jobs.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            let mut edits = Vec::new();
            for job in batch {
                if !job.claim() {
                    job.answer(Err(LiveError::Expired));
                    continue;
                }
                match job.op {
                    Op::Reload => {
                        self.commit(std::mem::take(&mut edits));
                        let result = self.reload().map(Outcome::Reloaded);
                        job.answer(result);
                    }
                    Op::RefreshDay => {
                        self.commit(std::mem::take(&mut edits));
                        let result = self.refresh_day().map(Outcome::Refreshed);
                        job.answer(result);
                    }
                    _ => edits.push(job),
                }
            }
            self.commit(edits);
        }
    }

    /// Applies claimed edit jobs as one batch: one engine, one fsync; answers each.
    fn commit(&mut self, jobs: Vec<Job>) {
        if jobs.is_empty() {
            return;
        }
        let today = dates::today();
        let mut changes = self.files.changes.clone();
        let mut accepted = Vec::with_capacity(jobs.len());
        for job in jobs {
            match edit(&self.files.catalog, &mut changes, &job.op, today) {
                Ok(()) => accepted.push(job),
                Err(e) => job.answer(Err(e)),
            }
        }
        if accepted.is_empty() {
            return;
        }
        match self.install(changes, today) {
            Ok(done) => {
                for job in accepted {
                    job.answer(Ok(Outcome::Applied(done.clone())));
                }
            }
            Err(LiveError::Rejected(problems)) if accepted.len() > 1 => {
                tracing::debug!(
                    jobs = accepted.len(),
                    problems = problems.len(),
                    "batch refused; applying its changes one by one"
                );
                for job in accepted {
                    self.commit(vec![job]);
                }
            }
            Err(e) => {
                let mut jobs = accepted.into_iter();
                let first = jobs.next();
                for job in jobs {
                    job.answer(Err(again(&e)));
                }
                if let Some(first) = first {
                    first.answer(Err(e));
                }
            }
        }
    }

    /// Builds the engine for `changes`, writes them durably, and only then swaps the
    /// engine in.
    fn install(&mut self, changes: Changes, today: Date) -> Result<Applied, LiveError> {
        let (served, _) = self
            .files
            .catalog
            .apply(&changes, today)
            .map_err(|e| match e {
                CatalogError::Invalid(problems) => LiveError::Rejected(problems),
                other => LiveError::Catalog(other),
            })?;
        let current = self.shared.engine.load_full();
        let store = &self.store;
        let (engine, _) = current.next(served, || store.save(&changes))??;
        let engine = Arc::new(engine);
        self.publish(&engine, changes.len());
        self.files.changes = changes;
        self.files.day = today;
        Ok(Applied {
            engine,
            live_changes: self.files.changes.len(),
        })
    }

    fn publish(&self, engine: &Arc<Engine>, live_changes: usize) {
        self.shared.engine.store(Arc::clone(engine));
        self.shared
            .live_changes
            .store(live_changes, Ordering::Release);
    }

    fn refresh_day(&mut self) -> Result<bool, LiveError> {
        let today = dates::today();
        if self.files.day == today {
            return Ok(false);
        }
        self.install(self.files.changes.clone(), today)?;
        Ok(true)
    }

    fn reload(&mut self) -> Result<Reloaded, LiveError> {
        let catalog = Catalog::load(&self.catalog_dir)?;
        let day = dates::today();
        let mut changes = self.files.changes.clone();
        let adopted = changes.prune_adopted(&catalog, day);
        let (served, warnings) = catalog.apply(&changes, day)?;
        let current = self.shared.engine.load_full();
        let store = &self.store;
        let (engine, index_change) = current.next(served, || match adopted {
            0 => Ok(()),
            _ => store.save(&changes),
        })??;
        let index_rebuilt = index_change != IndexChange::None;
        let reloaded = Reloaded {
            offerings: engine.catalog().offerings().len(),
            index_rebuilt,
            adopted,
            live_changes: changes.len(),
            warnings,
        };
        self.publish(&Arc::new(engine), changes.len());
        self.files = Files {
            catalog: Arc::new(catalog),
            changes,
            day,
        };
        Ok(reloaded)
    }
}

/// The same failure again, for the other jobs of a batch that failed as a whole: the
/// same kind (so the same status), the cause as text.
fn again(e: &LiveError) -> LiveError {
    match e {
        LiveError::State(StateError::Io { path, source }) => LiveError::State(StateError::Io {
            path: path.clone(),
            source: std::io::Error::new(source.kind(), source.to_string()),
        }),
        LiveError::NotFound(id) => LiveError::NotFound(id.clone()),
        LiveError::Rejected(problems) => LiveError::Rejected(problems.clone()),
        LiveError::Expired => LiveError::Expired,
        LiveError::Stopped => LiveError::Stopped,
        other => LiveError::Failed(other.to_string()),
    }
}

/// Whether `id` is served when `changes` are applied to `files`.
fn exists(files: &Catalog, changes: &Changes, id: &str) -> bool {
    changes.upserts.contains_key(id) || (files.get(id).is_some() && !changes.deleted.contains(id))
}

/// Records one edit in `changes`, or says why it cannot be made.
fn edit(files: &Catalog, changes: &mut Changes, op: &Op, today: Date) -> Result<(), LiveError> {
    match op {
        Op::SetAvailability {
            id,
            availability,
            effective,
        } => {
            if !exists(files, changes, id) {
                return Err(LiveError::NotFound(id.clone()));
            }
            let effective = effective.unwrap_or(today);
            changes.set_availability(id, AvailabilityChange::new(availability, effective), today);
        }
        Op::Upsert(offering) => {
            changes.upsert(&offering.id, crate::catalog::entry_toml(offering));
        }
        Op::Delete(id) => {
            if !exists(files, changes, id) {
                return Err(LiveError::NotFound(id.clone()));
            }
            changes.delete(id, files.get(id).is_some());
        }
        Op::RefreshDay | Op::Reload => {}
    }
    Ok(())
}
