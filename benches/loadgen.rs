//! Load generator: real gRPC over loopback against a separately running wegwijzer
//! server, in its own process.
//!
//! ```sh
//! # against a server you started yourself
//! cargo bench --bench loadgen -- --addr 127.0.0.1:50051 --queries DIR/queries.json
//! # or let it start `target/release/wegwijzer serve` for a catalog (and stop it by pid)
//! cargo bench --bench loadgen -- --catalog DIR --queries DIR/queries.json
//! ```
//!
//! For each concurrency (default 1, 4, 16, 64) and each RPC (default
//! `grpc.health.v1.Health/Check`, Search, Suggest, Match) it runs a warm-up, then
//! `--duration` seconds of closed-loop load: `concurrency` tasks, each sending its next
//! request as soon as the previous answer arrives, over one HTTP/2 connection. Latency
//! is recorded per request in an HdrHistogram (nanoseconds, 3 significant digits).
//! With `--runs N` every cell is measured N times and the median of each figure is
//! printed. Health/Check runs in the same process against the same server: it is the
//! transport floor.
//!
//! `--admin-burst N` (with `--catalog`) instead starts the server with an admin token and
//! sends, three times each, N concurrent `SetAvailability` and then N concurrent
//! `UpsertOffering` calls over 4 connections, and prints the changes per second: the
//! throughput of the one writer with group commit.
//!
//! `--replay` instead sends every search of the query set once per pass, one request at
//! a time (the first pass is warm-up), and prints p50/p99 and hit@3 as one JSON object:
//! the Typesense comparison (`benches/typesense_peer.py`) uses it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use tonic::transport::Channel;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use tonic_health::pb::HealthCheckRequest;
use wegwijzer::api::input::RequestInput;
use wegwijzer::grpc::pb;
use wegwijzer::grpc::pb::referral_service_client::ReferralServiceClient;
use wegwijzer_corpus::{read_queries, QuerySet};

#[derive(Debug)]
struct Args {
    addr: Option<String>,
    catalog: Option<PathBuf>,
    data_dir: Option<PathBuf>,
    server_bin: PathBuf,
    queries: PathBuf,
    concurrency: Vec<usize>,
    rpcs: Vec<String>,
    duration: Duration,
    warmup: Duration,
    runs: usize,
    replay: bool,
    passes: usize,
    json: bool,
    admin_burst: Option<usize>,
}

/// The admin token the load generator gives a server it starts.
const ADMIN_TOKEN: &str = "loadgen-admin-token-not-secret";

fn usage() -> ! {
    eprintln!(
        "loadgen (--addr HOST:PORT | --catalog DIR [--data-dir DIR] [--server-bin PATH]) --queries FILE\n\
         \x20       [--concurrency 1,4,16,64] [--rpc health,search,suggest,match] [--duration SECS]\n\
         \x20       [--warmup SECS] [--runs N] [--json] [--replay [--passes N]]\n\
         loadgen --catalog DIR --admin-burst N"
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut a = Args {
        addr: None,
        catalog: None,
        data_dir: None,
        server_bin: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/wegwijzer"),
        queries: PathBuf::new(),
        concurrency: vec![1, 4, 16, 64],
        rpcs: ["health", "search", "suggest", "match"]
            .map(String::from)
            .to_vec(),
        duration: Duration::from_secs(10),
        warmup: Duration::from_secs(2),
        runs: 1,
        replay: false,
        passes: 4,
        json: false,
        admin_burst: None,
    };
    let mut it = std::env::args().skip(1);
    let secs = |v: String| Duration::from_secs_f64(v.parse().unwrap_or_else(|_| usage()));
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| usage());
        match flag.as_str() {
            "--bench" => {} // cargo bench passes this to every bench binary
            "--addr" => a.addr = Some(value()),
            "--catalog" => a.catalog = Some(value().into()),
            "--data-dir" => a.data_dir = Some(value().into()),
            "--server-bin" => a.server_bin = value().into(),
            "--queries" => a.queries = value().into(),
            "--concurrency" => {
                a.concurrency = value()
                    .split(',')
                    .map(|c| c.parse().unwrap_or_else(|_| usage()))
                    .collect()
            }
            "--rpc" => a.rpcs = value().split(',').map(String::from).collect(),
            "--duration" => a.duration = secs(value()),
            "--warmup" => a.warmup = secs(value()),
            "--runs" => a.runs = value().parse().unwrap_or_else(|_| usage()),
            "--passes" => a.passes = value().parse().unwrap_or_else(|_| usage()),
            "--replay" => a.replay = true,
            "--json" => a.json = true,
            "--admin-burst" => a.admin_burst = Some(value().parse().unwrap_or_else(|_| usage())),
            _ => usage(),
        }
    }
    if a.admin_burst.is_some() {
        if a.catalog.is_none() {
            usage();
        }
        return a;
    }
    if a.queries.as_os_str().is_empty() || (a.addr.is_none() == a.catalog.is_none()) {
        usage();
    }
    a
}

/// The requests of one RPC, built once from the query set.
#[derive(Clone)]
enum Requests {
    Health,
    Search(Arc<Vec<pb::SearchRequest>>),
    Suggest(Arc<Vec<pb::SuggestRequest>>),
    Match(Arc<Vec<pb::MatchRequest>>),
}

impl Requests {
    fn of(rpc: &str, q: &QuerySet) -> Requests {
        match rpc {
            "health" => Requests::Health,
            "search" => Requests::Search(Arc::new(q.search.iter().map(search_request).collect())),
            "suggest" => Requests::Suggest(Arc::new(
                q.suggest
                    .iter()
                    .map(|p| pb::SuggestRequest {
                        prefix: p.clone(),
                        limit: 8,
                    })
                    .collect(),
            )),
            "match" => Requests::Match(Arc::new(
                q.help
                    .iter()
                    .map(|h| {
                        let input: RequestInput = serde_json::from_value(h.clone())
                            .expect("help request in queries file");
                        wegwijzer::grpc::convert::match_to_wire(
                            &input.draft(10).expect("valid help request"),
                        )
                    })
                    .collect(),
            )),
            other => panic!("unknown rpc '{other}' (health, search, suggest, match)"),
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Requests::Health => "Health/Check",
            Requests::Search(_) => "Search",
            Requests::Suggest(_) => "Suggest",
            Requests::Match(_) => "Match",
        }
    }
}

fn search_request(s: &wegwijzer_corpus::SearchQuery) -> pb::SearchRequest {
    pb::SearchRequest {
        query: s.query.clone(),
        gemeente: s.gemeente.clone(),
        limit: 10,
        ..Default::default()
    }
}

/// Sends request number `n` (modulo the list); true when the call succeeded.
async fn call(
    requests: &Requests,
    n: usize,
    referral: &mut ReferralServiceClient<Channel>,
    health: &mut HealthClient<Channel>,
) -> bool {
    match requests {
        Requests::Health => health
            .check(HealthCheckRequest {
                service: String::new(),
            })
            .await
            .is_ok(),
        Requests::Search(r) => referral.search(r[n % r.len()].clone()).await.is_ok(),
        Requests::Suggest(r) => referral.suggest(r[n % r.len()].clone()).await.is_ok(),
        Requests::Match(r) => referral.r#match(r[n % r.len()].clone()).await.is_ok(),
    }
}

struct Cell {
    rps: f64,
    hist: Histogram<u64>,
    errors: u64,
}

/// Closed-loop load: `concurrency` tasks for `warmup` (not recorded), then `duration`.
async fn run_cell(
    channel: &Channel,
    requests: &Requests,
    concurrency: usize,
    warmup: Duration,
    duration: Duration,
) -> Cell {
    let next = Arc::new(AtomicUsize::new(0));
    let begin = Instant::now();
    let measure_from = begin + warmup;
    let end = measure_from + duration;
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (channel, requests, next) = (channel.clone(), requests.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut referral = ReferralServiceClient::new(channel.clone());
            let mut health = HealthClient::new(channel);
            let mut hist = Histogram::<u64>::new_with_bounds(1_000, 60_000_000_000, 3).unwrap();
            let mut errors = 0u64;
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let started = Instant::now();
                if started >= end {
                    break;
                }
                let ok = call(&requests, n, &mut referral, &mut health).await;
                if started >= measure_from {
                    if ok {
                        hist.saturating_record(started.elapsed().as_nanos() as u64);
                    } else {
                        errors += 1;
                    }
                }
            }
            (hist, errors)
        }));
    }
    let mut hist = Histogram::<u64>::new_with_bounds(1_000, 60_000_000_000, 3).unwrap();
    let mut errors = 0;
    for t in tasks {
        let (h, e) = t.await.expect("load task");
        hist.add(h).expect("histograms of the same bounds");
        errors += e;
    }
    Cell {
        rps: hist.len() as f64 / duration.as_secs_f64(),
        hist,
        errors,
    }
}

fn micros(ns: u64) -> f64 {
    ns as f64 / 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// A started server: its process and address.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        // Stop it by its own process id: SIGTERM, then wait.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// Longest wait for a started server to log its address (a 100k catalog without an
/// index takes seconds to build one).
const START_LIMIT: Duration = Duration::from_secs(300);

/// Starts `wegwijzer serve` on 127.0.0.1:0 and waits for its address; returns it with
/// the time from spawn until Health/Check said SERVING.
async fn start_server(args: &Args, catalog: &Path) -> (Server, Duration) {
    let data = args
        .data_dir
        .clone()
        .unwrap_or_else(|| catalog.with_extension("data"));
    let log_path =
        std::env::temp_dir().join(format!("wegwijzer-loadgen-{}.log", std::process::id()));
    let log = std::fs::File::create(&log_path).expect("server log file");
    let started = Instant::now();
    let child = Command::new(&args.server_bin)
        .args([
            "--log",
            "warn,wegwijzer::grpc::server=info",
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--web-addr",
            "off",
            "--catalog",
        ])
        .arg(catalog)
        .arg("--data-dir")
        .arg(&data)
        .env("WEGWIJZER_ADMIN_TOKEN", ADMIN_TOKEN)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", args.server_bin.display()));
    let mut server = Server {
        child,
        addr: String::new(),
    };
    loop {
        let text = std::fs::read_to_string(&log_path).unwrap_or_default();
        if let Some(i) = text.find("serving addr=") {
            let rest = &text[i + "serving addr=".len()..];
            server.addr = rest.split_whitespace().next().unwrap_or("").to_string();
            break;
        }
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("server exited ({status}):\n{text}");
        }
        if started.elapsed() > START_LIMIT {
            let _ = server.child.kill();
            panic!("server did not say where it listens within {START_LIMIT:?}:\n{text}");
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let channel = connect(&server.addr).await;
    let mut health = HealthClient::new(channel);
    loop {
        let r = health
            .check(HealthCheckRequest {
                service: String::new(),
            })
            .await;
        if r.is_ok_and(|r| r.into_inner().status == ServingStatus::Serving as i32) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    (server, started.elapsed())
}

async fn connect(addr: &str) -> Channel {
    Channel::from_shared(format!("http://{addr}"))
        .expect("address")
        .connect()
        .await
        .expect("server reachable")
}

/// Resident memory of a process in MiB, from /proc.
fn rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Every search once per pass, one at a time; pass 1 is warm-up. Prints p50/p99 and
/// hit@3 over the queries that have expected answers.
async fn replay(channel: &Channel, q: &QuerySet, passes: usize) -> serde_json::Value {
    let mut client = ReferralServiceClient::new(channel.clone());
    let mut hist = Histogram::<u64>::new_with_bounds(1_000, 60_000_000_000, 3).unwrap();
    let (mut judged, mut hits) = (0usize, 0usize);
    for pass in 0..passes.max(2) {
        for s in &q.search {
            let started = Instant::now();
            let answer = client.search(search_request(s)).await.expect("search");
            let elapsed = started.elapsed();
            if pass == 0 {
                continue;
            }
            hist.saturating_record(elapsed.as_nanos() as u64);
            if pass == 1 && !s.expected.is_empty() {
                judged += 1;
                let top: Vec<String> = answer
                    .into_inner()
                    .hits
                    .iter()
                    .take(3)
                    .filter_map(|h| h.offering.as_ref().map(|o| o.id.clone()))
                    .collect();
                if top.iter().any(|id| s.expected.contains(id)) {
                    hits += 1;
                }
            }
        }
    }
    serde_json::json!({
        "engine": "wegwijzer",
        "client": "rust tonic",
        "requests": hist.len(),
        "p50_us": micros(hist.value_at_quantile(0.5)),
        "p99_us": micros(hist.value_at_quantile(0.99)),
        "hit_at_3": hits as f64 / judged.max(1) as f64,
        "judged": judged,
    })
}

/// `message` with the admin token.
fn authorized<T>(message: T) -> tonic::Request<T> {
    let mut r = tonic::Request::new(message);
    r.metadata_mut().insert(
        "authorization",
        format!("Bearer {ADMIN_TOKEN}").parse().expect("header"),
    );
    r
}

/// Rounds of N concurrent availability changes and N concurrent upserts.
async fn admin_burst(addr: &str, n: usize) {
    use wegwijzer::grpc::pb::admin_service_client::AdminServiceClient;
    use wegwijzer::grpc::pb::catalog_service_client::CatalogServiceClient;
    let offerings = CatalogServiceClient::new(connect(addr).await)
        .list_offerings(pb::ListOfferingsRequest {
            page_size: 100,
            ..Default::default()
        })
        .await
        .expect("list")
        .into_inner()
        .offerings;
    let mut clients = Vec::new();
    for _ in 0..4 {
        clients.push(AdminServiceClient::new(connect(addr).await));
    }
    println!("# {n} concurrent admin changes over 4 connections, per round");
    println!("| round | change | ok | failed | ms | changes/s |\n|---|---|---|---|---|---|");
    for round in 0..3 {
        for kind in ["SetAvailability", "UpsertOffering"] {
            let started = Instant::now();
            let mut tasks = Vec::new();
            for i in 0..n {
                let mut client = clients[i % 4].clone();
                let template = offerings[i % offerings.len()].clone();
                let request = match kind {
                    "SetAvailability" => None,
                    _ => {
                        let mut o = template.clone();
                        o.id = format!("loadgen-{round}-{i}");
                        o.name = format!("Loadgen aanbod {round} {i}");
                        Some(o)
                    }
                };
                let weeks = (i % 40) as u32;
                tasks.push(tokio::spawn(async move {
                    match request {
                        None => client
                            .set_availability(authorized(pb::SetAvailabilityRequest {
                                expected_version: None,
                                id: template.id,
                                availability: Some(pb::Availability {
                                    status: pb::AvailabilityStatus::Wachtlijst as i32,
                                    waiting_weeks: Some(weeks),
                                    ..Default::default()
                                }),
                            }))
                            .await
                            .is_ok(),
                        Some(o) => client
                            .upsert_offering(authorized(pb::UpsertOfferingRequest {
                                expected_version: None,
                                offering: Some(o),
                            }))
                            .await
                            .is_ok(),
                    }
                }));
            }
            let mut ok = 0;
            for t in tasks {
                ok += usize::from(t.await.unwrap_or(false));
            }
            let took = started.elapsed();
            println!(
                "| {round} | {kind} | {ok} | {} | {} | {:.0} |",
                n - ok,
                took.as_millis(),
                ok as f64 / took.as_secs_f64()
            );
        }
    }
}

fn main() {
    let args = parse_args();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    if let Some(n) = args.admin_burst {
        runtime.block_on(async {
            let catalog = args.catalog.clone().expect("--catalog");
            let (server, startup) = start_server(&args, &catalog).await;
            println!(
                "# {} — started in {} ms",
                catalog.display(),
                startup.as_millis()
            );
            admin_burst(&server.addr, n).await;
            println!(
                "# resident memory after: {:?} MiB",
                rss_mib(server.child.id())
            );
        });
        return;
    }
    let queries = read_queries(&args.queries).expect("queries file");
    runtime.block_on(async {
        let (server, startup) = match &args.catalog {
            Some(c) => {
                let (s, t) = start_server(&args, c).await;
                (Some(s), Some(t))
            }
            None => (None, None),
        };
        let addr = server
            .as_ref()
            .map_or_else(|| args.addr.clone().unwrap(), |s| s.addr.clone());
        let channel = connect(&addr).await;
        if args.replay {
            let mut out = replay(&channel, &queries, args.passes).await;
            if let Some(s) = &server {
                out["rss_mib"] = serde_json::json!(rss_mib(s.child.id()));
            }
            println!("{out}");
            return;
        }
        if !args.json {
            println!(
                "# {} ({} offerings), server {addr}, {} s per cell after {} s warm-up, median of {} run(s)",
                queries.catalog,
                queries.offerings,
                args.duration.as_secs_f64(),
                args.warmup.as_secs_f64(),
                args.runs
            );
            if let Some(t) = startup {
                println!("# start-up to SERVING: {:.0} ms", t.as_secs_f64() * 1000.0);
            }
            println!(
                "{:<13} {:>4} {:>9} {:>9} {:>9} {:>9} {:>9} {:>6}",
                "rpc", "conc", "req/s", "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "errors"
            );
        }
        for &concurrency in &args.concurrency {
            for rpc in &args.rpcs {
                let requests = Requests::of(rpc, &queries);
                let mut cells = Vec::new();
                for _ in 0..args.runs.max(1) {
                    cells.push(run_cell(&channel, &requests, concurrency, args.warmup, args.duration).await);
                }
                let stat = |f: &dyn Fn(&Cell) -> f64| median(cells.iter().map(f).collect());
                let rps = stat(&|c| c.rps);
                let q = |p: f64| stat(&|c: &Cell| micros(c.hist.value_at_quantile(p)));
                let errors: u64 = cells.iter().map(|c| c.errors).sum();
                if args.json {
                    println!(
                        "{}",
                        serde_json::json!({
                            "rpc": requests.name(), "concurrency": concurrency, "runs": cells.len(),
                            "rps": rps, "p50_us": q(0.5), "p90_us": q(0.9), "p99_us": q(0.99),
                            "p999_us": q(0.999), "errors": errors,
                            "rps_runs": cells.iter().map(|c| c.rps).collect::<Vec<_>>(),
                            "p50_runs": cells.iter().map(|c| micros(c.hist.value_at_quantile(0.5))).collect::<Vec<_>>(),
                            "p99_runs": cells.iter().map(|c| micros(c.hist.value_at_quantile(0.99))).collect::<Vec<_>>(),
                        })
                    );
                } else {
                    println!(
                        "{:<13} {:>4} {:>9.0} {:>9.0} {:>9.0} {:>9.0} {:>9.0} {:>6}",
                        requests.name(),
                        concurrency,
                        rps,
                        q(0.5),
                        q(0.9),
                        q(0.99),
                        q(0.999),
                        errors
                    );
                }
            }
        }
        if let Some(s) = &server {
            if let Some(rss) = rss_mib(s.child.id()) {
                if args.json {
                    println!("{}", serde_json::json!({"server_rss_mib": rss, "startup_ms": startup.map(|t| t.as_secs_f64() * 1000.0)}));
                } else {
                    println!("# server resident memory after the run: {rss:.0} MiB");
                }
            }
        }
    });
}
