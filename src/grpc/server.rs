//! The gRPC server: the three services behind their token checks, health, reflection,
//! TLS and the admission layer, on one listener.

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Server, ServerTlsConfig};
use tonic_health::ServingStatus;

use super::pb;
use super::pb::admin_service_server::AdminServiceServer;
use super::pb::catalog_service_server::CatalogServiceServer;
use super::pb::referral_service_server::ReferralServiceServer;
use super::{Api, ServiceError};
use crate::live::store::StoreStatus;
use crate::live::Live;
use crate::ops::admission::Refusal;
use crate::ops::connections::Guarded;
use crate::ops::edge::{Call, Edge};
use crate::server::{Options, ServerError, MAX_MESSAGE_BYTES};

/// The health service name that reports whether the live-changes store takes writes
/// (NOT_SERVING while a shared database cannot be reached; reads go on).
pub const STORE_SERVICE: &str = "wegwijzer.store";

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
    let mut store = live.store_status();
    let store_health = health.clone();
    let watching = tokio::spawn(async move {
        loop {
            let status = match *store.borrow_and_update() {
                StoreStatus::Ready => ServingStatus::Serving,
                StoreStatus::Unreachable => ServingStatus::NotServing,
            };
            store_health.set_service_status(STORE_SERVICE, status).await;
            if store.changed().await.is_err() {
                break;
            }
        }
    });

    let reflection = || {
        tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
    };
    let reflection_v1 = reflection().build_v1()?;
    let reflection_v1alpha = reflection().build_v1alpha()?;

    let metrics = Arc::clone(&options.metrics);
    let edge = Edge::new(
        options.admission.clone(),
        Arc::clone(&metrics),
        call,
        refuse,
    );
    let api = Api::new(live, options.admission);
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
        watching.abort();
        for name in SERVICES.into_iter().chain([STORE_SERVICE]) {
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
        .layer(edge)
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

/// The RPCs of the three services, by the last part of their path.
const RPCS: [&str; 9] = [
    "Match",
    "Search",
    "Suggest",
    "GetOffering",
    "ListOfferings",
    "SetAvailability",
    "UpsertOffering",
    "DeleteOffering",
    "ReloadCatalog",
];

/// Names a call by its path: read calls of the referral and catalog services run on the
/// engine; admin calls are applied by the writer, which keeps its own deadline; health
/// and reflection pass through.
fn call(path: &str) -> Option<Call> {
    let (service, method) = path.strip_prefix('/')?.split_once('/')?;
    let engine = match service {
        "wegwijzer.v1.ReferralService" | "wegwijzer.v1.CatalogService" => true,
        "wegwijzer.v1.AdminService" => false,
        _ => return None,
    };
    let name = RPCS
        .iter()
        .find(|r| **r == method)
        .copied()
        .unwrap_or("unknown");
    Some(Call { name, engine })
}

/// A refusal at the edge, as a trailers-only gRPC answer (worded where every error
/// is, in [`ServiceError`]'s mapping).
fn refuse(refusal: Refusal) -> http::Response<tonic::body::Body> {
    tonic::Status::from(ServiceError::Refused(refusal)).into_http()
}
