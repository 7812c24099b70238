//! Acknowledged admin changes survive a crash: the real binary takes a burst of changes,
//! is killed with SIGKILL right after the last acknowledgement, and after a restart
//! every acknowledged change is there. A damaged state file stops the start with a
//! clear message and is left as it was.

mod common;

use std::process::Command;

use wegwijzer::grpc::pb;
use wegwijzer::grpc::pb::admin_service_client::AdminServiceClient;
use wegwijzer::grpc::pb::catalog_service_client::CatalogServiceClient;
use wegwijzer::live::store::FILE_NAME;

const TOKEN: &str = "durability-test-admin-token";

fn authorized<T>(message: T) -> tonic::Request<T> {
    common::authorized(message, TOKEN)
}

use common::channel;

fn start(data: &std::path::Path) -> common::Spawned {
    common::spawn_server(
        &[],
        &["--web-addr", "off"],
        &[("WEGWIJZER_ADMIN_TOKEN", TOKEN)],
        data,
    )
}

#[test]
fn every_acknowledged_change_survives_sigkill() {
    let data = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut first = start(data.path());

    // The burst: availability on many offerings, some upserts and deletions.
    let (acknowledged, ids) = runtime.block_on(async {
        let channel = channel(&first.grpc).await;
        let all = common::first_offerings(channel.clone()).await;
        let mut admin = AdminServiceClient::new(channel);
        let template = all[0].clone();
        let mut acknowledged = Vec::new();
        for (i, o) in all.iter().enumerate().skip(1).take(40) {
            let weeks = (i % 20) as u32 + 1;
            admin
                .set_availability(authorized(pb::SetAvailabilityRequest {
                    expected_version: None,
                    id: o.id.clone(),
                    availability: Some(pb::Availability {
                        status: pb::AvailabilityStatus::Wachtlijst as i32,
                        waiting_weeks: Some(weeks),
                        note: format!("wijziging {i}"),
                        effective_date: String::new(),
                    }),
                }))
                .await
                .expect("acknowledged");
            acknowledged.push((o.id.clone(), Some(weeks)));
        }
        for n in 0..5 {
            let mut new = template.clone();
            new.id = format!("crash-test-{n}");
            new.name = format!("Crashtest aanbod {n}");
            admin
                .upsert_offering(authorized(pb::UpsertOfferingRequest {
                    expected_version: None,
                    offering: Some(new),
                }))
                .await
                .expect("acknowledged");
            acknowledged.push((format!("crash-test-{n}"), None));
        }
        let mut deleted = Vec::new();
        for o in all.iter().rev().take(3) {
            admin
                .delete_offering(authorized(pb::DeleteOfferingRequest {
                    expected_version: None,
                    id: o.id.clone(),
                }))
                .await
                .expect("acknowledged");
            deleted.push(o.id.clone());
        }
        (acknowledged, deleted)
    });

    // Kill at once: no shutdown, no flush.
    first.child.kill().expect("SIGKILL");
    first.child.wait().unwrap();

    let second = start(data.path());
    let found = runtime.block_on(async {
        let mut catalog = CatalogServiceClient::new(channel(&second.grpc).await);
        let mut found = 0;
        for (id, weeks) in &acknowledged {
            let Ok(o) = catalog
                .get_offering(pb::GetOfferingRequest { id: id.clone() })
                .await
            else {
                continue;
            };
            let o = o.into_inner().offering.unwrap();
            let a = o.availability.unwrap();
            if weeks.is_none()
                || (a.waiting_weeks == *weeks
                    && a.status == pb::AvailabilityStatus::Wachtlijst as i32)
            {
                found += 1;
            }
        }
        for id in &ids {
            let gone = catalog
                .get_offering(pb::GetOfferingRequest { id: id.clone() })
                .await
                .is_err_and(|e| e.code() == tonic::Code::NotFound);
            found += usize::from(gone);
        }
        found
    });
    let total = acknowledged.len() + ids.len();
    println!("acknowledged {total} changes before SIGKILL, found {found} after restart");
    assert_eq!(found, total);
    let mut second = second;
    second.child.kill().unwrap();
    second.child.wait().unwrap();
}

#[test]
fn a_damaged_state_file_stops_the_start_and_is_kept() {
    let data = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut server = start(data.path());
    runtime.block_on(async {
        AdminServiceClient::new(channel(&server.grpc).await)
            .delete_offering(authorized(pb::DeleteOfferingRequest {
                expected_version: None,
                id: "schuldhulpmaatje".into(),
            }))
            .await
            .unwrap();
    });
    server.child.kill().unwrap();
    server.child.wait().unwrap();

    let path = data.path().join(FILE_NAME);
    let bytes = std::fs::read(&path).unwrap();
    for damaged in [bytes[..bytes.len() - 7].to_vec(), {
        let mut b = bytes.clone();
        let last = b.len() - 3;
        b[last] ^= 0x01;
        b
    }] {
        std::fs::write(&path, &damaged).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_wegwijzer"))
            .args(["serve", "--addr", "127.0.0.1:0", "--web-addr", "off"])
            .arg("--catalog")
            .arg(common::catalog_dir())
            .arg("--data-dir")
            .arg(data.path())
            .output()
            .unwrap();
        assert!(!out.status.success(), "refuses to start");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(FILE_NAME), "{stderr}");
        assert!(stderr.contains("is damaged"), "{stderr}");
        assert!(stderr.contains("restore it from a backup"), "{stderr}");
        assert!(
            stderr.contains(wegwijzer::live::store::PREVIOUS_FILE_NAME),
            "the way out that keeps all but the last change is named: {stderr}"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            damaged,
            "the file is left as it was"
        );
    }
}
