//! The index persists in the data directory and is rebuilt only when the catalog changes;
//! an invalid catalog is refused whole.

mod common;

use std::fs;
use std::path::Path;

use wegwijzer::catalog::CatalogError;
use wegwijzer::domain::Filters;
use wegwijzer::engine::{Engine, EngineError};
use wegwijzer::search::index::Origin;

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn index_is_reused_until_the_catalog_changes() {
    let work = tempfile::tempdir().unwrap();
    let catalog = work.path().join("catalog");
    let data = work.path().join("data");
    copy_dir(&common::catalog_dir(), &catalog);

    let (first, origin) = Engine::open(&catalog, &data).unwrap();
    assert_eq!(
        origin,
        Origin::Built,
        "a new data directory is created and filled"
    );
    assert!(data.join("index").join("FINGERPRINT").exists());
    let before = first
        .search("schulden", &Filters::default(), 5)
        .unwrap()
        .hits
        .len();
    drop(first);

    let (second, origin) = Engine::open(&catalog, &data).unwrap();
    assert_eq!(
        origin,
        Origin::Reused,
        "same catalog: the persisted index is opened as is"
    );
    assert_eq!(
        second
            .search("schulden", &Filters::default(), 5)
            .unwrap()
            .hits
            .len(),
        before
    );
    drop(second);

    let file = catalog.join("aanbod").join("crisis.toml");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, format!("{text}\n# reviewed again\n")).unwrap();
    let (_, origin) = Engine::open(&catalog, &data).unwrap();
    assert_eq!(origin, Origin::Built, "changed catalog: rebuilt");

    fs::write(data.join("index").join("FINGERPRINT"), "stale").unwrap();
    let (third, origin) = Engine::open(&catalog, &data).unwrap();
    assert_eq!(origin, Origin::Built, "a stale stamp forces a rebuild");
    assert_eq!(
        third
            .search("schulden", &Filters::default(), 5)
            .unwrap()
            .hits
            .len(),
        before
    );
}

#[test]
fn a_broken_catalog_is_refused_with_file_and_line() {
    let work = tempfile::tempdir().unwrap();
    let catalog = work.path().join("catalog");
    copy_dir(&common::catalog_dir(), &catalog);
    let file = catalog.join("aanbod").join("crisis.toml");
    let text = fs::read_to_string(&file).unwrap();
    let broken = text.replacen(
        "kosten = \"gratis\"",
        "kosten = \"gratis\"\ntelefoonnummer = \"0800\"",
        1,
    );
    fs::write(&file, &broken).unwrap();
    let line = broken
        .lines()
        .position(|l| l.starts_with("telefoonnummer"))
        .unwrap()
        + 1;

    let err = match Engine::open(&catalog, &work.path().join("data")) {
        Err(EngineError::Catalog(e @ CatalogError::Invalid(_))) => e,
        Err(e) => panic!("unexpected error: {e}"),
        Ok(_) => panic!("a broken catalog must not load"),
    };
    let message = err.to_string();
    assert!(
        message.contains(&format!("crisis.toml:{line}:")),
        "{message}"
    );
    assert!(message.contains("telefoonnummer"), "{message}");
    assert!(
        !work.path().join("data").join("index").exists(),
        "nothing was written"
    );

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wegwijzer"))
        .args(["serve", "--addr", "127.0.0.1:0", "--web-addr", "off"])
        .arg("--catalog")
        .arg(&catalog)
        .arg("--data-dir")
        .arg(work.path().join("data"))
        .output()
        .unwrap();
    assert!(!out.status.success(), "the server refuses to start");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("crisis.toml:{line}:")), "{stderr}");

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wegwijzer"))
        .args(["catalog", "check"])
        .arg(&catalog)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("crisis.toml:{line}:")));
}
