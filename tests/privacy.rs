//! Request text never reaches the logs or error messages: the real binary runs at trace
//! level, in plain and JSON format, while requests carry a distinctive marker — valid
//! ones, rejected ones and failing ones — and then every byte it logged is searched.
//! The same run checks that SIGTERM stops the server cleanly.

mod common;

use std::io::Read;
use std::process::Command;

use wegwijzer::grpc::pb;
use wegwijzer::grpc::pb::catalog_service_client::CatalogServiceClient;
use wegwijzer::grpc::pb::referral_service_client::ReferralServiceClient;

const MARKER: &str = "Zwq7Privemarker";

/// Starts `wegwijzer serve` at trace level on 127.0.0.1:0 with the web page on.
fn spawn(format: &str, data: &std::path::Path) -> common::Spawned {
    let s = common::spawn_server(
        &["--log-format", format, "--log", "trace"],
        &["--web-addr", "127.0.0.1:0"],
        &[],
        data,
    );
    assert!(s.web.is_some(), "web page on");
    s
}

/// Every kind of call, each carrying the marker in the text it sends.
async fn exercise(addr: &str) -> Vec<String> {
    let channel = tonic::transport::Channel::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut referral = ReferralServiceClient::new(channel.clone());
    let mut catalog = CatalogServiceClient::new(channel);
    let mut messages = Vec::new();
    let text = format!("{MARKER} kan de huur niet betalen en wil niet meer leven");

    let ok = referral
        .search(pb::SearchRequest {
            query: text.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(!ok.get_ref().hits.is_empty());
    let nothing = referral
        .search(pb::SearchRequest {
            query: MARKER.into(),
            ..Default::default()
        })
        .await
        .unwrap();
    messages.push(format!("{:?}", nothing.get_ref().did_you_mean));
    referral
        .suggest(pb::SuggestRequest {
            prefix: MARKER.into(),
            limit: 5,
        })
        .await
        .unwrap();
    let req = pb::MatchRequest {
        request: Some(pb::HelpRequest {
            leefgebieden: vec![pb::DomainScore {
                leefgebied: pb::Leefgebied::Financien as i32,
                score: 2,
            }],
            text: text.clone(),
            ..Default::default()
        }),
        limit: 5,
    };
    let matched = referral.r#match(req.clone()).await.unwrap().into_inner();
    messages.push(matched.advice.clone());
    messages.extend(matched.results.iter().flat_map(|r| r.reasons.clone()));

    // Rejected calls: the marker rides along with the bad field.
    let mut bad = req.clone();
    bad.request.as_mut().unwrap().leefgebieden[0].score = 9;
    let err = referral.r#match(bad).await.unwrap_err();
    messages.push(format!("{err:?}"));
    let err = referral
        .search(pb::SearchRequest {
            query: MARKER.repeat(200),
            ..Default::default()
        })
        .await
        .unwrap_err();
    messages.push(format!("{err:?}"));
    let err = referral
        .search(pb::SearchRequest {
            query: text.clone(),
            gemeente: MARKER.into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    messages.push(format!("{err:?}"));
    let err = catalog
        .get_offering(pb::GetOfferingRequest { id: MARKER.into() })
        .await
        .unwrap_err();
    messages.push(format!("{err:?}"));
    let err = catalog
        .get_offering(pb::GetOfferingRequest {
            id: MARKER.to_lowercase(),
        })
        .await
        .unwrap_err();
    messages.push(format!("{err:?}"));
    let err = catalog
        .list_offerings(pb::ListOfferingsRequest {
            page_token: MARKER.into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    messages.push(format!("{err:?}"));
    messages
}

/// The web page's API with the marker in every text field, valid and invalid.
async fn exercise_web(addr: &str) -> Vec<String> {
    let mut bodies = Vec::new();
    for (path, body) in [
        (
            "/api/search",
            format!(r#"{{"query": "{MARKER} huur niet betalen"}}"#),
        ),
        (
            "/api/search",
            format!(r#"{{"query": "{MARKER}", "gemeente": "{MARKER}"}}"#),
        ),
        ("/api/suggest", format!(r#"{{"prefix": "{MARKER}"}}"#)),
        (
            "/api/match",
            format!(
                r#"{{"text": "{MARKER} wil niet meer leven", "leefgebieden": {{"financien": 2}}}}"#
            ),
        ),
        (
            "/api/match",
            format!(r#"{{"text": "{MARKER}", "leefgebieden": {{"financien": 9}}}}"#),
        ),
        ("/api/match", format!(r#"{{"text": "{MARKER}"#)),
    ] {
        let (status, answer) = common::http(addr, "POST", path, &body).await;
        assert!(status == 200 || status == 400, "{path}: {status}");
        if status == 400 || path == "/api/suggest" {
            bodies.push(answer);
        }
    }
    bodies
}

fn check(format: &str) {
    let data = tempfile::tempdir().unwrap();
    let mut server = spawn(format, data.path());
    let (addr, web) = (server.grpc.clone(), server.web.clone().unwrap());
    let child = &mut server.child;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut messages = runtime.block_on(exercise(&addr));
    messages.extend(runtime.block_on(exercise_web(&web)));
    // The metrics saw every call above; they must count them without their content.
    let (status, metrics) = runtime.block_on(common::http(&web, "GET", "/metrics", ""));
    assert_eq!(status, 200);
    assert!(
        metrics.contains("wegwijzer_calls_total{rpc=\"Search\",code=\"INVALID_ARGUMENT\"}"),
        "the rejected searches are counted: {metrics}"
    );
    messages.push(metrics);
    for m in &messages {
        assert!(
            !m.contains(MARKER) && !m.to_lowercase().contains(&MARKER.to_lowercase()),
            "a response echoes the marker: {m}"
        );
    }

    // SIGTERM: the server drains and exits 0.
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "clean exit on SIGTERM: {exit:?}");
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();

    let logged: Vec<String> = server.lines.try_iter().collect();
    assert!(
        logged.len() > 5,
        "trace logging produced output: {logged:?}"
    );
    assert!(
        logged.iter().any(|l| l.contains("INVALID_ARGUMENT")),
        "rejections are logged"
    );
    assert!(
        logged.iter().any(|l| l.contains("stopped")),
        "shutdown is logged"
    );
    if format == "json" {
        assert!(logged.iter().all(|l| l.starts_with('{')), "json lines only");
    }
    let everything = format!("{}\n{}", logged.join("\n"), out).to_lowercase();
    assert!(
        !everything.contains(&MARKER.to_lowercase()),
        "the marker leaked into the logs, metrics or error messages"
    );
    assert!(
        !everything.contains("huur niet betalen"),
        "request text leaked into the logs"
    );
}

#[test]
fn request_text_never_reaches_plain_logs() {
    check("plain");
}

#[test]
fn request_text_never_reaches_json_logs() {
    check("json");
}
