//! Server assembly: the two wegwijzer services plus gRPC health and reflection (v1 and
//! v1alpha) on one listener, with graceful shutdown.
//!
//! [`run`] is the single entry point for `main` and the integration tests: both bind a
//! listener themselves (tests on `127.0.0.1:0`) and hand it over, so there is never a
//! port guessed, dropped and re-bound.

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::transport::Server;
use tonic_health::ServingStatus;

use crate::engine::Engine;
use crate::grpc::{CatalogApi, ReferralApi};
use crate::pb;
use crate::pb::catalog_service_server::CatalogServiceServer;
use crate::pb::referral_service_server::ReferralServiceServer;

/// Largest request or response message, in bytes. Requests are small: a help request
/// with 2,000 characters of text stays far below this.
pub const MAX_MESSAGE_BYTES: usize = 256 * 1024;

/// Why the server stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Reflection could not read the descriptor set.
    #[error("grpc reflection: {0}")]
    Reflection(#[from] tonic_reflection::server::Error),
    /// The transport failed.
    #[error("grpc transport: {0}")]
    Transport(#[from] tonic::transport::Error),
    /// The web page's HTTP server failed.
    #[error("web page: {0}")]
    Web(#[from] std::io::Error),
}

/// Serves `engine` on `listener` until `shutdown` completes, then stops accepting calls,
/// lets in-flight calls finish and returns.
///
/// Health reports SERVING for the whole server and each service, since the engine is
/// ready (catalog loaded, index open) before this is called; on shutdown it reports
/// NOT_SERVING first, so load balancers stop sending work.
pub async fn run(
    listener: TcpListener,
    engine: Arc<Engine>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let (health, health_service) = tonic_health::server::health_reporter();
    let services = [
        "",
        "wegwijzer.v1.ReferralService",
        "wegwijzer.v1.CatalogService",
    ];
    for name in services {
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

    let referral = ReferralServiceServer::new(ReferralApi::new(engine.clone()))
        .max_decoding_message_size(MAX_MESSAGE_BYTES)
        .max_encoding_message_size(4 * MAX_MESSAGE_BYTES);
    let catalog = CatalogServiceServer::new(CatalogApi::new(engine))
        .max_decoding_message_size(MAX_MESSAGE_BYTES)
        .max_encoding_message_size(4 * MAX_MESSAGE_BYTES);

    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "serving");
    }
    let stopping = async move {
        shutdown.await;
        tracing::info!("shutting down: finishing calls in flight");
        for name in services {
            health
                .set_service_status(name, ServingStatus::NotServing)
                .await;
        }
    };
    Server::builder()
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(referral)
        .add_service(catalog)
        .serve_with_incoming_shutdown(no_delay(listener), stopping)
        .await?;
    tracing::info!("stopped");
    Ok(())
}

/// Accepted connections with Nagle's algorithm off. tonic sets TCP_NODELAY only on
/// listeners it binds itself; without it a response written in several pieces waits
/// for the peer's delayed ACK (about 40 ms on Linux) before its last piece is sent.
fn no_delay(
    listener: TcpListener,
) -> impl tokio_stream::Stream<Item = std::io::Result<tokio::net::TcpStream>> {
    use tokio_stream::StreamExt as _;
    TcpListenerStream::new(listener).map(|conn| {
        if let Ok(stream) = &conn {
            let _ = stream.set_nodelay(true);
        }
        conn
    })
}

/// Serves gRPC on `grpc` and, when given, the search page on `web`, until `shutdown`
/// completes; then both stop accepting and let work in flight finish.
pub async fn run_all(
    grpc: TcpListener,
    web: Option<TcpListener>,
    engine: Arc<Engine>,
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
    let page = web.map(|l| tokio::spawn(crate::web::run(l, engine.clone(), wait())));
    let served = run(grpc, engine, wait()).await;
    if let Some(page) = page {
        page.await.map_err(std::io::Error::other)??;
    }
    served
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
