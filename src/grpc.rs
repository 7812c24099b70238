//! Thin gRPC adapters: take the request, convert and validate it, call the engine, map
//! the answer back. The one mapping from errors to `Status` lives in
//! [`ServiceError`]'s `From` impl.
//!
//! Logging records which RPC ran, how it ended, how many results it returned and how
//! long it took: never request text or any other field the caller sent.

use std::sync::Arc;
use std::time::Instant;

use tonic::{Code, Request, Response, Status};
use tonic_types::{ErrorDetails, StatusExt};

use crate::convert::{self, Violation};
use crate::engine::Engine;
use crate::index::IndexError;
use crate::pb;

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
}

impl From<Vec<Violation>> for ServiceError {
    fn from(v: Vec<Violation>) -> Self {
        ServiceError::InvalidArgument(v)
    }
}

impl From<ServiceError> for Status {
    fn from(e: ServiceError) -> Status {
        match e {
            ServiceError::InvalidArgument(violations) => {
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
                for v in &violations {
                    details.add_bad_request_violation(v.field.clone(), v.description.clone());
                }
                Status::with_error_details(Code::InvalidArgument, message, details)
            }
            ServiceError::NotFound => {
                Status::not_found("aanbod niet gevonden / offering not found")
            }
            ServiceError::Index(e) => {
                tracing::error!(error = %e, "search index failed");
                Status::internal("interne fout bij het zoeken / internal search error")
            }
        }
    }
}

/// Logs the end of a call with its outcome and duration.
fn observe<T>(
    rpc: &'static str,
    started: Instant,
    result: &Result<T, ServiceError>,
    results: impl Fn(&T) -> usize,
) {
    let micros = started.elapsed().as_micros() as u64;
    match result {
        Ok(value) => tracing::info!(rpc, results = results(value), micros, "rpc ok"),
        Err(ServiceError::Index(_)) => tracing::warn!(rpc, micros, code = "INTERNAL", "rpc failed"),
        Err(ServiceError::NotFound) => {
            tracing::info!(rpc, micros, code = "NOT_FOUND", "rpc failed")
        }
        Err(ServiceError::InvalidArgument(_)) => {
            tracing::info!(rpc, micros, code = "INVALID_ARGUMENT", "rpc rejected")
        }
    }
}

/// `wegwijzer.v1.ReferralService`.
#[derive(Clone)]
pub struct ReferralApi {
    engine: Arc<Engine>,
}

impl ReferralApi {
    /// Serves the engine.
    pub fn new(engine: Arc<Engine>) -> Self {
        Self { engine }
    }
}

#[tonic::async_trait]
impl pb::referral_service_server::ReferralService for ReferralApi {
    async fn r#match(
        &self,
        request: Request<pb::MatchRequest>,
    ) -> Result<Response<pb::MatchResponse>, Status> {
        let started = Instant::now();
        let result = (|| {
            let (help, limit) =
                convert::match_request(request.into_inner(), self.engine.catalog())?;
            let outcome = self.engine.match_request(&help, limit)?;
            Ok(convert::match_response(&outcome))
        })();
        observe("Match", started, &result, |r: &pb::MatchResponse| {
            r.results.len()
        });
        Ok(Response::new(result?))
    }

    async fn search(
        &self,
        request: Request<pb::SearchRequest>,
    ) -> Result<Response<pb::SearchResponse>, Status> {
        let started = Instant::now();
        let result = (|| {
            let (text, filters, limit) =
                convert::search_request(request.into_inner(), self.engine.catalog())?;
            let outcome = self.engine.search(&text, &filters, limit)?;
            Ok(convert::search_response(&outcome))
        })();
        observe("Search", started, &result, |r: &pb::SearchResponse| {
            r.hits.len()
        });
        Ok(Response::new(result?))
    }

    async fn suggest(
        &self,
        request: Request<pb::SuggestRequest>,
    ) -> Result<Response<pb::SuggestResponse>, Status> {
        let started = Instant::now();
        let result = (|| {
            let (prefix, limit) = convert::suggest_request(request.into_inner())?;
            Ok(convert::suggest_response(
                self.engine.suggest(&prefix, limit),
            ))
        })();
        observe("Suggest", started, &result, |r: &pb::SuggestResponse| {
            r.suggestions.len()
        });
        Ok(Response::new(result?))
    }
}

/// `wegwijzer.v1.CatalogService`.
#[derive(Clone)]
pub struct CatalogApi {
    engine: Arc<Engine>,
}

impl CatalogApi {
    /// Serves the engine's catalog.
    pub fn new(engine: Arc<Engine>) -> Self {
        Self { engine }
    }
}

#[tonic::async_trait]
impl pb::catalog_service_server::CatalogService for CatalogApi {
    async fn get_offering(
        &self,
        request: Request<pb::GetOfferingRequest>,
    ) -> Result<Response<pb::GetOfferingResponse>, Status> {
        let started = Instant::now();
        let result = (|| {
            let id = convert::get_request(request.into_inner())?;
            let offering = self.engine.get(&id).ok_or(ServiceError::NotFound)?;
            Ok(pb::GetOfferingResponse {
                offering: Some(convert::offering(offering)),
            })
        })();
        observe("GetOffering", started, &result, |_| 1);
        Ok(Response::new(result?))
    }

    async fn list_offerings(
        &self,
        request: Request<pb::ListOfferingsRequest>,
    ) -> Result<Response<pb::ListOfferingsResponse>, Status> {
        let started = Instant::now();
        let result = (|| -> Result<_, ServiceError> {
            let (filters, size, after) =
                convert::list_request(request.into_inner(), self.engine.catalog())?;
            let page = self.engine.list(&filters, size, after.as_deref());
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
        })();
        observe(
            "ListOfferings",
            started,
            &result,
            |r: &pb::ListOfferingsResponse| r.offerings.len(),
        );
        Ok(Response::new(result?))
    }
}
