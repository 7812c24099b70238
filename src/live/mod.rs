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
//!
//! Where the changes are kept is the [`store`]'s business: a file of this replica's own,
//! or a PostgreSQL database several replicas share. With a shared store the writer
//! builds every batch on the newest state (locked while it writes), and the changes
//! other replicas make arrive as [`Follower::catch_up`] jobs in the same queue, so this
//! replica's engine only ever moves forward, one whole state at a time.
//!
//! Every change gets a number, and each offering changed live a version (the number of
//! the last change to it). A change that names the version it expects is refused with
//! [`LiveError::Conflict`] when the offering has moved on, so no update is silently lost.

pub mod changes;
pub mod store;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Weak};
use std::time::Instant;

use arc_swap::ArcSwap;
use tokio::sync::{oneshot, watch};

use crate::catalog::{AvailabilityChange, Catalog, CatalogError, Changes, Problem};
use crate::domain::dates::{self, Date};
use crate::domain::{Availability, Offering};
use crate::engine::{Engine, EngineError, IndexChange};
use crate::live::store::{
    ChangeStore, FileStore, PgStore, StateError, StoreKind, StoreOptions, StoreStatus,
};
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
    /// The change expected another version of the offering: someone changed it since.
    #[error(
        "offering '{id}' is at version {current}, the change expected version {expected}; \
         it was not applied"
    )]
    Conflict {
        /// The offering.
        id: String,
        /// The version the change expected.
        expected: u64,
        /// The version it is at.
        current: u64,
    },
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
    /// The offering's version after this change: the change's own number.
    pub version: u64,
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
    queue: Arc<mpsc::Sender<Job>>,
    status: watch::Receiver<StoreStatus>,
}

/// A handle for the store to ask the writer to take in the changes other replicas
/// made. It does not keep the writer alive: once the [`Live`] is gone, it says so.
#[derive(Clone)]
pub struct Follower {
    queue: Weak<mpsc::Sender<Job>>,
}

impl Follower {
    /// Whether the [`Live`] is still there.
    pub fn alive(&self) -> bool {
        self.queue.strong_count() > 0
    }

    /// Lets the writer read the newest state and serve it when it is newer. Returns
    /// false once the [`Live`] is gone (the follower should stop).
    pub async fn catch_up(&self) -> bool {
        let Some(queue) = self.queue.upgrade() else {
            return false;
        };
        match submit(&queue, Op::Follow, None).await {
            Ok(_) => true,
            Err(LiveError::Stopped) => false,
            Err(e) => {
                tracing::error!(
                    error = %e,
                    "could not take in the live changes of other replicas; this replica \
                     keeps serving its last state"
                );
                true
            }
        }
    }
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
        expected: Option<u64>,
    },
    Upsert(Box<Offering>, Option<u64>),
    Delete(String, Option<u64>),
    RefreshDay,
    Reload,
    Follow,
}

enum Outcome {
    Applied(Applied),
    Reloaded(Reloaded),
    Done(bool),
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
        Self::open_with(catalog_dir, data_dir, &StoreOptions::default())
    }

    /// [`Live::open`] with the live changes in the store `options` name.
    pub fn open_with(
        catalog_dir: &Path,
        data_dir: &Path,
        options: &StoreOptions,
    ) -> Result<(Live, Opened), LiveError> {
        let files = Catalog::load(catalog_dir)?;
        let mut warnings = FileStore::new(data_dir)?.clean_leftovers();
        let (status_tx, status) = watch::channel(StoreStatus::Ready);
        let mut store: Box<dyn ChangeStore> = match &options.kind {
            StoreKind::File => Box::new(FileStore::new(data_dir)?),
            StoreKind::Postgres(url) => Box::new(PgStore::open(
                url,
                data_dir,
                options.allow_stale,
                status_tx,
            )?),
        };
        let changes = store.load()?;
        if store.shared() && changes.number == 0 {
            let file = FileStore::new(data_dir)?;
            let left = file.load()?;
            if !left.is_empty() {
                return Err(LiveError::State(StateError::LeftBehind {
                    path: file.path().to_path_buf(),
                    count: left.len(),
                }));
            }
        }
        if let Err(e) = store.keep_snapshot(&changes) {
            warnings.push(format!(
                "could not keep the local snapshot of the live changes: {e}"
            ));
        }
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
        let queue = Arc::new(queue);
        store.follow(Follower {
            queue: Arc::downgrade(&queue),
        });
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
        Ok((
            Live {
                shared,
                queue,
                status,
            },
            opened,
        ))
    }

    /// Whether the store takes writes now; changes as it does.
    pub fn store_status(&self) -> watch::Receiver<StoreStatus> {
        self.status.clone()
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
    /// `None`). A date still to come takes effect on that day. With `expected`, only
    /// when the offering is at that version.
    pub async fn set_availability(
        &self,
        id: String,
        availability: Availability,
        effective: Option<Date>,
        expected: Option<u64>,
        deadline: Option<Instant>,
    ) -> Result<Applied, LiveError> {
        let op = Op::SetAvailability {
            id,
            availability,
            effective,
            expected,
        };
        applied(self.submit(op, deadline).await?)
    }

    /// Adds an offering or replaces the one with its id; with `expected`, only when the
    /// offering is at that version (0: never changed live).
    pub async fn upsert(
        &self,
        offering: Offering,
        expected: Option<u64>,
        deadline: Option<Instant>,
    ) -> Result<Applied, LiveError> {
        applied(
            self.submit(Op::Upsert(Box::new(offering), expected), deadline)
                .await?,
        )
    }

    /// Deletes an offering; with `expected`, only when it is at that version.
    pub async fn delete(
        &self,
        id: String,
        expected: Option<u64>,
        deadline: Option<Instant>,
    ) -> Result<Applied, LiveError> {
        applied(self.submit(Op::Delete(id, expected), deadline).await?)
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
            Outcome::Done(done) => Ok(done),
            _ => Err(LiveError::Stopped),
        }
    }

    async fn submit(&self, op: Op, deadline: Option<Instant>) -> Result<Outcome, LiveError> {
        submit(&self.queue, op, deadline).await
    }
}

/// Queues `op` and waits for its outcome. When `deadline` passes while the job still
/// waits its turn, it is withdrawn and answered [`LiveError::Expired`]; once the writer
/// has taken it, this waits for the end.
async fn submit(
    queue: &mpsc::Sender<Job>,
    op: Op,
    deadline: Option<Instant>,
) -> Result<Outcome, LiveError> {
    let state = Arc::new(AtomicU8::new(QUEUED));
    let guard = Abandon(Arc::clone(&state));
    let (reply, outcome) = oneshot::channel();
    queue
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
    store: Box<dyn ChangeStore>,
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
                let outcome = match job.op {
                    Op::Reload => {
                        self.commit(std::mem::take(&mut edits));
                        self.reload().map(Outcome::Reloaded)
                    }
                    Op::RefreshDay => {
                        self.commit(std::mem::take(&mut edits));
                        self.refresh_day().map(Outcome::Done)
                    }
                    Op::Follow => {
                        self.commit(std::mem::take(&mut edits));
                        self.follow().map(Outcome::Done)
                    }
                    _ => {
                        edits.push(job);
                        continue;
                    }
                };
                job.answer(outcome);
            }
            self.commit(edits);
        }
    }

    /// Applies claimed edit jobs as one batch on the newest state: one engine, one
    /// durable write; answers each.
    fn commit(&mut self, jobs: Vec<Job>) {
        if jobs.is_empty() {
            return;
        }
        let today = dates::today();
        let base = match self.store.begin() {
            Ok(base) => base,
            Err(e) => {
                let e = LiveError::State(e);
                for job in jobs {
                    job.answer(Err(again(&e)));
                }
                return;
            }
        };
        // Each job is checked on the state with the batch's earlier jobs applied; a
        // refusal only stands once those have happened.
        let mut changes = base.clone();
        let checked: Vec<(Job, Result<u64, LiveError>)> = jobs
            .into_iter()
            .map(|job| {
                let result = edit(&self.files.catalog, &mut changes, &job.op, today);
                (job, result)
            })
            .collect();
        if checked.iter().all(|(_, r)| r.is_err()) {
            // Nothing changed: each refusal is against the newest state itself.
            self.store.abort();
            for (job, result) in checked {
                if let Err(e) = result {
                    job.answer(Err(e));
                }
            }
            self.take_in(base);
            return;
        }
        match self.install(changes, today, true) {
            Ok(done) => {
                for (job, result) in checked {
                    job.answer(result.map(|version| {
                        Outcome::Applied(Applied {
                            version,
                            ..done.clone()
                        })
                    }));
                }
            }
            Err(LiveError::Rejected(problems)) if checked.len() > 1 => {
                tracing::debug!(
                    jobs = checked.len(),
                    problems = problems.len(),
                    "batch refused; applying its changes one by one"
                );
                for (job, _) in checked {
                    self.commit(vec![job]);
                }
            }
            Err(e) => {
                // Nothing of the batch happened, so no refusal in it stands either.
                let mut jobs = checked.into_iter().map(|(job, _)| job);
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

    /// Builds the engine for `changes`, writes them durably when `save` says so (the
    /// write [`ChangeStore::begin`] opened), and only then swaps the engine in. On an
    /// error the write is aborted and nothing changes.
    fn install(&mut self, changes: Changes, today: Date, save: bool) -> Result<Applied, LiveError> {
        let result = self.build(&changes, today, save);
        let engine = match result {
            Ok(engine) => engine,
            Err(e) => {
                self.store.abort();
                return Err(e);
            }
        };
        if let Err(e) = self.store.keep_snapshot(&changes) {
            tracing::warn!(error = %e, "could not keep the local snapshot of the live changes");
        }
        let engine = Arc::new(engine);
        self.publish(&engine, changes.len());
        self.files.changes = changes;
        self.files.day = today;
        Ok(Applied {
            engine,
            live_changes: self.files.changes.len(),
            version: 0,
        })
    }

    fn build(&mut self, changes: &Changes, today: Date, save: bool) -> Result<Engine, LiveError> {
        let (served, _) = self
            .files
            .catalog
            .apply(changes, today)
            .map_err(|e| match e {
                CatalogError::Invalid(problems) => LiveError::Rejected(problems),
                other => LiveError::Catalog(other),
            })?;
        let current = self.shared.engine.load_full();
        let store = &mut self.store;
        let (engine, _) = current.next(served, || match save {
            true => store.save(changes),
            false => Ok(()),
        })??;
        Ok(engine)
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
        self.install(self.files.changes.clone(), today, false)?;
        Ok(true)
    }

    /// Takes in the changes other replicas made, when the store has newer ones.
    fn follow(&mut self) -> Result<bool, LiveError> {
        match self.store.newer(self.files.changes.number)? {
            Some(newer) => {
                let (from, to) = (self.files.changes.number, newer.number);
                self.install(newer, dates::today(), false)?;
                tracing::debug!(from, to, "took in live changes of other replicas");
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Serves `state` (read in a write that was aborted) when it is newer than what is
    /// served; a failure is left for the next catch-up.
    fn take_in(&mut self, state: Changes) {
        if state.number > self.files.changes.number {
            if let Err(e) = self.install(state, dates::today(), false) {
                tracing::error!(error = %e, "could not take in the live changes of other replicas");
            }
        }
    }

    /// Re-reads the catalog files. With a store of this replica's own, live changes the
    /// files now contain are dropped from it. A shared store keeps them: the other
    /// replicas may not have the new files yet, and a change equal to a file entry
    /// changes nothing where they do.
    fn reload(&mut self) -> Result<Reloaded, LiveError> {
        let catalog = Catalog::load(&self.catalog_dir)?;
        let day = dates::today();
        let mut changes = self.files.changes.clone();
        let mut notes = Vec::new();
        let adopted = if self.store.shared() {
            let kept = changes.clone().prune_adopted(&catalog, day);
            if kept > 0 {
                notes.push(format!(
                    "{kept} live changes are now in the catalog files; they stay in the \
                     shared store, where replicas with older files still need them"
                ));
            }
            0
        } else {
            let adopted = changes.prune_adopted(&catalog, day);
            if adopted > 0 {
                self.store.begin()?;
                changes.number += 1;
            }
            adopted
        };
        let result = self.reloaded(catalog, changes, adopted, day).map(|mut r| {
            r.warnings.extend(notes);
            r
        });
        if result.is_err() {
            self.store.abort();
        }
        result
    }

    fn reloaded(
        &mut self,
        catalog: Catalog,
        changes: Changes,
        adopted: usize,
        day: Date,
    ) -> Result<Reloaded, LiveError> {
        let (served, warnings) = catalog.apply(&changes, day)?;
        let current = self.shared.engine.load_full();
        let store = &mut self.store;
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
        if let Err(e) = self.store.keep_snapshot(&changes) {
            tracing::warn!(error = %e, "could not keep the local snapshot of the live changes");
        }
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
        LiveError::State(StateError::Unreachable { target, cause }) => {
            LiveError::State(StateError::Unreachable {
                target: target.clone(),
                cause: cause.clone(),
            })
        }
        LiveError::State(StateError::Unknown { target, cause }) => {
            LiveError::State(StateError::Unknown {
                target: target.clone(),
                cause: cause.clone(),
            })
        }
        LiveError::State(StateError::Database { target, cause }) => {
            LiveError::State(StateError::Database {
                target: target.clone(),
                cause: cause.clone(),
            })
        }
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

/// Records one edit in `changes` and returns the change's number, or says why it
/// cannot be made.
fn edit(files: &Catalog, changes: &mut Changes, op: &Op, today: Date) -> Result<u64, LiveError> {
    let (id, expected) = match op {
        Op::SetAvailability { id, expected, .. } | Op::Delete(id, expected) => {
            (id.as_str(), *expected)
        }
        Op::Upsert(offering, expected) => (offering.id.as_str(), *expected),
        Op::RefreshDay | Op::Reload | Op::Follow => return Ok(changes.number),
    };
    if let Some(expected) = expected {
        let current = changes.version(id);
        if current != expected {
            return Err(LiveError::Conflict {
                id: id.to_string(),
                expected,
                current,
            });
        }
    }
    match op {
        Op::SetAvailability {
            availability,
            effective,
            ..
        } => {
            if !exists(files, changes, id) {
                return Err(LiveError::NotFound(id.to_string()));
            }
            let effective = effective.unwrap_or(today);
            changes.set_availability(id, AvailabilityChange::new(availability, effective), today);
        }
        Op::Upsert(offering, _) => {
            changes.upsert(id, crate::catalog::entry_toml(offering));
        }
        Op::Delete(..) => {
            if !exists(files, changes, id) {
                return Err(LiveError::NotFound(id.to_string()));
            }
            changes.delete(id, files.get(id).is_some());
        }
        Op::RefreshDay | Op::Reload | Op::Follow => {}
    }
    Ok(changes.stamp(id))
}
