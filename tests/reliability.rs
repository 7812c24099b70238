//! Reliability against the real binary: bursts of concurrent admin writes under a short
//! server timeout never corrupt the state or misreport (every OK is on disk and in
//! memory, every error in neither); a damaged index is rebuilt, not trusted;
//! half-sent requests are closed within the idle timeout on both ports; huge bad
//! requests get a bounded answer; the web port checks its Host header and sends its
//! security headers.

mod common;

use std::collections::BTreeSet;
use std::io::{Read as _, Write as _};
use std::time::{Duration, Instant};

use tonic::Code;

use wegwijzer::grpc::pb;
use wegwijzer::grpc::pb::admin_service_client::AdminServiceClient;
use wegwijzer::grpc::pb::catalog_service_client::CatalogServiceClient;
use wegwijzer::grpc::pb::referral_service_client::ReferralServiceClient;
use wegwijzer::live::store::FILE_NAME;

const TOKEN: &str = "reliability-test-admin-token";

use common::channel;

fn start(data: &std::path::Path, extra: &[&str]) -> common::Spawned {
    let mut serve = vec!["--web-addr", "off"];
    serve.extend_from_slice(extra);
    common::spawn_server(&[], &serve, &[("WEGWIJZER_ADMIN_TOKEN", TOKEN)], data)
}

/// The (offering, effective date) pairs of the availability changes in the state file.
fn on_disk(data: &std::path::Path) -> BTreeSet<(String, String)> {
    let bytes = match std::fs::read(data.join(FILE_NAME)) {
        Ok(b) => b,
        Err(_) => return BTreeSet::new(),
    };
    let newline = bytes.iter().position(|&b| b == b'\n').unwrap();
    let state: serde_json::Value = serde_json::from_slice(&bytes[newline + 1..]).unwrap();
    let mut out = BTreeSet::new();
    for (id, list) in state["availability"].as_object().unwrap() {
        for change in list.as_array().unwrap() {
            out.insert((
                id.clone(),
                change["effective"].as_str().unwrap().to_string(),
            ));
        }
    }
    out
}

/// A date in the future, distinct for every `n`, so each change is kept on its own.
fn future_date(n: usize) -> String {
    let (year, day) = (2040 + n / 300, n % 300);
    let (month, day) = (1 + day / 25, 1 + day % 25);
    format!("{year:04}-{month:02}-{day:02}")
}

struct Burst {
    ok: BTreeSet<(String, String)>,
    failed: BTreeSet<(String, String)>,
    codes: std::collections::BTreeMap<String, usize>,
}

/// `count` concurrent SetAvailability calls over `connections` connections, each for
/// its own (offering, date).
async fn burst(
    addr: &str,
    ids: &[String],
    first: usize,
    count: usize,
    connections: usize,
) -> Burst {
    let mut clients = Vec::new();
    for _ in 0..connections {
        clients.push(AdminServiceClient::new(channel(addr).await));
    }
    let mut tasks = Vec::new();
    for n in first..first + count {
        let mut client = clients[n % connections].clone();
        let id = ids[n % ids.len()].clone();
        let date = future_date(n);
        tasks.push(tokio::spawn(async move {
            let request = common::authorized(
                pb::SetAvailabilityRequest {
                    expected_version: None,
                    id: id.clone(),
                    availability: Some(pb::Availability {
                        status: pb::AvailabilityStatus::Wachtlijst as i32,
                        waiting_weeks: Some((n % 40) as u32),
                        note: String::new(),
                        effective_date: date.clone(),
                    }),
                },
                TOKEN,
            );
            let code = match client.set_availability(request).await {
                Ok(_) => Code::Ok,
                Err(status) => status.code(),
            };
            ((id, date), code)
        }));
    }
    let mut out = Burst {
        ok: BTreeSet::new(),
        failed: BTreeSet::new(),
        codes: Default::default(),
    };
    for task in tasks {
        let (key, code) = task.await.unwrap();
        *out.codes.entry(format!("{code:?}")).or_default() += 1;
        if code == Code::Ok {
            out.ok.insert(key);
        } else {
            out.failed.insert(key);
        }
    }
    out
}

async fn offering_ids(addr: &str) -> Vec<String> {
    common::first_offerings(channel(addr).await)
        .await
        .into_iter()
        .map(|o| o.id)
        .collect()
}

/// The live-change count the running server reports, through one more (harmless) write
/// that the test then accounts for. With a timeout of a millisecond even a lone write can
/// expire in the queue (and is then not applied): it is sent again until answered OK.
async fn live_changes_in_memory(addr: &str, id: &str, date: &str) -> u32 {
    let mut admin = AdminServiceClient::new(channel(addr).await);
    for _ in 0..200 {
        let answer = admin
            .set_availability(common::authorized(
                pb::SetAvailabilityRequest {
                    expected_version: None,
                    id: id.to_string(),
                    availability: Some(pb::Availability {
                        status: pb::AvailabilityStatus::Wachtlijst as i32,
                        waiting_weeks: None,
                        note: String::new(),
                        effective_date: date.to_string(),
                    }),
                },
                TOKEN,
            ))
            .await;
        match answer {
            Ok(r) => return r.into_inner().live_changes,
            Err(status) => assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}"),
        }
    }
    panic!("a lone write was never answered OK");
}

#[test]
fn concurrent_admin_bursts_never_corrupt_or_misreport() {
    let data = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut acknowledged: BTreeSet<(String, String)> = BTreeSet::new();
    let mut refused: BTreeSet<(String, String)> = BTreeSet::new();
    let mut next = 0;
    let mut rounds = Vec::new();
    let mut ids = Vec::new();

    // Server timeouts so short that many changes expire in the queue, and one with room.
    for (round, timeout) in ["150", "1", "3"].into_iter().enumerate() {
        let server = start(data.path(), &["--call-timeout-ms", timeout]);
        if ids.is_empty() {
            ids = runtime.block_on(offering_ids(&server.grpc));
        }
        assert_eq!(
            on_disk(data.path()),
            acknowledged,
            "round {round}: the restart kept exactly the acknowledged changes"
        );
        let started = Instant::now();
        let b = runtime.block_on(burst(&server.grpc, &ids, next, 400, 4));
        let took = started.elapsed();
        next += 400;
        // Every OK is on disk, no refused change is.
        let disk = on_disk(data.path());
        let missing: Vec<_> = b.ok.difference(&disk).collect();
        assert!(
            missing.is_empty(),
            "round {round}: acknowledged but not saved: {missing:?}"
        );
        let leaked: Vec<_> = b.failed.intersection(&disk).collect();
        assert!(
            leaked.is_empty(),
            "round {round}: refused but saved: {leaked:?}"
        );
        for code in b.codes.keys() {
            assert!(
                ["Ok", "DeadlineExceeded"].contains(&code.as_str()),
                "round {round}: unexpected code {code}: {:?}",
                b.codes
            );
        }
        acknowledged.extend(b.ok);
        refused.extend(b.failed);
        // Memory equals disk: the server's count after one more write is the file's.
        let extra = (ids[0].clone(), future_date(100_000 + round));
        let in_memory = runtime.block_on(live_changes_in_memory(&server.grpc, &extra.0, &extra.1));
        acknowledged.insert(extra);
        assert_eq!(
            in_memory as usize,
            on_disk(data.path()).len(),
            "round {round}"
        );
        rounds.push(format!(
            "timeout {timeout} ms: {:?} in {} ms",
            b.codes,
            took.as_millis()
        ));
        // A clean stop (SIGTERM) before the next round's restart.
        let mut server = server;
        let pid = server.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(
            server.child.wait().unwrap().success(),
            "round {round}: clean stop"
        );
    }
    eprintln!("bursts of 400 over 4 connections: {rounds:?}");
    assert!(!acknowledged.is_empty(), "some writes were acknowledged");
    assert!(
        !refused.is_empty(),
        "the short timeouts refused some writes"
    );

    let mut server = start(data.path(), &["--call-timeout-ms", "150"]);
    assert_eq!(on_disk(data.path()), acknowledged);
    assert_eq!(on_disk(data.path()), acknowledged);

    // SIGKILL in the middle of a burst, then a restart.
    let addr = server.grpc.clone();
    let ids2 = ids.clone();
    let during = runtime.spawn(async move { burst(&addr, &ids2, 5_000, 400, 4).await });
    std::thread::sleep(Duration::from_millis(150));
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let b = runtime.block_on(during).unwrap();
    let server = start(data.path(), &["--call-timeout-ms", "150"]);
    let disk = on_disk(data.path());
    let missing: Vec<_> = b.ok.difference(&disk).collect();
    assert!(
        missing.is_empty(),
        "acknowledged before SIGKILL but lost: {missing:?}"
    );
    assert!(
        acknowledged.is_subset(&disk),
        "earlier acknowledgements kept"
    );
    assert!(refused.is_disjoint(&disk), "refused changes stay out");
    drop(server);
}

use std::process::Command;

/// Flips one byte in the middle of `path`.
fn flip(path: &std::path::Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 0x5a;
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_damaged_index_file_of_any_kind_is_rebuilt_and_searches_work() {
    let data = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    drop(start(data.path(), &[]));
    let index = data.path().join("index");
    let mut kinds: Vec<String> = std::fs::read_dir(&index)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.rsplit_once('.').map(|(_, ext)| ext.to_string())
        })
        .filter(|ext| ["term", "store", "idx", "pos", "fast", "fieldnorm"].contains(&ext.as_str()))
        .collect();
    kinds.sort();
    kinds.dedup();
    assert!(kinds.contains(&"term".to_string()) && kinds.contains(&"store".to_string()));
    for kind in &kinds {
        let file = std::fs::read_dir(&index)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == kind.as_str()))
            .unwrap();
        flip(&file);
        let server = start(data.path(), &[]);
        let hits = runtime.block_on(async {
            ReferralServiceClient::new(channel(&server.grpc).await)
                .search(pb::SearchRequest {
                    query: "schulden".into(),
                    ..Default::default()
                })
                .await
                .map(|r| r.into_inner().hits.len())
        });
        assert!(
            matches!(hits, Ok(n) if n > 0),
            "after a flipped byte in a .{kind} file: {hits:?}"
        );
        drop(server);
    }
}

/// Opens a connection, sends `partial`, and returns how long until the server closed it.
fn closed_after(addr: &str, partial: &[u8], limit: Duration) -> Option<Duration> {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.write_all(partial).unwrap();
    stream.set_read_timeout(Some(limit)).unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Some(started.elapsed()),
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return Some(started.elapsed())
            }
            Err(_) => return None,
        }
    }
}

#[test]
fn half_sent_requests_are_closed_within_the_idle_timeout_on_both_ports() {
    let data = tempfile::tempdir().unwrap();
    let server = common::spawn_server(
        &[],
        &["--idle-timeout-ms", "500", "--web-addr", "127.0.0.1:0"],
        &[],
        data.path(),
    );
    let web = server.web.clone().unwrap();
    let cases: [(&str, &[u8]); 4] = [
        (&server.grpc, b"PRI * HTTP/2.0\r\n"),
        (&server.grpc, b""),
        (&web, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "),
        (
            &web,
            b"POST /api/search HTTP/1.1\r\nHost: x\r\ncontent-length: 100\r\n\r\n{\"q",
        ),
    ];
    for (addr, partial) in cases {
        let took = closed_after(addr, partial, Duration::from_secs(10));
        assert!(
            took.is_some_and(|t| t < Duration::from_secs(5)),
            "{addr} {:?}: closed after {took:?}",
            String::from_utf8_lossy(partial)
        );
    }
    let lines: Vec<String> = server.lines.try_iter().collect();
    assert!(
        lines.iter().any(|l| l.contains("idle timeout")),
        "the closing is logged: {lines:?}"
    );
}

#[tokio::test]
async fn a_request_with_ten_thousand_bad_elements_gets_a_bounded_answer() {
    let server = common::TestServer::start().await;
    let mut client = ReferralServiceClient::new(server.channel.clone());
    let request = pb::MatchRequest {
        request: Some(pb::HelpRequest {
            signals: vec![99; 10_000],
            ..Default::default()
        }),
        ..Default::default()
    };
    let status = client.r#match(request).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    let size = status.message().len() + status.details().len();
    assert!(size < 8_000, "answer of {size} bytes");
    assert!(
        status.message().contains("more problems"),
        "{}",
        status.message()
    );
}

#[tokio::test]
async fn the_web_port_checks_its_host_and_sends_security_headers() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (addr, stop, task, _data) = common::start_with_web().await;
    let raw = |host: String| {
        let addr = addr.clone();
        async move {
            let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
            let request = format!("GET / HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\r\n");
            s.write_all(request.as_bytes()).await.unwrap();
            let mut out = Vec::new();
            s.read_to_end(&mut out).await.unwrap();
            String::from_utf8_lossy(&out).to_lowercase()
        }
    };
    let ours = raw(addr.clone()).await;
    assert!(ours.starts_with("http/1.1 200"), "{ours}");
    for header in [
        "content-security-policy: default-src 'none'; script-src 'self'",
        "frame-ancestors 'none'",
        "x-content-type-options: nosniff",
        "referrer-policy: no-referrer",
        "x-frame-options: deny",
    ] {
        assert!(ours.contains(header), "missing {header}: {ours}");
    }
    let port = addr.rsplit_once(':').unwrap().1;
    let local = raw(format!("localhost:{port}")).await;
    assert!(local.starts_with("http/1.1 200"), "{local}");
    let rebinding = raw(format!("evil.example:{port}")).await;
    assert!(rebinding.starts_with("http/1.1 421"), "{rebinding}");
    assert!(
        rebinding.contains("content-security-policy"),
        "refusals carry the headers too"
    );
    let _ = stop.send(());
    task.await.unwrap().unwrap();
}

#[test]
fn refusals_are_logged_and_counted_and_metrics_can_move_to_their_own_address() {
    let data = tempfile::tempdir().unwrap();
    let server = common::spawn_server(
        &[],
        &["--web-addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0"],
        &[("WEGWIJZER_ADMIN_TOKEN", TOKEN)],
        data.path(),
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let web = server.web.clone().unwrap();
    runtime.block_on(async {
        let mut admin = AdminServiceClient::new(channel(&server.grpc).await);
        let wrong = common::authorized(pb::ReloadCatalogRequest {}, "not-the-admin-token-at-all");
        assert_eq!(
            admin.reload_catalog(wrong).await.unwrap_err().code(),
            Code::PermissionDenied
        );
        let missing = tonic::Request::new(pb::ReloadCatalogRequest {});
        assert_eq!(
            admin.reload_catalog(missing).await.unwrap_err().code(),
            Code::Unauthenticated
        );
    });
    let mut lines = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline
        && !(lines
            .iter()
            .any(|l: &String| l.contains("metrics page listening"))
            && lines.iter().filter(|l| l.contains("call refused")).count() >= 2)
    {
        if let Ok(line) = server.lines.recv_timeout(Duration::from_millis(200)) {
            lines.push(line);
        }
    }
    let refused: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("call refused"))
        .collect();
    assert_eq!(refused.len(), 2, "{lines:?}");
    assert!(
        refused.iter().all(|l| !l.contains("not-the-admin-token")),
        "no token in logs"
    );
    let metrics_line = lines
        .iter()
        .find(|l| l.contains("metrics page listening"))
        .expect("the metrics address is logged");
    let at = metrics_line.find("127.0.0.1:").unwrap();
    let metrics_addr: String = metrics_line[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ':')
        .collect();
    let (status, body) = runtime.block_on(common::http(&metrics_addr, "GET", "/metrics", ""));
    assert_eq!(status, 200);
    assert!(
        body.contains("wegwijzer_refusals_total{kind=\"token_wrong\"} 1"),
        "{body}"
    );
    assert!(
        body.contains("wegwijzer_refusals_total{kind=\"token_missing\"} 1"),
        "{body}"
    );
    let (status, _) = runtime.block_on(common::http(&web, "GET", "/metrics", ""));
    assert_eq!(status, 404, "not on the page's port any more");
}

/// A small tmpfs, unmounted when dropped (before its folder is removed); `None` where
/// mounting is not allowed.
struct SmallDisk(std::path::PathBuf, #[allow(dead_code)] tempfile::TempDir);

impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| SmallDisk(dir.path().to_path_buf(), dir))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Fills the file system holding `dir` until it is full.
fn fill(dir: &std::path::Path) {
    let mut file = std::fs::File::create(dir.join("filler")).unwrap();
    let block = vec![0u8; 64 * 1024];
    while file.write_all(&block).is_ok() {}
    let _ = file.sync_all();
    for n in 0.. {
        // Small files too, until not even an inode or a block is left.
        if std::fs::write(dir.join(format!("filler-{n}")), &block[..512]).is_err() {
            break;
        }
    }
}

#[test]
fn a_full_disk_loses_no_acknowledged_change_and_the_server_restarts() {
    let Some(disk) = SmallDisk::mount("16m") else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root and mount rights)");
        return;
    };
    let data = disk.0.join("data");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = start(&data, &[]);
    let ids = runtime.block_on(offering_ids(&server.grpc));
    let first = runtime.block_on(burst(&server.grpc, &ids, 0, 50, 2));
    assert_eq!(first.ok.len(), 50, "{:?}", first.codes);
    // An upsert too, so the index on disk no longer fits what is served.
    runtime.block_on(async {
        let channel = channel(&server.grpc).await;
        let mut new = common::first_offerings(channel.clone()).await[0].clone();
        new.id = "volle-schijf".into();
        new.name = "Volle schijf aanbod".into();
        AdminServiceClient::new(channel)
            .upsert_offering(common::authorized(
                pb::UpsertOfferingRequest {
                    expected_version: None,
                    offering: Some(new),
                },
                TOKEN,
            ))
            .await
            .expect("acknowledged");
    });

    fill(&disk.0);
    let during = runtime.block_on(burst(&server.grpc, &ids, 1_000, 50, 2));
    for code in during.codes.keys() {
        assert!(
            ["Ok", "Unavailable"].contains(&code.as_str()),
            "a full disk answers UNAVAILABLE: {:?}",
            during.codes
        );
    }
    eprintln!("writes on a full disk: {:?}", during.codes);
    let disk_state = on_disk(&data);
    assert!(
        first.ok.is_subset(&disk_state),
        "nothing acknowledged was lost"
    );
    assert!(during.ok.is_subset(&disk_state));
    assert!(
        during.failed.is_disjoint(&disk_state),
        "nothing refused was saved"
    );
    let mut server = server;
    let pid = server.child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    server.child.wait().unwrap();

    // A restart on the still full disk serves the last good catalog, and says so.
    let server = start(&data, &[]);
    let found = runtime.block_on(async {
        CatalogServiceClient::new(channel(&server.grpc).await)
            .get_offering(pb::GetOfferingRequest {
                id: "volle-schijf".into(),
            })
            .await
            .is_ok()
    });
    assert!(found, "the acknowledged upsert is served after the restart");
    let lines: Vec<String> = server.lines.try_iter().collect();
    assert!(
        lines.iter().any(|l| l.contains("kept in memory")),
        "the start says the index is kept in memory: {lines:?}"
    );
    drop(server);
    drop(disk);
}

#[test]
fn a_burst_of_upserts_is_served_and_saved_without_queueing_into_timeouts() {
    let data = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = start(data.path(), &[]);
    let (acknowledged, took) = runtime.block_on(async {
        let template = common::first_offerings(channel(&server.grpc).await).await[0].clone();
        let mut clients = Vec::new();
        for _ in 0..4 {
            clients.push(AdminServiceClient::new(channel(&server.grpc).await));
        }
        let started = Instant::now();
        let mut tasks = Vec::new();
        for n in 0..400 {
            let mut client = clients[n % 4].clone();
            let mut new = template.clone();
            new.id = format!("burst-{n}");
            new.name = format!("Burst aanbod {n}");
            tasks.push(tokio::spawn(async move {
                let request = common::authorized(
                    pb::UpsertOfferingRequest {
                        expected_version: None,
                        offering: Some(new),
                    },
                    TOKEN,
                );
                (n, client.upsert_offering(request).await.map(|_| ()))
            }));
        }
        let mut ok = Vec::new();
        for task in tasks {
            let (n, result) = task.await.unwrap();
            match result {
                Ok(()) => ok.push(n),
                Err(status) => panic!("upsert {n}: {status:?}"),
            }
        }
        (ok, started.elapsed())
    });
    eprintln!(
        "400 concurrent upserts over 4 connections: {} ms, {:.0} per second",
        took.as_millis(),
        400.0 / took.as_secs_f64()
    );
    assert_eq!(acknowledged.len(), 400);
    runtime.block_on(async {
        let mut catalog = CatalogServiceClient::new(channel(&server.grpc).await);
        let mut search = ReferralServiceClient::new(channel(&server.grpc).await);
        for n in [0, 199, 399] {
            catalog
                .get_offering(pb::GetOfferingRequest {
                    id: format!("burst-{n}"),
                })
                .await
                .expect("served");
        }
        let hits = search
            .search(pb::SearchRequest {
                query: "Burst aanbod 399".into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .hits;
        assert!(
            hits.iter()
                .any(|h| h.offering.as_ref().unwrap().id == "burst-399"),
            "the index has the new document"
        );
    });
    let saved = std::fs::read_to_string(data.path().join(FILE_NAME)).unwrap();
    let (_, body) = saved.split_once('\n').unwrap();
    let state: serde_json::Value = serde_json::from_str(body).unwrap();
    let upserts = state["upserts"].as_object().unwrap();
    assert_eq!(
        upserts.keys().filter(|k| k.starts_with("burst-")).count(),
        400,
        "every upsert is in the state file"
    );
}

#[test]
fn a_read_token_guards_the_web_api_as_it_guards_grpc_reads() {
    let data = tempfile::tempdir().unwrap();
    let read = "reliability-read-token-0123";
    let server = common::spawn_server(
        &[],
        &["--web-addr", "127.0.0.1:0"],
        &[("WEGWIJZER_READ_TOKEN", read)],
        data.path(),
    );
    let web = server.web.clone().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let get = |extra: String| {
        let web = web.clone();
        runtime.block_on(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let mut s = tokio::net::TcpStream::connect(&web).await.unwrap();
            let request = format!(
                "GET /api/info HTTP/1.1\r\nhost: {web}\r\n{extra}connection: close\r\n\r\n"
            );
            s.write_all(request.as_bytes()).await.unwrap();
            let mut out = Vec::new();
            s.read_to_end(&mut out).await.unwrap();
            String::from_utf8_lossy(&out).to_string()
        })
    };
    assert!(get(String::new()).starts_with("HTTP/1.1 401"), "no token");
    assert!(
        get("authorization: Bearer not-the-token-at-all\r\n".into()).starts_with("HTTP/1.1 401"),
        "wrong token"
    );
    assert!(get(format!("cookie: wegwijzer_token={read}\r\n")).starts_with("HTTP/1.1 200"));
    assert!(get(format!("authorization: Bearer {read}\r\n")).starts_with("HTTP/1.1 200"));
    let (status, _) = runtime.block_on(common::http(&web, "GET", "/", ""));
    assert_eq!(status, 200, "the page itself loads, to ask for the code");
}

#[test]
fn connections_over_the_cap_are_closed_at_once_and_logged() {
    let data = tempfile::tempdir().unwrap();
    let server = common::spawn_server(
        &[],
        &["--web-addr", "off", "--max-connections", "2"],
        &[],
        data.path(),
    );
    // Two connections take the two slots and stay open.
    let held: Vec<std::net::TcpStream> = (0..2)
        .map(|_| std::net::TcpStream::connect(&server.grpc).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let took = closed_after(&server.grpc, b"", Duration::from_secs(5));
    assert!(
        took.is_some_and(|t| t < Duration::from_secs(2)),
        "the third connection is closed at once: {took:?}"
    );
    drop(held);
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut lines = Vec::new();
    while Instant::now() < deadline && !lines.iter().any(|l: &String| l.contains("too many")) {
        if let Ok(line) = server.lines.recv_timeout(Duration::from_millis(100)) {
            lines.push(line);
        }
    }
    assert!(
        lines
            .iter()
            .any(|l| l.contains("too many open connections")),
        "the refusal is logged: {lines:?}"
    );
}
