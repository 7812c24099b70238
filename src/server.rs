//! Server assembly: the wegwijzer services plus gRPC health and reflection (v1 and
//! v1alpha) on one listener, optional TLS, tokens, admission control and graceful
//! shutdown; and, beside it, the web page.
//!
//! [`run`] is the single entry point for `main` and the integration tests: both bind a
//! listener themselves (tests on `127.0.0.1:0`) and hand it over, so there is never a
//! port guessed, dropped and re-bound.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tonic::transport::Identity;

pub use crate::grpc::server::run;
use crate::live::Live;
use crate::ops::admission::Admission;
use crate::ops::auth::Tokens;
use crate::ops::connections::{Guarded, Limits};
use crate::ops::metrics::Metrics;
use crate::web::Web;

/// Largest request or response message, in bytes. Requests are small: a help request
/// with 2,000 characters of text stays far below this.
pub const MAX_MESSAGE_BYTES: usize = 256 * 1024;
/// Engine calls at once before the server sheds load, by default.
pub const DEFAULT_MAX_CONCURRENT_CALLS: usize = 64;
/// The server's own deadline for a call, by default.
pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(2);

/// Why the server stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Reflection could not read the descriptor set.
    #[error("grpc reflection: {0}")]
    Reflection(#[from] tonic_reflection::server::Error),
    /// The transport failed (or the TLS certificate and key are unusable).
    #[error("grpc transport: {0}")]
    Transport(#[from] tonic::transport::Error),
    /// The web page's HTTP server failed.
    #[error("web page: {0}")]
    Web(#[from] std::io::Error),
}

/// How the server runs, beyond its listener and catalog.
#[derive(Clone)]
pub struct Options {
    /// Tokens for admin (and optionally read) calls.
    pub tokens: Tokens,
    /// Concurrency limit and call timeout.
    pub admission: Admission,
    /// Certificate and key (PEM) for TLS; plain HTTP/2 when `None`.
    pub tls: Option<Identity>,
    /// Call counters.
    pub metrics: Arc<Metrics>,
    /// Connection limits, the same on both ports.
    pub limits: Limits,
    /// Host names the web port answers to, beside its own address and localhost.
    pub allowed_hosts: Vec<String>,
    /// An address of its own for `/metrics` (then not on the web port).
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// An origin allowed to read the HSDS API from a browser (CORS); none by default.
    pub cors_origin: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tokens: Tokens::default(),
            admission: Admission::new(DEFAULT_MAX_CONCURRENT_CALLS, DEFAULT_CALL_TIMEOUT),
            tls: None,
            metrics: Arc::default(),
            limits: Limits::default(),
            allowed_hosts: Vec::new(),
            metrics_addr: None,
            cors_origin: None,
        }
    }
}

/// Serves gRPC on `grpc` and, when given, the search page on `web`, until `shutdown`
/// completes; then both stop accepting and let work in flight finish. Meanwhile it
/// reloads the catalog on SIGHUP and re-applies dated availability changes each day.
pub async fn run_all(
    grpc: TcpListener,
    web: Option<TcpListener>,
    live: Arc<Live>,
    options: Options,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    let wait = move || {
        let mut rx = stopped.clone();
        async move {
            let _ = rx.wait_for(|s| *s).await;
        }
    };
    // The SIGHUP handler is in place before anything listens, so an early SIGHUP
    // reloads rather than ending the process (the default action).
    #[cfg(unix)]
    let hangup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
    #[cfg(not(unix))]
    let hangup = None::<()>;
    let background = tokio::spawn(maintain(Arc::clone(&live), hangup, wait()));
    let state = Web {
        hsds: crate::web::hsds_api::Cache::default(),
        cors_origin: options.cors_origin.clone(),
        live: Arc::clone(&live),
        admission: options.admission.clone(),
        metrics: Arc::clone(&options.metrics),
        tokens: options.tokens.clone(),
        allowed_hosts: Arc::new(options.allowed_hosts.clone()),
        metrics_elsewhere: options.metrics_addr.is_some(),
    };
    let metrics_page = match options.metrics_addr {
        Some(addr) => {
            let listener = TcpListener::bind(addr).await?;
            tracing::info!(addr = %listener.local_addr()?, "metrics page listening");
            let router = crate::web::metrics_router(state.clone());
            let stop = wait();
            Some(tokio::spawn(async move {
                axum::serve(listener, router)
                    .with_graceful_shutdown(stop)
                    .await
            }))
        }
        None => None,
    };
    let page = web.map(|l| {
        let l = Guarded::new(l, options.limits, "web", Arc::clone(&options.metrics));
        tokio::spawn(crate::web::run(l, state, wait()))
    });
    let served = run(grpc, live, options, wait()).await;
    background.abort();
    for task in page.into_iter().chain(metrics_page) {
        task.await.map_err(std::io::Error::other)??;
    }
    served
}

/// Reloads on SIGHUP and checks once a minute whether the date changed, until `stop`.
async fn maintain(
    live: Arc<Live>,
    #[cfg(unix)] mut hangup: Option<tokio::signal::unix::Signal>,
    #[cfg(not(unix))] _hangup: Option<()>,
    stop: impl Future<Output = ()>,
) {
    let mut minute = tokio::time::interval(Duration::from_secs(60));
    tokio::pin!(stop);
    loop {
        #[cfg(unix)]
        let hup = async {
            match hangup.as_mut() {
                Some(s) => s.recv().await,
                None => std::future::pending().await,
            }
        };
        #[cfg(not(unix))]
        let hup = std::future::pending::<Option<()>>();
        tokio::select! {
            () = &mut stop => return,
            _ = hup => {
                tracing::info!("SIGHUP: reloading the catalog");
                let _ = crate::grpc::reload(&live).await;
            }
            _ = minute.tick() => {
                match live.refresh_day().await {
                    Ok(true) => tracing::info!("new day: dated availability changes applied"),
                    Ok(false) => {}
                    Err(e) => tracing::warn!(error = %e, "dated availability changes not applied"),
                }
            }
        }
    }
}

/// Completes on ctrl-c or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
