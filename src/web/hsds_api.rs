//! The Open Referral HSDS 3.0 read API, on the web port under [`BASE`]: the metadata
//! root, services, organizations, taxonomies, taxonomy terms and services at locations,
//! in the compiled shapes of the official schemas, made by the same code as
//! `catalog export --hsds` from the engine serving now (live changes show at once).
//!
//! `search=` runs the real search (analyzer, thesaurus, typos) and keeps its order.
//! Lists come in the document's page envelope (`page`, `per_page` ≤ [`MAX_PER_PAGE`]).
//! Answers carry an `ETag` from the catalog's fingerprint (`If-None-Match` gives 304) and
//! a short `Cache-Control`; bad parameters get 400 with a JSON body naming them, unknown
//! ids 404.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, Weak};

use sha2::{Digest, Sha256};

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{json, Value};

use super::Web;
use crate::catalog::hsds::model::{Organization, Service, Taxonomy, TaxonomyTerm};
use crate::catalog::hsds::typed;
use crate::domain::Filters;
use crate::engine::Engine;

/// Where the API lives on the web port.
pub const BASE: &str = "/hsds/v3";
/// Default page size.
pub const DEFAULT_PER_PAGE: usize = 20;
/// Largest page size.
pub const MAX_PER_PAGE: usize = 100;

/// The HSDS objects of one catalog version, with a tag of its content.
pub struct View {
    /// Changes whenever anything served changes (the catalog's fingerprint covers the
    /// indexed content; availability is hashed in).
    tag: String,
    services: Vec<Service>,
    organizations: Vec<Organization>,
    taxonomies: Vec<Taxonomy>,
    terms: Vec<TaxonomyTerm>,
    /// Service position per offering id, to keep the search's order.
    by_offering: BTreeMap<String, usize>,
}

/// The view of the engine serving now, built once per engine (every change swaps in a
/// new one).
#[derive(Clone, Default)]
pub struct Cache(Arc<Mutex<Option<Built>>>);

/// A view and the engine it was built from.
type Built = (Weak<Engine>, Arc<View>);

impl Cache {
    fn view(&self, engine: &Arc<Engine>) -> Arc<View> {
        let catalog = engine.catalog();
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, v)) = slot
            .as_ref()
            .filter(|(built_for, _)| built_for.upgrade().is_some_and(|e| Arc::ptr_eq(&e, engine)))
        {
            return Arc::clone(v);
        }
        let mut hash = Sha256::new();
        hash.update(catalog.fingerprint().as_bytes());
        for o in catalog.offerings() {
            hash.update(format!("{}:{:?}\n", o.id, o.availability).as_bytes());
        }
        let tag = hex::encode(&hash.finalize()[..8]);
        let (organizations, mut services) = typed(catalog);
        let by_org: BTreeMap<&str, &Organization> =
            organizations.iter().map(|o| (o.id.as_str(), o)).collect();
        for s in &mut services {
            s.organization = s
                .organization_id
                .as_deref()
                .and_then(|id| by_org.get(id))
                .map(|o| (*o).clone());
        }
        let mut taxonomies = BTreeMap::new();
        let mut terms = BTreeMap::new();
        for a in services.iter().flat_map(|s| &s.attributes) {
            if let Some(t) = &a.taxonomy_term {
                if let Some(d) = &t.taxonomy_detail {
                    taxonomies.entry(d.id.clone()).or_insert_with(|| d.clone());
                }
                terms.entry(t.id.clone()).or_insert_with(|| t.clone());
            }
        }
        let by_offering = catalog
            .offerings()
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.clone(), i))
            .collect();
        let view = Arc::new(View {
            tag,
            services,
            organizations,
            taxonomies: taxonomies.into_values().collect(),
            terms: terms.into_values().collect(),
            by_offering,
        });
        *slot = Some((Arc::downgrade(engine), Arc::clone(&view)));
        view
    }
}

/// The API's routes (to be nested under [`BASE`]).
pub fn router() -> Router<Web> {
    Router::new()
        .route("/", get(root))
        .route("/services", get(services))
        .route("/services/{id}", get(service))
        .route("/organizations", get(organizations))
        .route("/organizations/{id}", get(organization))
        .route("/taxonomies", get(taxonomies))
        .route("/taxonomies/{id}", get(taxonomy))
        .route("/taxonomy_terms", get(terms))
        .route("/taxonomy_terms/{id}", get(term))
        .route("/service_at_locations", get(service_at_locations))
        .route("/service_at_locations/{id}", get(service_at_location))
}

/// Lets the configured origin (if any) read the API from a browser.
pub async fn cors(
    State(web): State<Web>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let mut response = next.run(request).await;
    if let Some(origin) = web.cors_origin.as_deref().and_then(|o| o.parse().ok()) {
        let headers = response.headers_mut();
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(header::VARY, header::HeaderValue::from_static("Origin"));
    }
    response
}

/// A 400 or 404 with a body that says what is wrong.
fn problem(status: StatusCode, field: &str, message: &str) -> Response {
    (status, Json(json!({ "error": message, "field": field }))).into_response()
}

/// A JSON answer with the catalog version's ETag; 304 when the client has it.
fn answer<T: Serialize>(
    view: &View,
    headers: &HeaderMap,
    query: Option<&str>,
    body: &T,
) -> Response {
    let tag = format!(
        "\"{}-{}\"",
        view.tag,
        query.map_or(0, |q| q
            .bytes()
            .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))))
    );
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    let common = [
        (header::ETAG, tag.clone()),
        (header::CACHE_CONTROL, "public, max-age=60".to_string()),
    ];
    if fresh {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (common, Json(body)).into_response()
}

/// The query parameters of the list endpoints, read by hand so every mistake gets a
/// clear 400 naming the parameter.
struct ListQuery {
    search: Option<String>,
    page: usize,
    per_page: usize,
    taxonomy_term_id: Option<String>,
    taxonomy_id: Option<String>,
    organization_id: Option<String>,
}

fn list_query(params: &BTreeMap<String, String>) -> Result<ListQuery, Response> {
    let number = |name: &str, default: usize, max: usize| -> Result<usize, Response> {
        match params.get(name).map(|v| v.trim()) {
            None | Some("") => Ok(default),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(problem(
                    StatusCode::BAD_REQUEST,
                    name,
                    &format!("{name} must be a whole number from 1 to {max}"),
                )),
            },
        }
    };
    let boolean = |name: &str| -> Result<(), Response> {
        match params.get(name).map(String::as_str) {
            None | Some("" | "true" | "false") => Ok(()),
            Some(_) => Err(problem(
                StatusCode::BAD_REQUEST,
                name,
                &format!("{name} must be true or false"),
            )),
        }
    };
    for name in ["full", "minimal", "full_service", "top_only"] {
        boolean(name)?;
    }
    if params
        .get("format")
        .is_some_and(|f| !f.is_empty() && f != "json")
    {
        return Err(problem(
            StatusCode::BAD_REQUEST,
            "format",
            "only format=json is served",
        ));
    }
    if params
        .get("search")
        .is_some_and(|s| s.chars().count() > crate::domain::rules::MAX_TEXT_CHARS)
    {
        return Err(problem(
            StatusCode::BAD_REQUEST,
            "search",
            "search is too long",
        ));
    }
    let text = |name: &str| params.get(name).filter(|v| !v.trim().is_empty()).cloned();
    Ok(ListQuery {
        search: text("search"),
        page: number("page", 1, 1_000_000)?,
        per_page: number("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)?,
        taxonomy_term_id: text("taxonomy_term_id"),
        taxonomy_id: text("taxonomy_id"),
        organization_id: text("organization_id"),
    })
}

fn params(raw: &Option<String>) -> BTreeMap<String, String> {
    raw.as_deref().map(url_decode_pairs).unwrap_or_default()
}

/// `a=1&b=x%20y` into pairs (the last of a repeated name wins).
fn url_decode_pairs(q: &str) -> BTreeMap<String, String> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = (b[i] == b'%')
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (_, Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (c, None) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One page of `items` in the document's envelope.
fn page<T: Serialize>(items: Vec<T>, q: &ListQuery) -> Value {
    let total = items.len();
    let pages = total.div_ceil(q.per_page).max(1);
    let contents: Vec<T> = items
        .into_iter()
        .skip((q.page - 1).saturating_mul(q.per_page))
        .take(q.per_page)
        .collect();
    json!({
        "total_items": total,
        "total_pages": pages,
        "page_number": q.page,
        "size": contents.len(),
        "first_page": q.page == 1,
        "last_page": q.page >= pages,
        "empty": contents.is_empty(),
        "contents": contents,
    })
}

/// A list endpoint: the parameters checked, then `items` of the engine serving now, one
/// page of them in the envelope.
fn list<T: Serialize>(
    web: &Web,
    raw: Option<String>,
    headers: &HeaderMap,
    items: impl FnOnce(&Engine, &View, &ListQuery, &BTreeMap<String, String>) -> Vec<T>,
) -> Response {
    let p = params(&raw);
    let q = match list_query(&p) {
        Ok(q) => q,
        Err(r) => return r,
    };
    let (engine, view) = current(web);
    let items = items(&engine, &view, &q, &p);
    answer(&view, headers, raw.as_deref(), &page(items, &q))
}

/// A single object by id, or 404 naming what was looked for.
fn one<T: Serialize>(
    web: &Web,
    id: &str,
    headers: &HeaderMap,
    what: &str,
    find: impl FnOnce(&View) -> Option<T>,
) -> Response {
    let (_, view) = current(web);
    match find(&view) {
        Some(found) => answer(&view, headers, Some(id), &found),
        None => problem(
            StatusCode::NOT_FOUND,
            "id",
            &format!("no {what} with this id"),
        ),
    }
}

fn current(web: &Web) -> (Arc<Engine>, Arc<View>) {
    let engine = web.live.current();
    let view = web.hsds.view(&engine);
    (engine, view)
}

/// The metadata root.
pub async fn root() -> Json<Value> {
    Json(json!({
        "version": "3.0",
        "profile": "https://openreferral.org/specification/3.0/",
        "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json",
    }))
}

/// Services that pass the list filters, in the search's order when there is a search.
fn filtered_services<'a>(engine: &Engine, view: &'a View, q: &ListQuery) -> Vec<&'a Service> {
    let mut list: Vec<&Service> = match &q.search {
        Some(text) => engine
            .search(
                text,
                &Filters::default(),
                engine.catalog().offerings().len(),
            )
            .map(|outcome| {
                outcome
                    .hits
                    .iter()
                    .filter_map(|h| view.by_offering.get(&h.offering.id))
                    .map(|&i| &view.services[i])
                    .collect()
            })
            .unwrap_or_default(),
        None => view.services.iter().collect(),
    };
    list.retain(|s| {
        let terms = || s.attributes.iter().filter_map(|a| a.taxonomy_term.as_ref());
        q.organization_id
            .as_ref()
            .is_none_or(|o| s.organization_id.as_ref() == Some(o))
            && q.taxonomy_term_id
                .as_ref()
                .is_none_or(|t| terms().any(|x| &x.id == t))
            && q.taxonomy_id
                .as_ref()
                .is_none_or(|t| terms().any(|x| x.taxonomy_id.as_ref() == Some(t)))
    });
    list
}

/// A service in the list shape (the organization named by id only).
fn listed(s: &Service) -> Service {
    Service {
        organization: None,
        ..s.clone()
    }
}

async fn services(State(web): State<Web>, RawQuery(raw): RawQuery, headers: HeaderMap) -> Response {
    list(&web, raw, &headers, |engine, view, q, _| {
        filtered_services(engine, view, q)
            .into_iter()
            .map(listed)
            .collect()
    })
}

async fn service(State(web): State<Web>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    one(&web, &id, &headers, "service", |view| {
        view.services.iter().find(|s| s.id == id).cloned()
    })
}

async fn organizations(
    State(web): State<Web>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    list(&web, raw, &headers, |engine, view, q, _| match &q.search {
        Some(_) => {
            let mut seen: Vec<Organization> = Vec::new();
            for s in filtered_services(engine, view, q) {
                if let Some(o) = &s.organization {
                    if !seen.iter().any(|x| x.id == o.id) {
                        seen.push(o.clone());
                    }
                }
            }
            seen
        }
        None => view.organizations.clone(),
    })
}

async fn organization(
    State(web): State<Web>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    one(&web, &id, &headers, "organization", |view| {
        let o = view.organizations.iter().find(|o| o.id == id)?;
        let services: Vec<Service> = view
            .services
            .iter()
            .filter(|s| s.organization_id.as_deref() == Some(&o.id))
            .map(listed)
            .collect();
        let mut body = serde_json::to_value(o).ok()?;
        body["services"] = serde_json::to_value(services).ok()?;
        Some(body)
    })
}

/// Whether a name holds the search text (taxonomies and terms are few and short).
fn named(name: &str, q: &ListQuery) -> bool {
    q.search
        .as_deref()
        .is_none_or(|n| name.to_lowercase().contains(&n.to_lowercase()))
}

async fn taxonomies(
    State(web): State<Web>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    list(&web, raw, &headers, |_, view, q, _| {
        view.taxonomies
            .iter()
            .filter(|t| named(&t.name, q))
            .cloned()
            .collect()
    })
}

async fn taxonomy(State(web): State<Web>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    one(&web, &id, &headers, "taxonomy", |view| {
        view.taxonomies.iter().find(|t| t.id == id).cloned()
    })
}

async fn terms(State(web): State<Web>, RawQuery(raw): RawQuery, headers: HeaderMap) -> Response {
    list(&web, raw, &headers, |_, view, q, p| {
        view.terms
            .iter()
            .filter(|t| named(&t.name, q))
            .filter(|t| {
                q.taxonomy_id
                    .as_ref()
                    .is_none_or(|id| t.taxonomy_id.as_ref() == Some(id))
            })
            // The terms have no parents: a parent filter finds none, top_only all.
            .filter(|_| p.get("parent_id").is_none_or(|v| v.is_empty()))
            .map(|t| TaxonomyTerm {
                taxonomy_detail: None,
                ..t.clone()
            })
            .collect()
    })
}

async fn term(State(web): State<Web>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    one(&web, &id, &headers, "taxonomy term", |view| {
        view.terms.iter().find(|t| t.id == id).cloned()
    })
}

async fn service_at_locations(
    State(web): State<Web>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    list(&web, raw, &headers, |engine, view, q, _| {
        filtered_services(engine, view, q)
            .into_iter()
            .flat_map(|s| {
                s.service_at_locations.iter().map(move |sal| {
                    let mut v = serde_json::to_value(sal).unwrap_or_default();
                    v["service"] = serde_json::to_value(listed(s)).unwrap_or_default();
                    v
                })
            })
            .collect::<Vec<Value>>()
    })
}

async fn service_at_location(
    State(web): State<Web>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    // The official document answers this path with the compiled service.
    one(&web, &id, &headers, "service at location", |view| {
        view.services
            .iter()
            .find(|s| s.service_at_locations.iter().any(|sal| sal.id == id))
            .cloned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_decode() {
        let p = url_decode_pairs("search=huur%20schuld&page=2&x");
        assert_eq!(p["search"], "huur schuld");
        assert_eq!(p["page"], "2");
        assert_eq!(p["x"], "");
        assert_eq!(decode("a+b%2"), "a b%2");
    }

    #[test]
    fn parameters_are_checked() {
        let q = |s: &str| list_query(&url_decode_pairs(s)).map(|q| (q.page, q.per_page));
        assert_eq!(q("").ok(), Some((1, DEFAULT_PER_PAGE)));
        assert_eq!(q("page=3&per_page=5").ok(), Some((3, 5)));
        for bad in [
            "page=0",
            "page=-1",
            "per_page=101",
            "page=x",
            "format=xml",
            "full=ja",
        ] {
            assert!(q(bad).is_err(), "{bad}");
        }
    }
}
