//! Starts the real server on 127.0.0.1:0 over the bundled catalog, for integration tests.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::Channel;

use wegwijzer::live::Live;
use wegwijzer::server::{self, Options, ServerError};

/// The bundled catalog.
pub fn catalog_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("catalog")
}

/// A running server and the means to stop it.
pub struct TestServer {
    pub addr: SocketAddr,
    pub channel: Channel,
    pub live: Arc<Live>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), ServerError>>>,
    _data: tempfile::TempDir,
}

impl TestServer {
    /// Binds 127.0.0.1:0, hands the listener to `server::run` and connects a channel.
    pub async fn start() -> TestServer {
        Self::start_with(&catalog_dir(), Options::default()).await
    }

    /// Like [`TestServer::start`], over the catalog in `catalog` with `options`.
    pub async fn start_with(catalog: &std::path::Path, options: Options) -> TestServer {
        let data = tempfile::tempdir().unwrap();
        let (live, _) = Live::open(catalog, data.path()).expect("catalog loads");
        let live = Arc::new(live);
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server::run(listener, Arc::clone(&live), options, async {
            let _ = stopped.await;
        }));
        // Lazy, so a server started with TLS can be reached with a channel of the
        // test's own making instead.
        let channel = Channel::from_shared(format!("http://{addr}"))
            .unwrap()
            .connect_lazy();
        TestServer {
            addr,
            channel,
            live,
            stop: Some(stop),
            task: Some(task),
            _data: data,
        }
    }

    /// Asks the server to stop and waits until it has.
    pub async fn stop(mut self) -> Result<(), ServerError> {
        let _ = self.stop.take().unwrap().send(());
        self.task
            .take()
            .unwrap()
            .await
            .expect("server task panicked")
    }
}

/// A minimal HTTP/1.1 exchange over a fresh connection: returns status and body.
pub async fn http(addr: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("web port reachable");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Starts gRPC and the web page on 127.0.0.1:0 through `server::run_all`; returns the
/// web address and a sender that stops both.
pub async fn start_with_web() -> (
    String,
    oneshot::Sender<()>,
    JoinHandle<Result<(), ServerError>>,
    tempfile::TempDir,
) {
    let data = tempfile::tempdir().unwrap();
    let (live, _) = Live::open(&catalog_dir(), data.path()).expect("bundled catalog loads");
    let grpc = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let web = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = web.local_addr().unwrap().to_string();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(server::run_all(
        grpc,
        Some(web),
        Arc::new(live),
        Options::default(),
        async {
            let _ = stopped.await;
        },
    ));
    (addr, stop, task, data)
}

/// The real binary, serving on 127.0.0.1:0.
pub struct Spawned {
    pub child: std::process::Child,
    /// gRPC address it logged.
    pub grpc: String,
    /// Web page address it logged, when on.
    pub web: Option<String>,
    /// Every line it writes to stderr, from the start.
    pub lines: std::sync::mpsc::Receiver<String>,
}

impl Drop for Spawned {
    /// A failing test must not leave a server running.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `wegwijzer <global> serve --addr 127.0.0.1:0 <serve> --data-dir <data>` (with
/// `--catalog <bundled>` unless `serve` names one) with `envs`, and waits until it logged its addresses (the web page's
/// too, unless `serve` holds `--web-addr off`). Panics, with what it printed, if it
/// exits or stays silent.
pub fn spawn_server(
    global: &[&str],
    serve: &[&str],
    envs: &[(&str, &str)],
    data: &std::path::Path,
) -> Spawned {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    use std::sync::mpsc;
    use std::time::Duration;

    let web_on = !serve.windows(2).any(|w| w == ["--web-addr", "off"]);
    let mut command = Command::new(env!("CARGO_BIN_EXE_wegwijzer"));
    command
        .args(global)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(serve);
    if !serve.contains(&"--catalog") {
        command.arg("--catalog").arg(catalog_dir());
    }
    command
        .arg("--data-dir")
        .arg(data)
        .env_remove("WEGWIJZER_ADMIN_TOKEN")
        .env_remove("WEGWIJZER_READ_TOKEN")
        // A developer's shell must not point the tests at a real database.
        .env_remove("WEGWIJZER_STORE")
        .env_remove("WEGWIJZER_ALLOW_STALE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        command.env(k, v);
    }
    let mut child = command.spawn().expect("binary starts");
    let stderr = child.stderr.take().unwrap();
    let (lines_tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    let mut seen = Vec::new();
    let (mut grpc, mut web) = (None, None);
    while grpc.is_none() || (web_on && web.is_none()) {
        let line = lines
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|e| panic!("server did not log its addresses ({e}): {seen:?}"));
        let found = line.find("127.0.0.1:").map(|i| {
            line[i..]
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ':')
                .collect::<String>()
        });
        if line.contains("web page serving") {
            web = found;
        } else if line.contains("serving") {
            grpc = found;
        }
        seen.push(line);
    }
    let (tx, rx) = mpsc::channel();
    for line in seen {
        tx.send(line).unwrap();
    }
    std::thread::spawn(move || {
        while let Ok(line) = lines.recv() {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Spawned {
        child,
        grpc: grpc.unwrap(),
        web,
        lines: rx,
    }
}

/// A request carrying `authorization: Bearer <token>`.
pub fn authorized<T>(message: T, token: &str) -> tonic::Request<T> {
    let mut r = tonic::Request::new(message);
    r.metadata_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    r
}

/// The first page (up to 100) of offerings the server lists.
pub async fn first_offerings(
    channel: tonic::transport::Channel,
) -> Vec<wegwijzer::grpc::pb::Offering> {
    wegwijzer::grpc::pb::catalog_service_client::CatalogServiceClient::new(channel)
        .list_offerings(wegwijzer::grpc::pb::ListOfferingsRequest {
            page_size: 100,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .offerings
}

/// A connected channel to `addr`.
pub async fn channel(addr: &str) -> Channel {
    Channel::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap()
}
