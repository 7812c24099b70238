//! Every RPC over real gRPC against the real server, plus health and reflection.

mod common;

use common::TestServer;
use tokio_stream::StreamExt;
use tonic::Code;
use tonic_types::StatusExt;

use wegwijzer::grpc::pb::catalog_service_client::CatalogServiceClient;
use wegwijzer::grpc::pb::referral_service_client::ReferralServiceClient;
use wegwijzer::grpc::pb::{self, Leefgebied, Signal, Tier};

fn search(query: &str) -> pb::SearchRequest {
    pb::SearchRequest {
        query: query.into(),
        ..Default::default()
    }
}

fn names(resp: &pb::SearchResponse) -> Vec<String> {
    resp.hits
        .iter()
        .map(|h| h.offering.as_ref().unwrap().name.clone())
        .collect()
}

/// The anjali case of the public evaluation file, as an intake tool would send it.
fn anjali() -> pb::MatchRequest {
    let d = |l: Leefgebied, score| pb::DomainScore {
        leefgebied: l as i32,
        score,
    };
    pb::MatchRequest {
        request: Some(pb::HelpRequest {
            leefgebieden: vec![
                d(Leefgebied::Financien, 2),
                d(Leefgebied::WerkOpleiding, 3),
                d(Leefgebied::SociaalNetwerk, 2),
                d(Leefgebied::Opvoeding, 4),
            ],
            draagkracht: Some(pb::Draagkracht {
                lichamelijk: Some(3),
                mentaal: Some(1),
                netwerk: Some(0),
                financieel: Some(0),
                vaardigheden: Some(2),
            }),
            draaglast: Some(pb::Draaglast {
                verplichtingen: Some(3),
                zorgtaken: Some(3),
                gebeurtenissen: Some(1),
                geldzorgen: Some(4),
            }),
            context: Some(pb::Context {
                age: Some(32),
                gemeente: "Dordrecht".into(),
                household: pb::Household::Eenoudergezin as i32,
                minima: true,
                languages: vec!["nl".into()],
                can_travel: Some(true),
                digital_access: Some(true),
                doelgroepen: vec![],
            }),
            signals: vec![],
            text: "Alleenstaande moeder, gebruikt meer kinderopvang dan de toeslag dekt en bouwt schuld op.".into(),
        }),
        limit: 10,
    }
}

fn bad_fields(status: &tonic::Status) -> Vec<String> {
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    status
        .get_details_bad_request()
        .expect("bad request details")
        .field_violations
        .into_iter()
        .map(|v| v.field)
        .collect()
}

#[tokio::test]
async fn search_finds_debt_help_with_snippets() {
    let server = TestServer::start().await;
    let mut client = ReferralServiceClient::new(server.channel.clone());
    let resp = client
        .search(search("schulden"))
        .await
        .unwrap()
        .into_inner();
    assert!(resp.hits.len() >= 3, "{:?}", names(&resp));
    let top3 = names(&resp)[..3].join(" | ").to_lowercase();
    assert!(top3.contains("schuld"), "debt help ranks first: {top3}");
    assert!(
        resp.hits.windows(2).all(|w| w[0].score >= w[1].score),
        "sorted by score"
    );
    let highlighted = resp
        .hits
        .iter()
        .any(|h| !h.snippet.as_ref().unwrap().highlights.is_empty());
    assert!(
        highlighted,
        "at least one snippet highlights a matched word"
    );
    for h in &resp.hits {
        let s = h.snippet.as_ref().unwrap();
        assert!(!s.text.is_empty());
        for r in &s.highlights {
            assert!(r.start < r.end && (r.end as usize) <= s.text.len());
        }
    }
    assert!(resp.note.is_empty() && resp.did_you_mean.is_empty());
    server.stop().await.unwrap();
}

#[tokio::test]
async fn search_tolerates_typos_and_compounds() {
    let server = TestServer::start().await;
    let mut client = ReferralServiceClient::new(server.channel.clone());
    let resp = client
        .search(search("finacieel hulphuis"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        names(&resp).first().map(String::as_str),
        Some("Financieel Hulphuis")
    );
    let resp = client.search(search("toeslag")).await.unwrap().into_inner();
    assert!(
        !resp.hits.is_empty(),
        "toeslag finds offerings about toeslagen"
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn search_filters_by_gemeente_tier_and_domain() {
    let server = TestServer::start().await;
    let mut client = ReferralServiceClient::new(server.channel.clone());
    let req = pb::SearchRequest {
        query: "hulp".into(),
        gemeente: "zwijndrecht".into(),
        tier: Tier::Toegang as i32,
        leefgebied: Leefgebied::Financien as i32,
        limit: 50,
    };
    let resp = client.search(req).await.unwrap().into_inner();
    assert!(!resp.hits.is_empty());
    for h in &resp.hits {
        let o = h.offering.as_ref().unwrap();
        assert_eq!(o.tier, Tier::Toegang as i32, "{}", o.name);
        assert!(
            o.leefgebieden.contains(&(Leefgebied::Financien as i32)),
            "{}",
            o.name
        );
        assert!(
            o.gemeenten
                .iter()
                .any(|g| g == "Zwijndrecht" || g == "Nederland"),
            "{}",
            o.name
        );
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn search_without_hits_says_so_and_offers_alternatives() {
    let server = TestServer::start().await;
    let mut client = ReferralServiceClient::new(server.channel.clone());
    let resp = client
        .search(search("mantelzorgg qwrtx"))
        .await
        .unwrap()
        .into_inner();
    if resp.hits.is_empty() {
        assert!(!resp.note.is_empty());
        assert!(!resp.did_you_mean.is_empty());
    }
    let resp = client.search(search("xqzvwk")).await.unwrap().into_inner();
    assert!(resp.note.contains("Niets gevonden"), "{}", resp.note);
    assert_eq!(resp.hits.len(), 1, "only the door to ask");
    let door = &resp.hits[0];
    assert_eq!(door.offering.as_ref().unwrap().tier, Tier::Toegang as i32);
    assert!(
        door.reasons[0].contains("algemene toegang"),
        "{:?}",
        door.reasons
    );
    let resp = client
        .search(search("mantelzorgr"))
        .await
        .unwrap()
        .into_inner();
    assert!(
        !resp.hits.is_empty(),
        "a typo in a long word still finds it"
    );
    let resp = client
        .search(search("de het een"))
        .await
        .unwrap()
        .into_inner();
    assert!(
        resp.hits.len() == 1 && !resp.note.is_empty(),
        "only stop words: nothing but the door, with a note"
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn suggest_completes_names_and_terms() {
    let server = TestServer::start().await;
    let mut client = ReferralServiceClient::new(server.channel.clone());
    let resp = client
        .suggest(pb::SuggestRequest {
            prefix: "Financ".into(),
            limit: 5,
        })
        .await
        .unwrap()
        .into_inner();
    let first = resp.suggestions.first().expect("a suggestion");
    assert_eq!(first.text, "Financieel Hulphuis");
    assert_eq!(first.kind, pb::SuggestionKind::Offering as i32);
    assert_eq!(first.offering_id, "financieel-hulphuis");
    assert!(resp.suggestions.len() <= 5);
    let resp = client
        .suggest(pb::SuggestRequest {
            prefix: "eenza".into(),
            limit: 0,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(
        resp.suggestions
            .iter()
            .any(|s| s.text.to_lowercase().starts_with("eenza")),
        "{resp:?}"
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn match_ranks_light_help_and_escalates_for_anjali() {
    let server = TestServer::start().await;
    let mut client = ReferralServiceClient::new(server.channel.clone());
    let resp = client.r#match(anjali()).await.unwrap().into_inner();
    assert!(!resp.results.is_empty() && resp.results.len() <= 10);
    let profile = resp.profile.as_ref().unwrap();
    assert!(profile.out_of_balance && profile.multiproblem);
    assert_eq!(profile.recommended_tier, Tier::Toegang as i32);
    assert!(!resp.advice.is_empty() && !profile.summary.is_empty());
    let tiers: Vec<i32> = resp
        .results
        .iter()
        .map(|r| r.offering.as_ref().unwrap().tier)
        .collect();
    assert_ne!(tiers[0], Tier::Crisis as i32, "no crisis without a signal");
    assert!(
        resp.results.iter().all(|r| !r.crisis),
        "no result marked as a crisis line without a signal"
    );
    assert!(
        tiers[..3].contains(&(Tier::Toegang as i32)),
        "a door is in the top 3 when the balance is out"
    );
    for (i, r) in resp.results.iter().enumerate() {
        assert_eq!(r.rank as usize, i + 1);
        assert!(!r.reasons.is_empty());
        let o = r.offering.as_ref().unwrap();
        assert!(
            o.gemeenten
                .iter()
                .any(|g| g == "Dordrecht" || g == "Nederland"),
            "{}",
            o.name
        );
        let e = o.eligibility.as_ref().unwrap();
        assert!(
            e.min_age.is_none_or(|m| m <= 32) && e.max_age.is_none_or(|m| m >= 32),
            "{}",
            o.name
        );
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn safety_signal_puts_crisis_first() {
    let server = TestServer::start().await;
    let mut client = ReferralServiceClient::new(server.channel.clone());
    for (signal, expected) in [
        (Signal::Suicidaal, "113"),
        (Signal::HuiselijkGeweld, "Veilig Thuis"),
        (Signal::AcuutGevaar, "112"),
    ] {
        let mut req = anjali();
        req.request.as_mut().unwrap().signals = vec![signal as i32];
        let resp = client.r#match(req).await.unwrap().into_inner();
        let first = resp.results[0].offering.as_ref().unwrap();
        assert_eq!(first.tier, Tier::Crisis as i32);
        assert!(
            resp.results[0].crisis,
            "{signal:?}: marked as a crisis line"
        );
        assert!(first.name.contains(expected), "{signal:?}: {}", first.name);
        assert!(resp.advice.contains("Veiligheid eerst"), "{}", resp.advice);
        if signal != Signal::AcuutGevaar {
            // Behind the line for what was heard, the number for immediate danger.
            let second = &resp.results[1];
            assert_eq!(second.offering.as_ref().unwrap().name, "112", "{signal:?}");
            assert!(second.crisis, "{signal:?}: 112 marked as a crisis line");
            assert!(
                second.reasons.iter().any(|r| r.contains("direct gevaar")),
                "{signal:?}: {:?}",
                second.reasons
            );
        }
    }
    let mut req = anjali();
    req.request.as_mut().unwrap().text = "Ze zegt dat ze niet meer wil leven.".into();
    let resp = client.r#match(req).await.unwrap().into_inner();
    assert!(resp.crisis_in_text);
    assert!(resp.results[0]
        .offering
        .as_ref()
        .unwrap()
        .name
        .contains("113"));
    server.stop().await.unwrap();
}

#[tokio::test]
async fn catalog_get_and_paginated_list() {
    let server = TestServer::start().await;
    let mut client = CatalogServiceClient::new(server.channel.clone());
    let got = client
        .get_offering(pb::GetOfferingRequest {
            id: "financieel-hulphuis".into(),
        })
        .await
        .unwrap()
        .into_inner();
    let o = got.offering.unwrap();
    assert_eq!(o.name, "Financieel Hulphuis");
    assert!(!o.source.is_empty() && !o.verified.is_empty());

    let missing = client
        .get_offering(pb::GetOfferingRequest {
            id: "bestaat-niet".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);

    let mut ids = Vec::new();
    let mut token = String::new();
    let mut total = 0;
    for _ in 0..100 {
        let page = client
            .list_offerings(pb::ListOfferingsRequest {
                page_size: 7,
                page_token: token.clone(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        assert!(page.offerings.len() <= 7);
        total = page.total_size;
        ids.extend(page.offerings.into_iter().map(|o| o.id));
        token = page.next_page_token;
        if token.is_empty() {
            break;
        }
    }
    assert!(token.is_empty(), "pagination ends");
    assert_eq!(ids.len(), total as usize);
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids, sorted, "every offering once, in id order");
    assert!(total >= 25);

    let crisis = client
        .list_offerings(pb::ListOfferingsRequest {
            tier: Tier::Crisis as i32,
            page_size: 100,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(!crisis.offerings.is_empty());
    assert!(crisis
        .offerings
        .iter()
        .all(|o| o.tier == Tier::Crisis as i32));
    assert_eq!(crisis.total_size as usize, crisis.offerings.len());
    server.stop().await.unwrap();
}

#[tokio::test]
async fn bad_input_is_rejected_field_by_field() {
    let server = TestServer::start().await;
    let mut referral = ReferralServiceClient::new(server.channel.clone());
    let mut catalog = CatalogServiceClient::new(server.channel.clone());

    let err = referral.search(search("")).await.unwrap_err();
    assert_eq!(bad_fields(&err), ["query"]);
    let err = referral
        .search(search(&"a".repeat(2_001)))
        .await
        .unwrap_err();
    assert_eq!(bad_fields(&err), ["query"]);
    let err = referral
        .search(pb::SearchRequest {
            query: "x".into(),
            limit: 51,
            tier: 99,
            gemeente: "Utrecht".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad_fields(&err), ["gemeente", "tier", "limit"]);

    let mut req = anjali();
    let r = req.request.as_mut().unwrap();
    r.leefgebieden[0].score = 6;
    r.leefgebieden[1].leefgebied = 0;
    r.draagkracht.as_mut().unwrap().mentaal = Some(5);
    r.context.as_mut().unwrap().age = Some(121);
    r.signals = vec![42];
    let err = referral.r#match(req).await.unwrap_err();
    assert_eq!(
        bad_fields(&err),
        [
            "request.leefgebieden[0].score",
            "request.leefgebieden[1].leefgebied",
            "request.draagkracht.mentaal",
            "request.context.age",
            "request.signals[0]"
        ]
    );
    let err = referral
        .r#match(pb::MatchRequest {
            request: None,
            limit: 0,
        })
        .await
        .unwrap_err();
    assert_eq!(bad_fields(&err), ["request"]);

    let err = referral
        .suggest(pb::SuggestRequest {
            prefix: "x".repeat(101),
            limit: 0,
        })
        .await
        .unwrap_err();
    assert_eq!(bad_fields(&err), ["prefix"]);
    let err = catalog
        .list_offerings(pb::ListOfferingsRequest {
            page_size: 101,
            page_token: "zz".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad_fields(&err), ["page_size", "page_token"]);
    let err = catalog
        .get_offering(pb::GetOfferingRequest {
            id: "Niet Geldig!".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(bad_fields(&err), ["id"]);

    // Too many domains (each valid on its own) and too many languages.
    let mut req = anjali();
    let r = req.request.as_mut().unwrap();
    r.leefgebieden = (1..=20)
        .map(|l| pb::DomainScore {
            leefgebied: l,
            score: 3,
        })
        .collect();
    r.context.as_mut().unwrap().languages = vec!["nl".into(); 11];
    let fields = bad_fields(&referral.r#match(req).await.unwrap_err());
    assert!(
        fields.contains(&"request.leefgebieden".to_string()),
        "{fields:?}"
    );
    assert!(
        fields.contains(&"request.context.languages".to_string()),
        "{fields:?}"
    );

    // A message over the server's maximum size is refused before it is decoded.
    let err = referral
        .search(search(&"a".repeat(300 * 1024)))
        .await
        .unwrap_err();
    assert!(
        matches!(err.code(), Code::OutOfRange | Code::ResourceExhausted),
        "{err:?}"
    );
    assert!(!err.message().contains("aaaa"), "the content is not echoed");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn health_reports_serving_for_every_service() {
    use tonic_health::pb::health_client::HealthClient;
    use tonic_health::pb::{health_check_response::ServingStatus, HealthCheckRequest};
    let server = TestServer::start().await;
    let mut health = HealthClient::new(server.channel.clone());
    for service in [
        "",
        "wegwijzer.v1.ReferralService",
        "wegwijzer.v1.CatalogService",
        "wegwijzer.v1.AdminService",
    ] {
        let resp = health
            .check(HealthCheckRequest {
                service: service.into(),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(resp.status, ServingStatus::Serving as i32, "{service:?}");
    }
    let unknown = health
        .check(HealthCheckRequest {
            service: "nope.Service".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);
    server.stop().await.unwrap();
}

/// Lists services and fetches the file declaring ReferralService through one
/// reflection version; both versions have the same shape but separate generated types.
macro_rules! reflect {
    ($version:ident, $channel:expr) => {{
        use tonic_reflection::pb::$version::server_reflection_client::ServerReflectionClient;
        use tonic_reflection::pb::$version::server_reflection_request::MessageRequest;
        use tonic_reflection::pb::$version::server_reflection_response::MessageResponse;
        use tonic_reflection::pb::$version::ServerReflectionRequest;
        let mut client = ServerReflectionClient::new($channel);
        let mut ask = async |message: MessageRequest| {
            let req = ServerReflectionRequest { host: String::new(), message_request: Some(message) };
            let mut stream = client.server_reflection_info(tokio_stream::iter([req])).await.unwrap().into_inner();
            stream.next().await.unwrap().unwrap().message_response
        };
        let Some(MessageResponse::ListServicesResponse(list)) = ask(MessageRequest::ListServices(String::new())).await
        else {
            panic!("no service list")
        };
        let file = ask(MessageRequest::FileContainingSymbol("wegwijzer.v1.ReferralService".into())).await;
        let has_file = matches!(file, Some(MessageResponse::FileDescriptorResponse(ref f)) if !f.file_descriptor_proto.is_empty());
        (list.service.into_iter().map(|s| s.name).collect::<Vec<String>>(), has_file)
    }};
}

#[tokio::test]
async fn reflection_lists_services_in_v1_and_v1alpha() {
    let server = TestServer::start().await;
    let v1 = reflect!(v1, server.channel.clone());
    let v1alpha = reflect!(v1alpha, server.channel.clone());
    for (names, has_file) in [v1, v1alpha] {
        for s in [
            "wegwijzer.v1.ReferralService",
            "wegwijzer.v1.CatalogService",
            "wegwijzer.v1.AdminService",
            "grpc.health.v1.Health",
        ] {
            assert!(names.iter().any(|n| n == s), "lists {s}: {names:?}");
        }
        assert!(has_file, "serves the descriptor of ReferralService");
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn shutdown_returns_cleanly_and_closes_the_port() {
    let server = TestServer::start().await;
    let addr = server.addr;
    let mut client = ReferralServiceClient::new(server.channel.clone());
    client
        .suggest(pb::SuggestRequest {
            prefix: "schuld".into(),
            limit: 3,
        })
        .await
        .unwrap();
    server.stop().await.expect("graceful stop");
    let again = tonic::transport::Channel::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await;
    assert!(again.is_err(), "no longer accepting connections");
}

#[tokio::test]
async fn a_need_heard_in_a_search_brings_the_help_for_it_right_after_the_crisis_line() {
    let server = TestServer::start().await;
    let mut client = ReferralServiceClient::new(server.channel.clone());
    // No word of the query is in the catalog's entries for homelessness: only the need
    // the detector hears ("dakloos") leads there, and it must outweigh offerings that
    // share a typed word ("buiten").
    let resp = client
        .search(search("mijn zoon van 19 slaapt al weken buiten"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(resp.signals, vec![Signal::Dakloos as i32]);
    let found = names(&resp);
    assert!(resp.hits[0].crisis, "{found:?}");
    // Right after the line: the help for the need, and the door the Leger des Heils is
    // reached through (it follows the maatwerk it opens).
    let after_the_line: Vec<&str> = resp
        .hits
        .iter()
        .filter(|h| !h.crisis)
        .take(3)
        .map(|h| h.offering.as_ref().unwrap().name.as_str())
        .collect();
    assert!(
        after_the_line.contains(&"Leger des Heils")
            && after_the_line.contains(&"Buddyzorg")
            && after_the_line.contains(&"Sociaal wijkteam Dordrecht Sociaal"),
        "{found:?}"
    );
    // The heard need does not push a second need out of sight.
    let two = client
        .search(search("ik slaap buiten en heb schulden"))
        .await
        .unwrap()
        .into_inner();
    let top: Vec<String> = names(&two).into_iter().take(5).collect();
    assert!(
        top.iter().any(|n| n.to_lowercase().contains("schuld"))
            && top.contains(&"Leger des Heils".to_string()),
        "{top:?}"
    );
}

#[tokio::test]
async fn crisis_language_in_search_and_suggest_puts_the_crisis_line_first() {
    let server = TestServer::start().await;
    let mut client = ReferralServiceClient::new(server.channel.clone());
    let resp = client
        .search(pb::SearchRequest {
            query: "mn vriend slaat me als hij gedronken heeft".into(),
            gemeente: "Zwijndrecht".into(),
            leefgebied: Leefgebied::Financien as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(resp.signals, vec![Signal::HuiselijkGeweld as i32]);
    let first = &resp.hits[0];
    assert_eq!(first.offering.as_ref().unwrap().name, "Veilig Thuis");
    assert!(first.crisis && !first.reasons.is_empty(), "{first:?}");

    let ordinary = client
        .search(search("ruzie met de buren over geluid"))
        .await
        .unwrap()
        .into_inner();
    assert!(ordinary.signals.is_empty());
    assert!(
        ordinary
            .hits
            .iter()
            .all(|h| h.offering.as_ref().unwrap().tier != Tier::Crisis as i32),
        "no crisis line as padding: {:?}",
        names(&ordinary)
    );

    let suggestions = client
        .suggest(pb::SuggestRequest {
            prefix: "ik wil er niet meer zijn".into(),
            limit: 5,
        })
        .await
        .unwrap()
        .into_inner()
        .suggestions;
    assert_eq!(suggestions[0].text, "113 Zelfmoordpreventie");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn lay_words_widen_the_search_and_the_word_being_typed_completes() {
    let server = TestServer::start().await;
    let mut client = ReferralServiceClient::new(server.channel.clone());
    let resp = client
        .search(search("de deurwaarder stond aan de deur"))
        .await
        .unwrap()
        .into_inner();
    assert!(
        resp.understood
            .iter()
            .any(|u| u.contains("deurwaarder") && u.contains("valt onder")),
        "{:?}",
        resp.understood
    );
    assert!(
        names(&resp)
            .iter()
            .take(3)
            .any(|n| n.to_lowercase().contains("schuld")),
        "{:?}",
        names(&resp)
    );
    let typing = client
        .search(search("thuisadmin"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        names(&typing).first().map(String::as_str),
        Some("Humanitas Thuisadministratie"),
        "a word being typed matches as a prefix"
    );
    let apart = client
        .search(search("home start"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(names(&apart).first().map(String::as_str), Some("Homestart"));
    server.stop().await.unwrap();
}
