//! Match takes its candidates from the index (the offerings filed under the request's
//! leefgebieden in its gemeente, and those its text finds) instead of ranking every
//! offering. This checks that it answers exactly as ranking every offering does: on the
//! bundled catalog with every evaluation case and generated request, and on a generated
//! catalog of 10,000 offerings.

use std::path::{Path, PathBuf};

use wegwijzer::api::input::RequestInput;
use wegwijzer::catalog::Catalog;
use wegwijzer::domain::HelpRequest;
use wegwijzer::engine::Engine;
use wegwijzer_corpus::{self as corpus, Counts};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn request(engine: &Engine, input: RequestInput) -> HelpRequest {
    let draft = input.draft(10).expect("a valid request");
    wegwijzer::api::checked(|v| wegwijzer::api::match_request(draft, engine.catalog(), v))
        .expect("a valid request")
        .0
}

/// The help requests the corpus generator makes for a catalog.
fn generated_requests(engine: &Engine, seed: u64) -> Vec<HelpRequest> {
    let queries = corpus::queries::generate(engine.catalog(), seed, Counts::default());
    queries
        .help
        .iter()
        .map(|h| {
            request(
                engine,
                serde_json::from_value(h.clone()).expect("a request"),
            )
        })
        .collect()
}

/// Asserts that retrieval and the full pass give the same outcome for every request,
/// at two list lengths; returns how many requests were compared.
fn agree(engine: &Engine, requests: &[HelpRequest]) -> usize {
    for (i, r) in requests.iter().enumerate() {
        for limit in [10, 50] {
            let retrieved = engine.match_request(r, limit).unwrap();
            let scanned = engine.match_request_scanning(r, limit).unwrap();
            assert_eq!(retrieved, scanned, "request {i}, limit {limit}");
        }
    }
    requests.len()
}

#[test]
fn retrieval_answers_as_ranking_every_offering_does_on_the_bundled_catalog() {
    let engine = Engine::in_memory(Catalog::load(&root().join("catalog")).unwrap()).unwrap();
    let mut requests = generated_requests(&engine, 1);
    requests.extend(generated_requests(&engine, 2));
    for file in [
        "cases.toml",
        "match-blind-tune.toml",
        "match-blind-holdout.toml",
    ] {
        let eval = wegwijzer::eval::load(&root().join("tests/eval").join(file)).unwrap();
        requests.extend(eval.case.into_iter().map(|c| request(&engine, c.request)));
    }
    let without_domains = requests
        .iter()
        .filter(|r| r.leefgebieden.is_empty())
        .count();
    let with_text = requests.iter().filter(|r| !r.text.is_empty()).count();
    let compared = agree(&engine, &requests);
    assert!(compared >= 150, "{compared} requests");
    assert!(with_text > 50, "{with_text} with text");
    eprintln!("{compared} requests compared ({with_text} with text, {without_domains} without leefgebieden)");
}

#[test]
fn retrieval_answers_as_ranking_every_offering_does_on_a_generated_catalog() {
    let dir = tempdir("match-retrieval-10k");
    let sources = corpus::default_sources(&root());
    let harvest = corpus::harvest(&sources).unwrap();
    corpus::write_catalog(&dir, 10_000, 1, &harvest, &sources).unwrap();
    let engine = Engine::in_memory(Catalog::load(&dir).unwrap()).unwrap();
    assert_eq!(engine.catalog().offerings().len(), 10_000);
    let requests = generated_requests(&engine, 1);
    let compared = agree(&engine, &requests);
    assert!(compared >= 20, "{compared} requests");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A fresh folder under the system's temporary folder.
fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wegwijzer-{name}-{}", std::process::id()));
    if Path::new(&dir).exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    dir
}
