//! The admin API over the real server: tokens, availability, upserts and deletions, the
//! checks they pass, and the export that writes them back in catalog format.

mod common;

use std::sync::Arc;

use tonic::{Code, Status};
use tonic_types::StatusExt;

use common::{catalog_dir, TestServer};
use wegwijzer::catalog::{export, Catalog};
use wegwijzer::grpc::pb;
use wegwijzer::grpc::pb::admin_service_client::AdminServiceClient;
use wegwijzer::grpc::pb::catalog_service_client::CatalogServiceClient;
use wegwijzer::grpc::pb::referral_service_client::ReferralServiceClient;
use wegwijzer::ops::auth::{Token, Tokens};
use wegwijzer::server::Options;

const ADMIN: &str = "admin-token-for-the-tests-0001";
const READ: &str = "read-token-for-the-tests-00002";

fn options(read_token: bool) -> Options {
    Options {
        tokens: Tokens {
            admin: Some(Token::new("admin", ADMIN).unwrap()),
            read: read_token.then(|| Token::new("read", READ).unwrap()),
        },
        ..Options::default()
    }
}

fn availability(
    status: pb::AvailabilityStatus,
    weeks: Option<u32>,
    note: &str,
) -> pb::SetAvailabilityRequest {
    pb::SetAvailabilityRequest {
        expected_version: None,
        id: "financieel-hulphuis".into(),
        availability: Some(pb::Availability {
            status: status as i32,
            waiting_weeks: weeks,
            note: note.into(),
            effective_date: String::new(),
        }),
    }
}

fn fields(status: &Status) -> Vec<String> {
    status
        .get_details_bad_request()
        .map(|b| b.field_violations.into_iter().map(|v| v.field).collect())
        .unwrap_or_default()
}

async fn get(server: &TestServer, id: &str) -> Result<pb::Offering, Status> {
    CatalogServiceClient::new(server.channel.clone())
        .get_offering(pb::GetOfferingRequest { id: id.into() })
        .await
        .map(|r| r.into_inner().offering.unwrap())
}

#[tokio::test]
async fn admin_calls_are_off_without_a_configured_token() {
    let server = TestServer::start().await;
    let mut admin = AdminServiceClient::new(server.channel.clone());
    let err = admin
        .set_availability(common::authorized(
            availability(pb::AvailabilityStatus::Wachtlijst, Some(4), ""),
            ADMIN,
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Unimplemented);
    assert!(
        err.message().contains("WEGWIJZER_ADMIN_TOKEN"),
        "{}",
        err.message()
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn tokens_are_checked_and_a_change_shows_at_once() {
    let server = TestServer::start_with(&catalog_dir(), options(false)).await;
    let mut admin = AdminServiceClient::new(server.channel.clone());
    let change = availability(
        pb::AvailabilityStatus::Wachtlijst,
        Some(6),
        "Vol tot de zomer",
    );

    let err = admin.set_availability(change.clone()).await.unwrap_err();
    assert_eq!(err.code(), Code::Unauthenticated);
    let err = admin
        .set_availability(common::authorized(
            change.clone(),
            "not-the-admin-token-000",
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::PermissionDenied);
    assert!(
        !err.message().contains("not-the-admin"),
        "the token is not echoed"
    );
    assert_eq!(
        get(&server, "financieel-hulphuis")
            .await
            .unwrap()
            .availability
            .unwrap()
            .status,
        pb::AvailabilityStatus::Actief as i32,
        "refused calls change nothing"
    );

    let done = admin
        .set_availability(common::authorized(change, ADMIN))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(done.live_changes, 1);
    let a = get(&server, "financieel-hulphuis")
        .await
        .unwrap()
        .availability
        .unwrap();
    assert_eq!(a.status, pb::AvailabilityStatus::Wachtlijst as i32);
    assert_eq!(a.waiting_weeks, Some(6));
    assert_eq!(a.note, "Vol tot de zomer");
    assert_eq!(a.effective_date.len(), 10, "defaults to today");

    // Search still finds it, from the new engine.
    let matched = ReferralServiceClient::new(server.channel.clone())
        .search(pb::SearchRequest {
            query: "financieel hulphuis".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        matched.hits[0].offering.as_ref().unwrap().id,
        "financieel-hulphuis"
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn bad_changes_name_their_fields_and_change_nothing() {
    let server = TestServer::start_with(&catalog_dir(), options(false)).await;
    let mut admin = AdminServiceClient::new(server.channel.clone());
    let before = server.live.current();

    let mut unknown_status = availability(pb::AvailabilityStatus::Actief, None, "");
    unknown_status.availability.as_mut().unwrap().status = 9;
    let weeks_without_list = availability(pb::AvailabilityStatus::Actief, Some(3), "");
    let long_note = availability(pb::AvailabilityStatus::Wachtlijst, None, &"x".repeat(201));
    let mut bad_date = availability(pb::AvailabilityStatus::Wachtlijst, None, "");
    bad_date.availability.as_mut().unwrap().effective_date = "23-11-2026".into();
    let mut impossible_date = availability(pb::AvailabilityStatus::Wachtlijst, None, "");
    impossible_date
        .availability
        .as_mut()
        .unwrap()
        .effective_date = "2027-02-31".into();
    for (request, field) in [
        (impossible_date, "availability.effective_date"),
        (unknown_status, "availability.status"),
        (weeks_without_list, "availability.waiting_weeks"),
        (long_note, "availability.note"),
        (bad_date, "availability.effective_date"),
        (
            pb::SetAvailabilityRequest {
                expected_version: None,
                id: "Geen Id!".into(),
                availability: None,
            },
            "id",
        ),
    ] {
        let err = admin
            .set_availability(common::authorized(request, ADMIN))
            .await
            .unwrap_err();
        assert_eq!(err.code(), Code::InvalidArgument, "{field}");
        assert!(
            fields(&err).iter().any(|f| f == field),
            "{field}: {:?}",
            fields(&err)
        );
    }
    let err = admin
        .set_availability(common::authorized(
            pb::SetAvailabilityRequest {
                expected_version: None,
                id: "bestaat-niet".into(),
                ..availability(pb::AvailabilityStatus::Actief, None, "")
            },
            ADMIN,
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::NotFound);

    // An upsert is checked by the catalog's own rules.
    let mut offering = get(&server, "financieel-hulphuis").await.unwrap();
    offering.id = "nieuw-aanbod".into();
    offering.name = "Nieuw aanbod".into();
    offering.source = "verzonnen-bron.txt".into();
    let err = admin
        .upsert_offering(common::authorized(
            pb::UpsertOfferingRequest {
                expected_version: None,
                offering: Some(offering.clone()),
            },
            ADMIN,
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert!(
        err.message().contains("verzonnen-bron.txt"),
        "{}",
        err.message()
    );
    offering.source = get(&server, "financieel-hulphuis").await.unwrap().source;
    offering.tier = 0;
    offering.leefgebieden.push(77);
    offering.name = String::new();
    let err = admin
        .upsert_offering(common::authorized(
            pb::UpsertOfferingRequest {
                expected_version: None,
                offering: Some(offering),
            },
            ADMIN,
        ))
        .await
        .unwrap_err();
    let f = fields(&err);
    for field in ["offering.tier", "offering.name"] {
        assert!(f.iter().any(|x| x == field), "{field}: {f:?}");
    }
    assert!(
        f.iter().any(|x| x.starts_with("offering.leefgebieden[")),
        "{f:?}"
    );

    assert!(
        Arc::ptr_eq(&before, &server.live.current()),
        "no rejected change replaced the engine"
    );
    assert_eq!(server.live.live_changes().await, 0);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn upserts_and_deletions_reach_search_and_the_export() {
    let server = TestServer::start_with(&catalog_dir(), options(false)).await;
    let mut admin = AdminServiceClient::new(server.channel.clone());
    let mut referral = ReferralServiceClient::new(server.channel.clone());

    let mut offering = get(&server, "financieel-hulphuis").await.unwrap();
    offering.id = "fietsmaatjes-test".into();
    offering.name = "Fietsmaatjes Zwijndrecht".into();
    offering.description = "Samen fietsen met een vrijwilliger op een duofiets.".into();
    offering.lay_terms = vec!["duofiets".into(), "samen fietsen".into()];
    offering.contact = None;
    let done = admin
        .upsert_offering(common::authorized(
            pb::UpsertOfferingRequest {
                expected_version: None,
                offering: Some(offering),
            },
            ADMIN,
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(done.offering.unwrap().name, "Fietsmaatjes Zwijndrecht");
    let hits = referral
        .search(pb::SearchRequest {
            query: "duofiets".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .hits;
    assert_eq!(hits[0].offering.as_ref().unwrap().id, "fietsmaatjes-test");

    admin
        .delete_offering(common::authorized(
            pb::DeleteOfferingRequest {
                expected_version: None,
                id: "schuldhulpmaatje".into(),
            },
            ADMIN,
        ))
        .await
        .unwrap();
    assert_eq!(
        get(&server, "schuldhulpmaatje").await.unwrap_err().code(),
        Code::NotFound
    );
    let err = admin
        .delete_offering(common::authorized(
            pb::DeleteOfferingRequest {
                expected_version: None,
                id: "schuldhulpmaatje".into(),
            },
            ADMIN,
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::NotFound, "deleting twice");
    admin
        .set_availability(common::authorized(
            availability(
                pb::AvailabilityStatus::TijdelijkGesloten,
                None,
                "Verbouwing",
            ),
            ADMIN,
        ))
        .await
        .unwrap();

    // The export writes the served catalog back in catalog format: loading it gives
    // exactly what is served.
    let out = tempfile::tempdir().unwrap();
    let files = Catalog::load(&catalog_dir()).unwrap();
    let served = server.live.current();
    let summary = export::write(&catalog_dir(), &files, served.catalog(), out.path()).unwrap();
    assert_eq!((summary.changed, summary.removed, summary.added), (1, 1, 1));
    let reloaded = Catalog::load(out.path()).expect("the export is a valid catalog");
    assert_eq!(reloaded.offerings(), served.catalog().offerings());
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_read_token_closes_the_read_api_but_not_health() {
    let server = TestServer::start_with(&catalog_dir(), options(true)).await;
    let mut referral = ReferralServiceClient::new(server.channel.clone());
    let search = || pb::SearchRequest {
        query: "schulden".into(),
        ..Default::default()
    };
    assert_eq!(
        referral.search(search()).await.unwrap_err().code(),
        Code::Unauthenticated
    );
    assert!(referral
        .search(common::authorized(search(), READ))
        .await
        .is_ok());
    assert!(referral
        .search(common::authorized(search(), ADMIN))
        .await
        .is_ok());
    let health = tonic_health::pb::health_client::HealthClient::new(server.channel.clone())
        .check(tonic_health::pb::HealthCheckRequest {
            service: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(health.status, 1, "health stays open for load balancers");
    server.stop().await.unwrap();
}

#[test]
fn the_export_command_writes_the_live_changes_in_catalog_format() {
    use wegwijzer::catalog::{AvailabilityChange, Changes};
    use wegwijzer::domain::dates;
    use wegwijzer::domain::{Availability, AvailabilityStatus};
    let data = tempfile::tempdir().unwrap();
    let mut changes = Changes::default();
    let waiting = Availability {
        status: AvailabilityStatus::Wachtlijst,
        waiting_weeks: Some(4),
        ..Availability::default()
    };
    changes.set_availability(
        "financieel-hulphuis",
        AvailabilityChange::new(&waiting, dates::parse("2026-01-01").unwrap()),
        dates::parse("2026-11-23").unwrap(),
    );
    wegwijzer::live::store::FileStore::new(data.path())
        .unwrap()
        .save(&changes)
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_wegwijzer"))
        .args(["catalog", "export", "--live"])
        .arg(out.path())
        .arg("--data-dir")
        .arg(data.path())
        .arg(catalog_dir())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        stdout.contains("1 live changes written (1 entries changed, 0 removed, 0 added"),
        "{stdout}"
    );
    let exported = Catalog::load(out.path()).unwrap();
    let a = &exported.get("financieel-hulphuis").unwrap().availability;
    assert_eq!(
        (a.status, a.waiting_weeks),
        (AvailabilityStatus::Wachtlijst, Some(4))
    );
    assert_eq!(
        a.since.map(|d| d.to_string()).as_deref(),
        Some("2026-01-01")
    );
}

#[test]
fn a_weak_admin_token_stops_the_start_without_echoing_it() {
    let data = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_wegwijzer"))
        .args(["serve", "--addr", "127.0.0.1:0", "--web-addr", "off"])
        .arg("--catalog")
        .arg(catalog_dir())
        .arg("--data-dir")
        .arg(data.path())
        .env("WEGWIJZER_ADMIN_TOKEN", "geheimpje")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(stderr.contains("at least 16 characters"), "{stderr}");
    assert!(!stderr.contains("geheimpje"), "{stderr}");
}

#[test]
fn the_export_command_names_a_missing_data_folder_and_creates_nothing() {
    let scratch = tempfile::tempdir().unwrap();
    let missing = scratch.path().join("geen-data");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wegwijzer"))
        .args(["catalog", "export", "--live"])
        .arg(scratch.path().join("uit"))
        .arg("--data-dir")
        .arg(&missing)
        .arg(catalog_dir())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no data folder") && stderr.contains("geen-data"),
        "{stderr}"
    );
    assert!(!missing.exists(), "the data folder is not created");
}

#[tokio::test]
async fn a_change_naming_an_older_version_is_refused_and_changes_nothing() {
    let server = TestServer::start_with(&catalog_dir(), options(false)).await;
    let mut admin = AdminServiceClient::new(server.channel.clone());
    let set = |note: &str, expected: Option<u64>| {
        let mut change = availability(pb::AvailabilityStatus::Wachtlijst, Some(4), note);
        change.expected_version = expected;
        common::authorized(change, ADMIN)
    };
    // Never changed live: version 0. Each change gets the next number.
    let first = admin
        .set_availability(set("eerste", Some(0)))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first.version, 1);
    let second = admin
        .set_availability(set("tweede", Some(first.version)))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(second.version, 2);

    // A writer that still holds version 1 is refused, in Dutch and English, and the
    // offering keeps the second change.
    let refused = admin
        .set_availability(set("derde", Some(first.version)))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::Aborted);
    assert!(
        refused.message().contains("versie 2"),
        "{}",
        refused.message()
    );
    assert!(
        refused.message().contains("version 2"),
        "{}",
        refused.message()
    );
    let shown = get(&server, "financieel-hulphuis").await.unwrap();
    assert_eq!(shown.availability.unwrap().note, "tweede");

    // The same holds for a delete; without a version a change always applies.
    let delete = |expected| {
        common::authorized(
            pb::DeleteOfferingRequest {
                id: "financieel-hulphuis".into(),
                expected_version: Some(expected),
            },
            ADMIN,
        )
    };
    assert_eq!(
        admin.delete_offering(delete(1)).await.unwrap_err().code(),
        Code::Aborted
    );
    assert!(get(&server, "financieel-hulphuis").await.is_ok());
    let third = admin
        .set_availability(set("derde", None))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(third.version, 3);
    admin.delete_offering(delete(3)).await.unwrap();
    assert_eq!(
        get(&server, "financieel-hulphuis")
            .await
            .unwrap_err()
            .code(),
        Code::NotFound
    );
    server.stop().await.unwrap();
}
