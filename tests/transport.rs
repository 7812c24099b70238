//! The transport under pressure and under TLS: more concurrent calls than the limit are
//! shed at once with RESOURCE_EXHAUSTED while the rest succeed; client deadlines are
//! honoured; and the server speaks TLS when given a certificate.

mod common;

use std::time::{Duration, Instant};

use tonic::transport::{Certificate, Channel, ClientTlsConfig, Identity};
use tonic::Code;

use common::{catalog_dir, TestServer};
use wegwijzer::grpc::pb;
use wegwijzer::grpc::pb::referral_service_client::ReferralServiceClient;
use wegwijzer::ops::admission::Admission;
use wegwijzer::server::Options;

/// A long help request: the heaviest kind of call.
fn heavy_match() -> pb::MatchRequest {
    let words = [
        "schulden",
        "huur",
        "eenzaam",
        "mantelzorg",
        "opvoeding",
        "werk",
        "dakloos",
        "angst",
        "rolstoel",
        "taal",
        "formulieren",
        "energie",
        "vrijwilliger",
        "boodschappen",
    ];
    let mut text = String::new();
    let mut i = 0;
    while text.chars().count() < 1_900 {
        text.push_str(words[i % words.len()]);
        text.push_str(if i % 3 == 0 { "en " } else { " " });
        i += 1;
    }
    pb::MatchRequest {
        request: Some(pb::HelpRequest {
            text,
            ..Default::default()
        }),
        limit: 50,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn excess_calls_are_shed_at_once_and_the_rest_succeed() {
    const LIMIT: usize = 2;
    const CALLS: usize = 48;
    let options = Options {
        admission: Admission::new(LIMIT, Duration::from_secs(60)),
        ..Options::default()
    };
    let server = TestServer::start_with(&catalog_dir(), options).await;
    let calls: Vec<_> = (0..CALLS)
        .map(|_| {
            let mut client = ReferralServiceClient::new(server.channel.clone());
            tokio::spawn(async move {
                let started = Instant::now();
                let r = client.r#match(heavy_match()).await;
                (r.map(|_| ()).map_err(|e| e.code()), started.elapsed())
            })
        })
        .collect();
    let (mut ok, mut shed) = (Vec::new(), Vec::new());
    for c in calls {
        match c.await.unwrap() {
            (Ok(()), t) => ok.push(t),
            (Err(Code::ResourceExhausted), t) => shed.push(t),
            (Err(code), _) => panic!("unexpected {code:?}"),
        }
    }
    ok.sort();
    shed.sort();
    let median = |v: &[Duration]| v[v.len() / 2];
    println!(
        "{CALLS} concurrent Match calls, limit {LIMIT}: {} succeeded (median {:?}, max {:?}), \
         {} shed (median {:?}, max {:?})",
        ok.len(),
        median(&ok),
        ok.last().unwrap(),
        shed.len(),
        shed.first().map(|_| median(&shed)).unwrap_or_default(),
        shed.last().copied().unwrap_or_default(),
    );
    assert!(ok.len() >= LIMIT, "at least the limit's worth succeeded");
    assert!(!shed.is_empty(), "the excess was shed");
    assert!(
        median(&shed) < median(&ok),
        "shedding answers faster than doing the work"
    );
    // After the burst the server answers normally again.
    let mut client = ReferralServiceClient::new(server.channel.clone());
    assert!(client.r#match(heavy_match()).await.is_ok());
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_client_deadline_that_cannot_be_met_gets_deadline_exceeded() {
    let server = TestServer::start().await;
    let mut client = ReferralServiceClient::new(server.channel.clone());
    let mut request = tonic::Request::new(heavy_match());
    request.set_timeout(Duration::from_micros(1));
    let err = client.r#match(request).await.unwrap_err();
    assert!(
        matches!(err.code(), Code::DeadlineExceeded | Code::Cancelled),
        "{err:?}"
    );
    let mut request = tonic::Request::new(heavy_match());
    request.set_timeout(Duration::from_secs(30));
    assert!(
        client.r#match(request).await.is_ok(),
        "a generous deadline is met"
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn tls_with_a_certificate() {
    let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let (cert, key) = (generated.cert.pem(), generated.signing_key.serialize_pem());
    let options = Options {
        tls: Some(Identity::from_pem(&cert, &key)),
        ..Options::default()
    };
    let server = TestServer::start_with(&catalog_dir(), options).await;

    let tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(&cert))
        .domain_name("localhost");
    let channel = Channel::from_shared(format!("https://{}", server.addr))
        .unwrap()
        .tls_config(tls)
        .unwrap()
        .connect()
        .await
        .expect("TLS handshake");
    let hits = ReferralServiceClient::new(channel)
        .search(pb::SearchRequest {
            query: "schulden".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .hits;
    assert!(!hits.is_empty());

    // Plain text to a TLS port does not get an answer.
    let plain = ReferralServiceClient::new(server.channel.clone())
        .search(pb::SearchRequest {
            query: "schulden".into(),
            ..Default::default()
        })
        .await;
    assert!(plain.is_err());
    server.stop().await.unwrap();
}
