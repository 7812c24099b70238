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
use wegwijzer::live::changes::Changes;
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
/// at two list lengths, and that a short list is the start of a long one (only the
/// candidates that can reach the short list are ordered); returns how many requests
/// were compared.
fn agree(engine: &Engine, requests: &[HelpRequest]) -> usize {
    for (i, r) in requests.iter().enumerate() {
        for limit in [10, 50] {
            let retrieved = engine.match_request(r, limit).unwrap();
            let scanned = engine.match_request_scanning(r, limit).unwrap();
            assert_eq!(retrieved, scanned, "request {i}, limit {limit}");
        }
        let long = engine.match_request(r, 1000).unwrap().results;
        for limit in [1, 3, 10] {
            let short = engine.match_request(r, limit).unwrap().results;
            assert_eq!(
                short,
                long[..limit.min(long.len())],
                "request {i}, limit {limit}"
            );
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
        "match-blind2-tune.toml",
        "match-blind2-holdout.toml",
    ] {
        let eval = wegwijzer::eval::load(&root().join("tests/eval").join(file)).unwrap();
        requests.extend(eval.case.into_iter().map(|c| request(&engine, c.request)));
    }
    let with_text = requests.iter().filter(|r| !r.text.is_empty()).count();
    let with_gemeente = requests
        .iter()
        .filter(|r| r.context.gemeente.is_some())
        .count();
    let compared = agree(&engine, &requests);
    assert!(compared >= 150, "{compared} requests");
    assert!(with_text > 50, "{with_text} with text");
    assert!(with_gemeente > 50, "{with_gemeente} with a gemeente");

    // After live changes the index has more than one segment and deleted documents:
    // one offering is gone, one is new, one has moved to other leefgebieden.
    let catalog = engine.catalog();
    let gone = &catalog.offerings()[3];
    let moved = &catalog.offerings()[7];
    let mut changes = Changes::default();
    changes.deleted.insert(gone.id.clone());
    for (id, name, leefgebieden) in [
        (
            "nieuw-buurtpunt",
            "Buurtpunt Schulden en Huur",
            r#"["financien", "huisvesting"]"#,
        ),
        (
            moved.id.as_str(),
            moved.name.as_str(),
            r#"["sociaal_netwerk", "financien"]"#,
        ),
    ] {
        changes
            .upserts
            .insert(id.to_string(), entry(id, name, leefgebieden));
    }
    let (served, _) = catalog
        .apply(&changes, jiff::civil::date(2026, 11, 30))
        .unwrap();
    let (changed, _) = engine.next(served, || Ok::<(), ()>(())).unwrap().unwrap();
    assert!(changed.get(&gone.id).is_none() && changed.get("nieuw-buurtpunt").is_some());
    agree(&changed, &requests);
    let finds_new = requests.iter().any(|r| {
        let outcome = changed.match_request(r, 50).unwrap();
        outcome
            .results
            .iter()
            .any(|x| x.offering.id == "nieuw-buurtpunt")
    });
    assert!(finds_new, "the new offering is retrieved for some request");
    eprintln!("{compared} requests compared, before and after live changes");
}

/// One catalog entry in the bundled catalog's terms (its sources and gemeenten).
fn entry(id: &str, name: &str, leefgebieden: &str) -> String {
    format!(
        "[[aanbod]]\nid = \"{id}\"\nnaam = \"{name}\"\norganisatie = \"Test\"\n\
         niveau = \"elkaar_helpen\"\nleefgebieden = {leefgebieden}\n\
         beschrijving = \"Vrijwilligers helpen met geld, huur en rekeningen.\"\n\
         zoektermen = [\"schulden\", \"huur\"]\nvolgende_stap = \"Vraag het wijkteam.\"\n\
         gemeenten = [\"Dordrecht\"]\ntoegang = [\"via_verwijzing\"]\n\
         via = \"sociaal-wijkteam-dordrecht-sociaal\"\nkosten = \"onbekend\"\n\
         bron = \"004_0bdcb508e6e2d7ee.txt\"\ngeverifieerd = 2026-11-30\n"
    )
}

#[test]
fn retrieval_answers_as_ranking_every_offering_does_on_a_generated_catalog() {
    let dir = tempdir("match-retrieval-10k");
    let sources = corpus::default_sources(&root());
    let harvest = corpus::harvest(&sources).unwrap();
    corpus::write_catalog(&dir.0, 10_000, 1, &harvest, &sources).unwrap();
    let engine = Engine::in_memory(Catalog::load(&dir.0).unwrap()).unwrap();
    assert_eq!(engine.catalog().offerings().len(), 10_000);
    let requests = generated_requests(&engine, 1);
    let compared = agree(&engine, &requests);
    assert!(compared >= 20, "{compared} requests");
}

/// A fresh folder under the system's temporary folder, removed when dropped (also when
/// the test fails).
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tempdir(name: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!("wegwijzer-{name}-{}", std::process::id()));
    if Path::new(&dir).exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    TempDir(dir)
}
