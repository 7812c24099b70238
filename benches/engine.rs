//! In-process benchmarks (criterion): the analyzer, Search, Suggest and Match on the
//! bundled catalog and on generated catalogs.
//!
//! ```sh
//! cargo bench --bench engine                         # bundled catalog only
//! WEGWIJZER_BENCH_SIZES=1000,10000,100000 cargo bench --bench engine
//! ```
//!
//! Generated catalogs are written by the corpus generator into
//! `target/bench/c<size>` (seed 1) when missing, and read from there afterwards, so the
//! benches, the load generator and the Typesense comparison all use the same files.
//! Each iteration runs one query of the catalog's query set, cycling through it.

use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use wegwijzer::api::input::RequestInput;
use wegwijzer::catalog::Catalog;
use wegwijzer::domain::{Filters, HelpRequest};
use wegwijzer::engine::Engine;
use wegwijzer_corpus::{self as corpus, Counts, QuerySet};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled catalog, or the generated one of `size` offerings (made when missing).
fn catalog(size: Option<usize>) -> (Catalog, QuerySet) {
    let dir = match size {
        None => root().join("catalog"),
        Some(n) => {
            let dir = root().join(format!("target/bench/c{}", label(n)));
            if !dir.join("queries.json").exists() {
                let sources = corpus::default_sources(&root());
                let harvest = corpus::harvest(&sources).expect("source catalogs");
                corpus::write_catalog(&dir, n, 1, &harvest, &sources).expect("corpus");
                let c = Catalog::load(&dir).expect("generated catalog");
                let q = corpus::queries::generate(&c, 1, Counts::default());
                corpus::write_queries(&dir.join("queries.json"), &q).expect("queries");
            }
            dir
        }
    };
    let catalog = Catalog::load(&dir).expect("catalog loads");
    let queries = match size {
        None => corpus::queries::generate(&catalog, 1, Counts::default()),
        Some(_) => corpus::read_queries(&dir.join("queries.json")).expect("queries"),
    };
    (catalog, queries)
}

fn label(n: usize) -> String {
    match n {
        n if n % 1000 == 0 => format!("{}k", n / 1000),
        n => n.to_string(),
    }
}

fn sizes() -> Vec<Option<usize>> {
    let mut out = vec![None];
    if let Ok(list) = std::env::var("WEGWIJZER_BENCH_SIZES") {
        out.extend(
            list.split(',')
                .filter_map(|s| s.trim().parse().ok())
                .map(Some),
        );
    }
    out
}

fn help_requests(engine: &Engine, q: &QuerySet) -> Vec<HelpRequest> {
    q.help
        .iter()
        .map(|h| {
            let input: RequestInput = serde_json::from_value(h.clone()).unwrap();
            let draft = input.draft(10).unwrap();
            wegwijzer::api::checked(|v| wegwijzer::api::match_request(draft, engine.catalog(), v))
                .unwrap()
                .0
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("analyzer");
    let text = "Ik kan de huur niet betalen en heb schulden bij de energiemaatschappij; \
                de deurwaarder stuurt aanmaningen en ik zoek schuldhulpverlening.";
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("analyze_sentence", |b| {
        b.iter(|| wegwijzer::search::analysis::analyze(std::hint::black_box(text)))
    });
    g.finish();

    for size in sizes() {
        let name = size.map_or("bundled".to_string(), label);
        let (catalog, queries) = catalog(size);
        let engine = Engine::in_memory(catalog).expect("engine");
        let searches: Vec<(String, Filters)> = queries
            .search
            .iter()
            .map(|s| {
                let filters = Filters {
                    gemeente: (!s.gemeente.is_empty()).then(|| s.gemeente.clone()),
                    ..Filters::default()
                };
                (s.query.clone(), filters)
            })
            .collect();
        let help = help_requests(&engine, &queries);
        let mut g = c.benchmark_group(format!("engine/{name}"));
        g.measurement_time(Duration::from_secs(5));
        g.warm_up_time(Duration::from_secs(1));
        let mut i = 0;
        g.bench_function("search", |b| {
            b.iter(|| {
                i += 1;
                let (text, filters) = &searches[i % searches.len()];
                engine.search(text, filters, 10).unwrap().hits.len()
            })
        });
        let mut i = 0;
        g.bench_function("suggest", |b| {
            b.iter(|| {
                i += 1;
                engine
                    .suggest(&queries.suggest[i % queries.suggest.len()], 8)
                    .len()
            })
        });
        // What a search that found nothing proposes, for each query of the set.
        let vocabulary = wegwijzer::search::suggest::Vocabulary::new(engine.catalog());
        let mut i = 0;
        g.bench_function("did_you_mean", |b| {
            b.iter(|| {
                i += 1;
                vocabulary
                    .did_you_mean(&searches[i % searches.len()].0, 5)
                    .len()
            })
        });
        let mut i = 0;
        g.bench_function("match", |b| {
            b.iter(|| {
                i += 1;
                engine
                    .match_request(&help[i % help.len()], 10)
                    .unwrap()
                    .results
                    .len()
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
