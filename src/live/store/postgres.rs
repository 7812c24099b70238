//! Live changes in a PostgreSQL database that several replicas share.
//!
//! The whole state is one row (`wegwijzer_live_state`): the same JSON the file store
//! keeps, with the number of its last change. A write is one transaction: lock the row
//! (`SELECT … FOR UPDATE`, so writers on different replicas are serialised by the
//! database), build on the state it holds, write the new one, log the commit,
//! `pg_notify` and `COMMIT`; only after the commit is anyone answered. Replicas follow
//! by `LISTEN`: a notification, a (re)connection and a heartbeat each let the writer
//! read the row and serve it when its number is higher than its own. Because the row
//! holds the whole state, a replica that missed notifications (down, or cut off) loses
//! nothing, and one that sees a notification twice applies nothing twice.
//!
//! The schema is created and upgraded at start-up from the numbered files in
//! `migrations/`, under an advisory lock so replicas starting together do not race.
//! The client runs on a small runtime of its own, so the writer thread can wait on it
//! without being inside the server's runtime.
//!
//! One case stays open by nature: when the connection breaks while `COMMIT` is on its
//! way, the change may or may not have been committed. The caller is then answered
//! `UNAVAILABLE`; the change is visible on every replica if it was committed, so a
//! caller that retries with the version it expects sees a conflict instead of a second
//! change.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod};
use futures_util::StreamExt as _;
use tokio::runtime::Runtime;
use tokio::sync::{mpsc, watch};
use tokio_postgres::config::Host;
use tokio_postgres::{AsyncMessage, Config, Row};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::{ChangeStore, FileStore, StateError, StoreStatus};
use crate::catalog::Changes;
use crate::live::Follower;

/// The channel of change notifications.
const CHANNEL: &str = "wegwijzer_live";
/// The advisory lock held while migrating ("wegwijze" in ASCII).
const MIGRATION_LOCK: i64 = 0x7765_6777_696a_7a65;
/// The schema's versions, in order.
const MIGRATIONS: &[(i32, &str, &str)] = &[(
    1,
    "live state",
    include_str!("migrations/0001_live_state.sql"),
)];
/// How long connecting (or waiting for a pooled connection) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long one step of a write (lock and read, or write and commit) may take before
/// the connection is dropped and the write answered `UNAVAILABLE`.
const STEP_TIMEOUT: Duration = Duration::from_secs(5);
/// Server-side limits for every session: a lock or statement that waits longer fails,
/// and a session that holds a transaction open while its client is gone is ended, so
/// a stuck replica never keeps the others from writing.
const SESSION_LIMITS: &str = "-c lock_timeout=4s -c statement_timeout=4s \
     -c idle_in_transaction_session_timeout=10s";
/// How often the listening connection is checked, and the state read regardless.
const HEARTBEAT: Duration = Duration::from_secs(5);
/// Longest wait between attempts to reach a lost database.
const MAX_BACKOFF: Duration = Duration::from_secs(2);
/// The replica's own copy of the state it serves, under its data folder.
const SNAPSHOT_DIR: &str = "postgres-snapshot";
/// Environment variable naming an extra CA certificate (PEM) for TLS to the database.
pub const CA_ENV: &str = "WEGWIJZER_STORE_CA";

/// Parses a `postgres://` URL. Without `sslmode` in it, the connection is plain:
/// TLS is asked for with `sslmode=require`, and then the server's certificate must be
/// trusted (the system's roots or [`CA_ENV`]); libpq's `prefer`, which tries TLS and
/// accepts any certificate, is not offered.
pub fn parse(url: &str) -> Result<Config, tokio_postgres::Error> {
    let mut config: Config = url.parse()?;
    if !url.contains("sslmode=") {
        config.ssl_mode(tokio_postgres::config::SslMode::Disable);
    }
    Ok(config)
}

/// Host, port and database of a URL, for messages: never the password.
pub fn describe(url: &str) -> String {
    parse(url).map_or_else(|_| "<unreadable URL>".into(), |c| describe_config(&c))
}

fn describe_config(c: &Config) -> String {
    let host = match c.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = c.get_ports().first().copied().unwrap_or(5432);
    let db = c.get_dbname().or(c.get_user()).unwrap_or("postgres");
    format!("{host}:{port}/{db}")
}

/// Reads the live changes in the database at `url` once, without changing anything
/// (for `catalog export --live`).
pub fn read_once(url: &str) -> Result<Changes, StateError> {
    let mut config = parse(url).map_err(|e| database("--store", &e.to_string()))?;
    config.connect_timeout(CONNECT_TIMEOUT);
    let target = describe_config(&config);
    let tls = tls().map_err(|cause| database(&target, &cause))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| database(&target, &e.to_string()))?;
    runtime.block_on(async {
        let (client, connection) = config
            .connect(tls)
            .await
            .map_err(|e| classify(&target, &e))?;
        let driver = tokio::spawn(connection);
        let row = client
            .query_one(
                "SELECT number, changes FROM wegwijzer_live_state WHERE id = 1",
                &[],
            )
            .await
            .map_err(|e| classify(&target, &e));
        drop(client);
        let _ = driver.await;
        decode(&target, &row?)
    })
}

/// The store of a replica that shares its live changes through PostgreSQL.
pub struct PgStore {
    runtime: Runtime,
    pool: Pool,
    config: Config,
    tls: MakeRustlsConnect,
    target: String,
    /// The connection of the write in progress, inside its transaction, and the number
    /// of the state it started from.
    write: Option<(Object, u64)>,
    snapshot: FileStore,
    /// The snapshot to serve when the database could not be reached at start-up.
    stale: Option<Changes>,
    status: Arc<watch::Sender<StoreStatus>>,
}

impl PgStore {
    /// Connects to the database at `url` and brings its schema up to date. When it
    /// cannot be reached: with `allow_stale`, starts from the replica's snapshot under
    /// `data_dir` and reports [`StoreStatus::Unreachable`] until it is back; otherwise
    /// refuses, saying so.
    pub fn open(
        url: &str,
        data_dir: &Path,
        allow_stale: bool,
        status: watch::Sender<StoreStatus>,
    ) -> Result<PgStore, StateError> {
        let mut config = parse(url).map_err(|e| StateError::Database {
            target: "--store".into(),
            cause: e.to_string(),
        })?;
        config
            .connect_timeout(CONNECT_TIMEOUT)
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(5))
            .keepalives_interval(Duration::from_secs(2))
            .keepalives_retries(3)
            .tcp_user_timeout(Duration::from_secs(10))
            .application_name("wegwijzer");
        let options = match config.get_options() {
            Some(own) => format!("{own} {SESSION_LIMITS}"),
            None => SESSION_LIMITS.to_string(),
        };
        config.options(options);
        let target = describe_config(&config);
        let tls = tls().map_err(|cause| StateError::Database {
            target: target.clone(),
            cause,
        })?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("wegwijzer-store")
            .enable_all()
            .build()
            .map_err(|source| StateError::Io {
                path: data_dir.to_path_buf(),
                source,
            })?;
        let manager = Manager::from_config(
            config.clone(),
            tls.clone(),
            ManagerConfig {
                // Whatever path a connection comes back by, no transaction survives it.
                recycling_method: RecyclingMethod::Custom("ROLLBACK".into()),
            },
        );
        let pool = Pool::builder(manager)
            .max_size(4)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(CONNECT_TIMEOUT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .recycle_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|e| StateError::Database {
                target: target.clone(),
                cause: e.to_string(),
            })?;
        let snapshot = FileStore::new(&data_dir.join(SNAPSHOT_DIR))?;
        let mut stale = None;
        match runtime.block_on(migrate(&pool, &target)) {
            Ok(()) => {}
            Err(e @ StateError::Unreachable { .. }) if allow_stale => {
                if !snapshot.path().is_file() {
                    return Err(StateError::Unreachable {
                        target,
                        cause: format!(
                            "{}; and --allow-stale has no snapshot to serve ({} does not \
                             exist: this replica never served from the database with \
                             this data folder)",
                            unreachable_cause(&e),
                            snapshot.path().display()
                        ),
                    });
                }
                let state = snapshot.load()?;
                tracing::warn!(
                    error = %e,
                    snapshot = %snapshot.path().display(),
                    live_changes = state.len(),
                    "starting read-only from this replica's last snapshot (--allow-stale): \
                     admin changes are refused until the database is back, then this \
                     replica catches up"
                );
                status.send_replace(StoreStatus::Unreachable);
                stale = Some(state);
            }
            Err(StateError::Unreachable { target, cause }) => {
                return Err(StateError::Unreachable {
                    target,
                    cause: format!(
                        "{cause}. Start the database or correct --store; to serve this \
                         replica's last snapshot read-only meanwhile, start with \
                         --allow-stale"
                    ),
                })
            }
            Err(e) => return Err(e),
        }
        Ok(PgStore {
            runtime,
            pool,
            config,
            tls,
            target,
            write: None,
            snapshot,
            stale,
            status: Arc::new(status),
        })
    }

    /// Runs `work` on the store's runtime, at most [`STEP_TIMEOUT`]; a step that takes
    /// longer is dropped (with its connection, which is never reused mid-transaction)
    /// and reported as unreachable.
    fn step<T>(
        &self,
        work: impl std::future::Future<Output = Result<T, StateError>>,
    ) -> Result<T, StateError> {
        let target = self.target.clone();
        self.runtime.block_on(async move {
            tokio::time::timeout(STEP_TIMEOUT, work)
                .await
                .unwrap_or_else(|_| {
                    Err(StateError::Unreachable {
                        target,
                        cause: format!("no answer within {} s", STEP_TIMEOUT.as_secs()),
                    })
                })
        })
    }

    fn read_state(&self, above: Option<u64>) -> Result<Option<Changes>, StateError> {
        let (pool, target) = (self.pool.clone(), self.target.clone());
        self.step(async move {
            let client = pool.get().await.map_err(|e| pool_error(&target, e))?;
            let above = above.map_or(-1, |n| n as i64);
            let row = client
                .query_opt(
                    "SELECT number, changes FROM wegwijzer_live_state \
                     WHERE id = 1 AND number > $1",
                    &[&above],
                )
                .await
                .map_err(|e| classify(&target, &e))?;
            row.map(|r| decode(&target, &r)).transpose()
        })
    }
}

impl ChangeStore for PgStore {
    fn load(&mut self) -> Result<Changes, StateError> {
        if let Some(state) = self.stale.take() {
            return Ok(state);
        }
        self.read_state(None)?
            .ok_or_else(|| database(&self.target, "the state row is missing"))
    }

    fn begin(&mut self) -> Result<Changes, StateError> {
        self.abort();
        let (pool, target) = (self.pool.clone(), self.target.clone());
        let (client, state) = self.step(async move {
            let client = pool.get().await.map_err(|e| pool_error(&target, e))?;
            let locked = async {
                client.batch_execute("BEGIN").await?;
                client
                    .query_one(
                        "SELECT number, changes FROM wegwijzer_live_state \
                         WHERE id = 1 FOR UPDATE",
                        &[],
                    )
                    .await
            };
            match locked.await {
                Ok(row) => match decode(&target, &row) {
                    Ok(state) => Ok((client, state)),
                    Err(e) => {
                        discard(client);
                        Err(e)
                    }
                },
                Err(e) => {
                    discard(client);
                    Err(classify(&target, &e))
                }
            }
        })?;
        self.write = Some((client, state.number));
        Ok(state)
    }

    fn save(&mut self, changes: &Changes) -> Result<(), StateError> {
        let Some((client, previous)) = self.write.take() else {
            return Err(database(&self.target, "a save without a write begun"));
        };
        let (pool, target) = (self.pool.clone(), self.target.clone());
        let json = serde_json::to_value(changes).expect("changes always serialize");
        let (number, previous) = (changes.number as i64, previous as i64);
        self.step(async move {
            let written = async {
                let updated = client
                    .execute(
                        "UPDATE wegwijzer_live_state \
                         SET number = $1, changes = $2, updated_at = now() \
                         WHERE id = 1 AND number = $3",
                        &[&number, &json, &previous],
                    )
                    .await?;
                client
                    .execute(
                        "INSERT INTO wegwijzer_live_commits (number, previous) VALUES ($1, $2)",
                        &[&number, &previous],
                    )
                    .await?;
                client
                    .execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &number.to_string()])
                    .await?;
                Ok::<_, tokio_postgres::Error>(updated)
            };
            match written.await {
                Ok(1) => {}
                Ok(_) => {
                    discard(client);
                    return Err(database(&target, "the state moved during a locked write"));
                }
                Err(e) => {
                    discard(client);
                    return Err(classify(&target, &e));
                }
            }
            match client.batch_execute("COMMIT").await {
                Ok(()) => Ok(()),
                Err(e) => {
                    discard(client);
                    settle(&pool, &target, number, classify(&target, &e)).await
                }
            }
        })
    }

    fn abort(&mut self) {
        if let Some((client, _)) = self.write.take() {
            let rolled_back = self.runtime.block_on(async {
                tokio::time::timeout(CONNECT_TIMEOUT, client.batch_execute("ROLLBACK")).await
            });
            if !matches!(rolled_back, Ok(Ok(()))) {
                discard(client);
            }
        }
    }

    fn newer(&mut self, number: u64) -> Result<Option<Changes>, StateError> {
        self.read_state(Some(number))
    }

    fn keep_snapshot(&mut self, changes: &Changes) -> Result<(), StateError> {
        self.snapshot.save(changes)
    }

    fn shared(&self) -> bool {
        true
    }

    fn follow(&mut self, follower: Follower) {
        self.runtime.spawn(listen(
            self.config.clone(),
            self.tls.clone(),
            self.pool.clone(),
            self.target.clone(),
            Arc::clone(&self.status),
            follower,
        ));
    }
}

/// Listens for change notifications for as long as the [`crate::live::Live`] lives,
/// reconnecting when the connection is lost; reports whether the database is
/// reachable.
async fn listen(
    config: Config,
    tls: MakeRustlsConnect,
    pool: Pool,
    target: String,
    status: Arc<watch::Sender<StoreStatus>>,
    follower: Follower,
) {
    let mut backoff = Duration::from_millis(100);
    // The schema is brought up to date at start-up; a replica that started without the
    // database does it when it first reaches it.
    let mut migrated = *status.borrow() == StoreStatus::Ready;
    loop {
        let lost = match config.connect(tls.clone()).await {
            Ok((client, mut connection)) => {
                let (notified, mut notifications) = mpsc::unbounded_channel();
                let driver = tokio::spawn(async move {
                    let mut messages =
                        futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
                    while let Some(Ok(message)) = messages.next().await {
                        if let AsyncMessage::Notification(_) = message {
                            if notified.send(()).is_err() {
                                break;
                            }
                        }
                    }
                });
                let listening = async {
                    client
                        .batch_execute(&format!("LISTEN {CHANNEL}"))
                        .await
                        .map_err(|e| classify(&target, &e))?;
                    if !migrated {
                        migrate(&pool, &target).await?;
                        migrated = true;
                    }
                    Ok::<_, StateError>(())
                };
                let lost = match listening.await {
                    Ok(()) => {
                        backoff = Duration::from_millis(100);
                        if status.send_replace(StoreStatus::Ready) == StoreStatus::Unreachable {
                            tracing::info!(
                                database = %target,
                                "the live-changes database is reachable again; catching up"
                            );
                        }
                        if !follower.catch_up().await {
                            return;
                        }
                        loop {
                            tokio::select! {
                                got = notifications.recv() => {
                                    if got.is_none() {
                                        break "the connection closed".to_string();
                                    }
                                    while notifications.try_recv().is_ok() {}
                                }
                                () = tokio::time::sleep(HEARTBEAT) => {
                                    let alive = tokio::time::timeout(
                                        CONNECT_TIMEOUT,
                                        client.simple_query("SELECT 1"),
                                    )
                                    .await;
                                    match alive {
                                        Ok(Ok(_)) => {}
                                        Ok(Err(e)) => break e.to_string(),
                                        Err(_) => break "no answer to a heartbeat".to_string(),
                                    }
                                }
                            }
                            if !follower.catch_up().await {
                                return;
                            }
                        }
                    }
                    Err(e) => e.to_string(),
                };
                driver.abort();
                lost
            }
            Err(e) => e.to_string(),
        };
        if status.send_replace(StoreStatus::Unreachable) == StoreStatus::Ready {
            tracing::warn!(
                database = %target,
                cause = %lost,
                "lost the live-changes database: reads go on from memory, admin changes \
                 are refused until it is back"
            );
        }
        if !follower.alive() {
            return;
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// Creates or upgrades the schema to the newest version this build knows, under an
/// advisory lock.
async fn migrate(pool: &Pool, target: &str) -> Result<(), StateError> {
    let mut client = pool.get().await.map_err(|e| pool_error(target, e))?;
    let newest = MIGRATIONS.last().map_or(0, |m| m.0);
    let result = async {
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS wegwijzer_schema_migrations (\
               version integer PRIMARY KEY, \
               name text NOT NULL, \
               applied_at timestamptz NOT NULL DEFAULT now())",
        )
        .await?;
        let applied: Vec<i32> = tx
            .query("SELECT version FROM wegwijzer_schema_migrations", &[])
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        if let Some(&found) = applied.iter().max() {
            if found > newest {
                return Ok(Err(found));
            }
        }
        for &(version, name, sql) in MIGRATIONS {
            if applied.contains(&version) {
                continue;
            }
            tx.batch_execute(sql).await?;
            tx.execute(
                "INSERT INTO wegwijzer_schema_migrations (version, name) VALUES ($1, $2)",
                &[&version, &name],
            )
            .await?;
            tracing::info!(version, name, database = %target, "database schema upgraded");
        }
        tx.commit().await?;
        Ok::<_, tokio_postgres::Error>(Ok(()))
    };
    match result.await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(found)) => Err(database(
            target,
            &format!(
                "its schema is at version {found}, newer than this wegwijzer knows \
                 ({newest}); run the newer wegwijzer"
            ),
        )),
        Err(e) => Err(classify(target, &e)),
    }
}

/// The TLS connector: used when the URL asks for it (`sslmode=require`, or `prefer`,
/// the default, when the server offers TLS). Trusts the system's roots and the PEM
/// file named by [`CA_ENV`].
fn tls() -> Result<MakeRustlsConnect, String> {
    use rustls::pki_types::pem::PemObject as _;
    use rustls::pki_types::CertificateDer;

    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    if let Some(path) = std::env::var_os(CA_ENV) {
        let certs = CertificateDer::pem_file_iter(&path)
            .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
            .map_err(|e| format!("{CA_ENV}: {e}"))?;
        for cert in certs {
            roots.add(cert).map_err(|e| format!("{CA_ENV}: {e}"))?;
        }
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| e.to_string())?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

fn decode(target: &str, row: &Row) -> Result<Changes, StateError> {
    let number: i64 = row.get(0);
    let json: serde_json::Value = row.get(1);
    let changes: Changes = serde_json::from_value(json)
        .map_err(|e| database(target, &format!("the stored state is not valid: {e}")))?;
    if changes.number as i64 != number {
        return Err(database(
            target,
            "the stored state's change number does not match its row",
        ));
    }
    Ok(changes)
}

/// Drops a connection instead of returning it to the pool (its transaction is in an
/// unknown state).
fn discard(client: Object) {
    drop(Object::take(client));
}

fn database(target: &str, cause: &str) -> StateError {
    StateError::Database {
        target: target.to_string(),
        cause: cause.to_string(),
    }
}

/// After a `COMMIT` whose answer was lost: looks on a fresh connection whether the
/// write with change `number` was committed (its row in `wegwijzer_live_commits`).
/// Committed: the write succeeded. Not there: it did not happen (`failed`). No way to
/// tell: [`StateError::Unknown`], so the caller is never told "not applied" wrongly.
async fn settle(
    pool: &Pool,
    target: &str,
    number: i64,
    failed: StateError,
) -> Result<(), StateError> {
    let look = async {
        let client = pool.get().await.ok()?;
        client
            .query_opt(
                "SELECT 1 FROM wegwijzer_live_commits WHERE number = $1",
                &[&number],
            )
            .await
            .ok()
            .map(|row| row.is_some())
    };
    match tokio::time::timeout(CONNECT_TIMEOUT, look).await {
        Ok(Some(true)) => Ok(()),
        Ok(Some(false)) => Err(failed),
        _ => Err(StateError::Unknown {
            target: target.to_string(),
            cause: unreachable_cause(&failed),
        }),
    }
}

fn unreachable_cause(e: &StateError) -> String {
    match e {
        StateError::Unreachable { cause, .. } | StateError::Database { cause, .. } => cause.clone(),
        other => other.to_string(),
    }
}

/// A refusal by the database, or a lost connection. A server that is starting, shutting
/// down or full (SQLSTATE classes 08 and 53, 57P01 to 57P03) counts as unreachable for
/// now, not as a refusal.
fn classify(target: &str, e: &tokio_postgres::Error) -> StateError {
    match e.as_db_error() {
        Some(db) => {
            let code = db.code().code();
            let passing = code.starts_with("08")
                || code.starts_with("53")
                || matches!(code, "57P01" | "57P02" | "57P03");
            let cause = format!("{} ({code})", db.message());
            if passing {
                StateError::Unreachable {
                    target: target.to_string(),
                    cause,
                }
            } else {
                database(target, &cause)
            }
        }
        None => StateError::Unreachable {
            target: target.to_string(),
            cause: e.to_string(),
        },
    }
}

fn pool_error(target: &str, e: deadpool_postgres::PoolError) -> StateError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => classify(target, &e),
        other => StateError::Unreachable {
            target: target.to_string(),
            cause: other.to_string(),
        },
    }
}
