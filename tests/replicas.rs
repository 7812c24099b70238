//! Replicas that share their live changes through PostgreSQL: real `wegwijzer serve`
//! processes on one real, throwaway PostgreSQL cluster (see `common/postgres.rs`).
//! Every test skips, saying so, where PostgreSQL is not installed; CI installs it.

mod common;
#[path = "common/postgres.rs"]
mod postgres;

use std::time::{Duration, Instant};

use tonic::Code;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use tonic_health::pb::HealthCheckRequest;
use wegwijzer::grpc::pb;
use wegwijzer::grpc::pb::admin_service_client::AdminServiceClient;
use wegwijzer::grpc::pb::catalog_service_client::CatalogServiceClient;
use wegwijzer::grpc::pb::referral_service_client::ReferralServiceClient;

use common::{channel, Spawned};
use postgres::Cluster;

const TOKEN: &str = "replica-test-admin-token";
/// A change must be visible on every replica within this.
const VISIBLE_WITHIN: Duration = Duration::from_secs(1);

fn replica(cluster: &Cluster, data: &std::path::Path, extra: &[&str]) -> Spawned {
    let url = cluster.url();
    let mut serve = vec!["--web-addr", "off", "--store", &url];
    serve.extend_from_slice(extra);
    common::spawn_server(&[], &serve, &[("WEGWIJZER_ADMIN_TOKEN", TOKEN)], data)
}

/// A connected replica: its admin and catalog clients.
struct Client {
    admin: AdminServiceClient<tonic::transport::Channel>,
    catalog: CatalogServiceClient<tonic::transport::Channel>,
    channel: tonic::transport::Channel,
}

impl Client {
    async fn new(server: &Spawned) -> Client {
        let channel = channel(&server.grpc).await;
        Client {
            admin: AdminServiceClient::new(channel.clone()),
            catalog: CatalogServiceClient::new(channel.clone()),
            channel,
        }
    }

    /// Sets a waiting list with `note` on `id`; returns the new version.
    async fn set(
        &mut self,
        id: &str,
        note: &str,
        expected: Option<u64>,
    ) -> Result<u64, tonic::Status> {
        self.admin
            .set_availability(common::authorized(
                pb::SetAvailabilityRequest {
                    id: id.into(),
                    availability: Some(pb::Availability {
                        status: pb::AvailabilityStatus::Wachtlijst as i32,
                        waiting_weeks: Some(3),
                        note: note.into(),
                        effective_date: String::new(),
                    }),
                    expected_version: expected,
                },
                TOKEN,
            ))
            .await
            .map(|r| r.into_inner().version)
    }

    /// The availability note `id` shows now.
    async fn note(&mut self, id: &str) -> Option<String> {
        let o = self
            .catalog
            .get_offering(pb::GetOfferingRequest { id: id.into() })
            .await
            .ok()?
            .into_inner()
            .offering?;
        o.availability.map(|a| a.note)
    }

    /// How long until `id` shows `note` here, polling; None after `limit`.
    async fn wait_note(&mut self, id: &str, note: &str, limit: Duration) -> Option<Duration> {
        let started = Instant::now();
        while started.elapsed() < limit {
            if self.note(id).await.as_deref() == Some(note) {
                return Some(started.elapsed());
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        None
    }

    async fn store_health(&mut self) -> i32 {
        HealthClient::new(self.channel.clone())
            .check(HealthCheckRequest {
                service: "wegwijzer.store".into(),
            })
            .await
            .map(|r| r.into_inner().status)
            .unwrap_or(-1)
    }

    async fn wait_store_health(&mut self, want: ServingStatus, limit: Duration) -> bool {
        let started = Instant::now();
        while started.elapsed() < limit {
            if self.store_health().await == want as i32 {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }

    async fn ids(&self, n: usize) -> Vec<String> {
        common::first_offerings(self.channel.clone())
            .await
            .into_iter()
            .take(n)
            .map(|o| o.id)
            .collect()
    }
}

/// Two replicas on one fresh cluster, with their data folders and a runtime to call
/// them from.
struct Pair {
    a: Spawned,
    b: Spawned,
    cluster: Cluster,
    da: tempfile::TempDir,
    db: tempfile::TempDir,
    runtime: tokio::runtime::Runtime,
}

impl Pair {
    /// None (having said so) where PostgreSQL is not installed.
    fn start(test: &str) -> Option<Pair> {
        let cluster = Cluster::start(test)?;
        let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        Some(Pair {
            a: replica(&cluster, da.path(), &[]),
            b: replica(&cluster, db.path(), &[]),
            cluster,
            da,
            db,
            runtime: tokio::runtime::Runtime::new().unwrap(),
        })
    }
}

/// Runs `wegwijzer serve` on `store` and `data` with `extra` flags until it exits (for
/// starts that must fail): whether it succeeded, and what it printed.
fn serve_until_exit(store: &str, data: &std::path::Path, extra: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wegwijzer"))
        .env_remove("WEGWIJZER_STORE")
        .env_remove("WEGWIJZER_ALLOW_STALE")
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--web-addr",
            "off",
            "--store",
            store,
        ])
        .args(extra)
        .arg("--catalog")
        .arg(common::catalog_dir())
        .arg("--data-dir")
        .arg(data)
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[test]
fn a_change_on_one_replica_is_visible_on_the_other_within_a_second() {
    let Some(Pair {
        cluster,
        a,
        b,
        da: _da,
        db: _db,
        runtime,
    }) = Pair::start("replicas::propagation")
    else {
        return;
    };
    runtime.block_on(async {
        let (mut a, mut b) = (Client::new(&a).await, Client::new(&b).await);
        let ids = a.ids(20).await;
        let mut delays = Vec::new();
        for i in 0..240 {
            let id = &ids[i % ids.len()];
            let note = format!("ronde {i}");
            let (writer, reader) = if i % 2 == 0 {
                (&mut a, &mut b)
            } else {
                (&mut b, &mut a)
            };
            writer.set(id, &note, None).await.expect("acknowledged");
            let delay = reader
                .wait_note(id, &note, Duration::from_secs(5))
                .await
                .unwrap_or_else(|| panic!("change {i} on {id} never reached the other replica"));
            delays.push(delay);
        }
        delays.sort();
        let (p50, p99, max) = (
            percentile(&delays, 0.5),
            percentile(&delays, 0.99),
            delays[delays.len() - 1],
        );
        println!(
            "propagation over {} changes (half each way): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            delays.len(),
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3
        );
        assert!(
            max <= VISIBLE_WITHIN,
            "a change took {max:?} to reach the other replica"
        );
    });
    assert_eq!(
        cluster.sql("SELECT number FROM wegwijzer_live_state"),
        "240"
    );
}

#[test]
fn sigkill_of_a_replica_loses_no_acknowledged_change() {
    use std::collections::HashMap;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    let Some(Pair {
        cluster,
        mut a,
        b,
        da,
        db: _db,
        runtime,
    }) = Pair::start("replicas::sigkill")
    else {
        return;
    };
    // Per offering: the last acknowledged note, and the one in flight when A died
    // (which may or may not have been committed).
    type Notes = HashMap<String, (Option<String>, Option<String>)>;
    let state: Arc<Mutex<Notes>> = Arc::default();
    let acks = Arc::new(AtomicUsize::new(0));
    runtime.block_on(async {
        let ids = Client::new(&a).await.ids(40).await;
        // Four writers at once, each on ten offerings of its own, round after round,
        // until the replica dies under them.
        for (t, chunk) in ids.chunks(10).enumerate() {
            let mut c = Client::new(&a).await;
            let (chunk, state, acks) = (chunk.to_vec(), Arc::clone(&state), Arc::clone(&acks));
            tokio::spawn(async move {
                for round in 0.. {
                    for id in &chunk {
                        let note = format!("voor de crash {t}-{round}");
                        state.lock().unwrap().entry(id.clone()).or_default().1 = Some(note.clone());
                        if c.set(id, &note, None).await.is_err() {
                            return;
                        }
                        *state.lock().unwrap().get_mut(id).unwrap() = (Some(note), None);
                        acks.fetch_add(1, Ordering::SeqCst);
                    }
                }
            });
        }
        let started = Instant::now();
        while acks.load(Ordering::SeqCst) < 120 {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the writes stalled"
            );
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        a.child.kill().unwrap();
        a.child.wait().unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
    });
    let state = state.lock().unwrap().clone();
    let acknowledged = acks.load(Ordering::SeqCst);
    let restarted = replica(&cluster, da.path(), &[]);
    runtime.block_on(async {
        for (name, server) in [("the other replica", &b), ("the restarted one", &restarted)] {
            let mut c = Client::new(server).await;
            tokio::time::sleep(VISIBLE_WITHIN).await;
            let mut kept = 0;
            for (id, (acked, in_flight)) in &state {
                let seen = c.note(id).await;
                let ok = seen == *acked || (in_flight.is_some() && seen == *in_flight);
                assert!(
                    ok,
                    "{id} on {name}: shows {seen:?}, last acknowledged {acked:?}"
                );
                kept += usize::from(acked.is_some());
            }
            println!(
                "SIGKILL after {acknowledged} acknowledged changes: {name} shows the last \
                 acknowledged (or the in-flight) change on all {} offerings ({kept} with one)",
                state.len()
            );
        }
    });
}

#[test]
fn concurrent_writers_on_both_replicas_are_serialised_and_conflicts_refused() {
    let Some(Pair {
        cluster,
        a,
        b,
        da: _da,
        db: _db,
        runtime,
    }) = Pair::start("replicas::concurrent")
    else {
        return;
    };
    runtime.block_on(async {
        let ids = Client::new(&a).await.ids(30).await;
        // Eight writers, four on each replica, all on the same thirty offerings.
        let mut tasks = Vec::new();
        for w in 0..8 {
            let mut c = Client::new(if w % 2 == 0 { &a } else { &b }).await;
            let ids = ids.clone();
            tasks.push(tokio::spawn(async move {
                let mut versions = Vec::new();
                for (i, id) in ids.iter().enumerate() {
                    let v = c
                        .set(id, &format!("schrijver {w} stap {i}"), None)
                        .await
                        .expect("acknowledged");
                    versions.push(v);
                }
                versions
            }));
        }
        let mut versions = Vec::new();
        for t in tasks {
            versions.extend(t.await.unwrap());
        }
        versions.sort();
        let n = versions.len() as u64;
        assert_eq!(
            versions,
            (1..=n).collect::<Vec<u64>>(),
            "every change got its own number"
        );
        assert_eq!(
            cluster.sql("SELECT number FROM wegwijzer_live_state"),
            n.to_string()
        );

        // Both replicas end up serving the same state.
        let (mut ca, mut cb) = (Client::new(&a).await, Client::new(&b).await);
        for id in &ids {
            let want = ca.note(id).await.unwrap();
            assert!(
                cb.wait_note(id, &want, VISIBLE_WITHIN).await.is_some(),
                "{id}: the replicas disagree"
            );
        }

        // Two writers that both read version v: one wins, the other is refused.
        let id = &ids[0];
        let v = ca.set(id, "gelezen", None).await.unwrap();
        assert!(cb.wait_note(id, "gelezen", VISIBLE_WITHIN).await.is_some());
        let (ra, rb) = tokio::join!(
            ca.set(id, "van replica a", Some(v)),
            cb.set(id, "van replica b", Some(v))
        );
        let outcomes = [&ra, &rb];
        let won = outcomes.iter().filter(|r| r.is_ok()).count();
        let refused: Vec<&tonic::Status> =
            outcomes.iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(won, 1, "exactly one conditional write wins: {ra:?} {rb:?}");
        assert_eq!(refused[0].code(), Code::Aborted, "{:?}", refused[0]);
        assert!(
            refused[0].message().contains("versie"),
            "{}",
            refused[0].message()
        );
        let winner = if ra.is_ok() {
            "van replica a"
        } else {
            "van replica b"
        };
        assert!(ca.wait_note(id, winner, VISIBLE_WITHIN).await.is_some());
        assert!(cb.wait_note(id, winner, VISIBLE_WITHIN).await.is_some());
        // A stale version is refused on either replica, and changes nothing.
        let stale = cb.set(id, "te laat", Some(v)).await.unwrap_err();
        assert_eq!(stale.code(), Code::Aborted);
        assert_eq!(ca.note(id).await.as_deref(), Some(winner));
    });
}

#[test]
fn a_database_restart_mid_run_keeps_reads_refuses_writes_and_recovers() {
    let Some(Pair {
        mut cluster,
        a,
        b,
        da: _da,
        db: _db,
        runtime,
    }) = Pair::start("replicas::database_restart")
    else {
        return;
    };
    let (mut ca, mut cb, ids) = runtime.block_on(async {
        let (mut ca, cb) = (Client::new(&a).await, Client::new(&b).await);
        let ids = ca.ids(3).await;
        ca.set(&ids[0], "voor de herstart", None).await.unwrap();
        assert_eq!(ca.store_health().await, ServingStatus::Serving as i32);
        (ca, cb, ids)
    });
    cluster.stop();
    runtime.block_on(async {
        assert!(
            ca.wait_store_health(ServingStatus::NotServing, Duration::from_secs(15))
                .await,
            "health reports the lost database"
        );
        // Reads go on from memory.
        let found = ReferralServiceClient::new(ca.channel.clone())
            .search(pb::SearchRequest {
                query: "schulden".into(),
                ..Default::default()
            })
            .await
            .expect("search answers without the database")
            .into_inner();
        assert!(!found.hits.is_empty());
        assert_eq!(cb.note(&ids[0]).await.as_deref(), Some("voor de herstart"));
        // Writes are refused as unavailable, and do not happen.
        let refused = ca
            .set(&ids[1], "tijdens de storing", None)
            .await
            .unwrap_err();
        assert_eq!(refused.code(), Code::Unavailable, "{refused:?}");
        let all = HealthClient::new(ca.channel.clone())
            .check(HealthCheckRequest {
                service: String::new(),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(
            all.status,
            ServingStatus::Serving as i32,
            "the server itself still serves reads"
        );
    });
    cluster.resume();
    runtime.block_on(async {
        for c in [&mut ca, &mut cb] {
            assert!(
                c.wait_store_health(ServingStatus::Serving, Duration::from_secs(15))
                    .await,
                "health reports the database back"
            );
        }
        ca.set(&ids[2], "na de herstart", None)
            .await
            .expect("writes work again");
        assert!(cb
            .wait_note(&ids[2], "na de herstart", VISIBLE_WITHIN)
            .await
            .is_some());
        assert_ne!(
            cb.note(&ids[1]).await.as_deref(),
            Some("tijdens de storing")
        );
    });
}

#[test]
fn a_replica_that_was_down_catches_up_and_an_unreachable_database_is_said_plainly() {
    let Some(Pair {
        mut cluster,
        a,
        mut b,
        da: _da,
        db,
        runtime,
    }) = Pair::start("replicas::catch_up")
    else {
        return;
    };
    let ids = runtime.block_on(async {
        let mut ca = Client::new(&a).await;
        let ids = ca.ids(10).await;
        ca.set(&ids[0], "gezien door b", None).await.unwrap();
        let mut cb = Client::new(&b).await;
        assert!(cb
            .wait_note(&ids[0], "gezien door b", VISIBLE_WITHIN)
            .await
            .is_some());
        ids
    });
    b.child.kill().unwrap();
    b.child.wait().unwrap();
    runtime.block_on(async {
        let mut ca = Client::new(&a).await;
        for (i, id) in ids.iter().enumerate() {
            ca.set(id, &format!("terwijl b uit stond {i}"), None)
                .await
                .unwrap();
        }
    });
    let b = replica(&cluster, db.path(), &[]);
    runtime.block_on(async {
        let mut cb = Client::new(&b).await;
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(
                cb.note(id).await,
                Some(format!("terwijl b uit stond {i}")),
                "caught up at start"
            );
        }
    });
    drop(b);

    // The database is down: without --allow-stale the replica refuses to start, saying
    // why and what to do; with it, it serves its last snapshot read-only.
    cluster.stop();
    let (started, stderr) = serve_until_exit(&cluster.url(), db.path(), &[]);
    assert!(!started, "started without its database");
    assert!(stderr.contains("cannot be reached"), "{stderr}");
    assert!(stderr.contains("--allow-stale"), "{stderr}");
    assert!(stderr.contains("127.0.0.1"), "{stderr}");

    // A data folder that never served from the database has no snapshot to serve.
    let fresh = tempfile::tempdir().unwrap();
    let (started, stderr) = serve_until_exit(&cluster.url(), fresh.path(), &["--allow-stale"]);
    assert!(!started, "served nothing as if it were the state");
    assert!(stderr.contains("no snapshot"), "{stderr}");

    let stale = replica(&cluster, db.path(), &["--allow-stale"]);
    runtime.block_on(async {
        let mut c = Client::new(&stale).await;
        assert_eq!(
            c.note(&ids[9]).await,
            Some("terwijl b uit stond 9".into()),
            "the snapshot is served"
        );
        assert_eq!(c.store_health().await, ServingStatus::NotServing as i32);
        let refused = c.set(&ids[0], "zonder database", None).await.unwrap_err();
        assert_eq!(refused.code(), Code::Unavailable);
    });
    cluster.resume();
    runtime.block_on(async {
        let mut c = Client::new(&stale).await;
        assert!(
            c.wait_store_health(ServingStatus::Serving, Duration::from_secs(15))
                .await
        );
        let mut ca = Client::new(&a).await;
        ca.set(&ids[0], "weer samen", None).await.unwrap();
        assert!(c
            .wait_note(&ids[0], "weer samen", VISIBLE_WITHIN)
            .await
            .is_some());
    });
}

#[test]
fn a_password_in_the_database_url_is_never_shown() {
    let data = tempfile::tempdir().unwrap();
    let serve = |store: &str| serve_until_exit(store, data.path(), &[]);
    // A URL that does not parse, one that cannot be reached, and the help text with
    // the URL in the environment.
    let (ok, said) = serve("postgres://wegwijzer:Geheim-42@127.0.0.1:1/live?sslmode=nonsense");
    assert!(!ok);
    assert!(said.contains("--store"), "{said}");
    assert!(!said.contains("Geheim-42"), "{said}");
    let (ok, said) = serve("postgres://wegwijzer:Geheim-42@127.0.0.1:1/live");
    assert!(!ok);
    assert!(said.contains("127.0.0.1:1/live"), "{said}");
    assert!(said.contains("cannot be reached"), "{said}");
    assert!(!said.contains("Geheim-42"), "{said}");
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_wegwijzer"))
        .args(["serve", "--help"])
        .env(
            "WEGWIJZER_STORE",
            "postgres://wegwijzer:Geheim-42@127.0.0.1:1/live",
        )
        .output()
        .unwrap();
    let (ok, said) = (help.status.success(), String::from_utf8_lossy(&help.stdout));
    assert!(ok);
    assert!(said.contains("WEGWIJZER_STORE"), "{said}");
    assert!(!said.contains("Geheim-42"), "{said}");
}

#[test]
fn moving_from_the_file_store_never_leaves_changes_behind() {
    let Some(cluster) = Cluster::start("replicas::moving_from_the_file_store") else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    {
        let alone = common::spawn_server(
            &[],
            &["--web-addr", "off"],
            &[("WEGWIJZER_ADMIN_TOKEN", TOKEN)],
            data.path(),
        );
        runtime.block_on(async {
            let mut c = Client::new(&alone).await;
            let id = c.ids(1).await.remove(0);
            c.set(&id, "in het bestand", None).await.unwrap();
        });
    }
    let (started, said) = serve_until_exit(&cluster.url(), data.path(), &[]);
    assert!(!started, "started and left the file's change behind");
    assert!(said.contains("1 live changes"), "{said}");
    assert!(said.contains("catalog export --live"), "{said}");
    assert_eq!(cluster.sql("SELECT number FROM wegwijzer_live_state"), "0");
}

#[test]
fn connections_killed_mid_write_never_turn_an_answer_into_a_lie() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    let Some(Pair {
        cluster,
        a,
        b,
        da: _da,
        db: _db,
        runtime,
    }) = Pair::start("replicas::killed_connections")
    else {
        return;
    };
    // The database ends every wegwijzer session, again and again, while one writer
    // changes forty offerings in turn.
    let stop = Arc::new(AtomicBool::new(false));
    let killer = {
        let (stop, url) = (Arc::clone(&stop), cluster.url());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                    .await
                    .unwrap();
                tokio::spawn(connection);
                let mut killed = 0i64;
                while !stop.load(Ordering::SeqCst) {
                    let row = client
                        .query_one(
                            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
                             WHERE application_name = 'wegwijzer'",
                            &[],
                        )
                        .await
                        .unwrap();
                    killed += row.get::<_, i64>(0);
                    tokio::time::sleep(Duration::from_millis(15)).await;
                }
                killed
            })
        })
    };
    let (ids, outcomes) = runtime.block_on(async {
        let mut c = Client::new(&a).await;
        let ids = c.ids(40).await;
        let mut outcomes = Vec::new();
        for i in 0..200 {
            let id = ids[i % ids.len()].clone();
            let note = format!("poging {i}");
            let outcome = c.set(&id, &note, None).await;
            outcomes.push((id, note, outcome));
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        (ids, outcomes)
    });
    stop.store(true, Ordering::SeqCst);
    let killed = killer.join().unwrap();
    let acked = outcomes.iter().filter(|o| o.2.is_ok()).count();
    let unknown = outcomes
        .iter()
        .filter(|o| {
            o.2.as_ref()
                .is_err_and(|e| e.message().contains("onbekend"))
        })
        .count();
    println!(
        "{killed} sessions killed during 200 writes: {acked} acknowledged, {unknown} with \
         an unknown outcome, {} refused as not applied",
        200 - acked - unknown
    );
    assert!(acked > 0, "some writes got through");
    assert!(killed > 0, "sessions were killed");
    runtime.block_on(async {
        for server in [&a, &b] {
            let mut c = Client::new(server).await;
            tokio::time::sleep(Duration::from_secs(1)).await;
            for id in &ids {
                let seen = c.note(id).await;
                // After the last acknowledged write to this offering, only writes
                // answered "outcome unknown" may show; a write answered "not applied"
                // must not.
                let mine: Vec<_> = outcomes.iter().filter(|o| &o.0 == id).collect();
                let last_ok = mine.iter().rposition(|o| o.2.is_ok());
                let allowed: Vec<Option<String>> = match last_ok {
                    Some(k) => std::iter::once(Some(mine[k].1.clone()))
                        .chain(
                            mine[k + 1..]
                                .iter()
                                .filter(|o| {
                                    o.2.as_ref()
                                        .is_err_and(|e| e.message().contains("onbekend"))
                                })
                                .map(|o| Some(o.1.clone())),
                        )
                        .collect(),
                    None => vec![seen.clone()],
                };
                assert!(
                    allowed.contains(&seen),
                    "{id} shows {seen:?}; allowed {allowed:?}: an answer was a lie"
                );
            }
        }
    });
}

#[test]
fn tls_to_the_database_when_asked_for_and_only_to_a_trusted_server() {
    let Some((cluster, cert)) = postgres::Cluster::start_tls("replicas::tls") else {
        return;
    };
    let url = format!("{}?sslmode=require", cluster.url());
    let data = tempfile::tempdir().unwrap();
    // An untrusted certificate stops the start.
    let (started, said) = serve_until_exit(&url, data.path(), &[]);
    assert!(!started, "trusted a certificate nobody vouched for");
    assert!(said.contains("cannot be reached"), "{said}");
    // Trusted through WEGWIJZER_STORE_CA: the replica's sessions are encrypted.
    let cert = cert.to_str().unwrap();
    let replica = common::spawn_server(
        &[],
        &["--web-addr", "off", "--store", &url],
        &[
            ("WEGWIJZER_ADMIN_TOKEN", TOKEN),
            ("WEGWIJZER_STORE_CA", cert),
        ],
        data.path(),
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut c = Client::new(&replica).await;
        let id = c.ids(1).await.remove(0);
        c.set(&id, "over tls", None).await.unwrap();
    });
    assert_eq!(
        cluster.sql(
            "SELECT bool_and(s.ssl) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
             WHERE a.application_name = 'wegwijzer'"
        ),
        "t"
    );
    // Without sslmode the same server is reached in plain text.
    let plain = tempfile::tempdir().unwrap();
    let replica = common::spawn_server(
        &[],
        &["--web-addr", "off", "--store", &cluster.url()],
        &[("WEGWIJZER_ADMIN_TOKEN", TOKEN)],
        plain.path(),
    );
    runtime.block_on(async {
        let c = Client::new(&replica).await;
        assert_eq!(c.ids(1).await.len(), 1);
    });
    let plain: u32 = cluster
        .sql(
            "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
             WHERE a.application_name = 'wegwijzer' AND NOT s.ssl",
        )
        .parse()
        .unwrap();
    assert!(plain > 0, "the second replica's sessions are plain");
}

#[test]
fn a_schema_newer_than_the_binary_is_refused_and_allow_stale_needs_a_database_store() {
    // --allow-stale means nothing without a shared database: said, not ignored.
    let data = tempfile::tempdir().unwrap();
    let (started, said) = serve_until_exit("file", data.path(), &["--allow-stale"]);
    assert!(!started);
    assert!(said.contains("--allow-stale only applies"), "{said}");

    let Some(cluster) = Cluster::start("replicas::newer_schema") else {
        return;
    };
    // A first start creates the schema; a later wegwijzer then marked it version 99.
    drop(replica(&cluster, data.path(), &[]));
    cluster.sql("INSERT INTO wegwijzer_schema_migrations (version, name) VALUES (99, 'later')");
    let (started, said) = serve_until_exit(&cluster.url(), data.path(), &[]);
    assert!(!started, "ran on a schema it does not know");
    assert!(said.contains("schema is at version 99"), "{said}");
}
