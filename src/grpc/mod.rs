//! Thin gRPC adapters: take the request, convert and validate it, call the engine, map
//! the answer back. The one mapping from errors to `Status` lives in
//! [`ServiceError`]'s `From` impl.
//!
//! Read calls run through [`Admission`]: on the blocking pool, within the deadline, shed
//! when the server is full. Admin calls go to [`Live`], which applies them one at a time.
//!
//! Logging and metrics record which RPC ran, how it ended and how long it took: never
//! request text or any other field the caller sent.

pub mod convert;
pub mod pb;
pub mod server;

use std::sync::Arc;
use std::time::Instant;

use tonic::{Code, Request, Response, Status};
use tonic_types::{ErrorDetails, StatusExt};

use crate::api::{catalog_violations, Violation};
use crate::domain::dates;
use crate::engine::Engine;
use crate::live::store::StateError;
use crate::live::{Applied, Live, LiveError};
use crate::ops::admission::{blocking, grpc_timeout, Admission, Refusal};
use crate::ops::edge::Slot;
use crate::search::index::IndexError;

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The request breaks one or more rules.
    #[error("invalid request")]
    InvalidArgument(Vec<Violation>),
    /// The named offering does not exist.
    #[error("offering not found")]
    NotFound,
    /// The index failed; details go to the log, not to the caller.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// Not run: the server was full, or the deadline passed.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// An admin change or reload did not happen.
    #[error(transparent)]
    Live(#[from] LiveError),
}

impl From<Vec<Violation>> for ServiceError {
    fn from(v: Vec<Violation>) -> Self {
        ServiceError::InvalidArgument(v)
    }
}

fn invalid_argument(violations: &[Violation]) -> Status {
    let fields: Vec<&str> = violations.iter().map(|v| v.field.as_str()).collect();
    let message = format!(
        "ongeldige aanvraag / invalid request: {}",
        violations
            .iter()
            .map(|v| format!("{} {}", v.field, v.description))
            .collect::<Vec<_>>()
            .join("; ")
    );
    tracing::debug!(fields = ?fields, "request rejected");
    let mut details = ErrorDetails::new();
    for v in violations {
        details.add_bad_request_violation(v.field.clone(), v.description.clone());
    }
    Status::with_error_details(Code::InvalidArgument, message, details)
}

impl From<ServiceError> for Status {
    fn from(e: ServiceError) -> Status {
        match e {
            ServiceError::InvalidArgument(violations) => invalid_argument(&violations),
            ServiceError::NotFound | ServiceError::Live(LiveError::NotFound(_)) => {
                Status::not_found("aanbod niet gevonden / offering not found")
            }
            ServiceError::Index(e) => {
                tracing::error!(error = %e, "search index failed");
                Status::internal("interne fout bij het zoeken / internal search error")
            }
            ServiceError::Refused(Refusal::Busy) => Status::resource_exhausted(
                "server bezet / server busy: too many calls at once, retry shortly",
            ),
            ServiceError::Refused(Refusal::DeadlineExceeded) => Status::deadline_exceeded(
                "tijd verstreken / deadline exceeded before the answer was ready",
            ),
            ServiceError::Live(LiveError::Expired) => Status::deadline_exceeded(
                "tijd verstreken, de wijziging is niet doorgevoerd / deadline exceeded while \
                 the change waited its turn; it was not applied",
            ),
            ServiceError::Refused(Refusal::Failed) => {
                tracing::error!("engine call failed");
                Status::internal("interne fout / internal error")
            }
            ServiceError::Live(LiveError::Rejected(problems)) => {
                invalid_argument(&catalog_violations(&problems))
            }
            ServiceError::Live(LiveError::Catalog(e)) => {
                tracing::warn!(error = %e, "catalog not reloaded");
                Status::failed_precondition(format!(
                    "catalogus niet geladen, de vorige blijft in gebruik / catalog not loaded, \
                     the previous one keeps serving: {e}"
                ))
            }
            ServiceError::Live(LiveError::Conflict {
                id,
                expected,
                current,
            }) => Status::aborted(format!(
                "aanbod '{id}' is intussen gewijzigd (versie {current}, verwacht {expected}); \
                 haal het opnieuw op / offering changed meanwhile: it is at version \
                 {current}, the change expected {expected}; it was not applied"
            )),
            ServiceError::Live(LiveError::State(e @ StateError::Unknown { .. })) => {
                tracing::error!(error = %e, "live change outcome unknown");
                Status::unavailable(
                    "uitkomst onbekend / the connection to the database broke while the \
                     change was committed, so it may or may not have been applied: read the \
                     offering (or retry with expected_version) before trying again",
                )
            }
            ServiceError::Live(LiveError::State(e)) => {
                tracing::error!(error = %e, "live change not saved");
                Status::unavailable(
                    "wijziging niet opgeslagen / the change could not be saved and was not \
                     applied; try again",
                )
            }
            ServiceError::Live(e) => {
                tracing::error!(error = %e, "live change failed");
                Status::internal("interne fout / internal error; the change was not applied")
            }
        }
    }
}

/// The wegwijzer services over one live catalog: `ReferralService`, `CatalogService`
/// and `AdminService`.
#[derive(Clone)]
pub struct Api {
    live: Arc<Live>,
    admission: Admission,
}

impl Api {
    /// Serves `live`; admin calls get `admission`'s timeout as their deadline.
    pub fn new(live: Arc<Live>, admission: Admission) -> Self {
        Self { live, admission }
    }

    /// Runs a read call on the engine serving now, through admission control.
    async fn read<T, R>(
        &self,
        request: Request<T>,
        work: impl FnOnce(&Engine, T) -> Result<R, ServiceError> + Send + 'static,
    ) -> Result<Response<R>, Status>
    where
        T: Send + 'static,
        R: Send + 'static,
    {
        let slot = request.extensions().get::<Slot>().cloned();
        let engine = self.live.current();
        let message = request.into_inner();
        let result = blocking(slot, move || work(&engine, message))
            .await
            .map_err(ServiceError::from)
            .and_then(|r| r);
        finish(result)
    }

    /// Runs an admin call (they apply one at a time in [`Live`]'s writer) and logs and
    /// counts it. `work` gets the call's deadline: the client's or the server's own,
    /// whichever is sooner. A change still waiting its turn then is withdrawn and
    /// answered `DEADLINE_EXCEEDED`; one the writer already took is answered when done.
    async fn admin<T, R, F>(
        &self,
        request: Request<T>,
        work: impl FnOnce(T, Instant) -> F,
    ) -> Result<Response<R>, Status>
    where
        F: std::future::Future<Output = Result<R, ServiceError>>,
    {
        let started = Instant::now();
        let limit = client_deadline(&request).map_or(self.admission.timeout(), |d| {
            d.min(self.admission.timeout())
        });
        finish(work(request.into_inner(), started + limit).await)
    }
}

/// The answer to a call: the one mapping from errors to `Status`. Logging and counting
/// happen at the edge ([`crate::ops::edge`]).
fn finish<R>(result: Result<R, ServiceError>) -> Result<Response<R>, Status> {
    result.map(Response::new).map_err(Status::from)
}

/// The client's deadline, from the `grpc-timeout` header.
fn client_deadline<T>(request: &Request<T>) -> Option<std::time::Duration> {
    request
        .metadata()
        .get("grpc-timeout")
        .and_then(|v| v.to_str().ok())
        .and_then(grpc_timeout)
}

/// The answer to an applied change, from what the writer returned (no second look at
/// the writer's state, which may already have moved on).
fn change_response(applied: &Applied, id: Option<&str>) -> pb::AdminChangeResponse {
    pb::AdminChangeResponse {
        offering: id
            .and_then(|id| applied.engine.get(id))
            .map(convert::offering),
        live_changes: applied.live_changes as u32,
        offerings: applied.engine.catalog().offerings().len() as u32,
        version: applied.version,
    }
}

#[tonic::async_trait]
impl pb::referral_service_server::ReferralService for Api {
    async fn r#match(
        &self,
        request: Request<pb::MatchRequest>,
    ) -> Result<Response<pb::MatchResponse>, Status> {
        self.read(request, |engine, req| {
            let (help, limit) = convert::match_request(req, engine.catalog())?;
            let outcome = engine.match_request(&help, limit)?;
            Ok(convert::match_response(&outcome))
        })
        .await
    }

    async fn search(
        &self,
        request: Request<pb::SearchRequest>,
    ) -> Result<Response<pb::SearchResponse>, Status> {
        self.read(request, |engine, req| {
            let (text, filters, limit) = convert::search_request(req, engine.catalog())?;
            let outcome = engine.search(&text, &filters, limit)?;
            Ok(convert::search_response(&outcome))
        })
        .await
    }

    async fn suggest(
        &self,
        request: Request<pb::SuggestRequest>,
    ) -> Result<Response<pb::SuggestResponse>, Status> {
        self.read(request, |engine, req| {
            let (prefix, limit) = convert::suggest_request(req)?;
            Ok(convert::suggest_response(engine.suggest(&prefix, limit)))
        })
        .await
    }
}

#[tonic::async_trait]
impl pb::catalog_service_server::CatalogService for Api {
    async fn get_offering(
        &self,
        request: Request<pb::GetOfferingRequest>,
    ) -> Result<Response<pb::GetOfferingResponse>, Status> {
        self.read(request, |engine, req| {
            let id = convert::get_request(req)?;
            let offering = engine.get(&id).ok_or(ServiceError::NotFound)?;
            Ok(pb::GetOfferingResponse {
                offering: Some(convert::offering(offering)),
            })
        })
        .await
    }

    async fn list_offerings(
        &self,
        request: Request<pb::ListOfferingsRequest>,
    ) -> Result<Response<pb::ListOfferingsResponse>, Status> {
        self.read(request, |engine, req| {
            let (filters, size, after) = convert::list_request(req, engine.catalog())?;
            let page = engine.list(&filters, size, after.as_deref());
            Ok(pb::ListOfferingsResponse {
                offerings: page
                    .offerings
                    .iter()
                    .map(|o| convert::offering(o))
                    .collect(),
                next_page_token: page
                    .next_after
                    .as_deref()
                    .map(convert::encode_token)
                    .unwrap_or_default(),
                total_size: page.total as u32,
            })
        })
        .await
    }
}

#[tonic::async_trait]
impl pb::admin_service_server::AdminService for Api {
    async fn set_availability(
        &self,
        request: Request<pb::SetAvailabilityRequest>,
    ) -> Result<Response<pb::AdminChangeResponse>, Status> {
        self.admin(request, |req, deadline| async move {
            let expected = req.expected_version;
            let (id, availability, effective) = convert::set_availability_request(req)?;
            let applied = self
                .live
                .set_availability(
                    id.clone(),
                    availability,
                    effective,
                    expected,
                    Some(deadline),
                )
                .await?;
            tracing::info!(offering = %id, "availability set");
            Ok(change_response(&applied, Some(&id)))
        })
        .await
    }

    async fn upsert_offering(
        &self,
        request: Request<pb::UpsertOfferingRequest>,
    ) -> Result<Response<pb::AdminChangeResponse>, Status> {
        self.admin(request, |req, deadline| async move {
            let expected = req.expected_version;
            let offering = convert::upsert_request(req, dates::today())?;
            let id = offering.id.clone();
            let applied = self.live.upsert(offering, expected, Some(deadline)).await?;
            tracing::info!(offering = %id, "offering upserted");
            Ok(change_response(&applied, Some(&id)))
        })
        .await
    }

    async fn delete_offering(
        &self,
        request: Request<pb::DeleteOfferingRequest>,
    ) -> Result<Response<pb::AdminChangeResponse>, Status> {
        self.admin(request, |req, deadline| async move {
            let expected = req.expected_version;
            let id = convert::delete_request(req)?;
            let applied = self
                .live
                .delete(id.clone(), expected, Some(deadline))
                .await?;
            tracing::info!(offering = %id, "offering deleted");
            Ok(change_response(&applied, None))
        })
        .await
    }

    async fn reload_catalog(
        &self,
        _request: Request<pb::ReloadCatalogRequest>,
    ) -> Result<Response<pb::ReloadCatalogResponse>, Status> {
        self.admin(_request, |_, _| async move {
            let r = reload(&self.live).await?;
            Ok(pb::ReloadCatalogResponse {
                offerings: r.offerings as u32,
                index_rebuilt: r.index_rebuilt,
                adopted_changes: r.adopted as u32,
                live_changes: r.live_changes as u32,
                warnings: r.warnings,
            })
        })
        .await
    }
}

/// Reloads the catalog files and logs the outcome (shared by the RPC and SIGHUP).
pub async fn reload(live: &Live) -> Result<crate::live::Reloaded, LiveError> {
    let result = live.reload().await;
    match &result {
        Ok(r) => {
            for w in &r.warnings {
                tracing::warn!(warning = %w, "reload");
            }
            tracing::info!(
                offerings = r.offerings,
                index_rebuilt = r.index_rebuilt,
                adopted = r.adopted,
                live_changes = r.live_changes,
                "catalog reloaded"
            );
        }
        Err(e) => {
            tracing::warn!(error = %e, "catalog not reloaded; the previous one keeps serving")
        }
    }
    result
}
