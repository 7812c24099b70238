//! The HSDS 3.0 read API on the web port: the real server, real requests, and every
//! answer checked against the response schema the official OpenAPI document gives for
//! its operation (the schemas in `../shared/hsds`, read offline; skipped, saying so,
//! when that folder is absent).

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;
use tokio::net::TcpListener;
use wegwijzer::grpc::pb;
use wegwijzer::grpc::pb::admin_service_client::AdminServiceClient;
use wegwijzer::live::Live;
use wegwijzer::ops::auth::{Token, Tokens};
use wegwijzer::server::{self, Options};

const ADMIN: &str = "admin-token-for-the-hsds-tests";
const ONLINE: &str = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/";

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/hsds")
}

/// Resolves the document's online schema addresses to the copies in `../shared/hsds`.
struct Offline(PathBuf);

impl jsonschema::Retrieve for Offline {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let file = uri
            .as_str()
            .strip_prefix(ONLINE)
            .ok_or_else(|| format!("not an HSDS schema address: {uri}"))?;
        let text = std::fs::read_to_string(self.0.join(file))?;
        Ok(serde_json::from_str(&text)?)
    }
}

/// The validator of an operation's 200 answer, as the official document defines it.
fn validator(document: &Value, path: &str) -> jsonschema::Validator {
    let mut schema = document["paths"][path]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"]
        .clone();
    // The page envelope is a component of the document itself.
    if let Some(all) = schema.get_mut("allOf") {
        *all = Value::Array(vec![document["components"]["schemas"]["Page"].clone()]);
    }
    jsonschema::options()
        .should_validate_formats(true)
        .with_retriever(Offline(shared()))
        .build(&schema)
        .unwrap_or_else(|e| panic!("{path}: schema does not compile: {e}"))
}

async fn get(addr: &str, path: &str) -> (u16, Value) {
    let (status, body) = common::http(addr, "GET", path, "").await;
    let value = serde_json::from_str(&body).unwrap_or(Value::Null);
    (status, value)
}

#[tokio::test]
async fn every_endpoint_answers_in_the_official_shapes() {
    let data = tempfile::tempdir().unwrap();
    let (live, _) = Live::open(&common::catalog_dir(), data.path()).unwrap();
    let grpc = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let grpc_addr = grpc.local_addr().unwrap().to_string();
    let web = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = web.local_addr().unwrap().to_string();
    let options = Options {
        tokens: Tokens {
            admin: Some(Token::new("admin", ADMIN).unwrap()),
            read: None,
        },
        cors_origin: Some("https://kaart.example.org".into()),
        ..Options::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(server::run_all(
        grpc,
        Some(web),
        Arc::new(live),
        options,
        async {
            let _ = stopped.await;
        },
    ));

    // Search runs the real engine: the debt helpers on the first page.
    let (status, page) = get(&addr, "/hsds/v3/services?search=schulden").await;
    assert_eq!(status, 200);
    let names: Vec<&str> = page["contents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Schuldhulpmaatje") && names.contains(&"Financieel Hulphuis"),
        "{names:?}"
    );
    assert_eq!(page["page_number"], 1);

    // Ids of one of each kind, for the single-object endpoints.
    let (_, first) = get(&addr, "/hsds/v3/services?per_page=100").await;
    let (_, second) = get(&addr, "/hsds/v3/services?per_page=100&page=2").await;
    let services: Vec<Value> = [&first, &second]
        .iter()
        .flat_map(|p| p["contents"].as_array().unwrap().clone())
        .collect();
    assert_eq!(first["total_items"], services.len());
    assert_eq!(
        (first["last_page"].as_bool(), second["last_page"].as_bool()),
        (Some(false), Some(true))
    );
    let service = services.iter().find(|s| s["name"] == "Wijkwinkel").unwrap();
    let service_id = service["id"].as_str().unwrap().to_string();
    let organization_id = service["organization_id"].as_str().unwrap().to_string();
    let term = &service["attributes"][0]["taxonomy_term"];
    let (term_id, taxonomy_id) = (
        term["id"].as_str().unwrap().to_string(),
        term["taxonomy_id"].as_str().unwrap().to_string(),
    );

    let checks: Vec<(&str, String)> = vec![
        ("/", "/hsds/v3/".into()),
        ("/services", "/hsds/v3/services?page=2&per_page=10".into()),
        (
            "/services",
            format!("/hsds/v3/services?taxonomy_term_id={term_id}"),
        ),
        ("/services/{id}", format!("/hsds/v3/services/{service_id}")),
        ("/organizations", "/hsds/v3/organizations".into()),
        (
            "/organizations/{id}",
            format!("/hsds/v3/organizations/{organization_id}"),
        ),
        ("/taxonomies", "/hsds/v3/taxonomies".into()),
        (
            "/taxonomies/{id}",
            format!("/hsds/v3/taxonomies/{taxonomy_id}"),
        ),
        (
            "/taxonomy_terms",
            format!("/hsds/v3/taxonomy_terms?taxonomy_id={taxonomy_id}"),
        ),
        (
            "/taxonomy_terms/{id}",
            format!("/hsds/v3/taxonomy_terms/{term_id}"),
        ),
        (
            "/service_at_locations",
            "/hsds/v3/service_at_locations".into(),
        ),
    ];
    let document: Option<Value> = std::fs::read_to_string(shared().join("openapi.json"))
        .ok()
        .map(|t| serde_json::from_str(&t).unwrap());
    if document.is_none() {
        eprintln!("SKIPPED: ../shared/hsds is not here; answers were not checked against the official schemas");
    }
    for (operation, path) in &checks {
        let (status, body) = get(&addr, path).await;
        assert_eq!(status, 200, "{path}: {body}");
        if let Some(doc) = &document {
            let v = validator(doc, operation);
            let errors: Vec<String> = v
                .iter_errors(&body)
                .map(|e| format!("{}: {e}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{path}: {errors:#?}");
        }
    }
    // The validators can fail: a broken page does not pass.
    if let Some(doc) = &document {
        let broken = serde_json::json!({"total_items": "many", "contents": [{"id": 1}]});
        assert!(!validator(doc, "/services").is_valid(&broken));
    }

    // Clear answers to mistakes.
    for (path, status) in [
        ("/hsds/v3/services?per_page=500", 400),
        ("/hsds/v3/services?page=zero", 400),
        ("/hsds/v3/services?format=csv", 400),
        (
            "/hsds/v3/services/00000000-0000-8000-8000-000000000000",
            404,
        ),
        ("/hsds/v3/organizations/nope", 404),
    ] {
        let (got, body) = get(&addr, path).await;
        assert_eq!(got, status, "{path}");
        assert!(
            body["error"].is_string() && body["field"].is_string(),
            "{path}: {body}"
        );
    }

    // The configured origin may read the API from a browser.
    let (_, answer) = raw(&addr, "/hsds/v3/taxonomies", None).await;
    assert!(
        answer.contains("access-control-allow-origin: https://kaart.example.org"),
        "{answer}"
    );

    // A live change shows in the next request.
    let mut admin = AdminServiceClient::new(common::channel(&grpc_addr).await);
    admin
        .set_availability(common::authorized(
            pb::SetAvailabilityRequest {
                expected_version: None,
                id: "wijkwinkel".into(),
                availability: Some(pb::Availability {
                    status: pb::AvailabilityStatus::TijdelijkGesloten as i32,
                    ..Default::default()
                }),
            },
            ADMIN,
        ))
        .await
        .unwrap();
    let (_, changed) = get(&addr, &format!("/hsds/v3/services/{service_id}")).await;
    assert_eq!(changed["status"], "temporarily closed");

    let _ = stop.send(());
    task.await.unwrap().unwrap();
}

#[tokio::test]
async fn etags_answer_not_modified() {
    let (addr, stop, task, _data) = common::start_with_web().await;
    let (status, raw) = raw(&addr, "/hsds/v3/taxonomies", None).await;
    assert_eq!(status, 200);
    let tag = raw
        .lines()
        .find_map(|l| l.strip_prefix("etag: "))
        .expect("an ETag")
        .trim()
        .to_string();
    let (status, _) = raw_status(&addr, "/hsds/v3/taxonomies", Some(&tag)).await;
    assert_eq!(status, 304);
    let (status, answer) = raw_status(&addr, "/hsds/v3/taxonomies?page=1", Some(&tag)).await;
    assert_eq!(status, 200, "another query is another answer");
    assert!(
        !answer.contains("access-control-allow-origin"),
        "no CORS unless configured"
    );
    let _ = stop.send(());
    task.await.unwrap().unwrap();
}

async fn raw_status(addr: &str, path: &str, tag: Option<&str>) -> (u16, String) {
    raw(addr, path, tag).await
}

/// The whole answer, headers included.
async fn raw(addr: &str, path: &str, if_none_match: Option<&str>) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let extra = if_none_match.map_or(String::new(), |t| format!("if-none-match: {t}\r\n"));
    let request =
        format!("GET {path} HTTP/1.1\r\nhost: {addr}\r\n{extra}connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    stream.read_to_end(&mut out).await.unwrap();
    let text = String::from_utf8_lossy(&out).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text.to_lowercase())
}
