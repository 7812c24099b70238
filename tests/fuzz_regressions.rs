//! Replays the fuzz seeds and every saved fuzz finding (`tests/fuzz/regressions/<target>/`)
//! through the same invariant checks the fuzz targets run (`tests/fuzz/invariants.rs`),
//! so they hold in every `cargo test`. The fuzz targets themselves live in `tests/fuzz/`
//! (a separate crate; see its README).

#[path = "fuzz/invariants.rs"]
mod invariants;

use std::fs;
use std::path::{Path, PathBuf};

use wegwijzer::catalog::Catalog;

use invariants::Request;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The files directly in `dir` (none when it does not exist), sorted by name.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(PathBuf, Vec<u8>)> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

fn regressions(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    files(&root().join("tests/fuzz/regressions").join(target))
}

#[test]
fn the_embedded_catalog_is_the_bundled_one() {
    let loaded = Catalog::load(&root().join("catalog")).unwrap();
    assert_eq!(
        loaded.fingerprint(),
        invariants::catalog().fingerprint(),
        "tests/fuzz/invariants.rs must embed every file of catalog/ (update OFFERING_FILES)"
    );
}

#[test]
fn catalog_offerings_seeds_and_regressions() {
    // The bundled files together (entries name doors in other files with `via`).
    let bundled: Vec<Vec<u8>> = files(&root().join("catalog/aanbod"))
        .into_iter()
        .map(|(_, bytes)| bytes)
        .collect();
    assert!(
        invariants::check_catalog_offerings(&bundled.join(&0u8)).is_some(),
        "the bundled offering files are valid together"
    );
    for (path, bytes) in files(&root().join("catalog/landelijk-2020/aanbod"))
        .into_iter()
        .chain(regressions("catalog_offerings"))
    {
        eprintln!("replaying {}", path.display());
        invariants::check_catalog_offerings(&bytes);
    }
}

#[test]
fn catalog_region_seeds_and_regressions() {
    let region = invariants::REGION.as_bytes();
    assert!(invariants::check_catalog_region(region).is_some());
    let with_taxonomy = [region, b"\0", invariants::TAXONOMY.as_bytes()].concat();
    assert!(invariants::check_catalog_region(&with_taxonomy).is_some());
    let landelijk = fs::read(root().join("catalog/landelijk-2020/catalogus.toml")).unwrap();
    invariants::check_catalog_region(&landelijk);
    for (path, bytes) in regressions("catalog_region") {
        eprintln!("replaying {}", path.display());
        invariants::check_catalog_region(&bytes);
    }
}

#[test]
fn request_seeds_and_regressions() {
    let committed = files(&root().join("tests/fuzz/seeds/requests"));
    assert!(!committed.is_empty(), "no committed request seeds");
    for (path, bytes) in &committed {
        assert!(
            Request::decode(bytes).is_some(),
            "{} does not decode",
            path.display()
        );
    }
    for (path, bytes) in committed
        .into_iter()
        .chain(regressions("convert"))
        .chain(regressions("engine"))
    {
        eprintln!("replaying {}", path.display());
        invariants::check_request_in_engine(&bytes);
    }
}

#[test]
fn generated_request_seeds() {
    for (name, request) in invariants::request_seeds() {
        let bytes = request.encode();
        assert_eq!(Request::decode(&bytes).as_ref(), Some(&request), "{name}");
        invariants::check_request_in_engine(&bytes);
    }
}

/// Writes the request seeds to `tests/fuzz/seeds/requests/`. Run by hand after changing
/// them: `cargo test --test fuzz_regressions -- --ignored write_request_seeds`.
#[test]
#[ignore = "writes files; run by hand to refresh the committed seeds"]
fn write_request_seeds() {
    let dir = root().join("tests/fuzz/seeds/requests");
    fs::create_dir_all(&dir).unwrap();
    for (stale, _) in files(&dir) {
        fs::remove_file(stale).unwrap();
    }
    for (name, request) in invariants::request_seeds() {
        fs::write(dir.join(name), request.encode()).unwrap();
    }
}
