//! The search page for hotline volunteers, served on its own HTTP port by the same
//! binary, with its assets embedded (no build step, no CDN).
//!
//! The page talks to a small JSON API under `/api`. Everything a caller types travels in
//! POST bodies, never in the URL, and goes through the same conversion and validation
//! (`input` → `convert`) and the same engine as the gRPC service. Nothing is logged but
//! the route, the outcome and the duration.

// Handlers answer errors as ready HTTP responses; their size is no concern here.
#![allow(clippy::result_large_err)]

use std::future::Future;
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Extension;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::api::input::{RequestInput, SearchInput};
use crate::api::{self, SuggestDraft, Violation};
use crate::catalog::facts::{self, Route};
use crate::catalog::Catalog;
use crate::domain::wording;
use crate::domain::{Leefgebied, Offering, Signal, Tier};
use crate::engine::Engine;
use crate::live::Live;
use crate::ops::admission::{blocking, Admission, Refusal};
use crate::ops::auth::Tokens;
use crate::ops::connections::Guarded;
use crate::ops::edge::{Call, Edge, Slot};
use crate::ops::metrics::Metrics;

/// What the page's handlers share with the gRPC service: the live catalog, the
/// admission limit and the metrics.
#[derive(Clone)]
pub struct Web {
    /// The served catalog.
    pub live: Arc<Live>,
    /// Concurrency limit and timeout, shared with gRPC.
    pub admission: Admission,
    /// Call counters, shared with gRPC.
    pub metrics: Arc<Metrics>,
    /// The read token (when set) guards the API as it guards gRPC reads.
    pub tokens: Tokens,
    /// Host names the page answers to, beside its own address and localhost.
    pub allowed_hosts: Arc<Vec<String>>,
    /// `/metrics` is served on an address of its own, not on the page's port.
    pub metrics_elsewhere: bool,
    /// The HSDS API's view of the catalog version serving now.
    pub hsds: hsds_api::Cache,
    /// An origin allowed to read the HSDS API from a browser (CORS); none by default.
    pub cors_origin: Option<String>,
}

/// `/metrics` alone, for an address of its own (`--metrics-addr`).
pub fn metrics_router(web: Web) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(web)
}

pub mod hsds_api;
mod security;

const INDEX_HTML: &str = include_str!("page/index.html");
const APP_JS: &str = include_str!("page/app.js");
const APP_CSS: &str = include_str!("page/app.css");

/// Largest JSON body the API accepts, in bytes.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// The page, its API and `/metrics`, behind the Host check and with the security
/// headers on every answer.
pub fn router(web: Web, own: Option<std::net::SocketAddr>) -> Router {
    let separate_metrics = web.metrics_elsewhere;
    let hosts = Arc::new(security::Hosts::new(own, &web.allowed_hosts));
    let api = Router::new()
        .route("/api/info", get(info))
        .route("/api/search", post(search))
        .route("/api/suggest", post(suggest))
        .route("/api/match", post(match_request))
        .route(&format!("{}/", hsds_api::BASE), get(hsds_api::root))
        .nest(
            hsds_api::BASE,
            hsds_api::router().layer(axum::middleware::from_fn_with_state(
                web.clone(),
                hsds_api::cors,
            )),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            web.clone(),
            security::read_token,
        ));
    let page = Router::new()
        .route(
            "/",
            get(|| async { asset("text/html; charset=utf-8", INDEX_HTML) }),
        )
        .route(
            "/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }),
        )
        .route(
            "/app.css",
            get(|| async { asset("text/css; charset=utf-8", APP_CSS) }),
        )
        .merge(api);
    let page = if separate_metrics {
        page
    } else {
        page.route("/metrics", get(metrics))
    };
    let edge = Edge::new(
        web.admission.clone(),
        Arc::clone(&web.metrics),
        call,
        refuse,
    );
    page.layer(edge)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(hosts, security::host))
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(web)
}

/// Serves the page on `listener` until `shutdown` completes.
pub async fn run(
    listener: Guarded,
    web: Web,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let own = listener.local_addr().ok();
    if let Some(addr) = own {
        tracing::info!(%addr, "web page serving");
    }
    axum::serve(listener, router(web, own))
        .with_graceful_shutdown(shutdown)
        .await
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
            (
                header::HeaderName::from_static("x-content-type-options"),
                "nosniff",
            ),
        ],
        body,
    )
        .into_response()
}

/// An API error: a Dutch message and the fields it concerns.
#[derive(Debug, Serialize)]
struct Fout {
    fout: String,
    velden: Vec<Veld>,
}

#[derive(Debug, Serialize)]
struct Veld {
    veld: String,
    probleem: String,
}

fn bad_request(fout: &str, velden: Vec<Veld>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(Fout {
            fout: fout.to_string(),
            velden,
        }),
    )
        .into_response()
}

fn invalid(violations: Vec<Violation>) -> Response {
    let velden = violations
        .into_iter()
        .map(|v| Veld {
            veld: v.field,
            probleem: v.description,
        })
        .collect();
    bad_request("De vraag is niet volledig of niet geldig.", velden)
}

fn internal() -> Response {
    failure(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Er ging iets mis bij het zoeken. Probeer het opnieuw.",
    )
}

/// Unwraps a JSON body, answering a malformed one without echoing it.
fn body<T>(payload: Result<Json<T>, JsonRejection>) -> Result<T, Response> {
    payload.map(|Json(v)| v).map_err(|rejection| {
        tracing::info!(status = %rejection.status(), "web request rejected: malformed body");
        bad_request("De vraag kon niet gelezen worden.", vec![])
    })
}

/// Runs one API call on the engine serving now, on the blocking pool, holding the slot
/// the edge gave it; the edge ([`crate::ops::edge`]) sheds, times out, logs and counts.
async fn answer(
    web: &Web,
    slot: Option<Extension<Slot>>,
    call: impl FnOnce(&Engine) -> Result<Response, Response> + Send + 'static,
) -> Response {
    let engine = web.live.current();
    blocking(slot.map(|Extension(s)| s), move || {
        call(&engine).unwrap_or_else(|r| r)
    })
    .await
    .unwrap_or_else(refuse)
}

/// A refusal in the page's words.
pub fn refuse(refusal: Refusal) -> Response {
    match refusal {
        Refusal::Busy => failure(
            StatusCode::SERVICE_UNAVAILABLE,
            "Het is nu erg druk. Probeer het over een paar seconden opnieuw.",
        ),
        Refusal::DeadlineExceeded => failure(
            StatusCode::GATEWAY_TIMEOUT,
            "Het antwoord duurde te lang. Probeer het opnieuw.",
        ),
        Refusal::Failed => internal(),
    }
}

/// Names the API's calls; the page, its assets and `/metrics` pass the edge untouched.
fn call(path: &str) -> Option<Call> {
    let name = match path {
        "/api/search" => "web/search",
        "/api/suggest" => "web/suggest",
        "/api/match" => "web/match",
        _ => return None,
    };
    Some(Call { name, engine: true })
}

fn failure(status: StatusCode, fout: &str) -> Response {
    let body = Fout {
        fout: fout.into(),
        velden: vec![],
    };
    (status, Json(body)).into_response()
}

async fn metrics(State(web): State<Web>) -> Response {
    let engine = web.live.current();
    let text = web.metrics.render(
        engine.catalog().offerings().len(),
        web.live.live_changes().await,
    );
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

/// One offering as the page shows it.
#[derive(Debug, Serialize)]
struct Aanbod {
    id: String,
    naam: String,
    organisatie: String,
    niveau: &'static str,
    niveau_label: &'static str,
    beschrijving: String,
    volgende_stap: String,
    telefoon: Option<String>,
    website: Option<String>,
    email: Option<String>,
    adres: Option<String>,
    beschikbaarheid: Option<String>,
    gemeenten: Vec<String>,
    /// "Bereikbaar via …" when the contact facts shown are the door's.
    bereikbaar_via: Option<String>,
    /// "Contactgegevens niet bekend in deze catalogus." when there are none.
    contact_onbekend: Option<&'static str>,
    /// What it costs, as a sentence ("Kosten: navragen." when unknown).
    kosten: &'static str,
    /// A warning for an arrangement from a past period.
    historisch: Option<String>,
    /// Further phone numbers, one line each.
    telefoons: Vec<String>,
    /// Places, one line each.
    locaties: Vec<String>,
    /// Opening hours, one line each.
    openingstijden: Vec<String>,
    /// When the entry was last checked against its source (`YYYY-MM-DD`).
    geverifieerd: Option<String>,
}

impl Aanbod {
    /// The page's view of `o`, with the contact facts of its route.
    fn of(catalog: &Catalog, o: &Offering) -> Self {
        let (c, via) = match facts::route(catalog, o) {
            Route::Own(c) => (Some(c), None),
            Route::Via { door, contact } => (contact, Some(wording::reached_via(&door.name))),
            Route::Unknown => (None, None),
        };
        Aanbod {
            bereikbaar_via: via,
            contact_onbekend: c.is_none().then_some(wording::CONTACT_UNKNOWN),
            kosten: wording::cost(o.cost),
            historisch: o.historic.as_ref().map(|h| wording::historic(&h.period)),
            telefoons: c
                .map(|c| c.phones.iter().map(wording::phone_line).collect())
                .unwrap_or_default(),
            locaties: c
                .map(|c| c.locations.iter().map(wording::location_line).collect())
                .unwrap_or_default(),
            openingstijden: c
                .map(|c| c.hours.iter().map(wording::hours_line).collect())
                .unwrap_or_default(),
            id: o.id.clone(),
            naam: o.name.clone(),
            organisatie: o.organisation.clone(),
            niveau: o.tier.key(),
            niveau_label: o.tier.label(),
            beschrijving: o.description.clone(),
            volgende_stap: o.next_step.clone(),
            telefoon: c.and_then(|c| c.phone.clone()),
            website: c.and_then(|c| c.website.clone()),
            email: c.and_then(|c| c.email.clone()),
            adres: c.and_then(|c| c.address.clone()),
            beschikbaarheid: wording::availability(
                o.availability.status,
                o.availability.waiting_weeks,
            )
            .map(|status| match &o.availability.note {
                Some(note) => format!("{status} ({note})"),
                None => status,
            }),
            gemeenten: o.area.names(),
            geverifieerd: o.verified.map(|d| d.to_string()),
        }
    }
}

#[derive(Debug, Serialize)]
struct Keuze {
    key: &'static str,
    label: String,
}

#[derive(Debug, Serialize)]
struct Info {
    regio: String,
    gemeenten: Vec<String>,
    leefgebieden: Vec<Keuze>,
    niveaus: Vec<Keuze>,
    signalen: Vec<Keuze>,
}

async fn info(State(web): State<Web>) -> Json<Info> {
    let engine = web.live.current();
    let c = engine.catalog();
    Json(Info {
        regio: c.name().to_string(),
        gemeenten: c.gemeenten().to_vec(),
        leefgebieden: Leefgebied::ALL
            .iter()
            .map(|l| Keuze {
                key: l.key(),
                label: c.taxonomy().label(*l).to_string(),
            })
            .collect(),
        niveaus: Tier::ALL
            .iter()
            .map(|t| Keuze {
                key: t.key(),
                label: t.label().to_string(),
            })
            .collect(),
        signalen: Signal::ALL
            .iter()
            .map(|s| Keuze {
                key: s.key(),
                label: wording::signal_label(*s).to_string(),
            })
            .collect(),
    })
}

#[derive(Debug, Serialize)]
struct Treffer {
    #[serde(flatten)]
    aanbod: Aanbod,
    fragment: String,
    crisis: bool,
    redenen: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Zoekresultaat {
    treffers: Vec<Treffer>,
    melding: Option<String>,
    bedoelde_u: Vec<String>,
    /// Crisis language found in the query, as labels.
    signalen: Vec<String>,
    /// The banner to show above everything when crisis language was found.
    waarschuwing: Option<String>,
    /// What the query was understood to mean ("‘deurwaarder’ valt onder schulden").
    begrepen: Vec<String>,
}

async fn search(
    State(web): State<Web>,
    slot: Option<Extension<Slot>>,
    payload: Result<Json<SearchInput>, JsonRejection>,
) -> Response {
    answer(&web, slot, move |engine| {
        let input = body(payload)?;
        let draft = input
            .draft(20)
            .map_err(|_| bad_request("Onbekend filter.", vec![]))?;
        let (text, filters, limit) =
            api::checked(|v| api::search_request(draft, engine.catalog(), v)).map_err(invalid)?;
        let outcome = engine.search(&text, &filters, limit).map_err(|e| {
            tracing::error!(error = %e, "search index failed");
            internal()
        })?;
        Ok::<_, Response>(
            Json(Zoekresultaat {
                treffers: outcome
                    .hits
                    .iter()
                    .map(|h| Treffer {
                        aanbod: Aanbod::of(engine.catalog(), h.offering),
                        fragment: h.snippet.text.clone(),
                        crisis: !h.reasons.is_empty() && h.offering.is_crisis_line(),
                        redenen: h.reasons.clone(),
                    })
                    .collect(),
                melding: outcome.note,
                bedoelde_u: outcome.did_you_mean,
                signalen: outcome
                    .signals
                    .iter()
                    .map(|s| wording::signal_label(*s).to_string())
                    .collect(),
                waarschuwing: crate::matching::crisis_banner(
                    &outcome.signals,
                    outcome.hits.first().map(|h| h.offering),
                ),
                begrepen: outcome.understood.clone(),
            })
            .into_response(),
        )
    })
    .await
}

#[derive(Debug, Deserialize)]
struct SuggestInput {
    prefix: String,
}

#[derive(Debug, Serialize)]
struct Suggestie {
    tekst: String,
    aanbod_id: Option<String>,
}

async fn suggest(
    State(web): State<Web>,
    slot: Option<Extension<Slot>>,
    payload: Result<Json<SuggestInput>, JsonRejection>,
) -> Response {
    answer(&web, slot, move |engine| {
        let input = body(payload)?;
        let draft = SuggestDraft {
            prefix: input.prefix,
            limit: 8,
        };
        let (prefix, limit) = api::checked(|v| api::suggest_request(draft, v)).map_err(invalid)?;
        let list: Vec<Suggestie> = engine
            .suggest(&prefix, limit)
            .into_iter()
            .map(|s| Suggestie {
                tekst: s.text,
                aanbod_id: s.offering_id,
            })
            .collect();
        Ok::<_, Response>(Json(list).into_response())
    })
    .await
}

#[derive(Debug, Serialize)]
struct Resultaat {
    #[serde(flatten)]
    aanbod: Aanbod,
    crisis: bool,
    redenen: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Matchresultaat {
    advies: String,
    profiel: String,
    resultaten: Vec<Resultaat>,
}

async fn match_request(
    State(web): State<Web>,
    slot: Option<Extension<Slot>>,
    payload: Result<Json<RequestInput>, JsonRejection>,
) -> Response {
    answer(&web, slot, move |engine| {
        let input = body(payload)?;
        let draft = input
            .draft(10)
            .map_err(|_| bad_request("Onbekende keuze in het formulier.", vec![]))?;
        let (help, limit) =
            api::checked(|v| api::match_request(draft, engine.catalog(), v)).map_err(invalid)?;
        let outcome = engine.match_request(&help, limit).map_err(|e| {
            tracing::error!(error = %e, "search index failed");
            internal()
        })?;
        Ok::<_, Response>(
            Json(Matchresultaat {
                advies: outcome.advice.clone(),
                profiel: outcome.profile.summary(),
                resultaten: outcome
                    .results
                    .iter()
                    .map(|r| Resultaat {
                        aanbod: Aanbod::of(engine.catalog(), r.offering),
                        crisis: r.offering.is_crisis_line(),
                        redenen: r.reasons.clone(),
                    })
                    .collect(),
            })
            .into_response(),
        )
    })
    .await
}
