//! Reloading the catalog while searches run: the new catalog is swapped in atomically, no
//! call fails, an invalid catalog leaves the old one serving and says why, and live
//! changes that the reviewed files adopted are dropped. SIGHUP does the same as the RPC.

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tonic::Code;

use common::TestServer;
use wegwijzer::catalog::{export, Catalog};
use wegwijzer::grpc::pb;
use wegwijzer::grpc::pb::admin_service_client::AdminServiceClient;
use wegwijzer::grpc::pb::referral_service_client::ReferralServiceClient;
use wegwijzer::ops::auth::{Token, Tokens};
use wegwijzer::server::Options;

const TOKEN: &str = "reload-test-admin-token-1";

fn authorized<T>(message: T) -> tonic::Request<T> {
    common::authorized(message, TOKEN)
}

/// A copy of the bundled catalog to edit.
fn copy_catalog(to: &Path) {
    let files = Catalog::load(&common::catalog_dir()).unwrap();
    export::write(&common::catalog_dir(), &files, &files, to).unwrap();
}

const EXTRA: &str = r#"
[[aanbod]]
id = "reload-proef"
naam = "Reloadproef Kookclub"
organisatie = "Proef"
niveau = "elkaar_helpen"
leefgebieden = ["sociaal_netwerk"]
beschrijving = "Samen koken en eten met buren."
zoektermen = ["kookclub"]
volgende_stap = "Kom langs."
gemeenten = ["Dordrecht"]
toegang = ["inloop"]
kosten = "gratis"
bron = "BRON"
geverifieerd = 2026-11-23
"#;

/// A server with an admin token over a copy of the bundled catalog.
async fn start() -> (tempfile::TempDir, TestServer) {
    let dir = tempfile::tempdir().unwrap();
    copy_catalog(dir.path());
    let options = Options {
        tokens: Tokens {
            admin: Some(Token::new("admin", TOKEN).unwrap()),
            read: None,
        },
        ..Options::default()
    };
    let server = TestServer::start_with(dir.path(), options).await;
    (dir, server)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_under_concurrent_searches_fails_no_call() {
    let (dir, server) = start().await;
    let before = server.live.current().catalog().offerings().len();

    let stop = Arc::new(AtomicBool::new(false));
    let (ok, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let searchers: Vec<_> = (0..4)
        .map(|_| {
            let (stop, ok, failed) = (stop.clone(), ok.clone(), failed.clone());
            let mut client = ReferralServiceClient::new(server.channel.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let r = client
                        .search(pb::SearchRequest {
                            query: "schulden".into(),
                            ..Default::default()
                        })
                        .await;
                    match r {
                        Ok(r) if !r.get_ref().hits.is_empty() => ok.fetch_add(1, Ordering::Relaxed),
                        _ => failed.fetch_add(1, Ordering::Relaxed),
                    };
                }
            })
        })
        .collect();

    let mut admin = AdminServiceClient::new(server.channel.clone());
    let source = server.live.current().catalog().offerings()[0]
        .source
        .clone();
    let added = dir.path().join("aanbod/proef.toml");
    let mut rounds = 0;
    for round in 0..6 {
        // Alternate: add an offering, take it away again; each reload rebuilds the index.
        if round % 2 == 0 {
            std::fs::write(&added, EXTRA.replace("BRON", &source)).unwrap();
        } else {
            std::fs::remove_file(&added).unwrap();
        }
        let r = admin
            .reload_catalog(authorized(pb::ReloadCatalogRequest {}))
            .await
            .unwrap()
            .into_inner();
        let expected = before + usize::from(round % 2 == 0);
        assert_eq!(r.offerings as usize, expected);
        assert!(r.index_rebuilt);
        rounds += 1;
        tokio::time::sleep(Duration::from_millis(30)).await;
    }

    // A broken file: the old catalog keeps serving, and the answer says where.
    std::fs::write(&added, "[[aanbod]]\nid = \"kapot\"\nnaam = \n").unwrap();
    let err = admin
        .reload_catalog(authorized(pb::ReloadCatalogRequest {}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::FailedPrecondition);
    assert!(err.message().contains("proef.toml:3"), "{}", err.message());
    assert_eq!(server.live.current().catalog().offerings().len(), before);

    stop.store(true, Ordering::Relaxed);
    for s in searchers {
        s.await.unwrap();
    }
    let (ok, failed) = (ok.load(Ordering::Relaxed), failed.load(Ordering::Relaxed));
    println!("{rounds} reloads and 1 refused reload during {ok} searches; {failed} failed");
    assert_eq!(failed, 0);
    assert!(ok > 0);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn changes_the_files_adopted_are_dropped_on_reload() {
    let (dir, server) = start().await;
    let mut admin = AdminServiceClient::new(server.channel.clone());
    admin
        .set_availability(authorized(pb::SetAvailabilityRequest {
            expected_version: None,
            id: "financieel-hulphuis".into(),
            availability: Some(pb::Availability {
                status: pb::AvailabilityStatus::Wachtlijst as i32,
                waiting_weeks: Some(3),
                note: "Druk na de feestdagen".into(),
                effective_date: String::new(),
            }),
        }))
        .await
        .unwrap();
    assert_eq!(server.live.live_changes().await, 1);

    // The review: export, then adopt the export as the files.
    let files = Catalog::load(dir.path()).unwrap();
    let reviewed = tempfile::tempdir().unwrap();
    export::write(
        dir.path(),
        &files,
        server.live.current().catalog(),
        reviewed.path(),
    )
    .unwrap();
    let path = "aanbod/algemene_voorzieningen.toml";
    std::fs::copy(reviewed.path().join(path), dir.path().join(path)).unwrap();

    let r = admin
        .reload_catalog(authorized(pb::ReloadCatalogRequest {}))
        .await
        .unwrap()
        .into_inner();
    assert_eq!((r.adopted_changes, r.live_changes), (1, 0));
    let served = server.live.current();
    let a = &served
        .catalog()
        .get("financieel-hulphuis")
        .unwrap()
        .availability;
    assert_eq!(a.waiting_weeks, Some(3));
    assert_eq!(a.note.as_deref(), Some("Druk na de feestdagen"));
    server.stop().await.unwrap();
}

#[test]
fn sighup_reloads_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    copy_catalog(dir.path());
    let source = Catalog::load(dir.path()).unwrap().offerings()[0]
        .source
        .clone();
    let data = tempfile::tempdir().unwrap();
    let catalog = dir.path().to_str().unwrap();
    let mut server = common::spawn_server(
        &[],
        &["--web-addr", "off", "--catalog", catalog],
        &[],
        data.path(),
    );
    std::fs::write(
        dir.path().join("aanbod/proef.toml"),
        EXTRA.replace("BRON", &source),
    )
    .unwrap();
    let status = std::process::Command::new("kill")
        .args(["-HUP", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let reloaded = server
        .lines
        .iter()
        .find(|l| l.contains("catalog reloaded") || l.contains("not reloaded"))
        .expect("the server logs the reload");
    assert!(reloaded.contains("catalog reloaded"), "{reloaded}");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let hits = runtime.block_on(async {
        let channel = tonic::transport::Channel::from_shared(format!("http://{}", server.grpc))
            .unwrap()
            .connect()
            .await
            .unwrap();
        ReferralServiceClient::new(channel)
            .search(pb::SearchRequest {
                query: "kookclub".into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .hits
    });
    assert_eq!(hits[0].offering.as_ref().unwrap().id, "reload-proef");
    server.child.kill().unwrap();
    server.child.wait().unwrap();
}
