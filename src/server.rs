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
use tonic::codegen::http;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Identity, Server, ServerTlsConfig};
use tonic_health::ServingStatus;

use crate::grpc::pb;
use crate::grpc::pb::admin_service_server::AdminServiceServer;
use crate::grpc::pb::catalog_service_server::CatalogServiceServer;
use crate::grpc::pb::referral_service_server::ReferralServiceServer;
use crate::grpc::Api;
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
        }
    }
}

const SERVICES: [&str; 4] = [
    "",
    "wegwijzer.v1.ReferralService",
    "wegwijzer.v1.CatalogService",
    "wegwijzer.v1.AdminService",
];

/// Serves `live` on `listener` until `shutdown` completes, then stops accepting calls,
/// lets in-flight calls finish and returns.
///
/// Health reports SERVING for the whole server and each service, since the catalog is
/// loaded and the index open before this is called; on shutdown it reports NOT_SERVING
/// first, so load balancers stop sending work.
pub async fn run(
    listener: TcpListener,
    live: Arc<Live>,
    options: Options,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let (health, health_service) = tonic_health::server::health_reporter();
    for name in SERVICES {
        health
            .set_service_status(name, ServingStatus::Serving)
            .await;
    }

    let reflection = || {
        tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
    };
    let reflection_v1 = reflection().build_v1()?;
    let reflection_v1alpha = reflection().build_v1alpha()?;

    let metrics = Arc::clone(&options.metrics);
    let api = Api::new(live, options.admission, options.metrics);
    let (read, admin) = (options.tokens.clone(), options.tokens);
    let read_check = move |r| read.admit_read(r);
    let admin_check = move |r| admin.admit_admin(r);
    macro_rules! sized {
        ($server:expr) => {
            $server
                .max_decoding_message_size(MAX_MESSAGE_BYTES)
                .max_encoding_message_size(4 * MAX_MESSAGE_BYTES)
        };
    }
    let referral = InterceptedService::new(
        sized!(ReferralServiceServer::new(api.clone())),
        read_check.clone(),
    );
    let catalog =
        InterceptedService::new(sized!(CatalogServiceServer::new(api.clone())), read_check);
    let admin = InterceptedService::new(sized!(AdminServiceServer::new(api)), admin_check);

    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, tls = options.tls.is_some(), "serving");
    }
    let stopping = async move {
        shutdown.await;
        tracing::info!("shutting down: finishing calls in flight");
        for name in SERVICES {
            health
                .set_service_status(name, ServingStatus::NotServing)
                .await;
        }
    };
    // No transport-wide timeout: read calls have their deadline in admission control,
    // admin changes in the writer's queue, so a change is never cut off half-way and
    // misreported as CANCELLED.
    let keepalive = crate::ops::connections::keepalive_interval(options.limits.idle_timeout);
    let mut builder = Server::builder()
        .http2_keepalive_interval(Some(keepalive))
        .http2_keepalive_timeout(Some(keepalive))
        .tcp_keepalive(Some(keepalive));
    if let Some(identity) = options.tls {
        builder = builder.tls_config(ServerTlsConfig::new().identity(identity))?;
    }
    let incoming = Guarded::new(listener, options.limits, "grpc", Arc::clone(&metrics));
    builder
        .layer(tower::layer::layer_fn(move |inner| Refusals {
            inner,
            metrics: Arc::clone(&metrics),
        }))
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(referral)
        .add_service(catalog)
        .add_service(admin)
        .serve_with_incoming_shutdown(incoming.into_stream(), stopping)
        .await?;
    tracing::info!("stopped");
    Ok(())
}

/// Logs and counts the calls refused before their handler ran: a missing or wrong
/// token, an undecodable message. Such answers carry their status in the response
/// headers (trailers-only). Only the method's path and the code are logged.
#[derive(Clone)]
struct Refusals<S> {
    inner: S,
    metrics: Arc<Metrics>,
}

impl<S, B, R> tower::Service<http::Request<B>> for Refusals<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<R>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = std::pin::Pin<
        Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send + 'static>,
    >;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let path = request.uri().path().to_string();
        let metrics = Arc::clone(&self.metrics);
        let future = self.inner.call(request);
        Box::pin(async move {
            let response = future.await?;
            let headers = response.headers();
            let code = headers
                .get("grpc-status")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<i32>().ok())
                .map(tonic::Code::from);
            let message = headers
                .get("grpc-message")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let kind = match code {
                Some(tonic::Code::Unauthenticated) => Some("token_missing"),
                Some(tonic::Code::PermissionDenied) => Some("token_wrong"),
                Some(tonic::Code::Internal | tonic::Code::InvalidArgument)
                    if message.contains("decode") =>
                {
                    Some("undecodable")
                }
                _ => None,
            };
            if let (Some(kind), Some(code)) = (kind, code) {
                tracing::warn!(
                    method = %path,
                    code = crate::grpc::code_name(code),
                    kind,
                    "call refused"
                );
                metrics.refusal(kind);
            }
            Ok(response)
        })
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
